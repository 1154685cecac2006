// SPDX-License-Identifier: GPL-2.0
/*
 * Structure-aware fuzzing of the SPDM requester (KUnit suite spdm-fuzz).
 *
 * A fake device answers every request of an authentication with a
 * well-formed response (SPDM 1.2, ECDSA P-256, SHA-256, the chain of
 * test-certs.h).  In each run one response is damaged with a seeded PRNG
 * (bit flips, length fields at 0, maximum and off by one, truncation at
 * every offset, extension, swapped and repeated fields, another version
 * or response code, an ERROR instead, a replay of the previous response)
 * and the device is authenticated through the library's entry points, so
 * that each parser meets the damage in context and hands on what it
 * accepted: VERSION, CAPABILITIES, ALGORITHMS, DIGESTS, CERTIFICATE and
 * the X.509 chain behind it, CHALLENGE_AUTH, ERROR (Busy,
 * ResponseNotReady, LargeResponse, RequestResynch, ...) and
 * CHUNK_RESPONSE.  The kernel holds no signing key, so CHALLENGE_AUTH
 * never carries a valid signature and no run may end authenticated.
 * MEASUREMENTS, KEY_EXCHANGE_RSP with its opaque data, and
 * secured-message records go to their parsers directly: the offsets they
 * return must stay inside the message, and a record whose authenticated
 * bytes changed must never open.
 *
 * Module parameters: seed (0: a random one; printed either way) and scale
 * (runs per target in percent of the default, 100; e.g. scale=100000 for
 * a run of hours).  A sanitizer report (KASAN fails the running test) or
 * a broken invariant fails the test case and prints the damaged input as
 * hex; such inputs join spdm_fuzz_regress[], replayed in every run.
 */

#include <crypto/aead.h>
#include <crypto/sha2.h>
#include <keys/asymmetric-type.h>
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/moduleparam.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/spdm.h>
#include <linux/unaligned.h>

#include "requests.h"
#include "session.h"
#include "state.h"
#include "test-certs.h"
#include "wire.h"

static ulong seed;
module_param(seed, ulong, 0444);
MODULE_PARM_DESC(seed, "seed of the fuzzer's PRNG (0: a random one)");

static uint scale = 100;
module_param(scale, uint, 0444);
MODULE_PARM_DESC(scale, "runs per target in percent of the default");

#define SPDM_FUZZ_BUF		4096
#define SPDM_FUZZ_HASH		SHA256_DIGEST_SIZE
#define SPDM_FUZZ_SIG		64	/* ECDSA P-256 */
#define SPDM_FUZZ_DHE		64	/* secp256r1 */
#define SPDM_FUZZ_FIELDS	8
#define SPDM_FUZZ_HANDLE	0x5a
/* Our DataTransferSize: CHALLENGE_AUTH comes in chunks below this */
#define SPDM_FUZZ_SMALL_DTS	100

/* A field of a message a mutation may set to a boundary value */
struct spdm_fuzz_field {
	u16 off;
	u8 size;
};

struct spdm_fuzz_msg {
	u8 data[SPDM_FUZZ_BUF];
	size_t len;
	struct spdm_fuzz_field field[SPDM_FUZZ_FIELDS];
	unsigned int nr_fields;
};

/**
 * struct spdm_fuzz_regress - a damaged response kept as a regression case
 * @name: what it is
 * @target: request it answers
 * @nth: the how-manyth response to @target it replaces
 * @data: the response
 * @len: size of @data
 */
struct spdm_fuzz_regress {
	const char *name;
	u8 target;
	unsigned int nth;
	u8 data[192];
	size_t len;
};

/**
 * struct spdm_fuzz - the fake device and the fuzzer's state
 * @test: the running test
 * @rnd: the PRNG, seeded from @seed
 * @chain: certificate chain of slot 0 (DSP0274 table 33)
 * @chain_len: size of @chain
 * @chain_digest: SHA-256 of @chain
 * @req_dts: DataTransferSize of GET_CAPABILITIES, 0 before SPDM 1.2
 * @target: request whose response is damaged, 0: none
 * @nth: the how-manyth response to @target is damaged
 * @seen: responses to @target so far
 * @sweep: truncate the damaged response here if it is shorter, else -1
 * @damaged: the response was damaged in this run
 * @fixed: a regression input sent instead of the response, or %NULL
 * @challenges: CHALLENGE_AUTH responses sent in this run
 * @state: the SPDM state of the fake device
 * @last_req: the request RESPOND_IF_READY stands for
 * @last_req_sz: its size
 * @msg: the response being built
 * @prev: the previous response sent (for replays)
 * @input: the damaged response, for the report
 * @input_len: size of @input
 * @how: the mutation that made @input
 * @large: a response sent in chunks
 * @large_len: size of @large, 0 if none is pending
 * @large_off: bytes of @large sent
 */
struct spdm_fuzz {
	struct kunit *test;
	struct rnd_state rnd;
	u8 chain[2048];
	size_t chain_len;
	u8 chain_digest[SPDM_FUZZ_HASH];
	u32 req_dts;
	u8 target;
	unsigned int nth, seen;
	int sweep;
	bool damaged;
	const struct spdm_fuzz_regress *fixed;
	unsigned int challenges;
	struct spdm_state *state;
	u8 last_req[64];
	size_t last_req_sz;
	struct spdm_fuzz_msg msg, prev;
	u8 input[SPDM_FUZZ_BUF];
	size_t input_len;
	const char *how;
	u8 large[SPDM_FUZZ_BUF];
	size_t large_len, large_off;
};

static u32 spdm_fuzz_rand(struct spdm_fuzz *f, u32 n)
{
	return n ? prandom_u32_state(&f->rnd) % n : 0;
}

/* ---- The fake device ---------------------------------------------------- */

static void spdm_fuzz_put(struct spdm_fuzz_msg *m, const void *p, size_t n)
{
	memcpy(m->data + m->len, p, n);
	m->len += n;
}

static void spdm_fuzz_field(struct spdm_fuzz_msg *m, size_t off, u8 size)
{
	if (m->nr_fields < SPDM_FUZZ_FIELDS)
		m->field[m->nr_fields++] = (struct spdm_fuzz_field){ off, size };
}

static void spdm_fuzz_hdr(struct spdm_fuzz_msg *m, u8 ver, u8 code, u8 p1,
			  u8 p2)
{
	u8 hdr[] = { ver, code, p1, p2 };

	m->len = 0;
	m->nr_fields = 0;
	spdm_fuzz_put(m, hdr, sizeof(hdr));
	spdm_fuzz_field(m, 2, 1);
	spdm_fuzz_field(m, 3, 1);
}

static void spdm_fuzz_version(struct spdm_fuzz_msg *m)
{
	static const u8 body[] = { 0, 3, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12 };

	spdm_fuzz_hdr(m, SPDM_VER_10, SPDM_VERSION, 0, 0);
	spdm_fuzz_put(m, body, sizeof(body));
	spdm_fuzz_field(m, 5, 1);
}

