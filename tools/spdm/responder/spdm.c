// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM (DMTF DSP0274) message layer of the software responder: per-device
 * state, request dispatch and the ERROR helper.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "spdm.h"

/*
 * Request handlers, indexed by request code.  A code without a handler
 * is answered with ERROR(UnsupportedRequest, code).  To add a request:
 * write its handler in a file of its own (like version.c), declare it in
 * spdm.h and list it here; misbehaviours specific to its response go in
 * misbehave.c and are looked up by the handler.
 */
static const spdm_handler_t spdm_handlers[256] = {
	[SPDM_GET_VERSION] = spdm_get_version,
};

static const char *const spdm_names[256] = {
	[SPDM_GET_DIGESTS] = "GET_DIGESTS",
	[SPDM_GET_CERTIFICATE] = "GET_CERTIFICATE",
	[SPDM_CHALLENGE] = "CHALLENGE",
	[SPDM_GET_VERSION] = "GET_VERSION",
	[SPDM_CHUNK_SEND] = "CHUNK_SEND",
	[SPDM_CHUNK_GET] = "CHUNK_GET",
	[SPDM_GET_MEASUREMENTS] = "GET_MEASUREMENTS",
	[SPDM_GET_CAPABILITIES] = "GET_CAPABILITIES",
	[SPDM_NEGOTIATE_ALGORITHMS] = "NEGOTIATE_ALGORITHMS",
	[SPDM_KEY_EXCHANGE] = "KEY_EXCHANGE",
	[SPDM_FINISH] = "FINISH",
	[SPDM_PSK_EXCHANGE] = "PSK_EXCHANGE",
	[SPDM_PSK_FINISH] = "PSK_FINISH",
	[SPDM_HEARTBEAT] = "HEARTBEAT",
	[SPDM_KEY_UPDATE] = "KEY_UPDATE",
	[SPDM_GET_ENCAPSULATED_REQUEST] = "GET_ENCAPSULATED_REQUEST",
	[SPDM_DELIVER_ENCAPSULATED_RSP] = "DELIVER_ENCAPSULATED_RESPONSE",
	[SPDM_END_SESSION] = "END_SESSION",
	[SPDM_GET_CSR] = "GET_CSR",
	[SPDM_SET_CERTIFICATE] = "SET_CERTIFICATE",
	[SPDM_VENDOR_DEFINED_REQUEST] = "VENDOR_DEFINED_REQUEST",
	[SPDM_RESPOND_IF_READY] = "RESPOND_IF_READY",
};

const char *spdm_request_name(uint8_t code)
{
	if (spdm_names[code])
		return spdm_names[code];
	return code & 0x80 ? "unknown request" : "a response code";
}

void spdm_device_init(struct spdm_device *dev, unsigned int index,
		      const struct spdm_version_set *versions,
		      const struct misbehave_set *misbehave)
{
	memset(dev, 0, sizeof(*dev));
	dev->index = index;
	dev->versions = *versions;
	dev->misbehave = *misbehave;
}

/*
 * The SPDMVersion of an ERROR that cannot echo the request's version:
 * the selected version once there is one, else 1.0, which every
 * requester can parse.
 */
uint8_t spdm_error_version(const struct spdm_device *dev)
{
	return dev->version ? dev->version : SPDM_VER_10;
}

/* Append ERROR(@code, @data) plus optional ExtendedErrorData to @rsp. */
int spdm_error(struct msg *rsp, uint8_t version, uint8_t code, uint8_t data,
	       const void *ext, size_t ext_len)
{
	uint8_t hdr[SPDM_HDR_LEN] = { version, SPDM_ERROR, code, data };
	int ret;

	ret = msg_put(rsp, hdr, sizeof(hdr));
	if (!ret)
		ret = msg_put(rsp, ext, ext_len);
	return ret;
}

/*
 * Version check for everything but GET_VERSION: the request must carry a
 * version this device is configured for and, once one is selected, that
 * one (DSP0274: VersionMismatch).
 */
static bool version_ok(const struct spdm_device *dev, uint8_t version)
{
	if (dev->version)
		return version == dev->version;
	return spdm_versions_has(&dev->versions, version);
}

static int dispatch(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp)
{
	spdm_handler_t handler = spdm_handlers[req->code];

	if (req->code != SPDM_GET_VERSION && !version_ok(dev, req->version)) {
		log_msg("port %u: rejected %s: SPDM version 0x%02x not accepted, ERROR VersionMismatch",
			dev->port, spdm_request_name(req->code), req->version);
		return spdm_error(rsp, spdm_error_version(dev),
				  SPDM_ERR_VERSION_MISMATCH, 0, NULL, 0);
	}
	if (!handler) {
		log_msg("port %u: request 0x%02x (%s) not supported, ERROR UnsupportedRequest",
			dev->port, req->code, spdm_request_name(req->code));
		return spdm_error(rsp, req->version,
				  SPDM_ERR_UNSUPPORTED_REQUEST, req->code,
				  NULL, 0);
	}
	return handler(dev, req, rsp);
}

/*
 * Answer one SPDM request.  @len may include the DOE padding (up to 3
 * zero bytes), so handlers accept trailing bytes.  On return @rsp holds
 * the response to send, unless @act->drop is set.  Returns 0 or a negative
 * errno if no response could be built.
 */
int spdm_respond(struct spdm_device *dev, const uint8_t *buf, size_t len,
		 struct msg *rsp, struct spdm_action *act)
{
	struct spdm_request req;
	int ret;

	msg_reset(rsp);
	memset(act, 0, sizeof(*act));
	if (len < SPDM_HDR_LEN) {
		log_msg("port %u: rejected SPDM message of %zu bytes (< %d), ERROR InvalidRequest",
			dev->port, len, SPDM_HDR_LEN);
		return spdm_error(rsp, spdm_error_version(dev),
				  SPDM_ERR_INVALID_REQUEST, 0, NULL, 0);
	}
	req = (struct spdm_request) {
		.buf = buf, .len = len, .version = buf[0], .code = buf[1],
		.param1 = buf[2], .param2 = buf[3],
	};
	dev->requests++;
	ret = misbehave_before(dev, &req, rsp, act);
	if (ret < 0)
		return ret;
	if (act->drop)
		return 0;
	if (!ret)
		ret = dispatch(dev, &req, rsp);
	if (ret < 0)
		return ret;
	return misbehave_after(dev, &req, rsp, act);
}
