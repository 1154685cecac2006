// SPDX-License-Identifier: GPL-2.0
/*
 * Process and file helpers shared by the host test programs (see
 * lib-harness.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib-harness.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define RUN_TIMEOUT_MS		5000	/* run_status() */
#define PORT_TIMEOUT_MS		5000	/* start_responder() */
#define STOP_TIMEOUT_MS		5000	/* the responder, at exit */
#define MKCERTS_TIMEOUT_MS	90000	/* harness_mkcerts() */
#define POLL_MS			2

long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* In the child: @path opened with @flags onto @target, or _exit(126). */
static void redirect(const char *path, int flags, int target)
{
	int fd = open(path, flags, 0600);

	if (fd < 0)
		_exit(126);
	dup2(fd, target);
	close(fd);
}

pid_t spawn_io(char *const argv[], const char *in, const char *out,
	       const char *err)
{
	pid_t pid = fork();
	int fd;

	if (pid)
		return pid;
	if (in) {
		fd = open(in, O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
	}
	redirect(out, O_WRONLY | O_CREAT | O_APPEND, 1);
	redirect(err ? err : out, O_WRONLY | O_CREAT | O_APPEND, 2);
	execv(argv[0], argv);
	_exit(127);
}

pid_t spawn(char *const argv[], const char *out)
{
	return spawn_io(argv, NULL, out, NULL);
}

int wait_child(pid_t pid, unsigned int ms, int *status)
{
	long long end = now_ms() + ms;

	while (now_ms() < end) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		sleep_ms(POLL_MS);
	}
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return -1;
}

void stop_child(pid_t *pid, unsigned int ms)
{
	int status;

	if (*pid > 0) {
		kill(*pid, SIGTERM);
		wait_child(*pid, ms, &status);
	}
	*pid = -1;
}

int run_status(char *const argv[], const char *out, bool fresh)
{
	int status = -1;
	pid_t pid;

	if (fresh)
		unlink(out);
	pid = spawn(argv, out);
	if (wait_child(pid, RUN_TIMEOUT_MS, &status) || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

void dump_file(const char *path, const char *what)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	printf("# %s:\n", what);
	while (fgets(line, sizeof(line), f))
		printf("#   %s", line);
	fclose(f);
}

bool file_has(const char *path, const char *needle)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle);
	fclose(f);
	if (!found)
		printf("# no line with '%s' in %s\n", needle, path);
	return found;
}

