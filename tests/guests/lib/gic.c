/*
 * Minimal GIC driver for the guest's virtual GIC: v3 (system-register CPU
 * interface, redistributor SGI frame for PPIs) and v2 (GICD + GICC MMIO).
 * Cases configure SGIs, PPIs and SPIs with the per-interrupt helpers below.
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

/* ---- per-interrupt configuration and generation (stress and benchmark cases) ---- */

#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_ICFGR 0x0c00
#define GICD_ITARGETSR 0x0800
#define GICD_SGIR 0x0f00
#define GICD_IROUTER 0x6000
#define GICD_TYPER 0x0004

static uint32_t last_iar[GUEST_MAX_CPUS]; /* v2: the EOI must name the SGI's sender */

/* Frame holding intid's per-interrupt registers: the redistributor SGI frame
 * for v3 private INTIDs, the distributor otherwise (v2 banks 0..31 there). */
static uintptr_t irq_frame(unsigned intid)
{
    if (plat.gic_version == 3 && intid < 32)
        return my_gicr[this_cpu()] + GICR_SGI;
    return plat.gicd;
}

void gic_set_priority(unsigned intid, uint8_t prio)
{
    uintptr_t reg = irq_frame(intid) + GICD_IPRIORITYR + (intid & ~3u);
    uint32_t shift = (intid & 3u) * 8;

    mmio_write32(reg, (mmio_read32(reg) & ~(0xffu << shift)) | (uint32_t)prio << shift);
}

void gic_enable(unsigned intid)
{
    mmio_write32(irq_frame(intid) + GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_set_pending(unsigned intid)
{
    mmio_write32(irq_frame(intid) + GICD_ISPENDR + (intid / 32) * 4, 1u << (intid % 32));
}

void gic_set_edge(unsigned intid)
{
    uintptr_t reg = irq_frame(intid) + GICD_ICFGR + (intid / 16) * 4;

    mmio_write32(reg, mmio_read32(reg) | 2u << ((intid % 16) * 2));
}

/* SPI intid to vCPU cpu: IROUTER with that vCPU's affinity (v3), or the
 * one-hot ITARGETSR byte (v2, CPU interface number = vCPU index). */
void gic_route_spi(unsigned intid, unsigned cpu)
{
    if (plat.gic_version == 3) {
        uint64_t aff = plat.cpu_mpidr[cpu] & 0xff00ffffffull;
        uintptr_t reg = plat.gicd + GICD_IROUTER + intid * 8;
        mmio_write32(reg, (uint32_t)aff);
        mmio_write32(reg + 4, (uint32_t)(aff >> 32));
        return;
    }
    uintptr_t reg = plat.gicd + GICD_ITARGETSR + (intid & ~3u);
    uint32_t shift = (intid & 3u) * 8;

    mmio_write32(reg, (mmio_read32(reg) & ~(0xffu << shift)) | (1u << cpu) << shift);
}

unsigned gic_nr_intids(void)
{
    unsigned n = ((mmio_read32(plat.gicd + GICD_TYPER) & 0x1f) + 1) * 32;

    return n > 1020 ? 1020 : n;
}

void gic_send_sgi(unsigned cpu, unsigned sgi)
{
    dsb_sy(); /* the receiver must see our shared-memory writes first */
    if (plat.gic_version == 3) {
        uint64_t mpidr = plat.cpu_mpidr[cpu];
        uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
                     ((mpidr >> 8) & 0xff) << 16 | ((mpidr >> 4) & 0xf) << 44 |
                     (uint64_t)(sgi & 0xf) << 24 | 1u << (mpidr & 0xf);
        write_sysreg(S3_0_C12_C11_5, v); /* ICC_SGI1R_EL1 */
        isb();
        return;
    }
    mmio_write32(plat.gicd + GICD_SGIR, (1u << cpu) << 16 | (sgi & 0xf));
}

unsigned gic_last_source(void)
{
    return (last_iar[this_cpu()] >> 10) & 7;
}

unsigned gic_ack(void)
{
    if (plat.gic_version == 3) {
        unsigned id = (unsigned)read_sysreg(S3_0_C12_C12_0) & 0xffffff; /* ICC_IAR1_EL1 */
        __asm__ volatile("dsb sy" ::: "memory");
        return id;
    }
    uint32_t iar = mmio_read32(plat.gicc + GICC_IAR);

    last_iar[this_cpu()] = iar;
    return iar & 0x3ff;
}

void gic_eoi(unsigned intid)
{
    if (plat.gic_version == 3) {
        write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
        isb();
    } else {
        uint32_t iar = last_iar[this_cpu()];
        /* An SGI's EOI carries the CPUID the IAR gave, or it deactivates nothing. */
        mmio_write32(plat.gicc + GICC_EOIR, (iar & 0x3ff) == intid ? iar : intid);
    }
}
