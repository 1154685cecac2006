// SPDX-License-Identifier: GPL-2.0
/*
 * A careful SPDM requester for the host tests (see lib-requester.h).
 *
 * Every function returns 0 or -1; on -1, r->err says why in words the
 * tests match ("signature", "CertChainHash", "truncated", ...).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lib-requester.h"
#include "log.h"

/* ML-DSA verification (FIPS 204, pure, with a context) needs OpenSSL 3.5 */
#if OPENSSL_VERSION_NUMBER >= 0x30500000L
#include <openssl/core_names.h>
#define RQ_HAVE_MLDSA	1
#else
#define RQ_HAVE_MLDSA	0
#endif

#define TIMEOUT_S	5
#define SOCK_HDR	12
#define DOE_HDR		8
#define NONCE_LEN	32
#define CONTEXT_LEN	8
#define MAX_OPAQUE	1024
#define PREFIX_LEN	100

static int __printf(2, 3) fail(struct rq *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void putbe32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static unsigned int popcount(uint32_t v)
{
	return __builtin_popcount(v);
}

static const EVP_MD *hash_md(uint32_t hash)
{
	switch (hash) {
	case RQ_SHA256:	return EVP_sha256();
	case RQ_SHA384:	return EVP_sha384();
	case RQ_SHA512:	return EVP_sha512();
	}
	return NULL;
}

static size_t asym_sig_len(uint32_t asym)
{
	switch (asym) {
	case RQ_RSASSA_2048: case RQ_RSAPSS_2048:	return 256;
	case RQ_RSASSA_3072: case RQ_RSAPSS_3072:	return 384;
	case RQ_RSASSA_4096: case RQ_RSAPSS_4096:	return 512;
	case RQ_ECDSA_P256:				return 64;
	case RQ_ECDSA_P384:				return 96;
	case RQ_ECDSA_P521:				return 132;
	}
	return 0;
}

/* ML-DSA-44/65/87 (FIPS 204 table 2): signature sizes, OpenSSL names */
static size_t pqc_sig_len(uint32_t pqc)
{
	switch (pqc) {
	case RQ_ML_DSA_44:	return 2420;
	case RQ_ML_DSA_65:	return 3309;
	case RQ_ML_DSA_87:	return 4627;
	}
	return 0;
}

static const char *pqc_name(uint32_t pqc)
{
	switch (pqc) {
	case RQ_ML_DSA_44:	return "ML-DSA-44";
	case RQ_ML_DSA_65:	return "ML-DSA-65";
	case RQ_ML_DSA_87:	return "ML-DSA-87";
	}
	return NULL;
}

/* Why this build cannot verify ML-DSA, NULL if it can. */
const char *rq_mldsa_unsupported(void)
{
	if (RQ_HAVE_MLDSA)
		return NULL;
	return "ML-DSA needs OpenSSL 3.5 or newer; built with OpenSSL "
	       OPENSSL_VERSION_STR;
}

static int hash_buf(uint32_t hash, const void *a, size_t alen, uint8_t *out)
{
	unsigned int len;

	return EVP_Digest(a, alen, out, &len, hash_md(hash), NULL) ? 0 : -1;
}

void rq_opts_default(struct rq_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_version = 0x13;
	o->asym = RQ_ASYM_ALL;
	o->hash = RQ_HASH_ALL;
	o->dts = 4096;
	o->chunk = 1024;
	o->recover = true;
}

int rq_open(struct rq *r, unsigned int port, const struct rq_opts *o)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct timeval tv = { TIMEOUT_S, 0 };
	int one = 1;

	memset(r, 0, offsetof(struct rq, rsp));
	r->o = *o;
	msg_init(&r->a);
	msg_init(&r->b);
	r->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		return fail(r, "socket: %s", strerror(errno));
	setsockopt(r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(r->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	setsockopt(r->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(r->fd);
		r->fd = -1;
		return fail(r, "connect to port %u: %s", port, strerror(errno));
	}
	return 0;
}

void rq_close(struct rq *r)
{
	unsigned int s;

	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	for (s = 0; s < RQ_SLOTS; s++) {
		free(r->chain[s]);
		r->chain[s] = NULL;
	}
	msg_free(&r->a);
	msg_free(&r->b);
}

static int io_all(struct rq *r, void *buf, size_t len, bool out)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = out ? send(r->fd, p, len, MSG_NOSIGNAL) : recv(r->fd, p, len, 0);
		if (n <= 0)
			return fail(r, "no response: %s", n ? strerror(errno) :
				    "connection closed");
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * One DOE exchange with a data object of @type (1 SPDM, 2 secured SPDM);
 * the response's payload (with DOE padding) lands in r->rsp, its type in
 * *@rsp_type.
 */
int rq_doe_xchg(struct rq *r, uint8_t type, const void *req, size_t len,
		uint8_t *rsp_type)
{
	static uint8_t frame[SOCK_HDR + DOE_HDR + RQ_MAX_MSG];
	size_t dw = 2 + (len + 3) / 4, size;
	uint8_t hdr[SOCK_HDR + DOE_HDR];

	if (len > RQ_MAX_MSG)
		return fail(r, "request too long");
	memset(frame, 0, SOCK_HDR + dw * 4);
	putbe32(frame, 1);			/* NORMAL */
	putbe32(frame + 4, 2);			/* PCI_DOE */
	putbe32(frame + 8, dw * 4);
	put32(frame + SOCK_HDR, 0x0001 | (uint32_t)type << 16); /* PCI-SIG */
	put32(frame + SOCK_HDR + 4, dw);
	memcpy(frame + SOCK_HDR + DOE_HDR, req, len);
	if (io_all(r, frame, SOCK_HDR + dw * 4, true) ||
	    io_all(r, hdr, SOCK_HDR, false))
		return -1;
	size = be32(hdr + 8);
	if (be32(hdr) != 1 || be32(hdr + 4) != 2)
		return fail(r, "socket frame command 0x%x transport %u",
			    be32(hdr), be32(hdr + 4));
	if (!size)
		return fail(r, "no response: request discarded");
	if (size < DOE_HDR || size > DOE_HDR + RQ_MAX_MSG || size % 4)
		return fail(r, "DOE object of %zu bytes", size);
	if (io_all(r, hdr + SOCK_HDR, DOE_HDR, false) ||
	    io_all(r, r->rsp, size - DOE_HDR, false))
		return -1;
	if ((le32(hdr + SOCK_HDR) & 0xff00ffff) != 0x0001 ||
	    (le32(hdr + SOCK_HDR + 4) & 0x3ffff) * 4 != size)
		return fail(r, "bad DOE header");
	*rsp_type = hdr[SOCK_HDR + 2];
	r->rsp_len = size - DOE_HDR;
	return 0;
}

/* One DOE exchange; the response (with DOE padding) lands in r->rsp. */
int rq_xchg(struct rq *r, const void *req, size_t len)
{
	uint8_t type;

	if (rq_doe_xchg(r, 1, req, len, &type))
		return -1;
	if (type != 1)
		return fail(r, "bad DOE header");
	return 0;
}

/* Send the raw request @req, expect ERROR(@code) back (else say why). */
bool rq_expect_error(struct rq *r, const uint8_t *req, size_t len,
		     uint8_t code)
{
	if (rq_xchg(r, req, len)) {
		printf("# %s\n", r->err);
		return false;
	}
	if (r->rsp_len < 4 || r->rsp[1] != RQ_ERROR || r->rsp[2] != code) {
		printf("# request %02x %02x %02x %02x (%zu bytes): got %02x %02x %02x, expected ERROR 0x%02x\n",
		       req[0], req[1], len > 2 ? req[2] : 0,
		       len > 3 ? req[3] : 0, len, r->rsp[0], r->rsp[1],
		       r->rsp[2], code);
		return false;
	}
	return true;
}

static const char *error_name(uint8_t code)
{
	switch (code) {
	case RQ_ERR_INVALID_REQUEST:	return "InvalidRequest";
	case 0x02:			return "InvalidSession";
	case RQ_ERR_DECRYPT:		return "DecryptError";
	case 0x0a:			return "SessionLimitExceeded";
	case RQ_ERR_BUSY:		return "Busy";
	case RQ_ERR_UNEXPECTED:		return "UnexpectedRequest";
	case RQ_ERR_UNSPECIFIED:	return "Unspecified";
	case RQ_ERR_UNSUPPORTED:	return "UnsupportedRequest";
	case RQ_ERR_TOO_LARGE:		return "ResponseTooLarge";
	case RQ_ERR_LARGE_RESPONSE:	return "LargeResponse";
	case RQ_ERR_VERSION_MISMATCH:	return "VersionMismatch";
	case RQ_ERR_NOT_READY:		return "ResponseNotReady";
	case RQ_ERR_RESYNCH:		return "RequestResynch";
	}
	return "?";
}

/*
 * The response must be @exact bytes long plus DOE zero padding only
 * (none when it was reassembled from chunks or opened from a record).
 */
static int check_len(struct rq *r, const char *what, size_t exact)
{
	size_t padded = (exact + 3) & ~(size_t)3, i;

	if (r->rsp_len < exact)
		return fail(r, "truncated %s: %zu bytes, expected %zu", what,
			    r->rsp_len, exact);
	if (r->rsp_len != padded && r->rsp_len != exact)
		return fail(r, "overlong %s: %zu bytes, expected %zu", what,
			    r->rsp_len, exact);
	for (i = exact; i < r->rsp_len; i++)
		if (r->rsp[i])
			return fail(r, "overlong %s: data after %zu bytes",
				    what, exact);
	return 0;
}

/* ---- large responses (CHUNK_GET / CHUNK_RESPONSE, 1.2+) --------------- */

#define CHUNK_HDR	12
#define CHUNK_SIZE_LEN	4		/* LargeMessageSize, chunk 0 only */
#define CHUNK_LAST	0x01

/* A large response being reassembled. */
struct chunks {
	uint8_t handle;
	uint32_t seq;			/* of the chunk in r->rsp */
	size_t got, total;
	uint8_t *buf;
};

static int secured_xchg(struct rq *r, struct rq_session *s,
			const uint8_t *req, size_t len);

int rq_chunk_get(struct rq *r, struct rq_session *s, uint8_t handle,
		 uint32_t seq)
{
	uint8_t req[8] = { r->version, RQ_CHUNK_GET, 0, handle };
	size_t len = r->version >= 0x14 ? 8 : 6;

	if (r->version >= 0x14)
		put32(req + 4, seq);
	else
		put16(req + 4, seq);
	if (s)
		return secured_xchg(r, s, req, len);
	return rq_xchg(r, req, len);
}

static bool chunks_wanted(const struct rq *r, uint8_t error_code)
{
	return error_code == RQ_ERR_LARGE_RESPONSE &&
	       (r->o.flags & RQ_CAP_CHUNK) && !r->o.no_chunk_get;
}

/* Chunk 0: LargeMessageSize must fit our MaxSPDMmsgSize. */
static int chunk_start(struct rq *r, struct chunks *c)
{
	size_t max = r->o.max_msg ? r->o.max_msg : r->o.dts;

	c->total = le32(r->rsp + CHUNK_HDR);
	if (c->total > max || c->total > RQ_MAX_MSG)
		return fail(r, "CHUNK_RESPONSE LargeMessageSize %zu exceeds our MaxSPDMmsgSize %zu",
			    c->total, max);
	if (c->total <= r->o.dts)
		return fail(r, "CHUNK_RESPONSE LargeMessageSize %zu fits our DataTransferSize",
			    c->total);
	return 0;
}

/* The CHUNK_RESPONSE header in r->rsp; its ChunkSize to *@size. */
static int chunk_header(struct rq *r, const struct chunks *c, size_t hdr,
			size_t *size)
{
	uint32_t seq;

	if (r->rsp_len < 4 || r->rsp[1] == RQ_ERROR)
		return fail(r, "CHUNK_GET ChunkSeqNo %u: %s%s", c->seq,
			    r->rsp_len < 4 ? "truncated response" : "ERROR ",
			    r->rsp_len < 4 ? "" : error_name(r->rsp[2]));
	if (r->rsp[0] != r->version || r->rsp[1] != RQ_CHUNK_RESPONSE)
		return fail(r, "CHUNK_GET: response version 0x%02x code 0x%02x",
			    r->rsp[0], r->rsp[1]);
	if (r->rsp_len < hdr)
		return fail(r, "truncated CHUNK_RESPONSE: %zu bytes",
			    r->rsp_len);
	if (r->rsp[3] != c->handle)
		return fail(r, "CHUNK_RESPONSE Handle %u, asked for %u",
			    r->rsp[3], c->handle);
	/* 1.4: u32 ChunkSeqNo; before: u16 and Reserved (2) */
	seq = r->version >= 0x14 ? le32(r->rsp + 4) : le16(r->rsp + 4);
	if (seq != c->seq)
		return fail(r, "CHUNK_RESPONSE ChunkSeqNo %u, asked for %u",
			    seq, c->seq);
	if ((r->version < 0x14 && le16(r->rsp + 6)) ||
	    (r->rsp[2] & ~CHUNK_LAST))
		return fail(r, "CHUNK_RESPONSE reserved bits set");
	*size = le32(r->rsp + 8);
	if (*size > r->rsp_len - hdr)
		return fail(r, "CHUNK_RESPONSE ChunkSize %zu overruns the %zu bytes after its header",
			    *size, r->rsp_len - hdr);
	if (!*size)
		return fail(r, "CHUNK_RESPONSE ChunkSeqNo %u is empty", c->seq);
	if (hdr + *size > r->o.dts)
		return fail(r, "CHUNK_RESPONSE of %zu bytes exceeds our DataTransferSize",
			    hdr + *size);
	return check_len(r, "CHUNK_RESPONSE", hdr + *size);
}

/* Check the CHUNK_RESPONSE in r->rsp and append its chunk. */
static int chunk_take(struct rq *r, struct chunks *c, bool *last)
{
	size_t hdr = CHUNK_HDR + (c->seq ? 0 : CHUNK_SIZE_LEN), size = 0;

	if (chunk_header(r, c, hdr, &size) || (!c->seq && chunk_start(r, c)))
		return -1;
	if (size > c->total - c->got)
		return fail(r, "CHUNK_RESPONSEs carry more than LargeMessageSize %zu",
			    c->total);
	memcpy(c->buf + c->got, r->rsp + hdr, size);
	c->got += size;
	*last = r->rsp[2] & CHUNK_LAST;
	if (*last && c->got != c->total)
		return fail(r, "LastChunk after %zu bytes of LargeMessageSize %zu",
			    c->got, c->total);
	if (!*last && c->got == c->total)
		return fail(r, "all %zu bytes of LargeMessageSize received without LastChunk",
			    c->total);
	return 0;
}

/*
 * r->rsp holds ERROR(LargeResponse): fetch the response with CHUNK_GET
 * (@s: in that session) into r->rsp.
 */
static int fetch_chunks(struct rq *r, struct rq_session *s)
{
	static uint8_t buf[RQ_MAX_MSG];
	struct chunks c = { .buf = buf };
	bool last = false;

	r->chunks = 0;
	r->large_len = 0;
	if (r->rsp_len < 5)
		return fail(r, "ERROR LargeResponse without a Handle");
	c.handle = r->rsp[4];
	for (c.seq = 0; !last; c.seq++, r->chunks++)
		if (rq_chunk_get(r, s, c.handle, c.seq) ||
		    chunk_take(r, &c, &last))
			return -1;
	memcpy(r->rsp, buf, c.got);
	r->rsp_len = c.got;
	r->large_len = c.total;
	r->error_code = 0;
	return 0;
}

/*
 * Send @req and expect response @code; Busy is retried and
 * ResponseNotReady followed with RESPOND_IF_READY when o.recover is set.
 */
int rq_request(struct rq *r, const uint8_t *req, size_t len, uint8_t code)
{
	uint8_t want_version = code == RQ_VERSION ? 0x10 : req[0];
	unsigned int tries = 0;
	uint8_t rif[4];
	long rdt_us;
	struct timespec ts;

	r->error_code = 0;
	if (rq_xchg(r, req, len))
		return -1;
	for (;;) {
		if (r->rsp_len < 4)
			return fail(r, "truncated response: %zu bytes", r->rsp_len);
		if (r->rsp[1] != RQ_ERROR)
			break;
		r->error_code = r->rsp[2];
		r->error_data = r->rsp[3];
		if (!r->o.recover || ++tries > 3)
			break;
		if (r->error_code == RQ_ERR_BUSY) {
			r->busy_seen++;
			if (rq_xchg(r, req, len))
				return -1;
			continue;
		}
		if (r->error_code != RQ_ERR_NOT_READY)
			break;
		r->not_ready_seen++;
		if (r->rsp_len < 8 || r->rsp[5] != req[1])
			return fail(r, "ResponseNotReady without the request's code");
		rdt_us = (1L << (r->rsp[4] & 31)) * r->rsp[7];
		if (rdt_us > 100000)
			rdt_us = 100000;
		ts.tv_sec = 0;
		ts.tv_nsec = rdt_us * 1000;
		nanosleep(&ts, NULL);
		rif[0] = req[0];
		rif[1] = RQ_RESPOND_IF_READY;
		rif[2] = req[1];
		rif[3] = r->rsp[6];		/* Token */
		if (rq_xchg(r, rif, sizeof(rif)))
			return -1;
	}
	if (r->rsp[1] == RQ_ERROR && chunks_wanted(r, r->error_code) &&
	    fetch_chunks(r, NULL))
		return -1;
	if (r->rsp[1] == RQ_ERROR)
		return fail(r, "ERROR %s (0x%02x, data 0x%02x)",
			    error_name(r->error_code), r->error_code,
			    r->error_data);
	r->error_code = 0;
	if (r->rsp[0] != want_version)
		return fail(r, "response version 0x%02x, expected 0x%02x",
			    r->rsp[0], want_version);
	if (r->rsp[1] != code)
		return fail(r, "response code 0x%02x, expected 0x%02x",
			    r->rsp[1], code);
	return 0;
}

static int add(struct rq *r, struct msg *m, const void *req, size_t req_len,
	       size_t rsp_len)
{
	if (msg_put(m, req, req_len) || msg_put(m, r->rsp, rsp_len))
		return fail(r, "out of memory");
	return 0;
}

int rq_get_version(struct rq *r)
{
	const uint8_t req[4] = { 0x10, RQ_GET_VERSION, 0, 0 };
	unsigned int i, n;
	uint8_t best = 0, v;

	msg_reset(&r->a);
	msg_reset(&r->b);
	r->version = 0;
	r->challenged = false;
	if (rq_request(r, req, sizeof(req), RQ_VERSION))
		return -1;
	if (r->rsp_len < 6)
		return fail(r, "truncated VERSION");
	n = r->rsp[5];
	if (check_len(r, "VERSION", 6 + 2 * n))
		return -1;
	for (i = 0; i < n; i++) {
		v = le16(r->rsp + 6 + 2 * i) >> 8;
		if (v >> 4 != 1 || v < 0x10 || v > r->o.max_version)
			continue;
		if (r->o.version ? v == r->o.version : v > best)
			best = v;
	}
	if (!best)
		return fail(r, "no common version (VERSION lists %u entries)", n);
	r->version = best;
	return add(r, &r->a, req, sizeof(req), 6 + 2 * n);
}

int rq_get_capabilities(struct rq *r)
{
	size_t req_len = r->version >= 0x12 ? 20 : r->version == 0x11 ? 12 : 4;
	size_t rsp_len = r->version >= 0x12 ? 20 : 12;
	uint8_t req[20] = { r->version, RQ_GET_CAPABILITIES };

	put32(req + 8, r->o.flags);
	put32(req + 12, r->o.dts);
	put32(req + 16, r->o.max_msg ? r->o.max_msg : r->o.dts);
	if (rq_request(r, req, req_len, RQ_CAPABILITIES) ||
	    check_len(r, "CAPABILITIES", rsp_len))
		return -1;
	r->ct_exponent = r->rsp[5];
	r->rsp_flags = le32(r->rsp + 8);
	if (r->version >= 0x12) {
		r->rsp_dts = le32(r->rsp + 12);
		r->rsp_max_msg = le32(r->rsp + 16);
		if (r->rsp_dts < 42 || r->rsp_max_msg < r->rsp_dts)
			return fail(r, "CAPABILITIES DataTransferSize %u MaxSPDMmsgSize %u",
				    r->rsp_dts, r->rsp_max_msg);
		if (!(r->rsp_flags & (1U << 17)) && r->rsp_dts != r->rsp_max_msg)
			return fail(r, "CAPABILITIES without CHUNK_CAP: DataTransferSize != MaxSPDMmsgSize");
	}
	return add(r, &r->a, req, req_len, rsp_len);
}

/*
 * The AlgStructs we send: DHE, AEAD, ReqBaseAsymAlg, KeySchedule (the
 * first o.alg_structs of them), from 1.4 on with o.pqc_structs also
 * ReqPqcAsymAlg (ML-DSA) and KEMAlg (ML-KEM), which the responder may
 * only answer with nothing selected: we have neither.
 */
static unsigned int alg_structs(const struct rq *r, uint8_t *type,
				uint16_t *bits)
{
	static const uint8_t types[6] = { 2, 3, 4, 5, 6, 7 };
	uint16_t all[6] = { 0x0018, 0x0002, 0x0010, 0x0001, 0x0007, 0x0007 };
	unsigned int n = r->version >= 0x11 ? r->o.alg_structs : 0, i;

	if (r->o.dhe)
		all[0] = r->o.dhe;
	if (r->o.aead)
		all[1] = r->o.aead;
	if (n > 4)
		n = 4;
	for (i = 0; i < n; i++) {
		type[i] = types[i];
		bits[i] = all[i];
	}
	if (r->version >= 0x14 && r->o.pqc_structs) {
		for (i = 4; i < 6; i++, n++) {
			type[n] = types[i];
			bits[n] = all[i];
		}
	}
	return n;
}

/*
 * 1.4 ALGORITHMS: one signature algorithm, BaseAsymSel or PqcAsymSel;
 * an ML-DSA one only if this build can verify it.
 */
static int check_pqc_sel(struct rq *r)
{
	r->pqc = r->version >= 0x14 ? le32(r->rsp + 20) : 0;
	if (!r->pqc)
		return 0;
	if (r->asym)
		return fail(r, "ALGORITHMS selects both BaseAsymAlgo 0x%x and PqcAsymAlgo 0x%x",
			    r->asym, r->pqc);
	if (popcount(r->pqc) > 1 || (r->pqc & ~r->o.pqc))
		return fail(r, "ALGORITHMS selects a PqcAsymAlgo not offered or more than one (0x%x, offered 0x%x)",
			    r->pqc, r->o.pqc);
	if (!pqc_name(r->pqc))
		return fail(r, "ALGORITHMS selects PqcAsymAlgo 0x%x: not ML-DSA",
			    r->pqc);
	if (rq_mldsa_unsupported())
		return fail(r, "ALGORITHMS selects PqcAsymAlgo 0x%x: this requester cannot verify it (%s)",
			    r->pqc, rq_mldsa_unsupported());
	return 0;
}

int rq_negotiate_algorithms(struct rq *r)
{
	uint16_t struct_bits[6];
	uint8_t struct_type[6];
	unsigned int ns = alg_structs(r, struct_type, struct_bits), nr, i, j;
	size_t req_len = 32 + 4 * ns, len;
	uint8_t req[32 + 4 * 6] = { r->version, RQ_NEGOTIATE_ALGS, ns, 0 };
	const uint8_t *st;
	bool found;

	put16(req + 4, req_len);
	req[6] = 0x01;				/* MeasurementSpecification DMTF */
	if (r->version >= 0x12)
		req[7] = r->o.other_params;
	put32(req + 8, r->o.asym);
	put32(req + 12, r->o.hash);
	if (r->version >= 0x14)
		put32(req + 16, r->o.pqc);	/* PqcAsymAlgo */
	for (i = 0; i < ns; i++) {
		req[32 + 4 * i] = struct_type[i];
		req[33 + 4 * i] = 0x20;
		put16(req + 34 + 4 * i, struct_bits[i]);
	}
	if (rq_request(r, req, req_len, RQ_ALGORITHMS))
		return -1;
	if (r->rsp_len < 36)
		return fail(r, "truncated ALGORITHMS: %zu bytes", r->rsp_len);
	len = le16(r->rsp + 4);
	nr = r->rsp[2];
	if (r->version == 0x10 && nr)
		return fail(r, "ALGORITHMS 1.0 with %u AlgStructs", nr);
	if (r->rsp[32] || r->rsp[33])
		return fail(r, "ALGORITHMS selects extended algorithms");
	if (len != 36 + 4 * nr)
		return fail(r, "ALGORITHMS Length %zu with %u AlgStructs", len, nr);
	if (check_len(r, "ALGORITHMS", len))
		return -1;
	if (nr > ns)
		return fail(r, "ALGORITHMS has %u AlgStructs, %u requested", nr, ns);
	r->dhe = r->aead = r->key_sched = 0;
	for (i = 0; i < nr; i++) {
		st = r->rsp + 36 + 4 * i;
		if (st[0] == 2)
			r->dhe = le16(st + 2);
		else if (st[0] == 3)
			r->aead = le16(st + 2);
		else if (st[0] == 5)
			r->key_sched = le16(st + 2);
		found = false;
		for (j = 0; j < ns; j++)
			if (req[32 + 4 * j] == st[0])
				found = (le16(st + 2) & ~struct_bits[j]) == 0;
		if (!found || st[1] != 0x20 || popcount(le16(st + 2)) > 1)
			return fail(r, "ALGORITHMS AlgStruct %u (type %u) not as requested",
				    i, st[0]);
	}
	r->asym = le32(r->rsp + 12);
	r->hash = le32(r->rsp + 16);
	if (check_pqc_sel(r))
		return -1;
	/* no signing capability: no BaseAsymSel needed */
	if (popcount(r->asym) > 1 || popcount(r->hash) != 1 ||
	    (!r->asym && !r->pqc && (r->rsp_flags & 6)))
		return fail(r, "ALGORITHMS selects more than one algorithm (asym 0x%x hash 0x%x)",
			    r->asym, r->hash);
	if ((r->asym && !(r->asym & r->o.asym)) || !(r->hash & r->o.hash))
		return fail(r, "ALGORITHMS selects an algorithm not offered (asym 0x%x hash 0x%x)",
			    r->asym, r->hash);
	if (r->version >= 0x12 && (r->rsp[7] & ~r->o.other_params))
		return fail(r, "ALGORITHMS OtherParamsSelection 0x%02x not offered",
			    r->rsp[7]);
	if (!(r->rsp_flags & (3U << 3)) && (r->rsp[6] || le32(r->rsp + 8)))
		return fail(r, "ALGORITHMS selects measurements without MEAS_CAP");
	r->meas_spec = r->rsp[6];
	r->meas_hash = le32(r->rsp + 8);
	/* with MEAS_CAP: DMTF (offered) and one MeasurementHashAlgo we know */
	if ((r->rsp_flags & (3U << 3)) &&
	    (r->meas_spec != 0x01 || popcount(r->meas_hash) != 1 ||
	     r->meas_hash > RQ_MEAS_HASH_SHA512))
		return fail(r, "ALGORITHMS MeasurementSpecificationSel 0x%02x MeasurementHashAlgo 0x%x",
			    r->meas_spec, r->meas_hash);
	r->meas_hash_len = r->meas_hash > RQ_MEAS_HASH_RAW ?
			   (size_t)EVP_MD_get_size(hash_md(r->meas_hash >> 1)) : 0;
	r->hash_len = EVP_MD_get_size(hash_md(r->hash));
	r->sig_len = r->pqc ? pqc_sig_len(r->pqc) : asym_sig_len(r->asym);
	return add(r, &r->a, req, req_len, len);
}

int rq_vca(struct rq *r)
{
	if (rq_get_version(r) || rq_get_capabilities(r) ||
	    rq_negotiate_algorithms(r))
		return -1;
	return 0;
}

int rq_get_digests(struct rq *r)
{
	uint8_t req[4] = { r->version, RQ_GET_DIGESTS, 0, 0 };
	unsigned int s, n = 0;

	if (!(r->rsp_flags & (1U << 1)))
		return fail(r, "responder lacks CERT_CAP");
	if (rq_request(r, req, sizeof(req), RQ_DIGESTS))
		return -1;
	r->provisioned = r->rsp[3];
	if (check_len(r, "DIGESTS", 4 + popcount(r->provisioned) * r->hash_len))
		return -1;
	if (!r->provisioned)
		return fail(r, "DIGESTS: no slot provisioned");
	if (r->version >= 0x13) {
		r->supported = r->rsp[2];
		if (r->provisioned & ~r->supported)
			return fail(r, "DIGESTS: provisioned slots 0x%02x not all supported 0x%02x",
				    r->provisioned, r->supported);
	}
	for (s = 0; s < RQ_SLOTS; s++)
		if (r->provisioned & (1U << s))
			memcpy(r->digest[s], r->rsp + 4 + r->hash_len * n++,
			       r->hash_len);
	msg_reset(&r->b);
	return add(r, &r->b, req, sizeof(req), 4 + n * r->hash_len);
}

/* Chain checks: header, RootHash, DER certificates, signatures, digest. */
static int check_chain(struct rq *r, unsigned int slot, const uint8_t *c,
		       size_t len)
{
	const unsigned char *p = c + 4 + r->hash_len, *start;
	uint8_t h[64];
	X509 *cert, *prev = NULL;
	EVP_PKEY *key;
	int ret = 0, n = 0, ca;

	if (len < 4 + r->hash_len || le16(c) != len)
		return fail(r, "slot %u: chain Length %u, %zu bytes received",
			    slot, le16(c), len);
	if (hash_buf(r->hash, c, len, h) || memcmp(h, r->digest[slot], r->hash_len))
		return fail(r, "slot %u: chain does not match its DIGESTS digest",
			    slot);
	while (!ret && p < c + len) {
		start = p;
		cert = d2i_X509(NULL, &p, c + len - p);
		if (!cert) {
			ret = fail(r, "slot %u: no certificate at offset %td",
				   slot, start - c);
			break;
		}
		if (!n++ && (hash_buf(r->hash, start, p - start, h) ||
			     memcmp(h, c + 4, r->hash_len)))
			ret = fail(r, "slot %u: RootHash is not the root's hash",
				   slot);
		key = X509_get0_pubkey(prev ? prev : cert);
		if (!ret && X509_verify(cert, key) != 1)
			ret = fail(r, "slot %u: certificate %d signature invalid",
				   slot, n);
		ca = X509_check_ca(cert);
		if (!ret && p == c + len && ca)
			ret = fail(r, "slot %u: leaf is a CA", slot);
		if (!ret && p < c + len && !ca)
			ret = fail(r, "slot %u: certificate %d is no CA", slot, n);
		X509_free(prev);
		prev = cert;
	}
	X509_free(prev);
	ERR_clear_error();
	return ret;
}

int rq_get_certificate(struct rq *r, unsigned int slot)
{
	uint8_t req[8] = { r->version, RQ_GET_CERTIFICATE, slot, 0 };
	size_t off = 0, total = 0, portion, remainder = 0, want;
	uint8_t *chain = NULL;

	free(r->chain[slot]);
	r->chain[slot] = NULL;
	do {
		want = r->o.chunk;
		if (total && want > total - off)
			want = total - off;
		put16(req + 4, off);
		put16(req + 6, want);
		if (rq_request(r, req, sizeof(req), RQ_CERTIFICATE))
			goto fail;
		if (r->rsp_len < 8) {
			fail(r, "truncated CERTIFICATE");
			goto fail;
		}
		portion = le16(r->rsp + 4);
		remainder = le16(r->rsp + 6);
		if (check_len(r, "CERTIFICATE", 8 + portion))
			goto fail;
		if ((r->rsp[2] & 0xf) != slot || !portion || portion > want) {
			fail(r, "CERTIFICATE slot %u, PortionLength %zu for Length %zu",
			     r->rsp[2] & 0xf, portion, want);
			goto fail;
		}
		if (r->version >= 0x12 && 8 + portion > r->o.dts) {
			fail(r, "CERTIFICATE of %zu bytes exceeds our DataTransferSize",
			     8 + portion);
			goto fail;
		}
		if (!chain) {
			total = portion + remainder;
			chain = malloc(total);
			if (!chain) {
				fail(r, "out of memory");
				goto fail;
			}
		} else if (off + portion + remainder != total) {
			fail(r, "CERTIFICATE RemainderLength %zu inconsistent",
			     remainder);
			goto fail;
		}
		memcpy(chain + off, r->rsp + 8, portion);
		off += portion;
		if (add(r, &r->b, req, sizeof(req), 8 + portion))
			goto fail;
	} while (remainder);
	if (check_chain(r, slot, chain, total))
		goto fail;
	r->chain[slot] = chain;
	r->chain_len[slot] = total;
	return 0;
fail:
	free(chain);
	return -1;
}

static EVP_PKEY *leaf_key(const uint8_t *c, size_t len, size_t hash_len)
{
	const unsigned char *p = c + 4 + hash_len;
	X509 *cert = NULL, *next;
	EVP_PKEY *key = NULL;

	while (p < c + len && (next = d2i_X509(NULL, &p, c + len - p))) {
		X509_free(cert);
		cert = next;
	}
	if (cert)
		key = X509_get_pubkey(cert);
	X509_free(cert);
	return key;
}

/*
 * Pure ML-DSA (FIPS 204 ML-DSA.Verify(pk, M, sig, ctx)): @sig over @data
 * itself with the context string @ctx.
 */
static int verify_mldsa(struct rq *r, EVP_PKEY *key, const uint8_t *data,
			size_t len, const uint8_t *sig, const char *ctx)
{
#if RQ_HAVE_MLDSA
	EVP_SIGNATURE *alg = EVP_SIGNATURE_fetch(NULL, pqc_name(r->pqc), NULL);
	EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	OSSL_PARAM params[2];
	int ok;

	params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_SIGNATURE_PARAM_CONTEXT_STRING, (void *)ctx,
			strlen(ctx));
	params[1] = OSSL_PARAM_construct_end();
	ok = alg && pctx &&
	     EVP_PKEY_verify_message_init(pctx, alg, params) == 1 &&
	     EVP_PKEY_verify(pctx, sig, r->sig_len, data, len) == 1;
	EVP_PKEY_CTX_free(pctx);
	EVP_SIGNATURE_free(alg);
	ERR_clear_error();
	return ok ? 0 : -1;
#else
	(void)r; (void)key; (void)data; (void)len; (void)sig; (void)ctx;
	return -1;
#endif
}

/* Verify @sig over @data (already M1, or the 1.2+ M) with the leaf key. */
static int verify(struct rq *r, EVP_PKEY *key, const uint8_t *data,
		  size_t len, const uint8_t *sig)
{
	uint8_t der[256], *dp = der;
	size_t half = r->sig_len / 2, sig_len = r->sig_len;
	const uint8_t *s = sig;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	ECDSA_SIG *es = NULL;
	int ok = 0, n;

	if (r->asym & (RQ_ECDSA_P256 | RQ_ECDSA_P384 | RQ_ECDSA_P521)) {
		es = ECDSA_SIG_new();
		if (!es || !ECDSA_SIG_set0(es, BN_bin2bn(sig, half, NULL),
					   BN_bin2bn(sig + half, half, NULL)))
			goto out;
		n = i2d_ECDSA_SIG(es, NULL);
		if (n <= 0 || n > (int)sizeof(der))
			goto out;
		sig_len = i2d_ECDSA_SIG(es, &dp);
		s = der;
	}
	if (!ctx || EVP_DigestVerifyInit(ctx, &pctx, hash_md(r->hash), NULL,
					 key) != 1)
		goto out;
	if (r->asym & (RQ_RSAPSS_2048 | RQ_RSAPSS_3072 | RQ_RSAPSS_4096)) {
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)
			goto out;
	} else if (r->asym & (RQ_RSASSA_2048 | RQ_RSASSA_3072 | RQ_RSASSA_4096)) {
		if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
			goto out;
	}
	ok = EVP_DigestVerify(ctx, s, sig_len, data, len) == 1;
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

static long long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

/*
 * Verify @sig over transcript @t with the leaf key of @slot's chain:
 * 1.0/1.1 sign Hash(@t), 1.2+ combined_spdm_prefix(@context) ||
 * Hash(@t): hashed again by the classical algorithms, signed as it is
 * by ML-DSA (1.4 PqcAsymSel) with @context as its context string (or
 * r->mldsa_ctx, a test's wrong one).
 */
int rq_verify_transcript(struct rq *r, unsigned int slot, const char *context,
			 const uint8_t *t, size_t len, const uint8_t *sig)
{
	size_t clen = strlen(context);
	uint8_t m[PREFIX_LEN + 64];
	EVP_PKEY *key;
	int ret = -1, i;

	if (slot >= RQ_SLOTS || !r->chain[slot] || clen > PREFIX_LEN - 64)
		return fail(r, "no chain of slot %u to verify with", slot);
	key = leaf_key(r->chain[slot], r->chain_len[slot], r->hash_len);
	if (!key)
		return fail(r, "no leaf key in the chain of slot %u", slot);
	if (r->version >= 0x12) {
		/* combined_spdm_prefix || Hash(transcript) */
		memset(m, 0, PREFIX_LEN);
		for (i = 0; i < 4; i++) {
			memcpy(m + 16 * i, "dmtf-spdm-v1.?.*", 16);
			m[16 * i + 13] = '0' + (r->version & 0xf);
		}
		memcpy(m + PREFIX_LEN - clen, context, clen);
		if (hash_buf(r->hash, t, len, m + PREFIX_LEN))
			ret = -1;
		else if (r->pqc)
			ret = verify_mldsa(r, key, m, PREFIX_LEN + r->hash_len,
					   sig, r->mldsa_ctx ?: context);
		else
			ret = verify(r, key, m, PREFIX_LEN + r->hash_len, sig);
	} else {
		ret = verify(r, key, t, len, sig);
	}
	EVP_PKEY_free(key);
	return ret;
}

int rq_hash(uint32_t hash, const void *data, size_t len, uint8_t *out)
{
	if (!hash_md(hash))
		return -1;
	return hash_buf(hash, data, len, out);
}

/*
 * CHALLENGE for @slot with MeasurementSummaryHashType @type; the
 * MeasurementSummaryHash (if any) goes to @summary (hash_len bytes).
 */
int rq_challenge_summary(struct rq *r, unsigned int slot, uint8_t type,
			 const uint8_t *context, uint8_t *summary)
{
	size_t req_len = 36 + (r->version >= 0x13 ? CONTEXT_LEN : 0);
	size_t h = r->hash_len, off, opaque, total, signed_len;
	size_t sum_len = type ? h : 0;
	uint8_t req[44] = { r->version, RQ_CHALLENGE, slot, type };
	uint8_t m[64];
	struct msg m1;
	long long t0, took;
	int ret;

	if (!(r->rsp_flags & (1U << 2)))
		return fail(r, "responder lacks CHAL_CAP");
	if (slot >= RQ_SLOTS || !r->chain[slot])
		return fail(r, "no chain of slot %u to verify with", slot);
	if (RAND_bytes(req + 4, NONCE_LEN) != 1)
		return fail(r, "no random bytes");
	if (r->version >= 0x13) {
		if (context)
			memcpy(req + 36, context, CONTEXT_LEN);
		else if (RAND_bytes(req + 36, CONTEXT_LEN) != 1)
			return fail(r, "no random bytes");
	}
	t0 = now_us();
	if (rq_request(r, req, req_len, RQ_CHALLENGE_AUTH))
		return -1;
	took = now_us() - t0;
	off = 4 + h + NONCE_LEN + sum_len;	/* OpaqueDataLength */
	if (r->rsp_len < off + 2)
		return fail(r, "truncated CHALLENGE_AUTH: %zu bytes", r->rsp_len);
	opaque = le16(r->rsp + off);
	if (opaque > MAX_OPAQUE)
		return fail(r, "CHALLENGE_AUTH OpaqueDataLength %zu", opaque);
	signed_len = off + 2 + opaque + (r->version >= 0x13 ? CONTEXT_LEN : 0);
	total = signed_len + r->sig_len;
	if (check_len(r, "CHALLENGE_AUTH", total))
		return -1;
	if ((r->version == 0x10 ? r->rsp[2] : r->rsp[2] & 0xf) != slot)
		return fail(r, "CHALLENGE_AUTH for slot %u, not %u",
			    r->rsp[2] & 0xf, slot);
	if (!(r->rsp[3] & (1U << slot)))
		return fail(r, "CHALLENGE_AUTH SlotMask 0x%02x lacks slot %u",
			    r->rsp[3], slot);
	if (hash_buf(r->hash, r->chain[slot], r->chain_len[slot], m) ||
	    memcmp(m, r->rsp + 4, h))
		return fail(r, "CHALLENGE_AUTH CertChainHash does not match the chain of slot %u",
			    slot);
	if (r->version >= 0x13 &&
	    memcmp(r->rsp + signed_len - CONTEXT_LEN, req + 36, CONTEXT_LEN))
		return fail(r, "CHALLENGE_AUTH RequesterContext is not ours");
	memcpy(r->last_nonce, r->rsp + 4 + h, NONCE_LEN);
	if (summary && sum_len)
		memcpy(summary, r->rsp + 4 + h + NONCE_LEN, sum_len);

	/* M1 = A || B || C as this requester saw it */
	msg_init(&m1);
	if (msg_put(&m1, r->a.data, r->a.len) ||
	    msg_put(&m1, r->b.data, r->b.len) ||
	    msg_put(&m1, req, req_len) || msg_put(&m1, r->rsp, signed_len)) {
		msg_free(&m1);
		return fail(r, "out of memory");
	}
	ret = rq_verify_transcript(r, slot, "responder-challenge_auth signing",
				   m1.data, m1.len, r->rsp + signed_len);
	msg_free(&m1);
	if (ret)
		return fail(r, "CHALLENGE_AUTH signature does not verify (SPDM %x.%x)",
			    r->version >> 4, r->version & 0xf);
	if (r->o.ct_check && took > (1LL << r->ct_exponent))
		return fail(r, "CHALLENGE_AUTH too slow: %lld us, CT is %llu us",
			    took, 1ULL << r->ct_exponent);
	/* completion of CHALLENGE: B and C start over, A stays */
	msg_reset(&r->b);
	r->challenged = true;
	return 0;
}

int rq_challenge(struct rq *r, unsigned int slot, const uint8_t *context)
{
	return rq_challenge_summary(r, slot, 0, context, NULL);
}

static uint32_t le24(const uint8_t *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
}

/* Walk the MeasurementRecord of r->rsp into @m->block[]. */
static int parse_blocks(struct rq *r, struct rq_meas *m, const uint8_t *rec,
			size_t rec_len)
{
	bool seen[256] = { false };
	size_t pos = 0, size, vsize;
	struct rq_meas_block *b;
	unsigned int n = 0;

	while (pos < rec_len) {
		if (rec_len - pos < 4)
			return fail(r, "MEASUREMENTS: truncated block header at record offset %zu (MeasurementRecordLength %zu)",
				    pos, rec_len);
		size = le16(rec + pos + 2);
		if (size > rec_len - pos - 4)
			return fail(r, "MEASUREMENTS: block %u MeasurementSize %zu overruns the MeasurementRecord",
				    n + 1, size);
		if (n == m->nr_blocks || n == RQ_MEAS_MAX_BLOCKS)
			return fail(r, "MEASUREMENTS: more blocks than NumberOfBlocks %u",
				    m->nr_blocks);
		b = &m->block[n++];
		b->index = rec[pos];
		b->spec = rec[pos + 1];
		b->block = rec + pos;
		b->block_len = 4 + size;
		if (!b->index || b->index == 0xff)
			return fail(r, "MEASUREMENTS: block Index %u", b->index);
		if (seen[b->index])
			return fail(r, "MEASUREMENTS: duplicate block Index %u",
				    b->index);
		seen[b->index] = true;
		if (b->spec != r->meas_spec)
			return fail(r, "MEASUREMENTS: block %u MeasurementSpecification 0x%02x, negotiated 0x%02x",
				    b->index, b->spec, r->meas_spec);
		if (size < 3)
			return fail(r, "MEASUREMENTS: block %u MeasurementSize %zu too small for a DMTF measurement",
				    b->index, size);
		b->type = rec[pos + 4];
		vsize = le16(rec + pos + 5);
		if (vsize != size - 3)
			return fail(r, "MEASUREMENTS: block %u DMTFSpecMeasurementValueSize %zu, MeasurementSize %zu",
				    b->index, vsize, size);
		if (!(b->type & RQ_MEAS_TYPE_RAW) &&
		    (!r->meas_hash_len || vsize != r->meas_hash_len))
			return fail(r, "MEASUREMENTS: block %u digest of %zu bytes, MeasurementHashAlgo 0x%x",
				    b->index, vsize, r->meas_hash);
		b->value = rec + pos + 7;
		b->value_len = vsize;
		pos += 4 + size;
	}
	if (n != m->nr_blocks)
		return fail(r, "MEASUREMENTS: NumberOfBlocks %u, but %u blocks in the record",
			    m->nr_blocks, n);
	return 0;
}

/*
 * GET_MEASUREMENTS with attributes @attrs (RQ_MEAS_SIG, RQ_MEAS_RAW) for
 * operation @op; @slot for the signature (1.1+), @context the 1.3
 * RequesterContext (NULL: random).  Checks every field of MEASUREMENTS;
 * @m points into r->rsp.  The signature is left to the caller, who keeps
 * L1/L2.
 */
/*
 * The GET_MEASUREMENTS @attrs for @op (@slot if signed, @context or a
 * random one from 1.3) as it goes on the wire, into m->req; @m cleared.
 */
int rq_meas_request(struct rq *r, uint8_t attrs, uint8_t op, uint8_t slot,
		    const uint8_t *context, struct rq_meas *m)
{
	bool sig = attrs & RQ_MEAS_SIG, ctx = r->version >= 0x13;
	uint8_t *req = m->req;

	memset(m, 0, sizeof(*m));
	req[0] = r->version;
	req[1] = RQ_GET_MEASUREMENTS;
	req[2] = attrs;
	req[3] = op;
	m->req_len = 4;
	if (sig) {
		if (RAND_bytes(req + 4, NONCE_LEN) != 1)
			return fail(r, "no random bytes");
		m->req_len += NONCE_LEN;
		if (r->version >= 0x11)
			req[m->req_len++] = slot;
	}
	if (ctx) {
		if (context)
			memcpy(req + m->req_len, context, CONTEXT_LEN);
		else if (RAND_bytes(req + m->req_len, CONTEXT_LEN) != 1)
			return fail(r, "no random bytes");
		m->req_len += CONTEXT_LEN;
	}
	return 0;
}

int rq_get_measurements(struct rq *r, uint8_t attrs, uint8_t op,
			uint8_t slot, const uint8_t *context, struct rq_meas *m)
{
	bool sig = attrs & RQ_MEAS_SIG, ctx = r->version >= 0x13;
	size_t rec_len, off, opaque, total;
	uint8_t *req = m->req, changed;

	memset(m, 0, sizeof(*m));
	if (!RQ_MEAS_CAP(r->rsp_flags))
		return fail(r, "responder lacks MEAS_CAP");
	if (rq_meas_request(r, attrs, op, slot, context, m) ||
	    rq_request(r, req, m->req_len, RQ_MEASUREMENTS))
		return -1;
	if (r->rsp_len < 8)
		return fail(r, "truncated MEASUREMENTS: %zu bytes", r->rsp_len);
	m->total = r->rsp[2];
	m->param2 = r->rsp[3];
	m->nr_blocks = r->rsp[4];
	rec_len = le24(r->rsp + 5);
	off = 8 + rec_len;
	if (r->rsp_len < off + NONCE_LEN + 2)
		return fail(r, "truncated MEASUREMENTS: %zu bytes, MeasurementRecordLength %zu",
			    r->rsp_len, rec_len);
	m->nonce = r->rsp + off;
	opaque = le16(r->rsp + off + NONCE_LEN);
	if (opaque > MAX_OPAQUE)
		return fail(r, "MEASUREMENTS OpaqueDataLength %zu", opaque);
	m->signed_len = off + NONCE_LEN + 2 + opaque + (ctx ? CONTEXT_LEN : 0);
	total = m->signed_len + (sig ? r->sig_len : 0);
	if (check_len(r, "MEASUREMENTS", total))
		return -1;
	if (parse_blocks(r, m, r->rsp + 8, rec_len))
		return -1;
	if (op == RQ_MEAS_OP_COUNT &&
	    (m->nr_blocks || rec_len || !m->total || m->total == 0xff))
		return fail(r, "MEASUREMENTS: %u indices, NumberOfBlocks %u, MeasurementRecordLength %zu for the count",
			    m->total, m->nr_blocks, rec_len);
	if (op != RQ_MEAS_OP_COUNT && op != RQ_MEAS_OP_ALL &&
	    (m->nr_blocks != 1 || m->block[0].index != op))
		return fail(r, "MEASUREMENTS: block Index %u (NumberOfBlocks %u), requested index %u",
			    m->block[0].index, m->nr_blocks, op);
	if (op == RQ_MEAS_OP_ALL && !m->nr_blocks)
		return fail(r, "MEASUREMENTS: no blocks for all indices");
	if (sig && r->version >= 0x11 && (m->param2 & 0xf) != slot)
		return fail(r, "MEASUREMENTS SlotID %u, requested %u",
			    m->param2 & 0xf, slot);
	changed = m->param2 & 0x30;
	if (r->version >= 0x12 && (sig ? changed == 0x30 : changed != 0))
		return fail(r, "MEASUREMENTS MeasurementContentChanged 0x%02x%s",
			    changed, sig ? " (reserved)" : " without a signature");
	if (ctx && memcmp(r->rsp + m->signed_len - CONTEXT_LEN,
			  req + m->req_len - CONTEXT_LEN, CONTEXT_LEN))
		return fail(r, "MEASUREMENTS RequesterContext is not ours");
	m->sig = sig ? r->rsp + m->signed_len : NULL;
	/* M1/M2 are reset to null: GET_MEASUREMENTS, CHALLENGE skipped */
	if (!r->challenged)
		msg_reset(&r->b);
	return 0;
}

/* VCA, DIGESTS, every provisioned chain, CHALLENGE for @slot. */
int rq_authenticate(struct rq *r, unsigned int slot)
{
	unsigned int s;

	if (rq_vca(r) || rq_get_digests(r))
		return -1;
	for (s = 0; s < RQ_SLOTS; s++)
		if ((r->provisioned & (1U << s)) && rq_get_certificate(r, s))
			return -1;
	return rq_challenge(r, slot, NULL);
}

bool rq_failed_with(const struct rq *r, const char *needle)
{
	return strstr(r->err, needle);
}

/* ---- secure sessions --------------------------------------------------- */

#define RANDOM_LEN	32
#define TAG_LEN		16
#define IV_LEN		12

static size_t hash_len_of(uint32_t hash)
{
	const EVP_MD *md = hash_md(hash);

	return md ? (size_t)EVP_MD_get_size(md) : 0;
}

static int hmac(uint32_t hash, const uint8_t *key, size_t key_len,
		const uint8_t *data, size_t len, uint8_t *out)
{
	unsigned int n;

	return HMAC(hash_md(hash), key, key_len, data, len, out, &n) ? 0 : -1;
}

/* RFC 5869 sec 2.2 */
int rq_hkdf_extract(uint32_t hash, const uint8_t *salt, size_t salt_len,
		    const uint8_t *ikm, size_t ikm_len, uint8_t *prk)
{
	return hmac(hash, salt, salt_len, ikm, ikm_len, prk);
}

/* RFC 5869 sec 2.3: T(i) = HMAC(PRK, T(i-1) || info || i) */
int rq_hkdf_expand(uint32_t hash, const uint8_t *prk, const uint8_t *info,
		   size_t info_len, uint8_t *out, size_t len)
{
	size_t h = hash_len_of(hash), done = 0, n;
	uint8_t t[64 + 256 + 1], block[64];
	uint8_t i = 1;

	if (info_len > 256)
		return -1;
	while (done < len) {
		n = 0;
		if (done) {
			memcpy(t, block, h);
			n = h;
		}
		memcpy(t + n, info, info_len);
		n += info_len;
		t[n++] = i++;
		if (hmac(hash, prk, h, t, n, block))
			return -1;
		n = len - done < h ? len - done : h;
		memcpy(out + done, block, n);
		done += n;
	}
	return 0;
}

/* HKDF-Expand(secret, BinConcat(len, "spdm1.N " label [ctx]), len) */
static int expand_label(struct rq *r, const uint8_t *secret, const char *label,
			const uint8_t *ctx, size_t len, uint8_t *out)
{
	uint8_t info[128];
	size_t n = 0;

	put16(info, len);
	n = 2;
	n += sprintf((char *)info + n, "spdm%u.%u ", r->version >> 4,
		     r->version & 0xf);
	memcpy(info + n, label, strlen(label));
	n += strlen(label);
	if (ctx) {
		memcpy(info + n, ctx, r->hash_len);
		n += r->hash_len;
	}
	return rq_hkdf_expand(r->hash, secret, info, n, out, len);
}

static size_t aead_key_len(uint16_t aead)
{
	return aead == RQ_AEAD_AES_128_GCM ? 16 : 32;
}

static const EVP_CIPHER *aead_cipher(uint16_t aead)
{
	switch (aead) {
	case RQ_AEAD_AES_128_GCM:	return EVP_aes_128_gcm();
	case RQ_AEAD_AES_256_GCM:	return EVP_aes_256_gcm();
	case RQ_AEAD_CHACHA20:		return EVP_chacha20_poly1305();
	}
	return NULL;
}

static int traffic(struct rq *r, struct rq_keys *k)
{
	k->seq = 0;
	return expand_label(r, k->secret, "key", NULL, aead_key_len(r->aead),
			    k->key) ||
	       expand_label(r, k->secret, "iv", NULL, IV_LEN, k->iv) ? -1 : 0;
}

/* AEAD with IV = iv XOR seq (64-bit little endian in bytes 0-7). */
static int aead(bool enc, uint16_t alg, const struct rq_keys *k,
		const uint8_t *aad, size_t aad_len, const uint8_t *in,
		size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t iv[IV_LEN], dummy[TAG_LEN];
	int n, ok, i;

	memcpy(iv, k->iv, IV_LEN);
	for (i = 0; i < 8; i++)
		iv[i] ^= (uint8_t)(k->seq >> (8 * i));
	if (!out)
		out = dummy;
	ok = ctx && aead_cipher(alg) &&
	     EVP_CipherInit_ex(ctx, aead_cipher(alg), NULL, NULL, NULL, enc) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, IV_LEN, NULL) &&
	     EVP_CipherInit_ex(ctx, NULL, NULL, k->key, iv, enc) &&
	     EVP_CipherUpdate(ctx, NULL, &n, aad, aad_len) &&
	     (!len || EVP_CipherUpdate(ctx, out, &n, in, len)) &&
	     (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_LEN,
					 tag)) &&
	     EVP_CipherFinal_ex(ctx, out + len, &n) > 0 &&
	     (!enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN,
					  tag));
	EVP_CIPHER_CTX_free(ctx);
	ERR_clear_error();
	return ok ? 0 : -1;
}

