/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SPDM (DMTF DSP0274) message layer of the software responder: per-device
 * state, request dispatch and the ERROR helper.
 */
#ifndef SPDM_RESPONDER_SPDM_H
#define SPDM_RESPONDER_SPDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misbehave.h"
#include "msg.h"

/* Every SPDM message starts with SPDMVersion, code, Param1, Param2. */
#define SPDM_HDR_LEN			4

/* SPDMVersion byte: major in bits 7:4, minor in bits 3:0 */
#define SPDM_VER_10			0x10

/* Request codes (DSP0274) */
#define SPDM_GET_DIGESTS		0x81
#define SPDM_GET_CERTIFICATE		0x82
#define SPDM_CHALLENGE			0x83
#define SPDM_GET_VERSION		0x84
#define SPDM_CHUNK_SEND			0x85
#define SPDM_CHUNK_GET			0x86
#define SPDM_GET_MEASUREMENTS		0xe0
#define SPDM_GET_CAPABILITIES		0xe1
#define SPDM_NEGOTIATE_ALGORITHMS	0xe3
#define SPDM_KEY_EXCHANGE		0xe4
#define SPDM_FINISH			0xe5
#define SPDM_PSK_EXCHANGE		0xe6
#define SPDM_PSK_FINISH			0xe7
#define SPDM_HEARTBEAT			0xe8
#define SPDM_KEY_UPDATE			0xe9
#define SPDM_GET_ENCAPSULATED_REQUEST	0xea
#define SPDM_DELIVER_ENCAPSULATED_RSP	0xeb
#define SPDM_END_SESSION		0xec
#define SPDM_GET_CSR			0xed
#define SPDM_SET_CERTIFICATE		0xee
#define SPDM_VENDOR_DEFINED_REQUEST	0xfe
#define SPDM_RESPOND_IF_READY		0xff

/* Response codes */
#define SPDM_VERSION			0x04
#define SPDM_ERROR			0x7f

/* ErrorCode values of the ERROR response (DSP0274) */
#define SPDM_ERR_INVALID_REQUEST	0x01
#define SPDM_ERR_INVALID_SESSION	0x02	/* 1.1 only; see doe.c */
#define SPDM_ERR_BUSY			0x03
#define SPDM_ERR_UNEXPECTED_REQUEST	0x04
#define SPDM_ERR_UNSPECIFIED		0x05
#define SPDM_ERR_DECRYPT_ERROR		0x06
#define SPDM_ERR_UNSUPPORTED_REQUEST	0x07
#define SPDM_ERR_VERSION_MISMATCH	0x41
#define SPDM_ERR_RESPONSE_NOT_READY	0x42
#define SPDM_ERR_REQUEST_RESYNCH	0x43

/* VersionNumberEntry: major 15:12, minor 11:8, update 7:4, alpha 3:0 */
#define SPDM_VNE(major, minor)		((uint16_t)((major) << 12 | (minor) << 8))
#define SPDM_VNE_TO_BYTE(vne)		((uint8_t)((vne) >> 8))
#define SPDM_MAX_VERSIONS		16

struct spdm_version_set {
	uint16_t entry[SPDM_MAX_VERSIONS];	/* ascending, no duplicates */
	unsigned int count;
};

/* One emulated device: one per TCP port, kept across connections. */
struct spdm_device {
	unsigned int index;		/* position in --port order */
	unsigned int port;		/* TCP port, for log lines */
	struct spdm_version_set versions;
	struct misbehave_set misbehave;
	uint8_t version;		/* selected version byte, 0 = none;
					 * GET_VERSION clears it, the coming
					 * GET_CAPABILITIES handler sets it */
	unsigned long requests;		/* SPDM requests seen */
};

/* What the transport must do besides sending the response. */
struct spdm_action {
	unsigned int delay_ms;		/* send the response this late */
	bool drop;			/* close the connection, send nothing */
};

/* A parsed request as handed to the handlers. */
struct spdm_request {
	const uint8_t *buf;		/* whole message incl. header */
	size_t len;			/* may include DOE zero padding */
	uint8_t version;
	uint8_t code;
	uint8_t param1;
	uint8_t param2;
};

/*
 * A request handler appends its response (or an ERROR) to @rsp and
 * returns 0, or a negative errno if it could not build any response.
 */
typedef int (*spdm_handler_t)(struct spdm_device *dev,
			      const struct spdm_request *req,
			      struct msg *rsp);

void spdm_device_init(struct spdm_device *dev, unsigned int index,
		      const struct spdm_version_set *versions,
		      const struct misbehave_set *misbehave);
int spdm_respond(struct spdm_device *dev, const uint8_t *req, size_t len,
		 struct msg *rsp, struct spdm_action *act);
int spdm_error(struct msg *rsp, uint8_t version, uint8_t code, uint8_t data,
	       const void *ext, size_t ext_len);
uint8_t spdm_error_version(const struct spdm_device *dev);
const char *spdm_request_name(uint8_t code);

/* version.c */
int spdm_get_version(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp);
int spdm_versions_parse(const char *list, struct spdm_version_set *set,
			const char **why);
int spdm_version_parse(const char *s, uint16_t *vne);
bool spdm_versions_has(const struct spdm_version_set *set, uint8_t version);
void spdm_versions_format(const struct spdm_version_set *set, char *buf,
			  size_t len);

#endif /* SPDM_RESPONDER_SPDM_H */
