/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mutator of spdm-mitm: decides, from a seeded PRNG, whether and how
 * to damage one response of the SPDM socket protocol's PCI_DOE transport,
 * and rebuilds its DOE header so that the damage is inside the SPDM
 * message.  Nothing here touches a socket or a file.
 */
#ifndef SPDM_MITM_MUTATE_H
#define SPDM_MITM_MUTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MITM_DOE_HDR_LEN	8
#define MITM_DOE_VENDOR		0x0001
#define MITM_DOE_SPDM		1
#define MITM_DOE_SECURED	2
/* QEMU's spdm-socket client reads at most this much payload */
#define MITM_MAX_PAYLOAD	0x1200
#define MITM_HISTORY		32
#define MITM_MAX_CODES		16
/* request/response code of a secured record (its content is encrypted) */
#define MITM_CODE_SECURED	0x100
#define MITM_CODE_NONE		0x200

enum mitm_mode {
	MITM_OFF,
	MITM_ON,	/* any response, any kind of damage */
	MITM_SIGNED,	/* signed responses only, in their signed bytes */
};

enum mitm_kind {
	MK_BITFLIP,
	MK_BYTE0,
	MK_BYTEFF,
	MK_LENLIE,
	MK_TRUNCATE,
	MK_EXTEND,
	MK_REPLAY,
	MK_WRONGCODE,
	MK_VERSION,
	MK_NR
};

struct mitm_rng {
	uint64_t s;
};

/* What the control file (or the command line) asks for. */
struct mitm_policy {
	enum mitm_mode mode;
	uint32_t threshold;	/* mutate when a 32-bit draw is below it */
	bool all;		/* threshold means "always" */
	bool sigrsp;		/* only responses that carry a signature */
	unsigned int nr_codes;	/* 0: every response code */
	unsigned int codes[MITM_MAX_CODES];
};

struct mitm_saved {
	uint8_t type;
	unsigned int code;
	size_t len;
	uint8_t *data;		/* the SPDM message or secured record */
};

/* State of one connection: what the mutator learnt from the traffic. */
struct mitm_conn {
	struct mitm_rng rng;
	uint64_t seq;			/* responses seen */
	unsigned int req_code;		/* of the last request */
	uint8_t req_param1, req_param2;
	uint8_t req_type;
	uint32_t base_asym, base_hash;	/* from ALGORITHMS */
	struct mitm_saved hist[MITM_HISTORY];
	unsigned int hist_next;
};

/* One mutation, for the log. */
struct mitm_event {
	uint64_t seq;
	unsigned int req_code, rsp_code;
	uint8_t type;
	enum mitm_kind kind;
	size_t off;		/* first byte changed */
	size_t len_before, len_after;	/* of the SPDM message / record */
	bool signed_hit;	/* a byte the signature covers was altered */
	bool signed_rsp;	/* the response carries a signature */
};

void mitm_rng_seed(struct mitm_rng *r, uint64_t seed);
uint64_t mitm_rng_next(struct mitm_rng *r);
uint32_t mitm_rng_below(struct mitm_rng *r, uint32_t n);

const char *mitm_kind_name(enum mitm_kind k);
const char *mitm_mode_name(enum mitm_mode m);
int mitm_parse_rate(const char *s, struct mitm_policy *p);
int mitm_parse_policy(const char *text, struct mitm_policy *p);
bool mitm_policy_has_code(const struct mitm_policy *p, unsigned int code);

void mitm_conn_init(struct mitm_conn *c, uint64_t seed);
void mitm_conn_free(struct mitm_conn *c);

size_t mitm_sig_len(uint32_t base_asym);
size_t mitm_hash_len(uint32_t base_hash);

void mitm_doe_build(uint8_t *hdr, uint8_t type, size_t total_len);
int mitm_doe_parse(const uint8_t *buf, size_t len, uint8_t *type,
		   size_t *obj_len);

void mitm_note_request(struct mitm_conn *c, const uint8_t *payload,
		       size_t len);
ssize_t mitm_signed_end(const struct mitm_conn *c, const uint8_t *msg,
			size_t len);
int mitm_mutate(struct mitm_conn *c, const struct mitm_policy *p,
		uint8_t *payload, size_t len, size_t cap, size_t *new_len,
		struct mitm_event *ev);

#endif /* SPDM_MITM_MUTATE_H */
