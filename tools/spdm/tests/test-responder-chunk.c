// SPDX-License-Identifier: GPL-2.0
/*
 * Large-response tests of the spdm-responder binary (SPDM 1.2+
 * CHUNK_CAP, ERROR(LargeResponse), CHUNK_GET / CHUNK_RESPONSE): 64
 * SHA-512 measurement blocks (some 4.7 KB of MEASUREMENTS) fetched in
 * chunks by requesters with DataTransferSize 4096, 1024 and 42, every
 * chunk checked by the independent requester and the reassembled
 * response checked block by block and by its signature over an L1/L2
 * this test keeps (so CHUNK_GETs must not disturb it).  The smallest
 * DataTransferSize chunks ALGORITHMS, DIGESTS, CHALLENGE_AUTH and
 * KEY_EXCHANGE_RSP too, proving the VCA, M1/M2 and TH; chunks in a
 * session.  Then requesters without CHUNK_CAP, MaxSPDMmsgSize limits,
 * invalid CHUNK_GETs, the chunk-* misbehaviours, the default
 * (no max-msg-size: no CHUNK_CAP, bit for bit as before), the command
 * line and the log.
 *
 * Usage: test-responder-chunk [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).
 */
#define _GNU_SOURCE
#include <limits.h>


#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "tap.h"

#define TIMEOUT_S		5
#define MEAS_CONTEXT		"responder-measurements signing"
#define NR_BLOCKS		64
#define DTS			4096
#define MAX_MSG			65536
#define CAPS_LEN		20
#define CHUNK_HDR		12
#define CHUNK_SIZE_LEN		4

static const uint8_t versions[] = { 0x12, 0x13 };

