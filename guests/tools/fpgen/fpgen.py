"""Generates the table-driven FP tests (guests/isa/rv64{f,d}{,-round}.S) from case lists; the
expected values come from fpmodel.py."""
from fpmodel import *

FP_MACROS = r'''
/* ---- table-driven FP checks ------------------------------------------------------------
   FP_TABLE walks a table of 5-dword entries {op1, op2, op3, expected result, expected fflags}
   (FPE(...)); each entry is one check: the result bits and the exact fflags must both match.
   FP_ROUND walks 13-dword entries {op1, op2, op3, then (result, fflags) for RNE, RTZ, RDN, RUP,
   RMM} (FPR(...)) for one rounding mode: each entry is one check that runs the instruction with
   the static rm (while frm holds a different mode) and with rm=dyn (frm = that mode).
   kind = operand shape of `op`:
     F3R: op fa0,fa1,fa2,fa3,rm   F2R: op fa0,fa1,fa2,rm   F2: op fa0,fa1,fa2
     F1R: op fa0,fa1,rm           F1: op fa0,fa1
     XF1R: op a0,fa1,rm           XF1: op a0,fa1           XF2: op a0,fa1,fa2
     FX1R: op fa0,a1,rm           FX1: op fa0,a1
   src = how operands are loaded: s = flw (NaN-boxed singles), d = fld, b = fld of a raw 64-bit
         pattern (to feed improperly NaN-boxed singles), x = ld a1 (integer operand)
   dst = how the result is checked: s = the whole 64-bit f register via fmv.x.d, which must be
         the NaN-boxed single (f-st-ext: narrower results are NaN-boxed), d = fmv.x.d, x = a0 */
#define NV 0x10
#define DZ 0x08
#define OF 0x04
#define UF 0x02
#define NX 0x01
#define FPE(a, b, c, r, f) .dword a, b, c, r, f
#define FPR(a, b, c, r0, f0, r1, f1, r2, f2, r3, f3, r4, f4) \
  .dword a, b, c, r0, f0, r1, f1, r2, f2, r3, f3, r4, f4
#define JUNK 0x5a5a5a5a5a5a5a5a

.macro FP_LOAD src
  .ifc \src, s
  flw fa1, 0(s0)
  flw fa2, 8(s0)
  flw fa3, 16(s0)
  .endif
  .ifc \src, x
  ld a1, 0(s0)
  .else
  .ifnc \src, s
  fld fa1, 0(s0)
  fld fa2, 8(s0)
  fld fa3, 16(s0)
  .endif
  .endif
  li a0, JUNK                   /* the destination must really be written */
  fmv.d.x fa0, a0
.endm

.macro FP_OP kind, op, rm
  .ifc \kind, F3R
  \op fa0, fa1, fa2, fa3, \rm
  .endif
  .ifc \kind, F2R
  \op fa0, fa1, fa2, \rm
  .endif
  .ifc \kind, F2
  \op fa0, fa1, fa2
  .endif
  .ifc \kind, F1R
  \op fa0, fa1, \rm
  .endif
  .ifc \kind, F1
  \op fa0, fa1
  .endif
  .ifc \kind, XF1R
  \op a0, fa1, \rm
  .endif
  .ifc \kind, XF1
  \op a0, fa1
  .endif
  .ifc \kind, XF2
  \op a0, fa1, fa2
  .endif
  .ifc \kind, FX1R
  \op fa0, a1, \rm
  .endif
  .ifc \kind, FX1
  \op fa0, a1
  .endif
.endm

/* run op, compare result (a0) and fflags (a5) with the dwords at off(s0), off+8(s0) */
.macro FP_RUN_CHECK kind, op, rm, dst, off
  csrwi fflags, 0
  FP_OP \kind, \op, \rm
  csrr a5, fflags
  .ifnc \dst, x
  fmv.x.d a0, fa0
  .endif
  ld t1, \off(s0)
  .ifc \dst, s
  li t3, 0xffffffff00000000
  or t1, t1, t3
  .endif
  bne a0, t1, fail
  ld t2, \off + 8(s0)
  bne a5, t2, fail
.endm

.macro FP_TABLE kind, op, rm, src, dst, table, frm=0
  la s0, \table
  la s1, \table\()_end
  csrwi frm, \frm
1:addi TESTNUM, TESTNUM, 1
  FP_LOAD \src
  FP_RUN_CHECK \kind, \op, \rm, \dst, 24
  addi s0, s0, 40
  bltu s0, s1, 1b
  csrwi frm, 0
.endm

.macro FP_ROUND kind, op, src, dst, table, col, rm, other
  la s0, \table
  la s1, \table\()_end
1:addi TESTNUM, TESTNUM, 1
  FP_LOAD \src
  csrwi frm, \other             /* static rm must win over frm */
  FP_RUN_CHECK \kind, \op, \rm, \dst, 24 + 16 * \col
  FP_LOAD \src
  csrwi frm, \col               /* dynamic: rm = dyn reads frm */
  FP_RUN_CHECK \kind, \op, dyn, \dst, 24 + 16 * \col
  addi s0, s0, 104
  bltu s0, s1, 1b
  csrwi frm, 0
.endm

/* all five modes; frm is set to the mode two places further on for the static run */
.macro FP_ROUND_ALL kind, op, src, dst, table
  FP_ROUND \kind, \op, \src, \dst, \table, 0, rne, 2
  FP_ROUND \kind, \op, \src, \dst, \table, 1, rtz, 3
  FP_ROUND \kind, \op, \src, \dst, \table, 2, rdn, 4
  FP_ROUND \kind, \op, \src, \dst, \table, 3, rup, 0
  FP_ROUND \kind, \op, \src, \dst, \table, 4, rmm, 1
.endm
'''

