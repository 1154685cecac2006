// SPDX-License-Identifier: GPL-2.0
/*
 * The bundle with the verdict: the evidence as the model writes it,
 * with what the checks found (the nonces of the transcript, the
 * measurement blocks, the leaf certificate, the verdict) as its notes.
 */
#include <string.h>

#include "checks.h"

/* The decoded measurement blocks (output only: recomputed when read). */
static void write_blocks(struct sv_jw *w, const struct sv_evidence *ev,
			 const void *arg)
{
	const struct sv_verdict *v = arg;
	const struct sv_block *b;
	unsigned int i;

	if (!v->have_blocks)
		return;
	if (v->meas_hash)
		sv_jw_str(w, "meas_hash", v->meas_hash->label);
	sv_jw_arr(w, "measurements");
	for (i = 0; i < v->nr_blocks; i++) {
		b = &v->blocks[i];
		sv_jw_obj(w, NULL);
		sv_jw_int(w, "index", b->index);
		sv_jw_int(w, "spec", b->spec);
		if (b->dmtf) {
			sv_jw_int(w, "type", b->type & 0x7f);
			sv_jw_str(w, "type_name", sv_meas_type_name(b->type));
			sv_jw_str(w, "representation",
				  b->type & SV_MEAS_RAW ? "raw" : "digest");
		}
		sv_jw_hex(w, "value", ev->transcript.data + b->value,
			  b->value_len);
		sv_jw_obj_end(w);
	}
	sv_jw_arr_end(w);
}

/* The failed checks; @prefix: "meas-" for the session measurements' */
static void write_failed(struct sv_jw *w, const struct sv_verdict *v,
			 const char *prefix)
{
	char name[64];
	int i;

	for (i = 0; i < SV_NR_CHECKS; i++) {
		if (v->check[i].result != SV_FAIL)
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, sv_check_name(i));
		sv_jw_str(w, NULL, name);
	}
}

static void write_verdict(struct sv_jw *w, const void *arg)
{
	const struct sv_verdict *v = arg;
	const struct sv_check *ch;
	int i;

	sv_jw_obj(w, "verdict");
	sv_jw_bool(w, "ok", v->ok);
	sv_jw_arr(w, "failed");
	write_failed(w, v, "");
	if (v->meas)
		write_failed(w, v->meas, "meas-");
	sv_jw_arr_end(w);
	sv_jw_arr(w, "checks");
	for (i = 0; i < SV_NR_CHECKS; i++) {
		ch = &v->check[sv_check_order[i]];
		if (ch->result == SV_NA)
			continue;
		sv_jw_obj(w, NULL);
		sv_jw_str(w, "name", sv_check_name(sv_check_order[i]));
		sv_jw_str(w, "result", sv_result_name(ch->result));
		sv_jw_str(w, "detail", ch->detail);
		sv_jw_obj_end(w);
	}
	sv_jw_arr_end(w);
	sv_jw_obj_end(w);
}

static void write_leaf(struct sv_jw *w, const struct sv_verdict *v)
{
	int i;

	sv_jw_obj(w, "leaf");
	sv_jw_int(w, "chain_certificates", v->nr_certs);
	sv_jw_str(w, "subject", v->leaf_subject);
	sv_jw_str(w, "issuer", v->leaf_issuer);
	sv_jw_arr(w, "cma_names");
	for (i = 0; i < v->nr_sans; i++)
		sv_jw_str(w, NULL, v->san[i]);
	sv_jw_arr_end(w);
	sv_jw_obj_end(w);
}

/* The top-level verdict: the leaf certificate first */
static void write_leaf_verdict(struct sv_jw *w, const void *arg)
{
	const struct sv_verdict *v = arg;

	if (v->nr_certs)
		write_leaf(w, v);
	write_verdict(w, v);
}

static void notes_of(const struct sv_verdict *v, struct sv_bundle_notes *n,
		     void (*verdict)(struct sv_jw *w, const void *arg))
{
	memset(n, 0, sizeof(*n));
	n->req_nonce = v->have_req_nonce ? v->req_nonce : NULL;
	n->rsp_nonce = v->have_rsp_nonce ? v->rsp_nonce : NULL;
	n->decoded = write_blocks;
	n->verdict = verdict;
	n->arg = v;
}

void sv_bundle_write(struct sv_jw *w, const char *key,
		     const struct sv_evidence *ev, const struct sv_verdict *v)
{
	struct sv_bundle_notes top, meas;

	if (!v) {
		sv_evidence_write(w, key, ev, NULL);
		return;
	}
	notes_of(v, &top, write_leaf_verdict);
	if (v->meas) {
		notes_of(v->meas, &meas, write_verdict);
		top.session_meas = &meas;
	}
	sv_evidence_write(w, key, ev, &top);
}
