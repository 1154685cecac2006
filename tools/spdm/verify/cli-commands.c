// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify's commands but dump: challenge, measurements and session
 * (the device signs over our nonce), accept, verify-bundle, verify-log,
 * watch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>
#include <sys/stat.h>

#include <linux/spdm_netlink.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cli.h"

#define MAX_BUNDLE	(64U << 20)

atomic_bool cli_stop;

static const struct live_op live_ops[] = {
	{ "challenge", SPDM_CMD_CHALLENGE, NULL, NULL },
	{ "measurements", SPDM_CMD_MEASUREMENTS,
	  "the kernel's spdm family has no measurements operation (a kernel without measurement support)",
	  "the device does not support measurements (no MEAS_CAP), or cannot sign them" },
	{ "session", SPDM_CMD_KEY_EXCHANGE,
	  "the kernel's spdm family has no key-exchange operation (a kernel without secure sessions)",
	  "the device or its transport cannot open secure sessions (no KEY_EX_CAP, or no common DHE group, AEAD or key schedule)" },
};

const struct live_op *cli_live_op(const char *cmd)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(live_ops); i++)
		if (!strcmp(cmd, live_ops[i].name))
			return &live_ops[i];
	return NULL;
}

/* Why the kernel refused, as far as we can tell */
static int live_failure(struct sv_nl *nl, const struct live_op *op,
			const char *what, const struct sv_nlerr *e)
{
	int has;

	if (e->kernel_errno == EOPNOTSUPP && op->no_op) {
		has = sv_nl_has_op(nl, op->cmd);
		cli_warn("%s: %s: %s", what, e->msg,
			 has == 0 ? op->no_op : has == 1 ? op->no_device :
			 "the kernel or the device does not support it");
		return EXIT_SYSTEM;
	}
	if (e->kernel_errno == EKEYREJECTED) {
		cli_warn("%s: %s: the device has not proven its key (authenticate it, or challenge it with the slot, first)",
			 what, e->msg);
		return EXIT_SYSTEM;
	}
	return cli_netlink_failure(what, e);
}

/* Have the device sign over our nonce: the evidence, or the exit status */
static int live_evidence(struct opts *o, const struct live_op *op,
			 struct sv_evidence *ev)
{
	struct sv_nlerr e;
	struct sv_nl *nl;
	char what[128];
	int rc;

