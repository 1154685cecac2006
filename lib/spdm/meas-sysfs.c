// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * The "measurements" directory below a device: one subdirectory per
 * measurement block of the last complete read (named by its index) with
 * the value, its type and whether it is a digest or a raw bit stream.
 *
 * The blocks are replaced as a whole, with &spdm_state.lock held, each
 * time the measurements are read.  Block directories hold a copy of their
 * value, so reading them takes no lock.  "hash_algorithm" takes the lock,
 * so the directory itself is removed after the lock is dropped.
 */

#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "export.h"
#include "state.h"
#include "wire.h"

/**
 * struct spdm_meas_dir - the "measurements" directory of a device
 * @kobj: its kobject, a child of the device's
 * @spdm_state: SPDM state of the device
 * @blocks: the &struct spdm_meas_entry shown
 */
struct spdm_meas_dir {
	struct kobject kobj;
	struct spdm_state *spdm_state;
	struct list_head blocks;
};

/**
 * struct spdm_meas_entry - directory of one measurement block
 * @kobj: its kobject, named by the block's index
 * @list: entry in &spdm_meas_dir.blocks
 * @value_type: DMTFSpecMeasurementValueType
 * @len: size of @value
 * @value: DMTFSpecMeasurementValue
 */
struct spdm_meas_entry {
	struct kobject kobj;
	struct list_head list;
	u8 value_type;
	size_t len;
	u8 value[] __counted_by(len);
};

/* DMTFSpecMeasurementValueType bits 6:0 (DSP0274 table 46) */
static const char * const spdm_meas_type_names[] = {
	"immutable-rom",
	"mutable-firmware",
	"hardware-config",
	"firmware-config",
	"manifest",
	"device-mode",
	"firmware-version",
	"security-version",
	"hash-extended",
	"informational",
	"structured-manifest",
};

static struct spdm_meas_entry *to_spdm_meas_entry(struct kobject *kobj)
{
	return container_of(kobj, struct spdm_meas_entry, kobj);
}

static ssize_t spdm_meas_value_read(struct file *file, struct kobject *kobj,
				    const struct bin_attribute *attr, char *buf,
				    loff_t off, size_t count)
{
	struct spdm_meas_entry *e = to_spdm_meas_entry(kobj);

	return memory_read_from_buffer(buf, count, &off, e->value, e->len);
}

static const struct bin_attribute spdm_meas_value_attr = {
	.attr = { .name = "value", .mode = 0444 },
	.read = spdm_meas_value_read,
};

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	u8 type = to_spdm_meas_entry(kobj)->value_type & SPDM_MEAS_VALUE_TYPE;

	if (type < ARRAY_SIZE(spdm_meas_type_names))
		return sysfs_emit(buf, "%s\n", spdm_meas_type_names[type]);
	return sysfs_emit(buf, "%u\n", type);
}

static ssize_t format_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	u8 value_type = to_spdm_meas_entry(kobj)->value_type;

	return sysfs_emit(buf, "%s\n", value_type & SPDM_MEAS_VALUE_RAW ?
			  "raw" : "digest");
}

static struct kobj_attribute spdm_meas_type_attr = __ATTR_RO(type);
static struct kobj_attribute spdm_meas_format_attr = __ATTR_RO(format);

static struct attribute *spdm_meas_entry_attrs[] = {
	&spdm_meas_type_attr.attr,
	&spdm_meas_format_attr.attr,
	NULL
};

static const struct bin_attribute *const spdm_meas_entry_bin_attrs[] = {
	&spdm_meas_value_attr,
	NULL
};

/* An entry does not change once shown: "value" has its size */
static size_t spdm_meas_entry_bin_size(struct kobject *kobj,
				       const struct bin_attribute *attr, int n)
{
	return to_spdm_meas_entry(kobj)->len;
}

static const struct attribute_group spdm_meas_entry_group = {
	.attrs = spdm_meas_entry_attrs,
	.bin_attrs = spdm_meas_entry_bin_attrs,
	.bin_size = spdm_meas_entry_bin_size,
};
__ATTRIBUTE_GROUPS(spdm_meas_entry);

static void spdm_meas_entry_release(struct kobject *kobj)
{
	kfree(to_spdm_meas_entry(kobj));
}

static const struct kobj_type spdm_meas_entry_ktype = {
	.release = spdm_meas_entry_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = spdm_meas_entry_groups,
};

static struct spdm_meas_dir *to_spdm_meas_dir(struct kobject *kobj)
{
	return container_of(kobj, struct spdm_meas_dir, kobj);
}

static const char *spdm_meas_hash_name(u32 meas_hash_alg)
{
	switch (meas_hash_alg) {
	case SPDM_MEAS_HASH_RAW:
		return "raw";
	case SPDM_MEAS_HASH_SHA_256:
		return "sha256";
	case SPDM_MEAS_HASH_SHA_384:
		return "sha384";
	case SPDM_MEAS_HASH_SHA_512:
		return "sha512";
	case SPDM_MEAS_HASH_SHA3_256:
		return "sha3-256";
	case SPDM_MEAS_HASH_SHA3_384:
		return "sha3-384";
	case SPDM_MEAS_HASH_SHA3_512:
		return "sha3-512";
	case SPDM_MEAS_HASH_SM3_256:
		return "sm3";
	default:
		return "none";
	}
}

