/*
 * vGIC state core and both front-ends, on the host: the "hardware" list
 * registers are fake_lr[], and the test plays the guest by editing them
 * (acknowledge = pending -> active, EOI = invalid) between flush and sync.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <core/domain.h>
#include <drivers/gic_vif.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include "fakes/vgic_fake.h"

#define NR_SPIS 64

/* v3 LR fields */
#define V3_PENDING (1ULL << 62)
#define V3_ACTIVE (1ULL << 63)
#define V3_STATE(lr) ((lr) >> 62)
#define V3_PRIO(lr) (((lr) >> 48) & 0xff)
#define V3_INTID(lr) ((uint32_t)(lr))
/* v2 LR fields */
#define V2_PENDING (1ULL << 28)
#define V2_ACTIVE (1ULL << 29)
#define V2_EOI (1ULL << 19)
#define V2_STATE(lr) (((lr) >> 28) & 3)
#define V2_INTID(lr) ((lr)&0x3ff)
#define V2_CPUID(lr) (((lr) >> 10) & 7)

#define ST_PENDING 1
#define ST_ACTIVE 2
#define ST_BOTH 3

static struct domain dom;
static struct vcpu *vc[4];

static void setup(enum gic_version ver, unsigned int nr_vcpus, unsigned int nr_lrs)
{
    fake_vgic_reset(ver, nr_lrs);
    if (dom.vgic)
        vgic_domain_destroy(&dom);
    fake_vcpus_free(vc, 4);
    fake_domain_make(&dom, vc, nr_vcpus);
    CHECK_EQ(vgic_domain_init(&dom, NR_SPIS), 0);
    for (unsigned int i = 0; i < nr_vcpus; i++)
        vgic_vcpu_init(vc[i]);
}

static void teardown(void)
{
    vgic_domain_destroy(&dom);
    fake_vcpus_free(vc, 4);
}

static enum mmio_result mmio_w(struct vcpu *v, ipa_t addr, unsigned int size, uint64_t val)
{
    return vgic_mmio(v, addr, size, true, &val);
}

static uint64_t mmio_r(struct vcpu *v, ipa_t addr, unsigned int size)
{
    uint64_t val = 0xdeadbeef;
    CHECK_EQ(vgic_mmio(v, addr, size, false, &val), MMIO_HANDLED);
    return val;
}

#define GICD(off) (VGIC_GICD_BASE + (off))
/* v3 SGI_base frame of vCPU n */
#define GICR_SGI(n, off) (VGIC_V3_GICR_BASE + (n)*VGIC_V3_GICR_STRIDE + 0x10000 + (off))
#define GICR_RD(n, off) (VGIC_V3_GICR_BASE + (n)*VGIC_V3_GICR_STRIDE + (off))

/* Guest on vCPU n (v3): enable a private interrupt with a priority. */
static void v3_enable_private(unsigned int n, uint32_t intid, uint8_t prio)
{
    CHECK_EQ(mmio_w(vc[n], GICR_SGI(n, 0x400 + intid), 1, prio), MMIO_HANDLED);
    CHECK_EQ(mmio_w(vc[n], GICR_SGI(n, 0x100), 4, 1U << intid), MMIO_HANDLED);
}

static void enable_spi(struct vcpu *v, uint32_t intid, uint8_t prio)
{
    CHECK_EQ(mmio_w(v, GICD(0x400 + intid), 1, prio), MMIO_HANDLED);
    CHECK_EQ(mmio_w(v, GICD(0x100 + (intid / 32) * 4), 4, 1U << (intid % 32)), MMIO_HANDLED);
}

/* Guest acknowledges / deactivates LR n (v3 or v2 state bits). */
static void guest_ack(unsigned int n)
{
    if (fake_irqchip.version == GIC_V3)
        fake_lr[n] = (fake_lr[n] & ~V3_PENDING) | V3_ACTIVE;
    else
        fake_lr[n] = (fake_lr[n] & ~V2_PENDING) | V2_ACTIVE;
}

