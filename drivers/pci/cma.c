// SPDX-License-Identifier: GPL-2.0
/*
 * Component Measurement and Authentication (CMA-SPDM, PCIe r6.2 sec 6.31)
 *
 * SPDM messages travel in Data Object Exchange (DOE) objects of the
 * PCI-SIG vendor ID with object type 1 (CMA/SPDM).  This file is the
 * transport, the .cma keyring of trusted roots, and the glue between the
 * PCI core and the SPDM library.
 */

#include <keys/asymmetric-type.h>
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/pci.h>
#include <linux/pci-doe.h>
#include <linux/spdm.h>

#include "cma.h"
#include "pci.h"

/* Data Object Protocols, PCIe r6.2 sec 6.31.3 */
#define PCI_DOE_PROTOCOL_CMA		1
#define PCI_DOE_PROTOCOL_SECURED_CMA	2

/* Largest DOE payload: 2^18 dwords minus the two header dwords */
#define PCI_DOE_MAX_PAYLOAD		(((1 << 18) - 2) * sizeof(u32))

/* Root certificates trusted for device authentication */
static struct key *pci_cma_keyring;

/*
 * Authentication needs the hash and signature algorithms, which register
 * at device_initcall, after the devices present at boot are enumerated.
 * Until pci_cma_start() has run, devices only get their SPDM state; then
 * each one is authenticated in the background, concurrently.
 */
static DEFINE_MUTEX(pci_cma_start_lock);
static bool pci_cma_started;

static ssize_t pci_doe_transport(void *priv, struct device *dev,
				 const void *request, size_t request_sz,
				 void *response, size_t response_sz)
{
	struct pci_doe_mb *doe = priv;

	return pci_doe(doe, PCI_VENDOR_ID_PCI_SIG, PCI_DOE_PROTOCOL_CMA,
		       request, request_sz, response, response_sz);
}

/* Secured CMA (PCIe r6.2 sec 6.31.4): DSP0277 records in type 2 objects */
static ssize_t pci_doe_secured_transport(void *priv, struct device *dev,
					 const void *request,
					 size_t request_sz, void *response,
					 size_t response_sz)
{
	struct pci_doe_mb *doe = priv;

	return pci_doe(doe, PCI_VENDOR_ID_PCI_SIG,
		       PCI_DOE_PROTOCOL_SECURED_CMA, request, request_sz,
		       response, response_sz);
}

/**
 * pci_cma_reauthenticate() - authenticate a device again
 * @pdev: PCI device
 *
 * For the "authenticated" sysfs file ("re"); the reset and resume paths
 * use pci_cma_reauthenticate_async().
 *
 * Return: 0 if the device is authenticated, -ENOTTY if it does not support
 * CMA, or the reason authentication failed.
 */
int pci_cma_reauthenticate(struct pci_dev *pdev)
{
	if (!pdev->spdm_state)
		return -ENOTTY;

	return spdm_authenticate(pdev->spdm_state);
}

/**
 * pci_cma_authenticated() - native CMA-SPDM authentication state
 * @pdev: PCI device
 *
 * What "authenticated" shows when no TSM handles the device (see
 * drivers/pci/tsm.c).
 *
 * Waits for the device's background authentication (the first one, or
 * one after a reset or resume) if it is still running.
 *
 * Return: 1 if the device is authenticated, 0 if not, -ENOTTY if it has no
 * CMA mailbox or does not support authentication.
 */
int pci_cma_authenticated(struct pci_dev *pdev)
{
	int rc;

	if (!pdev->spdm_state)
		return -ENOTTY;

	if (READ_ONCE(pci_cma_started))
		spdm_wait_result(pdev->spdm_state);
	rc = spdm_auth_result(pdev->spdm_state);
	if (rc == -EOPNOTSUPP)
		return -ENOTTY;
	return !rc;
}

/**
 * pci_cma_capable() - whether the device may support CMA-SPDM
 * @pdev: PCI device
 *
 * Does not wait: true from enumeration until an authentication finds that
 * the device does not support it.
 *
 * Return: true if the device has a CMA mailbox and has not refused
 * authentication.
 */
bool pci_cma_capable(struct pci_dev *pdev)
{
	return pdev->spdm_state &&
	       spdm_auth_result(pdev->spdm_state) != -EOPNOTSUPP;
}

/**
 * pci_cma_probe_wait() - hold a driver's probe until the device's result
 * @pdev: PCI device a driver is about to probe
 *
 * No driver binds to a device with a CMA mailbox before its first
 * authentication has a result; each device waits for its own only, and
 * an authentication ends by its deadline (spdm.auth_timeout_ms) at the
 * latest, so a stalled device holds back no other device and its own
 * driver only until then.  Before authentication can start at boot, the
 * probe is deferred (the driver core retries deferred probes at
 * late_initcall).
 *
 * Return: 0 to go on with the probe, or -EPROBE_DEFER.
 */
int pci_cma_probe_wait(struct pci_dev *pdev)
{
	if (!pdev->spdm_state)
		return 0;
	if (!READ_ONCE(pci_cma_started))
		return -EPROBE_DEFER;

	spdm_wait_result(pdev->spdm_state);
	return 0;
}

