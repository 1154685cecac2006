// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence object: algorithm tables, the combined prefix, strict
 * reassembly of chunked objects, and the JSON evidence bundle
 * ("spdm-evidence", version 1) that spdm-verify writes and re-verifies.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

void sv_buf_free(struct sv_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

int sv_buf_set(struct sv_buf *b, const void *data, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		return -1;
	if (len)
		memcpy(p, data, len);
	free(b->data);
	b->data = p;
	b->len = len;
	return 0;
}

/* ---- algorithms --------------------------------------------------------- */

static const struct sv_hash hashes[] = {
	{ EVP_sha256, 0x01, "sha256", "SHA-256", 32 },
	{ EVP_sha384, 0x02, "sha384", "SHA-384", 48 },
	{ EVP_sha512, 0x04, "sha512", "SHA-512", 64 },
	{ EVP_sha3_256, 0x08, "sha3-256", "SHA3-256", 32 },
	{ EVP_sha3_384, 0x10, "sha3-384", "SHA3-384", 48 },
	{ EVP_sha3_512, 0x20, "sha3-512", "SHA3-512", 64 },
};

static const struct sv_asym asyms[] = {
	{ 0x001, "rsassa-2048", "RSASSA-2048", SV_RSASSA, NULL, 2048, 256 },
	{ 0x002, "rsapss-2048", "RSAPSS-2048", SV_RSAPSS, NULL, 2048, 256 },
	{ 0x004, "rsassa-3072", "RSASSA-3072", SV_RSASSA, NULL, 3072, 384 },
	{ 0x008, "rsapss-3072", "RSAPSS-3072", SV_RSAPSS, NULL, 3072, 384 },
	{ 0x010, "ecdsa-p256", "ECDSA P-256", SV_ECDSA, "prime256v1", 256, 64 },
	{ 0x020, "rsassa-4096", "RSASSA-4096", SV_RSASSA, NULL, 4096, 512 },
	{ 0x040, "rsapss-4096", "RSAPSS-4096", SV_RSAPSS, NULL, 4096, 512 },
	{ 0x080, "ecdsa-p384", "ECDSA P-384", SV_ECDSA, "secp384r1", 384, 96 },
	{ 0x100, "ecdsa-p521", "ECDSA P-521", SV_ECDSA, "secp521r1", 521, 132 },
};

const struct sv_hash *sv_hash_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(hashes); i++)
		if (hashes[i].bit == bit)
			return &hashes[i];
	return NULL;
}

const struct sv_hash *sv_hash_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(hashes); i++)
		if (!strcmp(hashes[i].name, name))
			return &hashes[i];
	return NULL;
}

const struct sv_asym *sv_asym_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
		if (asyms[i].bit == bit)
			return &asyms[i];
	return NULL;
}

/*
 * The algorithm a key signs with, where the evidence does not say: the
 * ECDSA of its curve, RSASSA of its size (the kernel negotiates no PSS).
 */
const struct sv_asym *sv_asym_of_key(EVP_PKEY *key)
{
	char group[64];
	size_t i;

	if (EVP_PKEY_is_a(key, "EC")) {
		if (EVP_PKEY_get_group_name(key, group, sizeof(group),
					    NULL) != 1)
			return NULL;
		for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
			if (asyms[i].kind == SV_ECDSA &&
			    !strcmp(asyms[i].group, group))
				return &asyms[i];
		return NULL;
	}
	if (!EVP_PKEY_is_a(key, "RSA"))
		return NULL;
	for (i = 0; i < SV_ARRAY_SIZE(asyms); i++)
		if (asyms[i].kind == SV_RSASSA &&
		    asyms[i].bits == EVP_PKEY_get_bits(key))
			return &asyms[i];
	return NULL;
}

static const struct sv_meas_hash meas_hashes[] = {
	{ 0x01, "raw bit streams only", 0 },
	{ 0x02, "SHA-256", 32 },
	{ 0x04, "SHA-384", 48 },
	{ 0x08, "SHA-512", 64 },
	{ 0x10, "SHA3-256", 32 },
	{ 0x20, "SHA3-384", 48 },
	{ 0x40, "SHA3-512", 64 },
	{ 0x80, "SM3-256", 32 },
};

const struct sv_meas_hash *sv_meas_hash_by_bit(uint32_t bit)
{
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(meas_hashes); i++)
		if (meas_hashes[i].bit == bit)
			return &meas_hashes[i];
	return NULL;
}

/*
 * DSP0274 1.2+ "combined_spdm_prefix": "dmtf-spdm-v1.N.*" four times (64
 * bytes), zero padding, then the context string, 100 bytes in all.
 */
