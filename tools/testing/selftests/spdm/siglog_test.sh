#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The signature log in sysfs (signatures/), run in the guest.
#
# Usage: siglog_test.sh PLAN
#
# PLAN has one line per SPDM device:
#   BDF VALID VERSION HASH ROOT LABEL...
# VALID is 1 if the device's signatures verify, 0 if they must not (a
# responder told to misbehave); VERSION and HASH are what the device
# negotiates; ROOT is its DER root certificate.  Every device's entry 0
# is checked and verified with openssl on its own, and re-verified with
# spdm-verify ($SPDM_VERIFY, default build/tools/spdm-verify); the first
# device, which must have VALID 1, also goes through re-authentication,
# netlink challenges and measurements, the max_size bound, permissions
# and removal.  A kernel that reads signed measurements at authentication
# logs a measurements entry after each challenge entry: the checks of
# challenge entries take the newest challenge entry, and the max_size
# checks follow a model of the log built from the entries seen.  Output
# is TAP.

set -u

plan=${1:?usage: siglog_test.sh PLAN}
pcidev=/sys/bus/pci/devices
top=$(cd "$(dirname "$(readlink -f "$0")")/../../../.." && pwd)
verify=${SPDM_VERIFY:-$top/build/tools/spdm-verify}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

# DER helpers (python3 standard library only)
cat >"$tmp/der.py" <<'EOF'
import hashlib, sys

def der_len(b, i):
    """Length of the DER element at b[i] and the offset of its contents."""
    n = b[i + 1]
    if n < 0x80:
        return n, i + 2
    k = n & 0x7f
    return int.from_bytes(b[i + 2:i + 2 + k], "big"), i + 2 + k

def leaf(chain, hash_len):
    """The last certificate of an SPDM chain (table 33)."""
    if int.from_bytes(chain[:2], "little") != len(chain):
        sys.exit("chain length field %d, file %d bytes" %
                 (int.from_bytes(chain[:2], "little"), len(chain)))
    i, certs = 4 + hash_len, []
    while i < len(chain):
        if chain[i] != 0x30:
            sys.exit("no DER SEQUENCE at offset %d" % i)
        n, c = der_len(chain, i)
        certs.append(chain[i:c + n])
        i = c + n
    if i != len(chain) or not certs:
        sys.exit("certificates do not fill the chain")
    return certs[-1]

def der_tlv(tag, b):
    n = len(b)
    if n < 0x80:
        return bytes([tag, n]) + b
    ln = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(ln)]) + ln + b

def der_int(x):
    b = x.lstrip(b"\0") or b"\0"
    return der_tlv(0x02, b"\0" + b if b[0] & 0x80 else b)

def sig_der(raw):
    """ECDSA r||s (P1363) to an X9.62 DER SEQUENCE."""
    h = len(raw) // 2
    return der_tlv(0x30, der_int(raw[:h]) + der_int(raw[h:]))

def prepare(d, w):
    """From entry d, write to w what openssl needs: the leaf certificate,
    the digest the device signed (1.2+: Hash(prefix || Hash(transcript));
    1.0, 1.1: Hash(transcript)) and the signature, raw and as DER."""
    rd = lambda f: open(d + "/" + f, "rb").read()
    algo = rd("hash_algorithm").decode().strip()
    h = lambda b: hashlib.new(algo, b).digest()
    wr = lambda f, b: open(w + "/" + f, "wb").write(b)
    wr("leaf.der", leaf(rd("certificate_chain"), len(h(b""))))
    prefix = rd("combined_spdm_prefix")
    th = h(rd("transcript"))
    wr("digest", h(prefix + th) if prefix else th)
    wr("sig", rd("signature"))
    wr("sig.der", sig_der(rd("signature")))

