// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * NEGOTIATE_ALGORITHMS / ALGORITHMS exchange (DSP0274 sec 10.5).
 */

#include <crypto/hash.h>
#include <crypto/mldsa.h>
#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

/* Largest ALGORITHMS response: fixed part, 2 x 255 extended, 15 structs */
#define SPDM_ALGS_RSP_MAX \
	(sizeof(struct spdm_negotiate_algs_rsp) + 2 * 255 * SPDM_EXT_ALG_SZ + \
	 15 * (sizeof(struct spdm_alg_struct) + 15 * SPDM_EXT_ALG_SZ) + \
	 SPDM_RSP_SLACK)

/* SPDM sends ECDSA signatures as r || s: the "p1363" encoding */
static const struct spdm_asym_info spdm_asym_info[] = {
	{ SPDM_ASYM_ECDSA_ECC_NIST_P256, 0, "ECDSA P-256", "ecdsa-nist-p256",
	  "p1363", 0, 64 },
	{ SPDM_ASYM_ECDSA_ECC_NIST_P384, 0, "ECDSA P-384", "ecdsa-nist-p384",
	  "p1363", 0, 96 },
	{ SPDM_ASYM_ECDSA_ECC_NIST_P521, 0, "ECDSA P-521", "ecdsa-nist-p521",
	  "p1363", 0, 132 },
	{ SPDM_ASYM_RSASSA_2048, 0, "RSASSA-2048", "rsa", "pkcs1", 0, 256 },
	{ SPDM_ASYM_RSASSA_3072, 0, "RSASSA-3072", "rsa", "pkcs1", 0, 384 },
	{ SPDM_ASYM_RSASSA_4096, 0, "RSASSA-4096", "rsa", "pkcs1", 0, 512 },
	{ 0, SPDM_PQC_ASYM_ML_DSA_44, "ML-DSA-44", "mldsa44", NULL, MLDSA44,
	  MLDSA44_SIGNATURE_SIZE },
	{ 0, SPDM_PQC_ASYM_ML_DSA_65, "ML-DSA-65", "mldsa65", NULL, MLDSA65,
	  MLDSA65_SIGNATURE_SIZE },
	{ 0, SPDM_PQC_ASYM_ML_DSA_87, "ML-DSA-87", "mldsa87", NULL, MLDSA87,
	  MLDSA87_SIGNATURE_SIZE },
};

struct spdm_hash_info {
	u32 alg;
	const char *name;
};

static const struct spdm_hash_info spdm_hash_info[] = {
	{ SPDM_HASH_SHA_256, "sha256" },
	{ SPDM_HASH_SHA_384, "sha384" },
	{ SPDM_HASH_SHA_512, "sha512" },
};

struct spdm_dhe_info {
	u16 alg;
	const char *name;
	const char *kpp;
	size_t len;	/* ExchangeData: X || Y */
};

static const struct spdm_dhe_info spdm_dhe_info[] = {
	{ SPDM_DHE_SECP256R1, "secp256r1", "ecdh-nist-p256", 64 },
	{ SPDM_DHE_SECP384R1, "secp384r1", "ecdh-nist-p384", 96 },
};

struct spdm_aead_info {
	u16 alg;
	const char *name;
	const char *crypto;
	size_t key_len;
};

static const struct spdm_aead_info spdm_aead_info[] = {
	{ SPDM_AEAD_AES_128_GCM, "aes-128-gcm", "gcm(aes)", 16 },
	{ SPDM_AEAD_AES_256_GCM, "aes-256-gcm", "gcm(aes)", 32 },
	{ SPDM_AEAD_CHACHA20_POLY1305, "chacha20-poly1305",
	  "rfc7539(chacha20,poly1305)", 32 },
};

/* ReqAlgStructs offered for secure sessions, AlgType ascending */
struct spdm_negotiate_algs_req_session {
	struct spdm_negotiate_algs_req req;
	struct spdm_alg_struct structs[3];
} __packed;

/* A selection must be exactly one of the offered bits */
static bool spdm_one_of(u32 sel, u32 offered)
{
	return hweight32(sel) == 1 && !(sel & ~offered);
}

/**
 * spdm_parse_algs_structs() - walk the RespAlgStructs of ALGORITHMS
 * @rsp: ALGORITHMS response
 * @len: value of its Length field, already checked against what arrived
 *
 * Responders built on older libspdm send AlgStructures the requester did
 * not ask for.  All are checked to be well-formed here; the caller picks
 * the ones it asked for.
 *
 * Return: 0 if the response is well-formed and @len covers it exactly,
 * -EIO otherwise.
 */
