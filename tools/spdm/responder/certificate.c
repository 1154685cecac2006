// SPDX-License-Identifier: GPL-2.0
/*
 * GET_DIGESTS / DIGESTS and GET_CERTIFICATE / CERTIFICATE (DSP0274 1.3
 * sec 10.6 and 10.7).  Both exchanges are part B of the CHALLENGE
 * transcript (see challenge.c for the rules).
 */
#include <string.h>

#include "log.h"
#include "handlers.h"

#define GET_CERT_REQ_LEN	8
#define CERT_RSP_HDR_LEN	8
#define SLOT_SIZE_REQUESTED	0x01	/* 1.3 GET_CERTIFICATE Param2 bit 0 */
#define LARGE_CERT_CHAIN	0x80	/* 1.4 Param1 bit 7 */

static unsigned int popcount8(uint8_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/*
 * DIGESTS: Param2 = ProvisionedSlotMask (1.3: Param1 = SupportedSlotMask,
 * Param2 = ProvisionedSlotMask), then Hash(chain) of each provisioned
 * slot in slot order.  We never select MULTI_KEY_CONN, so there are no
 * KeyPairID/CertificateInfo/KeyUsageMask fields.
 */
int spdm_get_digests(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	size_t len, h;
	unsigned int s;
	uint8_t hdr[SPDM_HDR_LEN];
	int ret;

	if (!spdm_req_len_ok(req, SPDM_HDR_LEN))
		return spdm_reject_len(dev, req, rsp, SPDM_HDR_LEN);
	h = dev->hash->len;
	len = SPDM_HDR_LEN + popcount8(dev->provisioned) * h;
	if (!spdm_rsp_fits(dev, len))
		return spdm_too_large(dev, req, rsp, len);
	hdr[0] = req->version;
	hdr[1] = SPDM_DIGESTS;
	hdr[2] = req->version >= SPDM_VER_13 ? dev->supported : 0;
	hdr[3] = dev->provisioned;
	ret = msg_put(rsp, hdr, sizeof(hdr));
	for (s = 0; s < SPDM_MAX_SLOTS && !ret; s++)
		if (dev->provisioned & (1U << s))
			ret = msg_put(rsp, spdm_slot_chain(dev, s)->digest, h);
	if (ret)
		return ret;
	if (misbehave_get(&dev->misbehave, MB_DIGEST_MISMATCH, req->code) &&
	    dev->provisioned) {
		log_msg("port %u: misbehave digest-mismatch: DIGESTS carries wrong digests",
			dev->port);
		for (s = 0; s < popcount8(dev->provisioned); s++)
			rsp->data[SPDM_HDR_LEN + s * h] ^= 0xff;
	}
	/*
	 * GET_DIGESTS starts part B afresh (as DMTF libspdm does, so a
	 * repeated GET_DIGESTS leaves one GET_DIGESTS/DIGESTS pair in B).
	 */
	msg_reset(&dev->b);
	return spdm_transcript_add(&dev->b, req->buf, SPDM_HDR_LEN,
				   rsp->data, rsp->len);
}

/*
 * The most chain bytes one CERTIFICATE may carry.  Offset 0 with Length
 * 0xFFFF asks for the whole chain; when both sides have CHUNK_CAP (1.2+)
 * we send it whole, as a large response in chunks, as DMTF libspdm's
 * requester expects (it rejects a partial portion then).  Otherwise one
 * message of the smaller DataTransferSize.
 */
static size_t cert_budget(const struct spdm_device *dev, size_t offset,
			  size_t length)
{
	size_t max = spdm_max_send(dev);

	if (offset == 0 && length == 0xffff && spdm_chunking(dev)) {
		max = dev->max_msg_size;
		if (dev->req_max_msg_size < max)
			max = dev->req_max_msg_size;
	}
	return max - CERT_RSP_HDR_LEN;
}

/*
 * CERTIFICATE: Param1 = slot, PortionLength, RemainderLength, portion.
 * The portion is what was asked for, cut to the chain's end and to the
 * largest response both sides accept (1.0/1.1 have no DataTransferSize
 * of the requester: ours alone limits it).  1.3 SlotSizeRequested:
 * PortionLength 0, RemainderLength = the chain's size.  1.4
 * LargeCertChain (Param1 bit 7, the 16-byte request with 32-bit
 * LargeOffset/LargeLength) needs LARGE_RESP_CAP, which we do not have:
 * ERROR UnsupportedRequest, as from DMTF libspdm.  Our chains fit the
 * 16-bit form (certs.c), whose Length field is 32 bits at 1.4 already.
 */
int spdm_get_certificate(struct spdm_device *dev,
			 const struct spdm_request *req, struct msg *rsp)
{
	unsigned int slot = req->param1 & 0xf, bit = 1U << slot;
	size_t offset, length, portion, remainder, budget, flip;
	const struct spdm_chain *chain;
	uint8_t hdr[CERT_RSP_HDR_LEN];
	bool size_only;
	int ret;

	if (req->version >= SPDM_VER_14 && (req->param1 & LARGE_CERT_CHAIN))
		return spdm_reject(dev, req, rsp, SPDM_ERR_UNSUPPORTED_REQUEST,
				   req->code,
				   "LargeCertChain without LARGE_RESP_CAP");
	if (!spdm_req_len_ok(req, GET_CERT_REQ_LEN))
		return spdm_reject_len(dev, req, rsp, GET_CERT_REQ_LEN);
	size_only = req->version >= SPDM_VER_13 &&
		    (req->param2 & SLOT_SIZE_REQUESTED);
	if (slot >= SPDM_MAX_SLOTS)
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "slot %u does not exist", slot);
	if (!(dev->provisioned & bit) && !(size_only && (dev->supported & bit)))
		return spdm_reject(dev, req, rsp, SPDM_ERR_INVALID_REQUEST, 0,
				   "slot %u not provisioned (mask 0x%02x)",
				   slot, dev->provisioned);
	chain = spdm_slot_chain(dev, slot);
	offset = get_le16(req->buf + 4);
	length = get_le16(req->buf + 6);
	if (size_only) {
		portion = 0;
		remainder = dev->provisioned & bit ? chain->len : 0;
	} else {
		if (offset >= chain->len)
			return spdm_reject(dev, req, rsp,
					   SPDM_ERR_INVALID_REQUEST, 0,
					   "Offset %zu beyond the %zu-byte chain of slot %u",
					   offset, chain->len, slot);
		budget = cert_budget(dev, offset, length);
		portion = chain->len - offset;
		if (portion > length)
			portion = length;
		if (portion > budget)
			portion = budget;
		remainder = chain->len - offset - portion;
	}
	hdr[0] = req->version;
	hdr[1] = SPDM_CERTIFICATE;
	hdr[2] = slot;
	hdr[3] = 0;		/* 1.3 CertificateInfo: no MULTI_KEY_CONN */
	hdr[4] = portion & 0xff;
	hdr[5] = portion >> 8;
	hdr[6] = remainder & 0xff;
	hdr[7] = remainder >> 8;
	ret = msg_put(rsp, hdr, sizeof(hdr));
	ret = ret ?: msg_put(rsp, portion ? chain->buf + offset : NULL, portion);
	if (ret)
		return ret;
	/* cert-mismatch: the chain's last byte is in the leaf's signature */
	flip = chain->len - 1;
	if (portion && flip >= offset && flip < offset + portion &&
	    misbehave_get(&dev->misbehave, MB_CERT_MISMATCH, req->code)) {
		log_msg("port %u: misbehave cert-mismatch: leaf certificate of slot %u altered",
			dev->port, slot);
		rsp->data[CERT_RSP_HDR_LEN + flip - offset] ^= 0x01;
	}
	return spdm_transcript_add(&dev->b, req->buf, GET_CERT_REQ_LEN,
				   rsp->data, rsp->len);
}
