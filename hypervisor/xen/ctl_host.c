/*
 * The host as the toolstack sees it: SYSCTL physinfo (xl info, and the
 * capabilities libxl builds every domain's configuration from), and the
 * xenctl_bitmap helpers the CPU maps of every ctl_*.c go through (the pools
 * themselves: ctl_cpupool.c).
 *
 * What Xen 4.17 on ARM reports, with Cloison's numbers: one thread per core
 * and one core per socket (Xen/ARM does not read the topology), one NUMA
 * node, cpu_khz from the generic timer, capabilities hvm | hap | gnttab_v1
 * (no IOMMU, no grant table v2, no vPMU), pages of host RAM and what domains
 * may still take (free pages beyond Cloison's own reserve).
 */
#include <cloison/arch.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <cloison/percpu.h>
#include <core/domain.h>
#include <xen/guest_copy.h>
#include <string.h>
#include "ctl.h"

int ctl_put_bitmap(struct vcpu *v, const struct xenctl_bitmap *b, const uint8_t *bytes,
                   unsigned int nbits)
{
    static const uint8_t zeroes[64];
    if (b->nr_bits > CTL_BITMAP_MAX_BITS)
        return -EINVAL;
    uint32_t guest_bytes = (b->nr_bits + 7) / 8, ours = (nbits + 7) / 8;
    uint32_t n = MIN(guest_bytes, ours);
    if (n && copy_to_guest(v, b->bitmap, bytes, n))
        return -EFAULT;
    while (n < guest_bytes) {
        uint32_t k = MIN(guest_bytes - n, (uint32_t)sizeof(zeroes));
        if (copy_to_guest(v, b->bitmap + n, zeroes, k))
            return -EFAULT;
        n += k;
    }
    return 0;
}

int ctl_get_mask(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t *mask, unsigned int nbits)
{
    uint8_t bytes[sizeof(*mask)] = {0};
    uint32_t guest_bytes = (b->nr_bits + 7) / 8, ours = (MIN(nbits, 64u) + 7) / 8;
    uint32_t n = MIN(guest_bytes, ours);
    if (n && copy_from_guest(v, bytes, b->bitmap, n))
        return -EFAULT;
    if (n && (b->nr_bits & 7) && guest_bytes == n) /* the guest's own last bits only */
        bytes[n - 1] &= (uint8_t) ~(0xffu << (b->nr_bits & 7));
    *mask = 0;
    for (uint32_t i = 0; i < n; i++)
        *mask |= (uint64_t)bytes[i] << (8 * i);
    return 0;
}

int ctl_put_mask(struct vcpu *v, const struct xenctl_bitmap *b, uint64_t mask, unsigned int nbits)
{
    uint8_t bytes[sizeof(mask)];
    if (nbits < 64) /* Xen's bitmap_to_xenctl_bitmap clears the bits past nbits */
        mask &= (1ULL << nbits) - 1;
    for (unsigned int i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)(mask >> (8 * i));
    return ctl_put_bitmap(v, b, bytes, MIN(nbits, 64u));
}

/* Online pCPUs as a byte map; returns the map's size in bits. */
static unsigned int online_map(uint8_t map[(MAX_PCPUS + 7) / 8], unsigned int *count)
{
    memset(map, 0, (MAX_PCPUS + 7) / 8);
    *count = 0;
    for (unsigned int i = 0; i < nr_pcpus; i++)
        if (__atomic_load_n(&pcpus[i].online, __ATOMIC_ACQUIRE)) {
            map[i / 8] |= (uint8_t)(1u << (i % 8));
            (*count)++;
        }
    return nr_pcpus;
}

static uint64_t max_mfn(void)
{
    const struct mem_range *banks;
    unsigned int n = mm_ram_banks(&banks);
    uint64_t end = 0;
    for (unsigned int i = 0; i < n; i++)
        end = MAX(end, banks[i].start + banks[i].size);
    return end ? (end >> PAGE_SHIFT) - 1 : 0;
}

int64_t sysctl_physinfo(struct vcpu *v, struct xen_sysctl *op, bool *copyback)
{
    (void)v;
    struct xen_sysctl_physinfo *pi = &op->u.physinfo;
    uint8_t map[(MAX_PCPUS + 7) / 8];
    unsigned int online;
    memset(pi, 0, sizeof(*pi));
    pi->threads_per_core = 1;
    pi->cores_per_socket = 1;
    pi->max_cpu_id = online_map(map, &online) - 1;
    pi->nr_cpus = online;
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = (uint32_t)(arch_counter_freq() / 1000);
    pi->capabilities =
        XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = mm_total_pages();
    size_t free = mm_free_pages(), reserve = mm_reserve_pages();
    pi->free_pages = free > reserve ? free - reserve : 0;
    pi->max_mfn = max_mfn();
    *copyback = true;
    return 0;
}
