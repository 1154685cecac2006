/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM (DMTF DSP0274) message layer of the software responder: protocol
 * constants, per-device state, the request as handlers see it and the
 * helpers below the handlers.  The handlers themselves are declared in
 * handlers.h, for the dispatch table only.
 */
#ifndef SPDM_RESPONDER_SPDM_H
#define SPDM_RESPONDER_SPDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "certs.h"
#include "crypto.h"
#include "log.h"
#include "measurements.h"
#include "misbehave.h"
#include "msg.h"
#include "session.h"

/* Every SPDM message starts with SPDMVersion, code, Param1, Param2. */
#define SPDM_HDR_LEN			4

/* SPDMVersion byte: major in bits 7:4, minor in bits 3:0 */
#define SPDM_VER_10			0x10
#define SPDM_VER_11			0x11
#define SPDM_VER_12			0x12
#define SPDM_VER_13			0x13
#define SPDM_VER_14			0x14

/* Request codes (DSP0274) */
#define SPDM_GET_DIGESTS		0x81
#define SPDM_GET_CERTIFICATE		0x82
#define SPDM_CHALLENGE			0x83
#define SPDM_GET_VERSION		0x84
#define SPDM_CHUNK_SEND			0x85
#define SPDM_CHUNK_GET			0x86
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_KEY_EXCHANGE		0xe4
#define SPDM_FINISH			0xe5
#define SPDM_PSK_EXCHANGE		0xe6
#define SPDM_PSK_FINISH			0xe7
#define SPDM_HEARTBEAT			0xe8
#define SPDM_KEY_UPDATE			0xe9
#define SPDM_GET_ENCAPSULATED_REQUEST	0xea
#define SPDM_DELIVER_ENCAPSULATED_RSP	0xeb
#define SPDM_END_SESSION		0xec
#define SPDM_GET_CSR			0xed
#define SPDM_SET_CERTIFICATE		0xee
#define SPDM_VENDOR_DEFINED_REQUEST	0xfe
#define SPDM_RESPOND_IF_READY		0xff

/* Response codes */
#define SPDM_DIGESTS			0x01
#define SPDM_CERTIFICATE		0x02
#define SPDM_CHALLENGE_AUTH		0x03
#define SPDM_VERSION			0x04
#define SPDM_CHUNK_RESPONSE		0x06	/* 1.2+ */
#define SPDM_MEASUREMENTS		0x60
#define SPDM_CAPABILITIES		0x61
#define SPDM_ALGORITHMS			0x63
#define SPDM_KEY_EXCHANGE_RSP		0x64
#define SPDM_FINISH_RSP			0x65
#define SPDM_HEARTBEAT_ACK		0x68
#define SPDM_KEY_UPDATE_ACK		0x69
#define SPDM_END_SESSION_ACK		0x6c
#define SPDM_ERROR			0x7f

/* ErrorCode values of the ERROR response (DSP0274) */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_INVALID_SESSION	0x02	/* 1.1 only; see doe.c */
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_DECRYPT_ERROR		0x06
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_SESSION_LIMIT		0x0a	/* 1.1+ SessionLimitExceeded */
#define SPDM_ERR_SESSION_REQUIRED	0x0b	/* 1.2+ */
#define SPDM_ERR_RESPONSE_TOO_LARGE	0x0d	/* 1.2+ */
#define SPDM_ERR_LARGE_RESPONSE		0x0f	/* 1.2+ */
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43

/* VersionNumberEntry: major 15:12, minor 11:8, update 7:4, alpha 3:0 */
#define SPDM_VNE(major, minor)		((uint16_t)((major) << 12 | (minor) << 8))
#define SPDM_VNE_TO_BYTE(vne)		((uint8_t)((vne) >> 8))
#define SPDM_MAX_VERSIONS		16

struct spdm_version_set {
	uint16_t entry[SPDM_MAX_VERSIONS];	/* ascending, no duplicates */
	unsigned int count;
};

