// SPDX-License-Identifier: GPL-2.0
/*
 * identity=FILE: a device whose identity (certificate chain and signing
 * key) changes while the responder runs, as one replaced or re-keyed
 * behind the same port; for testing a requester's same-device check
 * after a reset or resume.
 *
 * FILE, when it exists and is not empty, holds one line naming an
 * mkcerts directory (chain.der, leaf.key; relative to FILE's directory
 * unless absolute).  Its chain and key replace those of certs= in the
 * slots that serve certs= (not slot=N=DIR); a missing or empty FILE
 * means certs= itself.  FILE is stat()ed at GET_VERSION and before every
 * request that uses a chain or key (NEGOTIATE_ALGORITHMS, GET_DIGESTS,
 * GET_CERTIFICATE, CHALLENGE, GET_MEASUREMENTS, KEY_EXCHANGE: RQ_IDENTITY
 * in dispatch.c) and re-read when it is not the one last read (device,
 * inode, size or modification time differ), as meas=FILE is; the
 * directory is then read afresh, never from the cache of certs.c, so
 * rewriting FILE after the directory changed serves the new contents.
 *
 * Nothing keeps a copy of the old chain: DIGESTS, CERTIFICATE (also a
 * large one in chunks, built when its request arrived), CertChainHash of
 * CHALLENGE_AUTH and the TH of KEY_EXCHANGE take the chain of dev->slot[]
 * when their request is handled, signatures its key.  Transcripts hold
 * what was exchanged: a switch between GET_CERTIFICATE and CHALLENGE
 * makes CHALLENGE_AUTH fail the requester's checks, as it should.
 *
 * The new key must be able to sign with the BaseAsymAlgo the connection
 * negotiated.  If it cannot (a P-384 connection, a P-256 key), the switch
 * waits for the connection to end - the next GET_VERSION (or
 * RequestResynch) - and the connection goes on with the old identity; a
 * device changing identity on reset does the same.  Then ALGORITHMS
 * offers the new key's algorithm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "spdm.h"

#define IDENT_MAX_SIZE	PATH_MAX	/* the largest FILE we read */

const struct spdm_cert_set *spdm_identity_certs(const struct spdm_device *dev)
{
	return dev->ident.cur ?: dev->ident.certs;
}

static void stat_remember(struct spdm_identity *id, const struct stat *st)
{
	id->stat_valid = true;
	id->st_dev = st->st_dev;
	id->st_ino = st->st_ino;
	id->st_size = st->st_size;
	id->st_mtime_ns = st->st_mtim.tv_sec * 1000000000LL +
			  st->st_mtim.tv_nsec;
}

static bool stat_same(const struct spdm_identity *id, const struct stat *st)
{
	return id->stat_valid && id->st_dev == st->st_dev &&
	       id->st_ino == st->st_ino && id->st_size == st->st_size &&
	       id->st_mtime_ns == st->st_mtim.tv_sec * 1000000000LL +
				  st->st_mtim.tv_nsec;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * The directory @file names into @dir ("" for none: certs=), resolved
 * against @file's directory.  0, or -errno with @err set.
 */
static int read_name(const char *file, char *dir, size_t dirlen, char *err,
		     size_t errlen)
{
	char buf[IDENT_MAX_SIZE + 1], *line, *end, *p;
	const char *slash;
	size_t len;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", file, strerror(errno));
		return -errno;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", file);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (len > IDENT_MAX_SIZE) {
		snprintf(err, errlen, "%s: larger than %d bytes", file,
			 IDENT_MAX_SIZE);
		return -EFBIG;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		snprintf(err, errlen, "%s: contains a NUL byte", file);
		return -EINVAL;
	}
	for (line = buf; is_blank(*line); line++)
		;
	end = strchr(line, '\n') ?: buf + len;
	for (p = end; *p; p++) {
		if (!is_blank(*p)) {
			snprintf(err, errlen, "%s: more than one line", file);
			return -EINVAL;
		}
	}
	while (end > line && is_blank(end[-1]))
		end--;
	*end = '\0';
	slash = strrchr(file, '/');
	if (!*line || *line == '/' || !slash)
		len = snprintf(dir, dirlen, "%s", line);
	else
		len = snprintf(dir, dirlen, "%.*s/%s", (int)(slash - file),
			       file, line);
	if (len >= dirlen) {
		snprintf(err, errlen, "%s: directory name too long", file);
		return -ENAMETOOLONG;
	}
	return 0;
}

