// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the SPDM requester's message parsers.
 */

#include <kunit/test.h>
#include <kunit/visibility.h>

#include "spdm.h"

struct spdm_version_case {
	const char *name;
	const u8 *rsp;
	size_t rsp_sz;
	int rc;
	u8 version;
};

#define RSP(...) ((const u8[]){ __VA_ARGS__ }), sizeof((const u8[]){ __VA_ARGS__ })
#define VER_HDR 0x10, 0x04, 0, 0, 0

static const struct spdm_version_case spdm_version_cases[] = {
	{ "all four", RSP(VER_HDR, 4, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12,
			  0x00, 0x13), 0, 0x13 },
	{ "unordered", RSP(VER_HDR, 3, 0x00, 0x12, 0x00, 0x10, 0x00, 0x11),
	  0, 0x12 },
	{ "newer ignored", RSP(VER_HDR, 2, 0x00, 0x14, 0x00, 0x12), 0, 0x12 },
	{ "update/alpha ignored", RSP(VER_HDR, 1, 0x3f, 0x11), 0, 0x11 },
	{ "DOE padding", RSP(VER_HDR, 1, 0x00, 0x10, 0, 0, 0, 0), 0, 0x10 },
	{ "only 2.0", RSP(VER_HDR, 1, 0x00, 0x20), -EPROTO, 0 },
	{ "only 0.9", RSP(VER_HDR, 1, 0x00, 0x09), -EPROTO, 0 },
	{ "no entries", RSP(VER_HDR, 0), -EIO, 0 },
	{ "count lies", RSP(VER_HDR, 3, 0x00, 0x10, 0x00, 0x11), -EIO, 0 },
	{ "half entry", RSP(VER_HDR, 1, 0x00), -EIO, 0 },
	{ "header only", RSP(0x10, 0x04, 0, 0), -EIO, 0 },
};

static void spdm_version_case_desc(const struct spdm_version_case *c,
				   char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(spdm_version, spdm_version_cases, spdm_version_case_desc);

static void spdm_test_select_version(struct kunit *test)
{
	const struct spdm_version_case *c = test->param_value;
	u8 version = 0;

	KUNIT_EXPECT_EQ(test, spdm_select_version((const void *)c->rsp,
						  c->rsp_sz, &version), c->rc);
	KUNIT_EXPECT_EQ(test, version, c->version);
}

static struct kunit_case spdm_test_cases[] = {
	KUNIT_CASE_PARAM(spdm_test_select_version, spdm_version_gen_params),
	{}
};

static struct kunit_suite spdm_test_suite = {
	.name = "spdm",
	.test_cases = spdm_test_cases,
};
kunit_test_suite(spdm_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the SPDM requester");
MODULE_LICENSE("GPL");
