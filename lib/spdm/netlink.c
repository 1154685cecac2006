// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Generic netlink family "spdm" (Documentation/netlink/specs/spdm.yaml):
 * signed evidence for verifiers in user space.  The policies and the op
 * table are generated into netlink-gen.c; the handlers are here.
 */

#include <linux/device.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "netlink-gen.h"
#include "auth.h"
#include "crypto.h"
#include "export.h"
#include "state.h"
#include "wire.h"

/* Room a chunk nest takes besides its data */
#define SPDM_NL_CHUNK_OVERHEAD	(nla_total_size(0) + 2 * nla_total_size(4) + \
				 nla_total_size(0))

static bool spdm_nl_registered;

static size_t spdm_nl_chunks_size(size_t len)
{
	return DIV_ROUND_UP(len ?: 1, SPDM_CHUNK_MAX) *
	       SPDM_NL_CHUNK_OVERHEAD + len;
}

static int spdm_nl_put_chunk(struct sk_buff *skb, int attr, const u8 *data,
			     size_t total, size_t off, size_t len)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, attr);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, SPDM_A_CHUNK_OFFSET, off) ||
	    nla_put_u32(skb, SPDM_A_CHUNK_TOTAL_LEN, total) ||
	    nla_put(skb, SPDM_A_CHUNK_DATA, len, data + off)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The whole object, in as many chunk attributes as it takes */
static int spdm_nl_put_object(struct sk_buff *skb, int attr, const u8 *data,
			      size_t len)
{
	size_t off = 0;
	int rc;

	do {
		rc = spdm_nl_put_chunk(skb, attr, data, len, off,
				       min_t(size_t, len - off, SPDM_CHUNK_MAX));
		off += SPDM_CHUNK_MAX;
	} while (!rc && off < len);

	return rc;
}

static size_t spdm_nl_signed_size(struct spdm_state *spdm_state,
				  const struct spdm_evidence *ev)
{
	return 6 * nla_total_size(sizeof(u32)) +
	       spdm_nl_chunks_size(ev->transcript_len) +
	       nla_total_size(spdm_state->sig_len) +
	       nla_total_size(SPDM_COMBINED_PREFIX_SZ);
}

static size_t spdm_nl_evidence_size(struct spdm_state *spdm_state,
				    const struct spdm_evidence *ev)
{
	return nla_total_size(strlen(dev_name(spdm_state->dev)) + 1) +
	       10 * nla_total_size(sizeof(u32)) +
	       nla_total_size(strlen(spdm_state->base_hash_name) + 1) +
	       spdm_nl_signed_size(spdm_state, ev) +
	       spdm_nl_chunks_size(spdm_state->slot_sz[ev->slot]);
}

/* The signature and what it covers, but not the transcript */
static int spdm_nl_put_signed_fields(struct sk_buff *skb,
				     struct spdm_state *spdm_state,
				     const struct spdm_evidence *ev)
{
	u8 prefix[SPDM_COMBINED_PREFIX_SZ];

	if (nla_put_u32(skb, SPDM_A_EVIDENCE_SIG_TYPE, ev->type) ||
	    nla_put(skb, SPDM_A_EVIDENCE_SIGNATURE, spdm_state->sig_len,
		    ev->sig) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_REQ_NONCE_OFFSET,
			ev->req_nonce_off) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_RSP_NONCE_OFFSET,
			ev->rsp_nonce_off) ||
	    nla_put_u8(skb, SPDM_A_EVIDENCE_SIG_VALID, ev->valid))
		return -EMSGSIZE;

	if (ev->type == SPDM_SIG_TYPE_MEASUREMENTS &&
	    (nla_put_u8(skb, SPDM_A_EVIDENCE_MEAS_SPEC, spdm_state->meas_spec) ||
	     nla_put_u32(skb, SPDM_A_EVIDENCE_MEAS_HASH_ALG,
			 spdm_state->meas_hash_alg)))
		return -EMSGSIZE;

	if (spdm_state->version < SPDM_VER_12)
		return 0;

	spdm_build_combined_prefix(spdm_state->version, ev->context, prefix);
	return nla_put(skb, SPDM_A_EVIDENCE_COMBINED_PREFIX, sizeof(prefix),
		       prefix);
}

