// SPDX-License-Identifier: GPL-2.0
/*
 * Cryptography for the responder (OpenSSL 3 EVP).
 *
 * Signatures go on the wire the way DSP0274 wants them: ECDSA as raw
 * r || s, each zero-padded to the curve size (OpenSSL produces DER);
 * RSASSA-PKCS1-v1_5 and RSASSA-PSS (salt length = hash length) with the
 * negotiated hash, as many bytes as the modulus.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "crypto.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const struct spdm_hash_alg hashes[SPDM_NR_HASHES] = {
	{ SPDM_HASH_SHA256, 0, "sha256", 32, EVP_sha256 },
	{ SPDM_HASH_SHA384, 1, "sha384", 48, EVP_sha384 },
	{ SPDM_HASH_SHA512, 2, "sha512", 64, EVP_sha512 },
};

/* Preference when the requester offers several: strongest first. */
static const uint32_t hash_priority[] = {
	SPDM_HASH_SHA512, SPDM_HASH_SHA384, SPDM_HASH_SHA256,
};

static const struct {
	uint32_t bit;
	const char *name;
	size_t sig_len;
} asyms[] = {
	/* preference order: ECDSA large to small, then RSASSA, then PSS */
	{ SPDM_ASYM_ECDSA_P521, "ECDSA P-521", 132 },
	{ SPDM_ASYM_ECDSA_P384, "ECDSA P-384", 96 },
	{ SPDM_ASYM_ECDSA_P256, "ECDSA P-256", 64 },
	{ SPDM_ASYM_RSASSA_4096, "RSASSA-4096", 512 },
	{ SPDM_ASYM_RSASSA_3072, "RSASSA-3072", 384 },
	{ SPDM_ASYM_RSASSA_2048, "RSASSA-2048", 256 },
	{ SPDM_ASYM_RSAPSS_4096, "RSAPSS-4096", 512 },
	{ SPDM_ASYM_RSAPSS_3072, "RSAPSS-3072", 384 },
	{ SPDM_ASYM_RSAPSS_2048, "RSAPSS-2048", 256 },
};

const struct spdm_hash_alg *spdm_hash_by_bit(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < SPDM_NR_HASHES; i++)
		if (hashes[i].bit == bit)
			return &hashes[i];
	return NULL;
}

const struct spdm_hash_alg *spdm_hash_by_index(unsigned int index)
{
	return index < SPDM_NR_HASHES ? &hashes[index] : NULL;
}

const struct spdm_hash_alg *spdm_hash_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < SPDM_NR_HASHES; i++)
		if (!strcmp(hashes[i].name, name))
			return &hashes[i];
	return NULL;
}

/* "sha256,sha512" -> BaseHashAlgo mask; "all" is every hash. */
int spdm_hash_parse_list(const char *list, uint32_t *mask)
{
	const struct spdm_hash_alg *h;
	char *copy, *item, *save = NULL;
	int ret = 0;

	*mask = 0;
	if (!strcmp(list, "all")) {
		*mask = SPDM_HASH_ALL;
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		h = spdm_hash_by_name(item);
		if (h)
			*mask |= h->bit;
		else
			ret = -EINVAL;
	}
	free(copy);
	return ret || !*mask ? -EINVAL : 0;
}

void spdm_hash_format(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < SPDM_NR_HASHES && used < len; i++)
		if (mask & hashes[i].bit)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", hashes[i].name);
}

/* out = Hash(a || b); @b may be NULL.  Returns 0 or -EIO. */
int spdm_digest(const struct spdm_hash_alg *h, const void *a, size_t alen,
		const void *b, size_t blen, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, h->md(), NULL) &&
	     EVP_DigestUpdate(ctx, a, alen) &&
	     (!blen || EVP_DigestUpdate(ctx, b, blen)) &&
	     EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

const char *spdm_asym_name(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(asyms); i++)
		if (asyms[i].bit == bit)
			return asyms[i].name;
	return "?";
}

size_t spdm_asym_sig_len(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(asyms); i++)
		if (asyms[i].bit == bit)
			return asyms[i].sig_len;
	return 0;
}

/* The one BaseAsymAlgo bit to select from @common, or 0. */
uint32_t spdm_asym_select(uint32_t common)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(asyms); i++)
		if (common & asyms[i].bit)
			return asyms[i].bit;
	return 0;
}

uint32_t spdm_hash_select(uint32_t common)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hash_priority); i++)
		if (common & hash_priority[i])
			return hash_priority[i];
	return 0;
}

int spdm_random(uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, len) == 1 ? 0 : -EIO;
}

static void set_err(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char ossl[160] = "";

	if (e)
		ERR_error_string_n(e, ossl, sizeof(ossl));
	snprintf(err, errlen, "%s%s%s", what, e ? ": " : "", ossl);
	ERR_clear_error();
}

