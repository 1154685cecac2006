// SPDX-License-Identifier: GPL-2.0
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * TCG event log of SPDM results.  Every signature a device returns
 * (authentication, measurements, session establishment, including those
 * a verifier asked for with its own nonce) and every authentication that
 * ends without one becomes an event: it is appended to the log, then
 * extended into a TPM PCR.  A TPM quote over the PCR then vouches for the
 * log, and each event names one signature by the hash of its transcript,
 * so a verifier can tie its nonce to a device and the device to the
 * platform whose TPM quoted.
 *
 * The log is a TCG crypto-agile log (TCG PC Client Platform Firmware
 * Profile): a "Spec ID Event03" header naming the PCR banks, then
 * TCG_PCR_EVENT2 events with one digest of the event data per bank.  The
 * event data is a DEVICE_SECURITY_EVENT_DATA2 (PFP 1.06) followed by what
 * a runtime event needs besides, &struct spdm_tcg_runtime; the layout is
 * in Documentation/ABI/testing/securityfs-spdm-event-log.
 *
 * Without a TPM, or with a PCR bank whose hash the kernel lacks, events
 * are logged but not measured, and one line says so.  The log is bounded
 * (spdm.tcg_log_max_size): once full, no further event is logged nor
 * measured, so that the log still replays to the PCR; events left out
 * (log full, out of memory, TPM error) are counted in "not_logged".
 */

#include <crypto/sha1.h>
#include <crypto/sha2.h>
#include <linux/pci.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/tpm.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "crypto.h"
#include "state.h"
#include "tcg-log.h"
#include "wire.h"

/* Event types of the TCG PC Client PFP */
#define EV_NO_ACTION			0x00000003
#define EV_EFI_SPDM_FIRMWARE_BLOB	0x800000e1

static unsigned int tpm_pcr = CONFIG_SPDM_TCG_PCR;
module_param(tpm_pcr, uint, 0444);
MODULE_PARM_DESC(tpm_pcr, "TPM PCR that SPDM events are extended into (8 to 15)");

static unsigned int tcg_log_max_size = SZ_4M;
module_param(tcg_log_max_size, uint, 0444);
MODULE_PARM_DESC(tcg_log_max_size,
		 "Bytes of SPDM events kept; once full, events are neither logged nor measured");

/* TCG PFP DEVICE_SECURITY_EVENT_DATA_HEADER2, then DevicePathLength */
struct spdm_tcg_header2 {
	u8 signature[16];
	__le16 version;
	u8 auth_state;
	u8 reserved;
	__le32 length;
	__le32 device_type;
	__le32 sub_header_type;
	__le32 sub_header_length;
	__le64 sub_header_uid;
	__le64 device_path_length;
} __packed;

#define SPDM_TCG_SIGNATURE2		"SPDM Device Sec2"
#define SPDM_TCG_VERSION2		2

/* DeviceType */
#define SPDM_TCG_DEVICE_NULL		0
#define SPDM_TCG_DEVICE_PCI		1

/* SubHeaderType */
#define SPDM_TCG_SUB_MEASUREMENT_BLOCK	0
#define SPDM_TCG_SUB_CERT_CHAIN		1

/*
 * The sub-headers: SPDM_MEASUREMENT_BLOCK (@count blocks, @hash_algo the
 * MeasurementHashAlgo) followed by the blocks, or SPDM_CERT_CHAIN (@count
 * the slot, @hash_algo the BaseHashAlgo) followed by the digest of the
 * slot's chain, as GET_DIGESTS returns it (the chain itself is in the
 * evidence a verifier holds).
 */
struct spdm_tcg_sub_header {
	__le16 spdm_version;
	u8 count;
	u8 reserved;
	__le32 hash_algo;
} __packed;

