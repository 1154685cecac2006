// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the SPDM certificate chain validation.
 *
 * The test certificates are in test-certs.h.
 */

#include <crypto/public_key.h>
#include <keys/x509-parser.h>
#include <kunit/device.h>
#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <kunit/visibility.h>
#include <linux/cred.h>
#include <linux/key.h>

#include "crypto.h"
#include "state.h"
#include "test-certs.h"

struct spdm_cert_blob {
	const u8 *data;
	size_t size;
};

#define BLOB(x)		{ x, sizeof(x) }
#define BYTES(...)	{ (const u8[]){ __VA_ARGS__ }, \
			  sizeof((const u8[]){ __VA_ARGS__ }) }

#define ROOT		BLOB(root_der)
#define INTER		BLOB(inter_der)
#define LEAF		BLOB(leaf_der)
#define LEAF2		BLOB(leaf2_der)
#define LEAF3		BLOB(leaf3_der)

/* Offset of "SSID=1100" in the subjectAltName from the end of leaf_der */
#define LEAF_SAN_FROM_END	160

#define SPDM_TEST_PARTS		5

struct spdm_cert_case {
	const char *name;
	struct spdm_cert_blob parts[SPDM_TEST_PARTS + 1];
	size_t trim;	/* bytes cut off the end of the chain */
	size_t flip;	/* byte to corrupt, counted from the end (1: last) */
	int rc;
};

static const struct spdm_cert_case spdm_cert_cases[] = {
	{ "root, intermediate, leaf", { ROOT, INTER, LEAF }, .rc = 0 },
	{ "root left out", { INTER, LEAF }, .rc = 0 },
	{ "leaf alone", { LEAF }, .rc = 0 },
	{ "leaf without keyUsage", { ROOT, INTER, LEAF3 }, .rc = 0 },
	{ "leaf signature corrupted", { ROOT, INTER, LEAF }, .flip = 1,
	  .rc = -EKEYREJECTED },
	{ "leaf subjectAltName corrupted", { ROOT, INTER, LEAF },
	  .flip = LEAF_SAN_FROM_END, .rc = -EKEYREJECTED },
	{ "root self-signature corrupted", { ROOT }, .flip = 1,
	  .rc = -EKEYREJECTED },
	{ "wrong order", { ROOT, LEAF, INTER }, .rc = -EKEYREJECTED },
	{ "signed by a leaf", { ROOT, INTER, LEAF, LEAF2 },
	  .rc = -EKEYREJECTED },
	{ "root as leaf", { ROOT }, .rc = -EKEYREJECTED },
	{ "CA as leaf", { ROOT, INTER }, .rc = -EKEYREJECTED },
	{ "no certificate", { }, .rc = -EBADMSG },
	{ "truncated", { ROOT, INTER, LEAF }, .trim = 1, .rc = -EBADMSG },
	{ "trailing byte", { ROOT, INTER, LEAF, BYTES(0x00) },
	  .rc = -EBADMSG },
	{ "trailing empty SEQUENCE", { ROOT, INTER, LEAF, BYTES(0x30, 0x00) },
	  .rc = -EBADMSG },
	{ "length overruns", { BYTES(0x30, 0x82, 0x01, 0x00, 0x30, 0x00) },
	  .rc = -EBADMSG },
	{ "indefinite length", { BYTES(0x30, 0x80, 0x00, 0x00) },
	  .rc = -EBADMSG },
	{ "three length bytes", { BYTES(0x30, 0x83, 0x00, 0x00, 0x01, 0x00) },
	  .rc = -EBADMSG },
	{ "long form without length", { BYTES(0x30, 0x82, 0x01) },
	  .rc = -EBADMSG },
	{ "tag only", { BYTES(0x30) }, .rc = -EBADMSG },
	{ "not a SEQUENCE", { BYTES(0x31, 0x02, 0x05, 0x00) },
	  .rc = -EBADMSG },
	{ "garbage after the leaf", { ROOT, INTER, LEAF,
				      BYTES(0xde, 0xad, 0xbe, 0xef) },
	  .rc = -EBADMSG },
};

