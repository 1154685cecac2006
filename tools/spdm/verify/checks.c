// SPDX-License-Identifier: GPL-2.0
/*
 * The checks spdm-verify makes on a piece of evidence, each named, each
 * PASS, FAIL, SKIP (not applicable or switched off) or NOT-RUN (the
 * evidence lacks what it needs); checks for another kind of evidence are
 * N/A and not shown.  Nothing the kernel says about its own verdicts is
 * used: the nonce is looked for where the transcript has it, the
 * transcript's layout is parsed from DSP0274, the combined prefix is
 * rebuilt, the signature is verified with the leaf key of the chain, and
 * the chain is validated against the verifier's own trust anchors.
 *
 *   evidence         every attribute there, algorithms and version known
 *   log              (sysfs signature log) the entry's files agree with
 *                    the signed bytes they were derived from
 *   nonce            our nonce is the CHALLENGE (GET_MEASUREMENTS)
 *                    request's nonce
 *   transcript       CHALLENGE then CHALLENGE_AUTH end the transcript,
 *                    their fields add up, rsp-nonce-offset is right;
 *                    measurements: it parses exactly as L1/L2
 *   algorithms       the signed VCA negotiated what the kernel states
 *   prefix           the kernel's combined prefix is the one DSP0274 has
 *   signature        verifies over the transcript with the leaf key
 *   cert-chain-hash  CHALLENGE_AUTH's CertChainHash is Hash(chain)
 *   chain            chain format, RootHash, each certificate signed by
 *                    the one before
 *   trust            the chain validates up to one of our trust anchors
 *   san              the leaf's PCIe CMA otherName names the device
 *   measurements     every measurement block is well formed
 *   expect           (--expect) the blocks have the expected values
 *   session-id       (key-exchange) the session the kernel names is the
 *                    one TH1 opened
 *
 * What only the kernel and the device can know is VOUCHED: shown with
 * the kernel's word, failed if the kernel says no (key-exchange):
 *
 *   dhe-secret       the ECDH secret (needs the kernel's private key)
 *   rsp-verify-data  ResponderVerifyData (an HMAC keyed from it)
 *   finish           FINISH / FINISH_RSP under the handshake keys
 *   in-session       the measurements were read inside the session
 *
 * The measurements the kernel read in the session are verified as
 * evidence of their own (same nonce, chain and algorithms).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "verify.h"

#define SPDM_CHALLENGE		0x83
#define SPDM_CHALLENGE_AUTH	0x03
#define CHALLENGE_REQ_LEN	36		/* + RequesterContext in 1.3 */
#define REQ_CONTEXT_LEN		8
#define MAX_OPAQUE		1024
#define CHAIN_HDR_LEN		4
#define CMA_OID			"2.23.147"

struct ctx {
	const struct sv_evidence *ev;
	const struct sv_verify_opts *o;
	struct sv_verdict *v;
	bool version_ok;
	const struct sv_hash *hash;
	const struct sv_asym *asym;

	/* the chain, parsed */
	struct stack_st_X509 *certs;	/* root (or first) to leaf */
	size_t root_off, root_len;	/* DER of the first certificate */
	char chain_err[256];		/* why parsing stopped, or "" */

	/* the transcript's CHALLENGE / CHALLENGE_AUTH, when they add up */
	bool layout_ok;
	size_t chal, auth;		/* offsets of the two messages */

	/* measurements: L1/L2, parsed (chal: its first GET_MEASUREMENTS) */
	bool meas;
	struct sv_l1l2 l1l2;

	/* key-exchange: TH1, parsed (chal: Hash(CertChain)) */
	bool ke;
	struct sv_th1 th1;
	size_t cert_hash;		/* CertChainHash / Hash(CertChain) */
};

static const char *sig_context(const struct ctx *c)
{
	return c->meas ? SV_MEASUREMENTS_CONTEXT :
	       c->ke ? SV_KEY_EXCHANGE_CONTEXT : SV_CHALLENGE_AUTH_CONTEXT;
}

/* The signed response, and the request carrying our nonce */
static const char *signed_msg(const struct ctx *c)
{
	return c->meas ? "MEASUREMENTS" :
	       c->ke ? "KEY_EXCHANGE_RSP" : "CHALLENGE_AUTH";
}

static const char *nonce_msg(const struct ctx *c)
{
	return c->meas ? "GET_MEASUREMENTS" :
	       c->ke ? "KEY_EXCHANGE" : "CHALLENGE";
}

const char *sv_check_name(enum sv_check_id id)
{
	static const char *const names[SV_NR_CHECKS] = {
		[SV_C_EVIDENCE] = "evidence",
		[SV_C_LOG] = "log",
		[SV_C_NONCE] = "nonce",
		[SV_C_TRANSCRIPT] = "transcript",
		[SV_C_ALGORITHMS] = "algorithms",
		[SV_C_PREFIX] = "prefix",
		[SV_C_SIGNATURE] = "signature",
		[SV_C_CHAIN_HASH] = "cert-chain-hash",
		[SV_C_CHAIN] = "chain",
		[SV_C_TRUST] = "trust",
		[SV_C_SAN] = "san",
		[SV_C_MEASUREMENTS] = "measurements",
		[SV_C_EXPECT] = "expect",
		[SV_C_SESSION_ID] = "session-id",
		[SV_C_DHE_SECRET] = "dhe-secret",
		[SV_C_RSP_VERIFY] = "rsp-verify-data",
		[SV_C_FINISH] = "finish",
		[SV_C_IN_SESSION] = "in-session",
	};

	return id < SV_NR_CHECKS ? names[id] : "?";
}

const enum sv_check_id sv_check_order[SV_NR_CHECKS] = {
	SV_C_EVIDENCE, SV_C_LOG, SV_C_NONCE, SV_C_TRANSCRIPT,
	SV_C_ALGORITHMS, SV_C_PREFIX, SV_C_SIGNATURE, SV_C_CHAIN_HASH,
	SV_C_CHAIN, SV_C_TRUST, SV_C_SAN, SV_C_SESSION_ID, SV_C_DHE_SECRET,
	SV_C_RSP_VERIFY, SV_C_FINISH, SV_C_IN_SESSION, SV_C_MEASUREMENTS,
	SV_C_EXPECT,
};

/* What makes a verdict fail: a check failed, or could not run */
bool sv_failed(enum sv_result r)
{
	return r == SV_FAIL || r == SV_NOT_RUN;
}

const char *sv_result_name(enum sv_result r)
{
	switch (r) {
	case SV_PASS:	return "pass";
	case SV_FAIL:	return "fail";
	case SV_SKIP:	return "skip";
	case SV_NA:	return "n/a";
	case SV_VOUCHED: return "vouched";
	default:	return "not-run";
	}
}

static void __sv_printf(4, 5) set(struct ctx *c, enum sv_check_id id,
				  enum sv_result r, const char *fmt, ...)
{
	struct sv_check *ch = &c->v->check[id];
	va_list ap;

	ch->result = r;
	va_start(ap, fmt);
	vsnprintf(ch->detail, sizeof(ch->detail), fmt, ap);
	va_end(ap);
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/* First bytes of @p as "0123abcd..." for messages. */
static const char *short_hex(const uint8_t *p, size_t n, char *buf)
{
	sv_hex(p, n > 8 ? 8 : n, buf);
	if (n > 8)
		strcat(buf, "...");
	return buf;
}

static int digest(const struct sv_hash *h, const void *a, size_t alen,
		  const void *b, size_t blen, uint8_t *out)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok;

	ok = m && EVP_DigestInit_ex(m, h->md(), NULL) == 1 &&
	     EVP_DigestUpdate(m, a, alen) == 1 &&
	     (!blen || EVP_DigestUpdate(m, b, blen) == 1) &&
	     EVP_DigestFinal_ex(m, out, NULL) == 1;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

static void name_of(X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int n;

	buf[0] = 0;
	if (!b)
		return;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) >= 0) {
		n = BIO_read(b, buf, len - 1);
		buf[n > 0 ? n : 0] = 0;
	}
	BIO_free(b);
}

static const char *ssl_err(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		snprintf(buf, len, "no further reason");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* ---- evidence ----------------------------------------------------------- */

/* From the signature log (now, or when the bundle was made) */
static bool from_log(const struct ctx *c)
{
	return c->o->log || *c->ev->log_entry;
}

/* A key exchange names its session and the kernel's verdicts on it */
static void missing_session(const struct sv_evidence *ev, char *missing,
			    size_t len)
{
	static const enum sv_field fields[] = {
		SV_F_SESSION_ID, SV_F_RSP_VERIFY, SV_F_FINISH,
	};
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(fields); i++)
		if (!SV_HAVE(ev, fields[i]))
			snprintf(missing + strlen(missing), len - strlen(missing),
				 "%s%s", *missing ? ", " : "",
				 sv_field_name(fields[i]));
}

