// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify dump: the evidence the kernel holds (evidence-read), shown,
 * written as JSON, and verified with --verify.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct dump_state {
	struct sv_evidence *objs;
	size_t n;
};

#define SIGNED_OBJECTS	(SV_OBJ_CHALLENGE | SV_OBJ_MEASUREMENTS | \
			 SV_OBJ_KEY_EXCHANGE)

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
	return ev->object == SV_OBJ_CHALLENGE ||
	       ev->object == SV_OBJ_MEASUREMENTS ||
	       ev->object == SV_OBJ_KEY_EXCHANGE;
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
		if (signed_object(ev)) {
			sv_bundle_write(&w, "bundle", ev, v[i]);
		} else if (ev->object == SV_OBJ_CERT_CHAIN ||
			   ev->object == SV_OBJ_VCA) {
			b = ev->object == SV_OBJ_CERT_CHAIN ? &ev->chain :
			    &ev->vca;
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
	if (ev->object != SV_OBJ_KEY_EXCHANGE) {
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

	printf("%s: %zu evidence object%s\n", o->arg, ds->n,
	       ds->n == 1 ? "" : "s");
	for (i = 0; i < ds->n; i++) {
		ev = &ds->objs[i];
		switch (ev->object) {
		case SV_OBJ_CERT_CHAIN:
			sv_chain_info(&ev->chain, hash_len, &n, leaf,
				      sizeof(leaf));
			printf("  cert-chain slot %d: %zu bytes, %d certificate%s%s%s\n",
			       SV_HAVE(ev, SV_F_SLOT) ? ev->slot : -1,
			       ev->chain.len, n, n == 1 ? "" : "s",
			       *leaf ? ", leaf " : "", leaf);
			break;
		case SV_OBJ_VCA:
			printf("  vca: %zu bytes\n", ev->vca.len);
			break;
		case SV_OBJ_CHALLENGE:
		case SV_OBJ_MEASUREMENTS:
		case SV_OBJ_KEY_EXCHANGE:
			a = sv_asym_by_bit(ev->asym);
			h = sv_hash_by_bit(ev->hash);
			printf("  %s: SPDM %u.%u, %s, %s, slot %u, ",
			       sv_object_name(ev->object), ev->version >> 4,
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

/* A signed object verifies with the chain of its slot, for the device */
static void complete_signed(const struct opts *o, struct dump_state *ds,
			    struct sv_evidence *ev)
{
	size_t i;

	for (i = 0; !SV_HAVE(ev, SV_F_CHAIN) && i < ds->n; i++)
		if (ds->objs[i].object == SV_OBJ_CERT_CHAIN &&
		    SV_HAVE(&ds->objs[i], SV_F_SLOT) &&
		    ds->objs[i].slot == ev->slot &&
		    !sv_buf_set(&ev->chain, ds->objs[i].chain.data,
				ds->objs[i].chain.len))
			ev->have |= 1U << SV_F_CHAIN;
	if (!SV_HAVE(ev, SV_F_DEV_NAME)) {
		snprintf(ev->dev_name, sizeof(ev->dev_name), "%s", o->arg);
		ev->have |= 1U << SV_F_DEV_NAME;
	}
	/* a nonce given challenges with it: the challenge evidence has it */
	if (o->have_nonce && ev->object == SV_OBJ_CHALLENGE) {
		memcpy(ev->nonce, o->nonce, SV_NONCE_LEN);
		ev->have |= 1U << SV_F_NONCE;
	}
	cli_live_identity(o, ev);
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
	vo.nonce = o->have_nonce && ev->object == SV_OBJ_CHALLENGE ?
		   o->nonce : NULL;
	vo.expect_dev = o->arg;
	if (ev->object != SV_OBJ_MEASUREMENTS)
		vo.expect = NULL;
	sv_verify(ev, &vo, *v);
	if (!(*v)->ok && *rc == EXIT_OK)
		*rc = EXIT_FAILED;
}

int cli_cmd_dump(struct opts *o)
{
	struct dump_state ds = { 0 };
	struct sv_verdict **v = NULL;
	struct sv_evidence *save = NULL;
	const struct sv_hash *h = NULL;
	struct sv_nlerr e;
	struct sv_nl *nl;
	int rc = EXIT_OK;
	size_t i, nr_signed = 0;

	/* verifying needs signed evidence and the chains */
	if (o->verify && o->type_mask) {
		if (!(o->type_mask & SIGNED_OBJECTS))
			o->type_mask |= SIGNED_OBJECTS;
		o->type_mask |= SV_OBJ_CERT_CHAIN;
	}
	nl = sv_nl_open(false, &e);
	if (!nl)
		return cli_netlink_failure("dump", &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	if (sv_nl_dump(nl, o->arg, o->have_nonce ? o->nonce : NULL,
		       o->type_mask, on_object, &ds, &e)) {
		sv_nl_close(nl);
		dump_free(&ds);
		return cli_netlink_failure("dump", &e);
	}
	sv_nl_close(nl);
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
		complete_signed(o, &ds, &ds.objs[i]);
		if (!save || ds.objs[i].object == SV_OBJ_CHALLENGE)
			save = &ds.objs[i];
		if (!h || ds.objs[i].object == SV_OBJ_CHALLENGE)
			h = sv_hash_by_bit(ds.objs[i].hash) ?: h;
		if (o->verify)
			dump_verify(o, &ds.objs[i], &v[i], &rc);
	}
	if (o->verify && !nr_signed) {
		cli_warn("dump: no signed evidence (challenge, measurements, key-exchange) to verify");
		rc = EXIT_FAILED;
	}
	if (save && o->output &&
	    cli_save_bundle(o->output, save, v[save - ds.objs], o->pretty))
		rc = EXIT_SYSTEM;
	if (o->json && !o->quiet) {
		dump_json(o, &ds, v);
	} else {
		if (!o->quiet)
			dump_human(o, &ds, h ? h->len : 0);
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
	return rc;
}
