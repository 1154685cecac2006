/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Requester-internal definitions: wire formats and the device state.
 * Multi-byte fields are little endian (DSP0274 sec 7).
 */

#ifndef _LIB_SPDM_H_
#define _LIB_SPDM_H_

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spdm.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/spdm_netlink.h>

struct crypto_aead;
struct crypto_shash;
struct device;
struct key;
struct public_key;
struct shash_desc;
struct spdm_meas_dir;
struct spdm_sig_log;

/* SPDMVersion field: major in bits 7:4, minor in bits 3:0 */
#define SPDM_VER_10		0x10
#define SPDM_VER_11		0x11
#define SPDM_VER_12		0x12
#define SPDM_VER_13		0x13
#define SPDM_MIN_VER		SPDM_VER_10
#define SPDM_MAX_VER		SPDM_VER_13

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

#define SPDM_SLOTS		8	/* SPDM 1.0 to 1.3 */
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
#define SPDM_MAX_SIG_SZ		512	/* RSA 4096 */

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
	u16 reserved2;
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
	u8 reserved1[12];
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
	u8 reserved1[11];
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

/* Certificate chain format (DSP0274 table 33) */
struct spdm_cert_chain {
	__le16 length;
	u8 reserved[2];
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

/**
 * struct spdm_meas_fields - offsets into a MEASUREMENTS response
 * @record_len: MeasurementRecordLength
 * @nonce: responder nonce
 * @opaque: OpaqueDataLength, followed by OpaqueData
 * @opaque_len: size of OpaqueData
 * @context: RequesterContext (SPDM 1.3)
 * @sig: signature, if one was requested
 * @len: size of the response
 */
struct spdm_meas_fields {
	size_t record_len;
	size_t nonce;
	size_t opaque;
	size_t opaque_len;
	size_t context;
	size_t sig;
	size_t len;
};

/**
 * struct spdm_transcript - messages a signature is to cover
 * @data: the messages, one after the other, as exchanged
 * @len: bytes used in @data
 * @max: bytes allocated for @data
 */
struct spdm_transcript {
	u8 *data;
	size_t len;
	size_t max;
};

/**
 * struct spdm_evidence - a signature and what a verifier needs to check it
 * @type: exchange the signature belongs to (&enum spdm_sig_type)
 * @context: signing context of the combined prefix (SPDM 1.2+)
 * @transcript: the messages the signature covers, without the signature
 * @transcript_len: size of @transcript
 * @sig: the signature as received (&spdm_state.sig_len bytes)
 * @req_nonce_off: offset of the requester nonce in @transcript
 * @rsp_nonce_off: offset of the responder nonce in @transcript
 * @slot: slot whose leaf key signed
 * @received: the fields are set
 * @valid: @sig verified with the leaf key of @slot
 */
struct spdm_evidence {
	enum spdm_sig_type type;
	const char *context;
	const u8 *transcript;
	size_t transcript_len;
	u8 sig[SPDM_MAX_SIG_SZ];
	size_t req_nonce_off;
	size_t rsp_nonce_off;
	u8 slot;
	bool received;
	bool valid;
};

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

/**
 * struct spdm_key_exchange_fields - offsets into a KEY_EXCHANGE_RSP
 * @meas_summary: MeasurementSummaryHash (absent if not requested)
 * @opaque: OpaqueData, preceded by its 2-byte length
 * @opaque_len: size of OpaqueData
 * @sig: signature
 * @verify: ResponderVerifyData
 * @len: size of the response
 */
struct spdm_key_exchange_fields {
	size_t meas_summary;
	size_t opaque;
	size_t opaque_len;
	size_t sig;
	size_t verify;
	size_t len;
};

/* KEY_UPDATE operations (DSP0274 1.3 table 98) */
#define SPDM_KEY_UPDATE_KEY		1
#define SPDM_KEY_UPDATE_ALL_KEYS	2
#define SPDM_KEY_UPDATE_VERIFY		3

/**
 * struct spdm_session_keys - traffic keys of one direction
 * @secret: the direction's major secret
 * @key: AEAD key derived from @secret
 * @iv: AEAD IV base derived from @secret
 * @seq: sequence number of the next record
 */
struct spdm_session_keys {
	u8 secret[SPDM_MAX_HASH_SZ];
	u8 key[SPDM_AEAD_MAX_KEY_SZ];
	u8 iv[SPDM_AEAD_IV_SZ];
	u64 seq;
};

/**
 * struct spdm_session - a secure session with the device
 * @id: SessionID, RspSessionID << 16 | ReqSessionID (ReqSessionID first on the wire)
 * @established: FINISH_RSP received, data keys in use
 * @mac_only: records are authenticated, not encrypted
 * @heartbeat_period: HeartbeatPeriod of KEY_EXCHANGE_RSP (seconds)
 * @secured_version: DSP0277 version selected, 0 if the device chose none
 * @hmac: HMAC with the negotiated hash, for the key schedule
 * @aead_req: AEAD keyed with @req.key
 * @aead_rsp: AEAD keyed with @rsp.key
 * @handshake_secret: handshake secret (until FINISH_RSP)
 * @req_finished: requester finished key (until FINISH_RSP)
 * @rsp_finished: responder finished key (until FINISH_RSP)
 * @req: keys of requests
 * @rsp: keys of responses
 * @th: transcript TH1, then TH2 (until FINISH_RSP)
 * @start: when KEY_EXCHANGE was sent
 */
struct spdm_session {
	u32 id;
	bool established;
	bool mac_only;
	u8 heartbeat_period;
	u16 secured_version;
	struct crypto_shash *hmac;
	struct crypto_aead *aead_req;
	struct crypto_aead *aead_rsp;
	u8 handshake_secret[SPDM_MAX_HASH_SZ];
	u8 req_finished[SPDM_MAX_HASH_SZ];
	u8 rsp_finished[SPDM_MAX_HASH_SZ];
	struct spdm_session_keys req;
	struct spdm_session_keys rsp;
	struct spdm_transcript th;
	ktime_t start;
};

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

/**
 * enum spdm_session_state - what became of the last secure session
 * @SPDM_SESSION_NONE: none tried: the device, the transport or the
 *	negotiated algorithms allow none
 * @SPDM_SESSION_ESTABLISHED: established (FINISH_RSP received)
 * @SPDM_SESSION_ENDED: ended with END_SESSION (a request, or before
 *	re-authentication or removal)
 * @SPDM_SESSION_REFUSED: the device refused the handshake with an ERROR,
 *	or asked for what the kernel does not offer; authentication stands
 * @SPDM_SESSION_FAILED: a transport error or a missing or late answer
 *	ended the handshake or the session; authentication stands
 * @SPDM_SESSION_REJECTED: the handshake or a secured response failed a
 *	cryptographic or consistency check; the device is not authenticated
 */
enum spdm_session_state {
	SPDM_SESSION_NONE,
	SPDM_SESSION_ESTABLISHED,
	SPDM_SESSION_ENDED,
	SPDM_SESSION_REFUSED,
	SPDM_SESSION_FAILED,
	SPDM_SESSION_REJECTED,
};

#define SPDM_SESSION_REASON_SZ	128

/**
 * struct spdm_state - SPDM state of one device
 * @lock: serializes exchanges with the device and access to the fields
 * @dev: device the state belongs to
 * @transport: transport callback
 * @transport_priv: transport private data
 * @transport_sz: largest message the transport carries (bytes)
 * @secured_transport: transport of secured messages, %NULL if none
 * @keyring: trusted root certificates (e.g. the .cma keyring)
 * @validate: bus-specific leaf certificate check, may be %NULL
 * @auth_result: outcome of the last authentication: 0 authenticated,
 *	-EOPNOTSUPP device does not support it, another errno on failure
 * @version: negotiated SPDM version, 0 before GET_VERSION succeeded
 * @rsp_caps: responder capability flags
 * @ct_us: cryptographic timeout of the responder (2^CTExponent us)
 * @rsp_data_transfer_sz: responder's DataTransferSize (1.2+)
 * @rsp_max_msg_sz: responder's MaxSPDMmsgSize (1.2+)
 * @base_asym_alg: selected BaseAsymAlgo (one bit)
 * @base_hash_alg: selected BaseHashAlgo (one bit)
 * @meas_hash_alg: selected MeasurementHashAlgo
 * @meas_spec: selected MeasurementSpecification
 * @other_params: selected OtherParams (opaque data format)
 * @base_asym_name: name of @base_asym_alg for messages
 * @base_asym_enc: signature encoding for the kernel's verifier
 * @base_hash_name: crypto API name of the hash ("sha256", ...)
 * @sig_len: signature size of @base_asym_alg
 * @hash_len: digest size of @base_hash_alg
 * @shash: hash transform of @base_hash_alg
 * @dhe_alg: selected DHE group, 0 if none
 * @aead_alg: selected AEAD suite, 0 if none
 * @key_sched_alg: selected KeySchedule, 0 if none
 * @dhe_name: name of @dhe_alg for sysfs and messages
 * @dhe_kpp: crypto API name of the ECDH of @dhe_alg
 * @dhe_len: size of the ExchangeData of @dhe_alg (X || Y)
 * @aead_name: name of @aead_alg for sysfs and messages
 * @aead_crypto: crypto API name of @aead_alg
 * @aead_key_len: key size of @aead_alg
 * @session: the secure session, %NULL if none
 * @heartbeat_work: sends HEARTBEAT when the device asked for it
 * @auth_work: authentication in the background (spdm_authenticate_async())
 * @first_auth: completed when the first authentication has a result
 * @auth_done: called after the background authentication, may be %NULL
 * @ke_ev: evidence of the last KEY_EXCHANGE_RSP
 * @ke_th1: TH1 up to the signature of KEY_EXCHANGE_RSP (@ke_ev)
 * @ke_session_id: SessionID the last KEY_EXCHANGE opened
 * @ke_verify_valid: its ResponderVerifyData matched
 * @ke_finish_valid: FINISH was accepted: that session was established
 * @rsp_error: ErrorCode of the last ERROR response, 0 if none
 * @transport_rc: errno of the last transport error or late answer since
 *	it was last cleared, 0 if none
 * @session_state: what became of the last session
 * @session_rc: errno that goes with @session_state, 0 if none
 * @session_reason: why @session_state, for sysfs; empty if established
 * @supported_slots: slots the responder supports (1.3, else all), as
 *	last reported

 * @provisioned_slots: slots holding a certificate chain
 * @slot: certificate chain of each slot (DSP0274 table 33 format)
 * @slot_sz: size of each @slot
 * @slot_digest: digest of each slot's chain from the DIGESTS response
 * @leaf_key: public key of the leaf certificate of @chal_slot
 * @chal_slot: slot used for CHALLENGE
 * @chain_anchored: the chain of @chal_slot leads to a key in @keyring
 * @transcript: messages exchanged since GET_VERSION (M1 of CHALLENGE)
 * @vca_len: length of the VCA messages at the start of @transcript
 * @req_slot: slot a verifier asked to challenge, or -1 for any
 * @req_nonce: nonce a verifier asked to be signed, or %NULL for a random one
 * @chal_ev: evidence of the last CHALLENGE_AUTH
 * @meas_ev: evidence of the last signed MEASUREMENTS
 * @meas_l1l2: L1/L2 transcript of the measurements (@meas_ev)
 * @meas_summary: MeasurementSummaryHash of the last CHALLENGE_AUTH
 * @meas_summary_set: @meas_summary was received and not yet compared
 * @meas_hash_len: digest size of @meas_hash_alg, 0 for raw bit streams
 * @meas_record: measurement blocks of the last complete signed (or, for
 *	devices that cannot sign them, summary-checked) read, as received
 * @meas_record_len: size of @meas_record
 * @meas_dir: the "measurements" sysfs directory, %NULL if not shown
 * @list: entry in the list of SPDM devices
 * @kref: references from the list and from netlink requests
 * @dead: the device is going away; no more exchanges
 * @exchanges: request/response pairs since the last reset
 * @bytes_sent: request bytes since the last reset
 * @bytes_received: response bytes since the last reset
 * @sig_log: log of the signatures received, shown in sysfs; allocated
 *	with the first signature or sysfs registration
 */
struct spdm_state {
	struct mutex lock;	/* serializes exchanges, guards all below */
	int auth_result;

