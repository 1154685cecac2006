// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Authentication: the sequence of requests that authenticates a device
 * (at enumeration, in the background, or again with a verifier's nonce),
 * the secure session that follows it, and the report of the evidence.
 */

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spdm.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "auth.h"
#include "crypto.h"
#include "exchange.h"
#include "export.h"
#include "requests.h"
#include "session.h"
#include "state.h"
#include "tcg-log.h"
#include "wire.h"

/* Authentications that take longer end with a reason (0: no limit) */
static unsigned int auth_timeout_ms = 30000;
module_param(auth_timeout_ms, uint, 0644);
MODULE_PARM_DESC(auth_timeout_ms,
		 "Deadline of one authentication in ms, 0 for none (default 30000)");

static void spdm_free_chains(u8 **chains, size_t *sizes)
{
	int i;

	for (i = 0; i < SPDM_SLOTS; i++) {
		kvfree(chains[i]);
		chains[i] = NULL;
		sizes[i] = 0;
	}
}

/*
 * The chains move to the cache when an authentication starts: if GET_DIGESTS
 * shows a slot unchanged, its chain is not read again.
 */
static void spdm_cache_certs(struct spdm_state *spdm_state)
{
	int i;

	spdm_free_chains(spdm_state->cache, spdm_state->cache_sz);
	for (i = 0; i < SPDM_SLOTS; i++) {
		spdm_state->cache[i] = spdm_state->slot[i];
		spdm_state->cache_sz[i] = spdm_state->slot_sz[i];
		spdm_state->slot[i] = NULL;
		spdm_state->slot_sz[i] = 0;
	}
	public_key_free(spdm_state->leaf_key);
	spdm_state->leaf_key = NULL;
	spdm_state->chain_anchored = false;
}

/* Certificate chains and the leaf key of a device that failed a check */
static void spdm_forget_certs(struct spdm_state *spdm_state)
{
	spdm_free_chains(spdm_state->slot, spdm_state->slot_sz);
	spdm_free_chains(spdm_state->cache, spdm_state->cache_sz);
	public_key_free(spdm_state->leaf_key);
	spdm_state->leaf_key = NULL;
	spdm_state->chain_anchored = false;
}

/*
 * Forget what followed the negotiation: the signatures, the session, the
 * measurements; the chains go to the cache, the transcript back to the VCA.
 */
static void spdm_reset_after_vca(struct spdm_state *spdm_state)
{
	spdm_state->provisioned_slots = 0;
	memset(&spdm_state->chal_ev, 0, sizeof(spdm_state->chal_ev));
	spdm_key_exchange_reset(spdm_state);
	spdm_state->transport_rc = 0;
	spdm_session_set_state(spdm_state, SPDM_SESSION_NONE, 0, NULL);

	/* spdm_session_end() said goodbye if the device is still there */
	spdm_session_free(spdm_state->session);
	spdm_state->session = NULL;

	spdm_cache_certs(spdm_state);
	spdm_state->chains_read = 0;
	spdm_state->chains_cached = 0;
	spdm_state->identity_state = SPDM_IDENTITY_NONE;

	spdm_state->transcript.len = spdm_state->vca_len;
	spdm_meas_reset(spdm_state);
	spdm_meas_sysfs_update(spdm_state);

	spdm_state->exchanges = 0;
	spdm_state->bytes_sent = 0;
	spdm_state->bytes_received = 0;
	spdm_evidence_changed(spdm_state);
}

/**
 * spdm_reset() - forget everything negotiated with the device
 * @spdm_state: SPDM state of the device
 *
 * A secure session is wiped without END_SESSION; callers that can still
 * talk to the device end it with spdm_session_end() first.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_reset(struct spdm_state *spdm_state)
{
	spdm_reset_after_vca(spdm_state);
	spdm_state->version = 0;
	spdm_state->rsp_caps = 0;
	spdm_state->base_asym_alg = 0;
	spdm_state->pqc_asym_alg = 0;
	spdm_state->asym = NULL;
	spdm_state->base_hash_alg = 0;
	spdm_state->meas_hash_alg = 0;
	spdm_state->dhe_alg = 0;
	spdm_state->aead_alg = 0;
	spdm_state->key_sched_alg = 0;
	spdm_state->vca_len = 0;
	crypto_free_shash(spdm_state->shash);
	spdm_state->shash = NULL;
	spdm_transcript_free(&spdm_state->transcript);
}

/**
 * spdm_forget_all() - forget the device, cached chains and identities too
 * @spdm_state: SPDM state of the device, no longer used
 *
 * Nobody else holds @spdm_state; the lock is taken all the same, since
 * what spdm_reset() calls asserts it.
 *
 * Context: process.
 */
void spdm_forget_all(struct spdm_state *spdm_state)
{
	mutex_lock(&spdm_state->lock);
	spdm_reset(spdm_state);
	spdm_forget_certs(spdm_state);
	spdm_identity_free(&spdm_state->accepted);
	spdm_identity_free(&spdm_state->presented);
	mutex_unlock(&spdm_state->lock);
}

/**
 * spdm_report_evidence() - hand out the evidence of a signature received
 * @spdm_state: SPDM state of the device
 * @ev: the evidence; nothing happens unless a signature was received
 * @cb: called with @ev if not %NULL
 * @priv: passed to @cb
 *
 * Announces @ev on the netlink "sig" group and adds it to the signature
 * log.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_report_evidence(struct spdm_state *spdm_state,
			  const struct spdm_evidence *ev,
			  spdm_evidence_cb *cb, void *priv)
{
	if (!ev->received)
		return;
	if (cb)
		cb(spdm_state, ev, priv);
	spdm_nl_notify_sig(spdm_state, ev);
	spdm_log_signature(spdm_state, ev);
	/* a CHALLENGE_AUTH goes with the result: spdm_tcg_log_auth() */
	if (ev->type != SPDM_SIG_TYPE_CHALLENGE)
		spdm_tcg_log_evidence(spdm_state, ev);
}

