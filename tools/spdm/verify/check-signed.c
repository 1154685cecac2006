// SPDX-License-Identifier: GPL-2.0
/*
 * What every signed exchange has: "nonce" (ours is the request's),
 * "algorithms" (the signed VCA negotiated what the kernel states: from
 * SPDM 1.4 on a BaseAsymAlgo or a PqcAsymAlgo, exactly one) and "prefix"
 * (the combined prefix is DSP0274's).
 */
#include <string.h>

#include "checks-int.h"

void check_nonce(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *want = c->o->nonce, *got, *hdr;
	char a[2 * SV_NONCE_LEN + 1], b[2 * SV_NONCE_LEN + 1];
	const char *req = chk_nonce_msg(c);
	uint8_t code = c->meas ? SV_GET_MEASUREMENTS :
		       c->ke ? SV_KEY_EXCHANGE : SV_CHALLENGE;
	size_t hdr_len = c->ke ? SV_KE_RANDOM_OFF : 4;

	if (!want && SV_HAVE(ev, SV_F_NONCE))
		want = ev->nonce;
	if (!SV_HAVE(ev, SV_F_TRANSCRIPT) || !SV_HAVE(ev, SV_F_REQ_OFF) ||
	    !c->version_ok) {
		chk_set(c, SV_C_NONCE, SV_NOT_RUN,
			"not checked: transcript or req-nonce-offset missing");
		return;
	}
	if (ev->req_off < hdr_len || ev->req_off > ev->transcript.len ||
	    ev->transcript.len - ev->req_off < SV_NONCE_LEN) {
		chk_set(c, SV_C_NONCE, SV_FAIL,
			"req-nonce-offset %u is outside the %zu-byte transcript",
			ev->req_off, ev->transcript.len);
		return;
	}
	got = ev->transcript.data + ev->req_off;
	hdr = got - hdr_len;
	if (hdr[0] != ev->version || hdr[1] != code ||
	    (c->meas && !(hdr[2] & 1))) {
		chk_set(c, SV_C_NONCE, SV_FAIL,
			"req-nonce-offset %u does not point into a %s request%s (its first 4 bytes would be %02x %02x %02x %02x)",
			ev->req_off, req, c->meas ? " asking for a signature" : "",
			hdr[0], hdr[1], hdr[2], hdr[3]);
		return;
	}
	if (c->ke && c->layout_ok &&
	    ev->req_off != c->th1.ke + SV_KE_RANDOM_OFF) {
		chk_set(c, SV_C_NONCE, SV_FAIL,
			"req-nonce-offset %u is not where the walk of TH1 found KEY_EXCHANGE's RandomData (%zu)",
			ev->req_off, c->th1.ke + SV_KE_RANDOM_OFF);
		return;
	}
	memcpy(c->v->req_nonce, got, SV_NONCE_LEN);
	c->v->have_req_nonce = true;
	sv_hex(got, SV_NONCE_LEN, a);
	if (!want) {
		chk_set(c, SV_C_NONCE, SV_SKIP,
			"no nonce of ours to compare (freshness not shown); the %s carries %s",
			req, a);
		return;
	}
	sv_hex(want, SV_NONCE_LEN, b);
	if (memcmp(got, want, SV_NONCE_LEN))
		chk_set(c, SV_C_NONCE, SV_FAIL,
			"the %s carries nonce %s, not ours %s (replayed or redirected evidence)",
			req, a, b);
	else
		chk_set(c, SV_C_NONCE, SV_PASS,
			"our nonce %s is the %s request's, at offset %u%s",
			b, req, ev->req_off, c->o->nonce ? "" :
			" (nonce taken from the evidence: use --nonce for freshness)");
}

/* 1.0/1.1 L1/L2 has no VCA: the algorithms are not signed */
static void meas_algorithms_unsigned(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_meas_hash *mh = SV_HAVE(ev, SV_F_MEAS_HASH) ?
					sv_meas_hash_by_bit(ev->meas_hash) :
					NULL;

	chk_set(c, SV_C_ALGORITHMS, SV_SKIP,
		"SPDM %u.%u L1/L2 holds no VCA: %s (%s), %s and MeasurementHashAlgo %s are %s, not signed",
		ev->version >> 4, ev->version & 0xf, c->asym->label,
		c->o->log && c->o->log->asym_from_key ? "from the leaf key" :
		"the evidence's", c->hash->label, mh ? mh->label : "unknown",
		c->o->log ? "taken from the log entry" : "the kernel's word");
}

