/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, platform evidence: the TCG event log of SPDM results the
 * kernel measures into a TPM PCR, and TPM quotes over that PCR
 * (tcg.c).  Read from the TCG PC Client Platform Firmware Profile and
 * TPM 2.0 Part 2 (structures), not from the kernel's code.  Depends on
 * util.h only.
 */
#ifndef SPDM_VERIFY_TCG_H
#define SPDM_VERIFY_TCG_H

#include <openssl/evp.h>

#include "util.h"

#define SV_TCG_MAX_BANKS	8
#define SV_TCG_MAX_DIGEST	64

/* TPM_ALG_ID of the hashes a PCR bank may use */
#define SV_TPM_ALG_SHA1		0x0004
#define SV_TPM_ALG_SHA256	0x000b
#define SV_TPM_ALG_SHA384	0x000c
#define SV_TPM_ALG_SHA512	0x000d

#define SV_EV_NO_ACTION			0x00000003
#define SV_EV_EFI_SPDM_FIRMWARE_BLOB	0x800000e1

struct sv_tcg_bank {
	uint16_t alg;
	uint16_t size;
	const EVP_MD *md;		/* NULL: a hash we do not know */
};

/* One TCG_PCR_EVENT2; the pointers point into the log's buffer */
struct sv_tcg_event {
	size_t offset;			/* in the log */
	uint32_t pcr, type;
	const uint8_t *digest[SV_TCG_MAX_BANKS];	/* per bank */
	const uint8_t *data;
	uint32_t len;
};

struct sv_tcg_log {
	unsigned int nr_banks;
	struct sv_tcg_bank banks[SV_TCG_MAX_BANKS];
	struct sv_tcg_event *events;
	size_t nr_events;
};

/* The SPDM event data: DEVICE_SECURITY_EVENT_DATA2 and the runtime part */
#define SV_SPDM_KIND_AUTHENTICATION	1
#define SV_SPDM_KIND_MEASUREMENTS	2
#define SV_SPDM_KIND_SESSION		3
#define SV_SPDM_FLAG_SIGNED		0x01
#define SV_SPDM_FLAG_SESSION_ID		0x02

struct sv_spdm_event {
	uint8_t auth_state;
	uint32_t device_type, sub_type;
	uint64_t uid;
	uint16_t spdm_version;
	uint8_t count;			/* blocks, or the slot */
	uint32_t hash_algo;
	const uint8_t *payload;
	uint32_t payload_len;
	bool pci;
	uint16_t vendor, device_id, ss_vendor, ss_id;
	uint8_t revision, class_code[3];
	uint8_t kind, flags;
	int32_t result;
	uint32_t session_id;
	uint8_t nonce[32], transcript_sha256[32];
	char dev_name[33];
};

const EVP_MD *sv_tpm_alg_md(uint16_t alg);
const char *sv_tpm_alg_name(uint16_t alg);

int sv_tcg_parse(const uint8_t *buf, size_t len, struct sv_tcg_log *log,
		 char *err, size_t errlen);
void sv_tcg_free(struct sv_tcg_log *log);
int sv_tcg_check_digests(const struct sv_tcg_log *log, char *err,
			 size_t errlen);
int sv_tcg_replay(const struct sv_tcg_log *log, uint32_t pcr,
		  unsigned int bank, uint8_t *value);
int sv_tcg_spdm_decode(const struct sv_tcg_event *e,
		       struct sv_spdm_event *s, char *err, size_t errlen);

/* A TPM2_Quote: TPMS_ATTEST and its TPMT_SIGNATURE */
struct sv_pcr_select {
	uint16_t alg;
	uint8_t size;
	uint8_t select[8];
};

struct sv_quote {
	uint8_t extra[64];
	uint16_t extra_len;
	unsigned int nr_select;
	struct sv_pcr_select sel[SV_TCG_MAX_BANKS];
	uint8_t pcr_digest[SV_TCG_MAX_DIGEST];
	uint16_t pcr_digest_len;
	uint64_t reset_count, restart_count, clock;
};

int sv_quote_parse(const uint8_t *attest, size_t len, struct sv_quote *q,
		   char *err, size_t errlen);
int sv_quote_verify(const uint8_t *attest, size_t len, const uint8_t *sig,
		    size_t sig_len, EVP_PKEY *ak, uint16_t *hash_alg,
		    char *err, size_t errlen);

#endif /* SPDM_VERIFY_TCG_H */
