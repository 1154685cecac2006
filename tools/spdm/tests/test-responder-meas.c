// SPDX-License-Identifier: GPL-2.0
/*
 * Measurement tests of the spdm-responder binary: GET_MEASUREMENTS for
 * SPDM 1.0-1.3 and three algorithm sets (count, all, every index, signed
 * and unsigned), each MEASUREMENTS checked field by field against the
 * measurements file the test wrote, and every signature verified with
 * the leaf key over an L1/L2 this test keeps itself (1.2+: VCA ||
 * measurement exchanges since the last signed one; 1.0/1.1 without the
 * VCA; any other request or ERROR starts over), with negative controls
 * so that a wrong transcript rule cannot pass.  Then the
 * MeasurementSummaryHash of CHALLENGE_AUTH, MeasurementHashAlgo
 * selection, MEAS_CAP variants, the file reload ("firmware update")
 * with MeasurementContentChanged, ResponseNotReady, sizes, invalid
 * requests, every meas-* misbehaviour and the command line.
 *
 * Usage: test-responder-meas [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "measurements.h"
#include "tap.h"

#define TIMEOUT_S		5
#define NR_VERSIONS		4
#define MEAS_CONTEXT		"responder-measurements signing"
#define CHANGED			0x10	/* MeasurementContentChanged 01b */
#define UNCHANGED		0x20	/* 10b */

static const uint8_t versions[NR_VERSIONS] = { 0x10, 0x11, 0x12, 0x13 };

