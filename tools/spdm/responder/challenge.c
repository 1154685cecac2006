// SPDX-License-Identifier: GPL-2.0
/*
 * CHALLENGE / CHALLENGE_AUTH (DSP0274 1.3 sec 10.8) and the transcript
 * it signs.
 *
 * Transcript rules ("Request ordering and message transcript computation
 * rules for M1/M2": DSP0274 1.0/1.1 CHALLENGE section, 1.2.1 table 38,
 * 1.3 sec 10.8 and sec 17), the same in 1.0 to 1.3 for this message set:
 *   M1 = A || B || C
 *   A  = GET_VERSION, VERSION, GET_CAPABILITIES, CAPABILITIES,
 *        NEGOTIATE_ALGORITHMS, ALGORITHMS (the VCA; GET_VERSION starts
 *        it over);
 *   B  = GET_DIGESTS, DIGESTS, GET_CERTIFICATE, CERTIFICATE exchanged
 *        since A (every GET_CERTIFICATE/CERTIFICATE pair, in order; a
 *        GET_DIGESTS starts B over, as DMTF libspdm does);
 *   C  = CHALLENGE, CHALLENGE_AUTH without its Signature.
 * Each message goes in exactly as sent, without transport padding, and
 * only after a successful response: an exchange answered with ERROR
 * adds nothing (1.1 "Concatenate() ... performed only after a successful
 * completion response"); after ResponseNotReady the original request
 * and the response RESPOND_IF_READY finally gets are added, never the
 * ERROR or RESPOND_IF_READY.  Completion of CHALLENGE sets M1 to null:
 * B and C start empty for the next CHALLENGE while A stays (as DMTF
 * libspdm keeps its message A).
 *
 * A successful GET_MEASUREMENTS before the first CHALLENGE completed
 * also sets M1 to null (B starts over; see measurements.c).
 *
 * Signature (1.0/1.1): Sign(PrivKey, Hash(M1)) - the signature scheme's
 * message digest is Hash(M1).  1.2+ (sec 15 "Signature generation"):
 * M = combined_spdm_prefix || Hash(M1), signed as a message, i.e. the
 * scheme's digest is Hash(M).
 *
 * MeasurementSummaryHash (MEAS_CAP only; Param2 1 = TCB, 0xFF = all):
 * see spdm_meas_summary().
 */
#include <string.h>

#include "log.h"
#include "handlers.h"

#define CHALLENGE_REQ_LEN	36	/* 1.3: + RequesterContext */
#define MEAS_SUMMARY_NONE	0
#define MEAS_SUMMARY_TCB	1
#define MEAS_SUMMARY_ALL	0xff
#define SLOT_PUB_KEY		0xff	/* pre-provisioned public key */

static size_t challenge_req_len(uint8_t version)
{
	return CHALLENGE_REQ_LEN +
	       (version >= SPDM_VER_13 ? SPDM_REQ_CONTEXT_LEN : 0);
}

static int check_challenge(struct spdm_device *dev,
			   const struct spdm_request *req, struct msg *rsp)
{
	uint8_t slot = req->param1, type = req->param2;

	if (slot == SLOT_PUB_KEY)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "slot 0xFF: no pre-provisioned public key (PUB_KEY_ID_CAP)");
	if (slot >= SPDM_MAX_SLOTS || !(dev->provisioned & (1U << slot)))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "slot %u not provisioned (mask 0x%02x)",
				   slot, dev->provisioned);
	if (type != MEAS_SUMMARY_NONE && type != MEAS_SUMMARY_TCB &&
	    type != MEAS_SUMMARY_ALL)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "MeasurementSummaryHashType 0x%02x reserved",
				   type);
	/* A summary hash needs MEAS_CAP and a MeasurementSpecification. */
	if (type != MEAS_SUMMARY_NONE && !(dev->rsp_flags & SPDM_CAP_MEAS_MASK))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "MeasurementSummaryHashType 0x%02x without MEAS_CAP",
				   type);
	if (type != MEAS_SUMMARY_NONE && !dev->meas.spec_sel)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "MeasurementSummaryHashType 0x%02x without a MeasurementSpecification",
				   type);
	return 0;
}

