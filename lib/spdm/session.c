// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Secure sessions: the key schedule (DSP0274 1.3 sec 12), secured
 * messages (DSP0277) and the requests of an established session
 * (HEARTBEAT, KEY_UPDATE, END_SESSION).
 *
 * Key schedule, H the size of the negotiated hash, N the minor version:
 *   BinConcat(L, label, ctx) = L (2, LE) || "spdm1.N " || label || ctx
 *   handshake_secret = HKDF-Extract(0^H, DHE shared secret)
 *   req/rsp_hs_secret = HKDF-Expand(handshake_secret,
 *				BinConcat(H, "req/rsp hs data", Hash(TH1)), H)
 *   req/rsp finished_key = HKDF-Expand(hs_secret, BinConcat(H, "finished"))
 *   master_secret = HKDF-Extract(HKDF-Expand(handshake_secret,
 *				BinConcat(H, "derived")), 0^H)
 *   req/rsp_data_secret = HKDF-Expand(master_secret,
 *				BinConcat(H, "req/rsp app data", Hash(TH2)), H)
 *   key = HKDF-Expand(secret, BinConcat(K, "key")), iv likewise with "iv"
 *   KEY_UPDATE: secret = HKDF-Expand(secret, BinConcat(H, "traffic upd"))
 *
 * Secured message over PCIe DOE (DSP0277; no sequence number on the
 * wire, no random padding):
 *   SessionID (4) || Length (2) || AEAD(ApplicationDataLength (2) ||
 *   message) || MAC (16), AAD = SessionID || Length
 * or, when one side lacks ENCRYPT_CAP (MAC only), the message in the
 * clear and AAD = SessionID || Length || message.  The IV is the
 * direction's iv XOR the 64-bit little-endian sequence number; each
 * direction counts from 0 for every new key.
 */

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/device.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "exchange.h"
#include "session.h"
#include "state.h"
#include "wire.h"

#define SPDM_REC_ID_SZ		4
#define SPDM_REC_LEN_SZ		2
#define SPDM_APP_LEN_SZ		2
#define SPDM_BIN_VERSION_SZ	8	/* "spdm1.N " */
#define SPDM_MAX_LABEL_SZ	16
#define SPDM_BIN_MAX_SZ		(2 + SPDM_BIN_VERSION_SZ + SPDM_MAX_LABEL_SZ + \
				 SPDM_MAX_HASH_SZ)

