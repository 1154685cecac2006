// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for SPDM secure sessions: HKDF and the SPDM key schedule
 * labels, DSP0277 secured message records, and the parsers of
 * KEY_EXCHANGE_RSP and its OpaqueData.
 */

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "requests.h"
#include "session.h"
#include "state.h"
#include "wire.h"

/* RFC 5869 appendix A.1 (SHA-256) */
static const u8 hkdf_ikm[22] = { [0 ... 21] = 0x0b };

static const u8 hkdf_salt[13] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c,
};

static const u8 hkdf_info[10] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
};

static const u8 hkdf_prk[32] = {
	0x07, 0x77, 0x09, 0x36, 0x2c, 0x2e, 0x32, 0xdf, 0x0d, 0xdc, 0x3f,
	0x0d, 0xc4, 0x7b, 0xba, 0x63, 0x90, 0xb6, 0xc7, 0x3b, 0xb5, 0x0f,
	0x9c, 0x31, 0x22, 0xec, 0x84, 0x4a, 0xd7, 0xc2, 0xb3, 0xe5,
};

static const u8 hkdf_okm[42] = {
	0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f,
	0x64, 0xd0, 0x36, 0x2f, 0x2a, 0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a,
	0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf, 0x34,
	0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65,
};

static struct crypto_shash *spdm_test_hmac(struct kunit *test)
{
	struct crypto_shash *hmac = crypto_alloc_shash("hmac(sha256)", 0, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(hmac));
	return hmac;
}

static void spdm_test_hkdf_rfc5869(struct kunit *test)
{
	struct crypto_shash *hmac = spdm_test_hmac(test);
	u8 prk[32], okm[42];

	KUNIT_EXPECT_EQ(test, spdm_hkdf_extract(hmac, hkdf_salt,
						sizeof(hkdf_salt), hkdf_ikm,
						sizeof(hkdf_ikm), prk), 0);
	KUNIT_EXPECT_MEMEQ(test, prk, hkdf_prk, sizeof(prk));
	/* 42 bytes: two HMAC blocks */
	KUNIT_EXPECT_EQ(test, spdm_hkdf_expand(hmac, hkdf_prk, sizeof(prk),
					       hkdf_info, sizeof(hkdf_info),
					       okm, sizeof(okm)), 0);
	KUNIT_EXPECT_MEMEQ(test, okm, hkdf_okm, sizeof(okm));
	/* More than 255 blocks is not HKDF */
	KUNIT_EXPECT_EQ(test, spdm_hkdf_expand(hmac, hkdf_prk, sizeof(prk),
					       hkdf_info, sizeof(hkdf_info),
					       okm, 255 * 32 + 1), -EINVAL);
	crypto_free_shash(hmac);
}

/* BinConcat built by hand: Length (LE) || "spdm1.N " || label || context */
static void spdm_test_expand_label(struct kunit *test)
{
	struct crypto_shash *hmac = spdm_test_hmac(test);
	u8 ctx[32], info[2 + 8 + 11 + 32], got[32], want[32];

	memset(ctx, 0x5a, sizeof(ctx));
	info[0] = 32;
	info[1] = 0;
	memcpy(info + 2, "spdm1.2 req hs data", 19);
	memcpy(info + 21, ctx, 32);
	KUNIT_ASSERT_EQ(test, spdm_hkdf_expand(hmac, hkdf_prk, 32, info,
					       sizeof(info), want, 32), 0);
	KUNIT_EXPECT_EQ(test, spdm_expand_label(hmac, 0x12, hkdf_prk,
						"req hs data", ctx, 32, got), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, 32);

	/* No context, 12 bytes: the "iv" of SPDM 1.3 */
	info[0] = 12;
	memcpy(info + 2, "spdm1.3 iv", 10);
	KUNIT_ASSERT_EQ(test, spdm_hkdf_expand(hmac, hkdf_prk, 32, info, 12,
					       want, 12), 0);
	KUNIT_EXPECT_EQ(test, spdm_expand_label(hmac, 0x13, hkdf_prk, "iv",
						NULL, 12, got), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, 12);

	KUNIT_EXPECT_EQ(test, spdm_expand_label(hmac, 0x13, hkdf_prk,
						"a label that is too long",
						NULL, 12, got), -EINVAL);
	crypto_free_shash(hmac);
}

/*
 * The SessionID is ReqSessionID then RspSessionID on the wire: a record
 * header built byte by byte from the two halves reads back as it.
 */