/*
 * DSP0277 record: SessionID (4) || SeqNum (@seq_len, LE) || Length (2)
 * || AEAD(ApplicationDataLength (2) || @msg) || MAC, or with @mac_only
 * || @msg || MAC.  @out gets *@out_len bytes.
 */
int rq_record_seal(uint16_t alg, bool mac_only, const struct rq_keys *k,
		   uint32_t id, size_t seq_len, const uint8_t *msg, size_t len,
		   uint8_t *out, size_t *out_len)
{
	size_t hdr = 4 + seq_len + 2, body = len + (mac_only ? 0 : 2), i;
	uint8_t plain[RQ_MAX_MSG];

	if (len + 2 > sizeof(plain))
		return -1;
	put32(out, id);
	for (i = 0; i < seq_len; i++)
		out[4 + i] = (uint8_t)(k->seq >> (8 * i));
	put16(out + hdr - 2, body + TAG_LEN);
	*out_len = hdr + body + TAG_LEN;
	if (mac_only) {
		memcpy(out + hdr, msg, len);
		return aead(true, alg, k, out, hdr + len, NULL, 0, NULL,
			    out + hdr + len);
	}
	put16(plain, len);
	memcpy(plain + 2, msg, len);
	return aead(true, alg, k, out, hdr, plain, body, out + hdr,
		    out + hdr + body);
}

