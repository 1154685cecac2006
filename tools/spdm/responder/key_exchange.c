// SPDX-License-Identifier: GPL-2.0
/*
 * KEY_EXCHANGE / KEY_EXCHANGE_RSP (DSP0274 1.1 sec 10.14, 1.2/1.3 sec
 * 10.17): ephemeral ECDHE, the responder's signature over TH1 and
 * ResponderVerifyData.
 *
 * KEY_EXCHANGE: SPDMVersion, 0xE4, Param1 MeasurementSummaryHashType,
 * Param2 SlotID, ReqSessionID (2), SessionPolicy (1, 1.2+; reserved in
 * 1.1), Reserved (1), RandomData (32), ExchangeData (D), OpaqueDataLength
 * (2), OpaqueData.  KEY_EXCHANGE_RSP: SPDMVersion, 0x64, Param1
 * HeartbeatPeriod, Param2 reserved, RspSessionID (2), MutAuthRequested
 * (1), ReqSlotIDParam (1), RandomData (32), ExchangeData (D),
 * MeasurementSummaryHash (H if Param1 asked for one), OpaqueDataLength
 * (2), OpaqueData, Signature (S), ResponderVerifyData (H; absent when
 * both sides have HANDSHAKE_IN_THE_CLEAR_CAP).  1.3 adds no field.
 *
 * Transcript (1.1-1.3 "TH1"; libspdm libspdm_calculate_th_for_exchange):
 *   TH = VCA || Hash(CertChain of the slot) || KEY_EXCHANGE ||
 *        KEY_EXCHANGE_RSP up to the Signature
 *   Signature = Sign(TH) as for CHALLENGE_AUTH: 1.1 over Hash(TH), 1.2+
 *        over combined_spdm_prefix("responder-key_exchange_rsp signing")
 *        || Hash(TH)
 *   TH1 = TH || Signature; the handshake keys come from Hash(TH1)
 *   ResponderVerifyData = HMAC(rsp finished_key, Hash(TH1))
 * CertChain is the chain as served by CERTIFICATE (Length, Reserved,
 * RootHash, certificates), so its hash is the slot's DIGESTS digest.
 *
 * OpaqueData: the DSP0277 secured message version.  The request lists
 * the versions the requester supports, the response selects one: 1.1
 * uses the DSP0277 general opaque data table (SpecID "DMTF", 0x444D5446,
 * OpaqueVersion 1, TotalElements, Reserved(2)), 1.2+ the DSP0274 general
 * opaque data format (TotalElements, Reserved(3)), each followed by
 * elements ID 0 (DMTF), VendorLen 0, OpaqueElementDataLen (2), data,
 * zero padding to 4 bytes; the data is SMDataVersion 1, SMDataID (0:
 * version selection with one VersionNumberEntry; 1: supported version
 * list with VersionCount and entries).  No OpaqueData, no selection.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "log.h"
#include "handlers.h"

#define KE_REQ_FIXED		40
#define KE_RSP_FIXED		40
#define KE_SIGN_CONTEXT		"responder-key_exchange_rsp signing"
#define SLOT_PUB_KEY		0xff
#define MEAS_SUMMARY_NONE	0
#define MEAS_SUMMARY_TCB	1
#define MEAS_SUMMARY_ALL	0xff
#define OPAQUE_SPEC_ID		0x444d5446	/* "DMTF" */
#define OPAQUE_VERSION		1
#define OPAQUE_ID_DMTF		0
#define SM_DATA_VERSION		1
#define SM_DATA_SELECTION	0
#define SM_DATA_SUPPORTED	1
#define OPAQUE_MAX		1024

static const uint16_t secured_versions[] = {
	SPDM_SECURED_VER_12, SPDM_SECURED_VER_11, SPDM_SECURED_VER_10,
};

/*
 * The highest DSP0277 version in the requester's OpaqueData that we
 * support; 0 without OpaqueData.  Returns why the data is unusable.
 */