static void spdm_test_session_id(struct kunit *test)
{
	static const u8 wire[] = { 0x34, 0x12, 0xfe, 0xff };	/* Req, Rsp */

	KUNIT_EXPECT_EQ(test, spdm_session_id(0x1234, 0xfffe),
			get_unaligned_le32(wire));
	KUNIT_EXPECT_EQ(test, spdm_session_id(0x1234, 0xfffe), 0xfffe1234);
}

/*
 * DSP0277 records of DMTF libspdm's unit test test_spdm_secured_message
 * (encode cases 1 and 2): AES-256-GCM, key 00..1f, iv 2 * i, SessionID
 * 0x00112233, an 8-byte sequence number in the record, message 00..0f.
 */
static const u8 spdm_rec1[] = {
	0x33, 0x22, 0x11, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x22, 0x00,
	0x9b, 0xfe, 0xd3, 0xb7, 0x04, 0x3d, 0x32, 0x86, 0x60, 0x3d,
	0x86, 0x17, 0x33, 0xd6, 0x7f, 0x95, 0x9a, 0x20,
	0x3d, 0x4f, 0xac, 0x58, 0xcb, 0x70, 0x6c, 0xf5, 0xa0, 0x27,
	0x0a, 0xf6, 0x73, 0xf0, 0xfe, 0x36,
};

static const u8 spdm_rec2[] = {
	0x33, 0x22, 0x11, 0x00, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa,
	0x55, 0xaa, 0x22, 0x00,
	0x0d, 0xea, 0x75, 0xea, 0xc6, 0x91, 0x37, 0x49, 0x94, 0x97,
	0x52, 0x63, 0xf8, 0xc0, 0x8f, 0x6c, 0x1a, 0xa4,
	0x0d, 0xcd, 0xb4, 0x8a, 0xd6, 0xfa, 0x24, 0x04, 0x79, 0xd5,
	0xd8, 0xd2, 0xfe, 0x28, 0x19, 0x14,
};

static struct crypto_aead *spdm_test_aead(struct kunit *test,
					  const char *name,
					  struct spdm_session_keys *k,
					  size_t key_len)
{
	struct crypto_aead *tfm = crypto_alloc_aead(name, 0, CRYPTO_ALG_ASYNC);
	int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	memset(k, 0, sizeof(*k));
	for (i = 0; i < SPDM_AEAD_MAX_KEY_SZ; i++)
		k->key[i] = i;
	for (i = 0; i < SPDM_AEAD_IV_SZ; i++)
		k->iv[i] = 2 * i;
	KUNIT_ASSERT_EQ(test, crypto_aead_setkey(tfm, k->key, key_len), 0);
	KUNIT_ASSERT_EQ(test, crypto_aead_setauthsize(tfm, SPDM_AEAD_TAG_SZ),
			0);
	return tfm;
}

static void spdm_test_record_vectors(struct kunit *test)
{
	const u8 *want[] = { spdm_rec1, spdm_rec2 };
	u64 seq[] = { 0, 0xaa55aa55aa55aa55ULL };
	struct spdm_session_keys k;
	struct crypto_aead *tfm;
	size_t off, len;
	const char *why;
	u8 msg[16], *rec;
	int i;

	tfm = spdm_test_aead(test, "gcm(aes)", &k, 32);
	rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		k.seq = seq[i];
		KUNIT_EXPECT_EQ(test, spdm_record_seal(tfm, &k, 0x00112233, 8,
						       false, msg, sizeof(msg),
						       rec, 64),
				sizeof(spdm_rec1));
		KUNIT_EXPECT_MEMEQ(test, rec, want[i], sizeof(spdm_rec1));

		KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 8, false, rec,
						       sizeof(spdm_rec1), &off,
						       &len, &why), 0);
		KUNIT_EXPECT_EQ(test, len, sizeof(msg));
		KUNIT_EXPECT_MEMEQ(test, rec + off, msg, sizeof(msg));

		/* One bit of ciphertext off */
		memcpy(rec, want[i], sizeof(spdm_rec1));
		rec[20] ^= 0x10;
		KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 8, false, rec,
						       sizeof(spdm_rec1), &off,
						       &len, &why), -EBADMSG);
		/* Another sequence number than expected */
		memcpy(rec, want[i], sizeof(spdm_rec1));
		k.seq++;
		KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 8, false, rec,
						       sizeof(spdm_rec1), &off,
						       &len, &why), -EBADMSG);
	}
	crypto_free_aead(tfm);
}

struct spdm_record_case {
	const char *name;
	const char *aead;
	size_t key_len;
	bool mac_only;
};

