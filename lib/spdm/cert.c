// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Certificate chain validation.  After its length header and root hash
 * (DSP0274 table 33), a certificate chain is a concatenation of DER X.509
 * certificates: the first one is a root certificate or signed by one,
 * each further one is signed by its predecessor, and the last one (the
 * leaf) holds the key that signs the device's responses.
 *
 * Validity periods are deliberately not checked: devices, early boot and
 * guests may lack a trusted clock, and device certificates are commonly
 * used well beyond their notAfter date.  A remote verifier which has a
 * trusted clock can check them on the exported chain.
 */

#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <keys/x509-parser.h>
#include <kunit/visibility.h>
#include <linux/asn1.h>
#include <linux/device.h>
#include <linux/key.h>

#include "crypto.h"
#include "state.h"
#include "wire.h"

/* Certificates per chain: real chains hold three or four */
#define SPDM_MAX_CERTS	16

struct spdm_chain {
	struct x509_certificate *cert[SPDM_MAX_CERTS];
	unsigned int nr;
	size_t first_sz;
};

static int spdm_cert_reject(struct spdm_state *spdm_state, u8 slot,
			    unsigned int i, int rc, const char *reason)
{
	dev_err(spdm_state->dev, "slot %u certificate %u: %s (%pe)\n",
		slot, i, reason, ERR_PTR(rc));
	return rc;
}

/*
 * Size of the DER certificate (an outer SEQUENCE) at the start of @buf,
 * or 0 if its header is malformed or it overruns @buf.  The kernel's
 * ASN.1 decoder handles at most 64 KiB, hence at most two length bytes.
 */
static size_t spdm_cert_size(const u8 *buf, size_t buf_sz)
{
	size_t hdr = 2, len, i;

	if (buf_sz < hdr || buf[0] != (ASN1_CONS_BIT | ASN1_SEQ))
		return 0;

	len = buf[1];
	if (len & 0x80) {
		/* Long form; 0x80 alone is the indefinite length of BER */
		hdr += len & 0x7f;
		if (hdr == 2 || hdr > 4 || buf_sz < hdr)
			return 0;
		for (len = 0, i = 2; i < hdr; i++)
			len = len << 8 | buf[i];
	}

	if (len > buf_sz - hdr)
		return 0;
	return hdr + len;
}

static int spdm_parse_chain(struct spdm_state *spdm_state, u8 slot,
			    const u8 *certs, size_t certs_sz,
			    struct spdm_chain *chain)
{
	struct x509_certificate *cert;
	size_t sz;

	while (certs_sz) {
		if (chain->nr == SPDM_MAX_CERTS)
			return spdm_cert_reject(spdm_state, slot, chain->nr,
						-EBADMSG, "too many certificates");

		sz = spdm_cert_size(certs, certs_sz);
		if (!sz)
			return spdm_cert_reject(spdm_state, slot, chain->nr,
						-EBADMSG, "malformed DER header");

		cert = x509_cert_parse(certs, sz);
		if (IS_ERR(cert))
			return spdm_cert_reject(spdm_state, slot, chain->nr,
						PTR_ERR(cert), "X.509 parser rejects it");

		if (!chain->nr)
			chain->first_sz = sz;
		chain->cert[chain->nr++] = cert;
		certs += sz;
		certs_sz -= sz;
	}

	if (!chain->nr)
		return spdm_cert_reject(spdm_state, slot, 0, -EBADMSG,
					"empty certificate chain");
	return 0;
}

/* @cert is certificate @i > 0 of the chain, @prev its predecessor */
static int spdm_check_signer(struct spdm_state *spdm_state, u8 slot,
			     unsigned int i, struct x509_certificate *prev,
			     struct x509_certificate *cert)
{
	int rc;

	if (cert->raw_issuer_size != prev->raw_subject_size ||
	    memcmp(cert->raw_issuer, prev->raw_subject, prev->raw_subject_size))
		return spdm_cert_reject(spdm_state, slot, i, -EKEYREJECTED,
					"issuer is not the previous subject");

	rc = public_key_verify_signature(prev->pub, cert->sig);
	if (rc)
		return spdm_cert_reject(spdm_state, slot, i, rc,
					"not signed by the previous certificate");
	return 0;
}

/* Certificates which sign the next one must be CAs allowed to do so */
static int spdm_check_ca(struct spdm_state *spdm_state, u8 slot,
			 unsigned int i, struct x509_certificate *cert)
{
	unsigned long flags = cert->pub->key_eflags;

	if (!test_bit(KEY_EFLAG_CA, &flags))
		return spdm_cert_reject(spdm_state, slot, i, -EKEYREJECTED,
					"signs a certificate but is not a CA");

	if (cert->key_usage && !test_bit(KEY_EFLAG_KEYCERTSIGN, &flags))
		return spdm_cert_reject(spdm_state, slot, i, -EKEYREJECTED,
					"CA without keyCertSign key usage");
	return 0;
}

/* The leaf signs SPDM responses; without keyUsage any usage is allowed */
static int spdm_check_leaf(struct spdm_state *spdm_state, u8 slot,
			   unsigned int i, struct x509_certificate *cert)
{
	if (cert->key_usage &&
	    !test_bit(KEY_EFLAG_DIGITALSIG, &cert->pub->key_eflags))
		return spdm_cert_reject(spdm_state, slot, i, -EKEYREJECTED,
					"leaf without digitalSignature key usage");
	return 0;
}