static void spdm_fuzz_capabilities(struct spdm_fuzz *f, const u8 *req,
				   size_t req_sz, struct spdm_fuzz_msg *m)
{
	struct spdm_capabilities rsp = {
		.version = req[0],
		.code = SPDM_CAPABILITIES,
		.ctexponent = 10,
		.flags = cpu_to_le32(SPDM_CERT_CAP | SPDM_CHAL_CAP |
				     FIELD_PREP(SPDM_MEAS_CAP_MASK,
						SPDM_MEAS_CAP_SIG) |
				     SPDM_CHUNK_CAP),
		.data_transfer_size = cpu_to_le32(SPDM_FUZZ_SMALL_DTS),
		.max_spdm_msg_size = cpu_to_le32(SZ_64K),
	};

	f->req_dts = req_sz >= sizeof(rsp) ?
		     get_unaligned_le32(req + 12) : 0;
	spdm_fuzz_hdr(m, req[0], SPDM_CAPABILITIES, 0, 0);
	m->len = 0;
	spdm_fuzz_put(m, &rsp, sizeof(rsp));
	spdm_fuzz_field(m, 5, 1);
	spdm_fuzz_field(m, 8, 4);
	spdm_fuzz_field(m, 12, 4);
	spdm_fuzz_field(m, 16, 4);
}

static void spdm_fuzz_algorithms(const u8 *req, struct spdm_fuzz_msg *m)
{
	struct spdm_negotiate_algs_rsp rsp = {
		.version = req[0],
		.code = SPDM_ALGORITHMS,
		.length = cpu_to_le16(sizeof(rsp)),
		.measurement_specification_sel = SPDM_MEAS_SPEC_DMTF,
		.other_params_sel = SPDM_OPAQUE_DATA_FMT_GENERAL,
		.measurement_hash_algo = cpu_to_le32(SPDM_MEAS_HASH_SHA_256),
		.base_asym_sel = cpu_to_le32(SPDM_ASYM_ECDSA_ECC_NIST_P256),
		.base_hash_sel = cpu_to_le32(SPDM_HASH_SHA_256),
	};

	spdm_fuzz_hdr(m, req[0], SPDM_ALGORITHMS, 0, 0);
	m->len = 0;
	spdm_fuzz_put(m, &rsp, sizeof(rsp));
	spdm_fuzz_field(m, 4, 2);
	spdm_fuzz_field(m, 6, 1);
	spdm_fuzz_field(m, 12, 4);
	spdm_fuzz_field(m, 16, 4);
	spdm_fuzz_field(m, 32, 1);
	spdm_fuzz_field(m, 33, 1);
}

static void spdm_fuzz_certificate(struct spdm_fuzz *f, const u8 *req,
				  struct spdm_fuzz_msg *m)
{
	size_t off = get_unaligned_le16(req + 4);
	size_t len = get_unaligned_le16(req + 6);
	__le16 portion, remainder;

	if (off > f->chain_len) {
		spdm_fuzz_hdr(m, req[0], SPDM_ERROR,
			      SPDM_ERR_INVALID_REQUEST, 0);
		return;
	}
	len = min(len, f->chain_len - off);
	portion = cpu_to_le16(len);
	remainder = cpu_to_le16(f->chain_len - off - len);
	spdm_fuzz_hdr(m, req[0], SPDM_CERTIFICATE, req[2] & SPDM_SLOT_ID_MASK,
		      0);
	spdm_fuzz_put(m, &portion, sizeof(portion));
	spdm_fuzz_put(m, &remainder, sizeof(remainder));
	spdm_fuzz_put(m, f->chain + off, len);
	spdm_fuzz_field(m, 4, 2);
	spdm_fuzz_field(m, 6, 2);
	if (!off) {
		/* the chain's Length, the root certificate's DER length */
		spdm_fuzz_field(m, 8, 2);
		spdm_fuzz_field(m, 8 + 4 + SPDM_FUZZ_HASH + 2, 2);
	}
}

static void spdm_fuzz_challenge_auth(struct spdm_fuzz *f, const u8 *req,
				     size_t req_sz, struct spdm_fuzz_msg *m)
{
	u8 rnd[SPDM_NONCE_SZ + SPDM_FUZZ_HASH + SPDM_FUZZ_SIG];
	__le16 opaque_len = 0;

	prandom_bytes_state(&f->rnd, rnd, sizeof(rnd));
	spdm_fuzz_hdr(m, req[0], SPDM_CHALLENGE_AUTH,
		      req[2] & SPDM_SLOT_ID_MASK, BIT(0));
	spdm_fuzz_put(m, f->chain_digest, SPDM_FUZZ_HASH);
	spdm_fuzz_put(m, rnd, SPDM_NONCE_SZ);
	if (req[3] != SPDM_MEAS_SUMMARY_NONE)
		spdm_fuzz_put(m, rnd + SPDM_NONCE_SZ, SPDM_FUZZ_HASH);
	spdm_fuzz_field(m, m->len, 2);
	spdm_fuzz_put(m, &opaque_len, sizeof(opaque_len));
	if (req[0] >= SPDM_VER_13 && req_sz >= 4 + SPDM_NONCE_SZ +
					      SPDM_REQ_CONTEXT_SZ)
		spdm_fuzz_put(m, req + 4 + SPDM_NONCE_SZ, SPDM_REQ_CONTEXT_SZ);
	/* not a signature of anything */
	spdm_fuzz_put(m, rnd + SPDM_NONCE_SZ + SPDM_FUZZ_HASH, SPDM_FUZZ_SIG);
	f->challenges++;
}

/* The well-formed response to @req */
static void spdm_fuzz_respond(struct spdm_fuzz *f, const u8 *req,
			      size_t req_sz, struct spdm_fuzz_msg *m)
{
	u8 digests[] = { req[0], SPDM_DIGESTS, 0, BIT(0) };

	switch (req[1]) {
	case SPDM_GET_VERSION:
		spdm_fuzz_version(m);
		break;
	case SPDM_GET_CAPABILITIES:
		spdm_fuzz_capabilities(f, req, req_sz, m);
		break;
	case SPDM_NEGOTIATE_ALGS:
		spdm_fuzz_algorithms(req, m);
		break;
	case SPDM_GET_DIGESTS:
		spdm_fuzz_hdr(m, req[0], SPDM_DIGESTS, 0, BIT(0));
		m->len = 0;
		spdm_fuzz_put(m, digests, sizeof(digests));
		spdm_fuzz_put(m, f->chain_digest, SPDM_FUZZ_HASH);
		break;
	case SPDM_GET_CERTIFICATE:
		spdm_fuzz_certificate(f, req, m);
		break;
	case SPDM_CHALLENGE:
		spdm_fuzz_challenge_auth(f, req, req_sz, m);
		break;
	default:
		spdm_fuzz_hdr(m, req[0], SPDM_ERROR,
			      SPDM_ERR_UNSUPPORTED_REQUEST, req[1]);
		break;
	}
}

