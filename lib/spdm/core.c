// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Requester core: device state, the request/response exchange with its
 * error handling (DSP0274 sec 10.13), the transcript, and the
 * authentication sequence.
 */

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "spdm.h"

/* SPDM devices, for netlink requests naming one */
static LIST_HEAD(spdm_states);
static DEFINE_MUTEX(spdm_states_lock);

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

/**
 * spdm_transcript_append() - add a message to a transcript
 * @t: the transcript
 * @msg: message exactly as sent or received, without transport padding
 * @msg_sz: size of @msg
 *
 * Return: 0 on success, or -ENOMEM.
 */
int spdm_transcript_append(struct spdm_transcript *t, const void *msg,
			   size_t msg_sz)
{
	size_t needed = t->len + msg_sz;

	if (needed > t->max) {
		size_t max = max(roundup_pow_of_two(needed), SZ_4K);
		u8 *data = kvrealloc(t->data, max, GFP_KERNEL);

		if (!data)
			return -ENOMEM;
		t->data = data;
		t->max = max;
	}

	memcpy(t->data + t->len, msg, msg_sz);
	t->len = needed;
	return 0;
}

/**
 * spdm_transcript_free() - free a transcript and empty it
 * @t: the transcript
 */
void spdm_transcript_free(struct spdm_transcript *t)
{
	kvfree(t->data);
	t->data = NULL;
	t->len = 0;
	t->max = 0;
}

/**
 * spdm_append_transcript() - add a message to the M1 transcript
 * @spdm_state: SPDM state of the device
 * @msg: message exactly as sent or received, without transport padding
 * @msg_sz: size of @msg
 *
 * Return: 0 on success, or -ENOMEM.
 */
int spdm_append_transcript(struct spdm_state *spdm_state,
			   const void *msg, size_t msg_sz)
{
	return spdm_transcript_append(&spdm_state->transcript, msg, msg_sz);
}

/* Certificate chains and the leaf key of a device that failed a check */
static void spdm_forget_certs(struct spdm_state *spdm_state)
{
	int i;

	for (i = 0; i < SPDM_SLOTS; i++) {
		kvfree(spdm_state->slot[i]);
		spdm_state->slot[i] = NULL;
		spdm_state->slot_sz[i] = 0;
	}
	public_key_free(spdm_state->leaf_key);
	spdm_state->leaf_key = NULL;
	spdm_state->chain_anchored = false;
}

/**
 * spdm_reset() - forget everything negotiated with the device
 * @spdm_state: SPDM state of the device
 *
 * A secure session is wiped without END_SESSION; callers that can still
 * talk to the device end it with spdm_session_end() first.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_reset(struct spdm_state *spdm_state)
{
	spdm_state->version = 0;
	spdm_state->rsp_caps = 0;
	spdm_state->base_asym_alg = 0;
	spdm_state->base_hash_alg = 0;
	spdm_state->meas_hash_alg = 0;
	spdm_state->dhe_alg = 0;
	spdm_state->aead_alg = 0;
	spdm_state->key_sched_alg = 0;
	spdm_state->provisioned_slots = 0;
	spdm_state->vca_len = 0;
	memset(&spdm_state->chal_ev, 0, sizeof(spdm_state->chal_ev));
	spdm_key_exchange_reset(spdm_state);
	spdm_state->transport_rc = 0;
	spdm_session_set_state(spdm_state, SPDM_SESSION_NONE, 0, NULL);

	/* spdm_session_end() said goodbye if the device is still there */
	spdm_session_free(spdm_state->session);
	spdm_state->session = NULL;

	crypto_free_shash(spdm_state->shash);
	spdm_state->shash = NULL;
	spdm_forget_certs(spdm_state);

	spdm_transcript_free(&spdm_state->transcript);
	spdm_meas_reset(spdm_state);

	spdm_state->exchanges = 0;
	spdm_state->bytes_sent = 0;
	spdm_state->bytes_received = 0;
}

static void spdm_auth_work(struct work_struct *work)
{
	struct spdm_state *spdm_state = container_of(work, struct spdm_state,
						     auth_work);

	spdm_authenticate(spdm_state);
	complete_all(&spdm_state->first_auth);
	if (spdm_state->auth_done)
		spdm_state->auth_done(spdm_state->dev);
}

