// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of spdm-verify on measurement evidence and on entries of the
 * sysfs signature log.  L1/L2 transcripts (the VCA from SPDM 1.2, then
 * GET_MEASUREMENTS/MEASUREMENTS pairs, the last signed) and M1/M2
 * transcripts (VCA, GET_DIGESTS, GET_CERTIFICATE, CHALLENGE) are built
 * here from DSP0274 and signed with the leaf key of a mkcerts chain, as a
 * device would; they go to spdm-verify as evidence bundles
 * (verify-bundle) and as signature log directories (verify-log).
 *
 * Genuine evidence must pass.  Tampered evidence must fail, with exactly
 * the failing checks named on stderr: a replayed nonce, a flipped
 * transcript or signature byte, lying nonce offsets, a duplicate block
 * index, a block size lie, a NumberOfBlocks or count mismatch, a digest
 * of the wrong size, another index than asked for, a misplaced
 * signature request, an unechoed RequesterContext, requests other than
 * the verifier's, --expect mismatches; for log entries also nonce files,
 * type, hash algorithm, version and chain that disagree with the
 * transcript, and signature_valid, which is never trusted.
 *
 * SPDM 1.4: the same with ECDSA P-384 (VERSION listing 1.4, ALGORITHMS
 * with PqcAsymSel, "dmtf-spdm-v1.4.*"), a chain over 64 KiB (u32
 * Length) read with the large GET_CERTIFICATE, ALGORITHMS selecting both
 * a BaseAsymAlgo and a PqcAsymAlgo, a pqc_asym_alg that disagrees; and
 * ML-DSA evidence: with a chain made here that claims ML-DSA-65 (random
 * key and signatures), which a verifier built with OpenSSL before 3.5
 * must report as not checked (NOT-RUN, never PASS), and, where an openssl
 * command with ML-DSA is found ($SPDM_OPENSSL, else openssl in PATH),
 * real ML-DSA-65/87 chains and signatures (pure ML-DSA, context string),
 * which a verifier built with OpenSSL 3.5 must pass (TAP SKIP otherwise).
 *
 * Usage: test-verify-meas [SPDM-VERIFY [MKCERTS]]
 * (defaults: $SPDM_VERIFY, $SPDM_MKCERTS, else ./spdm-verify, ./mkcerts).
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
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "crypto.h"
#include "msg.h"
#include "lib-harness.h"
#include "tap.h"

#ifndef SPDM_MEASUREMENTS_CONTEXT
#define SPDM_MEASUREMENTS_CONTEXT	"responder-measurements signing"
#endif
#define SPDM_KEY_EXCHANGE_CONTEXT	"responder-key_exchange_rsp signing"

#define TIMEOUT_S		10
#define NONCE_LEN		32
#define CONTEXT_LEN		8
#define PREFIX_LEN		100
#define MAX_OPS			8
#define DEV			"0000:00:08.0"
#define QEMU_NVME_ID	"Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"

/* SPDM codes */
#define GET_MEASUREMENTS	0xe0
#define MEASUREMENTS		0x60
#define GET_DIGESTS		0x81
#define DIGESTS			0x01
#define GET_CERTIFICATE		0x82
#define CERTIFICATE		0x02
#define CHALLENGE		0x83
#define CHALLENGE_AUTH		0x03
#define OP_COUNT		0x00
#define OP_ALL			0xff

/* MeasurementHashAlgo bits */
#define MEAS_SHA256		0x02
#define MEAS_SHA384		0x04

/* SPDM 1.4 PqcAsymAlgo (ML-DSA, FIPS 204) */
#define PQC_MLDSA44		0x1
#define PQC_MLDSA65		0x2
#define PQC_MLDSA87		0x4
#define MLDSA65_OID		"2.16.840.1.101.3.4.3.18"
#define MLDSA65_PK_LEN		1952
#define MAX_SIG			4627	/* ML-DSA-87 */
#define LARGE_CERT		0x80	/* GET_CERTIFICATE Param1, 1.4 */

/*
 * mkcerts' chains, then those made here: one of more than 64 KiB (SPDM
 * 1.4's u32 Length, the large GET_CERTIFICATE), ML-DSA ones
 */
enum chain_id { C_P384, C_RSA2048, NR_MKCERTS, C_BIG = NR_MKCERTS,
		C_FAKE65, C_MIXED, C_MLDSA65, C_MLDSA87, NR_CHAINS };

static const struct mkcert chains[NR_MKCERTS] = {
	[C_P384] = { "p384", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	[C_RSA2048] = { "rsa2048", { "--algo", "rsa-2048", NULL } },
};

static const char *chain_dir(enum chain_id c)
{
	static const char *const made[] = {
		[C_BIG - NR_MKCERTS] = "big",
		[C_FAKE65 - NR_MKCERTS] = "mldsa65-fake",
		[C_MIXED - NR_MKCERTS] = "mixed",
		[C_MLDSA65 - NR_MKCERTS] = "mldsa65",
		[C_MLDSA87 - NR_MKCERTS] = "mldsa87",
	};

	return c < NR_MKCERTS ? chains[c].dir : made[c - NR_MKCERTS];
}

/* an openssl command with ML-DSA ("": none), whether spdm-verify has it */
static char mldsa_cli[PATH_MAX];
static bool verify_mldsa;
static char verify_openssl[64];

static struct harness run = {
	.tmpdir = "/tmp/spdm-verify-meas-XXXXXX",
	.progs = H_VERIFY | H_MKCERTS,
};
static char root_pem[NR_CHAINS][PATH_MAX];

/* ---- a run of spdm-verify -------------------------------------------- */

/* spdm-verify with the NULL-terminated @args */
static void run_argv(struct result *r, const char *const *args)
{
	char *argv[40];
	int n = 0;

	argv[n++] = run.verify;
	while (n < 39 && *args)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	run_capture(r, argv, NULL, run.tmpdir, TIMEOUT_S * 1000);
}

#define RUN(r, ...) ({							\
	const char *const _a[] = { __VA_ARGS__, NULL };			\
	run_argv(r, _a);						\
})

/*
 * Exit status @rc and, on stderr, "FAIL <check>:" for exactly the checks
 * in the comma-separated @failed; with status 0 "verdict: PASS".
 */
static bool outcome(const struct result *r, int rc, const char *failed)
{
	char list[256], *tok, *save = NULL, needle[64];
	int want = 0, got = 0;
	const char *p;
	bool ok = true;

	if (r->rc != rc) {
		printf("# exit status %d, expected %d\n", r->rc, rc);
		ok = false;
	}
	snprintf(list, sizeof(list), "%s", failed ?: "");
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		want++;
		snprintf(needle, sizeof(needle), "FAIL %s:", tok);
		if (!strstr(r->err, needle)) {
			printf("# no '%s' on stderr\n", needle);
			ok = false;
		}
	}
	for (p = r->err; (p = strstr(p, "FAIL ")); p++)
		got++;
	if (got != want) {
		printf("# %d checks failed, expected %d (%s)\n", got, want,
		       failed ?: "none");
		ok = false;
	}
	if (!rc && !strstr(r->out, "verdict: PASS")) {
		printf("# no 'verdict: PASS'\n");
		ok = false;
	}
	if (!ok)
		result_show(r);
	return ok;
}

/* ---- files ------------------------------------------------------------------ */

static int write_file(const char *dir, const char *name, const void *data,
		      size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (len && fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static int read_file(const char *path, struct msg *m)
{
	uint8_t buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)))
		msg_put(m, buf, n);
	fclose(f);
	return 0;
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

