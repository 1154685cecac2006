// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the messages a signature covers, from DSP0274, without help
 * from the kernel's offsets:
 *
 *   VCA    GET_VERSION, VERSION, GET_CAPABILITIES, CAPABILITIES,
 *          NEGOTIATE_ALGORITHMS, ALGORITHMS at the start of a transcript:
 *          what was negotiated
 *   M1/M2  the VCA, GET_DIGESTS/DIGESTS and GET_CERTIFICATE/CERTIFICATE
 *          pairs, then CHALLENGE and CHALLENGE_AUTH (without its
 *          signature) ending the transcript
 *   L1/L2  the VCA (SPDM 1.2 and later), then GET_MEASUREMENTS and
 *          MEASUREMENTS pairs, only the last signed, its signature left
 *          out
 *   TH1    the VCA, Hash(CertChain), KEY_EXCHANGE and KEY_EXCHANGE_RSP
 *          up to its signature (SPDM 1.1-1.4); ExchangeData has the size
 *          of the DHE group ALGORITHMS selected
 *
 * SPDM 1.4 changes none of these layouts; the VCA's ALGORITHMS gains
 * PqcAsymSel and two AlgTypes, GET_CERTIFICATE a large form (u32 offset
 * and length) and the signature its size (not in the transcript).
 *
 * Every length is checked against what is there; a message that does
 * not fit, an unknown message or bytes left over are errors naming the
 * offset.
 */
#include <string.h>

#include "spdm.h"

#define SPDM_GET_DIGESTS	0x81
#define SPDM_DIGESTS		0x01
#define SPDM_GET_CERTIFICATE	0x82
#define SPDM_CERTIFICATE	0x02
#define SPDM_GET_VERSION	0x84
#define SPDM_VERSION		0x04
#define SPDM_GET_CAPABILITIES	0xe1
#define SPDM_CAPABILITIES	0x61
#define SPDM_NEGOTIATE_ALGS	0xe3
#define SPDM_ALGORITHMS		0x63
#define MEAS_ATTR_SIG		0x01	/* SignatureRequested */
#define MEAS_RSP_HDR_LEN	8	/* up to MeasurementRecordLength */

/* ---- VCA ----------------------------------------------------------------- */

static int vca_msg(const uint8_t *t, size_t len, size_t p, uint8_t ver,
		   uint8_t code, size_t min, const char *name, char *err,
		   size_t errlen)
{
	if (len - p < min)
		return sv_errf(err, errlen, "VCA: transcript ends at %zu, in %s",
			       len, name);
	if (t[p] != ver || t[p + 1] != code)
		return sv_errf(err, errlen,
			       "VCA: expected %s (%02x %02x) at %zu, found %02x %02x",
			       name, ver, code, p, t[p], t[p + 1]);
	return 0;
}

/* ALGORITHMS */
#define ALGS_PQC_OFF		20	/* PqcAsymSel, SPDM 1.4 */
#define ALGS_EXT_OFF		32	/* ExtAsymSelCount, ExtHashSelCount */
#define ALGS_STRUCT_OFF		36
#define ALG_TYPE_DHE		2
#define ALG_TYPE_KEY_SCHEDULE	5	/* the last one before SPDM 1.4 */
#define ALG_TYPE_KEM		7	/* SPDM 1.4; 6: ReqPqcAsymAlg */

/*
 * The RespAlgStructs of ALGORITHMS @a (@len bytes, its Length) after
 * ExtAsymSel and ExtHashSel: Param1 of them, each AlgType, AlgCount
 * (FixedAlgCount 2 in bits 7:4, ExtAlgCount in bits 3:0), AlgSupported,
 * 4 bytes per external algorithm, within Length.  AlgType is 2 (DHE) to
 * 5 (KeySchedule), from SPDM 1.4 on also 6 (ReqPqcAsymAlg) and 7
 * (KEMAlg); each at most once.
 */
static int algs_structs(const uint8_t *a, size_t len, uint8_t ver,
			struct sv_vca *vca, char *err, size_t errlen)
{
	uint8_t type, last = ver >= 0x14 ? ALG_TYPE_KEM : ALG_TYPE_KEY_SCHEDULE;
	size_t p, size;
	unsigned int i, seen = 0;