	/* Transport */
	struct device *dev;
	spdm_transport *transport;
	void *transport_priv;
	u32 transport_sz;
	spdm_transport *secured_transport;
	struct key *keyring;
	spdm_validate *validate;

	/* Negotiated state */
	u8 version;
	u32 rsp_caps;
	u32 ct_us;
	u32 rsp_data_transfer_sz;
	u32 rsp_max_msg_sz;
	u32 base_asym_alg;
	u32 base_hash_alg;
	u32 meas_hash_alg;
	u8 meas_spec;
	u8 other_params;
	const char *base_asym_name;
	const char *base_asym_enc;
	const char *base_hash_name;
	size_t sig_len;
	size_t hash_len;
	struct crypto_shash *shash;
	u16 dhe_alg;
	u16 aead_alg;
	u16 key_sched_alg;
	const char *dhe_name;
	const char *dhe_kpp;
	size_t dhe_len;
	const char *aead_name;
	const char *aead_crypto;
	size_t aead_key_len;

	/* Secure session */
	struct spdm_session *session;
	struct delayed_work heartbeat_work;
	struct work_struct auth_work;
	struct completion first_auth;
	spdm_done_cb *auth_done;
	struct spdm_evidence ke_ev;
	struct spdm_transcript ke_th1;
	u32 ke_session_id;
	bool ke_verify_valid;
	bool ke_finish_valid;
	u8 rsp_error;
	int transport_rc;
	enum spdm_session_state session_state;
	int session_rc;
	char session_reason[SPDM_SESSION_REASON_SZ];