static void hex(char *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- the device's measurements ------------------------------------------------- */

/* index, DMTFSpecMeasurementValueType, raw value (digests: of the seed) */
static const struct {
	uint8_t index, type;
	bool raw;
	const char *value;
} dev_blocks[] = {
	{ 1, 0x00, false, "boot rom" },
	{ 2, 0x01, false, "firmware 2.4.1" },
	{ 3, 0x02, true, "\x01\x02\x03\x04\x05\x06" },
	{ 4, 0x06, true, "2.4.1" },
};

#define NR_DEV_BLOCKS	ARRAY_SIZE(dev_blocks)

static size_t meas_hash_len(uint32_t meas_hash)
{
	return meas_hash == MEAS_SHA256 ? 32 : 48;
}

/* The Value of block @i as the device reports it */
static size_t block_value(unsigned int i, uint32_t meas_hash, uint8_t *out)
{
	const char *v = dev_blocks[i].value;
	size_t len = strlen(v);

	if (dev_blocks[i].raw) {
		memcpy(out, v, len);
		return len;
	}
	EVP_Digest(v, len, out, NULL, meas_hash == MEAS_SHA256 ?
		   EVP_sha256() : EVP_sha384(), NULL);
	return meas_hash_len(meas_hash);
}

/* ---- evidence ------------------------------------------------------------------- */

/* Misbehaviour of the device (before it signs) */
struct knobs {
	bool dup_index;		/* reading all: block 2 says index 1 */
	bool size_lie;		/* block 1's MeasurementSize 4 too large */
	bool count_lie;		/* NumberOfBlocks one more than there are */
	bool announce_lie;	/* the count response announces one more */
	bool short_digest;	/* a digest of 32 bytes under SHA-384 */
	bool wrong_index;	/* a single index answered with another */
	bool sign_early;	/* the first request asks for a signature too */
	bool other_context;	/* 1.3: the signed response's context differs */
	bool no_count;		/* reading all without counting first */
	size_t opaque;		/* OpaqueDataLength of every response */
	/* SPDM 1.4 */
	bool both_asym;		/* ALGORITHMS: BaseAsymSel and PqcAsymSel */
	uint32_t reserved20;	/* 1.3: ALGORITHMS bytes 20-23 (reserved) */
	bool large_cert;	/* the large GET_CERTIFICATE (1.4) */
	uint16_t chain_hi;	/* chain header bytes 2-3 (1.4: Length) */
	uint8_t sign_version;	/* the prefix it signs (0: the version's) */
	const char *pqc_context;	/* ML-DSA ctx (NULL: the prefix's) */
};

struct spec {
	uint8_t version;
	enum chain_id chain;
	uint32_t asym, hash, meas_hash;
	uint32_t pqc;			/* PqcAsymSel (1.4); asym is 0 then */
	const uint8_t *indices;		/* NULL: all */
	unsigned int nr_indices;
	struct knobs k;
};

struct evidence {
	bool meas;			/* measurements, else challenge */
	uint8_t version;
	uint32_t asym, hash, meas_hash, pqc;
	size_t hash_len, sig_len;
	struct msg t;
	uint32_t req_off, rsp_off;
	size_t cert_rsp;		/* challenge: the CERTIFICATE */
	uint8_t nonce[NONCE_LEN];
	uint8_t sig[MAX_SIG];
	struct msg chain;
	enum chain_id chain_id;
	struct knobs k;
	/* bundle knobs */
	uint8_t asked[MAX_OPS];		/* meas_indices of the bundle */
	int nr_asked;			/* -1: none given */
	bool no_prefix;
	uint8_t prefix[PREFIX_LEN];
	long bundle_pqc;		/* pqc_asym_alg, -1: none */
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

static void put32(struct msg *m, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	msg_put(m, b, 4);
}

/*
 * GET_VERSION .. ALGORITHMS, as a 1.3-capable responder answers (1.4:
 * VERSION lists five versions, CAPABILITIES has ExtFlags, the request
 * offers PqcAsymAlgo and ALGORITHMS has PqcAsymSel)
 */
static void put_vca(struct msg *t, const struct evidence *e)
{
	static const uint8_t get_version[] = { 0x10, 0x84, 0, 0 };
	static const uint8_t version[] = {
		0x10, 0x04, 0, 0, 0, 4, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12,
		0x00, 0x13, 0x00, 0x14,
	};
	uint8_t ver = e->version;
	uint32_t asym = e->asym, pqc = e->pqc;
	size_t n;

	msg_put(t, get_version, sizeof(get_version));
	msg_put(t, version, 6);
	t->data[t->len - 1] = ver >= 0x14 ? 5 : 4;
	msg_put(t, version + 6, ver >= 0x14 ? 10 : 8);
	/* GET_CAPABILITIES, CAPABILITIES (CERT, CHAL, MEAS with signature) */
	n = ver == 0x10 ? 4 : ver == 0x11 ? 12 : 20;
	msg_put_u8(t, ver);
	msg_put_u8(t, 0xe1);
	msg_put_fill(t, 0, n - 2);
	msg_put_u8(t, ver);
	msg_put_u8(t, 0x61);
	msg_put_fill(t, 0, 3);
	msg_put_u8(t, 12);			/* CTExponent */
	msg_put_le16(t, ver >= 0x14 ? 0x0001 : 0);	/* 1.4: ExtFlags */
	put32(t, 1 << 1 | 1 << 2 | 2 << 3);
	if (ver >= 0x12) {
		put32(t, 4096);
		put32(t, 4096);
	}
	/* NEGOTIATE_ALGORITHMS, 32 bytes */
	msg_put_u8(t, ver);
	msg_put_u8(t, 0xe3);
	msg_put_fill(t, 0, 2);
	msg_put_le16(t, 32);
	msg_put_u8(t, 0x01);			/* DMTF */
	msg_put_u8(t, 0);
	put32(t, 0x1ff);
	put32(t, 0x07);
	put32(t, ver >= 0x14 ? 0x7 : 0);	/* 1.4: PqcAsymAlgo */
	msg_put_fill(t, 0, 12);
	/* ALGORITHMS, 36 bytes */
	if (e->k.both_asym) {
		asym = asym ?: SPDM_ASYM_ECDSA_P384;
		pqc = pqc ?: PQC_MLDSA65;
	}
	msg_put_u8(t, ver);
	msg_put_u8(t, 0x63);
	msg_put_fill(t, 0, 2);
	msg_put_le16(t, 36);
	msg_put_u8(t, 0x01);
	msg_put_u8(t, 0);
	put32(t, e->meas_hash);
	put32(t, asym);
	put32(t, e->hash);
	put32(t, ver >= 0x14 ? pqc : e->k.reserved20);	/* 1.4: PqcAsymSel */
	msg_put_fill(t, 0, 12);
}

/*
 * The SPDM chain of @c: Length (u16) and Reserved (1.4: Length, u32),
 * Hash(root), the certificates
 */
static int load_chain(struct evidence *e, enum chain_id c)
{
	const struct spdm_hash_alg *h = spdm_hash_by_bit(e->hash);
	struct msg root, certs;
	uint8_t d[SPDM_MAX_HASH_LEN];
	char path[PATH_MAX];
	int rc = -1;

	msg_init(&root);
	msg_init(&certs);
	snprintf(path, sizeof(path), "%s/%s/root.der", run.tmpdir,
		 chain_dir(c));
	if (read_file(path, &root))
		goto out;
	snprintf(path, sizeof(path), "%s/%s/chain.der", run.tmpdir,
		 chain_dir(c));
	if (read_file(path, &certs))
		goto out;
	spdm_digest(h, root.data, root.len, NULL, 0, d);
	msg_reset(&e->chain);
	msg_put_le16(&e->chain, 4 + h->len + certs.len);
	msg_put_le16(&e->chain, e->k.chain_hi +
		     (e->version >= 0x14 ? (4 + h->len + certs.len) >> 16 : 0));
	msg_put(&e->chain, d, h->len);
	msg_put(&e->chain, certs.data, certs.len);
	e->chain_id = c;
	rc = 0;
out:
	msg_free(&root);
	msg_free(&certs);
	return rc;
}

/* ---- ML-DSA -------------------------------------------------------------------- */

/*
 * The openssl command @cmd... (NULL-terminated) in TMPDIR/@dir, its output
 * in TMPDIR/openssl.log; 0 if it exited 0.
 */
static int openssl_v(bool quiet, const char *const *args)
{
	char *argv[24], log[PATH_MAX];
	int n = 0, rc;

	argv[n++] = mldsa_cli;
	while (*args && n < 23)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	snprintf(log, sizeof(log), "%s/openssl.log", run.tmpdir);
	rc = run_status(argv, log, true);
	if (rc && !quiet)
		dump_file(log, "openssl");
	return rc;
}

#define OPENSSL(...) ({							\
	const char *const _a[] = { __VA_ARGS__, NULL };			\
	openssl_v(false, _a);						\
})

static size_t pqc_sig_len(uint32_t pqc)
{
	return pqc == PQC_MLDSA44 ? 2420 : pqc == PQC_MLDSA65 ? 3309 : 4627;
}

/*
 * The ML-DSA signature of M = prefix || Hash(transcript) (M itself, not
 * hashed again) with the prefix's context string as ML-DSA's ctx: by the
 * openssl command with the leaf key, or random bytes for the fake chain.
 */
static int sign_mldsa(struct evidence *e, const uint8_t *m, size_t len,
		      const char *context)
{
	char key[PATH_MAX], in[PATH_MAX], out[PATH_MAX], opt[96];
	struct msg sig;
	int rc;

	if (e->chain_id < C_MLDSA65) {
		RAND_bytes(e->sig, e->sig_len);
		return 0;
	}
	snprintf(key, sizeof(key), "%s/%s/leaf.key", run.tmpdir,
		 chain_dir(e->chain_id));
	snprintf(in, sizeof(in), "%s/m.bin", run.tmpdir);
	snprintf(out, sizeof(out), "%s/sig.bin", run.tmpdir);
	snprintf(opt, sizeof(opt), "context-string:%s",
		 e->k.pqc_context ?: context);
	if (write_file(run.tmpdir, "m.bin", m, len))
		return -1;
	if (e->k.pqc_context && !*e->k.pqc_context)
		rc = OPENSSL("pkeyutl", "-sign", "-rawin", "-inkey", key, "-in",
			     in, "-out", out);
	else
		rc = OPENSSL("pkeyutl", "-sign", "-rawin", "-inkey", key, "-in",
			     in, "-out", out, "-pkeyopt", opt);
	msg_init(&sig);
	if (!rc)
		rc = read_file(out, &sig);
	if (!rc && sig.len != e->sig_len) {
		printf("# openssl made a %zu-byte signature\n", sig.len);
		rc = -1;
	}
	if (!rc)
		memcpy(e->sig, sig.data, sig.len);
	msg_free(&sig);
	return rc;
}

/* A random signature claiming ML-DSA-65 (RFC 9881) for @x */
static int fake_mldsa_sign(X509 *x, const ASN1_OBJECT *oid)
{
	const ASN1_BIT_STRING *csig;
	const X509_ALGOR *calg;
	uint8_t sig[3309];

	RAND_bytes(sig, sizeof(sig));
	X509_get0_signature(&csig, &calg, x);
	if (!X509_ALGOR_set0((X509_ALGOR *)calg, OBJ_dup(oid), V_ASN1_UNDEF,
			     NULL) ||
	    !X509_ALGOR_set0((X509_ALGOR *)X509_get0_tbs_sigalg(x),
			     OBJ_dup(oid), V_ASN1_UNDEF, NULL) ||
	    !ASN1_BIT_STRING_set((ASN1_BIT_STRING *)csig, sig, sizeof(sig)))
		return -1;
	/* no unused bits */
	((ASN1_BIT_STRING *)csig)->flags &= ~(long)(ASN1_STRING_FLAG_BITS_LEFT | 7);
	((ASN1_BIT_STRING *)csig)->flags |= ASN1_STRING_FLAG_BITS_LEFT;
	return 0;
}

/*
 * A certificate claiming ML-DSA-65 for its key (the OID of RFC 9881) with
 * random bytes as the key: what a verifier without ML-DSA sees of a real
 * one; signed by @ca (ECDSA, SHA-384), or with random bytes claiming
 * ML-DSA-65 if NULL.  @san: the leaf's CMA name; NULL: a CA.
 */
static X509 *fake_mldsa_cert(const char *cn, const char *issuer, long serial,
			     const char *san, EVP_PKEY *ca)
{
	ASN1_OBJECT *oid = OBJ_txt2obj(MLDSA65_OID, 1);
	uint8_t *pk = OPENSSL_malloc(MLDSA65_PK_LEN);
	X509_EXTENSION *ext;
	X509 *x = X509_new();
	char val[160];
	bool ok;

	if (!oid || !pk || !x)
		goto fail;
	RAND_bytes(pk, MLDSA65_PK_LEN);
	ok = X509_set_version(x, X509_VERSION_3) &&
	     ASN1_INTEGER_set(X509_get_serialNumber(x), serial) &&
	     X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
					MBSTRING_ASC, (const uint8_t *)cn, -1,
					-1, 0) &&
	     X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN",
					MBSTRING_ASC, (const uint8_t *)issuer,
					-1, -1, 0) &&
	     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
	     X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400) &&
	     X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(x), OBJ_dup(oid),
				    V_ASN1_UNDEF, NULL, pk, MLDSA65_PK_LEN);
	if (!ok)
		goto fail;
	pk = NULL;			/* the certificate's now */
	snprintf(val, sizeof(val), san ? "otherName:2.23.147;UTF8:%s" :
		 "critical,CA:TRUE", san);
	ext = X509V3_EXT_nconf_nid(NULL, NULL, san ? NID_subject_alt_name :
				   NID_basic_constraints, val);
	if (!ext || !X509_add_ext(x, ext, -1)) {
		X509_EXTENSION_free(ext);
		goto fail;
	}
	X509_EXTENSION_free(ext);
	if (ca ? !X509_sign(x, ca, EVP_sha384()) : fake_mldsa_sign(x, oid))
		goto fail;
	ASN1_OBJECT_free(oid);
	return x;
fail:
	OPENSSL_free(pk);
	ASN1_OBJECT_free(oid);
	X509_free(x);
	return NULL;
}

/* @x appended to TMPDIR/@dir/@name (DER), and written as @pem if given */
static int save_cert(X509 *x, const char *dir, const char *name,
		     const char *pem)
{
	unsigned char *der = NULL;
	char path[PATH_MAX];
	int n = i2d_X509(x, &der), rc = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", run.tmpdir, dir, name);
	f = fopen(path, "a");
	if (f && n > 0 && fwrite(der, 1, n, f) == (size_t)n)
		rc = 0;
	if (f && fclose(f))
		rc = -1;
	OPENSSL_free(der);
	if (rc || !pem)
		return rc;
	snprintf(path, sizeof(path), "%s/%s/%s", run.tmpdir, dir, pem);
	f = fopen(path, "w");
	if (!f)
		return -1;
	rc = PEM_write_X509(f, x) ? 0 : -1;
	return fclose(f) ? -1 : rc;
}

/* The fake ML-DSA-65 chain: root.der, root.pem, chain.der (root, leaf) */
static int make_fake_chain(void)
{
	const char *dir = chain_dir(C_FAKE65);
	char path[PATH_MAX];
	X509 *root, *leaf;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", run.tmpdir, dir);
	if (mkdir(path, 0700))
		return -1;
	root = fake_mldsa_cert("SPDM fake ML-DSA root", "SPDM fake ML-DSA root",
			       1, NULL, NULL);
	leaf = fake_mldsa_cert("SPDM fake ML-DSA device",
			       "SPDM fake ML-DSA root", 2, QEMU_NVME_ID, NULL);
	if (root && leaf && !save_cert(root, dir, "root.der", "root.pem") &&
	    !save_cert(root, dir, "chain.der", NULL) &&
	    !save_cert(leaf, dir, "chain.der", NULL))
		rc = 0;
	X509_free(root);
	X509_free(leaf);
	return rc;
}

