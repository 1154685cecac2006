// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the SPDM requester's message parsers and retries.
 */

#include <linux/unaligned.h>
#include <kunit/device.h>
#include <kunit/test.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

struct spdm_version_case {
	const char *name;
	u8 rsp[16];
	size_t rsp_sz;
	int rc;
	u8 version;
};

/* VERSION response header: 1.0, VERSION, reserved, then the count */
static const struct spdm_version_case spdm_version_cases[] = {
	{ "all four", { 0x10, 0x04, 0, 0, 0, 4, 0x00, 0x10, 0x00, 0x11,
			0x00, 0x12, 0x00, 0x13 }, 14, 0, 0x13 },
	{ "1.0 to 1.4", { 0x10, 0x04, 0, 0, 0, 5, 0x00, 0x10, 0x00, 0x11,
			  0x00, 0x12, 0x00, 0x13, 0x00, 0x14 }, 16, 0, 0x14 },
	{ "unordered", { 0x10, 0x04, 0, 0, 0, 3, 0x00, 0x12, 0x00, 0x10,
			 0x00, 0x11 }, 12, 0, 0x12 },
	{ "newer ignored", { 0x10, 0x04, 0, 0, 0, 2, 0x00, 0x15, 0x00, 0x12 },
	  10, 0, 0x12 },
	{ "update/alpha ignored", { 0x10, 0x04, 0, 0, 0, 1, 0x3f, 0x11 }, 8,
	  0, 0x11 },
	{ "trailing bytes", { 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x10 }, 12, 0,
	  0x10 },
	{ "only 2.0", { 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x20 }, 8, -EPROTO, 0 },
	{ "only 0.9", { 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x09 }, 8, -EPROTO, 0 },
	{ "no entries", { 0x10, 0x04, 0, 0, 0, 0 }, 6, -EIO, 0 },
	{ "count lies", { 0x10, 0x04, 0, 0, 0, 3, 0x00, 0x10, 0x00, 0x11 },
	  10, -EIO, 0 },
	{ "half entry", { 0x10, 0x04, 0, 0, 0, 1, 0x00 }, 7, -EIO, 0 },
	{ "header only", { 0x10, 0x04, 0, 0 }, 4, -EIO, 0 },
};

static void spdm_version_case_desc(const struct spdm_version_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_version, spdm_version_cases, spdm_version_case_desc);

static void spdm_test_select_version(struct kunit *test)
{
	const struct spdm_version_case *c = test->param_value;
	u8 version = 0;

	KUNIT_EXPECT_EQ(test, spdm_select_version((const void *)c->rsp,
						  c->rsp_sz, &version), c->rc);
	KUNIT_EXPECT_EQ(test, version, c->version);
}

static void spdm_test_combined_prefix(struct kunit *test)
{
	static const char ctx[] = "responder-challenge_auth signing";
	u8 buf[SPDM_COMBINED_PREFIX_SZ];
	int i;

	memset(buf, 0xaa, sizeof(buf));
	spdm_build_combined_prefix(SPDM_VER_12, ctx, buf);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_MEMEQ(test, buf + 16 * i, "dmtf-spdm-v1.2.*", 16);
	for (i = SPDM_PREFIX_SZ; i < SPDM_COMBINED_PREFIX_SZ - strlen(ctx); i++)
		KUNIT_EXPECT_EQ(test, buf[i], 0);
	KUNIT_EXPECT_MEMEQ(test, buf + SPDM_COMBINED_PREFIX_SZ - strlen(ctx),
			   ctx, strlen(ctx));

	spdm_build_combined_prefix(SPDM_VER_13, ctx, buf);
	KUNIT_EXPECT_MEMEQ(test, buf + 48, "dmtf-spdm-v1.3.*", 16);
}

struct spdm_algs_case {
	const char *name;
	u8 nstructs;
	u8 tail[8];
	size_t tail_sz;
	size_t len_delta;
	int rc;
};

