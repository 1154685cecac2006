// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaviour switches: per-device faults the reliability tests ask for.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "misbehave.h"
#include "spdm.h"

#define MB_BYTES_MAX		(1UL << 20)
#define MB_DELAY_MAX_MS		600000UL
#define MB_OVERLONG_DEFAULT	16
#define MB_GARBAGE		0xa5
#define MB_RDT_EXPONENT		10	/* ResponseNotReady: 2^10 us */

#define MB_RESYNCH_MAX	1000
#define MB_SLOW_MAX		100

enum mb_arg { MBA_NONE, MBA_OPTIONAL, MBA_REQUIRED };
enum mb_fmt { MBF_DEC, MBF_HEX, MBF_VER, MBF_WORD };

struct mb_desc {
	const char *name;
	enum mb_arg arg;
	enum mb_fmt fmt;
	const char *arg_name;
	unsigned long max;
	const char *help;
	const char *const *words;	/* MBF_WORD: the values, in order */
};

static const char *const alg_words[] = { "asym", "hash", NULL };
static const char *const transcript_words[] = {
	"no-vca", "no-b", "prefix", NULL,
};
static const char *const nonce_words[] = { "both", "nonce", "context", NULL };
static const char *const meas_transcript_words[] = {
	"no-vca", "prefix", "last-only", NULL,
};

