// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the software responder's framing and dispatch: socket
 * frames, the receive state machine, DOE objects, GET_VERSION, ERROR
 * responses and the misbehaviour switches.  No sockets involved.
 */
#include <stdlib.h>
#include <string.h>

#include "doe.h"
#include "log.h"
#include "misbehave.h"
#include "socket.h"
#include "spdm.h"
#include "tap.h"

/* DESIGN.md section 6: NORMAL, PCI_DOE, 12 bytes, GET_VERSION in DOE */
static const uint8_t get_version_frame[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0c,
	0x01, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x10, 0x84, 0x00, 0x00,
};

/* VERSION for 1.0-1.3 in a DOE object in a NORMAL frame */
static const uint8_t version_frame[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x18,
	0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00,
	0x10, 0x04, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x00, 0x00,
};

static const uint8_t get_version[] = { 0x10, 0x84, 0x00, 0x00 };

/* A device configured like --port P:versions=@versions:misbehave=@mb */
static struct spdm_device dev;

static void setup(const char *versions, const char *mb)
{
	struct spdm_version_set set;
	struct misbehave_set mbs;
	const char *why;
	char err[128];

	if (spdm_versions_parse(versions, &set, &why) ||
	    misbehave_parse(mb, &mbs, err, sizeof(err))) {
		printf("# bad device configuration '%s' '%s'\n", versions, mb);
		exit(2);
	}
	spdm_device_release(&dev);
	spdm_device_init(&dev, 0, &set, &mbs);
	dev.port = 1;
}

/* Run one SPDM request through the dispatcher. */
static int respond(const uint8_t *req, size_t len, struct msg *rsp,
		   struct spdm_action *act)
{
	msg_reset(rsp);
	return spdm_respond(&dev, req, len, rsp, act);
}

/* ---- socket frames ---------------------------------------------------- */

static int t_sock_hdr_parse(void)
{
	struct sock_hdr h;

	sock_hdr_parse(get_version_frame, &h);
	CHECK_EQ(h.command, SOCK_CMD_NORMAL);
	CHECK_EQ(h.transport, SOCK_TRANSPORT_PCI_DOE);
	CHECK_EQ(h.size, 12);
	return 0;
}

static int t_sock_hdr_build(void)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0xde, 0xad, 0x00, 0x00, 0x00, 0x03,
		0x12, 0x34, 0x56, 0x78,
	};
	struct sock_hdr h = { SOCK_CMD_TEST, SOCK_TRANSPORT_TCP, 0x12345678 };
	uint8_t out[SOCK_HDR_LEN];
	struct sock_hdr back;

	sock_hdr_build(out, &h);
	CHECK_MEM(out, sizeof(out), want, sizeof(want));
	sock_hdr_parse(out, &back);
	CHECK(!memcmp(&back, &h, sizeof(h)));
	return 0;
}

static int t_sock_frame_put(void)
{
	struct msg m;

	msg_init(&m);
	CHECK_EQ(sock_frame_put(&m, SOCK_CMD_NORMAL, SOCK_TRANSPORT_PCI_DOE,
				get_version_frame + SOCK_HDR_LEN, 12), 0);
	CHECK_MEM(m.data, m.len, get_version_frame, sizeof(get_version_frame));
	msg_reset(&m);
	CHECK_EQ(sock_frame_put(&m, SOCK_CMD_SHUTDOWN, 2, NULL, 0), 0);
	CHECK_EQ(m.len, SOCK_HDR_LEN);
	msg_free(&m);
	return 0;
}

static int t_rx_whole(void)
{
	uint8_t two[2 * sizeof(get_version_frame)];
	enum sock_rx_status st;
	struct sock_rx rx;
	size_t used;

	memcpy(two, get_version_frame, sizeof(get_version_frame));
	memcpy(two + sizeof(get_version_frame), get_version_frame,
	       sizeof(get_version_frame));
	sock_rx_init(&rx, 1024);
	used = sock_rx_feed(&rx, two, sizeof(two), &st);
	CHECK_EQ(st, SOCK_RX_READY);
	CHECK_EQ(used, sizeof(get_version_frame));	/* stops at frame end */
	CHECK_EQ(rx.hdr.size, 12);
	CHECK(rx.payload && !memcmp(rx.payload, get_version_frame + 12, 12));
	/* a ready frame takes nothing more until consumed */
	CHECK_EQ(sock_rx_feed(&rx, two + used, sizeof(two) - used, &st), 0);
	CHECK_EQ(st, SOCK_RX_READY);
	sock_rx_next(&rx);
	used = sock_rx_feed(&rx, two + used, sizeof(two) - used, &st);
	CHECK_EQ(st, SOCK_RX_READY);
	CHECK_EQ(used, sizeof(get_version_frame));
	sock_rx_next(&rx);
	return 0;
}

static int t_rx_bytewise(void)
{
	enum sock_rx_status st = SOCK_RX_MORE;
	struct sock_rx rx;
	size_t i;

	sock_rx_init(&rx, 1024);
	for (i = 0; i < sizeof(get_version_frame); i++) {
		CHECK_EQ(st, SOCK_RX_MORE);
		CHECK_EQ(sock_rx_feed(&rx, get_version_frame + i, 1, &st), 1);
	}
	CHECK_EQ(st, SOCK_RX_READY);
	CHECK(rx.payload && !memcmp(rx.payload, get_version_frame + 12, 12));
	sock_rx_next(&rx);
	return 0;
}