/**
 * spdm_create() - allocate the SPDM state of a device
 * @dev: device speaking SPDM
 * @transport: callback exchanging one request/response pair
 * @secured_transport: callback exchanging one pair of secured messages
 *	(DSP0277 records), or %NULL if the transport carries none; without
 *	it no secure session is established
 * @transport_priv: private data passed to @transport and
 *	@secured_transport
 * @transport_sz: largest SPDM message @transport carries, in bytes
 * @keyring: keyring holding the trusted root certificates
 * @validate: bus-specific check of leaf certificates, or %NULL
 *
 * Context: process.
 *
 * Return: the new state, or %NULL on allocation failure.
 */
struct spdm_state *spdm_create(struct device *dev, spdm_transport *transport,
			       spdm_transport *secured_transport,
			       void *transport_priv, u32 transport_sz,
			       struct key *keyring, spdm_validate *validate)
{
	struct spdm_state *spdm_state;

	spdm_state = kzalloc_obj(*spdm_state);
	if (!spdm_state)
		return NULL;

	mutex_init(&spdm_state->lock);
	spdm_state->auth_result = -ENOKEY;
	spdm_state->dev = dev;
	spdm_state->transport = transport;
	spdm_state->secured_transport = secured_transport;
	spdm_state->transport_priv = transport_priv;
	spdm_state->transport_sz = transport_sz;
	spdm_state->keyring = keyring;
	spdm_state->validate = validate;
	spdm_state->req_slot = -1;
	INIT_DELAYED_WORK(&spdm_state->heartbeat_work, spdm_heartbeat_work);
	INIT_WORK(&spdm_state->auth_work, spdm_auth_work);
	init_completion(&spdm_state->first_auth);
	kref_init(&spdm_state->kref);
	get_device(dev);

	mutex_lock(&spdm_states_lock);
	list_add_tail(&spdm_state->list, &spdm_states);
	mutex_unlock(&spdm_states_lock);

	return spdm_state;
}
EXPORT_SYMBOL_GPL(spdm_create);

static void spdm_release(struct kref *kref)
{
	struct spdm_state *spdm_state = container_of(kref, struct spdm_state,
						     kref);

	spdm_reset(spdm_state);
	mutex_destroy(&spdm_state->lock);
	put_device(spdm_state->dev);
	kfree(spdm_state);
}

/**
 * spdm_find() - look up the SPDM state of a device by name
 * @name: device name, as dev_name() gives it
 *
 * Context: process.
 *
 * Return: the state with a reference the caller drops with spdm_put(),
 * or %NULL if no SPDM device has that name.
 */
struct spdm_state *spdm_find(const char *name)
{
	struct spdm_state *spdm_state, *found = NULL;

	mutex_lock(&spdm_states_lock);
	list_for_each_entry(spdm_state, &spdm_states, list) {
		if (!strcmp(dev_name(spdm_state->dev), name)) {
			kref_get(&spdm_state->kref);
			found = spdm_state;
			break;
		}
	}
	mutex_unlock(&spdm_states_lock);

	return found;
}

/**
 * spdm_put() - drop a reference taken by spdm_find()
 * @spdm_state: SPDM state of the device
 */
void spdm_put(struct spdm_state *spdm_state)
{
	kref_put(&spdm_state->kref, spdm_release);
}

/**
 * spdm_destroy() - free the SPDM state of a device
 * @spdm_state: state returned by spdm_create(), or %NULL
 *
 * The transport is not called after this returns.  The memory goes once
 * netlink requests still holding the state are done with it.
 *
 * Context: process.
 */
