/*
 * xen-vuart: dom0 builds a domain with `vuart = "sbsa_uart"` as libxl does
 * (xen-toolstack-abi.md §3.4: the ring page 0x39003 populated, then DOMCTL
 * vuart_op INIT) and serves its UART as xenconsoled would: it maps the ring
 * page (privcmd MMAPBATCH_V2, a foreign mapping), binds the guest's port
 * (/dev/xen/evtchn), moves bytes and notifies. So the tests can check both
 * ends of the emulated SBSA UART without libxl and under Cloison and Xen.
 *
 * The guest kernel (payload below, MMU off) writes "VUART-HELLO" to the UART
 * at 0x22000000 (waiting on TXFF), waits for a byte (RXFE), and writes back
 * "VUART-GOT=<byte> RIS=<hex> FR=<hex>" (RIS before its DR read, FR after),
 * then FLOOD bytes 'A'..'Z' repeated, then "VUART-END", and powers off.
 * dom0 answers the hello with 'Z', stops reading for STALL_MS after the
 * GOT line (the guest fills the ring and waits on TXFF), then drains the
 * rest. Lines (one per fact):
 *   XV check what= rc= errno=          vuart_op refusals (pad, cmd, type, gfn)
 *   XV init rc= errno= evtchn=
 *   XV again rc= errno=                a second INIT
 *   XV status when= rc= status= dom= port=   EVTCHNOP_status (guest's port, ours)
 *   XV bound local=
 *   XV late rc= errno=                 INIT after the unpause
 *   XV guest <line>                    each line the guest wrote
 *   XV stalled queued=                 out's fill level after the stall
 *   XV pattern n= bad=                 the flood as dom0 read it
 *   XV events n=                       notifications dom0 received
 *   XV shutdown id= reason=
 *   XV gone id=
 *   XV fail step= rc= errno=           (then exit 1)
 *   XV done
 */
#define _DEFAULT_SOURCE /* MAP_SHARED, ioctl(), usleep() beside -std=c11 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../../include/public/domctl.h"
#include "../../include/public/event_channel.h"
#include "../../include/public/xen.h"
#include "../../include/public/io/console.h"

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
/* Linux's include/uapi/xen/evtchn.h */
struct ioctl_evtchn_bind_interdomain {
    unsigned int remote_domain, remote_port;
};
struct ioctl_evtchn_port {
    unsigned int port;
};
#define IOCTL_EVTCHN_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct ioctl_evtchn_bind_interdomain))
#define IOCTL_EVTCHN_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(struct ioctl_evtchn_port))
#define IOCTL_EVTCHN_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct ioctl_evtchn_port))

struct xen_memory_reservation {
    uint64_t extent_start;
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    uint16_t domid;
};
#define HYPERVISOR_memory_op 12
#define HYPERVISOR_event_channel_op 32
#define HYPERVISOR_domctl 36
#define XENMEM_populate_physmap 6
#define RAM_GFN 0x40000ULL    /* Xen's domU RAM bank 0 */
#define LIBXL_RING 0x39003ULL /* libxl's vuart ring: magic page 3 */
#ifndef XEN_DOMCTL_set_address_size
#define XEN_DOMCTL_set_address_size 35 /* u32 size at u's start */
#endif
#ifndef XEN_DOMCTL_set_paging_mempool_size
#define XEN_DOMCTL_set_paging_mempool_size 86 /* u64 size (bytes) at u's start */
#endif
#define MEM_KIB 2048 /* one 2 MiB extent */
#define PSR_EL1H_MASKED 0x1c5
#define SCTLR_GUEST_INIT 0x00c50078ULL
#define PAGE 4096u
#define FLOOD 5000 /* more than `out` holds (2048) after any one drain */
#define STALL_MS 300
#define RUN_MS 60000

/* The guest kernel, position independent, MMU off, at RAM_GFN's address.
 * x9 = the UART; putc waits while TXFF, puts/puthex keep their return
 * address in x19/x18 (the only calls they make are to putc). Local labels
 * (.L): a `puts` here would take the C library's calls. */