/**
 * spdm_hkdf_extract() - HKDF-Extract (RFC 5869 sec 2.2)
 * @hmac: HMAC transform of the hash; its key is overwritten
 * @salt: salt
 * @salt_len: size of @salt
 * @ikm: input keying material
 * @ikm_len: size of @ikm
 * @prk: receives the pseudorandom key (digest size of @hmac)
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_hkdf_extract(struct crypto_shash *hmac, const u8 *salt,
		      size_t salt_len, const u8 *ikm, size_t ikm_len, u8 *prk)
{
	int rc;

	rc = crypto_shash_setkey(hmac, salt, salt_len);
	if (rc)
		return rc;
	return crypto_shash_tfm_digest(hmac, ikm, ikm_len, prk);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hkdf_extract);

/**
 * spdm_hkdf_expand() - HKDF-Expand (RFC 5869 sec 2.3)
 * @hmac: HMAC transform of the hash; its key is overwritten
 * @prk: pseudorandom key
 * @prk_len: size of @prk
 * @info: context and application specific information
 * @info_len: size of @info
 * @okm: receives the output keying material
 * @okm_len: bytes wanted, at most 255 times the digest size
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_hkdf_expand(struct crypto_shash *hmac, const u8 *prk, size_t prk_len,
		     const u8 *info, size_t info_len, u8 *okm, size_t okm_len)
{
	size_t h = crypto_shash_digestsize(hmac), done = 0, n;
	SHASH_DESC_ON_STACK(desc, hmac);
	u8 t[SPDM_MAX_HASH_SZ];
	u8 i;
	int rc;

	if (h > sizeof(t) || okm_len > 255 * h)
		return -EINVAL;

	rc = crypto_shash_setkey(hmac, prk, prk_len);
	if (rc)
		return rc;
	desc->tfm = hmac;

	for (i = 1; done < okm_len; i++) {
		rc = crypto_shash_init(desc);
		if (!rc && done)
			rc = crypto_shash_update(desc, t, h);
		if (!rc)
			rc = crypto_shash_update(desc, info, info_len);
		if (!rc)
			rc = crypto_shash_finup(desc, &i, 1, t);
		if (rc)
			break;
		n = min(h, okm_len - done);
		memcpy(okm + done, t, n);
		done += n;
	}

	shash_desc_zero(desc);
	memzero_explicit(t, sizeof(t));
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_hkdf_expand);

/**
 * spdm_expand_label() - HKDF-Expand with an SPDM BinConcat info
 * @hmac: HMAC transform of the negotiated hash
 * @version: negotiated SPDM version
 * @secret: secret of the digest size of @hmac
 * @label: label, at most 16 characters
 * @context: transcript hash (digest size of @hmac), or %NULL for none
 * @out_len: bytes wanted
 * @out: receives @out_len bytes
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_expand_label(struct crypto_shash *hmac, u8 version, const u8 *secret,
		      const char *label, const u8 *context, size_t out_len,
		      u8 *out)
{
	size_t h = crypto_shash_digestsize(hmac), label_len = strlen(label);
	u8 info[SPDM_BIN_MAX_SZ];
	size_t n = 0;

	if (label_len > SPDM_MAX_LABEL_SZ || h > SPDM_MAX_HASH_SZ)
		return -EINVAL;

	put_unaligned_le16(out_len, info);
	n += 2;
	/* "spdm1.N ": SPDM 1.1 to 1.3 have single-digit version numbers */
	memcpy(info + n, "spdm", 4);
	info[n + 4] = '0' + (version >> 4);
	info[n + 5] = '.';
	info[n + 6] = '0' + (version & 0xf);
	info[n + 7] = ' ';
	n += SPDM_BIN_VERSION_SZ;
	memcpy(info + n, label, label_len);
	n += label_len;
	if (context) {
		memcpy(info + n, context, h);
		n += h;
	}

	return spdm_hkdf_expand(hmac, secret, h, info, n, out, out_len);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_expand_label);

/* AEAD in place on @buf: @assoc bytes of AAD, then @len of data (+ tag) */
static int spdm_aead_crypt(struct crypto_aead *tfm,
			   const struct spdm_session_keys *k, bool encrypt,
			   u8 *buf, size_t assoc, size_t len)
{
	struct aead_request *req;
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg;
	u8 iv[SPDM_AEAD_IV_SZ];
	int i, rc;

	req = aead_request_alloc(tfm, GFP_KERNEL);
	if (!req)
		return -ENOMEM;

	memcpy(iv, k->iv, sizeof(iv));
	for (i = 0; i < 8; i++)
		iv[i] ^= k->seq >> (8 * i);

	sg_init_one(&sg, buf, assoc + len + (encrypt ? SPDM_AEAD_TAG_SZ : 0));
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, assoc);
	aead_request_set_crypt(req, &sg, &sg, len, iv);
	rc = crypto_wait_req(encrypt ? crypto_aead_encrypt(req) :
				       crypto_aead_decrypt(req), &wait);

	aead_request_free(req);
	memzero_explicit(iv, sizeof(iv));
	return rc;
}

/**
 * spdm_record_seal() - build a secured message record
 * @tfm: AEAD keyed with @k->key, authentication tag size 16
 * @k: keys of the direction, @k->seq the record's sequence number
 * @session_id: SessionID
 * @seq_len: bytes of the sequence number in the record (0 for PCIe DOE)
 * @mac_only: authenticate @msg without encrypting it
 * @msg: SPDM message
 * @msg_len: size of @msg
 * @out: receives the record; kmalloc'ed (it is given to the AEAD)
 * @out_sz: size of @out
 *
 * Return: size of the record, or a negative errno.
 */
