// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-doe - exchange raw PCIe DOE objects with a device from userspace
 *
 * Works on the function's sysfs config file (dword pread/pwrite); no kernel
 * driver is involved.  A test and debugging tool: it needs root and must not
 * be used while a kernel driver (such as the in-kernel SPDM/CMA code) uses
 * the same mailbox.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../testing/selftests/spdm/doe.h"
#include "../../testing/selftests/spdm/spdm_msg.h"

#define EXIT_ERROR	1
#define EXIT_USAGE	2

static struct {
	unsigned int cap;
	unsigned int timeout_ms;
	int type;		/* -1: not given */
	unsigned int repeat;	/* 0: not given */
	bool json;
	bool verbose;
} opt = {
	.timeout_ms = DOE_DEFAULT_TIMEOUT_MS,
	.type = -1,
};

static char bdf[16];

static void usage(FILE *f)
{
	fprintf(f,
"Usage: spdm-doe [OPTIONS] DEVICE COMMAND [ARGS]\n"
"\n"
"Exchange raw PCIe Data Object Exchange (DOE) objects with DEVICE through\n"
"its sysfs config file.  A test tool: it needs root, and must not be used\n"
"while a kernel driver (e.g. the in-kernel SPDM/CMA code) uses the mailbox;\n"
"nothing arbitrates between the two.\n"
"\n"
"DEVICE is a PCI address (0000:00:08.0 or 00:08.0) or a sysfs device path.\n"
"\n"
"Commands:\n"
"  list                 print the offsets of the DOE capabilities\n"
"  discover             walk DOE discovery, print VVVV:TT per protocol\n"
"  exchange [--type T] HEX...\n"
"                       send one object of type T (default 1, CMA/SPDM) with\n"
"                       the payload bytes HEX (\"10 84 00 00\" or \"10840000\"),\n"
"                       print the response payload in hex\n"
"  get-version          send SPDM GET_VERSION over CMA, print the versions of\n"
"                       the VERSION response (or decode an SPDM ERROR)\n"
"  abort                abort the mailbox (drops any pending object)\n"
"\n"
"Options:\n"
"  -c, --cap OFFSET     use the DOE capability at OFFSET (default: the first)\n"
"  -t, --timeout MS     bound on every mailbox wait (default %u)\n"
"  -T, --type T         data object type for 'exchange' (vendor is PCI-SIG)\n"
"  -n, --repeat N       run the exchange of 'exchange'/'get-version' N times\n"
"                       and report min/median/max round trip in microseconds\n"
"  -j, --json           machine-readable output\n"
"  -v, --verbose        show objects and register state on stderr\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 success, 1 device or protocol error (named on stderr,\n"
"including an SPDM ERROR response), 2 usage error.\n",
		DOE_DEFAULT_TIMEOUT_MS);
}

static void __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "spdm-doe: ");
	if (bdf[0])
		fprintf(stderr, "%s: ", bdf);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void print_hex(FILE *f, const uint8_t *p, size_t len, const char *sep)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%s%02x", i ? sep : "", p[i]);
}

static void verbose_hex(const char *what, const uint8_t *p, size_t len)
{
	if (!opt.verbose)
		return;
	fprintf(stderr, "%s (%zu bytes):", what, len);
	if (len)
		fputc(' ', stderr);
	print_hex(stderr, p, len, " ");
	fputc('\n', stderr);
}

