// SPDX-License-Identifier: GPL-2.0
/*
 * Byte buffers, error messages, and the base64 (RFC 4648) and hex codecs
 * of evidence bundles and the command line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void sv_buf_free(struct sv_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

int sv_buf_set(struct sv_buf *b, const void *data, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		return -1;
	if (len)
		memcpy(p, data, len);
	free(b->data);
	b->data = p;
	b->len = len;
	return 0;
}

int sv_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int sv_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ---- base64 (RFC 4648, with padding) and hex ------------------------------ */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t sv_b64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void sv_b64_encode(const uint8_t *p, size_t n, char *out)
{
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = b64[v & 63];
	}
	if (n - i == 1) {
		v = p[i] << 16;
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = '=';
		*out++ = '=';
	} else if (n - i == 2) {
		v = p[i] << 16 | p[i + 1] << 8;
		*out++ = b64[v >> 18];
		*out++ = b64[(v >> 12) & 63];
		*out++ = b64[(v >> 6) & 63];
		*out++ = '=';
	}
	*out = 0;
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? p - b64 : -1;
}

/* Strict: canonical padding, no whitespace, unused bits zero. */
int sv_b64_decode(const char *s, size_t len, struct sv_buf *out)
{
	size_t i, n = 0, pad = 0;
	uint32_t v;
	int d[4], k;
	uint8_t *o;

	out->data = NULL;
	out->len = 0;
	if (len % 4)
		return -1;
	if (len && s[len - 1] == '=')
		pad = len >= 2 && s[len - 2] == '=' ? 2 : 1;
	o = malloc(len / 4 * 3 + 1);
	if (!o)
		return -1;
	for (i = 0; i < len; i += 4) {
		for (k = 0; k < 4; k++) {
			if (i + 4 == len && k >= 4 - (int)pad) {
				d[k] = 0;
				continue;
			}
			d[k] = b64val(s[i + k]);
			if (d[k] < 0)
				goto fail;
		}
		v = d[0] << 18 | d[1] << 12 | d[2] << 6 | d[3];
		o[n++] = v >> 16;
		if (i + 4 < len || pad < 2)
			o[n++] = v >> 8;
		if (i + 4 < len || pad < 1)
			o[n++] = v;
		if (i + 4 == len && ((pad == 1 && (v & 0xff)) ||
				     (pad == 2 && (v & 0xffff))))
			goto fail;
	}
	out->data = o;
	out->len = n;
	return 0;
fail:
	free(o);
	return -1;
}

int sv_hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	int hi, lo;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		hi = sv_hexval(s[2 * i]);
		lo = sv_hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

void sv_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		*out++ = digits[p[i] >> 4];
		*out++ = digits[p[i] & 15];
	}
	*out = 0;
}
