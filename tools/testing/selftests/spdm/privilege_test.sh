#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Privileges, run in the guest: as an unprivileged user (nobody, no
# capabilities) every operation that talks to a device or takes a nonce
# is refused (the admin flag of each netlink operation: spdm.yaml, whose
# generated code the uapi suite checks), no SPDM file in sysfs is
# writable, and every readable one is in Documentation/ABI.
#
# Usage: privilege_test.sh DEV ROOT
#
# DEV (SPDM 1.2+, measurements, sessions) is authenticated with ROOT
# (DER, a .pem beside it) in the .cma keyring.  Output is TAP.

set -u

dev=${1:?usage: privilege_test.sh DEV ROOT}
root=${2:?}
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
abi=$top/Documentation/ABI/testing/sysfs-devices-spdm
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 13

# Run as nobody, without capabilities
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$@"
}

keyctl padd asymmetric "" %:.cma <"$root" >/dev/null
echo re >"$pcidev/$dev/authenticated"
ok $? "$dev authenticated (root)"
"$verify" measurements "$dev" --trust "${root%.der}.pem" -q
ok $? "root: spdm-verify measurements"

# -- Netlink ----------------------------------------------------------------
# Each operation as nobody: the kernel's EPERM, as spdm-verify reports it
refused() {
	nobody "$verify" "$@" --trust "${root%.der}.pem" >"$tmp/out" 2>&1
	[ $? = 3 ] && grep -q "needs CAP_NET_ADMIN" "$tmp/out"
}
for op in challenge measurements session accept; do
	refused "$op" "$dev"
	ok $? "nobody: $op refused (EPERM)" || diag "$tmp/out"
done
refused dump "$dev" --nonce "$(new_nonce)"
ok $? "nobody: evidence-read with a nonce refused (EPERM)" || diag "$tmp/out"
nobody "$verify" dump "$dev" --type certs,vca >"$tmp/out" 2>&1
ok $? "nobody: evidence-read without a nonce reads the evidence held" ||
	diag "$tmp/out"

# -- Keyring ---------------------------------------------------------------
! nobody keyctl padd asymmetric "" %:.cma <"$root" >/dev/null 2>&1
ok $? "nobody cannot add a key to the .cma keyring"

# -- Sysfs ------------------------------------------------------------------
# The SPDM files of the device
spdm_files() {
	local d=$pcidev/$dev
	find "$d/authenticated" "$d/authentication" "$d/certificates" \
	     "$d/signatures" "$d/measurements" "$d/session" \
	     -maxdepth 2 -type f 2>/dev/null
}
spdm_files >"$tmp/files"
[ "$(wc -l <"$tmp/files")" -gt 20 ]
ok $? "$(wc -l <"$tmp/files") SPDM files in sysfs"

# Writing any of them as nobody fails with EACCES
: >"$tmp/writable"
while read -r f; do
	nobody sh -c 'echo re >"$1"' sh "$f" 2>"$tmp/err"
	grep -q "Permission denied" "$tmp/err" || echo "$f" >>"$tmp/writable"
done <"$tmp/files"
[ ! -s "$tmp/writable" ]
ok $? "no SPDM file takes a write from nobody (EACCES)" ||
	diag "$tmp/writable"
[ "$(cat "$pcidev/$dev/authenticated")" = 1 ]
ok $? "the device is still authenticated"

# Each file nobody can read is in the ABI documentation
: >"$tmp/undocumented"
while read -r f; do
	nobody test -r "$f" || continue
	rel=${f#"$pcidev/$dev/"}
	# mainline's own attribute, documented in sysfs-bus-pci
	[ "$rel" = authenticated ] && continue
	pat=$(echo "/sys/devices/.../$rel" |
	      sed -E 's#signatures/[0-9]+/#signatures/<N>/#
		      s#measurements/[0-9]+/#measurements/<index>/#
		      s#slot[0-7]$#slot[0-7]#')
	grep -qF "What:		$pat" "$abi" ||
		echo "$rel ($pat)" >>"$tmp/undocumented"
done <"$tmp/files"
[ ! -s "$tmp/undocumented" ]
ok $? "every file nobody can read is in Documentation/ABI" ||
	diag "$tmp/undocumented"

tap_done
