// SPDX-License-Identifier: GPL-2.0
/*
 * The key exchange: the check "transcript" for TH1, "session-id", what
 * only the kernel can know (VOUCHED: "dhe-secret", "rsp-verify-data",
 * "finish", "in-session"), and the measurements read in the session,
 * verified as evidence of their own.
 */
#include <stdlib.h>
#include <string.h>

#include "checks-int.h"

static bool have_layout_fields(const struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;

	return c->version_ok && c->hash && SV_HAVE(ev, SV_F_TRANSCRIPT) &&
	       SV_HAVE(ev, SV_F_REQ_OFF) && SV_HAVE(ev, SV_F_RSP_OFF) &&
	       SV_HAVE(ev, SV_F_SLOT);
}

/*
 * TH1 up to the signature: the VCA, Hash(CertChain), KEY_EXCHANGE (for
 * our slot) and KEY_EXCHANGE_RSP fill the transcript exactly; the nonce
 * offsets are the RandomData of the two.
 */
void check_ke_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_th1 *th = &c->th1;
	size_t req, rsp;
	char err[300];

	if (!have_layout_fields(c)) {
		chk_set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
			"not checked: transcript, offsets or algorithms missing");
		return;
	}
	if (sv_th1_parse(ev->transcript.data, ev->transcript.len, ev->version,
			 c->hash->len, &c->th1, err, sizeof(err))) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL, "TH1: %s", err);
		return;
	}
	if (th->slot != ev->slot) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"KEY_EXCHANGE for slot %u, evidence says slot %u", th->slot,
			ev->slot);
		return;
	}
	/* TH1 parses: Hash(CertChain), the session ID can be checked */
	req = th->ke + SV_KE_RANDOM_OFF;
	rsp = th->rsp + SV_KE_RANDOM_OFF;
	c->layout_ok = true;
	c->chal = th->cert_hash;
	c->cert_hash = th->cert_hash;
	memcpy(c->v->rsp_nonce, ev->transcript.data + rsp, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	if (ev->req_off != req || ev->rsp_off != rsp) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"req-nonce-offset %u, rsp-nonce-offset %u: the RandomData of KEY_EXCHANGE and KEY_EXCHANGE_RSP are at %zu and %zu",
			ev->req_off, ev->rsp_off, req, rsp);
		return;
	}
	chk_set(c, SV_C_TRANSCRIPT, SV_PASS,
		"TH1: the VCA, Hash(CertChain) at %zu, KEY_EXCHANGE at %zu (%zu bytes, %s ExchangeData, %zu bytes of opaque data), KEY_EXCHANGE_RSP at %zu (%zu bytes up to the signature%s, %zu bytes of opaque data) ends it; RandomData at %zu and %zu",
		th->cert_hash, th->ke, th->ke_len, th->dhe->name,
		th->req_opaque_len, th->rsp, th->rsp_len,
		th->summary_type ? ", MeasurementSummaryHash" : "",
		th->rsp_opaque_len, req, rsp);
}

/*
 * DSP0274 (KEY_EXCHANGE): the session ID is ReqSessionID concatenated with
 * RspSessionID.  DSP0277 sends it as the first four bytes of a secured
 * message, a little-endian u32: ReqSessionID's bytes, then RspSessionID's.
 */
static uint32_t session_id_of(uint16_t req_session_id, uint16_t rsp_session_id)
{
	const uint8_t wire[4] = {
		req_session_id & 0xff, req_session_id >> 8,
		rsp_session_id & 0xff, rsp_session_id >> 8,
	};

	return (uint32_t)wire[0] | (uint32_t)wire[1] << 8 |
	       (uint32_t)wire[2] << 16 | (uint32_t)wire[3] << 24;
}

