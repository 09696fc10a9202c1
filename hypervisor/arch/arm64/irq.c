/*
 * Physical interrupts at EL2: Cloison's own (scheduler timer, IPIs,
 * maintenance, console UART), the guest virtual timer, which fires while its
 * vCPU runs and is forwarded as a virtual interrupt, and the SPIs of devices
 * passed through to a domain (vdev/vgic-hw.c masks and forwards them).
 */
#include <console/console.h>
#include <cloison/irq.h>
#include <drivers/irqchip.h>
#include <cloison/percpu.h>
#include <cloison/printk.h>
#include <core/timer.h>
#include <core/vcpu.h>
#include <vdev/vgic.h>
#include <asm/sysreg.h>

#define CNT_CTL_IMASK BIT(1)

void irq_cpu_init(void)
{
    irqchip_enable(IRQ_SGI_KICK, false);
    irqchip_enable(IRQ_SGI_CALL, false);
    irqchip_enable(IRQ_PPI_MAINT, true);
    irqchip_enable(IRQ_PPI_HYPTIMER, true);
    irqchip_enable(IRQ_PPI_VTIMER, true);
}

static void vtimer_fired(void)
{
    struct vcpu *v = current_vcpu();
    uint64_t ctl = read_sysreg(cntv_ctl_el0);
    /* Mask the (level) timer output until the guest reprograms it, as Xen
     * does; otherwise it would fire again the moment we return. */
    write_sysreg(cntv_ctl_el0, ctl | CNT_CTL_IMASK);
    isb();
    if (v)
        vgic_inject(v, IRQ_PPI_VTIMER);
}

void irq_handle_all(void)
{
    for (int budget = 64; budget > 0; budget--) {
        uint32_t intid = irqchip_ack();
        if (intid >= IRQ_SPURIOUS)
            return;
        switch (intid) {
        case IRQ_SGI_KICK:
            this_pcpu()->need_resched = true;
            break;
        case IRQ_SGI_CALL:
            break;
        case IRQ_PPI_HYPTIMER:
            timer_interrupt();
            break;
        case IRQ_PPI_VTIMER:
            vtimer_fired();
            break;
        case IRQ_PPI_MAINT:
            vgic_maintenance();
            break;
        default:
            if (console_irq(intid)) /* the console UART's receive interrupt */
                break;
            if (vgic_hw_irq(intid)) /* a passed-through device's SPI */
                break;
            printk("irq: unexpected interrupt %u on pCPU%u, disabled", intid, this_cpu_id());
            irqchip_disable(intid);
            break;
        }
        irqchip_eoi(intid);
    }
}
