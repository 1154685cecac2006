/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Secured messages (DSP0277) of the software responder: sealing and
 * opening records, and the secured transport, above the dispatcher (doe.c
 * calls it, it calls spdm_respond()).  spdm_secured_process() leaves in
 * @out what its @kind says.
 */
#ifndef SPDM_RESPONDER_SECURED_H
#define SPDM_RESPONDER_SECURED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

enum spdm_secured_kind {
	SPDM_SECURED_NONE,	/* nothing to send */
	SPDM_SECURED_PLAIN,	/* a plain SPDM message (DOE type 1) */
	SPDM_SECURED_RECORD,	/* a secured record (DOE type 2) */
};

int spdm_record_seal(uint16_t aead, bool mac_only,
		     const struct spdm_sess_keys *k, uint32_t session_id,
		     size_t seq_len, const uint8_t *msg, size_t len,
		     struct msg *out);
int spdm_record_open(uint16_t aead, bool mac_only,
		     const struct spdm_sess_keys *k, size_t seq_len,
		     const uint8_t *rec, size_t len, struct msg *out,
		     const char **why);
int spdm_secured_process(struct spdm_device *dev, const uint8_t *sec,
			 size_t len, struct msg *out,
			 enum spdm_secured_kind *kind,
			 struct spdm_action *act);

#endif /* SPDM_RESPONDER_SECURED_H */
