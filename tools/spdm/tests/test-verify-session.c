// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of spdm-verify on secure-session evidence: the TH1 a device
 * signs in KEY_EXCHANGE_RSP (VCA || Hash(CertChain) || KEY_EXCHANGE ||
 * KEY_EXCHANGE_RSP up to the signature), the kernel's verdicts on the
 * session (ResponderVerifyData, FINISH) and the measurements signed
 * inside the session over the same nonce.
 *
 * Evidence comes from two sources: real sessions with the project's
 * responder, opened by the test requester (lib-requester.c, which keeps
 * its own TH1 and checks the signature and ResponderVerifyData itself),
 * for SPDM 1.1-1.3 and ECDSA P-256, P-384 and RSA; and TH1 built here
 * from DSP0274 (SPDM 1.1-1.4; 1.4: VERSION listing 1.4, ExtFlags,
 * PqcAsymAlgo, the ReqPqcAsymAlg and KEMAlg AlgStructures) and signed
 * with the leaf key of a mkcerts chain, which lets a device misbehave
 * before it signs (or select ML-KEM, which spdm-verify cannot walk).  They go to spdm-verify as
 * evidence bundles (verify-bundle) and as key_exchange entries of a
 * fake sysfs signature log (verify-log).
 *
 * Genuine evidence must pass; a replayed bundle, a flipped TH1 byte, a
 * wrong Hash(CertChain), a wrong session ID, lying nonce offsets, TH1
 * truncated at every length or with bytes after it, a kernel that says
 * ResponderVerifyData or FINISH failed, a bad signature and bad session
 * measurements must fail, with exactly the failing checks named on
 * stderr.
 *
 * Usage: test-verify-session [SPDM-VERIFY [RESPONDER [MKCERTS]]]
 * (defaults: $SPDM_VERIFY, $SPDM_RESPONDER, $SPDM_MKCERTS, else
 * spdm-verify next to the responder, ./spdm-responder, ./mkcerts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"
#include "lib-harness.h"
#include "lib-requester.h"
#include "msg.h"
#include "tap.h"

#define TIMEOUT_S		10
#define NONCE_LEN		32
#define CONTEXT_LEN		8
#define PREFIX_LEN		100
#define KE_HDR			40	/* KEY_EXCHANGE(_RSP) up to ExchangeData */
#define DEV			"0000:00:08.0"
#define DEV_ID	"Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"
#define KE_CONTEXT		"responder-key_exchange_rsp signing"

/* DHE groups, AlgStructure types (DSP0274 table 19) */
#define DHE_P256		0x0008
#define DHE_P384		0x0010
#define ALG_DHE			2
#define ALG_AEAD		3
#define ALG_REQ_ASYM		4
#define ALG_KEY_SCHEDULE	5
#define ALG_REQ_PQC_ASYM	6	/* SPDM 1.4 */
#define ALG_KEM			7	/* SPDM 1.4 */
#define KEM_ML_KEM_1024		0x0004
#define MEAS_SHA256		0x02
#define MEAS_SHA384		0x04

enum chain_id { C_P256, C_P384, C_RSA, NR_CHAINS };

static const struct mkcert chains[NR_CHAINS] = {
	[C_P256] = { "p256", { "--algo", "ecdsa-p256", NULL } },
	[C_P384] = { "p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	[C_RSA] = { "rsa2048", { "--algo", "rsa-2048", NULL } },
};

/* the algorithms of the evidence built here, per chain */
static const struct {
	const char *name;
	uint32_t asym, hash, meas_hash;
	uint16_t dhe;
} algs[NR_CHAINS] = {
	[C_P256] = { "P-256", SPDM_ASYM_ECDSA_P256, SPDM_HASH_SHA256,
		     MEAS_SHA256, DHE_P256 },
	[C_P384] = { "P-384", SPDM_ASYM_ECDSA_P384, SPDM_HASH_SHA384,
		     MEAS_SHA384, DHE_P384 },
	[C_RSA] = { "RSA-2048", SPDM_ASYM_RSASSA_2048, SPDM_HASH_SHA256,
		    MEAS_SHA256, DHE_P256 },
};

static const uint8_t versions[] = { 0x11, 0x12, 0x13, 0x14 };
#define NR_VERSIONS	ARRAY_SIZE(versions)
/* the project's responder speaks 1.0 to 1.3 */
#define NR_RESPONDER_VERSIONS	3

static struct harness run = {
	.tmpdir = "/tmp/spdm-verify-session-XXXXXX",
	.progs = H_VERIFY | H_RESPONDER | H_MKCERTS,
};
static char root_pem[NR_CHAINS][PATH_MAX];
static unsigned int port[NR_CHAINS];
static struct rq rq;

/* ---- key-exchange evidence --------------------------------------------- */

struct kev {
	uint8_t version;
	enum chain_id cid;
	uint32_t asym, hash, meas_hash;
	size_t hash_len, sig_len;
	struct msg t;			/* TH1 up to the signature */
	size_t ke, rsp;			/* KEY_EXCHANGE, KEY_EXCHANGE_RSP */
	uint32_t req_off, rsp_off;
	uint8_t nonce[NONCE_LEN];
	uint8_t sig[SPDM_MAX_SIG_LEN];
	uint32_t session_id;
	int rsp_verify, finish;		/* the kernel's verdicts, -1: none */
	struct msg chain;
	/* measurements signed in the session; none if m.len is 0 */
	struct msg m;
	uint32_t m_req_off, m_rsp_off;
	uint8_t m_sig[SPDM_MAX_SIG_LEN];
	const uint8_t *asked;		/* meas_indices (NULL: all) */
	unsigned int nr_asked;
	bool kem;			/* 1.4: ALGORITHMS selects ML-KEM */
};

/* How the device behaves when TH1 is made here */
struct knobs {
	bool summary;			/* MeasurementSummaryHash asked for */
	size_t opaque;			/* KEY_EXCHANGE_RSP OpaqueDataLength */
	bool no_meas;			/* it signs no measurements */
	const uint8_t *indices;		/* measurements read, NULL: all */
	unsigned int nr_indices;
	bool other_chain_hash;		/* it hashes another chain */
	bool trailing;			/* it signs a byte after its response */
	bool meas_other_nonce;		/* measurements over another nonce */
	bool kem;			/* 1.4: ML-KEM selected, not DHE */
};

static void kev_init(struct kev *e, uint8_t version, enum chain_id c)
{
	memset(e, 0, sizeof(*e));
	msg_init(&e->t);
	msg_init(&e->chain);
	msg_init(&e->m);
	e->version = version;
	e->cid = c;
	e->asym = algs[c].asym;
	e->hash = algs[c].hash;
	e->meas_hash = algs[c].meas_hash;
	e->hash_len = spdm_hash_by_bit(e->hash)->len;
	e->sig_len = spdm_asym_sig_len(e->asym);
	e->rsp_verify = 1;
	e->finish = 1;
}

static void kev_free(struct kev *e)
{
	msg_free(&e->t);
	msg_free(&e->chain);
	msg_free(&e->m);
}

static void kev_copy(struct kev *dst, const struct kev *src)
{
	*dst = *src;
	msg_init(&dst->t);
	msg_init(&dst->chain);
	msg_init(&dst->m);
	msg_put(&dst->t, src->t.data, src->t.len);
	msg_put(&dst->chain, src->chain.data, src->chain.len);
	msg_put(&dst->m, src->m.data, src->m.len);
}

static void put_u32(struct msg *m, uint32_t v)
{
	msg_put_le16(m, v & 0xffff);
	msg_put_le16(m, v >> 16);
}

static void put_random(struct msg *m, size_t n)
{
	uint8_t b[256];

	RAND_bytes(b, n);
	msg_put(m, b, n);
}

/* A message header: version, code, Param1, Param2 */
static void put_hdr(struct msg *m, uint8_t ver, uint8_t code, uint8_t p1,
		    uint8_t p2)
{
	msg_put_u8(m, ver);
	msg_put_u8(m, code);
	msg_put_u8(m, p1);
	msg_put_u8(m, p2);
}

/* The AlgStructures of a session-capable negotiation */
static unsigned int nr_alg_structs(uint8_t v)
{
	return v >= 0x14 ? 6 : 4;
}

/*
 * The AlgStructures: DHE, AEAD, ReqBaseAsymAlg, KeySchedule; 1.4 also
 * ReqPqcAsymAlg and KEMAlg
 */
static void put_alg_structs(struct msg *m, uint8_t v, uint16_t dhe,
			    uint16_t kem)
{
	static const uint8_t types[] = {
		ALG_DHE, ALG_AEAD, ALG_REQ_ASYM, ALG_KEY_SCHEDULE,
		ALG_REQ_PQC_ASYM, ALG_KEM,
	};
	const uint16_t sel[] = { dhe, 0x0002, 0x0000, 0x0001, 0x0000, kem };
	size_t i;

	for (i = 0; i < nr_alg_structs(v); i++) {
		msg_put_u8(m, types[i]);
		msg_put_u8(m, 0x20);		/* 2 bytes, no external */
		msg_put_le16(m, sel[i]);
	}
}

/*
 * GET_VERSION .. ALGORITHMS, with DHE, AEAD and KeySchedule selected
 * (1.4: VERSION lists 1.4, CAPABILITIES has ExtFlags, PqcAsymAlgo is
 * offered, PqcAsymSel is 0, and no KEM is selected, or ML-KEM instead
 * of DHE)
 */
static void put_vca(struct msg *t, const struct kev *e)
{
	static const uint8_t version_rsp[] = {
		0x10, 0x04, 0, 0, 0, 3, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13,
		0x00, 0x14,
	};
	uint8_t v = e->version;
	unsigned int nr = nr_alg_structs(v);

	put_hdr(t, 0x10, 0x84, 0, 0);
	msg_put(t, version_rsp, 5);
	msg_put_u8(t, v >= 0x14 ? 4 : 3);
	msg_put(t, version_rsp + 6, v >= 0x14 ? 8 : 6);
	put_hdr(t, v, 0xe1, 0, 0);
	msg_put_fill(t, 0, v >= 0x12 ? 16 : 8);
	put_hdr(t, v, 0x61, 0, 0);
	msg_put_u8(t, 0);
	msg_put_u8(t, 10);			/* CTExponent */
	msg_put_le16(t, v >= 0x14 ? 0x0001 : 0);	/* 1.4: ExtFlags */
	put_u32(t, 1 << 1 | 1 << 2 | 2 << 3 | 1 << 6 | 1 << 7 | 1 << 9);
	if (v >= 0x12) {
		put_u32(t, 4096);
		put_u32(t, 4096);
	}
	put_hdr(t, v, 0xe3, nr, 0);
	msg_put_le16(t, 32 + 4 * nr);
	msg_put_u8(t, 0x01);
	msg_put_u8(t, 0);
	put_u32(t, 0x1ff);
	put_u32(t, 0x07);
	put_u32(t, v >= 0x14 ? 0x7 : 0);	/* 1.4: PqcAsymAlgo */
	msg_put_fill(t, 0, 12);
	put_alg_structs(t, v, DHE_P256 | DHE_P384, 0x0007);
	put_hdr(t, v, 0x63, nr, 0);
	msg_put_le16(t, 36 + 4 * nr);
	msg_put_u8(t, 0x01);			/* DMTF measurements */
	msg_put_u8(t, 0);
	put_u32(t, e->meas_hash);
	put_u32(t, e->asym);
	put_u32(t, e->hash);
	msg_put_fill(t, 0, 16);			/* 1.4: PqcAsymSel 0 */
	put_alg_structs(t, v, e->kem ? 0 : algs[e->cid].dhe,
			e->kem ? KEM_ML_KEM_1024 : 0);
}

/* The whole of @path appended to @m; 0, or -1 if it cannot be read */
static int slurp_into(const char *path, struct msg *m)
{
	uint8_t buf[4096];
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		return -1;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		msg_put(m, buf, got);
	fclose(f);
	return 0;
}

/* The SPDM chain of @e's mkcerts chain: header, Hash(root), DER */
static int load_chain(struct kev *e)
{
	const struct spdm_hash_alg *h = spdm_hash_by_bit(e->hash);
	uint8_t root_hash[SPDM_MAX_HASH_LEN];
	char path[PATH_MAX];
	struct msg root, der;
	int rc = -1;

	msg_init(&root);
	msg_init(&der);
	snprintf(path, sizeof(path), "%s/%s/root.der", run.tmpdir,
		 chains[e->cid].dir);
	if (!slurp_into(path, &root)) {
		snprintf(path, sizeof(path), "%s/%s/chain.der", run.tmpdir,
			 chains[e->cid].dir);
		if (!slurp_into(path, &der)) {
			spdm_digest(h, root.data, root.len, NULL, 0, root_hash);
			msg_put_le16(&e->chain, 4 + h->len + der.len);
			msg_put_le16(&e->chain, 0);
			msg_put(&e->chain, root_hash, h->len);
			msg_put(&e->chain, der.data, der.len);
			rc = 0;
		}
	}
	msg_free(&root);
	msg_free(&der);
	return rc;
}

/* A device's signature over @t: Hash(@t), from 1.2 with the prefix */
static int device_sign(const struct kev *e, const struct msg *t,
		       const char *context, uint8_t *sig)
{
	const struct spdm_hash_alg *h = spdm_hash_by_bit(e->hash);
	uint8_t d[SPDM_MAX_HASH_LEN], m[PREFIX_LEN + SPDM_MAX_HASH_LEN];
	char path[PATH_MAX], err[256];
	struct spdm_key key;
	int rc;

	snprintf(path, sizeof(path), "%s/%s/leaf.key", run.tmpdir,
		 chains[e->cid].dir);
	if (spdm_key_load(path, &key, err, sizeof(err))) {
		printf("# %s\n", err);
		return -1;
	}
	spdm_digest(h, t->data, t->len, NULL, 0, d);
	if (e->version >= 0x12) {
		spdm_combined_prefix(e->version, context, m);
		memcpy(m + PREFIX_LEN, d, h->len);
		spdm_digest(h, m, PREFIX_LEN + h->len, NULL, 0, d);
	}
	rc = spdm_sign_digest(&key, e->asym, h, d, sig);
	spdm_key_free(&key);
	return rc;
}

static size_t dhe_len(const struct kev *e)
{
	return algs[e->cid].dhe == DHE_P384 ? 96 : 64;
}

/* KEY_EXCHANGE with our nonce, as the kernel sends it */
static void put_key_exchange(struct kev *e, const struct knobs *k)
{
	struct msg *t = &e->t;
	uint16_t req_id;

	RAND_bytes((uint8_t *)&req_id, sizeof(req_id));
	req_id |= 1;
	e->ke = t->len;
	put_hdr(t, e->version, 0xe4, k->summary ? 0xff : 0, 0);
	msg_put_le16(t, req_id);
	msg_put_u8(t, 0);			/* SessionPolicy */
	msg_put_u8(t, 0);
	e->req_off = t->len;
	msg_put(t, e->nonce, NONCE_LEN);
	put_random(t, dhe_len(e));
	msg_put_le16(t, 20);			/* secured message versions */
	msg_put_fill(t, 0x11, 20);
	e->session_id = req_id;	/* ReqSessionID first on the wire */
}

/* KEY_EXCHANGE_RSP up to its signature */
static void put_key_exchange_rsp(struct kev *e, const struct knobs *k)
{
	struct msg *t = &e->t;
	uint16_t rsp_id;

	RAND_bytes((uint8_t *)&rsp_id, sizeof(rsp_id));
	e->rsp = t->len;
	put_hdr(t, e->version, 0x64, 0, 0);
	msg_put_le16(t, rsp_id);
	msg_put_u8(t, 0);			/* MutAuthRequested */
	msg_put_u8(t, 0);			/* ReqSlotIDParam */
	e->rsp_off = t->len;
	put_random(t, NONCE_LEN);
	put_random(t, dhe_len(e));
	if (k->summary)
		put_random(t, e->hash_len);
	msg_put_le16(t, k->opaque);
	msg_put_fill(t, 0x22, k->opaque);
	e->session_id |= (uint32_t)rsp_id << 16;
}

/* One block a device measures: index 1 a digest, index 2 a raw value */
static void put_block(struct msg *r, const struct kev *e, uint8_t index)
{
	static const char fw[] = "fw-1.0";
	uint8_t d[SPDM_MAX_HASH_LEN];
	size_t len = e->meas_hash == MEAS_SHA384 ? 48 : 32;

	msg_put_u8(r, index);
	msg_put_u8(r, 0x01);
	if (index == 1) {
		EVP_Digest("rom", 3, d, NULL, len == 48 ? EVP_sha384() :
			   EVP_sha256(), NULL);
		msg_put_le16(r, 3 + len);
		msg_put_u8(r, 0x00);
		msg_put_le16(r, len);
		msg_put(r, d, len);
	} else {
		msg_put_le16(r, 3 + strlen(fw));
		msg_put_u8(r, 0x80 | 0x06);
		msg_put_le16(r, strlen(fw));
		msg_put(r, fw, strlen(fw));
	}
}

/* GET_MEASUREMENTS for @op and its MEASUREMENTS, the last signed */
static void put_meas_pair(struct kev *e, uint8_t op, bool last,
			  const uint8_t *nonce)
{
	uint8_t ctx[CONTEXT_LEN];
	struct msg rec;
	unsigned int n = 0;

	put_hdr(&e->m, e->version, 0xe0, last ? 0x01 : 0, op);
	if (last) {
		e->m_req_off = e->m.len;
		msg_put(&e->m, nonce, NONCE_LEN);
		msg_put_u8(&e->m, 0);		/* slot 0 */
	}
	RAND_bytes(ctx, sizeof(ctx));
	if (e->version >= 0x13)
		msg_put(&e->m, ctx, CONTEXT_LEN);
	msg_init(&rec);
	if (op == 0xff || op == 1) {
		put_block(&rec, e, 1);
		n++;
	}
	if (op == 0xff || op == 2) {
		put_block(&rec, e, 2);
		n++;
	}
	put_hdr(&e->m, e->version, 0x60, 0, 0);
	msg_put_u8(&e->m, n);
	msg_put_le16(&e->m, rec.len);
	msg_put_u8(&e->m, 0);
	msg_put(&e->m, rec.data, rec.len);
	msg_free(&rec);
	if (last)
		e->m_rsp_off = e->m.len;
	put_random(&e->m, NONCE_LEN);
	msg_put_le16(&e->m, 0);
	if (e->version >= 0x13)
		msg_put(&e->m, ctx, CONTEXT_LEN);
}

/* L1/L2 of the measurements read in the session, signed */
static int put_session_meas(struct kev *e, const struct knobs *k)
{
	uint8_t nonce[NONCE_LEN];
	unsigned int i;

	memcpy(nonce, e->nonce, NONCE_LEN);
	if (k->meas_other_nonce)
		nonce[0] ^= 0x80;
	if (e->version >= 0x12)
		put_vca(&e->m, e);
	if (!k->indices) {
		put_meas_pair(e, 0xff, true, nonce);
	} else {
		for (i = 0; i < k->nr_indices; i++)
			put_meas_pair(e, k->indices[i],
				      i == k->nr_indices - 1, nonce);
		e->asked = k->indices;
		e->nr_asked = k->nr_indices;
	}
	return device_sign(e, &e->m, SPDM_MEASUREMENTS_CONTEXT, e->m_sig);
}

/* TH1 as a device answers our KEY_EXCHANGE, signed; then measurements */
static int build(struct kev *e, uint8_t version, enum chain_id c,
		 const struct knobs *k)
{
	const struct spdm_hash_alg *h;
	uint8_t d[SPDM_MAX_HASH_LEN];

	kev_init(e, version, c);
	e->kem = k->kem;
	RAND_bytes(e->nonce, NONCE_LEN);
	if (load_chain(e))
		return -1;
	h = spdm_hash_by_bit(e->hash);
	put_vca(&e->t, e);
	spdm_digest(h, e->chain.data, e->chain.len, NULL, 0, d);
	if (k->other_chain_hash)
		d[3] ^= 0x04;
	msg_put(&e->t, d, h->len);
	put_key_exchange(e, k);
	put_key_exchange_rsp(e, k);
	if (k->trailing)
		msg_put_u8(&e->t, 0);
	if (device_sign(e, &e->t, KE_CONTEXT, e->sig))
		return -1;
	return k->no_meas ? 0 : put_session_meas(e, k);
}

/* ---- evidence from a session with the responder ------------------------- */

/* Signed measurements of all blocks in session @s, over @nonce */
static int responder_meas(struct kev *e, struct rq_session *s,
			  const uint8_t *nonce)
{
	uint8_t req[4 + NONCE_LEN + 1 + CONTEXT_LEN] = {
		rq.version, RQ_GET_MEASUREMENTS, RQ_MEAS_SIG, RQ_MEAS_OP_ALL,
	};
	size_t len = 4 + NONCE_LEN + 1;

	memcpy(req + 4, nonce, NONCE_LEN);
	if (rq.version >= 0x13) {
		RAND_bytes(req + len, CONTEXT_LEN);
		len += CONTEXT_LEN;
	}
	if (rq_secured(&rq, s, req, len, RQ_MEASUREMENTS)) {
		printf("# GET_MEASUREMENTS in the session: %s\n", rq.err);
		return -1;
	}
	if (rq.version >= 0x12)
		msg_put(&e->m, rq.a.data, rq.a.len);
	e->m_req_off = e->m.len + 4;
	msg_put(&e->m, req, len);
	/* the response's nonce follows its MeasurementRecord */
	e->m_rsp_off = e->m.len + 8 + (rq.rsp[5] | rq.rsp[6] << 8 |
				       rq.rsp[7] << 16);
	msg_put(&e->m, rq.rsp, rq.rsp_len - rq.sig_len);
	memcpy(e->m_sig, rq.rsp + rq.rsp_len - rq.sig_len, rq.sig_len);
	return 0;
}

/* TH1 and the rest of a session the requester opened with the device */
static int responder_th1(struct kev *e, struct rq_session *s)
{
	size_t th1_len = s->th.len - rq.sig_len - rq.hash_len;
	size_t d = rq.dhe == RQ_DHE_SECP384R1 ? 96 : 64;
	const uint8_t *opaque_len;

	e->asym = rq.asym;
	e->hash = rq.hash;
	e->meas_hash = rq.meas_hash;
	e->hash_len = rq.hash_len;
	e->sig_len = rq.sig_len;
	e->session_id = s->id;
	if (msg_put(&e->t, s->th.data, th1_len) ||
	    msg_put(&e->chain, rq.chain[0], rq.chain_len[0]))
		return -1;
	memcpy(e->sig, s->th.data + th1_len, rq.sig_len);
	e->ke = rq.a.len + rq.hash_len;
	e->req_off = e->ke + 8;
	memcpy(e->nonce, e->t.data + e->req_off, NONCE_LEN);
	opaque_len = e->t.data + e->ke + KE_HDR + d;
	e->rsp = e->ke + KE_HDR + d + 2 + (opaque_len[0] | opaque_len[1] << 8);
	e->rsp_off = e->rsp + 8;
	return 0;
}

/*
 * A real session with the responder's device @c: VCA with DHE, AEAD and
 * key schedule, the chain of slot 0, KEY_EXCHANGE (its RandomData is our
 * nonce), FINISH, then signed measurements in the session.
 */
static int responder_session(struct kev *e, uint8_t version, enum chain_id c)
{
	struct rq_session s;
	struct rq_opts o;
	int rc = -1;

	kev_init(e, version, c);
	rq_opts_default(&o);
	o.version = version;
	o.flags = RQ_CAP_SESSION;
	o.alg_structs = 4;
	o.dhe = RQ_DHE_SECP256R1 | RQ_DHE_SECP384R1;
	o.aead = RQ_AEAD_AES_256_GCM;
	if (rq_open(&rq, port[c], &o)) {
		printf("# %s\n", rq.err);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	if (rq_vca(&rq) || rq_get_digests(&rq) ||
	    rq_get_certificate(&rq, 0) ||
	    rq_key_exchange(&rq, &s, 0, 0, 0x5e55) ||
	    responder_th1(e, &s) || rq_finish(&rq, &s)) {
		printf("# SPDM %x.%x session with %s: %s\n", version >> 4,
		       version & 0xf, chains[c].dir, rq.err);
		goto out;
	}
	rc = responder_meas(e, &s, e->nonce);
	rq_end_session(&rq, &s);
out:
	rq_session_free(&s);
	rq_close(&rq);
	return rc;
}

/* ---- bundles and log entries -------------------------------------------- */

static void put_b64(FILE *f, const char *key, const uint8_t *p, size_t n)
{
	char *out = malloc(n / 3 * 4 + 8);

	fprintf(f, ",\n  \"%s\": \"", key);
	if (out && n) {
		/* one block, no line breaks */
		EVP_EncodeBlock((unsigned char *)out, p, n);
		fputs(out, f);
	}
	fputc('"', f);
	free(out);
}

/* What a signature covers, at the top or in "session_meas" */
static void put_signed(FILE *f, const struct kev *e, bool meas)
{
	uint8_t prefix[PREFIX_LEN];

	fprintf(f, "\"sig_type\": \"%s\"", meas ? "measurements" :
		"key-exchange");
	fprintf(f, ",\n  \"req_nonce_offset\": %u, \"rsp_nonce_offset\": %u",
		meas ? e->m_req_off : e->req_off,
		meas ? e->m_rsp_off : e->rsp_off);
	if (meas) {
		fprintf(f, ", \"meas_spec\": 1, \"meas_hash_alg\": %u",
			e->meas_hash);
		put_b64(f, "transcript", e->m.data, e->m.len);
		put_b64(f, "signature", e->m_sig, e->sig_len);
	} else {
		put_b64(f, "transcript", e->t.data, e->t.len);
		put_b64(f, "signature", e->sig, e->sig_len);
	}
	if (e->version >= 0x12) {
		spdm_combined_prefix(e->version, meas ?
				     SPDM_MEASUREMENTS_CONTEXT : KE_CONTEXT,
				     prefix);
		put_b64(f, "combined_prefix", prefix, PREFIX_LEN);
	}
}

static void put_kernel(FILE *f, const struct kev *e)
{
	fprintf(f, ",\n  \"kernel\": {\"sig_valid\": true, \"chain_anchored\": true");
	if (e->rsp_verify >= 0)
		fprintf(f, ", \"rsp_verify_valid\": %s",
			e->rsp_verify ? "true" : "false");
	if (e->finish >= 0)
		fprintf(f, ", \"finish_valid\": %s",
			e->finish ? "true" : "false");
	fputc('}', f);
}

/* The bundle the session command would save for @e */
static const char *bundle(const struct kev *e, const char *name)
{
	static char path[PATH_MAX];
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.json", run.tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return "/nonexistent";
	fprintf(f, "{\"format\": \"spdm-evidence\", \"format_version\": 1,\n");
	fprintf(f, "  \"device\": {\"name\": \"%s\", \"id\": \"%s\"},\n", DEV,
		DEV_ID);
	fprintf(f, "  \"provider\": \"native\", \"version\": \"%u.%u\", \"slot\": 0,\n",
		e->version >> 4, e->version & 0xf);
	fprintf(f, "  \"base_asym_alg\": %u, \"base_hash_alg\": %u, \"hash_algo\": \"%s\",\n",
		e->asym, e->hash, spdm_hash_by_bit(e->hash)->name);
	fprintf(f, "  \"meas_indices\": [");
	for (i = 0; i < e->nr_asked; i++)
		fprintf(f, "%s%u", i ? ", " : "", e->asked[i]);
	fprintf(f, "], \"session_id\": %u, \"nonce_source\": \"verifier\"",
		e->session_id);
	put_b64(f, "nonce", e->nonce, NONCE_LEN);
	fprintf(f, ",\n  ");
	put_signed(f, e, false);
	put_b64(f, "cert_chain", e->chain.data, e->chain.len);
	put_kernel(f, e);
	if (e->m.len) {
		fprintf(f, ",\n  \"session_meas\": {");
		put_signed(f, e, true);
		fprintf(f, ", \"kernel\": {\"sig_valid\": true}}");
	}
	fprintf(f, "}\n");
	return fclose(f) ? "/nonexistent" : path;
}

static int put_file(const char *dir, const char *name, const void *p,
		    size_t n)
{
	char path[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = n && fwrite(p, n, 1, f) != 1;
	return fclose(f) || rc ? -1 : 0;
}

static int put_text(const char *dir, const char *name, const char *text)
{
	return put_file(dir, name, text, strlen(text));
}

/* A key_exchange entry of the signature log, as the kernel writes it */
static int log_entry(const struct kev *e, const char *dir)
{
	uint8_t prefix[PREFIX_LEN];
	char text[32];
	int rc;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -1;
	spdm_combined_prefix(e->version, KE_CONTEXT, prefix);
	snprintf(text, sizeof(text), "%u.%u\n", e->version >> 4,
		 e->version & 0xf);
	rc = put_file(dir, "transcript", e->t.data, e->t.len) ||
	     put_file(dir, "signature", e->sig, e->sig_len) ||
	     put_file(dir, "requester_nonce", e->t.data + e->req_off,
		      NONCE_LEN) ||
	     put_file(dir, "responder_nonce", e->t.data + e->rsp_off,
		      NONCE_LEN) ||
	     put_file(dir, "combined_spdm_prefix", prefix,
		      e->version >= 0x12 ? PREFIX_LEN : 0) ||
	     put_file(dir, "certificate_chain", e->chain.data, e->chain.len) ||
	     put_text(dir, "version", text) ||
	     put_text(dir, "type", "key_exchange\n") ||
	     put_text(dir, "slot", "0\n") ||
	     put_text(dir, "signature_valid", "1\n");
	snprintf(text, sizeof(text), "%s\n", spdm_hash_by_bit(e->hash)->name);
	return rc || put_text(dir, "hash_algorithm", text) ? -1 : 0;
}

/* ---- running spdm-verify ------------------------------------------------ */

#define ARGS(...)	((const char *const []){ __VA_ARGS__, NULL })

/* spdm-verify @args @more (NULL-terminated lists, @more may be NULL) */
static void verifier(struct result *r, const char *const *args,
		     const char *const *more)
{
	char *argv[48];
	int n = 0;

	argv[n++] = run.verify;
	for (; *args && n < 40; args++)
		argv[n++] = (char *)*args;
	for (; more && *more && n < 47; more++)
		argv[n++] = (char *)*more;
	argv[n] = NULL;
	run_capture(r, argv, NULL, run.tmpdir, TIMEOUT_S * 1000);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in @list (split at @sep, ended by @end) sorted, joined by "," */
static void sorted(const char *list, const char *prefix, char *out,
		   size_t len)
{
	char *copy = strdup(list), *names[64], *p, *line;
	size_t n = 0, i, used = 0;

	out[0] = 0;
	if (!copy)
		return;
	for (line = strtok_r(copy, "\n,", &p); line && n < 64;
	     line = strtok_r(NULL, "\n,", &p)) {
		if (prefix && strncmp(line, prefix, strlen(prefix)))
			continue;
		line += prefix ? strlen(prefix) : 0;
		line[strcspn(line, ":")] = 0;
		names[n++] = line;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n && used < len; i++)
		used += snprintf(out + used, len - used, "%s%s", i ? "," : "",
				 names[i]);
	free(copy);
}

/*
 * Exit status @rc, and on stderr "FAIL <check>:" for exactly the checks
 * of @failed (comma-separated, any order); "verdict: PASS" if @rc is 0.
 */
static bool verdict_is(const struct result *r, int rc, const char *failed)
{
	char got[512], want[512];

	sorted(r->err, "spdm-verify: FAIL ", got, sizeof(got));
	sorted(failed ?: "", NULL, want, sizeof(want));
	if (r->rc == rc && !strcmp(got, want) &&
	    (rc || strstr(r->out, "verdict: PASS")))
		return true;
	printf("# expected exit status %d failing [%s], got %d failing [%s]\n",
	       rc, want, r->rc, got);
	result_show(r);
	return false;
}

/* verify-bundle of @e with its root trusted, and @more arguments */
static bool bundle_is(const struct kev *e, int rc, const char *failed,
		      const char *const *more)
{
	struct result r;
	bool ok;

	verifier(&r, ARGS("verify-bundle", bundle(e, "b"), "--trust",
			  root_pem[e->cid]), more);
	ok = verdict_is(&r, rc, failed);
	result_free(&r);
	return ok;
}

/* verify-log of @dir with @c's root trusted, and @more arguments */
static bool log_is(const char *dir, enum chain_id c, int rc,
		   const char *failed, const char *const *more)
{
	struct result r;
	bool ok;

	verifier(&r, ARGS("verify-log", dir, "--trust", root_pem[c]), more);
	ok = verdict_is(&r, rc, failed);
	result_free(&r);
	return ok;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- tests -------------------------------------------------------------- */

static int t_start(long arg)
{
	int i;

	(void)arg;
	harness_mkcerts(&run, chains, NR_CHAINS);
	for (i = 0; i < NR_CHAINS; i++)
		snprintf(root_pem[i], PATH_MAX, "%s/%s/root.pem", run.tmpdir,
			 chains[i].dir);
	harness_start_chains(&run, chains, NR_CHAINS, port);
	return 0;
}

/* arg: version index * NR_CHAINS + chain */
#define ARG_VERSION(arg)	versions[(arg) / NR_CHAINS]
#define ARG_CHAIN(arg)		((enum chain_id)((arg) % NR_CHAINS))

/* A real session: the bundle and the log entry verify */
static int t_responder(long arg)
{
	char dir[PATH_MAX];
	struct result r;
	struct kev e;

	CHECK(!responder_session(&e, ARG_VERSION(arg), ARG_CHAIN(arg)));
	if (tap_fail) {
		kev_free(&e);
		return 1;
	}
	verifier(&r, ARGS("verify-bundle", bundle(&e, "real"), "--trust",
			  root_pem[e.cid]), NULL);
	CHECK(verdict_is(&r, 0, NULL));
	CHECK(strstr(r.out, "PASS  session-id       session 0x"));
	CHECK(strstr(r.out, "PASS  cert-chain-hash  TH1's Hash(CertChain)"));
	CHECK(strstr(r.out, "VOUCHED  rsp-verify-data  the kernel reports ResponderVerifyData"));
	CHECK(strstr(r.out, "VOUCHED  dhe-secret"));
	CHECK(strstr(r.out, "measurements signed in the session"));
	CHECK(strstr(r.out, "      index   "));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	result_free(&r);
	snprintf(dir, sizeof(dir), "%s/real-log", run.tmpdir);
	CHECK(!log_entry(&e, dir));
	CHECK(log_is(dir, e.cid, 0, NULL, ARGS("--device-ids", DEV_ID)));
	kev_free(&e);
	return 0;
}

/* TH1 built and signed here, with and without its options */
static int t_genuine(long arg)
{
	static const uint8_t two[] = { 2 }, both[] = { 2, 1 };
	uint8_t v = ARG_VERSION(arg);
	enum chain_id c = ARG_CHAIN(arg);
	struct knobs k = { 0 };
	struct kev e;

	CHECK(!build(&e, v, c, &k));
	CHECK(bundle_is(&e, 0, NULL, NULL));
	kev_free(&e);
	k = (struct knobs){ .summary = true, .opaque = 1024, .no_meas = true };
	CHECK(!build(&e, v, c, &k));
	CHECK(bundle_is(&e, 0, NULL, NULL));
	kev_free(&e);
	k = (struct knobs){ .indices = two, .nr_indices = 1, .opaque = 7 };
	CHECK(!build(&e, v, c, &k));
	CHECK(bundle_is(&e, 0, NULL, NULL));
	kev_free(&e);
	k = (struct knobs){ .indices = both, .nr_indices = 2 };
	CHECK(!build(&e, v, c, &k));
	CHECK(bundle_is(&e, 0, NULL, NULL));
	kev_free(&e);
	return 0;
}

/* Checked with another nonce than the one the evidence was made for */
static int t_replay(long arg)
{
	char other[2 * NONCE_LEN + 1], ours[2 * NONCE_LEN + 1];
	struct knobs k = { .no_meas = arg };
	uint8_t n[NONCE_LEN];
	struct kev e;

	CHECK(!build(&e, 0x12, C_P384, &k));
	RAND_bytes(n, sizeof(n));
	hex(n, NONCE_LEN, other);
	hex(e.nonce, NONCE_LEN, ours);
	CHECK(bundle_is(&e, 1, arg ? "nonce" : "nonce,meas-nonce",
			ARGS("--nonce", other)));
	CHECK(bundle_is(&e, 0, NULL, ARGS("--nonce", ours)));
	kev_free(&e);
	return 0;
}

/* A byte of TH1 or of the signature changed: only the signature fails */
static int t_flip(long arg)
{
	struct knobs k = { .opaque = 5 };
	struct kev base, e;
	size_t at[5], i;

	CHECK(!build(&base, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	at[0] = base.ke + KE_HDR + 3;		/* our ExchangeData */
	at[1] = base.rsp + KE_HDR + 10;		/* the device's */
	at[2] = base.rsp_off + 31;		/* its RandomData */
	at[3] = base.rsp + 4;			/* RspSessionID */
	at[4] = base.t.len - 1;			/* its opaque data */
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		kev_copy(&e, &base);
		e.t.data[at[i]] ^= 0x01;
		if (i == 3)
			e.session_id ^= 0x10000;	/* RspSessionID: upper half */
		CHECK(bundle_is(&e, 1, "signature", NULL));
		kev_free(&e);
	}
	for (i = 0; i < 3; i++) {
		kev_copy(&e, &base);
		e.sig[i * (e.sig_len - 1) / 2] ^= 0x20;
		CHECK(bundle_is(&e, 1, "signature", NULL));
		kev_free(&e);
	}
	kev_free(&base);
	return 0;
}

/* Hash(CertChain) of another chain, signed or changed afterwards */
static int t_cert_hash(long arg)
{
	struct knobs k = { .other_chain_hash = true };
	struct kev e;

	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	CHECK(bundle_is(&e, 1, "cert-chain-hash", NULL));
	kev_free(&e);
	k.other_chain_hash = false;
	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	e.t.data[e.ke - 1] ^= 0x10;
	CHECK(bundle_is(&e, 1, "cert-chain-hash,signature", NULL));
	kev_free(&e);
	return 0;
}

/* The kernel names another session than TH1 opened */
static int t_session_id(long arg)
{
	static const uint32_t flips[] = { 0x1, 0x10000, 0x80008000 };
	struct knobs k = { 0 };
	struct kev e;
	size_t i;

	(void)arg;
	CHECK(!build(&e, 0x13, C_P256, &k));
	for (i = 0; i < ARRAY_SIZE(flips); i++) {
		e.session_id ^= flips[i];
		CHECK(bundle_is(&e, 1, "session-id", NULL));
		e.session_id ^= flips[i];
	}
	CHECK(bundle_is(&e, 0, NULL, NULL));
	kev_free(&e);
	return 0;
}

/* Nonce offsets that are not the RandomData the walk finds */
static int t_offsets(long arg)
{
	struct knobs k = { 0 };
	struct kev base, e;

	CHECK(!build(&base, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	kev_copy(&e, &base);
	e.req_off++;
	CHECK(bundle_is(&e, 1, "nonce,transcript", NULL));
	kev_free(&e);
	kev_copy(&e, &base);
	e.rsp_off += 1;
	CHECK(bundle_is(&e, 1, "transcript", NULL));
	kev_free(&e);
	/* the device's RandomData passed off as our nonce */
	kev_copy(&e, &base);
	e.req_off = e.rsp_off;
	memcpy(e.nonce, e.t.data + e.rsp_off, NONCE_LEN);
	CHECK(bundle_is(&e, 1, "nonce,transcript,meas-nonce", NULL));
	kev_free(&e);
	/* our nonce copied to where an offset points, outside KEY_EXCHANGE */
	kev_copy(&e, &base);
	e.req_off = e.ke - NONCE_LEN;
	memcpy(e.t.data + e.req_off, e.nonce, NONCE_LEN);
	CHECK(bundle_is(&e, 1, "nonce,transcript,cert-chain-hash,signature",
			NULL));
	kev_free(&e);
	kev_free(&base);
	return 0;
}

/* TH1 cut short at every length: the walk fails */
static int t_truncated(long arg)
{
	struct knobs k = { .no_meas = true };
	unsigned int bad = 0;
	struct result r;
	struct kev e;
	size_t full;

	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	full = e.t.len;
	for (e.t.len = 0; e.t.len < full; e.t.len++) {
		verifier(&r, ARGS("verify-bundle", bundle(&e, "cut"), "--trust",
				  root_pem[e.cid], "-q"), NULL);
		if (r.rc != 1 || !strstr(r.err, "FAIL transcript: ")) {
			printf("# TH1 of %zu of %zu bytes:\n", e.t.len, full);
			result_show(&r);
			bad++;
		}
		result_free(&r);
	}
	CHECK_EQ(bad, 0);
	e.t.len = full - 1;
	CHECK(bundle_is(&e, 1, "transcript,signature", NULL));
	e.t.len = e.rsp + 4;
	CHECK(bundle_is(&e, 1, "transcript,signature", NULL));
	e.t.len = e.ke;
	CHECK(bundle_is(&e, 1, "nonce,transcript,signature", NULL));
	e.t.len = full;
	kev_free(&e);
	return 0;
}

/* Bytes after KEY_EXCHANGE_RSP, signed by the device or appended */
static int t_trailing(long arg)
{
	struct knobs k = { .trailing = true };
	struct kev e;

	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	CHECK(bundle_is(&e, 1, "transcript", NULL));
	kev_free(&e);
	k.trailing = false;
	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	msg_put_fill(&e.t, 0, 3);
	CHECK(bundle_is(&e, 1, "transcript,signature", NULL));
	kev_free(&e);
	return 0;
}

/* The kernel's verdicts on what the verifier cannot check */
static int t_verdicts(long arg)
{
	struct knobs k = { .no_meas = arg };
	struct result r;
	struct kev e;

	CHECK(!build(&e, 0x12, C_P256, &k));
	e.rsp_verify = 0;
	CHECK(bundle_is(&e, 1, "rsp-verify-data", NULL));
	e.rsp_verify = 1;
	e.finish = 0;
	CHECK(bundle_is(&e, 1, arg ? "finish" : "finish,in-session", NULL));
	e.finish = -1;
	CHECK(bundle_is(&e, 1, "evidence", NULL));
	e.finish = 1;
	verifier(&r, ARGS("verify-bundle", bundle(&e, "v"), "--trust",
			  root_pem[e.cid]), NULL);
	CHECK(verdict_is(&r, 0, NULL));
	CHECK(strstr(r.out, "VOUCHED  finish           the kernel reports FINISH/FINISH_RSP"));
	CHECK(!!strstr(r.out, "VOUCHED  in-session") == !arg);
	result_free(&r);
	kev_free(&e);
	return 0;
}

/* The measurements signed in the session: signature, nonce, --expect */
static int t_meas(long arg)
{
	static const uint8_t one[] = { 1 };
	char good[256], val[2 * SPDM_MAX_HASH_LEN + 1];
	struct knobs k = { 0 };
	const char *path;
	uint8_t d[SPDM_MAX_HASH_LEN];
	struct kev e;

	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	e.m_sig[2] ^= 0x01;
	CHECK(bundle_is(&e, 1, "meas-signature", NULL));
	e.m_sig[2] ^= 0x01;
	e.m.data[e.m_rsp_off + 3] ^= 0x01;
	CHECK(bundle_is(&e, 1, "meas-signature", NULL));
	e.m.data[e.m_rsp_off + 3] ^= 0x01;
	/* --expect: index 1 is the digest of "rom", 2 the raw "fw-1.0" */
	EVP_Digest("rom", 3, d, NULL, e.meas_hash == MEAS_SHA384 ?
		   EVP_sha384() : EVP_sha256(), NULL);
	hex(d, e.meas_hash == MEAS_SHA384 ? 48 : 32, val);
	snprintf(good, sizeof(good), "1 %s\n2 66772d312e30\n", val);
	path = "expect-good";
	CHECK(!put_text(run.tmpdir, path, good));
	snprintf(good, sizeof(good), "%s/%s", run.tmpdir, path);
	CHECK(bundle_is(&e, 0, NULL, ARGS("--expect", good)));
	CHECK(!put_text(run.tmpdir, path, "2 66772d312e31\n"));
	CHECK(bundle_is(&e, 1, "meas-expect", ARGS("--expect", good)));
	/* indices other than asked for */
	e.asked = one;
	e.nr_asked = 1;
	CHECK(bundle_is(&e, 1, "meas-transcript", NULL));
	kev_free(&e);
	k.meas_other_nonce = true;
	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	CHECK(bundle_is(&e, 1, "meas-nonce", NULL));
	kev_free(&e);
	/* no measurements to compare */
	k = (struct knobs){ .no_meas = true };
	CHECK(!build(&e, ARG_VERSION(arg), ARG_CHAIN(arg), &k));
	CHECK(bundle_is(&e, 1, "expect", ARGS("--expect", good)));
	kev_free(&e);
	return 0;
}

/* ---- the signature log -------------------------------------------------- */

static char devdir[PATH_MAX / 2];	/* a fake sysfs device */
static struct kev log_ev;

static const char *log_dir(unsigned int n)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/signatures/%u", devdir, n);
	return path;
}

/* The device of a fake sysfs with a key_exchange log entry 0 */
static int t_log_make(long arg)
{
	static const char *const ids[][2] = {
		{ "vendor", "0x1b36\n" }, { "device", "0x0010\n" },
		{ "class", "0x010802\n" }, { "revision", "0x02\n" },
		{ "subsystem_vendor", "0x1af4\n" },
		{ "subsystem_device", "0x1100\n" },
	};
	struct knobs k = { .opaque = 12, .no_meas = true };
	uint8_t config[64] = { 0 };
	char sys[PATH_MAX / 4], sigs[PATH_MAX];
	size_t i;

	(void)arg;
	snprintf(sys, sizeof(sys), "%s/sys", run.tmpdir);
	snprintf(devdir, sizeof(devdir), "%s/%s", sys, DEV);
	snprintf(sigs, sizeof(sigs), "%s/signatures", devdir);
	CHECK(!mkdir(sys, 0700) && !mkdir(devdir, 0700) && !mkdir(sigs, 0700));
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		CHECK(!put_text(devdir, ids[i][0], ids[i][1]));
	CHECK(!put_file(devdir, "config", config, sizeof(config)));
	CHECK(!build(&log_ev, 0x12, C_P256, &k));
	CHECK(!log_entry(&log_ev, log_dir(0)));
	/* the device's identity comes from this sysfs */
	setenv("SPDM_VERIFY_SYSFS", sys, 1);
	return 0;
}

static int t_log_genuine(long arg)
{
	char n[2 * NONCE_LEN + 1], saved[PATH_MAX];
	struct result r;

	(void)arg;
	verifier(&r, ARGS("verify-log", devdir, "--trust", root_pem[C_P256]),
		 NULL);
	CHECK(verdict_is(&r, 0, NULL));
	CHECK(strstr(r.out, "PASS  log              type key_exchange; walked from the VCA"));
	CHECK(strstr(r.out, "SKIP  session-id"));
	CHECK(strstr(r.out, "SKIP  rsp-verify-data  the signature log states no rsp-verify-valid"));
	CHECK(strstr(r.out, "SKIP  finish"));
	CHECK(strstr(r.out, "VOUCHED  dhe-secret"));
	CHECK(strstr(r.out, "PASS  san"));
	result_free(&r);
	hex(log_ev.nonce, NONCE_LEN, n);
	CHECK(log_is(log_dir(0), C_P256, 0, NULL, ARGS("--nonce", n)));
	n[5] = n[5] == '0' ? '1' : '0';
	CHECK(log_is(log_dir(0), C_P256, 1, "nonce", ARGS("--nonce", n)));
	/* its bundle verifies offline, as one from the log */
	snprintf(saved, sizeof(saved), "%s/log.json", run.tmpdir);
	verifier(&r, ARGS("verify-log", log_dir(0), "--trust",
			  root_pem[C_P256], "-j", "-o", saved), NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "\"source\":\"sysfs-log\""));
	result_free(&r);
	verifier(&r, ARGS("verify-bundle", saved, "--trust", root_pem[C_P256]),
		 NULL);
	CHECK(verdict_is(&r, 0, NULL));
	CHECK(strstr(r.out, "SKIP  rsp-verify-data"));
	result_free(&r);
	return 0;
}

/* Copies of the entry, each changed once */
static int t_log_tampered(long arg)
{
	const char *dir = log_dir(1);
	uint8_t junk[NONCE_LEN] = { 1, 2, 3 };
	struct kev e;

	(void)arg;
	CHECK(!log_entry(&log_ev, dir));
	CHECK(!put_file(dir, "requester_nonce", junk, NONCE_LEN));
	CHECK(log_is(dir, C_P256, 1, "log", NULL));
	CHECK(!log_entry(&log_ev, dir));
	CHECK(!put_file(dir, "responder_nonce", junk, NONCE_LEN));
	CHECK(log_is(dir, C_P256, 1, "log", NULL));
	/* signature_valid is not believed, either way */
	CHECK(!log_entry(&log_ev, dir));
	CHECK(!put_text(dir, "signature_valid", "0\n"));
	CHECK(log_is(dir, C_P256, 0, NULL, NULL));
	kev_copy(&e, &log_ev);
	e.t.data[e.rsp + KE_HDR + 1] ^= 0x02;
	CHECK(!log_entry(&e, dir));
	CHECK(log_is(dir, C_P256, 1, "signature", NULL));
	kev_free(&e);
	kev_copy(&e, &log_ev);
	e.sig[7] ^= 0x02;
	CHECK(!log_entry(&e, dir));
	CHECK(log_is(dir, C_P256, 1, "signature", NULL));
	kev_free(&e);
	kev_copy(&e, &log_ev);
	e.t.len -= 1;
	CHECK(!log_entry(&e, dir));
	CHECK(log_is(dir, C_P256, 1, "log,evidence,signature", NULL));
	kev_free(&e);
	/* another type: the walk finds no such exchange */
	CHECK(!log_entry(&log_ev, dir));
	CHECK(!put_text(dir, "type", "challenge\n"));
	CHECK(log_is(dir, C_P256, 1, "log,evidence,prefix,signature", NULL));
	return 0;
}

/* ---- JSON, usage -------------------------------------------------------- */

static int t_json(long arg)
{
	char out[PATH_MAX], n[2 * NONCE_LEN + 1];
	struct knobs k = { 0 };
	struct result r;
	struct kev e;

	(void)arg;
	CHECK(!build(&e, 0x13, C_P384, &k));
	snprintf(out, sizeof(out), "%s/saved.json", run.tmpdir);
	verifier(&r, ARGS("verify-bundle", bundle(&e, "j"), "--trust",
			  root_pem[C_P384], "--json", "-o", out), NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "\"sig_type\":\"key-exchange\""));
	CHECK(strstr(r.out, "\"rsp_verify_valid\":true,\"finish_valid\":true}"));
	CHECK(strstr(r.out, "\"session_meas\":{\"sig_type\":\"measurements\""));
	CHECK(strstr(r.out, "\"type_name\":\"firmware-version\""));
	CHECK(strstr(r.out, "\"name\":\"rsp-verify-data\",\"result\":\"vouched\""));
	result_free(&r);
	verifier(&r, ARGS("verify-bundle", out, "--trust", root_pem[C_P384]),
		 NULL);
	CHECK(verdict_is(&r, 0, NULL));
	result_free(&r);
	/* replayed: checked with another nonce */
	hex(e.nonce, NONCE_LEN, n);
	n[0] = n[0] == '0' ? '1' : '0';
	verifier(&r, ARGS("verify-bundle", out, "--trust", root_pem[C_P384],
			  "--nonce", n), NULL);
	CHECK(verdict_is(&r, 1, "nonce,meas-nonce"));
	result_free(&r);
	kev_free(&e);
	return 0;
}

static int t_usage(long arg)
{
	const char *const *const bad[] = {
		ARGS("session"),
		ARGS("session", DEV, "extra"),
		ARGS("session", DEV, "--index", "0"),
		ARGS("session", DEV, "--slot", "8"),
		ARGS("verify-log", "x", "--index", "1"),
		ARGS("dump", DEV, "--type", "key_exchange"),
	};
	struct result r;
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		verifier(&r, bad[i], NULL);
		if (r.rc != 2) {
			printf("# %s %s: not a usage error\n", bad[i][0],
			       bad[i][1] ?: "");
			result_show(&r);
			tap_fail = 1;
		}
		result_free(&r);
	}
	/* no spdm family here: a system error, not usage */
	verifier(&r, ARGS("session", DEV, "-i", "1", "--timeout", "2"), NULL);
	CHECK_EQ(r.rc, 3);
	CHECK(strstr(r.err, "session " DEV ": "));
	result_free(&r);
	verifier(&r, ARGS("--help"), NULL);
	CHECK(strstr(r.out, "session DEVICE"));
	CHECK(strstr(r.out, "rsp-verify-data"));
	result_free(&r);
	return 0;
}

/* SPDM 1.4: what the output says, the log entry; ML-KEM instead of DHE */
static int t_14(long arg)
{
	struct knobs k = { .opaque = 12 };
	char dir[PATH_MAX];
	struct result r;
	struct kev e;

	(void)arg;
	CHECK(!build(&e, 0x14, C_P384, &k));
	verifier(&r, ARGS("verify-bundle", bundle(&e, "v14"), "--trust",
			  root_pem[e.cid]), NULL);
	CHECK(verdict_is(&r, 0, NULL));
	CHECK(strstr(r.out, ") negotiated SPDM 1.4, ECDSA P-384 and SHA-384, DHE secp384r1, as stated"));
	CHECK(strstr(r.out, "PASS  prefix           combined-prefix is \"dmtf-spdm-v1.4.*\" x4 || \"responder-key_exchange_rsp signing\""));
	CHECK(strstr(r.out, "    PASS  prefix           combined-prefix is \"dmtf-spdm-v1.4.*\" x4 || \"responder-measurements signing\""));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	result_free(&r);
	snprintf(dir, sizeof(dir), "%s/v14-log", run.tmpdir);
	CHECK(!log_entry(&e, dir));
	CHECK(log_is(dir, e.cid, 0, NULL, ARGS("--device-ids", DEV_ID)));
	kev_free(&e);
	/* ALGORITHMS selected ML-KEM-1024 and no DHE group */
	k.kem = true;
	k.no_meas = true;
	CHECK(!build(&e, 0x14, C_P384, &k));
	verifier(&r, ARGS("verify-bundle", bundle(&e, "kem"), "--trust",
			  root_pem[e.cid]), NULL);
	CHECK(verdict_is(&r, 1, "transcript"));
	CHECK(strstr(r.err, "ALGORITHMS selected KEM 0x0004 (SPDM 1.4 ML-KEM) for the key exchange, not a DHE group"));
	result_free(&r);
	kev_free(&e);
	return 0;
}

static const char *vname(long arg)
{
	static const char *const names[] = { "1.1", "1.2", "1.3", "1.4" };

	return names[arg / NR_CHAINS];
}

static void build_tests(void)
{
	long a, v;

	add_test(t_start, 0, "make chains, start the responder");
	for (a = 0; a < (long)(NR_RESPONDER_VERSIONS * NR_CHAINS); a++)
		add_test(t_responder, a,
			 "real session, SPDM %s %s: bundle and log entry pass",
			 vname(a), algs[ARG_CHAIN(a)].name);
	for (a = 0; a < (long)(NR_VERSIONS * NR_CHAINS); a++)
		add_test(t_genuine, a,
			 "SPDM %s %s: measurements (all, indices), summary hash, opaque data: pass",
			 vname(a), algs[ARG_CHAIN(a)].name);
	add_test(t_replay, 0, "replayed (--nonce): nonce, meas-nonce");
	add_test(t_replay, 1, "replayed, no session measurements: nonce");
	/* each version, with the chains in turn */
	for (v = 0; v < (long)NR_VERSIONS; v++) {
		a = v * NR_CHAINS;
		add_test(t_flip, a + v % NR_CHAINS,
			 "SPDM %s: flipped TH1 or signature byte: signature",
			 vname(a));
		add_test(t_cert_hash, a + (v + 1) % NR_CHAINS,
			 "SPDM %s: wrong Hash(CertChain): cert-chain-hash",
			 vname(a));
		add_test(t_offsets, a + (v + 2) % NR_CHAINS,
			 "SPDM %s: lying nonce offsets: nonce, transcript",
			 vname(a));
		add_test(t_truncated, a + v % NR_CHAINS,
			 "SPDM %s: TH1 truncated at every length: transcript",
			 vname(a));
		add_test(t_trailing, a + (v + 1) % NR_CHAINS,
			 "SPDM %s: bytes after KEY_EXCHANGE_RSP: transcript",
			 vname(a));
		add_test(t_meas, a + (v + 2) % NR_CHAINS,
			 "SPDM %s: bad session measurements: meas-*",
			 vname(a));
	}
	add_test(t_14, 0,
		 "SPDM 1.4: v1.4 prefixes, log entry pass; ML-KEM selected: transcript");
	add_test(t_session_id, 0, "wrong session-id: session-id");
	add_test(t_verdicts, 0,
		 "kernel: ResponderVerifyData or FINISH failed: rsp-verify-data, finish");
	add_test(t_verdicts, 1, "the same without session measurements");
	add_test(t_log_make, 0, "key_exchange log entry in a fake sysfs");
	add_test(t_log_genuine, 0,
		 "log entry passes; SKIP what the log does not state; --nonce; -j");
	add_test(t_log_tampered, 0, "tampered log entries: log, signature");
	add_test(t_json, 0, "--json bundle verifies again, replayed it fails");
	add_test(t_usage, 0, "usage errors; no kernel: exit 3");
}

int main(int argc, char **argv)
{
	int ret = harness_main(&run, argc, argv, build_tests, &tap_fail);

	kev_free(&log_ev);
	return ret;
}
