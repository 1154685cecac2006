// SPDX-License-Identifier: GPL-2.0
/*
 * spdm-responder: software SPDM responder serving the SPDM socket
 * protocol (PCI_DOE transport) that QEMU's spdm_port devices and DMTF
 * spdm-emu speak.  One TCP port per emulated device.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
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
#define MAX_SLOT_OPTS		(8 * 4)
#define MAX_CT_EXPONENT		31
#define MAX_DATA_TRANSFER	(1U << 20)

struct options {
	const char *address;
	const char *versions;
	const char *misbehave;
	const char *port_file;
	size_t max_payload;
	const char *port_spec[MAX_PORTS];
	unsigned int nr_ports;
	/* device defaults, applied to every --port */
	const char *certs;
	const char *slots;
	const char *slot[MAX_SLOT_OPTS];
	unsigned int nr_slot;
	const char *hash;
	const char *ct_exponent;
	const char *data_transfer_size;
	const char *max_msg_size;
	const char *meas;		/* the last of --meas/--meas-count */
	const char *meas_count;
	const char *meas_hash;
	const char *meas_cap;
	const char *dhe;
	const char *aead;
	const char *session;
	const char *heartbeat;
	const char *keylog;
	const char *identity;
	const char *cache;
	const char *pqc_first;
};

/* A --port argument, resolved against the global defaults. */
struct port_cfg {
	unsigned int port;
	struct spdm_version_set versions;
	struct misbehave_set misbehave;
	struct spdm_dev_config dev;
	char *spec_copy;		/* dev's strings point into it */
};

enum {
	OPT_VERSIONS = 256, OPT_MISBEHAVE, OPT_PORT_FILE, OPT_MAX_PAYLOAD,
	OPT_CERTS, OPT_SLOTS, OPT_SLOT, OPT_HASH, OPT_CT_EXPONENT,
	OPT_DATA_TRANSFER_SIZE, OPT_MEAS, OPT_MEAS_COUNT, OPT_MEAS_HASH,
	OPT_MEAS_CAP, OPT_DHE, OPT_AEAD, OPT_SESSION, OPT_HEARTBEAT,
	OPT_KEYLOG, OPT_MAX_MSG_SIZE, OPT_IDENTITY, OPT_CACHE, OPT_PQC_FIRST,
};

