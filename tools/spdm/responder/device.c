// SPDX-License-Identifier: GPL-2.0
/*
 * The emulated device: its configuration (certificate slots,
 * capabilities, measurements, sessions) and the connection state that
 * GET_VERSION and RequestResynch reset.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spdm.h"

void spdm_device_init(struct spdm_device *dev, unsigned int index,
		      const struct spdm_version_set *versions,
		      const struct misbehave_set *misbehave)
{
	memset(dev, 0, sizeof(*dev));
	dev->index = index;
	dev->versions = *versions;
	dev->misbehave = *misbehave;
	dev->hash_mask = SPDM_HASH_ALL;
	dev->ct_exponent = SPDM_DEFAULT_CT_EXPONENT;
	dev->data_transfer_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	dev->max_msg_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	msg_init(&dev->vca);
	msg_init(&dev->b);
	msg_init(&dev->not_ready.req);
	msg_init(&dev->large.rsp);
	spdm_meas_init(dev);
	dev->busy_code = -1;
	dev->dhe_mask = SPDM_DHE_SUPPORTED;
	dev->aead_mask = SPDM_AEAD_SUPPORTED;
	dev->next_rsp_session_id = 0xffff;
}

void spdm_dev_config_init(struct spdm_dev_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->slot_mask = 1;		/* slot 0 */
	cfg->hash_mask = SPDM_HASH_ALL;
	cfg->ct_exponent = SPDM_DEFAULT_CT_EXPONENT;
	cfg->data_transfer_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	spdm_meas_config_init(&cfg->meas);
	cfg->session = SPDM_SESSION_ON;
	cfg->dhe_mask = SPDM_DHE_SUPPORTED;
	cfg->aead_mask = SPDM_AEAD_SUPPORTED;
}

/* The slots holding a chain (the SupportedSlotMask of 1.3). */
uint8_t spdm_slots_with_chain(const struct spdm_device *dev)
{
	uint8_t mask = 0;
	unsigned int s;

	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		if (dev->slot[s])
			mask |= 1U << s;
	return mask;
}

/*
 * The slots whose key can sign with BaseAsymAlgo @asym, or (1.4) with
 * PqcAsymAlgo @pqc if that is set.
 */
uint8_t spdm_slots_for_asym(const struct spdm_device *dev, uint32_t asym,
			    uint32_t pqc)
{
	uint8_t mask = 0;
	unsigned int s;

	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		if (dev->slot[s] && spdm_key_can(&dev->slot[s]->key, asym, pqc))
			mask |= 1U << s;
	return mask;
}

/*
 * The BaseAsymAlgo and PqcAsymAlgo bits we offer: those of the keys of
 * all slots, or without any chain, those of the certs= key (nothing
 * provisioned).  pqc-first=auto: PqcAsymAlgo goes first if the key of
 * the lowest slot (the certs= key without slots) is an ML-DSA key.
 */
void spdm_device_update_asym(struct spdm_device *dev)
{
	const struct spdm_cert_set *cs = spdm_identity_certs(dev);
	const struct spdm_cert_set *first = NULL;
	unsigned int s;

	dev->asym_mask = 0;
	dev->pqc_mask = 0;
	for (s = 0; s < SPDM_MAX_SLOTS; s++) {
		if (!dev->slot[s])
			continue;
		dev->asym_mask |= dev->slot[s]->key.asym_mask;
		dev->pqc_mask |= dev->slot[s]->key.pqc_mask;
		if (!first)
			first = dev->slot[s];
	}
	if (!spdm_slots_with_chain(dev) && cs) {
		dev->asym_mask = cs->key.asym_mask;
		dev->pqc_mask = cs->key.pqc_mask;
		first = cs;
	}
	if (dev->pqc_policy == SPDM_PQC_FIRST_AUTO)
		dev->pqc_first = first && first->key.pqc_mask;
	else
		dev->pqc_first = dev->pqc_policy == SPDM_PQC_FIRST_YES;
}

/*
 * Apply @cfg: load the chain of every provisioned slot.  Without any
 * chain the device has no CERT_CAP/CHAL_CAP and answers GET_DIGESTS,
 * GET_CERTIFICATE and CHALLENGE with ERROR(UnsupportedRequest).  The
 * slots serving certs= may serve identity= instead (identity.c).  Then
 * the measurements (MEAS_CAP, see meas_store.c).
 */
