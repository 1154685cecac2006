// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of spdm-mitm's mutator: the PRNG and its seeds, rates and
 * control-file policies, and that a damaged response always has a DOE
 * header that matches it, damage only where the mode allows it, and the
 * same damage for the same seed.  No sockets involved.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mutate.h"
#include "tap.h"

#define ECDSA_P384	(1U << 7)
#define SHA_384		(1U << 1)
#define SIG		96
#define HASH		48

/* One request and its response, as SPDM messages or secured records */
struct step {
	uint8_t type;
	uint8_t req[8];
	size_t req_len;
	uint8_t rsp[600];
	size_t rsp_len;
};

static struct step conv[8];
static unsigned int nr_steps;

static struct step *add_step(uint8_t type, uint8_t req_code,
			     uint8_t param1, uint8_t rsp_code, size_t rsp_len)
{
	struct step *s = &conv[nr_steps++];
	size_t i;

	memset(s, 0, sizeof(*s));
	s->type = type;
	s->req[0] = 0x13;
	s->req[1] = req_code;
	s->req[2] = param1;
	s->req_len = 4;
	s->rsp_len = rsp_len;
	for (i = 0; i < rsp_len; i++)
		s->rsp[i] = (uint8_t)(i * 7 + req_code);
	s->rsp[0] = 0x13;
	s->rsp[1] = rsp_code;
	return s;
}

/* GET_VERSION to KEY_EXCHANGE, then a secured record */
static void build_conversation(void)
{
	struct step *s;

	nr_steps = 0;
	s = add_step(MITM_DOE_SPDM, 0x84, 0, 0x04, 14);
	s->rsp[0] = 0x10;
	s->rsp[5] = 4;
	add_step(MITM_DOE_SPDM, 0xe1, 0, 0x61, 20);
	s = add_step(MITM_DOE_SPDM, 0xe3, 0, 0x63, 48);
	memset(s->rsp + 12, 0, 8);
	s->rsp[12] = ECDSA_P384;
	s->rsp[16] = SHA_384;
	s->rsp[20] = s->rsp[21] = 0;
	s = add_step(MITM_DOE_SPDM, 0x82, 0, 0x02, 300);
	s->rsp[4] = 0x20;
	s->rsp[5] = 0x01;
	s->rsp[6] = s->rsp[7] = 0;
	add_step(MITM_DOE_SPDM, 0x83, 0, 0x03, 4 + HASH + 32 + 2 + 8 + SIG);
	s = add_step(MITM_DOE_SPDM, 0xe0, 1, 0x60, 8 + 50 + 32 + 2 + 8 + SIG);
	s->rsp[5] = 50;
	s->rsp[6] = s->rsp[7] = 0;
	add_step(MITM_DOE_SPDM, 0xe4, 0, 0x64, 40 + 96 + 2 + 20 + SIG + HASH);
	s = add_step(MITM_DOE_SECURED, 0, 0, 0, 44);
	s->req[0] = 0xaa;
}

/* A DOE object holding @len bytes of @msg, padded; returns its size */
static size_t doe_obj(uint8_t *buf, uint8_t type, const uint8_t *msg,
		      size_t len)
{
	size_t total = MITM_DOE_HDR_LEN + ((len + 3) & ~(size_t)3);

	memset(buf, 0, total);
	mitm_doe_build(buf, type, total);
	memcpy(buf + MITM_DOE_HDR_LEN, msg, len);
	return total;
}

struct result {
	uint8_t payload[MITM_MAX_PAYLOAD];
	size_t len;
	int mutated;
	struct mitm_event ev;
	size_t orig_len;
	uint8_t orig[MITM_MAX_PAYLOAD];
};

