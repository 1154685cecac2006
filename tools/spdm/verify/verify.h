/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify: re-check the SPDM evidence the kernel exports (netlink
 * family "spdm") without trusting the kernel.
 *
 *   json.c      JSON writer and parser, base64, hex
 *   evidence.c  the evidence object, chunk reassembly, bundle files
 *   nlparse.c   netlink attributes -> evidence (strict)
 *   netlink.c   the netlink operations: challenge, measurements,
 *               key-exchange, evidence-read, sig
 *   transcript.c  walking the signed messages: VCA, M1/M2, L1/L2, TH1
 *   measurements.c  measurement blocks, --expect files
 *   log.c       evidence from an entry of the sysfs signature log
 *   checks.c    the checks: nonce, transcript, signature, chain, SAN,
 *               measurements, session (and what only the kernel knows)
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
/*
 * Largest object accepted: SPDM chains stop at 64 KiB, transcripts a
 * little above; anything near this limit is garbage.
 */
#define SV_MAX_OBJECT		(16U << 20)
#define SV_ERR_MAX		512

/* the kernel's __printf(); split: checkpatch would take it for a use */
#define __sv_printf(a, b)	__attribute__\
((__format__(__printf__, a, b)))
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
	const EVP_MD *(*md)(void);
	uint32_t bit;			/* BaseHashAlgo */
	const char *name;		/* Crypto API name: "sha384" */
	const char *label;		/* "SHA-384" */
	size_t len;			/* H */
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
const struct sv_hash *sv_hash_by_name(const char *name);
const struct sv_asym *sv_asym_by_bit(uint32_t bit);
const struct sv_asym *sv_asym_of_key(EVP_PKEY *key);
void sv_combined_prefix(uint8_t version, const char *context,
			uint8_t out[SV_PREFIX_LEN]);
#define SV_CHALLENGE_AUTH_CONTEXT	"responder-challenge_auth signing"
#define SV_MEASUREMENTS_CONTEXT		"responder-measurements signing"
#define SV_KEY_EXCHANGE_CONTEXT		"responder-key_exchange_rsp signing"

/* MeasurementHashAlgo (DSP0274 NEGOTIATE_ALGORITHMS) */
struct sv_meas_hash {
	uint32_t bit;
	const char *label;		/* "SHA-384", "raw bit streams only" */
	size_t len;			/* 0: raw bit streams only */
};

const struct sv_meas_hash *sv_meas_hash_by_bit(uint32_t bit);

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
	SV_F_ANCHORED, SV_F_OBJECT, SV_F_VCA, SV_F_MEAS_SPEC, SV_F_MEAS_HASH,
	/* the verifier's side: nonce, device identity, indices asked for */
	SV_F_NONCE, SV_F_DEV_ID, SV_F_DEV_SERIAL, SV_F_MEAS_REQ,
	/* key-exchange: the session and the kernel's verdicts on it */
	SV_F_SESSION_ID, SV_F_RSP_VERIFY, SV_F_FINISH, SV_F_SESSION_MEAS,
	SV_NR_FIELDS
};

/* What a session-meas nest states; the rest is the key exchange's */
#define SV_SIGNED_FIELDS	(1U << SV_F_SIG_TYPE | 1U << SV_F_TRANSCRIPT | \
				 1U << SV_F_SIGNATURE | 1U << SV_F_REQ_OFF | \
				 1U << SV_F_RSP_OFF | 1U << SV_F_PREFIX | \
				 1U << SV_F_SIG_VALID | 1U << SV_F_MEAS_SPEC | \
				 1U << SV_F_MEAS_HASH)

/* sig-type */
#define SV_SIG_CHALLENGE	0
#define SV_SIG_MEASUREMENTS	1
#define SV_SIG_KEY_EXCHANGE	2

/* evidence-read objects (type-mask bits) */
#define SV_OBJ_CERT_CHAIN	1
#define SV_OBJ_VCA		2
#define SV_OBJ_CHALLENGE	4
#define SV_OBJ_MEASUREMENTS	8
#define SV_OBJ_KEY_EXCHANGE	16

