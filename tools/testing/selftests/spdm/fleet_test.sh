#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Many SPDM devices at once (behind PCIe root ports), run in the guest.
#
# Usage: fleet_test.sh PLAN [DEVICES]
#
# DEVICES is spdm-vm's list of the devices, "BDF HOST:PORT OPTS" per line
# (default $SPDM_VM_RUN/devices).  PLAN has one line per device, in the
# same order:
#   EXPECT ROOT LABEL...
# EXPECT is 1 if the device must authenticate once every ROOT (a DER root
# certificate, or "-") is in the .cma keyring, 0 if it must not.  Checks
# that device I is at the BDF DEVICES gives (its NVMe serial is spdmI),
# that each device has its result from the boot-time authentication
# before the nvme driver binds to it (a device with EXPECT 1 runs the
# whole exchange and lacks only a trusted root), that re-authenticating
# every device at the same time gives each its EXPECT, and that the
# kernel log has no splat.  Output is TAP.

set -u

plan=${1:?usage: fleet_test.sh PLAN [DEVICES]}
devfile=${2:-${SPDM_VM_RUN:-}/devices}
pcidev=/sys/bus/pci/devices
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$(readlink -f "$0")")/tap.sh"

read_plan "$plan"
mapfile -t devs < <(cut -d' ' -f1 "$devfile")
ndev=${#lines[@]}
tap_plan $((2 * ndev + 5))

[ ${#devs[@]} = "$ndev" ]
ok $? "$devfile lists $ndev devices, as the plan (${#devs[@]})" ||
	tap_done

# Device I is where the devices file says (QEMU's serial is spdmI) and
# the nvme driver is bound to it.  Reads, no forks: 9p under TCG is slow.
for ((i = 0; i < ndev; i++)); do
	bdf=${devs[i]}
	read -r _ _ label <<<"${lines[i]}"
	serial=""
	for f in "$pcidev/$bdf"/nvme/nvme*/serial; do
		[ -r "$f" ] && read -r serial <"$f"
	done
	[ "$serial" = "spdm$i" ] && [ -e "/sys/bus/pci/drivers/nvme/$bdf" ]
	ok $? "$bdf device $i ($label): NVMe serial spdm$i (got ${serial:-none}), nvme driver bound"
done

# "BDF EXPECT" per device, and the BDF of a kernel log line, for awk
# (one awk over the whole log: a process costs ~0.1 s here).
for ((i = 0; i < ndev; i++)); do
	read -r expect _ <<<"${lines[i]}"
	echo "${devs[i]} $expect"
done >"$tmp/expect"
bdf_of='function bdf_of(f) {
	for (f = 1; f <= NF; f++)
		if ($f ~ /^[0-9a-f]+:[0-9a-f]+:[0-9a-f]+\.[0-7]:$/)
			return substr($f, 1, length($f) - 1)
}'

# The boot-time authentication of every device: a result before the
# driver binds; no trusted root yet, so none authenticated, and those that
# will authenticate ran the whole exchange (only the root is missing).
dmesg | awk "$bdf_of"'
	NR == FNR { want[$1] = $2; next }
	/: (Authenticated with|Not authenticated)/ {
		b = bdf_of()
		if ((b in want) && !(b in result)) result[b] = $0
	}
	/ pci function / && ($NF in want) && !($NF in bound) {
		bound[$NF] = ($NF in result)
	}
	END {
		for (b in want) {
			if (!(b in result))
				print "# " b ": no result at boot"
			else if ((b in bound) && !bound[b])
				print "# " b ": driver bound before the result"
			else if (want[b] == 1 && result[b] !~ /no trusted root/)
				print "# " b ": " result[b]
			else
				continue
			bad = 1
		}
		exit bad
	}' "$tmp/expect" -
ok $? "each device has its boot result before a driver binds, missing only the root where it will authenticate"

rc=0
for ((i = 0; i < ndev; i++)); do
	got=""
	read -r got <"$pcidev/${devs[i]}/authenticated" 2>/dev/null
	[ "$got" = 0 ] || { echo "# ${devs[i]}: authenticated reads ${got:-nothing}"; rc=1; }
done
ok $rc "no device authenticated while the .cma keyring is empty"

added=" "
for line in "${lines[@]}"; do
	read -r _ root _ <<<"$line"
	if [ "$root" != - ] && [ "${added/ $root /}" = "$added" ]; then
		keyctl padd asymmetric "" %:.cma <"$root" >/dev/null ||
			echo "# keyctl padd $root failed"
		added+="$root "
	fi
done

# All of them at once.
echo "spdm-fleet-test: re" >/dev/kmsg
t0=$(date +%s%N)
for bdf in "${devs[@]}"; do
	(echo re >"$pcidev/$bdf/authenticated") 2>/dev/null &
done
wait
t1=$(date +%s%N)
echo "# $ndev concurrent re-authentications in $(((t1 - t0) / 1000000)) ms"

for ((i = 0; i < ndev; i++)); do
	bdf=${devs[i]}
	read -r expect _ label <<<"${lines[i]}"
	got=""
	read -r got <"$pcidev/$bdf/authenticated" 2>/dev/null
	[ "$got" = "$expect" ]
	ok $? "$bdf $label: authenticated reads $expect after a concurrent re (got ${got:-nothing})"
done

# Each re logged one result per device, the right one.
dmesg | awk "$bdf_of"'
	NR == FNR { want[$1] = $2; next }
	/spdm-fleet-test: re$/ { since = 1 }
	since && /: Authenticated with SPDM/ { a[bdf_of()]++ }
	since && /: Not authenticated/ { na[bdf_of()]++ }
	END {
		for (b in want) {
			if (a[b] + na[b] == 1 && (want[b] == 1) == (a[b] == 1))
				continue
			printf "# %s: %d authenticated, %d not\n", b, a[b], na[b]
			bad = 1
		}
		exit bad
	}' "$tmp/expect" -
ok $? "the kernel logs one result per device for the concurrent re, the expected one"

dmesg | grep -E "BUG:|WARNING:|Oops|Call Trace:|UBSAN:|KASAN:|circular locking|blocked for more than|suspected memory leak" |
	diag | grep . && rc=1 || rc=0
ok $rc "no BUG/WARNING/Oops/lockdep splat in the kernel log"

tap_done
