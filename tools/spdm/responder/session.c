// SPDX-License-Identifier: GPL-2.0
/*
 * The session table of a device and what the session handlers share
 * (below them: KEY_EXCHANGE creates sessions, FINISH and the secured
 * transport end them, both send ResponderVerifyData).
 */
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "log.h"
#include "spdm.h"

struct spdm_session *spdm_session_find(struct spdm_device *dev, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < SPDM_MAX_SESSIONS; i++)
		if (dev->sessions[i].state != SPDM_SESS_FREE &&
		    dev->sessions[i].id == id)
			return &dev->sessions[i];
	return NULL;
}

/* A free session with a fresh RspSessionID, or NULL (limit reached). */
struct spdm_session *spdm_session_new(struct spdm_device *dev,
				      uint16_t req_id)
{
	struct spdm_session *s = NULL;
	unsigned int i, tries;
	uint16_t rsp_id;

	for (i = 0; i < SPDM_MAX_SESSIONS && !s; i++)
		if (dev->sessions[i].state == SPDM_SESS_FREE)
			s = &dev->sessions[i];
	if (!s)
		return NULL;
	for (tries = 0; tries < 0x10000; tries++) {
		rsp_id = dev->next_rsp_session_id--;
		if (rsp_id &&
		    !spdm_session_find(dev, spdm_session_id(req_id, rsp_id)))
			break;
	}
	memset(s, 0, sizeof(*s));
	s->req_id = req_id;
	s->rsp_id = rsp_id;
	s->id = spdm_session_id(req_id, rsp_id);
	s->state = SPDM_SESS_HANDSHAKE;
	clock_gettime(CLOCK_MONOTONIC, &s->last_msg);
	return s;
}

void spdm_session_free(struct spdm_device *dev, struct spdm_session *s)
{
	if (dev->cur_session == s)
		dev->cur_session = NULL;
	msg_free(&s->th);
	msg_free(&s->l1);
	msg_free(&s->b);
	msg_free(&s->last_record);
	OPENSSL_cleanse(s, sizeof(*s));
	s->state = SPDM_SESS_FREE;
}

void spdm_sessions_reset(struct spdm_device *dev)
{
	unsigned int i;

	for (i = 0; i < SPDM_MAX_SESSIONS; i++)
		if (dev->sessions[i].state != SPDM_SESS_FREE)
			spdm_session_free(dev, &dev->sessions[i]);
}

/* ResponderVerifyData = HMAC(finished key, Hash(@s->th)) into @rsp. */
int spdm_put_verify_data(struct spdm_device *dev, struct spdm_session *s,
			 const struct spdm_request *req, struct msg *rsp)
{
	uint8_t th[SPDM_MAX_HASH_LEN], mac[SPDM_MAX_HASH_LEN];
	int ret;

	ret = spdm_digest(dev->hash, s->th.data, s->th.len, NULL, 0, th);
	ret = ret ?: spdm_hmac(dev->hash, s->rsp_finished, th, dev->hash->len,
			       mac);
	if (ret)
		return ret;
	if (misbehave_get(&dev->misbehave, MB_KE_BAD_VERIFY, req->code)) {
		log_msg("port %u: misbehave ke-bad-verify: ResponderVerifyData altered",
			dev->port);
		mac[0] ^= 0x01;
	}
	return msg_put(rsp, mac, dev->hash->len) ?:
	       msg_put(&s->th, mac, dev->hash->len);
}