void sv_combined_prefix(uint8_t version, const char *context,
			uint8_t out[SV_PREFIX_LEN])
{
	size_t clen = strlen(context);
	char one[24];
	int i;

	/* versions are single digits: "dmtf-spdm-v1.2.*" is 16 bytes */
	snprintf(one, sizeof(one), "dmtf-spdm-v%u.%u.*", (version >> 4) % 10,
		 (version & 0xf) % 10);
	memset(out, 0, SV_PREFIX_LEN);
	for (i = 0; i < 4; i++)
		memcpy(out + 16 * i, one, 16);
	if (clen > SV_PREFIX_LEN - 64)
		clen = SV_PREFIX_LEN - 64;
	memcpy(out + SV_PREFIX_LEN - clen, context, clen);
}

/* ---- chunks ------------------------------------------------------------- */

static int __sv_printf(3, 4) chunk_err(char *err, size_t errlen,
				       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int sv_chunks_add(struct sv_chunks *c, uint32_t off, uint32_t total,
		  const void *data, size_t len, char *err, size_t errlen)
{
	struct sv_piece *p;
	size_t i;

	if (!c->started) {
		if (total > SV_MAX_OBJECT)
			return chunk_err(err, errlen,
					 "total-len %u exceeds %u", total,
					 SV_MAX_OBJECT);
		c->data = malloc(total ? total : 1);
		if (!c->data)
			return chunk_err(err, errlen, "out of memory");
		c->total = total;
		c->started = true;
	} else if (total != c->total) {
		return chunk_err(err, errlen,
				 "total-len %u in a chunk, %u in an earlier one",
				 total, c->total);
	}
	if (!len && (total || c->n))
		return chunk_err(err, errlen, "empty chunk at offset %u", off);
	if (off > total || len > total - off)
		return chunk_err(err, errlen,
				 "chunk of %zu bytes at offset %u beyond total-len %u",
				 len, off, total);
	for (i = 0; i < c->n; i++)
		if (off < c->pieces[i].off + c->pieces[i].len &&
		    c->pieces[i].off < off + len)
			return chunk_err(err, errlen,
					 "chunk at offset %u (%zu bytes) overlaps the one at %u (%u bytes)",
					 off, len, c->pieces[i].off,
					 c->pieces[i].len);
	if (c->n == c->cap) {
		p = realloc(c->pieces, (c->cap ? 2 * c->cap : 8) * sizeof(*p));
		if (!p)
			return chunk_err(err, errlen, "out of memory");
		c->pieces = p;
		c->cap = c->cap ? 2 * c->cap : 8;
	}
	c->pieces[c->n].off = off;
	c->pieces[c->n++].len = len;
	memcpy(c->data + off, data, len);
	c->got += len;
	return 0;
}

/* Hand the complete object to @out; fails on gaps. */
int sv_chunks_finish(struct sv_chunks *c, struct sv_buf *out, char *err,
		     size_t errlen)
{
	uint32_t pos = 0;
	size_t i;
	bool found;

	if (!c->started)
		return chunk_err(err, errlen, "no chunks");
	if (c->got != c->total) {
		/* no overlaps: the first uncovered byte is the gap */
		do {
			found = false;
			for (i = 0; i < c->n; i++)
				if (c->pieces[i].off == pos && c->pieces[i].len) {
					pos += c->pieces[i].len;
					found = true;
				}
		} while (found);
		return chunk_err(err, errlen,
				 "%zu of %u bytes received, missing from offset %u",
				 c->got, c->total, pos);
	}
	sv_buf_free(out);
	out->data = c->data;
	out->len = c->total;
	c->data = NULL;
	sv_chunks_free(c);
	return 0;
}

void sv_chunks_free(struct sv_chunks *c)
{
	free(c->data);
	free(c->pieces);
	memset(c, 0, sizeof(*c));
}

/* ---- evidence ----------------------------------------------------------- */

void sv_evidence_free(struct sv_evidence *ev)
{
	sv_buf_free(&ev->transcript);
	sv_buf_free(&ev->signature);
	sv_buf_free(&ev->prefix);
	sv_buf_free(&ev->chain);
	sv_buf_free(&ev->vca);
	if (ev->session_meas) {
		sv_evidence_free(ev->session_meas);
		free(ev->session_meas);
	}
	memset(ev, 0, sizeof(*ev));
}

/**
 * sv_session_meas_view() - the measurements signed in a session, whole
 * @ke: key-exchange evidence with a session-meas nest
 * @m: receives the nest's fields (SV_SIGNED_FIELDS) and everything else
 *	from @ke: device, version, slot, algorithms, chain, our nonce and
 *	indices
 *
 * @m shares its buffers with @ke: never free it.
 */
void sv_session_meas_view(const struct sv_evidence *ke,
			  struct sv_evidence *m)
{
	const struct sv_evidence *n = ke->session_meas;
	uint32_t mine = ke->have & ~SV_SIGNED_FIELDS &
			~(1U << SV_F_SESSION_ID | 1U << SV_F_RSP_VERIFY |
			  1U << SV_F_FINISH | 1U << SV_F_SESSION_MEAS |
			  1U << SV_F_ANCHORED | 1U << SV_F_OBJECT |
			  1U << SV_F_VCA);

	*m = *ke;
	m->have = (n->have & SV_SIGNED_FIELDS) | mine;
	m->sig_type = n->sig_type;
	m->transcript = n->transcript;
	m->signature = n->signature;
	m->prefix = n->prefix;
	m->req_off = n->req_off;
	m->rsp_off = n->rsp_off;
	m->sig_valid = n->sig_valid;
	m->meas_spec = n->meas_spec;
	m->meas_hash = n->meas_hash;
	m->session_meas = NULL;
}

const char *sv_field_name(enum sv_field f)
{
	static const char *const names[SV_NR_FIELDS] = {
		[SV_F_DEV_NAME] = "dev-name",
		[SV_F_PROVIDER] = "provider",
		[SV_F_SIG_TYPE] = "sig-type",
		[SV_F_VERSION] = "version",
		[SV_F_SLOT] = "slot",
		[SV_F_ASYM] = "base-asym-alg",
		[SV_F_HASH] = "base-hash-alg",
		[SV_F_HASH_ALGO] = "hash-algo",
		[SV_F_TRANSCRIPT] = "transcript",
		[SV_F_SIGNATURE] = "signature",
		[SV_F_REQ_OFF] = "req-nonce-offset",
		[SV_F_RSP_OFF] = "rsp-nonce-offset",
		[SV_F_PREFIX] = "combined-prefix",
		[SV_F_CHAIN] = "cert-chain",
		[SV_F_SIG_VALID] = "sig-valid",
		[SV_F_ANCHORED] = "chain-anchored",
		[SV_F_OBJECT] = "object",
		[SV_F_VCA] = "vca",
		[SV_F_MEAS_SPEC] = "meas-spec",
		[SV_F_MEAS_HASH] = "meas-hash-alg",
		[SV_F_NONCE] = "nonce",
		[SV_F_DEV_ID] = "device identity",
		[SV_F_DEV_SERIAL] = "device serial number",
		[SV_F_MEAS_REQ] = "measurement indices",
		[SV_F_SESSION_ID] = "session-id",
		[SV_F_RSP_VERIFY] = "rsp-verify-valid",
		[SV_F_FINISH] = "finish-valid",
		[SV_F_SESSION_MEAS] = "session-meas",
	};

	return f < SV_NR_FIELDS ? names[f] : "?";
}

const char *sv_provider_name(uint32_t provider)
{
	switch (provider) {
	case 0:	return "native";
	case 1:	return "tsm";
	}
	return NULL;
}

const char *sv_object_name(uint32_t object)
{
	switch (object) {
	case SV_OBJ_CERT_CHAIN:		return "cert-chain";
	case SV_OBJ_VCA:		return "vca";
	case SV_OBJ_CHALLENGE:		return "challenge";
	case SV_OBJ_MEASUREMENTS:	return "measurements";
	case SV_OBJ_KEY_EXCHANGE:	return "key-exchange";
	}
	return NULL;
}

const char *sv_sig_type_name(uint32_t sig_type)
{
	switch (sig_type) {
	case SV_SIG_CHALLENGE:		return "challenge";
	case SV_SIG_MEASUREMENTS:	return "measurements";
	case SV_SIG_KEY_EXCHANGE:	return "key-exchange";
	}
	return NULL;
}

/* ---- bundle: write ------------------------------------------------------ */

/* The decoded measurement blocks (output only: recomputed when read). */
static void write_blocks(struct sv_jw *w, const struct sv_evidence *ev,
			 const struct sv_verdict *v)
{
	const struct sv_block *b;
	unsigned int i;

	if (v->meas_hash)
		sv_jw_str(w, "meas_hash", v->meas_hash->label);
	sv_jw_arr(w, "measurements");
	for (i = 0; i < v->nr_blocks; i++) {
		b = &v->blocks[i];
		sv_jw_obj(w, NULL);
		sv_jw_int(w, "index", b->index);
		sv_jw_int(w, "spec", b->spec);
		if (b->dmtf) {
			sv_jw_int(w, "type", b->type & 0x7f);
			sv_jw_str(w, "type_name", sv_meas_type_name(b->type));
			sv_jw_str(w, "representation",
				  b->type & SV_MEAS_RAW ? "raw" : "digest");
		}
		sv_jw_hex(w, "value", ev->transcript.data + b->value,
			  b->value_len);
		sv_jw_obj_end(w);
	}
	sv_jw_arr_end(w);
}

/* A named enum value, or its number when it has no name */
static void write_enum(struct sv_jw *w, const char *key, const char *name,
		       uint32_t v)
{
	if (name)
		sv_jw_str(w, key, name);
	else
		sv_jw_int(w, key, v);
}

/* The verdict; @nested: that of session-meas, its failures prefixed */
static void write_failed(struct sv_jw *w, const struct sv_verdict *v,
			 const char *prefix)
{
	char name[64];
	int i;

	for (i = 0; i < SV_NR_CHECKS; i++) {
		if (v->check[i].result != SV_FAIL)
			continue;
		snprintf(name, sizeof(name), "%s%s", prefix, sv_check_name(i));
		sv_jw_str(w, NULL, name);
	}
}

static void write_verdict(struct sv_jw *w, const struct sv_verdict *v)
{
	const struct sv_check *ch;
	int i;

	sv_jw_obj(w, "verdict");
	sv_jw_bool(w, "ok", v->ok);
	sv_jw_arr(w, "failed");
	write_failed(w, v, "");
	if (v->meas)
		write_failed(w, v->meas, "meas-");
	sv_jw_arr_end(w);
	sv_jw_arr(w, "checks");
	for (i = 0; i < SV_NR_CHECKS; i++) {
		ch = &v->check[sv_check_order[i]];
		if (ch->result == SV_NA)
			continue;
		sv_jw_obj(w, NULL);
		sv_jw_str(w, "name", sv_check_name(sv_check_order[i]));
		sv_jw_str(w, "result", sv_result_name(ch->result));
		sv_jw_str(w, "detail", ch->detail);
		sv_jw_obj_end(w);
	}
	sv_jw_arr_end(w);
	sv_jw_obj_end(w);
}

static void write_leaf(struct sv_jw *w, const struct sv_verdict *v)
{
	int i;

	sv_jw_obj(w, "leaf");
	sv_jw_int(w, "chain_certificates", v->nr_certs);
	sv_jw_str(w, "subject", v->leaf_subject);
	sv_jw_str(w, "issuer", v->leaf_issuer);
	sv_jw_arr(w, "cma_names");
	for (i = 0; i < v->nr_sans; i++)
		sv_jw_str(w, NULL, v->san[i]);
	sv_jw_arr_end(w);
	sv_jw_obj_end(w);
}

static void write_kernel(struct sv_jw *w, const struct sv_evidence *ev)
{
	static const struct {
		enum sv_field f;
		const char *key;
	} verdicts[] = {
		{ SV_F_SIG_VALID, "sig_valid" },
		{ SV_F_ANCHORED, "chain_anchored" },
		{ SV_F_RSP_VERIFY, "rsp_verify_valid" },
		{ SV_F_FINISH, "finish_valid" },
	};
	const uint8_t *val[] = { &ev->sig_valid, &ev->anchored,
				 &ev->rsp_verify_valid, &ev->finish_valid };
	bool any = false;
	size_t i;

	for (i = 0; i < SV_ARRAY_SIZE(verdicts); i++) {
		if (!SV_HAVE(ev, verdicts[i].f))
			continue;
		if (!any)
			sv_jw_obj(w, "kernel");
		any = true;
		sv_jw_bool(w, verdicts[i].key, *val[i]);
	}
	if (any)
		sv_jw_obj_end(w);
}

/* What a signature covers: the fields a session-meas nest has too */
static void write_signed(struct sv_jw *w, const struct sv_evidence *ev,
			 const struct sv_verdict *v)
{
	if (SV_HAVE(ev, SV_F_SIG_TYPE))
		write_enum(w, "sig_type", sv_sig_type_name(ev->sig_type),
			   ev->sig_type);
	if (SV_HAVE(ev, SV_F_MEAS_SPEC))
		sv_jw_int(w, "meas_spec", ev->meas_spec);
	if (SV_HAVE(ev, SV_F_MEAS_HASH))
		sv_jw_int(w, "meas_hash_alg", ev->meas_hash);
	if (SV_HAVE(ev, SV_F_REQ_OFF))
		sv_jw_int(w, "req_nonce_offset", ev->req_off);
	if (SV_HAVE(ev, SV_F_RSP_OFF))
		sv_jw_int(w, "rsp_nonce_offset", ev->rsp_off);
	if (v && v->have_rsp_nonce)
		sv_jw_b64(w, "responder_nonce", v->rsp_nonce, SV_NONCE_LEN);
	if (SV_HAVE(ev, SV_F_TRANSCRIPT))
		sv_jw_b64(w, "transcript", ev->transcript.data,
			  ev->transcript.len);
	if (SV_HAVE(ev, SV_F_SIGNATURE))
		sv_jw_b64(w, "signature", ev->signature.data,
			  ev->signature.len);
	if (SV_HAVE(ev, SV_F_PREFIX))
		sv_jw_b64(w, "combined_prefix", ev->prefix.data,
			  ev->prefix.len);
}

/* The session's measurements: what the nest says, blocks, verdict */
static void write_session_meas(struct sv_jw *w, const struct sv_evidence *ev,
			       const struct sv_verdict *v)
{
	const struct sv_evidence *n = ev->session_meas;
	const struct sv_verdict *mv = v ? v->meas : NULL;
	struct sv_evidence view;

	sv_jw_obj(w, "session_meas");
	write_signed(w, n, mv);
	write_kernel(w, n);
	if (mv && mv->have_blocks) {
		sv_session_meas_view(ev, &view);
		write_blocks(w, &view, mv);
	}
	if (mv)
		write_verdict(w, mv);
	sv_jw_obj_end(w);
}

static void write_device(struct sv_jw *w, const struct sv_evidence *ev)
{
	sv_jw_obj(w, "device");
	if (SV_HAVE(ev, SV_F_DEV_NAME))
		sv_jw_str(w, "name", ev->dev_name);
	if (SV_HAVE(ev, SV_F_DEV_ID))
		sv_jw_str(w, "id", ev->dev_id);
	if (SV_HAVE(ev, SV_F_DEV_SERIAL))
		sv_jw_str(w, "serial", ev->dev_serial);
	sv_jw_obj_end(w);
}

/* Version, slot, algorithms, indices asked for, our nonce */
static void write_params(struct sv_jw *w, const struct sv_evidence *ev,
			 const struct sv_verdict *v)
{
	const struct sv_asym *asym = sv_asym_by_bit(ev->asym);
	char ver[8];
	unsigned int i;

	if (SV_HAVE(ev, SV_F_VERSION)) {
		snprintf(ver, sizeof(ver), "%u.%u", ev->version >> 4,
			 ev->version & 0xf);
		sv_jw_str(w, "version", ver);
	}
	if (SV_HAVE(ev, SV_F_SLOT))
		sv_jw_int(w, "slot", ev->slot);
	if (SV_HAVE(ev, SV_F_ASYM)) {
		sv_jw_int(w, "base_asym_alg", ev->asym);
		if (asym)
			sv_jw_str(w, "asym_algo", asym->name);
	}
	if (SV_HAVE(ev, SV_F_HASH))
		sv_jw_int(w, "base_hash_alg", ev->hash);
	if (SV_HAVE(ev, SV_F_HASH_ALGO))
		sv_jw_str(w, "hash_algo", ev->hash_algo);
	if (SV_HAVE(ev, SV_F_MEAS_REQ)) {
		sv_jw_arr(w, "meas_indices");
		for (i = 0; i < ev->nr_meas_req; i++)
			sv_jw_int(w, NULL, ev->meas_req[i]);
		sv_jw_arr_end(w);
	}
	if (SV_HAVE(ev, SV_F_NONCE)) {
		sv_jw_b64(w, "nonce", ev->nonce, SV_NONCE_LEN);
		sv_jw_str(w, "nonce_source", "verifier");
	} else if (v && v->have_req_nonce) {
		sv_jw_b64(w, "nonce", v->req_nonce, SV_NONCE_LEN);
		sv_jw_str(w, "nonce_source", "transcript");
	}
	if (SV_HAVE(ev, SV_F_SESSION_ID))
		sv_jw_int(w, "session_id", ev->session_id);
}

void sv_bundle_write(struct sv_jw *w, const char *key,
		     const struct sv_evidence *ev, const struct sv_verdict *v)
{
	sv_jw_obj(w, key);
	sv_jw_str(w, "format", SV_BUNDLE_FORMAT);
	sv_jw_int(w, "format_version", SV_BUNDLE_VERSION);
	sv_jw_str(w, "tool", "spdm-verify");
	write_device(w, ev);
	if (SV_HAVE(ev, SV_F_PROVIDER))
		write_enum(w, "provider", sv_provider_name(ev->provider),
			   ev->provider);
	if (*ev->log_entry) {
		sv_jw_str(w, "source", "sysfs-log");
		sv_jw_str(w, "log_entry", ev->log_entry);
	}
	write_params(w, ev, v);
	write_signed(w, ev, v);
	if (SV_HAVE(ev, SV_F_CHAIN))
		sv_jw_b64(w, "cert_chain", ev->chain.data, ev->chain.len);
	write_kernel(w, ev);
	if (v && v->have_blocks)
		write_blocks(w, ev, v);
	if (ev->session_meas)
		write_session_meas(w, ev, v);
	if (v && v->nr_certs)
		write_leaf(w, v);
	if (v)
		write_verdict(w, v);
	sv_jw_obj_end(w);
}

/* ---- bundle: read ------------------------------------------------------- */

struct br {
	const struct sv_jval *root;
	const struct sv_jval *obj;	/* the root, or session_meas */
	struct sv_evidence *ev;
	char *err;
	size_t errlen;
};

static int __sv_printf(2, 3) br_fail(struct br *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1: present and stored, 0: absent, -1: wrong type or range */
static int br_uint(struct br *b, const struct sv_jval *o, const char *key,
		   uint64_t max, uint64_t *out)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_NUM || !v->is_int || v->i < 0 ||
	    (uint64_t)v->i > max)
		return br_fail(b, "\"%s\" is not an integer from 0 to %llu",
			       key, (unsigned long long)max);
	*out = v->i;
	return 1;
}

