/*
 * The EL1 physical timer, emulated per vCPU. The hardware one cannot be
 * handed out: CNTHCTL_EL2.EL1PCEN = 0 makes CNTP_{CTL,CVAL,TVAL}_EL0 trap,
 * because a guest's deadline must survive it being descheduled and must not
 * fire on whichever vCPU runs next. The physical counter itself is read
 * directly (EL1PCTEN = 1) and is not offset, as on Xen, so CVAL compares
 * against the host's CNTPCT unchanged.
 *
 * A software timer (core/timer.h) on the vCPU's pCPU fires at CVAL while
 * the timer is enabled and unmasked, running or not, and injects PPI 30,
 * which also wakes a vCPU blocked in WFI. Like Xen, the injection is made
 * once per expiry: the guest's handler masks or reprograms the timer, and a
 * write that leaves the condition met injects again (what the level-sensitive
 * hardware line would do after the guest's EOI).
 */
#include <core/domain.h>
#include <drivers/irqchip.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include <trap/vptimer.h>
#include <vdev/vgic.h>
#include <asm/sysreg.h>
#include <asm/vsysreg.h>

#define CTL_ENABLE BIT(0)
#define CTL_IMASK BIT(1)
#define CTL_ISTATUS BIT(2)

#define CNTP_TVAL SYSREG(3, 3, 14, 2, 0)
#define CNTP_CTL SYSREG(3, 3, 14, 2, 1)
#define CNTP_CVAL SYSREG(3, 3, 14, 2, 2)

static void expired(struct timer *t)
{
    struct vcpu *v = t->data;
    if (v->state != VCPU_DEAD)
        vgic_inject(v, IRQ_PPI_PTIMER);
}

int vptimer_domain_init(struct domain *d)
{
    /* Before the domain runs: a timer initialised later, in a trap, could
     * undo the kill of a vCPU shut down meanwhile (core/timer.h). */
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        timer_init(&d->vcpus[i]->ptimer.timer, expired, d->vcpus[i]);
    return 0;
}

/* Re-evaluate after any write: fire now, arm the software timer, or stop.
 * The timer is on v's pCPU (this one) unless v moved since it was armed,
 * when the cancel may wait for its callback on the old pCPU (no lock held
 * here); after v is killed the set does nothing. */
static void update(struct vcpu *v, uint64_t now)
{
    struct vptimer *pt = &v->ptimer;
    timer_cancel(&pt->timer);
    if (!(pt->ctl & CTL_ENABLE) || (pt->ctl & CTL_IMASK))
        return;
    if (now >= pt->cval)
        vgic_inject(v, IRQ_PPI_PTIMER);
    else
        timer_set(&pt->timer, v->pcpu, pt->cval);
}

bool vptimer_access(struct vcpu *v, struct sysreg_access *a)
{
    struct vptimer *pt = &v->ptimer;
    uint64_t now = cntpct();

    if (a->key != CNTP_CTL && a->key != CNTP_CVAL && a->key != CNTP_TVAL)
        return false;
    if (!a->write) {
        if (a->key == CNTP_CTL) {
            bool met = (pt->ctl & CTL_ENABLE) && now >= pt->cval;
            a->val = pt->ctl | (met ? CTL_ISTATUS : 0);
        } else if (a->key == CNTP_CVAL) {
            a->val = pt->cval;
        } else { /* TVAL: the low 32 bits of CVAL - count, bits 63:32 RES0 */
            a->val = (uint32_t)(pt->cval - now);
        }
        return true;
    }
    if (a->key == CNTP_CTL)
        pt->ctl = a->val & (CTL_ENABLE | CTL_IMASK); /* ISTATUS is read-only */
    else if (a->key == CNTP_CVAL)
        pt->cval = a->val;
    else /* TVAL: a signed 32-bit offset from now */
        pt->cval = now + (uint64_t)(int64_t)(int32_t)(uint32_t)a->val;
    update(v, now);
    return true;
}
