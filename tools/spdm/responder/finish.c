// SPDX-License-Identifier: GPL-2.0
/*
 * FINISH / FINISH_RSP (DSP0274 1.1 sec 10.15, 1.2/1.3 sec 10.18): the
 * requester proves it has the handshake secrets, the session switches
 * to its data keys.
 *
 * FINISH: SPDMVersion, 0xE5, Param1 bit 0 = Signature included (mutual
 * authentication; we never ask for it, so it must be 0), Param2
 * ReqSlotID, [Signature], RequesterVerifyData (H).  FINISH_RSP:
 * SPDMVersion, 0x65, Param1/Param2 reserved, ResponderVerifyData (H)
 * only when the handshake is in the clear (both sides set
 * HANDSHAKE_IN_THE_CLEAR_CAP).  FINISH travels in the session with the
 * handshake keys, or in the clear (type 1 DOE) in that case.
 *
 * Transcript (libspdm libspdm_calculate_th_for_finish):
 *   RequesterVerifyData = HMAC(req finished_key,
 *                              Hash(TH1 || ResponderVerifyData || FINISH
 *                                   without RequesterVerifyData))
 *   ResponderVerifyData = HMAC(rsp finished_key,
 *                              Hash(... || FINISH || FINISH_RSP header))
 *   TH2 = TH1 || [ResponderVerifyData] || FINISH || FINISH_RSP; the data
 *         keys come from Hash(TH2).
 * A RequesterVerifyData that does not match ends the session with
 * ERROR(DecryptError) (as libspdm does).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "handlers.h"

#define FINISH_SIG_INCLUDED	0x01

/* The session FINISH is for: the one it came in, or (in the clear) the
 * newest one still in a clear handshake. */
static struct spdm_session *finish_session(struct spdm_device *dev)
{
	struct spdm_session *s = NULL;
	unsigned int i;

	if (dev->cur_session)
		return dev->cur_session->state == SPDM_SESS_HANDSHAKE &&
		       !dev->cur_session->clear_handshake ?
		       dev->cur_session : NULL;
	for (i = 0; i < SPDM_MAX_SESSIONS; i++)
		if (dev->sessions[i].state == SPDM_SESS_HANDSHAKE &&
		    dev->sessions[i].clear_handshake)
			s = &dev->sessions[i];
	return s;
}

/* Whether a session waits for a FINISH inside it (handshake secured). */
static bool handshake_in_session(const struct spdm_device *dev)
{
	unsigned int i;

	for (i = 0; i < SPDM_MAX_SESSIONS; i++)
		if (dev->sessions[i].state == SPDM_SESS_HANDSHAKE &&
		    !dev->sessions[i].clear_handshake)
			return true;
	return false;
}

static void end_session(struct spdm_device *dev, struct spdm_session *s)
{
	if (dev->cur_session)
		s->ending = true;	/* after this ERROR is sent in it */
	else
		spdm_session_free(dev, s);
}

int spdm_finish(struct spdm_device *dev, const struct spdm_request *req,
		struct msg *rsp)
{
	uint8_t th[SPDM_MAX_HASH_LEN], mac[SPDM_MAX_HASH_LEN];
	uint8_t hdr[SPDM_HDR_LEN];
	struct spdm_session *s;
	size_t h;
	int ret;

	s = finish_session(dev);
	if (!s && !dev->cur_session && handshake_in_session(dev))
		return spdm_reject(dev, req, rsp, spdm_session_required(req), 0,
				   "FINISH in the clear for a session whose handshake is secured");
	if (!s)
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0,
				   "no session waiting for FINISH%s",
				   dev->cur_session ? " in this one" :
				   " in the clear");
	h = dev->hash->len;
	if (req->param1 & FINISH_SIG_INCLUDED)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "Signature included, but no mutual authentication was requested");
	if (!spdm_req_len_ok(req, SPDM_HDR_LEN + h))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, not %zu", req->len,
				   SPDM_HDR_LEN + h);
	ret = msg_put(&s->th, req->buf, SPDM_HDR_LEN);
	ret = ret ?: spdm_digest(dev->hash, s->th.data, s->th.len, NULL, 0, th);
	ret = ret ?: spdm_hmac(dev->hash, s->req_finished, th, h, mac);
	if (ret)
		return ret;
	if (CRYPTO_memcmp(mac, req->buf + SPDM_HDR_LEN, h)) {
		spdm_reject(dev, req, rsp, SPDM_ERR_DECRYPT_ERROR, 0,
			    "RequesterVerifyData does not match; session 0x%08x ended",
			    s->id);
		end_session(dev, s);
		return 0;
	}
	hdr[0] = req->version;
	hdr[1] = SPDM_FINISH_RSP;
	hdr[2] = 0;
	hdr[3] = 0;
	ret = msg_put(&s->th, req->buf + SPDM_HDR_LEN, h);
	ret = ret ?: msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_put(&s->th, hdr, sizeof(hdr));
	if (!ret && s->clear_handshake)
		ret = spdm_put_verify_data(dev, s, req, rsp);
	ret = ret ?: spdm_digest(dev->hash, s->th.data, s->th.len, NULL, 0, th);
	ret = ret ?: spdm_keys_data(s, dev->hash, dev->version, dev->aead_sel,
				    th);
	if (ret)
		return ret;
	spdm_keylog(dev, s);
	if (dev->cur_session) {
		s->to_established = true;	/* once FINISH_RSP is out */
		return 0;
	}
	s->req = s->data_req;
	s->rsp = s->data_rsp;
	s->state = SPDM_SESS_ESTABLISHED;
	log_msg("port %u: session 0x%08x established (handshake in the clear, %s, %s)",
		dev->port, s->id, spdm_aead_name(dev->aead_sel),
		s->mac_only ? "MAC only" : "encrypted");
	return 0;
}
