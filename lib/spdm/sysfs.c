// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * sysfs attributes a bus attaches to its SPDM-capable devices: the
 * "certificates" and "session" directories.  ("authenticated" belongs to
 * the bus: for PCI, drivers/pci/tsm.c.)
 */

#include <linux/device.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "auth.h"
#include "export.h"
#include "session.h"
#include "state.h"
#include "wire.h"

/* Map a device to its SPDM state; add further bus types here. */
static struct spdm_state *dev_to_spdm_state(struct device *dev)
{
#ifdef CONFIG_PCI_CMA
	if (dev_is_pci(dev))
		return to_pci_dev(dev)->spdm_state;
#endif
	return NULL;
}

static ssize_t spdm_cert_read(struct file *file, struct kobject *kobj,
			      const struct bin_attribute *attr, char *buf,
			      loff_t off, size_t count)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(kobj_to_dev(kobj));
	size_t slot = (uintptr_t)attr->private;
	size_t hdr_sz;
	ssize_t rc = 0;

	if (!spdm_state)
		return -ENOTTY;

	mutex_lock(&spdm_state->lock);
	hdr_sz = sizeof(struct spdm_cert_chain) + spdm_state->hash_len;
	if (spdm_state->slot[slot])
		rc = memory_read_from_buffer(buf, count, &off,
					     spdm_state->slot[slot] + hdr_sz,
					     spdm_state->slot_sz[slot] - hdr_sz);
	mutex_unlock(&spdm_state->lock);

	return rc;
}

/* The chain's size, as of the last authentication */
static size_t spdm_certificates_bin_size(struct kobject *kobj,
					 const struct bin_attribute *a, int n)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(kobj_to_dev(kobj));
	size_t slot = (uintptr_t)a->private, size = 0;

	mutex_lock(&spdm_state->lock);
	if (spdm_state->slot[slot])
		size = spdm_state->slot_sz[slot] -
		       sizeof(struct spdm_cert_chain) - spdm_state->hash_len;
	mutex_unlock(&spdm_state->lock);

	return size;
}

#define SPDM_CERT_ATTR(n)						\
static const struct bin_attribute spdm_cert##n##_attr = {			\
	.attr = { .name = "slot" #n, .mode = 0444 },			\
	.read = spdm_cert_read,						\
	.private = (void *)n,						\
}

SPDM_CERT_ATTR(0);
SPDM_CERT_ATTR(1);
SPDM_CERT_ATTR(2);
SPDM_CERT_ATTR(3);
SPDM_CERT_ATTR(4);
SPDM_CERT_ATTR(5);
SPDM_CERT_ATTR(6);
SPDM_CERT_ATTR(7);

static const struct bin_attribute *const spdm_cert_attrs[] = {
	&spdm_cert0_attr, &spdm_cert1_attr, &spdm_cert2_attr,
	&spdm_cert3_attr, &spdm_cert4_attr, &spdm_cert5_attr,
	&spdm_cert6_attr, &spdm_cert7_attr,
	NULL
};

static bool spdm_certificates_group_visible(struct kobject *kobj)
{
	return dev_to_spdm_state(kobj_to_dev(kobj));
}

static umode_t spdm_certificates_attr_visible(struct kobject *kobj,
					      const struct bin_attribute *a,
					      int n)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(kobj_to_dev(kobj));
	size_t slot = (uintptr_t)a->private;
	u8 supported;

	if (!spdm_state)
		return 0;
	mutex_lock(&spdm_state->lock);
	supported = spdm_state->supported_slots;
	mutex_unlock(&spdm_state->lock);

	return supported & BIT(slot) ? a->attr.mode : 0;
}

DEFINE_SYSFS_BIN_GROUP_VISIBLE(spdm_certificates);

/*
 * spdm_certificates_group - "certificates" directory of SPDM devices
 *
 * One file per slot the device supports, holding the certificates of the
 * slot's chain as the device sent them (concatenated DER, root first,
 * without the SPDM chain header), its size that of the chain; empty if
 * the slot is not provisioned.
 */
const struct attribute_group spdm_certificates_group = {
	.name = "certificates",
	.bin_attrs = spdm_cert_attrs,
	.is_bin_visible = SYSFS_GROUP_VISIBLE(spdm_certificates),
	.bin_size = spdm_certificates_bin_size,
};
EXPORT_SYMBOL_GPL(spdm_certificates_group);

/**
 * spdm_update_certificates() - show the slots the device now supports
 * @spdm_state: SPDM state of the device
 *
 * The supported slots may have changed (SPDM 1.3 SupportedSlotMask).  Only
 * a device whose bus shows the "certificates" directory is updated: the
 * library also serves devices that have none.
 *
 * Context: process, @spdm_state->lock not held.
 */
