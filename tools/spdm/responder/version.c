// SPDX-License-Identifier: GPL-2.0
/*
 * GET_VERSION / VERSION (DSP0274 1.3 sec 10.3).
 */
#include <string.h>

#include "log.h"
#include "handlers.h"

/* The version the bad-version switch adds when given none. */
static uint16_t next_version(const struct spdm_version_set *set)
{
	uint16_t top = set->entry[set->count - 1];

	if (((top >> 8) & 0xf) < 15)
		return top + SPDM_VNE(0, 1);
	return SPDM_VNE((top >> 12) + 1, 0);
}

static void offered_versions(struct spdm_device *dev,
			     struct spdm_version_set *set)
{
	const struct misbehave_switch *sw;
	uint16_t extra;

	if (misbehave_get(&dev->misbehave, MB_UNSUPPORTED_VERSION,
			  SPDM_GET_VERSION)) {
		/* nothing a 1.x requester can use: 0.9 and 2.0 */
		log_msg("port %u: misbehave unsupported-version: VERSION lists only 0.9 and 2.0",
			dev->port);
		memset(set, 0, sizeof(*set));
		spdm_versions_add(set, SPDM_VNE(0, 9));
		spdm_versions_add(set, SPDM_VNE(2, 0));
		return;
	}
	*set = dev->versions;
	sw = misbehave_get(&dev->misbehave, MB_BAD_VERSION, SPDM_GET_VERSION);
	if (!sw || set->count >= SPDM_MAX_VERSIONS)
		return;
	extra = sw->has_value ? sw->value : next_version(set);
	log_msg("port %u: misbehave bad-version: VERSION also lists %u.%u",
		dev->port, extra >> 12, (extra >> 8) & 0xf);
	spdm_versions_add(set, extra);
}

/*
 * GET_VERSION must be sent as version 1.0 and restarts the connection
 * (no version selected, DSP0274 1.3 sec 10.3): the transcript starts
 * over with GET_VERSION and VERSION as its first messages (VCA, part A).
 * VERSION lists the device's versions.
 */
int spdm_get_version(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	const uint8_t hdr[SPDM_HDR_LEN] = { SPDM_VER_10, SPDM_VERSION, 0, 0 };
	struct spdm_version_set set;
	unsigned int i;
	int ret;

	if (req->version != SPDM_VER_10) {
		log_msg("port %u: rejected GET_VERSION of version 0x%02x (not 0x10), ERROR VersionMismatch",
			dev->port, req->version);
		return spdm_error(rsp, SPDM_VER_10, SPDM_ERR_VERSION_MISMATCH,
				  0, NULL, 0);
	}
	if (!spdm_req_len_ok(req, SPDM_HDR_LEN))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, not %d", req->len, SPDM_HDR_LEN);
	spdm_conn_reset(dev);
	offered_versions(dev, &set);
	ret = msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_put_u8(rsp, 0);		/* Reserved */
	ret = ret ?: msg_put_u8(rsp, set.count);	/* VersionNumberEntryCount */
	for (i = 0; i < set.count && !ret; i++)
		ret = msg_put_le16(rsp, set.entry[i]);
	ret = ret ?: spdm_transcript_add(&dev->vca, req->buf, SPDM_HDR_LEN,
					 rsp->data, rsp->len);
	if (!ret)
		dev->state = SPDM_CONN_AFTER_VERSION;
	return ret;
}
