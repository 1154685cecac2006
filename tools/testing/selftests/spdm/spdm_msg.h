/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few SPDM (DMTF DSP0274) messages the DOE selftests and spdm-doe
 * build and decode.  Header-only for the same reason as doe.h.
 */
#ifndef SPDM_SELFTEST_SPDM_MSG_H
#define SPDM_SELFTEST_SPDM_MSG_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#define SPDM_VERSION_10		0x10	/* GET_VERSION/VERSION are always 1.0 */

/* Request codes */
#define SPDM_GET_DIGESTS	0x81
#define SPDM_GET_VERSION	0x84
#define SPDM_RESERVED_REQ	0x80	/* no request has this code */

/* Response codes */
#define SPDM_VERSION		0x04
#define SPDM_ERROR		0x7f

/* ERROR codes (DSP0274 1.3 table "Error code and error data") */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_VERSION_MISMATCH	0x41

#define SPDM_MAX_VERSIONS	255	/* VersionNumberEntryCount is a byte */

static inline const char *spdm_error_name(uint8_t code)
{
	switch (code) {
	case 0x01: return "InvalidRequest";
	case 0x03: return "Busy";
	case 0x04: return "UnexpectedRequest";
	case 0x05: return "Unspecified";
	case 0x06: return "DecryptError";
	case 0x07: return "UnsupportedRequest";
	case 0x08: return "RequestInFlight";
	case 0x09: return "InvalidResponseCode";
	case 0x0a: return "SessionLimitExceeded";
	case 0x0b: return "SessionRequired";
	case 0x0c: return "ResetRequired";
	case 0x0d: return "ResponseTooLarge";
	case 0x0e: return "RequestTooLarge";
	case 0x0f: return "LargeResponse";
	case 0x10: return "MessageLost";
	case 0x11: return "InvalidPolicy";
	case 0x41: return "VersionMismatch";
	case 0x42: return "ResponseNotReady";
	case 0x43: return "RequestResynch";
	case 0x44: return "OperationFailed";
	case 0x45: return "NoPendingRequests";
	case 0xff: return "VendorDefined";
	default: return "Reserved";
	}
}

/**
 * spdm_parse_version() - decode a VERSION response
 * @rsp: response message (may carry DOE padding after it)
 * @len: its length
 * @entries: filled with the VersionNumberEntry values, in message order
 *	     (bits 15:12 major, 11:8 minor, 7:4 update, 3:0 alpha)
 * @count: set to the number of entries
 *
 * @entries must hold SPDM_MAX_VERSIONS values.
 *
 * Return: 0, -EPROTO if @rsp is not a 1.0 VERSION message (an ERROR for
 * instance), -EBADMSG if it is truncated.
 */
static inline int spdm_parse_version(const uint8_t *rsp, size_t len,
				     uint16_t *entries, unsigned int *count)
{
	unsigned int i, n;

	if (len < 4)
		return -EBADMSG;
	if (rsp[0] != SPDM_VERSION_10 || rsp[1] != SPDM_VERSION)
		return -EPROTO;
	if (len < 6)
		return -EBADMSG;
	n = rsp[5];
	if (len < 6 + 2 * (size_t)n)
		return -EBADMSG;
	for (i = 0; i < n; i++)
		entries[i] = rsp[6 + 2 * i] | rsp[7 + 2 * i] << 8;
	*count = n;
	return 0;
}

#endif /* SPDM_SELFTEST_SPDM_MSG_H */
