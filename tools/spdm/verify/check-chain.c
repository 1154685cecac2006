// SPDX-License-Identifier: GPL-2.0
/*
 * The certificate chain (DSP0274 table 33): "cert-chain-hash" (the
 * signed CertChainHash is the chain's hash), "chain" (format, RootHash,
 * each certificate signed by the one before) and "trust" (it validates up
 * to one of the verifier's trust anchors).  Certificates signed with
 * ML-DSA need OpenSSL 3.5: built with an older one, "chain" checks what
 * it can without their signatures and both are NOT-RUN.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "checks-int.h"

void check_parse_chain(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const unsigned char *start, *p, *end;
	X509 *x;

	c->certs = sk_X509_new_null();
	if (!c->certs || !c->hash || !SV_HAVE(ev, SV_F_CHAIN)) {
		snprintf(c->chain_err, sizeof(c->chain_err),
			 "no chain or no hash algorithm");
		return;
	}
	if (ev->chain.len < SV_CHAIN_HDR_LEN + c->hash->len) {
		snprintf(c->chain_err, sizeof(c->chain_err),
			 "%zu bytes, shorter than the header and RootHash",
			 ev->chain.len);
		return;
	}
	p = ev->chain.data + SV_CHAIN_HDR_LEN + c->hash->len;
	end = ev->chain.data + ev->chain.len;
	while (p < end) {
		start = p;
		x = d2i_X509(NULL, &p, end - p);
		if (!x || p <= start) {
			X509_free(x);
			snprintf(c->chain_err, sizeof(c->chain_err),
				 "no DER certificate at offset %td",
				 start - ev->chain.data);
			break;
		}
		if (!sk_X509_num(c->certs)) {
			c->root_off = start - ev->chain.data;
			c->root_len = p - start;
		}
		if (!sk_X509_push(c->certs, x)) {
			X509_free(x);
			snprintf(c->chain_err, sizeof(c->chain_err),
				 "out of memory");
			break;
		}
	}
	if (!*c->chain_err && !sk_X509_num(c->certs))
		snprintf(c->chain_err, sizeof(c->chain_err), "no certificates");
	ERR_clear_error();
	c->v->nr_certs = sk_X509_num(c->certs);
	if (c->v->nr_certs) {
		x = sk_X509_value(c->certs, c->v->nr_certs - 1);
		sv_x509_name(X509_get_subject_name(x), c->v->leaf_subject,
			     sizeof(c->v->leaf_subject));
		sv_x509_name(X509_get_issuer_name(x), c->v->leaf_issuer,
			     sizeof(c->v->leaf_issuer));
	}
}

X509 *chk_leaf(struct ctx *c)
{
	int n = c->certs ? sk_X509_num(c->certs) : 0;

	return !*c->chain_err && n ? sk_X509_value(c->certs, n - 1) : NULL;
}

/* Session measurements: the chain is the key exchange's, checked there */
bool chk_nested_na(struct ctx *c, enum sv_check_id id)
{
	if (!c->o->nested)
		return false;
	chk_set(c, id, SV_NA, "the key exchange's chain, checked there");
	return true;
}

void check_chain_hash(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t h[SV_MAX_HASH_LEN];
	const uint8_t *in;
	char a[24], b[24];

	const char *what = c->ke ? "TH1's Hash(CertChain)" :
			   "CHALLENGE_AUTH's CertChainHash";

	if (chk_nested_na(c, SV_C_CHAIN_HASH))
		return;
	if (c->meas) {
		chk_set(c, SV_C_CHAIN_HASH, SV_SKIP,
			"MEASUREMENTS carries no CertChainHash: the chain is bound by its leaf key verifying the signature");
		return;
	}
	if (!c->layout_ok || !SV_HAVE(ev, SV_F_CHAIN)) {
		chk_set(c, SV_C_CHAIN_HASH, SV_NOT_RUN,
			"not checked: no chain, or no %s in the transcript",
			c->ke ? "TH1" : "CHALLENGE_AUTH");
		return;
	}
	in = ev->transcript.data + c->cert_hash;
	if (chk_digest(c->hash, ev->chain.data, ev->chain.len, NULL, 0, h)) {
		chk_set(c, SV_C_CHAIN_HASH, SV_FAIL, "cannot hash");
		return;
	}
	if (memcmp(h, in, c->hash->len))
		chk_set(c, SV_C_CHAIN_HASH, SV_FAIL,
			"%s %s is not %s of the %zu-byte chain (%s)", what,
			chk_short_hex(in, c->hash->len, a), c->hash->label,
			ev->chain.len, chk_short_hex(h, c->hash->len, b));
	else
		chk_set(c, SV_C_CHAIN_HASH, SV_PASS,
			"%s %s is %s of the %zu-byte chain", what,
			chk_short_hex(h, c->hash->len, a), c->hash->label,
			ev->chain.len);
}

static bool self_signed(X509 *x)
{
	bool ok = X509_check_issued(x, x) == X509_V_OK &&
		  X509_verify(x, X509_get0_pubkey(x)) == 1;

	ERR_clear_error();
	return ok;
}

