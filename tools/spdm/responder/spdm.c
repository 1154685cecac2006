// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM (DMTF DSP0274) message layer of the software responder: per-device
 * state, request dispatch, RESPOND_IF_READY and the ERROR helpers.
 *
 * Connection state (DSP0274 1.3 sec 9 "Message exchanges" and sec 17
 * "General ordering rules"): GET_VERSION (re)starts the connection;
 * GET_CAPABILITIES and NEGOTIATE_ALGORITHMS must follow in that order,
 * once each; GET_DIGESTS, GET_CERTIFICATE, CHALLENGE and
 * GET_MEASUREMENTS are accepted in any order once the algorithms are
 * negotiated.  A request out of order gets ERROR(UnexpectedRequest), one
 * in another version than the negotiated one ERROR(VersionMismatch), a
 * malformed one ERROR(InvalidRequest).  No ERROR changes the state or the
 * transcript, but for L1/L2, which most start over (see measurements.c).
 * A response too large for one message may be fetched with CHUNK_GET
 * (1.2+, see chunk.c) until the next other request.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "spdm.h"

/*
 * Request handlers, indexed by request code.  A code without a handler
 * is answered with ERROR(UnsupportedRequest, code).  To add a request:
 * write its handler in a file of its own (like version.c), declare it in
 * spdm.h and list it here; misbehaviours specific to its response go in
 * misbehave.c and are looked up by the handler.  RESPOND_IF_READY is
 * handled here: it answers a request deferred by ResponseNotReady.
 */
