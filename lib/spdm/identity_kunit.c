// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the same-device check (identity.c): what counts as the
 * same identity (leaf key and the DER certificates of the chain, not the
 * chain header, which depends on the negotiated hash) and what not.
 */

#include <crypto/public_key.h>
#include <kunit/device.h>
#include <kunit/test.h>
#include <kunit/visibility.h>

#include "auth.h"
#include "state.h"
#include "wire.h"

/* Certificates: DER-like bytes, the content does not matter here */
static const u8 spdm_id_certs_a[] = { 0x30, 0x03, 0x01, 0x02, 0x03 };
static const u8 spdm_id_certs_b[] = { 0x30, 0x03, 0x01, 0x02, 0x04 };
static const u8 spdm_id_key_a[] = { 0x04, 0xaa, 0xbb, 0xcc };
static const u8 spdm_id_key_b[] = { 0x04, 0xaa, 0xbb, 0xcd };

/* Present @certs in a chain with a header for @hash_len and key @key */
static void spdm_id_present(struct kunit *test, struct spdm_state *spdm_state,
			    const u8 *certs, size_t certs_len, const u8 *key,
			    size_t hash_len)
{
	size_t hdr = sizeof(struct spdm_cert_chain) + hash_len;
	struct public_key *pk;
	u8 *chain;

	chain = kunit_kzalloc(test, hdr + certs_len, GFP_KERNEL);
	pk = kunit_kzalloc(test, sizeof(*pk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chain);
	KUNIT_ASSERT_NOT_NULL(test, pk);
	memset(chain + sizeof(struct spdm_cert_chain), 0x5a, hash_len);
	memcpy(chain + hdr, certs, certs_len);
	pk->key = (void *)key;
	pk->keylen = sizeof(spdm_id_key_a);
	pk->pkey_algo = "ecdsa-nist-p256";

	spdm_state->hash_len = hash_len;
	spdm_state->chal_slot = 0;
	spdm_state->slot[0] = chain;
	spdm_state->slot_sz[0] = hdr + certs_len;
	spdm_state->leaf_key = pk;
	spdm_state->identity_state = SPDM_IDENTITY_NONE;
}

static struct spdm_state *spdm_id_state(struct kunit *test)
{
	struct spdm_state *spdm_state;

	spdm_state = kunit_kzalloc(test, sizeof(*spdm_state), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spdm_state);
	spdm_state->dev = kunit_device_register(test, "spdm-identity");
	KUNIT_ASSERT_FALSE(test, IS_ERR(spdm_state->dev));
	return spdm_state;
}

static void spdm_id_free(struct spdm_state *spdm_state)
{
	/* the chains and keys belong to the test */
	spdm_state->slot[0] = NULL;
	spdm_state->leaf_key = NULL;
	spdm_identity_free(&spdm_state->accepted);
	spdm_identity_free(&spdm_state->presented);
}

static void spdm_test_identity(struct kunit *test)
{
	struct spdm_state *spdm_state = spdm_id_state(test);

	/* Nothing accepted: the check passes, the first success accepts */
	spdm_id_present(test, spdm_state, spdm_id_certs_a,
			sizeof(spdm_id_certs_a), spdm_id_key_a, 48);
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), 0);
	KUNIT_EXPECT_EQ(test, spdm_state->identity_state, SPDM_IDENTITY_NONE);
	spdm_identity_accept_first(spdm_state);
	KUNIT_EXPECT_TRUE(test, spdm_state->accepted.set);
	KUNIT_EXPECT_EQ(test, spdm_state->identity_state,
			SPDM_IDENTITY_ACCEPTED);

	/* The same certificates under another hash's header: the same */
	spdm_id_present(test, spdm_state, spdm_id_certs_a,
			sizeof(spdm_id_certs_a), spdm_id_key_a, 32);
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), 0);
	KUNIT_EXPECT_EQ(test, spdm_state->identity_state,
			SPDM_IDENTITY_ACCEPTED);

	/* Another chain with the same key: changed */
	spdm_id_present(test, spdm_state, spdm_id_certs_b,
			sizeof(spdm_id_certs_b), spdm_id_key_a, 48);
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), -EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, spdm_state->identity_state,
			SPDM_IDENTITY_CHANGED);

	/* The same chain with another key: changed */
	spdm_id_present(test, spdm_state, spdm_id_certs_a,
			sizeof(spdm_id_certs_a), spdm_id_key_b, 48);
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), -EKEYREJECTED);

	/* A later success does not replace what was accepted */
	spdm_identity_accept_first(spdm_state);
	spdm_id_present(test, spdm_state, spdm_id_certs_a,
			sizeof(spdm_id_certs_a), spdm_id_key_a, 48);
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), 0);

	spdm_id_free(spdm_state);
}

static void spdm_test_identity_no_key(struct kunit *test)
{
	struct spdm_state *spdm_state = spdm_id_state(test);

	/* No proven key: nothing to compare, nothing accepted */
	KUNIT_EXPECT_EQ(test, spdm_identity_check(spdm_state), -ENOKEY);
	spdm_identity_accept_first(spdm_state);
	KUNIT_EXPECT_FALSE(test, spdm_state->accepted.set);
}

static struct kunit_case spdm_identity_test_cases[] = {
	KUNIT_CASE(spdm_test_identity),
	KUNIT_CASE(spdm_test_identity_no_key),
	{}
};

static struct kunit_suite spdm_identity_test_suite = {
	.name = "spdm-identity",
	.test_cases = spdm_identity_test_cases,
};

kunit_test_suites(&spdm_identity_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests of the SPDM same-device check");
MODULE_LICENSE("GPL");
