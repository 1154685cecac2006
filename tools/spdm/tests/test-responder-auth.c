// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication tests of the spdm-responder binary: a careful requester
 * (lib-requester.c) runs VCA, GET_DIGESTS, chunked GET_CERTIFICATE and
 * CHALLENGE against it over the socket protocol for every SPDM version
 * 1.0-1.3, every signature algorithm (ECDSA P-256/384/521, RSA
 * 2048/3072/4096) and every hash (SHA-256/384/512), verifying each
 * signature over the transcript it kept itself.  Then ordering and
 * malformed requests, slots, sizes, and every misbehaviour switch: each
 * must be caught (or recovered from) by the requester.
 *
 * Usage: test-responder-auth [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).  Keys and certificates are made once, in a temporary
 * directory, by mkcerts.
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
#include "tap.h"

#define TIMEOUT_S	5
#define NR_VERSIONS	4

static const uint8_t versions[NR_VERSIONS] = { 0x10, 0x11, 0x12, 0x13 };

/*
 * Certificate directories made by mkcerts.  The RSA-3072 and RSA-4096
 * chains have RSA-2048 CAs: RSA key generation is what takes time here
 * (an RSA-4096 key 1-4 s), so one large key per chain.
 */
static const struct algo {
	const char *name;	/* mkcerts --algo, and the directory */
	const char *dev;	/* its device, as in dev_spec[] */
	uint32_t asym;
	const char *cert_hash;	/* what mkcerts signs the certificates with */
	const char *ca_algo;	/* mkcerts --ca-algo */
} algos[] = {
#define ALGO(name, ...)	{ name, "0:certs=%1$s/" name, __VA_ARGS__ }
	ALGO("ecdsa-p256", RQ_ECDSA_P256, "sha256", "ecdsa-p256"),
	ALGO("ecdsa-p384", RQ_ECDSA_P384, "sha384", "ecdsa-p384"),
	ALGO("ecdsa-p521", RQ_ECDSA_P521, "sha512", "ecdsa-p521"),
	ALGO("rsa-2048", RQ_RSASSA_2048, "sha256", "rsa-2048"),
	ALGO("rsa-3072", RQ_RSASSA_3072, "sha384", "rsa-2048"),
	ALGO("rsa-4096", RQ_RSASSA_4096, "sha512", "rsa-2048"),
#undef ALGO
};
#define NR_ALGOS	ARRAY_SIZE(algos)

static const struct mkcert extra_certs[] = {
	{ "p256b", { "--algo", "ecdsa-p256", "--hash", "sha384", NULL } },
	{ "big", { "--algo", "ecdsa-p256", "--extra-size", "60000", NULL } },
};

static const uint32_t hashes[] = { RQ_SHA256, RQ_SHA384, RQ_SHA512 };
static const char *const hash_names[] = { "SHA-256", "SHA-384", "SHA-512" };

/* The devices, one --port each; %1$s is the temporary directory. */
enum dev {
	D_ALG0, D_ALG_LAST = D_ALG0 + NR_ALGOS - 1,
	D_MULTI, D_BIG, D_SMALL, D_SHA256, D_NOCERTS, D_NOSLOTS, D_FRESH,
	D_ORDER, D_FUZZ,
	M_BADSIG, M_WT_VCA, M_WT_B, M_WT_PREFIX, M_WN_NONCE, M_WN_CTX,
	M_WN_BOTH, M_WCH, M_DIGEST, M_CERT, M_TRUNC, M_OVER, M_ERR, M_BUSY,
	M_NR_CHAL, M_NR_CERT, M_RESYNCH, M_BADVER, M_UNSUPVER, M_ANO_ASYM,
	M_ANO_HASH, M_AM_ASYM, M_AM_HASH, M_SLOW, M_DELAY,
	NR_DEVS
};