static void check_evidence(struct ctx *c)
{
	static const enum sv_field required[] = {
		SV_F_VERSION, SV_F_SLOT, SV_F_ASYM, SV_F_HASH, SV_F_TRANSCRIPT,
		SV_F_SIGNATURE, SV_F_REQ_OFF, SV_F_RSP_OFF, SV_F_CHAIN,
	};
	const struct sv_evidence *ev = c->ev;
	char missing[256] = "", what[64];
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(required); i++)
		if (!SV_HAVE(ev, required[i])) {
			snprintf(what, sizeof(what), "%s%s", *missing ? ", " : "",
				 sv_field_name(required[i]));
			strncat(missing, what, sizeof(missing) - strlen(missing) - 1);
		}
	if (SV_HAVE(ev, SV_F_VERSION))
		c->version_ok = ev->version >= 0x10 && ev->version <= 0x13;
	if (SV_HAVE(ev, SV_F_HASH))
		c->hash = sv_hash_by_bit(ev->hash);
	if (SV_HAVE(ev, SV_F_ASYM))
		c->asym = sv_asym_by_bit(ev->asym);
	c->meas = SV_HAVE(ev, SV_F_SIG_TYPE) &&
		  ev->sig_type == SV_SIG_MEASUREMENTS;
	c->ke = SV_HAVE(ev, SV_F_SIG_TYPE) &&
		ev->sig_type == SV_SIG_KEY_EXCHANGE;
	if (c->ke && !from_log(c))
		missing_session(ev, missing, sizeof(missing));

	if (*missing)
		set(c, SV_C_EVIDENCE, SV_FAIL, "missing: %s%s", missing,
		    c->o->log ? " (not derivable from the log entry: see log)" :
		    "");
	else if (c->o->expect_dev && SV_HAVE(ev, SV_F_DEV_NAME) &&
		 strcmp(ev->dev_name, c->o->expect_dev))
		set(c, SV_C_EVIDENCE, SV_FAIL, "evidence is for %s, not %s",
		    ev->dev_name, c->o->expect_dev);
	else if (!c->version_ok)
		set(c, SV_C_EVIDENCE, SV_FAIL, "unsupported SPDM version %u.%u",
		    ev->version >> 4, ev->version & 0xf);
	else if (!c->hash)
		set(c, SV_C_EVIDENCE, SV_FAIL,
		    "unsupported base-hash-alg 0x%x", ev->hash);
	else if (!c->asym)
		set(c, SV_C_EVIDENCE, SV_FAIL,
		    "unsupported base-asym-alg 0x%x", ev->asym);
	else if (SV_HAVE(ev, SV_F_SIG_TYPE) && !sv_sig_type_name(ev->sig_type))
		set(c, SV_C_EVIDENCE, SV_FAIL, "unsupported sig-type %u",
		    ev->sig_type);
	else if (ev->slot > 7)
		set(c, SV_C_EVIDENCE, SV_FAIL, "slot %u", ev->slot);
	else if (c->ke && ev->version < 0x11)
		set(c, SV_C_EVIDENCE, SV_FAIL, "SPDM 1.0 has no KEY_EXCHANGE");
	else if (c->o->nested && !c->meas)
		set(c, SV_C_EVIDENCE, SV_FAIL,
		    "session-meas holds no measurements evidence (sig-type %s)",
		    SV_HAVE(ev, SV_F_SIG_TYPE) ? "other" : "missing");
	else
		set(c, SV_C_EVIDENCE, SV_PASS,
		    "%s, SPDM %u.%u, %s, %s, slot %u, transcript %zu bytes, chain %zu bytes, %s%s",
		    signed_msg(c),
		    ev->version >> 4, ev->version & 0xf, c->asym->label,
		    c->hash->label, ev->slot, ev->transcript.len,
		    ev->chain.len, c->o->log ? "from the sysfs signature log" :
		    "provider ", c->o->log ? "" :
		    !SV_HAVE(ev, SV_F_PROVIDER) ? "unknown" :
		    sv_provider_name(ev->provider) ?: "unknown");
}

/* ---- L1/L2 (measurements) ------------------------------------------------ */

/* The indices as "1, 2, 3" (at most @len bytes) */
static void index_list(const uint8_t *idx, unsigned int n, char *buf,
		       size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%u", i ? ", " : "",
				 idx[i]);
}

/* The requests in L1/L2 are the ones the verifier made */
static int meas_requests(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_l1l2 *l = &c->l1l2;
	uint8_t ops[SV_MAX_MEAS_MSGS], want[SV_MAX_MEAS_REQ];
	char a[160], b[160];
	unsigned int i, j, n = 0;
	bool same;

	if (!SV_HAVE(ev, SV_F_MEAS_REQ))
		return 0;
	/* a count (operation 0) may come before reading all */
	for (i = 0; i < l->n; i++)
		if (l->msg[i].op != SV_MEAS_OP_COUNT)
			ops[n++] = l->msg[i].op;
	if (!ev->nr_meas_req) {
		if (n == 1 && ops[0] == SV_MEAS_OP_ALL)
			return 0;
		index_list(ops, n, a, sizeof(a));
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "we asked for all measurements, L1/L2 has GET_MEASUREMENTS for operations %s",
		    a);
		return -1;
	}
	memcpy(want, ev->meas_req, ev->nr_meas_req);
	/* the same indices, each once */
	same = n == ev->nr_meas_req;
	for (i = 0; same && i < n; i++) {
		for (j = 0; j < n && ops[i] != want[j]; j++)
			;
		same = j < n;
		for (j = 0; same && j < n && ops[j] != want[i]; j++)
			;
		same = same && j < n;
	}
	if (same)
		return 0;
	index_list(want, ev->nr_meas_req, a, sizeof(a));
	index_list(ops, n, b, sizeof(b));
	set(c, SV_C_TRANSCRIPT, SV_FAIL,
	    "we asked for indices %s, L1/L2 has GET_MEASUREMENTS for %s", a,
	    b);
	return -1;
}

/*
 * L1/L2: the VCA (1.2+), then GET_MEASUREMENTS/MEASUREMENTS pairs, the
 * last signed for our slot and holding both nonces at the stated offsets.
 */
static void check_meas_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *t = ev->transcript.data;
	size_t len = ev->transcript.len, start = 0;
	const struct sv_meas_msg *last;
	char err[300];
	struct sv_vca vca;
	uint8_t ver = ev->version;

	if (!c->version_ok || !SV_HAVE(ev, SV_F_TRANSCRIPT) ||
	    !SV_HAVE(ev, SV_F_REQ_OFF) || !SV_HAVE(ev, SV_F_RSP_OFF) ||
	    !SV_HAVE(ev, SV_F_SLOT)) {
		set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
		    "not checked: transcript, offsets or version missing");
		return;
	}
	if (ver >= 0x12) {
		if (sv_vca_parse(t, len, ver, &vca, err, sizeof(err))) {
			set(c, SV_C_TRANSCRIPT, SV_FAIL,
			    "SPDM %u.%u L1/L2 starts with the VCA: %s",
			    ver >> 4, ver & 0xf, err);
			return;
		}
		start = vca.len;
	}
	if (sv_l1l2_parse(t, len, start, ver, &c->l1l2, err, sizeof(err))) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL, "L1/L2: %s", err);
		return;
	}
	last = &c->l1l2.msg[c->l1l2.n - 1];
	if (ev->req_off != last->req + 4) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "req-nonce-offset %u is not the nonce of the signed GET_MEASUREMENTS (at %zu)",
		    ev->req_off, last->req + 4);
		return;
	}
	if (ver >= 0x11 && (last->slot_param != ev->slot ||
			    (last->rsp_param2 & 0xf) != ev->slot)) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "GET_MEASUREMENTS for slot %u, MEASUREMENTS signed for slot %u, evidence says slot %u",
		    last->slot_param, last->rsp_param2 & 0xf, ev->slot);
		return;
	}
	if (meas_requests(c))
		return;
	memcpy(c->v->rsp_nonce, t + last->nonce, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	c->layout_ok = true;
	c->chal = c->l1l2.start;
	if (ev->rsp_off != last->nonce) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "rsp-nonce-offset %u, but the responder nonce is at %zu",
		    ev->rsp_off, last->nonce);
		return;
	}
	set(c, SV_C_TRANSCRIPT, SV_PASS,
	    "L1/L2: %s%u GET_MEASUREMENTS/MEASUREMENTS pair%s; the last (at %zu and %zu, %zu bytes of opaque data) asks for a signature%s and ends the transcript; responder nonce at %u",
	    ver >= 0x12 ? "the VCA, " : "", c->l1l2.n,
	    c->l1l2.n == 1 ? "" : "s", last->req, last->rsp,
	    last->opaque_len, ver >= 0x11 ? " of our slot" : "",
	    ev->rsp_off);
}

/* ---- TH1 (key-exchange) ----------------------------------------------------- */

static bool have_layout_fields(const struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;

	return c->version_ok && c->hash && SV_HAVE(ev, SV_F_TRANSCRIPT) &&
	       SV_HAVE(ev, SV_F_REQ_OFF) && SV_HAVE(ev, SV_F_RSP_OFF) &&
	       SV_HAVE(ev, SV_F_SLOT);
}

/*
 * TH1 up to the signature: the VCA, Hash(CertChain), KEY_EXCHANGE (for
 * our slot) and KEY_EXCHANGE_RSP fill the transcript exactly; the nonce
 * offsets are the RandomData of the two.
 */
static void check_ke_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_th1 *th = &c->th1;
	size_t req, rsp;
	char err[300];

	if (!have_layout_fields(c)) {
		set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
		    "not checked: transcript, offsets or algorithms missing");
		return;
	}
	if (sv_th1_parse(ev->transcript.data, ev->transcript.len, ev->version,
			 c->hash->len, &c->th1, err, sizeof(err))) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL, "TH1: %s", err);
		return;
	}
	if (th->slot != ev->slot) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "KEY_EXCHANGE for slot %u, evidence says slot %u", th->slot,
		    ev->slot);
		return;
	}
	/* TH1 parses: Hash(CertChain), the session ID can be checked */
	req = th->ke + SV_KE_RANDOM_OFF;
	rsp = th->rsp + SV_KE_RANDOM_OFF;
	c->layout_ok = true;
	c->chal = th->cert_hash;
	c->cert_hash = th->cert_hash;
	memcpy(c->v->rsp_nonce, ev->transcript.data + rsp, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	if (ev->req_off != req || ev->rsp_off != rsp) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "req-nonce-offset %u, rsp-nonce-offset %u: the RandomData of KEY_EXCHANGE and KEY_EXCHANGE_RSP are at %zu and %zu",
		    ev->req_off, ev->rsp_off, req, rsp);
		return;
	}
	set(c, SV_C_TRANSCRIPT, SV_PASS,
	    "TH1: the VCA, Hash(CertChain) at %zu, KEY_EXCHANGE at %zu (%zu bytes, %s ExchangeData, %zu bytes of opaque data), KEY_EXCHANGE_RSP at %zu (%zu bytes up to the signature%s, %zu bytes of opaque data) ends it; RandomData at %zu and %zu",
	    th->cert_hash, th->ke, th->ke_len, th->dhe->name,
	    th->req_opaque_len, th->rsp, th->rsp_len,
	    th->summary_type ? ", MeasurementSummaryHash" : "",
	    th->rsp_opaque_len, req, rsp);
}

