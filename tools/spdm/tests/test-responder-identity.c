// SPDX-License-Identifier: GPL-2.0
/*
 * Identity switch tests of the spdm-responder binary (identity=FILE, for
 * the kernel's same-device check): while the responder runs, the test
 * writes FILE naming another mkcerts directory and checks, with the
 * independent requester, that DIGESTS, GET_CERTIFICATE (also a whole
 * chain in chunks), the CertChainHash and signature of CHALLENGE_AUTH,
 * signed MEASUREMENTS and KEY_EXCHANGE_RSP all follow the new chain and
 * key at once, in the same connection, and that removing or emptying
 * FILE switches back.  Then: a key that cannot sign with the negotiated
 * algorithm waits for the next GET_VERSION (and the latest FILE wins),
 * sessions established before a switch go on, only the slots serving
 * certs= change, bad files and directories keep the identity, FILE
 * present at start-up, the global --identity, the command line and the
 * log.
 *
 * Usage: test-responder-identity [PATH-TO-spdm-responder [PATH-TO-mkcerts]]
 * (defaults: $SPDM_RESPONDER, $SPDM_MKCERTS, else ./spdm-responder and
 * ./mkcerts).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib-harness.h"
#include "lib-requester.h"
#include "log.h"
#include "tap.h"

#define TIMEOUT_S		5
#define NR_VERSIONS		4
#define MEAS_CONTEXT		"responder-measurements signing"
#define MAX_MSG			65536
#define MIN_DTS			42

static const uint8_t versions[NR_VERSIONS] = { 0x10, 0x11, 0x12, 0x13 };

/* A and B: ECDSA P-384 (other keys); C: ECDSA P-256. */
static const struct mkcert certs[] = {
	{ "id-a", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	{ "id-b", { "--algo", "ecdsa-p384", "--hash", "sha384", NULL } },
	{ "id-c", { "--algo", "ecdsa-p256", NULL } },
};

enum ident { ID_A, ID_B, ID_C, NR_IDS };

enum dev { D_MAIN, D_SLOTS, D_CHUNK, D_START, D_PLAIN, NR_DEVS };

/* %1$s is the temporary directory; each device has its own FILE. */
#define A	"0:certs=%1$s/id-a"
static const char *const dev_spec[NR_DEVS] = {
	[D_MAIN] = A ":identity=%1$s/ident-main",
	[D_SLOTS] = A ":slots=0,2:slot=1=%1$s/id-c:identity=%1$s/ident-slots",
	[D_CHUNK] = A ":max-msg-size=65536:identity=%1$s/ident-chunk",
	[D_START] = A ":identity=%1$s/ident-start",
	[D_PLAIN] = A,
};

static const char *const dev_file[NR_DEVS] = {
	[D_MAIN] = "ident-main",
	[D_SLOTS] = "ident-slots",
	[D_CHUNK] = "ident-chunk",
	[D_START] = "ident-start",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-identity-test-XXXXXX",
	.progs = H_RESPONDER | H_MKCERTS,
};
static unsigned int port[NR_DEVS];
static struct rq rq;		/* big: one at a time */

/* chain.der of each identity, as mkcerts wrote it */
static struct {
	uint8_t *der;
	size_t len;
} chain_der[NR_IDS];

/* ---- files ------------------------------------------------------------ */


/* Point @d's FILE at identity @id: absolute path, "\n" ended. */
static int switch_to(enum dev d, enum ident id)
{
	char text[PATH_MAX];

	snprintf(text, sizeof(text), "%s/%s\n", run.tmpdir, certs[id].dir);
	return harness_write_file(&run, dev_file[d], text);
}

/* Remove @d's FILE: back to certs=. */
static int switch_back(enum dev d)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", run.tmpdir, dev_file[d]);
	return unlink(path) && errno != ENOENT ? -1 : 0;
}

