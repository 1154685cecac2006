// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM 1.4 tests of the spdm-responder binary, with the careful requester
 * of lib-requester.c speaking 1.4 (written from the DSP0274 1.4 changes,
 * independently of the responder): VERSION lists 1.4 only when
 * versions= asks for it; CAPABILITIES with ExtFlags; NEGOTIATE_ALGORITHMS
 * with PqcAsymAlgo and AlgStructs 6/7, ALGORITHMS with PqcAsymSel 0 (no
 * ML-DSA keys) and ERROR InvalidRequest to a PQC-only offer; the chain
 * header's 32-bit Length; CHALLENGE and signed MEASUREMENTS with the
 * "dmtf-spdm-v1.4.*" prefix (and not with 1.3's); GET_CERTIFICATE
 * LargeCertChain refused; sessions with the 1.4 FINISH / FINISH_RSP
 * opaque fields (in the session and in the clear, the opaque data under
 * the HMAC); chunked responses with the 32-bit ChunkSeqNo; the 1.4
 * misbehaviours (alg-pqc-both, alg-pqc-not-offered, finish-no-opaque,
 * chunk-seq-high): detected at 1.4, as documented below it.
 *
 * Usage: test-responder-v14 [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "tap.h"

#define TIMEOUT_S		5
#define MEAS_CONTEXT		"responder-measurements signing"
#define NR_BLOCKS		64
#define DTS			4096
#define MAX_MSG			65536
#define CHUNK_HDR		12
#define CHUNK_SIZE_LEN		4
#define V13			0x13
#define V14			0x14
#define PADDED(n)		(((n) + 3) & ~(size_t)3)	/* DOE */

static const struct mkcert certs[] = {
	{ "ecdsa-p256", { "--algo", "ecdsa-p256", NULL } },
	{ "ecdsa-p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
};

enum dev {
	D_ALL, D_P256, D_DEFAULT, D_ONLY14, D_NOCERTS, D_CLEAR, D_CHUNK,
	M_PQC_BOTH, M_PQC_NOT_OFFERED, M_FINISH, M_FINISH_CLEAR, M_SEQ_HIGH,
	NR_DEVS
};

#define P256	"0:certs=%1$s/ecdsa-p256"
#define P384	"0:certs=%1$s/ecdsa-p384"
#define V1314	":versions=1.3,1.4"
#define CHUNK	P384 ":meas-count=64:meas-hash=sha512:max-msg-size=65536"
static const char *const dev_spec[NR_DEVS] = {
	[D_ALL] = P384 ":versions=1.0,1.1,1.2,1.3,1.4",
	[D_P256] = P256 ":versions=1.2,1.3,1.4",
	[D_DEFAULT] = P256,
	[D_ONLY14] = P256 ":versions=1.4",
	[D_NOCERTS] = "0:versions=1.4",
	[D_CLEAR] = P256 V1314 ":session=clear",
	[D_CHUNK] = CHUNK V1314,
	[M_PQC_BOTH] = P256 V1314 ":misbehave=alg-pqc-both",
	[M_PQC_NOT_OFFERED] = P256 V1314 ":misbehave=alg-pqc-not-offered",
	[M_FINISH] = P256 V1314 ":misbehave=finish-no-opaque",
	[M_FINISH_CLEAR] = P256 V1314 ":session=clear:misbehave=finish-no-opaque",
	[M_SEQ_HIGH] = CHUNK V1314 ":misbehave=chunk-seq-high",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-v14-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */

/* ---- requester helpers ------------------------------------------------ */

/* A requester that may pick 1.4; @version 0: the highest common one. */
static struct rq_opts opts(uint8_t version, uint32_t flags)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.max_version = V14;
	o.version = version;
	o.flags = flags;
	o.alg_structs = 4;
	return o;
}

static struct rq *open_dev(enum dev d, const struct rq_opts *o)
{
	if (rq_open(&rq, port[d], o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	return &rq;
}

/* VCA, digests and the chain of slot 0. */
static struct rq *connect_dev(enum dev d, const struct rq_opts *o)
{
	struct rq *r = open_dev(d, o);

	if (!r)
		return NULL;
	if (rq_vca(r) || rq_get_digests(r) || rq_get_certificate(r, 0)) {
		printf("# device %d SPDM %x: %s\n", d, o->version, r->err);
		rq_close(r);
		return NULL;
	}
	return r;
}

/* The VCA must fail (@why in the requester's complaint). */
static bool vca_fails(struct rq *r, const char *why)
{
	if (!rq_vca(r) || !rq_failed_with(r, why)) {
		printf("# VCA: expected '%s', got '%s'\n", why, r->err);
		return false;
	}
	return true;
}

/* Whether @m's signature verifies over VCA || @m in version @v's format. */
static bool meas_verifies(struct rq *r, const struct rq_meas *m, uint8_t v)
{
	uint8_t saved = r->version;
	struct msg t;
	bool ok;

	msg_init(&t);
	r->version = v;
	ok = m->sig && !msg_put(&t, r->a.data, r->a.len) &&
	     !msg_put(&t, m->req, m->req_len) &&
	     !msg_put(&t, r->rsp, m->signed_len) &&
	     !rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data, t.len, m->sig);
	r->version = saved;
	msg_free(&t);
	return ok;
}

static const EVP_MD *md_of(uint32_t hash)
{
	return hash == RQ_SHA256 ? EVP_sha256() :
	       hash == RQ_SHA384 ? EVP_sha384() : EVP_sha512();
}

/*
 * A 1.4 FINISH for @s with OpaqueData @opaque of @n bytes and the
 * RequesterVerifyData over it into @req; its size.  With @tamper the
 * last opaque byte is changed after the HMAC was computed.
 */
static size_t finish_14(struct rq *r, struct rq_session *s,
			const uint8_t *opaque, size_t n, bool tamper,
			uint8_t *req)
{
	uint8_t th[64];
	unsigned int len;
	size_t h = r->hash_len;
	struct msg t;

	req[0] = V14;
	req[1] = RQ_FINISH;
	req[2] = 0;
	req[3] = 0;
	put_le16(req + 4, n);
	memcpy(req + 6, opaque, n);
	msg_init(&t);
	if (msg_put(&t, s->th.data, s->th.len) || msg_put(&t, req, 6 + n) ||
	    rq_hash(r->hash, t.data, t.len, th) ||
	    !HMAC(md_of(r->hash), s->req_finished, h, th, h, req + 6 + n,
		  &len))
		len = 0;
	msg_free(&t);
	if (tamper && n)
		req[6 + n - 1] ^= 0x01;
	return len == h ? 6 + n + h : 0;
}

/* A 64-block MEASUREMENTS kept as a large response; its Handle. */
static int large(struct rq *r)
{
	static struct rq_meas m;

	if (rq_meas_request(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL, &m))
		return -1;
	if (!rq_request(r, m.req, m.req_len, RQ_MEASUREMENTS) ||
	    r->error_code != RQ_ERR_LARGE_RESPONSE || r->rsp_len < 5) {
		printf("# expected ERROR LargeResponse: %s\n", r->err);
		return -1;
	}
	return r->rsp[4];
}

/* CHUNK_GET @seq of @handle must get ERROR(@code). */
static bool chunk_get_error(struct rq *r, uint8_t handle, uint32_t seq,
			    uint8_t code)
{
	if (rq_chunk_get(r, NULL, handle, seq) || r->rsp[1] != RQ_ERROR ||
	    r->rsp[2] != code) {
		printf("# CHUNK_GET handle %u seq 0x%x: %s %02x %02x, expected ERROR 0x%02x\n",
		       handle, seq, r->err, r->rsp[1], r->rsp[2], code);
		return false;
	}
	return true;
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/*
 * VERSION: 1.0-1.4 listed when versions= asks for them, 1.4 alone for
 * versions=1.4; the default stays 1.0-1.3, where a 1.4 requester ends
 * up with 1.3.
 */
static int t_version(long arg)
{
	struct rq_opts o = opts(0, 0);
	uint8_t caps13[20] = { V13, RQ_GET_CAPABILITIES };
	unsigned int i;
	struct rq *r;

	(void)arg;
	r = open_dev(D_ALL, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r));
	CHECK_EQ(r->version, V14);
	CHECK_EQ(r->rsp_len, 16);
	CHECK_EQ(r->rsp[5], 5);
	for (i = 0; i < 5; i++)
		CHECK_EQ(get_le16(r->rsp + 6 + 2 * i), 0x1000 + 0x100 * i);
	rq_close(r);

	r = open_dev(D_DEFAULT, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK_EQ(r->version, V13);
	CHECK(!rq_get_version(r));
	CHECK_EQ(r->rsp[5], 4);
	CHECK_EQ(get_le16(r->rsp + 6 + 2 * 3), 0x1300);
	rq_close(r);

	r = open_dev(D_ONLY14, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r));
	CHECK_EQ(r->rsp[5], 1);
	CHECK_EQ(get_le16(r->rsp + 6), 0x1400);
	put_le32(caps13 + 12, DTS);
	put_le32(caps13 + 16, DTS);
	CHECK(rq_expect_error(r, caps13, sizeof(caps13),
			      RQ_ERR_VERSION_MISMATCH));
	CHECK(!rq_vca(r));
	CHECK_EQ(r->version, V14);
	rq_close(r);
	return 0;
}

/* CAPABILITIES at 1.4: 20 bytes, ExtFlags 0, the Flags of 1.3. */
static int t_caps(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_SESSION | RQ_CAP_CHUNK);
	uint32_t flags14;
	struct rq *r;

	(void)arg;
	o.max_msg = MAX_MSG;
	r = open_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r) && !rq_get_capabilities(r));
	CHECK_EQ(r->rsp[0], V14);
	CHECK_EQ(r->rsp_len, 20);
	CHECK_EQ(get_le16(r->rsp + 6), 0);		/* ExtFlags */
	flags14 = r->rsp_flags;
	/* no LARGE_RESP_CAP, SET_KEY_PAIR_RESET_CAP */
	CHECK_EQ(flags14 & 0xc0000000, 0);
	CHECK(flags14 & RQ_CAP_CHUNK);
	CHECK_EQ(r->rsp_max_msg, MAX_MSG);
	rq_close(r);

	o.version = V13;
	r = open_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r) && !rq_get_capabilities(r));
	CHECK_EQ(r->rsp_flags, flags14);
	rq_close(r);
	return 0;
}