/* An extension of @len zero bytes (OID 1.3.6.1.4.1.32473.1) to @x */
static int add_padding(X509 *x, size_t len)
{
	ASN1_OBJECT *oid = OBJ_txt2obj("1.3.6.1.4.1.32473.1", 1);
	ASN1_OCTET_STRING *val = ASN1_OCTET_STRING_new();
	uint8_t *der = calloc(1, len + 5);
	X509_EXTENSION *ext = NULL;
	int rc = -1;

	if (oid && val && der) {
		/* an OCTET STRING with a 3-byte length */
		der[0] = 0x04;
		der[1] = 0x83;
		der[2] = len >> 16;
		der[3] = len >> 8;
		der[4] = len;
		if (ASN1_OCTET_STRING_set(val, der, len + 5))
			ext = X509_EXTENSION_create_by_OBJ(NULL, oid, 0, val);
	}
	if (ext && X509_add_ext(x, ext, -1))
		rc = 0;
	X509_EXTENSION_free(ext);
	ASN1_OCTET_STRING_free(val);
	ASN1_OBJECT_free(oid);
	free(der);
	return rc;
}

/*
 * A certificate for @key by @ca (NULL: self-signed, @pad bytes of
 * padding), with @ext (configuration of extension @nid)
 */
static X509 *p384_cert(EVP_PKEY *key, EVP_PKEY *ca, const char *cn,
		       const char *issuer, long serial, const char *ext,
		       int nid, size_t pad)
{
	X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, NULL, nid, ext);
	X509 *x = X509_new();

	if (!e || !x || !X509_set_version(x, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), serial) ||
	    !X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN",
					MBSTRING_ASC, (const uint8_t *)cn, -1,
					-1, 0) ||
	    !X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN",
					MBSTRING_ASC, (const uint8_t *)issuer,
					-1, -1, 0) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), -3600) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400) ||
	    !X509_set_pubkey(x, key) || !X509_add_ext(x, e, -1) ||
	    (pad && add_padding(x, pad)) ||
	    !X509_sign(x, ca ?: key, EVP_sha384())) {
		X509_free(x);
		x = NULL;
	}
	X509_EXTENSION_free(e);
	return x;
}

/* ECDSA P-384, a root of 70 KB and a leaf: chain over 64 KiB */
static int make_big_chain(void)
{
	const char *dir = chain_dir(C_BIG);
	EVP_PKEY *rk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	EVP_PKEY *lk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	char path[PATH_MAX];
	X509 *root = NULL, *leaf = NULL;
	int rc = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", run.tmpdir, dir);
	if (!rk || !lk || mkdir(path, 0700))
		goto out;
	root = p384_cert(rk, NULL, "SPDM big root", "SPDM big root", 1,
			 "critical,CA:TRUE", NID_basic_constraints, 70000);
	leaf = p384_cert(lk, rk, "SPDM big device", "SPDM big root", 2,
			 "otherName:2.23.147;UTF8:" QEMU_NVME_ID,
			 NID_subject_alt_name, 0);
	snprintf(path, sizeof(path), "%s/%s/leaf.key", run.tmpdir, dir);
	f = fopen(path, "w");
	if (!f)
		goto out;
	rc = PEM_write_PrivateKey(f, lk, NULL, NULL, 0, NULL, NULL) ? 0 : -1;
	if (fclose(f) || !root || !leaf ||
	    save_cert(root, dir, "root.der", "root.pem") ||
	    save_cert(root, dir, "chain.der", NULL) ||
	    save_cert(leaf, dir, "chain.der", NULL))
		rc = -1;
out:
	X509_free(root);
	X509_free(leaf);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(lk);
	return rc;
}

/* An ECDSA P-384 root that signed a leaf with an ML-DSA-65 key (fake) */
static int make_mixed_chain(void)
{
	const char *dir = chain_dir(C_MIXED);
	EVP_PKEY *rk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	char path[PATH_MAX];
	X509 *root = NULL, *leaf = NULL;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", run.tmpdir, dir);
	if (!rk || mkdir(path, 0700))
		goto out;
	root = p384_cert(rk, NULL, "SPDM mixed root", "SPDM mixed root", 1,
			 "critical,CA:TRUE", NID_basic_constraints, 0);
	leaf = fake_mldsa_cert("SPDM mixed device", "SPDM mixed root", 2,
			       QEMU_NVME_ID, rk);
	if (root && leaf && !save_cert(root, dir, "root.der", "root.pem") &&
	    !save_cert(root, dir, "chain.der", NULL) &&
	    !save_cert(leaf, dir, "chain.der", NULL))
		rc = 0;
out:
	X509_free(root);
	X509_free(leaf);
	EVP_PKEY_free(rk);
	return rc;
}

/* A real ML-DSA chain (root, leaf with the CMA name) by the openssl command */
static int make_mldsa_chain(enum chain_id c, const char *alg)
{
	static const char ext[] =
		"basicConstraints=critical,CA:FALSE\n"
		"keyUsage=critical,digitalSignature\n"
		"subjectAltName=otherName:2.23.147;UTF8:" QEMU_NVME_ID "\n";
	char d[PATH_MAX], rk[PATH_MAX + 16], rd[PATH_MAX + 16],
	     rp[PATH_MAX + 16], lk[PATH_MAX + 16], lc[PATH_MAX + 16],
	     ld[PATH_MAX + 16], cnf[PATH_MAX + 16];
	struct msg a, b;
	int rc;

	snprintf(d, sizeof(d), "%s/%s", run.tmpdir, chain_dir(c));
	if (mkdir(d, 0700))
		return -1;
	snprintf(rk, sizeof(rk), "%s/root.key", d);
	snprintf(rd, sizeof(rd), "%s/root.der", d);
	snprintf(rp, sizeof(rp), "%s/root.pem", d);
	snprintf(lk, sizeof(lk), "%s/leaf.key", d);
	snprintf(lc, sizeof(lc), "%s/leaf.csr", d);
	snprintf(ld, sizeof(ld), "%s/leaf.der", d);
	snprintf(cnf, sizeof(cnf), "%s/leaf.cnf", d);
	if (write_file(d, "leaf.cnf", ext, strlen(ext)) ||
	    OPENSSL("genpkey", "-algorithm", alg, "-out", rk) ||
	    OPENSSL("req", "-x509", "-new", "-key", rk, "-subj",
		    "/O=SPDM test/CN=SPDM ML-DSA root CA", "-days", "3650",
		    "-addext", "basicConstraints=critical,CA:TRUE",
		    "-addext", "keyUsage=critical,keyCertSign", "-out", rp) ||
	    OPENSSL("x509", "-in", rp, "-outform", "DER", "-out", rd) ||
	    OPENSSL("genpkey", "-algorithm", alg, "-out", lk) ||
	    OPENSSL("req", "-new", "-key", lk, "-subj",
		    "/O=SPDM test/CN=SPDM ML-DSA device", "-out", lc) ||
	    OPENSSL("x509", "-req", "-in", lc, "-CA", rp, "-CAkey", rk,
		    "-set_serial", "2", "-days", "3650", "-extfile", cnf,
		    "-outform", "DER", "-out", ld))
		return -1;
	msg_init(&a);
	msg_init(&b);
	rc = read_file(rd, &a) || read_file(ld, &b);
	if (!rc) {
		msg_put(&a, b.data, b.len);
		rc = write_file(d, "chain.der", a.data, a.len);
	}
	msg_free(&a);
	msg_free(&b);
	return rc;
}

/* An openssl with ML-DSA: $SPDM_OPENSSL, else openssl in PATH */
static void find_mldsa_cli(void)
{
	const char *env = getenv("SPDM_OPENSSL"), *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, key[PATH_MAX];

	if (env && *env) {
		snprintf(mldsa_cli, sizeof(mldsa_cli), "%s", env);
	} else if (path) {
		dirs = strdup(path);
		for (dir = strtok_r(dirs, ":", &save); dir;
		     dir = strtok_r(NULL, ":", &save)) {
			snprintf(mldsa_cli, sizeof(mldsa_cli), "%s/openssl", dir);
			if (!access(mldsa_cli, X_OK))
				break;
		}
		free(dirs);
		if (!dir)
			mldsa_cli[0] = 0;
	}
	snprintf(key, sizeof(key), "%s/probe.key", run.tmpdir);
	if (*mldsa_cli && access(mldsa_cli, X_OK))
		mldsa_cli[0] = 0;
	if (*mldsa_cli &&
	    openssl_v(true, (const char *const []){ "genpkey", "-algorithm",
						    "ML-DSA-65", "-out", key,
						    NULL }))
		mldsa_cli[0] = 0;
}

/* Whether spdm-verify verifies ML-DSA, from its --version */
static void probe_verify(void)
{
	struct result r;
	const char *p;

	RUN(&r, "--version");
	verify_mldsa = strstr(r.out, "ML-DSA verified");
	p = strstr(r.out, "OpenSSL ");
	snprintf(verify_openssl, sizeof(verify_openssl), "%.*s",
		 p ? (int)strcspn(p, ",)") : 7, p ?: "OpenSSL");
	result_free(&r);
}

/*
 * Sign the transcript as the device: 1.2+ over prefix || Hash(t); ML-DSA
 * (1.4) signs prefix || Hash(t) as it is.
 */
static int sign(struct evidence *e)
{
	const struct spdm_hash_alg *h = spdm_hash_by_bit(e->hash);
	uint8_t d[SPDM_MAX_HASH_LEN], m[PREFIX_LEN + SPDM_MAX_HASH_LEN];
	const char *context = e->meas ? SPDM_MEASUREMENTS_CONTEXT :
				      SPDM_CHALLENGE_AUTH_CONTEXT;
	uint8_t sign_version = e->k.sign_version ?: e->version;
	char path[PATH_MAX], err[256];
	struct spdm_key key;
	int rc;

	spdm_combined_prefix(e->version, context, e->prefix);
	e->no_prefix = e->version < 0x12;
	spdm_digest(h, e->t.data, e->t.len, NULL, 0, d);
	if (e->version >= 0x12) {
		spdm_combined_prefix(sign_version, context, m);
		memcpy(m + PREFIX_LEN, d, h->len);
		if (e->pqc)
			return sign_mldsa(e, m, PREFIX_LEN + h->len, context);
		spdm_digest(h, m, PREFIX_LEN + h->len, NULL, 0, d);
	}
	snprintf(path, sizeof(path), "%s/%s/leaf.key", run.tmpdir,
		 chain_dir(e->chain_id));
	if (spdm_key_load(path, &key, err, sizeof(err))) {
		printf("# %s\n", err);
		return -1;
	}
	rc = spdm_sign_digest(&key, e->asym, h, d, e->sig);
	spdm_key_free(&key);
	return rc;
}

static void init(struct evidence *e, const struct spec *s)
{
	memset(e, 0, sizeof(*e));
	msg_init(&e->t);
	msg_init(&e->chain);
	e->version = s->version;
	e->asym = s->asym;
	e->hash = s->hash;
	e->meas_hash = s->meas_hash;
	e->pqc = s->pqc;
	e->k = s->k;
	e->hash_len = spdm_hash_by_bit(s->hash)->len;
	e->sig_len = s->pqc ? pqc_sig_len(s->pqc) : spdm_asym_sig_len(s->asym);
	e->nr_asked = -1;
	e->bundle_pqc = s->pqc ? (long)s->pqc : -1;
	RAND_bytes(e->nonce, NONCE_LEN);
}