char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return strdup("");
	if (getdelim(&buf, &len, 0, f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

void remove_dir(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		printf("# could not remove %s\n", dir);
}

unsigned int run_mkcerts(const char *mkcerts, const char *tmpdir,
			 const struct mkcert *c, unsigned int n,
			 unsigned int ms)
{
	char (*dir)[PATH_MAX] = calloc(n, PATH_MAX), mklog[PATH_MAX];
	pid_t *pids = calloc(n, sizeof(*pids));
	char *argv[ARRAY_SIZE(c->args) + 3];
	unsigned int i, j, failed = 0;
	int status;

	if (!dir || !pids) {
		free(dir);
		free(pids);
		return n ? n : 1;
	}
	snprintf(mklog, sizeof(mklog), "%s/mkcerts.log", tmpdir);
	for (i = 0; i < n; i++) {
		snprintf(dir[i], PATH_MAX, "%s/%s", tmpdir, c[i].dir);
		argv[0] = (char *)mkcerts;
		for (j = 0; j < ARRAY_SIZE(c->args) && c[i].args[j]; j++)
			argv[1 + j] = (char *)c[i].args[j];
		argv[1 + j] = dir[i];
		argv[2 + j] = NULL;
		pids[i] = spawn(argv, mklog);
	}
	for (i = 0; i < n; i++)
		if (wait_child(pids[i], ms, &status) ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("# mkcerts for %s failed\n", dir[i]);
			failed++;
		}
	if (failed)
		dump_file(mklog, "mkcerts log");
	free(dir);
	free(pids);
	return failed;
}

int read_ports(const char *port_file, unsigned int *port, unsigned int n)
{
	unsigned int i = 0;
	FILE *f = fopen(port_file, "r");

	if (!f)
		return -1;
	while (i < n && fscanf(f, "%u", &port[i]) == 1)
		i++;
	fclose(f);
	return i == n ? 0 : -1;
}

int start_responder(const char *responder, const char *const specs[],
		    unsigned int n, const char *const extra[],
		    const char *port_file, const char *log_file,
		    unsigned int *port, pid_t *child, int *status)
{
	unsigned int i, argc = 0, nr_extra = 0;
	long long end = now_ms() + PORT_TIMEOUT_MS;
	char **argv;

	while (extra && extra[nr_extra])
		nr_extra++;
	argv = calloc(2 * n + nr_extra + 4, sizeof(*argv));
	if (!argv)
		return -1;
	argv[argc++] = (char *)responder;
	for (i = 0; i < n; i++) {
		argv[argc++] = "--port";
		argv[argc++] = (char *)specs[i];
	}
	argv[argc++] = "--port-file";
	argv[argc++] = (char *)port_file;
	for (i = 0; i < nr_extra; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	*child = spawn(argv, log_file);
	free(argv);
	while (now_ms() < end && read_ports(port_file, port, n)) {
		if (waitpid(*child, status, WNOHANG) == *child) {
			*child = -1;
			return 1;
		}
		sleep_ms(5);
	}
	return read_ports(port_file, port, n) ? -1 : 0;
}

void run_capture(struct result *r, char *const argv[], const char *in,
		 const char *dir, unsigned int ms)
{
	char out[PATH_MAX], err[PATH_MAX];
	int status;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	unlink(out);
	unlink(err);
	pid = spawn_io(argv, in ? in : "/dev/null", out, err);
	r->rc = -1;
	if (!wait_child(pid, ms, &status) && WIFEXITED(status))
		r->rc = WEXITSTATUS(status);
	r->out = slurp(out);
	r->err = slurp(err);
}

void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
	r->out = NULL;
	r->err = NULL;
}

/* Each line of @text as "# @what: LINE". */
static void show_lines(const char *what, const char *text)
{
	const char *p, *nl;

	for (p = text; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		printf("# %s: %.*s\n", what, (int)(nl - p), p);
		if (!*nl)
			break;
	}
}

void result_show(const struct result *r)
{
	printf("# exit status %d\n", r->rc);
	show_lines("stderr", r->err);
	show_lines("stdout", r->out);
}

static struct {
	char name[128];
	int (*fn)(long arg);
	long arg;
} tests[128];
static unsigned int nr_tests;

void add_test(int (*fn)(long arg), long arg, const char *fmt, ...)
{
	va_list ap;

	if (nr_tests == ARRAY_SIZE(tests)) {
		printf("Bail out! more than %zu tests\n", ARRAY_SIZE(tests));
		exit(1);
	}
	va_start(ap, fmt);
	vsnprintf(tests[nr_tests].name, sizeof(tests[0].name), fmt, ap);
	va_end(ap);
	tests[nr_tests].fn = fn;
	tests[nr_tests++].arg = arg;
}

unsigned int run_tests(int *fail)
{
	unsigned int i, failed = 0;
	long long t0;

	printf("TAP version 13\n1..%u\n", nr_tests);
	fflush(stdout);
	for (i = 0; i < nr_tests; i++) {
		t0 = now_ms();
		*fail = 0;
		if (tests[i].fn(tests[i].arg))
			*fail = 1;
		printf("%sok %u - %s (%lld ms)\n", *fail ? "not " : "",
		       i + 1, tests[i].name, now_ms() - t0);
		fflush(stdout);
		failed += *fail;
	}
	printf("# %u passed, %u failed\n", nr_tests - failed, failed);
	return failed;
}

static struct harness *current;	/* harness_init()'s, for the rest */

/* At exit: stop the responder, remove the temporary directory. */
static void harness_cleanup(void)
{
	stop_child(&current->child, STOP_TIMEOUT_MS);
	remove_dir(current->tmpdir);
}

/* argv[@i] if there is one, else $@env if set, else @def. */
static char *prog(int argc, char **argv, int i, const char *env,
		  const char *def)
{
	const char *v = argc > i ? argv[i] : getenv(env);

	return (char *)(v ? v : def);
}

/* spdm-verify in the responder's directory (the current one if none). */
static char *default_verify(const char *responder)
{
	static char path[PATH_MAX];
	const char *slash = responder ? strrchr(responder, '/') : NULL;

	if (!slash)
		return "./spdm-verify";
	snprintf(path, sizeof(path), "%.*sspdm-verify",
		 (int)(slash - responder + 1), responder);
	return path;
}

/* "Bail out! cannot run A, B or C" and exit(1). */
static void bail_cannot_run(const char *const name[], unsigned int n)
{
	unsigned int i;

	printf("TAP version 13\n1..0\nBail out! cannot run ");
	for (i = 0; i < n; i++)
		printf("%s%s", !i ? "" : i + 1 < n ? ", " : " or ", name[i]);
	printf("\n");
	exit(1);
}

/*
 * The programs of @h from @argv, the environment or the defaults; their
 * paths into @name, in command line order; how many.
 */
static unsigned int find_progs(struct harness *h, int argc, char **argv,
			       const char *name[])
{
	unsigned int n = 0;
	int arg = 0;

	if (h->progs & H_VERIFY)
		h->verify = prog(argc, argv, ++arg, "SPDM_VERIFY", NULL);
	if (h->progs & H_RESPONDER)
		h->responder = prog(argc, argv, ++arg, "SPDM_RESPONDER",
				    "./spdm-responder");
	if (h->progs & H_MKCERTS)
		h->mkcerts = prog(argc, argv, ++arg, "SPDM_MKCERTS",
				  "./mkcerts");
	if (h->progs & H_VERIFY && !h->verify)
		h->verify = default_verify(h->responder);
	if (h->verify)
		name[n++] = h->verify;
	if (h->responder)
		name[n++] = h->responder;
	if (h->mkcerts)
		name[n++] = h->mkcerts;
	return n;
}

void harness_init(struct harness *h, int argc, char **argv)
{
	const char *name[3];
	unsigned int i, n = find_progs(h, argc, argv, name);
	bool ok = true;

	for (i = 0; i < n; i++)
		ok = ok && !access(name[i], X_OK);
	if (!ok || !mkdtemp(h->tmpdir))
		bail_cannot_run(name, n);
	snprintf(h->port_file, sizeof(h->port_file), "%s/ports", h->tmpdir);
	snprintf(h->log_file, sizeof(h->log_file), "%s/responder.log",
		 h->tmpdir);
	h->child = -1;
	current = h;
	atexit(harness_cleanup);
	signal(SIGPIPE, SIG_IGN);
}

int harness_write_file(const struct harness *h, const char *name,
		       const char *text)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", h->tmpdir, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) || rename(tmp, path))
		return -1;
	return 0;
}

int harness_done(const struct harness *h, unsigned int failed)
{
	if (h->responder && (failed || getenv("SPDM_TEST_VERBOSE")))
		dump_file(h->log_file, "responder log");
	return failed ? 1 : 0;
}

int harness_main(struct harness *h, int argc, char **argv,
		 void (*build)(void), int *fail)
{
	harness_init(h, argc, argv);
	build();
	return harness_done(h, run_tests(fail));
}

void harness_mkcerts(const struct harness *h, const struct mkcert *c,
		     unsigned int n)
{
	if (run_mkcerts(h->mkcerts, h->tmpdir, c, n, MKCERTS_TIMEOUT_MS)) {
		printf("Bail out! mkcerts (%s) failed\n", h->mkcerts);
		exit(1);
	}
}

/* "Bail out!" and exit(1) if @p is NULL; else @p. */
static void *must(void *p)
{
	if (!p) {
		printf("Bail out! out of memory\n");
		exit(1);
	}
	return p;
}

/* asprintf(), or "Bail out!" and exit(1). */
static __attribute__((format(printf, 1, 2)))
char *must_printf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&p, fmt, ap);
	va_end(ap);
	return must(ret < 0 ? NULL : p);
}