#define P256	"certs=%1$s/ecdsa-p256"
static const char *const dev_spec[NR_DEVS] = {
	[D_MULTI] = "0:" P256 ":slots=0,3:slot=5=%1$s/p256b:slot=6=%1$s/ecdsa-p384",
	[D_BIG] = "0:certs=%1$s/big",
	[D_SMALL] = "0:" P256 ":data-transfer-size=256",
	[D_SHA256] = "0:" P256 ":hash=sha256",
	[D_NOCERTS] = "0",
	[D_NOSLOTS] = "0:" P256 ":slots=none",
	[D_FRESH] = "0:" P256 ":meas=none",
	[D_ORDER] = "0:" P256 ":meas=none",
	[D_FUZZ] = "0:certs=%1$s/rsa-2048:slots=0,1:slot=2=%1$s/ecdsa-p384",
	[M_BADSIG] = "0:" P256 ":misbehave=bad-signature",
	[M_WT_VCA] = "0:" P256 ":misbehave=wrong-transcript",
	[M_WT_B] = "0:" P256 ":misbehave=wrong-transcript=no-b",
	[M_WT_PREFIX] = "0:" P256 ":misbehave=wrong-transcript=prefix",
	[M_WN_NONCE] = "0:" P256 ":misbehave=wrong-nonce=nonce",
	[M_WN_CTX] = "0:" P256 ":misbehave=wrong-nonce=context",
	[M_WN_BOTH] = "0:" P256 ":misbehave=wrong-nonce",
	[M_WCH] = "0:" P256 ":misbehave=wrong-chain-hash",
	[M_DIGEST] = "0:" P256 ":misbehave=digest-mismatch",
	[M_CERT] = "0:" P256 ":misbehave=cert-mismatch",
	[M_TRUNC] = "0:" P256 ":misbehave=truncate@0x83",
	[M_OVER] = "0:" P256 ":misbehave=overlong=8@0x81",
	[M_ERR] = "0:" P256 ":misbehave=error=0x05@0x82",
	[M_BUSY] = "0:" P256 ":misbehave=busy-once",
	[M_NR_CHAL] = "0:" P256 ":misbehave=error=0x42@0x83",
	[M_NR_CERT] = "0:" P256 ":misbehave=error=0x42@0x82",
	[M_RESYNCH] = "0:" P256 ":misbehave=request-resynch@0x81",
	[M_BADVER] = "0:" P256 ":misbehave=bad-version",
	[M_UNSUPVER] = "0:" P256 ":misbehave=unsupported-version",
	[M_ANO_ASYM] = "0:" P256 ":misbehave=alg-not-offered",
	[M_ANO_HASH] = "0:" P256 ":misbehave=alg-not-offered=hash",
	[M_AM_ASYM] = "0:" P256 ":misbehave=alg-multiple",
	[M_AM_HASH] = "0:" P256 ":misbehave=alg-multiple=hash",
	[M_SLOW] = "0:" P256 ":ct-exponent=10:misbehave=slow@0x83",
	[M_DELAY] = "0:" P256 ":misbehave=delay=30@0x83",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-auth-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */

/* ---- requester helpers ------------------------------------------------ */

static struct rq *open_dev(enum dev d, const struct rq_opts *o)
{
	struct rq_opts def;

	if (!o) {
		rq_opts_default(&def);
		o = &def;
	}
	if (rq_open(&rq, port[d], o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	return &rq;
}

static struct rq_opts opts(uint8_t version, uint32_t asym, uint32_t hash)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.version = version;
	o.asym = asym;
	o.hash = hash;
	return o;
}

/* Authenticate slot 0 of @d; expect success (@why NULL) or failure. */
static bool auth_expect(enum dev d, const struct rq_opts *o, const char *why)
{
	struct rq *r = open_dev(d, o);
	bool ok;
	int ret;

	if (!r)
		return false;
	ret = rq_authenticate(r, 0);
	ok = why ? ret && rq_failed_with(r, why) : !ret;
	if (!ok)
		printf("# device %d SPDM %x.%x: %s (expected %s)\n", d,
		       o ? o->version >> 4 : 1, o ? o->version & 0xf : 3,
		       ret ? r->err : "success", why ? why : "success");
	rq_close(r);
	return ok;
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	struct mkcert c[NR_ALGOS + ARRAY_SIZE(extra_certs)];
	const char *spec[NR_DEVS];
	long long t0 = now_ms();
	unsigned int i;

	(void)arg;
	for (i = 0; i < NR_ALGOS; i++)
		c[i] = (struct mkcert){ algos[i].name, {
			"--algo", algos[i].name, "--hash", algos[i].cert_hash,
			"--ca-algo", algos[i].ca_algo, NULL } };
	for (i = 0; i < ARRAY_SIZE(extra_certs); i++)
		c[NR_ALGOS + i] = extra_certs[i];
	harness_mkcerts(&run, c, ARRAY_SIZE(c));
	printf("# mkcerts: %lld ms for %zu chains\n", now_ms() - t0,
	       NR_ALGOS + 2);
	for (i = 0; i < NR_DEVS; i++)
		spec[i] = i <= D_ALG_LAST ? algos[i - D_ALG0].dev : dev_spec[i];
	harness_start(&run, spec, NR_DEVS, port);
	return 0;
}

/* The full flow for one version and algorithm, all three hashes. */
static int t_matrix(long arg)
{
	unsigned int v = arg / NR_ALGOS, a = arg % NR_ALGOS, h;
	struct rq_opts o;
	struct rq *r;

	for (h = 0; h < 3; h++) {
		o = opts(versions[v], algos[a].asym, hashes[h]);
		o.chunk = 500 + 300 * h;	/* 2-5 GET_CERTIFICATEs */
		r = open_dev(D_ALG0 + a, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# %s: %s\n", hash_names[h], r->err);
			tap_fail = 1;
		} else {
			CHECK_EQ(r->version, versions[v]);
			CHECK_EQ(r->asym, algos[a].asym);
			CHECK_EQ(r->hash, hashes[h]);
			CHECK(r->chain_len[0] > (size_t)o.chunk);
			/* again: M1 = A || C now (B was reset) */
			if (rq_challenge(r, 0, NULL)) {
				printf("# %s, second CHALLENGE: %s\n",
				       hash_names[h], r->err);
				tap_fail = 1;
			}
		}
		rq_close(r);
	}
	return 0;
}

/* Tiny GET_CERTIFICATE lengths: the chain still adds up and verifies. */
static int t_chunk_small(long arg)
{
	static const unsigned int chunks[] = { 1, 7, 100, 0xffff };
	struct rq_opts o = opts(0, RQ_ECDSA_P256, RQ_SHA384);
	unsigned int i, v;
	struct rq *r;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		v = versions[i % NR_VERSIONS];
		o.version = v;
		o.chunk = chunks[i];
		r = open_dev(D_ALG0, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# chunk %u, SPDM %x: %s\n", chunks[i], v, r->err);
			tap_fail = 1;
		}
		rq_close(r);
	}
	return 0;
}

/* A ~60 KiB chain: portions capped at DataTransferSize, both sides. */
static int t_big_chain(long arg)
{
	uint8_t req[8] = { 0, RQ_GET_CERTIFICATE, 0, 0, 0, 0, 0xff, 0xff };
	struct rq_opts o;
	unsigned int v, dts;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		dts = versions[v] >= 0x12 && (v & 1) ? 1024 : 4096;
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA512);
		o.chunk = 0xffff;
		o.dts = dts;
		r = open_dev(D_BIG, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		CHECK(r->chain_len[0] > 60000);
		/* one request for everything: one DataTransferSize back */
		req[0] = versions[v];
		if (!rq_xchg(r, req, sizeof(req))) {
			CHECK_EQ(r->rsp[1], RQ_CERTIFICATE);
			CHECK_EQ(r->rsp[4] | r->rsp[5] << 8,
				 (versions[v] >= 0x12 ? dts : 4096) - 8);
			CHECK_EQ(8 + (r->rsp[4] | r->rsp[5] << 8) +
				 (r->rsp[6] | r->rsp[7] << 8), r->chain_len[0] + 8);
		}
		rq_close(r);
	}
	return 0;
}

