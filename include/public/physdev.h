/* Xen guest ABI: physdev_op (Xen 4.17 public/physdev.h; the commands a
 * Linux dom0 issues on ARM). */
#ifndef PUBLIC_PHYSDEV_H
#define PUBLIC_PHYSDEV_H

#include <stddef.h>
#include <stdint.h>

#define PHYSDEVOP_manage_pci_add 15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pci_device_add 25
#define PHYSDEVOP_pci_device_remove 26

struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t bus;
    uint8_t devfn;
    uint32_t flags;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    /* followed by optional uint32_t optarr[] (node id when flagged) */
};

_Static_assert(offsetof(struct physdev_pci_device_add, flags) == 4, "pci_device_add layout");
_Static_assert(offsetof(struct physdev_pci_device_add, physfn) == 8, "pci_device_add layout");

#endif
