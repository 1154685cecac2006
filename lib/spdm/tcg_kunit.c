// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the TCG event encoding (tcg-log.c): each field at the
 * offset Documentation/ABI/testing/securityfs-spdm-event-log gives it,
 * read back with byte offsets rather than the kernel's structures, and
 * the digests of a TCG_PCR_EVENT2 against published test vectors.
 */

#include <crypto/sha2.h>
#include <linux/tpm.h>
#include <linux/unaligned.h>
#include <kunit/device.h>
#include <kunit/test.h>
#include <kunit/visibility.h>

#include "state.h"
#include "tcg-log.h"
#include "wire.h"

/* Offsets of the event data, from the ABI document */
#define HDR_LEN		52	/* DEVICE_SECURITY_EVENT_DATA_HEADER2 */
#define SUB_LEN		8	/* sub-header before its payload */
#define RT_LEN		124	/* "Linux SPDM Event" part */

/* Two measurement blocks: Index, MeasurementSpecification, Size, value */
static const u8 spdm_tcg_record[] = {
	0x01, 0x01, 0x05, 0x00, 0x10, 0x11, 0x12, 0x13, 0x14,
	0x02, 0x01, 0x03, 0x00, 0x20, 0x21, 0x22,
};

KUNIT_DEFINE_ACTION_WRAPPER(spdm_tcg_kvfree, kvfree, const void *);

/* A device of SPDM 1.2 that is not on PCI; one per test */
static struct spdm_state *spdm_tcg_state(struct kunit *test)
{
	struct spdm_state *spdm_state;

	spdm_state = kunit_kzalloc(test, sizeof(*spdm_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spdm_state);
	spdm_state->dev = kunit_device_register(test, "spdm-tcg");
	KUNIT_ASSERT_FALSE(test, IS_ERR(spdm_state->dev));
	spdm_state->version = 0x12;
	spdm_state->base_hash_alg = 0x2;
	spdm_state->meas_hash_alg = 0x4;
	spdm_state->tcg_uid = 0x0102030405060708ULL;
	return spdm_state;
}

static u8 *spdm_tcg_data(struct kunit *test, struct spdm_state *spdm_state,
			 const struct spdm_tcg_desc *d, size_t *len)
{
	u8 *data = spdm_tcg_event_data(spdm_state, d, len);

	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test,
			kunit_add_action_or_reset(test, spdm_tcg_kvfree, data),
			0);
	return data;
}

/* The header's fixed fields and the runtime part's identity */
static void spdm_tcg_expect_frame(struct kunit *test, const u8 *data,
				  size_t len, u8 auth_state, u32 sub_type,
				  u8 kind, const char *dev_name)
{
	const u8 *rt = data + len - RT_LEN;
	char name[32] = {};

	/* NUL-padded, cut to 31 characters (a PCI name has 12) */
	strscpy(name, dev_name);

	KUNIT_EXPECT_MEMEQ(test, data, "SPDM Device Sec2", 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(data + 16), 2);
	KUNIT_EXPECT_EQ(test, data[18], auth_state);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + 20), len);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + 24), 0); /* not PCI */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + 28), sub_type);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(data + 36),
			0x0102030405060708ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(data + 44), 0);
	KUNIT_EXPECT_EQ(test, HDR_LEN + get_unaligned_le32(data + 32) + RT_LEN,
			len);

	KUNIT_EXPECT_MEMEQ(test, rt, "Linux SPDM Event", 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(rt + 16), 1);
	KUNIT_EXPECT_EQ(test, rt[18], kind);
	KUNIT_EXPECT_MEMEQ(test, rt + 92, name, sizeof(name));
}

/* Measurements no signature covers: the record, no nonce, no transcript */
static void spdm_tcg_test_unsigned_meas(struct kunit *test)
{
	struct spdm_state *spdm_state = spdm_tcg_state(test);
	struct spdm_tcg_desc d = {
		.kind = SPDM_TCG_MEASUREMENTS,
		.auth_state = SPDM_TCG_AUTH_FAIL_NO_SIG,
		.record = spdm_tcg_record,
		.record_len = sizeof(spdm_tcg_record),
	};
	u8 zero[32] = {};
	size_t len;
	u8 *data, *rt;

	data = spdm_tcg_data(test, spdm_state, &d, &len);
	KUNIT_ASSERT_EQ(test, len, HDR_LEN + SUB_LEN + sizeof(spdm_tcg_record) +
				   RT_LEN);
	spdm_tcg_expect_frame(test, data, len, 3, 0, 2,
			      dev_name(spdm_state->dev));

	KUNIT_EXPECT_EQ(test, get_unaligned_le16(data + HDR_LEN), 0x12);
	KUNIT_EXPECT_EQ(test, data[HDR_LEN + 2], 2);	/* blocks */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + HDR_LEN + 4), 0x4);
	KUNIT_EXPECT_MEMEQ(test, data + HDR_LEN + SUB_LEN, spdm_tcg_record,
			   sizeof(spdm_tcg_record));

	rt = data + len - RT_LEN;
	KUNIT_EXPECT_EQ(test, rt[19], 0);		/* no flags */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rt + 20), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rt + 24), 0);
	KUNIT_EXPECT_MEMEQ(test, rt + 28, zero, 32);	/* nonce */
	KUNIT_EXPECT_MEMEQ(test, rt + 60, zero, 32);	/* transcript */
}