static const struct option long_opts[] = {
	{ "port",	 required_argument, NULL, 'p' },
	{ "address",	 required_argument, NULL, 'a' },
	{ "versions",	 required_argument, NULL, OPT_VERSIONS },
	{ "misbehave",	 required_argument, NULL, OPT_MISBEHAVE },
	{ "port-file",	 required_argument, NULL, OPT_PORT_FILE },
	{ "max-payload", required_argument, NULL, OPT_MAX_PAYLOAD },
	{ "certs",	 required_argument, NULL, OPT_CERTS },
	{ "slots",	 required_argument, NULL, OPT_SLOTS },
	{ "slot",	 required_argument, NULL, OPT_SLOT },
	{ "hash",	 required_argument, NULL, OPT_HASH },
	{ "ct-exponent", required_argument, NULL, OPT_CT_EXPONENT },
	{ "data-transfer-size", required_argument, NULL, OPT_DATA_TRANSFER_SIZE },
	{ "max-msg-size", required_argument, NULL, OPT_MAX_MSG_SIZE },
	{ "meas",	 required_argument, NULL, OPT_MEAS },
	{ "meas-count",	 required_argument, NULL, OPT_MEAS_COUNT },
	{ "meas-hash",	 required_argument, NULL, OPT_MEAS_HASH },
	{ "meas-cap",	 required_argument, NULL, OPT_MEAS_CAP },
	{ "dhe",	 required_argument, NULL, OPT_DHE },
	{ "aead",	 required_argument, NULL, OPT_AEAD },
	{ "session",	 required_argument, NULL, OPT_SESSION },
	{ "heartbeat",	 required_argument, NULL, OPT_HEARTBEAT },
	{ "cache",	 required_argument, NULL, OPT_CACHE },
	{ "pqc-first",	 required_argument, NULL, OPT_PQC_FIRST },
	{ "keylog",	 required_argument, NULL, OPT_KEYLOG },
	{ "identity",	 required_argument, NULL, OPT_IDENTITY },
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
"Software SPDM responder (DSP0274 1.0-1.4) for the SPDM socket protocol\n"
"(QEMU spdm_port=, DMTF spdm-emu), PCI_DOE transport.  Each --port is one\n"
"emulated device whose state persists across connections.  Answers\n"
"GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS, GET_DIGESTS,\n"
"GET_CERTIFICATE, CHALLENGE, GET_MEASUREMENTS, RESPOND_IF_READY, CHUNK_GET\n"
"(with --max-msg-size) and, for secure sessions (DSP0277 secured messages\n"
"in DOE type 2), KEY_EXCHANGE, FINISH, HEARTBEAT, KEY_UPDATE and\n"
"END_SESSION; every other request gets ERROR(UnsupportedRequest).\n"
"Without certificates the device has no CERT_CAP/CHAL_CAP/KEY_EX_CAP and,\n"
"unless measurements are asked for, only negotiates.\n"
"\n"
"Options:\n"
"  -p, --port PORT[:OPT=VAL...]  listen on PORT (0: any free port) for one\n"
"                         device; may repeat (default: one device on %d).\n"
"                         OPTs override the global defaults for it:\n"
"                           versions=LIST    as --versions\n"
"                           misbehave=LIST   as --misbehave\n"
"                           certs=DIR        as --certs\n"
"                           slots=SLOTS      as --slots\n"
"                           slot=N=DIR       as --slot (may repeat)\n"
"                           hash=LIST        as --hash\n"
"                           ct-exponent=N    as --ct-exponent\n"
"                           data-transfer-size=N  as --data-transfer-size\n"
"                           max-msg-size=N   as --max-msg-size\n"
"                           meas=FILE|builtin|none  as --meas\n"
"                           meas-count=N     as --meas-count\n"
"                           meas-hash=LIST   as --meas-hash\n"
"                           meas-cap=sig|nosig  as --meas-cap\n"
"                           dhe=LIST         as --dhe\n"
"                           aead=LIST        as --aead\n"
"                           session=on|clear|none  as --session\n"
"                           heartbeat=SEC    as --heartbeat\n"
"                           cache=on|off     as --cache\n"
"                           pqc-first=yes|no|auto  as --pqc-first\n"
"                           keylog=FILE      as --keylog\n"
"                           identity=FILE    as --identity\n"
"                         e.g. --port 0:versions=1.2,1.3:misbehave=delay=50\n"
"                         (paths in a --port cannot contain ':')\n"
"  -a, --address ADDR     listen address (default %s)\n"
"      --versions LIST    SPDM versions VERSION offers, comma-separated\n"
"                         M.N from 1.0-1.4 (default %s: 1.4 only\n"
"                         when listed, see \"SPDM 1.4\" below)\n"
"      --certs DIR        certificate chain and key written by\n"
"                         tools/spdm/mkcerts (chain.der, leaf.key); the\n"
"                         signature algorithm follows from the key:\n"
"                         ECDSA, RSA, or ML-DSA-44/65/87 (SPDM 1.4\n"
"                         PqcAsymAlgo; needs a build with OpenSSL 3.5+)\n"
"      --slots SLOTS      provisioned certificate slots: a list of slot\n"
"                         numbers 0-7 (\"0,2\"), a mask (\"0x05\") or\n"
"                         \"none\" (default 0); each serves --certs\n"
"      --slot N=DIR       slot N serves the chain in DIR instead (and is\n"
"                         provisioned); may repeat\n"
"      --identity FILE    the device's identity may change while it runs:\n"
"                         FILE, when it exists and is not empty, holds one\n"
"                         line naming a directory as for --certs (relative:\n"
"                         to FILE's directory) whose chain and key replace\n"
"                         those of --certs in the slots serving --certs;\n"
"                         missing or empty: --certs.  Re-read when it\n"
"                         changes, see \"Identity file\" below\n"
"      --hash LIST        hash algorithms the device supports:\n"
"                         sha256,sha384,sha512 or all (default all); the\n"
"                         strongest one the requester offers is chosen\n"
"      --ct-exponent N    CTExponent in CAPABILITIES: CT = 2^N us\n"
"                         (0-%d, default %d)\n"
"      --data-transfer-size N  DataTransferSize in CAPABILITIES (1.2+),\n"
"                         and the largest message sent in any version\n"
"                         (%d-%u, default %d; QEMU's DOE buffer takes\n"
"                         4600 at most)\n"
"      --max-msg-size N   MaxSPDMmsgSize in CAPABILITIES (1.2+), at least\n"
"                         --data-transfer-size (default: equal to it, no\n"
"                         chunking, but %u with ML-DSA keys; at most\n"
"                         %u).  Larger: CHUNK_CAP,\n"
"                         and a response larger than the smaller\n"
"                         DataTransferSize of the two sides goes to a\n"
"                         requester with CHUNK_CAP as ERROR(LargeResponse)\n"
"                         with a Handle, then in CHUNK_RESPONSEs to its\n"
"                         CHUNK_GETs\n"
"      --meas FILE|builtin|none  the device's measurements (MEAS_CAP):\n"
"                         builtin (the default with certificates; none\n"
"                         without): 1 immutable ROM, 2 mutable firmware,\n"
"                         3 hardware configuration (digests), 4 firmware\n"
"                         version \"1.0.0\" (raw); none: no MEAS_CAP;\n"
"                         FILE: one block per line, INDEX TYPE FORMAT\n"
"                         VALUE (see below), re-read when its size or\n"
"                         modification time changes (at GET_MEASUREMENTS\n"
"                         and CHALLENGE)\n"
"      --meas-count N     N synthetic digest blocks, indices 1-N (1-%d):\n"
"                         digests of the text \"measurement I\", types\n"
"                         cycling immutable ROM, mutable firmware,\n"
"                         hardware and firmware configuration\n"
"      --meas-hash LIST   MeasurementHashAlgo the device supports:\n"
"                         sha256,sha384,sha512,raw or all (default all:\n"
"                         the three hashes); selected: the base hash's\n"
"                         strength if listed, else the strongest; raw\n"
"                         alone: every block is sent as raw bit stream\n"
"      --meas-cap sig|nosig  MEAS_CAP 10b (signed MEASUREMENTS, needs\n"
"                         certificates; the default with them) or 01b\n"
"                         (the default for measurements without them)\n"
"      --session on|clear|none  secure sessions (with certificates):\n"
"                         on (default): KEY_EX_CAP, ENCRYPT_CAP, MAC_CAP,\n"
"                         HBEAT_CAP, KEY_UPD_CAP; clear: also\n"
"                         HANDSHAKE_IN_THE_CLEAR_CAP; none: no sessions\n"
"      --cache on|off     CACHE_CAP: the device keeps its negotiated\n"
"                         state (version, capabilities, algorithms) across\n"
"                         a reset, so a requester may skip GET_VERSION ..\n"
"                         NEGOTIATE_ALGORITHMS after one (default off;\n"
"                         the state outlives connections either way)\n"
"      --pqc-first yes|no|auto  SPDM 1.4, a device with ML-DSA and other\n"
"                         keys, a requester offering algorithms of both:\n"
"                         select its PqcAsymAlgo (yes) or BaseAsymAlgo\n"
"                         (no); auto (default): the kind of the key of\n"
"                         the lowest slot (--certs without slots: its)\n"
"      --heartbeat SEC    HeartbeatPeriod of KEY_EXCHANGE_RSP (0-255,\n"
"                         default 0: none); a session that sees no\n"
"                         secured message for twice that long ends (a\n"
"                         later record gets ERROR InvalidSession)\n"
"      --keylog FILE      append every secret of every session (the ECDH\n"
"                         secret, the key schedule's secrets, keys and\n"
"                         IVs, after each key update too) to FILE as\n"
"                         \"SESSIONID NAME HEX\" lines: for tests that look\n"
"                         for key material where it must not be\n"
"      --dhe LIST         DHE groups for KEY_EXCHANGE: secp256r1,secp384r1\n"
"                         or all (default all; the strongest offered wins)\n"
"      --aead LIST        AEAD suites: aes-128-gcm,aes-256-gcm,\n"
"                         chacha20-poly1305 or all (default all; chosen:\n"
"                         AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM)\n"
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
"limits a switch to one request code (e.g. @0x84); 'none' is no switch.\n"
"Each makes a response a careful requester must reject or recover from.\n",
		SOCK_DEFAULT_PORT, DEFAULT_ADDRESS, DEFAULT_VERSIONS,
		MAX_CT_EXPONENT, SPDM_DEFAULT_CT_EXPONENT,
		SPDM_MIN_DATA_TRANSFER_SIZE, MAX_DATA_TRANSFER,
		SPDM_DEFAULT_DATA_TRANSFER_SIZE, SPDM_PQC_MAX_MSG_SIZE,
		MAX_DATA_TRANSFER, SPDM_MEAS_MAX_BLOCKS,
		SOCK_DEFAULT_MAX_PAYLOAD);
	misbehave_help(f);
	fprintf(f,
"\n"
"Measurements file (--meas FILE): a line per block, '#' starts a comment:\n"
"  INDEX   1-254 (decimal or 0x hex), each at most once\n"
"  TYPE    DMTFSpecMeasurementValueType 0-127 or immutable-rom,\n"
"          mutable-firmware, hardware-config, firmware-config, manifest,\n"
"          device-mode, firmware-version, security-version, hash-extended,\n"
"          informational, structured-manifest\n"
"  FORMAT  digest: VALUE is the measured content, sent as its hash with\n"
"          the selected MeasurementHashAlgo (as content when the requester\n"
"          sets RawBitStreamRequested, 1.2+); raw: VALUE is sent as is\n"
"  VALUE   hex, 1 to %d bytes\n"
"e.g. \"2 mutable-firmware digest 6669726d77617265\".  Replace the file\n"
"(write, rename) to model a firmware update: the next request sees it,\n"
"a signed 1.2+ MEASUREMENTS says MeasurementContentChanged.  A file that\n"
"does not parse is logged and the last measurements stay.\n"
"MeasurementSummaryHash: TCB (type 1) covers the immutable ROM and\n"
"mutable firmware blocks, 0xFF all blocks.\n"
"\n"
"Identity file (--identity FILE): a device replaced or re-keyed behind\n"
"the same port, e.g. to test a requester's same-device check after a\n"
"reset.  FILE is re-read when its size or modification time changes\n"
"(checked at GET_VERSION, NEGOTIATE_ALGORITHMS, GET_DIGESTS,\n"
"GET_CERTIFICATE, CHALLENGE, GET_MEASUREMENTS and KEY_EXCHANGE), and the\n"
"directory it names is then read afresh; replace FILE (write, rename) or\n"
"remove it to go back to --certs.  From the switch on, DIGESTS,\n"
"CERTIFICATE (chunked too), the CertChainHash of CHALLENGE_AUTH and the\n"
"TH of KEY_EXCHANGE carry the new chain and every signature comes from\n"
"the new key; established sessions keep their keys.  If the new key\n"
"cannot sign with the BaseAsymAlgo the connection negotiated (e.g. a\n"
"P-256 key after ECDSA P-384 was selected), the switch waits for the next\n"
"GET_VERSION: until then the connection keeps the old chain and key, as\n"
"for a device that takes its new identity on reset; the new ALGORITHMS\n"
"then selects the new key's algorithm.  Switches are logged; a FILE or\n"
"directory that cannot be read is logged and the identity stays (at\n"
"start-up it is an error).\n"
"\n"
"SPDM 1.4 (versions= listing 1.4; a requester picks the highest common\n"
"version): VERSION lists 1.4 (0x1400); CAPABILITIES ExtFlags 0, no\n"
"LARGE_RESP_CAP; NEGOTIATE_ALGORITHMS' PqcAsymAlgo is read, but there are\n"
"no ML-DSA keys yet (OpenSSL 3.5): ALGORITHMS selects a BaseAsymAlgo with\n"
"PqcAsymSel 0, a requester offering only PqcAsymAlgo (BaseAsymAlgo 0)\n"
"gets ERROR InvalidRequest, AlgStructs 6 (ReqPqcAsymAlg) and 7 (KEMAlg)\n"
"are answered with nothing selected; signatures use the prefix\n"
"\"dmtf-spdm-v1.4.*\", the key schedule \"spdm1.4 \"; FINISH carries\n"
"OpaqueDataLength and OpaqueData (any, in the transcript) before\n"
"RequesterVerifyData, FINISH_RSP an empty OpaqueData; CHUNK_GET (8 bytes)\n"
"and CHUNK_RESPONSE have a 32-bit ChunkSeqNo; the certificate chain's\n"
"Length is 32 bits (the same bytes: chains stay below 64 KiB);\n"
"GET_CERTIFICATE with LargeCertChain gets ERROR UnsupportedRequest.\n"
"\n"
"Logs go to stderr.  SIGTERM or SIGINT stop the responder cleanly.\n"
"Exit status: 0 stopped by signal or --help, 1 runtime failure (cannot\n"
"load certificates, the identity or measurements, cannot listen, cannot\n"
"write the port file), 2 invalid command line.\n", SPDM_MEAS_MAX_VALUE);
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

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || *v < min || *v > max ? -EINVAL : 0;
}

