// SPDX-License-Identifier: GPL-2.0
/*
 * Reading an evidence bundle ("spdm-evidence", version 1): the fields
 * marked input in README.md, strictly typed; everything else (decoded
 * fields, the verdict) is ignored, to be recomputed.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

struct br {
	const struct sv_jval *root;
	const struct sv_jval *obj;	/* the root, or session_meas */
	struct sv_evidence *ev;
	char *err;
	size_t errlen;
};

static int __sv_printf(2, 3) br_fail(struct br *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1: present and stored, 0: absent, -1: wrong type or range */
static int br_uint(struct br *b, const struct sv_jval *o, const char *key,
		   uint64_t max, uint64_t *out)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_NUM || !v->is_int || v->i < 0 ||
	    (uint64_t)v->i > max)
		return br_fail(b, "\"%s\" is not an integer from 0 to %llu",
			       key, (unsigned long long)max);
	*out = v->i;
	return 1;
}

static int br_str(struct br *b, const struct sv_jval *o, const char *key,
		  char *out, size_t outlen)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_STR || strlen(v->s) != v->len ||
	    v->len >= outlen)
		return br_fail(b, "\"%s\" is not a string of at most %zu characters",
			       key, outlen - 1);
	memcpy(out, v->s, v->len + 1);
	return 1;
}

static int br_b64(struct br *b, const char *key, struct sv_buf *out)
{
	const struct sv_jval *v = sv_json_get(b->obj, key);

	if (!v)
		return 0;
	if (v->type != SV_J_STR || sv_b64_decode(v->s, v->len, out))
		return br_fail(b, "\"%s\" is not base64", key);
	return 1;
}

static int br_bool(struct br *b, const struct sv_jval *o, const char *key,
		   uint8_t *out)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_BOOL)
		return br_fail(b, "\"%s\" is not true or false", key);
	*out = v->b;
	return 1;
}

/* A named enum value or its number. */
static int br_enum(struct br *b, const char *key, const char *const *names,
		   size_t n, uint32_t *out)
{
	const struct sv_jval *v = sv_json_get(b->obj, key);
	size_t i;

	if (!v)
		return 0;
	if (v->type == SV_J_NUM && v->is_int && v->i >= 0 &&
	    v->i <= UINT32_MAX) {
		*out = v->i;
		return 1;
	}
	if (v->type == SV_J_STR)
		for (i = 0; i < n; i++)
			if (!strcmp(v->s, names[i])) {
				*out = i;
				return 1;
			}
	return br_fail(b, "\"%s\" has an unknown value", key);
}

static void br_set(struct br *b, int rc, enum sv_field f)
{
	if (rc > 0)
		b->ev->have |= 1U << f;
}

static int br_version(struct br *b)
{
	const struct sv_jval *v = sv_json_get(b->root, "version");
	unsigned int major, minor;
	char c;

	if (!v)
		return 0;
	if (v->type != SV_J_STR ||
	    sscanf(v->s, "%u.%u%c", &major, &minor, &c) != 2 ||
	    major > 15 || minor > 15 || v->s[0] < '0' || v->s[0] > '9')
		return br_fail(b, "\"version\" is not \"MAJOR.MINOR\"");
	b->ev->version = major << 4 | minor;
	return 1;
}

static int br_device(struct br *b)
{
	const struct sv_jval *d = sv_json_get(b->root, "device");
	struct sv_evidence *ev = b->ev;
	uint8_t sn[SV_SERIAL_LEN / 2];
	int rc;

	if (!d)
		return 0;
	if (d->type != SV_J_OBJ)
		return br_fail(b, "\"device\" is not an object");
	rc = br_str(b, d, "name", ev->dev_name, sizeof(ev->dev_name));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_DEV_NAME);
	rc = br_str(b, d, "id", ev->dev_id, sizeof(ev->dev_id));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_DEV_ID);
	rc = br_str(b, d, "serial", ev->dev_serial, sizeof(ev->dev_serial));
	if (rc < 0)
		return -1;
	if (rc && sv_hex_decode(ev->dev_serial, sn, sizeof(sn)))
		return br_fail(b, "device \"serial\" is not 16 hex digits");
	br_set(b, rc, SV_F_DEV_SERIAL);
	return 0;
}

