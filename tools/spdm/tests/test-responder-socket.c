// SPDX-License-Identifier: GPL-2.0
/*
 * Socket-level tests of the spdm-responder binary: start it on free
 * ports, talk the SPDM socket protocol to it as QEMU would, feed it
 * malformed input and check that a second, concurrent connection is
 * still served after every case.  Ends with SIGTERM and CLI checks.
 *
 * Usage: test-responder-socket [PATH-TO-spdm-responder]
 * (default: $SPDM_RESPONDER, else ./spdm-responder).  Every socket
 * operation times out after 5 s, so a broken responder fails, not hangs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "lib-harness.h"
#include "tap.h"

#define TIMEOUT_S	5
#define NR_DEVS		4
#define DELAY_MS	300
#define MAX_FRAME	8192

#define CMD_NORMAL	0x0001
#define CMD_CONTINUE	0xfffd
#define CMD_SHUTDOWN	0xfffe
#define CMD_UNKNOWN	0xffff
#define CMD_TEST	0xdead

/* Devices: A defaults, B two versions, C slow + bad VERSION, D drops. */
enum { DEV_A, DEV_B, DEV_C, DEV_D };
static const char *const port_specs[NR_DEVS] = {
	"0",
	"0:versions=1.3,1.2",
	"0:misbehave=delay=300+bad-version",
	"0:misbehave=drop@0xe1",
};

static struct harness run = {
	.tmpdir = "/tmp/spdm-responder-test-XXXXXX",
	.progs = H_RESPONDER,
};
static unsigned int port[NR_DEVS];
static int keeper = -1;		/* long-lived connection to device A */

/* DESIGN.md section 6: NORMAL, PCI_DOE, GET_VERSION in a DOE object */
static const uint8_t get_version_frame[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0c,
	0x01, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x10, 0x84, 0x00, 0x00,
};

/* its answer with versions 1.0-1.3 */
static const uint8_t version_frame[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x18,
	0x01, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00,
	0x10, 0x04, 0x00, 0x00, 0x00, 0x04,
	0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x00, 0x00,
};

/* TEST as the spdm-emu requester sends it, and the spdm-emu answer */
static const uint8_t test_frame[] = {
	0x00, 0x00, 0xde, 0xad, 0, 0, 0, 0, 0, 0, 0, 14,
	'C', 'l', 'i', 'e', 'n', 't', ' ', 'H', 'e', 'l', 'l', 'o', '!', 0,
};

static const uint8_t test_reply[] = {
	0x00, 0x00, 0xde, 0xad, 0, 0, 0, 2, 0, 0, 0, 14,
	'S', 'e', 'r', 'v', 'e', 'r', ' ', 'H', 'e', 'l', 'l', 'o', '!', 0,
};

