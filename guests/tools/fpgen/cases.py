"""Case lists shared by the single- and double-precision files (parametrised by format)."""
from fractions import Fraction as Fr
from fpmodel import *

class K:
    """bit patterns of interesting values in format f"""
    def __init__(k, f):
        k.f = f
        m = f.m; w = f.width
        k.ulp = Fr(1, 1 << m)
        k.ZERO = 0; k.NZERO = 1 << (w - 1)
        k.INF = enc_inf(f, 0); k.NINF = enc_inf(f, 1)
        k.QNAN = f.cnan
        k.QNANP = f.cnan | 0x12345
        k.NQNANP = (1 << (w - 1)) | f.cnan | 0x54321
        k.SNAN = k.INF | 1
        k.SNANP = k.INF | (1 << (m - 2)) | 5
        k.NSNAN = k.NINF | 0x123
        k.MAX = enc_max(f, 0); k.NMAX = enc_max(f, 1)
        k.MINN = 1 << m
        k.MINS = 1
        k.MAXS = (1 << m) - 1
    def v(k, x):
        """exact value -> bits"""
        x = Fr(x)
        if x == 0: return 0
        b, fl = round_value(k.f, 1 if x < 0 else 0, abs(x), RNE)
        assert fl == 0, ('not exact', x)
        return b
    def neg(k, b): return b ^ (1 << (k.f.width - 1))

