// SPDX-License-Identifier: GPL-2.0
/*
 * ML-DSA (FIPS 204) signing for SPDM 1.4 PqcAsymAlgo: ML-DSA-44, -65 and
 * -87 keys, and pure ML-DSA signatures with a context string (FIPS 204
 * algorithm 2, ML-DSA.Sign(sk, M, ctx), hedged).  Signing needs OpenSSL
 * 3.5 or newer; everything that does is inside the one #if below.
 * Built with an older OpenSSL, spdm_mldsa_built() is false and an
 * ML-DSA key is refused with a message saying why (spdm_mldsa_explain()
 * recognises the key by the OID of its PKCS#8 wrapping, which every
 * OpenSSL 3 can read).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto.h"

#if OPENSSL_VERSION_NUMBER >= 0x30500000L
#include <openssl/core_names.h>
#define SPDM_HAVE_MLDSA	1
#else
#define SPDM_HAVE_MLDSA	0
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* FIPS 204 parameter sets: PqcAsymAlgo bit, OpenSSL name, OID, sizes */
static const struct {
	uint32_t bit;
	const char *name;
	const char *oid;	/* NIST CSOR sigAlgs, RFC 9881 */
	size_t sig_len;
} mldsa[] = {
	{ SPDM_PQC_ML_DSA_44, "ML-DSA-44", "2.16.840.1.101.3.4.3.17", 2420 },
	{ SPDM_PQC_ML_DSA_65, "ML-DSA-65", "2.16.840.1.101.3.4.3.18", 3309 },
	{ SPDM_PQC_ML_DSA_87, "ML-DSA-87", "2.16.840.1.101.3.4.3.19", 4627 },
};

bool spdm_mldsa_built(void)
{
	return SPDM_HAVE_MLDSA;
}

/* Why this build has no ML-DSA, NULL if it has. */
const char *spdm_mldsa_unsupported(void)
{
	if (SPDM_HAVE_MLDSA)
		return NULL;
	return "ML-DSA needs OpenSSL 3.5 or newer; built with OpenSSL "
	       OPENSSL_VERSION_STR;
}

const char *spdm_pqc_name(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mldsa); i++)
		if (mldsa[i].bit == bit)
			return mldsa[i].name;
	return "?";
}

size_t spdm_pqc_sig_len(uint32_t bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mldsa); i++)
		if (mldsa[i].bit == bit)
			return mldsa[i].sig_len;
	return 0;
}

/*
 * An ML-DSA @key: its PqcAsymAlgo bit into key->pqc_mask; false if it is
 * another kind of key (or this build cannot have ML-DSA keys).
 */
bool spdm_mldsa_classify(struct spdm_key *key)
{
#if SPDM_HAVE_MLDSA
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mldsa); i++) {
		if (EVP_PKEY_is_a(key->pkey, mldsa[i].name)) {
			key->pqc_mask = mldsa[i].bit;
			snprintf(key->desc, sizeof(key->desc), "%s",
				 mldsa[i].name);
			return true;
		}
	}
#else
	(void)key;
#endif
	return false;
}

/*
 * Why the PEM private key @path could not be loaded, if it is an ML-DSA
 * key this build cannot use: "ML-DSA-65 key: needs OpenSSL 3.5 or newer
 * (built with OpenSSL 3.0.19)" into @err; false if it is not one.
 */
bool spdm_mldsa_explain(const char *path, char *err, size_t errlen)
{
	const ASN1_OBJECT *obj = NULL;
	PKCS8_PRIV_KEY_INFO *p8;
	char oid[80] = "";
	unsigned int i;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return false;
	p8 = PEM_read_PKCS8_PRIV_KEY_INFO(f, NULL, NULL, NULL);
	fclose(f);
	if (p8 && PKCS8_pkey_get0(&obj, NULL, NULL, NULL, p8) && obj)
		OBJ_obj2txt(oid, sizeof(oid), obj, 1);
	PKCS8_PRIV_KEY_INFO_free(p8);
	ERR_clear_error();
	for (i = 0; i < ARRAY_SIZE(mldsa); i++) {
		if (strcmp(oid, mldsa[i].oid))
			continue;
		snprintf(err, errlen, "%s: %s key: %s", path, mldsa[i].name,
			 SPDM_HAVE_MLDSA ?
			 "OpenSSL cannot decode it" :
			 "needs OpenSSL 3.5 or newer (built with OpenSSL "
			 OPENSSL_VERSION_STR ")");
		return true;
	}
	return false;
}

/*
 * Pure ML-DSA signature of @msg (@len bytes, signed as it is: not hashed
 * first) with @key as PqcAsymAlgo @pqc and the FIPS 204 context string
 * @context (at most 255 bytes); @sig receives spdm_pqc_sig_len(@pqc)
 * bytes.  0, -EINVAL (wrong key or algorithm), -EOPNOTSUPP (no ML-DSA
 * in this build) or -EIO.
 */
int spdm_mldsa_sign(const struct spdm_key *key, uint32_t pqc,
		    const uint8_t *msg, size_t len, const char *context,
		    uint8_t *sig)
{
#if SPDM_HAVE_MLDSA
	size_t want = spdm_pqc_sig_len(pqc), got = want;
	size_t clen = strlen(context);
	EVP_SIGNATURE *alg = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	int ret = -EIO;

	if (!want || !(key->pqc_mask & pqc) || clen > 255)
		return -EINVAL;
	params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_SIGNATURE_PARAM_CONTEXT_STRING, (void *)context,
			clen);
	params[1] = OSSL_PARAM_construct_end();
	alg = EVP_SIGNATURE_fetch(NULL, spdm_pqc_name(pqc), NULL);
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
	if (alg && ctx &&
	    EVP_PKEY_sign_message_init(ctx, alg, params) > 0 &&
	    EVP_PKEY_sign(ctx, sig, &got, msg, len) > 0 && got == want)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	EVP_SIGNATURE_free(alg);
	ERR_clear_error();
	return ret;
#else
	(void)key; (void)pqc; (void)msg; (void)len; (void)context; (void)sig;
	return -EOPNOTSUPP;
#endif
}
