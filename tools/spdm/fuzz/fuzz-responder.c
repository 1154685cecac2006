// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz-responder: a sequence of requests for the software responder,
 * split from the input (rdrive.h has the format), each going in as the
 * server hands it a frame: socket protocol, DOE object, SPDM message or
 * DSP0277 secured record (sealed with the session's keys, so that the
 * requests inside a session get through).  Every input starts from a
 * fresh device: VERSION, CAPABILITIES and ALGORITHMS come first in the
 * seeds, then certificates, CHALLENGE, measurements and sessions.
 */
#include "rdrive.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return rd_global_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rd r;

	rd_run(&r, data, size);
	return 0;
}
