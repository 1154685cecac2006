// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM 1.4 ML-DSA (FIPS 204) tests of the spdm-responder binary with
 * certificate chains from mkcerts --algo mldsa44/65/87, against the
 * careful requester of lib-requester.c, which verifies pure ML-DSA over
 * combined_spdm_prefix || Hash(transcript) with the signing context as
 * the ML-DSA context string (written from the spec, not the responder's
 * code): ALGORITHMS selects PqcAsymSel with BaseAsymSel 0; CHALLENGE and
 * signed MEASUREMENTS verify for ML-DSA-44, -65 and -87, a session's
 * KEY_EXCHANGE_RSP for -65 and -87, ML-DSA-87's responses in chunks (the
 * automatic MaxSPDMmsgSize); a signature checked with another context string does
 * not verify; a requester offering no ML-DSA to an ML-DSA-only device
 * gets ERROR InvalidRequest; pqc-first= with keys of both kinds;
 * mkcerts refuses an openssl without ML-DSA.
 *
 * Built with OpenSSL older than 3.5 the responder refuses ML-DSA keys,
 * saying why (tested if the openssl command can make them), and the
 * rest is skipped; so is everything that needs ML-DSA chains when the
 * openssl command ($SPDM_OPENSSL, else openssl in PATH) lacks ML-DSA.
 *
 * Usage: test-responder-pqc [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "tap.h"

#define TIMEOUT_S		5
#define MAX_MSG			65536
#define V13			0x13
#define V14			0x14
#define CHAL_CONTEXT		"responder-challenge_auth signing"
#define MEAS_CONTEXT		"responder-measurements signing"
#define CAP_CHUNK_FLAG		(1U << 17)

static const struct mkcert certs[] = {
	{ "mldsa44", { "--algo", "mldsa44", NULL } },
	{ "mldsa65", { "--algo", "mldsa65", "--hash", "sha384", NULL } },
	{ "mldsa87", { "--algo", "mldsa87", NULL } },
	{ "ecdsa-p256", { "--algo", "ecdsa-p256", NULL } },
};

enum dev {
	D_44, D_65, D_87, D_87_SMALL, D_MIX, D_MIX_PQC, D_MIX_NO,
	NR_DEVS
};

#define V1314	":versions=1.3,1.4"
#define MIX	"0:slot=0=%1$s/ecdsa-p256:slot=1=%1$s/mldsa65" V1314
static const char *const dev_spec[NR_DEVS] = {
	[D_44] = "0:certs=%1$s/mldsa44:versions=1.4",
	[D_65] = "0:certs=%1$s/mldsa65" V1314,
	[D_87] = "0:certs=%1$s/mldsa87" V1314,
	[D_87_SMALL] = "0:certs=%1$s/mldsa87:versions=1.4:max-msg-size=4096",
	[D_MIX] = MIX,
	[D_MIX_PQC] = MIX ":pqc-first=yes",
	[D_MIX_NO] = "0:slot=0=%1$s/mldsa65:slot=1=%1$s/ecdsa-p256"
		     V1314 ":pqc-first=no",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-pqc-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */
static char openssl_cli[PATH_MAX];	/* one with ML-DSA, "" if none */
static bool responder_mldsa;	/* the responder signs with ML-DSA */

/* ---- helpers ---------------------------------------------------------- */

/* $SPDM_OPENSSL, else openssl in PATH, if it makes ML-DSA keys */
static void find_openssl(void)
{
	const char *env = getenv("SPDM_OPENSSL"), *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, key[PATH_MAX + 16], log[PATH_MAX + 16];

	openssl_cli[0] = 0;
	if (env && *env) {
		snprintf(openssl_cli, sizeof(openssl_cli), "%s", env);
	} else if (path) {
		dirs = strdup(path);
		for (dir = dirs ? strtok_r(dirs, ":", &save) : NULL; dir;
		     dir = strtok_r(NULL, ":", &save)) {
			snprintf(openssl_cli, sizeof(openssl_cli), "%s/openssl",
				 dir);
			if (!access(openssl_cli, X_OK))
				break;
		}
		free(dirs);
		if (!dir)
			openssl_cli[0] = 0;
	}
	if (!*openssl_cli || access(openssl_cli, X_OK)) {
		openssl_cli[0] = 0;
		return;
	}
	snprintf(key, sizeof(key), "%s/probe.key", run.tmpdir);
	snprintf(log, sizeof(log), "%s/probe.log", run.tmpdir);
	if (run_status((char *const []){ openssl_cli, "genpkey", "-algorithm",
					 "ML-DSA-44", "-out", key, NULL },
		       log, true))
		openssl_cli[0] = 0;
}

static struct rq_opts opts(uint8_t version, uint32_t flags)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.max_version = V14;
	o.version = version;
	o.flags = flags;
	o.alg_structs = 4;
	o.pqc = RQ_ML_DSA_ALL;
	o.max_msg = MAX_MSG;
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

/* VCA, digests and the chain of @slot. */
static struct rq *connect_dev(enum dev d, const struct rq_opts *o,
			      unsigned int slot)
{
	struct rq *r = open_dev(d, o);

	if (!r)
		return NULL;
	if (rq_vca(r) || rq_get_digests(r) || rq_get_certificate(r, slot)) {
		printf("# device %d SPDM %x: %s\n", d, o->version, r->err);
		rq_close(r);
		return NULL;
	}
	return r;
}

/*
 * Whether the signature of @m (the first request after the VCA) verifies
 * over VCA || @m with the key of @slot; @ctx: the ML-DSA context string
 * to check it with instead of the right one.
 */
static bool meas_verifies(struct rq *r, const struct rq_meas *m,
			  unsigned int slot, const char *ctx)
{
	struct msg t;
	bool ok;

	msg_init(&t);
	r->mldsa_ctx = ctx;
	ok = m->sig && !msg_put(&t, r->a.data, r->a.len) &&
	     !msg_put(&t, m->req, m->req_len) &&
	     !msg_put(&t, r->rsp, m->signed_len) &&
	     !rq_verify_transcript(r, slot, MEAS_CONTEXT, t.data, t.len,
				   m->sig);
	r->mldsa_ctx = NULL;
	msg_free(&t);
	return ok;
}

static uint32_t pqc_of(enum dev d)
{
	return d == D_44 ? RQ_ML_DSA_44 : d == D_87 ? RQ_ML_DSA_87 :
	       RQ_ML_DSA_65;
}

static size_t sig_len_of(enum dev d)
{
	return d == D_44 ? 2420 : d == D_87 ? 4627 : 3309;
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	if (responder_mldsa)
		harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/* The test of a build or an openssl without ML-DSA: said, passed. */
static int t_skip(long arg)
{
	(void)arg;
	return 0;
}

/*
 * ALGORITHMS: PqcAsymSel (the device's parameter set) with BaseAsymSel
 * 0, to a requester offering every classical algorithm and ML-DSA too;
 * CHUNK_CAP and MaxSPDMmsgSize 64 KiB by default.
 */
static int t_algs(long arg)
{
	enum dev d = arg;
	struct rq_opts o = opts(V14, CAP_CHUNK_FLAG);
	struct rq *r = connect_dev(d, &o, 0);

	if (!r)
		return 1;
	CHECK_EQ(r->version, V14);
	CHECK_EQ(r->pqc, pqc_of(d));
	CHECK_EQ(r->asym, 0);
	CHECK_EQ(r->sig_len, sig_len_of(d));
	CHECK(r->rsp_flags & CAP_CHUNK_FLAG);
	CHECK_EQ(r->rsp_max_msg, MAX_MSG);
	rq_close(r);
	return 0;
}

/*
 * CHALLENGE and signed MEASUREMENTS (first, over VCA || L1) at 1.4 with
 * @arg's ML-DSA key: verified by the requester; ML-DSA-87's in chunks.
 * The same MEASUREMENTS signature checked with another context string
 * (or none) does not verify, and neither does CHALLENGE_AUTH then.
 */
static int t_auth(long arg)
{
	enum dev d = arg;
	struct rq_opts o = opts(V14, CAP_CHUNK_FLAG);
	static struct rq_meas m;
	struct rq *r;

	r = connect_dev(d, &o, 0);
	if (!r)
		return 1;
	if (rq_get_measurements(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0, NULL, &m)) {
		printf("# GET_MEASUREMENTS: %s\n", r->err);
		tap_fail = 1;
	} else {
		CHECK(meas_verifies(r, &m, 0, NULL));
		CHECK(!meas_verifies(r, &m, 0, CHAL_CONTEXT));
		CHECK(!meas_verifies(r, &m, 0, ""));
		CHECK(!meas_verifies(r, &m, 0, MEAS_CONTEXT "\n"));
	}
	r->chunks = 0;
	CHECK(!rq_challenge(r, 0, NULL));
	if (d == D_87)
		CHECK(r->chunks >= 2);
	else
		CHECK_EQ(r->chunks, 0);
	CHECK(!rq_challenge(r, 0, NULL));
	r->mldsa_ctx = MEAS_CONTEXT;
	CHECK(rq_challenge(r, 0, NULL));
	CHECK(rq_failed_with(r, "CHALLENGE_AUTH signature does not verify"));
	r->mldsa_ctx = NULL;
	rq_close(r);
	return 0;
}

/*
 * A 1.4 session with @arg's ML-DSA key: KEY_EXCHANGE_RSP signed over TH1
 * (in chunks for ML-DSA-87), FINISH, then HEARTBEAT, a signed
 * MEASUREMENTS in the session (chunked in secured messages) and
 * END_SESSION.
 */
static int t_session(long arg)
{
	enum dev d = arg;
	struct rq_opts o = opts(V14, RQ_CAP_SESSION | CAP_CHUNK_FLAG);
	static struct rq_meas m;
	struct rq_session s;
	struct rq *r;

	r = connect_dev(d, &o, 0);
	if (!r)
		return 1;
	r->large_len = 0;
	if (rq_session_start(r, &s, 0)) {
		printf("# session: %s\n", r->err);
		tap_fail = 1;
	} else {
		if (d == D_87)
			CHECK(r->large_len > 4096);	/* KEY_EXCHANGE_RSP */
		CHECK(!rq_heartbeat(r, &s));
		CHECK(!rq_meas_request(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, 0,
				       NULL, &m));
		CHECK(!rq_secured(r, &s, m.req, m.req_len, RQ_MEASUREMENTS));
		CHECK(!rq_end_session(r, &s));
	}
	rq_session_free(&s);
	rq_close(r);
	return 0;
}

/*
 * ML-DSA-87 CHALLENGE_AUTH (4.8 KB) to a requester without CHUNK_CAP,
 * and from a device whose max-msg-size keeps it at 4096 to one with:
 * ERROR ResponseTooLarge.
 */
static int t_too_large(long arg)
{
	struct rq_opts o = opts(V14, 0);
	struct rq *r;

	(void)arg;
	o.max_msg = 0;
	r = connect_dev(D_87, &o, 0);
	if (!r)
		return 1;
	CHECK(rq_challenge(r, 0, NULL));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	rq_close(r);

	o = opts(V14, CAP_CHUNK_FLAG);
	r = connect_dev(D_87_SMALL, &o, 0);
	if (!r)
		return 1;
	CHECK(!(r->rsp_flags & CAP_CHUNK_FLAG));
	CHECK_EQ(r->pqc, RQ_ML_DSA_87);
	CHECK(rq_challenge(r, 0, NULL));
	CHECK_EQ(r->error_code, RQ_ERR_TOO_LARGE);
	rq_close(r);
	return 0;
}

/*
 * An ML-DSA-only device refuses (ERROR InvalidRequest to
 * NEGOTIATE_ALGORITHMS) a 1.4 requester offering no ML-DSA, one offering
 * another parameter set only, and a 1.3 requester.
 */
static int t_refuse(long arg)
{
	static const struct {
		uint8_t version;
		uint32_t pqc;
	} cases[] = { { V14, 0 }, { V14, RQ_ML_DSA_44 | RQ_ML_DSA_87 },
		      { V13, RQ_ML_DSA_ALL } };
	struct rq_opts o;
	struct rq *r;
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		o = opts(cases[i].version, CAP_CHUNK_FLAG);
		o.pqc = cases[i].pqc;
		r = open_dev(D_65, &o);
		if (!r)
			return 1;
		if (!rq_vca(r) || r->error_code != RQ_ERR_INVALID_REQUEST) {
			printf("# case %zu: VCA %s, ERROR 0x%02x\n", i,
			       r->err, r->error_code);
			tap_fail = 1;
		}
		rq_close(r);
	}
	return 0;
}

/*
 * Slot 0 ECDSA P-256, slot 1 ML-DSA-65: offered both, pqc-first=auto
 * takes slot 0's BaseAsymAlgo (slot 1 then not provisioned),
 * pqc-first=yes ML-DSA (slot 1 only); offered ML-DSA only, auto takes
 * it.  pqc-first=no with ML-DSA in slot 0: the BaseAsymAlgo.
 */
static int t_mixed(long arg)
{
	struct rq_opts o = opts(V14, CAP_CHUNK_FLAG);
	struct rq *r;

	(void)arg;
	r = connect_dev(D_MIX, &o, 0);
	if (!r)
		return 1;
	CHECK_EQ(r->asym, RQ_ECDSA_P256);
	CHECK_EQ(r->pqc, 0);
	CHECK_EQ(r->provisioned, 0x01);
	CHECK(!rq_challenge(r, 0, NULL));
	rq_close(r);

	r = connect_dev(D_MIX_PQC, &o, 1);
	if (!r)
		return 1;
	CHECK_EQ(r->asym, 0);
	CHECK_EQ(r->pqc, RQ_ML_DSA_65);
	CHECK_EQ(r->provisioned, 0x02);
	CHECK(!rq_challenge(r, 1, NULL));
	rq_close(r);

	o.asym = 0;
	r = connect_dev(D_MIX, &o, 1);
	if (!r)
		return 1;
	CHECK_EQ(r->pqc, RQ_ML_DSA_65);
	CHECK(!rq_challenge(r, 1, NULL));
	rq_close(r);

	o.asym = RQ_ASYM_ALL;
	r = connect_dev(D_MIX_NO, &o, 1);
	if (!r)
		return 1;
	CHECK_EQ(r->asym, RQ_ECDSA_P256);
	CHECK_EQ(r->provisioned, 0x02);
	CHECK(!rq_challenge(r, 1, NULL));
	rq_close(r);
	return 0;
}

/* Bad pqc-first= values: exit 2. */
static int t_cli(long arg)
{
	char out[PATH_MAX + 16];
	char *const usage[][4] = {
		{ run.responder, "--pqc-first", "maybe", NULL },
		{ run.responder, "--port", "0:pqc-first=", NULL },
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

/*
 * Built without ML-DSA: an ML-DSA key is refused naming the reason, and
 * so is pqc-first=yes (exit 2).
 */
static int t_no_mldsa(long arg)
{
	char certs_opt[PATH_MAX + 32];
	char *argv[] = { run.responder, "--certs", certs_opt, "--port", "0",
			 NULL };
	char *yes[] = { run.responder, "--pqc-first", "yes", NULL };
	struct result res;

	(void)arg;
	snprintf(certs_opt, sizeof(certs_opt), "%s/mldsa65", run.tmpdir);
	run_capture(&res, argv, NULL, run.tmpdir, TIMEOUT_S * 1000);
	CHECK(res.rc != 0 && res.rc != -1);
	CHECK(res.err && strstr(res.err, "ML-DSA-65 key: needs OpenSSL 3.5 or newer"));
	if (tap_fail)
		result_show(&res);
	result_free(&res);
	run_capture(&res, yes, NULL, run.tmpdir, TIMEOUT_S * 1000);
	CHECK_EQ(res.rc, 2);
	CHECK(res.err && strstr(res.err, "ML-DSA needs OpenSSL 3.5 or newer"));
	result_free(&res);
	return 0;
}

/* mkcerts with an openssl lacking ML-DSA (false): exit 1, says why. */
static int t_mkcerts_no_mldsa(long arg)
{
	char dir[PATH_MAX + 16];
	char *argv[] = { run.mkcerts, "--algo", "mldsa65", dir, NULL };
	const char *env = getenv("SPDM_OPENSSL");
	char *saved = env ? strdup(env) : NULL;
	struct result res;

	(void)arg;
	snprintf(dir, sizeof(dir), "%s/never", run.tmpdir);
	setenv("SPDM_OPENSSL", "/bin/false", 1);
	run_capture(&res, argv, NULL, run.tmpdir, TIMEOUT_S * 1000);
	if (saved)
		setenv("SPDM_OPENSSL", saved, 1);
	else
		unsetenv("SPDM_OPENSSL");
	free(saved);
	CHECK_EQ(res.rc, 1);
	CHECK(res.err && strstr(res.err, "has no ML-DSA"));
	CHECK(access(dir, F_OK));
	if (tap_fail)
		result_show(&res);
	result_free(&res);
	return 0;
}

static int t_logged(long arg)
{
	static const char *const lines[] = {
		"slots 0:ML-DSA-87,",
		"MaxSPDMmsgSize 65536 (CHUNK_CAP)",
		"ML-DSA PqcAsymAlgo 0x2 (SPDM 1.4), PqcAsymAlgo first",
		"ML-DSA PqcAsymAlgo 0x2 (SPDM 1.4), BaseAsymAlgo first",
		"rejected NEGOTIATE_ALGORITHMS: no signature algorithm in common (offered BaseAsymAlgo 0x1ff, PqcAsymAlgo 0x0; ours BaseAsymAlgo 0x0, PqcAsymAlgo 0x2)",
		"PqcAsymAlgo 0x2, which needs SPDM 1.4), ERROR InvalidRequest",
		"CHALLENGE_AUTH of 4",
	};
	size_t i;

	(void)arg;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static const char *const dev_names[] = {
	[D_44] = "ML-DSA-44", [D_65] = "ML-DSA-65", [D_87] = "ML-DSA-87",
};

static void build_tests(void)
{
	const char *why = rq_mldsa_unsupported();
	char skip[200] = "";
	int i;

	find_openssl();
	responder_mldsa = spdm_mldsa_built() && !why && *openssl_cli;
	if (!*openssl_cli)
		snprintf(skip, sizeof(skip),
			 " # SKIP no openssl command with ML-DSA (SPDM_OPENSSL)");
	else if (why)
		snprintf(skip, sizeof(skip), " # SKIP %s", why);

	add_test(t_mkcerts_no_mldsa, 0, "mkcerts --algo mldsa65 with an openssl lacking ML-DSA: exit 1, says so");
	if (!*openssl_cli) {
		add_test(t_skip, 0, "ML-DSA chains, responder%s", skip);
	} else {
		add_test(t_start, 0, "mkcerts ML-DSA-44/65/87 chains%s",
			 responder_mldsa ? ", responder with 7 devices" : "");
	}
	if (!responder_mldsa) {
		if (*openssl_cli)
			add_test(t_no_mldsa, 0, "built without ML-DSA: ML-DSA key and pqc-first=yes refused, saying why");
		add_test(t_skip, 0, "ML-DSA signing, sessions, chunks, refusals, pqc-first%s",
			 skip);
		return;
	}
	for (i = D_44; i <= D_87; i++)
		add_test(t_algs, i, "%s: ALGORITHMS PqcAsymSel, BaseAsymSel 0, CHUNK_CAP with MaxSPDMmsgSize 65536",
			 dev_names[i]);
	for (i = D_44; i <= D_87; i++)
		add_test(t_auth, i, "%s: CHALLENGE, signed MEASUREMENTS verified%s; wrong ML-DSA context fails",
			 dev_names[i], i == D_87 ? " (chunked)" : "");
	for (i = D_65; i <= D_87; i++)
		add_test(t_session, i, "%s: session, KEY_EXCHANGE_RSP signature%s, secured MEASUREMENTS",
			 dev_names[i], i == D_87 ? " (chunked)" : "");
	add_test(t_too_large, 0, "ML-DSA-87 without chunking on either side: ERROR ResponseTooLarge");
	add_test(t_refuse, 0, "ML-DSA-only device: no ML-DSA offered, another parameter set, SPDM 1.3: ERROR InvalidRequest");
	add_test(t_mixed, 0, "ECDSA and ML-DSA slots: pqc-first=auto/yes/no, provisioned slots follow the selection");
	add_test(t_cli, 0, "command line: bad pqc-first: exit 2");
	add_test(t_logged, 0, "ML-DSA devices and refusals logged");
	add_test(harness_sigterm, TIMEOUT_S * 1000, "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	log_level = LOG_QUIET;
	return harness_main(&run, argc, argv, build_tests, &tap_fail);
}
