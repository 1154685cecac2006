// SPDX-License-Identifier: GPL-2.0
/*
 * PCIe DOE data objects (PCIe r6 sec 6.30) as carried in the payload of
 * the SPDM socket protocol's PCI_DOE transport.
 *
 * A DOE object the responder cannot use is answered with an empty reply:
 * QEMU then discards the request (no response object appears in the
 * mailbox), which is what PCIe asks of a DOE instance that receives a
 * malformed or unsupported data object.
 */
#include <errno.h>
#include <string.h>

#include "doe.h"
#include "log.h"
#include "secured.h"
#include "spdm.h"

#define DOE_DISCOVERY_LEN	(DOE_HDR_LEN + 4)
#define SECURED_SESSION_ID_LEN	4

/*
 * Check the DOE header of the @len byte object at @buf: dword multiple,
 * at least the header, Length field equal to @len.  Vendor and type are
 * returned, not checked.
 */
int doe_hdr_parse(const uint8_t *buf, size_t len, struct doe_hdr *h,
		  const char **why)
{
	uint32_t dw0, dw1;

	if (len < DOE_HDR_LEN) {
		*why = "shorter than the 2-dword DOE header";
		return -EINVAL;
	}
	if (len % 4) {
		*why = "not a whole number of dwords";
		return -EINVAL;
	}
	dw0 = get_le32(buf);
	dw1 = get_le32(buf + 4);
	h->vendor = dw0 & 0xffff;
	h->type = (dw0 >> 16) & 0xff;
	h->length_dw = dw1 & DOE_LENGTH_MASK;
	if (!h->length_dw)
		h->length_dw = DOE_MAX_DW;
	if ((uint64_t)h->length_dw * 4 != len) {
		*why = "DOE Length field does not match the payload size";
		return -EINVAL;
	}
	return 0;
}

/* Header of a @total_len byte object (header included, dword multiple). */
void doe_hdr_build(uint8_t out[DOE_HDR_LEN], uint16_t vendor, uint8_t type,
		   size_t total_len)
{
	put_le32(out, vendor | (uint32_t)type << 16);
	put_le32(out + 4, (total_len / 4) & DOE_LENGTH_MASK);
}

/* Append a DOE object carrying @payload, zero-padded to a dword. */
int doe_wrap(struct msg *out, uint16_t vendor, uint8_t type,
	     const uint8_t *payload, size_t len)
{
	uint8_t hdr[DOE_HDR_LEN];
	size_t pad = (4 - len % 4) % 4;
	int ret;

	if (len > DOE_MAX_LEN - DOE_HDR_LEN - pad)
		return -EMSGSIZE;
	doe_hdr_build(hdr, vendor, type, DOE_HDR_LEN + len + pad);
	ret = msg_put(out, hdr, sizeof(hdr));
	ret = ret ?: msg_put(out, payload, len);
	ret = ret ?: msg_put_fill(out, 0, pad);
	return ret;
}

/* DOE discovery: index 0 discovery, 1 CMA, 2 secured CMA. */
static int doe_discovery(struct spdm_device *dev, const uint8_t *obj,
			 size_t len, struct msg *out)
{
	static const uint8_t types[] = {
		DOE_TYPE_DISCOVERY, DOE_TYPE_CMA, DOE_TYPE_SECURED_CMA,
	};
	uint8_t rsp[4], index;

	if (len < DOE_DISCOVERY_LEN) {
		log_msg("port %u: rejected DOE discovery request of %zu bytes; discarding",
			dev->port, len);
		return 0;
	}
	index = obj[DOE_HDR_LEN];
	if (index < sizeof(types)) {
		put_le32(rsp, DOE_VENDOR_PCI_SIG | (uint32_t)types[index] << 16 |
			 (uint32_t)((index + 1) % sizeof(types)) << 24);
	} else {
		put_le32(rsp, 0x00ffffff);	/* no such protocol */
	}
	return doe_wrap(out, DOE_VENDOR_PCI_SIG, DOE_TYPE_DISCOVERY, rsp,
			sizeof(rsp));
}

static int doe_cma(struct spdm_device *dev, const uint8_t *spdm, size_t len,
		   struct msg *out, struct spdm_action *act)
{
	struct msg rsp;
	int ret;

	msg_init(&rsp);
	ret = spdm_respond(dev, spdm, len, &rsp, act);
	if (ret) {
		log_msg("port %u: cannot build a response (%s); discarding request",
			dev->port, strerror(-ret));
		ret = 0;
	} else if (!act->drop) {
		ret = doe_wrap(out, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA,
			       rsp.data, rsp.len);
	}
	msg_free(&rsp);
	return ret;
}