/* "0,2,5", "0x25" or "none" -> slot mask */
static int parse_slots(const char *spec, struct spdm_dev_config *dev)
{
	unsigned long v;
	const char *p;

	dev->slot_mask = 0;
	dev->slot_mask_set = true;
	if (!strcmp(spec, "none"))
		return 0;
	if (!strncmp(spec, "0x", 2) || !strncmp(spec, "0X", 2)) {
		if (parse_uint(spec, 0, 0xff, &v))
			return usage_error("bad slot mask '%s' (0x00-0xff)", spec);
		dev->slot_mask = v;
		return 0;
	}
	for (p = spec; *p; p++) {
		if (*p < '0' || *p > '7' || (p[1] && p[1] != ',') ||
		    (p[1] == ',' && !p[2]))
			return usage_error("bad slot list '%s' (slot numbers 0-7, comma-separated)",
					   spec);
		dev->slot_mask |= 1U << (*p - '0');
		if (p[1])
			p++;
	}
	return 0;
}

/* "N=DIR": slot N serves DIR (@arg is modified) */
static int parse_slot(char *arg, struct spdm_dev_config *dev)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq != arg + 1 || *arg < '0' || *arg > '7' || !eq[1])
		return usage_error("bad slot '%s' (N=DIR, N 0-7)", arg);
	dev->slot_dir[*arg - '0'] = eq + 1;
	return 0;
}