static const struct mb_desc mb_table[MB_NR] = {
	[MB_TRUNCATE] = { "truncate", MBA_OPTIONAL, MBF_DEC, "N", MB_BYTES_MAX,
		"send only the first N bytes of the SPDM response\n"
		"(default: half; DOE zero-pads it to a dword)" },
	[MB_OVERLONG] = { "overlong", MBA_OPTIONAL, MBF_DEC, "N", MB_BYTES_MAX,
		"append N garbage bytes (0xa5) to the SPDM response\n"
		"(default 16)" },
	[MB_ERROR] = { "error", MBA_REQUIRED, MBF_HEX, "CODE", 0xff,
		"answer every request with ERROR(CODE, 0); 0x42\n"
		"(ResponseNotReady) carries RDTExponent, RequestCode,\n"
		"Token, RDTM and RESPOND_IF_READY with that code and\n"
		"Token gets the real response" },
	[MB_STALL] = { "stall", MBA_OPTIONAL, MBF_DEC, "EXP", 24,
		"answer every request and every RESPOND_IF_READY with\n"
		"ERROR(ResponseNotReady) with RDTExponent EXP (default\n"
		"20: about 1 s): the device never has an answer" },
	[MB_BUSY_ONCE] = { "busy-once", MBA_NONE, MBF_DEC, NULL, 0,
		"answer each request with ERROR(Busy) first; the\n"
		"retry (same request code next) is answered" },
	[MB_REQUEST_RESYNCH] = { "request-resynch", MBA_OPTIONAL, MBF_DEC, "N",
		MB_RESYNCH_MAX,
		"answer the first N requests (default 1) with\n"
		"ERROR(RequestResynch) and forget the connection\n"
		"(the requester must start over with GET_VERSION)" },
	[MB_BAD_VERSION] = { "bad-version", MBA_OPTIONAL, MBF_VER, "M.N", 0,
		"VERSION also lists M.N, which the device does not\n"
		"accept (default: the highest configured + 0.1)" },
	[MB_UNSUPPORTED_VERSION] = { "unsupported-version", MBA_NONE, MBF_DEC,
		NULL, 0, "VERSION lists only 0.9 and 2.0" },
	[MB_ALG_NOT_OFFERED] = { "alg-not-offered", MBA_OPTIONAL, MBF_WORD,
		"asym|hash", 0,
		"ALGORITHMS selects a BaseAsymAlgo (default) or\n"
		"BaseHashAlgo bit the requester did not offer", alg_words },
	[MB_ALG_MULTIPLE] = { "alg-multiple", MBA_OPTIONAL, MBF_WORD,
		"asym|hash", 0,
		"ALGORITHMS selects two BaseAsymAlgo (default) or\n"
		"BaseHashAlgo bits", alg_words },
	[MB_ALG_PQC_BOTH] = { "alg-pqc-both", MBA_NONE, MBF_DEC, NULL, 0,
		"(1.4) ALGORITHMS selects a PqcAsymAlgo bit (one the\n"
		"requester offered, else ML-DSA-44) besides BaseAsymSel,\n"
		"where exactly one of them may be non-zero; no effect\n"
		"below 1.4" },
	[MB_ALG_PQC_NOT_OFFERED] = { "alg-pqc-not-offered", MBA_NONE, MBF_DEC,
		NULL, 0,
		"(1.4) ALGORITHMS selects, with BaseAsymSel 0, a\n"
		"PqcAsymAlgo bit the requester did not offer (the\n"
		"lowest ML-DSA one, else the lowest other); below 1.4\n"
		"the same bit goes to the Reserved bytes 20-23 and\n"
		"BaseAsymSel stays right: a requester must ignore it\n"
		"there (not refuse)" },
	[MB_DIGEST_MISMATCH] = { "digest-mismatch", MBA_NONE, MBF_DEC, NULL, 0,
		"DIGESTS carries digests that do not match the chains\n"
		"(CHALLENGE_AUTH's CertChainHash stays right)" },
	[MB_CERT_MISMATCH] = { "cert-mismatch", MBA_NONE, MBF_DEC, NULL, 0,
		"CERTIFICATE serves the chain with a leaf byte flipped\n"
		"(its last: the leaf's signature); digests are of the\n"
		"real chain" },
	[MB_WRONG_CHAIN_HASH] = { "wrong-chain-hash", MBA_NONE, MBF_DEC, NULL,
		0, "CHALLENGE_AUTH's CertChainHash is wrong (and signed\n"
		"as sent)" },
	[MB_WRONG_NONCE] = { "wrong-nonce", MBA_OPTIONAL, MBF_WORD,
		"both|nonce|context", 0,
		"nonce: sign a transcript with another requester\n"
		"nonce; context: (1.3) echo another RequesterContext,\n"
		"signed as sent; both (default): both", nonce_words },
	[MB_WRONG_TRANSCRIPT] = { "wrong-transcript", MBA_OPTIONAL, MBF_WORD,
		"no-vca|no-b|prefix", 0,
		"sign a transcript without the VCA (default) or\n"
		"without GET_DIGESTS..CERTIFICATE, or (prefix) in the\n"
		"other version's format (1.2+ without the combined\n"
		"prefix, 1.0/1.1 with it)", transcript_words },
	[MB_BAD_SIGNATURE] = { "bad-signature", MBA_NONE, MBF_DEC, NULL, 0,
		"flip a byte of the CHALLENGE_AUTH signature" },
	[MB_DELAY] = { "delay", MBA_REQUIRED, MBF_DEC, "MS", MB_DELAY_MAX_MS,
		"send each response MS milliseconds late (QEMU waits\n"
		"in the guest's config write: no DOE timeout results)" },
	[MB_SLOW] = { "slow", MBA_OPTIONAL, MBF_DEC, "N", MB_SLOW_MAX,
		"send each response N x CT + 1 ms late (default N 2;\n"
		"CT = 2^CTExponent us, see --ct-exponent)" },
	[MB_DROP] = { "drop", MBA_NONE, MBF_DEC, NULL, 0,
		"close the connection instead of answering (QEMU\n"
		"does not reconnect: its device stays mute)" },
	[MB_MEAS_BAD_SIG] = { "meas-bad-sig", MBA_NONE, MBF_DEC, NULL, 0,
		"flip a byte of the MEASUREMENTS signature" },
	[MB_MEAS_INDEX_MISMATCH] = { "meas-index-mismatch", MBA_NONE, MBF_DEC,
		NULL, 0,
		"MEASUREMENTS for one index carries the block with\n"
		"the next Index (254: 1) instead" },
	[MB_MEAS_DUP_INDEX] = { "meas-dup-index", MBA_NONE, MBF_DEC, NULL, 0,
		"MEASUREMENTS of all blocks: the second block has the\n"
		"first one's Index (one block: sent twice)" },
	[MB_MEAS_LEN_LIE] = { "meas-len-lie", MBA_NONE, MBF_DEC, NULL, 0,
		"the first block's MeasurementSize is one more than\n"
		"its measurement: the blocks overrun the record" },
	[MB_MEAS_EXTRA_BLOCK] = { "meas-extra-block", MBA_NONE, MBF_DEC,
		NULL, 0,
		"the MeasurementRecord holds one block (with an unused\n"
		"Index) more than NumberOfBlocks says" },
	[MB_MEAS_RECORD_LEN_LIE] = { "meas-record-len-lie", MBA_NONE, MBF_DEC,
		NULL, 0,
		"MeasurementRecordLength is one more than the record" },
	[MB_MEAS_BAD_SPEC] = { "meas-bad-spec", MBA_NONE, MBF_DEC, NULL, 0,
		"blocks carry MeasurementSpecification 0x02, not the\n"
		"negotiated DMTF (0x01)" },
	[MB_MEAS_SUMMARY_MISMATCH] = { "meas-summary-mismatch", MBA_NONE,
		MBF_DEC, NULL, 0,
		"CHALLENGE_AUTH's MeasurementSummaryHash does not match\n"
		"the blocks (signed as sent)" },
	[MB_MEAS_WRONG_NONCE] = { "meas-wrong-nonce", MBA_OPTIONAL, MBF_WORD,
		"both|nonce|context", 0,
		"MEASUREMENTS: nonce: sign an L1/L2 with another\n"
		"requester nonce; context: (1.3) echo another\n"
		"RequesterContext, signed as sent; both (default)",
		nonce_words },
	[MB_MEAS_WRONG_TRANSCRIPT] = { "meas-wrong-transcript", MBA_OPTIONAL,
		MBF_WORD, "no-vca|prefix|last-only", 0,
		"signed MEASUREMENTS: sign L2 without the VCA (default;\n"
		"1.0/1.1: L1 with it), in the other version's format\n"
		"(prefix), or without the earlier unsigned exchanges\n"
		"(last-only)", meas_transcript_words },
	[MB_KE_BAD_SIG] = { "ke-bad-sig", MBA_NONE, MBF_DEC, NULL, 0,
		"flip a byte of the KEY_EXCHANGE_RSP signature over TH1\n"
		"(ResponderVerifyData is computed over it as sent)" },
	[MB_KE_BAD_VERIFY] = { "ke-bad-verify", MBA_NONE, MBF_DEC, NULL, 0,
		"flip a byte of ResponderVerifyData (KEY_EXCHANGE_RSP,\n"
		"or FINISH_RSP when the handshake is in the clear)" },
	[MB_KE_MUT_AUTH] = { "ke-mut-auth", MBA_OPTIONAL, MBF_HEX, "BITS",
		0xff,
		"KEY_EXCHANGE_RSP sets MutAuthRequested to BITS (default\n"
		"0x01) although the requester did not offer MUT_AUTH_CAP\n"
		"(signed as sent); such a requester must refuse the\n"
		"session" },
	[MB_FINISH_NO_OPAQUE] = { "finish-no-opaque", MBA_NONE, MBF_DEC, NULL,
		0,
		"(1.4) FINISH_RSP without its OpaqueDataLength: the 1.3\n"
		"layout (ResponderVerifyData right after the header\n"
		"when the handshake is in the clear, computed over\n"
		"what is sent); no effect below 1.4" },
	[MB_SM_BAD_MAC] = { "sm-bad-mac", MBA_NONE, MBF_DEC, NULL, 0,
		"flip a byte of the MAC of each secured response" },
	[MB_SM_REPLAY] = { "sm-replay", MBA_NONE, MBF_DEC, NULL, 0,
		"send the session's previous secured record again\n"
		"instead of the response (an old sequence number)" },
	[MB_SM_WRONG_SESSION] = { "sm-wrong-session", MBA_NONE, MBF_DEC,
		NULL, 0,
		"secured responses carry (and authenticate) a SessionID\n"
		"with a ReqSessionID bit flipped" },
	[MB_SM_UNANNOUNCED_KEY_UPDATE] = { "sm-unannounced-key-update",
		MBA_OPTIONAL, MBF_DEC, "N", MB_BYTES_MAX,
		"before the Nth response after FINISH (default 1)\n"
		"update the response keys without KEY_UPDATE" },
	[MB_SM_CLEAR] = { "sm-clear", MBA_NONE, MBF_DEC, NULL, 0,
		"answer requests that came secured in the clear\n"
		"(a type 1 DOE object)" },
	[MB_CHUNK_BAD_HANDLE] = { "chunk-bad-handle", MBA_NONE, MBF_DEC, NULL,
		0, "CHUNK_RESPONSEs carry the Handle plus one (chunk-*:\n"
		"@CODE is the request whose response is chunked)" },
	[MB_CHUNK_BAD_SEQ] = { "chunk-bad-seq", MBA_NONE, MBF_DEC, NULL, 0,
		"CHUNK_RESPONSEs carry the ChunkSeqNo asked for plus one" },
	[MB_CHUNK_SIZE_LIE] = { "chunk-size-lie", MBA_NONE, MBF_DEC, NULL, 0,
		"the first CHUNK_RESPONSE's LargeMessageSize is one\n"
		"more than the large response" },
	[MB_CHUNK_NO_LAST] = { "chunk-no-last", MBA_NONE, MBF_DEC, NULL, 0,
		"the last CHUNK_RESPONSE lacks LastChunk (the next\n"
		"CHUNK_GET gets ERROR InvalidRequest)" },
	[MB_CHUNK_OVERFLOW] = { "chunk-overflow", MBA_NONE, MBF_DEC, NULL, 0,
		"CHUNK_RESPONSEs' ChunkSize is one more than the bytes\n"
		"that follow" },
	[MB_CHUNK_SEQ_HIGH] = { "chunk-seq-high", MBA_NONE, MBF_DEC, NULL, 0,
		"CHUNK_RESPONSEs carry 0x0001 in bytes 6-7: at 1.4 the\n"
		"upper half of the u32 ChunkSeqNo (asked for plus\n"
		"0x10000); below 1.4 Reserved, which a requester must\n"
		"ignore (not refuse)" },
};

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || *end || *v > max)
		return -EINVAL;
	return 0;
}