void spdm_update_certificates(struct spdm_state *spdm_state)
{
	struct device *dev = spdm_state->dev;

	if (device_is_registered(dev) && dev_to_spdm_state(dev) == spdm_state)
		sysfs_update_group(&dev->kobj, &spdm_certificates_group);
}

static ssize_t established_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	bool established;

	mutex_lock(&spdm_state->lock);
	established = spdm_state->session && spdm_state->session->established;
	mutex_unlock(&spdm_state->lock);

	return sysfs_emit(buf, "%u\n", established);
}
static DEVICE_ATTR_RO(established);

/* Algorithms of the session: "DHE AEAD HASH PROTECTION", or "none" */
static ssize_t algorithms_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	ssize_t len;

	mutex_lock(&spdm_state->lock);
	if (spdm_state->session && spdm_state->session->established)
		len = sysfs_emit(buf, "%s %s %s %s\n", spdm_state->dhe_name,
				 spdm_state->aead_name,
				 spdm_state->base_hash_name,
				 spdm_state->session->mac_only ?
				 "mac-only" : "encrypted");
	else
		len = sysfs_emit(buf, "none\n");
	mutex_unlock(&spdm_state->lock);

	return len;
}
static DEVICE_ATTR_RO(algorithms);

static const char * const spdm_session_state_names[] = {
	[SPDM_SESSION_NONE] = "none",
	[SPDM_SESSION_ESTABLISHED] = "established",
	[SPDM_SESSION_ENDED] = "ended",
	[SPDM_SESSION_REFUSED] = "refused",
	[SPDM_SESSION_FAILED] = "failed",
	[SPDM_SESSION_REJECTED] = "rejected",
};

/* What became of the last session, one word */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	enum spdm_session_state state;

	mutex_lock(&spdm_state->lock);
	state = spdm_state->session_state;
	mutex_unlock(&spdm_state->lock);

	return sysfs_emit(buf, "%s\n", spdm_session_state_names[state]);
}
static DEVICE_ATTR_RO(state);

/* Why "state" reads what it reads; empty while established */
static ssize_t reason_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	ssize_t len;

	mutex_lock(&spdm_state->lock);
	len = sysfs_emit(buf, "%s\n", spdm_state->session_reason);
	mutex_unlock(&spdm_state->lock);

	return len;
}
static DEVICE_ATTR_RO(reason);

static ssize_t request_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	int rc;

	mutex_lock(&spdm_state->lock);
	if (spdm_state->dead)
		rc = -ENODEV;
	else if (sysfs_streq(buf, "heartbeat"))
		rc = spdm_session_heartbeat(spdm_state);
	else if (sysfs_streq(buf, "key_update"))
		rc = spdm_session_key_update(spdm_state,
					     SPDM_KEY_UPDATE_ALL_KEYS);
	else if (sysfs_streq(buf, "key_update_req"))
		rc = spdm_session_key_update(spdm_state,
					     SPDM_KEY_UPDATE_KEY);
	else if (sysfs_streq(buf, "end"))
		rc = spdm_state->session ? 0 : -ENOTCONN;
	else
		rc = -EINVAL;
	if (!rc && sysfs_streq(buf, "end"))
		spdm_session_end(spdm_state);
	mutex_unlock(&spdm_state->lock);

	return rc ? rc : count;
}
static DEVICE_ATTR_WO(request);

static struct attribute *spdm_session_attrs[] = {
	&dev_attr_established.attr,
	&dev_attr_algorithms.attr,
	&dev_attr_request.attr,
	&dev_attr_state.attr,
	&dev_attr_reason.attr,
	NULL
};

static bool spdm_session_group_visible(struct kobject *kobj)
{
	return dev_to_spdm_state(kobj_to_dev(kobj));
}

DEFINE_SIMPLE_SYSFS_GROUP_VISIBLE(spdm_session);

/*
 * spdm_session_group - "session" directory of SPDM devices
 *
 * "established" reads 1 while a secure session is established with the
 * device, else 0.  "algorithms" names its DHE group, AEAD suite, hash and
 * whether messages are encrypted or only authenticated ("none" without a
 * session).  "state" says what became of the last session (none,
 * established, ended, refused, failed, rejected) and "reason" why.
 * Writing "heartbeat", "key_update" (both directions),
 * "key_update_req" (requests only) or "end" to "request" (root only)
 * sends HEARTBEAT, KEY_UPDATE with VerifyNewKey or END_SESSION in the
 * session; the write fails with the reason (ENOTCONN: no session).
 */
const struct attribute_group spdm_session_group = {
	.name = "session",
	.attrs = spdm_session_attrs,
	.is_visible = SYSFS_GROUP_VISIBLE(spdm_session),
};
EXPORT_SYMBOL_GPL(spdm_session_group);

