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
 *
 * This file: the options and main(); the commands are in cli-*.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define VERSION_STRING	"1.0"

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
"  accept DEVICE        after the same-device check found another identity\n"
"                       (authentication/identity reads \"changed\"):\n"
"                       challenge DEVICE with the whole flow, verify the\n"
"                       evidence, and if every check passed have the\n"
"                       kernel accept the chain verified (named by its\n"
"                       SHA-384; refused if the device presents another\n"
"                       one by then) and authenticate the device again\n"
"                       (needs CAP_NET_ADMIN)\n"
"  platform BUNDLE...   tie saved evidence bundles to the platform: check\n"
"                       a TPM quote (--quote, --quote-sig) by the\n"
"                       attestation key (--ak) over our nonce\n"
"                       (--quote-nonce) and PCR --pcr (13) of one bank,\n"
"                       replay the kernel's SPDM event log (--event-log)\n"
"                       to it, find each bundle's event by the SHA-256 of\n"
"                       its transcript and verify the bundle; prints one\n"
"                       chain per bundle: nonce -> session -> device ->\n"
"                       platform\n"
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
"      --type LIST       dump: objects cert0..cert7 (certs: all eight),\n"
"                        vca, measurements, report (default: all)\n"
"      --verify          dump: verify the signed evidence as well\n"
"      --fresh           challenge: the whole authentication (VCA,\n"
"                        digests, every chain read again), not CHALLENGE\n"
"                        alone on an authenticated SPDM 1.2+ connection\n"
"      --digest          dump: digests of the objects (with --verify: and\n"
"                        the objects, each digest checked against them)\n"
"      --between CMD     dump: run CMD after the first message (tests:\n"
"                        a change of the evidence must fail the dump);\n"
"                        accept: run CMD between the verification and\n"
"                        the accept (tests: a device that changes again\n"
"                        must not be accepted)\n"
"      --quote FILE      platform: TPMS_ATTEST of a TPM2_Quote (tpm2_quote -m)\n"
"      --quote-sig FILE  platform: its TPMT_SIGNATURE (tpm2_quote -s), ECDSA\n"
"                        or RSASSA\n"
"      --quote-nonce HEX platform: the nonce we gave the quote (extraData)\n"
"      --ak FILE         platform: the attestation key's public part (PEM)\n"
"      --event-log FILE  platform: the kernel's SPDM event log\n"
"                        (/sys/kernel/security/spdm/binary_event_log)\n"
"      --pcr N           platform: the PCR of the log (default 13)\n"
"  -q, --quiet           print nothing but failures (on stderr)\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version, the OpenSSL it was built with and\n"
"                        whether it verifies ML-DSA (OpenSSL 3.5 or newer)\n"
"\n"
"Checks (each PASS, FAIL, SKIP, NOT-RUN or VOUCHED; those of another kind\n"
"of evidence are not shown):\n"
"  evidence         every attribute there, version (SPDM 1.0-1.4) and\n"
"                   algorithms supported (1.4: ML-DSA-44/65/87 too)\n"
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
"                   the kernel states (1.4: BaseAsymSel or PqcAsymSel,\n"
"                   exactly one; SKIP for 1.0/1.1 measurements: no VCA)\n"
"  prefix           SPDM 1.2+: the combined prefix is DSP0274's (rebuilt\n"
"                   here and used for the signature either way)\n"
"  signature        verifies with the leaf key: over Hash(transcript) in\n"
"                   1.0/1.1, over prefix || Hash(transcript) in 1.2+;\n"
"                   ML-DSA (1.4): pure ML-DSA of prefix || Hash(transcript)\n"
"                   with the prefix's context string, which needs OpenSSL\n"
"                   3.5 (built with an older one: NOT-RUN, as are chain and\n"
"                   trust for ML-DSA-signed certificates)\n"
"  cert-chain-hash  CHALLENGE_AUTH's CertChainHash (session: TH1's\n"
"                   Hash(CertChain)) is the chain's hash (SKIP for\n"
"                   measurements: MEASUREMENTS carries none)\n"
"  chain            length (u32 from 1.4), RootHash, each certificate\n"
"                   signed by the one before\n"
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
"operation, or the device's identity cannot be read from sysfs), 4 watch:\n"
"fewer than --count events before --timeout.\n"
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

static void on_signal(int sig)
{
	(void)sig;
	cli_stop = true;
}

static int __sv_printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vwarn(fmt, ap);
	va_end(ap);
	fputs("Try 'spdm-verify --help'.\n", stderr);
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
		uint32_t o;

		for (o = 0; o < SV_NR_OBJS; o++)
			if (!strcmp(tok, sv_object_name(o)))
				break;
		if (o < SV_NR_OBJS)
			*mask |= SV_OBJ_BIT(o);
		else if (!strcmp(tok, "cert-chain") || !strcmp(tok, "certs"))
			*mask |= SV_OBJ_CERTS;
		else
			rc = -1;
	}
	free(copy);
	return rc || !*mask ? -1 : 0;
}

/* ---- main ------------------------------------------------------------------- */

