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

struct attribute_group;
struct device;
struct key;
struct spdm_state;
struct x509_certificate;

/**
 * typedef spdm_transport - send an SPDM request and receive the response
 * @priv: transport private data given to spdm_create()
 * @dev: device the message is exchanged with
 * @request: SPDM request message
 * @request_sz: size of @request in bytes
 * @response: buffer for the SPDM response message
 * @response_sz: size of @response in bytes
 *
 * The same type carries secured messages (DSP0277): then @request and
 * @response are whole secured message records, which the transport sends
 * in its secured message format (for PCI CMA, DOE object type 2), and a
 * response that arrives in any other format is an error.
 *
 * Return: number of bytes received (which may be smaller than
 * @response_sz, or larger, in which case the excess was discarded), or a
 * negative errno.  May sleep.
 */
typedef ssize_t (spdm_transport)(void *priv, struct device *dev,
				 const void *request, size_t request_sz,
				 void *response, size_t response_sz);

/**
 * typedef spdm_validate - bus-specific check of a leaf certificate
 * @dev: device being authenticated
 * @slot: certificate slot the chain was read from
 * @leaf: the parsed leaf certificate
 *
 * Called after the chain has been parsed and each certificate checked to
 * be signed by its parent, e.g. to match identifiers in the leaf's
 * subjectAltName against the device.
 *
 * Return: 0 if the leaf is acceptable for @dev, else a negative errno
 * (the callback logs the reason).
 */
typedef int (spdm_validate)(struct device *dev, u8 slot,
			    struct x509_certificate *leaf);

struct spdm_state *spdm_create(struct device *dev, spdm_transport *transport,
			       spdm_transport *secured_transport,
			       void *transport_priv, u32 transport_sz,
			       struct key *keyring, spdm_validate *validate);
void spdm_destroy(struct spdm_state *spdm_state);
int spdm_authenticate(struct spdm_state *spdm_state);
typedef void (spdm_done_cb)(struct device *dev);
void spdm_authenticate_async(struct spdm_state *spdm_state,
			     spdm_done_cb *done);
void spdm_reset_done(struct spdm_state *spdm_state, spdm_done_cb *done);
void spdm_wait_result(struct spdm_state *spdm_state);
void spdm_flush_async(struct spdm_state *spdm_state);
int spdm_auth_result(struct spdm_state *spdm_state);
int spdm_accept_identity(struct spdm_state *spdm_state, const u8 *chain_digest);
u8 spdm_version(struct spdm_state *spdm_state);
int spdm_register_sysfs(struct spdm_state *spdm_state);
void spdm_unregister_sysfs(struct spdm_state *spdm_state);

extern const struct attribute_group spdm_certificates_group;
extern const struct attribute_group spdm_session_group;
extern const struct attribute_group spdm_authentication_group;

#endif /* _LINUX_SPDM_H_ */