static const struct spdm_record_case spdm_record_cases[] = {
	{ "aes-128-gcm", "gcm(aes)", 16, false },
	{ "aes-256-gcm mac-only", "gcm(aes)", 32, true },
	{ "chacha20-poly1305", "rfc7539(chacha20,poly1305)", 32, false },
};

static void spdm_record_case_desc(const struct spdm_record_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_record, spdm_record_cases, spdm_record_case_desc);

/* PCIe DOE format: no sequence number on the wire, dword padding */
static void spdm_test_record_doe(struct kunit *test)
{
	const struct spdm_record_case *c = test->param_value;
	u8 msg[5] = { 0x13, 0x68, 0, 0, 0xaa }, *rec, *copy;
	struct spdm_session_keys k;
	struct crypto_aead *tfm;
	size_t off, len, rlen;
	const char *why;
	int n;

	tfm = spdm_test_aead(test, c->aead, &k, c->key_len);
	rec = kunit_kzalloc(test, 64, GFP_KERNEL);
	copy = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	k.seq = 7;

	n = spdm_record_seal(tfm, &k, 0xfffe0001, 0, c->mac_only, msg,
			     sizeof(msg), rec, 64);
	rlen = 4 + 2 + (c->mac_only ? 0 : 2) + sizeof(msg) + 16;
	KUNIT_ASSERT_EQ(test, n, rlen);
	KUNIT_EXPECT_EQ(test, rec[4] | rec[5] << 8, rlen - 6);
	if (c->mac_only)
		KUNIT_EXPECT_MEMEQ(test, rec + 6, msg, sizeof(msg));
	memcpy(copy, rec, 64);

	/* Zero padding to a dword is accepted */
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       ALIGN(rlen, 4), &off, &len,
					       &why), 0);
	KUNIT_EXPECT_EQ(test, len, sizeof(msg));
	KUNIT_EXPECT_MEMEQ(test, rec + off, msg, sizeof(msg));

	/* Four bytes more, one byte less, a header only */
	memcpy(rec, copy, 64);
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       rlen + 4, &off, &len, &why),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       rlen - 1, &off, &len, &why),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       5, &off, &len, &why), -EBADMSG);

	/* The SessionID and Length are authenticated */
	memcpy(rec, copy, 64);
	rec[0] ^= 1;
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       rlen, &off, &len, &why),
			-EBADMSG);

	/* Replay: the next record is expected */
	memcpy(rec, copy, 64);
	k.seq++;
	KUNIT_EXPECT_EQ(test, spdm_record_open(tfm, &k, 0, c->mac_only, rec,
					       rlen, &off, &len, &why),
			-EBADMSG);

	/* Too small an output buffer */
	KUNIT_EXPECT_EQ(test, spdm_record_seal(tfm, &k, 1, 0, c->mac_only,
					       msg, sizeof(msg), rec,
					       rlen - 1), -EMSGSIZE);
	crypto_free_aead(tfm);
}

/* KEY_EXCHANGE_RSP for secp384r1, SHA-384, P-384: D 96, H 48, S 96 */
static void spdm_test_parse_key_exchange(struct kunit *test)
{
	size_t base = 40 + 96, len;
	struct spdm_key_exchange_fields f;
	u8 *rsp;

	rsp = kunit_kzalloc(test, 2048, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rsp);

	/* 12 bytes of opaque data, no measurement summary */
	rsp[base] = 12;
	len = base + 2 + 12 + 96 + 48;
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, len, &f),
			0);
	KUNIT_EXPECT_EQ(test, f.opaque, base);
	KUNIT_EXPECT_EQ(test, f.opaque_len, 12);
	KUNIT_EXPECT_EQ(test, f.sig, base + 2 + 12);
	KUNIT_EXPECT_EQ(test, f.verify, base + 2 + 12 + 96);
	KUNIT_EXPECT_EQ(test, f.len, len);

	/* Truncated ResponderVerifyData, signature, ExchangeData */
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, len - 1,
							  &f), -EIO);
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp,
							  base + 2 + 12 + 50,
							  &f), -EIO);
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, 100, &f),
			-EIO);
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, 4, &f),
			-EIO);

	/* With a summary hash the OpaqueDataLength moves by H */
	rsp[base] = 0;
	rsp[base + 48] = 4;
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x12, 96, 48, 96,
							  true, rsp,
							  base + 48 + 2 + 4 +
							  96 + 48, &f), 0);
	KUNIT_EXPECT_EQ(test, f.sig, base + 48 + 2 + 4);

	/* OpaqueDataLength beyond 1024; one that overruns what arrived */
	rsp[base] = 0x01;
	rsp[base + 1] = 0x04;
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, 2048,
							  &f), -EPROTO);
	rsp[base + 1] = 0x03;
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, 1050,
							  &f), -EIO);
	KUNIT_EXPECT_EQ(test, spdm_parse_key_exchange_rsp(0x13, 96, 48, 96,
							  false, rsp, 1051,
							  &f), 0);
}

