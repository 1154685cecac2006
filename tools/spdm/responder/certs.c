// SPDX-License-Identifier: GPL-2.0
/*
 * Certificate chains and keys from mkcerts directories.  Every directory
 * of certs=/slot= is loaded once, whatever the number of devices and slots
 * using it, and its chain is prepared for each hash algorithm up front;
 * identity= directories are read afresh each time (certs_load_fresh()).
 *
 * SPDM certificate chain format (DSP0274 1.2 sec 10.6.1, table
 * "Certificate chain format"): Length (2, the whole chain including
 * this header), Reserved (2), RootHash (H: Hash of the DER root
 * certificate), then the DER certificates from the root to the leaf.
 * From 1.4 on Length is 4 bytes and there is no Reserved: written as a
 * 32-bit Length, one chain serves every version (it is below 64 KiB).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "certs.h"
#include "msg.h"

#define CHAIN_FILE	"chain.der"
#define KEY_FILE	"leaf.key"

static struct spdm_cert_set *loaded;

static int read_file(const char *path, uint8_t **buf, size_t *len,
		     char *err, size_t errlen)
{
	struct stat st;
	size_t got;
	FILE *f;

	*buf = NULL;
	f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -ENOENT;
	}
	if (st.st_size <= 0 || st.st_size > SPDM_CERT_CHAIN_MAX) {
		snprintf(err, errlen, "%s: size %lld not in 1..%d", path,
			 (long long)st.st_size, SPDM_CERT_CHAIN_MAX);
		fclose(f);
		return -EINVAL;
	}
	*buf = malloc(st.st_size);
	got = *buf ? fread(*buf, 1, st.st_size, f) : 0;
	fclose(f);
	if (got != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	*len = got;
	return 0;
}

/*
 * Walk the DER certificates: count them, note the root's length and
 * check the leaf's public key belongs to @key.
 */
static int check_chain(struct spdm_cert_set *cs, char *err, size_t errlen)
{
	const unsigned char *p = cs->der, *start;
	X509 *cert = NULL, *prev = NULL;
	EVP_PKEY *pub;
	int ret = 0;

	while (p < cs->der + cs->der_len) {
		start = p;
		cert = d2i_X509(NULL, &p, cs->der + cs->der_len - p);
		if (!cert) {
			snprintf(err, errlen, "%s/%s: no DER certificate at offset %td",
				 cs->dir, CHAIN_FILE, start - cs->der);
			ret = -EINVAL;
			break;
		}
		if (!cs->nr_certs++)
			cs->root_len = p - start;
		X509_free(prev);
		prev = cert;
	}
	ERR_clear_error();
	if (ret || !prev) {
		X509_free(prev);
		return ret ? ret : -EINVAL;
	}
	pub = X509_get0_pubkey(prev);
	if (!pub || EVP_PKEY_eq(pub, cs->key.pkey) != 1) {
		snprintf(err, errlen, "%s: %s does not match the leaf certificate",
			 cs->dir, KEY_FILE);
		ret = -EINVAL;
	}
	X509_free(prev);
	ERR_clear_error();
	return ret;
}

static int build_chains(struct spdm_cert_set *cs, char *err, size_t errlen)
{
	const struct spdm_hash_alg *h;
	struct spdm_chain *c;
	unsigned int i;

	for (i = 0; i < SPDM_NR_HASHES; i++) {
		h = spdm_hash_by_index(i);
		c = &cs->chain[i];
		c->len = SPDM_CERT_CHAIN_HDR_LEN + h->len + cs->der_len;
		if (c->len > SPDM_CERT_CHAIN_MAX) {
			snprintf(err, errlen, "%s: chain of %zu bytes does not fit SPDM's 16-bit Length with %s",
				 cs->dir, c->len, h->name);
			return -EFBIG;
		}
		c->buf = malloc(c->len);
		if (!c->buf)
			return -ENOMEM;
		put_le32(c->buf, c->len);	/* 1.3: Length, Reserved */
		if (spdm_digest(h, cs->der, cs->root_len, NULL, 0,
				c->buf + SPDM_CERT_CHAIN_HDR_LEN) ||
		    spdm_digest(h, c->buf, SPDM_CERT_CHAIN_HDR_LEN + h->len,
				cs->der, cs->der_len, c->digest))
			return -EIO;
		memcpy(c->buf + SPDM_CERT_CHAIN_HDR_LEN + h->len, cs->der,
		       cs->der_len);
	}
	return 0;
}

static void cert_set_free(struct spdm_cert_set *cs)
{
	unsigned int i;

	for (i = 0; i < SPDM_NR_HASHES; i++)
		free(cs->chain[i].buf);
	spdm_key_free(&cs->key);
	free(cs->der);
	free(cs->dir);
	free(cs);
}

/*
 * Read the mkcerts directory @dir afresh, whether it was loaded before or
 * not: the caller owns the result (certs_free() it).  For identity=,
 * whose directories may change while the responder runs.
 */
struct spdm_cert_set *certs_load_fresh(const char *dir, char *err,
				       size_t errlen)
{
	char path[PATH_MAX];
	struct spdm_cert_set *cs;
	int ret;

	cs = calloc(1, sizeof(*cs));
	if (cs)
		cs->dir = strdup(dir);
	if (!cs || !cs->dir) {
		free(cs);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, CHAIN_FILE);
	ret = read_file(path, &cs->der, &cs->der_len, err, errlen);
	if (!ret) {
		snprintf(path, sizeof(path), "%s/%s", dir, KEY_FILE);
		ret = spdm_key_load(path, &cs->key, err, errlen);
	}
	ret = ret ?: check_chain(cs, err, errlen);
	ret = ret ?: build_chains(cs, err, errlen);
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(err, errlen, "out of memory");
		cert_set_free(cs);
		return NULL;
	}
	return cs;
}

void certs_free(struct spdm_cert_set *cs)
{
	if (cs)
		cert_set_free(cs);
}

/* Load (or find already loaded) the mkcerts directory @dir. */
const struct spdm_cert_set *certs_load(const char *dir, char *err,
				       size_t errlen)
{
	struct spdm_cert_set *cs;

	for (cs = loaded; cs; cs = cs->next)
		if (!strcmp(cs->dir, dir))
			return cs;
	cs = certs_load_fresh(dir, err, errlen);
	if (!cs)
		return NULL;
	cs->next = loaded;
	loaded = cs;
	return cs;
}

/* Whether @a and @b serve the same chain with the same key. */
bool certs_same(const struct spdm_cert_set *a, const struct spdm_cert_set *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->der_len != b->der_len ||
	    memcmp(a->der, b->der, a->der_len))
		return false;
	return EVP_PKEY_eq(a->key.pkey, b->key.pkey) == 1;
}

void certs_cleanup(void)
{
	struct spdm_cert_set *cs;

	while ((cs = loaded)) {
		loaded = cs->next;
		cert_set_free(cs);
	}
}
