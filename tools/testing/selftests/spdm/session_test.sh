#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Secure SPDM sessions (KEY_EXCHANGE, FINISH, DSP0277 secured messages)
# through PCI CMA, run in the guest.
#
# Usage: session_test.sh PLAN [HEARTBEATS]
#
# PLAN has one line per SPDM device:
#   BDF EXPECT ROOT REASON LABEL...
# ROOT (a DER root certificate) is put in the .cma keyring first, then
# each device is authenticated again ("echo re > authenticated").
# EXPECT is what must happen:
#   1       authenticated with a session; HEARTBEAT, KEY_UPDATE (both
#           directions, then requests only) and END_SESSION work in it,
#           and re-authentication opens a new one
#   0       authenticated without a session
#   fail    not authenticated: the handshake fails its checks
#   refused authenticated without a session the kernel or the device
#           refused (session/state "refused", the log says why)
#   failed  authenticated without a session: the handshake ended in a
#           transport error (session/state "failed"); authenticating
#           again works (the mailbox is usable after the failure)
#   drop    authenticated with a session that a HEARTBEAT tears down
#           (authentication kept: a transport error)
#   revoke  as drop, but the device is not authenticated any more (a
#           secured response failed its checks)
#   algs    authenticated with a session; a HEARTBEAT works in it (and
#           nothing else is tried)
# REASON is an extended regular expression the kernel log must match for
# the device when EXPECT is fail, drop or revoke ("-": none); for 1 and
# algs, what session/algorithms must read, with commas for its spaces
# (e.g. secp256r1,aes-128-gcm,sha384,encrypted; "-" with 1: any names).
# HEARTBEATS (default 200) HEARTBEATs are timed on the first device with
# EXPECT 1.
# No device's log or sysfs files may show anything like a key.  Output
# is TAP.

set -u

plan=${1:?usage: session_test.sh PLAN [HEARTBEATS]}
heartbeats=${2:-200}
pcidev=/sys/bus/pci/devices

. "$(dirname "$(readlink -f "$0")")/tap.sh"

read_plan "$plan"

# Session setup times come from dynamic debug
dyndbg=/sys/kernel/debug/dynamic_debug/control
[ -e "$dyndbg" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -w "$dyndbg" ] && echo 'file lib/spdm/* +p' >"$dyndbg"

# Per device: authenticate, state, and the EXPECT-specific checks
points=0
for line in "${lines[@]}"; do
	read -r _ expect _ <<<"$line"
	case $expect in
	1) points=$((points + 8)) ;;
	0) points=$((points + 3)) ;;
	fail) points=$((points + 3)) ;;
	failed) points=$((points + 4)) ;;
	refused) points=$((points + 2)) ;;
	drop|revoke) points=$((points + 5)) ;;
	algs) points=$((points + 3)) ;;
	*) points=$((points + 1)) ;;
	esac
done
tap_plan $((points + 3))

# The kernel log lines of device $1 since mark $2 (a line count)
log_of() {
	dmesg | tail -n +"$(($2 + 1))" | grep -F " $1: "
}

mark() {
	dmesg | wc -l
}

added=" "
for line in "${lines[@]}"; do
	read -r _ _ root _ <<<"$line"
	if [ "$root" != - ] && [ "${added/ $root /}" = "$added" ]; then
		keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
			echo "# keyctl padd $root failed"
		added+="$root "
	fi
done

