// SPDX-License-Identifier: GPL-2.0
/*
 * GET_MEASUREMENTS / MEASUREMENTS (DSP0274 1.3 sec 10.11).  The
 * measurements themselves, their blocks and the MeasurementSummaryHash
 * are in meas_store.c.
 *
 * Request: SPDMVersion, 0xE0, Param1 = attributes (bit 0
 * SignatureRequested; bit 1 RawBitStreamRequested, 1.2+), Param2 =
 * MeasurementOperation (0 number of indices, 1..0xFE one index, 0xFF
 * all).  With a signature: Nonce (32), then SlotIDParam (1, 1.1+).
 * 1.3: RequesterContext (8) always.
 *
 * Response: SPDMVersion, 0x60, Param1 = TotalNumberOfMeasurementIndices
 * for operation 0 (else 0), Param2 = SlotID (bits 3:0, signed 1.1+) and
 * MeasurementContentChanged (bits 5:4, signed 1.2+), NumberOfBlocks,
 * MeasurementRecordLength (3), the blocks, Nonce (32, ours), OpaqueDataLength
 * (2, always 0 here), RequesterContext (1.3), Signature (if requested).
 * The blocks are DMTF measurement blocks (see meas_store.c).
 *
 * L1/L2 (1.2+: VCA || L1; 1.0/1.1: L1 alone): every GET_MEASUREMENTS
 * and MEASUREMENTS exchanged since the last signed MEASUREMENTS, as
 * sent, the last response without its Signature.  Any other request
 * (GET_VERSION included), any ERROR but Busy and ResponseNotReady, and
 * the signed response start L1 over (DMTF libspdm's responder resets on
 * Busy too; we do not, so that a requester that retries succeeds).  After
 * ResponseNotReady the deferred request and the response RESPOND_IF_READY
 * gets enter L1, after Busy the retried request and its response.  A
 * MEASUREMENTS sent in chunks enters L1 whole; CHUNK_GETs answered with
 * a chunk leave L1 alone.  1.0/1.1 sign Hash(L1/L2) directly, 1.2+ the
 * combined prefix ("responder-measurements signing") and Hash(L1/L2), as
 * challenge.c does.  A successful GET_MEASUREMENTS before any CHALLENGE
 * completed also resets part B of M1 ("skipped CHALLENGE completion").
 *
 * MeasurementContentChanged (1.2+, signed only): 01b when the
 * measurements changed (a reloaded meas= file) since the first
 * MEASUREMENTS of the signed L1, else 10b.
 */
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"

#define MEAS_ATTR_SIGNATURE	0x01
#define MEAS_ATTR_RAW		0x02	/* 1.2+ */
#define MEAS_OP_COUNT		0x00
#define MEAS_OP_ALL		0xff
#define MEAS_SLOT_MASK		0x0f
#define MEAS_SLOT_PUB_KEY	0x0f
#define MEAS_CHANGED		0x10	/* MeasurementContentChanged 01b */
#define MEAS_UNCHANGED		0x20	/* 10b */
#define MEAS_RSP_FIXED		8
#define MEAS_NOT_DMTF		0x02	/* meas-bad-spec */

/* What the misbehaviours change in this MEASUREMENTS. */
struct meas_plan {
	bool index_mismatch, dup_index, len_lie, extra_block, bad_spec;
	bool record_len_lie, bad_sig, other_nonce, other_context;
	bool skip_vca, wrong_format, last_only;
};

static void plan_misbehaviour(struct spdm_device *dev,
			      const struct spdm_request *req, bool signed_rsp,
			      struct meas_plan *p)
{
	const struct misbehave_set *set = &dev->misbehave;
	const struct misbehave_switch *sw;
	unsigned long what;

