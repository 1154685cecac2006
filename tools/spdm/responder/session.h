/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secure sessions of the software responder: KEY_EXCHANGE / FINISH
 * (DSP0274 1.1-1.3), the key schedule, and secured messages over PCIe
 * DOE (DSP0277, data object type 2).  See keysched.c and secured.c for
 * the exact byte layouts and where each comes from.
 */
#ifndef SPDM_RESPONDER_SESSION_H
#define SPDM_RESPONDER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "crypto.h"
#include "msg.h"

struct spdm_action;
struct spdm_device;
struct spdm_request;

/* DHE AlgStruct (AlgType 2) bits, DSP0274 1.3 table "DHE" */
#define SPDM_DHE_FFDHE2048	(1U << 0)
#define SPDM_DHE_FFDHE3072	(1U << 1)
#define SPDM_DHE_FFDHE4096	(1U << 2)
#define SPDM_DHE_SECP256R1	(1U << 3)
#define SPDM_DHE_SECP384R1	(1U << 4)
#define SPDM_DHE_SECP521R1	(1U << 5)
#define SPDM_DHE_SUPPORTED	(SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1)

/* AEAD AlgStruct (AlgType 3) bits, table "AEAD" */
#define SPDM_AEAD_AES_128_GCM	(1U << 0)
#define SPDM_AEAD_AES_256_GCM	(1U << 1)
#define SPDM_AEAD_CHACHA20_POLY1305 (1U << 2)
#define SPDM_AEAD_SUPPORTED	(SPDM_AEAD_AES_128_GCM | SPDM_AEAD_AES_256_GCM | \
				 SPDM_AEAD_CHACHA20_POLY1305)

/* KeySchedule AlgStruct (AlgType 5): the SPDM key schedule */
#define SPDM_KEY_SCHEDULE_SPDM	(1U << 0)

#define SPDM_ALG_TYPE_DHE	2
#define SPDM_ALG_TYPE_AEAD	3
#define SPDM_ALG_TYPE_REQ_ASYM	4
#define SPDM_ALG_TYPE_KEY_SCHED	5

#define SPDM_MAX_DHE_LEN	96	/* secp384r1 X || Y */
#define SPDM_MAX_SHARED_LEN	48
#define SPDM_AEAD_MAX_KEY	32
#define SPDM_AEAD_IV_LEN	12
#define SPDM_AEAD_TAG_LEN	16
#define SPDM_MAX_SESSIONS	4
#define SPDM_RANDOM_LEN		32

/* What --session / session= asks for. */
enum spdm_session_mode {
	SPDM_SESSION_ON,	/* KEY_EX_CAP and friends */
	SPDM_SESSION_CLEAR,	/* ... and HANDSHAKE_IN_THE_CLEAR_CAP */
	SPDM_SESSION_NONE,	/* no session capabilities */
};

/* DSP0277 secured message versions we select from (VersionNumberEntry) */
#define SPDM_SECURED_VER_10	0x1000
#define SPDM_SECURED_VER_11	0x1100
#define SPDM_SECURED_VER_12	0x1200

/* One direction's traffic keys. */
struct spdm_sess_keys {
	uint8_t secret[SPDM_MAX_HASH_LEN];	/* the major secret */
	uint8_t key[SPDM_AEAD_MAX_KEY];
	uint8_t iv[SPDM_AEAD_IV_LEN];
	uint64_t seq;				/* next sequence number */
};

enum spdm_sess_state {
	SPDM_SESS_FREE,
	SPDM_SESS_HANDSHAKE,	/* KEY_EXCHANGE_RSP sent */
	SPDM_SESS_ESTABLISHED,	/* FINISH_RSP sent */
};

struct spdm_session {
	enum spdm_sess_state state;
	uint16_t req_id, rsp_id;
	uint32_t id;			/* spdm_session_id(req_id, rsp_id) */
	bool clear_handshake;		/* both HANDSHAKE_IN_THE_CLEAR_CAP */
	bool mac_only;			/* not both ENCRYPT_CAP */
	uint16_t secured_version;	/* DSP0277 version selected, 0 none */
	unsigned int slot;
	struct msg th;			/* A || Hash(CertChain) || K (|| F) */
	uint8_t handshake_secret[SPDM_MAX_HASH_LEN];
	uint8_t master_secret[SPDM_MAX_HASH_LEN];
	uint8_t export_master[SPDM_MAX_HASH_LEN];
	uint8_t req_finished[SPDM_MAX_HASH_LEN];
	uint8_t rsp_finished[SPDM_MAX_HASH_LEN];
	struct spdm_sess_keys req, rsp;	/* handshake, then data keys */
	struct spdm_sess_keys data_req, data_rsp; /* after FINISH, pending */
	bool to_established;		/* switch keys once FINISH_RSP is out */
	bool ending;			/* free once END_SESSION_ACK is out */
	uint8_t last_key_update;	/* operation of the last KEY_UPDATE */
	/* per-session transcripts (L1/L2; B is not kept in a session) */
	struct msg l1, b;
	unsigned long l1_generation;
	/* misbehaviours */
	unsigned long responses;	/* secured responses sent */
	struct msg last_record;		/* the last secured record sent */
	struct timespec last_msg;	/* CLOCK_MONOTONIC of the last record */
};

