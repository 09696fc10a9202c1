/*
 * grant_table_op (20): x0 = cmd (bits 11:0; higher bits are a continuation
 * argument only cache_flush may carry), x1 = array of `count` structs (guest
 * VA), x2 = count. Copies each struct in, lets xen/grant*.c act, and copies
 * back what Xen copies back: the whole struct for map and query_size, only
 * the status (or version) field for the others. The hypercall returns 0 once
 * the array is processed; per-operation results are GNTST_* codes.
 *
 * Arrays are worked through OPS_PER_CALL elements at a time: the rest is a
 * continuation (the HVC re-issued with the array and count advanced), so a
 * domain asking for millions of operations cannot hold a pCPU in the
 * hypervisor for more than a bounded time.
 */
#include <core/domain.h>
#include <cloison/errno.h>
#include <xen/grant.h>
#include <xen/guest_copy.h>
#include <core/vcpu.h>
#include <public/grant_table.h>
#include "hypercall.h"

#define PUT_FIELD(v, base, type, op, field) \
    copy_to_guest(v, (base) + offsetof(type, field), &(op).field, sizeof((op).field))

/* One element of an array command: copy in, act, copy out what Xen does. */
typedef int64_t (*one_op_fn)(struct vcpu *v, uint64_t uop);

static int64_t map_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_map_grant_ref op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_map_ref(v->domain, &op);
    return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static int64_t unmap_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_unmap_grant_ref op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    op.status = gnttab_unmap_ref(v->domain, op.host_addr, op.dev_bus_addr, 0, op.handle);
    return PUT_FIELD(v, uop, struct gnttab_unmap_grant_ref, op, status) ? -EFAULT : 0;
}

static int64_t unmap_replace_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_unmap_and_replace op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    op.status = gnttab_unmap_ref(v->domain, op.host_addr, 0, op.new_addr, op.handle);
    return PUT_FIELD(v, uop, struct gnttab_unmap_and_replace, op, status) ? -EFAULT : 0;
}

static int64_t copy_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_copy op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_copy(v->domain, &op);
    return PUT_FIELD(v, uop, struct gnttab_copy, op, status) ? -EFAULT : 0;
}

static int64_t transfer_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_transfer op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_transfer(v->domain, &op);
    return PUT_FIELD(v, uop, struct gnttab_transfer, op, status) ? -EFAULT : 0;
}

static int64_t swap_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_swap_grant_ref op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_swap_ref(v->domain, &op);
    return PUT_FIELD(v, uop, struct gnttab_swap_grant_ref, op, status) ? -EFAULT : 0;
}

static int64_t cache_flush_one(struct vcpu *v, uint64_t uop)
{
    struct gnttab_cache_flush op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    int rc = gnttab_cache_flush(v->domain, &op);
    return rc < 0 ? rc : 0;
}

static const struct {
    one_op_fn fn;
    uint16_t size;
} array_ops[] = {
    [GNTTABOP_map_grant_ref] = {map_one, sizeof(struct gnttab_map_grant_ref)},
    [GNTTABOP_unmap_grant_ref] = {unmap_one, sizeof(struct gnttab_unmap_grant_ref)},
    [GNTTABOP_unmap_and_replace] = {unmap_replace_one, sizeof(struct gnttab_unmap_and_replace)},
    [GNTTABOP_transfer] = {transfer_one, sizeof(struct gnttab_transfer)},
    [GNTTABOP_copy] = {copy_one, sizeof(struct gnttab_copy)},
    [GNTTABOP_swap_grant_ref] = {swap_one, sizeof(struct gnttab_swap_grant_ref)},
    [GNTTABOP_cache_flush] = {cache_flush_one, sizeof(struct gnttab_cache_flush)},
};

#define OPS_PER_CALL 128

/* Up to OPS_PER_CALL elements now; the rest when the HVC is re-issued. */
static int64_t run_array(struct vcpu *v, uint32_t raw_cmd, uint32_t cmd, uint64_t uop,
                         uint32_t count)
{
    uint32_t n = count < OPS_PER_CALL ? count : OPS_PER_CALL;
    uint64_t size = array_ops[cmd].size;
    for (uint32_t i = 0; i < n; i++) {
        int64_t rc = array_ops[cmd].fn(v, uop + i * size);
        if (rc)
            return rc;
    }
    if (count > n)
        return hypercall_continue(v, raw_cmd, uop + n * size, count - n, 0, 0);
    return 0;
}

static int64_t setup_table(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_setup_table op;
    uint64_t frames[GNTTAB_MAX_FRAMES];
    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_setup_table(v->domain, &op, frames);
    for (uint32_t i = 0; op.status == GNTST_okay && i < op.nr_frames; i++)
        if (copy_to_guest(v, op.frame_list + i * sizeof(uint64_t), &frames[i], sizeof(uint64_t)))
            op.status = GNTST_bad_virt_addr;
    return PUT_FIELD(v, uop, struct gnttab_setup_table, op, status) ? -EFAULT : 0;
}

static int64_t query_size(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_query_size op;
    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_query_size(v->domain, &op);
    return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static int64_t status_frames(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_get_status_frames op;
    if (count != 1)
        return -EINVAL;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    gnttab_get_status_frames(v->domain, &op);
    return PUT_FIELD(v, uop, struct gnttab_get_status_frames, op, status) ? -EFAULT : 0;
}

static int64_t set_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_set_version op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    int rc = gnttab_set_version(v->domain, &op);
    return copy_to_guest(v, uop, &op, sizeof(op)) ? -EFAULT : rc;
}

static int64_t get_version(struct vcpu *v, uint64_t uop)
{
    struct gnttab_get_version op;
    if (copy_from_guest(v, &op, uop, sizeof(op)))
        return -EFAULT;
    int rc = gnttab_get_version(v->domain, &op);
    if (rc)
        return rc;
    return PUT_FIELD(v, uop, struct gnttab_get_version, op, version) ? -EFAULT : 0;
}

int64_t do_grant_table_op(struct vcpu *v, uint64_t cmd64, uint64_t uop, uint64_t count64,
                          uint64_t a3, uint64_t a4)
{
    (void)a3, (void)a4;
    /* cmd and count are unsigned ints in the ABI: the upper halves are ignored. */
    uint32_t raw_cmd = (uint32_t)cmd64, count = (uint32_t)count64;
    if (!v->domain->gnttab)
        return -ENOSYS; /* no Xen interface, as for the other Xen hypercalls */
    if ((int32_t)count < 0)
        return -EINVAL;
    uint32_t opaque = raw_cmd & ~GNTTABOP_CMD_MASK, cmd = raw_cmd & GNTTABOP_CMD_MASK;
    if (cmd != GNTTABOP_cache_flush && opaque)
        return -EINVAL;
    if (cmd < ARRAY_SIZE(array_ops) && array_ops[cmd].fn)
        return run_array(v, raw_cmd, cmd, uop, count);
    switch (cmd) {
    case GNTTABOP_setup_table:
        return setup_table(v, uop, count);
    case GNTTABOP_query_size:
        return query_size(v, uop, count);
    case GNTTABOP_set_version:
        return set_version(v, uop);
    case GNTTABOP_get_status_frames:
        return status_frames(v, uop, count);
    case GNTTABOP_get_version:
        return get_version(v, uop);
    default: /* dump_table and unknown commands */
        return -ENOSYS;
    }
}
