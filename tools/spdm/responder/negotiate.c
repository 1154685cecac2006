// SPDX-License-Identifier: GPL-2.0
/*
 * GET_CAPABILITIES / CAPABILITIES and NEGOTIATE_ALGORITHMS / ALGORITHMS
 * (DSP0274 1.3 sec 10.4 and 10.5).  Together with GET_VERSION they form
 * the VCA, part A of every transcript: each request and response is
 * appended exactly as sent, without DOE padding.
 *
 * SPDM 1.4: CAPABILITIES bytes 6-7 are ExtFlags (ours: 0; the
 * requester's are ignored, none is defined for it).  NEGOTIATE_ALGORITHMS
 * carries PqcAsymAlgo (u32) at offset 16 and may carry AlgStructs of
 * type 6 (ReqPqcAsymAlg) and 7 (KEMAlg); ALGORITHMS carries PqcAsymSel
 * (u32) at offset 20, and exactly one of BaseAsymSel and PqcAsymSel is
 * non-zero.  With ML-DSA keys (OpenSSL 3.5) we may select a PqcAsymAlgo
 * (select_asym(), pqc-first=); without, a requester that offers only
 * PqcAsymAlgo (BaseAsymAlgo 0) gets ERROR InvalidRequest, as from DMTF
 * libspdm, and so does one that offers none of our ML-DSA parameter
 * sets to a device whose keys are all ML-DSA.
 */
#include <string.h>

#include "log.h"
#include "handlers.h"

#define CAPS_REQ_LEN_10		4
#define CAPS_REQ_LEN_11		12
#define CAPS_REQ_LEN_12		20
#define CAPS_RSP_LEN_10		12
#define CAPS_RSP_LEN_12		20

#define ALGS_REQ_FIXED		32
#define ALGS_RSP_FIXED		36
#define ALG_STRUCT_LEN		4
#define ALGS_REQ_MAX_10		64	/* Length limits, 1.0 table 14 */
#define ALGS_REQ_MAX_11		128	/* and 1.1+ */
#define ALGS_EXT_MAX_10		8	/* extended algorithms in total */
#define ALGS_EXT_MAX_11		20
#define ALG_TYPE_DHE		2
#define ALG_TYPE_KEY_SCHEDULE	5
#define ALG_TYPE_REQ_PQC_ASYM	6	/* 1.4 */
#define ALG_TYPE_KEM		7	/* 1.4 */
#define ALG_FIXED_BYTES		2
#define OPAQUE_FMT_MASK		0x0f
#define OPAQUE_FMT_1		0x02
#define CAPS_FLAGS_10		0x3f

/*
 * Our Flags in @version: 1.0 defines bits 0-5 only (CACHE..MEAS_FRESH),
 * CHUNK_CAP is 1.2+; the rest is reserved there.
 */
static uint32_t caps_flags(const struct spdm_device *dev, uint8_t version)
{
	if (version == SPDM_VER_10)
		return dev->rsp_flags & CAPS_FLAGS_10;
	if (version == SPDM_VER_11)
		return dev->rsp_flags & ~SPDM_CAP_CHUNK;
	return dev->rsp_flags;
}

/* MaxSPDMmsgSize: DataTransferSize unless we chunk. */
static uint32_t caps_max_msg(const struct spdm_device *dev)
{
	if (dev->rsp_flags & SPDM_CAP_CHUNK)
		return dev->max_msg_size;
	return dev->data_transfer_size;
}

static size_t caps_req_len(uint8_t version)
{
	if (version >= SPDM_VER_12)
		return CAPS_REQ_LEN_12;
	return version == SPDM_VER_11 ? CAPS_REQ_LEN_11 : CAPS_REQ_LEN_10;
}

/*
 * Consistency rules for the requester's Flags (DSP0274 1.3 table 11 and
 * its notes; the same rules DMTF libspdm enforces).  Returns why @flags
 * are invalid for @version, or NULL.
 */
