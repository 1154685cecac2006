// SPDX-License-Identifier: GPL-2.0
/*
 * The mutator of spdm-mitm.
 *
 * A response is the payload of one NORMAL frame of the SPDM socket
 * protocol with the PCI_DOE transport: a DOE object (8-byte header, then
 * an SPDM message, or a DSP0277 secured record for DOE type 2, padded to
 * a dword).  Whatever the damage, the DOE header is rebuilt for the new
 * size, so that the requester's DOE layer delivers it and the SPDM layer
 * has to find it.
 *
 * Signed responses (CHALLENGE_AUTH, MEASUREMENTS with a signature,
 * KEY_EXCHANGE_RSP) end in the signature (KEY_EXCHANGE_RSP: then
 * ResponderVerifyData); everything before it is covered by the signature.
 * The DOE object does not say how much of its last dword is padding, so
 * the signed part is taken to end 3 bytes before the signature could
 * start at the latest: a byte below that bound is always a signed one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mutate.h"

#define SPDM_ERROR			0x7f
#define SPDM_DIGESTS			0x01
#define SPDM_CERTIFICATE		0x02
#define SPDM_CHALLENGE_AUTH		0x03
#define SPDM_VERSION			0x04
#define SPDM_CHUNK_RESPONSE		0x06
#define SPDM_MEASUREMENTS		0x60
#define SPDM_CAPABILITIES		0x61
#define SPDM_ALGORITHMS			0x63
#define SPDM_KEY_EXCHANGE_RSP		0x64
#define SPDM_CHALLENGE			0x83
#define SPDM_GET_VERSION		0x84
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_KEY_EXCHANGE		0xe4
#define SPDM_MEAS_SIG_REQUESTED		0x01

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[MK_NR] = {
	[MK_BITFLIP]	= "bitflip",
	[MK_BYTE0]	= "byte0",
	[MK_BYTEFF]	= "byteff",
	[MK_LENLIE]	= "lenlie",
	[MK_TRUNCATE]	= "truncate",
	[MK_EXTEND]	= "extend",
	[MK_REPLAY]	= "replay",
	[MK_WRONGCODE]	= "wrongcode",
	[MK_VERSION]	= "version",
};

const char *mitm_kind_name(enum mitm_kind k)
{
	return k < MK_NR ? kind_names[k] : "unknown";
}

const char *mitm_mode_name(enum mitm_mode m)
{
	switch (m) {
	case MITM_OFF:		return "off";
	case MITM_ON:		return "on";
	case MITM_SIGNED:	return "signed";
	}
	return "unknown";
}

/* splitmix64: small, fast, and the same sequence everywhere */
void mitm_rng_seed(struct mitm_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t mitm_rng_next(struct mitm_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n); 0 for n == 0. */
uint32_t mitm_rng_below(struct mitm_rng *r, uint32_t n)
{
	return (uint32_t)(((mitm_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/*
 * "P" (a probability, 0 to 1), "1/N" or "N" (N > 1: one in N).
 * Returns 0 or -EINVAL.
 */
int mitm_parse_rate(const char *s, struct mitm_policy *p)
{
	char *end;
	double v;

	if (!strncmp(s, "1/", 2)) {
		v = strtod(s + 2, &end);
		if (end == s + 2 || *end || v < 1)
			return -EINVAL;
		v = 1 / v;
	} else {
		v = strtod(s, &end);
		if (end == s || *end || v < 0)
			return -EINVAL;
		if (v > 1)
			v = 1 / v;
	}
	p->all = v >= 1;
	p->threshold = p->all ? UINT32_MAX : (uint32_t)(v * 4294967296.0);
	return 0;
}

static int parse_codes(char *list, struct mitm_policy *p)
{
	char *tok, *save = NULL, *end;
	unsigned long v;

	p->nr_codes = 0;
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (p->nr_codes == MITM_MAX_CODES)
			return -EINVAL;
		if (!strcasecmp(tok, "sec")) {
			p->codes[p->nr_codes++] = MITM_CODE_SECURED;
			continue;
		}
		v = strtoul(tok, &end, 0);
		if (end == tok || *end || v > 0xff)
			return -EINVAL;
		p->codes[p->nr_codes++] = v;
	}
	return 0;
}

/*
 * The words of a control file: a mode (on, off, signed), then optionally
 * rate=RATE, codes=CODE,... (response codes, "sec" for secured records)
 * and sigrsp (only responses that carry a signature, any damage).  @p
 * holds the defaults on entry.  Returns 0, -ENODATA for an empty text,
 * -EINVAL.
 */
int mitm_parse_policy(const char *text, struct mitm_policy *p)
{
	char buf[512], *tok, *save = NULL;
	struct mitm_policy n = *p;
	bool mode = false;
	int ret;

	if (strlen(text) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, text);
	for (tok = strtok_r(buf, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!mode) {
			if (!strcmp(tok, "on"))
				n.mode = MITM_ON;
			else if (!strcmp(tok, "off"))
				n.mode = MITM_OFF;
			else if (!strcmp(tok, "signed"))
				n.mode = MITM_SIGNED;
			else
				return -EINVAL;
			mode = true;
			continue;
		}
		if (!strcmp(tok, "sigrsp")) {
			n.sigrsp = true;
			continue;
		}
		if (!strncmp(tok, "rate=", 5))
			ret = mitm_parse_rate(tok + 5, &n);
		else if (!strncmp(tok, "codes=", 6))
			ret = parse_codes(tok + 6, &n);
		else
			ret = -EINVAL;
		if (ret)
			return ret;
	}
	if (!mode)
		return -ENODATA;
	*p = n;
	return 0;
}

bool mitm_policy_has_code(const struct mitm_policy *p, unsigned int code)
{
	unsigned int i;

	if (!p->nr_codes)
		return true;
	for (i = 0; i < p->nr_codes; i++)
		if (p->codes[i] == code)
			return true;
	return false;
}

void mitm_conn_init(struct mitm_conn *c, uint64_t seed)
{
	memset(c, 0, sizeof(*c));
	mitm_rng_seed(&c->rng, seed);
	c->req_code = MITM_CODE_NONE;
}

void mitm_conn_free(struct mitm_conn *c)
{
	unsigned int i;

	for (i = 0; i < MITM_HISTORY; i++)
		free(c->hist[i].data);
	memset(c->hist, 0, sizeof(c->hist));
}

/* BaseAsymSel (DSP0274 NEGOTIATE_ALGORITHMS) to the signature size */
size_t mitm_sig_len(uint32_t base_asym)
{
	static const uint16_t len[] = {
		256, 256, 384, 384, 64, 512, 512, 96, 132, 64, 64, 114,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(len); i++)
		if (base_asym == 1U << i)
			return len[i];
	return 0;
}

size_t mitm_hash_len(uint32_t base_hash)
{
	static const uint8_t len[] = { 32, 48, 64, 32, 48, 64, 32 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(len); i++)
		if (base_hash == 1U << i)
			return len[i];
	return 0;
}

static uint32_t get_le(const uint8_t *p, unsigned int w)
{
	uint32_t v = 0;

	while (w--)
		v = v << 8 | p[w];
	return v;
}

static void put_le(uint8_t *p, unsigned int w, uint32_t v)
{
	while (w--) {
		*p++ = v;
		v >>= 8;
	}
}

/* DOE header for an object of @total_len bytes (a multiple of 4) */
void mitm_doe_build(uint8_t *hdr, uint8_t type, size_t total_len)
{
	put_le(hdr, 2, MITM_DOE_VENDOR);
	hdr[2] = type;
	hdr[3] = 0;
	put_le(hdr + 4, 4, (total_len / 4) & 0x3ffff);
}

/*
 * A CMA DOE object (SPDM or secured SPDM) in @buf: its type, and the
 * object length its header gives, at most @len.  Returns 0 or -EINVAL.
 */
int mitm_doe_parse(const uint8_t *buf, size_t len, uint8_t *type,
		   size_t *obj_len)
{
	uint32_t dw;

	if (len < MITM_DOE_HDR_LEN || get_le(buf, 2) != MITM_DOE_VENDOR ||
	    (buf[2] != MITM_DOE_SPDM && buf[2] != MITM_DOE_SECURED))
		return -EINVAL;
	dw = get_le(buf + 4, 4) & 0x3ffff;
	if (!dw)
		dw = 1U << 18;
	if ((size_t)dw * 4 < MITM_DOE_HDR_LEN)
		return -EINVAL;
	*type = buf[2];
	*obj_len = (size_t)dw * 4 < len ? (size_t)dw * 4 : len;
	return 0;
}

/* Remember what was asked: the request code decides what a response is. */
void mitm_note_request(struct mitm_conn *c, const uint8_t *payload,
		       size_t len)
{
	size_t obj_len;
	uint8_t type;

	c->req_code = MITM_CODE_NONE;
	c->req_param1 = c->req_param2 = 0;
	c->req_type = 0;
	if (mitm_doe_parse(payload, len, &type, &obj_len))
		return;
	c->req_type = type;
	if (type == MITM_DOE_SECURED) {
		c->req_code = MITM_CODE_SECURED;
		return;
	}
	if (obj_len < MITM_DOE_HDR_LEN + 4)
		return;
	payload += MITM_DOE_HDR_LEN;
	c->req_code = payload[1];
	c->req_param1 = payload[2];
	c->req_param2 = payload[3];
	/* a new negotiation: the algorithms are to be learnt again */
	if (c->req_code == SPDM_GET_VERSION)
		c->base_asym = c->base_hash = 0;
}

/*
 * For a signed response (@msg, @len bytes of the DOE object after its
 * header), the end of the bytes certainly covered by the signature; -1
 * for any other response or while the algorithms are not known.
 */
ssize_t mitm_signed_end(const struct mitm_conn *c, const uint8_t *msg,
			size_t len)
{
	size_t sig = mitm_sig_len(c->base_asym);
	size_t hash = mitm_hash_len(c->base_hash);
	size_t tail;

	if (len < 4 || !sig || !hash)
		return -1;
	if (msg[1] == SPDM_CHALLENGE_AUTH && c->req_code == SPDM_CHALLENGE)
		tail = sig;
	else if (msg[1] == SPDM_MEASUREMENTS &&
		 c->req_code == SPDM_GET_MEASUREMENTS &&
		 (c->req_param1 & SPDM_MEAS_SIG_REQUESTED))
		tail = sig;
	else if (msg[1] == SPDM_KEY_EXCHANGE_RSP &&
		 c->req_code == SPDM_KEY_EXCHANGE)
		tail = sig + hash;
	else
		return -1;
	if (len < tail + 3 + 4)
		return -1;
	return len - tail - 3;
}

static void save_response(struct mitm_conn *c, uint8_t type,
			  unsigned int code, const uint8_t *msg, size_t len)
{
	struct mitm_saved *s = &c->hist[c->hist_next];
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return;
	memcpy(copy, msg, len);
	free(s->data);
	s->type = type;
	s->code = code;
	s->len = len;
	s->data = copy;
	c->hist_next = (c->hist_next + 1) % MITM_HISTORY;
}

/* A new value for a @w-byte length field that held @v */
static uint32_t lie(struct mitm_rng *r, uint32_t v, unsigned int w)
{
	uint32_t max = w == 4 ? UINT32_MAX : (1U << (8 * w)) - 1;
	uint32_t n;

	uint32_t small = 2 + mitm_rng_below(r, 64);
	const uint32_t pick[] = {
		v + 1, v - 1, 0, max, v * 2 + 1, v + small, v - small,
	};
	unsigned int k = mitm_rng_below(r, ARRAY_SIZE(pick) + 1);

	n = k < ARRAY_SIZE(pick) ? pick[k] : (uint32_t)mitm_rng_next(r);
	n &= max;
	return n == v ? v ^ 1 : n;
}

/*
 * Where a length field of this response is: its offset and width, or
 * width 0 if none is known.
 */
static void length_field(struct mitm_conn *c, uint8_t type, uint8_t *msg,
			 size_t len, size_t *off, unsigned int *w)
{
	size_t hash = mitm_hash_len(c->base_hash), rec, o;
	unsigned int pick = mitm_rng_below(&c->rng, 4);

	*w = 0;
	if (type == MITM_DOE_SECURED) {
		/* SessionID, then the record's Length */
		*off = 4;
		*w = 2;
		goto check;
	}
	switch (msg[1]) {
	case SPDM_VERSION:		/* VersionNumberEntryCount */
		*off = 5;
		*w = 1;
		break;
	case SPDM_DIGESTS:		/* the slot mask gives the count */
		*off = 3;
		*w = 1;
		break;
	case SPDM_CERTIFICATE:		/* PortionLength, RemainderLength */
		*off = pick & 1 ? 6 : 4;
		*w = 2;
		break;
	case SPDM_CAPABILITIES:		/* DataTransferSize, MaxSPDMmsgSize */
		*off = pick & 1 ? 16 : 12;
		*w = 4;
		break;
	case SPDM_ALGORITHMS:		/* Length, ExtAsym/ExtHashSelCount */
		*off = pick == 0 ? 20 : pick == 1 ? 21 : 4;
		*w = *off == 4 ? 2 : 1;
		break;
	case SPDM_CHUNK_RESPONSE:	/* ChunkSize, LargeMessageSize */
		*off = pick & 1 ? 12 : 8;
		*w = 4;
		break;
	case SPDM_MEASUREMENTS:
		if (len < 8)
			break;
		rec = get_le(msg + 5, 3);
		o = 8 + rec + 32;
		if (pick == 0) {		/* NumberOfBlocks */
			*off = 4;
			*w = 1;
		} else if (pick == 1) {		/* MeasurementRecordLength */
			*off = 5;
			*w = 3;
		} else if (pick == 2 && rec >= 4) {	/* MeasurementSize */
			*off = 10;
			*w = 2;
		} else if (o + 2 <= len) {	/* OpaqueDataLength */
			*off = o;
			*w = 2;
		} else {
			*off = 5;
			*w = 3;
		}
		break;
	case SPDM_CHALLENGE_AUTH:		/* OpaqueDataLength */
		if (!hash)
			break;
		*off = 4 + hash + 32 + (c->req_param2 ? hash : 0);
		*w = 2;
		break;
	}
check:
	if (*w && *off + *w > len)
		*w = 0;
}

static const uint8_t rsp_codes[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x60, 0x61, 0x63, 0x64, 0x65,
	0x66, 0x67, 0x68, 0x69, 0x6c, 0x7e, 0x7f, 0x7f, 0x00, 0xff,
};

static const uint8_t error_codes[] = {
	0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x41, 0x42, 0x43,
};

static const uint8_t versions[] = {
	0x10, 0x11, 0x12, 0x13, 0x14, 0x00, 0x01, 0x20, 0xff,
};

/* A kind of damage that fits a response of @len bytes */
static enum mitm_kind pick_kind(struct mitm_conn *c, uint8_t type,
				size_t len)
{
	/* weights: in-place changes are the most common */
	static const uint8_t weight[MK_NR] = {
		[MK_BITFLIP] = 6, [MK_BYTE0] = 2, [MK_BYTEFF] = 2,
		[MK_LENLIE] = 4, [MK_TRUNCATE] = 3, [MK_EXTEND] = 2,
		[MK_REPLAY] = 2, [MK_WRONGCODE] = 2, [MK_VERSION] = 2,
	};
	unsigned int total = 0, k, r;

	for (k = 0; k < MK_NR; k++)
		total += weight[k];
	r = mitm_rng_below(&c->rng, total);
	for (k = 0; r >= weight[k]; k++)
		r -= weight[k];
	if (!len && k != MK_EXTEND && k != MK_REPLAY)
		return MK_EXTEND;
	if (type == MITM_DOE_SECURED &&
	    (k == MK_WRONGCODE || k == MK_VERSION))
		return MK_BITFLIP;
	if ((k == MK_WRONGCODE && len < 2) || (k == MK_VERSION && len < 1))
		return MK_BITFLIP;
	return k;
}

/* Flip one to three bytes' worth of bits in [@lo, @hi). */
static void bitflip(struct mitm_rng *r, uint8_t *msg, size_t lo, size_t hi)
{
	size_t off = lo + mitm_rng_below(r, hi - lo), o;
	unsigned int n = mitm_rng_below(r, 3), i;

	msg[off] ^= 1 << mitm_rng_below(r, 8);
	for (i = 0; i < n; i++) {
		o = lo + mitm_rng_below(r, hi - lo);
		if (o != off)
			msg[o] ^= 1 + mitm_rng_below(r, 255);
	}
}

static bool replay(struct mitm_conn *c, uint8_t type, uint8_t *msg,
		   size_t len, size_t room, size_t *new_len)
{
	unsigned int cand[MITM_HISTORY], nr = 0, i;
	const struct mitm_saved *s;

	for (i = 0; i < MITM_HISTORY; i++) {
		s = &c->hist[i];
		if (!s->data || s->type != type || s->len > room ||
		    (s->len == len && !memcmp(s->data, msg, len)))
			continue;
		cand[nr++] = i;
	}
	if (!nr)
		return false;
	s = &c->hist[cand[mitm_rng_below(&c->rng, nr)]];
	memcpy(msg, s->data, s->len);
	*new_len = s->len;
	return true;
}

/*
 * Apply damage of kind @k to @msg (@len bytes, room for @room); returns
 * the kind applied (a kind that does not fit falls back to a bit flip).
 */
static enum mitm_kind apply(struct mitm_conn *c, enum mitm_kind k,
			    uint8_t type, uint8_t *msg, size_t len,
			    size_t room, size_t lo, size_t hi,
			    size_t *new_len)
{
	struct mitm_rng *r = &c->rng;
	size_t off, cut, add, i;
	unsigned int w;
	uint8_t v;

	*new_len = len;
	switch (k) {
	case MK_BYTE0:
	case MK_BYTEFF:
		off = lo + mitm_rng_below(r, hi - lo);
		v = k == MK_BYTE0 ? 0 : 0xff;
		if (msg[off] == v) {
			v ^= 0xff;
			k = k == MK_BYTE0 ? MK_BYTEFF : MK_BYTE0;
		}
		msg[off] = v;
		return k;
	case MK_LENLIE:
		length_field(c, type, msg, len, &off, &w);
		if (!w) {
			/* any 16-bit word past the header */
			if (len < 6)
				break;
			off = 4 + mitm_rng_below(r, len - 5);
			w = 2;
		}
		put_le(msg + off, w, lie(r, get_le(msg + off, w), w));
		return k;
	case MK_TRUNCATE:
		/* at least a dword: less could only remove padding */
		if (len > 4)
			cut = 4 + mitm_rng_below(r, mitm_rng_below(r, 2) ?
						 (len - 4 < 60 ? len - 4 : 60) :
						 len - 4);
		else
			cut = 1 + mitm_rng_below(r, len);
		*new_len = len - (cut < len ? cut : len);
		return k;
	case MK_EXTEND:
		if (room < len + 4)
			break;
		add = 1 + mitm_rng_below(r, 64);
		if (add > room - len)
			add = room - len;
		for (i = 0; i < add; i++)
			msg[len + i] = mitm_rng_next(r);
		*new_len = len + add;
		return k;
	case MK_REPLAY:
		if (replay(c, type, msg, len, room, new_len))
			return k;
		break;
	case MK_WRONGCODE:
		do {
			v = rsp_codes[mitm_rng_below(r, ARRAY_SIZE(rsp_codes))];
		} while (v == msg[1]);
		msg[1] = v;
		if (v != SPDM_ERROR || len < 4)
			return k;
		msg[2] = error_codes[mitm_rng_below(r, ARRAY_SIZE(error_codes))];
		/* ResponseNotReady: wait no longer than 2^12 us */
		if (msg[2] == 0x42 && len >= 8) {
			msg[4] = mitm_rng_below(r, 13);
			msg[5] = c->req_code;
		}
		return k;
	case MK_VERSION:
		do {
			v = versions[mitm_rng_below(r, ARRAY_SIZE(versions))];
		} while (v == msg[0]);
		msg[0] = v;
		return k;
	default:
		break;
	}
	if (hi <= lo)
		return MK_NR;
	bitflip(r, msg, lo, hi);
	return MK_BITFLIP;
}

/*
 * Look at one response (@payload, the @len bytes of a NORMAL frame's
 * payload, in a buffer of @cap bytes) and maybe damage it in place.
 * On return *@new_len is the payload's size.  Returns 1 if it was
 * mutated (@ev says how), 0 if not.
 */
int mitm_mutate(struct mitm_conn *c, const struct mitm_policy *p,
		uint8_t *payload, size_t len, size_t cap, size_t *new_len,
		struct mitm_event *ev)
{
	uint8_t *msg = payload + MITM_DOE_HDR_LEN, *orig = NULL;
	size_t obj_len, mlen, room, lo, hi, mnew, padded, cmp, i;
	ssize_t send = -1;
	enum mitm_kind k;
	unsigned int code;
	uint8_t type;
	int ret = 0;

	*new_len = len;
	c->seq++;
	if (mitm_doe_parse(payload, len, &type, &obj_len))
		return 0;
	mlen = obj_len - MITM_DOE_HDR_LEN;
	code = type == MITM_DOE_SECURED ? MITM_CODE_SECURED :
	       mlen >= 2 ? msg[1] : MITM_CODE_NONE;
	if (type == MITM_DOE_SPDM && code == SPDM_ALGORITHMS && mlen >= 20) {
		c->base_asym = get_le(msg + 12, 4);
		c->base_hash = get_le(msg + 16, 4);
	}
	if (type == MITM_DOE_SPDM)
		send = mitm_signed_end(c, msg, mlen);

	if (p->mode == MITM_OFF || !mitm_policy_has_code(p, code))
		goto save;
	if ((p->mode == MITM_SIGNED || p->sigrsp) && send <= 2)
		goto save;
	if (!p->all && (uint32_t)mitm_rng_next(&c->rng) >= p->threshold)
		goto save;

	cap = cap < MITM_MAX_PAYLOAD ? cap : MITM_MAX_PAYLOAD;
	if (cap < obj_len)
		cap = obj_len;
	room = cap - MITM_DOE_HDR_LEN;
	orig = malloc(mlen ? mlen : 1);
	if (!orig)
		goto save;
	memcpy(orig, msg, mlen);

	if (p->mode == MITM_SIGNED) {
		lo = 2;
		hi = send;
		k = mitm_rng_below(&c->rng, 4);
		k = k == 0 ? MK_BYTE0 : k == 1 ? MK_BYTEFF : MK_BITFLIP;
	} else {
		lo = 0;
		hi = mlen;
		k = pick_kind(c, type, mlen);
	}
	k = apply(c, k, type, msg, mlen, room - 3, lo, hi, &mnew);
	if (k == MK_NR) {
		memcpy(msg, orig, mlen);
		goto save;
	}

	/* zero padding to a dword, the DOE header for the new size */
	padded = (mnew + 3) & ~(size_t)3;
	memset(msg + mnew, 0, padded - mnew);
	mitm_doe_build(payload, type, MITM_DOE_HDR_LEN + padded);

	cmp = mlen < padded ? mlen : padded;
	for (i = 0; i < cmp && msg[i] == orig[i]; i++)
		;
	if (i == cmp && mlen == padded) {
		/* nothing changed after all (a lie that matched padding) */
		goto save;
	}
	ev->seq = c->seq;
	ev->req_code = c->req_code;
	ev->rsp_code = code;
	ev->type = type;
	ev->kind = k;
	ev->off = i;
	ev->len_before = mlen;
	ev->len_after = padded;
	ev->signed_rsp = send > 2;
	/*
	 * Still the signed response, with a signed byte altered: it must
	 * not verify.  One with another response code is another message
	 * (ERROR(Busy) is retried, for one).
	 */
	ev->signed_hit = send > 2 && i < (size_t)send && mnew >= 2 &&
			 msg[1] == orig[1];
	*new_len = MITM_DOE_HDR_LEN + padded;
	ret = 1;
save:
	save_response(c, type, code, orig ? orig : msg, mlen);
	free(orig);
	return ret;
}