static int br_str(struct br *b, const struct sv_jval *o, const char *key,
		  char *out, size_t outlen)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_STR || strlen(v->s) != v->len ||
	    v->len >= outlen)
		return br_fail(b, "\"%s\" is not a string of at most %zu characters",
			       key, outlen - 1);
	memcpy(out, v->s, v->len + 1);
	return 1;
}

static int br_b64(struct br *b, const char *key, struct sv_buf *out)
{
	const struct sv_jval *v = sv_json_get(b->obj, key);

	if (!v)
		return 0;
	if (v->type != SV_J_STR || sv_b64_decode(v->s, v->len, out))
		return br_fail(b, "\"%s\" is not base64", key);
	return 1;
}

static int br_bool(struct br *b, const struct sv_jval *o, const char *key,
		   uint8_t *out)
{
	const struct sv_jval *v = sv_json_get(o, key);

	if (!v)
		return 0;
	if (v->type != SV_J_BOOL)
		return br_fail(b, "\"%s\" is not true or false", key);
	*out = v->b;
	return 1;
}

/* A named enum value or its number. */
static int br_enum(struct br *b, const char *key, const char *const *names,
		   size_t n, uint32_t *out)
{
	const struct sv_jval *v = sv_json_get(b->obj, key);
	size_t i;

	if (!v)
		return 0;
	if (v->type == SV_J_NUM && v->is_int && v->i >= 0 &&
	    v->i <= UINT32_MAX) {
		*out = v->i;
		return 1;
	}
	if (v->type == SV_J_STR)
		for (i = 0; i < n; i++)
			if (!strcmp(v->s, names[i])) {
				*out = i;
				return 1;
			}
	return br_fail(b, "\"%s\" has an unknown value", key);
}

