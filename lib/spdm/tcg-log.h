/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 *
 * TCG event log of SPDM results, measured into a TPM PCR
 */

#ifndef _LIB_SPDM_TCG_LOG_H_
#define _LIB_SPDM_TCG_LOG_H_

#include <linux/types.h>

struct spdm_state;
struct spdm_evidence;

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
