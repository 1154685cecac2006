// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Signature log: each signature a device returns is kept with everything
 * a verifier needs to check it on its own (transcript, nonces, combined
 * prefix, hash algorithm, certificate chain) and shown in a "signatures"
 * directory below the device, one numbered subdirectory per signature.
 * The log is bounded in size; the oldest entries go first.
 *
 * The first signature arrives at enumeration, before the device is in
 * sysfs, so the log lives in memory and the bus calls
 * spdm_register_sysfs() once the device's directory exists.
 *
 * The log is guarded by the device's &spdm_state.lock.  Entries are
 * immutable, so reading their files takes no lock and entry directories
 * may be removed with the lock held (removal waits for readers).  Only
 * "max_size" takes the lock, so the "signatures" directory is removed
 * after the lock is dropped.
 */

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/sysfs.h>

#include "auth.h"
#include "crypto.h"
#include "export.h"
#include "state.h"
#include "wire.h"

#define SPDM_SIG_LOG_MAX_SIZE	SZ_1M

/* The binary files of an entry; their data follow each other in @data */
enum spdm_sig_blob {
	SPDM_SIG_TRANSCRIPT,
	SPDM_SIG_SIGNATURE,
	SPDM_SIG_REQ_NONCE,
	SPDM_SIG_RSP_NONCE,
	SPDM_SIG_PREFIX,
	SPDM_SIG_CERT_CHAIN,
	SPDM_SIG_BLOBS
};

/**
 * struct spdm_sig_dir - the "signatures" directory of a device
 * @kobj: its kobject, a child of the device's
 * @spdm_state: SPDM state of the device
 */
struct spdm_sig_dir {
	struct kobject kobj;
	struct spdm_state *spdm_state;
};

/**
 * struct spdm_sig_log - signatures received from a device
 * @entries: the &struct spdm_sig_entry, oldest first
 * @size: bytes of data of @entries
 * @max_size: limit of @size; the newest entry stays even if it exceeds it
 * @next_seq: number of the next entry
 * @dir: the "signatures" directory, %NULL while the log is not in sysfs
 */
struct spdm_sig_log {
	struct list_head entries;
	size_t size;
	size_t max_size;
	u64 next_seq;
	struct spdm_sig_dir *dir;
};

/**
 * struct spdm_sig_entry - one signature and its evidence, never changed
 * @kobj: its directory, named by @seq, a child of "signatures"
 * @list: entry in &spdm_sig_log.entries
 * @seq: sequence number, never reused for the device
 * @type: exchange the signature belongs to
 * @version: negotiated SPDM version
 * @slot: slot whose leaf key signed
 * @sig_valid: the signature verified with the slot's leaf key
 * @identity: outcome of the same-device check when it was logged
 * @hash_algo: crypto API name of the negotiated hash
 * @off: offset of each &enum spdm_sig_blob in @data
 * @len: size of each &enum spdm_sig_blob
 * @size: size of @data
 * @data: the binary files
 */
struct spdm_sig_entry {
	struct kobject kobj;
	struct list_head list;
	u64 seq;
	enum spdm_sig_type type;
	u8 version;
	u8 slot;
	bool sig_valid;
	enum spdm_identity_state identity;
	const char *hash_algo;
	size_t off[SPDM_SIG_BLOBS];
	size_t len[SPDM_SIG_BLOBS];
	size_t size;
	u8 *data;
};

static struct spdm_sig_entry *to_spdm_sig_entry(struct kobject *kobj)
{
	return container_of(kobj, struct spdm_sig_entry, kobj);
}

static ssize_t spdm_sig_blob_read(struct file *file, struct kobject *kobj,
				  const struct bin_attribute *attr, char *buf,
				  loff_t off, size_t count)
{
	struct spdm_sig_entry *e = to_spdm_sig_entry(kobj);
	enum spdm_sig_blob blob = (uintptr_t)attr->private;

	return memory_read_from_buffer(buf, count, &off, e->data + e->off[blob],
				       e->len[blob]);
}