static const struct mkcert certs[] = {
	{ "ecdsa-p256", { "--algo", "ecdsa-p256", NULL } },
	{ "ecdsa-p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	{ "rsa-2048", { "--algo", "rsa-2048", NULL } },
};

/* A measurement as the test expects it. */
struct mblock {
	uint8_t index, type;
	bool raw;
	const char *content;	/* text; NULL: @bytes */
	uint8_t bytes[8];
	size_t len;
};

struct model {
	const struct mblock *b;	/* ascending index */
	unsigned int n;
};

/* Measurements file A and what it means. */
static const char meas_a[] =
	"# device A: measurements for the tests\n"
	"1 immutable-rom digest 726f6d2076312e30   # \"rom v1.0\"\n"
	"2\tmutable-firmware   digest 6669726d776172652076312e30\n"
	"\n"
	"7 4 raw 6d616e6966657374\n"
	"3 hardware-config digest 0011223344\n"
	"0x10 100 digest 01\n"
	"5 firmware-version raw 312E302E30\n";

static const struct mblock model_a_blocks[] = {
	{ 1, 0, false, "rom v1.0", { 0 }, 0 },
	{ 2, 1, false, "firmware v1.0", { 0 }, 0 },
	{ 3, 2, false, NULL, { 0x00, 0x11, 0x22, 0x33, 0x44 }, 5 },
	{ 5, 6, true, "1.0.0", { 0 }, 0 },
	{ 7, 4, true, "manifest", { 0 }, 0 },
	{ 16, 100, false, NULL, { 0x01 }, 1 },
};

static const struct model model_a = { model_a_blocks, 6 };

/* What the responder has built in (see its --help). */
static const struct mblock builtin_blocks[] = {
	{ 1, 0, false, "spdm-responder immutable ROM", { 0 }, 0 },
	{ 2, 1, false, "spdm-responder firmware 1.0.0", { 0 }, 0 },
	{ 3, 2, false, "spdm-responder hardware configuration", { 0 }, 0 },
	{ 4, 6, true, "1.0.0", { 0 }, 0 },
};

static const struct model model_builtin = { builtin_blocks, 4 };

/* The reload device's file: three generations. */
static const struct mblock reload1_blocks[] = {
	{ 1, 0, false, "boot rom", { 0 }, 0 },
	{ 2, 1, false, "firmware 1", { 0 }, 0 },
};

static const struct mblock reload2_blocks[] = {
	{ 1, 0, false, "boot rom", { 0 }, 0 },
	{ 2, 1, false, "firmware 2", { 0 }, 0 },
	{ 9, 7, true, "2", { 0 }, 0 },
};

static const struct mblock reload3_blocks[] = {
	{ 2, 1, false, "firmware 3", { 0 }, 0 },
};

static const struct model model_r1 = { reload1_blocks, 2 };
static const struct model model_r2 = { reload2_blocks, 3 };
static const struct model model_r3 = { reload3_blocks, 1 };

/* The devices, one --port each; %1$s is the temporary directory. */
enum dev {
	D_SET0, D_SET1, D_SET2, D_BUILTIN, D_RELOAD, D_COUNT64, D_COUNT254,
	D_SMALL, D_RAWONLY, D_NOSIG, D_NONE, D_NOCERTS, D_NOCERTS_MEAS,
	D_SLOTS, D_NR, D_BUSY,
	M_BADSIG, M_INDEX, M_DUP, M_LEN, M_EXTRA, M_RECLEN, M_SPEC, M_SUMMARY,
	M_WN_NONCE, M_WN_CTX, M_WT_VCA, M_WT_PREFIX, M_WT_LAST,
	NR_DEVS
};

#define P256	"certs=%1$s/ecdsa-p256"
#define MEAS_A	"meas=%1$s/meas-a.txt"
static const char *const dev_spec[NR_DEVS] = {
	[D_SET0] = "0:" P256 ":" MEAS_A,
	[D_SET1] = "0:certs=%1$s/ecdsa-p384:" MEAS_A ":meas-hash=sha384,sha512",
	[D_SET2] = "0:certs=%1$s/rsa-2048:" MEAS_A ":meas-hash=sha256",
	[D_BUILTIN] = "0:" P256,
	[D_RELOAD] = "0:" P256 ":meas=%1$s/reload.txt",
	[D_COUNT64] = "0:" P256 ":meas-count=64",
	[D_COUNT254] = "0:" P256 ":meas-count=254",
	[D_SMALL] = "0:" P256 ":meas-count=64:data-transfer-size=256",
	[D_RAWONLY] = "0:" P256 ":" MEAS_A ":meas-hash=raw",
	[D_NOSIG] = "0:" P256 ":" MEAS_A ":meas-cap=nosig",
	[D_NONE] = "0:" P256 ":meas=none",
	[D_NOCERTS] = "0",
	[D_NOCERTS_MEAS] = "0:meas=builtin",
	[D_SLOTS] = "0:" P256 ":slots=0,3:" MEAS_A,
	[D_NR] = "0:" P256 ":" MEAS_A ":misbehave=error=0x42@0xe0",
	[D_BUSY] = "0:" P256 ":" MEAS_A ":misbehave=busy-once@0xe0",
	[M_BADSIG] = "0:" P256 ":" MEAS_A ":misbehave=meas-bad-sig",
	[M_INDEX] = "0:" P256 ":" MEAS_A ":misbehave=meas-index-mismatch",
	[M_DUP] = "0:" P256 ":" MEAS_A ":misbehave=meas-dup-index",
	[M_LEN] = "0:" P256 ":" MEAS_A ":misbehave=meas-len-lie",
	[M_EXTRA] = "0:" P256 ":" MEAS_A ":misbehave=meas-extra-block",
	[M_RECLEN] = "0:" P256 ":" MEAS_A ":misbehave=meas-record-len-lie",
	[M_SPEC] = "0:" P256 ":" MEAS_A ":misbehave=meas-bad-spec",
	[M_SUMMARY] = "0:" P256 ":" MEAS_A ":misbehave=meas-summary-mismatch",
	[M_WN_NONCE] = "0:" P256 ":" MEAS_A ":misbehave=meas-wrong-nonce=nonce",
	[M_WN_CTX] = "0:" P256 ":" MEAS_A ":misbehave=meas-wrong-nonce=context",
	[M_WT_VCA] = "0:" P256 ":" MEAS_A ":misbehave=meas-wrong-transcript",
	[M_WT_PREFIX] = "0:" P256 ":" MEAS_A
			":misbehave=meas-wrong-transcript=prefix",
	[M_WT_LAST] = "0:" P256 ":" MEAS_A
		      ":misbehave=meas-wrong-transcript=last-only",
};

/* The algorithm sets of the matrix. */
static const struct algset {
	enum dev dev;
	const char *name;
	uint32_t asym, hash;	/* offered */
	uint32_t meas_hash;	/* MeasurementHashAlgo expected */
} sets[] = {
	{ D_SET0, "ECDSA P-256, SHA-256, measurements SHA-256", RQ_ECDSA_P256,
	  RQ_SHA256, RQ_MEAS_HASH_SHA256 },
	{ D_SET1, "ECDSA P-384, SHA-384, measurements SHA-384", RQ_ECDSA_P384,
	  RQ_SHA384, RQ_MEAS_HASH_SHA384 },
	{ D_SET2, "RSASSA-2048, SHA-512, measurements SHA-256", RQ_RSASSA_2048,
	  RQ_SHA512, RQ_MEAS_HASH_SHA256 },
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-meas-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */
static struct msg l1;		/* this test's L1: exchanges since signed */

/* ---- measurements files ------------------------------------------- */


/* The meas= file for @md ("INDEX TYPE FORMAT HEX" lines). */
static int write_model(const char *name, const struct model *md)
{
	char text[4096];
	size_t used = 0, i, j, len;
	const uint8_t *p;

	for (i = 0; i < md->n; i++) {
		const struct mblock *b = &md->b[i];

		p = b->content ? (const uint8_t *)b->content : b->bytes;
		len = b->content ? strlen(b->content) : b->len;
		used += snprintf(text + used, sizeof(text) - used, "%u %u %s ",
				 b->index, b->type, b->raw ? "raw" : "digest");
		for (j = 0; j < len; j++)
			used += snprintf(text + used, sizeof(text) - used,
					 "%02x", p[j]);
		used += snprintf(text + used, sizeof(text) - used, "\n");
	}
	return harness_write_file(&run, name, text);
}

/* ---- requester helpers ------------------------------------------------ */

static struct rq_opts opts(uint8_t version, uint32_t asym, uint32_t hash)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.version = version;
	o.asym = asym;
	o.hash = hash;
	return o;
}

static struct rq *open_dev(enum dev d, const struct rq_opts *o)
{
	msg_reset(&l1);
	if (rq_open(&rq, port[d], o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	return &rq;
}

/* VCA, and with @chains the digests and every provisioned chain. */
static struct rq *connect_dev(enum dev d, const struct rq_opts *o, bool chains)
{
	struct rq *r = open_dev(d, o);
	unsigned int s;

	if (!r)
		return NULL;
	if (rq_vca(r) || (chains && rq_get_digests(r)))
		goto fail;
	for (s = 0; chains && s < RQ_SLOTS; s++)
		if ((r->provisioned & (1U << s)) && rq_get_certificate(r, s))
			goto fail;
	msg_reset(&l1);
	return r;
fail:
	printf("# device %d SPDM %x: %s\n", d, o->version, r->err);
	rq_close(r);
	return NULL;
}

/* Send a raw request, expect ERROR(@code) back; an ERROR ends L1. */
static bool expect_error(struct rq *r, const uint8_t *req, size_t len,
			 uint8_t code)
{
	msg_reset(&l1);
	return rq_expect_error(r, req, len, code);
}

/*
 * The signed transcript as this test understands DSP0274: 1.2+ VCA,
 * then L1 (the unsigned exchanges since the last signed MEASUREMENTS),
 * then this request and response without the signature.
 */
static int build_l2(struct rq *r, const struct rq_meas *m, bool vca,
		    const struct msg *prev, struct msg *t)
{
	msg_init(t);
	if ((vca && msg_put(t, r->a.data, r->a.len)) ||
	    msg_put(t, prev->data, prev->len) ||
	    msg_put(t, m->req, m->req_len) ||
	    msg_put(t, r->rsp, m->signed_len)) {
		msg_free(t);
		return -1;
	}
	return 0;
}

/*
 * GET_MEASUREMENTS through the careful requester; this test keeps L1:
 * an unsigned exchange is appended, a signed one verified against it
 * and L1 starts over; a failed exchange starts over too.
 */
static int meas(struct rq *r, uint8_t attrs, uint8_t op, uint8_t slot,
		struct rq_meas *m)
{
	struct msg t;
	int ret;

	if (rq_get_measurements(r, attrs, op, slot, NULL, m)) {
		msg_reset(&l1);
		return -1;
	}
	if (!m->sig) {
		if (msg_put(&l1, m->req, m->req_len) ||
		    msg_put(&l1, r->rsp, m->signed_len))
			return -1;
		return 0;
	}
	if (build_l2(r, m, r->version >= 0x12, &l1, &t))
		return -1;
	ret = rq_verify_transcript(r, slot, MEAS_CONTEXT, t.data, t.len, m->sig);
	msg_free(&t);
	msg_reset(&l1);
	if (ret)
		snprintf(r->err, sizeof(r->err),
			 "MEASUREMENTS signature does not verify (SPDM %x.%x)",
			 r->version >> 4, r->version & 0xf);
	return ret;
}

/* Whether @sig of @m verifies over some other transcript (must not). */
static bool verifies_over(struct rq *r, const struct rq_meas *m, bool vca,
			  const struct msg *prev)
{
	struct msg t;
	bool ok;

	if (!m->sig)			/* the exchange failed already */
		return false;
	if (build_l2(r, m, vca, prev, &t))
		return true;
	ok = !rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data, t.len, m->sig);
	msg_free(&t);
	return ok;
}

static const uint8_t *mblock_data(const struct mblock *b, size_t *len)
{
	*len = b->content ? strlen(b->content) : b->len;
	return b->content ? (const uint8_t *)b->content : b->bytes;
}

/* Append @b as the DMTF block the responder must send. */
static int model_block(struct rq *r, const struct mblock *b, bool raw,
		       struct msg *out)
{
	uint8_t hdr[7], value[64];
	const uint8_t *content;
	size_t len;

	content = mblock_data(b, &len);
	raw = raw || b->raw || r->meas_hash == RQ_MEAS_HASH_RAW;
	if (!raw) {
		if (rq_hash(r->meas_hash >> 1, content, len, value))
			return -1;
		content = value;
		len = r->meas_hash_len;
	}
	hdr[0] = b->index;
	hdr[1] = 0x01;
	hdr[2] = (len + 3) & 0xff;
	hdr[3] = (len + 3) >> 8;
	hdr[4] = b->type | (raw ? RQ_MEAS_TYPE_RAW : 0);
	hdr[5] = len & 0xff;
	hdr[6] = len >> 8;
	return msg_put(out, hdr, sizeof(hdr)) ?: msg_put(out, content, len);
}

/* The blocks of @m must be those of @md (all, or the one of index @op). */
static bool blocks_match(struct rq *r, const struct rq_meas *m,
			 const struct model *md, uint8_t op, bool raw)
{
	unsigned int i, n = 0;
	struct msg want;
	bool ok = true;

	for (i = 0; i < md->n; i++) {
		if (op != RQ_MEAS_OP_ALL && md->b[i].index != op)
			continue;
		msg_init(&want);
		if (n >= m->nr_blocks || model_block(r, &md->b[i], raw, &want) ||
		    want.len != m->block[n].block_len ||
		    memcmp(want.data, m->block[n].block, want.len)) {
			printf("# block %u (index %u) is not as expected\n", n,
			       md->b[i].index);
			if (n < m->nr_blocks)
				tap_hex("got ", m->block[n].block,
					m->block[n].block_len);
			tap_hex("want", want.data, want.len);
			ok = false;
		}
		msg_free(&want);
		n++;
	}
	if (n != m->nr_blocks) {
		printf("# %u blocks, expected %u\n", m->nr_blocks, n);
		ok = false;
	}
	return ok;
}

/* MeasurementSummaryHash of @md as DSP0274 and the responder's help say. */
static int model_summary(struct rq *r, const struct model *md, uint8_t type,
			 uint8_t *out)
{
	struct msg all;
	unsigned int i;
	int ret = 0;

	msg_init(&all);
	for (i = 0; i < md->n && !ret; i++)
		if (type == RQ_SUMMARY_ALL || md->b[i].type <= 1)
			ret = model_block(r, &md->b[i], false, &all);
	ret = ret ?: rq_hash(r->hash, all.data, all.len, out);
	msg_free(&all);
	return ret;
}

/* CHALLENGE with a summary @type; it must be that of @md. */
static bool summary_ok(struct rq *r, const struct model *md, uint8_t type)
{
	uint8_t got[64], want[64];

	if (rq_challenge_summary(r, 0, type, NULL, got)) {
		printf("# CHALLENGE summary type 0x%02x: %s\n", type, r->err);
		return false;
	}
	msg_reset(&l1);			/* CHALLENGE is another request */
	if (model_summary(r, md, type, want))
		return false;
	if (memcmp(got, want, r->hash_len)) {
		printf("# MeasurementSummaryHash type 0x%02x differs\n", type);
		tap_hex("got ", got, r->hash_len);
		tap_hex("want", want, r->hash_len);
		return false;
	}
	return true;
}

#define MEAS_OK(r, attrs, op, m) do {					\
	if (meas(r, attrs, op, 0, m)) {					\
		printf("# %s:%d: GET_MEASUREMENTS 0x%02x op 0x%02x: %s\n", \
		       __FILE__, __LINE__, attrs, op, (r)->err);	\
		tap_fail = 1;						\
	}								\
} while (0)

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	if (harness_write_file(&run, "meas-a.txt", meas_a) ||
	    write_model("reload.txt", &model_r1)) {
		printf("Bail out! cannot write to %s\n", run.tmpdir);
		exit(1);
	}
	harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/*
 * One version and algorithm set: count, all (signed), each index
 * (signed), an unsigned sequence then a signed one, RawBitStreamRequested,
 * the summary hashes; every block and signature checked.
 */
static int t_matrix(long arg)
{
	const struct algset *s = &sets[arg % ARRAY_SIZE(sets)];
	uint8_t v = versions[arg / ARRAY_SIZE(sets)];
	struct rq_opts o = opts(v, s->asym, s->hash);
	bool raw_ok = v >= 0x12;
	struct rq_meas m;
	struct msg prev;
	unsigned int i;
	struct rq *r;

	r = connect_dev(s->dev, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(RQ_MEAS_CAP(r->rsp_flags), 2);
	CHECK_EQ(r->meas_spec, 0x01);
	CHECK_EQ(r->meas_hash, s->meas_hash);

	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, model_a.n);
	CHECK_EQ(m.param2, 0);

	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, false));
	CHECK_EQ(m.total, 0);
	CHECK_EQ(m.param2, v >= 0x12 ? UNCHANGED : 0);
	/* negative controls: the other version's VCA rule does not verify */
	msg_init(&prev);
	CHECK(!verifies_over(r, &m, v < 0x12, &prev));

	for (i = 0; i < model_a.n; i++) {
		MEAS_OK(r, RQ_MEAS_SIG, model_a.b[i].index, &m);
		CHECK(blocks_match(r, &m, &model_a, model_a.b[i].index, false));
	}

	/* unsigned count, index 1 and all (raw from 1.2), then signed 2 */
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	MEAS_OK(r, 0, 1, &m);
	CHECK(blocks_match(r, &m, &model_a, 1, false));
	MEAS_OK(r, RQ_MEAS_RAW, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, raw_ok));
	if (msg_put(&prev, l1.data, l1.len))
		return 1;
	MEAS_OK(r, RQ_MEAS_SIG | RQ_MEAS_RAW, 2, &m);
	CHECK(blocks_match(r, &m, &model_a, 2, raw_ok));
	/* without the unsigned exchanges it must not verify */
	prev.len -= 1;
	CHECK(!verifies_over(r, &m, v >= 0x12, &prev));
	msg_reset(&prev);
	CHECK(!verifies_over(r, &m, v >= 0x12, &prev));
	msg_free(&prev);

	/* summary hashes: TCB = immutable ROM + mutable firmware, all */
	CHECK(summary_ok(r, &model_a, RQ_SUMMARY_ALL));
	CHECK(summary_ok(r, &model_a, RQ_SUMMARY_TCB));
	CHECK(!rq_challenge(r, 0, NULL));
	/* and measurements go on after CHALLENGE */
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	rq_close(r);
	return 0;
}