def check(d):
    """The files of entry d agree with each other and with the transcript."""
    rd = lambda f: open(d + "/" + f, "rb").read()
    txt = lambda f: rd(f).decode().strip()
    t, algo = rd("transcript"), txt("hash_algorithm")
    major, minor = map(int, txt("version").split("."))
    ver, hl = major << 4 | minor, hashlib.new(algo).digest_size
    chain, prefix = rd("certificate_chain"), rd("combined_spdm_prefix")
    errs = []
    if t[:2] != b"\x10\x84":
        errs.append("transcript does not start with GET_VERSION")
    # CHALLENGE is the last request; CHALLENGE_AUTH follows it.
    req = 44 if ver >= 0x13 else 36
    p = max((i for i in range(len(t) - req - 4, -1, -1)
             if t[i] == ver and t[i + 1] == 0x83 and
             t[i + req] == ver and t[i + req + 1] == 0x03), default=-1)
    if p < 0:
        sys.exit("%s: no CHALLENGE/CHALLENGE_AUTH in the transcript" % d)
    q = p + req
    if rd("requester_nonce") != t[p + 4:p + 36]:
        errs.append("requester_nonce is not the CHALLENGE nonce")
    if rd("responder_nonce") != t[q + 4 + hl:q + 36 + hl]:
        errs.append("responder_nonce is not the CHALLENGE_AUTH nonce")
    if t[q + 4:q + 4 + hl] != hashlib.new(algo, chain).digest():
        errs.append("CertChainHash is not the hash of certificate_chain")
    if int(txt("slot")) != t[p + 2] & 0xf or t[q + 2] & 0xf != t[p + 2] & 0xf:
        errs.append("slot differs from the CHALLENGE SlotID")
    if txt("type") != "challenge":
        errs.append("type is not challenge")
    want = b""
    if ver >= 0x12:
        ctx = b"responder-challenge_auth signing"
        want = (b"dmtf-spdm-v%d.%d.*" % (major, minor)) * 4
        want += b"\0" * (100 - len(want) - len(ctx)) + ctx
    if prefix != want:
        errs.append("combined_spdm_prefix is not the one of SPDM %d.%d" %
                    (major, minor))
    if errs:
        sys.exit("%s: %s" % (d, "; ".join(errs)))

if sys.argv[1] == "prepare":
    prepare(sys.argv[2], sys.argv[3])
elif sys.argv[1] == "check":
    check(sys.argv[2])
EOF

der() { python3 "$tmp/der.py" "$@"; }

# The files of an entry agree with each other; reasons as TAP comments
check_entry() {
	local rc
	der check "$1" >"$tmp/check.out" 2>&1
	rc=$?
	diag "$tmp/check.out"
	return $rc
}

# Check an entry's signature over its transcript as DSP0274 defines it,
# with openssl and nothing the kernel computed.  RSA is RSASSA-PKCS1-v1_5.
verify_entry() {
	local d=$1 w=$tmp/verify algo
	rm -rf "$w" && mkdir -p "$w"
	algo=$(cat "$d/hash_algorithm")
	der prepare "$d" "$w" || return 1
	openssl x509 -inform DER -in "$w/leaf.der" -noout -pubkey -text \
		>"$w/leaf.txt" || return 1
	sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$w/leaf.txt" >"$w/leaf.pem"
	if grep -q 'Public Key Algorithm: rsaEncryption' "$w/leaf.txt"; then
		openssl pkeyutl -verify -pubin -inkey "$w/leaf.pem" \
			-in "$w/digest" -sigfile "$w/sig" \
			-pkeyopt "digest:$algo" >/dev/null 2>&1
	else
		openssl pkeyutl -verify -pubin -inkey "$w/leaf.pem" \
			-in "$w/digest" -sigfile "$w/sig.der" >/dev/null 2>&1
	fi
}

entries() {
	local e
	for e in "$1"/signatures/[0-9]*; do
		[ -d "$e" ] && echo "${e##*/}"
	done | sort -n
}
newest() { entries "$1" | tail -1; }

# The newest entry of type TYPE (challenge, measurements)
newest_of() {
	local e last=
	for e in $(entries "$1"); do
		[ "$(cat "$1/signatures/$e/type" 2>/dev/null)" = "$2" ] && last=$e
	done
	echo "$last"
}

# spdm-verify verify-log ENTRY [ARGS...]: 0 on PASS, output as comments
verify_log() {
	local d=$1 rc
	shift
	"$verify" verify-log "$d" "$@" >"$tmp/sv.out" 2>&1
	rc=$?
	[ $rc = 0 ] || diag "$tmp/sv.out"
	return $rc
}

have_verify() { [ -x "$verify" ]; }