static const char *req_flags_problem(uint32_t flags, uint8_t version)
{
	unsigned int psk = (flags >> SPDM_CAP_PSK_SHIFT) & 3;
	unsigned int ep_info = (flags >> SPDM_CAP_EP_INFO_SHIFT) & 3;
	unsigned int multi_key = (flags >> SPDM_CAP_MULTI_KEY_SHIFT) & 3;
	bool key_ex = flags & SPDM_CAP_KEY_EX;
	bool cert = flags & SPDM_CAP_CERT, pub_key = flags & SPDM_CAP_PUB_KEY_ID;
	bool chal = flags & SPDM_CAP_CHAL, mut = flags & SPDM_CAP_MUT_AUTH;

	if (psk > 1)
		return "PSK_CAP has a reserved value";
	if (key_ex || psk) {
		if (!(flags & (SPDM_CAP_MAC | SPDM_CAP_ENCRYPT)))
			return "KEY_EX_CAP/PSK_CAP without MAC_CAP or ENCRYPT_CAP";
	} else if (flags & (SPDM_CAP_MAC | SPDM_CAP_ENCRYPT |
			    SPDM_CAP_HANDSHAKE_CLEAR | SPDM_CAP_HBEAT |
			    SPDM_CAP_KEY_UPD)) {
		return "session capabilities without KEY_EX_CAP or PSK_CAP";
	} else if (version >= SPDM_VER_13 && (flags & SPDM_CAP_EVENT)) {
		return "EVENT_CAP without KEY_EX_CAP or PSK_CAP";
	}
	if (!key_ex && psk && (flags & SPDM_CAP_HANDSHAKE_CLEAR))
		return "HANDSHAKE_IN_THE_CLEAR_CAP with PSK_CAP only";
	if (cert && pub_key)
		return "both CERT_CAP and PUB_KEY_ID_CAP";
	if ((cert || pub_key) && !chal && !key_ex)
		return "CERT_CAP/PUB_KEY_ID_CAP without CHAL_CAP or KEY_EX_CAP";
	if (!cert && !pub_key && (chal || mut))
		return "CHAL_CAP/MUT_AUTH_CAP without CERT_CAP or PUB_KEY_ID_CAP";
	if (mut && !key_ex && !chal)
		return "MUT_AUTH_CAP without KEY_EX_CAP or CHAL_CAP";
	if (version == SPDM_VER_11 && mut && !(flags & SPDM_CAP_ENCAP))
		return "MUT_AUTH_CAP without ENCAP_CAP";
	if (version >= SPDM_VER_13) {
		if (ep_info == 3 || multi_key == 3)
			return "EP_INFO_CAP/MULTI_KEY_CAP has a reserved value";
		if (multi_key && pub_key)
			return "MULTI_KEY_CAP with PUB_KEY_ID_CAP";
	}
	return NULL;
}

int spdm_get_capabilities(struct spdm_device *dev,
			  const struct spdm_request *req, struct msg *rsp)
{
	size_t want = caps_req_len(req->version);
	uint32_t flags = 0, dts = 0, max = 0;
	const uint8_t *p = req->buf;
	const char *why;
	int ret;

	if (!spdm_req_len_ok(req, want))
		return spdm_reject_len(dev, req, rsp, want);
	if (req->version >= SPDM_VER_11) {
		flags = get_le32(p + 8);
		why = req_flags_problem(flags, req->version);
		if (why)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "Flags 0x%08x: %s", flags, why);
	}
	if (req->version >= SPDM_VER_12) {
		dts = get_le32(p + 12);
		max = get_le32(p + 16);
		if (dts < SPDM_MIN_DATA_TRANSFER_SIZE || dts > max)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "DataTransferSize %u, MaxSPDMmsgSize %u",
					   dts, max);
		if (!(flags & SPDM_CAP_CHUNK) && dts != max)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "no CHUNK_CAP but DataTransferSize %u != MaxSPDMmsgSize %u",
					   dts, max);
	}
	/* 1.3: Param1 bit 0 (SupportedAlgorithms) needs CHUNK_CAP */
	if (req->version >= SPDM_VER_13 && (req->param1 & 1) &&
	    !(flags & SPDM_CAP_CHUNK))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "Param1 SupportedAlgorithms without CHUNK_CAP");

	/*
	 * No Supported Algorithms block, even with CHUNK_CAP: Param1 of
	 * CAPABILITIES stays 0.
	 */
	ret = msg_put_u8(rsp, req->version);
	ret = ret ?: msg_put_u8(rsp, SPDM_CAPABILITIES);
	ret = ret ?: msg_put_fill(rsp, 0, 3);		/* Param1, Param2, Reserved */
	ret = ret ?: msg_put_u8(rsp, dev->ct_exponent);
	ret = ret ?: msg_put_fill(rsp, 0, 2);		/* Reserved */
	ret = ret ?: msg_reserve(rsp, 4);
	if (ret)
		return ret;
	put_le32(rsp->data + rsp->len, caps_flags(dev, req->version));
	rsp->len += 4;
	if (req->version >= SPDM_VER_12) {
		ret = msg_reserve(rsp, 8);
		if (ret)
			return ret;
		put_le32(rsp->data + rsp->len, dev->data_transfer_size);
		put_le32(rsp->data + rsp->len + 4, caps_max_msg(dev));
		rsp->len += 8;
	}
	ret = spdm_transcript_add(&dev->vca, p, want, rsp->data, rsp->len);
	if (ret)
		return ret;
	dev->version = req->version;
	dev->req_flags = flags;
	dev->req_data_transfer_size = dts;
	dev->req_max_msg_size = max;
	dev->state = SPDM_CONN_AFTER_CAPS;
	return 0;
}

