/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Wire formats of the messages the requester exchanges (DSP0274) and of
 * secured messages (DSP0277): codes, flags, sizes and layouts.
 * Multi-byte fields are little endian (DSP0274 sec 7).
 */

#ifndef _LIB_SPDM_WIRE_H_
#define _LIB_SPDM_WIRE_H_

#include <linux/bits.h>
#include <linux/sizes.h>
#include <linux/types.h>

/* SPDMVersion field: major in bits 7:4, minor in bits 3:0 */
#define SPDM_VER_10		0x10
#define SPDM_VER_11		0x11
#define SPDM_VER_12		0x12
#define SPDM_VER_13		0x13
#define SPDM_VER_14		0x14
#define SPDM_MIN_VER		SPDM_VER_10
#define SPDM_MAX_VER		SPDM_VER_14

/* Request codes (DSP0274 table 4) and response codes (table 5) */
#define SPDM_REQ		0x80
#define SPDM_GET_DIGESTS	0x81
#define SPDM_GET_CERTIFICATE	0x82
#define SPDM_CHALLENGE		0x83
#define SPDM_GET_VERSION	0x84
#define SPDM_GET_MEASUREMENTS	0xe0
#define SPDM_GET_CAPABILITIES	0xe1
#define SPDM_NEGOTIATE_ALGS	0xe3
#define SPDM_KEY_EXCHANGE	0xe4
#define SPDM_FINISH		0xe5
#define SPDM_HEARTBEAT		0xe8
#define SPDM_KEY_UPDATE		0xe9
#define SPDM_END_SESSION	0xec
#define SPDM_CHUNK_GET		0x86
#define SPDM_RESPOND_IF_READY	0xff

#define SPDM_DIGESTS		0x01
#define SPDM_CERTIFICATE	0x02
#define SPDM_CHALLENGE_AUTH	0x03
#define SPDM_VERSION		0x04
#define SPDM_MEASUREMENTS	0x60
#define SPDM_CAPABILITIES	0x61
#define SPDM_ALGORITHMS		0x63
#define SPDM_KEY_EXCHANGE_RSP	0x64
#define SPDM_FINISH_RSP		0x65
#define SPDM_HEARTBEAT_ACK	0x68
#define SPDM_KEY_UPDATE_ACK	0x69
#define SPDM_END_SESSION_ACK	0x6c
#define SPDM_CHUNK_RESPONSE	0x06
#define SPDM_ERROR		0x7f

/* ErrorCode values (DSP0274 table 58) handled by the requester */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_INVALID_SESSION	0x02
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_DECRYPT_ERROR		0x06
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_LARGE_RESPONSE		0x0f
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43

#define SPDM_SLOTS		8	/* SPDM 1.0 to 1.4 */
#define SPDM_NONCE_SZ		32
#define SPDM_REQ_CONTEXT_SZ	8	/* RequesterContext, SPDM 1.3 */
#define SPDM_PREFIX_SZ		64	/* "dmtf-spdm-v1.N.*" four times */
#define SPDM_COMBINED_PREFIX_SZ	100
/* Signing contexts of CHALLENGE_AUTH and MEASUREMENTS, SPDM 1.2+ */
#define SPDM_CHALLENGE_CONTEXT	"responder-challenge_auth signing"
#define SPDM_MEASUREMENTS_CONTEXT	"responder-measurements signing"
#define SPDM_MAX_OPAQUE_DATA	1024
#define SPDM_MAX_CERT_CHAIN_SZ	65535
#define SPDM_MAX_HASH_SZ	64	/* SHA-512 */
#define SPDM_MAX_SIG_SZ		4627	/* ML-DSA-87 */

/*
 * Transports pad messages (DOE to a dword multiple), so a response may be
 * up to SPDM_TRANSPORT_PAD - 1 bytes longer than its fields say.  Response
 * buffers carry SPDM_RSP_SLACK spare bytes to notice anything longer.
 */
#define SPDM_TRANSPORT_PAD	4
#define SPDM_RSP_SLACK		8

/* CTExponent is log2 of microseconds; ST1 is 100 ms (DSP0274 table 19) */
#define SPDM_ST1_US		100000

struct spdm_header {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
} __packed;

