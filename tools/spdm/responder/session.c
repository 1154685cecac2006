// SPDX-License-Identifier: GPL-2.0
/*
 * Requests that only make sense inside an established session
 * (DSP0274 1.1 sec 10.16-10.18, 1.3 sec 10.19-10.21): HEARTBEAT,
 * KEY_UPDATE and END_SESSION, and which requests a session accepts.
 *
 * KEY_UPDATE (Param1 operation, Param2 Tag echoed in KEY_UPDATE_ACK):
 *   UpdateKey (1)     the request direction's keys move to the next
 *                     generation ("traffic upd", see keysched.c); this
 *                     request was protected with the old ones, the next
 *                     request must use the new ones.
 *   UpdateAllKeys (2) both directions; KEY_UPDATE_ACK already goes out
 *                     with the new response keys (as DMTF libspdm's
 *                     requester expects).
 *   VerifyNewKey (3)  arrives with the new request keys; only after an
 *                     update.  An update directly after an update (no
 *                     VerifyNewKey between) is InvalidRequest, as in
 *                     libspdm.
 * END_SESSION_ACK goes out in the session, then the session is gone.
 */
#include "log.h"
#include "spdm.h"

#define KEY_UPDATE_KEY		1
#define KEY_UPDATE_ALL_KEYS	2
#define KEY_UPDATE_VERIFY	3

/* Whether the session the request came in accepts @code. */
bool spdm_session_allows(const struct spdm_device *dev, uint8_t code)
{
	const struct spdm_session *s = dev->cur_session;

	if (s->state == SPDM_SESS_HANDSHAKE)
		return code == SPDM_FINISH;
	switch (code) {
	case SPDM_GET_VERSION:
	case SPDM_GET_CAPABILITIES:
	case SPDM_NEGOTIATE_ALGORITHMS:
	case SPDM_KEY_EXCHANGE:
	case SPDM_FINISH:
	case SPDM_PSK_EXCHANGE:
	case SPDM_PSK_FINISH:
	case SPDM_CHALLENGE:
		return false;
	}
	return true;
}

/*
 * The error for a request that is only allowed in a session but came
 * outside one: SessionRequired from SPDM 1.2 on (DSP0274 1.2 table
 * "Error code and error data"), UnexpectedRequest before.
 */
uint8_t spdm_session_required(const struct spdm_request *req)
{
	return req->version >= SPDM_VER_12 ? SPDM_ERR_SESSION_REQUIRED :
					     SPDM_ERR_UNEXPECTED_REQUEST;
}

/* Common checks; returns 0 to go on, 1 when @rsp holds the ERROR. */
static int in_session_ok(struct spdm_device *dev,
			 const struct spdm_request *req, struct msg *rsp,
			 uint32_t cap)
{
	int ret;

	if (!(dev->rsp_flags & cap) || req->version < SPDM_VER_11)
		ret = spdm_reject(dev, req, rsp, SPDM_ERR_UNSUPPORTED_REQUEST,
				  req->code, "no %s",
				  cap == SPDM_CAP_HBEAT ? "HBEAT_CAP" :
				  cap == SPDM_CAP_KEY_UPD ? "KEY_UPD_CAP" :
				  "KEY_EX_CAP");
	else if (!dev->cur_session)
		ret = spdm_reject(dev, req, rsp, spdm_session_required(req), 0,
				  "only allowed in a session");
	else if (cap != SPDM_CAP_KEY_EX && !(dev->req_flags & cap))
		ret = spdm_reject(dev, req, rsp, SPDM_ERR_UNSUPPORTED_REQUEST,
				  req->code, "the requester lacks the capability");
	else if (!spdm_req_len_ok(req, SPDM_HDR_LEN))
		ret = spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				  "%zu bytes, not %d", req->len, SPDM_HDR_LEN);
	else
		return 0;
	return ret ? ret : 1;
}

static int ack(struct msg *rsp, const struct spdm_request *req, uint8_t code,
	       uint8_t param1, uint8_t param2)
{
	uint8_t hdr[SPDM_HDR_LEN] = { req->version, code, param1, param2 };

	return msg_put(rsp, hdr, sizeof(hdr));
}

int spdm_heartbeat(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp)
{
	int ret = in_session_ok(dev, req, rsp, SPDM_CAP_HBEAT);

	if (ret)
		return ret < 0 ? ret : 0;
	log_msg("port %u: HEARTBEAT in session 0x%08x", dev->port,
		dev->cur_session->id);
	return ack(rsp, req, SPDM_HEARTBEAT_ACK, 0, 0);
}

int spdm_key_update(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp)
{
	struct spdm_session *s = dev->cur_session;
	uint8_t op = req->param1;
	bool pending;
	int ret = in_session_ok(dev, req, rsp, SPDM_CAP_KEY_UPD);

	if (ret)
		return ret < 0 ? ret : 0;
	pending = s->last_key_update == KEY_UPDATE_KEY ||
		  s->last_key_update == KEY_UPDATE_ALL_KEYS;
	switch (op) {
	case KEY_UPDATE_KEY:
	case KEY_UPDATE_ALL_KEYS:
		if (pending)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "key update %u before VerifyNewKey of the last one",
					   op);
		ret = spdm_keys_update(&s->req, dev->hash, dev->version,
				       dev->aead_sel);
		if (!ret && op == KEY_UPDATE_ALL_KEYS)
			ret = spdm_keys_update(&s->rsp, dev->hash,
					       dev->version, dev->aead_sel);
		if (ret)
			return ret;
		spdm_keylog(dev, s);
		break;
	case KEY_UPDATE_VERIFY:
		if (!pending)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "VerifyNewKey without a key update");
		break;
	default:
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "KEY_UPDATE operation %u reserved", op);
	}
	s->last_key_update = op;
	log_msg("port %u: KEY_UPDATE %s in session 0x%08x", dev->port,
		op == KEY_UPDATE_KEY ? "UpdateKey" :
		op == KEY_UPDATE_ALL_KEYS ? "UpdateAllKeys" : "VerifyNewKey",
		s->id);
	return ack(rsp, req, SPDM_KEY_UPDATE_ACK, op, req->param2);
}

int spdm_end_session(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	int ret = in_session_ok(dev, req, rsp, SPDM_CAP_KEY_EX);

	if (ret)
		return ret < 0 ? ret : 0;
	dev->cur_session->ending = true;
	return ack(rsp, req, SPDM_END_SESSION_ACK, 0, 0);
}
