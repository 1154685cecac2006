// SPDX-License-Identifier: GPL-2.0
/*
 * Session cryptography (OpenSSL 3): ephemeral ECDH, the SPDM key
 * schedule and the AEAD of secured messages.
 *
 * Key schedule (DSP0274 1.1 sec "Key schedule", 1.2/1.3 sec 12.x; the
 * same steps in 1.1-1.3 but for the version label; checked against DMTF
 * libspdm's libspdm_secmes_session.c), H = hash length of the
 * negotiated BaseHashAlgo:
 *
 *   BinConcat(L, label, ctx) = L (2 bytes, little endian)
 *                              || "spdm1.N " (N = negotiated minor)
 *                              || label || ctx (a TH hash, or nothing)
 *   handshake_secret = HKDF-Extract(salt = 0^H, IKM = DHE shared secret)
 *   req_hs_secret    = HKDF-Expand(handshake_secret,
 *                                  BinConcat(H, "req hs data", Hash(TH1)), H)
 *   rsp_hs_secret    = ... "rsp hs data" ...
 *   salt_1           = HKDF-Expand(handshake_secret, BinConcat(H, "derived"), H)
 *   master_secret    = HKDF-Extract(salt = salt_1, IKM = 0^H)
 *   req_data_secret  = HKDF-Expand(master_secret,
 *                                  BinConcat(H, "req app data", Hash(TH2)), H)
 *   rsp_data_secret  = ... "rsp app data" ...
 *   export_master    = ... "exp master" ... (kept, not used)
 *   finished_key     = HKDF-Expand(X_hs_secret, BinConcat(H, "finished"), H)
 *   key              = HKDF-Expand(secret, BinConcat(K, "key"), K)
 *   iv               = HKDF-Expand(secret, BinConcat(12, "iv"), 12)
 *   key update: secret' = HKDF-Expand(secret, BinConcat(H, "traffic upd"), H),
 *               new key and iv from secret', sequence number back to 0.
 *
 * The ECDHE shared secret is the x coordinate of the shared point, as
 * many bytes as the field (DSP0274 table "DHE": big endian X || Y on the
 * wire).  AEAD (DSP0277 sec "AEAD"): 16-byte tag, 12-byte IV = iv XOR
 * the 64-bit sequence number little endian, zero-extended to 12 bytes
 * (DSP0277 1.2 says little endian; 1.0/1.1 leave it open and libspdm
 * defaults to little endian for them too).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include "session.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIN_VERSION_LEN	8		/* "spdm1.N " */
#define BIN_MAX		(2 + BIN_VERSION_LEN + 16 + SPDM_MAX_HASH_LEN)

static const struct {
	uint16_t bit;
	const char *name;	/* option word */
	const char *group;	/* OpenSSL group */
	size_t len;		/* X || Y */
} dhes[] = {
	/* preference order: strongest first */
	{ SPDM_DHE_SECP384R1, "secp384r1", "secp384r1", 96 },
	{ SPDM_DHE_SECP256R1, "secp256r1", "prime256v1", 64 },
};

static const struct {
	uint16_t bit;
	const char *name;
	size_t key_len;
	const EVP_CIPHER *(*cipher)(void);
} aeads[] = {
	{ SPDM_AEAD_AES_256_GCM, "aes-256-gcm", 32, EVP_aes_256_gcm },
	{ SPDM_AEAD_CHACHA20_POLY1305, "chacha20-poly1305", 32,
	  EVP_chacha20_poly1305 },
	{ SPDM_AEAD_AES_128_GCM, "aes-128-gcm", 16, EVP_aes_128_gcm },
};

size_t spdm_dhe_len(uint16_t dhe)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dhes); i++)
		if (dhes[i].bit == dhe)
			return dhes[i].len;
	return 0;
}

const char *spdm_dhe_name(uint16_t dhe)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dhes); i++)
		if (dhes[i].bit == dhe)
			return dhes[i].name;
	return "?";
}

size_t spdm_aead_key_len(uint16_t aead)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aeads); i++)
		if (aeads[i].bit == aead)
			return aeads[i].key_len;
	return 0;
}

const char *spdm_aead_name(uint16_t aead)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aeads); i++)
		if (aeads[i].bit == aead)
			return aeads[i].name;
	return "?";
}

