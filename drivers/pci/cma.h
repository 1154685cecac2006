/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Component Measurement and Authentication (CMA-SPDM, PCIe r6.2 sec 6.31)
 */

#ifndef _DRIVERS_PCI_CMA_H
#define _DRIVERS_PCI_CMA_H

#include <linux/types.h>

struct device;
struct x509_certificate;

int pci_cma_validate(struct device *dev, u8 slot,
		     struct x509_certificate *leaf);

#if IS_ENABLED(CONFIG_KUNIT)
int pci_cma_match_san(const u8 *san, size_t san_sz, const char *id,
		      const char *id_sn, const char **found,
		      size_t *found_len);
#endif

#endif /* _DRIVERS_PCI_CMA_H */
