// SPDX-License-Identifier: GPL-2.0
/*
 * KEY_UPDATE / KEY_UPDATE_ACK (DSP0274 1.1 sec 10.17, 1.3 sec 10.20),
 * only inside an established session (dispatch.c checks that, KEY_UPD_CAP
 * on both sides and the size).  Param1 operation, Param2 Tag echoed in
 * KEY_UPDATE_ACK:
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
 */
#include "handlers.h"
#include "log.h"

#define KEY_UPDATE_KEY		1
#define KEY_UPDATE_ALL_KEYS	2
#define KEY_UPDATE_VERIFY	3

int spdm_key_update(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp)
{
	struct spdm_session *s = dev->cur_session;
	uint8_t op = req->param1;
	bool pending;
	int ret;

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
	return spdm_put_hdr(rsp, req->version, SPDM_KEY_UPDATE_ACK, op,
			    req->param2);
}