	p->index_mismatch = misbehave_get(set, MB_MEAS_INDEX_MISMATCH, req->code);
	p->dup_index = misbehave_get(set, MB_MEAS_DUP_INDEX, req->code);
	p->len_lie = misbehave_get(set, MB_MEAS_LEN_LIE, req->code);
	p->extra_block = misbehave_get(set, MB_MEAS_EXTRA_BLOCK, req->code);
	p->bad_spec = misbehave_get(set, MB_MEAS_BAD_SPEC, req->code);
	p->record_len_lie = misbehave_get(set, MB_MEAS_RECORD_LEN_LIE, req->code);
	p->bad_sig = signed_rsp &&
		     misbehave_get(set, MB_MEAS_BAD_SIG, req->code);
	sw = misbehave_get(set, MB_MEAS_WRONG_NONCE, req->code);
	if (sw) {
		what = sw->has_value ? sw->value : MBW_BOTH;
		p->other_nonce = signed_rsp && what != MBW_CONTEXT;
		p->other_context = req->version >= SPDM_VER_13 &&
				   what != MBW_NONCE;
	}
	sw = misbehave_get(set, MB_MEAS_WRONG_TRANSCRIPT, req->code);
	if (sw && signed_rsp) {
		what = sw->has_value ? sw->value : MBW_M_NO_VCA;
		p->skip_vca = what == MBW_M_NO_VCA;
		p->wrong_format = what == MBW_M_PREFIX;
		p->last_only = what == MBW_M_LAST_ONLY;
	}
}

static void log_plan(const struct spdm_device *dev, const struct meas_plan *p,
		     uint8_t version)
{
	if (p->index_mismatch)
		log_msg("port %u: misbehave meas-index-mismatch: block Index differs from the requested one",
			dev->port);
	if (p->dup_index)
		log_msg("port %u: misbehave meas-dup-index: two blocks with the same Index",
			dev->port);
	if (p->len_lie)
		log_msg("port %u: misbehave meas-len-lie: first block's MeasurementSize one too large",
			dev->port);
	if (p->extra_block)
		log_msg("port %u: misbehave meas-extra-block: one block more than NumberOfBlocks",
			dev->port);
	if (p->bad_spec)
		log_msg("port %u: misbehave meas-bad-spec: blocks with MeasurementSpecification 0x%02x",
			dev->port, MEAS_NOT_DMTF);
	if (p->record_len_lie)
		log_msg("port %u: misbehave meas-record-len-lie: MeasurementRecordLength one too large",
			dev->port);
	if (p->bad_sig)
		log_msg("port %u: misbehave meas-bad-sig: Signature altered",
			dev->port);
	if (p->other_nonce || p->other_context)
		log_msg("port %u: misbehave meas-wrong-nonce:%s%s", dev->port,
			p->other_nonce ? " signing another requester nonce" : "",
			p->other_context ? " echoing another RequesterContext" : "");
	if (p->skip_vca || p->wrong_format || p->last_only)
		log_msg("port %u: misbehave meas-wrong-transcript: signing %s",
			dev->port,
			p->last_only ? "the last exchange only" :
			p->skip_vca ? (version >= SPDM_VER_12 ?
				       "L2 without the VCA" :
				       "L1 with the VCA") :
			version >= SPDM_VER_12 ?
			"Hash(L2) without the combined prefix" :
			"with a 1.2-style combined prefix");
}

static const struct spdm_meas_block *find_block(const struct spdm_device *dev,
						uint8_t index)
{
	unsigned int i;

	for (i = 0; i < dev->meas.set.count; i++)
		if (dev->meas.set.block[i].index == index)
			return &dev->meas.set.block[i];
	return NULL;
}

/* An index not in use (for meas-extra-block), else 0xFE. */
static uint8_t unused_index(const struct spdm_device *dev)
{
	unsigned int i;

	for (i = 1; i <= SPDM_MEAS_MAX_BLOCKS; i++)
		if (!find_block(dev, i))
			return i;
	return SPDM_MEAS_MAX_BLOCKS;
}

/*
 * The MeasurementRecord of operation @op into @rec, NumberOfBlocks into
 * @nr, with the misbehaviours of @p applied.
 */
static int build_record(const struct spdm_device *dev, uint8_t op, bool raw,
			const struct meas_plan *p, struct msg *rec,
			unsigned int *nr)
{
	const struct spdm_meas_set *set = &dev->meas.set;
	uint8_t spec = p->bad_spec ? MEAS_NOT_DMTF : dev->meas.spec_sel;
	const struct spdm_meas_block *b = NULL;
	struct spdm_meas_block extra;
	size_t second = 0;
	unsigned int i;
	int ret = 0;

	*nr = 0;
	if (op == MEAS_OP_COUNT)
		return 0;
	if (op == MEAS_OP_ALL) {
		for (i = 0; i < set->count && !ret; i++) {
			if (i == 1)
				second = rec->len;
			ret = spdm_meas_put_block(dev, &set->block[i], raw, spec, rec);
		}
		*nr = set->count;
		b = &set->block[set->count - 1];
		if (!ret && p->dup_index) {
			if (set->count == 1) {
				/* the only block twice */
				ret = spdm_meas_put_block(dev, b, raw, spec, rec);
				*nr = 2;
			} else {
				rec->data[second] = rec->data[0];
			}
		}
	} else {
		b = find_block(dev, op);
		ret = spdm_meas_put_block(dev, b, raw, spec, rec);
		*nr = 1;
		if (!ret && p->index_mismatch)
			rec->data[0] = op % SPDM_MEAS_MAX_BLOCKS + 1;
	}
	if (!ret && p->extra_block) {
		extra = *b;
		extra.index = unused_index(dev);
		ret = spdm_meas_put_block(dev, &extra, raw, spec, rec);
	}
	if (!ret && p->len_lie) {
		/* MeasurementSize of the first block + 1 */
		i = get_le16(rec->data + 2) + 1;
		rec->data[2] = i & 0xff;
		rec->data[3] = i >> 8;
	}
	return ret;
}

