// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of spdm-verify's parts that need no kernel: base64 and hex,
 * the JSON parser and writer, strict reassembly of chunked objects, the
 * netlink attribute parser (messages built with libnl as the kernel would
 * send them, larger than 64 KiB, chunks out of order, malformed
 * attributes), the combined prefix, the device identity read from a
 * fake sysfs, the walks through VCA, M1/M2 and L1/L2 (truncated at every
 * length) and measurement blocks, and --expect files; SPDM 1.4: the VCA
 * (PqcAsymSel, AlgTypes 6 and 7, ExtFlags), the large GET_CERTIFICATE,
 * the chain's u32 Length, the v1.4 prefix, pqc-asym-alg over netlink, the
 * ML-DSA parameter sets.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/spdm_netlink.h>

#include "tap.h"
#include "verify.h"

/* ---- base64, hex ---------------------------------------------------------- */

static int t_base64(void)
{
	static const struct {
		const char *plain, *enc;
	} v[] = {	/* RFC 4648 sec 10 */
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	static const char *const bad[] = {
		"Zg=", "Zh==", "Zm9=", "Zm9v\n", "====", "Z===", "Zm9v====",
		"Zm=v", "Zg==Zg==", "Zm9*", "Zm 9",
	};
	uint8_t all[256];
	struct sv_buf b;
	char out[400];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		sv_b64_encode((const uint8_t *)v[i].plain, strlen(v[i].plain), out);
		CHECK(!strcmp(out, v[i].enc));
		CHECK_EQ(sv_b64_len(strlen(v[i].plain)), strlen(v[i].enc));
		CHECK(!sv_b64_decode(v[i].enc, strlen(v[i].enc), &b));
		CHECK_MEM(b.data, b.len, v[i].plain, strlen(v[i].plain));
		sv_buf_free(&b);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!sv_b64_decode(bad[i], strlen(bad[i]), &b)) {
			printf("# accepted \"%s\"\n", bad[i]);
			tap_fail = 1;
			sv_buf_free(&b);
		}
	}
	for (i = 0; i < sizeof(all); i++)
		all[i] = i;
	sv_b64_encode(all, sizeof(all), out);
	CHECK(!sv_b64_decode(out, strlen(out), &b));
	CHECK_MEM(b.data, b.len, all, sizeof(all));
	sv_buf_free(&b);
	return 0;
}

static int t_hex(void)
{
	uint8_t b[4];
	char s[9];

	CHECK(!sv_hex_decode("00fFa5B0", b, 4));
	CHECK(b[0] == 0 && b[1] == 0xff && b[2] == 0xa5 && b[3] == 0xb0);
	sv_hex(b, 4, s);
	CHECK(!strcmp(s, "00ffa5b0"));
	CHECK(sv_hex_decode("00ff", b, 4));
	CHECK(sv_hex_decode("00ffa5b0aa", b, 4));
	CHECK(sv_hex_decode("00ffa5bg", b, 4));
	return 0;
}

/* ---- JSON ----------------------------------------------------------------- */

static struct sv_jval *parse(const char *s)
{
	char err[256];

	return sv_json_parse(s, strlen(s), err, sizeof(err));
}

static int t_json_parse(void)
{
	const char *doc =
		" {\"a\": [1, -2, 3.5e1, true, false, null,\n"
		"\"x\\u00e9\\ud83d\\ude00\\n\\\"\\/\"],\n"
		"  \"b\": {}, \"c\": [], \"big\": 9223372036854775807,\n"
		"  \"bigger\": 92233720368547758070, \"s\": \"\xc3\xa9\"} ";
	const struct sv_jval *a, *v;
	struct sv_jval *root = parse(doc);

	CHECK(root);
	if (!root)
		return 1;
	CHECK_EQ(root->type, SV_J_OBJ);
	CHECK_EQ(root->n, 6);
	a = sv_json_get(root, "a");
	CHECK(a && a->type == SV_J_ARR && a->n == 7);
	if (a && a->n == 7) {
		CHECK(a->vals[0]->is_int && a->vals[0]->i == 1);
		CHECK(a->vals[1]->is_int && a->vals[1]->i == -2);
		CHECK(a->vals[2]->type == SV_J_NUM && !a->vals[2]->is_int);
		CHECK(a->vals[3]->type == SV_J_BOOL && a->vals[3]->b);
		CHECK(a->vals[4]->type == SV_J_BOOL && !a->vals[4]->b);
		CHECK(a->vals[5]->type == SV_J_NULL);
		CHECK(a->vals[6]->type == SV_J_STR &&
		      !strcmp(a->vals[6]->s, "x\xc3\xa9\xf0\x9f\x98\x80\n\"/"));
	}
	v = sv_json_get(root, "big");
	CHECK(v && v->is_int && v->i == 9223372036854775807LL);
	v = sv_json_get(root, "bigger");
	CHECK(v && v->type == SV_J_NUM && !v->is_int);
	v = sv_json_get(root, "s");
	CHECK(v && !strcmp(v->s, "\xc3\xa9"));
	CHECK(!sv_json_get(root, "missing"));
	sv_json_free(root);
	return 0;
}

static int t_json_reject(void)
{
	static const char *const bad[] = {
		"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
		"{\"a\":1,\"a\":2}", "\"abc", "\"a\\x\"", "\"\x01\"", "01",
		"1.", "+1", "-", ".5", "1e", "tru", "nul", "[1] 2", "{} x",
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\u12g4\"",
		"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "NaN", "[1 2]",
		"{\"a\":1 \"b\":2}", "// c\n1", "'a'",
	};
	char deep[200], err[256];
	struct sv_jval *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = sv_json_parse(bad[i], strlen(bad[i]), err, sizeof(err));
		if (v) {
			printf("# accepted '%s'\n", bad[i]);
			tap_fail = 1;
			sv_json_free(v);
		}
	}
	/* a NUL inside the text is data after the value */
	v = sv_json_parse("1\0", 2, err, sizeof(err));
	CHECK(!v);
	/* 64 levels are fine, 65 are not */
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	v = sv_json_parse(deep, 128, err, sizeof(err));
	CHECK(v);
	sv_json_free(v);
	memset(deep, '[', 65);
	memset(deep + 65, ']', 65);
	v = sv_json_parse(deep, 130, err, sizeof(err));
	CHECK(!v && strstr(err, "deeply"));
	v = sv_json_parse("{\n\"a\": x}", 9, err, sizeof(err));
	CHECK(!v && strstr(err, "line 2"));
	return 0;
}