int spdm_record_seal(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     u32 session_id, size_t seq_len, bool mac_only,
		     const u8 *msg, size_t msg_len, u8 *out, size_t out_sz)
{
	size_t hdr = SPDM_REC_ID_SZ + seq_len + SPDM_REC_LEN_SZ;
	size_t body = (mac_only ? 0 : SPDM_APP_LEN_SZ) + msg_len;
	size_t i;
	int rc;

	if (seq_len > sizeof(k->seq) || body + SPDM_AEAD_TAG_SZ > U16_MAX ||
	    hdr + body + SPDM_AEAD_TAG_SZ > out_sz)
		return -EMSGSIZE;

	put_unaligned_le32(session_id, out);
	for (i = 0; i < seq_len; i++)
		out[SPDM_REC_ID_SZ + i] = k->seq >> (8 * i);
	put_unaligned_le16(body + SPDM_AEAD_TAG_SZ, out + hdr - SPDM_REC_LEN_SZ);

	if (mac_only) {
		memcpy(out + hdr, msg, msg_len);
		rc = spdm_aead_crypt(tfm, k, true, out, hdr + msg_len, 0);
	} else {
		put_unaligned_le16(msg_len, out + hdr);
		memcpy(out + hdr + SPDM_APP_LEN_SZ, msg, msg_len);
		rc = spdm_aead_crypt(tfm, k, true, out, hdr, body);
	}
	if (rc) {
		memzero_explicit(out, hdr + body + SPDM_AEAD_TAG_SZ);
		return rc;
	}

	return hdr + body + SPDM_AEAD_TAG_SZ;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_record_seal);

/**
 * spdm_record_open() - check and decrypt a secured message record
 * @tfm: AEAD keyed with @k->key, authentication tag size 16
 * @k: keys of the direction, @k->seq the expected sequence number
 * @seq_len: bytes of the sequence number in the record (0 for PCIe DOE)
 * @mac_only: the message is authenticated, not encrypted
 * @rec: the record as received (transport padding included); kmalloc'ed,
 *	decrypted in place
 * @len: size of @rec
 * @msg_off: receives the offset of the SPDM message in @rec
 * @msg_len: receives the size of the SPDM message
 * @why: receives the reason a record is rejected
 *
 * The caller checks the SessionID.  Up to 3 bytes of padding after the
 * MAC are accepted (PCIe DOE pads to a dword).
 *
 * Return: 0 if the record authenticates, -EBADMSG if not (@why set), or
 * another negative errno.
 */
int spdm_record_open(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     size_t seq_len, bool mac_only, u8 *rec, size_t len,
		     size_t *msg_off, size_t *msg_len, const char **why)
{
	size_t hdr = SPDM_REC_ID_SZ + seq_len + SPDM_REC_LEN_SZ, rlen, body;
	size_t i, app;
	int rc;

	if (seq_len > sizeof(k->seq))
		return -EINVAL;
	if (len < hdr) {
		*why = "record shorter than its header";
		return -EBADMSG;
	}
	for (i = 0; i < seq_len; i++) {
		if (rec[SPDM_REC_ID_SZ + i] != (u8)(k->seq >> (8 * i))) {
			*why = "unexpected sequence number";
			return -EBADMSG;
		}
	}
	rlen = get_unaligned_le16(rec + hdr - SPDM_REC_LEN_SZ);
	if (rlen > len - hdr || len - hdr - rlen >= SPDM_TRANSPORT_PAD) {
		*why = "Length does not match the size received";
		return -EBADMSG;
	}
	if (rlen < SPDM_AEAD_TAG_SZ + (mac_only ? 0 : SPDM_APP_LEN_SZ)) {
		*why = "Length too small for the MAC";
		return -EBADMSG;
	}
	body = rlen - SPDM_AEAD_TAG_SZ;

	if (mac_only)
		rc = spdm_aead_crypt(tfm, k, false, rec, hdr + body,
				     SPDM_AEAD_TAG_SZ);
	else
		rc = spdm_aead_crypt(tfm, k, false, rec, hdr,
				     body + SPDM_AEAD_TAG_SZ);
	if (rc == -EBADMSG) {
		*why = "MAC does not verify (corrupted, replayed, reordered or under another key)";
		return rc;
	}
	if (rc)
		return rc;

	if (mac_only) {
		*msg_off = hdr;
		*msg_len = body;
		return 0;
	}

	app = get_unaligned_le16(rec + hdr);
	if (app > body - SPDM_APP_LEN_SZ) {
		*why = "ApplicationDataLength beyond the data";
		return -EBADMSG;
	}
	*msg_off = hdr + SPDM_APP_LEN_SZ;
	*msg_len = app;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_record_open);

