import struct
from fractions import Fraction as Fr
def s(x):
    b = struct.unpack('<I', struct.pack('<f', x))[0]
    assert struct.unpack('<f', struct.pack('<I', b))[0] == x or x != x, x
    return b
def d(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]
# single-precision patterns
S_PZERO, S_NZERO = 0x00000000, 0x80000000
S_ONE, S_MONE = 0x3f800000, 0xbf800000
S_INF, S_NINF = 0x7f800000, 0xff800000
S_QNAN = 0x7fc00000            # canonical
S_QNANP = 0x7fc12345           # quiet NaN with a payload
S_NQNANP = 0xffc54321          # negative quiet NaN with payload
S_SNAN = 0x7f800001
S_SNANP = 0x7fa00005
S_NSNAN = 0xff800123
S_MAX, S_NMAX = 0x7f7fffff, 0xff7fffff
S_MINN = 0x00800000            # 2^-126
S_MINS = 0x00000001            # 2^-149
S_MAXS = 0x007fffff
S_1P = 0x3f800001              # 1 + 2^-23
S_1M = 0x3f7ffffe              # 1 - 2^-23
S_1MH = 0x3f7fffff             # 1 - 2^-24
# double-precision patterns
D_PZERO, D_NZERO = 0, 0x8000000000000000
D_ONE, D_MONE = 0x3ff0000000000000, 0xbff0000000000000
D_INF, D_NINF = 0x7ff0000000000000, 0xfff0000000000000
D_QNAN = 0x7ff8000000000000
D_QNANP = 0x7ff8000000012345
D_NQNANP = 0xfff8000000054321
D_SNAN = 0x7ff0000000000001
D_SNANP = 0x7ff4000000000abc
D_NSNAN = 0xfff0000000000123
D_MAX, D_NMAX = 0x7fefffffffffffff, 0xffefffffffffffff
D_MINN = 0x0010000000000000
D_MINS = 0x0000000000000001
D_MAXS = 0x000fffffffffffff
D_1P = 0x3ff0000000000001
D_1M = 0x3feffffffffffffe
D_1MH = 0x3fefffffffffffff
