// SPDX-License-Identifier: GPL-2.0
/*
 * Component Measurement and Authentication (CMA-SPDM, PCIe r6.2 sec 6.31):
 * the device identity in the leaf certificate.
 *
 * PCIe r6.1 sec 6.31.3 has a device's leaf certificate name the device
 * in an otherName of its Subject Alternative Name, of type 2.23.147 (CMA)
 * with a UTF8String value:
 *
 *   Vendor=%04x:Device=%04x:CC=%06x:REV=%02x[:SSVID=%04x:SSID=%04x][:%016llx]
 *
 * The subsystem IDs are there for functions with a type 0 header, the
 * last field is the Device Serial Number and may be left out.  If the
 * certificate has CMA otherNames, one of them must match what config
 * space says, so that a device cannot present a certificate lifted from
 * another kind of device.  Certificates without one are accepted: r6.2
 * still wants the leaf certificate to identify the device but no longer
 * prescribes this encoding.
 */

#define dev_fmt(fmt) "CMA: " fmt

#include <keys/x509-parser.h>
#include <kunit/visibility.h>
#include <linux/asn1.h>
#include <linux/asn1_decoder.h>
#include <linux/oid_registry.h>
#include <linux/pci.h>

#include "cma.asn1.h"
#include "cma.h"

#define PCI_CMA_ID_MAX	sizeof("Vendor=1234:Device=1234:CC=123456:REV=12" \
			       ":SSVID=1234:SSID=1234:0123456789abcdef")
/* The serial number part of an ID, after the PCI IDs */
#define PCI_CMA_SN_LEN	(sizeof(":0123456789abcdef") - 1)

/* Longest CMA otherName quoted in messages */
#define PCI_CMA_ID_PRINT_MAX	128

struct pci_cma_san_ctx {
	const u8 *end;		/* end of the subjectAltName */
	const char *id;		/* expected identity */
	const char *id_sn;	/* same with serial number, or NULL */
	enum OID last_oid;	/* type of the otherName being parsed */
	bool match;
	const char *found;	/* first CMA otherName */
	size_t found_len;
};

int pci_cma_note_oid(void *context, size_t hdrlen, unsigned char tag,
		     const void *value, size_t vlen)
{
	struct pci_cma_san_ctx *ctx = context;

	ctx->last_oid = look_up_OID(value, vlen);
	return 0;
}

static bool pci_cma_name_is(const char *name, size_t len, const char *id)
{
	return id && len == strlen(id) && !memcmp(name, id, len);
}

int pci_cma_note_name(void *context, size_t hdrlen, unsigned char tag,
		      const void *value, size_t vlen)
{
	struct pci_cma_san_ctx *ctx = context;

	if (ctx->last_oid != OID_CMA)
		return 0;
	if (tag != ASN1_UTF8STR)
		return -EBADMSG;

	if (!ctx->found) {
		ctx->found = value;
		ctx->found_len = vlen;
	}
	if (pci_cma_name_is(value, vlen, ctx->id) ||
	    pci_cma_name_is(value, vlen, ctx->id_sn))
		ctx->match = true;
	return 0;
}

/*
 * GeneralNames must not be empty (RFC 5280 sec 4.2.1.6).  The decoder
 * stops after them: refuse anything behind them.
 */
int pci_cma_note_san(void *context, size_t hdrlen, unsigned char tag,
		     const void *value, size_t vlen)
{
	struct pci_cma_san_ctx *ctx = context;

	if (!vlen || (const u8 *)value + vlen != ctx->end)
		return -EBADMSG;
	return 0;
}

/**
 * pci_cma_match_san() - match the CMA otherNames of a subjectAltName
 * @san: DER GeneralNames, the value of a subjectAltName extension
 * @san_sz: size of @san in bytes
 * @id: identity of the device, without serial number
 * @id_sn: @id followed by the Device Serial Number, or %NULL
 * @found: set to the first CMA otherName if none matches (not
 *	NUL-terminated, points into @san)
 * @found_len: set to the length of @found
 *
 * Return: 0 if an otherName of type CMA equals @id or @id_sn, -ENOENT if
 * there is no CMA otherName, -EKEYREJECTED if no CMA otherName matches,
 * -EBADMSG if @san is malformed.
 */