/*
 * NEGOTIATE_ALGORITHMS at 1.4: PqcAsymAlgo offered besides BaseAsymAlgo
 * gets a BaseAsymSel and PqcAsymSel 0; AlgStructs 6 and 7 come back with
 * nothing selected; PqcAsymAlgo alone: InvalidRequest from a device that
 * signs, none selected by one that does not.  At 1.3 the same bytes are
 * reserved and type 6 unknown: ignored, skipped.
 */
static int t_algs(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_SESSION);
	uint8_t req[32 + 8] = { V13, RQ_NEGOTIATE_ALGS, 2, 0 };
	const uint8_t *st;
	struct rq *r;

	(void)arg;
	o.pqc = RQ_ML_DSA_ALL;
	o.pqc_structs = true;
	r = open_dev(D_ALL, &o);
	if (!r)
		return 1;
	if (rq_vca(r)) {
		printf("# %s\n", r->err);
		tap_fail = 1;
	}
	CHECK_EQ(r->rsp[0], V14);
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK_EQ(r->pqc, 0);
	CHECK_EQ(get_le32(r->rsp + 20), 0);
	CHECK_EQ(r->rsp[2], 6);
	CHECK_EQ(get_le16(r->rsp + 4), 36 + 6 * 4);
	st = r->rsp + 36 + 4 * 4;
	CHECK(st[0] == 6 && st[1] == 0x20 && !get_le16(st + 2));
	CHECK(st[4] == 7 && st[5] == 0x20 && !get_le16(st + 6));
	CHECK_EQ(r->dhe, RQ_DHE_SECP384R1);
	CHECK(!rq_get_digests(r) && !rq_get_certificate(r, 0));
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);

	/* only PQC: nothing a device with an ECDSA key can sign with */
	o.asym = 0;
	r = open_dev(D_ALL, &o);
	if (!r)
		return 1;
	CHECK(rq_vca(r));
	CHECK_EQ(r->error_code, RQ_ERR_INVALID_REQUEST);
	rq_close(r);
	r = open_dev(D_NOCERTS, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK(!r->asym && !r->pqc);
	rq_close(r);

	/* 1.3: bytes 16-19 reserved, AlgType 6 unknown */
	o = opts(V13, RQ_CAP_SESSION);
	r = open_dev(D_ALL, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_version(r) && !rq_get_capabilities(r));
	put_le16(req + 4, sizeof(req));
	req[6] = 0x01;
	req[7] = 0x02;
	put_le32(req + 8, RQ_ECDSA_P384);
	put_le32(req + 12, RQ_SHA384);
	put_le32(req + 16, RQ_ML_DSA_ALL);
	req[32] = 2;
	req[33] = 0x20;
	put_le16(req + 34, RQ_DHE_SECP384R1);
	req[36] = 6;
	req[37] = 0x20;
	put_le16(req + 38, RQ_ML_DSA_ALL);
	CHECK(!rq_request(r, req, sizeof(req), RQ_ALGORITHMS));
	CHECK_EQ(r->rsp_len, 36 + 4);
	CHECK_EQ(r->rsp[2], 1);
	CHECK_EQ(r->rsp[36], 2);
	CHECK_EQ(get_le32(r->rsp + 12), RQ_ECDSA_P384);
	CHECK_EQ(get_le32(r->rsp + 20), 0);
	rq_close(r);
	return 0;
}

