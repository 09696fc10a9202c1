/*
 * Physical SPI passthrough (vdev/vgic-hw.c): the physical SPI's enable as the
 * fake distributor records it, and the virtual SPI in the fake LRs, through
 * fire -> acknowledge -> deactivate as the guest would do them.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <core/domain.h>
#include <cloison/errno.h>
#include <drivers/gic_vif.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include "fakes/vgic_fake.h"

#define NR_SPIS 64 /* INTIDs 32..95 */
#define HOST_IRQS 128
#define SPI 48

#define V3_PENDING (1ULL << 62)
#define V3_ACTIVE (1ULL << 63)
#define V3_EOI (1ULL << 41)
#define V3_INTID(lr) ((uint32_t)(lr))
#define V2_PENDING (1ULL << 28)
#define V2_ACTIVE (1ULL << 29)
#define V2_EOI (1ULL << 19)
#define V2_INTID(lr) ((lr)&0x3ff)

#define GICD(off) (VGIC_GICD_BASE + (off))

static struct domain dom;
static struct vcpu *vc[2];

static void setup(enum gic_version ver, unsigned int nr_vcpus)
{
    fake_vgic_reset(ver, 4);
    fake_irqchip.nr_irqs = HOST_IRQS;
    memset(vc, 0, sizeof(vc));
    fake_domain_make(&dom, vc, nr_vcpus);
    CHECK_EQ(vgic_domain_init(&dom, NR_SPIS), 0);
    for (unsigned int i = 0; i < nr_vcpus; i++)
        vgic_vcpu_init(vc[i]);
}

static void teardown(void)
{
    vgic_domain_destroy(&dom);
    fake_vcpus_free(vc, 2);
}

static void mmio_w(struct vcpu *v, uint32_t off, unsigned int size, uint64_t val)
{
    CHECK_EQ(vgic_mmio(v, GICD(off), size, true, &val), MMIO_HANDLED);
}

static uint64_t mmio_r(struct vcpu *v, uint32_t off)
{
    uint64_t val = 0;
    CHECK_EQ(vgic_mmio(v, GICD(off), 4, false, &val), MMIO_HANDLED);
    return val;
}

static uint32_t bit(uint32_t intid)
{
    return 1U << (intid % 32);
}

/* The guest turns its distributor on and enables the SPI. */
static void guest_enable(uint32_t intid)
{
    mmio_w(vc[0], 0x000, 4, 3); /* both groups */
    mmio_w(vc[0], 0x400 + intid, 1, 0xa0);
    mmio_w(vc[0], 0x100 + (intid / 32) * 4, 4, bit(intid));
}

static bool lr_pending(unsigned int n)
{
    return fake_lr[n] & (fake_irqchip.version == GIC_V3 ? V3_PENDING : V2_PENDING);
}

static void guest_ack(unsigned int n)
{
    if (fake_irqchip.version == GIC_V3)
        fake_lr[n] = (fake_lr[n] & ~V3_PENDING) | V3_ACTIVE;
    else
        fake_lr[n] = (fake_lr[n] & ~V2_PENDING) | V2_ACTIVE;
}

static void guest_eoi(unsigned int n)
{
    fake_lr[n] &= ~(V3_PENDING | V3_ACTIVE | V2_PENDING | V2_ACTIVE);
}

