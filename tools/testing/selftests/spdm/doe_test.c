// SPDX-License-Identifier: GPL-2.0
/*
 * DOE path tests: the DOE mailboxes of the emulated NVMe controllers
 * (1b36:0010) in the spdm-vm guest, whose CMA objects QEMU forwards to an
 * SPDM responder.  The mailboxes are driven from userspace through the
 * sysfs config file (see doe.h), so these tests need root and must not run
 * while a kernel driver uses the same mailboxes.
 *
 * Environment:
 *   SPDM_EXPECT_DEVICES   number of devices expected (default: the lines of
 *                         $SPDM_VM_RUN/devices; without either that test
 *                         is skipped)
 *   SPDM_EXPECT_VERSIONS  versions each VERSION response must list:
 *                         "1.2,1.3" for every device, or per device
 *                         "0000:00:08.0=1.0,1.1;0000:00:09.0=1.2" (others
 *                         fall back to the default); default: versions= in
 *                         the device's line of $SPDM_VM_RUN/devices, else
 *                         1.0,1.1,1.2,1.3
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "doe.h"
#include "spdm_msg.h"

#define NVME_VENDOR		0x1b36
#define NVME_DEVICE		0x0010
#define MAX_DEVS		32
#define DEFAULT_VERSIONS	"1.0,1.1,1.2,1.3"
#define VERSION_STR_LEN		(256 * 5)
#define RSP_SIZE		4096

struct test_dev {
	char bdf[16];
	int fd;
	int doe;		/* doe_mb_init() result: 0 or -errno */
	struct doe_mb mb;
};

static const uint8_t get_version_req[] = {
	SPDM_VERSION_10, SPDM_GET_VERSION, 0, 0
};

static int read_id(const char *bdf, const char *attr, unsigned int *val)
{
	char path[PATH_MAX];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%x", val);
	fclose(f);
	return n == 1 ? 0 : -1;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct test_dev *)a)->bdf,
		      ((const struct test_dev *)b)->bdf);
}

/* The 1b36:0010 functions, sorted by address; returns how many exist. */
static int find_devices(struct test_dev *devs, int max)
{
	unsigned int vendor, device;
	struct dirent *d;
	int n = 0;
	DIR *dir;

	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || strlen(d->d_name) >= sizeof(devs->bdf))
			continue;
		if (read_id(d->d_name, "vendor", &vendor) ||
		    read_id(d->d_name, "device", &device) ||
		    vendor != NVME_VENDOR || device != NVME_DEVICE)
			continue;
		if (n < max)
			snprintf(devs[n].bdf, sizeof(devs[n].bdf), "%s", d->d_name);
		n++;
	}
	closedir(dir);
	qsort(devs, n < max ? n : max, sizeof(*devs), cmp_dev);
	return n;
}

/* $SPDM_VM_RUN/devices, or NULL */
static FILE *open_run_devices(void)
{
	const char *run = getenv("SPDM_VM_RUN");
	char path[PATH_MAX];

	if (!run || !*run)
		return NULL;
	snprintf(path, sizeof(path), "%s/devices", run);
	return fopen(path, "r");
}

/*
 * The next "BDF HOST:PORT OPTS" line of the run's devices file; @bdf is
 * canonical, @opts possibly empty.  Returns false at the end.
 */
static bool next_run_device(FILE *f, char *bdf, size_t bdf_len, char *opts,
			    size_t opts_len)
{
	char line[1024], dev[64], addr[256], config[PATH_MAX];

	while (fgets(line, sizeof(line), f)) {
		opts[0] = '\0';
		if (sscanf(line, "%63s %255s %1023[^\n]", dev, addr, opts) < 1 ||
		    dev[0] == '#')
			continue;
		if (doe_resolve(dev, bdf, bdf_len, config, sizeof(config)))
			snprintf(bdf, bdf_len, "%s", dev);
		opts[opts_len - 1] = '\0';
		return true;
	}
	return false;
}

/* Expected device count: SPDM_EXPECT_DEVICES, else the run's devices; -1 if unknown. */
static int expected_device_count(void)
{
	const char *env = getenv("SPDM_EXPECT_DEVICES");
	char bdf[64], opts[1024];
	FILE *f;
	int n = 0;

	if (env && *env)
		return atoi(env);
	f = open_run_devices();
	if (!f)
		return -1;
	while (next_run_device(f, bdf, sizeof(bdf), opts, sizeof(opts)))
		n++;
	fclose(f);
	return n;
}

