/*
 * The world of the domain tests (tests/unit/domain_world.c): three parts
 * and two lifecycle listeners registered as the layers above core register
 * theirs, the reaper as the scheduler's entry hook (as boot/compose.c), and
 * helpers to build, start, shut down and reap domains over the fakes of
 * domain_world.mk. Every allocation is counted (fakes/p2m_fake.h): setup()
 * notes what is live, all_freed() says whether it is so again.
 *
 * The trace reads, in order: "+a" a part's init, "sa" its start, "-a" its
 * destroy; "1S5" listener 1 told domain 5 is shutting down, "D" shut down,
 * "K" killed (destroyed by the toolstack), "X" destroyed.
 */
#ifndef TESTS_UNIT_DOMAIN_WORLD_H
#define TESTS_UNIT_DOMAIN_WORLD_H

#include <core/domain.h>
#include "fakes/sched_fake.h"

#define MIB (1024ULL * 1024)
#define CHUNK (2 * MIB)

extern char trace[1024];
extern char fail_part;    /* the part whose init fails ('a'..'c'), or 0 */
extern int part_bad;      /* a part or listener ran at the wrong moment (reported) */
extern long pages0;       /* fake_pages_live at setup() */
extern bool world_in_use; /* part b says others map the domain's memory */

void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bad(const char *why);
/* Registers the world once; boot_done: the boot description was processed.
 * Then a fresh pair of pCPUs, no injected failure, an empty trace. */
void setup(bool boot_done);
bool all_freed(void);
struct domain_cfg cfg(const char *name, uint64_t kib, uint32_t vcpus);
struct domain *start(const struct domain_cfg *c); /* created and started */
enum fake_exit reap_on(unsigned int cpu);         /* domain_reap() on that pCPU */
void pass_all(void);                              /* a scheduler pass on each pCPU */
bool destroy(struct domain *d);                   /* shut down (poweroff) and reaped: gone? */

#endif