static const struct mkcert certs[] = {
	{ "ecdsa-p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
};

enum dev {
	D_CHUNK, D_DEFAULT, D_OURS_SMALL, D_SMALL_MAX,
	M_HANDLE, M_SEQ, M_SIZE, M_NO_LAST, M_OVERFLOW, M_OTHER_CODE,
	NR_DEVS
};

#define BIG	"0:certs=%1$s/ecdsa-p384:meas-count=64:meas-hash=sha512"
#define CHUNK	BIG ":max-msg-size=65536"
static const char *const dev_spec[NR_DEVS] = {
	[D_CHUNK] = CHUNK,
	[D_DEFAULT] = BIG ":data-transfer-size=4096",
	[D_OURS_SMALL] = CHUNK ":data-transfer-size=1024",
	[D_SMALL_MAX] = BIG ":max-msg-size=4200",
	[M_HANDLE] = CHUNK ":misbehave=chunk-bad-handle",
	[M_SEQ] = CHUNK ":misbehave=chunk-bad-seq",
	[M_SIZE] = CHUNK ":misbehave=chunk-size-lie",
	[M_NO_LAST] = CHUNK ":misbehave=chunk-no-last",
	[M_OVERFLOW] = CHUNK ":misbehave=chunk-overflow",
	[M_OTHER_CODE] = CHUNK ":misbehave=chunk-bad-seq@0x81",
};

/* Who fetches how: device, DataTransferSize of requester and device. */
static const struct variant {
	enum dev dev;
	uint32_t dts, ours;
	const char *name;
} variants[] = {
	{ D_CHUNK, DTS, DTS, "both DataTransferSize 4096" },
	{ D_CHUNK, 1024, DTS, "requester DataTransferSize 1024" },
	{ D_OURS_SMALL, DTS, 1024, "responder DataTransferSize 1024" },
};

/* Each misbehaviour and what the requester must say about it. */
static const struct {
	enum dev dev;
	const char *defect;
} mb_cases[] = {
	{ M_HANDLE, "CHUNK_RESPONSE Handle" },
	{ M_SEQ, "CHUNK_RESPONSE ChunkSeqNo" },
	{ M_SIZE, "LastChunk after" },
	{ M_NO_LAST, "received without LastChunk" },
	{ M_OVERFLOW, "ChunkSize" },
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-chunk-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */
static struct msg l1;		/* this test's L1: exchanges since signed */

/* ---- requester helpers ------------------------------------------------ */

static struct rq_opts opts(uint8_t version, uint32_t dts, uint32_t flags)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.version = version;
	o.dts = dts;
	o.max_msg = flags & RQ_CAP_CHUNK ? MAX_MSG : 0;
	o.flags = flags;
	o.asym = RQ_ECDSA_P384;
	o.hash = RQ_SHA384;
	return o;
}

static struct rq *open_port(unsigned int p, const struct rq_opts *o)
{
	msg_reset(&l1);
	if (rq_open(&rq, p, o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	return &rq;
}

static struct rq *open_dev(enum dev d, const struct rq_opts *o)
{
	return open_port(port[d], o);
}

/* VCA, digests and the chain of slot 0. */
static struct rq *connect_port(unsigned int p, const struct rq_opts *o)
{
	struct rq *r = open_port(p, o);

	if (!r)
		return NULL;
	if (rq_vca(r) || rq_get_digests(r) || rq_get_certificate(r, 0)) {
		printf("# port %u SPDM %x: %s\n", p, o->version, r->err);
		rq_close(r);
		return NULL;
	}
	return r;
}

static struct rq *connect_dev(enum dev d, const struct rq_opts *o)
{
	return connect_port(port[d], o);
}

/* Send a raw request, expect ERROR(@code) back; an ERROR ends L1. */
static bool expect_error(struct rq *r, const uint8_t *req, size_t len,
			 uint8_t code)
{
	msg_reset(&l1);
	return rq_expect_error(r, req, len, code);
}

/* CHUNK_GET (@s: in that session) must get ERROR(@code). */
static bool chunk_get_error(struct rq *r, struct rq_session *s,
			    uint8_t handle, uint16_t seq, uint8_t code)
{
	if (rq_chunk_get(r, s, handle, seq) || r->rsp[1] != RQ_ERROR ||
	    r->rsp[2] != code) {
		printf("# CHUNK_GET handle %u seq %u: %s %02x %02x, expected ERROR 0x%02x\n",
		       handle, seq, r->err, r->rsp[1], r->rsp[2], code);
		return false;
	}
	return true;
}

/* One GET_MEASUREMENTS, in the clear (fully checked) or in session @s. */
static int meas_xchg(struct rq *r, struct rq_session *s, uint8_t attrs,
		     uint8_t op, struct rq_meas *m)
{
	bool sig = attrs & RQ_MEAS_SIG;

	if (!s)
		return rq_get_measurements(r, attrs, op, 0, NULL, m);
	if (rq_meas_request(r, attrs, op, 0, NULL, m) ||
	    rq_secured(r, s, m->req, m->req_len, RQ_MEASUREMENTS))
		return -1;
	m->signed_len = r->rsp_len - (sig ? r->sig_len : 0);
	m->sig = sig ? r->rsp + m->signed_len : NULL;
	return 0;
}

/* Whether @m's signature verifies over VCA || @prev || @m (no signature). */
static bool verifies(struct rq *r, const struct rq_meas *m,
		     const uint8_t *prev, size_t prev_len)
{
	struct msg t;
	bool ok;

	msg_init(&t);
	ok = !msg_put(&t, r->a.data, r->a.len) &&
	     !msg_put(&t, prev, prev_len) &&
	     !msg_put(&t, m->req, m->req_len) &&
	     !msg_put(&t, r->rsp, m->signed_len) &&
	     !rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data, t.len, m->sig);
	msg_free(&t);
	return ok;
}

/*
 * GET_MEASUREMENTS; this test keeps L1: an unsigned exchange is
 * appended, a signed one verified over VCA || L1 || it, then L1 starts
 * over (1.2+).
 */
static int meas(struct rq *r, struct rq_session *s, uint8_t attrs,
		uint8_t op, struct rq_meas *m)
{
	bool ok;

	if (meas_xchg(r, s, attrs, op, m)) {
		msg_reset(&l1);
		return -1;
	}
	if (!m->sig)
		return msg_put(&l1, m->req, m->req_len) ||
		       msg_put(&l1, r->rsp, m->signed_len) ? -1 : 0;
	ok = verifies(r, m, l1.data, l1.len);
	msg_reset(&l1);
	if (!ok)
		snprintf(r->err, sizeof(r->err),
			 "MEASUREMENTS signature does not verify over L2");
	return ok ? 0 : -1;
}

#define MEAS_OK(r, s, attrs, op, m) do {				\
	if (meas(r, s, attrs, op, m)) {					\
		printf("# %s:%d: GET_MEASUREMENTS 0x%02x op 0x%02x: %s\n", \
		       __FILE__, __LINE__, attrs, op, (r)->err);	\
		tap_fail = 1;						\
	}								\
} while (0)

/* The 64 synthetic blocks: SHA-512 of "measurement I", types cycling. */
static bool blocks_ok(const struct rq_meas *m)
{
	uint8_t want[64];
	char text[32];
	unsigned int i;
	int len;

	if (m->nr_blocks != NR_BLOCKS) {
		printf("# %u blocks, expected %d\n", m->nr_blocks, NR_BLOCKS);
		return false;
	}
	for (i = 0; i < NR_BLOCKS; i++) {
		len = snprintf(text, sizeof(text), "measurement %u", i + 1);
		if (rq_hash(RQ_SHA512, text, len, want) ||
		    m->block[i].index != i + 1 || m->block[i].type != i % 4 ||
		    m->block[i].value_len != 64 ||
		    memcmp(m->block[i].value, want, 64)) {
			printf("# block %u is not as expected\n", i + 1);
			return false;
		}
	}
	return true;
}

/* Start a session on @r; on failure say why and close @r. */
static bool session_ok(struct rq *r, struct rq_session *s)
{
	if (!rq_session_start(r, s, 0))
		return true;
	printf("# session: %s\n", r->err);
	rq_close(r);
	return false;
}

/* END_SESSION, then close @r. */
static void session_end(struct rq *r, struct rq_session *s)
{
	CHECK(!rq_end_session(r, s));
	rq_session_free(s);
	rq_close(r);
}

/* CHUNK_RESPONSEs for @len bytes when a message holds @d bytes. */
static unsigned int chunks_for(size_t len, size_t d)
{
	size_t first = d - CHUNK_HDR - CHUNK_SIZE_LEN;

	if (len <= first)
		return 1;
	return 1 + (len - first + d - CHUNK_HDR - 1) / (d - CHUNK_HDR);
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/* GET_VERSION and GET_CAPABILITIES of @d in @v; CAPABILITIES to @caps. */
static int caps_of(enum dev d, uint8_t v, uint8_t *caps)
{
	struct rq_opts o = opts(v, DTS, RQ_CAP_CHUNK);
	struct rq *r = open_dev(d, &o);

	if (!r)
		return -1;
	if (rq_get_version(r) || rq_get_capabilities(r)) {
		printf("# device %d SPDM %x: %s\n", d, v, r->err);
		rq_close(r);
		return -1;
	}
	memcpy(caps, r->rsp, CAPS_LEN);
	rq_close(r);
	return 0;
}

/*
 * Without max-msg-size nothing changes: no CHUNK_CAP, MaxSPDMmsgSize =
 * DataTransferSize, a large response is ResponseTooLarge even for a
 * requester with CHUNK_CAP.  With it: CHUNK_CAP and MaxSPDMmsgSize only.
 */
static int t_default(long arg)
{
	uint8_t v = versions[arg], def[CAPS_LEN], chunk[CAPS_LEN];
	struct rq_opts o = opts(v, DTS, RQ_CAP_CHUNK);
	struct rq_meas m;
	struct rq *r;

	if (caps_of(D_DEFAULT, v, def) || caps_of(D_CHUNK, v, chunk))
		return 1;
	CHECK_EQ(get_le32(def + 8) & RQ_CAP_CHUNK, 0);
	CHECK_EQ(get_le32(def + 12), DTS);
	CHECK_EQ(get_le32(def + 16), DTS);
	CHECK_EQ(get_le32(chunk + 8), get_le32(def + 8) | RQ_CAP_CHUNK);
	CHECK_EQ(get_le32(chunk + 16), MAX_MSG);
	CHECK_MEM(chunk, 8, def, 8);
	CHECK_MEM(chunk + 12, 4, def + 12, 4);

	r = connect_dev(D_DEFAULT, &o);
	if (!r)
		return 1;
	CHECK(meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	CHECK_EQ(r->rsp_len, 8);
	CHECK(get_le32(r->rsp + 4) > DTS);
	MEAS_OK(r, NULL, RQ_MEAS_SIG, 7, &m);
	rq_close(r);
	return 0;
}

/*
 * Unsigned all (chunked), unsigned index 1 (not), signed all (chunked):
 * every chunk checked, the blocks, the signature over VCA || L1 || it,
 * and not over L1 without the first exchange.
 */
static int t_chunked(long arg)
{
	const struct variant *va = &variants[arg % ARRAY_SIZE(variants)];
	uint8_t v = versions[arg / ARRAY_SIZE(variants)];
	struct rq_opts o = opts(v, va->dts, RQ_CAP_CHUNK);
	size_t d = va->dts < va->ours ? va->dts : va->ours, first;
	struct rq_meas m;
	struct msg prev;
	struct rq *r;

	r = connect_dev(va->dev, &o);
	if (!r)
		return 1;
	CHECK(r->rsp_flags & RQ_CAP_CHUNK);
	CHECK_EQ(r->rsp_max_msg, MAX_MSG);
	msg_init(&prev);
	MEAS_OK(r, NULL, 0, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_ok(&m));
	CHECK_EQ(r->large_len, r->rsp_len);
	CHECK_EQ(r->chunks, chunks_for(r->large_len, d));
	first = l1.len;
	MEAS_OK(r, NULL, 0, 1, &m);
	CHECK(!msg_put(&prev, l1.data, l1.len));
	MEAS_OK(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_ok(&m));
	CHECK_EQ(r->chunks, chunks_for(r->large_len, d));
	printf("# MEASUREMENTS of %zu bytes in %u chunks\n", r->large_len,
	       r->chunks);
	CHECK(m.sig && !verifies(r, &m, prev.data + first, prev.len - first));
	msg_free(&prev);
	rq_close(r);
	return 0;
}

/*
 * Requester DataTransferSize 42: ALGORITHMS, DIGESTS, CHALLENGE_AUTH,
 * MEASUREMENTS and KEY_EXCHANGE_RSP come in chunks; the VCA, M1, L2
 * and TH1 signatures verify over the whole messages.
 */
static int t_tiny(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, 42, RQ_CAP_CHUNK | RQ_CAP_SESSION);
	struct rq_session s;
	struct rq_meas m;
	struct rq *r;

	o.alg_structs = 4;
	r = open_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK_EQ(r->large_len, 36 + 4 * 4);		/* ALGORITHMS */
	CHECK(!rq_get_digests(r));
	CHECK_EQ(r->large_len, 4 + r->hash_len);
	CHECK(!rq_get_certificate(r, 0));
	r->large_len = 0;
	CHECK(!rq_challenge(r, 0, NULL));
	CHECK(r->large_len > 42);			/* CHALLENGE_AUTH */
	MEAS_OK(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(blocks_ok(&m));
	CHECK_EQ(r->chunks, chunks_for(r->large_len, 42));
	r->large_len = 0;
	if (!session_ok(r, &s))
		return 1;
	CHECK(r->large_len > 42);			/* KEY_EXCHANGE_RSP */
	MEAS_OK(r, &s, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK_EQ(r->chunks, chunks_for(r->large_len, 42));
	session_end(r, &s);
	return 0;
}

/*
 * In a session: secured CHUNK_GETs; the session's L1 survives them.  A
 * large response of the session cannot be fetched in the clear, nor
 * one of the clear in the session.
 */
static int t_session(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, 1024, RQ_CAP_CHUNK | RQ_CAP_SESSION);
	struct rq_session s;
	struct rq_meas m;
	struct rq *r;

	o.alg_structs = 4;
	r = connect_dev(D_CHUNK, &o);
	if (!r || !session_ok(r, &s))
		return 1;
	MEAS_OK(r, &s, 0, RQ_MEAS_OP_ALL, &m);
	CHECK(r->chunks > 4);
	MEAS_OK(r, &s, 0, 2, &m);
	MEAS_OK(r, &s, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK(r->chunks > 4);

	r->o.no_chunk_get = true;
	CHECK(!rq_meas_request(r, 0, RQ_MEAS_OP_ALL, 0, NULL, &m));
	CHECK(rq_secured(r, &s, m.req, m.req_len, RQ_MEASUREMENTS));
	CHECK_EQ(r->error_code, RQ_ERR_LARGE_RESPONSE);
	CHECK(chunk_get_error(r, NULL, r->rsp[4], 0, RQ_ERR_INVALID_REQUEST));
	CHECK(rq_request(r, m.req, m.req_len, RQ_MEASUREMENTS));
	CHECK_EQ(r->error_code, RQ_ERR_LARGE_RESPONSE);
	CHECK(chunk_get_error(r, &s, r->rsp[4], 0, RQ_ERR_INVALID_REQUEST));
	session_end(r, &s);
	return 0;
}

/*
 * No chunks: a requester without CHUNK_CAP, SPDM 1.1 (no CHUNK_CAP
 * announced), a response beyond our MaxSPDMmsgSize or the requester's.
 */
static int t_too_large(long arg)
{
	struct rq_opts o = opts(0x13, DTS, 0);
	struct rq_meas m;
	struct rq *r;

	(void)arg;
	r = connect_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(r->rsp_flags & RQ_CAP_CHUNK);
	CHECK(meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	rq_close(r);

	o = opts(0x11, DTS, 0);
	r = connect_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK_EQ(r->rsp_flags & RQ_CAP_CHUNK, 0);
	CHECK(meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m));
	CHECK_EQ(r->error_code, RQ_ERR_UNSPECIFIED);
	rq_close(r);

	o = opts(0x13, DTS, RQ_CAP_CHUNK);
	r = connect_dev(D_SMALL_MAX, &o);
	if (!r)
		return 1;
	CHECK_EQ(r->rsp_max_msg, 4200);
	CHECK(meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	MEAS_OK(r, NULL, RQ_MEAS_SIG, 3, &m);
	rq_close(r);

	o.max_msg = 4200;
	r = connect_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	rq_close(r);
	return 0;
}

/* A large MEASUREMENTS kept; its ERROR(LargeResponse) checked; Handle. */
static int large(struct rq *r)
{
	static struct rq_meas m;

	if (rq_meas_request(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL, &m))
		return -1;
	if (!rq_request(r, m.req, m.req_len, RQ_MEASUREMENTS) ||
	    r->error_code != RQ_ERR_LARGE_RESPONSE || r->rsp_len != 8 ||
	    r->rsp[0] != r->version || r->rsp[3] || r->rsp[5] || r->rsp[6] ||
	    r->rsp[7]) {
		printf("# expected ERROR LargeResponse: %s\n", r->err);
		tap_hex("got", r->rsp, r->rsp_len);
		return -1;
	}
	return r->rsp[4];
}

/* Fetch chunk @seq of @handle by hand; check its header. */
static bool chunk_ok(struct rq *r, int handle, uint16_t seq, bool last)
{
	size_t hdr = CHUNK_HDR + (seq ? 0 : CHUNK_SIZE_LEN);

	if (rq_chunk_get(r, NULL, handle, seq) || r->rsp_len < hdr ||
	    r->rsp[1] != RQ_CHUNK_RESPONSE || r->rsp[2] != last ||
	    r->rsp[3] != handle || r->rsp[4] != (seq & 0xff) ||
	    r->rsp[5] != seq >> 8 || r->rsp[6] || r->rsp[7] ||
	    (!last && get_le32(r->rsp + 8) != DTS - hdr)) {
		printf("# CHUNK_GET %d seq %u: %s\n", handle, seq, r->err);
		tap_hex("got", r->rsp, r->rsp_len < 16 ? r->rsp_len : 16);
		return false;
	}
	return true;
}

/*
 * Invalid CHUNK_GETs get InvalidRequest and end the transfer: nothing
 * pending, wrong Handle, wrong ChunkSeqNo, repeated chunk, another
 * request in between, bad length, after the last chunk.  Without
 * CHUNK_CAP: UnsupportedRequest.
 */
static int t_invalid(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, DTS, RQ_CAP_CHUNK);
	uint8_t cg[12] = { v, RQ_CHUNK_GET, 0, 0 };
	int h, h2;
	struct rq *r;

	o.no_chunk_get = true;
	r = connect_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(chunk_get_error(r, NULL, 0, 0, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	CHECK(h >= 0 &&
	      chunk_get_error(r, NULL, h + 1, 0, RQ_ERR_INVALID_REQUEST));
	CHECK(chunk_get_error(r, NULL, h, 0, RQ_ERR_INVALID_REQUEST));
	h2 = large(r);
	CHECK(h2 >= 0 && h2 != h);
	CHECK(chunk_get_error(r, NULL, h2, 1, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	CHECK(chunk_ok(r, h, 0, false));
	CHECK(chunk_get_error(r, NULL, h, 0, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	CHECK(!rq_get_digests(r));
	CHECK(chunk_get_error(r, NULL, h, 0, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	cg[3] = h;
	CHECK(expect_error(r, cg, 4, RQ_ERR_INVALID_REQUEST));
	CHECK(chunk_get_error(r, NULL, h, 0, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	cg[3] = h;
	CHECK(expect_error(r, cg, 12, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	cg[3] = h;
	cg[7] = 1;				/* DOE padding, not zero */
	CHECK(expect_error(r, cg, 8, RQ_ERR_INVALID_REQUEST));
	h = large(r);
	CHECK(chunk_ok(r, h, 0, false) && chunk_ok(r, h, 1, true));
	CHECK(chunk_get_error(r, NULL, h, 2, RQ_ERR_INVALID_REQUEST));
	rq_close(r);

	r = connect_dev(D_DEFAULT, &o);
	if (!r)
		return 1;
	CHECK(chunk_get_error(r, NULL, 0, 0, RQ_ERR_UNSUPPORTED));
	rq_close(r);
	return 0;
}

/* Each chunk-* misbehaviour: the careful requester names the defect. */
static int t_misbehave(long arg)
{
	enum dev d = mb_cases[arg].dev;
	struct rq_opts o = opts(0x13, DTS, RQ_CAP_CHUNK);
	struct rq_meas m;
	struct rq *r;

	r = connect_dev(d, &o);
	if (!r)
		return 1;
	if (!meas_xchg(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m) ||
	    !rq_failed_with(r, mb_cases[arg].defect)) {
		printf("# expected '%s', got '%s'\n", mb_cases[arg].defect,
		       r->err);
		tap_fail = 1;
	}
	if (d == M_NO_LAST)
		CHECK(chunk_get_error(r, NULL, r->rsp[3], r->chunks + 1,
				      RQ_ERR_INVALID_REQUEST));
	MEAS_OK(r, NULL, RQ_MEAS_SIG, 5, &m);	/* one message: fine */
	rq_close(r);
	return 0;
}

/* chunk-bad-seq@0x81: only large DIGESTS would be spoilt. */
static int t_mb_other_code(long arg)
{
	struct rq_opts o = opts(0x12, DTS, RQ_CAP_CHUNK);
	struct rq_meas m;
	struct rq *r;

	(void)arg;
	r = connect_dev(M_OTHER_CODE, &o);
	if (!r)
		return 1;
	MEAS_OK(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
	CHECK_EQ(r->chunks, 2);
	rq_close(r);
	return 0;
}

/* --max-msg-size for every device: CHUNK_CAP, chunks. */
static int t_global(long arg)
{
	static const char *const extra[] = {
		"--max-msg-size", "8192", "--data-transfer-size", "2048", NULL,
	};
	char spec[PATH_MAX * 2], pfile[PATH_MAX], lfile[PATH_MAX];
	const char *specs[1] = { spec };
	struct rq_opts o = opts(0x13, DTS, RQ_CAP_CHUNK);
	unsigned int p;
	pid_t pid = -1;
	struct rq_meas m;
	struct rq *r;
	int st;

	(void)arg;
	snprintf(spec, sizeof(spec), BIG, run.tmpdir);
	snprintf(pfile, sizeof(pfile), "%s/ports2", run.tmpdir);
	snprintf(lfile, sizeof(lfile), "%s/log2", run.tmpdir);
	if (start_responder(run.responder, specs, 1, extra, pfile, lfile, &p,
			    &pid, &st)) {
		dump_file(lfile, "responder log");
		return 1;
	}
	r = connect_port(p, &o);
	if (r) {
		CHECK_EQ(r->rsp_dts, 2048);
		CHECK_EQ(r->rsp_max_msg, 8192);
		MEAS_OK(r, NULL, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, &m);
		CHECK_EQ(r->chunks, chunks_for(r->large_len, 2048));
		rq_close(r);
	} else {
		tap_fail = 1;
	}
	stop_child(&pid, TIMEOUT_S * 1000);
	return 0;
}

static int t_cli(long arg)
{
	char out[PATH_MAX + 16];
	char *const usage[][6] = {
		{ run.responder, "--max-msg-size", "100", NULL },
		{ run.responder, "--max-msg-size", "1048577", NULL },
		{ run.responder, "--max-msg-size", "x", NULL },
		{ run.responder, "--port", "0:max-msg-size=4095", NULL },
		{ run.responder, "--data-transfer-size", "8192",
		  "--max-msg-size", "4096", NULL },
		{ run.responder, "--misbehave", "chunk-no-last=1", NULL },
		{ run.responder, "--max-msg-size", "8192", "--port",
		  "0:data-transfer-size=9000", NULL },
	};
	size_t i;
	int st;

	(void)arg;
	snprintf(out, sizeof(out), "%s/cli.log", run.tmpdir);
	for (i = 0; i < ARRAY_SIZE(usage); i++) {
		st = run_status(usage[i], out, true);
		if (st != 2)
			printf("# %s %s: exit %d, expected 2\n", usage[i][1],
			       usage[i][2], st);
		CHECK_EQ(st, 2);
	}
	CHECK(file_has(out, "max message size 8192 is less than the data transfer size 9000"));
	return 0;
}

static int t_logged(long arg)
{
	static const char *const lines[] = {
		"MaxSPDMmsgSize 65536 (CHUNK_CAP)",
		"bytes exceeds DataTransferSize 4096: ERROR LargeResponse, handle ",
		"bytes exceeds DataTransferSize 42: ERROR LargeResponse, handle ",
		": ALGORITHMS of 52 bytes exceeds DataTransferSize 42",
		": KEY_EXCHANGE_RSP of ", ": CHALLENGE_AUTH of ",
		"CHUNK_RESPONSE handle ", " seq 1: ", ", last",
		"rejected CHUNK_GET: no large response pending, ERROR InvalidRequest",
		"rejected CHUNK_GET: the large response is for a session",
		"rejected CHUNK_GET: 4 bytes, not 6",
		"rejected CHUNK_GET: 8 bytes, not 6",
		"rejected CHUNK_GET: the large response is for no session",
		"rejected CHUNK_GET: no CHUNK_CAP, ERROR UnsupportedRequest",
		"exceeds MaxSPDMmsgSize (ours 4200, requester's 65536), ERROR ResponseTooLarge",
		"misbehave chunk-bad-handle", "misbehave chunk-bad-seq",
		"misbehave chunk-size-lie", "misbehave chunk-no-last",
		"misbehave chunk-overflow",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static void build_tests(void)
{
	unsigned int v, i;

	add_test(t_start, 0, "mkcerts, responder with %d devices", NR_DEVS);
	for (v = 0; v < ARRAY_SIZE(versions); v++) {
		add_test(t_default, v, "SPDM 1.%u: default: no CHUNK_CAP, ResponseTooLarge; max-msg-size: CHUNK_CAP, MaxSPDMmsgSize only",
			 versions[v] & 0xf);
		for (i = 0; i < ARRAY_SIZE(variants); i++)
			add_test(t_chunked, v * ARRAY_SIZE(variants) + i,
				 "SPDM 1.%u: %s: chunked MEASUREMENTS, blocks, L2 signature",
				 versions[v] & 0xf, variants[i].name);
		add_test(t_tiny, v, "SPDM 1.%u: requester DataTransferSize 42: VCA, M1, L2, TH1 over chunked responses",
			 versions[v] & 0xf);
		add_test(t_session, v, "SPDM 1.%u: chunks in a session, its L1 kept; not across sessions",
			 versions[v] & 0xf);
		add_test(t_invalid, v, "SPDM 1.%u: invalid CHUNK_GETs: InvalidRequest, transfer ended",
			 versions[v] & 0xf);
	}
	add_test(t_too_large, 0, "no CHUNK_CAP, SPDM 1.1, MaxSPDMmsgSize exceeded: ResponseTooLarge");
	for (i = 0; i < ARRAY_SIZE(mb_cases); i++)
		add_test(t_misbehave, i, "misbehave %s: detected",
			 strstr(dev_spec[mb_cases[i].dev], "chunk-"));
	add_test(t_mb_other_code, 0, "misbehave chunk-bad-seq@0x81 leaves MEASUREMENTS alone");
	add_test(t_global, 0, "--max-msg-size and --data-transfer-size for every device");
	add_test(t_cli, 0, "command line: bad sizes and misbehaviours exit 2");
	add_test(t_logged, 0, "large responses, chunks, rejections, misbehaviours logged");
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