/* ---- transcript layout --------------------------------------------------- */

/*
 * The transcript ends with CHALLENGE (4-byte header, nonce, 1.3:
 * RequesterContext) and CHALLENGE_AUTH without its signature: header
 * (Param1 slot in bits 3:0, Param2 SlotMask), CertChainHash, nonce,
 * MeasurementSummaryHash unless the request asked for none,
 * OpaqueDataLength, opaque data, 1.3: RequesterContext.
 */
static void check_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *t = ev->transcript.data, *req, *rsp;
	size_t len = ev->transcript.len, req_len, h, off, opaque;
	uint8_t ver = ev->version;

	if (c->meas) {
		check_meas_transcript(c);
		return;
	}
	if (c->ke) {
		check_ke_transcript(c);
		return;
	}
	if (!c->version_ok || !c->hash || !SV_HAVE(ev, SV_F_TRANSCRIPT) ||
	    !SV_HAVE(ev, SV_F_REQ_OFF) || !SV_HAVE(ev, SV_F_RSP_OFF) ||
	    !SV_HAVE(ev, SV_F_SLOT)) {
		set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
		    "not checked: transcript, offsets or algorithms missing");
		return;
	}
	h = c->hash->len;
	req_len = CHALLENGE_REQ_LEN + (ver >= 0x13 ? REQ_CONTEXT_LEN : 0);
	if (ev->req_off < 4 || ev->req_off > len ||
	    len - ev->req_off < req_len - 4) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "req-nonce-offset %u leaves no room for a CHALLENGE request in %zu bytes",
		    ev->req_off, len);
		return;
	}
	c->chal = ev->req_off - 4;
	req = t + c->chal;
	if (req[0] != ver || req[1] != SPDM_CHALLENGE) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "no CHALLENGE request before req-nonce-offset %u (found %02x %02x, expected %02x %02x)",
		    ev->req_off, req[0], req[1], ver, SPDM_CHALLENGE);
		return;
	}
	if (req[2] != ev->slot) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE for slot %u, evidence says slot %u", req[2],
		    ev->slot);
		return;
	}
	if (req[3] != 0 && req[3] != 1 && req[3] != 0xff) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE MeasurementSummaryHashType 0x%02x is reserved",
		    req[3]);
		return;
	}
	c->auth = c->chal + req_len;
	rsp = t + c->auth;
	off = 4 + h + SV_NONCE_LEN + (req[3] ? h : 0);
	if (len - c->auth < off + 2) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "transcript ends %zu bytes into CHALLENGE_AUTH, before OpaqueDataLength",
		    len - c->auth);
		return;
	}
	if (rsp[0] != ver || rsp[1] != SPDM_CHALLENGE_AUTH) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE is not followed by CHALLENGE_AUTH (found %02x %02x at %zu)",
		    rsp[0], rsp[1], c->auth);
		return;
	}
	if ((rsp[2] & 0xf) != ev->slot || !(rsp[3] & (1U << ev->slot))) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE_AUTH for slot %u with SlotMask 0x%02x, expected slot %u",
		    rsp[2] & 0xf, rsp[3], ev->slot);
		return;
	}
	opaque = le16(rsp + off);
	if (opaque > MAX_OPAQUE) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE_AUTH OpaqueDataLength %zu exceeds %u", opaque,
		    MAX_OPAQUE);
		return;
	}
	off += 2 + opaque + (ver >= 0x13 ? REQ_CONTEXT_LEN : 0);
	if (len - c->auth != off) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE_AUTH fields add up to %zu bytes, the transcript has %zu after the CHALLENGE",
		    off, len - c->auth);
		return;
	}
	if (ver >= 0x13 && memcmp(rsp + off - REQ_CONTEXT_LEN,
				  req + CHALLENGE_REQ_LEN, REQ_CONTEXT_LEN)) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "CHALLENGE_AUTH RequesterContext differs from the CHALLENGE's");
		return;
	}
	memcpy(c->v->rsp_nonce, rsp + 4 + h, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	/* the messages add up: CertChainHash can be checked */
	c->layout_ok = true;
	c->cert_hash = c->auth + 4;
	if (ev->rsp_off != c->auth + 4 + h) {
		set(c, SV_C_TRANSCRIPT, SV_FAIL,
		    "rsp-nonce-offset %u, but the responder nonce is at %zu",
		    ev->rsp_off, c->auth + 4 + h);
		return;
	}
	set(c, SV_C_TRANSCRIPT, SV_PASS,
	    "CHALLENGE at %zu, CHALLENGE_AUTH at %zu (%zu bytes%s, %zu bytes of opaque data) ends the transcript; responder nonce at %u",
	    c->chal, c->auth, off,
	    req[3] ? ", MeasurementSummaryHash" : "", opaque, ev->rsp_off);
}

/* ---- nonce --------------------------------------------------------------- */

static void check_nonce(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *want = c->o->nonce, *got, *hdr;
	char a[2 * SV_NONCE_LEN + 1], b[2 * SV_NONCE_LEN + 1];
	const char *req = nonce_msg(c);
	uint8_t code = c->meas ? SV_GET_MEASUREMENTS :
		       c->ke ? SV_KEY_EXCHANGE : SPDM_CHALLENGE;
	size_t hdr_len = c->ke ? SV_KE_RANDOM_OFF : 4;

	if (!want && SV_HAVE(ev, SV_F_NONCE))
		want = ev->nonce;
	if (!SV_HAVE(ev, SV_F_TRANSCRIPT) || !SV_HAVE(ev, SV_F_REQ_OFF) ||
	    !c->version_ok) {
		set(c, SV_C_NONCE, SV_NOT_RUN,
		    "not checked: transcript or req-nonce-offset missing");
		return;
	}
	if (ev->req_off < hdr_len || ev->req_off > ev->transcript.len ||
	    ev->transcript.len - ev->req_off < SV_NONCE_LEN) {
		set(c, SV_C_NONCE, SV_FAIL,
		    "req-nonce-offset %u is outside the %zu-byte transcript",
		    ev->req_off, ev->transcript.len);
		return;
	}
	got = ev->transcript.data + ev->req_off;
	hdr = got - hdr_len;
	if (hdr[0] != ev->version || hdr[1] != code ||
	    (c->meas && !(hdr[2] & 1))) {
		set(c, SV_C_NONCE, SV_FAIL,
		    "req-nonce-offset %u does not point into a %s request%s (its first 4 bytes would be %02x %02x %02x %02x)",
		    ev->req_off, req, c->meas ? " asking for a signature" : "",
		    hdr[0], hdr[1], hdr[2], hdr[3]);
		return;
	}
	if (c->ke && c->layout_ok &&
	    ev->req_off != c->th1.ke + SV_KE_RANDOM_OFF) {
		set(c, SV_C_NONCE, SV_FAIL,
		    "req-nonce-offset %u is not where the walk of TH1 found KEY_EXCHANGE's RandomData (%zu)",
		    ev->req_off, c->th1.ke + SV_KE_RANDOM_OFF);
		return;
	}
	memcpy(c->v->req_nonce, got, SV_NONCE_LEN);
	c->v->have_req_nonce = true;
	sv_hex(got, SV_NONCE_LEN, a);
	if (!want) {
		set(c, SV_C_NONCE, SV_SKIP,
		    "no nonce of ours to compare (freshness not shown); the %s carries %s",
		    req, a);
		return;
	}
	sv_hex(want, SV_NONCE_LEN, b);
	if (memcmp(got, want, SV_NONCE_LEN))
		set(c, SV_C_NONCE, SV_FAIL,
		    "the %s carries nonce %s, not ours %s (replayed or redirected evidence)",
		    req, a, b);
	else
		set(c, SV_C_NONCE, SV_PASS,
		    "our nonce %s is the %s request's, at offset %u%s",
		    b, req, ev->req_off, c->o->nonce ? "" :
		    " (nonce taken from the evidence: use --nonce for freshness)");
}

/* ---- algorithms: walk the VCA at the start of the transcript -------------- */

/* 1.0/1.1 L1/L2 has no VCA: the algorithms are not signed */
static void meas_algorithms_unsigned(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_meas_hash *mh = SV_HAVE(ev, SV_F_MEAS_HASH) ?
					sv_meas_hash_by_bit(ev->meas_hash) :
					NULL;

	set(c, SV_C_ALGORITHMS, SV_SKIP,
	    "SPDM %u.%u L1/L2 holds no VCA: %s (%s), %s and MeasurementHashAlgo %s are %s, not signed",
	    ev->version >> 4, ev->version & 0xf, c->asym->label,
	    c->o->log && c->o->log->asym_from_key ? "from the leaf key" :
	    "the evidence's", c->hash->label, mh ? mh->label : "unknown",
	    c->o->log ? "taken from the log entry" : "the kernel's word");
}