/* Without meas= a device with certificates has the built-in set. */
static int t_builtin(long arg)
{
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA384);
	struct rq_meas m;
	struct rq *r;

	(void)arg;
	r = connect_dev(D_BUILTIN, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(RQ_MEAS_CAP(r->rsp_flags), 2);
	CHECK_EQ(r->meas_hash, RQ_MEAS_HASH_SHA384);
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, 4);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_builtin, RQ_MEAS_OP_ALL, false));
	CHECK(summary_ok(r, &model_builtin, RQ_SUMMARY_ALL));
	rq_close(r);
	return 0;
}

/*
 * L1/L2 rules: other requests and ERRORs start L1 over, a signed
 * response too; CHALLENGE M1 loses B after GET_MEASUREMENTS (before any
 * CHALLENGE completed) but not after one.
 */
static int t_transcript(long arg)
{
	uint8_t digests[4] = { 0, RQ_GET_DIGESTS, 0, 0 };
	uint8_t bad[12] = { 0, RQ_GET_MEASUREMENTS, 0, 4 };
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	struct rq_meas m;
	struct msg prev;
	struct rq *r;

	msg_init(&prev);
	r = connect_dev(D_SET0, &o, true);
	if (!r)
		return 1;
	/* GET_DIGESTS in between: L1 starts over */
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	if (msg_put(&prev, l1.data, l1.len))
		return 1;
	digests[0] = v;
	CHECK(!rq_xchg(r, digests, sizeof(digests)) && r->rsp[1] == RQ_DIGESTS);
	msg_reset(&l1);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(!verifies_over(r, &m, v >= 0x12, &prev));

	/* an ERROR in between (index 4 is not there): starts over */
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	msg_reset(&prev);
	if (msg_put(&prev, l1.data, l1.len))
		return 1;
	bad[0] = v;
	CHECK(expect_error(r, bad, v >= 0x13 ? 12 : 4, RQ_ERR_INVALID_REQUEST));
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(!verifies_over(r, &m, v >= 0x12, &prev));

	/* signed twice: the second L1/L2 holds only itself */
	MEAS_OK(r, RQ_MEAS_SIG, 1, &m);
	MEAS_OK(r, RQ_MEAS_SIG, 1, &m);
	rq_close(r);

	/* GET_MEASUREMENTS between GET_CERTIFICATE and CHALLENGE: B reset */
	r = connect_dev(D_SET0, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(r->b.len, 0);
	CHECK(!rq_challenge(r, 0, NULL));
	/* after a CHALLENGE: GET_DIGESTS, GET_MEASUREMENTS, CHALLENGE */
	CHECK(!rq_get_digests(r));
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK(r->b.len > 0);
	CHECK(!rq_challenge(r, 0, NULL));
	if (tap_fail)
		printf("# SPDM %x: %s\n", v, r->err);
	rq_close(r);
	msg_free(&prev);
	return 0;
}

/*
 * ResponseNotReady and Busy for every GET_MEASUREMENTS: L1 holds the
 * request that completes and its response, nothing is lost.
 */
static int t_retry(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	struct rq_meas m;
	struct rq *r;
	int i;

	for (i = 0; i < 2; i++) {
		r = connect_dev(i ? D_BUSY : D_NR, &o, true);
		if (!r)
			return 1;
		MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
		MEAS_OK(r, 0, 3, &m);
		MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
		CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, false));
		CHECK_EQ(i ? r->busy_seen : r->not_ready_seen, 3);
		rq_close(r);
	}
	return 0;
}

