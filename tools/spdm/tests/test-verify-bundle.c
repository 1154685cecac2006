// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of spdm-verify's offline mode (verify-bundle): evidence
 * bundles are made here, the way the kernel would export them, from real
 * CHALLENGE exchanges with the project's responder (through the test
 * requester, lib-requester.c, which keeps its own transcript) for SPDM
 * 1.0-1.3 and every signature algorithm, and from transcripts signed here
 * with a leaf key (MeasurementSummaryHash, opaque data, a chain without
 * its root).  Genuine bundles must pass; tampered ones must fail, with the
 * failing check named on stderr: a replayed nonce, a flipped transcript
 * or signature byte, a substituted chain, a trust store without the
 * root, lying nonce offsets, a wrong combined prefix, lying algorithms, a
 * broken chain, another device's identity, malformed bundles.
 *
 * Usage: test-verify-bundle [SPDM-VERIFY [RESPONDER [MKCERTS]]]
 * (defaults: $SPDM_VERIFY, $SPDM_RESPONDER, $SPDM_MKCERTS, else
 * spdm-verify next to the responder, ./spdm-responder, ./mkcerts).
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

#include "crypto.h"
#include "lib-requester.h"
#include "lib-harness.h"
#include "tap.h"

#define TIMEOUT_S		10
#define NONCE_LEN		32
#define CONTEXT_LEN		8
#define PREFIX_LEN		100
#define QEMU_NVME_ID	"Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"
#define OTHER_ID	"Vendor=8086:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"

/* certificate chains (mkcerts) and the responder's devices */
enum chain_id { C_P256, C_P384, C_P521, C_RSA2048, C_RSA3072, C_OTHER,
		C_NOSAN, NR_CHAINS };

static const struct mkcert chains[NR_CHAINS] = {
	[C_P256] = { "p256", { "--algo", "ecdsa-p256", NULL } },
	[C_P384] = { "p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	[C_P521] = { "p521", { "--algo", "ecdsa-p521", "--hash", "sha512", NULL } },
	[C_RSA2048] = { "rsa2048", { "--algo", "rsa-2048", NULL } },
	[C_RSA3072] = { "rsa3072", { "--algo", "rsa-3072", "--ca-algo",
				     "rsa-2048", "--hash", "sha384", NULL } },
	[C_OTHER] = { "other", { "--algo", "ecdsa-p256", NULL } },
	[C_NOSAN] = { "nosan", { "--algo", "ecdsa-p256", "--no-san", NULL } },
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-verify-test-XXXXXX",
	.progs = H_VERIFY | H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_CHAINS];
static struct rq rq;

/* ---- a run of spdm-verify --------------------------------------------------- */

/* spdm-verify ARGS... (NULL-terminated), stdin from @in */
static void run_verify(struct result *r, const char *in, ...)
{
	char *argv[32];
	int n = 0;
	va_list ap;

	argv[n++] = run.verify;
	va_start(ap, in);
	while (n < 31 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_capture(r, argv, in, run.tmpdir, TIMEOUT_S * 1000);
}

/* ---- evidence and bundles ---------------------------------------------------- */

struct evidence {
	uint8_t version;
	uint32_t asym, hash;
	size_t hash_len, sig_len;
	uint8_t slot;
	struct msg t;			/* transcript */
	size_t vca_len;
	uint32_t req_off, rsp_off;
	uint8_t nonce[NONCE_LEN];
	uint8_t sig[SPDM_MAX_SIG_LEN];
	struct msg chain;
	enum chain_id chain_id;
	/* bundle knobs */
	bool no_prefix, no_signature, no_device;
	uint8_t prefix[PREFIX_LEN];
	const char *hash_algo;		/* NULL: the right one */
	const char *device_id;
};

static void ev_free(struct evidence *e)
{
	msg_free(&e->t);
	msg_free(&e->chain);
}

static void ev_copy(struct evidence *dst, const struct evidence *src)
{
	*dst = *src;
	msg_init(&dst->t);
	msg_init(&dst->chain);
	msg_put(&dst->t, src->t.data, src->t.len);
	msg_put(&dst->chain, src->chain.data, src->chain.len);
}

static const char *hash_name(uint32_t hash)
{
	return hash == RQ_SHA256 ? "sha256" : hash == RQ_SHA384 ? "sha384" :
	       "sha512";
}

static void b64(FILE *f, const uint8_t *p, size_t n)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	uint32_t v;

	fputc('"', f);
	for (i = 0; i < n; i += 3) {
		v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);
		fputc(a[v >> 18], f);
		fputc(a[(v >> 12) & 63], f);
		fputc(i + 1 < n ? a[(v >> 6) & 63] : '=', f);
		fputc(i + 2 < n ? a[v & 63] : '=', f);
	}
	fputc('"', f);
}

