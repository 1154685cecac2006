// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify platform: a TPM quote over the PCR of the kernel's SPDM
 * event log, the log and evidence bundles, tied together.  The quote
 * (signed by the attestation key, over the verifier's nonce) vouches for
 * the PCR; the log replays to it; each bundle's transcript is named by
 * one event of the log; each bundle verifies as with verify-bundle.  The
 * result is one chain per bundle: verifier nonce -> session -> device ->
 * platform.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/sha.h>

#include "cli.h"
#include "json.h"
#include "tcg.h"

struct pcheck {
	const char *name;
	bool ok;
	char detail[SV_ERR_MAX];
};

/* What the quote and the log establish, for every bundle */
struct platform {
	struct sv_buf quote, sig, log_buf;
	struct sv_quote q;
	struct sv_tcg_log log;
	unsigned int bank;		/* of the log, the quoted one */
	uint8_t pcr_value[SV_TCG_MAX_DIGEST];
	int nr_extended;
	struct pcheck check[6];
	unsigned int nr_checks;
	bool ok;
};

/* The whole of @path in @b */
static int read_file(const char *path, struct sv_buf *b)
{
	size_t len;

	b->data = (uint8_t *)cli_read_all(path, &len);
	b->len = b->data ? len : 0;
	return b->data ? 0 : -1;
}

static struct pcheck *add_check(struct platform *pl, const char *name,
				bool ok)
{
	struct pcheck *c = &pl->check[pl->nr_checks++];

	c->name = name;
	c->ok = ok;
	c->detail[0] = 0;
	if (!ok)
		pl->ok = false;
	return c;
}

/* The quote selects exactly PCR @pcr of one bank the log has */
static bool quote_selects(struct platform *pl, unsigned int pcr,
			  char *err, size_t errlen)
{
	const struct sv_pcr_select *s = &pl->q.sel[0];
	unsigned int i, n = 0;

	for (i = 0; i < (unsigned int)s->size * 8; i++)
		n += !!(s->select[i / 8] & (1 << (i % 8)));
	if (pl->q.nr_select != 1 || n != 1 || pcr / 8 >= s->size ||
	    !(s->select[pcr / 8] & (1 << (pcr % 8)))) {
		sv_errf(err, errlen, "the quote is not over PCR %u alone", pcr);
		return false;
	}
	for (i = 0; i < pl->log.nr_banks; i++)
		if (pl->log.banks[i].alg == s->alg && pl->log.banks[i].md)
			break;
	if (i == pl->log.nr_banks) {
		sv_errf(err, errlen, "the quoted bank %s is not in the log",
			sv_tpm_alg_name(s->alg));
		return false;
	}
	pl->bank = i;
	snprintf(err, errlen, "PCR %u of bank %s", pcr,
		 sv_tpm_alg_name(s->alg));
	return true;
}

/* quote-signature, quote-nonce, log, log-digests, quote-pcrs, log-replay */
static void check_platform(const struct opts *o, struct platform *pl,
			   EVP_PKEY *ak)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	struct pcheck *c;
	uint16_t alg = 0;
	char err[SV_ERR_MAX] = "";
	bool ok;

	pl->ok = true;
	ok = !sv_quote_parse(pl->quote.data, pl->quote.len, &pl->q, err,
			     sizeof(err)) &&
	     !sv_quote_verify(pl->quote.data, pl->quote.len, pl->sig.data,
			      pl->sig.len, ak, &alg, err, sizeof(err));
	c = add_check(pl, "quote-signature", ok);
	snprintf(c->detail, sizeof(c->detail), "%s",
		 ok ? "TPMS_ATTEST signed by the attestation key" : err);
	if (!ok)
		return;

	ok = pl->q.extra_len == o->quote_nonce_len &&
	     !memcmp(pl->q.extra, o->quote_nonce, o->quote_nonce_len);
	c = add_check(pl, "quote-nonce", ok);
	snprintf(c->detail, sizeof(c->detail), "%s",
		 ok ? "extraData is our nonce" :
		 "extraData is not our nonce: a quote made for someone else, or replayed");

	ok = !sv_tcg_parse(pl->log_buf.data, pl->log_buf.len, &pl->log, err,
			   sizeof(err));
	c = add_check(pl, "log", ok);
	if (!ok) {
		snprintf(c->detail, sizeof(c->detail), "%s", err);
		return;
	}
	snprintf(c->detail, sizeof(c->detail), "%zu events, %u banks",
		 pl->log.nr_events, pl->log.nr_banks);
	ok = !sv_tcg_check_digests(&pl->log, err, sizeof(err));
	c = add_check(pl, "log-digests", ok);
	snprintf(c->detail, sizeof(c->detail), "%s",
		 ok ? "every event's digests are those of its data" : err);

	ok = quote_selects(pl, o->pcr, err, sizeof(err));
	c = add_check(pl, "quote-pcrs", ok);
	snprintf(c->detail, sizeof(c->detail), "%s", err);
	if (!ok)
		return;

	pl->nr_extended = sv_tcg_replay(&pl->log, o->pcr, pl->bank,
					pl->pcr_value);
	ok = pl->nr_extended >= 0 &&
	     EVP_Digest(pl->pcr_value, pl->log.banks[pl->bank].size, md,
			&mdlen, sv_tpm_alg_md(alg), NULL) &&
	     mdlen == pl->q.pcr_digest_len &&
	     !memcmp(md, pl->q.pcr_digest, mdlen);
	c = add_check(pl, "log-replay", ok);
	snprintf(c->detail, sizeof(c->detail),
		 ok ? "%d events replay to the quoted PCR %u" :
		 "the log (%d events) does not replay to the quoted PCR %u: an event altered, removed, reordered or added, or the PCR extended behind the log's back",
		 pl->nr_extended, o->pcr);
}

