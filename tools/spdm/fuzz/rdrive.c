// SPDX-License-Identifier: GPL-2.0
/*
 * Drives the software responder without a socket (see rdrive.h).  The
 * device serves one certificate chain (a root and a leaf, ECDSA P-384,
 * made here and read through a temporary directory that is removed at
 * once) in slots 0 and 1.  The requester's side of a session is done
 * here from the device's own session state: its ECDH public key in
 * KEY_EXCHANGE, RequesterVerifyData in FINISH, sealing records with the
 * request keys.  Every reply must be one well-formed socket frame, its
 * DOE object within QEMU's buffer, a secured record in it must open
 * with the response keys; anything else aborts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "rdrive.h"
#include "secured.h"

#define QEMU_DOE_BUF	0x1200	/* QEMU's DOE mailbox buffer, bytes */
#define KE_EXCHANGE_OFF	40	/* ExchangeData in KEY_EXCHANGE */
#define MAX_OPS		64	/* per run: bounds the time an input takes */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static char certs_dir[256];

static const struct {
	uint16_t dhe;
	const char *group;
} groups[] = {
	{ SPDM_DHE_SECP256R1, "P-256" },
	{ SPDM_DHE_SECP384R1, "P-384" },
};

static uint8_t exchange[2][SPDM_MAX_DHE_LEN];

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "rdrive: %s\n", what);
	abort();
}

/* ---- set-up ------------------------------------------------------------ */

static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer,
		       const char *cn, long serial)
{
	X509_EXTENSION *ext;
	X509_NAME *name;
	X509 *x = X509_new();

	if (!x || !X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), serial) ||
	    !ASN1_TIME_set_string(X509_getm_notBefore(x), "20250101000000Z") ||
	    !ASN1_TIME_set_string(X509_getm_notAfter(x), "20450101000000Z") ||
	    !X509_set_pubkey(x, key))
		fail("cannot make a certificate");
	name = X509_get_subject_name(x);
	if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
					(const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) :
					   name))
		fail("cannot name a certificate");
	ext = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
				  issuer ? "CA:FALSE" : "critical,CA:TRUE");
	if (!ext || !X509_add_ext(x, ext, -1))
		fail("cannot extend a certificate");
	X509_EXTENSION_free(ext);
	if (!X509_sign(x, signer, EVP_sha384()))
		fail("cannot sign a certificate");
	return x;
}

static void write_certs(const char *dir, X509 *root, X509 *leaf,
			EVP_PKEY *key)
{
	char path[320];
	FILE *f;

	snprintf(path, sizeof(path), "%s/chain.der", dir);
	f = fopen(path, "wb");
	if (!f || !i2d_X509_fp(f, root) || !i2d_X509_fp(f, leaf) || fclose(f))
		fail("cannot write chain.der");
	snprintf(path, sizeof(path), "%s/leaf.key", dir);
	f = fopen(path, "w");
	if (!f || !PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) ||
	    fclose(f))
		fail("cannot write leaf.key");
}

static void remove_certs(const char *dir)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/chain.der", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/leaf.key", dir);
	unlink(path);
	rmdir(dir);
}

static void make_exchange(void)
{
	uint8_t point[1 + SPDM_MAX_DHE_LEN];
	EVP_PKEY *k;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(groups); i++) {
		k = EVP_EC_gen(groups[i].group);
		if (!k ||
		    !EVP_PKEY_get_octet_string_param(k,
						     OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						     point, sizeof(point), &n) ||
		    n != 1 + spdm_dhe_len(groups[i].dhe))
			fail("cannot make an ECDH key");
		memcpy(exchange[i], point + 1, n - 1);
		EVP_PKEY_free(k);
	}
}

