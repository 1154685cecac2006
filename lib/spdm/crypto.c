// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Hashing and signature verification with the kernel crypto API.
 */

#include <crypto/hash.h>
#include <crypto/mldsa.h>
#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "state.h"
#include "wire.h"

/**
 * spdm_hash() - hash a buffer with the negotiated BaseHashAlgo
 * @spdm_state: SPDM state of the device
 * @data: data to hash
 * @len: size of @data
 * @digest: receives @spdm_state->hash_len bytes
 *
 * Return: 0 on success, or a negative errno.
 */
int spdm_hash(struct spdm_state *spdm_state, const void *data, size_t len,
	      u8 *digest)
{
	return crypto_shash_tfm_digest(spdm_state->shash, data, len, digest);
}

/**
 * spdm_build_combined_prefix() - build the SPDM 1.2+ signing prefix
 * @version: negotiated SPDM version (0x12 or later)
 * @context: signing context string, e.g. "responder-challenge_auth signing"
 * @buf: receives %SPDM_COMBINED_PREFIX_SZ bytes
 *
 * DSP0274 sec 15: "dmtf-spdm-v1.N.*" four times, zero padding, then the
 * context string, 100 bytes in all.
 */
void spdm_build_combined_prefix(u8 version, const char *context, u8 *buf)
{
	size_t ctx_len = strlen(context);
	int i;

	for (i = 0; i < 4; i++)
		snprintf(buf + i * 16, 17, "dmtf-spdm-v%hhx.%hhx.*",
			 version >> 4, version & 0xf);
	memset(buf + SPDM_PREFIX_SZ, 0,
	       SPDM_COMBINED_PREFIX_SZ - SPDM_PREFIX_SZ - ctx_len);
	memcpy(buf + SPDM_COMBINED_PREFIX_SZ - ctx_len, context, ctx_len);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_build_combined_prefix);

/* Largest signed message M of SPDM 1.2+ */
#define SPDM_MAX_SIGNED_MSG_SZ	(SPDM_COMBINED_PREFIX_SZ + SPDM_MAX_HASH_SZ)

/*
 * The message M of SPDM 1.2+ signatures into @m: the combined prefix
 * followed by the transcript hash.  Return: its length.
 */
static size_t spdm_signed_message(struct spdm_state *spdm_state,
				  const char *context,
				  const u8 *transcript_hash, u8 *m)
{
	spdm_build_combined_prefix(spdm_state->version, context, m);
	memcpy(m + SPDM_COMBINED_PREFIX_SZ, transcript_hash,
	       spdm_state->hash_len);
	return SPDM_COMBINED_PREFIX_SZ + spdm_state->hash_len;
}

/*
 * The digest the signature algorithm is applied to: for SPDM 1.2+ the
 * hash of M, for 1.0 and 1.1 the transcript hash itself.
 */
static int spdm_signed_digest(struct spdm_state *spdm_state,
			      const char *context, const u8 *transcript_hash,
			      u8 *digest)
{
	u8 m[SPDM_MAX_SIGNED_MSG_SZ];
	size_t len;

	if (spdm_state->version < SPDM_VER_12) {
		memcpy(digest, transcript_hash, spdm_state->hash_len);
		return 0;
	}

	len = spdm_signed_message(spdm_state, context, transcript_hash, m);
	return spdm_hash(spdm_state, m, len, digest);
}

/*
 * ML-DSA (SPDM 1.4): pure ML-DSA over M itself, not hashed again, with
 * the signing context as the ML-DSA context string.
 */
static int spdm_verify_mldsa(struct spdm_state *spdm_state,
			     const char *context, const u8 *sig,
			     const u8 *transcript_hash)
{
	const struct public_key *key = spdm_state->leaf_key;
	u8 m[SPDM_MAX_SIGNED_MSG_SZ];
	size_t len;

	len = spdm_signed_message(spdm_state, context, transcript_hash, m);
	return mldsa_verify_ctx(spdm_state->asym->mldsa, sig,
				spdm_state->sig_len, context, strlen(context),
				m, len, key->key, key->keylen);
}

/**
 * spdm_verify_signature() - verify a responder signature
 * @spdm_state: SPDM state of the device, with @leaf_key set
 * @context: signing context string (used for SPDM 1.2+)
 * @sig: signature of @spdm_state->sig_len bytes, as sent by the device
 * @transcript_hash: hash of the transcript the signature covers
 *
 * Return: 0 if the signature is valid, -EKEYREJECTED or -EBADMSG if it is
 * not, or another negative errno.
 */
int spdm_verify_signature(struct spdm_state *spdm_state, const char *context,
			  const u8 *sig, u8 *transcript_hash)
{
	bool ecdsa = spdm_state->base_asym_alg & SPDM_ASYM_ECDSA;
	u8 digest[SHA512_DIGEST_SIZE];
	struct public_key_signature pks = {
		.s = (u8 *)sig,
		.s_size = spdm_state->sig_len,
		.m = digest,
		.m_size = spdm_state->hash_len,
		.pkey_algo = ecdsa ? "ecdsa" : "rsa",
		.hash_algo = spdm_state->base_hash_name,
		.encoding = spdm_state->asym->encoding,
	};
	int rc;

	if (!spdm_state->asym->encoding)
		return spdm_verify_mldsa(spdm_state, context, sig,
					 transcript_hash);

	rc = spdm_signed_digest(spdm_state, context, transcript_hash, digest);
	if (rc)
		return rc;

	return public_key_verify_signature(spdm_state->leaf_key, &pks);
}

/**
 * spdm_verify_evidence() - check a signature over its transcript
 * @spdm_state: SPDM state of the device, leaf key set
 * @ev: the signature, its transcript and signing context
 *
 * Return: 0 if the signature is valid, else a negative errno.
 */
int spdm_verify_evidence(struct spdm_state *spdm_state,
			 const struct spdm_evidence *ev)
{
	u8 transcript_hash[SPDM_MAX_HASH_SZ];
	int rc;

	rc = spdm_hash(spdm_state, ev->transcript, ev->transcript_len,
		       transcript_hash);
	if (rc)
		return rc;

	return spdm_verify_signature(spdm_state, ev->context, ev->sig,
				     transcript_hash);
}

/**
 * spdm_take_evidence() - keep a signature just received and check it
 * @spdm_state: SPDM state of the device, leaf key set
 * @ev: evidence with everything but the signature filled in
 * @sig: the signature as received (&spdm_state.sig_len bytes)
 * @what: what was signed, for the error message
 *
 * Return: 0 if the signature is valid, else a negative errno (logged).
 */
int spdm_take_evidence(struct spdm_state *spdm_state,
		       struct spdm_evidence *ev, const u8 *sig,
		       const char *what)
{
	ktime_t start;
	int rc;

	memcpy(ev->sig, sig, spdm_state->sig_len);
	ev->received = true;
	start = ktime_get();
	rc = spdm_verify_evidence(spdm_state, ev);
	dev_dbg(spdm_state->dev, "%s (%s) checked in %lld us: %d\n",
		what, spdm_state->asym->name,
		ktime_us_delta(ktime_get(), start), rc);
	ev->valid = !rc;
	spdm_evidence_changed(spdm_state);
	ev->generation = spdm_state->generation;
	if (rc)
		dev_err(spdm_state->dev, "%s does not verify: %d\n", what, rc);
	return rc;
}