static void check_session_id(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const struct sv_th1 *th = &c->th1;
	uint32_t id = session_id_of(th->req_session_id, th->rsp_session_id);

	if (!c->layout_ok)
		chk_set(c, SV_C_SESSION_ID, SV_NOT_RUN,
			"not checked: TH1 does not parse");
	else if (!SV_HAVE(ev, SV_F_SESSION_ID))
		chk_set(c, SV_C_SESSION_ID, chk_from_log(c) ? SV_SKIP : SV_NOT_RUN,
			"no session-id stated; TH1 opened session 0x%08x", id);
	else if (ev->session_id != id)
		chk_set(c, SV_C_SESSION_ID, SV_FAIL,
			"the kernel names session 0x%08x, TH1 opened 0x%08x (ReqSessionID 0x%04x, RspSessionID 0x%04x)",
			ev->session_id, id, th->req_session_id,
			th->rsp_session_id);
	else
		chk_set(c, SV_C_SESSION_ID, SV_PASS,
			"session 0x%08x is KEY_EXCHANGE's ReqSessionID 0x%04x and KEY_EXCHANGE_RSP's RspSessionID 0x%04x",
			id, th->req_session_id, th->rsp_session_id);
}

/*
 * A verdict of the kernel's that needs the session's secrets: vouched
 * if 1, failed if 0; not in the signature log.
 */
static void kernel_verdict(struct ctx *c, enum sv_check_id id,
			   enum sv_field f, uint8_t val, const char *what,
			   const char *yes, const char *no)
{
	if (!SV_HAVE(c->ev, f))
		chk_set(c, id, chk_from_log(c) ? SV_SKIP : SV_NOT_RUN,
			"the %s states no %s: %s cannot be checked without the session's secrets",
			chk_from_log(c) ? "signature log" : "evidence",
			sv_field_name(f), what);
	else if (!val)
		chk_set(c, id, SV_FAIL, "the kernel reports %s %s", what, no);
	else
		chk_set(c, id, SV_VOUCHED, "the kernel reports %s %s", what, yes);
}

static void check_in_session(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;

	if (!ev->session_meas)
		chk_set(c, SV_C_IN_SESSION, SV_NA, "no session measurements");
	else if (SV_HAVE(ev, SV_F_FINISH) && !ev->finish_valid)
		chk_set(c, SV_C_IN_SESSION, SV_FAIL,
			"measurements said to be read in a session that FINISH did not establish");
	else
		chk_set(c, SV_C_IN_SESSION, SV_VOUCHED,
			"the kernel read the measurements below in session 0x%08x: the secured messages are not visible here, only their signed L1/L2",
			ev->session_id);
}

/* What the verifier checks of a session, and what it takes on trust */
void check_session(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	enum sv_check_id id;

	if (!c->ke) {
		for (id = SV_C_SESSION_ID; id <= SV_C_IN_SESSION; id++)
			chk_set(c, id, SV_NA, "not a key exchange");
		return;
	}
	check_session_id(c);
	chk_set(c, SV_C_DHE_SECRET, SV_VOUCHED,
		"the %s ECDH secret needs the kernel's ephemeral private key: not checkable; the signature binds both ExchangeData (public keys) to our nonce",
		c->layout_ok ? c->th1.dhe->name : "DHE");
	kernel_verdict(c, SV_C_RSP_VERIFY, SV_F_RSP_VERIFY,
		       ev->rsp_verify_valid,
		       "ResponderVerifyData (an HMAC over TH1 keyed from the ECDH secret)",
		       "valid", "INVALID: the device does not hold the session keys");
	kernel_verdict(c, SV_C_FINISH, SV_F_FINISH, ev->finish_valid,
		       "FINISH/FINISH_RSP (verify data under the handshake keys)",
		       "valid: the session is established",
		       "FAILED: no session was established");
	check_in_session(c);
}

/* The measurements the kernel read in the session, with our nonce */
void check_session_meas(const struct sv_evidence *ev,
			const struct sv_verify_opts *o,
			struct sv_verdict *v)
{
	struct sv_verify_opts mo = *o;
	struct sv_evidence m;

	v->meas = malloc(sizeof(*v->meas));
	if (!v->meas) {
		snprintf(v->check[SV_C_IN_SESSION].detail,
			 sizeof(v->check[0].detail), "out of memory");
		v->check[SV_C_IN_SESSION].result = SV_FAIL;
		return;
	}
	sv_session_meas_view(ev, &m);
	mo.nested = true;
	mo.log = NULL;
	sv_verify(&m, &mo, v->meas);
}