/* --data-transfer-size 256: CAPABILITIES says so, portions follow. */
static int t_small_dts(long arg)
{
	uint8_t req[8] = { 0, RQ_GET_CERTIFICATE, 0, 0, 0, 0, 0xff, 0xff };
	struct rq_opts o;
	unsigned int v;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA256);
		o.chunk = 0xffff;
		r = open_dev(D_SMALL, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		if (versions[v] >= 0x12)
			CHECK_EQ(r->rsp_dts, 256);
		req[0] = versions[v];
		if (!rq_xchg(r, req, sizeof(req)))
			CHECK_EQ(r->rsp[4] | r->rsp[5] << 8, 256 - 8);
		rq_close(r);
	}
	return 0;
}

/* A requester DataTransferSize too small for DIGESTS: ResponseTooLarge. */
static int t_too_large(long arg)
{
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA512);
	uint8_t req[4] = { 0x12, RQ_GET_DIGESTS, 0, 0 };
	struct rq *r;

	(void)arg;
	o.dts = 64;
	r = open_dev(D_ALG0, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK(rq_expect_error(r, req, sizeof(req), RQ_ERR_TOO_LARGE));
	CHECK_EQ(r->rsp_len, 8);
	CHECK_EQ(r->rsp[4] | r->rsp[5] << 8, 4 + 64);
	rq_close(r);
	return 0;
}

/* 1.3 GET_CERTIFICATE SlotSizeRequested; ignored (reserved) before 1.3. */
static int t_slot_size(long arg)
{
	uint8_t req[8] = { 0x13, RQ_GET_CERTIFICATE, 0, 0x01, 0, 0, 0x10, 0 };
	struct rq_opts o = opts(0x13, RQ_ECDSA_P256, RQ_SHA256);
	struct rq *r;

	(void)arg;
	r = open_dev(D_ALG0, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 0));
	CHECK(!rq_xchg(r, req, sizeof(req)));
	CHECK_EQ(r->rsp[1], RQ_CERTIFICATE);
	CHECK_EQ(r->rsp[4] | r->rsp[5] << 8, 0);
	CHECK_EQ(r->rsp[6] | r->rsp[7] << 8, r->chain_len[0]);
	req[2] = 2;				/* no such slot here */
	CHECK(rq_expect_error(r, req, sizeof(req), RQ_ERR_INVALID_REQUEST));
	rq_close(r);

	o.version = 0x12;
	r = open_dev(D_ALG0, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 0));
	req[0] = 0x12;
	req[2] = 0;
	CHECK(!rq_xchg(r, req, sizeof(req)));
	CHECK_EQ(r->rsp[4] | r->rsp[5] << 8, 16);
	rq_close(r);
	return 0;
}

/* Slots 0,3 (one chain), 5 (another P-256), 6 (P-384). */
static int t_slots(long arg)
{
	struct rq_opts o = opts(0x13, RQ_ECDSA_P256, RQ_SHA256);
	struct rq *r;

	(void)arg;
	r = open_dev(D_MULTI, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 5));
	CHECK_EQ(r->provisioned, 0x29);
	CHECK_EQ(r->supported, 0x69);
	CHECK(!memcmp(r->digest[0], r->digest[3], 32));
	CHECK(memcmp(r->digest[0], r->digest[5], 32));
	CHECK(!rq_challenge(r, 3, NULL));
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);

	o.asym = RQ_ECDSA_P384;
	r = open_dev(D_MULTI, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 6));
	CHECK_EQ(r->provisioned, 0x40);
	rq_close(r);

	o.asym = RQ_ECDSA_P256 | RQ_ECDSA_P384;	/* P-384 preferred */
	o.version = 0x10;
	r = open_dev(D_MULTI, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 6));
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK_EQ(r->provisioned, 0x40);
	rq_close(r);
	if (tap_fail)
		printf("# %s\n", rq.err);
	return 0;
}

/* --hash sha256: other offers find nothing in common. */
static int t_hash_config(long arg)
{
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA384 | RQ_SHA512);
	struct rq *r;

	(void)arg;
	CHECK(auth_expect(D_SHA256, &o, "ERROR InvalidRequest"));
	o.hash = RQ_HASH_ALL;
	r = open_dev(D_SHA256, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 0));
	CHECK_EQ(r->hash, RQ_SHA256);
	rq_close(r);
	o.hash = RQ_HASH_ALL;			/* default: the strongest */
	r = open_dev(D_ALG0, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 0));
	CHECK_EQ(r->hash, RQ_SHA512);
	rq_close(r);
	o.asym = RQ_RSASSA_2048 | RQ_ECDSA_P384;	/* not P-256 */
	CHECK(auth_expect(D_ALG0, &o, "ERROR InvalidRequest"));
	return 0;
}

/* RSASSA-PSS works too when offered alone. */
static int t_rsa_pss(long arg)
{
	unsigned int v;
	struct rq_opts o;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_RSAPSS_3072, RQ_SHA384);
		CHECK(auth_expect(D_ALG0 + 4, &o, NULL));
		o.asym = RQ_RSAPSS_3072 | RQ_RSASSA_3072;
		CHECK(auth_expect(D_ALG0 + 4, &o, NULL));
	}
	return 0;
}