extern const uint8_t payload_start[], payload_end[];
__asm__(".pushsection .rodata\n"
        ".balign 4\n"
        ".global payload_start, payload_end\n"
        "payload_start:\n"
        "  mov x9, #0x22000000\n"
        "  adr x2, .Ls_hello\n"
        "  bl .Lputs\n"
        "1: ldr w4, [x9, #0x18]\n" /* FR */
        "  tbnz w4, #4, 1b\n"      /* RXFE: nothing yet */
        "  ldr w20, [x9, #0x3c]\n" /* RIS */
        "  ldr w21, [x9]\n"        /* DR */
        "  ldr w22, [x9, #0x18]\n" /* FR */
        "  adr x2, .Ls_got\n"
        "  bl .Lputs\n"
        "  and w0, w21, #0xff\n"
        "  bl .Lputc\n"
        "  adr x2, .Ls_ris\n"
        "  bl .Lputs\n"
        "  mov w0, w20\n"
        "  bl .Lputhex\n"
        "  adr x2, .Ls_fr\n"
        "  bl .Lputs\n"
        "  mov w0, w22\n"
        "  bl .Lputhex\n"
        "  mov w0, #10\n"
        "  bl .Lputc\n"
        "  mov w24, #65\n" /* 'A' */
        "  mov x23, #5000\n"
        "2: mov w0, w24\n"
        "  bl .Lputc\n"
        "  add w24, w24, #1\n"
        "  cmp w24, #91\n" /* past 'Z' */
        "  b.ne 3f\n"
        "  mov w24, #65\n"
        "3: subs x23, x23, #1\n"
        "  b.ne 2b\n"
        "  adr x2, .Ls_end\n"
        "  bl .Lputs\n"
        "  adr x1, .Lreason\n"
        "  mov x0, #2\n"   /* SCHEDOP_shutdown */
        "  mov x16, #29\n" /* sched_op */
        "  hvc #0xea1\n"
        "4: wfi\n"
        "  b 4b\n"
        ".Lputc:\n"
        "  ldr w4, [x9, #0x18]\n"
        "  tbnz w4, #5, .Lputc\n" /* TXFF: the backend has not drained yet */
        "  str w0, [x9]\n"
        "  ret\n"
        ".Lputs:\n"
        "  mov x19, x30\n"
        "5: ldrb w0, [x2], #1\n"
        "  cbz w0, 6f\n"
        "  bl .Lputc\n"
        "  b 5b\n"
        "6: mov x30, x19\n"
        "  ret\n"
        ".Lputhex:\n" /* w0: 4 hex digits */
        "  mov x18, x30\n"
        "  mov w5, w0\n"
        "  mov x6, #12\n"
        "7: lsr w0, w5, w6\n"
        "  and w0, w0, #0xf\n"
        "  cmp w0, #10\n"
        "  b.lt 8f\n"
        "  add w0, w0, #39\n" /* 'a' - '0' - 10 */
        "8: add w0, w0, #48\n"
        "  bl .Lputc\n"
        "  subs x6, x6, #4\n"
        "  b.ge 7b\n"
        "  mov x30, x18\n"
        "  ret\n"
        ".balign 4\n"
        ".Lreason: .word 0\n" /* SHUTDOWN_poweroff */
        ".Ls_hello: .asciz \"VUART-HELLO\\n\"\n"
        ".Ls_got: .asciz \"VUART-GOT=\"\n"
        ".Ls_ris: .asciz \" RIS=\"\n"
        ".Ls_fr: .asciz \" FR=\"\n"
        ".Ls_end: .asciz \"\\nVUART-END\\n\"\n"
        "payload_end:\n"
        ".popsection\n");
_Static_assert(FLOOD == 5000, "the payload's loop count");

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
    struct evtchn_status st;
};

static int fd, efd;
static struct bufs *b;

static _Noreturn void fail(const char *step, int rc, int err)
{
    printf("XV fail step=%s rc=%d errno=%d\n", step, rc, err);
    exit(1);
}

static int hypercall(uint64_t op, uint64_t a0, uint64_t a1, int *err)
{
    struct privcmd_hypercall h = {.op = op, .arg = {a0, a1}};
    int rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h);
    *err = rc < 0 ? errno : 0;
    return rc;
}

static void clear(void)
{
    memset(&b->domctl, 0, sizeof(b->domctl));
}

static int domctl(uint32_t cmd, uint16_t dom, int *err)
{
    b->domctl.cmd = cmd;
    b->domctl.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    b->domctl.domain = dom;
    return hypercall(HYPERVISOR_domctl, (uintptr_t)&b->domctl, 0, err);
}

static void must(const char *step, int rc, int err)
{
    if (rc < 0)
        fail(step, rc, err);
}

static int info(uint16_t id, struct xen_domctl_getdomaininfo *out)
{
    int err;
    clear();
    if (domctl(XEN_DOMCTL_getdomaininfo, id, &err) < 0 || b->domctl.domain != id)
        return -1;
    *out = b->domctl.u.getdomaininfo;
    return 0;
}