static int t_rx_empty_payload(void)
{
	static const uint8_t frame[] = {
		0x00, 0x00, 0xff, 0xfe, 0, 0, 0, 2, 0, 0, 0, 0,
	};
	enum sock_rx_status st;
	struct sock_rx rx;

	sock_rx_init(&rx, 1024);
	CHECK_EQ(sock_rx_feed(&rx, frame, 11, &st), 11);
	CHECK_EQ(st, SOCK_RX_MORE);
	CHECK_EQ(sock_rx_feed(&rx, frame + 11, 1, &st), 1);
	CHECK_EQ(st, SOCK_RX_READY);
	CHECK_EQ(rx.hdr.command, SOCK_CMD_SHUTDOWN);
	CHECK(!rx.payload);
	sock_rx_next(&rx);
	return 0;
}

static int t_rx_too_big(void)
{
	uint8_t frame[SOCK_HDR_LEN] = { 0, 0, 0, 1, 0, 0, 0, 2 };
	enum sock_rx_status st;
	struct sock_rx rx;
	uint8_t *where;

	sock_rx_init(&rx, 100);
	put_be32(frame + 8, 100);		/* at the limit: fine */
	sock_rx_feed(&rx, frame, sizeof(frame), &st);
	CHECK_EQ(st, SOCK_RX_MORE);
	CHECK_EQ(sock_rx_want(&rx, &where), 100);
	sock_rx_next(&rx);
	put_be32(frame + 8, 101);
	sock_rx_feed(&rx, frame, sizeof(frame), &st);
	CHECK_EQ(st, SOCK_RX_TOO_BIG);
	CHECK(!rx.payload);			/* nothing allocated */
	CHECK_EQ(sock_rx_want(&rx, &where), 0);
	sock_rx_next(&rx);
	put_be32(frame + 8, 0xffffffff);
	sock_rx_feed(&rx, frame, sizeof(frame), &st);
	CHECK_EQ(st, SOCK_RX_TOO_BIG);
	CHECK(!rx.payload);
	sock_rx_next(&rx);
	return 0;
}

static int t_rx_partial(void)
{
	enum sock_rx_status st;
	struct sock_rx rx;

	/* a lying size: the header promises 12 bytes, 5 arrive */
	sock_rx_init(&rx, 1024);
	CHECK_EQ(sock_rx_feed(&rx, get_version_frame, 17, &st), 17);
	CHECK_EQ(st, SOCK_RX_MORE);
	CHECK_EQ(rx.state, SOCK_RX_PAYLOAD);
	CHECK_EQ(rx.have, 5);
	sock_rx_next(&rx);			/* frees the payload */
	CHECK_EQ(rx.state, SOCK_RX_HEADER);
	return 0;
}

/* ---- socket commands -------------------------------------------------- */

static int handle(uint32_t cmd, uint32_t transport, const uint8_t *payload,
		  size_t len, struct sock_reply *r)
{
	struct sock_hdr h = { cmd, transport, len };

	sock_reply_init(r);
	return sock_handle(&dev, &h, payload, r);
}

static int t_cmd_normal(void)
{
	struct sock_reply r;

	setup("1.0,1.1,1.2,1.3", "none");
	CHECK_EQ(handle(SOCK_CMD_NORMAL, SOCK_TRANSPORT_PCI_DOE,
			get_version_frame + 12, 12, &r), 0);
	CHECK_MEM(r.out.data, r.out.len, version_frame, sizeof(version_frame));
	CHECK(!r.close_after);
	sock_reply_free(&r);
	return 0;
}

static int t_cmd_test(void)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0xde, 0xad, 0, 0, 0, 2, 0, 0, 0, 14,
		'S', 'e', 'r', 'v', 'e', 'r', ' ', 'H', 'e', 'l', 'l', 'o',
		'!', 0,
	};
	struct sock_reply r;

	setup("1.2", "none");
	CHECK_EQ(handle(SOCK_CMD_TEST, SOCK_TRANSPORT_NONE,
			(const uint8_t *)"Client Hello!", 14, &r), 0);
	CHECK_MEM(r.out.data, r.out.len, want, sizeof(want));
	CHECK(!r.close_after);
	sock_reply_free(&r);
	return 0;
}

static int t_cmd_shutdown_continue(void)
{
	static const uint32_t cmds[] = { SOCK_CMD_SHUTDOWN, SOCK_CMD_CONTINUE };
	struct sock_reply r;
	struct sock_hdr h;
	size_t i;

	setup("1.2", "none");
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		CHECK_EQ(handle(cmds[i], SOCK_TRANSPORT_PCI_DOE, NULL, 0, &r), 0);
		CHECK_EQ(r.out.len, SOCK_HDR_LEN);
		sock_hdr_parse(r.out.data, &h);
		CHECK_EQ(h.command, cmds[i]);
		CHECK_EQ(h.size, 0);
		CHECK(r.close_after);
		sock_reply_free(&r);
	}
	return 0;
}

static int t_cmd_unknown(void)
{
	static const uint32_t cmds[] = { 0x1234, SOCK_CMD_UNKNOWN, 0 };
	struct sock_reply r;
	struct sock_hdr h;
	size_t i;

	setup("1.2", "none");
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		CHECK_EQ(handle(cmds[i], SOCK_TRANSPORT_PCI_DOE,
				get_version_frame + 12, 12, &r), 0);
		CHECK_EQ(r.out.len, SOCK_HDR_LEN);
		sock_hdr_parse(r.out.data, &h);
		CHECK_EQ(h.command, SOCK_CMD_UNKNOWN);
		CHECK(!r.close_after);
		sock_reply_free(&r);
	}
	CHECK_EQ(dev.requests, 0);
	return 0;
}

static int t_cmd_wrong_transport(void)
{
	static const uint32_t transports[] = {
		SOCK_TRANSPORT_NONE, SOCK_TRANSPORT_MCTP, SOCK_TRANSPORT_TCP, 7,
	};
	struct sock_reply r;
	struct sock_hdr h;
	size_t i;

	setup("1.2", "none");
	for (i = 0; i < ARRAY_SIZE(transports); i++) {
		CHECK_EQ(handle(SOCK_CMD_NORMAL, transports[i],
				get_version_frame + 12, 12, &r), 0);
		CHECK_EQ(r.out.len, SOCK_HDR_LEN);
		sock_hdr_parse(r.out.data, &h);
		CHECK_EQ(h.command, SOCK_CMD_UNKNOWN);
		sock_reply_free(&r);
	}
	CHECK_EQ(dev.requests, 0);		/* never reached SPDM */
	return 0;
}

