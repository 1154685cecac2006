/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMTF Security Protocol and Data Model (SPDM), DSP0274
 * https://www.dmtf.org/dsp/DSP0274
 *
 * The SPDM state of one device: what was negotiated, the certificate
 * chains, the transcripts, the evidence of the signatures and the secure
 * session.
 */

#ifndef _LIB_SPDM_STATE_H_
#define _LIB_SPDM_STATE_H_

#include <crypto/sha2.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spdm.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <uapi/linux/spdm_netlink.h>

#include "wire.h"

struct crypto_aead;
struct crypto_shash;
struct device;
struct key;
struct public_key;
struct spdm_asym_info;
struct spdm_meas_dir;
struct spdm_sig_log;

/**
 * struct spdm_transcript - messages a signature is to cover
 * @data: the messages, one after the other, as exchanged
 * @len: bytes used in @data
 * @max: bytes allocated for @data
 */
struct spdm_transcript {
	u8 *data;
	size_t len;
	size_t max;
};

/**
 * struct spdm_evidence - a signature and what a verifier needs to check it
 * @type: exchange the signature belongs to (&enum spdm_sig_type)
 * @context: signing context of the combined prefix (SPDM 1.2+)
 * @transcript: the messages the signature covers, without the signature
 * @transcript_len: size of @transcript
 * @sig: the signature as received (&spdm_state.sig_len bytes)
 * @req_nonce_off: offset of the requester nonce in @transcript
 * @rsp_nonce_off: offset of the responder nonce in @transcript
 * @record_off: offset of the MeasurementRecord in @transcript (measurements)
 * @record_len: size of the MeasurementRecord (measurements)
 * @slot: slot whose leaf key signed
 * @received: the fields are set
 * @valid: @sig verified with the leaf key of @slot
 * @generation: &spdm_state.generation once the signature was taken
 */
struct spdm_evidence {
	enum spdm_sig_type type;
	const char *context;
	const u8 *transcript;
	size_t transcript_len;
	u8 sig[SPDM_MAX_SIG_SZ];
	size_t req_nonce_off;
	size_t rsp_nonce_off;
	size_t record_off;
	size_t record_len;
	u8 slot;
	bool received;
	bool valid;
	u32 generation;
};

/**
 * struct spdm_session_keys - traffic keys of one direction
 * @secret: the direction's major secret
 * @key: AEAD key derived from @secret
 * @iv: AEAD IV base derived from @secret
 * @seq: sequence number of the next record
 */
struct spdm_session_keys {
	u8 secret[SPDM_MAX_HASH_SZ];
	u8 key[SPDM_AEAD_MAX_KEY_SZ];
	u8 iv[SPDM_AEAD_IV_SZ];
	u64 seq;
};

/**
 * struct spdm_session - a secure session with the device
 * @id: SessionID, RspSessionID << 16 | ReqSessionID (ReqSessionID first on the wire)
 * @established: FINISH_RSP received, data keys in use
 * @mac_only: records are authenticated, not encrypted
 * @heartbeat_period: HeartbeatPeriod of KEY_EXCHANGE_RSP (seconds)
 * @secured_version: DSP0277 version selected, 0 if the device chose none
 * @hmac: HMAC with the negotiated hash, for the key schedule
 * @aead_req: AEAD keyed with @req.key
 * @aead_rsp: AEAD keyed with @rsp.key
 * @handshake_secret: handshake secret (until FINISH_RSP)
 * @req_finished: requester finished key (until FINISH_RSP)
 * @rsp_finished: responder finished key (until FINISH_RSP)
 * @req: keys of requests
 * @rsp: keys of responses
 * @th: transcript TH1, then TH2 (until FINISH_RSP)
 * @start: when KEY_EXCHANGE was sent
 */
struct spdm_session {
	u32 id;
	bool established;
	bool mac_only;
	u8 heartbeat_period;
	u16 secured_version;
	struct crypto_shash *hmac;
	struct crypto_aead *aead_req;
	struct crypto_aead *aead_rsp;
	u8 handshake_secret[SPDM_MAX_HASH_SZ];
	u8 req_finished[SPDM_MAX_HASH_SZ];
	u8 rsp_finished[SPDM_MAX_HASH_SZ];
	struct spdm_session_keys req;
	struct spdm_session_keys rsp;
	struct spdm_transcript th;
	ktime_t start;
};

