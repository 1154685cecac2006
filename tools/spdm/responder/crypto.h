/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cryptography for the responder (OpenSSL 3): the SPDM hash and
 * signature algorithms, key loading and signing in SPDM's wire format.
 */
#ifndef SPDM_RESPONDER_CRYPTO_H
#define SPDM_RESPONDER_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* BaseHashAlgo bits (DSP0274 NEGOTIATE_ALGORITHMS) */
#define SPDM_HASH_SHA256	(1U << 0)
#define SPDM_HASH_SHA384	(1U << 1)
#define SPDM_HASH_SHA512	(1U << 2)
#define SPDM_HASH_ALL		(SPDM_HASH_SHA256 | SPDM_HASH_SHA384 | \
				 SPDM_HASH_SHA512)
#define SPDM_NR_HASHES		3
#define SPDM_MAX_HASH_LEN	64

/* BaseAsymAlgo bits */
#define SPDM_ASYM_RSASSA_2048	(1U << 0)
#define SPDM_ASYM_RSAPSS_2048	(1U << 1)
#define SPDM_ASYM_RSASSA_3072	(1U << 2)
#define SPDM_ASYM_RSAPSS_3072	(1U << 3)
#define SPDM_ASYM_ECDSA_P256	(1U << 4)
#define SPDM_ASYM_RSASSA_4096	(1U << 5)
#define SPDM_ASYM_RSAPSS_4096	(1U << 6)
#define SPDM_ASYM_ECDSA_P384	(1U << 7)
#define SPDM_ASYM_ECDSA_P521	(1U << 8)
#define SPDM_MAX_ASYM_SIG_LEN	512	/* RSA-4096 */
#define SPDM_MAX_SIG_LEN	4627	/* ML-DSA-87 */

/*
 * PqcAsymAlgo bits (1.4 NEGOTIATE_ALGORITHMS offset 16, ALGORITHMS
 * PqcAsymSel offset 20, AlgType 6 ReqPqcAsymAlg); SLH-DSA follows in
 * bits 3-14.  ML-DSA keys need OpenSSL 3.5 (mldsa.c).
 */
#define SPDM_PQC_ML_DSA_44	(1U << 0)
#define SPDM_PQC_ML_DSA_65	(1U << 1)
#define SPDM_PQC_ML_DSA_87	(1U << 2)
#define SPDM_PQC_ML_DSA_ALL	(SPDM_PQC_ML_DSA_44 | SPDM_PQC_ML_DSA_65 | \
				 SPDM_PQC_ML_DSA_87)

struct spdm_hash_alg {
	uint32_t bit;			/* BaseHashAlgo bit */
	unsigned int index;		/* 0..SPDM_NR_HASHES-1 */
	const char *name;		/* "sha256" ... */
	size_t len;			/* digest size H */
	const EVP_MD *(*md)(void);	/* EVP_sha256 ... */
};

/* A signing key and what it can do. */
struct spdm_key {
	EVP_PKEY *pkey;
	uint32_t asym_mask;		/* BaseAsymAlgo bits it can serve */
	uint32_t pqc_mask;		/* PqcAsymAlgo bits (1.4, ML-DSA) */
	char desc[24];			/* "ECDSA P-256", "RSA 3072" */
};

const struct spdm_hash_alg *spdm_hash_by_bit(uint32_t bit);
const struct spdm_hash_alg *spdm_hash_by_index(unsigned int index);
const struct spdm_hash_alg *spdm_hash_by_name(const char *name);
int spdm_hash_parse_list(const char *list, uint32_t *mask);
void spdm_hash_format(uint32_t mask, char *buf, size_t len);
int spdm_digest(const struct spdm_hash_alg *h, const void *a, size_t alen,
		const void *b, size_t blen, uint8_t *out);

const char *spdm_asym_name(uint32_t bit);
size_t spdm_asym_sig_len(uint32_t bit);
uint32_t spdm_asym_select(uint32_t common);
uint32_t spdm_hash_select(uint32_t common);

int spdm_random(uint8_t *buf, size_t len);

int spdm_key_load(const char *path, struct spdm_key *key, char *err,
		  size_t errlen);
void spdm_key_free(struct spdm_key *key);
int spdm_sign_digest(const struct spdm_key *key, uint32_t asym,
		     const struct spdm_hash_alg *h, const uint8_t *digest,
		     uint8_t *sig);

/* mldsa.c: ML-DSA (FIPS 204) keys and signatures, OpenSSL 3.5+ */
bool spdm_mldsa_built(void);
const char *spdm_mldsa_unsupported(void);
const char *spdm_pqc_name(uint32_t bit);
size_t spdm_pqc_sig_len(uint32_t bit);
bool spdm_mldsa_classify(struct spdm_key *key);
bool spdm_mldsa_explain(const char *path, char *err, size_t errlen);
int spdm_mldsa_sign(const struct spdm_key *key, uint32_t pqc,
		    const uint8_t *msg, size_t len, const char *context,
		    uint8_t *sig);

/*
 * The signature algorithm negotiated: PqcAsymSel @pqc if set, else
 * BaseAsymSel @asym (exactly one of them is non-zero).
 */
static inline const char *spdm_sig_name(uint32_t asym, uint32_t pqc)
{
	return pqc ? spdm_pqc_name(pqc) : spdm_asym_name(asym);
}

static inline size_t spdm_sig_len(uint32_t asym, uint32_t pqc)
{
	return pqc ? spdm_pqc_sig_len(pqc) : spdm_asym_sig_len(asym);
}

/* Whether @key can sign with BaseAsymSel @asym or PqcAsymSel @pqc. */
static inline bool spdm_key_can(const struct spdm_key *key, uint32_t asym,
				uint32_t pqc)
{
	return pqc ? key->pqc_mask & pqc : key->asym_mask & asym;
}

/* DSP0274 1.2+ signing: combined_spdm_prefix (sec 15, "Signature generation") */
#define SPDM_COMBINED_PREFIX_LEN	100
#define SPDM_CHALLENGE_AUTH_CONTEXT	"responder-challenge_auth signing"
#define SPDM_MEASUREMENTS_CONTEXT	"responder-measurements signing"
void spdm_combined_prefix(uint8_t version, const char *context,
			  uint8_t out[SPDM_COMBINED_PREFIX_LEN]);

#endif /* SPDM_RESPONDER_CRYPTO_H */
