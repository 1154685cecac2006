// SPDX-License-Identifier: GPL-2.0
/*
 * mkcorpus: the seed corpus of the fuzzers, made by talking to the
 * software responder in-process (rdrive.c) as a requester would:
 *
 *   DIR/fuzz-responder/  request sequences (rdrive.h format): VCA for
 *                        each version, certificates, CHALLENGE,
 *                        measurements, a session with messages in it,
 *                        chunked responses, ResponseNotReady
 *   DIR/fuzz-bundle/     evidence bundles of those exchanges
 *                        (challenge, measurements, key-exchange with the
 *                        measurements signed in the session)
 *   DIR/fuzz-nlattr/     the same evidence as netlink attributes
 *                        (fuzz-nlattr.c format), as a reply and as an
 *                        evidence-read dump
 *
 * Linked with --wrap=spdm_respond to see every SPDM request and response
 * exactly, in the clear and inside sessions.  Usage: mkcorpus DIR
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/netlink.h>
#include <linux/spdm_netlink.h>

#include "evidence.h"
#include "rdrive.h"

#define MAX_XCHG	64
#define REQ_SESSION_ID	0x1234

int __real_spdm_respond(struct spdm_device *dev, const uint8_t *buf,
			size_t len, struct msg *rsp, struct spdm_action *act);
int __wrap_spdm_respond(struct spdm_device *dev, const uint8_t *buf,
			size_t len, struct msg *rsp, struct spdm_action *act);

/* One SPDM exchange as the dispatcher saw it */
struct xchg {
	uint8_t *req, *rsp;
	size_t req_len, rsp_len;
	bool in_session;
	size_t dhe_len;			/* ExchangeData of the connection */
};

static struct {
	struct xchg x[MAX_XCHG];
	unsigned int n;
} seen;

static const char *out_dir;
static unsigned int nr_files;

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "mkcorpus: %s\n", what);
	exit(1);
}

static uint8_t *dup_bytes(const uint8_t *p, size_t len)
{
	uint8_t *d = malloc(len ? len : 1);

	if (!d)
		die("out of memory");
	memcpy(d, p, len);
	return d;
}

int __wrap_spdm_respond(struct spdm_device *dev, const uint8_t *buf,
			size_t len, struct msg *rsp, struct spdm_action *act)
{
	int ret = __real_spdm_respond(dev, buf, len, rsp, act);
	struct xchg *x;

	if (ret || seen.n == MAX_XCHG)
		return ret;
	x = &seen.x[seen.n++];
	/* the request without DOE padding: the responder's own lengths */
	x->req = dup_bytes(buf, len);
	x->req_len = len;
	x->rsp = dup_bytes(rsp->data, rsp->len);
	x->rsp_len = rsp->len;
	x->in_session = dev->cur_session;
	x->dhe_len = spdm_dhe_len(dev->dhe_sel);
	return ret;
}

static void seen_reset(void)
{
	unsigned int i;

	for (i = 0; i < seen.n; i++) {
		free(seen.x[i].req);
		free(seen.x[i].rsp);
	}
	seen.n = 0;
}

static void write_file(const char *sub, const char *name, const void *p,
		       size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST)
		die("cannot make a directory");
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f))
		die("cannot write a file");
	nr_files++;
}

/* ---- a requester ------------------------------------------------------- */

struct gen {
	struct rd r;
	struct msg seed;		/* the fuzz-responder input */
	uint8_t ver;
};

static void op(struct gen *g, enum rd_op o, const uint8_t *d, size_t len)
{
	if (msg_put_u8(&g->seed, o) || msg_put_le16(&g->seed, len) ||
	    msg_put(&g->seed, d, len))
		die("out of memory");
	rd_op(&g->r, o, d, len);
}

/* The last exchange, if its request had code @code */
static struct xchg *last(uint8_t code)
{
	struct xchg *x = seen.n ? &seen.x[seen.n - 1] : NULL;

	return x && x->req_len > 1 && x->req[1] == code ? x : NULL;
}

