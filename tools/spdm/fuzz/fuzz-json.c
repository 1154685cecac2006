// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-json: the input is JSON text for spdm-verify's parser,
 * sv_json_parse() (json.c), which reads evidence bundles.  Every string
 * (keys included) and integer of a tree it accepts is written back with
 * the JSON writer into memory and must parse again to the same value.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write @s (@n bytes) or the integer @i with the writer, read it back. */
static void roundtrip(const char *s, size_t n, const long long *i)
{
	struct sv_jval *v;
	struct sv_jw w;
	char *buf = NULL, err[128];
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	sv_jw_init(&w, f, false);
	if (i)
		sv_jw_int(&w, NULL, *i);
	else
		sv_jw_strn(&w, NULL, s, n);
	fclose(f);
	v = sv_json_parse(buf, len, err, sizeof(err));
	if (!v) {
		fprintf(stderr, "written back as %s, not parsed: %s\n", buf,
			err);
		abort();
	}
	if (i ? v->type != SV_J_NUM || !v->is_int || v->i != *i :
	    v->type != SV_J_STR || v->len != n || memcmp(v->s, s, n)) {
		fprintf(stderr, "written back as %s, read differently\n", buf);
		abort();
	}
	sv_json_free(v);
	free(buf);
}

static void walk(const struct sv_jval *v)
{
	size_t i;

	switch (v->type) {
	case SV_J_STR:
		roundtrip(v->s, v->len, NULL);
		break;
	case SV_J_NUM:
		if (v->is_int)
			roundtrip(NULL, 0, &v->i);
		break;
	case SV_J_OBJ:
	case SV_J_ARR:
		for (i = 0; i < v->n; i++) {
			if (v->type == SV_J_OBJ) {
				roundtrip(v->keys[i], strlen(v->keys[i]), NULL);
				if (sv_json_get(v, v->keys[i]) != v->vals[i])
					abort();	/* duplicate key */
			}
			walk(v->vals[i]);
		}
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_jval *v;
	char err[256];

	v = sv_json_parse((const char *)data, size, err, sizeof(err));
	if (v) {
		walk(v);
		sv_json_free(v);
	} else if (!memchr(err, 0, sizeof(err)) || !*err) {
		abort();	/* a failure must say why */
	}
	return 0;
}
