// SPDX-License-Identifier: GPL-2.0
/*
 * TCP side of the responder: listeners (one per device), connections and
 * the single-threaded poll loop.
 *
 * Every connection has its own receive state machine and output buffer;
 * a connection that misbehaves is closed and nothing else is affected.
 * Latency: QEMU writes each frame in several small pieces without
 * TCP_NODELAY, so accepted sockets get TCP_NODELAY and TCP_QUICKACK is
 * re-armed after every read (the kernel clears it again); otherwise Nagle
 * and delayed ACKs cost ~44 ms per DOE exchange instead of ~0.25 ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "server.h"

#define LISTEN_BACKLOG	8

enum conn_state {
	CONN_READING,		/* collecting a request frame */
	CONN_DELAYED,		/* reply held back until @due */
	CONN_WRITING,		/* sending @out */
};

struct conn {
	int fd;
	unsigned int id;
	struct spdm_device *dev;
	enum conn_state state;
	struct sock_rx rx;
	struct msg out;
	size_t out_done;
	bool close_after;
	bool dead;
	struct timespec due;
};

static volatile sig_atomic_t stop_signal;
static sigset_t run_mask;	/* signal mask while waiting in ppoll() */

static void on_signal(int sig)
{
	stop_signal = sig;
}

/*
 * SIGTERM and SIGINT stay blocked except inside ppoll(), so a signal can
 * never slip in between checking the flag and going to sleep.
 */
int server_signals_init(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	if (sigprocmask(SIG_BLOCK, &block, &run_mask))
		return -errno;
	sigdelset(&run_mask, SIGTERM);
	sigdelset(&run_mask, SIGINT);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

int server_init(struct server *s, size_t max_payload, unsigned int nr)
{
	memset(s, 0, sizeof(*s));
	s->max_payload = max_payload;
	s->listeners = calloc(nr, sizeof(*s->listeners));
	return s->listeners ? 0 : -ENOMEM;
}

static void set_int_opt(int fd, int level, int name, int val)
{
	setsockopt(fd, level, name, &val, sizeof(val));
}

static int try_listen(const struct addrinfo *ai)
{
	int fd, err;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return -errno;
	set_int_opt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) ||
	    listen(fd, LISTEN_BACKLOG)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static unsigned int local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Listen on @address:@port (0: any free port) for @dev. */
int server_listen(struct server *s, const char *address, unsigned int port,
		  struct spdm_device *dev)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	struct addrinfo *res, *ai;
	char service[8];
	int fd = -EADDRNOTAVAIL, err;

	snprintf(service, sizeof(service), "%u", port);
	err = getaddrinfo(address, service, &hints, &res);
	if (err) {
		log_msg("cannot resolve listen address '%s': %s", address,
			gai_strerror(err));
		return -EINVAL;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = try_listen(ai);
		if (fd >= 0)
			break;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		log_msg("cannot listen on %s port %u: %s", address, port,
			strerror(-fd));
		return fd;
	}
	dev->port = local_port(fd);
	s->listeners[s->nr_listeners].fd = fd;
	s->listeners[s->nr_listeners].dev = dev;
	s->nr_listeners++;
	return 0;
}

static void log_frame(const struct conn *c, const char *dir,
		      const uint8_t *hdr_buf, const uint8_t *payload)
{
	struct sock_hdr h;
	char what[160];

	if (log_level < LOG_VERBOSE)
		return;
	sock_hdr_parse(hdr_buf, &h);
	snprintf(what, sizeof(what),
		 "port %u conn %u %s: %s (0x%04x) transport %s (%u), payload",
		 c->dev->port, c->id, dir, sock_cmd_name(h.command), h.command,
		 sock_transport_name(h.transport), h.transport);
	log_hex(what, payload, h.size);
}

static void conn_close(struct conn *c)
{
	if (c->dead)
		return;
	close(c->fd);
	c->dead = true;
}

static void conn_free(struct conn *c)
{
	sock_rx_next(&c->rx);
	msg_free(&c->out);
	free(c);
}

static void conn_write(struct conn *c)
{
	ssize_t n;

	while (c->out_done < c->out.len) {
		n = send(c->fd, c->out.data + c->out_done,
			 c->out.len - c->out_done, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			if (!c->close_after)
				log_msg("port %u conn %u: send failed: %s; closing",
					c->dev->port, c->id, strerror(errno));
			conn_close(c);
			return;
		}
		c->out_done += n;
	}
	msg_reset(&c->out);
	c->out_done = 0;
	c->state = CONN_READING;
	if (c->close_after) {
		log_msg("port %u conn %u: closed after SHUTDOWN/CONTINUE",
			c->dev->port, c->id);
		conn_close(c);
	}
}

