"""Reference model of RISC-V F/D semantics (unpriv f-st-ext.adoc / d-st-ext.adoc), built on
exact rational arithmetic: every result is the exact value rounded once, tininess detected
after rounding, canonical NaNs, RISC-V-specific min/max, conversion saturation."""
from fractions import Fraction as Fr
import math

NV, DZ, OF, UF, NX = 0x10, 0x08, 0x04, 0x02, 0x01
RNE, RTZ, RDN, RUP, RMM = 0, 1, 2, 3, 4
RM_NAMES = ['rne', 'rtz', 'rdn', 'rup', 'rmm']

class Fmt:
    def __init__(s, name, e, m):
        s.name, s.e, s.m = name, e, m
        s.bias = (1 << (e - 1)) - 1
        s.emin = 1 - s.bias
        s.emax = s.bias
        s.width = 1 + e + m
        s.expmask = (1 << e) - 1
        s.cnan = (s.expmask << m) | (1 << (m - 1))
        s.maxf = (2 - Fr(1, 1 << m)) * Fr(2) ** s.emax
S = Fmt('s', 8, 23)
D = Fmt('d', 11, 52)

def p2(k): return Fr(2) ** k

def decode(f, bits):
    sign = bits >> (f.width - 1) & 1
    ex = bits >> f.m & f.expmask
    man = bits & ((1 << f.m) - 1)
    if ex == f.expmask:
        if man == 0: return ('inf', sign)
        return ('nan', sign, not (man >> (f.m - 1)))   # (kind, sign, is_signalling)
    if ex == 0:
        v = Fr(man) * p2(f.emin - f.m)
    else:
        v = Fr(man + (1 << f.m)) * p2(ex - f.bias - f.m)
    return ('num', sign, v)

def isnan(x): return x[0] == 'nan'
def issnan(x): return x[0] == 'nan' and x[2]

def enc_zero(f, sign): return sign << (f.width - 1)
def enc_inf(f, sign): return (sign << (f.width - 1)) | (f.expmask << f.m)
def enc_max(f, sign): return (sign << (f.width - 1)) | ((f.expmask - 1) << f.m) | ((1 << f.m) - 1)

def floor_log2(a):
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if p2(e) > a: e -= 1
    if p2(e + 1) <= a: e += 1
    return e

def rnd_int(x, rm, sign):
    """round x >= 0 (magnitude; `sign` is the sign of the real value) to an integer"""
    fl = math.floor(x); r = x - fl
    if r == 0: return fl, False
    if rm == RNE: up = r > Fr(1, 2) or (r == Fr(1, 2) and fl % 2 == 1)
    elif rm == RTZ: up = False
    elif rm == RDN: up = bool(sign)
    elif rm == RUP: up = not sign
    elif rm == RMM: up = r >= Fr(1, 2)
    else: raise ValueError(rm)
    return fl + (1 if up else 0), True

def encode_exact(f, sign, val):
    """val >= 0 representable in f"""
    if val == 0: return enc_zero(f, sign)
    if val >= p2(f.emin):
        E = floor_log2(val)
        man = val / p2(E - f.m)
        assert man.denominator == 1
        return (sign << (f.width - 1)) | ((E + f.bias) << f.m) | (int(man) - (1 << f.m))
    man = val / p2(f.emin - f.m)
    assert man.denominator == 1
    return (sign << (f.width - 1)) | int(man)

def round_value(f, sign, a, rm):
    """round the exact nonzero magnitude a with sign; returns (bits, flags)"""
    assert a > 0
    e = floor_log2(a)
    q = e - f.m
    mu, _ = rnd_int(a / p2(q), rm, sign)
    tiny = mu * p2(q) < p2(f.emin)          # tininess after rounding (f-st-ext "Subnormal Arithmetic")
    qb = max(e, f.emin) - f.m
    mb, inexact = rnd_int(a / p2(qb), rm, sign)
    val = mb * p2(qb)
    if val > f.maxf:
        toinf = rm in (RNE, RMM) or (rm == RUP and not sign) or (rm == RDN and sign)
        return (enc_inf(f, sign) if toinf else enc_max(f, sign)), OF | NX
    flags = 0
    if inexact:
        flags |= NX
        if tiny: flags |= UF
    return encode_exact(f, sign, val), flags

def signed_value(x):
    return -x[2] if x[1] else x[2]

def round_signed(f, v, rm, zero_sign):
    """round exact rational v; zero_sign is used when v == 0 exactly"""
    if v == 0: return enc_zero(f, zero_sign), 0
    return round_value(f, 1 if v < 0 else 0, abs(v), rm)