/* The meas= file replaced between requests: a firmware update. */
static int t_reload(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	uint8_t cc_changed = v >= 0x12 ? CHANGED : 0;
	uint8_t cc_same = v >= 0x12 ? UNCHANGED : 0;
	struct rq_meas m;
	struct rq *r;

	if (write_model("reload.txt", &model_r1))
		return 1;
	r = connect_dev(D_RELOAD, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_r1, RQ_MEAS_OP_ALL, false));
	/* update between unsigned and signed: ContentChanged, new values */
	CHECK(!write_model("reload.txt", &model_r2));
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_r2, RQ_MEAS_OP_ALL, false));
	CHECK_EQ(m.param2, cc_changed);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK_EQ(m.param2, cc_same);
	/* an unparsable file: the last measurements stay */
	CHECK(!harness_write_file(&run, "reload.txt", "1 immutable-rom digest 00\n2 0 nonsense 00\n"));
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, 3);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_r2, RQ_MEAS_OP_ALL, false));
	CHECK_EQ(m.param2, cc_same);
	/* CHALLENGE reads it too: summary of generation 3 */
	CHECK(!write_model("reload.txt", &model_r3));
	CHECK(summary_ok(r, &model_r3, RQ_SUMMARY_ALL));
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, 1);
	/* index 9 is gone */
	if (!meas(r, 0, 9, 0, &m) || r->error_code != RQ_ERR_INVALID_REQUEST) {
		printf("# index 9 after reload: %s\n", r->err);
		tap_fail = 1;
	}
	MEAS_OK(r, RQ_MEAS_SIG, 2, &m);
	CHECK(blocks_match(r, &m, &model_r3, 2, false));
	CHECK_EQ(m.param2, cc_same);
	rq_close(r);
	return 0;
}