struct frame {
	uint32_t cmd, transport, size;
	uint8_t payload[MAX_FRAME];
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* ---- socket helpers --------------------------------------------------- */

static int conn_open(unsigned int p)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(p),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { TIMEOUT_S, 0 };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		printf("# connect to port %u: %s\n", p, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n <= 0) {
			printf("# send: %s\n", n ? strerror(errno) : "nothing");
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = recv(fd, p, len, 0);
		if (n <= 0) {
			printf("# recv: %s\n", n ? strerror(errno) :
			       "connection closed");
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int recv_frame(int fd, struct frame *f)
{
	uint8_t hdr[12];

	if (recv_all(fd, hdr, sizeof(hdr)))
		return -1;
	f->cmd = get_be32(hdr);
	f->transport = get_be32(hdr + 4);
	f->size = get_be32(hdr + 8);
	if (f->size > sizeof(f->payload)) {
		printf("# frame payload of %u bytes\n", f->size);
		return -1;
	}
	return recv_all(fd, f->payload, f->size);
}

/* Send @req (a whole frame), expect the frame @want back. */
static bool exchange(int fd, const void *req, size_t req_len,
		     const uint8_t *want, size_t want_len)
{
	uint8_t got[MAX_FRAME + 12];
	struct frame f;

	if (fd < 0 || send_all(fd, req, req_len) || recv_frame(fd, &f))
		return false;
	put_be32(got, f.cmd);
	put_be32(got + 4, f.transport);
	put_be32(got + 8, f.size);
	memcpy(got + 12, f.payload, f.size);
	CHECK_MEM(got, 12 + f.size, want, want_len);
	return want_len == 12 + f.size && !memcmp(got, want, want_len);
}

static bool get_version_ok(int fd)
{
	return exchange(fd, get_version_frame, sizeof(get_version_frame),
			version_frame, sizeof(version_frame));
}

static bool keeper_ok(void)
{
	bool ok = get_version_ok(keeper);

	if (!ok)
		printf("# concurrent connection not served\n");
	return ok;
}

/* The responder closed @fd without sending anything. */
static bool closed_without_reply(int fd)
{
	uint8_t b;
	ssize_t n = recv(fd, &b, 1, 0);

	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return true;
	printf("# expected close, got %s\n",
	       n > 0 ? "data" : strerror(errno));
	return false;
}

/* Frame carrying the SPDM message @spdm in a DOE object of @type. */
static size_t doe_frame(uint8_t *out, uint8_t type, const uint8_t *spdm,
			size_t len)
{
	size_t dw = 2 + (len + 3) / 4;

	memset(out, 0, 12 + dw * 4);
	put_be32(out, CMD_NORMAL);
	put_be32(out + 4, 2);
	put_be32(out + 8, dw * 4);
	out[12] = 0x01;
	out[14] = type;
	out[16] = dw & 0xff;
	out[17] = dw >> 8;
	if (len)
		memcpy(out + 20, spdm, len);
	return 12 + dw * 4;
}

/* Expect the SPDM message @want (in a type 1 DOE object) for @spdm. */
static bool spdm_exchange(int fd, uint8_t type, const uint8_t *spdm,
			  size_t len, const uint8_t *want, size_t want_len)
{
	uint8_t req[MAX_FRAME], rsp[MAX_FRAME];
	size_t req_len = doe_frame(req, type, spdm, len);
	size_t rsp_len = doe_frame(rsp, 1, want, want_len);

	return exchange(fd, req, req_len, rsp, rsp_len);
}

static bool empty_reply(int fd, const uint8_t *req, size_t len, uint32_t cmd)
{
	uint8_t want[12];

	put_be32(want, cmd);
	put_be32(want + 4, 2);
	put_be32(want + 8, 0);
	return exchange(fd, req, len, want, sizeof(want));
}

/* ---- tests ------------------------------------------------------------ */

static int t_start(void)
{
	static const char *const max[] = { "--max-payload=1048584", NULL };
	int i, status, ret;

	ret = start_responder(run.responder, port_specs, NR_DEVS, max,
			      run.port_file, run.log_file, port, &run.child,
			      &status);
	if (ret > 0) {
		printf("# responder exited early, status 0x%x\n", status);
		return 1;
	}
	if (ret) {
		dump_file(run.log_file, "responder log");
		printf("Bail out! no port file from %s\n", run.responder);
		exit(1);
	}
	for (i = 0; i < NR_DEVS; i++)
		CHECK(port[i] > 0 && port[i] < 65536);
	CHECK(port[DEV_A] != port[DEV_B] && port[DEV_C] != port[DEV_D]);
	return 0;
}

static int t_get_version(void)
{
	int fd = conn_open(port[DEV_A]);

	CHECK(get_version_ok(fd));
	keeper = conn_open(port[DEV_A]);	/* second, concurrent */
	CHECK(keeper_ok());
	CHECK(get_version_ok(fd));		/* the first still works */
	close(fd);
	CHECK(keeper_ok());
	return 0;
}

static int t_test_cmd(void)
{
	int fd = conn_open(port[DEV_A]);

	CHECK(exchange(fd, test_frame, sizeof(test_frame), test_reply,
		       sizeof(test_reply)));
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_short_header(void)
{
	int fd = conn_open(port[DEV_A]);

	CHECK(!send_all(fd, get_version_frame, 5));
	CHECK(keeper_ok());		/* while the header is incomplete */
	shutdown(fd, SHUT_WR);
	CHECK(closed_without_reply(fd));
	close(fd);
	CHECK(keeper_ok());
	return 0;
}

static int t_lying_size(void)
{
	uint8_t req[12 + 10] = { 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 100 };
	int fd = conn_open(port[DEV_A]);

	CHECK(!send_all(fd, req, sizeof(req)));
	CHECK(keeper_ok());		/* while 90 bytes are missing */
	shutdown(fd, SHUT_WR);
	CHECK(closed_without_reply(fd));
	close(fd);
	CHECK(keeper_ok());
	return 0;
}

static int t_wrong_transport(void)
{
	static const uint32_t transports[] = { 0, 1, 3, 0x1234 };
	uint8_t req[sizeof(get_version_frame)];
	int fd = conn_open(port[DEV_A]);
	size_t i;

	memcpy(req, get_version_frame, sizeof(req));
	for (i = 0; i < ARRAY_SIZE(transports); i++) {
		put_be32(req + 4, transports[i]);
		CHECK(empty_reply(fd, req, sizeof(req), CMD_UNKNOWN));
		CHECK(keeper_ok());
	}
	CHECK(get_version_ok(fd));	/* still in step */
	close(fd);
	return 0;
}

static int t_oversized(void)
{
	static const uint32_t sizes[] = { 0xffffffff, 1048584 + 1 };
	uint8_t req[12] = { 0, 0, 0, 1, 0, 0, 0, 2 };
	size_t i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		fd = conn_open(port[DEV_A]);
		put_be32(req + 8, sizes[i]);
		CHECK(!send_all(fd, req, sizeof(req)));
		CHECK(closed_without_reply(fd));
		close(fd);
		CHECK(keeper_ok());
	}
	return 0;
}

static int t_bad_doe(void)
{
	uint8_t req[MAX_FRAME];
	static const uint8_t gv[] = { 0x10, 0x84, 0, 0 };
	size_t len;
	int fd = conn_open(port[DEV_A]);

	len = doe_frame(req, 1, gv, sizeof(gv));
	req[12] = 0x34;				/* vendor 0x0034 */
	CHECK(empty_reply(fd, req, len, CMD_NORMAL));
	req[12] = 0x01;
	req[16] = 4;				/* Length 4, 3 sent */
	CHECK(empty_reply(fd, req, len, CMD_NORMAL));
	req[16] = 0;				/* Length 2^18 */
	CHECK(empty_reply(fd, req, len, CMD_NORMAL));
	req[16] = 3;
	req[14] = 7;				/* unknown type */
	CHECK(empty_reply(fd, req, len, CMD_NORMAL));
	req[14] = 1;
	put_be32(req + 8, 13);			/* not whole dwords */
	req[24] = 0;
	CHECK(empty_reply(fd, req, 12 + 13, CMD_NORMAL));
	put_be32(req + 8, 4);			/* shorter than a header */
	CHECK(empty_reply(fd, req, 12 + 4, CMD_NORMAL));
	CHECK(keeper_ok());
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_spdm_short(void)
{
	static const uint8_t want[] = { 0x10, 0x7f, 0x01, 0x00 };
	int fd = conn_open(port[DEV_A]);

	CHECK(spdm_exchange(fd, 1, NULL, 0, want, sizeof(want)));
	CHECK(keeper_ok());
	close(fd);
	return 0;
}

static int t_spdm_errors(void)
{
	static const uint8_t meas[] = { 0x12, 0xe0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t unsupported[] = { 0x12, 0x7f, 0x07, 0xe0 };
	static const uint8_t caps[] = { 0x12, 0xe1, 0, 0, 0, 0, 0, 0 };
	static const uint8_t invalid[] = { 0x12, 0x7f, 0x01, 0x00 };
	static const uint8_t gv11[] = { 0x11, 0x84, 0, 0 };
	static const uint8_t caps99[] = { 0x99, 0xe1, 0, 0 };
	static const uint8_t mismatch[] = { 0x10, 0x7f, 0x41, 0x00 };
	int fd = conn_open(port[DEV_A]);

	CHECK(spdm_exchange(fd, 1, meas, sizeof(meas), unsupported,
			    sizeof(unsupported)));
	/* after GET_VERSION (the keeper's): 8 bytes is no 1.2 request */
	CHECK(spdm_exchange(fd, 1, caps, sizeof(caps), invalid,
			    sizeof(invalid)));
	CHECK(spdm_exchange(fd, 1, gv11, sizeof(gv11), mismatch,
			    sizeof(mismatch)));
	CHECK(spdm_exchange(fd, 1, caps99, sizeof(caps99), mismatch,
			    sizeof(mismatch)));
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_secured(void)
{
	static const uint8_t sec[24] = { 0x01, 0x00, 0xff, 0xff, 0x12 };
	static const uint8_t want[] = {
		0x10, 0x7f, 0x02, 0x00, 0x01, 0x00, 0xff, 0xff,
	};
	int fd = conn_open(port[DEV_A]);

	CHECK(spdm_exchange(fd, 2, sec, sizeof(sec), want, sizeof(want)));
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_unknown_cmd(void)
{
	static const uint8_t req[] = {
		0x00, 0x00, 0x12, 0x34, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3,
	};
	int fd = conn_open(port[DEV_A]);

	CHECK(empty_reply(fd, req, sizeof(req), CMD_UNKNOWN));
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_pieces(void)
{
	uint8_t two[2 * sizeof(get_version_frame)];
	uint8_t want[2 * sizeof(version_frame)];
	uint8_t got[sizeof(want)];
	int fd = conn_open(port[DEV_A]);
	size_t i;

	/* the way QEMU writes: command, transport, size, payload */
	for (i = 0; i < 12; i += 4) {
		CHECK(!send_all(fd, get_version_frame + i, 4));
		sleep_ms(2);
	}
	CHECK(exchange(fd, get_version_frame + 12, 12, version_frame,
		       sizeof(version_frame)));
	/* one byte at a time */
	for (i = 0; i + 1 < sizeof(get_version_frame); i++)
		CHECK(!send_all(fd, get_version_frame + i, 1));
	CHECK(exchange(fd, get_version_frame + i, 1, version_frame,
		       sizeof(version_frame)));
	/* two frames in one write: two answers */
	memcpy(two, get_version_frame, sizeof(get_version_frame));
	memcpy(two + sizeof(get_version_frame), get_version_frame,
	       sizeof(get_version_frame));
	memcpy(want, version_frame, sizeof(version_frame));
	memcpy(want + sizeof(version_frame), version_frame,
	       sizeof(version_frame));
	CHECK(!send_all(fd, two, sizeof(two)));
	CHECK(!recv_all(fd, got, sizeof(got)));
	CHECK_MEM(got, sizeof(got), want, sizeof(want));
	close(fd);
	return 0;
}

static int t_port_versions(void)
{
	static const uint8_t want[] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0, 0, 0, 20,
		0x01, 0x00, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00,
		0x10, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x12, 0x00, 0x13,
		0x00, 0x00,
	};
	int fd = conn_open(port[DEV_B]);

	CHECK(exchange(fd, get_version_frame, sizeof(get_version_frame),
		       want, sizeof(want)));
	close(fd);
	CHECK(keeper_ok());		/* device A unaffected */
	return 0;
}

/* C answers DELAY_MS late with 1.4 added; A is served meanwhile. */
static int t_delay_bad_version(void)
{
	static const uint8_t tail[] = { 0x00, 0x05, 0x00, 0x10 };
	int fd = conn_open(port[DEV_C]);
	long long start = now_ms(), fast, slow;
	struct frame f;

	CHECK(!send_all(fd, get_version_frame, sizeof(get_version_frame)));
	CHECK(keeper_ok());
	fast = now_ms() - start;
	CHECK(!recv_frame(fd, &f));
	slow = now_ms() - start;
	printf("# other device answered after %lld ms, delayed one after %lld ms\n",
	       fast, slow);
	CHECK(fast < DELAY_MS / 2);
	CHECK(slow >= DELAY_MS);
	CHECK_EQ(f.size, 8 + 16);		/* VERSION with 5 entries */
	CHECK_MEM(f.payload + 12, sizeof(tail), tail, sizeof(tail));
	CHECK_EQ(f.payload[22] | f.payload[23] << 8, 0x1400);
	close(fd);
	return 0;
}

static int t_drop(void)
{
	static const uint8_t caps[] = { 0x12, 0xe1, 0, 0 };
	uint8_t req[64];
	size_t len = doe_frame(req, 1, caps, sizeof(caps));
	int fd = conn_open(port[DEV_D]);

	CHECK(get_version_ok(fd));		/* drop only for 0xe1 */
	CHECK(!send_all(fd, req, len));
	CHECK(closed_without_reply(fd));
	close(fd);
	CHECK(keeper_ok());
	fd = conn_open(port[DEV_D]);		/* the device lives on */
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

static int t_many(void)
{
	int fds[20];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fds); i++)
		fds[i] = conn_open(port[i % 2 ? DEV_A : DEV_D]);
	for (i = ARRAY_SIZE(fds); i-- > 0;)
		CHECK(get_version_ok(fds[i]));
	for (i = 0; i < ARRAY_SIZE(fds); i++)
		close(fds[i]);
	CHECK(keeper_ok());
	return 0;
}

static int t_shutdown_continue(void)
{
	static const uint32_t cmds[] = { CMD_SHUTDOWN, CMD_CONTINUE };
	uint8_t req[12] = { 0 };
	size_t i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		fd = conn_open(port[DEV_A]);
		CHECK(get_version_ok(fd));
		put_be32(req, cmds[i]);
		put_be32(req + 4, 2);
		CHECK(empty_reply(fd, req, sizeof(req), cmds[i]));
		CHECK(closed_without_reply(fd));
		close(fd);
		CHECK(keeper_ok());
	}
	fd = conn_open(port[DEV_A]);		/* still listening */
	CHECK(get_version_ok(fd));
	close(fd);
	return 0;
}

/*
 * QEMU writes a frame in four pieces without TCP_NODELAY; unless the
 * responder ACKs at once, Nagle holds each piece for a delayed ACK
 * (~40 ms).  20 such exchanges must take well under that.
 */
static int t_latency(void)
{
	int fd = conn_open(port[DEV_A]), i, j, n = 20;
	long long start = now_ms(), avg;
	uint8_t got[sizeof(version_frame)];

	for (i = 0; i < n && fd >= 0; i++) {
		for (j = 0; j < 16; j += 4)
			CHECK(!send_all(fd, get_version_frame + j, 4));
		CHECK(!send_all(fd, get_version_frame + 16, 8));
		CHECK(!recv_all(fd, got, sizeof(got)));
	}
	avg = (now_ms() - start) / n;
	printf("# %lld ms per exchange\n", avg);
	CHECK(avg < 10);
	close(fd);
	return 0;
}

static int t_rejections_logged(void)
{
	static const char *const lines[] = {
		"after 5 of 12 header bytes",
		"size field says 100 bytes, peer closed after 10",
		"transport 1 (MCTP)",
		"payload size 4294967295 over the limit 1048584",
		"payload size 1048585 over the limit 1048584",
		"vendor 0x0034",
		"Length field does not match",
		"unknown type 7",
		"not a whole number of dwords",
		"shorter than the 2-dword DOE header",
		"SPDM message of 0 bytes",
		"unknown socket command 0x00001234",
		"misbehave drop",
		"misbehave delay",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++)
		CHECK(file_has(run.log_file, lines[i]));
	return 0;
}

static int t_sigterm(void)
{
	if (run.child <= 0)
		return 1;
	close(keeper);				/* exit with one open too */
	keeper = conn_open(port[DEV_B]);
	CHECK(exchange(keeper, test_frame, sizeof(test_frame), test_reply,
		       sizeof(test_reply)));
	CHECK(!harness_sigterm(TIMEOUT_S * 1000));
	CHECK(closed_without_reply(keeper));
	close(keeper);
	return 0;
}

static int t_cli(void)
{
	char help_out[PATH_MAX + 16], pf[PATH_MAX + 16];
	char *help[] = { run.responder, "--help", NULL };
	char *bad_port[] = { run.responder, "--port", "65536", NULL };
	char *bad_opt[] = { run.responder, "--port", "0:colour=red", NULL };
	char *bad_mb[] = { run.responder, "--misbehave", "explode", NULL };
	char *extra[] = { run.responder, "extra", NULL };
	char *no_bind[] = { run.responder, "-a", "192.0.2.1", "--port", "0",
			    "--port-file", pf, NULL };
	struct stat st;

	snprintf(help_out, sizeof(help_out), "%s/help", run.tmpdir);
	snprintf(pf, sizeof(pf), "%s/ports-unused", run.tmpdir);
	CHECK_EQ(run_status(help, help_out, false), 0);
	CHECK(!stat(help_out, &st) && st.st_size > 500);
	CHECK_EQ(run_status(bad_port, run.log_file, false), 2);
	CHECK_EQ(run_status(bad_opt, run.log_file, false), 2);
	CHECK_EQ(run_status(bad_mb, run.log_file, false), 2);
	CHECK_EQ(run_status(extra, run.log_file, false), 2);
	CHECK_EQ(run_status(no_bind, run.log_file, false), 1);
	CHECK(stat(pf, &st) && errno == ENOENT);
	return 0;
}

static const struct tap_test tests[] = {
	{ "responder starts, port file lists 4 ports", t_start },
	{ "GET_VERSION round trip, second concurrent connection", t_get_version },
	{ "TEST command answered", t_test_cmd },
	{ "short header then EOF: closed, others served", t_short_header },
	{ "lying payload size then EOF: closed, others served", t_lying_size },
	{ "wrong transport type: UNKNOWN, others served", t_wrong_transport },
	{ "oversized payload: closed unread, others served", t_oversized },
	{ "bad DOE headers: discarded, others served", t_bad_doe },
	{ "SPDM message under 4 bytes: ERROR InvalidRequest", t_spdm_short },
	{ "unsupported / malformed request, version mismatch: ERROR", t_spdm_errors },
	{ "secured CMA object: ERROR InvalidSession", t_secured },
	{ "unknown socket command: UNKNOWN", t_unknown_cmd },
	{ "frames in pieces and pipelined", t_pieces },
	{ "per-port versions", t_port_versions },
	{ "per-port delay+bad-version, other device not blocked",
	  t_delay_bad_version },
	{ "per-port drop@0xe1, device survives", t_drop },
	{ "20 concurrent connections", t_many },
	{ "SHUTDOWN and CONTINUE: echoed, connection closed", t_shutdown_continue },
	{ "QEMU-style split writes: no delayed-ACK stall", t_latency },
	{ "every rejection logged", t_rejections_logged },
	{ "SIGTERM: clean exit 0", t_sigterm },
	{ "command line: --help 0, usage errors 2, bind failure 1", t_cli },
};

int main(int argc, char **argv)
{
	harness_init(&run, argc, argv);
	return harness_done(&run, tap_run(tests, ARRAY_SIZE(tests)));
}
