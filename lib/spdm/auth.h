/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Top layer: the flows that put the requests in order (auth.c: the
 * authentication and the secure session that follows it; verifier.c:
 * what a userspace verifier asks for over netlink) and the lifetime of
 * the state (state.c).  Only the exporters (netlink, sysfs) and the
 * bus glue, through <linux/spdm.h>, call them.
 */

#ifndef _LIB_SPDM_AUTH_H_
#define _LIB_SPDM_AUTH_H_

#include <linux/types.h>

struct spdm_evidence;
struct spdm_state;
struct work_struct;

/**
 * typedef spdm_evidence_cb - receives the evidence of a signature
 * @spdm_state: SPDM state of the device, lock held
 * @ev: the evidence
 * @priv: private data of the caller
 */
typedef void (spdm_evidence_cb)(struct spdm_state *spdm_state,
				const struct spdm_evidence *ev, void *priv);

/* auth.c */
void spdm_reset(struct spdm_state *spdm_state);
void spdm_forget_all(struct spdm_state *spdm_state);
void spdm_auth_work(struct work_struct *work);
int spdm_measure(struct spdm_state *spdm_state, const u8 *indices,
		 unsigned int nr_indices, u8 slot);
bool spdm_session_possible(struct spdm_state *spdm_state);
int spdm_start_session(struct spdm_state *spdm_state);
void spdm_report_evidence(struct spdm_state *spdm_state,
			  const struct spdm_evidence *ev,
			  spdm_evidence_cb *cb, void *priv);
int spdm_challenge_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			 int slot, bool fresh, spdm_evidence_cb *cb,
			 void *priv);

/* identity.c */
struct spdm_identity;
enum spdm_identity_state;
void spdm_identity_free(struct spdm_identity *id);
const char *spdm_identity_name(enum spdm_identity_state state);
int spdm_identity_check(struct spdm_state *spdm_state);
void spdm_identity_accept_first(struct spdm_state *spdm_state);

/**
 * typedef spdm_session_cb - receives the evidence of a key exchange
 * @spdm_state: SPDM state of the device, lock held
 * @ke: evidence of KEY_EXCHANGE_RSP
 * @meas: evidence of the measurements read in the session, or %NULL
 * @priv: private data of the caller
 */
typedef void (spdm_session_cb)(struct spdm_state *spdm_state,
			       const struct spdm_evidence *ke,
			       const struct spdm_evidence *meas, void *priv);

/* verifier.c */
int spdm_check_proven(struct spdm_state *spdm_state, int slot);
int spdm_measure_nonce(struct spdm_state *spdm_state, const u8 *nonce,
		       int slot, const u8 *indices, unsigned int nr_indices,
		       spdm_evidence_cb *cb, void *priv);
int spdm_key_exchange_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			    int slot, const u8 *indices,
			    unsigned int nr_indices, spdm_session_cb *cb,
			    void *priv);

/* sysfs.c */
void spdm_update_certificates(struct spdm_state *spdm_state);

/* state.c */
struct spdm_state *spdm_find(const char *name);
void spdm_put(struct spdm_state *spdm_state);

#endif /* _LIB_SPDM_AUTH_H_ */