/* meas-count: 64 blocks fit, 254 do not; DataTransferSize 256. */
static int t_count(long arg)
{
	uint8_t all[12] = { 0, RQ_GET_MEASUREMENTS, 0, RQ_MEAS_OP_ALL };
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	uint8_t too_large = v >= 0x12 ? RQ_ERR_TOO_LARGE : RQ_ERR_UNSPECIFIED;
	size_t len = v >= 0x13 ? 12 : 4;
	struct rq_meas m;
	struct rq *r;

	all[0] = v;
	r = connect_dev(D_COUNT64, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, 64);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK_EQ(m.nr_blocks, 64);
	CHECK_EQ(m.block[63].index, 64);
	CHECK_EQ(m.block[0].type, 0);
	CHECK_EQ(m.block[5].type, 1);
	MEAS_OK(r, RQ_MEAS_SIG, 64, &m);
	rq_close(r);

	r = connect_dev(D_COUNT254, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
	CHECK_EQ(m.total, 254);
	MEAS_OK(r, RQ_MEAS_SIG, 254, &m);
	CHECK(expect_error(r, all, len, too_large));
	if (v >= 0x12)
		CHECK_EQ(r->rsp_len, 8);
	rq_close(r);

	r = connect_dev(D_SMALL, &o, true);
	if (!r)
		return 1;
	CHECK(expect_error(r, all, len, too_large));
	MEAS_OK(r, 0, 7, &m);
	rq_close(r);
	return 0;
}

/* MeasurementHashAlgo: raw bit streams only; the strongest otherwise. */
static int t_hash_select(long arg)
{
	struct rq_opts o = opts(0x13, RQ_ECDSA_P256, RQ_SHA256);
	struct rq_meas m;
	struct rq *r;

	(void)arg;
	r = connect_dev(D_RAWONLY, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(r->meas_hash, RQ_MEAS_HASH_RAW);
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, true));
	CHECK(summary_ok(r, &model_a, RQ_SUMMARY_TCB));
	rq_close(r);

	/* sha384,sha512 and a SHA-256 base hash: the strongest, SHA-512 */
	o.asym = RQ_ECDSA_P384;
	r = connect_dev(D_SET1, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(r->meas_hash, RQ_MEAS_HASH_SHA512);
	MEAS_OK(r, RQ_MEAS_SIG, 3, &m);
	CHECK(blocks_match(r, &m, &model_a, 3, false));
	rq_close(r);
	return 0;
}

/* MEAS_CAP 01b, none at all, and devices without certificates. */
static int t_meas_cap(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	uint8_t req[48] = { v, RQ_GET_MEASUREMENTS, RQ_MEAS_SIG, 1 };
	uint8_t chal[44] = { v, RQ_CHALLENGE, 0, RQ_SUMMARY_TCB };
	size_t sig_len = 36 + (v >= 0x11) + (v >= 0x13 ? 8 : 0);
	struct rq_meas m;
	struct rq *r;

	r = connect_dev(D_NOSIG, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(RQ_MEAS_CAP(r->rsp_flags), 1);
	MEAS_OK(r, 0, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, false));
	CHECK(expect_error(r, req, sig_len, RQ_ERR_INVALID_REQUEST));
	CHECK(summary_ok(r, &model_a, RQ_SUMMARY_TCB));
	rq_close(r);

	r = connect_dev(D_NONE, &o, true);
	if (!r)
		return 1;
	CHECK_EQ(RQ_MEAS_CAP(r->rsp_flags), 0);
	req[2] = 0;
	CHECK(expect_error(r, req, v >= 0x13 ? 12 : 4, RQ_ERR_UNSUPPORTED));
	CHECK_EQ(r->rsp[3], RQ_GET_MEASUREMENTS);
	CHECK(expect_error(r, chal, v >= 0x13 ? 44 : 36, RQ_ERR_INVALID_REQUEST));
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);

	r = connect_dev(D_NOCERTS, &o, false);
	if (!r)
		return 1;
	CHECK_EQ(r->rsp_flags & 0x1e, 0);
	CHECK(expect_error(r, req, v >= 0x13 ? 12 : 4, RQ_ERR_UNSUPPORTED));
	rq_close(r);

	r = connect_dev(D_NOCERTS_MEAS, &o, false);
	if (!r)
		return 1;
	CHECK_EQ(r->rsp_flags & 0x1e, 0x08);	/* MEAS_CAP 01b only */
	MEAS_OK(r, 0, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_match(r, &m, &model_builtin, RQ_MEAS_OP_ALL, false));
	rq_close(r);
	return 0;
}

