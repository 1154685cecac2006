// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-verify: a verifier for the SPDM evidence the kernel exports over
 * the "spdm" generic netlink family and in the sysfs signature log.  It
 * sends a nonce of its own (CHALLENGE, GET_MEASUREMENTS, KEY_EXCHANGE's
 * RandomData), gets back the
 * transcript, signature, nonce offsets, combined prefix, algorithms and
 * certificate chain, and re-checks all of it without trusting the kernel,
 * measurement blocks included; the evidence can be saved as a JSON bundle
 * and verified again offline.  See --help and checks.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <sys/stat.h>

#include <linux/spdm_netlink.h>
#include <openssl/rand.h>

#include "verify.h"

#define VERSION_STRING	"1.0"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1,		/* a check failed */
	EXIT_USAGE = 2,
	EXIT_SYSTEM = 3,		/* netlink, files, memory */
	EXIT_TIMEOUT = 4,		/* watch: fewer events than --count */
};

#define MAX_BUNDLE	(64U << 20)

static const char usage_text[] =
"Usage: spdm-verify [OPTIONS] COMMAND [ARGS]\n"
"\n"
"Re-check the evidence of SPDM device authentication that the kernel\n"
"exports (generic netlink family \"spdm\", sysfs signature log) without\n"
"trusting the kernel: the nonce, the transcript, the signature, the\n"
"certificate chain against trust anchors of your own, the device\n"
"identity in the leaf, measurement blocks, and the signed half of a\n"
"secure session.\n"
"\n"
"Commands:\n"
"  challenge DEVICE     challenge DEVICE (e.g. 0000:00:08.0) with a fresh\n"
"                       nonce and verify the signed evidence (needs\n"
"                       CAP_NET_ADMIN)\n"
"  measurements DEVICE  have DEVICE sign its measurements over a fresh\n"
"                       nonce, verify the evidence and show every block\n"
"                       (needs CAP_NET_ADMIN; the device must have been\n"
"                       authenticated)\n"
"  session DEVICE       open a secure session with DEVICE (KEY_EXCHANGE with\n"
"                       a fresh nonce as RandomData, FINISH), verify the\n"
"                       signature over TH1 and the measurements the kernel\n"
"                       read inside the session; what needs the session's\n"
"                       secrets is VOUCHED by the kernel (needs\n"
"                       CAP_NET_ADMIN; the device must have been\n"
"                       authenticated)\n"
"  verify-bundle FILE   verify a saved evidence bundle (FILE - : stdin)\n"
"  verify-log DIR       verify an entry of a device's sysfs signature log\n"
"                       (DIR: .../signatures/N), or every entry of DIR\n"
"                       (.../signatures, or the device's directory); the\n"
"                       algorithms and nonce offsets are derived from the\n"
"                       signed transcript, signature_valid is only shown\n"
"  watch [DEVICE]       verify each signature the kernel announces (group\n"
"                       \"sig\") as it arrives; without a nonce of ours\n"
"                       the nonce check is skipped\n"
"  dump DEVICE          show the evidence the kernel holds (evidence-read)\n"
"  help                 show this help\n"
"\n"
"Options:\n"
"  -t, --trust FILE|DIR  trust anchors: PEM or DER root certificates, or a\n"
"                        directory of *.pem *.crt *.cer *.der; may repeat.\n"
"                        Never the kernel's keyring.  Without anchors the\n"
"                        trust check fails.\n"
"  -n, --nonce HEX       64 hex digits.  challenge, measurements, session:\n"
"                        send this nonce instead of a random one;\n"
"                        verify-bundle: require it (else the bundle's nonce\n"
"                        is used); verify-log: require it (else the nonce\n"
"                        check is skipped); dump: challenge with it first\n"
"                        (needs CAP_NET_ADMIN)\n"
"  -s, --slot N          challenge, measurements, session: certificate slot\n"
"                        0-7\n"
"  -i, --index N         measurements, session: read measurement index N\n"
"                        (1-254); may repeat (default: all measurements)\n"
"  -e, --expect FILE     the measurements must have these values: one line\n"
"                        per index, \"INDEX HEX\" (HEX: the digest or raw\n"
"                        value), '#' starts a comment; each index that is\n"
"                        missing or differs fails the expect check\n"
"      --no-time-check   ignore certificate validity periods\n"
"      --no-san-check    do not compare the leaf's CMA subjectAltName with\n"
"                        the device\n"
"      --require-san     fail if the leaf has no CMA subjectAltName\n"
"      --device-ids ID   identity to compare the subjectAltName with:\n"
"                        Vendor=%04x:Device=%04x:CC=%06x:REV=%02x\n"
"                        [:SSVID=%04x:SSID=%04x][:SERIAL] (default: sysfs\n"
"                        for live evidence and log entries in sysfs, the\n"
"                        bundle's offline)\n"
"  -j, --json            print the evidence bundle and verdict as JSON\n"
"                        (watch, verify-log of several entries: one object\n"
"                        per line)\n"
"  -p, --pretty          indent the JSON\n"
"  -o, --output FILE     save the evidence bundle in FILE as well (watch,\n"
"                        verify-log: the last one's)\n"
"      --offline FILE    verify a saved bundle (as verify-bundle FILE)\n"
"  -c, --count N         watch: stop after N events\n"
"      --timeout SEC     watch: stop after SEC seconds; challenge,\n"
"                        measurements, session, dump: give up after SEC\n"
"                        seconds without a reply\n"
"      --type LIST       dump: cert-chain,vca,challenge,measurements,\n"
"                        key-exchange (default: all)\n"
"      --verify          dump: verify the signed evidence as well\n"
"  -q, --quiet           print nothing but failures (on stderr)\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version\n"
"\n"
"Checks (each PASS, FAIL, SKIP, NOT-RUN or VOUCHED; those of another kind\n"
"of evidence are not shown):\n"
"  evidence         every attribute there, version and algorithms supported\n"
"  log              verify-log: the entry's files agree with the transcript\n"
"                   (nonce files, type); the algorithms and offsets are\n"
"                   derived by walking it message by message\n"
"  nonce            our nonce is the nonce of the transcript's CHALLENGE\n"
"                   (measurements: of the signed GET_MEASUREMENTS; session:\n"
"                   KEY_EXCHANGE's RandomData, where the walk of TH1 has it)\n"
"  transcript       CHALLENGE then CHALLENGE_AUTH end the transcript, their\n"
"                   fields add up, rsp-nonce-offset is right; measurements:\n"
"                   it parses exactly as L1/L2 (VCA from 1.2, then\n"
"                   GET_MEASUREMENTS/MEASUREMENTS pairs, only the last\n"
"                   signed, for our slot, what we asked for); session: TH1\n"
"                   is exactly VCA || Hash(CertChain) || KEY_EXCHANGE ||\n"
"                   KEY_EXCHANGE_RSP up to its signature\n"
"  algorithms       the signed VCA negotiated the version and algorithms\n"
"                   the kernel states (SKIP for 1.0/1.1 measurements: no VCA)\n"
"  prefix           SPDM 1.2+: the combined prefix is DSP0274's (rebuilt\n"
"                   here and used for the signature either way)\n"
"  signature        verifies with the leaf key: over Hash(transcript) in\n"
"                   1.0/1.1, over prefix || Hash(transcript) in 1.2+\n"
"  cert-chain-hash  CHALLENGE_AUTH's CertChainHash (session: TH1's\n"
"                   Hash(CertChain)) is the chain's hash (SKIP for\n"
"                   measurements: MEASUREMENTS carries none)\n"
"  chain            length, RootHash, each certificate signed by the one\n"
"                   before\n"
"  trust            the chain validates up to one of our trust anchors\n"
"  san              the leaf's PCIe CMA otherName names the device\n"
"  measurements     every block: DMTF format, sizes add up to the record,\n"
"                   NumberOfBlocks right, indices unique and as asked,\n"
"                   digests of MeasurementHashAlgo's size\n"
"  expect           --expect: every listed index is there with its value\n"
"  session-id       session: the kernel's session-id is RspSessionID << 16 |\n"
"                   ReqSessionID of TH1 (ReqSessionID first on the wire)\n"
"The kernel's own verdicts (sig-valid, chain-anchored, signature_valid) are\n"
"shown, never used.  Of a session, what needs its secrets is VOUCHED: the\n"
"kernel's word is shown, and a check fails if the kernel says no:\n"
"  dhe-secret       the ECDH secret (needs the kernel's private key)\n"
"  rsp-verify-data  ResponderVerifyData, an HMAC keyed from that secret\n"
"  finish           FINISH/FINISH_RSP: the session is established\n"
"  in-session       the measurements were read inside the session; they\n"
"                   are verified below it (failures: meas-CHECK)\n"
"\n"
"Exit status: 0 every check passed, was skipped or vouched for, 1 a check\n"
"failed (each failed check is named on stderr), 2 usage error, 3 system\n"
"or netlink error (e.g. the kernel or device does not support the\n"
"operation), 4 watch: fewer than --count events before --timeout.\n"
"\n"
"Environment: SPDM_VERIFY_SYSFS replaces /sys/bus/pci/devices.\n"
"\n"
"Examples:\n"
"  spdm-verify challenge 0000:00:08.0 --trust root.pem\n"
"  spdm-verify challenge 0000:00:08.0 -t roots/ --json -o evidence.json\n"
"  spdm-verify verify-bundle evidence.json -t roots/ --nonce HEX\n"
"  spdm-verify measurements 0000:00:08.0 -t roots/ --expect golden.txt\n"
"  spdm-verify measurements 0000:00:08.0 -t roots/ -i 1 -i 2 --json\n"
"  spdm-verify session 0000:00:08.0 -t roots/ --expect golden.txt\n"
"  spdm-verify verify-log /sys/bus/pci/devices/0000:00:08.0/signatures/0 -t roots/\n"
"  spdm-verify watch --count 1 --timeout 30 -t roots/\n"
"  spdm-verify dump 0000:00:08.0 --verify -t roots/\n";

