// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify dump: the evidence the kernel holds (evidence-read), shown,
 * written as JSON, and verified with --verify.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli.h"

struct dump_state {
	struct sv_evidence *objs;
	size_t n;
	uint32_t generation;
};

#define SIGNED_OBJECTS	(SV_OBJ_BIT(SV_OBJ_MEASUREMENTS) | \
			 SV_OBJ_BIT(SV_OBJ_REPORT))

static int on_object(struct sv_evidence *ev, void *arg)
{
	struct dump_state *ds = arg;
	struct sv_evidence *p;

	p = realloc(ds->objs, (ds->n + 1) * sizeof(*p));
	if (!p)
		return -1;
	ds->objs = p;
	ds->objs[ds->n++] = *ev;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

static bool signed_object(const struct sv_evidence *ev)
{
	return ev->object == SV_OBJ_MEASUREMENTS ||
	       ev->object == SV_OBJ_REPORT;
}

/* The object's data (chain, VCA or transcript) */
static const struct sv_buf *object_data(const struct sv_evidence *ev)
{
	return SV_IS_CERT(ev->object) ? &ev->chain :
	       ev->object == SV_OBJ_VCA ? &ev->vca : &ev->transcript;
}

/* A report's sig-type: challenge or key-exchange */
static const char *report_kind(const struct sv_evidence *ev)
{
	return ev->object != SV_OBJ_REPORT ? "" :
	       ev->sig_type == SV_SIG_KEY_EXCHANGE ? " (key-exchange)" :
	       ev->sig_type == SV_SIG_CHALLENGE ? " (challenge)" : " (?)";
}

static void dump_json(const struct opts *o, const struct dump_state *ds,
		      struct sv_verdict *const *v)
{
	const struct sv_evidence *ev;
	const struct sv_buf *b;
	struct sv_jw w;
	size_t i;

	sv_jw_init(&w, stdout, o->pretty);
	sv_jw_obj(&w, NULL);
	sv_jw_str(&w, "device", o->arg);
	sv_jw_arr(&w, "objects");
	for (i = 0; i < ds->n; i++) {
		ev = &ds->objs[i];
		sv_jw_obj(&w, NULL);
		sv_jw_str(&w, "object", sv_object_name(ev->object) ?: "unknown");
		sv_jw_int(&w, "generation", ev->generation);
		if (SV_HAVE(ev, SV_F_DIGEST)) {
			if (SV_HAVE(ev, SV_F_SLOT))
				sv_jw_int(&w, "slot", ev->slot);
			if (ev->object == SV_OBJ_REPORT)
				sv_jw_str(&w, "sig_type",
					  sv_sig_type_name(ev->sig_type) ?: "?");
			sv_jw_str(&w, "hash_algo", ev->hash_algo);
			sv_jw_b64(&w, "digest", ev->digest.data,
				  ev->digest.len);
		} else if (signed_object(ev)) {
			sv_bundle_write(&w, "bundle", ev, v[i]);
		} else if (SV_IS_CERT(ev->object) ||
			   ev->object == SV_OBJ_VCA) {
			b = object_data(ev);
			if (SV_HAVE(ev, SV_F_SLOT))
				sv_jw_int(&w, "slot", ev->slot);
			sv_jw_int(&w, "size", b->len);
			sv_jw_b64(&w, "data", b->data, b->len);
		}
		sv_jw_obj_end(&w);
	}
	sv_jw_arr_end(&w);
	sv_jw_obj_end(&w);
	sv_jw_end(&w);
}

/* A key exchange's session ID and the kernel's verdicts on it */
static void dump_session(const struct sv_evidence *ev)
{
	if (ev->object != SV_OBJ_REPORT ||
	    ev->sig_type != SV_SIG_KEY_EXCHANGE) {
		putchar('\n');
		return;
	}
	printf(", ResponderVerifyData %s, FINISH %s; session 0x%08x\n",
	       !SV_HAVE(ev, SV_F_RSP_VERIFY) ? "not reported" :
	       ev->rsp_verify_valid ? "valid" : "invalid",
	       !SV_HAVE(ev, SV_F_FINISH) ? "not reported" :
	       ev->finish_valid ? "valid" : "failed", ev->session_id);
}

static void dump_human(const struct opts *o, const struct dump_state *ds,
		       size_t hash_len)
{
	const struct sv_evidence *ev;
	const struct sv_hash *h;
	const struct sv_asym *a;
	char leaf[256];
	size_t i;
	int n;

	printf("%s: %zu evidence object%s, generation %u%s\n", o->arg, ds->n,
	       ds->n == 1 ? "" : "s", ds->generation,
	       o->digest ? ", digests" : "");
	for (i = 0; i < ds->n; i++) {
		ev = &ds->objs[i];
		if (SV_HAVE(ev, SV_F_DIGEST)) {
			char hex[2 * SV_MAX_HASH_LEN + 1];

			sv_hex(ev->digest.data, ev->digest.len, hex);
			printf("  %s%s: %s %s\n", sv_object_name(ev->object) ?:
			       "?", report_kind(ev), ev->hash_algo, hex);
			continue;
		}
		switch (ev->object) {
		case SV_OBJ_CERT0 ... SV_OBJ_CERT7:
			sv_chain_info(&ev->chain, hash_len, &n, leaf,
				      sizeof(leaf));
			printf("  %s (slot %d): %zu bytes, %d certificate%s%s%s\n",
			       sv_object_name(ev->object),
			       SV_HAVE(ev, SV_F_SLOT) ? ev->slot : -1,
			       ev->chain.len, n, n == 1 ? "" : "s",
			       *leaf ? ", leaf " : "", leaf);
			break;
		case SV_OBJ_VCA:
			printf("  vca: %zu bytes\n", ev->vca.len);
			break;
		case SV_OBJ_MEASUREMENTS:
		case SV_OBJ_REPORT:
			a = sv_evidence_asym(ev);
			h = sv_hash_by_bit(ev->hash);
			printf("  %s%s: SPDM %u.%u, %s, %s, slot %u, ",
			       sv_object_name(ev->object), report_kind(ev),
			       ev->version >> 4,
			       ev->version & 0xf, a ? a->label : "?",
			       h ? h->label : "?", ev->slot);
			printf("transcript %zu bytes, signature %zu bytes; ",
			       ev->transcript.len, ev->signature.len);
			printf("kernel: signature %s, chain %s",
			       ev->sig_valid ? "valid" : "invalid",
			       ev->anchored ? "anchored" : "not anchored");
			dump_session(ev);
			break;
		default:
			printf("  object %u\n", ev->object);
		}
	}
	fflush(stdout);
}

static void dump_free(struct dump_state *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		sv_evidence_free(&ds->objs[i]);
	free(ds->objs);
}

/*
 * A signed object verifies with the chain of its slot, for the device;
 * 0, or the exit status
 */
static int complete_signed(const struct opts *o, struct dump_state *ds,
			    struct sv_evidence *ev)
{
	size_t i;

	for (i = 0; !SV_HAVE(ev, SV_F_CHAIN) && i < ds->n; i++)
		if (ds->objs[i].object == SV_OBJ_CERT0 + ev->slot &&
		    !sv_buf_set(&ev->chain, ds->objs[i].chain.data,
				ds->objs[i].chain.len))
			ev->have |= 1U << SV_F_CHAIN;
	if (!SV_HAVE(ev, SV_F_DEV_NAME)) {
		snprintf(ev->dev_name, sizeof(ev->dev_name), "%s", o->arg);
		ev->have |= 1U << SV_F_DEV_NAME;
	}
	/* a nonce given challenges with it: the challenge evidence has it */
	if (o->have_nonce && ev->object == SV_OBJ_REPORT &&
	    ev->sig_type == SV_SIG_CHALLENGE) {
		memcpy(ev->nonce, o->nonce, SV_NONCE_LEN);
		ev->have |= 1U << SV_F_NONCE;
	}
	return cli_live_identity(o, ev);
}

/* --verify: a signed object, with the chain of its slot */
static void dump_verify(const struct opts *o, const struct sv_evidence *ev,
			struct sv_verdict **v, int *rc)
{
	struct sv_verify_opts vo;

	*v = malloc(sizeof(**v));
	if (!*v) {
		*rc = EXIT_SYSTEM;
		return;
	}
	cli_verify_opts(o, &vo);
	vo.nonce = o->have_nonce && ev->object == SV_OBJ_REPORT &&
		   ev->sig_type == SV_SIG_CHALLENGE ? o->nonce : NULL;
	vo.expect_dev = o->arg;
	if (ev->object != SV_OBJ_MEASUREMENTS)
		vo.expect = NULL;
	sv_verify(ev, &vo, *v);
	if (!(*v)->ok && *rc == EXIT_OK)
		*rc = EXIT_FAILED;
}

/* One evidence-read into @ds; 0, or the exit status */
static int dump_read(const struct opts *o, uint32_t flags,
		     const uint8_t *nonce, struct dump_state *ds)
{
	struct sv_dump_req q = {
		.nonce = o->have_nonce ? nonce : NULL,
		.type_mask = o->type_mask,
		.flags = flags,
	};
	struct sv_nlerr e;
	struct sv_nl *nl;
	int rc;

	if (o->between) {
		q.between = cli_run_between;
		q.between_arg = (void *)o->between;
	}
	/* --between: small reads, so the dump goes on after CMD */
	nl = sv_nl_open_buf(false, o->between ? 4096 : 0, &e);
	if (!nl)
		return cli_netlink_failure("dump", &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	rc = sv_nl_dump(nl, o->arg, &q, on_object, ds, &ds->generation, &e);
	sv_nl_close(nl);
	if (!rc)
		return EXIT_OK;
	if (e.kernel_errno == EAGAIN)
		cli_warn("dump: the evidence changed while it was read (generation); read it again");
	return cli_netlink_failure("dump", &e);
}

/*
 * --digest: each digest has the size of its hash; with --verify, it is
 * the hash of the object of the same generation in @full.  Counts the
 * failures.
 */
static int check_digests(const struct opts *o, const struct dump_state *dg,
			 const struct dump_state *full)
{
	const struct sv_evidence *d, *f = NULL;
	uint8_t md[EVP_MAX_MD_SIZE];
	const struct sv_hash *h;
	unsigned int mdlen = 0;
	const struct sv_buf *b;
	int bad = 0;
	size_t i, j;

	for (i = 0; i < dg->n; i++) {
		d = &dg->objs[i];
		h = sv_hash_by_bit(d->hash);
		if (!SV_HAVE(d, SV_F_DIGEST) || !h || d->digest.len != h->len) {
			cli_warn("FAIL digest: %s: no digest of the size of its hash",
				 sv_object_name(d->object) ?: "?");
			bad++;
			continue;
		}
		if (!full)
			continue;
		for (j = 0, f = NULL; j < full->n && !f; j++)
			if (full->objs[j].object == d->object)
				f = &full->objs[j];
		b = f ? object_data(f) : NULL;
		if (!b || !EVP_Digest(b->data, b->len, md, &mdlen, h->md(),
				      NULL) ||
		    mdlen != d->digest.len ||
		    memcmp(md, d->digest.data, mdlen)) {
			cli_warn("FAIL digest: %s: the digest is not %s of the object read in full",
				 sv_object_name(d->object) ?: "?", h->label);
			bad++;
		} else if (!o->quiet) {
			printf("  PASS  digest  %s: %s of the %zu-byte object read in full\n",
			       sv_object_name(d->object), h->label, b->len);
		}
	}
	for (j = 0; full && j < full->n; j++) {
		for (i = 0, f = NULL; i < dg->n && !f; i++)
			if (dg->objs[i].object == full->objs[j].object)
				f = &dg->objs[i];
		if (!f) {
			cli_warn("FAIL digest: %s: read in full but no digest",
				 sv_object_name(full->objs[j].object) ?: "?");
			bad++;
		}
	}
	return bad;
}

int cli_cmd_dump(struct opts *o)
{
	struct dump_state ds = { 0 }, dg = { 0 };
	struct sv_verdict **v = NULL;
	struct sv_evidence *save = NULL;
	const struct sv_hash *h = NULL;
	int rc = EXIT_OK;
	size_t i, nr_signed = 0;

	/* verifying needs signed evidence and the chains */
	if (o->verify && o->type_mask) {
		if (!(o->type_mask & SIGNED_OBJECTS))
			o->type_mask |= SIGNED_OBJECTS;
		o->type_mask |= SV_OBJ_CERTS;
	}
	if (o->digest) {
		rc = dump_read(o, SV_FLAG_DIGEST, o->nonce, &dg);
		if (rc) {
			dump_free(&dg);
			return rc;
		}
		if (!o->verify) {
			if (o->json && !o->quiet)
				dump_json(o, &dg, NULL);
			else if (!o->quiet)
				dump_human(o, &dg, 0);
			o->quiet |= o->json;
			rc = check_digests(o, &dg, NULL) ? EXIT_FAILED : EXIT_OK;
			dump_free(&dg);
			return rc;
		}
	}
	/* the objects themselves; a nonce challenged before the digests */
	rc = dump_read(o, 0, o->digest ? NULL : o->nonce, &ds);
	if (rc) {
		dump_free(&ds);
		dump_free(&dg);
		return rc;
	}
	if (o->digest && dg.generation != ds.generation) {
		cli_warn("dump: the evidence changed between the read of the digests (generation %u) and of the objects (%u); read again",
			 dg.generation, ds.generation);
		dump_free(&ds);
		dump_free(&dg);
		return EXIT_SYSTEM;
	}
	rc = EXIT_OK;
	v = calloc(ds.n ?: 1, sizeof(*v));
	if (!v) {
		dump_free(&ds);
		cli_warn("out of memory");
		return EXIT_SYSTEM;
	}
	for (i = 0; i < ds.n; i++) {
		if (!signed_object(&ds.objs[i]))
			continue;
		nr_signed++;
		if (complete_signed(o, &ds, &ds.objs[i]) && o->verify)
			rc = EXIT_SYSTEM;
		if (!save || ds.objs[i].object == SV_OBJ_REPORT)
			save = &ds.objs[i];
		if (!h || ds.objs[i].object == SV_OBJ_REPORT)
			h = sv_hash_by_bit(ds.objs[i].hash) ?: h;
		if (o->verify)
			dump_verify(o, &ds.objs[i], &v[i], &rc);
	}
	if (o->verify && !nr_signed) {
		cli_warn("dump: no signed evidence (measurements, report) to verify");
		rc = EXIT_FAILED;
	}
	if (save && o->output &&
	    cli_save_bundle(o->output, save, v[save - ds.objs], o->pretty))
		rc = EXIT_SYSTEM;
	if (o->json && !o->quiet) {
		struct opts qo = *o;

		qo.quiet = true;
		if (o->digest && check_digests(&qo, &dg, &ds))
			rc = EXIT_FAILED;
		dump_json(o, o->digest ? &dg : &ds, v);
	} else {
		if (!o->quiet)
			dump_human(o, o->digest ? &dg : &ds, h ? h->len : 0);
		if (o->digest && check_digests(o, &dg, &ds))
			rc = EXIT_FAILED;
		for (i = 0; i < ds.n; i++) {
			struct opts po = *o;

			if (!v[i])
				continue;
			po.json = false;
			po.output = NULL;
			cli_print_verdict(&po, &ds.objs[i], v[i]);
		}
	}
	for (i = 0; i < ds.n; i++) {
		if (v[i])
			sv_verdict_free(v[i]);
		free(v[i]);
	}
	free(v);
	dump_free(&ds);
	dump_free(&dg);
	return rc;
}
