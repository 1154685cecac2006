// SPDX-License-Identifier: GPL-2.0
/*
 * The "spdm" generic netlink family (Documentation/netlink/specs/spdm.yaml)
 * from user space, with libnl-3: the challenge, measurements and
 * key-exchange requests, the evidence-read dump and the "sig" multicast
 * group.
 *
 * Replies can be far larger than a page (chains and transcripts come in
 * 32 KiB chunks): the socket peeks at each message's size before reading
 * it, starts with a 256 KiB buffer and asks for a 4 MiB receive queue.
 * Errors keep the kernel's errno and its extended ACK message.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <linux/spdm_netlink.h>

#include "netlink.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define MSG_BUF_SIZE	(256 * 1024)
#define RCVBUF_SIZE	(4 << 20)

struct sv_nl {
	struct nl_sock *sk;
	int family;
	int timeout_ms;			/* for a reply; -1: none */
};

static void __sv_printf(2, 3) nlerr(struct sv_nlerr *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

struct sv_nl *sv_nl_open(bool events, struct sv_nlerr *e)
{
	return sv_nl_open_buf(events, 0, e);
}

/*
 * With @msg_buf, reads go through a buffer of that size without peeking:
 * the kernel then fills dump messages of at most that size, one per read.
 */
struct sv_nl *sv_nl_open_buf(bool events, size_t msg_buf, struct sv_nlerr *e)
{
	struct sv_nl *nl = calloc(1, sizeof(*nl));
	int one = 1, rc, grp;

	memset(e, 0, sizeof(*e));
	if (!nl) {
		nlerr(e, "out of memory");
		return NULL;
	}
	nl->timeout_ms = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		nlerr(e, "out of memory");
		goto fail;
	}
	rc = genl_connect(nl->sk);
	if (rc) {
		nlerr(e, "cannot open a generic netlink socket: %s",
		      nl_geterror(rc));
		goto fail;
	}
	if (msg_buf) {
		nl_socket_disable_msg_peek(nl->sk);
		nl_socket_set_msg_buf_size(nl->sk, msg_buf);
	} else {
		nl_socket_enable_msg_peek(nl->sk);
		nl_socket_set_msg_buf_size(nl->sk, MSG_BUF_SIZE);
	}
	nl_socket_set_buffer_size(nl->sk, RCVBUF_SIZE, 0);
	/* the kernel's reasons, without an echo of our request */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl->family = genl_ctrl_resolve(nl->sk, SPDM_FAMILY_NAME);
	if (nl->family < 0) {
		nlerr(e, "the kernel has no \"%s\" generic netlink family %s: %s",
		      SPDM_FAMILY_NAME,
		      "(a kernel without SPDM evidence support?)",
		      nl_geterror(nl->family));
		goto fail;
	}
	if (events) {
		grp = genl_ctrl_resolve_grp(nl->sk, SPDM_FAMILY_NAME,
					    SPDM_MCGRP_SIG);
		if (grp < 0) {
			nlerr(e, "no multicast group \"%s\" in family \"%s\": %s",
			      SPDM_MCGRP_SIG, SPDM_FAMILY_NAME,
			      nl_geterror(grp));
			goto fail;
		}
		rc = nl_socket_add_membership(nl->sk, grp);
		if (rc) {
			nlerr(e, "cannot join multicast group \"%s\": %s",
			      SPDM_MCGRP_SIG, nl_geterror(rc));
			goto fail;
		}
	}
	return nl;
fail:
	sv_nl_close(nl);
	return NULL;
}

void sv_nl_set_timeout(struct sv_nl *nl, int timeout_ms)
{
	nl->timeout_ms = timeout_ms;
}

