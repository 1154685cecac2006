// SPDX-License-Identifier: GPL-2.0
/*
 * Writing the evidence as a bundle ("spdm-evidence", version 1, see
 * README.md): what the kernel sent and what the verifier knew, with what
 * the verifier found added through struct sv_bundle_notes.
 */
#include <string.h>

#include "evidence.h"

/* A named enum value, or its number when it has no name */
static void write_enum(struct sv_jw *w, const char *key, const char *name,
		       uint32_t v)
{
	if (name)
		sv_jw_str(w, key, name);
	else
		sv_jw_int(w, key, v);
}

static void write_kernel(struct sv_jw *w, const struct sv_evidence *ev)
{
	static const struct {
		enum sv_field f;
		const char *key;
	} verdicts[] = {
		{ SV_F_SIG_VALID, "sig_valid" },
		{ SV_F_ANCHORED, "chain_anchored" },
		{ SV_F_RSP_VERIFY, "rsp_verify_valid" },
		{ SV_F_FINISH, "finish_valid" },
	};
	const uint8_t *val[] = { &ev->sig_valid, &ev->anchored,
				 &ev->rsp_verify_valid, &ev->finish_valid };
	bool any = false;
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(verdicts); i++) {
		if (!SV_HAVE(ev, verdicts[i].f))
			continue;
		if (!any)
			sv_jw_obj(w, "kernel");
		any = true;
		sv_jw_bool(w, verdicts[i].key, *val[i]);
	}
	if (any)
		sv_jw_obj_end(w);
}

/* What a signature covers: the fields a session-meas nest has too */
static void write_signed(struct sv_jw *w, const struct sv_evidence *ev,
			 const uint8_t *rsp_nonce)
{
	if (SV_HAVE(ev, SV_F_SIG_TYPE))
		write_enum(w, "sig_type", sv_sig_type_name(ev->sig_type),
			   ev->sig_type);
	if (SV_HAVE(ev, SV_F_MEAS_SPEC))
		sv_jw_int(w, "meas_spec", ev->meas_spec);
	if (SV_HAVE(ev, SV_F_MEAS_HASH))
		sv_jw_int(w, "meas_hash_alg", ev->meas_hash);
	if (SV_HAVE(ev, SV_F_REQ_OFF))
		sv_jw_int(w, "req_nonce_offset", ev->req_off);
	if (SV_HAVE(ev, SV_F_RSP_OFF))
		sv_jw_int(w, "rsp_nonce_offset", ev->rsp_off);
	if (rsp_nonce)
		sv_jw_b64(w, "responder_nonce", rsp_nonce, SV_NONCE_LEN);
	if (SV_HAVE(ev, SV_F_TRANSCRIPT))
		sv_jw_b64(w, "transcript", ev->transcript.data,
			  ev->transcript.len);
	if (SV_HAVE(ev, SV_F_SIGNATURE))
		sv_jw_b64(w, "signature", ev->signature.data,
			  ev->signature.len);
	if (SV_HAVE(ev, SV_F_PREFIX))
		sv_jw_b64(w, "combined_prefix", ev->prefix.data,
			  ev->prefix.len);
}

/* The verifier's members: after the kernel's verdicts, and last */
static void write_decoded(struct sv_jw *w, const struct sv_evidence *ev,
			  const struct sv_bundle_notes *notes)
{
	if (notes && notes->decoded)
		notes->decoded(w, ev, notes->arg);
}

static void write_verdict(struct sv_jw *w,
			  const struct sv_bundle_notes *notes)
{
	if (notes && notes->verdict)
		notes->verdict(w, notes->arg);
}

/* The session's measurements: what the nest says, the verifier's notes */
static void write_session_meas(struct sv_jw *w, const struct sv_evidence *ev,
			       const struct sv_bundle_notes *notes)
{
	const struct sv_evidence *n = ev->session_meas;
	struct sv_evidence view;

	sv_jw_obj(w, "session_meas");
	write_signed(w, n, notes ? notes->rsp_nonce : NULL);
	write_kernel(w, n);
	if (notes && notes->decoded) {
		sv_session_meas_view(ev, &view);
		write_decoded(w, &view, notes);
	}
	write_verdict(w, notes);
	sv_jw_obj_end(w);
}

