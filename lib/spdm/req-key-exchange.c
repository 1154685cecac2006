// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * KEY_EXCHANGE / KEY_EXCHANGE_RSP and FINISH / FINISH_RSP (DSP0274 1.3
 * sec 10.17 and 10.18): an ephemeral ECDH key exchange, signed by the
 * device with the leaf key of the authenticated slot, opens a secure
 * session (DSP0277).
 *
 * Transcripts (the same for SPDM 1.1 to 1.4; from 1.4 on FINISH and
 * FINISH_RSP carry OpaqueDataLength and OpaqueData after the header):
 *   TH1 = VCA || Hash(CertChain) || KEY_EXCHANGE || KEY_EXCHANGE_RSP up
 *	   to and including its signature, which covers TH1 up to itself
 *	   as CHALLENGE_AUTH's does, with the context
 *	   "responder-key_exchange_rsp signing"
 *   ResponderVerifyData = HMAC(rsp finished key, Hash(TH1))
 *   RequesterVerifyData = HMAC(req finished key, Hash(TH1 ||
 *	   ResponderVerifyData || FINISH header))
 *   TH2 = TH1 || ResponderVerifyData || FINISH || FINISH_RSP
 * CertChain is the chain as CERTIFICATE served it (DIGESTS' digest).
 */

#include <crypto/ecdh.h>
#include <crypto/hash.h>
#include <crypto/kpp.h>
#include <crypto/utils.h>
#include <linux/device.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "session.h"
#include "state.h"
#include "wire.h"

/* General opaque data (DSP0274 1.2+ table 98; DSP0277 1.1 for SPDM 1.1) */
#define SPDM_OPAQUE_SPEC_ID	0x444d5446	/* "DMTF" */
#define SPDM_OPAQUE_VERSION	1
#define SPDM_OPAQUE_ID_DMTF	0
#define SPDM_SM_DATA_VERSION	1
#define SPDM_SM_DATA_SELECTION	0
#define SPDM_SM_DATA_SUPPORTED	1
#define SPDM_OPAQUE_MAX_SZ	32	/* what spdm_opaque_versions() builds */

static const u16 spdm_secured_versions[] = {
	SPDM_SECURED_VER_10, SPDM_SECURED_VER_11, SPDM_SECURED_VER_12,
};

static size_t spdm_opaque_hdr_sz(u8 version)
{
	return version >= SPDM_VER_12 ? 4 : 8;
}

/**
 * spdm_opaque_versions() - OpaqueData listing our DSP0277 versions
 * @version: negotiated SPDM version (0x11 or later)
 * @buf: receives at most %SPDM_OPAQUE_MAX_SZ bytes
 *
 * SPDM 1.1 uses the DSP0277 opaque data header (SpecID "DMTF",
 * OpaqueVersion 1), SPDM 1.2+ the DSP0274 general opaque data format;
 * one DMTF element holds the supported version list.
 *
 * Return: size of the OpaqueData.
 */
size_t spdm_opaque_versions(u8 version, u8 *buf)
{
	size_t n = spdm_opaque_hdr_sz(version), i, data;

	memset(buf, 0, SPDM_OPAQUE_MAX_SZ);
	if (version >= SPDM_VER_12) {
		buf[0] = 1;			/* TotalElements */
	} else {
		put_unaligned_le32(SPDM_OPAQUE_SPEC_ID, buf);
		buf[4] = SPDM_OPAQUE_VERSION;
		buf[5] = 1;			/* TotalElements */
	}
	buf[n++] = SPDM_OPAQUE_ID_DMTF;
	buf[n++] = 0;				/* VendorLen */
	data = 3 + 2 * ARRAY_SIZE(spdm_secured_versions);
	put_unaligned_le16(data, buf + n);
	n += 2;
	buf[n++] = SPDM_SM_DATA_VERSION;
	buf[n++] = SPDM_SM_DATA_SUPPORTED;
	buf[n++] = ARRAY_SIZE(spdm_secured_versions);
	for (i = 0; i < ARRAY_SIZE(spdm_secured_versions); i++) {
		put_unaligned_le16(spdm_secured_versions[i], buf + n);
		n += 2;
	}
	return ALIGN(n, 4);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_opaque_versions);

/**
 * spdm_parse_opaque_selection() - find the DSP0277 version selected
 * @version: negotiated SPDM version
 * @opaque: OpaqueData of KEY_EXCHANGE_RSP
 * @len: OpaqueDataLength
 * @selected: receives the selected version, 0 if there is no selection
 *
 * Walks every element; elements of other vendors or kinds are skipped.
 *
 * Return: 0 if the data is well-formed and selects nothing or a version
 * we offered, -EPROTO otherwise.
 */
int spdm_parse_opaque_selection(u8 version, const u8 *opaque, size_t len,
				u16 *selected)
{
	size_t hdr = spdm_opaque_hdr_sz(version), off, data_len, vendor_len;
	unsigned int nr, e, i;
	u16 sel = 0;

	*selected = 0;
	if (!len)
		return 0;
	if (len < hdr)
		return -EPROTO;
	if (version < SPDM_VER_12 &&
	    (get_unaligned_le32(opaque) != SPDM_OPAQUE_SPEC_ID ||
	     opaque[4] != SPDM_OPAQUE_VERSION))
		return -EPROTO;
	nr = version >= SPDM_VER_12 ? opaque[0] : opaque[5];

	for (off = hdr, e = 0; e < nr; e++) {
		const u8 *d;

		if (off + 2 > len)
			return -EPROTO;
		vendor_len = opaque[off + 1];
		if (off + 4 + vendor_len > len)
			return -EPROTO;
		data_len = get_unaligned_le16(opaque + off + 2 + vendor_len);
		d = opaque + off + 4 + vendor_len;
		if (off + 4 + vendor_len + data_len > len)
			return -EPROTO;

		if (opaque[off] == SPDM_OPAQUE_ID_DMTF && !vendor_len &&
		    data_len >= 2 && d[0] == SPDM_SM_DATA_VERSION &&
		    d[1] == SPDM_SM_DATA_SELECTION) {
			if (data_len < 4 || sel)
				return -EPROTO;
			sel = get_unaligned_le16(d + 2) & 0xff00;
			for (i = 0; i < ARRAY_SIZE(spdm_secured_versions); i++)
				if (sel == spdm_secured_versions[i])
					break;
			if (i == ARRAY_SIZE(spdm_secured_versions))
				return -EPROTO;
		}
		off = ALIGN(off + 4 + vendor_len + data_len, 4);
	}

	/* Only the padding of the last element may follow */
	if (off < len || off - len >= 4)
		return -EPROTO;

	*selected = sel;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_parse_opaque_selection);

/**
 * spdm_parse_key_exchange_rsp() - locate the fields of KEY_EXCHANGE_RSP
 * @version: negotiated SPDM version
 * @dhe_len: ExchangeData size of the negotiated DHE group
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
int spdm_parse_key_exchange_rsp(u8 version, size_t dhe_len, size_t hash_len,
				size_t sig_len, bool meas_summary,
				const u8 *rsp, size_t length,
				struct spdm_key_exchange_fields *f)
{
	f->meas_summary = sizeof(struct spdm_key_exchange_rsp) + dhe_len;
	f->opaque = f->meas_summary + (meas_summary ? hash_len : 0);
	if (length < f->opaque + sizeof(__le16))
		return -EIO;

	f->opaque_len = get_unaligned_le16(rsp + f->opaque);
	if (f->opaque_len > SPDM_MAX_OPAQUE_DATA)
		return -EPROTO;

	f->sig = f->opaque + sizeof(__le16) + f->opaque_len;
	f->verify = f->sig + sig_len;
	f->len = f->verify + hash_len;

	return length < f->len ? -EIO : 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_parse_key_exchange_rsp);

/* Ephemeral ECDH: a fresh private key, its public key X || Y to @pub */
static int spdm_dhe_keygen(struct crypto_kpp *kpp, u8 *pub, size_t pub_len)
{
	struct ecdh params = {};	/* no key: generate one */
	struct kpp_request *req;
	struct scatterlist dst;
	DECLARE_CRYPTO_WAIT(wait);
	unsigned int len;
	u8 *secret;
	int rc;

	len = crypto_ecdh_key_len(&params);
	secret = kmalloc(len, GFP_KERNEL);
	if (!secret)
		return -ENOMEM;
	rc = crypto_ecdh_encode_key(secret, len, &params);
	if (!rc)
		rc = crypto_kpp_set_secret(kpp, secret, len);
	kfree_sensitive(secret);
	if (rc)
		return rc;

	req = kpp_request_alloc(kpp, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	sg_init_one(&dst, pub, pub_len);
	kpp_request_set_input(req, NULL, 0);
	kpp_request_set_output(req, &dst, pub_len);
	kpp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				 crypto_req_done, &wait);
	rc = crypto_wait_req(crypto_kpp_generate_public_key(req), &wait);
	kpp_request_free(req);
	return rc;
}

/* The shared secret (x coordinate) with the device's X || Y @peer */
static int spdm_dhe_shared(struct crypto_kpp *kpp, const u8 *peer,
			   size_t peer_len, u8 *shared, size_t shared_len)
{
	struct scatterlist src, dst;
	struct kpp_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	int rc;

	req = kpp_request_alloc(kpp, GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	sg_init_one(&src, peer, peer_len);
	sg_init_one(&dst, shared, shared_len);
	kpp_request_set_input(req, &src, peer_len);
	kpp_request_set_output(req, &dst, shared_len);
	kpp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				 crypto_req_done, &wait);
	rc = crypto_wait_req(crypto_kpp_compute_shared_secret(req), &wait);
	kpp_request_free(req);
	return rc;
}

static int spdm_th_hash(struct spdm_state *spdm_state, u8 *digest)
{
	struct spdm_transcript *th = &spdm_state->session->th;

	return spdm_hash(spdm_state, th->data, th->len, digest);
}

static int spdm_hmac_th(struct spdm_state *spdm_state, const u8 *key,
			const u8 *th_hash, u8 *mac)
{
	struct crypto_shash *hmac = spdm_state->session->hmac;
	int rc;

	rc = crypto_shash_setkey(hmac, key, spdm_state->hash_len);
	if (rc)
		return rc;
	return crypto_shash_tfm_digest(hmac, th_hash, spdm_state->hash_len,
				       mac);
}

static int spdm_check_key_exchange_rsp(struct spdm_state *spdm_state,
				       const u8 *rsp, ssize_t length,
				       struct spdm_key_exchange_fields *f)
{
	const struct spdm_key_exchange_rsp *hdr = (const void *)rsp;
	struct spdm_session *s = spdm_state->session;
	int rc;

	rc = spdm_parse_key_exchange_rsp(spdm_state->version,
					 spdm_state->dhe_len,
					 spdm_state->hash_len,
					 spdm_state->sig_len, false, rsp,
					 length, f);
	rc = spdm_check_parsed(spdm_state, "KEY_EXCHANGE_RSP", rc,
			       f->opaque_len, length, f->len);
	if (rc)
		return rc;

	if (spdm_parse_opaque_selection(spdm_state->version,
					rsp + f->opaque + sizeof(__le16),
					f->opaque_len, &s->secured_version)) {
		dev_err(spdm_state->dev,
			"KEY_EXCHANGE_RSP OpaqueData malformed or selects a secured message version not offered\n");
		return -EPROTO;
	}

	s->heartbeat_period = hdr->param1;
	s->id = spdm_session_id(s->id, le16_to_cpu(hdr->rsp_session_id));
	spdm_state->ke_session_id = s->id;
	return 0;
}

/*
 * The kernel has no requester key and does not offer MUT_AUTH_CAP, so a
 * responder must not ask for it (DSP0274, KEY_EXCHANGE_RSP).  One that
 * does cannot complete FINISH: refuse the session, keep the
 * authentication CHALLENGE gave.  Only after the signature over
 * MutAuthRequested verified: else a man in the middle could turn a
 * session into none by flipping that byte.
 */
static int spdm_check_mut_auth(struct spdm_state *spdm_state, const u8 *rsp)
{
	const struct spdm_key_exchange_rsp *hdr = (const void *)rsp;

	if (!hdr->mut_auth_requested)
		return 0;
	dev_warn(spdm_state->dev,
		 "KEY_EXCHANGE_RSP requests mutual authentication (MutAuthRequested %#x), which the kernel does not offer\n",
		 hdr->mut_auth_requested);
	spdm_session_set_state(spdm_state, SPDM_SESSION_REFUSED, -EOPNOTSUPP,
			       "device requires mutual authentication (MutAuthRequested %#x), which the kernel does not offer",
			       hdr->mut_auth_requested);
	return -EOPNOTSUPP;
}

/*
 * TH1 up to the signature, VCA || Hash(CertChain) || KEY_EXCHANGE ||
 * KEY_EXCHANGE_RSP before its Signature at @sig_off, is the evidence of
 * the signature; a copy stays for verifiers.
 */
static int spdm_key_exchange_evidence(struct spdm_state *spdm_state, u8 slot,
				      const struct spdm_key_exchange_req *req,
				      size_t req_sz, const u8 *rsp,
				      size_t sig_off)
{
	struct spdm_transcript *th = &spdm_state->session->th;
	struct spdm_evidence *ev = &spdm_state->ke_ev;
	size_t h = spdm_state->hash_len;
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	rc = spdm_hash(spdm_state, spdm_state->slot[slot],
		       spdm_state->slot_sz[slot], digest);
	if (!rc)
		rc = spdm_transcript_append(th, spdm_state->transcript.data,
					    spdm_state->vca_len);
	if (!rc)
		rc = spdm_transcript_append(th, digest, h);
	if (!rc)
		rc = spdm_transcript_append(th, req, req_sz);
	if (!rc)
		rc = spdm_transcript_append(th, rsp, sig_off);
	if (!rc)
		rc = spdm_transcript_append(&spdm_state->ke_th1, th->data,
					    th->len);
	if (rc)
		return rc;

	ev->type = SPDM_SIG_TYPE_KEY_EXCHANGE;
	ev->context = SPDM_KEY_EXCHANGE_CONTEXT;
	ev->transcript = spdm_state->ke_th1.data;
	ev->transcript_len = spdm_state->ke_th1.len;
	ev->req_nonce_off = spdm_state->vca_len + h +
			    offsetof(struct spdm_key_exchange_req, random_data);
	ev->rsp_nonce_off = spdm_state->vca_len + h + req_sz +
			    offsetof(struct spdm_key_exchange_rsp, random_data);
	ev->slot = slot;
	rc = spdm_take_evidence(spdm_state, ev, rsp + sig_off,
				"KEY_EXCHANGE_RSP signature over TH1");
	return rc ? -EKEYREJECTED : 0;
}

/* KEY_EXCHANGE; on success the handshake keys are set */
static int spdm_send_key_exchange(struct spdm_state *spdm_state, u8 slot,
				  struct crypto_kpp *kpp)
{
	struct spdm_session *s = spdm_state->session;
	size_t d = spdm_state->dhe_len, h = spdm_state->hash_len;
	size_t req_sz, rsp_max;
	struct spdm_key_exchange_fields f;
	struct spdm_key_exchange_req *req;
	u8 *rsp = NULL, *shared = NULL;
	u8 digest[SPDM_MAX_HASH_SZ], mac[SPDM_MAX_HASH_SZ];
	u16 req_id, opaque_len;
	ssize_t length;
	int rc;

	req = kzalloc(sizeof(*req) + d + 2 + SPDM_OPAQUE_MAX_SZ, GFP_KERNEL);
	rsp_max = sizeof(struct spdm_key_exchange_rsp) + d + 2 +
		  SPDM_MAX_OPAQUE_DATA + spdm_state->sig_len + h +
		  SPDM_RSP_SLACK;
	rsp = kzalloc(rsp_max, GFP_KERNEL);
	shared = kzalloc(d / 2, GFP_KERNEL);
	if (!req || !rsp || !shared) {
		rc = -ENOMEM;
		goto out;
	}

	req->version = spdm_state->version;
	req->code = SPDM_KEY_EXCHANGE;
	req->param1 = SPDM_MEAS_SUMMARY_NONE;
	req->param2 = slot;
	do {
		req_id = get_random_u16();
	} while (!req_id);
	req->req_session_id = cpu_to_le16(req_id);
	s->id = req_id;		/* ReqSessionID until KEY_EXCHANGE_RSP */
	if (spdm_state->req_nonce)
		memcpy(req->random_data, spdm_state->req_nonce,
		       SPDM_RANDOM_SZ);
	else
		get_random_bytes(req->random_data, SPDM_RANDOM_SZ);

	rc = spdm_dhe_keygen(kpp, req->exchange_data, d);
	if (rc) {
		dev_err(spdm_state->dev, "Cannot generate a %s key: %d\n",
			spdm_state->dhe_name, rc);
		goto out;
	}
	opaque_len = spdm_opaque_versions(spdm_state->version,
					  req->exchange_data + d + 2);
	put_unaligned_le16(opaque_len, req->exchange_data + d);
	req_sz = sizeof(*req) + d + 2 + opaque_len;

	s->start = ktime_get();
	length = spdm_exchange(spdm_state, req, req_sz, rsp, rsp_max);
	if (length < 0) {
		rc = length;
		goto out;
	}

	rc = spdm_check_key_exchange_rsp(spdm_state, rsp, length, &f);
	if (rc)
		goto out;

	rc = spdm_key_exchange_evidence(spdm_state, slot, req, req_sz, rsp,
					f.sig);
	if (!rc)
		rc = spdm_check_mut_auth(spdm_state, rsp);
	if (rc)
		goto out;

	rc = spdm_dhe_shared(kpp, rsp + sizeof(struct spdm_key_exchange_rsp),
			     d, shared, d / 2);
	if (rc) {
		dev_err(spdm_state->dev,
			"KEY_EXCHANGE_RSP ExchangeData is not a %s point: %d\n",
			spdm_state->dhe_name, rc);
		rc = -EPROTO;
		goto out;
	}

	rc = spdm_transcript_append(&s->th, rsp + f.sig, spdm_state->sig_len);
	if (!rc)
		rc = spdm_th_hash(spdm_state, digest);
	if (!rc)
		rc = spdm_session_handshake_keys(spdm_state, shared, d / 2,
						 digest);
	if (!rc)
		rc = spdm_hmac_th(spdm_state, s->rsp_finished, digest, mac);
	if (rc)
		goto out;

	if (crypto_memneq(mac, rsp + f.verify, h)) {
		dev_err(spdm_state->dev,
			"KEY_EXCHANGE_RSP ResponderVerifyData does not match\n");
		rc = -EKEYREJECTED;
		goto out;
	}
	spdm_state->ke_verify_valid = true;
	spdm_evidence_changed(spdm_state);
	rc = spdm_transcript_append(&s->th, rsp + f.verify, h);

out:
	memzero_explicit(mac, sizeof(mac));
	kfree_sensitive(shared);
	kfree(req);
	kfree(rsp);
	return rc;
}

/*
 * FINISH_RSP of @length bytes: the header, from SPDM 1.4 on also
 * OpaqueDataLength and OpaqueData; no ResponderVerifyData, as the
 * handshake is not in the clear.  Return: its size, or a negative errno.
 */
static ssize_t spdm_finish_rsp_size(struct spdm_state *spdm_state,
				    const u8 *rsp, ssize_t length)
{
	size_t size = sizeof(struct spdm_header);

	if (spdm_state->version >= SPDM_VER_14) {
		size += 2;
		if (length >= size)
			size += get_unaligned_le16(rsp + size - 2);
	}
	if (length != size) {
		dev_err(spdm_state->dev,
			"FINISH_RSP has %zd bytes, expected %zu\n", length,
			size);
		return -EPROTO;
	}
	return size;
}

/* FINISH in the session under the handshake keys; then the data keys */
static int spdm_send_finish(struct spdm_state *spdm_state)
{
	struct spdm_session *s = spdm_state->session;
	size_t h = spdm_state->hash_len;
	/* From SPDM 1.4 on, OpaqueDataLength (0 here) follows the header */
	size_t hdr_sz = sizeof(struct spdm_header) +
			(spdm_state->version >= SPDM_VER_14 ? 2 : 0);
	struct {
		struct spdm_header hdr;
		u8 rest[2 + SPDM_MAX_HASH_SZ];
	} req = {
		.hdr = {
			.version = spdm_state->version,
			.code = SPDM_FINISH,
		},
	};
	struct {
		struct spdm_header rsp;
		u8 rest[2 + SPDM_MAX_OPAQUE_DATA + SPDM_RSP_SLACK];
	} *buf;
	u8 *verify = (u8 *)&req + hdr_sz;
	u8 digest[SPDM_MAX_HASH_SZ];
	ssize_t length;
	int rc;

	rc = spdm_transcript_append(&s->th, &req, hdr_sz);
	if (!rc)
		rc = spdm_th_hash(spdm_state, digest);
	if (!rc)
		rc = spdm_hmac_th(spdm_state, s->req_finished, digest, verify);
	if (!rc)
		rc = spdm_transcript_append(&s->th, verify, h);
	if (rc)
		return rc;

	buf = kmalloc_obj(*buf);
	if (!buf)
		return -ENOMEM;
	length = spdm_secured_exchange(spdm_state, &req, hdr_sz + h, buf,
				       sizeof(*buf));
	if (length >= 0)
		length = spdm_finish_rsp_size(spdm_state, (u8 *)buf, length);
	rc = length < 0 ? length :
	     spdm_transcript_append(&s->th, buf, length);
	kfree(buf);
	if (!rc)
		rc = spdm_th_hash(spdm_state, digest);
	if (!rc)
		rc = spdm_session_data_keys(spdm_state, digest);
	return rc;
}

/**
 * spdm_key_exchange() - establish a secure session with the device
 * @spdm_state: SPDM state of the device, authenticated with @slot
 * @slot: slot whose leaf key signs KEY_EXCHANGE_RSP
 *
 * Runs KEY_EXCHANGE with a fresh ephemeral ECDH key and the verifier's
 * nonce (@spdm_state->req_nonce) or a random one as RandomData, checks
 * the signature over TH1 with the leaf key of @slot and
 * ResponderVerifyData, then FINISH in the session.  Any failure leaves
 * no session.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the session is established, else a negative errno
 * (logged); @spdm_state->rsp_error is set if the device refused with an
 * ERROR.
 */
int spdm_key_exchange(struct spdm_state *spdm_state, u8 slot)
{
	struct spdm_session *s;
	struct crypto_kpp *kpp;
	int rc;

	if (WARN_ON(spdm_state->session || !spdm_state->leaf_key ||
		    !spdm_state->slot[slot]))
		return -EINVAL;

	spdm_key_exchange_reset(spdm_state);
	s = spdm_session_alloc(spdm_state);
	if (IS_ERR(s))
		return PTR_ERR(s);
	s->mac_only = !(spdm_state->rsp_caps & SPDM_ENCRYPT_CAP);
	spdm_state->session = s;

	kpp = crypto_alloc_kpp(spdm_state->dhe_kpp, 0, 0);
	if (IS_ERR(kpp)) {
		rc = PTR_ERR(kpp);
		dev_err(spdm_state->dev, "Cannot allocate %s: %d\n",
			spdm_state->dhe_kpp, rc);
		goto err;
	}
	rc = spdm_send_key_exchange(spdm_state, slot, kpp);
	crypto_free_kpp(kpp);	/* wipes the private key */
	if (rc)
		goto err;

	rc = spdm_send_finish(spdm_state);
	if (rc)
		goto err;

	s->established = true;
	spdm_state->ke_finish_valid = true;
	spdm_evidence_changed(spdm_state);
	spdm_transcript_free(&s->th);
	if (s->heartbeat_period)
		mod_delayed_work(system_dfl_wq, &spdm_state->heartbeat_work,
				 s->heartbeat_period * HZ / 2);

	dev_dbg(spdm_state->dev,
		"Secure session 0x%08x established with %s, %s%s, DSP0277 %u.%u, HeartbeatPeriod %u s, in %lld us\n",
		s->id, spdm_state->dhe_name, spdm_state->aead_name,
		s->mac_only ? " (MAC only)" : "", s->secured_version >> 12,
		(s->secured_version >> 8) & 0xf, s->heartbeat_period,
		ktime_us_delta(ktime_get(), s->start));
	return 0;

err:
	spdm_session_free(spdm_state->session);
	spdm_state->session = NULL;
	return rc;
}

/**
 * spdm_key_exchange_reset() - forget the evidence of the last key exchange
 * @spdm_state: SPDM state of the device
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_key_exchange_reset(struct spdm_state *spdm_state)
{
	memset(&spdm_state->ke_ev, 0, sizeof(spdm_state->ke_ev));
	spdm_transcript_free(&spdm_state->ke_th1);
	spdm_state->ke_session_id = 0;
	spdm_state->ke_verify_valid = false;
	spdm_state->ke_finish_valid = false;
	spdm_evidence_changed(spdm_state);
}