/*
 * Parse a version list such as "1.0,1.1" into a set indexed by
 * major << 4 | minor.  The list ends before the first item that is not a
 * version.  Returns the number of characters used, or -1 if there is no
 * version at all.
 */
static int parse_versions(const char *s, bool set[256])
{
	unsigned int major, minor;
	const char *p = s, *end = NULL;
	int n;

	memset(set, 0, 256 * sizeof(*set));
	for (;;) {
		if (!isdigit((unsigned char)*p) ||
		    sscanf(p, "%u.%u%n", &major, &minor, &n) != 2 ||
		    major > 15 || minor > 15)
			return end ? end - s : -1;
		set[major << 4 | minor] = true;
		p += n;
		end = p;
		if (*p != ',')
			return end - s;
		p++;
	}
}

/* "1.0,1.2" from a set, ascending */
static void versions_str(const bool set[256], char *buf, size_t len)
{
	size_t off = 0;
	int v;

	buf[0] = '\0';
	for (v = 0; v < 256 && off < len; v++)
		if (set[v])
			off += snprintf(buf + off, len - off, "%s%d.%d",
					off ? "," : "", v >> 4, v & 0xf);
}

/*
 * The versions device @bdf must report, as a canonical string.  Returns
 * false (with @why set) if an expectation cannot be parsed.
 */
static bool expected_versions(const char *bdf, char *buf, size_t len,
			      const char **why)
{
	const char *env = getenv("SPDM_EXPECT_VERSIONS"), *p, *v;
	char dev[64], canon[16], config[PATH_MAX], rbdf[64], opts[1024];
	bool set[256];
	FILE *f;
	int n;

	if (env && *env && !strchr(env, '=')) {
		*why = "SPDM_EXPECT_VERSIONS";
		if (parse_versions(env, set) != (int)strlen(env))
			return false;
		versions_str(set, buf, len);
		return true;
	}
	for (p = env; p && *p; p += strcspn(p, ";"), p += !!*p) {
		*why = "SPDM_EXPECT_VERSIONS";
		v = strchr(p, '=');
		if (!v || v - p >= (int)sizeof(dev))
			return false;
		memcpy(dev, p, v - p);
		dev[v - p] = '\0';
		if (doe_resolve(dev, canon, sizeof(canon), config, sizeof(config)))
			return false;
		n = parse_versions(v + 1, set);
		if (n < 0 || (v[1 + n] && v[1 + n] != ';'))
			return false;
		if (!strcmp(canon, bdf)) {
			versions_str(set, buf, len);
			return true;
		}
	}

	f = open_run_devices();
	while (f && next_run_device(f, rbdf, sizeof(rbdf), opts, sizeof(opts))) {
		v = strstr(opts, "versions=");
		if (strcmp(rbdf, bdf) || !v)
			continue;
		fclose(f);
		*why = "the run's devices file";
		/* Options may follow the list: stop at what is not a version. */
		if (parse_versions(v + strlen("versions="), set) < 0)
			return false;
		versions_str(set, buf, len);
		return true;
	}
	if (f)
		fclose(f);
	snprintf(buf, len, "%s", DEFAULT_VERSIONS);
	return true;
}

/* One SPDM request over CMA; the response in rsp. */
static int spdm_exchange(struct test_dev *d, const uint8_t *req, size_t req_len,
			 uint8_t *rsp, size_t *rsp_len)
{
	return doe_exchange(&d->mb, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA, req,
			    req_len, rsp, RSP_SIZE, rsp_len);
}

/*
 * GET_VERSION; on success the reported versions as a canonical string and,
 * if @highest is not NULL, the highest one as an SPDMVersion byte.
 */
static int get_versions(struct test_dev *d, char *buf, size_t len,
			uint8_t *highest)
{
	uint16_t entries[SPDM_MAX_VERSIONS];
	uint8_t rsp[RSP_SIZE];
	unsigned int count, i;
	bool set[256] = { false };
	size_t rsp_len;
	int rc;

	rc = spdm_exchange(d, get_version_req, sizeof(get_version_req), rsp,
			   &rsp_len);
	if (rc)
		return rc;
	rc = spdm_parse_version(rsp, rsp_len, entries, &count);
	if (rc)
		return rc;
	if (!count)
		return -EBADMSG;
	for (i = 0; i < count; i++)
		set[entries[i] >> 8] = true;
	versions_str(set, buf, len);
	for (i = 255; highest && !set[i]; i--)
		;
	if (highest)
		*highest = i;
	return 0;
}