static int t_json_write(void)
{
	static const char weird[] =
		"q\"b\\ s/ \x01\x1f\t\n\r\b\f \xc3\xa9 \xff \xe2\x82";
	static const char back[] =	/* invalid UTF-8: U+FFFD */
		"q\"b\\ s/ \x01\x1f\t\n\r\b\f \xc3\xa9 \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd";
	struct sv_jval *root;
	const struct sv_jval *v;
	struct sv_jw w;
	char *text;
	size_t len;
	FILE *f;
	int pretty;

	for (pretty = 0; pretty < 2; pretty++) {
		f = open_memstream(&text, &len);
		if (!f)
			return 1;
		sv_jw_init(&w, f, pretty);
		sv_jw_obj(&w, NULL);
		sv_jw_str(&w, "weird", weird);
		sv_jw_int(&w, "n", -42);
		sv_jw_bool(&w, "t", true);
		sv_jw_arr(&w, "empty");
		sv_jw_arr_end(&w);
		sv_jw_obj(&w, "o");
		sv_jw_b64(&w, "b", "\x00\x01\x02", 3);
		sv_jw_hex(&w, "h", "\xab\xcd", 2);
		sv_jw_obj_end(&w);
		sv_jw_arr(&w, "a");
		sv_jw_int(&w, NULL, 1);
		sv_jw_str(&w, NULL, "two");
		sv_jw_arr_end(&w);
		sv_jw_obj_end(&w);
		sv_jw_end(&w);
		fclose(f);
		CHECK(strchr(text, '\n') != text + len - 1 || !pretty);
		root = parse(text);
		CHECK(root);
		if (!root) {
			printf("# %s", text);
			free(text);
			return 1;
		}
		v = sv_json_get(root, "weird");
		CHECK(v && !strcmp(v->s, back));
		v = sv_json_get(root, "n");
		CHECK(v && v->is_int && v->i == -42);
		v = sv_json_get(sv_json_get(root, "o"), "b");
		CHECK(v && !strcmp(v->s, "AAEC"));
		v = sv_json_get(sv_json_get(root, "o"), "h");
		CHECK(v && !strcmp(v->s, "abcd"));
		v = sv_json_get(root, "a");
		CHECK(v && v->n == 2 && !strcmp(v->vals[1]->s, "two"));
		v = sv_json_get(root, "empty");
		CHECK(v && v->type == SV_J_ARR && !v->n);
		sv_json_free(root);
		free(text);
	}
	return 0;
}

/* ---- chunks ----------------------------------------------------------------- */

static int t_chunks(void)
{
	uint8_t data[100];
	struct sv_chunks c = { 0 };
	struct sv_buf out = { 0 };
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i;
	/* out of order, complete */
	CHECK(!sv_chunks_add(&c, 60, 100, data + 60, 40, err, sizeof(err)));
	CHECK(!sv_chunks_add(&c, 0, 100, data, 30, err, sizeof(err)));
	CHECK(!sv_chunks_add(&c, 30, 100, data + 30, 30, err, sizeof(err)));
	CHECK(!sv_chunks_finish(&c, &out, err, sizeof(err)));
	CHECK_MEM(out.data, out.len, data, sizeof(data));
	sv_buf_free(&out);

	/* overlap */
	CHECK(!sv_chunks_add(&c, 0, 100, data, 50, err, sizeof(err)));
	CHECK(sv_chunks_add(&c, 49, 100, data + 49, 10, err, sizeof(err)));
	CHECK(strstr(err, "overlaps"));
	/* the same chunk twice */
	CHECK(sv_chunks_add(&c, 0, 100, data, 50, err, sizeof(err)));
	/* total changes */
	CHECK(sv_chunks_add(&c, 50, 101, data + 50, 50, err, sizeof(err)));
	CHECK(strstr(err, "total-len"));
	/* beyond the end */
	CHECK(sv_chunks_add(&c, 90, 100, data, 11, err, sizeof(err)));
	CHECK(sv_chunks_add(&c, 0xffffffff, 100, data, 1, err, sizeof(err)));
	/* empty chunk */
	CHECK(sv_chunks_add(&c, 60, 100, data, 0, err, sizeof(err)));
	/* a gap: 50..59 missing */
	CHECK(!sv_chunks_add(&c, 60, 100, data + 60, 40, err, sizeof(err)));
	CHECK(sv_chunks_finish(&c, &out, err, sizeof(err)));
	CHECK(strstr(err, "missing from offset 50"));
	sv_chunks_free(&c);

	/* nothing, too big, empty object */
	CHECK(sv_chunks_finish(&c, &out, err, sizeof(err)));
	CHECK(sv_chunks_add(&c, 0, SV_MAX_OBJECT + 1, data, 1, err, sizeof(err)));
	sv_chunks_free(&c);
	CHECK(!sv_chunks_add(&c, 0, 0, data, 0, err, sizeof(err)));
	CHECK(sv_chunks_add(&c, 0, 0, data, 0, err, sizeof(err)));
	CHECK(!sv_chunks_finish(&c, &out, err, sizeof(err)));
	CHECK_EQ(out.len, 0);
	sv_buf_free(&out);
	sv_chunks_free(&c);
	return 0;
}

/* ---- netlink attributes ---------------------------------------------------- */

#define BIG	70000		/* a transcript of three chunks */

static uint8_t big[BIG];

static struct nl_msg *new_msg(void)
{
	return nlmsg_alloc_size(4 * BIG);
}

static int put_chunk(struct nl_msg *m, int type, uint32_t off, uint32_t total,
		     const void *data, int len)
{
	struct nlattr *n = nla_nest_start(m, type);

	if (!n || nla_put_u32(m, SPDM_A_CHUNK_OFFSET, off) ||
	    nla_put_u32(m, SPDM_A_CHUNK_TOTAL_LEN, total) ||
	    nla_put(m, SPDM_A_CHUNK_DATA, len, data))
		return -1;
	return nla_nest_end(m, n);
}

static int collect(struct sv_collect *c, struct nl_msg *m, char *err,
		   size_t errlen)
{
	struct nlmsghdr *h = nlmsg_hdr(m);

	return sv_collect_attrs(c, nlmsg_attrdata(h, 0), nlmsg_attrlen(h, 0),
				err, errlen);
}

/* A challenge reply as the kernel sends it. */
static struct nl_msg *reply(void)
{
	static const uint8_t sig[96] = { 1, 2, 3 }, prefix[100] = { 'd' };
	struct nl_msg *m = new_msg();