static int spdm_check_cert(struct spdm_state *spdm_state, u8 slot,
			   struct spdm_chain *chain, unsigned int i)
{
	struct x509_certificate *cert = chain->cert[i];
	int rc;

	if (cert->blacklisted)
		return spdm_cert_reject(spdm_state, slot, i, -EKEYREJECTED,
					"blacklisted");

	if (cert->unsupported_sig)
		return spdm_cert_reject(spdm_state, slot, i, -ENOPKG,
					"unsupported signature algorithm");

	/*
	 * The parser verified the signature of a self-signed first
	 * certificate.  Otherwise the root is not part of the chain and
	 * only the keyring can vouch for the first certificate.
	 */
	if (i > 0) {
		rc = spdm_check_signer(spdm_state, slot, i, chain->cert[i - 1],
				       cert);
		if (rc)
			return rc;
	}

	if (i < chain->nr - 1)
		return spdm_check_ca(spdm_state, slot, i, cert);
	return spdm_check_leaf(spdm_state, slot, i, cert);
}

/*
 * Is the first certificate signed by a key in @keyring?  That key may be
 * the first certificate's own, if the root itself is in the keyring.
 * auth_ids[] always holds at least the issuer name (auth_ids[2]).
 * A failure to search or verify (even -ENOMEM) just means "not anchored".
 */
static bool spdm_chain_anchored(struct key *keyring,
				struct x509_certificate *first)
{
	const struct public_key_signature *sig = first->sig;
	struct key *key;
	bool anchored;

	if (!keyring)
		return false;

	key = find_asymmetric_key(keyring, sig->auth_ids[0], sig->auth_ids[1],
				  sig->auth_ids[2], false);
	if (IS_ERR(key))
		return false;

	anchored = !verify_signature(key, sig);
	key_put(key);
	return anchored;
}

/*
 * The chain header carries the hash of the root certificate (DSP0274
 * table 33).  If the chain starts with the root itself, that hash must
 * be the root's; if the root was left out, the keyring vouches for the
 * first certificate instead.
 */
static int spdm_check_root_hash(struct spdm_state *spdm_state, u8 slot,
				const u8 *certs, struct spdm_chain *chain,
				const u8 *root_hash)
{
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	if (!root_hash || !chain->cert[0]->self_signed)
		return 0;

	rc = spdm_hash(spdm_state, certs, chain->first_sz, digest);
	if (rc)
		return rc;
	if (memcmp(digest, root_hash, spdm_state->hash_len))
		return spdm_cert_reject(spdm_state, slot, 0, -EKEYREJECTED,
					"root hash in the chain header does not match the root");
	return 0;
}

/**
 * spdm_validate_cert_chain() - validate the certificates of a slot
 * @spdm_state: SPDM state of the device
 * @slot: slot the chain was read from (for messages and @validate)
 * @certs: DER X.509 certificates, following the chain's header and root
 *	hash
 * @certs_sz: size of @certs in bytes
 * @root_hash: RootHash from the chain header, or %NULL not to check it
 * @leaf_key: on success, the public key of the leaf certificate; the
 *	caller owns it and frees it with public_key_free()
 * @anchored: on success, whether a key in @spdm_state->keyring vouches
 *	for the first certificate
 *
 * Split @certs into certificates and parse them.  A self-signed first
 * certificate must match @root_hash.  Each certificate after
 * the first one must be signed by its predecessor, which must be a CA.
 * Blacklisted certificates and unsupported signature algorithms are
 * rejected, as is a leaf whose keyUsage lacks digitalSignature.  The bus
 * then checks the leaf with @spdm_state->validate, if set.  Validity
 * periods are not checked (see the top of this file).
 *
 * A chain that is not anchored in the keyring is not an error: the caller
 * reports it and leaves the trust decision to user space.
 *
 * Context: Process context, may sleep.
 *
 * Return: 0 on success, else a negative errno (and a dev_err() line
 * naming the slot, the certificate and the reason): -EBADMSG for a
 * malformed chain, -EKEYREJECTED for a failed check, -ENOPKG for an
 * unsupported algorithm, -ENOMEM, or what @spdm_state->validate returned.
 */
int spdm_validate_cert_chain(struct spdm_state *spdm_state, u8 slot,
			     const u8 *certs, size_t certs_sz,
			     const u8 *root_hash,
			     struct public_key **leaf_key, bool *anchored)
{
	struct spdm_chain chain = {};
	struct x509_certificate *leaf;
	unsigned int i;
	int rc;

	*leaf_key = NULL;
	*anchored = false;

	rc = spdm_parse_chain(spdm_state, slot, certs, certs_sz, &chain);
	for (i = 0; !rc && i < chain.nr; i++)
		rc = spdm_check_cert(spdm_state, slot, &chain, i);
	if (!rc)
		rc = spdm_check_root_hash(spdm_state, slot, certs, &chain,
					  root_hash);
	if (rc)
		goto out;

	leaf = chain.cert[chain.nr - 1];
	if (spdm_state->validate) {
		rc = spdm_state->validate(spdm_state->dev, slot, leaf);
		if (rc)
			goto out;
	}

	*anchored = spdm_chain_anchored(spdm_state->keyring, chain.cert[0]);
	*leaf_key = leaf->pub;
	leaf->pub = NULL;

out:
	for (i = 0; i < chain.nr; i++)
		x509_free_certificate(chain.cert[i]);
	return rc;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_validate_cert_chain);
