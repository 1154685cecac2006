#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Memory, run in the guest: unreclaimable slab stays flat over ROUNDS
# re-authentications of DEV (each with signed measurements and a secure
# session), and a device with the largest chain, 254 measurement blocks
# and responses in chunks costs a bounded amount.  The signature logs are
# bounded to 64 KiB (signatures/max_size), and so is the TCG event log
# (the guest's spdm.tcg_log_max_size), so that they are full after the
# warm-up.
#
# Usage: memory_test.sh ROUNDS DEV BIGDEV ROOT BIGROOT
#
# DEV and BIGDEV (SPDM 1.2+, measurements, sessions) have chains under
# ROOT and BIGROOT (DER), which go into the .cma keyring.  Output is TAP.

set -u

rounds=${1:?usage: memory_test.sh ROUNDS DEV BIGDEV ROOT BIGROOT}
dev=${2:?} big=${3:?} root=${4:?} bigroot=${5:?}
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 6

# Unreclaimable slab in KiB, after the RCU-deferred frees had their turn
sunreclaim() {
	sleep 1
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}
re() { echo re 2>/dev/null >"$pcidev/$1/authenticated"; }

keyctl padd asymmetric "" %:.cma <"$root" >/dev/null
keyctl padd asymmetric "" %:.cma <"$bigroot" >/dev/null

# The signature log keeps what its max_size allows (1 MiB by default,
# some 60 rounds here): a small bound, reached in the warm-up
for d in "$dev" "$big"; do
	echo 65536 >"$pcidev/$d/signatures/max_size"
done
for ((i = 0; i < 50; i++)); do re "$dev"; done
[ "$(cat "$pcidev/$dev/authenticated")" = 1 ] &&
	[ "$(cat "$pcidev/$dev/session/established")" = 1 ]
ok $? "$dev authenticated with a session"

before=$(sunreclaim)
fails=0 start=$SECONDS
for ((i = 0; i < rounds; i++)); do
	re "$dev" || fails=$((fails + 1))
done
after=$(sunreclaim)
[ $fails = 0 ]
ok $? "$rounds re-authentications in $((SECONDS - start)) s, each with measurements and a session"
growth=$((after - before))
echo "# SUnreclaim ${before} KiB before, ${after} KiB after: $((growth * 1024 / rounds)) bytes per round"
# less than 256 bytes per round: what a leak of any SPDM object exceeds
[ $((growth * 1024)) -lt $((rounds * 256)) ]
ok $? "unreclaimable slab flat over $rounds rounds (${growth} KiB)"

# The largest device: its first authentication, then more of them
before=$(sunreclaim)
re "$big"
[ "$(cat "$pcidev/$big/authenticated")" = 1 ] &&
	[ "$(ls "$pcidev/$big/measurements" | grep -c '^[0-9]')" = 254 ]
ok $? "$big authenticated: $(stat -c %s "$pcidev/$big/certificates/slot0") byte chain, 254 blocks"
first=$(sunreclaim)
for ((i = 0; i < 20; i++)); do re "$big"; done
after=$(sunreclaim)
echo "# $big: ${before} KiB, $((first - before)) KiB more after its first authentication, $((after - first)) KiB more after 20 others"
[ $((first - before)) -lt 4096 ]
ok $? "its state costs less than 4 MiB ($((first - before)) KiB)"
[ $((after - first)) -lt 512 ]
ok $? "and does not grow with re-authentication ($((after - first)) KiB)"

tap_done
