/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Middle layer: the secure session (session.c): its key schedule,
 * secured messages (DSP0277) and the requests of an established session.
 * KEY_EXCHANGE and FINISH (req-key-exchange.c) open it.
 */

#ifndef _LIB_SPDM_SESSION_H_
#define _LIB_SPDM_SESSION_H_

#include <linux/types.h>

#include "state.h"

struct crypto_aead;
struct crypto_shash;
struct work_struct;

int spdm_hkdf_extract(struct crypto_shash *hmac, const u8 *salt,
		      size_t salt_len, const u8 *ikm, size_t ikm_len, u8 *prk);
int spdm_hkdf_expand(struct crypto_shash *hmac, const u8 *prk, size_t prk_len,
		     const u8 *info, size_t info_len, u8 *okm, size_t okm_len);
int spdm_expand_label(struct crypto_shash *hmac, u8 version, const u8 *secret,
		      const char *label, const u8 *context, size_t out_len,
		      u8 *out);
int spdm_record_seal(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     u32 session_id, size_t seq_len, bool mac_only,
		     const u8 *msg, size_t msg_len, u8 *out, size_t out_sz);
int spdm_record_open(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     size_t seq_len, bool mac_only, u8 *rec, size_t len,
		     size_t *msg_off, size_t *msg_len, const char **why);
struct spdm_session *spdm_session_alloc(struct spdm_state *spdm_state);
void spdm_session_free(struct spdm_session *session);
int spdm_session_handshake_keys(struct spdm_state *spdm_state,
				const u8 *shared, size_t shared_len,
				const u8 *th1_hash);
int spdm_session_data_keys(struct spdm_state *spdm_state,
			   const u8 *th2_hash);
ssize_t spdm_secured_exchange(struct spdm_state *spdm_state, void *req,
			      size_t req_sz, void *rsp, size_t rsp_sz);
void spdm_session_fail(struct spdm_state *spdm_state, int rc,
		       const char *why);
void spdm_session_end(struct spdm_state *spdm_state);
__printf(4, 5)
void spdm_session_set_state(struct spdm_state *spdm_state,
			    enum spdm_session_state state, int rc,
			    const char *fmt, ...);
int spdm_session_heartbeat(struct spdm_state *spdm_state);
int spdm_session_key_update(struct spdm_state *spdm_state, u8 op);
void spdm_heartbeat_work(struct work_struct *work);

#endif /* _LIB_SPDM_SESSION_H_ */
