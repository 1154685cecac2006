// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink attributes of the "spdm" family (evidence attribute set) into
 * an evidence object.  Strict: every attribute must have its type's exact
 * size, strings must be NUL-terminated, chunks must carry offset,
 * total-len and data, and a value repeated (in one message or across the
 * messages of one dumped object) must not change.  Unknown attributes are
 * ignored, as newer kernels may add some.  A key-exchange reply nests the
 * measurements signed in the session (session-meas, once, not nested
 * again), collected as evidence of their own.
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <linux/spdm_netlink.h>

#include "evidence.h"

void sv_collect_init(struct sv_collect *c)
{
	memset(c, 0, sizeof(*c));
}

void sv_collect_free(struct sv_collect *c)
{
	if (c->meas) {
		sv_collect_free(c->meas);
		free(c->meas);
	}
	sv_evidence_free(&c->ev);
	sv_chunks_free(&c->transcript);
	sv_chunks_free(&c->chain);
	sv_chunks_free(&c->vca);
	memset(c, 0, sizeof(*c));
}

static int set_scalar(struct sv_collect *c, enum sv_field f, uint32_t *dst,
		      uint32_t v, char *err, size_t errlen)
{
	if (SV_HAVE(&c->ev, f) && *dst != v)
		return sv_errf(err, errlen, "%s repeated with another value (%u, then %u)",
			       sv_field_name(f), *dst, v);
	*dst = v;
	c->ev.have |= 1U << f;
	return 0;
}

static int set_blob(struct sv_collect *c, enum sv_field f,
		    struct sv_buf *dst, const struct nlattr *a, size_t max,
		    char *err, size_t errlen)
{
	size_t len = nla_len(a);

	if (len > max)
		return sv_errf(err, errlen, "%s of %zu bytes (at most %zu)",
			       sv_field_name(f), len, max);
	if (SV_HAVE(&c->ev, f)) {
		if (dst->len != len || memcmp(dst->data, nla_data(a), len))
			return sv_errf(err, errlen, "%s repeated with another value",
				       sv_field_name(f));
		return 0;
	}
	if (sv_buf_set(dst, nla_data(a), len))
		return sv_errf(err, errlen, "out of memory");
	c->ev.have |= 1U << f;
	return 0;
}

static int check_string(const struct nlattr *a, enum sv_field f,
			size_t size, char *err, size_t errlen)
{
	const char *s = nla_data(a);
	int len = nla_len(a);

	if (len < 1 || s[len - 1] || strlen(s) != (size_t)len - 1 ||
	    (size_t)len > size)
		return sv_errf(err, errlen, "%s is not a string of at most %zu characters",
			       sv_field_name(f), size - 1);
	return 0;
}

static int set_string(struct sv_collect *c, enum sv_field f, char *dst,
		      size_t size, const struct nlattr *a, char *err,
		      size_t errlen)
{
	if (check_string(a, f, size, err, errlen))
		return -1;
	if (SV_HAVE(&c->ev, f) && strcmp(dst, nla_data(a)))
		return sv_errf(err, errlen, "%s repeated with another value",
			       sv_field_name(f));
	memcpy(dst, nla_data(a), nla_len(a));
	c->ev.have |= 1U << f;
	return 0;
}

static int width(const struct nlattr *a, int size, enum sv_field f,
		 char *err, size_t errlen)
{
	if (nla_len(a) != size)
		return sv_errf(err, errlen, "%s has %d bytes, not %d",
			       sv_field_name(f), nla_len(a), size);
	return 0;
}

static int set_u32(struct sv_collect *c, struct nlattr *a, enum sv_field f,
		   uint32_t *dst, char *err, size_t errlen)
{
	return width(a, 4, f, err, errlen) ?:
	       set_scalar(c, f, dst, nla_get_u32(a), err, errlen);
}

/* The u8 attributes: version, slot, meas-spec and the kernel's verdicts */
static int set_u8(struct sv_collect *c, struct nlattr *a, char *err,
		  size_t errlen)
{
	struct sv_evidence *ev = &c->ev;
	uint32_t u;
	int rc;

	static const enum sv_field fields[] = {
		[SPDM_A_EVIDENCE_VERSION] = SV_F_VERSION,
		[SPDM_A_EVIDENCE_SLOT] = SV_F_SLOT,
		[SPDM_A_EVIDENCE_SIG_VALID] = SV_F_SIG_VALID,
		[SPDM_A_EVIDENCE_CHAIN_ANCHORED] = SV_F_ANCHORED,
		[SPDM_A_EVIDENCE_MEAS_SPEC] = SV_F_MEAS_SPEC,
		[SPDM_A_EVIDENCE_RSP_VERIFY_VALID] = SV_F_RSP_VERIFY,
		[SPDM_A_EVIDENCE_FINISH_VALID] = SV_F_FINISH,
	};
	enum sv_field f = fields[nla_type(a)];
	uint8_t *dst = f == SV_F_VERSION ? &ev->version :
		       f == SV_F_SLOT ? &ev->slot :
		       f == SV_F_SIG_VALID ? &ev->sig_valid :
		       f == SV_F_MEAS_SPEC ? &ev->meas_spec :
		       f == SV_F_RSP_VERIFY ? &ev->rsp_verify_valid :
		       f == SV_F_FINISH ? &ev->finish_valid :
		       &ev->anchored;

	if (width(a, 1, f, err, errlen))
		return -1;
	u = *dst;
	rc = set_scalar(c, f, &u, nla_get_u8(a), err, errlen);
	*dst = u;
	return rc;
}