/* The MeasurementRecord answering @op */
static unsigned int record(struct msg *r, const struct spec *s, uint8_t op)
{
	uint8_t v[64];
	unsigned int i, n = 0;
	size_t len;

	for (i = 0; i < NR_DEV_BLOCKS; i++) {
		if (op != OP_ALL && dev_blocks[i].index != op)
			continue;
		len = block_value(i, s->meas_hash, v);
		if (s->k.short_digest && i == 1)
			len = 32;
		msg_put_u8(r, s->k.wrong_index ? dev_blocks[i].index + 1 :
			   s->k.dup_index && n == 1 ? dev_blocks[0].index :
			   dev_blocks[i].index);
		msg_put_u8(r, 0x01);		/* DMTF */
		msg_put_le16(r, 3 + len + (s->k.size_lie && !n ? 4 : 0));
		msg_put_u8(r, dev_blocks[i].type |
			   (dev_blocks[i].raw ? 0x80 : 0));
		msg_put_le16(r, len);
		msg_put(r, v, len);
		n++;
	}
	return n;
}

/* L1/L2: the VCA (1.2+), GET_MEASUREMENTS/MEASUREMENTS pairs, signed */
static int build_meas(struct evidence *e, const struct spec *s)
{
	uint8_t ops[MAX_OPS], ctx[CONTEXT_LEN], rnd[NONCE_LEN];
	unsigned int i, nr_ops = 0, n;
	struct msg rec;
	bool last, sig;

	init(e, s);
	e->meas = true;
	if (load_chain(e, s->chain))
		return -1;
	if (s->version >= 0x12)
		put_vca(&e->t, e);
	if (s->indices) {
		memcpy(ops, s->indices, s->nr_indices);
		nr_ops = s->nr_indices;
	} else {
		if (!s->k.no_count)
			ops[nr_ops++] = OP_COUNT;
		ops[nr_ops++] = OP_ALL;
	}
	for (i = 0; i < nr_ops; i++) {
		last = i == nr_ops - 1;
		sig = last || (s->k.sign_early && !i);
		/* GET_MEASUREMENTS */
		msg_put_u8(&e->t, s->version);
		msg_put_u8(&e->t, GET_MEASUREMENTS);
		msg_put_u8(&e->t, sig ? 0x01 : 0);
		msg_put_u8(&e->t, ops[i]);
		if (sig) {
			if (last)
				e->req_off = e->t.len;
			RAND_bytes(rnd, NONCE_LEN);
			msg_put(&e->t, last ? e->nonce : rnd, NONCE_LEN);
			if (s->version >= 0x11)
				msg_put_u8(&e->t, 0);	/* slot 0 */
		}
		RAND_bytes(ctx, CONTEXT_LEN);
		if (s->version >= 0x13)
			msg_put(&e->t, ctx, CONTEXT_LEN);
		/* MEASUREMENTS */
		msg_init(&rec);
		n = ops[i] == OP_COUNT ? 0 : record(&rec, s, ops[i]);
		msg_put_u8(&e->t, s->version);
		msg_put_u8(&e->t, MEASUREMENTS);
		msg_put_u8(&e->t, ops[i] == OP_COUNT ?
			   NR_DEV_BLOCKS + s->k.announce_lie : 0);
		msg_put_u8(&e->t, 0);		/* slot 0, unchanged */
		msg_put_u8(&e->t, n + (s->k.count_lie && ops[i] != OP_COUNT));
		msg_put_u8(&e->t, rec.len);
		msg_put_u8(&e->t, rec.len >> 8);
		msg_put_u8(&e->t, rec.len >> 16);
		msg_put(&e->t, rec.data, rec.len);
		msg_free(&rec);
		if (last)
			e->rsp_off = e->t.len;
		RAND_bytes(rnd, NONCE_LEN);
		msg_put(&e->t, rnd, NONCE_LEN);
		msg_put_le16(&e->t, s->k.opaque);
		msg_put_fill(&e->t, 0xa5, s->k.opaque);
		if (s->version >= 0x13) {
			if (last && s->k.other_context)
				ctx[0] ^= 1;
			msg_put(&e->t, ctx, CONTEXT_LEN);
		}
	}
	if (s->indices) {
		memcpy(e->asked, s->indices, s->nr_indices);
		e->nr_asked = s->nr_indices;
	} else {
		e->nr_asked = 0;
	}
	return sign(e);
}

/*
 * GET_CERTIFICATE of the whole chain and its CERTIFICATE; SPDM 1.4's
 * large form (LargeCertChain, u32 offset and lengths) if asked for
 */
static void put_certificate(struct evidence *e)
{
	uint8_t ver = e->version, p1 = e->k.large_cert ? LARGE_CERT : 0;

	msg_put(&e->t, (uint8_t []){ ver, GET_CERTIFICATE, p1, 0 }, 4);
	msg_put_le16(&e->t, 0);
	msg_put_le16(&e->t, p1 ? 0 : e->chain.len);
	if (p1) {
		put32(&e->t, 0);
		put32(&e->t, e->chain.len);
	}
	e->cert_rsp = e->t.len;
	msg_put(&e->t, (uint8_t []){ ver, CERTIFICATE, p1, 0 }, 4);
	msg_put_le16(&e->t, p1 ? 0 : e->chain.len);
	msg_put_le16(&e->t, 0);
	if (p1) {
		put32(&e->t, e->chain.len);
		put32(&e->t, 0);
	}
	msg_put(&e->t, e->chain.data, e->chain.len);
}

/* M1/M2: VCA, GET_DIGESTS, GET_CERTIFICATE of the whole chain, CHALLENGE */
static int build_challenge(struct evidence *e, const struct spec *s)
{
	const struct spdm_hash_alg *h;
	uint8_t d[SPDM_MAX_HASH_LEN], rnd[NONCE_LEN + CONTEXT_LEN];

	init(e, s);
	if (load_chain(e, s->chain))
		return -1;
	h = spdm_hash_by_bit(e->hash);
	spdm_digest(h, e->chain.data, e->chain.len, NULL, 0, d);
	put_vca(&e->t, e);
	/* GET_DIGESTS, DIGESTS of slot 0 */
	msg_put(&e->t, (uint8_t []){ s->version, GET_DIGESTS, 0, 0 }, 4);
	msg_put(&e->t, (uint8_t []){ s->version, DIGESTS, 0, 0x01 }, 4);
	msg_put(&e->t, d, h->len);
	/* GET_CERTIFICATE, CERTIFICATE: all of it at once */
	put_certificate(e);
	/* CHALLENGE, slot 0, no MeasurementSummaryHash */
	RAND_bytes(rnd, sizeof(rnd));
	msg_put(&e->t, (uint8_t []){ s->version, CHALLENGE, 0, 0 }, 4);
	e->req_off = e->t.len;
	msg_put(&e->t, e->nonce, NONCE_LEN);
	if (s->version >= 0x13)
		msg_put(&e->t, rnd + NONCE_LEN, CONTEXT_LEN);
	/* CHALLENGE_AUTH without its signature */
	msg_put(&e->t, (uint8_t []){ s->version, CHALLENGE_AUTH, 0, 0x01 }, 4);
	msg_put(&e->t, d, h->len);
	e->rsp_off = e->t.len;
	msg_put(&e->t, rnd, NONCE_LEN);
	msg_put_le16(&e->t, s->k.opaque);
	msg_put_fill(&e->t, 0x5a, s->k.opaque);
	if (s->version >= 0x13)
		msg_put(&e->t, rnd + NONCE_LEN, CONTEXT_LEN);
	return sign(e);
}

/* ---- bundles and log entries ---------------------------------------------------- */

static const char *write_bundle(const struct evidence *e, const char *name)
{
	static char path[PATH_MAX];
	int i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.json", run.tmpdir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "{\"format\": \"spdm-evidence\", \"format_version\": 1,\n");
	fprintf(f, " \"device\": {\"name\": \"%s\", \"id\": \"%s\"},\n", DEV,
		QEMU_NVME_ID);
	fprintf(f, " \"provider\": \"native\", \"sig_type\": \"%s\",\n",
		e->meas ? "measurements" : "challenge");
	fprintf(f, " \"version\": \"%u.%u\", \"slot\": 0,\n", e->version >> 4,
		e->version & 0xf);
	fprintf(f, " \"base_asym_alg\": %u, \"base_hash_alg\": %u, \"hash_algo\": \"%s\",\n",
		e->asym, e->hash, spdm_hash_by_bit(e->hash)->name);
	if (e->bundle_pqc >= 0)
		fprintf(f, " \"pqc_asym_alg\": %ld,\n", e->bundle_pqc);
	if (e->meas)
		fprintf(f, " \"meas_spec\": 1, \"meas_hash_alg\": %u,\n",
			e->meas_hash);
	if (e->nr_asked >= 0) {
		fprintf(f, " \"meas_indices\": [");
		for (i = 0; i < e->nr_asked; i++)
			fprintf(f, "%s%u", i ? ", " : "", e->asked[i]);
		fprintf(f, "],\n");
	}
	fprintf(f, " \"nonce\": ");
	b64(f, e->nonce, NONCE_LEN);
	fprintf(f, ", \"nonce_source\": \"verifier\",\n");
	fprintf(f, " \"req_nonce_offset\": %u, \"rsp_nonce_offset\": %u,\n",
		e->req_off, e->rsp_off);
	fprintf(f, " \"transcript\": ");
	b64(f, e->t.data, e->t.len);
	fprintf(f, ",\n \"signature\": ");
	b64(f, e->sig, e->sig_len);
	if (!e->no_prefix) {
		fprintf(f, ",\n \"combined_prefix\": ");
		b64(f, e->prefix, PREFIX_LEN);
	}
	fprintf(f, ",\n \"cert_chain\": ");
	b64(f, e->chain.data, e->chain.len);
	fprintf(f, ",\n \"kernel\": {\"sig_valid\": true, \"chain_anchored\": true}}\n");
	return fclose(f) ? NULL : path;
}

/* The files of a signature log entry, as the kernel writes them */
static int write_log(const struct evidence *e, const char *dir)
{
	char text[32];
	int rc = 0;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -1;
	rc |= write_file(dir, "transcript", e->t.data, e->t.len);
	rc |= write_file(dir, "signature", e->sig, e->sig_len);
	rc |= write_file(dir, "requester_nonce", e->t.data + e->req_off,
			 NONCE_LEN);
	rc |= write_file(dir, "responder_nonce", e->t.data + e->rsp_off,
			 NONCE_LEN);
	rc |= write_file(dir, "combined_spdm_prefix", e->prefix,
			 e->no_prefix ? 0 : PREFIX_LEN);
	snprintf(text, sizeof(text), "%s\n", spdm_hash_by_bit(e->hash)->name);
	rc |= write_file(dir, "hash_algorithm", text, strlen(text));
	rc |= write_file(dir, "slot", "0\n", 2);
	snprintf(text, sizeof(text), "%s\n",
		 e->meas ? "measurements" : "challenge");
	rc |= write_file(dir, "type", text, strlen(text));
	snprintf(text, sizeof(text), "%u.%u\n", e->version >> 4,
		 e->version & 0xf);
	rc |= write_file(dir, "version", text, strlen(text));
	rc |= write_file(dir, "signature_valid", "1\n", 2);
	rc |= write_file(dir, "certificate_chain", e->chain.data, e->chain.len);
	return rc;
}