/**
 * spdm_measure() - read the measurements and show them in sysfs
 * @spdm_state: SPDM state of the device, authenticated with @slot
 * @indices: measurement indices to read, or %NULL for all
 * @nr_indices: number of @indices
 * @slot: slot whose leaf key is to sign
 *
 * Reads them with spdm_get_measurements(); a complete read replaces the
 * blocks the "measurements" sysfs directory shows.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: as spdm_get_measurements().
 */
int spdm_measure(struct spdm_state *spdm_state, const u8 *indices,
		 unsigned int nr_indices, u8 slot)
{
	const u8 *record = spdm_state->meas_record;
	int rc;

	rc = spdm_get_measurements(spdm_state, indices, nr_indices, slot);
	/* A new record is allocated while the old one is still held */
	if (spdm_state->meas_record != record)
		spdm_meas_sysfs_update(spdm_state);
	return rc;
}

/**
 * spdm_session_possible() - whether both sides can have a session
 * @spdm_state: SPDM state of the device, negotiated
 *
 * Sets &spdm_state.session_state with the reason if they cannot.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: true if the device, the transport and the negotiated
 * algorithms allow a secure session.
 */
bool spdm_session_possible(struct spdm_state *spdm_state)
{
	const char *why = NULL;

	if (spdm_state->version < SPDM_VER_11)
		why = "SPDM 1.0 has no sessions";
	else if (!spdm_state->secured_transport)
		why = "the transport carries no secured messages";
	else if (!(spdm_state->rsp_caps & SPDM_KEY_EX_CAP))
		why = "the device lacks KEY_EX_CAP";
	if (why) {
		spdm_session_set_state(spdm_state, SPDM_SESSION_NONE, 0, "%s",
				       why);
		return false;
	}

	if (!(spdm_state->rsp_caps & (SPDM_ENCRYPT_CAP | SPDM_MAC_CAP)) ||
	    !spdm_state->dhe_alg || !spdm_state->aead_alg ||
	    !spdm_state->key_sched_alg) {
		dev_info(spdm_state->dev,
			 "No secure session: KEY_EX_CAP without ENCRYPT_CAP/MAC_CAP or common DHE/AEAD/KeySchedule (flags %#x, DHE %#x AEAD %#x KeySchedule %#x)\n",
			 spdm_state->rsp_caps, spdm_state->dhe_alg,
			 spdm_state->aead_alg, spdm_state->key_sched_alg);
		spdm_session_set_state(spdm_state, SPDM_SESSION_NONE, 0,
				       "KEY_EX_CAP without ENCRYPT_CAP/MAC_CAP or a common DHE group, AEAD suite and key schedule");
		return false;
	}

	return true;
}