/* Which parts of M1 to sign (the misbehaviours leave some out). */
struct sign_plan {
	bool skip_vca, skip_b, wrong_format, other_nonce;
};

static void plan_misbehaviour(struct spdm_device *dev,
			      const struct spdm_request *req,
			      struct sign_plan *plan, bool *other_context)
{
	const struct misbehave_switch *sw;

	sw = misbehave_get(&dev->misbehave, MB_WRONG_TRANSCRIPT, req->code);
	if (sw) {
		unsigned long what = sw->has_value ? sw->value : MBW_NO_VCA;

		plan->skip_vca = what == MBW_NO_VCA;
		plan->skip_b = what == MBW_NO_B;
		plan->wrong_format = what == MBW_PREFIX;
		log_msg("port %u: misbehave wrong-transcript: signing %s",
			dev->port, plan->skip_vca ? "without the VCA" :
			plan->skip_b ? "without GET_DIGESTS/GET_CERTIFICATE" :
			req->version >= SPDM_VER_12 ?
			"Hash(M1) without the combined prefix" :
			"with a 1.2-style combined prefix");
	}
	sw = misbehave_get(&dev->misbehave, MB_WRONG_NONCE, req->code);
	if (sw) {
		unsigned long what = sw->has_value ? sw->value : MBW_BOTH;

		plan->other_nonce = what != MBW_CONTEXT;
		*other_context = what != MBW_NONCE &&
				 req->version >= SPDM_VER_13;
		log_msg("port %u: misbehave wrong-nonce:%s%s", dev->port,
			plan->other_nonce ? " signing another requester nonce" : "",
			*other_context ? " echoing another RequesterContext" : "");
	}
}

/* Sign A || B || @req || @rsp as the plan says; @sig gets S bytes. */
static int sign_challenge(struct spdm_device *dev, const struct spdm_key *key,
			  const struct sign_plan *plan,
			  const uint8_t *req, size_t req_len,
			  const uint8_t *rsp, size_t rsp_len, uint8_t *sig)
{
	bool prefix = dev->version >= SPDM_VER_12;
	struct msg m1;
	int ret;

	msg_init(&m1);
	ret = plan->skip_vca ? 0 : msg_put(&m1, dev->vca.data, dev->vca.len);
	ret = ret ?: plan->skip_b ? 0 : msg_put(&m1, dev->b.data, dev->b.len);
	ret = ret ?: msg_put(&m1, req, req_len);
	if (!ret && plan->other_nonce)
		m1.data[m1.len - req_len + SPDM_HDR_LEN] ^= 0x01;
	ret = ret ?: msg_put(&m1, rsp, rsp_len);
	if (plan->wrong_format)
		prefix = !prefix;
	ret = ret ?: spdm_sign_transcript(dev, key, m1.data, m1.len,
					  SPDM_CHALLENGE_AUTH_CONTEXT, prefix,
					  sig);
	msg_free(&m1);
	return ret;
}

/* MeasurementSummaryHash of @type (if any) into @rsp. */
static int put_summary(struct spdm_device *dev, const struct spdm_request *req,
		       struct msg *rsp)
{
	uint8_t summary[SPDM_MAX_HASH_LEN];
	int ret;

	if (req->param2 == MEAS_SUMMARY_NONE)
		return 0;
	ret = spdm_meas_summary(dev, req->param2, summary);
	if (ret)
		return ret;
	if (misbehave_get(&dev->misbehave, MB_MEAS_SUMMARY_MISMATCH,
			  req->code)) {
		log_msg("port %u: misbehave meas-summary-mismatch: MeasurementSummaryHash altered (and signed)",
			dev->port);
		summary[0] ^= 0xff;
	}
	return msg_put(rsp, summary, dev->hash->len);
}