static void conn_start_write(struct conn *c)
{
	if (c->out.len >= SOCK_HDR_LEN)
		log_frame(c, "tx", c->out.data, c->out.data + SOCK_HDR_LEN);
	c->state = CONN_WRITING;
	c->out_done = 0;
	conn_write(c);
}

static void timespec_add_ms(struct timespec *t, unsigned int ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (long)(ms % 1000) * 1000000;
	if (t->tv_nsec >= 1000000000) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000;
	}
}

static void conn_frame(struct conn *c)
{
	struct sock_reply r;
	int ret;

	log_frame(c, "rx", c->rx.hdr_buf, c->rx.payload);
	sock_reply_init(&r);
	ret = sock_handle(c->dev, &c->rx.hdr, c->rx.payload, &r);
	sock_rx_next(&c->rx);
	if (ret) {
		log_msg("port %u conn %u: cannot build a reply: %s; closing",
			c->dev->port, c->id, strerror(-ret));
		conn_close(c);
	} else if (r.act.drop) {
		conn_close(c);
	} else {
		msg_free(&c->out);
		c->out = r.out;
		msg_init(&r.out);
		c->close_after = r.close_after;
		if (r.act.delay_ms) {
			c->state = CONN_DELAYED;
			clock_gettime(CLOCK_MONOTONIC, &c->due);
			timespec_add_ms(&c->due, r.act.delay_ms);
		} else {
			conn_start_write(c);
		}
	}
	sock_reply_free(&r);
}

static void conn_eof(struct conn *c)
{
	const struct sock_rx *rx = &c->rx;

	if (rx->state == SOCK_RX_HEADER && rx->have)
		log_msg("port %u conn %u: rejected frame: peer closed after %zu of %d header bytes",
			c->dev->port, c->id, rx->have, SOCK_HDR_LEN);
	else if (rx->state == SOCK_RX_PAYLOAD)
		log_msg("port %u conn %u: rejected frame: size field says %u bytes, peer closed after %zu",
			c->dev->port, c->id, rx->hdr.size, rx->have);
	else
		log_msg("port %u conn %u: closed by peer", c->dev->port, c->id);
	conn_close(c);
}

static void conn_rx_failed(struct conn *c, enum sock_rx_status st,
			   size_t max_payload)
{
	if (st == SOCK_RX_TOO_BIG)
		log_msg("port %u conn %u: rejected %s frame: payload size %u over the limit %zu; closing",
			c->dev->port, c->id, sock_cmd_name(c->rx.hdr.command),
			c->rx.hdr.size, max_payload);
	else
		log_msg("port %u conn %u: no memory for a %u-byte payload; closing",
			c->dev->port, c->id, c->rx.hdr.size);
	conn_close(c);
}

/* Read what the current frame still needs; handle it once complete. */
static void conn_read(struct server *s, struct conn *c)
{
	enum sock_rx_status st;
	uint8_t *where;
	size_t want;
	ssize_t n;

	while ((want = sock_rx_want(&c->rx, &where))) {
		n = recv(c->fd, where, want, 0);
		set_int_opt(c->fd, IPPROTO_TCP, TCP_QUICKACK, 1);
		if (n == 0) {
			conn_eof(c);
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			log_msg("port %u conn %u: receive failed: %s; closing",
				c->dev->port, c->id, strerror(errno));
			conn_close(c);
			return;
		}
		st = sock_rx_got(&c->rx, n);
		if (st == SOCK_RX_READY) {
			conn_frame(c);
			return;
		}
		if (st != SOCK_RX_MORE) {
			conn_rx_failed(c, st, s->max_payload);
			return;
		}
	}
}

static void peer_name(const struct sockaddr_storage *ss, socklen_t len,
		      char *buf, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host),
			serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%s port %s", host, serv);
}

