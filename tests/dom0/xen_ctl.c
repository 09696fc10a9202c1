/*
 * xen-ctl: dom0 issues the toolstack's read-only control calls through
 * Linux's privcmd (IOCTL_PRIVCMD_HYPERCALL), the way libxencall does, and
 * prints what the hypervisor answered, so the integration tests can check
 * SYSCTL physinfo, getdomaininfolist and cpupool INFO and DOMCTL
 * getdomaininfo from a stock Linux dom0 (tests/integration/test_dom0_ctl.py).
 *
 *   xen-ctl        every call below, one "XC " line each, then "XC done"
 *
 * Lines:
 *   XC physinfo rc= errno= nr_cpus= max_cpu_id= cpu_khz= caps=0x total_pages=
 *      free_pages= max_mfn= threads_per_core= cores_per_socket= nr_nodes=
 *   XC list rc= errno= num=                      (getdomaininfolist from 0, 1024 max)
 *   XC dom id= flags=0x tot_pages= max_pages= online= max_vcpu_id= cpu_time=
 *      gpaddr_bits= cpupool=                     (one per listed domain)
 *   XC getinfo ask= rc= errno= id=               (DOMCTL getdomaininfo: each listed
 *                                                 id, each id + 1, 0x7ff0)
 *   XC cpupool ask= rc= errno= id= sched= n_dom= map=0x  (INFO for pools 0 and 1)
 *   XC sched_id rc= errno= id=
 *   XC badversion domctl=<errno> sysctl=<errno>  (interface version 0x14)
 *   XC cmdline rc= errno= dom0_mem=yes|no        (XENVER_commandline holds dom0_mem=)
 * Exit status 0 when every call could be made (whatever it answered).
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, ioctl() beside -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* The repository's Xen 4.17 public headers, written from the documented layouts. */
#include "../../include/public/domctl.h"
#include "../../include/public/sysctl.h"

/* Linux's include/uapi/xen/privcmd.h: hypercall `op` with five arguments. */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
_Static_assert(IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "ioctl number (xen-toolstack-abi.md 1.5)");

#define HYPERVISOR_sysctl 35
#define HYPERVISOR_domctl 36
#define MAX_DOMS 1024
#define MAP_BYTES 16

/* Hypercall buffers: locked, populated memory (libxencall's hypercall
 * buffers), since the hypervisor reads them through dom0's page tables. */
struct bufs {
    struct xen_domctl domctl;
    struct xen_sysctl sysctl;
    uint8_t map[MAP_BYTES];
    struct xen_domctl_getdomaininfo list[MAX_DOMS];
    char cmdline[1024];
};

static int fd;
static struct bufs *b;

static int hypercall(uint64_t op, void *arg, int *err)
{
    struct privcmd_hypercall h = {.op = op, .arg = {(uintptr_t)arg}};
    int rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    *err = rc < 0 ? errno : 0;
    return rc;
}

static int sysctl(uint32_t cmd, uint32_t version, int *err)
{
    b->sysctl.cmd = cmd;
    b->sysctl.interface_version = version;
    return hypercall(HYPERVISOR_sysctl, &b->sysctl, err);
}

static int domctl(uint32_t cmd, uint32_t version, uint16_t dom, int *err)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->domctl.cmd = cmd;
    b->domctl.interface_version = version;
    b->domctl.domain = dom;
    return hypercall(HYPERVISOR_domctl, &b->domctl, err);
}

