/*
 * xen-ctl: dom0 issues the toolstack's control calls through Linux's privcmd
 * (IOCTL_PRIVCMD_HYPERCALL, IOCTL_PRIVCMD_MMAP_RESOURCE, MMAPBATCH_V2), the
 * way libxencall, libxenforeignmemory and libxenguest do, and prints what the
 * hypervisor answered, so tests/integration/test_dom0_ctl.py can check them
 * from a stock Linux dom0 against the machine and the dom0less domains.
 *
 *   xen-ctl             the read-only calls below, one "XC " line each, "XC done"
 *   xen-ctl ops P S     the calls that change something: on domain P (a plain
 *                       domU) its scheduler parameters, handle, node affinity,
 *                       address size, P2M pool and vCPU 0's pinning; on domain
 *                       S (a Xen-enhanced domU) its grant table seeded through
 *                       acquire_resource and through the compat path, and its
 *                       HVM params; then "XC done"
 *
 * Read-only lines:
 *   XC physinfo rc= errno= nr_cpus= max_cpu_id= cpu_khz= caps=0x total_pages=
 *      free_pages= max_mfn= threads_per_core= cores_per_socket= nr_nodes=
 *   XC list rc= errno= num=                      (getdomaininfolist from 0, 1024 max)
 *   XC dom id= flags=0x tot_pages= max_pages= online= max_vcpu_id= cpu_time=
 *      gpaddr_bits= cpupool=                     (one per listed domain)
 *   XC getinfo ask= rc= errno= id=               (DOMCTL getdomaininfo: each listed
 *                                                 id, each id + 1, 0x7ff0)
 *   XC vcpu dom= vcpu= rc= errno= online= blocked= running= cpu= time_ns=
 *   XC affinity dom= vcpu= rc= errno= hard=0x soft=0x (getvcpuaffinity, 16-bit maps)
 *   XC sched dom= rc= errno= weight= cap=        (DOMCTL scheduler_op getinfo, credit2)
 *   XC poolsched ask= rc= errno= ratelimit=      (SYSCTL scheduler_op getinfo, pools 0, 1)
 *   XC pool ... XC cpupool ask= rc= errno= id= sched= n_dom= map=0x  (INFO, pools 0 and 1)
 *   XC sched_id rc= errno= id=
 *   XC cputopo rc= errno= num= [c<i>=core/socket/node ...]  (count, then 4 entries)
 *   XC numa rc= errno= num= memsize= memfree= dist=  (count, then the arrays)
 *   XC pcitopo rc= errno=
 *   XC dmesg rc= errno= bytes= reads= first="..."    (readconsole, xl dmesg's loop)
 *   XC pool_size dom= rc= errno= bytes=           (get_paging_mempool_size)
 *   XC badversion domctl=<errno> sysctl=<errno>  (interface version 0x14)
 *   XC cmdline rc= errno= dom0_mem=yes|no        (XENVER_commandline holds dom0_mem=)
 * "ops" lines (rc= errno= on each, the answer after):
 *   XC schedop what= weight= cap=   XC ratelimit what= us=   (DOMCTL/SYSCTL scheduler_op)
 *   XC handle get= handle=           XC nodeaffinity map=     XC address_size size=
 *   XC get_address_size              XC pool_set bytes=       XC pool_get bytes= was=
 *   XC pin dom= vcpu= flags= ask=0xH/0xS hard=0x soft=0x cpu= after_ms=  (the vCPU's
 *                                    pCPU after setvcpuaffinity, waited for up to 5 s:
 *                                    domain P's vCPU 0, then dom0's own running vCPU)
 *   XC aq what= nr=                 (acquire_resource refusals and size, by hypercall)
 *   XC aq_size num=                  (the size through privcmd's MMAP_RESOURCE)
 *   XC compat add=rc/errno setup=rc/errno status= frame=0x map=rc/errno/err remove=rc/errno
 *   XC acquire entry2=0x             (frame 0 mapped by MMAP_RESOURCE: the compat
 *                                    path's entry 2 seen, entry 1 written)
 *   XC hvm index= set=rc/errno get=rc/errno value=0x   XC hvmbad what=
 * Exit status 0 when every call could be made (whatever it answered).
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS, ioctl(), sched_getcpu() beside -std=c11 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The repository's Xen 4.17 public headers, written from the documented layouts. */
#include "../../include/public/domctl.h"
#include "../../include/public/grant_table.h"
#include "../../include/public/hvm/hvm_op.h"
#include "../../include/public/hvm/params.h"
#include "../../include/public/memory.h"
#include "../../include/public/sysctl.h"