static const char *opaque_version(uint8_t version, const uint8_t *p,
				  size_t len, uint16_t *sel)
{
	size_t off, hdr = version >= SPDM_VER_12 ? 4 : 8, dlen, i, j;
	unsigned int nr, e;
	bool found = false;

	*sel = 0;
	if (!len)
		return NULL;
	if (len < hdr)
		return "OpaqueData shorter than its header";
	if (version < SPDM_VER_12 &&
	    (get_le32(p) != OPAQUE_SPEC_ID || p[4] != OPAQUE_VERSION))
		return "OpaqueData not in the DSP0277 format (SpecID, OpaqueVersion)";
	nr = version >= SPDM_VER_12 ? p[0] : p[5];
	off = hdr;
	for (e = 0; e < nr; e++) {
		const uint8_t *d;

		if (off + 2 > len || off + 4 + p[off + 1] > len)
			return "OpaqueData element overruns OpaqueDataLength";
		dlen = get_le16(p + off + 2 + p[off + 1]);
		d = p + off + 4 + p[off + 1];
		if (d + dlen > p + len)
			return "OpaqueData element overruns OpaqueDataLength";
		if (p[off] == OPAQUE_ID_DMTF && !p[off + 1] && dlen >= 3 &&
		    d[0] == SM_DATA_VERSION && d[1] == SM_DATA_SUPPORTED) {
			if (dlen < 3 + 2 * (size_t)d[2])
				return "supported version list overruns its element";
			found = true;
			for (i = 0; i < sizeof(secured_versions) /
				    sizeof(secured_versions[0]) && !*sel; i++)
				for (j = 0; j < d[2]; j++)
					if ((get_le16(d + 3 + 2 * j) & 0xff00) ==
					    secured_versions[i])
						*sel = secured_versions[i];
		}
		off = (off + 4 + p[off + 1] + dlen + 3) & ~(size_t)3;
	}
	if (off < len && len - off > 3)
		return "OpaqueData longer than its elements";
	if (!found)
		return "OpaqueData without a secured message version list";
	if (!*sel)
		return "no common secured message (DSP0277) version";
	return NULL;
}

/* The OpaqueData that selects @sel (nothing for 0). */
static int put_opaque(struct msg *rsp, uint8_t version, uint16_t sel)
{
	uint8_t o[16] = { 0 };
	size_t n = 0;

	if (!sel)
		return msg_put_le16(rsp, 0);
	if (version >= SPDM_VER_12) {
		o[n++] = 1;		/* TotalElements, Reserved(3) */
		n += 3;
	} else {
		put_le32(o, OPAQUE_SPEC_ID);
		o[4] = OPAQUE_VERSION;
		o[5] = 1;		/* TotalElements, Reserved(2) */
		n = 8;
	}
	o[n++] = OPAQUE_ID_DMTF;
	o[n++] = 0;			/* VendorLen */
	o[n++] = 4;			/* OpaqueElementDataLen */
	o[n++] = 0;
	o[n++] = SM_DATA_VERSION;
	o[n++] = SM_DATA_SELECTION;
	o[n++] = sel & 0xff;
	o[n++] = sel >> 8;
	return msg_put_le16(rsp, n) ?: msg_put(rsp, o, n);
}

static int check_request(struct spdm_device *dev,
			 const struct spdm_request *req, struct msg *rsp,
			 size_t *opaque_off, size_t *opaque_len)
{
	size_t d = spdm_dhe_len(dev->dhe_sel), off;
	uint8_t slot = req->param2, type = req->param1;

	if (!dev->dhe_sel || !dev->aead_sel || !dev->key_sched_sel)
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0,
				   "no DHE, AEAD or KeySchedule negotiated (DHE 0x%x AEAD 0x%x KeySchedule 0x%x)",
				   dev->dhe_sel, dev->aead_sel,
				   dev->key_sched_sel);
	off = KE_REQ_FIXED + d;
	if (req->len < off + 2)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, %s needs %zu before OpaqueDataLength",
				   req->len, spdm_dhe_name(dev->dhe_sel), off);
	*opaque_off = off + 2;
	*opaque_len = get_le16(req->buf + off);
	if (*opaque_len > OPAQUE_MAX ||
	    !spdm_req_len_ok(req, off + 2 + *opaque_len))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, OpaqueDataLength %zu", req->len,
				   *opaque_len);
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
	if (type != MEAS_SUMMARY_NONE &&
	    (!(dev->rsp_flags & SPDM_CAP_MEAS_MASK) || !dev->meas.spec_sel))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "MeasurementSummaryHashType 0x%02x without MEAS_CAP or MeasurementSpecification",
				   type);
	return 0;
}