static int parse_value(const struct mb_desc *d, const char *s,
		       unsigned long *v)
{
	uint16_t vne;

	if (d->fmt == MBF_WORD) {
		for (*v = 0; d->words[*v]; (*v)++)
			if (!strcmp(d->words[*v], s))
				return 0;
		return -EINVAL;
	}
	if (d->fmt != MBF_VER)
		return parse_ulong(s, d->max, v);
	if (spdm_version_parse(s, &vne))
		return -EINVAL;
	*v = vne;
	return 0;
}

static int lookup(const char *name)
{
	int i;

	for (i = 0; i < MB_NR; i++)
		if (!strcmp(name, mb_table[i].name))
			return i;
	return -1;
}

static int parse_item(char *item, struct misbehave_set *set,
		      char *err, size_t errlen)
{
	struct misbehave_switch sw = { .on = true, .only_code = MB_ALL_CODES };
	char *at = strchr(item, '@');
	char *eq = strchr(item, '=');
	unsigned long code;
	const struct mb_desc *d;
	int id;

	if (at) {
		*at++ = '\0';
		if (parse_ulong(at, 0xff, &code)) {
			snprintf(err, errlen, "bad request code '@%s'", at);
			return -EINVAL;
		}
		sw.only_code = code;
	}
	if (eq)
		*eq++ = '\0';
	id = lookup(item);
	if (id < 0) {
		snprintf(err, errlen, "unknown misbehaviour '%s'", item);
		return -EINVAL;
	}
	d = &mb_table[id];
	if (eq && d->arg == MBA_NONE) {
		snprintf(err, errlen, "'%s' takes no value", d->name);
		return -EINVAL;
	}
	if (!eq && d->arg == MBA_REQUIRED) {
		snprintf(err, errlen, "'%s' needs =%s", d->name, d->arg_name);
		return -EINVAL;
	}
	if (eq) {
		if (parse_value(d, eq, &sw.value)) {
			snprintf(err, errlen, "bad value '%s' for '%s'",
				 eq, d->name);
			return -EINVAL;
		}
		sw.has_value = true;
	}
	set->sw[id] = sw;
	return 0;
}