/* Malformed and impossible requests: the right ERROR, nothing else. */
static int t_invalid(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_ECDSA_P256, RQ_SHA256);
	uint8_t req[64] = { v, RQ_GET_MEASUREMENTS, 0, RQ_MEAS_OP_COUNT };
	uint8_t algs[32] = { v, RQ_NEGOTIATE_ALGS, 0, 0, 32, 0 };
	size_t base = v >= 0x13 ? 12 : 4;
	size_t sig_len = 36 + (v >= 0x11) + (v >= 0x13 ? 8 : 0);
	struct rq_meas m;
	struct rq *r;

	/* before ALGORITHMS; without a MeasurementSpecification offered */
	r = open_dev(D_SET0, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r) && !rq_get_capabilities(r));
	CHECK(expect_error(r, req, base, RQ_ERR_UNEXPECTED));
	algs[8] = RQ_ECDSA_P256;
	algs[12] = RQ_SHA256;
	CHECK(!rq_xchg(r, algs, sizeof(algs)) && r->rsp[1] == RQ_ALGORITHMS);
	CHECK_EQ(r->rsp[6], 0);
	CHECK_EQ(r->rsp[8] | r->rsp[9] | r->rsp[10] | r->rsp[11], 0);
	CHECK(expect_error(r, req, base, RQ_ERR_UNEXPECTED));
	rq_close(r);

	r = connect_dev(D_SLOTS, &o, true);
	if (!r)
		return 1;
	/* lengths: 4 more bytes, 1.3 without RequesterContext, 1.0 vs 1.1 */
	req[base] = 0x55;
	CHECK(expect_error(r, req, base + 4, RQ_ERR_INVALID_REQUEST));
	req[base] = 0;
	if (v >= 0x13)
		CHECK(expect_error(r, req, 4, RQ_ERR_INVALID_REQUEST));
	req[2] = RQ_MEAS_SIG;
	CHECK(expect_error(r, req, v == 0x10 ? 37 : 36 + (v >= 0x13),
			   RQ_ERR_INVALID_REQUEST));
	/* slots: 3 provisioned; 0xF no public key; 1 and 9 not there */
	if (v >= 0x11) {
		req[36] = 0x0f;
		CHECK(expect_error(r, req, sig_len, RQ_ERR_INVALID_REQUEST));
		req[36] = 1;
		CHECK(expect_error(r, req, sig_len, RQ_ERR_INVALID_REQUEST));
		req[36] = 9;
		CHECK(expect_error(r, req, sig_len, RQ_ERR_INVALID_REQUEST));
		if (meas(r, RQ_MEAS_SIG, 1, 3, &m)) {
			printf("# slot 3: %s\n", r->err);
			tap_fail = 1;
		}
		CHECK_EQ(m.param2 & 0x0f, 3);
		req[36] = 0;
	}
	/* indices that are not there */
	req[2] = 0;
	req[3] = 4;
	CHECK(expect_error(r, req, base, RQ_ERR_INVALID_REQUEST));
	req[3] = 0xfe;
	CHECK(expect_error(r, req, base, RQ_ERR_INVALID_REQUEST));
	/* another version */
	req[0] = v == 0x12 ? 0x13 : 0x12;
	req[3] = 1;
	CHECK(expect_error(r, req, req[0] >= 0x13 ? 12 : 4,
			   RQ_ERR_VERSION_MISMATCH));
	/* RawBitStreamRequested before 1.2 is reserved: ignored */
	MEAS_OK(r, RQ_MEAS_RAW | RQ_MEAS_SIG, 1, &m);
	CHECK(blocks_match(r, &m, &model_a, 1, v >= 0x12));
	rq_close(r);
	return 0;
}

/* Each misbehaviour: the defect the requester must see. */
struct mb_case {
	enum dev dev;
	uint8_t attrs, op;	/* the request that shows it */
	const char *why;	/* substrings of the failure, '|' between */
	bool only_13;		/* shows in 1.3 only */
};

static const struct mb_case mb_cases[] = {
	{ M_BADSIG, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, "signature does not verify", false },
	{ M_INDEX, 0, 2, "block Index 3 (NumberOfBlocks 1), requested index 2", false },
	{ M_DUP, 0, RQ_MEAS_OP_ALL, "duplicate block Index 1", false },
	{ M_LEN, 0, 1, "block 1 MeasurementSize", false },
	{ M_EXTRA, 0, RQ_MEAS_OP_ALL, "more blocks than NumberOfBlocks", false },
	{ M_RECLEN, 0, RQ_MEAS_OP_ALL, "truncated|OpaqueDataLength", false },
	{ M_SPEC, RQ_MEAS_SIG, 5, "MeasurementSpecification 0x02, negotiated 0x01", false },
	{ M_WN_NONCE, RQ_MEAS_SIG, 1, "signature does not verify", false },
	{ M_WN_CTX, 0, 1, "RequesterContext is not ours", true },
	{ M_WT_VCA, RQ_MEAS_SIG, RQ_MEAS_OP_COUNT, "signature does not verify", false },
	{ M_WT_PREFIX, RQ_MEAS_SIG, 1, "signature does not verify", false },
};