/* An SPDM request; Busy is retried, ResponseNotReady collected. */
static void spdm(struct gen *g, const uint8_t *m, size_t len)
{
	unsigned int n = seen.n;
	struct xchg *x;
	uint8_t rif[4];

	op(g, RD_SPDM, m, len);
	x = seen.n > n ? &seen.x[seen.n - 1] : NULL;
	if (!x || x->rsp_len < 4 || x->rsp[1] != SPDM_ERROR)
		return;
	if (x->rsp[2] == SPDM_ERR_BUSY) {
		op(g, RD_SPDM, m, len);
	} else if (x->rsp[2] == SPDM_ERR_RESPONSE_NOT_READY &&
		   x->rsp_len >= 8) {
		rif[0] = g->ver;
		rif[1] = SPDM_RESPOND_IF_READY;
		rif[2] = x->rsp[5];
		rif[3] = x->rsp[6];
		op(g, RD_SPDM, rif, sizeof(rif));
	}
}

static void hdr_only(struct gen *g, uint8_t code, uint8_t p1, uint8_t p2)
{
	uint8_t m[4] = { g->ver, code, p1, p2 };

	spdm(g, m, sizeof(m));
}

/* Fetch what ERROR(LargeResponse) announced with CHUNK_GET. */
static void chunks(struct gen *g)
{
	struct xchg *x = seen.n ? &seen.x[seen.n - 1] : NULL;
	uint8_t m[8], handle;
	uint16_t seq;

	if (!x || x->rsp_len < 4 || x->rsp[1] != SPDM_ERROR ||
	    x->rsp[2] != SPDM_ERR_LARGE_RESPONSE || x->rsp_len < 5)
		return;
	handle = x->rsp[4];
	for (seq = 0; seq < 64; seq++) {
		m[0] = g->ver;
		m[1] = SPDM_CHUNK_GET;
		m[2] = 0;
		m[3] = handle;
		put_le16(m + 4, seq);
		spdm(g, m, 6);
		x = last(SPDM_CHUNK_GET);
		if (!x || x->rsp_len < 4 || x->rsp[1] != SPDM_CHUNK_RESPONSE ||
		    (x->rsp[2] & 1))
			break;
	}
}

static void vca(struct gen *g, uint8_t config, uint32_t hash)
{
	uint8_t m[64] = { 0 };
	uint32_t flags = (1U << 6) | (1U << 7) | (1U << 9) | (1U << 13) |
			 (1U << 14);
	size_t n;

	m[0] = 0x10;
	m[1] = SPDM_GET_VERSION;
	spdm(g, m, 4);
	if (config & RD_CONFIG_CLEAR)
		flags |= 1U << 15;
	if (g->ver >= SPDM_VER_12)
		flags |= 1U << 17;
	memset(m, 0, sizeof(m));
	m[0] = g->ver;
	m[1] = SPDM_GET_CAPABILITIES;
	m[5] = 12;				/* CTExponent */
	put_le32(m + 8, flags);
	put_le32(m + 12, 4096);			/* DataTransferSize */
	put_le32(m + 16, 65536);		/* MaxSPDMmsgSize */
	spdm(g, m, g->ver == SPDM_VER_10 ? 4 : g->ver == SPDM_VER_11 ? 12 :
		   20);
	memset(m, 0, sizeof(m));
	m[0] = g->ver;
	m[1] = SPDM_NEGOTIATE_ALGORITHMS;
	m[6] = SPDM_MEAS_SPEC_DMTF;
	if (g->ver >= SPDM_VER_12)
		m[7] = 0x02;			/* OpaqueDataFmt1 */
	put_le32(m + 8, SPDM_ASYM_ECDSA_P384 | SPDM_ASYM_ECDSA_P256);
	put_le32(m + 12, hash);
	n = 32;
	if (g->ver >= SPDM_VER_11) {
		static const uint8_t structs[] = {
			2, 0x20, 0x18, 0x00,	/* DHE: secp256r1, secp384r1 */
			3, 0x20, 0x07, 0x00,	/* AEAD: all three */
			4, 0x20, 0x90, 0x00,	/* ReqBaseAsymAlg */
			5, 0x20, 0x01, 0x00,	/* KeySchedule: SPDM */
		};

		m[2] = 4;
		memcpy(m + n, structs, sizeof(structs));
		n += sizeof(structs);
	}
	put_le16(m + 4, n);
	spdm(g, m, n);
}

static void nonce_of(uint8_t *p, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < 32; i++)
		p[i] = seed + 7 * i;
}