static int br_nonce(struct br *b)
{
	const struct sv_jval *src = sv_json_get(b->root, "nonce_source");
	struct sv_buf n = { 0 };
	int rc;

	rc = br_b64(b, "nonce", &n);
	if (rc <= 0)
		return rc;
	if (n.len != SV_NONCE_LEN) {
		sv_buf_free(&n);
		return br_fail(b, "\"nonce\" is not %u bytes", SV_NONCE_LEN);
	}
	/* a nonce read from the transcript proves nothing */
	if (!src || (src->type == SV_J_STR && !strcmp(src->s, "verifier"))) {
		memcpy(b->ev->nonce, n.data, SV_NONCE_LEN);
		b->ev->have |= 1U << SV_F_NONCE;
	}
	sv_buf_free(&n);
	return 0;
}

/* "meas_indices": the indices the verifier asked for ([]: all) */
static int br_indices(struct br *b)
{
	const struct sv_jval *a = sv_json_get(b->root, "meas_indices"), *v;
	size_t i, j;

	if (!a)
		return 0;
	if (a->type != SV_J_ARR || a->n > SV_MAX_MEAS_REQ)
		return br_fail(b, "\"meas_indices\" is not an array of at most %u indices",
			       SV_MAX_MEAS_REQ);
	for (i = 0; i < a->n; i++) {
		v = a->vals[i];
		if (v->type != SV_J_NUM || !v->is_int || v->i < 1 ||
		    v->i > SV_MAX_MEAS_REQ)
			return br_fail(b, "\"meas_indices\" holds a %s",
				       "value that is no index from 1 to 254");
		for (j = 0; j < i; j++)
			if (b->ev->meas_req[j] == v->i)
				return br_fail(b, "\"meas_indices\" has index %lld twice",
					       v->i);
		b->ev->meas_req[i] = v->i;
	}
	b->ev->nr_meas_req = a->n;
	return 1;
}

/* Integer fields of the bundle */
struct br_int {
	const char *key;
	uint64_t max;
	enum sv_field f;
};

static void br_store(struct sv_evidence *ev, enum sv_field f, uint64_t u)
{
	switch (f) {
	case SV_F_SLOT:
		ev->slot = u;
		break;
	case SV_F_MEAS_SPEC:
		ev->meas_spec = u;
		break;
	case SV_F_ASYM:
		ev->asym = u;
		break;
	case SV_F_PQC_ASYM:
		ev->pqc_asym = u;
		break;
	case SV_F_HASH:
		ev->hash = u;
		break;
	case SV_F_MEAS_HASH:
		ev->meas_hash = u;
		break;
	case SV_F_REQ_OFF:
		ev->req_off = u;
		break;
	case SV_F_RSP_OFF:
		ev->rsp_off = u;
		break;
	case SV_F_SESSION_ID:
		ev->session_id = u;
		break;
	default:
		break;
	}
}

static int br_ints(struct br *b, const struct br_int *t, size_t n)
{
	uint64_t u;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = br_uint(b, b->obj, t[i].key, t[i].max, &u);
		if (rc < 0)
			return -1;
		if (rc)
			br_store(b->ev, t[i].f, u);
		br_set(b, rc, t[i].f);
	}
	return 0;
}

/* "kernel": the kernel's verdicts, reported only */
static int br_kernel(struct br *b)
{
	const struct sv_jval *k = sv_json_get(b->obj, "kernel");
	struct sv_evidence *ev = b->ev;
	const char *const keys[] = {
		"sig_valid", "chain_anchored", "rsp_verify_valid",
		"finish_valid",
	};
	const enum sv_field f[] = {
		SV_F_SIG_VALID, SV_F_ANCHORED, SV_F_RSP_VERIFY, SV_F_FINISH,
	};
	uint8_t *dst[] = { &ev->sig_valid, &ev->anchored,
			   &ev->rsp_verify_valid, &ev->finish_valid };
	size_t i;
	int rc;

	if (!k)
		return 0;
	if (k->type != SV_J_OBJ)
		return br_fail(b, "\"kernel\" is not an object");
	for (i = 0; i < SV_ARRAY_SIZE(keys); i++) {
		rc = br_bool(b, k, keys[i], dst[i]);
		if (rc < 0)
			return -1;
		br_set(b, rc, f[i]);
	}
	return 0;
}