/* Open the record in r->rsp with s->rsp; the SPDM message replaces it. */
static int record_open(struct rq *r, struct rq_session *s)
{
	static uint8_t plain[RQ_MAX_MSG];
	size_t len, body, app;

	if (r->rsp_len < 6 + TAG_LEN)
		return fail(r, "secured response of %zu bytes", r->rsp_len);
	if (le32(r->rsp) != s->id)
		return fail(r, "secured response for SessionID 0x%08x, ours is 0x%08x",
			    le32(r->rsp), s->id);
	len = le16(r->rsp + 4);
	if (len > r->rsp_len - 6 || r->rsp_len - 6 - len > 3 ||
	    len < TAG_LEN + (s->mac_only ? 0 : 2))
		return fail(r, "secured response Length %zu in %zu bytes",
			    len, r->rsp_len);
	body = len - TAG_LEN;
	if (s->mac_only) {
		if (aead(false, r->aead, &s->rsp, r->rsp, 6 + body, NULL, 0,
			 NULL, r->rsp + 6 + body))
			return fail(r, "secured response MAC does not verify (sequence number %llu)",
				    (unsigned long long)s->rsp.seq);
		memmove(r->rsp, r->rsp + 6, body);
		r->rsp_len = body;
	} else {
		if (aead(false, r->aead, &s->rsp, r->rsp, 6, r->rsp + 6, body,
			 plain, r->rsp + 6 + body))
			return fail(r, "secured response MAC does not verify (sequence number %llu)",
				    (unsigned long long)s->rsp.seq);
		app = le16(plain);
		if (app > body - 2)
			return fail(r, "secured response ApplicationDataLength %zu beyond %zu",
				    app, body - 2);
		memcpy(r->rsp, plain + 2, app);
		r->rsp_len = app;
	}
	s->rsp.seq++;
	return 0;
}