void sv_nl_close(struct sv_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

/* ---- one request, its replies and its end -------------------------------- */

struct req {
	struct sv_nlerr *e;
	bool done;
	bool failed;			/* e->msg says why */
	int (*on_msg)(struct req *r, struct nlmsghdr *nlh);
	void *arg;
	uint8_t cmd;			/* wanted in messages (0: any) */
};

/* The extended ACK attributes at @tlv (@len bytes): the message. */
static void ext_ack(struct sv_nlerr *e, const void *tlv, int len)
{
	struct nlattr *a;
	size_t n = strlen(e->msg);
	int rem;

	nla_for_each_attr(a, (struct nlattr *)tlv, len, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG && nla_len(a) > 0 &&
		    ((char *)nla_data(a))[nla_len(a) - 1] == 0)
			snprintf(e->msg + n, sizeof(e->msg) - n, ": %s",
				 (char *)nla_data(a));
		else if (nla_type(a) == NLMSGERR_ATTR_MISS_TYPE &&
			 nla_len(a) == 4)
			snprintf(e->msg + n, sizeof(e->msg) - n,
				 ": attribute %u missing", nla_get_u32(a));
		else
			continue;
		n = strlen(e->msg);
	}
}

static void kernel_error(struct req *r, int error)
{
	r->e->kernel_errno = -error;
	snprintf(r->e->msg, sizeof(r->e->msg), "%s", strerror(-error));
	r->failed = true;
	r->done = true;
}

static int err_cb(struct sockaddr_nl *sa, struct nlmsgerr *err, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct req *r = arg;
	size_t off;

	(void)sa;
	kernel_error(r, err->error);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	off = sizeof(*err);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + off)
		ext_ack(r->e, (char *)err + off,
			nlh->nlmsg_len - NLMSG_HDRLEN - off);
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	(void)msg;
	r->done = true;
	return NL_STOP;
}

/* NLMSG_DONE of a dump: its payload is an errno, maybe extended ACK. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = arg;
	int error;

	r->done = true;
	if (nlmsg_datalen(nlh) < (int)sizeof(int))
		return NL_STOP;
	memcpy(&error, nlmsg_data(nlh), sizeof(error));
	if (error < 0) {
		kernel_error(r, error);
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			ext_ack(r->e, (char *)nlmsg_data(nlh) + NLMSG_ALIGN(sizeof(int)),
				nlmsg_datalen(nlh) - NLMSG_ALIGN(sizeof(int)));
	}
	return NL_STOP;
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req *r = arg;
	struct genlmsghdr *g;

	if (!genlmsg_valid_hdr(nlh, 0)) {
		nlerr(r->e, "malformed generic netlink message");
		goto fail;
	}
	g = genlmsg_hdr(nlh);
	if (r->cmd && g->cmd != r->cmd)
		return NL_SKIP;
	if (r->on_msg(r, nlh))
		goto fail;
	return NL_OK;
fail:
	r->failed = true;
	r->done = true;
	return NL_STOP;
}

/* Events come with sequence number 0: no check */
static int any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static struct nl_cb *req_cb(struct req *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, r);
	nl_cb_err(cb, NL_CB_CUSTOM, err_cb, r);
	return cb;
}

/*
 * Wait for the next message: 1 there is one, 0 timeout, -1 error or
 * signal (*intr set).
 */
static int wait_msg(struct sv_nl *nl, int timeout_ms, struct sv_nlerr *e,
		    bool *intr)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	int rc = poll(&pfd, 1, timeout_ms);

	*intr = rc < 0 && errno == EINTR;
	if (rc < 0)
		nlerr(e, "%s", *intr ? "interrupted" : strerror(errno));
	return rc < 0 ? -1 : rc > 0;
}

static int run(struct sv_nl *nl, struct nl_msg *msg, struct req *r)
{
	struct nl_cb *cb = req_cb(r);
	bool intr;
	int rc;

	if (!cb) {
		nlerr(r->e, "out of memory");
		return -1;
	}
	rc = nl_send_auto(nl->sk, msg);
	if (rc < 0) {
		nlerr(r->e, "cannot send the request: %s", nl_geterror(rc));
		nl_cb_put(cb);
		return -1;
	}
	while (!r->done) {
		if (nl->timeout_ms >= 0) {
			rc = wait_msg(nl, nl->timeout_ms, r->e, &intr);
			if (rc <= 0) {
				if (!rc)
					nlerr(r->e, "no reply from the kernel within %d s",
					      nl->timeout_ms / 1000);
				r->failed = true;
				break;
			}
		}
		rc = nl_recvmsgs(nl->sk, cb);
		if (rc < 0 && !r->failed) {
			nlerr(r->e, "receiving the reply: %s", nl_geterror(rc));
			r->failed = true;
		}
		if (r->failed)
			break;
	}
	nl_cb_put(cb);
	return r->failed ? -1 : 0;
}

