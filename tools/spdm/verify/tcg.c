// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify, platform evidence: parse the TCG crypto-agile event log
 * (TCG PC Client PFP: the "Spec ID Event03" header, TCG_PCR_EVENT2
 * events), replay it, decode the SPDM events (PFP
 * DEVICE_SECURITY_EVENT_DATA2 and the kernel's runtime part, as
 * Documentation/ABI/testing/securityfs-spdm-event-log describes them),
 * and check TPM2_Quote results (TPM 2.0 Part 2: TPMS_ATTEST,
 * TPMT_SIGNATURE; big-endian, unlike the log).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include "tcg.h"

#define SPEC_ID_SIG	"Spec ID Event03"	/* 16 bytes with its NUL */
#define SPDM_SIG2	"SPDM Device Sec2"	/* 16 bytes, no NUL */
#define RUNTIME_SIG	"Linux SPDM Event"
#define HEADER2_SZ	52	/* with DevicePathLength */
#define SUB_HEADER_SZ	8
#define PCI_CONTEXT_SZ	16
#define RUNTIME_SZ	124

#define TPM_GENERATED_VALUE	0xff544347
#define TPM_ST_ATTEST_QUOTE	0x8018
#define TPM_ALG_RSASSA		0x0014
#define TPM_ALG_ECDSA		0x0018

const EVP_MD *sv_tpm_alg_md(uint16_t alg)
{
	switch (alg) {
	case SV_TPM_ALG_SHA1:	return EVP_sha1();
	case SV_TPM_ALG_SHA256:	return EVP_sha256();
	case SV_TPM_ALG_SHA384:	return EVP_sha384();
	case SV_TPM_ALG_SHA512:	return EVP_sha512();
	default:		return NULL;
	}
}

const char *sv_tpm_alg_name(uint16_t alg)
{
	switch (alg) {
	case SV_TPM_ALG_SHA1:	return "sha1";
	case SV_TPM_ALG_SHA256:	return "sha256";
	case SV_TPM_ALG_SHA384:	return "sha384";
	case SV_TPM_ALG_SHA512:	return "sha512";
	default:		return "unknown";
	}
}

static uint16_t be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)sv_le32(p + 4) << 32 | sv_le32(p);
}

/* A cursor over bytes that may be short */
struct cur {
	const uint8_t *p;
	size_t left;
};

static const uint8_t *take(struct cur *c, size_t n)
{
	const uint8_t *p = c->p;

	if (n > c->left)
		return NULL;
	c->p += n;
	c->left -= n;
	return p;
}

/* The Spec ID event: PCR 0, EV_NO_ACTION, zero SHA-1 digest, the banks */
static int parse_spec_id(struct cur *c, struct sv_tcg_log *log, char *err,
			 size_t errlen)
{
	static const uint8_t zero[20];
	const uint8_t *h, *s, *a;
	uint32_t size, n, i;

	h = take(c, 32);
	if (!h)
		return sv_errf(err, errlen, "log: shorter than its header event");
	size = sv_le32(h + 28);
	if (sv_le32(h) || sv_le32(h + 4) != SV_EV_NO_ACTION ||
	    memcmp(h + 8, zero, sizeof(zero)))
		return sv_errf(err, errlen, "log: the first event is no Spec ID event (PCR 0, EV_NO_ACTION)");
	s = take(c, size);
	if (!s || size < 29 || memcmp(s, SPEC_ID_SIG, 16))
		return sv_errf(err, errlen, "log: no \"Spec ID Event03\" in the header event");
	if (s[21] != 2)
		return sv_errf(err, errlen, "log: Spec ID version %u.%u, expected 2.0 (crypto agile)",
			       s[21], s[20]);
	n = sv_le32(s + 24);
	if (!n || n > SV_TCG_MAX_BANKS || 28 + 4 * (size_t)n + 1 > size)
		return sv_errf(err, errlen, "log: Spec ID event lists %u banks in %u bytes",
			       n, size);
	for (i = 0; i < n; i++) {
		a = s + 28 + 4 * i;
		log->banks[i].alg = sv_le16(a);
		log->banks[i].size = sv_le16(a + 2);
		log->banks[i].md = sv_tpm_alg_md(log->banks[i].alg);
		if (!log->banks[i].size ||
		    log->banks[i].size > SV_TCG_MAX_DIGEST ||
		    (log->banks[i].md &&
		     (int)log->banks[i].size !=
		     EVP_MD_get_size(log->banks[i].md)))
			return sv_errf(err, errlen, "log: bank %#06x has digest size %u",
				       log->banks[i].alg, log->banks[i].size);
	}
	if (28 + 4 * (size_t)n + 1 + s[28 + 4 * n] != size)
		return sv_errf(err, errlen, "log: Spec ID event size %u does not match its fields",
			       size);
	log->nr_banks = n;
	return 0;
}

