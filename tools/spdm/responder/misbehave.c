// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaviour switches: per-device faults the reliability tests ask for.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "misbehave.h"
#include "spdm.h"

#define MB_LEN_MAX		(1UL << 20)
#define MB_DELAY_MAX_MS		600000UL
#define MB_OVERLONG_DEFAULT	16
#define MB_GARBAGE		0xa5
#define MB_RDT_EXPONENT		10	/* ResponseNotReady: 2^10 us */

enum mb_arg { MBA_NONE, MBA_OPTIONAL, MBA_REQUIRED };
enum mb_fmt { MBF_DEC, MBF_HEX, MBF_VER };

struct mb_desc {
	const char *name;
	enum mb_arg arg;
	enum mb_fmt fmt;
	const char *arg_name;
	unsigned long max;
	const char *help;
};

static const struct mb_desc mb_table[MB_NR] = {
	[MB_TRUNCATE] = { "truncate", MBA_OPTIONAL, MBF_DEC, "N", MB_LEN_MAX,
		"send only the first N bytes of the SPDM response\n"
		"(default: half; DOE zero-pads it to a dword)" },
	[MB_OVERLONG] = { "overlong", MBA_OPTIONAL, MBF_DEC, "N", MB_LEN_MAX,
		"append N garbage bytes (0xa5) to the SPDM response\n"
		"(default 16)" },
	[MB_ERROR] = { "error", MBA_REQUIRED, MBF_HEX, "CODE", 0xff,
		"answer every request with ERROR(CODE, 0); 0x42\n"
		"(ResponseNotReady) carries its extended data" },
	[MB_BAD_VERSION] = { "bad-version", MBA_OPTIONAL, MBF_VER, "M.N", 0,
		"VERSION also lists M.N, which the device does not\n"
		"accept (default: the highest configured + 0.1)" },
	[MB_DELAY] = { "delay", MBA_REQUIRED, MBF_DEC, "MS", MB_DELAY_MAX_MS,
		"send each response MS milliseconds late (QEMU waits\n"
		"in the guest's config write: no DOE timeout results)" },
	[MB_DROP] = { "drop", MBA_NONE, MBF_DEC, NULL, 0,
		"close the connection instead of answering (QEMU\n"
		"does not reconnect: its device stays mute)" },
};

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

static int parse_value(const struct mb_desc *d, const char *s,
		       unsigned long *v)
{
	uint16_t vne;

	if (d->fmt != MBF_VER)
		return parse_ulong(s, d->max, v);
	if (spdm_version_parse(s, &vne))
		return -EINVAL;
	*v = vne;
	return 0;
}

static int lookup(const char *name)
{
	int i;

	for (i = 0; i < MB_NR; i++)
		if (!strcmp(name, mb_table[i].name))
			return i;
	return -1;
}

static int parse_item(char *item, struct misbehave_set *set,
		      char *err, size_t errlen)
{
	struct misbehave_switch sw = { .on = true, .only_code = MB_ALL_CODES };
	char *at = strchr(item, '@');
	char *eq = strchr(item, '=');
	unsigned long code;
	const struct mb_desc *d;
	int id;

	if (at) {
		*at++ = '\0';
		if (parse_ulong(at, 0xff, &code)) {
			snprintf(err, errlen, "bad request code '@%s'", at);
			return -EINVAL;
		}
		sw.only_code = code;
	}
	if (eq)
		*eq++ = '\0';
	id = lookup(item);
	if (id < 0) {
		snprintf(err, errlen, "unknown misbehaviour '%s'", item);
		return -EINVAL;
	}
	d = &mb_table[id];
	if (eq && d->arg == MBA_NONE) {
		snprintf(err, errlen, "'%s' takes no value", d->name);
		return -EINVAL;
	}
	if (!eq && d->arg == MBA_REQUIRED) {
		snprintf(err, errlen, "'%s' needs =%s", d->name, d->arg_name);
		return -EINVAL;
	}
	if (eq) {
		if (parse_value(d, eq, &sw.value)) {
			snprintf(err, errlen, "bad value '%s' for '%s'",
				 eq, d->name);
			return -EINVAL;
		}
		sw.has_value = true;
	}
	set->sw[id] = sw;
	return 0;
}

void misbehave_clear(struct misbehave_set *set)
{
	memset(set, 0, sizeof(*set));
}

/*
 * Parse "NAME[=VALUE][@CODE][+NAME...]" ("," works as separator too;
 * "none" or "" is the empty set) into @set, replacing its contents.
 */
int misbehave_parse(const char *list, struct misbehave_set *set,
		    char *err, size_t errlen)
{
	char *copy, *item, *save = NULL;
	int ret = 0;

	misbehave_clear(set);
	if (!*list || !strcmp(list, "none"))
		return 0;
	copy = strdup(list);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (strchr("+,", copy[0]) || strchr("+,", copy[strlen(copy) - 1]) ||
	    strstr(copy, "++") || strstr(copy, ",,")) {
		snprintf(err, errlen, "empty item in '%s'", list);
		ret = -EINVAL;
	}
	for (item = strtok_r(copy, "+,", &save); item && !ret;
	     item = strtok_r(NULL, "+,", &save))
		ret = parse_item(item, set, err, errlen);
	free(copy);
	if (ret)
		misbehave_clear(set);
	return ret;
}