/**
 * enum spdm_session_state - what became of the last secure session
 * @SPDM_SESSION_NONE: none tried: the device, the transport or the
 *	negotiated algorithms allow none
 * @SPDM_SESSION_ESTABLISHED: established (FINISH_RSP received)
 * @SPDM_SESSION_ENDED: ended with END_SESSION (a request, or before
 *	re-authentication or removal)
 * @SPDM_SESSION_REFUSED: the device refused the handshake with an ERROR,
 *	or asked for what the kernel does not offer; authentication stands
 * @SPDM_SESSION_FAILED: a transport error or a missing or late answer
 *	ended the handshake or the session; authentication stands
 * @SPDM_SESSION_REJECTED: the handshake or a secured response failed a
 *	cryptographic or consistency check; the device is not authenticated
 */
enum spdm_session_state {
	SPDM_SESSION_NONE,
	SPDM_SESSION_ESTABLISHED,
	SPDM_SESSION_ENDED,
	SPDM_SESSION_REFUSED,
	SPDM_SESSION_FAILED,
	SPDM_SESSION_REJECTED,
};

#define SPDM_SESSION_REASON_SZ	128
#define SPDM_AUTH_REASON_SZ	128

/**
 * struct spdm_identity - what identifies a device for the same-device check
 * @key: public key of the leaf certificate (as in &struct public_key)
 * @keylen: size of @key
 * @pkey_algo: algorithm of @key
 * @chain_digest: SHA-384 of the DER certificates of the chain
 * @slot: slot the chain was read from
 * @set: the fields are set
 */
struct spdm_identity {
	u8 *key;
	u32 keylen;
	char pkey_algo[32];
	u8 chain_digest[SHA384_DIGEST_SIZE];
	u8 slot;
	bool set;
};

/**
 * enum spdm_identity_state - outcome of the last same-device check
 * @SPDM_IDENTITY_NONE: no check: no identity was accepted yet, or the last
 *	authentication did not get as far as a signature
 * @SPDM_IDENTITY_ACCEPTED: the device presented the accepted identity
 * @SPDM_IDENTITY_CHANGED: the device presented another identity
 */
enum spdm_identity_state {
	SPDM_IDENTITY_NONE,
	SPDM_IDENTITY_ACCEPTED,
	SPDM_IDENTITY_CHANGED,
};