static const EVP_CIPHER *aead_cipher(uint16_t aead)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aeads); i++)
		if (aeads[i].bit == aead)
			return aeads[i].cipher();
	return NULL;
}

uint16_t spdm_dhe_select(uint16_t common)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dhes); i++)
		if (common & dhes[i].bit)
			return dhes[i].bit;
	return 0;
}

uint16_t spdm_aead_select(uint16_t common)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(aeads); i++)
		if (common & aeads[i].bit)
			return aeads[i].bit;
	return 0;
}

/* "secp256r1,secp384r1" / "aes-128-gcm,..." -> mask; "all" is all */
static int parse_list(const char *list, bool aead, uint16_t *mask)
{
	char *copy, *item, *save = NULL;
	unsigned int i, n = aead ? ARRAY_SIZE(aeads) : ARRAY_SIZE(dhes);
	uint16_t bit;
	int ret = 0;

	*mask = 0;
	if (!strcmp(list, "all")) {
		*mask = aead ? SPDM_AEAD_SUPPORTED : SPDM_DHE_SUPPORTED;
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		bit = 0;
		for (i = 0; i < n; i++)
			if (!strcmp(item, aead ? aeads[i].name : dhes[i].name))
				bit = aead ? aeads[i].bit : dhes[i].bit;
		if (!bit)
			ret = -EINVAL;
		*mask |= bit;
	}
	free(copy);
	return ret || !*mask ? -EINVAL : 0;
}

int spdm_dhe_parse_list(const char *list, uint16_t *mask)
{
	return parse_list(list, false, mask);
}

int spdm_aead_parse_list(const char *list, uint16_t *mask)
{
	return parse_list(list, true, mask);
}

void spdm_alg_format(uint16_t mask, bool aead, char *buf, size_t len)
{
	unsigned int i, n = aead ? ARRAY_SIZE(aeads) : ARRAY_SIZE(dhes);
	size_t used = 0;

	snprintf(buf, len, "none");
	for (i = 0; i < n && used < len; i++) {
		if (!(mask & (aead ? aeads[i].bit : dhes[i].bit)))
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "," : "",
				 aead ? aeads[i].name : dhes[i].name);
	}
}

static const char *dhe_group(uint16_t dhe)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dhes); i++)
		if (dhes[i].bit == dhe)
			return dhes[i].group;
	return NULL;
}

/* The requester's X || Y as an EVP_PKEY; NULL if it is no curve point. */
static EVP_PKEY *peer_key(const char *group, const uint8_t *xy, size_t len)
{
	uint8_t point[1 + SPDM_MAX_DHE_LEN];
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	point[0] = 0x04;		/* uncompressed */
	memcpy(point + 1, xy, len);
	if (!bld ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					      point, len + 1))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/*
 * Ephemeral ECDH for DHE @dhe: make a key pair, put our X || Y in @pub
 * and the shared secret (x coordinate) in @shared.  Returns 0, -EINVAL
 * if @peer (X || Y) is not a point of the curve, or -EIO.
 */
int spdm_ecdh(uint16_t dhe, const uint8_t *peer, uint8_t *pub,
	      uint8_t *shared, size_t *shared_len)
{
	const char *group = dhe_group(dhe);
	size_t len = spdm_dhe_len(dhe), n;
	uint8_t point[1 + SPDM_MAX_DHE_LEN];
	EVP_PKEY *ours = NULL, *theirs;
	EVP_PKEY_CTX *ctx = NULL;
	int ret = -EIO;

	if (!group)
		return -EINVAL;
	theirs = peer_key(group, peer, len);
	if (!theirs) {
		ERR_clear_error();
		return -EINVAL;
	}
	ours = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	if (!ours ||
	    !EVP_PKEY_get_octet_string_param(ours,
					     OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					     point, sizeof(point), &n) ||
	    n != len + 1 || point[0] != 0x04)
		goto out;
	memcpy(pub, point + 1, len);
	ctx = EVP_PKEY_CTX_new(ours, NULL);
	n = SPDM_MAX_SHARED_LEN;
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, theirs, 1) <= 0) {
		ret = -EINVAL;
		goto out;
	}
	if (EVP_PKEY_derive(ctx, shared, &n) <= 0 || n != len / 2)
		goto out;
	*shared_len = n;
	ret = 0;
out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(ours);
	EVP_PKEY_free(theirs);
	return ret;
}