void spdm_destroy(struct spdm_state *spdm_state)
{
	if (!spdm_state)
		return;

	mutex_lock(&spdm_states_lock);
	list_del(&spdm_state->list);
	mutex_unlock(&spdm_states_lock);

	/* A background authentication finishes (or never starts) first */
	cancel_work_sync(&spdm_state->auth_work);
	complete_all(&spdm_state->first_auth);

	/* Waits for an exchange in progress; none starts afterwards */
	mutex_lock(&spdm_state->lock);
	spdm_session_end(spdm_state);
	spdm_state->dead = true;
	spdm_reset(spdm_state);
	mutex_unlock(&spdm_state->lock);
	cancel_delayed_work_sync(&spdm_state->heartbeat_work);

	spdm_meas_sysfs_unregister(spdm_state);
	spdm_sig_log_destroy(spdm_state);
	spdm_put(spdm_state);
}
EXPORT_SYMBOL_GPL(spdm_destroy);

static int spdm_authenticate_once(struct spdm_state *spdm_state)
{
	int rc;

	spdm_session_end(spdm_state);
	spdm_reset(spdm_state);

	rc = spdm_get_version(spdm_state);
	if (rc)
		return rc;

	rc = spdm_get_capabilities(spdm_state);
	if (rc)
		return rc;

	rc = spdm_negotiate_algs(spdm_state);
	if (rc)
		return rc;

	rc = spdm_get_digests(spdm_state);
	if (rc)
		return rc;

	rc = spdm_get_certificates(spdm_state);
	if (rc)
		return rc;

	rc = spdm_challenge(spdm_state, spdm_state->chal_slot);
	if (rc)
		return rc;

	if (spdm_state->rsp_caps & SPDM_MEAS_CAP_MASK) {
		rc = spdm_get_measurements(spdm_state, NULL, 0,
					   spdm_state->chal_slot);
		if (rc)
			return rc;
	}

	return spdm_start_session(spdm_state);
}

/**
 * spdm_report_evidence() - hand out the evidence of a signature received
 * @spdm_state: SPDM state of the device
 * @ev: the evidence; nothing happens unless a signature was received
 * @cb: called with @ev if not %NULL
 * @priv: passed to @cb
 *
 * Announces @ev on the netlink "sig" group and adds it to the signature
 * log.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_report_evidence(struct spdm_state *spdm_state,
			  const struct spdm_evidence *ev,
			  spdm_evidence_cb *cb, void *priv)
{
	if (!ev->received)
		return;
	if (cb)
		cb(spdm_state, ev, priv);
	spdm_nl_notify_sig(spdm_state, ev);
	spdm_log_signature(spdm_state, ev);
}

/* Run the authentication sequence and report; @spdm_state->lock held */
static int spdm_run(struct spdm_state *spdm_state, spdm_evidence_cb *cb,
		    void *priv)
{
	ktime_t start = ktime_get();
	int rc;

	if (spdm_state->dead)
		return -ENODEV;

	rc = spdm_authenticate_once(spdm_state);
	if (rc == -EAGAIN) {
		dev_info(spdm_state->dev, "Device asked to resynchronize\n");
		rc = spdm_authenticate_once(spdm_state);
	}

	if (!rc && !spdm_state->chain_anchored) {
		dev_info(spdm_state->dev,
			 "Not authenticated: certificate chain in slot %u has no trusted root\n",
			 spdm_state->chal_slot);
		rc = -ENOKEY;
	} else if (!rc) {
		char session[64] = "";

		if (spdm_state->session)
			snprintf(session, sizeof(session),
				 ", secure session %s %s%s",
				 spdm_state->dhe_name, spdm_state->aead_name,
				 spdm_state->session->mac_only ?
				 " (MAC only)" : "");
		dev_info(spdm_state->dev,
			 "Authenticated with SPDM %u.%u, %s with %s, slot %u%s\n",
			 spdm_state->version >> 4, spdm_state->version & 0xf,
			 spdm_state->base_asym_name,
			 spdm_state->base_hash_name, spdm_state->chal_slot,
			 session);
	} else {
		dev_info(spdm_state->dev, "Not authenticated (%pe)\n",
			 ERR_PTR(rc));
	}

	spdm_report_evidence(spdm_state, &spdm_state->chal_ev, cb, priv);
	spdm_report_evidence(spdm_state, &spdm_state->meas_ev, cb, priv);
	spdm_report_evidence(spdm_state, &spdm_state->ke_ev, cb, priv);

	/* Nothing the device sent is vouched for: do not show it */
	if (rc && rc != -ENOKEY)
		spdm_forget_certs(spdm_state);

	spdm_state->auth_result = rc;
	dev_dbg(spdm_state->dev,
		"%u exchanges, %zu bytes sent, %zu received, %lld us\n",
		spdm_state->exchanges, spdm_state->bytes_sent,
		spdm_state->bytes_received, ktime_us_delta(ktime_get(), start));
	return rc;
}