#define SV_MAX_MEAS_REQ		254	/* measurement indices 1..254 */
#define SV_LOG_ENTRY_MAX	256

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
	uint8_t meas_spec;
	uint32_t meas_hash;
	uint8_t nonce[SV_NONCE_LEN];
	char dev_id[SV_ID_MAX];
	char dev_serial[SV_SERIAL_LEN + 1];
	/* indices asked for, in order; none: all */
	uint8_t meas_req[SV_MAX_MEAS_REQ];
	unsigned int nr_meas_req;
	/* the sysfs signature log entry it was read from, or "" */
	char log_entry[SV_LOG_ENTRY_MAX];
	/* key-exchange: RspSessionID << 16 | ReqSessionID, the verdicts */
	uint32_t session_id;
	uint8_t rsp_verify_valid, finish_valid;
	/* measurements signed inside the session (SV_SIGNED_FIELDS only) */
	struct sv_evidence *session_meas;
};

void sv_evidence_free(struct sv_evidence *ev);
void sv_session_meas_view(const struct sv_evidence *ke,
			  struct sv_evidence *m);
const char *sv_field_name(enum sv_field f);
const char *sv_provider_name(uint32_t provider);
const char *sv_object_name(uint32_t object);
const char *sv_sig_type_name(uint32_t sig_type);

/* ---- transcripts (transcript.c) ----------------------------------------- */

#define SV_GET_MEASUREMENTS	0xe0
#define SV_MEASUREMENTS		0x60
#define SV_MEAS_OP_COUNT	0x00
#define SV_MEAS_OP_ALL		0xff
#define SV_MAX_MEAS_MSGS	256

/* What the VCA at the start of a transcript negotiated. */
struct sv_vca {
	size_t len;			/* GET_VERSION .. ALGORITHMS */
	size_t algs, algs_len;		/* the ALGORITHMS response */
	uint8_t meas_spec;		/* MeasurementSpecificationSel */
	uint32_t meas_hash;		/* MeasurementHashAlgo */
	uint32_t asym, hash;		/* BaseAsymSel, BaseHashSel */
};

int sv_vca_parse(const uint8_t *t, size_t len, uint8_t ver,
		 struct sv_vca *vca, char *err, size_t errlen);
int sv_m1m2_walk(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		 size_t hash_len, size_t *chal, size_t *auth, char *err,
		 size_t errlen);

/* DHE groups of ALGORITHMS' DHE AlgStructure (DSP0274 table 19) */
struct sv_dhe {
	uint16_t bit;
	const char *name;		/* "secp384r1" */
	size_t len;			/* ExchangeData: D */
};

int sv_vca_dhe(const uint8_t *t, const struct sv_vca *vca,
	       const struct sv_dhe **dhe, char *err, size_t errlen);

#define SV_KEY_EXCHANGE		0xe4
#define SV_KEY_EXCHANGE_RSP	0x64
#define SV_KE_RANDOM_OFF	8	/* RandomData in both messages */

/*
 * TH1 up to KEY_EXCHANGE_RSP's signature: VCA || Hash(CertChain) ||
 * KEY_EXCHANGE || KEY_EXCHANGE_RSP; offsets into the transcript.
 */
struct sv_th1 {
	struct sv_vca vca;
	const struct sv_dhe *dhe;
	size_t cert_hash;		/* Hash(CertChain) */
	size_t ke, ke_len;		/* KEY_EXCHANGE */
	size_t rsp, rsp_len;		/* KEY_EXCHANGE_RSP */
	uint8_t summary_type, slot;	/* KEY_EXCHANGE Param1, Param2 */
	uint16_t req_session_id, rsp_session_id;
	size_t req_opaque_len, rsp_opaque_len;
};

int sv_th1_parse(const uint8_t *t, size_t len, uint8_t ver, size_t hash_len,
		 struct sv_th1 *th, char *err, size_t errlen);

/* One GET_MEASUREMENTS and its MEASUREMENTS (without a signature). */
struct sv_meas_msg {
	size_t req, req_len;
	size_t rsp, rsp_len;
	uint8_t attrs, op;		/* Param1, Param2 of the request */
	uint8_t slot_param;		/* SlotIDParam (signed, 1.1+) */
	uint8_t rsp_param1, rsp_param2;
	uint8_t nr_blocks;		/* NumberOfBlocks */
	size_t record, record_len;	/* MeasurementRecord */
	size_t nonce;			/* the response's Nonce */
	size_t opaque_len;
};

