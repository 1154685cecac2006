// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Transcripts: the messages a signature covers, kept as exchanged.
 */

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "exchange.h"
#include "state.h"

/**
 * spdm_transcript_append() - add a message to a transcript
 * @t: the transcript
 * @msg: message exactly as sent or received, without transport padding
 * @msg_sz: size of @msg
 *
 * Return: 0 on success, or -ENOMEM.
 */
int spdm_transcript_append(struct spdm_transcript *t, const void *msg,
			   size_t msg_sz)
{
	size_t needed = t->len + msg_sz;

	if (needed > t->max) {
		size_t max = max(roundup_pow_of_two(needed), SZ_4K);
		u8 *data = kvrealloc(t->data, max, GFP_KERNEL);

		if (!data)
			return -ENOMEM;
		t->data = data;
		t->max = max;
	}

	memcpy(t->data + t->len, msg, msg_sz);
	t->len = needed;
	return 0;
}

/**
 * spdm_transcript_free() - free a transcript and empty it
 * @t: the transcript
 */
void spdm_transcript_free(struct spdm_transcript *t)
{
	kvfree(t->data);
	t->data = NULL;
	t->len = 0;
	t->max = 0;
}

/**
 * spdm_append_transcript() - add a message to the M1 transcript
 * @spdm_state: SPDM state of the device
 * @msg: message exactly as sent or received, without transport padding
 * @msg_sz: size of @msg
 *
 * Return: 0 on success, or -ENOMEM.
 */
int spdm_append_transcript(struct spdm_state *spdm_state,
			   const void *msg, size_t msg_sz)
{
	return spdm_transcript_append(&spdm_state->transcript, msg, msg_sz);
}