static int read_binary(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;

	*buf = NULL;
	if (!f)
		return -1;
	if (fstat(fileno(f), &st) || st.st_size <= 0) {
		fclose(f);
		return -1;
	}
	*buf = malloc(st.st_size);
	*len = *buf ? fread(*buf, 1, st.st_size, f) : 0;
	fclose(f);
	return *len == (size_t)st.st_size ? 0 : -1;
}

/* ---- requester helpers ------------------------------------------------ */

static struct rq_opts opts(uint8_t version)
{
	struct rq_opts o;

	rq_opts_default(&o);
	o.version = version;
	return o;
}

static struct rq *open_port(unsigned int p, const struct rq_opts *o)
{
	if (rq_open(&rq, p, o)) {
		printf("# %s\n", rq.err);
		return NULL;
	}
	return &rq;
}

/* VCA, DIGESTS, every provisioned chain and CHALLENGE of slot @slot. */
static struct rq *auth_port(unsigned int p, const struct rq_opts *o,
			    unsigned int slot)
{
	struct rq *r = open_port(p, o);

	if (r && rq_authenticate(r, slot)) {
		printf("# authentication on port %u: %s\n", p, r->err);
		rq_close(r);
		return NULL;
	}
	return r;
}

/* Whether @slot's chain as received is that of identity @id. */
static bool chain_is(struct rq *r, unsigned int slot, enum ident id)
{
	size_t off = 4 + r->hash_len;

	if (!r->chain[slot] || r->chain_len[slot] != off + chain_der[id].len ||
	    memcmp(r->chain[slot] + off, chain_der[id].der,
		   chain_der[id].len)) {
		printf("# slot %u: not the chain of %s\n", slot,
		       certs[id].dir);
		return false;
	}
	return true;
}

/*
 * GET_DIGESTS, the chain of @slot, CHALLENGE: all of identity @id (the
 * requester checks the chain against the digest, CertChainHash against
 * the chain and the signature with its leaf key).
 */
static bool serves(struct rq *r, unsigned int slot, enum ident id)
{
	if (rq_get_digests(r) || rq_get_certificate(r, slot) ||
	    !chain_is(r, slot, id) || rq_challenge(r, slot, NULL)) {
		printf("# slot %u as %s: %s\n", slot, certs[id].dir, r->err);
		return false;
	}
	return true;
}

/* A signed MEASUREMENTS of all blocks, verified with @slot's chain. */
static bool meas_signed(struct rq *r, unsigned int slot)
{
	struct rq_meas m;
	struct msg t;
	bool ok;

	if (rq_get_measurements(r, RQ_MEAS_SIG, RQ_MEAS_OP_ALL, slot, NULL,
				&m)) {
		printf("# GET_MEASUREMENTS: %s\n", r->err);
		return false;
	}
	/* L1/L2 is this exchange alone, 1.2+ after the VCA */
	msg_init(&t);
	ok = !(r->version >= 0x12 && msg_put(&t, r->a.data, r->a.len)) &&
	     !msg_put(&t, m.req, m.req_len) &&
	     !msg_put(&t, r->rsp, m.signed_len) &&
	     !rq_verify_transcript(r, slot, MEAS_CONTEXT, t.data, t.len,
				   m.sig);
	msg_free(&t);
	if (!ok)
		printf("# MEASUREMENTS signature does not verify with the chain of slot %u\n",
		       slot);
	return ok;
}

