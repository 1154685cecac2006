/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, protocol layer: what DSP0274 defines, independent of how
 * the evidence arrived and of the verdicts: algorithms, the combined
 * prefix, walking the signed messages (VCA, M1/M2, L1/L2, TH1),
 * measurement blocks, certificate chains (table 33).  Depends on util.h
 * only.
 */
#ifndef SPDM_VERIFY_SPDM_H
#define SPDM_VERIFY_SPDM_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util.h"

#define SV_NONCE_LEN		32
#define SV_PREFIX_LEN		100
#define SV_MAX_HASH_LEN		64
#define SV_MAX_SIG_LEN		4627	/* ML-DSA-87 */
/* Length (u16) and Reserved (u16), from SPDM 1.4 Length (u32); RootHash */
#define SV_CHAIN_HDR_LEN	4
/* SHA-384 of a chain's DER certificates: the same-device check's name */
#define SV_CHAIN_DIGEST_LEN	48
#define SV_MAX_MEAS_REQ		254	/* measurement indices 1..254 */

/* ---- algorithms (DSP0274 NEGOTIATE_ALGORITHMS, algs.c) ------------------- */

/* SV_MLDSA: a PqcAsymAlgo of SPDM 1.4, pure ML-DSA (FIPS 204) */
enum sv_asym_kind { SV_ECDSA, SV_RSASSA, SV_RSAPSS, SV_MLDSA };

struct sv_hash {
	const EVP_MD *(*md)(void);
	uint32_t bit;			/* BaseHashAlgo */
	const char *name;		/* Crypto API name: "sha384" */
	const char *label;		/* "SHA-384" */
	size_t len;			/* H */
};

struct sv_asym {
	uint32_t bit;			/* BaseAsymAlgo, or PqcAsymAlgo */
	const char *name;		/* "ecdsa-p384" */
	const char *label;		/* "ECDSA P-384"; ML-DSA: OpenSSL's name */
	enum sv_asym_kind kind;
	const char *group;		/* EC curve (OpenSSL name) */
	int bits;			/* RSA modulus */
	size_t sig_len;
	/* ML-DSA: SubjectPublicKeyInfo algorithm (RFC 9881), key size */
	const char *oid;
	size_t pk_len;
};

const struct sv_hash *sv_hash_by_bit(uint32_t bit);
const struct sv_hash *sv_hash_by_name(const char *name);
const struct sv_asym *sv_asym_by_bit(uint32_t bit);
const struct sv_asym *sv_pqc_asym_by_bit(uint32_t bit);
const struct sv_asym *sv_pqc_asym_by_oid(const char *oid);
const struct sv_asym *sv_asym_of_key(EVP_PKEY *key);
void sv_combined_prefix(uint8_t version, const char *context,
			uint8_t out[SV_PREFIX_LEN]);
#define SV_CHALLENGE_AUTH_CONTEXT	"responder-challenge_auth signing"
#define SV_MEASUREMENTS_CONTEXT		"responder-measurements signing"
#define SV_KEY_EXCHANGE_CONTEXT		"responder-key_exchange_rsp signing"

/* MeasurementHashAlgo (DSP0274 NEGOTIATE_ALGORITHMS) */
struct sv_meas_hash {
	uint32_t bit;
	const char *label;		/* "SHA-384", "raw bit streams only" */
	size_t len;			/* 0: raw bit streams only */
};

const struct sv_meas_hash *sv_meas_hash_by_bit(uint32_t bit);

/* ---- transcripts (transcript.c) ----------------------------------------- */

#define SV_CHALLENGE		0x83
#define SV_CHALLENGE_AUTH	0x03
#define SV_CHALLENGE_REQ_LEN	36	/* + RequesterContext in 1.3 */
#define SV_REQ_CONTEXT_LEN	8
#define SV_MAX_OPAQUE		1024
#define SV_GET_MEASUREMENTS	0xe0
#define SV_MEASUREMENTS		0x60
#define SV_MEAS_OP_COUNT	0x00
#define SV_MEAS_OP_ALL		0xff
#define SV_MAX_MEAS_MSGS	256

/* What the VCA at the start of a transcript negotiated. */
struct sv_vca {
	size_t len;			/* GET_VERSION .. ALGORITHMS */
	size_t algs, algs_len;		/* the ALGORITHMS response */
	uint8_t meas_spec;		/* MeasurementSpecificationSel */
	uint32_t meas_hash;		/* MeasurementHashAlgo */
	uint32_t asym, hash;		/* BaseAsymSel, BaseHashSel */
	uint32_t pqc_asym;		/* PqcAsymSel (SPDM 1.4, else 0) */
	/* its RespAlgStructs: DHE, and KEM (SPDM 1.4) */
	bool has_dhe, has_kem;
	uint16_t dhe, kem;		/* AlgSupported: the selection */
};