	p = ALGS_STRUCT_OFF + 4 * (a[ALGS_EXT_OFF] + a[ALGS_EXT_OFF + 1]);
	if (len < p)
		return sv_errf(err, errlen,
			       "ALGORITHMS: ExtAsymSelCount %u, ExtHashSelCount %u beyond its Length %zu",
			       a[ALGS_EXT_OFF], a[ALGS_EXT_OFF + 1], len);
	for (i = 0; i < a[2]; i++, p += size) {
		if (len - p < 2)
			return sv_errf(err, errlen,
				       "ALGORITHMS: AlgStructure %u of %u beyond its Length %zu",
				       i + 1, a[2], len);
		type = a[p];
		size = 2 + (a[p + 1] >> 4) + 4 * (a[p + 1] & 0xf);
		if ((a[p + 1] >> 4) != 2 || len - p < size)
			return sv_errf(err, errlen,
				       "ALGORITHMS: AlgStructure %u (AlgCount 0x%02x) malformed or beyond its Length",
				       i + 1, a[p + 1]);
		if (type < ALG_TYPE_DHE || type > last)
			return sv_errf(err, errlen,
				       "ALGORITHMS: AlgStructure %u has AlgType %u, %s",
				       i + 1, type, type > ALG_TYPE_KEM ||
				       type < ALG_TYPE_DHE ? "which is reserved" :
				       "which SPDM defines from 1.4 on");
		if (seen & 1U << type)
			return sv_errf(err, errlen,
				       "ALGORITHMS: two AlgStructures of AlgType %u",
				       type);
		seen |= 1U << type;
		if (type == ALG_TYPE_DHE) {
			vca->has_dhe = true;
			vca->dhe = sv_le16(a + p + 2);
		} else if (type == ALG_TYPE_KEM) {
			vca->has_kem = true;
			vca->kem = sv_le16(a + p + 2);
		}
	}
	return 0;
}

/**
 * sv_vca_parse() - the VCA at the start of a transcript
 * @t: the transcript
 * @len: its size
 * @ver: the negotiated version, which VERSION must list and the later
 *	messages must carry
 * @vca: receives its size and the selected algorithms
 * @err: receives why it does not parse
 * @errlen: size of @err
 *
 * From SPDM 1.4 on ALGORITHMS selects a BaseAsymAlgo or a PqcAsymAlgo
 * (PqcAsymSel, which was reserved before and is then ignored); which of
 * them, and that it is only one, the caller checks.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_vca_parse(const uint8_t *t, size_t len, uint8_t ver,
		 struct sv_vca *vca, char *err, size_t errlen)
{
	size_t p = 0, size, n, i;
	uint8_t req_param1;
	bool listed = false;

	memset(vca, 0, sizeof(*vca));
	if (vca_msg(t, len, p, 0x10, SPDM_GET_VERSION, 4, "GET_VERSION", err,
		    errlen))
		return -1;
	p += 4;
	if (vca_msg(t, len, p, 0x10, SPDM_VERSION, 6, "VERSION", err, errlen))
		return -1;
	n = t[p + 5];
	size = 6 + 2 * n;
	if (len - p < size)
		return sv_errf(err, errlen, "VCA: VERSION truncated");
	for (i = 0; i < n; i++)
		listed |= sv_le16(t + p + 6 + 2 * i) >> 8 == ver;
	if (!listed)
		return sv_errf(err, errlen, "VERSION does not list SPDM %u.%u",
			       ver >> 4, ver & 0xf);
	p += size;
	size = ver == 0x10 ? 4 : ver == 0x11 ? 12 : 20;
	if (vca_msg(t, len, p, ver, SPDM_GET_CAPABILITIES, size,
		    "GET_CAPABILITIES", err, errlen))
		return -1;
	req_param1 = t[p + 2];
	p += size;
	size = ver <= 0x11 ? 12 : 20;
	if (vca_msg(t, len, p, ver, SPDM_CAPABILITIES, size, "CAPABILITIES",
		    err, errlen))
		return -1;
	/* 1.3: a SupportedAlgorithms block follows when both ask for it */
	if (ver >= 0x13 && (req_param1 & 1) && (t[p + 2] & 1)) {
		if (len - p < size + 4 ||
		    len - p - size < sv_le16(t + p + size + 2))
			return sv_errf(err, errlen, "VCA: CAPABILITIES truncated");
		size += sv_le16(t + p + size + 2);
	}
	p += size;
	if (vca_msg(t, len, p, ver, SPDM_NEGOTIATE_ALGS, 6,
		    "NEGOTIATE_ALGORITHMS", err, errlen))
		return -1;
	size = sv_le16(t + p + 4);
	if (size < 32 || len - p < size)
		return sv_errf(err, errlen, "VCA: NEGOTIATE_ALGORITHMS Length %zu",
			       size);
	p += size;
	if (vca_msg(t, len, p, ver, SPDM_ALGORITHMS, 36, "ALGORITHMS", err,
		    errlen))
		return -1;
	size = sv_le16(t + p + 4);
	if (size < 36 || len - p < size)
		return sv_errf(err, errlen, "VCA: ALGORITHMS Length %zu", size);
	vca->algs = p;
	vca->algs_len = size;
	vca->meas_spec = t[p + 6];
	vca->meas_hash = sv_le32(t + p + 8);
	vca->asym = sv_le32(t + p + 12);
	vca->hash = sv_le32(t + p + 16);
	if (ver >= 0x14)
		vca->pqc_asym = sv_le32(t + p + ALGS_PQC_OFF);
	if (algs_structs(t + p, size, ver, vca, err, errlen))
		return -1;
	vca->len = p + size;
	return 0;
}

