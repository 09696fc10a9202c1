/*
 * xen-mkdom: dom0 builds, runs and destroys domains with the toolstack's own
 * calls, in libxl's order but without libxl, so the integration tests can
 * check the hypervisor side of `xl create` / `xl destroy` on their own:
 * DOMCTL createdomain, max_vcpus, max_mem, XENMEM_populate_physmap on the new
 * domain, a foreign mapping (privcmd MMAPBATCH_V2) to load a tiny kernel,
 * DOMCTL cacheflush, setvcpucontext, getdomaininfo, unpausedomain, then
 * (after the guest has printed and powered off) destroydomain.
 *
 *   xen-mkdom N         N domains, one after the other
 *   xen-mkdom pause ID  pause a running domain for 1 s, then unpause it
 *   xen-mkdom kill ID   destroydomain, then wait until it is gone
 *
 * The kernel (payload below) checks x0, prints "MKDOM-GUEST-HELLO" (or
 * "MKDOM-GUEST-BADX0") with console_io and powers off. Lines:
 *   XM created n= rc= errno= id= gic=
 *   XM built id= paused=0|1 tot_pages= max_pages=
 *   XM shutdown id= reason=              (seen by getdomaininfo polling)
 *   XM gone id=                          (getdomaininfo no longer finds it)
 *   XM paused id= flags=0x t0= t1=       (cpu_time in ns 1 s apart, while paused)
 *   XM unpaused id= flags=0x t2=         (1 s after the unpause)
 *   XM fail step= rc= errno=             (then exit 1)
 *   XM done n=
 */
#define _DEFAULT_SOURCE /* MAP_SHARED, ioctl(), usleep() beside -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../include/public/domctl.h"

struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
struct privcmd_mmapbatch_v2 {
    uint32_t num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))
#define IOCTL_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2))

/* public/memory.h's xen_memory_reservation (32 bytes on arm64). */
struct xen_memory_reservation {
    uint64_t extent_start;
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};
#define HYPERVISOR_memory_op 12
#define HYPERVISOR_domctl 36
#define XENMEM_populate_physmap 6
#define RAM_GFN 0x40000ULL    /* Xen's domU RAM bank 0 */
#define MEM_KIB 2048          /* one 2 MiB extent */
#define X0_MAGIC 0x5a5aULL    /* what setvcpucontext puts in x0 */
#define PSR_EL1H_MASKED 0x1c5 /* libxenguest's PSR_GUEST64_INIT */
#define SCTLR_GUEST_INIT 0x00c50078ULL
#define PAGE 4096u

/* The guest kernel, position independent, run with the MMU off at
 * RAM_GFN's address: check x0, console_io write, SCHEDOP_shutdown(poweroff). */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
        ".balign 4\n"
        ".global payload_start, payload_end\n"
        "payload_start:\n"
        "  mov x3, #0x5a5a\n"
        "  adr x2, ok_msg\n"
        "  mov x1, #18\n"
        "  cmp x0, x3\n"
        "  b.eq 1f\n"
        "  adr x2, bad_msg\n"
        "1: mov x0, #0\n"  /* CONSOLEIO_write */
        "  mov x16, #18\n" /* console_io */
        "  hvc #0xea1\n"
        "  adr x1, reason\n"
        "  mov x0, #2\n"   /* SCHEDOP_shutdown */
        "  mov x16, #29\n" /* sched_op */
        "  hvc #0xea1\n"
        "2: wfi\n"
        "  b 2b\n"
        "reason: .word 0\n" /* SHUTDOWN_poweroff */
        "ok_msg: .ascii \"MKDOM-GUEST-HELLO\\n\"\n"
        "bad_msg: .ascii \"MKDOM-GUEST-BADX0\\n\"\n"
        "payload_end:\n"
        ".popsection\n");

/* Through integers: the compiler may assume two arrays never relate. */
static size_t payload_len(void)
{
    uintptr_t a = (uintptr_t)payload_start, z = (uintptr_t)payload_end;
    __asm__("" : "+r"(a), "+r"(z));
    return z - a;
}