	if (!m || nla_put_string(m, SPDM_A_EVIDENCE_DEV_NAME, "0000:00:08.0") ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_PROVIDER, 0) ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_SIG_TYPE, 0) ||
	    nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x12) ||
	    nla_put_u8(m, SPDM_A_EVIDENCE_SLOT, 3) ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_BASE_ASYM_ALG, 0x80) ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_BASE_HASH_ALG, 2) ||
	    nla_put_string(m, SPDM_A_EVIDENCE_HASH_ALGO, "sha384") ||
	    /* out of order, as is allowed */
	    put_chunk(m, SPDM_A_EVIDENCE_TRANSCRIPT, 65536, BIG,
		      big + 65536, BIG - 65536) ||
	    put_chunk(m, SPDM_A_EVIDENCE_TRANSCRIPT, 0, BIG, big, 32768) ||
	    put_chunk(m, SPDM_A_EVIDENCE_TRANSCRIPT, 32768, BIG, big + 32768,
		      32768) ||
	    nla_put(m, SPDM_A_EVIDENCE_SIGNATURE, sizeof(sig), sig) ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_REQ_NONCE_OFFSET, 1000) ||
	    nla_put_u32(m, SPDM_A_EVIDENCE_RSP_NONCE_OFFSET, 2000) ||
	    nla_put(m, SPDM_A_EVIDENCE_COMBINED_PREFIX, sizeof(prefix), prefix) ||
	    put_chunk(m, SPDM_A_EVIDENCE_CERT_CHAIN, 0, 5, "chain", 5) ||
	    nla_put_u8(m, SPDM_A_EVIDENCE_SIG_VALID, 1) ||
	    nla_put_u8(m, SPDM_A_EVIDENCE_CHAIN_ANCHORED, 0) ||
	    nla_put_u32(m, 200, 7)) {		/* unknown: ignored */
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static int t_nl_reply(void)
{
	struct sv_collect c;
	struct nl_msg *m;
	char err[SV_ERR_MAX];
	size_t i;

	for (i = 0; i < BIG; i++)
		big[i] = i * 7 + (i >> 8);
	m = reply();
	if (!m)
		return 1;
	CHECK(nlmsg_hdr(m)->nlmsg_len > 65536);
	sv_collect_init(&c);
	CHECK(!collect(&c, m, err, sizeof(err)));
	CHECK(!sv_collect_finish(&c, err, sizeof(err)));
	CHECK(!strcmp(c.ev.dev_name, "0000:00:08.0"));
	CHECK(!strcmp(c.ev.hash_algo, "sha384"));
	CHECK_EQ(c.ev.version, 0x12);
	CHECK_EQ(c.ev.slot, 3);
	CHECK_EQ(c.ev.asym, 0x80);
	CHECK_EQ(c.ev.hash, 2);
	CHECK_EQ(c.ev.req_off, 1000);
	CHECK_EQ(c.ev.rsp_off, 2000);
	CHECK_EQ(c.ev.sig_valid, 1);
	CHECK_EQ(c.ev.anchored, 0);
	CHECK(SV_HAVE(&c.ev, SV_F_ANCHORED));
	CHECK(!SV_HAVE(&c.ev, SV_F_NONCE));
	CHECK_MEM(c.ev.transcript.data, c.ev.transcript.len, big, BIG);
	CHECK_MEM(c.ev.chain.data, c.ev.chain.len, "chain", 5);
	CHECK_EQ(c.ev.signature.len, 96);
	CHECK_EQ(c.ev.prefix.len, 100);
	sv_collect_free(&c);
	/* the same message twice (a dump repeating itself): chunks overlap */
	sv_collect_init(&c);
	CHECK(!collect(&c, m, err, sizeof(err)));
	CHECK(collect(&c, m, err, sizeof(err)));
	CHECK(strstr(err, "transcript: chunk at offset 65536"));
	CHECK(strstr(err, "overlaps"));
	sv_collect_free(&c);
	nlmsg_free(m);
	return 0;
}

/* Two messages of one object: scalars may repeat, chunks add up. */
static int t_nl_dump(void)
{
	struct nl_msg *a = new_msg(), *b = new_msg(), *x = new_msg();
	struct sv_collect c;
	char err[SV_ERR_MAX];
	uint32_t object;
	int slot;
	struct nlmsghdr *h;

	if (!a || !b || !x)
		return 1;
	CHECK(!nla_put_u32(a, SPDM_A_EVIDENCE_OBJECT, 1));
	CHECK(!nla_put_u8(a, SPDM_A_EVIDENCE_SLOT, 2));
	CHECK(!put_chunk(a, SPDM_A_EVIDENCE_CERT_CHAIN, 0, 40000, big, 32768));
	CHECK(!nla_put_u32(b, SPDM_A_EVIDENCE_OBJECT, 1));
	CHECK(!nla_put_u8(b, SPDM_A_EVIDENCE_SLOT, 2));
	CHECK(!put_chunk(b, SPDM_A_EVIDENCE_CERT_CHAIN, 32768, 40000,
			 big + 32768, 40000 - 32768));
	h = nlmsg_hdr(a);
	CHECK(!sv_object_key(nlmsg_attrdata(h, 0), nlmsg_attrlen(h, 0),
			     &object, &slot));
	CHECK_EQ(object, 1);
	CHECK_EQ(slot, 2);
	sv_collect_init(&c);
	CHECK(!collect(&c, a, err, sizeof(err)));
	/* incomplete so far */
	CHECK(sv_collect_finish(&c, err, sizeof(err)));
	CHECK(strstr(err, "missing from offset 32768"));
	sv_collect_free(&c);
	sv_collect_init(&c);
	CHECK(!collect(&c, a, err, sizeof(err)));
	CHECK(!collect(&c, b, err, sizeof(err)));
	CHECK(!sv_collect_finish(&c, err, sizeof(err)));
	CHECK_MEM(c.ev.chain.data, c.ev.chain.len, big, 40000);
	sv_collect_free(&c);

	/* a message of the same object for another slot conflicts */
	CHECK(!nla_put_u8(x, SPDM_A_EVIDENCE_SLOT, 3));
	sv_collect_init(&c);
	CHECK(!collect(&c, a, err, sizeof(err)));
	CHECK(collect(&c, x, err, sizeof(err)));
	CHECK(strstr(err, "slot repeated"));
	sv_collect_free(&c);
	h = nlmsg_hdr(x);
	CHECK(sv_object_key(nlmsg_attrdata(h, 0), nlmsg_attrlen(h, 0),
			    &object, &slot));
	nlmsg_free(a);
	nlmsg_free(b);
	nlmsg_free(x);
	return 0;
}

/* One malformed attribute per message: each is refused. */
static int t_nl_malformed(void)
{
	static const uint8_t data[SPDM_CHUNK_MAX + 1];
	struct sv_collect c;
	char err[SV_ERR_MAX];
	struct nlattr *n;
	struct nl_msg *m;
	uint32_t u = 0;
	int i;

	for (i = 0; i < 14; i++) {
		m = new_msg();
		if (!m)
			return 1;
		switch (i) {
		case 0:		/* u8 of 4 bytes */
			nla_put_u32(m, SPDM_A_EVIDENCE_VERSION, 0x12);
			break;
		case 1:		/* u32 of 1 byte */
			nla_put_u8(m, SPDM_A_EVIDENCE_REQ_NONCE_OFFSET, 1);
			break;
		case 2:		/* string without its NUL */
			nla_put(m, SPDM_A_EVIDENCE_DEV_NAME, 4, "abcd");
			break;
		case 3:		/* string with a NUL inside */
			nla_put(m, SPDM_A_EVIDENCE_HASH_ALGO, 5, "sh\0a");
			break;
		case 4:		/* string too long */
			nla_put(m, SPDM_A_EVIDENCE_DEV_NAME, 100, data);
			break;
		case 5:		/* chunk without data */
			n = nla_nest_start(m, SPDM_A_EVIDENCE_TRANSCRIPT);
			nla_put_u32(m, SPDM_A_CHUNK_OFFSET, 0);
			nla_put_u32(m, SPDM_A_CHUNK_TOTAL_LEN, 4);
			nla_nest_end(m, n);
			break;
		case 6:		/* chunk offset of 2 bytes */
			n = nla_nest_start(m, SPDM_A_EVIDENCE_CERT_CHAIN);
			nla_put_u16(m, SPDM_A_CHUNK_OFFSET, 0);
			nla_put_u32(m, SPDM_A_CHUNK_TOTAL_LEN, 4);
			nla_put(m, SPDM_A_CHUNK_DATA, 4, data);
			nla_nest_end(m, n);
			break;
		case 7:		/* chunk larger than chunk-max */
			put_chunk(m, SPDM_A_EVIDENCE_VCA, 0, sizeof(data), data,
				  sizeof(data));
			break;
		case 8:		/* chunk with its data twice */
			n = nla_nest_start(m, SPDM_A_EVIDENCE_TRANSCRIPT);
			nla_put_u32(m, SPDM_A_CHUNK_OFFSET, 0);
			nla_put_u32(m, SPDM_A_CHUNK_TOTAL_LEN, 4);
			nla_put(m, SPDM_A_CHUNK_DATA, 2, data);
			nla_put(m, SPDM_A_CHUNK_DATA, 2, data);
			nla_nest_end(m, n);
			break;
		case 9:		/* scalar repeated with another value */
			nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x12);
			nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x13);
			break;
		case 10:	/* signature too long */
			nla_put(m, SPDM_A_EVIDENCE_SIGNATURE, SV_MAX_SIG_LEN + 1,
				data);
			break;
		case 11:	/* a truncated attribute at the end */
			nla_put_u32(m, SPDM_A_EVIDENCE_PROVIDER, 0);
			nlmsg_hdr(m)->nlmsg_len -= 2;
			break;
		case 12:	/* pqc-asym-alg of 1 byte */
			nla_put_u8(m, SPDM_A_EVIDENCE_PQC_ASYM_ALG, 2);
			break;
		case 13:	/* pqc-asym-alg repeated with another value */
			nla_put_u32(m, SPDM_A_EVIDENCE_PQC_ASYM_ALG, 2);
			nla_put_u32(m, SPDM_A_EVIDENCE_PQC_ASYM_ALG, 4);
			break;
		}
		sv_collect_init(&c);
		if (!collect(&c, m, err, sizeof(err))) {
			printf("# malformed message %d accepted\n", i);
			tap_fail = 1;
		}
		sv_collect_free(&c);
		nlmsg_free(m);
	}
	/* the same value twice is fine */
	m = new_msg();
	if (!m)
		return 1;
	nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x12);
	nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x12);
	nla_put(m, SPDM_A_EVIDENCE_SIGNATURE, 4, &u);
	nla_put(m, SPDM_A_EVIDENCE_SIGNATURE, 4, &u);
	sv_collect_init(&c);
	CHECK(!collect(&c, m, err, sizeof(err)));
	sv_collect_free(&c);
	nlmsg_free(m);
	return 0;
}

