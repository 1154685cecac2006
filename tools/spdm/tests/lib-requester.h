/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A careful SPDM requester for the host tests: speaks the SPDM socket
 * protocol (PCI_DOE) to a responder, keeps its own transcript, checks
 * every field of every response and verifies CHALLENGE_AUTH signatures
 * with OpenSSL.  Written from DSP0274, independently of the responder's
 * code, so the two check each other.
 */
#ifndef SPDM_TESTS_LIB_REQUESTER_H
#define SPDM_TESTS_LIB_REQUESTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"

#define RQ_MAX_MSG		(70 * 1024)
#define RQ_SLOTS		8

/* SPDM codes the tests use */
#define RQ_GET_DIGESTS		0x81
#define RQ_GET_CERTIFICATE	0x82
#define RQ_CHALLENGE		0x83
#define RQ_GET_VERSION		0x84
#define RQ_GET_CAPABILITIES	0xe1
#define RQ_NEGOTIATE_ALGS	0xe3
#define RQ_GET_MEASUREMENTS	0xe0
#define RQ_RESPOND_IF_READY	0xff
#define RQ_CHUNK_GET		0x86
#define RQ_CHUNK_RESPONSE	0x06
#define RQ_DIGESTS		0x01
#define RQ_CERTIFICATE		0x02
#define RQ_CHALLENGE_AUTH	0x03
#define RQ_VERSION		0x04
#define RQ_CAPABILITIES		0x61
#define RQ_ALGORITHMS		0x63
#define RQ_MEASUREMENTS		0x60
#define RQ_ERROR		0x7f

#define RQ_ERR_INVALID_REQUEST	0x01
#define RQ_ERR_BUSY		0x03
#define RQ_ERR_UNEXPECTED	0x04
#define RQ_ERR_UNSPECIFIED	0x05
#define RQ_ERR_UNSUPPORTED	0x07
#define RQ_ERR_SESSION_REQUIRED	0x0b
#define RQ_ERR_TOO_LARGE	0x0d
#define RQ_ERR_LARGE_RESPONSE	0x0f
#define RQ_ERR_VERSION_MISMATCH	0x41
#define RQ_ERR_NOT_READY	0x42
#define RQ_ERR_RESYNCH		0x43

/* BaseAsymAlgo / BaseHashAlgo bits */
#define RQ_RSASSA_2048		(1U << 0)
#define RQ_RSAPSS_2048		(1U << 1)
#define RQ_RSASSA_3072		(1U << 2)
#define RQ_RSAPSS_3072		(1U << 3)
#define RQ_ECDSA_P256		(1U << 4)
#define RQ_RSASSA_4096		(1U << 5)
#define RQ_RSAPSS_4096		(1U << 6)
#define RQ_ECDSA_P384		(1U << 7)
#define RQ_ECDSA_P521		(1U << 8)
#define RQ_ASYM_ALL		0x1ff
#define RQ_ML_DSA_44		(1U << 0)	/* PqcAsymAlgo (1.4) */
#define RQ_ML_DSA_65		(1U << 1)
#define RQ_ML_DSA_87		(1U << 2)
#define RQ_ML_DSA_ALL		0x7
#define RQ_SHA256		(1U << 0)
#define RQ_SHA384		(1U << 1)
#define RQ_SHA512		(1U << 2)
#define RQ_HASH_ALL		0x7

/* Measurements: CAPABILITIES MEAS_CAP, MeasurementHashAlgo, requests */
#define RQ_MEAS_CAP(flags)	(((flags) >> 3) & 3)	/* 1 no sig, 2 sig */
#define RQ_MEAS_HASH_RAW	(1U << 0)
#define RQ_MEAS_HASH_SHA256	(1U << 1)
#define RQ_MEAS_HASH_SHA384	(1U << 2)
#define RQ_MEAS_HASH_SHA512	(1U << 3)
#define RQ_MEAS_SIG		0x01	/* SignatureRequested */
#define RQ_MEAS_RAW		0x02	/* RawBitStreamRequested (1.2+) */
#define RQ_MEAS_OP_COUNT	0x00
#define RQ_MEAS_OP_ALL		0xff
#define RQ_MEAS_MAX_BLOCKS	254
#define RQ_MEAS_TYPE_RAW	0x80	/* DMTFSpecMeasurementValueType bit 7 */
#define RQ_SUMMARY_TCB		0x01
#define RQ_SUMMARY_ALL		0xff

