/*
 * xen_ctl: the toolstack's control interface, as a domU sees it (Xen 4.17's
 * answers, so the same under both hypervisors):
 *  - domctl: a bad pointer -EFAULT; interface version 0x14, 0x16 or 0 ->
 *    -EACCES (checked first); with 0x15, naming no domain -ESRCH, naming
 *    itself -EPERM (getdomaininfo, pausedomain, an unknown command);
 *    getdomaininfo finds the next domain first: -EINVAL for a reserved id,
 *    -ESRCH if none follows, -EPERM if one does; never written back
 *  - sysctl: -EFAULT, -EACCES for a wrong version, -EPERM with 0x15
 *    (physinfo, getdomaininfolist, cpupool_op, an unknown command)
 *  - xsm_op: -ENOSYS (no FLASK)
 *  - memory_op 18/19 (sharing counters): 0; XENVER_build_id: -EPERM;
 *    XENVER_commandline: "<denied>", 9 bytes (denied to a domU)
 *  - multicall of ten entries: every entry's result (xen_version values,
 *    -ENOSYS for xsm_op and an unknown number, -EINVAL for a nested
 *    multicall, -EACCES / -EPERM for domctl and sysctl), the entries' op and
 *    arguments left as they were; an empty multicall, a bad list (-EFAULT)
 */
#include "xen_guest.h"
#include <public/domctl.h>
#include <public/sysctl.h>
#include <string.h>

const char test_name[] = "xen_ctl";

#define XENVER_version 0
#define XENVER_pagesize 7
#define XENVER_commandline 9
#define XENVER_build_id 10
#define VER 0x15
#define NO_SUCH_DOM 0x7000
#define BAD_PTR 0x400000000ul /* unmapped (lib/mmu.c) */