/* TCG PFP TCG_DEVICE_SECURITY_EVENT_DATA_PCI_CONTEXT */
struct spdm_tcg_pci_context {
	__le16 version;
	__le16 length;
	__le16 vendor_id;
	__le16 device_id;
	u8 revision_id;
	u8 class_code[3];
	__le16 subsystem_vendor_id;
	__le16 subsystem_id;
} __packed;

/**
 * struct spdm_tcg_runtime - what a runtime event adds to the PFP structure
 * @signature: "Linux SPDM Event"
 * @version: 1
 * @kind: &enum spdm_tcg_kind
 * @flags: %SPDM_TCG_SIGNED, %SPDM_TCG_SESSION
 * @result: 0, or the negated errno an authentication without a signature
 *	ended with
 * @session_id: SessionID of the session the signature established
 * @requester_nonce: the nonce of the signed request
 * @transcript_sha256: SHA-256 of the transcript the signature covers, as
 *	the signature log and netlink hand it out: names one signature
 * @device: name of the device (PCI: domain:bus:device.function)
 */
struct spdm_tcg_runtime {
	u8 signature[16];
	__le16 version;
	u8 kind;
	u8 flags;
	__le32 result;
	__le32 session_id;
	u8 requester_nonce[SPDM_NONCE_SZ];
	u8 transcript_sha256[SHA256_DIGEST_SIZE];
	char device[32];
} __packed;

#define SPDM_TCG_RUNTIME_SIGNATURE	"Linux SPDM Event"

/* The sizes Documentation/ABI/testing/securityfs-spdm-event-log gives */
static_assert(sizeof(struct spdm_tcg_header2) == 52);
static_assert(sizeof(struct spdm_tcg_sub_header) == 8);
static_assert(sizeof(struct spdm_tcg_pci_context) == 16);
static_assert(sizeof(struct spdm_tcg_runtime) == 124);

/**
 * struct spdm_tcg_log - the log and the TPM it is measured into
 * @lock: guards the rest; taken with &spdm_state.lock held
 * @ready: @chip and @banks are set (at the first event)
 * @chip: TPM the events are extended into, %NULL if none
 * @nr_banks: number of @banks
 * @banks: the banks of @chip in its order, or SHA-256 alone without one
 * @header: the Spec ID event that starts the binary log
 * @header_len: size of @header
 * @events: the &struct spdm_tcg_event, oldest first
 * @size: bytes of @events
 * @full: @size reached spdm.tcg_log_max_size: nothing is added any more
 * @not_logged: events neither logged nor measured
 */
struct spdm_tcg_log {
	struct mutex lock;	/* guards the log, taken under spdm_state.lock */
	bool ready;
	struct tpm_chip *chip;
	unsigned int nr_banks;
	struct spdm_tcg_bank banks[TPM2_MAX_PCR_BANKS];
	u8 *header;
	size_t header_len;
	struct list_head events;
	size_t size;
	bool full;
	u64 not_logged;
};

static struct spdm_tcg_log spdm_tcg = {
	.lock = __MUTEX_INITIALIZER(spdm_tcg.lock),
	.events = LIST_HEAD_INIT(spdm_tcg.events),
};

static bool spdm_tcg_hash(enum hash_algo hash, const u8 *data, size_t len,
			  u8 *out)
{
	switch (hash) {
	case HASH_ALGO_SHA1:
		sha1(data, len, out);
		return true;
	case HASH_ALGO_SHA256:
		sha256(data, len, out);
		return true;
	case HASH_ALGO_SHA384:
		sha384(data, len, out);
		return true;
	case HASH_ALGO_SHA512:
		sha512(data, len, out);
		return true;
	default:
		return false;
	}
}

