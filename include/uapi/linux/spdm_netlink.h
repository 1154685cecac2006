/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/spdm.yaml */
/* YNL-GEN uapi header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _UAPI_LINUX_SPDM_NETLINK_H
#define _UAPI_LINUX_SPDM_NETLINK_H

#define SPDM_FAMILY_NAME	"spdm"
#define SPDM_FAMILY_VERSION	1

#define SPDM_NONCE_LEN	32
#define SPDM_CHUNK_MAX	32768

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
 * enum spdm_object - Evidence object types of evidence-read (type-mask bits).
 * @SPDM_OBJECT_CERT_CHAIN: Certificate chain of a slot (DSP0274 table 33
 *   format).
 * @SPDM_OBJECT_VCA: The GET_VERSION .. ALGORITHMS messages of the transcript.
 * @SPDM_OBJECT_CHALLENGE: The latest signed CHALLENGE_AUTH with its evidence.
 * @SPDM_OBJECT_MEASUREMENTS: The latest signed MEASUREMENTS with its evidence.
 * @SPDM_OBJECT_KEY_EXCHANGE: The latest signed KEY_EXCHANGE_RSP with its
 *   evidence and the session verdicts.
 */
enum spdm_object {
	SPDM_OBJECT_CERT_CHAIN = 1,
	SPDM_OBJECT_VCA = 2,
	SPDM_OBJECT_CHALLENGE = 4,
	SPDM_OBJECT_MEASUREMENTS = 8,
	SPDM_OBJECT_KEY_EXCHANGE = 16,
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

	__SPDM_A_EVIDENCE_MAX,
	SPDM_A_EVIDENCE_MAX = (__SPDM_A_EVIDENCE_MAX - 1)
};

enum {
	SPDM_CMD_CHALLENGE = 1,
	SPDM_CMD_EVIDENCE_READ,
	SPDM_CMD_SIG,
	SPDM_CMD_MEASUREMENTS,
	SPDM_CMD_KEY_EXCHANGE,

	__SPDM_CMD_MAX,
	SPDM_CMD_MAX = (__SPDM_CMD_MAX - 1)
};

#define SPDM_MCGRP_SIG	"sig"

#endif /* _UAPI_LINUX_SPDM_NETLINK_H */