/* How the requester behaves; set before rq_vca(). */
struct rq_opts {
	uint8_t max_version;	/* highest version to pick (default 1.3) */
	uint8_t version;	/* use exactly this one (0: highest common) */
	uint32_t asym, hash;	/* offered BaseAsymAlgo / BaseHashAlgo */
	uint8_t other_params;	/* OtherParamsSupport (1.2+) */
	unsigned int alg_structs; /* ReqAlgStructs sent (1.1+, 0-4) */
	uint32_t flags;		/* requester capability flags (1.1+) */
	uint32_t dts;		/* DataTransferSize (1.2+) */
	uint32_t max_msg;	/* MaxSPDMmsgSize (1.2+, 0: dts) */
	bool no_chunk_get;	/* leave ERROR(LargeResponse) to the caller */
	unsigned int chunk;	/* GET_CERTIFICATE Length per request */
	bool recover;		/* retry Busy, follow ResponseNotReady */
	unsigned int ct_check;	/* fail if CHALLENGE takes > 2^ct_check us */
	uint16_t dhe, aead;	/* DHE / AEAD AlgSupported offered (0: 0x18 / 0x02) */
	/* SPDM 1.4 (set max_version or version to 0x14 to get it) */
	uint32_t pqc;		/* PqcAsymAlgo offered (ML-DSA: OpenSSL 3.5+) */
	bool pqc_structs;	/* AlgStructs 6 and 7 too */
	uint16_t finish_opaque;	/* FINISH OpaqueData: so many 0x5a */
};

struct rq {
	int fd;
	struct rq_opts o;
	char err[512];		/* why the last call failed */
	uint8_t error_code;	/* of the last ERROR received (0: none) */
	uint8_t error_data;
	unsigned int busy_seen, not_ready_seen;
	unsigned int chunks;	/* CHUNK_RESPONSEs of the last large response */
	size_t large_len;	/* its LargeMessageSize */

	/* negotiated */
	uint8_t version;
	uint8_t ct_exponent;
	uint32_t rsp_flags, rsp_dts, rsp_max_msg;
	uint32_t asym, hash;
	uint32_t pqc;			/* PqcAsymSel (1.4) */
	size_t hash_len, sig_len;
	/* tests: verify ML-DSA with this context string, not the right one */
	const char *mldsa_ctx;
	uint8_t provisioned, supported;
	uint8_t digest[RQ_SLOTS][64];
	uint8_t *chain[RQ_SLOTS];
	size_t chain_len[RQ_SLOTS];
	uint8_t last_nonce[32];		/* responder nonce of the last CHALLENGE_AUTH */
	uint8_t meas_spec;		/* MeasurementSpecificationSel */
	uint32_t meas_hash;		/* MeasurementHashAlgo */
	size_t meas_hash_len;		/* 0: raw bit streams only */
	bool challenged;		/* a CHALLENGE completed (M1/M2 rules) */
	uint16_t dhe, aead, key_sched;	/* RespAlgStruct selections */

	/* transcript as the requester keeps it */
	struct msg a, b;

	/* the last response, as received (DOE padding included) */
	uint8_t rsp[RQ_MAX_MSG];
	size_t rsp_len;
};

void rq_opts_default(struct rq_opts *o);
int rq_open(struct rq *r, unsigned int port, const struct rq_opts *o);
void rq_close(struct rq *r);

int rq_xchg(struct rq *r, const void *req, size_t len);
bool rq_expect_error(struct rq *r, const uint8_t *req, size_t len,
		     uint8_t code);
int rq_doe_xchg(struct rq *r, uint8_t type, const void *req, size_t len,
		uint8_t *rsp_type);
int rq_request(struct rq *r, const uint8_t *req, size_t len, uint8_t code);

int rq_get_version(struct rq *r);
int rq_get_capabilities(struct rq *r);
int rq_negotiate_algorithms(struct rq *r);
int rq_vca(struct rq *r);
int rq_get_digests(struct rq *r);
int rq_get_certificate(struct rq *r, unsigned int slot);
int rq_challenge(struct rq *r, unsigned int slot, const uint8_t *context);
int rq_authenticate(struct rq *r, unsigned int slot);

/* One DMTF measurement block of the last MEASUREMENTS (in r->rsp). */
struct rq_meas_block {
	uint8_t index;
	uint8_t spec;			/* MeasurementSpecification */
	uint8_t type;			/* DMTFSpecMeasurementValueType */
	const uint8_t *value;
	size_t value_len;
	const uint8_t *block;		/* the whole block */
	size_t block_len;
};

/* A GET_MEASUREMENTS request and its checked MEASUREMENTS response. */
struct rq_meas {
	uint8_t req[48];		/* the request as sent */
	size_t req_len;
	uint8_t total;			/* Param1 of operation 0 */
	uint8_t param2;			/* SlotID, MeasurementContentChanged */
	unsigned int nr_blocks;
	struct rq_meas_block block[RQ_MEAS_MAX_BLOCKS];
	const uint8_t *nonce;		/* the responder's */
	size_t signed_len;		/* response without the Signature */
	const uint8_t *sig;		/* NULL if not requested */
};

int rq_meas_request(struct rq *r, uint8_t attrs, uint8_t op, uint8_t slot,
		    const uint8_t *context, struct rq_meas *m);
int rq_get_measurements(struct rq *r, uint8_t attrs, uint8_t op,
			uint8_t slot, const uint8_t *context, struct rq_meas *m);
int rq_challenge_summary(struct rq *r, unsigned int slot, uint8_t type,
			 const uint8_t *context, uint8_t *summary);
int rq_verify_transcript(struct rq *r, unsigned int slot, const char *context,
			 const uint8_t *t, size_t len, const uint8_t *sig);
int rq_hash(uint32_t hash, const void *data, size_t len, uint8_t *out);