/*
 * Authentication at 1.4: the chain's 32-bit Length, CHALLENGE and
 * signed MEASUREMENTS over "dmtf-spdm-v1.4.*" (the MEASUREMENTS
 * signature does not verify with 1.3's prefix), for P-256 / SHA-256
 * and P-384 / SHA-384; LargeCertChain: UnsupportedRequest.
 */
static int t_auth(long arg)
{
	struct rq_opts o = opts(V14, 0);
	uint8_t large_req[16] = { V14, RQ_GET_CERTIFICATE, 0x80, 0 };
	static struct rq_meas m;
	struct rq *r;

	o.asym = arg ? RQ_ECDSA_P384 : RQ_ECDSA_P256;
	o.hash = arg ? RQ_SHA384 : RQ_SHA256;
	r = connect_dev(arg ? D_ALL : D_P256, &o);
	if (!r)
		return 1;
	CHECK_EQ(r->version, V14);
	CHECK_EQ(get_le32(r->chain[0]), r->chain_len[0]);
	CHECK(!rq_challenge(r, 0, NULL));
	if (rq_get_measurements(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL, &m)) {
		printf("# GET_MEASUREMENTS: %s\n", r->err);
		tap_fail = 1;
	} else {
		CHECK(meas_verifies(r, &m, V14));
		CHECK(!meas_verifies(r, &m, V13));
	}

	put_le32(large_req + 12, 0xffff);
	CHECK(rq_expect_error(r, large_req, sizeof(large_req),
			      RQ_ERR_UNSUPPORTED));
	CHECK_EQ(r->rsp[3], RQ_GET_CERTIFICATE);
	CHECK(rq_expect_error(r, large_req, 8, RQ_ERR_UNSUPPORTED));
	CHECK(!rq_get_digests(r) && !rq_get_certificate(r, 0));
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);
	return 0;
}

