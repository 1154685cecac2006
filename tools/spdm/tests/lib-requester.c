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
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lib-requester.h"
#include "log.h"

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

/* One DOE exchange; the response (with DOE padding) lands in r->rsp. */
int rq_xchg(struct rq *r, const void *req, size_t len)
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
	put32(frame + SOCK_HDR, 0x00010001);	/* PCI-SIG, CMA/SPDM */
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
	if (le32(hdr + SOCK_HDR) != 0x00010001 ||
	    (le32(hdr + SOCK_HDR + 4) & 0x3ffff) * 4 != size)
		return fail(r, "bad DOE header");
	r->rsp_len = size - DOE_HDR;
	return 0;
}

static const char *error_name(uint8_t code)
{
	switch (code) {
	case RQ_ERR_INVALID_REQUEST:	return "InvalidRequest";
	case RQ_ERR_BUSY:		return "Busy";
	case RQ_ERR_UNEXPECTED:		return "UnexpectedRequest";
	case RQ_ERR_UNSPECIFIED:	return "Unspecified";
	case RQ_ERR_UNSUPPORTED:	return "UnsupportedRequest";
	case RQ_ERR_TOO_LARGE:		return "ResponseTooLarge";
	case RQ_ERR_VERSION_MISMATCH:	return "VersionMismatch";
	case RQ_ERR_NOT_READY:		return "ResponseNotReady";
	case RQ_ERR_RESYNCH:		return "RequestResynch";
	}
	return "?";
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

/* The response must be @exact bytes long plus DOE zero padding only. */
static int check_len(struct rq *r, const char *what, size_t exact)
{
	size_t padded = (exact + 3) & ~(size_t)3, i;

	if (r->rsp_len < exact)
		return fail(r, "truncated %s: %zu bytes, expected %zu", what,
			    r->rsp_len, exact);
	if (r->rsp_len != padded)
		return fail(r, "overlong %s: %zu bytes, expected %zu", what,
			    r->rsp_len, exact);
	for (i = exact; i < padded; i++)
		if (r->rsp[i])
			return fail(r, "overlong %s: data after %zu bytes",
				    what, exact);
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
	put32(req + 16, r->o.dts);
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

int rq_negotiate_algorithms(struct rq *r)
{
	static const uint16_t struct_bits[4] = { 0x0018, 0x0002, 0x0010, 0x0001 };
	unsigned int ns = r->version >= 0x11 ? r->o.alg_structs : 0, nr, i, j;
	size_t req_len = 32 + 4 * ns, len;
	uint8_t req[48] = { r->version, RQ_NEGOTIATE_ALGS, ns, 0 };
	const uint8_t *st;
	bool found;

	put16(req + 4, req_len);
	req[6] = 0x01;				/* MeasurementSpecification DMTF */
	if (r->version >= 0x12)
		req[7] = r->o.other_params;
	put32(req + 8, r->o.asym);
	put32(req + 12, r->o.hash);
	for (i = 0; i < ns; i++) {
		req[32 + 4 * i] = 2 + i;	/* DHE, AEAD, ReqBaseAsym, KeySched */
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
	for (i = 0; i < nr; i++) {
		st = r->rsp + 36 + 4 * i;
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
	/* no signing capability: no BaseAsymSel needed */
	if (popcount(r->asym) > 1 || popcount(r->hash) != 1 ||
	    (!r->asym && (r->rsp_flags & 6)))
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
	r->sig_len = asym_sig_len(r->asym);
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
 * Hash(@t).
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
		if (!hash_buf(r->hash, t, len, m + PREFIX_LEN))
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
int rq_get_measurements(struct rq *r, uint8_t attrs, uint8_t op,
			uint8_t slot, const uint8_t *context, struct rq_meas *m)
{
	bool sig = attrs & RQ_MEAS_SIG, ctx = r->version >= 0x13;
	size_t rec_len, off, opaque, total;
	uint8_t *req = m->req, changed;

	memset(m, 0, sizeof(*m));
	if (!RQ_MEAS_CAP(r->rsp_flags))
		return fail(r, "responder lacks MEAS_CAP");
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
	if (rq_request(r, req, m->req_len, RQ_MEASUREMENTS))
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
