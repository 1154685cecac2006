#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Damaged responses, run in the guest: spdm-mitm sits between QEMU and
# the responder of the first device (spdm-vm --mitm 0:mode=off) and
# damages its responses while the device is authenticated again and
# again ("echo re": the signed measurements are read and the secure
# session opened each time) and requests go through its secure session
# (HEARTBEAT, KEY_UPDATE).  The kernel must survive all of it without a
# splat, and a device must never come out authenticated from an
# authentication in which a byte that a signature covers was altered
# (the log's signed=1); once the damage stops, the device authenticates
# again with a session, and spdm-verify verifies its measurements.
#
# Usage: mitm_test.sh ROOT [TARGET [SECONDS]]
#
# ROOT is the device's root certificate (DER, with ROOT%.der.pem beside
# it) for the .cma keyring and the verifier.  TARGET (default 1000)
# damaged responses are spread over authentication, measurements and
# sessions as MITM_SHARES says (default "50 25 25", percentages) within
# SECONDS (default 300): authentication may take half of it,
# measurements and sessions a fifth each; then SIGNED_OPS (default 60)
# authentications have only signed bytes damaged; what the parts fell
# short of is made up with more authentications, until TARGET or
# SECONDS.  spdm-mitm's control file and log are $SPDM_VM_RUN/mitm0.ctl
# and mitm0.log.  SPDM_VERIFY names spdm-verify.  Output is TAP.

set -u

root=${1:?usage: mitm_test.sh ROOT [TARGET [SECONDS]]}
target=${2:-1000}
budget=${3:-300}
signed_ops=${SIGNED_OPS:-60}
read -r share_auth share_meas share_session <<<"${MITM_SHARES:-50 25 25}"
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
run=${SPDM_VM_RUN:?not in an spdm-vm guest}
ctl=$run/mitm0.ctl
log=$run/mitm0.log
read -r bdf _ <"$run/devices"
dev=/sys/bus/pci/devices/$bdf
trust=${root%.der}.pem
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

tap_plan 10

# The control file, replaced as a whole
control() {
	echo "$*" >"$ctl.new" && mv "$ctl.new" "$ctl"
}

# authenticated and session/state into $a and $s, without a fork
status() {
	a=? s=?
	read -r a <"$dev/authenticated" 2>/dev/null
	read -r s <"$dev/session/state" 2>/dev/null
}

# Mutations per part of the flow, by the request they answered
declare -A hits=([auth]=0 [meas]=0 [session]=0 [other]=0)
declare -A kinds=() signed=()
seen=0		# log lines read so far
new=()		# the lines the last operation added
checked=0	# authentications with a signed byte altered
: >"$tmp/bad"