/* The bundle as spdm-verify writes it (format spdm-evidence 1). */
static const char *write_bundle(const struct evidence *e, const char *name)
{
	static char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.json", run.tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "{\n  \"format\": \"spdm-evidence\",\n  \"format_version\": 1,\n");
	fprintf(f, "  \"device\": {\"name\": \"0000:00:08.0\"");
	if (!e->no_device)
		fprintf(f, ", \"id\": \"%s\"", e->device_id ?: QEMU_NVME_ID);
	fprintf(f, "},\n  \"provider\": \"native\", \"sig_type\": \"challenge\",\n");
	fprintf(f, "  \"version\": \"%u.%u\", \"slot\": %u,\n", e->version >> 4,
		e->version & 0xf, e->slot);
	fprintf(f, "  \"base_asym_alg\": %u, \"base_hash_alg\": %u, \"hash_algo\": \"%s\",\n",
		e->asym, e->hash, e->hash_algo ?: hash_name(e->hash));
	fprintf(f, "  \"nonce\": ");
	b64(f, e->nonce, NONCE_LEN);
	fprintf(f, ", \"nonce_source\": \"verifier\",\n");
	fprintf(f, "  \"req_nonce_offset\": %u, \"rsp_nonce_offset\": %u,\n",
		e->req_off, e->rsp_off);
	fprintf(f, "  \"transcript\": ");
	b64(f, e->t.data, e->t.len);
	if (!e->no_signature) {
		fprintf(f, ",\n  \"signature\": ");
		b64(f, e->sig, e->sig_len);
	}
	if (!e->no_prefix) {
		fprintf(f, ",\n  \"combined_prefix\": ");
		b64(f, e->prefix, PREFIX_LEN);
	}
	fprintf(f, ",\n  \"cert_chain\": ");
	b64(f, e->chain.data, e->chain.len);
	fprintf(f, ",\n  \"kernel\": {\"sig_valid\": true, \"chain_anchored\": false}\n}\n");
	return fclose(f) ? NULL : path;
}

static void set_prefix(struct evidence *e)
{
	spdm_combined_prefix(e->version, SPDM_CHALLENGE_AUTH_CONTEXT, e->prefix);
	e->no_prefix = e->version < 0x12;
}

/*
 * A real exchange: VCA, GET_DIGESTS, GET_CERTIFICATE of slot 0 and a
 * CHALLENGE with our nonce; the transcript is the requester's own.
 */
static int genuine(struct evidence *e, enum chain_id c, uint8_t version,
		   uint32_t asym, uint32_t hash)
{
	size_t req_len = 36 + (version >= 0x13 ? CONTEXT_LEN : 0), off, n;
	uint8_t req[44] = { version, RQ_CHALLENGE, 0, 0 };
	struct rq_opts o;
	int ret = -1;

	memset(e, 0, sizeof(*e));
	msg_init(&e->t);
	msg_init(&e->chain);
	rq_opts_default(&o);
	o.version = version;
	o.asym = asym;
	o.hash = hash;
	if (rq_open(&rq, port[c], &o)) {
		printf("# %s\n", rq.err);
		return -1;
	}
	if (rq_vca(&rq) || rq_get_digests(&rq) || rq_get_certificate(&rq, 0)) {
		printf("# %s\n", rq.err);
		goto out;
	}
	if (RAND_bytes(req + 4, NONCE_LEN + CONTEXT_LEN) != 1 ||
	    rq_request(&rq, req, req_len, RQ_CHALLENGE_AUTH)) {
		printf("# CHALLENGE: %s\n", rq.err);
		goto out;
	}
	e->version = version;
	e->asym = rq.asym;
	e->hash = rq.hash;
	e->hash_len = rq.hash_len;
	e->sig_len = rq.sig_len;
	e->chain_id = c;
	off = 4 + rq.hash_len + NONCE_LEN;
	n = off + 2 + (rq.rsp[off] | rq.rsp[off + 1] << 8) +
	    (version >= 0x13 ? CONTEXT_LEN : 0);
	if (rq.rsp_len < n + rq.sig_len) {
		printf("# CHALLENGE_AUTH of %zu bytes\n", rq.rsp_len);
		goto out;
	}
	memcpy(e->nonce, req + 4, NONCE_LEN);
	memcpy(e->sig, rq.rsp + n, rq.sig_len);
	e->vca_len = rq.a.len;
	e->req_off = rq.a.len + rq.b.len + 4;
	e->rsp_off = rq.a.len + rq.b.len + req_len + 4 + rq.hash_len;
	if (msg_put(&e->t, rq.a.data, rq.a.len) ||
	    msg_put(&e->t, rq.b.data, rq.b.len) ||
	    msg_put(&e->t, req, req_len) || msg_put(&e->t, rq.rsp, n) ||
	    msg_put(&e->chain, rq.chain[0], rq.chain_len[0]))
		goto out;
	set_prefix(e);
	ret = 0;
out:
	rq_close(&rq);
	return ret;
}

