// SPDX-License-Identifier: GPL-2.0
/*
 * Secure session tests of the spdm-responder binary: a requester written
 * here and in lib-requester.c from DSP0274/DSP0277 (own HKDF, ECDH and
 * AEAD with OpenSSL) negotiates DHE/AEAD/KeySchedule, runs KEY_EXCHANGE
 * (signature over TH1 verified with the leaf key, ResponderVerifyData
 * checked), FINISH, 1000 secured messages with KEY_UPDATE in between and
 * END_SESSION for every SPDM 1.1-1.3 x secp256r1/secp384r1 x AES-128-GCM/
 * AES-256-GCM/ChaCha20-Poly1305 combination; then the handshake in the
 * clear, MAC-only sessions, signed measurements in a session, the
 * ordering rules, every ke-* and sm-* misbehaviour, known-answer vectors
 * for HKDF (RFC 5869) and the DSP0277 record (DMTF libspdm's unit test
 * vectors), and the command line.
 *
 * Usage: test-responder-session [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
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

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "secured.h"
#include "spdm.h"
#include "tap.h"

#define TIMEOUT_S		5
#define MESSAGES		1000
#define KEY_UPDATE_EVERY	97
#define MEAS_CONTEXT		"responder-measurements signing"

static const uint8_t versions[] = { 0x11, 0x12, 0x13 };
static const uint16_t dhes[] = { RQ_DHE_SECP256R1, RQ_DHE_SECP384R1 };
static const uint16_t aeads[] = {
	RQ_AEAD_AES_128_GCM, RQ_AEAD_AES_256_GCM, RQ_AEAD_CHACHA20,
};

static const struct mkcert certs[] = {
	{ "ecdsa-p256", { "--algo", "ecdsa-p256", NULL } },
	{ "ecdsa-p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	{ "rsa-3072", { "--algo", "rsa-3072", "--hash", "sha384", NULL } },
};

/* The devices, one --port each; %1$s is the temporary directory. */
enum dev {
	D_P256, D_P384, D_RSA, D_CLEAR, D_NONE, D_NOCERTS, D_NARROW,
	M_KE_SIG, M_KE_VERIFY, M_KE_VERIFY_CLEAR, M_KE_MUT_AUTH, M_BAD_MAC,
	M_REPLAY,
	M_WRONG_SESSION, M_UNANNOUNCED, M_CLEAR,
	NR_DEVS
};

#define P256	"certs=%1$s/ecdsa-p256"
static const char *const dev_spec[NR_DEVS] = {
	[D_P256] = "0:" P256,
	[D_P384] = "0:certs=%1$s/ecdsa-p384",
	[D_RSA] = "0:certs=%1$s/rsa-3072:hash=sha384",
	[D_CLEAR] = "0:" P256 ":session=clear",
	[D_NONE] = "0:" P256 ":session=none",
	[D_NOCERTS] = "0",
	[D_NARROW] = "0:" P256 ":dhe=secp256r1:aead=aes-128-gcm,chacha20-poly1305",
	[M_KE_SIG] = "0:" P256 ":misbehave=ke-bad-sig",
	[M_KE_VERIFY] = "0:" P256 ":misbehave=ke-bad-verify",
	[M_KE_VERIFY_CLEAR] = "0:" P256 ":session=clear:misbehave=ke-bad-verify",
	[M_KE_MUT_AUTH] = "0:" P256 ":misbehave=ke-mut-auth",
	[M_BAD_MAC] = "0:" P256 ":misbehave=sm-bad-mac@0xe8",
	[M_REPLAY] = "0:" P256 ":misbehave=sm-replay@0xe8",
	[M_WRONG_SESSION] = "0:" P256 ":misbehave=sm-wrong-session@0xe8",
	[M_UNANNOUNCED] = "0:" P256 ":misbehave=sm-unannounced-key-update=3",
	[M_CLEAR] = "0:" P256 ":misbehave=sm-clear@0xe8",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-session-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/* ---- requester helpers ------------------------------------------------ */

static struct rq_opts opts(uint8_t version, uint16_t dhe, uint16_t aead,
			   uint32_t flags)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.version = version;
	o.flags = flags;
	o.alg_structs = 4;
	o.dhe = dhe;
	o.aead = aead;
	return o;
}