/* Sign (VCA ||) L1 || @req || @rsp as @p says; @sig gets S bytes. */
static int sign_measurements(struct spdm_device *dev,
			     const struct spdm_key *key,
			     const struct meas_plan *p,
			     const uint8_t *req, size_t req_len,
			     const uint8_t *rsp, size_t rsp_len, uint8_t *sig)
{
	bool vca = dev->version >= SPDM_VER_12;
	bool prefix = dev->version >= SPDM_VER_12;
	struct msg l;
	int ret;

	if (p->skip_vca)
		vca = !vca;
	if (p->wrong_format)
		prefix = !prefix;
	msg_init(&l);
	ret = vca ? msg_put(&l, dev->vca.data, dev->vca.len) : 0;
	ret = ret ?: p->last_only ? 0 :
	      msg_put(&l, dev->meas.l1.data, dev->meas.l1.len);
	ret = ret ?: msg_put(&l, req, req_len);
	if (!ret && p->other_nonce)
		l.data[l.len - req_len + SPDM_HDR_LEN] ^= 0x01;
	ret = ret ?: msg_put(&l, rsp, rsp_len);
	ret = ret ?: spdm_sign_transcript(dev, key, l.data, l.len,
					  SPDM_MEASUREMENTS_CONTEXT, prefix,
					  sig);
	msg_free(&l);
	return ret;
}

/* Why @req cannot be answered with MEASUREMENTS (NULL: it can). */
static const char *request_problem(struct spdm_device *dev,
				   const struct spdm_request *req, size_t want,
				   bool sig, uint8_t slot, uint8_t *code,
				   char *why, size_t whylen)
{
	*code = SPDM_ERR_INVALID_REQUEST;
	if (!dev->meas.spec_sel) {
		*code = SPDM_ERR_UNEXPECTED_REQUEST;
		return "no MeasurementSpecification negotiated";
	}
	if (!spdm_req_len_ok(req, want)) {
		snprintf(why, whylen, "%zu bytes, SPDM %u.%u wants %zu%s",
			 req->len, req->version >> 4, req->version & 0xf, want,
			 sig ? " with SignatureRequested" : "");
		return why;
	}
	if (sig && dev->meas.cap != SPDM_MEAS_CAP_SIG)
		return "SignatureRequested, but MEAS_CAP is 01b (no signature)";
	if (sig && slot == MEAS_SLOT_PUB_KEY)
		return "SlotIDParam 0xF: no pre-provisioned public key (PUB_KEY_ID_CAP)";
	if (sig && (slot >= SPDM_MAX_SLOTS ||
		    !(dev->provisioned & (1U << slot)))) {
		snprintf(why, whylen, "SlotIDParam %u not provisioned (mask 0x%02x)",
			 slot, dev->provisioned);
		return why;
	}
	spdm_meas_refresh(dev);
	if (req->param2 != MEAS_OP_COUNT && req->param2 != MEAS_OP_ALL &&
	    !find_block(dev, req->param2)) {
		snprintf(why, whylen, "measurement index %u not present",
			 req->param2);
		return why;
	}
	return NULL;
}

