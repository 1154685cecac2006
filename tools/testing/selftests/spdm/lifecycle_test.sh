#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device lifecycle, run in the guest: the deadline of a stalled device,
# re-authentication after a reset and a system resume with the
# same-device check, cached certificate chains, accepting a new identity,
# CHALLENGE alone for a verifier, and the uevents.
#
# Usage: lifecycle_test.sh DEV IDFILE ALTDIR STALLED OLD ROOT...
#
# DEV (SPDM 1.2+) serves the chain its responder was started with, or the
# one in the directory IDFILE names (the responder's identity= option);
# ALTDIR is another chain the keyring trusts.  STALLED answers every
# request with ResponseNotReady (authentication deadline: the kernel's
# spdm.auth_timeout_ms).  OLD speaks SPDM 1.1 only and has CACHE_CAP.  The ROOTs go into the
# .cma keyring; the first one (with a .pem beside it) is DEV's and OLD's,
# and spdm-verify's trust anchor.  The guest must be able to sleep
# (spdm-vm --sleep).  Output is TAP.

set -u

dev=${1:?usage: lifecycle_test.sh DEV IDFILE ALTDIR STALLED OLD ROOT...}
idfile=${2:?} altdir=${3:?} stalled=${4:?} old=${5:?}
shift 5
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
tmp=$(mktemp -d)
listener=""
trap '[ -n "$listener" ] && kill $listener 2>/dev/null; rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 34

auth() { cat "$pcidev/$1/authenticated" 2>&1; }
reason() { cat "$pcidev/$1/authentication/reason" 2>&1; }
identity() { cat "$pcidev/$1/authentication/identity" 2>&1; }
# Lines of the kernel log about device $1 matching $2
count() { dmesg | grep -c " $1: $2"; }
# The statistics line of the latest authentication of device $1
stats() { dmesg | grep " $1: .* exchanges (" | tail -1; }

# The uevents of the SPDM devices, one line each
cat >"$tmp/uevents.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
s.bind((0, 1))
with open(sys.argv[1], "a", buffering=1) as out:
    out.write("listening\n")
    while True:
        parts = s.recv(65536).split(b"\0")
        if any(p.startswith(b"SPDM_") for p in parts):
            out.write(" ".join(p.decode(errors="replace") for p in parts
                               if p.startswith((b"ACTION", b"DEVPATH",
                                                b"SPDM_"))) + "\n")
EOF
: >"$tmp/uevents"
python3 "$tmp/uevents.py" "$tmp/uevents" &
listener=$!
for ((i = 0; i < 100; i++)); do
	[ -s "$tmp/uevents" ] && break
	sleep 0.1
done
# Wait for a uevent of device $1 matching $2 (ERE)
uevent() {
	local i
	for ((i = 0; i < 50; i++)); do
		grep "DEVPATH=.*/$1 " "$tmp/uevents" | grep -qE "$2" && return 0
		sleep 0.1
	done
	diag "$tmp/uevents"
	return 1
}

for f in spdm_run spdm_challenge_alone spdm_authenticate_once; do
	echo "module spdm func $f +p" >/proc/dynamic_debug/control 2>/dev/null ||
		echo "module spdm func $f +p" >/sys/kernel/debug/dynamic_debug/control
done

# -- Enumeration: a stalled device holds back nobody else ---------------
[ "$(auth "$stalled")" = 0 ] && reason "$stalled" | grep -q "deadline"
ok $? "stalled device reads 0 with the deadline as its reason ($(reason "$stalled"))"
[ -e "$pcidev/$stalled/driver" ]
ok $? "the driver bound to the stalled device after its deadline"
# the kernel log's line numbers order the two; its times say by how much
result=$(dmesg | grep -nE " $stalled: Not authenticated" | head -1)
bound=$(dmesg | grep -n "pci function $dev" | head -1)
[ -n "$result" ] && [ -n "$bound" ] && [ "${bound%%:*}" -lt "${result%%:*}" ]
ok $? "$dev had its driver before the stalled device had a result ($(
	echo "$bound" | grep -oE '[0-9]+\.[0-9]+' | head -1) s, then $(
	echo "$result" | grep -oE '[0-9]+\.[0-9]+' | head -1) s)"

