#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Error recovery and accepting an identity over netlink, run in the
# guest: an uncorrectable error injected at the device's root port
# (aer_inject), non-fatal (the driver recovers) and fatal (secondary bus
# reset), re-authenticates the device with the same-device check; a
# device that comes back with another identity reads "device identity
# changed" until a verifier (spdm-verify accept) approves the new chain
# and the kernel accepts it, named by its SHA-384, over netlink.
#
# Usage: recovery_test.sh DEV IDFILE ALTDIR OTHERDIR ROOT...
#
# DEV (SPDM 1.2+, behind a PCIe root port with AER, pcie_ports=native)
# serves the chain its responder was started with, or the one in the
# directory IDFILE names (the responder's identity= option).  ALTDIR is
# another chain the keyring trusts; OTHERDIR one with an untrusted root.
# The ROOTs go into the .cma keyring; the first is DEV's own, the second
# ALTDIR's (each with a .pem beside it, spdm-verify's trust anchors).
# Output is TAP.

set -u

dev=${1:?usage: recovery_test.sh DEV IDFILE ALTDIR OTHERDIR ROOT...}
idfile=${2:?} altdir=${3:?} otherdir=${4:?}
shift 4
root0=${1:?} root1=${2:?}
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 25

auth() { cat "$pcidev/$dev/authenticated" 2>&1; }
reason() { cat "$pcidev/$dev/authentication/reason" 2>&1; }
identity() { cat "$pcidev/$dev/authentication/identity" 2>&1; }
accepted() { cat "$pcidev/$dev/authentication/accepted_chain" 2>&1; }
count() { dmesg | grep -c " $dev: $1"; }
stats() { dmesg | grep " $dev: .* exchanges (" | tail -1; }

