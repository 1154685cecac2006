// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to stderr: one line per event, hex dumps with --verbose.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

#define HEX_PER_LINE	32
#define HEX_MAX		4096	/* longer messages are shown cut */

enum log_level log_level = LOG_NORMAL;

void log_msg(const char *fmt, ...)
{
	va_list ap;

	if (log_level == LOG_QUIET)
		return;
	va_start(ap, fmt);
	fputs("spdm-responder: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* Dump @buf after a header line "@what (N bytes)"; only with --verbose. */
void log_hex(const char *what, const uint8_t *buf, size_t len)
{
	size_t i, shown = len > HEX_MAX ? HEX_MAX : len;

	if (log_level < LOG_VERBOSE)
		return;
	fprintf(stderr, "spdm-responder: %s (%zu bytes)\n", what, len);
	for (i = 0; i < shown; i++) {
		if (i % HEX_PER_LINE == 0)
			fputs("   ", stderr);
		fprintf(stderr, " %02x", buf[i]);
		if (i % HEX_PER_LINE == HEX_PER_LINE - 1 || i + 1 == shown)
			fputc('\n', stderr);
	}
	if (shown < len)
		fprintf(stderr, "    ... %zu more bytes\n", len - shown);
}