/* L1/L2 after the VCA: GET_MEASUREMENTS/MEASUREMENTS pairs, last signed. */
struct sv_l1l2 {
	size_t start;
	unsigned int n;
	struct sv_meas_msg msg[SV_MAX_MEAS_MSGS];
};

int sv_l1l2_parse(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		  struct sv_l1l2 *l, char *err, size_t errlen);

/* ---- measurement blocks (measurements.c) --------------------------------- */

#define SV_MAX_BLOCKS		512
#define SV_MEAS_SPEC_DMTF	0x01
#define SV_MEAS_RAW		0x80	/* DMTFSpecMeasurementValueType */

struct sv_block {
	uint8_t index, spec;
	bool dmtf;
	uint8_t type;			/* DMTFSpecMeasurementValueType */
	size_t value, value_len;	/* in the transcript */
	unsigned int msg;		/* in struct sv_l1l2 */
};

int sv_blocks_parse(const uint8_t *t, const struct sv_meas_msg *m,
		    unsigned int msg, struct sv_block *out, unsigned int *n,
		    unsigned int max, char *err, size_t errlen);
const char *sv_meas_type_name(uint8_t type);

/* --expect FILE: "INDEX HEX" lines */
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

/*
 * An entry of the sysfs signature log: what its files say beyond the
 * evidence, and how the rest was derived from the signed bytes.
 */
struct sv_log {
	char type[32];			/* "challenge", "measurements", ... */
	bool derived;			/* algorithms and offsets found */
	bool asym_from_key;		/* not signed: from the leaf key */
	char how[300];			/* how, if derived */
	char why[300];			/* why not, otherwise */
	struct sv_buf req_nonce, rsp_nonce;	/* the files */
};

struct sv_trust {
	X509_STORE *store;
	struct stack_st_X509 *anchors;
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
size_t sv_chain_info(const struct sv_buf *chain, size_t hash_len,
		     int *nr_certs, char *leaf, size_t leaflen);
int sv_trust_init(struct sv_trust *t);
int sv_trust_add(struct sv_trust *t, const char *path, char *err,
		 size_t errlen);
void sv_trust_free(struct sv_trust *t);

/* ---- device identity ---------------------------------------------------- */

int sv_pci_identity(const char *dev, char *id, size_t idlen, char *serial,
		    size_t seriallen, char *err, size_t errlen);

/* ---- sysfs signature log (log.c) ------------------------------------------ */

int sv_log_read(const char *dir, struct sv_evidence *ev, struct sv_log *log,
		char *err, size_t errlen);
void sv_log_free(struct sv_log *log);
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
	struct sv_collect *meas;	/* the session-meas nest */
	bool nested;			/* this is one */
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
int sv_nl_signed(struct sv_nl *nl, uint8_t cmd, const char *dev,
		 const uint8_t nonce[SV_NONCE_LEN], int slot,
		 const uint8_t *indices, unsigned int nr_indices,
		 struct sv_evidence *ev, struct sv_nlerr *e);
/* 1: the family has operation @cmd, 0: it has not, -1: cannot tell */
int sv_nl_has_op(struct sv_nl *nl, uint8_t cmd);

/* Called for each complete object of a dump (non-zero: stop), or event. */
typedef int (*sv_object_cb)(struct sv_evidence *ev, void *arg);

int sv_nl_dump(struct sv_nl *nl, const char *dev, const uint8_t *nonce,
	       uint32_t type_mask, sv_object_cb cb, void *arg,
	       struct sv_nlerr *e);
/*
 * Waits up to @timeout_ms (-1: forever) for events; returns how many were
 * handled (0: timeout or signal), -1 on error.
 */
int sv_nl_watch(struct sv_nl *nl, int timeout_ms, sv_object_cb cb,
		void *arg, struct sv_nlerr *e);

#endif /* SPDM_VERIFY_H */
