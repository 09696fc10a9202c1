/*
 * xsm_op (27): Cloison has no FLASK policy, so every command is -ENOSYS, as
 * Xen built without FLASK answers (its dummy xsm_do_xsm_op). The toolstack
 * depends on exactly that: libxl blanks the security label on -ENOSYS, but
 * on -EACCES libxc prints "XSM operation failed!" for every domain it lists.
 */
#include <cloison/errno.h>
#include "hypercall.h"

int64_t do_xsm_op(struct vcpu *v, uint64_t op, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    (void)v, (void)op, (void)a1, (void)a2, (void)a3, (void)a4;
    return -ENOSYS;
}