static void guest_eoi(unsigned int n)
{
    if (fake_irqchip.version == GIC_V3)
        fake_lr[n] &= ~(V3_PENDING | V3_ACTIVE);
    else
        fake_lr[n] &= ~(V2_PENDING | V2_ACTIVE);
}

/* Number of LRs the flush wrote with a valid state. */
static unsigned int lrs_valid(void)
{
    unsigned int n = 0;
    for (unsigned int i = 0; i < fake_irqchip.nr_lrs; i++)
        n += fake_irqchip.version == GIC_V3 ? V3_STATE(fake_lr[i]) != 0 : V2_STATE(fake_lr[i]) != 0;
    return n;
}

TEST(lr_fill_in_priority_order)
{
    setup(GIC_V3, 1, 4);
    mmio_w(vc[0], GICD(0), 4, 2); /* EnableGrp1 */
    v3_enable_private(0, 20, 0x80);
    v3_enable_private(0, 21, 0x40);
    v3_enable_private(0, 22, 0xc0);
    vgic_inject(vc[0], 22);
    vgic_inject(vc[0], 20);
    vgic_inject(vc[0], 21);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 21);
    CHECK_EQ(V3_PRIO(fake_lr[0]), 0x40);
    CHECK_EQ(V3_INTID(fake_lr[1]), 20);
    CHECK_EQ(V3_INTID(fake_lr[2]), 22);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_PENDING);
    CHECK(fake_lr[0] & (1ULL << 60)); /* Group 1 */
    CHECK_EQ(fake_lr[3], 0);
    CHECK_EQ(fake_hcr, GIC_VIF_HCR_EN); /* no overflow: no maintenance */
    vgic_sync(vc[0]);
    CHECK_EQ(lrs_valid(), 0); /* the sync leaves the LRs empty */
    teardown();
}

TEST(overflow_waits_for_eoi_then_fills)
{
    setup(GIC_V3, 1, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    for (uint32_t i = 0; i < 6; i++) {
        enable_spi(vc[0], 40 + i, (uint8_t)(0x10 * (6 - i))); /* 45 is the most urgent */
        vgic_inject(vc[0], 40 + i);
    }
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 4);
    CHECK_EQ(V3_INTID(fake_lr[0]), 45);
    CHECK_EQ(V3_INTID(fake_lr[3]), 42);
    CHECK(fake_hcr & GIC_VIF_HCR_UIE);
    /* Guest handles all four. */
    for (unsigned int n = 0; n < 4; n++) {
        guest_ack(n);
        guest_eoi(n);
    }
    vgic_sync(vc[0]);
    CHECK_EQ(fake_hcr, GIC_VIF_HCR_EN); /* maintenance condition removed */
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 2);
    CHECK_EQ(V3_INTID(fake_lr[0]), 41);
    CHECK_EQ(V3_INTID(fake_lr[1]), 40);
    CHECK(!(fake_hcr & GIC_VIF_HCR_UIE));
    for (unsigned int n = 0; n < 2; n++)
        guest_eoi(n);
    vgic_sync(vc[0]);
    CHECK(!vgic_vcpu_pending(vc[0]));
    teardown();
}

TEST(active_interrupts_keep_their_lr)
{
    setup(GIC_V3, 1, 2);
    mmio_w(vc[0], GICD(0), 4, 2);
    enable_spi(vc[0], 50, 0xa0);
    vgic_inject(vc[0], 50);
    vgic_flush(vc[0]);
    guest_ack(0); /* 50 active in the guest */
    vgic_sync(vc[0]);
    enable_spi(vc[0], 51, 0x10);
    enable_spi(vc[0], 52, 0x20);
    vgic_inject(vc[0], 51);
    vgic_inject(vc[0], 52);
    vgic_flush(vc[0]);
    /* The active one must stay visible so the guest can EOI it. */
    CHECK_EQ(V3_INTID(fake_lr[0]), 50);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_ACTIVE);
    CHECK_EQ(V3_INTID(fake_lr[1]), 51);
    CHECK(fake_hcr & GIC_VIF_HCR_UIE);
    teardown();
}