	/* Certificates */
	u8 supported_slots;
	u8 provisioned_slots;
	u8 *slot[SPDM_SLOTS];
	size_t slot_sz[SPDM_SLOTS];
	u8 slot_digest[SPDM_SLOTS][SPDM_MAX_HASH_SZ];
	struct public_key *leaf_key;
	u8 chal_slot;
	bool chain_anchored;

	/* Transcript and evidence of the signatures */
	struct spdm_transcript transcript;
	size_t vca_len;
	int req_slot;
	const u8 *req_nonce;
	struct spdm_evidence chal_ev;
	struct spdm_evidence meas_ev;

	/* Measurements */
	struct spdm_transcript meas_l1l2;
	u8 meas_summary[SPDM_MAX_HASH_SZ];
	bool meas_summary_set;
	size_t meas_hash_len;
	u8 *meas_record;
	size_t meas_record_len;
	struct spdm_meas_dir *meas_dir;

	/* Registration */
	struct list_head list;
	struct kref kref;
	bool dead;

	/* Statistics of the current authentication */
	unsigned int exchanges;
	size_t bytes_sent;
	size_t bytes_received;

	/* Signature log */
	struct spdm_sig_log *sig_log;
};

/* core.c */
/**
 * typedef spdm_xfer_fn - send one SPDM message, receive the answer
 * @spdm_state: SPDM state of the device
 * @req: request message
 * @req_sz: size of @req
 * @rsp: buffer for the response message
 * @rsp_sz: size of @rsp
 *
 * Return: size of the response (at least a header), or a negative errno.
 */
typedef ssize_t (spdm_xfer_fn)(struct spdm_state *spdm_state,
			       const void *req, size_t req_sz, void *rsp,
			       size_t rsp_sz);

ssize_t spdm_transfer_busy(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			   const void *req, size_t req_sz, void *rsp,
			   size_t rsp_sz);
ssize_t spdm_transfer_retry(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			    const void *req, size_t req_sz, void *rsp,
			    size_t rsp_sz);
u32 spdm_data_transfer_sz(struct spdm_state *spdm_state);
ssize_t spdm_exchange(struct spdm_state *spdm_state,
		      void *req, size_t req_sz, void *rsp, size_t rsp_sz);
ssize_t spdm_transport_call(struct spdm_state *spdm_state, bool secured,
			    u8 code, const void *req, size_t req_sz,
			    void *rsp, size_t rsp_sz);
ssize_t spdm_check_response(struct spdm_state *spdm_state,
			    const struct spdm_header *request,
			    const void *rsp, ssize_t length);
int spdm_check_length(struct spdm_state *spdm_state, const char *name,
		      size_t length, size_t expected);
int spdm_check_parsed(struct spdm_state *spdm_state, const char *name,
		      int rc, size_t opaque_len, size_t length,
		      size_t expected);
int spdm_transcript_append(struct spdm_transcript *t, const void *msg,
			   size_t msg_sz);
void spdm_transcript_free(struct spdm_transcript *t);
int spdm_append_transcript(struct spdm_state *spdm_state,
			   const void *msg, size_t msg_sz);
void spdm_reset(struct spdm_state *spdm_state);

struct spdm_state *spdm_find(const char *name);
void spdm_put(struct spdm_state *spdm_state);

/**
 * typedef spdm_evidence_cb - receives the evidence of a signature
 * @spdm_state: SPDM state of the device, lock held
 * @ev: the evidence
 * @priv: private data of the caller
 */
typedef void (spdm_evidence_cb)(struct spdm_state *spdm_state,
				const struct spdm_evidence *ev, void *priv);

int spdm_challenge_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			 int slot, spdm_evidence_cb *cb, void *priv);
int spdm_measure_nonce(struct spdm_state *spdm_state, const u8 *nonce,
		       int slot, const u8 *indices, unsigned int nr_indices,
		       spdm_evidence_cb *cb, void *priv);