/* One TCG_PCR_EVENT2: a digest per bank, in the banks' order */
static int parse_event(struct cur *c, const uint8_t *start,
		       struct sv_tcg_log *log, struct sv_tcg_event *e,
		       char *err, size_t errlen)
{
	const uint8_t *h, *d;
	unsigned int i;

	e->offset = c->p - start;
	h = take(c, 12);
	if (!h)
		return sv_errf(err, errlen, "log: event %zu at %zu: truncated header",
			       log->nr_events, e->offset);
	e->pcr = sv_le32(h);
	e->type = sv_le32(h + 4);
	if (sv_le32(h + 8) != log->nr_banks)
		return sv_errf(err, errlen, "log: event %zu has %u digests, the log %u banks",
			       log->nr_events, sv_le32(h + 8), log->nr_banks);
	for (i = 0; i < log->nr_banks; i++) {
		d = take(c, 2);
		if (!d || sv_le16(d) != log->banks[i].alg)
			return sv_errf(err, errlen, "log: event %zu: digest %u is not of bank %#06x",
				       log->nr_events, i, log->banks[i].alg);
		e->digest[i] = take(c, log->banks[i].size);
		if (!e->digest[i])
			return sv_errf(err, errlen, "log: event %zu: truncated digest",
				       log->nr_events);
	}
	d = take(c, 4);
	if (!d)
		return sv_errf(err, errlen, "log: event %zu: truncated", log->nr_events);
	e->len = sv_le32(d);
	e->data = take(c, e->len);
	if (!e->data)
		return sv_errf(err, errlen, "log: event %zu: %u bytes of data, %zu left",
			       log->nr_events, e->len, c->left);
	return 0;
}

/**
 * sv_tcg_parse() - parse a TCG crypto-agile event log
 * @buf: the log; must outlive @log
 * @len: its size
 * @log: the banks and the events
 * @err: why it is no such log
 * @errlen: size of @err
 *
 * Return: 0, or -1 with @err set.
 */
int sv_tcg_parse(const uint8_t *buf, size_t len, struct sv_tcg_log *log,
		 char *err, size_t errlen)
{
	struct cur c = { buf, len };
	struct sv_tcg_event *ev;
	size_t cap = 0;

	memset(log, 0, sizeof(*log));
	if (parse_spec_id(&c, log, err, errlen))
		return -1;
	while (c.left) {
		if (log->nr_events == cap) {
			cap = cap ? 2 * cap : 64;
			ev = realloc(log->events, cap * sizeof(*ev));
			if (!ev) {
				sv_tcg_free(log);
				return sv_errf(err, errlen, "out of memory");
			}
			log->events = ev;
		}
		ev = &log->events[log->nr_events];
		memset(ev, 0, sizeof(*ev));
		if (parse_event(&c, buf, log, ev, err, errlen)) {
			sv_tcg_free(log);
			return -1;
		}
		log->nr_events++;
	}
	return 0;
}

void sv_tcg_free(struct sv_tcg_log *log)
{
	free(log->events);
	log->events = NULL;
	log->nr_events = 0;
}

/**
 * sv_tcg_check_digests() - every digest of every event is its data's
 * @log: parsed log
 * @err: the first event whose digest is not
 * @errlen: size of @err
 *
 * The replay uses the digests; this ties them to the data the verifier
 * reads.  Banks whose hash is unknown are not checked.
 *
 * Return: 0, or -1 with @err set.
 */
