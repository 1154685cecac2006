/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP side of the responder: listeners (one per device), connections and
 * the single-threaded poll loop.
 */
#ifndef SPDM_RESPONDER_SERVER_H
#define SPDM_RESPONDER_SERVER_H

#include <stddef.h>

#include "socket.h"
#include "spdm.h"

#define SERVER_MAX_CONNS	64

struct listener {
	int fd;
	struct spdm_device *dev;
};

struct conn;

struct server {
	struct listener *listeners;
	unsigned int nr_listeners;
	struct conn *conns[SERVER_MAX_CONNS];
	unsigned int nr_conns;
	unsigned int next_id;
	size_t max_payload;
};

int server_signals_init(void);
int server_init(struct server *s, size_t max_payload, unsigned int nr);
int server_listen(struct server *s, const char *address, unsigned int port,
		  struct spdm_device *dev);
int server_run(struct server *s);
void server_close(struct server *s);

#endif /* SPDM_RESPONDER_SERVER_H */