for root in "$@"; do
	keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
		echo "# keyctl padd $root failed"
done
[ "$(identity "$dev")" = none ] && [ -z "$(cat "$pcidev/$dev/authentication/accepted_chain")" ]
ok $? "no identity accepted before the first successful authentication"

echo re >"$pcidev/$dev/authenticated"
ok $? "first successful authentication of $dev"
[ "$(identity "$dev")" = accepted ] && [ -z "$(reason "$dev")" ]
ok $? "identity accepted, no reason"
chain0=$(cat "$pcidev/$dev/authentication/accepted_chain")
[[ $chain0 =~ ^0\ [0-9a-f]{96}$ ]]
ok $? "accepted_chain is the slot and a SHA-384 ($chain0)"
uevent "$dev" "SPDM_AUTHENTICATED=1 SPDM_REASON= SPDM_IDENTITY=accepted"
ok $? "uevent SPDM_AUTHENTICATED=1 at the first success"
echo re >"$pcidev/$old/authenticated"
ok $? "$old (SPDM 1.1) authenticated"

# -- Reset, same device: re-authenticated, chain from the cache ---------
before=$(count "$dev" "Authenticated with")
echo 1 >"$pcidev/$dev/reset"
[ "$(auth "$dev")" = 1 ] && [ "$(count "$dev" "Authenticated with")" -gt "$before" ]
ok $? "re-authenticated after a function reset"
stats "$dev" | grep -q "(0 chains read, 1 from the cache)"
ok $? "unchanged digest: GET_CERTIFICATE skipped ($(stats "$dev" | sed 's/.*: //'))"

# A device with CACHE_CAP keeps its negotiated state across the reset
stats "$old" >"$tmp/before"
echo 1 >"$pcidev/$old/reset"
[ "$(auth "$old")" = 1 ] &&
	dmesg | grep -q " $old: Negotiated state kept across the reset (CACHE_CAP)"
ok $? "CACHE_CAP: re-authenticated after a reset from GET_DIGESTS on"
full=$(sed 's/.*: \([0-9]*\) exchanges.*/\1/' "$tmp/before")
kept=$(stats "$old" | sed 's/.*: \([0-9]*\) exchanges.*/\1/')
[ -n "$full" ] && [ -n "$kept" ] && [ "$kept" -eq $((full - 3)) ]
ok $? "CACHE_CAP: three exchanges fewer ($full, then $kept)"

# -- Another identity: "device identity changed" ------------------------
echo "$altdir" >"$idfile"
echo 1 >"$pcidev/$dev/reset"
[ "$(auth "$dev")" = 0 ]
ok $? "another identity after a reset reads authenticated 0"
[ "$(reason "$dev")" = "device identity changed" ] &&
	[ "$(identity "$dev")" = changed ]
ok $? "reason 'device identity changed', identity changed"
dmesg | grep -q " $dev: Device identity changed"
ok $? "the mismatch is in the kernel log"
entry=$(newest "$dev" challenge)
[ -n "$entry" ] &&
	[ "$(cat "$pcidev/$dev/signatures/$entry/identity")" = changed ]
ok $? "the mismatch is in the signature log (signatures/$entry/identity)"
stats "$dev" | grep -q "(1 chains read, 0 from the cache)"
ok $? "changed digest: the chain was read again"
uevent "$dev" "SPDM_AUTHENTICATED=0 SPDM_REASON=device identity changed SPDM_IDENTITY=changed"
ok $? "uevent SPDM_AUTHENTICATED=0 with the reason"
[ "$(cat "$pcidev/$dev/authentication/accepted_chain")" = "$chain0" ]
ok $? "the accepted identity did not change"