int spdm_challenge(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp)
{
	size_t want = challenge_req_len(req->version), len, h, sig_len, off;
	const struct spdm_chain *chain;
	struct sign_plan plan = { 0 };
	uint8_t sig[SPDM_MAX_SIG_LEN];
	bool other_context = false;
	int ret;

	if (!spdm_req_len_ok(req, want))
		return spdm_reject_len(dev, req, rsp, want);
	ret = check_challenge(dev, req, rsp);
	if (ret || rsp->len)
		return ret;
	h = dev->hash->len;
	sig_len = spdm_sig_len(dev->asym_sel, dev->pqc_sel);
	len = SPDM_HDR_LEN + h + SPDM_NONCE_LEN + 2 + sig_len +
	      (req->param2 != MEAS_SUMMARY_NONE ? h : 0) +
	      (req->version >= SPDM_VER_13 ? SPDM_REQ_CONTEXT_LEN : 0);
	if (!spdm_rsp_fits(dev, len))
		return spdm_too_large(dev, req, rsp, len);
	chain = spdm_slot_chain(dev, req->param1);
	plan_misbehaviour(dev, req, &plan, &other_context);

	/* Param1: slot (bits 3:0); Param2: SlotMask of provisioned slots */
	ret = msg_put_u8(rsp, req->version);
	ret = ret ?: msg_put_u8(rsp, SPDM_CHALLENGE_AUTH);
	ret = ret ?: msg_put_u8(rsp, req->param1 & 0xf);
	ret = ret ?: msg_put_u8(rsp, dev->provisioned);
	ret = ret ?: msg_put(rsp, chain->digest, h);	/* CertChainHash */
	ret = ret ?: msg_reserve(rsp, SPDM_NONCE_LEN);
	if (ret)
		return ret;
	ret = spdm_random(rsp->data + rsp->len, SPDM_NONCE_LEN);
	if (ret)
		return ret;
	rsp->len += SPDM_NONCE_LEN;
	/* MeasurementSummaryHash (not for type 0), OpaqueDataLength 0 */
	ret = put_summary(dev, req, rsp);
	ret = ret ?: msg_put_le16(rsp, 0);
	if (!ret && req->version >= SPDM_VER_13) {
		off = rsp->len;
		ret = msg_put(rsp, req->buf + CHALLENGE_REQ_LEN,
			      SPDM_REQ_CONTEXT_LEN);
		if (!ret && other_context)
			rsp->data[off] ^= 0x01;
	}
	if (ret)
		return ret;
	if (misbehave_get(&dev->misbehave, MB_WRONG_CHAIN_HASH, req->code)) {
		log_msg("port %u: misbehave wrong-chain-hash: CertChainHash altered (and signed)",
			dev->port);
		rsp->data[SPDM_HDR_LEN] ^= 0xff;
	}

	ret = sign_challenge(dev, &dev->slot[req->param1]->key, &plan,
			     req->buf, want, rsp->data, rsp->len, sig);
	if (ret) {
		log_msg("port %u: cannot sign CHALLENGE_AUTH (%s, %s)",
			dev->port, spdm_sig_name(dev->asym_sel, dev->pqc_sel),
			dev->hash->name);
		msg_reset(rsp);
		return spdm_error(rsp, req->version, SPDM_ERR_UNSPECIFIED, 0,
				  NULL, 0);
	}
	if (misbehave_get(&dev->misbehave, MB_BAD_SIGNATURE, req->code)) {
		log_msg("port %u: misbehave bad-signature: Signature altered",
			dev->port);
		sig[sig_len - 1] ^= 0x01;
	}
	ret = msg_put(rsp, sig, sig_len);
	if (ret)
		return ret;
	/* M1 is complete: next CHALLENGE signs A || B' || C' */
	msg_reset(&dev->b);
	dev->challenged = true;
	return 0;
}