/* Work out which BaseAsymAlgo bits the key can serve. */
static int key_classify(struct spdm_key *key, char *err, size_t errlen)
{
	char group[32];
	int bits;

	if (spdm_mldsa_classify(key))
		return 0;
	if (EVP_PKEY_is_a(key->pkey, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(key->pkey,
						    OSSL_PKEY_PARAM_GROUP_NAME,
						    group, sizeof(group), NULL)) {
			snprintf(err, errlen, "EC key without a named curve");
			return -EINVAL;
		}
		if (!strcmp(group, "prime256v1") || !strcmp(group, "P-256"))
			key->asym_mask = SPDM_ASYM_ECDSA_P256;
		else if (!strcmp(group, "secp384r1") || !strcmp(group, "P-384"))
			key->asym_mask = SPDM_ASYM_ECDSA_P384;
		else if (!strcmp(group, "secp521r1") || !strcmp(group, "P-521"))
			key->asym_mask = SPDM_ASYM_ECDSA_P521;
		else {
			snprintf(err, errlen, "EC curve %s is not an SPDM algorithm",
				 group);
			return -EINVAL;
		}
		snprintf(key->desc, sizeof(key->desc), "%s",
			 spdm_asym_name(key->asym_mask));
		return 0;
	}
	if (EVP_PKEY_is_a(key->pkey, "RSA")) {
		bits = EVP_PKEY_get_bits(key->pkey);
		if (bits == 2048)
			key->asym_mask = SPDM_ASYM_RSASSA_2048 | SPDM_ASYM_RSAPSS_2048;
		else if (bits == 3072)
			key->asym_mask = SPDM_ASYM_RSASSA_3072 | SPDM_ASYM_RSAPSS_3072;
		else if (bits == 4096)
			key->asym_mask = SPDM_ASYM_RSASSA_4096 | SPDM_ASYM_RSAPSS_4096;
		else {
			snprintf(err, errlen, "RSA-%d is not an SPDM algorithm",
				 bits);
			return -EINVAL;
		}
		snprintf(key->desc, sizeof(key->desc), "RSA %d", bits);
		return 0;
	}
	snprintf(err, errlen, "key type %s is not an SPDM algorithm",
		 EVP_PKEY_get0_type_name(key->pkey));
	return -EINVAL;
}

/*
 * Load a PEM private key (PKCS#8 or traditional); ML-DSA (PKCS#8) only
 * when built with OpenSSL 3.5+, else refused saying so.
 */
int spdm_key_load(const char *path, struct spdm_key *key, char *err,
		  size_t errlen)
{
	FILE *f = fopen(path, "r");

	memset(key, 0, sizeof(*key));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	key->pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key->pkey) {
		char what[PATH_MAX + 32];

		if (spdm_mldsa_explain(path, err, errlen))
			return -EINVAL;
		snprintf(what, sizeof(what), "%s: not a PEM private key", path);
		set_err(err, errlen, what);
		return -EINVAL;
	}
	if (key_classify(key, err, errlen)) {
		spdm_key_free(key);
		return -EINVAL;
	}
	return 0;
}

void spdm_key_free(struct spdm_key *key)
{
	EVP_PKEY_free(key->pkey);
	key->pkey = NULL;
}

static bool asym_is_ecdsa(uint32_t asym)
{
	return asym & (SPDM_ASYM_ECDSA_P256 | SPDM_ASYM_ECDSA_P384 |
		       SPDM_ASYM_ECDSA_P521);
}

static bool asym_is_pss(uint32_t asym)
{
	return asym & (SPDM_ASYM_RSAPSS_2048 | SPDM_ASYM_RSAPSS_3072 |
		       SPDM_ASYM_RSAPSS_4096);
}

/* DER ECDSA-Sig-Value -> r || s, each @half bytes. */
static int ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t *out,
			    size_t half)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, der_len);
	const BIGNUM *r, *s;
	int ok;

	if (!sig)
		return -EIO;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, out, half) == (int)half &&
	     BN_bn2binpad(s, out + half, half) == (int)half;
	ECDSA_SIG_free(sig);
	return ok ? 0 : -EIO;
}

/*
 * Sign @digest (h->len bytes, already the hash the signature scheme
 * would compute over its message) with @key as BaseAsymAlgo @asym.
 * @sig receives spdm_asym_sig_len(@asym) bytes.
 */
int spdm_sign_digest(const struct spdm_key *key, uint32_t asym,
		     const struct spdm_hash_alg *h, const uint8_t *digest,
		     uint8_t *sig)
{
	size_t want = spdm_asym_sig_len(asym), len;
	uint8_t der[SPDM_MAX_ASYM_SIG_LEN + 16];
	EVP_PKEY_CTX *ctx;
	int ret = -EIO;

	if (!want || !(key->asym_mask & asym))
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, h->md()) <= 0)
		goto out;
	if (!asym_is_ecdsa(asym)) {
		if (asym_is_pss(asym)) {
			if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
			    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
			    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, h->md()) <= 0)
				goto out;
		} else if (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0) {
			goto out;
		}
		len = want;
		if (EVP_PKEY_sign(ctx, sig, &len, digest, h->len) > 0 &&
		    len == want)
			ret = 0;
		goto out;
	}
	len = sizeof(der);
	if (EVP_PKEY_sign(ctx, der, &len, digest, h->len) > 0)
		ret = ecdsa_der_to_raw(der, len, sig, want / 2);
out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/*
 * combined_spdm_prefix (DSP0274 1.2 sec 15): "dmtf-spdm-v1.N.*" four
 * times (64 bytes), then zero bytes and the context string so that the
 * context ends at byte 100.
 */
void spdm_combined_prefix(uint8_t version, const char *context,
			  uint8_t out[SPDM_COMBINED_PREFIX_LEN])
{
	size_t clen = strlen(context);
	char one[20];	/* 16 for any 1.x version */
	int i;

	snprintf(one, sizeof(one), "dmtf-spdm-v%u.%u.*", version >> 4,
		 version & 0xf);
	memset(out, 0, SPDM_COMBINED_PREFIX_LEN);
	for (i = 0; i < 4; i++)
		memcpy(out + 16 * i, one, 16);
	memcpy(out + SPDM_COMBINED_PREFIX_LEN - clen, context, clen);
}
