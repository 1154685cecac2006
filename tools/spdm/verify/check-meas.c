// SPDX-License-Identifier: GPL-2.0
/*
 * Measurements: the check "transcript" for L1/L2 (VCA from 1.2, then
 * GET_MEASUREMENTS/MEASUREMENTS pairs, only the last signed, for our slot,
 * what we asked for), "measurements" (every block well formed) and
 * "expect" (--expect: the blocks have the expected values).
 */
#include <string.h>

#include "checks-int.h"

/* The indices as "1, 2, 3" (at most @len bytes) */
static void index_list(const uint8_t *idx, unsigned int n, char *buf,
		       size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%u", i ? ", " : "",
				 idx[i]);
}

/* The requests in L1/L2 are the ones the verifier made */
static int meas_requests(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_l1l2 *l = &c->l1l2;
	uint8_t ops[SV_MAX_MEAS_MSGS], want[SV_MAX_MEAS_REQ];
	char a[160], b[160];
	unsigned int i, j, n = 0;
	bool same;

	if (!SV_HAVE(ev, SV_F_MEAS_REQ))
		return 0;
	/* a count (operation 0) may come before reading all */
	for (i = 0; i < l->n; i++)
		if (l->msg[i].op != SV_MEAS_OP_COUNT)
			ops[n++] = l->msg[i].op;
	if (!ev->nr_meas_req) {
		if (n == 1 && ops[0] == SV_MEAS_OP_ALL)
			return 0;
		index_list(ops, n, a, sizeof(a));
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"we asked for all measurements, L1/L2 has GET_MEASUREMENTS for operations %s",
			a);
		return -1;
	}
	memcpy(want, ev->meas_req, ev->nr_meas_req);
	/* the same indices, each once */
	same = n == ev->nr_meas_req;
	for (i = 0; same && i < n; i++) {
		for (j = 0; j < n && ops[i] != want[j]; j++)
			;
		same = j < n;
		for (j = 0; same && j < n && ops[j] != want[i]; j++)
			;
		same = same && j < n;
	}
	if (same)
		return 0;
	index_list(want, ev->nr_meas_req, a, sizeof(a));
	index_list(ops, n, b, sizeof(b));
	chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
		"we asked for indices %s, L1/L2 has GET_MEASUREMENTS for %s", a,
		b);
	return -1;
}

/*
 * L1/L2: the VCA (1.2+), then GET_MEASUREMENTS/MEASUREMENTS pairs, the
 * last signed for our slot and holding both nonces at the stated offsets.
 */
void check_meas_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *t = ev->transcript.data;
	size_t len = ev->transcript.len, start = 0;
	const struct sv_meas_msg *last;
	char err[300];
	struct sv_vca vca;
	uint8_t ver = ev->version;

	if (!c->version_ok || !SV_HAVE(ev, SV_F_TRANSCRIPT) ||
	    !SV_HAVE(ev, SV_F_REQ_OFF) || !SV_HAVE(ev, SV_F_RSP_OFF) ||
	    !SV_HAVE(ev, SV_F_SLOT)) {
		chk_set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
			"not checked: transcript, offsets or version missing");
		return;
	}
	if (ver >= 0x12) {
		if (sv_vca_parse(t, len, ver, &vca, err, sizeof(err))) {
			chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
				"SPDM %u.%u L1/L2 starts with the VCA: %s",
				ver >> 4, ver & 0xf, err);
			return;
		}
		start = vca.len;
	}
	if (sv_l1l2_parse(t, len, start, ver, &c->l1l2, err, sizeof(err))) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL, "L1/L2: %s", err);
		return;
	}
	last = &c->l1l2.msg[c->l1l2.n - 1];
	if (ev->req_off != last->req + 4) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"req-nonce-offset %u is not the nonce of the signed GET_MEASUREMENTS (at %zu)",
			ev->req_off, last->req + 4);
		return;
	}
	if (ver >= 0x11 && (last->slot_param != ev->slot ||
			    (last->rsp_param2 & 0xf) != ev->slot)) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"GET_MEASUREMENTS for slot %u, MEASUREMENTS signed for slot %u, evidence says slot %u",
			last->slot_param, last->rsp_param2 & 0xf, ev->slot);
		return;
	}
	if (meas_requests(c))
		return;
	memcpy(c->v->rsp_nonce, t + last->nonce, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	c->layout_ok = true;
	c->chal = c->l1l2.start;
	if (ev->rsp_off != last->nonce) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"rsp-nonce-offset %u, but the responder nonce is at %zu",
			ev->rsp_off, last->nonce);
		return;
	}
	chk_set(c, SV_C_TRANSCRIPT, SV_PASS,
		"L1/L2: %s%u GET_MEASUREMENTS/MEASUREMENTS pair%s; the last (at %zu and %zu, %zu bytes of opaque data) asks for a signature%s and ends the transcript; responder nonce at %u",
		ver >= 0x12 ? "the VCA, " : "", c->l1l2.n,
		c->l1l2.n == 1 ? "" : "s", last->req, last->rsp,
		last->opaque_len, ver >= 0x11 ? " of our slot" : "",
		ev->rsp_off);
}

