/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Misbehaviour switches: per-device faults the reliability tests ask for.
 *
 * A switch is NAME[=VALUE][@CODE]; @CODE limits it to one request code.
 * Generic switches act in the send path (misbehave_before/after); a switch
 * that only makes sense for one response (bad-version) is looked up by that
 * response's handler with misbehave_get().  To add one: extend enum
 * misbehave_id and the table in misbehave.c, then act on it where it
 * belongs.
 */
#ifndef SPDM_RESPONDER_MISBEHAVE_H
#define SPDM_RESPONDER_MISBEHAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct msg;
struct spdm_action;
struct spdm_device;
struct spdm_request;

enum misbehave_id {
	MB_TRUNCATE,		/* cut the response short */
	MB_OVERLONG,		/* append garbage to the response */
	MB_ERROR,		/* answer with ERROR(value) instead */
	MB_BAD_VERSION,		/* VERSION lists an unconfigured version */
	MB_DELAY,		/* answer value ms late */
	MB_DROP,		/* close the connection instead of answering */
	MB_NR
};

#define MB_ALL_CODES	(-1)

struct misbehave_switch {
	bool on;
	bool has_value;
	unsigned long value;
	int only_code;		/* request code, or MB_ALL_CODES */
};

struct misbehave_set {
	struct misbehave_switch sw[MB_NR];
};

void misbehave_clear(struct misbehave_set *set);
int misbehave_parse(const char *list, struct misbehave_set *set,
		    char *err, size_t errlen);
void misbehave_format(const struct misbehave_set *set, char *buf, size_t len);
void misbehave_help(FILE *f);
const struct misbehave_switch *
misbehave_get(const struct misbehave_set *set, enum misbehave_id id,
	      unsigned int code);

int misbehave_before(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp, struct spdm_action *act);
int misbehave_after(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, struct spdm_action *act);

#endif /* SPDM_RESPONDER_MISBEHAVE_H */