static void check_algorithms(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t ver = ev->version;
	struct sv_vca vca;
	char err[300];

	if (!c->version_ok || !c->hash || !c->asym ||
	    !SV_HAVE(ev, SV_F_TRANSCRIPT)) {
		set(c, SV_C_ALGORITHMS, SV_NOT_RUN,
		    "not checked: transcript, version or algorithms missing");
		return;
	}
	if (SV_HAVE(ev, SV_F_HASH_ALGO) && strcmp(ev->hash_algo, c->hash->name)) {
		set(c, SV_C_ALGORITHMS, SV_FAIL,
		    "hash-algo \"%s\" is not base-hash-alg 0x%x (%s)",
		    ev->hash_algo, ev->hash, c->hash->name);
		return;
	}
	if (c->meas && ver < 0x12) {
		meas_algorithms_unsigned(c);
		return;
	}
	if (sv_vca_parse(ev->transcript.data, ev->transcript.len, ver, &vca,
			 err, sizeof(err))) {
		set(c, SV_C_ALGORITHMS, SV_FAIL, "%s", err);
		return;
	}
	if (vca.asym != ev->asym || vca.hash != ev->hash) {
		set(c, SV_C_ALGORITHMS, SV_FAIL,
		    "ALGORITHMS selected BaseAsymSel 0x%x BaseHashSel 0x%x, the evidence states 0x%x 0x%x",
		    vca.asym, vca.hash, ev->asym, ev->hash);
		return;
	}
	if (c->meas && ((SV_HAVE(ev, SV_F_MEAS_SPEC) &&
			 vca.meas_spec != ev->meas_spec) ||
			(SV_HAVE(ev, SV_F_MEAS_HASH) &&
			 vca.meas_hash != ev->meas_hash))) {
		set(c, SV_C_ALGORITHMS, SV_FAIL,
		    "ALGORITHMS selected MeasurementSpecification 0x%x MeasurementHashAlgo 0x%x, the evidence states 0x%x 0x%x",
		    vca.meas_spec, vca.meas_hash, ev->meas_spec,
		    ev->meas_hash);
		return;
	}
	if (c->layout_ok && vca.len > c->chal) {
		set(c, SV_C_ALGORITHMS, SV_FAIL,
		    "VCA (%zu bytes) runs into the %s at %zu", vca.len,
		    c->ke ? "Hash(CertChain)" : nonce_msg(c), c->chal);
		return;
	}
	if (SV_HAVE(ev, SV_F_VCA) &&
	    (ev->vca.len != vca.len ||
	     memcmp(ev->vca.data, ev->transcript.data, vca.len))) {
		set(c, SV_C_ALGORITHMS, SV_FAIL,
		    "the vca object (%zu bytes) is not the transcript's VCA (%zu bytes)",
		    ev->vca.len, vca.len);
		return;
	}
	if (c->meas)
		set(c, SV_C_ALGORITHMS, SV_PASS,
		    "the signed VCA (%zu bytes) negotiated SPDM %u.%u, %s, %s, MeasurementSpecification 0x%x and MeasurementHashAlgo %s, as stated",
		    vca.len, ver >> 4, ver & 0xf, c->asym->label,
		    c->hash->label, vca.meas_spec,
		    sv_meas_hash_by_bit(vca.meas_hash) ?
		    sv_meas_hash_by_bit(vca.meas_hash)->label : "(none)");
	else
		set(c, SV_C_ALGORITHMS, SV_PASS,
		    "the signed VCA (%zu bytes) negotiated SPDM %u.%u, %s and %s%s%s, as stated",
		    vca.len, ver >> 4, ver & 0xf, c->asym->label,
		    c->hash->label, c->layout_ok && c->ke ? ", DHE " : "",
		    c->layout_ok && c->ke ? c->th1.dhe->name : "");
}

/* ---- combined prefix ----------------------------------------------------- */

static void check_prefix(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t want[SV_PREFIX_LEN];

	if (!c->version_ok) {
		set(c, SV_C_PREFIX, SV_NOT_RUN, "not checked: no version");
		return;
	}
	if (ev->version < 0x12) {
		if (SV_HAVE(ev, SV_F_PREFIX))
			set(c, SV_C_PREFIX, SV_FAIL,
			    "SPDM %u.%u signs without a prefix, but the evidence has a %zu-byte combined-prefix",
			    ev->version >> 4, ev->version & 0xf,
			    ev->prefix.len);
		else
			set(c, SV_C_PREFIX, SV_PASS,
			    "SPDM %u.%u: no combined prefix, none sent",
			    ev->version >> 4, ev->version & 0xf);
		return;
	}
	sv_combined_prefix(ev->version, sig_context(c), want);
	if (!SV_HAVE(ev, SV_F_PREFIX))
		set(c, SV_C_PREFIX, SV_FAIL,
		    "SPDM %u.%u signs a combined prefix; the evidence has none",
		    ev->version >> 4, ev->version & 0xf);
	else if (ev->prefix.len != SV_PREFIX_LEN ||
		 memcmp(ev->prefix.data, want, SV_PREFIX_LEN))
		set(c, SV_C_PREFIX, SV_FAIL,
		    "combined-prefix (%zu bytes) is not \"dmtf-spdm-v%u.%u.*\" x4 || \"%s\" (the signature is checked with the right one)",
		    ev->prefix.len, ev->version >> 4, ev->version & 0xf,
		    sig_context(c));
	else
		set(c, SV_C_PREFIX, SV_PASS,
		    "combined-prefix is \"dmtf-spdm-v%u.%u.*\" x4 || \"%s\", as rebuilt here",
		    ev->version >> 4, ev->version & 0xf, sig_context(c));
}

/* ---- chain parsing -------------------------------------------------------- */

static void parse_chain(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const unsigned char *start, *p, *end;
	X509 *x;

	c->certs = sk_X509_new_null();
	if (!c->certs || !c->hash || !SV_HAVE(ev, SV_F_CHAIN)) {
		snprintf(c->chain_err, sizeof(c->chain_err),
			 "no chain or no hash algorithm");
		return;
	}
	if (ev->chain.len < CHAIN_HDR_LEN + c->hash->len) {
		snprintf(c->chain_err, sizeof(c->chain_err),
			 "%zu bytes, shorter than the header and RootHash",
			 ev->chain.len);
		return;
	}
	p = ev->chain.data + CHAIN_HDR_LEN + c->hash->len;
	end = ev->chain.data + ev->chain.len;
	while (p < end) {
		start = p;
		x = d2i_X509(NULL, &p, end - p);
		if (!x || p <= start) {
			X509_free(x);
			snprintf(c->chain_err, sizeof(c->chain_err),
				 "no DER certificate at offset %td",
				 start - ev->chain.data);
			break;
		}
		if (!sk_X509_num(c->certs)) {
			c->root_off = start - ev->chain.data;
			c->root_len = p - start;
		}
		if (!sk_X509_push(c->certs, x)) {
			X509_free(x);
			snprintf(c->chain_err, sizeof(c->chain_err),
				 "out of memory");
			break;
		}
	}
	if (!*c->chain_err && !sk_X509_num(c->certs))
		snprintf(c->chain_err, sizeof(c->chain_err), "no certificates");
	ERR_clear_error();
	c->v->nr_certs = sk_X509_num(c->certs);
	if (c->v->nr_certs) {
		x = sk_X509_value(c->certs, c->v->nr_certs - 1);
		name_of(X509_get_subject_name(x), c->v->leaf_subject,
			sizeof(c->v->leaf_subject));
		name_of(X509_get_issuer_name(x), c->v->leaf_issuer,
			sizeof(c->v->leaf_issuer));
	}
}

static X509 *leaf_of(struct ctx *c)
{
	int n = c->certs ? sk_X509_num(c->certs) : 0;

	return !*c->chain_err && n ? sk_X509_value(c->certs, n - 1) : NULL;
}

/* ---- signature ------------------------------------------------------------ */

static int key_fits(struct ctx *c, EVP_PKEY *key, char *why, size_t len)
{
	const struct sv_asym *a = c->asym;
	char group[64];

	if (a->kind == SV_ECDSA) {
		if (!EVP_PKEY_is_a(key, "EC") ||
		    EVP_PKEY_get_group_name(key, group, sizeof(group),
					    NULL) != 1) {
			snprintf(why, len, "the leaf key is no EC key");
			return -1;
		}
		if (strcmp(group, a->group)) {
			snprintf(why, len, "the leaf key is on %s, %s needs %s",
				 group, a->label, a->group);
			return -1;
		}
		return 0;
	}
	if (!EVP_PKEY_is_a(key, "RSA") &&
	    !(a->kind == SV_RSAPSS && EVP_PKEY_is_a(key, "RSA-PSS"))) {
		snprintf(why, len, "the leaf key is no RSA key");
		return -1;
	}
	if (EVP_PKEY_get_bits(key) != a->bits) {
		snprintf(why, len, "the leaf key has %d bits, %s needs %d",
			 EVP_PKEY_get_bits(key), a->label, a->bits);
		return -1;
	}
	return 0;
}