/* Linux's include/uapi/xen/privcmd.h: hypercall `op` with five arguments. */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
_Static_assert(IOCTL_PRIVCMD_HYPERCALL == 0x00305000, "ioctl number (xen-toolstack-abi.md 1.5)");

/* privcmd's mmap of a resource: num frames from idx at addr (a privcmd mmap);
 * addr = num = 0 asks the resource's size into num. */
struct privcmd_mmap_resource {
    uint16_t dom;
    uint32_t type;
    uint32_t id;
    uint32_t idx;
    uint64_t num;
    uint64_t addr;
};
_Static_assert(sizeof(struct privcmd_mmap_resource) == 32, "arm64 layout");
#define IOCTL_PRIVCMD_MMAP_RESOURCE _IOC(_IOC_NONE, 'P', 7, sizeof(struct privcmd_mmap_resource))

/* As tests/dom0/xen_foreign.c: num frames of dom at addr, err[] per frame. */
struct privcmd_mmapbatch_v2 {
    uint32_t num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

#define HYPERVISOR_memory_op 12
#define HYPERVISOR_grant_table_op 20
#define HYPERVISOR_hvm_op 34
#define HYPERVISOR_sysctl 35
#define HYPERVISOR_domctl 36
#define MAX_DOMS 1024
#define MAP_BYTES 16
#define RING_BYTES 16384
#define PAGE 4096u

/* Hypercall buffers: locked, populated memory (libxencall's hypercall
 * buffers), since the hypervisor reads them through dom0's page tables. */
struct bufs {
    struct xen_domctl domctl;
    struct xen_sysctl sysctl;
    uint8_t map[MAP_BYTES], map2[MAP_BYTES];
    struct xen_domctl_getdomaininfo list[MAX_DOMS];
    char cmdline[1024];
    char ring[RING_BYTES];
    struct xen_sysctl_cputopo topo[4];
    struct xen_sysctl_meminfo mem[2];
    uint32_t dist[4];
    struct xen_mem_acquire_resource aq;
    struct xen_add_to_physmap atp;
    struct xen_remove_from_physmap rfp;
    struct gnttab_setup_table st;
    uint64_t frames[4];
    struct xen_hvm_param hvm;
};

static int fd;
static struct bufs *b;

static int hypercall(uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2, int *err)
{
    struct privcmd_hypercall h = {.op = op, .arg = {a0, a1, a2}};
    int rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    *err = rc < 0 ? errno : 0;
    return rc;
}

static int sysctl(uint32_t cmd, uint32_t version, int *err)
{
    b->sysctl.cmd = cmd;
    b->sysctl.interface_version = version;
    return hypercall(HYPERVISOR_sysctl, (uintptr_t)&b->sysctl, 0, 0, err);
}

/* A domctl with the union as the caller left it in b->domctl.u. */
static int domctl_u(uint32_t cmd, uint16_t dom, int *err)
{
    b->domctl.cmd = cmd;
    b->domctl.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    b->domctl.domain = dom;
    return hypercall(HYPERVISOR_domctl, (uintptr_t)&b->domctl, 0, 0, err);
}

static int domctl(uint32_t cmd, uint32_t version, uint16_t dom, int *err)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->domctl.cmd = cmd;
    b->domctl.interface_version = version;
    b->domctl.domain = dom;
    return hypercall(HYPERVISOR_domctl, (uintptr_t)&b->domctl, 0, 0, err);
}

static unsigned int map16(const uint8_t *m)
{
    return (unsigned int)m[0] | (unsigned int)m[1] << 8;
}

/* ---- read-only calls ---- */

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

