/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Certificate chains and keys as written by tools/spdm/mkcerts: one
 * directory holds chain.der (DER certificates root..leaf, concatenated)
 * and leaf.key (the leaf's private key, PEM).
 */
#ifndef SPDM_RESPONDER_CERTS_H
#define SPDM_RESPONDER_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

/*
 * Length (2) and Reserved (2) up to 1.3, Length (4) from 1.4 on: the
 * same bytes for a chain below 64 KiB, and larger ones we do not serve
 * (they need 1.4 LargeCertChain: GET_CERTIFICATE's Offset is 16 bits).
 */
#define SPDM_CERT_CHAIN_HDR_LEN	4
#define SPDM_CERT_CHAIN_MAX	0xffff

/* A certificate chain in the DSP0274 format for one hash algorithm. */
struct spdm_chain {
	uint8_t *buf;		/* Length, Reserved, RootHash, DER certs */
	size_t len;
	uint8_t digest[SPDM_MAX_HASH_LEN];	/* Hash(buf) */
};

struct spdm_cert_set {
	char *dir;
	uint8_t *der;		/* root || ... || leaf */
	size_t der_len;
	size_t root_len;	/* DER length of the first (root) cert */
	unsigned int nr_certs;
	struct spdm_key key;	/* the leaf's private key */
	struct spdm_chain chain[SPDM_NR_HASHES];	/* by hash index */
	struct spdm_cert_set *next;
};

const struct spdm_cert_set *certs_load(const char *dir, char *err,
				       size_t errlen);
struct spdm_cert_set *certs_load_fresh(const char *dir, char *err,
				       size_t errlen);
void certs_free(struct spdm_cert_set *cs);
bool certs_same(const struct spdm_cert_set *a, const struct spdm_cert_set *b);
void certs_cleanup(void);

#endif /* SPDM_RESPONDER_CERTS_H */