static void write_device(struct sv_jw *w, const struct sv_evidence *ev)
{
	sv_jw_obj(w, "device");
	if (SV_HAVE(ev, SV_F_DEV_NAME))
		sv_jw_str(w, "name", ev->dev_name);
	if (SV_HAVE(ev, SV_F_DEV_ID))
		sv_jw_str(w, "id", ev->dev_id);
	if (SV_HAVE(ev, SV_F_DEV_SERIAL))
		sv_jw_str(w, "serial", ev->dev_serial);
	sv_jw_obj_end(w);
}

/* Our nonce, else the one the verifier found in the transcript */
static void write_nonce(struct sv_jw *w, const struct sv_evidence *ev,
			const uint8_t *req_nonce)
{
	if (SV_HAVE(ev, SV_F_NONCE)) {
		sv_jw_b64(w, "nonce", ev->nonce, SV_NONCE_LEN);
		sv_jw_str(w, "nonce_source", "verifier");
	} else if (req_nonce) {
		sv_jw_b64(w, "nonce", req_nonce, SV_NONCE_LEN);
		sv_jw_str(w, "nonce_source", "transcript");
	}
}

/* Version, slot, algorithms, indices asked for, our nonce */
static void write_params(struct sv_jw *w, const struct sv_evidence *ev,
			 const uint8_t *req_nonce)
{
	const struct sv_asym *asym = sv_evidence_asym(ev);
	char ver[8];
	unsigned int i;

	if (SV_HAVE(ev, SV_F_VERSION)) {
		snprintf(ver, sizeof(ver), "%u.%u", ev->version >> 4,
			 ev->version & 0xf);
		sv_jw_str(w, "version", ver);
	}
	if (SV_HAVE(ev, SV_F_SLOT))
		sv_jw_int(w, "slot", ev->slot);
	if (SV_HAVE(ev, SV_F_ASYM))
		sv_jw_int(w, "base_asym_alg", ev->asym);
	if (SV_HAVE(ev, SV_F_PQC_ASYM))
		sv_jw_int(w, "pqc_asym_alg", ev->pqc_asym);
	if (asym)
		sv_jw_str(w, "asym_algo", asym->name);
	if (SV_HAVE(ev, SV_F_HASH))
		sv_jw_int(w, "base_hash_alg", ev->hash);
	if (SV_HAVE(ev, SV_F_HASH_ALGO))
		sv_jw_str(w, "hash_algo", ev->hash_algo);
	if (SV_HAVE(ev, SV_F_MEAS_REQ)) {
		sv_jw_arr(w, "meas_indices");
		for (i = 0; i < ev->nr_meas_req; i++)
			sv_jw_int(w, NULL, ev->meas_req[i]);
		sv_jw_arr_end(w);
	}
	write_nonce(w, ev, req_nonce);
	if (SV_HAVE(ev, SV_F_SESSION_ID))
		sv_jw_int(w, "session_id", ev->session_id);
}

/**
 * sv_evidence_write() - the evidence as a bundle
 * @w: the JSON writer
 * @key: the bundle's key in the enclosing object, or NULL
 * @ev: the evidence
 * @notes: what the verifier found, or NULL
 */
void sv_evidence_write(struct sv_jw *w, const char *key,
		       const struct sv_evidence *ev,
		       const struct sv_bundle_notes *notes)
{
	sv_jw_obj(w, key);
	sv_jw_str(w, "format", SV_BUNDLE_FORMAT);
	sv_jw_int(w, "format_version", SV_BUNDLE_VERSION);
	sv_jw_str(w, "tool", "spdm-verify");
	write_device(w, ev);
	if (SV_HAVE(ev, SV_F_PROVIDER))
		write_enum(w, "provider", sv_provider_name(ev->provider),
			   ev->provider);
	if (*ev->log_entry) {
		sv_jw_str(w, "source", "sysfs-log");
		sv_jw_str(w, "log_entry", ev->log_entry);
	}
	write_params(w, ev, notes ? notes->req_nonce : NULL);
	write_signed(w, ev, notes ? notes->rsp_nonce : NULL);
	if (SV_HAVE(ev, SV_F_CHAIN))
		sv_jw_b64(w, "cert_chain", ev->chain.data, ev->chain.len);
	write_kernel(w, ev);
	write_decoded(w, ev, notes);
	if (ev->session_meas)
		write_session_meas(w, ev, notes ? notes->session_meas : NULL);
	write_verdict(w, notes);
	sv_jw_obj_end(w);
}