/* The banks of @chip, or false if the kernel cannot hash one of them */
static bool spdm_tcg_use_chip(struct tpm_chip *chip)
{
	u8 digest[SHA512_DIGEST_SIZE];
	unsigned int i;

	if (!chip->nr_allocated_banks ||
	    chip->nr_allocated_banks > ARRAY_SIZE(spdm_tcg.banks)) {
		pr_info("SPDM events are logged, not measured: the TPM has %u PCR banks\n",
			chip->nr_allocated_banks);
		return false;
	}
	for (i = 0; i < chip->nr_allocated_banks; i++) {
		const struct tpm_bank_info *b = &chip->allocated_banks[i];

		if (b->digest_size > sizeof(digest) ||
		    !spdm_tcg_hash(b->crypto_id, NULL, 0, digest)) {
			pr_info("SPDM events are logged, not measured: no hash for TPM PCR bank %#06x\n",
				b->alg_id);
			return false;
		}
		spdm_tcg.banks[i] = (struct spdm_tcg_bank) {
			.alg_id = b->alg_id,
			.size = b->digest_size,
			.hash = b->crypto_id,
		};
	}
	spdm_tcg.nr_banks = chip->nr_allocated_banks;
	return true;
}

/* TCG_PCClientPCREvent carrying TCG_EfiSpecIDEvent ("Spec ID Event03") */
static u8 *spdm_tcg_spec_id(size_t *len)
{
	size_t spec_sz = 16 + 4 + 4 + 4 + spdm_tcg.nr_banks * 4 + 1;
	unsigned int i;
	u8 *buf, *p;

	*len = 4 + 4 + SHA1_DIGEST_SIZE + 4 + spec_sz;
	buf = kzalloc(*len, GFP_KERNEL);
	if (!buf)
		return NULL;

	p = buf + 4;				/* PCRIndex 0 */
	put_unaligned_le32(EV_NO_ACTION, p);
	p += 4 + SHA1_DIGEST_SIZE;		/* Digest: zero */
	put_unaligned_le32(spec_sz, p);
	p += 4;
	memcpy(p, "Spec ID Event03", 16);	/* with its NUL */
	p += 16 + 4;				/* platformClass 0: client */
	p[1] = 2;				/* specVersionMajor 2.0 */
	p[3] = sizeof(long) / 4;		/* uintnSize */
	p += 4;
	put_unaligned_le32(spdm_tcg.nr_banks, p);
	p += 4;
	for (i = 0; i < spdm_tcg.nr_banks; i++, p += 4) {
		put_unaligned_le16(spdm_tcg.banks[i].alg_id, p);
		put_unaligned_le16(spdm_tcg.banks[i].size, p + 2);
	}
	/* vendorInfoSize 0 */
	return buf;
}

/* At the first event: the TPM, if any, and the header of the log */
static void spdm_tcg_setup(void)
{
	struct tpm_chip *chip = tpm_default_chip();

	spdm_tcg.ready = true;
	if (chip && (tpm_pcr < 8 || tpm_pcr > 15)) {
		pr_warn("SPDM events are logged, not measured: spdm.tpm_pcr=%u is not one of PCR 8 to 15\n",
			tpm_pcr);
	} else if (chip && spdm_tcg_use_chip(chip)) {
		spdm_tcg.chip = chip;
		pr_info("SPDM events are measured into TPM PCR %u\n",
			tpm_pcr);
	} else if (!chip) {
		pr_info("No TPM: SPDM events are logged, not measured\n");
	}
	if (!spdm_tcg.chip) {
		if (chip)
			put_device(&chip->dev);
		spdm_tcg.nr_banks = 1;
		spdm_tcg.banks[0] = (struct spdm_tcg_bank) {
			.alg_id = TPM_ALG_SHA256,
			.size = SHA256_DIGEST_SIZE,
			.hash = HASH_ALGO_SHA256,
		};
	}

	spdm_tcg.header = spdm_tcg_spec_id(&spdm_tcg.header_len);
	if (!spdm_tcg.header) {
		pr_warn("SPDM events are neither logged nor measured: out of memory\n");
		spdm_tcg.full = true;
	}
}

