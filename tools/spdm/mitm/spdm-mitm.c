// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-mitm: a man in the middle for the SPDM socket protocol.  It
 * listens for QEMU's spdm-socket connection, connects to the responder,
 * passes every frame on and damages responses (payloads of NORMAL frames
 * from the responder) as seeded, with the DOE header kept consistent.
 * A control file switches the damage on and off while it runs; a log
 * file gets one line per mutation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mutate.h"

#define SOCK_HDR_LEN		12
#define SOCK_CMD_NORMAL		0x0001
#define SOCK_TRANSPORT_PCI_DOE	2
#define MAX_FRAME		(4U << 20)

struct frame {
	uint32_t command, transport, size;
	uint8_t *payload;
	size_t cap;
};

struct opts {
	unsigned int port;
	const char *port_file;
	const char *upstream;
	const char *control;
	const char *log;
	uint64_t seed;
	struct mitm_policy policy;
	int verbose;
};

static volatile sig_atomic_t stop;
static uint64_t stat_seen, stat_mutated, stat_kind[MK_NR];
static FILE *logf;

static void on_signal(int sig)
{
	stop = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: spdm-mitm --upstream HOST:PORT [OPTIONS]\n"
"\n"
"A man in the middle between QEMU's spdm-socket client and an SPDM\n"
"responder (SPDM socket protocol, PCI_DOE transport): passes requests on\n"
"and damages responses, seeded, keeping the DOE header consistent with\n"
"the damaged SPDM message or secured record.\n"
"\n"
"Options:\n"
"  -u, --upstream HOST:PORT  the responder to connect to (required)\n"
"  -p, --port N              port to listen on, 127.0.0.1 (default 0: any\n"
"                            free port)\n"
"  -P, --port-file FILE      write the port number there once listening\n"
"  -s, --seed N              PRNG seed (default: from the clock); printed\n"
"  -r, --rate RATE           share of the responses to damage: a\n"
"                            probability (0.25), 1/N or N (one in N);\n"
"                            default 1/4\n"
"  -m, --mode on|off|signed  default mode (default on)\n"
"  -c, --codes LIST          damage only responses with these codes\n"
"                            (0x03,0x60,...; 'sec' for secured records)\n"
"  -C, --control FILE        read before every response: a mode, then\n"
"                            optionally rate=RATE, codes=LIST and sigrsp\n"
"                            (only responses that carry a signature, any\n"
"                            damage); missing or empty means the command\n"
"                            line's\n"
"  -l, --log FILE            append one line per mutation\n"
"  -v, --verbose             log every response to stderr\n"
"  -h, --help                this text\n"
"\n"
"Modes: 'on' damages any response: bit flips, a byte set to 0 or 0xff,\n"
"a lying length field (VERSION entry count, CERTIFICATE portion and\n"
"remainder, MEASUREMENTS record lengths, opaque lengths, ...),\n"
"truncation, junk appended, a replay of an earlier response, a wrong\n"
"response code or SPDM version.  'signed' damages only signed responses\n"
"(CHALLENGE_AUTH, MEASUREMENTS with a signature, KEY_EXCHANGE_RSP), and\n"
"only bytes the signature covers.  'off' passes everything.\n"
"\n"
"Log lines: SEQ req=CODE rsp=CODE doe=TYPE kind=KIND off=OFFSET\n"
"len=BEFORE>AFTER signed=0|1 sigrsp=0|1.  SEQ counts the responses of\n"
"the connection; CODE is 0xNN, 'sec' (secured record) or 'none';\n"
"signed=1: a byte the signature covers was altered and the response\n"
"code was kept (the response must not verify); sigrsp=1: the response\n"
"carries a signature.\n"
"\n"
"Exit status: 0 when stopped by SIGTERM or SIGINT, 1 on a runtime\n"
"error, 2 on a usage error.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "spdm-mitm: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see --help)\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "upstream",	required_argument, NULL, 'u' },
		{ "port",	required_argument, NULL, 'p' },
		{ "port-file",	required_argument, NULL, 'P' },
		{ "seed",	required_argument, NULL, 's' },
		{ "rate",	required_argument, NULL, 'r' },
		{ "mode",	required_argument, NULL, 'm' },
		{ "codes",	required_argument, NULL, 'c' },
		{ "control",	required_argument, NULL, 'C' },
		{ "log",	required_argument, NULL, 'l' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{}
	};
	char buf[600], *end;
	bool seeded = false;
	unsigned long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->policy.mode = MITM_ON;
	mitm_parse_rate("1/4", &o->policy);
	while ((c = getopt_long(argc, argv, "u:p:P:s:r:m:c:C:l:vh", lo,
				NULL)) != -1) {
		switch (c) {
		case 'u':
			o->upstream = optarg;
			break;
		case 'p':
			v = strtoul(optarg, &end, 10);
			if (end == optarg || *end || v > 65535)
				return usage_error("bad port '%s'", optarg);
			o->port = v;
			break;
		case 'P':
			o->port_file = optarg;
			break;
		case 's':
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (end == optarg || *end || errno)
				return usage_error("bad seed '%s'", optarg);
			seeded = true;
			break;
		case 'r':
			if (mitm_parse_rate(optarg, &o->policy))
				return usage_error("bad rate '%s'", optarg);
			break;
		case 'm':
			if (strchr(optarg, ' ') ||
			    mitm_parse_policy(optarg, &o->policy))
				return usage_error("bad mode '%s'", optarg);
			break;
		case 'c':
			snprintf(buf, sizeof(buf), "%s codes=%s",
				 mitm_mode_name(o->policy.mode), optarg);
			if (mitm_parse_policy(buf, &o->policy))
				return usage_error("bad code list '%s'",
						   optarg);
			break;
		case 'C':
			o->control = optarg;
			break;
		case 'l':
			o->log = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return 2;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (!o->upstream)
		return usage_error("%s", "--upstream HOST:PORT is required");
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = ((uint64_t)ts.tv_sec << 20) ^ ts.tv_nsec ^
			  ((uint64_t)getpid() << 40);
	}
	return 0;
}