int spdm_parse_algs_structs(const struct spdm_negotiate_algs_rsp *rsp,
			    size_t len)
{
	size_t off = sizeof(*rsp) + SPDM_EXT_ALG_SZ *
		     (rsp->ext_asym_sel_count + rsp->ext_hash_sel_count);
	const u8 *p = (const u8 *)rsp;
	int i;

	for (i = 0; i < rsp->param1; i++) {
		const struct spdm_alg_struct *as = (const void *)(p + off);

		if (off + sizeof(*as) > len ||
		    FIELD_GET(SPDM_ALG_FIXED_COUNT, as->alg_count) != 2)
			return -EIO;
		off += sizeof(*as) + SPDM_EXT_ALG_SZ *
		       FIELD_GET(SPDM_ALG_EXT_COUNT, as->alg_count);
	}

	return off == len ? 0 : -EIO;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_parse_algs_structs);

/*
 * The DHE, AEAD and KeySchedule selections of a well-formed ALGORITHMS
 * response (checked by spdm_parse_algs_structs()).  Each of these may
 * appear once and select one algorithm that was offered, or none; other
 * AlgTypes (not offered) are ignored.
 */
static int spdm_session_algs(struct spdm_state *spdm_state,
			     const struct spdm_negotiate_algs_rsp *rsp)
{
	size_t off = sizeof(*rsp) + SPDM_EXT_ALG_SZ *
		     (rsp->ext_asym_sel_count + rsp->ext_hash_sel_count);
	const u8 *p = (const u8 *)rsp;
	u16 sel[SPDM_ALG_TYPE_KEY_SCHED + 1] = {};
	u8 seen = 0;
	int i;

	for (i = 0; i < rsp->param1; i++) {
		const struct spdm_alg_struct *as = (const void *)(p + off);

		off += sizeof(*as) + SPDM_EXT_ALG_SZ *
		       FIELD_GET(SPDM_ALG_EXT_COUNT, as->alg_count);
		if (as->alg_type != SPDM_ALG_TYPE_DHE &&
		    as->alg_type != SPDM_ALG_TYPE_AEAD &&
		    as->alg_type != SPDM_ALG_TYPE_KEY_SCHED)
			continue;
		if (seen & BIT(as->alg_type) ||
		    FIELD_GET(SPDM_ALG_EXT_COUNT, as->alg_count)) {
			dev_err(spdm_state->dev,
				"ALGORITHMS repeats AlgType %u or selects an extended one\n",
				as->alg_type);
			return -EPROTO;
		}
		seen |= BIT(as->alg_type);
		sel[as->alg_type] = le16_to_cpu(as->alg_supported);
	}

	if ((sel[SPDM_ALG_TYPE_DHE] &&
	     !spdm_one_of(sel[SPDM_ALG_TYPE_DHE], SPDM_DHE_ALGOS)) ||
	    (sel[SPDM_ALG_TYPE_AEAD] &&
	     !spdm_one_of(sel[SPDM_ALG_TYPE_AEAD], SPDM_AEAD_ALGOS)) ||
	    (sel[SPDM_ALG_TYPE_KEY_SCHED] &&
	     !spdm_one_of(sel[SPDM_ALG_TYPE_KEY_SCHED], SPDM_KEY_SCHED_SPDM))) {
		dev_err(spdm_state->dev,
			"Selected session algorithms not offered or not one each (DHE %#x AEAD %#x KeySchedule %#x)\n",
			sel[SPDM_ALG_TYPE_DHE], sel[SPDM_ALG_TYPE_AEAD],
			sel[SPDM_ALG_TYPE_KEY_SCHED]);
		return -EPROTO;
	}

	spdm_state->dhe_alg = sel[SPDM_ALG_TYPE_DHE];
	spdm_state->aead_alg = sel[SPDM_ALG_TYPE_AEAD];
	spdm_state->key_sched_alg = sel[SPDM_ALG_TYPE_KEY_SCHED];

	for (i = 0; i < ARRAY_SIZE(spdm_dhe_info); i++) {
		if (spdm_dhe_info[i].alg != spdm_state->dhe_alg)
			continue;
		spdm_state->dhe_name = spdm_dhe_info[i].name;
		spdm_state->dhe_kpp = spdm_dhe_info[i].kpp;
		spdm_state->dhe_len = spdm_dhe_info[i].len;
	}
	for (i = 0; i < ARRAY_SIZE(spdm_aead_info); i++) {
		if (spdm_aead_info[i].alg != spdm_state->aead_alg)
			continue;
		spdm_state->aead_name = spdm_aead_info[i].name;
		spdm_state->aead_crypto = spdm_aead_info[i].crypto;
		spdm_state->aead_key_len = spdm_aead_info[i].key_len;
	}
	return 0;
}