/* getvcpuinfo of vcpu (beyond max_vcpu_id too: the error). */
static void vcpuinfo(uint16_t dom, uint32_t vcpu)
{
    int err;
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->domctl.u.getvcpuinfo.vcpu = vcpu;
    int rc = domctl_u(XEN_DOMCTL_getvcpuinfo, dom, &err);
    const struct xen_domctl_getvcpuinfo *g = &b->domctl.u.getvcpuinfo;
    printf("XC vcpu dom=%u vcpu=%u rc=%d errno=%d online=%u blocked=%u running=%u cpu=%u "
           "time_ns=%llu\n",
           dom, vcpu, rc, err, g->online, g->blocked, g->running, g->cpu,
           (unsigned long long)g->cpu_time);
}

/* set or get vcpuaffinity with flags; hard and soft are 16-bit maps in/out. */
static int affinity(uint32_t cmd, uint16_t dom, uint32_t vcpu, uint32_t flags, unsigned int *hard,
                    unsigned int *soft, int *err)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->map[0] = (uint8_t)*hard, b->map[1] = (uint8_t)(*hard >> 8);
    b->map2[0] = (uint8_t)*soft, b->map2[1] = (uint8_t)(*soft >> 8);
    struct xen_domctl_vcpuaffinity *a = &b->domctl.u.vcpuaffinity;
    a->vcpu = vcpu;
    a->flags = flags;
    a->cpumap_hard = (struct xenctl_bitmap){(uintptr_t)b->map, 16, 0};
    a->cpumap_soft = (struct xenctl_bitmap){(uintptr_t)b->map2, 16, 0};
    int rc = domctl_u(cmd, dom, err);
    *hard = map16(b->map);
    *soft = map16(b->map2);
    return rc;
}

static int sched_op(uint16_t dom, uint32_t id, uint32_t cmd, uint16_t *weight, uint16_t *cap,
                    int *err)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->domctl.u.scheduler_op.sched_id = id;
    b->domctl.u.scheduler_op.cmd = cmd;
    b->domctl.u.scheduler_op.u.credit2 = (struct xen_domctl_sched_credit2){*weight, *cap};
    int rc = domctl_u(XEN_DOMCTL_scheduler_op, dom, err);
    *weight = b->domctl.u.scheduler_op.u.credit2.weight;
    *cap = b->domctl.u.scheduler_op.u.credit2.cap;
    return rc;
}

static int ratelimit(uint32_t pool, uint32_t cmd, uint32_t *us, int *err)
{
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    b->sysctl.u.scheduler_op.cpupool_id = pool;
    b->sysctl.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    b->sysctl.u.scheduler_op.cmd = cmd;
    b->sysctl.u.scheduler_op.u.sched_credit2.ratelimit_us = *us;
    int rc = sysctl(XEN_SYSCTL_scheduler_op, XEN_SYSCTL_INTERFACE_VERSION, err);
    *us = b->sysctl.u.scheduler_op.u.sched_credit2.ratelimit_us;
    return rc;
}

static void per_domain(const struct xen_domctl_getdomaininfo *d)
{
    int err, rc;
    uint32_t last = d->max_vcpu_id == XEN_INVALID_MAX_VCPU_ID ? 0 : d->max_vcpu_id + 1;
    for (uint32_t v = 0; v <= last; v++)
        vcpuinfo(d->domain, v);
    for (uint32_t v = 0; v < last; v++) {
        unsigned int hard = 0xaaaa, soft = 0xaaaa;
        rc = affinity(XEN_DOMCTL_getvcpuaffinity, d->domain, v,
                      XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &hard, &soft, &err);
        printf("XC affinity dom=%u vcpu=%u rc=%d errno=%d hard=0x%04x soft=0x%04x\n", d->domain, v,
               rc, err, hard, soft);
    }
    uint16_t weight = 1, cap = 1;
    rc =
        sched_op(d->domain, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &weight, &cap, &err);
    printf("XC sched dom=%u rc=%d errno=%d weight=%u cap=%u\n", d->domain, rc, err, weight, cap);
    rc = domctl(XEN_DOMCTL_get_paging_mempool_size, XEN_DOMCTL_INTERFACE_VERSION, d->domain, &err);
    printf("XC pool_size dom=%u rc=%d errno=%d bytes=%llu\n", d->domain, rc, err,
           (unsigned long long)b->domctl.u.paging_mempool.size);
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
    uint32_t us = 7;
    rc = ratelimit(id, XEN_SYSCTL_SCHEDOP_getinfo, &us, &err);
    printf("XC poolsched ask=%u rc=%d errno=%d ratelimit=%u\n", id, rc, err, us);
}