def arith_tables(f, sfx, T):
    """core arithmetic tables; T(name, kind, op, fn, expr, cases, **kw) builds a Table"""
    k = K(f); v = k.v; u = k.ulp
    h = f.m // 2 + 1                  # (1+2^-h)^2 has a 2^-2h term below the precision
    P1, M1, MH = v(1 + u), v(1 - u), v(1 - u / 2)
    emin = f.emin
    big = v(Fr(2) ** (f.m + 17))
    out = []
    out.append(T('fadd_' + sfx, 'F2R', 'fadd.' + sfx, lambda a, b, rm: add(f, a, b, rm), '{} + {}', [
        ((v(1), v(2)), ''),
        ((v(1), v(u / 2)), 'tie: to even, down'),
        ((P1, v(u / 2)), 'tie: to even, up'),
        ((v(1), v(3 * u / 4)), 'above the tie: up'),
        ((k.NZERO, k.NZERO), ''),
        ((k.ZERO, k.NZERO), 'exact zero sum is +0 in RNE'),
        ((v(Fr(3, 2)), v(Fr(-3, 2))), 'exact zero sum is +0 in RNE'),
        ((k.INF, k.NINF), 'invalid'),
        ((k.INF, v(1)), 'exact'),
        ((k.QNANP, v(1)), 'quiet NaN in: canonical NaN out, no flag'),
        ((k.SNAN, v(1)), 'signalling NaN: NV'),
        ((k.NQNANP, k.SNANP), ''),
        ((k.MAX, k.MAX), 'overflow'),
        ((k.MINS, k.MINS), 'subnormal result, exact: no UF'),
        ((k.MINN, k.neg(k.MINS)), 'normal to subnormal, exact'),
        ((big, v(1)), 'absorbed: inexact'),
    ]))
    out.append(T('fsub_' + sfx, 'F2R', 'fsub.' + sfx, lambda a, b, rm: add(f, a, b, rm, negb=True), '{} - {}', [
        ((v(3), v(1)), ''),
        ((v(1), v(1)), '+0 in RNE'),
        ((k.NZERO, k.ZERO), '-0 - +0 = -0'),
        ((k.ZERO, k.ZERO), ''),
        ((k.INF, k.INF), 'invalid'),
        ((v(1), v(u / 4)), 'tie below 1: to even'),
        ((k.NMAX, k.MAX), 'overflow'),
        ((k.QNAN, k.SNAN), ''),
    ]))
    out.append(T('fmul_' + sfx, 'F2R', 'fmul.' + sfx, lambda a, b, rm: mul(f, a, b, rm), '{} * {}', [
        ((v(2), v(3)), ''),
        ((k.NZERO, v(5)), 'sign of zero = xor'),
        ((k.ZERO, k.NINF), 'invalid'),
        ((k.INF, v(-2)), ''),
        ((k.MAX, v(2)), 'overflow'),
        ((k.MINN, v(Fr(1, 2))), 'exact subnormal: no UF'),
        ((k.MINS, v(Fr(1, 2))), 'tie between 0 and min subnormal: to even 0'),
        ((k.MINS, v(Fr(3, 4))), 'rounds up to min subnormal'),
        ((MH, k.MINN), 'tiny before and after rounding (unbounded exponent): UF, result min normal'),
        ((k.MINN | 1, M1), 'tiny before rounding only: tininess after rounding, no UF'),
        ((P1, P1), 'inexact'),
        ((k.QNANP, v(1)), ''),
        ((k.SNAN, k.ZERO), ''),
    ]))
    out.append(T('fdiv_' + sfx, 'F2R', 'fdiv.' + sfx, lambda a, b, rm: div(f, a, b, rm), '{} / {}', [
        ((v(1), v(3)), ''),
        ((v(6), v(3)), 'exact'),
        ((v(1), k.ZERO), 'divide by zero'),
        ((v(-1), k.ZERO), ''),
        ((v(1), k.NZERO), ''),
        ((k.ZERO, k.ZERO), 'invalid, not DZ'),
        ((k.INF, k.INF), 'invalid'),
        ((k.INF, k.ZERO), 'infinite dividend: no DZ'),
        ((k.NZERO, v(5)), ''),
        ((v(1), k.INF), ''),
        ((k.MINN, v(3)), 'inexact subnormal: UF'),
        ((k.MAX, v(Fr(1, 2))), 'overflow'),
        ((k.QNAN, k.ZERO), 'NaN dividend: no DZ'),
        ((k.SNAN, v(1)), ''),
    ]))
    out.append(T('fsqrt_' + sfx, 'F1R', 'fsqrt.' + sfx, lambda a, rm: sqrt(f, a, rm), 'sqrt({})', [
        ((v(4),), ''),
        ((v(2),), ''),
        ((k.NZERO,), 'sqrt(-0) = -0'),
        ((k.ZERO,), ''),
        ((v(-1),), 'invalid'),
        ((k.INF,), ''),
        ((k.NINF,), 'invalid'),
        ((k.QNANP,), ''),
        ((k.SNAN,), ''),
        ((2 if f is S else 4,), 'exact root of a subnormal'),
        ((k.MINS,), ''),
    ]))
    ph = v(1 + Fr(1, 2 ** h))
    out.append(T('fmadd_' + sfx, 'F3R', 'fmadd.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm), '{} * {} + {}', [
        ((v(2), v(3), v(1)), ''),
        ((P1, M1, v(-1)), 'fused: the exact -2^-%d, not 0' % (2 * f.m)),
        ((ph, ph, v(-1)), 'fused: differs from fmul then fadd'),
        ((k.MAX, v(2), k.NMAX), 'no intermediate overflow'),
        ((k.MAX, v(2), k.NINF), 'infinite addend: exact'),
        ((k.INF, k.ZERO, k.QNAN), 'inf*0 sets NV even with a quiet NaN addend'),
        ((k.INF, k.ZERO, v(1)), 'invalid'),
        ((k.INF, v(1), k.NINF), 'inf - inf: invalid'),
        ((k.ZERO, v(1), k.NZERO), '+0 + -0 = +0'),
        ((k.NZERO, v(1), k.NZERO), '-0 + -0 = -0'),
        ((v(1), v(1), k.SNAN), ''),
        ((k.QNANP, v(1), v(1)), ''),
        ((k.MINS, v(Fr(1, 2)), k.ZERO), 'underflow to 0'),
    ]))
    out.append(T('fmsub_' + sfx, 'F3R', 'fmsub.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negc=True), '{} * {} - {}', [
        ((v(2), v(3), v(1)), ''),
        ((P1, M1, v(1)), 'fused'),
        ((k.ZERO, v(1), k.ZERO), '+0 - +0 = +0'),
        ((k.NZERO, v(1), k.ZERO), '-0 - +0 = -0'),
        ((k.INF, k.INF, k.INF), 'invalid'),
    ]))
    out.append(T('fnmsub_' + sfx, 'F3R', 'fnmsub.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negprod=True), '-({} * {}) + {}', [
        ((v(2), v(3), v(1)), ''),
        ((P1, M1, v(1)), 'fused'),
        ((k.ZERO, v(1), k.ZERO), '-0 + +0 = +0'),
        ((k.ZERO, v(1), k.NZERO), '-0 + -0 = -0'),
        ((k.ZERO, k.INF, k.QNAN), 'invalid'),
    ]))
    out.append(T('fnmadd_' + sfx, 'F3R', 'fnmadd.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negprod=True, negc=True), '-({} * {}) - {}', [
        ((v(2), v(3), v(1)), ''),
        ((P1, M1, v(-1)), 'fused'),
        ((k.ZERO, v(1), k.ZERO), '-0 - +0 = -0'),
        ((k.ZERO, v(-1), k.ZERO), '+0 - +0 = +0'),
        ((k.SNAN, v(1), v(1)), ''),
    ]))
    return out