/* RespAlgStructs after the fixed part of ALGORITHMS */
static const struct spdm_algs_case spdm_algs_cases[] = {
	{ "no structs", 0, {}, 0, 0, 0 },
	{ "two structs", 2, { 2, 0x20, 0x10, 0, 3, 0x20, 0x02, 0 }, 8, 0, 0 },
	{ "struct with ext", 1, { 2, 0x21, 0x10, 0, 1, 0, 0x12, 0x34 }, 8,
	  0, 0 },
	{ "count lies", 2, { 2, 0x20, 0x10, 0 }, 4, 0, -EIO },
	{ "fixed count 1", 1, { 2, 0x10, 0x10, 0 }, 4, 0, -EIO },
	{ "trailing byte", 1, { 2, 0x20, 0x10, 0, 0xee }, 5, 0, -EIO },
	{ "ext overruns", 1, { 2, 0x22, 0x10, 0, 1, 0, 0x12, 0x34 }, 8, 0,
	  -EIO },
	{ "length short", 1, { 2, 0x20, 0x10, 0 }, 4, 1, -EIO },
};

static void spdm_algs_case_desc(const struct spdm_algs_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_algs, spdm_algs_cases, spdm_algs_case_desc);

static void spdm_test_parse_algs_structs(struct kunit *test)
{
	const struct spdm_algs_case *c = test->param_value;
	struct spdm_negotiate_algs_rsp *rsp;
	size_t len = sizeof(*rsp) + c->tail_sz;

	rsp = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);
	rsp->param1 = c->nstructs;
	if (c->tail_sz)
		memcpy(rsp + 1, c->tail, c->tail_sz);

	KUNIT_EXPECT_EQ(test, spdm_parse_algs_structs(rsp, len - c->len_delta),
			c->rc);
}

/* CHALLENGE_AUTH layout for SHA-384 / P-384 (H = 48, S = 96) */
static void spdm_test_parse_challenge(struct kunit *test)
{
	size_t base = 4 + 48 + 32, len;
	struct spdm_challenge_fields f;
	u8 *rsp;

	rsp = kunit_kzalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);

	/* 1.2, no measurement summary, 5 bytes opaque data */
	rsp[base] = 5;
	len = base + 2 + 5 + 96;
	KUNIT_EXPECT_EQ(test, spdm_parse_challenge_rsp(SPDM_VER_12, 48, 96,
						       false, rsp, len, &f), 0);
	KUNIT_EXPECT_EQ(test, f.sig, base + 2 + 5);
	KUNIT_EXPECT_EQ(test, f.len, len);
	KUNIT_EXPECT_EQ(test, spdm_parse_challenge_rsp(SPDM_VER_12, 48, 96,
						       false, rsp, len - 1, &f),
			-EIO);

	/* 1.3 with summary hash: RequesterContext precedes the signature */
	rsp[base] = 0;
	rsp[base + 48] = 0;
	len = base + 48 + 2 + 8 + 96;
	KUNIT_EXPECT_EQ(test, spdm_parse_challenge_rsp(SPDM_VER_13, 48, 96,
						       true, rsp, len, &f), 0);
	KUNIT_EXPECT_EQ(test, f.context, base + 48 + 2);
	KUNIT_EXPECT_EQ(test, f.sig, base + 48 + 2 + 8);

	/* Opaque data longer than 1024 bytes, or cut off */
	rsp[base] = 0x01;
	rsp[base + 1] = 0x04;
	KUNIT_EXPECT_EQ(test, spdm_parse_challenge_rsp(SPDM_VER_12, 48, 96,
						       false, rsp, 2048, &f),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, spdm_parse_challenge_rsp(SPDM_VER_12, 48, 96,
						       false, rsp, base + 1, &f),
			-EIO);
}

/*
 * MeasurementRecords of DMTF blocks with a 3-byte raw value ("1.0"):
 * Index, MeasurementSpecification, MeasurementSize (6), ValueType (raw,
 * firmware version), ValueSize (3), value.
 */
struct spdm_meas_case {
	const char *name;
	u8 record[32];
	size_t len;
	u8 nr_blocks;
	u8 operation;
	int rc;
};