/* GET_CAPABILITIES / CAPABILITIES Flags (DSP0274 1.3 tables 11, 12) */
#define SPDM_CAP_CACHE			(1U << 0)
#define SPDM_CAP_CACHE			(1U << 0)
#define SPDM_CAP_CERT			(1U << 1)
#define SPDM_CAP_CHAL			(1U << 2)
#define SPDM_CAP_MEAS_MASK		(3U << 3)
#define SPDM_CAP_MEAS_FRESH		(1U << 5)
#define SPDM_CAP_ENCRYPT		(1U << 6)
#define SPDM_CAP_MAC			(1U << 7)
#define SPDM_CAP_MUT_AUTH		(1U << 8)
#define SPDM_CAP_KEY_EX			(1U << 9)
#define SPDM_CAP_PSK_SHIFT		10	/* 2 bits */
#define SPDM_CAP_ENCAP			(1U << 12)
#define SPDM_CAP_HBEAT			(1U << 13)
#define SPDM_CAP_KEY_UPD		(1U << 14)
#define SPDM_CAP_HANDSHAKE_CLEAR	(1U << 15)
#define SPDM_CAP_PUB_KEY_ID		(1U << 16)
#define SPDM_CAP_CHUNK			(1U << 17)	/* 1.2 */
#define SPDM_CAP_EP_INFO_SHIFT		22		/* 1.3, 2 bits */
#define SPDM_CAP_EVENT			(1U << 25)	/* 1.3 */
#define SPDM_CAP_MULTI_KEY_SHIFT	26		/* 1.3, 2 bits */
/*
 * 1.4: bit 31 LARGE_RESP_CAP (the 16-byte LargeCertChain form of
 * GET_CERTIFICATE), which we never set, and in the responder's Flags
 * bit 30 SET_KEY_PAIR_RESET_CAP; the CAPABILITIES bytes 6-7, reserved
 * before, are ExtFlags (none of ours defined: 0).
 */
#define SPDM_CAP_LARGE_RESP		(1U << 31)	/* 1.4 */

#define SPDM_MIN_DATA_TRANSFER_SIZE	42	/* 1.2 */
#define SPDM_DEFAULT_DATA_TRANSFER_SIZE	4096
/* MaxSPDMmsgSize of a device with ML-DSA keys, unless max-msg-size= */
#define SPDM_PQC_MAX_MSG_SIZE		65536
#define SPDM_DEFAULT_CT_EXPONENT	12	/* 2^12 us = 4 ms */
#define SPDM_MAX_SLOTS			8
#define SPDM_NONCE_LEN			32
#define SPDM_REQ_CONTEXT_LEN		8	/* 1.3 RequesterContext */

/* Where the connection is in DSP0274's message ordering. */
enum spdm_conn_state {
	SPDM_CONN_IDLE,			/* no GET_VERSION yet */
	SPDM_CONN_AFTER_VERSION,	/* VERSION sent */
	SPDM_CONN_AFTER_CAPS,		/* CAPABILITIES sent */
	SPDM_CONN_NEGOTIATED,		/* ALGORITHMS sent */
};

/*
 * pqc-first=: when a 1.4 requester offers a BaseAsymAlgo and a
 * PqcAsymAlgo that both have a key of ours, which one ALGORITHMS selects
 */
enum spdm_pqc_first {
	SPDM_PQC_FIRST_AUTO,	/* PQC if the lowest slot's key is ML-DSA */
	SPDM_PQC_FIRST_YES,	/* PqcAsymAlgo */
	SPDM_PQC_FIRST_NO,	/* BaseAsymAlgo, as DMTF libspdm by default */
};

/* What a --port asks for beyond versions and misbehaviours. */
struct spdm_dev_config {
	const char *certs_dir;			/* default chain of every slot */
	const char *slot_dir[SPDM_MAX_SLOTS];	/* per-slot chains */
	uint8_t slot_mask;			/* provisioned slots */
	bool slot_mask_set;			/* given, not the default */
	uint32_t hash_mask;			/* BaseHashAlgo bits supported */
	uint8_t ct_exponent;
	uint32_t data_transfer_size;
	uint32_t max_msg_size;			/* 0: data_transfer_size */
	struct spdm_meas_config meas;
	enum spdm_session_mode session;		/* session= */
	uint16_t dhe_mask;			/* dhe= */
	uint16_t aead_mask;			/* aead= */
	uint8_t heartbeat_period;		/* heartbeat= (seconds) */
	const char *keylog;			/* keylog= */
	const char *identity_file;		/* identity= */
	bool cache_cap;				/* cache= */
	enum spdm_pqc_first pqc_first;		/* pqc-first= */
};

/*
 * identity= (identity.c): a file naming the chain and key that replace
 * certs= in the slots serving it, re-read when it changes.
 */
