/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Growable byte buffer used for every message the responder builds.
 */
#ifndef SPDM_RESPONDER_MSG_H
#define SPDM_RESPONDER_MSG_H

#include <stddef.h>
#include <stdint.h>

struct msg {
	uint8_t *data;
	size_t len;
	size_t cap;
};

void msg_init(struct msg *m);
void msg_free(struct msg *m);
void msg_reset(struct msg *m);
int msg_reserve(struct msg *m, size_t extra);
int msg_put(struct msg *m, const void *data, size_t len);
int msg_put_u8(struct msg *m, uint8_t v);
int msg_put_le16(struct msg *m, uint16_t v);
int msg_put_fill(struct msg *m, uint8_t byte, size_t len);
void msg_swap(struct msg *a, struct msg *b);

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

#endif /* SPDM_RESPONDER_MSG_H */