TEST(disabled_interrupts_stay_pending_but_masked)
{
    setup(GIC_V3, 1, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    vgic_inject(vc[0], 27); /* vtimer before the guest enabled it */
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 0);
    CHECK(!vgic_vcpu_pending(vc[0]));
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0x200), 4), 1U << 27); /* ISPENDR0 */
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0x100), 4), 0);        /* ISENABLER0 */
    fake_kicks[0] = 0;
    v3_enable_private(0, 27, 0xa0);
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0x180), 4), 1U << 27); /* ICENABLER0 reads enables */
    CHECK(vgic_vcpu_pending(vc[0]));
    CHECK_EQ(fake_kicks[0], 1);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 27);
    vgic_sync(vc[0]);                               /* guest did not take it yet */
    mmio_w(vc[0], GICR_SGI(0, 0x180), 4, 1U << 27); /* disable */
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 0);
    CHECK(!vgic_vcpu_pending(vc[0]));
    /* Distributor group enable masks as well. */
    mmio_w(vc[0], GICR_SGI(0, 0x100), 4, 1U << 27);
    mmio_w(vc[0], GICD(0), 4, 0);
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 0);
    mmio_w(vc[0], GICD(0), 4, 2);
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 1);
    teardown();
}

TEST(edge_reinjection_while_active)
{
    setup(GIC_V3, 1, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    v3_enable_private(0, 27, 0xa0); /* level by default: vgic_inject still latches */
    vgic_inject(vc[0], 27);
    vgic_inject(vc[0], 27); /* coalesced */
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 1);
    guest_ack(0);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_ACTIVE); /* coalesced: nothing pending */
    /* The timer fires again while the guest still has it active. */
    vgic_inject(vc[0], 27);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_BOTH);
    guest_eoi(0); /* EOI with pending set: hardware leaves it pending */
    fake_lr[0] |= V3_PENDING;
    vgic_sync(vc[0]);
    CHECK(vgic_vcpu_pending(vc[0]));
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_PENDING);
    teardown();
}

TEST(level_line_follows_source)
{
    setup(GIC_V3, 1, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    enable_spi(vc[0], 33, 0xa0); /* SPIs reset level-sensitive */
    CHECK_EQ(mmio_r(vc[0], GICD(0xc08), 4), 0);
    vgic_set_level(vc[0], 33, true);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_PENDING);
    guest_ack(0);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_BOTH); /* line still high */
    guest_ack(0);
    vgic_sync(vc[0]);
    vgic_set_level(vc[0], 33, false); /* guest's handler quietened the device */
    vgic_flush(vc[0]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_ACTIVE);
    guest_eoi(0);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 0);
    /* Edge config: a line is not a reason to be pending, only an event. */
    mmio_w(vc[0], GICD(0xc08), 4, 2U << 2); /* INTID 33 edge */
    CHECK_EQ(mmio_r(vc[0], GICD(0xc08), 4), 2U << 2);
    vgic_set_level(vc[0], 33, true);
    CHECK(!vgic_vcpu_pending(vc[0]));
    /* SGIs are edge and read-only. */
    mmio_w(vc[0], GICR_SGI(0, 0xc00), 4, 0);
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0xc00), 4), 0xaaaaaaaaU);
    teardown();
}

static uint64_t sgi1r(uint32_t sgi, uint16_t list, bool irm)
{
    return (uint64_t)sgi << 24 | list | (irm ? 1ULL << 40 : 0);
}

