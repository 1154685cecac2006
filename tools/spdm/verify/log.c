// SPDX-License-Identifier: GPL-2.0
/*
 * Evidence from an entry of a device's sysfs signature log
 * (/sys/bus/pci/devices/DEV/signatures/N, see
 * Documentation/ABI/testing/sysfs-devices-spdm).  The entry states the
 * transcript, the signature, both nonces, the combined prefix, the hash
 * algorithm, the slot, the type, the version and the chain; everything
 * else is derived from the signed bytes, never from the kernel's word:
 *
 *   algorithms   the ALGORITHMS response of the VCA at the start of the
 *                transcript, BaseAsymSel or (SPDM 1.4) PqcAsymSel
 *                (SPDM 1.0/1.1 measurements have none: the
 *                signature algorithm is the leaf key's, the hash the
 *                hash_algorithm file's, and the output says so)
 *   offsets      walking the transcript message by message to the
 *                CHALLENGE / the signed GET_MEASUREMENTS at its end /
 *                KEY_EXCHANGE and KEY_EXCHANGE_RSP (TH1)
 *
 * The nonce files are then compared with what the walk found (check
 * "log").  signature_valid is reported, never used.  A key_exchange
 * entry states no session ID and none of the kernel's verdicts on the
 * session (ResponderVerifyData, FINISH): those checks are SKIP.  Binary files report
 * a size of 0 in sysfs: they are read to the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "evidence.h"

#define TEXT_MAX		64

enum { LOG_SYSTEM = -1, LOG_MALFORMED = -2 };

static int __sv_printf(4, 5) fail(int rc, char *err, size_t errlen,
				  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* A whole file of at most @max bytes, read until EOF. */
static int read_blob(const char *dir, const char *name, size_t max,
		     struct sv_buf *out, char *err, size_t errlen)
{
	size_t cap = 4096, len = 0;
	char path[PATH_MAX];
	uint8_t *buf, *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(LOG_SYSTEM, err, errlen, "%s: %s", path,
			    strerror(errno));
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return fail(LOG_SYSTEM, err, errlen, "out of memory");
	}
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				return fail(LOG_MALFORMED, err, errlen,
					    "%s: larger than %zu bytes", name,
					    max);
			}
			p = realloc(buf, 2 * cap);
			if (!p) {
				free(buf);
				close(fd);
				return fail(LOG_SYSTEM, err, errlen,
					    "out of memory");
			}
			buf = p;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return fail(LOG_SYSTEM, err, errlen, "%s: %s", path,
				    strerror(errno));
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return fail(LOG_MALFORMED, err, errlen,
			    "%s: larger than %zu bytes", name, max);
	}
	sv_buf_free(out);
	out->data = buf;
	out->len = len;
	return 0;
}

/* A one-line text file without its newline. */
static int read_text(const char *dir, const char *name, char *out,
		     size_t outlen, char *err, size_t errlen)
{
	struct sv_buf b = { 0 };
	int rc;

	rc = read_blob(dir, name, TEXT_MAX, &b, err, errlen);
	if (rc)
		return rc;
	if (b.len && b.data[b.len - 1] == '\n')
		b.len--;
	if (!b.len || b.len >= outlen || memchr(b.data, '\n', b.len) ||
	    memchr(b.data, 0, b.len)) {
		sv_buf_free(&b);
		return fail(LOG_MALFORMED, err, errlen,
			    "%s: not one line of text", name);
	}
	memcpy(out, b.data, b.len);
	out[b.len] = 0;
	sv_buf_free(&b);
	return 0;
}

static int read_uint(const char *dir, const char *name, unsigned long max,
		     unsigned long *out, char *err, size_t errlen)
{
	char text[TEXT_MAX], *end;
	int rc;

	rc = read_text(dir, name, text, sizeof(text), err, errlen);
	if (rc)
		return rc;
	errno = 0;
	*out = strtoul(text, &end, 10);
	if (errno || *end || text[0] < '0' || text[0] > '9' || *out > max)
		return fail(LOG_MALFORMED, err, errlen,
			    "%s: \"%s\" is not a number from 0 to %lu", name,
			    text, max);
	return 0;
}

