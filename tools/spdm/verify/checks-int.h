/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the checks layer: what one run of sv_verify() knows, the
 * helpers the checks share, and the checks themselves, one file a group
 * (checks.c lists them).
 */
#ifndef SPDM_VERIFY_CHECKS_INT_H
#define SPDM_VERIFY_CHECKS_INT_H

#include "checks.h"

struct ctx {
	const struct sv_evidence *ev;
	const struct sv_verify_opts *o;
	struct sv_verdict *v;
	bool version_ok;
	const struct sv_hash *hash;
	const struct sv_asym *asym;	/* BaseAsymAlgo, or: */
	bool pqc;			/* a PqcAsymAlgo (SPDM 1.4, ML-DSA) */

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

/* ---- helpers (checks.c) -------------------------------------------------- */

void __sv_printf(4, 5) chk_set(struct ctx *c, enum sv_check_id id,
			       enum sv_result r, const char *fmt, ...);
const char *chk_sig_context(const struct ctx *c);
const char *chk_signed_msg(const struct ctx *c);
const char *chk_nonce_msg(const struct ctx *c);
bool chk_from_log(const struct ctx *c);
const char *chk_short_hex(const uint8_t *p, size_t n, char *buf);
int chk_digest(const struct sv_hash *h, const void *a, size_t alen,
	       const void *b, size_t blen, uint8_t *out);
const char *chk_ssl_err(char *buf, size_t len);

/* ---- the checks, in the order sv_verify() makes them --------------------- */

/* check-evidence.c: what the evidence states, and the log entry's files */
void check_evidence(struct ctx *c);
void check_log(struct ctx *c);

/* check-chain.c: the certificate chain */
void check_parse_chain(struct ctx *c);
X509 *chk_leaf(struct ctx *c);
bool chk_nested_na(struct ctx *c, enum sv_check_id id);
void check_chain_hash(struct ctx *c);
void check_chain(struct ctx *c);
void check_trust(struct ctx *c);

/* check-san.c: the device the leaf names */
void check_san(struct ctx *c);

/* check-challenge.c: the transcript's layout (CHALLENGE / CHALLENGE_AUTH) */
void check_transcript(struct ctx *c);

/* check-signed.c: what every signed exchange has */
void check_nonce(struct ctx *c);
void check_algorithms(struct ctx *c);
void check_prefix(struct ctx *c);

/* check-signature.c */
void check_signature(struct ctx *c);

/* check-meas.c: L1/L2 and the measurement blocks */
void check_meas_transcript(struct ctx *c);
void check_measurements(struct ctx *c);
void check_expect(struct ctx *c);

/* check-session.c: TH1, the session, its measurements */
void check_ke_transcript(struct ctx *c);
void check_session(struct ctx *c);
void check_session_meas(const struct sv_evidence *ev,
			const struct sv_verify_opts *o,
			struct sv_verdict *v);

#endif /* SPDM_VERIFY_CHECKS_INT_H */
