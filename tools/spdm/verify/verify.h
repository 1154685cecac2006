/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify: re-check the SPDM evidence the kernel exports (netlink
 * family "spdm") without trusting the kernel.
 *
 *   json.c      JSON writer and parser, base64, hex
 *   evidence.c  the evidence object, chunk reassembly, bundle files
 *   nlparse.c   netlink attributes -> evidence (strict)
 *   netlink.c   the netlink operations: challenge, evidence-read, sig
 *   checks.c    the checks: nonce, transcript, signature, chain, SAN
 *   device.c    PCI device identity from sysfs
 *   spdm-verify.c  the command line
 */
#ifndef SPDM_VERIFY_H
#define SPDM_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#define SV_NONCE_LEN		32
#define SV_PREFIX_LEN		100
#define SV_MAX_HASH_LEN		64
#define SV_MAX_SIG_LEN		512
#define SV_DEV_NAME_MAX		64
#define SV_ID_MAX		128	/* CMA identity string */
#define SV_SERIAL_LEN		16	/* Device Serial Number, hex */
/* Largest object accepted: SPDM chains stop at 64 KiB, transcripts a
 * little above; anything near this limit is garbage. */
#define SV_MAX_OBJECT		(16U << 20)
#define SV_ERR_MAX		512

#define __sv_printf(a, b)	__attribute__((format(printf, a, b)))
#define SV_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- bytes -------------------------------------------------------------- */

struct sv_buf {
	uint8_t *data;
	size_t len;
};

void sv_buf_free(struct sv_buf *b);
int sv_buf_set(struct sv_buf *b, const void *data, size_t len);

/* ---- algorithms (DSP0274 NEGOTIATE_ALGORITHMS) -------------------------- */

enum sv_asym_kind { SV_ECDSA, SV_RSASSA, SV_RSAPSS };

struct sv_hash {
	uint32_t bit;			/* BaseHashAlgo */
	const char *name;		/* Crypto API name: "sha384" */
	const char *label;		/* "SHA-384" */
	size_t len;			/* H */
	const EVP_MD *(*md)(void);
};

struct sv_asym {
	uint32_t bit;			/* BaseAsymAlgo */
	const char *name;		/* "ecdsa-p384" */
	const char *label;		/* "ECDSA P-384" */
	enum sv_asym_kind kind;
	const char *group;		/* EC curve (OpenSSL name) */
	int bits;			/* RSA modulus */
	size_t sig_len;
};

const struct sv_hash *sv_hash_by_bit(uint32_t bit);
const struct sv_asym *sv_asym_by_bit(uint32_t bit);
void sv_combined_prefix(uint8_t version, const char *context,
			uint8_t out[SV_PREFIX_LEN]);
#define SV_CHALLENGE_AUTH_CONTEXT	"responder-challenge_auth signing"

/* ---- chunked objects ---------------------------------------------------- */

struct sv_piece {
	uint32_t off, len;
};

/* An object arriving in pieces with offsets; strict about the pieces. */
struct sv_chunks {
	bool started;
	uint32_t total;
	size_t got;
	uint8_t *data;
	struct sv_piece *pieces;
	size_t n, cap;
};

int sv_chunks_add(struct sv_chunks *c, uint32_t off, uint32_t total,
		  const void *data, size_t len, char *err, size_t errlen);
int sv_chunks_finish(struct sv_chunks *c, struct sv_buf *out, char *err,
		     size_t errlen);
void sv_chunks_free(struct sv_chunks *c);

/* ---- evidence ----------------------------------------------------------- */

