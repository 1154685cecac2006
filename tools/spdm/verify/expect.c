// SPDX-License-Identifier: GPL-2.0
/*
 * The --expect file of known-good measurement values: one "INDEX HEX"
 * per line, '#' starting a comment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

#define EXPECT_LINE_MAX		(2 * 65536 + 256)

void sv_expect_free(struct sv_expect *x)
{
	unsigned int i;

	for (i = 0; i < x->n; i++)
		free(x->e[i].value);
	x->n = 0;
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
		return sv_errf(err, errlen,
			       "line %u: expected \"INDEX HEX\" with INDEX 1-%u",
			       line, SV_MAX_MEAS_REQ);
	hex = end + strspn(end, " \t");
	len = strcspn(hex, " \t");
	if (hex[len + strspn(hex + len, " \t")])
		return sv_errf(err, errlen, "line %u: more than INDEX and HEX",
			       line);
	if (!len || len % 2)
		return sv_errf(err, errlen,
			       "line %u: the value is not an even number of hex digits",
			       line);
	for (i = 0; i < x->n; i++)
		if (x->e[i].index == idx)
			return sv_errf(err, errlen, "line %u: index %lu again",
				       line, idx);
	e = &x->e[x->n];
	e->value = malloc(len / 2);
	if (!e->value)
		return sv_errf(err, errlen, "out of memory");
	for (i = 0; i < len / 2; i++) {
		int hi = sv_hexval(hex[2 * i]), lo = sv_hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(e->value);
			return sv_errf(err, errlen, "line %u: not hex: \"%.*s\"",
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
		return sv_errf(err, errlen, "%s: %s", path, strerror(errno));
	while ((got = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (got > EXPECT_LINE_MAX) {
			sv_errf(why, sizeof(why), "line %u too long", line);
			goto bad;
		}
		buf[strcspn(buf, "#\r\n")] = 0;
		s = buf + strspn(buf, " \t");
		if (!*s)
			continue;
		if (x->n == SV_MAX_MEAS_REQ) {
			sv_errf(why, sizeof(why), "line %u: more than %u indices",
				line, SV_MAX_MEAS_REQ);
			goto bad;
		}
		if (expect_line(x, s, line, why, sizeof(why)))
			goto bad;
	}
	if (ferror(f)) {
		sv_errf(why, sizeof(why), "read error");
		goto bad;
	}
	free(buf);
	fclose(f);
	if (!x->n)
		return sv_errf(err, errlen, "%s: no \"INDEX HEX\" lines", path);
	return 0;
bad:
	free(buf);
	fclose(f);
	sv_expect_free(x);
	return sv_errf(err, errlen, "%s: %s", path, why);
}
