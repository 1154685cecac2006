#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device authentication through PCI CMA, run in the guest.
#
# Usage: auth_test.sh PLAN
#
# PLAN has one line per SPDM device:
#   BDF EXPECT ROOT CHAIN LABEL...
# EXPECT is 1 if the device must authenticate once ROOT (a DER root
# certificate, or "-") is in the .cma keyring, 0 if it must not (and the
# kernel must say why).  CHAIN is the DER chain that certificates/slot0
# must hold ("empty": it must be empty, "-": not checked).  Output is TAP.

set -u

plan=${1:?usage: auth_test.sh PLAN}
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

read_plan "$plan"
nchains=$(awk '$4 != "-"' "$plan" | grep -vc '^#')
tap_plan $((2 * ${#lines[@]} + nchains + 5))

# Before any root is trusted no device can be authenticated.
rc=0
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	[ "$(cat "$pcidev/$bdf/authenticated" 2>&1)" = 0 ] || rc=1
done
ok $rc "no device authenticated while the .cma keyring is empty"

# Devices without a CMA mailbox have no SPDM attributes.
rc=0
for dev in "$pcidev"/*; do
	grep -q "^${dev##*/} " "$plan" && continue
	[ -e "$dev/authenticated" ] && rc=1
	[ -e "$dev/certificates" ] && rc=1
done
ok $rc "devices without CMA are untouched"

# No driver bound to a device before its result at enumeration: the
# first result line of each device comes before the nvme driver's.
rc=0
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	result=$(dmesg | grep -nE " $bdf: (Authenticated|Not authenticated)" |
		 head -1 | cut -d: -f1)
	bound=$(dmesg | grep -n "pci function $bdf" | head -1 | cut -d: -f1)
	if [ -z "$result" ] || { [ -n "$bound" ] && [ "$bound" -lt "$result" ]; }; then
		echo "# $bdf: result at log line ${result:-none}, driver at ${bound:-none}"
		rc=1
	fi
done
ok $rc "each device has its result before a driver binds to it"

added=" "
for line in "${lines[@]}"; do
	read -r bdf expect root chain label <<<"$line"
	if [ "$root" != - ] && [ "${added/ $root /}" = "$added" ]; then
		keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
			echo "# keyctl padd $root failed"
		added+="$root "
	fi
done

for line in "${lines[@]}"; do
	read -r bdf expect root chain label <<<"$line"
	attr=$pcidev/$bdf/authenticated

	if [ "$chain" = empty ]; then
		[ -z "$(head -c 1 "$pcidev/$bdf/certificates/slot0")" ]
		ok $? "$bdf $label: certificates/slot0 is empty"
	elif [ "$chain" != - ]; then
		# sysfs reports size 0: make cmp read instead of stat
		cat "$pcidev/$bdf/certificates/slot0" | cmp -s - "$chain"
		ok $? "$bdf $label: certificates/slot0 is the responder's chain"
	fi

	echo "spdm-auth-test: $bdf" >/dev/kmsg
	echo re 2>/dev/null >"$attr"
	got=$(cat "$attr" 2>&1)
	[ "$got" = "$expect" ]
	ok $? "$bdf $label: authenticated reads $expect after re (got $got)"

	log=$(dmesg | sed -n "/spdm-auth-test: $bdf\$/,\$p" | grep "$bdf" |
	      grep -v spdm-auth-test)
	if [ "$expect" = 1 ]; then
		echo "$log" | grep -q "Authenticated with SPDM"
		ok $? "$bdf $label: kernel logs the authentication"
	else
		echo "$log" | diag
		[ -n "$log" ]
		ok $? "$bdf $label: kernel logs why it is not authenticated"
	fi
done

dmesg | grep -E "BUG:|WARNING:|UBSAN:|KASAN:|circular locking|suspected memory leak" |
	diag | grep . && rc=1 || rc=0
ok $rc "no KASAN/UBSAN/lockdep/WARN reports in the kernel log"

# Reading a slot must not disturb authentication: re once more.
rc=0
for line in "${lines[@]}"; do
	read -r bdf expect _ <<<"$line"
	echo re 2>/dev/null >"$pcidev/$bdf/authenticated"
	[ "$(cat "$pcidev/$bdf/authenticated")" = "$expect" ] || rc=1
done
ok $rc "a second re-authentication gives the same results"

tap_done