/* DHE, AEAD and FINISH OpaqueDataLength of each session variant. */
static const struct {
	enum dev dev;
	uint16_t dhe, aead, opaque;
} sessions[] = {
	{ D_P256, RQ_DHE_SECP256R1, RQ_AEAD_AES_128_GCM, 0 },
	{ D_ALL, RQ_DHE_SECP384R1, RQ_AEAD_AES_256_GCM, 16 },
	{ D_ALL, RQ_DHE_SECP384R1, RQ_AEAD_CHACHA20, 1024 },
};

/*
 * A 1.4 session: KEY_EXCHANGE, FINISH with OpaqueData (RequesterVerify-
 * Data over it), FINISH_RSP with its OpaqueDataLength; the "spdm1.4 "
 * keys then carry HEARTBEAT, KEY_UPDATE, measurements and END_SESSION.
 */
static int t_session(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_SESSION);
	static struct rq_meas m;
	struct rq_session s;
	struct rq *r;

	o.dhe = sessions[arg].dhe;
	o.aead = sessions[arg].aead;
	o.finish_opaque = sessions[arg].opaque;
	r = connect_dev(sessions[arg].dev, &o);
	if (!r)
		return 1;
	CHECK_EQ(r->dhe, o.dhe);
	CHECK_EQ(r->aead, o.aead);
	if (rq_session_start(r, &s, 0)) {
		printf("# session: %s\n", r->err);
		tap_fail = 1;
	} else {
		/* FINISH_RSP: header, OpaqueDataLength 0 */
		CHECK(PADDED(r->rsp_len) == PADDED(6) && !get_le16(r->rsp + 4));
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_key_update(r, &s, RQ_KU_UPDATE_ALL));
		CHECK(!rq_key_update(r, &s, RQ_KU_VERIFY));
		CHECK(!rq_meas_request(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0,
				       NULL, &m));
		CHECK(!rq_secured(r, &s, m.req, m.req_len, RQ_MEASUREMENTS));
		CHECK(!rq_end_session(r, &s));
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* The handshake in the clear: FINISH_RSP opaque fields, then the MAC. */
static int t_clear(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_SESSION | RQ_CAP_HS_CLEAR);
	struct rq_session s;
	struct rq *r;

	(void)arg;
	o.finish_opaque = 8;
	r = connect_dev(D_CLEAR, &o);
	if (!r)
		return 1;
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x1414));
	CHECK(s.clear);
	if (rq_finish(r, &s)) {
		printf("# FINISH: %s\n", r->err);
		tap_fail = 1;
	}
	CHECK_EQ(PADDED(r->rsp_len), PADDED(6 + r->hash_len));
	CHECK_EQ(get_le16(r->rsp + 4), 0);
	CHECK(!rq_heartbeat(r, &s));
	CHECK(!rq_end_session(r, &s));
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/*
 * Malformed 1.4 FINISHes in the session: the 1.3 layout, an
 * OpaqueDataLength beyond the message, one over 1024: InvalidRequest, the
 * session keeps waiting; OpaqueData changed after the HMAC: DecryptError,
 * the session is gone.  A good FINISH then establishes a new one.
 */