static const spdm_handler_t spdm_handlers[256] = {
	[SPDM_GET_VERSION] = spdm_get_version,
	[SPDM_GET_CAPABILITIES] = spdm_get_capabilities,
	[SPDM_NEGOTIATE_ALGORITHMS] = spdm_negotiate_algorithms,
	[SPDM_GET_DIGESTS] = spdm_get_digests,
	[SPDM_GET_CERTIFICATE] = spdm_get_certificate,
	[SPDM_CHALLENGE] = spdm_challenge,
	[SPDM_GET_MEASUREMENTS] = spdm_get_measurements,
	[SPDM_KEY_EXCHANGE] = spdm_key_exchange,
	[SPDM_FINISH] = spdm_finish,
	[SPDM_HEARTBEAT] = spdm_heartbeat,
	[SPDM_KEY_UPDATE] = spdm_key_update,
	[SPDM_END_SESSION] = spdm_end_session,
	[SPDM_CHUNK_GET] = spdm_chunk_get,
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

static const char *const spdm_rsp_names[128] = {
	[SPDM_DIGESTS] = "DIGESTS",
	[SPDM_CERTIFICATE] = "CERTIFICATE",
	[SPDM_CHALLENGE_AUTH] = "CHALLENGE_AUTH",
	[SPDM_VERSION] = "VERSION",
	[SPDM_CHUNK_RESPONSE] = "CHUNK_RESPONSE",
	[SPDM_MEASUREMENTS] = "MEASUREMENTS",
	[SPDM_CAPABILITIES] = "CAPABILITIES",
	[SPDM_ALGORITHMS] = "ALGORITHMS",
	[SPDM_KEY_EXCHANGE_RSP] = "KEY_EXCHANGE_RSP",
	[SPDM_FINISH_RSP] = "FINISH_RSP",
	[SPDM_HEARTBEAT_ACK] = "HEARTBEAT_ACK",
	[SPDM_KEY_UPDATE_ACK] = "KEY_UPDATE_ACK",
	[SPDM_END_SESSION_ACK] = "END_SESSION_ACK",
	[SPDM_ERROR] = "ERROR",
};

const char *spdm_response_name(uint8_t code)
{
	if (code < 128 && spdm_rsp_names[code])
		return spdm_rsp_names[code];
	return "response";
}

const char *spdm_request_name(uint8_t code)
{
	if (spdm_names[code])
		return spdm_names[code];
	return code & 0x80 ? "unknown request" : "a response code";
}

const char *spdm_error_name(uint8_t code)
{
	switch (code) {
	case SPDM_ERR_INVALID_REQUEST:		return "InvalidRequest";
	case SPDM_ERR_INVALID_SESSION:		return "InvalidSession";
	case SPDM_ERR_BUSY:			return "Busy";
	case SPDM_ERR_UNEXPECTED_REQUEST:	return "UnexpectedRequest";
	case SPDM_ERR_UNSPECIFIED:		return "Unspecified";
	case SPDM_ERR_DECRYPT_ERROR:		return "DecryptError";
	case SPDM_ERR_UNSUPPORTED_REQUEST:	return "UnsupportedRequest";
	case SPDM_ERR_RESPONSE_TOO_LARGE:	return "ResponseTooLarge";
	case SPDM_ERR_LARGE_RESPONSE:		return "LargeResponse";
	case SPDM_ERR_VERSION_MISMATCH:		return "VersionMismatch";
	case SPDM_ERR_RESPONSE_NOT_READY:	return "ResponseNotReady";
	case SPDM_ERR_REQUEST_RESYNCH:		return "RequestResynch";
	}
	return "?";
}

void spdm_device_init(struct spdm_device *dev, unsigned int index,
		      const struct spdm_version_set *versions,
		      const struct misbehave_set *misbehave)
{
	memset(dev, 0, sizeof(*dev));
	dev->index = index;
	dev->versions = *versions;
	dev->misbehave = *misbehave;
	dev->hash_mask = SPDM_HASH_ALL;
	dev->ct_exponent = SPDM_DEFAULT_CT_EXPONENT;
	dev->data_transfer_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	dev->max_msg_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	msg_init(&dev->vca);
	msg_init(&dev->b);
	msg_init(&dev->not_ready.req);
	msg_init(&dev->large.rsp);
	spdm_meas_init(dev);
	dev->busy_code = -1;
	dev->dhe_mask = SPDM_DHE_SUPPORTED;
	dev->aead_mask = SPDM_AEAD_SUPPORTED;
	dev->next_rsp_session_id = 0xffff;
}

void spdm_dev_config_init(struct spdm_dev_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->slot_mask = 1;		/* slot 0 */
	cfg->hash_mask = SPDM_HASH_ALL;
	cfg->ct_exponent = SPDM_DEFAULT_CT_EXPONENT;
	cfg->data_transfer_size = SPDM_DEFAULT_DATA_TRANSFER_SIZE;
	spdm_meas_config_init(&cfg->meas);
	cfg->session = SPDM_SESSION_ON;
	cfg->dhe_mask = SPDM_DHE_SUPPORTED;
	cfg->aead_mask = SPDM_AEAD_SUPPORTED;
}

/*
 * Apply @cfg: load the chain of every provisioned slot.  Without any
 * chain the device has no CERT_CAP/CHAL_CAP and answers GET_DIGESTS,
 * GET_CERTIFICATE and CHALLENGE with ERROR(UnsupportedRequest).  Then
 * the measurements (MEAS_CAP, see measurements.c).
 */
int spdm_device_configure(struct spdm_device *dev,
			  const struct spdm_dev_config *cfg, char *err,
			  size_t errlen)
{
	const char *dir;
	unsigned int s;
	bool any = false;

	dev->hash_mask = cfg->hash_mask;
	dev->ct_exponent = cfg->ct_exponent;
	dev->data_transfer_size = cfg->data_transfer_size;
	dev->max_msg_size = cfg->max_msg_size ?: cfg->data_transfer_size;
	for (s = 0; s < SPDM_MAX_SLOTS; s++) {
		dev->slot[s] = NULL;
		dir = cfg->slot_dir[s];
		if (!dir && (cfg->slot_mask & (1U << s)))
			dir = cfg->certs_dir;
		if (!dir) {
			if (cfg->slot_mask_set && (cfg->slot_mask & (1U << s))) {
				snprintf(err, errlen,
					 "slot %u is to be provisioned but has no certificates (certs= or slot=%u=DIR)",
					 s, s);
				return -EINVAL;
			}
			continue;
		}
		dev->slot[s] = certs_load(dir, err, errlen);
		if (!dev->slot[s])
			return -EINVAL;
		any = true;
	}
	dev->asym_mask = 0;
	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		if (dev->slot[s])
			dev->asym_mask |= dev->slot[s]->key.asym_mask;
	if (!any && cfg->certs_dir) {
		/* certs with an empty slot list: a key, nothing provisioned */
		const struct spdm_cert_set *cs;

		cs = certs_load(cfg->certs_dir, err, errlen);
		if (!cs)
			return -EINVAL;
		dev->asym_mask = cs->key.asym_mask;
		any = true;
	}
	dev->rsp_flags = any ? SPDM_CAP_CERT | SPDM_CAP_CHAL : 0;
	if (dev->max_msg_size > dev->data_transfer_size)
		dev->rsp_flags |= SPDM_CAP_CHUNK;
	if (spdm_meas_configure(dev, &cfg->meas, any, err, errlen))
		return -EINVAL;
	dev->rsp_flags |= (uint32_t)dev->meas.cap << SPDM_MEAS_CAP_SHIFT;
	/*
	 * Sessions (KEY_EXCHANGE signs TH1 with a leaf key): the flags
	 * DSP0274 requires together - KEY_EX_CAP needs ENCRYPT_CAP or
	 * MAC_CAP (we do both), HBEAT_CAP/KEY_UPD_CAP/HANDSHAKE_IN_THE_
	 * CLEAR_CAP need KEY_EX_CAP or PSK_CAP.
	 */
	dev->session_mode = cfg->session;
	dev->dhe_mask = cfg->dhe_mask;
	dev->aead_mask = cfg->aead_mask;
	dev->heartbeat_period = cfg->heartbeat_period;
	dev->keylog = cfg->keylog;
	if (any && cfg->session != SPDM_SESSION_NONE)
		dev->rsp_flags |= SPDM_CAP_KEY_EX | SPDM_CAP_ENCRYPT |
				  SPDM_CAP_MAC | SPDM_CAP_HBEAT |
				  SPDM_CAP_KEY_UPD;
	if (any && cfg->session == SPDM_SESSION_CLEAR)
		dev->rsp_flags |= SPDM_CAP_HANDSHAKE_CLEAR;
	return 0;
}

void spdm_device_release(struct spdm_device *dev)
{
	msg_free(&dev->vca);
	msg_free(&dev->b);
	msg_free(&dev->not_ready.req);
	msg_free(&dev->large.rsp);
	spdm_meas_release(dev);
	spdm_sessions_reset(dev);
}

/* Forget the connection: what GET_VERSION and RequestResynch do. */
void spdm_conn_reset(struct spdm_device *dev)
{
	dev->state = SPDM_CONN_IDLE;
	dev->version = 0;
	dev->req_flags = 0;
	dev->req_data_transfer_size = 0;
	dev->req_max_msg_size = 0;
	dev->asym_sel = 0;
	dev->hash = NULL;
	dev->other_params_sel = 0;
	dev->provisioned = 0;
	dev->supported = 0;
	msg_reset(&dev->vca);
	msg_reset(&dev->b);
	dev->challenged = false;
	spdm_meas_conn_reset(dev);
	dev->dhe_sel = 0;
	dev->aead_sel = 0;
	dev->key_sched_sel = 0;
	/* a new connection ends every session (DSP0274 GET_VERSION) */
	spdm_sessions_reset(dev);
	dev->not_ready.pending = false;
	dev->busy_code = -1;
	spdm_chunk_discard(dev);
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
 * Log why @req is rejected and answer ERROR(@code, @data) in the
 * request's version (which dispatch() has checked).
 */
int spdm_reject(struct spdm_device *dev, const struct spdm_request *req,
		struct msg *rsp, uint8_t code, uint8_t data,
		const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_msg("port %u: rejected %s: %s, ERROR %s", dev->port,
		spdm_request_name(req->code), why, spdm_error_name(code));
	msg_reset(rsp);
	return spdm_error(rsp, req->version, code, data, NULL, 0);
}

/*
 * A fixed-size request of @want bytes arrives in a DOE object, so it may
 * be followed by up to 3 zero bytes of dword padding; anything else is
 * too short or too long.
 */
bool spdm_req_len_ok(const struct spdm_request *req, size_t want)
{
	size_t i;

	if (req->len == want)
		return true;
	if (req->len < want || req->len != ((want + 3) & ~(size_t)3))
		return false;
	for (i = want; i < req->len; i++)
		if (req->buf[i])
			return false;
	return true;
}

/* The largest message we send: our DataTransferSize, the requester's. */
size_t spdm_max_send(const struct spdm_device *dev)
{
	if (dev->req_data_transfer_size &&
	    dev->req_data_transfer_size < dev->data_transfer_size)
		return dev->req_data_transfer_size;
	return dev->data_transfer_size;
}

/*
 * A response fits one message, or with chunking both sides'
 * MaxSPDMmsgSize (chunk.c sends it in pieces).
 */
bool spdm_rsp_fits(const struct spdm_device *dev, size_t len)
{
	if (len <= spdm_max_send(dev))
		return true;
	return spdm_chunking(dev) && len <= dev->max_msg_size &&
	       len <= dev->req_max_msg_size;
}

/* ERROR(ResponseTooLarge) with the response size (1.2+), else Unspecified. */
int spdm_too_large(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp, size_t len)
{
	bool chunks = spdm_chunking(dev);
	uint8_t size[4];

	log_msg("port %u: rejected %s: response of %zu bytes exceeds %s (ours %u, requester's %u), ERROR %s",
		dev->port, spdm_request_name(req->code), len,
		chunks ? "MaxSPDMmsgSize" : "DataTransferSize",
		chunks ? dev->max_msg_size : dev->data_transfer_size,
		chunks ? dev->req_max_msg_size : dev->req_data_transfer_size,
		spdm_error_name(req->version >= SPDM_VER_12 ?
				SPDM_ERR_RESPONSE_TOO_LARGE :
				SPDM_ERR_UNSPECIFIED));
	msg_reset(rsp);
	if (req->version < SPDM_VER_12)
		return spdm_error(rsp, req->version, SPDM_ERR_UNSPECIFIED, 0,
				  NULL, 0);
	put_le32(size, len);
	return spdm_error(rsp, req->version, SPDM_ERR_RESPONSE_TOO_LARGE, 0,
			  size, sizeof(size));
}

/* Append a request and its response to a transcript part. */
int spdm_transcript_add(struct msg *m, const void *req, size_t req_len,
			const void *rsp, size_t rsp_len)
{
	return msg_put(m, req, req_len) ?: msg_put(m, rsp, rsp_len);
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

	if (dev->cur_session && !spdm_session_allows(dev, req->code))
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNEXPECTED_REQUEST,
				   0, "not allowed in session 0x%08x (%s)",
				   dev->cur_session->id,
				   dev->cur_session->state == SPDM_SESS_HANDSHAKE ?
				   "handshake" : "established");
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
 * RESPOND_IF_READY (DSP0274 1.3 sec 10.21): Param1 = the original
 * RequestCode, Param2 = the Token of the ResponseNotReady.  The deferred
 * request is answered now, as if it had just arrived: its request and
 * response (not the ERROR, not RESPOND_IF_READY) enter the transcript.
 */
static int respond_if_ready(struct spdm_device *dev,
			    const struct spdm_request *req, struct msg *rsp,
			    struct spdm_request *deferred)
{
	struct spdm_not_ready *nr = &dev->not_ready;

	if (!spdm_req_len_ok(req, SPDM_HDR_LEN))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, not %d", req->len, SPDM_HDR_LEN);
	if (!nr->pending) {
		if (!version_ok(dev, req->version)) {
			log_msg("port %u: rejected RESPOND_IF_READY: SPDM version 0x%02x not accepted, ERROR VersionMismatch",
				dev->port, req->version);
			return spdm_error(rsp, spdm_error_version(dev),
					  SPDM_ERR_VERSION_MISMATCH, 0, NULL, 0);
		}
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNEXPECTED_REQUEST, 0,
				   "no ResponseNotReady outstanding");
	}
	if (req->version != nr->req.data[0])
		return spdm_reject(dev, req, rsp, SPDM_ERR_VERSION_MISMATCH, 0,
				   "SPDM version 0x%02x, the deferred request's is 0x%02x",
				   req->version, nr->req.data[0]);
	if (req->param1 != nr->code || req->param2 != nr->token)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "RequestCode 0x%02x Token %u, expected 0x%02x Token %u",
				   req->param1, req->param2, nr->code, nr->token);
	nr->pending = false;
	*deferred = (struct spdm_request) {
		.buf = nr->req.data, .len = nr->req.len,
		.version = nr->req.data[0], .code = nr->req.data[1],
		.param1 = nr->req.data[2], .param2 = nr->req.data[3],
	};
	log_msg("port %u: RESPOND_IF_READY: answering the deferred %s (Token %u)",
		dev->port, spdm_request_name(deferred->code), req->param2);
	if (deferred->code != SPDM_GET_VERSION &&
	    !version_ok(dev, deferred->version))
		return spdm_reject(dev, deferred, rsp,
				   SPDM_ERR_VERSION_MISMATCH, 0,
				   "SPDM version 0x%02x no longer the connection's",
				   deferred->version);
	return dispatch(dev, deferred, rsp);
}