static void br_set(struct br *b, int rc, enum sv_field f)
{
	if (rc > 0)
		b->ev->have |= 1U << f;
}

static int br_version(struct br *b)
{
	const struct sv_jval *v = sv_json_get(b->root, "version");
	unsigned int major, minor;
	char c;

	if (!v)
		return 0;
	if (v->type != SV_J_STR ||
	    sscanf(v->s, "%u.%u%c", &major, &minor, &c) != 2 ||
	    major > 15 || minor > 15 || v->s[0] < '0' || v->s[0] > '9')
		return br_fail(b, "\"version\" is not \"MAJOR.MINOR\"");
	b->ev->version = major << 4 | minor;
	return 1;
}

static int br_device(struct br *b)
{
	const struct sv_jval *d = sv_json_get(b->root, "device");
	struct sv_evidence *ev = b->ev;
	uint8_t sn[SV_SERIAL_LEN / 2];
	int rc;

	if (!d)
		return 0;
	if (d->type != SV_J_OBJ)
		return br_fail(b, "\"device\" is not an object");
	rc = br_str(b, d, "name", ev->dev_name, sizeof(ev->dev_name));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_DEV_NAME);
	rc = br_str(b, d, "id", ev->dev_id, sizeof(ev->dev_id));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_DEV_ID);
	rc = br_str(b, d, "serial", ev->dev_serial, sizeof(ev->dev_serial));
	if (rc < 0)
		return -1;
	if (rc && sv_hex_decode(ev->dev_serial, sn, sizeof(sn)))
		return br_fail(b, "device \"serial\" is not 16 hex digits");
	br_set(b, rc, SV_F_DEV_SERIAL);
	return 0;
}