def nan_result(f, *xs, invalid=False):
    fl = NV if invalid or any(issnan(x) for x in xs) else 0
    return f.cnan, fl

def add(f, a, b, rm, negb=False):
    x, y = decode(f, a), decode(f, b)
    if negb and not isnan(y): y = (y[0], y[1] ^ 1) + y[2:]
    if isnan(x) or isnan(y): return nan_result(f, x, y)
    if x[0] == 'inf' and y[0] == 'inf':
        if x[1] != y[1]: return f.cnan, NV
        return enc_inf(f, x[1]), 0
    if x[0] == 'inf': return enc_inf(f, x[1]), 0
    if y[0] == 'inf': return enc_inf(f, y[1]), 0
    v = signed_value(x) + signed_value(y)
    if v == 0:
        if x[2] == 0 and y[2] == 0 and x[1] == y[1]: zs = x[1]
        else: zs = 1 if rm == RDN else 0
        return enc_zero(f, zs), 0
    return round_signed(f, v, rm, 0)

def mul(f, a, b, rm):
    x, y = decode(f, a), decode(f, b)
    if isnan(x) or isnan(y): return nan_result(f, x, y)
    s = x[1] ^ y[1]
    if x[0] == 'inf' or y[0] == 'inf':
        if (x[0] == 'num' and x[2] == 0) or (y[0] == 'num' and y[2] == 0): return f.cnan, NV
        return enc_inf(f, s), 0
    v = x[2] * y[2]
    if v == 0: return enc_zero(f, s), 0
    return round_value(f, s, v, rm)

def div(f, a, b, rm):
    x, y = decode(f, a), decode(f, b)
    if isnan(x) or isnan(y): return nan_result(f, x, y)
    s = x[1] ^ y[1]
    if x[0] == 'inf':
        if y[0] == 'inf': return f.cnan, NV
        return enc_inf(f, s), 0
    if y[0] == 'inf': return enc_zero(f, s), 0
    if y[2] == 0:
        if x[2] == 0: return f.cnan, NV
        return enc_inf(f, s), DZ
    if x[2] == 0: return enc_zero(f, s), 0
    return round_value(f, s, x[2] / y[2], rm)

def sqrt(f, a, rm):
    x = decode(f, a)
    if isnan(x): return nan_result(f, x)
    if x[0] == 'inf':
        if x[1]: return f.cnan, NV
        return a, 0
    if x[2] == 0: return a, 0              # sqrt(+-0) = +-0
    if x[1]: return f.cnan, NV
    K = 1300
    N = x[2] * p2(2 * K)
    assert N.denominator == 1
    n = math.isqrt(int(N))
    if n * n == int(N): v = Fr(n) / p2(K)
    else: v = (Fr(n) + Fr(1, 2)) / p2(K)   # strictly between n and n+1 ulps of 2^-K: rounds the same
    return round_value(f, 0, v, rm)

def fma(f, a, b, c, rm, negprod=False, negc=False):
    x, y, z = decode(f, a), decode(f, b), decode(f, c)
    infzero = (x[0] == 'inf' and y[0] == 'num' and y[2] == 0) or (y[0] == 'inf' and x[0] == 'num' and x[2] == 0)
    if isnan(x) or isnan(y) or isnan(z):
        return nan_result(f, x, y, z, invalid=infzero)   # inf*0 + qNaN still raises NV
    if infzero: return f.cnan, NV
    ps = x[1] ^ y[1] ^ (1 if negprod else 0)
    zs = z[1] ^ (1 if negc else 0)
    if x[0] == 'inf' or y[0] == 'inf':
        if z[0] == 'inf' and zs != ps: return f.cnan, NV
        return enc_inf(f, ps), 0
    if z[0] == 'inf': return enc_inf(f, zs), 0
    pv = x[2] * y[2]
    v = (-pv if ps else pv) + (-z[2] if zs else z[2])
    if v == 0:
        if pv == 0 and z[2] == 0 and ps == zs: s = ps
        else: s = 1 if rm == RDN else 0
        return enc_zero(f, s), 0
    return round_signed(f, v, rm, 0)

def lt_num(x, y):
    """x < y for non-NaN decoded values (with -0 == +0)"""
    def key(t):
        if t[0] == 'inf': return Fr(-1 if t[1] else 1) * p2(100000)
        return signed_value(t)
    return key(x) < key(y)

def minmax(f, a, b, ismax):
    x, y = decode(f, a), decode(f, b)
    fl = NV if issnan(x) or issnan(y) else 0
    if isnan(x) and isnan(y): return f.cnan, fl
    if isnan(x): return b, fl
    if isnan(y): return a, fl
    # -0 < +0 for these instructions only
    def k(t):
        v = (Fr(-1 if t[1] else 1) * p2(100000)) if t[0] == 'inf' else signed_value(t)
        return (v, 0 if t[1] else 1)
    if ismax: return (a if k(x) >= k(y) else b), fl
    return (a if k(x) <= k(y) else b), fl