/* Once per process: the chain, loaded for good, and our ECDH keys. */
int rd_global_init(void)
{
	const char *tmp = getenv("TMPDIR");
	EVP_PKEY *root_key, *leaf_key;
	X509 *root, *leaf;
	char err[512];

	log_level = LOG_QUIET;
	snprintf(certs_dir, sizeof(certs_dir), "%s/spdm-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(certs_dir))
		fail("cannot make a temporary directory");
	root_key = EVP_EC_gen("P-384");
	leaf_key = EVP_EC_gen("P-384");
	if (!root_key || !leaf_key)
		fail("cannot make keys");
	root = make_cert(root_key, root_key, NULL, "spdm-fuzz root", 1);
	leaf = make_cert(leaf_key, root_key, root, "spdm-fuzz leaf", 2);
	write_certs(certs_dir, root, leaf, leaf_key);
	if (!certs_load(certs_dir, err, sizeof(err))) {
		remove_certs(certs_dir);
		fprintf(stderr, "rdrive: %s\n", err);
		abort();
	}
	remove_certs(certs_dir);
	X509_free(root);
	X509_free(leaf);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(leaf_key);
	make_exchange();
	return 0;
}

const uint8_t *rd_exchange_data(uint16_t dhe)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (groups[i].dhe == dhe)
			return exchange[i];
	return NULL;
}

int rd_start(struct rd *r, uint8_t config)
{
	static const char *const versions[] = {
		"1.0,1.1,1.2,1.3", "1.1", "1.2", "1.3",
	};
	static const char *const misbehave[] = {
		"", "error=0x42@0xe0", "busy-once", "request-resynch=2",
	};
	struct spdm_version_set set;
	struct misbehave_set mbs;
	struct spdm_dev_config cfg;
	const char *why;
	char err[512];

	memset(r, 0, sizeof(*r));
	if (spdm_versions_parse(versions[config & RD_CONFIG_VERSIONS], &set,
				&why))
		fail(why);
	if (misbehave_parse(misbehave[(config & RD_CONFIG_MISBEHAVE) >> 5],
			    &mbs, err, sizeof(err)))
		fail(err);
	spdm_device_init(&r->dev, 0, &set, &mbs);
	r->dev.port = 1;
	spdm_dev_config_init(&cfg);
	cfg.certs_dir = certs_dir;
	cfg.slot_mask = 0x03;
	if (config & RD_CONFIG_CLEAR)
		cfg.session = SPDM_SESSION_CLEAR;
	if (config & RD_CONFIG_CHUNK) {
		cfg.data_transfer_size = 256;
		cfg.max_msg_size = 8192;
	}
	if (config & RD_CONFIG_MEAS) {
		cfg.meas.src = SPDM_MEAS_SRC_COUNT;
		cfg.meas.count = 12;
		cfg.meas.hash_mask |= SPDM_MEAS_HASH_RAW;
	}
	if (spdm_device_configure(&r->dev, &cfg, err, sizeof(err)))
		fail(err);
	sock_rx_init(&r->rx, SOCK_DEFAULT_MAX_PAYLOAD);
	return 0;
}

void rd_stop(struct rd *r)
{
	sock_rx_next(&r->rx);
	spdm_device_release(&r->dev);
}

/* ---- replies ------------------------------------------------------------ */

/* The sessions' response keys before a request (it may change them). */
struct snap {
	uint16_t aead;
	struct {
		enum spdm_sess_state state;
		uint32_t id;
		bool mac_only;
		struct spdm_sess_keys rsp;
	} s[SPDM_MAX_SESSIONS];
};

static void take_snap(const struct rd *r, struct snap *sn)
{
	unsigned int i;

	sn->aead = r->dev.aead_sel;
	for (i = 0; i < SPDM_MAX_SESSIONS; i++) {
		sn->s[i].state = r->dev.sessions[i].state;
		sn->s[i].id = r->dev.sessions[i].id;
		sn->s[i].mac_only = r->dev.sessions[i].mac_only;
		sn->s[i].rsp = r->dev.sessions[i].rsp;
	}
}

static bool opens(uint16_t aead, bool mac_only,
		  const struct spdm_sess_keys *k, const uint8_t *rec,
		  size_t len)
{
	const char *why;
	struct msg out;
	int ret;

	msg_init(&out);
	ret = spdm_record_open(aead, mac_only, k, 0, rec, len, &out, &why);
	msg_free(&out);
	return !ret;
}

/*
 * A secured response: sealed with the response keys the session had
 * before the request, or (UpdateAllKeys) with those it has now.
 */