/**
 * spdm_tcg_event() - a TCG_PCR_EVENT2 around event data
 * @banks: the PCR banks, in the order of the log's header
 * @nr_banks: number of @banks
 * @data: event data
 * @len: size of @data
 * @digests: the digests to extend, one per bank
 *
 * Return: the event, to be freed with kvfree(), or %NULL.
 */
VISIBLE_IF_KUNIT struct spdm_tcg_event *
spdm_tcg_event(const struct spdm_tcg_bank *banks, unsigned int nr_banks,
	       const u8 *data, size_t len, struct tpm_digest *digests)
{
	size_t total = 4 + 4 + 4 + 4 + len;
	struct spdm_tcg_event *e;
	unsigned int i;
	u8 *p;

	for (i = 0; i < nr_banks; i++)
		total += 2 + banks[i].size;

	e = kvmalloc(struct_size(e, data, total), GFP_KERNEL);
	if (!e)
		return NULL;
	e->len = total;

	p = e->data;
	put_unaligned_le32(tpm_pcr, p);
	put_unaligned_le32(EV_EFI_SPDM_FIRMWARE_BLOB, p + 4);
	put_unaligned_le32(nr_banks, p + 8);
	p += 12;
	for (i = 0; i < nr_banks; i++) {
		const struct spdm_tcg_bank *b = &banks[i];

		digests[i].alg_id = b->alg_id;
		spdm_tcg_hash(b->hash, data, len, digests[i].digest);
		put_unaligned_le16(b->alg_id, p);
		memcpy(p + 2, digests[i].digest, b->size);
		p += 2 + b->size;
	}
	put_unaligned_le32(len, p);
	memcpy(p + 4, data, len);
	return e;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_tcg_event);

/* An event is left out: say why, count it */
static void spdm_tcg_not_logged(struct device *dev, const char *why)
{
	dev_warn(dev, "SPDM event neither logged nor measured: %s\n", why);
	mutex_lock(&spdm_tcg.lock);
	spdm_tcg.not_logged++;
	mutex_unlock(&spdm_tcg.lock);
}

/* Append the event of @data to the log, then extend the PCR with it */
static void spdm_tcg_add(struct device *dev, const u8 *data, size_t len)
{
	struct tpm_digest digests[TPM2_MAX_PCR_BANKS];
	ktime_t start = ktime_get(), logged;
	struct spdm_tcg_event *e;
	int rc;

	mutex_lock(&spdm_tcg.lock);
	if (!spdm_tcg.ready)
		spdm_tcg_setup();
	if (spdm_tcg.full)
		goto not_logged;

	e = spdm_tcg_event(spdm_tcg.banks, spdm_tcg.nr_banks, data, len,
			   digests);
	if (!e) {
		dev_warn(dev, "SPDM event neither logged nor measured: out of memory\n");
		goto not_logged;
	}
	if (spdm_tcg.size + e->len > tcg_log_max_size) {
		pr_warn("SPDM event log full (%zu bytes): later events are neither logged nor measured\n",
			spdm_tcg.size);
		spdm_tcg.full = true;
		kvfree(e);
		goto not_logged;
	}

	list_add_tail(&e->list, &spdm_tcg.events);
	spdm_tcg.size += e->len;
	logged = ktime_get();
	if (spdm_tcg.chip) {
		rc = tpm_pcr_extend(spdm_tcg.chip, tpm_pcr, digests);
		if (rc) {
			/* Out of the log again, which must replay to the PCR */
			list_del(&e->list);
			spdm_tcg.size -= e->len;
			kvfree(e);
			dev_warn(dev, "SPDM event neither logged nor measured: TPM error %d\n",
				 rc);
			goto not_logged;
		}
	}
	mutex_unlock(&spdm_tcg.lock);
	dev_dbg(dev, "TCG event of %zu bytes logged in %lld us, extended in %lld us\n",
		len, ktime_us_delta(logged, start),
		ktime_us_delta(ktime_get(), logged));
	return;

not_logged:
	spdm_tcg.not_logged++;
	mutex_unlock(&spdm_tcg.lock);
}