/* Everything but the transcript and the chain */
static int spdm_nl_put_sig_fields(struct sk_buff *skb,
				  struct spdm_state *spdm_state,
				  const struct spdm_evidence *ev)
{
	if (nla_put_u8(skb, SPDM_A_EVIDENCE_VERSION, spdm_state->version) ||
	    nla_put_u8(skb, SPDM_A_EVIDENCE_SLOT, ev->slot) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_BASE_ASYM_ALG,
			spdm_state->base_asym_alg) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_BASE_HASH_ALG,
			spdm_state->base_hash_alg) ||
	    nla_put_string(skb, SPDM_A_EVIDENCE_HASH_ALGO,
			   spdm_state->base_hash_name) ||
	    nla_put_u8(skb, SPDM_A_EVIDENCE_CHAIN_ANCHORED,
		       ev->valid && spdm_state->chain_anchored))
		return -EMSGSIZE;
	if (spdm_state->pqc_asym_alg &&
	    nla_put_u32(skb, SPDM_A_EVIDENCE_PQC_ASYM_ALG,
			spdm_state->pqc_asym_alg))
		return -EMSGSIZE;

	if (ev->type == SPDM_SIG_TYPE_KEY_EXCHANGE &&
	    (nla_put_u32(skb, SPDM_A_EVIDENCE_SESSION_ID,
			 spdm_state->ke_session_id) ||
	     nla_put_u8(skb, SPDM_A_EVIDENCE_RSP_VERIFY_VALID,
			spdm_state->ke_verify_valid) ||
	     nla_put_u8(skb, SPDM_A_EVIDENCE_FINISH_VALID,
			spdm_state->ke_finish_valid)))
		return -EMSGSIZE;

	return spdm_nl_put_signed_fields(skb, spdm_state, ev);
}

static int spdm_nl_put_header(struct sk_buff *skb,
			      struct spdm_state *spdm_state)
{
	if (nla_put_string(skb, SPDM_A_EVIDENCE_DEV_NAME,
			   dev_name(spdm_state->dev)) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_PROVIDER, SPDM_PROVIDER_NATIVE))
		return -EMSGSIZE;
	return 0;
}

/* Signed measurements read in a session, nested in a key-exchange reply */
static int spdm_nl_put_session_meas(struct sk_buff *skb,
				    struct spdm_state *spdm_state,
				    const struct spdm_evidence *meas)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, SPDM_A_EVIDENCE_SESSION_MEAS);
	if (!nest)
		return -EMSGSIZE;
	if (spdm_nl_put_signed_fields(skb, spdm_state, meas) ||
	    spdm_nl_put_object(skb, SPDM_A_EVIDENCE_TRANSCRIPT,
			       meas->transcript, meas->transcript_len)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int spdm_nl_fill_evidence(struct sk_buff *skb,
				 struct spdm_state *spdm_state,
				 const struct spdm_evidence *ev,
				 const struct spdm_evidence *meas)
{
	u8 slot = ev->slot;
	int rc;

	rc = spdm_nl_put_header(skb, spdm_state);
	if (!rc)
		rc = spdm_nl_put_sig_fields(skb, spdm_state, ev);
	if (!rc)
		rc = spdm_nl_put_object(skb, SPDM_A_EVIDENCE_TRANSCRIPT,
					ev->transcript, ev->transcript_len);
	if (!rc && spdm_state->slot[slot])
		rc = spdm_nl_put_object(skb, SPDM_A_EVIDENCE_CERT_CHAIN,
					spdm_state->slot[slot],
					spdm_state->slot_sz[slot]);
	if (!rc && meas)
		rc = spdm_nl_put_session_meas(skb, spdm_state, meas);
	return rc;
}

/*
 * A message with the evidence @ev, and @meas nested if not %NULL: a reply
 * to @info, or an event if @info is %NULL.
 */
static struct sk_buff *spdm_nl_evidence_msg(struct spdm_state *spdm_state,
					    const struct spdm_evidence *ev,
					    const struct spdm_evidence *meas,
					    struct genl_info *info, u8 cmd)
{
	size_t size = spdm_nl_evidence_size(spdm_state, ev);
	struct sk_buff *skb;
	void *hdr;

	if (meas)
		size += nla_total_size(0) +
			spdm_nl_signed_size(spdm_state, meas);
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb)
		return NULL;

	if (info)
		hdr = genlmsg_put_reply(skb, info, &spdm_nl_family, 0, cmd);
	else
		hdr = genlmsg_put(skb, 0, 0, &spdm_nl_family, 0, cmd);
	if (!hdr || spdm_nl_fill_evidence(skb, spdm_state, ev, meas)) {
		nlmsg_free(skb);
		return NULL;
	}

	genlmsg_end(skb, hdr);
	return skb;
}