static void challenge(struct gen *g, uint8_t slot, uint8_t summary)
{
	uint8_t m[4 + 32 + 8] = { g->ver, SPDM_CHALLENGE, slot, summary };

	nonce_of(m + 4, 0x11);
	memset(m + 36, 0xc7, 8);
	spdm(g, m, g->ver >= SPDM_VER_13 ? 44 : 36);
}

static void get_meas(struct gen *g, bool in_session, uint8_t attrs,
		     uint8_t mop, uint8_t nonce)
{
	uint8_t m[1 + 4 + 32 + 1 + 8] = { 0 }, *p = m + 1;
	size_t n = 4;

	p[0] = g->ver;
	p[1] = SPDM_GET_MEASUREMENTS;
	p[2] = attrs;
	p[3] = mop;
	if (attrs & 1) {
		nonce_of(p + 4, nonce);
		n = 36;
		if (g->ver >= SPDM_VER_11)
			p[n++] = 0;		/* SlotIDParam */
	}
	if (g->ver >= SPDM_VER_13) {		/* RequesterContext */
		memset(p + n, 0x3c, 8);
		n += 8;
	}
	if (in_session)
		op(g, RD_SECURED, m, 1 + n);
	else
		spdm(g, p, n);
}

static void key_exchange(struct gen *g, uint8_t summary)
{
	uint8_t m[40 + 96 + 2 + 24] = { g->ver, SPDM_KEY_EXCHANGE, summary, 0 };
	size_t d = spdm_dhe_len(g->r.dev.dhe_sel), n;
	uint8_t *o;

	put_le16(m + 4, REQ_SESSION_ID);
	nonce_of(m + 8, 0x5a);			/* RandomData: our nonce */
	n = 40 + d;
	o = m + n + 2;
	if (g->ver >= SPDM_VER_12) {
		static const uint8_t opaque[] = {
			1, 0, 0, 0,		/* TotalElements */
			0, 0, 5, 0,		/* DMTF, VendorLen, DataLen */
			1, 1, 1, 0x00, 0x11,	/* supported: 1.1 */
			0, 0, 0,
		};

		memcpy(o, opaque, sizeof(opaque));
		put_le16(m + n, sizeof(opaque));
		n += 2 + sizeof(opaque);
	} else {
		static const uint8_t opaque[] = {
			0x46, 0x54, 0x4d, 0x44, 1, 1, 0, 0,
			0, 0, 5, 0, 1, 1, 1, 0x00, 0x10, 0, 0, 0,
		};

		if (sizeof(m) - n - 2 < sizeof(opaque))
			die("KEY_EXCHANGE too large");
		memcpy(o, opaque, sizeof(opaque));
		put_le16(m + n, sizeof(opaque));
		n += 2 + sizeof(opaque);
	}
	op(g, RD_KEY_EXCHANGE, m, n);
}

static void get_certificate(struct gen *g, uint8_t slot)
{
	uint8_t m[8] = { g->ver, SPDM_GET_CERTIFICATE, slot, 0 };
	uint16_t off = 0;
	struct xchg *x;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		put_le16(m + 4, off);
		put_le16(m + 6, 0x400);
		spdm(g, m, 8);
		chunks(g);
		x = last(SPDM_GET_CERTIFICATE);
		if (!x || x->rsp_len < 8 || x->rsp[1] != SPDM_CERTIFICATE ||
		    !get_le16(x->rsp + 6))
			break;
		off += get_le16(x->rsp + 4);
	}
}

/* ---- evidence ------------------------------------------------------------ */

static void put(struct msg *t, const void *p, size_t len)
{
	if (msg_put(t, p, len))
		die("out of memory");
}

/* A request without DOE padding: the lengths of those that get some */
static size_t req_len(const struct xchg *x)
{
	uint8_t ver = x->req[0];
	size_t d;

	if (x->req[1] == SPDM_GET_MEASUREMENTS)
		return (x->req[2] & 1 ? 36 + (ver >= SPDM_VER_11) : 4) +
		       (ver >= SPDM_VER_13 ? 8 : 0);
	d = x->dhe_len;
	if (x->req[1] == SPDM_KEY_EXCHANGE && 42 + d <= x->req_len &&
	    42 + d + get_le16(x->req + 40 + d) <= x->req_len)
		return 42 + d + get_le16(x->req + 40 + d);
	return x->req_len;
}

