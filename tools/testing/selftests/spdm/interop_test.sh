#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel against SPDM responders written by others (DMTF libspdm's
# spdm_responder_emu), run in the guest.
#
# Usage: interop_test.sh VERIFIER PLAN
#
# PLAN has one line per SPDM device:
#   BDF KIND ROOT CHAIN ALGS LABEL...
# ROOT is the DER root certificate put in the .cma keyring (ROOT.pem, the
# same in PEM, is what VERIFIER trusts), CHAIN the DER chain that
# certificates/slot0 must hold.  KIND is what must happen:
#   session    authenticated with a session whose session/algorithms are
#              ALGS (commas for spaces; "-": any), HEARTBEAT and KEY_UPDATE
#              work in it, signed measurements are in sysfs
#   verify     as session, and VERIFIER re-checks a netlink challenge
#              (SPDM 1.2+: CHALLENGE alone), one with the whole flow
#              (--fresh), signed measurements and a session opened over
#              its nonce; then a function reset re-authenticates it
#              with the same identity
#   nosession  authenticated without a session (session/state "none")
#   refuse     not authenticated; the kernel log matches the extended
#              regular expression ALGS
# Output is TAP.

set -u

verify=${1:?usage: interop_test.sh VERIFIER PLAN}
plan=${2:?usage: interop_test.sh VERIFIER PLAN}
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

read_plan "$plan"

points=1
for line in "${lines[@]}"; do
	read -r _ kind _ <<<"$line"
	case $kind in
	session) points=$((points + 6)) ;;
	verify) points=$((points + 12)) ;;
	nosession) points=$((points + 3)) ;;
	refuse) points=$((points + 2)) ;;
	*) points=$((points + 1)) ;;
	esac
done
tap_plan "$points"

# The kernel's line for a CHALLENGE sent alone
for f in spdm_challenge_alone spdm_authenticate_once; do
	echo "module spdm func $f +p" >/proc/dynamic_debug/control
done

added=" "
for line in "${lines[@]}"; do
	read -r _ _ root _ <<<"$line"
	if [ "${added/ $root /}" = "$added" ]; then
		keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
			echo "# keyctl padd $root failed"
		added+="$root "
	fi
done

# The kernel log lines of device $1 since mark $2 (a line count)
log_of() {
	dmesg | tail -n +"$(($2 + 1))" | grep -F " $1: "
}

# Run a command; show its output only when it fails
run() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	[ $rc = 0 ] || echo "$out" | tail -n 20 | diag
	return $rc
}

check_session() {
	local bdf=$1 algs=$2 label=$3 dev=$pcidev/$1 got
	got=$(cat "$dev/session/algorithms")
	[ "$(cat "$dev/session/state")" = established ] &&
		{ [ "$algs" = - ] || [ "$got" = "${algs//,/ }" ]; }
	ok $? "$label: session established ($got)"
	echo heartbeat >"$dev/session/request"
	ok $? "$label: HEARTBEAT in the session"
	echo key_update >"$dev/session/request" &&
		echo heartbeat >"$dev/session/request"
	ok $? "$label: KEY_UPDATE, then HEARTBEAT"
	ls "$dev/measurements" 2>/dev/null | grep -q '^[0-9]'
	ok $? "$label: signed measurements in sysfs"
}

check_verifier() {
	local bdf=$1 pem=$2 label=$3 m xchg	# not n: tap.sh counts in it
	m=$(dmesg | wc -l)
	run "$verify" --trust "$pem" challenge "$bdf"
	ok $? "$label: spdm-verify re-checks a netlink challenge"
	# one exchange, a few where CHALLENGE_AUTH comes in chunks; the
	# whole flow (VERSION to CERTIFICATE, CHALLENGE) takes six or more
	xchg=$(log_of "$bdf" "$m" |
	       sed -nE 's/.*Challenged alone \(0\): ([0-9]+) exchanges,.*/\1/p')
	[ -n "$xchg" ] && [ "$xchg" -lt 6 ]
	ok $? "$label: the kernel sent CHALLENGE alone (${xchg:-no} exchanges)"
	run "$verify" --trust "$pem" challenge --fresh "$bdf"
	ok $? "$label: spdm-verify re-checks a challenge with the whole flow"
	run "$verify" --trust "$pem" measurements "$bdf"
	ok $? "$label: spdm-verify re-checks signed measurements"
	run "$verify" --trust "$pem" session "$bdf"
	ok $? "$label: spdm-verify re-checks a session over its nonce"
	m=$(dmesg | wc -l)
	echo 1 >"$pcidev/$bdf/reset"
	[ "$(cat "$pcidev/$bdf/authenticated")" = 1 ] &&
		[ "$(cat "$pcidev/$bdf/authentication/identity")" = accepted ]
	ok $? "$label: re-authenticated after a function reset, same identity"
	log_of "$bdf" "$m" | grep -E "Negotiated state kept|kept no negotiated|Authenticated" | diag
}

for line in "${lines[@]}"; do
	read -r bdf kind root chain algs label <<<"$line"
	dev=$pcidev/$bdf
	m=$(dmesg | wc -l)
	echo re 2>/dev/null >"$dev/authenticated"
	auth=$(cat "$dev/authenticated" 2>&1)
	log_of "$bdf" "$m" | diag

	if [ "$kind" = refuse ]; then
		[ "$auth" != 1 ]
		ok $? "$label: not authenticated (read: $auth)"
		log_of "$bdf" "$m" | grep -qE "$algs"
		ok $? "$label: kernel log says why (/$algs/)"
		continue
	fi

	[ "$auth" = 1 ]
	ok $? "$label: authenticated"
	cat "$dev/certificates/slot0" | cmp -s - "$chain"
	ok $? "$label: certificates/slot0 is the responder's chain, byte for byte"
	case $kind in
	session|verify)
		check_session "$bdf" "$algs" "$label"
		[ "$kind" = verify ] && check_verifier "$bdf" "${root%.der}.pem" "$label"
		;;
	nosession)
		[ "$(cat "$dev/session/state")" = none ]
		ok $? "$label: no session ($(cat "$dev/session/reason"))"
		;;
	*)
		ok 1 "$label: unknown KIND $kind in $plan"
		;;
	esac
done

dmesg | grep -E "BUG:|WARNING:|UBSAN:|KASAN:|circular locking|suspected memory leak" |
	diag | grep . && rc=1 || rc=0
ok $rc "no KASAN/UBSAN/lockdep/WARN reports in the kernel log"

tap_done