enum {
	OPT_NO_TIME = 256, OPT_NO_SAN, OPT_REQUIRE_SAN, OPT_DEVICE_IDS,
	OPT_OFFLINE, OPT_TIMEOUT, OPT_TYPE, OPT_VERIFY, OPT_DIGEST, OPT_FRESH,
	OPT_BETWEEN, OPT_QUOTE, OPT_QUOTE_SIG, OPT_QUOTE_NONCE, OPT_AK,
	OPT_EVENT_LOG, OPT_PCR,
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
	{ "digest", no_argument, NULL, OPT_DIGEST },
	{ "fresh", no_argument, NULL, OPT_FRESH },
	{ "between", required_argument, NULL, OPT_BETWEEN },
	{ "quote", required_argument, NULL, OPT_QUOTE },
	{ "quote-sig", required_argument, NULL, OPT_QUOTE_SIG },
	{ "quote-nonce", required_argument, NULL, OPT_QUOTE_NONCE },
	{ "ak", required_argument, NULL, OPT_AK },
	{ "event-log", required_argument, NULL, OPT_EVENT_LOG },
	{ "pcr", required_argument, NULL, OPT_PCR },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ }
};

/* One option; 0, or the exit status of a usage error */
static int parse_opt(int c, struct opts *o, const char **offline)
{
	char err[SV_ERR_MAX];
	long v;

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
		*offline = optarg;
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
					   "--type needs cert0..cert7,certs,vca,measurements,report");
		break;
	case OPT_VERIFY:
		o->verify = true;
		break;
	case OPT_DIGEST:
		o->digest = true;
		break;
	case OPT_FRESH:
		o->fresh = true;
		break;
	case OPT_BETWEEN:
		o->between = optarg;
		break;
	case OPT_QUOTE:
		o->quote = optarg;
		break;
	case OPT_QUOTE_SIG:
		o->quote_sig = optarg;
		break;
	case OPT_QUOTE_NONCE:
		v = strlen(optarg);
		if (!v || v % 2 || v > 2 * (long)sizeof(o->quote_nonce) ||
		    sv_hex_decode(optarg, o->quote_nonce, v / 2))
			return usage_error("--quote-nonce needs 2 to %zu hex digits",
					   2 * sizeof(o->quote_nonce));
		o->quote_nonce_len = v / 2;
		break;
	case OPT_AK:
		o->ak = optarg;
		break;
	case OPT_EVENT_LOG:
		o->event_log = optarg;
		break;
	case OPT_PCR:
		if (parse_long(optarg, 0, 23, &v))
			return usage_error("--pcr needs 0 to 23");
		o->pcr = v;
		break;
	case 'q':
		o->quiet = true;
		break;
	case 'h':
		fputs(usage_text, stdout);
		exit(EXIT_OK);
	case 'V':
		printf("spdm-verify %s (SPDM 1.0-1.4; built with OpenSSL %s, %s)\n",
		       VERSION_STRING, OPENSSL_VERSION_STR, sv_mldsa_built() ?
		       "ML-DSA verified" : "ML-DSA not verifiable: needs 3.5");
		exit(EXIT_OK);
	default:
		fputs("Try 'spdm-verify --help'.\n", stderr);
		return EXIT_USAGE;
	}
	return 0;
}

/* COMMAND [ARG] after the options (or --offline FILE) */
static int parse_command(int argc, char **argv, struct opts *o,
			 const char *offline)
{
	int nargs;

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
	if (!strcmp(o->cmd, "platform")) {
		if (!o->quote || !o->quote_sig || !o->ak || !o->event_log ||
		    !o->quote_nonce_len)
			return usage_error("platform needs --quote, --quote-sig, --quote-nonce, --ak and --event-log");
		o->files = argv + optind + 1;
		o->nr_files = nargs - 1;
		return 0;
	}
	if (!strcmp(o->cmd, "watch")) {
		if (nargs > 2)
			return usage_error("watch takes at most one DEVICE");
		o->arg = nargs == 2 ? argv[optind + 1] : NULL;
		return 0;
	}
	if (!cli_live_op(o->cmd) && strcmp(o->cmd, "verify-bundle") &&
	    strcmp(o->cmd, "dump") && strcmp(o->cmd, "verify-log") &&
	    strcmp(o->cmd, "accept"))
		return usage_error("unknown command '%s'", o->cmd);
	if (nargs != 2)
		return usage_error("%s takes one %s", o->cmd,
				   !strcmp(o->cmd, "verify-bundle") ? "FILE" :
				   !strcmp(o->cmd, "verify-log") ? "DIR" :
				   "DEVICE");
	o->arg = argv[optind + 1];
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	const char *offline = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "t:n:s:i:e:jpo:c:qhV", long_opts,
				NULL)) != -1) {
		rc = parse_opt(c, o, &offline);
		if (rc)
			return rc;
	}
	return parse_command(argc, argv, o, offline);
}

int main(int argc, char **argv)
{
	struct opts o = { .slot = -1, .timeout = -1, .pcr = 13 };
	struct sigaction sa = { .sa_handler = on_signal };
	const struct live_op *live;
	int rc;

	if (sv_trust_init(&o.trust)) {
		cli_warn("out of memory");
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
	live = cli_live_op(o.cmd);
	if (live)
		rc = cli_cmd_live(&o, live);
	else if (!strcmp(o.cmd, "verify-bundle"))
		rc = cli_cmd_verify_bundle(&o);
	else if (!strcmp(o.cmd, "verify-log"))
		rc = cli_cmd_verify_log(&o);
	else if (!strcmp(o.cmd, "watch"))
		rc = cli_cmd_watch(&o);
	else if (!strcmp(o.cmd, "accept"))
		rc = cli_cmd_accept(&o);
	else if (!strcmp(o.cmd, "platform"))
		rc = cli_cmd_platform(&o);
	else
		rc = cli_cmd_dump(&o);
	sv_trust_free(&o.trust);
	sv_expect_free(&o.expect);
	return rc;
}