static const struct spdm_meas_case spdm_meas_cases[] = {
	{ "two blocks", { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0',
			  2, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 20, 2,
	  0xff, 0 },
	{ "single index", { 3, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 1, 3,
	  0 },
	{ "index differs", { 3, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 1,
	  4, -EPROTO },
	{ "duplicate index", { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0',
			       1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 20,
	  2, 0xff, -EPROTO },
	{ "more blocks than announced",
	  { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0',
	    2, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 20, 1, 0xff, -EPROTO },
	{ "fewer blocks than announced",
	  { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 2, 0xff, -EPROTO },
	{ "size beyond record", { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 9,
	  1, 0xff, -EPROTO },
	{ "truncated header", { 1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0', 2, 1 },
	  12, 2, 0xff, -EPROTO },
	{ "value size lies", { 1, 1, 6, 0, 0x86, 4, 0, '1', '.', '0' }, 10, 1,
	  0xff, -EPROTO },
	{ "short digest", { 1, 1, 6, 0, 0x01, 3, 0, 1, 2, 3 }, 10, 1, 0xff,
	  -EPROTO },
	{ "not DMTF", { 1, 2, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 1, 0xff,
	  -EPROTO },
	{ "index 0", { 0, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 1, 0xff,
	  -EPROTO },
	{ "index 255", { 0xff, 1, 6, 0, 0x86, 3, 0, '1', '.', '0' }, 10, 1,
	  0xff, -EPROTO },
	{ "empty DMTF measurement", { 1, 1, 0, 0 }, 4, 1, 0xff, -EPROTO },
};

static void spdm_meas_case_desc(const struct spdm_meas_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_meas, spdm_meas_cases, spdm_meas_case_desc);

static void spdm_test_check_meas_record(struct kunit *test)
{
	const struct spdm_meas_case *c = test->param_value;
	const char *why = NULL;
	int rc;

	rc = spdm_check_meas_record(c->record, c->len, c->nr_blocks,
				    c->operation, SPDM_MEAS_SPEC_DMTF, 32, &why);
	KUNIT_EXPECT_EQ(test, rc, c->rc);
	if (rc)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

/* A digest block must have the MeasurementHashAlgo's size */
static void spdm_test_meas_digest(struct kunit *test)
{
	u8 record[4 + 3 + 48] = { 1, 1, 3 + 48, 0, 0x01, 48, 0 };
	const char *why;

	KUNIT_EXPECT_EQ(test, spdm_check_meas_record(record, sizeof(record), 1,
						     0xff, SPDM_MEAS_SPEC_DMTF,
						     48, &why), 0);
	KUNIT_EXPECT_EQ(test, spdm_check_meas_record(record, sizeof(record), 1,
						     0xff, SPDM_MEAS_SPEC_DMTF,
						     32, &why), -EPROTO);
	/* Raw bit streams only: no digest is acceptable */
	KUNIT_EXPECT_EQ(test, spdm_check_meas_record(record, sizeof(record), 1,
						     0xff, SPDM_MEAS_SPEC_DMTF,
						     0, &why), -EPROTO);
}

static void spdm_test_parse_meas_rsp(struct kunit *test)
{
	/* 1.3 response: 8-byte header, 10-byte record, nonce, opaque 2 */
	u8 rsp[8 + 10 + 32 + 2 + 2 + 8 + 64] = {
		0x13, 0x60, 0, 0, 1, 10, 0, 0,
		1, 1, 6, 0, 0x86, 3, 0, '1', '.', '0',
	};
	struct spdm_meas_fields f;

	rsp[8 + 10 + 32] = 2;
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x13, 64, true, rsp,
						  sizeof(rsp), &f), 0);
	KUNIT_EXPECT_EQ(test, f.record_len, 10);
	KUNIT_EXPECT_EQ(test, f.nonce, 18);
	KUNIT_EXPECT_EQ(test, f.opaque_len, 2);
	KUNIT_EXPECT_EQ(test, f.context, 54);
	KUNIT_EXPECT_EQ(test, f.sig, 62);
	KUNIT_EXPECT_EQ(test, f.len, sizeof(rsp));

	/* Unsigned 1.2: no context, no signature */
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x12, 64, false, rsp, 54,
						  &f), 0);
	KUNIT_EXPECT_EQ(test, f.len, 54);

	/* Truncated signature, truncated record, huge opaque data */
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x13, 64, true, rsp,
						  sizeof(rsp) - 1, &f), -EIO);
	rsp[5] = 0xff;
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x13, 64, true, rsp,
						  sizeof(rsp), &f), -EIO);
	rsp[5] = 10;
	rsp[8 + 10 + 32 + 1] = 0x10;
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x13, 64, true, rsp,
						  sizeof(rsp), &f), -EPROTO);
	KUNIT_EXPECT_EQ(test, spdm_parse_meas_rsp(0x13, 64, true, rsp, 7, &f),
			-EIO);
}

/*
 * spdm_transfer_retry() against a scripted device: each call of the fake
 * transport returns the next response and records the request.
 */
#define SPDM_SCRIPT_MAX	8

struct spdm_script_msg {
	u8 data[24];
	size_t len;
};

#define SPDM_T(...)	{ .data = { __VA_ARGS__ }, \
			  .len = sizeof((u8[]){ __VA_ARGS__ }) }