/* The next CHUNK_RESPONSE of the large response */
static void spdm_fuzz_chunk(struct spdm_fuzz *f, const u8 *req,
			    struct spdm_fuzz_msg *m)
{
	u16 seq = get_unaligned_le16(req + 4);
	size_t hdr = 12 + (seq ? 0 : 4), n;
	__le32 size, large = cpu_to_le32(f->large_len);
	__le16 zero = 0;

	n = min_t(size_t, f->large_len - f->large_off,
		  max_t(size_t, f->req_dts, hdr + 1) - hdr);
	spdm_fuzz_hdr(m, req[0], SPDM_CHUNK_RESPONSE,
		      f->large_off + n == f->large_len, req[3]);
	spdm_fuzz_put(m, req + 4, 2);
	spdm_fuzz_put(m, &zero, sizeof(zero));
	size = cpu_to_le32(n);
	spdm_fuzz_field(m, 4, 2);
	spdm_fuzz_field(m, m->len, 4);
	spdm_fuzz_put(m, &size, sizeof(size));
	if (!seq) {
		spdm_fuzz_field(m, m->len, 4);
		spdm_fuzz_put(m, &large, sizeof(large));
	}
	spdm_fuzz_put(m, f->large + f->large_off, n);
	f->large_off += n;
}

/* A response larger than the requester takes goes out in chunks */
static void spdm_fuzz_large(struct spdm_fuzz *f, const u8 *req,
			    struct spdm_fuzz_msg *m)
{
	u8 handle = SPDM_FUZZ_HANDLE;

	memcpy(f->large, m->data, m->len);
	f->large_len = m->len;
	f->large_off = 0;
	spdm_fuzz_hdr(m, req[0], SPDM_ERROR, SPDM_ERR_LARGE_RESPONSE, 0);
	spdm_fuzz_field(m, m->len, 1);
	spdm_fuzz_put(m, &handle, 1);
}

/* ---- Mutations ----------------------------------------------------------- */

static const char * const spdm_fuzz_how[] = {
	"bit flips", "byte set", "field at a boundary", "field at a boundary",
	"truncation", "extension", "swapped fields", "repeated block",
	"other version", "other response code", "ERROR instead",
	"replay of the previous response",
};

static u64 spdm_fuzz_get_field(const struct spdm_fuzz_msg *m,
			       const struct spdm_fuzz_field *fl)
{
	u64 v = 0;
	int i;

	for (i = 0; i < fl->size; i++)
		v |= (u64)m->data[fl->off + i] << (8 * i);
	return v;
}

/* 0, the maximum, off by one, the message's size, a random value */
static void spdm_fuzz_set_field(struct spdm_fuzz *f, struct spdm_fuzz_msg *m,
				const struct spdm_fuzz_field *fl)
{
	u64 v = spdm_fuzz_get_field(m, fl);
	u64 choice[] = {
		0, fl->size == 8 ? U64_MAX : BIT_ULL(8 * fl->size) - 1,
		v + 1, v - 1, m->len, m->len - fl->off,
		prandom_u32_state(&f->rnd),
	};
	int i;

	v = choice[spdm_fuzz_rand(f, ARRAY_SIZE(choice))];
	for (i = 0; i < fl->size; i++)
		m->data[fl->off + i] = v >> (8 * i);
}

static void spdm_fuzz_error(struct spdm_fuzz *f, struct spdm_fuzz_msg *m)
{
	static const u8 codes[] = {
		SPDM_ERR_INVALID_REQUEST, SPDM_ERR_BUSY,
		SPDM_ERR_UNEXPECTED_REQUEST, SPDM_ERR_UNSPECIFIED,
		SPDM_ERR_UNSUPPORTED_REQUEST, SPDM_ERR_LARGE_RESPONSE,
		SPDM_ERR_VERSION_MISMATCH, SPDM_ERR_RESPONSE_NOT_READY,
		SPDM_ERR_REQUEST_RESYNCH, 0xff,
	};
	u8 code = codes[spdm_fuzz_rand(f, ARRAY_SIZE(codes))];
	/* RDExponent at most 2^8 us, the request, a Token, RDTM */
	u8 ext[4] = { spdm_fuzz_rand(f, 9), f->last_req[1],
		      spdm_fuzz_rand(f, 256), 1 };

	if (!spdm_fuzz_rand(f, 4))
		prandom_bytes_state(&f->rnd, ext, sizeof(ext));
	spdm_fuzz_hdr(m, f->last_req[0], SPDM_ERROR, code,
		      spdm_fuzz_rand(f, 256));
	spdm_fuzz_put(m, ext, spdm_fuzz_rand(f, sizeof(ext) + 1));
}

static void spdm_fuzz_block(struct spdm_fuzz *f, struct spdm_fuzz_msg *m,
			    bool swap)
{
	size_t n = 1 + spdm_fuzz_rand(f, min_t(size_t, 16, m->len / 2 + 1));
	size_t a, b;
	u8 tmp[16];

	if (m->len < 2 * n)
		return;
	a = spdm_fuzz_rand(f, m->len - n + 1);
	b = spdm_fuzz_rand(f, m->len - n + 1);
	if (!swap) {
		memmove(m->data + b, m->data + a, n);
		return;
	}
	memcpy(tmp, m->data + a, n);
	memmove(m->data + a, m->data + b, n);
	memcpy(m->data + b, tmp, n);
}

static void spdm_fuzz_mutate(struct spdm_fuzz *f, struct spdm_fuzz_msg *m,
			     unsigned int op)
{
	static const u8 bytes[] = { 0, 0xff, 0x80, 0x7f };
	static const u8 versions[] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x20, 0 };
	static const u8 codes[] = {
		SPDM_VERSION, SPDM_CAPABILITIES, SPDM_ALGORITHMS, SPDM_DIGESTS,
		SPDM_CERTIFICATE, SPDM_CHALLENGE_AUTH, SPDM_MEASUREMENTS,
		SPDM_CHUNK_RESPONSE, SPDM_ERROR, 0,
	};
	unsigned int i, n;

	switch (op) {
	case 0:
		for (i = 0, n = 1 + spdm_fuzz_rand(f, 4); i < n && m->len; i++)
			m->data[spdm_fuzz_rand(f, m->len)] ^=
				BIT(spdm_fuzz_rand(f, 8));
		break;
	case 1:
		if (m->len)
			m->data[spdm_fuzz_rand(f, m->len)] =
				bytes[spdm_fuzz_rand(f, ARRAY_SIZE(bytes))];
		break;
	case 2:
	case 3:
		if (m->nr_fields)
			spdm_fuzz_set_field(f, m,
					    &m->field[spdm_fuzz_rand(f, m->nr_fields)]);
		break;
	case 4:
		m->len = spdm_fuzz_rand(f, m->len);
		break;
	case 5:
		n = 1 + spdm_fuzz_rand(f, 64);
		n = min_t(size_t, n, sizeof(m->data) - m->len);
		prandom_bytes_state(&f->rnd, m->data + m->len, n);
		m->len += n;
		break;
	case 6:
	case 7:
		spdm_fuzz_block(f, m, op == 6);
		break;
	case 8:
		m->data[0] = versions[spdm_fuzz_rand(f, ARRAY_SIZE(versions))];
		break;
	case 9:
		m->data[1] = codes[spdm_fuzz_rand(f, ARRAY_SIZE(codes))];
		break;
	case 10:
		spdm_fuzz_error(f, m);
		break;
	default:
		memcpy(m, &f->prev, sizeof(*m));
		break;
	}
}