/* Options of a transcript signed here rather than by the responder. */
struct synth {
	bool meas_summary;		/* CHALLENGE asks for all, H bytes */
	size_t opaque;			/* OpaqueDataLength */
	bool drop_root;			/* chain without its root certificate */
	bool other_context;		/* 1.3: RequesterContext not echoed */
};

static size_t der_len(const uint8_t *p)
{
	/* SEQUENCE with a long-form length of 1 or 2 bytes */
	if (p[1] == 0x81)
		return 3 + p[2];
	if (p[1] == 0x82)
		return 4 + (p[2] << 8 | p[3]);
	return 2 + p[1];
}

/*
 * @base's VCA, then CHALLENGE and CHALLENGE_AUTH made up here and signed
 * with the leaf key of @base's chain, as a responder would.
 */
static int synthetic(struct evidence *e, const struct evidence *base,
		     const struct synth *s)
{
	const struct spdm_hash_alg *h = spdm_hash_by_bit(base->hash);
	size_t req_len = 36 + (base->version >= 0x13 ? CONTEXT_LEN : 0);
	size_t hl = base->hash_len, root, i;
	uint8_t req[44] = { base->version, RQ_CHALLENGE, 0, 0 };
	uint8_t rsp[4 + 64 + NONCE_LEN + 64 + 2 + 1024 + CONTEXT_LEN];
	uint8_t d[64], m[PREFIX_LEN + 64];
	char key_path[PATH_MAX], err[256];
	struct spdm_key key;
	size_t n = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	msg_init(&e->t);
	msg_init(&e->chain);
	e->version = base->version;
	e->asym = base->asym;
	e->hash = base->hash;
	e->hash_len = hl;
	e->sig_len = base->sig_len;
	e->chain_id = base->chain_id;
	e->vca_len = base->vca_len;
	if (s->drop_root) {
		/* header, RootHash (still the root's), the rest */
		root = der_len(base->chain.data + 4 + hl);
		msg_put(&e->chain, base->chain.data, 4 + hl);
		msg_put(&e->chain, base->chain.data + 4 + hl + root,
			base->chain.len - 4 - hl - root);
		e->chain.data[0] = e->chain.len;
		e->chain.data[1] = e->chain.len >> 8;
	} else {
		msg_put(&e->chain, base->chain.data, base->chain.len);
	}
	if (s->meas_summary)
		req[3] = 0xff;
	RAND_bytes(req + 4, NONCE_LEN + CONTEXT_LEN);
	memcpy(e->nonce, req + 4, NONCE_LEN);

	rsp[n++] = base->version;
	rsp[n++] = RQ_CHALLENGE_AUTH;
	rsp[n++] = 0;			/* slot 0 */
	rsp[n++] = 0x01;		/* SlotMask */
	spdm_digest(h, e->chain.data, e->chain.len, NULL, 0, rsp + n);
	n += hl;
	RAND_bytes(rsp + n, NONCE_LEN);
	n += NONCE_LEN;
	if (s->meas_summary) {
		memset(rsp + n, 0x5a, hl);
		n += hl;
	}
	rsp[n++] = s->opaque;
	rsp[n++] = s->opaque >> 8;
	for (i = 0; i < s->opaque; i++)
		rsp[n++] = i;
	if (base->version >= 0x13) {
		memcpy(rsp + n, req + 36, CONTEXT_LEN);
		if (s->other_context)
			rsp[n] ^= 1;
		n += CONTEXT_LEN;
	}
	msg_put(&e->t, base->t.data, base->vca_len);
	e->req_off = base->vca_len + 4;
	e->rsp_off = base->vca_len + req_len + 4 + hl;
	msg_put(&e->t, req, req_len);
	msg_put(&e->t, rsp, n);

	snprintf(key_path, sizeof(key_path), "%s/%s/leaf.key", run.tmpdir,
		 chains[base->chain_id].dir);
	if (spdm_key_load(key_path, &key, err, sizeof(err))) {
		printf("# %s\n", err);
		return -1;
	}
	spdm_digest(h, e->t.data, e->t.len, NULL, 0, d);
	if (e->version >= 0x12) {
		spdm_combined_prefix(e->version, SPDM_CHALLENGE_AUTH_CONTEXT, m);
		memcpy(m + PREFIX_LEN, d, hl);
		spdm_digest(h, m, PREFIX_LEN + hl, NULL, 0, d);
	}
	ret = spdm_sign_digest(&key, e->asym, h, d, e->sig);
	spdm_key_free(&key);
	set_prefix(e);
	return ret;
}