struct spdm_script {
	const struct spdm_script_msg *rsp;
	unsigned int nr_rsp;
	unsigned int calls;
	struct spdm_header req[SPDM_SCRIPT_MAX];
	size_t req_sz[SPDM_SCRIPT_MAX];
	u32 seq[SPDM_SCRIPT_MAX];	/* ChunkSeqNo of CHUNK_GET */
	u8 msg[32];			/* the final response */
};

static ssize_t spdm_script_xfer(struct spdm_state *spdm_state,
				const void *req, size_t req_sz, void *rsp,
				size_t rsp_sz)
{
	struct spdm_script *sc = spdm_state->transport_priv;
	unsigned int i = sc->calls++;

	if (i >= sc->nr_rsp || i >= SPDM_SCRIPT_MAX ||
	    sc->rsp[i].len > rsp_sz)
		return -EIO;
	memcpy(&sc->req[i], req, sizeof(sc->req[i]));
	sc->req_sz[i] = req_sz;
	if (req_sz >= 8)
		sc->seq[i] = get_unaligned_le32((const u8 *)req + 4);
	else if (req_sz >= 6)
		sc->seq[i] = get_unaligned_le16((const u8 *)req + 4);
	memcpy(rsp, sc->rsp[i].data, sc->rsp[i].len);
	return sc->rsp[i].len;
}

/* ERROR(Busy), ERROR(ResponseNotReady) for HEARTBEAT, HEARTBEAT_ACK */
#define SPDM_T_BUSY	SPDM_T(0x12, SPDM_ERROR, SPDM_ERR_BUSY, 0)
#define SPDM_T_NOT_READY(code) \
	SPDM_T(0x12, SPDM_ERROR, SPDM_ERR_RESPONSE_NOT_READY, 0, \
	       0 /* RDTExponent */, code, 7 /* Token */, 1 /* RDTM */)
#define SPDM_T_ACK	SPDM_T(0x12, SPDM_HEARTBEAT_ACK, 0, 0)

static const struct spdm_header spdm_script_req = {
	.version = 0x12, .code = SPDM_HEARTBEAT,
};

/* A device of SPDM 1.2 with CHUNK_CAP; one per test */
static struct spdm_state *spdm_script_state(struct kunit *test)
{
	struct spdm_state *spdm_state = test->priv;

	if (spdm_state)
		return spdm_state;
	spdm_state = kunit_kzalloc(test, sizeof(*spdm_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spdm_state);
	spdm_state->dev = kunit_device_register(test, "spdm-retry");
	KUNIT_ASSERT_FALSE(test, IS_ERR(spdm_state->dev));
	spdm_state->version = 0x12;
	spdm_state->rsp_caps = SPDM_CHUNK_CAP;
	spdm_state->transport_sz = 64;
	test->priv = spdm_state;
	return spdm_state;
}

static ssize_t spdm_run_script(struct kunit *test, struct spdm_script *sc,
			       const struct spdm_script_msg *rsp,
			       unsigned int nr_rsp)
{
	struct spdm_state *spdm_state = spdm_script_state(test);

	*sc = (struct spdm_script){ .rsp = rsp, .nr_rsp = nr_rsp };
	spdm_state->transport_priv = sc;
	return spdm_transfer_retry(spdm_state, spdm_script_xfer,
				   &spdm_script_req, sizeof(spdm_script_req),
				   sc->msg, sizeof(sc->msg));
}

static void spdm_test_retry_busy(struct kunit *test)
{
	static const struct spdm_script_msg rsp[] = {
		SPDM_T_BUSY, SPDM_T_BUSY, SPDM_T_ACK,
	};
	struct spdm_script sc;

	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, rsp,
					      ARRAY_SIZE(rsp)), 4);
	KUNIT_EXPECT_EQ(test, sc.calls, 3);
	KUNIT_EXPECT_EQ(test, sc.req[2].code, SPDM_HEARTBEAT);
}

static void spdm_test_retry_busy_forever(struct kunit *test)
{
	static const struct spdm_script_msg rsp[] = {
		SPDM_T_BUSY, SPDM_T_BUSY, SPDM_T_BUSY, SPDM_T_BUSY,
		SPDM_T_BUSY, SPDM_T_ACK,
	};
	struct spdm_script sc;

	/* the last ERROR(Busy) is returned for the caller to report */
	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, rsp,
					      ARRAY_SIZE(rsp)), 4);
	KUNIT_EXPECT_EQ(test, sc.calls, 4);
	KUNIT_EXPECT_EQ(test, sc.msg[2], SPDM_ERR_BUSY);
}