/* Damage @m: the sweep truncates at each offset in turn, else at random */
static void spdm_fuzz_damage(struct spdm_fuzz *f, struct spdm_fuzz_msg *m)
{
	unsigned int op = spdm_fuzz_rand(f, ARRAY_SIZE(spdm_fuzz_how));

	if (f->fixed) {
		memcpy(m->data, f->fixed->data, f->fixed->len);
		m->len = f->fixed->len;
		f->how = f->fixed->name;
	} else if (f->sweep >= 0 && f->sweep < m->len) {
		m->len = f->sweep;
		f->how = "truncation sweep";
	} else {
		spdm_fuzz_mutate(f, m, op);
		/* a second mutation now and then */
		if (!spdm_fuzz_rand(f, 4))
			spdm_fuzz_mutate(f, m, spdm_fuzz_rand(f, 8));
		f->how = spdm_fuzz_how[op];
	}
	memcpy(f->input, m->data, m->len);
	f->input_len = m->len;
	f->damaged = true;
}

/*
 * The transport of the fake device.  After the damaged exchange only its
 * retries (Busy, RESPOND_IF_READY, CHUNK_GET, the rest of a chain) are
 * answered: what follows would not meet the damage, only cost time.
 */
static ssize_t spdm_fuzz_xfer(void *priv, struct device *dev,
			      const void *request, size_t req_sz,
			      void *response, size_t rsp_sz)
{
	struct spdm_fuzz *f = priv;
	struct spdm_fuzz_msg *m = &f->msg;
	const u8 *req = request;
	u8 code;

	if (req_sz < sizeof(struct spdm_header))
		return -EIO;
	code = req[1];
	if (code == SPDM_RESPOND_IF_READY)
		code = f->last_req[1];
	if (f->damaged && code != f->target && code != SPDM_CHUNK_GET)
		return -EIO;

	if (code == SPDM_CHUNK_GET && f->large_len) {
		spdm_fuzz_chunk(f, req, m);
	} else {
		if (req[1] != SPDM_RESPOND_IF_READY) {
			f->last_req_sz = min(req_sz, sizeof(f->last_req));
			memcpy(f->last_req, req, f->last_req_sz);
		}
		spdm_fuzz_respond(f, f->last_req, f->last_req_sz, m);
		if (f->req_dts && m->len > f->req_dts)
			spdm_fuzz_large(f, req, m);
	}
	if (code == f->target && !f->damaged && f->seen++ == f->nth)
		spdm_fuzz_damage(f, m);

	memcpy(&f->prev, m, sizeof(*m));
	if (m->len > rsp_sz)
		return -EMSGSIZE;
	memcpy(response, m->data, m->len);
	return m->len;
}

/* ---- Runs ---------------------------------------------------------------- */

#define SPDM_FUZZ_RSP(...)	.data = { __VA_ARGS__ }, \
				.len = sizeof((u8[]){ __VA_ARGS__ })

static void spdm_fuzz_report(struct spdm_fuzz *f, unsigned long run,
			     const char *what)
{
	KUNIT_FAIL(f->test,
		   "%s: seed %lu, run %lu, response to 0x%02x #%u, %s, %zu bytes:",
		   what, seed, run, f->target, f->nth, f->how ?: "undamaged",
		   f->input_len);
	print_hex_dump(KERN_ERR, "spdm-fuzz input: ", DUMP_PREFIX_OFFSET, 16,
		       1, f->input, f->input_len, false);
}

static void spdm_fuzz_keyring_put(void *keyring)
{
	key_put(keyring);
}

static struct key *spdm_fuzz_keyring(struct kunit *test)
{
	struct key *keyring;
	key_ref_t key;

	keyring = keyring_alloc("spdm-fuzz", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(), KEY_POS_ALL,
				KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, keyring);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							spdm_fuzz_keyring_put,
							keyring), 0);
	key = key_create_or_update(make_key_ref(keyring, true), "asymmetric",
				   NULL, root_der, sizeof(root_der),
				   KEY_POS_ALL, KEY_ALLOC_NOT_IN_QUOTA);
	KUNIT_ASSERT_FALSE(test, IS_ERR(key));
	key_ref_put(key);
	return keyring;
}

static struct spdm_fuzz *spdm_fuzz_new(struct kunit *test)
{
	static const u8 *const certs[] = { root_der, inter_der, leaf_der };
	static const size_t sizes[] = {
		sizeof(root_der), sizeof(inter_der), sizeof(leaf_der),
	};
	struct spdm_fuzz *f;
	unsigned int i;
	size_t off;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	prandom_seed_state(&f->rnd, seed);

	off = 4 + SPDM_FUZZ_HASH;
	sha256(root_der, sizeof(root_der), f->chain + 4);
	for (i = 0; i < ARRAY_SIZE(certs); i++) {
		KUNIT_ASSERT_LE(test, off + sizes[i], sizeof(f->chain));
		memcpy(f->chain + off, certs[i], sizes[i]);
		off += sizes[i];
	}
	put_unaligned_le16(off, f->chain);
	f->chain_len = off;
	sha256(f->chain, f->chain_len, f->chain_digest);
	return f;
}

struct spdm_fuzz_target {
	const char *name;
	u8 request;
	unsigned int runs;	/* at scale 100 */
	u32 transport_sz;
};

static void spdm_fuzz_cleanup(void *arg)
{
	struct spdm_fuzz *f = arg;

	spdm_destroy(f->state);
	f->state = NULL;
}

/*
 * One authentication with one response damaged, of a new state: what a
 * damaged run leaves behind is freed by spdm_destroy() (kmemleak sees the
 * rest), and the signature log of a reused state would make every run
 * retire an entry.
 */
static int spdm_fuzz_run(struct spdm_fuzz *f, struct device *dev,
			 struct key *keyring, u32 transport_sz)
{
	int rc;

	spdm_fuzz_cleanup(f);
	f->state = spdm_create(dev, spdm_fuzz_xfer, NULL, f, transport_sz,
			       keyring, NULL);
	if (!f->state)
		return -ENOMEM;
	f->damaged = false;
	f->seen = 0;
	f->challenges = 0;
	f->large_len = 0;
	f->req_dts = 0;
	f->how = NULL;
	f->input_len = 0;
	rc = spdm_authenticate(f->state);
	if (rc > 0 || rc < -MAX_ERRNO)
		return -ERANGE;
	return rc;
}