/* 1: valid, 0: invalid, -1: could not check (why says so) */
static int verify_digest(struct ctx *c, EVP_PKEY *key, const uint8_t *dgst,
			 char *why, size_t len)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_asym *a = c->asym;
	const uint8_t *sig = ev->signature.data;
	size_t sig_len = ev->signature.len, half = a->sig_len / 2;
	unsigned char *der = NULL;
	EVP_PKEY_CTX *pc = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r, *s;
	int n, rc = -1;

	if (a->kind == SV_ECDSA) {
		es = ECDSA_SIG_new();
		r = BN_bin2bn(sig, half, NULL);
		s = BN_bin2bn(sig + half, half, NULL);
		if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
			BN_free(r);
			BN_free(s);
			snprintf(why, len, "out of memory");
			goto out;
		}
		n = i2d_ECDSA_SIG(es, &der);
		if (n <= 0) {
			snprintf(why, len, "cannot encode r||s");
			goto out;
		}
		sig = der;
		sig_len = n;
	}
	pc = EVP_PKEY_CTX_new(key, NULL);
	if (!pc || EVP_PKEY_verify_init(pc) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(pc, c->hash->md()) != 1)
		goto ssl;
	if (a->kind == SV_RSASSA &&
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) != 1)
		goto ssl;
	if (a->kind == SV_RSAPSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) != 1 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pc, c->hash->md()) != 1))
		goto ssl;
	rc = EVP_PKEY_verify(pc, sig, sig_len, dgst, c->hash->len) == 1;
	if (!rc)
		ssl_err(why, len);
	goto out;
ssl:
	ssl_err(why, len);
out:
	EVP_PKEY_CTX_free(pc);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	return rc;
}

static void check_signature(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t m[SV_PREFIX_LEN + SV_MAX_HASH_LEN], dgst[SV_MAX_HASH_LEN];
	const char *hn, *over;
	char why[256];
	EVP_PKEY *key;
	X509 *leaf;
	int rc;

	if (!c->version_ok || !c->hash || !c->asym ||
	    !SV_HAVE(ev, SV_F_TRANSCRIPT) || !SV_HAVE(ev, SV_F_SIGNATURE)) {
		set(c, SV_C_SIGNATURE, SV_NOT_RUN,
		    "not checked: transcript, signature or algorithms missing");
		return;
	}
	leaf = leaf_of(c);
	if (!leaf) {
		set(c, SV_C_SIGNATURE, SV_FAIL,
		    "no leaf key: the chain does not parse (%s)", c->chain_err);
		return;
	}
	if (ev->signature.len != c->asym->sig_len) {
		set(c, SV_C_SIGNATURE, SV_FAIL,
		    "%zu-byte signature, %s signatures have %zu",
		    ev->signature.len, c->asym->label, c->asym->sig_len);
		return;
	}
	key = X509_get0_pubkey(leaf);
	if (!key) {
		set(c, SV_C_SIGNATURE, SV_FAIL, "cannot read the leaf key: %s",
		    ssl_err(why, sizeof(why)));
		return;
	}
	if (key_fits(c, key, why, sizeof(why))) {
		set(c, SV_C_SIGNATURE, SV_FAIL, "%s", why);
		return;
	}
	/* 1.0/1.1: Hash(M1); 1.2+: Hash(combined prefix || Hash(M1)) */
	if (digest(c->hash, ev->transcript.data, ev->transcript.len, NULL, 0,
		   dgst)) {
		set(c, SV_C_SIGNATURE, SV_FAIL, "cannot hash: %s",
		    ssl_err(why, sizeof(why)));
		return;
	}
	hn = c->hash->label;
	over = "the transcript";
	if (ev->version >= 0x12) {
		sv_combined_prefix(ev->version, sig_context(c), m);
		memcpy(m + SV_PREFIX_LEN, dgst, c->hash->len);
		if (digest(c->hash, m, SV_PREFIX_LEN + c->hash->len, NULL, 0,
			   dgst)) {
			set(c, SV_C_SIGNATURE, SV_FAIL, "cannot hash: %s",
			    ssl_err(why, sizeof(why)));
			return;
		}
		over = "the combined prefix || hash of the transcript";
	}
	rc = verify_digest(c, key, dgst, why, sizeof(why));
	if (rc == 1)
		set(c, SV_C_SIGNATURE, SV_PASS,
		    "%s signature over %s of %s verifies with the leaf key of %s",
		    c->asym->label, hn, over, c->v->leaf_subject);
	else if (rc == 0)
		set(c, SV_C_SIGNATURE, SV_FAIL,
		    "%s signature over %s of %s does not verify with the leaf key of %s",
		    c->asym->label, hn, over, c->v->leaf_subject);
	else
		set(c, SV_C_SIGNATURE, SV_FAIL, "cannot verify: %s", why);
}

/* ---- CertChainHash --------------------------------------------------------- */

/* Session measurements: the chain is the key exchange's, checked there */
static bool nested_na(struct ctx *c, enum sv_check_id id)
{
	if (!c->o->nested)
		return false;
	set(c, id, SV_NA, "the key exchange's chain, checked there");
	return true;
}

static void check_chain_hash(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t h[SV_MAX_HASH_LEN];
	const uint8_t *in;
	char a[24], b[24];

	const char *what = c->ke ? "TH1's Hash(CertChain)" :
			   "CHALLENGE_AUTH's CertChainHash";

	if (nested_na(c, SV_C_CHAIN_HASH))
		return;
	if (c->meas) {
		set(c, SV_C_CHAIN_HASH, SV_SKIP,
		    "MEASUREMENTS carries no CertChainHash: the chain is bound by its leaf key verifying the signature");
		return;
	}
	if (!c->layout_ok || !SV_HAVE(ev, SV_F_CHAIN)) {
		set(c, SV_C_CHAIN_HASH, SV_NOT_RUN,
		    "not checked: no chain, or no %s in the transcript",
		    c->ke ? "TH1" : "CHALLENGE_AUTH");
		return;
	}
	in = ev->transcript.data + c->cert_hash;
	if (digest(c->hash, ev->chain.data, ev->chain.len, NULL, 0, h)) {
		set(c, SV_C_CHAIN_HASH, SV_FAIL, "cannot hash");
		return;
	}
	if (memcmp(h, in, c->hash->len))
		set(c, SV_C_CHAIN_HASH, SV_FAIL,
		    "%s %s is not %s of the %zu-byte chain (%s)", what,
		    short_hex(in, c->hash->len, a), c->hash->label,
		    ev->chain.len, short_hex(h, c->hash->len, b));
	else
		set(c, SV_C_CHAIN_HASH, SV_PASS,
		    "%s %s is %s of the %zu-byte chain", what,
		    short_hex(h, c->hash->len, a), c->hash->label,
		    ev->chain.len);
}

/* ---- chain ------------------------------------------------------------------ */

static bool self_signed(X509 *x)
{
	bool ok = X509_check_issued(x, x) == X509_V_OK &&
		  X509_verify(x, X509_get0_pubkey(x)) == 1;

	ERR_clear_error();
	return ok;
}

/* A trust anchor whose DER hashes to the chain's RootHash, if any. */
static X509 *anchor_by_hash(struct ctx *c, const uint8_t *root_hash)
{
	uint8_t h[SV_MAX_HASH_LEN];
	unsigned char *der;
	X509 *x;
	int i, n;

	if (!c->o->trust)
		return NULL;
	for (i = 0; i < sk_X509_num(c->o->trust->anchors); i++) {
		x = sk_X509_value(c->o->trust->anchors, i);
		der = NULL;
		n = i2d_X509(x, &der);
		if (n > 0 && !digest(c->hash, der, n, NULL, 0, h) &&
		    !memcmp(h, root_hash, c->hash->len)) {
			OPENSSL_free(der);
			return x;
		}
		OPENSSL_free(der);
	}
	return NULL;
}

static void check_chain(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *chain = ev->chain.data;
	uint8_t h[SV_MAX_HASH_LEN];
	X509 *x, *prev, *anchor;
	char name[256], root[256];
	int i, n, err;

	if (nested_na(c, SV_C_CHAIN))
		return;
	if (!c->hash || !SV_HAVE(ev, SV_F_CHAIN)) {
		set(c, SV_C_CHAIN, SV_NOT_RUN,
		    "not checked: no chain or no hash algorithm");
		return;
	}
	if (ev->chain.len < CHAIN_HDR_LEN + c->hash->len ||
	    le16(chain) != ev->chain.len) {
		set(c, SV_C_CHAIN, SV_FAIL,
		    "chain header says %u bytes, the chain has %zu",
		    ev->chain.len >= 2 ? le16(chain) : 0, ev->chain.len);
		return;
	}
	if (*c->chain_err) {
		set(c, SV_C_CHAIN, SV_FAIL, "%s", c->chain_err);
		return;
	}
	n = sk_X509_num(c->certs);
	x = sk_X509_value(c->certs, 0);
	name_of(X509_get_subject_name(x), root, sizeof(root));
	if (self_signed(x)) {
		if (digest(c->hash, chain + c->root_off, c->root_len, NULL, 0,
			   h) || memcmp(h, chain + CHAIN_HDR_LEN, c->hash->len)) {
			set(c, SV_C_CHAIN, SV_FAIL,
			    "RootHash is not %s of the root certificate %s",
			    c->hash->label, root);
			return;
		}
	} else {
		/* the root is not in the chain: RootHash names an anchor */
		anchor = anchor_by_hash(c, chain + CHAIN_HDR_LEN);
		if (!anchor) {
			set(c, SV_C_CHAIN, SV_FAIL,
			    "the first certificate (%s) is not self-signed and RootHash matches none of our trust anchors",
			    root);
			return;
		}
		err = X509_check_issued(anchor, x);
		if (err != X509_V_OK ||
		    X509_verify(x, X509_get0_pubkey(anchor)) != 1) {
			ERR_clear_error();
			set(c, SV_C_CHAIN, SV_FAIL,
			    "the first certificate (%s) is not signed by the root RootHash names",
			    root);
			return;
		}
	}
	for (i = 1; i < n; i++) {
		prev = sk_X509_value(c->certs, i - 1);
		x = sk_X509_value(c->certs, i);
		err = X509_check_issued(prev, x);
		if (err != X509_V_OK || X509_verify(x, X509_get0_pubkey(prev)) != 1) {
			ERR_clear_error();
			name_of(X509_get_subject_name(x), name, sizeof(name));
			set(c, SV_C_CHAIN, SV_FAIL,
			    "certificate %d (%s) is not signed by certificate %d: %s",
			    i + 1, name, i, err != X509_V_OK ?
			    X509_verify_cert_error_string(err) :
			    "signature does not verify");
			return;
		}
	}
	set(c, SV_C_CHAIN, SV_PASS,
	    "%d certificate%s from %s to %s, each signed by the one before, RootHash matches",
	    n, n == 1 ? "" : "s", root, c->v->leaf_subject);
}