/* SPDM 1.4: pqc-asym-alg names the signature algorithm, base-asym-alg 0 */
static int t_nl_pqc(void)
{
	struct sv_collect c;
	char err[SV_ERR_MAX];
	struct nl_msg *m = new_msg();

	if (!m)
		return 1;
	CHECK(!nla_put_u8(m, SPDM_A_EVIDENCE_VERSION, 0x14));
	CHECK(!nla_put_u32(m, SPDM_A_EVIDENCE_BASE_ASYM_ALG, 0));
	CHECK(!nla_put_u32(m, SPDM_A_EVIDENCE_PQC_ASYM_ALG, 0x2));
	sv_collect_init(&c);
	CHECK(!collect(&c, m, err, sizeof(err)));
	CHECK(!sv_collect_finish(&c, err, sizeof(err)));
	CHECK(SV_HAVE(&c.ev, SV_F_PQC_ASYM));
	CHECK_EQ(c.ev.pqc_asym, 2);
	CHECK_EQ(c.ev.asym, 0);
	CHECK(sv_evidence_asym(&c.ev) && !strcmp(sv_evidence_asym(&c.ev)->label,
						 "ML-DSA-65"));
	CHECK(!strcmp(sv_field_name(SV_F_PQC_ASYM), "pqc-asym-alg"));
	sv_collect_free(&c);
	nlmsg_free(m);
	return 0;
}

/* The ML-DSA parameter sets (FIPS 204, RFC 9881) and the classical ones */
static int t_pqc_algs(void)
{
	static const struct {
		uint32_t bit;
		const char *label, *oid;
		size_t sig, pk;
	} v[] = {
		{ 0x1, "ML-DSA-44", "2.16.840.1.101.3.4.3.17", 2420, 1312 },
		{ 0x2, "ML-DSA-65", "2.16.840.1.101.3.4.3.18", 3309, 1952 },
		{ 0x4, "ML-DSA-87", "2.16.840.1.101.3.4.3.19", 4627, 2592 },
	};
	const struct sv_asym *a;
	char why[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		a = sv_pqc_asym_by_bit(v[i].bit);
		CHECK(a && !strcmp(a->label, v[i].label) && a->kind == SV_MLDSA);
		if (!a)
			continue;
		CHECK_EQ(a->sig_len, v[i].sig);
		CHECK_EQ(a->pk_len, v[i].pk);
		CHECK(sv_pqc_asym_by_oid(v[i].oid) == a);
		CHECK(a->sig_len <= SV_MAX_SIG_LEN);
		/* a build without ML-DSA says so, one with it does not */
		CHECK(!sv_mldsa_unsupported(a, why, sizeof(why)) ==
		      sv_mldsa_built());
		if (!sv_mldsa_built())
			CHECK(strstr(why, "needs OpenSSL 3.5 or newer; built with OpenSSL 3."));
	}
	CHECK(!sv_pqc_asym_by_bit(0x8));	/* SLH-DSA: not supported */
	CHECK(!sv_pqc_asym_by_bit(0));
	CHECK(!sv_pqc_asym_by_oid("1.2.840.10045.2.1"));
	/* the PQC bits are not BaseAsymAlgo bits */
	CHECK(sv_asym_by_bit(0x2) && sv_asym_by_bit(0x2)->kind == SV_RSAPSS);
	return 0;
}

/* The chain's Length: u16 (then Reserved) before SPDM 1.4, u32 from 1.4 */
static int t_chain_length(void)
{
	uint8_t hdr[4] = { 0x34, 0x12, 0x01, 0x00 };
	struct sv_buf b = { .data = hdr, .len = sizeof(hdr) };

	CHECK_EQ(sv_chain_length(&b, 0x13), 0x1234);
	CHECK_EQ(sv_chain_length(&b, 0x14), 0x11234);
	b.len = 3;
	CHECK_EQ(sv_chain_length(&b, 0x14), 0);
	return 0;
}