/* VCA, digests and the chain of slot 0. */
static struct rq *connect_dev(enum dev d, const struct rq_opts *o)
{
	if (rq_open(&rq, port[d], o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	if (rq_vca(&rq) || rq_get_digests(&rq) || rq_get_certificate(&rq, 0)) {
		printf("# device %d SPDM %x: %s\n", d, o->version, rq.err);
		rq_close(&rq);
		return NULL;
	}
	return &rq;
}

static bool start_ok(struct rq *r, struct rq_session *s)
{
	if (rq_session_start(r, s, 0)) {
		printf("# session start: %s\n", r->err);
		return false;
	}
	return true;
}

/* A signed GET_MEASUREMENTS (all blocks) in session @s; returns its L2 part. */
static bool meas_in_session(struct rq *r, struct rq_session *s, bool sig,
			    struct msg *l2)
{
	static struct rq_meas m;

	if (rq_meas_request(r, sig ? RQ_MEAS_SIG : 0, RQ_MEAS_OP_ALL, 0, NULL,
			    &m) ||
	    rq_secured(r, s, m.req, m.req_len, RQ_MEASUREMENTS)) {
		printf("# GET_MEASUREMENTS in session: %s\n", r->err);
		return false;
	}
	if (msg_put(l2, m.req, m.req_len) ||
	    msg_put(l2, r->rsp, r->rsp_len - (sig ? r->sig_len : 0)))
		return false;
	return true;
}

/* The responder answers @req in session @s with a secured ERROR(@code). */
static bool secured_error(struct rq *r, struct rq_session *s,
			  const uint8_t *req, size_t len, uint8_t code)
{
	if (!rq_secured(r, s, req, len, 0x7e) || s->rsp_type != 2 ||
	    r->error_code != code) {
		printf("# request %02x %02x in session: %s (DOE type %u), expected secured ERROR 0x%02x\n",
		       req[0], req[1], r->err, s->rsp_type, code);
		return false;
	}
	return true;
}

/* ---- known answers ---------------------------------------------------- */

/*
 * HKDF: RFC 5869 appendix A.1 (SHA-256), through the requester's HMAC
 * implementation and the responder's EVP_KDF one; then the responder's
 * BinConcat against one built here by hand.
 */
static int t_kat_hkdf(long arg)
{
	static const uint8_t salt[13] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
		0x0a, 0x0b, 0x0c,
	};
	static const uint8_t info[10] = {
		0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
	};
	static const uint8_t prk_want[32] = {
		0x07, 0x77, 0x09, 0x36, 0x2c, 0x2e, 0x32, 0xdf, 0x0d, 0xdc,
		0x3f, 0x0d, 0xc4, 0x7b, 0xba, 0x63, 0x90, 0xb6, 0xc7, 0x3b,
		0xb5, 0x0f, 0x9c, 0x31, 0x22, 0xec, 0x84, 0x4a, 0xd7, 0xc2,
		0xb3, 0xe5,
	};
	static const uint8_t okm_want[42] = {
		0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43,
		0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90,
		0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4,
		0xc5, 0xbf, 0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18,
		0x58, 0x65,
	};
	const struct spdm_hash_alg *h = spdm_hash_by_bit(SPDM_HASH_SHA256);
	uint8_t ikm[22], prk[64], okm[64], ctx[64], bin[80], mine[64];
	size_t n;

	(void)arg;
	memset(ikm, 0x0b, sizeof(ikm));
	CHECK(!rq_hkdf_extract(RQ_SHA256, salt, sizeof(salt), ikm,
			       sizeof(ikm), prk));
	CHECK_MEM(prk, 32, prk_want, 32);
	CHECK(!rq_hkdf_expand(RQ_SHA256, prk, info, sizeof(info), okm, 42));
	CHECK_MEM(okm, 42, okm_want, 42);
	memset(prk, 0, sizeof(prk));
	CHECK(!spdm_hkdf_extract(h, salt, sizeof(salt), ikm, sizeof(ikm), prk));
	CHECK_MEM(prk, 32, prk_want, 32);
	/* BinConcat(32, "spdm1.2 " "req hs data" TH): two implementations */
	memset(ctx, 0x5a, sizeof(ctx));
	CHECK(!spdm_hkdf_expand_label(h, 0x12, prk_want, "req hs data", ctx,
				      32, okm));
	bin[0] = 32;
	bin[1] = 0;
	n = 2 + sprintf((char *)bin + 2, "spdm1.2 req hs data");
	memcpy(bin + n, ctx, 32);
	CHECK(!rq_hkdf_expand(RQ_SHA256, prk_want, bin, n + 32, mine, 32));
	CHECK_MEM(okm, 32, mine, 32);
	/* and without context, another length: "key" for AES-128 */
	CHECK(!spdm_hkdf_expand_label(h, 0x13, prk_want, "key", NULL, 16, okm));
	bin[0] = 16;
	n = 2 + sprintf((char *)bin + 2, "spdm1.3 key");
	CHECK(!rq_hkdf_expand(RQ_SHA256, prk_want, bin, n, mine, 16));
	CHECK_MEM(okm, 16, mine, 16);
	return 0;
}

/*
 * DSP0277 record: DMTF libspdm unit_test test_spdm_secured_message
 * encode cases 1 and 2 (AES-256-GCM, key 00..1f, salt 2*i, SessionID
 * 0x00112233, an 8-byte little-endian sequence number in the record,
 * message 00..0f), through both implementations; the responder opens
 * them again.  (No DSP0274 key schedule vector with inputs and outputs
 * is published that we know of: the schedule itself is cross-checked
 * by two implementations in every session test.)
 */
static int t_kat_record(long arg)
{
	static const uint8_t want1[] = {
		0x33, 0x22, 0x11, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x22, 0x00,
		0x9b, 0xfe, 0xd3, 0xb7, 0x04, 0x3d, 0x32, 0x86, 0x60, 0x3d,
		0x86, 0x17, 0x33, 0xd6, 0x7f, 0x95, 0x9a, 0x20,
		0x3d, 0x4f, 0xac, 0x58, 0xcb, 0x70, 0x6c, 0xf5, 0xa0, 0x27,
		0x0a, 0xf6, 0x73, 0xf0, 0xfe, 0x36,
	};
	static const uint8_t want2[] = {
		0x33, 0x22, 0x11, 0x00, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa,
		0x55, 0xaa, 0x22, 0x00,
		0x0d, 0xea, 0x75, 0xea, 0xc6, 0x91, 0x37, 0x49, 0x94, 0x97,
		0x52, 0x63, 0xf8, 0xc0, 0x8f, 0x6c, 0x1a, 0xa4,
		0x0d, 0xcd, 0xb4, 0x8a, 0xd6, 0xfa, 0x24, 0x04, 0x79, 0xd5,
		0xd8, 0xd2, 0xfe, 0x28, 0x19, 0x14,
	};
	const uint8_t *want[2] = { want1, want2 };
	uint64_t seqs[2] = { 0, 0xaa55aa55aa55aa55ULL };
	struct spdm_sess_keys k = { 0 };
	struct rq_keys rk = { 0 };
	uint8_t app[16], out[128];
	struct msg m, plain;
	const char *why = "";
	size_t len;
	int i;

	(void)arg;
	for (i = 0; i < 32; i++)
		k.key[i] = rk.key[i] = i;
	for (i = 0; i < 12; i++)
		k.iv[i] = rk.iv[i] = 2 * i;
	for (i = 0; i < 16; i++)
		app[i] = i;
	msg_init(&m);
	msg_init(&plain);
	for (i = 0; i < 2; i++) {
		k.seq = rk.seq = seqs[i];
		CHECK(!rq_record_seal(RQ_AEAD_AES_256_GCM, false, &rk,
				      0x00112233, 8, app, 16, out, &len));
		CHECK_MEM(out, len, want[i], sizeof(want1));
		msg_reset(&m);
		CHECK(!spdm_record_seal(SPDM_AEAD_AES_256_GCM, false, &k,
					0x00112233, 8, app, 16, &m));
		CHECK_MEM(m.data, m.len, want[i], sizeof(want1));
		CHECK(!spdm_record_open(SPDM_AEAD_AES_256_GCM, false, &k, 8,
					want[i], sizeof(want1), &plain, &why));
		CHECK_MEM(plain.data, plain.len, app, 16);
		/* one bit off anywhere: rejected */
		memcpy(out, want[i], sizeof(want1));
		out[20] ^= 0x10;
		CHECK(spdm_record_open(SPDM_AEAD_AES_256_GCM, false, &k, 8, out,
				       sizeof(want1), &plain, &why) == -EBADMSG);
		k.seq++;
		CHECK(spdm_record_open(SPDM_AEAD_AES_256_GCM, false, &k, 8,
				       want[i], sizeof(want1), &plain,
				       &why) == -EBADMSG);
	}
	msg_free(&m);
	msg_free(&plain);
	return 0;
}

/* ---- sessions --------------------------------------------------------- */

/*
 * One DHE x AEAD x version: negotiation, KEY_EXCHANGE, FINISH, then
 * MESSAGES secured exchanges (HEARTBEAT, unsigned GET_MEASUREMENTS,
 * GET_DIGESTS) with a KEY_UPDATE (UpdateKey and UpdateAllKeys in turn,
 * each verified) every KEY_UPDATE_EVERY, END_SESSION, and the session
 * is gone afterwards.
 */
static int t_session(long arg)
{
	uint8_t v = versions[arg / (ARRAY_SIZE(dhes) * ARRAY_SIZE(aeads))];
	uint16_t dhe = dhes[arg / ARRAY_SIZE(aeads) % ARRAY_SIZE(dhes)];
	uint16_t aead = aeads[arg % ARRAY_SIZE(aeads)];
	struct rq_opts o = opts(v, dhe, aead,
				RQ_CAP_SESSION);
	uint8_t digests[4] = { v, RQ_GET_DIGESTS, 0, 0 };
	uint8_t meas[4 + 8] = { v, RQ_GET_MEASUREMENTS, 0, 1 };
	struct rq_session s;
	unsigned int i, updates = 0;
	struct rq *r;
	bool ok = true;

	r = connect_dev(arg % 2 ? D_P384 : D_P256, &o);
	if (!r)
		return 1;
	CHECK(r->rsp_flags & RQ_CAP_KEY_EX);
	CHECK_EQ(r->rsp_flags & RQ_CAP_SESSION, RQ_CAP_SESSION);
	CHECK(!(r->rsp_flags & RQ_CAP_HS_CLEAR));
	CHECK_EQ(r->dhe, dhe);
	CHECK_EQ(r->aead, aead);
	CHECK_EQ(r->key_sched, 1);
	if (!start_ok(r, &s)) {
		rq_close(r);
		return 1;
	}
	CHECK_EQ(s.secured_version, 0x1200);
	CHECK(!s.clear && !s.mac_only);
	for (i = 0; i < MESSAGES && ok; i++) {
		if (i % KEY_UPDATE_EVERY == KEY_UPDATE_EVERY - 1) {
			uint8_t op = updates++ % 2 ? RQ_KU_UPDATE_ALL :
						     RQ_KU_UPDATE_KEY;

			ok = !rq_key_update(r, &s, op) &&
			     !rq_key_update(r, &s, RQ_KU_VERIFY);
			i += 1;
		} else if (i % 3 == 0) {
			ok = !rq_heartbeat(r, &s);
		} else if (i % 3 == 1) {
			if (v >= 0x13)
				RAND_bytes(meas + 4, 8);
			ok = !rq_secured(r, &s, meas, v >= 0x13 ? 12 : 4,
					 RQ_MEASUREMENTS);
		} else {
			ok = !rq_secured(r, &s, digests, 4, RQ_DIGESTS) &&
			     r->rsp_len == 4 + r->hash_len;
		}
		if (!ok)
			printf("# message %u: %s\n", i, r->err);
	}
	CHECK(ok);
	printf("# %u secured exchanges, %u key updates, responder sequence number %llu\n",
	       i, updates, (unsigned long long)s.rsp.seq);
	CHECK_EQ(i, MESSAGES);
	CHECK(updates >= MESSAGES / KEY_UPDATE_EVERY);
	CHECK(!rq_end_session(r, &s));
	/* the session is gone: InvalidSession in the clear */
	CHECK(rq_heartbeat(r, &s) && r->error_code == 0x02 &&
	      s.rsp_type == 1);
	/* the connection is still fine */
	CHECK(!rq_get_digests(r));
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* RSA-3072 with SHA-384: the signature and key schedule with H = 48. */
static int t_rsa(long arg)
{
	struct rq_opts o = opts(arg ? 0x13 : 0x11, RQ_DHE_SECP384R1,
				RQ_AEAD_AES_256_GCM, RQ_CAP_SESSION);
	struct rq_session s;
	struct rq *r;

	o.asym = RQ_RSAPSS_3072 | RQ_RSASSA_3072;
	r = connect_dev(D_RSA, &o);
	if (!r)
		return 1;
	CHECK_EQ(r->hash, RQ_SHA384);
	if (start_ok(r, &s)) {
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_key_update(r, &s, RQ_KU_UPDATE_ALL));
		CHECK(!rq_key_update(r, &s, RQ_KU_VERIFY));
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_end_session(r, &s));
	} else {
		tap_fail = 1;
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* HANDSHAKE_IN_THE_CLEAR: FINISH in the clear with ResponderVerifyData. */
static int t_clear(long arg)
{
	struct rq_opts o = opts(versions[arg], RQ_DHE_SECP256R1,
				RQ_AEAD_CHACHA20,
				RQ_CAP_SESSION | RQ_CAP_HS_CLEAR);
	uint8_t hb[4] = { versions[arg], RQ_HEARTBEAT, 0, 0 };
	struct rq_session s;
	struct rq *r;

	r = connect_dev(D_CLEAR, &o);
	if (!r)
		return 1;
	CHECK(r->rsp_flags & RQ_CAP_HS_CLEAR);
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x1234));
	CHECK(s.clear);
	/* nothing secured before FINISH when the handshake is in the clear */
	CHECK(rq_secured(r, &s, hb, 4, RQ_HEARTBEAT_ACK) &&
	      r->error_code == RQ_ERR_DECRYPT && s.rsp_type == 1);
	rq_session_free(&s);
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x1235));
	CHECK(!rq_finish(r, &s));
	CHECK(!rq_heartbeat(r, &s));
	CHECK(!rq_key_update(r, &s, RQ_KU_UPDATE_KEY));
	CHECK(!rq_key_update(r, &s, RQ_KU_VERIFY));
	CHECK(!rq_end_session(r, &s));
	rq_session_free(&s);
	rq_close(r);
	/* the same device with a requester that wants it encrypted */
	o.flags &= ~RQ_CAP_HS_CLEAR;
	r = connect_dev(D_CLEAR, &o);
	if (!r)
		return 1;
	if (start_ok(r, &s)) {
		CHECK(!s.clear);
		CHECK(!rq_heartbeat(r, &s));
	} else {
		tap_fail = 1;
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* A requester without ENCRYPT_CAP: authenticated, not encrypted. */
static int t_mac_only(long arg)
{
	struct rq_opts o = opts(versions[arg], RQ_DHE_SECP384R1,
				RQ_AEAD_AES_256_GCM,
				RQ_CAP_SESSION & ~RQ_CAP_ENCRYPT);
	uint8_t digests[4] = { versions[arg], RQ_GET_DIGESTS, 0, 0 };
	struct rq_session s;
	unsigned int i;
	struct rq *r;

	r = connect_dev(D_P256, &o);
	if (!r)
		return 1;
	if (start_ok(r, &s)) {
		CHECK(s.mac_only);
		for (i = 0; i < 20; i++)
			CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_secured(r, &s, digests, 4, RQ_DIGESTS));
		/* the response travelled in clear: the digest is in the record */
		CHECK(!rq_key_update(r, &s, RQ_KU_UPDATE_ALL));
		CHECK(!rq_key_update(r, &s, RQ_KU_VERIFY));
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_end_session(r, &s));
	} else {
		tap_fail = 1;
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/*
 * Signed measurements in a session: L2 = VCA || the session's
 * GET_MEASUREMENTS exchanges since the last signed one (1.1: without the
 * VCA); unsecured requests in between do not touch it.  And the
 * MeasurementSummaryHash of KEY_EXCHANGE equals CHALLENGE's.
 */
static int t_meas(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_DHE_SECP256R1, RQ_AEAD_AES_128_GCM,
				RQ_CAP_SESSION);
	uint8_t sum_ke[64], sum_ch[64];
	struct rq_session s;
	struct msg l2, t;
	struct rq *r;
	size_t sig_off;

	r = connect_dev(D_P256, &o);
	if (!r)
		return 1;
	msg_init(&l2);
	msg_init(&t);
	CHECK(!rq_key_exchange(r, &s, 0, RQ_SUMMARY_ALL, 0x4242));
	memcpy(sum_ke, s.summary, r->hash_len);
	CHECK(!rq_finish(r, &s));
	CHECK(!rq_challenge_summary(r, 0, RQ_SUMMARY_ALL, NULL, sum_ch));
	CHECK_MEM(sum_ke, r->hash_len, sum_ch, r->hash_len);
	CHECK(meas_in_session(r, &s, false, &l2));
	CHECK(!rq_get_digests(r));		/* outside: not in the session's L2 */
	CHECK(meas_in_session(r, &s, true, &l2));
	sig_off = r->rsp_len - r->sig_len;
	if (v >= 0x12)
		CHECK(!msg_put(&t, r->a.data, r->a.len));
	CHECK(!msg_put(&t, l2.data, l2.len));
	CHECK(!rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data, t.len,
				    r->rsp + sig_off));
	/* negative control: without the first (unsigned) exchange it fails */
	msg_reset(&l2);
	CHECK(meas_in_session(r, &s, true, &l2));
	msg_reset(&t);
	if (v >= 0x12)
		CHECK(!msg_put(&t, r->a.data, r->a.len));
	CHECK(!msg_put(&t, l2.data, l2.len));
	sig_off = r->rsp_len - r->sig_len;
	CHECK(!rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data, t.len,
				    r->rsp + sig_off));
	CHECK(rq_verify_transcript(r, 0, MEAS_CONTEXT, t.data + 4, t.len - 4,
				   r->rsp + sig_off));
	CHECK(!rq_end_session(r, &s));
	msg_free(&l2);
	msg_free(&t);
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* Ordering rules, errors, session teardown. */
static int t_rules(long arg)
{
	uint8_t v = versions[arg];
	struct rq_opts o = opts(v, RQ_DHE_SECP256R1 | RQ_DHE_SECP384R1,
				RQ_AEAD_AES_256_GCM | RQ_AEAD_CHACHA20,
				RQ_CAP_SESSION);
	uint8_t gv[4] = { 0x10, RQ_GET_VERSION, 0, 0 };
	uint8_t hb[4] = { v, RQ_HEARTBEAT, 0, 0 };
	uint8_t ku[4] = { v, RQ_KEY_UPDATE, RQ_KU_VERIFY, 7 };
	uint8_t ku_bad[4] = { v, RQ_KEY_UPDATE, 4, 7 };
	uint8_t es[4] = { v, RQ_END_SESSION, 0, 0 };
	uint8_t fin[4 + 64] = { v, RQ_FINISH, 0, 0 };
	uint8_t chal[44] = { v, RQ_CHALLENGE, 0, 0 };
	uint8_t outside = v >= 0x12 ? RQ_ERR_SESSION_REQUIRED :
				      RQ_ERR_UNEXPECTED;
	struct rq_session s, more[4];
	struct rq *r;
	unsigned int i;

	r = connect_dev(D_P256, &o);
	if (!r)
		return 1;
	/* preference: secp384r1, AES-256-GCM */
	CHECK_EQ(r->dhe, RQ_DHE_SECP384R1);
	CHECK_EQ(r->aead, RQ_AEAD_AES_256_GCM);
	/* outside a session: SessionRequired from 1.2 on */
	CHECK(rq_expect_error(r, hb, 4, outside));
	CHECK(rq_expect_error(r, es, 4, outside));
	CHECK(rq_expect_error(r, ku, 4, outside));
	CHECK(rq_expect_error(r, fin, 4 + r->hash_len, RQ_ERR_UNEXPECTED));
	/* FINISH in the clear for a session whose handshake is secured */
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x0404));
	CHECK(rq_expect_error(r, fin, 4 + r->hash_len, outside));
	CHECK(!rq_finish(r, &s));	/* the session did not notice */
	/* not in a session */
	CHECK(secured_error(r, &s, gv, 4, RQ_ERR_UNEXPECTED));
	CHECK(secured_error(r, &s, chal, v >= 0x13 ? 44 : 36,
			    RQ_ERR_UNEXPECTED));
	CHECK(secured_error(r, &s, fin, 4 + r->hash_len, RQ_ERR_UNEXPECTED));
	CHECK(secured_error(r, &s, ku, 4, RQ_ERR_INVALID_REQUEST));
	CHECK(secured_error(r, &s, ku_bad, 4, RQ_ERR_INVALID_REQUEST));
	CHECK(!rq_key_update(r, &s, RQ_KU_UPDATE_KEY));
	ku[2] = RQ_KU_UPDATE_ALL;	/* an update before VerifyNewKey */
	CHECK(secured_error(r, &s, ku, 4, RQ_ERR_INVALID_REQUEST));
	CHECK(!rq_key_update(r, &s, RQ_KU_VERIFY));
	CHECK(!rq_heartbeat(r, &s));
	/* a record the responder cannot authenticate ends the session */
	s.req.key[0] ^= 1;
	CHECK(rq_heartbeat(r, &s) && r->error_code == RQ_ERR_DECRYPT &&
	      s.rsp_type == 1);
	s.req.key[0] ^= 1;
	CHECK(rq_heartbeat(r, &s) && r->error_code == 0x02);
	rq_session_free(&s);
	/* four sessions at once, the fifth is refused */
	for (i = 0; i < 4; i++)
		CHECK(start_ok(r, &more[i]));
	CHECK(rq_key_exchange(r, &s, 0, 0, 0x0505) &&
	      r->error_code == 0x0a);
	rq_session_free(&s);
	for (i = 0; i < 4; i++)
		CHECK(!rq_heartbeat(r, &more[i]));
	CHECK(!rq_end_session(r, &more[1]));
	/* a bad RequesterVerifyData: DecryptError in the session, then gone */
	CHECK(!rq_key_exchange(r, &s, 0, 0, 0x0606));
	s.req_finished[0] ^= 1;
	CHECK(rq_finish(r, &s) && r->error_code == RQ_ERR_DECRYPT &&
	      s.rsp_type == 2);
	rq_session_free(&s);
	/* GET_VERSION ends every session */
	CHECK(!rq_get_version(r));
	CHECK(rq_heartbeat(r, &more[0]) && r->error_code == 0x02);
	for (i = 0; i < 4; i++)
		rq_session_free(&more[i]);
	rq_close(r);

	/* no AlgStructs: nothing to key exchange with */
	o.alg_structs = 0;
	r = connect_dev(D_P256, &o);
	if (r) {
		CHECK(!r->dhe && !r->aead);
		CHECK(rq_key_exchange(r, &s, 0, 0, 1));
		rq_session_free(&s);
		rq_close(r);
	}
	/* the requester without KEY_EX_CAP: nothing selected */
	o = opts(v, RQ_DHE_SECP256R1, RQ_AEAD_AES_128_GCM, 0);
	r = connect_dev(D_P256, &o);
	if (r) {
		CHECK(!r->dhe && !r->aead && !r->key_sched);
		rq_close(r);
	}
	return 0;
}