/* ESR ISS of an MSR ICC_SGI1R_EL1 (Op0 3, Op1 0, CRn 12, CRm 11, Op2 5), Rt = 3. */
#define ISS_SGI1R (3U << 20 | 5U << 17 | 0U << 14 | 12U << 10 | 3U << 5 | 11U << 1)
#define ISS_SGI0R (3U << 20 | 7U << 17 | 0U << 14 | 12U << 10 | 3U << 5 | 11U << 1)

TEST(v3_sgi_targets)
{
    setup(GIC_V3, 4, 4);
    mmio_w(vc[0], GICD(0), 4, 3);
    for (unsigned int i = 0; i < 4; i++)
        v3_enable_private(i, 3, 0x80);
    uint64_t val = sgi1r(3, 0xa, false); /* vCPUs 1 and 3 */
    CHECK(vgic_sysreg(vc[0], ISS_SGI1R, &val, true));
    CHECK(!vgic_vcpu_pending(vc[0]));
    CHECK(vgic_vcpu_pending(vc[1]));
    CHECK(!vgic_vcpu_pending(vc[2]));
    CHECK(vgic_vcpu_pending(vc[3]));
    CHECK_EQ(fake_kicks[1], 1);
    CHECK_EQ(fake_kicks[2], 0);
    vgic_flush(vc[1]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 3);
    vgic_sync(vc[1]);
    /* IRM: everyone but the sender. */
    val = sgi1r(3, 0, true);
    CHECK(vgic_sysreg(vc[2], ISS_SGI1R, &val, true));
    CHECK(vgic_vcpu_pending(vc[0]));
    CHECK(!vgic_vcpu_pending(vc[2]));
    /* Aff1 != 0 names nobody here; Group 0 register does not raise Group 1 SGIs. */
    setup(GIC_V3, 2, 4);
    mmio_w(vc[0], GICD(0), 4, 3);
    v3_enable_private(1, 4, 0x80);
    val = sgi1r(4, 0x2, false) | 1ULL << 16;
    vgic_sysreg(vc[0], ISS_SGI1R, &val, true);
    CHECK(!vgic_vcpu_pending(vc[1]));
    val = sgi1r(4, 0x2, false);
    CHECK(vgic_sysreg(vc[0], ISS_SGI0R, &val, true));
    CHECK(!vgic_vcpu_pending(vc[1]));
    val = 0;
    CHECK(!vgic_sysreg(vc[0], 3U << 20 | 12U << 10 | 12U << 1, &val, true)); /* ICC_IAR1 */
    teardown();
}