# -- Accepting the new identity ------------------------------------------
echo 1 >"$pcidev/$dev/authentication/accept" && [ "$(auth "$dev")" = 1 ] &&
	[ "$(identity "$dev")" = accepted ]
ok $? "accept: the new identity is accepted and the device authenticated"
chain1=$(cat "$pcidev/$dev/authentication/accepted_chain")
[ "$chain1" != "$chain0" ]
ok $? "accepted_chain changed"
uevent "$dev" "SPDM_AUTHENTICATED=1 SPDM_REASON= SPDM_IDENTITY=accepted" &&
	[ "$(grep -c "DEVPATH=.*/$dev .*SPDM_AUTHENTICATED=1" "$tmp/uevents")" -ge 2 ]
ok $? "uevent SPDM_AUTHENTICATED=1 after the accept"
! echo 1 >"$pcidev/$dev/authentication/accept" 2>/dev/null
ok $? "accept without another identity fails"

# The sysfs re-authentication runs the check as well
: >"$idfile"
! echo re >"$pcidev/$dev/authenticated" 2>/dev/null &&
	[ "$(identity "$dev")" = changed ]
ok $? "back to the first chain: 'echo re' fails with identity changed"
echo 1 >"$pcidev/$dev/authentication/accept" &&
	[ "$(cat "$pcidev/$dev/authentication/accepted_chain")" = "$chain0" ]
ok $? "first chain accepted again"

# -- A verifier's challenge: CHALLENGE alone on SPDM 1.2+ ----------------
trust=${1%.der}.pem
"$verify" challenge "$dev" --trust "$trust" >"$tmp/out" 2>&1
ok $? "spdm-verify challenge verifies CHALLENGE alone" || diag "$tmp/out"
dmesg | grep " $dev: Challenged alone (0): 1 exchanges," >/dev/null
ok $? "the kernel sent one request"
"$verify" challenge --fresh "$dev" --trust "$trust" >"$tmp/out" 2>&1 &&
	stats "$dev" | grep -q "(1 chains read, 0 from the cache)"
ok $? "--fresh: the whole flow, every chain read again" || diag "$tmp/out"
before=$(count "$old" "Authenticated with")
"$verify" challenge "$old" --trust "$trust" >"$tmp/out" 2>&1 &&
	[ "$(count "$old" "Authenticated with")" -gt "$before" ]
ok $? "SPDM 1.1: the whole flow" || diag "$tmp/out"

# -- System resume --------------------------------------------------------
if [ -w /sys/power/pm_test ] && grep -qw freeze /sys/power/state; then
	before=$(count "$dev" "Authenticated with")
	echo devices >/sys/power/pm_test
	echo 0 >/sys/module/suspend/parameters/pm_test_delay 2>/dev/null
	echo freeze >/sys/power/state
	ok $? "suspend (pm_test=devices) and resume"
	[ "$(auth "$dev")" = 1 ] && [ "$(count "$dev" "Authenticated with")" -gt "$before" ]
	ok $? "re-authenticated after resume"
	echo "$altdir" >"$idfile"
	echo freeze >/sys/power/state
	[ "$(auth "$dev")" = 0 ] && [ "$(identity "$dev")" = changed ]
	ok $? "another identity after resume reads 0, identity changed"
	: >"$idfile"
	echo none >/sys/power/pm_test
else
	skip "suspend and resume" "no pm_test or freeze in this kernel"
	skip "re-authenticated after resume" "no pm_test"
	skip "another identity after resume" "no pm_test"
fi

dmesg | grep -E "BUG:|WARNING:|Oops|INFO: task|KASAN:|UBSAN:|circular locking|suspected memory leak" >"$tmp/splat"
[ ! -s "$tmp/splat" ]
ok $? "no splat in the kernel log" || diag "$tmp/splat"

tap_done