static void spdm_test_retry_not_ready(struct kunit *test)
{
	static const struct spdm_script_msg rsp[] = {
		SPDM_T_NOT_READY(SPDM_HEARTBEAT),
		SPDM_T_NOT_READY(SPDM_HEARTBEAT), SPDM_T_ACK,
	};
	struct spdm_script sc;

	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, rsp,
					      ARRAY_SIZE(rsp)), 4);
	KUNIT_ASSERT_EQ(test, sc.calls, 3);
	KUNIT_EXPECT_EQ(test, sc.req[1].code, SPDM_RESPOND_IF_READY);
	KUNIT_EXPECT_EQ(test, sc.req[1].param1, SPDM_HEARTBEAT);
	KUNIT_EXPECT_EQ(test, sc.req[1].param2, 7);
	KUNIT_EXPECT_EQ(test, sc.req[2].code, SPDM_RESPOND_IF_READY);
}

/*
 * A ResponseNotReady whose wait would pass the authentication deadline ends
 * the exchange at once, named as the deadline's doing; one that fits waits.
 */
static void spdm_test_not_ready_deadline(struct kunit *test)
{
	static const struct spdm_script_msg rsp[] = {
		SPDM_T(0x12, SPDM_ERROR, SPDM_ERR_RESPONSE_NOT_READY, 0,
		       20 /* RDTExponent: about 1 s */, SPDM_HEARTBEAT, 7, 1),
		SPDM_T_ACK,
	};
	static const struct spdm_script_msg quick[] = {
		SPDM_T_NOT_READY(SPDM_HEARTBEAT), SPDM_T_ACK,
	};
	struct spdm_state *spdm_state = spdm_script_state(test);
	struct spdm_script sc;

	spdm_state->deadline = jiffies + msecs_to_jiffies(100);
	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, rsp,
					      ARRAY_SIZE(rsp)), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, sc.calls, 1);
	KUNIT_EXPECT_TRUE(test, spdm_state->deadline_hit);

	spdm_state->deadline_hit = false;
	spdm_state->deadline = jiffies + msecs_to_jiffies(10000);
	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, quick,
					      ARRAY_SIZE(quick)), 4);
	KUNIT_EXPECT_FALSE(test, spdm_state->deadline_hit);
}

static void spdm_test_retry_not_ready_bad(struct kunit *test)
{
	static const struct spdm_script_msg other[] = {
		SPDM_T_NOT_READY(SPDM_GET_VERSION), SPDM_T_ACK,
	};
	static const struct spdm_script_msg forever[] = {
		SPDM_T_NOT_READY(SPDM_HEARTBEAT),
		SPDM_T_NOT_READY(SPDM_HEARTBEAT),
		SPDM_T_NOT_READY(SPDM_HEARTBEAT),
		SPDM_T_NOT_READY(SPDM_HEARTBEAT),
		SPDM_T_NOT_READY(SPDM_HEARTBEAT), SPDM_T_ACK,
	};
	struct spdm_script sc;

	/* ResponseNotReady naming another request */
	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, other,
					      ARRAY_SIZE(other)), -EIO);
	KUNIT_EXPECT_EQ(test, sc.calls, 1);

	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, forever,
					      ARRAY_SIZE(forever)), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, sc.calls, 5);
}

/*
 * A 10-byte HEARTBEAT_ACK (4 bytes of header, 6 of payload) announced
 * with ERROR(LargeResponse, handle 5), in chunks of 4, 4 and 2 bytes:
 * CHUNK_RESPONSE header, ChunkSeqNo, Reserved, ChunkSize,
 * [LargeMessageSize], chunk.
 */
#define SPDM_T_LARGE	SPDM_T(0x12, SPDM_ERROR, SPDM_ERR_LARGE_RESPONSE, 0, 5)
#define SPDM_T_CHUNK0(attr, handle, large) \
	SPDM_T(0x12, SPDM_CHUNK_RESPONSE, attr, handle, 0, 0, 0, 0, \
	       4, 0, 0, 0, large, 0, 0, 0, 0x12, SPDM_HEARTBEAT_ACK, 0, 0)
