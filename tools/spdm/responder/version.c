// SPDX-License-Identifier: GPL-2.0
/*
 * GET_VERSION / VERSION (DSP0274) and SPDM version lists.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "spdm.h"

/* Versions of DSP0274 this responder may be configured to offer. */
#define SPDM_KNOWN_MIN		SPDM_VNE(1, 0)
#define SPDM_KNOWN_MAX		SPDM_VNE(1, 4)

static int parse_number(const char **s, unsigned int max, unsigned int *v)
{
	const char *p = *s;

	*v = 0;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		*v = *v * 10 + (*p - '0');
		if (*v > max)
			return -EINVAL;
	}
	*s = p;
	return 0;
}

/* "M.N", decimal, major 1-15, minor 0-15 -> VersionNumberEntry. */
int spdm_version_parse(const char *s, uint16_t *vne)
{
	unsigned int major, minor;

	if (parse_number(&s, 15, &major) || *s++ != '.' ||
	    parse_number(&s, 15, &minor) || *s || major < 1)
		return -EINVAL;
	*vne = SPDM_VNE(major, minor);
	return 0;
}

static void set_add(struct spdm_version_set *set, uint16_t vne)
{
	unsigned int i, j;

	for (i = 0; i < set->count && set->entry[i] < vne; i++)
		;
	if (i < set->count && set->entry[i] == vne)
		return;
	for (j = set->count; j > i; j--)
		set->entry[j] = set->entry[j - 1];
	set->entry[i] = vne;
	set->count++;
}

/* Parse "1.0,1.2,..." into @set (sorted, without duplicates). */
int spdm_versions_parse(const char *list, struct spdm_version_set *set,
			const char **why)
{
	char *copy, *item, *save = NULL;
	uint16_t vne;
	int ret = 0;

	memset(set, 0, sizeof(*set));
	copy = strdup(list);
	if (!copy) {
		*why = "out of memory";
		return -ENOMEM;
	}
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		if (spdm_version_parse(item, &vne)) {
			*why = "not a version (M.N)";
			ret = -EINVAL;
		} else if (vne < SPDM_KNOWN_MIN || vne > SPDM_KNOWN_MAX) {
			*why = "not an SPDM version this responder knows (1.0-1.4)";
			ret = -EINVAL;
		} else {
			set_add(set, vne);
		}
	}
	free(copy);
	if (!ret && !set->count) {
		*why = "empty version list";
		ret = -EINVAL;
	}
	return ret;
}

bool spdm_versions_has(const struct spdm_version_set *set, uint8_t version)
{
	unsigned int i;

	for (i = 0; i < set->count; i++)
		if (SPDM_VNE_TO_BYTE(set->entry[i]) == version)
			return true;
	return false;
}

void spdm_versions_format(const struct spdm_version_set *set, char *buf,
			  size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < set->count && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%u.%u",
				 i ? "," : "", set->entry[i] >> 12,
				 (set->entry[i] >> 8) & 0xf);
}

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
		set_add(set, SPDM_VNE(0, 9));
		set_add(set, SPDM_VNE(2, 0));
		return;
	}
	*set = dev->versions;
	sw = misbehave_get(&dev->misbehave, MB_BAD_VERSION, SPDM_GET_VERSION);
	if (!sw || set->count >= SPDM_MAX_VERSIONS)
		return;
	extra = sw->has_value ? sw->value : next_version(set);
	log_msg("port %u: misbehave bad-version: VERSION also lists %u.%u",
		dev->port, extra >> 12, (extra >> 8) & 0xf);
	set_add(set, extra);
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