/* The parsed NEGOTIATE_ALGORITHMS request. */
struct algs_req {
	uint16_t length;
	uint8_t meas_spec;		/* MeasurementSpecification */
	uint8_t other_params;
	uint32_t asym, hash;
	uint32_t pqc;			/* PqcAsymAlgo (1.4), else 0 */
	unsigned int nr_structs;
	uint8_t type[16];		/* AlgType of each ReqAlgStruct */
	uint16_t supported[16];		/* its AlgSupported */
};

static const char *parse_algs(const struct spdm_request *req,
			      struct algs_req *a, char *why, size_t whylen)
{
	const uint8_t *p = req->buf;
	size_t max_len, max_ext, off, ext;
	unsigned int i;

	if (req->len < ALGS_REQ_FIXED) {
		snprintf(why, whylen, "%zu bytes, fixed part is %d", req->len,
			 ALGS_REQ_FIXED);
		return why;
	}
	a->length = get_le16(p + 4);
	a->meas_spec = p[6];
	a->other_params = p[7];
	a->asym = get_le32(p + 8);
	a->hash = get_le32(p + 12);
	/* 1.4 PqcAsymAlgo; bytes 16-27 were reserved before, not looked at */
	if (req->version >= SPDM_VER_14)
		a->pqc = get_le32(p + 16);
	a->nr_structs = req->version >= SPDM_VER_11 ? req->param1 : 0;
	max_len = req->version >= SPDM_VER_11 ? ALGS_REQ_MAX_11 : ALGS_REQ_MAX_10;
	max_ext = req->version >= SPDM_VER_11 ? ALGS_EXT_MAX_11 : ALGS_EXT_MAX_10;
	if (a->length > max_len || a->length < ALGS_REQ_FIXED) {
		snprintf(why, whylen, "Length %u not in %d..%zu", a->length,
			 ALGS_REQ_FIXED, max_len);
		return why;
	}
	if (!spdm_req_len_ok(req, a->length)) {
		snprintf(why, whylen, "Length %u but %zu bytes received",
			 a->length, req->len);
		return why;
	}
	ext = p[28] + p[29];		/* ExtAsymCount, ExtHashCount */
	off = ALGS_REQ_FIXED + 4 * ext;
	if (a->nr_structs > sizeof(a->type)) {
		snprintf(why, whylen, "%u AlgStructs", a->nr_structs);
		return why;
	}
	for (i = 0; i < a->nr_structs && off + ALG_STRUCT_LEN <= a->length; i++) {
		a->type[i] = p[off];
		a->supported[i] = get_le16(p + off + 2);
		if (p[off + 1] >> 4 != ALG_FIXED_BYTES) {
			snprintf(why, whylen, "AlgStruct %u: FixedAlgCount %u, not 2",
				 i, p[off + 1] >> 4);
			return why;
		}
		if (i && a->type[i] <= a->type[i - 1]) {
			snprintf(why, whylen, "AlgStruct %u: AlgType %u after %u (not ascending)",
				 i, a->type[i], a->type[i - 1]);
			return why;
		}
		ext += p[off + 1] & 0xf;
		off += ALG_STRUCT_LEN + 4 * (p[off + 1] & 0xf);
	}
	if (i < a->nr_structs || off != a->length) {
		snprintf(why, whylen, "Length %u, but %u AlgStructs and %zu extended algorithms make %zu bytes",
			 a->length, a->nr_structs, ext,
			 off + (a->nr_structs - i) * ALG_STRUCT_LEN);
		return why;
	}
	if (ext > max_ext) {
		snprintf(why, whylen, "%zu extended algorithms (max %zu)",
			 ext, max_ext);
		return why;
	}
	/* 1.2+: at most one opaque data format (libspdm rejects others) */
	if (req->version >= SPDM_VER_12 &&
	    (a->other_params & OPAQUE_FMT_MASK) > OPAQUE_FMT_1) {
		snprintf(why, whylen, "OtherParamsSupport 0x%02x: more than one OpaqueDataFmt",
			 a->other_params);
		return why;
	}
	return NULL;
}