/*
 * verify-bundle on @e (its root trusted) with @extra arguments: exit
 * status @rc, exactly the checks in @failed failed.
 */
static bool expect_v(const struct evidence *e, int rc, const char *failed,
		     const char *const *extra)
{
	const char *bundle = write_bundle(e, "bundle"), *args[24];
	struct result r;
	bool ok;
	int n = 0;

	if (!bundle)
		return false;
	args[n++] = "verify-bundle";
	args[n++] = bundle;
	args[n++] = "--trust";
	args[n++] = root_pem[e->chain_id];
	while (extra && *extra && n < 23)
		args[n++] = *extra++;
	args[n] = NULL;
	run_argv(&r, args);
	ok = outcome(&r, rc, failed);
	result_free(&r);
	return ok;
}

#define EXPECT(e, rc, failed, ...) ({					\
	const char *const _x[] = { __VA_ARGS__, NULL };			\
	expect_v(e, rc, failed, _x);					\
})

static bool expect(const struct evidence *e, int rc, const char *failed)
{
	return expect_v(e, rc, failed, NULL);
}

/* verify-log on DIR, the root of @c trusted, with @extra arguments */
static bool log_v(const char *dir, enum chain_id c, int rc,
		  const char *failed, const char *const *extra)
{
	const char *args[24];
	struct result r;
	bool ok;
	int n = 0;

	args[n++] = "verify-log";
	args[n++] = dir;
	args[n++] = "--trust";
	args[n++] = root_pem[c];
	while (extra && *extra && n < 23)
		args[n++] = *extra++;
	args[n] = NULL;
	run_argv(&r, args);
	ok = outcome(&r, rc, failed);
	result_free(&r);
	return ok;
}

static bool log_expect(const char *dir, enum chain_id c, int rc,
		       const char *failed)
{
	return log_v(dir, c, rc, failed, NULL);
}

#define LOG_EXPECT(dir, c, rc, failed, ...) ({				\
	const char *const _x[] = { __VA_ARGS__, NULL };			\
	log_v(dir, c, rc, failed, _x);					\
})

/* ---- tests ---------------------------------------------------------------------- */

static int t_start(long arg)
{
	int i;

	(void)arg;
	for (i = 0; i < NR_CHAINS; i++)
		snprintf(root_pem[i], PATH_MAX, "%s/%s/root.pem", run.tmpdir,
			 chain_dir(i));
	harness_mkcerts(&run, chains, NR_MKCERTS);
	CHECK(!make_big_chain());
	CHECK(!make_fake_chain());
	CHECK(!make_mixed_chain());
	if (*mldsa_cli) {
		CHECK(!make_mldsa_chain(C_MLDSA65, "ML-DSA-65"));
		CHECK(!make_mldsa_chain(C_MLDSA87, "ML-DSA-87"));
	}
	return 0;
}

/* The evidence of the tests: SPDM 1.2, 1.3, 1.4 ECDSA P-384, 1.1 RSA */
#define SPEC(v, c, a, h, m) {						\
	.version = v, .chain = c, .asym = a, .hash = h, .meas_hash = m	\
}

static const struct spec base_spec[] = {
	SPEC(0x12, C_P384, SPDM_ASYM_ECDSA_P384, SPDM_HASH_SHA384, MEAS_SHA384),
	SPEC(0x13, C_P384, SPDM_ASYM_ECDSA_P384, SPDM_HASH_SHA384, MEAS_SHA384),
	SPEC(0x11, C_RSA2048, SPDM_ASYM_RSASSA_2048, SPDM_HASH_SHA256,
	     MEAS_SHA256),
	SPEC(0x10, C_RSA2048, SPDM_ASYM_RSASSA_2048, SPDM_HASH_SHA256,
	     MEAS_SHA256),
	SPEC(0x14, C_P384, SPDM_ASYM_ECDSA_P384, SPDM_HASH_SHA384, MEAS_SHA384),
};

#define NR_BASE_SPECS	ARRAY_SIZE(base_spec)
#define SPEC14		4	/* base_spec[]: SPDM 1.4 */

static const char *vname(long arg)
{
	static const char *const n[] = { "1.2", "1.3", "1.1", "1.0", "1.4" };

	return n[arg];
}

/* All blocks, single indices, opaque data, with and without a count */
static int t_genuine(long arg)
{
	static const uint8_t one[] = { 2 }, three[] = { 3, 1, 4 };
	struct spec s = base_spec[arg];
	struct evidence e;
	struct result r;
	const char *bundle;

	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	/* the output shows every block */
	bundle = write_bundle(&e, "genuine");
	RUN(&r, "verify-bundle", bundle, "--trust", root_pem[s.chain]);
	CHECK(strstr(r.out, "measurements: 4 blocks"));
	CHECK(strstr(r.out, "index   1  immutable-rom       digest"));
	CHECK(strstr(r.out, "index   4  firmware-version    raw    322e342e31"));
	CHECK(strstr(r.out, "PASS  measurements"));
	CHECK(s.version >= 0x12 ? !!strstr(r.out, "PASS  algorithms") :
	      !!strstr(r.out, "SKIP  algorithms       SPDM 1."));
	CHECK(strstr(r.out, "SKIP  cert-chain-hash"));
	result_free(&r);
	ev_free(&e);

	s.indices = one;
	s.nr_indices = 1;
	s.k.opaque = 17;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	ev_free(&e);
	s.indices = three;
	s.nr_indices = 3;
	s.k.opaque = 1024;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	ev_free(&e);
	s.indices = NULL;
	s.k.no_count = true;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	ev_free(&e);
	return 0;
}

static int t_replay(long arg)
{
	char other[2 * NONCE_LEN + 1];
	uint8_t n[NONCE_LEN];
	struct evidence e;

	CHECK(!build_meas(&e, &base_spec[arg]));
	RAND_bytes(n, sizeof(n));
	hex(other, n, NONCE_LEN);
	CHECK(EXPECT(&e, 1, "nonce", "--nonce", other));
	hex(other, e.nonce, NONCE_LEN);
	CHECK(EXPECT(&e, 0, NULL, "--nonce", other));
	ev_free(&e);
	return 0;
}

static int t_flip(long arg)
{
	struct evidence base, e;
	size_t i;

	CHECK(!build_meas(&base, &base_spec[arg]));
	/* a byte of a block's value: only the signature sees it */
	ev_copy(&e, &base);
	e.t.data[e.rsp_off - 3] ^= 0x01;
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	/* our nonce in the request */
	ev_copy(&e, &base);
	e.t.data[e.req_off + 7] ^= 0x40;
	CHECK(expect(&e, 1, "nonce,signature"));
	ev_free(&e);
	for (i = 0; i < 3; i++) {
		ev_copy(&e, &base);
		e.sig[i * (e.sig_len - 1) / 2] ^= 0x10;
		CHECK(expect(&e, 1, "signature"));
		ev_free(&e);
	}
	ev_free(&base);
	return 0;
}

static int t_offsets(long arg)
{
	struct evidence base, e;

	CHECK(!build_meas(&base, &base_spec[arg]));
	ev_copy(&e, &base);
	e.req_off--;
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	/* the responder's nonce claimed as ours */
	ev_copy(&e, &base);
	e.req_off = e.rsp_off;
	memcpy(e.nonce, e.t.data + e.rsp_off, NONCE_LEN);
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	ev_copy(&e, &base);
	e.rsp_off += 1;
	CHECK(expect(&e, 1, "transcript"));
	ev_free(&e);
	ev_copy(&e, &base);
	e.req_off = e.t.len - 4;
	CHECK(expect(&e, 1, "nonce,transcript"));
	ev_free(&e);
	ev_free(&base);
	return 0;
}

/* The device signs malformed measurements: only "measurements" fails */
static int t_blocks(long arg)
{
	static const uint8_t two[] = { 2 };
	struct spec s = base_spec[arg];
	struct evidence e;

	s.k.dup_index = true;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "measurements"));
	ev_free(&e);
	s.k = (struct knobs){ .size_lie = true };
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "measurements"));
	ev_free(&e);
	s.k = (struct knobs){ .count_lie = true };
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "measurements"));
	ev_free(&e);
	s.k = (struct knobs){ .announce_lie = true };
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "measurements"));
	ev_free(&e);
	s.k = (struct knobs){ .short_digest = s.meas_hash != MEAS_SHA256 };
	if (s.k.short_digest) {
		CHECK(!build_meas(&e, &s));
		CHECK(expect(&e, 1, "measurements"));
		ev_free(&e);
	}
	s.k = (struct knobs){ .wrong_index = true };
	s.indices = two;
	s.nr_indices = 1;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "measurements"));
	ev_free(&e);
	return 0;
}

/* L1/L2 that is not what DSP0274 has, or not what we asked for */
static int t_layout(long arg)
{
	static const uint8_t asked[] = { 1, 2 }, other[] = { 1, 3 };
	struct spec s = base_spec[arg];
	struct evidence e;

	/* a signature requested before the last request */
	s.k.sign_early = true;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 1, "transcript"));
	ev_free(&e);
	/* indices other than those asked for */
	s.k = (struct knobs){ 0 };
	s.indices = other;
	s.nr_indices = 2;
	CHECK(!build_meas(&e, &s));
	memcpy(e.asked, asked, 2);
	CHECK(expect(&e, 1, "transcript"));
	/* all asked for, some given */
	e.nr_asked = 0;
	CHECK(expect(&e, 1, "transcript"));
	ev_free(&e);
	/* bytes after the signed response */
	s.indices = NULL;
	CHECK(!build_meas(&e, &s));
	msg_put_u8(&e.t, 0);
	CHECK(expect(&e, 1, "transcript,signature"));
	ev_free(&e);
	/* challenge's prefix for measurements */
	if (s.version >= 0x12) {
		CHECK(!build_meas(&e, &s));
		spdm_combined_prefix(s.version, SPDM_CHALLENGE_AUTH_CONTEXT,
				     e.prefix);
		CHECK(expect(&e, 1, "prefix"));
		ev_free(&e);
	}
	if (s.version >= 0x13) {
		s.k.other_context = true;
		CHECK(!build_meas(&e, &s));
		CHECK(expect(&e, 1, "transcript"));
		ev_free(&e);
	}
	return 0;
}

static const char *expect_file(const char *name, const char *text)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", run.tmpdir, name);
	return write_file(run.tmpdir, name, text, strlen(text)) ? NULL : path;
}

static int t_expect(long arg)
{
	const struct spec *s = &base_spec[arg];
	char good[1024], bad[1024], val[2 * 64 + 1];
	uint8_t v[64];
	struct evidence e;
	struct result r;
	const char *p;
	size_t len;

	CHECK(!build_meas(&e, s));
	len = block_value(0, s->meas_hash, v);
	hex(val, v, len);
	snprintf(good, sizeof(good),
		 "# known good\n1 %s\n\n3 010203040506   # hardware\n4 322E342E31\n",
		 val);
	CHECK(EXPECT(&e, 0, NULL, "--expect", expect_file("good", good)));
	/* index 3 differs, index 9 is missing, index 1 is right */
	snprintf(bad, sizeof(bad), "1 %s\n3 010203040507\n9 00\n", val);
	CHECK(EXPECT(&e, 1, "expect", "--expect", expect_file("bad", bad)));
	RUN(&r, "verify-bundle", write_bundle(&e, "x"), "--trust",
	    root_pem[s->chain], "--expect", expect_file("bad", bad));
	p = strstr(r.err,
		   "FAIL expect: index 3: 010203040506 (6 bytes), expected 010203040507 (6 bytes); index 9: missing");
	CHECK(p);
	CHECK(!strstr(r.err, "index 1:"));
	result_free(&r);
	ev_free(&e);
	return 0;
}

