#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Concurrency, run in the guest: for SECONDS, on the same devices at
# once, netlink challenges, signed measurements and key exchanges
# (spdm-verify), "echo re", reads of every SPDM file in sysfs, driver
# unbind/bind and PCI remove/rescan.  Every operation must end (none
# hangs past its timeout) with a result or a named error; afterwards the
# devices come back and authenticate, and the kernel log has no splat.
#
# Usage: concurrency_test.sh SECONDS ROOT DEV...
#
# ROOT (DER, a .pem beside it) goes into the .cma keyring; the DEVs are
# SPDM 1.2+ devices with measurements and sessions.  SPDM_OP_TIMEOUT
# (default 60) is the time after which an operation counts as hung; a
# sanitizer kernel needs more.  Output is TAP.

set -u

secs=${1:?usage: concurrency_test.sh SECONDS ROOT DEV...}
root=${2:?}
shift 2
devs=("$@")
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
op_timeout=${SPDM_OP_TIMEOUT:-60}
trust=${root%.der}.pem
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 8

keyctl padd asymmetric "" %:.cma <"$root" >/dev/null
n_auth=0
for d in "${devs[@]}"; do
	echo re >"$pcidev/$d/authenticated" && n_auth=$((n_auth + 1))
done
[ $n_auth = ${#devs[@]} ]
ok $? "${#devs[@]} devices authenticated before the storm"

# One operation: its result goes to $tmp/<kind>.log as "ok" or the error
# it ended with; status 124 from timeout is a hang.
op() {
	local kind=$1; shift
	local out rc
	out=$(timeout -k 10 "$op_timeout" "$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc = 0 ]; then
		echo ok
	elif [ $rc = 124 ] || [ $rc = 137 ]; then
		echo "HANG: $*"
	else
		echo "error $rc: ${out:-no message}" | head -1
	fi >>"$tmp/$kind.log"
}

# The command of one operation of KIND on device $1, in $cmd
command_of() {
	local kind=$1 d=$2
	case $kind in
	challenge|measurements|session)
		cmd=("$verify" "$kind" --trust "$trust" -q "$d") ;;
	reauth)
		cmd=(sh -c 'echo re >"$1"' sh "$pcidev/$d/authenticated") ;;
	read)	# files may vanish under the reader: only a hang counts
		cmd=(sh -c 'find "$@" -type f -readable -exec cat {} + \
				>/dev/null 2>&1; exit 0' sh
		     "$pcidev/$d/authenticated" "$pcidev/$d/authentication"
		     "$pcidev/$d/certificates" "$pcidev/$d/signatures"
		     "$pcidev/$d/measurements" "$pcidev/$d/session") ;;
	rebind)
		cmd=(sh -c 'echo "$1" >/sys/bus/pci/drivers/nvme/unbind &&
			    echo "$1" >/sys/bus/pci/drivers/nvme/bind' sh "$d") ;;
	replug)
		cmd=(sh -c 'echo 1 >"$1/remove" && sleep 0.2 &&
			    echo 1 >/sys/bus/pci/rescan' sh "$pcidev/$d") ;;
	esac
}

end=$((SECONDS + secs))
loop() {
	local kind=$1 i=0 cmd
	while [ $SECONDS -lt $end ]; do
		command_of "$kind" "${devs[$((i++ % ${#devs[@]}))]}"
		op "$kind" "${cmd[@]}"
	done
}

kinds=(challenge measurements session reauth read rebind replug)
pids=()
for k in "${kinds[@]}"; do
	loop "$k" &
	pids+=($!)
done
# An operation still running past its timeout and the kill's grace is
# stuck in the kernel: show the blocked tasks instead of waiting forever
limit=$((end + op_timeout + 30))
while kill -0 "${pids[@]}" 2>/dev/null && [ $SECONDS -lt $limit ]; do
	sleep 1
done
if kill -0 "${pids[@]}" 2>/dev/null; then
	ok 1 "the storm's operations ended by $((op_timeout + 30))s after it"
	echo w >/proc/sysrq-trigger
	ps -eo pid,stat,wchan:32,args 2>/dev/null | awk 'NR == 1 || $2 ~ /^D/' |
		diag
	dmesg | sed -n '/INFO: task .* blocked\|Show Blocked State/,$p' |
		tail -n 400 | diag
	kill "${pids[@]}" 2>/dev/null
	while [ $n -lt 8 ]; do
		ok 1 "not checked: operations are stuck in the kernel"
	done
	tap_done
fi
wait

total=0 bad=0
for k in "${kinds[@]}"; do
	[ -s "$tmp/$k.log" ] || { echo "# $k: no operation"; bad=1; continue; }
	cnt=$(wc -l <"$tmp/$k.log")
	total=$((total + cnt))
	echo "# $k: $cnt operations, $(grep -c '^ok$' "$tmp/$k.log") ok;" \
		"errors: $(grep -v '^ok$' "$tmp/$k.log" | sed 's/ [0-9a-f]\{4\}:[0-9a-f:.]*//g' |
			   sort | uniq -c | sort -rn | head -3 | tr -s ' ' | tr '\n' ';')"
done
[ $bad = 0 ] && [ $total -gt 0 ]
ok $? "$total operations of seven kinds in ${secs}s"
cat "$tmp"/*.log | grep "^HANG" >"$tmp/hangs"
[ ! -s "$tmp/hangs" ]
ok $? "every operation ended (none hung for $op_timeout s)" || diag "$tmp/hangs"
cat "$tmp"/*.log | grep -v "^ok$\|^HANG" | grep ": no message$" >"$tmp/unnamed"
[ ! -s "$tmp/unnamed" ]
ok $? "every failed operation said why" || diag "$tmp/unnamed"
# spdm-verify's status 1: evidence the kernel returned failed a check
cat "$tmp"/challenge.log "$tmp"/measurements.log "$tmp"/session.log |
	grep "^error 1:" >"$tmp/failed"
[ ! -s "$tmp/failed" ]
ok $? "no evidence returned in the storm failed spdm-verify's checks" ||
	diag "$tmp/failed"

# Back to normal: every device present, bound and authenticated
echo 1 >/sys/bus/pci/rescan
for d in "${devs[@]}"; do
	[ -e "$pcidev/$d/driver" ] ||
		echo "$d" 2>/dev/null >/sys/bus/pci/drivers/nvme/bind
done
: >"$tmp/after"
for d in "${devs[@]}"; do
	{ [ -e "$pcidev/$d/driver" ] && echo re >"$pcidev/$d/authenticated" &&
	  [ "$(cat "$pcidev/$d/authenticated")" = 1 ]; } ||
		echo "$d: $(cat "$pcidev/$d/authentication/reason" 2>&1)" >>"$tmp/after"
done
[ ! -s "$tmp/after" ]
ok $? "afterwards every device is back, bound and authenticated" ||
	diag "$tmp/after"
"$verify" challenge --trust "$trust" -q "${devs[0]}"
ok $? "spdm-verify challenge verifies afterwards"

dmesg | grep -E "BUG:|WARNING:|Oops|KASAN:|UBSAN:|possible (circular|recursive) locking|inconsistent lock state|INFO: task .* blocked" >"$tmp/splat"
[ ! -s "$tmp/splat" ]
ok $? "no splat, no hung task in the kernel log" || diag "$tmp/splat"

tap_done