static void check_record(struct rd *r, const struct snap *sn,
			 const uint8_t *rec, size_t len)
{
	struct spdm_session *s;
	struct spdm_sess_keys k;
	unsigned int i;
	uint32_t id;

	if (len < 4)
		fail("secured response without a SessionID");
	id = get_le32(rec);
	for (i = 0; i < SPDM_MAX_SESSIONS; i++)
		if (sn->s[i].state != SPDM_SESS_FREE && sn->s[i].id == id &&
		    opens(sn->aead, sn->s[i].mac_only, &sn->s[i].rsp, rec,
			  len))
			return;
	s = spdm_session_find(&r->dev, id);
	if (s && s->rsp.seq) {
		k = s->rsp;
		k.seq--;
		if (opens(r->dev.aead_sel, s->mac_only, &k, rec, len))
			return;
	}
	fail("secured response does not open with the session's keys");
}

static void check_reply(struct rd *r, const struct sock_reply *rep,
			const struct snap *sn)
{
	const uint8_t *p = rep->out.data + SOCK_HDR_LEN;
	struct sock_hdr h;
	struct doe_hdr d;
	const char *why;

	if (rep->out.len < SOCK_HDR_LEN)
		fail("reply shorter than a frame header");
	sock_hdr_parse(rep->out.data, &h);
	if (h.size != rep->out.len - SOCK_HDR_LEN)
		fail("reply frame size does not match");
	if (h.command != SOCK_CMD_NORMAL || !h.size)
		return;
	if (doe_hdr_parse(p, h.size, &d, &why))
		fail(why);
	if (h.size > QEMU_DOE_BUF)
		fail("DOE response larger than QEMU's buffer");
	if (d.vendor != DOE_VENDOR_PCI_SIG || d.type > DOE_TYPE_SECURED_CMA)
		fail("DOE response of another vendor or type");
	if (d.type == DOE_TYPE_SECURED_CMA)
		check_record(r, sn, p + DOE_HDR_LEN, h.size - DOE_HDR_LEN);
}

static void handle(struct rd *r)
{
	struct sock_reply rep;
	struct snap sn;
	int ret;

	take_snap(r, &sn);
	sock_reply_init(&rep);
	ret = sock_handle(&r->dev, &r->rx.hdr, r->rx.payload, &rep);
	if (ret)
		fail(strerror(-ret));
	if (!rep.act.drop)
		check_reply(r, &rep, &sn);
	sock_reply_free(&rep);
}

/* Socket protocol bytes, as the server reads them. */
static void feed(struct rd *r, const uint8_t *p, size_t len)
{
	enum sock_rx_status st;
	size_t used;

	while (len) {
		used = sock_rx_feed(&r->rx, p, len, &st);
		p += used;
		len -= used;
		if (st == SOCK_RX_READY) {
			handle(r);
			sock_rx_next(&r->rx);
		} else if (st != SOCK_RX_MORE) {
			break;		/* the server closes the connection */
		}
	}
	sock_rx_next(&r->rx);	/* a partial frame does not carry over */
}

/* @obj (@len bytes, a DOE object or not) in a NORMAL frame. */
static void send_frame(struct rd *r, const uint8_t *obj, size_t len)
{
	struct msg frame;

	msg_init(&frame);
	if (sock_frame_put(&frame, SOCK_CMD_NORMAL, SOCK_TRANSPORT_PCI_DOE,
			   obj, len))
		fail("cannot build a frame");
	feed(r, frame.data, frame.len);
	msg_free(&frame);
}

/* @payload in a DOE object of @type, in a NORMAL frame. */
static void send_doe(struct rd *r, uint8_t type, const uint8_t *payload,
		     size_t len)
{
	struct msg obj;

	msg_init(&obj);
	if (doe_wrap(&obj, DOE_VENDOR_PCI_SIG, type, payload, len))
		fail("cannot build a DOE object");
	send_frame(r, obj.data, obj.len);
	msg_free(&obj);
}

/* ---- requests ----------------------------------------------------------- */

/* Session @sel, or else any session there is, or NULL. */
static struct spdm_session *session(struct rd *r, uint8_t sel)
{
	struct spdm_session *s = &r->dev.sessions[sel % SPDM_MAX_SESSIONS];
	unsigned int i;

	for (i = 0; s->state == SPDM_SESS_FREE && i < SPDM_MAX_SESSIONS; i++)
		s = &r->dev.sessions[i];
	return s->state == SPDM_SESS_FREE ? NULL : s;
}