struct bufs {
    struct xen_domctl domctl;
    struct xen_memory_reservation res;
    uint64_t gfn;
    struct vcpu_guest_context ctx;
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

/* The domctl in b->domctl (cmd, domain and arguments filled by the caller). */
static int domctl(uint32_t cmd, uint16_t dom, int *err)
{
    b->domctl.cmd = cmd;
    b->domctl.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    b->domctl.domain = dom;
    return hypercall(HYPERVISOR_domctl, &b->domctl, err);
}

static _Noreturn void fail(const char *step, int rc, int err)
{
    printf("XM fail step=%s rc=%d errno=%d\n", step, rc, err);
    exit(1);
}

static void clear(void)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
}

/* getdomaininfo of id: 0 and its flags, or -1 when id is gone. */
static int info(uint16_t id, struct xen_domctl_getdomaininfo *out)
{
    int err;
    clear();
    int rc = domctl(XEN_DOMCTL_getdomaininfo, id, &err);
    if (rc < 0 || b->domctl.domain != id)
        return -1;
    *out = b->domctl.u.getdomaininfo;
    return 0;
}

static uint16_t create(unsigned int n)
{
    int err;
    clear();
    struct xen_domctl_createdomain *c = &b->domctl.u.createdomain;
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = 1;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = c->max_maptrack_frames = -1;
    c->grant_opts = 1;
    int rc = domctl(XEN_DOMCTL_createdomain, 0xffff, &err);
    printf("XM created n=%u rc=%d errno=%d id=%u gic=%u\n", n, rc, err, b->domctl.domain,
           c->arch.gic_version);
    if (rc < 0)
        fail("createdomain", rc, err);
    return b->domctl.domain;
}

static void load_kernel(uint16_t id)
{
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        fail("mmap", -1, errno);
    uint64_t gfn = RAM_GFN;
    int ferr = 0;
    struct privcmd_mmapbatch_v2 m = {1, id, (uintptr_t)p, &gfn, &ferr};
    int rc = ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
    if (rc < 0 || ferr)
        fail("foreign-map", rc, rc < 0 ? errno : -ferr);
    memcpy(p, payload_start, payload_len());
    munmap(p, PAGE);
}

static void build(uint16_t id)
{
    int err, rc;
    clear();
    b->domctl.u.max_vcpus.max = 1;
    if ((rc = domctl(XEN_DOMCTL_max_vcpus, id, &err)) < 0)
        fail("max_vcpus", rc, err);
    clear();
    b->domctl.u.max_mem.max_memkb = MEM_KIB;
    if ((rc = domctl(XEN_DOMCTL_max_mem, id, &err)) < 0)
        fail("max_mem", rc, err);
    b->gfn = RAM_GFN;
    b->res = (struct xen_memory_reservation){(uintptr_t)&b->gfn, 1, 9, 0, id};
    struct privcmd_hypercall h = {.op = HYPERVISOR_memory_op,
                                  .arg = {XENMEM_populate_physmap, (uintptr_t)&b->res}};
    if ((rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h)) != 1)
        fail("populate_physmap", rc, rc < 0 ? errno : 0);
    load_kernel(id);
    clear();
    b->domctl.u.cacheflush.start_pfn = RAM_GFN;
    b->domctl.u.cacheflush.nr_pfns = 1;
    if ((rc = domctl(XEN_DOMCTL_cacheflush, id, &err)) < 0)
        fail("cacheflush", rc, err);
    memset(&b->ctx, 0, sizeof(b->ctx));
    b->ctx.flags = VGCF_online;
    b->ctx.user_regs.x[0] = X0_MAGIC;
    b->ctx.user_regs.pc64 = RAM_GFN << 12;
    b->ctx.user_regs.cpsr = PSR_EL1H_MASKED;
    b->ctx.sctlr = SCTLR_GUEST_INIT;
    clear();
    b->domctl.u.vcpucontext.vcpu = 0;
    b->domctl.u.vcpucontext.ctxt = (uintptr_t)&b->ctx;
    if ((rc = domctl(XEN_DOMCTL_setvcpucontext, id, &err)) < 0)
        fail("setvcpucontext", rc, err);
    struct xen_domctl_getdomaininfo i;
    if (info(id, &i))
        fail("getdomaininfo", -1, 0);
    printf("XM built id=%u paused=%u tot_pages=%llu max_pages=%llu\n", id,
           !!(i.flags & XEN_DOMINF_paused), (unsigned long long)i.tot_pages,
           (unsigned long long)i.max_pages);
}