static const struct sv_block *block_by_index(const struct sv_verdict *v,
					     uint8_t index)
{
	unsigned int i;

	for (i = 0; i < v->nr_blocks; i++)
		if (v->blocks[i].index == index)
			return &v->blocks[i];
	return NULL;
}

/* MeasurementHashAlgo: the signed ALGORITHMS', else the evidence's */
static void meas_hash_of(struct ctx *c, const char **from)
{
	const struct sv_evidence *ev = c->ev;
	struct sv_vca vca;
	char err[300];

	*from = "";
	if (ev->version >= 0x12 &&
	    !sv_vca_parse(ev->transcript.data, ev->transcript.len,
			  ev->version, &vca, err, sizeof(err))) {
		c->v->meas_hash = sv_meas_hash_by_bit(vca.meas_hash);
		*from = " (signed ALGORITHMS)";
	} else if (SV_HAVE(ev, SV_F_MEAS_HASH)) {
		c->v->meas_hash = sv_meas_hash_by_bit(ev->meas_hash);
		*from = " (the kernel's word)";
	}
}

/* One block: its index, format and digest size */
static int check_block(struct ctx *c, const struct sv_block *b,
		       const struct sv_meas_msg *m, size_t *digest_len)
{
	const struct sv_meas_hash *mh = c->v->meas_hash;
	const struct sv_block *other;

	if (b->index == SV_MEAS_OP_COUNT || b->index == SV_MEAS_OP_ALL) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"a block has the reserved index %u", b->index);
		return -1;
	}
	other = block_by_index(c->v, b->index);
	if (other != b) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u appears twice (MEASUREMENTS at %zu and %zu)",
			b->index, c->l1l2.msg[other->msg].rsp, m->rsp);
		return -1;
	}
	if (m->op != SV_MEAS_OP_ALL && b->index != m->op) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"GET_MEASUREMENTS asked for index %u, MEASUREMENTS at %zu answers with index %u",
			m->op, m->rsp, b->index);
		return -1;
	}
	if (!b->dmtf) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u: MeasurementSpecification 0x%02x is not DMTF",
			b->index, b->spec);
		return -1;
	}
	if (b->type & SV_MEAS_RAW)
		return 0;
	if (mh && !mh->len) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u is a digest, but MeasurementHashAlgo is raw bit streams only",
			b->index);
		return -1;
	}
	if (mh && b->value_len != mh->len) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u: %zu-byte digest, %s digests have %zu",
			b->index, b->value_len, mh->label, mh->len);
		return -1;
	}
	/* without MeasurementHashAlgo, digests must at least agree */
	if (!mh && *digest_len && b->value_len != *digest_len) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u: %zu-byte digest, others have %zu",
			b->index, b->value_len, *digest_len);
		return -1;
	}
	if (!mh && b->value_len != 32 && b->value_len != 48 &&
	    b->value_len != 64) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"index %u: %zu-byte digest is no hash size", b->index,
			b->value_len);
		return -1;
	}
	*digest_len = b->value_len;
	return 0;
}

/* One response: how many blocks, for what was asked */
static int check_meas_msg(struct ctx *c, unsigned int i, int *count)
{
	const struct sv_meas_msg *m = &c->l1l2.msg[i];

	if (m->op == SV_MEAS_OP_COUNT) {
		if (m->nr_blocks || m->record_len || !m->rsp_param1 ||
		    m->rsp_param1 == SV_MEAS_OP_ALL) {
			chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
				"MEASUREMENTS at %zu answers a count with %u indices, %u blocks, %zu bytes",
				m->rsp, m->rsp_param1, m->nr_blocks,
				m->record_len);
			return -1;
		}
		*count = m->rsp_param1;
		return 0;
	}
	if (m->op != SV_MEAS_OP_ALL && m->nr_blocks != 1) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"GET_MEASUREMENTS asked for index %u, MEASUREMENTS at %zu has %u blocks (must be 1)",
			m->op, m->rsp, m->nr_blocks);
		return -1;
	}
	if (m->op == SV_MEAS_OP_ALL && *count >= 0 &&
	    m->nr_blocks != *count) {
		chk_set(c, SV_C_MEASUREMENTS, SV_FAIL,
			"MEASUREMENTS at %zu has %u blocks, the count before announced %d",
			m->rsp, m->nr_blocks, *count);
		return -1;
	}
	return 0;
}