static int parse_hash(const char *list, struct spdm_dev_config *dev)
{
	if (spdm_hash_parse_list(list, &dev->hash_mask))
		return usage_error("bad hash list '%s' (sha256,sha384,sha512 or all)",
				   list);
	return 0;
}

static int parse_ct_exponent(const char *s, struct spdm_dev_config *dev)
{
	unsigned long v;

	if (parse_uint(s, 0, MAX_CT_EXPONENT, &v))
		return usage_error("bad CT exponent '%s' (0-%d)", s,
				   MAX_CT_EXPONENT);
	dev->ct_exponent = v;
	return 0;
}

static int parse_msg_size(const char *s, const char *what, uint32_t *size)
{
	unsigned long v;

	if (parse_uint(s, SPDM_MIN_DATA_TRANSFER_SIZE, MAX_DATA_TRANSFER, &v))
		return usage_error("bad %s '%s' (%d-%u)", what, s,
				   SPDM_MIN_DATA_TRANSFER_SIZE,
				   MAX_DATA_TRANSFER);
	*size = v;
	return 0;
}

static int parse_dts(const char *s, struct spdm_dev_config *dev)
{
	return parse_msg_size(s, "data transfer size",
			      &dev->data_transfer_size);
}

static int parse_max_msg(const char *s, struct spdm_dev_config *dev)
{
	return parse_msg_size(s, "max message size", &dev->max_msg_size);
}

