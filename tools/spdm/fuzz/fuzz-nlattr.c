// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-nlattr: generic netlink replies of the "spdm" family for
 * spdm-verify's attribute parser (nlparse.c), made from the input:
 *
 *   mode (1) || { length (2, LE) || attributes (length) } ...
 *
 * Each record becomes one message (nlmsghdr, genlmsghdr, the attributes
 * as they are, in a buffer of exactly that size) and goes where
 * netlink.c hands a valid message: mode bit 0 clear, into one evidence
 * object as the reply of a challenge, measurements or key-exchange
 * operation (sv_collect_attrs()); set, into the object its type and slot
 * name, with the generation checked, as an evidence-read dump does
 * (sv_object_key(), sv_generation()).  The objects are then finished
 * (sv_collect_finish()) and, with mode bit 1, checked with sv_verify().
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>
#include <linux/spdm_netlink.h>

#include "checks.h"

#define MAX_OBJS	16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct obj {
	uint32_t object;
	int slot;
	struct sv_collect c;
};

struct run {
	bool dump, verify;
	struct obj objs[MAX_OBJS];
	unsigned int n;
	uint32_t generation;
	unsigned int msgs;
};

/* One message: what netlink.c's challenge_msg() and dump_msg() do. */
static int one_msg(struct run *r, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = genlmsg_hdr(nlh);
	struct nlattr *head = genlmsg_attrdata(g, 0);
	int len = genlmsg_attrlen(g, 0), slot;
	char err[SV_ERR_MAX];
	struct obj *o = NULL;
	uint32_t object, gen;
	unsigned int i;

	if (!r->dump) {
		o = &r->objs[0];
		r->n = 1;
		return sv_collect_attrs(&o->c, head, len, err, sizeof(err));
	}
	if (sv_object_key(head, len, &object, &slot) ||
	    sv_generation(head, len, &gen))
		return -1;
	if (r->msgs++ && gen != r->generation)
		return -1;
	r->generation = gen;
	for (i = 0; i < r->n; i++)
		if (r->objs[i].object == object && r->objs[i].slot == slot)
			o = &r->objs[i];
	if (!o) {
		if (r->n == MAX_OBJS)
			return -1;
		o = &r->objs[r->n++];
		o->object = object;
		o->slot = slot;
	}
	return sv_collect_attrs(&o->c, head, len, err, sizeof(err));
}

/* The attributes @attrs (@len bytes) in a message of exactly its size. */
static int feed(struct run *r, const uint8_t *attrs, size_t len)
{
	size_t total = NLMSG_HDRLEN + GENL_HDRLEN + len;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int rc = -1;

	nlh = malloc(total);
	if (!nlh)
		abort();
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_len = total;
	nlh->nlmsg_type = 0x20;
	g = nlmsg_data(nlh);
	g->cmd = SPDM_CMD_CHALLENGE;
	g->version = SPDM_FAMILY_VERSION;
	memcpy((uint8_t *)nlh + NLMSG_HDRLEN + GENL_HDRLEN, attrs, len);
	if (genlmsg_valid_hdr(nlh, 0))
		rc = one_msg(r, nlh);
	free(nlh);
	return rc;
}

static void finish(struct run *r, struct sv_collect *c)
{
	struct sv_verify_opts o = { .no_time_check = true };
	struct sv_evidence ev;
	struct sv_verdict *v;
	char err[SV_ERR_MAX];

	if (sv_collect_finish(c, err, sizeof(err)) || !r->verify)
		return;
	ev = c->ev;
	memset(&c->ev, 0, sizeof(c->ev));
	v = calloc(1, sizeof(*v));
	if (!v)
		abort();
	sv_verify(&ev, &o, v);
	sv_verdict_free(v);
	free(v);
	sv_evidence_free(&ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run r = { 0 };
	size_t off = 1, len;
	unsigned int i;
	bool ok = true;

	if (!size)
		return 0;
	r.dump = data[0] & 1;
	r.verify = data[0] & 2;
	for (i = 0; i < MAX_OBJS; i++)
		sv_collect_init(&r.objs[i].c);
	while (ok && size - off >= 2) {
		len = data[off] | data[off + 1] << 8;
		off += 2;
		if (len > size - off)
			len = size - off;
		ok = !feed(&r, data + off, len);
		off += len;
	}
	for (i = 0; i < r.n; i++) {
		if (ok)
			finish(&r, &r.objs[i].c);
		sv_collect_free(&r.objs[i].c);
	}
	return 0;
}
