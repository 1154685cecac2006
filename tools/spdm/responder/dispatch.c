// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM (DMTF DSP0274) request dispatch: the table of request handlers
 * with what each request needs, RESPOND_IF_READY and spdm_respond(), the
 * entry point of the message layer.
 *
 * Connection state (DSP0274 1.3 sec 9 "Message exchanges" and sec 17
 * "General ordering rules"): GET_VERSION (re)starts the connection;
 * GET_CAPABILITIES and NEGOTIATE_ALGORITHMS must follow in that order,
 * once each; GET_DIGESTS, GET_CERTIFICATE, CHALLENGE and
 * GET_MEASUREMENTS are accepted in any order once the algorithms are
 * negotiated.  A request out of order gets ERROR(UnexpectedRequest), one
 * in another version than the negotiated one ERROR(VersionMismatch), a
 * malformed one ERROR(InvalidRequest).  No ERROR changes the state or the
 * transcript, but for L1/L2, which most start over (see meas_store.c).
 * A response too large for one message may be fetched with CHUNK_GET
 * (1.2+, see chunk.c) until the next other request.
 *
 * Layering, each calling only what is below it:
 *   transports    main.c, server.c, socket.c, doe.c, secured.c
 *   dispatch      dispatch.c (this file), misbehave.c (its send-path
 *                 switches), chunk.c's spdm_chunk_offer()
 *   handlers      one file per exchange (handlers.h): version.c,
 *                 negotiate.c, certificate.c, challenge.c,
 *                 measurements.c, key_exchange.c, finish.c, heartbeat.c,
 *                 key_update.c, end_session.c, chunk.c
 *   shared        device.c (configuration, connection reset),
 *                 identity.c (identity=: the chain and key of the
 *                 certs= slots), session.c (session table),
 *                 meas_store.c (measurements), common.c (names,
 *                 headers, ERROR, sizes, transcripts, signatures,
 *                 version lists)
 *   primitives    msg.c, log.c, crypto.c, certs.c, keysched.c, keylog.c
 * Handlers do not call each other; what two of them need is below them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"

/* struct spdm_handler_info flags */
#define RQ_ANY_VERSION	(1U << 0)	/* not the connection's version check */
#define RQ_NO_SESSION	(1U << 1)	/* not in an established session */
#define RQ_HANDSHAKE	(1U << 2)	/* in a session still in its handshake */
#define RQ_SESSION_ONLY	(1U << 3)	/* only in a session */
#define RQ_IDENTITY	(1U << 4)	/* identity= re-read first */

/*
 * What a request needs before its handler runs.  The dispatcher checks,
 * in this order: where it came (in a session or not), our capability and
 * the version (ERROR UnsupportedRequest), the connection state
 * (UnexpectedRequest), a session (SessionRequired), the requester's
 * capability (UnsupportedRequest) and a fixed size (InvalidRequest).
 * What is left (sizes that depend on the version or on fields, the
 * response size, the fields) the handler checks.  Before the handlers of
 * requests that serve a chain or sign (RQ_IDENTITY) the identity= file
 * is looked at, so that they find the chain and key it names.
 */
struct spdm_handler_info {
	spdm_handler_t fn;		/* NULL: ERROR(UnsupportedRequest) */
	unsigned int flags;		/* RQ_* */
	uint32_t cap;			/* our capability it needs (any bit) */
	uint8_t min_version;		/* older: UnsupportedRequest */
	const char *no_cap;		/* why, without @cap or @min_version */
	const char *too_old;		/* why, older (NULL: @no_cap) */
	enum spdm_conn_state state;	/* needed, SPDM_CONN_IDLE: any */
	const char *too_early;		/* why, before @state */
	const char *too_late;		/* why, after @state */
	uint32_t req_cap;		/* the requester's capability it needs */
	const char *no_req_cap;		/* why, without it */
	size_t len;			/* fixed size, 0: the handler checks */
};

#define NEGOTIATED	.state = SPDM_CONN_NEGOTIATED, \
			.too_early = "algorithms not negotiated yet"
