/* Host stand-ins for tests/unit/test_vgic; see fakes/vgic_fake.h. */
#include <stdlib.h>
#include <string.h>

#include <core/domain.h>
#include <cloison/errno.h>
#include <cloison/irq.h>
#include <cloison/printk.h>
#include <drivers/gic_vif.h>
#include <cloison/mm.h>
#include <cloison/spinlock.h>
#include <core/vcpu.h>
#include "vgic_fake.h"

struct irqchip_info fake_irqchip;
uint64_t fake_lr[16];
uint32_t fake_hcr, fake_vmcr;
uint32_t fake_apr0[4], fake_apr1[4];
unsigned int fake_kicks[8];
struct vcpu *fake_current;
bool fake_pirq_enabled[1020];
bool fake_pirq_level[1020];
int fake_pirq_target[1020];
unsigned int fake_pirq_writes;
irq_handler_fn fake_irq_handler[IRQ_NR];

void fake_vgic_reset(enum gic_version version, unsigned int nr_lrs)
{
    memset(&fake_irqchip, 0, sizeof(fake_irqchip));
    fake_irqchip.version = version;
    fake_irqchip.nr_lrs = nr_lrs;
    fake_irqchip.pri_bits = 5;
    memset(fake_lr, 0, sizeof(fake_lr));
    memset(fake_kicks, 0, sizeof(fake_kicks));
    memset(fake_apr0, 0, sizeof(fake_apr0));
    memset(fake_apr1, 0, sizeof(fake_apr1));
    fake_hcr = GIC_VIF_HCR_EN;
    fake_vmcr = 0;
    fake_current = NULL;
    memset(fake_pirq_enabled, 0, sizeof(fake_pirq_enabled));
    memset(fake_pirq_level, 0, sizeof(fake_pirq_level));
    memset(fake_pirq_target, 0xff, sizeof(fake_pirq_target));
    fake_pirq_writes = 0;
    memset(fake_irq_handler, 0, sizeof(fake_irq_handler));
}

const struct irqchip_info *irqchip_info(void)
{
    return &fake_irqchip;
}

/* The physical distributor, as far as passthrough drives it. Configuring
 * an enabled SPI is UNPREDICTABLE on a real GIC: the fake refuses it. */
void irqchip_enable(uint32_t intid, bool level)
{
    if (intid >= 1020 || fake_pirq_enabled[intid])
        abort();
    fake_pirq_enabled[intid] = true;
    fake_pirq_level[intid] = level;
    fake_pirq_writes++;
}
void irqchip_set_target(uint32_t intid, unsigned int cpu)
{
    if (intid >= 1020)
        abort();
    fake_pirq_target[intid] = (int)cpu;
}
void irqchip_disable(uint32_t intid)
{
    if (intid >= 1020)
        abort();
    fake_pirq_enabled[intid] = false;
    fake_pirq_writes++;
}

/* The handler table, as arch/arm64/irq.c keeps it (data unused by the vGIC). */
int irq_set_handler(uint32_t intid, irq_handler_fn fn, void *data)
{
    if (intid >= IRQ_NR || !fn)
        return -EINVAL;
    if (fake_irq_handler[intid] && fake_irq_handler[intid] != fn)
        return -EBUSY;
    fake_irq_handler[intid] = fn;
    return 0;
}
void irq_clear_handler(uint32_t intid)
{
    if (intid < IRQ_NR)
        fake_irq_handler[intid] = NULL;
}

unsigned int gic_vif_nr_lrs(void)
{
    return fake_irqchip.nr_lrs;
}
uint64_t gic_vif_read_lr(unsigned int n)
{
    return n < 16 ? fake_lr[n] : 0;
}
void gic_vif_write_lr(unsigned int n, uint64_t val)
{
    if (n < fake_irqchip.nr_lrs)
        fake_lr[n] = val;
}
void gic_vif_write_hcr(uint32_t val)
{
    fake_hcr = val;
}
uint32_t gic_vif_read_vmcr(void)
{
    return fake_vmcr;
}
void gic_vif_write_vmcr(uint32_t val)
{
    fake_vmcr = val;
}
void gic_vif_save_apr(uint32_t apr0[4], uint32_t apr1[4])
{
    memcpy(apr0, fake_apr0, sizeof(fake_apr0));
    memcpy(apr1, fake_apr1, sizeof(fake_apr1));
}
void gic_vif_restore_apr(const uint32_t apr0[4], const uint32_t apr1[4])
{
    memcpy(fake_apr0, apr0, sizeof(fake_apr0));
    memcpy(fake_apr1, apr1, sizeof(fake_apr1));
}

void vcpu_kick(struct vcpu *v)
{
    if (v->id < 8)
        fake_kicks[v->id]++;
}
struct vcpu *current_vcpu(void)
{
    return fake_current;
}
/* As arch/arm64/vcpu_reset.c: Aff0 = id % 16, Aff1 = id / 16. */
uint64_t vcpu_mpidr(unsigned int id)
{
    return BIT(31) | ((uint64_t)(id >> 4) << 8) | (id & 0xf);
}

void *xzalloc(size_t size)
{
    return calloc(1, size);
}
void xfree(void *p)
{
    free(p);
}

/* Single-threaded tests: a lock is a flag that must never be taken twice. */
void spin_lock(spinlock_t *l)
{
    if (l->owner != l->next)
        abort();
    l->next++;
}
void spin_unlock(spinlock_t *l)
{
    l->owner++;
}
uint64_t spin_lock_irqsave(spinlock_t *l)
{
    spin_lock(l);
    return 0;
}
void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
}

void fake_domain_make(struct domain *d, struct vcpu **vc, unsigned int nr_vcpus)
{
    memset(d, 0, sizeof(*d));
    d->nr_vcpus = nr_vcpus;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        vc[i] = calloc(1, sizeof(struct vcpu));
        vc[i]->id = i;
        vc[i]->domain = d;
        vc[i]->state = VCPU_RUNNABLE;
        d->vcpus[i] = vc[i];
    }
}

void fake_vcpus_free(struct vcpu **vc, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        free(vc[i]);
        vc[i] = NULL;
    }
}
