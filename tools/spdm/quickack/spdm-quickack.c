// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-quickack.so: an LD_PRELOAD helper for SPDM socket responders that
 * do not tune their TCP connection (DMTF spdm-emu among them).
 *
 * QEMU's spdm-socket client writes every frame in several small pieces
 * without TCP_NODELAY, so it holds each piece back (Nagle) until the
 * previous one is acknowledged; a peer that delays its ACKs then costs
 * about 40 ms per DOE exchange.  After every successful receive on a TCP
 * socket this re-arms TCP_QUICKACK (the kernel clears it on its own) and
 * sets TCP_NODELAY, so the peer acknowledges at once and sends its own
 * pieces without waiting.  It changes nothing in what is sent.
 *
 *   LD_PRELOAD=/path/to/spdm-quickack.so spdm_responder_emu --trans PCI_DOE
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static void tune(int fd)
{
	int saved = errno, one = 1, type;
	socklen_t len = sizeof(type);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
	    type == SOCK_STREAM) {
		setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
	errno = saved;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	static __typeof__(&recv) real;
	ssize_t n;

	if (!real)
		real = NEXT(recv);
	n = real(fd, buf, len, flags);
	if (n > 0)
		tune(fd);
	return n;
}

ssize_t read(int fd, void *buf, size_t len)
{
	static __typeof__(&read) real;
	ssize_t n;

	if (!real)
		real = NEXT(read);
	n = real(fd, buf, len);
	if (n > 0)
		tune(fd);
	return n;
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
		 struct sockaddr *addr, socklen_t *alen)
{
	static __typeof__(&recvfrom) real;
	ssize_t n;

	if (!real)
		real = NEXT(recvfrom);
	n = real(fd, buf, len, flags, addr, alen);
	if (n > 0)
		tune(fd);
	return n;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static __typeof__(&recvmsg) real;
	ssize_t n;

	if (!real)
		real = NEXT(recvmsg);
	n = real(fd, msg, flags);
	if (n > 0)
		tune(fd);
	return n;
}