/* Blocks of the MeasurementRecord of @len bytes; the record was checked */
static u8 spdm_tcg_count_blocks(const u8 *record, size_t len)
{
	size_t off = 0;
	u8 n = 0;

	while (off + SPDM_MEAS_BLOCK_HDR_SZ <= len && n < U8_MAX) {
		off += SPDM_MEAS_BLOCK_HDR_SZ +
		       get_unaligned_le16(record + off + 2);
		n++;
	}
	return n;
}

static void spdm_tcg_pci_context(struct device *dev,
				 struct spdm_tcg_pci_context *ctx)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	ctx->version = 0;
	ctx->length = cpu_to_le16(sizeof(*ctx));
	ctx->vendor_id = cpu_to_le16(pdev->vendor);
	ctx->device_id = cpu_to_le16(pdev->device);
	ctx->revision_id = pdev->revision;
	ctx->class_code[0] = pdev->class & 0xff;
	ctx->class_code[1] = (pdev->class >> 8) & 0xff;
	ctx->class_code[2] = (pdev->class >> 16) & 0xff;
	ctx->subsystem_vendor_id = cpu_to_le16(pdev->subsystem_vendor);
	ctx->subsystem_id = cpu_to_le16(pdev->subsystem_device);
}

/* The sub-header's payload: measurement blocks or a chain digest */
static size_t spdm_tcg_payload(struct spdm_state *spdm_state,
			       const struct spdm_tcg_desc *d,
			       struct spdm_tcg_sub_header *sub, const u8 **p,
			       u8 *digest)
{
	const struct spdm_evidence *ev = d->ev;
	u8 slot = ev ? ev->slot : spdm_state->chal_slot;

	sub->spdm_version = cpu_to_le16(spdm_state->version);
	if (d->kind == SPDM_TCG_MEASUREMENTS) {
		*p = d->record;
		sub->count = spdm_tcg_count_blocks(d->record, d->record_len);
		sub->hash_algo = cpu_to_le32(spdm_state->meas_hash_alg);
		return d->record_len;
	}

	sub->count = slot;
	sub->hash_algo = cpu_to_le32(spdm_state->base_hash_alg);
	*p = digest;
	if (slot >= SPDM_SLOTS || !spdm_state->slot[slot] ||
	    spdm_hash(spdm_state, spdm_state->slot[slot],
		      spdm_state->slot_sz[slot], digest))
		return 0;
	return spdm_state->hash_len;
}

static void spdm_tcg_runtime(struct spdm_state *spdm_state,
			     const struct spdm_tcg_desc *d,
			     struct spdm_tcg_runtime *rt)
{
	const struct spdm_evidence *ev = d->ev;

	memcpy(rt->signature, SPDM_TCG_RUNTIME_SIGNATURE,
	       sizeof(rt->signature));
	rt->version = cpu_to_le16(1);
	rt->kind = d->kind;
	rt->result = cpu_to_le32(d->result);
	strscpy_pad(rt->device, dev_name(spdm_state->dev));
	if (!ev)
		return;

	rt->flags |= SPDM_TCG_SIGNED;
	memcpy(rt->requester_nonce, ev->transcript + ev->req_nonce_off,
	       SPDM_NONCE_SZ);
	sha256(ev->transcript, ev->transcript_len, rt->transcript_sha256);
	if (d->kind == SPDM_TCG_SESSION && spdm_state->session) {
		rt->flags |= SPDM_TCG_SESSION_ID;
		rt->session_id = cpu_to_le32(spdm_state->session->id);
	}
}

/**
 * spdm_tcg_event_data() - the event data of one SPDM event
 * @spdm_state: SPDM state of the device
 * @d: what the event says
 * @len: returns the size of the event data
 *
 * Return: the event data (DEVICE_SECURITY_EVENT_DATA2, then &struct
 * spdm_tcg_runtime), to be freed with kvfree(), or %NULL.
 */