#define AUTH		.cap = SPDM_CAP_CERT, \
			.no_cap = "no certificates configured (--certs)", \
			NEGOTIATED

/*
 * The requests, indexed by code.  A code without a handler is answered
 * with ERROR(UnsupportedRequest, code).  To add a request: write its
 * handler in a file of its own (like version.c), declare it in
 * handlers.h and list it here with what it needs; what it shares with
 * other handlers goes below them (common.c and friends), misbehaviours
 * specific to its response in misbehave.h, looked up by the handler.
 * RESPOND_IF_READY is handled here: it answers a request deferred by
 * ResponseNotReady.
 */
static const struct spdm_handler_info spdm_handlers[256] = {
	[SPDM_GET_VERSION] = {
		.fn = spdm_get_version,
		.flags = RQ_ANY_VERSION | RQ_NO_SESSION,
	},
	[SPDM_GET_CAPABILITIES] = {
		.fn = spdm_get_capabilities,
		.flags = RQ_NO_SESSION,
		.state = SPDM_CONN_AFTER_VERSION,
		.too_early = "no GET_VERSION first",
		.too_late = "capabilities already exchanged",
	},
	[SPDM_NEGOTIATE_ALGORITHMS] = {
		.fn = spdm_negotiate_algorithms,
		.flags = RQ_NO_SESSION | RQ_IDENTITY,
		.state = SPDM_CONN_AFTER_CAPS,
		.too_early = "no GET_CAPABILITIES first",
		.too_late = "algorithms already negotiated",
	},
	[SPDM_GET_DIGESTS] = {
		.fn = spdm_get_digests,
		.flags = RQ_IDENTITY,
		AUTH,
	},
	[SPDM_GET_CERTIFICATE] = {
		.fn = spdm_get_certificate,
		.flags = RQ_IDENTITY,
		AUTH,
	},
	[SPDM_CHALLENGE] = {
		.fn = spdm_challenge,
		.flags = RQ_NO_SESSION | RQ_IDENTITY,
		AUTH,
	},
	[SPDM_GET_MEASUREMENTS] = {
		.fn = spdm_get_measurements,
		.flags = RQ_IDENTITY,
		.cap = SPDM_CAP_MEAS_MASK,
		.no_cap = "no measurements (meas=none, or no certificates)",
		NEGOTIATED,
	},
	[SPDM_KEY_EXCHANGE] = {
		.fn = spdm_key_exchange,
		.flags = RQ_NO_SESSION | RQ_IDENTITY,
		.cap = SPDM_CAP_KEY_EX,
		.min_version = SPDM_VER_11,
		.no_cap = "no KEY_EX_CAP (session=none or no certificates)",
		.too_old = "no KEY_EX_CAP in SPDM 1.0",
		NEGOTIATED,
		.req_cap = SPDM_CAP_KEY_EX,
		.no_req_cap = "the requester has no KEY_EX_CAP",
	},
	[SPDM_FINISH] = {
		.fn = spdm_finish,
		.flags = RQ_NO_SESSION | RQ_HANDSHAKE,
		.cap = SPDM_CAP_KEY_EX,
		.min_version = SPDM_VER_11,
		.no_cap = "no KEY_EX_CAP",
	},
	[SPDM_PSK_EXCHANGE] = { .flags = RQ_NO_SESSION },
	[SPDM_PSK_FINISH] = { .flags = RQ_NO_SESSION },
	[SPDM_HEARTBEAT] = {
		.fn = spdm_heartbeat,
		.flags = RQ_SESSION_ONLY,
		.cap = SPDM_CAP_HBEAT,
		.min_version = SPDM_VER_11,
		.no_cap = "no HBEAT_CAP",
		.req_cap = SPDM_CAP_HBEAT,
		.no_req_cap = "the requester lacks the capability",
		.len = SPDM_HDR_LEN,
	},
	[SPDM_KEY_UPDATE] = {
		.fn = spdm_key_update,
		.flags = RQ_SESSION_ONLY,
		.cap = SPDM_CAP_KEY_UPD,
		.min_version = SPDM_VER_11,
		.no_cap = "no KEY_UPD_CAP",
		.req_cap = SPDM_CAP_KEY_UPD,
		.no_req_cap = "the requester lacks the capability",
		.len = SPDM_HDR_LEN,
	},
	[SPDM_END_SESSION] = {
		.fn = spdm_end_session,
		.flags = RQ_SESSION_ONLY,
		.cap = SPDM_CAP_KEY_EX,
		.min_version = SPDM_VER_11,
		.no_cap = "no KEY_EX_CAP",
		.len = SPDM_HDR_LEN,
	},
	[SPDM_CHUNK_GET] = {
		.fn = spdm_chunk_get,
		.cap = SPDM_CAP_CHUNK,
		.min_version = SPDM_VER_12,
		.no_cap = "no CHUNK_CAP",
	},
	[SPDM_RESPOND_IF_READY] = { .flags = RQ_ANY_VERSION },
};

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