static int add_chunk(struct sv_chunks *chunks, const struct nlattr *nest,
		     enum sv_field f, char *err, size_t errlen)
{
	const struct nlattr *off = NULL, *total = NULL, *data = NULL, *a;
	const struct nlattr **slot;
	char why[SV_ERR_MAX];
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case SPDM_A_CHUNK_OFFSET:
			slot = &off;
			break;
		case SPDM_A_CHUNK_TOTAL_LEN:
			slot = &total;
			break;
		case SPDM_A_CHUNK_DATA:
			slot = &data;
			break;
		default:
			continue;
		}
		if (*slot)
			return sv_errf(err, errlen, "%s chunk with a repeated attribute %d",
				       sv_field_name(f), nla_type(a));
		*slot = a;
	}
	if (rem)
		return sv_errf(err, errlen, "%s chunk: malformed attributes",
			       sv_field_name(f));
	if (!off || !total || !data)
		return sv_errf(err, errlen, "%s chunk without %s",
			       sv_field_name(f), !off ? "offset" :
			       !total ? "total-len" : "data");
	if (nla_len(off) != 4 || nla_len(total) != 4)
		return sv_errf(err, errlen, "%s chunk: offset or total-len not a u32",
			       sv_field_name(f));
	if (nla_len(data) > SPDM_CHUNK_MAX)
		return sv_errf(err, errlen, "%s chunk of %d bytes (at most %d)",
			       sv_field_name(f), nla_len(data), SPDM_CHUNK_MAX);
	if (sv_chunks_add(chunks, nla_get_u32((struct nlattr *)off),
			  nla_get_u32((struct nlattr *)total), nla_data(data),
			  nla_len(data), why, sizeof(why)))
		return sv_errf(err, errlen, "%s: %s", sv_field_name(f), why);
	return 0;
}

/* The session-meas nest: evidence of its own, in one piece */
static int add_session_meas(struct sv_collect *c, struct nlattr *nest,
			    char *err, size_t errlen)
{
	char why[SV_ERR_MAX];

	if (c->nested)
		return sv_errf(err, errlen, "session-meas inside session-meas");
	if (c->meas)
		return sv_errf(err, errlen, "session-meas repeated");
	c->meas = calloc(1, sizeof(*c->meas));
	if (!c->meas)
		return sv_errf(err, errlen, "out of memory");
	c->meas->nested = true;
	if (sv_collect_attrs(c->meas, nla_data(nest), nla_len(nest), why,
			     sizeof(why)))
		return sv_errf(err, errlen, "session-meas: %s", why);
	c->ev.have |= 1U << SV_F_SESSION_MEAS;
	return 0;
}