	if (!o->have_nonce && RAND_bytes(o->nonce, SV_NONCE_LEN) != 1) {
		cli_warn("no random bytes for the nonce");
		return EXIT_SYSTEM;
	}
	snprintf(what, sizeof(what), "%s %s", op->name, o->arg);
	nl = sv_nl_open(false, &e);
	if (!nl)
		return cli_netlink_failure(what, &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	rc = sv_nl_signed(nl, op->cmd, o->arg, o->nonce, o->slot,
			  op->cmd == SPDM_CMD_CHALLENGE && o->fresh ?
			  SPDM_FLAG_FRESH : 0, o->indices,
			  o->nr_indices, ev, &e);
	if (rc) {
		rc = live_failure(nl, op, what, &e);
		sv_nl_close(nl);
		return rc;
	}
	sv_nl_close(nl);
	memcpy(ev->nonce, o->nonce, SV_NONCE_LEN);
	ev->have |= 1U << SV_F_NONCE;
	if (op->cmd != SPDM_CMD_CHALLENGE) {
		memcpy(ev->meas_req, o->indices, o->nr_indices);
		ev->nr_meas_req = o->nr_indices;
		ev->have |= 1U << SV_F_MEAS_REQ;
	}
	rc = cli_live_identity(o, ev);
	if (rc)
		sv_evidence_free(ev);
	return rc;
}

/* challenge, measurements, session: ask, then verify the evidence */
int cli_cmd_live(struct opts *o, const struct live_op *op)
{
	struct sv_evidence ev;
	int rc;

	rc = live_evidence(o, op, &ev);
	if (rc)
		return rc;
	rc = cli_verify_and_report(o, &ev, o->nonce, o->arg, NULL, true);
	sv_evidence_free(&ev);
	return rc;
}

/* SHA-384 of the DER certificates of the chain @ev carries; 0 or -1 */
static int chain_digest(const struct sv_evidence *ev,
			uint8_t digest[SV_CHAIN_DIGEST_LEN])
{
	const struct sv_hash *h = sv_hash_by_bit(ev->hash);
	size_t skip;

	if (!h || !SV_HAVE(ev, SV_F_CHAIN))
		return -1;
	skip = SV_CHAIN_HDR_LEN + h->len;
	if (ev->chain.len <= skip)
		return -1;
	return EVP_Digest(ev->chain.data + skip, ev->chain.len - skip, digest,
			  NULL, EVP_sha384(), NULL) == 1 ? 0 : -1;
}

/*
 * accept: challenge with the whole flow (every chain read again), verify
 * the evidence, and only if every check passed have the kernel accept the
 * chain the device signed with, named by its digest: a device that
 * changed again in the meantime is not accepted.
 */
int cli_cmd_accept(struct opts *o)
{
	uint8_t digest[SV_CHAIN_DIGEST_LEN];
	char hex[2 * SV_CHAIN_DIGEST_LEN + 1];
	struct sv_evidence ev;
	struct sv_nlerr e;
	struct sv_nl *nl;
	char what[128];
	int rc;

	o->fresh = true;
	rc = live_evidence(o, cli_live_op("challenge"), &ev);
	if (rc)
		return rc;
	rc = cli_verify_and_report(o, &ev, o->nonce, o->arg, NULL, true);
	if (!rc && chain_digest(&ev, digest)) {
		cli_warn("accept %s: no certificate chain in the evidence",
			 o->arg);
		rc = EXIT_FAILED;
	}
	sv_evidence_free(&ev);
	if (rc) {
		cli_warn("accept %s: not accepted: the evidence did not verify",
			 o->arg);
		return rc;
	}
	if (o->between)
		cli_run_between((void *)o->between);

	snprintf(what, sizeof(what), "accept %s", o->arg);
	nl = sv_nl_open(false, &e);
	if (!nl)
		return cli_netlink_failure(what, &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	rc = sv_nl_accept(nl, o->arg, digest, &e);
	sv_nl_close(nl);
	if (rc && e.kernel_errno == ESTALE) {
		cli_warn("%s: %s: the device presents another chain than the one verified",
			 what, e.msg);
		return EXIT_FAILED;
	}
	if (rc)
		return cli_netlink_failure(what, &e);
	sv_hex(digest, sizeof(digest), hex);
	if (!o->quiet && !o->json)
		printf("accepted: %s, chain SHA-384 %s\n", o->arg, hex);
	return EXIT_OK;
}

/**
 * cli_read_all() - a whole file ("-": stdin) of at most 64 MiB
 * @path: the file
 * @len: returns its size
 *
 * Return: its bytes, NUL-terminated, to be freed; or %NULL with errno set.
 */
char *cli_read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 0, n = 0, got;
	char *buf = NULL, *p;

	if (!f)
		return NULL;
	do {
		if (n + 1 >= cap) {
			if (cap >= MAX_BUNDLE) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? 2 * cap : 65536;
			p = realloc(buf, cap);
			if (!p) {
				errno = ENOMEM;
				goto fail;
			}
			buf = p;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		errno = EIO;
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	if (f != stdin)
		fclose(f);
	free(buf);
	return NULL;
}

int cli_cmd_verify_bundle(struct opts *o)
{
	struct sv_evidence ev;
	char err[SV_ERR_MAX];
	size_t len;
	char *text;
	int rc;

	text = cli_read_all(o->arg, &len);
	if (!text) {
		cli_warn("%s: %s", o->arg, strerror(errno));
		return EXIT_SYSTEM;
	}
	rc = sv_bundle_read(text, len, &ev, err, sizeof(err));
	free(text);
	if (rc) {
		cli_warn("FAIL evidence: %s: %s", o->arg, err);
		return EXIT_FAILED;
	}
	rc = cli_verify_and_report(o, &ev, o->have_nonce ? o->nonce : NULL, NULL,
				   NULL, true);
	sv_evidence_free(&ev);
	return rc;
}

/* One entry of a signature log: 0, 1 (a check failed) or 3 */
static int verify_log_entry(struct opts *o, const char *dir)
{
	struct sv_evidence ev;
	struct sv_log log;
	char err[SV_ERR_MAX];
	int rc;

	rc = sv_log_read(dir, &ev, &log, err, sizeof(err));
	if (rc == -1) {
		cli_warn("%s", err);
		return EXIT_SYSTEM;
	}
	if (rc) {
		cli_warn("FAIL evidence: %s: %s", dir, err);
		return EXIT_FAILED;
	}
	rc = cli_live_identity(o, &ev);
	if (!rc)
		rc = cli_verify_and_report(o, &ev,
					   o->have_nonce ? o->nonce : NULL,
					   NULL, &log, true);
	sv_evidence_free(&ev);
	sv_log_free(&log);
	return rc;
}

static int by_number(const struct dirent **a, const struct dirent **b)
{
	unsigned long long x = strtoull((*a)->d_name, NULL, 10);
	unsigned long long y = strtoull((*b)->d_name, NULL, 10);

	return x < y ? -1 : x > y;
}

static int entry_name(const struct dirent *d)
{
	return d->d_name[0] >= '0' && d->d_name[0] <= '9' &&
	       strspn(d->d_name, "0123456789") == strlen(d->d_name);
}

/*
 * DIR is an entry (it has a transcript), a "signatures" directory or a
 * device directory with one: then every entry, oldest first.
 */
int cli_cmd_verify_log(struct opts *o)
{
	char dir[PATH_MAX + 16], path[2 * PATH_MAX + 32];
	struct dirent **names;
	struct stat st;
	int n, i, rc = EXIT_OK, one;

	snprintf(path, sizeof(path), "%s/transcript", o->arg);
	if (!stat(path, &st))
		return verify_log_entry(o, o->arg);
	if (strlen(o->arg) >= PATH_MAX) {
		cli_warn("%s: %s", o->arg, strerror(ENAMETOOLONG));
		return EXIT_SYSTEM;
	}
	snprintf(dir, sizeof(dir), "%s/signatures", o->arg);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		snprintf(dir, sizeof(dir), "%s", o->arg);
	n = scandir(dir, &names, entry_name, by_number);
	if (n < 0) {
		cli_warn("%s: %s", o->arg, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (!n) {
		free(names);
		cli_warn("%s: no signature log entry (no transcript, no numbered entries)",
			 o->arg);
		return EXIT_SYSTEM;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		one = verify_log_entry(o, path);
		if (one == EXIT_SYSTEM || (one && rc == EXIT_OK))
			rc = one;
		free(names[i]);
	}
	free(names);
	return rc;
}

struct watch_state {
	struct opts *o;
	long events;
	bool failed;
	int rc;
};

static int on_event(struct sv_evidence *ev, void *arg)
{
	struct watch_state *ws = arg;
	struct opts *o = ws->o;

	if (o->arg && (!SV_HAVE(ev, SV_F_DEV_NAME) ||
		       strcmp(ev->dev_name, o->arg)))
		return 0;
	if (o->count && ws->events >= o->count)
		return 0;
	ws->events++;
	if (cli_live_identity(o, ev)) {
		ws->rc = EXIT_SYSTEM;
		return 0;
	}
	switch (cli_verify_and_report(o, ev, NULL, NULL, NULL, false)) {
	case EXIT_OK:
		break;
	case EXIT_FAILED:
		ws->failed = true;
		break;
	default:
		ws->rc = EXIT_SYSTEM;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

int cli_cmd_watch(struct opts *o)
{
	struct watch_state ws = { .o = o };
	long long end = o->timeout >= 0 ? now_ms() + o->timeout * 1000 : 0;
	struct sv_nlerr e;
	struct sv_nl *nl;
	int wait;

	nl = sv_nl_open(true, &e);
	if (!nl)
		return cli_netlink_failure("watch", &e);
	if (!o->quiet && !o->json) {
		printf("watching for SPDM signatures%s%s\n",
		       o->arg ? " of " : "", o->arg ?: "");
		fflush(stdout);
	}
	while (!cli_stop && !ws.rc && (!o->count || ws.events < o->count)) {
		wait = -1;
		if (o->timeout >= 0) {
			if (now_ms() >= end)
				break;
			wait = end - now_ms();
		}
		if (sv_nl_watch(nl, wait, on_event, &ws, &e) < 0) {
			sv_nl_close(nl);
			return cli_netlink_failure("watch", &e);
		}
	}
	sv_nl_close(nl);
	if (ws.rc)
		return ws.rc;
	if (ws.failed)
		return EXIT_FAILED;
	if (o->count && ws.events < o->count) {
		cli_warn("watch: %ld of %ld events before %s", ws.events, o->count,
			 cli_stop ? "the signal" : "the timeout");
		return EXIT_TIMEOUT;
	}
	return EXIT_OK;
}