/* --expect on challenge evidence; malformed --expect files */
static int t_expect_usage(long arg)
{
	struct evidence e;
	struct result r;
	static const char *const bad[] = {
		"1\n", "0 00\n", "255 00\n", "1 0\n", "1 zz\n", "1 00 00\n",
		"1 00\n1 01\n", "# nothing\n", "x 00\n",
	};
	size_t i;

	(void)arg;
	CHECK(!build_challenge(&e, &base_spec[0]));
	CHECK(EXPECT(&e, 1, "expect", "--expect",
		     expect_file("one", "1 00\n")));
	ev_free(&e);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		RUN(&r, "verify-bundle", "x", "--expect",
		    expect_file("malformed", bad[i]));
		if (r.rc != 2 || !strstr(r.err, "--expect")) {
			printf("# --expect file '%s' accepted\n", bad[i]);
			result_show(&r);
			tap_fail = 1;
		}
		result_free(&r);
	}
	RUN(&r, "verify-bundle", "x", "--index", "1");
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	RUN(&r, "measurements", DEV, "--index", "255");
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	RUN(&r, "measurements", DEV, "--index", "3", "-i", "3");
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	return 0;
}

/* --json: the bundle has the decoded blocks and verifies again */
static int t_json(long arg)
{
	char path[PATH_MAX];
	struct evidence e;
	struct result r;
	FILE *f;

	(void)arg;
	CHECK(!build_meas(&e, &base_spec[1]));
	RUN(&r, "verify-bundle", write_bundle(&e, "j"), "--trust",
	    root_pem[C_P384], "--json", "--pretty");
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "\"sig_type\": \"measurements\""));
	CHECK(strstr(r.out, "\"meas_hash\": \"SHA-384\""));
	CHECK(strstr(r.out, "\"type_name\": \"firmware-version\""));
	CHECK(strstr(r.out, "\"value\": \"322e342e31\""));
	CHECK(strstr(r.out, "\"representation\": \"raw\""));
	CHECK(strstr(r.out, "\"meas_indices\": []"));
	CHECK(strstr(r.out, "\"name\": \"measurements\""));
	CHECK(!strstr(r.out, "\"name\": \"log\""));
	snprintf(path, sizeof(path), "%s/j-out.json", run.tmpdir);
	f = fopen(path, "w");
	if (f) {
		fputs(r.out, f);
		fclose(f);
	}
	result_free(&r);
	RUN(&r, "verify-bundle", path, "--trust", root_pem[C_P384]);
	CHECK(outcome(&r, 0, NULL));
	result_free(&r);
	ev_free(&e);
	return 0;
}

/* ---- the signature log ---------------------------------------------------------- */

static char logdir[PATH_MAX / 2];		/* a fake sysfs device with a log */

static const char *entry(unsigned int n)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/signatures/%u", logdir, n);
	return path;
}

static struct evidence log_chal, log_meas, log_meas11, log_chal11;

/* A device in a fake sysfs with entries 0 (challenge), 1 (measurements) */
static int t_log_make(long arg)
{
	static const char *const ids[][2] = {
		{ "vendor", "0x1b36\n" }, { "device", "0x0010\n" },
		{ "class", "0x010802\n" }, { "revision", "0x02\n" },
		{ "subsystem_vendor", "0x1af4\n" },
		{ "subsystem_device", "0x1100\n" },
	};
	uint8_t cfg[256] = { 0 };
	char path[PATH_MAX];
	size_t i;

	(void)arg;
	snprintf(path, sizeof(path), "%s/sys", run.tmpdir);
	mkdir(path, 0700);
	snprintf(logdir, sizeof(logdir), "%s/sys/%s", run.tmpdir, DEV);
	mkdir(logdir, 0700);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		CHECK(!write_file(logdir, ids[i][0], ids[i][1],
				  strlen(ids[i][1])));
	CHECK(!write_file(logdir, "config", cfg, sizeof(cfg)));
	snprintf(path, sizeof(path), "%s/signatures", logdir);
	mkdir(path, 0700);
	CHECK(!build_challenge(&log_chal, &base_spec[1]));
	CHECK(!build_meas(&log_meas, &base_spec[1]));
	CHECK(!build_meas(&log_meas11, &base_spec[2]));
	CHECK(!build_challenge(&log_chal11, &base_spec[2]));
	CHECK(!write_log(&log_chal, entry(0)));
	CHECK(!write_log(&log_meas, entry(1)));
	if (tap_fail) {
		printf("Bail out! no log entries\n");
		exit(1);
	}
	/* the device's identity comes from this fake sysfs */
	snprintf(path, sizeof(path), "%s/sys", run.tmpdir);
	setenv("SPDM_VERIFY_SYSFS", path, 1);
	return 0;
}

static int t_log_genuine(long arg)
{
	char n[2 * NONCE_LEN + 1], other[PATH_MAX], gone[PATH_MAX];
	struct result r;

	(void)arg;
	hex(n, log_chal.nonce, NONCE_LEN);
	CHECK(LOG_EXPECT(entry(0), C_P384, 0, NULL, "--nonce", n));
	hex(n, log_meas.nonce, NONCE_LEN);
	CHECK(LOG_EXPECT(entry(1), C_P384, 0, NULL, "--nonce", n));
	/* every entry of signatures/, or of the device */
	RUN(&r, "verify-log", logdir, "--trust", root_pem[C_P384]);
	CHECK(outcome(&r, 0, NULL));
	CHECK(strstr(r.out, "signatures/0"));
	CHECK(strstr(r.out, "PASS  log              type challenge"));
	CHECK(strstr(r.out, "PASS  log              type measurements"));
	CHECK(strstr(r.out, "PASS  san"));
	CHECK(strstr(r.out, "SKIP  nonce"));
	CHECK(strstr(r.out, "kernel: signature valid (reported"));
	CHECK(strstr(r.out, "index   2  mutable-firmware    digest"));
	result_free(&r);
	/* outside sysfs: no device identity unless given */
	snprintf(other, sizeof(other), "%s/copy", run.tmpdir);
	CHECK(!write_log(&log_meas, other));
	CHECK(log_expect(other, C_P384, 1, "san"));
	CHECK(LOG_EXPECT(other, C_P384, 0, NULL, "--device-ids",
			 QEMU_NVME_ID));
	/* a device gone from sysfs: no identity is a system error */
	snprintf(other, sizeof(other), "%s/vendor", logdir);
	snprintf(gone, sizeof(gone), "%s/vendor.gone", logdir);
	CHECK(!rename(other, gone));
	RUN(&r, "verify-log", entry(1), "--trust", root_pem[C_P384]);
	CHECK_EQ(r.rc, 3);
	CHECK(strstr(r.err, "no device identity"));
	result_free(&r);
	CHECK(LOG_EXPECT(entry(1), C_P384, 0, NULL, "--no-san-check"));
	CHECK(!rename(gone, other));
	/* --json: the bundle says where it comes from and verifies again */
	RUN(&r, "verify-log", entry(1), "--trust", root_pem[C_P384], "-j",
	    "-o", expect_file("log.json", ""));
	CHECK_EQ(r.rc, 0);
	CHECK(strstr(r.out, "\"source\":\"sysfs-log\""));
	CHECK(strstr(r.out, "\"name\":\"log\""));
	result_free(&r);
	snprintf(other, sizeof(other), "%s/log.json", run.tmpdir);
	RUN(&r, "verify-bundle", other, "--trust", root_pem[C_P384]);
	CHECK(outcome(&r, 0, NULL));
	result_free(&r);
	return 0;
}

/* SPDM 1.1: no VCA in L1/L2, the algorithms from the key and the file */
static int t_log_11(long arg)
{
	char dir[PATH_MAX];
	struct result r;
	const char *p;

	(void)arg;
	snprintf(dir, sizeof(dir), "%s/signatures/2", logdir);
	CHECK(!write_log(&log_meas11, dir));
	RUN(&r, "verify-log", dir, "--trust", root_pem[C_RSA2048]);
	CHECK(outcome(&r, 0, NULL));
	p = strstr(r.out,
		   "SKIP  algorithms       SPDM 1.1 L1/L2 holds no VCA: RSASSA-2048 (from the leaf key)");
	CHECK(p);
	CHECK(strstr(r.out, "RSASSA-2048 from the leaf key, SHA-256 from hash_algorithm"));
	result_free(&r);
	/* a hash_algorithm that lies makes the signature fail */
	CHECK(!write_file(dir, "hash_algorithm", "sha384\n", 7));
	CHECK(log_expect(dir, C_RSA2048, 1, "log,evidence"));
	snprintf(dir, sizeof(dir), "%s/signatures/3", logdir);
	CHECK(!write_log(&log_chal11, dir));
	CHECK(log_expect(dir, C_RSA2048, 0, NULL));
	return 0;
}

/* An entry copied and changed: each change is noticed */
static int t_log_tampered(long arg)
{
	const struct evidence *e = arg ? &log_meas : &log_chal;
	char dir[PATH_MAX], n[2 * NONCE_LEN + 1];
	struct evidence t;
	uint8_t b[NONCE_LEN];

	snprintf(dir, sizeof(dir), "%s/signatures/9", logdir);
	/* signature_valid 0 is reported, not believed */
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "signature_valid", "0\n", 2));
	CHECK(log_expect(dir, C_P384, 0, NULL));
	/* ... nor is 1 */
	ev_copy(&t, e);
	t.sig[5] ^= 1;
	CHECK(!write_log(&t, dir));
	CHECK(log_expect(dir, C_P384, 1, "signature"));
	ev_free(&t);
	ev_copy(&t, e);
	t.t.data[t.rsp_off - 5] ^= 1;
	CHECK(!write_log(&t, dir));
	/* challenge: that is CertChainHash */
	CHECK(log_expect(dir, C_P384, 1, arg ? "signature" :
			 "cert-chain-hash,signature"));
	ev_free(&t);
	/* replay: another nonce expected */
	CHECK(!write_log(e, dir));
	RAND_bytes(b, sizeof(b));
	hex(n, b, NONCE_LEN);
	CHECK(LOG_EXPECT(dir, C_P384, 1, "nonce", "--nonce", n));
	/* nonce files that are not the transcript's */
	CHECK(!write_file(dir, "requester_nonce", b, NONCE_LEN));
	CHECK(log_expect(dir, C_P384, 1, "log"));
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "responder_nonce", b, NONCE_LEN));
	CHECK(log_expect(dir, C_P384, 1, "log"));
	/* the other type: the walk finds no such exchange */
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "type", arg ? "challenge\n" : "measurements\n",
			  arg ? 10 : 13));
	CHECK(log_expect(dir, C_P384, 1, "log,evidence,prefix,signature"));
	/* a hash_algorithm other than the negotiated one */
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "hash_algorithm", "sha256\n", 7));
	CHECK(log_expect(dir, C_P384, 1, "algorithms"));
	/* another version than negotiated: nothing parses */
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "version", "1.2\n", 4));
	CHECK(log_expect(dir, C_P384, 1, "log,evidence,prefix"));
	/* the chain of another device */
	CHECK(!write_log(e, dir));
	CHECK(!write_file(dir, "certificate_chain", log_meas11.chain.data,
			  log_meas11.chain.len));
	CHECK(log_expect(dir, C_P384, 1, arg ? "signature,chain" :
			 "signature,cert-chain-hash,chain"));
	/* a truncated transcript */
	ev_copy(&t, e);
	t.t.len -= 1;
	CHECK(!write_log(&t, dir));
	CHECK(log_expect(dir, C_P384, 1, "log,evidence,signature"));
	ev_free(&t);
	return 0;
}