enum sv_field {
	SV_F_DEV_NAME, SV_F_PROVIDER, SV_F_SIG_TYPE, SV_F_VERSION, SV_F_SLOT,
	SV_F_ASYM, SV_F_HASH, SV_F_HASH_ALGO, SV_F_TRANSCRIPT, SV_F_SIGNATURE,
	SV_F_REQ_OFF, SV_F_RSP_OFF, SV_F_PREFIX, SV_F_CHAIN, SV_F_SIG_VALID,
	SV_F_ANCHORED, SV_F_OBJECT, SV_F_VCA,
	/* the verifier's side: its nonce and the device's identity */
	SV_F_NONCE, SV_F_DEV_ID, SV_F_DEV_SERIAL,
	SV_NR_FIELDS
};

#define SV_HAVE(ev, f)	(((ev)->have >> (f)) & 1)

/* What the kernel sent (and, for bundles, what the verifier knew). */
struct sv_evidence {
	uint32_t have;			/* 1 << SV_F_* */
	char dev_name[SV_DEV_NAME_MAX];
	uint32_t provider, sig_type, object;
	uint8_t version, slot;
	uint32_t asym, hash;
	char hash_algo[32];
	struct sv_buf transcript, signature, prefix, chain, vca;
	uint32_t req_off, rsp_off;
	uint8_t sig_valid, anchored;
	uint8_t nonce[SV_NONCE_LEN];
	char dev_id[SV_ID_MAX];
	char dev_serial[SV_SERIAL_LEN + 1];
};

void sv_evidence_free(struct sv_evidence *ev);
const char *sv_field_name(enum sv_field f);
const char *sv_provider_name(uint32_t provider);
const char *sv_object_name(uint32_t object);

/* ---- checks ------------------------------------------------------------- */

enum sv_check_id {
	SV_C_EVIDENCE, SV_C_NONCE, SV_C_TRANSCRIPT, SV_C_ALGORITHMS,
	SV_C_PREFIX, SV_C_SIGNATURE, SV_C_CHAIN_HASH, SV_C_CHAIN, SV_C_TRUST,
	SV_C_SAN,
	SV_NR_CHECKS
};

enum sv_result { SV_NOT_RUN, SV_PASS, SV_FAIL, SV_SKIP };

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
};

struct sv_trust {
	X509_STORE *store;
	STACK_OF(X509) *anchors;
	int nr;
};

struct sv_verify_opts {
	const uint8_t *nonce;		/* required nonce (NULL: the evidence's) */
	const struct sv_trust *trust;	/* NULL: no anchors */
	bool no_time_check;
	bool no_san_check;
	bool require_san;
	const char *dev_id;		/* identity (NULL: the evidence's) */
	const char *dev_serial;		/* Device Serial Number or NULL */
	const char *expect_dev;		/* evidence must be for this device */
};

const char *sv_check_name(enum sv_check_id id);
const char *sv_result_name(enum sv_result r);
void sv_verify(const struct sv_evidence *ev, const struct sv_verify_opts *o,
	       struct sv_verdict *v);
size_t sv_chain_info(const struct sv_buf *chain, size_t hash_len,
		     int *nr_certs, char *leaf, size_t leaflen);
int sv_trust_init(struct sv_trust *t);
int sv_trust_add(struct sv_trust *t, const char *path, char *err,
		 size_t errlen);
void sv_trust_free(struct sv_trust *t);

/* ---- device identity ---------------------------------------------------- */

int sv_pci_identity(const char *dev, char *id, size_t idlen, char *serial,
		    size_t seriallen, char *err, size_t errlen);
int sv_split_identity(const char *s, char *id, size_t idlen, char *serial,
		      size_t seriallen);

/* ---- JSON, base64, hex --------------------------------------------------- */

struct sv_jw {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma[32];
};

void sv_jw_init(struct sv_jw *w, FILE *f, bool pretty);
void sv_jw_obj(struct sv_jw *w, const char *key);
void sv_jw_obj_end(struct sv_jw *w);
void sv_jw_arr(struct sv_jw *w, const char *key);
void sv_jw_arr_end(struct sv_jw *w);
void sv_jw_str(struct sv_jw *w, const char *key, const char *s);
void sv_jw_strn(struct sv_jw *w, const char *key, const char *s, size_t n);
void sv_jw_int(struct sv_jw *w, const char *key, long long v);
void sv_jw_bool(struct sv_jw *w, const char *key, bool v);
void sv_jw_b64(struct sv_jw *w, const char *key, const void *p, size_t n);
void sv_jw_hex(struct sv_jw *w, const char *key, const void *p, size_t n);
void sv_jw_end(struct sv_jw *w);