def sign_minmax_tables(f, sfx, T):
    k = K(f); v = k.v
    out = []
    out.append(T('fsgnj_' + sfx, 'F2', 'fsgnj.' + sfx, lambda a, b, rm: ((a & ~(1 << (f.width - 1))) | (b & (1 << (f.width - 1))), 0), 'sgnj({}, {})', [
        ((v(1), v(-2)), ''), ((v(-1), v(2)), ''),
        ((k.SNAN, v(-1)), 'NaN kept as is, no NV'),
        ((k.NINF, k.ZERO), ''),
    ]))
    out.append(T('fsgnjn_' + sfx, 'F2', 'fsgnjn.' + sfx, lambda a, b, rm: ((a & ~(1 << (f.width - 1))) | (~b & (1 << (f.width - 1))), 0), 'sgnjn({}, {})', [
        ((v(1), v(1)), 'fneg'), ((k.QNANP, k.NZERO), 'payload kept'), ((k.NZERO, v(-3)), ''),
    ]))
    out.append(T('fsgnjx_' + sfx, 'F2', 'fsgnjx.' + sfx, lambda a, b, rm: (a ^ (b & (1 << (f.width - 1))), 0), 'sgnjx({}, {})', [
        ((v(-1), v(-1)), 'fabs'), ((k.NINF, v(1)), ''), ((k.QNANP, k.NZERO), ''), ((v(3), k.NSNAN), ''),
    ]))
    out.append(T('fmin_' + sfx, 'F2', 'fmin.' + sfx, lambda a, b, rm: minmax(f, a, b, False), 'min({}, {})', [
        ((v(1), v(2)), ''), ((v(2), v(1)), ''),
        ((k.NZERO, k.ZERO), '-0 < +0'), ((k.ZERO, k.NZERO), '-0 < +0'),
        ((k.QNANP, v(1)), 'one NaN: the number'), ((v(1), k.QNANP), ''),
        ((k.SNAN, v(1)), 'signalling NaN: the number, NV'),
        ((k.QNAN, k.QNANP), 'both NaN: canonical NaN'), ((k.SNAN, k.QNAN), ''),
        ((k.NINF, k.NMAX), ''), ((k.MINS, k.neg(k.MINS)), ''), ((k.NQNANP, v(-1)), ''),
    ]))
    out.append(T('fmax_' + sfx, 'F2', 'fmax.' + sfx, lambda a, b, rm: minmax(f, a, b, True), 'max({}, {})', [
        ((v(1), v(2)), ''), ((k.NZERO, k.ZERO), '+0 > -0'), ((k.ZERO, k.NZERO), ''),
        ((v(1), k.SNAN), ''), ((k.QNAN, k.NINF), ''), ((k.NQNANP, k.NQNANP), ''),
        ((k.INF, k.MAX), ''), ((v(-2), v(-3)), ''),
    ]))
    return out