/**
 * spdm_session_alloc() - allocate a session and its transforms
 * @spdm_state: SPDM state with DHE, AEAD and hash negotiated
 *
 * Return: the session, or an ERR_PTR().
 */
struct spdm_session *spdm_session_alloc(struct spdm_state *spdm_state)
{
	struct spdm_session *session;
	char name[CRYPTO_MAX_ALG_NAME];
	int rc;

	session = kzalloc_obj(*session);
	if (!session)
		return ERR_PTR(-ENOMEM);

	snprintf(name, sizeof(name), "hmac(%s)", spdm_state->base_hash_name);
	session->hmac = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(session->hmac)) {
		rc = PTR_ERR(session->hmac);
		session->hmac = NULL;
		goto err;
	}

	session->aead_req = crypto_alloc_aead(spdm_state->aead_crypto, 0,
					      CRYPTO_ALG_ASYNC);
	if (IS_ERR(session->aead_req)) {
		rc = PTR_ERR(session->aead_req);
		session->aead_req = NULL;
		goto err;
	}
	session->aead_rsp = crypto_alloc_aead(spdm_state->aead_crypto, 0,
					      CRYPTO_ALG_ASYNC);
	if (IS_ERR(session->aead_rsp)) {
		rc = PTR_ERR(session->aead_rsp);
		session->aead_rsp = NULL;
		goto err;
	}

	rc = crypto_aead_setauthsize(session->aead_req, SPDM_AEAD_TAG_SZ);
	if (!rc)
		rc = crypto_aead_setauthsize(session->aead_rsp,
					     SPDM_AEAD_TAG_SZ);
	if (rc)
		goto err;

	return session;

err:
	dev_err(spdm_state->dev, "Cannot allocate session crypto (%s, %s): %d\n",
		name, spdm_state->aead_crypto, rc);
	spdm_session_free(session);
	return ERR_PTR(rc);
}

/**
 * spdm_session_free() - wipe and free a session
 * @session: the session, or %NULL
 */
void spdm_session_free(struct spdm_session *session)
{
	if (!session)
		return;

	crypto_free_shash(session->hmac);
	crypto_free_aead(session->aead_req);
	crypto_free_aead(session->aead_rsp);
	spdm_transcript_free(&session->th);
	kfree_sensitive(session);
}

/* key, iv and sequence number 0 for @k->secret; key the transform */
static int spdm_traffic_keys(struct spdm_state *spdm_state,
			     struct spdm_session_keys *k,
			     struct crypto_aead *tfm)
{
	struct spdm_session *session = spdm_state->session;
	size_t key_len = spdm_state->aead_key_len;
	int rc;

	k->seq = 0;
	rc = spdm_expand_label(session->hmac, spdm_state->version, k->secret,
			       "key", NULL, key_len, k->key);
	if (!rc)
		rc = spdm_expand_label(session->hmac, spdm_state->version,
				       k->secret, "iv", NULL, SPDM_AEAD_IV_SZ,
				       k->iv);
	if (!rc)
		rc = crypto_aead_setkey(tfm, k->key, key_len);
	return rc;
}