/* One secured exchange: @req in session @s, the plain response in r->rsp. */
static int secured_xchg(struct rq *r, struct rq_session *s,
			const uint8_t *req, size_t len)
{
	static uint8_t rec[RQ_MAX_MSG + 64];
	size_t rec_len;

	if (rq_record_seal(r->aead, s->mac_only, &s->req, s->id, 0, req, len,
			   rec, &rec_len))
		return fail(r, "cannot seal the request");
	s->req.seq++;
	if (rq_doe_xchg(r, 2, rec, rec_len, &s->rsp_type))
		return -1;
	if (s->rsp_type != 2) {
		if (r->rsp_len >= 4 && r->rsp[1] == RQ_ERROR) {
			r->error_code = r->rsp[2];
			return fail(r, "response in the clear: ERROR %s (0x%02x)",
				    error_name(r->rsp[2]), r->rsp[2]);
		}
		return fail(r, "response in the clear (DOE type %u) to a secured request",
			    s->rsp_type);
	}
	if (record_open(r, s))
		return -1;
	if (r->rsp_len < 4)
		return fail(r, "truncated secured response: %zu bytes", r->rsp_len);
	return 0;
}

/*
 * Send @req in session @s and expect response @code (secured, MAC
 * checked, exact SPDM header); the plain response is in r->rsp.
 */
