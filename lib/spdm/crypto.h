/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Bottom layer: hashes and signatures (crypto.c) and certificate chains
 * (cert.c).  They call nothing above them.
 */

#ifndef _LIB_SPDM_CRYPTO_H_
#define _LIB_SPDM_CRYPTO_H_

#include <linux/types.h>

struct public_key;
struct spdm_evidence;
struct spdm_state;

/**
 * struct spdm_asym_info - a signature algorithm of the responder
 * @base: its BaseAsymAlgo bit, 0 for a PqcAsymAlgo
 * @pqc: its PqcAsymAlgo bit (SPDM 1.4), 0 for a BaseAsymAlgo
 * @name: name for messages and sysfs
 * @pkey_algo: &public_key.pkey_algo of a leaf key of this algorithm
 * @encoding: signature encoding for public_key_verify_signature(), %NULL
 *	for ML-DSA, which is verified with its context string
 * @mldsa: ML-DSA parameter set (&enum mldsa_alg) if @encoding is %NULL
 * @sig_len: signature size
 */
struct spdm_asym_info {
	u32 base;
	u32 pqc;
	const char *name;
	const char *pkey_algo;
	const char *encoding;
	int mldsa;
	size_t sig_len;
};

/* crypto.c */
int spdm_hash(struct spdm_state *spdm_state, const void *data, size_t len,
	      u8 *digest);
int spdm_verify_signature(struct spdm_state *spdm_state, const char *context,
			  const u8 *sig, u8 *transcript_hash);
int spdm_verify_evidence(struct spdm_state *spdm_state,
			 const struct spdm_evidence *ev);
int spdm_take_evidence(struct spdm_state *spdm_state,
		       struct spdm_evidence *ev, const u8 *sig,
		       const char *what);
void spdm_build_combined_prefix(u8 version, const char *context, u8 *buf);

/* cert.c */
int spdm_validate_cert_chain(struct spdm_state *spdm_state, u8 slot,
			     const u8 *certs, size_t certs_sz,
			     const u8 *root_hash,
			     struct public_key **leaf_key, bool *anchored);

#endif /* _LIB_SPDM_CRYPTO_H_ */