/* Elements "0, 0, 4, 0, 1, 0, 0, V": DMTF, selection of version V.0 */
struct spdm_opaque_case {
	const char *name;
	u8 version;
	u8 data[32];
	size_t len;
	int rc;
	u16 sel;
};

static const struct spdm_opaque_case spdm_opaque_cases[] = {
	{ "none", 0x13, {}, 0, 0, 0 },
	{ "1.2 selects 1.1", 0x12, { 1, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0x11 }, 12, 0,
	  0x1100 },
	{ "1.1 selects 1.0", 0x11, { 0x46, 0x54, 0x4d, 0x44, 1, 1, 0, 0,
				     0, 0, 4, 0, 1, 0, 0, 0x10 }, 16, 0, 0x1000 },
	{ "1.1 without SpecID", 0x11, { 1, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0x10 }, 12,
	  -EPROTO, 0 },
	{ "not offered", 0x13, { 1, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0x20 }, 12,
	  -EPROTO, 0 },
	{ "vendor element skipped", 0x13, { 2, 0, 0, 0, 1, 2, 0xab, 0xcd, 1,
					    0, 0x77, 0, 0, 0, 4, 0, 1, 0, 0, 0x12 },
	  20, 0, 0x1200 },
	{ "element overruns", 0x13, { 1, 0, 0, 0, 0, 0, 9, 0, 1, 0, 0, 0x12 },
	  12, -EPROTO, 0 },
	{ "trailing bytes", 0x13, { 1, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0x12, 0, 0, 0,
				    0 }, 16, -EPROTO, 0 },
	{ "two selections", 0x13, { 2, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0x12,
				    0, 0, 4, 0, 1, 0, 0, 0x11 }, 20, -EPROTO, 0 },
	{ "header only", 0x13, { 1, 0 }, 2, -EPROTO, 0 },
};

static void spdm_opaque_case_desc(const struct spdm_opaque_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_opaque, spdm_opaque_cases, spdm_opaque_case_desc);

static void spdm_test_opaque_selection(struct kunit *test)
{
	const struct spdm_opaque_case *c = test->param_value;
	u16 sel = 0xffff;

	KUNIT_EXPECT_EQ(test, spdm_parse_opaque_selection(c->version, c->data,
							  c->len, &sel), c->rc);
	KUNIT_EXPECT_EQ(test, sel, c->sel);
}

/* What we send parses as a well-formed element list */
static void spdm_test_opaque_versions(struct kunit *test)
{
	u8 buf[32];
	size_t len;
	u16 sel;

	len = spdm_opaque_versions(0x13, buf);
	KUNIT_EXPECT_EQ(test, len, 4 + 4 + 12);
	KUNIT_EXPECT_EQ(test, spdm_parse_opaque_selection(0x13, buf, len, &sel),
			0);
	KUNIT_EXPECT_EQ(test, sel, 0);
	len = spdm_opaque_versions(0x11, buf);
	KUNIT_EXPECT_EQ(test, len, 8 + 4 + 12);
	KUNIT_EXPECT_EQ(test, spdm_parse_opaque_selection(0x11, buf, len, &sel),
			0);
}

static struct kunit_case spdm_session_test_cases[] = {
	KUNIT_CASE(spdm_test_hkdf_rfc5869),
	KUNIT_CASE(spdm_test_expand_label),
	KUNIT_CASE(spdm_test_session_id),
	KUNIT_CASE(spdm_test_record_vectors),
	KUNIT_CASE_PARAM(spdm_test_record_doe, spdm_record_gen_params),
	KUNIT_CASE(spdm_test_parse_key_exchange),
	KUNIT_CASE_PARAM(spdm_test_opaque_selection, spdm_opaque_gen_params),
	KUNIT_CASE(spdm_test_opaque_versions),
	{}
};

static struct kunit_suite spdm_session_test_suite = {
	.name = "spdm-session",
	.test_cases = spdm_session_test_cases,
};

kunit_test_suite(spdm_session_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests for SPDM secure sessions");
MODULE_LICENSE("GPL");
