// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Requester core: device state and the request/response exchange.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "spdm.h"

static const char *spdm_error_name(u8 error_code)
{
	switch (error_code) {
	case 0x01: return "InvalidRequest";
	case 0x03: return "Busy";
	case 0x04: return "UnexpectedRequest";
	case 0x05: return "Unspecified";
	case 0x06: return "DecryptError";
	case 0x07: return "UnsupportedRequest";
	case 0x08: return "RequestInFlight";
	case 0x09: return "InvalidResponseCode";
	case 0x0a: return "SessionLimitExceeded";
	case 0x0b: return "SessionRequired";
	case 0x0c: return "ResetRequired";
	case 0x0d: return "ResponseTooLarge";
	case 0x0e: return "RequestTooLarge";
	case 0x0f: return "LargeResponse";
	case 0x10: return "MessageLost";
	case 0x11: return "InvalidPolicy";
	case 0x41: return "VersionMismatch";
	case 0x42: return "ResponseNotReady";
	case 0x43: return "RequestResynch";
	case 0x44: return "OperationFailed";
	case 0x45: return "NoPendingRequests";
	case 0xff: return "VendorDefined";
	default:   return "Reserved";
	}
}

static int spdm_error_errno(u8 error_code)
{
	switch (error_code) {
	case 0x03: return -EBUSY;
	case 0x07: return -EOPNOTSUPP;
	case 0x41: return -EPROTO;
	default:   return -EIO;
	}
}

/**
 * spdm_exchange() - send a request and receive its response
 * @spdm_state: SPDM state of the device
 * @req: request message, starting with &struct spdm_header
 * @req_sz: size of @req
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp
 *
 * The response is checked to carry the request's SPDM version and the
 * response code matching the request code; an ERROR response is reported
 * by name.  Context: process, @spdm_state->lock held.
 *
 * Return: size of the response (at least a &struct spdm_header, at most
 * @rsp_sz), or a negative errno.
 */
ssize_t spdm_exchange(struct spdm_state *spdm_state,
		      void *req, size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct spdm_header *request = req;
	struct spdm_header *response = rsp;
	ssize_t length;

	lockdep_assert_held(&spdm_state->lock);

	if (req_sz < sizeof(*request) || req_sz > spdm_state->transport_sz)
		return -EINVAL;

	length = spdm_state->transport(spdm_state->transport_priv,
				       spdm_state->dev, req, req_sz,
				       rsp, rsp_sz);
	if (length < 0)
		return length;

	if (length < sizeof(*response)) {
		dev_err(spdm_state->dev,
			"Truncated response to request 0x%02x (%zd bytes)\n",
			request->code, length);
		return -EIO;
	}
	if (length > rsp_sz) {
		dev_err(spdm_state->dev,
			"Response to request 0x%02x too large (%zd bytes)\n",
			request->code, length);
		return -EMSGSIZE;
	}

	if (response->code == SPDM_ERROR) {
		dev_err(spdm_state->dev,
			"Request 0x%02x answered with ERROR %s (0x%02x, data 0x%02x)\n",
			request->code, spdm_error_name(response->param1),
			response->param1, response->param2);
		return spdm_error_errno(response->param1);
	}

	if (response->version != request->version) {
		dev_err(spdm_state->dev,
			"Response to request 0x%02x has version %#x, expected %#x\n",
			request->code, response->version, request->version);
		return -EPROTO;
	}

	if (response->code != (request->code & ~SPDM_REQ)) {
		dev_err(spdm_state->dev,
			"Response code 0x%02x does not answer request 0x%02x\n",
			response->code, request->code);
		return -EPROTO;
	}

	return length;
}

/**
 * spdm_create() - allocate the SPDM state of a device
 * @dev: device speaking SPDM
 * @transport: callback exchanging one request/response pair
 * @transport_priv: private data passed to @transport
 * @transport_sz: largest SPDM message @transport carries, in bytes
 *
 * Context: process.
 *
 * Return: the new state, or %NULL on allocation failure.
 */
struct spdm_state *spdm_create(struct device *dev, spdm_transport *transport,
			       void *transport_priv, u32 transport_sz)
{
	struct spdm_state *spdm_state;

	spdm_state = kzalloc(sizeof(*spdm_state), GFP_KERNEL);
	if (!spdm_state)
		return NULL;

	mutex_init(&spdm_state->lock);
	spdm_state->dev = dev;
	spdm_state->transport = transport;
	spdm_state->transport_priv = transport_priv;
	spdm_state->transport_sz = transport_sz;

	return spdm_state;
}
EXPORT_SYMBOL_GPL(spdm_create);

/**
 * spdm_destroy() - free the SPDM state of a device
 * @spdm_state: state returned by spdm_create(), or %NULL
 *
 * Context: process.  No exchange may be in progress.
 */
void spdm_destroy(struct spdm_state *spdm_state)
{
	if (!spdm_state)
		return;

	mutex_destroy(&spdm_state->lock);
	kfree(spdm_state);
}
EXPORT_SYMBOL_GPL(spdm_destroy);

/**
 * spdm_authenticate() - authenticate a device
 * @spdm_state: SPDM state of the device
 *
 * Negotiates the SPDM version with the device (GET_VERSION).
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 on success, or a negative errno naming the failed step in the
 * kernel log.
 */
int spdm_authenticate(struct spdm_state *spdm_state)
{
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_get_version(spdm_state);
	mutex_unlock(&spdm_state->lock);

	return rc;
}
EXPORT_SYMBOL_GPL(spdm_authenticate);

/**
 * spdm_version() - SPDM version negotiated with the device
 * @spdm_state: SPDM state of the device
 *
 * Context: any process context.
 *
 * Return: version as major << 4 | minor (0x12 for 1.2), or 0 if none has
 * been negotiated.
 */
u8 spdm_version(struct spdm_state *spdm_state)
{
	u8 version;

	mutex_lock(&spdm_state->lock);
	version = spdm_state->version;
	mutex_unlock(&spdm_state->lock);

	return version;
}
EXPORT_SYMBOL_GPL(spdm_version);

MODULE_DESCRIPTION("DMTF Security Protocol and Data Model (SPDM) requester");
MODULE_LICENSE("GPL");