/* session=none, no certificates, dhe=/aead= limits, SPDM 1.0 flags */
static int t_config(long arg)
{
	struct rq_opts o = opts(0x12, RQ_DHE_SECP384R1, RQ_AEAD_AES_256_GCM,
				RQ_CAP_SESSION);
	uint8_t ke[40 + 64 + 2] = { 0x12, RQ_KEY_EXCHANGE };
	struct rq_session s;
	struct rq *r;

	(void)arg;
	r = connect_dev(D_NONE, &o);
	if (r) {
		CHECK(!(r->rsp_flags & (RQ_CAP_SESSION | RQ_CAP_HS_CLEAR)));
		CHECK(!r->dhe && !r->aead);
		CHECK(rq_expect_error(r, ke, sizeof(ke), RQ_ERR_UNSUPPORTED));
		rq_close(r);
	}
	CHECK(!rq_open(&rq, port[D_NOCERTS], &o));
	CHECK(!rq_vca(&rq));
	CHECK(!(rq.rsp_flags & RQ_CAP_SESSION));
	CHECK(rq_expect_error(&rq, ke, sizeof(ke), RQ_ERR_UNSUPPORTED));
	rq_close(&rq);
	/* dhe=secp256r1 aead=aes-128-gcm,chacha20-poly1305 */
	o.dhe = RQ_DHE_SECP384R1;
	r = connect_dev(D_NARROW, &o);
	if (r) {
		CHECK(!r->dhe && !r->aead);
		rq_close(r);
	}
	o.dhe = RQ_DHE_SECP256R1 | RQ_DHE_SECP384R1;
	o.aead = 7;
	r = connect_dev(D_NARROW, &o);
	if (r) {
		CHECK_EQ(r->dhe, RQ_DHE_SECP256R1);
		CHECK_EQ(r->aead, RQ_AEAD_CHACHA20);
		if (start_ok(r, &s))
			CHECK(!rq_heartbeat(r, &s));
		else
			tap_fail = 1;
		rq_session_free(&s);
		rq_close(r);
	}
	/* SPDM 1.0: no session flags in CAPABILITIES */
	o = opts(0x10, 0, 0, 0);
	r = connect_dev(D_P256, &o);
	if (r) {
		CHECK_EQ(r->rsp_flags & ~0x3fU, 0);
		CHECK(r->rsp_flags & 6);
		rq_close(r);
	}
	o = opts(0x11, 0, 0, 0);
	r = connect_dev(D_P256, &o);
	if (r) {
		CHECK_EQ(r->rsp_flags & RQ_CAP_SESSION, RQ_CAP_SESSION);
		rq_close(r);
	}
	return 0;
}

