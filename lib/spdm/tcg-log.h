/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 *
 * TCG event log of SPDM results, measured into a TPM PCR
 */

#ifndef _LIB_SPDM_TCG_LOG_H_
#define _LIB_SPDM_TCG_LOG_H_

#include <linux/hash_info.h>
#include <linux/list.h>
#include <linux/types.h>
#include <kunit/visibility.h>

struct spdm_state;
struct spdm_evidence;
struct tpm_digest;

/* AuthState of DEVICE_SECURITY_EVENT_DATA_HEADER2 (TCG PFP) */
#define SPDM_TCG_AUTH_SUCCESS		0
#define SPDM_TCG_AUTH_NO_AUTHORITY	1
#define SPDM_TCG_AUTH_FAIL_NO_SIG	3
#define SPDM_TCG_AUTH_FAIL_INVALID	4
#define SPDM_TCG_AUTH_NO_SPDM		0xff

/* Kind and Flags of the runtime part */
enum spdm_tcg_kind {
	SPDM_TCG_AUTHENTICATION = 1,
	SPDM_TCG_MEASUREMENTS = 2,
	SPDM_TCG_SESSION = 3,
};

#define SPDM_TCG_SIGNED			BIT(0)
#define SPDM_TCG_SESSION_ID		BIT(1)

/**
 * struct spdm_tcg_desc - what one event says
 * @kind: &enum spdm_tcg_kind
 * @auth_state: AuthState
 * @ev: the signature the event names, or %NULL
 * @result: for an authentication without a signature: how it ended
 * @record: measurements: the MeasurementRecord of the (last) response
 * @record_len: size of @record
 */
struct spdm_tcg_desc {
	enum spdm_tcg_kind kind;
	u8 auth_state;
	const struct spdm_evidence *ev;
	int result;
	const u8 *record;
	size_t record_len;
};

/**
 * struct spdm_tcg_bank - a PCR bank the events carry a digest for
 * @alg_id: TPM_ALG_ID
 * @size: digest size
 * @hash: the kernel's name of the hash
 */
struct spdm_tcg_bank {
	u16 alg_id;
	u16 size;
	enum hash_algo hash;
};

/* One event, as it is in the binary log (TCG_PCR_EVENT2) */
struct spdm_tcg_event {
	struct list_head list;
	size_t len;
	u8 data[];
};

#if IS_ENABLED(CONFIG_KUNIT)
u8 *spdm_tcg_event_data(struct spdm_state *spdm_state,
			const struct spdm_tcg_desc *d, size_t *len);
struct spdm_tcg_event *
spdm_tcg_event(const struct spdm_tcg_bank *banks, unsigned int nr_banks,
	       const u8 *data, size_t len, struct tpm_digest *digests);
#endif

#ifdef CONFIG_SPDM_TCG_LOG
void spdm_tcg_log_evidence(struct spdm_state *spdm_state,
			   const struct spdm_evidence *ev);
void spdm_tcg_log_unsigned_meas(struct spdm_state *spdm_state,
				const u8 *record, size_t len);
void spdm_tcg_log_auth(struct spdm_state *spdm_state, int result);
#else
static inline void spdm_tcg_log_evidence(struct spdm_state *spdm_state,
					 const struct spdm_evidence *ev) { }
static inline void spdm_tcg_log_unsigned_meas(struct spdm_state *spdm_state,
					      const u8 *record, size_t len) { }
static inline void spdm_tcg_log_auth(struct spdm_state *spdm_state,
				     int result) { }
#endif

#endif /* _LIB_SPDM_TCG_LOG_H_ */