/*
 * A session's KEY_EXCHANGE_RSP signature: the chain digest of its slot,
 * the requester nonce at its offset of the transcript, the transcript's
 * SHA-256 and the session ID
 */
static void spdm_tcg_test_signed_session(struct kunit *test)
{
	struct spdm_state *spdm_state = spdm_tcg_state(test);
	struct spdm_evidence *ev;
	struct spdm_session *session;
	struct spdm_tcg_desc d = {
		.kind = SPDM_TCG_SESSION,
		.auth_state = SPDM_TCG_AUTH_SUCCESS,
	};
	u8 transcript[100], digest[SHA256_DIGEST_SIZE];
	size_t len, i;
	u8 *data, *rt;

	for (i = 0; i < sizeof(transcript); i++)
		transcript[i] = i;
	ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	session = kunit_kzalloc(test, sizeof(*session), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	KUNIT_ASSERT_NOT_NULL(test, session);
	ev->type = SPDM_SIG_TYPE_KEY_EXCHANGE;
	ev->transcript = transcript;
	ev->transcript_len = sizeof(transcript);
	ev->req_nonce_off = 40;
	ev->slot = 3;
	ev->received = true;
	ev->valid = true;
	session->id = 0xfffe0001;
	spdm_state->session = session;
	d.ev = ev;

	/* Slot 3 holds no chain: the sub-header has no digest */
	data = spdm_tcg_data(test, spdm_state, &d, &len);
	KUNIT_ASSERT_EQ(test, len, HDR_LEN + SUB_LEN + RT_LEN);
	spdm_tcg_expect_frame(test, data, len, 0, 1, 3,
			      dev_name(spdm_state->dev));
	KUNIT_EXPECT_EQ(test, data[HDR_LEN + 2], 3);	/* slot */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(data + HDR_LEN + 4), 0x2);

	rt = data + len - RT_LEN;
	KUNIT_EXPECT_EQ(test, rt[19], 3);		/* signed, session */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(rt + 24), 0xfffe0001);
	KUNIT_EXPECT_MEMEQ(test, rt + 28, transcript + 40, 32);
	sha256(transcript, sizeof(transcript), digest);
	KUNIT_EXPECT_MEMEQ(test, rt + 60, digest, sizeof(digest));
}

/* SHA-1 and SHA-256 of "abc" (FIPS 180-2, appendices A.1 and B.1) */
static const u8 spdm_tcg_sha1_abc[] = {
	0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
	0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
};

static const u8 spdm_tcg_sha256_abc[] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

/* TCG_PCR_EVENT2: PCR, type, one digest per bank in order, the data */
static void spdm_tcg_test_pcr_event2(struct kunit *test)
{
	static const struct spdm_tcg_bank banks[] = {
		{ TPM_ALG_SHA1, SHA1_DIGEST_SIZE, HASH_ALGO_SHA1 },
		{ TPM_ALG_SHA256, SHA256_DIGEST_SIZE, HASH_ALGO_SHA256 },
	};
	struct tpm_digest digests[ARRAY_SIZE(banks)];
	struct spdm_tcg_event *e;
	const u8 *p;

	e = spdm_tcg_event(banks, ARRAY_SIZE(banks), "abc", 3, digests);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, spdm_tcg_kvfree, e),
			0);

	KUNIT_ASSERT_EQ(test, e->len, 12 + 2 + 20 + 2 + 32 + 4 + 3);
	p = e->data;
	KUNIT_EXPECT_GE(test, get_unaligned_le32(p), 8);	/* PCR */
	KUNIT_EXPECT_LE(test, get_unaligned_le32(p), 15);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 4), 0x800000e1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 8), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(p + 12), TPM_ALG_SHA1);
	KUNIT_EXPECT_MEMEQ(test, p + 14, spdm_tcg_sha1_abc, 20);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(p + 34), TPM_ALG_SHA256);
	KUNIT_EXPECT_MEMEQ(test, p + 36, spdm_tcg_sha256_abc, 32);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(p + 68), 3);
	KUNIT_EXPECT_MEMEQ(test, p + 72, "abc", 3);

	KUNIT_EXPECT_EQ(test, digests[0].alg_id, TPM_ALG_SHA1);
	KUNIT_EXPECT_MEMEQ(test, digests[0].digest, spdm_tcg_sha1_abc, 20);
	KUNIT_EXPECT_EQ(test, digests[1].alg_id, TPM_ALG_SHA256);
	KUNIT_EXPECT_MEMEQ(test, digests[1].digest, spdm_tcg_sha256_abc, 32);
}

static struct kunit_case spdm_tcg_test_cases[] = {
	KUNIT_CASE(spdm_tcg_test_unsigned_meas),
	KUNIT_CASE(spdm_tcg_test_signed_session),
	KUNIT_CASE(spdm_tcg_test_pcr_event2),
	{}
};

static struct kunit_suite spdm_tcg_test_suite = {
	.name = "spdm-tcg",
	.test_cases = spdm_tcg_test_cases,
};

kunit_test_suites(&spdm_tcg_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests of the SPDM TCG event encoding");
MODULE_LICENSE("GPL");