static ssize_t hash_algorithm_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct spdm_state *spdm_state = to_spdm_meas_dir(kobj)->spdm_state;
	u32 meas_hash_alg;

	mutex_lock(&spdm_state->lock);
	meas_hash_alg = spdm_state->meas_record ? spdm_state->meas_hash_alg : 0;
	mutex_unlock(&spdm_state->lock);

	return sysfs_emit(buf, "%s\n", spdm_meas_hash_name(meas_hash_alg));
}

static struct kobj_attribute spdm_meas_hash_algorithm_attr =
	__ATTR_RO(hash_algorithm);

static struct attribute *spdm_meas_dir_attrs[] = {
	&spdm_meas_hash_algorithm_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(spdm_meas_dir);

static void spdm_meas_dir_release(struct kobject *kobj)
{
	kfree(to_spdm_meas_dir(kobj));
}

static const struct kobj_type spdm_meas_dir_ktype = {
	.release = spdm_meas_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = spdm_meas_dir_groups,
};

static void spdm_meas_remove_blocks(struct spdm_meas_dir *dir)
{
	struct spdm_meas_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &dir->blocks, list) {
		list_del(&e->list);
		kobject_del(&e->kobj);
		kobject_put(&e->kobj);
	}
}

/* Show one block; the record was checked when it was received */
static int spdm_meas_add_block(struct spdm_meas_dir *dir,
			       const struct spdm_meas_block *b)
{
	size_t len = le16_to_cpu(b->value_size);
	struct spdm_meas_entry *e;
	int rc;

	e = kzalloc(struct_size(e, value, len), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->value_type = b->value_type;
	e->len = len;
	memcpy(e->value, b->value, len);

	kobject_init(&e->kobj, &spdm_meas_entry_ktype);
	rc = kobject_add(&e->kobj, &dir->kobj, "%u", b->index);
	if (rc) {
		kobject_put(&e->kobj);
		return rc;
	}
	list_add_tail(&e->list, &dir->blocks);
	return 0;
}

/**
 * spdm_meas_sysfs_update() - show the measurements just read
 * @spdm_state: SPDM state of the device
 *
 * Replaces the block directories with those of &spdm_state.meas_record,
 * if the "measurements" directory is registered.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_meas_sysfs_update(struct spdm_state *spdm_state)
{
	struct spdm_meas_dir *dir = spdm_state->meas_dir;
	const u8 *record = spdm_state->meas_record;
	size_t off = 0;
	int rc = 0;

	lockdep_assert_held(&spdm_state->lock);
	if (!dir)
		return;

	spdm_meas_remove_blocks(dir);
	while (!rc && off < spdm_state->meas_record_len) {
		const struct spdm_meas_block *b = (const void *)(record + off);

		rc = spdm_meas_add_block(dir, b);
		off += SPDM_MEAS_BLOCK_HDR_SZ + le16_to_cpu(b->size);
	}
	if (rc)
		dev_warn(spdm_state->dev, "Measurements not shown: %pe\n",
			 ERR_PTR(rc));
}

/**
 * spdm_meas_sysfs_register() - create the "measurements" directory
 * @spdm_state: SPDM state of the device
 *
 * Context: process, device in sysfs; takes @spdm_state->lock.
 *
 * Return: 0 on success (also if already registered), -ENODEV if
 * spdm_destroy() was called, or another negative errno.
 */
int spdm_meas_sysfs_register(struct spdm_state *spdm_state)
{
	struct spdm_meas_dir *dir;
	int rc;

	dir = kzalloc_obj(*dir);
	if (!dir)
		return -ENOMEM;
	dir->spdm_state = spdm_state;
	INIT_LIST_HEAD(&dir->blocks);
	kobject_init(&dir->kobj, &spdm_meas_dir_ktype);

	mutex_lock(&spdm_state->lock);
	if (spdm_state->dead)
		rc = -ENODEV;
	else if (spdm_state->meas_dir)
		rc = -EEXIST;
	else
		rc = kobject_add(&dir->kobj, &spdm_state->dev->kobj,
				 "measurements");
	if (!rc) {
		spdm_state->meas_dir = dir;
		spdm_meas_sysfs_update(spdm_state);
	}
	mutex_unlock(&spdm_state->lock);

	if (rc) {
		kobject_put(&dir->kobj);
		return rc == -EEXIST ? 0 : rc;
	}
	return 0;
}

/**
 * spdm_meas_sysfs_unregister() - remove the "measurements" directory
 * @spdm_state: SPDM state of the device
 *
 * Context: process; takes @spdm_state->lock.
 */
void spdm_meas_sysfs_unregister(struct spdm_state *spdm_state)
{
	struct spdm_meas_dir *dir;

	mutex_lock(&spdm_state->lock);
	dir = spdm_state->meas_dir;
	spdm_state->meas_dir = NULL;
	if (dir)
		spdm_meas_remove_blocks(dir);
	mutex_unlock(&spdm_state->lock);

	/* Waits for "hash_algorithm" readers, which take the lock */
	if (dir) {
		kobject_del(&dir->kobj);
		kobject_put(&dir->kobj);
	}
}
