#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Signed device measurements (GET_MEASUREMENTS), run in the guest.
#
# Usage: meas_test.sh VERIFIER PLAN
#
# PLAN has one line per SPDM device:
#   BDF ROOT MEASFILE LABEL...
# ROOT is the device's root certificate (PEM, with ROOT%.pem.der next to
# it as DER); MEASFILE the responder's measurement file ("INDEX TYPE
# FORMAT HEX" lines), which sysfs must show byte-exact.  The first device
# also goes through the signature log entry, single indices, --expect, a
# firmware update (its MEASFILE is rewritten; the responder reloads it),
# a replayed bundle and an unprivileged request.  Output is TAP.

set -u

verifier=${1:?usage: meas_test.sh VERIFIER PLAN}
plan=${2:?usage: meas_test.sh VERIFIER PLAN}
pcidev=/sys/bus/pci/devices
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

# sysfs measurements/ against the responder's file: index, type, format
# and value (digests hashed with measurements/hash_algorithm).
cat >"$tmp/expect.py" <<'EOF'
import hashlib, os, sys

sysdir, measfile = sys.argv[1], sys.argv[2]
alg = open(os.path.join(sysdir, "hash_algorithm")).read().strip()
want = {}
for line in open(measfile):
    line = line.split("#")[0].split()
    if not line:
        continue
    index, mtype, fmt, value = line
    value = bytes.fromhex(value)
    if fmt == "digest":
        value = hashlib.new(alg.replace("-", "_"), value).digest()
    want[index] = (mtype, fmt, value)
got = sorted(e for e in os.listdir(sysdir) if e.isdigit())
if got != sorted(want):
    sys.exit("indices %s, expected %s" % (got, sorted(want)))
for index, (mtype, fmt, value) in want.items():
    d = os.path.join(sysdir, index)
    t = open(os.path.join(d, "type")).read().strip()
    f = open(os.path.join(d, "format")).read().strip()
    v = open(os.path.join(d, "value"), "rb").read()
    if (t, f, v) != (mtype, fmt, value):
        sys.exit("index %s: %s %s %s, expected %s %s %s" %
                 (index, t, f, v.hex(), mtype, fmt, value.hex()))
EOF

read_plan "$plan"
tap_plan $((4 * ${#lines[@]} + 8))

for line in "${lines[@]}"; do
	read -r _ root _ <<<"$line"
	keyctl padd asymmetric "" %:.cma <"${root%.pem}.der" >/dev/null 2>&1
done

# Per device: authentication with measurements, sysfs, log, verifier.
for line in "${lines[@]}"; do
	read -r bdf root measfile label <<<"$line"
	dev=$pcidev/$bdf
	echo re 2>/dev/null >"$dev/authenticated"
	[ "$(cat "$dev/authenticated")" = 1 ]
	ok $? "$bdf $label: authenticated, measurements included"

	out=$(python3 "$tmp/expect.py" "$dev/measurements" "$measfile" 2>&1)
	ok $? "$bdf $label: measurements/ shows the responder's blocks byte-exact${out:+ ($out)}"

	# CHALLENGE_AUTH, MEASUREMENTS, then (1.1+) KEY_EXCHANGE_RSP
	last=$(newest "$bdf" measurements)
	[ -n "$last" ] && [ "$last" -gt "$(newest "$bdf" challenge)" ] &&
		[ "$(cat "$dev/signatures/$last/signature_valid")" = 1 ]
	ok $? "$bdf $label: the signature log has valid signed measurements after the challenge"

	"$verifier" --trust "$root" --json -o "$tmp/$bdf.json" \
		measurements "$bdf" >"$tmp/out" 2>&1
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf $label: spdm-verify measurements accepts fresh evidence"
done

# The first device: indices, --expect, firmware update, replay, privilege.
read -r bdf root measfile label <<<"${lines[0]}"
dev=$pcidev/$bdf

last=$(newest "$bdf" measurements)
"$verifier" --trust "$root" verify-log "$dev/signatures/$last" \
	>"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: spdm-verify re-verifies the latest measurements log entry"

"$verifier" --trust "$root" measurements --index 1 --index 2 "$bdf" \
	>"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: single indices 1 and 2 verify"

# --expect takes "INDEX HEX" of the values as the device reports them.
for e in "$dev"/measurements/[0-9]*; do
	echo "${e##*/} $(od -An -v -tx1 "$e/value" | tr -d ' \n')"
done >"$tmp/expect"
"$verifier" --trust "$root" measurements --expect "$tmp/expect" "$bdf" \
	>"$tmp/out" 2>&1
ok $? "$bdf: --expect with the current values passes"

# Firmware update: index 2 changes in the responder's file.
cp "$measfile" "$tmp/meas.orig"
awk '$1 == 2 { $4 = "0badc0de" $4 } { print }' "$tmp/meas.orig" >"$measfile.new"
mv "$measfile.new" "$measfile"
"$verifier" --trust "$root" measurements --expect "$tmp/expect" "$bdf" \
	>"$tmp/out" 2>&1
rc=$?
grep -q "2" "$tmp/out" && [ $rc != 0 ]
ok $? "$bdf: after a firmware update --expect fails and names index 2"
diag "$tmp/out" | grep -i -E "expect|index|mismatch" | head -5

out=$(python3 "$tmp/expect.py" "$dev/measurements" "$measfile" 2>&1)
ok $? "$bdf: measurements/ shows the updated block${out:+ ($out)}"
cp "$tmp/meas.orig" "$measfile"

# A bundle verified against another nonce than its own is a replay.
"$verifier" --trust "$root" --json -o "$tmp/b1.json" measurements "$bdf" \
	>/dev/null 2>&1
nonce=$(head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
"$verifier" --trust "$root" --nonce "$nonce" verify-bundle "$tmp/b1.json" \
	>"$tmp/out" 2>&1
[ $? != 0 ]
ok $? "$bdf: a measurement bundle replayed against a new nonce is rejected"

setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$verifier" --trust "$root" measurements "$bdf" >"$tmp/out" 2>&1
grep -q -i "EPERM\|not permitted" "$tmp/out"
ok $? "$bdf: an unprivileged user gets EPERM"

dmesg | grep -E "BUG:|WARNING:|UBSAN:|KASAN:|circular locking" |
	diag | grep . && rc=1 || rc=0
ok $rc "no WARN/BUG reports in the kernel log"

tap_done