#define SPDM_SIG_BLOB_ATTR(_name, _blob)				\
static const struct bin_attribute spdm_sig_##_name##_attr = {		\
	.attr = { .name = #_name, .mode = 0444 },			\
	.read = spdm_sig_blob_read,					\
	.private = (void *)(_blob),					\
}

SPDM_SIG_BLOB_ATTR(transcript, SPDM_SIG_TRANSCRIPT);
SPDM_SIG_BLOB_ATTR(signature, SPDM_SIG_SIGNATURE);
SPDM_SIG_BLOB_ATTR(requester_nonce, SPDM_SIG_REQ_NONCE);
SPDM_SIG_BLOB_ATTR(responder_nonce, SPDM_SIG_RSP_NONCE);
SPDM_SIG_BLOB_ATTR(combined_spdm_prefix, SPDM_SIG_PREFIX);
SPDM_SIG_BLOB_ATTR(certificate_chain, SPDM_SIG_CERT_CHAIN);

static const struct bin_attribute *const spdm_sig_entry_bin_attrs[] = {
	&spdm_sig_transcript_attr,
	&spdm_sig_signature_attr,
	&spdm_sig_requester_nonce_attr,
	&spdm_sig_responder_nonce_attr,
	&spdm_sig_combined_spdm_prefix_attr,
	&spdm_sig_certificate_chain_attr,
	NULL
};

static ssize_t spdm_sig_hash_algorithm_show(struct kobject *kobj,
					    struct kobj_attribute *attr,
					    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_spdm_sig_entry(kobj)->hash_algo);
}

static ssize_t spdm_sig_slot_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_spdm_sig_entry(kobj)->slot);
}

static const char * const spdm_sig_type_names[] = {
	[SPDM_SIG_TYPE_CHALLENGE] = "challenge",
	[SPDM_SIG_TYPE_MEASUREMENTS] = "measurements",
	[SPDM_SIG_TYPE_KEY_EXCHANGE] = "key_exchange",
};

static ssize_t spdm_sig_type_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  spdm_sig_type_names[to_spdm_sig_entry(kobj)->type]);
}

static ssize_t spdm_sig_version_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	u8 version = to_spdm_sig_entry(kobj)->version;

	return sysfs_emit(buf, "%u.%u\n", version >> 4, version & 0xf);
}

static ssize_t spdm_sig_signature_valid_show(struct kobject *kobj,
					     struct kobj_attribute *attr,
					     char *buf)
{
	return sysfs_emit(buf, "%u\n", to_spdm_sig_entry(kobj)->sig_valid);
}

static ssize_t spdm_sig_identity_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  spdm_identity_name(to_spdm_sig_entry(kobj)->identity));
}

static struct kobj_attribute spdm_sig_hash_algorithm_attr =
	__ATTR(hash_algorithm, 0444, spdm_sig_hash_algorithm_show, NULL);
static struct kobj_attribute spdm_sig_slot_attr =
	__ATTR(slot, 0444, spdm_sig_slot_show, NULL);
static struct kobj_attribute spdm_sig_type_attr =
	__ATTR(type, 0444, spdm_sig_type_show, NULL);
static struct kobj_attribute spdm_sig_version_attr =
	__ATTR(version, 0444, spdm_sig_version_show, NULL);
static struct kobj_attribute spdm_sig_signature_valid_attr =
	__ATTR(signature_valid, 0444, spdm_sig_signature_valid_show, NULL);
static struct kobj_attribute spdm_sig_identity_attr =
	__ATTR(identity, 0444, spdm_sig_identity_show, NULL);

static struct attribute *spdm_sig_entry_attrs[] = {
	&spdm_sig_hash_algorithm_attr.attr,
	&spdm_sig_slot_attr.attr,
	&spdm_sig_type_attr.attr,
	&spdm_sig_version_attr.attr,
	&spdm_sig_signature_valid_attr.attr,
	&spdm_sig_identity_attr.attr,
	NULL
};

/* An entry does not change once logged: each blob file has its size */
static size_t spdm_sig_entry_bin_size(struct kobject *kobj,
				      const struct bin_attribute *attr, int n)
{
	enum spdm_sig_blob blob = (uintptr_t)attr->private;

	return to_spdm_sig_entry(kobj)->len[blob];
}

