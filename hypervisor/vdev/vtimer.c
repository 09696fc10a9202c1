/*
 * The guest's virtual timer while its vCPU runs: the physical PPI 27 at EL2
 * (a descheduled vCPU's timer is a software timer instead, core/sched.c).
 */
#include <cloison/context.h>
#include <cloison/irq.h>
#include <cloison/printk.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <vdev/vtimer.h>

static void vtimer_fired(uint32_t intid, void *data)
{
    (void)data;
    struct vcpu *v = current_vcpu();
    /* Mask the (level) timer output until the guest reprograms it, as Xen
     * does; otherwise it would fire again the moment we return. */
    context_vtimer_mask();
    if (v)
        vgic_inject(v, intid);
}

void vtimer_init(void)
{
    if (irq_set_handler(IRQ_PPI_VTIMER, vtimer_fired, NULL) != 0)
        panic("vtimer: PPI %u taken", IRQ_PPI_VTIMER);
}