/* Check the invariants of one run; false: stop */
static bool spdm_fuzz_check(struct spdm_fuzz *f, unsigned long run, int rc)
{
	if (rc == -ENOMEM || rc == -ERANGE) {
		spdm_fuzz_report(f, run, rc == -ENOMEM ? "out of memory" :
				 "authentication returned no errno");
		return false;
	}
	if (!rc || !spdm_auth_result(f->state)) {
		spdm_fuzz_report(f, run,
				 "authenticated without a valid signature");
		return false;
	}
	if (READ_ONCE(f->test->status) == KUNIT_FAILURE) {
		spdm_fuzz_report(f, run, "a sanitizer or check failed");
		return false;
	}
	return true;
}

/* A fake device authenticated once, undamaged: as far as the signature */
static struct spdm_fuzz *spdm_fuzz_start(struct kunit *test,
					 struct device **dev,
					 struct key **keyring,
					 u8 request, u32 transport_sz)
{
	struct spdm_fuzz *f = spdm_fuzz_new(test);
	int rc;

	*dev = kunit_device_register(test, "spdm-fuzz");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, *dev);
	*keyring = spdm_fuzz_keyring(test);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							spdm_fuzz_cleanup, f),
			0);
	/* count the responses to @request, damage none */
	f->sweep = -1;
	f->target = request;
	f->nth = UINT_MAX;
	rc = spdm_fuzz_run(f, *dev, *keyring, transport_sz);
	KUNIT_ASSERT_NOT_NULL(test, f->state);
	KUNIT_ASSERT_GT(test, f->seen, 0);
	KUNIT_ASSERT_EQ_MSG(test, f->challenges, 1,
			    "undamaged responses end at %s (%d)",
			    f->state->auth_step, rc);
	KUNIT_ASSERT_EQ(test, rc, -EKEYREJECTED);
	return f;
}

static const struct spdm_fuzz_target spdm_fuzz_targets[] = {
	{ "VERSION", SPDM_GET_VERSION, 3000, SZ_4K },
	{ "CAPABILITIES", SPDM_GET_CAPABILITIES, 3000, SZ_4K },
	{ "ALGORITHMS", SPDM_NEGOTIATE_ALGS, 3000, SZ_4K },
	{ "DIGESTS", SPDM_GET_DIGESTS, 2000, SZ_4K },
	{ "CERTIFICATE", SPDM_GET_CERTIFICATE, 1000, 512 },
	/* costly runs (0.4 s on the sanitizer kernel): just past the sweep */
	{ "CHALLENGE_AUTH", SPDM_CHALLENGE, 200, SZ_4K },
	{ "CHUNK_RESPONSE", SPDM_CHUNK_GET, 200, SPDM_FUZZ_SMALL_DTS },
};

static void spdm_fuzz_target_desc(const struct spdm_fuzz_target *t,
				  char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_fuzz_target, spdm_fuzz_targets, spdm_fuzz_target_desc);

/* Damaged responses to one request, authenticated in context */
static void spdm_fuzz_flow(struct kunit *test)
{
	const struct spdm_fuzz_target *t = test->param_value;
	unsigned long runs = (unsigned long)t->runs * scale / 100, run;
	unsigned long sig_rejected = 0;
	struct spdm_fuzz *f;
	unsigned int nr;
	ktime_t start;
	struct device *dev;
	struct key *keyring;
	int rc;

	f = spdm_fuzz_start(test, &dev, &keyring, t->request,
			    t->transport_sz);
	nr = f->seen;
	start = ktime_get();
	for (run = 0; run < runs; run++) {
		f->sweep = run < SPDM_FUZZ_BUF ? run : -1;
		f->nth = spdm_fuzz_rand(f, nr);
		rc = spdm_fuzz_run(f, dev, keyring, t->transport_sz);
		if (!spdm_fuzz_check(f, run, rc))
			return;
		sig_rejected += rc == -EKEYREJECTED;
		cond_resched();
	}
	kunit_info(test, "seed %lu: %lu damaged responses (%u per run to choose from), %lu rejected by a signature check, %lld us per run\n",
		   seed, runs, nr, sig_rejected,
		   runs ? ktime_us_delta(ktime_get(), start) / runs : 0);
}

/*
 * Regression inputs: the classes of defects found in SPDM requesters
 * (libspdm's fixes among them), each a response in place of a good one.
 */
