// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers below the request handlers: request, response and error
 * names, message headers, ERROR responses, request and response size
 * checks, transcript appends, the certificate chain of a slot,
 * transcript signatures and SPDM version lists.
 *
 * Handlers and the dispatcher call these; nothing here calls a handler
 * or the dispatcher (see dispatch.c for the layering).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "spdm.h"

/* Versions of DSP0274 this responder may be configured to offer. */
#define SPDM_KNOWN_MIN		SPDM_VNE(1, 0)
#define SPDM_KNOWN_MAX		SPDM_VNE(1, 4)

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
/* Append the four header bytes every SPDM message starts with. */
int spdm_put_hdr(struct msg *rsp, uint8_t version, uint8_t code,
		 uint8_t param1, uint8_t param2)
{
	uint8_t hdr[SPDM_HDR_LEN] = { version, code, param1, param2 };

	return msg_put(rsp, hdr, sizeof(hdr));
}

int spdm_error(struct msg *rsp, uint8_t version, uint8_t code, uint8_t data,
	       const void *ext, size_t ext_len)
{
	return spdm_put_hdr(rsp, version, SPDM_ERROR, code, data) ?:
	       msg_put(rsp, ext, ext_len);
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

/* Reject @req for its size: @want bytes in its version. */
int spdm_reject_len(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, size_t want)
{
	return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
			   "%zu bytes, SPDM %u.%u wants %zu", req->len,
			   req->version >> 4, req->version & 0xf, want);
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

/* Whether large responses go in chunks on this connection. */
bool spdm_chunking(const struct spdm_device *dev)
{
	return dev->version >= SPDM_VER_12 &&
	       (dev->rsp_flags & dev->req_flags & SPDM_CAP_CHUNK);
}

/* Forget the pending large response, if any. */
void spdm_chunk_discard(struct spdm_device *dev)
{
	dev->large.pending = false;
	msg_reset(&dev->large.rsp);
}

const struct spdm_chain *spdm_slot_chain(const struct spdm_device *dev,
					 unsigned int slot)
{
	if (slot >= SPDM_MAX_SLOTS || !dev->slot[slot] || !dev->hash)
		return NULL;
	return &dev->slot[slot]->chain[dev->hash->index];
}

/*
 * Sign the transcript @t of @len bytes: the signature scheme's digest is
 * Hash(@t) (1.0/1.1), or with @prefix Hash(combined_spdm_prefix(@context)
 * || Hash(@t)) (1.2+); ML-DSA (1.4) signs combined_spdm_prefix(@context)
 * || Hash(@t).  @sig gets S bytes.  Also used for MEASUREMENTS.
 */
int spdm_sign_transcript(struct spdm_device *dev, const struct spdm_key *key,
			 const uint8_t *t, size_t len, const char *context,
			 bool prefix, uint8_t *sig)
{
	uint8_t prefixed[SPDM_COMBINED_PREFIX_LEN + SPDM_MAX_HASH_LEN];
	uint8_t digest[SPDM_MAX_HASH_LEN];
	const struct spdm_hash_alg *h = dev->hash;
	int ret;

	ret = spdm_digest(h, t, len, NULL, 0, digest);
	if (ret)
		return ret;
	/*
	 * 1.4 PqcAsymSel: pure ML-DSA signs M = combined_spdm_prefix ||
	 * Hash(@t) itself (no second hash), with @context as its FIPS 204
	 * context string (unpadded); without @prefix (a misbehaviour):
	 * Hash(@t) alone.
	 */
	if (dev->pqc_sel) {
		if (!prefix)
			return spdm_mldsa_sign(key, dev->pqc_sel, digest,
					       h->len, context, sig);
		spdm_combined_prefix(dev->version, context, prefixed);
		memcpy(prefixed + SPDM_COMBINED_PREFIX_LEN, digest, h->len);
		return spdm_mldsa_sign(key, dev->pqc_sel, prefixed,
				       SPDM_COMBINED_PREFIX_LEN + h->len,
				       context, sig);
	}
	if (prefix) {
		spdm_combined_prefix(dev->version, context, prefixed);
		memcpy(prefixed + SPDM_COMBINED_PREFIX_LEN, digest, h->len);
		ret = spdm_digest(h, prefixed,
				  SPDM_COMBINED_PREFIX_LEN + h->len, NULL, 0,
				  digest);
		if (ret)
			return ret;
	}
	return spdm_sign_digest(key, dev->asym_sel, h, digest, sig);
}

/*
 * The error for a request that is only allowed in a session but came
 * outside one: SessionRequired from SPDM 1.2 on (DSP0274 1.2 table
 * "Error code and error data"), UnexpectedRequest before.
 */
uint8_t spdm_session_required(const struct spdm_request *req)
{
	return req->version >= SPDM_VER_12 ? SPDM_ERR_SESSION_REQUIRED :
					     SPDM_ERR_UNEXPECTED_REQUEST;
}

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

/* Add @vne to @set, keeping it sorted and without duplicates. */
void spdm_versions_add(struct spdm_version_set *set, uint16_t vne)
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
			spdm_versions_add(set, vne);
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

