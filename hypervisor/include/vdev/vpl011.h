/*
 * Emulated SBSA UART for guests (vdev/vpl011.c) at Xen's guest address and
 * SPI. A boot domain's (`vpl011`): output goes to the domain's console; input
 * comes from the hypervisor console while the domain has the input focus
 * (console/console_input.c). A toolstack domain's (vuart_op): its backend is
 * in a domain (xenconsoled), behind a ring in the guest's page.
 */
#ifndef CLOISON_VPL011_H
#define CLOISON_VPL011_H
#include <cloison/types.h>
#define VPL011_BASE 0x22000000UL
#define VPL011_SIZE 0x1000UL
#define VPL011_SPI 32
struct domain;
struct xencons_interface;
/* After the domain's vCPUs and vGIC exist; no-op without `vpl011`.
 * Registers its MMIO window (core/domain_mmio.h) and attaches the UART to
 * the console input multiplexer. 0, -ENOMEM or the window's error. */
int vpl011_domain_init(struct domain *d);
/* Before the vGIC goes; safe when init never ran or failed. */
void vpl011_domain_destroy(struct domain *d);

/* Xen's vPL011 with its backend in a domain (Xen's domain_vpl011_init with
 * a backend; the domctl vuart_op): the FIFOs are the halves of `ring`, a page of
 * d's own RAM that outlives the UART; every DR access calls kick(d, port)
 * (no vPL011 lock held), and the backend's notifications must come back as
 * vpl011_backend_event(d). For a domain that does not run yet. 0, -EINVAL
 * if d has a vPL011 already (a second INIT), -ENOMEM, or the MMIO window's
 * error. vpl011_domain_destroy() undoes it. */
typedef void (*vpl011_kick_fn)(struct domain *d, uint32_t port);
int vpl011_backend_init(struct domain *d, struct xencons_interface *ring, vpl011_kick_fn kick,
                        uint32_t port);
/* The backend moved data: flags and interrupt follow the ring. Any pCPU;
 * no-op unless d's vPL011 has a backend. */
void vpl011_backend_event(struct domain *d);
#endif
