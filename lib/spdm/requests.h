/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * Middle layer: one file per request/response pair (req-*.c).  Each
 * builds its request, checks the response and records it in the state,
 * using only the primitives below (exchange.h, crypto.h) and the secure
 * session (session.h); the flows above (auth.h) put them in order.
 */

#ifndef _LIB_SPDM_REQUESTS_H_
#define _LIB_SPDM_REQUESTS_H_

#include <linux/types.h>

struct spdm_get_version_rsp;
struct spdm_negotiate_algs_rsp;
struct spdm_state;

/* req-version.c */
int spdm_get_version(struct spdm_state *spdm_state);
int spdm_select_version(const struct spdm_get_version_rsp *rsp,
			size_t rsp_sz, u8 *version);

/* req-capabilities.c */
int spdm_get_capabilities(struct spdm_state *spdm_state);

/* req-algorithms.c */
int spdm_negotiate_algs(struct spdm_state *spdm_state);
int spdm_parse_algs_structs(const struct spdm_negotiate_algs_rsp *rsp,
			    size_t len);

/* req-certificates.c */
int spdm_get_digests(struct spdm_state *spdm_state);
int spdm_get_certificates(struct spdm_state *spdm_state);

/**
 * struct spdm_challenge_fields - offsets into a CHALLENGE_AUTH response
 * @nonce: responder nonce
 * @meas_summary: MeasurementSummaryHash (absent if not requested)
 * @opaque: OpaqueData, preceded by its 2-byte length
 * @opaque_len: size of OpaqueData
 * @context: RequesterContext (SPDM 1.3)
 * @sig: signature
 * @len: size of the response
 */
struct spdm_challenge_fields {
	size_t nonce;
	size_t meas_summary;
	size_t opaque;
	size_t opaque_len;
	size_t context;
	size_t sig;
	size_t len;
};

/* req-challenge.c */
int spdm_challenge(struct spdm_state *spdm_state, u8 slot);
int spdm_parse_challenge_rsp(u8 version, size_t hash_len, size_t sig_len,
			     bool meas_summary, const u8 *rsp, size_t length,
			     struct spdm_challenge_fields *f);

/**
 * struct spdm_meas_fields - offsets into a MEASUREMENTS response
 * @record_len: MeasurementRecordLength
 * @nonce: responder nonce
 * @opaque: OpaqueDataLength, followed by OpaqueData
 * @opaque_len: size of OpaqueData
 * @context: RequesterContext (SPDM 1.3)
 * @sig: signature, if one was requested
 * @len: size of the response
 */
struct spdm_meas_fields {
	size_t record_len;
	size_t nonce;
	size_t opaque;
	size_t opaque_len;
	size_t context;
	size_t sig;
	size_t len;
};

/* req-measurements.c */
int spdm_parse_meas_rsp(u8 version, size_t sig_len, bool signed_rsp,
			const u8 *rsp, size_t length,
			struct spdm_meas_fields *f);
int spdm_check_meas_record(const u8 *record, size_t len, u8 nr_blocks,
			   u8 operation, u8 meas_spec, size_t hash_len,
			   const char **why);
int spdm_get_measurements(struct spdm_state *spdm_state, const u8 *indices,
			  unsigned int nr_indices, u8 slot);
void spdm_meas_reset(struct spdm_state *spdm_state);

/**
 * struct spdm_key_exchange_fields - offsets into a KEY_EXCHANGE_RSP
 * @meas_summary: MeasurementSummaryHash (absent if not requested)
 * @opaque: OpaqueData, preceded by its 2-byte length
 * @opaque_len: size of OpaqueData
 * @sig: signature
 * @verify: ResponderVerifyData
 * @len: size of the response
 */
struct spdm_key_exchange_fields {
	size_t meas_summary;
	size_t opaque;
	size_t opaque_len;
	size_t sig;
	size_t verify;
	size_t len;
};

/* req-key-exchange.c */
int spdm_parse_key_exchange_rsp(u8 version, size_t dhe_len, size_t hash_len,
				size_t sig_len, bool meas_summary,
				const u8 *rsp, size_t length,
				struct spdm_key_exchange_fields *f);
size_t spdm_opaque_versions(u8 version, u8 *buf);
int spdm_parse_opaque_selection(u8 version, const u8 *opaque, size_t len,
				u16 *selected);
int spdm_key_exchange(struct spdm_state *spdm_state, u8 slot);
void spdm_key_exchange_reset(struct spdm_state *spdm_state);

#endif /* _LIB_SPDM_REQUESTS_H_ */
