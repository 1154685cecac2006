// SPDX-License-Identifier: GPL-2.0
/*
 * Measurement blocks of a MEASUREMENTS response (DSP0274 "Measurement
 * block format", DMTF measurement specification).
 *
 * Block: Index (1), MeasurementSpecification (1), MeasurementSize (2),
 * Measurement; in the DMTF format the Measurement is
 * DMTFSpecMeasurementValueType (1: bit 7 raw bit stream, else digest;
 * bits 6:0 what is measured), DMTFSpecMeasurementValueSize (2), Value.
 */
#include <string.h>

#include "spdm.h"

#define BLOCK_HDR_LEN		4
#define DMTF_HDR_LEN		3

const char *sv_meas_type_name(uint8_t type)
{
	static const char *const names[] = {
		"immutable-rom", "mutable-firmware", "hardware-config",
		"firmware-config", "freeform-manifest", "device-mode",
		"firmware-version", "security-version", "hash-extended",
		"informational", "structured-manifest",
	};

	type &= 0x7f;
	return type < SV_ARRAY_SIZE(names) ? names[type] : "reserved";
}

/**
 * sv_blocks_parse() - split a MeasurementRecord into its blocks
 * @t: the transcript
 * @m: the MEASUREMENTS whose record to split
 * @msg: the number of @m, recorded in each block
 * @out: receives the blocks after the *@n already there
 * @n: number of blocks in @out
 * @max: room in @out
 * @err: receives the first defect
 * @errlen: size of @err
 *
 * Each block's header and size must fit the record and the blocks must
 * fill it exactly; a DMTF block's value size must be its size less the
 * DMTF header; there must be NumberOfBlocks blocks.  Semantics (indices,
 * digest sizes) are for the caller.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_blocks_parse(const uint8_t *t, const struct sv_meas_msg *m,
		    unsigned int msg, struct sv_block *out, unsigned int *n,
		    unsigned int max, char *err, size_t errlen)
{
	const uint8_t *rec = t + m->record;
	size_t off = 0, size, vsize;
	unsigned int count = 0;
	struct sv_block *b;

	while (off < m->record_len) {
		if (m->record_len - off < BLOCK_HDR_LEN)
			return sv_errf(err, errlen,
				       "MEASUREMENTS at %zu: %zu bytes at the end of the record are no block header",
				       m->rsp, m->record_len - off);
		size = sv_le16(rec + off + 2);
		if (size > m->record_len - off - BLOCK_HDR_LEN)
			return sv_errf(err, errlen,
				       "MEASUREMENTS at %zu: block %u (index %u) has MeasurementSize %zu, the record only %zu more bytes",
				       m->rsp, count + 1, rec[off],
				       size, m->record_len - off - BLOCK_HDR_LEN);
		if (*n == max)
			return sv_errf(err, errlen, "more than %u blocks", max);
		b = &out[(*n)++];
		memset(b, 0, sizeof(*b));
		b->index = rec[off];
		b->spec = rec[off + 1];
		b->msg = msg;
		b->dmtf = b->spec == SV_MEAS_SPEC_DMTF;
		b->value = m->record + off + BLOCK_HDR_LEN;
		b->value_len = size;
		if (b->dmtf) {
			if (size < DMTF_HDR_LEN)
				return sv_errf(err, errlen,
					       "index %u: DMTF measurement of %zu bytes, shorter than its header",
					       b->index, size);
			vsize = sv_le16(rec + off + BLOCK_HDR_LEN + 1);
			if (vsize != size - DMTF_HDR_LEN)
				return sv_errf(err, errlen,
					       "index %u: DMTFSpecMeasurementValueSize %zu, MeasurementSize %zu (must be 3 more)",
					       b->index, vsize, size);
			b->type = rec[off + BLOCK_HDR_LEN];
			b->value += DMTF_HDR_LEN;
			b->value_len = vsize;
		}
		off += BLOCK_HDR_LEN + size;
		count++;
	}
	if (count != m->nr_blocks)
		return sv_errf(err, errlen,
			       "MEASUREMENTS at %zu: NumberOfBlocks %u, the record holds %u",
			       m->rsp, m->nr_blocks, count);
	return 0;
}