/* A port's max-msg-size, if given, must hold its data-transfer-size. */
static int check_sizes(const struct port_cfg *cfg)
{
	const struct spdm_dev_config *d = &cfg->dev;

	if (d->max_msg_size && d->max_msg_size < d->data_transfer_size)
		return usage_error("port %u: max message size %u is less than the data transfer size %u",
				   cfg->port, d->max_msg_size,
				   d->data_transfer_size);
	return 0;
}

/* "FILE", "builtin" or "none" */
static int parse_meas(const char *s, struct spdm_dev_config *dev)
{
	if (!*s)
		return usage_error("empty measurements file name");
	if (!strcmp(s, "none")) {
		dev->meas.src = SPDM_MEAS_SRC_NONE;
	} else if (!strcmp(s, "builtin")) {
		dev->meas.src = SPDM_MEAS_SRC_BUILTIN;
	} else {
		dev->meas.src = SPDM_MEAS_SRC_FILE;
		dev->meas.file = s;
	}
	return 0;
}

static int parse_meas_count(const char *s, struct spdm_dev_config *dev)
{
	unsigned long v;

	if (parse_uint(s, 1, SPDM_MEAS_MAX_BLOCKS, &v))
		return usage_error("bad measurement count '%s' (1-%d)", s,
				   SPDM_MEAS_MAX_BLOCKS);
	dev->meas.src = SPDM_MEAS_SRC_COUNT;
	dev->meas.count = v;
	return 0;
}

static int parse_meas_hash(const char *list, struct spdm_dev_config *dev)
{
	if (spdm_meas_parse_hash(list, &dev->meas.hash_mask))
		return usage_error("bad measurement hash list '%s' (sha256,sha384,sha512,raw or all)",
				   list);
	return 0;
}

static int parse_cache(const char *s, struct spdm_dev_config *dev)
{
	if (!strcmp(s, "on"))
		dev->cache_cap = true;
	else if (!strcmp(s, "off"))
		dev->cache_cap = false;
	else
		return usage_error("bad cache '%s' (on or off)", s);
	return 0;
}

static int parse_pqc_first(const char *s, struct spdm_dev_config *dev)
{
	if (!strcmp(s, "yes") && spdm_mldsa_unsupported())
		return usage_error("pqc-first=yes: %s",
				   spdm_mldsa_unsupported());
	if (!strcmp(s, "yes"))
		dev->pqc_first = SPDM_PQC_FIRST_YES;
	else if (!strcmp(s, "no"))
		dev->pqc_first = SPDM_PQC_FIRST_NO;
	else if (!strcmp(s, "auto"))
		dev->pqc_first = SPDM_PQC_FIRST_AUTO;
	else
		return usage_error("bad pqc-first '%s' (yes, no or auto)", s);
	return 0;
}

