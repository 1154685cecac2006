// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-responder: software SPDM responder serving the SPDM socket
 * protocol (PCI_DOE transport) that QEMU's spdm_port devices and DMTF
 * spdm-emu speak.  One TCP port per emulated device.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "server.h"
#include "socket.h"
#include "spdm.h"

#define EXIT_USAGE		2
#define PROG_VERSION		"0.1"
#define DEFAULT_ADDRESS		"127.0.0.1"
#define DEFAULT_VERSIONS	"1.0,1.1,1.2,1.3"
#define MIN_PAYLOAD		(DOE_HDR_LEN + SPDM_HDR_LEN)
#define MAX_PAYLOAD		(64UL << 20)
#define MAX_PORTS		64

struct options {
	const char *address;
	const char *versions;
	const char *misbehave;
	const char *port_file;
	size_t max_payload;
	const char *port_spec[MAX_PORTS];
	unsigned int nr_ports;
};

/* A --port argument, resolved against the global defaults. */
struct port_cfg {
	unsigned int port;
	struct spdm_version_set versions;
	struct misbehave_set misbehave;
};

enum { OPT_VERSIONS = 256, OPT_MISBEHAVE, OPT_PORT_FILE, OPT_MAX_PAYLOAD };

static const struct option long_opts[] = {
	{ "port",	 required_argument, NULL, 'p' },
	{ "address",	 required_argument, NULL, 'a' },
	{ "versions",	 required_argument, NULL, OPT_VERSIONS },
	{ "misbehave",	 required_argument, NULL, OPT_MISBEHAVE },
	{ "port-file",	 required_argument, NULL, OPT_PORT_FILE },
	{ "max-payload", required_argument, NULL, OPT_MAX_PAYLOAD },
	{ "verbose",	 no_argument,	    NULL, 'v' },
	{ "quiet",	 no_argument,	    NULL, 'q' },
	{ "help",	 no_argument,	    NULL, 'h' },
	{ "version",	 no_argument,	    NULL, 'V' },
	{ }
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: spdm-responder [OPTIONS] [--port PORT[:OPT=VAL...]]...\n"
"\n"
"Software SPDM responder for the SPDM socket protocol (QEMU spdm_port=,\n"
"DMTF spdm-emu), PCI_DOE transport.  Each --port is one emulated device\n"
"whose state persists across connections.  Answers GET_VERSION; every\n"
"other request gets ERROR(UnsupportedRequest).\n"
"\n"
"Options:\n"
"  -p, --port PORT[:OPT=VAL...]  listen on PORT (0: any free port) for one\n"
"                         device; may repeat (default: one device on %d).\n"
"                         OPTs override the global defaults for it:\n"
"                           versions=LIST    as --versions\n"
"                           misbehave=LIST   as --misbehave\n"
"                         e.g. --port 0:versions=1.2,1.3:misbehave=delay=50\n"
"  -a, --address ADDR     listen address (default %s)\n"
"      --versions LIST    SPDM versions VERSION offers, comma-separated\n"
"                         M.N from 1.0-1.4 (default %s)\n"
"      --misbehave LIST   misbehaviour switches for every device, see\n"
"                         below (default none)\n"
"      --port-file FILE   once all ports listen, write their numbers to\n"
"                         FILE, one per line in --port order (atomically)\n"
"      --max-payload BYTES  largest socket payload accepted; larger frames\n"
"                         close the connection (default %d)\n"
"  -v, --verbose          log every message sent and received in hex\n"
"  -q, --quiet            log nothing\n"
"  -h, --help             show this help\n"
"  -V, --version          show the version\n"
"\n"
"Misbehaviour LIST: NAME[=VALUE][@CODE] joined by '+' (or ','); @CODE\n"
"limits a switch to one request code (e.g. @0x84); 'none' is no switch.\n",
		SOCK_DEFAULT_PORT, DEFAULT_ADDRESS, DEFAULT_VERSIONS,
		SOCK_DEFAULT_MAX_PAYLOAD);
	misbehave_help(f);
	fprintf(f,
"\n"
"Logs go to stderr.  SIGTERM or SIGINT stop the responder cleanly.\n"
"Exit status: 0 stopped by signal or --help, 1 runtime failure (cannot\n"
"listen, cannot write the port file), 2 invalid command line.\n");
}

static int __printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "spdm-responder: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\nTry 'spdm-responder --help'.\n");
	va_end(ap);
	return -EINVAL;
}

static int parse_size(const char *s, size_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n < MIN_PAYLOAD || n > MAX_PAYLOAD)
		return -EINVAL;
	*v = n;
	return 0;
}

static int parse_versions(const char *list, struct spdm_version_set *set)
{
	const char *why;

	if (spdm_versions_parse(list, set, &why))
		return usage_error("bad version list '%s': %s", list, why);
	return 0;
}

static int parse_misbehave(const char *list, struct misbehave_set *set)
{
	char err[128];

	if (misbehave_parse(list, set, err, sizeof(err)))
		return usage_error("bad misbehaviour list '%s': %s", list, err);
	return 0;
}

static int parse_port_opt(char *opt, struct port_cfg *cfg)
{
	char *val = strchr(opt, '=');

	if (!val)
		return usage_error("port option '%s' needs a value", opt);
	*val++ = '\0';
	if (!strcmp(opt, "versions"))
		return parse_versions(val, &cfg->versions);
	if (!strcmp(opt, "misbehave"))
		return parse_misbehave(val, &cfg->misbehave);
	return usage_error("unknown port option '%s' (versions=, misbehave=)",
			   opt);
}

