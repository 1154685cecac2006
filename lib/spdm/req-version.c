// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * GET_VERSION / VERSION exchange (DSP0274 sec 10.3): the requester picks
 * the highest version both sides support.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

/* Header plus the largest possible VersionNumberEntryCount (255) */
#define SPDM_VERSION_RSP_MAX \
	(struct_size_t(struct spdm_get_version_rsp, version_number_entries, \
		       255) + SPDM_RSP_SLACK)

/**
 * spdm_select_version() - pick the version to use from a VERSION response
 * @rsp: VERSION response
 * @rsp_sz: number of bytes received
 * @version: set to the highest version supported by both sides
 *
 * Trailing bytes beyond the announced entries are ignored (transports such
 * as DOE pad messages to a dword multiple).
 *
 * Return: 0 on success, -EIO if @rsp is truncated or announces no entry,
 * -EPROTO if no version is supported by both sides.
 */
int spdm_select_version(const struct spdm_get_version_rsp *rsp,
			size_t rsp_sz, u8 *version)
{
	u8 best = 0;
	int i;

	if (rsp_sz < sizeof(*rsp) || !rsp->version_number_entry_count ||
	    rsp_sz < struct_size(rsp, version_number_entries,
				 rsp->version_number_entry_count))
		return -EIO;

	for (i = 0; i < rsp->version_number_entry_count; i++) {
		u16 entry = le16_to_cpu(rsp->version_number_entries[i]);
		u8 ver = FIELD_GET(SPDM_VER_ENTRY_MAJOR, entry) << 4 |
			 FIELD_GET(SPDM_VER_ENTRY_MINOR, entry);

		if (ver >= SPDM_MIN_VER && ver <= SPDM_MAX_VER && ver > best)
			best = ver;
	}

	if (!best)
		return -EPROTO;

	*version = best;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_select_version);

/**
 * spdm_get_version() - negotiate the SPDM version with the device
 * @spdm_state: SPDM state of the device
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on success, or a negative errno (logged).
 */
int spdm_get_version(struct spdm_state *spdm_state)
{
	struct spdm_header req = {
		.version = SPDM_VER_10,
		.code = SPDM_GET_VERSION,
	};
	struct spdm_get_version_rsp *rsp;
	size_t rsp_sz;
	ssize_t length;
	u8 version;
	int rc;

	rsp = kzalloc(SPDM_VERSION_RSP_MAX, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	length = spdm_exchange(spdm_state, &req, sizeof(req),
			       rsp, SPDM_VERSION_RSP_MAX);
	if (length < 0) {
		rc = length;
		goto out;
	}

	rc = spdm_select_version(rsp, length, &version);
	if (rc == -EIO) {
		dev_err(spdm_state->dev,
			"Malformed VERSION response (%zd bytes)\n", length);
		goto out;
	}
	if (rc) {
		dev_err(spdm_state->dev,
			"No SPDM version in common (we support 1.0 to 1.4)\n");
		goto out;
	}

	rsp_sz = struct_size(rsp, version_number_entries,
			     rsp->version_number_entry_count);
	rc = spdm_check_length(spdm_state, "VERSION", length, rsp_sz);
	if (!rc)
		rc = spdm_append_transcript(spdm_state, &req, sizeof(req));
	if (!rc)
		rc = spdm_append_transcript(spdm_state, rsp, rsp_sz);
	if (rc)
		goto out;

	spdm_state->version = version;
	dev_dbg(spdm_state->dev, "SPDM version %u.%u selected\n",
		version >> 4, version & 0xf);
out:
	kfree(rsp);
	return rc;
}