int spdm_check_proven(struct spdm_state *spdm_state, int slot);
void spdm_report_evidence(struct spdm_state *spdm_state,
			  const struct spdm_evidence *ev,
			  spdm_evidence_cb *cb, void *priv);

/**
 * typedef spdm_session_cb - receives the evidence of a key exchange
 * @spdm_state: SPDM state of the device, lock held
 * @ke: evidence of KEY_EXCHANGE_RSP
 * @meas: evidence of the measurements read in the session, or %NULL
 * @priv: private data of the caller
 */
typedef void (spdm_session_cb)(struct spdm_state *spdm_state,
			       const struct spdm_evidence *ke,
			       const struct spdm_evidence *meas, void *priv);

/* netlink.c */
#ifdef CONFIG_NET
void spdm_nl_notify_sig(struct spdm_state *spdm_state,
			const struct spdm_evidence *ev);
#else
static inline void spdm_nl_notify_sig(struct spdm_state *spdm_state,
				      const struct spdm_evidence *ev) { }
#endif

/* sig-log.c */
void spdm_log_signature(struct spdm_state *spdm_state,
			const struct spdm_evidence *ev);
int spdm_sig_log_register(struct spdm_state *spdm_state);
void spdm_sig_log_unregister(struct spdm_state *spdm_state);
void spdm_sig_log_destroy(struct spdm_state *spdm_state);