/* The device a log entry belongs to: DEV of DEV/signatures/N, if so. */
static void entry_device(const char *dir, struct sv_evidence *ev)
{
	char real[PATH_MAX], *p;
	int i;

	if (!realpath(dir, real))
		return;
	/* cut ".../DEV/signatures/N" down to ".../DEV" */
	for (i = 0; i < 2; i++) {
		p = strrchr(real, '/');
		if (!p || p == real)
			return;
		*p = 0;
		p = strrchr(real, '/');
		if (i == 0 && (!p || strcmp(p + 1, "signatures")))
			return;
	}
	p = strrchr(real, '/');
	if (!p || !p[1] || strlen(p + 1) >= sizeof(ev->dev_name))
		return;
	memcpy(ev->dev_name, p + 1, strlen(p + 1) + 1);
	ev->have |= 1U << SV_F_DEV_NAME;
}

/* The files of the entry, as they are. */
static int read_entry(const char *dir, struct sv_evidence *ev,
		      struct sv_log *log, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		enum sv_field f;
		size_t max;
	} blobs[] = {
		{ "transcript", SV_F_TRANSCRIPT, SV_MAX_OBJECT },
		{ "signature", SV_F_SIGNATURE, SV_MAX_SIG_LEN },
		{ "combined_spdm_prefix", SV_F_PREFIX, 4096 },
		{ "certificate_chain", SV_F_CHAIN, SV_MAX_OBJECT },
	};
	struct sv_buf *bufs[] = { &ev->transcript, &ev->signature,
				  &ev->prefix, &ev->chain };
	unsigned int major, minor;
	unsigned long u;
	char text[TEXT_MAX], c;
	size_t i;
	int rc;

	for (i = 0; i < SV_ARRAY_SIZE(blobs); i++) {
		rc = read_blob(dir, blobs[i].name, blobs[i].max, bufs[i], err,
			       errlen);
		if (rc)
			return rc;
		/* an empty prefix (1.0/1.1) or chain is none */
		if (bufs[i]->len || blobs[i].f == SV_F_TRANSCRIPT ||
		    blobs[i].f == SV_F_SIGNATURE)
			ev->have |= 1U << blobs[i].f;
	}
	rc = read_blob(dir, "requester_nonce", 4096, &log->req_nonce, err,
		       errlen) ?:
	     read_blob(dir, "responder_nonce", 4096, &log->rsp_nonce, err,
		       errlen) ?:
	     read_text(dir, "type", log->type, sizeof(log->type), err,
		       errlen) ?:
	     read_text(dir, "hash_algorithm", ev->hash_algo,
		       sizeof(ev->hash_algo), err, errlen) ?:
	     read_text(dir, "version", text, sizeof(text), err, errlen);
	if (rc)
		return rc;
	ev->have |= 1U << SV_F_HASH_ALGO;
	if (sscanf(text, "%u.%u%c", &major, &minor, &c) != 2 || major > 15 ||
	    minor > 15 || text[0] < '0' || text[0] > '9')
		return fail(LOG_MALFORMED, err, errlen,
			    "version: \"%s\" is not MAJOR.MINOR", text);
	ev->version = major << 4 | minor;
	ev->have |= 1U << SV_F_VERSION;
	rc = read_uint(dir, "slot", 255, &u, err, errlen);
	if (rc)
		return rc;
	ev->slot = u;
	ev->have |= 1U << SV_F_SLOT;
	rc = read_uint(dir, "signature_valid", 1, &u, err, errlen);
	if (rc)
		return rc;
	ev->sig_valid = u;
	ev->have |= 1U << SV_F_SIG_VALID;
	if (!strcmp(log->type, "challenge"))
		ev->sig_type = SV_SIG_CHALLENGE;
	else if (!strcmp(log->type, "measurements"))
		ev->sig_type = SV_SIG_MEASUREMENTS;
	else if (!strcmp(log->type, "key_exchange"))
		ev->sig_type = SV_SIG_KEY_EXCHANGE;
	else
		return fail(LOG_MALFORMED, err, errlen,
			    "type: unsupported \"%s\"", log->type);
	ev->have |= 1U << SV_F_SIG_TYPE;
	return 0;
}

