// SPDX-License-Identifier: GPL-2.0
/*
 * ML-DSA (FIPS 204), the PqcAsymAlgo of SPDM 1.4: telling ML-DSA keys
 * and signatures in certificates by their OIDs (RFC 9881), which every
 * OpenSSL 3 can do, and verifying a pure ML-DSA signature with a context
 * string (FIPS 204 algorithm 3), which needs OpenSSL 3.5 or newer.
 *
 * Built with an older OpenSSL, sv_mldsa_built() is false and
 * sv_mldsa_verify() says why it cannot verify: it never reports a
 * signature valid that it did not check.  Everything that needs
 * OpenSSL 3.5 is inside the one #if below.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>

#include "spdm.h"

#if OPENSSL_VERSION_NUMBER >= 0x30500000L
#define SV_HAVE_MLDSA	1
#else
#define SV_HAVE_MLDSA	0
#endif

/* Whether this build can verify ML-DSA (certificates and SPDM signatures) */
bool sv_mldsa_built(void)
{
	return SV_HAVE_MLDSA;
}

/*
 * Why @a cannot be verified by this build, in @buf: "ML-DSA-65 needs
 * OpenSSL 3.5 or newer; built with OpenSSL 3.0.19"; NULL if it can.
 */
const char *sv_mldsa_unsupported(const struct sv_asym *a, char *buf,
				 size_t len)
{
	if (SV_HAVE_MLDSA)
		return NULL;
	snprintf(buf, len, "%s needs OpenSSL 3.5 or newer; built with OpenSSL %s",
		 a->label, OPENSSL_VERSION_STR);
	return buf;
}

static const struct sv_asym *pqc_of(const ASN1_OBJECT *obj)
{
	char oid[80];

	if (!obj || OBJ_obj2txt(oid, sizeof(oid), obj, 1) <= 0)
		return NULL;
	return sv_pqc_asym_by_oid(oid);
}

/* The ML-DSA parameter set @x is signed with, NULL if another algorithm */
const struct sv_asym *sv_cert_sig_pqc(const X509 *x)
{
	const ASN1_OBJECT *obj = NULL;
	const X509_ALGOR *alg = NULL;

	X509_get0_signature(NULL, &alg, x);
	if (!alg)
		return NULL;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	return pqc_of(obj);
}

/*
 * The ML-DSA parameter set of @x's SubjectPublicKeyInfo, NULL if another
 * algorithm; *@pk_len receives the size of its key, *@params whether its
 * AlgorithmIdentifier has parameters (RFC 9881: they are absent).  Read
 * from the DER, so that it works where OpenSSL cannot decode the key.
 */
const struct sv_asym *sv_cert_key_pqc(X509 *x, size_t *pk_len,
				      bool *params)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	const unsigned char *pk;
	ASN1_OBJECT *obj;
	X509_ALGOR *alg;
	int n, ptype;

	*pk_len = 0;
	*params = false;
	if (!pub || X509_PUBKEY_get0_param(&obj, &pk, &n, &alg, pub) != 1)
		return NULL;
	X509_ALGOR_get0(NULL, &ptype, NULL, alg);
	*pk_len = n;
	*params = ptype != V_ASN1_UNDEF;
	return pqc_of(obj);
}

#if SV_HAVE_MLDSA
#include <openssl/core_names.h>
#include <openssl/params.h>

static void ssl_why(char *why, size_t len, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char buf[200] = "no further reason";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	snprintf(why, len, "%s: %s", what, buf);
}

/**
 * sv_mldsa_verify() - verify a pure ML-DSA signature (FIPS 204 alg. 3)
 * @a: the parameter set
 * @key: the public key (an ML-DSA key of @a)
 * @msg: the message M
 * @len: its size
 * @context: the context string ctx (at most 255 bytes)
 * @sig: the signature
 * @sig_len: its size
 * @why: receives why it could not be checked or did not verify
 * @whylen: size of @why
 *
 * Return: 1 valid, 0 invalid, -1 could not check (an error), -2 cannot
 * check in this build (no ML-DSA in it or in its provider).
 */
int sv_mldsa_verify(const struct sv_asym *a, EVP_PKEY *key,
		    const uint8_t *msg, size_t len, const char *context,
		    const uint8_t *sig, size_t sig_len, char *why,
		    size_t whylen)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_octet_string(OSSL_SIGNATURE_PARAM_CONTEXT_STRING,
						  (void *)context,
						  strlen(context)),
		OSSL_PARAM_construct_end(),
	};
	EVP_SIGNATURE *alg;
	EVP_PKEY_CTX *pc = NULL;
	int rc = -2;

	alg = EVP_SIGNATURE_fetch(NULL, a->label, NULL);
	if (!alg) {
		ssl_why(why, whylen, "OpenSSL has no ML-DSA implementation");
		goto out;
	}
	rc = -1;
	if (!EVP_PKEY_is_a(key, a->label)) {
		snprintf(why, whylen, "the key is no %s key", a->label);
		goto out;
	}
	pc = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (!pc || EVP_PKEY_verify_message_init(pc, alg, params) != 1) {
		ssl_why(why, whylen, "cannot set up the verification");
		goto out;
	}
	rc = EVP_PKEY_verify(pc, sig, sig_len, msg, len);
	if (rc < 0) {
		ssl_why(why, whylen, "cannot verify");
		rc = -1;
	} else if (!rc) {
		ssl_why(why, whylen, "invalid");
	}
out:
	EVP_PKEY_CTX_free(pc);
	EVP_SIGNATURE_free(alg);
	ERR_clear_error();
	return rc;
}
#else
int sv_mldsa_verify(const struct sv_asym *a, EVP_PKEY *key,
		    const uint8_t *msg, size_t len, const char *context,
		    const uint8_t *sig, size_t sig_len, char *why,
		    size_t whylen)
{
	(void)key;
	(void)msg;
	(void)len;
	(void)context;
	(void)sig;
	(void)sig_len;
	sv_mldsa_unsupported(a, why, whylen);
	return -2;
}
#endif