int sv_vca_parse(const uint8_t *t, size_t len, uint8_t ver,
		 struct sv_vca *vca, char *err, size_t errlen);
int sv_m1m2_walk(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		 size_t hash_len, size_t *chal, size_t *auth, char *err,
		 size_t errlen);

/* DHE groups of ALGORITHMS' DHE AlgStructure (DSP0274 table 19) */
struct sv_dhe {
	uint16_t bit;
	const char *name;		/* "secp384r1" */
	size_t len;			/* ExchangeData: D */
};

int sv_vca_dhe(const struct sv_vca *vca, const struct sv_dhe **dhe,
	       char *err, size_t errlen);

#define SV_KEY_EXCHANGE		0xe4
#define SV_KEY_EXCHANGE_RSP	0x64
#define SV_KE_RANDOM_OFF	8	/* RandomData in both messages */

/*
 * TH1 up to KEY_EXCHANGE_RSP's signature: VCA || Hash(CertChain) ||
 * KEY_EXCHANGE || KEY_EXCHANGE_RSP; offsets into the transcript.
 */
struct sv_th1 {
	struct sv_vca vca;
	const struct sv_dhe *dhe;
	size_t cert_hash;		/* Hash(CertChain) */
	size_t ke, ke_len;		/* KEY_EXCHANGE */
	size_t rsp, rsp_len;		/* KEY_EXCHANGE_RSP */
	uint8_t summary_type, slot;	/* KEY_EXCHANGE Param1, Param2 */
	uint16_t req_session_id, rsp_session_id;
	size_t req_opaque_len, rsp_opaque_len;
};

int sv_th1_parse(const uint8_t *t, size_t len, uint8_t ver, size_t hash_len,
		 struct sv_th1 *th, char *err, size_t errlen);

/* One GET_MEASUREMENTS and its MEASUREMENTS (without a signature). */
struct sv_meas_msg {
	size_t req, req_len;
	size_t rsp, rsp_len;
	uint8_t attrs, op;		/* Param1, Param2 of the request */
	uint8_t slot_param;		/* SlotIDParam (signed, 1.1+) */
	uint8_t rsp_param1, rsp_param2;
	uint8_t nr_blocks;		/* NumberOfBlocks */
	size_t record, record_len;	/* MeasurementRecord */
	size_t nonce;			/* the response's Nonce */
	size_t opaque_len;
};

/* L1/L2 after the VCA: GET_MEASUREMENTS/MEASUREMENTS pairs, last signed. */
struct sv_l1l2 {
	size_t start;
	unsigned int n;
	struct sv_meas_msg msg[SV_MAX_MEAS_MSGS];
};

int sv_l1l2_parse(const uint8_t *t, size_t len, size_t start, uint8_t ver,
		  struct sv_l1l2 *l, char *err, size_t errlen);

/* ---- measurement blocks (blocks.c) --------------------------------------- */

#define SV_MAX_BLOCKS		512
#define SV_MEAS_SPEC_DMTF	0x01
#define SV_MEAS_RAW		0x80	/* DMTFSpecMeasurementValueType */

struct sv_block {
	uint8_t index, spec;
	bool dmtf;
	uint8_t type;			/* DMTFSpecMeasurementValueType */
	size_t value, value_len;	/* in the transcript */
	unsigned int msg;		/* in struct sv_l1l2 */
};

int sv_blocks_parse(const uint8_t *t, const struct sv_meas_msg *m,
		    unsigned int msg, struct sv_block *out, unsigned int *n,
		    unsigned int max, char *err, size_t errlen);
const char *sv_meas_type_name(uint8_t type);

/* ---- certificate chains (certchain.c) ------------------------------------ */

X509 *sv_chain_leaf(const struct sv_buf *chain, size_t hash_len, int *nr);
size_t sv_chain_info(const struct sv_buf *chain, size_t hash_len,
		     int *nr_certs, char *leaf, size_t leaflen);
uint32_t sv_chain_length(const struct sv_buf *chain, uint8_t version);
void sv_x509_name(X509_NAME *name, char *buf, size_t len);

/* ---- ML-DSA (FIPS 204), SPDM 1.4's PqcAsymAlgo (mldsa.c) ----------------- */

bool sv_mldsa_built(void);
const char *sv_mldsa_unsupported(const struct sv_asym *a, char *buf,
				 size_t len);
const struct sv_asym *sv_cert_sig_pqc(const X509 *x);
const struct sv_asym *sv_cert_key_pqc(X509 *x, size_t *pk_len,
				      bool *params);
int sv_mldsa_verify(const struct sv_asym *a, EVP_PKEY *key,
		    const uint8_t *msg, size_t len, const char *context,
		    const uint8_t *sig, size_t sig_len, char *why,
		    size_t whylen);

#endif /* SPDM_VERIFY_SPDM_H */