TEST(v3_spi_routing)
{
    setup(GIC_V3, 3, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    enable_spi(vc[0], 40, 0xa0);
    CHECK_EQ(mmio_w(vc[0], GICD(0x6000 + 40 * 8), 8, 1), MMIO_HANDLED); /* Aff0 = 1 */
    CHECK_EQ(mmio_r(vc[0], GICD(0x6000 + 40 * 8), 8), 1);
    vgic_inject(vc[0], 40);
    CHECK(!vgic_vcpu_pending(vc[0]));
    CHECK(vgic_vcpu_pending(vc[1]));
    /* Re-routed while pending: it follows. */
    mmio_w(vc[0], GICD(0x6000 + 40 * 8), 4, 2);
    CHECK(!vgic_vcpu_pending(vc[1]));
    CHECK(vgic_vcpu_pending(vc[2]));
    vgic_flush(vc[2]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 40);
    vgic_sync(vc[2]);
    /* Routed to an affinity no vCPU has: held until routed. */
    mmio_w(vc[0], GICD(0x6000 + 40 * 8), 8, 7);
    vgic_flush(vc[2]);
    CHECK_EQ(lrs_valid(), 0);
    mmio_w(vc[0], GICD(0x6000 + 40 * 8), 8, 1ULL << 31); /* IRM: any */
    CHECK(vgic_vcpu_pending(vc[0]));
    teardown();
}

/* Re-routed while active on its old target and made pending again: the old
 * target's LR keeps it active only (asking for an exit at its EOI) and the
 * new target takes it after the deactivation, never the old one again. */
TEST(spi_rerouted_while_active_goes_to_the_new_target)
{
    setup(GIC_V3, 2, 4);
    mmio_w(vc[0], GICD(0), 4, 2);
    enable_spi(vc[0], 40, 0xa0);
    mmio_w(vc[0], GICD(0xc00 + 40 / 16 * 4), 4, 2U << (40 % 16 * 2)); /* edge, as ISPENDR users */
    mmio_w(vc[0], GICD(0x6000 + 40 * 8), 8, 1);                       /* to vCPU 1 */
    vgic_inject(vc[0], 40);
    vgic_flush(vc[1]);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_PENDING);
    guest_ack(0);
    vgic_sync(vc[1]);
    mmio_w(vc[0], GICD(0x6000 + 40 * 8), 8, 0); /* to vCPU 0, still active on 1 */
    vgic_inject(vc[0], 40);
    CHECK(!vgic_vcpu_pending(vc[0])); /* not before vCPU 1 deactivates it */
    vgic_flush(vc[1]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 40);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_ACTIVE);
    CHECK(fake_lr[0] & (1ULL << 41)); /* EOI maintenance */
    guest_eoi(0);
    vgic_sync(vc[1]);
    CHECK(vgic_vcpu_pending(vc[0]));
    vgic_flush(vc[1]);
    CHECK_EQ(lrs_valid(), 0);
    vgic_flush(vc[0]);
    CHECK_EQ(V3_INTID(fake_lr[0]), 40);
    CHECK_EQ(V3_STATE(fake_lr[0]), ST_PENDING);
    teardown();
}

TEST(v3_register_readback)
{
    setup(GIC_V3, 2, 4);
    CHECK_EQ(mmio_r(vc[0], GICD(0x4), 4) & 0x1f, NR_SPIS / 32);
    CHECK_EQ((mmio_r(vc[0], GICD(0x4), 4) >> 19) & 0x1f, 9);
    CHECK_EQ(mmio_r(vc[0], GICD(0xffe8), 4) & 0xf0, 0x30);
    CHECK_EQ(mmio_r(vc[0], GICD(0), 4), 0x50); /* ARE, DS */
    mmio_w(vc[0], GICD(0), 4, 0xffffffff);
    CHECK_EQ(mmio_r(vc[0], GICD(0), 4), 0x53);
    uint64_t typer0 = mmio_r(vc[0], GICR_RD(0, 0x8), 8);
    uint64_t typer1 = mmio_r(vc[1], GICR_RD(1, 0x8), 8);
    CHECK(!(typer0 & (1U << 4)));
    CHECK(typer1 & (1U << 4)); /* Last */
    CHECK_EQ((typer1 >> 8) & 0xffff, 1);
    CHECK_EQ(typer1 >> 32, 1);                      /* Aff0 = 1 */
    CHECK_EQ(mmio_r(vc[0], GICR_RD(1, 0xc), 4), 1); /* upper half */
    CHECK_EQ(mmio_r(vc[0], GICR_RD(0, 0xffe8), 4) & 0xf0, 0x30);
    CHECK_EQ(mmio_r(vc[0], GICR_RD(0, 0x14), 4), 6); /* asleep */
    mmio_w(vc[0], GICR_RD(0, 0x14), 4, 0);
    CHECK_EQ(mmio_r(vc[0], GICR_RD(0, 0x14), 4), 0);
    /* Priority: byte access, unimplemented bits read as zero. */
    mmio_w(vc[0], GICD(0x400 + 45), 1, 0xff);
    CHECK_EQ(mmio_r(vc[0], GICD(0x400 + 45), 1), 0xf8);
    CHECK_EQ(mmio_r(vc[0], GICD(0x42c), 4), 0xf8U << 8);
    /* ISENABLER reflects state, per register. */
    mmio_w(vc[0], GICD(0x104), 4, 0x5);
    CHECK_EQ(mmio_r(vc[0], GICD(0x104), 4), 0x5);
    mmio_w(vc[0], GICD(0x184), 4, 0x1);
    CHECK_EQ(mmio_r(vc[0], GICD(0x104), 4), 0x4);
    /* With ARE the distributor does not show INTIDs 0..31. */
    mmio_w(vc[0], GICD(0x100), 4, 0xffffffff);
    CHECK_EQ(mmio_r(vc[0], GICD(0x100), 4), 0);
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0x100), 4), 0);
    teardown();
}