/* No certificates: no CERT_CAP/CHAL_CAP, the requests unsupported. */
static int t_no_certs(long arg)
{
	uint8_t req[8] = { 0x12, RQ_GET_DIGESTS, 0, 0 };
	struct rq_opts o = opts(0x12, RQ_ASYM_ALL, RQ_HASH_ALL);
	struct rq *r;

	(void)arg;
	r = open_dev(D_NOCERTS, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK_EQ(r->rsp_flags & 6, 0);
	CHECK(rq_expect_error(r, req, 4, RQ_ERR_UNSUPPORTED));
	CHECK_EQ(r->rsp[3], RQ_GET_DIGESTS);
	req[1] = RQ_GET_CERTIFICATE;
	CHECK(rq_expect_error(r, req, 8, RQ_ERR_UNSUPPORTED));
	rq_close(r);

	/* a key, but nothing provisioned */
	o.version = 0x13;
	r = open_dev(D_NOSLOTS, &o);
	if (!r)
		return 1;
	CHECK(!rq_vca(r));
	CHECK(rq_get_digests(r) && rq_failed_with(r, "no slot provisioned"));
	req[0] = 0x13;
	CHECK(rq_expect_error(r, req, 8, RQ_ERR_INVALID_REQUEST));
	rq_close(r);
	return 0;
}

static int t_order(long arg)
{
	uint8_t caps[20] = { 0x12, RQ_GET_CAPABILITIES };
	uint8_t algs[32] = { 0x12, RQ_NEGOTIATE_ALGS, 0, 0, 32, 0, 0, 0,
			     0x10, 0, 0, 0, 0x01 };
	uint8_t digests[4] = { 0x12, RQ_GET_DIGESTS };
	uint8_t chal[36] = { 0x12, RQ_CHALLENGE };
	uint8_t gv[4] = { 0x10, RQ_GET_VERSION };
	uint8_t rif[4] = { 0x12, RQ_RESPOND_IF_READY, RQ_CHALLENGE, 0 };
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA256);
	struct rq *r;

	(void)arg;
	caps[12] = caps[16] = 0x00;
	caps[13] = caps[17] = 0x10;		/* DTS = Max = 4096 */
	r = open_dev(D_FRESH, &o);
	if (!r)
		return 1;
	/* nothing before GET_VERSION */
	CHECK(rq_expect_error(r, caps, sizeof(caps), RQ_ERR_UNEXPECTED));
	CHECK(rq_expect_error(r, digests, sizeof(digests), RQ_ERR_UNEXPECTED));
	CHECK(!rq_xchg(r, gv, sizeof(gv)) && r->rsp[1] == RQ_VERSION);
	/* NEGOTIATE_ALGORITHMS, CHALLENGE before GET_CAPABILITIES */
	CHECK(rq_expect_error(r, algs, sizeof(algs), RQ_ERR_UNEXPECTED));
	CHECK(rq_expect_error(r, chal, sizeof(chal), RQ_ERR_UNEXPECTED));
	CHECK(!rq_xchg(r, caps, sizeof(caps)) && r->rsp[1] == RQ_CAPABILITIES);
	/* twice; DIGESTS before ALGORITHMS */
	CHECK(rq_expect_error(r, caps, sizeof(caps), RQ_ERR_UNEXPECTED));
	CHECK(rq_expect_error(r, digests, sizeof(digests), RQ_ERR_UNEXPECTED));
	CHECK(!rq_xchg(r, algs, sizeof(algs)) && r->rsp[1] == RQ_ALGORITHMS);
	CHECK(rq_expect_error(r, algs, sizeof(algs), RQ_ERR_UNEXPECTED));
	/* other versions than the negotiated one */
	digests[0] = 0x13;
	CHECK(rq_expect_error(r, digests, sizeof(digests), RQ_ERR_VERSION_MISMATCH));
	digests[0] = 0x11;
	CHECK(rq_expect_error(r, digests, sizeof(digests), RQ_ERR_VERSION_MISMATCH));
	CHECK_EQ(r->rsp[0], 0x12);
	gv[0] = 0x12;
	CHECK(rq_expect_error(r, gv, sizeof(gv), RQ_ERR_VERSION_MISMATCH));
	CHECK_EQ(r->rsp[0], 0x10);
	/* nothing deferred */
	CHECK(rq_expect_error(r, rif, sizeof(rif), RQ_ERR_UNEXPECTED));
	/* no such request */
	digests[0] = 0x12;
	digests[1] = 0xe0;			/* GET_MEASUREMENTS */
	CHECK(rq_expect_error(r, digests, sizeof(digests), RQ_ERR_UNSUPPORTED));
	rq_close(r);
	return 0;
}