/* A device that turned out not to support authentication loses the file */
static void pci_cma_auth_done(struct device *dev)
{
	if (!pci_cma_capable(to_pci_dev(dev)))
		sysfs_update_group(&dev->kobj, &pci_tsm_auth_attr_group);
}

/**
 * pci_cma_reauthenticate_async() - authenticate a device again, in the
 *	background, after a reset or a resume
 * @pdev: PCI device the PCI core has just restored
 *
 * Called after a function or bus reset (pci_dev_restore()), error
 * recovery and system resume, which may have put another device or
 * other firmware behind the same function.  The authentication includes
 * the same-device check: the device must present the identity accepted
 * at its first successful authentication.  A device with CACHE_CAP is
 * not asked to negotiate again.  It does not need userspace,
 * and readers of "authenticated" wait for its result.
 *
 * Context: any context that may queue work.
 */
void pci_cma_reauthenticate_async(struct pci_dev *pdev)
{
	if (pdev->spdm_state && READ_ONCE(pci_cma_started))
		spdm_reset_done(pdev->spdm_state, pci_cma_auth_done);
}

/**
 * pci_cma_init() - set up CMA-SPDM for a newly enumerated device
 * @pdev: PCI device
 *
 * Devices without a DOE mailbox supporting CMA are left untouched.  The
 * device is authenticated in the background, off the enumeration path,
 * once it is in sysfs (pci_cma_sysfs_init(); at boot: once
 * pci_cma_start() has run), and before a driver binds to it
 * (pci_cma_probe_wait()).  If the CMA mailbox also carries secured CMA,
 * SPDM may open a secure session over it.
 */
void pci_cma_init(struct pci_dev *pdev)
{
	spdm_transport *secured = NULL;
	struct pci_doe_mb *doe;

	if (!pci_cma_keyring)
		return;

	doe = pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				   PCI_DOE_PROTOCOL_CMA);
	if (!doe)
		return;

	/* Secured messages must use the mailbox of the session's SPDM */
	if (pci_find_doe_mailbox(pdev, PCI_VENDOR_ID_PCI_SIG,
				 PCI_DOE_PROTOCOL_SECURED_CMA) == doe)
		secured = pci_doe_secured_transport;

	pdev->spdm_state = spdm_create(&pdev->dev, pci_doe_transport, secured,
				       doe, PCI_DOE_MAX_PAYLOAD,
				       pci_cma_keyring, pci_cma_validate);
}

/* The crypto algorithms are registered: authenticate the boot devices */
static int __init pci_cma_start(void)
{
	struct pci_dev *pdev = NULL;

	mutex_lock(&pci_cma_start_lock);
	for_each_pci_dev(pdev)
		if (pdev->spdm_state)
			spdm_authenticate_async(pdev->spdm_state,
						pci_cma_auth_done);
	WRITE_ONCE(pci_cma_started, true);
	mutex_unlock(&pci_cma_start_lock);

	return 0;
}
device_initcall_sync(pci_cma_start);

/**
 * pci_cma_sysfs_init() - show the signature log, start authentication
 * @pdev: PCI device, present in sysfs
 *
 * A failure to show the log is logged; the device's other files do not
 * depend on it.  Once the boot devices can be authenticated
 * (pci_cma_start()), the device's authentication starts here.
 */
void pci_cma_sysfs_init(struct pci_dev *pdev)
{
	int rc;

	if (!pdev->spdm_state)
		return;

	rc = spdm_register_sysfs(pdev->spdm_state);
	if (rc)
		pci_warn(pdev, "Cannot show signature log in sysfs: %d\n", rc);

	/*
	 * The authentication updates the device's sysfs files: start it
	 * once they exist, not while device_add() creates them.
	 */
	mutex_lock(&pci_cma_start_lock);
	if (pci_cma_started)
		spdm_authenticate_async(pdev->spdm_state, pci_cma_auth_done);
	mutex_unlock(&pci_cma_start_lock);
}

/**
 * pci_cma_sysfs_remove() - remove the signature log of a device from sysfs
 * @pdev: PCI device about to leave sysfs
 */
void pci_cma_sysfs_remove(struct pci_dev *pdev)
{
	if (!pdev->spdm_state)
		return;

	/* Nothing updates the files once device_del() removes them */
	spdm_flush_async(pdev->spdm_state);
	spdm_unregister_sysfs(pdev->spdm_state);
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

static int __init pci_cma_keyring_init(void)
{
	pci_cma_keyring = keyring_alloc(".cma", KUIDT_INIT(0), KGIDT_INIT(0),
					current_cred(),
					(KEY_POS_ALL & ~KEY_POS_SETATTR) |
					KEY_USR_VIEW | KEY_USR_READ |
					KEY_USR_WRITE | KEY_USR_SEARCH,
					KEY_ALLOC_NOT_IN_QUOTA |
					KEY_ALLOC_SET_KEEP, NULL, NULL);
	if (IS_ERR(pci_cma_keyring)) {
		int rc = PTR_ERR(pci_cma_keyring);

		pr_err("PCI: Could not allocate .cma keyring: %d\n", rc);
		pci_cma_keyring = NULL;
		return rc;
	}

	return 0;
}
arch_initcall(pci_cma_keyring_init);
