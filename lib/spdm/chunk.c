// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Large responses (DSP0274 1.2+, CHUNK_CAP): a response larger than the
 * requester's DataTransferSize comes as ERROR(LargeResponse) carrying a
 * Handle; the requester then fetches it piece by piece with CHUNK_GET.
 * Each CHUNK_RESPONSE carries ChunkSeqNo, ChunkSize and the piece, the
 * first one also LargeMessageSize, the last one the LastChunk attribute.
 * The reassembled response stands for the original one everywhere, in
 * the transcripts too; CHUNK_GET and CHUNK_RESPONSE do not enter them.
 * ChunkSeqNo is 16 bits up to SPDM 1.3 and 32 bits from 1.4 on (the
 * reserved bytes after it became its upper half).
 */

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "exchange.h"
#include "state.h"
#include "wire.h"

/* CHUNK_GET: 6 bytes up to SPDM 1.3 (the low half of ChunkSeqNo), 8 from 1.4 */
struct spdm_chunk_get_req {
	u8 version;
	u8 code;
	u8 param1;
	u8 param2;	/* Handle */
	__le32 chunk_seq_no;
} __packed;

#define SPDM_CHUNK_GET_13_SZ	6

/*
 * CHUNK_RESPONSE; LargeMessageSize (4) follows if ChunkSeqNo is 0.  Up to
 * SPDM 1.3 ChunkSeqNo is the low 16 bits and the upper 16 are reserved.
 */
struct spdm_chunk_rsp {
	u8 version;
	u8 code;
	u8 param1;	/* ChunkSenderAttributes */
	u8 param2;	/* Handle */
	__le32 chunk_seq_no;
	__le32 chunk_size;
} __packed;

#define SPDM_CHUNK_LAST		BIT(0)	/* ChunkSenderAttributes */

/* Reassembly of one large response */
struct spdm_chunk_ctx {
	const struct spdm_chunk_get_req *req;
	u8 *msg;		/* the large response, @size bytes at most */
	size_t size;
	size_t large;		/* LargeMessageSize */
	size_t copied;
};

/*
 * Check one CHUNK_RESPONSE of @len bytes at @buf and copy its piece.
 * Return: 1 after the last chunk, 0 if more follow, else a negative errno.
 */
static int spdm_chunk_take(struct spdm_state *spdm_state,
			   struct spdm_chunk_ctx *c, const u8 *buf, size_t len)
{
	const struct spdm_chunk_rsp *rsp = (const void *)buf;
	u32 seq = le32_to_cpu(c->req->chunk_seq_no), rsp_seq;
	size_t hdr = sizeof(*rsp) + (seq ? 0 : sizeof(__le32));
	size_t chunk;
	bool last, done;

	if (len < hdr) {
		dev_err(spdm_state->dev,
			"Truncated CHUNK_RESPONSE %u (%zu bytes)\n", seq, len);
		return -EIO;
	}
	rsp_seq = le32_to_cpu(rsp->chunk_seq_no);
	if (spdm_state->version < SPDM_VER_14)
		rsp_seq &= U16_MAX;
	if (rsp->param2 != c->req->param2 || rsp_seq != seq) {
		dev_err(spdm_state->dev,
			"CHUNK_RESPONSE for handle %u chunk %u, expected handle %u chunk %u\n",
			rsp->param2, rsp_seq, c->req->param2, seq);
		return -EPROTO;
	}
	if (!seq) {
		c->large = get_unaligned_le32(buf + sizeof(*rsp));
		if (c->large < sizeof(struct spdm_header) ||
		    c->large > c->size) {
			dev_err(spdm_state->dev,
				"LargeMessageSize %zu outside 4..%zu\n",
				c->large, c->size);
			return -EMSGSIZE;
		}
	}

	chunk = le32_to_cpu(rsp->chunk_size);
	if (!chunk || chunk > len - hdr ||
	    len - hdr - chunk >= SPDM_TRANSPORT_PAD ||
	    chunk > c->large - c->copied) {
		dev_err(spdm_state->dev,
			"CHUNK_RESPONSE %u: ChunkSize %zu in %zu bytes, %zu of LargeMessageSize %zu left\n",
			seq, chunk, len - hdr, c->large - c->copied, c->large);
		return -EPROTO;
	}
	memcpy(c->msg + c->copied, buf + hdr, chunk);
	c->copied += chunk;

	last = rsp->param1 & SPDM_CHUNK_LAST;
	done = c->copied == c->large;
	if (last == done)
		return done;

	dev_err(spdm_state->dev,
		"CHUNK_RESPONSE %u %s LastChunk with %zu of %zu bytes\n", seq,
		last ? "has" : "lacks", c->copied, c->large);
	return -EPROTO;
}

/**
 * spdm_chunk_get() - fetch a large response with CHUNK_GET
 * @spdm_state: SPDM state of the device
 * @xfer: carries one message (in the clear or in the session)
 * @request: the request the device answered with ERROR(LargeResponse)
 * @handle: the Handle of that ERROR
 * @rsp: receives the large response
 * @rsp_sz: size of @rsp, the largest response the caller takes
 *
 * Every CHUNK_RESPONSE is checked: the Handle, ChunkSeqNo counting up
 * from 0, ChunkSize against the bytes received and LargeMessageSize, and
 * LastChunk exactly on the chunk that completes the response.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: size of the large response, or a negative errno (logged).
 */
ssize_t spdm_chunk_get(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
		       const struct spdm_header *request, u8 handle,
		       void *rsp, size_t rsp_sz)
{
	struct spdm_chunk_get_req req = {
		.version = request->version,
		.code = SPDM_CHUNK_GET,
		.param2 = handle,
	};
	struct spdm_chunk_ctx c = { .req = &req, .msg = rsp, .size = rsp_sz };
	size_t buf_sz = spdm_data_transfer_sz(spdm_state) + SPDM_RSP_SLACK;
	size_t req_sz = spdm_state->version < SPDM_VER_14 ?
			SPDM_CHUNK_GET_13_SZ : sizeof(req);
	u32 max_seq = spdm_state->version < SPDM_VER_14 ? U16_MAX : U32_MAX;
	ssize_t length;
	u32 seq = 0;
	u8 *buf;
	int rc;

	if (spdm_state->version < SPDM_VER_12 ||
	    !(spdm_state->rsp_caps & SPDM_CHUNK_CAP)) {
		dev_err(spdm_state->dev,
			"LargeResponse to request 0x%02x without CHUNK_CAP\n",
			request->code);
		return -EPROTO;
	}

	buf = kvmalloc(buf_sz, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	do {
		req.chunk_seq_no = cpu_to_le32(seq);
		length = spdm_transfer_busy(spdm_state, xfer, &req, req_sz,
					    buf, buf_sz);
		if (length >= 0)
			length = spdm_check_response(spdm_state,
						     (const void *)&req, buf,
						     length);
		rc = length < 0 ? length :
		     spdm_chunk_take(spdm_state, &c, buf, length);
	} while (!rc && seq++ < max_seq);

	kvfree(buf);
	if (!rc) {
		dev_err(spdm_state->dev,
			"Large response: ChunkSeqNo would wrap after %u\n",
			max_seq);
		return -EPROTO;
	}
	if (rc < 0)
		return rc;

	dev_dbg(spdm_state->dev,
		"Response to 0x%02x: %zu bytes in %u chunks (handle %u)\n",
		request->code, c.large, seq + 1, handle);
	return c.large;
}