/* Step @i of the conversation through the mutator */
static void run_step(struct mitm_conn *c, const struct mitm_policy *p,
		     unsigned int i, struct result *r)
{
	const struct step *s = &conv[i];
	uint8_t req[64];
	size_t n;

	n = doe_obj(req, s->type, s->req, s->req_len);
	mitm_note_request(c, req, n);
	memset(r, 0, sizeof(*r));
	r->orig_len = doe_obj(r->orig, s->type, s->rsp, s->rsp_len);
	memcpy(r->payload, r->orig, r->orig_len);
	r->mutated = mitm_mutate(c, p, r->payload, r->orig_len,
				 sizeof(r->payload), &r->len, &r->ev);
}

static int test_rng(void)
{
	struct mitm_rng a, b;
	unsigned int i, same = 0;

	mitm_rng_seed(&a, 42);
	mitm_rng_seed(&b, 42);
	for (i = 0; i < 1000; i++)
		CHECK_EQ(mitm_rng_next(&a), mitm_rng_next(&b));
	mitm_rng_seed(&b, 43);
	for (i = 0; i < 1000; i++)
		same += mitm_rng_next(&a) == mitm_rng_next(&b);
	CHECK_EQ(same, 0);
	for (i = 0; i < 10000; i++)
		CHECK(mitm_rng_below(&a, 7) < 7);
	CHECK_EQ(mitm_rng_below(&a, 0), 0);
	return 0;
}

static int test_rate_and_policy(void)
{
	struct mitm_policy p = { .mode = MITM_ON }, q;

	CHECK_EQ(mitm_parse_rate("0.25", &p), 0);
	q = p;
	CHECK_EQ(mitm_parse_rate("1/4", &p), 0);
	CHECK_EQ(p.threshold, q.threshold);
	CHECK_EQ(mitm_parse_rate("4", &p), 0);
	CHECK_EQ(p.threshold, q.threshold);
	CHECK(!p.all);
	CHECK_EQ(mitm_parse_rate("1", &p), 0);
	CHECK(p.all);
	CHECK_EQ(mitm_parse_rate("1/0", &p), -EINVAL);
	CHECK_EQ(mitm_parse_rate("-1", &p), -EINVAL);
	CHECK_EQ(mitm_parse_rate("x", &p), -EINVAL);

	p.nr_codes = 0;
	CHECK_EQ(mitm_parse_policy("signed rate=1/2 codes=0x03,sec\n", &p), 0);
	CHECK_EQ(p.mode, MITM_SIGNED);
	CHECK(!p.all);
	CHECK_EQ(p.nr_codes, 2);
	CHECK(mitm_policy_has_code(&p, 0x03));
	CHECK(mitm_policy_has_code(&p, MITM_CODE_SECURED));
	CHECK(!mitm_policy_has_code(&p, 0x60));
	CHECK(!p.sigrsp);
	CHECK_EQ(mitm_parse_policy("on sigrsp", &p), 0);
	CHECK(p.sigrsp);
	p.sigrsp = false;
	CHECK_EQ(mitm_parse_policy("off", &p), 0);
	CHECK_EQ(p.mode, MITM_OFF);
	CHECK_EQ(p.nr_codes, 2);	/* kept from before */
	q = p;
	CHECK_EQ(mitm_parse_policy(" \t ", &p), -ENODATA);
	CHECK_EQ(mitm_parse_policy("maybe", &p), -EINVAL);
	CHECK_EQ(mitm_parse_policy("on rate=2/3x", &p), -EINVAL);
	CHECK_EQ(mitm_parse_policy("on codes=0x100", &p), -EINVAL);
	CHECK_EQ(mitm_parse_policy("on bogus=1", &p), -EINVAL);
	CHECK_EQ(p.mode, q.mode);	/* untouched on errors */
	return 0;
}

