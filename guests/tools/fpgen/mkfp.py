import sys
import os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fpmodel import *
from fpgen import *
from cases import *
from consts import s as sbits

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'isa') + '/'

def infer(kind, op):
    parts = op.split('.')
    src = 'x' if kind.startswith('FX') else parts[-1]
    dst = 'x' if kind.startswith('X') else parts[1]
    return src, dst

def T(name, kind, op, fn, expr, cases, src=None, dst=None, rm='dyn', frm=0):
    s0, d0 = infer(kind, op)
    return Table(name, kind, op, src or s0, dst or d0, fn, expr, cases, rm=rm, frm=frm)

def R(name, kind, op, fn, expr, cases, nops):
    src, dst = infer(kind, op)
    return RTable(name, kind, op, src, dst, fn, expr, cases, nops)

HDR_INC = '''#include "test.h"
#include "fptest.h"

  .option norelax       /* gp holds TESTNUM */
'''

def emit(path, header, sections, tables_data, explicit_data=''):
    """sections: list of (comment, [asm lines or Table objects])"""
    lines = [header.rstrip(), HDR_INC, 'TEST_BEGIN', '']
    ntab = 0
    for title, items in sections:
        if title: lines.append('/* ' + title + ' */')
        for it in items:
            if isinstance(it, str): lines.append(it.rstrip('\n'))
            else:
                lines.append(it.code()); ntab += it.count()
        lines.append('')
    lines += ['  j pass', '', 'TEST_END', '', '  .data', '  .balign 8']
    if explicit_data: lines.append(explicit_data.rstrip('\n'))
    for t in tables_data:
        lines += t.data()
    open(path, 'w').write('\n'.join(lines) + '\n')
    return ntab

B = lambda x: 0xffffffff00000000 | x
IMP1 = 0x000000003f800000      # 1.0 without the NaN box
IMP2 = 0xfffffffe3f800000      # one upper bit clear
def boxing_tables():
    out = []
    def TB(name, kind, op, fn, expr, cases, dst=None):
        t = T(name, kind, op, fn, expr, cases, src='b', dst=dst)
        return t
    one, mone, two = B(sbits(1.0)), B(sbits(-1.0)), B(sbits(2.0))
    out.append(TB('nb_fadd', 'F2R', 'fadd.s', lambda a, b, rm: add(S, a, b, rm), '{} + {}', [((IMP1, one), ''), ((one, IMP2), '')]))
    out.append(TB('nb_fmadd', 'F3R', 'fmadd.s', lambda a, b, c, rm: fma(S, a, b, c, rm), '{} * {} + {}', [((one, one, IMP1), '')]))
    out.append(TB('nb_fsqrt', 'F1R', 'fsqrt.s', lambda a, rm: sqrt(S, a, rm), 'sqrt({})', [((IMP2,), '')]))
    out.append(TB('nb_fsgnj', 'F2', 'fsgnj.s', lambda a, b, rm: ((a & 0x7fffffff) | (b & 0x80000000), 0), 'sgnj({}, {})', [((IMP1, mone), 'canonical NaN gets the sign')]))
    out.append(TB('nb_fsgnjn', 'F2', 'fsgnjn.s', lambda a, b, rm: ((a & 0x7fffffff) | (~b & 0x80000000), 0), 'sgnjn({}, {})', [((one, IMP2), 'rs2 reads as +NaN')]))
    out.append(TB('nb_fsgnjx', 'F2', 'fsgnjx.s', lambda a, b, rm: (a ^ (b & 0x80000000), 0), 'sgnjx({}, {})', [((mone, IMP1), '')]))
    out.append(TB('nb_fmin', 'F2', 'fmin.s', lambda a, b, rm: minmax(S, a, b, False), 'min({}, {})', [((IMP1, two), 'a quiet NaN: no flag')]))
    out.append(TB('nb_feq', 'XF2', 'feq.s', lambda a, b, rm: compare(S, a, b, 'eq'), '{} == {}', [((IMP1, IMP1), 'quiet NaNs')]))
    out.append(TB('nb_flt', 'XF2', 'flt.s', lambda a, b, rm: compare(S, a, b, 'lt'), '{} < {}', [((IMP1, one), '')]))
    out.append(TB('nb_fclass', 'XF1', 'fclass.s', lambda a, rm: (fclass(S, a), 0), 'class({})', [((IMP1,), 'quiet NaN'), ((IMP2,), '')]))
    out.append(TB('nb_fcvt_w', 'XF1R', 'fcvt.w.s', lambda a, rm: f2i(S, a, rm, 'w'), 'w({})', [((IMP2,), '')]))
    out.append(TB('nb_fcvt_d_s', 'F1', 'fcvt.d.s', lambda a, rm: cvt_f2f(D, S, a, rm), 'double({})', [((IMP1,), 'canonical NaN, no NV')], dst='d'))
    return out