static u8 *spdm_test_chain(struct kunit *test,
			   const struct spdm_cert_blob *parts, size_t *sz)
{
	size_t total = 0;
	unsigned int i;
	u8 *buf;

	for (i = 0; parts[i].data; i++)
		total += parts[i].size;

	buf = kunit_kmalloc(test, total ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (*sz = 0, i = 0; parts[i].data; i++) {
		memcpy(buf + *sz, parts[i].data, parts[i].size);
		*sz += parts[i].size;
	}
	return buf;
}

struct spdm_test_priv {
	struct spdm_state spdm_state;
	unsigned int validate_calls;
	u8 validate_slot;
	const char *validate_subject;
	int validate_rc;
};

static int spdm_test_init(struct kunit *test)
{
	struct spdm_test_priv *priv;
	struct device *dev;

	priv = kunit_kzalloc(test, sizeof(*priv), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, priv);

	dev = kunit_device_register(test, "spdm-cert-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);

	priv->spdm_state.dev = dev;
	test->priv = priv;
	return 0;
}

/* Validate @certs and check the outputs against the return code */
static int spdm_test_validate_chain(struct kunit *test, const u8 *certs,
				    size_t certs_sz, bool *anchored)
{
	struct spdm_test_priv *priv = test->priv;
	struct public_key *leaf_key = ERR_PTR(-EINVAL);
	int rc;

	*anchored = true;
	rc = spdm_validate_cert_chain(&priv->spdm_state, 3, certs, certs_sz,
				      NULL, &leaf_key, anchored);
	if (rc) {
		KUNIT_EXPECT_NULL(test, leaf_key);
		KUNIT_EXPECT_FALSE(test, *anchored);
		return rc;
	}

	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, leaf_key);
	if (!IS_ERR_OR_NULL(leaf_key)) {
		KUNIT_EXPECT_STREQ(test, leaf_key->pkey_algo, "ecdsa-nist-p256");
		public_key_free(leaf_key);
	}
	return rc;
}

/* "rejected" names the chains that must fail (run-tests counts them) */
static void spdm_cert_case_desc(const struct spdm_cert_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s", c->name,
		 c->rc ? " (rejected)" : "");
}

KUNIT_ARRAY_PARAM(spdm_cert, spdm_cert_cases, spdm_cert_case_desc);

static void spdm_test_chain_cases(struct kunit *test)
{
	const struct spdm_cert_case *c = test->param_value;
	bool anchored;
	size_t sz;
	u8 *buf;

	buf = spdm_test_chain(test, c->parts, &sz);
	if (c->flip)
		buf[sz - c->flip] ^= 0x01;
	sz -= c->trim;

	KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
						       &anchored), c->rc);
	KUNIT_EXPECT_FALSE(test, anchored);
}

/* At most 16 certificates: 14 copies of the root, inter and leaf3 pass */
static void spdm_test_max_certs(struct kunit *test)
{
	size_t sz, root_sz = sizeof(root_der);
	unsigned int copies, i;
	bool anchored;
	u8 *buf;

	buf = kunit_kmalloc(test, 15 * root_sz + sizeof(inter_der) +
			    sizeof(leaf3_der), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (copies = 14; copies <= 15; copies++) {
		for (sz = 0, i = 0; i < copies; i++, sz += root_sz)
			memcpy(buf + sz, root_der, root_sz);
		memcpy(buf + sz, inter_der, sizeof(inter_der));
		sz += sizeof(inter_der);
		memcpy(buf + sz, leaf3_der, sizeof(leaf3_der));
		sz += sizeof(leaf3_der);

		KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
							       &anchored),
				copies == 14 ? 0 : -EBADMSG);
	}
}

struct spdm_anchor_case {
	const char *name;
	struct spdm_cert_blob keys[2];
	struct spdm_cert_blob parts[SPDM_TEST_PARTS + 1];
	bool anchored;
};

static const struct spdm_anchor_case spdm_anchor_cases[] = {
	{ "root in keyring", { ROOT }, { ROOT, INTER, LEAF }, true },
	{ "root in keyring, left out", { ROOT }, { INTER, LEAF }, true },
	{ "root in keyring, leaf alone", { ROOT }, { LEAF }, false },
	{ "intermediate in keyring", { INTER }, { ROOT, INTER, LEAF }, false },
	{ "intermediate in keyring, leaf alone", { INTER }, { LEAF }, true },
	{ "empty keyring", { }, { ROOT, INTER, LEAF }, false },
};