/* A trust anchor whose DER hashes to the chain's RootHash, if any. */
static X509 *anchor_by_hash(struct ctx *c, const uint8_t *root_hash)
{
	uint8_t h[SV_MAX_HASH_LEN];
	unsigned char *der;
	X509 *x;
	int i, n;

	if (!c->o->trust)
		return NULL;
	for (i = 0; i < sk_X509_num(c->o->trust->anchors); i++) {
		x = sk_X509_value(c->o->trust->anchors, i);
		der = NULL;
		n = i2d_X509(x, &der);
		if (n > 0 && !chk_digest(c->hash, der, n, NULL, 0, h) &&
		    !memcmp(h, root_hash, c->hash->len)) {
			OPENSSL_free(der);
			return x;
		}
		OPENSSL_free(der);
	}
	return NULL;
}

/* RootHash is the hash of the chain's first certificate */
static bool root_hash_is_first(struct ctx *c)
{
	const uint8_t *chain = c->ev->chain.data;
	uint8_t h[SV_MAX_HASH_LEN];

	return !chk_digest(c->hash, chain + c->root_off, c->root_len, NULL, 0,
			   h) &&
	       !memcmp(h, chain + SV_CHAIN_HDR_LEN, c->hash->len);
}

/*
 * The ML-DSA parameter set of the first certificate of the chain signed
 * with ML-DSA (@keys: or with an ML-DSA key), if this build cannot verify
 * it (OpenSSL before 3.5); NULL if none is.  @why receives why.
 */
static const struct sv_asym *chain_mldsa(struct ctx *c, bool keys,
					 char *why, size_t len)
{
	const struct sv_asym *a;
	size_t pk_len;
	bool params;
	X509 *x;
	int i;

	for (i = 0; i < sk_X509_num(c->certs); i++) {
		x = sk_X509_value(c->certs, i);
		a = sv_cert_sig_pqc(x);
		if (!a && keys)
			a = sv_cert_key_pqc(x, &pk_len, &params);
		if (a && sv_mldsa_unsupported(a, why, len))
			return a;
	}
	return NULL;
}

/*
 * A chain with ML-DSA signatures that this build cannot verify: what can
 * be checked without them (RootHash; each certificate issued, by name, by
 * the one before), then NOT-RUN, never PASS.  True if so.
 */
static bool chain_unverifiable(struct ctx *c, const char *root)
{
	const struct sv_asym *a;
	X509 *x, *prev;
	char why[160], name[256];
	int i, n = sk_X509_num(c->certs);

	a = chain_mldsa(c, false, why, sizeof(why));
	if (!a)
		return false;
	x = sk_X509_value(c->certs, 0);
	if (!X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x))) {
		if (!root_hash_is_first(c)) {
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"RootHash is not %s of the root certificate %s",
				c->hash->label, root);
			return true;
		}
	} else if (!anchor_by_hash(c, c->ev->chain.data + SV_CHAIN_HDR_LEN)) {
		chk_set(c, SV_C_CHAIN, SV_FAIL,
			"the first certificate (%s) is not self-issued and RootHash matches none of our trust anchors",
			root);
		return true;
	}
	for (i = 1; i < n; i++) {
		prev = sk_X509_value(c->certs, i - 1);
		x = sk_X509_value(c->certs, i);
		if (X509_NAME_cmp(X509_get_subject_name(prev),
				  X509_get_issuer_name(x))) {
			sv_x509_name(X509_get_subject_name(x), name,
				     sizeof(name));
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"certificate %d (%s) is not issued by certificate %d (issuer name)",
				i + 1, name, i);
			return true;
		}
	}
	chk_set(c, SV_C_CHAIN, SV_NOT_RUN,
		"%s: the %s signatures of the %d certificate%s from %s to %s are not checked (RootHash and issuer names match)",
		why, a->label, n, n == 1 ? "" : "s", root, c->v->leaf_subject);
	return true;
}