/*
 * Secure sessions (DSP0274 KEY_EXCHANGE/FINISH, DSP0277 secured messages
 * over PCIe DOE type 2), implemented from the specifications for the
 * tests: own HKDF (HMAC, RFC 5869), ECDH and AEAD with OpenSSL.
 */
#define RQ_KEY_EXCHANGE		0xe4
#define RQ_FINISH		0xe5
#define RQ_HEARTBEAT		0xe8
#define RQ_KEY_UPDATE		0xe9
#define RQ_END_SESSION		0xec
#define RQ_KEY_EXCHANGE_RSP	0x64
#define RQ_FINISH_RSP		0x65
#define RQ_HEARTBEAT_ACK	0x68
#define RQ_KEY_UPDATE_ACK	0x69
#define RQ_END_SESSION_ACK	0x6c
#define RQ_ERR_DECRYPT		0x06

#define RQ_CAP_ENCRYPT		(1U << 6)
#define RQ_CAP_MAC		(1U << 7)
#define RQ_CAP_KEY_EX		(1U << 9)
#define RQ_CAP_HBEAT		(1U << 13)
#define RQ_CAP_KEY_UPD		(1U << 14)
#define RQ_CAP_HS_CLEAR		(1U << 15)
#define RQ_CAP_CHUNK		(1U << 17)
#define RQ_CAP_SESSION		(RQ_CAP_ENCRYPT | RQ_CAP_MAC | RQ_CAP_KEY_EX | \
				 RQ_CAP_HBEAT | RQ_CAP_KEY_UPD)
#define RQ_DHE_SECP256R1	(1U << 3)
#define RQ_DHE_SECP384R1	(1U << 4)
#define RQ_AEAD_AES_128_GCM	(1U << 0)
#define RQ_AEAD_AES_256_GCM	(1U << 1)
#define RQ_AEAD_CHACHA20	(1U << 2)

#define RQ_KU_UPDATE_KEY	1
#define RQ_KU_UPDATE_ALL	2
#define RQ_KU_VERIFY		3

struct rq_keys {
	uint8_t secret[64];
	uint8_t key[32];
	uint8_t iv[12];
	uint64_t seq;
};

struct rq_session {
	uint32_t id;			/* (RspSessionID << 16) | ReqSessionID */
	uint16_t req_id, rsp_id;
	unsigned int slot;
	bool clear;			/* handshake in the clear */
	bool mac_only;
	bool established;
	uint16_t secured_version;	/* DSP0277 version the responder chose */
	uint8_t heartbeat_period;
	struct msg th;
	uint8_t handshake_secret[64], req_finished[64], rsp_finished[64];
	uint8_t th1[64], th2[64];	/* Hash(TH1), Hash(TH2) */
	uint8_t summary[64];		/* MeasurementSummaryHash, if asked */
	struct rq_keys req, rsp;
	uint8_t rsp_type;		/* DOE type of the last response */
	uint8_t tag;			/* next KEY_UPDATE tag */
};

int rq_key_exchange(struct rq *r, struct rq_session *s, unsigned int slot,
		    uint8_t summary_type, uint16_t req_id);
int rq_finish(struct rq *r, struct rq_session *s);
int rq_session_start(struct rq *r, struct rq_session *s, unsigned int slot);
int rq_secured(struct rq *r, struct rq_session *s, const uint8_t *req,
	       size_t len, uint8_t code);
int rq_heartbeat(struct rq *r, struct rq_session *s);
int rq_key_update(struct rq *r, struct rq_session *s, uint8_t op);
int rq_end_session(struct rq *r, struct rq_session *s);
void rq_session_free(struct rq_session *s);

/* the primitives, for known-answer tests */
int rq_hkdf_extract(uint32_t hash, const uint8_t *salt, size_t salt_len,
		    const uint8_t *ikm, size_t ikm_len, uint8_t *prk);
int rq_hkdf_expand(uint32_t hash, const uint8_t *prk, const uint8_t *info,
		   size_t info_len, uint8_t *out, size_t len);
int rq_record_seal(uint16_t aead, bool mac_only, const struct rq_keys *k,
		   uint32_t id, size_t seq_len, const uint8_t *msg, size_t len,
		   uint8_t *out, size_t *out_len);

/*
 * Large responses (1.2+): with RQ_CAP_CHUNK in o.flags, rq_request() and
 * rq_secured() fetch a response announced by ERROR(LargeResponse) with
 * CHUNK_GET (unless o.no_chunk_get) and check every CHUNK_RESPONSE; the
 * reassembled response lands in r->rsp.  rq_chunk_get() sends one
 * CHUNK_GET (@s: in that session, else in the clear), the raw response
 * in r->rsp: 6 bytes with a u16 ChunkSeqNo, from 1.4 on 8 with a u32.
 */
int rq_chunk_get(struct rq *r, struct rq_session *s, uint8_t handle,
		 uint32_t seq);

bool rq_failed_with(const struct rq *r, const char *needle);

/* Why this build cannot verify ML-DSA signatures, NULL if it can. */
const char *rq_mldsa_unsupported(void);

#endif /* SPDM_TESTS_LIB_REQUESTER_H */