FIXTURE(doe) {
	struct test_dev dev[MAX_DEVS];
	int found;	/* 1b36:0010 functions present */
	int ndev;	/* of those, in dev[] */
	int ndoe;	/* of those, with a DOE mailbox */
};

static void open_devices(struct __test_metadata *_metadata,
			 FIXTURE_DATA(doe) *self)
{
	char bdf[16], config[PATH_MAX];
	struct test_dev *d;
	int i;

	self->found = find_devices(self->dev, MAX_DEVS);
	self->ndev = self->found < MAX_DEVS ? self->found : MAX_DEVS;
	self->ndoe = 0;
	for (i = 0; i < self->ndev; i++) {
		d = &self->dev[i];
		d->doe = doe_resolve(d->bdf, bdf, sizeof(bdf), config, sizeof(config));
		d->fd = d->doe ? -1 : open(config, O_RDWR | O_CLOEXEC);
		if (!d->doe && d->fd < 0)
			d->doe = -errno;
		if (!d->doe)
			d->doe = doe_mb_init(&d->mb, d->fd, 0, DOE_DEFAULT_TIMEOUT_MS);
		if (!d->doe)
			self->ndoe++;
		else
			TH_LOG("%s: %s", d->bdf, doe_strerror(d->doe));
	}
}

static void close_devices(FIXTURE_DATA(doe) *self)
{
	int i;

	for (i = 0; i < self->ndev; i++)
		if (self->dev[i].fd >= 0)
			close(self->dev[i].fd);
}

FIXTURE_SETUP(doe)
{
	self->ndev = 0;
	if (geteuid())
		SKIP(return, "needs root (extended config space, DOE registers)");
	open_devices(_metadata, self);
}

FIXTURE_TEARDOWN(doe)
{
	close_devices(self);
}

static struct test_dev *next_doe_dev(FIXTURE_DATA(doe) *self,
				     struct test_dev *d)
{
	for (d = d ? d + 1 : self->dev; d < self->dev + self->ndev; d++)
		if (!d->doe)
			return d;
	return NULL;
}

/* The functions that have a DOE mailbox */
#define for_each_doe_dev(self, d) \
	for (d = next_doe_dev(self, NULL); d; d = next_doe_dev(self, d))

#define NO_DOE_DEVICES "no 1b36:0010 function with a DOE mailbox"

/* As many emulated NVMe functions as the run set up, at its addresses. */
TEST_F(doe, devices_present)
{
	char bdf[64], opts[1024];
	int expect, i;
	bool present;
	FILE *f;

	expect = expected_device_count();
	if (expect < 0)
		SKIP(return, "no expectation: set SPDM_EXPECT_DEVICES or SPDM_VM_RUN");
	EXPECT_EQ(expect, self->found)
		TH_LOG("expected %d %04x:%04x functions, found %d", expect,
		       NVME_VENDOR, NVME_DEVICE, self->found);

	f = open_run_devices();
	while (f && next_run_device(f, bdf, sizeof(bdf), opts, sizeof(opts))) {
		present = false;
		for (i = 0; i < self->ndev; i++)
			present |= !strcmp(self->dev[i].bdf, bdf);
		EXPECT_TRUE(present)
			TH_LOG("%s from the run's devices file is not a %04x:%04x function",
			       bdf, NVME_VENDOR, NVME_DEVICE);
	}
	if (f)
		fclose(f);
}

/* Every one has a DOE extended capability. */
TEST_F(doe, doe_capability)
{
	int i;

	if (!self->ndev)
		SKIP(return, "no %04x:%04x function", NVME_VENDOR, NVME_DEVICE);
	for (i = 0; i < self->ndev; i++)
		EXPECT_EQ(0, self->dev[i].doe)
			TH_LOG("%s: %s", self->dev[i].bdf,
			       doe_strerror(self->dev[i].doe));
}