/**
 * spdm_start_session() - open a session if both sides can
 * @spdm_state: SPDM state of the device, authenticated
 *
 * Policy: a device that advertises KEY_EX_CAP and then fails a check of
 * the handshake (signature over TH1, ResponderVerifyData, a malformed
 * response or secured message) is not authenticated.  One that refuses
 * KEY_EXCHANGE or FINISH with an ERROR, asks for mutual authentication
 * (which the kernel does not offer), or whose handshake ends in a
 * transport error or a missing or late answer stays authenticated
 * without a session (logged): the session is an additional protection,
 * not a condition of authentication.  @spdm_state->session_state and
 * the "session" sysfs directory say what happened.  The next exchange
 * with the device starts again with GET_VERSION, which ends whatever
 * the device still holds of the failed handshake (DSP0274).
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the authentication stands (with or without a session),
 * else a negative errno (logged).
 */
int spdm_start_session(struct spdm_state *spdm_state)
{
	int rc;

	if (!spdm_session_possible(spdm_state))
		return 0;

	spdm_session_set_state(spdm_state, SPDM_SESSION_NONE, 0, NULL);
	spdm_state->transport_rc = 0;
	rc = spdm_key_exchange(spdm_state, spdm_state->chal_slot);
	if (!rc) {
		spdm_session_set_state(spdm_state, SPDM_SESSION_ESTABLISHED, 0,
				       NULL);
		return 0;
	}
	if (rc == -EAGAIN)
		return rc;
	if (spdm_state->session_state == SPDM_SESSION_REFUSED) {
		/* the reason is set where the handshake was refused */
		return 0;
	}
	if (spdm_state->rsp_error) {
		dev_warn(spdm_state->dev,
			 "Device refused a secure session (ERROR 0x%02x); authenticated without one\n",
			 spdm_state->rsp_error);
		spdm_session_set_state(spdm_state, SPDM_SESSION_REFUSED,
				       -ECONNREFUSED,
				       "device answered with ERROR 0x%02x",
				       spdm_state->rsp_error);
		return 0;
	}
	if (spdm_state->transport_rc) {
		dev_warn(spdm_state->dev,
			 "Secure session handshake ended by the transport (%pe); authenticated without a session\n",
			 ERR_PTR(rc));
		spdm_session_set_state(spdm_state, SPDM_SESSION_FAILED, rc,
				       "transport error or no answer in the handshake (%pe)",
				       ERR_PTR(rc));
		return 0;
	}
	dev_err(spdm_state->dev, "Secure session handshake failed (%pe)\n",
		ERR_PTR(rc));
	spdm_session_set_state(spdm_state, SPDM_SESSION_REJECTED, rc,
			       "handshake failed its checks (%pe)", ERR_PTR(rc));
	return rc;
}

/*
 * A device with CACHE_CAP keeps its negotiated state across a reset
 * (DSP0274): after one, the requester may go on from GET_DIGESTS, and the
 * VCA of the negotiation stays the start of M1/M2.
 */
static bool spdm_can_keep_vca(struct spdm_state *spdm_state)
{
	return READ_ONCE(spdm_state->after_reset) && !spdm_state->auth_result &&
	       spdm_state->version && spdm_state->vca_len &&
	       (spdm_state->rsp_caps & SPDM_CACHE_CAP);
}

static int spdm_negotiate(struct spdm_state *spdm_state)
{
	int rc;

	spdm_state->auth_step = "GET_VERSION";
	rc = spdm_get_version(spdm_state);
	if (rc)
		return rc;

	spdm_state->auth_step = "GET_CAPABILITIES";
	rc = spdm_get_capabilities(spdm_state);
	if (rc)
		return rc;

	spdm_state->auth_step = "NEGOTIATE_ALGORITHMS";
	return spdm_negotiate_algs(spdm_state);
}