/* A bit of @mask's complement, lowest first (for the misbehaviours). */
static uint32_t other_bit(uint32_t avoid, uint32_t prefer)
{
	uint32_t bit;

	for (bit = 1; bit; bit <<= 1)
		if ((prefer & bit) && !(avoid & bit))
			return bit;
	for (bit = 1; bit; bit <<= 1)
		if (!(avoid & bit))
			return bit;
	return 0;
}

/* The lowest bit of @v, 0 for none. */
static uint32_t lowest_bit(uint32_t v)
{
	return v & -v;
}

/* The highest bit of @v, 0 for none (the strongest ML-DSA). */
static uint32_t highest_bit(uint32_t v)
{
	while (v & (v - 1))
		v &= v - 1;
	return v;
}

/*
 * The signature algorithm, one of BaseAsymAlgo and (1.4) PqcAsymAlgo,
 * the other selection 0: the PqcAsymAlgo (the strongest ML-DSA offered
 * that a key of ours has) when the requester offers none of our
 * BaseAsymAlgos, and the BaseAsymAlgo when it offers none of our ML-DSA
 * parameter sets.  When both are possible, pqc-first= decides: yes, no
 * (what DMTF libspdm does by default), auto (the default): whichever
 * the key of the lowest slot has.
 */
static void select_asym(const struct spdm_device *dev,
			const struct algs_req *a, uint32_t *asym,
			uint32_t *pqc)
{
	*asym = spdm_asym_select(a->asym & dev->asym_mask);
	*pqc = highest_bit(a->pqc & dev->pqc_mask);
	if (*asym && *pqc) {
		if (dev->pqc_first)
			*asym = 0;
		else
			*pqc = 0;
	}
}

/*
 * Which AlgStructs ALGORITHMS answers: DHE, AEAD, ReqBaseAsymAlg and
 * KeySchedule, from 1.4 on ReqPqcAsymAlg and KEMAlg too (with nothing
 * selected: we never ask for mutual authentication and do no KEM).
 * Unknown types, 6 and 7 below 1.4 among them, are skipped.
 */
static bool alg_type_known(uint8_t type, uint8_t version)
{
	if (type >= ALG_TYPE_DHE && type <= ALG_TYPE_KEY_SCHEDULE)
		return true;
	return version >= SPDM_VER_14 &&
	       (type == ALG_TYPE_REQ_PQC_ASYM || type == ALG_TYPE_KEM);
}

/*
 * alg-pqc-both / alg-pqc-not-offered: change the PqcAsymSel of
 * ALGORITHMS (1.4), or (alg-pqc-not-offered below 1.4) fill the
 * reserved bytes where it would be; @asym is BaseAsymSel as sent.
 */
static void mangle_pqc(struct spdm_device *dev, const struct algs_req *a,
		       uint8_t version, uint32_t *asym, uint32_t *pqc)
{
	uint32_t offered;

	if (version >= SPDM_VER_14 &&
	    misbehave_get(&dev->misbehave, MB_ALG_PQC_BOTH,
			  SPDM_NEGOTIATE_ALGORITHMS)) {
		offered = a->pqc & SPDM_PQC_ML_DSA_ALL ?: a->pqc;
		*pqc = offered ? lowest_bit(offered) : SPDM_PQC_ML_DSA_44;
		if (!*asym)
			*asym = lowest_bit(a->asym) ?: SPDM_ASYM_ECDSA_P256;
		log_msg("port %u: misbehave alg-pqc-both: ALGORITHMS selects BaseAsymAlgo 0x%x and PqcAsymAlgo 0x%x",
			dev->port, *asym, *pqc);
	}
	if (misbehave_get(&dev->misbehave, MB_ALG_PQC_NOT_OFFERED,
			  SPDM_NEGOTIATE_ALGORITHMS)) {
		*pqc = other_bit(a->pqc, SPDM_PQC_ML_DSA_ALL);
		if (version >= SPDM_VER_14)
			*asym = 0;
		log_msg("port %u: misbehave alg-pqc-not-offered: ALGORITHMS %s 0x%x, offered 0x%x",
			dev->port, version >= SPDM_VER_14 ?
			"selects PqcAsymAlgo" : "has in its Reserved bytes 20-23",
			*pqc, a->pqc);
	}
}