/* ---- trust ------------------------------------------------------------------- */

static const char *trust_hint(int err)
{
	switch (err) {
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		return ": the chain does not lead to one of our trust anchors";
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return " (--no-time-check ignores validity periods)";
	}
	return "";
}

static void check_trust(struct ctx *c)
{
	struct stack_st_X509 *untrusted = NULL, *path;
	X509_STORE_CTX *sc = NULL;
	X509_VERIFY_PARAM *param;
	X509 *leaf = leaf_of(c), *top;
	char name[256], sub[256];
	int i, n, depth, err;

	if (nested_na(c, SV_C_TRUST))
		return;
	if (!leaf) {
		set(c, SV_C_TRUST, SV_NOT_RUN,
		    "not checked: no certificates in the chain");
		return;
	}
	if (!c->o->trust || !c->o->trust->nr) {
		set(c, SV_C_TRUST, SV_FAIL,
		    "no trust anchors of ours (--trust FILE|DIR)");
		return;
	}
	n = sk_X509_num(c->certs);
	untrusted = sk_X509_new_null();
	sc = X509_STORE_CTX_new();
	if (!untrusted || !sc)
		goto oom;
	for (i = 0; i < n - 1; i++)
		if (!sk_X509_push(untrusted, sk_X509_value(c->certs, i)))
			goto oom;
	if (X509_STORE_CTX_init(sc, c->o->trust->store, leaf, untrusted) != 1)
		goto oom;
	param = X509_STORE_CTX_get0_param(sc);
	X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	if (c->o->no_time_check)
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	if (X509_verify_cert(sc) == 1) {
		path = X509_STORE_CTX_get0_chain(sc);
		top = sk_X509_value(path, sk_X509_num(path) - 1);
		name_of(X509_get_subject_name(top), name, sizeof(name));
		set(c, SV_C_TRUST, SV_PASS,
		    "the chain leads to our trust anchor %s%s", name,
		    c->o->no_time_check ? " (validity times not checked)" : "");
	} else {
		err = X509_STORE_CTX_get_error(sc);
		depth = X509_STORE_CTX_get_error_depth(sc);
		sub[0] = 0;
		if (X509_STORE_CTX_get_current_cert(sc))
			name_of(X509_get_subject_name(X509_STORE_CTX_get_current_cert(sc)),
				sub, sizeof(sub));
		set(c, SV_C_TRUST, SV_FAIL, "%s (depth %d, %s)%s",
		    X509_verify_cert_error_string(err), depth,
		    *sub ? sub : "?", trust_hint(err));
	}
	goto out;
oom:
	set(c, SV_C_TRUST, SV_FAIL, "out of memory");
out:
	ERR_clear_error();
	X509_STORE_CTX_free(sc);
	sk_X509_free(untrusted);
}

/* ---- subjectAltName ------------------------------------------------------------ */

static void check_san(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const char *id = c->o->dev_id, *serial = c->o->dev_serial;
	char with_sn[SV_ID_MAX + SV_SERIAL_LEN + 2];
	GENERAL_NAMES *gens = NULL;
	ASN1_OBJECT *cma = NULL;
	OTHERNAME *other;
	ASN1_TYPE *val;
	X509 *leaf = leaf_of(c);
	int i, idx, len, type;
	bool match = false;

	if (nested_na(c, SV_C_SAN))
		return;
	if (c->o->no_san_check) {
		set(c, SV_C_SAN, SV_SKIP, "switched off (--no-san-check)");
		return;
	}
	if (!leaf) {
		set(c, SV_C_SAN, SV_NOT_RUN,
		    "not checked: no leaf certificate");
		return;
	}
	if (!id && SV_HAVE(ev, SV_F_DEV_ID)) {
		id = ev->dev_id;
		serial = SV_HAVE(ev, SV_F_DEV_SERIAL) ? ev->dev_serial : NULL;
	}
	idx = X509_get_ext_by_NID(leaf, NID_subject_alt_name, -1);
	if (idx >= 0 && X509_get_ext_by_NID(leaf, NID_subject_alt_name, idx) >= 0) {
		set(c, SV_C_SAN, SV_FAIL,
		    "the leaf has two subjectAltName extensions");
		return;
	}
	if (idx >= 0) {
		gens = X509V3_EXT_d2i(X509_get_ext(leaf, idx));
		if (!gens) {
			ERR_clear_error();
			set(c, SV_C_SAN, SV_FAIL,
			    "the leaf's subjectAltName is malformed");
			return;
		}
	}
	cma = OBJ_txt2obj(CMA_OID, 1);
	if (!cma) {
		set(c, SV_C_SAN, SV_FAIL, "out of memory");
		goto out;
	}
	for (i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
		other = GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(gens, i),
						&type);
		if (type != GEN_OTHERNAME || OBJ_cmp(other->type_id, cma))
			continue;
		val = other->value;
		if (val->type != V_ASN1_UTF8STRING) {
			set(c, SV_C_SAN, SV_FAIL,
			    "a CMA otherName (%s) of the leaf is not a UTF8String",
			    CMA_OID);
			goto out;
		}
		len = ASN1_STRING_length(val->value.utf8string);
		if (len <= 0 || len >= SV_ID_MAX ||
		    memchr(ASN1_STRING_get0_data(val->value.utf8string), 0, len)) {
			set(c, SV_C_SAN, SV_FAIL,
			    "a CMA otherName of the leaf is empty, too long or has a NUL");
			goto out;
		}
		if (c->v->nr_sans < SV_MAX_SANS) {
			memcpy(c->v->san[c->v->nr_sans],
			       ASN1_STRING_get0_data(val->value.utf8string), len);
			c->v->san[c->v->nr_sans++][len] = 0;
		}
	}
	if (!c->v->nr_sans) {
		if (c->o->require_san)
			set(c, SV_C_SAN, SV_FAIL,
			    "the leaf names no device (no CMA otherName) and --require-san is given");
		else
			set(c, SV_C_SAN, SV_SKIP,
			    "the leaf names no device (no CMA otherName): nothing to compare");
		goto out;
	}
	if (!id) {
		set(c, SV_C_SAN, SV_FAIL,
		    "the leaf names \"%s\"; the device's identity is unknown (--device-ids or --no-san-check)",
		    c->v->san[0]);
		goto out;
	}
	if (serial)
		snprintf(with_sn, sizeof(with_sn), "%s:%s", id, serial);
	for (i = 0; i < c->v->nr_sans; i++)
		match |= !strcmp(c->v->san[i], id) ||
			 (serial && !strcmp(c->v->san[i], with_sn));
	if (match)
		set(c, SV_C_SAN, SV_PASS, "the leaf names the device: %s%s%s",
		    id, serial ? ", serial number " : "", serial ?: "");
	else
		set(c, SV_C_SAN, SV_FAIL,
		    "the leaf names \"%s\", the device is \"%s\"%s%s",
		    c->v->san[0], id, serial ? ", serial number " : "",
		    serial ?: "");
out:
	ASN1_OBJECT_free(cma);
	GENERAL_NAMES_free(gens);
}

/* ---- signature log entry --------------------------------------------------- */

/*
 * The entry's own files against the signed bytes: the nonce files are
 * copies of the transcript's nonces, found by walking it.
 */
static void check_log(struct ctx *c)
{
	const struct sv_log *log = c->o->log;
	const struct sv_evidence *ev = c->ev;
	const uint8_t *t = ev->transcript.data;

	if (!log) {
		set(c, SV_C_LOG, SV_NA, "not from the signature log");
		return;
	}
	if (!log->derived) {
		set(c, SV_C_LOG, SV_FAIL, "%s", log->why);
		return;
	}
	if (ev->transcript.len < SV_NONCE_LEN ||
	    ev->req_off > ev->transcript.len - SV_NONCE_LEN ||
	    ev->rsp_off > ev->transcript.len - SV_NONCE_LEN) {
		set(c, SV_C_LOG, SV_FAIL, "nonce offsets outside the transcript");
		return;
	}
	if (log->req_nonce.len != SV_NONCE_LEN ||
	    memcmp(log->req_nonce.data, t + ev->req_off, SV_NONCE_LEN)) {
		set(c, SV_C_LOG, SV_FAIL,
		    "requester_nonce (%zu bytes) is not the nonce at %u in the transcript",
		    log->req_nonce.len, ev->req_off);
		return;
	}
	if (log->rsp_nonce.len != SV_NONCE_LEN ||
	    memcmp(log->rsp_nonce.data, t + ev->rsp_off, SV_NONCE_LEN)) {
		set(c, SV_C_LOG, SV_FAIL,
		    "responder_nonce (%zu bytes) is not the nonce at %u in the transcript",
		    log->rsp_nonce.len, ev->rsp_off);
		return;
	}
	set(c, SV_C_LOG, SV_PASS,
	    "type %s; %s; requester_nonce and responder_nonce are the transcript's",
	    log->type, log->how);
}

/* ---- measurement blocks ------------------------------------------------------ */