/* The supported slots may have changed (SPDM 1.3 SupportedSlotMask) */
static void spdm_update_sysfs(struct spdm_state *spdm_state)
{
	if (device_is_registered(spdm_state->dev))
		sysfs_update_group(&spdm_state->dev->kobj,
				   &spdm_certificates_group);
}

/**
 * spdm_authenticate() - authenticate a device
 * @spdm_state: SPDM state of the device
 *
 * Negotiates version, capabilities and algorithms, reads the certificate
 * chains of all provisioned slots, validates them and challenges the
 * device to sign a fresh nonce with the leaf key of the first slot whose
 * chain is valid.  The device counts as authenticated when the signature
 * is valid and that chain leads to a trusted root in the keyring given to
 * spdm_create().  A RequestResynch from the device restarts the sequence
 * once.  Every signature received is announced on the netlink "sig"
 * multicast group.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 if the device is authenticated, -ENOKEY if everything checked
 * out but the chain is not anchored in the keyring, or another negative
 * errno naming the failed step in the kernel log.
 */
int spdm_authenticate(struct spdm_state *spdm_state)
{
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_run(spdm_state, NULL, NULL);
	mutex_unlock(&spdm_state->lock);

	spdm_update_sysfs(spdm_state);
	return rc;
}
EXPORT_SYMBOL_GPL(spdm_authenticate);

/**
 * spdm_authenticate_async() - authenticate a device in the background
 * @spdm_state: SPDM state of the device
 * @done: called in process context once the result is known, or %NULL
 *
 * Queues spdm_authenticate() on an unbound workqueue, so that devices
 * are authenticated concurrently and off the caller's path (PCI:
 * enumeration).  spdm_wait_first() waits for the first result.
 *
 * Context: any context that may queue work.
 */
void spdm_authenticate_async(struct spdm_state *spdm_state,
			     spdm_done_cb *done)
{
	spdm_state->auth_done = done;
	queue_work(system_unbound_wq, &spdm_state->auth_work);
}
EXPORT_SYMBOL_GPL(spdm_authenticate_async);

/**
 * spdm_wait_first() - wait for the first authentication of a device
 * @spdm_state: SPDM state of the device
 *
 * Returns once the authentication queued by spdm_authenticate_async() has
 * a result (or the state is being destroyed).  It must have been queued,
 * or be queued by someone else, or this waits for ever.
 *
 * Context: process; sleeps.
 */
void spdm_wait_first(struct spdm_state *spdm_state)
{
	wait_for_completion(&spdm_state->first_auth);
}
EXPORT_SYMBOL_GPL(spdm_wait_first);

/**
 * spdm_challenge_nonce() - authenticate with a verifier's nonce
 * @spdm_state: SPDM state of the device
 * @nonce: %SPDM_NONCE_SZ bytes the device is to sign
 * @slot: slot to challenge, or -1 for the one authentication picks
 * @cb: called with the lock held if the device returned a signature
 * @priv: passed to @cb
 *
 * Like spdm_authenticate(), but the CHALLENGE carries @nonce, so that the
 * signature binds the verifier's nonce to the whole transcript.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: as spdm_authenticate(); -EINVAL if @slot holds no valid chain.
 */
int spdm_challenge_nonce(struct spdm_state *spdm_state, const u8 *nonce,
			 int slot, spdm_evidence_cb *cb, void *priv)
{
	int rc;

	mutex_lock(&spdm_state->lock);
	spdm_state->req_nonce = nonce;
	spdm_state->req_slot = slot;
	rc = spdm_run(spdm_state, cb, priv);
	spdm_state->req_nonce = NULL;
	spdm_state->req_slot = -1;
	mutex_unlock(&spdm_state->lock);

	spdm_update_sysfs(spdm_state);
	return rc;
}

