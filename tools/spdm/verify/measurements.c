// SPDX-License-Identifier: GPL-2.0
/*
 * Measurement blocks of a MEASUREMENTS response (DSP0274 "Measurement
 * block format", DMTF measurement specification) and the --expect file
 * of known-good values they are compared with.
 *
 * Block: Index (1), MeasurementSpecification (1), MeasurementSize (2),
 * Measurement; in the DMTF format the Measurement is
 * DMTFSpecMeasurementValueType (1: bit 7 raw bit stream, else digest;
 * bits 6:0 what is measured), DMTFSpecMeasurementValueSize (2), Value.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

#define BLOCK_HDR_LEN		4
#define DMTF_HDR_LEN		3
#define EXPECT_LINE_MAX		(2 * 65536 + 256)

static int __sv_printf(3, 4) fail(char *err, size_t errlen,
				  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

const char *sv_meas_type_name(uint8_t type)
{
	static const char *const names[] = {
		"immutable-rom", "mutable-firmware", "hardware-config",
		"firmware-config", "freeform-manifest", "device-mode",
		"firmware-version", "security-version", "hash-extended",
		"informational", "structured-manifest",
	};

	type &= 0x7f;
	return type < SV_ARRAY_SIZE(names) ? names[type] : "reserved";
}

/**
 * sv_blocks_parse() - split a MeasurementRecord into its blocks
 * @t: the transcript
 * @m: the MEASUREMENTS whose record to split
 * @msg: the number of @m, recorded in each block
 * @out: receives the blocks after the *@n already there
 * @n: number of blocks in @out
 * @max: room in @out
 * @err: receives the first defect
 * @errlen: size of @err
 *
 * Each block's header and size must fit the record and the blocks must
 * fill it exactly; a DMTF block's value size must be its size less the
 * DMTF header; there must be NumberOfBlocks blocks.  Semantics (indices,
 * digest sizes) are for the caller.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_blocks_parse(const uint8_t *t, const struct sv_meas_msg *m,
		    unsigned int msg, struct sv_block *out, unsigned int *n,
		    unsigned int max, char *err, size_t errlen)
{
	const uint8_t *rec = t + m->record;
	size_t off = 0, size, vsize;
	unsigned int count = 0;
	struct sv_block *b;

	while (off < m->record_len) {
		if (m->record_len - off < BLOCK_HDR_LEN)
			return fail(err, errlen,
				    "MEASUREMENTS at %zu: %zu bytes at the end of the record are no block header",
				    m->rsp, m->record_len - off);
		size = le16(rec + off + 2);
		if (size > m->record_len - off - BLOCK_HDR_LEN)
			return fail(err, errlen,
				    "MEASUREMENTS at %zu: block %u (index %u) has MeasurementSize %zu, the record only %zu more bytes",
				    m->rsp, count + 1, rec[off],
				    size, m->record_len - off - BLOCK_HDR_LEN);
		if (*n == max)
			return fail(err, errlen, "more than %u blocks", max);
		b = &out[(*n)++];
		memset(b, 0, sizeof(*b));
		b->index = rec[off];
		b->spec = rec[off + 1];
		b->msg = msg;
		b->dmtf = b->spec == SV_MEAS_SPEC_DMTF;
		b->value = m->record + off + BLOCK_HDR_LEN;
		b->value_len = size;
		if (b->dmtf) {
			if (size < DMTF_HDR_LEN)
				return fail(err, errlen,
					    "index %u: DMTF measurement of %zu bytes, shorter than its header",
					    b->index, size);
			vsize = le16(rec + off + BLOCK_HDR_LEN + 1);
			if (vsize != size - DMTF_HDR_LEN)
				return fail(err, errlen,
					    "index %u: DMTFSpecMeasurementValueSize %zu, MeasurementSize %zu (must be 3 more)",
					    b->index, vsize, size);
			b->type = rec[off + BLOCK_HDR_LEN];
			b->value += DMTF_HDR_LEN;
			b->value_len = vsize;
		}
		off += BLOCK_HDR_LEN + size;
		count++;
	}
	if (count != m->nr_blocks)
		return fail(err, errlen,
			    "MEASUREMENTS at %zu: NumberOfBlocks %u, the record holds %u",
			    m->rsp, m->nr_blocks, count);
	return 0;
}

/* ---- --expect ------------------------------------------------------------- */