/* meas-sysfs.c */
int spdm_meas_sysfs_register(struct spdm_state *spdm_state);
void spdm_meas_sysfs_update(struct spdm_state *spdm_state);
void spdm_meas_sysfs_unregister(struct spdm_state *spdm_state);

/* req-chunk.c */
ssize_t spdm_chunk_get(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
		       const struct spdm_header *request, u8 handle,
		       void *rsp, size_t rsp_sz);

/* req-version.c */
int spdm_get_version(struct spdm_state *spdm_state);
int spdm_select_version(const struct spdm_get_version_rsp *rsp,
			size_t rsp_sz, u8 *version);

/* req-capabilities.c */
int spdm_get_capabilities(struct spdm_state *spdm_state);

/* req-algorithms.c */
int spdm_negotiate_algs(struct spdm_state *spdm_state);
int spdm_parse_algs_structs(const struct spdm_negotiate_algs_rsp *rsp,
			    size_t len);

/* req-certificates.c */
int spdm_get_digests(struct spdm_state *spdm_state);
int spdm_get_certificates(struct spdm_state *spdm_state);

/**
 * struct spdm_challenge_fields - offsets into a CHALLENGE_AUTH response
 * @nonce: responder nonce
 * @meas_summary: MeasurementSummaryHash (absent if not requested)
 * @opaque: OpaqueData, preceded by its 2-byte length
 * @opaque_len: size of OpaqueData
 * @context: RequesterContext (SPDM 1.3)
 * @sig: signature
 * @len: size of the response
 */
