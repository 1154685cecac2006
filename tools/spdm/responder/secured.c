// SPDX-License-Identifier: GPL-2.0
/*
 * Secured messages (DMTF DSP0277) in PCIe DOE data objects of type 2
 * ("secured CMA", PCIe r6 sec 6.31.4): the transport of a session, above
 * the dispatcher (doe.c wraps what it returns in a DOE object; the
 * session table is in session.c).
 *
 * A secured DOE object carries, after the DOE header, one record:
 *
 *   SessionID (4) || SequenceNumber (S) || Length (2) || data || MAC (16)
 *
 * SessionID is the 32-bit session ID of DSP0274 (KEY_EXCHANGE: "the
 * concatenation of ReqSessionID and RspSessionID"), little endian, so
 * ReqSessionID's two bytes come first on the wire:
 *   byte 0-1: ReqSessionID (LE), byte 2-3: RspSessionID (LE),
 *   i.e. the u32 is (RspSessionID << 16) | ReqSessionID (spdm_session_id()).
 * S, the bytes of the sequence number on the wire, is transport defined:
 * 0 for PCIe DOE (no sequence number in the record; both sides count:
 * libspdm's PCI_DOE_SEQUENCE_NUMBER_COUNT 0), so the sequence number
 * enters only the IV.  Random padding: none for PCIe DOE (libspdm's
 * PCI_DOE_MAX_RANDOM_NUMBER_COUNT 0).  Length counts what follows it.
 *   encrypt + MAC: data = AEAD-Encrypt(ApplicationDataLength (2, LE) ||
 *                  SPDM message); AAD = SessionID || SequenceNumber ||
 *                  Length.
 *   MAC only (one side lacks ENCRYPT_CAP): data = the SPDM message in
 *                  clear; AAD = SessionID || SequenceNumber || Length ||
 *                  message; nothing encrypted.
 * The DOE object is then zero-padded to a dword (outside Length).  Each
 * direction has its own keys and sequence number starting at 0; the
 * handshake keys protect FINISH/FINISH_RSP, the data keys everything
 * after FINISH_RSP (sequence numbers restart at 0 with them and after
 * every key update).
 *
 * A record that fails authentication (or cannot be parsed) is answered
 * with a plain (type 1) ERROR(DecryptError) and the session ends
 * (DSP0274 "DecryptError": the session is terminated), as libspdm does.
 * An unknown SessionID is answered in doe.c (ERROR InvalidSession).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "secured.h"
#include "spdm.h"

#define REC_ID_LEN	4
#define REC_LEN_LEN	2
#define APP_LEN_LEN	2

/*
 * Seal @msg into a record for @session_id with @k at sequence number
 * k->seq (@seq_len of its bytes, little endian, in the header).
 */
int spdm_record_seal(uint16_t aead, bool mac_only,
		     const struct spdm_sess_keys *k, uint32_t session_id,
		     size_t seq_len, const uint8_t *msg, size_t len,
		     struct msg *out)
{
	size_t hdr = REC_ID_LEN + seq_len + REC_LEN_LEN, body, i;
	uint8_t *p;
	int ret;

	body = (mac_only ? 0 : APP_LEN_LEN) + len;
	if (body + SPDM_AEAD_TAG_LEN > 0xffff || seq_len > 8)
		return -EMSGSIZE;
	ret = msg_reserve(out, hdr + body + SPDM_AEAD_TAG_LEN);
	if (ret)
		return ret;
	p = out->data + out->len;
	put_le32(p, session_id);
	for (i = 0; i < seq_len; i++)
		p[REC_ID_LEN + i] = (uint8_t)(k->seq >> (8 * i));
	p[hdr - 2] = (body + SPDM_AEAD_TAG_LEN) & 0xff;
	p[hdr - 1] = (body + SPDM_AEAD_TAG_LEN) >> 8;
	if (mac_only) {
		memcpy(p + hdr, msg, len);
		ret = spdm_aead_seal(aead, k, k->seq, p, hdr + len, NULL, 0,
				     NULL, p + hdr + len);
	} else {
		uint8_t *plain = OPENSSL_malloc(body ? body : 1);

		if (!plain)
			return -ENOMEM;
		plain[0] = len & 0xff;
		plain[1] = len >> 8;
		memcpy(plain + APP_LEN_LEN, msg, len);
		ret = spdm_aead_seal(aead, k, k->seq, p, hdr, plain, body,
				     p + hdr, p + hdr + body);
		OPENSSL_clear_free(plain, body ? body : 1);
	}
	if (!ret)
		out->len += hdr + body + SPDM_AEAD_TAG_LEN;
	return ret;
}

/*
 * Open the record @rec of @len bytes (DOE padding included) with @k at
 * k->seq; the SPDM message goes to @out.  Returns 0, or -EBADMSG with
 * *@why set.
 */