/**
 * spdm_check_proven() - whether a verifier may ask for more signatures
 * @spdm_state: SPDM state of the device
 * @slot: slot the verifier asked for, or -1 for the authenticated one
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if the device proved possession of the key of @slot by a
 * valid CHALLENGE_AUTH since it was last reset; -ENODEV if it is going
 * away; -EKEYREJECTED if it has not proven its key; -EINVAL if @slot is
 * not the authenticated slot.
 */
int spdm_check_proven(struct spdm_state *spdm_state, int slot)
{
	if (spdm_state->dead)
		return -ENODEV;
	if (!spdm_state->chal_ev.valid || !spdm_state->leaf_key)
		return -EKEYREJECTED;
	if (slot >= 0 && slot != spdm_state->chal_slot)
		return -EINVAL;
	return 0;
}

/**
 * spdm_measure_nonce() - have the device sign measurements with a nonce
 * @spdm_state: SPDM state of the device
 * @nonce: %SPDM_NONCE_SZ bytes the device is to sign
 * @slot: slot whose leaf key is to sign, or -1 for the authenticated one
 * @indices: measurement indices to read, or %NULL for all
 * @nr_indices: number of @indices
 * @cb: called with the lock held if the device returned a signature
 * @priv: passed to @cb
 *
 * Reads the measurements as spdm_get_measurements() does, the last
 * request carrying @nonce.  The device must have proven possession of
 * the key of @slot by a valid CHALLENGE_AUTH since it was last reset.
 *
 * Context: process; sleeps while the device answers.
 *
 * Return: 0 if the signed measurements are valid; -EOPNOTSUPP if the
 * device cannot sign measurements; -EKEYREJECTED if it has not proven
 * its key; -EINVAL if @slot is not the authenticated slot; another
 * negative errno if an exchange or check failed (logged).
 */
int spdm_measure_nonce(struct spdm_state *spdm_state, const u8 *nonce,
		       int slot, const u8 *indices, unsigned int nr_indices,
		       spdm_evidence_cb *cb, void *priv)
{
	size_t sent, received;
	unsigned int exchanges;
	ktime_t start;
	int rc;

	mutex_lock(&spdm_state->lock);
	rc = spdm_check_proven(spdm_state, slot);
	if (!rc && FIELD_GET(SPDM_MEAS_CAP_MASK, spdm_state->rsp_caps) !=
		   SPDM_MEAS_CAP_SIG)
		rc = -EOPNOTSUPP;
	if (rc)
		goto unlock;

	start = ktime_get();
	exchanges = spdm_state->exchanges;
	sent = spdm_state->bytes_sent;
	received = spdm_state->bytes_received;

	spdm_state->req_nonce = nonce;
	rc = spdm_get_measurements(spdm_state, indices, nr_indices,
				   spdm_state->chal_slot);
	spdm_state->req_nonce = NULL;
	spdm_report_evidence(spdm_state, &spdm_state->meas_ev, cb, priv);

	dev_dbg(spdm_state->dev,
		"measurements: %u exchanges, %zu bytes sent, %zu received, %lld us\n",
		spdm_state->exchanges - exchanges,
		spdm_state->bytes_sent - sent,
		spdm_state->bytes_received - received,
		ktime_us_delta(ktime_get(), start));
unlock:
	mutex_unlock(&spdm_state->lock);
	return rc;
}

/**
 * spdm_auth_result() - outcome of the last authentication
 * @spdm_state: SPDM state of the device
 *
 * Context: process.
 *
 * Return: 0 if the device is authenticated, -EOPNOTSUPP if it does not
 * support authentication, else the reason it is not authenticated.
 */
int spdm_auth_result(struct spdm_state *spdm_state)
{
	int result;

	mutex_lock(&spdm_state->lock);
	result = spdm_state->auth_result;
	mutex_unlock(&spdm_state->lock);

	return result;
}
EXPORT_SYMBOL_GPL(spdm_auth_result);

/**
 * spdm_version() - SPDM version negotiated with the device
 * @spdm_state: SPDM state of the device
 *
 * Context: process.
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