# Read the log lines added since the last call into $new, count them.
collect() {
	local l req kind
	new=()
	mapfile -t -s "$seen" new <"$log"
	seen=$((seen + ${#new[@]}))
	for l in "${new[@]}"; do
		[[ $l = \#* ]] && continue
		req=${l#* req=}
		req=${req%% *}
		kind=${l#* kind=}
		kind=${kind%% *}
		kinds[$kind]=$((${kinds[$kind]:-0} + 1))
		case $req in
		0x84|0xe1|0xe3|0x81|0x82|0x83) hits[auth]=$((hits[auth] + 1)) ;;
		0xe0|0x86) hits[meas]=$((hits[meas] + 1)) ;;
		0xe4|0xe5|0xe6|0xe8|0xe9|0xec|sec)
			hits[session]=$((hits[session] + 1)) ;;
		*) hits[other]=$((hits[other] + 1)) ;;
		esac
	done
}

total() { echo $((hits[auth] + hits[meas] + hits[session] + hits[other])); }

# Authenticate again; if a byte a signature covers was altered on the
# way, the device must not come out authenticated (MutAuthRequested
# included: the kernel acts on it only after the signature verified).
reauth() {
	local l hit="" r
	echo re 2>/dev/null >"$dev/authenticated"
	status
	collect
	for l in "${new[@]}"; do
		[[ $l = *" signed=1 "* ]] || continue
		hit+="$l; "
		r=${l#* rsp=}
		r=${r%% *}
		signed[$r]=$((${signed[$r]:-0} + 1))
	done
	[ -n "$hit" ] || return 0
	checked=$((checked + 1))
	[ "$a" = 0 ] && return 0
	echo "authenticated ($a, session $s) after: $hit" >>"$tmp/bad"
}

keyctl padd asymmetric "" %:.cma <"$root" >/dev/null
control off
[ -e "$log" ] && seen=$(wc -l <"$log")
reauth
[ "$a" = 1 ] && [ "$s" = established ]
ok $? "$bdf authenticates with a session through the proxy, damage off"

start=$SECONDS
auth_codes=0x04,0x61,0x63,0x01,0x02,0x03

# Part 1: authentication (VERSION to CHALLENGE_AUTH), any damage
control on rate=1/2 codes=$auth_codes
quota=$((target * share_auth / 100)) stop=$((start + budget / 2))
ops=0 t0=$SECONDS
while [ "${hits[auth]}" -lt "$quota" ] && [ $SECONDS -lt $stop ]; do
	reauth
	ops=$((ops + 1))
done
echo "# authentication: ${hits[auth]} damaged responses," \
	"$ops re-authentications, $((SECONDS - t0))s"

# Part 2: the measurements read at authentication: the number of
# blocks, then (sigrsp) all of them signed, in turn
quota=$((target * share_meas / 100)) stop=$((SECONDS + budget / 5))
ops=0 t0=$SECONDS
while [ "${hits[meas]}" -lt "$quota" ] && [ $SECONDS -lt $stop ]; do
	control on rate=1 codes=0x60 $([ $((ops % 2)) = 1 ] && echo sigrsp)
	reauth
	ops=$((ops + 1))
done
echo "# measurements: ${hits[meas]} damaged responses," \
	"$ops re-authentications, $((SECONDS - t0))s"

# Part 3: the session: KEY_EXCHANGE_RSP and secured records, at the
# handshake and in HEARTBEAT and KEY_UPDATE
control on rate=1/2 codes=0x64,sec
quota=$((target * share_session / 100)) stop=$((SECONDS + budget / 5))
ops=0 t0=$SECONDS
while [ "${hits[session]}" -lt "$quota" ] && [ $SECONDS -lt $stop ]; do
	status
	if [ "$s" = established ]; then
		case $((ops % 3)) in
		0|1) echo heartbeat 2>/dev/null >"$dev/session/request" ;;
		2) echo key_update 2>/dev/null >"$dev/session/request" ;;
		esac
		collect
	else
		reauth
	fi
	ops=$((ops + 1))
done
echo "# sessions: ${hits[session]} damaged responses, $ops requests," \
	"$((SECONDS - t0))s"

# Part 4: signed bytes only (CHALLENGE_AUTH, the signed MEASUREMENTS,
# KEY_EXCHANGE_RSP)
control signed rate=1/2
ops=0 t0=$SECONDS
while [ $ops -lt "$signed_ops" ] && [ $SECONDS -lt $((start + budget)) ]; do
	reauth
	ops=$((ops + 1))
done
echo "# signed only: $ops re-authentications, $((SECONDS - t0))s"

# Make up for what the parts fell short of
control on rate=1/2 codes=$auth_codes
while [ "$(total)" -lt "$target" ] && [ $SECONDS -lt $((start + budget)) ]; do
	reauth
done
elapsed=$((SECONDS - start))

echo "# damaged responses: authentication ${hits[auth]}," \
	"measurements ${hits[meas]}, sessions ${hits[session]}," \
	"other ${hits[other]}; total $(total) in ${elapsed}s"
for k in "${!kinds[@]}"; do
	printf '%s %s, ' "$k" "${kinds[$k]}"
done | sed 's/^/# by kind: /; s/, $//'
echo
for k in "${!signed[@]}"; do
	printf 'rsp %s: %s, ' "$k" "${signed[$k]}"
done | sed 's/^/# signed bytes altered: /; s/, $//'
echo

[ ! -s "$tmp/bad" ] && [ $checked -gt 0 ]
ok $? "$checked authentications with a signed byte altered, none authenticated" ||
	diag "$tmp/bad"
[ "$(total)" -ge "$target" ]
ok $? "at least $target damaged responses ($(total))"
[ "${hits[auth]}" -gt 0 ] && [ "${hits[meas]}" -gt 0 ] && [ "${hits[session]}" -gt 0 ]
ok $? "authentication, measurements and sessions all damaged"

# The damage stops: the device authenticates again
control off
echo re 2>/dev/null >"$dev/authenticated"
status
[ "$a" = 1 ]
ok $? "authenticated again once the damage stops"
[ "$s" = established ]
ok $? "with a session ($s)"
echo heartbeat >"$dev/session/request"
ok $? "HEARTBEAT in the new session"
"$verify" --trust "$trust" measurements "$bdf" >"$tmp/out" 2>&1
ok $? "spdm-verify measurements verifies again" || diag "$tmp/out"
collect
[ ${#new[@]} = 0 ]
ok $? "nothing damaged with the damage off"

dmesg | grep -E "BUG:|WARNING:|Oops|INFO: task|KASAN:|UBSAN:|circular locking|possible recursive locking|inconsistent lock state|list_(add|del) corruption|suspected memory leak|ODEBUG:" >"$tmp/splat"
[ ! -s "$tmp/splat" ]
ok $? "no splat in the kernel log" || head -n 40 "$tmp/splat" | diag

tap_done
