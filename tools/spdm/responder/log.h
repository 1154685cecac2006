/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Logging to stderr: one line per event, hex dumps with --verbose.
 */
#ifndef SPDM_RESPONDER_LOG_H
#define SPDM_RESPONDER_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_level {
	LOG_QUIET,	/* nothing (unit tests) */
	LOG_NORMAL,	/* start-up, connections, rejections */
	LOG_VERBOSE,	/* plus every message in hex */
};

extern enum log_level log_level;

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

void log_msg(const char *fmt, ...) __printf(1, 2);
void log_hex(const char *what, const uint8_t *buf, size_t len);

#endif /* SPDM_RESPONDER_LOG_H */
