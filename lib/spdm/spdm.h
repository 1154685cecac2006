/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Requester-internal definitions: wire formats and the device state.
 * Multi-byte fields are little endian (DSP0274 sec 7).
 */

#ifndef _LIB_SPDM_H_
#define _LIB_SPDM_H_

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/spdm.h>
#include <linux/types.h>

struct device;

/* SPDMVersion field: major in bits 7:4, minor in bits 3:0 */
#define SPDM_VER_10		0x10
#define SPDM_VER_11		0x11
#define SPDM_VER_12		0x12
#define SPDM_VER_13		0x13
#define SPDM_MIN_VER		SPDM_VER_10
#define SPDM_MAX_VER		SPDM_VER_13

/* Request and response codes, DSP0274 table 4 and 5 */
#define SPDM_REQ		0x80
#define SPDM_GET_VERSION	0x84
#define SPDM_VERSION		0x04
#define SPDM_ERROR		0x7f

struct spdm_header {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
} __packed;

/* VersionNumberEntry, DSP0274 table 9 */
#define SPDM_VER_ENTRY_MAJOR	GENMASK(15, 12)
#define SPDM_VER_ENTRY_MINOR	GENMASK(11, 8)
#define SPDM_VER_ENTRY_UPDATE	GENMASK(7, 4)
#define SPDM_VER_ENTRY_ALPHA	GENMASK(3, 0)

struct spdm_get_version_rsp {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;
	u8 reserved;
	u8 version_number_entry_count;
	__le16 version_number_entries[] __counted_by(version_number_entry_count);
} __packed;

/* ERROR response, DSP0274 table 58: Param1 is the ErrorCode */
struct spdm_error_rsp {
	u8 version;
	u8 code;
	u8 error_code;
	u8 error_data;
	u8 extended_error_data[];
} __packed;

/**
 * struct spdm_state - SPDM session state of one device
 * @lock: serializes exchanges with the device and access to the fields
 * @dev: device the state belongs to
 * @transport: transport callback
 * @transport_priv: transport private data
 * @transport_sz: largest message the transport carries (bytes)
 * @version: negotiated SPDM version, 0 before GET_VERSION succeeded
 */
struct spdm_state {
	struct mutex lock;
	struct device *dev;
	spdm_transport *transport;
	void *transport_priv;
	u32 transport_sz;
	u8 version;
};

ssize_t spdm_exchange(struct spdm_state *spdm_state,
		      void *req, size_t req_sz, void *rsp, size_t rsp_sz);
int spdm_get_version(struct spdm_state *spdm_state);
int spdm_select_version(const struct spdm_get_version_rsp *rsp,
			size_t rsp_sz, u8 *version);

#endif /* _LIB_SPDM_H_ */