/* VersionNumberEntry, DSP0274 table 9 */
#define SPDM_VER_ENTRY_MAJOR	GENMASK(15, 12)
#define SPDM_VER_ENTRY_MINOR	GENMASK(11, 8)
#define SPDM_VER_ENTRY_UPDATE	GENMASK(7, 4)
#define SPDM_VER_ENTRY_ALPHA	GENMASK(3, 0)

struct spdm_get_version_rsp {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
	u8 reserved;
	u8 version_number_entry_count;
	__le16 version_number_entries[] __counted_by(version_number_entry_count);
} __packed;

/* ERROR response (DSP0274 table 58): Param1 is the ErrorCode */
struct spdm_error_rsp {
	u8 version;
	u8 code;
	u8 error_code;
	u8 error_data;
	u8 extended_error_data[];
} __packed;

/* Capability flags (DSP0274 table 11 and 12) */
#define SPDM_CACHE_CAP		BIT(0)
#define SPDM_CERT_CAP		BIT(1)
#define SPDM_CHAL_CAP		BIT(2)
#define SPDM_MEAS_CAP_MASK	GENMASK(4, 3)
#define SPDM_MEAS_CAP_NOSIG	1
#define SPDM_MEAS_CAP_SIG	2
#define SPDM_MEAS_FRESH_CAP	BIT(5)
#define SPDM_ENCRYPT_CAP	BIT(6)
#define SPDM_MAC_CAP		BIT(7)
#define SPDM_MUT_AUTH_CAP	BIT(8)
#define SPDM_KEY_EX_CAP		BIT(9)
#define SPDM_PSK_CAP_MASK	GENMASK(11, 10)
#define SPDM_ENCAP_CAP		BIT(12)
#define SPDM_HBEAT_CAP		BIT(13)
#define SPDM_KEY_UPD_CAP	BIT(14)
#define SPDM_HANDSHAKE_ITC_CAP	BIT(15)
#define SPDM_PUB_KEY_ID_CAP	BIT(16)
#define SPDM_CHUNK_CAP		BIT(17)

/* Responder capabilities the requester needs for authentication */
#define SPDM_RSP_MIN_CAPS	(SPDM_CERT_CAP | SPDM_CHAL_CAP)

/* Requester capabilities for secure sessions (SPDM 1.1+) */
#define SPDM_REQ_SESSION_CAPS	(SPDM_ENCRYPT_CAP | SPDM_MAC_CAP | \
				 SPDM_KEY_EX_CAP | SPDM_HBEAT_CAP | \
				 SPDM_KEY_UPD_CAP)

/*
 * GET_CAPABILITIES request and CAPABILITIES response share a layout.  The
 * request is 4 bytes in 1.0 and 12 bytes in 1.1; the response is 12 bytes
 * up to 1.1.  From 1.2 both are 20 bytes (DataTransferSize,
 * MaxSPDMmsgSize).
 */
struct spdm_capabilities {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
	/* SPDM 1.1 (response: 1.0) */
	u8 reserved1;
	u8 ctexponent;
	__le16 ext_flags;	/* SPDM 1.4, none used here */
	__le32 flags;
	/* SPDM 1.2 */
	__le32 data_transfer_size;
	__le32 max_spdm_msg_size;
} __packed;

#define SPDM_MIN_DATA_TRANSFER_SIZE	42	/* SPDM 1.2 */
#define SPDM_REQ_MAX_MSG_SZ		SZ_64K	/* our DataTransferSize cap */

/* BaseAsymAlgo (DSP0274 table 15) */
#define SPDM_ASYM_RSASSA_2048		BIT(0)
#define SPDM_ASYM_RSAPSS_2048		BIT(1)
#define SPDM_ASYM_RSASSA_3072		BIT(2)
#define SPDM_ASYM_RSAPSS_3072		BIT(3)
#define SPDM_ASYM_ECDSA_ECC_NIST_P256	BIT(4)
#define SPDM_ASYM_RSASSA_4096		BIT(5)
#define SPDM_ASYM_RSAPSS_4096		BIT(6)
#define SPDM_ASYM_ECDSA_ECC_NIST_P384	BIT(7)
#define SPDM_ASYM_ECDSA_ECC_NIST_P521	BIT(8)