void misbehave_clear(struct misbehave_set *set)
{
	memset(set, 0, sizeof(*set));
}

/*
 * Parse "NAME[=VALUE][@CODE][+NAME...]" ("," works as separator too;
 * "none" or "" is the empty set) into @set, replacing its contents.
 */
int misbehave_parse(const char *list, struct misbehave_set *set,
		    char *err, size_t errlen)
{
	char *copy, *item, *save = NULL;
	int ret = 0;

	misbehave_clear(set);
	if (!*list || !strcmp(list, "none"))
		return 0;
	copy = strdup(list);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (strchr("+,", copy[0]) || strchr("+,", copy[strlen(copy) - 1]) ||
	    strstr(copy, "++") || strstr(copy, ",,")) {
		snprintf(err, errlen, "empty item in '%s'", list);
		ret = -EINVAL;
	}
	for (item = strtok_r(copy, "+,", &save); item && !ret;
	     item = strtok_r(NULL, "+,", &save))
		ret = parse_item(item, set, err, errlen);
	free(copy);
	if (ret)
		misbehave_clear(set);
	return ret;
}

static int format_one(const struct mb_desc *d,
		      const struct misbehave_switch *sw, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", d->name);

	if (sw->has_value && d->fmt == MBF_WORD)
		n += snprintf(buf + n, len - n, "=%s", d->words[sw->value]);
	else if (sw->has_value && d->fmt == MBF_VER)
		n += snprintf(buf + n, len - n, "=%lu.%lu",
			      sw->value >> 12, (sw->value >> 8) & 0xf);
	else if (sw->has_value && d->fmt == MBF_HEX)
		n += snprintf(buf + n, len - n, "=0x%02lx", sw->value);
	else if (sw->has_value)
		n += snprintf(buf + n, len - n, "=%lu", sw->value);
	if (sw->only_code != MB_ALL_CODES)
		n += snprintf(buf + n, len - n, "@0x%02x", sw->only_code);
	return n;
}