static void topology(void)
{
    int err;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    int rc = sysctl(XEN_SYSCTL_cputopoinfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC cputopo rc=%d errno=%d num=%u\n", rc, err, b->sysctl.u.cputopoinfo.num_cpus);
    memset(b->topo, 0xaa, sizeof(b->topo));
    b->sysctl.u.cputopoinfo = (struct xen_sysctl_cputopoinfo){4, 0, (uintptr_t)b->topo};
    rc = sysctl(XEN_SYSCTL_cputopoinfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC cputopo rc=%d errno=%d num=%u", rc, err, b->sysctl.u.cputopoinfo.num_cpus);
    for (int i = 0; i < 4; i++)
        printf(" c%d=%d/%d/%d", i, (int)b->topo[i].core, (int)b->topo[i].socket,
               (int)b->topo[i].node);
    printf("\n");
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    rc = sysctl(XEN_SYSCTL_numainfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC numa rc=%d errno=%d num=%u\n", rc, err, b->sysctl.u.numainfo.num_nodes);
    memset(b->mem, 0, sizeof(b->mem));
    memset(b->dist, 0, sizeof(b->dist));
    b->sysctl.u.numainfo =
        (struct xen_sysctl_numainfo){2, 0, (uintptr_t)b->mem, (uintptr_t)b->dist};
    rc = sysctl(XEN_SYSCTL_numainfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC numa rc=%d errno=%d num=%u memsize=%llu memfree=%llu dist=%u\n", rc, err,
           b->sysctl.u.numainfo.num_nodes, (unsigned long long)b->mem[0].memsize,
           (unsigned long long)b->mem[0].memfree, b->dist[0]);
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    rc = sysctl(XEN_SYSCTL_pcitopoinfo, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC pcitopo rc=%d errno=%d\n", rc, err);
}

/* xl dmesg's loop: incremental reads from index 0 until one returns nothing. */
static void dmesg(void)
{
    int err = 0, rc = 0;
    unsigned long long bytes = 0;
    uint32_t index = 0, count = RING_BYTES;
    char first[64] = "";
    unsigned int reads = 0;
    while (reads < 64) {
        memset(&b->sysctl, 0, sizeof(b->sysctl));
        b->sysctl.u.readconsole = (struct xen_sysctl_readconsole){
            .incremental = 1, .index = index, .buffer = (uintptr_t)b->ring, .count = count};
        rc = sysctl(XEN_SYSCTL_readconsole, XEN_SYSCTL_INTERFACE_VERSION, &err);
        reads++;
        if (rc || !b->sysctl.u.readconsole.count)
            break;
        if (!bytes) /* the first line, printable characters only */
            for (size_t i = 0;
                 i < sizeof(first) - 1 && i < b->sysctl.u.readconsole.count && b->ring[i] != '\n';
                 i++)
                first[i] =
                    b->ring[i] >= 0x20 && b->ring[i] < 0x7f && b->ring[i] != '"' ? b->ring[i] : '.';
        bytes += b->sysctl.u.readconsole.count;
        count = b->sysctl.u.readconsole.count;
        index = b->sysctl.u.readconsole.index;
    }
    printf("XC dmesg rc=%d errno=%d bytes=%llu reads=%u first=\"%s\"\n", rc, err, bytes, reads,
           first);
}

static void read_only(void)
{
    physinfo();
    unsigned int n = list();
    for (unsigned int i = 0; i < n && i < MAX_DOMS; i++) {
        uint16_t id = b->list[i].domain;
        getinfo(id);
        getinfo((uint16_t)(id + 1));
    }
    getinfo(0x7ff0);
    for (unsigned int i = 0; i < n && i < MAX_DOMS; i++)
        per_domain(&b->list[i]);
    cpupool(0);
    cpupool(1);
    int err, rc;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    rc = sysctl(XEN_SYSCTL_sched_id, XEN_SYSCTL_INTERFACE_VERSION, &err);
    printf("XC sched_id rc=%d errno=%d id=%u\n", rc, err, b->sysctl.u.sched_id.sched_id);
    topology();
    dmesg();
    int derr, serr;
    domctl(XEN_DOMCTL_getdomaininfo, 0x14, 0, &derr);
    sysctl(XEN_SYSCTL_physinfo, 0x14, &serr);
    printf("XC badversion domctl=%d sysctl=%d\n", derr, serr);
    struct privcmd_hypercall h = {.op = 17, .arg = {9, (uintptr_t)b->cmdline}}; /* commandline */
    rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    b->cmdline[sizeof(b->cmdline) - 1] = 0;
    printf("XC cmdline rc=%d errno=%d dom0_mem=%s\n", rc, rc < 0 ? errno : 0,
           strstr(b->cmdline, "dom0_mem=") ? "yes" : "no");
}

/* ---- calls that change something ---- */

static unsigned long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000 + (unsigned long long)t.tv_nsec / 1000000;
}

/* setvcpuaffinity of dom's vCPU 0, the maps written back, then getvcpuinfo
 * until it runs on a pCPU of the hard map (up to 5 s): xl vcpu-pin. */
static void pin(uint16_t dom, uint32_t vcpu, uint32_t flags, unsigned int hard, unsigned int soft)
{
    int err, verr = 0;
    unsigned int h = hard, s = soft, cpu = ~0u;
    int rc = affinity(XEN_DOMCTL_setvcpuaffinity, dom, vcpu, flags, &h, &s, &err);
    unsigned long long t0 = now_ms(), t = t0;
    while (rc == 0 && t - t0 < 5000) {
        memset(&b->domctl, 0, sizeof(b->domctl));
        b->domctl.u.getvcpuinfo.vcpu = vcpu;
        if (domctl_u(XEN_DOMCTL_getvcpuinfo, dom, &verr))
            break;
        cpu = b->domctl.u.getvcpuinfo.cpu;
        if (!(flags & XEN_VCPUAFFINITY_HARD) || (cpu < 16 && (hard >> cpu) & 1))
            break;
        usleep(10000);
        t = now_ms();
    }
    printf("XC pin dom=%u vcpu=%u flags=%u ask=0x%x/0x%x rc=%d errno=%d hard=0x%04x soft=0x%04x "
           "cpu=%d after_ms=%llu\n",
           dom, vcpu, flags, hard, soft, rc, err, h, s, (int)cpu, now_ms() - t0);
}

static void sched_ops(uint16_t dom)
{
    const uint32_t C2 = XEN_SCHEDULER_CREDIT2, PUT = XEN_DOMCTL_SCHEDOP_putinfo,
                   GET = XEN_DOMCTL_SCHEDOP_getinfo;
    static const struct {
        const char *what;
        uint32_t id, cmd;
        uint16_t weight, cap;
    } steps[] = {
        {"put512_50", C2, PUT, 512, 50}, {"get", C2, GET, 0, 0},        {"put0_0", C2, PUT, 0, 0},
        {"get", C2, GET, 0, 0},          {"cap201", C2, PUT, 0, 201},   {"credit1", 5, GET, 0, 0},
        {"vcpuinfo", C2, 3, 0, 0},       {"put256_0", C2, PUT, 256, 0},
    };
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        int err;
        uint16_t w = steps[i].weight, c = steps[i].cap;
        int rc = sched_op(dom, steps[i].id, steps[i].cmd, &w, &c, &err);
        printf("XC schedop what=%s rc=%d errno=%d weight=%u cap=%u\n", steps[i].what, rc, err, w,
               c);
    }
    static const struct {
        const char *what;
        uint32_t cmd, us;
    } rl[] = {{"put99", 0, 99}, {"put2000", 0, 2000}, {"get", 1, 0}, {"put1000", 0, 1000}};
    for (size_t i = 0; i < sizeof(rl) / sizeof(rl[0]); i++) {
        int err;
        uint32_t us = rl[i].us;
        int rc = ratelimit(0, rl[i].cmd, &us, &err);
        printf("XC ratelimit what=%s rc=%d errno=%d us=%u\n", rl[i].what, rc, err, us);
    }
}

static void domain_ops(uint16_t dom)
{
    int err, rc;
    memset(&b->domctl, 0, sizeof(b->domctl));
    for (int i = 0; i < 16; i++)
        b->domctl.u.setdomainhandle.handle[i] = (uint8_t)(0x10 + i);
    rc = domctl_u(XEN_DOMCTL_setdomainhandle, dom, &err);
    int grc, gerr;
    grc = domctl(XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_INTERFACE_VERSION, dom, &gerr);
    printf("XC handle rc=%d errno=%d get=%d handle=", rc, err, grc);
    for (int i = 0; i < 16; i++)
        printf("%02x", b->domctl.u.getdomaininfo.handle[i]);
    printf("\n");
    for (unsigned int m = 1; m <= 2; m++) {
        memset(&b->domctl, 0, sizeof(b->domctl));
        b->map[0] = (uint8_t)m;
        b->domctl.u.nodeaffinity.nodemap = (struct xenctl_bitmap){(uintptr_t)b->map, 8, 0};
        rc = domctl_u(XEN_DOMCTL_setnodeaffinity, dom, &err);
        printf("XC nodeaffinity map=0x%x rc=%d errno=%d\n", m, rc, err);
    }
    static const uint32_t sizes[] = {64, 32, 48};
    for (int i = 0; i < 3; i++) {
        memset(&b->domctl, 0, sizeof(b->domctl));
        b->domctl.u.address_size.size = sizes[i];
        rc = domctl_u(XEN_DOMCTL_set_address_size, dom, &err);
        printf("XC address_size size=%u rc=%d errno=%d\n", sizes[i], rc, err);
    }
    rc = domctl(XEN_DOMCTL_get_address_size, XEN_DOMCTL_INTERFACE_VERSION, dom, &err);
    printf("XC get_address_size rc=%d errno=%d\n", rc, err);
    rc = domctl(XEN_DOMCTL_get_paging_mempool_size, XEN_DOMCTL_INTERFACE_VERSION, dom, &err);
    uint64_t size = b->domctl.u.paging_mempool.size;
    uint64_t asks[] = {4097, size};
    for (int i = 0; i < 2; i++) {
        memset(&b->domctl, 0, sizeof(b->domctl));
        b->domctl.u.paging_mempool.size = asks[i];
        int src = domctl_u(XEN_DOMCTL_set_paging_mempool_size, dom, &err);
        printf("XC pool_set bytes=%llu rc=%d errno=%d\n", (unsigned long long)asks[i], src, err);
    }
    rc = domctl(XEN_DOMCTL_get_paging_mempool_size, XEN_DOMCTL_INTERFACE_VERSION, dom, &err);
    printf("XC pool_get rc=%d errno=%d bytes=%llu was=%llu\n", rc, err,
           (unsigned long long)b->domctl.u.paging_mempool.size, (unsigned long long)size);
}

/* acquire_resource through the hypercall itself: the refusals, the size. */
static void acquire_probes(uint16_t dom)
{
    static const struct {
        const char *what;
        uint16_t dom, type;
        uint32_t id, pad;
    } probes[] = {
        {"size", 0xffff, 1, 0, 0},       {"status", 0xffff, 1, 1, 0},  {"ioreq", 0xffff, 0, 0, 0},
        {"vmtrace", 0xffff, 2, 0, 0},    {"unknown", 0xffff, 9, 0, 0}, {"self", 0, 1, 0, 0},
        {"domid_self", 0x7ff0, 1, 0, 0}, {"nodom", 7, 1, 0, 0},        {"pad", 0xffff, 1, 0, 1},
    };
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        int err;
        uint16_t d = probes[i].dom == 0xffff ? dom : probes[i].dom;
        b->aq = (struct xen_mem_acquire_resource){
            .domid = d, .type = probes[i].type, .id = probes[i].id, .pad = probes[i].pad};
        int rc =
            hypercall(HYPERVISOR_memory_op, XENMEM_acquire_resource, (uintptr_t)&b->aq, 0, &err);
        printf("XC aq what=%s rc=%d errno=%d nr=%u\n", probes[i].what, rc, err, b->aq.nr_frames);
    }
    struct privcmd_mmap_resource r = {.dom = dom, .type = XENMEM_resource_grant_table};
    int rc = ioctl(fd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r);
    printf("XC aq_size rc=%d errno=%d num=%llu\n", rc, rc < 0 ? errno : 0,
           (unsigned long long)r.num);
}

/* One page of a privcmd mapping: 0 mapped, else the step's error. */
static volatile struct grant_entry_v1 *privcmd_page(int *pfd)
{
    *pfd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    void *va =
        *pfd < 0 ? MAP_FAILED : mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, *pfd, 0);
    return va == MAP_FAILED ? NULL : va;
}

