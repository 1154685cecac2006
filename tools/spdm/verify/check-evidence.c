// SPDX-License-Identifier: GPL-2.0
/*
 * The checks "evidence" (every attribute there, version (SPDM 1.0-1.4)
 * and algorithms known, for the device asked for) and "log" (the files
 * of a signature log entry agree with the signed bytes they were derived
 * from).
 */
#include <string.h>

#include "checks-int.h"

/* A key exchange names its session and the kernel's verdicts on it */
static void missing_session(const struct sv_evidence *ev, char *missing,
			    size_t len)
{
	static const enum sv_field fields[] = {
		SV_F_SESSION_ID, SV_F_RSP_VERIFY, SV_F_FINISH,
	};
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(fields); i++)
		if (!SV_HAVE(ev, fields[i]))
			snprintf(missing + strlen(missing), len - strlen(missing),
				 "%s%s", *missing ? ", " : "",
				 sv_field_name(fields[i]));
}

void check_evidence(struct ctx *c)
{
	static const enum sv_field required[] = {
		SV_F_VERSION, SV_F_SLOT, SV_F_ASYM, SV_F_HASH, SV_F_TRANSCRIPT,
		SV_F_SIGNATURE, SV_F_REQ_OFF, SV_F_RSP_OFF, SV_F_CHAIN,
	};
	const struct sv_evidence *ev = c->ev;
	char missing[256] = "", what[64];
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(required); i++)
		if (!SV_HAVE(ev, required[i])) {
			snprintf(what, sizeof(what), "%s%s", *missing ? ", " : "",
				 sv_field_name(required[i]));
			strncat(missing, what, sizeof(missing) - strlen(missing) - 1);
		}
	if (SV_HAVE(ev, SV_F_VERSION))
		c->version_ok = ev->version >= 0x10 && ev->version <= 0x14;
	if (SV_HAVE(ev, SV_F_HASH))
		c->hash = sv_hash_by_bit(ev->hash);
	/* SPDM 1.4: a PqcAsymAlgo replaces the BaseAsymAlgo, then 0 */
	c->pqc = SV_HAVE(ev, SV_F_PQC_ASYM) && ev->pqc_asym;
	c->asym = sv_evidence_asym(ev);
	if (c->pqc && (ev->version < 0x14 || ev->asym))
		c->asym = NULL;
	c->meas = SV_HAVE(ev, SV_F_SIG_TYPE) &&
		  ev->sig_type == SV_SIG_MEASUREMENTS;
	c->ke = SV_HAVE(ev, SV_F_SIG_TYPE) &&
		ev->sig_type == SV_SIG_KEY_EXCHANGE;
	if (c->ke && !chk_from_log(c))
		missing_session(ev, missing, sizeof(missing));

	if (*missing)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "missing: %s%s", missing,
			c->o->log ? " (not derivable from the log entry: see log)" :
			"");
	else if (c->o->expect_dev && SV_HAVE(ev, SV_F_DEV_NAME) &&
		 strcmp(ev->dev_name, c->o->expect_dev))
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "evidence is for %s, not %s",
			ev->dev_name, c->o->expect_dev);
	else if (!c->version_ok)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "unsupported SPDM version %u.%u",
			ev->version >> 4, ev->version & 0xf);
	else if (!c->hash)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL,
			"unsupported base-hash-alg 0x%x", ev->hash);
	else if (c->pqc && ev->version < 0x14)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL,
			"pqc-asym-alg 0x%x with SPDM %u.%u: PqcAsymAlgo exists from SPDM 1.4 on",
			ev->pqc_asym, ev->version >> 4, ev->version & 0xf);
	else if (c->pqc && ev->asym)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL,
			"base-asym-alg 0x%x and pqc-asym-alg 0x%x: a device selects one of them, the other is 0",
			ev->asym, ev->pqc_asym);
	else if (!c->asym)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "unsupported %s 0x%x",
			c->pqc ? "pqc-asym-alg" : "base-asym-alg",
			c->pqc ? ev->pqc_asym : ev->asym);
	else if (SV_HAVE(ev, SV_F_SIG_TYPE) && !sv_sig_type_name(ev->sig_type))
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "unsupported sig-type %u",
			ev->sig_type);
	else if (ev->slot > 7)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "slot %u", ev->slot);
	else if (c->ke && ev->version < 0x11)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL, "SPDM 1.0 has no KEY_EXCHANGE");
	else if (c->o->nested && !c->meas)
		chk_set(c, SV_C_EVIDENCE, SV_FAIL,
			"session-meas holds no measurements evidence (sig-type %s)",
			SV_HAVE(ev, SV_F_SIG_TYPE) ? "other" : "missing");
	else
		chk_set(c, SV_C_EVIDENCE, SV_PASS,
			"%s, SPDM %u.%u, %s, %s, slot %u, transcript %zu bytes, chain %zu bytes, %s%s",
			chk_signed_msg(c),
			ev->version >> 4, ev->version & 0xf, c->asym->label,
			c->hash->label, ev->slot, ev->transcript.len,
			ev->chain.len, c->o->log ? "from the sysfs signature log" :
			"provider ", c->o->log ? "" :
			!SV_HAVE(ev, SV_F_PROVIDER) ? "unknown" :
			sv_provider_name(ev->provider) ?: "unknown");
}

/*
 * The entry's own files against the signed bytes: the nonce files are
 * copies of the transcript's nonces, found by walking it.
 */
void check_log(struct ctx *c)
{
	const struct sv_log *log = c->o->log;
	const struct sv_evidence *ev = c->ev;
	const uint8_t *t = ev->transcript.data;

	if (!log) {
		chk_set(c, SV_C_LOG, SV_NA, "not from the signature log");
		return;
	}
	if (!log->derived) {
		chk_set(c, SV_C_LOG, SV_FAIL, "%s", log->why);
		return;
	}
	if (ev->transcript.len < SV_NONCE_LEN ||
	    ev->req_off > ev->transcript.len - SV_NONCE_LEN ||
	    ev->rsp_off > ev->transcript.len - SV_NONCE_LEN) {
		chk_set(c, SV_C_LOG, SV_FAIL, "nonce offsets outside the transcript");
		return;
	}
	if (log->req_nonce.len != SV_NONCE_LEN ||
	    memcmp(log->req_nonce.data, t + ev->req_off, SV_NONCE_LEN)) {
		chk_set(c, SV_C_LOG, SV_FAIL,
			"requester_nonce (%zu bytes) is not the nonce at %u in the transcript",
			log->req_nonce.len, ev->req_off);
		return;
	}
	if (log->rsp_nonce.len != SV_NONCE_LEN ||
	    memcmp(log->rsp_nonce.data, t + ev->rsp_off, SV_NONCE_LEN)) {
		chk_set(c, SV_C_LOG, SV_FAIL,
			"responder_nonce (%zu bytes) is not the nonce at %u in the transcript",
			log->rsp_nonce.len, ev->rsp_off);
		return;
	}
	chk_set(c, SV_C_LOG, SV_PASS,
		"type %s; %s; requester_nonce and responder_nonce are the transcript's",
		log->type, log->how);
}