static int sig_kind(uint32_t sig_type)
{
	switch (sig_type) {
	case SV_SIG_CHALLENGE:		return SV_SPDM_KIND_AUTHENTICATION;
	case SV_SIG_MEASUREMENTS:	return SV_SPDM_KIND_MEASUREMENTS;
	case SV_SIG_KEY_EXCHANGE:	return SV_SPDM_KIND_SESSION;
	default:			return 0;
	}
}

/* The event naming the transcript of @ev, consistent with it */
static int find_event(const struct platform *pl, unsigned int pcr,
		      const struct sv_evidence *ev,
		      const struct sv_verdict *v, struct sv_spdm_event *s,
		      size_t *index, char *err, size_t errlen)
{
	uint8_t h[SHA256_DIGEST_LENGTH];
	char e2[SV_ERR_MAX];
	size_t n;

	SHA256(ev->transcript.data, ev->transcript.len, h);
	for (n = 0; n < pl->log.nr_events; n++) {
		if (pl->log.events[n].pcr != pcr ||
		    sv_tcg_spdm_decode(&pl->log.events[n], s, e2, sizeof(e2)))
			continue;
		if ((s->flags & SV_SPDM_FLAG_SIGNED) &&
		    !memcmp(s->transcript_sha256, h, sizeof(h)))
			break;
	}
	if (n == pl->log.nr_events)
		return sv_errf(err, errlen, "no event of the log names this transcript: the kernel did not measure it");
	*index = n;
	if (strcmp(s->dev_name, ev->dev_name))
		return sv_errf(err, errlen, "event %zu is of device %s, the evidence of %s",
			       n, s->dev_name, ev->dev_name);
	if (s->kind != sig_kind(ev->sig_type))
		return sv_errf(err, errlen, "event %zu is of kind %u, the evidence a %s",
			       n, s->kind, sv_sig_type_name(ev->sig_type));
	if (v->have_req_nonce && memcmp(s->nonce, v->req_nonce, 32))
		return sv_errf(err, errlen, "event %zu names another requester nonce", n);
	if (s->kind == SV_SPDM_KIND_SESSION &&
	    (s->flags & SV_SPDM_FLAG_SESSION_ID) &&
	    s->session_id != ev->session_id)
		return sv_errf(err, errlen, "event %zu names session %#010x, the evidence %#010x",
			       n, s->session_id, ev->session_id);
	return 0;
}

static void print_chain(const struct opts *o, const struct platform *pl,
			const struct sv_evidence *ev,
			const struct sv_verdict *v,
			const struct sv_spdm_event *s, size_t index)
{
	char nonce[65], pcr[2 * SV_TCG_MAX_DIGEST + 1];

	sv_hex(v->req_nonce, 32, nonce);
	sv_hex(pl->pcr_value, pl->log.banks[pl->bank].size, pcr);
	printf("chain: nonce %s -> ", nonce);
	if (ev->sig_type == SV_SIG_KEY_EXCHANGE)
		printf("session %#010x -> ", ev->session_id);
	printf("device %s", ev->dev_name);
	if (s->pci)
		printf(" (PCI %04x:%04x rev %02x class %02x%02x%02x)",
		       s->vendor, s->device_id, s->revision,
		       s->class_code[2], s->class_code[1], s->class_code[0]);
	printf(", %s -> platform (event %zu, PCR %u %s %s)\n",
	       v->leaf_subject[0] ? v->leaf_subject : "no chain", index,
	       o->pcr, sv_tpm_alg_name(pl->log.banks[pl->bank].alg), pcr);
}

static void json_chain(struct sv_jw *w, const struct sv_evidence *ev,
		       const struct sv_verdict *v,
		       const struct sv_spdm_event *s, size_t index,
		       const char *why)
{
	sv_jw_obj(w, NULL);
	sv_jw_bool(w, "ok", !why && v->ok);
	if (why)
		sv_jw_str(w, "error", why);
	if (!why) {
		sv_jw_int(w, "event", index);
		sv_jw_int(w, "auth-state", s->auth_state);
		if (s->pci) {
			sv_jw_int(w, "vendor", s->vendor);
			sv_jw_int(w, "device-id", s->device_id);
		}
		if (ev->sig_type == SV_SIG_KEY_EXCHANGE)
			sv_jw_int(w, "session-id", ev->session_id);
	}
	sv_bundle_write(w, "bundle", ev, v);
	sv_jw_obj_end(w);
}