static int hkdf(const struct spdm_hash_alg *h, int mode, const uint8_t *salt,
		size_t salt_len, const uint8_t *key, size_t key_len,
		const uint8_t *info, size_t info_len, uint8_t *out,
		size_t out_len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[6], *q = p;
	int ret;

	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)h->name, 0);
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)key, key_len);
	if (salt)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
							 (void *)salt,
							 salt_len);
	if (info)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
							 (void *)info,
							 info_len);
	*q = OSSL_PARAM_construct_end();
	ret = ctx && EVP_KDF_derive(ctx, out, out_len, p) > 0 ? 0 : -EIO;
	ERR_clear_error();
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ret;
}

/* HKDF-Extract (RFC 5869): @prk gets h->len bytes. */
int spdm_hkdf_extract(const struct spdm_hash_alg *h, const uint8_t *salt,
		      size_t salt_len, const uint8_t *ikm, size_t ikm_len,
		      uint8_t *prk)
{
	return hkdf(h, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, salt, salt_len, ikm,
		    ikm_len, NULL, 0, prk, h->len);
}

/*
 * HKDF-Expand(@secret, BinConcat(@out_len, "spdm1.N " @label @context),
 * @out_len); @context is a hash (h->len bytes) or NULL.
 */
int spdm_hkdf_expand_label(const struct spdm_hash_alg *h, uint8_t version,
			   const uint8_t *secret, const char *label,
			   const uint8_t *context, size_t out_len,
			   uint8_t *out)
{
	uint8_t info[BIN_MAX];
	size_t llen = strlen(label), n = 0;
	char ver[BIN_VERSION_LEN + 4];

	if (llen > 16)
		return -EINVAL;
	info[n++] = out_len & 0xff;
	info[n++] = out_len >> 8;
	snprintf(ver, sizeof(ver), "spdm%u.%u ", (version >> 4) & 7,
		 version & 7);
	memcpy(info + n, ver, BIN_VERSION_LEN);
	n += BIN_VERSION_LEN;
	memcpy(info + n, label, llen);
	n += llen;
	if (context) {
		memcpy(info + n, context, h->len);
		n += h->len;
	}
	return hkdf(h, EVP_KDF_HKDF_MODE_EXPAND_ONLY, NULL, 0, secret, h->len,
		    info, n, out, out_len);
}

int spdm_hmac(const struct spdm_hash_alg *h, const uint8_t *key,
	      const uint8_t *data, size_t len, uint8_t *out)
{
	size_t n;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, h->name, NULL, key, h->len, data,
		       len, out, h->len, &n) || n != h->len) {
		ERR_clear_error();
		return -EIO;
	}
	return 0;
}

/* key and iv of @k from its secret; sequence number 0 */
static int traffic_keys(struct spdm_sess_keys *k, const struct spdm_hash_alg *h,
			uint8_t version, uint16_t aead)
{
	size_t klen = spdm_aead_key_len(aead);

	k->seq = 0;
	return spdm_hkdf_expand_label(h, version, k->secret, "key", NULL,
				      klen, k->key) ?:
	       spdm_hkdf_expand_label(h, version, k->secret, "iv", NULL,
				      SPDM_AEAD_IV_LEN, k->iv);
}

/* handshake secrets, finished keys, handshake traffic keys from TH1 */
int spdm_keys_handshake(struct spdm_session *s,
			const struct spdm_hash_alg *h, uint8_t version,
			uint16_t aead, const uint8_t *shared,
			size_t shared_len, const uint8_t *th1)
{
	uint8_t zero[SPDM_MAX_HASH_LEN] = { 0 };

	return spdm_hkdf_extract(h, zero, h->len, shared, shared_len,
				 s->handshake_secret) ?:
	       spdm_hkdf_expand_label(h, version, s->handshake_secret,
				      "req hs data", th1, h->len,
				      s->req.secret) ?:
	       spdm_hkdf_expand_label(h, version, s->handshake_secret,
				      "rsp hs data", th1, h->len,
				      s->rsp.secret) ?:
	       spdm_hkdf_expand_label(h, version, s->req.secret, "finished",
				      NULL, h->len, s->req_finished) ?:
	       spdm_hkdf_expand_label(h, version, s->rsp.secret, "finished",
				      NULL, h->len, s->rsp_finished) ?:
	       traffic_keys(&s->req, h, version, aead) ?:
	       traffic_keys(&s->rsp, h, version, aead);
}

