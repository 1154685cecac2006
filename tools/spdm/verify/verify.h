/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spdm-verify: re-check the SPDM evidence the kernel exports (netlink
 * family "spdm") without trusting the kernel.  Layers, each depending
 * only on those above it:
 *
 *   util.h      util.c: buffers, error messages, hex, base64
 *   json.h      json.c: JSON writer and parser
 *   spdm.h      protocol (DSP0274): algs.c algorithms and the combined
 *               prefix; transcript.c walking the signed messages (VCA,
 *               M1/M2, L1/L2, TH1); blocks.c measurement blocks;
 *               certchain.c certificate chains; mldsa.c ML-DSA (SPDM
 *               1.4's PqcAsymAlgo; verifying needs OpenSSL 3.5)
 *   evidence.h  model: evidence.c the evidence object; chunks.c chunk
 *               reassembly; nlparse.c netlink attributes -> evidence;
 *               log.c the sysfs signature log -> evidence; device.c PCI
 *               device identity; bundle-read.c, bundle-write.c JSON
 *               bundles
 *   netlink.h   model: netlink.c the netlink operations (challenge,
 *               measurements, key-exchange, evidence-read, sig)
 *   checks.h    checks: checks.c sv_verify() and the verdict;
 *               check-evidence.c, check-challenge.c, check-signed.c,
 *               check-signature.c, check-chain.c, check-san.c,
 *               check-meas.c, check-session.c the checks (internal:
 *               checks-int.h); trust.c trust anchors; expect.c --expect
 *               files; verdict-json.c the bundle with the verdict
 *   cli.h       the command line: spdm-verify.c (main, options),
 *               cli-output.c, cli-commands.c, cli-dump.c
 *
 * This header is all of the library: for the tests.
 */
#ifndef SPDM_VERIFY_H
#define SPDM_VERIFY_H

#include "checks.h"
#include "netlink.h"

#endif /* SPDM_VERIFY_H */