/* ---- expectations --------------------------------------------------------------- */

static char root_pem[NR_CHAINS][PATH_MAX];

/*
 * verify-bundle on @e with the root of its chain trusted and @extra
 * arguments: expect exit status @rc and, on stderr, "FAIL <check>:" for
 * exactly the checks in the comma-separated list @failed.
 */
static bool expect_v(const struct evidence *e, const char *name, int rc,
		     const char *failed, const char *const *extra)
{
	const char *bundle = write_bundle(e, name), *args[16] = { NULL };
	char list[256], *tok, *save = NULL, needle[64];
	struct result r;
	int n = 0, want = 0, got = 0;
	const char *p;
	bool ok = true;

	if (!bundle) {
		printf("# cannot write the bundle\n");
		return false;
	}
	args[n++] = "verify-bundle";
	args[n++] = bundle;
	args[n++] = "--trust";
	args[n++] = root_pem[e->chain_id];
	while (extra && *extra && n < 14)
		args[n++] = *extra++;
	args[n] = NULL;
	run_verify(&r, NULL, args[0], args[1], args[2], args[3], args[4],
		   args[5], args[6], args[7], args[8], args[9], args[10],
		   args[11], args[12], args[13], NULL);
	if (r.rc != rc) {
		printf("# exit status %d, expected %d\n", r.rc, rc);
		ok = false;
	}
	snprintf(list, sizeof(list), "%s", failed ?: "");
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		want++;
		snprintf(needle, sizeof(needle), "FAIL %s:", tok);
		if (!strstr(r.err, needle)) {
			printf("# no '%s' on stderr\n", needle);
			ok = false;
		}
	}
	for (p = r.err; (p = strstr(p, "FAIL ")); p++)
		got++;
	if (got != want) {
		printf("# %d checks failed, expected %d (%s)\n", got, want,
		       failed ?: "none");
		ok = false;
	}
	if (!rc && !strstr(r.out, "verdict: PASS")) {
		printf("# no 'verdict: PASS'\n");
		ok = false;
	}
	if (!ok)
		result_show(&r);
	result_free(&r);
	return ok;
}

/* expect() with extra arguments to spdm-verify */
#define EXPECT(e, rc, failed, ...) ({					\
	const char *const _x[] = { __VA_ARGS__, NULL };			\
	expect_v(e, __func__, rc, failed, _x);				\
})

static bool expect(const struct evidence *e, int rc, const char *failed)
{
	return expect_v(e, "bundle", rc, failed, NULL);
}

/* ---- tests ---------------------------------------------------------------------- */

static int t_start(long arg)
{
	int i;

	(void)arg;
	for (i = 0; i < NR_CHAINS; i++)
		snprintf(root_pem[i], PATH_MAX, "%s/%s/root.pem", run.tmpdir,
			 chains[i].dir);
	harness_mkcerts(&run, chains, NR_CHAINS);
	harness_start_chains(&run, chains, NR_CHAINS, port);
	return 0;
}

/* ---- genuine evidence: versions x algorithms ---- */

static const struct {
	enum chain_id chain;
	uint32_t asym;
	const char *name;
} algos[] = {
	{ C_P256, RQ_ECDSA_P256, "ECDSA P-256" },
	{ C_P384, RQ_ECDSA_P384, "ECDSA P-384" },
	{ C_P521, RQ_ECDSA_P521, "ECDSA P-521" },
	{ C_RSA2048, RQ_RSASSA_2048, "RSASSA-2048" },
	{ C_RSA3072, RQ_RSASSA_3072, "RSASSA-3072" },
	{ C_RSA2048, RQ_RSAPSS_2048, "RSAPSS-2048" },
};

#define NR_ALGOS	ARRAY_SIZE(algos)

static const uint8_t versions[] = { 0x10, 0x11, 0x12, 0x13 };
static const uint32_t hashes[] = { RQ_SHA256, RQ_SHA384, RQ_SHA512 };

static int t_genuine(long arg)
{
	unsigned int v = arg / NR_ALGOS, a = arg % NR_ALGOS;
	struct evidence e;
	int h;

	for (h = 0; h < 3; h++) {
		if (genuine(&e, algos[a].chain, versions[v], algos[a].asym,
			    hashes[h]))
			return 1;
		CHECK_EQ(e.asym, algos[a].asym);
		CHECK_EQ(e.hash, hashes[h]);
		CHECK(expect(&e, 0, NULL));
		ev_free(&e);
	}
	return 0;
}

