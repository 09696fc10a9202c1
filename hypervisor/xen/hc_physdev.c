/*
 * physdev_op: on ARM, Xen 4.17 (built without PCI passthrough, as Debian
 * ships it) answers every command with -ENOSYS, for every domain. A Linux
 * dom0 calls PHYSDEVOP_pci_device_add, then PHYSDEVOP_manage_pci_add, for
 * each PCI device it finds, and on -ENOSYS logs "Failed to add -
 * passthrough or MSI/MSI-X might fail!" once per device and carries on: the
 * same lines it prints on Xen. Cloison drives no IOMMU and passes no PCI
 * device through either, so pretending success would claim what is not
 * there. The handler exists to say so; it reads no argument.
 */
#include <cloison/errno.h>
#include <public/physdev.h>
#include "hypercall.h"

int64_t do_physdev_op(struct vcpu *v, uint64_t cmd, uint64_t arg, uint64_t a2, uint64_t a3,
                      uint64_t a4)
{
    (void)v, (void)cmd, (void)arg, (void)a2, (void)a3, (void)a4;
    return -ENOSYS;
}