/* Sign TH (= @s->th so far) into @rsp and @s->th. */
static int put_signature(struct spdm_device *dev, struct spdm_session *s,
			 const struct spdm_request *req, struct msg *rsp)
{
	size_t sig_len = spdm_sig_len(dev->asym_sel, dev->pqc_sel);
	uint8_t sig[SPDM_MAX_SIG_LEN];
	int ret;

	ret = spdm_sign_transcript(dev, &dev->slot[s->slot]->key, s->th.data,
				   s->th.len, KE_SIGN_CONTEXT,
				   dev->version >= SPDM_VER_12, sig);
	if (ret)
		return ret;
	if (misbehave_get(&dev->misbehave, MB_KE_BAD_SIG, req->code)) {
		log_msg("port %u: misbehave ke-bad-sig: KEY_EXCHANGE_RSP Signature altered",
			dev->port);
		sig[sig_len - 1] ^= 0x01;
	}
	return msg_put(rsp, sig, sig_len) ?: msg_put(&s->th, sig, sig_len);
}

/*
 * MutAuthRequested: we never ask for mutual authentication, except with
 * ke-mut-auth (then even of a requester without MUT_AUTH_CAP).
 */
static uint8_t mut_auth_requested(struct spdm_device *dev,
				  const struct spdm_request *req)
{
	const struct misbehave_switch *sw;
	uint8_t bits;

	sw = misbehave_get(&dev->misbehave, MB_KE_MUT_AUTH, req->code);
	if (!sw)
		return 0;
	bits = sw->has_value ? sw->value : 0x01;
	log_msg("port %u: misbehave ke-mut-auth: MutAuthRequested 0x%02x to a requester %s MUT_AUTH_CAP",
		dev->port, bits,
		dev->req_flags & SPDM_CAP_MUT_AUTH ? "with" : "without");
	return bits;
}

static int build_response(struct spdm_device *dev, struct spdm_session *s,
			  const struct spdm_request *req, size_t req_len,
			  uint16_t sec_ver, struct msg *rsp)
{
	size_t d = spdm_dhe_len(dev->dhe_sel), shared_len;
	uint8_t shared[SPDM_MAX_SHARED_LEN], th1[SPDM_MAX_HASH_LEN];
	uint8_t hdr[8], pub[SPDM_MAX_DHE_LEN], summary[SPDM_MAX_HASH_LEN];
	const struct spdm_chain *chain = spdm_slot_chain(dev, s->slot);
	int ret;

	ret = spdm_ecdh(dev->dhe_sel, req->buf + KE_REQ_FIXED, pub, shared,
			&shared_len);
	if (ret == -EINVAL)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "ExchangeData is not a %s point",
				   spdm_dhe_name(dev->dhe_sel)) ?: 1;
	if (ret)
		return ret;
	hdr[0] = req->version;
	hdr[1] = SPDM_KEY_EXCHANGE_RSP;
	hdr[2] = dev->heartbeat_period;
	hdr[3] = 0;
	hdr[4] = s->rsp_id & 0xff;
	hdr[5] = s->rsp_id >> 8;
	hdr[6] = mut_auth_requested(dev, req);
	hdr[7] = 0;			/* ReqSlotIDParam */
	ret = msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_reserve(rsp, SPDM_RANDOM_LEN);
	ret = ret ?: spdm_random(rsp->data + rsp->len, SPDM_RANDOM_LEN);
	if (ret)
		goto out;
	rsp->len += SPDM_RANDOM_LEN;
	ret = msg_put(rsp, pub, d);
	if (!ret && req->param1 != MEAS_SUMMARY_NONE) {
		ret = spdm_meas_summary(dev, req->param1, summary);
		if (!ret && misbehave_get(&dev->misbehave,
					  MB_MEAS_SUMMARY_MISMATCH, req->code))
			summary[0] ^= 0xff;
		ret = ret ?: msg_put(rsp, summary, dev->hash->len);
	}
	ret = ret ?: put_opaque(rsp, req->version, sec_ver);
	/* TH = VCA || Hash(CertChain) || KEY_EXCHANGE || rsp so far */
	ret = ret ?: msg_put(&s->th, dev->vca.data, dev->vca.len);
	ret = ret ?: msg_put(&s->th, chain->digest, dev->hash->len);
	ret = ret ?: msg_put(&s->th, req->buf, req_len);
	ret = ret ?: msg_put(&s->th, rsp->data, rsp->len);
	ret = ret ?: put_signature(dev, s, req, rsp);
	ret = ret ?: spdm_digest(dev->hash, s->th.data, s->th.len, NULL, 0,
				 th1);
	ret = ret ?: spdm_keys_handshake(s, dev->hash, dev->version,
					 dev->aead_sel, shared, shared_len, th1);
	if (!ret) {
		spdm_keylog_bytes(dev, s, "dhe_secret", shared, shared_len);
		spdm_keylog(dev, s);
	}
	if (!ret && !s->clear_handshake)
		ret = spdm_put_verify_data(dev, s, req, rsp);
