// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * GET_DIGESTS / DIGESTS (sec 10.6) and GET_CERTIFICATE / CERTIFICATE
 * (sec 10.7): read the certificate chain of every provisioned slot, check
 * it against its digest and validate it.
 */

#include <crypto/public_key.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

/* Portion requested from responders that do not state a buffer size */
#define SPDM_CERT_PORTION_DEFAULT	1024

/**
 * spdm_get_digests() - learn which slots hold certificate chains
 * @spdm_state: SPDM state of the device, algorithms negotiated
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on success, or a negative errno (logged).
 */
int spdm_get_digests(struct spdm_state *spdm_state)
{
	struct spdm_header req = {
		.version = spdm_state->version,
		.code = SPDM_GET_DIGESTS,
	};
	size_t rsp_max = sizeof(struct spdm_get_digests_rsp) +
			 SPDM_SLOTS * spdm_state->hash_len + SPDM_RSP_SLACK;
	struct spdm_get_digests_rsp *rsp;
	unsigned long slots;
	size_t rsp_sz;
	ssize_t length;
	int rc, slot, i = 0;

	rsp = kzalloc(rsp_max, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	length = spdm_exchange(spdm_state, &req, sizeof(req), rsp, rsp_max);
	if (length < 0) {
		rc = length;
		goto out;
	}

	spdm_state->provisioned_slots = rsp->param2;
	spdm_state->supported_slots = spdm_state->version >= SPDM_VER_13 ?
				      rsp->param1 : 0xff;
	rsp_sz = sizeof(*rsp) + hweight8(rsp->param2) * spdm_state->hash_len;
	rc = spdm_check_length(spdm_state, "DIGESTS", length, rsp_sz);
	if (rc)
		goto out;

	if (!spdm_state->provisioned_slots ||
	    spdm_state->provisioned_slots & ~spdm_state->supported_slots) {
		dev_err(spdm_state->dev,
			"Invalid slot masks: provisioned %#x, supported %#x\n",
			spdm_state->provisioned_slots,
			spdm_state->supported_slots);
		rc = -EPROTO;
		goto out;
	}

	slots = spdm_state->provisioned_slots;
	for_each_set_bit(slot, &slots, SPDM_SLOTS)
		memcpy(spdm_state->slot_digest[slot],
		       rsp->digests + i++ * spdm_state->hash_len,
		       spdm_state->hash_len);

	rc = spdm_append_transcript(spdm_state, &req, sizeof(req));
	if (!rc)
		rc = spdm_append_transcript(spdm_state, rsp, rsp_sz);
out:
	kfree(rsp);
	return rc;
}

static size_t spdm_cert_portion_max(struct spdm_state *spdm_state)
{
	size_t max = SPDM_CERT_PORTION_DEFAULT;

	if (spdm_state->version >= SPDM_VER_12)
		max = min(spdm_state->rsp_data_transfer_sz,
			  spdm_state->transport_sz) -
		      sizeof(struct spdm_get_certificate_rsp);

	return min_t(size_t, max, U16_MAX);
}

/* Check one CERTIFICATE response and copy its portion into the chain */
static int spdm_cert_portion(struct spdm_state *spdm_state, u8 slot,
			     const struct spdm_get_certificate_rsp *rsp,
			     ssize_t length, size_t offset, size_t requested,
			     u8 **chain, size_t *total)
{
	size_t portion = le16_to_cpu(rsp->portion_length);
	size_t remainder = le16_to_cpu(rsp->remainder_length);
	int rc;

	rc = spdm_check_length(spdm_state, "CERTIFICATE", length,
			       sizeof(*rsp) + portion);
	if (rc)
		return rc;

	if ((rsp->param1 & SPDM_SLOT_ID_MASK) != slot || !portion ||
	    portion > requested ||
	    (*chain && offset + portion + remainder != *total)) {
		dev_err(spdm_state->dev,
			"Invalid CERTIFICATE response for slot %u at offset %zu (slot %u, portion %zu, remainder %zu)\n",
			slot, offset, rsp->param1 & SPDM_SLOT_ID_MASK,
			portion, remainder);
		return -EPROTO;
	}

	if (!*chain) {
		*total = portion + remainder;
		if (*total > SPDM_MAX_CERT_CHAIN_SZ ||
		    *total <= sizeof(struct spdm_cert_chain) +
			      spdm_state->hash_len) {
			dev_err(spdm_state->dev,
				"Certificate chain in slot %u has invalid size %zu\n",
				slot, *total);
			return -EPROTO;
		}
		*chain = kvmalloc(*total, GFP_KERNEL);
		if (!*chain)
			return -ENOMEM;
	}

	memcpy(*chain + offset, rsp->cert_chain, portion);
	return 0;
}

static int spdm_get_certificate(struct spdm_state *spdm_state, u8 slot)
{
	size_t portion_max = spdm_cert_portion_max(spdm_state);
	size_t rsp_max = sizeof(struct spdm_get_certificate_rsp) +
			 portion_max + SPDM_RSP_SLACK;
	struct spdm_get_certificate_req req = {
		.version = spdm_state->version,
		.code = SPDM_GET_CERTIFICATE,
		.param1 = slot,
	};
	struct spdm_get_certificate_rsp *rsp;
	size_t offset = 0, total = 0, requested;
	u8 *chain = NULL;
	ssize_t length;
	int rc;

	rsp = kvmalloc(rsp_max, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	do {
		requested = chain ? min(portion_max, total - offset) :
				    portion_max;
		req.offset = cpu_to_le16(offset);
		req.length = cpu_to_le16(requested);

		length = spdm_exchange(spdm_state, &req, sizeof(req),
				       rsp, rsp_max);
		if (length < 0) {
			rc = length;
			goto err;
		}

		rc = spdm_cert_portion(spdm_state, slot, rsp, length, offset,
				       requested, &chain, &total);
		if (rc)
			goto err;

		rc = spdm_append_transcript(spdm_state, &req, sizeof(req));
		if (!rc)
			rc = spdm_append_transcript(spdm_state, rsp, sizeof(*rsp) +
					le16_to_cpu(rsp->portion_length));
		if (rc)
			goto err;

		offset += le16_to_cpu(rsp->portion_length);
	} while (offset < total);

	kvfree(rsp);
	spdm_state->slot[slot] = chain;
	spdm_state->slot_sz[slot] = total;
	spdm_evidence_changed(spdm_state);
	return 0;

err:
	kvfree(rsp);
	kvfree(chain);
	return rc;
}

/* The chain must match its digest and its own length field */
static int spdm_check_chain(struct spdm_state *spdm_state, u8 slot)
{
	const struct spdm_cert_chain *hdr = (void *)spdm_state->slot[slot];
	u32 len = le32_to_cpu(hdr->length);
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	if (spdm_state->version < SPDM_VER_14)
		len &= U16_MAX;
	if (len != spdm_state->slot_sz[slot]) {
		dev_err(spdm_state->dev,
			"Certificate chain in slot %u: length field %u, received %zu bytes\n",
			slot, len, spdm_state->slot_sz[slot]);
		return -EPROTO;
	}

	rc = spdm_hash(spdm_state, spdm_state->slot[slot],
		       spdm_state->slot_sz[slot], digest);
	if (rc)
		return rc;

	if (memcmp(digest, spdm_state->slot_digest[slot],
		   spdm_state->hash_len)) {
		dev_err(spdm_state->dev,
			"Certificate chain in slot %u does not match its digest\n",
			slot);
		return -EKEYREJECTED;
	}

	return 0;
}

static int spdm_validate_slot(struct spdm_state *spdm_state, u8 slot,
			      struct public_key **key, bool *anchored)
{
	size_t hdr_sz = sizeof(struct spdm_cert_chain) + spdm_state->hash_len;
	const struct spdm_cert_chain *hdr = (void *)spdm_state->slot[slot];
	int rc;

	rc = spdm_check_chain(spdm_state, slot);
	if (rc)
		return rc;

	rc = spdm_validate_cert_chain(spdm_state, slot,
				      spdm_state->slot[slot] + hdr_sz,
				      spdm_state->slot_sz[slot] - hdr_sz,
				      hdr->root_hash, key, anchored);
	if (rc)
		return rc;

	if (strcmp((*key)->pkey_algo, spdm_state->asym->pkey_algo)) {
		dev_err(spdm_state->dev,
			"Leaf key in slot %u is %s, not the negotiated %s\n",
			slot, (*key)->pkey_algo, spdm_state->asym->name);
		public_key_free(*key);
		*key = NULL;
		return -EKEYREJECTED;
	}

	return 0;
}

/* Keep the leaf key of the first valid slot, preferring anchored ones */
static void spdm_consider_slot(struct spdm_state *spdm_state, u8 slot,
			       struct public_key *key, bool anchored)
{
	if ((spdm_state->req_slot >= 0 && slot != spdm_state->req_slot) ||
	    (spdm_state->leaf_key &&
	     (spdm_state->chain_anchored || !anchored))) {
		public_key_free(key);
		return;
	}

	public_key_free(spdm_state->leaf_key);
	spdm_state->leaf_key = key;
	spdm_state->chal_slot = slot;
	spdm_state->chain_anchored = anchored;
}

/*
 * A chain of the previous authentication whose digest the device still
 * reports is not read again (the CHALLENGE that follows proves the key of
 * the chain the digest names).
 */
static bool spdm_reuse_chain(struct spdm_state *spdm_state, u8 slot)
{
	u8 digest[SPDM_MAX_HASH_SZ];

	if (spdm_state->fresh_chains || !spdm_state->cache[slot] ||
	    spdm_hash(spdm_state, spdm_state->cache[slot],
		      spdm_state->cache_sz[slot], digest) ||
	    memcmp(digest, spdm_state->slot_digest[slot],
		   spdm_state->hash_len))
		return false;

	spdm_state->slot[slot] = spdm_state->cache[slot];
	spdm_state->slot_sz[slot] = spdm_state->cache_sz[slot];
	spdm_state->cache[slot] = NULL;
	spdm_state->cache_sz[slot] = 0;
	spdm_state->chains_cached++;
	spdm_evidence_changed(spdm_state);
	dev_dbg(spdm_state->dev, "Slot %u: digest unchanged, chain cached\n",
		slot);
	return true;
}

/**
 * spdm_get_certificates() - read and validate all certificate chains
 * @spdm_state: SPDM state of the device, digests retrieved
 *
 * Reads the chain of every provisioned slot (unless the chain of the
 * previous authentication has the digest DIGESTS reports), checks it
 * against the digest and validates it.  The slot to challenge is the one a
 * verifier asked for, else the first one whose chain is anchored in the
 * trusted keyring, else the first valid one.  A slot failing validation is
 * logged and not used.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if at least one slot holds a valid chain, else a negative
 * errno (logged).
 */
int spdm_get_certificates(struct spdm_state *spdm_state)
{
	unsigned long slots = spdm_state->provisioned_slots;
	struct public_key *key;
	int rc, last_rc = -ENOKEY;
	bool anchored;
	u8 slot;

	for_each_set_bit(slot, &slots, SPDM_SLOTS) {
		if (!spdm_reuse_chain(spdm_state, slot)) {
			rc = spdm_get_certificate(spdm_state, slot);
			if (rc)
				return rc;
			spdm_state->chains_read++;
		}

		rc = spdm_validate_slot(spdm_state, slot, &key, &anchored);
		if (rc) {
			last_rc = rc;
			continue;
		}
		spdm_consider_slot(spdm_state, slot, key, anchored);
	}

	if (spdm_state->req_slot >= 0 && !spdm_state->leaf_key) {
		dev_err(spdm_state->dev, "Slot %d holds no valid chain\n",
			spdm_state->req_slot);
		return -EINVAL;
	}
	return spdm_state->leaf_key ? 0 : last_rc;
}