# ------------------------------------------------------------------------- rv64f.S
F_HDR = '''/* rv64f.S — self-checking test of the F extension (single precision) on RV64, RNE via frm
   (rm = dyn): loads/stores/moves, every arithmetic, sign-injection, min/max, compare, classify
   and int<->float conversion instruction, with the exact fflags of every operation.
   Rounding modes other than RNE are in rv64f-round.S.
   Spec: unpriv/f-st-ext.adoc, d-st-ext.adoc "NaN Boxing of Narrower Values". Rules checked:
   - "NaN Generation and Propagation": every NaN result is the canonical NaN 0x7fc00000 (no
     payload propagation); signalling NaN operands raise NV.
   - "Subnormal Arithmetic": tininess is detected after rounding; UF only when tiny and inexact.
   - FMA: one rounding; "must set the invalid operation exception flag when the multiplicands
     are inf and zero, even when the addend is a quiet NaN".
   - FMIN/FMAX: -0 < +0; one NaN -> the other operand; two NaNs -> canonical NaN; sNaN -> NV.
   - FEQ is a quiet compare (NV only on sNaN); FLT/FLE signal NV on any NaN; NaN -> 0.
   - FCVT to integer: table "Domains of float-to-integer conversions": out-of-range and NaN
     inputs saturate (NaN -> maximum) with NV and no NX; W/WU results are sign-extended.
   - Sign injection and FMV/FLW/FSW do not canonicalize NaNs and raise no flags.
   - NaN boxing: single results are written with the upper 32 bits set; an improperly boxed
     operand reads as the canonical NaN, except in transfers (FSW, FMV.X.W) which use the low
     32 bits. Each table entry below is one check (result bits and fflags). */'''

F_EXPLICIT = '''/* ---- FLW / FSW / FMV.X.W / FMV.W.X ---- */
  la s0, ls_data
  csrwi fflags, 0
  flw fa0, 0(s0)                /* a signalling NaN is loaded bit-exact and NaN-boxed */
  fmv.x.d a0, fa0
  CHECK_EQ(a0, 0xffffffff7f800001)
  addi s1, s0, 8
  flw fa1, -4(s1)               /* negative offset */
  fmv.x.w a0, fa1               /* FMV.X.W sign-extends bit 31 */
  CHECK_EQ(a0, 0xffffffffbf800000)
  fsw fa0, 12(s0)               /* FSW writes 4 bytes only */
  ld a0, 8(s0)
  CHECK_EQ(a0, 0x7f80000155555555)
  li a1, 0x123456789abcdef0     /* improperly NaN-boxed register (fmv.d.x writes 64 bits) */
  fmv.d.x fa2, a1
  fsw fa2, -8(s1)               /* transfers out ignore the upper 32 bits */
  lwu a0, 0(s0)
  CHECK_EQ(a0, 0x9abcdef0)
  fmv.x.w a0, fa2
  CHECK_EQ(a0, 0xffffffff9abcdef0)
  li a1, 0xabcdef017fc12345     /* FMV.W.X: low 32 bits, payload kept, result NaN-boxed */
  fmv.w.x fa3, a1
  fmv.x.d a0, fa3
  CHECK_EQ(a0, 0xffffffff7fc12345)
  fmv.x.w a0, fa3
  CHECK_EQ(a0, 0x7fc12345)
  CHECK_FFLAGS(0)               /* loads, stores and moves never set flags */
'''

F_ACCRUE = '''/* ---- fflags accrue: the OR of all flags raised since software last cleared them ---- */
  la s0, acc_data
  flw fa1, 0(s0)                /* 1.0 */
  flw fa2, 4(s0)                /* 0.0 */
  flw fa3, 8(s0)                /* max */
  flw fa4, 12(s0)               /* 2^-24 */
  flw fa5, 16(s0)               /* min subnormal */
  flw fa6, 20(s0)               /* 0.5 */
  flw fa7, 24(s0)               /* -1.0 */
  csrwi fflags, 0
  fdiv.s fa0, fa1, fa2          /* DZ */
  fadd.s fa0, fa1, fa4          /* NX */
  fsgnj.s fa0, fa1, fa2         /* none */
  CHECK_FFLAGS(DZ|NX)
  fsqrt.s fa0, fa7              /* NV */
  fmul.s fa0, fa3, fa3          /* OF|NX */
  CHECK_FFLAGS(NV|OF|NX)
  fmul.s fa0, fa5, fa6          /* UF|NX */
  fdiv.s fa0, fa1, fa2          /* DZ */
  feq.s a0, fa1, fa2            /* none */
  CHECK_FFLAGS(UF|NX|DZ)
'''
F_DATA = '''ls_data:
  .word 0x7f800001, 0xbf800000, 0x55555555, 0x55555555
acc_data:
  .word 0x3f800000, 0x00000000, 0x7f7fffff, 0x33800000, 0x00000001, 0x3f000000, 0xbf800000, 0'''