struct spdm_identity {
	char *file;				/* NULL: no identity= */
	const struct spdm_cert_set *certs;	/* certs=, the default */
	uint8_t slots;				/* the slots serving certs= */
	struct spdm_cert_set *cur;		/* served instead, NULL: none */
	struct spdm_cert_set *next;		/* waits for GET_VERSION */
	bool next_set;				/* @next is valid (NULL: @certs) */
	bool missing;				/* @file was found missing */
	int stat_errno;				/* stat() failed with it, logged */
	bool stat_valid;			/* @file's identity below is known */
	dev_t st_dev;
	ino_t st_ino;
	off_t st_size;
	long long st_mtime_ns;
	unsigned long switches;			/* identity changes */
};

/* A ResponseNotReady the requester may collect with RESPOND_IF_READY. */
struct spdm_not_ready {
	bool pending;
	uint8_t code;			/* the deferred request's code */
	uint8_t token;
	struct msg req;			/* the deferred request */
};

/* A response too large for one message, waiting for CHUNK_GET (1.2+). */
struct spdm_large_rsp {
	bool pending;
	uint8_t handle;
	uint8_t code;			/* the request it answers */
	uint32_t seq;			/* ChunkSeqNo expected next */
	size_t sent;			/* bytes of @rsp sent so far */
	uint32_t session_id;		/* its session, 0: none */
	struct msg rsp;
};

/* One emulated device: one per TCP port, kept across connections. */
struct spdm_device {
	unsigned int index;		/* position in --port order */
	unsigned int port;		/* TCP port, for log lines */
	struct spdm_version_set versions;
	struct misbehave_set misbehave;
	unsigned long requests;		/* SPDM requests seen */

	/* configuration */
	const struct spdm_cert_set *slot[SPDM_MAX_SLOTS];
	struct spdm_identity ident;	/* identity=: may change slot[] */
	uint32_t asym_mask;		/* BaseAsymAlgo bits of all our keys */
	/* PqcAsymAlgo bits (1.4) of all our keys: ML-DSA, OpenSSL 3.5+ */
	uint32_t pqc_mask;
	enum spdm_pqc_first pqc_policy;	/* pqc-first= */
	bool pqc_first;			/* PqcAsymAlgo before BaseAsymAlgo */
	uint32_t hash_mask;
	uint8_t ct_exponent;
	uint32_t data_transfer_size;
	uint32_t max_msg_size;		/* MaxSPDMmsgSize; larger: CHUNK_CAP */
	uint32_t rsp_flags;		/* CAPABILITIES Flags */
	enum spdm_session_mode session_mode;
	uint16_t dhe_mask, aead_mask;	/* DHE / AEAD we support */
	uint8_t heartbeat_period;	/* KEY_EXCHANGE_RSP, seconds */
	const char *keylog;		/* file to append session secrets to */

	/* the connection: GET_VERSION resets all of it */
	enum spdm_conn_state state;
	/*
	 * selected version byte, 0 = none: GET_VERSION clears it, the
	 * coming GET_CAPABILITIES handler sets it
	 */
	uint8_t version;
	uint32_t req_flags;		/* requester's capabilities */
	uint32_t req_data_transfer_size; /* 1.2+, else 0 */
	uint32_t req_max_msg_size;	/* 1.2+, else 0 */
	uint32_t asym_sel;		/* BaseAsymSel */
	uint32_t pqc_sel;		/* PqcAsymSel (1.4), 0: BaseAsymSel */
	const struct spdm_hash_alg *hash; /* BaseHashSel */
	uint8_t other_params_sel;	/* 1.2+ */
	uint8_t provisioned;		/* slots usable with asym_sel */
	uint8_t supported;		/* slots with any chain (1.3) */
	struct msg vca;			/* transcript part A */
	struct msg b;			/* transcript part B */
	bool challenged;		/* a CHALLENGE completed */
	struct spdm_meas_dev meas;	/* measurements, L1/L2 */
	uint16_t dhe_sel, aead_sel;	/* DHE / AEAD selected, 0 none */
	uint16_t key_sched_sel;		/* KeySchedule selected */
	struct spdm_session sessions[SPDM_MAX_SESSIONS];
	struct spdm_session *cur_session; /* the request came in this one */
	uint16_t next_rsp_session_id;
	struct spdm_large_rsp large;	/* the connection's; see chunk.c */
	uint8_t next_handle;

	/* misbehaviour state */
	struct spdm_not_ready not_ready;
	uint8_t next_token;
	int busy_code;			/* busy-once: code answered Busy */
	unsigned long resynch_sent;	/* request-resynch: times sent */
};

/* What the transport must do besides sending the response. */
struct spdm_action {
	unsigned int delay_ms;		/* send the response this late */
	bool drop;			/* close the connection, send nothing */
};