int spdm_get_measurements(struct spdm_device *dev,
			  const struct spdm_request *req, struct msg *rsp)
{
	bool sig = req->param1 & MEAS_ATTR_SIGNATURE;
	bool raw = req->version >= SPDM_VER_12 && (req->param1 & MEAS_ATTR_RAW);
	bool ctx = req->version >= SPDM_VER_13;
	size_t want, sig_len, len, off;
	uint8_t slot, code, hdr[MEAS_RSP_FIXED];
	uint8_t sigbuf[SPDM_MAX_SIG_LEN];
	const char *problem;
	char why[128];
	struct meas_plan plan = { 0 };
	unsigned int nr;
	struct msg rec;
	int ret;

	want = SPDM_HDR_LEN + (ctx ? SPDM_REQ_CONTEXT_LEN : 0);
	if (sig)
		want += SPDM_NONCE_LEN + (req->version >= SPDM_VER_11 ? 1 : 0);
	slot = 0;
	if (sig && req->version >= SPDM_VER_11 && req->len >= want)
		slot = req->buf[SPDM_HDR_LEN + SPDM_NONCE_LEN] & MEAS_SLOT_MASK;
	problem = request_problem(dev, req, want, sig, slot, &code, why,
				  sizeof(why));
	if (problem)
		return spdm_reject(dev, req, rsp, code, 0, "%s", problem);
	plan_misbehaviour(dev, req, sig, &plan);
	msg_init(&rec);
	ret = build_record(dev, req->param2, raw, &plan, &rec, &nr);
	if (ret)
		goto out;
	sig_len = sig ? spdm_sig_len(dev->asym_sel, dev->pqc_sel) : 0;
	len = MEAS_RSP_FIXED + rec.len + SPDM_NONCE_LEN + 2 +
	      (ctx ? SPDM_REQ_CONTEXT_LEN : 0) + sig_len;
	if (!spdm_rsp_fits(dev, len)) {
		ret = spdm_too_large(dev, req, rsp, len);
		goto out;
	}
	log_plan(dev, &plan, req->version);
	if (!dev->meas.l1.len)
		dev->meas.l1_generation = dev->meas.generation;

	hdr[0] = req->version;
	hdr[1] = SPDM_MEASUREMENTS;
	hdr[2] = req->param2 == MEAS_OP_COUNT ? dev->meas.set.count : 0;
	hdr[3] = 0;
	if (sig && req->version >= SPDM_VER_11)
		hdr[3] = slot;
	if (sig && req->version >= SPDM_VER_12)
		hdr[3] |= dev->meas.generation != dev->meas.l1_generation ?
			  MEAS_CHANGED : MEAS_UNCHANGED;
	hdr[4] = nr;
	off = rec.len + (plan.record_len_lie ? 1 : 0);
	hdr[5] = off & 0xff;
	hdr[6] = (off >> 8) & 0xff;
	hdr[7] = off >> 16;
	ret = msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_put(rsp, rec.data, rec.len);
	ret = ret ?: msg_reserve(rsp, SPDM_NONCE_LEN);
	ret = ret ?: spdm_random(rsp->data + rsp->len, SPDM_NONCE_LEN);
	if (ret)
		goto out;
	rsp->len += SPDM_NONCE_LEN;
	ret = msg_put_le16(rsp, 0);		/* OpaqueDataLength */
	if (!ret && ctx) {
		off = rsp->len;
		ret = msg_put(rsp, req->buf + want - SPDM_REQ_CONTEXT_LEN,
			      SPDM_REQ_CONTEXT_LEN);
		if (!ret && plan.other_context)
			rsp->data[off] ^= 0x01;
	}
	if (ret)
		goto out;

	if (!sig) {
		ret = spdm_transcript_add(&dev->meas.l1, req->buf, want,
					  rsp->data, rsp->len);
	} else {
		ret = sign_measurements(dev, &dev->slot[slot]->key, &plan,
					req->buf, want, rsp->data, rsp->len,
					sigbuf);
		if (ret) {
			log_msg("port %u: cannot sign MEASUREMENTS (%s, %s)",
				dev->port, spdm_sig_name(dev->asym_sel, dev->pqc_sel),
				dev->hash->name);
			msg_reset(rsp);
			ret = spdm_error(rsp, req->version,
					 SPDM_ERR_UNSPECIFIED, 0, NULL, 0);
			goto out;
		}
		if (plan.bad_sig)
			sigbuf[sig_len - 1] ^= 0x01;
		ret = msg_put(rsp, sigbuf, sig_len);
		/* L1/L2 is complete: the next one starts afresh */
		msg_reset(&dev->meas.l1);
	}
	/* M1/M2 reset: GET_MEASUREMENTS with CHALLENGE skipped */
	if (!ret && !dev->challenged)
		msg_reset(&dev->b);
out:
	msg_free(&rec);
	return ret;
}
