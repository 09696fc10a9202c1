/*
 * grant_table_op (20): x0 = cmd (bits 11:0; higher bits are a continuation
 * argument only cache_flush may carry), x1 = array of `count` structs (guest
 * VA), x2 = count. Copies each struct in, lets core/grant*.c act, and copies
 * back what Xen copies back: the whole struct for map and query_size, only
 * the status (or version) field for the others. The hypercall returns 0 once
 * the array is processed; per-operation results are GNTST_* codes.
 */
#include <cloison/domain.h>
#include <cloison/errno.h>
#include <cloison/grant.h>
#include <cloison/guest_copy.h>
#include <cloison/vcpu.h>
#include <public/grant_table.h>
#include "hypercall.h"

#define PUT_FIELD(v, base, type, op, field) \
    copy_to_guest(v, (base) + offsetof(type, field), &(op).field, sizeof((op).field))

static int64_t map_refs(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_map_grant_ref op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        gnttab_map_ref(v->domain, &op);
        if (copy_to_guest(v, uop, &op, sizeof(op)))
            return -EFAULT;
    }
    return 0;
}

static int64_t unmap_refs(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_unmap_grant_ref op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        op.status = gnttab_unmap_ref(v->domain, op.host_addr, op.dev_bus_addr, 0, op.handle);
        if (PUT_FIELD(v, uop, struct gnttab_unmap_grant_ref, op, status))
            return -EFAULT;
    }
    return 0;
}

static int64_t unmap_and_replace(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_unmap_and_replace op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        op.status = gnttab_unmap_ref(v->domain, op.host_addr, 0, op.new_addr, op.handle);
        if (PUT_FIELD(v, uop, struct gnttab_unmap_and_replace, op, status))
            return -EFAULT;
    }
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

static int64_t copy_ops(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_copy op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        gnttab_copy(v->domain, &op);
        if (PUT_FIELD(v, uop, struct gnttab_copy, op, status))
            return -EFAULT;
    }
    return 0;
}

static int64_t transfer_ops(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_transfer op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        gnttab_transfer(v->domain, &op);
        if (PUT_FIELD(v, uop, struct gnttab_transfer, op, status))
            return -EFAULT;
    }
    return 0;
}

static int64_t swap_ops(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_swap_grant_ref op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        gnttab_swap_ref(v->domain, &op);
        if (PUT_FIELD(v, uop, struct gnttab_swap_grant_ref, op, status))
            return -EFAULT;
    }
    return 0;
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

static int64_t cache_flush(struct vcpu *v, uint64_t uop, uint32_t count)
{
    struct gnttab_cache_flush op;
    for (uint32_t i = 0; i < count; i++, uop += sizeof(op)) {
        if (copy_from_guest(v, &op, uop, sizeof(op)))
            return -EFAULT;
        int rc = gnttab_cache_flush(v->domain, &op);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int64_t do_grant_table_op(struct vcpu *v, uint64_t cmd64, uint64_t uop, uint64_t count64,
                          uint64_t a3, uint64_t a4)
{
    (void)a3, (void)a4;
    /* cmd and count are unsigned ints in the ABI: the upper halves are ignored. */
    uint32_t cmd = (uint32_t)cmd64, count = (uint32_t)count64;
    if ((int32_t)count < 0)
        return -EINVAL;
    uint32_t opaque = cmd & ~GNTTABOP_CMD_MASK;
    cmd &= GNTTABOP_CMD_MASK;
    if (cmd != GNTTABOP_cache_flush && opaque)
        return -EINVAL;
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        return map_refs(v, uop, count);
    case GNTTABOP_unmap_grant_ref:
        return unmap_refs(v, uop, count);
    case GNTTABOP_unmap_and_replace:
        return unmap_and_replace(v, uop, count);
    case GNTTABOP_setup_table:
        return setup_table(v, uop, count);
    case GNTTABOP_transfer:
        return transfer_ops(v, uop, count);
    case GNTTABOP_copy:
        return copy_ops(v, uop, count);
    case GNTTABOP_query_size:
        return query_size(v, uop, count);
    case GNTTABOP_set_version:
        return set_version(v, uop);
    case GNTTABOP_get_status_frames:
        return status_frames(v, uop, count);
    case GNTTABOP_get_version:
        return get_version(v, uop);
    case GNTTABOP_swap_grant_ref:
        return swap_ops(v, uop, count);
    case GNTTABOP_cache_flush:
        return cache_flush(v, uop, count);
    default: /* dump_table and unknown commands */
        return -ENOSYS;
    }
}