static void put_x(struct msg *t, const struct xchg *x)
{
	put(t, x->req, req_len(x));
	put(t, x->rsp, x->rsp_len);
}

static void ev_buf(struct sv_buf *b, const void *p, size_t len)
{
	if (sv_buf_set(b, p, len))
		die("out of memory");
}

#define HAVE(ev, f)	((ev)->have |= 1U << (f))

static void ev_common(const struct gen *g, struct sv_evidence *ev,
		      uint32_t sig_type)
{
	const struct spdm_device *dev = &g->r.dev;
	const struct spdm_chain *c = &dev->slot[0]->chain[dev->hash->index];

	memset(ev, 0, sizeof(*ev));
	snprintf(ev->dev_name, sizeof(ev->dev_name), "0000:00:08.0");
	snprintf(ev->hash_algo, sizeof(ev->hash_algo), "%s", dev->hash->name);
	ev->version = g->ver;
	ev->asym = dev->asym_sel;
	ev->hash = dev->hash->bit;
	ev->sig_type = sig_type;
	ev->sig_valid = 1;
	ev_buf(&ev->chain, c->buf, c->len);
	HAVE(ev, SV_F_DEV_NAME);
	HAVE(ev, SV_F_PROVIDER);
	HAVE(ev, SV_F_SIG_TYPE);
	HAVE(ev, SV_F_VERSION);
	HAVE(ev, SV_F_SLOT);
	HAVE(ev, SV_F_ASYM);
	HAVE(ev, SV_F_HASH);
	HAVE(ev, SV_F_HASH_ALGO);
	HAVE(ev, SV_F_CHAIN);
	HAVE(ev, SV_F_SIG_VALID);
	HAVE(ev, SV_F_ANCHORED);
}

/* The signed part: @t, its last @sig_len bytes the signature */
static void ev_signed(const struct gen *g, struct sv_evidence *ev,
		      struct msg *t, size_t sig_len, size_t req_off,
		      size_t rsp_off, const char *context)
{
	uint8_t prefix[SV_PREFIX_LEN];

	ev_buf(&ev->transcript, t->data, t->len - sig_len);
	ev_buf(&ev->signature, t->data + t->len - sig_len, sig_len);
	memcpy(ev->nonce, t->data + req_off, SV_NONCE_LEN);
	ev->req_off = req_off;
	ev->rsp_off = rsp_off;
	HAVE(ev, SV_F_TRANSCRIPT);
	HAVE(ev, SV_F_SIGNATURE);
	HAVE(ev, SV_F_NONCE);
	HAVE(ev, SV_F_REQ_OFF);
	HAVE(ev, SV_F_RSP_OFF);
	if (g->ver >= SPDM_VER_12) {
		sv_combined_prefix(g->ver, context, prefix);
		ev_buf(&ev->prefix, prefix, sizeof(prefix));
		HAVE(ev, SV_F_PREFIX);
	}
}

static size_t vca_put(struct msg *t)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		put_x(t, &seen.x[i]);
	return t->len;
}

static struct xchg *find(uint8_t code, bool in_session, unsigned int nth)
{
	unsigned int i;

	for (i = 0; i < seen.n; i++)
		if (seen.x[i].req[1] == code &&
		    seen.x[i].in_session == in_session && !nth--)
			return &seen.x[i];
	return NULL;
}

static bool ev_challenge(const struct gen *g, struct sv_evidence *ev)
{
	size_t h = g->r.dev.hash->len, s = spdm_asym_sig_len(g->r.dev.asym_sel);
	struct xchg *c = find(SPDM_CHALLENGE, false, 0), *x;
	size_t auth, req;
	struct msg t;
	unsigned int i;

	if (!c || c->rsp[1] != SPDM_CHALLENGE_AUTH)
		return false;
	msg_init(&t);
	vca_put(&t);
	for (i = 3; &seen.x[i] < c; i++) {
		x = &seen.x[i];
		if (x->req[1] == SPDM_GET_DIGESTS ||
		    x->req[1] == SPDM_GET_CERTIFICATE)
			put_x(&t, x);
	}
	req = t.len + 4;
	auth = t.len + req_len(c);
	put_x(&t, c);
	ev_common(g, ev, SV_SIG_CHALLENGE);
	ev_signed(g, ev, &t, s, req, auth + 4 + h, SV_CHALLENGE_AUTH_CONTEXT);
	msg_free(&t);
	return true;
}

