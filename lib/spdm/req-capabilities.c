// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * GET_CAPABILITIES / CAPABILITIES exchange (DSP0274 sec 10.4).
 */

#include <linux/device.h>

#include "exchange.h"
#include "requests.h"
#include "state.h"
#include "wire.h"

/* Largest message the requester accepts (its DataTransferSize) */

/* Longest CTExponent that fits the timeout arithmetic */
#define SPDM_MAX_CTEXPONENT	31

static size_t spdm_capabilities_size(u8 version)
{
	if (version >= SPDM_VER_12)
		return sizeof(struct spdm_capabilities);
	return offsetof(struct spdm_capabilities, data_transfer_size);
}

static int spdm_check_capabilities(struct spdm_state *spdm_state,
				   const struct spdm_capabilities *rsp)
{
	u32 flags = le32_to_cpu(rsp->flags);

	if (rsp->ctexponent > SPDM_MAX_CTEXPONENT) {
		dev_err(spdm_state->dev, "CTExponent %u out of range\n",
			rsp->ctexponent);
		return -EPROTO;
	}

	if ((flags & SPDM_RSP_MIN_CAPS) != SPDM_RSP_MIN_CAPS) {
		dev_err(spdm_state->dev,
			"Responder lacks CERT_CAP or CHAL_CAP (flags %#x)\n",
			flags);
		return -EOPNOTSUPP;
	}

	if (spdm_state->version < SPDM_VER_12)
		return 0;

	spdm_state->rsp_data_transfer_sz = le32_to_cpu(rsp->data_transfer_size);
	spdm_state->rsp_max_msg_sz = le32_to_cpu(rsp->max_spdm_msg_size);
	if (spdm_state->rsp_data_transfer_sz < SPDM_MIN_DATA_TRANSFER_SIZE ||
	    spdm_state->rsp_max_msg_sz < spdm_state->rsp_data_transfer_sz) {
		dev_err(spdm_state->dev,
			"Invalid DataTransferSize %u / MaxSPDMmsgSize %u\n",
			spdm_state->rsp_data_transfer_sz,
			spdm_state->rsp_max_msg_sz);
		return -EPROTO;
	}

	return 0;
}

/**
 * spdm_get_capabilities() - exchange capabilities with the device
 * @spdm_state: SPDM state of the device, version negotiated
 *
 * From SPDM 1.1 on, with a transport for secured messages, the requester
 * announces KEY_EX_CAP with ENCRYPT_CAP, MAC_CAP, HBEAT_CAP and
 * KEY_UPD_CAP (no mutual authentication, no handshake in the clear);
 * from SPDM 1.2 on CHUNK_CAP, for responses larger than DataTransferSize.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 on success, or a negative errno (logged).
 */
int spdm_get_capabilities(struct spdm_state *spdm_state)
{
	u32 max_msg = spdm_data_transfer_sz(spdm_state);
	struct spdm_capabilities req = {
		.version = spdm_state->version,
		.code = SPDM_GET_CAPABILITIES,
		.data_transfer_size = cpu_to_le32(max_msg),
		.max_spdm_msg_size = cpu_to_le32(max_msg),
	};
	struct {
		struct spdm_capabilities rsp;
		u8 slack[SPDM_RSP_SLACK];
	} buf;
	struct spdm_capabilities *rsp = &buf.rsp;
	size_t req_sz, rsp_sz;
	ssize_t length;
	u32 flags = 0;
	int rc;

	/* Secure sessions need SPDM 1.1 and a transport for them */
	if (spdm_state->version >= SPDM_VER_11 &&
	    spdm_state->secured_transport)
		flags |= SPDM_REQ_SESSION_CAPS;
	/* Large responses come in chunks (CHUNK_GET) from 1.2 */
	if (spdm_state->version >= SPDM_VER_12)
		flags |= SPDM_CHUNK_CAP;
	req.flags = cpu_to_le32(flags);

	/* The request grew in 1.1 and 1.2; the response in 1.2 */
	if (spdm_state->version == SPDM_VER_10)
		req_sz = offsetof(typeof(req), reserved1);
	else if (spdm_state->version == SPDM_VER_11)
		req_sz = offsetof(typeof(req), data_transfer_size);
	else
		req_sz = sizeof(req);
	rsp_sz = spdm_capabilities_size(spdm_state->version);

	length = spdm_exchange(spdm_state, &req, req_sz, &buf, sizeof(buf));
	if (length < 0)
		return length;
	rc = spdm_check_length(spdm_state, "CAPABILITIES", length, rsp_sz);
	if (rc)
		return rc;

	rc = spdm_check_capabilities(spdm_state, rsp);
	if (rc)
		return rc;

	spdm_state->rsp_caps = le32_to_cpu(rsp->flags);
	spdm_state->ct_us = 1U << rsp->ctexponent;

	rc = spdm_append_transcript(spdm_state, &req, req_sz);
	if (rc)
		return rc;
	return spdm_append_transcript(spdm_state, rsp, rsp_sz);
}