TEST(bad_accesses_are_refused)
{
    setup(GIC_V3, 2, 4);
    uint64_t val = 0;
    /* Out-of-range INTIDs are ignored. */
    vgic_inject(vc[0], 32 + NR_SPIS);
    vgic_inject(vc[0], 1020);
    vgic_inject(vc[0], 0xffffffffU);
    vgic_set_level(vc[0], 5000, true);
    CHECK(!vgic_vcpu_pending(vc[0]));
    /* Misaligned or wrongly sized accesses abort. */
    CHECK_EQ(mmio_w(vc[0], GICD(0x102), 4, 1), MMIO_ABORT);
    CHECK_EQ(mmio_w(vc[0], GICD(0x100), 2, 1), MMIO_ABORT);
    CHECK_EQ(mmio_w(vc[0], GICD(0x100), 8, 1), MMIO_ABORT);
    CHECK_EQ(mmio_w(vc[0], GICD(0x100), 3, 1), MMIO_ABORT);
    CHECK_EQ(mmio_w(vc[0], GICD(0x0), 1, 1), MMIO_ABORT);
    /* Reserved offsets and INTIDs past nr_spis: RAZ/WI. */
    CHECK_EQ(mmio_r(vc[0], GICD(0x20), 4), 0);
    CHECK_EQ(mmio_w(vc[0], GICD(0x20), 4, 1), MMIO_HANDLED);
    CHECK_EQ(mmio_w(vc[0], GICD(0x100 + 0x7c), 4, ~0U), MMIO_HANDLED);
    CHECK_EQ(mmio_r(vc[0], GICD(0x100 + 0x7c), 4), 0);
    CHECK_EQ(mmio_w(vc[0], GICD(0x6000 + 1019 * 8), 8, 1), MMIO_HANDLED);
    CHECK_EQ(mmio_r(vc[0], GICD(0x6000 + 1019 * 8), 8), 0);
    CHECK_EQ(mmio_r(vc[0], GICD(0x6000 + 5 * 8), 8), 0); /* no IROUTER for PPIs */
    CHECK_EQ(mmio_r(vc[0], GICD(0xfffc), 4), 0);
    CHECK_EQ(mmio_r(vc[0], GICR_SGI(0, 0x104), 4), 0); /* SGI frame: INTIDs 0..31 only */
    /* Outside every frame: not ours. */
    CHECK_EQ(vgic_mmio(vc[0], VGIC_GICD_BASE - 4, 4, false, &val), MMIO_UNHANDLED);
    CHECK_EQ(vgic_mmio(vc[0], GICR_RD(2, 0), 4, false, &val), MMIO_UNHANDLED);
    CHECK_EQ(vgic_mmio(vc[0], 0, 4, false, &val), MMIO_UNHANDLED);
    CHECK_EQ(vgic_mmio(vc[0], ~0ULL, 4, false, &val), MMIO_UNHANDLED);
    /* SGI register with an SGI number beyond 15 cannot exist (4-bit field). */
    val = 0xffffffffffffffffULL;
    CHECK(vgic_sysreg(vc[0], ISS_SGI1R, &val, true));
    teardown();
}