/* What a signature covers: at the top, and in "session_meas" */
static int br_signed(struct br *b)
{
	static const char *const sig_types[] = {
		"challenge", "measurements", "key-exchange",
	};
	static const struct br_int ints[] = {
		{ "meas_spec", 255, SV_F_MEAS_SPEC },
		{ "meas_hash_alg", UINT32_MAX, SV_F_MEAS_HASH },
		{ "req_nonce_offset", UINT32_MAX, SV_F_REQ_OFF },
		{ "rsp_nonce_offset", UINT32_MAX, SV_F_RSP_OFF },
	};
	static const struct {
		const char *key;
		enum sv_field f;
	} blobs[] = {
		{ "transcript", SV_F_TRANSCRIPT },
		{ "signature", SV_F_SIGNATURE },
		{ "combined_prefix", SV_F_PREFIX },
	};
	struct sv_evidence *ev = b->ev;
	struct sv_buf *bufs[] = { &ev->transcript, &ev->signature,
				  &ev->prefix };
	size_t i;
	int rc;

	rc = br_enum(b, "sig_type", sig_types, SV_ARRAY_SIZE(sig_types),
		     &ev->sig_type);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_SIG_TYPE);
	if (br_ints(b, ints, SV_ARRAY_SIZE(ints)))
		return -1;
	for (i = 0; i < SV_ARRAY_SIZE(blobs); i++) {
		rc = br_b64(b, blobs[i].key, bufs[i]);
		if (rc < 0)
			return -1;
		br_set(b, rc, blobs[i].f);
	}
	return br_kernel(b);
}

/* "session_meas": measurements signed inside the session */
static int br_session_meas(struct br *b)
{
	const struct sv_jval *o = sv_json_get(b->root, "session_meas");
	struct br nb = *b;
	int rc;

	if (!o)
		return 0;
	if (o->type != SV_J_OBJ)
		return br_fail(b, "\"session_meas\" is not an object");
	nb.obj = o;
	nb.ev = calloc(1, sizeof(*nb.ev));
	if (!nb.ev)
		return br_fail(b, "out of memory");
	b->ev->session_meas = nb.ev;
	b->ev->have |= 1U << SV_F_SESSION_MEAS;
	rc = br_signed(&nb);
	if (rc < 0) {
		snprintf(b->err + strlen(b->err), b->errlen - strlen(b->err),
			 " (in \"session_meas\")");
	}
	return rc;
}

static int br_format(struct br *b)
{
	const struct sv_jval *fmt;
	uint64_t u;

	if (b->root->type != SV_J_OBJ)
		return br_fail(b, "not a JSON object");
	fmt = sv_json_get(b->root, "format");
	if (!fmt || fmt->type != SV_J_STR || strcmp(fmt->s, SV_BUNDLE_FORMAT))
		return br_fail(b, "not an evidence bundle (\"format\" is not \"%s\")",
			       SV_BUNDLE_FORMAT);
	if (br_uint(b, b->root, "format_version", UINT32_MAX, &u) <= 0 ||
	    u != SV_BUNDLE_VERSION)
		return br_fail(b, "\"format_version\" is not %d",
			       SV_BUNDLE_VERSION);
	return 0;
}

/* Everything but the signed fields, at the top of the bundle */
static int br_top(struct br *b)
{
	static const char *const providers[] = { "native", "tsm" };
	static const struct br_int ints[] = {
		{ "slot", 255, SV_F_SLOT },
		{ "base_asym_alg", UINT32_MAX, SV_F_ASYM },
		{ "pqc_asym_alg", UINT32_MAX, SV_F_PQC_ASYM },
		{ "base_hash_alg", UINT32_MAX, SV_F_HASH },
		{ "session_id", UINT32_MAX, SV_F_SESSION_ID },
	};
	struct sv_evidence *ev = b->ev;
	int rc;

	if (br_device(b) < 0)
		return -1;
	rc = br_enum(b, "provider", providers, 2, &ev->provider);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_PROVIDER);
	rc = br_version(b);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_VERSION);
	if (br_ints(b, ints, SV_ARRAY_SIZE(ints)))
		return -1;
	rc = br_str(b, b->root, "hash_algo", ev->hash_algo,
		    sizeof(ev->hash_algo));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_HASH_ALGO);
	rc = br_indices(b);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_MEAS_REQ);
	if (br_nonce(b) < 0 ||
	    br_str(b, b->root, "log_entry", ev->log_entry,
		   sizeof(ev->log_entry)) < 0)
		return -1;
	rc = br_b64(b, "cert_chain", &ev->chain);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_CHAIN);
	return 0;
}

int sv_bundle_read(const char *text, size_t len, struct sv_evidence *ev,
		   char *err, size_t errlen)
{
	struct br b = { .ev = ev, .err = err, .errlen = errlen };
	char jerr[256];
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	b.root = sv_json_parse(text, len, jerr, sizeof(jerr));
	if (!b.root) {
		snprintf(err, errlen, "not JSON: %s", jerr);
		return -1;
	}
	b.obj = b.root;
	if (!br_format(&b) && !br_top(&b) && !br_signed(&b) &&
	    !br_session_meas(&b))
		rc = 0;
	sv_json_free((struct sv_jval *)b.root);
	if (rc < 0)
		sv_evidence_free(ev);
	return rc;
}
