// SPDX-License-Identifier: GPL-2.0
/*
 * The identity a PCI device's leaf certificate must carry (PCIe r6.1 sec
 * 6.31.3, CMA otherName):
 *
 *   Vendor=%04x:Device=%04x:CC=%06x:REV=%02x[:SSVID=%04x:SSID=%04x][:%016llx]
 *
 * read from sysfs: the subsystem IDs for type 0 (non-bridge) functions,
 * the Device Serial Number from the extended capability when config
 * space beyond 64 bytes is readable (root).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence.h"

#define PCI_CFG_SPACE		256
#define PCI_CFG_SPACE_EXP	4096
#define PCI_HEADER_TYPE		0x0e
#define PCI_EXT_CAP_ID_DSN	0x03

static const char *sysfs_root(void)
{
	const char *s = getenv("SPDM_VERIFY_SYSFS");

	return s && *s ? s : "/sys/bus/pci/devices";
}

static int read_hex(const char *dir, const char *name, unsigned long max,
		    unsigned long *out, char *err, size_t errlen)
{
	char path[512], buf[64], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	buf[n] = 0;
	errno = 0;
	*out = strtoul(buf, &end, 16);
	if (errno || end == buf || (*end && *end != '\n') || *out > max) {
		snprintf(err, errlen, "%s: unexpected \"%.16s\"", path, buf);
		return -1;
	}
	return 0;
}

static uint32_t cfg32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Config space as far as we may read it; returns its length or -1. */
static ssize_t read_config(const char *dir, uint8_t *cfg)
{
	char path[512];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < PCI_CFG_SPACE_EXP) {
		n = pread(fd, cfg + got, PCI_CFG_SPACE_EXP - got, got);
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	return got;
}

/* Device Serial Number, 0 if none or not readable. */
static uint64_t dsn(const uint8_t *cfg, ssize_t len)
{
	unsigned int pos = PCI_CFG_SPACE, loops = 0;
	uint32_t hdr;

	while (pos >= PCI_CFG_SPACE && pos + 12 <= len && loops++ < 512) {
		hdr = cfg32(cfg + pos);
		if (!hdr || hdr == 0xffffffff)
			break;
		if ((hdr & 0xffff) == PCI_EXT_CAP_ID_DSN)
			return (uint64_t)cfg32(cfg + pos + 8) << 32 |
			       cfg32(cfg + pos + 4);
		pos = (hdr >> 20) & 0xffc;
	}
	return 0;
}

int sv_pci_identity(const char *dev, char *id, size_t idlen, char *serial,
		    size_t seriallen, char *err, size_t errlen)
{
	static const char *const files[] = {
		"vendor", "device", "class", "revision", "subsystem_vendor",
		"subsystem_device",
	};
	static const unsigned long max[] = {
		0xffff, 0xffff, 0xffffff, 0xff, 0xffff, 0xffff,
	};
	unsigned long v[SV_ARRAY_SIZE(files)];
	uint8_t *cfg;
	char dir[300];
	ssize_t len;
	size_t i, n;
	uint64_t sn;

	if (!*dev || strchr(dev, '/') || !strcmp(dev, ".") ||
	    !strcmp(dev, "..")) {
		snprintf(err, errlen, "bad device name \"%s\"", dev);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s/%s", sysfs_root(), dev);
	for (i = 0; i < SV_ARRAY_SIZE(files); i++)
		if (read_hex(dir, files[i], max[i], &v[i], err, errlen))
			return -1;
	cfg = calloc(1, PCI_CFG_SPACE_EXP);
	if (!cfg) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	len = read_config(dir, cfg);
	if (len <= PCI_HEADER_TYPE) {
		free(cfg);
		snprintf(err, errlen, "%s/config: cannot read the header type",
			 dir);
		return -1;
	}
	n = snprintf(id, idlen, "Vendor=%04lx:Device=%04lx:CC=%06lx:REV=%02lx",
		     v[0], v[1], v[2], v[3]);
	if ((cfg[PCI_HEADER_TYPE] & 0x7f) == 0 && n < idlen)
		snprintf(id + n, idlen - n, ":SSVID=%04lx:SSID=%04lx", v[4],
			 v[5]);
	sn = dsn(cfg, len);
	free(cfg);
	serial[0] = 0;
	if (sn)
		snprintf(serial, seriallen, "%016llx", (unsigned long long)sn);
	return 0;
}

/*
 * "Vendor=...[:SSVID=...:SSID=...][:SERIAL]" as --device-ids gives it:
 * the identity, and the serial number if the last field is 16 hex digits.
 */
int sv_split_identity(const char *s, char *id, size_t idlen, char *serial,
		      size_t seriallen)
{
	size_t n = strlen(s), i;
	bool sn = n > SV_SERIAL_LEN + 1 && s[n - SV_SERIAL_LEN - 1] == ':';

	if (strncmp(s, "Vendor=", 7) || n >= idlen ||
	    seriallen <= SV_SERIAL_LEN)
		return -1;
	for (i = n - SV_SERIAL_LEN; sn && i < n; i++)
		sn = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
	serial[0] = 0;
	if (sn) {
		memcpy(serial, s + n - SV_SERIAL_LEN, SV_SERIAL_LEN + 1);
		n -= SV_SERIAL_LEN + 1;
	}
	memcpy(id, s, n);
	id[n] = 0;
	return 0;
}
