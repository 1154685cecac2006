#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Evidence of secure sessions for userspace verifiers (the netlink
# "key-exchange" operation, the signature log), the HeartbeatPeriod, Busy
# and ResponseNotReady inside a session, and a search for the session
# secrets everywhere the kernel shows something.  Run in the guest.
#
# Usage: session_evidence_test.sh VERIFIER PLAN KEYLOG
#
# PLAN has one line per SPDM device: BDF KIND ROOT LABEL..., where ROOT is
# the PEM root of the device's chain (added to the verifier's trust store
# and, as DER next to it, to the .cma keyring).  KIND is:
#   evidence   spdm-verify session accepts fresh evidence with the
#              measurements read in the session; the bundle verifies
#              offline, not against another nonce or altered; the log
#              entry and the evidence-read object verify; EPERM for users
#   nomeas     as the first check of evidence, for a device without
#              measurements: no session-meas
#   heartbeat  the device asks for HEARTBEATs every few seconds and ends
#              a silent session: it stays up for three periods of idling
#   retry      HEARTBEAT and a signed measurement request in the session
#              succeed although the device answers Busy or
#              ResponseNotReady first
#   nosession  the key-exchange operation says the device has no sessions
# KEYLOG is the responder's key log (keylog=): after every session ended,
# none of its secrets may appear in the kernel log, in any file of the
# devices' SPDM sysfs directories or in the netlink evidence.  Output is
# TAP.

set -u

verify=${1:?usage: session_evidence_test.sh VERIFIER PLAN KEYLOG}
plan=${2:?}
keylog=${3:?}
tmp=$(mktemp -d)
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

# Show the last output as TAP comments.
show() {
	diag "$tmp/out" | tail -n "${1:-15}"
}

mapfile -t lines < <(grep -v '^#' "$plan")
points=1
for line in "${lines[@]}"; do
	read -r _ kind _ <<<"$line"
	case $kind in
	evidence) points=$((points + 10)) ;;
	heartbeat|retry) points=$((points + 3)) ;;
	*) points=$((points + 1)) ;;
	esac
done
tap_plan $points

# HeartbeatPeriod and session setup are logged with dynamic debug
dyndbg=/sys/kernel/debug/dynamic_debug/control
[ -e "$dyndbg" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -w "$dyndbg" ] && echo 'file lib/spdm/* +p' >"$dyndbg"

added=" "
for line in "${lines[@]}"; do
	read -r bdf _ root _ <<<"$line"
	[ "${added/ $root /}" = "$added" ] || continue
	keyctl padd asymmetric "" %:.cma <"${root%.pem}.der" >/dev/null ||
		echo "# keyctl padd ${root%.pem}.der failed"
	added+="$root "
done
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	echo re >"$pcidev/$bdf/authenticated"
done