static int br_nonce(struct br *b)
{
	const struct sv_jval *src = sv_json_get(b->root, "nonce_source");
	struct sv_buf n = { 0 };
	int rc;

	rc = br_b64(b, "nonce", &n);
	if (rc <= 0)
		return rc;
	if (n.len != SV_NONCE_LEN) {
		sv_buf_free(&n);
		return br_fail(b, "\"nonce\" is not %u bytes", SV_NONCE_LEN);
	}
	/* a nonce read from the transcript proves nothing */
	if (!src || (src->type == SV_J_STR && !strcmp(src->s, "verifier"))) {
		memcpy(b->ev->nonce, n.data, SV_NONCE_LEN);
		b->ev->have |= 1U << SV_F_NONCE;
	}
	sv_buf_free(&n);
	return 0;
}

/* "meas_indices": the indices the verifier asked for ([]: all) */
static int br_indices(struct br *b)
{
	const struct sv_jval *a = sv_json_get(b->root, "meas_indices"), *v;
	size_t i, j;

	if (!a)
		return 0;
	if (a->type != SV_J_ARR || a->n > SV_MAX_MEAS_REQ)
		return br_fail(b, "\"meas_indices\" is not an array of at most %u indices",
			       SV_MAX_MEAS_REQ);
	for (i = 0; i < a->n; i++) {
		v = a->vals[i];
		if (v->type != SV_J_NUM || !v->is_int || v->i < 1 ||
		    v->i > SV_MAX_MEAS_REQ)
			return br_fail(b, "\"meas_indices\" holds a %s",
				       "value that is no index from 1 to 254");
		for (j = 0; j < i; j++)
			if (b->ev->meas_req[j] == v->i)
				return br_fail(b, "\"meas_indices\" has index %lld twice",
					       v->i);
		b->ev->meas_req[i] = v->i;
	}
	b->ev->nr_meas_req = a->n;
	return 1;
}

