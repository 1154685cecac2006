// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * GET_MEASUREMENTS / MEASUREMENTS exchange (DSP0274 sec 10.11): the
 * device reports measurement blocks (digests or raw values of its
 * firmware and configuration) and signs the L1/L2 transcript, which ends
 * in a nonce of ours, with the leaf key of the authenticated slot.
 *
 * L1/L2 is the VCA messages (SPDM 1.2 and later) followed by every
 * GET_MEASUREMENTS request and MEASUREMENTS response up to the signed
 * one, whose signature is left out.
 */

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "exchange.h"
#include "requests.h"
#include "session.h"
#include "state.h"
#include "tcg-log.h"
#include "wire.h"

/* Largest MEASUREMENTS response accepted (the size we advertise) */
#define SPDM_MEAS_RSP_MAX	SZ_64K

/**
 * spdm_parse_meas_rsp() - locate the fields of a MEASUREMENTS response
 * @version: negotiated SPDM version
 * @sig_len: signature size of the negotiated signature algorithm
 * @signed_rsp: whether a signature was requested
 * @rsp: response as received
 * @length: bytes received
 * @f: receives the offsets of the fields
 *
 * Return: 0 if @length holds every field (the caller checks for excess
 * bytes), -EIO if truncated, -EPROTO if OpaqueDataLength exceeds 1024.
 */
int spdm_parse_meas_rsp(u8 version, size_t sig_len, bool signed_rsp,
			const u8 *rsp, size_t length,
			struct spdm_meas_fields *f)
{
	const struct spdm_measurements_rsp *hdr = (const void *)rsp;

	if (length < sizeof(*hdr))
		return -EIO;

	f->record_len = get_unaligned_le24(hdr->record_length);
	f->nonce = sizeof(*hdr) + f->record_len;
	f->opaque = f->nonce + SPDM_NONCE_SZ;
	if (length < f->opaque + sizeof(__le16))
		return -EIO;

	f->opaque_len = get_unaligned_le16(rsp + f->opaque);
	if (f->opaque_len > SPDM_MAX_OPAQUE_DATA)
		return -EPROTO;

	f->context = f->opaque + sizeof(__le16) + f->opaque_len;
	f->sig = f->context +
		 (version >= SPDM_VER_13 ? SPDM_REQ_CONTEXT_SZ : 0);
	f->len = f->sig + (signed_rsp ? sig_len : 0);

	return length < f->len ? -EIO : 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_parse_meas_rsp);

/* One block of a MeasurementRecord; *why says what is wrong with it */
static int spdm_check_meas_block(const u8 *p, size_t left, u8 meas_spec,
				 size_t hash_len, size_t *block_len,
				 const char **why)
{
	const struct spdm_meas_block *b = (const void *)p;
	size_t size, value_size;

	if (left < SPDM_MEAS_BLOCK_HDR_SZ) {
		*why = "truncated block header";
		return -EPROTO;
	}
	size = le16_to_cpu(b->size);
	if (size > left - SPDM_MEAS_BLOCK_HDR_SZ) {
		*why = "MeasurementSize exceeds the record";
		return -EPROTO;
	}
	if (b->index == SPDM_MEAS_OP_COUNT || b->index == SPDM_MEAS_OP_ALL) {
		*why = "reserved Index";
		return -EPROTO;
	}
	if (b->spec != meas_spec || meas_spec != SPDM_MEAS_SPEC_DMTF) {
		*why = "MeasurementSpecification is not the negotiated DMTF";
		return -EPROTO;
	}
	if (size < SPDM_MEAS_DMTF_HDR_SZ) {
		*why = "DMTF measurement shorter than its header";
		return -EPROTO;
	}
	value_size = le16_to_cpu(b->value_size);
	if (value_size != size - SPDM_MEAS_DMTF_HDR_SZ) {
		*why = "DMTFSpecMeasurementValueSize disagrees with MeasurementSize";
		return -EPROTO;
	}
	if (!(b->value_type & SPDM_MEAS_VALUE_RAW) &&
	    (!hash_len || value_size != hash_len)) {
		*why = "digest size is not that of MeasurementHashAlgo";
		return -EPROTO;
	}

	*block_len = SPDM_MEAS_BLOCK_HDR_SZ + size;
	return 0;
}

/**
 * spdm_check_meas_record() - check the blocks of a MeasurementRecord
 * @record: the MeasurementRecord
 * @len: MeasurementRecordLength
 * @nr_blocks: NumberOfBlocks of the response
 * @operation: MeasurementOperation of the request (index or all)
 * @meas_spec: negotiated MeasurementSpecification
 * @hash_len: digest size of the negotiated MeasurementHashAlgo, 0 if it
 *	is raw bit streams only
 * @why: receives a description of the first defect found
 *
 * Each block must be well formed (sizes consistent and adding up to
 * @len, DMTF format, digests of the negotiated size), indices must be
 * unique and not reserved, a single-index request must yield that index,
 * and there must be exactly @nr_blocks blocks.
 *
 * Return: 0 if the record is consistent, else -EPROTO with @why set.
 */