static const struct attribute_group spdm_sig_entry_group = {
	.attrs = spdm_sig_entry_attrs,
	.bin_attrs = spdm_sig_entry_bin_attrs,
	.bin_size = spdm_sig_entry_bin_size,
};
__ATTRIBUTE_GROUPS(spdm_sig_entry);

static void spdm_sig_entry_release(struct kobject *kobj)
{
	struct spdm_sig_entry *e = to_spdm_sig_entry(kobj);

	kvfree(e->data);
	kfree(e);
}

static const struct kobj_type spdm_sig_entry_ktype = {
	.release = spdm_sig_entry_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = spdm_sig_entry_groups,
};

/* Drop the oldest entries until the log fits, but never the newest */
static void spdm_sig_log_trim(struct spdm_sig_log *log)
{
	struct spdm_sig_entry *e;

	while (log->size > log->max_size && !list_is_singular(&log->entries)) {
		e = list_first_entry(&log->entries, struct spdm_sig_entry,
				     list);
		list_del(&e->list);
		log->size -= e->size;
		if (e->kobj.state_in_sysfs)
			kobject_del(&e->kobj);
		kobject_put(&e->kobj);
	}
}

static struct spdm_sig_dir *to_spdm_sig_dir(struct kobject *kobj)
{
	return container_of(kobj, struct spdm_sig_dir, kobj);
}

static ssize_t max_size_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct spdm_state *spdm_state = to_spdm_sig_dir(kobj)->spdm_state;
	size_t max_size;

	mutex_lock(&spdm_state->lock);
	max_size = spdm_state->sig_log->max_size;
	mutex_unlock(&spdm_state->lock);

	return sysfs_emit(buf, "%zu\n", max_size);
}

static ssize_t max_size_store(struct kobject *kobj,
			      struct kobj_attribute *attr, const char *buf,
			      size_t count)
{
	struct spdm_state *spdm_state = to_spdm_sig_dir(kobj)->spdm_state;
	unsigned long max_size;
	int rc;

	rc = kstrtoul(buf, 0, &max_size);
	if (rc)
		return rc;

	/* The log outlives the directory: see spdm_sig_log_destroy() */
	mutex_lock(&spdm_state->lock);
	spdm_state->sig_log->max_size = max_size;
	spdm_sig_log_trim(spdm_state->sig_log);
	mutex_unlock(&spdm_state->lock);

	return count;
}

static struct kobj_attribute spdm_sig_max_size_attr = __ATTR_RW(max_size);

static struct attribute *spdm_sig_dir_attrs[] = {
	&spdm_sig_max_size_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(spdm_sig_dir);

static void spdm_sig_dir_release(struct kobject *kobj)
{
	kfree(to_spdm_sig_dir(kobj));
}

static const struct kobj_type spdm_sig_dir_ktype = {
	.release = spdm_sig_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = spdm_sig_dir_groups,
};

/* The log of the device, allocated on first use; lock held */
static struct spdm_sig_log *spdm_sig_log_get(struct spdm_state *spdm_state)
{
	struct spdm_sig_log *log = spdm_state->sig_log;

	if (log)
		return log;

	log = kzalloc_obj(*log);
	if (!log)
		return NULL;