int sv_tcg_check_digests(const struct sv_tcg_log *log, char *err,
			 size_t errlen)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int i, mdlen;
	size_t n;

	for (n = 0; n < log->nr_events; n++) {
		const struct sv_tcg_event *e = &log->events[n];

		if (e->type == SV_EV_NO_ACTION)
			continue;
		for (i = 0; i < log->nr_banks; i++) {
			if (!log->banks[i].md)
				continue;
			if (!EVP_Digest(e->data, e->len, md, &mdlen,
					log->banks[i].md, NULL))
				return sv_errf(err, errlen, "%s failed",
					       sv_tpm_alg_name(log->banks[i].alg));
			if (memcmp(md, e->digest[i], mdlen))
				return sv_errf(err, errlen, "event %zu (at %zu): its %s digest is not the digest of its data",
					       n, e->offset,
					       sv_tpm_alg_name(log->banks[i].alg));
		}
	}
	return 0;
}

/**
 * sv_tcg_replay() - the value a PCR has after the events of the log
 * @log: parsed log
 * @pcr: PCR index
 * @bank: index into @log->banks, a bank whose hash is known
 * @value: the PCR value (the bank's digest size), from all zero
 *
 * EV_NO_ACTION events are not extended.
 *
 * Return: the number of events extended into @pcr, or -1.
 */
int sv_tcg_replay(const struct sv_tcg_log *log, uint32_t pcr,
		  unsigned int bank, uint8_t *value)
{
	const struct sv_tcg_bank *b = &log->banks[bank];
	uint8_t buf[2 * SV_TCG_MAX_DIGEST];
	unsigned int mdlen;
	int extended = 0;
	size_t n;

	if (bank >= log->nr_banks || !b->md)
		return -1;
	memset(value, 0, b->size);
	for (n = 0; n < log->nr_events; n++) {
		const struct sv_tcg_event *e = &log->events[n];

		if (e->pcr != pcr || e->type == SV_EV_NO_ACTION)
			continue;
		memcpy(buf, value, b->size);
		memcpy(buf + b->size, e->digest[bank], b->size);
		if (!EVP_Digest(buf, 2 * b->size, value, &mdlen, b->md, NULL))
			return -1;
		extended++;
	}
	return extended;
}

static void decode_pci(const uint8_t *p, struct sv_spdm_event *s)
{
	s->pci = true;
	s->vendor = sv_le16(p + 4);
	s->device_id = sv_le16(p + 6);
	s->revision = p[8];
	memcpy(s->class_code, p + 9, 3);
	s->ss_vendor = sv_le16(p + 12);
	s->ss_id = sv_le16(p + 14);
}

static void decode_runtime(const uint8_t *p, struct sv_spdm_event *s)
{
	s->kind = p[18];
	s->flags = p[19];
	s->result = (int32_t)sv_le32(p + 20);
	s->session_id = sv_le32(p + 24);
	memcpy(s->nonce, p + 28, 32);
	memcpy(s->transcript_sha256, p + 60, 32);
	memcpy(s->dev_name, p + 92, 32);
	s->dev_name[32] = 0;
}

/**
 * sv_tcg_spdm_decode() - decode an SPDM event of the kernel's log
 * @e: the event
 * @s: its fields
 * @err: why it is not one
 * @errlen: size of @err
 *
 * Return: 0, or -1 with @err set.
 */
int sv_tcg_spdm_decode(const struct sv_tcg_event *e,
		       struct sv_spdm_event *s, char *err, size_t errlen)
{
	const uint8_t *d = e->data;
	size_t need;

	memset(s, 0, sizeof(*s));
	if (e->type != SV_EV_EFI_SPDM_FIRMWARE_BLOB)
		return sv_errf(err, errlen, "event type %#x, not EV_EFI_SPDM_FIRMWARE_BLOB",
			       e->type);
	if (e->len < HEADER2_SZ || memcmp(d, SPDM_SIG2, 16) ||
	    sv_le16(d + 16) != 2)
		return sv_errf(err, errlen, "no \"SPDM Device Sec2\" version 2 header");
	s->auth_state = d[18];
	s->device_type = sv_le32(d + 24);
	s->sub_type = sv_le32(d + 28);
	s->uid = le64(d + 36);
	if (le64(d + 44))
		return sv_errf(err, errlen, "a device path, which the kernel never writes");
	need = (size_t)HEADER2_SZ + sv_le32(d + 32);
	if (sv_le32(d + 32) < SUB_HEADER_SZ || sv_le32(d + 32) > e->len ||
	    sv_le32(d + 20) != e->len)
		return sv_errf(err, errlen, "sub-header length %u or length %u does not fit the %u-byte event",
			       sv_le32(d + 32), sv_le32(d + 20), e->len);
	if (s->device_type > 1)
		return sv_errf(err, errlen, "device type %u", s->device_type);
	need += (s->device_type ? PCI_CONTEXT_SZ : 0) + RUNTIME_SZ;
	if (need != e->len)
		return sv_errf(err, errlen, "%zu bytes of fields in %u bytes of event",
			       need, e->len);

