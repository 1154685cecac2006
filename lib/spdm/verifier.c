// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * What a userspace verifier asks for over netlink, once the device has
 * proven its key: measurements signed over the verifier's nonce, and a
 * new secure session whose KEY_EXCHANGE carries it.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/mutex.h>

#include "auth.h"
#include "session.h"
#include "state.h"
#include "wire.h"

/**
 * spdm_check_proven() - whether a verifier may ask for more signatures
 * @spdm_state: SPDM state of the device
 * @slot: slot the verifier asked for, or -1 for the authenticated one
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the device proved possession of the key of @slot by a
 * valid CHALLENGE_AUTH since it was last reset; -ENODEV if it is going
 * away; -EKEYREJECTED if it has not proven its key; -EINVAL if @slot is
 * not the authenticated slot.
 */
int spdm_check_proven(struct spdm_state *spdm_state, int slot)
{
	if (spdm_state->dead)
		return -ENODEV;
	if (!spdm_state->chal_ev.valid || !spdm_state->leaf_key)
		return -EKEYREJECTED;
	if (slot >= 0 && slot != spdm_state->chal_slot)
		return -EINVAL;
	return 0;
}

/**
 * spdm_measure_nonce() - have the device sign measurements with a nonce
 * @spdm_state: SPDM state of the device
 * @nonce: %SPDM_NONCE_SZ bytes the device is to sign
 * @slot: slot whose leaf key is to sign, or -1 for the authenticated one
 * @indices: measurement indices to read, or %NULL for all
 * @nr_indices: number of @indices
 * @cb: called with the lock held if the device returned a signature
 * @priv: passed to @cb
 *
 * Reads the measurements as spdm_get_measurements() does, the last
 * request carrying @nonce.  The device must have proven possession of
 * the key of @slot by a valid CHALLENGE_AUTH since it was last reset.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 if the signed measurements are valid; -EOPNOTSUPP if the
 * device cannot sign measurements; -EKEYREJECTED if it has not proven
 * its key; -EINVAL if @slot is not the authenticated slot; another
 * negative errno if an exchange or check failed (logged).
 */
int spdm_measure_nonce(struct spdm_state *spdm_state, const u8 *nonce,
		       int slot, const u8 *indices, unsigned int nr_indices,
		       spdm_evidence_cb *cb, void *priv)
{
	size_t sent, received;
	unsigned int exchanges;
	ktime_t start;
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_check_proven(spdm_state, slot);
	if (!rc && FIELD_GET(SPDM_MEAS_CAP_MASK, spdm_state->rsp_caps) !=
		   SPDM_MEAS_CAP_SIG)
		rc = -EOPNOTSUPP;
	if (rc)
		goto unlock;

	start = ktime_get();
	exchanges = spdm_state->exchanges;
	sent = spdm_state->bytes_sent;
	received = spdm_state->bytes_received;

	spdm_state->req_nonce = nonce;
	rc = spdm_measure(spdm_state, indices, nr_indices,
			  spdm_state->chal_slot);
	spdm_state->req_nonce = NULL;
	spdm_report_evidence(spdm_state, &spdm_state->meas_ev, cb, priv);

	dev_dbg(spdm_state->dev,
		"measurements: %u exchanges, %zu bytes sent, %zu received, %lld us\n",
		spdm_state->exchanges - exchanges,
		spdm_state->bytes_sent - sent,
		spdm_state->bytes_received - received,
		ktime_us_delta(ktime_get(), start));
unlock:
	mutex_unlock(&spdm_state->lock);
	return rc;
}

/* A new session for a verifier, then the measurements inside it */
static int spdm_verifier_session(struct spdm_state *spdm_state,
				 const u8 *indices, unsigned int nr_indices,
				 bool *measured)
{
	int rc;

	spdm_session_end(spdm_state);
	rc = spdm_start_session(spdm_state);
	if (!rc && !spdm_state->session)
		return spdm_state->session_rc ?: -EOPNOTSUPP;
	if (rc) {
		dev_err(spdm_state->dev,
			"Not authenticated any more: the key exchange failed (%pe)\n",
			ERR_PTR(rc));
		spdm_state->auth_result = rc;
		return rc;
	}
	if (FIELD_GET(SPDM_MEAS_CAP_MASK, spdm_state->rsp_caps) !=
	    SPDM_MEAS_CAP_SIG)
		return 0;

	*measured = true;
	return spdm_measure(spdm_state, indices, nr_indices,
			    spdm_state->chal_slot);
}

/**
 * spdm_key_exchange_nonce() - open a session bound to a verifier's nonce
 * @spdm_state: SPDM state of the device
 * @nonce: %SPDM_NONCE_SZ bytes, KEY_EXCHANGE's RandomData
 * @slot: slot whose leaf key is to sign, or -1 for the authenticated one
 * @indices: measurement indices to read in the session, or %NULL for all
 * @nr_indices: number of @indices
 * @cb: called with the lock held if the device signed KEY_EXCHANGE_RSP
 * @priv: passed to @cb
 *
 * Ends the current session and opens a new one whose KEY_EXCHANGE
 * carries @nonce, so the device's signature over TH1 binds the nonce to
 * both ECDH public keys.  If the device can sign measurements, they are
 * then read inside the session, signed over @nonce.  The device must
 * have proven possession of the key of @slot by a valid CHALLENGE_AUTH
 * since it was last reset.  A handshake that fails a check ends the
 * device's authentication, as at enumeration; one the device refuses,
 * or that ends in a transport error, leaves it as it was.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 if the session is established and the measurements (if any)
 * are valid; -EOPNOTSUPP if the device or transport has no sessions or
 * the device asked for mutual authentication; -ECONNREFUSED if the device
 * refused with an ERROR; the transport's errno (-EIO, -ETIMEDOUT, ...) if
 * the handshake ended in a transport error; -EKEYREJECTED if it
 * has not proven its key or a signature or verify data did not match;
 * -EINVAL if @slot is not the authenticated slot; another negative errno
 * if an exchange or check failed (logged).
 */
int spdm_key_exchange_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			    int slot, const u8 *indices,
			    unsigned int nr_indices, spdm_session_cb *cb,
			    void *priv)
{
	const struct spdm_evidence *meas = &spdm_state->meas_ev;
	unsigned int exchanges;
	bool measured = false;
	ktime_t start;
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_check_proven(spdm_state, slot);
	if (!rc && !spdm_session_possible(spdm_state))
		rc = -EOPNOTSUPP;
	if (rc)
		goto unlock;

	start = ktime_get();
	exchanges = spdm_state->exchanges;
	spdm_state->req_nonce = nonce;
	rc = spdm_verifier_session(spdm_state, indices, nr_indices, &measured);
	spdm_state->req_nonce = NULL;
	dev_dbg(spdm_state->dev, "key exchange: %u exchanges, %lld us\n",
		spdm_state->exchanges - exchanges,
		ktime_us_delta(ktime_get(), start));

	if (!measured || !meas->received)
		meas = NULL;
	spdm_report_evidence(spdm_state, &spdm_state->ke_ev, NULL, NULL);
	if (meas)
		spdm_report_evidence(spdm_state, meas, NULL, NULL);
	if (cb && spdm_state->ke_ev.received)
		cb(spdm_state, &spdm_state->ke_ev, meas, priv);
unlock:
	mutex_unlock(&spdm_state->lock);
	return rc;
}