/* One extent of 2^order pages at gfn; fails the run unless it is done. */
static void populate(const char *step, uint16_t id, uint64_t gfn, unsigned int order)
{
    b->gfn = gfn;
    b->res = (struct xen_memory_reservation){(uintptr_t)&b->gfn, 1, order, 0, id};
    int err;
    int rc = hypercall(HYPERVISOR_memory_op, XENMEM_populate_physmap, (uintptr_t)&b->res, &err);
    if (rc != 1)
        fail(step, rc, err);
}

static void *map(uint16_t id, uint64_t gfn)
{
    void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        fail("mmap", -1, errno);
    int ferr = 0;
    struct privcmd_mmapbatch_v2 m = {1, id, (uintptr_t)p, &gfn, &ferr};
    int rc = ioctl(fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &m);
    if (rc < 0 || ferr)
        fail("foreign-map", rc, rc < 0 ? errno : -ferr);
    return p;
}

/* Where the ring goes: libxl's magic page once the domain has the P2M pool
 * libxl gives it (DOMCTL 86: a Cloison without it has the few stage-2 pages
 * a domain's layout needs, none for a page in another gigabyte); else the
 * last page of its RAM, which any page of its own RAM serves as well. */
static uint64_t ring_gfn = LIBXL_RING;

/* libxl's order up to the vuart: create (1 SPI, as libxl with a vuart),
 * max_vcpus, max_mem, address size, the P2M pool, RAM and the ring page,
 * the kernel, vCPU 0. (A Cloison without set_address_size answers -ENOSYS:
 * its domains are AArch64 anyway.) */
static uint16_t build(void)
{
    int err;
    clear();
    struct xen_domctl_createdomain *c = &b->domctl.u.createdomain;
    c->flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c->max_vcpus = 1;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = c->max_maptrack_frames = -1;
    c->grant_opts = 1;
    c->arch.nr_spis = 1;
    must("createdomain", domctl(XEN_DOMCTL_createdomain, 0xffff, &err), err);
    uint16_t id = b->domctl.domain;
    clear();
    b->domctl.u.max_vcpus.max = 1;
    must("max_vcpus", domctl(XEN_DOMCTL_max_vcpus, id, &err), err);
    clear();
    b->domctl.u.max_mem.max_memkb = MEM_KIB + 1024; /* LIBXL_MAXMEM_CONSTANT */
    must("max_mem", domctl(XEN_DOMCTL_max_mem, id, &err), err);
    clear();
    /* Xen's domains are AArch32 until told (libxenguest always says). */
    uint32_t bits = 64;
    memcpy(b->domctl.u.pad, &bits, sizeof(bits));
    int rc = domctl(XEN_DOMCTL_set_address_size, id, &err);
    if (rc < 0 && err != ENOSYS)
        fail("set_address_size", rc, err);
    clear();
    /* libxl: 4 x (256 x vCPUs + maxmem MiB + 128) KiB. */
    uint64_t pool = 4ULL * (256 + (MEM_KIB + 1024) / 1024 + 128) * 1024;
    memcpy(b->domctl.u.pad, &pool, sizeof(pool));
    rc = domctl(XEN_DOMCTL_set_paging_mempool_size, id, &err);
    printf("XV mempool rc=%d errno=%d\n", rc, err);
    if (rc < 0 && err != ENOSYS)
        fail("set_paging_mempool_size", rc, err);
    if (rc < 0)
        ring_gfn = RAM_GFN + 511;
    populate("populate-ram", id, RAM_GFN, 9);
    if (ring_gfn == LIBXL_RING)
        populate("populate-ring", id, ring_gfn, 0);
    printf("XV ring gfn=0x%llx\n", (unsigned long long)ring_gfn);
    void *k = map(id, RAM_GFN);
    memcpy(k, payload_start, payload_len());
    munmap(k, PAGE);
    clear();
    b->domctl.u.cacheflush.start_pfn = RAM_GFN;
    b->domctl.u.cacheflush.nr_pfns = 1;
    must("cacheflush", domctl(XEN_DOMCTL_cacheflush, id, &err), err);
    memset(&b->ctx, 0, sizeof(b->ctx));
    b->ctx.flags = VGCF_online;
    b->ctx.user_regs.pc64 = RAM_GFN << 12;
    b->ctx.user_regs.cpsr = PSR_EL1H_MASKED;
    b->ctx.sctlr = SCTLR_GUEST_INIT;
    clear();
    b->domctl.u.vcpucontext.vcpu = 0;
    b->domctl.u.vcpucontext.ctxt = (uintptr_t)&b->ctx;
    must("setvcpucontext", domctl(XEN_DOMCTL_setvcpucontext, id, &err), err);
    return id;
}