/* The digest of @slot now, into @out (hash_len bytes). */
static bool digest_of(struct rq *r, unsigned int slot, uint8_t *out)
{
	if (rq_get_digests(r) || !(r->provisioned & (1U << slot))) {
		printf("# GET_DIGESTS: %s (provisioned 0x%02x)\n", r->err,
		       r->provisioned);
		return false;
	}
	memcpy(out, r->digest[slot], r->hash_len);
	return true;
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(long arg)
{
	char path[PATH_MAX];
	unsigned int i;

	(void)arg;
	harness_mkcerts(&run, certs, ARRAY_SIZE(certs));
	for (i = 0; i < NR_IDS; i++) {
		snprintf(path, sizeof(path), "%s/%s/chain.der", run.tmpdir,
			 certs[i].dir);
		if (read_binary(path, &chain_der[i].der, &chain_der[i].len)) {
			printf("Bail out! cannot read %s\n", path);
			exit(1);
		}
	}
	/* a relative name: FILE's directory */
	if (harness_write_file(&run, "ident-start", "  id-b\x20\t\n\n")) {
		printf("Bail out! cannot write to %s\n", run.tmpdir);
		exit(1);
	}
	harness_start(&run, dev_spec, NR_DEVS, port);
	return 0;
}

/*
 * In one connection: A, FILE names B - digests, chain, CHALLENGE and
 * MEASUREMENTS of B; a new connection still B; FILE emptied: A; B again;
 * FILE removed: A.
 */
static int t_switch(long arg)
{
	struct rq_opts o = opts(versions[arg]);
	uint8_t da[64], db[64], d[64];
	struct rq *r;

	CHECK(!switch_back(D_MAIN));
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_A));
	CHECK(digest_of(r, 0, da));

	CHECK(!switch_to(D_MAIN, ID_B));
	CHECK(digest_of(r, 0, db));
	CHECK(memcmp(da, db, r->hash_len));
	CHECK(serves(r, 0, ID_B));
	CHECK(meas_signed(r, 0));
	/* the file unchanged: nothing changes */
	CHECK(serves(r, 0, ID_B));
	rq_close(r);

	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_B));
	CHECK(digest_of(r, 0, d));
	CHECK_MEM(d, r->hash_len, db, r->hash_len);

	CHECK(!harness_write_file(&run, dev_file[D_MAIN], ""));
	CHECK(digest_of(r, 0, d));
	CHECK_MEM(d, r->hash_len, da, r->hash_len);
	CHECK(serves(r, 0, ID_A));
	CHECK(meas_signed(r, 0));

	CHECK(!switch_to(D_MAIN, ID_B));
	CHECK(serves(r, 0, ID_B));
	CHECK(!switch_back(D_MAIN));
	CHECK(serves(r, 0, ID_A));
	CHECK(digest_of(r, 0, d));
	CHECK_MEM(d, r->hash_len, da, r->hash_len);
	rq_close(r);
	return 0;
}

/*
 * Sessions: KEY_EXCHANGE after a switch signs TH with the new key over
 * the new chain's hash; a session established before goes on.
 */
static int t_session(long arg)
{
	struct rq_opts o = opts(versions[arg]);
	struct rq_session s1, s2;
	struct rq *r;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	o.flags = RQ_CAP_SESSION;
	o.alg_structs = 4;
	CHECK(!switch_back(D_MAIN));
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	if (rq_session_start(r, &s1, 0)) {
		printf("# session with A: %s\n", r->err);
		rq_close(r);
		return 1;
	}
	CHECK(!switch_to(D_MAIN, ID_B));
	CHECK(!rq_heartbeat(r, &s1));
	CHECK(serves(r, 0, ID_B));
	if (rq_session_start(r, &s2, 0)) {
		printf("# session with B: %s\n", r->err);
		tap_fail = 1;
	} else {
		CHECK(!rq_heartbeat(r, &s2));
		CHECK(!rq_end_session(r, &s2));
	}
	rq_session_free(&s2);
	CHECK(!rq_key_update(r, &s1, RQ_KU_UPDATE_ALL));
	CHECK(!rq_end_session(r, &s1));
	rq_session_free(&s1);
	CHECK(!switch_back(D_MAIN));
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	return 0;
}

/*
 * A P-256 key while ECDSA P-384 is negotiated: the connection keeps A
 * until GET_VERSION, then P-256 and C.  A requester that only offers
 * P-384 now finds nothing in common.  While C waits, FILE naming B (a
 * P-384 key) switches at once and C is forgotten.
 */