int spdm_record_open(uint16_t aead, bool mac_only,
		     const struct spdm_sess_keys *k, size_t seq_len,
		     const uint8_t *rec, size_t len, struct msg *out,
		     const char **why)
{
	size_t hdr = REC_ID_LEN + seq_len + REC_LEN_LEN, rlen, body, app, i;
	uint8_t *plain;
	int ret;

	if (len < hdr) {
		*why = "record shorter than its header";
		return -EBADMSG;
	}
	for (i = 0; i < seq_len; i++)
		if (rec[REC_ID_LEN + i] != (uint8_t)(k->seq >> (8 * i))) {
			*why = "unexpected sequence number";
			return -EBADMSG;
		}
	rlen = get_le16(rec + hdr - 2);
	if (rlen > len - hdr || len - hdr - rlen > 3) {
		*why = "Length does not match the data object";
		return -EBADMSG;
	}
	if (rlen < SPDM_AEAD_TAG_LEN + (mac_only ? 0 : APP_LEN_LEN)) {
		*why = "Length too small for the MAC";
		return -EBADMSG;
	}
	body = rlen - SPDM_AEAD_TAG_LEN;
	msg_reset(out);
	if (mac_only) {
		if (spdm_aead_open(aead, k, k->seq, rec, hdr + body, NULL, 0,
				   rec + hdr + body, NULL)) {
			*why = "MAC does not verify";
			return -EBADMSG;
		}
		return msg_put(out, rec + hdr, body);
	}
	plain = OPENSSL_malloc(body);
	if (!plain)
		return -ENOMEM;
	ret = spdm_aead_open(aead, k, k->seq, rec, hdr, rec + hdr, body,
			     rec + hdr + body, plain);
	if (ret) {
		*why = "MAC does not verify";
		ret = -EBADMSG;
	} else {
		app = get_le16(plain);
		if (app > body - APP_LEN_LEN) {
			*why = "ApplicationDataLength beyond the data";
			ret = -EBADMSG;
		} else {
			ret = msg_put(out, plain + APP_LEN_LEN, app);
		}
	}
	OPENSSL_clear_free(plain, body);
	return ret;
}

/*
 * Run one SPDM request inside @s: the session has its own L1/L2 (DSP0274
 * 1.2+ "measurement transcripts are per session") and GET_DIGESTS /
 * GET_CERTIFICATE in it do not enter the CHALLENGE transcript B.
 */
static int respond_in_session(struct spdm_device *dev, struct spdm_session *s,
			      const struct msg *req, struct msg *rsp,
			      struct spdm_action *act)
{
	unsigned long gen;
	int ret;

	msg_swap(&dev->meas.l1, &s->l1);
	msg_swap(&dev->b, &s->b);
	gen = dev->meas.l1_generation;
	dev->meas.l1_generation = s->l1_generation;
	dev->cur_session = s;
	ret = spdm_respond(dev, req->data, req->len, rsp, act);
	dev->cur_session = NULL;
	s->l1_generation = dev->meas.l1_generation;
	dev->meas.l1_generation = gen;
	msg_swap(&dev->meas.l1, &s->l1);
	msg_swap(&dev->b, &s->b);
	if (s->state == SPDM_SESS_FREE) {
		/* the request ended every session (RequestResynch) */
		msg_free(&s->l1);
		msg_free(&s->b);
	}
	return ret;
}

/* Seal @rsp for @s into @out, applying the sm-* misbehaviours. */
static int send_secured(struct spdm_device *dev, struct spdm_session *s,
			uint8_t code, const struct msg *rsp, struct msg *out)
{
	const struct misbehave_set *set = &dev->misbehave;
	const struct misbehave_switch *sw;
	uint32_t id = s->id;
	struct msg rec;
	int ret;

	if (s->state == SPDM_SESS_ESTABLISHED && !s->to_established) {
		s->responses++;
		sw = misbehave_get(set, MB_SM_UNANNOUNCED_KEY_UPDATE, code);
		if (sw && s->responses == (sw->has_value ? sw->value : 1)) {
			log_msg("port %u: misbehave sm-unannounced-key-update: session 0x%08x response keys updated unasked",
				dev->port, s->id);
			ret = spdm_keys_update(&s->rsp, dev->hash,
					       dev->version, dev->aead_sel);
			if (ret)
				return ret;
			spdm_keylog(dev, s);
		}
	}
	if (misbehave_get(set, MB_SM_WRONG_SESSION, code)) {
		id ^= 1U;	/* bit 0 of ReqSessionID */
		log_msg("port %u: misbehave sm-wrong-session: response for session 0x%08x sent as 0x%08x",
			dev->port, s->id, id);
	}
	msg_init(&rec);
	ret = spdm_record_seal(dev->aead_sel, s->mac_only, &s->rsp, id, 0,
			       rsp->data, rsp->len, &rec);
	if (ret) {
		msg_free(&rec);
		return ret;
	}
	s->rsp.seq++;
	if (misbehave_get(set, MB_SM_BAD_MAC, code)) {
		log_msg("port %u: misbehave sm-bad-mac: MAC of the response altered",
			dev->port);
		rec.data[rec.len - 1] ^= 0x01;
	}
	if (misbehave_get(set, MB_SM_REPLAY, code) && s->last_record.len) {
		log_msg("port %u: misbehave sm-replay: session 0x%08x sends its previous record again",
			dev->port, s->id);
		msg_swap(&rec, &s->last_record);
	}
	msg_reset(&s->last_record);
	ret = msg_put(&s->last_record, rec.data, rec.len);
	ret = ret ?: msg_put(out, rec.data, rec.len);
	msg_free(&rec);
	return ret;
}