/*
 * Whether the request in @buf goes on with a large response: CHUNK_GET,
 * or RESPOND_IF_READY for a deferred one.  Any other ends it.
 */
static bool continues_large(const struct spdm_device *dev, const uint8_t *buf,
			    size_t len)
{
	if (len < SPDM_HDR_LEN)
		return false;
	if (buf[1] == SPDM_RESPOND_IF_READY)
		return dev->not_ready.pending &&
		       dev->not_ready.code == SPDM_CHUNK_GET;
	return buf[1] == SPDM_CHUNK_GET;
}

/*
 * Answer one SPDM request.  @len may include the DOE padding (up to 3
 * zero bytes).  On return @rsp holds the response to send, unless
 * @act->drop is set.  Returns 0 or a negative errno if no response could
 * be built.
 */
int spdm_respond(struct spdm_device *dev, const uint8_t *buf, size_t len,
		 struct msg *rsp, struct spdm_action *act)
{
	struct spdm_request req, eff;
	int ret;

	msg_reset(rsp);
	memset(act, 0, sizeof(*act));
	if (!continues_large(dev, buf, len))
		spdm_chunk_discard(dev);
	if (len < SPDM_HDR_LEN) {
		log_msg("port %u: rejected SPDM message of %zu bytes (< %d), ERROR InvalidRequest",
			dev->port, len, SPDM_HDR_LEN);
		msg_reset(&dev->meas.l1);	/* not GET_MEASUREMENTS */
		return spdm_error(rsp, spdm_error_version(dev),
				  SPDM_ERR_INVALID_REQUEST, 0, NULL, 0);
	}
	req = (struct spdm_request) {
		.buf = buf, .len = len, .version = buf[0], .code = buf[1],
		.param1 = buf[2], .param2 = buf[3],
	};
	eff = req;
	dev->requests++;
	ret = misbehave_before(dev, &req, rsp, act);
	if (ret < 0)
		return ret;
	if (act->drop)
		return 0;
	/* RESPOND_IF_READY carries the deferred request's version */
	if (!ret && req.code != SPDM_GET_VERSION &&
	    req.code != SPDM_RESPOND_IF_READY &&
	    !version_ok(dev, req.version)) {
		log_msg("port %u: rejected %s: SPDM version 0x%02x not accepted, ERROR VersionMismatch",
			dev->port, spdm_request_name(req.code), req.version);
		ret = spdm_error(rsp, spdm_error_version(dev),
				 SPDM_ERR_VERSION_MISMATCH, 0, NULL, 0);
		spdm_meas_transcript_track(dev, &req, rsp);
		return ret ?: misbehave_after(dev, &req, rsp, act);
	}
	if (!ret && req.code == SPDM_RESPOND_IF_READY)
		ret = respond_if_ready(dev, &req, rsp, &eff);
	else if (!ret)
		ret = dispatch(dev, &req, rsp);
	if (ret < 0)
		return ret;
	/* before the misbehaviours mangle it: what the responder meant */
	spdm_meas_transcript_track(dev, &eff, rsp);
	ret = misbehave_after(dev, &eff, rsp, act);
	return ret ?: spdm_chunk_offer(dev, &eff, rsp);
}
