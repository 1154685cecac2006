// SPDX-License-Identifier: GPL-2.0
/*
 * Growable byte buffer used for every message the responder builds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

void msg_init(struct msg *m)
{
	m->data = NULL;
	m->len = 0;
	m->cap = 0;
}

void msg_free(struct msg *m)
{
	free(m->data);
	msg_init(m);
}

void msg_reset(struct msg *m)
{
	m->len = 0;
}

/* Make room for @extra more bytes; returns 0 or -ENOMEM. */
int msg_reserve(struct msg *m, size_t extra)
{
	size_t want, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - m->len)
		return -ENOMEM;
	want = m->len + extra;
	if (want <= m->cap)
		return 0;
	cap = m->cap ? m->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	p = realloc(m->data, cap);
	if (!p)
		return -ENOMEM;
	m->data = p;
	m->cap = cap;
	return 0;
}

int msg_put(struct msg *m, const void *data, size_t len)
{
	int ret = msg_reserve(m, len);

	if (ret)
		return ret;
	if (len)
		memcpy(m->data + m->len, data, len);
	m->len += len;
	return 0;
}

int msg_put_u8(struct msg *m, uint8_t v)
{
	return msg_put(m, &v, 1);
}

int msg_put_le16(struct msg *m, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };

	return msg_put(m, b, sizeof(b));
}

int msg_put_fill(struct msg *m, uint8_t byte, size_t len)
{
	int ret = msg_reserve(m, len);

	if (ret)
		return ret;
	memset(m->data + m->len, byte, len);
	m->len += len;
	return 0;
}

/* Exchange the contents of @a and @b (no copy). */
void msg_swap(struct msg *a, struct msg *b)
{
	struct msg t = *a;

	*a = *b;
	*b = t;
}
