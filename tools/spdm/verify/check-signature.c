// SPDX-License-Identifier: GPL-2.0
/*
 * The check "signature": the leaf key verifies the signature over
 * Hash(transcript) (SPDM 1.0/1.1) or Hash(prefix || Hash(transcript))
 * (1.2+); ECDSA r||s, RSASSA-PKCS1-v1_5, RSASSA-PSS.  SPDM 1.4's ML-DSA
 * (a PqcAsymAlgo) signs prefix || Hash(transcript) itself, hashed no
 * further, as the message M of pure ML-DSA (FIPS 204) with the prefix's
 * context string (without its padding) as ML-DSA's context string ctx;
 * it needs OpenSSL 3.5 (mldsa.c), without which the check cannot run.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "checks-int.h"

static int key_fits(struct ctx *c, EVP_PKEY *key, char *why, size_t len)
{
	const struct sv_asym *a = c->asym;
	char group[64];

	if (a->kind == SV_ECDSA) {
		if (!EVP_PKEY_is_a(key, "EC") ||
		    EVP_PKEY_get_group_name(key, group, sizeof(group),
					    NULL) != 1) {
			snprintf(why, len, "the leaf key is no EC key");
			return -1;
		}
		if (strcmp(group, a->group)) {
			snprintf(why, len, "the leaf key is on %s, %s needs %s",
				 group, a->label, a->group);
			return -1;
		}
		return 0;
	}
	if (!EVP_PKEY_is_a(key, "RSA") &&
	    !(a->kind == SV_RSAPSS && EVP_PKEY_is_a(key, "RSA-PSS"))) {
		snprintf(why, len, "the leaf key is no RSA key");
		return -1;
	}
	if (EVP_PKEY_get_bits(key) != a->bits) {
		snprintf(why, len, "the leaf key has %d bits, %s needs %d",
			 EVP_PKEY_get_bits(key), a->label, a->bits);
		return -1;
	}
	return 0;
}

/* 1: valid, 0: invalid, -1: could not check (why says so) */
static int verify_digest(struct ctx *c, EVP_PKEY *key, const uint8_t *dgst,
			 char *why, size_t len)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_asym *a = c->asym;
	const uint8_t *sig = ev->signature.data;
	size_t sig_len = ev->signature.len, half = a->sig_len / 2;
	unsigned char *der = NULL;
	EVP_PKEY_CTX *pc = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r, *s;
	int n, rc = -1;

	if (a->kind == SV_ECDSA) {
		es = ECDSA_SIG_new();
		r = BN_bin2bn(sig, half, NULL);
		s = BN_bin2bn(sig + half, half, NULL);
		if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
			BN_free(r);
			BN_free(s);
			snprintf(why, len, "out of memory");
			goto out;
		}
		n = i2d_ECDSA_SIG(es, &der);
		if (n <= 0) {
			snprintf(why, len, "cannot encode r||s");
			goto out;
		}
		sig = der;
		sig_len = n;
	}
	pc = EVP_PKEY_CTX_new(key, NULL);
	if (!pc || EVP_PKEY_verify_init(pc) != 1 ||
	    EVP_PKEY_CTX_set_signature_md(pc, c->hash->md()) != 1)
		goto ssl;
	if (a->kind == SV_RSASSA &&
	    EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) != 1)
		goto ssl;
	if (a->kind == SV_RSAPSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) != 1 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pc, c->hash->md()) != 1))
		goto ssl;
	rc = EVP_PKEY_verify(pc, sig, sig_len, dgst, c->hash->len) == 1;
	if (!rc)
		chk_ssl_err(why, len);
	goto out;
ssl:
	chk_ssl_err(why, len);
out:
	EVP_PKEY_CTX_free(pc);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	return rc;
}

/* The algorithm of @x's key as OpenSSL names its OID, for messages */
static const char *key_alg(X509 *x, char *buf, size_t len)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	ASN1_OBJECT *obj;

	if (!pub || X509_PUBKEY_get0_param(&obj, NULL, NULL, NULL, pub) != 1 ||
	    OBJ_obj2txt(buf, len, obj, 0) <= 0)
		snprintf(buf, len, "unknown");
	return buf;
}

/* An ML-DSA leaf key has the OID of c->asym, its size, no parameters */
static int mldsa_key_fits(struct ctx *c, X509 *leaf, char *why, size_t len)
{
	const struct sv_asym *a = c->asym, *k;
	size_t pk_len;
	bool params;
	char alg[80];

	k = sv_cert_key_pqc(leaf, &pk_len, &params);
	if (k != a)
		snprintf(why, len, "the leaf key is %s, %s needs an %s key (OID %s)",
			 k ? k->label : key_alg(leaf, alg, sizeof(alg)),
			 a->label, a->label, a->oid);
	else if (params || pk_len != a->pk_len)
		snprintf(why, len,
			 "the leaf's %s key has %zu bytes%s, FIPS 204 and RFC 9881 have %zu and none",
			 a->label, pk_len, params ? " and parameters" : "",
			 a->pk_len);
	else
		return 0;
	return -1;
}