check_evidence() {
	local bdf=$1 root=$2 label=$3 nonce entry
	local sess=$pcidev/$bdf/session

	nonce=$(new_nonce)
	run "$verify" --trust "$root" --nonce "$nonce" --json \
		-o "$tmp/$bdf.json" session "$bdf"
	rc=$?
	[ $rc = 0 ] && [ "$(cat "$sess/established")" = 1 ]
	ok $? "$label: spdm-verify session accepts fresh session evidence" ||
		show
	grep -q '"name":"dhe-secret","result":"vouched"' "$tmp/$bdf.json" &&
		grep -q '"name":"finish","result":"vouched"' "$tmp/$bdf.json"
	ok $? "$label: the verifier names what only the kernel could check"
	grep -q '"session_meas":{' "$tmp/$bdf.json" &&
		grep -q '"index":1,' "$tmp/$bdf.json"
	ok $? "$label: signed measurements of the session are in the bundle" ||
		show

	run "$verify" --trust "$root" --nonce "$nonce" verify-bundle \
		"$tmp/$bdf.json"
	ok $? "$label: the bundle verifies offline with its nonce" || show
	run "$verify" --trust "$root" --nonce "$(new_nonce)" verify-bundle \
		"$tmp/$bdf.json"
	[ $? = 1 ] && grep -q "FAIL nonce" "$tmp/out"
	ok $? "$label: the bundle replayed against another nonce is rejected"
	python3 - "$tmp/$bdf.json" "$tmp/altered.json" <<-'EOF'
	import base64, json, sys
	b = json.load(open(sys.argv[1]))
	# flip a bit in the middle of TH1 (base64)
	t = bytearray(base64.b64decode(b["transcript"]))
	t[len(t) // 2] ^= 1
	b["transcript"] = base64.b64encode(t).decode()
	json.dump(b, open(sys.argv[2], "w"))
	EOF
	run "$verify" --trust "$root" --nonce "$nonce" verify-bundle \
		"$tmp/altered.json"
	[ $? = 1 ]
	ok $? "$label: an altered bundle is rejected"

	entry=$(newest "$bdf" key_exchange)
	run "$verify" --trust "$root" --nonce "$nonce" verify-log \
		"$pcidev/$bdf/signatures/$entry"
	ok $? "$label: the key_exchange log entry verifies with the nonce" ||
		show
	run "$verify" --trust "$root" dump --verify "$bdf"
	[ $? = 0 ] && grep -q "report (key-exchange)" "$tmp/out"
	ok $? "$label: evidence-read returns the key exchange as report, verified" ||
		show
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$verify" --trust "$root" session "$bdf"
	[ $? = 3 ] && grep -q "not permitted" "$tmp/out"
	ok $? "$label: an unprivileged user gets EPERM"

	# A re-authentication signs CHALLENGE_AUTH, MEASUREMENTS, then TH1
	"$verify" --trust "$root" --count 3 --timeout 120 watch "$bdf" \
		>"$tmp/watch" 2>&1 &
	watch=$!
	for _ in $(seq 600); do
		grep -q "^watching" "$tmp/watch" && break
		sleep 0.1
	done
	echo re >"$pcidev/$bdf/authenticated"
	wait $watch && grep -q "KEY_EXCHANGE_RSP" "$tmp/watch" &&
		[ "$(grep -c "^verdict: PASS" "$tmp/watch")" = 3 ]
	ok $? "$label: a subscriber verifies the key exchange signature" ||
		diag "$tmp/watch" | tail -20

	# new keys for the search at the end
	echo key_update >"$sess/request" && echo key_update_req >"$sess/request"
}

check_heartbeat() {
	local bdf=$1 label=$2 period n0 n1
	local sess=$pcidev/$bdf/session log=${SPDM_VM_RUN:-}/responder.log

	period=$(dmesg | grep " $bdf: Secure session .* established" |
		 tail -1 | sed -n 's/.*HeartbeatPeriod \([0-9]*\) s.*/\1/p')
	[ "$(cat "$sess/established")" = 1 ] && [ "${period:-0}" -gt 0 ]
	ok $? "$label: session with HeartbeatPeriod ${period:-?} s"
	n0=$(grep -c "HEARTBEAT in session" "$log")
	sleep $((3 * ${period:-1}))
	n1=$(grep -c "HEARTBEAT in session" "$log")
	echo "# $((n1 - n0)) HEARTBEATs in $((3 * ${period:-1})) s"
	[ $((n1 - n0)) -ge 3 ]
	ok $? "$label: the kernel sends HEARTBEATs while the session idles"
	echo heartbeat >"$sess/request" &&
		[ "$(cat "$sess/established")" = 1 ] &&
		! grep -q "expired" "$log"
	ok $? "$label: the session outlived three HeartbeatPeriods"
}

check_retry() {
	local bdf=$1 root=$2 label=$3
	local sess=$pcidev/$bdf/session

	[ "$(cat "$sess/established")" = 1 ] &&
		echo heartbeat >"$sess/request" &&
		echo heartbeat >"$sess/request"
	ok $? "$label: HEARTBEATs in the session succeed"
	run "$verify" --trust "$root" measurements "$bdf"
	ok $? "$label: signed measurements in the session" || show
	[ "$(cat "$sess/established")" = 1 ] &&
		[ "$(cat "$pcidev/$bdf/authenticated")" = 1 ]
	ok $? "$label: session and authentication kept"
}

for line in "${lines[@]}"; do
	read -r bdf kind root label <<<"$line"
	case $kind in
	evidence)
		check_evidence "$bdf" "$root" "$label"
		;;
	nomeas)
		run "$verify" --trust "$root" --json -o "$tmp/$bdf.json" \
			session "$bdf"
		[ $? = 0 ] && ! grep -q '"session_meas"' "$tmp/$bdf.json"
		ok $? "$label: session evidence without measurements" || show
		;;
	heartbeat)
		check_heartbeat "$bdf" "$label"
		;;
	retry)
		check_retry "$bdf" "$root" "$label"
		;;
	nosession)
		run "$verify" --trust "$root" session "$bdf"
		[ $? = 3 ] && grep -q "no secure sessions" "$tmp/out"
		ok $? "$label: key exchange refused: no secure sessions" ||
			show
		;;
	*)
		ok 1 "$label: unknown KIND $kind in $plan"
		;;
	esac
done

# End every session, then look for each secret the responder derived.
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	echo end >"$pcidev/$bdf/session/request" 2>/dev/null
	"$verify" dump --json "$bdf" >"$tmp/dump-$bdf.json" 2>&1
done
dmesg >"$tmp/dmesg"
python3 - "$keylog" "$tmp" "${lines[@]}" <<'EOF'
import os, sys

keylog, tmp, lines = sys.argv[1], sys.argv[2], sys.argv[3:]
secrets = {}
for l in open(keylog):
    sid, name, hexval = l.split()
    if len(hexval) >= 24:
        secrets[hexval.lower()] = sid + " " + name

# what user space can read: the kernel log, the SPDM sysfs files of each
# device, the netlink evidence (dumps and the verifier's bundles)
blobs = [("dmesg", open(tmp + "/dmesg", "rb").read())]
for f in sorted(os.listdir(tmp)):
    if f.endswith(".json"):
        blobs.append((f, open(os.path.join(tmp, f), "rb").read()))
for l in lines:
    dev = "/sys/bus/pci/devices/" + l.split()[0]
    for sub in ("authenticated", "certificates", "signatures", "session",
                "measurements"):
        for root, dirs, files in os.walk(os.path.join(dev, sub)):
            for f in files + ([] if dirs or files else [root]):
                p = os.path.join(root, f)
                try:
                    blobs.append((p, open(p, "rb").read()))
                except OSError:
                    pass
found = []
for name, data in blobs:
    text = data.hex() + " " + data.decode("latin-1").lower()
    for s, what in secrets.items():
        if s in text:
            found.append("%s in %s" % (what, name))
print("# %d secrets of %d sessions searched in %d places" %
      (len(secrets), len({v.split()[0] for v in secrets.values()}),
       len(blobs)))
for f in found[:10]:
    print("# found " + f)
sys.exit(1 if found or not secrets else 0)
EOF
ok $? "no session secret in the kernel log, sysfs or netlink evidence"

tap_done