void sv_expect_free(struct sv_expect *x)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		free(x->e[i].value);
	x->n = 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One "INDEX HEX [# comment]" line (comments and blanks already gone). */
static int expect_line(struct sv_expect *x, char *s, unsigned int line,
		       char *err, size_t errlen)
{
	struct sv_expect_entry *e;
	char *end, *hex;
	unsigned long idx;
	size_t len, i;

	errno = 0;
	idx = strtoul(s, &end, 10);
	if (errno || end == s || (*end != ' ' && *end != '\t') || idx < 1 ||
	    idx > SV_MAX_MEAS_REQ || *s == '-' || *s == '+')
		return fail(err, errlen,
			    "line %u: expected \"INDEX HEX\" with INDEX 1-%u",
			    line, SV_MAX_MEAS_REQ);
	hex = end + strspn(end, " \t");
	len = strcspn(hex, " \t");
	if (hex[len + strspn(hex + len, " \t")])
		return fail(err, errlen, "line %u: more than INDEX and HEX",
			    line);
	if (!len || len % 2)
		return fail(err, errlen,
			    "line %u: the value is not an even number of hex digits",
			    line);
	for (i = 0; i < x->n; i++)
		if (x->e[i].index == idx)
			return fail(err, errlen, "line %u: index %lu again",
				    line, idx);
	e = &x->e[x->n];
	e->value = malloc(len / 2);
	if (!e->value)
		return fail(err, errlen, "out of memory");
	for (i = 0; i < len / 2; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(e->value);
			return fail(err, errlen, "line %u: not hex: \"%.*s\"",
				    line, (int)len, hex);
		}
		e->value[i] = hi << 4 | lo;
	}
	e->index = idx;
	e->len = len / 2;
	x->n++;
	return 0;
}

/**
 * sv_expect_read() - read a file of expected measurement values
 * @path: the file: one "INDEX HEX" per line, "#" starts a comment
 * @x: receives the values
 * @err: receives why the file cannot be used
 * @errlen: size of @err
 *
 * Return: 0, or -1 with @err set (nothing kept).
 */
int sv_expect_read(const char *path, struct sv_expect *x, char *err,
		   size_t errlen)
{
	char *buf = NULL, *s, why[256];
	unsigned int line = 0;
	size_t cap = 0;
	ssize_t got;
	FILE *f;

	memset(x, 0, sizeof(*x));
	f = fopen(path, "r");
	if (!f)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	while ((got = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (got > EXPECT_LINE_MAX) {
			fail(why, sizeof(why), "line %u too long", line);
			goto bad;
		}
		buf[strcspn(buf, "#\r\n")] = 0;
		s = buf + strspn(buf, " \t");
		if (!*s)
			continue;
		if (x->n == SV_MAX_MEAS_REQ) {
			fail(why, sizeof(why), "line %u: more than %u indices",
			     line, SV_MAX_MEAS_REQ);
			goto bad;
		}
		if (expect_line(x, s, line, why, sizeof(why)))
			goto bad;
	}
	if (ferror(f)) {
		fail(why, sizeof(why), "read error");
		goto bad;
	}
	free(buf);
	fclose(f);
	if (!x->n)
		return fail(err, errlen, "%s: no \"INDEX HEX\" lines", path);
	return 0;
bad:
	free(buf);
	fclose(f);
	sv_expect_free(x);
	return fail(err, errlen, "%s: %s", path, why);
}