/* vuart_op with one field changed from a good INIT. */
static int vuart(uint16_t id, uint32_t cmd, uint32_t type, uint64_t gfn, uint8_t pad, int *err)
{
    clear();
    struct xen_domctl_vuart_op *u = &b->domctl.u.vuart_op;
    u->cmd = cmd;
    u->type = type;
    u->gfn = gfn;
    u->console_domid = 0;
    u->pad[1] = pad;
    return domctl(XEN_DOMCTL_vuart_op, id, err);
}

static void check(uint16_t id, const char *what, uint32_t cmd, uint32_t type, uint64_t gfn,
                  uint8_t pad)
{
    int err, rc = vuart(id, cmd, type, gfn, pad, &err);
    printf("XV check what=%s rc=%d errno=%d\n", what, rc, err);
}

static void status(uint16_t id, uint32_t port, const char *when)
{
    memset(&b->st, 0, sizeof(b->st));
    b->st.dom = id;
    b->st.port = port;
    int err, rc = hypercall(HYPERVISOR_event_channel_op, EVTCHNOP_status, (uintptr_t)&b->st, &err);
    printf("XV status when=%s rc=%d status=%u dom=%u port=%u\n", when, rc < 0 ? -err : rc,
           b->st.status,
           b->st.status == EVTCHNSTAT_unbound ? b->st.u.unbound.dom : b->st.u.interdomain.dom,
           b->st.status == EVTCHNSTAT_interdomain ? b->st.u.interdomain.port : 0);
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* The backend's side of the ring (xenconsoled's, simplified). */
static struct xencons_interface *ring;
static unsigned int lport, events;

static void notify(void)
{
    struct ioctl_evtchn_port n = {lport};
    if (ioctl(efd, IOCTL_EVTCHN_NOTIFY, &n) < 0)
        fail("notify", -1, errno);
}

/* Take what `out` holds into buf (room permitting); how many. */
static size_t drain(char *buf, size_t room)
{
    XENCONS_RING_IDX cons = __atomic_load_n(&ring->out_cons, __ATOMIC_RELAXED);
    XENCONS_RING_IDX prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);
    size_t n = 0;
    if (prod - cons > XENCONS_OUT_SIZE)
        fail("out-indices", (int)(prod - cons), 0);
    while (cons != prod && n < room)
        buf[n++] = ring->out[MASK_XENCONS_IDX(cons++, XENCONS_OUT_SIZE)];
    __atomic_store_n(&ring->out_cons, cons, __ATOMIC_RELEASE);
    if (n)
        notify();
    return n;
}

static void put_in(char c)
{
    XENCONS_RING_IDX prod = ring->in_prod;
    ring->in[MASK_XENCONS_IDX(prod, XENCONS_IN_SIZE)] = c;
    __atomic_store_n(&ring->in_prod, prod + 1, __ATOMIC_RELEASE);
    notify();
}