/* Malformed requests of each kind: InvalidRequest, state unchanged. */
static int t_malformed(long arg)
{
	struct rq_opts o = opts(0x13, RQ_ECDSA_P256, RQ_SHA256);
	uint8_t buf[64], gv[8] = { 0x10, RQ_GET_VERSION };
	unsigned int v;
	struct rq *r;

	(void)arg;
	r = open_dev(D_ORDER, &o);
	if (!r)
		return 1;
	/* GET_VERSION with 4 trailing bytes (not DOE padding) */
	CHECK(rq_expect_error(r, gv, sizeof(gv), RQ_ERR_INVALID_REQUEST));
	for (v = 0; v < NR_VERSIONS; v++) {
		o.version = versions[v];
		r->o = o;
		CHECK(!rq_get_version(r));
		/* GET_CAPABILITIES of another version's length */
		memset(buf, 0, sizeof(buf));
		buf[0] = versions[v];
		buf[1] = RQ_GET_CAPABILITIES;
		buf[13] = buf[17] = 0x10;
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x12 ? 12 : 20,
				   RQ_ERR_INVALID_REQUEST));
		if (versions[v] >= 0x11) {
			buf[8] = 0x04;		/* CHAL_CAP without CERT_CAP */
			CHECK(rq_expect_error(r, buf, versions[v] >= 0x12 ? 20 : 12,
					   RQ_ERR_INVALID_REQUEST));
			buf[8] = 0;
		}
		if (versions[v] >= 0x12) {
			buf[12] = 41;		/* DataTransferSize < 42 */
			buf[13] = 0;
			CHECK(rq_expect_error(r, buf, 20, RQ_ERR_INVALID_REQUEST));
			buf[12] = 0;
			buf[13] = 0x08;		/* DTS != Max, no CHUNK_CAP */
			CHECK(rq_expect_error(r, buf, 20, RQ_ERR_INVALID_REQUEST));
		}
		CHECK(!rq_get_capabilities(r));
		/* NEGOTIATE_ALGORITHMS: Length wrong, structs wrong */
		memset(buf, 0, sizeof(buf));
		buf[0] = versions[v];
		buf[1] = RQ_NEGOTIATE_ALGS;
		buf[4] = 36;
		buf[8] = 0x10;
		buf[12] = 0x01;
		CHECK(rq_expect_error(r, buf, 32, RQ_ERR_INVALID_REQUEST));
		if (versions[v] >= 0x11) {
			buf[2] = 2;
			buf[4] = 40;
			buf[32] = 3;
			buf[33] = 0x20;
			buf[36] = 2;		/* AlgType not ascending */
			buf[37] = 0x20;
			CHECK(rq_expect_error(r, buf, 40, RQ_ERR_INVALID_REQUEST));
			buf[2] = 1;
			buf[4] = 36;
			buf[33] = 0x30;		/* FixedAlgCount 3 */
			CHECK(rq_expect_error(r, buf, 36, RQ_ERR_INVALID_REQUEST));
			buf[2] = 0;
		}
		buf[4] = 32;
		buf[8] = 0x01;			/* RSASSA-2048: not ours */
		CHECK(rq_expect_error(r, buf, 32, RQ_ERR_INVALID_REQUEST));
		buf[8] = 0x10;
		buf[12] = 0x08;			/* SHA3-256: not ours */
		CHECK(rq_expect_error(r, buf, 32, RQ_ERR_INVALID_REQUEST));
		CHECK(!rq_negotiate_algorithms(r));
		CHECK(!rq_get_digests(r));
		/* GET_CERTIFICATE: bad slots, offset, length */
		memset(buf, 0, sizeof(buf));
		buf[0] = versions[v];
		buf[1] = RQ_GET_CERTIFICATE;
		buf[2] = 9;
		buf[6] = 0x10;
		CHECK(rq_expect_error(r, buf, 8, RQ_ERR_INVALID_REQUEST));
		buf[2] = 2;
		CHECK(rq_expect_error(r, buf, 8, RQ_ERR_INVALID_REQUEST));
		buf[2] = 0;
		buf[5] = 0xff;			/* Offset 0xff00 */
		CHECK(rq_expect_error(r, buf, 8, RQ_ERR_INVALID_REQUEST));
		buf[5] = 0;
		CHECK(rq_expect_error(r, buf, 12, RQ_ERR_INVALID_REQUEST));
		CHECK(!rq_get_certificate(r, 0));
		/* CHALLENGE: summary hash types, slots, lengths */
		memset(buf, 0, sizeof(buf));
		buf[0] = versions[v];
		buf[1] = RQ_CHALLENGE;
		buf[3] = 1;
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 44 : 36,
				   RQ_ERR_INVALID_REQUEST));
		buf[3] = 0xff;
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 44 : 36,
				   RQ_ERR_INVALID_REQUEST));
		buf[3] = 0x05;
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 44 : 36,
				   RQ_ERR_INVALID_REQUEST));
		buf[3] = 0;
		buf[2] = 0xff;			/* public key: none */
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 44 : 36,
				   RQ_ERR_INVALID_REQUEST));
		buf[2] = 1;			/* not provisioned */
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 44 : 36,
				   RQ_ERR_INVALID_REQUEST));
		buf[2] = 0;
		CHECK(rq_expect_error(r, buf, versions[v] >= 0x13 ? 36 : 44,
				   RQ_ERR_INVALID_REQUEST));
		/* none of it entered the transcript */
		if (rq_challenge(r, 0, NULL)) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
	}
	rq_close(r);
	return 0;
}

/* GET_DIGESTS twice, CHALLENGE twice: transcript B handling. */
static int t_repeat(long arg)
{
	unsigned int v;
	struct rq_opts o;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P384, RQ_SHA384);
		r = open_dev(D_ALG0 + 1, &o);
		if (!r)
			return 1;
		CHECK(!rq_vca(r));
		CHECK(!rq_get_digests(r));
		CHECK(!rq_get_certificate(r, 0));
		CHECK(!rq_get_digests(r));	/* B starts over */
		CHECK(!rq_challenge(r, 0, NULL));
		CHECK(!rq_get_certificate(r, 0));	/* B without DIGESTS */
		CHECK(!rq_challenge(r, 0, NULL));
		CHECK(!rq_challenge(r, 0, NULL));	/* B empty */
		if (tap_fail)
			printf("# SPDM %x: %s\n", versions[v], r->err);
		rq_close(r);
	}
	return 0;
}

/*
 * Random requests, mostly well-formed headers of the requests we answer
 * with random parameters, lengths and bodies, in and out of order: every
 * one gets a response, and the device still authenticates afterwards.
 */
