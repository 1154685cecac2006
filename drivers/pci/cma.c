// SPDX-License-Identifier: GPL-2.0
/*
 * Component Measurement and Authentication (CMA-SPDM, PCIe r6.2 sec 6.31)
 *
 * SPDM messages travel in Data Object Exchange (DOE) objects of the
 * PCI-SIG vendor ID with object type 1 (CMA/SPDM).  This file is the
 * transport and the glue between the PCI core and the SPDM library.
 */

#define dev_fmt(fmt) "CMA: " fmt

#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/spdm.h>

#include "pci.h"

/* Data Object Protocols, PCIe r6.2 sec 6.31.3 */
#define PCI_DOE_PROTOCOL_CMA		1

/* Largest DOE payload: 2^18 dwords minus the two header dwords */
#define PCI_DOE_MAX_PAYLOAD		(((1 << 18) - 2) * sizeof(u32))

static ssize_t pci_doe_transport(void *priv, struct device *dev,
				 const void *request, size_t request_sz,
				 void *response, size_t response_sz)
{
	struct pci_doe_mb *doe = priv;

	return pci_doe(doe, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_PROTOCOL_CMA,
		       request, request_sz, response, response_sz);
}

/**
 * pci_cma_init() - set up CMA-SPDM for a newly enumerated device
 * @pdev: PCI device
 *
 * Devices without a DOE mailbox supporting CMA are left untouched.
 */
void pci_cma_init(struct pci_dev *pdev)
{
	struct pci_doe_mb *doe;
	int rc;

	doe = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				   PCI_DOE_PROTOCOL_CMA);
	if (!doe)
		return;

	pdev->spdm_state = spdm_create(&pdev->dev, pci_doe_transport, doe,
				       PCI_DOE_MAX_PAYLOAD);
	if (!pdev->spdm_state)
		return;

	rc = spdm_authenticate(pdev->spdm_state);
	if (rc)
		pci_info(pdev, "SPDM negotiation failed: %d\n", rc);
	else
		pci_info(pdev, "SPDM version %u.%u negotiated\n",
			 spdm_version(pdev->spdm_state) >> 4,
			 spdm_version(pdev->spdm_state) & 0xf);
}

/**
 * pci_cma_destroy() - release the CMA-SPDM state of a device
 * @pdev: PCI device being removed
 */
void pci_cma_destroy(struct pci_dev *pdev)
{
	spdm_destroy(pdev->spdm_state);
	pdev->spdm_state = NULL;
}
