/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device measurements of the software responder (meas_store.c): their
 * configuration (built-in set, a file re-read when it changes, N
 * synthetic blocks), the blocks, the MeasurementSummaryHash and the L1/L2
 * bookkeeping.  GET_MEASUREMENTS itself is in measurements.c.
 */
#ifndef SPDM_RESPONDER_MEASUREMENTS_H
#define SPDM_RESPONDER_MEASUREMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "msg.h"

struct spdm_device;
struct spdm_request;

/* MeasurementSpecification: the DMTF measurement block format */
#define SPDM_MEAS_SPEC_DMTF		0x01

/* MeasurementHashAlgo bits (DSP0274 ALGORITHMS) */
#define SPDM_MEAS_HASH_RAW		(1U << 0)	/* raw bit streams only */
#define SPDM_MEAS_HASH_SHA256		(1U << 1)
#define SPDM_MEAS_HASH_SHA384		(1U << 2)
#define SPDM_MEAS_HASH_SHA512		(1U << 3)
#define SPDM_MEAS_HASH_DIGESTS		(SPDM_MEAS_HASH_SHA256 | \
					 SPDM_MEAS_HASH_SHA384 | \
					 SPDM_MEAS_HASH_SHA512)

/* MEAS_CAP values in CAPABILITIES Flags bits 4:3 */
#define SPDM_MEAS_CAP_NONE		0
#define SPDM_MEAS_CAP_NOSIG		1
#define SPDM_MEAS_CAP_SIG		2
#define SPDM_MEAS_CAP_SHIFT		3

/* DMTFSpecMeasurementValueType */
#define SPDM_MEAS_TYPE_ROM		0	/* immutable ROM */
#define SPDM_MEAS_TYPE_FIRMWARE		1	/* mutable firmware */
#define SPDM_MEAS_TYPE_HW_CONFIG	2
#define SPDM_MEAS_TYPE_FW_CONFIG	3
#define SPDM_MEAS_TYPE_FW_VERSION	6
#define SPDM_MEAS_TYPE_MASK		0x7f
#define SPDM_MEAS_TYPE_RAW		0x80	/* raw bit stream, not a digest */

#define SPDM_MEAS_MAX_BLOCKS		254	/* indices 1..0xFE */
#define SPDM_MEAS_MAX_VALUE		(0xffff - 3)	/* MeasurementSize is 16 bits */

/* Where a device's measurements come from. */
enum spdm_meas_source {
	SPDM_MEAS_SRC_DEFAULT,	/* built-in set if the device can sign */
	SPDM_MEAS_SRC_NONE,	/* meas=none: no MEAS_CAP */
	SPDM_MEAS_SRC_BUILTIN,	/* meas=builtin */
	SPDM_MEAS_SRC_FILE,	/* meas=FILE, re-read when it changes */
	SPDM_MEAS_SRC_COUNT,	/* meas-count=N synthetic digest blocks */
};

/* What a --port asks for (part of struct spdm_dev_config). */
struct spdm_meas_config {
	enum spdm_meas_source src;
	const char *file;
	unsigned int count;
	uint32_t hash_mask;	/* MeasurementHashAlgo bits supported */
	uint8_t cap;		/* SPDM_MEAS_CAP_*, or NONE: by the keys */
};

/* One measurement: a DMTF measurement block before hashing. */
struct spdm_meas_block {
	uint8_t index;		/* 1..0xFE */
	uint8_t type;		/* DMTFSpecMeasurementValueType bits 6:0 */
	bool raw;		/* sent as is, not hashed */
	uint8_t *value;		/* the measured content */
	size_t len;
};

struct spdm_meas_set {
	struct spdm_meas_block *block;	/* ascending index */
	unsigned int count;
};

/* Per device: configuration, the measurements and the L1/L2 state. */
struct spdm_meas_dev {
	enum spdm_meas_source src;
	char *file;
	bool stat_valid;		/* the file's identity below is known */
	dev_t st_dev;
	ino_t st_ino;
	off_t st_size;
	long long st_mtime_ns;
	struct spdm_meas_set set;
	unsigned long generation;	/* counts changes of @set */
	uint32_t hash_mask;
	uint8_t cap;			/* MEAS_CAP we announce */

	/* the connection */
	uint8_t spec_sel;		/* MeasurementSpecificationSel */
	uint32_t hash_sel;		/* MeasurementHashAlgo selected */
	struct msg l1;			/* L1 without the VCA */
	unsigned long l1_generation;	/* @generation when @l1 started */
};

void spdm_meas_config_init(struct spdm_meas_config *cfg);
int spdm_meas_parse_hash(const char *list, uint32_t *mask);
void spdm_meas_hash_format(uint32_t mask, char *buf, size_t len);
int spdm_meas_parse_type(const char *s, uint8_t *type);
int spdm_meas_load_file(const char *path, struct spdm_meas_set *set,
			char *err, size_t errlen);
void spdm_meas_set_free(struct spdm_meas_set *set);

void spdm_meas_init(struct spdm_device *dev);
int spdm_meas_configure(struct spdm_device *dev,
			const struct spdm_meas_config *cfg, bool can_sign,
			char *err, size_t errlen);
void spdm_meas_release(struct spdm_device *dev);
void spdm_meas_conn_reset(struct spdm_device *dev);
void spdm_meas_describe(const struct spdm_device *dev, char *buf, size_t len);

void spdm_meas_select(const struct spdm_device *dev, uint8_t offered_spec,
		      uint32_t base_hash, uint8_t *spec_sel, uint32_t *hash_sel);
void spdm_meas_transcript_track(struct spdm_device *dev,
				const struct spdm_request *req,
				const struct msg *rsp);
void spdm_meas_refresh(struct spdm_device *dev);
int spdm_meas_put_block(const struct spdm_device *dev,
			const struct spdm_meas_block *b, bool raw, uint8_t spec,
			struct msg *out);
int spdm_meas_summary(struct spdm_device *dev, uint8_t type, uint8_t *out);

#endif /* SPDM_RESPONDER_MEASUREMENTS_H */