TEST(route_refuses_what_is_not_a_host_spi)
{
    setup(GIC_V3, 1);
    CHECK_EQ(vgic_route_spi(&dom, 27), -EINVAL);   /* a PPI */
    CHECK_EQ(vgic_route_spi(&dom, 96), -EINVAL);   /* past this vGIC's SPIs */
    CHECK_EQ(vgic_route_spi(&dom, 1023), -EINVAL); /* special */
    fake_irqchip.nr_irqs = 64;
    CHECK_EQ(vgic_route_spi(&dom, 70), -EINVAL); /* past the host GIC's */
    fake_irqchip.nr_irqs = HOST_IRQS;
    CHECK(fake_irq_handler[SPI] == NULL);
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    CHECK(fake_irq_handler[SPI] != NULL);   /* the physical SPI's handler */
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0); /* INTx shared by slots: listed again */

    struct domain other = {.nr_vcpus = 0};
    CHECK_EQ(vgic_domain_init(&other, NR_SPIS), 0);
    CHECK_EQ(vgic_route_spi(&other, SPI), -EBUSY);
    CHECK_EQ(vgic_route_spi(&other, SPI + 1), 0);
    CHECK(fake_irq_handler[SPI + 1] != NULL);
    vgic_domain_destroy(&other);
    CHECK(fake_irq_handler[SPI + 1] == NULL); /* released with its domain */
    CHECK(fake_irq_handler[SPI] != NULL);     /* still dom's */
    CHECK(!vgic_hw_irq(SPI + 1));
    CHECK(!vgic_hw_irq(SPI + 2)); /* never routed: not ours */
    CHECK(!vgic_hw_irq(27));
    teardown();
}

static void cloison_own(uint32_t intid, void *data)
{
}

TEST(route_refuses_an_spi_cloison_handles)
{
    setup(GIC_V3, 1);
    CHECK_EQ(irq_set_handler(SPI, cloison_own, NULL), 0); /* e.g. the console UART */
    unsigned int writes = fake_pirq_writes;
    CHECK_EQ(vgic_route_spi(&dom, SPI), -EBUSY);
    CHECK(fake_irq_handler[SPI] == cloison_own);
    CHECK_EQ(fake_pirq_writes, writes); /* the physical SPI left alone */
    CHECK(!vgic_hw_irq(SPI));
    teardown();
    CHECK(fake_irq_handler[SPI] == cloison_own); /* not released with the domain */
}

TEST(physical_enable_follows_the_guest)
{
    setup(GIC_V3, 1);
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    CHECK(!fake_pirq_enabled[SPI]); /* masked until the guest wants it */
    mmio_w(vc[0], 0xc00 + (SPI / 16) * 4, 4, 2U << ((SPI % 16) * 2)); /* edge */
    guest_enable(SPI);
    CHECK(fake_pirq_enabled[SPI]);
    CHECK(!fake_pirq_level[SPI]);
    /* Reconfigured by the guest: applied with the SPI disabled around it. */
    mmio_w(vc[0], 0xc00 + (SPI / 16) * 4, 4, 0);
    CHECK(fake_pirq_enabled[SPI]);
    CHECK(fake_pirq_level[SPI]);
    mmio_w(vc[0], 0x180 + (SPI / 32) * 4, 4, bit(SPI)); /* ICENABLER */
    CHECK(!fake_pirq_enabled[SPI]);
    teardown();
    CHECK(!fake_pirq_enabled[SPI]);
}

/* fire -> masked, pending with EOI maintenance; ack -> still masked;
 * deactivate -> unmasked, so a level line still high fires again. */
static void check_forwarding(enum gic_version ver)
{
    setup(ver, 1);
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    guest_enable(SPI);
    CHECK(vgic_hw_irq(SPI));
    CHECK(!fake_pirq_enabled[SPI]);
    CHECK(vgic_vcpu_pending(vc[0]));
    CHECK_EQ(mmio_r(vc[0], 0x200 + (SPI / 32) * 4) & bit(SPI), bit(SPI)); /* ISPENDR */

    vgic_flush(vc[0]);
    CHECK_EQ(ver == GIC_V3 ? V3_INTID(fake_lr[0]) : V2_INTID(fake_lr[0]), SPI);
    CHECK(lr_pending(0));
    CHECK(fake_lr[0] & (ver == GIC_V3 ? V3_EOI : V2_EOI));
    guest_ack(0);
    vgic_sync(vc[0]);
    CHECK(!fake_pirq_enabled[SPI]); /* active in the guest */
    vgic_flush(vc[0]);
    guest_eoi(0);
    vgic_sync(vc[0]);
    CHECK(fake_pirq_enabled[SPI]);
    CHECK(!vgic_vcpu_pending(vc[0]));

    /* Fires again (line still high): the same once more. */
    CHECK(vgic_hw_irq(SPI));
    CHECK(!fake_pirq_enabled[SPI]);
    vgic_flush(vc[0]);
    CHECK(lr_pending(0));
    guest_ack(0);
    guest_eoi(0);
    vgic_sync(vc[0]);
    CHECK(fake_pirq_enabled[SPI]);
    teardown();
}