	d += HEADER2_SZ;
	s->spdm_version = sv_le16(d);
	s->count = d[2];
	s->hash_algo = sv_le32(d + 4);
	s->payload = d + SUB_HEADER_SZ;
	s->payload_len = sv_le32(e->data + 32) - SUB_HEADER_SZ;
	d += SUB_HEADER_SZ + s->payload_len;
	if (s->device_type == 1) {
		if (sv_le16(d + 2) != PCI_CONTEXT_SZ)
			return sv_errf(err, errlen, "PCI context of %u bytes",
				       sv_le16(d + 2));
		decode_pci(d, s);
		d += PCI_CONTEXT_SZ;
	}
	if (memcmp(d, RUNTIME_SIG, 16) || sv_le16(d + 16) != 1)
		return sv_errf(err, errlen, "no \"Linux SPDM Event\" version 1 part");
	decode_runtime(d, s);
	if (s->kind < SV_SPDM_KIND_AUTHENTICATION ||
	    s->kind > SV_SPDM_KIND_SESSION ||
	    (s->kind == SV_SPDM_KIND_MEASUREMENTS) != (s->sub_type == 0))
		return sv_errf(err, errlen, "kind %u with sub-header type %u",
			       s->kind, s->sub_type);
	return 0;
}

/* TPM2B: u16 size, then the bytes */
static const uint8_t *take_2b(struct cur *c, uint16_t *size)
{
	const uint8_t *p = take(c, 2);

	if (!p)
		return NULL;
	*size = be16(p);
	return take(c, *size);
}

/**
 * sv_quote_parse() - parse the TPMS_ATTEST of a TPM2_Quote
 * @attest: the bytes the TPM signed
 * @len: their size
 * @q: the fields a verifier checks
 * @err: why it is no quote
 * @errlen: size of @err
 *
 * Return: 0, or -1 with @err set.
 */
int sv_quote_parse(const uint8_t *attest, size_t len, struct sv_quote *q,
		   char *err, size_t errlen)
{
	struct cur c = { attest, len };
	const uint8_t *p, *x;
	uint16_t n;
	uint32_t i;

	memset(q, 0, sizeof(*q));
	p = take(&c, 6);
	if (!p || be32(p) != TPM_GENERATED_VALUE)
		return sv_errf(err, errlen, "quote: not made by a TPM (magic)");
	if (be16(p + 4) != TPM_ST_ATTEST_QUOTE)
		return sv_errf(err, errlen, "quote: attestation type %#06x, not a quote",
			       be16(p + 4));
	if (!take_2b(&c, &n))			/* qualifiedSigner */
		return sv_errf(err, errlen, "quote: truncated");
	x = take_2b(&c, &q->extra_len);		/* extraData */
	if (!x || q->extra_len > sizeof(q->extra))
		return sv_errf(err, errlen, "quote: extraData truncated or too long");
	memcpy(q->extra, x, q->extra_len);
	p = take(&c, 17 + 8);			/* clockInfo, firmwareVersion */
	if (!p)
		return sv_errf(err, errlen, "quote: truncated");
	q->clock = be64(p);
	q->reset_count = be32(p + 8);
	q->restart_count = be32(p + 12);
	p = take(&c, 4);
	if (!p || !be32(p) || be32(p) > SV_TCG_MAX_BANKS)
		return sv_errf(err, errlen, "quote: no or too many PCR selections");
	q->nr_select = be32(p);
	for (i = 0; i < q->nr_select; i++) {
		p = take(&c, 3);
		if (!p || p[2] > sizeof(q->sel[i].select) ||
		    !(x = take(&c, p[2])))
			return sv_errf(err, errlen, "quote: PCR selection %u truncated or too long",
				       i);
		q->sel[i].alg = be16(p);
		q->sel[i].size = p[2];
		memcpy(q->sel[i].select, x, p[2]);
	}
	x = take_2b(&c, &q->pcr_digest_len);
	if (!x || q->pcr_digest_len > sizeof(q->pcr_digest))
		return sv_errf(err, errlen, "quote: pcrDigest truncated or too long");
	memcpy(q->pcr_digest, x, q->pcr_digest_len);
	if (c.left)
		return sv_errf(err, errlen, "quote: %zu bytes after its fields",
			       c.left);
	return 0;
}