/* ---- DOE -------------------------------------------------------------- */

static int t_doe_parse_good(void)
{
	uint8_t *big = calloc(1, DOE_MAX_LEN);
	uint8_t obj[12] = { 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0xfc, 0xff };
	struct doe_hdr h;
	const char *why;

	CHECK_EQ(doe_hdr_parse(obj, sizeof(obj), &h, &why), 0);
	CHECK_EQ(h.vendor, DOE_VENDOR_PCI_SIG);
	CHECK_EQ(h.type, DOE_TYPE_SECURED_CMA);
	CHECK_EQ(h.length_dw, 3);		/* reserved bits ignored */
	if (!big)
		return 1;
	big[0] = 0x01;
	big[2] = 0x01;				/* Length 0: 2^18 dwords */
	CHECK_EQ(doe_hdr_parse(big, DOE_MAX_LEN, &h, &why), 0);
	CHECK_EQ(h.length_dw, DOE_MAX_DW);
	free(big);
	return 0;
}

static int t_doe_parse_bad(void)
{
	uint8_t obj[16] = { 0x01, 0x00, 0x01, 0x00, 0x03 };
	struct doe_hdr h;
	const char *why;

	CHECK(doe_hdr_parse(obj, 0, &h, &why) < 0);
	CHECK(doe_hdr_parse(obj, 4, &h, &why) < 0);
	CHECK(doe_hdr_parse(obj, 7, &h, &why) < 0);
	CHECK(doe_hdr_parse(obj, 13, &h, &why) < 0);	/* not dwords */
	CHECK(doe_hdr_parse(obj, 8, &h, &why) < 0);	/* says 3 dw */
	CHECK(doe_hdr_parse(obj, 16, &h, &why) < 0);
	CHECK_EQ(doe_hdr_parse(obj, 12, &h, &why), 0);
	obj[4] = 0;					/* 2^18 dw */
	CHECK(doe_hdr_parse(obj, 12, &h, &why) < 0);
	return 0;
}

static int t_doe_wrap(void)
{
	static const uint8_t payload[14] = { 0x10, 0x04, [13] = 0x13 };
	static const uint8_t hdr[] = { 0x01, 0x00, 0x01, 0x00, 0x06, 0, 0, 0 };
	static const uint8_t zero[2];
	struct msg m;

	msg_init(&m);
	CHECK_EQ(doe_wrap(&m, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA, payload,
			  sizeof(payload)), 0);
	CHECK_EQ(m.len, 24);
	CHECK_MEM(m.data, 8, hdr, sizeof(hdr));
	CHECK_MEM(m.data + 8, 14, payload, sizeof(payload));
	CHECK_MEM(m.data + 22, 2, zero, sizeof(zero));
	msg_reset(&m);
	CHECK_EQ(doe_wrap(&m, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA, NULL, 0), 0);
	CHECK_EQ(m.len, 8);
	CHECK_EQ(get_le32(m.data + 4), 2);
	msg_free(&m);
	return 0;
}

static int doe(const uint8_t *obj, size_t len, struct msg *out)
{
	struct spdm_action act;

	msg_reset(out);
	return doe_process(&dev, obj, len, out, &act);
}

static int t_doe_reject(void)
{
	uint8_t obj[12] = { 0x01, 0x00, 0x01, 0x00, 0x03, 0, 0, 0,
			    0x10, 0x84, 0, 0 };
	struct msg out;

	setup("1.2", "none");
	msg_init(&out);
	obj[0] = 0x34;					/* vendor 0x0034 */
	CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
	CHECK_EQ(out.len, 0);
	obj[0] = 0x01;
	obj[2] = 0x07;					/* unknown type */
	CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
	CHECK_EQ(out.len, 0);
	obj[2] = 0x01;
	obj[4] = 0x04;					/* length lies */
	CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
	CHECK_EQ(out.len, 0);
	CHECK_EQ(doe(obj, 6, &out), 0);			/* no header */
	CHECK_EQ(out.len, 0);
	CHECK_EQ(dev.requests, 0);
	obj[4] = 0x03;					/* and now good */
	CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
	CHECK_EQ(out.len, 8 + 8);
	CHECK_EQ(dev.requests, 1);
	msg_free(&out);
	return 0;
}

static int t_doe_discovery(void)
{
	uint8_t obj[12] = { 0x01, 0x00, 0x00, 0x00, 0x03 };
	static const uint8_t want[][4] = {
		{ 0x01, 0x00, 0x00, 0x01 }, { 0x01, 0x00, 0x01, 0x02 },
		{ 0x01, 0x00, 0x02, 0x00 }, { 0xff, 0xff, 0xff, 0x00 },
	};
	struct msg out;
	size_t i;

	setup("1.2", "none");
	msg_init(&out);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		obj[8] = i;
		CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
		CHECK_EQ(out.len, 12);
		CHECK_EQ(get_le32(out.data), 0x00000001);
		CHECK_EQ(get_le32(out.data + 4), 3);
		if (out.len == 12)
			CHECK_MEM(out.data + 8, 4, want[i], 4);
	}
	obj[4] = 2;					/* no index dword */
	CHECK_EQ(doe(obj, 8, &out), 0);
	CHECK_EQ(out.len, 0);
	msg_free(&out);
	return 0;
}