/* ---- prefix, identities ------------------------------------------------------ */

static int t_prefix(void)
{
	uint8_t p[SV_PREFIX_LEN], want[SV_PREFIX_LEN] = { 0 };

	memcpy(want, "dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*dmtf-spdm-v1.2.*",
	       64);
	memcpy(want + 68, "responder-challenge_auth signing", 32);
	sv_combined_prefix(0x12, SV_CHALLENGE_AUTH_CONTEXT, p);
	CHECK_MEM(p, sizeof(p), want, sizeof(want));
	sv_combined_prefix(0x13, SV_CHALLENGE_AUTH_CONTEXT, p);
	CHECK(p[13] == '3' && p[61] == '3' && !p[64] && !p[67] && p[68] == 'r');
	/* 1.4: the same construction; 34 bytes of context, 2 of padding */
	memcpy(want, "dmtf-spdm-v1.4.*dmtf-spdm-v1.4.*dmtf-spdm-v1.4.*dmtf-spdm-v1.4.*",
	       64);
	memset(want + 64, 0, 36);
	memcpy(want + 66, "responder-key_exchange_rsp signing", 34);
	sv_combined_prefix(0x14, SV_KEY_EXCHANGE_CONTEXT, p);
	CHECK_MEM(p, sizeof(p), want, sizeof(want));
	return 0;
}

static int t_split_identity(void)
{
	char id[SV_ID_MAX], sn[SV_SERIAL_LEN + 1];

	CHECK(!sv_split_identity("Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100",
				 id, sizeof(id), sn, sizeof(sn)));
	CHECK(!strcmp(id, "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"));
	CHECK(!*sn);
	CHECK(!sv_split_identity("Vendor=1b36:Device=0010:CC=010802:REV=02:0123456789abcdef",
				 id, sizeof(id), sn, sizeof(sn)));
	CHECK(!strcmp(id, "Vendor=1b36:Device=0010:CC=010802:REV=02"));
	CHECK(!strcmp(sn, "0123456789abcdef"));
	CHECK(sv_split_identity("1b36:0010", id, sizeof(id), sn, sizeof(sn)));
	return 0;
}

static int write_file(const char *dir, const char *name, const void *data,
		      size_t len)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(data, 1, len, f);
	return fclose(f);
}

static int fake_device(const char *root, const char *name, uint8_t hdr_type,
		       size_t cfg_len, uint64_t dsn)
{
	static const char *const files[][2] = {
		{ "vendor", "0x1b36\n" }, { "device", "0x0010\n" },
		{ "class", "0x010802\n" }, { "revision", "0x02\n" },
		{ "subsystem_vendor", "0x1af4\n" },
		{ "subsystem_device", "0x1100\n" },
	};
	uint8_t cfg[4096] = { 0 };
	char dir[128];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	if (mkdir(dir, 0700))
		return -1;
	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (write_file(dir, files[i][0], files[i][1],
			       strlen(files[i][1])))
			return -1;
	cfg[0x0e] = hdr_type;
	/* AER (id 1) at 0x100, then DSN (id 3) at 0x140 */
	cfg[0x100] = 0x01;
	cfg[0x102] = 0x01;
	cfg[0x103] = 0x14;		/* next: 0x140 */
	cfg[0x140] = 0x03;
	cfg[0x142] = 0x01;
	for (i = 0; i < 8; i++)
		cfg[0x144 + i] = dsn >> (8 * i);
	return write_file(dir, "config", cfg, cfg_len);
}

static int t_sysfs_identity(void)
{
	char root[] = "/tmp/spdm-verify-unit-XXXXXX", cmd[64];
	char id[SV_ID_MAX], sn[SV_SERIAL_LEN + 1], err[SV_ERR_MAX];

	if (!mkdtemp(root))
		return 1;
	setenv("SPDM_VERIFY_SYSFS", root, 1);
	CHECK(!fake_device(root, "0000:00:08.0", 0x80, 4096,
			   0x0123456789abcdefULL));
	CHECK(!fake_device(root, "0000:00:01.0", 0x01, 4096, 0));
	CHECK(!fake_device(root, "0000:00:09.0", 0x00, 64, 0x1122));

	CHECK(!sv_pci_identity("0000:00:08.0", id, sizeof(id), sn, sizeof(sn),
			       err, sizeof(err)));
	CHECK(!strcmp(id, "Vendor=1b36:Device=0010:CC=010802:REV=02:SSVID=1af4:SSID=1100"));
	CHECK(!strcmp(sn, "0123456789abcdef"));
	/* a bridge: no subsystem IDs; no DSN */
	CHECK(!sv_pci_identity("0000:00:01.0", id, sizeof(id), sn, sizeof(sn),
			       err, sizeof(err)));
	CHECK(!strcmp(id, "Vendor=1b36:Device=0010:CC=010802:REV=02"));
	CHECK(!*sn);
	/* config space beyond 64 bytes not readable: no DSN */
	CHECK(!sv_pci_identity("0000:00:09.0", id, sizeof(id), sn, sizeof(sn),
			       err, sizeof(err)));
	CHECK(!*sn);
	CHECK(sv_pci_identity("0000:00:0a.0", id, sizeof(id), sn, sizeof(sn),
			      err, sizeof(err)));
	CHECK(sv_pci_identity("../x", id, sizeof(id), sn, sizeof(sn), err,
			      sizeof(err)));
	unsetenv("SPDM_VERIFY_SYSFS");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK(!system(cmd));
	return 0;
}

/*
 * Nothing to check: evidence fails, the rest cannot run; the checks of
 * the log and of measurements do not apply.
 */
static int t_verify_empty(void)
{
	struct sv_verify_opts o = { 0 };
	struct sv_evidence ev = { 0 };
	struct sv_verdict v;
	int i;

	sv_verify(&ev, &o, &v);
	CHECK(!v.ok);
	CHECK_EQ(v.check[SV_C_EVIDENCE].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_EVIDENCE].detail, "missing: version"));
	for (i = SV_C_NONCE; i < SV_NR_CHECKS; i++)
		if (i != SV_C_MEASUREMENTS && i != SV_C_EXPECT)
			CHECK(v.check[i].result == SV_NOT_RUN);
	CHECK_EQ(v.check[SV_C_LOG].result, SV_NA);
	CHECK_EQ(v.check[SV_C_MEASUREMENTS].result, SV_NA);
	CHECK_EQ(v.check[SV_C_EXPECT].result, SV_NA);
	o.no_san_check = true;
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_SAN].result, SV_SKIP);
	CHECK(!v.ok);
	return 0;
}

/*
 * A 1.3 VCA whose CAPABILITIES claims a SupportedAlgorithms block longer
 * than the transcript: refused, without reading past the end.
 */