/*
 * DSP0274 HEARTBEAT: with a HeartbeatPeriod, a session that saw no
 * message for twice the period may be ended by the responder.  We do, to
 * make the requester's heartbeats matter.
 */
static bool session_expired(const struct spdm_device *dev,
			    const struct spdm_session *s)
{
	struct timespec now;
	long long ms;

	if (!dev->heartbeat_period)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - s->last_msg.tv_sec) * 1000LL +
	     (now.tv_nsec - s->last_msg.tv_nsec) / 1000000;
	if (ms <= 2000LL * dev->heartbeat_period)
		return false;
	log_msg("port %u: session 0x%08x expired: no secured message for %lld ms (HeartbeatPeriod %u s)",
		dev->port, s->id, ms, dev->heartbeat_period);
	return true;
}

/* --verbose: the SPDM message inside a secured record, in the clear. */
static void log_session_hex(const struct spdm_device *dev,
			    const struct spdm_session *s, const char *what,
			    const struct msg *m)
{
	char hdr[80];

	if (log_level < LOG_VERBOSE)
		return;
	snprintf(hdr, sizeof(hdr), "port %u: session 0x%08x %s", dev->port,
		 s->id, what);
	log_hex(hdr, m->data, m->len);
}

/*
 * A secured CMA object for the existing session with the ID at @sec
 * (@len bytes: the DOE payload).  @out gets the response, a plain SPDM
 * message or a secured record as @kind says; the caller puts it in a DOE
 * object.  -ENOENT: no such session (or it expired).
 */
int spdm_secured_process(struct spdm_device *dev, const uint8_t *sec,
			 size_t len, struct msg *out,
			 enum spdm_secured_kind *kind,
			 struct spdm_action *act)
{
	struct spdm_session *s = spdm_session_find(dev, get_le32(sec));
	struct msg req, rsp;
	const char *why = "";
	uint8_t code;
	int ret;

	if (!s)
		return -ENOENT;
	if (session_expired(dev, s)) {
		spdm_session_free(dev, s);
		return -ENOENT;
	}
	msg_init(&req);
	msg_init(&rsp);
	if (s->state == SPDM_SESS_HANDSHAKE && s->clear_handshake) {
		why = "handshake is in the clear";
		ret = -EBADMSG;
	} else {
		ret = spdm_record_open(dev->aead_sel, s->mac_only, &s->req, 0,
				       sec, len, &req, &why);
	}
	if (ret == -EBADMSG) {
		log_msg("port %u: secured message for session 0x%08x rejected: %s; session ended, ERROR DecryptError",
			dev->port, s->id, why);
		spdm_session_free(dev, s);
		ret = spdm_error(out, spdm_error_version(dev),
				 SPDM_ERR_DECRYPT_ERROR, 0, NULL, 0);
		*kind = SPDM_SECURED_PLAIN;
		goto out;
	}
	if (ret)
		goto out;
	s->req.seq++;
	clock_gettime(CLOCK_MONOTONIC, &s->last_msg);
	code = req.len >= 2 ? req.data[1] : 0;
	log_session_hex(dev, s, "request", &req);
	ret = respond_in_session(dev, s, &req, &rsp, act);
	if (!ret && !act->drop)
		log_session_hex(dev, s, "response", &rsp);
	if (ret) {
		log_msg("port %u: cannot build a response (%s); discarding request",
			dev->port, strerror(-ret));
		ret = 0;
		goto out;
	}
	if (act->drop)
		goto out;
	if (s->state == SPDM_SESS_FREE ||
	    misbehave_get(&dev->misbehave, MB_SM_CLEAR, code)) {
		if (s->state != SPDM_SESS_FREE)
			log_msg("port %u: misbehave sm-clear: answering a request of session 0x%08x in the clear",
				dev->port, s->id);
		msg_swap(out, &rsp);
		*kind = SPDM_SECURED_PLAIN;
		goto out;
	}
	ret = send_secured(dev, s, code, &rsp, out);
	if (ret)
		goto out;
	*kind = SPDM_SECURED_RECORD;
	if (s->to_established) {
		/* FINISH_RSP went out with the handshake keys */
		s->to_established = false;
		s->req = s->data_req;
		s->rsp = s->data_rsp;
		OPENSSL_cleanse(&s->data_req, sizeof(s->data_req));
		OPENSSL_cleanse(&s->data_rsp, sizeof(s->data_rsp));
		s->state = SPDM_SESS_ESTABLISHED;
		log_msg("port %u: session 0x%08x established (%s, %s)",
			dev->port, s->id, spdm_aead_name(dev->aead_sel),
			s->mac_only ? "MAC only" : "encrypted");
	}
	if (s->ending) {
		log_msg("port %u: session 0x%08x ended", dev->port, s->id);
		spdm_session_free(dev, s);
	}
out:
	msg_free(&req);
	msg_free(&rsp);
	return ret;
}