VISIBLE_IF_KUNIT int pci_cma_match_san(const u8 *san, size_t san_sz,
				       const char *id, const char *id_sn,
				       const char **found, size_t *found_len)
{
	struct pci_cma_san_ctx ctx = {
		.end = san + san_sz,
		.id = id,
		.id_sn = id_sn,
		.last_oid = OID__NR,
	};
	int rc;

	rc = asn1_ber_decoder(&cma_decoder, &ctx, san, san_sz);
	if (rc)
		return -EBADMSG;
	if (ctx.match)
		return 0;
	if (!ctx.found)
		return -ENOENT;

	*found = ctx.found;
	*found_len = ctx.found_len;
	return -EKEYREJECTED;
}
EXPORT_SYMBOL_IF_KUNIT(pci_cma_match_san);

static void pci_cma_id(struct pci_dev *pdev, char *id, size_t id_sz)
{
	int len;

	len = scnprintf(id, id_sz, "Vendor=%04x:Device=%04x:CC=%06x:REV=%02x",
			pdev->vendor, pdev->device, pdev->class,
			pdev->revision);
	if (pdev->hdr_type == PCI_HEADER_TYPE_NORMAL)
		scnprintf(id + len, id_sz - len, ":SSVID=%04x:SSID=%04x",
			  pdev->subsystem_vendor, pdev->subsystem_device);
}

/**
 * pci_cma_validate() - check the device identity in a leaf certificate
 * @dev: PCI device being authenticated
 * @slot: slot the certificate chain was read from
 * @leaf: its leaf certificate
 *
 * The &spdm_validate callback of PCI devices: if the Subject Alternative
 * Name of @leaf holds otherNames of type CMA (PCIe r6.1 sec 6.31.3), one
 * of them must name @dev as config space describes it.  Leaf certificates
 * without such a name are accepted.
 *
 * Context: Process context, may sleep.  Reads config space.
 *
 * Return: 0 if @leaf is acceptable, -EKEYREJECTED if it names another
 * device, -EBADMSG if its Subject Alternative Name is malformed.
 */
int pci_cma_validate(struct device *dev, u8 slot,
		     struct x509_certificate *leaf)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	char id[PCI_CMA_ID_MAX - PCI_CMA_SN_LEN], id_sn[PCI_CMA_ID_MAX];
	const char *found;
	size_t found_len;
	u64 dsn;
	int rc;

	if (!leaf->raw_san) {
		pci_dbg(pdev, "slot %u: leaf certificate has no subjectAltName\n",
			slot);
		return 0;
	}

	pci_cma_id(pdev, id, sizeof(id));
	dsn = pci_get_dsn(pdev);
	if (dsn)
		snprintf(id_sn, sizeof(id_sn), "%s:%016llx", id, dsn);

	rc = pci_cma_match_san(leaf->raw_san, leaf->raw_san_size, id,
			       dsn ? id_sn : NULL, &found, &found_len);
	switch (rc) {
	case 0:
		pci_dbg(pdev, "slot %u: leaf certificate names this device\n",
			slot);
		return 0;
	case -ENOENT:
		pci_dbg(pdev, "slot %u: no CMA otherName in subjectAltName\n",
			slot);
		return 0;
	case -EKEYREJECTED:
		pci_err(pdev, "slot %u: leaf certificate is for \"%*pE\", not \"%s\"\n",
			slot, (int)min_t(size_t, found_len, PCI_CMA_ID_PRINT_MAX),
			found, id);
		return rc;
	default:
		pci_err(pdev, "slot %u: malformed subjectAltName in leaf certificate\n",
			slot);
		return rc;
	}
}