/* ---- the DHE group of ALGORITHMS ------------------------------------------ */

static const struct sv_dhe dhes[] = {
	{ 0x0001, "ffdhe2048", 256 },
	{ 0x0002, "ffdhe3072", 384 },
	{ 0x0004, "ffdhe4096", 512 },
	{ 0x0008, "secp256r1", 64 },
	{ 0x0010, "secp384r1", 96 },
	{ 0x0020, "secp521r1", 132 },
	{ 0x0040, "SM2_P256", 64 },
};

static const struct sv_dhe *dhe_by_bit(uint16_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(dhes); i++)
		if (dhes[i].bit == bit)
			return &dhes[i];
	return NULL;
}

/**
 * sv_vca_dhe() - the DHE group the ALGORITHMS of a VCA selected
 * @vca: the VCA, parsed by sv_vca_parse()
 * @dhe: receives the group
 * @err: receives why there is none
 * @errlen: size of @err
 *
 * The DHE RespAlgStructure must select exactly one known group.  From
 * SPDM 1.4 on a KEM (ML-KEM) may be selected instead, whose
 * ExchangeData this verifier does not know.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_vca_dhe(const struct sv_vca *vca, const struct sv_dhe **dhe,
	       char *err, size_t errlen)
{
	*dhe = NULL;
	if (vca->has_kem && vca->kem)
		return sv_errf(err, errlen,
			       "ALGORITHMS selected KEM 0x%04x (SPDM 1.4 ML-KEM) for the key exchange, not a DHE group: not supported here",
			       vca->kem);
	if (!vca->has_dhe)
		return sv_errf(err, errlen,
			       "ALGORITHMS selected no DHE group (no DHE AlgStructure): no KEY_EXCHANGE possible");
	*dhe = dhe_by_bit(vca->dhe);
	if (!*dhe)
		return sv_errf(err, errlen,
			       "ALGORITHMS: DHE selection 0x%04x is not one known group",
			       vca->dhe);
	return 0;
}

/* ---- M1/M2 --------------------------------------------------------------- */

static const char *msg_name(uint8_t code)
{
	switch (code) {
	case SPDM_GET_DIGESTS:		return "GET_DIGESTS";
	case SPDM_DIGESTS:		return "DIGESTS";
	case SPDM_GET_CERTIFICATE:	return "GET_CERTIFICATE";
	case SPDM_CERTIFICATE:		return "CERTIFICATE";
	case SV_CHALLENGE:		return "CHALLENGE";
	case SV_CHALLENGE_AUTH:	return "CHALLENGE_AUTH";
	case SV_GET_MEASUREMENTS:	return "GET_MEASUREMENTS";
	case SV_MEASUREMENTS:		return "MEASUREMENTS";
	case SV_KEY_EXCHANGE:		return "KEY_EXCHANGE";
	case SV_KEY_EXCHANGE_RSP:	return "KEY_EXCHANGE_RSP";
	}
	return "an unexpected message";
}

