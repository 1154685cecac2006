// SPDX-License-Identifier: GPL-2.0
/*
 * Large responses (DSP0274 1.2+ "CHUNK_GET request and CHUNK_RESPONSE
 * response").
 *
 * With CHUNK_CAP on both sides (ours: max-msg-size larger than
 * data-transfer-size), a response larger than the smaller
 * DataTransferSize of the two, but within both MaxSPDMmsgSizes, is kept
 * and the request is answered with ERROR(LargeResponse, 0, Handle).  The
 * requester then fetches it with CHUNK_GET: SPDMVersion, 0x86, Param1
 * reserved, Param2 Handle, ChunkSeqNo (2; 1.4: 4).  Each CHUNK_RESPONSE:
 * 0x06, Param1 ChunkSenderAttributes (bit 0 LastChunk), Param2 Handle,
 * ChunkSeqNo (2) and Reserved (2) - from 1.4 on ChunkSeqNo (4) -,
 * ChunkSize (4), LargeMessageSize (4, in chunk 0 only), then ChunkSize
 * bytes of the response; as many as fit the smaller DataTransferSize.
 * Sequence numbers count from 0.  (CHUNK_SEND, whose ChunkSeqNo grew
 * the same way, is not implemented: no request of ours needs it.)
 *
 * The handler of the original request has put the whole response into
 * the transcripts (M1/M2, L1/L2, TH) already; ERROR(LargeResponse),
 * CHUNK_GET and CHUNK_RESPONSE enter none.  A CHUNK_GET without a
 * pending response, with another Handle or ChunkSeqNo, or from another
 * session gets ERROR(InvalidRequest) and ends the transfer; so does any
 * other request (see spdm_respond()).
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "handlers.h"

#define CHUNK_GET_LEN		6
#define CHUNK_GET_LEN_14	8	/* 1.4: ChunkSeqNo is a u32 */
#define CHUNK_RSP_HDR		12
#define CHUNK_LARGE_SIZE_LEN	4	/* LargeMessageSize, chunk 0 only */
#define CHUNK_LAST		0x01	/* ChunkSenderAttributes LastChunk */

/* What the chunk-* misbehaviours change in this CHUNK_RESPONSE. */
struct chunk_plan {
	bool bad_handle, bad_seq, size_lie, no_last, overflow, seq_high;
};

static uint32_t session_id(const struct spdm_device *dev)
{
	return dev->cur_session ? dev->cur_session->id : 0;
}

/*
 * After @rsp to @req is built: if it is too large for one message and
 * the connection chunks, keep it and put ERROR(LargeResponse) in @rsp.
 */
int spdm_chunk_offer(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	struct spdm_large_rsp *l = &dev->large;

	if (rsp->len <= spdm_max_send(dev) || !spdm_chunking(dev) ||
	    rsp->len > dev->max_msg_size)
		return 0;
	msg_swap(&l->rsp, rsp);
	msg_reset(rsp);
	l->pending = true;
	l->handle = dev->next_handle++;
	l->code = req->code;
	l->seq = 0;
	l->sent = 0;
	l->session_id = session_id(dev);
	log_msg("port %u: %s of %zu bytes exceeds DataTransferSize %zu: ERROR LargeResponse, handle %u",
		dev->port, spdm_response_name(l->rsp.data[1]), l->rsp.len,
		spdm_max_send(dev), l->handle);
	return spdm_error(rsp, req->version, SPDM_ERR_LARGE_RESPONSE, 0,
			  &l->handle, 1);
}

/* Why @req cannot get the next chunk (NULL: it can). */
static const char *chunk_get_problem(const struct spdm_device *dev,
				     const struct spdm_request *req,
				     char *why, size_t whylen)
{
	const struct spdm_large_rsp *l = &dev->large;
	bool v14 = req->version >= SPDM_VER_14;
	size_t want = v14 ? CHUNK_GET_LEN_14 : CHUNK_GET_LEN;
	uint32_t seq;

	if (!spdm_req_len_ok(req, want)) {
		snprintf(why, whylen, "%zu bytes, not %zu", req->len, want);
		return why;
	}
	if (!l->pending)
		return "no large response pending";
	if (l->session_id != session_id(dev)) {
		snprintf(why, whylen, "the large response is for %s",
			 l->session_id ? "a session" : "no session");
		return why;
	}
	seq = v14 ? get_le32(req->buf + SPDM_HDR_LEN) :
		    get_le16(req->buf + SPDM_HDR_LEN);
	if (req->param2 != l->handle || seq != l->seq) {
		snprintf(why, whylen, "Handle %u ChunkSeqNo %u, expected %u %u",
			 req->param2, seq, l->handle, l->seq);
		return why;
	}
	return NULL;
}