static int spdm_authenticate_once(struct spdm_state *spdm_state,
				  bool keep_vca)
{
	int rc;

	spdm_session_end(spdm_state);
	if (keep_vca) {
		spdm_reset_after_vca(spdm_state);
		dev_dbg(spdm_state->dev,
			"Negotiated state kept across the reset (CACHE_CAP): going on from GET_DIGESTS\n");
	} else {
		spdm_reset(spdm_state);
		rc = spdm_negotiate(spdm_state);
		if (rc)
			return rc;
	}

	spdm_state->auth_step = "GET_DIGESTS";
	rc = spdm_get_digests(spdm_state);
	if (rc)
		return rc;

	spdm_state->auth_step = "GET_CERTIFICATE";
	rc = spdm_get_certificates(spdm_state);
	if (rc)
		return rc;

	spdm_state->auth_step = "CHALLENGE";
	rc = spdm_challenge(spdm_state, spdm_state->chal_slot);
	if (rc)
		return rc;

	/* Nothing more is asked of a device that is not the one accepted */
	spdm_state->auth_step = "the same-device check";
	rc = spdm_identity_check(spdm_state);
	if (rc)
		return rc;

	if (spdm_state->rsp_caps & SPDM_MEAS_CAP_MASK) {
		spdm_state->auth_step = "GET_MEASUREMENTS";
		rc = spdm_measure(spdm_state, NULL, 0, spdm_state->chal_slot);
		if (rc)
			return rc;
	}

	spdm_state->auth_step = "KEY_EXCHANGE";
	return spdm_start_session(spdm_state);
}

/* Start the clock of an authentication (jiffies 0 stands for none) */
static void spdm_set_deadline(struct spdm_state *spdm_state)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(auth_timeout_ms);

	spdm_state->deadline_hit = false;
	spdm_state->deadline = auth_timeout_ms ? deadline ?: 1 : 0;
}

/* Why the authentication ended with @rc, for sysfs and the uevent */
static void spdm_set_reason(struct spdm_state *spdm_state, int rc)
{
	char *reason = spdm_state->auth_reason;
	size_t sz = sizeof(spdm_state->auth_reason);

	if (!rc)
		reason[0] = '\0';
	else if (spdm_state->identity_state == SPDM_IDENTITY_CHANGED)
		strscpy(reason, "device identity changed", sz);
	else if (rc == -ENOKEY && spdm_state->leaf_key)
		snprintf(reason, sz,
			 "certificate chain in slot %u has no trusted root",
			 spdm_state->chal_slot);
	else if (spdm_state->deadline_hit)
		snprintf(reason, sz,
			 "authentication deadline (%u ms) passed at %s",
			 auth_timeout_ms, spdm_state->auth_step);
	else if (rc == -EOPNOTSUPP && !spdm_state->version)
		strscpy(reason, "device does not support authentication", sz);
	else if (rc == -ENODEV)
		strscpy(reason, "device is going away", sz);
	else
		snprintf(reason, sz, "%s failed (%pe)", spdm_state->auth_step,
			 ERR_PTR(rc));
}