static void expect(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

static long hcall(unsigned long nr, const void *arg)
{
    return xen_hypercall(nr, (uintptr_t)arg, 0, 0, 0, 0);
}

static struct xen_domctl dc;
static struct xen_sysctl sc;

static long domctl(uint32_t cmd, uint32_t version, uint16_t dom)
{
    for (size_t i = 0; i < sizeof(dc); i++)
        ((volatile uint8_t *)&dc)[i] = 0x5a;
    dc.cmd = cmd;
    dc.interface_version = version;
    dc.domain = dom;
    long rc = hcall(__HYPERVISOR_domctl, &dc);
    for (size_t i = 0; i < sizeof(dc.u); i++)
        if (dc.u.pad[i] != 0x5a)
            test_fail("domctl %u wrote its struct back (ret=%ld)", cmd, rc);
    return rc;
}

static long sysctl(uint32_t cmd, uint32_t version)
{
    for (size_t i = 0; i < sizeof(sc); i++)
        ((volatile uint8_t *)&sc)[i] = 0;
    sc.cmd = cmd;
    sc.interface_version = version;
    sc.u.getdomaininfolist.max_domains = 16;
    return hcall(__HYPERVISOR_sysctl, &sc);
}

static void envelopes(uint16_t self)
{
    expect("domctl bad pointer", hcall(__HYPERVISOR_domctl, (void *)BAD_PTR), -XEN_EFAULT);
    expect("domctl version 0x14", domctl(XEN_DOMCTL_getdomaininfo, 0x14, self), -XEN_EACCES);
    expect("domctl version 0x16", domctl(XEN_DOMCTL_getdomaininfo, 0x16, self), -XEN_EACCES);
    expect("domctl version 0", domctl(XEN_DOMCTL_pausedomain, 0, NO_SUCH_DOM), -XEN_EACCES);
    expect("domctl no such domain", domctl(XEN_DOMCTL_pausedomain, VER, NO_SUCH_DOM), -XEN_ESRCH);
    expect("domctl getdomaininfo self", domctl(XEN_DOMCTL_getdomaininfo, VER, self), -XEN_EPERM);
    /* getdomaininfo looks for the first domain at or after the id before
     * the caller's rights are checked (Xen 4.17): none -> -ESRCH. */
    expect("domctl getdomaininfo none after", domctl(XEN_DOMCTL_getdomaininfo, VER, NO_SUCH_DOM),
           -XEN_ESRCH);
    expect("domctl getdomaininfo reserved", domctl(XEN_DOMCTL_getdomaininfo, VER, DOMID_SELF),
           -XEN_EINVAL);
    expect("domctl getdomaininfo from 0", domctl(XEN_DOMCTL_getdomaininfo, VER, 0), -XEN_EPERM);
    expect("domctl pausedomain self", domctl(XEN_DOMCTL_pausedomain, VER, self), -XEN_EPERM);
    expect("domctl unknown", domctl(999, VER, self), -XEN_EPERM);

    expect("sysctl bad pointer", hcall(__HYPERVISOR_sysctl, (void *)BAD_PTR), -XEN_EFAULT);
    expect("sysctl version 0x14", sysctl(XEN_SYSCTL_physinfo, 0x14), -XEN_EACCES);
    expect("sysctl version 0x16", sysctl(XEN_SYSCTL_getdomaininfolist, 0x16), -XEN_EACCES);
    expect("sysctl physinfo", sysctl(XEN_SYSCTL_physinfo, VER), -XEN_EPERM);
    expect("sysctl getdomaininfolist", sysctl(XEN_SYSCTL_getdomaininfolist, VER), -XEN_EPERM);
    expect("sysctl cpupool_op", sysctl(XEN_SYSCTL_cpupool_op, VER), -XEN_EPERM);
    expect("sysctl unknown", sysctl(999, VER), -XEN_EPERM);
    if (sc.u.getdomaininfolist.num_domains != 0)
        test_fail("sysctl wrote its struct back");

    expect("xsm_op", xen_hypercall(__HYPERVISOR_xsm_op, 5, 0, 0, 0, 0), -XEN_ENOSYS);
    expect("sharing freed", memory_op(18, NULL), 0);
    expect("sharing shared", memory_op(19, NULL), 0);
    /* XENVER_commandline is the control domain's: a domU gets Xen's
     * "<denied>", its 9 bytes and no more. */
    static char cmdline[16];
    for (size_t i = 0; i < sizeof(cmdline); i++)
        cmdline[i] = 'x';
    expect("commandline",
           xen_hypercall(__HYPERVISOR_xen_version, XENVER_commandline, (uintptr_t)cmdline, 0, 0, 0),
           0);
    if (strcmp(cmdline, "<denied>") != 0 || cmdline[9] != 'x')
        test_fail("commandline wrote \"%.9s\" then %d", cmdline, cmdline[9]);
    static uint32_t len = 64;
    expect("build_id",
           xen_hypercall(__HYPERVISOR_xen_version, XENVER_build_id, (uintptr_t)&len, 0, 0, 0),
           -XEN_EPERM);
}

enum { N = 10 };
static struct multicall_entry mc[N];
static const long want[N] = {0x40011,     4096,        0,           0,          -XEN_ENOSYS,
                             -XEN_ENOSYS, -XEN_EINVAL, -XEN_EACCES, -XEN_EPERM, -XEN_EPERM};

static void entry(int i, unsigned long op, unsigned long a0, unsigned long a1)
{
    mc[i] = (struct multicall_entry){.op = op, .result = 0x1234, .args = {a0, a1, 7, 8, 9, 10}};
}

static void multicall(uint16_t self)
{
    static struct xen_domctl bad, mine;
    static struct xen_sysctl phys;
    bad = (struct xen_domctl){.cmd = XEN_DOMCTL_getdomaininfo, .interface_version = 0x14};
    mine = (struct xen_domctl){
        .cmd = XEN_DOMCTL_getdomaininfo, .interface_version = VER, .domain = self};
    phys = (struct xen_sysctl){.cmd = XEN_SYSCTL_physinfo, .interface_version = VER};
    entry(0, __HYPERVISOR_xen_version, XENVER_version, 0);
    entry(1, __HYPERVISOR_xen_version, XENVER_pagesize, 0);
    entry(2, __HYPERVISOR_memory_op, 18, 0);
    entry(3, __HYPERVISOR_memory_op, 19, 0);
    entry(4, __HYPERVISOR_xsm_op, 5, 0);
    entry(5, 99, 0, 0);
    entry(6, __HYPERVISOR_multicall, (uintptr_t)&mc[0], 1);
    entry(7, __HYPERVISOR_domctl, (uintptr_t)&bad, 0);
    entry(8, __HYPERVISOR_domctl, (uintptr_t)&mine, 0);
    entry(9, __HYPERVISOR_sysctl, (uintptr_t)&phys, 0);
    expect("multicall", xen_hypercall(__HYPERVISOR_multicall, (uintptr_t)mc, N, 0, 0, 0), 0);
    for (int i = 0; i < N; i++) {
        if ((long)mc[i].result != want[i])
            test_fail("multicall entry %d result=%ld expected=%ld", i, (long)mc[i].result, want[i]);
        if (mc[i].args[2] != 7 || mc[i].args[5] != 10)
            test_fail("multicall entry %d arguments changed", i);
    }
    expect("multicall empty", xen_hypercall(__HYPERVISOR_multicall, BAD_PTR, 0, 0, 0, 0), 0);
    expect("multicall bad list", xen_hypercall(__HYPERVISOR_multicall, BAD_PTR, 1, 0, 0, 0),
           -XEN_EFAULT);
}

void test_main(void)
{
    uint16_t self = xen_own_domid();
    envelopes(self);
    multicall(self);
    test_pass("domctl=eperm sysctl=eperm xsm=enosys multicall=%d", N);
}