/* Whether r->err contains one of the '|'-separated @alternatives. */
static bool failed_with_any(const struct rq *r, const char *alternatives)
{
	char copy[256], *item, *save = NULL;

	snprintf(copy, sizeof(copy), "%s", alternatives);
	for (item = strtok_r(copy, "|", &save); item;
	     item = strtok_r(NULL, "|", &save))
		if (rq_failed_with(r, item))
			return true;
	return false;
}

static int t_misbehave(long arg)
{
	const struct mb_case *c = &mb_cases[arg];
	struct rq_meas m;
	unsigned int v;
	struct rq_opts o;
	struct rq *r;
	bool shows;
	int ret;

	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA256);
		r = connect_dev(c->dev, &o, true);
		if (!r)
			return 1;
		shows = !c->only_13 || versions[v] >= 0x13;
		ret = meas(r, c->attrs, c->op, 0, &m);
		if (shows ? !ret || !failed_with_any(r, c->why) : ret) {
			printf("# SPDM %x: %s (expected %s)\n", versions[v],
			       ret ? r->err : "success",
			       shows ? c->why : "success");
			tap_fail = 1;
		}
		rq_close(r);
	}
	return 0;
}

/* meas-summary-mismatch: CHALLENGE_AUTH verifies, its summary does not. */
static int t_mb_summary(long arg)
{
	uint8_t got[64], want[64];
	struct rq_opts o;
	struct rq_meas m;
	unsigned int v;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA256);
		r = connect_dev(M_SUMMARY, &o, true);
		if (!r)
			return 1;
		CHECK(!rq_challenge_summary(r, 0, RQ_SUMMARY_ALL, NULL, got));
		CHECK(!model_summary(r, &model_a, RQ_SUMMARY_ALL, want));
		CHECK(memcmp(got, want, r->hash_len));
		/* the blocks themselves are right */
		MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
		CHECK(blocks_match(r, &m, &model_a, RQ_MEAS_OP_ALL, false));
		rq_close(r);
	}
	return 0;
}

/* meas-wrong-transcript=last-only: shows only after unsigned requests. */
static int t_mb_last_only(long arg)
{
	struct rq_opts o;
	struct rq_meas m;
	unsigned int v;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA256);
		r = connect_dev(M_WT_LAST, &o, true);
		if (!r)
			return 1;
		MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
		MEAS_OK(r, 0, RQ_MEAS_OP_COUNT, &m);
		if (!meas(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, &m) ||
		    !rq_failed_with(r, "signature does not verify")) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		rq_close(r);
	}
	return 0;
}

/* Misbehaviour controls: a request the switch does not touch is fine. */
static int t_mb_controls(long arg)
{
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA256);
	struct rq_meas m;
	struct rq *r;

	(void)arg;
	r = connect_dev(M_INDEX, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	rq_close(r);
	r = connect_dev(M_BADSIG, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, RQ_MEAS_OP_ALL, &m);
	rq_close(r);
	r = connect_dev(M_WN_NONCE, &o, true);
	if (!r)
		return 1;
	MEAS_OK(r, 0, 1, &m);
	rq_close(r);
	return 0;
}

/* Measurement files that do not parse: where and why. */
static int t_file_errors(long arg)
{
	static const struct {
		const char *text, *why;
	} cases[] = {
		{ "1 immutable-rom digest\n", ":1: expected INDEX TYPE FORMAT VALUE" },
		{ "# c\n1 0 raw 00 01\n", ":2: expected INDEX TYPE FORMAT VALUE" },
		{ "0 immutable-rom digest 00\n", ":1: index '0' is not 1-254" },
		{ "255 0 digest 00\n", ":1: index '255'" },
		{ "0x1g 0 digest 00\n", ":1: index '0x1g'" },
		{ "1 rom digest 00\n", ":1: type 'rom'" },
		{ "1 128 digest 00\n", ":1: type '128'" },
		{ "1 0 hash 00\n", ":1: format 'hash'" },
		{ "1 0 raw 0\n", ":1: value of 1 hex digits" },
		{ "1 0 raw 0g\n", ":1: value: 'g' is not a hex digit" },
		{ "1 0 raw 00\n\n1 1 raw 00\n", ":3: index 1 already given on line 1" },
		{ "# nothing\n\n", ": no measurements" },
	};
	struct spdm_meas_set set;
	char path[PATH_MAX], err[512];
	size_t i;

	(void)arg;
	snprintf(path, sizeof(path), "%s/bad.txt", run.tmpdir);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		if (harness_write_file(&run, "bad.txt", cases[i].text) ||
		    !spdm_meas_load_file(path, &set, err, sizeof(err)) ||
		    !strstr(err, cases[i].why) || strncmp(err, path, strlen(path))) {
			printf("# case %zu: '%s', expected '%s'\n", i, err,
			       cases[i].why);
			tap_fail = 1;
		}
	}
	snprintf(path, sizeof(path), "%s/meas-a.txt", run.tmpdir);
	CHECK(!spdm_meas_load_file(path, &set, err, sizeof(err)));
	CHECK_EQ(set.count, model_a.n);
	CHECK_EQ(set.block[5].index, 16);
	CHECK_EQ(set.block[5].type, 100);
	spdm_meas_set_free(&set);
	return 0;
}