def compare_class_tables(f, sfx, T):
    k = K(f); v = k.v
    out = []
    out.append(T('feq_' + sfx, 'XF2', 'feq.' + sfx, lambda a, b, rm: compare(f, a, b, 'eq'), '{} == {}', [
        ((v(1), v(1)), ''), ((v(1), v(2)), ''), ((k.NZERO, k.ZERO), ''),
        ((k.QNANP, v(1)), 'quiet compare: no flag'), ((k.QNAN, k.QNAN), ''),
        ((k.SNAN, v(1)), 'signalling NaN: NV'), ((k.INF, k.INF), ''),
    ]))
    out.append(T('flt_' + sfx, 'XF2', 'flt.' + sfx, lambda a, b, rm: compare(f, a, b, 'lt'), '{} < {}', [
        ((v(1), v(2)), ''), ((v(2), v(1)), ''), ((k.NZERO, k.ZERO), 'equal'),
        ((k.NINF, k.NMAX), ''), ((k.QNAN, v(1)), 'signalling compare: NV on any NaN'),
        ((v(1), k.SNAN), ''), ((k.MINS, k.MINN), ''), ((v(-1), v(-2)), ''),
    ]))
    out.append(T('fle_' + sfx, 'XF2', 'fle.' + sfx, lambda a, b, rm: compare(f, a, b, 'le'), '{} <= {}', [
        ((v(1), v(1)), ''), ((k.NZERO, k.ZERO), ''), ((k.ZERO, k.NZERO), ''),
        ((v(2), v(1)), ''), ((k.QNANP, k.QNANP), 'NV'), ((k.NINF, k.NINF), ''),
    ]))
    out.append(T('fclass_' + sfx, 'XF1', 'fclass.' + sfx, lambda a, rm: (fclass(f, a), 0), 'class({})', [
        ((k.NINF,), 'bit 0'), ((v(-1),), 'bit 1: negative normal'), ((k.neg(k.MAXS),), 'bit 2: negative subnormal'),
        ((k.NZERO,), 'bit 3'), ((k.ZERO,), 'bit 4'), ((k.MINS,), 'bit 5: positive subnormal'),
        ((k.MAX,), 'bit 6: positive normal'), ((k.MINN,), ''), ((k.INF,), 'bit 7'),
        ((k.SNANP,), 'bit 8: signalling NaN'), ((k.NSNAN,), ''), ((k.QNAN,), 'bit 9: quiet NaN'), ((k.NQNANP,), ''),
    ]))
    return out

def cvt_tables(f, sfx, T):
    """conversions between format f and integers, rounding by frm = RNE (rm = dyn)"""
    k = K(f); v = k.v
    P2 = lambda e: v(Fr(2) ** e)
    below31 = v((1 << 31) - (1 << (31 - f.m - 1))) if f.m < 31 else v((1 << 31) - 1)
    out = []
    wcases = [
        ((v(Fr(3, 2)),), ''), ((v(Fr(5, 2)),), 'tie: to even'), ((v(Fr(-3, 2)),), ''),
        ((v(Fr(-1, 2)),), 'rounds to 0'), ((k.NZERO,), 'exact'),
        ((P2(31),), 'out of range: clipped, NV, no NX'), ((k.neg(P2(31)),), 'exact minimum'),
        ((below31,), 'largest in range'), ((k.neg(v((1 << 31) + (Fr(2) ** (31 - f.m)))),), ''),
        ((k.INF,), ''), ((k.NINF,), ''), ((k.QNAN,), 'NaN -> maximum'), ((k.NQNANP,), 'negative NaN -> maximum too'),
        ((k.SNAN,), ''), ((k.MINS,), ''),
    ]
    if f is D:
        wcases += [((v(Fr(2 ** 32 - 1, 2)),), '2^31 - 0.5 rounds out of range'),
                   ((v(Fr(-(2 ** 32) - 1, 2)),), '-2^31 - 0.5 rounds to even -2^31: in range')]
    out.append(T('fcvt_w_' + sfx, 'XF1R', 'fcvt.w.' + sfx, lambda a, rm: f2i(f, a, rm, 'w'), 'w({})', wcases))
    below32 = v((1 << 32) - (1 << (32 - f.m - 1))) if f.m < 32 else v((1 << 32) - 1)
    out.append(T('fcvt_wu_' + sfx, 'XF1R', 'fcvt.wu.' + sfx, lambda a, rm: f2i(f, a, rm, 'wu'), 'wu({})', [
        ((v(3000000000),), 'result sign-extended from bit 31'), ((below32,), 'largest in range'),
        ((P2(32),), 'out of range'), ((v(-1),), 'negative: clipped to 0, NV'),
        ((v(Fr(-1, 2)),), 'rounds to -0: in range, NX only'), ((v(Fr(-3, 4)),), 'rounds to -1: NV'),
        ((k.INF,), ''), ((k.NINF,), ''), ((k.QNANP,), ''), ((v(Fr(5, 2)),), ''),
    ]))
    below63 = v((1 << 63) - (1 << (63 - f.m - 1)))
    out.append(T('fcvt_l_' + sfx, 'XF1R', 'fcvt.l.' + sfx, lambda a, rm: f2i(f, a, rm, 'l'), 'l({})', [
        ((P2(63),), 'out of range'), ((k.neg(P2(63)),), 'exact minimum'), ((below63,), 'largest in range'),
        ((k.INF,), ''), ((k.NINF,), ''), ((k.SNANP,), ''), ((v(Fr(3, 2)),), ''), ((v(Fr(-5, 2)),), ''),
    ]))
    below64 = v((1 << 64) - (1 << (64 - f.m - 1)))
    out.append(T('fcvt_lu_' + sfx, 'XF1R', 'fcvt.lu.' + sfx, lambda a, rm: f2i(f, a, rm, 'lu'), 'lu({})', [
        ((P2(64),), 'out of range'), ((below64,), 'largest in range'), ((v(-1),), ''),
        ((v(Fr(-1, 4)),), 'rounds to -0: NX only'), ((k.QNAN,), ''), ((k.NINF,), ''),
        ((P2(63),), ''),
    ]))
    M64 = (1 << 64) - 1
    out.append(T('fcvt_%s_w' % sfx, 'FX1R' if f is S else 'FX1', 'fcvt.%s.w' % sfx, lambda a, rm: i2f(f, a, rm, 'w'), 'from w {}', [
        ((0,), 'never sets a flag'), ((M64,), '-1'), (((1 << 24) + 1,), ''), ((0x7fffffff,), ''),
        ((0xffffffff80000000,), ''), ((0xffffffff,), 'low 32 bits only: -1'), ((0x100000001,), 'low 32 bits only: 1'),
    ]))
    out.append(T('fcvt_%s_wu' % sfx, 'FX1R' if f is S else 'FX1', 'fcvt.%s.wu' % sfx, lambda a, rm: i2f(f, a, rm, 'wu'), 'from wu {}', [
        ((0xffffffff,), ''), ((0xffffffff00000001,), 'upper bits ignored'), ((0x80000000,), ''),
    ]))
    out.append(T('fcvt_%s_l' % sfx, 'FX1R', 'fcvt.%s.l' % sfx, lambda a, rm: i2f(f, a, rm, 'l'), 'from l {}', [
        ((0x8000000000000000,), '-2^63 exact'), ((0x7fffffffffffffff,), ''), (((1 << 53) + 1,), ''),
        ((M64 - 2,), '-3'),
    ]))
    out.append(T('fcvt_%s_lu' % sfx, 'FX1R', 'fcvt.%s.lu' % sfx, lambda a, rm: i2f(f, a, rm, 'lu'), 'from lu {}', [
        ((M64,), ''), ((0x8000000000000000,), ''), ((0x8000000000000401,), ''),
    ]))
    return out