int rq_secured(struct rq *r, struct rq_session *s, const uint8_t *req,
	       size_t len, uint8_t code)
{
	r->error_code = 0;
	if (secured_xchg(r, s, req, len))
		return -1;
	if (r->rsp[1] == RQ_ERROR && chunks_wanted(r, r->rsp[2]) &&
	    fetch_chunks(r, s))
		return -1;
	if (r->rsp[1] == RQ_ERROR) {
		r->error_code = r->rsp[2];
		r->error_data = r->rsp[3];
		return fail(r, "ERROR %s (0x%02x, data 0x%02x)",
			    error_name(r->rsp[2]), r->rsp[2], r->rsp[3]);
	}
	if (r->rsp[0] != req[0] || r->rsp[1] != code)
		return fail(r, "secured response version 0x%02x code 0x%02x, expected 0x%02x 0x%02x",
			    r->rsp[0], r->rsp[1], req[0], code);
	return 0;
}

static const char *group_of(uint16_t dhe)
{
	return dhe == RQ_DHE_SECP256R1 ? "P-256" :
	       dhe == RQ_DHE_SECP384R1 ? "P-384" : NULL;
}

/* ECDH: our key pair (X || Y to @pub); later the peer's point. */
static EVP_PKEY *ecdh_key(uint16_t dhe, uint8_t *pub, size_t d)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group_of(dhe));
	uint8_t pt[1 + 132];
	size_t n;

	if (!k || !EVP_PKEY_get_octet_string_param(k, "encoded-pub-key", pt,
						   sizeof(pt), &n) ||
	    n != d + 1) {
		EVP_PKEY_free(k);
		return NULL;
	}
	memcpy(pub, pt + 1, d);
	return k;
}