/**
 * struct spdm_state - SPDM state of one device
 * @lock: serializes exchanges with the device and access to the fields
 * @dev: device the state belongs to
 * @tcg_uid: SubHeaderUID of the device's TCG events, unique in this boot
 * @transport: transport callback
 * @transport_priv: transport private data
 * @transport_sz: largest message the transport carries (bytes)
 * @secured_transport: transport of secured messages, %NULL if none
 * @keyring: trusted root certificates (e.g. the .cma keyring)
 * @validate: bus-specific leaf certificate check, may be %NULL
 * @auth_result: outcome of the last authentication: 0 authenticated,
 *	-EOPNOTSUPP device does not support it, another errno on failure
 * @auth_reason: why @auth_result is what it is; empty if authenticated
 * @auth_step: request the authentication is at, for @auth_reason
 * @deadline: jiffies by which the running authentication must be done,
 *	0 for none (spdm_transport_call() checks it)
 * @deadline_hit: an exchange was refused because of @deadline
 * @after_reset: the device was reset or resumed since the last
 *	authentication (spdm_reset_done())
 * @announced: @auth_result and @auth_reason the last uevent carried
 * @announced_reason: see @announced
 * @auth_queued: background authentications queued so far
 * @auth_finished: value of @auth_queued when the latest finished one
 *	started; equal to @auth_queued when no result is pending
 * @result_wq: woken when @auth_finished changes
 * @version: negotiated SPDM version, 0 before GET_VERSION succeeded
 * @rsp_caps: responder capability flags
 * @ct_us: cryptographic timeout of the responder (2^CTExponent us)
 * @rsp_data_transfer_sz: responder's DataTransferSize (1.2+)
 * @rsp_max_msg_sz: responder's MaxSPDMmsgSize (1.2+)
 * @base_asym_alg: selected BaseAsymAlgo (one bit), 0 if @pqc_asym_alg
 * @pqc_asym_alg: selected PqcAsymAlgo (SPDM 1.4, one bit), 0 if
 *	@base_asym_alg
 * @base_hash_alg: selected BaseHashAlgo (one bit)
 * @meas_hash_alg: selected MeasurementHashAlgo
 * @meas_spec: selected MeasurementSpecification
 * @other_params: selected OtherParams (opaque data format)
 * @asym: the selected signature algorithm, %NULL before ALGORITHMS
 * @base_hash_name: crypto API name of the hash ("sha256", ...)
 * @sig_len: signature size of @asym
 * @hash_len: digest size of @base_hash_alg
 * @shash: hash transform of @base_hash_alg
 * @dhe_alg: selected DHE group, 0 if none
 * @aead_alg: selected AEAD suite, 0 if none
 * @key_sched_alg: selected KeySchedule, 0 if none
 * @dhe_name: name of @dhe_alg for sysfs and messages
 * @dhe_kpp: crypto API name of the ECDH of @dhe_alg
 * @dhe_len: size of the ExchangeData of @dhe_alg (X || Y)
 * @aead_name: name of @aead_alg for sysfs and messages
 * @aead_crypto: crypto API name of @aead_alg
 * @aead_key_len: key size of @aead_alg
 * @session: the secure session, %NULL if none
 * @heartbeat_work: sends HEARTBEAT when the device asked for it
 * @auth_work: authentication in the background (spdm_authenticate_async())
 * @auth_done: called after the background authentication, may be %NULL
 * @ke_ev: evidence of the last KEY_EXCHANGE_RSP
 * @ke_th1: TH1 up to the signature of KEY_EXCHANGE_RSP (@ke_ev)
 * @ke_session_id: SessionID the last KEY_EXCHANGE opened
 * @ke_verify_valid: its ResponderVerifyData matched
 * @ke_finish_valid: FINISH was accepted: that session was established
 * @rsp_error: ErrorCode of the last ERROR response, 0 if none
 * @transport_rc: errno of the last transport error or late answer since
 *	it was last cleared, 0 if none
 * @session_state: what became of the last session
 * @session_rc: errno that goes with @session_state, 0 if none
 * @session_reason: why @session_state, for sysfs; empty if established
 * @supported_slots: slots the responder supports (1.3, else all), as
 *	last reported
 * @provisioned_slots: slots holding a certificate chain
 * @slot: certificate chain of each slot (DSP0274 table 33 format)
 * @slot_sz: size of each @slot
 * @slot_digest: digest of each slot's chain from the DIGESTS response
 * @leaf_key: public key of the leaf certificate of @chal_slot
 * @chal_slot: slot used for CHALLENGE
 * @chain_anchored: the chain of @chal_slot leads to a key in @keyring
 * @cache: certificate chains of the previous authentication, reused for
 *	slots whose digest has not changed
 * @cache_sz: size of each @cache
 * @fresh_chains: read every chain, use no @cache
 * @chains_read: GET_CERTIFICATE exchanges of the last authentication
 * @chains_cached: slots of the last authentication whose chain came
 *	from @cache
 * @accepted: identity accepted for the same-device check
 * @presented: identity presented in the last authentication
 * @identity_state: outcome of the last same-device check
 * @transcript: messages exchanged since GET_VERSION (M1 of CHALLENGE)
 * @vca_len: length of the VCA messages at the start of @transcript
 * @req_slot: slot a verifier asked to challenge, or -1 for any
 * @req_nonce: nonce a verifier asked to be signed, or %NULL for a random one
 * @chal_ev: evidence of the last CHALLENGE_AUTH
 * @meas_ev: evidence of the last signed MEASUREMENTS
 * @meas_l1l2: L1/L2 transcript of the measurements (@meas_ev)
 * @meas_summary: MeasurementSummaryHash of the last CHALLENGE_AUTH
 * @meas_summary_set: @meas_summary was received and not yet compared
 * @meas_hash_len: digest size of @meas_hash_alg, 0 for raw bit streams
 * @meas_record: measurement blocks of the last complete signed (or, for
 *	devices that cannot sign them, summary-checked) read, as received
 * @meas_record_len: size of @meas_record
 * @meas_dir: the "measurements" sysfs directory, %NULL if not shown
 * @list: entry in the list of SPDM devices
 * @kref: references from the list and from netlink requests
 * @dead: the device is going away; no more exchanges
 * @exchanges: request/response pairs since the last reset
 * @bytes_sent: request bytes since the last reset
 * @bytes_received: response bytes since the last reset
 * @sig_log: log of the signatures received, shown in sysfs; allocated
 *	with the first signature or sysfs registration
 * @generation: incremented whenever the evidence netlink's evidence-read
 *	returns changes (spdm_evidence_changed())
 */