/*
 * Read the identity @id->file names now into *@want (NULL: certs=).
 * 0, or -errno with @err set (the identity must stay).
 */
static int identity_read(struct spdm_identity *id, const struct stat *st,
			 struct spdm_cert_set **want, char *err,
			 size_t errlen)
{
	char dir[PATH_MAX], why[PATH_MAX + 128];
	int ret;

	*want = NULL;
	if (!st->st_size)
		return 0;
	ret = read_name(id->file, dir, sizeof(dir), err, errlen);
	if (ret || !*dir)
		return ret;
	*want = certs_load_fresh(dir, why, sizeof(why));
	if (!*want) {
		snprintf(err, errlen, "%s names %s: %s", id->file, dir, why);
		return -EINVAL;
	}
	return 0;
}

/* Serve @want (NULL: certs=) from now on, in the slots serving certs=. */
static void identity_apply(struct spdm_device *dev,
			   struct spdm_cert_set *want)
{
	struct spdm_identity *id = &dev->ident;
	struct spdm_cert_set *old = id->cur;
	unsigned int s;

	id->cur = want;
	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		if (id->slots & (1U << s))
			dev->slot[s] = spdm_identity_certs(dev);
	spdm_device_update_asym(dev);
	/* as NEGOTIATE_ALGORITHMS would have found them */
	if (dev->asym_sel || dev->pqc_sel)
		dev->provisioned = spdm_slots_for_asym(dev, dev->asym_sel,
						       dev->pqc_sel);
	certs_free(old);
	id->switches++;
}

static void log_switch(const struct spdm_device *dev)
{
	const struct spdm_identity *id = &dev->ident;
	const struct spdm_cert_set *cs = spdm_identity_certs(dev);

	log_msg("port %u: identity switched to %s%s (%s, %u certificates) in slots 0x%02x (switch %lu)",
		dev->port, cs->dir, id->cur ? "" : ", the certs= chain",
		cs->key.desc, cs->nr_certs, id->slots, id->switches);
}

/* @want (NULL: certs=) is what FILE names now: switch, or wait. */
static void identity_offer(struct spdm_device *dev,
			   struct spdm_cert_set *want)
{
	struct spdm_identity *id = &dev->ident;
	const struct spdm_cert_set *cs = want ?: id->certs;

	/* what FILE said before counts no more */
	if (id->next_set) {
		certs_free(id->next);
		id->next = NULL;
		id->next_set = false;
		if (certs_same(cs, spdm_identity_certs(dev)))
			log_msg("port %u: identity %s: %s again, the waiting switch is dropped",
				dev->port, id->file, cs->dir);
	}
	if (certs_same(cs, spdm_identity_certs(dev))) {
		certs_free(want);
		return;
	}
	if ((dev->asym_sel || dev->pqc_sel) &&
	    !spdm_key_can(&cs->key, dev->asym_sel, dev->pqc_sel)) {
		id->next = want;
		id->next_set = true;
		log_msg("port %u: identity %s: %s (%s) cannot sign with the negotiated %s; it is served from the next GET_VERSION",
			dev->port, id->file, cs->dir, cs->key.desc,
			spdm_sig_name(dev->asym_sel, dev->pqc_sel));
		return;
	}
	identity_apply(dev, want);
	log_switch(dev);
}

/*
 * Before a request that serves a chain or signs: re-read FILE if it
 * changed.  A FILE or directory that cannot be read is logged, and the
 * identity stays until FILE changes again.
 */