static int t_doe_secured(void)
{
	static const uint8_t obj[] = {
		0x01, 0x00, 0x02, 0x00, 0x07, 0, 0, 0,
		0x78, 0x56, 0x34, 0x12, 0x10, 0x00, 0, 0,	/* id, len */
		[27] = 0,				/* 16-byte MAC */
	};
	static const uint8_t want[] = {
		0x01, 0x00, 0x01, 0x00, 0x04, 0, 0, 0,		/* type 1 */
		0x10, 0x7f, 0x02, 0x00, 0x78, 0x56, 0x34, 0x12,
	};
	static const uint8_t short_obj[8] = { 0x01, 0x00, 0x02, 0x00, 0x02 };
	struct msg out;

	setup("1.2", "none");
	msg_init(&out);
	CHECK_EQ(doe(obj, sizeof(obj), &out), 0);
	CHECK_MEM(out.data, out.len, want, sizeof(want));
	CHECK_EQ(doe(short_obj, 8, &out), 0);
	CHECK_EQ(out.len, 0);
	msg_free(&out);
	return 0;
}

/* ---- SPDM dispatch ---------------------------------------------------- */

static int t_get_version_sets(void)
{
	static const struct {
		const char *list;
		uint8_t count;
		uint16_t entry[5];
	} cases[] = {
		{ "1.0,1.1,1.2,1.3", 4, { 0x1000, 0x1100, 0x1200, 0x1300 } },
		{ "1.2", 1, { 0x1200 } },
		{ "1.3,1.0,1.3", 2, { 0x1000, 0x1300 } },
		{ "1.4,1.2,1.0,1.1,1.3", 5,
		  { 0x1000, 0x1100, 0x1200, 0x1300, 0x1400 } },
	};
	struct spdm_action act;
	struct msg rsp;
	size_t i, j;

	msg_init(&rsp);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		setup(cases[i].list, "none");
		CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
		CHECK_EQ(rsp.len, 6 + 2 * cases[i].count);
		if (rsp.len != 6 + 2u * cases[i].count)
			continue;
		CHECK_EQ(rsp.data[0], 0x10);
		CHECK_EQ(rsp.data[1], SPDM_VERSION);
		CHECK_EQ(rsp.data[5], cases[i].count);
		for (j = 0; j < cases[i].count; j++)
			CHECK_EQ(get_le16(rsp.data + 6 + 2 * j),
				 cases[i].entry[j]);
		CHECK(!act.drop && !act.delay_ms);
	}
	msg_free(&rsp);
	return 0;
}

