/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace access to a PCIe Data Object Exchange mailbox (PCIe r6.0
 * sec 6.30) through a device's sysfs "config" file.
 *
 * Test-only: it needs root, and it must not be used while a kernel driver
 * exchanges objects on the same mailbox (nothing arbitrates between the
 * two).  Shared by the spdm selftests and tools/spdm/doe/spdm-doe.c, which
 * is built as a single file; hence a header of static inline functions, in
 * the manner of kselftest.h.
 *
 * Functions return 0 (or a count) on success and a negative errno value on
 * failure; doe_strerror() names the DOE-specific meanings.
 */
#ifndef SPDM_SELFTEST_DOE_H
#define SPDM_SELFTEST_DOE_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#define DOE_VENDOR_PCI_SIG	0x0001
#define DOE_TYPE_DISCOVERY	0x00
#define DOE_TYPE_CMA		0x01
#define DOE_TYPE_SECURED_CMA	0x02

#define DOE_HDR_DWORDS		2
#define DOE_MAX_DWORDS		(1u << 18)	/* length field 0 means this */
#define DOE_MAX_PAYLOAD		((DOE_MAX_DWORDS - DOE_HDR_DWORDS) * 4)
#define DOE_DEFAULT_TIMEOUT_MS	1000		/* PCIe r6.0 sec 6.30.2 */

#define DOE_CFG_SPACE_EXP_SIZE	4096
#define DOE_MAX_CAPS		8

/**
 * struct doe_mb - one DOE mailbox
 * @fd: open sysfs config file of the function
 * @cap: config-space offset of the DOE extended capability
 * @timeout_ms: bound on every wait for the mailbox
 */
struct doe_mb {
	int fd;
	unsigned int cap;
	unsigned int timeout_ms;
};

/**
 * doe_strerror() - describe a (negative) error of these functions
 * @err: negative errno value
 */
static inline const char *doe_strerror(int err)
{
	switch (-err) {
	case ETIMEDOUT:
		return "no DOE response within the timeout";
	case EBUSY:
		return "DOE mailbox stays Busy";
	case EINPROGRESS:
		return "DOE mailbox holds an unread response (in use by someone else? try 'abort')";
	case EIO:
		return "DOE Error bit set";
	case EPROTO:
		return "DOE response vendor/type does not match the request";
	case EBADMSG:
		return "DOE response length does not match the data";
	case EMSGSIZE:
		return "DOE object too large";
	case ENODEV:
		return "device does not answer config reads (all ones)";
	case ENOENT:
		return "no DOE capability";
	case ENXIO:
		return "no DOE capability at that offset";
	case EACCES:
		return "cannot access extended config space (not root?)";
	default:
		return strerror(-err);
	}
}

/**
 * doe_resolve() - find the sysfs config file of a PCI function
 * @dev: "DDDD:BB:DD.F", "BB:DD.F" or a sysfs device directory
 * @bdf: filled with the canonical "DDDD:BB:DD.F"
 * @bdf_len: size of @bdf (at least 13)
 * @config: filled with the path of the config file
 * @config_len: size of @config
 */
static inline int doe_resolve(const char *dev, char *bdf, size_t bdf_len,
			      char *config, size_t config_len)
{
	unsigned int dom = 0, bus, slot, fn;
	char real[PATH_MAX], tail, *base;

	if (strchr(dev, '/')) {
		if (!realpath(dev, real))
			return -errno;
		base = strrchr(real, '/') + 1;
		if (!strcmp(base, "config")) {
			base[-1] = '\0';
			base = strrchr(real, '/') + 1;
		}
		if (sscanf(base, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &tail) != 4)
			return -EINVAL;
		if ((size_t)snprintf(config, config_len, "%s/config", real) >= config_len)
			return -ENAMETOOLONG;
	} else {
		if (sscanf(dev, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &tail) != 4) {
			dom = 0;
			if (sscanf(dev, "%x:%x.%x%c", &bus, &slot, &fn, &tail) != 3)
				return -EINVAL;
		}
	}
	if (dom > 0xffff || bus > 0xff || slot > 0x1f || fn > 7)
		return -EINVAL;
	if ((size_t)snprintf(bdf, bdf_len, "%04x:%02x:%02x.%x", dom, bus, slot, fn) >= bdf_len)
		return -ENAMETOOLONG;
	if (!strchr(dev, '/') &&
	    (size_t)snprintf(config, config_len, "/sys/bus/pci/devices/%s/config",
			     bdf) >= config_len)
		return -ENAMETOOLONG;
	return 0;
}