VISIBLE_IF_KUNIT u8 *spdm_tcg_event_data(struct spdm_state *spdm_state,
					 const struct spdm_tcg_desc *d,
					 size_t *len)
{
	u8 digest[SPDM_MAX_HASH_SZ];
	struct spdm_tcg_sub_header sub = {};
	bool pci = dev_is_pci(spdm_state->dev);
	struct spdm_tcg_header2 *hdr;
	struct spdm_tcg_runtime *rt;
	size_t payload_len;
	const u8 *payload;
	u8 *data, *p;

	payload_len = spdm_tcg_payload(spdm_state, d, &sub, &payload, digest);
	*len = sizeof(*hdr) + sizeof(sub) + payload_len + sizeof(*rt) +
	       (pci ? sizeof(struct spdm_tcg_pci_context) : 0);
	data = kvzalloc(*len, GFP_KERNEL);
	if (!data)
		return NULL;

	hdr = (void *)data;
	memcpy(hdr->signature, SPDM_TCG_SIGNATURE2, sizeof(hdr->signature));
	hdr->version = cpu_to_le16(SPDM_TCG_VERSION2);
	hdr->auth_state = d->auth_state;
	hdr->length = cpu_to_le32(*len);
	hdr->device_type = cpu_to_le32(pci ? SPDM_TCG_DEVICE_PCI :
					     SPDM_TCG_DEVICE_NULL);
	hdr->sub_header_type = cpu_to_le32(d->kind == SPDM_TCG_MEASUREMENTS ?
					   SPDM_TCG_SUB_MEASUREMENT_BLOCK :
					   SPDM_TCG_SUB_CERT_CHAIN);
	hdr->sub_header_length = cpu_to_le32(sizeof(sub) + payload_len);
	hdr->sub_header_uid = cpu_to_le64(spdm_state->tcg_uid);
	/* No UEFI device path: struct spdm_tcg_runtime names the device */

	p = data + sizeof(*hdr);
	memcpy(p, &sub, sizeof(sub));
	memcpy(p + sizeof(sub), payload, payload_len);
	p += sizeof(sub) + payload_len;
	if (pci) {
		spdm_tcg_pci_context(spdm_state->dev, (void *)p);
		p += sizeof(struct spdm_tcg_pci_context);
	}
	rt = (void *)p;
	spdm_tcg_runtime(spdm_state, d, rt);
	return data;
}
EXPORT_SYMBOL_IF_KUNIT(spdm_tcg_event_data);

/* Build the event data of @d and add it */
static void spdm_tcg_log(struct spdm_state *spdm_state,
			 const struct spdm_tcg_desc *d)
{
	size_t len;
	u8 *data;

	data = spdm_tcg_event_data(spdm_state, d, &len);
	if (!data) {
		spdm_tcg_not_logged(spdm_state->dev, "out of memory");
		return;
	}
	spdm_tcg_add(spdm_state->dev, data, len);
	kvfree(data);
}