static int t_get_version_padded(void)
{
	static const uint8_t req[] = { 0x10, 0x84, 0x00, 0x00, 0, 0, 0, 0 };
	static const uint8_t invalid[] = { 0x10, 0x7f, 0x01, 0x00 };
	static const uint8_t want[] = { 0x10, 0x04, 0, 0, 0, 1, 0x00, 0x12 };
	struct spdm_action act;
	struct msg rsp;

	setup("1.2", "none");
	dev.version = 0x12;
	msg_init(&rsp);
	/* 4 bytes more than GET_VERSION: no DOE padding, malformed */
	CHECK_EQ(respond(req, sizeof(req), &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, invalid, sizeof(invalid));
	CHECK_EQ(dev.version, 0x12);		/* nothing reset */
	/* GET_VERSION resets the selection; transcript A starts over */
	CHECK_EQ(respond(req, 4, &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, want, sizeof(want));
	CHECK_EQ(dev.version, 0);
	CHECK_EQ(dev.state, SPDM_CONN_AFTER_VERSION);
	CHECK_EQ(dev.vca.len, 4 + sizeof(want));
	msg_free(&rsp);
	return 0;
}

static int t_get_version_mismatch(void)
{
	static const uint8_t want[] = { 0x10, 0x7f, 0x41, 0x00 };
	static const uint8_t vers[] = { 0x11, 0x12, 0x00, 0xff };
	uint8_t req[4] = { 0, 0x84, 0, 0 };
	struct spdm_action act;
	struct msg rsp;
	size_t i;

	setup("1.0,1.1,1.2", "none");
	msg_init(&rsp);
	for (i = 0; i < ARRAY_SIZE(vers); i++) {
		req[0] = vers[i];
		CHECK_EQ(respond(req, 4, &rsp, &act), 0);
		CHECK_MEM(rsp.data, rsp.len, want, sizeof(want));
	}
	msg_free(&rsp);
	return 0;
}

static int t_unsupported(void)
{
	static const uint8_t codes[] = {
		SPDM_GET_MEASUREMENTS, SPDM_FINISH, SPDM_KEY_EXCHANGE, 0x80,
		SPDM_VERSION, SPDM_CHUNK_GET, SPDM_GET_CSR,
		SPDM_VENDOR_DEFINED_REQUEST,
	};
	uint8_t req[12] = { 0x12, 0, 0, 0 };
	uint8_t want[4] = { 0x12, 0x7f, 0x07, 0 };
	struct spdm_action act;
	struct msg rsp;
	size_t i;

	setup("1.2,1.3", "none");
	msg_init(&rsp);
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		req[0] = i & 1 ? 0x13 : 0x12;
		want[0] = req[0];
		req[1] = codes[i];
		want[3] = codes[i];
		CHECK_EQ(respond(req, 4 + 4 * (i & 1), &rsp, &act), 0);
		CHECK_MEM(rsp.data, rsp.len, want, sizeof(want));
	}
	msg_free(&rsp);
	return 0;
}

static int t_version_mismatch(void)
{
	static const uint8_t vers[] = { 0x10, 0x11, 0x14, 0x20, 0x00 };
	static const uint8_t want[] = { 0x10, 0x7f, 0x41, 0x00 };
	uint8_t req[4] = { 0, SPDM_GET_CAPABILITIES, 0, 0 };
	struct spdm_action act;
	struct msg rsp;
	size_t i;

	setup("1.2,1.3", "none");
	msg_init(&rsp);
	for (i = 0; i < ARRAY_SIZE(vers); i++) {
		req[0] = vers[i];
		CHECK_EQ(respond(req, 4, &rsp, &act), 0);
		CHECK_MEM(rsp.data, rsp.len, want, sizeof(want));
	}
	/* once a version is selected, only that one is accepted */
	dev.version = 0x13;
	req[0] = 0x12;
	CHECK_EQ(respond(req, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.len, 4);
	CHECK_EQ(rsp.data[0], 0x13);
	CHECK_EQ(rsp.data[2], SPDM_ERR_VERSION_MISMATCH);
	msg_free(&rsp);
	return 0;
}

static int t_too_short(void)
{
	static const uint8_t want[] = { 0x10, 0x7f, 0x01, 0x00 };
	static const uint8_t req[3] = { 0x10, 0x84, 0x00 };
	struct spdm_action act;
	struct msg rsp;
	size_t len;

	setup("1.2", "none");
	msg_init(&rsp);
	for (len = 0; len < 4; len++) {
		CHECK_EQ(respond(req, len, &rsp, &act), 0);
		CHECK_MEM(rsp.data, rsp.len, want, sizeof(want));
	}
	CHECK_EQ(dev.requests, 0);
	msg_free(&rsp);
	return 0;
}

/* ---- version lists and misbehaviour switches ------------------------- */

static int t_versions_parse(void)
{
	static const char *const bad[] = {
		"", ",", "1", "1.", ".1", "1.x", "x", "2.0", "1.5", "0.9",
		"1.2.3", "1.2;1.3", " 1.2", "1.2 ", "-1.2", "1.16",
	};
	struct spdm_version_set set;
	const char *why = NULL;
	char buf[64];
	size_t i;

	CHECK_EQ(spdm_versions_parse("1.3,1.0,1.3,1.4", &set, &why), 0);
	spdm_versions_format(&set, buf, sizeof(buf));
	CHECK(!strcmp(buf, "1.0,1.3,1.4"));
	CHECK(spdm_versions_has(&set, 0x13));
	CHECK(!spdm_versions_has(&set, 0x12));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		why = NULL;
		if (!spdm_versions_parse(bad[i], &set, &why))
			printf("# accepted bad version list '%s'\n", bad[i]);
		CHECK(why);
	}
	return 0;
}

static int t_misbehave_parse(void)
{
	static const char *const bad[] = {
		"bogus", "drop=1", "error", "error=0x100", "delay=-1",
		"delay=x", "truncate@0x184", "truncate@", "+drop", "drop+",
		"drop++delay=1", "bad-version=1", "bad-version=1.16", "=1",
	};
	struct misbehave_set set;
	char err[128], buf[256];
	size_t i;

	CHECK_EQ(misbehave_parse("truncate=7@0x84+delay=100,drop", &set,
				 err, sizeof(err)), 0);
	misbehave_format(&set, buf, sizeof(buf));
	CHECK(!strcmp(buf, "truncate=7@0x84+delay=100+drop"));
	CHECK(misbehave_get(&set, MB_TRUNCATE, 0x84));
	CHECK(!misbehave_get(&set, MB_TRUNCATE, 0xe1));
	CHECK(misbehave_get(&set, MB_DELAY, 0xe1));
	CHECK(!misbehave_get(&set, MB_ERROR, 0x84));
	CHECK_EQ(misbehave_parse("error=66+bad-version=1.9+overlong", &set,
				 err, sizeof(err)), 0);
	misbehave_format(&set, buf, sizeof(buf));
	CHECK(!strcmp(buf, "overlong+error=0x42+bad-version=1.9"));
	CHECK_EQ(misbehave_parse("none", &set, err, sizeof(err)), 0);
	misbehave_format(&set, buf, sizeof(buf));
	CHECK(!strcmp(buf, "none"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (!misbehave_parse(bad[i], &set, err, sizeof(err)))
			printf("# accepted bad misbehaviour '%s'\n", bad[i]);
		CHECK(err[0]);
	}
	return 0;
}

static int t_mb_truncate_overlong(void)
{
	static const uint8_t full[] = {
		0x10, 0x04, 0, 0, 0, 2, 0x00, 0x12, 0x00, 0x13,
	};
	struct spdm_action act;
	struct msg rsp;
	size_t i;

	msg_init(&rsp);
	setup("1.2,1.3", "truncate=7");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, full, 7);
	setup("1.2,1.3", "truncate");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, full, 5);
	setup("1.2,1.3", "truncate=100");	/* longer: unchanged */
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, full, sizeof(full));
	setup("1.2,1.3", "overlong=5");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.len, sizeof(full) + 5);
	CHECK_MEM(rsp.data, sizeof(full), full, sizeof(full));
	for (i = sizeof(full); i < rsp.len; i++)
		CHECK_EQ(rsp.data[i], 0xa5);
	msg_free(&rsp);
	return 0;
}

static int t_mb_error(void)
{
	static const uint8_t busy[] = { 0x10, 0x7f, 0x03, 0x00 };
	static const uint8_t caps[] = { 0x12, SPDM_GET_CAPABILITIES, 0, 0 };
	struct spdm_action act;
	struct msg rsp;

	msg_init(&rsp);
	setup("1.2", "error=3");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, busy, sizeof(busy));
	setup("1.2", "error=0x42");
	CHECK_EQ(respond(caps, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.len, 8);
	CHECK_EQ(rsp.data[0], 0x12);
	CHECK_EQ(rsp.data[2], SPDM_ERR_RESPONSE_NOT_READY);
	CHECK_EQ(rsp.data[5], SPDM_GET_CAPABILITIES);	/* RequestCode */
	/* limited to one request code */
	setup("1.2", "error=5@0xe1");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.data[1], SPDM_VERSION);
	CHECK_EQ(respond(caps, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_UNSPECIFIED);
	msg_free(&rsp);
	return 0;
}

