// SPDX-License-Identifier: GPL-2.0
/*
 * The measurements behind GET_MEASUREMENTS (measurements.c) and the
 * MeasurementSummaryHash of CHALLENGE_AUTH and KEY_EXCHANGE_RSP: their
 * configuration (built-in set, a meas= file re-read when it changes,
 * meas-count=N synthetic blocks), the DMTF measurement blocks, the
 * MeasurementSpecification and MeasurementHashAlgo selection and the L1/L2
 * bookkeeping the dispatcher does after every request.
 *
 * A DMTF block: Index, MeasurementSpecification (DMTF), MeasurementSize
 * (2), DMTFSpecMeasurementValueType (bit 7 raw bit stream),
 * DMTFSpecMeasurementValueSize (2), value: the content hashed with the
 * selected MeasurementHashAlgo, or the content itself for raw blocks,
 * with MeasurementHashAlgo "raw bit stream only" and, 1.2+, when the
 * requester set RawBitStreamRequested.
 *
 * MeasurementSummaryHash: Hash (BaseHashAlgo) of the concatenated
 * blocks (whole blocks, default form, ascending index): all of them for
 * type 0xFF, for type 1 (TCB) those of type immutable ROM and mutable
 * firmware.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "spdm.h"

#define MEAS_BLOCK_HDR		4	/* Index, Spec, MeasurementSize */
#define MEAS_DMTF_HDR		3	/* ValueType, ValueSize */
#define MEAS_SUMMARY_TCB	0x01

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static const char *const type_names[] = {
	"immutable-rom", "mutable-firmware", "hardware-config",
	"firmware-config", "manifest", "device-mode", "firmware-version",
	"security-version", "hash-extended", "informational",
	"structured-manifest",
};

/* Built in: what the demo shows without meas=. */
static const struct {
	uint8_t index, type;
	bool raw;
	const char *content;
} builtin[] = {
	{ 1, SPDM_MEAS_TYPE_ROM, false, "spdm-responder immutable ROM" },
	{ 2, SPDM_MEAS_TYPE_FIRMWARE, false, "spdm-responder firmware 1.0.0" },
	{ 3, SPDM_MEAS_TYPE_HW_CONFIG, false,
	  "spdm-responder hardware configuration" },
	{ 4, SPDM_MEAS_TYPE_FW_VERSION, true, "1.0.0" },
};

static const struct {
	uint32_t bit;
	const char *name;
} meas_hashes[] = {
	/* strongest first */
	{ SPDM_MEAS_HASH_SHA512, "sha512" },
	{ SPDM_MEAS_HASH_SHA384, "sha384" },
	{ SPDM_MEAS_HASH_SHA256, "sha256" },
	{ SPDM_MEAS_HASH_RAW, "raw" },
};

#define NR_MEAS_HASHES	ARRAY_SIZE(meas_hashes)

void spdm_meas_config_init(struct spdm_meas_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->src = SPDM_MEAS_SRC_DEFAULT;
	cfg->hash_mask = SPDM_MEAS_HASH_DIGESTS;
}

/* "sha256,raw" -> MeasurementHashAlgo mask; "all" is the three hashes. */
int spdm_meas_parse_hash(const char *list, uint32_t *mask)
{
	char *copy, *item, *save = NULL;
	unsigned int i;
	int ret = 0;

	*mask = 0;
	if (!strcmp(list, "all")) {
		*mask = SPDM_MEAS_HASH_DIGESTS;
		return 0;
	}
	copy = strdup(list);
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_MEAS_HASHES; i++)
			if (!strcmp(item, meas_hashes[i].name))
				break;
		if (i < NR_MEAS_HASHES)
			*mask |= meas_hashes[i].bit;
		else
			ret = -EINVAL;
	}
	free(copy);
	return ret || !*mask ? -EINVAL : 0;
}

void spdm_meas_hash_format(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = NR_MEAS_HASHES; i-- > 0 && used < len;)
		if (mask & meas_hashes[i].bit)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", meas_hashes[i].name);
}

static int parse_number(const char *s, unsigned long min, unsigned long max,
			unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || *v < min || *v > max ? -EINVAL : 0;
}

