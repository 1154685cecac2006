// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-tcg: the input is a TCG event log, or (first byte 'Q') a TPM
 * quote, for spdm-verify's platform parsers (tcg.c).  A log it accepts
 * has its digests checked, each bank replayed into every PCR its events
 * name, and every event decoded as an SPDM event; a quote is parsed and
 * its signature, the input's tail, verified with a key of our own.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "tcg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key(void)
{
	static EVP_PKEY *pkey;

	if (!pkey)
		pkey = EVP_EC_gen("P-256");
	if (!pkey)
		abort();
	return pkey;
}

static void one_quote(const uint8_t *data, size_t size)
{
	struct sv_quote q;
	char err[SV_ERR_MAX];
	uint16_t alg;
	size_t split;

	if (size < 2)
		return;
	/* byte 1: where the TPMS_ATTEST ends and the signature begins */
	split = data[1] < size - 2 ? data[1] : size - 2;
	data += 2;
	size -= 2;
	sv_quote_parse(data, size, &q, err, sizeof(err));
	sv_quote_verify(data, split, data + split, size - split, key(), &alg,
			err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t value[SV_TCG_MAX_DIGEST];
	struct sv_spdm_event s;
	struct sv_tcg_log log;
	char err[SV_ERR_MAX];
	unsigned int b;
	size_t n;

	if (size && data[0] == 'Q') {
		one_quote(data, size);
		return 0;
	}
	if (sv_tcg_parse(data, size, &log, err, sizeof(err)))
		return 0;
	sv_tcg_check_digests(&log, err, sizeof(err));
	for (n = 0; n < log.nr_events; n++) {
		for (b = 0; b < log.nr_banks; b++)
			if (log.banks[b].md &&
			    log.events[n].type != SV_EV_NO_ACTION &&
			    sv_tcg_replay(&log, log.events[n].pcr, b, value) < 1)
				abort();	/* the event's own PCR */
		sv_tcg_spdm_decode(&log.events[n], &s, err, sizeof(err));
	}
	sv_tcg_free(&log);
	return 0;
}