static int t_vca_overlong(void)
{
	static const uint8_t vca[] = {
		0x10, 0x84, 0, 0,				/* GET_VERSION */
		0x10, 0x04, 0, 0, 0, 1, 0x00, 0x13,		/* VERSION: 1.3 */
		0x13, 0xe1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* GET_CAPABILITIES */
		0, 0, 0, 0, 0, 0, 0, 0,
		0x13, 0x61, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* CAPABILITIES */
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0xff, 0xff,				/* block Length */
	};
	struct sv_verify_opts o = { .no_san_check = true };
	struct sv_evidence ev = { 0 };
	struct sv_verdict v;

	ev.have = 1U << SV_F_VERSION | 1U << SV_F_ASYM | 1U << SV_F_HASH |
		  1U << SV_F_TRANSCRIPT;
	ev.version = 0x13;
	ev.asym = 0x10;
	ev.hash = 0x01;
	if (sv_buf_set(&ev.transcript, vca, sizeof(vca)))
		return 1;
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "CAPABILITIES"));
	sv_evidence_free(&ev);
	return 0;
}

/* ---- transcripts ------------------------------------------------------------ */

static size_t put(uint8_t *t, size_t n, const void *p, size_t len)
{
	memcpy(t + n, p, len);
	return n + len;
}

/* A 1.2 VCA: ECDSA P-256, SHA-256, DMTF measurements with SHA-256 */
static size_t vca12(uint8_t *t)
{
	static const uint8_t msgs[] = {
		0x10, 0x84, 0, 0,
		0x10, 0x04, 0, 0, 0, 1, 0x00, 0x12,
		0x12, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0x10, 0, 0, 0, 0x10, 0, 0,
		0x12, 0x61, 0, 0, 0, 12, 0, 0, 0x16, 0, 0, 0,
		0, 0x10, 0, 0, 0, 0x10, 0, 0,
	};
	uint8_t na[32] = { 0x12, 0xe3, 0, 0, 32, 0, 1, 0, 0x10, 0, 0, 0,
			   0x01 };
	uint8_t alg[36] = { 0x12, 0x63, 0, 0, 36, 0, 1, 0, 0x02, 0, 0, 0,
			    0x10, 0, 0, 0, 0x01 };
	size_t n = put(t, 0, msgs, sizeof(msgs));

	n = put(t, n, na, sizeof(na));
	return put(t, n, alg, sizeof(alg));
}

/* GET_MEASUREMENTS (@sig: signed, slot 0) and MEASUREMENTS of one block */
static size_t meas_pair(uint8_t *t, size_t n, uint8_t ver, uint8_t op,
			bool sig, uint8_t value_len)
{
	uint8_t req[4] = { ver, 0xe0, sig, op }, nonce[32] = { 7 };
	uint8_t rsp[8] = { ver, 0x60, 0, 0, 1, 7 + value_len, 0, 0 };
	uint8_t blk[7] = { op, 1, 3 + value_len, 0, 0x80, value_len, 0 };
	uint8_t val[255] = { 0 };

	n = put(t, n, req, 4);
	if (sig) {
		n = put(t, n, nonce, 32);
		if (ver >= 0x11)
			t[n++] = 0;
	}
	n = put(t, n, rsp, 8);
	n = put(t, n, blk, 7);
	n = put(t, n, val, value_len);
	n = put(t, n, nonce, 32);
	t[n++] = 0;			/* OpaqueDataLength */
	t[n++] = 0;
	return n;
}

static int t_l1l2(void)
{
	static uint8_t t[1024];
	struct sv_l1l2 *l = malloc(sizeof(*l));
	struct sv_block b[8];
	unsigned int nb = 0;
	char err[SV_ERR_MAX];
	struct sv_vca vca;
	size_t n, len, vlen;

	if (!l)
		return 1;
	vlen = vca12(t);
	CHECK(!sv_vca_parse(t, vlen, 0x12, &vca, err, sizeof(err)));
	CHECK_EQ(vca.len, vlen);
	CHECK_EQ(vca.meas_hash, 0x02);
	CHECK_EQ(vca.asym, 0x10);
	n = meas_pair(t, vlen, 0x12, 1, false, 5);
	n = meas_pair(t, n, 0x12, 2, true, 32);
	CHECK(!sv_l1l2_parse(t, n, vlen, 0x12, l, err, sizeof(err)));
	CHECK_EQ(l->n, 2);
	CHECK_EQ(l->msg[1].req + 4, n - 2 - 32 - 39 - 8 - 33);
	CHECK_EQ(l->msg[1].slot_param, 0);
	CHECK(!sv_blocks_parse(t, &l->msg[0], 0, b, &nb, 8, err, sizeof(err)));
	CHECK(!sv_blocks_parse(t, &l->msg[1], 1, b, &nb, 8, err, sizeof(err)));
	CHECK_EQ(nb, 2);
	CHECK_EQ(b[1].index, 2);
	CHECK_EQ(b[1].value_len, 32);
	/* every shorter transcript is refused, without reading past it */
	for (len = vlen; len < n; len++)
		if (!sv_l1l2_parse(t, len, vlen, 0x12, l, err, sizeof(err))) {
			printf("# %zu of %zu bytes parsed\n", len, n);
			tap_fail = 1;
		}
	for (len = 0; len < vlen; len++)
		if (!sv_vca_parse(t, len, 0x12, &vca, err, sizeof(err))) {
			printf("# VCA of %zu of %zu bytes parsed\n", len, vlen);
			tap_fail = 1;
		}
	/* NumberOfBlocks, MeasurementSize that do not fit the record */
	l->msg[1].nr_blocks = 2;
	nb = 0;
	CHECK(sv_blocks_parse(t, &l->msg[1], 1, b, &nb, 8, err, sizeof(err)));
	CHECK(strstr(err, "NumberOfBlocks 2"));
	l->msg[1].nr_blocks = 1;
	t[l->msg[1].record + 2] = 36;
	nb = 0;
	CHECK(sv_blocks_parse(t, &l->msg[1], 1, b, &nb, 8, err, sizeof(err)));
	CHECK(strstr(err, "MeasurementSize 36"));
	t[l->msg[1].record + 2] = 35;
	/* the unsigned request last: no signature to check */
	n = meas_pair(t, vlen, 0x12, 1, false, 5);
	CHECK(sv_l1l2_parse(t, n, vlen, 0x12, l, err, sizeof(err)));
	CHECK(strstr(err, "does not ask for a signature"));
	/* 1.0: no SlotIDParam */
	n = meas_pair(t, 0, 0x10, 0xff, true, 3);
	CHECK(!sv_l1l2_parse(t, n, 0, 0x10, l, err, sizeof(err)));
	CHECK_EQ(l->msg[0].req_len, 36);
	free(l);
	return 0;
}