/* A DMTFSpecMeasurementValueType: 0-127 or one of type_names. */
int spdm_meas_parse_type(const char *s, uint8_t *type)
{
	unsigned long v;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(type_names); i++) {
		if (!strcmp(s, type_names[i])) {
			*type = i;
			return 0;
		}
	}
	if (parse_number(s, 0, SPDM_MEAS_TYPE_MASK, &v))
		return -EINVAL;
	*type = v;
	return 0;
}

void spdm_meas_set_free(struct spdm_meas_set *set)
{
	unsigned int i;

	for (i = 0; i < set->count; i++)
		free(set->block[i].value);
	free(set->block);
	set->block = NULL;
	set->count = 0;
}

/* Append a block (taking a copy of @value). */
static int set_add(struct spdm_meas_set *set, uint8_t index, uint8_t type,
		   bool raw, const void *value, size_t len)
{
	struct spdm_meas_block *b;

	if (!set->block) {
		set->block = calloc(SPDM_MEAS_MAX_BLOCKS, sizeof(*set->block));
		if (!set->block)
			return -ENOMEM;
	}
	if (set->count == SPDM_MEAS_MAX_BLOCKS)
		return -E2BIG;
	b = &set->block[set->count];
	b->value = malloc(len ? len : 1);
	if (!b->value)
		return -ENOMEM;
	memcpy(b->value, value, len);
	b->len = len;
	b->index = index;
	b->type = type;
	b->raw = raw;
	set->count++;
	return 0;
}

static int block_cmp(const void *a, const void *b)
{
	const struct spdm_meas_block *x = a, *y = b;

	return (int)x->index - (int)y->index;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One line "INDEX TYPE FORMAT VALUE" (comment already cut off). */
static int parse_line(char *line, struct spdm_meas_set *set,
		      unsigned int *index_line, unsigned int lineno,
		      char *why, size_t whylen)
{
	char *field[5], *save = NULL, *hex;
	unsigned long index;
	size_t n = 0, i, len;
	uint8_t type, *value;
	bool raw;
	int ret;

	for (field[0] = strtok_r(line, " \t\r\n", &save); field[n] && n < 4;)
		field[++n] = strtok_r(NULL, " \t\r\n", &save);
	if (!n)
		return 0;
	if (n != 4 || field[4]) {
		snprintf(why, whylen, "expected INDEX TYPE FORMAT VALUE, got %s fields",
			 n < 4 ? "fewer" : "more");
		return -EINVAL;
	}
	if (parse_number(field[0], 1, SPDM_MEAS_MAX_BLOCKS, &index)) {
		snprintf(why, whylen, "index '%s' is not 1-254", field[0]);
		return -EINVAL;
	}
	if (index_line[index]) {
		snprintf(why, whylen, "index %lu already given on line %u",
			 index, index_line[index]);
		return -EINVAL;
	}
	if (spdm_meas_parse_type(field[1], &type)) {
		snprintf(why, whylen, "type '%s' is neither 0-127 nor a type name (immutable-rom, mutable-firmware, ...)",
			 field[1]);
		return -EINVAL;
	}
	if (!strcmp(field[2], "digest")) {
		raw = false;
	} else if (!strcmp(field[2], "raw")) {
		raw = true;
	} else {
		snprintf(why, whylen, "format '%s' is neither digest nor raw",
			 field[2]);
		return -EINVAL;
	}
	hex = field[3];
	len = strlen(hex);
	if (len % 2 || len / 2 > SPDM_MEAS_MAX_VALUE) {
		snprintf(why, whylen, "value of %zu hex digits: not a whole number of bytes from 1 to %d",
			 len, SPDM_MEAS_MAX_VALUE);
		return -EINVAL;
	}
	value = malloc(len / 2);
	if (!value)
		return -ENOMEM;
	for (i = 0; i < len / 2; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(why, whylen, "value: '%c' is not a hex digit",
				 hi < 0 ? hex[2 * i] : hex[2 * i + 1]);
			free(value);
			return -EINVAL;
		}
		value[i] = hi << 4 | lo;
	}
	ret = set_add(set, index, type, raw, value, len / 2);
	free(value);
	if (ret == -E2BIG)
		snprintf(why, whylen, "more than %d measurements",
			 SPDM_MEAS_MAX_BLOCKS);
	else if (ret)
		snprintf(why, whylen, "out of memory");
	index_line[index] = lineno;
	return ret;
}

/*
 * Read a measurements file: one block per line, "INDEX TYPE FORMAT
 * VALUE", '#' starts a comment.  On error @err says where and why.
 */
