// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/spdm.yaml */
/* YNL-GEN kernel source */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/spdm_netlink.h>

/* SPDM_CMD_CHALLENGE - do */
static const struct nla_policy spdm_challenge_nl_policy[SPDM_A_EVIDENCE_FLAGS + 1] = {
	[SPDM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[SPDM_A_EVIDENCE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
	[SPDM_A_EVIDENCE_SLOT] = NLA_POLICY_MAX(NLA_U8, 7),
	[SPDM_A_EVIDENCE_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* SPDM_CMD_EVIDENCE_READ - dump */
static const struct nla_policy spdm_evidence_read_nl_policy[SPDM_A_EVIDENCE_FLAGS + 1] = {
	[SPDM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[SPDM_A_EVIDENCE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
	[SPDM_A_EVIDENCE_TYPE_MASK] = NLA_POLICY_MASK(NLA_U32, 0x7ff),
	[SPDM_A_EVIDENCE_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x3),
};

/* SPDM_CMD_MEASUREMENTS - do */
static const struct nla_policy spdm_measurements_nl_policy[SPDM_A_EVIDENCE_MEAS_INDEX + 1] = {
	[SPDM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[SPDM_A_EVIDENCE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
	[SPDM_A_EVIDENCE_SLOT] = NLA_POLICY_MAX(NLA_U8, 7),
	[SPDM_A_EVIDENCE_MEAS_INDEX] = NLA_POLICY_RANGE(NLA_U8, 1, 254),
};

/* SPDM_CMD_KEY_EXCHANGE - do */
static const struct nla_policy spdm_key_exchange_nl_policy[SPDM_A_EVIDENCE_MEAS_INDEX + 1] = {
	[SPDM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[SPDM_A_EVIDENCE_NONCE] = NLA_POLICY_EXACT_LEN(SPDM_NONCE_LEN),
	[SPDM_A_EVIDENCE_SLOT] = NLA_POLICY_MAX(NLA_U8, 7),
	[SPDM_A_EVIDENCE_MEAS_INDEX] = NLA_POLICY_RANGE(NLA_U8, 1, 254),
};

/* SPDM_CMD_ACCEPT - do */
static const struct nla_policy spdm_accept_nl_policy[SPDM_A_EVIDENCE_CHAIN_DIGEST + 1] = {
	[SPDM_A_EVIDENCE_DEV_NAME] = { .type = NLA_NUL_STRING, },
	[SPDM_A_EVIDENCE_CHAIN_DIGEST] = NLA_POLICY_EXACT_LEN(SPDM_CHAIN_DIGEST_LEN),
};

/* Ops table for spdm */
static const struct genl_split_ops spdm_nl_ops[] = {
	{
		.cmd		= SPDM_CMD_CHALLENGE,
		.doit		= spdm_nl_challenge_doit,
		.policy		= spdm_challenge_nl_policy,
		.maxattr	= SPDM_A_EVIDENCE_FLAGS,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPDM_CMD_EVIDENCE_READ,
		.dumpit		= spdm_nl_evidence_read_dumpit,
		.policy		= spdm_evidence_read_nl_policy,
		.maxattr	= SPDM_A_EVIDENCE_FLAGS,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SPDM_CMD_MEASUREMENTS,
		.doit		= spdm_nl_measurements_doit,
		.policy		= spdm_measurements_nl_policy,
		.maxattr	= SPDM_A_EVIDENCE_MEAS_INDEX,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPDM_CMD_KEY_EXCHANGE,
		.doit		= spdm_nl_key_exchange_doit,
		.policy		= spdm_key_exchange_nl_policy,
		.maxattr	= SPDM_A_EVIDENCE_MEAS_INDEX,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SPDM_CMD_ACCEPT,
		.doit		= spdm_nl_accept_doit,
		.policy		= spdm_accept_nl_policy,
		.maxattr	= SPDM_A_EVIDENCE_CHAIN_DIGEST,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group spdm_nl_mcgrps[] = {
	[SPDM_NLGRP_SIG] = { "sig", },
};

struct genl_family spdm_nl_family __ro_after_init = {
	.name		= SPDM_FAMILY_NAME,
	.version	= SPDM_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= spdm_nl_ops,
	.n_split_ops	= ARRAY_SIZE(spdm_nl_ops),
	.mcgrps		= spdm_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(spdm_nl_mcgrps),
};