/* Add the attributes at @head (@len bytes) to @c. */
int sv_collect_attrs(struct sv_collect *c, struct nlattr *head, int len,
		     char *err, size_t errlen)
{
	struct sv_evidence *ev = &c->ev;
	struct nlattr *a;
	int rem, rc = 0;

	nla_for_each_attr(a, head, len, rem) {
		switch (nla_type(a)) {
		case SPDM_A_EVIDENCE_DEV_NAME:
			rc = set_string(c, SV_F_DEV_NAME, ev->dev_name,
					sizeof(ev->dev_name), a, err, errlen);
			break;
		case SPDM_A_EVIDENCE_HASH_ALGO:
			rc = set_string(c, SV_F_HASH_ALGO, ev->hash_algo,
					sizeof(ev->hash_algo), a, err, errlen);
			break;
		case SPDM_A_EVIDENCE_PROVIDER:
			rc = set_u32(c, a, SV_F_PROVIDER, &ev->provider, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_SIG_TYPE:
			rc = set_u32(c, a, SV_F_SIG_TYPE, &ev->sig_type, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_OBJECT:
			rc = set_u32(c, a, SV_F_OBJECT, &ev->object, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_BASE_ASYM_ALG:
			rc = set_u32(c, a, SV_F_ASYM, &ev->asym, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_PQC_ASYM_ALG:
			rc = set_u32(c, a, SV_F_PQC_ASYM, &ev->pqc_asym, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_BASE_HASH_ALG:
			rc = set_u32(c, a, SV_F_HASH, &ev->hash, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_REQ_NONCE_OFFSET:
			rc = set_u32(c, a, SV_F_REQ_OFF, &ev->req_off, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_MEAS_HASH_ALG:
			rc = set_u32(c, a, SV_F_MEAS_HASH, &ev->meas_hash, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_RSP_NONCE_OFFSET:
			rc = set_u32(c, a, SV_F_RSP_OFF, &ev->rsp_off, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_SESSION_ID:
			rc = set_u32(c, a, SV_F_SESSION_ID, &ev->session_id, err,
				     errlen);
			break;
		case SPDM_A_EVIDENCE_GENERATION:
			rc = set_u32(c, a, SV_F_GENERATION, &ev->generation,
				     err, errlen);
			break;
		case SPDM_A_EVIDENCE_DIGEST:
			rc = set_blob(c, SV_F_DIGEST, &ev->digest, a,
				      SV_MAX_HASH_LEN, err, errlen);
			break;
		case SPDM_A_EVIDENCE_VERSION:
		case SPDM_A_EVIDENCE_SLOT:
		case SPDM_A_EVIDENCE_SIG_VALID:
		case SPDM_A_EVIDENCE_CHAIN_ANCHORED:
		case SPDM_A_EVIDENCE_MEAS_SPEC:
		case SPDM_A_EVIDENCE_RSP_VERIFY_VALID:
		case SPDM_A_EVIDENCE_FINISH_VALID:
			rc = set_u8(c, a, err, errlen);
			break;
		case SPDM_A_EVIDENCE_SIGNATURE:
			rc = set_blob(c, SV_F_SIGNATURE, &ev->signature, a,
				      SV_MAX_SIG_LEN, err, errlen);
			break;
		case SPDM_A_EVIDENCE_COMBINED_PREFIX:
			rc = set_blob(c, SV_F_PREFIX, &ev->prefix, a, 4096,
				      err, errlen);
			break;
		case SPDM_A_EVIDENCE_TRANSCRIPT:
			rc = add_chunk(&c->transcript, a, SV_F_TRANSCRIPT, err,
				       errlen);
			break;
		case SPDM_A_EVIDENCE_CERT_CHAIN:
			rc = add_chunk(&c->chain, a, SV_F_CHAIN, err, errlen);
			break;
		case SPDM_A_EVIDENCE_VCA:
			rc = add_chunk(&c->vca, a, SV_F_VCA, err, errlen);
			break;
		case SPDM_A_EVIDENCE_SESSION_MEAS:
			rc = add_session_meas(c, a, err, errlen);
			break;
		default:
			/* nonce, type-mask, flags, meas-index: request only */
			break;
		}
		if (rc)
			return -1;
	}
	if (rem)
		return sv_errf(err, errlen, "malformed attributes (%d bytes left)",
			       rem);
	return 0;
}

/* All messages are in: the chunked objects must be complete. */
int sv_collect_finish(struct sv_collect *c, char *err, size_t errlen)
{
	struct {
		struct sv_chunks *chunks;
		struct sv_buf *buf;
		enum sv_field f;
	} objs[] = {
		{ &c->transcript, &c->ev.transcript, SV_F_TRANSCRIPT },
		{ &c->chain, &c->ev.chain, SV_F_CHAIN },
		{ &c->vca, &c->ev.vca, SV_F_VCA },
	};
	char why[SV_ERR_MAX];
	size_t i;

	if (c->meas) {
		if (sv_collect_finish(c->meas, why, sizeof(why)))
			return sv_errf(err, errlen, "session-meas: %s", why);
		c->ev.session_meas = malloc(sizeof(*c->ev.session_meas));
		if (!c->ev.session_meas)
			return sv_errf(err, errlen, "out of memory");
		*c->ev.session_meas = c->meas->ev;
		memset(&c->meas->ev, 0, sizeof(c->meas->ev));
		sv_collect_free(c->meas);
		free(c->meas);
		c->meas = NULL;
	}
	for (i = 0; i < SV_ARRAY_SIZE(objs); i++) {
		if (!objs[i].chunks->started)
			continue;
		if (sv_chunks_finish(objs[i].chunks, objs[i].buf, why,
				     sizeof(why)))
			return sv_errf(err, errlen, "%s: %s",
				       sv_field_name(objs[i].f), why);
		c->ev.have |= 1U << objs[i].f;
	}
	return 0;
}

/* The object type and slot (-1 if none) a dump message carries. */
int sv_object_key(struct nlattr *head, int len, uint32_t *object, int *slot)
{
	struct nlattr *a;
	bool have = false;
	int rem;

	*slot = -1;
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) == SPDM_A_EVIDENCE_OBJECT && nla_len(a) == 4) {
			*object = nla_get_u32(a);
			have = true;
		} else if (nla_type(a) == SPDM_A_EVIDENCE_SLOT &&
			   nla_len(a) == 1) {
			*slot = nla_get_u8(a);
		}
	}
	return have ? 0 : -1;
}

/* The generation a dump message carries. */
int sv_generation(struct nlattr *head, int len, uint32_t *generation)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem)
		if (nla_type(a) == SPDM_A_EVIDENCE_GENERATION &&
		    nla_len(a) == 4) {
			*generation = nla_get_u32(a);
			return 0;
		}
	return -1;
}