/**
 * spdm_nl_notify_sig() - announce a received signature
 * @spdm_state: SPDM state of the device, lock held
 * @ev: evidence of the signature
 *
 * Sends the evidence to the "sig" multicast group, if anyone listens.
 */
void spdm_nl_notify_sig(struct spdm_state *spdm_state,
			const struct spdm_evidence *ev)
{
	struct sk_buff *skb;

	if (!READ_ONCE(spdm_nl_registered) ||
	    !genl_has_listeners(&spdm_nl_family, &init_net, SPDM_NLGRP_SIG))
		return;

	skb = spdm_nl_evidence_msg(spdm_state, ev, NULL, NULL, SPDM_CMD_SIG);
	if (!skb) {
		dev_warn(spdm_state->dev, "Cannot announce signature\n");
		return;
	}
	genlmsg_multicast(&spdm_nl_family, skb, 0, SPDM_NLGRP_SIG, GFP_KERNEL);
}

/* Reply to a request for a signature: the evidence of that type */
struct spdm_nl_reply_ctx {
	struct genl_info *info;
	enum spdm_sig_type type;
	struct sk_buff *reply;
};

static void spdm_nl_reply_cb(struct spdm_state *spdm_state,
			     const struct spdm_evidence *ev, void *priv)
{
	struct spdm_nl_reply_ctx *ctx = priv;

	if (ev->type != ctx->type || ctx->reply)
		return;
	ctx->reply = spdm_nl_evidence_msg(spdm_state, ev, NULL, ctx->info,
					  ctx->info->genlhdr->cmd);
}

static struct spdm_state *spdm_nl_find(struct genl_info *info)
{
	struct nlattr *name = info->attrs[SPDM_A_EVIDENCE_DEV_NAME];
	struct spdm_state *spdm_state;

	spdm_state = spdm_find(nla_data(name));
	if (!spdm_state)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "no SPDM device of that name");
	return spdm_state;
}

int spdm_nl_challenge_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct spdm_nl_reply_ctx ctx = {
		.info = info,
		.type = SPDM_SIG_TYPE_CHALLENGE,
	};
	struct spdm_state *spdm_state;
	int slot = -1, rc;
	u32 flags = 0;

	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_DEV_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_NONCE))
		return -EINVAL;
	if (info->attrs[SPDM_A_EVIDENCE_SLOT])
		slot = nla_get_u8(info->attrs[SPDM_A_EVIDENCE_SLOT]);
	if (info->attrs[SPDM_A_EVIDENCE_FLAGS])
		flags = nla_get_u32(info->attrs[SPDM_A_EVIDENCE_FLAGS]);

	spdm_state = spdm_nl_find(info);
	if (!spdm_state)
		return -ENODEV;

	rc = spdm_challenge_nonce(spdm_state,
				  nla_data(info->attrs[SPDM_A_EVIDENCE_NONCE]),
				  slot, flags & SPDM_FLAG_FRESH,
				  spdm_nl_reply_cb, &ctx);
	spdm_put(spdm_state);

	if (!ctx.reply) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "device returned no signature (error %d)",
				   rc);
		return rc ?: -ENOMEM;
	}
	return genlmsg_reply(ctx.reply, info);
}