static int ecdh_shared(EVP_PKEY *ours, uint16_t dhe, const uint8_t *xy,
		       size_t d, uint8_t *shared, size_t *shared_len)
{
	EVP_PKEY *peer = EVP_PKEY_new();
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t pt[1 + 132];
	int ok;

	pt[0] = 4;
	memcpy(pt + 1, xy, d);
	ok = peer && EVP_PKEY_copy_parameters(peer, ours) &&
	     EVP_PKEY_set1_encoded_public_key(peer, pt, d + 1) &&
	     (ctx = EVP_PKEY_CTX_new(ours, NULL)) &&
	     EVP_PKEY_derive_init(ctx) > 0 &&
	     EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) > 0 &&
	     EVP_PKEY_derive(ctx, shared, shared_len) > 0;
	(void)dhe;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	ERR_clear_error();
	return ok ? 0 : -1;
}

static int th_add(struct rq *r, struct rq_session *s, const void *p, size_t n)
{
	if (msg_put(&s->th, p, n))
		return fail(r, "out of memory");
	return 0;
}

static int th_hash(struct rq *r, struct rq_session *s, uint8_t *out)
{
	return hash_buf(r->hash, s->th.data, s->th.len, out) ?
	       fail(r, "hash failed") : 0;
}

void rq_session_free(struct rq_session *s)
{
	msg_free(&s->th);
	memset(s, 0, sizeof(*s));
}

