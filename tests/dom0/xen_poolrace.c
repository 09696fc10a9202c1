/*
 * xen-poolrace: dom0 races the pool and scheduler sysctls from every vCPU it
 * has (tests/integration/test_dom0_poolrace.py). One thread per online CPU,
 * each pinned to its CPU, for SECONDS seconds issues through privcmd, the way
 * libxc does:
 *   - cpupool_op with any sub-op (the seven, and numbers past them), pool
 *     ids valid and not (0..3, any, garbage), scheduler ids of every kind,
 *     pCPUs that exist and not, VICTIM or no domain to move, and the cpumap
 *     handle valid, NULL, unmapped or past its bits;
 *   - scheduler_op on pools 0..3 and garbage: arinc653 putinfo of a valid
 *     schedule (VICTIM's vCPU 0 by its zero handle, 5 ms in 10 ms), of
 *     random bytes, of an unmapped handle, getinfo, credit2's rate limit.
 * Dom0 itself and any domain but VICTIM are never named: the hypervisor
 * must stay up, and the other domains running, whatever comes of the rest.
 * Then it gives the machine back (VICTIM to Pool-0, every other pool
 * emptied and destroyed) and prints
 *   XR done calls=N ok=N errors=N threads=N
 *   XR pools ids=<id,...>        (the pools left, by INFO from 0)
 *
 *   xen-poolrace SECONDS VICTIM
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
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
#include "../../include/public/sysctl.h"

/* Linux's include/uapi/xen/privcmd.h: hypercall `op` with five arguments. */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

#define HYPERVISOR_sysctl 35
#define MAX_THREADS 16
#define MAP_BYTES 16
#define POOL_ANY 0xffffffffu
#define UNMAPPED 0x10ULL /* never mapped in a Linux process */

/* Each thread's hypercall buffers: locked memory the hypervisor reads
 * through dom0's page tables (libxencall's hypercall buffers). */
struct bufs {
    struct xen_sysctl sysctl;
    uint8_t map[MAP_BYTES];
    struct xen_sysctl_arinc653_schedule sched;
};

struct worker {
    pthread_t t;
    unsigned int cpu;
    struct bufs *b;
    uint64_t rng;
    unsigned long calls, ok, errors;
};

static int fd;
static unsigned int victim;
static int stop; /* set once by main, read by every thread */

static uint64_t next(struct worker *w)
{
    /* xorshift64: cheap and different per thread */
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}

static uint32_t pick(struct worker *w, const uint32_t *v, unsigned int n)
{
    return v[next(w) % n];
}

static int sysctl(struct bufs *b, uint32_t cmd)
{
    b->sysctl.cmd = cmd;
    b->sysctl.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    struct privcmd_hypercall h = {.op = HYPERVISOR_sysctl, .arg = {(uintptr_t)&b->sysctl}};
    return ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &h) < 0 ? -errno : 0;
}

static void tally(struct worker *w, int rc)
{
    w->calls++;
    if (rc)
        w->errors++;
    else
        w->ok++;
}

static uint64_t handle(struct worker *w, void *valid)
{
    switch (next(w) % 8) {
    case 0:
        return 0;
    case 1:
        return UNMAPPED;
    case 2:
        return next(w) | (1ULL << 63); /* not a user address */
    default:
        return (uintptr_t)valid;
    }
}

static void cpupool_op(struct worker *w)
{
    static const uint32_t ids[] = {0, 1, 2, 3, 4, POOL_ANY, 0x7fffffff, 64};
    static const uint32_t scheds[] = {XEN_SCHEDULER_CREDIT2,
                                      XEN_SCHEDULER_NULL,
                                      XEN_SCHEDULER_ARINC653,
                                      XEN_SCHEDULER_CREDIT,
                                      XEN_SCHEDULER_RTDS,
                                      0,
                                      0xffffffff};
    static const uint32_t cpus[] = {0, 1, 2, 3, 4, 63, 64, 0xffffffff, 0x80000001};
    struct bufs *b = w->b;
    struct xen_sysctl_cpupool_op *c = &b->sysctl.u.cpupool_op;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    c->op = (uint32_t)(next(w) % 9); /* 0 and 8: no such sub-op */
    c->cpupool_id = pick(w, ids, sizeof(ids) / sizeof(ids[0]));
    c->sched_id = pick(w, scheds, sizeof(scheds) / sizeof(scheds[0]));
    c->cpu = pick(w, cpus, sizeof(cpus) / sizeof(cpus[0]));
    /* Only VICTIM or no domain at all: never dom0 nor the bystander. */
    c->domid = next(w) % 2 ? victim : 0x7ff0 + (uint32_t)(next(w) % 0x10);
    c->cpumap.bitmap = handle(w, b->map);
    c->cpumap.nr_bits = next(w) % 4 ? 8 * MAP_BYTES : (uint32_t)next(w);
    tally(w, sysctl(b, XEN_SYSCTL_cpupool_op));
}