def build_f():
    ar = arith_tables(S, 's', T); sm = sign_minmax_tables(S, 's', T); cc = compare_class_tables(S, 's', T)
    cv = cvt_tables(S, 's', T); nb = boxing_tables()
    secs = [('', [F_EXPLICIT]),
            ('---- arithmetic (frm = RNE, rm = dyn) ----', ar),
            ('---- sign injection, min/max ----', sm),
            ('---- compare and classify ----', cc),
            ('---- conversions (frm = RNE) ----', cv),
            ('---- NaN boxing: operands whose upper 32 bits are not all ones read as the canonical NaN ----', nb),
            ('', [F_ACCRUE])]
    n = emit(OUT + 'rv64f.S', F_HDR, secs, ar + sm + cc + cv + nb, F_DATA)
    return n + 14   # explicit checks

# ------------------------------------------------------------------------- rv64d.S
D_HDR = F_HDR.replace('rv64f.S', 'rv64d.S').replace('the F extension (single precision)', 'the D extension (double precision)').replace(
    'rv64f-round.S', 'rv64d-round.S').replace('0x7fc00000', '0x7ff8000000000000').replace(
    '''   - NaN boxing: single results are written with the upper 32 bits set; an improperly boxed
     operand reads as the canonical NaN, except in transfers (FSW, FMV.X.W) which use the low
     32 bits. Each table entry below is one check (result bits and fflags). */''',
    '''   - FCVT.S.D rounds (tininess after rounding, overflow), FCVT.D.S is exact; NaNs become the
     canonical NaN of the destination format, sNaN -> NV; single results are NaN-boxed.
   Each table entry below is one check (result bits and fflags). */''').replace(
    'Sign injection and FMV/FLW/FSW', 'Sign injection and FMV/FLD/FSD').replace(
    ' W/WU results are sign-extended.', ' W/WU results are sign-extended.')

D_EXPLICIT = '''/* ---- FLD / FSD / FMV.X.D / FMV.D.X ---- */
  la s0, ls_data
  csrwi fflags, 0
  fld fa0, 0(s0)                /* a signalling NaN is loaded bit-exact */
  fmv.x.d a0, fa0
  CHECK_EQ(a0, 0x7ff0000000000001)
  addi s1, s0, 16
  fld fa1, -8(s1)               /* negative offset */
  fmv.x.d a0, fa1
  CHECK_EQ(a0, 0xbff0000000000000)
  fsd fa0, 16(s0)
  ld a0, 16(s0)
  CHECK_EQ(a0, 0x7ff0000000000001)
  ld a0, 24(s0)                 /* neighbour untouched */
  CHECK_EQ(a0, 0x5555555555555555)
  li a1, 0xfff8000012345678     /* FMV.D.X / FMV.X.D keep NaN payloads */
  fmv.d.x fa2, a1
  fsd fa2, -16(s1)
  ld a0, 0(s0)
  CHECK_EQ(a0, 0xfff8000012345678)
  fmv.x.d a0, fa2
  CHECK_EQ(a0, 0xfff8000012345678)
  flw fa3, 32(s0)               /* a NaN-boxed single is a negative quiet NaN as a double */
  fsd fa3, 16(s0)               /* FSD stores all 64 bits */
  ld a0, 16(s0)
  CHECK_EQ(a0, 0xffffffff3f800000)
  fclass.d a0, fa3
  CHECK_EQ(a0, 0x200)
  CHECK_FFLAGS(0)               /* loads, stores, moves and classify never set flags */
'''
D_ACCRUE = F_ACCRUE.replace('flw fa1, 0(s0)', 'fld fa1, 0(s0)').replace('flw fa2, 4(s0)', 'fld fa2, 8(s0)').replace(
    'flw fa3, 8(s0) ', 'fld fa3, 16(s0)').replace('flw fa4, 12(s0)', 'fld fa4, 24(s0)').replace(
    'flw fa5, 16(s0)', 'fld fa5, 32(s0)').replace('flw fa6, 20(s0)', 'fld fa6, 40(s0)').replace(
    'flw fa7, 24(s0)', 'fld fa7, 48(s0)').replace('2^-24', '2^-53').replace('.s ', '.d ')
D_DATA = '''ls_data:
  .dword 0x7ff0000000000001, 0xbff0000000000000, 0x5555555555555555, 0x5555555555555555
  .word 0x3f800000, 0
acc_data:
  .dword 0x3ff0000000000000, 0, 0x7fefffffffffffff, 0x3ca0000000000000, 1, 0x3fe0000000000000, 0xbff0000000000000'''