static int t_algo(long arg)
{
	struct rq_opts o = opts(versions[arg]), o384 = o;
	uint8_t da[64], d[64];
	struct rq *r;

	o384.asym = RQ_ECDSA_P384;
	CHECK(!switch_back(D_MAIN));
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK(digest_of(r, 0, da));

	CHECK(!switch_to(D_MAIN, ID_C));
	CHECK(digest_of(r, 0, d));
	CHECK_MEM(d, r->hash_len, da, r->hash_len);
	CHECK(serves(r, 0, ID_A));
	CHECK(meas_signed(r, 0));
	rq_close(r);

	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK_EQ(r->asym, RQ_ECDSA_P256);
	CHECK(chain_is(r, 0, ID_C));
	CHECK(meas_signed(r, 0));
	rq_close(r);

	r = open_port(port[D_MAIN], &o384);
	if (!r)
		return 1;
	CHECK(rq_vca(r));
	CHECK_EQ(r->error_code, RQ_ERR_INVALID_REQUEST);
	rq_close(r);

	/* back to A: waits while P-256 is negotiated */
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(!switch_back(D_MAIN));
	CHECK(serves(r, 0, ID_C));
	/* GET_VERSION in the same connection takes it */
	CHECK(!rq_vca(r));
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK(serves(r, 0, ID_A));

	/* C waits, then B: B at once, C forgotten */
	CHECK(!switch_to(D_MAIN, ID_C));
	CHECK(serves(r, 0, ID_A));
	CHECK(!switch_to(D_MAIN, ID_B));
	CHECK(serves(r, 0, ID_B));
	CHECK(!rq_vca(r));
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK(serves(r, 0, ID_B));
	CHECK(!switch_back(D_MAIN));
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	return 0;
}

/*
 * certs= serves slots 0 and 2, slot=1 C: FILE changes slots 0 and 2
 * only.  A P-256 key while P-256 is negotiated (through slot 1)
 * provisions slots 0 and 2 at once.
 */
static int t_slots(long arg)
{
	struct rq_opts o = opts(versions[arg]), o256 = o;
	struct rq *r;

	o.asym = RQ_ECDSA_P384;
	o256.asym = RQ_ECDSA_P256;
	CHECK(!switch_back(D_SLOTS));
	r = auth_port(port[D_SLOTS], &o, 0);
	if (!r)
		return 1;
	CHECK_EQ(r->provisioned, 0x05);
	CHECK(chain_is(r, 0, ID_A) && chain_is(r, 2, ID_A));
	CHECK(!switch_to(D_SLOTS, ID_B));
	CHECK(serves(r, 0, ID_B));
	CHECK_EQ(r->provisioned, 0x05);
	CHECK(serves(r, 2, ID_B));
	rq_close(r);

	r = auth_port(port[D_SLOTS], &o256, 1);
	if (!r)
		return 1;
	CHECK_EQ(r->provisioned, 0x02);
	CHECK(chain_is(r, 1, ID_C));
	CHECK(!switch_to(D_SLOTS, ID_C));
	CHECK(serves(r, 0, ID_C));
	CHECK_EQ(r->provisioned, 0x07);
	CHECK(serves(r, 1, ID_C));
	CHECK(serves(r, 2, ID_C));
	CHECK(!switch_back(D_SLOTS));
	/* A cannot sign with P-256: waits, slot 0 stays C */
	CHECK(serves(r, 0, ID_C));
	CHECK(!rq_vca(r));
	CHECK(serves(r, 1, ID_C));
	CHECK_EQ(r->provisioned, 0x02);
	rq_close(r);
	return 0;
}

/*
 * Requester DataTransferSize 42 and CHUNK_CAP: DIGESTS, CHALLENGE_AUTH
 * and KEY_EXCHANGE_RSP come in chunks, and a whole chain (Offset 0,
 * Length 0xFFFF) as one large CERTIFICATE; all of the new identity.
 */