/* TPMS_SIGNATURE_ECDSA's r and s as the DER ECDSA-Sig-Value OpenSSL takes */
static int ecdsa_der(const uint8_t *r, uint16_t rlen, const uint8_t *s,
		     uint16_t slen, unsigned char **der)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br = BN_bin2bn(r, rlen, NULL), *bs = BN_bin2bn(s, slen, NULL);
	int len = -1;

	if (sig && br && bs && ECDSA_SIG_set0(sig, br, bs)) {
		br = bs = NULL;
		*der = NULL;
		len = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(sig);
	return len;
}

/**
 * sv_quote_verify() - verify the TPMT_SIGNATURE of a quote with the AK
 * @attest: the TPMS_ATTEST signed
 * @len: its size
 * @sig: the TPMT_SIGNATURE (ECDSA or RSASSA), as tpm2_quote writes it
 * @sig_len: its size
 * @ak: public part of the attestation key
 * @hash_alg: the signature's hash (TPM_ALG_ID), which also hashed the PCRs
 * @err: why it does not verify
 * @errlen: size of @err
 *
 * Return: 0 if the signature verifies, 1 if not, -1 if it cannot be read.
 */
int sv_quote_verify(const uint8_t *attest, size_t len, const uint8_t *sig,
		    size_t sig_len, EVP_PKEY *ak, uint16_t *hash_alg,
		    char *err, size_t errlen)
{
	struct cur c = { sig, sig_len };
	const uint8_t *p, *r, *s;
	unsigned char *der = NULL;
	uint16_t alg, rlen, slen;
	EVP_MD_CTX *ctx = NULL;
	const EVP_MD *md;
	int rc = -1, ok, dlen;

	p = take(&c, 4);
	if (!p)
		return sv_errf(err, errlen, "quote signature: truncated");
	alg = be16(p);
	*hash_alg = be16(p + 2);
	md = sv_tpm_alg_md(*hash_alg);
	if (!md)
		return sv_errf(err, errlen, "quote signature: hash %#06x", *hash_alg);
	if (alg == TPM_ALG_ECDSA) {
		r = take_2b(&c, &rlen);
		s = r ? take_2b(&c, &slen) : NULL;
		if (!s || c.left)
			return sv_errf(err, errlen, "quote signature: ECDSA r, s malformed");
		dlen = ecdsa_der(r, rlen, s, slen, &der);
		if (dlen < 0)
			return sv_errf(err, errlen, "out of memory");
		p = der;
		rlen = dlen;
	} else if (alg == TPM_ALG_RSASSA) {
		p = take_2b(&c, &rlen);
		if (!p || c.left)
			return sv_errf(err, errlen, "quote signature: RSASSA malformed");
	} else {
		return sv_errf(err, errlen, "quote signature: scheme %#06x (ECDSA and RSASSA are known)",
			       alg);
	}

	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestVerifyInit(ctx, NULL, md, NULL, ak) != 1) {
		sv_errf(err, errlen, "quote signature: the AK cannot verify %s signatures",
			alg == TPM_ALG_ECDSA ? "ECDSA" : "RSASSA");
		goto out;
	}
	ok = EVP_DigestVerify(ctx, p, rlen, attest, len);
	rc = ok == 1 ? 0 : 1;
	if (rc)
		sv_errf(err, errlen, "quote signature does not verify with the AK");
out:
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return rc;
}