/* SPDM 1.0/1.1 measurements: the signature algorithm of the leaf key */
static const struct sv_asym *leaf_asym(const struct sv_evidence *ev,
				       size_t hash_len)
{
	const struct sv_asym *a = NULL;
	X509 *leaf;
	int n;

	leaf = sv_chain_leaf(&ev->chain, hash_len, &n);
	if (leaf && X509_get0_pubkey(leaf))
		a = sv_asym_of_key(X509_get0_pubkey(leaf));
	X509_free(leaf);
	ERR_clear_error();
	return a;
}

static int derive_challenge(struct sv_evidence *ev, struct sv_log *log,
			    const struct sv_vca *vca, size_t hash_len)
{
	size_t chal, auth;
	char err[256];

	if (sv_m1m2_walk(ev->transcript.data, ev->transcript.len, vca->len,
			 ev->version, hash_len, &chal, &auth, err,
			 sizeof(err)))
		return fail(-1, log->why, sizeof(log->why),
			    "walking the transcript after the VCA: %s", err);
	ev->req_off = chal + 4;
	ev->rsp_off = auth + 4 + hash_len;
	snprintf(log->how, sizeof(log->how),
		 "walked from the VCA (algorithms from its ALGORITHMS) to CHALLENGE at %zu and CHALLENGE_AUTH at %zu",
		 chal, auth);
	return 0;
}

static int derive_key_exchange(struct sv_evidence *ev, struct sv_log *log,
			       size_t hash_len)
{
	struct sv_th1 th;
	char err[256];

	if (sv_th1_parse(ev->transcript.data, ev->transcript.len, ev->version,
			 hash_len, &th, err, sizeof(err)))
		return fail(-1, log->why, sizeof(log->why),
			    "walking the transcript as TH1: %s", err);
	ev->req_off = th.ke + SV_KE_RANDOM_OFF;
	ev->rsp_off = th.rsp + SV_KE_RANDOM_OFF;
	snprintf(log->how, sizeof(log->how),
		 "walked from the VCA (algorithms and DHE %s from its ALGORITHMS) over Hash(CertChain) to KEY_EXCHANGE at %zu and KEY_EXCHANGE_RSP at %zu",
		 th.dhe->name, th.ke, th.rsp);
	return 0;
}

static int derive_measurements(struct sv_evidence *ev, struct sv_log *log,
			       size_t start)
{
	struct sv_l1l2 *l = malloc(sizeof(*l));
	const struct sv_meas_msg *last;
	char err[256];

	if (!l)
		return fail(-1, log->why, sizeof(log->why), "out of memory");
	if (sv_l1l2_parse(ev->transcript.data, ev->transcript.len, start,
			  ev->version, l, err, sizeof(err))) {
		free(l);
		return fail(-1, log->why, sizeof(log->why),
			    "walking the transcript as L1/L2: %s", err);
	}
	last = &l->msg[l->n - 1];
	ev->req_off = last->req + 4;
	ev->rsp_off = last->nonce;
	snprintf(log->how, sizeof(log->how),
		 "walked %s%u GET_MEASUREMENTS/MEASUREMENTS pair%s to the signed one at %zu and %zu",
		 start ? "from the VCA (algorithms from its ALGORITHMS) over " :
		 "", l->n, l->n == 1 ? "" : "s", last->req, last->rsp);
	free(l);
	return 0;
}

