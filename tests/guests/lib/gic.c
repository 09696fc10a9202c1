/*
 * Minimal GIC driver for the guest's virtual GIC: v3 (system-register CPU
 * interface, redistributor SGI frame for PPIs) and v2 (GICD + GICC MMIO).
 * Only PPIs are used, so only per-CPU state is touched after init.
 */
#include "guest.h"

#define GICD_CTLR 0x0000
#define GICD_ISENABLER0 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010

#define GICR_FRAME 0x20000 /* RD_base + SGI_base per redistributor */
#define GICR_WAKER 0x0014
#define GICR_TYPER 0x0008
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI + 0x0100)
#define GICR_IPRIORITYR (GICR_SGI + 0x0400)
#define WAKER_SLEEP (1u << 1)
#define WAKER_ASLEEP (1u << 2)
#define TYPER_LAST (1u << 4)

#define MAX_REDISTS 128

static uintptr_t my_gicr[GUEST_MAX_CPUS];

static unsigned this_cpu(void)
{
    return read_sysreg(mpidr_el1) & (GUEST_MAX_CPUS - 1);
}

/* Find this vCPU's redistributor: GICR_TYPER[63:32] holds its affinity. */
static uintptr_t gicr_find(void)
{
    uint64_t mpidr = read_sysreg(mpidr_el1);
    uint32_t aff = (uint32_t)(((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff));

    for (unsigned i = 0; i < MAX_REDISTS; i++) {
        uintptr_t rd = plat.gicr + (uintptr_t)i * GICR_FRAME;
        uint64_t typer = mmio_read64(rd + GICR_TYPER);

        if ((uint32_t)(typer >> 32) == aff)
            return rd;
        if (typer & TYPER_LAST)
            break;
    }
    return 0;
}

static int v3_cpu_init(void)
{
    uintptr_t rd = gicr_find();

    if (!rd)
        return -1;
    my_gicr[this_cpu()] = rd;
    mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~WAKER_SLEEP);
    for (int spin = 0; mmio_read32(rd + GICR_WAKER) & WAKER_ASLEEP; spin++)
        if (spin > 1000000)
            return -2;
    mmio_write32(rd + GICR_IGROUPR0, 0xffffffffu);                 /* SGIs/PPIs to group 1 */
    write_sysreg(S3_0_C12_C12_5, read_sysreg(S3_0_C12_C12_5) | 1); /* ICC_SRE_EL1.SRE */
    isb();
    write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: let all through */
    write_sysreg(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
    write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
    isb();
    return 0;
}

static int v2_cpu_init(void)
{
    mmio_write32(plat.gicc + GICC_PMR, 0xff);
    mmio_write32(plat.gicc + GICC_CTLR, 1);
    return 0;
}

int gic_cpu_init(void)
{
    if (plat.gic_version == 3)
        return v3_cpu_init();
    if (plat.gic_version == 2)
        return v2_cpu_init();
    return -1;
}

int gic_init(void)
{
    if (plat.gic_version == 3)
        mmio_write32(plat.gicd + GICD_CTLR, (1u << 4) | (1u << 1) | 1u); /* ARE_NS, Grp1A, Grp1 */
    else if (plat.gic_version == 2)
        mmio_write32(plat.gicd + GICD_CTLR, 1);
    else
        return -1;
    return gic_cpu_init();
}

void gic_enable_ppi(unsigned intid)
{
    uint32_t prio_word = intid & ~3u;
    uint32_t shift = (intid & 3u) * 8;
    uintptr_t base = plat.gic_version == 3 ? my_gicr[this_cpu()] : plat.gicd;
    uintptr_t prio = base + (plat.gic_version == 3 ? GICR_IPRIORITYR : GICD_IPRIORITYR);
    uintptr_t en = base + (plat.gic_version == 3 ? GICR_ISENABLER0 : GICD_ISENABLER0);
    uint32_t v = mmio_read32(prio + prio_word);

    v = (v & ~(0xffu << shift)) | (0xa0u << shift);
    mmio_write32(prio + prio_word, v);
    mmio_write32(en, 1u << intid);
}

unsigned gic_ack(void)
{
    if (plat.gic_version == 3) {
        unsigned id = (unsigned)read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */
        __asm__ volatile("dsb sy" ::: "memory");
        return id;
    }
    return mmio_read32(plat.gicc + GICC_IAR) & 0x3ff;
}

void gic_eoi(unsigned intid)
{
    if (plat.gic_version == 3) {
        write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
        isb();
    } else {
        mmio_write32(plat.gicc + GICC_EOIR, intid);
    }
}