static int parse_meas_cap(const char *s, struct spdm_dev_config *dev)
{
	if (!strcmp(s, "sig"))
		dev->meas.cap = SPDM_MEAS_CAP_SIG;
	else if (!strcmp(s, "nosig"))
		dev->meas.cap = SPDM_MEAS_CAP_NOSIG;
	else
		return usage_error("bad MEAS_CAP '%s' (sig or nosig)", s);
	return 0;
}

static int parse_dhe(const char *list, struct spdm_dev_config *dev)
{
	if (spdm_dhe_parse_list(list, &dev->dhe_mask))
		return usage_error("bad DHE list '%s' (secp256r1,secp384r1 or all)",
				   list);
	return 0;
}

static int parse_aead(const char *list, struct spdm_dev_config *dev)
{
	if (spdm_aead_parse_list(list, &dev->aead_mask))
		return usage_error("bad AEAD list '%s' (aes-128-gcm,aes-256-gcm,chacha20-poly1305 or all)",
				   list);
	return 0;
}

static int parse_session(const char *s, struct spdm_dev_config *dev)
{
	if (!strcmp(s, "on"))
		dev->session = SPDM_SESSION_ON;
	else if (!strcmp(s, "clear"))
		dev->session = SPDM_SESSION_CLEAR;
	else if (!strcmp(s, "none"))
		dev->session = SPDM_SESSION_NONE;
	else
		return usage_error("bad session mode '%s' (on, clear or none)",
				   s);
	return 0;
}

static int parse_heartbeat(const char *s, struct spdm_dev_config *dev)
{
	unsigned long v;

	if (parse_uint(s, 0, 255, &v))
		return usage_error("bad HeartbeatPeriod '%s' (0-255 seconds)",
				   s);
	dev->heartbeat_period = v;
	return 0;
}

