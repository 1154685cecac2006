// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * One message to the transport and back: the response time allowed
 * (DSP0274 sec 9.2), Busy and ResponseNotReady (sec 10.13.1) and the
 * check that a response answers its request, ERROR responses named.
 */

#include <linux/delay.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include "exchange.h"
#include "state.h"
#include "wire.h"

/* Busy: how often a request is sent again, and the pause before */
#define SPDM_BUSY_RETRIES		3
#define SPDM_BUSY_DELAY_MS		10
/* ResponseNotReady: RESPOND_IF_READY attempts, longest accepted wait */
#define SPDM_NOT_READY_RETRIES		4
#define SPDM_MAX_RDEXPONENT		24	/* 2^24 us, about 17 s */
/*
 * Transport round trip allowed on top of ST1 and CT: a DOE mailbox may take
 * up to its 1 s response timeout (PCIe r6.2 sec 6.30.2), and a responder
 * serving several functions may queue requests.
 */
#define SPDM_RTT_US			1000000

static const char *spdm_error_name(u8 error_code)
{
	switch (error_code) {
	case 0x01: return "InvalidRequest";
	case 0x02: return "InvalidSession";
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
	case SPDM_ERR_BUSY:			return -EBUSY;
	case SPDM_ERR_UNSUPPORTED_REQUEST:	return -EOPNOTSUPP;
	case SPDM_ERR_VERSION_MISMATCH:		return -EPROTO;
	case SPDM_ERR_REQUEST_RESYNCH:		return -EAGAIN;
	default:				return -EIO;
	}
}

/* Requests that need cryptographic processing get CT, others ST1 */
static u32 spdm_response_time_us(struct spdm_state *spdm_state, u8 code)
{
	switch (code) {
	case SPDM_CHALLENGE:
	case SPDM_GET_MEASUREMENTS:
	case SPDM_KEY_EXCHANGE:
	case SPDM_FINISH:
		return max(spdm_state->ct_us, SPDM_ST1_US) + SPDM_RTT_US;
	default:
		return SPDM_ST1_US + SPDM_RTT_US;
	}
}

/**
 * spdm_transport_call() - hand one message to the transport
 * @spdm_state: SPDM state of the device
 * @secured: @req is a secured message record (DSP0277)
 * @code: request code of the SPDM message, for the timeout and the log
 * @req: message to send
 * @req_sz: size of @req
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp
 *
 * Counts the exchange and checks that the response came within the time
 * the request is allowed (ST1 or CT, DSP0274 sec 9.2, plus the transport
 * round trip) and fits @rsp.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: number of bytes received, or a negative errno (logged).
 */
ssize_t spdm_transport_call(struct spdm_state *spdm_state, bool secured,
			    u8 code, const void *req, size_t req_sz,
			    void *rsp, size_t rsp_sz)
{
	u32 limit = spdm_response_time_us(spdm_state, code);
	spdm_transport *transport = secured ? spdm_state->secured_transport :
					      spdm_state->transport;
	const char *what = secured ? "secured request" : "request";
	ktime_t start = ktime_get();
	ssize_t length;
	s64 elapsed;

	if (spdm_deadline_passed(spdm_state)) {
		dev_err(spdm_state->dev,
			"Authentication deadline passed before %s 0x%02x\n",
			what, code);
		spdm_state->transport_rc = -ETIMEDOUT;
		spdm_state->deadline_hit = true;
		return -ETIMEDOUT;
	}

	length = transport(spdm_state->transport_priv, spdm_state->dev,
			   req, req_sz, rsp, rsp_sz);
	spdm_state->exchanges++;
	spdm_state->bytes_sent += req_sz;
	if (length < 0) {
		dev_err(spdm_state->dev, "Transport error %zd on %s 0x%02x\n",
			length, what, code);
		spdm_state->transport_rc = length;
		return length;
	}
	spdm_state->bytes_received += length;

	elapsed = ktime_us_delta(ktime_get(), start);
	if (elapsed > limit) {
		dev_err(spdm_state->dev,
			"Response to %s 0x%02x took %lld us, limit %u us\n",
			what, code, elapsed, limit);
		spdm_state->transport_rc = -ETIMEDOUT;
		return -ETIMEDOUT;
	}

	if (length > rsp_sz) {
		dev_err(spdm_state->dev,
			"Response to %s 0x%02x too large (%zd bytes)\n",
			what, code, length);
		return -EMSGSIZE;
	}

	return length;
}

/*
 * ResponseNotReady (DSP0274 sec 10.13.1): wait 2^RDExponent us, then ask
 * for the response with RESPOND_IF_READY, which the responder answers with
 * the response to the original request.
 */