# A model of the log: "SEQ:SIZE" of each entry, oldest first, and the
# trimming of sig-log.c (drop the oldest while over max_size, keep one).
model=()
model_trim() {
	local total=0 m
	for m in "${model[@]}"; do total=$((total + ${m#*:})); done
	while [ "$total" -gt "$1" ] && [ ${#model[@]} -gt 1 ]; do
		total=$((total - ${model[0]#*:}))
		model=("${model[@]:1}")
	done
}
# One "echo re" in the model: the entries an authentication adds
model_re() {
	local s
	for s in "${re_sizes[@]}"; do
		model+=("$next_seq:$s")
		next_seq=$((next_seq + 1))
		model_trim "$1"
	done
}
model_seqs() {
	local m
	for m in "${model[@]}"; do echo "${m%%:*}"; done | xargs
}

# Bytes an entry counts for in max_size: its binary files
entry_size() {
	cat "$1"/{transcript,signature,requester_nonce,responder_nonce} \
		"$1"/{combined_spdm_prefix,certificate_chain} | wc -c
}

entry_sums() {
	(cd "$1" && for f in *; do printf '%s ' "$f"; sha256sum <"$f"; done)
}

files="transcript signature requester_nonce responder_nonce
       combined_spdm_prefix hash_algorithm slot type version
       signature_valid certificate_chain"

read_plan "$plan"
tap_plan $((5 * ${#lines[@]} + 22))

rc=0
for dev in "$pcidev"/*; do
	if grep -q "^${dev##*/} " "$plan"; then
		[ -d "$dev/signatures" ] && [ -f "$dev/signatures/max_size" ] ||
			rc=1
	else
		[ -e "$dev/signatures" ] && rc=1
	fi
done
ok $rc "signatures/ exists on SPDM devices only"

for line in "${lines[@]}"; do
	read -r bdf valid version hash root label <<<"$line"
	d=$pcidev/$bdf/signatures/0

	rc=0
	for f in $files; do
		[ -f "$d/$f" ] || { echo "# $d/$f missing"; rc=1; }
	done
	ok $rc "$bdf $label: entry 0 from enumeration has all files"

	check_entry "$d"
	ok $? "$bdf $label: entry 0 nonces, CertChainHash and prefix agree with the transcript"

	got="$(cat "$d/version") $(cat "$d/hash_algorithm")"
	got+=" $(cat "$d/slot") $(cat "$d/signature_valid")"
	t="$bdf $label: version, hash_algorithm, slot, signature_valid"
	[ "$got" = "$version $hash 0 $valid" ]
	ok $? "$t read '$version $hash 0 $valid' (got '$got')"

	if [ "$valid" = 1 ]; then
		verify_entry "$d"
		ok $? "$bdf $label: openssl verifies entry 0 on its own"
	else
		! verify_entry "$d"
		ok $? "$bdf $label: openssl rejects entry 0 as the kernel did"
	fi

	t="$bdf $label: spdm-verify re-verifies entry 0"
	if ! have_verify; then
		skip "$t" "no $verify"
	elif [ "$valid" = 1 ]; then
		verify_log "$d" --trust "$root"
		ok $? "$t"
	else
		verify_log "$d" --trust "$root"
		[ $? = 1 ] && grep -q "^spdm-verify: FAIL signature" "$tmp/sv.out"
		ok $? "$t: FAIL signature, as the kernel found"
	fi
done

# The first device goes through the rest.
read -r bdf valid version hash root label <<<"${lines[0]}"
dev=$pcidev/$bdf
sig=$dev/signatures
keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
	echo "# keyctl padd $root failed"

[ "$(cat "$sig/max_size")" = 1048576 ]
ok $? "$bdf: max_size is 1 MiB by default"

entry_sums "$sig/0" >"$tmp/sums0"
before=$(newest "$dev")
echo re >"$dev/authenticated"
after=$(newest "$dev")
[ "$after" -gt "$before" ] && [ -d "$sig/0" ]
ok $? "$bdf: echo re adds entry $after after $before, entry 0 stays"

# What one authentication adds to the log: the sizes of its entries
re_sizes=()
for e in $(entries "$dev"); do
	[ "$e" -gt "$before" ] && re_sizes+=("$(entry_size "$sig/$e")")
done
echo "# one authentication adds ${#re_sizes[@]} entries of ${re_sizes[*]} bytes"

entry_sums "$sig/0" | cmp -s - "$tmp/sums0"
ok $? "$bdf: entry 0 did not change"

d=$sig/$(newest_of "$dev" challenge)
[ "${d##*/}" -gt "$before" ] && check_entry "$d" && verify_entry "$d" &&
	[ "$(cat "$d/signature_valid")" = 1 ] &&
	! cmp -s "$d/requester_nonce" "$sig/0/requester_nonce"
ok $? "$bdf: the new entry verifies on its own, with a fresh nonce"

rc=0
echo x 2>/dev/null >"$sig/new" && rc=1
echo x 2>/dev/null >"$sig/0/new" && rc=1
echo x 2>/dev/null >"$sig/0/transcript" && rc=1
echo x 2>/dev/null >"$sig/0/slot" && rc=1
entry_sums "$sig/0" | cmp -s - "$tmp/sums0" || rc=1
ok $rc "$bdf: entry files cannot be written or added"

# A verifier's nonce over netlink lands in the log as well.
ynl=$top/build/linux/tools/net/ynl/pyynl/cli.py
spec=$top/Documentation/netlink/specs/spdm.yaml
nonce=$(head -c 32 /dev/urandom | xxd -p -c 32)
if [ -f "$ynl" ] && python3 -c 'import yaml' 2>/dev/null; then
	before=$(newest "$dev")
	python3 "$ynl" --spec "$spec" --no-schema --do challenge \
		--json "{\"dev-name\": \"$bdf\", \"nonce\": \"$nonce\"}" \
		>/dev/null 2>"$tmp/ynl.err" || diag "$tmp/ynl.err"
	after=$(newest_of "$dev" challenge)
	d=$sig/$after
	[ "$after" -gt "$before" ] &&
		[ "$(xxd -p -c 32 "$d/requester_nonce")" = "$nonce" ] &&
		check_entry "$d" && verify_entry "$d"
	ok $? "$bdf: a netlink challenge is logged with the verifier's nonce"
else
	skip "$bdf: a netlink challenge is logged with the verifier's nonce" \
		"no $ynl or python3-yaml"
fi

# The verifier on the log: our own nonce, every entry, measurements.
t="$bdf: a challenge over our nonce is logged and re-verifies with it"
nonce=$(head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
if have_verify; then
	"$verify" --trust "$root" --nonce "$nonce" --quiet challenge "$bdf" \
		>"$tmp/sv.out" 2>&1 || diag "$tmp/sv.out"
	d=$sig/$(newest_of "$dev" challenge)
	[ "$(od -An -v -tx1 "$d/requester_nonce" | tr -d ' \n')" = "$nonce" ] &&
		verify_log "$d" --trust "$root" --nonce "$nonce"
	ok $? "$t"
else
	skip "$t" "no $verify"
fi

t="$bdf: signed measurements are logged and re-verify with our nonce"
if ! have_verify; then
	skip "$t" "no $verify"
elif "$verify" --trust "$root" --nonce "$nonce" measurements "$bdf" \
		>"$tmp/sv.out" 2>&1; then
	d=$sig/$(newest "$dev")
	[ "$(cat "$d/type")" = measurements ] &&
		verify_log "$d" --trust "$root" --nonce "$nonce"
	ok $? "$t"
elif grep -q "Operation not supported" "$tmp/sv.out"; then
	skip "$t" "$(sed -n 's/.*Operation not supported: //p' "$tmp/sv.out" | head -1)"
else
	diag "$tmp/sv.out"
	ok 1 "$t"
fi

t="$bdf: spdm-verify re-verifies every entry of the log"
if have_verify; then
	verify_log "$sig" --trust "$root"
	ok $? "$t ($(grep -c '^verdict: PASS' "$tmp/sv.out") entries)"
else
	skip "$t" "no $verify"
fi

# Bounded: the newest entry always stays.
newest_before=$(newest "$dev")
echo 1 >"$sig/max_size"
[ "$(entries "$dev")" = "$newest_before" ] &&
	[ "$(cat "$sig/max_size")" = 1 ]
ok $? "$bdf: max_size 1 trims the log to the newest entry ($(entries "$dev" | xargs))"

rc=0 last=$newest_before
for i in 1 2 3; do
	echo re >"$dev/authenticated"
	got=$(entries "$dev")
	[ "$(echo "$got" | wc -l)" = 1 ] && [ "$got" -gt "$last" ] || rc=1
	last=$got
done
ok $rc "$bdf: each re under max_size 1 keeps exactly the new entry ($last)"

# From here the log follows the model: it holds entry $last, the next
# authentication's entries follow it.
model=("$last:$(entry_size "$sig/$last")")
next_seq=$((last + 1))
size=${re_sizes[0]}

max=$((size * 7 / 2))
echo $max >"$sig/max_size"
model_trim $max
for i in 1 2 3 4; do echo re >"$dev/authenticated"; model_re $max; done
got=$(entries "$dev" | xargs)
[ "$got" = "$(model_seqs)" ]
ok $? "$bdf: max_size of 3.5 entries keeps the newest that fit: $got (expected $(model_seqs))"

max=$((size * 2))
echo $max >"$sig/max_size"
model_trim $max
got=$(entries "$dev" | xargs)
[ "$got" = "$(model_seqs)" ]
ok $? "$bdf: lowering max_size to 2 entries trims at once: $got (expected $(model_seqs))"

max=$((10 << 20))
echo $max >"$sig/max_size"
for i in 1 2 3; do echo re >"$dev/authenticated"; model_re $max; done
got=$(entries "$dev" | xargs)
[ "$got" = "$(model_seqs)" ] && [ "$(echo "$got" | wc -w)" -ge 5 ]
ok $? "$bdf: with a large max_size entries accumulate: $got (expected $(model_seqs))"

total=0
for e in $(entries "$dev"); do total=$((total + $(entry_size "$sig/$e"))); done
echo $((total - 1)) >"$sig/max_size"
model_trim $((total - 1))
got=$(entries "$dev" | xargs)
[ "$got" = "$(model_seqs)" ] && [ "${model[0]%%:*}" = "$(entries "$dev" | head -1)" ]
ok $? "$bdf: one byte over max_size drops exactly the oldest entry: $got (expected $(model_seqs))"

echo $((10 << 20)) >"$sig/max_size"
rc=0
for v in abc -1 "" 99999999999999999999999; do
	echo "$v" 2>/dev/null >"$sig/max_size" && { echo "# accepted '$v'"; rc=1; }
done
[ "$(cat "$sig/max_size")" = $((10 << 20)) ] || rc=1
ok $rc "$bdf: max_size rejects what is not a size"

rc=0
[ "$(stat -c %a "$sig/max_size")" = 644 ] || rc=1
setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c "echo 1 > $sig/max_size" 2>/dev/null && rc=1
[ "$(cat "$sig/max_size")" = $((10 << 20)) ] || rc=1
[ "$(entries "$dev" | wc -l)" = ${#model[@]} ] || rc=1
setpriv --reuid=65534 --regid=65534 --clear-groups \
	cat "$sig/$(newest "$dev")/transcript" >/dev/null || rc=1
ok $rc "$bdf: an unprivileged user cannot write max_size, but reads entries"

# Readers of the log while it changes under them.
(
	end=$((SECONDS + 30))
	while [ -e "$tmp/stress" ] && [ $SECONDS -lt $end ]; do
		cat "$sig"/*/* >/dev/null 2>&1
	done
) &
reader=$!
touch "$tmp/stress"
rc=0
for i in 1 2 3 4 5 6; do
	echo $((i % 2 ? 1 : 10 << 20)) >"$sig/max_size" || rc=1
	echo re >"$dev/authenticated" || rc=1
done
rm -f "$tmp/stress"
wait "$reader"
d=$sig/$(newest_of "$dev" challenge)
check_entry "$d" && verify_entry "$d" || rc=1
ok $rc "$bdf: re and max_size changes while the log is read"

# Removal: an open entry file stops reading, nothing is left behind.
last=$(newest "$dev")
exec 3<"$sig/$last/transcript"
echo 1 >"$dev/remove"
rc=0
[ -e "$dev" ] && rc=1
cat <&3 >/dev/null 2>&1 && { echo "# read after removal succeeded"; rc=1; }
exec 3<&-
ok $rc "$bdf: removing the device removes its log, open files fail"

echo 1 >/sys/bus/pci/rescan
# authentication runs in the background; reading the result waits for it
cat "$dev/authenticated" >/dev/null 2>&1
rc=0
[ -d "$sig/0" ] || rc=1
check_entry "$sig/0" && verify_entry "$sig/0" || rc=1
[ "$(cat "$sig/max_size" 2>/dev/null)" = 1048576 ] || rc=1
ok $rc "$bdf: after rescan the new device logs its enumeration as entry 0"

dmesg | grep -E -e "BUG:|WARNING:|UBSAN:|KASAN:|circular locking|suspected memory leak" \
	-e "Signature not logged|signature log" |
	diag | grep . && rc=1 || rc=0
ok $rc "no KASAN/UBSAN/lockdep/WARN reports in the kernel log"

tap_done