void spdm_identity_refresh(struct spdm_device *dev)
{
	struct spdm_identity *id = &dev->ident;
	const struct spdm_cert_set *now;
	struct spdm_cert_set *want;
	char err[2 * PATH_MAX + 256];
	struct stat st;

	if (!id->file)
		return;
	if (stat(id->file, &st)) {
		if (errno == ENOENT) {
			id->stat_errno = 0;
			id->stat_valid = false;
			if (!id->missing) {
				id->missing = true;
				identity_offer(dev, NULL);
			}
		} else if (errno != id->stat_errno) {
			id->stat_errno = errno;
			id->stat_valid = false;
			now = spdm_identity_certs(dev);
			log_msg("port %u: identity %s: %s; keeping %s",
				dev->port, id->file, strerror(errno),
				now->dir);
		}
		return;
	}
	id->stat_errno = 0;
	id->missing = false;
	if (stat_same(id, &st))
		return;
	stat_remember(id, &st);
	if (identity_read(id, &st, &want, err, sizeof(err))) {
		now = spdm_identity_certs(dev);
		log_msg("port %u: identity %s; keeping %s", dev->port, err,
			now->dir);
		return;
	}
	identity_offer(dev, want);
}

/* GET_VERSION, RequestResynch: nothing is negotiated now. */
void spdm_identity_conn_reset(struct spdm_device *dev)
{
	struct spdm_identity *id = &dev->ident;

	if (id->next_set) {
		id->next_set = false;
		identity_apply(dev, id->next);
		id->next = NULL;
		log_switch(dev);
	}
	spdm_identity_refresh(dev);
}

/*
 * Start-up: keep @file (NULL: no identity=) and serve what it names now.
 * Unlike later, a FILE naming a directory that cannot be loaded is an
 * error; a missing FILE is not.
 */
int spdm_identity_configure(struct spdm_device *dev, const char *file,
			    char *err, size_t errlen)
{
	struct spdm_identity *id = &dev->ident;
	char why[2 * PATH_MAX + 256];
	struct spdm_cert_set *want;
	struct stat st;
	int ret;

	if (!file)
		return 0;
	if (!id->certs) {
		snprintf(err, errlen,
			 "identity=%s needs certs= (the chain and key it replaces)",
			 file);
		return -EINVAL;
	}
	id->file = strdup(file);
	if (!id->file) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (stat(file, &st)) {
		if (errno == ENOENT) {
			id->missing = true;
			return 0;
		}
		snprintf(err, errlen, "identity %s: %s", file, strerror(errno));
		return -errno;
	}
	stat_remember(id, &st);
	ret = identity_read(id, &st, &want, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "identity %s", why);
		return ret;
	}
	if (want)
		identity_apply(dev, want);
	id->switches = 0;
	return 0;
}

void spdm_identity_release(struct spdm_device *dev)
{
	struct spdm_identity *id = &dev->ident;
	unsigned int s;

	for (s = 0; s < SPDM_MAX_SLOTS; s++)
		if (id->cur && dev->slot[s] == id->cur)
			dev->slot[s] = NULL;
	certs_free(id->cur);
	certs_free(id->next);
	free(id->file);
	memset(id, 0, sizeof(*id));
}

/* For the start-up log line. */
void spdm_identity_describe(const struct spdm_device *dev, char *buf,
			    size_t len)
{
	const struct spdm_identity *id = &dev->ident;
	const struct spdm_cert_set *cs = spdm_identity_certs(dev);

	if (!id->file) {
		snprintf(buf, len, "fixed");
		return;
	}
	snprintf(buf, len, "file %s (%s): %s%s (%s) in slots 0x%02x", id->file,
		 id->missing ? "missing" : id->cur ? "names a directory" :
		 "empty", cs->dir, id->cur ? "" : ", the certs= chain",
		 cs->key.desc, id->slots);
}