timed=
for line in "${lines[@]}"; do
	read -r bdf expect root reason label <<<"$line"
	dev=$pcidev/$bdf
	sess=$dev/session
	m=$(mark)
	echo re >"$dev/authenticated" 2>/dev/null
	read -r auth <"$dev/authenticated"
	read -r est <"$sess/established"
	read -r algs <"$sess/algorithms"
	read -r state <"$sess/state"
	reason_text=$(cat "$sess/reason")
	echo "# $bdf session/state $state: $reason_text"
	log_of "$bdf" "$m" | grep -E 'established|refused|handshake' |
		diag

	case $expect in
	1)
		[ "$auth" = 1 ] && [ "$est" = 1 ] && [ "$state" = established ]
		ok $? "$label: authenticated with a session ($algs)"
		if [ "$reason" = - ]; then
			[[ $algs =~ ^secp(256|384)r1\ (aes-128-gcm|aes-256-gcm|chacha20-poly1305)\ sha(256|384|512)\ (encrypted|mac-only)$ ]]
		else
			[ "$algs" = "${reason//,/ }" ]
		fi
		ok $? "$label: session algorithms named"
		[ "$(stat -c %a "$sess/request")" = 200 ]
		ok $? "$label: session requests are root only"
		echo heartbeat >"$sess/request"
		ok $? "$label: HEARTBEAT in the session"
		echo key_update >"$sess/request" &&
			echo heartbeat >"$sess/request"
		ok $? "$label: KEY_UPDATE of all keys, then HEARTBEAT"
		echo key_update_req >"$sess/request" &&
			echo heartbeat >"$sess/request"
		ok $? "$label: KEY_UPDATE of the request keys, then HEARTBEAT"
		if [ -z "$timed" ]; then
			timed=1
			t0=$(date +%s%N)
			i=0
			while [ $i -lt "$heartbeats" ] &&
			      echo heartbeat >"$sess/request"; do
				i=$((i + 1))
			done
			t1=$(date +%s%N)
			echo "# $i HEARTBEATs in $(((t1 - t0) / 1000)) us" \
			     "($(((t1 - t0) / 1000 / (i ? i : 1))) us each)"
		fi
		echo end >"$sess/request" &&
			[ "$(cat "$sess/established")" = 0 ] &&
			[ "$(cat "$dev/authenticated")" = 1 ] &&
			! echo heartbeat 2>/dev/null >"$sess/request"
		ok $? "$label: END_SESSION ends the session, not the authentication"
		echo re >"$dev/authenticated" && echo re >"$dev/authenticated" &&
			[ "$(cat "$sess/established")" = 1 ] &&
			echo heartbeat >"$sess/request"
		ok $? "$label: re-authentication replaces the session"
		;;
	0)
		[ "$auth" = 1 ]
		ok $? "$label: authenticated"
		[ "$est" = 0 ] && [ "$algs" = none ] &&
			[[ $state =~ ^(none|refused)$ ]] && [ -n "$reason_text" ]
		ok $? "$label: no session, state $state with a reason"
		! echo heartbeat 2>/dev/null >"$sess/request"
		ok $? "$label: no requests without a session"
		;;
	fail)
		[ "$auth" = 0 ]
		ok $? "$label: not authenticated"
		[ "$est" = 0 ] && [ "$state" = rejected ]
		ok $? "$label: no session, state rejected"
		log_of "$bdf" "$m" | grep -qE "$reason"
		ok $? "$label: kernel log says why (/$reason/)"
		;;
	refused)
		[ "$auth" = 1 ] && [ "$est" = 0 ] && [ "$state" = refused ]
		ok $? "$label: authenticated, session refused ($reason_text)"
		log_of "$bdf" "$m" | grep -qE "$reason"
		ok $? "$label: kernel log says why (/$reason/)"
		;;
	failed)
		[ "$auth" = 1 ]
		ok $? "$label: authenticated (the CHALLENGE result stands)"
		[ "$est" = 0 ] && [ "$state" = failed ] && [ -n "$reason_text" ]
		ok $? "$label: no session, state failed with a reason"
		log_of "$bdf" "$m" | grep -qE "$reason"
		ok $? "$label: kernel log says why (/$reason/)"
		echo re >"$dev/authenticated" &&
			[ "$(cat "$dev/authenticated")" = 1 ] &&
			[ "$(cat "$sess/state")" = failed ]
		ok $? "$label: authenticating again works, with the same session state"
		;;
	drop|revoke)
		[ "$auth" = 1 ] && [ "$est" = 1 ]
		ok $? "$label: authenticated with a session"
		m=$(mark)
		! echo heartbeat 2>/dev/null >"$sess/request"
		ok $? "$label: HEARTBEAT fails"
		want=1 wstate=failed
		[ "$expect" = revoke ] && want=0 wstate=rejected
		[ "$(cat "$sess/established")" = 0 ] &&
			[ "$(cat "$sess/state")" = $wstate ]
		ok $? "$label: session torn down, state $wstate"

		[ "$(cat "$dev/authenticated")" = $want ]
		ok $? "$label: authenticated reads $want"
		log_of "$bdf" "$m" | grep -qE "$reason"
		ok $? "$label: kernel log says why (/$reason/)"
		log_of "$bdf" "$m" | diag
		;;
	algs)
		[ "$auth" = 1 ] && [ "$est" = 1 ]
		ok $? "$label: authenticated with a session"
		[ "$algs" = "${reason//,/ }" ]
		ok $? "$label: session algorithms are ${reason//,/ } (read: $algs)"
		echo heartbeat >"$sess/request"
		ok $? "$label: HEARTBEAT in the session"
		;;
	*)
		ok 1 "$label: unknown EXPECT $expect in $plan"
		;;
	esac
done

# Nothing like a key or secret in the log or in sysfs: no 16 bytes or more
# of hex in the kernel log, and the session files say only what they should.
! dmesg | grep -qiE '[0-9a-f]{32}'
ok $? "no key material in the kernel log"
rc=0
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	for f in established algorithms state reason; do
		read -r v <"$pcidev/$bdf/session/$f"
		[[ ${v,,} =~ [0-9a-f]{16} ]] && rc=1
	done
	files=("$pcidev/$bdf/session"/*)
	[ "${files[*]##*/}" = "algorithms established reason request state" ] || rc=1
done
ok $rc "no key material in sysfs"
rc=0
for line in "${lines[@]}"; do
	read -r bdf _ <<<"$line"
	read -r _ <"$pcidev/$bdf/session/request" 2>/dev/null && rc=1
done
ok $rc "session/request cannot be read"

tap_done