#define SPDM_ASYM_RSASSA	(SPDM_ASYM_RSASSA_2048 | SPDM_ASYM_RSASSA_3072 | \
				 SPDM_ASYM_RSASSA_4096)
#define SPDM_ASYM_ECDSA		(SPDM_ASYM_ECDSA_ECC_NIST_P256 | \
				 SPDM_ASYM_ECDSA_ECC_NIST_P384 | \
				 SPDM_ASYM_ECDSA_ECC_NIST_P521)
#define SPDM_ASYM_ALGOS		(SPDM_ASYM_RSASSA | SPDM_ASYM_ECDSA)

/* PqcAsymAlgo (DSP0274 1.4): ML-DSA, FIPS 204 */
#define SPDM_PQC_ASYM_ML_DSA_44		BIT(0)
#define SPDM_PQC_ASYM_ML_DSA_65		BIT(1)
#define SPDM_PQC_ASYM_ML_DSA_87		BIT(2)
#define SPDM_PQC_ASYM_ALGOS	(SPDM_PQC_ASYM_ML_DSA_44 | \
				 SPDM_PQC_ASYM_ML_DSA_65 | \
				 SPDM_PQC_ASYM_ML_DSA_87)

/* BaseHashAlgo (DSP0274 table 15) */
#define SPDM_HASH_SHA_256	BIT(0)
#define SPDM_HASH_SHA_384	BIT(1)
#define SPDM_HASH_SHA_512	BIT(2)
#define SPDM_HASH_ALGOS		(SPDM_HASH_SHA_256 | SPDM_HASH_SHA_384 | \
				 SPDM_HASH_SHA_512)

/* MeasurementSpecification */
#define SPDM_MEAS_SPEC_DMTF	BIT(0)

/* MeasurementHashAlgo (DSP0274 table 16) */
#define SPDM_MEAS_HASH_RAW	BIT(0)
#define SPDM_MEAS_HASH_SHA_256	BIT(1)
#define SPDM_MEAS_HASH_SHA_384	BIT(2)
#define SPDM_MEAS_HASH_SHA_512	BIT(3)
#define SPDM_MEAS_HASH_SHA3_256	BIT(4)
#define SPDM_MEAS_HASH_SHA3_384	BIT(5)
#define SPDM_MEAS_HASH_SHA3_512	BIT(6)
#define SPDM_MEAS_HASH_SM3_256	BIT(7)
#define SPDM_MEAS_HASH_ALGOS	GENMASK(7, 0)

/* OtherParamsSupport: opaque data format (SPDM 1.2) */
#define SPDM_OPAQUE_DATA_FMT_GENERAL	BIT(1)

struct spdm_negotiate_algs_req {
	u8 version;
	u8 code;
	u8 param1;	/* number of ReqAlgStruct (1.1+) */
	u8 param2;
	__le16 length;
	u8 measurement_specification;
	u8 other_params_support;	/* SPDM 1.2 */
	__le32 base_asym_algo;
	__le32 base_hash_algo;
	__le32 pqc_asym_algo;		/* SPDM 1.4 */
	u8 reserved1[8];
	u8 ext_asym_count;
	u8 ext_hash_count;
	u8 reserved2;
	u8 mel_specification;		/* SPDM 1.3 */
} __packed;

struct spdm_negotiate_algs_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* number of RespAlgStruct (1.1+) */
	u8 param2;
	__le16 length;
	u8 measurement_specification_sel;
	u8 other_params_sel;		/* SPDM 1.2 */
	__le32 measurement_hash_algo;
	__le32 base_asym_sel;
	__le32 base_hash_sel;
	__le32 pqc_asym_sel;		/* SPDM 1.4 */
	u8 reserved1[7];
	u8 mel_specification_sel;	/* SPDM 1.3 */
	u8 ext_asym_sel_count;
	u8 ext_hash_sel_count;
	u8 reserved2[2];
} __packed;

/* Extended algorithm (DSP0274 table 17), only skipped over */
#define SPDM_EXT_ALG_SZ		4

/* AlgStructure (DSP0274 table 18) */
struct spdm_alg_struct {
	u8 alg_type;
	u8 alg_count;	/* bits 7:4 fixed byte count, 3:0 ext count */
	__le16 alg_supported;
} __packed;

