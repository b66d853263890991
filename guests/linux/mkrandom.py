#!/usr/bin/env python3
"""Writes SIZE deterministic pseudo-random bytes: SHA-256(seed || counter) blocks, concatenated.
Usage: mkrandom.py SEED SIZE OUT"""
import hashlib, sys

seed, size, out = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3]
buf = bytearray()
i = 0
while len(buf) < size:
    buf += hashlib.sha256(seed + i.to_bytes(8, "little")).digest()
    i += 1
with open(out, "wb") as f:
    f.write(buf[:size])
