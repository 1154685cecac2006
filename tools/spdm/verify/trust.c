// SPDX-License-Identifier: GPL-2.0
/*
 * The verifier's trust anchors (--trust): PEM or DER certificates, or a
 * directory of them.  Never the kernel's keyring.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "checks.h"

int sv_trust_init(struct sv_trust *t)
{
	memset(t, 0, sizeof(*t));
	t->store = X509_STORE_new();
	t->anchors = sk_X509_new_null();
	return t->store && t->anchors ? 0 : -1;
}

void sv_trust_free(struct sv_trust *t)
{
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->anchors, X509_free);
	memset(t, 0, sizeof(*t));
}

static int trust_push(struct sv_trust *t, X509 *x)
{
	if (X509_STORE_add_cert(t->store, x) != 1) {
		/* the same certificate twice is no error */
		ERR_clear_error();
	}
	if (!sk_X509_push(t->anchors, x)) {
		X509_free(x);
		return -1;
	}
	t->nr++;
	return 0;
}

/* All certificates of a PEM file (one or more), or one DER certificate. */
static int trust_file(struct sv_trust *t, const char *path, bool strict,
		      char *err, size_t errlen)
{
	const unsigned char *p;
	unsigned char *data;
	int n = 0, rc = -1;
	long len;
	BIO *b;
	X509 *x;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	b = BIO_new(BIO_s_mem());
	if (!b) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		char buf[4096];
		size_t got = fread(buf, 1, sizeof(buf), f);

		if (got && BIO_write(b, buf, got) != (int)got) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		if (got < sizeof(buf))
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	len = BIO_get_mem_data(b, (char **)&data);
	if (len > 0 && memmem(data, len, "-----BEGIN", 10)) {
		while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
			if (trust_push(t, x))
				goto oom;
			n++;
		}
		ERR_clear_error();
	} else if (len > 0) {
		p = data;
		x = d2i_X509(NULL, &p, len);
		if (x && p == data + len) {
			if (trust_push(t, x))
				goto oom;
			n++;
		} else {
			X509_free(x);
		}
	}
	if (!n && strict) {
		snprintf(err, errlen, "%s: no PEM or DER certificate", path);
		goto out;
	}
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	ERR_clear_error();
	BIO_free(b);
	fclose(f);
	return rc;
}

static bool cert_name(const char *name)
{
	static const char *const exts[] = { ".pem", ".crt", ".cer", ".der" };
	size_t n = strlen(name), i;

	for (i = 0; i < SV_ARRAY_SIZE(exts); i++)
		if (n > 4 && !strcmp(name + n - 4, exts[i]))
			return true;
	return false;
}

/*
 * A file (PEM certificates, or one DER certificate), or a directory: its
 * *.pem, *.crt, *.cer and *.der files that hold certificates.
 */
int sv_trust_add(struct sv_trust *t, const char *path, char *err,
		 size_t errlen)
{
	int before = t->nr;
	char file[4096];
	struct dirent *d;
	struct stat st;
	DIR *dir;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return trust_file(t, path, true, err, errlen);
	dir = opendir(path);
	if (!dir) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((d = readdir(dir))) {
		if (!cert_name(d->d_name))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, d->d_name);
		if (stat(file, &st) || !S_ISREG(st.st_mode))
			continue;
		if (trust_file(t, file, false, err, errlen)) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	if (t->nr == before) {
		snprintf(err, errlen, "%s: no certificates in *.pem, *.crt, *.cer or *.der files",
			 path);
		return -1;
	}
	return 0;
}