#define SPDM_ALG_FIXED_COUNT	GENMASK(7, 4)
#define SPDM_ALG_EXT_COUNT	GENMASK(3, 0)

/* AlgType of AlgStructures (DSP0274 1.3 table 19 ff.) */
#define SPDM_ALG_TYPE_DHE	2
#define SPDM_ALG_TYPE_AEAD	3
#define SPDM_ALG_TYPE_REQ_ASYM	4
#define SPDM_ALG_TYPE_KEY_SCHED	5
#define SPDM_ALG_TYPE_REQ_PQC_ASYM	6	/* SPDM 1.4 */
#define SPDM_ALG_TYPE_KEM	7	/* SPDM 1.4 */

/* DHE named groups */
#define SPDM_DHE_SECP256R1	BIT(3)
#define SPDM_DHE_SECP384R1	BIT(4)
#define SPDM_DHE_ALGOS		(SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1)

/* AEAD cipher suites */
#define SPDM_AEAD_AES_128_GCM	BIT(0)
#define SPDM_AEAD_AES_256_GCM	BIT(1)
#define SPDM_AEAD_CHACHA20_POLY1305 BIT(2)
#define SPDM_AEAD_ALGOS		(SPDM_AEAD_AES_128_GCM | SPDM_AEAD_AES_256_GCM | \
				 SPDM_AEAD_CHACHA20_POLY1305)

/* KeySchedule: the SPDM key schedule */
#define SPDM_KEY_SCHED_SPDM	BIT(0)

struct spdm_get_digests_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* SupportedSlotMask (1.3) */
	u8 param2;	/* ProvisionedSlotMask */
	u8 digests[];	/* H bytes per provisioned slot */
} __packed;

struct spdm_get_certificate_req {
	u8 version;
	u8 code;
	u8 param1;	/* bits 3:0 SlotID */
	u8 param2;
	__le16 offset;
	__le16 length;
} __packed;

struct spdm_get_certificate_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* bits 3:0 SlotID */
	u8 param2;
	__le16 portion_length;
	__le16 remainder_length;
	u8 cert_chain[];
} __packed;

#define SPDM_SLOT_ID_MASK	0x0f

/*
 * Certificate chain format (DSP0274 table 33).  Length is 32 bits from
 * SPDM 1.4 on; up to 1.3 it is the low 16 bits, the upper two bytes
 * reserved.
 */
struct spdm_cert_chain {
	__le32 length;
	u8 root_hash[];	/* H bytes, then the DER certificates */
} __packed;

struct spdm_challenge_req {
	u8 version;
	u8 code;
	u8 param1;	/* SlotID */
	u8 param2;	/* MeasurementSummaryHashType */
	u8 nonce[SPDM_NONCE_SZ];
	u8 context[SPDM_REQ_CONTEXT_SZ];	/* SPDM 1.3 */
} __packed;

#define SPDM_MEAS_SUMMARY_NONE	0x00
#define SPDM_MEAS_SUMMARY_TCB	0x01
#define SPDM_MEAS_SUMMARY_ALL	0xff

/*
 * CHALLENGE_AUTH response: after the header come CertChainHash (H),
 * Nonce (32), MeasurementSummaryHash (H or 0), OpaqueDataLength (2),
 * OpaqueData, RequesterContext (8, SPDM 1.3), Signature (S).
 */
struct spdm_challenge_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* bits 3:0 SlotID */
	u8 param2;	/* SlotMask */
	u8 cert_chain_hash[];
} __packed;

/*
 * GET_MEASUREMENTS request (DSP0274 sec 10.11): after the header come, if
 * a signature is requested, Nonce (32) and SlotIDParam (1, SPDM 1.1+),
 * then RequesterContext (8, SPDM 1.3) in any case.
 */
#define SPDM_MEAS_ATTR_SIG	BIT(0)	/* Param1: SignatureRequested */
#define SPDM_MEAS_OP_COUNT	0x00	/* Param2: number of indices */
#define SPDM_MEAS_OP_ALL	0xff	/* Param2: all measurements */
#define SPDM_MEAS_REQ_MAX_SZ	(sizeof(struct spdm_header) + \
				 SPDM_NONCE_SZ + 1 + SPDM_REQ_CONTEXT_SZ)