/* Discovery lists exactly discovery, CMA/SPDM and secured CMA/SPDM. */
TEST_F(doe, discovery_protocols)
{
	bool seen[256], listed[3];
	uint8_t index, type, next;
	struct test_dev *d;
	uint16_t vendor;
	int rc;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		memset(seen, 0, sizeof(seen));
		memset(listed, 0, sizeof(listed));
		index = 0;
		for (;;) {
			seen[index] = true;
			rc = doe_discover(&d->mb, index, &vendor, &type, &next);
			ASSERT_EQ(0, rc)
				TH_LOG("%s: discovery index %u: %s", d->bdf,
				       index, doe_strerror(rc));
			EXPECT_TRUE(vendor == DOE_VENDOR_PCI_SIG && type <= 2 &&
				    !listed[type])
				TH_LOG("%s: index %u lists %04x:%02x", d->bdf,
				       index, vendor, type);
			if (vendor == DOE_VENDOR_PCI_SIG && type <= 2)
				listed[type] = true;
			if (!next)
				break;
			ASSERT_FALSE(seen[next])
				TH_LOG("%s: index %u points back to %u", d->bdf,
				       index, next);
			index = next;
		}
		EXPECT_TRUE(listed[0] && listed[1] && listed[2])
			TH_LOG("%s: missing:%s%s%s", d->bdf,
			       listed[0] ? "" : " 0001:00",
			       listed[1] ? "" : " 0001:01",
			       listed[2] ? "" : " 0001:02");
	}
}

/* GET_VERSION returns VERSION listing exactly the expected versions. */
TEST_F(doe, get_version)
{
	char expect[VERSION_STR_LEN], got[VERSION_STR_LEN];
	struct test_dev *d;
	const char *why = "";
	int rc;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		ASSERT_TRUE(expected_versions(d->bdf, expect, sizeof(expect), &why))
			TH_LOG("cannot parse the versions in %s", why);
		rc = get_versions(d, got, sizeof(got), NULL);
		EXPECT_EQ(0, rc)
			TH_LOG("%s: GET_VERSION: %s", d->bdf,
			       rc == -EPROTO ? "response is not VERSION" :
			       doe_strerror(rc));
		if (!rc) {
			EXPECT_STREQ(expect, got)
				TH_LOG("%s: VERSION lists %s, expected %s",
				       d->bdf, got, expect);
		}
	}
}

/* A hundred GET_VERSIONs in a row all get the same answer. */
TEST_F(doe, get_version_repeated)
{
	char first[VERSION_STR_LEN], got[VERSION_STR_LEN];
	struct test_dev *d;
	int i, rc;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		rc = get_versions(d, first, sizeof(first), NULL);
		ASSERT_EQ(0, rc)
			TH_LOG("%s: GET_VERSION: %s", d->bdf, doe_strerror(rc));
		for (i = 1; i < 100; i++) {
			rc = get_versions(d, got, sizeof(got), NULL);
			ASSERT_EQ(0, rc)
				TH_LOG("%s: GET_VERSION %d: %s", d->bdf, i + 1,
				       doe_strerror(rc));
			ASSERT_STREQ(first, got)
				TH_LOG("%s: GET_VERSION %d differs", d->bdf, i + 1);
		}
	}
}

/*
 * Send GET_VERSION, then request @code with the highest version the device
 * offers (@version); expect an ERROR response and return its error code,
 * with its ErrorData in @data (-1 after a failed expectation).
 */
static int error_after_version(struct __test_metadata *_metadata,
			       struct test_dev *d, uint8_t code,
			       uint8_t *version, uint8_t *data)
{
	char versions[VERSION_STR_LEN];
	uint8_t req[4] = { 0, code, 0, 0 };
	uint8_t rsp[RSP_SIZE];
	size_t len;
	int rc;

	rc = get_versions(d, versions, sizeof(versions), &req[0]);
	EXPECT_EQ(0, rc)
		TH_LOG("%s: GET_VERSION: %s", d->bdf, doe_strerror(rc));
	if (rc)
		return -1;
	rc = spdm_exchange(d, req, sizeof(req), rsp, &len);
	EXPECT_EQ(0, rc)
		TH_LOG("%s: request 0x%02x: %s", d->bdf, code, doe_strerror(rc));
	if (rc)
		return -1;
	EXPECT_TRUE(len >= 4 && rsp[1] == SPDM_ERROR)
		TH_LOG("%s: request 0x%02x: response code 0x%02x, not ERROR",
		       d->bdf, code, len >= 2 ? rsp[1] : 0);
	if (len < 4 || rsp[1] != SPDM_ERROR)
		return -1;
	*version = rsp[0];
	*data = rsp[3];
	return rsp[2];
}

