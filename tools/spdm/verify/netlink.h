/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, model layer: the operations of the "spdm" generic netlink
 * family, each filling evidence objects (netlink.c).
 */
#ifndef SPDM_VERIFY_NETLINK_H
#define SPDM_VERIFY_NETLINK_H

#include "evidence.h"

struct sv_nl;

/* Why a netlink operation failed. */
struct sv_nlerr {
	int kernel_errno;		/* errno the kernel answered, or 0 */
	char msg[SV_ERR_MAX];		/* the whole story */
};

struct sv_nl *sv_nl_open(bool events, struct sv_nlerr *e);
struct sv_nl *sv_nl_open_buf(bool events, size_t msg_buf,
			     struct sv_nlerr *e);
void sv_nl_close(struct sv_nl *nl);
void sv_nl_set_timeout(struct sv_nl *nl, int timeout_ms);
int sv_nl_signed(struct sv_nl *nl, uint8_t cmd, const char *dev,
		 const uint8_t nonce[SV_NONCE_LEN], int slot, uint32_t flags,
		 const uint8_t *indices, unsigned int nr_indices,
		 struct sv_evidence *ev, struct sv_nlerr *e);
/* accept: the chain whose DER certificates hash (SHA-384) to @digest */
int sv_nl_accept(struct sv_nl *nl, const char *dev,
		 const uint8_t digest[SV_CHAIN_DIGEST_LEN], struct sv_nlerr *e);
/* 1: the family has operation @cmd, 0: it has not, -1: cannot tell */
int sv_nl_has_op(struct sv_nl *nl, uint8_t cmd);

/* Called for each complete object of a dump (non-zero: stop), or event. */
typedef int (*sv_object_cb)(struct sv_evidence *ev, void *arg);

/* An evidence-read request */
struct sv_dump_req {
	const uint8_t *nonce;		/* challenge with it first, or NULL */
	uint32_t type_mask;		/* SV_OBJ_BIT()s, 0: all */
	uint32_t flags;			/* SV_FLAG_* */
	/* called once, after the first message (tests), if not NULL */
	void (*between)(void *arg);
	void *between_arg;
};

/*
 * Every message must carry the same generation (*@generation receives
 * it); a dump the kernel ends with EAGAIN fails with kernel_errno EAGAIN.
 */
int sv_nl_dump(struct sv_nl *nl, const char *dev, const struct sv_dump_req *q,
	       sv_object_cb cb, void *arg, uint32_t *generation,
	       struct sv_nlerr *e);
/*
 * Waits up to @timeout_ms (-1: forever) for events; returns how many were
 * handled (0: timeout or signal), -1 on error.
 */
int sv_nl_watch(struct sv_nl *nl, int timeout_ms, sv_object_cb cb,
		void *arg, struct sv_nlerr *e);

#endif /* SPDM_VERIFY_NETLINK_H */