static int t_finish_bad(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_SESSION);
	static uint8_t req[6 + 1100 + 64];
	uint8_t opaque[4] = { 1, 2, 3, 4 };
	size_t h, len;
	struct rq_session s;
	struct rq *r;

	(void)arg;
	r = connect_dev(D_P256, &o);
	if (!r)
		return 1;
	h = r->hash_len;
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x2001));
	/* 1.3: RequesterVerifyData right after the header */
	len = finish_14(r, &s, opaque, 0, false, req);
	memmove(req + 4, req + 6, h);
	CHECK(rq_secured(r, &s, req, 4 + h, RQ_FINISH_RSP) &&
	      r->error_code == RQ_ERR_INVALID_REQUEST);
	len = finish_14(r, &s, opaque, sizeof(opaque), false, req);
	put_le16(req + 4, 200);
	CHECK(rq_secured(r, &s, req, len, RQ_FINISH_RSP) &&
	      r->error_code == RQ_ERR_INVALID_REQUEST);
	memset(req + 6, 0, 1100);
	put_le16(req + 4, 1025);
	CHECK(rq_secured(r, &s, req, 6 + 1025 + h, RQ_FINISH_RSP) &&
	      r->error_code == RQ_ERR_INVALID_REQUEST);
	/* the opaque data is under RequesterVerifyData */
	len = finish_14(r, &s, opaque, sizeof(opaque), true, req);
	CHECK(len && rq_secured(r, &s, req, len, RQ_FINISH_RSP) &&
	      r->error_code == RQ_ERR_DECRYPT);
	CHECK(rq_heartbeat(r, &s));
	rq_session_free(&s);

	r->o.finish_opaque = 4;
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x2002));
	len = finish_14(r, &s, opaque, sizeof(opaque), false, req);
	memmove(req + 4, req + 6, h);
	CHECK(rq_secured(r, &s, req, 4 + h, RQ_FINISH_RSP) &&
	      r->error_code == RQ_ERR_INVALID_REQUEST);
	if (rq_finish(r, &s)) {
		printf("# FINISH after an InvalidRequest: %s\n", r->err);
		tap_fail = 1;
	}
	CHECK(!rq_heartbeat(r, &s));
	CHECK(!rq_end_session(r, &s));
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/*
 * Large responses at 1.4: 8-byte CHUNK_GETs, CHUNK_RESPONSEs with a
 * 32-bit ChunkSeqNo; a 4-byte CHUNK_GET and ChunkSeqNo 0x10000 are
 * InvalidRequest (the 1.3 6-byte form cannot be told from 8 bytes with
 * ChunkSeqNo 0: DOE pads it with zeros); a requester with
 * DataTransferSize 42 gets ALGORITHMS, CHALLENGE_AUTH, MEASUREMENTS and
 * KEY_EXCHANGE_RSP in chunks.
 */