static int t_fuzz(long arg)
{
	static const uint8_t codes[] = {
		RQ_GET_VERSION, RQ_GET_CAPABILITIES, RQ_NEGOTIATE_ALGS,
		RQ_GET_DIGESTS, RQ_GET_CERTIFICATE, RQ_CHALLENGE,
		RQ_RESPOND_IF_READY, 0xe0, 0x01,
	};
	struct rq_opts o = opts(0, RQ_ASYM_ALL, RQ_HASH_ALL);
	unsigned int i, n = 3000, answered = 0, good = 0, len;
	uint8_t req[160];
	struct rq *r;

	(void)arg;
	srandom(12345);
	r = open_dev(D_FUZZ, &o);
	if (!r)
		return 1;
	for (i = 0; i < n; i++) {
		if (i % 50 == 0) {
			o.version = versions[random() % NR_VERSIONS];
			r->o = o;
			if (rq_vca(r))
				printf("# VCA %x: %s\n", o.version, r->err);
		}
		for (unsigned int j = 0; j < sizeof(req); j++)
			req[j] = random();
		req[0] = random() % 8 ? r->version : 0x10 + random() % 6;
		req[1] = codes[random() % sizeof(codes)];
		if (random() % 2)
			req[2] &= 7;		/* plausible slot */
		if (random() % 2)
			req[3] = 0;
		/* mostly the right length for the code, and plausible fields */
		switch (req[1]) {
		case RQ_GET_CAPABILITIES:
			len = req[0] >= 0x12 ? 20 : req[0] == 0x11 ? 12 : 4;
			if (random() % 2)
				memset(req + 8, 0, 4);
			if (random() % 2)
				memcpy(req + 12, "\0\x10\0\0\0\x10\0\0", 8);
			break;
		case RQ_NEGOTIATE_ALGS:
			req[2] &= 3;
			len = 32 + 4 * req[2];
			req[4] = len;
			req[5] = 0;
			memset(req + 28, 0, 4);
			for (unsigned int j = 0; j < req[2]; j++)
				req[32 + 4 * j] = 2 + j;
			break;
		case RQ_GET_CERTIFICATE:
			len = 8;
			if (random() % 2)
				req[5] = 0;	/* small offset */
			break;
		case RQ_CHALLENGE:
			len = req[0] >= 0x13 ? 44 : 36;
			break;
		default:
			len = 4;
			break;
		}
		if (!(random() % 4))
			len = random() % sizeof(req);
		if (rq_xchg(r, req, len)) {
			printf("# request %u (%02x %02x, %u bytes): %s\n", i,
			       req[0], req[1], len, r->err);
			tap_fail = 1;
			break;
		}
		answered++;
		CHECK(r->rsp_len >= 4);
		good += r->rsp[1] != RQ_ERROR;
	}
	CHECK_EQ(answered, n);
	printf("# %u of %u answered without ERROR\n", good, n);
	rq_close(r);
	o.version = 0x13;
	o.asym = RQ_ECDSA_P384;
	r = open_dev(D_FUZZ, &o);
	if (!r)
		return 1;
	CHECK(!rq_authenticate(r, 2));		/* slot 2 has the P-384 key */
	CHECK_EQ(r->provisioned, 0x04);
	rq_close(r);
	o.asym = RQ_RSASSA_2048;
	o.version = 0x11;
	CHECK(auth_expect(D_FUZZ, &o, NULL));
	return 0;
}

/* Each misbehaviour switch against every version. */
struct mb_case {
	enum dev dev;
	const char *why[NR_VERSIONS];	/* NULL: must succeed */
};

static const struct mb_case mb_cases[] = {
	{ M_BADSIG, { "signature does not verify", "signature does not verify",
		      "signature does not verify", "signature does not verify" } },
	{ M_WT_VCA, { "signature does not verify", "signature does not verify",
		      "signature does not verify", "signature does not verify" } },
	{ M_WT_B, { "signature does not verify", "signature does not verify",
		    "signature does not verify", "signature does not verify" } },
	{ M_WT_PREFIX, { "signature does not verify", "signature does not verify",
			 "signature does not verify", "signature does not verify" } },
	{ M_WN_NONCE, { "signature does not verify", "signature does not verify",
			"signature does not verify", "signature does not verify" } },
	{ M_WN_CTX, { NULL, NULL, NULL, "RequesterContext is not ours" } },
	{ M_WN_BOTH, { "signature does not verify", "signature does not verify",
		       "signature does not verify", "RequesterContext is not ours" } },
	{ M_WCH, { "CertChainHash does not match", "CertChainHash does not match",
		   "CertChainHash does not match", "CertChainHash does not match" } },
	{ M_DIGEST, { "does not match its DIGESTS digest",
		      "does not match its DIGESTS digest",
		      "does not match its DIGESTS digest",
		      "does not match its DIGESTS digest" } },
	{ M_CERT, { "does not match its DIGESTS digest",
		    "does not match its DIGESTS digest",
		    "does not match its DIGESTS digest",
		    "does not match its DIGESTS digest" } },
	{ M_TRUNC, { "truncated CHALLENGE_AUTH", "truncated CHALLENGE_AUTH",
		     "truncated CHALLENGE_AUTH", "truncated CHALLENGE_AUTH" } },
	{ M_OVER, { "overlong DIGESTS", "overlong DIGESTS", "overlong DIGESTS",
		    "overlong DIGESTS" } },
	{ M_ERR, { "ERROR Unspecified", "ERROR Unspecified", "ERROR Unspecified",
		   "ERROR Unspecified" } },
	{ M_UNSUPVER, { "no common version", "no common version",
			"no common version", "no common version" } },
	{ M_ANO_ASYM, { "not offered", "not offered", "not offered",
			"not offered" } },
	{ M_ANO_HASH, { "not offered", "not offered", "not offered",
			"not offered" } },
	{ M_AM_ASYM, { "more than one algorithm", "more than one algorithm",
		       "more than one algorithm", "more than one algorithm" } },
	{ M_AM_HASH, { "more than one algorithm", "more than one algorithm",
		       "more than one algorithm", "more than one algorithm" } },
};