/* ---- evidence signed here ---- */

static int t_synthetic(long arg)
{
	static const struct synth s[] = {
		{ .meas_summary = true },
		{ .opaque = 37 },
		{ .meas_summary = true, .opaque = 1024 },
	};
	struct evidence base, e;
	size_t i;

	if (genuine(&base, arg ? C_RSA2048 : C_P384, arg ? 0x13 : 0x12,
		    arg ? RQ_RSASSA_2048 : RQ_ECDSA_P384, RQ_SHA384))
		return 1;
	for (i = 0; i < ARRAY_SIZE(s); i++) {
		CHECK(!synthetic(&e, &base, &s[i]));
		CHECK(expect(&e, 0, NULL));
		ev_free(&e);
	}
	ev_free(&base);
	return 0;
}

static int t_context(long arg)
{
	struct synth s = { .other_context = true };
	struct evidence base, e;

	(void)arg;
	if (genuine(&base, C_P256, 0x13, RQ_ECDSA_P256, RQ_SHA256))
		return 1;
	CHECK(!synthetic(&e, &base, &s));
	/* signed, but the responder did not echo our RequesterContext */
	CHECK(expect(&e, 1, "transcript"));
	ev_free(&e);
	ev_free(&base);
	return 0;
}

/* The root is not in the chain: RootHash names one of our anchors. */
static int t_rootless(long arg)
{
	struct synth s = { .drop_root = true };
	struct evidence base, e;

	(void)arg;
	if (genuine(&base, C_P384, 0x12, RQ_ECDSA_P384, RQ_SHA384))
		return 1;
	CHECK(!synthetic(&e, &base, &s));
	CHECK(expect(&e, 0, NULL));
	/* without the root among the anchors, neither chain nor trust */
	e.chain_id = C_OTHER;
	CHECK(expect(&e, 1, "chain,trust"));
	ev_free(&e);
	ev_free(&base);
	return 0;
}

/* ---- tampering, on a 1.2 ECDSA P-384 and a 1.1 RSA bundle ---- */

static struct evidence g12, g11;

static int t_make_base(long arg)
{
	(void)arg;
	CHECK(!genuine(&g12, C_P384, 0x12, RQ_ECDSA_P384, RQ_SHA384));
	CHECK(!genuine(&g11, C_RSA2048, 0x11, RQ_RSASSA_2048, RQ_SHA256));
	if (tap_fail) {
		printf("Bail out! no base evidence\n");
		exit(1);
	}
	return 0;
}

static const struct evidence *base_of(long arg)
{
	return arg ? &g11 : &g12;
}

static int t_replay(long arg)
{
	char other[2 * NONCE_LEN + 1];
	uint8_t n[NONCE_LEN];
	size_t i;

	RAND_bytes(n, sizeof(n));
	for (i = 0; i < NONCE_LEN; i++)
		sprintf(other + 2 * i, "%02x", n[i]);
	CHECK(EXPECT(base_of(arg), 1, "nonce", "--nonce", other));
	/* the right nonce given explicitly */
	for (i = 0; i < NONCE_LEN; i++)
		sprintf(other + 2 * i, "%02x", base_of(arg)->nonce[i]);
	CHECK(EXPECT(base_of(arg), 0, NULL, "--nonce", other));
	return 0;
}

static int t_flip_transcript(long arg)
{
	struct evidence e;

	ev_copy(&e, base_of(arg));
	/* a byte of the certificate data in B: only the signature sees it */
	e.t.data[e.req_off - 4 - 40] ^= 0x01;
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	/* the requester nonce: not ours any more, and unsigned */
	ev_copy(&e, base_of(arg));
	e.t.data[e.req_off + 5] ^= 0x80;
	CHECK(expect(&e, 1, "nonce,signature"));
	ev_free(&e);
	return 0;
}

static int t_flip_signature(long arg)
{
	struct evidence e;
	size_t i;

	for (i = 0; i < 3; i++) {
		ev_copy(&e, base_of(arg));
		e.sig[i * (e.sig_len - 1) / 2] ^= 0x10;
		CHECK(expect(&e, 1, "signature"));
		ev_free(&e);
	}
	return 0;
}