/* Secured CMA for an existing session: secured.c answers it. */
static int doe_session(struct spdm_device *dev, const uint8_t *sec,
		       size_t len, struct msg *out, struct spdm_action *act)
{
	enum spdm_secured_kind kind = SPDM_SECURED_NONE;
	struct msg rsp;
	int ret;

	msg_init(&rsp);
	ret = spdm_secured_process(dev, sec, len, &rsp, &kind, act);
	if (!ret && kind != SPDM_SECURED_NONE)
		ret = doe_wrap(out, DOE_VENDOR_PCI_SIG,
			       kind == SPDM_SECURED_RECORD ?
			       DOE_TYPE_SECURED_CMA : DOE_TYPE_CMA,
			       rsp.data, rsp.len);
	msg_free(&rsp);
	return ret;
}

/*
 * Secured CMA (DSP0277) for a session ID we do not know (an existing
 * session's objects go to secured.c).  We answer as DMTF libspdm, which
 * most devices run, answers an
 * unknown session ID: a plain (type 1) SPDM ERROR(InvalidSession, 0) whose
 * ExtendedErrorData is the session ID.  The requester gets an immediate,
 * parseable failure instead of a DOE timeout.  (InvalidSession was dropped
 * from DSP0274 after 1.1, but libspdm still sends it for this case.)  An
 * object too short to hold a session ID is discarded.
 */
static void log_unknown_session(struct spdm_device *dev, uint32_t id)
{
	uint16_t req_id = spdm_session_id_req(id);
	uint16_t rsp_id = spdm_session_id_rsp(id);
	bool swapped = spdm_session_find(dev, spdm_session_id(rsp_id, req_id));

	log_msg("port %u: secured CMA for session 0x%08x (ReqSessionID 0x%04x, RspSessionID 0x%04x): no such session%s, ERROR InvalidSession",
		dev->port, id, req_id, rsp_id,
		swapped ? "; a session has these halves swapped (ReqSessionID must come first on the wire)" :
		"");
}

static int doe_secured(struct spdm_device *dev, const uint8_t *sec,
		       size_t len, struct msg *out)
{
	struct msg rsp;
	int ret;

	if (len < SECURED_SESSION_ID_LEN) {
		log_msg("port %u: rejected secured CMA object without a session ID; discarding",
			dev->port);
		return 0;
	}
	log_unknown_session(dev, get_le32(sec));
	msg_init(&rsp);
	ret = spdm_error(&rsp, spdm_error_version(dev), SPDM_ERR_INVALID_SESSION,
			 0, sec, SECURED_SESSION_ID_LEN);
	ret = ret ?: doe_wrap(out, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA,
			      rsp.data, rsp.len);
	msg_free(&rsp);
	return ret;
}

/*
 * Answer the DOE object @obj of @len bytes.  @out receives the response
 * object; it stays empty when the request is discarded.  Returns 0 or a
 * negative errno (then @out must not be sent).
 */
int doe_process(struct spdm_device *dev, const uint8_t *obj, size_t len,
		struct msg *out, struct spdm_action *act)
{
	const uint8_t *payload;
	struct doe_hdr h;
	const char *why;

	memset(act, 0, sizeof(*act));
	if (doe_hdr_parse(obj, len, &h, &why)) {
		log_msg("port %u: rejected DOE object of %zu bytes: %s; discarding",
			dev->port, len, why);
		return 0;
	}
	/* not before: an empty frame has no payload buffer at all */
	payload = obj + DOE_HDR_LEN;
	if (h.vendor != DOE_VENDOR_PCI_SIG) {
		log_msg("port %u: rejected DOE object with vendor 0x%04x (not PCI-SIG); discarding",
			dev->port, h.vendor);
		return 0;
	}
	switch (h.type) {
	case DOE_TYPE_DISCOVERY:
		return doe_discovery(dev, obj, len, out);
	case DOE_TYPE_CMA:
		return doe_cma(dev, payload, len - DOE_HDR_LEN, out, act);
	case DOE_TYPE_SECURED_CMA:
		if (len - DOE_HDR_LEN >= SECURED_SESSION_ID_LEN &&
		    spdm_session_find(dev, get_le32(payload))) {
			int ret = doe_session(dev, payload, len - DOE_HDR_LEN,
					      out, act);

			if (ret != -ENOENT)	/* -ENOENT: it expired */
				return ret;
		}
		return doe_secured(dev, payload, len - DOE_HDR_LEN, out);
	}
	log_msg("port %u: rejected DOE object of unknown type %u; discarding",
		dev->port, h.type);
	return 0;
}
