/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drives the software responder without a socket, as its server does:
 * socket frames through sock_rx_feed() and sock_handle(), carrying DOE
 * objects of SPDM messages or DSP0277 secured records.  Shared by the
 * fuzz-responder harness and mkcorpus, which makes its seed corpus.
 *
 * A run starts from a fresh device and takes operations:
 *
 *   config (1) || { op (1) || length (2, LE) || data (length) } ...
 *
 * config: bits 1:0 the SPDM versions (1.0-1.3, 1.1, 1.2, 1.3), bit 2
 * handshake in the clear, bit 3 chunking (DataTransferSize 256,
 * MaxSPDMmsgSize 8192), bit 4 twelve synthetic measurement blocks and
 * raw bit streams, bits 6:5 a misbehaviour (none, ResponseNotReady for
 * GET_MEASUREMENTS, busy-once, request-resynch=2).
 */
#ifndef SPDM_FUZZ_RDRIVE_H
#define SPDM_FUZZ_RDRIVE_H

#include <stddef.h>
#include <stdint.h>

#include "socket.h"
#include "spdm.h"

enum rd_op {
	RD_SPDM,	/* an SPDM message in a DOE object (type 1) */
	RD_KEY_EXCHANGE, /* the same, ExchangeData set to a valid point */
	RD_SECURED,	/* session selector (1), SPDM message: sealed */
	/*
	 * RD_FINISH: session selector (1), FINISH header (4); the
	 * RequesterVerifyData is appended, the message sealed unless the
	 * handshake is in the clear
	 */
	RD_FINISH,
	RD_RECORD,	/* session selector (1), record after SessionID */
	RD_DOE,		/* a DOE object, header included, as it is */
	RD_FRAME,	/* socket protocol bytes, as they are */
	RD_NR_OPS
};

#define RD_CONFIG_VERSIONS	0x03
#define RD_CONFIG_CLEAR		0x04
#define RD_CONFIG_CHUNK		0x08
#define RD_CONFIG_MEAS		0x10
#define RD_CONFIG_MISBEHAVE	0x60

/* What went in and came out, in the clear (mkcorpus keeps transcripts) */
typedef void (*rd_trace_fn)(void *arg, enum rd_op op, const uint8_t *req,
			    size_t req_len, const uint8_t *rsp,
			    size_t rsp_len);

struct rd {
	struct spdm_device dev;
	struct sock_rx rx;
	rd_trace_fn trace;
	void *trace_arg;
};

int rd_global_init(void);
int rd_start(struct rd *r, uint8_t config);
void rd_op(struct rd *r, enum rd_op op, const uint8_t *data, size_t len);
void rd_run(struct rd *r, const uint8_t *data, size_t size);
void rd_stop(struct rd *r);
/* The requester's ExchangeData for @dhe (NULL: not a group we have) */
const uint8_t *rd_exchange_data(uint16_t dhe);

#endif /* SPDM_FUZZ_RDRIVE_H */