static struct nl_msg *new_req(struct sv_nl *nl, int flags, uint8_t cmd,
			      const char *dev, const uint8_t *nonce,
			      struct sv_nlerr *e)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family,
				 0, flags, cmd, SPDM_FAMILY_VERSION) ||
	    nla_put_string(msg, SPDM_A_EVIDENCE_DEV_NAME, dev) ||
	    (nonce && nla_put(msg, SPDM_A_EVIDENCE_NONCE, SV_NONCE_LEN, nonce))) {
		nlmsg_free(msg);
		nlerr(e, "cannot build the request");
		return NULL;
	}
	return msg;
}

/* ---- challenge, measurements, key-exchange ------------------------------- */

static int challenge_msg(struct req *r, struct nlmsghdr *nlh)
{
	struct sv_collect *c = r->arg;
	char why[SV_ERR_MAX];

	if (sv_collect_attrs(c, genlmsg_attrdata(genlmsg_hdr(nlh), 0),
			     genlmsg_attrlen(genlmsg_hdr(nlh), 0), why,
			     sizeof(why))) {
		nlerr(r->e, "malformed reply: %s", why);
		return -1;
	}
	return 0;
}

/**
 * sv_nl_signed() - a fresh signed exchange over our nonce, its evidence
 * @nl: the socket
 * @cmd: SPDM_CMD_CHALLENGE, SPDM_CMD_MEASUREMENTS or SPDM_CMD_KEY_EXCHANGE
 * @dev: the device
 * @nonce: our nonce
 * @slot: the certificate slot, -1: the kernel's choice
 * @flags: enum spdm_flag bits (challenge: SPDM_FLAG_FRESH), 0 for none
 * @indices: meas-index attributes, in order (none: all measurements)
 * @nr_indices: how many
 * @ev: receives the evidence of the reply
 * @e: receives why it failed
 *
 * Return: 0, or -1 with @e set.
 */
int sv_nl_signed(struct sv_nl *nl, uint8_t cmd, const char *dev,
		 const uint8_t nonce[SV_NONCE_LEN], int slot, uint32_t flags,
		 const uint8_t *indices, unsigned int nr_indices,
		 struct sv_evidence *ev, struct sv_nlerr *e)
{
	struct sv_collect c;
	/* replies are ours by sequence number, whatever their cmd */
	struct req r = { .e = e, .on_msg = challenge_msg, .arg = &c };
	struct nl_msg *msg;
	char why[SV_ERR_MAX];
	unsigned int i;
	int rc;

	memset(e, 0, sizeof(*e));
	sv_collect_init(&c);
	msg = new_req(nl, 0, cmd, dev, nonce, e);
	if (!msg)
		return -1;
	rc = slot >= 0 ? nla_put_u8(msg, SPDM_A_EVIDENCE_SLOT, slot) : 0;
	if (!rc && flags)
		rc = nla_put_u32(msg, SPDM_A_EVIDENCE_FLAGS, flags);
	for (i = 0; !rc && i < nr_indices; i++)
		rc = nla_put_u8(msg, SPDM_A_EVIDENCE_MEAS_INDEX, indices[i]);
	if (rc) {
		nlmsg_free(msg);
		nlerr(e, "cannot build the request");
		return -1;
	}
	rc = run(nl, msg, &r);
	nlmsg_free(msg);
	if (!rc && !c.ev.have && !c.transcript.started) {
		nlerr(e, "the kernel acknowledged the request without a reply");
		rc = -1;
	}
	if (!rc && sv_collect_finish(&c, why, sizeof(why))) {
		nlerr(e, "malformed reply: %s", why);
		rc = -1;
	}
	if (rc) {
		sv_collect_free(&c);
		return -1;
	}
	*ev = c.ev;
	memset(&c.ev, 0, sizeof(c.ev));
	sv_collect_free(&c);
	return 0;
}