static int t_chunk(long arg)
{
	uint8_t req[8] = { versions[arg], RQ_GET_CERTIFICATE, 0, 0,
			   0, 0, 0xff, 0xff };
	struct rq_opts o = opts(versions[arg]);
	struct rq_session s;
	enum ident id;
	struct rq *r;

	memset(&s, 0, sizeof(s));
	o.dts = MIN_DTS;
	o.max_msg = MAX_MSG;
	o.flags = RQ_CAP_CHUNK | RQ_CAP_SESSION;
	o.alg_structs = 4;
	CHECK(!switch_back(D_CHUNK));
	r = auth_port(port[D_CHUNK], &o, 0);
	if (!r)
		return 1;
	for (id = ID_A; id <= ID_B; id++) {
		if (id == ID_B)
			CHECK(!switch_to(D_CHUNK, id));
		r->large_len = 0;
		CHECK(serves(r, 0, id));
		CHECK(r->large_len > MIN_DTS);		/* CHALLENGE_AUTH */
		if (rq_request(r, req, sizeof(req), RQ_CERTIFICATE)) {
			printf("# whole chain: %s\n", r->err);
			tap_fail = 1;
		} else {
			CHECK(r->chunks > 1);
			CHECK_EQ(r->rsp_len, 8 + r->chain_len[0]);
			CHECK_MEM(r->rsp + 8, r->rsp_len - 8, r->chain[0],
				  r->chain_len[0]);
		}
		r->large_len = 0;
		if (rq_session_start(r, &s, 0)) {
			printf("# session: %s\n", r->err);
			tap_fail = 1;
		} else {
			CHECK(r->large_len > MIN_DTS);	/* KEY_EXCHANGE_RSP */
			CHECK(!rq_end_session(r, &s));
		}
		rq_session_free(&s);
	}
	CHECK(!switch_back(D_CHUNK));
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	return 0;
}

/*
 * The directory is read afresh whenever FILE changes: id-x holds B, then
 * A's files; FILE rewritten with the same text serves A.
 */
static int t_reread(long arg)
{
	struct rq_opts o = opts(0x12);
	char cmd[3 * PATH_MAX], text[PATH_MAX];
	struct rq *r;

	(void)arg;
	snprintf(cmd, sizeof(cmd), "rm -rf %1$s/id-x && cp -r %1$s/id-b %1$s/id-x",
		 run.tmpdir);
	CHECK(!system(cmd));
	snprintf(text, sizeof(text), "%s/id-x\n", run.tmpdir);
	CHECK(!harness_write_file(&run, dev_file[D_MAIN], text));
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_B));
	snprintf(cmd, sizeof(cmd), "cp %1$s/id-a/chain.der %1$s/id-a/leaf.key %1$s/id-x/",
		 run.tmpdir);
	CHECK(!system(cmd));
	CHECK(serves(r, 0, ID_B));		/* FILE unchanged */
	CHECK(!harness_write_file(&run, dev_file[D_MAIN], text));
	CHECK(serves(r, 0, ID_A));
	CHECK(!switch_back(D_MAIN));
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	return 0;
}

/* FILE or directory unusable: logged, the identity stays. */
static int t_bad(long arg)
{
	static const char *const bad[] = {
		"nonexistent-dir\n",
		"id-b\nid-c\n",
		"mixed\n",
	};
	struct rq_opts o = opts(0x13);
	char cmd[3 * PATH_MAX], up[PATH_MAX];
	struct rq *r;
	size_t i;

	(void)arg;
	/* mixed: A's chain with B's key */
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %1$s/mixed && cp %1$s/id-a/chain.der %1$s/mixed/ && cp %1$s/id-b/leaf.key %1$s/mixed/",
		 run.tmpdir);
	CHECK(!system(cmd));
	CHECK(!switch_to(D_MAIN, ID_B));
	r = auth_port(port[D_MAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_B));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK(!harness_write_file(&run, dev_file[D_MAIN], bad[i]));
		CHECK(serves(r, 0, ID_B));
		CHECK(meas_signed(r, 0));
	}
	/* relative to FILE's directory, surrounded by blanks */
	CHECK(!harness_write_file(&run, dev_file[D_MAIN], "\tid-c \r\n\n"));
	CHECK(serves(r, 0, ID_B));		/* P-256: waits */
	/* A again, through "..": C no longer waits */
	snprintf(up, sizeof(up), " ../%s/id-a\n", strrchr(run.tmpdir, '/') + 1);
	CHECK(!harness_write_file(&run, dev_file[D_MAIN], up));
	CHECK(serves(r, 0, ID_A));
	CHECK(!rq_vca(r));
	CHECK_EQ(r->asym, RQ_ECDSA_P384);
	CHECK(serves(r, 0, ID_A));
	CHECK(!harness_write_file(&run, dev_file[D_MAIN], "\n\x20\n"));	/* blank: certs= */
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	CHECK(!switch_back(D_MAIN));
	return 0;
}

