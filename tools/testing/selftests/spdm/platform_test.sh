#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Platform evidence, run in a guest with a TPM 2.0: the kernel's SPDM
# event log in securityfs, measured into a PCR, a TPM quote over that PCR
# with our nonce, and spdm-verify platform tying the quote, the log and
# evidence bundles together; then each attack on that chain must be
# detected and named.
#
# Usage: platform_test.sh [--no-tpm | --overflow] ROOT DEV [NOSIG [PQROOT PQDEV]]
#
# ROOT (DER, a .pem beside it) goes into the .cma keyring; DEV is an
# SPDM 1.2+ device with signed measurements and sessions; NOSIG, if
# given (or empty), a device that cannot sign its measurements; PQDEV an
# SPDM 1.4 device with an ML-DSA chain under PQROOT.  --no-tpm: the
# guest has no TPM; authentication works as before, events are logged,
# one line says nothing is measured.  --overflow: the guest's
# spdm.tcg_log_max_size is a few KiB; the log fills up, takes no more
# events, counts them, and still replays to the PCR.  Output is TAP.

set -u

mode=
case "${1:-}" in --no-tpm|--overflow) mode=${1#--}; shift ;; esac
root=${1:?usage: platform_test.sh [--no-tpm | --overflow] ROOT DEV [NOSIG]}
dev=${2:?}
nosig=${3:-}
pq_root=${4:-}
pq_dev=${5:-}
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
here=$(dirname "$(readlink -f "$0")")
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
edit="python3 $here/tcg_log_edit.py"
pcr=${SPDM_TPM_PCR:-13}
sec=/sys/kernel/security/spdm
trust=${root%.der}.pem
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TPM2TOOLS_TCTI=device:/dev/tpmrm0

. "$here/tap.sh"

keyctl padd asymmetric "" %:.cma <"$root" >/dev/null
[ -z "$pq_dev" ] || keyctl padd asymmetric "" %:.cma <"$pq_root" >/dev/null

if [ "$mode" = no-tpm ]; then
	tap_plan 3
	[ ! -e /dev/tpm0 ] &&
		[ "$(dmesg | grep -c "No TPM: SPDM events are logged, not measured")" = 1 ]
	ok $? "no TPM: one line says SPDM events are not measured"
	echo re >"$pcidev/$dev/authenticated" &&
		[ "$(cat "$pcidev/$dev/authenticated")" = 1 ]
	ok $? "no TPM: the device authenticates as before"
	grep -q " $dev authentication auth_state=0 result=0 " \
		$sec/ascii_event_log
	ok $? "no TPM: the events are logged all the same"
	tap_done
fi

# make_ak: a restricted signing key in the TPM, $tmp/ak.{ctx,pem}
make_ak() {
	{ tpm2_createprimary -C o -G ecc -c "$tmp/prim.ctx" &&
	  tpm2_create -C "$tmp/prim.ctx" -G ecc256:ecdsa-sha256:null \
		-a "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|restricted|sign" \
		-u "$tmp/ak.pub" -r "$tmp/ak.priv" &&
	  tpm2_load -C "$tmp/prim.ctx" -u "$tmp/ak.pub" -r "$tmp/ak.priv" \
		-c "$tmp/ak.ctx" &&
	  tpm2_readpublic -c "$tmp/ak.ctx" -f pem -o "$tmp/ak.pem"; } \
		>"$tmp/out" 2>&1
}

# quote NAME [PCRS]: a quote over PCRS (sha256:$pcr) with a fresh nonce
# in $tmp/NAME.{msg,sig,nonce}, the log as it is then in $tmp/NAME.log
quote() {
	head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$tmp/$1.nonce"
	cp $sec/binary_event_log "$tmp/$1.log"
	tpm2_quote -c "$tmp/ak.ctx" -l "${2:-sha256:$pcr}" \
		-q "$(cat "$tmp/$1.nonce")" -m "$tmp/$1.msg" -s "$tmp/$1.sig" \
		-g sha256 >"$tmp/out" 2>&1
}

# platform NAME [LOG [NONCE]] BUNDLE...: spdm-verify platform on quote
# NAME; output in $tmp/out, status returned
platform() {
	local name=$1 log=$tmp/$1.log nonce
	nonce=$(cat "$tmp/$1.nonce")
	shift
	case "${1:-}" in *.log|*.bin) log=$1; shift ;; esac
	case "${1:-}" in nonce=*) nonce=${1#nonce=}; shift ;; esac
	"$verify" platform --quote "$tmp/$name.msg" --quote-sig "$tmp/$name.sig" \
		--quote-nonce "$nonce" --ak "$tmp/ak.pem" --event-log "$log" \
		--pcr "$pcr" -t "$trust" ${pq_dev:+-t "${pq_root%.der}.pem"} \
		"$@" >"$tmp/out" 2>&1
}

