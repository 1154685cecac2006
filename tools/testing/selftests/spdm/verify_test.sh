#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Evidence for userspace verifiers (netlink family "spdm"), run in the
# guest with the spdm-verify CLI.
#
# Usage: verify_test.sh VERIFIER PLAN OTHER_ROOT
#
# PLAN has one line per SPDM device: BDF ROOT CHAIN LABEL..., where ROOT
# is the PEM root the verifier trusts and CHAIN the DER certificates the
# device serves.  OTHER_ROOT is a root that does not anchor any device.
# The first device is also removed and rescanned to see the signature of
# its authentication at enumeration on the "sig" multicast group.

set -u

verify=${1:?usage: verify_test.sh VERIFIER PLAN OTHER_ROOT}
plan=${2:?}
other_root=${3:?}
tmp=$(mktemp -d)
n=0 failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

# Run a command, keep its output as TAP comments on failure.
run() {
	"$@" >"$tmp/out" 2>&1
}

mapfile -t lines < <(grep -v '^#' "$plan")
echo "TAP version 13"
echo "1..$((${#lines[@]} + 7))"

for line in "${lines[@]}"; do
	read -r bdf root chain label <<<"$line"
	run "$verify" --trust "$root" challenge "$bdf"
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/out"
	ok $rc "$bdf $label: fresh evidence verifies"
done

read -r bdf root chain label <<<"${lines[0]}"

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
[ $rc = 0 ] || cat "$tmp"/con.* | sed 's/^/# /'
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
[ $rc = 0 ] || sed 's/^/# /' "$tmp/watch"
ok $rc "$bdf: a subscriber verifies the signature of the authentication at enumeration"

# The largest device's chain comes back byte for byte.
big=$(for line in "${lines[@]}"; do
	read -r b r c _ <<<"$line"
	echo "$(stat -c %s "$c") $b $c $r"
done | sort -n | tail -n 1)
read -r size b c r <<<"$big"
if [ "$size" -lt 65000 ]; then
	n=$((n + 1))
	echo "ok $n chain over 64 KiB # SKIP no device with such a chain"
	rm -rf "$tmp"
	[ $failed = 0 ]
	exit
fi
"$verify" --trust "$r" --json -o "$tmp/big.json" challenge "$b" \
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
[ $failed = 0 ]