/* Integer fields of the bundle */
struct br_int {
	const char *key;
	uint64_t max;
	enum sv_field f;
};

static void br_store(struct sv_evidence *ev, enum sv_field f, uint64_t u)
{
	switch (f) {
	case SV_F_SLOT:
		ev->slot = u;
		break;
	case SV_F_MEAS_SPEC:
		ev->meas_spec = u;
		break;
	case SV_F_ASYM:
		ev->asym = u;
		break;
	case SV_F_HASH:
		ev->hash = u;
		break;
	case SV_F_MEAS_HASH:
		ev->meas_hash = u;
		break;
	case SV_F_REQ_OFF:
		ev->req_off = u;
		break;
	case SV_F_RSP_OFF:
		ev->rsp_off = u;
		break;
	case SV_F_SESSION_ID:
		ev->session_id = u;
		break;
	default:
		break;
	}
}

static int br_ints(struct br *b, const struct br_int *t, size_t n)
{
	uint64_t u;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = br_uint(b, b->obj, t[i].key, t[i].max, &u);
		if (rc < 0)
			return -1;
		if (rc)
			br_store(b->ev, t[i].f, u);
		br_set(b, rc, t[i].f);
	}
	return 0;
}

/* "kernel": the kernel's verdicts, reported only */
static int br_kernel(struct br *b)
{
	const struct sv_jval *k = sv_json_get(b->obj, "kernel");
	struct sv_evidence *ev = b->ev;
	const char *const keys[] = {
		"sig_valid", "chain_anchored", "rsp_verify_valid",
		"finish_valid",
	};
	const enum sv_field f[] = {
		SV_F_SIG_VALID, SV_F_ANCHORED, SV_F_RSP_VERIFY, SV_F_FINISH,
	};
	uint8_t *dst[] = { &ev->sig_valid, &ev->anchored,
			   &ev->rsp_verify_valid, &ev->finish_valid };
	size_t i;
	int rc;

	if (!k)
		return 0;
	if (k->type != SV_J_OBJ)
		return br_fail(b, "\"kernel\" is not an object");
	for (i = 0; i < SV_ARRAY_SIZE(keys); i++) {
		rc = br_bool(b, k, keys[i], dst[i]);
		if (rc < 0)
			return -1;
		br_set(b, rc, f[i]);
	}
	return 0;
}