/* One bundle; 0, EXIT_FAILED or EXIT_SYSTEM */
static int check_bundle(const struct opts *o, const struct platform *pl,
			const char *path, struct sv_jw *w)
{
	struct sv_verdict *v = calloc(1, sizeof(*v));
	struct sv_verify_opts vo;
	struct sv_spdm_event s;
	char err[SV_ERR_MAX];
	struct sv_evidence ev;
	struct sv_buf text;
	size_t index = 0;
	int rc, found;

	if (!v || read_file(path, &text)) {
		cli_warn("%s: %s", path, strerror(errno));
		free(v);
		return EXIT_SYSTEM;
	}
	rc = sv_bundle_read((char *)text.data, text.len, &ev, err,
			    sizeof(err));
	sv_buf_free(&text);
	if (rc) {
		cli_warn("FAIL evidence: %s: %s", path, err);
		free(v);
		return EXIT_FAILED;
	}
	cli_verify_opts(o, &vo);
	vo.nonce = o->have_nonce ? o->nonce : NULL;
	sv_verify(&ev, &vo, v);
	found = find_event(pl, o->pcr, &ev, v, &s, &index, err, sizeof(err));
	if (o->json) {
		json_chain(w, &ev, v, &s, index, found ? err : NULL);
	} else if (!o->quiet) {
		printf("%s: %s\n", path, found ? "FAIL" : "ok");
		cli_print_verdict(o, &ev, v);
		if (found)
			printf("FAIL event: %s\n", err);
		else
			print_chain(o, pl, &ev, v, &s, index);
	}
	rc = found || !v->ok ? EXIT_FAILED : EXIT_OK;
	sv_verdict_free(v);
	free(v);
	sv_evidence_free(&ev);
	return rc;
}

static void print_checks(const struct opts *o, const struct platform *pl,
			 struct sv_jw *w)
{
	unsigned int i;

	if (o->json) {
		sv_jw_arr(w, "checks");
		for (i = 0; i < pl->nr_checks; i++) {
			sv_jw_obj(w, NULL);
			sv_jw_str(w, "name", pl->check[i].name);
			sv_jw_bool(w, "ok", pl->check[i].ok);
			sv_jw_str(w, "detail", pl->check[i].detail);
			sv_jw_obj_end(w);
		}
		sv_jw_arr_end(w);
		return;
	}
	for (i = 0; i < pl->nr_checks; i++)
		if (!o->quiet || !pl->check[i].ok)
			printf("%-4s %s: %s\n", pl->check[i].ok ? "ok" : "FAIL",
			       pl->check[i].name, pl->check[i].detail);
}

static EVP_PKEY *read_ak(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *pkey;

	if (!f)
		return NULL;
	pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!pkey)
		errno = EINVAL;
	return pkey;
}

int cli_cmd_platform(struct opts *o)
{
	struct platform pl = { 0 };
	EVP_PKEY *ak;
	struct sv_jw w;
	int i, rc = EXIT_OK, r;

	ak = read_ak(o->ak);
	if (!ak) {
		cli_warn("--ak %s: %s", o->ak,
			 errno == EINVAL ? "no PEM public key" : strerror(errno));
		return EXIT_SYSTEM;
	}
	if (read_file(o->quote, &pl.quote) ||
	    read_file(o->quote_sig, &pl.sig) ||
	    read_file(o->event_log, &pl.log_buf)) {
		cli_warn("cannot read the quote, its signature or the log: %s",
			 strerror(errno));
		rc = EXIT_SYSTEM;
		goto out;
	}

	check_platform(o, &pl, ak);
	if (o->json) {
		sv_jw_init(&w, stdout, o->pretty);
		sv_jw_obj(&w, NULL);
		sv_jw_int(&w, "pcr", o->pcr);
		if (pl.nr_checks >= 6)
			sv_jw_hex(&w, "pcr-value", pl.pcr_value,
				  pl.log.banks[pl.bank].size);
	}
	print_checks(o, &pl, &w);
	if (!pl.ok)
		rc = EXIT_FAILED;
	if (o->json)
		sv_jw_arr(&w, "chains");
	for (i = 0; pl.ok && i < o->nr_files; i++) {
		r = check_bundle(o, &pl, o->files[i], &w);
		if (r > rc)
			rc = r;
	}
	if (o->json) {
		sv_jw_arr_end(&w);
		sv_jw_bool(&w, "ok", rc == EXIT_OK);
		sv_jw_obj_end(&w);
		sv_jw_end(&w);
	} else if (!o->quiet) {
		printf("platform: %s\n", rc == EXIT_OK ? "PASS" : "FAIL");
	}
out:
	sv_tcg_free(&pl.log);
	sv_buf_free(&pl.quote);
	sv_buf_free(&pl.sig);
	sv_buf_free(&pl.log_buf);
	EVP_PKEY_free(ak);
	return rc;
}