struct opts {
	const char *cmd;
	const char *arg;		/* DEVICE or FILE */
	bool have_nonce;
	uint8_t nonce[SV_NONCE_LEN];
	int slot;
	struct sv_trust trust;
	bool no_time_check, no_san_check, require_san;
	bool have_ids;
	char dev_id[SV_ID_MAX], dev_serial[SV_SERIAL_LEN + 1];
	bool json, pretty, quiet, verify;
	const char *output;
	long count;
	long timeout;			/* seconds, -1: none */
	uint32_t type_mask;
	uint8_t indices[SV_MAX_MEAS_REQ];	/* --index */
	unsigned int nr_indices;
	bool have_expect;
	struct sv_expect expect;
};

static atomic_bool stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = true;
}

static void __sv_printf(1, 2) warn(const char *fmt, ...)
{
	va_list ap;

	fputs("spdm-verify: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int __sv_printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("spdm-verify: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'spdm-verify --help'.\n", stderr);
	return EXIT_USAGE;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end || *out < min || *out > max ? -1 : 0;
}

static int parse_types(const char *s, uint32_t *mask)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int rc = 0;

	if (!copy)
		return -1;
	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "cert-chain"))
			*mask |= SV_OBJ_CERT_CHAIN;
		else if (!strcmp(tok, "vca"))
			*mask |= SV_OBJ_VCA;
		else if (!strcmp(tok, "challenge"))
			*mask |= SV_OBJ_CHALLENGE;
		else if (!strcmp(tok, "measurements"))
			*mask |= SV_OBJ_MEASUREMENTS;
		else if (!strcmp(tok, "key-exchange"))
			*mask |= SV_OBJ_KEY_EXCHANGE;
		else
			rc = -1;
	}
	free(copy);
	return rc || !*mask ? -1 : 0;
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
	const struct sv_asym *a = sv_asym_by_bit(ev->asym);
	const struct sv_hash *h = sv_hash_by_bit(ev->hash);

	printf("%s:", SV_HAVE(ev, SV_F_DEV_NAME) ? ev->dev_name : "(no device)");
	if (SV_HAVE(ev, SV_F_SIG_TYPE))
		printf(" %s,", exchange_label(ev->sig_type));
	if (SV_HAVE(ev, SV_F_VERSION))
		printf(" SPDM %u.%u", ev->version >> 4, ev->version & 0xf);
	if (SV_HAVE(ev, SV_F_ASYM))
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
			warn("FAIL %s%s: %s", prefix, sv_check_name(i),
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

static void print_verdict(const struct opts *o, const struct sv_evidence *ev,
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
static int save_bundle(const char *path, const struct sv_evidence *ev,
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
		warn("%s: name too long", path);
		return -1;
	}
	f = fopen(direct ? path : tmp, "w");
	if (!f) {
		warn("%s: %s", direct ? path : tmp, strerror(errno));
		return -1;
	}
	sv_jw_init(&w, f, pretty);
	sv_bundle_write(&w, NULL, ev, v);
	sv_jw_end(&w);
	bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad || (!direct && rename(tmp, path))) {
		warn("%s: %s", path, strerror(errno));
		if (!direct)
			unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- verifying ------------------------------------------------------------ */

static void verify_opts(const struct opts *o, struct sv_verify_opts *vo)
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

/* Live evidence: the device's identity from sysfs, unless given. */
static void live_identity(const struct opts *o, struct sv_evidence *ev)
{
	char id[SV_ID_MAX], sn[SV_SERIAL_LEN + 1], err[SV_ERR_MAX];

	if (o->have_ids) {
		memcpy(ev->dev_id, o->dev_id, sizeof(ev->dev_id));
		memcpy(ev->dev_serial, o->dev_serial, sizeof(ev->dev_serial));
	} else {
		if (o->no_san_check || !SV_HAVE(ev, SV_F_DEV_NAME))
			return;
		if (sv_pci_identity(ev->dev_name, id, sizeof(id), sn,
				    sizeof(sn), err, sizeof(err))) {
			warn("%s: no device identity: %s", ev->dev_name, err);
			return;
		}
		memcpy(ev->dev_id, id, sizeof(id));
		memcpy(ev->dev_serial, sn, sizeof(sn));
	}
	ev->have |= 1U << SV_F_DEV_ID;
	if (*ev->dev_serial)
		ev->have |= 1U << SV_F_DEV_SERIAL;
}

/* Save (-o) and print a verdict; the exit status it makes. */
static int report(const struct opts *o, const struct sv_evidence *ev,
		  const struct sv_verdict *v)
{
	/* saved first: a reader closing our stdout must not lose it */
	if (o->output && save_bundle(o->output, ev, v, o->pretty)) {
		print_verdict(o, ev, v);
		return EXIT_SYSTEM;
	}
	print_verdict(o, ev, v);
	return v->ok ? EXIT_OK : EXIT_FAILED;
}

/*
 * @log: the evidence is from the signature log; @all_kinds: --expect
 * applies to any evidence (else only to measurements: watch, dump).
 */
static int verify_and_report(const struct opts *o, struct sv_evidence *ev,
			     const uint8_t *nonce, const char *expect_dev,
			     const struct sv_log *log, bool all_kinds)
{
	struct sv_verdict *v = malloc(sizeof(*v));
	struct sv_verify_opts vo;
	int rc;

	if (!v) {
		warn("out of memory");
		return EXIT_SYSTEM;
	}
	verify_opts(o, &vo);
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

static int netlink_failure(const char *what, const struct sv_nlerr *e)
{
	if (e->kernel_errno == EPERM || e->kernel_errno == EACCES)
		warn("%s: %s: this needs CAP_NET_ADMIN (run as root)", what,
		     e->msg);
	else
		warn("%s: %s", what, e->msg);
	return EXIT_SYSTEM;
}

/* ---- commands ---------------------------------------------------------------- */

/* An operation that has the device sign over a fresh nonce of ours */
struct live_op {
	const char *name;		/* the command */
	uint8_t cmd;			/* SPDM_CMD_* */
	/* EOPNOTSUPP: the kernel lacks the operation, or the device */
	const char *no_op, *no_device;
};

static const struct live_op live_ops[] = {
	{ "challenge", SPDM_CMD_CHALLENGE, NULL, NULL },
	{ "measurements", SPDM_CMD_MEASUREMENTS,
	  "the kernel's spdm family has no measurements operation (a kernel without measurement support)",
	  "the device does not support measurements (no MEAS_CAP), or cannot sign them" },
	{ "session", SPDM_CMD_KEY_EXCHANGE,
	  "the kernel's spdm family has no key-exchange operation (a kernel without secure sessions)",
	  "the device or its transport cannot open secure sessions (no KEY_EX_CAP, or no common DHE group, AEAD or key schedule)" },
};

/* Why the kernel refused, as far as we can tell */
static int live_failure(struct sv_nl *nl, const struct live_op *op,
			const char *what, const struct sv_nlerr *e)
{
	int has;

	if (e->kernel_errno == EOPNOTSUPP && op->no_op) {
		has = sv_nl_has_op(nl, op->cmd);
		warn("%s: %s: %s", what, e->msg,
		     has == 0 ? op->no_op : has == 1 ? op->no_device :
		     "the kernel or the device does not support it");
		return EXIT_SYSTEM;
	}
	if (e->kernel_errno == EKEYREJECTED) {
		warn("%s: %s: the device has not proven its key (authenticate it, or challenge it with the slot, first)",
		     what, e->msg);
		return EXIT_SYSTEM;
	}
	return netlink_failure(what, e);
}

/* challenge, measurements, session: ask, then verify the evidence */
static int cmd_live(struct opts *o, const struct live_op *op)
{
	struct sv_evidence ev;
	struct sv_nlerr e;
	struct sv_nl *nl;
	char what[128];
	int rc;

	if (!o->have_nonce && RAND_bytes(o->nonce, SV_NONCE_LEN) != 1) {
		warn("no random bytes for the nonce");
		return EXIT_SYSTEM;
	}
	snprintf(what, sizeof(what), "%s %s", op->name, o->arg);
	nl = sv_nl_open(false, &e);
	if (!nl)
		return netlink_failure(what, &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	rc = sv_nl_signed(nl, op->cmd, o->arg, o->nonce, o->slot, o->indices,
			  o->nr_indices, &ev, &e);
	if (rc) {
		rc = live_failure(nl, op, what, &e);
		sv_nl_close(nl);
		return rc;
	}
	sv_nl_close(nl);
	memcpy(ev.nonce, o->nonce, SV_NONCE_LEN);
	ev.have |= 1U << SV_F_NONCE;
	if (op->cmd != SPDM_CMD_CHALLENGE) {
		memcpy(ev.meas_req, o->indices, o->nr_indices);
		ev.nr_meas_req = o->nr_indices;
		ev.have |= 1U << SV_F_MEAS_REQ;
	}
	live_identity(o, &ev);
	rc = verify_and_report(o, &ev, o->nonce, o->arg, NULL, true);
	sv_evidence_free(&ev);
	return rc;
}

/* A whole file ("-": stdin) of at most MAX_BUNDLE bytes, NUL-terminated. */
static char *read_all(const char *path, size_t *len)
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

static int cmd_verify_bundle(struct opts *o)
{
	struct sv_evidence ev;
	char err[SV_ERR_MAX];
	size_t len;
	char *text;
	int rc;

	text = read_all(o->arg, &len);
	if (!text) {
		warn("%s: %s", o->arg, strerror(errno));
		return EXIT_SYSTEM;
	}
	rc = sv_bundle_read(text, len, &ev, err, sizeof(err));
	free(text);
	if (rc) {
		warn("FAIL evidence: %s: %s", o->arg, err);
		return EXIT_FAILED;
	}
	rc = verify_and_report(o, &ev, o->have_nonce ? o->nonce : NULL, NULL,
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
		warn("%s", err);
		return EXIT_SYSTEM;
	}
	if (rc) {
		warn("FAIL evidence: %s: %s", dir, err);
		return EXIT_FAILED;
	}
	live_identity(o, &ev);
	rc = verify_and_report(o, &ev, o->have_nonce ? o->nonce : NULL, NULL,
			       &log, true);
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
static int cmd_verify_log(struct opts *o)
{
	char dir[PATH_MAX + 16], path[2 * PATH_MAX + 32];
	struct dirent **names;
	struct stat st;
	int n, i, rc = EXIT_OK, one;

	snprintf(path, sizeof(path), "%s/transcript", o->arg);
	if (!stat(path, &st))
		return verify_log_entry(o, o->arg);
	if (strlen(o->arg) >= PATH_MAX) {
		warn("%s: %s", o->arg, strerror(ENAMETOOLONG));
		return EXIT_SYSTEM;
	}
	snprintf(dir, sizeof(dir), "%s/signatures", o->arg);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		snprintf(dir, sizeof(dir), "%s", o->arg);
	n = scandir(dir, &names, entry_name, by_number);
	if (n < 0) {
		warn("%s: %s", o->arg, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (!n) {
		free(names);
		warn("%s: no signature log entry (no transcript, no numbered entries)",
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
	live_identity(o, ev);
	switch (verify_and_report(o, ev, NULL, NULL, NULL, false)) {
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

static int cmd_watch(struct opts *o)
{
	struct watch_state ws = { .o = o };
	long long end = o->timeout >= 0 ? now_ms() + o->timeout * 1000 : 0;
	struct sv_nlerr e;
	struct sv_nl *nl;
	int wait;

	nl = sv_nl_open(true, &e);
	if (!nl)
		return netlink_failure("watch", &e);
	if (!o->quiet && !o->json) {
		printf("watching for SPDM signatures%s%s\n",
		       o->arg ? " of " : "", o->arg ?: "");
		fflush(stdout);
	}
	while (!stop && !ws.rc && (!o->count || ws.events < o->count)) {
		wait = -1;
		if (o->timeout >= 0) {
			if (now_ms() >= end)
				break;
			wait = end - now_ms();
		}
		if (sv_nl_watch(nl, wait, on_event, &ws, &e) < 0) {
			sv_nl_close(nl);
			return netlink_failure("watch", &e);
		}
	}
	sv_nl_close(nl);
	if (ws.rc)
		return ws.rc;
	if (ws.failed)
		return EXIT_FAILED;
	if (o->count && ws.events < o->count) {
		warn("watch: %ld of %ld events before %s", ws.events, o->count,
		     stop ? "the signal" : "the timeout");
		return EXIT_TIMEOUT;
	}
	return EXIT_OK;
}

struct dump_state {
	struct sv_evidence *objs;
	size_t n;
};

#define SIGNED_OBJECTS	(SV_OBJ_CHALLENGE | SV_OBJ_MEASUREMENTS | \
			 SV_OBJ_KEY_EXCHANGE)

static int on_object(struct sv_evidence *ev, void *arg)
{
	struct dump_state *ds = arg;
	struct sv_evidence *p;

	p = realloc(ds->objs, (ds->n + 1) * sizeof(*p));
	if (!p)
		return -1;
	ds->objs = p;
	ds->objs[ds->n++] = *ev;
	memset(ev, 0, sizeof(*ev));
	return 0;
}

static bool signed_object(const struct sv_evidence *ev)
{
	return ev->object == SV_OBJ_CHALLENGE ||
	       ev->object == SV_OBJ_MEASUREMENTS ||
	       ev->object == SV_OBJ_KEY_EXCHANGE;
}

static void dump_json(const struct opts *o, const struct dump_state *ds,
		      struct sv_verdict *const *v)
{
	const struct sv_evidence *ev;
	const struct sv_buf *b;
	struct sv_jw w;
	size_t i;

	sv_jw_init(&w, stdout, o->pretty);
	sv_jw_obj(&w, NULL);
	sv_jw_str(&w, "device", o->arg);
	sv_jw_arr(&w, "objects");
	for (i = 0; i < ds->n; i++) {
		ev = &ds->objs[i];
		sv_jw_obj(&w, NULL);
		sv_jw_str(&w, "object", sv_object_name(ev->object) ?: "unknown");
		if (signed_object(ev)) {
			sv_bundle_write(&w, "bundle", ev, v[i]);
		} else if (ev->object == SV_OBJ_CERT_CHAIN ||
			   ev->object == SV_OBJ_VCA) {
			b = ev->object == SV_OBJ_CERT_CHAIN ? &ev->chain :
			    &ev->vca;
			if (SV_HAVE(ev, SV_F_SLOT))
				sv_jw_int(&w, "slot", ev->slot);
			sv_jw_int(&w, "size", b->len);
			sv_jw_b64(&w, "data", b->data, b->len);
		}
		sv_jw_obj_end(&w);
	}
	sv_jw_arr_end(&w);
	sv_jw_obj_end(&w);
	sv_jw_end(&w);
}

/* A key exchange's session ID and the kernel's verdicts on it */
static void dump_session(const struct sv_evidence *ev)
{
	if (ev->object != SV_OBJ_KEY_EXCHANGE) {
		putchar('\n');
		return;
	}
	printf(", ResponderVerifyData %s, FINISH %s; session 0x%08x\n",
	       !SV_HAVE(ev, SV_F_RSP_VERIFY) ? "not reported" :
	       ev->rsp_verify_valid ? "valid" : "invalid",
	       !SV_HAVE(ev, SV_F_FINISH) ? "not reported" :
	       ev->finish_valid ? "valid" : "failed", ev->session_id);
}

static void dump_human(const struct opts *o, const struct dump_state *ds,
		       size_t hash_len)
{
	const struct sv_evidence *ev;
	const struct sv_hash *h;
	const struct sv_asym *a;
	char leaf[256];
	size_t i;
	int n;

	printf("%s: %zu evidence object%s\n", o->arg, ds->n,
	       ds->n == 1 ? "" : "s");
	for (i = 0; i < ds->n; i++) {
		ev = &ds->objs[i];
		switch (ev->object) {
		case SV_OBJ_CERT_CHAIN:
			sv_chain_info(&ev->chain, hash_len, &n, leaf,
				      sizeof(leaf));
			printf("  cert-chain slot %d: %zu bytes, %d certificate%s%s%s\n",
			       SV_HAVE(ev, SV_F_SLOT) ? ev->slot : -1,
			       ev->chain.len, n, n == 1 ? "" : "s",
			       *leaf ? ", leaf " : "", leaf);
			break;
		case SV_OBJ_VCA:
			printf("  vca: %zu bytes\n", ev->vca.len);
			break;
		case SV_OBJ_CHALLENGE:
		case SV_OBJ_MEASUREMENTS:
		case SV_OBJ_KEY_EXCHANGE:
			a = sv_asym_by_bit(ev->asym);
			h = sv_hash_by_bit(ev->hash);
			printf("  %s: SPDM %u.%u, %s, %s, slot %u, ",
			       sv_object_name(ev->object), ev->version >> 4,
			       ev->version & 0xf, a ? a->label : "?",
			       h ? h->label : "?", ev->slot);
			printf("transcript %zu bytes, signature %zu bytes; ",
			       ev->transcript.len, ev->signature.len);
			printf("kernel: signature %s, chain %s",
			       ev->sig_valid ? "valid" : "invalid",
			       ev->anchored ? "anchored" : "not anchored");
			dump_session(ev);
			break;
		default:
			printf("  object %u\n", ev->object);
		}
	}
	fflush(stdout);
}

static void dump_free(struct dump_state *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		sv_evidence_free(&ds->objs[i]);
	free(ds->objs);
}

/* A signed object verifies with the chain of its slot, for the device */
static void complete_signed(const struct opts *o, struct dump_state *ds,
			    struct sv_evidence *ev)
{
	size_t i;

	for (i = 0; !SV_HAVE(ev, SV_F_CHAIN) && i < ds->n; i++)
		if (ds->objs[i].object == SV_OBJ_CERT_CHAIN &&
		    SV_HAVE(&ds->objs[i], SV_F_SLOT) &&
		    ds->objs[i].slot == ev->slot &&
		    !sv_buf_set(&ev->chain, ds->objs[i].chain.data,
				ds->objs[i].chain.len))
			ev->have |= 1U << SV_F_CHAIN;
	if (!SV_HAVE(ev, SV_F_DEV_NAME)) {
		snprintf(ev->dev_name, sizeof(ev->dev_name), "%s", o->arg);
		ev->have |= 1U << SV_F_DEV_NAME;
	}
	/* a nonce given challenges with it: the challenge evidence has it */
	if (o->have_nonce && ev->object == SV_OBJ_CHALLENGE) {
		memcpy(ev->nonce, o->nonce, SV_NONCE_LEN);
		ev->have |= 1U << SV_F_NONCE;
	}
	live_identity(o, ev);
}

static int cmd_dump(struct opts *o)
{
	struct dump_state ds = { 0 };
	struct sv_verdict **v = NULL;
	struct sv_evidence *save = NULL;
	struct sv_verify_opts vo;
	const struct sv_hash *h = NULL;
	struct sv_nlerr e;
	struct sv_nl *nl;
	int rc = EXIT_OK;
	size_t i, nr_signed = 0;

	/* verifying needs signed evidence and the chains */
	if (o->verify && o->type_mask) {
		if (!(o->type_mask & SIGNED_OBJECTS))
			o->type_mask |= SIGNED_OBJECTS;
		o->type_mask |= SV_OBJ_CERT_CHAIN;
	}
	nl = sv_nl_open(false, &e);
	if (!nl)
		return netlink_failure("dump", &e);
	if (o->timeout >= 0)
		sv_nl_set_timeout(nl, o->timeout * 1000);
	if (sv_nl_dump(nl, o->arg, o->have_nonce ? o->nonce : NULL,
		       o->type_mask, on_object, &ds, &e)) {
		sv_nl_close(nl);
		dump_free(&ds);
		return netlink_failure("dump", &e);
	}
	sv_nl_close(nl);
	v = calloc(ds.n ?: 1, sizeof(*v));
	if (!v) {
		dump_free(&ds);
		warn("out of memory");
		return EXIT_SYSTEM;
	}
	for (i = 0; i < ds.n; i++) {
		if (!signed_object(&ds.objs[i]))
			continue;
		nr_signed++;
		complete_signed(o, &ds, &ds.objs[i]);
		if (!save || ds.objs[i].object == SV_OBJ_CHALLENGE)
			save = &ds.objs[i];
		if (!h || ds.objs[i].object == SV_OBJ_CHALLENGE)
			h = sv_hash_by_bit(ds.objs[i].hash) ?: h;
		if (!o->verify)
			continue;
		v[i] = malloc(sizeof(*v[i]));
		if (!v[i]) {
			rc = EXIT_SYSTEM;
			continue;
		}
		verify_opts(o, &vo);
		vo.nonce = o->have_nonce &&
			   ds.objs[i].object == SV_OBJ_CHALLENGE ? o->nonce :
			   NULL;
		vo.expect_dev = o->arg;
		if (ds.objs[i].object != SV_OBJ_MEASUREMENTS)
			vo.expect = NULL;
		sv_verify(&ds.objs[i], &vo, v[i]);
		if (!v[i]->ok && rc == EXIT_OK)
			rc = EXIT_FAILED;
	}
	if (o->verify && !nr_signed) {
		warn("dump: no signed evidence (challenge, measurements, key-exchange) to verify");
		rc = EXIT_FAILED;
	}
	if (save && o->output &&
	    save_bundle(o->output, save, v[save - ds.objs], o->pretty))
		rc = EXIT_SYSTEM;
	if (o->json && !o->quiet) {
		dump_json(o, &ds, v);
	} else {
		if (!o->quiet)
			dump_human(o, &ds, h ? h->len : 0);
		for (i = 0; i < ds.n; i++) {
			struct opts po = *o;

			if (!v[i])
				continue;
			po.json = false;
			po.output = NULL;
			print_verdict(&po, &ds.objs[i], v[i]);
		}
	}
	for (i = 0; i < ds.n; i++) {
		if (v[i])
			sv_verdict_free(v[i]);
		free(v[i]);
	}
	free(v);
	dump_free(&ds);
	return rc;
}

/* ---- main ------------------------------------------------------------------- */

static const struct live_op *live_op_of(const char *cmd)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(live_ops); i++)
		if (!strcmp(cmd, live_ops[i].name))
			return &live_ops[i];
	return NULL;
}

enum {
	OPT_NO_TIME = 256, OPT_NO_SAN, OPT_REQUIRE_SAN, OPT_DEVICE_IDS,
	OPT_OFFLINE, OPT_TIMEOUT, OPT_TYPE, OPT_VERIFY,
};

static const struct option long_opts[] = {
	{ "trust", required_argument, NULL, 't' },
	{ "nonce", required_argument, NULL, 'n' },
	{ "slot", required_argument, NULL, 's' },
	{ "index", required_argument, NULL, 'i' },
	{ "expect", required_argument, NULL, 'e' },
	{ "no-time-check", no_argument, NULL, OPT_NO_TIME },
	{ "no-san-check", no_argument, NULL, OPT_NO_SAN },
	{ "require-san", no_argument, NULL, OPT_REQUIRE_SAN },
	{ "device-ids", required_argument, NULL, OPT_DEVICE_IDS },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "offline", required_argument, NULL, OPT_OFFLINE },
	{ "count", required_argument, NULL, 'c' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ }
};

static int parse_args(int argc, char **argv, struct opts *o)
{
	const char *offline = NULL;
	char err[SV_ERR_MAX];
	int c, nargs;
	long v;

	while ((c = getopt_long(argc, argv, "t:n:s:i:e:jpo:c:qhV", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 't':
			if (sv_trust_add(&o->trust, optarg, err, sizeof(err)))
				return usage_error("--trust: %s", err);
			break;
		case 'n':
			if (sv_hex_decode(optarg, o->nonce, SV_NONCE_LEN))
				return usage_error("--nonce needs %d hex digits",
						   2 * SV_NONCE_LEN);
			o->have_nonce = true;
			break;
		case 's':
			if (parse_long(optarg, 0, 7, &v))
				return usage_error("--slot needs a slot from 0 to 7");
			o->slot = v;
			break;
		case 'i':
			if (parse_long(optarg, 1, SV_MAX_MEAS_REQ, &v))
				return usage_error("--index needs a measurement index from 1 to %d",
						   SV_MAX_MEAS_REQ);
			if (memchr(o->indices, v, o->nr_indices))
				return usage_error("--index %ld given twice", v);
			o->indices[o->nr_indices++] = v;
			break;
		case 'e':
			if (o->have_expect)
				return usage_error("--expect given twice");
			if (sv_expect_read(optarg, &o->expect, err, sizeof(err)))
				return usage_error("--expect: %s", err);
			o->have_expect = true;
			break;
		case OPT_NO_TIME:
			o->no_time_check = true;
			break;
		case OPT_NO_SAN:
			o->no_san_check = true;
			break;
		case OPT_REQUIRE_SAN:
			o->require_san = true;
			break;
		case OPT_DEVICE_IDS:
			if (sv_split_identity(optarg, o->dev_id, sizeof(o->dev_id),
					      o->dev_serial,
					      sizeof(o->dev_serial)))
				return usage_error("%s",
						   "--device-ids needs Vendor=...:Device=...:CC=...:REV=..[:SSVID=...:SSID=...][:SERIAL]");
			o->have_ids = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->pretty = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_OFFLINE:
			offline = optarg;
			break;
		case 'c':
			if (parse_long(optarg, 1, LONG_MAX, &o->count))
				return usage_error("--count needs a positive number");
			break;
		case OPT_TIMEOUT:
			if (parse_long(optarg, 0, INT_MAX / 1000, &o->timeout))
				return usage_error("--timeout needs seconds");
			break;
		case OPT_TYPE:
			if (parse_types(optarg, &o->type_mask))
				return usage_error("%s",
						   "--type needs cert-chain,vca,challenge,measurements,key-exchange");
			break;
		case OPT_VERIFY:
			o->verify = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		case 'V':
			printf("spdm-verify %s\n", VERSION_STRING);
			exit(EXIT_OK);
		default:
			fputs("Try 'spdm-verify --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	nargs = argc - optind;
	if (o->nr_indices && (offline || nargs < 1 ||
			      (strcmp(argv[optind], "measurements") &&
			       strcmp(argv[optind], "session"))))
		return usage_error("--index is for the measurements and session commands");
	if (offline) {
		if (nargs)
			return usage_error("--offline takes no command");
		o->cmd = "verify-bundle";
		o->arg = offline;
		return 0;
	}
	if (!nargs)
		return usage_error("no command");
	o->cmd = argv[optind];
	if (!strcmp(o->cmd, "help")) {
		fputs(usage_text, stdout);
		exit(EXIT_OK);
	}
	if (!strcmp(o->cmd, "watch")) {
		if (nargs > 2)
			return usage_error("watch takes at most one DEVICE");
		o->arg = nargs == 2 ? argv[optind + 1] : NULL;
		return 0;
	}
	if (!live_op_of(o->cmd) && strcmp(o->cmd, "verify-bundle") &&
	    strcmp(o->cmd, "dump") && strcmp(o->cmd, "verify-log"))
		return usage_error("unknown command '%s'", o->cmd);
	if (nargs != 2)
		return usage_error("%s takes one %s", o->cmd,
				   !strcmp(o->cmd, "verify-bundle") ? "FILE" :
				   !strcmp(o->cmd, "verify-log") ? "DIR" :
				   "DEVICE");
	o->arg = argv[optind + 1];
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .slot = -1, .timeout = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	const struct live_op *live;
	int rc;

	if (sv_trust_init(&o.trust)) {
		warn("out of memory");
		return EXIT_SYSTEM;
	}
	rc = parse_args(argc, argv, &o);
	if (rc) {
		sv_trust_free(&o.trust);
		sv_expect_free(&o.expect);
		return rc;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	live = live_op_of(o.cmd);
	if (live)
		rc = cmd_live(&o, live);
	else if (!strcmp(o.cmd, "verify-bundle"))
		rc = cmd_verify_bundle(&o);
	else if (!strcmp(o.cmd, "verify-log"))
		rc = cmd_verify_log(&o);
	else if (!strcmp(o.cmd, "watch"))
		rc = cmd_watch(&o);
	else
		rc = cmd_dump(&o);
	sv_trust_free(&o.trust);
	sv_expect_free(&o.expect);
	return rc;
}
