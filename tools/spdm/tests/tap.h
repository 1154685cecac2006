/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP 13 producer for the host tests.  A test is a function that
 * returns 0 on success; CHECK() prints a diagnostic for every failed
 * condition and marks the running test failed.
 */
#ifndef SPDM_TESTS_TAP_H
#define SPDM_TESTS_TAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name;
	int (*fn)(void);
};

static int tap_fail;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: check failed: %s\n", __FILE__,		\
		       __LINE__, #cond);				\
		tap_fail = 1;						\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		printf("# %s:%d: %s == %lld, expected %s == %lld\n",	\
		       __FILE__, __LINE__, #a, _a, #b, _b);		\
		tap_fail = 1;						\
	}								\
} while (0)

static inline void tap_hex(const char *what, const uint8_t *p, size_t len)
{
	size_t i;

	printf("#   %s (%zu):", what, len);
	for (i = 0; i < len && i < 64; i++)
		printf(" %02x", p[i]);
	printf("%s\n", len > 64 ? " ..." : "");
}

/* Compare @len bytes at @got with @want; dump both when they differ. */
#define CHECK_MEM(got, got_len, want, want_len) do {			\
	const uint8_t *_g = (const uint8_t *)(got);			\
	const uint8_t *_w = (const uint8_t *)(want);			\
	size_t _gl = (got_len), _wl = (want_len);			\
	if (_gl != _wl || (_gl && memcmp(_g, _w, _gl))) {		\
		printf("# %s:%d: %s differs from %s\n", __FILE__,	\
		       __LINE__, #got, #want);				\
		tap_hex("got ", _g, _gl);				\
		tap_hex("want", _w, _wl);				\
		tap_fail = 1;						\
	}								\
} while (0)

/* Run @tests in order; returns the process exit status. */
static inline int tap_run(const struct tap_test *tests, size_t n)
{
	size_t i, failed = 0;

	printf("TAP version 13\n1..%zu\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		tap_fail = 0;
		if (tests[i].fn())
			tap_fail = 1;
		printf("%sok %zu - %s\n", tap_fail ? "not " : "", i + 1,
		       tests[i].name);
		fflush(stdout);
		failed += tap_fail;
	}
	printf("# %zu passed, %zu failed\n", n - failed, failed);
	return failed ? 1 : 0;
}

#define TAP_TEST(fn)	{ #fn, fn }
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif /* SPDM_TESTS_TAP_H */