static int t_substituted_chain(long arg)
{
	struct evidence other, e;

	(void)arg;
	if (genuine(&other, C_OTHER, 0x12, RQ_ECDSA_P256, RQ_SHA384))
		return 1;
	ev_copy(&e, &g12);
	msg_free(&e.chain);
	msg_init(&e.chain);
	msg_put(&e.chain, other.chain.data, other.chain.len);
	/* not the chain the device signed for, nor its key; not trusted */
	CHECK(expect(&e, 1, "cert-chain-hash,signature,trust"));
	/* even with its own root trusted */
	e.chain_id = C_OTHER;
	CHECK(expect(&e, 1, "cert-chain-hash,signature"));
	ev_free(&e);
	ev_free(&other);
	return 0;
}

static int t_untrusted_root(long arg)
{
	char dir[PATH_MAX], cmd[6 * PATH_MAX];
	struct evidence e;

	const char *own = chains[base_of(arg)->chain_id].dir;

	/* expect() trusts the root of e.chain_id: another one */
	ev_copy(&e, base_of(arg));
	e.chain_id = C_OTHER;
	CHECK(expect(&e, 1, "trust"));
	/* the intermediate alone does not anchor (no partial chains) */
	snprintf(dir, sizeof(dir), "%s/%s/inter.pem", run.tmpdir, own);
	CHECK(EXPECT(&e, 1, "trust", "--trust", dir));
	/* a directory of anchors holding the root (DER) */
	snprintf(dir, sizeof(dir), "%s/anchors%ld", run.tmpdir, arg);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cp %s/%s/root.der %s/",
		 dir, run.tmpdir, own, dir);
	CHECK(!system(cmd));
	CHECK(EXPECT(&e, 0, NULL, "--trust", dir));
	ev_free(&e);
	return 0;
}

static int t_nonce_offset(long arg)
{
	struct evidence e;

	/* one byte off: no CHALLENGE request there */
	ev_copy(&e, base_of(arg));
	e.req_off++;
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	/* pointing at the responder's nonce, claimed as ours */
	ev_copy(&e, base_of(arg));
	e.req_off = e.rsp_off;
	memcpy(e.nonce, e.t.data + e.rsp_off, NONCE_LEN);
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	/* past the end */
	ev_copy(&e, base_of(arg));
	e.req_off = e.t.len - 8;
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	/* the responder nonce offset lies */
	ev_copy(&e, base_of(arg));
	e.rsp_off -= 4;
	CHECK(expect(&e, 1, "transcript"));
	ev_free(&e);
	return 0;
}

static int t_prefix(long arg)
{
	struct evidence e;

	(void)arg;
	ev_copy(&e, &g12);
	e.prefix[13] = '3';		/* dmtf-spdm-v1.3.* */
	CHECK(expect(&e, 1, "prefix"));
	e.no_prefix = true;
	CHECK(expect(&e, 1, "prefix"));
	ev_free(&e);
	/* 1.1 signs no prefix: one sent is wrong */
	ev_copy(&e, &g11);
	spdm_combined_prefix(0x11, SPDM_CHALLENGE_AUTH_CONTEXT, e.prefix);
	e.no_prefix = false;
	CHECK(expect(&e, 1, "prefix"));
	ev_free(&e);
	return 0;
}

static int t_algorithms(long arg)
{
	struct evidence e;

	(void)arg;
	ev_copy(&e, &g12);
	e.hash_algo = "sha512";
	CHECK(expect(&e, 1, "algorithms"));
	ev_free(&e);
	/* a lie the signed ALGORITHMS contradicts: not only algorithms */
	ev_copy(&e, &g12);
	e.asym = RQ_ECDSA_P256;
	CHECK(expect(&e, 1, "algorithms,signature"));
	ev_free(&e);
	return 0;
}

static int t_chain(long arg)
{
	struct evidence e;
	size_t hl = base_of(arg)->hash_len;

	/* header length */
	ev_copy(&e, base_of(arg));
	e.chain.data[0] ^= 0x04;
	CHECK(expect(&e, 1, "cert-chain-hash,chain"));
	ev_free(&e);
	/* RootHash */
	ev_copy(&e, base_of(arg));
	e.chain.data[4 + hl - 1] ^= 0x01;
	CHECK(expect(&e, 1, "cert-chain-hash,chain"));
	ev_free(&e);
	/* a byte of the leaf's signature: it is no longer signed */
	ev_copy(&e, base_of(arg));
	e.chain.data[e.chain.len - 3] ^= 0x01;
	CHECK(expect(&e, 1, "cert-chain-hash,chain,trust"));
	ev_free(&e);
	return 0;
}

static int t_transcript(long arg)
{
	struct evidence e;

	ev_copy(&e, base_of(arg));
	e.t.len--;
	CHECK(expect(&e, 1, "transcript,signature"));
	ev_free(&e);
	/* GET_VERSION altered: the VCA no longer parses, nor signs */
	ev_copy(&e, base_of(arg));
	e.t.data[1] = 0xe1;
	CHECK(expect(&e, 1, "algorithms,signature"));
	ev_free(&e);
	return 0;
}