static int spdm_select_crypto(struct spdm_state *spdm_state)
{
	const struct spdm_asym_info *asym = NULL;
	const struct spdm_hash_info *hash = NULL;
	int i;

	for (i = 0; i < ARRAY_SIZE(spdm_asym_info); i++)
		if (spdm_asym_info[i].base == spdm_state->base_asym_alg &&
		    spdm_asym_info[i].pqc == spdm_state->pqc_asym_alg)
			asym = &spdm_asym_info[i];
	for (i = 0; i < ARRAY_SIZE(spdm_hash_info); i++)
		if (spdm_hash_info[i].alg == spdm_state->base_hash_alg)
			hash = &spdm_hash_info[i];
	if (WARN_ON(!asym || !hash))
		return -EINVAL;

	spdm_state->asym = asym;
	spdm_state->sig_len = asym->sig_len;
	spdm_state->base_hash_name = hash->name;

	spdm_state->shash = crypto_alloc_shash(hash->name, 0, 0);
	if (IS_ERR(spdm_state->shash)) {
		int rc = PTR_ERR(spdm_state->shash);

		spdm_state->shash = NULL;
		dev_err(spdm_state->dev, "Cannot allocate %s: %d\n",
			hash->name, rc);
		return rc;
	}
	spdm_state->hash_len = crypto_shash_digestsize(spdm_state->shash);

	dev_dbg(spdm_state->dev, "Selected %s with %s\n", asym->name,
		hash->name);
	return 0;
}

/* Digest size of a MeasurementHashAlgo bit (DSP0274 table 16) */
static size_t spdm_meas_hash_len(u32 meas_hash)
{
	switch (meas_hash) {
	case SPDM_MEAS_HASH_SHA_256:
	case SPDM_MEAS_HASH_SHA3_256:
	case SPDM_MEAS_HASH_SM3_256:
		return 32;
	case SPDM_MEAS_HASH_SHA_384:
	case SPDM_MEAS_HASH_SHA3_384:
		return 48;
	case SPDM_MEAS_HASH_SHA_512:
	case SPDM_MEAS_HASH_SHA3_512:
		return 64;
	default:	/* raw bit streams only, or none */
		return 0;
	}
}

static int spdm_check_algs(struct spdm_state *spdm_state,
			   const struct spdm_negotiate_algs_req *req,
			   const struct spdm_negotiate_algs_rsp *rsp)
{
	u32 asym = le32_to_cpu(rsp->base_asym_sel);
	u32 hash = le32_to_cpu(rsp->base_hash_sel);
	u32 meas_hash = le32_to_cpu(rsp->measurement_hash_algo);
	bool meas = spdm_state->rsp_caps & SPDM_MEAS_CAP_MASK;
	u32 pqc = 0;
	bool one_asym;

	/* SPDM 1.4: a classical or a post-quantum signature, not both */
	if (spdm_state->version >= SPDM_VER_14)
		pqc = le32_to_cpu(rsp->pqc_asym_sel);
	if (pqc)
		one_asym = !asym &&
			   spdm_one_of(pqc, le32_to_cpu(req->pqc_asym_algo));
	else
		one_asym = spdm_one_of(asym, le32_to_cpu(req->base_asym_algo));
	if (!one_asym || !spdm_one_of(hash, le32_to_cpu(req->base_hash_algo)) ||
	    rsp->ext_asym_sel_count || rsp->ext_hash_sel_count) {
		dev_err(spdm_state->dev,
			"Selected algorithms not offered or not one each (asym %#x pqc %#x hash %#x ext %u/%u)\n",
			asym, pqc, hash, rsp->ext_asym_sel_count,
			rsp->ext_hash_sel_count);
		return -EPROTO;
	}

	if ((meas && (!spdm_one_of(rsp->measurement_specification_sel,
				   req->measurement_specification) ||
		      hweight32(meas_hash) != 1)) ||
	    hweight8(rsp->measurement_specification_sel) > 1 ||
	    hweight32(meas_hash) > 1 ||
	    (meas_hash & ~SPDM_MEAS_HASH_ALGOS)) {
		dev_err(spdm_state->dev,
			"Invalid measurement selection (spec %#x hash %#x)\n",
			rsp->measurement_specification_sel, meas_hash);
		return -EPROTO;
	}

	if (spdm_state->version >= SPDM_VER_12 &&
	    rsp->other_params_sel & ~req->other_params_support) {
		dev_err(spdm_state->dev,
			"Selected opaque data format %#x not offered\n",
			rsp->other_params_sel);
		return -EPROTO;
	}

	spdm_state->base_asym_alg = asym;
	spdm_state->pqc_asym_alg = pqc;
	spdm_state->base_hash_alg = hash;
	spdm_state->meas_hash_alg = meas_hash;
	spdm_state->meas_hash_len = spdm_meas_hash_len(meas_hash);
	spdm_state->meas_spec = rsp->measurement_specification_sel;
	spdm_state->other_params = rsp->other_params_sel;
	return 0;
}