struct spdm_challenge_fields {
	size_t nonce;
	size_t meas_summary;
	size_t opaque;
	size_t opaque_len;
	size_t context;
	size_t sig;
	size_t len;
};

/* req-challenge.c */
int spdm_challenge(struct spdm_state *spdm_state, u8 slot);
int spdm_parse_challenge_rsp(u8 version, size_t hash_len, size_t sig_len,
			     bool meas_summary, const u8 *rsp, size_t length,
			     struct spdm_challenge_fields *f);

/* req-measurements.c */
int spdm_parse_meas_rsp(u8 version, size_t sig_len, bool signed_rsp,
			const u8 *rsp, size_t length,
			struct spdm_meas_fields *f);
int spdm_check_meas_record(const u8 *record, size_t len, u8 nr_blocks,
			   u8 operation, u8 meas_spec, size_t hash_len,
			   const char **why);
int spdm_get_measurements(struct spdm_state *spdm_state, const u8 *indices,
			  unsigned int nr_indices, u8 slot);
void spdm_meas_reset(struct spdm_state *spdm_state);

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

/* req-key-exchange.c */
int spdm_parse_key_exchange_rsp(u8 version, size_t dhe_len, size_t hash_len,
				size_t sig_len, bool meas_summary,
				const u8 *rsp, size_t length,
				struct spdm_key_exchange_fields *f);
size_t spdm_opaque_versions(u8 version, u8 *buf);
int spdm_parse_opaque_selection(u8 version, const u8 *opaque, size_t len,
				u16 *selected);
int spdm_key_exchange(struct spdm_state *spdm_state, u8 slot);
void spdm_key_exchange_reset(struct spdm_state *spdm_state);
int spdm_start_session(struct spdm_state *spdm_state);
int spdm_key_exchange_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			    int slot, const u8 *indices,
			    unsigned int nr_indices, spdm_session_cb *cb,
			    void *priv);

/* session.c */
int spdm_hkdf_extract(struct crypto_shash *hmac, const u8 *salt,
		      size_t salt_len, const u8 *ikm, size_t ikm_len, u8 *prk);
int spdm_hkdf_expand(struct crypto_shash *hmac, const u8 *prk, size_t prk_len,
		     const u8 *info, size_t info_len, u8 *okm, size_t okm_len);
int spdm_expand_label(struct crypto_shash *hmac, u8 version, const u8 *secret,
		      const char *label, const u8 *context, size_t out_len,
		      u8 *out);
int spdm_record_seal(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     u32 session_id, size_t seq_len, bool mac_only,
		     const u8 *msg, size_t msg_len, u8 *out, size_t out_sz);
int spdm_record_open(struct crypto_aead *tfm, const struct spdm_session_keys *k,
		     size_t seq_len, bool mac_only, u8 *rec, size_t len,
		     size_t *msg_off, size_t *msg_len, const char **why);
struct spdm_session *spdm_session_alloc(struct spdm_state *spdm_state);
void spdm_session_free(struct spdm_session *session);
int spdm_session_handshake_keys(struct spdm_state *spdm_state,
				const u8 *shared, size_t shared_len,
				const u8 *th1_hash);
int spdm_session_data_keys(struct spdm_state *spdm_state,
			   const u8 *th2_hash);
ssize_t spdm_secured_exchange(struct spdm_state *spdm_state, void *req,
			      size_t req_sz, void *rsp, size_t rsp_sz);
void spdm_session_fail(struct spdm_state *spdm_state, int rc,
		       const char *why);
void spdm_session_end(struct spdm_state *spdm_state);
__printf(4, 5)
void spdm_session_set_state(struct spdm_state *spdm_state,
			    enum spdm_session_state state, int rc,
			    const char *fmt, ...);
int spdm_session_heartbeat(struct spdm_state *spdm_state);
int spdm_session_key_update(struct spdm_state *spdm_state, u8 op);
void spdm_heartbeat_work(struct work_struct *work);

/* cert.c */
int spdm_validate_cert_chain(struct spdm_state *spdm_state, u8 slot,
			     const u8 *certs, size_t certs_sz,
			     const u8 *root_hash,
			     struct public_key **leaf_key, bool *anchored);

#endif /* _LIB_SPDM_H_ */