static int test_doe_header(void)
{
	uint8_t buf[16] = { 0 };
	size_t len;
	uint8_t type;

	mitm_doe_build(buf, MITM_DOE_SECURED, 16);
	CHECK_EQ(mitm_doe_parse(buf, 16, &type, &len), 0);
	CHECK_EQ(type, MITM_DOE_SECURED);
	CHECK_EQ(len, 16);
	/* a header longer than the frame is cut to it */
	CHECK_EQ(mitm_doe_parse(buf, 12, &type, &len), 0);
	CHECK_EQ(len, 12);
	buf[2] = 0;		/* discovery: not ours */
	CHECK_EQ(mitm_doe_parse(buf, 16, &type, &len), -EINVAL);
	buf[2] = 1;
	buf[0] = 2;		/* another vendor */
	CHECK_EQ(mitm_doe_parse(buf, 16, &type, &len), -EINVAL);
	CHECK_EQ(mitm_sig_len(ECDSA_P384), SIG);
	CHECK_EQ(mitm_sig_len(1U << 2), 384);
	CHECK_EQ(mitm_sig_len(3), 0);
	CHECK_EQ(mitm_hash_len(SHA_384), HASH);
	return 0;
}

/* Everything any mutation must keep: the DOE header matches the object */
static void check_consistent(const struct result *r, uint8_t type)
{
	uint8_t t;
	size_t obj, i, cmp;

	CHECK_EQ(r->len % 4, 0);
	CHECK(r->len >= MITM_DOE_HDR_LEN && r->len <= MITM_MAX_PAYLOAD);
	CHECK_EQ(mitm_doe_parse(r->payload, r->len, &t, &obj), 0);
	CHECK_EQ(t, type);
	CHECK_EQ(obj, r->len);
	CHECK_EQ(r->payload[4] | r->payload[5] << 8 | r->payload[6] << 16,
		 r->len / 4);
	if (!r->mutated) {
		CHECK_MEM(r->payload, r->len, r->orig, r->orig_len);
		return;
	}
	CHECK_EQ(r->ev.len_before, r->orig_len - MITM_DOE_HDR_LEN);
	CHECK_EQ(r->ev.len_after, r->len - MITM_DOE_HDR_LEN);
	/* the first byte changed is where the event says */
	cmp = r->len < r->orig_len ? r->len : r->orig_len;
	for (i = MITM_DOE_HDR_LEN; i < cmp && r->payload[i] == r->orig[i]; i++)
		;
	CHECK_EQ(i - MITM_DOE_HDR_LEN, r->ev.off);
	CHECK(i < cmp || r->len != r->orig_len);
}

static int test_on_mode(void)
{
	struct mitm_policy p = { .mode = MITM_ON };
	unsigned int kinds[MK_NR] = { 0 }, round, i, k, hits = 0;
	static struct result r;
	struct mitm_conn c;

	build_conversation();
	mitm_parse_rate("1/2", &p);
	mitm_conn_init(&c, 7);
	for (round = 0; round < 400; round++) {
		for (i = 0; i < nr_steps; i++) {
			run_step(&c, &p, i, &r);
			check_consistent(&r, conv[i].type);
			if (!r.mutated)
				continue;
			hits++;
			kinds[r.ev.kind]++;
			CHECK_EQ(r.ev.rsp_code, conv[i].type == MITM_DOE_SECURED ?
				 MITM_CODE_SECURED : conv[i].rsp[1]);
			if (r.ev.kind == MK_LENLIE && conv[i].rsp[1] == 0x02)
				CHECK(r.ev.off >= 4 && r.ev.off < 8);
			if (r.ev.kind == MK_LENLIE && conv[i].rsp[1] == 0x04)
				CHECK_EQ(r.ev.off, 5);
			if (r.ev.kind == MK_WRONGCODE) {
				CHECK_EQ(r.ev.off, 1);
				CHECK(!r.ev.signed_hit);
			}
			/* signed responses: a hit in the signed part */
			if (r.ev.signed_rsp && r.ev.kind == MK_BITFLIP &&
			    r.ev.off >= 2 && r.ev.off < r.ev.len_before - SIG - 3 -
			    (conv[i].rsp[1] == 0x64 ? HASH : 0))
				CHECK(r.ev.signed_hit);
			if (r.ev.kind == MK_VERSION)
				CHECK_EQ(r.ev.off, 0);
			if (r.ev.kind == MK_TRUNCATE)
				CHECK(r.ev.len_after < r.ev.len_before);
			if (r.ev.kind == MK_EXTEND)
				CHECK(r.ev.len_after > r.ev.len_before);
		}
	}
	/* about half of the responses, every kind of damage */
	CHECK(hits > 400 * nr_steps * 4 / 10 && hits < 400 * nr_steps * 6 / 10);
	for (k = 0; k < MK_NR; k++) {
		if (!kinds[k])
			printf("# no %s\n", mitm_kind_name(k));
		CHECK(kinds[k] > 0);
	}
	mitm_conn_free(&c);
	return 0;
}