/* FILE present at start-up names B; a device without identity= is A. */
static int t_startup(long arg)
{
	struct rq_opts o = opts(0x12);
	struct rq *r;

	(void)arg;
	r = auth_port(port[D_START], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_B));
	CHECK(!switch_back(D_START));
	CHECK(serves(r, 0, ID_A));
	rq_close(r);
	r = auth_port(port[D_PLAIN], &o, 0);
	if (!r)
		return 1;
	CHECK(chain_is(r, 0, ID_A));
	rq_close(r);
	return 0;
}

/* --certs A --identity FILE (names B) for every port, one overrides. */
static int t_global(long arg)
{
	char certs_a[PATH_MAX], file[PATH_MAX], other[PATH_MAX + 16];
	char pfile[PATH_MAX], lfile[PATH_MAX];
	const char *const extra[] = {
		"--certs", certs_a, "--identity", file, NULL,
	};
	const char *specs[2] = { "0", other };
	struct rq_opts o = opts(0x13);
	unsigned int p[2];
	pid_t pid = -1;
	struct rq *r;
	int st;

	(void)arg;
	snprintf(certs_a, sizeof(certs_a), "%s/id-a", run.tmpdir);
	snprintf(file, sizeof(file), "%s/ident-global", run.tmpdir);
	snprintf(other, sizeof(other), "0:identity=%s/ident-none", run.tmpdir);
	snprintf(pfile, sizeof(pfile), "%s/ports2", run.tmpdir);
	snprintf(lfile, sizeof(lfile), "%s/log2", run.tmpdir);
	CHECK(!harness_write_file(&run, "ident-global", "id-b\n"));
	if (start_responder(run.responder, specs, 2, extra, pfile, lfile, p,
			    &pid, &st)) {
		dump_file(lfile, "responder log");
		return 1;
	}
	r = auth_port(p[0], &o, 0);
	if (r) {
		CHECK(chain_is(r, 0, ID_B));
		rq_close(r);
	} else {
		tap_fail = 1;
	}
	r = auth_port(p[1], &o, 0);
	if (r) {
		CHECK(chain_is(r, 0, ID_A));
		CHECK(!harness_write_file(&run, "ident-none", "id-b\n"));
		CHECK(serves(r, 0, ID_B));
		rq_close(r);
	} else {
		tap_fail = 1;
	}
	stop_child(&pid, TIMEOUT_S * 1000);
	CHECK(file_has(lfile, "identity file "));
	return 0;
}

static int t_cli(long arg)
{
	char c[PATH_MAX], f[PATH_MAX], missing[PATH_MAX], out[PATH_MAX + 16];
	char *const usage[][6] = {
		{ run.responder, "--identity", "", NULL },
		{ run.responder, "--port", "0:identity=", NULL },
		{ run.responder, "--port", "0:identity", NULL },
	};
	char *const fails[][8] = {
		{ run.responder, "--identity", missing, "--port", "0", NULL },
		{ run.responder, "--certs", c, "--identity", f, "--port", "0",
		  NULL },
	};
	size_t i;
	int st;

	(void)arg;
	snprintf(c, sizeof(c), "%s/id-a", run.tmpdir);
	snprintf(f, sizeof(f), "%s/ident-cli", run.tmpdir);
	snprintf(missing, sizeof(missing), "%s/ident-missing", run.tmpdir);
	snprintf(out, sizeof(out), "%s/cli.log", run.tmpdir);
	CHECK(!harness_write_file(&run, "ident-cli", "nonexistent-dir\n"));
	for (i = 0; i < ARRAY_SIZE(usage); i++) {
		st = run_status(usage[i], out, true);
		if (st != 2)
			printf("# %s %s: exit %d, expected 2\n", usage[i][1],
			       usage[i][2], st);
		CHECK_EQ(st, 2);
	}
	CHECK(file_has(out, "needs a value"));
	CHECK_EQ(run_status(fails[0], out, true), 1);
	CHECK(file_has(out, "needs certs="));
	CHECK_EQ(run_status(fails[1], out, true), 1);
	CHECK(file_has(out, "ident-cli names "));
	CHECK(file_has(out, "nonexistent-dir/chain.der"));
	return 0;
}