/* ---- session ID byte order -------------------------------------------- */

#define HAND_REQ_ID	0x1234

/*
 * AES-256-GCM as DSP0277 1.x: IV = salt XOR the 64-bit sequence number
 * (little endian, bytes 0-7), written here with OpenSSL directly.
 */
static bool gcm(bool enc, const struct rq_keys *k, const uint8_t *aad,
		size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
		uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t iv[12];
	int n, ok, i;

	memcpy(iv, k->iv, sizeof(iv));
	for (i = 0; i < 8; i++)
		iv[i] ^= (uint8_t)(k->seq >> (8 * i));
	ok = ctx &&
	     EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->key, iv, enc) &&
	     EVP_CipherUpdate(ctx, NULL, &n, aad, aad_len) &&
	     EVP_CipherUpdate(ctx, out, &n, in, len) &&
	     (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag)) &&
	     EVP_CipherFinal_ex(ctx, out + len, &n) > 0 &&
	     (!enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag));
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * A DSP0277 record for a PCIe DOE secured CMA object, laid out byte by
 * byte: SessionID (ReqSessionID LE, then RspSessionID LE: DSP0274's
 * "concatenation of ReqSessionID and RspSessionID"), Length (2, LE),
 * AEAD(ApplicationDataLength (2, LE) || @msg), MAC (16).  No sequence
 * number on the wire for DOE.  Returns the record length.
 */