/* The meas-index attributes of a request, in order */
static int spdm_nl_meas_indices(struct genl_info *info, u8 *indices,
				unsigned int *nr)
{
	const struct nlattr *attr;
	int rem;

	*nr = 0;
	nla_for_each_attr_type(attr, SPDM_A_EVIDENCE_MEAS_INDEX,
			       genlmsg_data(info->genlhdr),
			       genlmsg_len(info->genlhdr), rem) {
		if (*nr == SPDM_MEAS_OP_ALL - 1) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "more than 254 measurement indices");
			return -EINVAL;
		}
		indices[(*nr)++] = nla_get_u8(attr);
	}
	return 0;
}

/* Why a device gave no signed measurements */
static void spdm_nl_meas_error(struct genl_info *info, int rc)
{
	switch (rc) {
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG(info->extack, "device cannot sign measurements");
		break;
	case -EKEYREJECTED:
		NL_SET_ERR_MSG(info->extack,
			       "device has not proven its key; challenge it first");
		break;
	case -EINVAL:
		NL_SET_ERR_MSG(info->extack,
			       "slot is not the one the device authenticated with");
		break;
	default:
		NL_SET_ERR_MSG_FMT(info->extack,
				   "device returned no signature (error %d)",
				   rc);
	}
}

/* Why a device gave no signed KEY_EXCHANGE_RSP */
static void spdm_nl_session_error(struct genl_info *info, int rc)
{
	switch (rc) {
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG(info->extack,
			       "device or transport has no secure sessions");
		break;
	case -ECONNREFUSED:
		NL_SET_ERR_MSG(info->extack,
			       "device refused the key exchange with an ERROR");
		break;
	default:
		spdm_nl_meas_error(info, rc);
	}
}

/* A request for signed measurements or a key exchange, as parsed */
struct spdm_nl_sign_req {
	const u8 *nonce;
	int slot;
	u8 *indices;		/* %NULL for all measurements */
	unsigned int nr_indices;
};

/* Runs a request on the device; the reply goes to @ctx */
typedef int (spdm_nl_sign_fn)(struct spdm_state *spdm_state,
			      const struct spdm_nl_sign_req *req,
			      struct spdm_nl_reply_ctx *ctx);

/*
 * The common part of measurements and key-exchange: parse the request,
 * find the device, run @fn and send the reply, or report why there is
 * none with @error.
 */
static int spdm_nl_sign_doit(struct genl_info *info, spdm_nl_sign_fn *fn,
			     void (*error)(struct genl_info *info, int rc))
{
	struct spdm_nl_reply_ctx ctx = { .info = info };
	struct spdm_nl_sign_req req = { .slot = -1 };
	struct spdm_state *spdm_state;
	u8 *indices;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_DEV_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_NONCE))
		return -EINVAL;
	req.nonce = nla_data(info->attrs[SPDM_A_EVIDENCE_NONCE]);
	if (info->attrs[SPDM_A_EVIDENCE_SLOT])
		req.slot = nla_get_u8(info->attrs[SPDM_A_EVIDENCE_SLOT]);

	indices = kmalloc(SPDM_MEAS_OP_ALL, GFP_KERNEL);
	if (!indices)
		return -ENOMEM;
	rc = spdm_nl_meas_indices(info, indices, &req.nr_indices);
	if (rc)
		goto out;
	if (req.nr_indices)
		req.indices = indices;

	spdm_state = spdm_nl_find(info);
	if (!spdm_state) {
		rc = -ENODEV;
		goto out;
	}
	rc = fn(spdm_state, &req, &ctx);
	spdm_put(spdm_state);

	if (ctx.reply) {
		rc = genlmsg_reply(ctx.reply, info);
	} else {
		error(info, rc);
		rc = rc ?: -ENOMEM;
	}