static void spdm_anchor_case_desc(const struct spdm_anchor_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_anchor, spdm_anchor_cases, spdm_anchor_case_desc);

static void spdm_test_keyring_put(void *keyring)
{
	key_put(keyring);
}

static struct key *spdm_test_keyring(struct kunit *test,
				     const struct spdm_cert_blob *keys)
{
	struct key *keyring;
	key_ref_t key;
	int rc;

	keyring = keyring_alloc("spdm-cert-test", GLOBAL_ROOT_UID,
				GLOBAL_ROOT_GID, current_cred(),
				KEY_POS_ALL, KEY_ALLOC_NOT_IN_QUOTA,
				NULL, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, keyring);
	rc = kunit_add_action_or_reset(test, spdm_test_keyring_put, keyring);
	KUNIT_ASSERT_EQ(test, rc, 0);

	for (; keys->data; keys++) {
		key = key_create_or_update(make_key_ref(keyring, true),
					   "asymmetric", NULL, keys->data,
					   keys->size, KEY_POS_ALL,
					   KEY_ALLOC_NOT_IN_QUOTA);
		KUNIT_ASSERT_FALSE(test, IS_ERR(key));
		key_ref_put(key);
	}
	return keyring;
}

static void spdm_test_anchor_cases(struct kunit *test)
{
	const struct spdm_anchor_case *c = test->param_value;
	struct spdm_test_priv *priv = test->priv;
	bool anchored;
	size_t sz;
	u8 *buf;

	priv->spdm_state.keyring = spdm_test_keyring(test, c->keys);
	buf = spdm_test_chain(test, c->parts, &sz);

	KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
						       &anchored), 0);
	KUNIT_EXPECT_EQ(test, anchored, c->anchored);
}

static int spdm_test_validate_cb(struct device *dev, u8 slot,
				 struct x509_certificate *leaf)
{
	struct kunit *test = kunit_get_current_test();
	struct spdm_test_priv *priv = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, dev, priv->spdm_state.dev);
	priv->validate_calls++;
	priv->validate_slot = slot;
	priv->validate_subject = kunit_kstrdup(test, leaf->subject,
					       GFP_KERNEL);
	return priv->validate_rc;
}

static void spdm_test_validate_callback(struct kunit *test)
{
	const struct spdm_cert_blob chain[] = { ROOT, INTER, LEAF, { } };
	struct spdm_test_priv *priv = test->priv;
	bool anchored;
	size_t sz;
	u8 *buf;

	priv->spdm_state.validate = spdm_test_validate_cb;
	buf = spdm_test_chain(test, chain, &sz);

	KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
						       &anchored), 0);
	KUNIT_EXPECT_EQ(test, priv->validate_calls, 1);
	KUNIT_EXPECT_EQ(test, priv->validate_slot, 3);
	KUNIT_EXPECT_STREQ(test, priv->validate_subject, "LEAF");

	/* The bus's verdict is final */
	priv->validate_rc = -EPERM;
	KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
						       &anchored), -EPERM);
	KUNIT_EXPECT_EQ(test, priv->validate_calls, 2);

	/* Not called for a chain that fails on its own */
	buf[sz - 1] ^= 0x01;
	KUNIT_EXPECT_EQ(test, spdm_test_validate_chain(test, buf, sz,
						       &anchored),
			-EKEYREJECTED);
	KUNIT_EXPECT_EQ(test, priv->validate_calls, 2);
}

static struct kunit_case spdm_cert_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_chain_cases, spdm_cert_gen_params),
	KUNIT_CASE(spdm_test_max_certs),
	KUNIT_CASE_PARAM(spdm_test_anchor_cases, spdm_anchor_gen_params),
	KUNIT_CASE(spdm_test_validate_callback),
	{}
};

static struct kunit_suite spdm_cert_test_suite = {
	.name = "spdm-cert",
	.init = spdm_test_init,
	.test_cases = spdm_cert_test_cases,
};

kunit_test_suite(spdm_cert_test_suite);

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
MODULE_DESCRIPTION("KUnit tests for the SPDM certificate chain validation");
MODULE_LICENSE("GPL");