out:
	OPENSSL_cleanse(shared, sizeof(shared));
	return ret;
}

int spdm_key_exchange(struct spdm_device *dev, const struct spdm_request *req,
		      struct msg *rsp)
{
	size_t opaque_off = 0, opaque_len = 0, len, h;
	struct spdm_session *s;
	const char *why;
	uint16_t sec_ver;
	int ret;

	ret = check_request(dev, req, rsp, &opaque_off, &opaque_len);
	if (ret || rsp->len)
		return ret;
	why = opaque_version(req->version, req->buf + opaque_off, opaque_len,
			     &sec_ver);
	if (why)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%s", why);
	h = dev->hash->len;
	len = KE_RSP_FIXED + spdm_dhe_len(dev->dhe_sel) +
	      (req->param1 != MEAS_SUMMARY_NONE ? h : 0) + 2 +
	      (sec_ver ? (req->version >= SPDM_VER_12 ? 12 : 16) : 0) +
	      spdm_sig_len(dev->asym_sel, dev->pqc_sel) +
	      (dev->rsp_flags & dev->req_flags & SPDM_CAP_HANDSHAKE_CLEAR ?
	       0 : h);
	if (!spdm_rsp_fits(dev, len))
		return spdm_too_large(dev, req, rsp, len);
	s = spdm_session_new(dev, get_le16(req->buf + 4));
	if (!s)
		return spdm_reject(dev, req, rsp, SPDM_ERR_SESSION_LIMIT, 0,
				   "all %d sessions in use", SPDM_MAX_SESSIONS);
	s->slot = req->param2;
	s->secured_version = sec_ver;
	s->clear_handshake = dev->rsp_flags & dev->req_flags &
			     SPDM_CAP_HANDSHAKE_CLEAR;
	s->mac_only = !(dev->rsp_flags & dev->req_flags & SPDM_CAP_ENCRYPT);
	ret = build_response(dev, s, req, opaque_off + opaque_len, sec_ver,
			     rsp);
	if (ret) {
		spdm_session_free(dev, s);
		if (ret > 0)
			return 0;
		log_msg("port %u: cannot build KEY_EXCHANGE_RSP (%s, %s, %s)",
			dev->port, spdm_dhe_name(dev->dhe_sel),
			spdm_sig_name(dev->asym_sel, dev->pqc_sel), dev->hash->name);
		msg_reset(rsp);
		return spdm_error(rsp, req->version, SPDM_ERR_UNSPECIFIED, 0,
				  NULL, 0);
	}
	log_msg("port %u: session 0x%08x: KEY_EXCHANGE with %s, %s, slot %u, secured messages %u.%u%s%s",
		dev->port, s->id, spdm_dhe_name(dev->dhe_sel),
		spdm_aead_name(dev->aead_sel), s->slot, sec_ver >> 12,
		(sec_ver >> 8) & 0xf, s->clear_handshake ?
		", handshake in the clear" : "",
		s->mac_only ? ", MAC only" : "");
	return 0;
}