# A device's events of one re-authentication, in $new
reauth_events() {
	local before after
	before=$(wc -l <$sec/ascii_event_log)
	echo re >"$pcidev/$1/authenticated"
	after=$(wc -l <$sec/ascii_event_log)
	new=$(tail -n $((after - before)) $sec/ascii_event_log)
	return $((after - before == 0))
}

if [ "$mode" = overflow ]; then
	tap_plan 4
	for ((i = 1; i <= 100; i++)); do
		echo re >"$pcidev/$dev/authenticated"
		[ "$(cat $sec/not_logged)" != 0 ] && break
	done
	[ "$(dmesg | grep -c "SPDM event log full")" = 1 ]
	ok $? "the log filled up after $i re-authentications; one line says later events are neither logged nor measured"
	size=$(wc -c <$sec/binary_event_log)
	left=$(cat $sec/not_logged)
	echo re >"$pcidev/$dev/authenticated"
	[ "$(cat "$pcidev/$dev/authenticated")" = 1 ]
	ok $? "authentication goes on with a full log"
	[ "$(wc -c <$sec/binary_event_log)" = "$size" ] &&
		[ "$(cat $sec/not_logged)" -ge $((left + 3)) ]
	ok $? "a full log takes no more events and counts them (not_logged $left, then $(cat $sec/not_logged); log $size bytes)"
	make_ak && quote full && platform full
	ok $? "the full log still replays to the quoted PCR $pcr" || diag "$tmp/out"
	tap_done
fi

