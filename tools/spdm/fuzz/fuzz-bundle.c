// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-bundle: the input is an evidence bundle (JSON) for spdm-verify's
 * reader, sv_bundle_read() (bundle-read.c).  Evidence it accepts is
 * checked as "spdm-verify verify-bundle" checks it, with sv_verify()
 * (transcript walks, measurement blocks, certificate chain, signature;
 * no trust anchors, no time check), and the bundle with the verdict is
 * written into memory, where it must read back.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void write_back(const struct sv_evidence *ev,
		       const struct sv_verdict *v)
{
	struct sv_evidence again;
	char *buf = NULL, err[SV_ERR_MAX];
	struct sv_jw w;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	sv_jw_init(&w, f, true);
	sv_bundle_write(&w, NULL, ev, v);
	sv_jw_end(&w);
	fclose(f);
	if (sv_bundle_read(buf, len, &again, err, sizeof(err))) {
		fprintf(stderr, "bundle written back does not read: %s\n%s\n",
			err, buf);
		abort();
	}
	if (again.have != ev->have) {
		fprintf(stderr, "bundle written back has fields 0x%x, not 0x%x\n",
			again.have, ev->have);
		abort();
	}
	sv_evidence_free(&again);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sv_verify_opts o = { .no_time_check = true };
	struct sv_evidence ev;
	struct sv_verdict *v;
	char err[SV_ERR_MAX];

	if (sv_bundle_read((const char *)data, size, &ev, err, sizeof(err)))
		return 0;
	v = calloc(1, sizeof(*v));
	if (!v)
		abort();
	sv_verify(&ev, &o, v);
	write_back(&ev, v);
	sv_verdict_free(v);
	free(v);
	sv_evidence_free(&ev);
	return 0;
}