int spdm_meas_load_file(const char *path, struct spdm_meas_set *set,
			char *err, size_t errlen)
{
	unsigned int index_line[SPDM_MEAS_MAX_BLOCKS + 1] = { 0 };
	struct spdm_meas_set s = { 0 };
	unsigned int lineno = 0;
	char *line = NULL, *hash, why[256];
	size_t cap = 0;
	FILE *f;
	int ret = 0;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "measurements file %s: %s", path,
			 strerror(errno));
		return ret;
	}
	while (!ret && getline(&line, &cap, f) >= 0) {
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		ret = parse_line(line, &s, index_line, lineno, why, sizeof(why));
		if (ret)
			snprintf(err, errlen, "%s:%u: %s", path, lineno, why);
	}
	if (!ret && ferror(f)) {
		ret = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	if (!ret && !s.count) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: no measurements (one 'INDEX TYPE FORMAT VALUE' per line)",
			 path);
	}
	free(line);
	fclose(f);
	if (ret) {
		spdm_meas_set_free(&s);
		return ret;
	}
	qsort(s.block, s.count, sizeof(*s.block), block_cmp);
	*set = s;
	return 0;
}

static int set_builtin(struct spdm_meas_set *set)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(builtin) && !ret; i++)
		ret = set_add(set, builtin[i].index, builtin[i].type,
			      builtin[i].raw, builtin[i].content,
			      strlen(builtin[i].content));
	return ret;
}

/* meas-count=N: digests of "measurement I", types cycling 0-3. */
static int set_synthetic(struct spdm_meas_set *set, unsigned int n)
{
	char content[32];
	unsigned int i;
	int ret = 0, len;

	for (i = 1; i <= n && !ret; i++) {
		len = snprintf(content, sizeof(content), "measurement %u", i);
		ret = set_add(set, i, (i - 1) % 4, false, content, len);
	}
	return ret;
}

static bool sets_equal(const struct spdm_meas_set *a,
		       const struct spdm_meas_set *b)
{
	const struct spdm_meas_block *x, *y;
	unsigned int i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++) {
		x = &a->block[i];
		y = &b->block[i];
		if (x->index != y->index || x->type != y->type ||
		    x->raw != y->raw || x->len != y->len ||
		    memcmp(x->value, y->value, x->len))
			return false;
	}
	return true;
}

void spdm_meas_init(struct spdm_device *dev)
{
	memset(&dev->meas, 0, sizeof(dev->meas));
	msg_init(&dev->meas.l1);
}

static void stat_remember(struct spdm_meas_dev *m, const struct stat *st)
{
	m->stat_valid = true;
	m->st_dev = st->st_dev;
	m->st_ino = st->st_ino;
	m->st_size = st->st_size;
	m->st_mtime_ns = st->st_mtim.tv_sec * 1000000000LL +
			 st->st_mtim.tv_nsec;
}

static bool stat_same(const struct spdm_meas_dev *m, const struct stat *st)
{
	return m->stat_valid && m->st_dev == st->st_dev &&
	       m->st_ino == st->st_ino && m->st_size == st->st_size &&
	       m->st_mtime_ns == st->st_mtim.tv_sec * 1000000000LL +
				 st->st_mtim.tv_nsec;
}

/*
 * Apply the measurement part of a --port: load the measurements and
 * work out MEAS_CAP.  Without a signing key the default is no
 * measurements; measurements asked for explicitly are then announced
 * without signature capability.
 */
