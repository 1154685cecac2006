// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence object: freeing it, the view of the measurements signed
 * in a session, and the names of its fields and enumerations.
 */
#include <stdlib.h>
#include <string.h>

#include "evidence.h"

void sv_evidence_free(struct sv_evidence *ev)
{
	sv_buf_free(&ev->transcript);
	sv_buf_free(&ev->signature);
	sv_buf_free(&ev->prefix);
	sv_buf_free(&ev->chain);
	sv_buf_free(&ev->vca);
	sv_buf_free(&ev->digest);
	if (ev->session_meas) {
		sv_evidence_free(ev->session_meas);
		free(ev->session_meas);
	}
	memset(ev, 0, sizeof(*ev));
}

/*
 * The signature algorithm the evidence states: its PqcAsymAlgo if it has
 * one (SPDM 1.4; base-asym-alg is then 0), else its BaseAsymAlgo; NULL if
 * unknown.
 */
const struct sv_asym *sv_evidence_asym(const struct sv_evidence *ev)
{
	if (SV_HAVE(ev, SV_F_PQC_ASYM) && ev->pqc_asym)
		return sv_pqc_asym_by_bit(ev->pqc_asym);
	return SV_HAVE(ev, SV_F_ASYM) ? sv_asym_by_bit(ev->asym) : NULL;
}

/**
 * sv_session_meas_view() - the measurements signed in a session, whole
 * @ke: key-exchange evidence with a session-meas nest
 * @m: receives the nest's fields (SV_SIGNED_FIELDS) and everything else
 *	from @ke: device, version, slot, algorithms, chain, our nonce and
 *	indices
 *
 * @m shares its buffers with @ke: never free it.
 */
void sv_session_meas_view(const struct sv_evidence *ke,
			  struct sv_evidence *m)
{
	const struct sv_evidence *n = ke->session_meas;
	uint32_t mine = ke->have & ~SV_SIGNED_FIELDS &
			~(1U << SV_F_SESSION_ID | 1U << SV_F_RSP_VERIFY |
			  1U << SV_F_FINISH | 1U << SV_F_SESSION_MEAS |
			  1U << SV_F_ANCHORED | 1U << SV_F_OBJECT |
			  1U << SV_F_VCA);

	*m = *ke;
	m->have = (n->have & SV_SIGNED_FIELDS) | mine;
	m->sig_type = n->sig_type;
	m->transcript = n->transcript;
	m->signature = n->signature;
	m->prefix = n->prefix;
	m->req_off = n->req_off;
	m->rsp_off = n->rsp_off;
	m->sig_valid = n->sig_valid;
	m->meas_spec = n->meas_spec;
	m->meas_hash = n->meas_hash;
	m->session_meas = NULL;
}

const char *sv_field_name(enum sv_field f)
{
	static const char *const names[SV_NR_FIELDS] = {
		[SV_F_DEV_NAME] = "dev-name",
		[SV_F_PROVIDER] = "provider",
		[SV_F_SIG_TYPE] = "sig-type",
		[SV_F_VERSION] = "version",
		[SV_F_SLOT] = "slot",
		[SV_F_ASYM] = "base-asym-alg",
		[SV_F_HASH] = "base-hash-alg",
		[SV_F_HASH_ALGO] = "hash-algo",
		[SV_F_TRANSCRIPT] = "transcript",
		[SV_F_SIGNATURE] = "signature",
		[SV_F_REQ_OFF] = "req-nonce-offset",
		[SV_F_RSP_OFF] = "rsp-nonce-offset",
		[SV_F_PREFIX] = "combined-prefix",
		[SV_F_CHAIN] = "cert-chain",
		[SV_F_SIG_VALID] = "sig-valid",
		[SV_F_ANCHORED] = "chain-anchored",
		[SV_F_OBJECT] = "object",
		[SV_F_VCA] = "vca",
		[SV_F_MEAS_SPEC] = "meas-spec",
		[SV_F_MEAS_HASH] = "meas-hash-alg",
		[SV_F_NONCE] = "nonce",
		[SV_F_DEV_ID] = "device identity",
		[SV_F_DEV_SERIAL] = "device serial number",
		[SV_F_MEAS_REQ] = "measurement indices",
		[SV_F_SESSION_ID] = "session-id",
		[SV_F_RSP_VERIFY] = "rsp-verify-valid",
		[SV_F_FINISH] = "finish-valid",
		[SV_F_SESSION_MEAS] = "session-meas",
		[SV_F_GENERATION] = "generation",
		[SV_F_DIGEST] = "digest",
		[SV_F_PQC_ASYM] = "pqc-asym-alg",
	};

	return f < SV_NR_FIELDS ? names[f] : "?";
}

const char *sv_provider_name(uint32_t provider)
{
	switch (provider) {
	case 0:	return "native";
	case 1:	return "tsm";
	}
	return NULL;
}

const char *sv_object_name(uint32_t object)
{
	static const char *const names[SV_NR_OBJS] = {
		"cert0", "cert1", "cert2", "cert3", "cert4", "cert5", "cert6",
		"cert7", "vca", "measurements", "report",
	};

	return object < SV_NR_OBJS ? names[object] : NULL;
}

const char *sv_sig_type_name(uint32_t sig_type)
{
	switch (sig_type) {
	case SV_SIG_CHALLENGE:		return "challenge";
	case SV_SIG_MEASUREMENTS:	return "measurements";
	case SV_SIG_KEY_EXCHANGE:	return "key-exchange";
	}
	return NULL;
}
