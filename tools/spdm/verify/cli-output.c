// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify's output: the verdict, one line a check or as JSON, the
 * failures on stderr, the bundle saved with -o; and verifying a piece of
 * evidence with the options of the command line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "cli.h"

void cli_vwarn(const char *fmt, va_list ap)
{
	fputs("spdm-verify: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void __sv_printf(1, 2) cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vwarn(fmt, ap);
	va_end(ap);
}

/* ---- output -------------------------------------------------------------- */

static const char *exchange_label(uint32_t sig_type)
{
	switch (sig_type) {
	case SV_SIG_CHALLENGE:		return "CHALLENGE_AUTH";
	case SV_SIG_MEASUREMENTS:	return "MEASUREMENTS";
	case SV_SIG_KEY_EXCHANGE:	return "KEY_EXCHANGE_RSP";
	}
	return "unknown exchange";
}

static void print_header(const struct sv_evidence *ev)
{
	const struct sv_asym *a = sv_evidence_asym(ev);
	const struct sv_hash *h = sv_hash_by_bit(ev->hash);

	printf("%s:", SV_HAVE(ev, SV_F_DEV_NAME) ? ev->dev_name : "(no device)");
	if (SV_HAVE(ev, SV_F_SIG_TYPE))
		printf(" %s,", exchange_label(ev->sig_type));
	if (SV_HAVE(ev, SV_F_VERSION))
		printf(" SPDM %u.%u", ev->version >> 4, ev->version & 0xf);
	if (SV_HAVE(ev, SV_F_ASYM) || SV_HAVE(ev, SV_F_PQC_ASYM))
		printf(", %s", a ? a->label : "unknown signature algorithm");
	if (SV_HAVE(ev, SV_F_HASH))
		printf(", %s", h ? h->label : "unknown hash");
	if (SV_HAVE(ev, SV_F_SLOT))
		printf(", slot %u", ev->slot);
	if (SV_HAVE(ev, SV_F_PROVIDER))
		printf(", provider %s", sv_provider_name(ev->provider) ?:
		       "unknown");
	if (SV_HAVE(ev, SV_F_SESSION_ID))
		printf(", session 0x%08x", ev->session_id);
	if (*ev->log_entry)
		printf(", signature log entry %s", ev->log_entry);
	putchar('\n');
}

/* Every measurement block: index, what it measures, digest or raw, value */
static void print_blocks(const struct sv_evidence *ev,
			 const struct sv_verdict *v, const char *indent)
{
	const struct sv_block *b;
	unsigned int i;
	char *hex;

	printf("%s  measurements: %u block%s%s%s\n", indent, v->nr_blocks,
	       v->nr_blocks == 1 ? "" : "s",
	       v->meas_hash ? ", MeasurementHashAlgo " : "",
	       v->meas_hash ? v->meas_hash->label : "");
	for (i = 0; i < v->nr_blocks; i++) {
		b = &v->blocks[i];
		hex = malloc(2 * b->value_len + 1);
		if (!hex)
			return;
		sv_hex(ev->transcript.data + b->value, b->value_len, hex);
		if (b->dmtf)
			printf("%s    index %3u  %-19s %-6s %s\n", indent,
			       b->index, sv_meas_type_name(b->type),
			       b->type & SV_MEAS_RAW ? "raw" : "digest", hex);
		else
			printf("%s    index %3u  spec 0x%02x            %s\n",
			       indent, b->index, b->spec, hex);
		free(hex);
	}
}

/* Failed checks on stderr, session measurements' as meas-CHECK */
static void warn_failed(const struct sv_verdict *v, const char *prefix)
{
	int i;

	for (i = 0; i < SV_NR_CHECKS; i++)
		if (v->check[i].result == SV_FAIL)
			cli_warn("FAIL %s%s: %s", prefix, sv_check_name(i),
				 v->check[i].detail);
	if (v->meas)
		warn_failed(v->meas, "meas-");
}

static void print_checks(const struct sv_verdict *v, const char *indent)
{
	static const char *const tag[] = {
		[SV_NOT_RUN] = "----", [SV_PASS] = "PASS", [SV_FAIL] = "FAIL",
		[SV_SKIP] = "SKIP", [SV_VOUCHED] = "VOUCHED",
	};
	const struct sv_check *ch;
	int i;

	for (i = 0; i < SV_NR_CHECKS; i++) {
		ch = &v->check[sv_check_order[i]];
		if (ch->result != SV_NA)
			printf("%s  %s  %-16s %s\n", indent, tag[ch->result],
			       sv_check_name(sv_check_order[i]), ch->detail);
	}
}

static void print_kernel(const struct sv_evidence *ev, const char *indent)
{
	if (!SV_HAVE(ev, SV_F_SIG_VALID) && !SV_HAVE(ev, SV_F_ANCHORED))
		return;
	printf("%s  kernel:", indent);
	if (SV_HAVE(ev, SV_F_SIG_VALID))
		printf(" signature %s%s", ev->sig_valid ? "valid" : "invalid",
		       SV_HAVE(ev, SV_F_ANCHORED) ? "," : "");
	if (SV_HAVE(ev, SV_F_ANCHORED))
		printf(" chain %s", ev->anchored ? "anchored" : "not anchored");
	printf(" (reported, not relied upon)\n");
}

/* The measurements the kernel read in the session, checked as such */
static void print_session_meas(const struct opts *o,
			       const struct sv_evidence *ev,
			       const struct sv_verdict *v)
{
	struct sv_evidence m;

	if (!ev->session_meas) {
		if (!strcmp(o->cmd, "session"))
			printf("  session measurements: none (the device cannot sign measurements)\n");
		return;
	}
	printf("  measurements signed in the session (failures: meas-CHECK):\n");
	if (!v->meas)
		return;
	sv_session_meas_view(ev, &m);
	print_checks(v->meas, "  ");
	if (v->meas->have_blocks)
		print_blocks(&m, v->meas, "  ");
	print_kernel(&m, "  ");
}

/* The checks that failed or did not run, after "verdict: FAIL" */
static void print_failed(const struct sv_verdict *v, const char *prefix,
			 bool *first)
{
	int i, id;

	for (i = 0; i < SV_NR_CHECKS; i++) {
		id = sv_check_order[i];
		if (!sv_failed(v->check[id].result))
			continue;
		printf("%s%s%s", *first ? " (" : ", ", prefix,
		       sv_check_name(id));
		*first = false;
	}
	if (v->meas)
		print_failed(v->meas, "meas-", first);
}

void cli_print_verdict(const struct opts *o, const struct sv_evidence *ev,
		       const struct sv_verdict *v)
{
	struct sv_jw w;
	bool first = true;

	warn_failed(v, "");
	if (o->quiet)
		return;
	if (o->json) {
		sv_jw_init(&w, stdout, o->pretty);
		sv_bundle_write(&w, NULL, ev, v);
		sv_jw_end(&w);
		return;
	}
	print_header(ev);
	print_checks(v, "");
	if (v->have_blocks)
		print_blocks(ev, v, "");
	if (SV_HAVE(ev, SV_F_SIG_TYPE) && ev->sig_type == SV_SIG_KEY_EXCHANGE)
		print_session_meas(o, ev, v);
	print_kernel(ev, "");
	printf("verdict: %s", v->ok ? "PASS" : "FAIL");
	print_failed(v, "", &first);
	printf("%s\n", first ? "" : ")");
	fflush(stdout);
}

/*
 * A regular file is replaced atomically (a temporary file renamed over
 * it); anything else that exists (/dev/stdout, a pipe) is written to.
 */
int cli_save_bundle(const char *path, const struct sv_evidence *ev,
		    const struct sv_verdict *v, bool pretty)
{
	char tmp[PATH_MAX];
	bool bad, direct;
	struct sv_jw w;
	struct stat st;
	FILE *f;

	direct = !stat(path, &st) && !S_ISREG(st.st_mode);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >=
	    (int)sizeof(tmp)) {
		cli_warn("%s: name too long", path);
		return -1;
	}
	f = fopen(direct ? path : tmp, "w");
	if (!f) {
		cli_warn("%s: %s", direct ? path : tmp, strerror(errno));
		return -1;
	}
	sv_jw_init(&w, f, pretty);
	sv_bundle_write(&w, NULL, ev, v);
	sv_jw_end(&w);
	bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad || (!direct && rename(tmp, path))) {
		cli_warn("%s: %s", path, strerror(errno));
		if (!direct)
			unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- verifying ------------------------------------------------------------ */

void cli_verify_opts(const struct opts *o, struct sv_verify_opts *vo)
{
	memset(vo, 0, sizeof(*vo));
	vo->trust = &o->trust;
	vo->expect = o->have_expect ? &o->expect : NULL;
	vo->no_time_check = o->no_time_check;
	vo->no_san_check = o->no_san_check;
	vo->require_san = o->require_san;
	if (o->have_ids) {
		vo->dev_id = o->dev_id;
		vo->dev_serial = *o->dev_serial ? o->dev_serial : NULL;
	}
}

/*
 * Live evidence: the device's identity from sysfs, unless given.  A device
 * whose identity cannot be read (it went away) is a system error: the san
 * check cannot run, which says nothing about the evidence.
 */
int cli_live_identity(const struct opts *o, struct sv_evidence *ev)
{
	char id[SV_ID_MAX], sn[SV_SERIAL_LEN + 1], err[SV_ERR_MAX];

	if (o->have_ids) {
		memcpy(ev->dev_id, o->dev_id, sizeof(ev->dev_id));
		memcpy(ev->dev_serial, o->dev_serial, sizeof(ev->dev_serial));
	} else {
		if (o->no_san_check || !SV_HAVE(ev, SV_F_DEV_NAME))
			return EXIT_OK;
		if (sv_pci_identity(ev->dev_name, id, sizeof(id), sn,
				    sizeof(sn), err, sizeof(err))) {
			cli_warn("%s: no device identity: %s", ev->dev_name, err);
			return EXIT_SYSTEM;
		}
		memcpy(ev->dev_id, id, sizeof(id));
		memcpy(ev->dev_serial, sn, sizeof(sn));
	}
	ev->have |= 1U << SV_F_DEV_ID;
	if (*ev->dev_serial)
		ev->have |= 1U << SV_F_DEV_SERIAL;
	return EXIT_OK;
}

/* Save (-o) and print a verdict; the exit status it makes. */
static int report(const struct opts *o, const struct sv_evidence *ev,
		  const struct sv_verdict *v)
{
	/* saved first: a reader closing our stdout must not lose it */
	if (o->output && cli_save_bundle(o->output, ev, v, o->pretty)) {
		cli_print_verdict(o, ev, v);
		return EXIT_SYSTEM;
	}
	cli_print_verdict(o, ev, v);
	return v->ok ? EXIT_OK : EXIT_FAILED;
}

/*
 * @log: the evidence is from the signature log; @all_kinds: --expect
 * applies to any evidence (else only to measurements: watch, dump).
 */
int cli_verify_and_report(const struct opts *o, struct sv_evidence *ev,
			  const uint8_t *nonce, const char *expect_dev,
			  const struct sv_log *log, bool all_kinds)
{
	struct sv_verdict *v = malloc(sizeof(*v));
	struct sv_verify_opts vo;
	int rc;

	if (!v) {
		cli_warn("out of memory");
		return EXIT_SYSTEM;
	}
	cli_verify_opts(o, &vo);
	vo.nonce = nonce;
	vo.expect_dev = expect_dev;
	vo.log = log;
	if (!all_kinds && ev->sig_type != SV_SIG_MEASUREMENTS)
		vo.expect = NULL;
	sv_verify(ev, &vo, v);
	rc = report(o, ev, v);
	sv_verdict_free(v);
	free(v);
	return rc;
}

int cli_netlink_failure(const char *what, const struct sv_nlerr *e)
{
	if (e->kernel_errno == EPERM || e->kernel_errno == EACCES)
		cli_warn("%s: %s: this needs CAP_NET_ADMIN (run as root)", what,
			 e->msg);
	else
		cli_warn("%s: %s", what, e->msg);
	return EXIT_SYSTEM;
}

/* --between CMD (tests): run CMD at the point the command documents */
void cli_run_between(void *arg)
{
	const char *cmd = arg;

	fflush(stdout);
	if (system(cmd))
		cli_warn("--between command failed: %s", cmd);
}
