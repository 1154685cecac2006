/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/spdm.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_SPDM_NETLINK_H
#define _UAPI_LINUX_SPDM_NETLINK_H

#define SPDM_FAMILY_NAME	"spdm"
#define SPDM_FAMILY_VERSION	1

#define SPDM_NONCE_LEN		32
#define SPDM_CHAIN_DIGEST_LEN	48
#define SPDM_CHUNK_MAX		32768

/**
 * enum spdm_provider - Who produced the evidence.
 * @SPDM_PROVIDER_NATIVE: The kernel's own SPDM requester (lib/spdm).
 * @SPDM_PROVIDER_TSM: A platform TSM (reserved for evidence relayed from one).
 */
enum spdm_provider {
	SPDM_PROVIDER_NATIVE,
	SPDM_PROVIDER_TSM,
};

/**
 * enum spdm_sig_type - The exchange a signature belongs to.
 * @SPDM_SIG_TYPE_CHALLENGE: CHALLENGE_AUTH, signed over the M1/M2 transcript.
 * @SPDM_SIG_TYPE_MEASUREMENTS: MEASUREMENTS, signed over the L1/L2 transcript
 *   (the VCA messages from SPDM 1.2, then every GET_MEASUREMENTS and
 *   MEASUREMENTS since the previous signed one).
 * @SPDM_SIG_TYPE_KEY_EXCHANGE: KEY_EXCHANGE_RSP, signed over TH1 up to the
 *   signature: the VCA messages, the hash of the certificate chain of the
 *   slot, KEY_EXCHANGE and KEY_EXCHANGE_RSP (DSP0274 sec 10.17).
 */
enum spdm_sig_type {
	SPDM_SIG_TYPE_CHALLENGE,
	SPDM_SIG_TYPE_MEASUREMENTS,
	SPDM_SIG_TYPE_KEY_EXCHANGE,
};

/**
 * enum spdm_object - Evidence object types of evidence-read, as in the PCI/TSM
 *   evidence model (CERT0..CERT7, VCA, MEASUREMENTS, REPORT). Bit N of
 *   type-mask selects object N.
 * @SPDM_OBJECT_CERT0: Certificate chain of slot 0 (DSP0274 table 33 format:
 *   length, reserved, root hash, DER certificates), in cert-chain.
 * @SPDM_OBJECT_CERT1: Certificate chain of slot 1.
 * @SPDM_OBJECT_CERT2: Certificate chain of slot 2.
 * @SPDM_OBJECT_CERT3: Certificate chain of slot 3.
 * @SPDM_OBJECT_CERT4: Certificate chain of slot 4.
 * @SPDM_OBJECT_CERT5: Certificate chain of slot 5.
 * @SPDM_OBJECT_CERT6: Certificate chain of slot 6.
 * @SPDM_OBJECT_CERT7: Certificate chain of slot 7.
 * @SPDM_OBJECT_VCA: The GET_VERSION .. ALGORITHMS messages, in vca.
 * @SPDM_OBJECT_MEASUREMENTS: The latest signed MEASUREMENTS: the L1/L2
 *   transcript in transcript, with the signature fields (sig-type
 *   measurements).
 * @SPDM_OBJECT_REPORT: The latest signed exchange that proves the device's
 *   key: CHALLENGE_AUTH (sig-type challenge, transcript M1/M2) or
 *   KEY_EXCHANGE_RSP (sig-type key-exchange, transcript TH1, with session-id
 *   and the kernel's verdicts on the session), whichever came last, with the
 *   signature fields.
 */
enum spdm_object {
	SPDM_OBJECT_CERT0,
	SPDM_OBJECT_CERT1,
	SPDM_OBJECT_CERT2,
	SPDM_OBJECT_CERT3,
	SPDM_OBJECT_CERT4,
	SPDM_OBJECT_CERT5,
	SPDM_OBJECT_CERT6,
	SPDM_OBJECT_CERT7,
	SPDM_OBJECT_VCA,
	SPDM_OBJECT_MEASUREMENTS,
	SPDM_OBJECT_REPORT,
};