int spdm_device_configure(struct spdm_device *dev,
			  const struct spdm_dev_config *cfg, char *err,
			  size_t errlen)
{
	struct spdm_identity *id = &dev->ident;
	const char *dir;
	unsigned int s;
	bool any = false;

	spdm_identity_release(dev);
	dev->hash_mask = cfg->hash_mask;
	dev->ct_exponent = cfg->ct_exponent;
	dev->data_transfer_size = cfg->data_transfer_size;
	dev->max_msg_size = cfg->max_msg_size ?: cfg->data_transfer_size;
	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		dev->slot[s] = NULL;
	for (s = 0; s < SPDM_MAX_SLOTS; s++) {
		dir = cfg->slot_dir[s];
		if (!dir && (cfg->slot_mask & (1U << s)))
			dir = cfg->certs_dir;
		if (!dir) {
			if (cfg->slot_mask_set && (cfg->slot_mask & (1U << s))) {
				snprintf(err, errlen,
					 "slot %u is to be provisioned but has no certificates (certs= or slot=%u=DIR)",
					 s, s);
				return -EINVAL;
			}
			continue;
		}
		dev->slot[s] = certs_load(dir, err, errlen);
		if (!dev->slot[s])
			return -EINVAL;
		if (!cfg->slot_dir[s]) {
			id->certs = dev->slot[s];
			id->slots |= 1U << s;
		}
		any = true;
	}
	if (!any && cfg->certs_dir) {
		/* certs with an empty slot list: a key, nothing provisioned */
		id->certs = certs_load(cfg->certs_dir, err, errlen);
		if (!id->certs)
			return -EINVAL;
		any = true;
	}
	if (spdm_identity_configure(dev, cfg->identity_file, err, errlen))
		return -EINVAL;
	dev->pqc_policy = cfg->pqc_first;
	spdm_device_update_asym(dev);
	/*
	 * An ML-DSA signature (2420-4627 bytes) makes CHALLENGE_AUTH,
	 * signed MEASUREMENTS and KEY_EXCHANGE_RSP outgrow the default
	 * DataTransferSize: unless max-msg-size= says otherwise, such a
	 * device chunks them (MaxSPDMmsgSize 64 KiB, CHUNK_CAP).
	 */
	if (!cfg->max_msg_size && dev->pqc_mask &&
	    dev->max_msg_size < SPDM_PQC_MAX_MSG_SIZE)
		dev->max_msg_size = SPDM_PQC_MAX_MSG_SIZE;
	dev->rsp_flags = any ? SPDM_CAP_CERT | SPDM_CAP_CHAL : 0;
	if (dev->max_msg_size > dev->data_transfer_size)
		dev->rsp_flags |= SPDM_CAP_CHUNK;
	if (spdm_meas_configure(dev, &cfg->meas, any, err, errlen))
		return -EINVAL;
	dev->rsp_flags |= (uint32_t)dev->meas.cap << SPDM_MEAS_CAP_SHIFT;
	/*
	 * Sessions (KEY_EXCHANGE signs TH1 with a leaf key): the flags
	 * DSP0274 requires together - KEY_EX_CAP needs ENCRYPT_CAP or
	 * MAC_CAP (we do both), HBEAT_CAP/KEY_UPD_CAP/HANDSHAKE_IN_THE_
	 * CLEAR_CAP need KEY_EX_CAP or PSK_CAP.
	 */
	dev->session_mode = cfg->session;
	dev->dhe_mask = cfg->dhe_mask;
	dev->aead_mask = cfg->aead_mask;
	dev->heartbeat_period = cfg->heartbeat_period;
	dev->keylog = cfg->keylog;
	if (any && cfg->session != SPDM_SESSION_NONE)
		dev->rsp_flags |= SPDM_CAP_KEY_EX | SPDM_CAP_ENCRYPT |
				  SPDM_CAP_MAC | SPDM_CAP_HBEAT |
				  SPDM_CAP_KEY_UPD;
	if (any && cfg->session == SPDM_SESSION_CLEAR)
		dev->rsp_flags |= SPDM_CAP_HANDSHAKE_CLEAR;
	/* The negotiated state outlives connections: nothing else to do */
	if (cfg->cache_cap)
		dev->rsp_flags |= SPDM_CAP_CACHE;
	return 0;
}

void spdm_device_release(struct spdm_device *dev)
{
	msg_free(&dev->vca);
	msg_free(&dev->b);
	msg_free(&dev->not_ready.req);
	msg_free(&dev->large.rsp);
	spdm_meas_release(dev);
	spdm_sessions_reset(dev);
	spdm_identity_release(dev);
}

/* Forget the connection: what GET_VERSION and RequestResynch do. */
void spdm_conn_reset(struct spdm_device *dev)
{
	dev->state = SPDM_CONN_IDLE;
	dev->version = 0;
	dev->req_flags = 0;
	dev->req_data_transfer_size = 0;
	dev->req_max_msg_size = 0;
	dev->asym_sel = 0;
	dev->pqc_sel = 0;
	dev->hash = NULL;
	dev->other_params_sel = 0;
	dev->provisioned = 0;
	dev->supported = 0;
	msg_reset(&dev->vca);
	msg_reset(&dev->b);
	dev->challenged = false;
	spdm_meas_conn_reset(dev);
	dev->dhe_sel = 0;
	dev->aead_sel = 0;
	dev->key_sched_sel = 0;
	/* a new connection ends every session (DSP0274 GET_VERSION) */
	spdm_sessions_reset(dev);
	dev->not_ready.pending = false;
	dev->busy_code = -1;
	spdm_chunk_discard(dev);
	/* nothing negotiated now: an identity switch that waited goes in */
	spdm_identity_conn_reset(dev);
}