static void server_accept(struct server *s, struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char peer[NI_MAXHOST + NI_MAXSERV + 8];
	struct conn *c;
	int fd;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
		     SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno != EAGAIN && errno != EINTR)
			log_msg("port %u: accept failed: %s", l->dev->port,
				strerror(errno));
		return;
	}
	peer_name(&ss, len, peer, sizeof(peer));
	c = s->nr_conns < SERVER_MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		log_msg("port %u: rejected connection from %s: too many connections",
			l->dev->port, peer);
		close(fd);
		return;
	}
	set_int_opt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
	set_int_opt(fd, IPPROTO_TCP, TCP_QUICKACK, 1);
	c->fd = fd;
	c->id = ++s->next_id;
	c->dev = l->dev;
	sock_rx_init(&c->rx, s->max_payload);
	msg_init(&c->out);
	s->conns[s->nr_conns++] = c;
	log_msg("port %u conn %u: connected from %s", l->dev->port, c->id,
		peer);
}

static int timespec_ms_until(const struct timespec *due,
			     const struct timespec *now)
{
	long long ms;

	ms = (long long)(due->tv_sec - now->tv_sec) * 1000 +
	     (due->tv_nsec - now->tv_nsec + 999999) / 1000000;
	return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

/* Fill @fds; returns the poll timeout in ms (-1: none). */
static int poll_setup(struct server *s, struct pollfd *fds)
{
	struct timespec now;
	unsigned int i, n = s->nr_listeners;
	int timeout = -1, ms;
	struct conn *c;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < s->nr_listeners; i++)
		fds[i] = (struct pollfd){ .fd = s->listeners[i].fd,
					  .events = POLLIN };
	for (i = 0; i < s->nr_conns; i++) {
		c = s->conns[i];
		fds[n + i].fd = c->fd;
		fds[n + i].events = c->state == CONN_READING ? POLLIN :
				    c->state == CONN_WRITING ? POLLOUT : 0;
		if (c->state != CONN_DELAYED)
			continue;
		ms = timespec_ms_until(&c->due, &now);
		if (timeout < 0 || ms < timeout)
			timeout = ms;
	}
	return timeout;
}

static bool due(const struct conn *c, const struct timespec *now)
{
	return now->tv_sec > c->due.tv_sec ||
	       (now->tv_sec == c->due.tv_sec && now->tv_nsec >= c->due.tv_nsec);
}

static void conn_event(struct server *s, struct conn *c, short revents,
		       const struct timespec *now)
{
	if (c->state == CONN_DELAYED && (revents & (POLLHUP | POLLERR))) {
		log_msg("port %u conn %u: peer went away while the reply was delayed",
			c->dev->port, c->id);
		conn_close(c);
	} else if (c->state == CONN_DELAYED && due(c, now)) {
		conn_start_write(c);
	} else if (c->state == CONN_READING &&
		   (revents & (POLLIN | POLLHUP | POLLERR))) {
		conn_read(s, c);
	} else if (c->state == CONN_WRITING &&
		   (revents & (POLLOUT | POLLHUP | POLLERR))) {
		conn_write(c);
	}
}

static void reap_conns(struct server *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->nr_conns; i++) {
		if (s->conns[i]->dead)
			conn_free(s->conns[i]);
		else
			s->conns[n++] = s->conns[i];
	}
	s->nr_conns = n;
}

static int server_poll(struct server *s, struct pollfd *fds)
{
	unsigned int i, nr_conns = s->nr_conns;
	struct timespec ts, now, *tsp = NULL;
	int timeout, n;

	timeout = poll_setup(s, fds);
	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000;
		tsp = &ts;
	}
	n = ppoll(fds, s->nr_listeners + nr_conns, tsp, &run_mask);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < nr_conns; i++)
		conn_event(s, s->conns[i], fds[s->nr_listeners + i].revents,
			   &now);
	reap_conns(s);
	for (i = 0; i < s->nr_listeners; i++)
		if (fds[i].revents & POLLIN)
			server_accept(s, &s->listeners[i]);
	return 0;
}

/* Serve until SIGTERM/SIGINT (returns 0) or a fatal error (negative). */
int server_run(struct server *s)
{
	struct pollfd *fds;
	int ret = 0;

	fds = calloc(s->nr_listeners + SERVER_MAX_CONNS, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	while (!stop_signal && !ret)
		ret = server_poll(s, fds);
	free(fds);
	if (ret)
		log_msg("poll failed: %s", strerror(-ret));
	else
		log_msg("stopping on signal %d (%s)", stop_signal,
			strsignal(stop_signal));
	return ret;
}

void server_close(struct server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_conns; i++) {
		conn_close(s->conns[i]);
		conn_free(s->conns[i]);
	}
	s->nr_conns = 0;
	for (i = 0; i < s->nr_listeners; i++)
		close(s->listeners[i].fd);
	free(s->listeners);
	s->listeners = NULL;
	s->nr_listeners = 0;
}