out:
	kfree(indices);
	return rc;
}

static int spdm_nl_measure(struct spdm_state *spdm_state,
			   const struct spdm_nl_sign_req *req,
			   struct spdm_nl_reply_ctx *ctx)
{
	ctx->type = SPDM_SIG_TYPE_MEASUREMENTS;
	return spdm_measure_nonce(spdm_state, req->nonce, req->slot,
				  req->indices, req->nr_indices,
				  spdm_nl_reply_cb, ctx);
}

int spdm_nl_measurements_doit(struct sk_buff *skb, struct genl_info *info)
{
	return spdm_nl_sign_doit(info, spdm_nl_measure, spdm_nl_meas_error);
}

static void spdm_nl_session_cb(struct spdm_state *spdm_state,
			       const struct spdm_evidence *ke,
			       const struct spdm_evidence *meas, void *priv)
{
	struct spdm_nl_reply_ctx *ctx = priv;

	ctx->reply = spdm_nl_evidence_msg(spdm_state, ke, meas, ctx->info,
					  SPDM_CMD_KEY_EXCHANGE);
}

static int spdm_nl_key_exchange(struct spdm_state *spdm_state,
				const struct spdm_nl_sign_req *req,
				struct spdm_nl_reply_ctx *ctx)
{
	return spdm_key_exchange_nonce(spdm_state, req->nonce, req->slot,
				       req->indices, req->nr_indices,
				       spdm_nl_session_cb, ctx);
}

int spdm_nl_key_exchange_doit(struct sk_buff *skb, struct genl_info *info)
{
	return spdm_nl_sign_doit(info, spdm_nl_key_exchange,
				 spdm_nl_session_error);
}

/* Position of an evidence-read dump, kept in cb->ctx */
struct spdm_nl_dump_pos {
	u32 generation;	/* of the evidence when the dump started */
	u32 offset;	/* in the object being sent */
	u8 object;	/* SPDM_OBJECT_* being sent */
	bool started;
	bool challenged;
	bool done;
};

static_assert(sizeof(struct spdm_nl_dump_pos) <=
	      sizeof_field(struct netlink_callback, ctx));

#define SPDM_NL_OBJECTS		(SPDM_OBJECT_REPORT + 1)

/* An evidence object of a dump: its data and, if signed, its evidence */
struct spdm_nl_object {
	int attr;
	const u8 *data;
	size_t len;
	const struct spdm_evidence *ev;
	u8 slot;
};

/* The latest signed exchange proving the key: challenge or key exchange */
static const struct spdm_evidence *
spdm_nl_report(struct spdm_state *spdm_state)
{
	const struct spdm_evidence *chal = &spdm_state->chal_ev;
	const struct spdm_evidence *ke = &spdm_state->ke_ev;

	if (!ke->received)
		return chal->received ? chal : NULL;
	if (!chal->received)
		return ke;
	/* the generation may wrap: the later one is less than 2^31 ahead */
	return (s32)(ke->generation - chal->generation) > 0 ? ke : chal;
}

/* Object @object of the device in @o; false if the device has none */
static bool spdm_nl_object(struct spdm_state *spdm_state, u8 object,
			   struct spdm_nl_object *o)
{
	memset(o, 0, sizeof(*o));
	if (object <= SPDM_OBJECT_CERT7) {
		o->attr = SPDM_A_EVIDENCE_CERT_CHAIN;
		o->slot = object - SPDM_OBJECT_CERT0;
		o->data = spdm_state->slot[o->slot];
		o->len = spdm_state->slot_sz[o->slot];
		return o->data;
	}
	if (object == SPDM_OBJECT_VCA) {
		o->attr = SPDM_A_EVIDENCE_VCA;
		o->data = spdm_state->transcript.data;
		o->len = spdm_state->vca_len;
		return o->len;
	}