static ssize_t spdm_respond_if_ready(struct spdm_state *spdm_state,
				     spdm_xfer_fn *xfer,
				     const struct spdm_header *request,
				     void *rsp, size_t rsp_sz, ssize_t length)
{
	const struct spdm_error_rsp *err = rsp;
	struct spdm_header req = {
		.version = request->version,
		.code = SPDM_RESPOND_IF_READY,
	};
	u8 rdexponent;
	int attempt;

	for (attempt = 0; attempt < SPDM_NOT_READY_RETRIES; attempt++) {
		if (length < sizeof(*err) + 4) {
			dev_err(spdm_state->dev,
				"ResponseNotReady without extended data\n");
			return -EIO;
		}
		rdexponent = err->extended_error_data[0];
		if (err->extended_error_data[1] != request->code ||
		    rdexponent > SPDM_MAX_RDEXPONENT) {
			dev_err(spdm_state->dev,
				"ResponseNotReady for request 0x%02x with RDExponent %u (expected request 0x%02x)\n",
				err->extended_error_data[1], rdexponent,
				request->code);
			return -EIO;
		}

		req.param1 = request->code;
		req.param2 = err->extended_error_data[2];	/* Token */
		if (spdm_state->deadline &&
		    time_after(jiffies + usecs_to_jiffies(1UL << rdexponent),
			       spdm_state->deadline)) {
			dev_err(spdm_state->dev,
				"ResponseNotReady for request 0x%02x: waiting 2^%u us would pass the authentication deadline\n",
				request->code, rdexponent);
			spdm_state->transport_rc = -ETIMEDOUT;
			spdm_state->deadline_hit = true;
			return -ETIMEDOUT;
		}
		fsleep(1UL << rdexponent);

		length = xfer(spdm_state, &req, sizeof(req), rsp, rsp_sz);
		if (length < 0)
			return length;
		if (err->code != SPDM_ERROR ||
		    err->error_code != SPDM_ERR_RESPONSE_NOT_READY)
			return length;
	}

	dev_err(spdm_state->dev,
		"Request 0x%02x still not ready after %d attempts\n",
		request->code, SPDM_NOT_READY_RETRIES);
	return -ETIMEDOUT;
}

/**
 * spdm_transfer_busy() - a request and its response, Busy and
 *	ResponseNotReady handled
 * @spdm_state: SPDM state of the device
 * @xfer: sends one message and receives the answer (in the clear or in
 *	the secure session)
 * @req: request message, starting with &struct spdm_header
 * @req_sz: size of @req
 * @rsp: buffer for the response
 * @rsp_sz: size of @rsp
 *
 * Busy is retried a few times; ResponseNotReady is followed by
 * RESPOND_IF_READY (DSP0274 sec 10.13.1).
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: size of the final response (possibly an ERROR), or a negative
 * errno.
 */
ssize_t spdm_transfer_busy(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			   const void *req, size_t req_sz, void *rsp,
			   size_t rsp_sz)
{
	const struct spdm_error_rsp *err = rsp;
	ssize_t length;
	int attempt;

	for (attempt = 0; ; attempt++) {
		length = xfer(spdm_state, req, req_sz, rsp, rsp_sz);
		if (length < 0 || err->code != SPDM_ERROR)
			return length;

		if (err->error_code == SPDM_ERR_RESPONSE_NOT_READY)
			return spdm_respond_if_ready(spdm_state, xfer, req, rsp,
						     rsp_sz, length);

		if (err->error_code != SPDM_ERR_BUSY ||
		    attempt == SPDM_BUSY_RETRIES)
			return length;

		dev_dbg(spdm_state->dev, "Busy, sending request again\n");
		msleep(SPDM_BUSY_DELAY_MS);
	}
}
EXPORT_SYMBOL_IF_KUNIT(spdm_transfer_busy);

/**
 * spdm_data_transfer_sz() - our DataTransferSize
 * @spdm_state: SPDM state of the device
 *
 * Return: the largest message we receive in one piece.
 */
u32 spdm_data_transfer_sz(struct spdm_state *spdm_state)
{
	return min_t(u32, spdm_state->transport_sz, SPDM_REQ_MAX_MSG_SZ);
}

/**
 * spdm_check_response() - check a response answers its request
 * @spdm_state: SPDM state of the device
 * @request: the request
 * @rsp: the response, at least a &struct spdm_header
 * @length: size of @rsp
 *
 * An ERROR response is logged by name, its ErrorCode kept in
 * @spdm_state->rsp_error and turned into an errno.
 *
 * Return: @length if @rsp carries the request's version and the response
 * code of the request, else a negative errno (logged).
 */
ssize_t spdm_check_response(struct spdm_state *spdm_state,
			    const struct spdm_header *request,
			    const void *rsp, ssize_t length)
{
	const struct spdm_header *response = rsp;

	if (response->code == SPDM_ERROR) {
		dev_err(spdm_state->dev,
			"Request 0x%02x answered with ERROR %s (0x%02x, data 0x%02x)\n",
			request->code, spdm_error_name(response->param1),
			response->param1, response->param2);
		spdm_state->rsp_error = response->param1;
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