port=$(basename "$(readlink -f "$pcidev/$dev/..")")
[[ $port =~ ^([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$ ]]
ok $? "$dev sits behind root port $port"
domain=$((16#${BASH_REMATCH[1]:-0})) bus=$((16#${BASH_REMATCH[2]:-0}))
slot=$((16#${BASH_REMATCH[3]:-0})) fn=$((${BASH_REMATCH[4]:-0}))
[ -e "$pcidev/$port/aer_rootport_total_err_fatal" ] && [ -c /dev/aer_inject ]
ok $? "AER serves the root port, aer_inject is there" ||
	dmesg | grep -iE "aer|_OSC" | diag

# inject STATUS: an uncorrectable error (AER status bit STATUS) reported
# by the root port, as if from its link; then wait until the AER driver
# has recovered the devices below it.
inject() {
	local before
	before=$(dmesg | grep -c "AER: device recovery")
	python3 -c '
import struct, sys
dom, bus, slot, fn, status = (int(a, 0) for a in sys.argv[1:])
einj = struct.pack("<BBBxIIIIIII", bus, slot, fn, status, 0, 0, 0, 0, 0, dom)
with open("/dev/aer_inject", "wb", buffering=0) as f:
    f.write(einj)
' "$domain" "$bus" "$slot" "$fn" "$1" || return 1
	for _ in $(seq 100); do
		[ "$(dmesg | grep -c "AER: device recovery")" -gt "$before" ] &&
			break
		sleep 0.1
	done
	dmesg | grep "AER: device recovery" | tail -1 | grep -q successful
}

# The statistics line of each authentication
echo "module spdm func spdm_run +p" >/proc/dynamic_debug/control 2>/dev/null ||
	echo "module spdm func spdm_run +p" >/sys/kernel/debug/dynamic_debug/control

# Completion Timeout (non-fatal by default), Data Link Protocol (fatal)
NONFATAL=0x4000
FATAL=0x10

for root in "$@"; do
	keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
		echo "# keyctl padd $root failed"
done
echo re >"$pcidev/$dev/authenticated" && [ "$(identity)" = accepted ]
ok $? "first successful authentication, identity accepted"
chain0=$(accepted)

# -- Error recovery, same device ----------------------------------------
before=$(count "Authenticated with")
inject $NONFATAL
ok $? "non-fatal error injected at $port, recovery successful" ||
	dmesg | tail -20 | diag
[ "$(auth)" = 1 ] && [ "$(count "Authenticated with")" -gt "$before" ]
ok $? "re-authenticated after the recovery (report_resume)"
[ "$(identity)" = accepted ] && [ "$(accepted)" = "$chain0" ]
ok $? "same device: identity accepted, accepted chain unchanged"

before=$(count "Authenticated with")
inject $FATAL
ok $? "fatal error injected at $port, link reset, recovery successful" ||
	dmesg | tail -20 | diag
[ "$(auth)" = 1 ] && [ "$(count "Authenticated with")" -gt "$before" ]
ok $? "re-authenticated after the secondary bus reset"
stats | grep -q "(0 chains read, 1 from the cache)"
ok $? "unchanged digest after the reset: chain from the cache ($(stats | sed 's/.*: //'))"
[ -e "$pcidev/$dev/driver" ] && [ -b /dev/nvme0n1 ]
ok $? "the driver recovered the device"

# -- Error recovery, another device -------------------------------------
echo "$altdir" >"$idfile"
inject $NONFATAL
ok $? "non-fatal error with another identity behind the link"
[ "$(auth)" = 0 ] && [ "$(reason)" = "device identity changed" ] &&
	[ "$(identity)" = changed ]
ok $? "authenticated 0, reason 'device identity changed'"
dmesg | grep -q " $dev: Device identity changed"
ok $? "the mismatch is in the kernel log"

# -- Accepting over netlink ---------------------------------------------
# The device changes again between the verification and the accept: the
# chain verified is no longer the one presented, the kernel refuses it.
"$verify" accept "$dev" --trust "${root1%.der}.pem" \
	--between "sh -c 'echo $otherdir >$idfile; echo re >$pcidev/$dev/authenticated; true' 2>/dev/null" \
	>"$tmp/out" 2>&1
[ $? = 1 ] && grep -q "presents another chain than the one verified" "$tmp/out"
ok $? "accept: a device that changed again after the verification is refused (ESTALE)" ||
	diag "$tmp/out"
[ "$(auth)" = 0 ] && [ "$(identity)" = changed ] && [ "$(accepted)" = "$chain0" ]
ok $? "nothing was accepted"

# A chain the verifier does not trust is never accepted
"$verify" accept "$dev" --trust "${root1%.der}.pem" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q "not accepted: the evidence did not verify" "$tmp/out"
ok $? "accept: a chain that fails the verifier's checks is not sent" ||
	diag "$tmp/out"
[ "$(identity)" = changed ] && [ "$(accepted)" = "$chain0" ]
ok $? "nothing was accepted"

# The device is back to ALTDIR, the verifier approves it
echo "$altdir" >"$idfile"
! echo re >"$pcidev/$dev/authenticated" 2>/dev/null && [ "$(identity)" = changed ]
ok $? "ALTDIR presented again: identity changed"
"$verify" accept "$dev" --trust "${root1%.der}.pem" >"$tmp/out" 2>&1
ok $? "accept: the verifier approved the chain, the kernel accepted it" ||
	diag "$tmp/out"
[ "$(auth)" = 1 ] && [ "$(identity)" = accepted ] && [ -z "$(reason)" ]
ok $? "authenticated 1, identity accepted, no reason"
digest=$(sed -n 's/^accepted: .*, chain SHA-384 \([0-9a-f]*\)$/\1/p' "$tmp/out")
[ -n "$digest" ] && [ "$(accepted)" = "0 $digest" ] && [ "$(accepted)" != "$chain0" ]
ok $? "accepted_chain is the chain the verifier named ($(accepted))"
dmesg | grep -q " $dev: Identity accepted from userspace"
ok $? "the accept is in the kernel log"

"$verify" accept "$dev" --trust "${root1%.der}.pem" >"$tmp/out" 2>&1
[ $? = 3 ] && grep -q "no identity other than the accepted one" "$tmp/out"
ok $? "accept without another identity: the kernel says why (EINVAL)" ||
	diag "$tmp/out"

# Recovery with the newly accepted identity passes the check
before=$(count "Authenticated with")
inject $FATAL && [ "$(auth)" = 1 ] &&
	[ "$(count "Authenticated with")" -gt "$before" ] &&
	[ "$(identity)" = accepted ]
ok $? "after a fatal error the accepted identity authenticates"
dmesg | grep -E "BUG:|WARNING:|Oops" | diag
! dmesg | grep -qE "BUG:|WARNING:|Oops"
ok $? "no kernel warning"

tap_done