/* The message at @p must be @code, of at least @min bytes. */
static int rsp_at(const uint8_t *t, size_t len, size_t p, uint8_t ver,
		  uint8_t code, size_t min, char *err, size_t errlen)
{
	if (len - p < 4 || t[p] != ver || t[p + 1] != code)
		return sv_errf(err, errlen,
			       "expected %s (%02x %02x) at %zu, found %s",
			       msg_name(code), ver, code, p,
			       len - p < 4 ? "the end of the transcript" :
			       msg_name(t[p + 1]));
	if (len - p < min)
		return sv_errf(err, errlen,
			       "%s at %zu needs %zu bytes, the transcript has %zu",
			       msg_name(code), p, min, len - p);
	return 0;
}

#define CERT_LARGE		0x80	/* Param1: LargeCertChain, SPDM 1.4 */

/*
 * GET_CERTIFICATE at *@p and its CERTIFICATE: 8-byte request, 8-byte
 * header (PortionLength, RemainderLength: u16), then the portion.  From
 * SPDM 1.4 on, Param1 bit 7 (LargeCertChain) asks for the large form: a
 * 16-byte request (Offset and Length 0, then LargeOffset and LargeLength:
 * u32), answered with the bit set, PortionLength and RemainderLength 0 and
 * LargePortionLength, LargeRemainderLength (u32) at 8 and 12, the portion
 * at 16.  Before 1.4 the bit is reserved.  *@p moves past the response.
 */
static int cert_pair(const uint8_t *t, size_t len, size_t *p, uint8_t ver,
		     char *err, size_t errlen)
{
	bool large = ver >= 0x14 && (t[*p + 2] & CERT_LARGE);
	size_t hdr = large ? 16 : 8, q = *p, n;

	if (len - q < hdr)
		return sv_errf(err, errlen, "GET_CERTIFICATE at %zu truncated", q);
	q += hdr;
	if (rsp_at(t, len, q, ver, SPDM_CERTIFICATE, hdr, err, errlen))
		return -1;
	if (ver >= 0x14 && !(t[q + 2] & CERT_LARGE) == large)
		return sv_errf(err, errlen,
			       "CERTIFICATE at %zu %s LargeCertChain (Param1 bit 7), which its request %s",
			       q, large ? "lacks" : "has",
			       large ? "set" : "did not set");
	n = large ? sv_le32(t + q + 8) : sv_le16(t + q + 4);
	if (len - q - hdr < n)
		return sv_errf(err, errlen,
			       "CERTIFICATE at %zu (PortionLength %zu) truncated",
			       q, n);
	*p = q + hdr + n;
	return 0;
}