/* alg-not-offered / alg-multiple: change what ALGORITHMS claims. */
static void mangle_selection(struct spdm_device *dev, const struct algs_req *a,
			     uint32_t *asym, uint32_t *hash, uint32_t dev_asym)
{
	const struct misbehave_switch *sw;
	bool on_hash;

	sw = misbehave_get(&dev->misbehave, MB_ALG_NOT_OFFERED,
			   SPDM_NEGOTIATE_ALGORITHMS);
	if (sw) {
		on_hash = sw->has_value && sw->value == MBW_HASH;
		if (on_hash)
			*hash = other_bit(a->hash, SPDM_HASH_ALL);
		else
			*asym = other_bit(a->asym, dev_asym);
		log_msg("port %u: misbehave alg-not-offered: ALGORITHMS selects %s 0x%x, offered 0x%x",
			dev->port, on_hash ? "BaseHashAlgo" : "BaseAsymAlgo",
			on_hash ? *hash : *asym, on_hash ? a->hash : a->asym);
	}
	sw = misbehave_get(&dev->misbehave, MB_ALG_MULTIPLE,
			   SPDM_NEGOTIATE_ALGORITHMS);
	if (sw) {
		on_hash = sw->has_value && sw->value == MBW_HASH;
		if (on_hash)
			*hash |= other_bit(*hash, a->hash);
		else
			*asym |= other_bit(*asym, a->asym);
		log_msg("port %u: misbehave alg-multiple: ALGORITHMS selects %s 0x%x",
			dev->port, on_hash ? "BaseHashAlgo" : "BaseAsymAlgo",
			on_hash ? *hash : *asym);
	}
}