static int t_san(long arg)
{
	struct evidence e;
	const struct evidence *b = base_of(arg);

	ev_copy(&e, b);
	e.device_id = OTHER_ID;
	CHECK(expect(&e, 1, "san"));
	/* --device-ids overrides the bundle's */
	CHECK(EXPECT(&e, 0, NULL, "--device-ids", QEMU_NVME_ID));
	CHECK(EXPECT(&e, 0, NULL, "--no-san-check"));
	/* a serial number the certificate does not carry: still matches */
	CHECK(EXPECT(&e, 0, NULL, "--device-ids",
		     QEMU_NVME_ID ":0123456789abcdef"));
	/* identity unknown */
	e.no_device = true;
	CHECK(expect(&e, 1, "san"));
	ev_free(&e);
	return 0;
}

static int t_nosan(long arg)
{
	struct evidence e;
	struct result r;
	const char *bundle;

	(void)arg;
	if (genuine(&e, C_NOSAN, 0x13, RQ_ECDSA_P256, RQ_SHA256))
		return 1;
	CHECK(expect(&e, 0, NULL));
	CHECK(EXPECT(&e, 1, "san", "--require-san"));
	bundle = write_bundle(&e, "nosan");
	run_verify(&r, NULL, "verify-bundle", bundle, "--trust",
		   root_pem[C_NOSAN], NULL);
	CHECK(strstr(r.out, "SKIP  san"));
	result_free(&r);
	ev_free(&e);
	return 0;
}

static int t_incomplete(long arg)
{
	struct evidence e;

	(void)arg;
	ev_copy(&e, &g12);
	e.no_signature = true;
	CHECK(expect(&e, 1, "evidence"));
	ev_free(&e);
	ev_copy(&e, &g12);
	e.version = 0x15;		/* 1.4 is the last one known */
	CHECK(expect(&e, 1, "evidence"));
	e.version = 0x12;
	e.asym = 0x200;			/* SM2: not supported */
	CHECK(expect(&e, 1, "evidence"));
	ev_free(&e);
	return 0;
}

static bool bad_bundle(const char *text, const char *why)
{
	char path[PATH_MAX];
	struct result r;
	bool ok;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.json", run.tmpdir);
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	fclose(f);
	run_verify(&r, NULL, "verify-bundle", path, NULL);
	ok = r.rc == 1 && strstr(r.err, "FAIL evidence:") && strstr(r.err, why);
	if (!ok) {
		printf("# bundle %.60s: expected status 1 with '%s'\n", text, why);
		result_show(&r);
	}
	result_free(&r);
	return ok;
}

/* A bundle and what stderr must say about it, in pairs */
#define B1	"{\"format\": \"spdm-evidence\", \"format_version\": 1"

static const char *const malformed[] = {
	"", "not JSON",
	"[1, 2]", "not a JSON object",
	"{\"format\": \"spdm-evidence\",}", "not JSON",
	"{\"format\": \"x\"}", "not an evidence bundle",
	"{\"format\": \"spdm-evidence\", \"format_version\": 2}",
	"format_version",
	B1 ", \"format_version\": 1}", "duplicate key",
	B1 ", \"transcript\": \"AAA\"}", "not base64",
	B1 ", \"slot\": -1}", "\"slot\"",
	B1 ", \"version\": \"1.x\"}", "\"version\"",
	B1 ", \"nonce\": \"AAAA\"}", "\"nonce\"",
	B1 ", \"meas_indices\": [1, 1]}", "\"meas_indices\"",
	B1 ", \"meas_indices\": [255]}", "\"meas_indices\"",
	B1 ", \"sig_type\": \"key_exchange\"}", "\"sig_type\"",
	B1 "}", "missing: version",
};

static int t_malformed(long arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(malformed); i += 2)
		CHECK(bad_bundle(malformed[i], malformed[i + 1]));
	return 0;
}