/**
 * sv_m1m2_walk() - find the CHALLENGE that ends M1/M2, message by message
 * @t: the transcript
 * @len: its size
 * @start: the end of the VCA
 * @ver: the negotiated version
 * @hash_len: size of the negotiated hash
 * @chal: receives the offset of the CHALLENGE request
 * @auth: receives the offset of the CHALLENGE_AUTH response
 * @err: receives why the walk failed
 * @errlen: size of @err
 *
 * After the VCA only GET_DIGESTS/DIGESTS and GET_CERTIFICATE/CERTIFICATE
 * pairs may come, then CHALLENGE and CHALLENGE_AUTH, which must end
 * exactly at the end of the transcript.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_m1m2_walk(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		 size_t hash_len, size_t *chal, size_t *auth, char *err,
		 size_t errlen)
{
	size_t p = start, req_len, n;
	uint8_t code, mask;
	unsigned int i;

	for (;;) {
		if (len - p < 4)
			return sv_errf(err, errlen,
				       "the transcript ends at %zu without a CHALLENGE",
				       len);
		if (t[p] != ver)
			return sv_errf(err, errlen,
				       "message at %zu has version %02x, not %02x",
				       p, t[p], ver);
		code = t[p + 1];
		switch (code) {
		case SPDM_GET_DIGESTS:
			p += 4;
			if (rsp_at(t, len, p, ver, SPDM_DIGESTS, 4, err, errlen))
				return -1;
			mask = t[p + 3];
			for (n = 0, i = 0; i < 8; i++)
				n += (mask >> i) & 1;
			n = 4 + n * hash_len;
			if (len - p < n)
				return sv_errf(err, errlen,
					       "DIGESTS at %zu (SlotMask 0x%02x) needs %zu bytes, the transcript has %zu",
					       p, mask, n, len - p);
			p += n;
			break;
		case SPDM_GET_CERTIFICATE:
			if (cert_pair(t, len, &p, ver, err, errlen))
				return -1;
			break;
		case SV_CHALLENGE:
			req_len = SV_CHALLENGE_REQ_LEN +
				  (ver >= 0x13 ? SV_REQ_CONTEXT_LEN : 0);
			if (len - p < req_len)
				return sv_errf(err, errlen,
					       "CHALLENGE at %zu truncated", p);
			*chal = p;
			*auth = p + req_len;
			n = 4 + hash_len + SV_NONCE_LEN +
			    (t[p + 3] ? hash_len : 0);
			if (rsp_at(t, len, *auth, ver, SV_CHALLENGE_AUTH,
				   n + 2, err, errlen))
				return -1;
			if (sv_le16(t + *auth + n) > SV_MAX_OPAQUE)
				return sv_errf(err, errlen,
					       "CHALLENGE_AUTH OpaqueDataLength %u exceeds %u",
					       sv_le16(t + *auth + n), SV_MAX_OPAQUE);
			n += 2 + sv_le16(t + *auth + n) +
			     (ver >= 0x13 ? SV_REQ_CONTEXT_LEN : 0);
			if (len - *auth != n)
				return sv_errf(err, errlen,
					       "CHALLENGE_AUTH at %zu has %zu bytes, the transcript %zu more",
					       *auth, n, len - *auth);
			return 0;
		default:
			return sv_errf(err, errlen,
				       "%s (code %02x) at %zu: only GET_DIGESTS, GET_CERTIFICATE and CHALLENGE may follow the VCA",
				       code & 0x80 ? "a request" : "a response",
				       code, p);
		}
	}
}

/* ---- L1/L2 --------------------------------------------------------------- */

static int meas_pair(const uint8_t *t, size_t len, size_t p, uint8_t ver,
		     struct sv_meas_msg *m, char *err, size_t errlen)
{
	size_t n, ctx;