/* OpaqueData listing DSP0277 1.0, 1.1 and 1.2 (@v12: 1.2+ format). */
static size_t opaque_supported(uint8_t *o, bool v12)
{
	static const uint8_t elem[] = {
		0, 0, 9, 0,			/* DMTF, VendorLen, DataLen 9 */
		1, 1, 3, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12, /* list */
		0, 0, 0,			/* padding */
	};
	size_t n;

	memset(o, 0, 8);
	if (v12) {
		o[0] = 1;
		n = 4;
	} else {
		put32(o, 0x444d5446);
		o[4] = 1;
		o[5] = 1;
		n = 8;
	}
	memcpy(o + n, elem, sizeof(elem));
	return n + sizeof(elem);
}

/* Parse the responder's version selection; 0 if there is none. */
static int opaque_selected(struct rq *r, const uint8_t *o, size_t len,
			   uint16_t *sel)
{
	size_t hdr = r->version >= 0x12 ? 4 : 8;
	const uint8_t *e = o + hdr;

	*sel = 0;
	if (!len)
		return 0;
	if (len != hdr + 8 || (r->version < 0x12 &&
			       (le32(o) != 0x444d5446 || o[4] != 1 || o[5] != 1)) ||
	    (r->version >= 0x12 && o[0] != 1) || e[0] || e[1] ||
	    le16(e + 2) != 4 || e[4] != 1 || e[5] != 0)
		return fail(r, "KEY_EXCHANGE_RSP OpaqueData is no version selection");
	*sel = le16(e + 6);
	if (*sel != 0x1000 && *sel != 0x1100 && *sel != 0x1200)
		return fail(r, "KEY_EXCHANGE_RSP selects secured message version 0x%04x, not offered",
			    *sel);
	return 0;
}

/*
 * KEY_EXCHANGE for @slot (whose chain must have been read) asking for
 * MeasurementSummaryHash @summary_type; checks the signature over TH1
 * and ResponderVerifyData and derives the handshake keys.
 */
