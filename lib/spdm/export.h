/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Export of what the flows gathered: the netlink "sig" notifications
 * (netlink.c), the signature log (sig-log.c) and the measurements
 * (meas-sysfs.c) in sysfs.  They read the state; they start exchanges
 * only through a flow (auth.h).
 */

#ifndef _LIB_SPDM_EXPORT_H_
#define _LIB_SPDM_EXPORT_H_

struct spdm_evidence;
struct spdm_state;

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

#endif /* _LIB_SPDM_EXPORT_H_ */
