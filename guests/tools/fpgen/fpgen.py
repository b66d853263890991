"""Generates the table-driven FP tests (guests/isa/rv64{f,d}{,-round}.S) from case lists; the
expected values come from fpmodel.py."""
from fpmodel import *

# The runner macros (FP_TABLE, FP_ROUND, ...) live in guests/common/fptest.h.
FP_MACROS = ''

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