/*
 * A request code that no SPDM version defines gets ERROR
 * UnsupportedRequest, whose ErrorData is that code, in the request's
 * SPDM version.
 */
TEST_F(doe, unsupported_request)
{
	uint8_t version, data, highest;
	char versions[VERSION_STR_LEN];
	struct test_dev *d;
	int code;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		ASSERT_EQ(0, get_versions(d, versions, sizeof(versions), &highest));
		code = error_after_version(_metadata, d, SPDM_RESERVED_REQ,
					   &version, &data);
		if (code < 0)
			continue;
		EXPECT_EQ(highest, version)
			TH_LOG("%s: ERROR has SPDMVersion 0x%02x, request had 0x%02x",
			       d->bdf, version, highest);
		EXPECT_EQ(SPDM_ERR_UNSUPPORTED_REQUEST, code)
			TH_LOG("%s: ERROR %s (0x%02x)", d->bdf,
			       spdm_error_name(code), code);
		EXPECT_EQ(SPDM_RESERVED_REQ, data)
			TH_LOG("%s: ErrorData 0x%02x", d->bdf, data);
	}
}

/*
 * GET_DIGESTS before capabilities and algorithms are negotiated gets an
 * ERROR rather than DIGESTS or no answer: UnexpectedRequest (out of order),
 * UnsupportedRequest (no CERT_CAP) or VersionMismatch (no version selected
 * yet) are all within DSP0274.
 */
TEST_F(doe, request_out_of_order)
{
	uint8_t version, data;
	struct test_dev *d;
	int code;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		code = error_after_version(_metadata, d, SPDM_GET_DIGESTS,
					   &version, &data);
		if (code < 0)
			continue;
		EXPECT_TRUE(code == SPDM_ERR_UNEXPECTED_REQUEST ||
			    code == SPDM_ERR_UNSUPPORTED_REQUEST ||
			    code == SPDM_ERR_VERSION_MISMATCH)
			TH_LOG("%s: ERROR %s (0x%02x)", d->bdf,
			       spdm_error_name(code), code);
	}
}

/* A response nobody read is dropped by Abort; the mailbox then works. */
TEST_F(doe, abort_drops_response)
{
	char versions[VERSION_STR_LEN];
	struct test_dev *d;
	uint32_t status;
	int rc;

	if (!self->ndoe)
		SKIP(return, NO_DOE_DEVICES);
	for_each_doe_dev(self, d) {
		rc = doe_send(&d->mb, DOE_VENDOR_PCI_SIG, DOE_TYPE_CMA,
			      get_version_req, sizeof(get_version_req));
		ASSERT_EQ(0, rc)
			TH_LOG("%s: send: %s", d->bdf, doe_strerror(rc));
		rc = doe_wait(&d->mb, PCI_DOE_STATUS_DATA_OBJECT_READY,
			      PCI_DOE_STATUS_DATA_OBJECT_READY, NULL);
		ASSERT_EQ(0, rc)
			TH_LOG("%s: no response: %s", d->bdf, doe_strerror(rc));
		rc = doe_abort(&d->mb);
		ASSERT_EQ(0, rc)
			TH_LOG("%s: abort: %s", d->bdf, doe_strerror(rc));
		ASSERT_EQ(0, doe_read(&d->mb, PCI_DOE_STATUS, &status));
		EXPECT_EQ(0u, status & PCI_DOE_STATUS_DATA_OBJECT_READY)
			TH_LOG("%s: Data Object Ready after Abort (status 0x%08x)",
			       d->bdf, status);
		rc = get_versions(d, versions, sizeof(versions), NULL);
		EXPECT_EQ(0, rc)
			TH_LOG("%s: GET_VERSION after Abort: %s", d->bdf,
			       doe_strerror(rc));
	}
}

/*
 * Malformed and unsupported data objects.  PCIe r6.0 sec 6.30.1: an object
 * whose dword count does not match its Length field must be silently
 * discarded, so no response and no Error.  For an object of a protocol the
 * instance does not support, the Error bit is allowed too (QEMU discards
 * it silently).  Either way, after Abort the mailbox must work again.
 */
FIXTURE(malformed) {
	FIXTURE_DATA(doe) doe;
};

FIXTURE_VARIANT(malformed) {
	uint32_t hdr[2];	/* header dwords as written */
	unsigned int dwords;	/* dwords written, header included */
	bool error_allowed;
};

