// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * A request and its complete, checked response: the exchange every
 * request file calls, on top of the transport (transport.c) and of
 * CHUNK_GET for large responses (chunk.c), and the length checks of the
 * responses.
 */

#include <linux/align.h>
#include <linux/device.h>
#include <linux/lockdep.h>

#include "exchange.h"
#include "state.h"
#include "wire.h"

static ssize_t spdm_transfer(struct spdm_state *spdm_state, const void *req,
			     size_t req_sz, void *rsp, size_t rsp_sz)
{
	const struct spdm_header *request = req;
	ssize_t length;

	length = spdm_transport_call(spdm_state, false, request->code, req,
				     req_sz, rsp, rsp_sz);
	if (length >= 0 && length < sizeof(struct spdm_header)) {
		dev_err(spdm_state->dev,
			"Truncated response to request 0x%02x (%zd bytes)\n",
			request->code, length);
		return -EIO;
	}

	return length;
}

/**
 * spdm_transfer_retry() - a request and its complete response
 * @spdm_state: SPDM state of the device
 * @xfer: sends one message and receives the answer (in the clear or in
 *	the secure session)
 * @req: request message, starting with &struct spdm_header
 * @req_sz: size of @req
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp
 *
 * As spdm_transfer_busy(), and a response the device announces with
 * ERROR(LargeResponse) is fetched with CHUNK_GET into @rsp.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: size of the response (possibly an ERROR), or a negative errno.
 */
ssize_t spdm_transfer_retry(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			    const void *req, size_t req_sz, void *rsp,
			    size_t rsp_sz)
{
	const struct spdm_error_rsp *err = rsp;
	ssize_t length;

	length = spdm_transfer_busy(spdm_state, xfer, req, req_sz, rsp, rsp_sz);
	if (length <= (ssize_t)sizeof(*err) || err->code != SPDM_ERROR ||
	    err->error_code != SPDM_ERR_LARGE_RESPONSE)
		return length;

	return spdm_chunk_get(spdm_state, xfer, req,
			      err->extended_error_data[0], rsp, rsp_sz);
}

/**
 * spdm_exchange() - send a request and receive its response
 * @spdm_state: SPDM state of the device
 * @req: request message, starting with &struct spdm_header
 * @req_sz: size of @req
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp
 *
 * Busy and ResponseNotReady are handled here; any other ERROR response is
 * logged by name and turned into an errno (-EAGAIN for RequestResynch,
 * on which the caller restarts from GET_VERSION).  A response is checked
 * to carry the request's SPDM version and the response code matching the
 * request code.  Callers check the fields and exact length of the response
 * (transports may pad it).
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: number of bytes received (at least a &struct spdm_header, at
 * most @rsp_sz), or a negative errno.
 */
ssize_t spdm_exchange(struct spdm_state *spdm_state,
		      void *req, size_t req_sz, void *rsp, size_t rsp_sz)
{
	struct spdm_header *request = req;
	ssize_t length;

	lockdep_assert_held(&spdm_state->lock);

	spdm_state->rsp_error = 0;
	if (req_sz < sizeof(*request) || req_sz > spdm_state->transport_sz)
		return -EINVAL;

	length = spdm_transfer_retry(spdm_state, spdm_transfer, req, req_sz,
				     rsp, rsp_sz);
	if (length < 0)
		return length;

	return spdm_check_response(spdm_state, request, rsp, length);
}

/**
 * spdm_check_length() - check a response against the size its fields give
 * @spdm_state: SPDM state of the device
 * @name: response name for the log
 * @length: bytes received
 * @expected: size of the response according to its fields
 *
 * Return: 0 if @length is @expected plus at most the transport's padding,
 * else -EIO (truncated) or -EMSGSIZE (too long), logged.
 */
int spdm_check_length(struct spdm_state *spdm_state, const char *name,
		      size_t length, size_t expected)
{
	if (length < expected) {
		dev_err(spdm_state->dev,
			"Truncated %s response (%zu of %zu bytes)\n",
			name, length, expected);
		return -EIO;
	}
	if (length > ALIGN(expected, SPDM_TRANSPORT_PAD)) {
		dev_err(spdm_state->dev,
			"Oversized %s response (%zu bytes, expected %zu)\n",
			name, length, expected);
		return -EMSGSIZE;
	}
	return 0;
}

/**
 * spdm_check_parsed() - report the outcome of parsing a signed response
 * @spdm_state: SPDM state of the device
 * @name: response name for the log
 * @rc: what the response's parser returned: 0, -EIO (truncated) or
 *	-EPROTO (OpaqueDataLength over the limit)
 * @opaque_len: OpaqueDataLength the parser found
 * @length: bytes received
 * @expected: size of the response according to its fields
 *
 * Return: 0 if the response was parsed and has the size its fields give
 * (plus transport padding), else a negative errno, logged.
 */
int spdm_check_parsed(struct spdm_state *spdm_state, const char *name,
		      int rc, size_t opaque_len, size_t length,
		      size_t expected)
{
	if (rc == -EPROTO) {
		dev_err(spdm_state->dev,
			"%s OpaqueDataLength %zu exceeds %u\n",
			name, opaque_len, SPDM_MAX_OPAQUE_DATA);
		return rc;
	}
	if (rc) {
		dev_err(spdm_state->dev, "Truncated %s response (%zu bytes)\n",
			name, length);
		return rc;
	}
	return spdm_check_length(spdm_state, name, length, expected);
}