int spdm_meas_configure(struct spdm_device *dev,
			const struct spdm_meas_config *cfg, bool can_sign,
			char *err, size_t errlen)
{
	struct spdm_meas_dev *m = &dev->meas;
	struct stat st;
	int ret = 0;

	spdm_meas_release(dev);
	m->src = cfg->src;
	m->hash_mask = cfg->hash_mask;
	/* meas-cap= alone asks for the built-in set too */
	if (cfg->src == SPDM_MEAS_SRC_NONE ||
	    (cfg->src == SPDM_MEAS_SRC_DEFAULT && !can_sign &&
	     cfg->cap == SPDM_MEAS_CAP_NONE)) {
		m->src = SPDM_MEAS_SRC_NONE;
		m->cap = SPDM_MEAS_CAP_NONE;
		return 0;
	}
	if (cfg->cap == SPDM_MEAS_CAP_SIG && !can_sign) {
		snprintf(err, errlen, "meas-cap=sig needs certificates (certs=)");
		return -EINVAL;
	}
	m->cap = cfg->cap != SPDM_MEAS_CAP_NONE ? cfg->cap :
		 can_sign ? SPDM_MEAS_CAP_SIG : SPDM_MEAS_CAP_NOSIG;
	switch (cfg->src) {
	case SPDM_MEAS_SRC_FILE:
		m->file = strdup(cfg->file);
		if (!m->file) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		if (!stat(m->file, &st))
			stat_remember(m, &st);
		ret = spdm_meas_load_file(m->file, &m->set, err, errlen);
		break;
	case SPDM_MEAS_SRC_COUNT:
		ret = set_synthetic(&m->set, cfg->count);
		break;
	default:
		ret = set_builtin(&m->set);
		break;
	}
	if (ret && cfg->src != SPDM_MEAS_SRC_FILE)
		snprintf(err, errlen, "out of memory");
	return ret;
}

void spdm_meas_release(struct spdm_device *dev)
{
	struct spdm_meas_dev *m = &dev->meas;

	spdm_meas_set_free(&m->set);
	free(m->file);
	m->file = NULL;
	m->stat_valid = false;
	msg_free(&m->l1);
}

void spdm_meas_conn_reset(struct spdm_device *dev)
{
	dev->meas.spec_sel = 0;
	dev->meas.hash_sel = 0;
	msg_reset(&dev->meas.l1);
}

/* For the start-up log line. */
void spdm_meas_describe(const struct spdm_device *dev, char *buf, size_t len)
{
	const struct spdm_meas_dev *m = &dev->meas;
	char hashes[48];

	if (m->cap == SPDM_MEAS_CAP_NONE) {
		snprintf(buf, len, "none (no MEAS_CAP)");
		return;
	}
	spdm_meas_hash_format(m->hash_mask, hashes, sizeof(hashes));
	snprintf(buf, len, "%s%s, %u blocks, MEAS_CAP %s, MeasurementHashAlgo %s",
		 m->src == SPDM_MEAS_SRC_FILE ? "file " :
		 m->src == SPDM_MEAS_SRC_COUNT ? "synthetic" : "built-in",
		 m->src == SPDM_MEAS_SRC_FILE ? m->file : "", m->set.count,
		 m->cap == SPDM_MEAS_CAP_SIG ? "with signature" :
		 "without signature", hashes);
}

/*
 * Re-read the meas= file if it is not the one last read (device, inode,
 * size or modification time differ).  A file that cannot be read or
 * parsed leaves the measurements as they were.
 */
void spdm_meas_refresh(struct spdm_device *dev)
{
	struct spdm_meas_dev *m = &dev->meas;
	struct spdm_meas_set set = { 0 };
	char err[512];
	struct stat st;

	if (m->src != SPDM_MEAS_SRC_FILE)
		return;
	if (stat(m->file, &st)) {
		if (m->stat_valid)
			log_msg("port %u: measurements file %s: %s; keeping the last measurements",
				dev->port, m->file, strerror(errno));
		m->stat_valid = false;
		return;
	}
	if (stat_same(m, &st))
		return;
	stat_remember(m, &st);
	if (spdm_meas_load_file(m->file, &set, err, sizeof(err))) {
		log_msg("port %u: %s; keeping the last measurements",
			dev->port, err);
		return;
	}
	if (sets_equal(&set, &m->set)) {
		spdm_meas_set_free(&set);
		return;
	}
	spdm_meas_set_free(&m->set);
	m->set = set;
	m->generation++;
	log_msg("port %u: measurements reloaded from %s: %u blocks (change %lu)",
		dev->port, m->file, set.count, m->generation);
}

/*
 * NEGOTIATE_ALGORITHMS: with MEAS_CAP, the DMTF MeasurementSpecification
 * if offered, and one MeasurementHashAlgo of ours (the requester offers
 * none): the strength of BaseHashSel if we have it, else the strongest
 * hash we have, else raw bit streams.  Without MEAS_CAP or DMTF both
 * are 0.
 */
