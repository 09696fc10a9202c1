/*
 * EL2 stretches: how long a pCPU stays in Cloison with interrupts masked,
 * from taking an exception (a guest's trap or interrupt, an interrupt in the
 * idle loop) until it gives the CPU back (eret into a guest, or the idle
 * loop's wait with interrupts open). Nothing else runs on that pCPU
 * meanwhile — no other vCPU, no interrupt — so the longest stretch is the
 * worst latency any guest or interrupt sharing the pCPU can see from
 * Cloison. Every guest-triggerable stretch must be bounded (DESIGN.md §7).
 *
 * Kept per pCPU (each pCPU writes only its own record: no lock, no atomic)
 * and per class: the trap layer opens a stretch with the class of what was
 * taken (HVC by hypercall number, MMIO, sysreg, WFx, IRQ, ...) and names the
 * classes at boot; core adds its own two. A stretch costs two counter reads.
 * Readers (the 's' debug key) take a racy snapshot, which is fine for a
 * statistic.
 */
#ifndef CLOISON_STRETCH_H
#define CLOISON_STRETCH_H
#include <cloison/types.h>

#define STRETCH_CLASSES 96
/* Core's own classes; the trap layer's start at STRETCH_FIRST_TRAP. */
#define STRETCH_IDLE_EXIT 0  /* an interrupt woke the idle loop: back to a guest */
#define STRETCH_REAP 1       /* the stretch freed (and maybe rebuilt) a dead domain */
#define STRETCH_FIRST_TRAP 2 /* first class the trap layer may use */
#define STRETCH_NO_DOMAIN 0xffffu

/* This pCPU enters Cloison: a stretch of class cls, on behalf of domain
 * domid (STRETCH_NO_DOMAIN if none), starts now. */
void stretch_begin(unsigned int cls, uint16_t domid);
/* The open stretch turns out to be of another class (a decoded hypercall,
 * a domain reaped on the way out). */
void stretch_classify(unsigned int cls);
/* This pCPU leaves Cloison (eret, or the idle wait): record the stretch. */
void stretch_end(void);

/* Boot, once, before any pCPU takes an exception: names[cls] for the trap
 * layer's classes (NULL: unused). The table must outlive everything. */
void stretch_set_names(const char *const *names, unsigned int n);
const char *stretch_class_name(unsigned int cls); /* NULL if unnamed */

/* The longest stretch of class cls over all pCPUs since boot (or the last
 * reset), in counter ticks, with where it happened and how many there were. */
struct stretch_stat {
    uint64_t max_ticks;
    uint64_t count;
    uint16_t domid; /* whose exception the longest one was */
    unsigned int cpu;
};
void stretch_read(unsigned int cls, struct stretch_stat *out);
/* Forget every pCPU's records (a test measures from a known point). */
void stretch_reset(void);

#endif
