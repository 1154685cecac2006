#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Damage a TCG crypto-agile event log the way an attacker would, for the
# platform tests:
#
#   tcg_log_edit.py IN OUT count          number of events (no header)
#   tcg_log_edit.py IN OUT alter N        flip a byte of event N's data
#   tcg_log_edit.py IN OUT alter-rehash N the same, digests recomputed
#   tcg_log_edit.py IN OUT remove N       drop event N
#   tcg_log_edit.py IN OUT swap N M       exchange events N and M
#   tcg_log_edit.py IN OUT add N          insert a copy of event N at the end
#
# Events are numbered from 0 after the Spec ID header.

import hashlib
import struct
import sys

HASHES = {0x0004: 'sha1', 0x000b: 'sha256', 0x000c: 'sha384',
          0x000d: 'sha512'}


def parse(buf):
    size = struct.unpack_from('<I', buf, 28)[0]
    spec = buf[32:32 + size]
    n = struct.unpack_from('<I', spec, 24)[0]
    banks = [struct.unpack_from('<HH', spec, 28 + 4 * i) for i in range(n)]
    header, off, events = buf[:32 + size], 32 + size, []
    while off < len(buf):
        start = off + 12
        for _, dsize in banks:
            start += 2 + dsize
        dlen = struct.unpack_from('<I', buf, start)[0]
        end = start + 4 + dlen
        events.append(buf[off:end])
        off = end
    return header, banks, events


def rehash(ev, banks):
    pcr, etype, count = struct.unpack_from('<III', ev, 0)
    off = 12
    for _, dsize in banks:
        off += 2 + dsize
    data = ev[off + 4:]
    out = bytearray(struct.pack('<III', pcr, etype, count))
    for alg, _ in banks:
        out += struct.pack('<H', alg) + hashlib.new(HASHES[alg], data).digest()
    return bytes(out) + ev[off:]


def main():
    src, dst, op = sys.argv[1:4]
    args = [int(a) for a in sys.argv[4:]]
    with open(src, 'rb') as f:
        header, banks, events = parse(f.read())
    if op == 'count':
        print(len(events))
        return
    if op in ('alter', 'alter-rehash'):
        ev = bytearray(events[args[0]])
        ev[-40] ^= 0x01
        events[args[0]] = rehash(bytes(ev), banks) if op == 'alter-rehash' \
            else bytes(ev)
    elif op == 'remove':
        del events[args[0]]
    elif op == 'swap':
        a, b = args
        events[a], events[b] = events[b], events[a]
    elif op == 'add':
        events.append(events[args[0]])
    else:
        sys.exit('unknown operation ' + op)
    with open(dst, 'wb') as f:
        f.write(header + b''.join(events))


main()
