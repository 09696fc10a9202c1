/*
 * SYSCTL scheduler_op on an arinc653 pool (xen/ctl_sched_arinc653.c): the
 * schedule copied in whole and checked before anything changes, with Xen's
 * error codes; getinfo's structure as Xen fills it; a fault either way is
 * -EFAULT. Guest memory is a buffer here (a handle is an offset in it,
 * past its end a fault) and the pool a real lib/sched_arinc653.c state.
 */
#include <stdlib.h>
#include <string.h>
#include <cloison/errno.h>
#include <cloison/mm.h>
#include <core/cpupool.h>
#include <lib/sched_arinc653.h>
#include <public/sysctl.h>
#include <xen/guest_copy.h>
#include "harness.h"

int64_t sysctl_arinc653_op(struct vcpu *v, struct xen_sysctl_scheduler_op *op, struct cpupool *p);

#define GUEST_SIZE 8192
static uint8_t guest[GUEST_SIZE] __attribute__((aligned(8)));
static struct sched_pool_state pool;
static unsigned int nr_puts;

int copy_from_guest(struct vcpu *v, void *dst, vaddr_t src, size_t len)
{
    (void)v;
    if (src > GUEST_SIZE || len > GUEST_SIZE - src)
        return -EFAULT;
    memcpy(dst, guest + src, len);
    return 0;
}

int copy_to_guest(struct vcpu *v, vaddr_t dst, const void *src, size_t len)
{
    (void)v;
    if (dst > GUEST_SIZE || len > GUEST_SIZE - dst)
        return -EFAULT;
    memcpy(guest + dst, src, len);
    return 0;
}

void *xzalloc(size_t size)
{
    return calloc(1, size);
}

void xfree(void *p)
{
    free(p);
}

int cpupool_arinc653_put(struct cpupool *p, const struct arinc653_schedule *s)
{
    (void)p;
    uint64_t kick = 0;
    nr_puts++;
    return sched_arinc653_set(&pool, s, 1000, &kick) ? 0 : -EINVAL;
}

int cpupool_arinc653_get(struct cpupool *p, struct arinc653_schedule *s)
{
    (void)p;
    sched_arinc653_get(&pool, s);
    return 0;
}

static struct xen_sysctl_arinc653_schedule *sched_at(uint64_t off)
{
    return (struct xen_sysctl_arinc653_schedule *)(guest + off);
}

static int64_t op(uint32_t cmd, uint64_t handle)
{
    struct xen_sysctl_scheduler_op s = {
        .cpupool_id = 1, .sched_id = XEN_SCHEDULER_ARINC653, .cmd = cmd};
    s.u.sched_arinc653.schedule = handle;
    return sysctl_arinc653_op(NULL, &s, NULL);
}

/* A good schedule at offset 0: two windows, 3 + 4 ms of a 10 ms frame. */
static void setup(void)
{
    memset(guest, 0, sizeof(guest));
    sched_arinc653.init(&pool);
    nr_puts = 0;
    struct xen_sysctl_arinc653_schedule *s = sched_at(0);
    s->major_frame = 10000000;
    s->num_sched_entries = 2;
    memset(s->sched_entries[0].dom_handle, 0xa, 16);
    s->sched_entries[0].runtime = 3000000;
    memset(s->sched_entries[1].dom_handle, 0xb, 16);
    s->sched_entries[1].vcpu_id = 1;
    s->sched_entries[1].runtime = 4000000;
}

TEST(putinfo_then_getinfo_gives_the_schedule_back_as_xen_fills_it)
{
    setup();
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), 0);
    CHECK_EQ(pool.u.arinc653.nr_windows, 2);
    CHECK_EQ(pool.u.arinc653.windows[1].vcpu_id, 1);
    CHECK_EQ(pool.u.arinc653.windows[1].domid, ARINC653_BY_HANDLE);
    CHECK_EQ(pool.u.arinc653.frame_start, 1000); /* a new frame at once */
    memset(guest + 4096, 0x5a, 2064);
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_getinfo, 4096), 0);
    struct xen_sysctl_arinc653_schedule got;
    memcpy(&got, guest + 4096, sizeof(got));
    CHECK_EQ(got.major_frame, 10000000);
    CHECK_EQ(got.num_sched_entries, 2);
    CHECK_EQ(got.pad[0], 0xff);
    CHECK_EQ(got.sched_entries[0].dom_handle[15], 0xa);
    CHECK_EQ(got.sched_entries[1].vcpu_id, 1);
    CHECK_EQ(got.sched_entries[1].runtime, 4000000);
    CHECK_EQ(got.sched_entries[1].pad, 0xffffffff);
    CHECK_EQ(got.sched_entries[2].vcpu_id, 0xffffffff); /* unused entries: 0xff */
    CHECK_EQ(got.sched_entries[2].runtime, ~0ULL);
}

TEST(bad_schedules_are_einval_and_change_nothing)
{
    setup();
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), 0);
    struct xen_sysctl_arinc653_schedule *s = sched_at(0);
    s->major_frame = 0;
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), -EINVAL);
    s->major_frame = 10000000;
    s->num_sched_entries = 0;
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), -EINVAL);
    s->num_sched_entries = 65;
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), -EINVAL);
    s->num_sched_entries = 2;
    s->sched_entries[1].runtime = 0;
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), -EINVAL);
    s->sched_entries[1].runtime = 7000001; /* 3 + 7.000001 > 10 ms */
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 0), -EINVAL);
    CHECK_EQ(nr_puts, 1); /* refused before the pool was touched */
    CHECK_EQ(pool.u.arinc653.windows[1].runtime, 4000000);
}

TEST(faults_are_efault_and_change_nothing)
{
    setup();
    /* 2064 bytes from 6144 run past the guest's 8192: Xen copies all 64
     * entries, however few are used */
    memcpy(guest + 6144, guest, 64);
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, 6144), -EFAULT);
    CHECK_EQ(nr_puts, 0);
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_getinfo, 7000), -EFAULT);
    CHECK_EQ(op(XEN_SYSCTL_SCHEDOP_putinfo, ~0ULL - 8), -EFAULT);
}

TEST(other_commands_are_einval)
{
    setup();
    CHECK_EQ(op(2, 0), -EINVAL);
    CHECK_EQ(op(3, 0), -EINVAL);
}