/**
 * spdm_session_handshake_keys() - derive the handshake secrets
 * @spdm_state: SPDM state with @session allocated
 * @shared: DHE shared secret
 * @shared_len: size of @shared
 * @th1_hash: Hash(TH1)
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_session_handshake_keys(struct spdm_state *spdm_state,
				const u8 *shared, size_t shared_len,
				const u8 *th1_hash)
{
	struct spdm_session *s = spdm_state->session;
	u8 zero[SPDM_MAX_HASH_SZ] = {};
	size_t h = spdm_state->hash_len;
	u8 ver = spdm_state->version;
	int rc;

	rc = spdm_hkdf_extract(s->hmac, zero, h, shared, shared_len,
			       s->handshake_secret);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, s->handshake_secret,
				       "req hs data", th1_hash, h,
				       s->req.secret);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, s->handshake_secret,
				       "rsp hs data", th1_hash, h,
				       s->rsp.secret);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, s->req.secret, "finished",
				       NULL, h, s->req_finished);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, s->rsp.secret, "finished",
				       NULL, h, s->rsp_finished);
	if (!rc)
		rc = spdm_traffic_keys(spdm_state, &s->req, s->aead_req);
	if (!rc)
		rc = spdm_traffic_keys(spdm_state, &s->rsp, s->aead_rsp);
	return rc;
}

/**
 * spdm_session_data_keys() - derive the data secrets, forget the handshake
 * @spdm_state: SPDM state with the handshake keys derived
 * @th2_hash: Hash(TH2)
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_session_data_keys(struct spdm_state *spdm_state, const u8 *th2_hash)
{
	struct spdm_session *s = spdm_state->session;
	u8 zero[SPDM_MAX_HASH_SZ] = {}, salt[SPDM_MAX_HASH_SZ];
	u8 master[SPDM_MAX_HASH_SZ];
	size_t h = spdm_state->hash_len;
	u8 ver = spdm_state->version;
	int rc;

	rc = spdm_expand_label(s->hmac, ver, s->handshake_secret, "derived",
			       NULL, h, salt);
	if (!rc)
		rc = spdm_hkdf_extract(s->hmac, salt, h, zero, h, master);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, master, "req app data",
				       th2_hash, h, s->req.secret);
	if (!rc)
		rc = spdm_expand_label(s->hmac, ver, master, "rsp app data",
				       th2_hash, h, s->rsp.secret);
	if (!rc)
		rc = spdm_traffic_keys(spdm_state, &s->req, s->aead_req);
	if (!rc)
		rc = spdm_traffic_keys(spdm_state, &s->rsp, s->aead_rsp);

	memzero_explicit(salt, sizeof(salt));
	memzero_explicit(master, sizeof(master));
	memzero_explicit(s->handshake_secret, sizeof(s->handshake_secret));
	memzero_explicit(s->req_finished, sizeof(s->req_finished));
	memzero_explicit(s->rsp_finished, sizeof(s->rsp_finished));
	return rc;
}

/* KEY_UPDATE: the next generation of one direction's keys */
static int spdm_update_keys(struct spdm_state *spdm_state,
			    struct spdm_session_keys *k, struct crypto_aead *tfm)
{
	struct spdm_session *s = spdm_state->session;
	u8 next[SPDM_MAX_HASH_SZ];
	int rc;

	rc = spdm_expand_label(s->hmac, spdm_state->version, k->secret,
			       "traffic upd", NULL, spdm_state->hash_len, next);
	if (!rc) {
		memcpy(k->secret, next, spdm_state->hash_len);
		rc = spdm_traffic_keys(spdm_state, k, tfm);
	}
	memzero_explicit(next, sizeof(next));
	return rc;
}