void check_measurements(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	struct sv_verdict *v = c->v;
	unsigned int i, first;
	size_t digest_len = 0;
	const char *from;
	char err[300];
	int count = -1;

	if (!c->meas) {
		chk_set(c, SV_C_MEASUREMENTS, SV_NA, "not measurements evidence");
		return;
	}
	if (!c->layout_ok) {
		chk_set(c, SV_C_MEASUREMENTS, SV_NOT_RUN,
			"not checked: the transcript is not L1/L2");
		return;
	}
	meas_hash_of(c, &from);
	v->have_blocks = true;
	for (i = 0; i < c->l1l2.n; i++) {
		first = v->nr_blocks;
		if (sv_blocks_parse(ev->transcript.data, &c->l1l2.msg[i], i,
				    v->blocks, &v->nr_blocks, SV_MAX_BLOCKS,
				    err, sizeof(err))) {
			chk_set(c, SV_C_MEASUREMENTS, SV_FAIL, "%s", err);
			return;
		}
		if (check_meas_msg(c, i, &count))
			return;
		for (; first < v->nr_blocks; first++)
			if (check_block(c, &v->blocks[first], &c->l1l2.msg[i],
					&digest_len))
				return;
	}
	chk_set(c, SV_C_MEASUREMENTS, SV_PASS,
		"%u block%s in %u MEASUREMENTS, DMTF format, sizes add up, indices unique and as asked%s%s%s",
		v->nr_blocks, v->nr_blocks == 1 ? "" : "s", c->l1l2.n,
		v->meas_hash ? ", digests of " : "",
		v->meas_hash ? v->meas_hash->label : "", from);
}

void check_expect(struct ctx *c)
{
	const struct sv_expect *x = c->o->expect;
	const struct sv_evidence *ev = c->ev;
	const struct sv_expect_entry *e;
	const struct sv_block *b;
	char *d = c->v->check[SV_C_EXPECT].detail, g[24], w[24];
	size_t len = sizeof(c->v->check[0].detail), used = 0;
	unsigned int i, bad = 0;

	if (!x) {
		chk_set(c, SV_C_EXPECT, SV_NA, "no --expect");
		return;
	}
	if (c->ke && ev->session_meas) {
		chk_set(c, SV_C_EXPECT, SV_NA, "for the session's measurements");
		return;
	}
	if (!c->meas) {
		chk_set(c, SV_C_EXPECT, SV_FAIL,
			"--expect needs measurements evidence, this is %s%s",
			SV_HAVE(ev, SV_F_SIG_TYPE) ?
			sv_sig_type_name(ev->sig_type) ?: "unknown" : "challenge",
			c->ke ? " without measurements read in the session" : "");
		return;
	}
	if (c->v->check[SV_C_MEASUREMENTS].result != SV_PASS) {
		chk_set(c, SV_C_EXPECT, SV_NOT_RUN,
			"not checked: the measurement blocks did not decode");
		return;
	}
	chk_set(c, SV_C_EXPECT, SV_FAIL, "%s", "");
	for (i = 0; i < x->n; i++) {
		e = &x->e[i];
		b = block_by_index(c->v, e->index);
		if (b && b->value_len == e->len &&
		    !memcmp(ev->transcript.data + b->value, e->value, e->len))
			continue;
		bad++;
		if (used >= len)
			continue;
		if (!b)
			used += snprintf(d + used, len - used,
					 "%sindex %u: missing", bad > 1 ? "; " : "",
					 e->index);
		else
			used += snprintf(d + used, len - used,
					 "%sindex %u: %s (%zu bytes), expected %s (%zu bytes)",
					 bad > 1 ? "; " : "", e->index,
					 chk_short_hex(ev->transcript.data + b->value,
						       b->value_len, g), b->value_len,
					 chk_short_hex(e->value, e->len, w), e->len);
	}
	if (!bad)
		chk_set(c, SV_C_EXPECT, SV_PASS, "%u expected value%s match%s",
			x->n, x->n == 1 ? "" : "s", x->n == 1 ? "es" : "");
}