/* Files missing or malformed */
static int t_log_malformed(long arg)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct result r;

	(void)arg;
	snprintf(dir, sizeof(dir), "%s/signatures/10", logdir);
	CHECK(!write_log(&log_chal, dir));
	CHECK(!write_file(dir, "version", "one\n", 4));
	RUN(&r, "verify-log", dir, "--trust", root_pem[C_P384]);
	CHECK(r.rc == 1 && strstr(r.err, "FAIL evidence:") &&
	      strstr(r.err, "version"));
	result_free(&r);
	CHECK(!write_log(&log_chal, dir));
	CHECK(!write_file(dir, "type", "heartbeat\n", 10));
	RUN(&r, "verify-log", dir, "--trust", root_pem[C_P384]);
	CHECK(r.rc == 1 && strstr(r.err, "unsupported \"heartbeat\""));
	result_free(&r);
	CHECK(!write_log(&log_chal, dir));
	snprintf(path, sizeof(path), "%s/signature", dir);
	unlink(path);
	RUN(&r, "verify-log", dir, "--trust", root_pem[C_P384]);
	CHECK(r.rc == 3 && strstr(r.err, "signature"));
	result_free(&r);
	RUN(&r, "verify-log", run.tmpdir, "--trust", root_pem[C_P384]);
	CHECK_EQ(r.rc, 3);
	result_free(&r);
	RUN(&r, "verify-log", "/nonexistent", "--trust", root_pem[C_P384]);
	CHECK_EQ(r.rc, 3);
	result_free(&r);
	RUN(&r, "verify-log");
	CHECK_EQ(r.rc, 2);
	result_free(&r);
	/* the malformed entry fails the whole log */
	RUN(&r, "verify-log", logdir, "--trust", root_pem[C_P384]);
	CHECK(r.rc != 0);
	result_free(&r);
	return 0;
}

/* ---- SPDM 1.4 ------------------------------------------------------------------ */

/* A 1.4 log entry in the fake sysfs (signatures/2N) */
static const char *entry14(unsigned int n, const struct evidence *e)
{
	const char *dir = entry(20 + n);

	return write_log(e, dir) ? NULL : dir;
}

/* SPDM 1.4, ECDSA P-384: the version, the prefix, the large GET_CERTIFICATE */
static int t_14_challenge(long arg)
{
	struct spec s = base_spec[SPEC14];
	struct evidence e;
	struct result r;
	const char *dir;

	(void)arg;
	CHECK(!build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "c14"), "--trust",
	    root_pem[C_P384]);
	CHECK(outcome(&r, 0, NULL));
	CHECK(strstr(r.out, "PASS  evidence         CHALLENGE_AUTH, SPDM 1.4, ECDSA P-384, SHA-384"));
	CHECK(strstr(r.out, "negotiated SPDM 1.4, ECDSA P-384 and SHA-384"));
	CHECK(strstr(r.out, "PASS  prefix           combined-prefix is \"dmtf-spdm-v1.4.*\" x4 || \"responder-challenge_auth signing\""));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	result_free(&r);
	CHECK(log_expect(entry14(0, &e), C_P384, 0, NULL));
	/* the kernel's prefix says 1.3 */
	spdm_combined_prefix(0x13, SPDM_CHALLENGE_AUTH_CONTEXT, e.prefix);
	CHECK(expect(&e, 1, "prefix"));
	ev_free(&e);
	/* the device signed with the prefix of 1.3 */
	s.k.sign_version = 0x13;
	CHECK(!build_challenge(&e, &s));
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	/* the large GET_CERTIFICATE, which the walk of the log follows */
	s.k = (struct knobs){ .large_cert = true, .opaque = 3 };
	CHECK(!build_challenge(&e, &s));
	CHECK(expect(&e, 0, NULL));
	dir = entry14(1, &e);
	CHECK(log_expect(dir, C_P384, 0, NULL));
	/* CERTIFICATE without the LargeCertChain its request set */
	CHECK_EQ(e.t.data[e.cert_rsp + 2], LARGE_CERT);
	e.t.data[e.cert_rsp + 2] = 0;
	CHECK(!write_log(&e, dir));
	CHECK(log_expect(dir, C_P384, 1, "log,evidence,signature"));
	ev_free(&e);
	return 0;
}

/* ALGORITHMS and the evidence disagree on the signature algorithm */
static int t_14_algorithms(long arg)
{
	struct spec s = base_spec[arg ? SPEC14 : 1];
	struct evidence e;
	struct result r;

	/* 1.3: bytes 20-23 of ALGORITHMS are reserved, ignored */
	s.k.reserved20 = PQC_MLDSA65;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	ev_free(&e);
	if (!arg) {
		/* PqcAsymAlgo is not in 1.3 */
		CHECK(!build_challenge(&e, &s));
		e.bundle_pqc = PQC_MLDSA65;
		CHECK(expect(&e, 1, "evidence"));
		ev_free(&e);
		return 0;
	}
	/* 1.4: BaseAsymSel and PqcAsymSel both set, signed */
	s.k.both_asym = true;
	CHECK(!build_meas(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "both"), "--trust",
	    root_pem[C_P384]);
	CHECK(outcome(&r, 1, "algorithms"));
	CHECK(strstr(r.err, "both a BaseAsymAlgo and a PqcAsymAlgo (BaseAsymSel 0x80, PqcAsymSel 0x2)"));
	result_free(&r);
	CHECK(log_expect(entry14(2, &e), C_P384, 1, "log,evidence"));
	ev_free(&e);
	CHECK(!build_challenge(&e, &s));
	CHECK(expect(&e, 1, "algorithms"));
	ev_free(&e);
	/* the kernel states a PqcAsymAlgo as well as the BaseAsymAlgo */
	s.k.both_asym = false;
	CHECK(!build_challenge(&e, &s));
	e.bundle_pqc = PQC_MLDSA65;
	CHECK(expect(&e, 1, "evidence"));
	ev_free(&e);
	return 0;
}

/* The chain's Length: u16 and Reserved before 1.4, u32 from 1.4 on */
static int t_14_chain(long arg)
{
	struct spec s = base_spec[SPEC14];
	struct evidence e;
	struct result r;

	(void)arg;
	/* over 64 KiB: measurements, and a challenge reading it large */
	s.chain = C_BIG;
	CHECK(!build_meas(&e, &s));
	CHECK(e.chain.len > 0x10000);
	RUN(&r, "verify-bundle", write_bundle(&e, "big"), "--trust",
	    root_pem[C_BIG]);
	CHECK(outcome(&r, 0, NULL));
	CHECK(strstr(r.out, "PASS  chain            2 certificates"));
	result_free(&r);
	ev_free(&e);
	s.k.large_cert = true;
	CHECK(!build_challenge(&e, &s));
	CHECK(EXPECT(&e, 0, NULL, "--no-san-check"));
	CHECK(log_expect(entry14(3, &e), C_BIG, 0, NULL));
	ev_free(&e);
	/* the same chain in 1.3: its u16 Length cannot say so */
	s = base_spec[1];
	s.chain = C_BIG;
	CHECK(!build_meas(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "big13"), "--trust",
	    root_pem[C_BIG]);
	CHECK(outcome(&r, 1, "chain"));
	CHECK(strstr(r.err, "(Length, u16 before SPDM 1.4)"));
	result_free(&r);
	ev_free(&e);
	/* bytes 2-3 set: the upper half of the 1.4 Length, reserved before */
	s = base_spec[SPEC14];
	s.k.chain_hi = 1;
	CHECK(!build_meas(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "hi"), "--trust",
	    root_pem[C_P384]);
	CHECK(outcome(&r, 1, "chain"));
	CHECK(strstr(r.err, "(Length, u32 from SPDM 1.4 on)"));
	result_free(&r);
	ev_free(&e);
	s = base_spec[1];
	s.k.chain_hi = 1;
	CHECK(!build_meas(&e, &s));
	CHECK(expect(&e, 0, NULL));
	ev_free(&e);
	return 0;
}

/* ML-DSA-65 evidence, the fake chain */
static const struct spec spec_fake = {
	.version = 0x14, .chain = C_FAKE65, .hash = SPDM_HASH_SHA384,
	.meas_hash = MEAS_SHA384, .pqc = PQC_MLDSA65,
};

/*
 * The signature, chain and trust of ML-DSA evidence that cannot verify:
 * not run by a verifier without ML-DSA (saying why), failed by one with
 * it; @failed: what else fails.
 */
static bool not_checked(const struct result *r, const char *failed)
{
	char list[128], want[160];
	bool ok = true;

	snprintf(list, sizeof(list), "%s%s%s", failed ?: "",
		 failed ? "," : "", "signature,chain,trust");
	if (verify_mldsa)
		return outcome(r, 1, list);
	if (!outcome(r, 1, failed))
		return false;
	snprintf(want, sizeof(want),
		 "----  signature        ML-DSA-65 needs OpenSSL 3.5 or newer; built with %s: ",
		 verify_openssl);
	ok = strstr(r->out, want) &&
	     strstr(r->out, "----  chain            ML-DSA-65 needs OpenSSL 3.5 or newer") &&
	     strstr(r->out, "----  trust            ML-DSA-65 needs OpenSSL 3.5 or newer") &&
	     !strstr(r->out, "PASS  signature") && !strstr(r->out, "PASS  chain") &&
	     !strstr(r->out, "PASS  trust") && strstr(r->out, "verdict: FAIL");
	if (!ok) {
		printf("# signature, chain and trust not NOT-RUN as expected\n");
		result_show(r);
	}
	return ok;
}

/*
 * ML-DSA-65 evidence, chain and signature of random bytes: a verifier
 * without ML-DSA checks all else and says it could not check them
 */
static int t_mldsa_fake(long arg)
{
	const char *const kind = arg ? "measurements" : "challenge";
	struct spec s = spec_fake;
	char path[PATH_MAX];
	struct evidence e;
	struct result r;
	FILE *f;

	CHECK(arg ? !build_meas(&e, &s) : !build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, kind), "--trust",
	    root_pem[C_FAKE65]);
	CHECK(not_checked(&r, NULL));
	CHECK(strstr(r.out, "PASS  evidence         ") &&
	      strstr(r.out, ", SPDM 1.4, ML-DSA-65, SHA-384, slot 0"));
	CHECK(strstr(r.out, "PASS  algorithms       the signed VCA"));
	CHECK(strstr(r.out, arg ? "\"responder-measurements signing\", as rebuilt" :
		     "\"responder-challenge_auth signing\", as rebuilt"));
	CHECK(strstr(r.out, "PASS  san"));
	CHECK(arg ? !!strstr(r.out, "SKIP  cert-chain-hash") :
	      !!strstr(r.out, "PASS  cert-chain-hash"));
	if (!verify_mldsa)
		CHECK(strstr(r.out, arg ?
			     "(pure ML-DSA, context \"responder-measurements signing\") is not checked" :
			     "(pure ML-DSA, context \"responder-challenge_auth signing\") is not checked"));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	result_free(&r);
	/* the same from the signature log, and as JSON, read back */
	RUN(&r, "verify-log", entry14(4 + arg, &e), "--trust",
	    root_pem[C_FAKE65]);
	CHECK(not_checked(&r, NULL));
	CHECK(strstr(r.out, "PASS  log"));
	result_free(&r);
	RUN(&r, "verify-bundle", write_bundle(&e, kind), "--trust",
	    root_pem[C_FAKE65], "--json");
	CHECK_EQ(r.rc, 1);
	CHECK(strstr(r.out, "\"base_asym_alg\":0,\"pqc_asym_alg\":2,\"asym_algo\":\"ml-dsa-65\""));
	CHECK(verify_mldsa || strstr(r.out, "{\"name\":\"signature\",\"result\":\"not-run\""));
	snprintf(path, sizeof(path), "%s/mldsa-out.json", run.tmpdir);
	f = fopen(path, "w");
	if (f) {
		fputs(r.out, f);
		fclose(f);
	}
	result_free(&r);
	RUN(&r, "verify-bundle", path, "--trust", root_pem[C_FAKE65]);
	CHECK(not_checked(&r, NULL));
	result_free(&r);
	ev_free(&e);
	return 0;
}