	if (object == SPDM_OBJECT_MEASUREMENTS)
		o->ev = spdm_state->meas_ev.received ? &spdm_state->meas_ev :
			NULL;
	else
		o->ev = spdm_nl_report(spdm_state);
	if (!o->ev)
		return false;
	o->attr = SPDM_A_EVIDENCE_TRANSCRIPT;
	o->data = o->ev->transcript;
	o->len = o->ev->transcript_len;
	o->slot = o->ev->slot;
	return true;
}

/* The digest of @o instead of its data */
static int spdm_nl_put_digest(struct sk_buff *skb,
			      struct spdm_state *spdm_state,
			      const struct spdm_nl_object *o)
{
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	/* the signature fields of a signed object name the hash already */
	if (!o->ev &&
	    (nla_put_u32(skb, SPDM_A_EVIDENCE_BASE_HASH_ALG,
			 spdm_state->base_hash_alg) ||
	     nla_put_string(skb, SPDM_A_EVIDENCE_HASH_ALGO,
			    spdm_state->base_hash_name)))
		return -EMSGSIZE;

	rc = spdm_hash(spdm_state, o->data, o->len, digest);
	if (rc)
		return rc;
	return nla_put(skb, SPDM_A_EVIDENCE_DIGEST, spdm_state->hash_len,
		       digest);
}

/*
 * One message of object @o: the header attributes, the signature fields
 * in the first message of a signed object, then the digest, or a chunk
 * of as much of the object from @pos->offset as fits.
 */
static int spdm_nl_dump_msg(struct sk_buff *skb, struct netlink_callback *cb,
			    struct spdm_state *spdm_state,
			    const struct spdm_nl_object *o, bool digest)
{
	struct spdm_nl_dump_pos *pos = (void *)cb->ctx;
	size_t room, chunk;
	void *hdr;
	int rc = -EMSGSIZE;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &spdm_nl_family, NLM_F_MULTI, SPDM_CMD_EVIDENCE_READ);
	if (!hdr)
		return -EMSGSIZE;

	if (spdm_nl_put_header(skb, spdm_state) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_GENERATION, pos->generation) ||
	    nla_put_u32(skb, SPDM_A_EVIDENCE_OBJECT, pos->object) ||
	    nla_put_u8(skb, SPDM_A_EVIDENCE_SLOT, o->slot) ||
	    (o->ev && !pos->offset &&
	     spdm_nl_put_sig_fields(skb, spdm_state, o->ev)))
		goto cancel;

	if (digest) {
		rc = spdm_nl_put_digest(skb, spdm_state, o);
		if (rc)
			goto cancel;
		chunk = o->len;
	} else {
		room = skb_tailroom(skb);
		if (room <= SPDM_NL_CHUNK_OVERHEAD + NLA_ALIGNTO)
			goto cancel;
		chunk = min3(o->len - pos->offset, (size_t)SPDM_CHUNK_MAX,
			     room - SPDM_NL_CHUNK_OVERHEAD - NLA_ALIGNTO);
		if (spdm_nl_put_chunk(skb, o->attr, o->data, o->len,
				      pos->offset, chunk))
			goto cancel;
	}

	genlmsg_end(skb, hdr);
	pos->offset += chunk;
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return rc;
}

/* From @pos->object on, the first object of @mask the device has */
static bool spdm_nl_dump_find(struct spdm_state *spdm_state,
			      struct spdm_nl_dump_pos *pos, u32 mask,
			      struct spdm_nl_object *o)
{
	for (; pos->object < SPDM_NL_OBJECTS; pos->object++, pos->offset = 0)
		if ((mask & BIT(pos->object)) &&
		    spdm_nl_object(spdm_state, pos->object, o))
			return true;
	return false;
}

static int spdm_nl_dump_objects(struct sk_buff *skb,
				struct netlink_callback *cb,
				struct spdm_state *spdm_state, u32 mask,
				bool digest)
{
	struct spdm_nl_dump_pos *pos = (void *)cb->ctx;
	struct spdm_nl_object o;
	int rc;

	while (!pos->done && spdm_nl_dump_find(spdm_state, pos, mask, &o)) {
		do {
			rc = spdm_nl_dump_msg(skb, cb, spdm_state, &o, digest);
			if (rc == -EMSGSIZE && skb->len)
				return skb->len;
			if (rc)
				return rc;
		} while (pos->offset < o.len);
		pos->object++;
		pos->offset = 0;
	}

	/* the next call ends the dump, once more checking the generation */
	pos->done = true;
	return skb->len;
}