static int t_mb_bad_version(void)
{
	static const uint8_t caps11[] = { 0x11, SPDM_GET_CAPABILITIES, 0, 0 };
	struct spdm_action act;
	struct msg rsp;

	msg_init(&rsp);
	setup("1.0,1.1,1.2,1.3", "bad-version");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.len, 6 + 2 * 5);
	CHECK_EQ(rsp.data[5], 5);
	if (rsp.len == 16)
		CHECK_EQ(get_le16(rsp.data + 14), 0x1400);
	setup("1.2", "bad-version=1.1");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.len, 10);
	if (rsp.len == 10) {
		CHECK_EQ(get_le16(rsp.data + 6), 0x1100);
		CHECK_EQ(get_le16(rsp.data + 8), 0x1200);
	}
	/* offered, but not accepted */
	CHECK_EQ(respond(caps11, 4, &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_VERSION_MISMATCH);
	msg_free(&rsp);
	return 0;
}

static int t_mb_delay_drop(void)
{
	struct spdm_action act;
	struct sock_reply r;
	struct msg rsp;

	msg_init(&rsp);
	setup("1.2", "delay=50");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK_EQ(act.delay_ms, 50);
	CHECK(!act.drop);
	CHECK_EQ(rsp.len, 8);
	setup("1.2", "drop");
	CHECK_EQ(respond(get_version, 4, &rsp, &act), 0);
	CHECK(act.drop);
	/* through the socket layer: no frame at all */
	CHECK_EQ(handle(SOCK_CMD_NORMAL, SOCK_TRANSPORT_PCI_DOE,
			get_version_frame + 12, 12, &r), 0);
	CHECK(r.act.drop);
	CHECK_EQ(r.out.len, 0);
	sock_reply_free(&r);
	msg_free(&rsp);
	return 0;
}


/* ---- negotiation, in process (no certificates) ------------------------ */

static int t_vca_no_certs(void)
{
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	static const uint8_t caps[20] = {
		0x12, 0xe1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0,
		0x00, 0x04, 0, 0, 0x00, 0x04, 0, 0,		/* 1024 */
	};
	static const uint8_t caps_rsp[20] = {
		0x12, 0x61, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0,
		0x00, 0x10, 0, 0, 0x00, 0x10, 0, 0,		/* 4096 */
	};
	static const uint8_t algs[32] = {
		0x12, 0xe3, 0, 0, 32, 0, 1, 0x02, 0xff, 0x01, 0, 0,
		0x07, 0, 0, 0,
	};
	static const uint8_t algs_rsp[36] = {
		0x12, 0x63, 0, 0, 36, 0, 0, 0x02, 0, 0, 0, 0,
		0, 0, 0, 0, 0x04, 0, 0, 0,			/* SHA-512 */
	};
	static const uint8_t digests[] = { 0x12, 0x81, 0, 0 };
	static const uint8_t unsupported[] = { 0x12, 0x7f, 0x07, 0x81 };
	struct spdm_action act;
	struct msg rsp, tr;

	setup("1.0,1.1,1.2,1.3", "none");
	msg_init(&rsp);
	msg_init(&tr);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	msg_put(&tr, gv, sizeof(gv));
	msg_put(&tr, rsp.data, rsp.len);
	CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, caps_rsp, sizeof(caps_rsp));
	msg_put(&tr, caps, sizeof(caps));
	msg_put(&tr, rsp.data, rsp.len);
	CHECK_EQ(dev.req_data_transfer_size, 1024);
	CHECK_EQ(respond(algs, sizeof(algs), &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, algs_rsp, sizeof(algs_rsp));
	msg_put(&tr, algs, sizeof(algs));
	msg_put(&tr, rsp.data, rsp.len);
	CHECK_EQ(dev.state, SPDM_CONN_NEGOTIATED);
	/* transcript A: every message exactly as exchanged */
	CHECK_MEM(dev.vca.data, dev.vca.len, tr.data, tr.len);
	CHECK_EQ(respond(digests, sizeof(digests), &rsp, &act), 0);
	CHECK_MEM(rsp.data, rsp.len, unsupported, sizeof(unsupported));
	CHECK_EQ(dev.b.len, 0);
	msg_free(&tr);
	msg_free(&rsp);
	return 0;
}

/* 1.1: one RespAlgStruct per known ReqAlgStruct type, none selected. */
static int t_alg_structs(void)
{
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	static const uint8_t caps[12] = { 0x11, 0xe1 };
	uint8_t algs[52] = {
		0x11, 0xe3, 5, 0, 52, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0, 0,
	};
	struct spdm_action act;
	struct msg rsp;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		algs[32 + 4 * i] = i < 4 ? 2 + i : 7;	/* 7: unknown type */
		algs[33 + 4 * i] = 0x20;
		algs[34 + 4 * i] = 0x01;
	}
	setup("1.1", "none");
	msg_init(&rsp);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
	CHECK_EQ(rsp.len, 12);
	CHECK_EQ(respond(algs, sizeof(algs), &rsp, &act), 0);
	CHECK_EQ(rsp.len, 36 + 4 * 4);
	CHECK_EQ(rsp.data[2], 4);
	CHECK_EQ(get_le16(rsp.data + 4), 52);
	for (i = 0; i < 4 && rsp.len == 52; i++) {
		CHECK_EQ(rsp.data[36 + 4 * i], 2 + i);
		CHECK_EQ(rsp.data[37 + 4 * i], 0x20);
		CHECK_EQ(get_le16(rsp.data + 38 + 4 * i), 0);
	}
	CHECK_EQ(get_le32(rsp.data + 16), SPDM_HASH_SHA256);
	msg_free(&rsp);
	return 0;
}

