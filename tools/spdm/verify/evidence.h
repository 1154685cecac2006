/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, model layer: the evidence object (what the kernel sent
 * and what the verifier knew), how it is read from netlink attributes,
 * from an entry of the sysfs signature log and from a JSON bundle, and
 * how it is written out as JSON.  Depends on the protocol layer
 * (spdm.h) and the JSON codec, never on the checks: a verifier adds its
 * findings to a bundle through struct sv_bundle_notes.
 */
#ifndef SPDM_VERIFY_EVIDENCE_H
#define SPDM_VERIFY_EVIDENCE_H

#include "json.h"
#include "spdm.h"

#define SV_DEV_NAME_MAX		64
#define SV_ID_MAX		128	/* CMA identity string */
#define SV_SERIAL_LEN		16	/* Device Serial Number, hex */
/*
 * Largest object accepted: SPDM chains stop at 64 KiB, transcripts a
 * little above; anything near this limit is garbage.
 */
#define SV_MAX_OBJECT		(16U << 20)

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
	/* evidence-read: the evidence generation, an object's digest */
	SV_F_GENERATION, SV_F_DIGEST,
	/* SPDM 1.4: the PqcAsymAlgo selected instead of a BaseAsymAlgo */
	SV_F_PQC_ASYM,
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

/* evidence-read objects (the PCI/TSM model); type-mask bit N: object N */
#define SV_OBJ_CERT0		0	/* .. SV_OBJ_CERT0 + 7: slot 0..7 */
#define SV_OBJ_CERT7		7
#define SV_OBJ_VCA		8
#define SV_OBJ_MEASUREMENTS	9
#define SV_OBJ_REPORT		10	/* latest challenge or key exchange */
#define SV_NR_OBJS		11
#define SV_OBJ_BIT(o)		(1U << (o))
#define SV_OBJ_CERTS		0xffU	/* type-mask of cert0..cert7 */
#define SV_IS_CERT(o)		((o) <= SV_OBJ_CERT7)
/* evidence-read flags */
#define SV_FLAG_DIGEST		1

#define SV_LOG_ENTRY_MAX	256

#define SV_HAVE(ev, f)	(((ev)->have >> (f)) & 1)

/* What the kernel sent (and, for bundles, what the verifier knew). */
struct sv_evidence {
	uint32_t have;			/* 1 << SV_F_* */
	char dev_name[SV_DEV_NAME_MAX];
	uint32_t provider, sig_type, object;
	uint8_t version, slot;
	uint32_t asym, hash;
	uint32_t pqc_asym;		/* PqcAsymAlgo bit, SPDM 1.4; 0: none */
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
	/* evidence-read: generation of the evidence, digest of the object */
	uint32_t generation;
	struct sv_buf digest;
	/* measurements signed inside the session (SV_SIGNED_FIELDS only) */
	struct sv_evidence *session_meas;
};

void sv_evidence_free(struct sv_evidence *ev);
const struct sv_asym *sv_evidence_asym(const struct sv_evidence *ev);
void sv_session_meas_view(const struct sv_evidence *ke,
			  struct sv_evidence *m);
const char *sv_field_name(enum sv_field f);
const char *sv_provider_name(uint32_t provider);
const char *sv_object_name(uint32_t object);
const char *sv_sig_type_name(uint32_t sig_type);

/* ---- the sysfs signature log (log.c) ------------------------------------ */

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

int sv_log_read(const char *dir, struct sv_evidence *ev, struct sv_log *log,
		char *err, size_t errlen);
void sv_log_free(struct sv_log *log);

/* ---- device identity (device.c) ----------------------------------------- */

int sv_pci_identity(const char *dev, char *id, size_t idlen, char *serial,
		    size_t seriallen, char *err, size_t errlen);
int sv_split_identity(const char *s, char *id, size_t idlen, char *serial,
		      size_t seriallen);

/* ---- bundles (bundle-read.c, bundle-write.c) ----------------------------- */

#define SV_BUNDLE_FORMAT	"spdm-evidence"
#define SV_BUNDLE_VERSION	1

/*
 * What a verifier found, written with the evidence and never read back:
 * the nonces it found in the transcript, and its own members, written
 * after the kernel's verdicts (@decoded, e.g. measurement blocks: @ev is
 * the evidence they index into) and last (@verdict).  @session_meas: the
 * same for the measurements signed in the session.  NULL pointers: none.
 */
struct sv_bundle_notes {
	const uint8_t *req_nonce, *rsp_nonce;
	void (*decoded)(struct sv_jw *w, const struct sv_evidence *ev,
			const void *arg);
	void (*verdict)(struct sv_jw *w, const void *arg);
	const void *arg;
	const struct sv_bundle_notes *session_meas;
};

void sv_evidence_write(struct sv_jw *w, const char *key,
		       const struct sv_evidence *ev,
		       const struct sv_bundle_notes *notes);
int sv_bundle_read(const char *text, size_t len, struct sv_evidence *ev,
		   char *err, size_t errlen);

/* ---- netlink attributes (nlparse.c) ------------------------------------- */

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
int sv_generation(struct nlattr *head, int len, uint32_t *generation);

#endif /* SPDM_VERIFY_EVIDENCE_H */