/*
 * ML-DSA (SPDM 1.4): M = combined prefix || Hash(transcript), verified as
 * it is, with the context string of the prefix as ML-DSA's ctx.
 */
static void check_mldsa(struct ctx *c, X509 *leaf)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_asym *a = c->asym;
	const char *context = chk_sig_context(c);
	uint8_t m[SV_PREFIX_LEN + SV_MAX_HASH_LEN];
	char why[256], over[160];
	EVP_PKEY *key;
	int rc;

	if (mldsa_key_fits(c, leaf, why, sizeof(why))) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "%s", why);
		return;
	}
	sv_combined_prefix(ev->version, context, m);
	if (chk_digest(c->hash, ev->transcript.data, ev->transcript.len, NULL,
		       0, m + SV_PREFIX_LEN)) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot hash: %s",
			chk_ssl_err(why, sizeof(why)));
		return;
	}
	snprintf(over, sizeof(over),
		 "the combined prefix || %s of the transcript (pure ML-DSA, context \"%s\")",
		 c->hash->label, context);
	if (sv_mldsa_unsupported(a, why, sizeof(why))) {
		chk_set(c, SV_C_SIGNATURE, SV_NOT_RUN,
			"%s: the %s signature over %s is not checked", why,
			a->label, over);
		return;
	}
	key = X509_get0_pubkey(leaf);
	if (!key) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot read the leaf key: %s",
			chk_ssl_err(why, sizeof(why)));
		return;
	}
	rc = sv_mldsa_verify(a, key, m, SV_PREFIX_LEN + c->hash->len, context,
			     ev->signature.data, ev->signature.len, why,
			     sizeof(why));
	if (rc == 1)
		chk_set(c, SV_C_SIGNATURE, SV_PASS,
			"%s signature over %s verifies with the leaf key of %s",
			a->label, over, c->v->leaf_subject);
	else if (!rc)
		chk_set(c, SV_C_SIGNATURE, SV_FAIL,
			"%s signature over %s does not verify with the leaf key of %s",
			a->label, over, c->v->leaf_subject);
	else
		chk_set(c, SV_C_SIGNATURE, rc == -2 ? SV_NOT_RUN : SV_FAIL,
			"cannot verify the %s signature: %s", a->label, why);
}

void check_signature(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t m[SV_PREFIX_LEN + SV_MAX_HASH_LEN], dgst[SV_MAX_HASH_LEN];
	const char *hn, *over;
	char why[256], name[80];
	EVP_PKEY *key;
	X509 *leaf;
	int rc;

	if (!c->version_ok || !c->hash || !c->asym ||
	    !SV_HAVE(ev, SV_F_TRANSCRIPT) || !SV_HAVE(ev, SV_F_SIGNATURE)) {
		chk_set(c, SV_C_SIGNATURE, SV_NOT_RUN,
			"not checked: transcript, signature or algorithms missing");
		return;
	}
	leaf = chk_leaf(c);
	if (!leaf) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL,
			"no leaf key: the chain does not parse (%s)", c->chain_err);
		return;
	}
	if (ev->signature.len != c->asym->sig_len) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL,
			"%zu-byte signature, %s signatures have %zu",
			ev->signature.len, c->asym->label, c->asym->sig_len);
		return;
	}
	if (c->asym->kind == SV_MLDSA) {
		check_mldsa(c, leaf);
		return;
	}
	key = X509_get0_pubkey(leaf);
	if (!key) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot read the leaf key (%s): %s",
			key_alg(leaf, name, sizeof(name)),
			chk_ssl_err(why, sizeof(why)));
		return;
	}
	if (key_fits(c, key, why, sizeof(why))) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "%s", why);
		return;
	}
	/* 1.0/1.1: Hash(M1); 1.2+: Hash(combined prefix || Hash(M1)) */
	if (chk_digest(c->hash, ev->transcript.data, ev->transcript.len, NULL, 0,
		       dgst)) {
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot hash: %s",
			chk_ssl_err(why, sizeof(why)));
		return;
	}
	hn = c->hash->label;
	over = "the transcript";
	if (ev->version >= 0x12) {
		sv_combined_prefix(ev->version, chk_sig_context(c), m);
		memcpy(m + SV_PREFIX_LEN, dgst, c->hash->len);
		if (chk_digest(c->hash, m, SV_PREFIX_LEN + c->hash->len, NULL, 0,
			       dgst)) {
			chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot hash: %s",
				chk_ssl_err(why, sizeof(why)));
			return;
		}
		over = "the combined prefix || hash of the transcript";
	}
	rc = verify_digest(c, key, dgst, why, sizeof(why));
	if (rc == 1)
		chk_set(c, SV_C_SIGNATURE, SV_PASS,
			"%s signature over %s of %s verifies with the leaf key of %s",
			c->asym->label, hn, over, c->v->leaf_subject);
	else if (rc == 0)
		chk_set(c, SV_C_SIGNATURE, SV_FAIL,
			"%s signature over %s of %s does not verify with the leaf key of %s",
			c->asym->label, hn, over, c->v->leaf_subject);
	else
		chk_set(c, SV_C_SIGNATURE, SV_FAIL, "cannot verify: %s", why);
}