#define SPDM_T_CHUNK(attr, handle, seq, size, ...) \
	SPDM_T(0x12, SPDM_CHUNK_RESPONSE, attr, handle, seq, 0, 0, 0, \
	       size, 0, 0, 0, __VA_ARGS__)

static void spdm_test_chunk_get(struct kunit *test)
{
	static const struct spdm_script_msg rsp[] = {
		SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
		SPDM_T_CHUNK(0, 5, 1, 4, 1, 2, 3, 4),
		SPDM_T_CHUNK(1, 5, 2, 2, 5, 6),
	};
	static const u8 msg[] = { 0x12, SPDM_HEARTBEAT_ACK, 0, 0,
				  1, 2, 3, 4, 5, 6 };
	struct spdm_script sc;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, rsp,
					      ARRAY_SIZE(rsp)), sizeof(msg));
	KUNIT_EXPECT_MEMEQ(test, sc.msg, msg, sizeof(msg));
	KUNIT_ASSERT_EQ(test, sc.calls, 4);
	for (i = 1; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, sc.req[i].code, SPDM_CHUNK_GET);
		KUNIT_EXPECT_EQ(test, sc.req[i].param2, 5);
		KUNIT_EXPECT_EQ(test, sc.seq[i], i - 1);
	}
}

/* A transport error is not a LargeResponse, whatever the buffer holds */
static void spdm_test_chunk_transport_error(struct kunit *test)
{
	static const u8 stale[] = { 0x12, SPDM_ERROR, SPDM_ERR_LARGE_RESPONSE,
				    0, 5 };
	struct spdm_state *spdm_state = spdm_script_state(test);
	struct spdm_script sc = {};

	memcpy(sc.msg, stale, sizeof(stale));
	spdm_state->transport_priv = &sc;
	KUNIT_EXPECT_EQ(test, spdm_transfer_retry(spdm_state, spdm_script_xfer,
						  &spdm_script_req,
						  sizeof(spdm_script_req),
						  sc.msg, sizeof(sc.msg)),
			-EIO);
	KUNIT_EXPECT_EQ(test, sc.calls, 1);
}

struct spdm_chunk_case {
	const char *name;
	struct spdm_script_msg rsp[4];
	int rc;
};

static const struct spdm_chunk_case spdm_chunk_cases[] = {
	{ "other handle", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
			    SPDM_T_CHUNK(0, 6, 1, 4, 1, 2, 3, 4) }, -EPROTO },
	{ "other seq", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
			 SPDM_T_CHUNK(0, 5, 2, 4, 1, 2, 3, 4) }, -EPROTO },
	{ "size lie", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 11),
			SPDM_T_CHUNK(0, 5, 1, 4, 1, 2, 3, 4),
			SPDM_T_CHUNK(1, 5, 2, 2, 5, 6) }, -EPROTO },
	{ "no LastChunk", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
			    SPDM_T_CHUNK(0, 5, 1, 4, 1, 2, 3, 4),
			    SPDM_T_CHUNK(0, 5, 2, 2, 5, 6) }, -EPROTO },
	{ "early LastChunk", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
			       SPDM_T_CHUNK(1, 5, 1, 4, 1, 2, 3, 4) },
	  -EPROTO },
	{ "ChunkSize overflow", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
				  SPDM_T_CHUNK(0, 5, 1, 8, 1, 2, 3, 4) },
	  -EPROTO },
	{ "ChunkSize 0", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 10),
			   SPDM_T_CHUNK(0, 5, 1, 0) }, -EPROTO },
	{ "beyond LargeMessageSize", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 6),
				       SPDM_T_CHUNK(1, 5, 1, 4, 1, 2, 3, 4) },
	  -EPROTO },
	{ "larger than the buffer", { SPDM_T_LARGE, SPDM_T_CHUNK0(0, 5, 33) },
	  -EMSGSIZE },
	{ "truncated", { SPDM_T_LARGE, SPDM_T(0x12, SPDM_CHUNK_RESPONSE, 0, 5,
					      0, 0, 0, 0, 4) }, -EIO },
};

static void spdm_chunk_case_desc(const struct spdm_chunk_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_chunk, spdm_chunk_cases, spdm_chunk_case_desc);