static const struct spdm_fuzz_regress spdm_fuzz_regress[] = {
	{ "VERSION entry count beyond the message", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x04, 0, 0, 0, 255, 0x00, 0x12) },
	{ "VERSION without entries", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x04, 0, 0, 0, 0) },
	{ "VERSION of another version", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x12, 0x04, 0, 0, 0, 1, 0x00, 0x12) },
	{ "CAPABILITIES DataTransferSize below 42", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x16, 0, 0x02, 0,
			41, 0, 0, 0, 0, 0, 1, 0) },
	{ "CAPABILITIES MaxSPDMmsgSize below DataTransferSize",
	  SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x16, 0, 0x02, 0,
			0, 0x10, 0, 0, 0, 0x08, 0, 0) },
	{ "CAPABILITIES larger than DataTransferSize", SPDM_GET_CAPABILITIES,
	  0, SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x16, 0, 0x02, 0,
			   100, 0, 0, 0, 0, 0, 1, 0, [20 ... 149] = 0xa5) },
	{ "CAPABILITIES CTExponent 255", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 255, 0, 0, 0x16, 0, 0x02, 0,
			100, 0, 0, 0, 0, 0, 1, 0) },
	{ "ALGORITHMS Length 0xffff", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 0xff, 0xff, 1, 2, 2, 0, 0, 0,
			0x10, 0, 0, 0, 1, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS ExtAsymSelCount 255", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 2, 2, 0, 0, 0, 0x10, 0,
			0, 0, 1, 0, 0, 0, [32] = 255, [35] = 0) },
	{ "ALGORITHMS two signature algorithms", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 2, 2, 0, 0, 0, 0x90, 0,
			0, 0, 1, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS AlgStructs beyond the message", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 4, 0, 40, 0, 1, 2, 2, 0, 0, 0, 0x10, 0,
			0, 0, 1, 0, 0, 0, [36] = 2, 0x2f, 0x08, 0) },
	{ "DIGESTS without a provisioned slot", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x01, 0, 0) },
	{ "DIGESTS of eight slots in the space of one", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x01, 0, 0xff, [35] = 0) },
	{ "CERTIFICATE PortionLength + RemainderLength overflow",
	  SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 2, 3) },
	{ "CERTIFICATE PortionLength 0 with a remainder", SPDM_GET_CERTIFICATE,
	  0, SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 0, 0, 0x00, 0x04) },
	{ "CERTIFICATE portion beyond the message", SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 0x00, 0x01, 0, 0, 1, 2, 3, 4) },
	{ "CERTIFICATE of another slot", SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 5, 0, 4, 0, 0, 0, 8, 0, 0, 0) },
	{ "CERTIFICATE chain Length smaller than its header",
	  SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0) },
	{ "CERTIFICATE growing remainder", SPDM_GET_CERTIFICATE, 1,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 4, 0, 0xff, 0x7f, 1, 2, 3, 4) },
	{ "CHALLENGE_AUTH OpaqueDataLength beyond the message",
	  SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x03, 0, 1, [68] = 0xff, 0xff) },
	{ "CHALLENGE_AUTH truncated in the signature", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x03, 0, 1, [69] = 0, [100] = 0) },
	{ "ResponseNotReady for another request", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x42, 0, 1, 0x81, 7, 1) },
	{ "ResponseNotReady with RDExponent 255", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x42, 0, 255, 0x83, 7, 1) },
	{ "ResponseNotReady without extended data", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x42, 0) },
	{ "LargeResponse without a handle", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x0f, 0) },
	{ "RequestResynch in the middle", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x43, 0) },
	{ "ERROR of another SPDM version", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x11, 0x7f, 0x05, 0) },
	{ "CHUNK_RESPONSE ChunkSize 0", SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 0, 0x5a, 0, 0, 0, 0, 0, 0, 0, 0,
			134, 0, 0, 0, 1, 2, 3) },
	{ "CHUNK_RESPONSE LargeMessageSize 4 GiB", SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 0, 0x5a, 0, 0, 0, 0, 4, 0, 0, 0,
			0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4) },
	{ "CHUNK_RESPONSE ChunkSize beyond the message", SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 0, 0x5a, 0, 0, 0, 0, 0xff, 0, 0, 0,
			134, 0, 0, 0, 1, 2, 3, 4) },
	{ "CHUNK_RESPONSE LastChunk too early", SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 1, 0x5a, 0, 0, 0, 0, 4, 0, 0, 0,
			134, 0, 0, 0, 0x12, 0x03, 0, 1) },
	{ "CHUNK_RESPONSE of another handle", SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 0, 0x5b, 0, 0, 0, 0, 4, 0, 0, 0,
			134, 0, 0, 0, 0x12, 0x03, 0, 1) },
	{ "CHUNK_RESPONSE out of sequence", SPDM_CHUNK_GET, 1,
	  SPDM_FUZZ_RSP(0x12, 0x06, 1, 0x5a, 5, 0, 0, 0, 4, 0, 0, 0,
			1, 2, 3, 4) },
	{ "VERSION truncated in an entry", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x04, 0, 0, 0, 2, 0x00, 0x12, 0x00) },
	{ "VERSION of unknown versions only", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x04, 0, 0, 0, 2, 0x00, 0x20, 0x00, 0x09) },
	{ "VERSION with the code of CAPABILITIES", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x61, 0, 0, 0, 1, 0x00, 0x12) },
	{ "CAPABILITIES without CHAL_CAP", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x12, 0, 0x02, 0,
			100, 0, 0, 0, 0, 0, 1, 0) },
	{ "CAPABILITIES MEAS_CAP 3 (reserved)", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x1e, 0, 0x02, 0,
			100, 0, 0, 0, 0, 0, 1, 0) },
	{ "CAPABILITIES of the SPDM 1.1 size", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x61, 0, 0, 0, 10, 0, 0, 0x16, 0, 0x02, 0) },
	{ "ALGORITHMS without a hash", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 2, 2, 0, 0, 0, 0x10, 0,
			0, 0, 0, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS signature algorithm not offered", SPDM_NEGOTIATE_ALGS,
	  0, SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 2, 2, 0, 0, 0, 0, 0,
			   0, 0x80, 1, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS two measurement hashes", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 2, 6, 0, 0, 0, 0x10, 0,
			0, 0, 1, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS Length below the fixed part", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 30, 0, 1, 2, 2, 0, 0, 0, 0x10, 0,
			0, 0, 1, 0, 0, 0, [35] = 0) },
	{ "ALGORITHMS AlgStruct of an unknown type", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 1, 0, 40, 0, 1, 2, 2, 0, 0, 0, 0x10, 0,
			0, 0, 1, 0, 0, 0, [36] = 9, 0x20, 1, 0) },
	{ "ALGORITHMS opaque data format not offered", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x63, 0, 0, 36, 0, 1, 0x7f, 2, 0, 0, 0, 0x10,
			0, 0, 0, 1, 0, 0, 0, [35] = 0) },
	{ "DIGESTS one byte short", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x01, 0, 1, [34] = 0) },
	{ "DIGESTS for slot 3 only", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x01, 0, 0x08, [35] = 0) },
	{ "CERTIFICATE of slot 15", SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 15, 0, 4, 0, 0, 0, 8, 0, 0, 0) },
	{ "CERTIFICATE chain without a RootHash", SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0, 1, 2, 3,
			4, 5, 6, 7, 8) },
	{ "CERTIFICATE DER length beyond the chain", SPDM_GET_CERTIFICATE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x02, 0, 0, 48, 0, 0, 0, 48, 0, 0, 0,
			[44] = 0x30, 0x82, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8) },
	{ "CHALLENGE_AUTH of another slot", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x03, 5, 1, [133] = 0) },
	{ "CHALLENGE_AUTH with SlotMask 0", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x03, 0, 0, [133] = 0) },
	{ "CHALLENGE_AUTH of SPDM 1.3 on 1.2", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x13, 0x03, 0, 1, [141] = 0) },
	{ "CHALLENGE_AUTH with 40 bytes too many", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x03, 0, 1, [173] = 0) },
	{ "VersionMismatch to GET_CAPABILITIES", SPDM_GET_CAPABILITIES, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x41, 0) },
	{ "InvalidRequest to NEGOTIATE_ALGORITHMS", SPDM_NEGOTIATE_ALGS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x01, 0) },
	{ "UnexpectedRequest to GET_DIGESTS", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x04, 0) },
	{ "Unspecified to GET_CERTIFICATE", SPDM_GET_CERTIFICATE, 1,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x05, 0) },
	{ "ERROR with the reserved code 0", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x00, 0) },
	{ "ERROR with 150 bytes of extended data", SPDM_GET_DIGESTS, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x05, 0, [153] = 0xee) },
	{ "ResponseNotReady, then the answer", SPDM_CHALLENGE, 0,
	  SPDM_FUZZ_RSP(0x12, 0x7f, 0x42, 0, 3, 0x83, 7, 1) },
	{ "Busy once, then the answer", SPDM_GET_VERSION, 0,
	  SPDM_FUZZ_RSP(0x10, 0x7f, 0x03, 0) },
	{ "CHUNK_RESPONSE ChunkSeqNo 0xffff", SPDM_CHUNK_GET, 1,
	  SPDM_FUZZ_RSP(0x12, 0x06, 1, 0x5a, 0xff, 0xff, 0, 0, 4, 0, 0, 0,
			1, 2, 3, 4) },
	{ "CHUNK_RESPONSE LargeMessageSize below its ChunkSize",
	  SPDM_CHUNK_GET, 0,
	  SPDM_FUZZ_RSP(0x12, 0x06, 0, 0x5a, 0, 0, 0, 0, 8, 0, 0, 0,
			4, 0, 0, 0, 0x12, 0x03, 0, 1, 1, 2, 3, 4) },
};

static void spdm_fuzz_regress_desc(const struct spdm_fuzz_regress *r,
				   char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_fuzz_regress, spdm_fuzz_regress,
		  spdm_fuzz_regress_desc);

