/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM socket protocol (DMTF spdm-emu, QEMU backends/spdm-socket.c):
 * frame format, receive state machine and command semantics.  Nothing
 * here touches a socket, so all of it is testable with plain buffers.
 *
 * Frame: three big-endian u32 (command, transport type, payload size)
 * followed by the payload.
 */
#ifndef SPDM_RESPONDER_SOCKET_H
#define SPDM_RESPONDER_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doe.h"
#include "msg.h"
#include "spdm.h"

#define SOCK_HDR_LEN			12
#define SOCK_DEFAULT_PORT		2323
#define SOCK_DEFAULT_MAX_PAYLOAD	(DOE_MAX_LEN + 8)

#define SOCK_CMD_NORMAL			0x0001
#define SOCK_CMD_OOB_ENCAP_KEY_UPDATE	0x8001
#define SOCK_CMD_OOB_ENCAP_ENDPOINT_INFO 0x8002
#define SOCK_CMD_CONTINUE		0xfffd
#define SOCK_CMD_SHUTDOWN		0xfffe
#define SOCK_CMD_UNKNOWN		0xffff
#define SOCK_CMD_TEST			0xdead

#define SOCK_TRANSPORT_NONE		0
#define SOCK_TRANSPORT_MCTP		1
#define SOCK_TRANSPORT_PCI_DOE		2
#define SOCK_TRANSPORT_TCP		3

/* Payload of the answer to TEST, as spdm-emu sends it (NUL included). */
#define SOCK_TEST_REPLY			"Server Hello!"

struct sock_hdr {
	uint32_t command;
	uint32_t transport;
	uint32_t size;
};

void sock_hdr_parse(const uint8_t in[SOCK_HDR_LEN], struct sock_hdr *h);
void sock_hdr_build(uint8_t out[SOCK_HDR_LEN], const struct sock_hdr *h);
int sock_frame_put(struct msg *out, uint32_t command, uint32_t transport,
		   const uint8_t *payload, size_t len);
const char *sock_cmd_name(uint32_t command);
const char *sock_transport_name(uint32_t transport);

/* Receive side: reassembles one frame at a time. */
enum sock_rx_state {
	SOCK_RX_HEADER,		/* collecting the 12-byte header */
	SOCK_RX_PAYLOAD,	/* collecting hdr.size payload bytes */
	SOCK_RX_FRAME,		/* a whole frame is ready */
	SOCK_RX_FAILED,		/* size over the limit or no memory */
};

enum sock_rx_status {
	SOCK_RX_MORE,		/* need more bytes */
	SOCK_RX_READY,		/* rx->hdr and rx->payload hold a frame */
	SOCK_RX_TOO_BIG,	/* hdr.size > max_payload: drop the peer */
	SOCK_RX_NOMEM,
};

struct sock_rx {
	enum sock_rx_state state;
	uint8_t hdr_buf[SOCK_HDR_LEN];
	struct sock_hdr hdr;
	uint8_t *payload;
	size_t have;		/* bytes of the current part */
	size_t max_payload;
};

void sock_rx_init(struct sock_rx *rx, size_t max_payload);
void sock_rx_next(struct sock_rx *rx);
size_t sock_rx_want(struct sock_rx *rx, uint8_t **where);
enum sock_rx_status sock_rx_got(struct sock_rx *rx, size_t n);
size_t sock_rx_feed(struct sock_rx *rx, const uint8_t *data, size_t len,
		    enum sock_rx_status *status);

/* What to send back for one received frame. */
struct sock_reply {
	struct msg out;			/* whole frames, may be empty */
	struct spdm_action act;		/* delay / drop from the SPDM layer */
	bool close_after;		/* close once @out is sent */
};

void sock_reply_init(struct sock_reply *r);
void sock_reply_free(struct sock_reply *r);
int sock_handle(struct spdm_device *dev, const struct sock_hdr *h,
		const uint8_t *payload, struct sock_reply *r);

#endif /* SPDM_RESPONDER_SOCKET_H */