TEST(mmio_windows_follow_the_vgic)
{
    setup(GIC_V3, 2, 4);
    CHECK_EQ(dom.mmio.nr, 2);
    const struct mmio_window *d = domain_mmio_find(&dom, VGIC_GICD_BASE);
    CHECK(d && d->base == VGIC_GICD_BASE && d->size == VGIC_V3_GICD_SIZE);
    const struct mmio_window *r = domain_mmio_find(&dom, VGIC_V3_GICR_BASE);
    CHECK(r && r->size == 2 * VGIC_V3_GICR_STRIDE); /* one redistributor per vCPU */
    CHECK(domain_mmio_find(&dom, VGIC_GICD_BASE + VGIC_V3_GICD_SIZE) == NULL);
    CHECK(domain_mmio_find(&dom, VGIC_V3_GICR_BASE + 2 * VGIC_V3_GICR_STRIDE) == NULL);
    /* The window's handler is the front-end's decoder (GICD_IIDR here). */
    uint64_t via_window = 0, direct = 0;
    CHECK_EQ(d->fn(vc[0], GICD(0x8), 4, false, &via_window, d->opaque), MMIO_HANDLED);
    CHECK_EQ(vgic_mmio(vc[0], GICD(0x8), 4, false, &direct), MMIO_HANDLED);
    CHECK_EQ(via_window, direct);
    /* dom0's frames at the host's addresses: the windows move with them. */
    vgic_domain_set_base(&dom, 0x08000000, 0x080a0000);
    CHECK_EQ(dom.mmio.nr, 2);
    CHECK(domain_mmio_find(&dom, VGIC_GICD_BASE) == NULL);
    CHECK(domain_mmio_find(&dom, VGIC_V3_GICR_BASE) == NULL);
    CHECK(domain_mmio_find(&dom, 0x08000000 + VGIC_V3_GICD_SIZE - 4) != NULL);
    CHECK(domain_mmio_find(&dom, 0x080a0000 + 2 * VGIC_V3_GICR_STRIDE - 4) != NULL);
    teardown();
    CHECK_EQ(dom.mmio.nr, 0);

    /* GICv2: the distributor only (GICC is the hardware GICV, mapped). */
    setup(GIC_V2, 2, 4);
    CHECK_EQ(dom.mmio.nr, 1);
    d = domain_mmio_find(&dom, VGIC_GICD_BASE);
    CHECK(d && d->size == VGIC_V2_GICD_SIZE);
    CHECK(domain_mmio_find(&dom, VGIC_V2_GICC_BASE) == NULL);
    teardown();
    CHECK_EQ(dom.mmio.nr, 0);
}