/* Start the responder with the @n devices @spec, then free them. */
static void start_specs(struct harness *h, char **spec, unsigned int n,
			unsigned int *port)
{
	unsigned int i;
	int status;

	if (start_responder(h->responder, (const char *const *)spec, n, NULL,
			    h->port_file, h->log_file, port, &h->child,
			    &status)) {
		dump_file(h->log_file, "responder log");
		printf("Bail out! no port file from %s\n", h->responder);
		exit(1);
	}
	for (i = 0; i < n; i++)
		free(spec[i]);
	free(spec);
}

void harness_start(struct harness *h, const char *const fmt[],
		   unsigned int n, unsigned int *port)
{
	char **spec = must(calloc(n, sizeof(*spec)));
	unsigned int i;

	for (i = 0; i < n; i++)
		spec[i] = must_printf(fmt[i], h->tmpdir);
	start_specs(h, spec, n, port);
}

void harness_start_chains(struct harness *h, const struct mkcert *c,
			  unsigned int n, unsigned int *port)
{
	char **spec = must(calloc(n, sizeof(*spec)));
	unsigned int i;

	for (i = 0; i < n; i++)
		spec[i] = must_printf("0:certs=%s/%s", h->tmpdir, c[i].dir);
	start_specs(h, spec, n, port);
}

int harness_sigterm(long ms)
{
	pid_t pid = current->child;
	int status = -1;

	if (pid <= 0) {
		printf("# no responder to stop\n");
		return 1;
	}
	current->child = -1;
	kill(pid, SIGTERM);
	if (wait_child(pid, ms, &status)) {
		printf("# the responder did not exit within %ld ms\n", ms);
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("# responder wait status 0x%x\n", status);
		return 1;
	}
	return 0;
}
