#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Evidence for userspace verifiers (netlink family "spdm", the sysfs
# signature log), run in the guest with the spdm-verify CLI.
#
# Usage: verify_test.sh VERIFIER PLAN OTHER_ROOT
#
# PLAN has one line per SPDM device: BDF ROOT CHAIN LABEL..., where ROOT
# is the PEM root the verifier trusts and CHAIN the DER certificates the
# device serves.  OTHER_ROOT is a root that does not anchor any device.
# Each challenge is re-verified from the signature log as well.  The
# first device also has its log re-verified and tampered copies of an
# entry rejected, signs its measurements (SKIP where the kernel or the
# device does not support them), and is removed and rescanned to see the
# signature of its authentication at enumeration on the "sig" multicast
# group.

set -u

verify=${1:?usage: verify_test.sh VERIFIER PLAN OTHER_ROOT}
plan=${2:?}
other_root=${3:?}
tmp=$(mktemp -d)
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

# Flip the lowest bit of byte OFFSET (negative: from the end) of FILE.
flip() {
	python3 -c 'import sys
p, i = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[i] ^= 1
open(p, "wb").write(b)' "$1" "$2"
}

mapfile -t lines < <(grep -v '^#' "$plan")
tap_plan $((2 * ${#lines[@]} + 21))

for line in "${lines[@]}"; do
	read -r bdf root chain label <<<"$line"
	nonce=$(new_nonce)
	run "$verify" --trust "$root" --nonce "$nonce" challenge "$bdf"
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf $label: fresh evidence verifies"

	# The kernel logged that challenge: the same checks from sysfs.
	entry=$pcidev/$bdf/signatures/$(newest "$bdf" challenge)
	run "$verify" --trust "$root" --nonce "$nonce" verify-log "$entry"
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf $label: its signature log entry re-verifies with our nonce"
done

read -r bdf root chain label <<<"${lines[0]}"
entry=$pcidev/$bdf/signatures/$(newest "$bdf" challenge)

# The log entry of a challenge is no fresher than its nonce.
run "$verify" --trust "$root" --nonce "$(new_nonce)" verify-log "$entry"
[ $? = 1 ] && grep -q "FAIL nonce" "$tmp/out"
ok $? "$bdf: a log entry verified against another nonce fails the nonce check"

# Copies of the entry, tampered with: the verifier notices, whatever the
# kernel's signature_valid says.
rm -rf "$tmp/entry" && cp -r "$entry" "$tmp/entry"
run "$verify" --trust "$root" --no-san-check verify-log "$tmp/entry"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: a copy of the entry verifies outside sysfs"

flip "$tmp/entry/transcript" -40
run "$verify" --trust "$root" --no-san-check verify-log "$tmp/entry"
[ $? = 1 ] && grep -q "FAIL signature" "$tmp/out" &&
	[ "$(cat "$tmp/entry/signature_valid")" = 1 ]
ok $? "$bdf: a flipped transcript byte fails the signature check although signature_valid is 1"

rm -rf "$tmp/entry" && cp -r "$entry" "$tmp/entry"
flip "$tmp/entry/requester_nonce" 0
run "$verify" --trust "$root" --no-san-check verify-log "$tmp/entry"
[ $? = 1 ] && grep -q "FAIL log" "$tmp/out"
ok $? "$bdf: a requester_nonce that is not the transcript's fails the log check"

run "$verify" --trust "$root" verify-log "$pcidev/$bdf/signatures"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: every entry of its log verifies ($(grep -c '^verdict: PASS' "$tmp/out") entries)"

# Signed measurements, if the kernel and the device have them.
nonce=$(new_nonce)
run "$verify" --trust "$root" --nonce "$nonce" --json -o "$tmp/meas.json" \
	measurements "$bdf"
rc=$?
if [ $rc = 3 ] && grep -q "Operation not supported" "$tmp/out"; then
	why=$(sed -n 's/.*Operation not supported: //p' "$tmp/out" | head -1)
	for t in "signed measurements verify" \
		 "the measurements log entry re-verifies with our nonce" \
		 "--expect with the values read passes" \
		 "--expect with another value fails naming the index" \
		 "dump --verify verifies the challenge and measurements objects"; do
		skip "$bdf: $t" "${why:-measurements not supported}"
	done
else
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf: signed measurements verify"

	mentry=$pcidev/$bdf/signatures/$(newest "$bdf")
	run "$verify" --trust "$root" --nonce "$nonce" verify-log "$mentry"
	rc=$?
	[ $rc = 0 ] && [ "$(cat "$mentry/type")" = measurements ]
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf: the measurements log entry re-verifies with our nonce"

	python3 -c 'import json, sys
for b in json.load(open(sys.argv[1]))["measurements"]:
    print(b["index"], b["value"])' "$tmp/meas.json" >"$tmp/expect"
	run "$verify" --trust "$root" --expect "$tmp/expect" measurements "$bdf"
	rc=$?
	[ $rc = 0 ] && [ -s "$tmp/expect" ]
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf: --expect with the values read passes"

	read -r idx val <"$tmp/expect"
	{ echo "# index $idx changed"; echo "$idx 00$val"; } >"$tmp/expect.bad"
	run "$verify" --trust "$root" --expect "$tmp/expect.bad" \
		measurements "$bdf"
	[ $? = 1 ] && grep -q "FAIL expect: index $idx:" "$tmp/out"
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf: --expect with another value fails naming the index"

	run "$verify" --trust "$root" dump --verify "$bdf"
	rc=$?
	[ $rc = 0 ] && [ "$(grep -c '^verdict: PASS' "$tmp/out")" = 2 ]
	rc=$?
	[ $rc = 0 ] || diag "$tmp/out"
	ok $rc "$bdf: dump --verify verifies the challenge and measurements objects"
fi

# evidence-read in the PCI/TSM object model: cert0..7, vca,
# measurements, report; every message with the same generation.
run "$verify" dump "$bdf"
rc=$?
[ $rc = 0 ] && grep -q "^$bdf: .*generation [0-9]" "$tmp/out" &&
	grep -q "^  cert0 (slot 0): " "$tmp/out" &&
	grep -q "^  vca: " "$tmp/out" &&
	grep -q "^  report (challenge): " "$tmp/out"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: evidence-read returns cert0, vca and the challenge as report, with a generation"

# With a nonce, the report is a challenge over it.
nonce=$(new_nonce)
run "$verify" --trust "$root" --nonce "$nonce" --type report dump --verify \
	"$bdf"
rc=$?
[ $rc = 0 ] && grep -q "PASS  nonce .*our nonce" "$tmp/out"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: evidence-read with a nonce returns a challenge over it, verified"

# The digest flag: each digest is the hash of the object read in full.
run "$verify" --trust "$root" --digest dump --verify "$bdf"
rc=$?
[ $rc = 0 ] && grep -q "PASS  digest  cert0: SHA-" "$tmp/out" &&
	grep -q "PASS  digest  vca: " "$tmp/out" &&
	grep -q "PASS  digest  report: " "$tmp/out" &&
	! grep -q "FAIL" "$tmp/out"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$bdf: evidence-read digests match the objects and the evidence verifies"

# A re-authentication between the messages of one dump changes the
# generation: the kernel fails the dump with EAGAIN.  The device with the
# largest chain, read 4 KiB at a time, so that the dump goes on after it.
gb=$(for line in "${lines[@]}"; do
	read -r b _ c _ <<<"$line"
	echo "$(stat -c %s "$c") $b"
done | sort -n | tail -n 1 | cut -d' ' -f2)
run "$verify" dump --between \
	"echo re >$pcidev/$gb/authenticated; sleep 1" "$gb"
rc=$?
for _ in $(seq 300); do
	[ "$(cat "$pcidev/$gb/authenticated" 2>/dev/null)" = 1 ] && break
	sleep 0.1
done
[ $rc = 3 ] && grep -q "Resource temporarily unavailable" "$tmp/out" &&
	grep -q "evidence changed during the dump" "$tmp/out"
rc=$?
[ $rc = 0 ] || diag "$tmp/out"
ok $rc "$gb: a re-authentication during evidence-read fails the dump with EAGAIN"

# A bundle signed over someone else's nonce is a replay.
"$verify" --trust "$root" --json -o "$tmp/bundle.json" challenge "$bdf" \
	>/dev/null 2>&1
run "$verify" --trust "$root" \
	--nonce 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
	verify-bundle "$tmp/bundle.json"
[ $? = 1 ] && grep -q "FAIL nonce" "$tmp/out"
ok $? "$bdf: evidence replayed against another nonce is rejected"

run "$verify" --trust "$root" verify-bundle "$tmp/bundle.json"
ok $? "$bdf: the saved bundle verifies offline with its own nonce"

run "$verify" --trust "$other_root" challenge "$bdf"
[ $? = 1 ] && grep -q "FAIL trust" "$tmp/out"
ok $? "$bdf: a trust store without the device's root fails the trust check"

run setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$verify" --trust "$root" challenge "$bdf"
[ $? = 3 ] && grep -q "not permitted" "$tmp/out"
ok $? "$bdf: an unprivileged user gets EPERM"

# All devices at once.
pids=()
for line in "${lines[@]}"; do
	read -r b r _ <<<"$line"
	"$verify" --quiet --trust "$r" challenge "$b" >"$tmp/con.$b" 2>&1 &
	pids+=($!)
done
rc=0
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
[ $rc = 0 ] || cat "$tmp"/con.* | diag
ok $rc "${#lines[@]} devices challenged concurrently all verify"

# The signature of authentication at enumeration reaches a subscriber.
"$verify" --trust "$root" --count 1 --timeout 120 watch "$bdf" \
	>"$tmp/watch" 2>&1 &
watch=$!
# It says so once it has joined the group.
for _ in $(seq 600); do
	grep -q "^watching" "$tmp/watch" && break
	sleep 0.1
done
echo 1 >"/sys/bus/pci/devices/$bdf/remove"
echo 1 >/sys/bus/pci/rescan
wait $watch
rc=$?
[ $rc = 0 ] || diag "$tmp/watch"
ok $rc "$bdf: a subscriber verifies the signature of the authentication at enumeration"

# The largest device's chain comes back byte for byte.
big=$(for line in "${lines[@]}"; do
	read -r b r c _ <<<"$line"
	echo "$(stat -c %s "$c") $b $c $r"
done | sort -n | tail -n 1)
read -r size b c r <<<"$big"
if [ "$size" -lt 65000 ]; then
	skip "chain over 64 KiB" "no device with such a chain"
	rm -rf "$tmp"
	tap_done
fi
# --fresh: the whole flow, whose transcript holds the chain's CERTIFICATEs
"$verify" --trust "$r" --json -o "$tmp/big.json" challenge --fresh "$b" \
	>/dev/null 2>&1
rc=$?
python3 - "$tmp/big.json" "$c" <<'EOF'
import base64, json, sys
bundle = json.load(open(sys.argv[1]))
def find(o, key):
    if isinstance(o, dict):
        if key in o:
            return o[key]
        for v in o.values():
            r = find(v, key)
            if r is not None:
                return r
    return None
chain = base64.b64decode(find(bundle, "cert_chain"))
certs = open(sys.argv[2], "rb").read()
transcript = base64.b64decode(find(bundle, "transcript"))
print("# chain %d bytes, transcript %d bytes" % (len(chain), len(transcript)))
sys.exit(0 if chain.endswith(certs) and len(transcript) > 65536 else 1)
EOF
[ $? = 0 ] && [ $rc = 0 ]
ok $? "$b: a $size-byte chain (transcript over 64 KiB) verifies and round-trips byte-exact"

rm -rf "$tmp"
tap_done