/* Requester Flags that contradict each other: InvalidRequest. */
static int t_caps_flags(void)
{
	static const struct {
		uint32_t flags;
		uint8_t error;		/* 0: accepted */
	} cases[] = {
		{ 0, 0 },
		{ SPDM_CAP_CERT | SPDM_CAP_CHAL, 0 },
		{ SPDM_CAP_CHAL, SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_CERT, SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_MAC, SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_KEY_EX, SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_KEY_EX | SPDM_CAP_MAC, 0 },
		{ 3U << SPDM_CAP_PSK_SHIFT | SPDM_CAP_MAC, SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_CERT | SPDM_CAP_PUB_KEY_ID | SPDM_CAP_CHAL,
		  SPDM_ERR_INVALID_REQUEST },
		{ SPDM_CAP_CERT | SPDM_CAP_CHAL | SPDM_CAP_MUT_AUTH,
		  SPDM_ERR_INVALID_REQUEST },		/* 1.1: needs ENCAP */
	};
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	uint8_t caps[12] = { 0x11, 0xe1 };
	struct spdm_action act;
	struct msg rsp;
	size_t i;

	setup("1.1", "none");
	msg_init(&rsp);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
		put_le32(caps + 8, cases[i].flags);
		CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
		if (cases[i].error) {
			CHECK_EQ(rsp.data[1], SPDM_ERROR);
			CHECK_EQ(rsp.data[2], cases[i].error);
			CHECK_EQ(dev.state, SPDM_CONN_AFTER_VERSION);
		} else {
			CHECK_EQ(rsp.data[1], SPDM_CAPABILITIES);
			CHECK_EQ(dev.req_flags, cases[i].flags);
		}
		if (rsp.data[1] != (cases[i].error ? SPDM_ERROR : SPDM_CAPABILITIES))
			printf("#   flags 0x%08x\n", cases[i].flags);
	}
	msg_free(&rsp);
	return 0;
}

static int t_hash_list(void)
{
	static const char *const bad[] = {
		"", "md5", "sha256,", ",sha256", "sha256,sha1", "SHA256",
	};
	uint32_t mask;
	char buf[64];
	size_t i;

	CHECK_EQ(spdm_hash_parse_list("sha512,sha256", &mask), 0);
	CHECK_EQ(mask, SPDM_HASH_SHA256 | SPDM_HASH_SHA512);
	spdm_hash_format(mask, buf, sizeof(buf));
	CHECK(!strcmp(buf, "sha256,sha512"));
	CHECK_EQ(spdm_hash_parse_list("all", &mask), 0);
	CHECK_EQ(mask, SPDM_HASH_ALL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!spdm_hash_parse_list(bad[i], &mask) && strcmp(bad[i], "sha256,") &&
		    strcmp(bad[i], ",sha256")) {
			printf("# accepted hash list '%s'\n", bad[i]);
			tap_fail = 1;
		}
	}
	CHECK_EQ(spdm_asym_select(SPDM_ASYM_RSASSA_2048 | SPDM_ASYM_RSAPSS_2048),
		 SPDM_ASYM_RSASSA_2048);
	CHECK_EQ(spdm_asym_select(SPDM_ASYM_ECDSA_P256 | SPDM_ASYM_ECDSA_P521),
		 SPDM_ASYM_ECDSA_P521);
	CHECK_EQ(spdm_hash_select(SPDM_HASH_SHA256 | SPDM_HASH_SHA384),
		 SPDM_HASH_SHA384);
	return 0;
}

static int t_misbehave_words(void)
{
	static const char *const bad[] = {
		"wrong-nonce=x", "alg-multiple=both", "wrong-transcript=",
		"slow=101", "request-resynch=1001", "busy-once=1",
		"unsupported-version=1.0",
	};
	struct misbehave_set set;
	char err[128], buf[256];
	size_t i;

	CHECK_EQ(misbehave_parse("wrong-transcript=no-b+alg-multiple=hash+slow=3@0x83+request-resynch=2",
				 &set, err, sizeof(err)), 0);
	misbehave_format(&set, buf, sizeof(buf));
	CHECK(!strcmp(buf, "request-resynch=2+alg-multiple=hash+wrong-transcript=no-b+slow=3@0x83"));
	CHECK_EQ(set.sw[MB_WRONG_TRANSCRIPT].value, MBW_NO_B);
	CHECK_EQ(set.sw[MB_ALG_MULTIPLE].value, MBW_HASH);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (!misbehave_parse(bad[i], &set, err, sizeof(err)))
			printf("# accepted bad misbehaviour '%s'\n", bad[i]);
		CHECK(err[0]);
	}
	return 0;
}

static int t_mb_not_ready(void)
{
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	uint8_t rif[4] = { 0x10, 0xff, 0x84, 0 };
	struct spdm_action act;
	struct msg rsp;
	uint8_t token;

	setup("1.2", "error=0x42@0x84");
	msg_init(&rsp);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(rsp.len, 8);
	CHECK_EQ(rsp.data[2], SPDM_ERR_RESPONSE_NOT_READY);
	CHECK_EQ(rsp.data[5], 0x84);
	token = rsp.data[6];
	CHECK_EQ(dev.state, SPDM_CONN_IDLE);	/* not answered yet */
	rif[3] = token + 1;
	CHECK_EQ(respond(rif, sizeof(rif), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_INVALID_REQUEST);
	rif[3] = token;
	CHECK_EQ(respond(rif, sizeof(rif), &rsp, &act), 0);
	CHECK_EQ(rsp.data[1], SPDM_VERSION);
	CHECK_EQ(dev.state, SPDM_CONN_AFTER_VERSION);
	CHECK_EQ(dev.vca.len, 4 + rsp.len);	/* GET_VERSION, not RIF */
	/* nothing deferred: a stray 1.0 RIF is of no version we speak */
	CHECK_EQ(respond(rif, sizeof(rif), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_VERSION_MISMATCH);
	rif[0] = 0x12;
	CHECK_EQ(respond(rif, sizeof(rif), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_UNEXPECTED_REQUEST);
	msg_free(&rsp);
	return 0;
}

static int t_mb_busy_resynch(void)
{
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	static const uint8_t caps[] = { 0x10, 0xe1, 0, 0 };
	struct spdm_action act;
	struct msg rsp;

	setup("1.0", "busy-once@0x84");
	msg_init(&rsp);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_BUSY);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(rsp.data[1], SPDM_VERSION);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_BUSY);

	setup("1.0", "request-resynch=2@0xe1");
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_REQUEST_RESYNCH);
	CHECK_EQ(dev.state, SPDM_CONN_IDLE);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
	CHECK_EQ(rsp.data[2], SPDM_ERR_REQUEST_RESYNCH);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(respond(caps, sizeof(caps), &rsp, &act), 0);
	CHECK_EQ(rsp.data[1], SPDM_CAPABILITIES);
	msg_free(&rsp);
	return 0;
}