static size_t hand_record(const struct rq_keys *k, uint16_t first,
			  uint16_t second, const uint8_t *msg, size_t len,
			  uint8_t *rec)
{
	uint8_t plain[64];
	size_t body = 2 + len;

	rec[0] = first & 0xff;
	rec[1] = first >> 8;
	rec[2] = second & 0xff;
	rec[3] = second >> 8;
	rec[4] = (body + 16) & 0xff;
	rec[5] = (body + 16) >> 8;
	plain[0] = len & 0xff;
	plain[1] = len >> 8;
	memcpy(plain + 2, msg, len);
	if (!gcm(true, k, rec, 6, plain, body, rec + 6, rec + 6 + body))
		return 0;
	return 6 + body + 16;
}

/*
 * The responder accepts a record whose SessionID has ReqSessionID first
 * (and answers under the same four bytes), and answers one with the
 * halves swapped with a plain ERROR(InvalidSession) naming those bytes,
 * without touching the session.
 */
static int t_session_id_order(long arg)
{
	struct rq_opts o = opts(versions[arg], RQ_DHE_SECP256R1,
				RQ_AEAD_AES_256_GCM, RQ_CAP_SESSION);
	uint8_t hb[4] = { versions[arg], RQ_HEARTBEAT, 0, 0 };
	uint8_t rec[128], plain[64];
	struct rq_session s;
	size_t len;
	uint8_t type;
	struct rq *r;

	r = connect_dev(D_P256, &o);
	if (!r)
		return 1;
	if (rq_key_exchange(r, &s, 0, 0, HAND_REQ_ID) || rq_finish(r, &s)) {
		printf("# session: %s\n", r->err);
		rq_session_free(&s);
		rq_close(r);
		return 1;
	}
	CHECK(s.rsp_id != HAND_REQ_ID);
	/* ReqSessionID first: accepted, answered under the same ID */
	len = hand_record(&s.req, HAND_REQ_ID, s.rsp_id, hb, 4, rec);
	CHECK(len);
	CHECK(!rq_doe_xchg(r, 2, rec, len, &type));
	CHECK_EQ(type, 2);
	CHECK(r->rsp_len >= 6 + 2 + 4 + 16);
	CHECK_MEM(r->rsp, 4, rec, 4);
	len = r->rsp[4] | r->rsp[5] << 8;
	CHECK_EQ(len, 2 + 4 + 16);
	CHECK(gcm(false, &s.rsp, r->rsp, 6, r->rsp + 6, 6, plain,
		  r->rsp + 12));
	CHECK_EQ(plain[0] | plain[1] << 8, 4);
	CHECK_EQ(plain[3], RQ_HEARTBEAT_ACK);
	s.req.seq++;
	s.rsp.seq++;
	/* the halves swapped (and sealed right): InvalidSession in the clear */
	len = hand_record(&s.req, s.rsp_id, HAND_REQ_ID, hb, 4, rec);
	CHECK(!rq_doe_xchg(r, 2, rec, len, &type));
	CHECK_EQ(type, 1);
	CHECK(r->rsp_len >= 8);
	CHECK_EQ(r->rsp[1], RQ_ERROR);
	CHECK_EQ(r->rsp[2], 0x02);		/* InvalidSession */
	CHECK_MEM(r->rsp + 4, 4, rec, 4);	/* ExtendedErrorData */
	/* the session did not move: the library's next record works */
	CHECK(!rq_heartbeat(r, &s));
	CHECK(!rq_end_session(r, &s));
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* ---- misbehaviours ---------------------------------------------------- */

static const struct {
	enum dev dev;
	bool clear;		/* requester asks for the handshake in the clear */
	int fails_at;		/* 0 KEY_EXCHANGE, 1 FINISH, 2 HEARTBEAT */
	const char *why;
} mb_cases[] = {
	{ M_KE_SIG, false, 0, "signature over TH1 does not verify" },
	{ M_KE_VERIFY, false, 0, "KEY_EXCHANGE_RSP ResponderVerifyData does not match" },
	{ M_KE_VERIFY_CLEAR, true, 1, "FINISH_RSP ResponderVerifyData does not match" },
	{ M_KE_MUT_AUTH, false, 0, "asks for mutual authentication" },
	{ M_BAD_MAC, false, 2, "MAC does not verify" },
	{ M_REPLAY, false, 2, "MAC does not verify" },
	{ M_WRONG_SESSION, false, 2, "SessionID" },
	{ M_UNANNOUNCED, false, 2, "MAC does not verify" },
	{ M_CLEAR, false, 2, "response in the clear" },
};

static const char *mb_name(enum dev d)
{
	const char *p = strstr(dev_spec[d], "misbehave=");

	return p ? p + strlen("misbehave=") : "?";
}

static int t_misbehave(long arg)
{
	int c = arg / ARRAY_SIZE(versions);
	uint8_t v = versions[arg % ARRAY_SIZE(versions)];
	struct rq_opts o = opts(v, RQ_DHE_SECP256R1, RQ_AEAD_AES_256_GCM,
				RQ_CAP_SESSION |
				(mb_cases[c].clear ? RQ_CAP_HS_CLEAR : 0));
	struct rq_session s;
	struct rq *r;
	int at = -1, i;

	r = connect_dev(mb_cases[c].dev, &o);
	if (!r)
		return 1;
	if (rq_key_exchange(r, &s, 0, 0, 0x7777))
		at = 0;
	else if (rq_finish(r, &s))
		at = 1;
	else
		for (i = 0; i < 5 && at < 0; i++)
			if (rq_heartbeat(r, &s))
				at = 2;
	if (at != mb_cases[c].fails_at || !rq_failed_with(r, mb_cases[c].why)) {
		printf("# %s: failed at step %d (expected %d): %s\n",
		       mb_name(mb_cases[c].dev), at, mb_cases[c].fails_at,
		       at < 0 ? "not detected" : r->err);
		tap_fail = 1;
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/* ---- command line, logs ----------------------------------------------- */

static int t_cli(long arg)
{
	char out[PATH_MAX + 16];
	char *const usage[][6] = {
		{ run.responder, "--dhe", "ffdhe2048", NULL },
		{ run.responder, "--dhe", "", NULL },
		{ run.responder, "--aead", "aes-192-gcm", NULL },
		{ run.responder, "--session", "maybe", NULL },
		{ run.responder, "--port", "0:session=off", NULL },
		{ run.responder, "--port", "0:dhe=secp521r1", NULL },
		{ run.responder, "--misbehave", "sm-bad-mac=1", NULL },
		{ run.responder, "--misbehave", "sm-unannounced-key-update=x", NULL },
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
		"sessions on, DHE secp384r1,secp256r1, AEAD aes-256-gcm,chacha20-poly1305,aes-128-gcm",
		"sessions on (handshake in the clear allowed)",
		"sessions off",
		"KEY_EXCHANGE with secp384r1, chacha20-poly1305, slot 0, secured messages 1.2",
		"established (chacha20-poly1305, encrypted)",
		"established (aes-256-gcm, MAC only)",
		"established (handshake in the clear",
		"misbehave ke-bad-sig", "misbehave ke-bad-verify",
		"misbehave ke-mut-auth: MutAuthRequested 0x01 to a requester without MUT_AUTH_CAP",
		"misbehave sm-bad-mac", "misbehave sm-replay",
		"misbehave sm-wrong-session",
		"misbehave sm-unannounced-key-update",
		"misbehave sm-clear",
		"rejected: MAC does not verify; session ended, ERROR DecryptError",
		"RequesterVerifyData does not match",
		"rejected KEY_EXCHANGE: all 4 sessions in use",
		"rejected HEARTBEAT: only allowed in a session",
		"RspSessionID 0x1234): no such session; a session has these halves swapped",
		"rejected GET_VERSION: not allowed in session",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static const char *dhe_name(uint16_t d)
{
	return d == RQ_DHE_SECP256R1 ? "secp256r1" : "secp384r1";
}

static const char *aead_name(uint16_t a)
{
	return a == RQ_AEAD_AES_128_GCM ? "AES-128-GCM" :
	       a == RQ_AEAD_AES_256_GCM ? "AES-256-GCM" : "ChaCha20-Poly1305";
}

static void build_tests(void)
{
	unsigned int v, d, a, i;

	add_test(t_start, 0, "mkcerts, responder with %d devices", NR_DEVS);
	add_test(t_kat_hkdf, 0, "known answers: HKDF RFC 5869 A.1 (both implementations), BinConcat");
	add_test(t_kat_record, 0, "known answers: DSP0277 record, libspdm vectors (both implementations)");
	for (v = 0; v < ARRAY_SIZE(versions); v++)
		for (d = 0; d < ARRAY_SIZE(dhes); d++)
			for (a = 0; a < ARRAY_SIZE(aeads); a++)
				add_test(t_session,
					 (v * ARRAY_SIZE(dhes) + d) *
					 ARRAY_SIZE(aeads) + a,
					 "SPDM %x.%x %s %s: KEY_EXCHANGE, FINISH, %d secured messages, KEY_UPDATE, END_SESSION",
					 versions[v] >> 4, versions[v] & 0xf,
					 dhe_name(dhes[d]), aead_name(aeads[a]),
					 MESSAGES);
	add_test(t_rsa, 0, "SPDM 1.1 RSA-3072 SHA-384 session");
	add_test(t_rsa, 1, "SPDM 1.3 RSA-3072 SHA-384 session");
	for (v = 0; v < ARRAY_SIZE(versions); v++) {
		add_test(t_clear, v, "SPDM %x.%x: handshake in the clear (session=clear)",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_mac_only, v, "SPDM %x.%x: MAC-only session (requester without ENCRYPT_CAP)",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_meas, v, "SPDM %x.%x: signed measurements in a session, summary hash",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_rules, v, "SPDM %x.%x: ordering rules, DecryptError, session limit, GET_VERSION ends sessions",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_session_id_order, v, "SPDM %x.%x: SessionID ReqSessionID first (hand-built record) accepted, halves swapped: InvalidSession",
			 versions[v] >> 4, versions[v] & 0xf);
	}
	add_test(t_config, 0, "session=none, no certificates, dhe=/aead=, SPDM 1.0/1.1 flags");
	for (i = 0; i < ARRAY_SIZE(mb_cases) * ARRAY_SIZE(versions); i++)
		add_test(t_misbehave, i, "misbehave %s: detected (SPDM %x.%x)",
			 mb_name(mb_cases[i / ARRAY_SIZE(versions)].dev),
			 versions[i % ARRAY_SIZE(versions)] >> 4,
			 versions[i % ARRAY_SIZE(versions)] & 0xf);
	add_test(t_cli, 0, "command line: bad --dhe, --aead, --session, misbehaviours: exit 2");
	add_test(t_logged, 0, "sessions, misbehaviours and rejections logged");
	add_test(harness_sigterm, TIMEOUT_S * 1000 * 4,
		 "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	log_level = LOG_QUIET;
	return harness_main(&run, argc, argv, build_tests, &tap_fail);
}