static int t_misbehave(long arg)
{
	const struct mb_case *c = &mb_cases[arg];
	struct rq_opts o;
	unsigned int v;

	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA256);
		if (c->dev == M_AM_ASYM)
			o.asym = RQ_ECDSA_P256 | RQ_ECDSA_P384;
		if (c->dev == M_AM_HASH)
			o.hash = RQ_SHA256 | RQ_SHA384;
		if (c->dev == M_UNSUPVER)
			o.version = 0;
		CHECK(auth_expect(c->dev, &o, c->why[v]));
	}
	return 0;
}

static const char *mb_name(enum dev d)
{
	const char *p = strstr(dev_spec[d], "misbehave=");

	return p ? p + strlen("misbehave=") : "?";
}

/* busy-once: every request Busy first; a careful requester retries. */
static int t_busy(long arg)
{
	struct rq_opts o;
	unsigned int v;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P256, RQ_SHA384);
		r = open_dev(M_BUSY, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		CHECK(r->busy_seen >= 6);	/* VCA, digests, cert, chal */
		rq_close(r);
		o.recover = false;
		CHECK(auth_expect(M_BUSY, &o, "ERROR Busy"));
	}
	return 0;
}

/* error=0x42: ResponseNotReady, then RESPOND_IF_READY gets the response. */
static int t_not_ready(long arg)
{
	uint8_t rif[4] = { 0, RQ_RESPOND_IF_READY, RQ_CHALLENGE, 0 };
	uint8_t chal[44] = { 0, RQ_CHALLENGE };
	struct rq_opts o;
	unsigned int v;
	struct rq *r;

	(void)arg;
	for (v = 0; v < NR_VERSIONS; v++) {
		o = opts(versions[v], RQ_ECDSA_P521, RQ_SHA512);
		o.asym = RQ_ECDSA_P256;
		r = open_dev(M_NR_CHAL, &o);
		if (!r)
			return 1;
		if (rq_authenticate(r, 0)) {
			printf("# SPDM %x: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		CHECK_EQ(r->not_ready_seen, 1);
		/* a wrong Token or code is rejected */
		chal[0] = rif[0] = versions[v];
		CHECK(!rq_xchg(r, chal, versions[v] >= 0x13 ? 44 : 36));
		CHECK_EQ(r->rsp[2], RQ_ERR_NOT_READY);
		CHECK_EQ(r->rsp[5], RQ_CHALLENGE);
		rif[3] = r->rsp[6] + 1;
		CHECK(rq_expect_error(r, rif, sizeof(rif), RQ_ERR_INVALID_REQUEST));
		rif[3]--;
		rif[2] = RQ_GET_DIGESTS;
		CHECK(rq_expect_error(r, rif, sizeof(rif), RQ_ERR_INVALID_REQUEST));
		rif[2] = RQ_CHALLENGE;
		CHECK(!rq_xchg(r, rif, sizeof(rif)));
		CHECK_EQ(r->rsp[1], RQ_CHALLENGE_AUTH);
		CHECK(rq_expect_error(r, rif, sizeof(rif), RQ_ERR_UNEXPECTED));
		rq_close(r);

		r = open_dev(M_NR_CERT, &o);
		if (!r)
			return 1;
		r->o.chunk = 400;
		if (rq_authenticate(r, 0)) {
			printf("# SPDM %x certificate: %s\n", versions[v], r->err);
			tap_fail = 1;
		}
		CHECK(r->not_ready_seen >= 3);
		rq_close(r);
	}
	return 0;
}

/* request-resynch@0x81: the requester starts over, then succeeds. */
static int t_resynch(long arg)
{
	uint8_t caps[4] = { 0x10, RQ_GET_CAPABILITIES };
	struct rq_opts o = opts(0x11, RQ_ECDSA_P256, RQ_SHA256);
	struct rq *r;

	(void)arg;
	r = open_dev(M_RESYNCH, &o);
	if (!r)
		return 1;
	CHECK(rq_authenticate(r, 0) && rq_failed_with(r, "ERROR RequestResynch"));
	/* the connection is gone: GET_VERSION first */
	CHECK(rq_expect_error(r, caps, sizeof(caps), RQ_ERR_UNEXPECTED));
	if (rq_authenticate(r, 0)) {
		printf("# %s\n", r->err);
		tap_fail = 1;
	}
	rq_close(r);
	return 0;
}

/* bad-version: a requester that takes the highest version fails. */
static int t_bad_version(long arg)
{
	struct rq_opts o = opts(0, RQ_ECDSA_P256, RQ_SHA256);

	(void)arg;
	o.max_version = 0x14;
	CHECK(auth_expect(M_BADVER, &o, "ERROR VersionMismatch"));
	o.max_version = 0x13;
	CHECK(auth_expect(M_BADVER, &o, NULL));
	return 0;
}

/* slow / delay: CHALLENGE_AUTH later than CT. */
static int t_slow(long arg)
{
	struct rq_opts o = opts(0x12, RQ_ECDSA_P256, RQ_SHA256);

	(void)arg;
	CHECK(auth_expect(M_SLOW, &o, NULL));
	o.ct_check = 1;
	CHECK(auth_expect(M_SLOW, &o, "too slow"));
	CHECK(auth_expect(M_DELAY, &o, "too slow"));
	return 0;
}

static int t_logged(long arg)
{
	static const char *const lines[] = {
		"misbehave bad-signature", "misbehave wrong-transcript: signing without the VCA",
		"misbehave wrong-nonce", "misbehave wrong-chain-hash",
		"misbehave digest-mismatch", "misbehave cert-mismatch",
		"misbehave busy-once", "misbehave request-resynch",
		"misbehave unsupported-version", "misbehave alg-not-offered",
		"misbehave alg-multiple", "misbehave slow", "RESPOND_IF_READY",
		"rejected GET_CERTIFICATE: slot 9 does not exist",
		"rejected CHALLENGE: MeasurementSummaryHashType 0x01 without MEAS_CAP",
		"rejected NEGOTIATE_ALGORITHMS: no BaseAsymAlgo in common",
		"rejected GET_CAPABILITIES: no GET_VERSION first",
		"slots 0:ECDSA P-256,3:ECDSA P-256,5:ECDSA P-256,6:ECDSA P-384",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

static int t_cli(long arg)
{
	char certs[PATH_MAX + 16], nodir[PATH_MAX + 16], slot[PATH_MAX + 16];
	char out[PATH_MAX + 16];
	char *const bad[][6] = {
		{ run.responder, "--slots", "8", NULL },
		{ run.responder, "--slots", "0,,1", NULL },
		{ run.responder, "--slots", "0x100", NULL },
		{ run.responder, "--slot", "9=/x", NULL },
		{ run.responder, "--slot", "1", NULL },
		{ run.responder, "--hash", "md5", NULL },
		{ run.responder, "--ct-exponent", "32", NULL },
		{ run.responder, "--data-transfer-size", "41", NULL },
		{ run.responder, "--port", "0:hash=sha1", NULL },
		{ run.responder, "--misbehave", "wrong-nonce=maybe", NULL },
		{ run.responder, "--misbehave", "slow=x", NULL },
		{ run.responder, "--misbehave", "bad-signature=1", NULL },
	};
	char *const fails[][8] = {
		{ run.responder, "--certs", nodir, "--port", "0", NULL },
		{ run.responder, "--slots", "0,1", "--port", "0", NULL },
		{ run.responder, "--certs", certs, "--slots", "1",
		  "--slot", slot, NULL },
	};
	size_t i;

	(void)arg;
	snprintf(certs, sizeof(certs), "%s/ecdsa-p256", run.tmpdir);
	snprintf(nodir, sizeof(nodir), "%s/nothing", run.tmpdir);
	snprintf(slot, sizeof(slot), "3=%s/nothing", run.tmpdir);
	snprintf(out, sizeof(out), "%s/cli.log", run.tmpdir);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int st = run_status(bad[i], out, false);

		if (st != 2)
			printf("# %s %s: exit %d, expected 2\n", bad[i][1],
			       bad[i][2], st);
		CHECK_EQ(st, 2);
	}
	for (i = 0; i < ARRAY_SIZE(fails); i++)
		CHECK_EQ(run_status(fails[i], out, false), 1);
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static void build_tests(void)
{
	unsigned int v, a, i;

	add_test(t_start, 0, "mkcerts for 8 chains, responder with %d devices",
		 NR_DEVS);
	for (v = 0; v < NR_VERSIONS; v++)
		for (a = 0; a < NR_ALGOS; a++)
			add_test(t_matrix, v * NR_ALGOS + a,
				 "SPDM %x.%x %s: VCA, digests, chunked chain, 2x CHALLENGE, SHA-256/384/512",
				 versions[v] >> 4, versions[v] & 0xf,
				 algos[a].name);
	add_test(t_chunk_small, 0, "GET_CERTIFICATE Length 1, 7, 100, 0xffff");
	add_test(t_big_chain, 0, "60 KiB chain: portions capped by DataTransferSize");
	add_test(t_small_dts, 0, "--data-transfer-size 256: portions and CAPABILITIES");
	add_test(t_too_large, 0, "requester DataTransferSize 64: ResponseTooLarge");
	add_test(t_slot_size, 0, "1.3 SlotSizeRequested; reserved before 1.3");
	add_test(t_slots, 0, "slots 0,3,5 (P-256) and 6 (P-384): masks, digests, CHALLENGE");
	add_test(t_hash_config, 0, "--hash sha256; no common algorithm: InvalidRequest");
	add_test(t_rsa_pss, 0, "RSASSA-PSS 3072 when offered alone, RSASSA preferred");
	add_test(t_no_certs, 0, "no certificates: no CERT_CAP; no slots provisioned");
	add_test(t_order, 0, "out-of-order requests: UnexpectedRequest / VersionMismatch");
	add_test(t_malformed, 0, "malformed requests: InvalidRequest, transcript unchanged");
	add_test(t_repeat, 0, "GET_DIGESTS twice, CHALLENGE twice: transcript B");
	add_test(t_fuzz, 0, "3000 random requests answered, device still authenticates");
	for (i = 0; i < ARRAY_SIZE(mb_cases); i++)
		add_test(t_misbehave, i, "misbehave %s: detected in SPDM 1.0-1.3",
			 mb_name(mb_cases[i].dev));
	add_test(t_busy, 0, "misbehave busy-once: retried, else ERROR Busy");
	add_test(t_not_ready, 0, "misbehave error=0x42@0x83/@0x82: RESPOND_IF_READY");
	add_test(t_resynch, 0, "misbehave request-resynch@0x81: start over");
	add_test(t_bad_version, 0, "misbehave bad-version: 1.4 listed, not accepted");
	add_test(t_slow, 0, "misbehave slow@0x83, delay=30@0x83: later than CT");
	add_test(t_logged, 0, "misbehaviours and rejections logged");
	add_test(t_cli, 0, "command line: bad options 2, unloadable certificates 1");
	add_test(harness_sigterm, TIMEOUT_S * 1000, "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	return harness_main(&run, argc, argv, build_tests, &tap_fail);
}