/*
 * The 32-bit session ID (DSP0274: ReqSessionID concatenated with
 * RspSessionID) as the little-endian u32 of a DSP0277 record header:
 * ReqSessionID in bytes 0-1, RspSessionID in bytes 2-3.
 */
static inline uint32_t spdm_session_id(uint16_t req_id, uint16_t rsp_id)
{
	return (uint32_t)rsp_id << 16 | req_id;
}

static inline uint16_t spdm_session_id_req(uint32_t id)
{
	return id & 0xffff;
}

static inline uint16_t spdm_session_id_rsp(uint32_t id)
{
	return id >> 16;
}

/* keylog.c: --keylog */
void spdm_keylog_bytes(const struct spdm_device *dev,
		       const struct spdm_session *s, const char *name,
		       const uint8_t *data, size_t len);
void spdm_keylog(const struct spdm_device *dev, const struct spdm_session *s);

/* keysched.c: key schedule (DSP0274 1.3 sec 12 "Key schedule") */
size_t spdm_dhe_len(uint16_t dhe);		/* X || Y */
size_t spdm_aead_key_len(uint16_t aead);
const char *spdm_dhe_name(uint16_t dhe);
const char *spdm_aead_name(uint16_t aead);
uint16_t spdm_dhe_select(uint16_t common);
uint16_t spdm_aead_select(uint16_t common);
int spdm_dhe_parse_list(const char *list, uint16_t *mask);
int spdm_aead_parse_list(const char *list, uint16_t *mask);
void spdm_alg_format(uint16_t mask, bool aead, char *buf, size_t len);

int spdm_ecdh(uint16_t dhe, const uint8_t *peer, uint8_t *pub,
	      uint8_t *shared, size_t *shared_len);
int spdm_hkdf_extract(const struct spdm_hash_alg *h, const uint8_t *salt,
		      size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		      uint8_t *prk);
int spdm_hkdf_expand_label(const struct spdm_hash_alg *h, uint8_t version,
			   const uint8_t *secret, const char *label,
			   const uint8_t *context, size_t out_len,
			   uint8_t *out);
int spdm_hmac(const struct spdm_hash_alg *h, const uint8_t *key,
	      const uint8_t *data, size_t len, uint8_t *out);
int spdm_keys_handshake(struct spdm_session *s,
			const struct spdm_hash_alg *h, uint8_t version,
			uint16_t aead, const uint8_t *shared,
			size_t shared_len, const uint8_t *th1);
int spdm_keys_data(struct spdm_session *s, const struct spdm_hash_alg *h,
		   uint8_t version, uint16_t aead, const uint8_t *th2);
int spdm_keys_update(struct spdm_sess_keys *k, const struct spdm_hash_alg *h,
		     uint8_t version, uint16_t aead);
int spdm_aead_seal(uint16_t aead, const struct spdm_sess_keys *k,
		   uint64_t seq, const uint8_t *aad, size_t aad_len,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag);
int spdm_aead_open(uint16_t aead, const struct spdm_sess_keys *k,
		   uint64_t seq, const uint8_t *aad, size_t aad_len,
		   const uint8_t *in, size_t len, const uint8_t *tag,
		   uint8_t *out);

/* session.c: the session table, what the session handlers share */
struct spdm_session *spdm_session_find(struct spdm_device *dev, uint32_t id);
struct spdm_session *spdm_session_new(struct spdm_device *dev,
				      uint16_t req_id);
void spdm_session_free(struct spdm_device *dev, struct spdm_session *s);
void spdm_sessions_reset(struct spdm_device *dev);
int spdm_put_verify_data(struct spdm_device *dev, struct spdm_session *s,
			 const struct spdm_request *req, struct msg *rsp);

#endif /* SPDM_RESPONDER_SESSION_H */