/* M1/M2: the walk to the CHALLENGE at the end, and truncations */
static int t_m1m2(void)
{
	static uint8_t t[1024];
	uint8_t digests[4 + 32] = { 0x12, 0x01, 0, 0x01 };
	uint8_t getcert[8] = { 0x12, 0x82, 0, 0, 0, 0, 16, 0 };
	uint8_t cert[8 + 16] = { 0x12, 0x02, 0, 0, 16, 0, 0, 0 };
	uint8_t chal[36] = { 0x12, 0x83, 0, 0 };
	uint8_t auth[4 + 32 + 32 + 2] = { 0x12, 0x03, 0, 1 };
	char err[SV_ERR_MAX];
	size_t n, vlen, len, c, a;

	vlen = vca12(t);
	n = put(t, vlen, "\x12\x81\x00\x00", 4);
	n = put(t, n, digests, sizeof(digests));
	n = put(t, n, getcert, sizeof(getcert));
	n = put(t, n, cert, sizeof(cert));
	n = put(t, n, chal, sizeof(chal));
	n = put(t, n, auth, sizeof(auth));
	CHECK(!sv_m1m2_walk(t, n, vlen, 0x12, 32, &c, &a, err, sizeof(err)));
	CHECK_EQ(c, n - sizeof(auth) - sizeof(chal));
	CHECK_EQ(a, n - sizeof(auth));
	for (len = vlen; len < n; len++)
		if (!sv_m1m2_walk(t, len, vlen, 0x12, 32, &c, &a, err,
				  sizeof(err))) {
			printf("# %zu of %zu bytes walked\n", len, n);
			tap_fail = 1;
		}
	/* a byte more */
	CHECK(sv_m1m2_walk(t, n + 1, vlen, 0x12, 32, &c, &a, err, sizeof(err)));
	/* GET_MEASUREMENTS has no place in M1/M2 */
	t[vlen + 1] = 0xe0;
	CHECK(sv_m1m2_walk(t, n, vlen, 0x12, 32, &c, &a, err, sizeof(err)));
	CHECK(strstr(err, "only GET_DIGESTS"));
	return 0;
}

/*
 * A 1.4 VCA: VERSION with five entries, CAPABILITIES with ExtFlags and
 * flag bits 30-31, NEGOTIATE_ALGORITHMS offering PqcAsymAlgo, ALGORITHMS
 * selecting ML-DSA-65 (PqcAsymSel), SHA-384, DHE secp384r1 and no KEM.
 * @ver: the version of every message after VERSION.
 */
static size_t vca14(uint8_t *t, uint8_t ver)
{
	static const uint8_t msgs[] = {
		0x10, 0x84, 0, 0,
		0x10, 0x04, 0, 0, 0, 5, 0x00, 0x10, 0x00, 0x11, 0x00, 0x12,
		0x00, 0x13, 0x00, 0x14,
		0x14, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0x10, 0, 0, 0, 0x10, 0, 0,
		0x14, 0x61, 0, 0, 0, 12, 0x01, 0, 0x16, 0, 0, 0xc0,
		0, 0x10, 0, 0, 0, 0x10, 0, 0,
	};
	uint8_t na[32] = { 0x14, 0xe3, 0, 0, 32, 0, 1, 0, 0, 0, 0, 0,
			   0x02, 0, 0, 0, 0x07 };
	uint8_t alg[36 + 16] = { 0x14, 0x63, 4, 0, 52, 0, 1, 0, 0x04, 0, 0, 0,
				 0, 0, 0, 0, 0x02, 0, 0, 0, 0x02, 0, 0, 0 };
	static const uint8_t structs[16] = {
		2, 0x20, 0x10, 0,		/* DHE secp384r1 */
		3, 0x20, 0x02, 0,		/* AEAD */
		5, 0x20, 0x01, 0,		/* KeySchedule */
		7, 0x20, 0, 0,			/* KEM: none */
	};
	/* where the messages after VERSION start: they carry @ver */
	static const size_t at[] = { 20, 40, 60, 92 };
	size_t n = put(t, 0, msgs, sizeof(msgs)), i;

	memcpy(alg + 36, structs, sizeof(structs));
	n = put(t, n, na, sizeof(na));
	n = put(t, n, alg, sizeof(alg));
	for (i = 0; i < ARRAY_SIZE(at); i++)
		t[at[i]] = ver;
	return n;
}

static int t_vca14(void)
{
	static uint8_t t[256];
	struct sv_verify_opts o = { .no_san_check = true };
	struct sv_evidence ev = { 0 };
	const struct sv_dhe *dhe;
	char err[SV_ERR_MAX];
	struct sv_verdict v;
	struct sv_vca vca;
	size_t n, len, a;

	n = vca14(t, 0x14);
	a = n - 52;			/* ALGORITHMS */
	CHECK(!sv_vca_parse(t, n, 0x14, &vca, err, sizeof(err)));
	CHECK_EQ(vca.len, n);
	CHECK_EQ(vca.asym, 0);
	CHECK_EQ(vca.pqc_asym, 0x2);
	CHECK_EQ(vca.hash, 0x2);
	CHECK(vca.has_dhe && vca.has_kem && !vca.kem);
	CHECK(!sv_vca_dhe(&vca, &dhe, err, sizeof(err)));
	CHECK(dhe && !strcmp(dhe->name, "secp384r1"));
	for (len = 0; len < n; len++)
		if (!sv_vca_parse(t, len, 0x14, &vca, err, sizeof(err))) {
			printf("# VCA of %zu of %zu bytes parsed\n", len, n);
			tap_fail = 1;
		}
	/* ML-KEM instead of DHE: a key exchange this verifier cannot walk */
	t[a + 36 + 2] = 0;
	t[a + 36 + 14] = 0x04;
	CHECK(!sv_vca_parse(t, n, 0x14, &vca, err, sizeof(err)));
	CHECK(sv_vca_dhe(&vca, &dhe, err, sizeof(err)));
	CHECK(strstr(err, "KEM 0x0004"));
	/* AlgType 9 is reserved; two of a type */
	t[a + 36 + 12] = 9;
	CHECK(sv_vca_parse(t, n, 0x14, &vca, err, sizeof(err)));
	CHECK(strstr(err, "AlgType 9, which is reserved"));
	t[a + 36 + 12] = 3;
	CHECK(sv_vca_parse(t, n, 0x14, &vca, err, sizeof(err)));
	CHECK(strstr(err, "two AlgStructures of AlgType 3"));
	/* 1.3: bytes 20-23 are reserved, AlgType 7 does not exist yet */
	n = vca14(t, 0x13);
	t[a + 36 + 12] = 5;
	t[a + 36 + 8] = 4;		/* ReqBaseAsymAlg, then KeySchedule */
	CHECK(!sv_vca_parse(t, n, 0x13, &vca, err, sizeof(err)));
	CHECK_EQ(vca.pqc_asym, 0);
	t[a + 36 + 12] = 7;
	CHECK(sv_vca_parse(t, n, 0x13, &vca, err, sizeof(err)));
	CHECK(strstr(err, "AlgType 7, which SPDM defines from 1.4 on"));
	t[a + 36 + 12] = 6;
	CHECK(sv_vca_parse(t, n, 0x13, &vca, err, sizeof(err)));

	/* the "algorithms" check: exactly one of BaseAsymSel and PqcAsymSel */
	n = vca14(t, 0x14);
	ev.have = 1U << SV_F_VERSION | 1U << SV_F_ASYM | 1U << SV_F_HASH |
		  1U << SV_F_TRANSCRIPT | 1U << SV_F_PQC_ASYM;
	ev.version = 0x14;
	ev.pqc_asym = 0x2;
	ev.hash = 0x2;
	if (sv_buf_set(&ev.transcript, t, n))
		return 1;
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_PASS);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "SPDM 1.4, ML-DSA-65 and SHA-384"));
	ev.transcript.data[a + 12] = 0x80;	/* BaseAsymSel too */
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "both a BaseAsymAlgo and a PqcAsymAlgo"));
	ev.transcript.data[a + 20] = 0;		/* BaseAsymSel only */
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "BaseAsymSel 0x80 BaseHashSel 0x2, the evidence states 0x0 0x2"));
	ev.transcript.data[a + 12] = 0;		/* neither */
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "neither a BaseAsymAlgo nor a PqcAsymAlgo"));
	ev.transcript.data[a + 20] = 0x4;	/* ML-DSA-87 */
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_FAIL);
	CHECK(strstr(v.check[SV_C_ALGORITHMS].detail, "PqcAsymSel 0x4, the evidence states pqc-asym-alg 0x2"));
	/* "evidence": a PqcAsymAlgo replaces the BaseAsymAlgo, from 1.4 */
	ev.asym = 0x80;
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_EVIDENCE].result, SV_FAIL);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_NOT_RUN);
	ev.asym = 0;
	ev.version = 0x13;
	sv_verify(&ev, &o, &v);
	CHECK_EQ(v.check[SV_C_EVIDENCE].result, SV_FAIL);
	CHECK_EQ(v.check[SV_C_ALGORITHMS].result, SV_NOT_RUN);
	sv_evidence_free(&ev);
	return 0;
}