/* GET_MEASUREMENTS/MEASUREMENTS pairs ending with the @nth signed one */
static bool ev_meas(const struct gen *g, struct sv_evidence *ev,
		    bool in_session)
{
	const struct spdm_device *dev = &g->r.dev;
	size_t s = spdm_asym_sig_len(dev->asym_sel), req = 0, rsp = 0;
	struct xchg *x;
	struct msg t;
	unsigned int i;

	msg_init(&t);
	if (g->ver >= SPDM_VER_12)
		vca_put(&t);
	for (i = 0; (x = find(SPDM_GET_MEASUREMENTS, in_session, i)); i++) {
		if (x->rsp[1] != SPDM_MEASUREMENTS || x->rsp_len < 8) {
			msg_free(&t);
			return false;
		}
		req = t.len + 4;
		rsp = t.len + req_len(x) + 8 + get_le16(x->rsp + 5) +
		      (x->rsp[7] << 16);
		put_x(&t, x);
		if (x->req[2] & 1)
			break;
	}
	if (!x) {
		msg_free(&t);
		return false;
	}
	ev_common(g, ev, SV_SIG_MEASUREMENTS);
	ev_signed(g, ev, &t, s, req, rsp, SV_MEASUREMENTS_CONTEXT);
	ev->meas_spec = dev->meas.spec_sel;
	ev->meas_hash = dev->meas.hash_sel;
	HAVE(ev, SV_F_MEAS_SPEC);
	HAVE(ev, SV_F_MEAS_HASH);
	msg_free(&t);
	return true;
}

static bool ev_key_exchange(const struct gen *g, struct sv_evidence *ev)
{
	const struct spdm_device *dev = &g->r.dev;
	size_t h = dev->hash->len, s = spdm_asym_sig_len(dev->asym_sel);
	size_t d = spdm_dhe_len(dev->dhe_sel), opaque, signed_len, req, rsp;
	const struct spdm_chain *c = &dev->slot[0]->chain[dev->hash->index];
	struct xchg *x = find(SPDM_KEY_EXCHANGE, false, 0);
	struct sv_evidence *m;
	struct msg t;

	if (!x || x->rsp[1] != SPDM_KEY_EXCHANGE_RSP)
		return false;
	opaque = get_le16(x->rsp + 40 + d + (x->req[2] ? h : 0));
	signed_len = 40 + d + (x->req[2] ? h : 0) + 2 + opaque;
	msg_init(&t);
	vca_put(&t);
	put(&t, c->digest, h);
	req = t.len + 8;
	put(&t, x->req, req_len(x));
	rsp = t.len + 8;
	put(&t, x->rsp, signed_len + s);
	ev_common(g, ev, SV_SIG_KEY_EXCHANGE);
	ev_signed(g, ev, &t, s, req, rsp, "responder-key_exchange_rsp signing");
	ev->session_id = (uint32_t)get_le16(x->rsp + 4) << 16 |
			 get_le16(x->req + 4);
	ev->rsp_verify_valid = 1;
	ev->finish_valid = 1;
	HAVE(ev, SV_F_SESSION_ID);
	HAVE(ev, SV_F_RSP_VERIFY);
	HAVE(ev, SV_F_FINISH);
	msg_free(&t);
	m = calloc(1, sizeof(*m));
	if (!m)
		die("out of memory");
	if (!ev_meas(g, m, true)) {
		free(m);
		return true;
	}
	ev->session_meas = m;
	m->have &= SV_SIGNED_FIELDS;
	HAVE(ev, SV_F_SESSION_MEAS);
	return true;
}

static void write_bundle(const char *name, const struct sv_evidence *ev)
{
	char *buf = NULL, file[128];
	struct sv_jw w;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		die("out of memory");
	sv_jw_init(&w, f, true);
	sv_evidence_write(&w, NULL, ev, NULL);
	sv_jw_end(&w);
	fclose(f);
	snprintf(file, sizeof(file), "%s.json", name);
	write_file("fuzz-bundle", file, buf, len);
	free(buf);
}