/*
 * MEASUREMENTS response: after the fixed part come MeasurementRecord,
 * Nonce (32), OpaqueDataLength (2), OpaqueData, RequesterContext (8,
 * SPDM 1.3) and the Signature if one was requested.
 */
struct spdm_measurements_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* TotalNumberOfMeasurementIndices (operation 0) */
	u8 param2;	/* bits 3:0 SlotIDParam, 5:4 ContentChanged (1.2) */
	u8 number_of_blocks;
	u8 record_length[3];
	u8 record[];
} __packed;

/* Measurement block (DSP0274 table 45) with a DMTF measurement (table 46) */
struct spdm_meas_block {
	u8 index;
	u8 spec;
	__le16 size;		/* of the DMTF measurement below */
	u8 value_type;		/* DMTFSpecMeasurementValueType */
	__le16 value_size;
	u8 value[];
} __packed;

#define SPDM_MEAS_BLOCK_HDR_SZ	4	/* Index, Spec, MeasurementSize */
#define SPDM_MEAS_DMTF_HDR_SZ	3	/* ValueType, ValueSize */
#define SPDM_MEAS_VALUE_RAW	BIT(7)	/* raw bit stream, else digest */
#define SPDM_MEAS_VALUE_TYPE	GENMASK(6, 0)

/* Secure sessions (DSP0274 sec 10.17 ff., DSP0277) */
#define SPDM_RANDOM_SZ		32	/* RandomData of KEY_EXCHANGE(_RSP) */
#define SPDM_MAX_DHE_SZ		96	/* secp384r1 X || Y */
#define SPDM_AEAD_MAX_KEY_SZ	32
#define SPDM_AEAD_IV_SZ		12
#define SPDM_AEAD_TAG_SZ	16
#define SPDM_KEY_EXCHANGE_CONTEXT	"responder-key_exchange_rsp signing"
/* DSP0277 secured message versions (VersionNumberEntry) */
#define SPDM_SECURED_VER_10	0x1000
#define SPDM_SECURED_VER_11	0x1100
#define SPDM_SECURED_VER_12	0x1200

/*
 * KEY_EXCHANGE request (DSP0274 1.3 table 68): after the fixed part come
 * ExchangeData (D), OpaqueDataLength (2) and OpaqueData.
 */
struct spdm_key_exchange_req {
	u8 version;
	u8 code;
	u8 param1;	/* MeasurementSummaryHashType */
	u8 param2;	/* SlotID */
	__le16 req_session_id;
	u8 session_policy;	/* SPDM 1.2 */
	u8 reserved;
	u8 random_data[SPDM_RANDOM_SZ];
	u8 exchange_data[];
} __packed;

/*
 * KEY_EXCHANGE_RSP: after the fixed part come ExchangeData (D),
 * MeasurementSummaryHash (H if requested), OpaqueDataLength (2),
 * OpaqueData, Signature (S) and ResponderVerifyData (H).
 */
struct spdm_key_exchange_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* HeartbeatPeriod */
	u8 param2;
	__le16 rsp_session_id;
	u8 mut_auth_requested;
	u8 req_slot_id_param;
	u8 random_data[SPDM_RANDOM_SZ];
	u8 exchange_data[];
} __packed;

/* KEY_UPDATE operations (DSP0274 1.3 table 98) */
#define SPDM_KEY_UPDATE_KEY		1
#define SPDM_KEY_UPDATE_ALL_KEYS	2
#define SPDM_KEY_UPDATE_VERIFY		3

/**
 * spdm_session_id() - the SessionID of a KEY_EXCHANGE
 * @req_session_id: ReqSessionID of KEY_EXCHANGE
 * @rsp_session_id: RspSessionID of KEY_EXCHANGE_RSP
 *
 * DSP0274: the session ID is ReqSessionID concatenated with RspSessionID.
 * DSP0277 sends it as a little-endian u32, ReqSessionID's bytes first, so
 * RspSessionID is the upper half of the number.
 *
 * Return: the SessionID as a number.
 */
static inline u32 spdm_session_id(u16 req_session_id, u16 rsp_session_id)
{
	return (u32)rsp_session_id << 16 | req_session_id;
}

#endif /* _LIB_SPDM_WIRE_H_ */
