// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * The SPDM state of a device: its creation by the bus, its lifetime
 * (references from the list netlink looks devices up in) and its
 * destruction, which ends the secure session and the exports.
 */

#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spdm.h>
#include <linux/workqueue.h>

#include "auth.h"
#include "export.h"
#include "session.h"
#include "state.h"

/* SPDM devices, for netlink requests naming one */
static LIST_HEAD(spdm_states);
static DEFINE_MUTEX(spdm_states_lock);
/* SubHeaderUID of TCG events: one per device state in this boot */
static atomic64_t spdm_tcg_uids = ATOMIC64_INIT(0);

/**
 * spdm_create() - allocate the SPDM state of a device
 * @dev: device speaking SPDM
 * @transport: callback exchanging one request/response pair
 * @secured_transport: callback exchanging one pair of secured messages
 *	(DSP0277 records), or %NULL if the transport carries none; without
 *	it no secure session is established
 * @transport_priv: private data passed to @transport and
 *	@secured_transport
 * @transport_sz: largest SPDM message @transport carries, in bytes
 * @keyring: keyring holding the trusted root certificates
 * @validate: bus-specific check of leaf certificates, or %NULL
 *
 * Context: process.
 *
 * Return: the new state, or %NULL on allocation failure.
 */
struct spdm_state *spdm_create(struct device *dev, spdm_transport *transport,
			       spdm_transport *secured_transport,
			       void *transport_priv, u32 transport_sz,
			       struct key *keyring, spdm_validate *validate)
{
	struct spdm_state *spdm_state;

	spdm_state = kzalloc_obj(*spdm_state);
	if (!spdm_state)
		return NULL;

	mutex_init(&spdm_state->lock);
	spdm_state->tcg_uid = atomic64_inc_return(&spdm_tcg_uids);
	spdm_state->auth_result = -ENOKEY;
	spdm_state->dev = dev;
	spdm_state->transport = transport;
	spdm_state->secured_transport = secured_transport;
	spdm_state->transport_priv = transport_priv;
	spdm_state->transport_sz = transport_sz;
	spdm_state->keyring = keyring;
	spdm_state->validate = validate;
	spdm_state->req_slot = -1;
	INIT_DELAYED_WORK(&spdm_state->heartbeat_work, spdm_heartbeat_work);
	INIT_WORK(&spdm_state->auth_work, spdm_auth_work);
	/* The first result is pending until the bus has it authenticated */
	init_waitqueue_head(&spdm_state->result_wq);
	atomic_set(&spdm_state->auth_queued, 1);
	spdm_state->announced = -1;
	kref_init(&spdm_state->kref);
	get_device(dev);

	mutex_lock(&spdm_states_lock);
	list_add_tail(&spdm_state->list, &spdm_states);
	mutex_unlock(&spdm_states_lock);

	return spdm_state;
}
EXPORT_SYMBOL_GPL(spdm_create);

static void spdm_release(struct kref *kref)
{
	struct spdm_state *spdm_state = container_of(kref, struct spdm_state,
						     kref);

	spdm_forget_all(spdm_state);
	mutex_destroy(&spdm_state->lock);
	put_device(spdm_state->dev);
	kfree(spdm_state);
}

/**
 * spdm_find() - look up the SPDM state of a device by name
 * @name: device name, as dev_name() gives it
 *
 * Context: process.
 *
 * Return: the state with a reference the caller drops with spdm_put(),
 * or %NULL if no SPDM device has that name.
 */
struct spdm_state *spdm_find(const char *name)
{
	struct spdm_state *spdm_state, *found = NULL;

	mutex_lock(&spdm_states_lock);
	list_for_each_entry(spdm_state, &spdm_states, list) {
		if (!strcmp(dev_name(spdm_state->dev), name)) {
			kref_get(&spdm_state->kref);
			found = spdm_state;
			break;
		}
	}
	mutex_unlock(&spdm_states_lock);

	return found;
}

/**
 * spdm_put() - drop a reference taken by spdm_find()
 * @spdm_state: SPDM state of the device
 */
void spdm_put(struct spdm_state *spdm_state)
{
	kref_put(&spdm_state->kref, spdm_release);
}

/**
 * spdm_destroy() - free the SPDM state of a device
 * @spdm_state: state returned by spdm_create(), or %NULL
 *
 * The transport is not called after this returns.  The memory goes once
 * netlink requests still holding the state are done with it.
 *
 * Context: process.
 */
void spdm_destroy(struct spdm_state *spdm_state)
{
	if (!spdm_state)
		return;

	mutex_lock(&spdm_states_lock);
	list_del(&spdm_state->list);
	mutex_unlock(&spdm_states_lock);

	/* A background authentication finishes (or never starts) first */
	cancel_work_sync(&spdm_state->auth_work);
	atomic_set(&spdm_state->auth_finished, INT_MAX);
	wake_up_all(&spdm_state->result_wq);

	/* Waits for an exchange in progress; none starts afterwards */
	mutex_lock(&spdm_state->lock);
	spdm_session_end(spdm_state);
	spdm_state->dead = true;
	spdm_reset(spdm_state);
	mutex_unlock(&spdm_state->lock);
	cancel_delayed_work_sync(&spdm_state->heartbeat_work);

	spdm_meas_sysfs_unregister(spdm_state);
	spdm_sig_log_destroy(spdm_state);
	spdm_put(spdm_state);
}
EXPORT_SYMBOL_GPL(spdm_destroy);

/**
 * spdm_auth_result() - outcome of the last authentication
 * @spdm_state: SPDM state of the device
 *
 * Context: process.
 *
 * Return: 0 if the device is authenticated, -EOPNOTSUPP if it does not
 * support authentication, else the reason it is not authenticated.
 */
int spdm_auth_result(struct spdm_state *spdm_state)
{
	int result;

	mutex_lock(&spdm_state->lock);
	result = spdm_state->auth_result;
	mutex_unlock(&spdm_state->lock);

	return result;
}
EXPORT_SYMBOL_GPL(spdm_auth_result);

/**
 * spdm_version() - SPDM version negotiated with the device
 * @spdm_state: SPDM state of the device
 *
 * Context: process.
 *
 * Return: version as major << 4 | minor (0x12 for 1.2), or 0 if none has
 * been negotiated.
 */
u8 spdm_version(struct spdm_state *spdm_state)
{
	u8 version;

	mutex_lock(&spdm_state->lock);
	version = spdm_state->version;
	mutex_unlock(&spdm_state->lock);

	return version;
}
EXPORT_SYMBOL_GPL(spdm_version);

MODULE_DESCRIPTION("DMTF Security Protocol and Data Model (SPDM) requester");
MODULE_LICENSE("GPL");