/* "PORT[:OPT=VAL...]"; @cfg arrives holding the global defaults. */
static int parse_port_spec(const char *spec, struct port_cfg *cfg)
{
	char *copy, *opt, *end;
	unsigned long port;
	int ret = 0;

	copy = strdup(spec);
	if (!copy)
		return -ENOMEM;
	opt = strchr(copy, ':');
	if (opt)
		*opt++ = '\0';
	errno = 0;
	port = strtoul(copy, &end, 10);
	if (copy[0] < '0' || copy[0] > '9' || *end || errno || port > 65535)
		ret = usage_error("bad port '%s'", copy);
	cfg->port = port;
	while (opt && !ret) {
		char *next = strchr(opt, ':');

		if (next)
			*next++ = '\0';
		ret = parse_port_opt(opt, cfg);
		opt = next;
	}
	free(copy);
	return ret;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int c;

	while ((c = getopt_long(argc, argv, "p:a:vqhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (o->nr_ports == MAX_PORTS)
				return usage_error("more than %d ports", MAX_PORTS);
			o->port_spec[o->nr_ports++] = optarg;
			break;
		case 'a':
			o->address = optarg;
			break;
		case OPT_VERSIONS:
			o->versions = optarg;
			break;
		case OPT_MISBEHAVE:
			o->misbehave = optarg;
			break;
		case OPT_PORT_FILE:
			o->port_file = optarg;
			break;
		case OPT_MAX_PAYLOAD:
			if (parse_size(optarg, &o->max_payload))
				return usage_error("bad --max-payload '%s' (%d .. %lu)",
						   optarg, MIN_PAYLOAD, MAX_PAYLOAD);
			break;
		case 'v':
			log_level = LOG_VERBOSE;
			break;
		case 'q':
			log_level = LOG_QUIET;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		case 'V':
			printf("spdm-responder %s\n", PROG_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, "Try 'spdm-responder --help'.\n");
			return -EINVAL;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Resolve every --port against the defaults; reject duplicate ports. */
static int build_configs(const struct options *o, struct port_cfg *cfgs)
{
	struct port_cfg defaults = { 0 };
	unsigned int i, j;
	int ret;

	ret = parse_versions(o->versions, &defaults.versions);
	ret = ret ?: parse_misbehave(o->misbehave, &defaults.misbehave);
	for (i = 0; i < o->nr_ports && !ret; i++) {
		cfgs[i] = defaults;
		ret = parse_port_spec(o->port_spec[i], &cfgs[i]);
		for (j = 0; j < i && !ret; j++) {
			if (cfgs[i].port && cfgs[i].port == cfgs[j].port)
				ret = usage_error("port %u given twice",
						  cfgs[i].port);
		}
	}
	return ret;
}

static int write_port_file(const char *path, const struct spdm_device *devs,
			   unsigned int n)
{
	char tmp[4096];
	unsigned int i;
	FILE *f;
	int err;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		goto fail;
	for (i = 0; i < n; i++)
		fprintf(f, "%u\n", devs[i].port);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		goto fail_unlink;
	}
	if (fclose(f) || rename(tmp, path))
		goto fail_unlink;
	return 0;

fail_unlink:
	err = errno;
	unlink(tmp);
	errno = err;
fail:
	err = errno;
	log_msg("cannot write port file %s: %s", path, strerror(err));
	return -err;
}

static void log_device(const struct spdm_device *dev, const char *address)
{
	char versions[128], misbehave[256];

	spdm_versions_format(&dev->versions, versions, sizeof(versions));
	misbehave_format(&dev->misbehave, misbehave, sizeof(misbehave));
	log_msg("device %u: listening on %s port %u, versions %s, misbehave %s",
		dev->index, address, dev->port, versions, misbehave);
}

static int start(const struct options *o, const struct port_cfg *cfgs,
		 struct spdm_device *devs, struct server *s)
{
	unsigned int i;
	int ret;

	ret = server_init(s, o->max_payload, o->nr_ports);
	for (i = 0; i < o->nr_ports && !ret; i++) {
		spdm_device_init(&devs[i], i, &cfgs[i].versions,
				 &cfgs[i].misbehave);
		ret = server_listen(s, o->address, cfgs[i].port, &devs[i]);
		if (!ret)
			log_device(&devs[i], o->address);
	}
	if (!ret && o->port_file)
		ret = write_port_file(o->port_file, devs, o->nr_ports);
	return ret;
}

int main(int argc, char **argv)
{
	char default_port[8];
	struct options o = {
		.address = DEFAULT_ADDRESS,
		.versions = DEFAULT_VERSIONS,
		.misbehave = "none",
		.max_payload = SOCK_DEFAULT_MAX_PAYLOAD,
	};
	struct port_cfg cfgs[MAX_PORTS];
	struct spdm_device devs[MAX_PORTS];
	struct server s;
	int ret;

	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	if (!o.nr_ports) {
		snprintf(default_port, sizeof(default_port), "%d",
			 SOCK_DEFAULT_PORT);
		o.port_spec[0] = default_port;
		o.nr_ports = 1;
	}
	if (build_configs(&o, cfgs))
		return EXIT_USAGE;
	if (server_signals_init()) {
		perror("spdm-responder: signals");
		return EXIT_FAILURE;
	}
	ret = start(&o, cfgs, devs, &s);
	if (!ret)
		ret = server_run(&s);
	server_close(&s);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