static bool plan_one(struct spdm_device *dev, enum misbehave_id id,
		     bool applies, const char *what)
{
	const struct spdm_large_rsp *l = &dev->large;

	if (!applies || !misbehave_get(&dev->misbehave, id, l->code))
		return false;
	log_msg("port %u: misbehave %s", dev->port, what);
	return true;
}

static void plan_chunk(struct spdm_device *dev, bool last,
		       struct chunk_plan *p)
{
	bool first = !dev->large.seq;

	p->bad_handle = plan_one(dev, MB_CHUNK_BAD_HANDLE, true,
				 "chunk-bad-handle: CHUNK_RESPONSE carries another Handle");
	p->bad_seq = plan_one(dev, MB_CHUNK_BAD_SEQ, true,
			      "chunk-bad-seq: CHUNK_RESPONSE carries the next ChunkSeqNo");
	p->size_lie = plan_one(dev, MB_CHUNK_SIZE_LIE, first,
			       "chunk-size-lie: LargeMessageSize one too large");
	p->no_last = plan_one(dev, MB_CHUNK_NO_LAST, last,
			      "chunk-no-last: last CHUNK_RESPONSE without LastChunk");
	p->overflow = plan_one(dev, MB_CHUNK_OVERFLOW, true,
			       "chunk-overflow: ChunkSize one more than the chunk");
	p->seq_high = plan_one(dev, MB_CHUNK_SEQ_HIGH, true,
			       dev->version >= SPDM_VER_14 ?
			       "chunk-seq-high: CHUNK_RESPONSE ChunkSeqNo upper half 0x0001" :
			       "chunk-seq-high: CHUNK_RESPONSE Reserved bytes 6-7 0x0001");
}

/* The next CHUNK_RESPONSE: as much as fits one message. */
static int put_chunk(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	struct spdm_large_rsp *l = &dev->large;
	size_t hdr = CHUNK_RSP_HDR + (l->seq ? 0 : CHUNK_LARGE_SIZE_LEN);
	size_t left = l->rsp.len - l->sent, size = spdm_max_send(dev) - hdr;
	uint8_t h[CHUNK_RSP_HDR + CHUNK_LARGE_SIZE_LEN] = { 0 };
	struct chunk_plan p;
	bool last;
	int ret;

	if (size > left)
		size = left;
	last = size == left;
	plan_chunk(dev, last, &p);
	h[0] = req->version;
	h[1] = SPDM_CHUNK_RESPONSE;
	h[2] = last && !p.no_last ? CHUNK_LAST : 0;
	h[3] = l->handle + p.bad_handle;
	/* 1.4: u32; before: u16 and 2 reserved bytes (chunk-seq-high: 1) */
	if (req->version >= SPDM_VER_14)
		put_le32(h + 4, l->seq + p.bad_seq);
	else
		put_le16(h + 4, l->seq + p.bad_seq);
	if (p.seq_high)
		put_le16(h + 6, get_le16(h + 6) + 1);
	put_le32(h + 8, size + p.overflow);
	if (!l->seq)
		put_le32(h + CHUNK_RSP_HDR, l->rsp.len + p.size_lie);
	ret = msg_put(rsp, h, hdr) ?: msg_put(rsp, l->rsp.data + l->sent, size);
	log_msg("port %u: CHUNK_RESPONSE handle %u seq %u: %zu bytes at %zu of %zu%s",
		dev->port, l->handle, l->seq, size, l->sent, l->rsp.len,
		last ? ", last" : "");
	l->sent += size;
	l->seq++;
	if (last)
		spdm_chunk_discard(dev);
	return ret;
}

int spdm_chunk_get(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp)
{
	const char *problem;
	char why[96];

	problem = chunk_get_problem(dev, req, why, sizeof(why));
	if (problem) {
		spdm_chunk_discard(dev);
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "%s", problem);
	}
	return put_chunk(dev, req, rsp);
}