void spdm_meas_select(const struct spdm_device *dev, uint8_t offered_spec,
		      uint32_t base_hash, uint8_t *spec_sel, uint32_t *hash_sel)
{
	const struct spdm_meas_dev *m = &dev->meas;
	uint32_t same = base_hash << 1;	/* BaseHashAlgo bit -> ours */
	unsigned int i;

	*spec_sel = 0;
	*hash_sel = 0;
	if (m->cap == SPDM_MEAS_CAP_NONE || !(offered_spec & SPDM_MEAS_SPEC_DMTF))
		return;
	*spec_sel = SPDM_MEAS_SPEC_DMTF;
	if (same & m->hash_mask & SPDM_MEAS_HASH_DIGESTS) {
		*hash_sel = same;
		return;
	}
	for (i = 0; i < NR_MEAS_HASHES; i++) {
		if (m->hash_mask & meas_hashes[i].bit) {
			*hash_sel = meas_hashes[i].bit;
			return;
		}
	}
}

/* The hash of digest blocks, NULL for raw bit streams only. */
static const struct spdm_hash_alg *meas_hash(const struct spdm_device *dev)
{
	if (!(dev->meas.hash_sel & SPDM_MEAS_HASH_DIGESTS))
		return NULL;
	return spdm_hash_by_bit(dev->meas.hash_sel >> 1);
}

/* Append block @b as a DMTF measurement block (@raw: as raw bit stream). */
int spdm_meas_put_block(const struct spdm_device *dev,
			const struct spdm_meas_block *b, bool raw, uint8_t spec,
			struct msg *out)
{
	const struct spdm_hash_alg *h = meas_hash(dev);
	uint8_t hdr[MEAS_BLOCK_HDR + MEAS_DMTF_HDR];
	uint8_t digest[SPDM_MAX_HASH_LEN];
	const uint8_t *value = b->value;
	size_t len = b->len;
	int ret;

	raw = raw || b->raw || !h;
	if (!raw) {
		ret = spdm_digest(h, b->value, b->len, NULL, 0, digest);
		if (ret)
			return ret;
		value = digest;
		len = h->len;
	}
	hdr[0] = b->index;
	hdr[1] = spec;
	hdr[2] = (len + MEAS_DMTF_HDR) & 0xff;
	hdr[3] = (len + MEAS_DMTF_HDR) >> 8;
	hdr[4] = b->type | (raw ? SPDM_MEAS_TYPE_RAW : 0);
	hdr[5] = len & 0xff;
	hdr[6] = len >> 8;
	return msg_put(out, hdr, sizeof(hdr)) ?: msg_put(out, value, len);
}

static bool is_tcb(const struct spdm_meas_block *b)
{
	return b->type == SPDM_MEAS_TYPE_ROM ||
	       b->type == SPDM_MEAS_TYPE_FIRMWARE;
}

/*
 * MeasurementSummaryHash of @type (TCB or all) into @out (BaseHashAlgo
 * size).  Returns 0 or a negative errno.
 */
int spdm_meas_summary(struct spdm_device *dev, uint8_t type, uint8_t *out)
{
	const struct spdm_meas_block *b;
	struct msg blocks;
	unsigned int i;
	int ret = 0;

	spdm_meas_refresh(dev);
	msg_init(&blocks);
	for (i = 0; i < dev->meas.set.count && !ret; i++) {
		b = &dev->meas.set.block[i];
		if (type != MEAS_SUMMARY_TCB || is_tcb(b))
			ret = spdm_meas_put_block(dev, b, false,
						  dev->meas.spec_sel, &blocks);
	}
	ret = ret ?: spdm_digest(dev->hash, blocks.data, blocks.len, NULL, 0,
				 out);
	msg_free(&blocks);
	return ret;
}

/*
 * After every request: anything but a GET_MEASUREMENTS answered with
 * MEASUREMENTS starts L1 over.  Busy and ResponseNotReady do not: the
 * requester retries, and the exchange that completes enters L1.  Nor
 * does a CHUNK_RESPONSE: a large MEASUREMENTS is in L1 whole already.
 */
void spdm_meas_transcript_track(struct spdm_device *dev,
				const struct spdm_request *req,
				const struct msg *rsp)
{
	bool error = rsp->len >= 3 && rsp->data[1] == SPDM_ERROR;

	if (req->code == SPDM_CHUNK_GET && !error)
		return;
	if (req->code == SPDM_GET_MEASUREMENTS &&
	    (!error || rsp->data[2] == SPDM_ERR_BUSY ||
	     rsp->data[2] == SPDM_ERR_RESPONSE_NOT_READY))
		return;
	msg_reset(&dev->meas.l1);
}