/* Human-readable form of @set, e.g. "truncate=7@0x84+delay=100". */
void misbehave_format(const struct misbehave_set *set, char *buf, size_t len)
{
	char one[64];
	size_t used = 0;
	int i;

	snprintf(buf, len, "none");
	for (i = 0; i < MB_NR; i++) {
		if (!set->sw[i].on)
			continue;
		format_one(&mb_table[i], &set->sw[i], one, sizeof(one));
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "+" : "", one);
	}
}

void misbehave_help(FILE *f)
{
	const struct mb_desc *d;
	const char *p;
	char head[64];
	int i;

	for (i = 0; i < MB_NR; i++) {
		d = &mb_table[i];
		snprintf(head, sizeof(head), "%s%s%s%s", d->name,
			 d->arg == MBA_OPTIONAL ? "[=" :
			 d->arg == MBA_REQUIRED ? "=" : "",
			 d->arg_name ? d->arg_name : "",
			 d->arg == MBA_OPTIONAL ? "]" : "");
		if (strlen(head) > 20)
			fprintf(f, "  %s\n  %-21s", head, "");
		else
			fprintf(f, "  %-21s", head);
		for (p = d->help; *p; p++) {
			fputc(*p, f);
			if (*p == '\n')
				fprintf(f, "  %-21s", "");
		}
		fputc('\n', f);
	}
}

static int forced_error(struct spdm_device *dev, const struct spdm_request *req,
			struct msg *rsp, uint8_t code)
{
	struct spdm_not_ready *nr = &dev->not_ready;
	uint8_t ext[4];
	int ret;

	log_msg("port %u: misbehave error: answering %s with ERROR 0x%02x",
		dev->port, spdm_request_name(req->code), code);
	if (code != SPDM_ERR_RESPONSE_NOT_READY)
		return spdm_error(rsp, req->version, code, 0, NULL, 0);
	/* keep the request for RESPOND_IF_READY */
	msg_reset(&nr->req);
	ret = msg_put(&nr->req, req->buf, req->len);
	if (ret)
		return ret;
	nr->pending = true;
	nr->code = req->code;
	nr->token = dev->next_token++;
	/* RDTExponent, RequestCode, Token, RDTM */
	ext[0] = MB_RDT_EXPONENT;
	ext[1] = req->code;
	ext[2] = nr->token;
	ext[3] = 1;
	return spdm_error(rsp, req->version, code, 0, ext, sizeof(ext));
}

/* stall: ResponseNotReady, to the request and to each RESPOND_IF_READY */
static int stall(struct spdm_device *dev, const struct spdm_request *req,
		 struct msg *rsp, unsigned int exponent)
{
	struct spdm_not_ready *nr = &dev->not_ready;
	uint8_t ext[4];

	if (req->code != SPDM_RESPOND_IF_READY) {
		nr->code = req->code;
		nr->token = dev->next_token++;
	}
	log_msg("port %u: misbehave stall: %s of %s gets ResponseNotReady (RDTExponent %u)",
		dev->port, spdm_request_name(req->code),
		spdm_request_name(nr->code), exponent);
	/* RDTExponent, RequestCode, Token, RDTM */
	ext[0] = exponent;
	ext[1] = nr->code;
	ext[2] = nr->token;
	ext[3] = 1;
	return spdm_error(rsp, req->version, SPDM_ERR_RESPONSE_NOT_READY, 0,
			  ext, sizeof(ext)) ?: 1;
}

/* busy-once: ERROR(Busy) unless this is the retry of the last Busy. */
static int busy_once(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp)
{
	if (dev->busy_code == req->code) {
		dev->busy_code = -1;
		return 0;
	}
	dev->busy_code = req->code;
	log_msg("port %u: misbehave busy-once: answering %s with ERROR Busy",
		dev->port, spdm_request_name(req->code));
	return spdm_error(rsp, req->version, SPDM_ERR_BUSY, 0, NULL, 0) ?: 1;
}