static int parse_identity(const char *s, struct spdm_dev_config *dev)
{
	if (!*s)
		return usage_error("empty identity file name");
	dev->identity_file = s;
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
	if (!strcmp(opt, "certs")) {
		cfg->dev.certs_dir = val;
		return 0;
	}
	if (!strcmp(opt, "slots"))
		return parse_slots(val, &cfg->dev);
	if (!strcmp(opt, "slot"))
		return parse_slot(val, &cfg->dev);
	if (!strcmp(opt, "hash"))
		return parse_hash(val, &cfg->dev);
	if (!strcmp(opt, "ct-exponent"))
		return parse_ct_exponent(val, &cfg->dev);
	if (!strcmp(opt, "data-transfer-size"))
		return parse_dts(val, &cfg->dev);
	if (!strcmp(opt, "max-msg-size"))
		return parse_max_msg(val, &cfg->dev);
	if (!strcmp(opt, "meas"))
		return parse_meas(val, &cfg->dev);
	if (!strcmp(opt, "meas-count"))
		return parse_meas_count(val, &cfg->dev);
	if (!strcmp(opt, "meas-hash"))
		return parse_meas_hash(val, &cfg->dev);
	if (!strcmp(opt, "meas-cap"))
		return parse_meas_cap(val, &cfg->dev);
	if (!strcmp(opt, "dhe"))
		return parse_dhe(val, &cfg->dev);
	if (!strcmp(opt, "aead"))
		return parse_aead(val, &cfg->dev);
	if (!strcmp(opt, "session"))
		return parse_session(val, &cfg->dev);
	if (!strcmp(opt, "heartbeat"))
		return parse_heartbeat(val, &cfg->dev);
	if (!strcmp(opt, "cache"))
		return parse_cache(val, &cfg->dev);
	if (!strcmp(opt, "pqc-first"))
		return parse_pqc_first(val, &cfg->dev);
	if (!strcmp(opt, "keylog")) {
		cfg->dev.keylog = val;
		return 0;
	}
	if (!strcmp(opt, "identity"))
		return parse_identity(val, &cfg->dev);
	return usage_error("unknown port option '%s' (versions=, misbehave=, certs=, slots=, slot=, hash=, ct-exponent=, data-transfer-size=, max-msg-size=, meas=, meas-count=, meas-hash=, meas-cap=, dhe=, aead=, session=, heartbeat=, keylog=, identity=, cache=, pqc-first=)",
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
	cfg->spec_copy = copy;
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
		case OPT_CERTS:
			o->certs = optarg;
			break;
		case OPT_SLOTS:
			o->slots = optarg;
			break;
		case OPT_SLOT:
			if (o->nr_slot == MAX_SLOT_OPTS)
				return usage_error("more than %d --slot", MAX_SLOT_OPTS);
			o->slot[o->nr_slot++] = optarg;
			break;
		case OPT_HASH:
			o->hash = optarg;
			break;
		case OPT_CT_EXPONENT:
			o->ct_exponent = optarg;
			break;
		case OPT_DATA_TRANSFER_SIZE:
			o->data_transfer_size = optarg;
			break;
		case OPT_MAX_MSG_SIZE:
			o->max_msg_size = optarg;
			break;
		case OPT_MEAS:
			o->meas = optarg;
			o->meas_count = NULL;
			break;
		case OPT_MEAS_COUNT:
			o->meas_count = optarg;
			o->meas = NULL;
			break;
		case OPT_MEAS_HASH:
			o->meas_hash = optarg;
			break;
		case OPT_MEAS_CAP:
			o->meas_cap = optarg;
			break;
		case OPT_CACHE:
			o->cache = optarg;
			break;
		case OPT_PQC_FIRST:
			o->pqc_first = optarg;
			break;
		case OPT_DHE:
			o->dhe = optarg;
			break;
		case OPT_AEAD:
			o->aead = optarg;
			break;
		case OPT_SESSION:
			o->session = optarg;
			break;
		case OPT_HEARTBEAT:
			o->heartbeat = optarg;
			break;
		case OPT_KEYLOG:
			o->keylog = optarg;
			break;
		case OPT_IDENTITY:
			o->identity = optarg;
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

/* The device options given globally; @copies keeps --slot strings. */
static int parse_defaults(const struct options *o, struct port_cfg *d,
			  char **copies)
{
	unsigned int i;
	int ret;

	spdm_dev_config_init(&d->dev);
	ret = parse_versions(o->versions, &d->versions);
	ret = ret ?: parse_misbehave(o->misbehave, &d->misbehave);
	d->dev.certs_dir = o->certs;
	if (!ret && o->slots)
		ret = parse_slots(o->slots, &d->dev);
	for (i = 0; i < o->nr_slot && !ret; i++) {
		copies[i] = strdup(o->slot[i]);
		ret = copies[i] ? parse_slot(copies[i], &d->dev) : -ENOMEM;
	}
	if (!ret && o->hash)
		ret = parse_hash(o->hash, &d->dev);
	if (!ret && o->ct_exponent)
		ret = parse_ct_exponent(o->ct_exponent, &d->dev);
	if (!ret && o->data_transfer_size)
		ret = parse_dts(o->data_transfer_size, &d->dev);
	if (!ret && o->max_msg_size)
		ret = parse_max_msg(o->max_msg_size, &d->dev);
	if (!ret && o->meas)
		ret = parse_meas(o->meas, &d->dev);
	if (!ret && o->meas_count)
		ret = parse_meas_count(o->meas_count, &d->dev);
	if (!ret && o->meas_hash)
		ret = parse_meas_hash(o->meas_hash, &d->dev);
	if (!ret && o->meas_cap)
		ret = parse_meas_cap(o->meas_cap, &d->dev);
	if (!ret && o->cache)
		ret = parse_cache(o->cache, &d->dev);
	if (!ret && o->pqc_first)
		ret = parse_pqc_first(o->pqc_first, &d->dev);
	if (!ret && o->dhe)
		ret = parse_dhe(o->dhe, &d->dev);
	if (!ret && o->aead)
		ret = parse_aead(o->aead, &d->dev);
	if (!ret && o->session)
		ret = parse_session(o->session, &d->dev);
	if (!ret && o->heartbeat)
		ret = parse_heartbeat(o->heartbeat, &d->dev);
	d->dev.keylog = o->keylog;
	if (!ret && o->identity)
		ret = parse_identity(o->identity, &d->dev);
	return ret;
}

/* Resolve every --port against the defaults; reject duplicate ports. */
static int build_configs(const struct options *o, struct port_cfg *cfgs,
			 char **copies)
{
	struct port_cfg defaults = { 0 };
	unsigned int i, j;
	int ret;

	ret = parse_defaults(o, &defaults, copies);
	for (i = 0; i < o->nr_ports && !ret; i++) {
		cfgs[i] = defaults;
		ret = parse_port_spec(o->port_spec[i], &cfgs[i]) ?:
		      check_sizes(&cfgs[i]);
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
	char versions[128], misbehave[512], hashes[64], certs[64] = "none";
	char meas[PATH_MAX + 128], chunk[64] = "";
	unsigned int s;
	size_t used = 0;

	spdm_versions_format(&dev->versions, versions, sizeof(versions));
	misbehave_format(&dev->misbehave, misbehave, sizeof(misbehave));
	spdm_hash_format(dev->hash_mask, hashes, sizeof(hashes));
	for (s = 0; s < SPDM_MAX_SLOTS && used < sizeof(certs); s++)
		if (dev->slot[s])
			used += snprintf(certs + used, sizeof(certs) - used,
					 "%s%u:%s", used ? "," : "", s,
					 dev->slot[s]->key.desc);
	if (dev->rsp_flags & SPDM_CAP_CHUNK)
		snprintf(chunk, sizeof(chunk), ", MaxSPDMmsgSize %u (CHUNK_CAP)",
			 dev->max_msg_size);
	log_msg("device %u: listening on %s port %u, versions %s, slots %s, hashes %s, CTExponent %u, DataTransferSize %u%s, misbehave %s",
		dev->index, address, dev->port, versions, certs, hashes,
		dev->ct_exponent, dev->data_transfer_size, chunk, misbehave);
	spdm_meas_describe(dev, meas, sizeof(meas));
	log_msg("device %u: measurements %s", dev->index, meas);
	spdm_alg_format(dev->dhe_mask, false, hashes, sizeof(hashes));
	spdm_alg_format(dev->aead_mask, true, meas, sizeof(meas));
	log_msg("device %u: sessions %s, DHE %s, AEAD %s", dev->index,
		!(dev->rsp_flags & SPDM_CAP_KEY_EX) ? "off" :
		dev->session_mode == SPDM_SESSION_CLEAR ?
		"on (handshake in the clear allowed)" : "on", hashes, meas);
	if (dev->pqc_mask)
		log_msg("device %u: ML-DSA PqcAsymAlgo 0x%x (SPDM 1.4), %s first%s",
			dev->index, dev->pqc_mask,
			dev->pqc_first ? "PqcAsymAlgo" : "BaseAsymAlgo",
			spdm_versions_has(&dev->versions, SPDM_VER_14) ? "" :
			"; versions lack 1.4: ML-DSA keys cannot sign");
	if (dev->ident.file) {
		spdm_identity_describe(dev, meas, sizeof(meas));
		log_msg("device %u: identity %s", dev->index, meas);
	}
}

static int start(const struct options *o, const struct port_cfg *cfgs,
		 struct spdm_device *devs, unsigned int *nr_devs,
		 struct server *s)
{
	char err[512];
	unsigned int i;
	int ret;

	ret = server_init(s, o->max_payload, o->nr_ports);
	for (i = 0; i < o->nr_ports && !ret; i++) {
		spdm_device_init(&devs[i], i, &cfgs[i].versions,
				 &cfgs[i].misbehave);
		*nr_devs = i + 1;
		ret = spdm_device_configure(&devs[i], &cfgs[i].dev, err,
					    sizeof(err));
		if (ret) {
			log_msg("device %u (--port %u): %s", i, cfgs[i].port,
				err);
			break;
		}
		ret = server_listen(s, o->address, cfgs[i].port, &devs[i]);
		if (!ret)
			log_device(&devs[i], o->address);
	}
	if (!ret && o->port_file)
		ret = write_port_file(o->port_file, devs, o->nr_ports);
	return ret;
}

static void cleanup(struct port_cfg *cfgs, unsigned int nr_cfgs,
		    struct spdm_device *devs, unsigned int nr_devs,
		    char **copies)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++)
		spdm_device_release(&devs[i]);
	for (i = 0; i < nr_cfgs; i++)
		free(cfgs[i].spec_copy);
	for (i = 0; i < MAX_SLOT_OPTS; i++)
		free(copies[i]);
	certs_cleanup();
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
	static struct port_cfg cfgs[MAX_PORTS];
	static struct spdm_device devs[MAX_PORTS];
	char *copies[MAX_SLOT_OPTS] = { 0 };
	unsigned int nr_devs = 0;
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
	if (build_configs(&o, cfgs, copies)) {
		cleanup(cfgs, o.nr_ports, devs, 0, copies);
		return EXIT_USAGE;
	}
	if (server_signals_init()) {
		perror("spdm-responder: signals");
		cleanup(cfgs, o.nr_ports, devs, 0, copies);
		return EXIT_FAILURE;
	}
	ret = start(&o, cfgs, devs, &nr_devs, &s);
	if (!ret)
		ret = server_run(&s);
	server_close(&s);
	cleanup(cfgs, o.nr_ports, devs, nr_devs, copies);
	return ret ? EXIT_FAILURE : EXIT_SUCCESS;
}