/* --json writes a bundle that verifies again; --offline, stdin, -o */
static int t_roundtrip(long arg)
{
	char path[PATH_MAX], saved[PATH_MAX];
	const char *bundle;
	struct result r;
	FILE *f;

	(void)arg;
	bundle = write_bundle(&g12, "rt");
	snprintf(path, sizeof(path), "%s/rt-out.json", run.tmpdir);
	snprintf(saved, sizeof(saved), "%s/rt-saved.json", run.tmpdir);
	run_verify(&r, NULL, "verify-bundle", bundle, "--trust",
		   root_pem[C_P384], "--json", "--pretty", "-o", saved, NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "\"ok\": true"));
	CHECK(strstr(r.out, "\"name\": \"signature\""));
	CHECK(strstr(r.out, "\"responder_nonce\""));
	f = fopen(path, "w");
	if (f) {
		fputs(r.out, f);
		fclose(f);
	}
	result_free(&r);
	run_verify(&r, NULL, "--offline", path, "--trust", root_pem[C_P384],
		   NULL);
	CHECK_EQ(r.rc, 0);
	if (r.rc)
		result_show(&r);
	result_free(&r);
	run_verify(&r, saved, "verify-bundle", "-", "--trust",
		   root_pem[C_P384], "-q", NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(!*r.out);
	result_free(&r);
	/* compact JSON: one line */
	run_verify(&r, NULL, "verify-bundle", bundle, "--trust",
		   root_pem[C_P384], "-j", NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(strchr(r.out, '\n') == r.out + strlen(r.out) - 1);
	result_free(&r);
	return 0;
}

static int t_usage(long arg)
{
	struct result r;

	(void)arg;
	run_verify(&r, NULL, NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "--frobnicate", "verify-bundle", "x", NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "verify-bundle", NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "challenge", "0000:00:08.0", "--nonce", "abcd",
		   NULL);
	CHECK_EQ(r.rc, 2);
	CHECK(strstr(r.err, "--nonce"));
	result_free(&r);
	run_verify(&r, NULL, "challenge", "0000:00:08.0", "--slot", "8", NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "verify-bundle", "x", "--trust", "/nonexistent",
		   NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "verify-bundle", "x", "--device-ids", "1b36",
		   NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "bogus", NULL);
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	run_verify(&r, NULL, "--help", NULL);
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "verify-bundle FILE"));
	result_free(&r);
	run_verify(&r, NULL, "verify-bundle", "/nonexistent.json", NULL);
	CHECK_EQ(r.rc, 3);
	result_free(&r);
	return 0;
}

static void build_tests(void)
{
	unsigned int v, a;

	add_test(t_start, 0, "make chains and start the responder");
	for (v = 0; v < ARRAY_SIZE(versions); v++)
		for (a = 0; a < NR_ALGOS; a++)
			add_test(t_genuine, v * NR_ALGOS + a,
			    "genuine SPDM %u.%u %s, SHA-256/384/512: pass",
			    versions[v] >> 4, versions[v] & 0xf, algos[a].name);
	add_test(t_synthetic, 0, "1.2: MeasurementSummaryHash, opaque data: pass");
	add_test(t_synthetic, 1, "1.3 RSA: MeasurementSummaryHash, opaque data: pass");
	add_test(t_context, 0, "1.3: RequesterContext not echoed: transcript");
	add_test(t_rootless, 0, "chain without its root, RootHash of an anchor");
	add_test(t_make_base, 0, "base evidence: 1.2 ECDSA P-384, 1.1 RSASSA-2048");
	for (a = 0; a < 2; a++) {
		const char *n = a ? "1.1" : "1.2";

		add_test(t_replay, a, "%s: replayed bundle (--nonce): nonce", n);
		add_test(t_flip_transcript, a, "%s: flipped transcript byte: signature", n);
		add_test(t_flip_signature, a, "%s: flipped signature byte: signature", n);
		add_test(t_untrusted_root, a, "%s: root not among the anchors: trust", n);
		add_test(t_nonce_offset, a, "%s: lying nonce offsets: nonce, transcript", n);
		add_test(t_chain, a, "%s: broken chain: chain", n);
		add_test(t_transcript, a, "%s: truncated or altered transcript", n);
		add_test(t_san, a, "%s: subjectAltName of another device: san", n);
	}
	add_test(t_substituted_chain, 0, "substituted chain: cert-chain-hash, signature");
	add_test(t_prefix, 0, "wrong or missing combined prefix: prefix");
	add_test(t_algorithms, 0, "lying algorithms: algorithms");
	add_test(t_nosan, 0, "leaf without a CMA name: skip, or fail with --require-san");
	add_test(t_incomplete, 0, "incomplete or unsupported evidence: evidence");
	add_test(t_malformed, 0, "malformed bundles: evidence");
	add_test(t_roundtrip, 0, "--json bundle verifies again; --offline, stdin, -o");
	add_test(t_usage, 0, "usage errors: exit status 2, missing file: 3");
}

int main(int argc, char **argv)
{
	int ret = harness_main(&run, argc, argv, build_tests, &tap_fail);

	ev_free(&g12);
	ev_free(&g11);
	return ret;
}