def compare(f, a, b, op):
    x, y = decode(f, a), decode(f, b)
    if isnan(x) or isnan(y):
        if op == 'eq': return 0, (NV if issnan(x) or issnan(y) else 0)
        return 0, NV
    def key(t):
        if t[0] == 'inf': return Fr(-1 if t[1] else 1) * p2(100000)
        return signed_value(t)
    kx, ky = key(x), key(y)
    return int({'eq': kx == ky, 'lt': kx < ky, 'le': kx <= ky}[op]), 0

def fclass(f, a):
    x = decode(f, a)
    if x[0] == 'inf': return 1 << (0 if x[1] else 7)
    if x[0] == 'nan': return 1 << (8 if x[2] else 9)
    if x[2] == 0: return 1 << (3 if x[1] else 4)
    sub = x[2] < p2(f.emin)
    if x[1]: return 1 << (2 if sub else 1)
    return 1 << (5 if sub else 6)

M64 = (1 << 64) - 1
def sext32(v): v &= 0xffffffff; return (v | ~0xffffffff) & M64 if v >> 31 else v

def f2i(f, a, rm, kind):
    """kind in w, wu, l, lu; returns the 64-bit register value and flags"""
    lo, hi = {'w': (-(1 << 31), (1 << 31) - 1), 'wu': (0, (1 << 32) - 1),
              'l': (-(1 << 63), (1 << 63) - 1), 'lu': (0, (1 << 64) - 1)}[kind]
    x = decode(f, a)
    def out(v):
        v &= M64
        return sext32(v) if kind in ('w', 'wu') else v
    if x[0] == 'nan': return out(hi), NV
    if x[0] == 'inf': return out(lo if x[1] else hi), NV
    r, inexact = rnd_int(x[2], rm, x[1])
    v = -r if x[1] else r
    if v < lo: return out(lo), NV
    if v > hi: return out(hi), NV
    return out(v), (NX if inexact else 0)

def i2f(f, ival, rm, kind):
    if kind == 'w': v = ival & 0xffffffff; v = v - (1 << 32) if v >> 31 else v
    elif kind == 'wu': v = ival & 0xffffffff
    elif kind == 'l': v = ival & M64; v = v - (1 << 64) if v >> 63 else v
    else: v = ival & M64
    if v == 0: return 0, 0
    return round_value(f, 1 if v < 0 else 0, Fr(abs(v)), rm)

def cvt_f2f(fd, fs, a, rm):
    x = decode(fs, a)
    if x[0] == 'nan': return fd.cnan, (NV if x[2] else 0)
    if x[0] == 'inf': return enc_inf(fd, x[1]), 0
    if x[2] == 0: return enc_zero(fd, x[1]), 0
    return round_value(fd, x[1], x[2], rm)

def unbox(raw64):
    """single operand as read from a 64-bit f register (d-st-ext "NaN Boxing")"""
    return raw64 & 0xffffffff if raw64 >> 32 == 0xffffffff else S.cnan

def fmt_val(f, bits):
    """human-readable value for comments"""
    x = decode(f, bits)
    sg = '-' if x[1] else ''
    if x[0] == 'inf': return sg + 'inf'
    if x[0] == 'nan': return sg + ('sNaN' if x[2] else 'qNaN') + ('' if bits == f.cnan else '(0x%x)' % (bits & ((1 << f.m) - 1)))
    v = x[2]
    if v == 0: return sg + '0'
    E = floor_log2(v)
    if E < f.emin:                              # subnormal: show as mantissa * 2^emin
        m = v / p2(f.emin - f.m)
        return '%s0x0.%0*xp%d' % (sg, (f.m + 3) // 4, int(m) << ((4 - f.m % 4) % 4), f.emin)
    if v.denominator == 1 and v < 2 ** 64:
        return sg + str(int(v))
    m = v / p2(E - f.m)
    frac = (int(m) - (1 << f.m)) << ((4 - f.m % 4) % 4)
    digits = ('%0*x' % ((f.m + 3) // 4, frac)).rstrip('0')
    return '%s0x1%sp%d' % (sg, ('.' + digits) if digits else '', E)

def flags_str(fl):
    if fl == 0: return '0'
    return '|'.join(n for n, b in (('NV', NV), ('DZ', DZ), ('OF', OF), ('UF', UF), ('NX', NX)) if fl & b)