int spdm_nl_evidence_read_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct spdm_nl_dump_pos *pos = (void *)cb->ctx;
	struct nlattr *nonce = info->attrs[SPDM_A_EVIDENCE_NONCE];
	struct spdm_state *spdm_state;
	u32 mask = BIT(SPDM_NL_OBJECTS) - 1, flags = 0;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_DEV_NAME))
		return -EINVAL;
	if (info->attrs[SPDM_A_EVIDENCE_TYPE_MASK])
		mask = nla_get_u32(info->attrs[SPDM_A_EVIDENCE_TYPE_MASK]);
	if (info->attrs[SPDM_A_EVIDENCE_FLAGS])
		flags = nla_get_u32(info->attrs[SPDM_A_EVIDENCE_FLAGS]);

	spdm_state = spdm_nl_find((struct genl_info *)info);
	if (!spdm_state)
		return -ENODEV;

	if (nonce && !pos->challenged) {
		pos->challenged = true;
		if (!netlink_capable(cb->skb, CAP_NET_ADMIN)) {
			NL_SET_ERR_MSG(cb->extack,
				       "a fresh challenge needs CAP_NET_ADMIN");
			rc = -EPERM;
			goto out;
		}
		spdm_challenge_nonce(spdm_state, nla_data(nonce), -1,
				     flags & SPDM_FLAG_FRESH, NULL, NULL);
	}

	mutex_lock(&spdm_state->lock);
	if (!pos->started) {
		pos->started = true;
		pos->generation = spdm_state->generation;
	} else if (pos->generation != spdm_state->generation) {
		NL_SET_ERR_MSG_FMT(cb->extack,
				   "evidence changed during the dump (generation %u, now %u): read again",
				   pos->generation, spdm_state->generation);
		rc = -EAGAIN;
		goto unlock;
	}
	rc = spdm_nl_dump_objects(skb, cb, spdm_state, mask,
				  flags & SPDM_FLAG_DIGEST);
unlock:
	mutex_unlock(&spdm_state->lock);
out:
	spdm_put(spdm_state);
	return rc;
}

int spdm_nl_accept_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct spdm_state *spdm_state;
	int rc;

	if (GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_DEV_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, SPDM_A_EVIDENCE_CHAIN_DIGEST))
		return -EINVAL;

	spdm_state = spdm_nl_find(info);
	if (!spdm_state)
		return -ENODEV;

	rc = spdm_accept_identity(spdm_state,
				  nla_data(info->attrs[SPDM_A_EVIDENCE_CHAIN_DIGEST]));
	spdm_put(spdm_state);

	if (rc == -EINVAL)
		NL_SET_ERR_MSG(info->extack,
			       "the device presents no identity other than the accepted one");
	else if (rc == -ESTALE)
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[SPDM_A_EVIDENCE_CHAIN_DIGEST],
				    "the device no longer presents that chain");
	else if (rc)
		NL_SET_ERR_MSG_FMT(info->extack,
				   "accepted, but the authentication failed (error %d)",
				   rc);
	return rc;
}

static int __init spdm_nl_init(void)
{
	int rc;

	rc = genl_register_family(&spdm_nl_family);
	if (rc) {
		pr_err("spdm: cannot register netlink family: %d\n", rc);
		return rc;
	}
	WRITE_ONCE(spdm_nl_registered, true);
	return 0;
}
module_init(spdm_nl_init);

static void __exit spdm_nl_exit(void)
{
	WRITE_ONCE(spdm_nl_registered, false);
	genl_unregister_family(&spdm_nl_family);
}
module_exit(spdm_nl_exit);
