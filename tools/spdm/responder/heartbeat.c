// SPDX-License-Identifier: GPL-2.0
/*
 * HEARTBEAT / HEARTBEAT_ACK (DSP0274 1.1 sec 10.16, 1.3 sec 10.19), only
 * inside an established session (dispatch.c checks that, HBEAT_CAP on
 * both sides and the size).  The secured transport (secured.c) ends a
 * session that goes quiet for twice the HeartbeatPeriod.
 */
#include "handlers.h"
#include "log.h"

int spdm_heartbeat(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp)
{
	log_msg("port %u: HEARTBEAT in session 0x%08x", dev->port,
		dev->cur_session->id);
	return spdm_put_hdr(rsp, req->version, SPDM_HEARTBEAT_ACK, 0, 0);
}
