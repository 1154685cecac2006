/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify, the command line: its options and commands
 * (spdm-verify.c: main and the options; cli-output.c; cli-commands.c;
 * cli-dump.c).  Above all other layers.
 */
#ifndef SPDM_VERIFY_CLI_H
#define SPDM_VERIFY_CLI_H

#include <stdarg.h>
#include <stdatomic.h>

#include "verify.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1,		/* a check failed */
	EXIT_USAGE = 2,
	EXIT_SYSTEM = 3,		/* netlink, files, memory */
	EXIT_TIMEOUT = 4,		/* watch: fewer events than --count */
};

struct opts {
	const char *cmd;
	const char *arg;		/* DEVICE or FILE */
	bool have_nonce;
	uint8_t nonce[SV_NONCE_LEN];
	int slot;
	struct sv_trust trust;
	bool no_time_check, no_san_check, require_san;
	bool have_ids;
	char dev_id[SV_ID_MAX], dev_serial[SV_SERIAL_LEN + 1];
	bool json, pretty, quiet, verify;
	const char *output;
	long count;
	long timeout;			/* seconds, -1: none */
	uint32_t type_mask;
	bool digest;			/* dump: digests of the objects */
	bool fresh;			/* challenge: the whole flow */
	const char *between;		/* dump: command after message 1 */
	uint8_t indices[SV_MAX_MEAS_REQ];	/* --index */
	unsigned int nr_indices;
	bool have_expect;
	struct sv_expect expect;
	/* platform: the quote, the AK, the log, the bundles */
	const char *quote, *quote_sig, *ak, *event_log;
	uint8_t quote_nonce[64];
	size_t quote_nonce_len;
	unsigned int pcr;
	char **files;
	int nr_files;
};

/* ---- output and verifying (cli-output.c) --------------------------------- */

void cli_vwarn(const char *fmt, va_list ap);
void __sv_printf(1, 2) cli_warn(const char *fmt, ...);
void cli_print_verdict(const struct opts *o, const struct sv_evidence *ev,
		       const struct sv_verdict *v);
int cli_save_bundle(const char *path, const struct sv_evidence *ev,
		    const struct sv_verdict *v, bool pretty);
void cli_verify_opts(const struct opts *o, struct sv_verify_opts *vo);
int cli_live_identity(const struct opts *o, struct sv_evidence *ev);
int cli_verify_and_report(const struct opts *o, struct sv_evidence *ev,
			  const uint8_t *nonce, const char *expect_dev,
			  const struct sv_log *log, bool all_kinds);
int cli_netlink_failure(const char *what, const struct sv_nlerr *e);
void cli_run_between(void *arg);

/* ---- commands (cli-commands.c, cli-dump.c) -------------------------------- */

/* An operation that has the device sign over a fresh nonce of ours */
struct live_op {
	const char *name;		/* the command */
	uint8_t cmd;			/* SPDM_CMD_* */
	/* EOPNOTSUPP: the kernel lacks the operation, or the device */
	const char *no_op, *no_device;
};

/* set by SIGINT and SIGTERM: watch stops */
extern atomic_bool cli_stop;

const struct live_op *cli_live_op(const char *cmd);
char *cli_read_all(const char *path, size_t *len);
int cli_cmd_live(struct opts *o, const struct live_op *op);
int cli_cmd_verify_bundle(struct opts *o);
int cli_cmd_platform(struct opts *o);
int cli_cmd_verify_log(struct opts *o);
int cli_cmd_watch(struct opts *o);
int cli_cmd_dump(struct opts *o);
int cli_cmd_accept(struct opts *o);

#endif /* SPDM_VERIFY_CLI_H */