/* ---- accept ---------------------------------------------------------------- */

/* accept has no reply but the ACK */
static int no_msg(struct req *r, struct nlmsghdr *nlh)
{
	(void)nlh;
	nlerr(r->e, "unexpected reply to accept");
	return -1;
}

int sv_nl_accept(struct sv_nl *nl, const char *dev,
		 const uint8_t digest[SV_CHAIN_DIGEST_LEN], struct sv_nlerr *e)
{
	struct req r = { .e = e, .on_msg = no_msg };
	struct nl_msg *msg;
	int rc;

	memset(e, 0, sizeof(*e));
	msg = new_req(nl, 0, SPDM_CMD_ACCEPT, dev, NULL, e);
	if (!msg)
		return -1;
	if (nla_put(msg, SPDM_A_EVIDENCE_CHAIN_DIGEST, SV_CHAIN_DIGEST_LEN,
		    digest)) {
		nlmsg_free(msg);
		nlerr(e, "cannot build the request");
		return -1;
	}
	rc = run(nl, msg, &r);
	nlmsg_free(msg);
	return rc;
}

/* ---- the family's operations (nlctrl) ------------------------------------- */

struct ops {
	uint8_t cmd;
	bool found;
};

static int ctrl_msg(struct req *r, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = genlmsg_hdr(nlh);
	struct nlattr *a, *op, *id;
	struct ops *o = r->arg;
	int rem, rem2, rem3;

	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		if (nla_type(a) != CTRL_ATTR_OPS)
			continue;
		nla_for_each_nested(op, a, rem2)
			nla_for_each_nested(id, op, rem3)
				if (nla_type(id) == CTRL_ATTR_OP_ID &&
				    nla_len(id) == 4 &&
				    nla_get_u32(id) == o->cmd)
					o->found = true;
	}
	return 0;
}

/* Whether the kernel's "spdm" family has operation @cmd at all. */
int sv_nl_has_op(struct sv_nl *nl, uint8_t cmd)
{
	struct ops o = { .cmd = cmd };
	struct sv_nlerr e = { 0 };
	struct req r = { .e = &e, .on_msg = ctrl_msg, .arg = &o };
	struct nl_msg *msg = nlmsg_alloc();
	int rc;

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				 0, 0, CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, SPDM_FAMILY_NAME)) {
		nlmsg_free(msg);
		return -1;
	}
	rc = run(nl, msg, &r);
	nlmsg_free(msg);
	return rc ? -1 : o.found;
}

/* ---- evidence-read dump -------------------------------------------------- */

struct dump_obj {
	uint32_t object;
	int slot;
	struct sv_collect c;
};

struct dump {
	struct dump_obj *objs;
	size_t n;
	const struct sv_dump_req *q;
	size_t msgs;
	uint32_t generation;
};

static int dump_msg(struct req *r, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = genlmsg_hdr(nlh);
	struct nlattr *head = genlmsg_attrdata(g, 0);
	int len = genlmsg_attrlen(g, 0), slot;
	struct dump *d = r->arg;
	struct dump_obj *o = NULL, *p;
	char why[SV_ERR_MAX];
	uint32_t object, gen;
	size_t i;

	if (sv_object_key(head, len, &object, &slot)) {
		nlerr(r->e, "malformed reply: a message without an object type");
		return -1;
	}
	/* every message states the generation, the same throughout */
	if (sv_generation(head, len, &gen)) {
		nlerr(r->e, "malformed reply: a message without a generation");
		return -1;
	}
	if (d->msgs && gen != d->generation) {
		nlerr(r->e, "the evidence generation changed from %u to %u between the messages of one dump, and the kernel did not fail the dump with EAGAIN",
		      d->generation, gen);
		return -1;
	}
	d->generation = gen;
	if (!d->msgs++ && d->q->between)
		d->q->between(d->q->between_arg);
	for (i = 0; i < d->n; i++)
		if (d->objs[i].object == object && d->objs[i].slot == slot)
			o = &d->objs[i];
	if (!o) {
		p = realloc(d->objs, (d->n + 1) * sizeof(*p));
		if (!p) {
			nlerr(r->e, "out of memory");
			return -1;
		}
		d->objs = p;
		o = &d->objs[d->n++];
		o->object = object;
		o->slot = slot;
		sv_collect_init(&o->c);
	}
	if (sv_collect_attrs(&o->c, head, len, why, sizeof(why))) {
		nlerr(r->e, "malformed reply: %s object: %s",
		      sv_object_name(object) ?: "unknown", why);
		return -1;
	}
	return 0;
}