static int request_resynch(struct spdm_device *dev,
			   const struct spdm_request *req, struct msg *rsp,
			   unsigned long times)
{
	if (dev->resynch_sent >= times)
		return 0;
	dev->resynch_sent++;
	log_msg("port %u: misbehave request-resynch: answering %s with ERROR RequestResynch (%lu of %lu), connection reset",
		dev->port, spdm_request_name(req->code), dev->resynch_sent,
		times);
	spdm_conn_reset(dev);
	return spdm_error(rsp, req->version, SPDM_ERR_REQUEST_RESYNCH, 0,
			  NULL, 0) ?: 1;
}

/*
 * Before dispatch: returns 1 if a switch took over the request (@act says
 * drop, or @rsp holds the forced ERROR), 0 to dispatch normally, or a
 * negative errno.  RESPOND_IF_READY is never answered Busy or
 * ResponseNotReady itself.
 */
int misbehave_before(struct spdm_device *dev, const struct spdm_request *req,
		     struct msg *rsp, struct spdm_action *act)
{
	const struct misbehave_set *set = &dev->misbehave;
	bool rif = req->code == SPDM_RESPOND_IF_READY;
	const struct misbehave_switch *sw;
	int ret;

	if (misbehave_get(set, MB_DROP, req->code)) {
		log_msg("port %u: misbehave drop: closing instead of answering %s",
			dev->port, spdm_request_name(req->code));
		act->drop = true;
		return 1;
	}
	sw = misbehave_get(set, MB_REQUEST_RESYNCH, req->code);
	if (sw) {
		ret = request_resynch(dev, req, rsp,
				      sw->has_value ? sw->value : 1);
		if (ret)
			return ret;
	}
	sw = misbehave_get(set, MB_STALL, req->code);
	if (sw)
		return stall(dev, req, rsp, sw->has_value ? sw->value : 20);
	if (!rif && misbehave_get(set, MB_BUSY_ONCE, req->code)) {
		ret = busy_once(dev, req, rsp);
		if (ret)
			return ret;
	}
	sw = misbehave_get(set, MB_ERROR, req->code);
	if (!sw || (rif && sw->value == SPDM_ERR_RESPONSE_NOT_READY))
		return 0;
	ret = forced_error(dev, req, rsp, sw->value);
	return ret ? ret : 1;
}

/* CT = 2^CTExponent us; @times CT in ms, rounded up, plus one. */
static unsigned long ct_ms(const struct spdm_device *dev, unsigned long times)
{
	unsigned long long us = (1ULL << dev->ct_exponent) * times;

	return us / 1000 + 1;
}

/* After the response is built: mangle it and/or delay it. */
int misbehave_after(struct spdm_device *dev, const struct spdm_request *req,
		    struct msg *rsp, struct spdm_action *act)
{
	const struct misbehave_set *set = &dev->misbehave;
	const struct misbehave_switch *sw;
	size_t n;

	sw = misbehave_get(set, MB_TRUNCATE, req->code);
	if (sw) {
		n = sw->has_value ? sw->value : rsp->len / 2;
		if (n < rsp->len) {
			log_msg("port %u: misbehave truncate: %s response cut from %zu to %zu bytes",
				dev->port, spdm_request_name(req->code),
				rsp->len, n);
			rsp->len = n;
		}
	}
	sw = misbehave_get(set, MB_OVERLONG, req->code);
	if (sw) {
		n = sw->has_value ? sw->value : MB_OVERLONG_DEFAULT;
		log_msg("port %u: misbehave overlong: %zu garbage bytes after response to %s",
			dev->port, n, spdm_request_name(req->code));
		if (msg_put_fill(rsp, MB_GARBAGE, n))
			return -ENOMEM;
	}
	sw = misbehave_get(set, MB_DELAY, req->code);
	if (sw) {
		log_msg("port %u: misbehave delay: answering %s after %lu ms",
			dev->port, spdm_request_name(req->code), sw->value);
		act->delay_ms = sw->value;
	}
	sw = misbehave_get(set, MB_SLOW, req->code);
	if (sw) {
		act->delay_ms += ct_ms(dev, sw->has_value ? sw->value : 2);
		log_msg("port %u: misbehave slow: answering %s after %u ms (CT %llu us)",
			dev->port, spdm_request_name(req->code), act->delay_ms,
			1ULL << dev->ct_exponent);
	}
	return 0;
}