	memset(m, 0, sizeof(*m));
	m->req = p;
	if (len - p < 4 || t[p] != ver || t[p + 1] != SV_GET_MEASUREMENTS)
		return sv_errf(err, errlen,
			       "expected GET_MEASUREMENTS (%02x %02x) at %zu, found %s",
			       ver, SV_GET_MEASUREMENTS, p,
			       len - p < 4 ? "the end of the transcript" :
			       msg_name(t[p + 1]));
	m->attrs = t[p + 2];
	m->op = t[p + 3];
	if (m->attrs & ~(ver >= 0x13 ? 0x07 : ver >= 0x12 ? 0x03 : 0x01))
		return sv_errf(err, errlen,
			       "GET_MEASUREMENTS at %zu: reserved attribute bits 0x%02x",
			       p, m->attrs);
	n = 4;
	if (m->attrs & MEAS_ATTR_SIG)
		n += SV_NONCE_LEN + (ver >= 0x11 ? 1 : 0);
	ctx = n;
	n += ver >= 0x13 ? SV_REQ_CONTEXT_LEN : 0;
	if (len - p < n)
		return sv_errf(err, errlen,
			       "GET_MEASUREMENTS at %zu needs %zu bytes, the transcript has %zu",
			       p, n, len - p);
	if ((m->attrs & MEAS_ATTR_SIG) && ver >= 0x11)
		m->slot_param = t[p + 4 + SV_NONCE_LEN];
	m->req_len = n;
	p += n;
	m->rsp = p;
	if (rsp_at(t, len, p, ver, SV_MEASUREMENTS, MEAS_RSP_HDR_LEN, err,
		   errlen))
		return -1;
	m->rsp_param1 = t[p + 2];
	m->rsp_param2 = t[p + 3];
	m->nr_blocks = t[p + 4];
	m->record = p + MEAS_RSP_HDR_LEN;
	m->record_len = sv_le24(t + p + 5);
	n = MEAS_RSP_HDR_LEN + m->record_len + SV_NONCE_LEN + 2;
	if (len - p < n)
		return sv_errf(err, errlen,
			       "MEASUREMENTS at %zu (MeasurementRecordLength %zu) needs %zu bytes up to OpaqueDataLength, the transcript has %zu",
			       p, m->record_len, n, len - p);
	m->nonce = m->record + m->record_len;
	m->opaque_len = sv_le16(t + p + n - 2);
	if (m->opaque_len > SV_MAX_OPAQUE)
		return sv_errf(err, errlen,
			       "MEASUREMENTS at %zu: OpaqueDataLength %zu exceeds %u",
			       p, m->opaque_len, SV_MAX_OPAQUE);
	n += m->opaque_len;
	if (ver >= 0x13) {
		if (len - p < n + SV_REQ_CONTEXT_LEN)
			return sv_errf(err, errlen,
				       "MEASUREMENTS at %zu ends before its RequesterContext",
				       p);
		if (memcmp(t + p + n, t + m->req + ctx, SV_REQ_CONTEXT_LEN))
			return sv_errf(err, errlen,
				       "MEASUREMENTS at %zu: RequesterContext differs from the GET_MEASUREMENTS'",
				       p);
		n += SV_REQ_CONTEXT_LEN;
	}
	if (len - p < n)
		return sv_errf(err, errlen,
			       "MEASUREMENTS at %zu needs %zu bytes, the transcript has %zu",
			       p, n, len - p);
	m->rsp_len = n;
	return 0;
}

/**
 * sv_l1l2_parse() - the GET_MEASUREMENTS/MEASUREMENTS pairs of L1/L2
 * @t: the transcript
 * @len: its size
 * @start: where the first GET_MEASUREMENTS is (the end of the VCA from
 *	SPDM 1.2, else 0)
 * @ver: the negotiated version
 * @l: receives the pairs
 * @err: receives why they do not parse
 * @errlen: size of @err
 *
 * The pairs must fill the transcript exactly; the last request, and
 * only the last, asks for a signature (its response is there without
 * the signature); in SPDM 1.3 each response echoes its request's
 * RequesterContext.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_l1l2_parse(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		  struct sv_l1l2 *l, char *err, size_t errlen)
{
	struct sv_meas_msg *m;
	size_t p = start;

	l->start = start;
	l->n = 0;
	if (p >= len)
		return sv_errf(err, errlen,
			       "no GET_MEASUREMENTS: the transcript ends at %zu",
			       len);
	while (p < len) {
		if (l->n == SV_MAX_MEAS_MSGS)
			return sv_errf(err, errlen,
				       "more than %u GET_MEASUREMENTS requests",
				       SV_MAX_MEAS_MSGS);
		m = &l->msg[l->n];
		if (meas_pair(t, len, p, ver, m, err, errlen))
			return -1;
		p = m->rsp + m->rsp_len;
		if ((m->attrs & MEAS_ATTR_SIG) && p != len)
			return sv_errf(err, errlen,
				       "GET_MEASUREMENTS at %zu asks for a signature but is not the last request (%zu bytes follow its response)",
				       m->req, len - p);
		l->n++;
	}
	m = &l->msg[l->n - 1];
	if (!(m->attrs & MEAS_ATTR_SIG))
		return sv_errf(err, errlen,
			       "the last GET_MEASUREMENTS (at %zu) does not ask for a signature",
			       m->req);
	return 0;
}

/* ---- TH1 ------------------------------------------------------------------ */

#define KE_HDR_LEN		40	/* up to ExchangeData, both messages */

/* KEY_EXCHANGE at @p: header, ExchangeData, OpaqueDataLength, OpaqueData */
static int th1_ke(const uint8_t *t, size_t len, size_t p, uint8_t ver,
		  struct sv_th1 *th, char *err, size_t errlen)
{
	size_t d = th->dhe->len;