static void set_opt(int fd, int level, int name, int val)
{
	setsockopt(fd, level, name, &val, sizeof(val));
}

/*
 * QEMU writes a frame in pieces without TCP_NODELAY: both sockets get
 * TCP_NODELAY, and TCP_QUICKACK is re-armed after every read, or every
 * exchange waits for a delayed ACK.
 */
static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR) {
			if (stop)
				return -EINTR;
			continue;
		}
		if (n < 0)
			return -errno;
		if (!n)
			return -ENOTCONN;
		set_opt(fd, IPPROTO_TCP, TCP_QUICKACK, 1);
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR && !stop)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* One whole frame; the payload buffer has room for a mutation to grow. */
static int read_frame(int fd, struct frame *f)
{
	uint8_t hdr[SOCK_HDR_LEN];
	size_t need;
	uint8_t *p;
	int ret;

	ret = read_full(fd, hdr, sizeof(hdr));
	if (ret)
		return ret;
	f->command = be32(hdr);
	f->transport = be32(hdr + 4);
	f->size = be32(hdr + 8);
	if (f->size > MAX_FRAME)
		return -EMSGSIZE;
	need = f->size > MITM_MAX_PAYLOAD ? f->size : MITM_MAX_PAYLOAD;
	if (need > f->cap) {
		p = realloc(f->payload, need);
		if (!p)
			return -ENOMEM;
		f->payload = p;
		f->cap = need;
	}
	return read_full(fd, f->payload, f->size);
}

static int write_frame(int fd, const struct frame *f)
{
	uint8_t hdr[SOCK_HDR_LEN];
	int ret;

	put_be32(hdr, f->command);
	put_be32(hdr + 4, f->transport);
	put_be32(hdr + 8, f->size);
	ret = write_full(fd, hdr, sizeof(hdr));
	return ret ?: write_full(fd, f->payload, f->size);
}

static int listen_on(unsigned int port, unsigned int *bound)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t len = sizeof(sa);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	set_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

static int connect_upstream(const char *spec)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char host[256];
	const char *colon = strrchr(spec, ':');
	int fd = -ECONNREFUSED;

	if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof(host))
		return -EINVAL;
	memcpy(host, spec, colon - spec);
	host[colon - spec] = '\0';
	if (getaddrinfo(host, colon + 1, &hints, &res))
		return -EINVAL;
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			fd = -errno;
			continue;
		}
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
			break;
		close(fd);
		fd = -errno;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		set_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	return fd;
}

static int write_port_file(const char *path, unsigned int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "%u\n", port);
	if (fclose(f) || rename(tmp, path))
		return -errno;
	return 0;
}

/* The policy for the next response: the control file's, if it says one. */
static void current_policy(const struct opts *o, struct mitm_policy *p)
{
	static char last_bad[512];
	char buf[512];
	ssize_t n;
	int fd, ret;

	*p = o->policy;
	if (!o->control)
		return;
	fd = open(o->control, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	ret = mitm_parse_policy(buf, p);
	if (ret == -EINVAL && strcmp(buf, last_bad)) {
		fprintf(stderr, "spdm-mitm: control file %s: cannot parse '%s'; using the command line's mode\n",
			o->control, buf);
		strcpy(last_bad, buf);
	}
	if (ret)
		*p = o->policy;
}

static void code_str(char *buf, size_t len, unsigned int code)
{
	if (code == MITM_CODE_SECURED)
		snprintf(buf, len, "sec");
	else if (code > 0xff)
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "0x%02x", code);
}