/* Run the authentication sequence and report; @spdm_state->lock held */
static int spdm_run(struct spdm_state *spdm_state, spdm_evidence_cb *cb,
		    void *priv)
{
	ktime_t start = ktime_get();
	bool keep_vca;
	int rc;

	if (spdm_state->dead)
		return -ENODEV;

	keep_vca = spdm_can_keep_vca(spdm_state);
	spdm_state->after_reset = false;
	spdm_set_deadline(spdm_state);
	rc = spdm_authenticate_once(spdm_state, keep_vca);
	if (rc == -EAGAIN) {
		dev_info(spdm_state->dev, "Device asked to resynchronize\n");
		rc = spdm_authenticate_once(spdm_state, false);
	} else if (rc && keep_vca && !spdm_state->deadline_hit &&
		   spdm_state->identity_state != SPDM_IDENTITY_CHANGED) {
		dev_info(spdm_state->dev,
			 "Device kept no negotiated state across the reset (%pe): negotiating again\n",
			 ERR_PTR(rc));
		rc = spdm_authenticate_once(spdm_state, false);
	}
	spdm_state->deadline = 0;

	if (!rc && !spdm_state->chain_anchored) {
		dev_info(spdm_state->dev,
			 "Not authenticated: certificate chain in slot %u has no trusted root\n",
			 spdm_state->chal_slot);
		rc = -ENOKEY;
	} else if (!rc) {
		char session[64] = "";

		spdm_identity_accept_first(spdm_state);

		if (spdm_state->session)
			snprintf(session, sizeof(session),
				 ", secure session %s %s%s",
				 spdm_state->dhe_name, spdm_state->aead_name,
				 spdm_state->session->mac_only ?
				 " (MAC only)" : "");
		dev_info(spdm_state->dev,
			 "Authenticated with SPDM %u.%u, %s with %s, slot %u%s\n",
			 spdm_state->version >> 4, spdm_state->version & 0xf,
			 spdm_state->asym->name,
			 spdm_state->base_hash_name, spdm_state->chal_slot,
			 session);
	} else {
		dev_info(spdm_state->dev, "Not authenticated (%pe)\n",
			 ERR_PTR(rc));
	}

	spdm_report_evidence(spdm_state, &spdm_state->chal_ev, cb, priv);
	spdm_report_evidence(spdm_state, &spdm_state->meas_ev, cb, priv);
	spdm_report_evidence(spdm_state, &spdm_state->ke_ev, cb, priv);
	spdm_tcg_log_auth(spdm_state, rc);

	/*
	 * Nothing the device sent is vouched for: do not show it.  A device
	 * that proved another identity keeps it shown for a verifier.
	 */
	if (rc && rc != -ENOKEY &&
	    spdm_state->identity_state != SPDM_IDENTITY_CHANGED)
		spdm_forget_certs(spdm_state);

	spdm_state->auth_result = rc;
	spdm_set_reason(spdm_state, rc);
	dev_dbg(spdm_state->dev,
		"%u exchanges (%u chains read, %u from the cache), %zu bytes sent, %zu received, %lld us\n",
		spdm_state->exchanges, spdm_state->chains_read,
		spdm_state->chains_cached, spdm_state->bytes_sent,
		spdm_state->bytes_received, ktime_us_delta(ktime_get(), start));
	return rc;
}

/*
 * KOBJ_CHANGE on the device when "authenticated" or its reason changed:
 * SPDM_AUTHENTICATED=0|1, SPDM_REASON=..., SPDM_IDENTITY=none|accepted|changed.
 */
static void spdm_announce(struct spdm_state *spdm_state)
{
	char auth[24], reason[16 + SPDM_AUTH_REASON_SZ], ident[24];
	char *envp[4];
	int authenticated;

	mutex_lock(&spdm_state->lock);
	authenticated = !spdm_state->auth_result;
	if (spdm_state->dead ||
	    (spdm_state->announced == authenticated &&
	     !strcmp(spdm_state->announced_reason, spdm_state->auth_reason))) {
		mutex_unlock(&spdm_state->lock);
		return;
	}
	spdm_state->announced = authenticated;
	strscpy(spdm_state->announced_reason, spdm_state->auth_reason);
	snprintf(auth, sizeof(auth), "SPDM_AUTHENTICATED=%d", authenticated);
	snprintf(reason, sizeof(reason), "SPDM_REASON=%s",
		 spdm_state->auth_reason);
	snprintf(ident, sizeof(ident), "SPDM_IDENTITY=%s",
		 spdm_identity_name(spdm_state->identity_state));
	mutex_unlock(&spdm_state->lock);

	envp[0] = auth;
	envp[1] = reason;
	envp[2] = ident;
	envp[3] = NULL;
	if (spdm_state->auth_result != -EOPNOTSUPP &&
	    device_is_registered(spdm_state->dev))
		kobject_uevent_env(&spdm_state->dev->kobj, KOBJ_CHANGE, envp);
}