static int t_logged(long arg)
{
	char line[3][PATH_MAX + 64];
	static const char *const lines[] = {
		"cannot sign with the negotiated ECDSA P-384; it is served from the next GET_VERSION",
		"cannot sign with the negotiated ECDSA P-256; it is served from the next GET_VERSION",
		", the certs= chain (ECDSA P-384, 3 certificates) in slots 0x01",
		"(ECDSA P-256, 3 certificates) in slots 0x05",
		": more than one line; keeping ",
		"mixed: leaf.key does not match the leaf certificate; keeping ",
		"nonexistent-dir/chain.der: No such file or directory; keeping ",
		"identity file ", "(names a directory): ",
		"(missing): ",
	};
	size_t i;

	(void)arg;
	snprintf(line[0], sizeof(line[0]), "identity switched to %s/id-b (",
		 run.tmpdir);
	snprintf(line[1], sizeof(line[1]), "identity switched to %s/id-c (",
		 run.tmpdir);
	snprintf(line[2], sizeof(line[2]), "identity switched to %s/id-a, ",
		 run.tmpdir);
	for (i = 0; i < ARRAY_SIZE(line); i++)
		CHECK(file_has(run.log_file, line[i]));
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

/* ---- runner ----------------------------------------------------------- */

static void build_tests(void)
{
	unsigned int v;

	add_test(t_start, 0, "mkcerts, responder with %d devices", NR_DEVS);
	for (v = 0; v < NR_VERSIONS; v++) {
		add_test(t_switch, v, "SPDM %x.%x: FILE names B: digests, chain, CHALLENGE, MEASUREMENTS; back to A",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_algo, v, "SPDM %x.%x: P-256 key on a P-384 connection waits for GET_VERSION",
			 versions[v] >> 4, versions[v] & 0xf);
		add_test(t_slots, v, "SPDM %x.%x: only the certs= slots change",
			 versions[v] >> 4, versions[v] & 0xf);
	}
	for (v = 1; v < NR_VERSIONS; v++)
		add_test(t_session, v, "SPDM %x.%x: KEY_EXCHANGE with the new identity; old session goes on",
			 versions[v] >> 4, versions[v] & 0xf);
	for (v = 2; v < NR_VERSIONS; v++)
		add_test(t_chunk, v, "SPDM %x.%x: chunked DIGESTS, CERTIFICATE, CHALLENGE_AUTH, KEY_EXCHANGE_RSP",
			 versions[v] >> 4, versions[v] & 0xf);
	add_test(t_reread, 0, "FILE rewritten: its directory read afresh");
	add_test(t_bad, 0, "bad FILE or directory: logged, identity kept");
	add_test(t_startup, 0, "FILE at start-up; devices without identity=");
	add_test(t_global, 0, "--identity for every port, identity= overrides");
	add_test(t_cli, 0, "command line: bad options 2, bad identity 1");
	add_test(t_logged, 0, "switches, waiting switches and errors logged");
	add_test(harness_sigterm, TIMEOUT_S * 1000, "SIGTERM: clean exit 0");
}

int main(int argc, char **argv)
{
	unsigned int i;
	int ret;

	log_level = LOG_QUIET;
	ret = harness_main(&run, argc, argv, build_tests, &tap_fail);
	for (i = 0; i < NR_IDS; i++)
		free(chain_der[i].der);
	return ret;
}
