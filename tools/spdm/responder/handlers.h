/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The request handlers, one file per DSP0274 exchange.  Only the dispatch
 * table (dispatch.c) and each handler's own file include this: handlers
 * do not call each other, what they share is in common.c, device.c,
 * session.c and meas_store.c below them.
 */
#ifndef SPDM_RESPONDER_HANDLERS_H
#define SPDM_RESPONDER_HANDLERS_H

#include "spdm.h"

int spdm_get_version(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp);
int spdm_get_capabilities(struct spdm_device *dev,
			  const struct spdm_request *req, struct msg *rsp);
int spdm_negotiate_algorithms(struct spdm_device *dev,
			      const struct spdm_request *req,
			      struct msg *rsp);
int spdm_get_digests(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp);
int spdm_get_certificate(struct spdm_device *dev,
			 const struct spdm_request *req, struct msg *rsp);
int spdm_challenge(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp);
int spdm_get_measurements(struct spdm_device *dev,
			  const struct spdm_request *req, struct msg *rsp);
int spdm_key_exchange(struct spdm_device *dev, const struct spdm_request *req,
		      struct msg *rsp);
int spdm_finish(struct spdm_device *dev, const struct spdm_request *req,
		struct msg *rsp);
int spdm_heartbeat(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp);
int spdm_key_update(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp);
int spdm_end_session(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp);
int spdm_chunk_get(struct spdm_device *dev, const struct spdm_request *req,
		   struct msg *rsp);

/* chunk.c: the dispatcher hands it every response (large ones are kept) */
int spdm_chunk_offer(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp);

#endif /* SPDM_RESPONDER_HANDLERS_H */
