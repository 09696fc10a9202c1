/*
 * Stage-2 translation (guest physical -> host physical) of one domain.
 * 4 KiB granule, IPA size from the CPU (capped at 48 bits), 2 MiB and 1 GiB
 * blocks where both addresses are aligned. Mappings are made while the
 * domain is built and only torn down whole, so there is no break-before-make
 * on live tables yet.
 */
#ifndef CLOISON_P2M_H
#define CLOISON_P2M_H

#include <cloison/types.h>
#include <cloison/spinlock.h>

enum p2m_type { P2M_RAM, P2M_DEVICE };

struct p2m {
    spinlock_t lock;
    paddr_t root;
    uint16_t vmid;
    uint64_t vttbr;
    size_t table_pages;
};

void p2m_arch_init(void); /* once: VTCR_EL2 from the CPU's features */
unsigned int p2m_ipa_bits(void);
unsigned int p2m_vmid_bits(void);
void p2m_cpu_init(void); /* every pCPU: load VTCR_EL2 */

int p2m_init(struct p2m *p); /* allocate root + VMID; -ENOMEM / -EBUSY */
int p2m_map(struct p2m *p, ipa_t ipa, paddr_t pa, uint64_t size, enum p2m_type t);
void p2m_destroy(struct p2m *p); /* TLB flush for the VMID, free tables and VMID */

#endif
