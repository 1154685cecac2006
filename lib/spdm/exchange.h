/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Bottom layer: a request and its response through the transport, with
 * the error handling of DSP0274 sec 10.13 (transport.c, chunk.c,
 * exchange.c), and the transcripts signatures cover (transcript.c).
 * Every request file builds on these; they call nothing above them.
 */

#ifndef _LIB_SPDM_EXCHANGE_H_
#define _LIB_SPDM_EXCHANGE_H_

#include <linux/types.h>

struct spdm_header;
struct spdm_state;
struct spdm_transcript;

/**
 * typedef spdm_xfer_fn - send one SPDM message, receive the answer
 * @spdm_state: SPDM state of the device
 * @req: request message
 * @req_sz: size of @req
 * @rsp: buffer for the response message
 * @rsp_sz: size of @rsp
 *
 * Return: size of the response (at least a header), or a negative errno.
 */
typedef ssize_t (spdm_xfer_fn)(struct spdm_state *spdm_state,
			       const void *req, size_t req_sz, void *rsp,
			       size_t rsp_sz);

/* transport.c */
ssize_t spdm_transport_call(struct spdm_state *spdm_state, bool secured,
			    u8 code, const void *req, size_t req_sz,
			    void *rsp, size_t rsp_sz);
ssize_t spdm_transfer_busy(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			   const void *req, size_t req_sz, void *rsp,
			   size_t rsp_sz);
ssize_t spdm_check_response(struct spdm_state *spdm_state,
			    const struct spdm_header *request,
			    const void *rsp, ssize_t length);
u32 spdm_data_transfer_sz(struct spdm_state *spdm_state);

/* chunk.c */
ssize_t spdm_chunk_get(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
		       const struct spdm_header *request, u8 handle,
		       void *rsp, size_t rsp_sz);

/* exchange.c */
ssize_t spdm_transfer_retry(struct spdm_state *spdm_state, spdm_xfer_fn *xfer,
			    const void *req, size_t req_sz, void *rsp,
			    size_t rsp_sz);
ssize_t spdm_exchange(struct spdm_state *spdm_state,
		      void *req, size_t req_sz, void *rsp, size_t rsp_sz);
int spdm_check_length(struct spdm_state *spdm_state, const char *name,
		      size_t length, size_t expected);
int spdm_check_parsed(struct spdm_state *spdm_state, const char *name,
		      int rc, size_t opaque_len, size_t length,
		      size_t expected);

/* transcript.c */
int spdm_transcript_append(struct spdm_transcript *t, const void *msg,
			   size_t msg_sz);
void spdm_transcript_free(struct spdm_transcript *t);
int spdm_append_transcript(struct spdm_state *spdm_state,
			   const void *msg, size_t msg_sz);

#endif /* _LIB_SPDM_EXCHANGE_H_ */