/**
 * spdm_negotiate_algs() - negotiate cryptographic algorithms
 * @spdm_state: SPDM state of the device, capabilities exchanged
 *
 * Offers ECDSA P-256/P-384/P-521, RSASSA 2048/3072/4096, SHA-256/384/512
 * and the DMTF measurement specification, and checks that the device
 * selected exactly one of each that was offered.  From SPDM 1.4 on it
 * offers ML-DSA-44/65/87 (PqcAsymAlgo) too; the device then selects one
 * signature algorithm of either kind.  From SPDM 1.1 on, with
 * a transport for secured messages, it also offers the DHE groups
 * secp256r1 and secp384r1, the AEAD suites AES-128-GCM, AES-256-GCM and
 * ChaCha20-Poly1305 and the SPDM key schedule; the device selects one of
 * each, or none for no secure session.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on success, or a negative errno (logged).
 */
int spdm_negotiate_algs(struct spdm_state *spdm_state)
{
	struct spdm_negotiate_algs_req_session buf = {
		.req = {
			.version = spdm_state->version,
			.code = SPDM_NEGOTIATE_ALGS,
			.length = cpu_to_le16(sizeof(buf.req)),
			.measurement_specification = SPDM_MEAS_SPEC_DMTF,
			.base_asym_algo = cpu_to_le32(SPDM_ASYM_ALGOS),
			.base_hash_algo = cpu_to_le32(SPDM_HASH_ALGOS),
		},
		.structs = {
			{ SPDM_ALG_TYPE_DHE, 0x20, cpu_to_le16(SPDM_DHE_ALGOS) },
			{ SPDM_ALG_TYPE_AEAD, 0x20,
			  cpu_to_le16(SPDM_AEAD_ALGOS) },
			{ SPDM_ALG_TYPE_KEY_SCHED, 0x20,
			  cpu_to_le16(SPDM_KEY_SCHED_SPDM) },
		},
	};
	struct spdm_negotiate_algs_req *req = &buf.req;
	bool sessions = spdm_state->version >= SPDM_VER_11 &&
			spdm_state->secured_transport;
	size_t req_sz = sessions ? sizeof(buf) : sizeof(buf.req);
	struct spdm_negotiate_algs_rsp *rsp;
	ssize_t length;
	size_t len;
	int rc;

	if (spdm_state->version >= SPDM_VER_12)
		req->other_params_support = SPDM_OPAQUE_DATA_FMT_GENERAL;
	if (spdm_state->version >= SPDM_VER_14)
		req->pqc_asym_algo = cpu_to_le32(SPDM_PQC_ASYM_ALGOS);
	if (sessions) {
		req->param1 = ARRAY_SIZE(buf.structs);
		req->length = cpu_to_le16(req_sz);
	}

	rsp = kzalloc(SPDM_ALGS_RSP_MAX, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	length = spdm_exchange(spdm_state, &buf, req_sz, rsp,
			       SPDM_ALGS_RSP_MAX);
	if (length < 0) {
		rc = length;
		goto out;
	}

	if (length < sizeof(*rsp)) {
		rc = spdm_check_length(spdm_state, "ALGORITHMS", length,
				       sizeof(*rsp));
		goto out;
	}

	len = le16_to_cpu(rsp->length);
	if (len > length || spdm_parse_algs_structs(rsp, len)) {
		dev_err(spdm_state->dev,
			"Malformed ALGORITHMS response (Length %zu, received %zd)\n",
			len, length);
		rc = -EIO;
		goto out;
	}
	rc = spdm_check_length(spdm_state, "ALGORITHMS", length, len);
	if (rc)
		goto out;

	rc = spdm_check_algs(spdm_state, req, rsp);
	if (rc)
		goto out;

	if (sessions) {
		rc = spdm_session_algs(spdm_state, rsp);
		if (rc)
			goto out;
	}

	rc = spdm_select_crypto(spdm_state);
	if (rc)
		goto out;

	rc = spdm_append_transcript(spdm_state, &buf, req_sz);
	if (!rc)
		rc = spdm_append_transcript(spdm_state, rsp, len);
	spdm_state->vca_len = spdm_state->transcript.len;
	spdm_evidence_changed(spdm_state);
out:
	kfree(rsp);
	return rc;
}