/* master secret and data traffic keys (into data_req/data_rsp) from TH2 */
int spdm_keys_data(struct spdm_session *s, const struct spdm_hash_alg *h,
		   uint8_t version, uint16_t aead, const uint8_t *th2)
{
	uint8_t zero[SPDM_MAX_HASH_LEN] = { 0 }, salt1[SPDM_MAX_HASH_LEN];

	return spdm_hkdf_expand_label(h, version, s->handshake_secret,
				      "derived", NULL, h->len, salt1) ?:
	       spdm_hkdf_extract(h, salt1, h->len, zero, h->len,
				 s->master_secret) ?:
	       spdm_hkdf_expand_label(h, version, s->master_secret,
				      "req app data", th2, h->len,
				      s->data_req.secret) ?:
	       spdm_hkdf_expand_label(h, version, s->master_secret,
				      "rsp app data", th2, h->len,
				      s->data_rsp.secret) ?:
	       spdm_hkdf_expand_label(h, version, s->master_secret,
				      "exp master", th2, h->len,
				      s->export_master) ?:
	       traffic_keys(&s->data_req, h, version, aead) ?:
	       traffic_keys(&s->data_rsp, h, version, aead);
}

/* KEY_UPDATE: the next generation of one direction's keys */
int spdm_keys_update(struct spdm_sess_keys *k, const struct spdm_hash_alg *h,
		     uint8_t version, uint16_t aead)
{
	uint8_t next[SPDM_MAX_HASH_LEN];
	int ret;

	ret = spdm_hkdf_expand_label(h, version, k->secret, "traffic upd",
				     NULL, h->len, next);
	if (ret)
		return ret;
	memcpy(k->secret, next, h->len);
	return traffic_keys(k, h, version, aead);
}

static void make_iv(const struct spdm_sess_keys *k, uint64_t seq,
		    uint8_t iv[SPDM_AEAD_IV_LEN])
{
	unsigned int i;

	memcpy(iv, k->iv, SPDM_AEAD_IV_LEN);
	for (i = 0; i < 8; i++)
		iv[i] ^= (uint8_t)(seq >> (8 * i));
}

static int aead_run(bool enc, uint16_t aead, const struct spdm_sess_keys *k,
		    uint64_t seq, const uint8_t *aad, size_t aad_len,
		    const uint8_t *in, size_t len, uint8_t *tag, uint8_t *out)
{
	const EVP_CIPHER *c = aead_cipher(aead);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t iv[SPDM_AEAD_IV_LEN], none[SPDM_AEAD_TAG_LEN];
	int n, ok;

	if (!out)
		out = none;		/* MAC only: nothing to write */
	if (!c || !ctx) {
		EVP_CIPHER_CTX_free(ctx);
		return -EIO;
	}
	make_iv(k, seq, iv);
	ok = EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, enc) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
				 SPDM_AEAD_IV_LEN, NULL) &&
	     EVP_CipherInit_ex(ctx, NULL, NULL, k->key, iv, enc) &&
	     (!aad_len || EVP_CipherUpdate(ctx, NULL, &n, aad, aad_len)) &&
	     (!len || EVP_CipherUpdate(ctx, out, &n, in, len));
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
					 SPDM_AEAD_TAG_LEN, tag);
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + len, &n) > 0;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
					 SPDM_AEAD_TAG_LEN, tag);
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -EBADMSG;
}

/* Encrypt @len bytes (may be 0: MAC only) and authenticate @aad too. */
int spdm_aead_seal(uint16_t aead, const struct spdm_sess_keys *k,
		   uint64_t seq, const uint8_t *aad, size_t aad_len,
		   const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	return aead_run(true, aead, k, seq, aad, aad_len, in, len, tag, out);
}

/* Decrypt and check the tag: 0, or -EBADMSG when it does not match. */
int spdm_aead_open(uint16_t aead, const struct spdm_sess_keys *k,
		   uint64_t seq, const uint8_t *aad, size_t aad_len,
		   const uint8_t *in, size_t len, const uint8_t *tag,
		   uint8_t *out)
{
	return aead_run(false, aead, k, seq, aad, aad_len, in, len,
			(uint8_t *)tag, out);
}