static void privcmd_done(volatile struct grant_entry_v1 *e, int pfd)
{
    if (e)
        munmap((void *)e, PAGE);
    if (pfd >= 0)
        close(pfd);
}

/* libxenguest's compat seeding: the frame at GFN 0x38000 of dom, entry 2. */
static void compat_seed(uint16_t dom)
{
    int aerr, serr, rerr, err = 0;
    b->atp = (struct xen_add_to_physmap){
        .domid = dom, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x38000};
    int arc = hypercall(HYPERVISOR_memory_op, XENMEM_add_to_physmap, (uintptr_t)&b->atp, 0, &aerr);
    b->frames[0] = 0;
    b->st =
        (struct gnttab_setup_table){.dom = dom, .nr_frames = 1, .frame_list = (uintptr_t)b->frames};
    int src =
        hypercall(HYPERVISOR_grant_table_op, GNTTABOP_setup_table, (uintptr_t)&b->st, 1, &serr);
    int pfd, mrc = -1;
    volatile struct grant_entry_v1 *e = privcmd_page(&pfd);
    uint64_t gfn = 0x38000;
    int ferr = 0;
    if (e) {
        struct privcmd_mmapbatch_v2 m = {1, dom, (uintptr_t)e, &gfn, &ferr};
        mrc = ioctl(pfd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
        err = mrc < 0 ? errno : 0;
        if (mrc == 0 && ferr == 0)
            e[2] = (struct grant_entry_v1){GTF_permit_access, 0, 0x39000};
    }
    privcmd_done(e, pfd);
    b->rfp = (struct xen_remove_from_physmap){.domid = dom, .gpfn = 0x38000};
    int rrc =
        hypercall(HYPERVISOR_memory_op, XENMEM_remove_from_physmap, (uintptr_t)&b->rfp, 0, &rerr);
    printf("XC compat add=%d/%d setup=%d/%d status=%d frame=0x%llx map=%d/%d/%d remove=%d/%d\n",
           arc, aerr, src, serr, b->st.status, (unsigned long long)b->frames[0], mrc, err, ferr,
           rrc, rerr);
}

/* acquire_resource through privcmd (MMAP_RESOURCE): entry 2 read, entry 1 written. */
static void acquire_seed(uint16_t dom)
{
    int pfd, rc = -1, err = 0;
    unsigned int seen = 0;
    volatile struct grant_entry_v1 *e = privcmd_page(&pfd);
    if (e) {
        struct privcmd_mmap_resource r = {.dom = dom,
                                          .type = XENMEM_resource_grant_table,
                                          .id = XENMEM_resource_grant_table_id_shared,
                                          .idx = 0,
                                          .num = 1,
                                          .addr = (uintptr_t)e};
        rc = ioctl(pfd, IOCTL_PRIVCMD_MMAP_RESOURCE, &r);
        err = rc < 0 ? errno : 0;
        if (rc == 0) {
            seen = e[2].frame;
            e[1] = (struct grant_entry_v1){GTF_permit_access, 0, 0x39001};
        }
    }
    privcmd_done(e, pfd);
    printf("XC acquire rc=%d errno=%d entry2=0x%x\n", rc, err, seen);
}

static int hvm(uint32_t op, uint16_t dom, uint32_t index, uint64_t *value, int *err)
{
    b->hvm = (struct xen_hvm_param){.domid = dom, .index = index, .value = *value};
    int rc = hypercall(HYPERVISOR_hvm_op, op, (uintptr_t)&b->hvm, 0, err);
    *value = b->hvm.value;
    return rc;
}

/* HVM params of dom set and read back by dom0; STORE_PFN last: the guest
 * waits for it. Then the refusals. */
static void params(uint16_t dom)
{
    static const struct {
        uint32_t index;
        uint64_t value;
    } set[] = {{HVM_PARAM_STORE_EVTCHN, 0x17},
               {HVM_PARAM_CONSOLE_PFN, 0xfeed2},
               {HVM_PARAM_CONSOLE_EVTCHN, 0x18},
               {HVM_PARAM_MONITOR_RING_PFN, 0xfeed3},
               {HVM_PARAM_STORE_PFN, 0xfeed1}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        int serr, gerr;
        uint64_t v = set[i].value, got = 0;
        int src = hvm(HVMOP_set_param, dom, set[i].index, &v, &serr);
        int grc = hvm(HVMOP_get_param, dom, set[i].index, &got, &gerr);
        printf("XC hvm index=%u set=%d/%d get=%d/%d value=0x%llx\n", set[i].index, src, serr, grc,
               gerr, (unsigned long long)got);
    }
    static const struct {
        const char *what;
        uint32_t op;
        uint16_t dom;
        uint32_t index;
    } bad[] = {{"set3", HVMOP_set_param, 0xffff, 3},
               {"get4", HVMOP_get_param, 0xffff, 4},
               {"self", HVMOP_set_param, 0x7ff0, HVM_PARAM_STORE_PFN},
               {"nodom", HVMOP_get_param, 7, HVM_PARAM_STORE_PFN}};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int err;
        uint64_t v = 0;
        int rc = hvm(bad[i].op, bad[i].dom == 0xffff ? dom : bad[i].dom, bad[i].index, &v, &err);
        printf("XC hvmbad what=%s rc=%d errno=%d\n", bad[i].what, rc, err);
    }
}

