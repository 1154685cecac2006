// SPDX-License-Identifier: GPL-2.0
/*
 * --keylog: the secrets of every session, appended to a file as
 * "SESSIONID NAME HEX" lines.  Tests look for these bytes where the
 * requester must never show them (its log, sysfs, netlink); nothing
 * else reads the file.
 */
#include <stdio.h>

#include "log.h"
#include "spdm.h"

/**
 * spdm_keylog_bytes() - log one secret of a session
 * @dev: the device, its keylog file set or not
 * @s: the session
 * @name: what the bytes are
 * @data: the secret
 * @len: its size
 */
void spdm_keylog_bytes(const struct spdm_device *dev,
		       const struct spdm_session *s, const char *name,
		       const uint8_t *data, size_t len)
{
	FILE *f;
	size_t i;

	for (i = 0; i < len && !data[i]; i++)
		;
	if (!dev->keylog || i == len)	/* not derived (yet) */
		return;
	f = fopen(dev->keylog, "a");
	if (!f) {
		log_msg("port %u: cannot open keylog %s", dev->port,
			dev->keylog);
		return;
	}
	fprintf(f, "%08x %s ", s->id, name);
	for (i = 0; i < len; i++)
		fprintf(f, "%02x", data[i]);
	fputc('\n', f);
	fclose(f);
}

static void keylog_keys(const struct spdm_device *dev,
			const struct spdm_session *s, const char *dir,
			const struct spdm_sess_keys *k)
{
	char name[32];

	snprintf(name, sizeof(name), "%s_secret", dir);
	spdm_keylog_bytes(dev, s, name, k->secret, dev->hash->len);
	snprintf(name, sizeof(name), "%s_key", dir);
	spdm_keylog_bytes(dev, s, name, k->key,
			  spdm_aead_key_len(dev->aead_sel));
	snprintf(name, sizeof(name), "%s_iv", dir);
	spdm_keylog_bytes(dev, s, name, k->iv, SPDM_AEAD_IV_LEN);
}

/**
 * spdm_keylog() - log the secrets a session holds now (those not yet
 *	derived are all zero and left out)
 * @dev: the device, its keylog file set or not
 * @s: the session, after a step of the key schedule
 */
void spdm_keylog(const struct spdm_device *dev, const struct spdm_session *s)
{
	size_t h = dev->hash->len;

	if (!dev->keylog)
		return;
	spdm_keylog_bytes(dev, s, "handshake_secret", s->handshake_secret, h);
	spdm_keylog_bytes(dev, s, "req_finished", s->req_finished, h);
	spdm_keylog_bytes(dev, s, "rsp_finished", s->rsp_finished, h);
	keylog_keys(dev, s, "req", &s->req);
	keylog_keys(dev, s, "rsp", &s->rsp);
	spdm_keylog_bytes(dev, s, "master_secret", s->master_secret, h);
	spdm_keylog_bytes(dev, s, "export_master", s->export_master, h);
	keylog_keys(dev, s, "data_req", &s->data_req);
	keylog_keys(dev, s, "data_rsp", &s->data_rsp);
}