/**
 * spdm_session_set_state() - record what became of the session
 * @spdm_state: SPDM state of the device
 * @state: the new state
 * @rc: the errno that goes with it, 0 if none
 * @fmt: why, for the "session/reason" sysfs file; %NULL for none
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_session_set_state(struct spdm_state *spdm_state,
			    enum spdm_session_state state, int rc,
			    const char *fmt, ...)
{
	va_list args;

	spdm_state->session_state = state;
	spdm_state->session_rc = rc;
	spdm_state->session_reason[0] = '\0';
	if (!fmt)
		return;
	va_start(args, fmt);
	vsnprintf(spdm_state->session_reason,
		  sizeof(spdm_state->session_reason), fmt, args);
	va_end(args);
}

/**
 * spdm_session_fail() - tear down a session after a failed check
 * @spdm_state: SPDM state of the device
 * @rc: the error
 * @why: what failed
 *
 * The keys are wiped; no END_SESSION is sent (the channel is not
 * trusted any more).  A record of an established session that fails
 * its checks (-EBADMSG, -EPROTO) also revokes the authentication: a
 * device or link that forges or replays session traffic is not trusted.
 * Transport errors and timeouts only end the session.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_session_fail(struct spdm_state *spdm_state, int rc, const char *why)
{
	struct spdm_session *s = spdm_state->session;

	if (!s)
		return;
	dev_err(spdm_state->dev, "Secure session 0x%08x torn down: %s (%pe)\n",
		s->id, why, ERR_PTR(rc));
	if (s->established && (rc == -EBADMSG || rc == -EPROTO)) {
		dev_err(spdm_state->dev,
			"Not authenticated any more: session traffic failed its checks\n");
		spdm_state->auth_result = -EKEYREJECTED;
		spdm_session_set_state(spdm_state, SPDM_SESSION_REJECTED, rc,
				       "%s (%pe)", why, ERR_PTR(rc));
	} else if (s->established) {
		spdm_session_set_state(spdm_state, SPDM_SESSION_FAILED, rc,
				       "%s (%pe)", why, ERR_PTR(rc));
	}
	spdm_session_free(s);
	spdm_state->session = NULL;
}

#define SPDM_XFER_NEW_RSP_KEYS	BIT(0)	/* response under updated keys */

/*
 * One secured record each way: @req sealed under the request keys, the
 * response opened under the response keys into @rsp.  A record that
 * does not open, names another session or holds no SPDM message tears
 * the session down.
 */
static ssize_t spdm_session_record(struct spdm_state *spdm_state,
				   const void *req, size_t req_sz, void *rsp,
				   size_t rsp_sz, unsigned int flags)
{
	struct spdm_session *s = spdm_state->session;
	size_t ovh = SPDM_REC_ID_SZ + SPDM_REC_LEN_SZ + SPDM_APP_LEN_SZ +
		     SPDM_AEAD_TAG_SZ;
	size_t tx_sz = ovh + req_sz, rx_sz = ovh + rsp_sz + SPDM_TRANSPORT_PAD;
	const struct spdm_header *request = req;
	size_t msg_off, msg_len;
	const char *why = NULL;
	u8 *tx, *rx = NULL;
	ssize_t length;
	int rc;

	if (!s)
		return -ENOTCONN;
	if (req_sz < sizeof(*request) || tx_sz > spdm_state->transport_sz)
		return -EINVAL;
	if (s->req.seq == U64_MAX || s->rsp.seq == U64_MAX) {
		spdm_session_fail(spdm_state, -ERANGE,
				  "sequence number exhausted");
		return -ERANGE;
	}

	tx = kmalloc(tx_sz, GFP_KERNEL);
	rx = kzalloc(rx_sz, GFP_KERNEL);
	if (!tx || !rx) {
		rc = -ENOMEM;
		goto out;
	}

	length = spdm_record_seal(s->aead_req, &s->req, s->id, 0, s->mac_only,
				  req, req_sz, tx, tx_sz);
	if (length < 0) {
		rc = length;
		why = "internal error";
		goto out;
	}
	s->req.seq++;

	length = spdm_transport_call(spdm_state, true, request->code, tx,
				     length, rx, rx_sz);
	if (length < 0) {
		rc = length;
		why = "no secured response";
		goto out;
	}

	if (flags & SPDM_XFER_NEW_RSP_KEYS) {
		rc = spdm_update_keys(spdm_state, &s->rsp, s->aead_rsp);
		if (rc) {
			why = "internal error";
			goto out;
		}
	}

	if (length < SPDM_REC_ID_SZ) {
		rc = -EBADMSG;
		why = "record shorter than its header";
		goto out;
	}
	if (get_unaligned_le32(rx) != s->id) {
		dev_err(spdm_state->dev,
			"Secured response for session 0x%08x, expected 0x%08x\n",
			get_unaligned_le32(rx), s->id);
		rc = -EPROTO;
		why = "response for another session";
		goto out;
	}

	rc = spdm_record_open(s->aead_rsp, &s->rsp, 0, s->mac_only, rx,
			      length, &msg_off, &msg_len, &why);
	if (rc)
		goto out;
	s->rsp.seq++;

	if (msg_len < sizeof(struct spdm_header)) {
		rc = -EIO;
		why = "truncated SPDM message in the record";
		goto out;
	}
	if (msg_len > rsp_sz) {
		rc = -EMSGSIZE;
		why = "oversized SPDM message in the record";
		goto out;
	}
	memcpy(rsp, rx + msg_off, msg_len);
	rc = msg_len;

out:
	if (rc < 0 && why)
		spdm_session_fail(spdm_state, rc, why);
	else if (rc < 0)
		spdm_session_fail(spdm_state, rc, "internal error");
	kfree_sensitive(tx);
	kfree_sensitive(rx);
	return rc;
}

