/*
 * xen_sched: the control-domain-only and scheduling hypercalls, seen from a
 * domU (runs beside a second Xen-enhanced domain, "the other"):
 *  - console_io CONSOLEIO_read -> 0 bytes (Xen 4.17 lets dom0less domUs use
 *    console_io; nothing is queued for them), an unknown command -> -ENOSYS
 *  - platform_op: wrong interface version -> -EACCES (checked first), the
 *    right one -> -EPERM; physdev_op pci_device_add -> -ENOSYS (Xen/ARM)
 *  - sched_op remote_shutdown: the other domain -> -EPERM, none -> -ESRCH
 *  - sched_op poll: more than 128 ports or a port past the table -> -EINVAL,
 *    a bad ports pointer -> -EFAULT, a pending port -> 0 at once
 */
#include "xen_guest.h"
#include <public/physdev.h>
#include <public/platform.h>
#include <public/sched.h>

const char test_name[] = "xen_sched";

#define NO_SUCH_DOM 0x7000

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static long sched_op(unsigned cmd, void *arg)
{
    return xen_hypercall(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static long poll(uint32_t *ports, uint32_t n, uint64_t timeout)
{
    struct sched_poll p = {.ports = (uintptr_t)ports, .nr_ports = n, .timeout = timeout};
    return sched_op(SCHEDOP_poll, &p);
}

void test_main(void)
{
    uint32_t mine, port;
    struct evtchn_status st;
    char buf[16];

    expect("alloc_unbound self", evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF, &mine), 0);
    expect("status self", evtchn_status(DOMID_SELF, mine, &st), 0);
    uint16_t self = st.u.unbound.dom, other = self == 1 ? 2 : 1;

    expect("console read",
           xen_hypercall(__HYPERVISOR_console_io, CONSOLEIO_read, sizeof(buf), (unsigned long)buf,
                         0, 0),
           0);
    expect("console cmd 7", xen_hypercall(__HYPERVISOR_console_io, 7, 0, 0, 0, 0), -XEN_ENOSYS);

    struct xen_platform_op op = {.cmd = XENPF_settime64, .interface_version = 0x03000000};
    expect("platform_op old version",
           xen_hypercall(__HYPERVISOR_platform_op, (unsigned long)&op, 0, 0, 0, 0), -XEN_EACCES);
    op.interface_version = XENPF_INTERFACE_VERSION;
    op.u.settime64.secs = 1700000000;
    expect("platform_op settime64",
           xen_hypercall(__HYPERVISOR_platform_op, (unsigned long)&op, 0, 0, 0, 0), -XEN_EPERM);

    struct physdev_pci_device_add add = {.bus = 0, .devfn = 8};
    expect("physdev pci_device_add",
           xen_hypercall(__HYPERVISOR_physdev_op, PHYSDEVOP_pci_device_add, (unsigned long)&add, 0,
                         0, 0),
           -XEN_ENOSYS);

    struct sched_remote_shutdown rs = {.domain_id = other, .reason = SHUTDOWN_poweroff};
    expect("remote_shutdown other", sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_EPERM);
    rs.domain_id = NO_SUCH_DOM;
    expect("remote_shutdown none", sched_op(SCHEDOP_remote_shutdown, &rs), -XEN_ESRCH);

    static uint32_t ports[129];
    expect("poll 129 ports", poll(ports, 129, 0), -XEN_EINVAL);
    ports[0] = 5000; /* past the 2-level table on both hypervisors */
    expect("poll port 5000", poll(ports, 1, 0), -XEN_EINVAL);
    struct sched_poll bad = {.ports = 0x10, .nr_ports = 1};
    expect("poll bad pointer", sched_op(SCHEDOP_poll, &bad), -XEN_EFAULT);
    /* Binding our own unbound port leaves the new local port pending. */
    expect("bind_interdomain self", evtchn_bind_interdomain(self, mine, &port), 0);
    ports[0] = port;
    expect("poll pending port", poll(ports, 1, 0), 0);
    test_pass("self=%u", self);
}