def round_tables(f, sfx, R):
    """cases where the five rounding modes give different results (FP_ROUND_ALL)"""
    k = K(f); v = k.v; u = k.ulp
    P1, M1 = v(1 + u), v(1 - u)
    out = []
    out.append(R('r_fadd_' + sfx, 'F2R', 'fadd.' + sfx, lambda a, b, rm: add(f, a, b, rm), '{} + {}', [
        ((v(1), v(u / 2)), 'tie, even below'),
        ((P1, v(u / 2)), 'tie, even above'),
        ((v(-1), v(-u / 2)), 'negative tie'),
        ((v(1), v(u / 4)), 'quarter ulp'),
        ((v(1), v(-1)), 'exact zero: -0 only in RDN'),
        ((k.MAX, v(Fr(2) ** (f.emax - f.m - 1))), 'half an ulp above the maximum'),
    ], 2))
    out.append(R('r_fsub_' + sfx, 'F2R', 'fsub.' + sfx, lambda a, b, rm: add(f, a, b, rm, negb=True), '{} - {}', [
        ((v(1), v(u / 4)), 'tie below 1'),
        ((v(-2), v(-2)), 'exact zero'),
    ], 2))
    out.append(R('r_fmul_' + sfx, 'F2R', 'fmul.' + sfx, lambda a, b, rm: mul(f, a, b, rm), '{} * {}', [
        ((P1, P1), ''),
        ((k.neg(P1), P1), ''),
        ((k.MINS, v(Fr(1, 2))), 'half the min subnormal'),
        ((k.neg(k.MINS), v(Fr(1, 2))), ''),
        ((k.MAX, v(2)), 'overflow: max finite or inf by mode'),
        ((k.NMAX, v(2)), ''),
        ((k.MINN | 1, M1), 'just below min normal: UF depends on the mode'),
    ], 2))
    out.append(R('r_fdiv_' + sfx, 'F2R', 'fdiv.' + sfx, lambda a, b, rm: div(f, a, b, rm), '{} / {}', [
        ((v(1), v(3)), ''), ((v(-1), v(3)), ''), ((v(2), v(3)), ''), ((v(1), k.MINS), 'overflow'),
    ], 2))
    out.append(R('r_fsqrt_' + sfx, 'F1R', 'fsqrt.' + sfx, lambda a, rm: sqrt(f, a, rm), 'sqrt({})', [
        ((v(2),), ''), ((v(3),), ''),
    ], 1))
    out.append(R('r_fmadd_' + sfx, 'F3R', 'fmadd.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm), '{} * {} + {}', [
        ((v(1), v(1), v(u / 2)), 'tie'),
        ((v(1), v(1), v(-1)), 'exact zero'),
        ((P1, M1, k.ZERO), 'exact 1 - 2^-%d, one rounding' % (2 * f.m)),
    ], 3))
    out.append(R('r_fmsub_' + sfx, 'F3R', 'fmsub.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negc=True), '{} * {} - {}', [
        ((P1, P1, v(1)), 'exact 2^-%d + 2^-%d: a tie' % (f.m - 1, 2 * f.m)),
    ], 3))
    out.append(R('r_fnmsub_' + sfx, 'F3R', 'fnmsub.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negprod=True), '-({} * {}) + {}', [
        ((v(1), v(1), v(1)), 'exact zero'),
    ], 3))
    out.append(R('r_fnmadd_' + sfx, 'F3R', 'fnmadd.' + sfx, lambda a, b, c, rm: fma(f, a, b, c, rm, negprod=True, negc=True), '-({} * {}) - {}', [
        ((P1, M1, k.ZERO), ''),
    ], 3))
    out.append(R('r_fcvt_w_' + sfx, 'XF1R', 'fcvt.w.' + sfx, lambda a, rm: f2i(f, a, rm, 'w'), 'w({})', [
        ((v(Fr(5, 2)),), ''), ((v(Fr(-5, 2)),), ''), ((v(Fr(-1, 2)),), ''), ((v(Fr(7, 4)),), ''),
    ], 1))
    out.append(R('r_fcvt_wu_' + sfx, 'XF1R', 'fcvt.wu.' + sfx, lambda a, rm: f2i(f, a, rm, 'wu'), 'wu({})', [
        ((v(Fr(-1, 2)),), 'NV only where it rounds to -1'), ((v(Fr(5, 2)),), ''),
    ], 1))
    out.append(R('r_fcvt_l_' + sfx, 'XF1R', 'fcvt.l.' + sfx, lambda a, rm: f2i(f, a, rm, 'l'), 'l({})', [
        ((v(Fr(-5, 2)),), ''), ((v(Fr(7, 2)),), ''),
    ], 1))
    out.append(R('r_fcvt_lu_' + sfx, 'XF1R', 'fcvt.lu.' + sfx, lambda a, rm: f2i(f, a, rm, 'lu'), 'lu({})', [
        ((v(Fr(5, 2)),), ''), ((v(Fr(-1, 4)),), ''),
    ], 1))
    M64 = (1 << 64) - 1
    p = f.m + 1
    if f is S:
        out.append(R('r_fcvt_s_w', 'FX1R', 'fcvt.s.w', lambda a, rm: i2f(f, a, rm, 'w'), 'from w {}', [
            (((1 << 24) + 1,), 'tie'), ((M64 - (1 << 24) - 2,), '-(2^24 + 3): tie'), ((0x7fffffff,), ''),
        ], 1))
        out.append(R('r_fcvt_s_wu', 'FX1R', 'fcvt.s.wu', lambda a, rm: i2f(f, a, rm, 'wu'), 'from wu {}', [
            ((0xffffffff,), ''),
        ], 1))
    out.append(R('r_fcvt_%s_l' % sfx, 'FX1R', 'fcvt.%s.l' % sfx, lambda a, rm: i2f(f, a, rm, 'l'), 'from l {}', [
        (((1 << p) + 1,), 'tie'), ((M64 - (1 << p) - 2,), 'negative tie'),
    ], 1))
    out.append(R('r_fcvt_%s_lu' % sfx, 'FX1R', 'fcvt.%s.lu' % sfx, lambda a, rm: i2f(f, a, rm, 'lu'), 'from lu {}', [
        ((M64,), ''), (((1 << p) + 3,), 'tie'),
    ], 1))
    return out
