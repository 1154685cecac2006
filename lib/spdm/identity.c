// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Same-device check.  The identity a device presented when it was
 * accepted (its first successful authentication, or an explicit accept
 * from userspace after a verifier approved it) is kept: the public key of
 * the leaf certificate and a digest of the certificate chain.  Every
 * later authentication, among them those after a reset or a resume,
 * compares what the device presents with it.  This is a step of its own,
 * after the validation against the trusted keyring: a device replaced by
 * another one that the keyring trusts as well reads "device identity
 * changed", not authenticated.
 */

#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "auth.h"
#include "state.h"
#include "wire.h"

/* Bytes of a chain digest the kernel log shows: a fingerprint, not the digest */
#define SPDM_ID_FPR_SZ	8

/* The DER certificates of a table-33 chain, without its header */
static void spdm_identity_chain(struct spdm_state *spdm_state, u8 slot,
				const u8 **certs, size_t *len)
{
	size_t hdr_sz = sizeof(struct spdm_cert_chain) + spdm_state->hash_len;

	*certs = spdm_state->slot[slot] + hdr_sz;
	*len = spdm_state->slot_sz[slot] - hdr_sz;
}

/* The identity of the chain and leaf key just proven, in @id */
static int spdm_identity_take(struct spdm_state *spdm_state,
			      struct spdm_identity *id)
{
	const struct public_key *key = spdm_state->leaf_key;
	u8 slot = spdm_state->chal_slot;
	const u8 *certs;
	size_t len;

	spdm_identity_free(id);
	if (!key || !spdm_state->slot[slot])
		return -ENOKEY;

	id->key = kmemdup(key->key, key->keylen, GFP_KERNEL);
	if (!id->key)
		return -ENOMEM;
	id->keylen = key->keylen;
	strscpy(id->pkey_algo, key->pkey_algo, sizeof(id->pkey_algo));
	spdm_identity_chain(spdm_state, slot, &certs, &len);
	sha384(certs, len, id->chain_digest);
	id->slot = slot;
	id->set = true;
	return 0;
}

static bool spdm_identity_equal(const struct spdm_identity *a,
				const struct spdm_identity *b)
{
	return a->keylen == b->keylen && !memcmp(a->key, b->key, a->keylen) &&
	       !strcmp(a->pkey_algo, b->pkey_algo) &&
	       !memcmp(a->chain_digest, b->chain_digest,
		       sizeof(a->chain_digest));
}

static const char * const spdm_identity_names[] = {
	[SPDM_IDENTITY_NONE] = "none",
	[SPDM_IDENTITY_ACCEPTED] = "accepted",
	[SPDM_IDENTITY_CHANGED] = "changed",
};

/**
 * spdm_identity_name() - the word sysfs and uevents use for @state
 * @state: outcome of a same-device check
 *
 * Return: "none", "accepted" or "changed".
 */
const char *spdm_identity_name(enum spdm_identity_state state)
{
	return spdm_identity_names[state];
}

/**
 * spdm_identity_free() - forget an identity
 * @id: the identity
 */
void spdm_identity_free(struct spdm_identity *id)
{
	kfree(id->key);
	memset(id, 0, sizeof(*id));
}
EXPORT_SYMBOL_IF_KUNIT(spdm_identity_free);

/**
 * spdm_identity_check() - the same-device check
 * @spdm_state: SPDM state of the device; the leaf key of
 *	&spdm_state.chal_slot has just signed a CHALLENGE
 *
 * Keeps what the device presented and compares it with the accepted
 * identity, if there is one.  A difference is logged with both chain
 * digests.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the device has the accepted identity or none was accepted
 * yet, -EKEYREJECTED if it has another one (&spdm_state.identity_state
 * then reads %SPDM_IDENTITY_CHANGED), another negative errno if the
 * identity could not be taken.
 */
int spdm_identity_check(struct spdm_state *spdm_state)
{
	struct spdm_identity *presented = &spdm_state->presented;
	struct spdm_identity *accepted = &spdm_state->accepted;
	int rc;

	rc = spdm_identity_take(spdm_state, presented);
	if (rc)
		return rc;

	if (!accepted->set)
		return 0;

	if (spdm_identity_equal(presented, accepted)) {
		spdm_state->identity_state = SPDM_IDENTITY_ACCEPTED;
		return 0;
	}

	spdm_state->identity_state = SPDM_IDENTITY_CHANGED;
	dev_err(spdm_state->dev,
		"Device identity changed: slot %u presents leaf key %s/%u bytes and chain SHA-384 %*phN..., accepted were slot %u, %s/%u bytes, chain %*phN...\n",
		presented->slot, presented->pkey_algo, presented->keylen,
		SPDM_ID_FPR_SZ, presented->chain_digest, accepted->slot,
		accepted->pkey_algo, accepted->keylen, SPDM_ID_FPR_SZ,
		accepted->chain_digest);
	return -EKEYREJECTED;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_identity_check);

/**
 * spdm_identity_accept_first() - accept the identity of a first success
 * @spdm_state: SPDM state of the device, just authenticated
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_identity_accept_first(struct spdm_state *spdm_state)
{
	if (spdm_state->accepted.set || !spdm_state->presented.set)
		return;

	swap(spdm_state->accepted, spdm_state->presented);
	spdm_state->identity_state = SPDM_IDENTITY_ACCEPTED;
	dev_info(spdm_state->dev,
		 "Accepted identity: slot %u, chain SHA-384 %*phN...\n",
		 spdm_state->accepted.slot, SPDM_ID_FPR_SZ,
		 spdm_state->accepted.chain_digest);
}
EXPORT_SYMBOL_IF_KUNIT(spdm_identity_accept_first);

/**
 * spdm_accept_identity() - accept the identity a device now presents
 * @spdm_state: SPDM state of the device
 * @chain_digest: SHA-384 of the DER certificates of the chain a verifier
 *	approved, or %NULL to accept whatever the device presents
 *
 * For a device whose last authentication read "device identity changed":
 * after a verifier approved the new identity, userspace accepts it, and
 * the device is authenticated again against it.  With @chain_digest the
 * identity is accepted only if it is the chain the verifier saw, so that
 * a device that changed again in between is not accepted by mistake.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: as spdm_authenticate(); -EINVAL if the device presents no
 * identity other than the accepted one, -ESTALE if it presents another
 * chain than @chain_digest.
 */
int spdm_accept_identity(struct spdm_state *spdm_state, const u8 *chain_digest)
{
	const struct spdm_identity *presented = &spdm_state->presented;

	mutex_lock(&spdm_state->lock);
	if (spdm_state->identity_state != SPDM_IDENTITY_CHANGED ||
	    !presented->set) {
		mutex_unlock(&spdm_state->lock);
		return -EINVAL;
	}
	if (chain_digest &&
	    memcmp(chain_digest, presented->chain_digest,
		   sizeof(presented->chain_digest))) {
		mutex_unlock(&spdm_state->lock);
		dev_info(spdm_state->dev,
			 "Identity not accepted: the device presents chain SHA-384 %*phN..., not the one approved\n",
			 SPDM_ID_FPR_SZ, presented->chain_digest);
		return -ESTALE;
	}
	swap(spdm_state->accepted, spdm_state->presented);
	spdm_identity_free(&spdm_state->presented);
	dev_info(spdm_state->dev,
		 "Identity accepted from userspace: slot %u, chain SHA-384 %*phN...\n",
		 spdm_state->accepted.slot, SPDM_ID_FPR_SZ,
		 spdm_state->accepted.chain_digest);
	mutex_unlock(&spdm_state->lock);

	return spdm_authenticate(spdm_state);
}