/* What a signature covers: at the top, and in "session_meas" */
static int br_signed(struct br *b)
{
	static const char *const sig_types[] = {
		"challenge", "measurements", "key-exchange",
	};
	static const struct br_int ints[] = {
		{ "meas_spec", 255, SV_F_MEAS_SPEC },
		{ "meas_hash_alg", UINT32_MAX, SV_F_MEAS_HASH },
		{ "req_nonce_offset", UINT32_MAX, SV_F_REQ_OFF },
		{ "rsp_nonce_offset", UINT32_MAX, SV_F_RSP_OFF },
	};
	static const struct {
		const char *key;
		enum sv_field f;
	} blobs[] = {
		{ "transcript", SV_F_TRANSCRIPT },
		{ "signature", SV_F_SIGNATURE },
		{ "combined_prefix", SV_F_PREFIX },
	};
	struct sv_evidence *ev = b->ev;
	struct sv_buf *bufs[] = { &ev->transcript, &ev->signature,
				  &ev->prefix };
	size_t i;
	int rc;

	rc = br_enum(b, "sig_type", sig_types, SV_ARRAY_SIZE(sig_types),
		     &ev->sig_type);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_SIG_TYPE);
	if (br_ints(b, ints, SV_ARRAY_SIZE(ints)))
		return -1;
	for (i = 0; i < SV_ARRAY_SIZE(blobs); i++) {
		rc = br_b64(b, blobs[i].key, bufs[i]);
		if (rc < 0)
			return -1;
		br_set(b, rc, blobs[i].f);
	}
	return br_kernel(b);
}