/**
 * spdm_tcg_log_evidence() - log and measure signed measurements or the
 *	signature of a session's establishment
 * @spdm_state: SPDM state of the device
 * @ev: the signature and its evidence
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_tcg_log_evidence(struct spdm_state *spdm_state,
			   const struct spdm_evidence *ev)
{
	struct spdm_tcg_desc d = {
		.kind = ev->type == SPDM_SIG_TYPE_MEASUREMENTS ?
			SPDM_TCG_MEASUREMENTS : SPDM_TCG_SESSION,
		.ev = ev,
	};

	if (WARN_ON_ONCE(ev->type == SPDM_SIG_TYPE_CHALLENGE))
		return;
	if (d.kind == SPDM_TCG_MEASUREMENTS) {
		d.record = ev->transcript + ev->record_off;
		d.record_len = ev->record_len;
	}
	if (!ev->valid || spdm_state->identity_state == SPDM_IDENTITY_CHANGED)
		d.auth_state = SPDM_TCG_AUTH_FAIL_INVALID;
	else if (!spdm_state->chain_anchored)
		d.auth_state = SPDM_TCG_AUTH_NO_AUTHORITY;
	else
		d.auth_state = SPDM_TCG_AUTH_SUCCESS;
	spdm_tcg_log(spdm_state, &d);
}

/**
 * spdm_tcg_log_unsigned_meas() - log and measure measurements no
 *	signature covers
 * @spdm_state: SPDM state of the device
 * @record: MeasurementRecord of one MEASUREMENTS response, checked
 * @len: size of @record
 *
 * For a device that cannot sign its measurements (MEAS_CAP 01b): each
 * response with blocks is an event with AuthState FAIL_NO_SIG that names
 * no signature.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_tcg_log_unsigned_meas(struct spdm_state *spdm_state,
				const u8 *record, size_t len)
{
	struct spdm_tcg_desc d = {
		.kind = SPDM_TCG_MEASUREMENTS,
		.auth_state = SPDM_TCG_AUTH_FAIL_NO_SIG,
		.record = record,
		.record_len = len,
	};

	spdm_tcg_log(spdm_state, &d);
}

/**
 * spdm_tcg_log_auth() - log and measure the result of an authentication
 * @spdm_state: SPDM state of the device
 * @result: 0 or the negative errno it ended with
 *
 * The event names the CHALLENGE_AUTH signature of the authentication if
 * the device returned one.
 *
 * Context: process, @spdm_state->lock held.
 */
void spdm_tcg_log_auth(struct spdm_state *spdm_state, int result)
{
	struct spdm_tcg_desc d = {
		.kind = SPDM_TCG_AUTHENTICATION,
		.result = result,
	};

	if (spdm_state->chal_ev.received)
		d.ev = &spdm_state->chal_ev;
	if (!result)
		d.auth_state = SPDM_TCG_AUTH_SUCCESS;
	else if (result == -ENOKEY && spdm_state->chal_ev.valid)
		d.auth_state = SPDM_TCG_AUTH_NO_AUTHORITY;
	else if (result == -EOPNOTSUPP && !spdm_state->version)
		d.auth_state = SPDM_TCG_AUTH_NO_SPDM;
	else if (spdm_state->version &&
		 !(spdm_state->rsp_caps & SPDM_CHAL_CAP))
		d.auth_state = SPDM_TCG_AUTH_FAIL_NO_SIG;
	else
		d.auth_state = SPDM_TCG_AUTH_FAIL_INVALID;
	spdm_tcg_log(spdm_state, &d);
}

/* securityfs: binary_event_log, ascii_event_log, not_logged */

static void *spdm_tcg_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&spdm_tcg.lock);
	if (!spdm_tcg.header)
		return NULL;
	return seq_list_start_head(&spdm_tcg.events, *pos);
}

static void *spdm_tcg_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &spdm_tcg.events, pos);
}

static void spdm_tcg_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&spdm_tcg.lock);
}

static int spdm_tcg_binary_show(struct seq_file *m, void *v)
{
	struct spdm_tcg_event *e;

	if (v == &spdm_tcg.events) {
		seq_write(m, spdm_tcg.header, spdm_tcg.header_len);
		return 0;
	}
	e = list_entry(v, struct spdm_tcg_event, list);
	seq_write(m, e->data, e->len);
	return 0;
}