TEST(forwarding_v3)
{
    check_forwarding(GIC_V3);
}

TEST(forwarding_v2)
{
    check_forwarding(GIC_V2);
}

TEST(not_yet_flushed_when_guest_clears_pending)
{
    setup(GIC_V3, 1);
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    guest_enable(SPI);
    CHECK(vgic_hw_irq(SPI));
    /* Flushed and taken back unacknowledged: still in flight. */
    vgic_flush(vc[0]);
    vgic_sync(vc[0]);
    CHECK(!fake_pirq_enabled[SPI]);
    /* The guest drops it with ICPENDR: nothing will deactivate it. */
    mmio_w(vc[0], 0x280 + (SPI / 32) * 4, 4, bit(SPI));
    CHECK(fake_pirq_enabled[SPI]);
    teardown();
}

TEST(fired_while_guest_disabled_waits_for_enable)
{
    setup(GIC_V3, 1);
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    guest_enable(SPI);
    /* Disabled by the guest while the physical signal is on its way. */
    mmio_w(vc[0], 0x180 + (SPI / 32) * 4, 4, bit(SPI));
    CHECK(vgic_hw_irq(SPI));
    vgic_flush(vc[0]);
    CHECK(!lr_pending(0)); /* disabled: not signalled */
    mmio_w(vc[0], 0x100 + (SPI / 32) * 4, 4, bit(SPI));
    CHECK(!fake_pirq_enabled[SPI]); /* the pending one must be handled first */
    vgic_flush(vc[0]);
    CHECK(lr_pending(0));
    guest_ack(0);
    guest_eoi(0);
    vgic_sync(vc[0]);
    CHECK(fake_pirq_enabled[SPI]);
    teardown();
}

TEST(delivered_where_the_guest_routes_it)
{
    setup(GIC_V3, 2);
    vc[0]->pcpu = 2; /* where the scheduler placed them */
    vc[1]->pcpu = 3;
    CHECK_EQ(vgic_route_spi(&dom, SPI), 0);
    CHECK_EQ(fake_pirq_target[SPI], 2); /* the physical SPI follows vCPU 0 at first */
    guest_enable(SPI);
    mmio_w(vc[0], 0x6000 + SPI * 8, 8, 1); /* IROUTER: Aff0 = 1, vCPU 1 */
    CHECK_EQ(fake_pirq_target[SPI], 3);    /* ...and moves with the guest's routing */
    unsigned int kicks = fake_kicks[1];
    CHECK(vgic_hw_irq(SPI));
    CHECK(!vgic_vcpu_pending(vc[0]));
    CHECK(vgic_vcpu_pending(vc[1]));
    CHECK_EQ(fake_kicks[1], kicks + 1);
    vgic_flush(vc[1]);
    CHECK_EQ(V3_INTID(fake_lr[0]), SPI);
    guest_ack(0);
    guest_eoi(0);
    vgic_sync(vc[1]);
    CHECK(fake_pirq_enabled[SPI]);
    teardown();
}

TEST(dom0_vgic_has_the_host_spis)
{
    fake_vgic_reset(GIC_V3, 4);
    fake_irqchip.nr_irqs = 288;
    struct domain d0 = {.nr_vcpus = 0, .is_privileged = true};
    CHECK_EQ(vgic_domain_init(&d0, 32), 0);
    CHECK_EQ(vgic_route_spi(&d0, 287), 0);
    vgic_domain_destroy(&d0);
    struct domain du = {.nr_vcpus = 0};
    CHECK_EQ(vgic_domain_init(&du, 32), 0);
    CHECK_EQ(vgic_route_spi(&du, 100), -EINVAL); /* a domU keeps its 32 */
    vgic_domain_destroy(&du);
}
