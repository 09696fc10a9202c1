/* Xen guest ABI: hvm_op (Xen 4.17 public/hvm/hvm_op.h), the subset ARM implements. */
#ifndef PUBLIC_HVM_HVM_OP_H
#define PUBLIC_HVM_HVM_OP_H

#include <stddef.h>
#include <stdint.h>

#define HVMOP_set_param 0
#define HVMOP_get_param 1
#define HVMOP_guest_request_vm_event 24

struct xen_hvm_param {
    uint16_t domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};
_Static_assert(sizeof(struct xen_hvm_param) == 16, "xen_hvm_param layout");
_Static_assert(offsetof(struct xen_hvm_param, value) == 8, "xen_hvm_param layout");

#endif