TEST(v2_sgi_sources_and_targets)
{
    setup(GIC_V2, 3, 4);
    mmio_w(vc[0], GICD(0), 4, 1);
    for (unsigned int i = 0; i < 3; i++)
        mmio_w(vc[i], GICD(0x100), 4, 0xffff); /* banked: each vCPU its own SGIs */
    /* vCPU 1 sends SGI 5 to list {0, 2}. */
    mmio_w(vc[1], GICD(0xf00), 4, 0x5U << 16 | 5);
    CHECK(vgic_vcpu_pending(vc[0]));
    CHECK(!vgic_vcpu_pending(vc[1]));
    CHECK(vgic_vcpu_pending(vc[2]));
    /* vCPU 2 sends it to vCPU 0 as well: two senders. */
    mmio_w(vc[2], GICD(0xf00), 4, 0x1U << 16 | 5);
    vgic_flush(vc[0]);
    CHECK_EQ(lrs_valid(), 1);
    CHECK_EQ(V2_INTID(fake_lr[0]), 5);
    CHECK_EQ(V2_CPUID(fake_lr[0]), 1);
    CHECK(fake_hcr & GIC_VIF_HCR_NPIE);
    guest_ack(0);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    /* Sender 1's copy is active: shown alone, EOI maintenance for sender 2. */
    CHECK_EQ(V2_STATE(fake_lr[0]), ST_ACTIVE);
    CHECK_EQ(V2_CPUID(fake_lr[0]), 1);
    CHECK(fake_lr[0] & V2_EOI);
    guest_eoi(0);
    vgic_sync(vc[0]);
    vgic_flush(vc[0]);
    CHECK_EQ(V2_STATE(fake_lr[0]), ST_PENDING);
    CHECK_EQ(V2_CPUID(fake_lr[0]), 2);
    CHECK(!(fake_hcr & GIC_VIF_HCR_NPIE));
    vgic_sync(vc[0]);
    /* Filters: "all but self" and "self". */
    mmio_w(vc[0], GICD(0xf00), 4, 1U << 24 | 7);
    CHECK(vgic_vcpu_pending(vc[1]));
    mmio_w(vc[1], GICD(0x280), 4, 1U << 7); /* ICPENDR clears it */
    CHECK_EQ(mmio_r(vc[1], GICD(0x200), 4) & (1U << 7), 0);
    mmio_w(vc[1], GICD(0xf00), 4, 2U << 24 | 8);
    CHECK_EQ(mmio_r(vc[1], GICD(0x200), 4) & (1U << 8), 1U << 8);
    /* ISPENDR cannot make a v2 SGI pending (no sender). */
    mmio_w(vc[2], GICD(0x200), 4, 1U << 9);
    CHECK_EQ(mmio_r(vc[2], GICD(0x200), 4) & (1U << 9), 0);
    teardown();
}

TEST(v2_distributor_registers)
{
    setup(GIC_V2, 2, 4);
    CHECK_EQ(mmio_r(vc[0], GICD(0x4), 4), (NR_SPIS / 32) | 1U << 5);
    CHECK_EQ(mmio_r(vc[0], GICD(0xfe8), 4) & 0xf0, 0x20);
    CHECK_EQ(mmio_r(vc[1], GICD(0x800), 4), 0x02020202U); /* own CPU, banked */
    CHECK_EQ(mmio_r(vc[0], GICD(0x800 + 32), 1), 1);      /* SPIs default to vCPU 0 */
    mmio_w(vc[0], GICD(0), 4, 1);
    enable_spi(vc[0], 34, 0x80);
    mmio_w(vc[0], GICD(0x800 + 34), 1, 0xfe); /* only vCPU 1 exists of those */
    CHECK_EQ(mmio_r(vc[0], GICD(0x800 + 34), 1), 0x2);
    vgic_inject(vc[0], 34);
    CHECK(vgic_vcpu_pending(vc[1]));
    CHECK(!vgic_vcpu_pending(vc[0]));
    vgic_flush(vc[1]);
    CHECK_EQ(V2_INTID(fake_lr[0]), 34);
    CHECK_EQ(((fake_lr[0] >> 23) & 0x1f) << 3, 0x80);
    CHECK(!(fake_lr[0] & (1ULL << 30))); /* Group 0, as Linux leaves it */
    vgic_sync(vc[1]);
    CHECK_EQ(mmio_w(vc[0], GICD(0x1000), 4, 1), MMIO_UNHANDLED); /* past GICD: the GICC page */
    CHECK_EQ(mmio_r(vc[0], GICD(0xf10), 4), 0);                  /* CPENDSGIR RAZ */
    teardown();
}

TEST(save_restore_carries_vmcr_and_apr)
{
    setup(GIC_V3, 2, 4);
    fake_vmcr = 0xf0000001;
    fake_apr1[0] = 0x10;
    vgic_save(vc[0]);
    fake_vmcr = 0;
    fake_apr1[0] = 0;
    vgic_restore(vc[1]);
    CHECK_EQ(fake_vmcr, 0);
    vgic_restore(vc[0]);
    CHECK_EQ(fake_vmcr, 0xf0000001);
    CHECK_EQ(fake_apr1[0], 0x10);
    teardown();
}