static const struct sv_block *block_by_index(const struct sv_verdict *v,
					     uint8_t index)
{
	unsigned int i;

	for (i = 0; i < v->nr_blocks; i++)
		if (v->blocks[i].index == index)
			return &v->blocks[i];
	return NULL;
}

/* MeasurementHashAlgo: the signed ALGORITHMS', else the evidence's */
static void meas_hash_of(struct ctx *c, const char **from)
{
	const struct sv_evidence *ev = c->ev;
	struct sv_vca vca;
	char err[300];

	*from = "";
	if (ev->version >= 0x12 &&
	    !sv_vca_parse(ev->transcript.data, ev->transcript.len,
			  ev->version, &vca, err, sizeof(err))) {
		c->v->meas_hash = sv_meas_hash_by_bit(vca.meas_hash);
		*from = " (signed ALGORITHMS)";
	} else if (SV_HAVE(ev, SV_F_MEAS_HASH)) {
		c->v->meas_hash = sv_meas_hash_by_bit(ev->meas_hash);
		*from = " (the kernel's word)";
	}
}

/* One block: its index, format and digest size */
static int check_block(struct ctx *c, const struct sv_block *b,
		       const struct sv_meas_msg *m, size_t *digest_len)
{
	const struct sv_meas_hash *mh = c->v->meas_hash;
	const struct sv_block *other;

	if (b->index == SV_MEAS_OP_COUNT || b->index == SV_MEAS_OP_ALL) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "a block has the reserved index %u", b->index);
		return -1;
	}
	other = block_by_index(c->v, b->index);
	if (other != b) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u appears twice (MEASUREMENTS at %zu and %zu)",
		    b->index, c->l1l2.msg[other->msg].rsp, m->rsp);
		return -1;
	}
	if (m->op != SV_MEAS_OP_ALL && b->index != m->op) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "GET_MEASUREMENTS asked for index %u, MEASUREMENTS at %zu answers with index %u",
		    m->op, m->rsp, b->index);
		return -1;
	}
	if (!b->dmtf) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u: MeasurementSpecification 0x%02x is not DMTF",
		    b->index, b->spec);
		return -1;
	}
	if (b->type & SV_MEAS_RAW)
		return 0;
	if (mh && !mh->len) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u is a digest, but MeasurementHashAlgo is raw bit streams only",
		    b->index);
		return -1;
	}
	if (mh && b->value_len != mh->len) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u: %zu-byte digest, %s digests have %zu",
		    b->index, b->value_len, mh->label, mh->len);
		return -1;
	}
	/* without MeasurementHashAlgo, digests must at least agree */
	if (!mh && *digest_len && b->value_len != *digest_len) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u: %zu-byte digest, others have %zu",
		    b->index, b->value_len, *digest_len);
		return -1;
	}
	if (!mh && b->value_len != 32 && b->value_len != 48 &&
	    b->value_len != 64) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "index %u: %zu-byte digest is no hash size", b->index,
		    b->value_len);
		return -1;
	}
	*digest_len = b->value_len;
	return 0;
}

/* One response: how many blocks, for what was asked */
static int check_meas_msg(struct ctx *c, unsigned int i, int *count)
{
	const struct sv_meas_msg *m = &c->l1l2.msg[i];

	if (m->op == SV_MEAS_OP_COUNT) {
		if (m->nr_blocks || m->record_len || !m->rsp_param1 ||
		    m->rsp_param1 == SV_MEAS_OP_ALL) {
			set(c, SV_C_MEASUREMENTS, SV_FAIL,
			    "MEASUREMENTS at %zu answers a count with %u indices, %u blocks, %zu bytes",
			    m->rsp, m->rsp_param1, m->nr_blocks,
			    m->record_len);
			return -1;
		}
		*count = m->rsp_param1;
		return 0;
	}
	if (m->op != SV_MEAS_OP_ALL && m->nr_blocks != 1) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "GET_MEASUREMENTS asked for index %u, MEASUREMENTS at %zu has %u blocks (must be 1)",
		    m->op, m->rsp, m->nr_blocks);
		return -1;
	}
	if (m->op == SV_MEAS_OP_ALL && *count >= 0 &&
	    m->nr_blocks != *count) {
		set(c, SV_C_MEASUREMENTS, SV_FAIL,
		    "MEASUREMENTS at %zu has %u blocks, the count before announced %d",
		    m->rsp, m->nr_blocks, *count);
		return -1;
	}
	return 0;
}

static void check_measurements(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	struct sv_verdict *v = c->v;
	unsigned int i, first;
	size_t digest_len = 0;
	const char *from;
	char err[300];
	int count = -1;

	if (!c->meas) {
		set(c, SV_C_MEASUREMENTS, SV_NA, "not measurements evidence");
		return;
	}
	if (!c->layout_ok) {
		set(c, SV_C_MEASUREMENTS, SV_NOT_RUN,
		    "not checked: the transcript is not L1/L2");
		return;
	}
	meas_hash_of(c, &from);
	v->have_blocks = true;
	for (i = 0; i < c->l1l2.n; i++) {
		first = v->nr_blocks;
		if (sv_blocks_parse(ev->transcript.data, &c->l1l2.msg[i], i,
				    v->blocks, &v->nr_blocks, SV_MAX_BLOCKS,
				    err, sizeof(err))) {
			set(c, SV_C_MEASUREMENTS, SV_FAIL, "%s", err);
			return;
		}
		if (check_meas_msg(c, i, &count))
			return;
		for (; first < v->nr_blocks; first++)
			if (check_block(c, &v->blocks[first], &c->l1l2.msg[i],
					&digest_len))
				return;
	}
	set(c, SV_C_MEASUREMENTS, SV_PASS,
	    "%u block%s in %u MEASUREMENTS, DMTF format, sizes add up, indices unique and as asked%s%s%s",
	    v->nr_blocks, v->nr_blocks == 1 ? "" : "s", c->l1l2.n,
	    v->meas_hash ? ", digests of " : "",
	    v->meas_hash ? v->meas_hash->label : "", from);
}

static void check_expect(struct ctx *c)
{
	const struct sv_expect *x = c->o->expect;
	const struct sv_evidence *ev = c->ev;
	const struct sv_expect_entry *e;
	const struct sv_block *b;
	char *d = c->v->check[SV_C_EXPECT].detail, g[24], w[24];
	size_t len = sizeof(c->v->check[0].detail), used = 0;
	unsigned int i, bad = 0;

	if (!x) {
		set(c, SV_C_EXPECT, SV_NA, "no --expect");
		return;
	}
	if (c->ke && ev->session_meas) {
		set(c, SV_C_EXPECT, SV_NA, "for the session's measurements");
		return;
	}
	if (!c->meas) {
		set(c, SV_C_EXPECT, SV_FAIL,
		    "--expect needs measurements evidence, this is %s%s",
		    SV_HAVE(ev, SV_F_SIG_TYPE) ?
		    sv_sig_type_name(ev->sig_type) ?: "unknown" : "challenge",
		    c->ke ? " without measurements read in the session" : "");
		return;
	}
	if (c->v->check[SV_C_MEASUREMENTS].result != SV_PASS) {
		set(c, SV_C_EXPECT, SV_NOT_RUN,
		    "not checked: the measurement blocks did not decode");
		return;
	}
	set(c, SV_C_EXPECT, SV_FAIL, "%s", "");
	for (i = 0; i < x->n; i++) {
		e = &x->e[i];
		b = block_by_index(c->v, e->index);
		if (b && b->value_len == e->len &&
		    !memcmp(ev->transcript.data + b->value, e->value, e->len))
			continue;
		bad++;
		if (used >= len)
			continue;
		if (!b)
			used += snprintf(d + used, len - used,
					 "%sindex %u: missing", bad > 1 ? "; " : "",
					 e->index);
		else
			used += snprintf(d + used, len - used,
					 "%sindex %u: %s (%zu bytes), expected %s (%zu bytes)",
					 bad > 1 ? "; " : "", e->index,
					 short_hex(ev->transcript.data + b->value,
						   b->value_len, g), b->value_len,
					 short_hex(e->value, e->len, w), e->len);
	}
	if (!bad)
		set(c, SV_C_EXPECT, SV_PASS, "%u expected value%s match%s",
		    x->n, x->n == 1 ? "" : "s", x->n == 1 ? "es" : "");
}

/* ---- the session (key-exchange) ---------------------------------------------- */

/*
 * DSP0274 (KEY_EXCHANGE): the session ID is ReqSessionID concatenated with
 * RspSessionID.  DSP0277 sends it as the first four bytes of a secured
 * message, a little-endian u32: ReqSessionID's bytes, then RspSessionID's.
 */
static uint32_t session_id_of(uint16_t req_session_id, uint16_t rsp_session_id)
{
	const uint8_t wire[4] = {
		req_session_id & 0xff, req_session_id >> 8,
		rsp_session_id & 0xff, rsp_session_id >> 8,
	};

	return (uint32_t)wire[0] | (uint32_t)wire[1] << 8 |
	       (uint32_t)wire[2] << 16 | (uint32_t)wire[3] << 24;
}