static bool parse_uint(const char *s, unsigned long min, unsigned long max,
		       unsigned long *val)
{
	char *end;

	errno = 0;
	*val = strtoul(s, &end, 0);
	return !errno && end != s && !*end && s[0] != '-' &&
	       *val >= min && *val <= max;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes from arguments such as "10 84 00 00", "10840000" or "0x10". */
static uint8_t *parse_hex_args(int argc, char **argv, size_t *len)
{
	size_t total = 0, n = 0;
	uint8_t *buf;
	int i, hi, lo;
	const char *s;

	for (i = 0; i < argc; i++)
		total += strlen(argv[i]) / 2;
	buf = malloc(total ? total : 1);
	if (!buf)
		return NULL;

	for (i = 0; i < argc; i++) {
		s = argv[i];
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
			s += 2;
		if (!*s || strlen(s) % 2)
			goto bad;
		for (; *s; s += 2) {
			hi = hex_digit(s[0]);
			lo = hex_digit(s[1]);
			if (hi < 0 || lo < 0)
				goto bad;
			buf[n++] = hi << 4 | lo;
		}
	}
	*len = n;
	return buf;
bad:
	fprintf(stderr, "spdm-doe: '%s' is not a sequence of hex bytes\n", argv[i]);
	free(buf);
	errno = EINVAL;
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct latency {
	unsigned int n;
	double min, median, max;	/* microseconds */
};

static void latency_stats(uint64_t *ns, unsigned int n, struct latency *l)
{
	qsort(ns, n, sizeof(*ns), cmp_u64);
	l->n = n;
	l->min = ns[0] / 1000.0;
	l->max = ns[n - 1] / 1000.0;
	l->median = (n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2) / 1000.0;
}

static void print_latency_text(const struct latency *l)
{
	printf("round trip: n=%u min=%.1f median=%.1f max=%.1f us\n",
	       l->n, l->min, l->median, l->max);
}

static void print_latency_json(const struct latency *l)
{
	printf(",\"latency_us\":{\"n\":%u,\"min\":%.1f,\"median\":%.1f,\"max\":%.1f}",
	       l->n, l->min, l->median, l->max);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void verbose_status(struct doe_mb *mb, const char *when)
{
	uint32_t cap, status;

	if (!opt.verbose)
		return;
	if (doe_read(mb, PCI_DOE_CAP, &cap) || doe_read(mb, PCI_DOE_STATUS, &status))
		return;
	fprintf(stderr, "DOE@0x%x %s: capabilities 0x%08x status 0x%08x%s%s%s%s\n",
		mb->cap, when, cap, status,
		status & PCI_DOE_STATUS_BUSY ? " Busy" : "",
		status & PCI_DOE_STATUS_INT_STATUS ? " IntStatus" : "",
		status & PCI_DOE_STATUS_ERROR ? " Error" : "",
		status & PCI_DOE_STATUS_DATA_OBJECT_READY ? " DataObjectReady" : "");
}

/*
 * One exchange, repeated opt.repeat times when asked; the response of the
 * last one is left in rsp.
 */
static int timed_exchange(struct doe_mb *mb, uint8_t type, const uint8_t *req,
			  size_t req_len, uint8_t *rsp, size_t rsp_size,
			  size_t *rsp_len, struct latency *lat)
{
	unsigned int i, n = opt.repeat ? opt.repeat : 1;
	uint64_t *ns, t0;
	int rc = 0;

	ns = calloc(n, sizeof(*ns));
	if (!ns)
		return -ENOMEM;

	verbose_hex("request", req, req_len);
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		rc = doe_exchange(mb, DOE_VENDOR_PCI_SIG, type, req, req_len,
				  rsp, rsp_size, rsp_len);
		ns[i] = now_ns() - t0;
		if (rc) {
			if (n > 1)
				error("exchange %u of %u failed", i + 1, n);
			break;
		}
	}
	if (!rc) {
		verbose_hex("response", rsp, *rsp_len);
		latency_stats(ns, n, lat);
	}
	verbose_status(mb, "after exchange");
	free(ns);
	return rc;
}

static int cmd_list(int fd)
{
	unsigned int caps[DOE_MAX_CAPS];
	struct doe_mb mb;
	int n, i;

	n = doe_find_caps(fd, caps, DOE_MAX_CAPS);
	if (n < 0) {
		error("%s", doe_strerror(n));
		return EXIT_ERROR;
	}
	if (opt.json) {
		printf("{\"device\":\"%s\",\"doe\":[", bdf);
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", caps[i]);
		printf("]}\n");
	} else {
		for (i = 0; i < n; i++)
			printf("0x%03x\n", caps[i]);
	}
	for (i = 0; i < n; i++) {
		mb = (struct doe_mb){ .fd = fd, .cap = caps[i], .timeout_ms = 0 };
		verbose_status(&mb, "now");
	}
	if (!n) {
		error("no DOE capability");
		return EXIT_ERROR;
	}
	return 0;
}

static const char *protocol_name(uint16_t vendor, uint8_t type)
{
	if (vendor != DOE_VENDOR_PCI_SIG)
		return "";
	switch (type) {
	case DOE_TYPE_DISCOVERY: return "discovery";
	case DOE_TYPE_CMA: return "CMA/SPDM";
	case DOE_TYPE_SECURED_CMA: return "secured CMA/SPDM";
	default: return "";
	}
}

static int cmd_discover(struct doe_mb *mb)
{
	unsigned int index = 0, count = 0;
	bool seen[256] = { false };
	uint16_t vendor;
	uint8_t type, next;
	int rc;

	if (opt.json)
		printf("{\"device\":\"%s\",\"cap\":%u,\"protocols\":[", bdf, mb->cap);
	for (;;) {
		seen[index] = true;
		rc = doe_discover(mb, index, &vendor, &type, &next);
		if (rc) {
			if (opt.json)
				printf("]}\n");
			error("discovery index %u: %s", index, doe_strerror(rc));
			return EXIT_ERROR;
		}
		if (opt.json)
			printf("%s{\"id\":\"%04x:%02x\",\"vendor\":%u,\"type\":%u}",
			       count ? "," : "", vendor, type, vendor, type);
		else if (opt.verbose)
			printf("%04x:%02x %s\n", vendor, type, protocol_name(vendor, type));
		else
			printf("%04x:%02x\n", vendor, type);
		count++;
		if (!next)
			break;
		if (seen[next]) {
			if (opt.json)
				printf("]}\n");
			error("discovery loops: index %u points back to %u", index, next);
			return EXIT_ERROR;
		}
		index = next;
	}
	if (opt.json)
		printf("]}\n");
	return 0;
}

static int cmd_exchange(struct doe_mb *mb, int argc, char **argv)
{
	uint8_t type = opt.type < 0 ? DOE_TYPE_CMA : opt.type;
	size_t req_len, rsp_len;
	struct latency lat;
	uint8_t *req, *rsp;
	int rc;

	if (!argc) {
		fprintf(stderr, "spdm-doe: exchange needs payload bytes\n");
		return EXIT_USAGE;
	}
	req = parse_hex_args(argc, argv, &req_len);
	if (!req)
		return errno == EINVAL ? EXIT_USAGE : EXIT_ERROR;
	rsp = malloc(DOE_MAX_PAYLOAD);
	if (!rsp) {
		free(req);
		error("out of memory");
		return EXIT_ERROR;
	}

	rc = timed_exchange(mb, type, req, req_len, rsp, DOE_MAX_PAYLOAD,
			    &rsp_len, &lat);
	if (rc) {
		error("%s", doe_strerror(rc));
	} else if (opt.json) {
		printf("{\"device\":\"%s\",\"cap\":%u,\"type\":%u,\"response\":\"",
		       bdf, mb->cap, type);
		print_hex(stdout, rsp, rsp_len, "");
		printf("\"");
		if (opt.repeat)
			print_latency_json(&lat);
		printf("}\n");
	} else {
		print_hex(stdout, rsp, rsp_len, " ");
		printf("\n");
		if (opt.repeat)
			print_latency_text(&lat);
	}
	free(req);
	free(rsp);
	return rc ? EXIT_ERROR : 0;
}

static int cmd_get_version(struct doe_mb *mb)
{
	static const uint8_t req[] = { SPDM_VERSION_10, SPDM_GET_VERSION, 0, 0 };
	uint16_t entries[SPDM_MAX_VERSIONS];
	unsigned int count, i;
	uint8_t rsp[4 + 2 + 2 * SPDM_MAX_VERSIONS + 4];
	struct latency lat;
	size_t len;
	int rc;

	rc = timed_exchange(mb, DOE_TYPE_CMA, req, sizeof(req), rsp, sizeof(rsp),
			    &len, &lat);
	if (rc) {
		error("%s", doe_strerror(rc));
		return EXIT_ERROR;
	}

	if (len >= 4 && rsp[1] == SPDM_ERROR) {
		if (opt.json)
			printf("{\"device\":\"%s\",\"error\":{\"code\":%u,\"name\":\"%s\",\"data\":%u}}\n",
			       bdf, rsp[2], spdm_error_name(rsp[2]), rsp[3]);
		error("SPDM ERROR %s (0x%02x), data 0x%02x",
		      spdm_error_name(rsp[2]), rsp[2], rsp[3]);
		return EXIT_ERROR;
	}
	rc = spdm_parse_version(rsp, len, entries, &count);
	if (rc == -EPROTO) {
		error("response is not VERSION (SPDMVersion 0x%02x, code 0x%02x)",
		      rsp[0], rsp[1]);
		return EXIT_ERROR;
	}
	if (rc) {
		error("truncated VERSION response (%zu bytes)", len);
		return EXIT_ERROR;
	}

	if (opt.json)
		printf("{\"device\":\"%s\",\"cap\":%u,\"versions\":[", bdf, mb->cap);
	for (i = 0; i < count; i++) {
		uint16_t e = entries[i];

		printf(opt.json ? "%s\"%u.%u" : "%s%u.%u", i ? (opt.json ? "," : " ") : "",
		       e >> 12, (e >> 8) & 0xf);
		if ((e >> 4) & 0xf)
			printf(".%u", (e >> 4) & 0xf);
		if (opt.json)
			printf("\"");
	}
	if (opt.json) {
		printf("]");
		if (opt.repeat)
			print_latency_json(&lat);
		printf("}\n");
	} else {
		printf("\n");
		if (opt.repeat)
			print_latency_text(&lat);
	}
	return 0;
}

static int cmd_abort(struct doe_mb *mb)
{
	int rc;

	verbose_status(mb, "before abort");
	rc = doe_abort(mb);
	verbose_status(mb, "after abort");
	if (rc) {
		error("abort: %s", doe_strerror(rc));
		return EXIT_ERROR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cap",	required_argument, NULL, 'c' },
		{ "timeout",	required_argument, NULL, 't' },
		{ "type",	required_argument, NULL, 'T' },
		{ "repeat",	required_argument, NULL, 'n' },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ }
	};
	char config[PATH_MAX];
	const char *cmd;
	struct doe_mb mb;
	unsigned long val;
	int c, fd, rc;

	while ((c = getopt_long(argc, argv, "c:t:T:n:jvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!parse_uint(optarg, PCI_CFG_SPACE_SIZE,
					DOE_CFG_SPACE_EXP_SIZE - 4, &val) || val % 4)
				goto bad_arg;
			opt.cap = val;
			break;
		case 't':
			if (!parse_uint(optarg, 1, 600000, &val))
				goto bad_arg;
			opt.timeout_ms = val;
			break;
		case 'T':
			if (!parse_uint(optarg, 0, 255, &val))
				goto bad_arg;
			opt.type = val;
			break;
		case 'n':
			if (!parse_uint(optarg, 1, 10000000, &val))
				goto bad_arg;
			opt.repeat = val;
			break;
		case 'j':
			opt.json = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind + 1];
	if (strcmp(cmd, "list") && strcmp(cmd, "discover") &&
	    strcmp(cmd, "exchange") && strcmp(cmd, "get-version") &&
	    strcmp(cmd, "abort")) {
		fprintf(stderr, "spdm-doe: unknown command '%s' (see --help)\n", cmd);
		return EXIT_USAGE;
	}
	if (opt.type >= 0 && strcmp(cmd, "exchange")) {
		fprintf(stderr, "spdm-doe: --type applies to 'exchange' only\n");
		return EXIT_USAGE;
	}
	if (opt.repeat && strcmp(cmd, "exchange") && strcmp(cmd, "get-version")) {
		fprintf(stderr, "spdm-doe: --repeat applies to 'exchange' and 'get-version' only\n");
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "exchange") && argc - optind > 2) {
		fprintf(stderr, "spdm-doe: '%s' takes no arguments\n", cmd);
		return EXIT_USAGE;
	}

	rc = doe_resolve(argv[optind], bdf, sizeof(bdf), config, sizeof(config));
	if (rc == -EINVAL) {
		fprintf(stderr, "spdm-doe: '%s' is not a PCI address or device path\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "spdm-doe: %s: %s\n", argv[optind], strerror(-rc));
		return EXIT_ERROR;
	}
	fd = open(config, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		error("%s: %s%s", config, strerror(errno),
		      errno == EACCES ? " (needs root)" : "");
		return EXIT_ERROR;
	}

	if (!strcmp(cmd, "list")) {
		rc = cmd_list(fd);
		goto out;
	}
	rc = doe_mb_init(&mb, fd, opt.cap, opt.timeout_ms);
	if (rc) {
		if (rc == -ENXIO)
			error("no DOE capability at 0x%x", opt.cap);
		else
			error("%s", doe_strerror(rc));
		rc = EXIT_ERROR;
		goto out;
	}
	if (!strcmp(cmd, "discover"))
		rc = cmd_discover(&mb);
	else if (!strcmp(cmd, "exchange"))
		rc = cmd_exchange(&mb, argc - optind - 2, argv + optind + 2);
	else if (!strcmp(cmd, "get-version"))
		rc = cmd_get_version(&mb);
	else
		rc = cmd_abort(&mb);
out:
	close(fd);
	return rc;

bad_arg:
	fprintf(stderr, "spdm-doe: invalid value '%s' for -%c (see --help)\n",
		optarg, c);
	return EXIT_USAGE;
}