static void log_event(const struct mitm_event *ev)
{
	char req[8], rsp[8];

	stat_mutated++;
	stat_kind[ev->kind]++;
	if (!logf)
		return;
	code_str(req, sizeof(req), ev->req_code);
	code_str(rsp, sizeof(rsp), ev->rsp_code);
	fprintf(logf,
		"%" PRIu64 " req=%s rsp=%s doe=%u kind=%s off=%zu len=%zu>%zu signed=%d sigrsp=%d\n",
		ev->seq, req, rsp, ev->type, mitm_kind_name(ev->kind),
		ev->off, ev->len_before, ev->len_after, ev->signed_hit,
		ev->signed_rsp);
	fflush(logf);
}

/* Relay one connection until either side closes it. */
static int relay(const struct opts *o, int dfd, int ufd, uint64_t seed)
{
	struct pollfd pfd[2] = {
		{ .fd = dfd, .events = POLLIN },
		{ .fd = ufd, .events = POLLIN },
	};
	struct frame f = {};
	struct mitm_conn conn;
	struct mitm_policy pol;
	struct mitm_event ev;
	size_t new_len;
	int ret = 0;

	mitm_conn_init(&conn, seed);
	while (!stop) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (pfd[0].revents) {
			ret = read_frame(dfd, &f);
			if (ret)
				break;
			if (f.command == SOCK_CMD_NORMAL &&
			    f.transport == SOCK_TRANSPORT_PCI_DOE)
				mitm_note_request(&conn, f.payload, f.size);
			ret = write_frame(ufd, &f);
			if (ret)
				break;
		}
		if (pfd[1].revents) {
			ret = read_frame(ufd, &f);
			if (ret)
				break;
			if (f.command == SOCK_CMD_NORMAL &&
			    f.transport == SOCK_TRANSPORT_PCI_DOE && f.size) {
				stat_seen++;
				current_policy(o, &pol);
				if (mitm_mutate(&conn, &pol, f.payload, f.size,
						f.cap, &new_len, &ev)) {
					log_event(&ev);
					f.size = new_len;
				} else if (o->verbose) {
					fprintf(stderr, "spdm-mitm: response %" PRIu64 " passed (%s)\n",
						conn.seq, mitm_mode_name(pol.mode));
				}
			}
			ret = write_frame(dfd, &f);
			if (ret)
				break;
		}
	}
	mitm_conn_free(&conn);
	free(f.payload);
	return ret == -ENOTCONN || ret == -EINTR ? 0 : ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int port = 0, nconn = 0, k;
	int lfd, dfd, ufd, ret, err;
	struct opts o;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (o.log) {
		logf = fopen(o.log, "a");
		if (!logf) {
			fprintf(stderr, "spdm-mitm: cannot open %s: %s\n",
				o.log, strerror(errno));
			return 1;
		}
		fprintf(logf, "# spdm-mitm seed=%" PRIu64 " upstream=%s\n",
			o.seed, o.upstream);
		fflush(logf);
	}
	lfd = listen_on(o.port, &port);
	if (lfd < 0) {
		fprintf(stderr, "spdm-mitm: cannot listen on port %u: %s\n",
			o.port, strerror(-lfd));
		return 1;
	}
	printf("spdm-mitm: seed %" PRIu64 ", listening on 127.0.0.1:%u, upstream %s, mode %s\n",
	       o.seed, port, o.upstream, mitm_mode_name(o.policy.mode));
	fflush(stdout);
	if (o.port_file) {
		ret = write_port_file(o.port_file, port);
		if (ret) {
			fprintf(stderr, "spdm-mitm: cannot write %s: %s\n",
				o.port_file, strerror(-ret));
			return 1;
		}
	}

	ret = 0;
	while (!stop) {
		dfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (dfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "spdm-mitm: accept: %s\n",
				strerror(errno));
			ret = 1;
			break;
		}
		set_opt(dfd, IPPROTO_TCP, TCP_NODELAY, 1);
		ufd = connect_upstream(o.upstream);
		if (ufd < 0) {
			fprintf(stderr, "spdm-mitm: cannot connect to %s: %s\n",
				o.upstream, strerror(-ufd));
			close(dfd);
			continue;
		}
		/* each connection its own sequence, the first one the seed's */
		err = relay(&o, dfd, ufd, o.seed + nconn++);
		if (err)
			fprintf(stderr, "spdm-mitm: connection %u: %s\n",
				nconn, strerror(-err));
		close(ufd);
		close(dfd);
	}
	close(lfd);

	printf("spdm-mitm: %" PRIu64 " responses, %" PRIu64 " mutated",
	       stat_seen, stat_mutated);
	for (k = 0; k < MK_NR; k++)
		if (stat_kind[k])
			printf(", %s %" PRIu64, mitm_kind_name(k), stat_kind[k]);
	printf("\n");
	if (logf)
		fclose(logf);
	return ret;
}
