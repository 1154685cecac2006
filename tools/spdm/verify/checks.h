/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, checks layer: the verdict on a piece of evidence, each
 * check named and PASS, FAIL, SKIP, NOT-RUN or VOUCHED, written from
 * DSP0274/DSP0277 (never from the kernel's code), what the verifier
 * brings (its nonce, trust anchors, expected measurements), and the
 * bundle with the verdict.  Depends on the model (evidence.h); the
 * model does not depend on it.
 */
#ifndef SPDM_VERIFY_CHECKS_H
#define SPDM_VERIFY_CHECKS_H

#include "evidence.h"

/* ---- --expect FILE: "INDEX HEX" lines (expect.c) ------------------------- */

struct sv_expect_entry {
	uint8_t index;
	uint8_t *value;
	size_t len;
};

struct sv_expect {
	unsigned int n;
	struct sv_expect_entry e[SV_MAX_MEAS_REQ];
};

int sv_expect_read(const char *path, struct sv_expect *x, char *err,
		   size_t errlen);
void sv_expect_free(struct sv_expect *x);

/* ---- checks ------------------------------------------------------------- */

/* Where results are kept; sv_check_order[] is the order they are shown in */
enum sv_check_id {
	SV_C_EVIDENCE, SV_C_LOG,
	/* key-exchange: what the verifier checks, what the kernel vouches */
	SV_C_SESSION_ID, SV_C_DHE_SECRET, SV_C_RSP_VERIFY, SV_C_FINISH,
	SV_C_IN_SESSION,
	SV_C_NONCE, SV_C_TRANSCRIPT, SV_C_ALGORITHMS,
	SV_C_PREFIX, SV_C_SIGNATURE, SV_C_CHAIN_HASH, SV_C_CHAIN, SV_C_TRUST,
	SV_C_SAN, SV_C_MEASUREMENTS, SV_C_EXPECT,
	SV_NR_CHECKS
};

/* The order checks are shown in (dependencies first) */
extern const enum sv_check_id sv_check_order[SV_NR_CHECKS];

/*
 * SV_NA: the check does not apply to this evidence; it is not shown.
 * SV_VOUCHED: the verifier cannot check it, only the kernel's word says
 * so (a session secret it does not have); it does not fail the verdict.
 */
enum sv_result { SV_NOT_RUN, SV_PASS, SV_FAIL, SV_SKIP, SV_NA, SV_VOUCHED };

struct sv_check {
	enum sv_result result;
	char detail[400];
};

#define SV_MAX_SANS	4

struct sv_verdict {
	struct sv_check check[SV_NR_CHECKS];
	bool ok;
	/* decoded on the way */
	bool have_req_nonce, have_rsp_nonce;
	uint8_t req_nonce[SV_NONCE_LEN], rsp_nonce[SV_NONCE_LEN];
	int nr_certs;
	char leaf_subject[256], leaf_issuer[256];
	int nr_sans;
	char san[SV_MAX_SANS][SV_ID_MAX];
	/* measurements: the blocks of every MEASUREMENTS, in order */
	bool have_blocks;
	const struct sv_meas_hash *meas_hash;	/* NULL: unknown */
	unsigned int nr_blocks;
	struct sv_block blocks[SV_MAX_BLOCKS];
	/* key-exchange: the verdict on the session's measurements */
	struct sv_verdict *meas;
};

/* ---- trust anchors (trust.c) --------------------------------------------- */

struct sv_trust {
	X509_STORE *store;
	struct stack_st_X509 *anchors;
	int nr;
};

int sv_trust_init(struct sv_trust *t);
int sv_trust_add(struct sv_trust *t, const char *path, char *err,
		 size_t errlen);
void sv_trust_free(struct sv_trust *t);

/* ---- verifying (checks.c) ------------------------------------------------ */

struct sv_verify_opts {
	const uint8_t *nonce;		/* required nonce (NULL: the evidence's) */
	const struct sv_trust *trust;	/* NULL: no anchors */
	bool no_time_check;
	bool no_san_check;
	bool require_san;
	const char *dev_id;		/* identity (NULL: the evidence's) */
	const char *dev_serial;		/* Device Serial Number or NULL */
	const char *expect_dev;		/* evidence must be for this device */
	const struct sv_expect *expect;	/* --expect: measurement values */
	const struct sv_log *log;	/* evidence from the signature log */
	bool nested;			/* session-meas: chain checked above */
};

const char *sv_check_name(enum sv_check_id id);
const char *sv_result_name(enum sv_result r);
void sv_verify(const struct sv_evidence *ev, const struct sv_verify_opts *o,
	       struct sv_verdict *v);
void sv_verdict_free(struct sv_verdict *v);
bool sv_failed(enum sv_result r);

/* The bundle with the verdict (@v NULL: without; verdict-json.c) */
void sv_bundle_write(struct sv_jw *w, const char *key,
		     const struct sv_evidence *ev, const struct sv_verdict *v);

#endif /* SPDM_VERIFY_CHECKS_H */