/* Wait up to ms for a notification; unmask what came. */
static void wait_event(int ms)
{
    struct pollfd p = {efd, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return;
    uint32_t ports[16];
    ssize_t n = read(efd, ports, sizeof(ports));
    if (n > 0) {
        events += (unsigned int)(n / 4);
        if (write(efd, ports, (size_t)n) != n)
            fail("unmask", -1, errno);
    }
}

/* Serve the guest until "VUART-END" (or RUN_MS): lines printed, the hello
 * answered, the stall after the GOT line, the flood checked. */
static void serve(void)
{
    static char text[XENCONS_OUT_SIZE], line[256];
    size_t len = 0, ll = 0;
    unsigned int flood = 0, bad = 0;
    int phase = 0; /* 0 hello, 1 got, 2 flood, 3 end */
    bool stalled = false;
    long end = now_ms() + RUN_MS;
    while (phase < 3 && now_ms() < end) {
        wait_event(50);
        size_t got = drain(text, sizeof(text));
        len += got;
        for (size_t i = 0; i < got; i++) {
            char c = text[i];
            if (phase == 2 && c != '\n') {
                bad += c != 'A' + flood % 26;
                flood++;
            } else if (phase == 2) { /* the newline after the flood */
                printf("XV pattern n=%u bad=%u\n", flood, bad);
                phase = 3;
            } else if (c != '\n') {
                if (ll < sizeof(line) - 1)
                    line[ll++] = c;
            } else {
                line[ll] = 0;
                ll = 0;
                printf("XV guest %s\n", line);
                if (phase == 0 && !strcmp(line, "VUART-HELLO")) {
                    put_in('Z');
                    phase = 1;
                } else if (phase == 1 && !strncmp(line, "VUART-GOT=", 10)) {
                    phase = 2;
                }
            }
        }
        if (phase == 2 && !stalled) {
            /* Stop reading: the guest fills `out` and waits on TXFF. */
            usleep(STALL_MS * 1000);
            printf("XV stalled queued=%u\n", ring->out_prod - ring->out_cons);
            stalled = true;
        }
    }
    /* The END line follows the flood's newline at once. */
    for (long t = now_ms() + 5000; phase == 3 && now_ms() < t;) {
        size_t got = drain(text, sizeof(text));
        len += got;
        for (size_t i = 0; i < got && phase == 3; i++) {
            if (text[i] != '\n' && ll < sizeof(line) - 1) {
                line[ll++] = text[i];
            } else if (text[i] == '\n') {
                line[ll] = 0;
                printf("XV guest %s\n", line);
                phase = 4;
            }
        }
        if (phase == 3)
            wait_event(50);
    }
    printf("XV events n=%u bytes=%zu ms=%ld\n", events, len, now_ms() - end + RUN_MS);
}

int main(void)
{
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        fail("open-privcmd", -1, errno);
    efd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (efd < 0)
        fail("open-evtchn", -1, errno);
    b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1,
             0);
    if (b == MAP_FAILED)
        fail("buffers", -1, errno);
    memset(b, 0, sizeof(*b));
    setvbuf(stdout, NULL, _IOLBF, 0);

    uint16_t id = build();
    check(id, "pad", 0, 0, ring_gfn, 1);
    check(id, "cmd", 1, 0, ring_gfn, 0);
    check(id, "type", 0, 1, ring_gfn, 0);
    check(id, "gfn", 0, 0, LIBXL_RING - 1, 0); /* never populated */
    int err, rc = vuart(id, 0, 0, ring_gfn, 0, &err);
    uint32_t port = b->domctl.u.vuart_op.evtchn;
    printf("XV init rc=%d errno=%d evtchn=%u\n", rc, err, port);
    if (rc < 0)
        fail("vuart_op", rc, err);
    rc = vuart(id, 0, 0, ring_gfn, 0, &err);
    printf("XV again rc=%d errno=%d\n", rc, err);
    status(id, port, "guest"); /* Xen hides a Xen-attached end: -EACCES */

    ring = map(id, ring_gfn);
    struct ioctl_evtchn_bind_interdomain bi = {id, port};
    rc = ioctl(efd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bi);
    if (rc < 0)
        fail("bind", rc, errno);
    lport = (unsigned int)rc;
    printf("XV bound local=%u\n", lport);
    status(DOMID_SELF, lport, "local"); /* xenconsoled's check of its own end */

    clear();
    must("unpausedomain", domctl(XEN_DOMCTL_unpausedomain, id, &err), err);
    rc = vuart(id, 0, 0, ring_gfn, 0, &err);
    printf("XV late rc=%d errno=%d\n", rc, err);
    serve();

    struct xen_domctl_getdomaininfo i;
    long t0 = now_ms();
    int t = 0;
    while (!info(id, &i) && !(i.flags & XEN_DOMINF_shutdown) && t++ < 3000)
        usleep(10000);
    printf("XV shutdown id=%u reason=%u ms=%ld\n", id,
           i.flags & XEN_DOMINF_shutdown ? i.flags >> XEN_DOMINF_shutdownshift : 99, now_ms() - t0);
    struct ioctl_evtchn_port ub = {lport};
    if (ioctl(efd, IOCTL_EVTCHN_UNBIND, &ub) < 0)
        fail("unbind", -1, errno);
    munmap(ring, PAGE);
    clear();
    must("destroydomain", domctl(XEN_DOMCTL_destroydomain, id, &err), err);
    t0 = now_ms();
    bool gone = false;
    for (t = 0; !gone && t < 3000; t++) {
        gone = info(id, &i) != 0;
        if (!gone)
            usleep(10000);
    }
    printf("XV gone id=%u ok=%d ms=%ld\n", id, gone, now_ms() - t0);
    printf("XV done\n");
    return 0;
}