static int t_cli(long arg)
{
	char c[PATH_MAX + 16], bad[PATH_MAX + 16], none[PATH_MAX + 16];
	char out[PATH_MAX + 16];
	char *const usage[][6] = {
		{ run.responder, "--meas-count", "0", NULL },
		{ run.responder, "--meas-count", "255", NULL },
		{ run.responder, "--meas-hash", "md5", NULL },
		{ run.responder, "--meas-cap", "maybe", NULL },
		{ run.responder, "--port", "0:meas-count=x", NULL },
		{ run.responder, "--port", "0:meas=", NULL },
		{ run.responder, "--misbehave", "meas-wrong-transcript=no-b", NULL },
		{ run.responder, "--misbehave", "meas-bad-sig=1", NULL },
	};
	char *const fails[][8] = {
		{ run.responder, "--certs", c, "--meas", bad, "--port", "0", NULL },
		{ run.responder, "--certs", c, "--meas", none, "--port", "0", NULL },
		{ run.responder, "--meas-cap", "sig", "--port", "0", NULL },
	};
	size_t i;
	int st;

	(void)arg;
	snprintf(c, sizeof(c), "%s/ecdsa-p256", run.tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad.txt", run.tmpdir);
	snprintf(none, sizeof(none), "%s/nothing.txt", run.tmpdir);
	snprintf(out, sizeof(out), "%s/cli.log", run.tmpdir);
	for (i = 0; i < ARRAY_SIZE(usage); i++) {
		st = run_status(usage[i], out, true);
		if (st != 2)
			printf("# %s %s: exit %d, expected 2\n", usage[i][1],
			       usage[i][2], st);
		CHECK_EQ(st, 2);
	}
	CHECK(!harness_write_file(&run, "bad.txt", "1 0 raw 00\n2 0 digest xyz\n"));
	for (i = 0; i < ARRAY_SIZE(fails); i++)
		CHECK_EQ(run_status(fails[i], out, true), 1);
	CHECK(file_has(out, "meas-cap=sig needs certificates"));
	st = run_status(fails[0], out, true);
	CHECK(file_has(out, "bad.txt:2: value of 3 hex digits"));
	CHECK_EQ(st, 1);
	return 0;
}

static int t_logged(long arg)
{
	static const char *const lines[] = {
		"misbehave meas-bad-sig", "misbehave meas-index-mismatch",
		"misbehave meas-dup-index", "misbehave meas-len-lie",
		"misbehave meas-extra-block", "misbehave meas-record-len-lie",
		"misbehave meas-bad-spec", "misbehave meas-summary-mismatch",
		"misbehave meas-wrong-nonce: signing another requester nonce",
		"misbehave meas-wrong-nonce: echoing another RequesterContext",
		"misbehave meas-wrong-transcript: signing L2 without the VCA",
		"misbehave meas-wrong-transcript: signing the last exchange only",
		"reload.txt: 3 blocks (change 1)",
		"reload.txt:2: format 'nonsense' is neither digest nor raw; keeping the last measurements",
		"rejected GET_MEASUREMENTS: measurement index 4 not present, ERROR InvalidRequest",
		"rejected GET_MEASUREMENTS: SignatureRequested, but MEAS_CAP is 01b",
		"rejected GET_MEASUREMENTS: no MeasurementSpecification negotiated",
		"rejected GET_MEASUREMENTS: SlotIDParam 0xF",
		"measurements file ", ", 6 blocks, MEAS_CAP with signature, MeasurementHashAlgo sha384,sha512",
		"measurements synthetic, 254 blocks",
		"measurements built-in, 4 blocks, MEAS_CAP without signature",
		"measurements none (no MEAS_CAP)",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static const char *mb_name(enum dev d)
{
	const char *p = strstr(dev_spec[d], "misbehave=");

	return p ? p + strlen("misbehave=") : "?";
}

static void build_tests(void)
{
	unsigned int v, s, i;

	add_test(t_start, 0, "mkcerts, measurements files, responder with %d devices",
		 NR_DEVS);
	for (v = 0; v < NR_VERSIONS; v++)
		for (s = 0; s < ARRAY_SIZE(sets); s++)
			add_test(t_matrix, v * ARRAY_SIZE(sets) + s,
				 "SPDM %x.%x %s: count, all, each index, unsigned then signed, summaries",
				 versions[v] >> 4, versions[v] & 0xf,
				 sets[s].name);
	add_test(t_builtin, 0, "built-in measurements without meas=");
	for (v = 0; v < NR_VERSIONS; v++) {
		add_test(t_transcript, v, "SPDM %x.%x: L1/L2 starts over after other requests, ERRORs, signatures; M1 B reset",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_retry, v, "SPDM %x.%x: ResponseNotReady, Busy: the completed request in L1",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_reload, v, "SPDM %x.%x: meas= file replaced: new values, MeasurementContentChanged, summary",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_count, v, "SPDM %x.%x: meas-count 64 and 254, DataTransferSize 256: too large",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_meas_cap, v, "SPDM %x.%x: MEAS_CAP 01b, meas=none, no certificates",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_invalid, v, "SPDM %x.%x: invalid GET_MEASUREMENTS: lengths, slots, indices, order",
			 versions[v] >> 4, versions[v] & 0xf);
	}
	add_test(t_hash_select, 0, "MeasurementHashAlgo: raw only; the strongest listed");
	for (i = 0; i < ARRAY_SIZE(mb_cases); i++)
		add_test(t_misbehave, i, "misbehave %s: detected in SPDM 1.0-1.3",
			 mb_name(mb_cases[i].dev));
	add_test(t_mb_summary, 0, "misbehave meas-summary-mismatch: summary differs, signature fine");
	add_test(t_mb_last_only, 0, "misbehave meas-wrong-transcript=last-only: after unsigned exchanges");
	add_test(t_mb_controls, 0, "misbehaviours leave other requests alone");
	add_test(t_file_errors, 0, "measurements files: parse errors with line numbers");
	add_test(t_cli, 0, "command line: bad options 2, bad measurements 1");
	add_test(t_logged, 0, "misbehaviours, reloads and rejections logged");
	add_test(harness_sigterm, TIMEOUT_S * 1000, "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	int ret;

	log_level = LOG_QUIET;
	ret = harness_main(&run, argc, argv, build_tests, &tap_fail);
	msg_free(&l1);
	return ret;
}
