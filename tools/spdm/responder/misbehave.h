/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Misbehaviour switches: per-device faults the reliability tests ask for.
 *
 * A switch is NAME[=VALUE][@CODE]; @CODE limits it to one request code.
 * Generic switches act in the send path (misbehave_before/after); a switch
 * that only makes sense for one response (bad-version) is looked up by that
 * response's handler with misbehave_get().  To add one: extend enum
 * misbehave_id and the table in misbehave.c, then act on it where it
 * belongs.
 */
#ifndef SPDM_RESPONDER_MISBEHAVE_H
#define SPDM_RESPONDER_MISBEHAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct msg;
struct spdm_action;
struct spdm_device;
struct spdm_request;

enum misbehave_id {
	MB_TRUNCATE,		/* cut the response short */
	MB_OVERLONG,		/* append garbage to the response */
	MB_ERROR,		/* answer with ERROR(value) instead */
	MB_STALL,		/* ResponseNotReady for ever */
	MB_BUSY_ONCE,		/* ERROR(Busy), then answer the retry */
	MB_REQUEST_RESYNCH,	/* ERROR(RequestResynch), value times */
	MB_BAD_VERSION,		/* VERSION lists an unconfigured version */
	MB_UNSUPPORTED_VERSION,	/* VERSION lists only 0.9 and 2.0 */
	MB_ALG_NOT_OFFERED,	/* ALGORITHMS selects an unoffered bit */
	MB_ALG_MULTIPLE,	/* ALGORITHMS selects two bits */
	MB_ALG_PQC_BOTH,	/* 1.4: BaseAsymSel and PqcAsymSel both set */
	MB_ALG_PQC_NOT_OFFERED,	/* 1.4: PqcAsymSel not offered */
	MB_DIGEST_MISMATCH,	/* DIGESTS does not match the chains */
	MB_CERT_MISMATCH,	/* CERTIFICATE serves an altered leaf */
	MB_WRONG_CHAIN_HASH,	/* CHALLENGE_AUTH CertChainHash altered */
	MB_WRONG_NONCE,		/* sign another nonce / echo another context */
	MB_WRONG_TRANSCRIPT,	/* sign a transcript the requester lacks */
	MB_BAD_SIGNATURE,	/* flip a signature byte */
	MB_DELAY,		/* answer value ms late */
	MB_SLOW,		/* answer value x CT late */
	MB_DROP,		/* close the connection instead of answering */
	MB_MEAS_BAD_SIG,	/* flip a MEASUREMENTS signature byte */
	MB_MEAS_INDEX_MISMATCH,	/* block Index is not the requested one */
	MB_MEAS_DUP_INDEX,	/* two blocks with the same Index */
	MB_MEAS_LEN_LIE,	/* MeasurementSize overruns the record */
	MB_MEAS_EXTRA_BLOCK,	/* one block more than NumberOfBlocks */
	MB_MEAS_RECORD_LEN_LIE,	/* MeasurementRecordLength one too large */
	MB_MEAS_BAD_SPEC,	/* blocks not in the DMTF format */
	MB_MEAS_SUMMARY_MISMATCH, /* MeasurementSummaryHash altered */
	MB_MEAS_WRONG_NONCE,	/* sign another nonce / echo another context */
	MB_MEAS_WRONG_TRANSCRIPT, /* sign an L1/L2 the requester lacks */
	MB_KE_BAD_SIG,		/* flip a KEY_EXCHANGE_RSP signature byte */
	MB_KE_BAD_VERIFY,	/* flip a ResponderVerifyData byte */
	MB_KE_MUT_AUTH,		/* MutAuthRequested, unasked */
	MB_FINISH_NO_OPAQUE,	/* 1.4 FINISH_RSP in the 1.3 layout */
	MB_SM_BAD_MAC,		/* flip a MAC byte of a secured response */
	MB_SM_REPLAY,		/* send the previous secured record again */
	MB_SM_WRONG_SESSION,	/* secured response under another SessionID */
	MB_SM_UNANNOUNCED_KEY_UPDATE, /* new response keys, unasked */
	MB_SM_CLEAR,		/* answer a secured request in the clear */
	MB_CHUNK_BAD_HANDLE,	/* CHUNK_RESPONSE carries another Handle */
	MB_CHUNK_BAD_SEQ,	/* ChunkSeqNo one more than asked */
	MB_CHUNK_SIZE_LIE,	/* LargeMessageSize one more than the message */
	MB_CHUNK_NO_LAST,	/* the last chunk lacks LastChunk */
	MB_CHUNK_OVERFLOW,	/* ChunkSize one more than the chunk */
	MB_CHUNK_SEQ_HIGH,	/* 1.4: ChunkSeqNo upper half set */
	MB_NR
};

/* Values of the switches that take a word (stored as its index). */
enum { MBW_ASYM, MBW_HASH };			/* alg-not-offered, alg-multiple */
enum { MBW_NO_VCA, MBW_NO_B, MBW_PREFIX };	/* wrong-transcript */
enum { MBW_BOTH, MBW_NONCE, MBW_CONTEXT };	/* (meas-)wrong-nonce */
enum { MBW_M_NO_VCA, MBW_M_PREFIX, MBW_M_LAST_ONLY }; /* meas-wrong-transcript */

#define MB_ALL_CODES	(-1)

struct misbehave_switch {
	bool on;
	bool has_value;
	unsigned long value;
	int only_code;		/* request code, or MB_ALL_CODES */
};

struct misbehave_set {
	struct misbehave_switch sw[MB_NR];
};

void misbehave_clear(struct misbehave_set *set);
int misbehave_parse(const char *list, struct misbehave_set *set,
		    char *err, size_t errlen);
void misbehave_format(const struct misbehave_set *set, char *buf, size_t len);
void misbehave_help(FILE *f);

/*
 * The switch @id if it is on for request @code, else NULL.  Inline: the
 * handlers and the helpers below them look switches up, and misbehave.c
 * sits above them (misbehave_before() resets the connection).
 */
static inline const struct misbehave_switch *
misbehave_get(const struct misbehave_set *set, enum misbehave_id id,
	      unsigned int code)
{
	const struct misbehave_switch *sw = &set->sw[id];

	if (!sw->on)
		return NULL;
	if (sw->only_code != MB_ALL_CODES && (unsigned int)sw->only_code != code)
		return NULL;
	return sw;
}

int misbehave_before(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp, struct spdm_action *act);
int misbehave_after(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, struct spdm_action *act);

#endif /* SPDM_RESPONDER_MISBEHAVE_H */