struct spdm_state {
	struct mutex lock;	/* serializes exchanges, guards all below */
	int auth_result;
	char auth_reason[SPDM_AUTH_REASON_SZ];
	const char *auth_step;
	unsigned long deadline;
	bool deadline_hit;
	bool after_reset;
	int announced;
	char announced_reason[SPDM_AUTH_REASON_SZ];
	atomic_t auth_queued;
	atomic_t auth_finished;
	wait_queue_head_t result_wq;

	/* Transport */
	struct device *dev;
	u64 tcg_uid;
	spdm_transport *transport;
	void *transport_priv;
	u32 transport_sz;
	spdm_transport *secured_transport;
	struct key *keyring;
	spdm_validate *validate;

	/* Negotiated state */
	u8 version;
	u32 rsp_caps;
	u32 ct_us;
	u32 rsp_data_transfer_sz;
	u32 rsp_max_msg_sz;
	u32 base_asym_alg;
	u32 pqc_asym_alg;
	u32 base_hash_alg;
	u32 meas_hash_alg;
	u8 meas_spec;
	u8 other_params;
	const struct spdm_asym_info *asym;
	const char *base_hash_name;
	size_t sig_len;
	size_t hash_len;
	struct crypto_shash *shash;
	u16 dhe_alg;
	u16 aead_alg;
	u16 key_sched_alg;
	const char *dhe_name;
	const char *dhe_kpp;
	size_t dhe_len;
	const char *aead_name;
	const char *aead_crypto;
	size_t aead_key_len;

	/* Secure session */
	struct spdm_session *session;
	struct delayed_work heartbeat_work;
	struct work_struct auth_work;
	spdm_done_cb *auth_done;
	struct spdm_evidence ke_ev;
	struct spdm_transcript ke_th1;
	u32 ke_session_id;
	bool ke_verify_valid;
	bool ke_finish_valid;
	u8 rsp_error;
	int transport_rc;
	enum spdm_session_state session_state;
	int session_rc;
	char session_reason[SPDM_SESSION_REASON_SZ];

	/* Certificates */
	u8 supported_slots;
	u8 provisioned_slots;
	u8 *slot[SPDM_SLOTS];
	size_t slot_sz[SPDM_SLOTS];
	u8 slot_digest[SPDM_SLOTS][SPDM_MAX_HASH_SZ];
	struct public_key *leaf_key;
	u8 chal_slot;
	bool chain_anchored;
	u8 *cache[SPDM_SLOTS];
	size_t cache_sz[SPDM_SLOTS];
	bool fresh_chains;
	unsigned int chains_read;
	unsigned int chains_cached;

	/* Same-device check */
	struct spdm_identity accepted;
	struct spdm_identity presented;
	enum spdm_identity_state identity_state;

	/* Transcript and evidence of the signatures */
	struct spdm_transcript transcript;
	size_t vca_len;
	int req_slot;
	const u8 *req_nonce;
	struct spdm_evidence chal_ev;
	struct spdm_evidence meas_ev;

	/* Measurements */
	struct spdm_transcript meas_l1l2;
	u8 meas_summary[SPDM_MAX_HASH_SZ];
	bool meas_summary_set;
	size_t meas_hash_len;
	u8 *meas_record;
	size_t meas_record_len;
	struct spdm_meas_dir *meas_dir;

	/* Registration */
	struct list_head list;
	struct kref kref;
	bool dead;

	/* Statistics of the current authentication */
	unsigned int exchanges;
	size_t bytes_sent;
	size_t bytes_received;

	/* Signature log */
	struct spdm_sig_log *sig_log;

	/* Generation of the evidence (netlink evidence-read) */
	u32 generation;
};

/**
 * spdm_evidence_changed() - note a change of the evidence a device has
 * @spdm_state: SPDM state of the device
 *
 * Called when the negotiated messages, a certificate chain, a signature
 * or a session's verdicts change, so that an evidence-read dump running
 * across the change fails with -EAGAIN instead of mixing the two.
 *
 * Context: process, @spdm_state->lock held.
 */
static inline void spdm_evidence_changed(struct spdm_state *spdm_state)
{
	spdm_state->generation++;
}

/**
 * spdm_deadline_passed() - whether the running authentication is too late
 * @spdm_state: SPDM state of the device
 *
 * Context: process, @spdm_state->lock held.
 *
 * Return: true if &spdm_state.deadline is set and has passed.
 */
static inline bool spdm_deadline_passed(struct spdm_state *spdm_state)
{
	return spdm_state->deadline &&
	       time_after_eq(jiffies, spdm_state->deadline);
}

#endif /* _LIB_SPDM_STATE_H_ */