static void send_sealed(struct rd *r, struct spdm_session *s,
			const uint8_t *m, size_t len)
{
	struct msg rec;

	msg_init(&rec);
	if (!spdm_record_seal(r->dev.aead_sel, s->mac_only, &s->req, s->id, 0,
			      m, len, &rec))
		send_doe(r, DOE_TYPE_SECURED_CMA, rec.data, rec.len);
	msg_free(&rec);
}

static void key_exchange(struct rd *r, const uint8_t *data, size_t len)
{
	size_t d = spdm_dhe_len(r->dev.dhe_sel);
	const uint8_t *x = rd_exchange_data(r->dev.dhe_sel);
	uint8_t *m;

	if (!x || len < KE_EXCHANGE_OFF + d) {
		send_doe(r, DOE_TYPE_CMA, data, len);
		return;
	}
	m = malloc(len);
	if (!m)
		fail("out of memory");
	memcpy(m, data, len);
	memcpy(m + KE_EXCHANGE_OFF, x, d);
	send_doe(r, DOE_TYPE_CMA, m, len);
	free(m);
}

/* FINISH with the RequesterVerifyData the session expects. */
static void finish(struct rd *r, const uint8_t *data, size_t len)
{
	uint8_t m[SPDM_HDR_LEN + SPDM_MAX_HASH_LEN], th[SPDM_MAX_HASH_LEN];
	struct spdm_session *s;
	const struct spdm_hash_alg *h = r->dev.hash;
	struct msg t;

	if (len < 1 + SPDM_HDR_LEN)
		return;
	s = session(r, data[0]);
	if (!s || s->state != SPDM_SESS_HANDSHAKE || !h)
		return;
	memcpy(m, data + 1, SPDM_HDR_LEN);
	msg_init(&t);
	if (msg_put(&t, s->th.data, s->th.len) ||
	    msg_put(&t, m, SPDM_HDR_LEN) ||
	    spdm_digest(h, t.data, t.len, NULL, 0, th) ||
	    spdm_hmac(h, s->req_finished, th, h->len, m + SPDM_HDR_LEN))
		fail("cannot compute RequesterVerifyData");
	msg_free(&t);
	if (s->clear_handshake)
		send_doe(r, DOE_TYPE_CMA, m, SPDM_HDR_LEN + h->len);
	else
		send_sealed(r, s, m, SPDM_HDR_LEN + h->len);
}

/* A record for session @data[0] (its SessionID, then the rest). */
static void record(struct rd *r, const uint8_t *data, size_t len)
{
	struct spdm_session *s = session(r, data[0]);
	uint8_t *m = malloc(len + 3);

	if (!m)
		fail("out of memory");
	put_le32(m, s ? s->id : 0);
	memcpy(m + 4, data + 1, len - 1);
	send_doe(r, DOE_TYPE_SECURED_CMA, m, len + 3);
	free(m);
}

void rd_op(struct rd *r, enum rd_op op, const uint8_t *data, size_t len)
{
	struct spdm_session *s;

	switch (op) {
	case RD_SPDM:
		send_doe(r, DOE_TYPE_CMA, data, len);
		break;
	case RD_KEY_EXCHANGE:
		key_exchange(r, data, len);
		break;
	case RD_SECURED:
		s = len ? session(r, data[0]) : NULL;
		if (s)
			send_sealed(r, s, data + 1, len - 1);
		break;
	case RD_FINISH:
		finish(r, data, len);
		break;
	case RD_RECORD:
		if (len)
			record(r, data, len);
		break;
	case RD_DOE:
		send_frame(r, data, len);
		break;
	case RD_FRAME:
		feed(r, data, len);
		break;
	default:
		break;
	}
}

void rd_run(struct rd *r, const uint8_t *data, size_t size)
{
	unsigned int ops = 0;
	size_t off = 1, len;

	if (!size)
		return;
	rd_start(r, data[0]);
	while (size - off >= 3 && ops++ < MAX_OPS) {
		len = data[off + 1] | data[off + 2] << 8;
		if (len > size - off - 3)
			len = size - off - 3;
		rd_op(r, data[off] % RD_NR_OPS, data + off + 3, len);
		off += 3 + len;
	}
	rd_stop(r);
}