int sv_nl_dump(struct sv_nl *nl, const char *dev, const struct sv_dump_req *q,
	       sv_object_cb cb, void *arg, uint32_t *generation,
	       struct sv_nlerr *e)
{
	struct dump d = { .q = q };
	struct req r = { .e = e, .on_msg = dump_msg, .arg = &d };
	struct nl_msg *msg;
	char why[SV_ERR_MAX];
	size_t i;
	int rc;

	memset(e, 0, sizeof(*e));
	msg = new_req(nl, NLM_F_DUMP, SPDM_CMD_EVIDENCE_READ, dev, q->nonce, e);
	if (!msg)
		return -1;
	if ((q->type_mask &&
	     nla_put_u32(msg, SPDM_A_EVIDENCE_TYPE_MASK, q->type_mask)) ||
	    (q->flags && nla_put_u32(msg, SPDM_A_EVIDENCE_FLAGS, q->flags))) {
		nlmsg_free(msg);
		nlerr(e, "cannot build the request");
		return -1;
	}
	rc = run(nl, msg, &r);
	nlmsg_free(msg);
	*generation = d.generation;
	for (i = 0; !rc && i < d.n; i++) {
		if (sv_collect_finish(&d.objs[i].c, why, sizeof(why))) {
			nlerr(e, "malformed reply: %s object: %s",
			      sv_object_name(d.objs[i].object) ?: "unknown",
			      why);
			rc = -1;
			break;
		}
		if (cb(&d.objs[i].c.ev, arg))
			break;
	}
	for (i = 0; i < d.n; i++)
		sv_collect_free(&d.objs[i].c);
	free(d.objs);
	return rc;
}

/* ---- sig events ---------------------------------------------------------- */

struct watch {
	sv_object_cb cb;
	void *arg;
	int events;
};

static int event_msg(struct req *r, struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = genlmsg_hdr(nlh);
	struct watch *w = r->arg;
	struct sv_collect c;
	char why[SV_ERR_MAX];
	int rc;

	sv_collect_init(&c);
	rc = sv_collect_attrs(&c, genlmsg_attrdata(g, 0),
			      genlmsg_attrlen(g, 0), why, sizeof(why)) ?:
	     sv_collect_finish(&c, why, sizeof(why));
	if (rc) {
		nlerr(r->e, "malformed event: %s", why);
		sv_collect_free(&c);
		return -1;
	}
	w->events++;
	w->cb(&c.ev, w->arg);
	sv_collect_free(&c);
	return 0;
}

int sv_nl_watch(struct sv_nl *nl, int timeout_ms, sv_object_cb cb,
		void *arg, struct sv_nlerr *e)
{
	struct watch w = { .cb = cb, .arg = arg };
	struct req r = {
		.e = e, .on_msg = event_msg, .arg = &w, .cmd = SPDM_CMD_SIG,
	};
	struct nl_cb *ncb;
	bool intr;
	int rc;

	memset(e, 0, sizeof(*e));
	rc = wait_msg(nl, timeout_ms, e, &intr);
	if (rc <= 0)
		return intr ? 0 : rc;
	ncb = req_cb(&r);
	if (!ncb) {
		nlerr(e, "out of memory");
		return -1;
	}
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	rc = nl_recvmsgs(nl->sk, ncb);
	nl_cb_put(ncb);
	if (r.failed)
		return -1;
	if (rc == -NLE_NOMEM) {
		nlerr(e, "events were lost (receive queue overrun)");
		return -1;
	}
	if (rc < 0) {
		nlerr(e, "receiving events: %s", nl_geterror(rc));
		return -1;
	}
	return w.events;
}