int rq_key_exchange(struct rq *r, struct rq_session *s, unsigned int slot,
		    uint8_t summary_type, uint16_t req_id)
{
	size_t d = r->dhe == RQ_DHE_SECP384R1 ? 96 : 64, h = r->hash_len;
	size_t req_len, off, opaque, sig_off, total, shared_len = 48;
	uint8_t req[40 + 96 + 2 + 32], shared[48], zero[64] = { 0 };
	uint8_t chain_hash[64], th[64], mac[64];
	EVP_PKEY *key;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	msg_init(&s->th);
	s->slot = slot;
	s->req_id = req_id;
	if (!group_of(r->dhe) || !r->aead || r->key_sched != 1)
		return fail(r, "no DHE/AEAD/KeySchedule negotiated (0x%x 0x%x 0x%x)",
			    r->dhe, r->aead, r->key_sched);
	if (slot >= RQ_SLOTS || !r->chain[slot])
		return fail(r, "no chain of slot %u", slot);
	s->clear = r->o.flags & r->rsp_flags & RQ_CAP_HS_CLEAR;
	s->mac_only = !(r->o.flags & r->rsp_flags & RQ_CAP_ENCRYPT);
	req[0] = r->version;
	req[1] = RQ_KEY_EXCHANGE;
	req[2] = summary_type;
	req[3] = slot;
	put16(req + 4, req_id);
	req[6] = 0;			/* SessionPolicy (1.2+) */
	req[7] = 0;
	if (RAND_bytes(req + 8, RANDOM_LEN) != 1)
		return fail(r, "no random bytes");
	key = ecdh_key(r->dhe, req + 40, d);
	if (!key)
		return fail(r, "cannot make an ECDH key");
	opaque = opaque_supported(req + 40 + d + 2, r->version >= 0x12);
	put16(req + 40 + d, opaque);
	req_len = 40 + d + 2 + opaque;
	if (rq_request(r, req, req_len, RQ_KEY_EXCHANGE_RSP))
		goto out;
	if (r->rsp_len < 40 + d)
		goto truncated;
	s->heartbeat_period = r->rsp[2];
	s->rsp_id = le16(r->rsp + 4);
	/*
	 * DSP0274: ReqSessionID || RspSessionID, ReqSessionID first on
	 * the wire (bytes 0-1 of the little-endian DSP0277 header)
	 */
	s->id = (uint32_t)s->rsp_id << 16 | req_id;
	if (r->rsp[6] || r->rsp[7]) {
		fail(r, "KEY_EXCHANGE_RSP asks for mutual authentication");
		goto out;
	}
	off = 40 + d;
	if (summary_type) {
		memcpy(s->summary, r->rsp + off, h);
		off += h;
	}
	if (r->rsp_len < off + 2)
		goto truncated;
	opaque = le16(r->rsp + off);
	sig_off = off + 2 + opaque;
	total = sig_off + r->sig_len + (s->clear ? 0 : h);
	if (check_len(r, "KEY_EXCHANGE_RSP", total) ||
	    opaque_selected(r, r->rsp + off + 2, opaque, &s->secured_version))
		goto out;
	if (ecdh_shared(key, r->dhe, r->rsp + 40, d, shared, &shared_len)) {
		fail(r, "KEY_EXCHANGE_RSP ExchangeData is no curve point");
		goto out;
	}
	/* TH = VCA || Hash(CertChain) || KEY_EXCHANGE || KEY_EXCHANGE_RSP */
	if (hash_buf(r->hash, r->chain[slot], r->chain_len[slot], chain_hash) ||
	    th_add(r, s, r->a.data, r->a.len) || th_add(r, s, chain_hash, h) ||
	    th_add(r, s, req, req_len) || th_add(r, s, r->rsp, sig_off))
		goto out;
	if (rq_verify_transcript(r, slot, "responder-key_exchange_rsp signing",
				 s->th.data, s->th.len, r->rsp + sig_off)) {
		fail(r, "KEY_EXCHANGE_RSP signature over TH1 does not verify (SPDM %x.%x)",
		     r->version >> 4, r->version & 0xf);
		goto out;
	}
	if (th_add(r, s, r->rsp + sig_off, r->sig_len) || th_hash(r, s, s->th1))
		goto out;
	if (rq_hkdf_extract(r->hash, zero, h, shared, shared_len,
			    s->handshake_secret) ||
	    expand_label(r, s->handshake_secret, "req hs data", s->th1, h,
			 s->req.secret) ||
	    expand_label(r, s->handshake_secret, "rsp hs data", s->th1, h,
			 s->rsp.secret) ||
	    expand_label(r, s->req.secret, "finished", NULL, h,
			 s->req_finished) ||
	    expand_label(r, s->rsp.secret, "finished", NULL, h,
			 s->rsp_finished) ||
	    traffic(r, &s->req) || traffic(r, &s->rsp)) {
		fail(r, "key schedule failed");
		goto out;
	}
	if (!s->clear) {
		if (hmac(r->hash, s->rsp_finished, h, s->th1, h, mac) ||
		    CRYPTO_memcmp(mac, r->rsp + sig_off + r->sig_len, h)) {
			fail(r, "KEY_EXCHANGE_RSP ResponderVerifyData does not match");
			goto out;
		}
		if (th_add(r, s, mac, h))
			goto out;
	}
	ret = 0;
	goto out;
truncated:
	fail(r, "truncated KEY_EXCHANGE_RSP: %zu bytes", r->rsp_len);
out:
	(void)th;
	EVP_PKEY_free(key);
	OPENSSL_cleanse(shared, sizeof(shared));
	return ret;
}

/*
 * FINISH_RSP in r->rsp: its size without ResponderVerifyData to *@len
 * (1.4: the header and the opaque fields).
 */
static int finish_rsp_len(struct rq *r, struct rq_session *s, size_t *len)
{
	size_t h = r->hash_len, opaque = 0;

	*len = 4;
	if (r->version >= 0x14) {
		if (r->rsp_len < 6)
			return fail(r, "FINISH_RSP of %zu bytes lacks OpaqueDataLength",
				    r->rsp_len);
		opaque = le16(r->rsp + 4);
		if (opaque > MAX_OPAQUE || r->rsp_len < 6 + opaque)
			return fail(r, "FINISH_RSP OpaqueDataLength %zu in %zu bytes",
				    opaque, r->rsp_len);
		*len = 6 + opaque;
	}
	return check_len(r, "FINISH_RSP", *len + (s->clear ? h : 0));
}

/*
 * FINISH (in the session, or in the clear), then the data keys.  1.4:
 * OpaqueDataLength and o.finish_opaque bytes of OpaqueData after the
 * header, part of the transcript like the rest.
 */
int rq_finish(struct rq *r, struct rq_session *s)
{
	size_t h = r->hash_len, len = 4, rsp_len;
	uint8_t req[4 + 2 + MAX_OPAQUE + 64] = { r->version, RQ_FINISH, 0, 0 };
	uint8_t th[64], mac[64], zero[64] = { 0 }, salt1[64], master[64];
	int ret;

	if (r->version >= 0x14) {
		if (r->o.finish_opaque > MAX_OPAQUE)
			return fail(r, "FINISH OpaqueDataLength %u too large",
				    r->o.finish_opaque);
		put16(req + 4, r->o.finish_opaque);
		memset(req + 6, 0x5a, r->o.finish_opaque);
		len = 6 + r->o.finish_opaque;
	}
	if (th_add(r, s, req, len) || th_hash(r, s, th) ||
	    hmac(r->hash, s->req_finished, h, th, h, req + len) ||
	    th_add(r, s, req + len, h))
		return fail(r, "cannot compute RequesterVerifyData");
	ret = s->clear ? rq_request(r, req, len + h, RQ_FINISH_RSP) :
			 rq_secured(r, s, req, len + h, RQ_FINISH_RSP);
	if (ret)
		return -1;
	if (finish_rsp_len(r, s, &rsp_len) || th_add(r, s, r->rsp, rsp_len))
		return -1;
	if (s->clear) {
		if (th_hash(r, s, th) ||
		    hmac(r->hash, s->rsp_finished, h, th, h, mac) ||
		    CRYPTO_memcmp(mac, r->rsp + rsp_len, h))
			return fail(r, "FINISH_RSP ResponderVerifyData does not match");
		if (th_add(r, s, mac, h))
			return -1;
	}
	if (th_hash(r, s, s->th2) ||
	    expand_label(r, s->handshake_secret, "derived", NULL, h, salt1) ||
	    rq_hkdf_extract(r->hash, salt1, h, zero, h, master) ||
	    expand_label(r, master, "req app data", s->th2, h, s->req.secret) ||
	    expand_label(r, master, "rsp app data", s->th2, h, s->rsp.secret) ||
	    traffic(r, &s->req) || traffic(r, &s->rsp))
		return fail(r, "key schedule failed");
	s->established = true;
	return 0;
}

/* Digests, certificates, KEY_EXCHANGE and FINISH for @slot. */
int rq_session_start(struct rq *r, struct rq_session *s, unsigned int slot)
{
	uint16_t id;

	if (!r->chain[slot] &&
	    (rq_get_digests(r) || rq_get_certificate(r, slot)))
		return -1;
	if (RAND_bytes((uint8_t *)&id, sizeof(id)) != 1)
		return fail(r, "no random bytes");
	if (rq_key_exchange(r, s, slot, 0, id))
		return -1;
	return rq_finish(r, s);
}

int rq_heartbeat(struct rq *r, struct rq_session *s)
{
	uint8_t req[4] = { r->version, RQ_HEARTBEAT, 0, 0 };

	return rq_secured(r, s, req, 4, RQ_HEARTBEAT_ACK) ?:
	       check_len(r, "HEARTBEAT_ACK", 4);
}

/* One KEY_UPDATE operation @op; keys move as DSP0274 says. */
int rq_key_update(struct rq *r, struct rq_session *s, uint8_t op)
{
	uint8_t req[4] = { r->version, RQ_KEY_UPDATE, op, ++s->tag };
	struct rq_keys old_rsp = s->rsp;
	uint8_t next[64];

	/* UpdateAllKeys: the ACK already comes with the new response keys */
	if (op == RQ_KU_UPDATE_ALL &&
	    (expand_label(r, s->rsp.secret, "traffic upd", NULL, r->hash_len,
			  next) ||
	     (memcpy(s->rsp.secret, next, r->hash_len), traffic(r, &s->rsp))))
		return fail(r, "key update failed");
	if (rq_secured(r, s, req, 4, RQ_KEY_UPDATE_ACK) ||
	    check_len(r, "KEY_UPDATE_ACK", 4)) {
		if (op == RQ_KU_UPDATE_ALL && s->rsp.seq == 0)
			s->rsp = old_rsp;
		return -1;
	}
	if (r->rsp[2] != op || r->rsp[3] != req[3])
		return fail(r, "KEY_UPDATE_ACK operation %u tag %u, sent %u %u",
			    r->rsp[2], r->rsp[3], op, req[3]);
	if (op == RQ_KU_UPDATE_KEY || op == RQ_KU_UPDATE_ALL) {
		if (expand_label(r, s->req.secret, "traffic upd", NULL,
				 r->hash_len, next))
			return fail(r, "key update failed");
		memcpy(s->req.secret, next, r->hash_len);
		if (traffic(r, &s->req))
			return fail(r, "key update failed");
	}
	return 0;
}

int rq_end_session(struct rq *r, struct rq_session *s)
{
	uint8_t req[4] = { r->version, RQ_END_SESSION, 0, 0 };

	if (rq_secured(r, s, req, 4, RQ_END_SESSION_ACK) ||
	    check_len(r, "END_SESSION_ACK", 4))
		return -1;
	s->established = false;
	return 0;
}