int spdm_check_meas_record(const u8 *record, size_t len, u8 nr_blocks,
			   u8 operation, u8 meas_spec, size_t hash_len,
			   const char **why)
{
	DECLARE_BITMAP(seen, 256);
	unsigned int count = 0;
	size_t off = 0, block_len;
	int rc;

	bitmap_zero(seen, 256);
	while (off < len) {
		u8 index = record[off];

		rc = spdm_check_meas_block(record + off, len - off, meas_spec,
					   hash_len, &block_len, why);
		if (rc)
			return rc;
		if (__test_and_set_bit(index, seen)) {
			*why = "duplicate Index";
			return -EPROTO;
		}
		if (operation != SPDM_MEAS_OP_ALL && index != operation) {
			*why = "block Index differs from the requested one";
			return -EPROTO;
		}
		off += block_len;
		count++;
	}

	if (count != nr_blocks) {
		*why = "NumberOfBlocks disagrees with the blocks in the record";
		return -EPROTO;
	}
	if (operation != SPDM_MEAS_OP_ALL && count != 1) {
		*why = "not exactly one block for a single index";
		return -EPROTO;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_check_meas_record);

/**
 * struct spdm_meas_req - a GET_MEASUREMENTS request being built
 * @buf: the request
 * @len: its size
 * @nonce_off: offset of the Nonce (signed requests)
 * @context_off: offset of the RequesterContext (SPDM 1.3)
 */
struct spdm_meas_req {
	u8 buf[SPDM_MEAS_REQ_MAX_SZ];
	size_t len;
	size_t nonce_off;
	size_t context_off;
};

static void spdm_build_meas_req(struct spdm_state *spdm_state, u8 operation,
				bool sign, const u8 *nonce, u8 slot,
				struct spdm_meas_req *req)
{
	struct spdm_header *hdr = (void *)req->buf;

	hdr->version = spdm_state->version;
	hdr->code = SPDM_GET_MEASUREMENTS;
	hdr->param1 = sign ? SPDM_MEAS_ATTR_SIG : 0;
	hdr->param2 = operation;
	req->len = sizeof(*hdr);

	if (sign) {
		req->nonce_off = req->len;
		if (nonce)
			memcpy(req->buf + req->len, nonce, SPDM_NONCE_SZ);
		else
			get_random_bytes(req->buf + req->len, SPDM_NONCE_SZ);
		req->len += SPDM_NONCE_SZ;
		if (spdm_state->version >= SPDM_VER_11)
			req->buf[req->len++] = slot;
	}

	if (spdm_state->version >= SPDM_VER_13) {
		req->context_off = req->len;
		get_random_bytes(req->buf + req->len, SPDM_REQ_CONTEXT_SZ);
		req->len += SPDM_REQ_CONTEXT_SZ;
	}
}

/* Fields of a MEASUREMENTS response that depend on the request */
static int spdm_check_meas_rsp(struct spdm_state *spdm_state,
			       const struct spdm_meas_req *req,
			       const u8 *rsp, ssize_t length,
			       struct spdm_meas_fields *f)
{
	const struct spdm_measurements_rsp *hdr = (const void *)rsp;
	const struct spdm_header *rq = (const void *)req->buf;
	bool sign = rq->param1 & SPDM_MEAS_ATTR_SIG;
	const char *why = NULL;
	int rc;

	rc = spdm_parse_meas_rsp(spdm_state->version, spdm_state->sig_len,
				 sign, rsp, length, f);
	rc = spdm_check_parsed(spdm_state, "MEASUREMENTS", rc, f->opaque_len,
			       length, f->len);
	if (rc)
		return rc;

	if (spdm_state->version >= SPDM_VER_13 &&
	    memcmp(rsp + f->context, req->buf + req->context_off,
		   SPDM_REQ_CONTEXT_SZ)) {
		dev_err(spdm_state->dev,
			"MEASUREMENTS RequesterContext differs from ours\n");
		return -EPROTO;
	}
	if (sign && spdm_state->version >= SPDM_VER_11 &&
	    (hdr->param2 & SPDM_SLOT_ID_MASK) !=
	    req->buf[req->nonce_off + SPDM_NONCE_SZ]) {
		dev_err(spdm_state->dev,
			"MEASUREMENTS signed for slot %u, requested slot %u\n",
			hdr->param2 & SPDM_SLOT_ID_MASK,
			req->buf[req->nonce_off + SPDM_NONCE_SZ]);
		return -EPROTO;
	}

	if (rq->param2 == SPDM_MEAS_OP_COUNT) {
		if (hdr->number_of_blocks || f->record_len ||
		    !hdr->param1 || hdr->param1 == SPDM_MEAS_OP_ALL) {
			dev_err(spdm_state->dev,
				"Invalid MEASUREMENTS count response (%u indices, %u blocks, %zu bytes)\n",
				hdr->param1, hdr->number_of_blocks,
				f->record_len);
			return -EPROTO;
		}
		return 0;
	}

	rc = spdm_check_meas_record(hdr->record, f->record_len,
				    hdr->number_of_blocks, rq->param2,
				    spdm_state->meas_spec,
				    spdm_state->meas_hash_len, &why);
	if (rc)
		dev_err(spdm_state->dev,
			"Invalid MEASUREMENTS for operation %#x: %s\n",
			rq->param2, why);
	return rc;
}

/*
 * One GET_MEASUREMENTS exchange, inside the secure session if there is
 * one, appended to L1/L2.  @rsp receives the response, @f its fields.
 */
static int spdm_meas_exchange(struct spdm_state *spdm_state,
			      struct spdm_meas_req *req, u8 *rsp,
			      size_t rsp_max, struct spdm_meas_fields *f)
{
	struct spdm_transcript *l1l2 = &spdm_state->meas_l1l2;
	ssize_t length;
	int rc;

	if (spdm_state->session && spdm_state->session->established)
		length = spdm_secured_exchange(spdm_state, req->buf, req->len,
					       rsp, rsp_max);
	else
		length = spdm_exchange(spdm_state, req->buf, req->len, rsp,
				       rsp_max);
	if (length < 0)
		return length;

	rc = spdm_check_meas_rsp(spdm_state, req, rsp, length, f);
	if (rc)
		return rc;

	rc = spdm_transcript_append(l1l2, req->buf, req->len);
	if (!rc)
		rc = spdm_transcript_append(l1l2, rsp, f->sig);
	return rc;
}

/* The record of a read of all blocks matches CHALLENGE_AUTH's summary */
static int spdm_check_meas_summary(struct spdm_state *spdm_state,
				   const u8 *record, size_t len)
{
	u8 digest[SPDM_MAX_HASH_SZ];
	int rc;

	if (!spdm_state->meas_summary_set)
		return 0;
	spdm_state->meas_summary_set = false;

	rc = spdm_hash(spdm_state, record, len, digest);
	if (rc)
		return rc;
	if (memcmp(digest, spdm_state->meas_summary, spdm_state->hash_len)) {
		dev_err(spdm_state->dev,
			"CHALLENGE_AUTH MeasurementSummaryHash does not match the measurements\n");
		return -EKEYREJECTED;
	}
	return 0;
}

/* Keep the blocks of a complete read for sysfs */
static int spdm_cache_meas(struct spdm_state *spdm_state,
			   const struct spdm_measurements_rsp *rsp, size_t len)
{
	u8 *record = kvmemdup(rsp->record, len, GFP_KERNEL);

	if (!record)
		return -ENOMEM;

	kvfree(spdm_state->meas_record);
	spdm_state->meas_record = record;
	spdm_state->meas_record_len = len;
	return 0;
}

/* The signed response just appended to L1/L2 is the evidence */
static int spdm_meas_evidence(struct spdm_state *spdm_state,
			      const struct spdm_meas_req *req, const u8 *rsp,
			      const struct spdm_meas_fields *f, u8 slot)
{
	struct spdm_transcript *l1l2 = &spdm_state->meas_l1l2;
	struct spdm_evidence *ev = &spdm_state->meas_ev;

	ev->type = SPDM_SIG_TYPE_MEASUREMENTS;
	ev->context = SPDM_MEASUREMENTS_CONTEXT;
	ev->transcript = l1l2->data;
	ev->transcript_len = l1l2->len;
	ev->req_nonce_off = l1l2->len - f->sig - req->len + req->nonce_off;
	ev->rsp_nonce_off = l1l2->len - f->sig + f->nonce;
	ev->record_off = l1l2->len - f->sig +
			offsetof(struct spdm_measurements_rsp, record);
	ev->record_len = f->record_len;
	ev->slot = slot;
	return spdm_take_evidence(spdm_state, ev, rsp + f->sig,
				  "MEASUREMENTS signature");
}

/* Start L1/L2 afresh: the VCA from SPDM 1.2, nothing before */
static int spdm_meas_start(struct spdm_state *spdm_state)
{
	spdm_state->meas_l1l2.len = 0;
	memset(&spdm_state->meas_ev, 0, sizeof(spdm_state->meas_ev));
	spdm_evidence_changed(spdm_state);
	if (spdm_state->version < SPDM_VER_12)
		return 0;
	return spdm_transcript_append(&spdm_state->meas_l1l2,
				      spdm_state->transcript.data,
				      spdm_state->vca_len);
}

/*
 * The requests of one read: the number of indices and all blocks, or the
 * given indices; only the last is signed (if the device can sign).
 */
static int spdm_meas_sequence(struct spdm_state *spdm_state,
			      const u8 *indices, unsigned int nr_indices,
			      u8 slot, u8 *rsp, size_t rsp_max)
{
	bool can_sign = FIELD_GET(SPDM_MEAS_CAP_MASK, spdm_state->rsp_caps) ==
			SPDM_MEAS_CAP_SIG;
	const struct spdm_measurements_rsp *hdr = (const void *)rsp;
	unsigned int i, nr_ops = nr_indices ?: 2;
	struct spdm_meas_fields f;
	struct spdm_meas_req req;
	u8 total = 0, op;
	int rc;

	for (i = 0; i < nr_ops; i++) {
		bool last = i == nr_ops - 1;

		op = nr_indices ? indices[i] :
		     last ? SPDM_MEAS_OP_ALL : SPDM_MEAS_OP_COUNT;
		spdm_build_meas_req(spdm_state, op, last && can_sign,
				    spdm_state->req_nonce, slot, &req);
		rc = spdm_meas_exchange(spdm_state, &req, rsp, rsp_max, &f);
		if (rc)
			return rc;
		if (op == SPDM_MEAS_OP_COUNT)
			total = hdr->param1;
		else if (!can_sign)
			spdm_tcg_log_unsigned_meas(spdm_state, hdr->record,
						   f.record_len);
	}

	if (!nr_indices && hdr->number_of_blocks != total) {
		dev_err(spdm_state->dev,
			"MEASUREMENTS returned %u blocks of %u announced\n",
			hdr->number_of_blocks, total);
		return -EPROTO;
	}

	if (can_sign) {
		rc = spdm_meas_evidence(spdm_state, &req, rsp, &f, slot);
		if (rc)
			return rc;
	}
	if (nr_indices)
		return 0;

	rc = spdm_check_meas_summary(spdm_state, hdr->record, f.record_len);
	if (!rc)
		rc = spdm_cache_meas(spdm_state, hdr, f.record_len);
	return rc;
}

/**
 * spdm_get_measurements() - read (and have the device sign) measurements
 * @spdm_state: SPDM state of the device, authenticated with @slot
 * @indices: measurement indices to read, or %NULL for all
 * @nr_indices: number of @indices
 * @slot: slot whose leaf key is to sign
 *
 * Without @indices, asks for the number of indices, then for all blocks,
 * checks they are as many, compares them with the MeasurementSummaryHash
 * of the last CHALLENGE_AUTH and keeps them for sysfs.  With @indices,
 * reads those one by one.  The last request carries
 * &spdm_state.req_nonce (or a random nonce) and asks for a signature if
 * the device can sign; the evidence then is in &spdm_state.meas_ev.
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: 0 if every response was consistent and the signature (if any)
 * valid, or a negative errno (logged).
 */
int spdm_get_measurements(struct spdm_state *spdm_state, const u8 *indices,
			  unsigned int nr_indices, u8 slot)
{
	size_t rsp_max = min_t(size_t, spdm_state->transport_sz,
			       SPDM_MEAS_RSP_MAX) + SPDM_RSP_SLACK;
	u8 *rsp;
	int rc;

	if (!(spdm_state->rsp_caps & SPDM_MEAS_CAP_MASK))
		return -EOPNOTSUPP;

	rc = spdm_meas_start(spdm_state);
	if (rc)
		return rc;

	rsp = kvzalloc(rsp_max, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;

	rc = spdm_meas_sequence(spdm_state, indices, nr_indices, slot, rsp,
				rsp_max);
	kvfree(rsp);
	return rc;
}

/**
 * spdm_meas_reset() - forget the measurements of a device
 * @spdm_state: SPDM state of the device
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_meas_reset(struct spdm_state *spdm_state)
{
	spdm_transcript_free(&spdm_state->meas_l1l2);
	memset(&spdm_state->meas_ev, 0, sizeof(spdm_state->meas_ev));
	spdm_evidence_changed(spdm_state);
	spdm_state->meas_summary_set = false;
	kvfree(spdm_state->meas_record);
	spdm_state->meas_record = NULL;
	spdm_state->meas_record_len = 0;
}