	INIT_LIST_HEAD(&log->entries);
	log->max_size = SPDM_SIG_LOG_MAX_SIZE;
	spdm_state->sig_log = log;
	return log;
}

/*
 * A copy of the evidence of the signature just received.  The exchange
 * code checked the lengths; the copy is still bounded by the sizes
 * recorded in @spdm_state.
 */
static struct spdm_sig_entry *
spdm_sig_entry_create(struct spdm_state *spdm_state,
		      const struct spdm_evidence *ev)
{
	u8 prefix[SPDM_COMBINED_PREFIX_SZ];
	const u8 *src[SPDM_SIG_BLOBS];
	size_t tlen = ev->transcript_len;
	u8 slot = ev->slot;
	struct spdm_sig_entry *e;
	int i;

	if (WARN_ON_ONCE(slot >= SPDM_SLOTS ||
			 spdm_state->sig_len > SPDM_MAX_SIG_SZ ||
			 spdm_state->slot_sz[slot] > SPDM_MAX_CERT_CHAIN_SZ ||
			 ev->req_nonce_off > tlen ||
			 tlen - ev->req_nonce_off < SPDM_NONCE_SZ ||
			 ev->rsp_nonce_off > tlen ||
			 tlen - ev->rsp_nonce_off < SPDM_NONCE_SZ))
		return ERR_PTR(-EINVAL);

	e = kzalloc_obj(*e);
	if (!e)
		return ERR_PTR(-ENOMEM);

	src[SPDM_SIG_TRANSCRIPT] = ev->transcript;
	e->len[SPDM_SIG_TRANSCRIPT] = tlen;
	src[SPDM_SIG_SIGNATURE] = ev->sig;
	e->len[SPDM_SIG_SIGNATURE] = spdm_state->sig_len;
	src[SPDM_SIG_REQ_NONCE] = ev->transcript + ev->req_nonce_off;
	e->len[SPDM_SIG_REQ_NONCE] = SPDM_NONCE_SZ;
	src[SPDM_SIG_RSP_NONCE] = ev->transcript + ev->rsp_nonce_off;
	e->len[SPDM_SIG_RSP_NONCE] = SPDM_NONCE_SZ;
	src[SPDM_SIG_PREFIX] = prefix;
	if (spdm_state->version >= SPDM_VER_12) {
		spdm_build_combined_prefix(spdm_state->version, ev->context,
					   prefix);
		e->len[SPDM_SIG_PREFIX] = sizeof(prefix);
	}
	src[SPDM_SIG_CERT_CHAIN] = spdm_state->slot[slot];
	if (spdm_state->slot[slot])
		e->len[SPDM_SIG_CERT_CHAIN] = spdm_state->slot_sz[slot];

	for (i = 0; i < SPDM_SIG_BLOBS; i++) {
		e->off[i] = e->size;
		e->size += e->len[i];
	}

	e->data = kvmalloc(e->size, GFP_KERNEL);
	if (!e->data) {
		kfree(e);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < SPDM_SIG_BLOBS; i++)
		if (e->len[i])
			memcpy(e->data + e->off[i], src[i], e->len[i]);

	e->type = ev->type;
	e->version = spdm_state->version;
	e->slot = slot;
	e->sig_valid = ev->valid;
	e->identity = spdm_state->identity_state;
	e->hash_algo = spdm_state->base_hash_name;
	kobject_init(&e->kobj, &spdm_sig_entry_ktype);
	return e;
}

static int spdm_sig_entry_add(struct spdm_sig_log *log,
			      struct spdm_sig_entry *e)
{
	return kobject_add(&e->kobj, &log->dir->kobj, "%llu", e->seq);
}

/**
 * spdm_log_signature() - add the signature just received to the log
 * @spdm_state: SPDM state of the device
 * @ev: evidence of the signature
 *
 * The entry is shown in sysfs right away if the log is registered there,
 * otherwise once it is.  Old entries are dropped to keep the log within
 * its maximum size.  A signature that cannot be logged (out of memory)
 * is reported in the kernel log.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_log_signature(struct spdm_state *spdm_state,
			const struct spdm_evidence *ev)
{
	struct spdm_sig_entry *e;
	struct spdm_sig_log *log;
	int rc;

	lockdep_assert_held(&spdm_state->lock);

	log = spdm_sig_log_get(spdm_state);
	if (!log) {
		rc = -ENOMEM;
		goto err;
	}

	e = spdm_sig_entry_create(spdm_state, ev);
	if (IS_ERR(e)) {
		rc = PTR_ERR(e);
		goto err;
	}

	e->seq = log->next_seq++;
	list_add_tail(&e->list, &log->entries);
	log->size += e->size;

	if (log->dir) {
		rc = spdm_sig_entry_add(log, e);
		if (rc) {
			list_del(&e->list);
			log->size -= e->size;
			kobject_put(&e->kobj);
			goto err;
		}
	}

	spdm_sig_log_trim(log);
	return;

err:
	dev_warn(spdm_state->dev, "Signature not logged: %pe\n", ERR_PTR(rc));
}

/**
 * spdm_sig_log_register() - show the signature log in sysfs
 * @spdm_state: SPDM state of the device
 *
 * Creates the "signatures" directory below the device with the entries
 * logged so far, among them the signature of the authentication at
 * enumeration, which the bus ran before the device was in sysfs.  Later
 * entries appear as they are logged.  Calling it again while registered
 * does nothing.
 *
 * Context: process, device in sysfs; takes @spdm_state->lock.
 *
 * Return: 0 on success, -ENODEV if spdm_destroy() was called, or another
 * negative errno (nothing is shown then).
 */
int spdm_sig_log_register(struct spdm_state *spdm_state)
{
	struct spdm_sig_entry *e;
	struct spdm_sig_log *log;
	struct spdm_sig_dir *dir;
	int rc;

	dir = kzalloc_obj(*dir);
	if (!dir)
		return -ENOMEM;
	dir->spdm_state = spdm_state;
	kobject_init(&dir->kobj, &spdm_sig_dir_ktype);

	mutex_lock(&spdm_state->lock);
	if (spdm_state->dead)
		rc = -ENODEV;
	else if (!spdm_sig_log_get(spdm_state))
		rc = -ENOMEM;
	else if (spdm_state->sig_log->dir)
		rc = -EEXIST;
	else
		rc = kobject_add(&dir->kobj, &spdm_state->dev->kobj,
				 "signatures");
	if (rc) {
		mutex_unlock(&spdm_state->lock);
		kobject_put(&dir->kobj);
		return rc == -EEXIST ? 0 : rc;
	}

	log = spdm_state->sig_log;
	log->dir = dir;
	list_for_each_entry(e, &log->entries, list) {
		rc = spdm_sig_entry_add(log, e);
		if (rc)
			break;
	}
	mutex_unlock(&spdm_state->lock);

	if (rc)
		spdm_sig_log_unregister(spdm_state);
	return rc;
}

/**
 * spdm_sig_log_unregister() - remove the signature log from sysfs
 * @spdm_state: SPDM state of the device
 *
 * Removes the "signatures" directory; the log itself stays in memory
 * until spdm_destroy().  Does nothing if the log is not in sysfs.
 *
 * Context: process; takes @spdm_state->lock.
 */
void spdm_sig_log_unregister(struct spdm_state *spdm_state)
{
	struct spdm_sig_dir *dir = NULL;
	struct spdm_sig_entry *e;

	mutex_lock(&spdm_state->lock);
	if (spdm_state->sig_log) {
		dir = spdm_state->sig_log->dir;
		spdm_state->sig_log->dir = NULL;
		list_for_each_entry(e, &spdm_state->sig_log->entries, list)
			if (e->kobj.state_in_sysfs)
				kobject_del(&e->kobj);
	}
	mutex_unlock(&spdm_state->lock);

	/* Waits for "max_size" accesses, which take the lock */
	if (dir) {
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
	}
}

/**
 * spdm_sig_log_destroy() - free the signature log of a device
 * @spdm_state: SPDM state of the device, marked dead
 *
 * Context: process, from spdm_destroy(); takes @spdm_state->lock.
 */
void spdm_sig_log_destroy(struct spdm_state *spdm_state)
{
	struct spdm_sig_entry *e, *tmp;
	struct spdm_sig_log *log;

	spdm_sig_log_unregister(spdm_state);

	mutex_lock(&spdm_state->lock);
	log = spdm_state->sig_log;
	spdm_state->sig_log = NULL;
	mutex_unlock(&spdm_state->lock);

	if (!log)
		return;

	list_for_each_entry_safe(e, tmp, &log->entries, list) {
		list_del(&e->list);
		kobject_put(&e->kobj);
	}
	kfree(log);
}