/**
 * spdm_authenticate() - authenticate a device
 * @spdm_state: SPDM state of the device
 *
 * Negotiates version, capabilities and algorithms, reads the certificate
 * chains of all provisioned slots, validates them and challenges the
 * device to sign a fresh nonce with the leaf key of the first slot whose
 * chain is valid.  The device counts as authenticated when the signature
 * is valid and that chain leads to a trusted root in the keyring given to
 * spdm_create().  A RequestResynch from the device restarts the sequence
 * once.  Every signature received is announced on the netlink "sig"
 * multicast group.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 if the device is authenticated, -ENOKEY if everything checked
 * out but the chain is not anchored in the keyring, or another negative
 * errno naming the failed step in the kernel log.
 */
int spdm_authenticate(struct spdm_state *spdm_state)
{
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_run(spdm_state, NULL, NULL);
	mutex_unlock(&spdm_state->lock);

	spdm_update_certificates(spdm_state);
	spdm_announce(spdm_state);
	return rc;
}
EXPORT_SYMBOL_GPL(spdm_authenticate);

/**
 * spdm_auth_work() - authentication in the background
 * @work: &spdm_state.auth_work, queued by spdm_authenticate_async()
 *
 * Authenticates the device, lets spdm_wait_result() return and calls the
 * done callback.
 */
void spdm_auth_work(struct work_struct *work)
{
	struct spdm_state *spdm_state = container_of(work, struct spdm_state,
						     auth_work);
	int queued = atomic_read(&spdm_state->auth_queued);

	spdm_authenticate(spdm_state);
	atomic_set(&spdm_state->auth_finished, queued);
	wake_up_all(&spdm_state->result_wq);
	if (spdm_state->auth_done)
		spdm_state->auth_done(spdm_state->dev);
}

/**
 * spdm_authenticate_async() - authenticate a device in the background
 * @spdm_state: SPDM state of the device
 * @done: called in process context once the result is known, or %NULL
 *
 * Queues spdm_authenticate() on an unbound workqueue, so that devices
 * are authenticated concurrently and off the caller's path (PCI:
 * enumeration, reset, resume).  spdm_wait_result() waits for the result.
 * Each authentication ends by its deadline (the spdm.auth_timeout_ms
 * parameter) at the latest, with a reason.
 *
 * Context: any context that may queue work.
 */
void spdm_authenticate_async(struct spdm_state *spdm_state,
			     spdm_done_cb *done)
{
	spdm_state->auth_done = done;
	atomic_inc(&spdm_state->auth_queued);
	queue_work(system_dfl_wq, &spdm_state->auth_work);
}
EXPORT_SYMBOL_GPL(spdm_authenticate_async);

/**
 * spdm_reset_done() - authenticate a device again after a reset or resume
 * @spdm_state: SPDM state of the device
 * @done: as for spdm_authenticate_async()
 *
 * As spdm_authenticate_async(), for a device that went through a reset
 * (or a system sleep) since it was last authenticated: it must present
 * the accepted identity, and a device that advertised CACHE_CAP is
 * expected to have kept its negotiated state, so GET_VERSION ..
 * NEGOTIATE_ALGORITHMS are skipped (and sent after all if the device
 * turns out to have lost it).
 *
 * Context: any context that may queue work.
 */
void spdm_reset_done(struct spdm_state *spdm_state, spdm_done_cb *done)
{
	WRITE_ONCE(spdm_state->after_reset, true);
	spdm_authenticate_async(spdm_state, done);
}
EXPORT_SYMBOL_GPL(spdm_reset_done);

/**
 * spdm_wait_result() - wait for the background authentications queued
 * @spdm_state: SPDM state of the device
 *
 * Returns once every authentication queued by spdm_authenticate_async()
 * before the call has a result, or the state is being destroyed.  From
 * spdm_create() on, the first result counts as pending: the bus must
 * queue the first authentication, or this waits until it does.
 *
 * Context: process; sleeps.
 */
void spdm_wait_result(struct spdm_state *spdm_state)
{
	int queued = atomic_read(&spdm_state->auth_queued);

	wait_event(spdm_state->result_wq,
		   atomic_read(&spdm_state->auth_finished) - queued >= 0);
}
EXPORT_SYMBOL_GPL(spdm_wait_result);

