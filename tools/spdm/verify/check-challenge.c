// SPDX-License-Identifier: GPL-2.0
/*
 * The check "transcript" for a CHALLENGE (M1/M2 ends with CHALLENGE and
 * CHALLENGE_AUTH, their fields add up, rsp-nonce-offset is right); the
 * measurements and key exchange layouts are in check-meas.c and
 * check-session.c.
 */
#include <string.h>

#include "checks-int.h"

/* CHALLENGE (header, nonce, 1.3: RequesterContext) at req-nonce-offset */
static int challenge_request(struct ctx *c, size_t req_len)
{
	const struct sv_evidence *ev = c->ev;
	size_t len = ev->transcript.len;
	uint8_t ver = ev->version;
	const uint8_t *req;

	if (ev->req_off < 4 || ev->req_off > len ||
	    len - ev->req_off < req_len - 4) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"req-nonce-offset %u leaves no room for a CHALLENGE request in %zu bytes",
			ev->req_off, len);
		return -1;
	}
	c->chal = ev->req_off - 4;
	req = ev->transcript.data + c->chal;
	if (req[0] != ver || req[1] != SV_CHALLENGE) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"no CHALLENGE request before req-nonce-offset %u (found %02x %02x, expected %02x %02x)",
			ev->req_off, req[0], req[1], ver, SV_CHALLENGE);
		return -1;
	}
	if (req[2] != ev->slot) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE for slot %u, evidence says slot %u", req[2],
			ev->slot);
		return -1;
	}
	if (req[3] != 0 && req[3] != 1 && req[3] != 0xff) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE MeasurementSummaryHashType 0x%02x is reserved",
			req[3]);
		return -1;
	}
	c->auth = c->chal + req_len;
	return 0;
}

/*
 * CHALLENGE_AUTH without its signature ends the transcript: header
 * (Param1 slot in bits 3:0, Param2 SlotMask), CertChainHash, nonce,
 * MeasurementSummaryHash unless the request asked for none,
 * OpaqueDataLength, opaque data, 1.3: RequesterContext.
 */
static void challenge_auth(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	const uint8_t *req = ev->transcript.data + c->chal;
	const uint8_t *rsp = ev->transcript.data + c->auth;
	size_t len = ev->transcript.len, h = c->hash->len, off, opaque;
	uint8_t ver = ev->version;

	off = 4 + h + SV_NONCE_LEN + (req[3] ? h : 0);
	if (len - c->auth < off + 2) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"transcript ends %zu bytes into CHALLENGE_AUTH, before OpaqueDataLength",
			len - c->auth);
		return;
	}
	if (rsp[0] != ver || rsp[1] != SV_CHALLENGE_AUTH) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE is not followed by CHALLENGE_AUTH (found %02x %02x at %zu)",
			rsp[0], rsp[1], c->auth);
		return;
	}
	if ((rsp[2] & 0xf) != ev->slot || !(rsp[3] & (1U << ev->slot))) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE_AUTH for slot %u with SlotMask 0x%02x, expected slot %u",
			rsp[2] & 0xf, rsp[3], ev->slot);
		return;
	}
	opaque = sv_le16(rsp + off);
	if (opaque > SV_MAX_OPAQUE) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE_AUTH OpaqueDataLength %zu exceeds %u", opaque,
			SV_MAX_OPAQUE);
		return;
	}
	off += 2 + opaque + (ver >= 0x13 ? SV_REQ_CONTEXT_LEN : 0);
	if (len - c->auth != off) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE_AUTH fields add up to %zu bytes, the transcript has %zu after the CHALLENGE",
			off, len - c->auth);
		return;
	}
	if (ver >= 0x13 && memcmp(rsp + off - SV_REQ_CONTEXT_LEN,
				  req + SV_CHALLENGE_REQ_LEN, SV_REQ_CONTEXT_LEN)) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"CHALLENGE_AUTH RequesterContext differs from the CHALLENGE's");
		return;
	}
	memcpy(c->v->rsp_nonce, rsp + 4 + h, SV_NONCE_LEN);
	c->v->have_rsp_nonce = true;
	/* the messages add up: CertChainHash can be checked */
	c->layout_ok = true;
	c->cert_hash = c->auth + 4;
	if (ev->rsp_off != c->auth + 4 + h) {
		chk_set(c, SV_C_TRANSCRIPT, SV_FAIL,
			"rsp-nonce-offset %u, but the responder nonce is at %zu",
			ev->rsp_off, c->auth + 4 + h);
		return;
	}
	chk_set(c, SV_C_TRANSCRIPT, SV_PASS,
		"CHALLENGE at %zu, CHALLENGE_AUTH at %zu (%zu bytes%s, %zu bytes of opaque data) ends the transcript; responder nonce at %u",
		c->chal, c->auth, off,
		req[3] ? ", MeasurementSummaryHash" : "", opaque, ev->rsp_off);
}

/*
 * The transcript ends with CHALLENGE and CHALLENGE_AUTH (measurements:
 * L1/L2, check-meas.c; key exchange: TH1, check-session.c).
 */
void check_transcript(struct ctx *c)
{
	const struct sv_evidence *ev = c->ev;
	size_t req_len;

	if (c->meas) {
		check_meas_transcript(c);
		return;
	}
	if (c->ke) {
		check_ke_transcript(c);
		return;
	}
	if (!c->version_ok || !c->hash || !SV_HAVE(ev, SV_F_TRANSCRIPT) ||
	    !SV_HAVE(ev, SV_F_REQ_OFF) || !SV_HAVE(ev, SV_F_RSP_OFF) ||
	    !SV_HAVE(ev, SV_F_SLOT)) {
		chk_set(c, SV_C_TRANSCRIPT, SV_NOT_RUN,
			"not checked: transcript, offsets or algorithms missing");
		return;
	}
	req_len = SV_CHALLENGE_REQ_LEN +
		  (ev->version >= 0x13 ? SV_REQ_CONTEXT_LEN : 0);
	if (!challenge_request(c, req_len))
		challenge_auth(c);
}
