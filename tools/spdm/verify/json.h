/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, bottom layer: a JSON writer and a strict JSON parser.
 */
#ifndef SPDM_VERIFY_JSON_H
#define SPDM_VERIFY_JSON_H

#include "util.h"

struct sv_jw {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma[32];
};

void sv_jw_init(struct sv_jw *w, FILE *f, bool pretty);
void sv_jw_obj(struct sv_jw *w, const char *key);
void sv_jw_obj_end(struct sv_jw *w);
void sv_jw_arr(struct sv_jw *w, const char *key);
void sv_jw_arr_end(struct sv_jw *w);
void sv_jw_str(struct sv_jw *w, const char *key, const char *s);
void sv_jw_strn(struct sv_jw *w, const char *key, const char *s, size_t n);
void sv_jw_int(struct sv_jw *w, const char *key, long long v);
void sv_jw_bool(struct sv_jw *w, const char *key, bool v);
void sv_jw_b64(struct sv_jw *w, const char *key, const void *p, size_t n);
void sv_jw_hex(struct sv_jw *w, const char *key, const void *p, size_t n);
void sv_jw_end(struct sv_jw *w);

enum sv_jtype { SV_J_NULL, SV_J_BOOL, SV_J_NUM, SV_J_STR, SV_J_ARR, SV_J_OBJ };

struct sv_jval {
	enum sv_jtype type;
	bool b;
	bool is_int;
	long long i;
	char *s;			/* NUL-terminated; len excludes it */
	size_t len;
	size_t n;			/* members of an array or object */
	char **keys;
	struct sv_jval **vals;
};

struct sv_jval *sv_json_parse(const char *text, size_t len, char *err,
			      size_t errlen);
void sv_json_free(struct sv_jval *v);
const struct sv_jval *sv_json_get(const struct sv_jval *obj,
				  const char *key);

#endif /* SPDM_VERIFY_JSON_H */
