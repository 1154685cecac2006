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
 * One file a group of checks, sharing struct ctx (checks-int.h):
 *
 *   evidence         every attribute there, algorithms and version known
 *                    (SPDM 1.0-1.4; from 1.4 a PqcAsymAlgo: ML-DSA)
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
 *                    (ML-DSA without OpenSSL 3.5: NOT-RUN, so are chain
 *                    and trust for ML-DSA-signed certificates)
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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "checks-int.h"

const char *chk_sig_context(const struct ctx *c)
{
	return c->meas ? SV_MEASUREMENTS_CONTEXT :
	       c->ke ? SV_KEY_EXCHANGE_CONTEXT : SV_CHALLENGE_AUTH_CONTEXT;
}

/* The signed response, and the request carrying our nonce */
const char *chk_signed_msg(const struct ctx *c)
{
	return c->meas ? "MEASUREMENTS" :
	       c->ke ? "KEY_EXCHANGE_RSP" : "CHALLENGE_AUTH";
}

const char *chk_nonce_msg(const struct ctx *c)
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

void __sv_printf(4, 5) chk_set(struct ctx *c, enum sv_check_id id,
			       enum sv_result r, const char *fmt, ...)
{
	struct sv_check *ch = &c->v->check[id];
	va_list ap;

	ch->result = r;
	va_start(ap, fmt);
	vsnprintf(ch->detail, sizeof(ch->detail), fmt, ap);
	va_end(ap);
}

/* First bytes of @p as "0123abcd..." for messages. */
const char *chk_short_hex(const uint8_t *p, size_t n, char *buf)
{
	sv_hex(p, n > 8 ? 8 : n, buf);
	if (n > 8)
		strcat(buf, "...");
	return buf;
}

int chk_digest(const struct sv_hash *h, const void *a, size_t alen,
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

const char *chk_ssl_err(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		snprintf(buf, len, "no further reason");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

/* From the signature log (now, or when the bundle was made) */
bool chk_from_log(const struct ctx *c)
{
	return c->o->log || *c->ev->log_entry;
}

/* ---- all of them -------------------------------------------------------- */

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
	check_parse_chain(&c);
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
		check_session_meas(ev, o, v);

	v->ok = !v->meas || v->meas->ok;
	for (i = 0; i < SV_NR_CHECKS; i++)
		if (sv_failed(v->check[i].result))
			v->ok = false;
}