/**
 * spdm_flush_async() - let a background authentication finish
 * @spdm_state: SPDM state of the device
 *
 * Waits for the authentication queued by spdm_authenticate_async(), and
 * its done callback, to finish; returns at once if none is queued.  A bus
 * calls it before the device leaves sysfs, which the authentication
 * updates.
 *
 * Context: process; sleeps.
 */
void spdm_flush_async(struct spdm_state *spdm_state)
{
	flush_work(&spdm_state->auth_work);
}
EXPORT_SYMBOL_GPL(spdm_flush_async);

/*
 * On an established SPDM 1.2+ connection a verifier's CHALLENGE needs no
 * other request: DSP0274 resets M1/M2 to the VCA after each CHALLENGE_AUTH
 * (B and C start over), so the device signs VCA || CHALLENGE ||
 * CHALLENGE_AUTH, and the cached chain of the slot is the one its
 * CertChainHash names.  1.0 and 1.1 keep the full flow.
 */
static bool spdm_can_challenge_alone(struct spdm_state *spdm_state, int slot)
{
	return !spdm_state->auth_result && !spdm_state->dead &&
	       spdm_state->version >= SPDM_VER_12 && spdm_state->leaf_key &&
	       (slot < 0 || slot == spdm_state->chal_slot);
}

static int spdm_challenge_alone(struct spdm_state *spdm_state,
				spdm_evidence_cb *cb, void *priv)
{
	ktime_t start = ktime_get();
	int rc;

	spdm_state->exchanges = 0;
	spdm_state->bytes_sent = 0;
	spdm_state->bytes_received = 0;
	spdm_state->transcript.len = spdm_state->vca_len;
	memset(&spdm_state->chal_ev, 0, sizeof(spdm_state->chal_ev));
	spdm_set_deadline(spdm_state);
	spdm_state->auth_step = "CHALLENGE";
	rc = spdm_challenge(spdm_state, spdm_state->chal_slot);
	spdm_state->deadline = 0;
	spdm_report_evidence(spdm_state, &spdm_state->chal_ev, cb, priv);
	spdm_tcg_log_auth(spdm_state, rc);
	dev_dbg(spdm_state->dev,
		"Challenged alone (%d): %u exchanges, %zu bytes sent, %zu received, %lld us\n",
		rc, spdm_state->exchanges, spdm_state->bytes_sent,
		spdm_state->bytes_received, ktime_us_delta(ktime_get(), start));
	if (rc) {
		/* the connection is in doubt: only a full flow settles it */
		spdm_state->auth_result = rc;
		spdm_set_reason(spdm_state, rc);
	}
	return rc;
}

/**
 * spdm_challenge_nonce() - authenticate with a verifier's nonce
 * @spdm_state: SPDM state of the device
 * @nonce: %SPDM_NONCE_SZ bytes the device is to sign
 * @slot: slot to challenge, or -1 for the one authentication picks
 * @fresh: run the whole authentication even where CHALLENGE alone would do
 * @cb: called with the lock held if the device returned a signature
 * @priv: passed to @cb
 *
 * Like spdm_authenticate(), but the CHALLENGE carries @nonce, so that the
 * signature binds the verifier's nonce to the transcript.  On an
 * authenticated SPDM 1.2+ connection, unless @fresh, CHALLENGE is the only
 * request; a failure then fails the authentication.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: as spdm_authenticate(); -EINVAL if @slot holds no valid chain.
 */
int spdm_challenge_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			 int slot, bool fresh, spdm_evidence_cb *cb,
			 void *priv)
{
	int rc;

	mutex_lock(&spdm_state->lock);
	spdm_state->req_nonce = nonce;
	spdm_state->req_slot = slot;
	spdm_state->fresh_chains = fresh;
	if (!fresh && spdm_can_challenge_alone(spdm_state, slot))
		rc = spdm_challenge_alone(spdm_state, cb, priv);
	else
		rc = spdm_run(spdm_state, cb, priv);
	spdm_state->fresh_chains = false;
	spdm_state->req_nonce = NULL;
	spdm_state->req_slot = -1;
	mutex_unlock(&spdm_state->lock);

	spdm_update_certificates(spdm_state);
	spdm_announce(spdm_state);
	return rc;
}
