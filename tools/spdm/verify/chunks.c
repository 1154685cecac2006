// SPDX-License-Identifier: GPL-2.0
/*
 * Strict reassembly of an object that arrives in chunks (offset,
 * total-len, data): no chunk beyond the total, no overlaps, no gaps.
 */
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

int sv_chunks_add(struct sv_chunks *c, uint32_t off, uint32_t total,
		  const void *data, size_t len, char *err, size_t errlen)
{
	struct sv_piece *p;
	size_t i;

	if (!c->started) {
		if (total > SV_MAX_OBJECT)
			return sv_errf(err, errlen,
				       "total-len %u exceeds %u", total,
				       SV_MAX_OBJECT);
		c->data = malloc(total ? total : 1);
		if (!c->data)
			return sv_errf(err, errlen, "out of memory");
		c->total = total;
		c->started = true;
	} else if (total != c->total) {
		return sv_errf(err, errlen,
			       "total-len %u in a chunk, %u in an earlier one",
			       total, c->total);
	}
	if (!len && (total || c->n))
		return sv_errf(err, errlen, "empty chunk at offset %u", off);
	if (off > total || len > total - off)
		return sv_errf(err, errlen,
			       "chunk of %zu bytes at offset %u beyond total-len %u",
			       len, off, total);
	for (i = 0; i < c->n; i++)
		if (off < c->pieces[i].off + c->pieces[i].len &&
		    c->pieces[i].off < off + len)
			return sv_errf(err, errlen,
				       "chunk at offset %u (%zu bytes) overlaps the one at %u (%u bytes)",
				       off, len, c->pieces[i].off,
				       c->pieces[i].len);
	if (c->n == c->cap) {
		p = realloc(c->pieces, (c->cap ? 2 * c->cap : 8) * sizeof(*p));
		if (!p)
			return sv_errf(err, errlen, "out of memory");
		c->pieces = p;
		c->cap = c->cap ? 2 * c->cap : 8;
	}
	c->pieces[c->n].off = off;
	c->pieces[c->n++].len = len;
	memcpy(c->data + off, data, len);
	c->got += len;
	return 0;
}

/* Hand the complete object to @out; fails on gaps. */
int sv_chunks_finish(struct sv_chunks *c, struct sv_buf *out, char *err,
		     size_t errlen)
{
	uint32_t pos = 0;
	size_t i;
	bool found;

	if (!c->started)
		return sv_errf(err, errlen, "no chunks");
	if (c->got != c->total) {
		/* no overlaps: the first uncovered byte is the gap */
		do {
			found = false;
			for (i = 0; i < c->n; i++)
				if (c->pieces[i].off == pos && c->pieces[i].len) {
					pos += c->pieces[i].len;
					found = true;
				}
		} while (found);
		return sv_errf(err, errlen,
			       "%zu of %u bytes received, missing from offset %u",
			       c->got, c->total, pos);
	}
	sv_buf_free(out);
	out->data = c->data;
	out->len = c->total;
	c->data = NULL;
	sv_chunks_free(c);
	return 0;
}

void sv_chunks_free(struct sv_chunks *c)
{
	free(c->data);
	free(c->pieces);
	memset(c, 0, sizeof(*c));
}