static int test_signed_mode(void)
{
	struct mitm_policy p = { .mode = MITM_SIGNED, .all = true };
	unsigned int round, i, hits[3] = { 0 };
	static struct result r;
	struct mitm_conn c;
	size_t end, j;

	build_conversation();
	mitm_conn_init(&c, 99);
	/* nothing before the algorithms are known */
	run_step(&c, &p, 4, &r);
	CHECK(!r.mutated);
	for (round = 0; round < 300; round++) {
		for (i = 0; i < nr_steps; i++) {
			run_step(&c, &p, i, &r);
			check_consistent(&r, conv[i].type);
			if (i < 4 || i == 7) {
				CHECK(!r.mutated);
				continue;
			}
			CHECK(r.mutated);
			if (!r.mutated)
				continue;
			hits[i - 4]++;
			/* the DOE object's padding is not known to be so */
			end = ((conv[i].rsp_len + 3) & ~(size_t)3) - SIG - 3;
			if (i == 6)
				end -= HASH;
			CHECK(end <= conv[i].rsp_len - SIG - (i == 6 ? HASH : 0));
			CHECK(r.ev.signed_hit && r.ev.signed_rsp);
			CHECK(r.ev.kind == MK_BITFLIP || r.ev.kind == MK_BYTE0 ||
			      r.ev.kind == MK_BYTEFF);
			CHECK_EQ(r.len, r.orig_len);
			/* only bytes in [2, end) changed */
			for (j = 0; j < r.len - MITM_DOE_HDR_LEN; j++)
				if (j < 2 || j >= end)
					CHECK_EQ(r.payload[MITM_DOE_HDR_LEN + j],
						 r.orig[MITM_DOE_HDR_LEN + j]);
		}
	}
	CHECK_EQ(hits[0], 300);
	CHECK_EQ(hits[1], 300);
	CHECK_EQ(hits[2], 300);
	mitm_conn_free(&c);

	/* MEASUREMENTS without a signature requested are not signed */
	build_conversation();
	conv[5].req[2] = 0;
	mitm_conn_init(&c, 99);
	for (i = 0; i < nr_steps; i++) {
		run_step(&c, &p, i, &r);
		if (i == 5)
			CHECK(!r.mutated);
	}
	mitm_conn_free(&c);
	return 0;
}

static int test_off_and_codes(void)
{
	struct mitm_policy p = { .mode = MITM_OFF, .all = true };
	static struct result r;
	struct mitm_conn c;
	unsigned int i, round;

	build_conversation();
	mitm_conn_init(&c, 5);
	for (i = 0; i < nr_steps; i++) {
		run_step(&c, &p, i, &r);
		CHECK(!r.mutated);
		check_consistent(&r, conv[i].type);
	}
	CHECK_EQ(mitm_parse_policy("on codes=0x60,sec", &p), 0);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < nr_steps; i++) {
			run_step(&c, &p, i, &r);
			check_consistent(&r, conv[i].type);
			CHECK_EQ(r.mutated, i == 5 || i == 7);
		}
	}
	/* any damage, but only to responses with a signature */
	CHECK_EQ(mitm_parse_policy("on sigrsp codes=", &p), 0);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < nr_steps; i++) {
			run_step(&c, &p, i, &r);
			check_consistent(&r, conv[i].type);
			CHECK_EQ(r.mutated, i >= 4 && i <= 6);
		}
	}
	mitm_conn_free(&c);
	return 0;
}

