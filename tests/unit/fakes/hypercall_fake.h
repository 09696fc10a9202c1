/*
 * What the Xen hypercall decoders (xen/hypercall.c, xen/hc_*.c) stand on, for
 * host tests and fuzzers (fakes/hypercall_fake.c). The Xen state below
 * them is the real code (xen/guest_copy.c, event channels, grant tables,
 * shared_info, balloon, foreign mappings, dom0's console input, wallclock);
 * what is faked:
 *
 * - the guest's address translation (arch_guest_va_to_pa): a guest runs
 *   with its MMU off, so a hypercall's virtual address is its IPA, looked up
 *   in the domain's fake stage 2 (fakes/p2m_fake.h); guest_copy.c then
 *   insists on the caller's own RAM. The pages it is let at are counted, and
 *   one page can be made read-only to fail copies out.
 * - domains: ids below FAKE_P2M_DOMS, each with FAKE_RAM_PAGES of RAM at
 *   FAKE_RAM_VA, looked up and referenced by domain_get/domain_put.
 * - the scheduler, domain shutdown, the PV console backend, guest console
 *   output and the console input multiplexer: recorded for the test to see.
 */
#ifndef TESTS_UNIT_FAKES_HYPERCALL_FAKE_H
#define TESTS_UNIT_FAKES_HYPERCALL_FAKE_H

#include <cloison/types.h>
#include <console/console.h>
#include "p2m_fake.h"

struct domain;
struct vcpu;

#define FAKE_RAM_PAGES 8 /* two 4-page chunks (fake_ram_domain) */
#define FAKE_RAM_VA (FAKE_RAM_GFN << PAGE_SHIFT)
#define FAKE_RAM_END (FAKE_RAM_VA + FAKE_RAM_PAGES * PAGE_SIZE)
#define FAKE_HVC_PC 0x40001000ULL /* where the guest's HVC is: ELR is 4 past it */
#define FAKE_FREQ 62500000ULL     /* arch_counter_freq(), QEMU virt's */
/* The host: 2 pCPUs online (nr_pcpus, pcpus[]), one RAM bank of this size at
 * 0x40000000 (mm_ram_banks, mm_total_pages). */
#define FAKE_HOST_RAM_BYTES (1ULL << 30)

/* fake_domain() flags */
#define FAKE_XEN 1u  /* the Xen interface: xen_dom (event channels) and grant table */
#define FAKE_PRIV 2u /* the control domain (dom0 gets its console input too) */

/* A domain `id` (< FAKE_P2M_DOMS, unused) with nr_vcpus runnable vCPUs. */
struct domain *fake_domain(uint16_t id, unsigned int flags, unsigned int nr_vcpus);
/* Tear d down in core/domain.c's order and forget it. */
void fake_domain_free(struct domain *d);
/* Every domain still there, then the fake's own state: a fresh world. */
void fake_world_reset(void);
struct domain *fake_dom(uint16_t id); /* NULL if none */

/* Host pointer to the guest's RAM at gva (the guest's view: its stage 2), or
 * NULL if gva is not one of its own RAM pages. */
void *fake_gva(struct domain *d, uint64_t gva);

/*
 * Issue hypercall nr from v as the guest does: x16 = nr, x0..x4 = a0..a4,
 * ELR past the HVC at FAKE_HVC_PC; x5..x15 hold a pattern the call must
 * leave. Returns x0 afterwards. fake_continued(v) says whether the call
 * asked to be re-issued (ELR back on the HVC); fake_reissue(v) re-issues it
 * with the registers the continuation left.
 */
int64_t fake_hypercall(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
                       uint64_t a3, uint64_t a4);
bool fake_continued(const struct vcpu *v);
int64_t fake_reissue(struct vcpu *v);
/* x5..x15 as fake_hypercall left them, x16 still the number. */
bool fake_regs_intact(const struct vcpu *v, uint64_t nr);

/* Guest memory accounting and fault injection. */
extern uint64_t fake_guest_writes; /* pages translated for copy_to_guest, all calls */
extern uint64_t fake_guest_reads;  /* pages translated for copy_from_guest */
extern uint64_t fake_ro_gfn;       /* copies to this GFN fault (0 = none) */

/* What the faked layers saw. */
extern unsigned int fake_yields, fake_blocks, fake_pvcons_polls, fake_runstate_updates;
extern unsigned int fake_shutdowns; /* domain_shutdown() calls; the reason is in d */
extern unsigned int fake_upcalls[FAKE_P2M_DOMS][8]; /* xen_upcall_raise per domain, vCPU */
#define FAKE_CON_MAX 8192
extern char fake_con_out[FAKE_P2M_DOMS][FAKE_CON_MAX]; /* console_guest_write, per domain */
extern size_t fake_con_len[FAKE_P2M_DOMS];
extern uint64_t fake_now;                /* arch_counter() */
extern unsigned int fake_affinity_moves; /* sched_set_hard_affinity() calls that took */
/* fakes/ctl_fake.c: core's lifecycle as the toolstack's domctls used it. */
struct fake_ctl {
    unsigned int created;   /* domain_create() calls that made a domain */
    unsigned int populated; /* domain_ram_populate() calls */
    uint64_t flushed_bytes; /* arch_dcache_clean_inval_range() */
    unsigned int icache_flushes;
    unsigned int discarded; /* domain_discard() calls */
};
extern struct fake_ctl fake_ctl;
/* fakes/vgic_level_fake.c: interrupt lines of emulated devices (the vPL011
 * of vuart_op), by domain and INTID below 64, and how often any changed. */
extern bool fake_spi_level[FAKE_P2M_DOMS][64];
extern unsigned int fake_spi_changes[FAKE_P2M_DOMS];

/* Type bytes to the domain attached to the console input (dom0 with the Xen
 * interface, through xen/dom0_console.c); returns how many it took. */
size_t fake_type(const char *s, size_t len);
/* domain_get() references not yet put back, over all domains. */
unsigned int fake_refs_held(void);

#endif