static int format_one(const struct mb_desc *d,
		      const struct misbehave_switch *sw, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", d->name);

	if (sw->has_value && d->fmt == MBF_VER)
		n += snprintf(buf + n, len - n, "=%lu.%lu",
			      sw->value >> 12, (sw->value >> 8) & 0xf);
	else if (sw->has_value && d->fmt == MBF_HEX)
		n += snprintf(buf + n, len - n, "=0x%02lx", sw->value);
	else if (sw->has_value)
		n += snprintf(buf + n, len - n, "=%lu", sw->value);
	if (sw->only_code != MB_ALL_CODES)
		n += snprintf(buf + n, len - n, "@0x%02x", sw->only_code);
	return n;
}

/* Human-readable form of @set, e.g. "truncate=7@0x84+delay=100". */
void misbehave_format(const struct misbehave_set *set, char *buf, size_t len)
{
	char one[64];
	size_t used = 0;
	int i;

	snprintf(buf, len, "none");
	for (i = 0; i < MB_NR; i++) {
		if (!set->sw[i].on)
			continue;
		format_one(&mb_table[i], &set->sw[i], one, sizeof(one));
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "+" : "", one);
	}
}

void misbehave_help(FILE *f)
{
	const struct mb_desc *d;
	const char *p;
	char head[32];
	int i;

	for (i = 0; i < MB_NR; i++) {
		d = &mb_table[i];
		snprintf(head, sizeof(head), "%s%s%s%s", d->name,
			 d->arg == MBA_OPTIONAL ? "[=" :
			 d->arg == MBA_REQUIRED ? "=" : "",
			 d->arg_name ? d->arg_name : "",
			 d->arg == MBA_OPTIONAL ? "]" : "");
		fprintf(f, "  %-21s", head);
		for (p = d->help; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "  %-21s", "");
		}
		fputc('\n', f);
	}
}

const struct misbehave_switch *
misbehave_get(const struct misbehave_set *set, enum misbehave_id id,
	      unsigned int code)
{
	const struct misbehave_switch *sw = &set->sw[id];

	if (!sw->on)
		return NULL;
	if (sw->only_code != MB_ALL_CODES && (unsigned int)sw->only_code != code)
		return NULL;
	return sw;
}

static int forced_error(struct spdm_device *dev, const struct spdm_request *req,
			struct msg *rsp, uint8_t code)
{
	static uint8_t token;
	uint8_t ext[4];

	log_msg("port %u: misbehave error: answering %s with ERROR 0x%02x",
		dev->port, spdm_request_name(req->code), code);
	if (code != SPDM_ERR_RESPONSE_NOT_READY)
		return spdm_error(rsp, req->version, code, 0, NULL, 0);
	/* RDTExponent, RequestCode, Token, RDTM */
	ext[0] = MB_RDT_EXPONENT;
	ext[1] = req->code;
	ext[2] = token++;
	ext[3] = 1;
	return spdm_error(rsp, req->version, code, 0, ext, sizeof(ext));
}

/*
 * Before dispatch: returns 1 if a switch took over the request (@act says
 * drop, or @rsp holds the forced ERROR), 0 to dispatch normally, or a
 * negative errno.
 */
int misbehave_before(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp, struct spdm_action *act)
{
	const struct misbehave_switch *sw;
	int ret;

	if (misbehave_get(&dev->misbehave, MB_DROP, req->code)) {
		log_msg("port %u: misbehave drop: closing instead of answering %s",
			dev->port, spdm_request_name(req->code));
		act->drop = true;
		return 1;
	}
	sw = misbehave_get(&dev->misbehave, MB_ERROR, req->code);
	if (!sw)
		return 0;
	ret = forced_error(dev, req, rsp, sw->value);
	return ret ? ret : 1;
}

/* After the response is built: mangle it and/or delay it. */
int misbehave_after(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, struct spdm_action *act)
{
	const struct misbehave_set *set = &dev->misbehave;
	const struct misbehave_switch *sw;
	size_t n;

	sw = misbehave_get(set, MB_TRUNCATE, req->code);
	if (sw) {
		n = sw->has_value ? sw->value : rsp->len / 2;
		if (n < rsp->len) {
			log_msg("port %u: misbehave truncate: %s response cut from %zu to %zu bytes",
				dev->port, spdm_request_name(req->code),
				rsp->len, n);
			rsp->len = n;
		}
	}
	sw = misbehave_get(set, MB_OVERLONG, req->code);
	if (sw) {
		n = sw->has_value ? sw->value : MB_OVERLONG_DEFAULT;
		log_msg("port %u: misbehave overlong: %zu garbage bytes after response to %s",
			dev->port, n, spdm_request_name(req->code));
		if (msg_put_fill(rsp, MB_GARBAGE, n))
			return -ENOMEM;
	}
	sw = misbehave_get(set, MB_DELAY, req->code);
	if (sw) {
		log_msg("port %u: misbehave delay: answering %s after %lu ms",
			dev->port, spdm_request_name(req->code), sw->value);
		act->delay_ms = sw->value;
	}
	return 0;
}