/* ---- netlink attributes --------------------------------------------------- */

static void nla(struct msg *m, uint16_t type, const void *p, size_t len)
{
	uint8_t hdr[4];
	size_t pad = (4 - len % 4) % 4;

	put_le16(hdr, len + 4);
	put_le16(hdr + 2, type);
	put(m, hdr, 4);
	put(m, p, len);
	if (msg_put_fill(m, 0, pad))
		die("out of memory");
}

static void nla_u32(struct msg *m, uint16_t type, uint32_t v)
{
	uint8_t b[4];

	put_le32(b, v);
	nla(m, type, b, 4);
}

static void nla_u8(struct msg *m, uint16_t type, uint8_t v)
{
	nla(m, type, &v, 1);
}

static void nla_chunk(struct msg *m, uint16_t type, const struct sv_buf *b,
		      size_t off, size_t len)
{
	struct msg c;

	msg_init(&c);
	nla_u32(&c, SPDM_A_CHUNK_OFFSET, off);
	nla_u32(&c, SPDM_A_CHUNK_TOTAL_LEN, b->len);
	nla(&c, SPDM_A_CHUNK_DATA, b->data + off, len);
	nla(m, type | NLA_F_NESTED, c.data, c.len);
	msg_free(&c);
}

/* The signed fields (those of a session-meas nest) */
static void nl_signed(struct msg *m, const struct sv_evidence *ev,
		      bool split)
{
	size_t half = split ? ev->transcript.len / 2 : ev->transcript.len;

	nla_u32(m, SPDM_A_EVIDENCE_SIG_TYPE, ev->sig_type);
	nla_chunk(m, SPDM_A_EVIDENCE_TRANSCRIPT, &ev->transcript, 0, half);
	if (split)
		nla_chunk(m, SPDM_A_EVIDENCE_TRANSCRIPT, &ev->transcript,
			  half, ev->transcript.len - half);
	nla(m, SPDM_A_EVIDENCE_SIGNATURE, ev->signature.data,
	    ev->signature.len);
	nla_u32(m, SPDM_A_EVIDENCE_REQ_NONCE_OFFSET, ev->req_off);
	nla_u32(m, SPDM_A_EVIDENCE_RSP_NONCE_OFFSET, ev->rsp_off);
	if (SV_HAVE(ev, SV_F_PREFIX))
		nla(m, SPDM_A_EVIDENCE_COMBINED_PREFIX, ev->prefix.data,
		    ev->prefix.len);
	nla_u8(m, SPDM_A_EVIDENCE_SIG_VALID, ev->sig_valid);
	if (SV_HAVE(ev, SV_F_MEAS_SPEC)) {
		nla_u8(m, SPDM_A_EVIDENCE_MEAS_SPEC, ev->meas_spec);
		nla_u32(m, SPDM_A_EVIDENCE_MEAS_HASH_ALG, ev->meas_hash);
	}
}

/* What a challenge/measurements/key-exchange reply carries */
static void nl_reply(struct msg *m, const struct sv_evidence *ev)
{
	nla(m, SPDM_A_EVIDENCE_DEV_NAME, ev->dev_name,
	    strlen(ev->dev_name) + 1);
	nla_u32(m, SPDM_A_EVIDENCE_PROVIDER, ev->provider);
	nla_u8(m, SPDM_A_EVIDENCE_VERSION, ev->version);
	nla_u8(m, SPDM_A_EVIDENCE_SLOT, ev->slot);
	nla_u32(m, SPDM_A_EVIDENCE_BASE_ASYM_ALG, ev->asym);
	nla_u32(m, SPDM_A_EVIDENCE_BASE_HASH_ALG, ev->hash);
	nla(m, SPDM_A_EVIDENCE_HASH_ALGO, ev->hash_algo,
	    strlen(ev->hash_algo) + 1);
	nl_signed(m, ev, true);
	nla_chunk(m, SPDM_A_EVIDENCE_CERT_CHAIN, &ev->chain, 0, ev->chain.len);
	nla_u8(m, SPDM_A_EVIDENCE_CHAIN_ANCHORED, ev->anchored);
	if (ev->sig_type == SV_SIG_KEY_EXCHANGE) {
		nla_u32(m, SPDM_A_EVIDENCE_SESSION_ID, ev->session_id);
		nla_u8(m, SPDM_A_EVIDENCE_RSP_VERIFY_VALID, 1);
		nla_u8(m, SPDM_A_EVIDENCE_FINISH_VALID, 1);
	}
	if (ev->session_meas) {
		struct msg n;

		msg_init(&n);
		nl_signed(&n, ev->session_meas, false);
		nla(m, SPDM_A_EVIDENCE_SESSION_MEAS | NLA_F_NESTED, n.data,
		    n.len);
		msg_free(&n);
	}
}

