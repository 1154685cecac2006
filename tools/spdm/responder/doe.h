/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCIe DOE data objects (PCIe r6 sec 6.30) as carried in the payload of
 * the SPDM socket protocol's PCI_DOE transport.
 */
#ifndef SPDM_RESPONDER_DOE_H
#define SPDM_RESPONDER_DOE_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

struct spdm_action;
struct spdm_device;

#define DOE_HDR_LEN		8
#define DOE_VENDOR_PCI_SIG	0x0001
#define DOE_TYPE_DISCOVERY	0
#define DOE_TYPE_CMA		1	/* SPDM */
#define DOE_TYPE_SECURED_CMA	2	/* DSP0277 secured SPDM */
#define DOE_LENGTH_MASK		0x3ffff
#define DOE_MAX_DW		(1U << 18)	/* Length field 0 means this */
#define DOE_MAX_LEN		(DOE_MAX_DW * 4)

struct doe_hdr {
	uint16_t vendor;
	uint8_t type;
	uint32_t length_dw;	/* incl. the header, 0 decoded to 2^18 */
};

int doe_hdr_parse(const uint8_t *buf, size_t len, struct doe_hdr *h,
		  const char **why);
void doe_hdr_build(uint8_t out[DOE_HDR_LEN], uint16_t vendor, uint8_t type,
		   size_t total_len);
int doe_wrap(struct msg *out, uint16_t vendor, uint8_t type,
	     const uint8_t *payload, size_t len);
int doe_process(struct spdm_device *dev, const uint8_t *obj, size_t len,
		struct msg *out, struct spdm_action *act);

#endif /* SPDM_RESPONDER_DOE_H */