static inline int doe_cfg_read(int fd, unsigned int off, uint32_t *val)
{
	uint32_t le;
	ssize_t n;

	*val = 0xffffffff;	/* what a failed config read returns */
	n = pread(fd, &le, sizeof(le), off);
	if (n < 0)
		return -errno;
	if (n != sizeof(le))	/* sysfs cuts unprivileged reads at 64 bytes */
		return off >= 64 ? -EACCES : -EIO;
	*val = le32toh(le);
	return 0;
}

static inline int doe_cfg_write(int fd, unsigned int off, uint32_t val)
{
	uint32_t le = htole32(val);
	ssize_t n;

	n = pwrite(fd, &le, sizeof(le), off);
	if (n < 0)
		return -errno;
	return n == sizeof(le) ? 0 : -EIO;
}

/**
 * doe_find_caps() - list the DOE extended capabilities of a function
 * @fd: open config file
 * @caps: filled with up to @max offsets
 * @max: size of @caps
 *
 * Return: the number of DOE capabilities found (at most @max) or -errno.
 */
static inline int doe_find_caps(int fd, unsigned int *caps, unsigned int max)
{
	unsigned int off = PCI_CFG_SPACE_SIZE, n = 0, i;
	struct stat st;
	uint32_t hdr;
	int rc;

	/* Conventional functions have no extended space: 256-byte file. */
	if (fstat(fd, &st))
		return -errno;
	if (st.st_size < DOE_CFG_SPACE_EXP_SIZE)
		return 0;

	/* Each capability takes at least a dword: bound the walk. */
	for (i = 0; i < (DOE_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 4; i++) {
		rc = doe_cfg_read(fd, off, &hdr);
		if (rc)
			return rc;
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		if (PCI_EXT_CAP_ID(hdr) == PCI_EXT_CAP_ID_DOE && n < max)
			caps[n++] = off;
		off = PCI_EXT_CAP_NEXT(hdr);
		if (off < PCI_CFG_SPACE_SIZE)
			break;
	}
	return n;
}

/**
 * doe_mb_init() - set up a mailbox at a DOE capability
 * @mb: mailbox to fill
 * @fd: open config file (O_RDWR)
 * @cap: offset of the DOE capability, or 0 for the first one
 * @timeout_ms: bound on every wait
 *
 * Return: 0, -ENOENT when the function has no DOE capability, -ENXIO when
 * @cap is not one, or another -errno.
 */
static inline int doe_mb_init(struct doe_mb *mb, int fd, unsigned int cap,
			      unsigned int timeout_ms)
{
	unsigned int caps[DOE_MAX_CAPS];
	int n, i;

	n = doe_find_caps(fd, caps, DOE_MAX_CAPS);
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	for (i = 0; cap && i < n; i++)
		if (caps[i] == cap)
			break;
	if (i == n)
		return -ENXIO;

	mb->fd = fd;
	mb->cap = cap ? cap : caps[0];
	mb->timeout_ms = timeout_ms;
	return 0;
}

static inline int doe_read(struct doe_mb *mb, unsigned int reg, uint32_t *val)
{
	return doe_cfg_read(mb->fd, mb->cap + reg, val);
}

static inline int doe_write(struct doe_mb *mb, unsigned int reg, uint32_t val)
{
	return doe_cfg_write(mb->fd, mb->cap + reg, val);
}

static inline uint64_t doe_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/**
 * doe_wait() - poll the Status register until (status & @mask) == @want
 * @mb: mailbox
 * @mask: status bits to look at
 * @want: their wanted value
 * @status: if not NULL, the last status read
 *
 * Unless @mask includes it, the Error bit ends the wait with -EIO.
 * Polls at once, then backs off up to 1 ms between reads.
 *
 * Return: 0, -ETIMEDOUT after mb->timeout_ms, -EIO, -ENODEV or -errno.
 */
static inline int doe_wait(struct doe_mb *mb, uint32_t mask, uint32_t want,
			   uint32_t *status)
{
	uint64_t deadline = doe_now_us() + mb->timeout_ms * 1000ull;
	unsigned int delay_us = 0;
	uint32_t val;
	int rc;

	for (;;) {
		rc = doe_read(mb, PCI_DOE_STATUS, &val);
		if (rc)
			return rc;
		if (status)
			*status = val;
		if (val == 0xffffffff)
			return -ENODEV;
		if ((val & PCI_DOE_STATUS_ERROR) && !(mask & PCI_DOE_STATUS_ERROR))
			return -EIO;
		if ((val & mask) == want)
			return 0;
		if (doe_now_us() >= deadline)
			return -ETIMEDOUT;
		if (delay_us)
			usleep(delay_us);
		delay_us = delay_us ? (delay_us < 500 ? delay_us * 2 : 1000) : 1;
	}
}

/**
 * doe_abort() - abort whatever the mailbox holds and wait until it is idle
 * @mb: mailbox
 *
 * Return: 0 once Busy and Error are clear, -ETIMEDOUT or -errno.
 */
static inline int doe_abort(struct doe_mb *mb)
{
	int rc;

	rc = doe_write(mb, PCI_DOE_CTRL, PCI_DOE_CTRL_ABORT);
	if (rc)
		return rc;
	return doe_wait(mb, PCI_DOE_STATUS_BUSY | PCI_DOE_STATUS_ERROR, 0, NULL);
}

/*
 * A request may be written only to a mailbox that is not Busy, not in
 * Error and holds no response nobody has read.
 */
static inline int doe_check_idle(struct doe_mb *mb)
{
	uint32_t status;
	int rc;

	rc = doe_wait(mb, PCI_DOE_STATUS_BUSY, 0, &status);
	if (rc == -ETIMEDOUT)
		return -EBUSY;
	if (rc)
		return rc;
	if (status & PCI_DOE_STATUS_DATA_OBJECT_READY)
		return -EINPROGRESS;
	return 0;
}

/**
 * doe_send_raw() - write dwords to the Write Data Mailbox and set Go
 * @mb: mailbox
 * @dw: the object, header included, as CPU-order dwords; not checked
 * @n: number of dwords
 *
 * Meant for tests that send malformed objects; doe_send() builds a
 * well-formed one.
 */
static inline int doe_send_raw(struct doe_mb *mb, const uint32_t *dw, size_t n)
{
	size_t i;
	int rc;

	rc = doe_check_idle(mb);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		rc = doe_write(mb, PCI_DOE_WRITE, dw[i]);
		if (rc)
			return rc;
	}
	return doe_write(mb, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
}

/**
 * doe_send() - send one data object
 * @mb: mailbox
 * @vendor: vendor ID of the data object protocol
 * @type: data object type
 * @payload: payload bytes, zero-padded to a dword multiple on the wire
 * @len: payload length in bytes
 */
static inline int doe_send(struct doe_mb *mb, uint16_t vendor, uint8_t type,
			   const void *payload, size_t len)
{
	const uint8_t *p = payload;
	size_t ndw, i;
	uint32_t val;
	int rc;

	if (len > DOE_MAX_PAYLOAD)
		return -EMSGSIZE;
	ndw = DOE_HDR_DWORDS + (len + 3) / 4;

	rc = doe_check_idle(mb);
	if (rc)
		return rc;
	rc = doe_write(mb, PCI_DOE_WRITE, vendor | (uint32_t)type << 16);
	if (rc)
		return rc;
	rc = doe_write(mb, PCI_DOE_WRITE,
		       ndw == DOE_MAX_DWORDS ? 0 : (uint32_t)ndw);
	for (i = 0; !rc && i < len; i += 4) {
		val = 0;
		memcpy(&val, p + i, len - i < 4 ? len - i : 4);
		rc = doe_write(mb, PCI_DOE_WRITE, le32toh(val));
	}
	if (rc)
		return rc;
	return doe_write(mb, PCI_DOE_CTRL, PCI_DOE_CTRL_GO);
}

/*
 * Acknowledge the dword just read from the Read Data Mailbox.  Before the
 * last acknowledgment Data Object Ready must still be set, or the object
 * was shorter than its header said.
 */
static inline int doe_ack(struct doe_mb *mb, bool last)
{
	uint32_t status;
	int rc;

	if (last) {
		rc = doe_read(mb, PCI_DOE_STATUS, &status);
		if (rc)
			return rc;
		if (!(status & PCI_DOE_STATUS_DATA_OBJECT_READY))
			return -EBADMSG;
	}
	return doe_write(mb, PCI_DOE_READ, 0);
}

static inline int doe_recv_object(struct doe_mb *mb, uint16_t vendor,
				  uint8_t type, void *buf, size_t size,
				  size_t *len)
{
	uint32_t val, status, ndw, i;
	uint8_t *p = buf;
	int rc;

	rc = doe_wait(mb, PCI_DOE_STATUS_DATA_OBJECT_READY,
		      PCI_DOE_STATUS_DATA_OBJECT_READY, NULL);
	if (rc)
		return rc;

	rc = doe_read(mb, PCI_DOE_READ, &val);
	if (!rc)
		rc = doe_ack(mb, false);
	if (rc)
		return rc;
	if ((val & PCI_DOE_DATA_OBJECT_HEADER_1_VID) != vendor ||
	    (val & PCI_DOE_DATA_OBJECT_HEADER_1_TYPE) >> 16 != type)
		return -EPROTO;

	rc = doe_read(mb, PCI_DOE_READ, &val);
	if (rc)
		return rc;
	ndw = val & PCI_DOE_DATA_OBJECT_HEADER_2_LENGTH;
	if (!ndw)
		ndw = DOE_MAX_DWORDS;
	if (ndw < DOE_HDR_DWORDS)
		return -EBADMSG;
	if ((size_t)(ndw - DOE_HDR_DWORDS) * 4 > size)
		return -EMSGSIZE;
	rc = doe_ack(mb, ndw == DOE_HDR_DWORDS);
	if (rc)
		return rc;

	for (i = DOE_HDR_DWORDS; i < ndw; i++) {
		rc = doe_read(mb, PCI_DOE_READ, &val);
		if (!rc)
			rc = doe_ack(mb, i == ndw - 1);
		if (rc)
			return rc;
		val = htole32(val);
		memcpy(p + (i - DOE_HDR_DWORDS) * 4, &val, 4);
	}

	/* Error since, or more data than the length said? */
	rc = doe_read(mb, PCI_DOE_STATUS, &status);
	if (rc)
		return rc;
	if (status & PCI_DOE_STATUS_ERROR)
		return -EIO;
	if (status & PCI_DOE_STATUS_DATA_OBJECT_READY)
		return -EBADMSG;

	*len = (size_t)(ndw - DOE_HDR_DWORDS) * 4;
	return 0;
}

/**
 * doe_recv() - wait for and read one response object
 * @mb: mailbox
 * @vendor: expected vendor ID (that of the request)
 * @type: expected data object type (that of the request)
 * @buf: payload buffer
 * @size: size of @buf
 * @len: set to the payload length in bytes (a dword multiple)
 *
 * Any failure aborts the mailbox so that it is left idle.
 *
 * Return: 0, -ETIMEDOUT, -EIO (Error bit), -EPROTO (header mismatch),
 * -EBADMSG (bad length), -EMSGSIZE (larger than @size) or -errno.
 */
static inline int doe_recv(struct doe_mb *mb, uint16_t vendor, uint8_t type,
			   void *buf, size_t size, size_t *len)
{
	int rc;

	rc = doe_recv_object(mb, vendor, type, buf, size, len);
	if (rc && rc != -ENODEV)
		doe_abort(mb);
	return rc;
}

/**
 * doe_exchange() - send a request object and read its response
 * @mb: mailbox
 * @vendor: vendor ID of the protocol
 * @type: data object type
 * @req: request payload
 * @req_len: its length in bytes
 * @rsp: response payload buffer
 * @rsp_size: size of @rsp
 * @rsp_len: set to the response payload length
 */
static inline int doe_exchange(struct doe_mb *mb, uint16_t vendor, uint8_t type,
			       const void *req, size_t req_len, void *rsp,
			       size_t rsp_size, size_t *rsp_len)
{
	int rc;

	rc = doe_send(mb, vendor, type, req, req_len);
	if (rc)
		return rc;
	return doe_recv(mb, vendor, type, rsp, rsp_size, rsp_len);
}

/**
 * doe_discover() - one DOE discovery exchange (version 0)
 * @mb: mailbox
 * @index: protocol index to ask for
 * @vendor: set to the vendor ID at @index
 * @type: set to the data object type at @index
 * @next: set to the next index, 0 after the last
 */
static inline int doe_discover(struct doe_mb *mb, uint8_t index,
			       uint16_t *vendor, uint8_t *type, uint8_t *next)
{
	uint8_t req[4] = { index, 0, 0, 0 };
	uint8_t rsp[64];
	size_t len;
	int rc;

	rc = doe_exchange(mb, DOE_VENDOR_PCI_SIG, DOE_TYPE_DISCOVERY, req,
			  sizeof(req), rsp, sizeof(rsp), &len);
	if (rc)
		return rc;
	if (len < 4)
		return -EBADMSG;
	*vendor = rsp[0] | rsp[1] << 8;
	*type = rsp[2];
	*next = rsp[3];
	return 0;
}

#endif /* SPDM_SELFTEST_DOE_H */