/* The same seed, the same damage; another seed, other damage */
static unsigned int digest_run(uint64_t seed, uint64_t *sum)
{
	struct mitm_policy p = { .mode = MITM_ON };
	static struct result r;
	struct mitm_conn c;
	unsigned int round, i, hits = 0;
	size_t j;

	mitm_parse_rate("0.3", &p);
	build_conversation();
	mitm_conn_init(&c, seed);
	*sum = 1469598103934665603ULL;
	for (round = 0; round < 100; round++) {
		for (i = 0; i < nr_steps; i++) {
			run_step(&c, &p, i, &r);
			hits += r.mutated;
			for (j = 0; j < r.len; j++)
				*sum = (*sum ^ r.payload[j]) * 1099511628211ULL;
			if (r.mutated)
				*sum = (*sum ^ (r.ev.kind << 16 ^ r.ev.off)) *
				       1099511628211ULL;
		}
	}
	mitm_conn_free(&c);
	return hits;
}

static int test_determinism(void)
{
	uint64_t a, b, d;
	unsigned int ha, hb, hd;

	ha = digest_run(1234, &a);
	hb = digest_run(1234, &b);
	hd = digest_run(1235, &d);
	CHECK_EQ(ha, hb);
	CHECK(a == b);
	CHECK(a != d);
	CHECK(ha > 0 && hd > 0);
	return 0;
}

static int test_replay_and_empty(void)
{
	struct mitm_policy p = { .mode = MITM_ON, .all = true };
	static struct result r;
	struct mitm_conn c;
	unsigned int i, replays = 0;
	uint8_t req[16], empty[MITM_MAX_PAYLOAD];
	size_t n, len;
	struct mitm_event ev;

	build_conversation();
	mitm_conn_init(&c, 3);
	for (i = 0; i < 2000; i++) {
		run_step(&c, &p, i % nr_steps, &r);
		check_consistent(&r, conv[i % nr_steps].type);
		if (r.mutated && r.ev.kind == MK_REPLAY)
			replays++;
	}
	CHECK(replays > 0);

	/* a DOE object with nothing after its header: only growth helps */
	n = doe_obj(req, MITM_DOE_SPDM, conv[0].req, 4);
	mitm_note_request(&c, req, n);
	memset(empty, 0, sizeof(empty));
	mitm_doe_build(empty, MITM_DOE_SPDM, MITM_DOE_HDR_LEN);
	for (i = 0; i < 50; i++) {
		mitm_doe_build(empty, MITM_DOE_SPDM, MITM_DOE_HDR_LEN);
		if (!mitm_mutate(&c, &p, empty, MITM_DOE_HDR_LEN,
				 sizeof(empty), &len, &ev))
			continue;
		CHECK(ev.kind == MK_EXTEND || ev.kind == MK_REPLAY);
		CHECK_EQ(len % 4, 0);
		CHECK_EQ((empty[4] | empty[5] << 8) * 4, len);
	}
	mitm_conn_free(&c);
	return 0;
}

int main(void)
{
	static const struct tap_test tests[] = {
		TAP_TEST(test_rng),
		TAP_TEST(test_rate_and_policy),
		TAP_TEST(test_doe_header),
		TAP_TEST(test_on_mode),
		TAP_TEST(test_signed_mode),
		TAP_TEST(test_off_and_codes),
		TAP_TEST(test_determinism),
		TAP_TEST(test_replay_and_empty),
	};

	return tap_run(tests, ARRAY_SIZE(tests));
}
