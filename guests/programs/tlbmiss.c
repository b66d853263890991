/* tlbmiss: a TLB-miss-heavy benchmark. M-mode builds Sv48 page tables that map a 32 MiB array
   (physical 0x81000000..0x83000000: free RAM between the program's data and its stack at the top
   of the first 64 MiB, so 64 MiB machines run it too) with 4 KiB pages at virtual 64 GiB, plus
   identity gigapages for the program and the devices, then drops to S-mode with paging on.
   S-mode makes random accesses across the array: 8192 pages against a soft TLB of a few hundred
   entries, so nearly every access misses and walks the four levels.
   Self-check: slot j of page p holds hash(p, j) or its complement (each random access checks the
   value it reads, then flips it), and a final pass checks every slot and that the number of
   flipped slots has the parity of the number of flips. About 30M instructions at -O2. */
#include <stdint.h>
#include <stdio.h>

#include "wv.h"

#define PAGES 8192u           /* 32 MiB of 4 KiB pages */
#define SLOTS 8u              /* words used per page, 512 bytes apart */
#define ACCESSES 1000000u     /* random read-check-flip accesses */
#define ARRAY_PA 0x81000000ul /* physical frames of the array (unused by the program's image and stack) */
#define ARRAY_VA 0x1000000000ul /* virtual address of the array: 64 GiB */
#define PTE_V 0x1ul
#define PTE_RWX_AD (0x2ul | 0x4ul | 0x8ul | 0x40ul | 0x80ul) /* R W X A D (A/D preset: no walker writes) */
#define PTE_RW_AD (0x2ul | 0x4ul | 0x40ul | 0x80ul)
#define SATP_SV48 (9ul << 60)

/* Page tables (static, page-aligned): root, one level-2 table, one level-1 table, 16 leaf tables. */
static uint64_t root[512] __attribute__((aligned(4096)));
static uint64_t level2[512] __attribute__((aligned(4096)));
static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t leaves[PAGES / 512][512] __attribute__((aligned(4096)));

static volatile uint64_t s_errors, s_flipped, s_sum;

static inline uint64_t pte_table(const void *next) { return ((uintptr_t)next >> 12) << 10 | PTE_V; }
static inline uint64_t pte_leaf(uint64_t pa, uint64_t flags) { return (pa >> 12) << 10 | flags | PTE_V; }

static inline uint64_t hash(uint64_t page, uint64_t slot)
{
  uint64_t x = page * 0x9e3779b97f4a7c15ull ^ (slot + 1) * 0xbf58476d1ce4e5b9ull;
  x ^= x >> 31;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 29);
}

static inline volatile uint64_t *slot_at(uint64_t page, uint64_t slot)
{
  return (volatile uint64_t *)(ARRAY_VA + page * 4096 + slot * 512);
}

static void build_tables(void)
{
  root[0] = pte_table(level2);               /* VA 0 .. 512 GiB */
  level2[0] = pte_leaf(0, PTE_RW_AD);        /* devices: identity gigapage 0 .. 1 GiB */
  level2[2] = pte_leaf(0x80000000ul, PTE_RWX_AD); /* RAM: identity gigapage 2 .. 3 GiB */
  level2[ARRAY_VA >> 30] = pte_table(level1);
  for (uint64_t t = 0; t < PAGES / 512; t++) {
    level1[t] = pte_table(leaves[t]);
    for (uint64_t i = 0; i < 512; i++) leaves[t][i] = pte_leaf(ARRAY_PA + (t * 512 + i) * 4096, PTE_RW_AD);
  }
}

/* S-mode: fill, random accesses, final check; returns to M-mode with ecall. */
static void __attribute__((noreturn, used)) s_main(void)
{
  for (uint64_t p = 0; p < PAGES; p++)
    for (uint64_t s = 0; s < SLOTS; s++) *slot_at(p, s) = hash(p, s);
  uint64_t state = 0x2545f4914f6cdd1dull, errors = 0, sum = 0;
  for (uint32_t k = 0; k < ACCESSES; k++) {
    state = state * 6364136223846793005ull + 1442695040888963407ull; /* LCG (Knuth's MMIX) */
    uint64_t r = state >> 33;
    uint64_t p = r % PAGES, s = (r / PAGES) % SLOTS;
    volatile uint64_t *w = slot_at(p, s);
    uint64_t v = *w, h = hash(p, s);
    if (v != h && v != ~h) errors++;
    sum += v;
    *w = ~v;
  }
  uint64_t flipped = 0;
  for (uint64_t p = 0; p < PAGES; p++)
    for (uint64_t s = 0; s < SLOTS; s++) {
      uint64_t v = *slot_at(p, s), h = hash(p, s);
      if (v == ~h) flipped++;
      else if (v != h) errors++;
    }
  s_errors = errors;
  s_flipped = flipped;
  s_sum = sum;
  __asm__ volatile("ecall");
  for (;;) {}
}

/* M-mode trap handler: the S-mode ecall (cause 9) ends the S-mode part. */
void __attribute__((noreturn, used)) m_trap(uint64_t cause, uint64_t epc, uint64_t tval)
{
  WV_CHECK(cause == 9, "unexpected trap: mcause %lu at %#lx (mtval %#lx)", (unsigned long)cause,
           (unsigned long)epc, (unsigned long)tval);
  if (cause == 9) {
    WV_CHECK(s_errors == 0, "%lu slots held a wrong value", (unsigned long)s_errors);
    WV_CHECK(s_flipped % 2 == ACCESSES % 2, "%lu flipped slots after %u flips (parity)", (unsigned long)s_flipped, ACCESSES);
    WV_CHECK(s_flipped > 0 && s_flipped <= ACCESSES, "%lu flipped slots", (unsigned long)s_flipped);
    printf("tlbmiss: %u random accesses over %u pages (32 MiB), %lu slots flipped, sum %#lx\n", ACCESSES, PAGES,
           (unsigned long)s_flipped, (unsigned long)s_sum);
  }
  wv_exit(wv_finish("tlbmiss"));
}

__asm__(".align 2\n"
        "m_trap_entry:\n"
        "  csrr a0, mcause\n"
        "  csrr a1, mepc\n"
        "  csrr a2, mtval\n"
        "  j m_trap\n");
extern char m_trap_entry[];

int main(void)
{
  build_tables();
  /* PMP: let S-mode reach everything (NAPOT over the whole address space, RWX). */
  __asm__ volatile("csrw pmpaddr0, %0" ::"r"(~0ul >> 10));
  __asm__ volatile("csrw pmpcfg0, %0" ::"r"(0x1ful));
  __asm__ volatile("csrw mtvec, %0" ::"r"(m_trap_entry));
  __asm__ volatile("csrw medeleg, zero");
  __asm__ volatile("csrw satp, %0" ::"r"(SATP_SV48 | ((uintptr_t)root >> 12)));
  __asm__ volatile("sfence.vma");
  /* mret into S-mode at s_main (MPP = S), on the same stack (identity-mapped). */
  uint64_t mstatus;
  __asm__ volatile("csrr %0, mstatus" : "=r"(mstatus));
  mstatus = (mstatus & ~(3ul << 11)) | (1ul << 11);
  __asm__ volatile("csrw mstatus, %0" ::"r"(mstatus));
  __asm__ volatile("csrw mepc, %0" ::"r"(s_main));
  __asm__ volatile("mret");
  return 1;
}