static void check_session_id(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_th1 *th = &c->th1;
	uint32_t id = session_id_of(th->req_session_id, th->rsp_session_id);

	if (!c->layout_ok)
		set(c, SV_C_SESSION_ID, SV_NOT_RUN,
		    "not checked: TH1 does not parse");
	else if (!SV_HAVE(ev, SV_F_SESSION_ID))
		set(c, SV_C_SESSION_ID, from_log(c) ? SV_SKIP : SV_NOT_RUN,
		    "no session-id stated; TH1 opened session 0x%08x", id);
	else if (ev->session_id != id)
		set(c, SV_C_SESSION_ID, SV_FAIL,
		    "the kernel names session 0x%08x, TH1 opened 0x%08x (ReqSessionID 0x%04x, RspSessionID 0x%04x)",
		    ev->session_id, id, th->req_session_id,
		    th->rsp_session_id);
	else
		set(c, SV_C_SESSION_ID, SV_PASS,
		    "session 0x%08x is KEY_EXCHANGE's ReqSessionID 0x%04x and KEY_EXCHANGE_RSP's RspSessionID 0x%04x",
		    id, th->req_session_id, th->rsp_session_id);
}

/*
 * A verdict of the kernel's that needs the session's secrets: vouched
 * if 1, failed if 0; not in the signature log.
 */
static void kernel_verdict(struct ctx *c, enum sv_check_id id,
			   enum sv_field f, uint8_t val, const char *what,
			   const char *yes, const char *no)
{
	if (!SV_HAVE(c->ev, f))
		set(c, id, from_log(c) ? SV_SKIP : SV_NOT_RUN,
		    "the %s states no %s: %s cannot be checked without the session's secrets",
		    from_log(c) ? "signature log" : "evidence",
		    sv_field_name(f), what);
	else if (!val)
		set(c, id, SV_FAIL, "the kernel reports %s %s", what, no);
	else
		set(c, id, SV_VOUCHED, "the kernel reports %s %s", what, yes);
}

static void check_in_session(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;

	if (!ev->session_meas)
		set(c, SV_C_IN_SESSION, SV_NA, "no session measurements");
	else if (SV_HAVE(ev, SV_F_FINISH) && !ev->finish_valid)
		set(c, SV_C_IN_SESSION, SV_FAIL,
		    "measurements said to be read in a session that FINISH did not establish");
	else
		set(c, SV_C_IN_SESSION, SV_VOUCHED,
		    "the kernel read the measurements below in session 0x%08x: the secured messages are not visible here, only their signed L1/L2",
		    ev->session_id);
}

/* What the verifier checks of a session, and what it takes on trust */
static void check_session(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	enum sv_check_id id;

	if (!c->ke) {
		for (id = SV_C_SESSION_ID; id <= SV_C_IN_SESSION; id++)
			set(c, id, SV_NA, "not a key exchange");
		return;
	}
	check_session_id(c);
	set(c, SV_C_DHE_SECRET, SV_VOUCHED,
	    "the %s ECDH secret needs the kernel's ephemeral private key: not checkable; the signature binds both ExchangeData (public keys) to our nonce",
	    c->layout_ok ? c->th1.dhe->name : "DHE");
	kernel_verdict(c, SV_C_RSP_VERIFY, SV_F_RSP_VERIFY,
		       ev->rsp_verify_valid,
		       "ResponderVerifyData (an HMAC over TH1 keyed from the ECDH secret)",
		       "valid", "INVALID: the device does not hold the session keys");
	kernel_verdict(c, SV_C_FINISH, SV_F_FINISH, ev->finish_valid,
		       "FINISH/FINISH_RSP (verify data under the handshake keys)",
		       "valid: the session is established",
		       "FAILED: no session was established");
	check_in_session(c);
}

/* The measurements the kernel read in the session, with our nonce */
static void verify_session_meas(const struct sv_evidence *ev,
				const struct sv_verify_opts *o,
				struct sv_verdict *v)
{
	struct sv_verify_opts mo = *o;
	struct sv_evidence m;

	v->meas = malloc(sizeof(*v->meas));
	if (!v->meas) {
		snprintf(v->check[SV_C_IN_SESSION].detail,
			 sizeof(v->check[0].detail), "out of memory");
		v->check[SV_C_IN_SESSION].result = SV_FAIL;
		return;
	}
	sv_session_meas_view(ev, &m);
	mo.nested = true;
	mo.log = NULL;
	sv_verify(&m, &mo, v->meas);
}

/* ---- all of them -------------------------------------------------------------- */

void sv_verdict_free(struct sv_verdict *v)
{
	if (v->meas) {
		sv_verdict_free(v->meas);
		free(v->meas);
		v->meas = NULL;
	}
}

/**
 * sv_verify() - make every check on a piece of evidence
 * @ev: the evidence
 * @o: what the verifier knows and wants
 * @v: receives the results; sv_verdict_free() it
 */
void sv_verify(const struct sv_evidence *ev, const struct sv_verify_opts *o,
	       struct sv_verdict *v)
{
	struct ctx c = { .ev = ev, .o = o, .v = v };
	int i;

	memset(v, 0, sizeof(*v));
	check_evidence(&c);
	parse_chain(&c);
	check_transcript(&c);
	check_log(&c);
	check_nonce(&c);
	check_algorithms(&c);
	check_prefix(&c);
	check_signature(&c);
	check_chain_hash(&c);
	check_chain(&c);
	check_trust(&c);
	check_san(&c);
	check_session(&c);
	check_measurements(&c);
	check_expect(&c);
	sk_X509_pop_free(c.certs, X509_free);
	ERR_clear_error();
	if (c.ke && ev->session_meas)
		verify_session_meas(ev, o, v);

	v->ok = !v->meas || v->meas->ok;
	for (i = 0; i < SV_NR_CHECKS; i++)
		if (sv_failed(v->check[i].result))
			v->ok = false;
}

/* ---- trust anchors -------------------------------------------------------------- */

int sv_trust_init(struct sv_trust *t)
{
	memset(t, 0, sizeof(*t));
	t->store = X509_STORE_new();
	t->anchors = sk_X509_new_null();
	return t->store && t->anchors ? 0 : -1;
}

void sv_trust_free(struct sv_trust *t)
{
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->anchors, X509_free);
	memset(t, 0, sizeof(*t));
}

static int trust_push(struct sv_trust *t, X509 *x)
{
	if (X509_STORE_add_cert(t->store, x) != 1) {
		/* the same certificate twice is no error */
		ERR_clear_error();
	}
	if (!sk_X509_push(t->anchors, x)) {
		X509_free(x);
		return -1;
	}
	t->nr++;
	return 0;
}

/* All certificates of a PEM file (one or more), or one DER certificate. */
static int trust_file(struct sv_trust *t, const char *path, bool strict,
		      char *err, size_t errlen)
{
	const unsigned char *p;
	unsigned char *data;
	int n = 0, rc = -1;
	long len;
	BIO *b;
	X509 *x;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	b = BIO_new(BIO_s_mem());
	if (!b) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		char buf[4096];
		size_t got = fread(buf, 1, sizeof(buf), f);

		if (got && BIO_write(b, buf, got) != (int)got) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (got < sizeof(buf))
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	len = BIO_get_mem_data(b, (char **)&data);
	if (len > 0 && memmem(data, len, "-----BEGIN", 10)) {
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
			if (trust_push(t, x))
				goto oom;
			n++;
		}
		ERR_clear_error();
	} else if (len > 0) {
		p = data;
		x = d2i_X509(NULL, &p, len);
		if (x && p == data + len) {
			if (trust_push(t, x))
				goto oom;
			n++;
		} else {
			X509_free(x);
		}
	}
	if (!n && strict) {
		snprintf(err, errlen, "%s: no PEM or DER certificate", path);
		goto out;
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	ERR_clear_error();
	BIO_free(b);
	fclose(f);
	return rc;
}

static bool cert_name(const char *name)
{
	static const char *const exts[] = { ".pem", ".crt", ".cer", ".der" };
	size_t n = strlen(name), i;

	for (i = 0; i < SV_ARRAY_SIZE(exts); i++)
		if (n > 4 && !strcmp(name + n - 4, exts[i]))
			return true;
	return false;
}

/*
 * A file (PEM certificates, or one DER certificate), or a directory: its
 * *.pem, *.crt, *.cer and *.der files that hold certificates.
 */
int sv_trust_add(struct sv_trust *t, const char *path, char *err,
		 size_t errlen)
{
	int before = t->nr;
	char file[4096];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return trust_file(t, path, true, err, errlen);
	dir = opendir(path);
	if (!dir) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		if (!cert_name(d->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
		if (stat(file, &st) || !S_ISREG(st.st_mode))
			continue;
		if (trust_file(t, file, false, err, errlen)) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	if (t->nr == before) {
		snprintf(err, errlen, "%s: no certificates in *.pem, *.crt, *.cer or *.der files",
			 path);
		return -1;
	}
	return 0;
}

/*
 * For display: how many certificates a table-33 chain holds and its leaf's
 * subject; @hash_len 0 tries each digest size.  Returns the digest size
 * that made the chain parse, or 0.
 */
size_t sv_chain_info(const struct sv_buf *chain, size_t hash_len,
		     int *nr_certs, char *leaf, size_t leaflen)
{
	static const size_t sizes[] = { 32, 48, 64 };
	const unsigned char *p, *end = chain->data + chain->len;
	X509 *x, *last;
	size_t i;
	int n;

	for (i = 0; i < SV_ARRAY_SIZE(sizes); i++) {
		if ((hash_len && sizes[i] != hash_len) ||
		    chain->len < CHAIN_HDR_LEN + sizes[i])
			continue;
		p = chain->data + CHAIN_HDR_LEN + sizes[i];
		last = NULL;
		n = 0;
		while (p < end && (x = d2i_X509(NULL, &p, end - p))) {
			X509_free(last);
			last = x;
			n++;
		}
		ERR_clear_error();
		if (p == end && last) {
			*nr_certs = n;
			name_of(X509_get_subject_name(last), leaf, leaflen);
			X509_free(last);
			return sizes[i];
		}
		X509_free(last);
	}
	*nr_certs = 0;
	leaf[0] = 0;
	return 0;
}
