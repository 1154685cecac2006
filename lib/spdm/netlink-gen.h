/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/spdm.yaml */
/* YNL-GEN kernel header */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _LINUX_SPDM_GEN_H
#define _LINUX_SPDM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/spdm_netlink.h>

int spdm_nl_challenge_doit(struct sk_buff *skb, struct genl_info *info);
int spdm_nl_evidence_read_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);
int spdm_nl_measurements_doit(struct sk_buff *skb, struct genl_info *info);
int spdm_nl_key_exchange_doit(struct sk_buff *skb, struct genl_info *info);
int spdm_nl_accept_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	SPDM_NLGRP_SIG,
};

extern struct genl_family spdm_nl_family;

#endif /* _LINUX_SPDM_GEN_H */