/* The vCPU this program runs on (dom0's, loaded in the hypercall): moved to
 * the other pCPU, back, then free again. */
static void pin_self(void)
{
    int err, cpu = sched_getcpu();
    memset(&b->domctl, 0, sizeof(b->domctl));
    b->domctl.u.getvcpuinfo.vcpu = (uint32_t)cpu;
    if (cpu < 0 || domctl_u(XEN_DOMCTL_getvcpuinfo, 0, &err)) {
        printf("XC pinself error cpu=%d errno=%d\n", cpu, cpu < 0 ? errno : err);
        return;
    }
    unsigned int was = b->domctl.u.getvcpuinfo.cpu;
    const uint32_t H = XEN_VCPUAFFINITY_HARD, S = XEN_VCPUAFFINITY_SOFT;
    pin(0, (uint32_t)cpu, H, 1u << (was ^ 1), 0);
    pin(0, (uint32_t)cpu, H, 1u << was, 0);
    pin(0, (uint32_t)cpu, H | S, 0xffff, 0xffff);
}

static void ops(uint16_t plain, uint16_t seeded)
{
    sched_ops(plain);
    domain_ops(plain);
    const uint32_t H = XEN_VCPUAFFINITY_HARD, S = XEN_VCPUAFFINITY_SOFT;
    pin(plain, 0, H, 0x2, 0);
    pin(plain, 0, H | S, 0x1, 0x2);
    pin(plain, 0, H, 0x4, 0);
    pin(plain, 2, H, 0x1, 0);
    pin(plain, 0, 0, 0x1, 0);
    pin(plain, 0, H | S, 0xffff, 0xffff);
    pin_self();
    acquire_probes(seeded);
    compat_seed(seeded);
    acquire_seed(seeded);
    params(seeded);
}

int main(int argc, char **argv)
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
    if (argc == 4 && !strcmp(argv[1], "ops"))
        ops((uint16_t)strtoul(argv[2], NULL, 0), (uint16_t)strtoul(argv[3], NULL, 0));
    else
        read_only();
    printf("XC done\n");
    return 0;
}
