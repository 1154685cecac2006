// SPDX-License-Identifier: GPL-2.0
/*
 * A small JSON writer and parser (RFC 8259) for spdm-verify's evidence
 * bundles.  The parser builds a tree, refuses duplicate keys, nesting
 * deeper than 64 and anything the grammar does not allow (trailing
 * commas, comments, NaN, bytes after the value); strings come out as
 * UTF-8, \u escapes included.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH	64

/* ---- writer ------------------------------------------------------------- */

void sv_jw_init(struct sv_jw *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

static void jw_indent(struct sv_jw *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Strings go out as valid UTF-8: invalid bytes become U+FFFD. */
static void jw_string(struct sv_jw *w, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	fputc('"', w->f);
	while (i < n) {
		switch (s[i]) {
		case '"':
			fputs("\\\"", w->f);
			break;
		case '\\':
			fputs("\\\\", w->f);
			break;
		case '\n':
			fputs("\\n", w->f);
			break;
		case '\r':
			fputs("\\r", w->f);
			break;
		case '\t':
			fputs("\\t", w->f);
			break;
		case '\b':
			fputs("\\b", w->f);
			break;
		case '\f':
			fputs("\\f", w->f);
			break;
		default:
			if (s[i] < 0x20) {
				fprintf(w->f, "\\u%04x", s[i]);
				break;
			}
			len = utf8_seq(s + i, n - i);
			if (!len) {
				fputs("\\ufffd", w->f);
				break;
			}
			fwrite(s + i, 1, len, w->f);
			i += len;
			continue;
		}
		i++;
	}
	fputc('"', w->f);
}

static void jw_value(struct sv_jw *w, const char *key)
{
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	if (w->depth)
		jw_indent(w);
	w->need_comma[w->depth] = true;
	if (key) {
		jw_string(w, key, strlen(key));
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void jw_open(struct sv_jw *w, const char *key, char c)
{
	jw_value(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < (int)SV_ARRAY_SIZE(w->need_comma))
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void jw_close(struct sv_jw *w, char c)
{
	bool had = w->need_comma[w->depth];

	if (w->depth)
		w->depth--;
	if (had)
		jw_indent(w);
	fputc(c, w->f);
}

void sv_jw_obj(struct sv_jw *w, const char *key)
{
	jw_open(w, key, '{');
}

void sv_jw_obj_end(struct sv_jw *w)
{
	jw_close(w, '}');
}

void sv_jw_arr(struct sv_jw *w, const char *key)
{
	jw_open(w, key, '[');
}

void sv_jw_arr_end(struct sv_jw *w)
{
	jw_close(w, ']');
}

void sv_jw_strn(struct sv_jw *w, const char *key, const char *s, size_t n)
{
	jw_value(w, key);
	jw_string(w, s, n);
}

void sv_jw_str(struct sv_jw *w, const char *key, const char *s)
{
	sv_jw_strn(w, key, s, strlen(s));
}

void sv_jw_int(struct sv_jw *w, const char *key, long long v)
{
	jw_value(w, key);
	fprintf(w->f, "%lld", v);
}

void sv_jw_bool(struct sv_jw *w, const char *key, bool v)
{
	jw_value(w, key);
	fputs(v ? "true" : "false", w->f);
}

void sv_jw_b64(struct sv_jw *w, const char *key, const void *p, size_t n)
{
	char *s = malloc(sv_b64_len(n) + 1);

	jw_value(w, key);
	if (!s) {
		fputs("null", w->f);
		return;
	}
	sv_b64_encode(p, n, s);
	fprintf(w->f, "\"%s\"", s);
	free(s);
}

void sv_jw_hex(struct sv_jw *w, const char *key, const void *p, size_t n)
{
	char *s = malloc(2 * n + 1);

	jw_value(w, key);
	if (!s) {
		fputs("null", w->f);
		return;
	}
	sv_hex(p, n, s);
	fprintf(w->f, "\"%s\"", s);
	free(s);
}

void sv_jw_end(struct sv_jw *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}

/* ---- parser ------------------------------------------------------------- */

struct jp {
	const char *s, *end, *p;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

static void __sv_printf(2, 3) jp_fail(struct jp *j, const char *fmt, ...)
{
	const char *q;
	unsigned int line = 1, col = 1;
	size_t n;
	va_list ap;

	if (j->failed)
		return;
	j->failed = true;
	for (q = j->s; q < j->p && q < j->end; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	n = snprintf(j->err, j->errlen, "line %u column %u: ", line, col);
	if (n >= j->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(j->err + n, j->errlen - n, fmt, ap);
	va_end(ap);
}

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
				 *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static struct sv_jval *jv_new(enum sv_jtype t)
{
	struct sv_jval *v = calloc(1, sizeof(*v));

	if (v)
		v->type = t;
	return v;
}

void sv_json_free(struct sv_jval *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		if (v->keys)
			free(v->keys[i]);
		sv_json_free(v->vals[i]);
	}
	free(v->keys);
	free(v->vals);
	free(v->s);
	free(v);
}

static int jp_u4(struct jp *j, uint32_t *out)
{
	int i, d;

	*out = 0;
	if (j->end - j->p < 4) {
		jp_fail(j, "truncated \\u escape");
		return -1;
	}
	for (i = 0; i < 4; i++) {
		d = sv_hexval(j->p[i]);
		if (d < 0) {
			jp_fail(j, "bad \\u escape");
			return -1;
		}
		*out = *out << 4 | d;
	}
	j->p += 4;
	return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | cp >> 12;
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | cp >> 18;
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A string at j->p (on the opening quote); *out is malloc'ed. */
static int jp_string(struct jp *j, char **out, size_t *outlen)
{
	const char *start = ++j->p;
	size_t cap, n = 0, len;
	uint32_t cp, lo;
	char *o;

	/* the decoded string is never longer than the encoded one */
	while (j->p < j->end && *j->p != '"') {
		if (*j->p == '\\' && j->p + 1 < j->end)
			j->p++;
		j->p++;
	}
	if (j->p >= j->end) {
		j->p = start - 1;
		jp_fail(j, "unterminated string");
		return -1;
	}
	cap = j->p - start + 1;
	j->p = start;
	o = malloc(cap);
	if (!o) {
		jp_fail(j, "out of memory");
		return -1;
	}
	while (*j->p != '"') {
		unsigned char c = *j->p;

		if (c < 0x20) {
			jp_fail(j, "control character in string");
			goto fail;
		}
		if (c != '\\') {
			len = utf8_seq((const unsigned char *)j->p, j->end - j->p);
			if (!len) {
				jp_fail(j, "invalid UTF-8 in string");
				goto fail;
			}
			memcpy(o + n, j->p, len);
			n += len;
			j->p += len;
			continue;
		}
		j->p++;
		switch (*j->p++) {
		case '"':
			o[n++] = '"';
			break;
		case '\\':
			o[n++] = '\\';
			break;
		case '/':
			o[n++] = '/';
			break;
		case 'b':
			o[n++] = '\b';
			break;
		case 'f':
			o[n++] = '\f';
			break;
		case 'n':
			o[n++] = '\n';
			break;
		case 'r':
			o[n++] = '\r';
			break;
		case 't':
			o[n++] = '\t';
			break;
		case 'u':
			if (jp_u4(j, &cp))
				goto fail;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				jp_fail(j, "lone low surrogate");
				goto fail;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (j->end - j->p < 6 || j->p[0] != '\\' ||
				    j->p[1] != 'u') {
					jp_fail(j, "lone high surrogate");
					goto fail;
				}
				j->p += 2;
				if (jp_u4(j, &lo))
					goto fail;
				if (lo < 0xdc00 || lo > 0xdfff) {
					jp_fail(j, "bad surrogate pair");
					goto fail;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
			}
			/* \u escapes are 6-12 bytes, their UTF-8 at most 4 */
			n += put_utf8(o + n, cp);
			break;
		default:
			j->p--;
			jp_fail(j, "bad escape");
			goto fail;
		}
	}
	j->p++;
	o[n] = 0;
	*out = o;
	*outlen = n;
	return 0;
fail:
	free(o);
	return -1;
}

static struct sv_jval *jp_number(struct jp *j)
{
	const char *start = j->p;
	bool is_int = true;
	struct sv_jval *v;
	char buf[64];
	size_t n;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0') {
		j->p++;
	} else if (j->p < j->end && *j->p >= '1' && *j->p <= '9') {
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	} else {
		jp_fail(j, "bad number");
		return NULL;
	}
	if (j->p < j->end && *j->p == '.') {
		is_int = false;
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
			jp_fail(j, "bad number");
			return NULL;
		}
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		is_int = false;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
			jp_fail(j, "bad number");
			return NULL;
		}
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	v = jv_new(SV_J_NUM);
	if (!v) {
		jp_fail(j, "out of memory");
		return NULL;
	}
	n = j->p - start;
	if (is_int && n < sizeof(buf)) {
		memcpy(buf, start, n);
		buf[n] = 0;
		errno = 0;
		v->i = strtoll(buf, NULL, 10);
		v->is_int = errno == 0;
	}
	return v;
}

static struct sv_jval *jp_value(struct jp *j);

static int jv_append(struct jp *j, struct sv_jval *c, char *key,
		     struct sv_jval *v)
{
	void *p;

	p = realloc(c->vals, (c->n + 1) * sizeof(*c->vals));
	if (!p)
		goto oom;
	c->vals = p;
	if (c->type == SV_J_OBJ) {
		p = realloc(c->keys, (c->n + 1) * sizeof(*c->keys));
		if (!p)
			goto oom;
		c->keys = p;
		c->keys[c->n] = key;
	}
	c->vals[c->n++] = v;
	return 0;
oom:
	jp_fail(j, "out of memory");
	free(key);
	sv_json_free(v);
	return -1;
}

static struct sv_jval *jp_container(struct jp *j, bool obj)
{
	struct sv_jval *c = jv_new(obj ? SV_J_OBJ : SV_J_ARR), *v;
	char close = obj ? '}' : ']', *key = NULL;
	size_t klen, i;

	if (!c) {
		jp_fail(j, "out of memory");
		return NULL;
	}
	if (++j->depth > JSON_MAX_DEPTH) {
		jp_fail(j, "nested too deeply");
		goto fail;
	}
	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return c;
	}
	for (;;) {
		jp_ws(j);
		if (obj) {
			if (j->p >= j->end || *j->p != '"') {
				jp_fail(j, "expected a key");
				goto fail;
			}
			if (jp_string(j, &key, &klen))
				goto fail;
			if (strlen(key) != klen) {
				jp_fail(j, "NUL in key");
				goto fail_key;
			}
			for (i = 0; i < c->n; i++)
				if (!strcmp(c->keys[i], key)) {
					jp_fail(j, "duplicate key \"%s\"", key);
					goto fail_key;
				}
			jp_ws(j);
			if (j->p >= j->end || *j->p != ':') {
				jp_fail(j, "expected ':'");
				goto fail_key;
			}
			j->p++;
		}
		v = jp_value(j);
		if (!v)
			goto fail_key;
		if (jv_append(j, c, key, v))
			goto fail;
		key = NULL;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == close) {
			j->p++;
			break;
		}
		jp_fail(j, "expected ',' or '%c'", close);
		goto fail;
	}
	j->depth--;
	return c;
fail_key:
	free(key);
fail:
	sv_json_free(c);
	return NULL;
}

static bool jp_word(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static struct sv_jval *jp_value(struct jp *j)
{
	struct sv_jval *v;

	jp_ws(j);
	if (j->p >= j->end) {
		jp_fail(j, "unexpected end");
		return NULL;
	}
	switch (*j->p) {
	case '{':
		return jp_container(j, true);
	case '[':
		return jp_container(j, false);
	case '"':
		v = jv_new(SV_J_STR);
		if (!v) {
			jp_fail(j, "out of memory");
			return NULL;
		}
		if (jp_string(j, &v->s, &v->len)) {
			free(v);
			return NULL;
		}
		return v;
	case 't':
	case 'f':
	case 'n':
		if (jp_word(j, "true")) {
			v = jv_new(SV_J_BOOL);
			if (v)
				v->b = true;
		} else if (jp_word(j, "false")) {
			v = jv_new(SV_J_BOOL);
		} else if (jp_word(j, "null")) {
			v = jv_new(SV_J_NULL);
		} else {
			jp_fail(j, "unexpected token");
			return NULL;
		}
		if (!v)
			jp_fail(j, "out of memory");
		return v;
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return jp_number(j);
		jp_fail(j, "unexpected character");
		return NULL;
	}
}

struct sv_jval *sv_json_parse(const char *text, size_t len, char *err,
			      size_t errlen)
{
	struct jp j = {
		.s = text, .end = text + len, .p = text,
		.err = err, .errlen = errlen,
	};
	struct sv_jval *v = jp_value(&j);

	if (!v)
		return NULL;
	jp_ws(&j);
	if (j.p != j.end) {
		jp_fail(&j, "data after the JSON value");
		sv_json_free(v);
		return NULL;
	}
	return v;
}

const struct sv_jval *sv_json_get(const struct sv_jval *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != SV_J_OBJ)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->vals[i];
	return NULL;
}