def opnd_fmt(src):
    return {'s': S, 'b': S, 'd': D, 'x': None}[src]

def show(src, v):
    if src == 'x':
        return '0x%x' % v if v > 9 else str(v)
    if src == 'b':
        return ('raw 0x%016x' % v) if v >> 32 != 0xffffffff else fmt_val(S, v & 0xffffffff)
    f = opnd_fmt(src)
    return fmt_val(f, v & ((1 << f.width) - 1))

def show_res(dst, v):
    if dst == 'x':
        return '0x%x' % v if v > 9 else str(v)
    return fmt_val(S if dst == 's' else D, v)

class Table:
    """cases: list of (ops tuple, note)"""
    def __init__(s, name, kind, op, src, dst, fn, expr, cases, rm='dyn', frm=0, title=None, nops=None):
        s.__dict__.update(locals())
    def prep(s, v):
        if s.src == 's': return v & 0xffffffff
        if s.src == 'b': return unbox(v)
        return v
    def code(s):
        return '  FP_TABLE %s, %s, %s, %s, %s, %s, %d' % (s.kind, s.op, s.rm if s.kind.endswith('R') else '-', s.src, s.dst, s.name, s.frm)
    def data(s):
        out = ['%s:' % s.name]
        for c in s.cases:
            ops, note = c if isinstance(c, tuple) and len(c) == 2 and isinstance(c[1], str) else (c, '')
            ops = list(ops) + [0] * (3 - len(ops))
            n = s.nops or len(c[0] if isinstance(c, tuple) and isinstance(c[1], str) else c)
            r, fl = s.fn(*[s.prep(o) for o in ops[:n]], s.rm_val())
            txt = s.expr.format(*[show(s.src, o) for o in ops[:n]]) + ' = ' + show_res(s.dst, r)
            if fl: txt += ' ' + flags_str(fl)
            if note: txt += ' (' + note + ')'
            out.append('  FPE(0x%x, 0x%x, 0x%x, 0x%x, %s)  /* %s */' % (ops[0], ops[1], ops[2], r, flags_str(fl), txt))
        out.append('%s_end:' % s.name)
        return out
    def rm_val(s):
        return s.frm if s.rm == 'dyn' else RM_NAMES.index(s.rm)
    def count(s): return len(s.cases)

class RTable:
    def __init__(s, name, kind, op, src, dst, fn, expr, cases, nops):
        s.__dict__.update(locals())
    prep = Table.prep
    def code(s):
        return '  FP_ROUND_ALL %s, %s, %s, %s, %s' % (s.kind, s.op, s.src, s.dst, s.name)
    def data(s):
        out = ['%s:' % s.name]
        for c in s.cases:
            ops, note = c if isinstance(c, tuple) and len(c) == 2 and isinstance(c[1], str) else (c, '')
            ops = list(ops) + [0] * (3 - len(ops))
            res = [s.fn(*[s.prep(o) for o in ops[:s.nops]], rm) for rm in range(5)]
            txt = s.expr.format(*[show(s.src, o) for o in ops[:s.nops]])
            if note: txt += ' (' + note + ')'
            out.append('  /* %s: %s */' % (txt, ', '.join('%s %s%s' % (RM_NAMES[i].upper(), show_res(s.dst, r), (' ' + flags_str(f)) if f else '') for i, (r, f) in enumerate(res))))
            out.append('  FPR(0x%x, 0x%x, 0x%x,' % tuple(ops))
            out.append('      ' + ',  '.join('0x%x, %s' % (r, flags_str(f)) for r, f in res) + ')')
        out.append('%s_end:' % s.name)
        return out
    def count(s): return 5 * len(s.cases)