static ssize_t spdm_session_record_retry(struct spdm_state *spdm_state,
					 const void *req, size_t req_sz,
					 void *rsp, size_t rsp_sz)
{
	return spdm_session_record(spdm_state, req, req_sz, rsp, rsp_sz, 0);
}

/*
 * A request and its response in the session.  Busy and ResponseNotReady
 * are handled as outside a session, except for a KEY_UPDATE that changes
 * the response keys (@flags): its ERROR cannot be told from a response
 * under the new keys, so it is not retried.
 */
static ssize_t spdm_session_xfer(struct spdm_state *spdm_state, void *req,
				 size_t req_sz, void *rsp, size_t rsp_sz,
				 unsigned int flags)
{
	struct spdm_header *request = req;
	const char *why = NULL;
	ssize_t rc;

	lockdep_assert_held(&spdm_state->lock);

	spdm_state->rsp_error = 0;
	if (flags)
		rc = spdm_session_record(spdm_state, req, req_sz, rsp, rsp_sz,
					 flags);
	else
		rc = spdm_transfer_retry(spdm_state, spdm_session_record_retry,
					 req, req_sz, rsp, rsp_sz);
	if (rc < 0)
		return rc;

	rc = spdm_check_response(spdm_state, request, rsp, rc);
	if (rc < 0 && (spdm_state->rsp_error == SPDM_ERR_DECRYPT_ERROR ||
		       spdm_state->rsp_error == SPDM_ERR_INVALID_SESSION))
		why = "device ended the session";
	else if (rc < 0 && !spdm_state->rsp_error)
		why = "unexpected response";
	if (why)
		spdm_session_fail(spdm_state, rc, why);
	return rc;
}

/**
 * spdm_secured_exchange() - exchange a request and response in the session
 * @spdm_state: SPDM state with a session
 * @req: request message, starting with &struct spdm_header
 * @req_sz: size of @req
 * @rsp: buffer for the response message
 * @rsp_sz: size of @rsp
 *
 * Like spdm_exchange(), but both messages travel as secured messages of
 * the session.  Any record that does not authenticate, names another
 * session or does not carry an answer to the request tears the session
 * down (logged with the reason).  An ERROR response other than
 * DecryptError or InvalidSession keeps the session.  Busy and
 * ResponseNotReady are retried in the session as spdm_exchange() does.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: size of the response message, or a negative errno.
 */
ssize_t spdm_secured_exchange(struct spdm_state *spdm_state, void *req,
			      size_t req_sz, void *rsp, size_t rsp_sz)
{
	return spdm_session_xfer(spdm_state, req, req_sz, rsp, rsp_sz, 0);
}

/* A 4-byte request answered by a 4-byte ACK echoing Param1/Param2 */
static int spdm_session_simple(struct spdm_state *spdm_state, u8 code,
			       u8 param1, u8 param2, unsigned int flags)
{
	struct spdm_header req = {
		.version = spdm_state->version,
		.code = code,
		.param1 = param1,
		.param2 = param2,
	};
	struct {
		struct spdm_header rsp;
		u8 slack[SPDM_RSP_SLACK];
	} buf;
	ssize_t length;

	length = spdm_session_xfer(spdm_state, &req, sizeof(req), &buf,
				   sizeof(buf), flags);
	if (length < 0)
		return length;

	if (length != sizeof(buf.rsp) ||
	    (code == SPDM_KEY_UPDATE &&
	     (buf.rsp.param1 != param1 || buf.rsp.param2 != param2))) {
		spdm_session_fail(spdm_state, -EPROTO,
				  "malformed acknowledgment");
		return -EPROTO;
	}
	return 0;
}

