// SPDX-License-Identifier: GPL-2.0
/*
 * GET_MEASUREMENTS / MEASUREMENTS (DSP0274 1.3 sec 10.11), the
 * MeasurementSummaryHash of CHALLENGE_AUTH and the measurements behind
 * them.
 *
 * Request: SPDMVersion, 0xE0, Param1 = attributes (bit 0
 * SignatureRequested; bit 1 RawBitStreamRequested, 1.2+), Param2 =
 * MeasurementOperation (0 number of indices, 1..0xFE one index, 0xFF
 * all).  With a signature: Nonce (32), then SlotIDParam (1, 1.1+).
 * 1.3: RequesterContext (8) always.
 *
 * Response: SPDMVersion, 0x60, Param1 = TotalNumberOfMeasurementIndices
 * for operation 0 (else 0), Param2 = SlotID (bits 3:0, signed 1.1+) and
 * MeasurementContentChanged (bits 5:4, signed 1.2+), NumberOfBlocks,
 * MeasurementRecordLength (3), the blocks, Nonce (32, ours), OpaqueDataLength
 * (2, always 0 here), RequesterContext (1.3), Signature (if requested).
 * A DMTF block: Index, MeasurementSpecification (DMTF), MeasurementSize
 * (2), DMTFSpecMeasurementValueType (bit 7 raw bit stream),
 * DMTFSpecMeasurementValueSize (2), value: the content hashed with the
 * selected MeasurementHashAlgo, or the content itself for raw blocks,
 * with MeasurementHashAlgo "raw bit stream only" and, 1.2+, when the
 * requester set RawBitStreamRequested.
 *
 * L1/L2 (1.2+: VCA || L1; 1.0/1.1: L1 alone): every GET_MEASUREMENTS
 * and MEASUREMENTS exchanged since the last signed MEASUREMENTS, as
 * sent, the last response without its Signature.  Any other request
 * (GET_VERSION included), any ERROR but Busy and ResponseNotReady, and
 * the signed response start L1 over (DMTF libspdm's responder resets on
 * Busy too; we do not, so that a requester that retries succeeds).  After
 * ResponseNotReady the deferred request and the response RESPOND_IF_READY
 * gets enter L1, after Busy the retried request and its response.  A
 * MEASUREMENTS sent in chunks enters L1 whole; CHUNK_GETs answered with
 * a chunk leave L1 alone.  1.0/1.1 sign Hash(L1/L2) directly, 1.2+ the
 * combined prefix ("responder-measurements signing") and Hash(L1/L2), as
 * challenge.c does.  A successful GET_MEASUREMENTS before any CHALLENGE
 * completed also resets part B of M1 ("skipped CHALLENGE completion").
 *
 * MeasurementContentChanged (1.2+, signed only): 01b when the
 * measurements changed (a reloaded meas= file) since the first
 * MEASUREMENTS of the signed L1, else 10b.
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

#define MEAS_ATTR_SIGNATURE	0x01
#define MEAS_ATTR_RAW		0x02	/* 1.2+ */
#define MEAS_OP_COUNT		0x00
#define MEAS_OP_ALL		0xff
#define MEAS_SLOT_MASK		0x0f
#define MEAS_SLOT_PUB_KEY	0x0f
#define MEAS_CHANGED		0x10	/* MeasurementContentChanged 01b */
#define MEAS_UNCHANGED		0x20	/* 10b */
#define MEAS_RSP_FIXED		8
#define MEAS_BLOCK_HDR		4	/* Index, Spec, MeasurementSize */
#define MEAS_DMTF_HDR		3	/* ValueType, ValueSize */
#define MEAS_NOT_DMTF		0x02	/* meas-bad-spec */
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
static void meas_refresh(struct spdm_device *dev)
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
static int put_block(const struct spdm_device *dev,
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

	meas_refresh(dev);
	msg_init(&blocks);
	for (i = 0; i < dev->meas.set.count && !ret; i++) {
		b = &dev->meas.set.block[i];
		if (type != MEAS_SUMMARY_TCB || is_tcb(b))
			ret = put_block(dev, b, false, dev->meas.spec_sel,
					&blocks);
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

/* What the misbehaviours change in this MEASUREMENTS. */
struct meas_plan {
	bool index_mismatch, dup_index, len_lie, extra_block, bad_spec;
	bool record_len_lie, bad_sig, other_nonce, other_context;
	bool skip_vca, wrong_format, last_only;
};

static void plan_misbehaviour(struct spdm_device *dev,
			      const struct spdm_request *req, bool signed_rsp,
			      struct meas_plan *p)
{
	const struct misbehave_set *set = &dev->misbehave;
	const struct misbehave_switch *sw;
	unsigned long what;

	p->index_mismatch = misbehave_get(set, MB_MEAS_INDEX_MISMATCH, req->code);
	p->dup_index = misbehave_get(set, MB_MEAS_DUP_INDEX, req->code);
	p->len_lie = misbehave_get(set, MB_MEAS_LEN_LIE, req->code);
	p->extra_block = misbehave_get(set, MB_MEAS_EXTRA_BLOCK, req->code);
	p->bad_spec = misbehave_get(set, MB_MEAS_BAD_SPEC, req->code);
	p->record_len_lie = misbehave_get(set, MB_MEAS_RECORD_LEN_LIE, req->code);
	p->bad_sig = signed_rsp &&
		     misbehave_get(set, MB_MEAS_BAD_SIG, req->code);
	sw = misbehave_get(set, MB_MEAS_WRONG_NONCE, req->code);
	if (sw) {
		what = sw->has_value ? sw->value : MBW_BOTH;
		p->other_nonce = signed_rsp && what != MBW_CONTEXT;
		p->other_context = req->version >= SPDM_VER_13 &&
				   what != MBW_NONCE;
	}
	sw = misbehave_get(set, MB_MEAS_WRONG_TRANSCRIPT, req->code);
	if (sw && signed_rsp) {
		what = sw->has_value ? sw->value : MBW_M_NO_VCA;
		p->skip_vca = what == MBW_M_NO_VCA;
		p->wrong_format = what == MBW_M_PREFIX;
		p->last_only = what == MBW_M_LAST_ONLY;
	}
}

static void log_plan(const struct spdm_device *dev, const struct meas_plan *p,
		     uint8_t version)
{
	if (p->index_mismatch)
		log_msg("port %u: misbehave meas-index-mismatch: block Index differs from the requested one",
			dev->port);
	if (p->dup_index)
		log_msg("port %u: misbehave meas-dup-index: two blocks with the same Index",
			dev->port);
	if (p->len_lie)
		log_msg("port %u: misbehave meas-len-lie: first block's MeasurementSize one too large",
			dev->port);
	if (p->extra_block)
		log_msg("port %u: misbehave meas-extra-block: one block more than NumberOfBlocks",
			dev->port);
	if (p->bad_spec)
		log_msg("port %u: misbehave meas-bad-spec: blocks with MeasurementSpecification 0x%02x",
			dev->port, MEAS_NOT_DMTF);
	if (p->record_len_lie)
		log_msg("port %u: misbehave meas-record-len-lie: MeasurementRecordLength one too large",
			dev->port);
	if (p->bad_sig)
		log_msg("port %u: misbehave meas-bad-sig: Signature altered",
			dev->port);
	if (p->other_nonce || p->other_context)
		log_msg("port %u: misbehave meas-wrong-nonce:%s%s", dev->port,
			p->other_nonce ? " signing another requester nonce" : "",
			p->other_context ? " echoing another RequesterContext" : "");
	if (p->skip_vca || p->wrong_format || p->last_only)
		log_msg("port %u: misbehave meas-wrong-transcript: signing %s",
			dev->port,
			p->last_only ? "the last exchange only" :
			p->skip_vca ? (version >= SPDM_VER_12 ?
				       "L2 without the VCA" :
				       "L1 with the VCA") :
			version >= SPDM_VER_12 ?
			"Hash(L2) without the combined prefix" :
			"with a 1.2-style combined prefix");
}

static const struct spdm_meas_block *find_block(const struct spdm_device *dev,
						uint8_t index)
{
	unsigned int i;

	for (i = 0; i < dev->meas.set.count; i++)
		if (dev->meas.set.block[i].index == index)
			return &dev->meas.set.block[i];
	return NULL;
}

/* An index not in use (for meas-extra-block), else 0xFE. */
static uint8_t unused_index(const struct spdm_device *dev)
{
	unsigned int i;

	for (i = 1; i <= SPDM_MEAS_MAX_BLOCKS; i++)
		if (!find_block(dev, i))
			return i;
	return SPDM_MEAS_MAX_BLOCKS;
}

/*
 * The MeasurementRecord of operation @op into @rec, NumberOfBlocks into
 * @nr, with the misbehaviours of @p applied.
 */
static int build_record(const struct spdm_device *dev, uint8_t op, bool raw,
			const struct meas_plan *p, struct msg *rec,
			unsigned int *nr)
{
	const struct spdm_meas_set *set = &dev->meas.set;
	uint8_t spec = p->bad_spec ? MEAS_NOT_DMTF : dev->meas.spec_sel;
	const struct spdm_meas_block *b = NULL;
	struct spdm_meas_block extra;
	size_t second = 0;
	unsigned int i;
	int ret = 0;

	*nr = 0;
	if (op == MEAS_OP_COUNT)
		return 0;
	if (op == MEAS_OP_ALL) {
		for (i = 0; i < set->count && !ret; i++) {
			if (i == 1)
				second = rec->len;
			ret = put_block(dev, &set->block[i], raw, spec, rec);
		}
		*nr = set->count;
		b = &set->block[set->count - 1];
		if (!ret && p->dup_index) {
			if (set->count == 1) {
				/* the only block twice */
				ret = put_block(dev, b, raw, spec, rec);
				*nr = 2;
			} else {
				rec->data[second] = rec->data[0];
			}
		}
	} else {
		b = find_block(dev, op);
		ret = put_block(dev, b, raw, spec, rec);
		*nr = 1;
		if (!ret && p->index_mismatch)
			rec->data[0] = op % SPDM_MEAS_MAX_BLOCKS + 1;
	}
	if (!ret && p->extra_block) {
		extra = *b;
		extra.index = unused_index(dev);
		ret = put_block(dev, &extra, raw, spec, rec);
	}
	if (!ret && p->len_lie) {
		/* MeasurementSize of the first block + 1 */
		i = get_le16(rec->data + 2) + 1;
		rec->data[2] = i & 0xff;
		rec->data[3] = i >> 8;
	}
	return ret;
}

/* Sign (VCA ||) L1 || @req || @rsp as @p says; @sig gets S bytes. */
static int sign_measurements(struct spdm_device *dev,
			     const struct spdm_key *key,
			     const struct meas_plan *p,
			     const uint8_t *req, size_t req_len,
			     const uint8_t *rsp, size_t rsp_len, uint8_t *sig)
{
	bool vca = dev->version >= SPDM_VER_12;
	bool prefix = dev->version >= SPDM_VER_12;
	struct msg l;
	int ret;

	if (p->skip_vca)
		vca = !vca;
	if (p->wrong_format)
		prefix = !prefix;
	msg_init(&l);
	ret = vca ? msg_put(&l, dev->vca.data, dev->vca.len) : 0;
	ret = ret ?: p->last_only ? 0 :
	      msg_put(&l, dev->meas.l1.data, dev->meas.l1.len);
	ret = ret ?: msg_put(&l, req, req_len);
	if (!ret && p->other_nonce)
		l.data[l.len - req_len + SPDM_HDR_LEN] ^= 0x01;
	ret = ret ?: msg_put(&l, rsp, rsp_len);
	ret = ret ?: spdm_sign_transcript(dev, key, l.data, l.len,
					  SPDM_MEASUREMENTS_CONTEXT, prefix,
					  sig);
	msg_free(&l);
	return ret;
}

/* Why @req cannot be answered with MEASUREMENTS (NULL: it can). */
static const char *request_problem(struct spdm_device *dev,
				   const struct spdm_request *req, size_t want,
				   bool sig, uint8_t slot, uint8_t *code,
				   char *why, size_t whylen)
{
	*code = SPDM_ERR_INVALID_REQUEST;
	if (dev->state != SPDM_CONN_NEGOTIATED) {
		*code = SPDM_ERR_UNEXPECTED_REQUEST;
		return "algorithms not negotiated yet";
	}
	if (!dev->meas.spec_sel) {
		*code = SPDM_ERR_UNEXPECTED_REQUEST;
		return "no MeasurementSpecification negotiated";
	}
	if (!spdm_req_len_ok(req, want)) {
		snprintf(why, whylen, "%zu bytes, SPDM %u.%u wants %zu%s",
			 req->len, req->version >> 4, req->version & 0xf, want,
			 sig ? " with SignatureRequested" : "");
		return why;
	}
	if (sig && dev->meas.cap != SPDM_MEAS_CAP_SIG)
		return "SignatureRequested, but MEAS_CAP is 01b (no signature)";
	if (sig && slot == MEAS_SLOT_PUB_KEY)
		return "SlotIDParam 0xF: no pre-provisioned public key (PUB_KEY_ID_CAP)";
	if (sig && (slot >= SPDM_MAX_SLOTS ||
		    !(dev->provisioned & (1U << slot)))) {
		snprintf(why, whylen, "SlotIDParam %u not provisioned (mask 0x%02x)",
			 slot, dev->provisioned);
		return why;
	}
	meas_refresh(dev);
	if (req->param2 != MEAS_OP_COUNT && req->param2 != MEAS_OP_ALL &&
	    !find_block(dev, req->param2)) {
		snprintf(why, whylen, "measurement index %u not present",
			 req->param2);
		return why;
	}
	return NULL;
}

int spdm_get_measurements(struct spdm_device *dev,
			  const struct spdm_request *req, struct msg *rsp)
{
	bool sig = req->param1 & MEAS_ATTR_SIGNATURE;
	bool raw = req->version >= SPDM_VER_12 && (req->param1 & MEAS_ATTR_RAW);
	bool ctx = req->version >= SPDM_VER_13;
	size_t want, sig_len, len, off;
	uint8_t slot, code, hdr[MEAS_RSP_FIXED];
	uint8_t sigbuf[SPDM_MAX_SIG_LEN];
	const char *problem;
	char why[128];
	struct meas_plan plan = { 0 };
	unsigned int nr;
	struct msg rec;
	int ret;

	if (dev->meas.cap == SPDM_MEAS_CAP_NONE)
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNSUPPORTED_REQUEST,
				   req->code,
				   "no measurements (meas=none, or no certificates)");
	want = SPDM_HDR_LEN + (ctx ? SPDM_REQ_CONTEXT_LEN : 0);
	if (sig)
		want += SPDM_NONCE_LEN + (req->version >= SPDM_VER_11 ? 1 : 0);
	slot = 0;
	if (sig && req->version >= SPDM_VER_11 && req->len >= want)
		slot = req->buf[SPDM_HDR_LEN + SPDM_NONCE_LEN] & MEAS_SLOT_MASK;
	problem = request_problem(dev, req, want, sig, slot, &code, why,
				  sizeof(why));
	if (problem)
		return spdm_reject(dev, req, rsp, code, 0, "%s", problem);
	plan_misbehaviour(dev, req, sig, &plan);
	msg_init(&rec);
	ret = build_record(dev, req->param2, raw, &plan, &rec, &nr);
	if (ret)
		goto out;
	sig_len = sig ? spdm_asym_sig_len(dev->asym_sel) : 0;
	len = MEAS_RSP_FIXED + rec.len + SPDM_NONCE_LEN + 2 +
	      (ctx ? SPDM_REQ_CONTEXT_LEN : 0) + sig_len;
	if (!spdm_rsp_fits(dev, len)) {
		ret = spdm_too_large(dev, req, rsp, len);
		goto out;
	}
	log_plan(dev, &plan, req->version);
	if (!dev->meas.l1.len)
		dev->meas.l1_generation = dev->meas.generation;

	hdr[0] = req->version;
	hdr[1] = SPDM_MEASUREMENTS;
	hdr[2] = req->param2 == MEAS_OP_COUNT ? dev->meas.set.count : 0;
	hdr[3] = 0;
	if (sig && req->version >= SPDM_VER_11)
		hdr[3] = slot;
	if (sig && req->version >= SPDM_VER_12)
		hdr[3] |= dev->meas.generation != dev->meas.l1_generation ?
			  MEAS_CHANGED : MEAS_UNCHANGED;
	hdr[4] = nr;
	off = rec.len + (plan.record_len_lie ? 1 : 0);
	hdr[5] = off & 0xff;
	hdr[6] = (off >> 8) & 0xff;
	hdr[7] = off >> 16;
	ret = msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_put(rsp, rec.data, rec.len);
	ret = ret ?: msg_reserve(rsp, SPDM_NONCE_LEN);
	ret = ret ?: spdm_random(rsp->data + rsp->len, SPDM_NONCE_LEN);
	if (ret)
		goto out;
	rsp->len += SPDM_NONCE_LEN;
	ret = msg_put_le16(rsp, 0);		/* OpaqueDataLength */
	if (!ret && ctx) {
		off = rsp->len;
		ret = msg_put(rsp, req->buf + want - SPDM_REQ_CONTEXT_LEN,
			      SPDM_REQ_CONTEXT_LEN);
		if (!ret && plan.other_context)
			rsp->data[off] ^= 0x01;
	}
	if (ret)
		goto out;

	if (!sig) {
		ret = spdm_transcript_add(&dev->meas.l1, req->buf, want,
					  rsp->data, rsp->len);
	} else {
		ret = sign_measurements(dev, &dev->slot[slot]->key, &plan,
					req->buf, want, rsp->data, rsp->len,
					sigbuf);
		if (ret) {
			log_msg("port %u: cannot sign MEASUREMENTS (%s, %s)",
				dev->port, spdm_asym_name(dev->asym_sel),
				dev->hash->name);
			msg_reset(rsp);
			ret = spdm_error(rsp, req->version,
					 SPDM_ERR_UNSPECIFIED, 0, NULL, 0);
			goto out;
		}
		if (plan.bad_sig)
			sigbuf[sig_len - 1] ^= 0x01;
		ret = msg_put(rsp, sigbuf, sig_len);
		/* L1/L2 is complete: the next one starts afresh */
		msg_reset(&dev->meas.l1);
	}
	/* M1/M2 reset: GET_MEASUREMENTS with CHALLENGE skipped */
	if (!ret && !dev->challenged)
		msg_reset(&dev->b);
out:
	msg_free(&rec);
	return ret;
}
