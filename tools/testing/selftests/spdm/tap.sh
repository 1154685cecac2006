#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the SPDM guest tests, sourced by them:
#
#   . "$(dirname "$(readlink -f "$0")")/tap.sh"
#
#   tap_plan N       print the TAP header and the plan "1..N"
#   ok STATUS DESC   one test point: "ok" if STATUS is 0, else "not ok";
#                    returns 1 for "not ok" (ok ... || show the output)
#   skip DESC WHY    one test point skipped: "ok N DESC # SKIP WHY"
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