/* A parsed request as handed to the handlers. */
struct spdm_request {
	const uint8_t *buf;		/* whole message incl. header */
	size_t len;			/* may include DOE zero padding */
	uint8_t version;
	uint8_t code;
	uint8_t param1;
	uint8_t param2;
};

/*
 * A request handler appends its response (or an ERROR) to @rsp and
 * returns 0, or a negative errno if it could not build any response.
 */
typedef int (*spdm_handler_t)(struct spdm_device *dev,
			      const struct spdm_request *req,
			      struct msg *rsp);

/*
 * device.c: the device's configuration and connection state (below the
 * handlers: they and misbehave.c reset the connection).
 */
void spdm_device_init(struct spdm_device *dev, unsigned int index,
		      const struct spdm_version_set *versions,
		      const struct misbehave_set *misbehave);
void spdm_dev_config_init(struct spdm_dev_config *cfg);
int spdm_device_configure(struct spdm_device *dev,
			  const struct spdm_dev_config *cfg, char *err,
			  size_t errlen);
void spdm_device_release(struct spdm_device *dev);
void spdm_conn_reset(struct spdm_device *dev);
void spdm_device_update_asym(struct spdm_device *dev);
uint8_t spdm_slots_with_chain(const struct spdm_device *dev);
uint8_t spdm_slots_for_asym(const struct spdm_device *dev, uint32_t asym,
			    uint32_t pqc);

/*
 * identity.c: identity= - which chain and key the certs= slots serve
 * (below the handlers; the dispatcher refreshes it before the requests
 * that use them, GET_VERSION applies a switch that had to wait).
 */
int spdm_identity_configure(struct spdm_device *dev, const char *file,
			    char *err, size_t errlen);
void spdm_identity_refresh(struct spdm_device *dev);
void spdm_identity_conn_reset(struct spdm_device *dev);
void spdm_identity_release(struct spdm_device *dev);
const struct spdm_cert_set *spdm_identity_certs(const struct spdm_device *dev);
void spdm_identity_describe(const struct spdm_device *dev, char *buf,
			    size_t len);

/* common.c: helpers for the handlers, which call nothing above them */
const char *spdm_request_name(uint8_t code);
const char *spdm_error_name(uint8_t code);
const char *spdm_response_name(uint8_t code);
int spdm_put_hdr(struct msg *rsp, uint8_t version, uint8_t code,
		 uint8_t param1, uint8_t param2);
int spdm_error(struct msg *rsp, uint8_t version, uint8_t code, uint8_t data,
	       const void *ext, size_t ext_len);
uint8_t spdm_error_version(const struct spdm_device *dev);
int __printf(6, 7) spdm_reject(struct spdm_device *dev,
			       const struct spdm_request *req,
			       struct msg *rsp, uint8_t code, uint8_t data,
			       const char *fmt, ...);
int spdm_reject_len(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, size_t want);
uint8_t spdm_session_required(const struct spdm_request *req);
bool spdm_req_len_ok(const struct spdm_request *req, size_t want);
size_t spdm_max_send(const struct spdm_device *dev);
bool spdm_chunking(const struct spdm_device *dev);
void spdm_chunk_discard(struct spdm_device *dev);
bool spdm_rsp_fits(const struct spdm_device *dev, size_t len);
int spdm_too_large(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp, size_t len);
int spdm_transcript_add(struct msg *m, const void *req, size_t req_len,
			const void *rsp, size_t rsp_len);
const struct spdm_chain *spdm_slot_chain(const struct spdm_device *dev,
					 unsigned int slot);
int spdm_sign_transcript(struct spdm_device *dev, const struct spdm_key *key,
			 const uint8_t *t, size_t len, const char *context,
			 bool prefix, uint8_t *sig);
int spdm_versions_parse(const char *list, struct spdm_version_set *set,
			const char **why);
int spdm_version_parse(const char *s, uint16_t *vne);
void spdm_versions_add(struct spdm_version_set *set, uint16_t vne);
bool spdm_versions_has(const struct spdm_version_set *set, uint8_t version);
void spdm_versions_format(const struct spdm_version_set *set, char *buf,
			  size_t len);

/* dispatch.c: the top of the message layer, called by the transports */
int spdm_respond(struct spdm_device *dev, const uint8_t *req, size_t len,
		 struct msg *rsp, struct spdm_action *act);

#endif /* SPDM_RESPONDER_SPDM_H */
