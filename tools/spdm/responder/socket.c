// SPDX-License-Identifier: GPL-2.0
/*
 * SPDM socket protocol: frame format, receive state machine and command
 * semantics.
 *
 * Compatibility notes (QEMU >= 9.1 backends/spdm-socket.c, spdm-emu):
 * - QEMU connects once per device at start-up and sends nothing until the
 *   guest uses the DOE mailbox; it then writes one NORMAL frame and reads
 *   exactly one frame back (command must be a known one; a payload larger
 *   than its 0x1200-byte buffer or a zero-length one makes the DOE request
 *   fail).  On device removal it sends SHUTDOWN and does not wait.
 * - spdm-emu answers TEST with TEST "Server Hello!", SHUTDOWN with
 *   SHUTDOWN, CONTINUE with CONTINUE (closing the connection after both),
 *   and anything unknown with UNKNOWN.  It gives up on a transport type
 *   it was not started for; we answer UNKNOWN instead and keep serving.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "socket.h"

void sock_hdr_parse(const uint8_t in[SOCK_HDR_LEN], struct sock_hdr *h)
{
	h->command = get_be32(in);
	h->transport = get_be32(in + 4);
	h->size = get_be32(in + 8);
}

void sock_hdr_build(uint8_t out[SOCK_HDR_LEN], const struct sock_hdr *h)
{
	put_be32(out, h->command);
	put_be32(out + 4, h->transport);
	put_be32(out + 8, h->size);
}

/* Append one whole frame to @out. */
int sock_frame_put(struct msg *out, uint32_t command, uint32_t transport,
		   const uint8_t *payload, size_t len)
{
	struct sock_hdr h = { command, transport, len };
	uint8_t hdr[SOCK_HDR_LEN];
	int ret;

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	sock_hdr_build(hdr, &h);
	ret = msg_put(out, hdr, sizeof(hdr));
	return ret ?: msg_put(out, payload, len);
}

const char *sock_cmd_name(uint32_t command)
{
	switch (command) {
	case SOCK_CMD_NORMAL:			return "NORMAL";
	case SOCK_CMD_OOB_ENCAP_KEY_UPDATE:	return "OOB_ENCAP_KEY_UPDATE";
	case SOCK_CMD_OOB_ENCAP_ENDPOINT_INFO:	return "OOB_ENCAP_ENDPOINT_INFO";
	case SOCK_CMD_CONTINUE:			return "CONTINUE";
	case SOCK_CMD_SHUTDOWN:			return "SHUTDOWN";
	case SOCK_CMD_UNKNOWN:			return "UNKNOWN";
	case SOCK_CMD_TEST:			return "TEST";
	}
	return "unknown";
}

const char *sock_transport_name(uint32_t transport)
{
	switch (transport) {
	case SOCK_TRANSPORT_NONE:	return "NONE";
	case SOCK_TRANSPORT_MCTP:	return "MCTP";
	case SOCK_TRANSPORT_PCI_DOE:	return "PCI_DOE";
	case SOCK_TRANSPORT_TCP:	return "TCP";
	}
	return "unknown";
}

void sock_rx_init(struct sock_rx *rx, size_t max_payload)
{
	memset(rx, 0, sizeof(*rx));
	rx->max_payload = max_payload;
}

/* Forget the current frame (or partial frame) and wait for a header. */
void sock_rx_next(struct sock_rx *rx)
{
	free(rx->payload);
	rx->payload = NULL;
	rx->have = 0;
	rx->state = SOCK_RX_HEADER;
}

/*
 * Where the next received bytes go and how many the current part still
 * needs; 0 once a frame is ready (consume it and call sock_rx_next()) or
 * after a failure.  Reading no more than this keeps later frames in the
 * socket, so nothing is ever buffered beyond one frame.
 */
size_t sock_rx_want(struct sock_rx *rx, uint8_t **where)
{
	switch (rx->state) {
	case SOCK_RX_HEADER:
		*where = rx->hdr_buf + rx->have;
		return SOCK_HDR_LEN - rx->have;
	case SOCK_RX_PAYLOAD:
		*where = rx->payload + rx->have;
		return rx->hdr.size - rx->have;
	default:
		*where = NULL;
		return 0;
	}
}

static enum sock_rx_status header_done(struct sock_rx *rx)
{
	sock_hdr_parse(rx->hdr_buf, &rx->hdr);
	rx->have = 0;
	if (rx->hdr.size > rx->max_payload) {
		rx->state = SOCK_RX_FAILED;
		return SOCK_RX_TOO_BIG;
	}
	if (!rx->hdr.size) {
		rx->state = SOCK_RX_FRAME;
		return SOCK_RX_READY;
	}
	rx->payload = malloc(rx->hdr.size);
	if (!rx->payload) {
		rx->state = SOCK_RX_FAILED;
		return SOCK_RX_NOMEM;
	}
	rx->state = SOCK_RX_PAYLOAD;
	return SOCK_RX_MORE;
}

