#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for the SPDM guest tests, sourced by them:
#
#   . "$(dirname "$(readlink -f "$0")")/tap.sh"
#
# and by the scripts of tools/spdm that print TAP (interop-responder,
# tests/run-host-tests), by the path relative to themselves.
#
#   tap_plan N       print the TAP header and the plan "1..N"
#   read_plan PLAN   the lines of the test plan PLAN but comments, in
#                    $lines; an empty plan skips the test ("1..0 # SKIP
#                    empty plan PLAN", exit 0)
#   ok STATUS DESC   one test point: "ok" if STATUS is 0, else "not ok";
#                    returns 1 for "not ok" (ok ... || show the output)
#   skip DESC WHY    one test point skipped: "ok N DESC # SKIP WHY"
#   diag [FILE...]   the lines of FILE (or stdin) as TAP comments ("# ")
#   run CMD...       run CMD, its output (stdout and stderr) in $tmp/out
#   tap_done         exit 0 if no test point failed, else 1
#   newest BDF [TYPE]  the newest entry of the PCI device's signature log
#                    [of type TYPE: challenge, measurements, key_exchange]
#   new_nonce        32 random bytes in hex
#
# The counters are $n (test points so far) and $failed.

n=0
failed=0

tap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
		return 1
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

read_plan() {
	mapfile -t lines < <(grep -v '^#' "$1")
	if [ ${#lines[@]} -eq 0 ]; then
		echo "1..0 # SKIP empty plan $1"
		exit 0
	fi
}

diag() {
	sed 's/^/# /' "$@"
}

run() {
	"$@" >"$tmp/out" 2>&1
}

tap_done() {
	[ "$failed" = 0 ] && exit 0
	exit 1
}

newest() {
	local e
	for e in /sys/bus/pci/devices/"$1"/signatures/[0-9]*; do
		[ -d "$e" ] || continue
		[ -z "${2:-}" ] || [ "$(cat "$e/type")" = "$2" ] || continue
		echo "${e##*/}"
	done | sort -n | tail -1
}

new_nonce() {
	head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}