/**
 * spdm_session_heartbeat() - send HEARTBEAT in the session
 * @spdm_state: SPDM state with an established session
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on HEARTBEAT_ACK, else a negative errno (logged).
 */
int spdm_session_heartbeat(struct spdm_state *spdm_state)
{
	if (!spdm_state->session || !spdm_state->session->established)
		return -ENOTCONN;
	if (!(spdm_state->rsp_caps & SPDM_HBEAT_CAP))
		return -EOPNOTSUPP;
	return spdm_session_simple(spdm_state, SPDM_HEARTBEAT, 0, 0, 0);
}

/**
 * spdm_session_key_update() - update the session keys and verify them
 * @spdm_state: SPDM state with an established session
 * @op: %SPDM_KEY_UPDATE_KEY (request keys) or %SPDM_KEY_UPDATE_ALL_KEYS
 *
 * Sends KEY_UPDATE, moves to the next generation of keys (the ACK of
 * UpdateAllKeys already comes under the new response keys) and confirms
 * with VerifyNewKey under the new request keys.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on success, else a negative errno (logged; the session is
 * torn down unless the device refused with an ERROR).
 */
int spdm_session_key_update(struct spdm_state *spdm_state, u8 op)
{
	struct spdm_session *s = spdm_state->session;
	u8 tag;
	int rc;

	if (!s || !s->established)
		return -ENOTCONN;
	if (!(spdm_state->rsp_caps & SPDM_KEY_UPD_CAP))
		return -EOPNOTSUPP;
	if (op != SPDM_KEY_UPDATE_KEY && op != SPDM_KEY_UPDATE_ALL_KEYS)
		return -EINVAL;

	tag = get_random_u8();
	rc = spdm_session_simple(spdm_state, SPDM_KEY_UPDATE, op, tag,
				 op == SPDM_KEY_UPDATE_ALL_KEYS ?
				 SPDM_XFER_NEW_RSP_KEYS : 0);
	if (rc)
		return rc;

	rc = spdm_update_keys(spdm_state, &s->req, s->aead_req);
	if (rc) {
		spdm_session_fail(spdm_state, rc, "key update failed");
		return rc;
	}

	tag = get_random_u8();
	return spdm_session_simple(spdm_state, SPDM_KEY_UPDATE,
				   SPDM_KEY_UPDATE_VERIFY, tag, 0);
}

/**
 * spdm_session_end() - end the session with END_SESSION
 * @spdm_state: SPDM state of the device
 *
 * The session is gone afterwards, whatever the device answered.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_session_end(struct spdm_state *spdm_state)
{
	struct spdm_session *s = spdm_state->session;
	u32 id;

	if (!s)
		return;

	id = s->id;
	if (s->established &&
	    !spdm_session_simple(spdm_state, SPDM_END_SESSION, 0, 0, 0)) {
		dev_dbg(spdm_state->dev, "Secure session 0x%08x ended\n", id);
		spdm_session_set_state(spdm_state, SPDM_SESSION_ENDED, 0,
				       "END_SESSION");
	}

	spdm_session_free(spdm_state->session);
	spdm_state->session = NULL;
}

/**
 * spdm_heartbeat_work() - keep a session alive the device asked to be
 * @work: &spdm_state.heartbeat_work
 *
 * Sends HEARTBEAT at half the HeartbeatPeriod the device asked for in
 * KEY_EXCHANGE_RSP, while the session lasts.
 */
void spdm_heartbeat_work(struct work_struct *work)
{
	struct spdm_state *spdm_state =
		container_of(to_delayed_work(work), struct spdm_state,
			     heartbeat_work);
	struct spdm_session *s;

	mutex_lock(&spdm_state->lock);
	s = spdm_state->session;
	if (!spdm_state->dead && s && s->established && s->heartbeat_period &&
	    !spdm_session_heartbeat(spdm_state))
		queue_delayed_work(system_dfl_wq, &spdm_state->heartbeat_work,
				   s->heartbeat_period * HZ / 2);
	mutex_unlock(&spdm_state->lock);
}
