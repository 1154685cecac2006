#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for the SPDM guest tests, sourced by them:
#
#   . "$(dirname "$(readlink -f "$0")")/tap.sh"
#
#   tap_plan N       print the TAP header and the plan "1..N"
#   ok STATUS DESC   one test point: "ok" if STATUS is 0, else "not ok";
#                    returns 1 for "not ok" (ok ... || show the output)
#   skip DESC WHY    one test point skipped: "ok N DESC # SKIP WHY"
#   tap_done         exit 0 if no test point failed, else 1
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

tap_done() {
	[ "$failed" = 0 ] && exit 0
	exit 1
}