/* "session_meas": measurements signed inside the session */
static int br_session_meas(struct br *b)
{
	const struct sv_jval *o = sv_json_get(b->root, "session_meas");
	struct br nb = *b;
	int rc;

	if (!o)
		return 0;
	if (o->type != SV_J_OBJ)
		return br_fail(b, "\"session_meas\" is not an object");
	nb.obj = o;
	nb.ev = calloc(1, sizeof(*nb.ev));
	if (!nb.ev)
		return br_fail(b, "out of memory");
	b->ev->session_meas = nb.ev;
	b->ev->have |= 1U << SV_F_SESSION_MEAS;
	rc = br_signed(&nb);
	if (rc < 0) {
		snprintf(b->err + strlen(b->err), b->errlen - strlen(b->err),
			 " (in \"session_meas\")");
	}
	return rc;
}

static int br_format(struct br *b)
{
	const struct sv_jval *fmt;
	uint64_t u;

	if (b->root->type != SV_J_OBJ)
		return br_fail(b, "not a JSON object");
	fmt = sv_json_get(b->root, "format");
	if (!fmt || fmt->type != SV_J_STR || strcmp(fmt->s, SV_BUNDLE_FORMAT))
		return br_fail(b, "not an evidence bundle (\"format\" is not \"%s\")",
			       SV_BUNDLE_FORMAT);
	if (br_uint(b, b->root, "format_version", UINT32_MAX, &u) <= 0 ||
	    u != SV_BUNDLE_VERSION)
		return br_fail(b, "\"format_version\" is not %d",
			       SV_BUNDLE_VERSION);
	return 0;
}

/* Everything but the signed fields, at the top of the bundle */
static int br_top(struct br *b)
{
	static const char *const providers[] = { "native", "tsm" };
	static const struct br_int ints[] = {
		{ "slot", 255, SV_F_SLOT },
		{ "base_asym_alg", UINT32_MAX, SV_F_ASYM },
		{ "base_hash_alg", UINT32_MAX, SV_F_HASH },
		{ "session_id", UINT32_MAX, SV_F_SESSION_ID },
	};
	struct sv_evidence *ev = b->ev;
	int rc;

	if (br_device(b) < 0)
		return -1;
	rc = br_enum(b, "provider", providers, 2, &ev->provider);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_PROVIDER);
	rc = br_version(b);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_VERSION);
	if (br_ints(b, ints, SV_ARRAY_SIZE(ints)))
		return -1;
	rc = br_str(b, b->root, "hash_algo", ev->hash_algo,
		    sizeof(ev->hash_algo));
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_HASH_ALGO);
	rc = br_indices(b);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_MEAS_REQ);
	if (br_nonce(b) < 0 ||
	    br_str(b, b->root, "log_entry", ev->log_entry,
		   sizeof(ev->log_entry)) < 0)
		return -1;
	rc = br_b64(b, "cert_chain", &ev->chain);
	if (rc < 0)
		return -1;
	br_set(b, rc, SV_F_CHAIN);
	return 0;
}

int sv_bundle_read(const char *text, size_t len, struct sv_evidence *ev,
		   char *err, size_t errlen)
{
	struct br b = { .ev = ev, .err = err, .errlen = errlen };
	char jerr[256];
	int rc = -1;

	memset(ev, 0, sizeof(*ev));
	b.root = sv_json_parse(text, len, jerr, sizeof(jerr));
	if (!b.root) {
		snprintf(err, errlen, "not JSON: %s", jerr);
		return -1;
	}
	b.obj = b.root;
	if (!br_format(&b) && !br_top(&b) && !br_signed(&b) &&
	    !br_session_meas(&b))
		rc = 0;
	sv_json_free((struct sv_jval *)b.root);
	if (rc < 0)
		sv_evidence_free(ev);
	return rc;
}