static void spdm_test_chunk_get_bad(struct kunit *test)
{
	const struct spdm_chunk_case *c = test->param_value;
	struct spdm_script sc;
	unsigned int n = 0;

	while (n < ARRAY_SIZE(c->rsp) && c->rsp[n].len)
		n++;
	KUNIT_EXPECT_EQ(test, spdm_run_script(test, &sc, c->rsp, n), c->rc);
}

/*
 * SPDM 1.4: CHUNK_GET is 8 bytes with a 32-bit ChunkSeqNo, and the
 * reserved bytes after CHUNK_RESPONSE's ChunkSeqNo became its upper half.
 */
static ssize_t spdm_run_script14(struct kunit *test, struct spdm_script *sc,
				 u8 version, u8 seq_hi)
{
	const struct spdm_script_msg rsp[] = {
		SPDM_T(version, SPDM_ERROR, SPDM_ERR_LARGE_RESPONSE, 0, 5),
		SPDM_T(version, SPDM_CHUNK_RESPONSE, 0, 5, 0, 0, 0, 0,
		       4, 0, 0, 0, 6, 0, 0, 0, version, SPDM_HEARTBEAT_ACK,
		       0, 0),
		SPDM_T(version, SPDM_CHUNK_RESPONSE, 1, 5, 1, 0, seq_hi, 0,
		       2, 0, 0, 0, 1, 2),
	};
	const struct spdm_header req = {
		.version = version, .code = SPDM_HEARTBEAT,
	};
	struct spdm_state *spdm_state = spdm_script_state(test);

	spdm_state->version = version;
	*sc = (struct spdm_script){ .rsp = rsp, .nr_rsp = ARRAY_SIZE(rsp) };
	spdm_state->transport_priv = sc;
	return spdm_transfer_retry(spdm_state, spdm_script_xfer, &req,
				   sizeof(req), sc->msg, sizeof(sc->msg));
}

static void spdm_test_chunk_get_14(struct kunit *test)
{
	static const u8 msg[] = { 0x14, SPDM_HEARTBEAT_ACK, 0, 0, 1, 2 };
	struct spdm_script sc;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, spdm_run_script14(test, &sc, 0x14, 0),
			sizeof(msg));
	KUNIT_EXPECT_MEMEQ(test, sc.msg, msg, sizeof(msg));
	KUNIT_ASSERT_EQ(test, sc.calls, 3);
	for (i = 1; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, sc.req[i].code, SPDM_CHUNK_GET);
		KUNIT_EXPECT_EQ(test, sc.req_sz[i], 8);
		KUNIT_EXPECT_EQ(test, sc.seq[i], i - 1);
	}
	/* ChunkSeqNo 0x10001 is not chunk 1 */
	KUNIT_EXPECT_EQ(test, spdm_run_script14(test, &sc, 0x14, 1), -EPROTO);
	/* up to 1.3 those bytes are reserved: ignored; CHUNK_GET is 6 bytes */
	KUNIT_EXPECT_EQ(test, spdm_run_script14(test, &sc, 0x13, 1),
			sizeof(msg));
	KUNIT_EXPECT_EQ(test, sc.req_sz[1], 6);
}

static struct kunit_case spdm_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_select_version, spdm_version_gen_params),
	KUNIT_CASE(spdm_test_combined_prefix),
	KUNIT_CASE_PARAM(spdm_test_parse_algs_structs, spdm_algs_gen_params),
	KUNIT_CASE(spdm_test_parse_challenge),
	KUNIT_CASE_PARAM(spdm_test_check_meas_record, spdm_meas_gen_params),
	KUNIT_CASE(spdm_test_meas_digest),
	KUNIT_CASE(spdm_test_parse_meas_rsp),
	KUNIT_CASE(spdm_test_retry_busy),
	KUNIT_CASE(spdm_test_retry_busy_forever),
	KUNIT_CASE(spdm_test_retry_not_ready),
	KUNIT_CASE(spdm_test_retry_not_ready_bad),
	KUNIT_CASE(spdm_test_not_ready_deadline),
	KUNIT_CASE(spdm_test_chunk_get),
	KUNIT_CASE(spdm_test_chunk_transport_error),
	KUNIT_CASE_PARAM(spdm_test_chunk_get_bad, spdm_chunk_gen_params),
	KUNIT_CASE(spdm_test_chunk_get_14),
	{}
};

static struct kunit_suite spdm_test_suite = {
	.name = "spdm",
	.test_cases = spdm_test_cases,
};

kunit_test_suite(spdm_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests for the SPDM requester");
MODULE_LICENSE("GPL");