def sd_tables():
    k = K(D); v = k.v
    out = []
    out.append(T('fcvt_s_d', 'F1R', 'fcvt.s.d', lambda a, rm: cvt_f2f(S, D, a, rm), 'single({})', [
        ((v(1),), ''), ((0x3fd5555555555555,), ''), ((k.NZERO,), ''), ((k.NINF,), ''),
        ((k.MAX,), 'overflow'), ((v(Fr(2) ** 128 - Fr(2) ** 103),), 'rounds up to 2^128: overflow'),
        ((v(Fr(2) ** 128 - Fr(2) ** 103 - Fr(2) ** 75),), 'just below: max finite'),
        ((v(Fr(2) ** -150),), 'half min subnormal: tie to 0, UF'),
        ((v(Fr(2) ** -126 - Fr(2) ** -150),), 'tiny after rounding too: UF, result min normal'),
        ((v(Fr(2) ** -126 - Fr(2) ** -151),), 'tiny only before rounding: no UF'),
        ((v(Fr(2) ** -149 * 3),), 'exact subnormal'),
        ((k.MINS,), ''),
        ((k.QNANP,), 'canonical single NaN'), ((k.SNANP,), ''),
    ], src='d', dst='s'))
    ks = K(S)
    out.append(T('fcvt_d_s', 'F1', 'fcvt.d.s', lambda a, rm: cvt_f2f(D, S, a, rm), 'double({})', [
        ((ks.v(1),), ''), ((ks.MINS,), 'subnormal becomes normal, exact'), ((ks.MAX,), ''),
        ((ks.NINF,), ''), ((ks.NZERO,), ''), ((ks.QNANP,), 'canonical double NaN'), ((ks.SNAN,), 'NV'),
    ], src='s', dst='d'))
    return out

def build_d():
    ar = arith_tables(D, 'd', T); sm = sign_minmax_tables(D, 'd', T); cc = compare_class_tables(D, 'd', T)
    cv = cvt_tables(D, 'd', T); sd = sd_tables()
    secs = [('', [D_EXPLICIT]),
            ('---- arithmetic (frm = RNE, rm = dyn) ----', ar),
            ('---- sign injection, min/max ----', sm),
            ('---- compare and classify ----', cc),
            ('---- conversions (frm = RNE) ----', cv + sd),
            ('', [D_ACCRUE])]
    n = emit(OUT + 'rv64d.S', D_HDR, secs, ar + sm + cc + cv + sd, D_DATA)
    return n + 13

# ------------------------------------------------------------------------- round files
R_HDR = '''/* rv64%(x)s-round.S — the five IEEE rounding modes for every rounding %(P)s instruction.
   Spec: unpriv/f-st-ext.adoc "Floating-Point Control and Status Register" (table "Rounding mode
   encoding": RNE 000, RTZ 001, RDN 010, RUP 011, RMM 100, DYN 111 selects frm) and
   "Subnormal Arithmetic" (tininess after rounding, so UF can depend on the mode).
   Each FPR entry holds the operands and, for each mode, the expected result and fflags. For each
   mode, each entry is one check that runs the instruction twice: with the static rm while frm
   holds another mode (static must win), then with rm = dyn and frm = the mode.
   Cases are chosen where the modes disagree: ties (RNE to even, RMM away), the sign of an exact
   zero sum (-0 only in RDN), overflow (inf or max finite by mode and sign), underflow. */'''

def build_round(f, sfx, extra=None):
    rt = round_tables(f, sfx, R)
    if extra: rt += extra
    x = 'f' if f is S else 'd'
    hdr = R_HDR % {'x': x, 'P': 'single-precision' if f is S else 'double-precision'}
    secs = [('---- all five rounding modes, static and dynamic ----', rt)]
    return emit(OUT + 'rv64%s-round.S' % x, hdr, secs, rt)

def sd_round():
    k = K(D); v = k.v
    return [R('r_fcvt_s_d', 'F1R', 'fcvt.s.d', lambda a, rm: cvt_f2f(S, D, a, rm), 'single({})', [
        ((v(1 + Fr(2) ** -24),), 'tie'), ((v(-(1 + Fr(3, 2 ** 25))),), ''),
        ((k.MAX,), 'overflow'), ((v(Fr(2) ** -150),), 'underflow'),
        ((v(Fr(2) ** -126 - Fr(2) ** -151),), 'UF depends on the mode'),
    ], 1)]

if __name__ == '__main__':
    print('rv64f.S', build_f())
    print('rv64d.S', build_d())
    print('rv64f-round.S', build_round(S, 's'))
    print('rv64d-round.S', build_round(D, 'd', sd_round()))