#define GET_VERSION_DW	0x00008410	/* 10 84 00 00 */
#define CMA_HDR1	(DOE_VENDOR_PCI_SIG | DOE_TYPE_CMA << 16)

FIXTURE_VARIANT_ADD(malformed, length_too_long) {
	.hdr = { CMA_HDR1, 8 },
	.dwords = 3,
};

FIXTURE_VARIANT_ADD(malformed, length_too_short) {
	.hdr = { CMA_HDR1, 2 },
	.dwords = 3,
};

FIXTURE_VARIANT_ADD(malformed, length_below_header) {
	.hdr = { CMA_HDR1, 1 },
	.dwords = 3,
};

FIXTURE_VARIANT_ADD(malformed, length_zero_is_max) {
	.hdr = { CMA_HDR1, 0 },
	.dwords = 3,
};

FIXTURE_VARIANT_ADD(malformed, unsupported_type) {
	.hdr = { DOE_VENDOR_PCI_SIG | 0x7f << 16, 3 },
	.dwords = 3,
	.error_allowed = true,
};

FIXTURE_VARIANT_ADD(malformed, unsupported_vendor) {
	.hdr = { 0xabcd | DOE_TYPE_CMA << 16, 3 },
	.dwords = 3,
	.error_allowed = true,
};

FIXTURE_SETUP(malformed)
{
	self->doe.ndev = 0;
	if (geteuid())
		SKIP(return, "needs root (extended config space, DOE registers)");
	open_devices(_metadata, &self->doe);
}

FIXTURE_TEARDOWN(malformed)
{
	close_devices(&self->doe);
}

TEST_F(malformed, discarded_then_abort_recovers)
{
	uint32_t obj[3] = { variant->hdr[0], variant->hdr[1], GET_VERSION_DW };
	char versions[VERSION_STR_LEN];
	uint64_t deadline, now;
	struct test_dev *d;
	struct doe_mb mb;
	uint32_t status = 0;
	int rc;

	if (!self->doe.ndoe)
		SKIP(return, NO_DOE_DEVICES);

	/* Send to all first, so that one timeout covers every device. */
	for_each_doe_dev(&self->doe, d) {
		rc = doe_send_raw(&d->mb, obj, variant->dwords);
		ASSERT_EQ(0, rc)
			TH_LOG("%s: send: %s", d->bdf, doe_strerror(rc));
	}
	deadline = doe_now_us() + DOE_DEFAULT_TIMEOUT_MS * 1000ull;

	for_each_doe_dev(&self->doe, d) {
		now = doe_now_us();
		mb = d->mb;
		mb.timeout_ms = now < deadline ? (deadline - now + 999) / 1000 : 0;
		rc = doe_wait(&mb, PCI_DOE_STATUS_DATA_OBJECT_READY,
			      PCI_DOE_STATUS_DATA_OBJECT_READY, &status);
		EXPECT_NE(0, rc)
			TH_LOG("%s: the object was answered (status 0x%08x)",
			       d->bdf, status);
		if (variant->error_allowed) {
			EXPECT_TRUE(rc == -ETIMEDOUT || rc == -EIO)
				TH_LOG("%s: %s", d->bdf, doe_strerror(rc));
		} else {
			EXPECT_EQ(-ETIMEDOUT, rc)
				TH_LOG("%s: not silently discarded: %s (status 0x%08x)",
				       d->bdf, doe_strerror(rc), status);
		}
	}

	for_each_doe_dev(&self->doe, d) {
		rc = doe_abort(&d->mb);
		EXPECT_EQ(0, rc)
			TH_LOG("%s: abort: %s", d->bdf, doe_strerror(rc));
		ASSERT_EQ(0, doe_read(&d->mb, PCI_DOE_STATUS, &status));
		EXPECT_EQ(0u, status & (PCI_DOE_STATUS_BUSY | PCI_DOE_STATUS_ERROR |
				       PCI_DOE_STATUS_DATA_OBJECT_READY))
			TH_LOG("%s: status 0x%08x after Abort", d->bdf, status);
		rc = get_versions(d, versions, sizeof(versions), NULL);
		EXPECT_EQ(0, rc)
			TH_LOG("%s: GET_VERSION after Abort: %s", d->bdf,
			       doe_strerror(rc));
	}
}

TEST_HARNESS_MAIN