int spdm_negotiate_algorithms(struct spdm_device *dev,
			      const struct spdm_request *req, struct msg *rsp)
{
	uint32_t dev_asym, asym_sel, hash_sel, wire_asym, wire_hash, meas_hash;
	uint32_t pqc_sel, wire_pqc;
	uint8_t supported, provisioned, out[ALGS_RSP_FIXED + 16 * 4];
	uint8_t meas_spec;
	uint16_t dhe_sel = 0, aead_sel = 0, key_sched_sel = 0;
	bool signs = dev->rsp_flags & (SPDM_CAP_CERT | SPDM_CAP_CHAL);
	bool sessions;
	unsigned int i, n = 0;
	struct algs_req a;
	char why[160];
	size_t len;
	int ret;

	memset(&a, 0, sizeof(a));
	if (parse_algs(req, &a, why, sizeof(why)))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%s", why);

	/*
	 * Exactly one BaseAsymAlgo (or, 1.4, PqcAsymAlgo) and BaseHashAlgo
	 * the requester offered and we support.  With nothing in common a
	 * device that signs cannot go on: ERROR(InvalidRequest), as DMTF
	 * libspdm answers (to a 1.4 requester offering only PQC too).
	 */
	dev_asym = dev->asym_mask;
	supported = spdm_slots_with_chain(dev);
	select_asym(dev, &a, &asym_sel, &pqc_sel);
	hash_sel = spdm_hash_select(a.hash & dev->hash_mask);
	if (signs && !asym_sel && !pqc_sel && !a.asym && a.pqc &&
	    !dev->pqc_mask)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "only PqcAsymAlgo 0x%x offered (BaseAsymAlgo 0), we have no PQC key (ours: BaseAsymAlgo 0x%x, PqcAsymAlgo 0x%x)",
				   a.pqc, dev_asym, dev->pqc_mask);
	if (signs && !asym_sel && !pqc_sel && dev->pqc_mask)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "no signature algorithm in common (offered BaseAsymAlgo 0x%x, PqcAsymAlgo 0x%x; ours BaseAsymAlgo 0x%x, PqcAsymAlgo 0x%x%s)",
				   a.asym, a.pqc, dev_asym, dev->pqc_mask,
				   req->version < SPDM_VER_14 ?
				   ", which needs SPDM 1.4" : "");
	if (signs && !asym_sel && !pqc_sel)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "no BaseAsymAlgo in common (offered 0x%x, ours 0x%x)",
				   a.asym, dev_asym);
	if (signs && !hash_sel)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "no BaseHashAlgo in common (offered 0x%x, ours 0x%x)",
				   a.hash, dev->hash_mask);

	/*
	 * One RespAlgStruct per known ReqAlgStruct type.  With sessions on
	 * both sides (KEY_EX_CAP) one DHE group, AEAD suite and the SPDM key
	 * schedule are selected from what was offered; nothing otherwise.
	 * ReqBaseAsymAlg (and 1.4 ReqPqcAsymAlg) is for mutual
	 * authentication, which we never ask for, 1.4 KEMAlg for a KEM
	 * instead of DHE: none selected.
	 */
	memset(out, 0, sizeof(out));
	sessions = (dev->rsp_flags & SPDM_CAP_KEY_EX) &&
		   (dev->req_flags & SPDM_CAP_KEY_EX);
	for (i = 0; i < a.nr_structs; i++) {
		uint16_t sel = 0;

		if (!alg_type_known(a.type[i], req->version))
			continue;
		if (sessions && a.type[i] == SPDM_ALG_TYPE_DHE)
			sel = dhe_sel = spdm_dhe_select(a.supported[i] &
							dev->dhe_mask);
		else if (sessions && a.type[i] == SPDM_ALG_TYPE_AEAD)
			sel = aead_sel = spdm_aead_select(a.supported[i] &
							  dev->aead_mask);
		else if (sessions && a.type[i] == SPDM_ALG_TYPE_KEY_SCHED)
			sel = key_sched_sel = a.supported[i] &
					      SPDM_KEY_SCHEDULE_SPDM;
		out[ALGS_RSP_FIXED + 4 * n] = a.type[i];
		out[ALGS_RSP_FIXED + 4 * n + 1] = ALG_FIXED_BYTES << 4;
		out[ALGS_RSP_FIXED + 4 * n + 2] = sel & 0xff;
		out[ALGS_RSP_FIXED + 4 * n + 3] = sel >> 8;
		n++;
	}
	len = ALGS_RSP_FIXED + 4 * n;
	if (!spdm_rsp_fits(dev, len))
		return spdm_too_large(dev, req, rsp, len);

	wire_asym = asym_sel;
	wire_hash = hash_sel;
	wire_pqc = pqc_sel;
	mangle_selection(dev, &a, &wire_asym, &wire_hash, dev_asym);
	mangle_pqc(dev, &a, req->version, &wire_asym, &wire_pqc);
	spdm_meas_select(dev, a.meas_spec, hash_sel, &meas_spec, &meas_hash);
	out[0] = req->version;
	out[1] = SPDM_ALGORITHMS;
	out[2] = n;
	out[4] = len & 0xff;
	out[5] = len >> 8;
	/* MeasurementSpecificationSel, MeasurementHashAlgo: 0 without MEAS_CAP */
	out[6] = meas_spec;
	put_le32(out + 8, meas_hash);
	if (req->version >= SPDM_VER_12 && (a.other_params & OPAQUE_FMT_1))
		out[7] = OPAQUE_FMT_1;
	put_le32(out + 12, wire_asym);
	put_le32(out + 16, wire_hash);
	put_le32(out + 20, wire_pqc);		/* 1.4 PqcAsymSel */
	/* MELspecificationSel (1.3), ExtAsymSelCount, ExtHashSelCount: 0 */
	ret = msg_put(rsp, out, len);
	ret = ret ?: spdm_transcript_add(&dev->vca, req->buf, a.length,
					 rsp->data, rsp->len);
	if (ret)
		return ret;

	provisioned = spdm_slots_for_asym(dev, asym_sel, pqc_sel);
	dev->asym_sel = asym_sel;
	dev->pqc_sel = pqc_sel;
	dev->hash = spdm_hash_by_bit(hash_sel);
	dev->other_params_sel = out[7];
	dev->meas.spec_sel = meas_spec;
	dev->meas.hash_sel = meas_hash;
	dev->supported = supported;
	dev->provisioned = provisioned;
	dev->dhe_sel = dhe_sel;
	dev->aead_sel = aead_sel;
	dev->key_sched_sel = key_sched_sel;
	dev->state = SPDM_CONN_NEGOTIATED;
	return 0;
}