static void spdm_fuzz_regression(struct kunit *test)
{
	const struct spdm_fuzz_regress *r = test->param_value;
	u32 transport_sz = r->target == SPDM_CHUNK_GET ? SPDM_FUZZ_SMALL_DTS :
			   r->target == SPDM_GET_CERTIFICATE ? 512 : SZ_4K;
	struct spdm_fuzz *f;
	struct device *dev;
	struct key *keyring;
	int rc;

	f = spdm_fuzz_start(test, &dev, &keyring, r->target, transport_sz);
	f->target = r->target;
	f->nth = r->nth;
	f->fixed = r;
	rc = spdm_fuzz_run(f, dev, keyring, transport_sz);
	KUNIT_EXPECT_TRUE(test, f->damaged);
	if (spdm_fuzz_check(f, 0, rc))
		kunit_info(test, "rejected: %d at %s\n", rc,
			   f->state->auth_step);
}

/* ---- Parsers fuzzed directly ------------------------------------------- */

/* CHALLENGE_AUTH of SPDM 1.3 with a MeasurementSummaryHash and OpaqueData */
static void spdm_fuzz_build_challenge(struct spdm_fuzz *f,
				      struct spdm_fuzz_msg *m)
{
	u8 body[2 * SPDM_FUZZ_HASH + SPDM_NONCE_SZ];
	static const u8 opaque[] = { 4, 0, 1, 0, 0, 0 };

	prandom_bytes_state(&f->rnd, body, sizeof(body));
	spdm_fuzz_hdr(m, SPDM_VER_13, SPDM_CHALLENGE_AUTH, 0, 1);
	spdm_fuzz_put(m, body, sizeof(body));
	spdm_fuzz_field(m, m->len, 2);
	spdm_fuzz_put(m, opaque, sizeof(opaque));
	prandom_bytes_state(&f->rnd, m->data + m->len,
			    SPDM_REQ_CONTEXT_SZ + SPDM_FUZZ_SIG);
	m->len += SPDM_REQ_CONTEXT_SZ + SPDM_FUZZ_SIG;
}

static bool spdm_fuzz_challenge_ok(struct spdm_fuzz *f,
				   struct spdm_fuzz_msg *m)
{
	struct spdm_challenge_fields fl;

	if (spdm_parse_challenge_rsp(SPDM_VER_13, SPDM_FUZZ_HASH,
				     SPDM_FUZZ_SIG, true, m->data, m->len,
				     &fl))
		return true;
	return fl.len <= m->len && fl.sig + SPDM_FUZZ_SIG == fl.len &&
	       fl.opaque + 2 + fl.opaque_len <= fl.context &&
	       fl.nonce + SPDM_NONCE_SZ <= fl.opaque;
}

/* MEASUREMENTS of SPDM 1.3, signed, three DMTF blocks of SHA-256 digests */
static void spdm_fuzz_build_meas(struct spdm_fuzz *f,
				 struct spdm_fuzz_msg *m)
{
	u8 blk[4 + 3 + SPDM_FUZZ_HASH], rnd[SPDM_NONCE_SZ + 2 +
					      SPDM_REQ_CONTEXT_SZ +
					      SPDM_FUZZ_SIG] = {};
	u8 rec_len[3] = { 3 * sizeof(blk), 0, 0 };
	unsigned int i;

	spdm_fuzz_hdr(m, SPDM_VER_13, SPDM_MEASUREMENTS, 0, 0);
	m->data[m->len++] = 3;
	spdm_fuzz_field(m, 4, 1);
	spdm_fuzz_field(m, m->len, 3);
	spdm_fuzz_put(m, rec_len, sizeof(rec_len));
	for (i = 1; i <= 3; i++) {
		blk[0] = i;
		blk[1] = SPDM_MEAS_SPEC_DMTF;
		put_unaligned_le16(3 + SPDM_FUZZ_HASH, blk + 2);
		blk[4] = i - 1;
		put_unaligned_le16(SPDM_FUZZ_HASH, blk + 5);
		prandom_bytes_state(&f->rnd, blk + 7, SPDM_FUZZ_HASH);
		spdm_fuzz_field(m, m->len + 2, 2);
		spdm_fuzz_field(m, m->len + 5, 2);
		spdm_fuzz_put(m, blk, sizeof(blk));
	}
	prandom_bytes_state(&f->rnd, rnd, SPDM_NONCE_SZ);
	prandom_bytes_state(&f->rnd, rnd + SPDM_NONCE_SZ + 2,
			    sizeof(rnd) - SPDM_NONCE_SZ - 2);
	spdm_fuzz_field(m, m->len + SPDM_NONCE_SZ, 2);
	spdm_fuzz_put(m, rnd, sizeof(rnd));
}

static bool spdm_fuzz_meas_ok(struct spdm_fuzz *f, struct spdm_fuzz_msg *m)
{
	struct spdm_meas_fields fl;
	const char *why;

	if (spdm_parse_meas_rsp(SPDM_VER_13, SPDM_FUZZ_SIG, true, m->data,
				m->len, &fl))
		return true;
	if (fl.len > m->len || fl.sig + SPDM_FUZZ_SIG != fl.len ||
	    sizeof(struct spdm_measurements_rsp) + fl.record_len > fl.nonce ||
	    fl.opaque + 2 + fl.opaque_len > fl.context)
		return false;
	/* what the parser hands on: the record */
	spdm_check_meas_record(m->data + sizeof(struct spdm_measurements_rsp),
			       fl.record_len, m->data[4], SPDM_MEAS_OP_ALL,
			       SPDM_MEAS_SPEC_DMTF, SPDM_FUZZ_HASH, &why);
	return true;
}

/*
 * KEY_EXCHANGE_RSP of SPDM 1.2 for secp256r1, SHA-256, P-256 with a
 * MeasurementSummaryHash and OpaqueData selecting DSP0277 1.1.
 */
static void spdm_fuzz_build_key_exchange(struct spdm_fuzz *f,
					 struct spdm_fuzz_msg *m)
{
	static const u8 opaque[] = {
		12, 0,			/* OpaqueDataLength */
		1, 0, 0, 0,		/* TotalElements */
		0, 0, 4, 0,		/* DMTF, VendorLen, OpaqueElementDataLen */
		1, 0, 0x00, 0x11,	/* version selection: 1.1 */
	};
	u8 rnd[4 + SPDM_RANDOM_SZ + SPDM_FUZZ_DHE + SPDM_FUZZ_HASH];

	prandom_bytes_state(&f->rnd, rnd, sizeof(rnd));
	spdm_fuzz_hdr(m, SPDM_VER_12, SPDM_KEY_EXCHANGE_RSP, 0, 0);
	spdm_fuzz_put(m, rnd, sizeof(rnd));
	spdm_fuzz_field(m, m->len, 2);
	spdm_fuzz_field(m, m->len + 2, 1);
	spdm_fuzz_field(m, m->len + 8, 2);
	spdm_fuzz_field(m, m->len + 12, 2);
	spdm_fuzz_put(m, opaque, sizeof(opaque));
	prandom_bytes_state(&f->rnd, m->data + m->len,
			    SPDM_FUZZ_SIG + SPDM_FUZZ_HASH);
	m->len += SPDM_FUZZ_SIG + SPDM_FUZZ_HASH;
}

