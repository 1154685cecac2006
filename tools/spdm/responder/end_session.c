// SPDX-License-Identifier: GPL-2.0
/*
 * END_SESSION / END_SESSION_ACK (DSP0274 1.1 sec 10.18, 1.3 sec 10.21),
 * only inside a session (dispatch.c checks that, KEY_EX_CAP and the
 * size).  END_SESSION_ACK goes out in the session, then the session is
 * gone (secured.c frees it).
 */
#include "handlers.h"

int spdm_end_session(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	dev->cur_session->ending = true;
	return spdm_put_hdr(rsp, req->version, SPDM_END_SESSION_ACK, 0, 0);
}
