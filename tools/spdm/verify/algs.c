// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithms of DSP0274 NEGOTIATE_ALGORITHMS (BaseHashAlgo,
 * BaseAsymAlgo, from SPDM 1.4 PqcAsymAlgo, MeasurementHashAlgo) and the
 * combined prefix that SPDM 1.2 and later sign.
 */
#include <string.h>

#include "spdm.h"

static const struct sv_hash hashes[] = {
	{ EVP_sha256, 0x01, "sha256", "SHA-256", 32 },
	{ EVP_sha384, 0x02, "sha384", "SHA-384", 48 },
	{ EVP_sha512, 0x04, "sha512", "SHA-512", 64 },
	{ EVP_sha3_256, 0x08, "sha3-256", "SHA3-256", 32 },
	{ EVP_sha3_384, 0x10, "sha3-384", "SHA3-384", 48 },
	{ EVP_sha3_512, 0x20, "sha3-512", "SHA3-512", 64 },
};

/* BaseAsymAlgo: no OID or key size (those are ML-DSA's) */
#define ASYM(bit, name, label, kind, group, bits, sig_len) \
	{ bit, name, label, kind, group, bits, sig_len, NULL, 0 }

static const struct sv_asym asyms[] = {
	ASYM(0x001, "rsassa-2048", "RSASSA-2048", SV_RSASSA, NULL, 2048, 256),
	ASYM(0x002, "rsapss-2048", "RSAPSS-2048", SV_RSAPSS, NULL, 2048, 256),
	ASYM(0x004, "rsassa-3072", "RSASSA-3072", SV_RSASSA, NULL, 3072, 384),
	ASYM(0x008, "rsapss-3072", "RSAPSS-3072", SV_RSAPSS, NULL, 3072, 384),
	ASYM(0x010, "ecdsa-p256", "ECDSA P-256", SV_ECDSA, "prime256v1", 256, 64),
	ASYM(0x020, "rsassa-4096", "RSASSA-4096", SV_RSASSA, NULL, 4096, 512),
	ASYM(0x040, "rsapss-4096", "RSAPSS-4096", SV_RSAPSS, NULL, 4096, 512),
	ASYM(0x080, "ecdsa-p384", "ECDSA P-384", SV_ECDSA, "secp384r1", 384, 96),
	ASYM(0x100, "ecdsa-p521", "ECDSA P-521", SV_ECDSA, "secp521r1", 521, 132),
};

/*
 * PqcAsymAlgo (SPDM 1.4): ML-DSA, FIPS 204 table 1 and 2 (signature and
 * public key sizes); the OIDs of RFC 9881 (id-ml-dsa-44/65/87,
 * 2.16.840.1.101.3.4.3.17-19) name the key in SubjectPublicKeyInfo.
 */
static const struct sv_asym pqc_asyms[] = {
	{ 0x1, "ml-dsa-44", "ML-DSA-44", SV_MLDSA, NULL, 0, 2420,
	  "2.16.840.1.101.3.4.3.17", 1312 },
	{ 0x2, "ml-dsa-65", "ML-DSA-65", SV_MLDSA, NULL, 0, 3309,
	  "2.16.840.1.101.3.4.3.18", 1952 },
	{ 0x4, "ml-dsa-87", "ML-DSA-87", SV_MLDSA, NULL, 0, 4627,
	  "2.16.840.1.101.3.4.3.19", 2592 },
};

const struct sv_hash *sv_hash_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(hashes); i++)
		if (hashes[i].bit == bit)
			return &hashes[i];
	return NULL;
}

const struct sv_hash *sv_hash_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(hashes); i++)
		if (!strcmp(hashes[i].name, name))
			return &hashes[i];
	return NULL;
}

const struct sv_asym *sv_asym_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
		if (asyms[i].bit == bit)
			return &asyms[i];
	return NULL;
}

const struct sv_asym *sv_pqc_asym_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(pqc_asyms); i++)
		if (pqc_asyms[i].bit == bit)
			return &pqc_asyms[i];
	return NULL;
}

/* The ML-DSA parameter set of a dotted OID ("2.16.840.1.101.3.4.3.18") */
const struct sv_asym *sv_pqc_asym_by_oid(const char *oid)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(pqc_asyms); i++)
		if (!strcmp(pqc_asyms[i].oid, oid))
			return &pqc_asyms[i];
	return NULL;
}

/*
 * The algorithm a key signs with, where the evidence does not say: the
 * ECDSA of its curve, RSASSA of its size (the kernel negotiates no PSS).
 */
const struct sv_asym *sv_asym_of_key(EVP_PKEY *key)
{
	char group[64];
	size_t i;

	if (EVP_PKEY_is_a(key, "EC")) {
		if (EVP_PKEY_get_group_name(key, group, sizeof(group),
					    NULL) != 1)
			return NULL;
		for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
			if (asyms[i].kind == SV_ECDSA &&
			    !strcmp(asyms[i].group, group))
				return &asyms[i];
		return NULL;
	}
	if (!EVP_PKEY_is_a(key, "RSA"))
		return NULL;
	for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
		if (asyms[i].kind == SV_RSASSA &&
		    asyms[i].bits == EVP_PKEY_get_bits(key))
			return &asyms[i];
	return NULL;
}

static const struct sv_meas_hash meas_hashes[] = {
	{ 0x01, "raw bit streams only", 0 },
	{ 0x02, "SHA-256", 32 },
	{ 0x04, "SHA-384", 48 },
	{ 0x08, "SHA-512", 64 },
	{ 0x10, "SHA3-256", 32 },
	{ 0x20, "SHA3-384", 48 },
	{ 0x40, "SHA3-512", 64 },
	{ 0x80, "SM3-256", 32 },
};

const struct sv_meas_hash *sv_meas_hash_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(meas_hashes); i++)
		if (meas_hashes[i].bit == bit)
			return &meas_hashes[i];
	return NULL;
}

/*
 * DSP0274 1.2+ "combined_spdm_prefix": "dmtf-spdm-v1.N.*" four times (64
 * bytes), zero padding, then the context string, 100 bytes in all (the
 * same construction in 1.4, "dmtf-spdm-v1.4.*").
 */
void sv_combined_prefix(uint8_t version, const char *context,
			uint8_t out[SV_PREFIX_LEN])
{
	size_t clen = strlen(context);
	char one[24];
	int i;

	/* versions are single digits: "dmtf-spdm-v1.2.*" is 16 bytes */
	snprintf(one, sizeof(one), "dmtf-spdm-v%u.%u.*", (version >> 4) % 10,
		 (version & 0xf) % 10);
	memset(out, 0, SV_PREFIX_LEN);
	for (i = 0; i < 4; i++)
		memcpy(out + 16 * i, one, 16);
	if (clen > SV_PREFIX_LEN - 64)
		clen = SV_PREFIX_LEN - 64;
	memcpy(out + SV_PREFIX_LEN - clen, context, clen);
}