static int t_mb_slow(void)
{
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	struct spdm_action act;
	struct msg rsp;

	setup("1.2", "slow");
	dev.ct_exponent = 14;			/* 16.384 ms */
	msg_init(&rsp);
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(act.delay_ms, 33);
	setup("1.2", "slow=5");
	dev.ct_exponent = 10;
	CHECK_EQ(respond(gv, sizeof(gv), &rsp, &act), 0);
	CHECK_EQ(act.delay_ms, 6);
	msg_free(&rsp);
	return 0;
}

static int t_config_errors(void)
{
	struct spdm_dev_config cfg;
	char err[256];

	setup("1.2", "none");
	spdm_dev_config_init(&cfg);
	CHECK_EQ(spdm_device_configure(&dev, &cfg, err, sizeof(err)), 0);
	CHECK_EQ(dev.rsp_flags, 0);		/* no certificates */
	cfg.slot_mask_set = true;
	err[0] = '\0';
	CHECK(spdm_device_configure(&dev, &cfg, err, sizeof(err)) < 0);
	CHECK(strstr(err, "slot 0"));
	cfg.slot_mask_set = false;
	cfg.certs_dir = "/nonexistent/spdm";
	err[0] = '\0';
	CHECK(spdm_device_configure(&dev, &cfg, err, sizeof(err)) < 0);
	CHECK(strstr(err, "/nonexistent/spdm/chain.der"));
	return 0;
}

static const struct tap_test tests[] = {
	{ "socket header: parse the DESIGN.md example", t_sock_hdr_parse },
	{ "socket header: build is big-endian and round-trips", t_sock_hdr_build },
	{ "socket frame: header plus payload", t_sock_frame_put },
	{ "rx: whole frames, stops at the frame end", t_rx_whole },
	{ "rx: frame fed one byte at a time", t_rx_bytewise },
	{ "rx: frame without payload", t_rx_empty_payload },
	{ "rx: size over the limit rejected without allocating", t_rx_too_big },
	{ "rx: partial payload (lying size) is freed", t_rx_partial },
	{ "command NORMAL: GET_VERSION to VERSION frame", t_cmd_normal },
	{ "command TEST: Server Hello!", t_cmd_test },
	{ "command SHUTDOWN/CONTINUE: echoed, then close", t_cmd_shutdown_continue },
	{ "command unknown: UNKNOWN reply", t_cmd_unknown },
	{ "command NORMAL, wrong transport: UNKNOWN reply", t_cmd_wrong_transport },
	{ "DOE header: good objects, Length 0 is 2^18", t_doe_parse_good },
	{ "DOE header: malformed objects", t_doe_parse_bad },
	{ "DOE wrap: header and dword padding", t_doe_wrap },
	{ "DOE: bad vendor/type/length discarded", t_doe_reject },
	{ "DOE: discovery", t_doe_discovery },
	{ "DOE: secured CMA gets ERROR InvalidSession", t_doe_secured },
	{ "GET_VERSION: various version sets", t_get_version_sets },
	{ "GET_VERSION: trailing bytes rejected; resets selection, transcript", t_get_version_padded },
	{ "GET_VERSION: wrong version byte, VersionMismatch", t_get_version_mismatch },
	{ "other requests: ERROR UnsupportedRequest", t_unsupported },
	{ "other requests: unknown version, VersionMismatch", t_version_mismatch },
	{ "SPDM message under 4 bytes: InvalidRequest", t_too_short },
	{ "version list parsing", t_versions_parse },
	{ "misbehaviour list parsing", t_misbehave_parse },
	{ "misbehave truncate/overlong", t_mb_truncate_overlong },
	{ "misbehave error=CODE[@CODE]", t_mb_error },
	{ "misbehave bad-version", t_mb_bad_version },
	{ "misbehave delay/drop", t_mb_delay_drop },
	{ "VCA without certificates: exact responses, transcript A", t_vca_no_certs },
	{ "1.1 AlgStructs: known types answered, nothing selected", t_alg_structs },
	{ "GET_CAPABILITIES Flags consistency", t_caps_flags },
	{ "hash lists and algorithm preference", t_hash_list },
	{ "misbehaviour words and values", t_misbehave_words },
	{ "misbehave error=0x42: RESPOND_IF_READY answers the request", t_mb_not_ready },
	{ "misbehave busy-once, request-resynch=N", t_mb_busy_resynch },
	{ "misbehave slow: N x CT", t_mb_slow },
	{ "device configuration errors", t_config_errors },
};

int main(void)
{
	int ret;

	log_level = getenv("SPDM_TEST_VERBOSE") ? LOG_VERBOSE : LOG_QUIET;
	ret = tap_run(tests, ARRAY_SIZE(tests));
	spdm_device_release(&dev);
	certs_cleanup();
	return ret;
}