/* "PCR type bank:digest... device kind auth_state result" per event */
static int spdm_tcg_ascii_show(struct seq_file *m, void *v)
{
	static const char * const kinds[] = {
		[SPDM_TCG_AUTHENTICATION] = "authentication",
		[SPDM_TCG_MEASUREMENTS] = "measurements",
		[SPDM_TCG_SESSION] = "session",
	};
	const struct spdm_tcg_runtime *rt;
	const struct spdm_tcg_header2 *hdr;
	struct spdm_tcg_event *e;
	unsigned int i;
	u32 data_len;
	u8 *p;

	if (v == &spdm_tcg.events)
		return 0;
	e = list_entry(v, struct spdm_tcg_event, list);
	p = e->data + 12;
	seq_printf(m, "%2u %08x", get_unaligned_le32(e->data),
		   get_unaligned_le32(e->data + 4));
	for (i = 0; i < spdm_tcg.nr_banks; i++) {
		seq_printf(m, " %04x:%*phN", get_unaligned_le16(p),
			   spdm_tcg.banks[i].size, p + 2);
		p += 2 + spdm_tcg.banks[i].size;
	}
	data_len = get_unaligned_le32(p);
	hdr = (void *)(p + 4);
	rt = (void *)(p + 4 + data_len - sizeof(*rt));
	seq_printf(m, " %s %s auth_state=%u result=%d", rt->device,
		   kinds[rt->kind], hdr->auth_state,
		   (int)le32_to_cpu(rt->result));
	if (rt->flags & SPDM_TCG_SIGNED)
		seq_printf(m, " transcript_sha256=%*phN nonce=%*phN",
			   SHA256_DIGEST_SIZE, rt->transcript_sha256,
			   SPDM_NONCE_SZ, rt->requester_nonce);
	if (rt->flags & SPDM_TCG_SESSION_ID)
		seq_printf(m, " session=%#010x", le32_to_cpu(rt->session_id));
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations spdm_tcg_binary_seqops = {
	.start = spdm_tcg_seq_start,
	.next = spdm_tcg_seq_next,
	.stop = spdm_tcg_seq_stop,
	.show = spdm_tcg_binary_show,
};

static const struct seq_operations spdm_tcg_ascii_seqops = {
	.start = spdm_tcg_seq_start,
	.next = spdm_tcg_seq_next,
	.stop = spdm_tcg_seq_stop,
	.show = spdm_tcg_ascii_show,
};

/* The seq_operations of the file (binary or ASCII) are its i_private */
static int spdm_tcg_log_open(struct inode *inode, struct file *file)
{
	return seq_open(file, inode->i_private);
}

static const struct file_operations spdm_tcg_log_fops = {
	.open = spdm_tcg_log_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

static ssize_t spdm_tcg_not_logged_read(struct file *file, char __user *buf,
					size_t count, loff_t *ppos)
{
	char tmp[24];
	int len;

	mutex_lock(&spdm_tcg.lock);
	len = scnprintf(tmp, sizeof(tmp), "%llu\n", spdm_tcg.not_logged);
	mutex_unlock(&spdm_tcg.lock);
	return simple_read_from_buffer(buf, count, ppos, tmp, len);
}

static const struct file_operations spdm_tcg_not_logged_fops = {
	.read = spdm_tcg_not_logged_read,
	.llseek = default_llseek,
};

static int __init spdm_tcg_fs_init(void)
{
	struct dentry *dir;

	dir = securityfs_create_dir("spdm", NULL);
	if (IS_ERR(dir))
		return PTR_ERR(dir);

	if (IS_ERR(securityfs_create_file("binary_event_log", 0440, dir,
					  (void *)&spdm_tcg_binary_seqops,
					  &spdm_tcg_log_fops)) ||
	    IS_ERR(securityfs_create_file("ascii_event_log", 0440, dir,
					  (void *)&spdm_tcg_ascii_seqops,
					  &spdm_tcg_log_fops)) ||
	    IS_ERR(securityfs_create_file("not_logged", 0440, dir, NULL,
					  &spdm_tcg_not_logged_fops))) {
		securityfs_remove(dir);
		pr_warn("Cannot show the SPDM event log in securityfs\n");
		return -ENOMEM;
	}
	return 0;
}
fs_initcall(spdm_tcg_fs_init);