/* 1.4 M1/M2 with the large GET_CERTIFICATE (LargeCertChain) */
static int t_m1m2_large(void)
{
	static uint8_t t[1024];
	uint8_t getcert[16] = { 0x14, 0x82, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				20, 0, 0, 0 };
	uint8_t cert[16 + 20] = { 0x14, 0x02, 0x80, 0, 0, 0, 0, 0, 20, 0, 0, 0,
				  0, 0, 0, 0 };
	uint8_t chal[44] = { 0x14, 0x83, 0, 0 };
	uint8_t auth[4 + 48 + 32 + 2 + 8] = { 0x14, 0x03, 0, 1 };
	char err[SV_ERR_MAX];
	size_t n, vlen, len, c, a, at;

	vlen = vca14(t, 0x14);
	n = put(t, vlen, getcert, sizeof(getcert));
	at = n;
	n = put(t, n, cert, sizeof(cert));
	n = put(t, n, chal, sizeof(chal));
	n = put(t, n, auth, sizeof(auth));
	CHECK(!sv_m1m2_walk(t, n, vlen, 0x14, 48, &c, &a, err, sizeof(err)));
	CHECK_EQ(c, n - sizeof(auth) - sizeof(chal));
	for (len = vlen; len < n; len++)
		if (!sv_m1m2_walk(t, len, vlen, 0x14, 48, &c, &a, err,
				  sizeof(err))) {
			printf("# %zu of %zu bytes walked\n", len, n);
			tap_fail = 1;
		}
	/* the response must echo LargeCertChain, and only then have it */
	t[at + 2] = 0;
	CHECK(sv_m1m2_walk(t, n, vlen, 0x14, 48, &c, &a, err, sizeof(err)));
	CHECK(strstr(err, "lacks LargeCertChain"));
	t[at + 2] = 0x80;
	t[vlen + 2] = 0;
	CHECK(sv_m1m2_walk(t, n, vlen, 0x14, 48, &c, &a, err, sizeof(err)));
	t[vlen + 2] = 0x80;
	/* LargePortionLength beyond the transcript */
	t[at + 10] = 1;
	CHECK(sv_m1m2_walk(t, n, vlen, 0x14, 48, &c, &a, err, sizeof(err)));
	CHECK(strstr(err, "PortionLength 65556"));
	return 0;
}

static int t_expect_file(void)
{
	static const char *const bad[] = {
		"1\n", "0 00\n", "255 00\n", "1 0\n", "1 0g\n", "1 00 00\n",
		"1 00\n1 01\n", "# nothing\n\n", "-1 00\n", "1x 00\n",
	};
	char path[] = "/tmp/spdm-verify-expect-XXXXXX", err[SV_ERR_MAX];
	struct sv_expect x;
	size_t i;
	int fd;

	fd = mkstemp(path);
	if (fd < 0)
		return 1;
	close(fd);
	CHECK(!write_file("/", path + 1,
			  "# golden\n  1 00ff  # rom\r\n\n254\tABCDEF\n", 39));
	CHECK(!sv_expect_read(path, &x, err, sizeof(err)));
	CHECK_EQ(x.n, 2);
	CHECK(x.e[0].index == 1 && x.e[0].len == 2 && x.e[0].value[1] == 0xff);
	CHECK(x.e[1].index == 254 && x.e[1].len == 3 &&
	      x.e[1].value[2] == 0xef);
	sv_expect_free(&x);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		CHECK(!write_file("/", path + 1, bad[i], strlen(bad[i])));
		if (!sv_expect_read(path, &x, err, sizeof(err))) {
			printf("# accepted '%s'\n", bad[i]);
			tap_fail = 1;
			sv_expect_free(&x);
		}
	}
	unlink(path);
	CHECK(sv_expect_read(path, &x, err, sizeof(err)));
	CHECK(strstr(err, "No such file"));
	return 0;
}

int main(void)
{
	static const struct tap_test tests[] = {
		TAP_TEST(t_base64),
		TAP_TEST(t_hex),
		TAP_TEST(t_json_parse),
		TAP_TEST(t_json_reject),
		TAP_TEST(t_json_write),
		TAP_TEST(t_chunks),
		TAP_TEST(t_nl_reply),
		TAP_TEST(t_nl_dump),
		TAP_TEST(t_nl_malformed),
		TAP_TEST(t_prefix),
		TAP_TEST(t_split_identity),
		TAP_TEST(t_sysfs_identity),
		TAP_TEST(t_verify_empty),
		TAP_TEST(t_vca_overlong),
		TAP_TEST(t_l1l2),
		TAP_TEST(t_m1m2),
		TAP_TEST(t_expect_file),
		TAP_TEST(t_nl_pqc),
		TAP_TEST(t_pqc_algs),
		TAP_TEST(t_chain_length),
		TAP_TEST(t_vca14),
		TAP_TEST(t_m1m2_large),
	};

	return tap_run(tests, ARRAY_SIZE(tests));
}