/*
 * Whether the session the request came in accepts it: one in its
 * handshake only FINISH, an established one all but what builds a
 * connection or a session (and CHALLENGE).
 */
static bool session_allows(const struct spdm_device *dev,
			   const struct spdm_handler_info *h)
{
	if (dev->cur_session->state == SPDM_SESS_HANDSHAKE)
		return h->flags & RQ_HANDSHAKE;
	return !(h->flags & RQ_NO_SESSION);
}

/* Why @req cannot go to its handler, with the ERROR code; NULL: it can. */
static const char *request_problem(const struct spdm_device *dev,
				   const struct spdm_request *req,
				   const struct spdm_handler_info *h,
				   uint8_t *code, uint8_t *data)
{
	*code = SPDM_ERR_UNSUPPORTED_REQUEST;
	*data = req->code;
	if (h->cap && !(dev->rsp_flags & h->cap))
		return h->no_cap;
	if (req->version < h->min_version)
		return h->too_old ?: h->no_cap;
	*code = SPDM_ERR_UNEXPECTED_REQUEST;
	*data = 0;
	if (h->state != SPDM_CONN_IDLE && dev->state != h->state)
		return dev->state < h->state ? h->too_early : h->too_late;
	if ((h->flags & RQ_SESSION_ONLY) && !dev->cur_session) {
		*code = spdm_session_required(req);
		return "only allowed in a session";
	}
	if (h->req_cap && !(dev->req_flags & h->req_cap)) {
		*code = SPDM_ERR_UNSUPPORTED_REQUEST;
		*data = req->code;
		return h->no_req_cap;
	}
	return NULL;
}

static int dispatch(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp)
{
	const struct spdm_handler_info *h = &spdm_handlers[req->code];
	uint8_t code, data;
	const char *why;

	if (dev->cur_session && !session_allows(dev, h))
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNEXPECTED_REQUEST,
				   0, "not allowed in session 0x%08x (%s)",
				   dev->cur_session->id,
				   dev->cur_session->state == SPDM_SESS_HANDSHAKE ?
				   "handshake" : "established");
	if (!h->fn) {
		log_msg("port %u: request 0x%02x (%s) not supported, ERROR UnsupportedRequest",
			dev->port, req->code, spdm_request_name(req->code));
		return spdm_error(rsp, req->version,
				  SPDM_ERR_UNSUPPORTED_REQUEST, req->code,
				  NULL, 0);
	}
	why = request_problem(dev, req, h, &code, &data);
	if (why)
		return spdm_reject(dev, req, rsp, code, data, "%s", why);
	if (h->len && !spdm_req_len_ok(req, h->len))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%zu bytes, not %zu", req->len, h->len);
	/* which chain and key the handler finds in dev->slot[] */
	if (h->flags & RQ_IDENTITY)
		spdm_identity_refresh(dev);
	return h->fn(dev, req, rsp);
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
	if (!(spdm_handlers[deferred->code].flags & RQ_ANY_VERSION) &&
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
	if (!ret && !(spdm_handlers[req.code].flags & RQ_ANY_VERSION) &&
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