static void arinc653_op(struct worker *w)
{
    static const uint32_t ids[] = {0, 1, 2, 3, POOL_ANY, 0x7fffffff};
    struct bufs *b = w->b;
    struct xen_sysctl_scheduler_op *s = &b->sysctl.u.scheduler_op;
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    s->cpupool_id = pick(w, ids, sizeof(ids) / sizeof(ids[0]));
    s->sched_id = next(w) % 4 ? XEN_SCHEDULER_ARINC653 : (uint32_t)(next(w) % 12);
    s->cmd = next(w) % 8 ? (uint32_t)(next(w) % 2) : (uint32_t)next(w);
    if (s->sched_id == XEN_SCHEDULER_CREDIT2) {
        s->u.sched_credit2.ratelimit_us = (uint32_t)next(w) % 600000;
    } else {
        if (next(w) % 2) { /* a schedule Xen accepts */
            memset(&b->sched, 0, sizeof(b->sched));
            b->sched.major_frame = 10000000;
            b->sched.num_sched_entries = 1;
            b->sched.sched_entries[0].vcpu_id = 0;
            b->sched.sched_entries[0].runtime = 5000000;
        } else {
            for (size_t i = 0; i < sizeof(b->sched); i++)
                ((uint8_t *)&b->sched)[i] = (uint8_t)next(w);
        }
        s->u.sched_arinc653.schedule = handle(w, &b->sched);
    }
    tally(w, sysctl(b, XEN_SYSCTL_scheduler_op));
}

static void *run(void *arg)
{
    struct worker *w = arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(w->cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        if (next(w) % 3)
            cpupool_op(w);
        else
            arinc653_op(w);
    }
    return NULL;
}

/* A cpupool_op sub-op that fills a cpumap (INFO, FREEINFO): into map. */
static int map_op(struct bufs *b, uint32_t op, uint32_t from, uint32_t *id, uint8_t *map)
{
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    b->sysctl.u.cpupool_op.op = op;
    b->sysctl.u.cpupool_op.cpupool_id = from;
    b->sysctl.u.cpupool_op.cpumap.bitmap = (uintptr_t)b->map;
    b->sysctl.u.cpupool_op.cpumap.nr_bits = 8 * MAP_BYTES;
    int rc = sysctl(b, XEN_SYSCTL_cpupool_op);
    *id = b->sysctl.u.cpupool_op.cpupool_id;
    memcpy(map, b->map, MAP_BYTES);
    return rc;
}

static int info(struct bufs *b, uint32_t from, uint32_t *id, uint8_t *map)
{
    return map_op(b, XEN_SYSCTL_CPUPOOL_OP_INFO, from, id, map);
}

static int pool_op(struct bufs *b, uint32_t op, uint32_t id, uint32_t cpu, uint32_t domid)
{
    memset(&b->sysctl, 0, sizeof(b->sysctl));
    b->sysctl.u.cpupool_op.op = op;
    b->sysctl.u.cpupool_op.cpupool_id = id;
    b->sysctl.u.cpupool_op.cpu = cpu;
    b->sysctl.u.cpupool_op.domid = domid;
    return sysctl(b, XEN_SYSCTL_cpupool_op);
}

/* VICTIM back in Pool-0, every other pool's pCPUs back there, the pools gone. */
static void restore(struct bufs *b)
{
    pool_op(b, XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0, victim);
    uint32_t id;
    uint8_t map[MAP_BYTES];
    for (uint32_t from = 1; info(b, from, &id, map) == 0; from = id + 1) {
        for (uint32_t cpu = 0; cpu < 8 * MAP_BYTES; cpu++)
            if (map[cpu / 8] & (1u << (cpu % 8)))
                pool_op(b, XEN_SYSCTL_CPUPOOL_OP_RMCPU, id, cpu, 0);
        pool_op(b, XEN_SYSCTL_CPUPOOL_OP_DESTROY, id, 0, 0);
    }
    /* Free pCPUs (FREEINFO) back to Pool-0. */
    if (map_op(b, XEN_SYSCTL_CPUPOOL_OP_FREEINFO, 0, &id, map) == 0)
        for (uint32_t cpu = 0; cpu < 8 * MAP_BYTES; cpu++)
            if (map[cpu / 8] & (1u << (cpu % 8)))
                pool_op(b, XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, cpu, 0);
    printf("XR pools ids=");
    const char *sep = "";
    for (uint32_t from = 0; info(b, from, &id, map) == 0; from = id + 1) {
        printf("%s%u", sep, id);
        sep = ",";
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: xen-poolrace SECONDS VICTIM\n");
        return 2;
    }
    unsigned int seconds = (unsigned int)strtoul(argv[1], NULL, 0);
    victim = (unsigned int)strtoul(argv[2], NULL, 0);
    fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        printf("XR error open privcmd errno=%d\n", errno);
        return 1;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned int threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned int)n;
    static struct worker w[MAX_THREADS];
    size_t size = (sizeof(struct bufs) + 4095) & ~(size_t)4095;
    for (unsigned int i = 0; i < threads; i++) {
        w[i].b = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED,
                      -1, 0);
        if (w[i].b == MAP_FAILED) {
            printf("XR error mmap errno=%d\n", errno);
            return 1;
        }
        memset(w[i].b, 0, size);
        w[i].cpu = i;
        w[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
    }
    for (unsigned int i = 0; i < threads; i++)
        pthread_create(&w[i].t, NULL, run, &w[i]);
    sleep(seconds);
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    unsigned long calls = 0, ok = 0, errors = 0;
    for (unsigned int i = 0; i < threads; i++) {
        pthread_join(w[i].t, NULL);
        calls += w[i].calls;
        ok += w[i].ok;
        errors += w[i].errors;
    }
    restore(w[0].b);
    printf("XR done calls=%lu ok=%lu errors=%lu threads=%u\n", calls, ok, errors, threads);
    return 0;
}
