/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process and file helpers shared by the host test programs: run a
 * program with its output in files, wait for it with a time limit, make
 * certificate chains with mkcerts, start the responder on its ports and
 * capture a run of spdm-verify; and struct harness, what the test
 * programs that run them have in common: their main(), temporary
 * directory, responder and SIGTERM test.  Diagnostics go to stdout as
 * TAP comments.
 */
#ifndef SPDM_TESTS_LIB_HARNESS_H
#define SPDM_TESTS_LIB_HARNESS_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in milliseconds. */
long long now_ms(void);
void sleep_ms(unsigned int ms);

/*
 * fork/exec @argv with stdin from @in (NULL: inherited), stdout appended
 * to @out and stderr to @err (NULL: @out too); returns the pid.  The
 * child exits 126 if a file cannot be opened, 127 if exec fails.
 */
pid_t spawn_io(char *const argv[], const char *in, const char *out,
	       const char *err);

/* spawn_io() with stdin inherited and stdout and stderr to @out. */
pid_t spawn(char *const argv[], const char *out);

/*
 * Wait up to @ms for @pid; 0 with its wait status in *@status, or -1
 * (then it was killed with SIGKILL and reaped).
 */
int wait_child(pid_t pid, unsigned int ms, int *status);

/* SIGTERM @*pid if > 0, wait up to @ms (then SIGKILL); *@pid = -1. */
void stop_child(pid_t *pid, unsigned int ms);

/*
 * Run @argv to its end (5 s at most), output appended to @out (removed
 * first if @fresh); its exit status, -1 if it was killed or hung.
 */
int run_status(char *const argv[], const char *out, bool fresh);

/* @path as TAP comments under "# @what:"; nothing if it cannot be read. */
void dump_file(const char *path, const char *what);

/* Whether a line of @path contains @needle; says so when not. */
bool file_has(const char *path, const char *needle);

/* The whole of @path, malloc'ed ("" if it cannot be read). */
char *slurp(const char *path);

/* rm -rf @dir; says so when that fails. */
void remove_dir(const char *dir);

/* A chain for mkcerts to make: in TMPDIR/@dir, with the options @args. */
struct mkcert {
	const char *dir;
	const char *args[8];		/* NULL-terminated */
};

/*
 * Make the @n chains of @c with @mkcerts, in parallel, each within
 * @ms; the number that failed (named, and the mkcerts log shown).
 */
unsigned int run_mkcerts(const char *mkcerts, const char *tmpdir,
			 const struct mkcert *c, unsigned int n,
			 unsigned int ms);

/* The first @n ports of @port_file into @port; 0, or -1 if fewer. */
int read_ports(const char *port_file, unsigned int *port, unsigned int n);

/*
 * Start @responder with "--port @specs[i]" for each of the @n specs,
 * "--port-file @port_file" and then @extra (NULL-terminated, may be
 * NULL), its output to @log_file; *@child is its pid.  Waits up to 5 s
 * for the port file to list the @n ports (into @port).  Returns 0; 1 if
 * the responder exited first (*@child = -1, its wait status in
 * *@status); -1 if the port file did not come.
 */
int start_responder(const char *responder, const char *const specs[],
		    unsigned int n, const char *const extra[],
		    const char *port_file, const char *log_file,
		    unsigned int *port, pid_t *child, int *status);

/* What a program did: exit status, -1 if it crashed or hung, and output. */
struct result {
	int rc;
	char *out, *err;
};

/*
 * Run @argv (stdin from @in, NULL: /dev/null) within @ms, its stdout and
 * stderr through files in @dir, into @r; result_free() it.
 */
void run_capture(struct result *r, char *const argv[], const char *in,
		 const char *dir, unsigned int ms);
void result_free(struct result *r);

/* The exit status, stderr and stdout of @r as TAP comments. */
void result_show(const struct result *r);

/*
 * Tests with an argument and a name made with printf (at most 127
 * characters), for lists built at run time: add_test() them in order,
 * then run_tests() prints the TAP plan and a test point with its time
 * for each, and returns how many failed.  @fail is the program's
 * tap_fail (tap.h), which CHECK() sets.
 */
void add_test(int (*fn)(long arg), long arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned int run_tests(int *fail);

/*
 * The programs a test program runs, in the order they come on its
 * command line: [SPDM-VERIFY] [RESPONDER] [MKCERTS] (those it runs).
 */
enum {
	H_VERIFY	= 1 << 0,	/* $SPDM_VERIFY, next to RESPONDER */
	H_RESPONDER	= 1 << 1,	/* $SPDM_RESPONDER, ./spdm-responder */
	H_MKCERTS	= 1 << 2,	/* $SPDM_MKCERTS, ./mkcerts */
};

/*
 * What a test program that runs the responder, mkcerts or spdm-verify
 * keeps: set @tmpdir (a mkdtemp() template) and @progs, and
 * harness_init() fills in the rest.
 */
struct harness {
	char tmpdir[64];		/* the template, then the directory */
	unsigned int progs;		/* H_* */
	char *verify, *responder, *mkcerts;	/* for argv[]: not const */
	char port_file[PATH_MAX];	/* TMPDIR/ports */
	char log_file[PATH_MAX];	/* TMPDIR/responder.log */
	pid_t child;			/* the responder, -1: none */
};

/*
 * The programs of @h from @argv or the environment, the temporary
 * directory made, the responder stopped and the directory removed at
 * exit, SIGPIPE ignored; or "Bail out!" and exit(1) if a program cannot
 * be run or the directory cannot be made.  One harness per process.
 */
void harness_init(struct harness *h, int argc, char **argv);

/*
 * Write @text to @name in the temporary directory of @h, atomically
 * (write, rename): a reader sees the old file or the new one.  0 or -1.
 */
int harness_write_file(const struct harness *h, const char *name,
		       const char *text);

/*
 * After the tests, @failed of them: the responder log as TAP comments
 * if any failed or $SPDM_TEST_VERBOSE is set; the exit status.
 */
int harness_done(const struct harness *h, unsigned int failed);

/*
 * A main() with harness_init(), @build to add_test() the tests, then
 * run_tests(@fail) and harness_done(); the exit status.
 */
int harness_main(struct harness *h, int argc, char **argv,
		 void (*build)(void), int *fail);

/*
 * run_mkcerts() into the temporary directory of @h, or "Bail out!" and
 * exit(1) if a chain failed.
 */
void harness_mkcerts(const struct harness *h, const struct mkcert *c,
		     unsigned int n);

/*
 * Start the responder of @h with the @n devices @fmt, each a printf
 * format whose one argument ("%s" or "%1$s") is the temporary
 * directory; their ports into @port.  If the responder exits or the
 * port file does not come: the responder log, "Bail out!" and exit(1).
 */
void harness_start(struct harness *h, const char *const fmt[],
		   unsigned int n, unsigned int *port);

/* harness_start() with one device per chain of @c: "0:certs=TMPDIR/DIR". */
void harness_start_chains(struct harness *h, const struct mkcert *c,
			  unsigned int n, unsigned int *port);

/*
 * SIGTERM the responder and wait up to @ms for it: 0 if it exited 0
 * (under valgrind: no error found, nothing leaked), else 1, said why.
 * A test function: add_test(harness_sigterm, ms, ...).
 */
int harness_sigterm(long ms);

#endif /* SPDM_TESTS_LIB_HARNESS_H */