static int t_chunk(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_CHUNK | RQ_CAP_SESSION);
	uint8_t cg[8] = { V14, RQ_CHUNK_GET, 0, 0 };
	static struct rq_meas m;
	struct rq_session s;
	struct rq *r;
	int hd;

	(void)arg;
	o.max_msg = MAX_MSG;
	o.asym = RQ_ECDSA_P384;
	o.hash = RQ_SHA384;
	r = connect_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(!rq_get_measurements(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL,
				   &m));
	CHECK_EQ(m.nr_blocks, NR_BLOCKS);
	CHECK(r->chunks >= 2);
	CHECK(meas_verifies(r, &m, V14));

	r->o.no_chunk_get = true;
	hd = large(r);
	cg[3] = hd;
	CHECK(hd >= 0 &&
	      rq_expect_error(r, cg, 4, RQ_ERR_INVALID_REQUEST));
	hd = large(r);
	CHECK(hd >= 0 &&
	      chunk_get_error(r, hd, 0x10000, RQ_ERR_INVALID_REQUEST));
	hd = large(r);
	CHECK(hd >= 0 && !rq_chunk_get(r, NULL, hd, 0));
	CHECK(r->rsp[1] == RQ_CHUNK_RESPONSE && get_le32(r->rsp + 4) == 0);
	CHECK(!rq_chunk_get(r, NULL, hd, 1));
	CHECK(r->rsp[1] == RQ_CHUNK_RESPONSE && get_le32(r->rsp + 4) == 1 &&
	      r->rsp[2] == 1);
	rq_close(r);

	o.dts = 42;
	r = open_dev(D_CHUNK, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK_EQ(r->large_len, 36 + 4 * 4);		/* ALGORITHMS */
	CHECK(!rq_get_digests(r) && !rq_get_certificate(r, 0));
	r->large_len = 0;
	CHECK(!rq_challenge(r, 0, NULL));
	CHECK(r->large_len > 42);			/* CHALLENGE_AUTH */
	r->large_len = 0;
	if (rq_session_start(r, &s, 0)) {
		printf("# session: %s\n", r->err);
		tap_fail = 1;
	} else {
		CHECK(r->large_len > 42);		/* KEY_EXCHANGE_RSP */
		CHECK(!rq_meas_request(r, 0, RQ_MEAS_OP_ALL, 0, NULL, &m));
		CHECK(!rq_secured(r, &s, m.req, m.req_len, RQ_MEASUREMENTS));
		CHECK(r->chunks > 4);
		CHECK(!rq_end_session(r, &s));
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* alg-pqc-both, alg-pqc-not-offered: refused at 1.4, harmless at 1.3. */
static int t_mb_algs(long arg)
{
	enum dev d = arg ? M_PQC_NOT_OFFERED : M_PQC_BOTH;
	struct rq_opts o = opts(V14, 0);
	struct rq *r;

	o.pqc = RQ_ML_DSA_44;
	r = open_dev(d, &o);
	if (!r)
		return 1;
	CHECK(vca_fails(r, arg ? "PqcAsymAlgo not offered" :
				 "selects both BaseAsymAlgo"));
	CHECK_EQ(get_le32(r->rsp + 20), arg ? RQ_ML_DSA_65 : RQ_ML_DSA_44);
	CHECK_EQ(get_le32(r->rsp + 12), arg ? 0 : RQ_ECDSA_P256);
	rq_close(r);

	o = opts(V13, 0);
	r = connect_dev(d, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK_EQ(get_le32(r->rsp + 12), RQ_ECDSA_P256);
	/* Reserved at 1.3: zero, or the unoffered bit, ignored */
	CHECK_EQ(get_le32(r->rsp + 20), arg ? RQ_ML_DSA_44 : 0);
	CHECK(!rq_get_digests(r) && !rq_get_certificate(r, 0));
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);
	return 0;
}

/* finish-no-opaque: a 1.4 FINISH_RSP in the 1.3 layout; fine at 1.3. */
static int t_mb_finish(long arg)
{
	bool clear = arg & 1;
	uint8_t v = arg & 2 ? V13 : V14;
	struct rq_opts o = opts(v, RQ_CAP_SESSION |
				   (clear ? RQ_CAP_HS_CLEAR : 0));
	struct rq_session s;
	struct rq *r;
	int ret;

	r = connect_dev(clear ? M_FINISH_CLEAR : M_FINISH, &o);
	if (!r)
		return 1;
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x3000 + arg));
	ret = rq_finish(r, &s);
	if (v == V14) {
		if (!ret || !rq_failed_with(r, "FINISH_RSP")) {
			printf("# expected a FINISH_RSP defect, got '%s'\n",
			       ret ? r->err : "success");
			tap_fail = 1;
		}
		CHECK_EQ(PADDED(r->rsp_len),
			 PADDED(4 + (clear ? r->hash_len : 0)));
	} else {
		CHECK(!ret);
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_end_session(r, &s));
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/*
 * chunk-seq-high: at 1.4 a ChunkSeqNo 0x10000 too high, refused; at 1.3
 * the same bytes are Reserved: ChunkSeqNo right, bytes 6-7 0x0001.
 */
static int t_mb_chunk(long arg)
{
	struct rq_opts o = opts(V14, RQ_CAP_CHUNK);
	static struct rq_meas m;
	struct rq *r;
	int hd;

	(void)arg;
	o.max_msg = MAX_MSG;
	o.asym = RQ_ECDSA_P384;
	r = connect_dev(M_SEQ_HIGH, &o);
	if (!r)
		return 1;
	if (!rq_get_measurements(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL,
				 &m) ||
	    !rq_failed_with(r, "CHUNK_RESPONSE ChunkSeqNo 65536, asked for 0")) {
		printf("# expected a ChunkSeqNo defect, got '%s'\n", r->err);
		tap_fail = 1;
	}
	rq_close(r);

	o = opts(V13, RQ_CAP_CHUNK);
	o.max_msg = MAX_MSG;
	o.asym = RQ_ECDSA_P384;
	o.no_chunk_get = true;
	r = connect_dev(M_SEQ_HIGH, &o);
	if (!r)
		return 1;
	hd = large(r);
	CHECK(hd >= 0 && !rq_chunk_get(r, NULL, hd, 0));
	CHECK(r->rsp[1] == RQ_CHUNK_RESPONSE && get_le16(r->rsp + 4) == 0 &&
	      get_le16(r->rsp + 6) == 1);
	CHECK(!rq_chunk_get(r, NULL, hd, 1));
	CHECK(r->rsp[1] == RQ_CHUNK_RESPONSE && get_le16(r->rsp + 4) == 1 &&
	      get_le16(r->rsp + 6) == 1);
	rq_close(r);
	return 0;
}

static int t_cli(long arg)
{
	char out[PATH_MAX + 16];
	char *const usage[][6] = {
		{ run.responder, "--versions", "1.5", NULL },
		{ run.responder, "--port", "0:versions=1.3,2.4", NULL },
		{ run.responder, "--misbehave", "alg-pqc-both=1", NULL },
		{ run.responder, "--misbehave", "alg-pqc-not-offered=0x8", NULL },
		{ run.responder, "--misbehave", "finish-no-opaque=yes", NULL },
		{ run.responder, "--port", "0:misbehave=chunk-seq-high=2", NULL },
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
	return 0;
}

static int t_logged(long arg)
{
	static const char *const lines[] = {
		"versions 1.0,1.1,1.2,1.3,1.4,",
		"versions 1.4,",
		"rejected NEGOTIATE_ALGORITHMS: only PqcAsymAlgo 0x7 offered (BaseAsymAlgo 0)",
		"rejected GET_CERTIFICATE: LargeCertChain without LARGE_RESP_CAP, ERROR UnsupportedRequest",
		"rejected FINISH: OpaqueDataLength 1025 (max 1024)",
		"rejected CHUNK_GET: 4 bytes, not 8",
		"misbehave alg-pqc-both: ALGORITHMS selects BaseAsymAlgo 0x10 and PqcAsymAlgo 0x1",
		"misbehave alg-pqc-not-offered: ALGORITHMS selects PqcAsymAlgo 0x2, offered 0x1",
		"misbehave alg-pqc-not-offered: ALGORITHMS has in its Reserved bytes 20-23 0x1, offered 0x0",
		"misbehave finish-no-opaque: FINISH_RSP without OpaqueDataLength",
		"misbehave chunk-seq-high: CHUNK_RESPONSE ChunkSeqNo upper half 0x0001",
		"misbehave chunk-seq-high: CHUNK_RESPONSE Reserved bytes 6-7 0x0001",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static const char *const aead_names[] = {
	[RQ_AEAD_AES_128_GCM] = "AES-128-GCM",
	[RQ_AEAD_AES_256_GCM] = "AES-256-GCM",
	[RQ_AEAD_CHACHA20] = "ChaCha20-Poly1305",
};

static void build_tests(void)
{
	unsigned int i;

	add_test(t_start, 0, "mkcerts, responder with %d devices", NR_DEVS);
	add_test(t_version, 0, "VERSION lists 1.4 only when configured; default stays 1.0-1.3");
	add_test(t_caps, 0, "SPDM 1.4 CAPABILITIES: ExtFlags 0, no 1.4-only Flags");
	add_test(t_algs, 0, "SPDM 1.4 ALGORITHMS: PqcAsymSel 0, AlgStructs 6/7 unselected, PQC only: InvalidRequest; 1.3 reserved bytes ignored");
	add_test(t_auth, 0, "SPDM 1.4 P-256 SHA-256: chain Length u32, CHALLENGE, MEASUREMENTS over dmtf-spdm-v1.4.*, LargeCertChain refused");
	add_test(t_auth, 1, "SPDM 1.4 P-384 SHA-384: chain Length u32, CHALLENGE, MEASUREMENTS over dmtf-spdm-v1.4.*, LargeCertChain refused");
	for (i = 0; i < ARRAY_SIZE(sessions); i++)
		add_test(t_session, i, "SPDM 1.4 session %s %s, FINISH OpaqueDataLength %u",
			 sessions[i].dhe == RQ_DHE_SECP256R1 ? "secp256r1" :
			 "secp384r1", aead_names[sessions[i].aead],
			 sessions[i].opaque);
	add_test(t_clear, 0, "SPDM 1.4 handshake in the clear: FINISH_RSP opaque fields, ResponderVerifyData");
	add_test(t_finish_bad, 0, "SPDM 1.4 FINISH: 1.3 layout, bad OpaqueDataLength: InvalidRequest; opaque data under the HMAC");
	add_test(t_chunk, 0, "SPDM 1.4 chunks: u32 ChunkSeqNo, short CHUNK_GET and ChunkSeqNo 0x10000 refused, DataTransferSize 42");
	add_test(t_mb_algs, 0, "misbehave alg-pqc-both: refused at 1.4, nothing at 1.3");
	add_test(t_mb_algs, 1, "misbehave alg-pqc-not-offered: refused at 1.4, reserved bytes at 1.3");
	for (i = 0; i < 4; i++)
		add_test(t_mb_finish, i, "misbehave finish-no-opaque%s: %s",
			 i & 1 ? " (handshake in the clear)" : "",
			 i & 2 ? "no effect at 1.3" : "refused at 1.4");
	add_test(t_mb_chunk, 0, "misbehave chunk-seq-high: refused at 1.4, reserved bytes at 1.3");
	add_test(t_cli, 0, "command line: bad versions, 1.4 misbehaviours with values: exit 2");
	add_test(t_logged, 0, "1.4 rejections and misbehaviours logged");
	add_test(harness_sigterm, TIMEOUT_S * 1000, "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	log_level = LOG_QUIET;
	return harness_main(&run, argc, argv, build_tests, &tap_fail);
}