static bool spdm_fuzz_key_exchange_ok(struct spdm_fuzz *f,
				      struct spdm_fuzz_msg *m)
{
	struct spdm_key_exchange_fields fl;
	u16 sel;

	if (spdm_parse_key_exchange_rsp(SPDM_VER_12, SPDM_FUZZ_DHE,
					SPDM_FUZZ_HASH, SPDM_FUZZ_SIG, true,
					m->data, m->len, &fl))
		return true;
	if (fl.len > m->len || fl.verify + SPDM_FUZZ_HASH != fl.len ||
	    fl.sig + SPDM_FUZZ_SIG != fl.verify ||
	    fl.opaque + 2 + fl.opaque_len != fl.sig)
		return false;
	/* what the parser hands on: the OpaqueData */
	spdm_parse_opaque_selection(SPDM_VER_12, m->data + fl.opaque + 2,
				    fl.opaque_len, &sel);
	return true;
}

struct spdm_fuzz_parser {
	const char *name;
	void (*build)(struct spdm_fuzz *f, struct spdm_fuzz_msg *m);
	/* false: the offsets returned leave the message */
	bool (*ok)(struct spdm_fuzz *f, struct spdm_fuzz_msg *m);
	unsigned int runs;
};

static const struct spdm_fuzz_parser spdm_fuzz_parsers[] = {
	{ "CHALLENGE_AUTH fields", spdm_fuzz_build_challenge,
	  spdm_fuzz_challenge_ok, 20000 },
	{ "MEASUREMENTS and the record", spdm_fuzz_build_meas,
	  spdm_fuzz_meas_ok, 40000 },
	{ "KEY_EXCHANGE_RSP and OpaqueData", spdm_fuzz_build_key_exchange,
	  spdm_fuzz_key_exchange_ok, 30000 },
};

static void spdm_fuzz_parser_desc(const struct spdm_fuzz_parser *p,
				  char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_fuzz_parser, spdm_fuzz_parsers, spdm_fuzz_parser_desc);

static void spdm_fuzz_parse(struct kunit *test)
{
	const struct spdm_fuzz_parser *p = test->param_value;
	unsigned long runs = (unsigned long)p->runs * scale / 100, run;
	struct spdm_fuzz *f = spdm_fuzz_new(test);
	struct spdm_fuzz_msg *m = &f->msg;

	p->build(f, m);
	f->sweep = -1;
	KUNIT_ASSERT_TRUE(test, p->ok(f, m));
	for (run = 0; run < runs; run++) {
		p->build(f, m);
		memcpy(&f->prev, m, sizeof(*m));
		f->sweep = run < SPDM_FUZZ_BUF ? run : -1;
		spdm_fuzz_damage(f, m);
		if (!p->ok(f, m)) {
			spdm_fuzz_report(f, run, "fields outside the message");
			return;
		}
		if (READ_ONCE(test->status) == KUNIT_FAILURE) {
			spdm_fuzz_report(f, run, "a sanitizer or check failed");
			return;
		}
	}
	kunit_info(test, "seed %lu: %lu damaged messages\n", seed, runs);
}

/*
 * Secured-message records (DSP0277, AES-256-GCM, 8-byte sequence number):
 * one whose SessionID, Length, sequence number, data or tag changed must
 * not open; only transport padding (less than a dword) may follow.
 */
static void spdm_fuzz_records(struct kunit *test)
{
	unsigned long runs = 10000UL * scale / 100, run;
	static const u8 msg[] = { SPDM_VER_12, SPDM_HEARTBEAT_ACK, 0, 0 };
	struct spdm_fuzz *f = spdm_fuzz_new(test);
	struct spdm_fuzz_msg *m = &f->msg;
	struct spdm_session_keys k = {};
	struct crypto_aead *tfm;
	size_t off, len, rlen;
	const char *why;
	int rc, n;

	tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	prandom_bytes_state(&f->rnd, k.key, sizeof(k.key));
	prandom_bytes_state(&f->rnd, k.iv, sizeof(k.iv));
	KUNIT_ASSERT_EQ(test, crypto_aead_setkey(tfm, k.key, 32), 0);
	KUNIT_ASSERT_EQ(test, crypto_aead_setauthsize(tfm, SPDM_AEAD_TAG_SZ),
			0);
	k.seq = 5;
	n = spdm_record_seal(tfm, &k, 0xfffe0001, 8, false, msg, sizeof(msg),
			     f->prev.data, sizeof(f->prev.data));
	KUNIT_ASSERT_GT(test, n, 0);
	rlen = n;
	f->prev.len = rlen;
	f->prev.nr_fields = 0;
	spdm_fuzz_field(&f->prev, 4, 2);	/* sequence number */
	spdm_fuzz_field(&f->prev, 12, 2);	/* Length */
	spdm_fuzz_field(&f->prev, 14, 2);	/* ApplicationDataLength */

	for (run = 0; run < runs; run++) {
		memcpy(m, &f->prev, sizeof(*m));
		f->sweep = run < SPDM_FUZZ_BUF ? run : -1;
		spdm_fuzz_damage(f, m);
		k.seq = 5;
		rc = spdm_record_open(tfm, &k, 8, false, m->data, m->len, &off,
				      &len, &why);
		/* up to three bytes of transport padding may follow */
		if (!rc && (off + len > m->len || m->len < rlen ||
			    m->len - rlen >= 4 ||
			    memcmp(f->input, f->prev.data, rlen))) {
			spdm_fuzz_report(f, run, "a damaged record opened");
			break;
		}
		if (READ_ONCE(test->status) == KUNIT_FAILURE) {
			spdm_fuzz_report(f, run, "a sanitizer or check failed");
			break;
		}
	}
	crypto_free_aead(tfm);
	kunit_info(test, "seed %lu: %lu damaged records\n", seed, runs);
}

static int spdm_fuzz_suite_init(struct kunit_suite *suite)
{
	if (!seed)
		seed = get_random_long();
	pr_info("spdm-fuzz: seed %lu, scale %u%%\n", seed, scale);
	return 0;
}

static struct kunit_case spdm_fuzz_cases[] = {
	KUNIT_CASE_PARAM(spdm_fuzz_regression, spdm_fuzz_regress_gen_params),
	KUNIT_CASE_PARAM_ATTR(spdm_fuzz_flow, spdm_fuzz_target_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	KUNIT_CASE_PARAM(spdm_fuzz_parse, spdm_fuzz_parser_gen_params),
	KUNIT_CASE_ATTR(spdm_fuzz_records, { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite spdm_fuzz_suite = {
	.name = "spdm-fuzz",
	.suite_init = spdm_fuzz_suite_init,
	.test_cases = spdm_fuzz_cases,
};

kunit_test_suite(spdm_fuzz_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("Fuzzing of the SPDM requester's parsers");
MODULE_LICENSE("GPL");