	if (rsp_at(t, len, p, ver, SV_KEY_EXCHANGE, KE_HDR_LEN + d + 2, err,
		   errlen))
		return -1;
	th->ke = p;
	th->summary_type = t[p + 2];
	th->slot = t[p + 3];
	th->req_session_id = sv_le16(t + p + 4);
	if (th->summary_type != 0 && th->summary_type != 1 &&
	    th->summary_type != 0xff)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE MeasurementSummaryHashType 0x%02x is reserved",
			       th->summary_type);
	if (th->slot > 7)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE for slot 0x%02x: no certificate chain (provisioned keys are not supported)",
			       th->slot);
	th->req_opaque_len = sv_le16(t + p + KE_HDR_LEN + d);
	if (th->req_opaque_len > SV_MAX_OPAQUE)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE OpaqueDataLength %zu exceeds %u",
			       th->req_opaque_len, SV_MAX_OPAQUE);
	th->ke_len = KE_HDR_LEN + d + 2 + th->req_opaque_len;
	if (len - p < th->ke_len)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE at %zu has %zu bytes of opaque data, the transcript ends first",
			       p, th->req_opaque_len);
	return 0;
}

/* KEY_EXCHANGE_RSP at @p up to its signature, ending the transcript */
static int th1_rsp(const uint8_t *t, size_t len, size_t p, uint8_t ver,
		   size_t hash_len, struct sv_th1 *th, char *err,
		   size_t errlen)
{
	size_t n = KE_HDR_LEN + th->dhe->len +
		   (th->summary_type ? hash_len : 0);

	if (rsp_at(t, len, p, ver, SV_KEY_EXCHANGE_RSP, n + 2, err, errlen))
		return -1;
	th->rsp = p;
	th->rsp_session_id = sv_le16(t + p + 4);
	th->rsp_opaque_len = sv_le16(t + p + n);
	if (th->rsp_opaque_len > SV_MAX_OPAQUE)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE_RSP OpaqueDataLength %zu exceeds %u",
			       th->rsp_opaque_len, SV_MAX_OPAQUE);
	th->rsp_len = n + 2 + th->rsp_opaque_len;
	if (len - p != th->rsp_len)
		return sv_errf(err, errlen,
			       "KEY_EXCHANGE_RSP at %zu has %zu bytes up to its signature, the transcript %zu",
			       p, th->rsp_len, len - p);
	return 0;
}

/**
 * sv_th1_parse() - walk TH1 up to KEY_EXCHANGE_RSP's signature
 * @t: the transcript
 * @len: its size
 * @ver: the negotiated version (1.1 or later)
 * @hash_len: size of the negotiated hash (Hash(CertChain), summary)
 * @th: receives the offsets and fields
 * @err: receives why it does not parse
 * @errlen: size of @err
 *
 * The VCA (its ALGORITHMS selecting a DHE group), Hash(CertChain),
 * KEY_EXCHANGE and KEY_EXCHANGE_RSP without its signature must fill the
 * transcript exactly.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_th1_parse(const uint8_t *t, size_t len, uint8_t ver, size_t hash_len,
		 struct sv_th1 *th, char *err, size_t errlen)
{
	size_t p;

	memset(th, 0, sizeof(*th));
	if (ver < 0x11)
		return sv_errf(err, errlen, "SPDM %u.%u has no KEY_EXCHANGE",
			       ver >> 4, ver & 0xf);
	if (sv_vca_parse(t, len, ver, &th->vca, err, errlen) ||
	    sv_vca_dhe(&th->vca, &th->dhe, err, errlen))
		return -1;
	p = th->vca.len;
	if (len - p < hash_len)
		return sv_errf(err, errlen,
			       "the transcript ends at %zu, in Hash(CertChain) after the VCA",
			       len);
	th->cert_hash = p;
	p += hash_len;
	if (th1_ke(t, len, p, ver, th, err, errlen))
		return -1;
	return th1_rsp(t, len, p + th->ke_len, ver, hash_len, th, err,
		       errlen);
}