enum sv_jtype { SV_J_NULL, SV_J_BOOL, SV_J_NUM, SV_J_STR, SV_J_ARR, SV_J_OBJ };

struct sv_jval {
	enum sv_jtype type;
	bool b;
	bool is_int;
	long long i;
	char *s;			/* NUL-terminated; len excludes it */
	size_t len;
	size_t n;			/* members of an array or object */
	char **keys;
	struct sv_jval **vals;
};

struct sv_jval *sv_json_parse(const char *text, size_t len, char *err,
			      size_t errlen);
void sv_json_free(struct sv_jval *v);
const struct sv_jval *sv_json_get(const struct sv_jval *obj,
				  const char *key);

size_t sv_b64_len(size_t n);
void sv_b64_encode(const uint8_t *p, size_t n, char *out);
int sv_b64_decode(const char *s, size_t len, struct sv_buf *out);
int sv_hex_decode(const char *s, uint8_t *out, size_t n);
void sv_hex(const uint8_t *p, size_t n, char *out);

/* ---- bundles ------------------------------------------------------------ */

#define SV_BUNDLE_FORMAT	"spdm-evidence"
#define SV_BUNDLE_VERSION	1

void sv_bundle_write(struct sv_jw *w, const char *key,
		     const struct sv_evidence *ev, const struct sv_verdict *v);
int sv_bundle_read(const char *text, size_t len, struct sv_evidence *ev,
		   char *err, size_t errlen);

/* ---- netlink ------------------------------------------------------------ */

struct nlmsghdr;
struct nlattr;

/* Collects the attributes of one evidence object (over several messages). */
struct sv_collect {
	struct sv_evidence ev;
	struct sv_chunks transcript, chain, vca;
};

void sv_collect_init(struct sv_collect *c);
void sv_collect_free(struct sv_collect *c);
int sv_collect_attrs(struct sv_collect *c, struct nlattr *head, int len,
		     char *err, size_t errlen);
int sv_collect_finish(struct sv_collect *c, char *err, size_t errlen);
int sv_object_key(struct nlattr *head, int len, uint32_t *object,
		  int *slot);

struct sv_nl;

/* Why a netlink operation failed. */
struct sv_nlerr {
	int kernel_errno;		/* errno the kernel answered, or 0 */
	char msg[SV_ERR_MAX];		/* the whole story */
};

struct sv_nl *sv_nl_open(bool events, struct sv_nlerr *e);
void sv_nl_close(struct sv_nl *nl);
void sv_nl_set_timeout(struct sv_nl *nl, int timeout_ms);
int sv_nl_challenge(struct sv_nl *nl, const char *dev,
		    const uint8_t nonce[SV_NONCE_LEN], int slot,
		    struct sv_evidence *ev, struct sv_nlerr *e);

/* Called for each complete object of a dump (non-zero: stop), or event. */
typedef int (*sv_object_cb)(struct sv_evidence *ev, void *arg);

int sv_nl_dump(struct sv_nl *nl, const char *dev, const uint8_t *nonce,
	       uint32_t type_mask, sv_object_cb cb, void *arg,
	       struct sv_nlerr *e);
/* Waits up to @timeout_ms (-1: forever) for events; returns how many were
 * handled (0: timeout or signal), -1 on error. */
int sv_nl_watch(struct sv_nl *nl, int timeout_ms, sv_object_cb cb,
		void *arg, struct sv_nlerr *e);

#endif /* SPDM_VERIFY_H */