void check_chain(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *chain = ev->chain.data;
	X509 *x, *prev, *anchor;
	char name[256], root[256];
	int i, n, err;

	if (chk_nested_na(c, SV_C_CHAIN))
		return;
	if (!c->hash || !SV_HAVE(ev, SV_F_CHAIN)) {
		chk_set(c, SV_C_CHAIN, SV_NOT_RUN,
			"not checked: no chain or no hash algorithm");
		return;
	}
	if (ev->chain.len < SV_CHAIN_HDR_LEN + c->hash->len ||
	    sv_chain_length(&ev->chain, ev->version) != ev->chain.len) {
		chk_set(c, SV_C_CHAIN, SV_FAIL,
			"chain header says %u bytes (Length, %s), the chain has %zu",
			sv_chain_length(&ev->chain, ev->version),
			ev->version >= 0x14 ? "u32 from SPDM 1.4 on" :
			"u16 before SPDM 1.4", ev->chain.len);
		return;
	}
	if (*c->chain_err) {
		chk_set(c, SV_C_CHAIN, SV_FAIL, "%s", c->chain_err);
		return;
	}
	n = sk_X509_num(c->certs);
	x = sk_X509_value(c->certs, 0);
	sv_x509_name(X509_get_subject_name(x), root, sizeof(root));
	if (chain_unverifiable(c, root))
		return;
	if (self_signed(x)) {
		if (!root_hash_is_first(c)) {
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"RootHash is not %s of the root certificate %s",
				c->hash->label, root);
			return;
		}
	} else {
		/* the root is not in the chain: RootHash names an anchor */
		anchor = anchor_by_hash(c, chain + SV_CHAIN_HDR_LEN);
		if (!anchor) {
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"the first certificate (%s) is not self-signed and RootHash matches none of our trust anchors",
				root);
			return;
		}
		err = X509_check_issued(anchor, x);
		if (err != X509_V_OK ||
		    X509_verify(x, X509_get0_pubkey(anchor)) != 1) {
			ERR_clear_error();
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"the first certificate (%s) is not signed by the root RootHash names",
				root);
			return;
		}
	}
	for (i = 1; i < n; i++) {
		prev = sk_X509_value(c->certs, i - 1);
		x = sk_X509_value(c->certs, i);
		err = X509_check_issued(prev, x);
		if (err != X509_V_OK || X509_verify(x, X509_get0_pubkey(prev)) != 1) {
			ERR_clear_error();
			sv_x509_name(X509_get_subject_name(x), name, sizeof(name));
			chk_set(c, SV_C_CHAIN, SV_FAIL,
				"certificate %d (%s) is not signed by certificate %d: %s",
				i + 1, name, i, err != X509_V_OK ?
				X509_verify_cert_error_string(err) :
				"signature does not verify");
			return;
		}
	}
	chk_set(c, SV_C_CHAIN, SV_PASS,
		"%d certificate%s from %s to %s, each signed by the one before, RootHash matches",
		n, n == 1 ? "" : "s", root, c->v->leaf_subject);
}

static const char *trust_hint(int err)
{
	switch (err) {
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		return ": the chain does not lead to one of our trust anchors";
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return " (--no-time-check ignores validity periods)";
	}
	return "";
}

void check_trust(struct ctx *c)
{
	struct stack_st_X509 *untrusted = NULL, *path;
	X509_STORE_CTX *sc = NULL;
	X509_VERIFY_PARAM *param;
	X509 *leaf = chk_leaf(c), *top;
	char name[256], sub[256];
	int i, n, depth, err;

	if (chk_nested_na(c, SV_C_TRUST))
		return;
	if (!leaf) {
		chk_set(c, SV_C_TRUST, SV_NOT_RUN,
			"not checked: no certificates in the chain");
		return;
	}
	if (!c->o->trust || !c->o->trust->nr) {
		chk_set(c, SV_C_TRUST, SV_FAIL,
			"no trust anchors of ours (--trust FILE|DIR)");
		return;
	}
	/* OpenSSL's validation needs every key of the chain, the leaf's too */
	if (chain_mldsa(c, true, name, sizeof(name))) {
		chk_set(c, SV_C_TRUST, SV_NOT_RUN,
			"%s: a chain with its keys or signatures cannot be validated",
			name);
		return;
	}
	n = sk_X509_num(c->certs);
	untrusted = sk_X509_new_null();
	sc = X509_STORE_CTX_new();
	if (!untrusted || !sc)
		goto oom;
	for (i = 0; i < n - 1; i++)
		if (!sk_X509_push(untrusted, sk_X509_value(c->certs, i)))
			goto oom;
	if (X509_STORE_CTX_init(sc, c->o->trust->store, leaf, untrusted) != 1)
		goto oom;
	param = X509_STORE_CTX_get0_param(sc);
	X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	if (c->o->no_time_check)
		X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	if (X509_verify_cert(sc) == 1) {
		path = X509_STORE_CTX_get0_chain(sc);
		top = sk_X509_value(path, sk_X509_num(path) - 1);
		sv_x509_name(X509_get_subject_name(top), name, sizeof(name));
		chk_set(c, SV_C_TRUST, SV_PASS,
			"the chain leads to our trust anchor %s%s", name,
			c->o->no_time_check ? " (validity times not checked)" : "");
	} else {
		err = X509_STORE_CTX_get_error(sc);
		depth = X509_STORE_CTX_get_error_depth(sc);
		sub[0] = 0;
		if (X509_STORE_CTX_get_current_cert(sc))
			sv_x509_name(X509_get_subject_name(X509_STORE_CTX_get_current_cert(sc)),
				     sub, sizeof(sub));
		chk_set(c, SV_C_TRUST, SV_FAIL, "%s (depth %d, %s)%s",
			X509_verify_cert_error_string(err), depth,
			*sub ? sub : "?", trust_hint(err));
	}
	goto out;
oom:
	chk_set(c, SV_C_TRUST, SV_FAIL, "out of memory");
out:
	ERR_clear_error();
	X509_STORE_CTX_free(sc);
	sk_X509_free(untrusted);
}