void check_algorithms(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t ver = ev->version;
	struct sv_vca vca;
	char err[300];

	if (!c->version_ok || !c->hash || !c->asym ||
	    !SV_HAVE(ev, SV_F_TRANSCRIPT)) {
		chk_set(c, SV_C_ALGORITHMS, SV_NOT_RUN,
			"not checked: transcript, version or algorithms missing");
		return;
	}
	if (SV_HAVE(ev, SV_F_HASH_ALGO) && strcmp(ev->hash_algo, c->hash->name)) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"hash-algo \"%s\" is not base-hash-alg 0x%x (%s)",
			ev->hash_algo, ev->hash, c->hash->name);
		return;
	}
	if (c->meas && ver < 0x12) {
		meas_algorithms_unsigned(c);
		return;
	}
	if (sv_vca_parse(ev->transcript.data, ev->transcript.len, ver, &vca,
			 err, sizeof(err))) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL, "%s", err);
		return;
	}
	if (ver >= 0x14 && !vca.asym == !vca.pqc_asym) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"ALGORITHMS selected %s (BaseAsymSel 0x%x, PqcAsymSel 0x%x): SPDM 1.4 selects exactly one",
			vca.asym ? "both a BaseAsymAlgo and a PqcAsymAlgo" :
			"neither a BaseAsymAlgo nor a PqcAsymAlgo", vca.asym,
			vca.pqc_asym);
		return;
	}
	if (vca.asym != ev->asym || vca.hash != ev->hash) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"ALGORITHMS selected BaseAsymSel 0x%x BaseHashSel 0x%x, the evidence states 0x%x 0x%x",
			vca.asym, vca.hash, ev->asym, ev->hash);
		return;
	}
	if (vca.pqc_asym != (c->pqc ? ev->pqc_asym : 0)) {
		if (c->pqc)
			chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
				"ALGORITHMS selected PqcAsymSel 0x%x, the evidence states pqc-asym-alg 0x%x",
				vca.pqc_asym, ev->pqc_asym);
		else
			chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
				"ALGORITHMS selected PqcAsymSel 0x%x, the evidence states no pqc-asym-alg",
				vca.pqc_asym);
		return;
	}
	if (c->meas && ((SV_HAVE(ev, SV_F_MEAS_SPEC) &&
			 vca.meas_spec != ev->meas_spec) ||
			(SV_HAVE(ev, SV_F_MEAS_HASH) &&
			 vca.meas_hash != ev->meas_hash))) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"ALGORITHMS selected MeasurementSpecification 0x%x MeasurementHashAlgo 0x%x, the evidence states 0x%x 0x%x",
			vca.meas_spec, vca.meas_hash, ev->meas_spec,
			ev->meas_hash);
		return;
	}
	if (c->layout_ok && vca.len > c->chal) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"VCA (%zu bytes) runs into the %s at %zu", vca.len,
			c->ke ? "Hash(CertChain)" : chk_nonce_msg(c), c->chal);
		return;
	}
	if (SV_HAVE(ev, SV_F_VCA) &&
	    (ev->vca.len != vca.len ||
	     memcmp(ev->vca.data, ev->transcript.data, vca.len))) {
		chk_set(c, SV_C_ALGORITHMS, SV_FAIL,
			"the vca object (%zu bytes) is not the transcript's VCA (%zu bytes)",
			ev->vca.len, vca.len);
		return;
	}
	if (c->meas)
		chk_set(c, SV_C_ALGORITHMS, SV_PASS,
			"the signed VCA (%zu bytes) negotiated SPDM %u.%u, %s, %s, MeasurementSpecification 0x%x and MeasurementHashAlgo %s, as stated",
			vca.len, ver >> 4, ver & 0xf, c->asym->label,
			c->hash->label, vca.meas_spec,
			sv_meas_hash_by_bit(vca.meas_hash) ?
			sv_meas_hash_by_bit(vca.meas_hash)->label : "(none)");
	else
		chk_set(c, SV_C_ALGORITHMS, SV_PASS,
			"the signed VCA (%zu bytes) negotiated SPDM %u.%u, %s and %s%s%s, as stated",
			vca.len, ver >> 4, ver & 0xf, c->asym->label,
			c->hash->label, c->layout_ok && c->ke ? ", DHE " : "",
			c->layout_ok && c->ke ? c->th1.dhe->name : "");
}

void check_prefix(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	uint8_t want[SV_PREFIX_LEN];

	if (!c->version_ok) {
		chk_set(c, SV_C_PREFIX, SV_NOT_RUN, "not checked: no version");
		return;
	}
	if (ev->version < 0x12) {
		if (SV_HAVE(ev, SV_F_PREFIX))
			chk_set(c, SV_C_PREFIX, SV_FAIL,
				"SPDM %u.%u signs without a prefix, but the evidence has a %zu-byte combined-prefix",
				ev->version >> 4, ev->version & 0xf,
				ev->prefix.len);
		else
			chk_set(c, SV_C_PREFIX, SV_PASS,
				"SPDM %u.%u: no combined prefix, none sent",
				ev->version >> 4, ev->version & 0xf);
		return;
	}
	sv_combined_prefix(ev->version, chk_sig_context(c), want);
	if (!SV_HAVE(ev, SV_F_PREFIX))
		chk_set(c, SV_C_PREFIX, SV_FAIL,
			"SPDM %u.%u signs a combined prefix; the evidence has none",
			ev->version >> 4, ev->version & 0xf);
	else if (ev->prefix.len != SV_PREFIX_LEN ||
		 memcmp(ev->prefix.data, want, SV_PREFIX_LEN))
		chk_set(c, SV_C_PREFIX, SV_FAIL,
			"combined-prefix (%zu bytes) is not \"dmtf-spdm-v%u.%u.*\" x4 || \"%s\" (the signature is checked with the right one)",
			ev->prefix.len, ev->version >> 4, ev->version & 0xf,
			chk_sig_context(c));
	else
		chk_set(c, SV_C_PREFIX, SV_PASS,
			"combined-prefix is \"dmtf-spdm-v%u.%u.*\" x4 || \"%s\", as rebuilt here",
			ev->version >> 4, ev->version & 0xf, chk_sig_context(c));
}
