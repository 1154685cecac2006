// SPDX-License-Identifier: GPL-2.0
/*
 * FINISH / FINISH_RSP (DSP0274 1.1 sec 10.15, 1.2/1.3 sec 10.18): the
 * requester proves it has the handshake secrets, the session switches
 * to its data keys.
 *
 * FINISH: SPDMVersion, 0xE5, Param1 bit 0 = Signature included (mutual
 * authentication; we never ask for it, so it must be 0), Param2
 * ReqSlotID, (1.4) OpaqueDataLength (2) and OpaqueData, [Signature],
 * RequesterVerifyData (H).  FINISH_RSP: SPDMVersion, 0x65, Param1/Param2
 * reserved, (1.4) OpaqueDataLength (2, ours 0) and OpaqueData,
 * ResponderVerifyData (H) only when the handshake is in the clear (both
 * sides set HANDSHAKE_IN_THE_CLEAR_CAP).  FINISH travels in the session
 * with the handshake keys, or in the clear (type 1 DOE) in that case.
 * The requester's OpaqueData is not interpreted, only covered by the
 * transcript like the rest of FINISH.
 *
 * Transcript (libspdm libspdm_calculate_th_for_finish):
 *   RequesterVerifyData = HMAC(req finished_key,
 *                              Hash(TH1 || ResponderVerifyData || FINISH
 *                                   without RequesterVerifyData))
 *   ResponderVerifyData = HMAC(rsp finished_key,
 *                              Hash(... || FINISH || FINISH_RSP without
 *                                   ResponderVerifyData))
 *   TH2 = TH1 || [ResponderVerifyData] || FINISH || FINISH_RSP; the data
 *         keys come from Hash(TH2).
 * A RequesterVerifyData that does not match ends the session with
 * ERROR(DecryptError) (as libspdm does).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "handlers.h"

#define FINISH_SIG_INCLUDED	0x01
#define FINISH_OPAQUE_LEN_LEN	2	/* 1.4 OpaqueDataLength */
#define FINISH_OPAQUE_MAX	1024	/* DSP0274 OpaqueDataLength max */

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

/*
 * The size of FINISH without RequesterVerifyData: the header and (1.4)
 * the opaque fields; 0 with why in @why if @req cannot be a FINISH.
 */
static size_t finish_signed_len(const struct spdm_request *req, size_t h,
				char *why, size_t whylen)
{
	size_t len = SPDM_HDR_LEN, opaque;

	if (req->version >= SPDM_VER_14) {
		if (req->len < SPDM_HDR_LEN + FINISH_OPAQUE_LEN_LEN) {
			snprintf(why, whylen, "%zu bytes, no OpaqueDataLength",
				 req->len);
			return 0;
		}
		opaque = get_le16(req->buf + SPDM_HDR_LEN);
		if (opaque > FINISH_OPAQUE_MAX) {
			snprintf(why, whylen, "OpaqueDataLength %zu (max %d)",
				 opaque, FINISH_OPAQUE_MAX);
			return 0;
		}
		len += FINISH_OPAQUE_LEN_LEN + opaque;
	}
	if (!spdm_req_len_ok(req, len + h)) {
		snprintf(why, whylen, "%zu bytes, not %zu", req->len, len + h);
		return 0;
	}
	return len;
}

/*
 * FINISH_RSP without ResponderVerifyData: the header, (1.4) an empty
 * OpaqueData; finish-no-opaque leaves that out.  Into @rsp and the TH.
 */
static int put_finish_rsp(struct spdm_device *dev,
			  const struct spdm_request *req,
			  struct spdm_session *s, struct msg *rsp)
{
	uint8_t hdr[SPDM_HDR_LEN + FINISH_OPAQUE_LEN_LEN] = {
		req->version, SPDM_FINISH_RSP, 0, 0, 0, 0,
	};
	size_t len = SPDM_HDR_LEN;

	if (req->version >= SPDM_VER_14) {
		if (misbehave_get(&dev->misbehave, MB_FINISH_NO_OPAQUE,
				  req->code))
			log_msg("port %u: misbehave finish-no-opaque: FINISH_RSP without OpaqueDataLength",
				dev->port);
		else
			len += FINISH_OPAQUE_LEN_LEN;
	}
	return msg_put(rsp, hdr, len) ?: msg_put(&s->th, hdr, len);
}

int spdm_finish(struct spdm_device *dev, const struct spdm_request *req,
		struct msg *rsp)
{
	uint8_t th[SPDM_MAX_HASH_LEN], mac[SPDM_MAX_HASH_LEN];
	struct spdm_session *s;
	size_t h, len;
	char why[96];
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
	len = finish_signed_len(req, h, why, sizeof(why));
	if (!len)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%s", why);
	ret = msg_put(&s->th, req->buf, len);
	ret = ret ?: spdm_digest(dev->hash, s->th.data, s->th.len, NULL, 0, th);
	ret = ret ?: spdm_hmac(dev->hash, s->req_finished, th, h, mac);
	if (ret)
		return ret;
	if (CRYPTO_memcmp(mac, req->buf + len, h)) {
		spdm_reject(dev, req, rsp, SPDM_ERR_DECRYPT_ERROR, 0,
			    "RequesterVerifyData does not match; session 0x%08x ended",
			    s->id);
		end_session(dev, s);
		return 0;
	}
	ret = msg_put(&s->th, req->buf + len, h);
	ret = ret ?: put_finish_rsp(dev, req, s, rsp);
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