/* Why "authenticated" reads what it reads; empty while authenticated */
static ssize_t authentication_reason_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	ssize_t len;

	mutex_lock(&spdm_state->lock);
	len = sysfs_emit(buf, "%s\n", spdm_state->auth_reason);
	mutex_unlock(&spdm_state->lock);

	return len;
}

/* Outcome of the last same-device check */
static ssize_t identity_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	enum spdm_identity_state state;

	mutex_lock(&spdm_state->lock);
	state = spdm_state->identity_state;
	mutex_unlock(&spdm_state->lock);

	return sysfs_emit(buf, "%s\n", spdm_identity_name(state));
}
static DEVICE_ATTR_RO(identity);

/* "SLOT SHA384" of the accepted chain, empty if none was accepted */
static ssize_t accepted_chain_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct spdm_state *spdm_state = dev_to_spdm_state(dev);
	const struct spdm_identity *id = &spdm_state->accepted;
	ssize_t len;

	mutex_lock(&spdm_state->lock);
	if (id->set)
		len = sysfs_emit(buf, "%u %*phN\n", id->slot,
				 (int)sizeof(id->chain_digest),
				 id->chain_digest);
	else
		len = sysfs_emit(buf, "\n");
	mutex_unlock(&spdm_state->lock);

	return len;
}
static DEVICE_ATTR_RO(accepted_chain);

static ssize_t accept_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	bool accept;
	int rc;

	rc = kstrtobool(buf, &accept);
	if (rc)
		return rc;
	if (!accept)
		return -EINVAL;

	rc = spdm_accept_identity(dev_to_spdm_state(dev), NULL);
	return rc ? rc : count;
}
static DEVICE_ATTR_WO(accept);

static struct device_attribute dev_attr_authentication_reason =
	__ATTR(reason, 0444, authentication_reason_show, NULL);

static struct attribute *spdm_authentication_attrs[] = {
	&dev_attr_authentication_reason.attr,
	&dev_attr_identity.attr,
	&dev_attr_accepted_chain.attr,
	&dev_attr_accept.attr,
	NULL
};

static bool spdm_authentication_group_visible(struct kobject *kobj)
{
	return dev_to_spdm_state(kobj_to_dev(kobj));
}

DEFINE_SIMPLE_SYSFS_GROUP_VISIBLE(spdm_authentication);

/*
 * spdm_authentication_group - "authentication" directory of SPDM devices
 *
 * "reason" says why the bus's "authenticated" reads what it reads (empty
 * when authenticated).  "identity" is the outcome of the last same-device
 * check (none, accepted, changed), "accepted_chain" the slot and SHA-384
 * of the DER certificates of the accepted chain.  Writing 1 to "accept"
 * (root only) accepts the identity the device now presents after it read
 * "changed", and authenticates the device again.
 */
const struct attribute_group spdm_authentication_group = {
	.name = "authentication",
	.attrs = spdm_authentication_attrs,
	.is_visible = SYSFS_GROUP_VISIBLE(spdm_authentication),
};
EXPORT_SYMBOL_GPL(spdm_authentication_group);

/**
 * spdm_register_sysfs() - show the signature log and measurements
 * @spdm_state: SPDM state of the device
 *
 * Creates the "signatures" and "measurements" directories below the
 * device with what was received so far, including at enumeration, which
 * the bus ran before the device was in sysfs.  Later signatures and
 * measurements appear as they arrive.  Calling it again while registered
 * does nothing.
 *
 * Context: process, after the device was added to sysfs; takes
 * @spdm_state->lock.
 *
 * Return: 0 on success, -ENODEV if spdm_destroy() was called, or another
 * negative errno if the directories could not be created (nothing is
 * shown then).
 */
int spdm_register_sysfs(struct spdm_state *spdm_state)
{
	int rc;

	rc = spdm_sig_log_register(spdm_state);
	if (rc)
		return rc;

	rc = spdm_meas_sysfs_register(spdm_state);
	if (rc)
		spdm_sig_log_unregister(spdm_state);
	return rc;
}
EXPORT_SYMBOL_GPL(spdm_register_sysfs);

/**
 * spdm_unregister_sysfs() - remove the signature log and measurements
 * @spdm_state: SPDM state of the device
 *
 * Removes the directories spdm_register_sysfs() created; what they show
 * stays in memory until spdm_destroy().
 *
 * Context: process, before the device leaves sysfs; takes
 * @spdm_state->lock.
 */
void spdm_unregister_sysfs(struct spdm_state *spdm_state)
{
	spdm_meas_sysfs_unregister(spdm_state);
	spdm_sig_log_unregister(spdm_state);
}
EXPORT_SYMBOL_GPL(spdm_unregister_sysfs);