/* Account for @n bytes stored where sock_rx_want() pointed. */
enum sock_rx_status sock_rx_got(struct sock_rx *rx, size_t n)
{
	rx->have += n;
	if (rx->state == SOCK_RX_HEADER && rx->have == SOCK_HDR_LEN)
		return header_done(rx);
	if (rx->state == SOCK_RX_PAYLOAD && rx->have == rx->hdr.size) {
		rx->state = SOCK_RX_FRAME;
		return SOCK_RX_READY;
	}
	return SOCK_RX_MORE;
}

/*
 * Feed @len bytes from memory; stops at the end of a frame or at a
 * failure.  Returns the number of bytes consumed.
 */
size_t sock_rx_feed(struct sock_rx *rx, const uint8_t *data, size_t len,
		    enum sock_rx_status *status)
{
	size_t used = 0, n;
	uint8_t *where;

	*status = rx->state == SOCK_RX_FRAME ? SOCK_RX_READY : SOCK_RX_MORE;
	while (*status == SOCK_RX_MORE && rx->state != SOCK_RX_FAILED) {
		n = sock_rx_want(rx, &where);
		if (n > len - used)
			n = len - used;
		if (n)
			memcpy(where, data + used, n);
		used += n;
		*status = sock_rx_got(rx, n);
		if (used == len && *status == SOCK_RX_MORE)
			break;
	}
	return used;
}

void sock_reply_init(struct sock_reply *r)
{
	memset(r, 0, sizeof(*r));
	msg_init(&r->out);
}

void sock_reply_free(struct sock_reply *r)
{
	msg_free(&r->out);
}

static int handle_normal(struct spdm_device *dev, const struct sock_hdr *h,
			 const uint8_t *payload, struct sock_reply *r)
{
	struct msg obj;
	int ret;

	if (h->transport != SOCK_TRANSPORT_PCI_DOE) {
		log_msg("port %u: rejected NORMAL frame for transport %u (%s), not PCI_DOE; replying UNKNOWN",
			dev->port, h->transport,
			sock_transport_name(h->transport));
		return sock_frame_put(&r->out, SOCK_CMD_UNKNOWN,
				      SOCK_TRANSPORT_PCI_DOE, NULL, 0);
	}
	msg_init(&obj);
	ret = doe_process(dev, payload, h->size, &obj, &r->act);
	if (ret) {
		log_msg("port %u: cannot build a DOE response (%s); discarding request",
			dev->port, strerror(-ret));
		msg_reset(&obj);
	}
	if (!r->act.drop)
		ret = sock_frame_put(&r->out, SOCK_CMD_NORMAL,
				     SOCK_TRANSPORT_PCI_DOE, obj.data, obj.len);
	msg_free(&obj);
	return ret;
}

/*
 * Work out the reply to one received frame.  Returns 0 or a negative
 * errno (out of memory: the caller drops the connection).
 */
int sock_handle(struct spdm_device *dev, const struct sock_hdr *h,
		const uint8_t *payload, struct sock_reply *r)
{
	uint32_t reply = h->command;

	switch (h->command) {
	case SOCK_CMD_NORMAL:
		return handle_normal(dev, h, payload, r);
	case SOCK_CMD_TEST:
		return sock_frame_put(&r->out, SOCK_CMD_TEST,
				      SOCK_TRANSPORT_PCI_DOE,
				      (const uint8_t *)SOCK_TEST_REPLY,
				      sizeof(SOCK_TEST_REPLY));
	case SOCK_CMD_SHUTDOWN:
	case SOCK_CMD_CONTINUE:
		/* the peer is done with this connection, not the device */
		r->close_after = true;
		break;
	case SOCK_CMD_OOB_ENCAP_KEY_UPDATE:
	case SOCK_CMD_OOB_ENCAP_ENDPOINT_INFO:
		log_msg("port %u: %s without a session: acknowledged, nothing to do",
			dev->port, sock_cmd_name(h->command));
		break;
	default:
		log_msg("port %u: rejected unknown socket command 0x%08x; replying UNKNOWN",
			dev->port, h->command);
		reply = SOCK_CMD_UNKNOWN;
		break;
	}
	return sock_frame_put(&r->out, reply, SOCK_TRANSPORT_PCI_DOE, NULL, 0);
}