/* Algorithms and offsets from the signed bytes; log->why if not. */
static void derive(struct sv_evidence *ev, struct sv_log *log)
{
	const struct sv_hash *h = NULL;
	const struct sv_asym *a;
	struct sv_vca vca = { 0 };
	char err[256];
	int rc;

	if (ev->sig_type != SV_SIG_MEASUREMENTS || ev->version >= 0x12) {
		if (sv_vca_parse(ev->transcript.data, ev->transcript.len,
				 ev->version, &vca, err, sizeof(err))) {
			fail(-1, log->why, sizeof(log->why),
			     "the algorithms are not derivable: the transcript does not start with a VCA: %s",
			     err);
			return;
		}
		if (vca.asym && vca.pqc_asym) {
			fail(-1, log->why, sizeof(log->why),
			     "ALGORITHMS selected both BaseAsymSel 0x%x and PqcAsymSel 0x%x (SPDM 1.4 selects one)",
			     vca.asym, vca.pqc_asym);
			return;
		}
		ev->asym = vca.asym;
		ev->hash = vca.hash;
		ev->have |= 1U << SV_F_ASYM | 1U << SV_F_HASH;
		/* SPDM 1.4: ML-DSA instead of a BaseAsymAlgo */
		if (vca.pqc_asym) {
			ev->pqc_asym = vca.pqc_asym;
			ev->have |= 1U << SV_F_PQC_ASYM;
		}
		h = sv_hash_by_bit(vca.hash);
		if (ev->sig_type == SV_SIG_MEASUREMENTS) {
			ev->meas_spec = vca.meas_spec;
			ev->meas_hash = vca.meas_hash;
			ev->have |= 1U << SV_F_MEAS_SPEC |
				    1U << SV_F_MEAS_HASH;
		}
		if (!h) {
			fail(-1, log->why, sizeof(log->why),
			     "ALGORITHMS selected the unsupported BaseHashSel 0x%x",
			     vca.hash);
			return;
		}
	} else {
		/* 1.0/1.1 L1/L2: no VCA, so from the files and the key */
		h = sv_hash_by_name(ev->hash_algo);
		if (!h) {
			fail(-1, log->why, sizeof(log->why),
			     "hash_algorithm \"%s\" is unknown", ev->hash_algo);
			return;
		}
		ev->hash = h->bit;
		a = leaf_asym(ev, h->len);
		if (!a) {
			fail(-1, log->why, sizeof(log->why),
			     "SPDM %u.%u L1/L2 holds no VCA and the leaf key of certificate_chain names no supported signature algorithm",
			     ev->version >> 4, ev->version & 0xf);
			return;
		}
		ev->asym = a->bit;
		ev->have |= 1U << SV_F_ASYM | 1U << SV_F_HASH;
		log->asym_from_key = true;
	}
	if (ev->sig_type == SV_SIG_CHALLENGE)
		rc = derive_challenge(ev, log, &vca, h->len);
	else if (ev->sig_type == SV_SIG_KEY_EXCHANGE)
		rc = derive_key_exchange(ev, log, h->len);
	else
		rc = derive_measurements(ev, log, vca.len);
	if (rc)
		return;
	if (log->asym_from_key) {
		size_t n = strlen(log->how);

		snprintf(log->how + n, sizeof(log->how) - n,
			 "; no VCA in SPDM %u.%u L1/L2: %s from the leaf key, %s from hash_algorithm",
			 ev->version >> 4, ev->version & 0xf,
			 sv_asym_by_bit(ev->asym)->label, h->label);
	}
	ev->have |= 1U << SV_F_REQ_OFF | 1U << SV_F_RSP_OFF;
	log->derived = true;
}

/**
 * sv_log_read() - evidence from an entry of the sysfs signature log
 * @dir: the entry's directory
 * @ev: receives the evidence (free with sv_evidence_free())
 * @log: receives what else the entry says (free with sv_log_free())
 * @err: receives why the entry cannot be read
 * @errlen: size of @err
 *
 * What the entry does not state (algorithms, nonce offsets) is derived
 * from the transcript; @log->derived says whether that worked, and
 * @log->why why not.
 *
 * Return: 0; -1 if a file cannot be read (errno-like trouble: @err),
 * -2 if a file is malformed (@err).
 */
int sv_log_read(const char *dir, struct sv_evidence *ev, struct sv_log *log,
		char *err, size_t errlen)
{
	int rc;

	memset(ev, 0, sizeof(*ev));
	memset(log, 0, sizeof(*log));
	rc = read_entry(dir, ev, log, err, errlen);
	if (rc) {
		sv_evidence_free(ev);
		sv_log_free(log);
		return rc;
	}
	snprintf(ev->log_entry, sizeof(ev->log_entry), "%s", dir);
	entry_device(dir, ev);
	derive(ev, log);
	return 0;
}

void sv_log_free(struct sv_log *log)
{
	sv_buf_free(&log->req_nonce);
	sv_buf_free(&log->rsp_nonce);
}
