// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * CHALLENGE / CHALLENGE_AUTH exchange (DSP0274 sec 10.8): the device
 * signs the transcript, which ends in a fresh nonce of ours, with the
 * private key of the challenged slot's leaf certificate.
 */

#include <linux/device.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

/**
 * spdm_parse_challenge_rsp() - locate the fields of CHALLENGE_AUTH
 * @version: negotiated SPDM version
 * @hash_len: digest size of the negotiated hash
 * @sig_len: signature size of the negotiated signature algorithm
 * @meas_summary: whether a MeasurementSummaryHash was requested
 * @rsp: response as received
 * @length: bytes received
 * @f: receives the offsets of the fields
 *
 * Return: 0 if @length holds every field (the caller checks for excess
 * bytes), -EIO if truncated, -EPROTO if OpaqueDataLength exceeds 1024.
 */
int spdm_parse_challenge_rsp(u8 version, size_t hash_len, size_t sig_len,
			     bool meas_summary, const u8 *rsp, size_t length,
			     struct spdm_challenge_fields *f)
{
	f->nonce = sizeof(struct spdm_challenge_rsp) + hash_len;
	f->meas_summary = f->nonce + SPDM_NONCE_SZ;
	f->opaque = f->meas_summary + (meas_summary ? hash_len : 0);
	if (length < f->opaque + sizeof(__le16))
		return -EIO;

	f->opaque_len = get_unaligned_le16(rsp + f->opaque);
	if (f->opaque_len > SPDM_MAX_OPAQUE_DATA)
		return -EPROTO;

	f->context = f->opaque + sizeof(__le16) + f->opaque_len;
	f->sig = f->context +
		 (version >= SPDM_VER_13 ? SPDM_REQ_CONTEXT_SZ : 0);
	f->len = f->sig + sig_len;

	return length < f->len ? -EIO : 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_parse_challenge_rsp);

static int spdm_check_challenge_rsp(struct spdm_state *spdm_state, u8 slot,
				    const struct spdm_challenge_req *req,
				    const u8 *rsp, ssize_t length,
				    struct spdm_challenge_fields *f)
{
	const struct spdm_challenge_rsp *hdr = (const void *)rsp;
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	rc = spdm_parse_challenge_rsp(spdm_state->version,
				      spdm_state->hash_len,
				      spdm_state->sig_len,
				      req->param2 != SPDM_MEAS_SUMMARY_NONE,
				      rsp, length, f);
	rc = spdm_check_parsed(spdm_state, "CHALLENGE_AUTH", rc, f->opaque_len,
			       length, f->len);
	if (rc)
		return rc;

	if ((hdr->param1 & SPDM_SLOT_ID_MASK) != slot) {
		dev_err(spdm_state->dev,
			"CHALLENGE_AUTH for slot %u, expected slot %u\n",
			hdr->param1 & SPDM_SLOT_ID_MASK, slot);
		return -EPROTO;
	}

	rc = spdm_hash(spdm_state, spdm_state->slot[slot],
		       spdm_state->slot_sz[slot], digest);
	if (rc)
		return rc;
	if (memcmp(hdr->cert_chain_hash, digest, spdm_state->hash_len)) {
		dev_err(spdm_state->dev,
			"CHALLENGE_AUTH CertChainHash does not match slot %u\n",
			slot);
		return -EKEYREJECTED;
	}

	if (spdm_state->version >= SPDM_VER_13 &&
	    memcmp(rsp + f->context, req->context, SPDM_REQ_CONTEXT_SZ)) {
		dev_err(spdm_state->dev,
			"CHALLENGE_AUTH RequesterContext differs from ours\n");
		return -EPROTO;
	}

	return 0;
}

/**
 * spdm_challenge() - have the device prove possession of its private key
 * @spdm_state: SPDM state of the device, certificates validated
 * @slot: slot whose leaf key signs
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the signature is valid, or a negative errno (logged).
 */
int spdm_challenge(struct spdm_state *spdm_state, u8 slot)
{
	struct spdm_challenge_req req = {
		.version = spdm_state->version,
		.code = SPDM_CHALLENGE,
		.param1 = slot,
	};
	size_t req_sz = spdm_state->version >= SPDM_VER_13 ? sizeof(req) :
			offsetof(typeof(req), context);
	size_t rsp_max = sizeof(struct spdm_challenge_rsp) +
			 2 * spdm_state->hash_len + SPDM_NONCE_SZ +
			 sizeof(__le16) + SPDM_MAX_OPAQUE_DATA +
			 SPDM_REQ_CONTEXT_SZ + spdm_state->sig_len +
			 SPDM_RSP_SLACK;
	struct spdm_evidence *ev = &spdm_state->chal_ev;
	struct spdm_challenge_fields f;
	ssize_t length;
	u8 *rsp;
	int rc;

	if (spdm_state->rsp_caps & SPDM_MEAS_CAP_MASK)
		req.param2 = SPDM_MEAS_SUMMARY_ALL;
	if (spdm_state->req_nonce)
		memcpy(req.nonce, spdm_state->req_nonce, sizeof(req.nonce));
	else
		get_random_bytes(req.nonce, sizeof(req.nonce));
	get_random_bytes(req.context, sizeof(req.context));

	rsp = kzalloc(rsp_max, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	length = spdm_exchange(spdm_state, &req, req_sz, rsp, rsp_max);
	if (length < 0) {
		rc = length;
		goto out;
	}

	rc = spdm_check_challenge_rsp(spdm_state, slot, &req, rsp, length, &f);
	if (rc)
		goto out;

	ev->req_nonce_off = spdm_state->transcript.len +
			    offsetof(typeof(req), nonce);
	rc = spdm_append_transcript(spdm_state, &req, req_sz);
	if (rc)
		goto out;
	ev->rsp_nonce_off = spdm_state->transcript.len + f.nonce;
	rc = spdm_append_transcript(spdm_state, rsp, f.sig);
	if (rc)
		goto out;

	ev->type = SPDM_SIG_TYPE_CHALLENGE;
	ev->context = SPDM_CHALLENGE_CONTEXT;
	ev->transcript = spdm_state->transcript.data;
	ev->transcript_len = spdm_state->transcript.len;
	ev->slot = slot;
	rc = spdm_take_evidence(spdm_state, ev, rsp + f.sig,
				"CHALLENGE_AUTH signature");

	/* Compared with the measurements once they are read */
	if (!rc && req.param2 != SPDM_MEAS_SUMMARY_NONE) {
		memcpy(spdm_state->meas_summary, rsp + f.meas_summary,
		       spdm_state->hash_len);
		spdm_state->meas_summary_set = true;
	}
out:
	kfree(rsp);
	return rc;
}