tap_plan $((22 + (${#nosig} > 0) + (${#pq_dev} > 0)))

# -- The log -------------------------------------------------------------
[ -r $sec/binary_event_log ] && [ -c /dev/tpmrm0 ]
ok $? "securityfs has the SPDM event log, the guest a TPM" || {
	ls -l $sec /dev/tpm* 2>&1 | diag; tap_done; }
dmesg | grep -q "SPDM events are measured into TPM PCR $pcr"
ok $? "the kernel measures SPDM events into PCR $pcr"

reauth_events "$dev" &&
	echo "$new" | grep -q " $dev authentication auth_state=0 result=0 " &&
	echo "$new" | grep -q " $dev measurements auth_state=0 " &&
	echo "$new" | grep -q " $dev session auth_state=0 .* session="
ok $? "an authentication adds its result, measurements and session ($(echo "$new" | wc -l) events)" ||
	echo "$new" | diag
if [ -n "$nosig" ]; then
	reauth_events "$nosig" &&
		echo "$new" | grep -qE " $nosig measurements auth_state=3 result=0$"
	ok $? "$nosig cannot sign: its measurements are an event with AuthState 3 naming no signature" ||
		echo "$new" | diag
fi

# -- An attestation key, evidence bundles, a quote -----------------------
make_ak
ok $? "an attestation key in the TPM" || diag "$tmp/out"

bundles=()
for op in challenge measurements session; do
	"$verify" "$op" "$dev" -t "$trust" -q -o "$tmp/$op.json"
	bundles+=("$tmp/$op.json")
done
[ -s "$tmp/challenge.json" ] && [ -s "$tmp/measurements.json" ] &&
	[ -s "$tmp/session.json" ]
ok $? "evidence bundles of a challenge, measurements and a session"

quote q1
ok $? "a TPM quote over PCR $pcr with our nonce" || diag "$tmp/out"

platform q1 "${bundles[@]}"
rc=$?
[ $rc = 0 ] && [ "$(grep -c '^chain: ' "$tmp/out")" = 3 ]
ok $? "spdm-verify platform: quote, log and three bundles verify" || diag "$tmp/out"
grep -q "^chain: nonce [0-9a-f]* -> session 0x[0-9a-f]* -> device $dev (PCI " "$tmp/out"
ok $? "the session's chain reads nonce -> session -> device -> platform" ||
	grep "^chain" "$tmp/out" | diag

platform q1 --json "${bundles[@]}"
grep -q '"ok": *true' "$tmp/out" && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] and len(d["chains"]) == 3' "$tmp/out"
ok $? "--json: one object, three chains"

# An ML-DSA-87 device's session: 4627-byte signature, 23 KiB chain
if [ -n "$pq_dev" ]; then
	echo re >"$pcidev/$pq_dev/authenticated"
	"$verify" session "$pq_dev" -t "${pq_root%.der}.pem" -q \
		-o "$tmp/pq.json" >"$tmp/out" 2>&1 && quote q3 &&
		platform q3 "$tmp/pq.json" &&
		grep -q "^chain: nonce [0-9a-f]* -> session 0x[0-9a-f]* -> device $pq_dev (PCI " "$tmp/out"
	ok $? "an ML-DSA device's session is tied to the quote like any other" ||
		diag "$tmp/out"
fi

# -- Attacks, each detected and named ------------------------------------
# expect NAME CHECK [platform args]: fails, naming CHECK
expect() {
	local what=$1 check=$2
	shift 2
	platform "$@"
	rc=$?
	[ $rc = 1 ] && grep -q "^FAIL $check" "$tmp/out"
	ok $? "$what: detected ($check)" || diag "$tmp/out"
}

n_ev=$($edit "$tmp/q1.log" /dev/null count)
last=$((n_ev - 1))
$edit "$tmp/q1.log" "$tmp/alter.log" alter $last
expect "an event altered" "log-digests" q1 "$tmp/alter.log" "${bundles[@]}"
$edit "$tmp/q1.log" "$tmp/rehash.log" alter-rehash $last
expect "an event altered, its digests recomputed" "log-replay" q1 "$tmp/rehash.log" "${bundles[@]}"
$edit "$tmp/q1.log" "$tmp/remove.log" remove 0
expect "an event removed" "log-replay" q1 "$tmp/remove.log" "${bundles[@]}"
$edit "$tmp/q1.log" "$tmp/swap.log" swap 0 1
expect "two events reordered" "log-replay" q1 "$tmp/swap.log" "${bundles[@]}"
$edit "$tmp/q1.log" "$tmp/add.log" add 0
expect "an event added" "log-replay" q1 "$tmp/add.log" "${bundles[@]}"
expect "a quote over another nonce" "quote-nonce" q1 \
	nonce="$(new_nonce)" "${bundles[@]}"

quote q12 "sha256:12"
expect "a quote over another PCR" "quote-pcrs" q12 "${bundles[@]}"

# A signature after the quote: its bundle has no event in the quoted log
"$verify" challenge "$dev" -t "$trust" -q -o "$tmp/late.json"
platform q1 "$tmp/late.json"
[ $? = 1 ] && grep -q "^FAIL event: no event of the log names this transcript" "$tmp/out"
ok $? "a bundle with no event in the quoted log: detected" || diag "$tmp/out"

# The quote's signature: another AK, or a damaged one
cp "$tmp/q1.sig" "$tmp/bad.sig"
printf '\xff' | dd of="$tmp/bad.sig" bs=1 seek=20 conv=notrunc 2>/dev/null
cp "$tmp/q1.msg" "$tmp/bad.msg"; cp "$tmp/q1.nonce" "$tmp/bad.nonce"
cp "$tmp/q1.log" "$tmp/bad.log"
expect "a damaged quote signature" "quote-signature" bad "${bundles[@]}"

# The PCR extended behind the log's back (last: it stays so)
tpm2_pcrextend "$pcr:sha256=$(printf '%064d' 0)" >/dev/null 2>&1
quote q2
expect "the PCR extended behind the log's back" "log-replay" q2 "${bundles[@]}"

# -- The log's rules -----------------------------------------------------
[ "$(cat $sec/not_logged)" = 0 ]
ok $? "no event left out (not_logged 0)"
tpm2_eventlog $sec/binary_event_log >"$tmp/out" 2>&1
ok $? "tpm2_eventlog reads the log" || tail -5 "$tmp/out" | diag

dmesg | grep -E "BUG:|WARNING:|Oops|KASAN:|UBSAN:" >"$tmp/splat"
[ ! -s "$tmp/splat" ]
ok $? "no splat in the kernel log" || diag "$tmp/splat"

tap_done