static void record(struct msg *in, const struct msg *m)
{
	if (m->len > 0xffff)
		die("netlink message too large");
	if (msg_put_le16(in, m->len))
		die("out of memory");
	put(in, m->data, m->len);
}

static void write_nlattr(const char *name, const struct sv_evidence *ev,
			 const struct msg *vca)
{
	struct msg in, m;
	char file[128];
	size_t half = ev->chain.len / 2;

	/* a reply, checked */
	msg_init(&in);
	msg_init(&m);
	put(&in, "\x02", 1);
	nl_reply(&m, ev);
	record(&in, &m);
	snprintf(file, sizeof(file), "%s-reply", name);
	write_file("fuzz-nlattr", file, in.data, in.len);
	/* an evidence-read dump: cert0 in two messages, vca, the report */
	msg_reset(&in);
	put(&in, "\x03", 1);
	msg_reset(&m);
	nla_u32(&m, SPDM_A_EVIDENCE_OBJECT, SV_OBJ_CERT0);
	nla_u8(&m, SPDM_A_EVIDENCE_SLOT, 0);
	nla_u32(&m, SPDM_A_EVIDENCE_GENERATION, 7);
	nla_chunk(&m, SPDM_A_EVIDENCE_CERT_CHAIN, &ev->chain, 0, half);
	record(&in, &m);
	msg_reset(&m);
	nla_u32(&m, SPDM_A_EVIDENCE_OBJECT, SV_OBJ_CERT0);
	nla_u8(&m, SPDM_A_EVIDENCE_SLOT, 0);
	nla_u32(&m, SPDM_A_EVIDENCE_GENERATION, 7);
	nla_chunk(&m, SPDM_A_EVIDENCE_CERT_CHAIN, &ev->chain, half,
		  ev->chain.len - half);
	record(&in, &m);
	if (vca) {
		struct sv_buf b = { vca->data, vca->len };

		msg_reset(&m);
		nla_u32(&m, SPDM_A_EVIDENCE_OBJECT, SV_OBJ_VCA);
		nla_u32(&m, SPDM_A_EVIDENCE_GENERATION, 7);
		nla_u8(&m, SPDM_A_EVIDENCE_VERSION, ev->version);
		nla_chunk(&m, SPDM_A_EVIDENCE_VCA, &b, 0, b.len);
		record(&in, &m);
	}
	msg_reset(&m);
	nla_u32(&m, SPDM_A_EVIDENCE_OBJECT, ev->sig_type ==
		SV_SIG_MEASUREMENTS ? SV_OBJ_MEASUREMENTS : SV_OBJ_REPORT);
	nla_u32(&m, SPDM_A_EVIDENCE_GENERATION, 7);
	nl_reply(&m, ev);
	record(&in, &m);
	snprintf(file, sizeof(file), "%s-dump", name);
	write_file("fuzz-nlattr", file, in.data, in.len);
	msg_free(&in);
	msg_free(&m);
}

/* ---- scenarios ----------------------------------------------------------- */

#define W_CERTS		(1U << 0)
#define W_CHALLENGE	(1U << 1)
#define W_MEAS		(1U << 2)
#define W_SESSION	(1U << 3)

