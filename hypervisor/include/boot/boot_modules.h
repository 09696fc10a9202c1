/*
 * The boot modules (kernels, ramdisks) the boot domains name, kept out of
 * every allocator (boot/boot_modules.c). core/mm_layout.c decides whether a
 * module can be kept: inside RAM, clear of Cloison's image and the device
 * tree, and either clear of every other module or identical to one (several
 * domains may share one kernel). A domain whose module cannot be kept is
 * skipped with a message naming the module's node; the others boot.
 */
#ifndef CLOISON_BOOT_MODULES_H
#define CLOISON_BOOT_MODULES_H

#include <cloison/types.h>

struct domain_cfg;

/* Between mm_init() and mm_start_allocators(): reserve the modules of dom0
 * and of every valid dom0less domain, in tree order, without messages (the
 * domains are parsed again, with messages, when they are built). */
void boot_modules_reserve(const void *fdt);
/* Were cfg's modules reserved? If not, say why (naming the module's node
 * and its 'reg') and return false: the domain must not be built. */
bool boot_modules_usable(const void *fdt, const struct domain_cfg *cfg);

#endif
