/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Transport-agnostic requester API: a bus (PCI CMA over DOE, ...) creates
 * the SPDM state of a device with a transport callback, then asks the
 * library to authenticate the device.
 */

#ifndef _LINUX_SPDM_H_
#define _LINUX_SPDM_H_

#include <linux/types.h>

struct device;
struct spdm_state;

/**
 * typedef spdm_transport - send an SPDM request and receive the response
 * @priv: transport private data given to spdm_create()
 * @dev: device the message is exchanged with
 * @request: SPDM request message
 * @request_sz: size of @request in bytes
 * @response: buffer for the SPDM response message
 * @response_sz: size of @response in bytes
 *
 * Return: number of bytes received (which may be smaller than
 * @response_sz, or larger, in which case the excess was discarded), or a
 * negative errno.  May sleep.
 */
typedef ssize_t (spdm_transport)(void *priv, struct device *dev,
				 const void *request, size_t request_sz,
				 void *response, size_t response_sz);

struct spdm_state *spdm_create(struct device *dev, spdm_transport *transport,
			       void *transport_priv, u32 transport_sz);
void spdm_destroy(struct spdm_state *spdm_state);
int spdm_authenticate(struct spdm_state *spdm_state);
u8 spdm_version(struct spdm_state *spdm_state);

#endif /* _LINUX_SPDM_H_ */