static void physinfo(void)
{
    int err;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    int rc = sysctl(XEN_SYSCTL_physinfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    const struct xen_sysctl_physinfo *p = &b->sysctl.u.physinfo;
    printf("XC physinfo rc=%d errno=%d nr_cpus=%u max_cpu_id=%u cpu_khz=%u caps=0x%x "
           "total_pages=%llu free_pages=%llu max_mfn=0x%llx threads_per_core=%u "
           "cores_per_socket=%u nr_nodes=%u\n",
           rc, err, p->nr_cpus, p->max_cpu_id, p->cpu_khz, p->capabilities,
           (unsigned long long)p->total_pages, (unsigned long long)p->free_pages,
           (unsigned long long)p->max_mfn, p->threads_per_core, p->cores_per_socket, p->nr_nodes);
}

static unsigned int list(void)
{
    int err;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    b->sysctl.u.getdomaininfolist.first_domain = 0;
    b->sysctl.u.getdomaininfolist.max_domains = MAX_DOMS;
    b->sysctl.u.getdomaininfolist.buffer = (uintptr_t)b->list;
    int rc = sysctl(XEN_SYSCTL_getdomaininfolist, XEN_SYSCTL_INTERFACE_VERSION, &err);
    unsigned int n = rc == 0 ? b->sysctl.u.getdomaininfolist.num_domains : 0;
    printf("XC list rc=%d errno=%d num=%u\n", rc, err, n);
    for (unsigned int i = 0; i < n && i < MAX_DOMS; i++) {
        const struct xen_domctl_getdomaininfo *d = &b->list[i];
        printf("XC dom id=%u flags=0x%x tot_pages=%llu max_pages=%llu online=%u "
               "max_vcpu_id=%u cpu_time=%llu gpaddr_bits=%u cpupool=%u\n",
               d->domain, d->flags, (unsigned long long)d->tot_pages,
               (unsigned long long)d->max_pages, d->nr_online_vcpus, d->max_vcpu_id,
               (unsigned long long)d->cpu_time, d->gpaddr_bits, d->cpupool);
    }
    return n;
}

static void getinfo(uint16_t ask)
{
    int err;
    int rc = domctl(XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_INTERFACE_VERSION, ask, &err);
    printf("XC getinfo ask=%u rc=%d errno=%d id=%u\n", ask, rc, err,
           rc == 0 ? b->domctl.u.getdomaininfo.domain : 0xffffu);
}

static void cpupool(uint32_t id)
{
    int err;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    memset(b->map, 0, sizeof(b->map));
    b->sysctl.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
    b->sysctl.u.cpupool_op.cpupool_id = id;
    b->sysctl.u.cpupool_op.cpumap.bitmap = (uintptr_t)b->map;
    b->sysctl.u.cpupool_op.cpumap.nr_bits = 8 * MAP_BYTES;
    int rc = sysctl(XEN_SYSCTL_cpupool_op, XEN_SYSCTL_INTERFACE_VERSION, &err);
    const struct xen_sysctl_cpupool_op *c = &b->sysctl.u.cpupool_op;
    printf("XC cpupool ask=%u rc=%d errno=%d id=%u sched=%u n_dom=%u map=0x%02x%02x\n", id, rc, err,
           c->cpupool_id, c->sched_id, c->n_dom, b->map[1], b->map[0]);
}

int main(void)
{
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        printf("XC open error errno=%d (%s)\n", errno, strerror(errno));
        return 1;
    }
    b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1, 0);
    if (b == MAP_FAILED) {
        printf("XC mmap error errno=%d (%s)\n", errno, strerror(errno));
        return 1;
    }
    memset(b, 0, sizeof(*b));
    setvbuf(stdout, NULL, _IOLBF, 0);
    physinfo();
    unsigned int n = list();
    for (unsigned int i = 0; i < n && i < MAX_DOMS; i++) {
        uint16_t id = b->list[i].domain;
        getinfo(id);
        getinfo((uint16_t)(id + 1));
    }
    getinfo(0x7ff0);
    cpupool(0);
    cpupool(1);
    int err, rc;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    rc = sysctl(XEN_SYSCTL_sched_id, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC sched_id rc=%d errno=%d id=%u\n", rc, err, b->sysctl.u.sched_id.sched_id);
    int derr, serr;
    domctl(XEN_DOMCTL_getdomaininfo, 0x14, 0, &derr);
    sysctl(XEN_SYSCTL_physinfo, 0x14, &serr);
    printf("XC badversion domctl=%d sysctl=%d\n", derr, serr);
    struct privcmd_hypercall h = {.op = 17, .arg = {9, (uintptr_t)b->cmdline}}; /* commandline */
    rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    b->cmdline[sizeof(b->cmdline) - 1] = 0;
    printf("XC cmdline rc=%d errno=%d dom0_mem=%s\n", rc, rc < 0 ? errno : 0,
           strstr(b->cmdline, "dom0_mem=") ? "yes" : "no");
    printf("XC done\n");
    return 0;
}