/* Poll getdomaininfo every 10 ms for up to 60 s until done(flags) or gone. */
static int wait_for(uint16_t id, uint32_t mask, struct xen_domctl_getdomaininfo *i)
{
    for (int t = 0; t < 6000; t++) {
        if (info(id, i))
            return -1; /* gone */
        if (i->flags & mask)
            return 0;
        usleep(10000);
    }
    return 1; /* timed out */
}

static void run_one(unsigned int n)
{
    int err, rc;
    uint16_t id = create(n);
    build(id);
    clear();
    if ((rc = domctl(XEN_DOMCTL_unpausedomain, id, &err)) < 0)
        fail("unpausedomain", rc, err);
    struct xen_domctl_getdomaininfo i;
    if (wait_for(id, XEN_DOMINF_shutdown, &i))
        fail("wait-shutdown", -1, 0);
    printf("XM shutdown id=%u reason=%u\n", id, i.flags >> XEN_DOMINF_shutdownshift);
    clear();
    if ((rc = domctl(XEN_DOMCTL_destroydomain, id, &err)) < 0)
        fail("destroydomain", rc, err);
    if (wait_for(id, 0, &i) != -1)
        fail("wait-gone", -1, 0);
    printf("XM gone id=%u\n", id);
}

static void pause_one(uint16_t id)
{
    int err, rc;
    struct xen_domctl_getdomaininfo a, z;
    clear();
    if ((rc = domctl(XEN_DOMCTL_pausedomain, id, &err)) < 0)
        fail("pausedomain", rc, err);
    if (info(id, &a))
        fail("getdomaininfo", -1, 0);
    sleep(1);
    if (info(id, &z))
        fail("getdomaininfo", -1, 0);
    printf("XM paused id=%u flags=0x%x t0=%llu t1=%llu\n", id, z.flags,
           (unsigned long long)a.cpu_time, (unsigned long long)z.cpu_time);
    clear();
    if ((rc = domctl(XEN_DOMCTL_unpausedomain, id, &err)) < 0)
        fail("unpausedomain", rc, err);
    sleep(1);
    if (info(id, &z))
        fail("getdomaininfo", -1, 0);
    printf("XM unpaused id=%u flags=0x%x t2=%llu\n", id, z.flags, (unsigned long long)z.cpu_time);
}

static void kill_one(uint16_t id)
{
    int err, rc;
    struct xen_domctl_getdomaininfo i;
    clear();
    if ((rc = domctl(XEN_DOMCTL_destroydomain, id, &err)) < 0)
        fail("destroydomain", rc, err);
    if (wait_for(id, 0, &i) != -1)
        fail("wait-gone", -1, 0);
    printf("XM gone id=%u\n", id);
}

int main(int argc, char **argv)
{
    unsigned int n = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) : 1;
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        fail("open", -1, errno);
    b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1,
             0);
    if (b == MAP_FAILED)
        fail("buffers", -1, errno);
    memset(b, 0, sizeof(*b));
    if (argc > 2 && !strcmp(argv[1], "pause")) {
        pause_one((uint16_t)strtoul(argv[2], NULL, 0));
        printf("XM done n=0\n");
        return 0;
    }
    if (argc > 2 && !strcmp(argv[1], "kill")) {
        kill_one((uint16_t)strtoul(argv[2], NULL, 0));
        printf("XM done n=0\n");
        return 0;
    }
    for (unsigned int k = 0; k < n; k++)
        run_one(k);
    printf("XM done n=%u\n", n);
    return 0;
}