/* ML-DSA evidence whose algorithm, key or signature does not fit */
static int t_mldsa_mismatch(long arg)
{
	struct spec s = spec_fake;
	struct evidence e;
	struct result r;

	(void)arg;
	/* the kernel states ML-DSA-87, ALGORITHMS selected ML-DSA-65 */
	CHECK(!build_meas(&e, &s));
	e.bundle_pqc = PQC_MLDSA87;
	RUN(&r, "verify-bundle", write_bundle(&e, "mm"), "--trust",
	    root_pem[C_FAKE65]);
	CHECK(outcome(&r, 1, verify_mldsa ? "algorithms,signature,chain,trust" :
		      "algorithms,signature"));
	CHECK(strstr(r.err, "ALGORITHMS selected PqcAsymSel 0x2, the evidence states pqc-asym-alg 0x4"));
	CHECK(strstr(r.err, "3309-byte signature, ML-DSA-87 signatures have 4627"));
	result_free(&r);
	/* ... or no pqc-asym-alg, base-asym-alg 0 */
	e.bundle_pqc = -1;
	CHECK(expect(&e, 1, verify_mldsa ? "evidence,chain,trust" : "evidence"));
	ev_free(&e);
	/* ML-DSA-87 selected and signed, the leaf has an ML-DSA-65 key */
	s.pqc = PQC_MLDSA87;
	CHECK(!build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "key87"), "--trust",
	    root_pem[C_FAKE65]);
	CHECK(outcome(&r, 1, verify_mldsa ? "signature,chain,trust" :
		      "signature"));
	CHECK(strstr(r.err, "the leaf key is ML-DSA-65, ML-DSA-87 needs an ML-DSA-87 key"));
	result_free(&r);
	ev_free(&e);
	/* an ECDSA leaf */
	s = spec_fake;
	s.chain = C_P384;
	CHECK(!build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "ec"), "--trust",
	    root_pem[C_P384]);
	CHECK(outcome(&r, 1, "signature"));
	CHECK(strstr(r.err, "the leaf key is id-ecPublicKey, ML-DSA-65 needs an ML-DSA-65 key (OID 2.16.840.1.101.3.4.3.18)"));
	result_free(&r);
	/* a signature of another size */
	e.sig_len--;
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	/* ML-DSA evidence with 1.3 */
	s.version = 0x13;
	CHECK(!build_challenge(&e, &s));
	CHECK(expect(&e, 1, "evidence"));
	ev_free(&e);
	return 0;
}

/*
 * An ECDSA root that signed the leaf's ML-DSA-65 key: the chain verifies
 * anywhere, the signature and the validation (which needs every key) not
 * without ML-DSA
 */
static int t_mldsa_mixed(long arg)
{
	struct spec s = spec_fake;
	struct evidence e;
	struct result r;

	(void)arg;
	s.chain = C_MIXED;
	CHECK(!build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "mixed"), "--trust",
	    root_pem[C_MIXED]);
	CHECK(outcome(&r, 1, verify_mldsa ? "signature" : NULL));
	CHECK(strstr(r.out, "PASS  chain            2 certificates from CN=SPDM mixed root"));
	if (!verify_mldsa)
		CHECK(strstr(r.out, "----  signature        ML-DSA-65 needs OpenSSL 3.5") &&
		      strstr(r.out, "----  trust            ML-DSA-65 needs OpenSSL 3.5 or newer; built with OpenSSL 3.") &&
		      strstr(r.out, "a chain with its keys or signatures cannot be validated"));
	else
		CHECK(strstr(r.out, "PASS  trust"));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	result_free(&r);
	ev_free(&e);
	return 0;
}

/*
 * Real ML-DSA (openssl command): arg 0 an ML-DSA-65 challenge, 1
 * ML-DSA-87 measurements.  With ML-DSA, spdm-verify passes them and
 * fails every signature over anything else; without, it cannot check
 * them (2, 3: the same evidence).
 */
static int t_mldsa_real(long arg)
{
	struct spec s = spec_fake;
	bool meas = arg & 1;
	struct evidence e, t;
	struct result r;
	char want[200];

	if (!*mldsa_cli || (arg < 2) != verify_mldsa)
		return 0;		/* SKIP */
	s.chain = meas ? C_MLDSA87 : C_MLDSA65;
	s.pqc = meas ? PQC_MLDSA87 : PQC_MLDSA65;
	CHECK(meas ? !build_meas(&e, &s) : !build_challenge(&e, &s));
	RUN(&r, "verify-bundle", write_bundle(&e, "real"), "--trust",
	    root_pem[s.chain]);
	snprintf(want, sizeof(want),
		 "%s signature over the combined prefix || SHA-384 of the transcript (pure ML-DSA, context \"%s\")",
		 meas ? "ML-DSA-87" : "ML-DSA-65", meas ?
		 SPDM_MEASUREMENTS_CONTEXT : SPDM_CHALLENGE_AUTH_CONTEXT);
	if (!verify_mldsa) {
		if (getenv("SPDM_TEST_VERBOSE"))
			result_show(&r);
		CHECK(outcome(&r, 1, NULL));
		CHECK(strstr(r.out, want) && strstr(r.out, "----  signature") &&
		      strstr(r.out, "----  chain") && strstr(r.out, "PASS  san"));
		result_free(&r);
		ev_free(&e);
		return 0;
	}
	CHECK(outcome(&r, 0, NULL));
	CHECK(strstr(r.out, want) && strstr(r.out, "verifies with the leaf key of CN=SPDM ML-DSA device,O=SPDM test"));
	if (getenv("SPDM_TEST_VERBOSE"))
		result_show(&r);
	CHECK(strstr(r.out, "PASS  chain            2 certificates"));
	result_free(&r);
	CHECK(log_expect(entry14(6 + meas, &e), s.chain, 0, NULL));
	ev_copy(&t, &e);
	t.sig[100] ^= 1;
	CHECK(expect(&t, 1, "signature"));
	ev_free(&t);
	ev_copy(&t, &e);
	t.t.data[t.rsp_off] ^= 1;
	CHECK(expect(&t, 1, "signature"));
	ev_free(&t);
	ev_free(&e);
	/* signed with an empty context, another one, the prefix of 1.3 */
	s.k.pqc_context = "";
	CHECK(meas ? !build_meas(&e, &s) : !build_challenge(&e, &s));
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	s.k.pqc_context = SPDM_KEY_EXCHANGE_CONTEXT;
	CHECK(meas ? !build_meas(&e, &s) : !build_challenge(&e, &s));
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	s.k.pqc_context = NULL;
	s.k.sign_version = 0x13;
	CHECK(meas ? !build_meas(&e, &s) : !build_challenge(&e, &s));
	CHECK(expect(&e, 1, "signature"));
	ev_free(&e);
	return 0;
}

/* The real ML-DSA tests, or why they are skipped */
static void add_mldsa_real(void)
{
	static const char *const what[] = {
		"real ML-DSA-65 challenge: pass; any other signature: signature",
		"real ML-DSA-87 measurements: pass; any other signature: signature",
		"real ML-DSA-65 challenge, spdm-verify without ML-DSA: not run",
		"real ML-DSA-87 measurements, spdm-verify without ML-DSA: not run",
	};
	long i;

	find_mldsa_cli();
	probe_verify();
	for (i = 0; i < 4; i++) {
		if (!*mldsa_cli)
			add_test(t_mldsa_real, i, "%s # SKIP no openssl command with ML-DSA (SPDM_OPENSSL)",
				 what[i]);
		else if ((i < 2) != verify_mldsa)
			add_test(t_mldsa_real, i, "%s # SKIP spdm-verify built with %s%s",
				 what[i], verify_openssl, verify_mldsa ?
				 ", which has ML-DSA" : ", without ML-DSA");
		else
			add_test(t_mldsa_real, i, "%s", what[i]);
	}
}

static void build_tests(void)
{
	long v;

	add_test(t_start, 0, "make chains");
	for (v = 0; v < (long)NR_BASE_SPECS; v++) {
		add_test(t_genuine, v, "SPDM %s measurements (all, indices, opaque data): pass",
		    vname(v));
		add_test(t_replay, v, "%s: replayed measurements (--nonce): nonce",
		    vname(v));
		add_test(t_flip, v, "%s: flipped transcript or signature byte: signature",
		    vname(v));
		add_test(t_offsets, v, "%s: lying nonce offsets: nonce, transcript",
		    vname(v));
		add_test(t_blocks, v,
		    "%s: duplicate index, size lie, count mismatches, digest size, wrong index: measurements",
		    vname(v));
		add_test(t_layout, v,
		    "%s: misplaced signature request, other indices, trailing bytes, prefix, context: transcript",
		    vname(v));
	}
	add_test(t_expect, 0, "1.2: --expect matches; mismatch and missing index named");
	add_test(t_expect, 2, "1.1: --expect matches; mismatch and missing index named");
	add_test(t_expect_usage, 0,
	    "--expect on challenge evidence fails; malformed files, --index misuse: usage");
	add_test(t_json, 0, "--json bundle has the decoded blocks and verifies again");
	add_test(t_log_make, 0, "signature log fixture in a fake sysfs");
	add_test(t_log_genuine, 0,
	    "log entries (challenge, measurements) verify; --json, outside sysfs");
	add_test(t_log_11, 0, "SPDM 1.1 log entries: algorithms from the leaf key");
	add_test(t_log_tampered, 0, "tampered challenge entry: each change noticed");
	add_test(t_log_tampered, 1, "tampered measurements entry: each change noticed");
	add_test(t_log_malformed, 0, "malformed or missing log files: evidence, exit 3");
	add_test(t_14_challenge, 0,
	    "1.4 challenge: version, v1.4 prefix, large GET_CERTIFICATE; prefix, signature");
	add_test(t_14_algorithms, 0,
	    "1.3: reserved PqcAsymSel bytes ignored; pqc_asym_alg: evidence");
	add_test(t_14_algorithms, 1,
	    "1.4: BaseAsymSel and PqcAsymSel both set: algorithms; both stated: evidence");
	add_test(t_14_chain, 0,
	    "1.4: chain over 64 KiB (u32 Length) passes, in 1.3 not; 1.4 Length: chain");
	add_test(t_mldsa_fake, 0,
	    "ML-DSA-65 challenge, signature and chain unverifiable here: not run or fail, never pass");
	add_test(t_mldsa_fake, 1,
	    "ML-DSA-65 measurements, log entry, JSON: not run or fail, never pass");
	add_test(t_mldsa_mixed, 0,
	    "ECDSA root, ML-DSA-65 leaf key: chain passes; signature, trust not run or checked");
	add_test(t_mldsa_mismatch, 0,
	    "ML-DSA: pqc_asym_alg disagrees: algorithms; wrong key, size, version: signature, evidence");
	add_mldsa_real();
}

int main(int argc, char **argv)
{
	int ret = harness_main(&run, argc, argv, build_tests, &tap_fail);

	ev_free(&log_chal);
	ev_free(&log_meas);
	ev_free(&log_meas11);
	ev_free(&log_chal11);
	return ret;
}