/**
 * enum spdm_flag - Flags of an evidence-read request.
 * @SPDM_FLAG_DIGEST: Return the digest of each object instead of the object,
 *   in digest, with the negotiated hash (hash-algo, base-hash-alg). For
 *   measurements and report, the signature fields come as well: the digest of
 *   the transcript is what the signature covers (after the combined prefix
 *   from SPDM 1.2).
 * @SPDM_FLAG_FRESH: Challenge (challenge, or evidence-read with a nonce) with
 *   the whole authentication: GET_VERSION to CHALLENGE, every certificate
 *   chain read again, instead of CHALLENGE alone on an authenticated SPDM 1.2+
 *   connection.
 */
enum spdm_flag {
	SPDM_FLAG_DIGEST = 1,
	SPDM_FLAG_FRESH = 2,
};

enum {
	SPDM_A_CHUNK_OFFSET = 1,
	SPDM_A_CHUNK_TOTAL_LEN,
	SPDM_A_CHUNK_DATA,

	__SPDM_A_CHUNK_MAX,
	SPDM_A_CHUNK_MAX = (__SPDM_A_CHUNK_MAX - 1)
};

enum {
	SPDM_A_EVIDENCE_DEV_NAME = 1,
	SPDM_A_EVIDENCE_NONCE,
	SPDM_A_EVIDENCE_SLOT,
	SPDM_A_EVIDENCE_TYPE_MASK,
	SPDM_A_EVIDENCE_PROVIDER,
	SPDM_A_EVIDENCE_VERSION,
	SPDM_A_EVIDENCE_BASE_ASYM_ALG,
	SPDM_A_EVIDENCE_BASE_HASH_ALG,
	SPDM_A_EVIDENCE_HASH_ALGO,
	SPDM_A_EVIDENCE_SIG_TYPE,
	SPDM_A_EVIDENCE_TRANSCRIPT,
	SPDM_A_EVIDENCE_SIGNATURE,
	SPDM_A_EVIDENCE_REQ_NONCE_OFFSET,
	SPDM_A_EVIDENCE_RSP_NONCE_OFFSET,
	SPDM_A_EVIDENCE_COMBINED_PREFIX,
	SPDM_A_EVIDENCE_CERT_CHAIN,
	SPDM_A_EVIDENCE_SIG_VALID,
	SPDM_A_EVIDENCE_CHAIN_ANCHORED,
	SPDM_A_EVIDENCE_OBJECT,
	SPDM_A_EVIDENCE_VCA,
	SPDM_A_EVIDENCE_MEAS_INDEX,
	SPDM_A_EVIDENCE_MEAS_SPEC,
	SPDM_A_EVIDENCE_MEAS_HASH_ALG,
	SPDM_A_EVIDENCE_SESSION_ID,
	SPDM_A_EVIDENCE_RSP_VERIFY_VALID,
	SPDM_A_EVIDENCE_FINISH_VALID,
	SPDM_A_EVIDENCE_SESSION_MEAS,
	SPDM_A_EVIDENCE_FLAGS,
	SPDM_A_EVIDENCE_GENERATION,
	SPDM_A_EVIDENCE_DIGEST,
	SPDM_A_EVIDENCE_CHAIN_DIGEST,
	SPDM_A_EVIDENCE_PQC_ASYM_ALG,

	__SPDM_A_EVIDENCE_MAX,
	SPDM_A_EVIDENCE_MAX = (__SPDM_A_EVIDENCE_MAX - 1)
};

enum {
	SPDM_CMD_CHALLENGE = 1,
	SPDM_CMD_EVIDENCE_READ,
	SPDM_CMD_SIG,
	SPDM_CMD_MEASUREMENTS,
	SPDM_CMD_KEY_EXCHANGE,
	SPDM_CMD_ACCEPT,

	__SPDM_CMD_MAX,
	SPDM_CMD_MAX = (__SPDM_CMD_MAX - 1)
};

#define SPDM_MCGRP_SIG	"sig"

#endif /* _UAPI_LINUX_SPDM_NETLINK_H */