static void evidence(struct gen *g, const char *name, unsigned int what)
{
	struct sv_evidence ev;
	char file[96];
	struct msg vca;

	msg_init(&vca);
	vca_put(&vca);
	if ((what & W_CHALLENGE) && ev_challenge(g, &ev)) {
		snprintf(file, sizeof(file), "%s-challenge", name);
		write_bundle(file, &ev);
		write_nlattr(file, &ev, &vca);
		sv_evidence_free(&ev);
	}
	if ((what & W_MEAS) && ev_meas(g, &ev, false)) {
		snprintf(file, sizeof(file), "%s-meas", name);
		write_bundle(file, &ev);
		write_nlattr(file, &ev, NULL);
		sv_evidence_free(&ev);
	}
	if ((what & W_SESSION) && ev_key_exchange(g, &ev)) {
		snprintf(file, sizeof(file), "%s-session", name);
		write_bundle(file, &ev);
		write_nlattr(file, &ev, &vca);
		sv_evidence_free(&ev);
	}
	msg_free(&vca);
}

static void session(struct gen *g)
{
	uint8_t m[5] = { 0, g->ver, SPDM_FINISH, 0, 0 };

	key_exchange(g, 0);
	op(g, RD_FINISH, m, 5);
	get_meas(g, true, 0, 0, 0);
	get_meas(g, true, 1, 0xff, 0x5a);
	m[2] = SPDM_HEARTBEAT;
	op(g, RD_SECURED, m, 5);
	m[2] = SPDM_KEY_UPDATE;
	m[3] = 1;
	m[4] = 1;
	op(g, RD_SECURED, m, 5);
	m[3] = 3;
	m[4] = 2;
	op(g, RD_SECURED, m, 5);
	m[2] = SPDM_END_SESSION;
	m[3] = 0;
	m[4] = 0;
	op(g, RD_SECURED, m, 5);
}

static void scenario(const char *name, uint8_t config, uint8_t ver,
		     uint32_t hash, unsigned int what)
{
	static struct gen g;
	char file[96];

	seen_reset();
	rd_start(&g.r, config);
	msg_init(&g.seed);
	g.ver = ver;
	if (msg_put_u8(&g.seed, config))
		die("out of memory");
	vca(&g, config, hash);
	if (what & W_CERTS) {
		hdr_only(&g, SPDM_GET_DIGESTS, 0, 0);
		chunks(&g);
		get_certificate(&g, 0);
	}
	if (what & W_CHALLENGE)
		challenge(&g, 0, what & W_MEAS ? 0xff : 0);
	if (what & W_MEAS) {
		get_meas(&g, false, 0, 0, 0);
		get_meas(&g, false, 1, 0xff, 0x22);
		chunks(&g);
	}
	if ((what & W_SESSION) && ver >= SPDM_VER_11)
		session(&g);
	if (!(config & (RD_CONFIG_CHUNK | RD_CONFIG_MISBEHAVE)))
		evidence(&g, name, what);
	snprintf(file, sizeof(file), "%s", name);
	write_file("fuzz-responder", file, g.seed.data, g.seed.len);
	msg_free(&g.seed);
	rd_stop(&g.r);
	seen_reset();
}

int main(int argc, char **argv)
{
	const unsigned int all = W_CERTS | W_CHALLENGE | W_MEAS | W_SESSION;

	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR\n");
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST)
		die("cannot make the corpus directory");
	rd_global_init();
	scenario("v10", 0x00, SPDM_VER_10, SPDM_HASH_SHA256, all);
	scenario("v11", 0x01, SPDM_VER_11, SPDM_HASH_SHA384, all);
	scenario("v12", 0x02, SPDM_VER_12, SPDM_HASH_SHA512, all);
	scenario("v13", 0x03, SPDM_VER_13, SPDM_HASH_SHA384, all);
	scenario("v13-alone", 0x03, SPDM_VER_13, SPDM_HASH_SHA256,
		 W_CHALLENGE);
	scenario("v12-clear", 0x06, SPDM_VER_12, SPDM_HASH_SHA384, all);
	scenario("v13-meas12", 0x13, SPDM_VER_13, SPDM_HASH_SHA384,
		 W_MEAS | W_SESSION);
	scenario("v12-chunk", 0x0a, SPDM_VER_12, SPDM_HASH_SHA384, all);
	scenario("v13-not-ready", 0x23, SPDM_VER_13, SPDM_HASH_SHA384, all);
	scenario("v12-busy", 0x42, SPDM_VER_12, SPDM_HASH_SHA256, all);
	scenario("v12-resynch", 0x62, SPDM_VER_12, SPDM_HASH_SHA256, all);
	printf("mkcorpus: %u files in %s\n", nr_files, out_dir);
	return 0;
}
