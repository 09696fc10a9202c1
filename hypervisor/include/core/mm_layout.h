/*
 * What physical memory holds at boot (core/mm_layout.c), read from the boot
 * device tree before any allocator exists: the RAM banks, and the ranges no
 * allocator may hand out (Cloison's image, the device tree, /memreserve/ and
 * /reserved-memory, the boot modules, the allocators' own metadata).
 *
 * The tree is boot input, checked by fdt_validate() but otherwise
 * untrusted: every problem is reported through report() naming the node and
 * property, and the result is either usable or an error the caller turns
 * into a clean refusal to boot; nothing here stops the machine.
 *
 * Sizes: reservations are merged (duplicates, overlaps and adjacent ranges
 * cost one slot) and boot modules are kept exactly as named (identical ones
 * are one module shared by its domains). There is no fixed cap on either:
 * the scan counts, from the tree, how many modules the domains can name (at
 * most a kernel and a ramdisk each, dom0's too) and how many reservations
 * there can be, and when that exceeds the small tables inside struct
 * mm_layout (BSS), it puts tables of that size in RAM no module, reservation,
 * Cloison's image or the tree uses, and reserves that RAM too. Only RAM
 * bounds them. (Xen 4.17 takes at most 32 distinct modules and 256 reserved
 * banks.)
 */
#ifndef CLOISON_MM_LAYOUT_H
#define CLOISON_MM_LAYOUT_H

#include <cloison/types.h>
#include <lib/rangeset.h>

#define MM_MAX_BANKS 8      /* RAM banks after merging; more are reported, ignored */
#define MM_STATIC_RANGES 64 /* reserved ranges, and modules, held without RAM tables */

struct mm_layout {
    struct rangeset ram;      /* usable RAM, page aligned, merged */
    struct rangeset reserved; /* never allocated, page aligned, merged */
    struct rangeset modules;  /* boot modules, exact byte ranges */
    struct range image, dtb;  /* Cloison's image (with BSS), the boot DTB */
    struct range window;      /* where RAM may be: what EL2 can map as RAM */
    struct range tables;      /* RAM holding reserved and modules, or empty */
    void (*report)(const char *msg);
    struct range ram_st[MM_MAX_BANKS];
    /* reserved's and modules' tables when the tree needs no more (the first
     * half each), else scratch while the RAM for larger ones is found. */
    struct range static_st[2 * MM_STATIC_RANGES];
};

/*
 * Fill *l from the tree: RAM from the root's device_type = "memory" nodes
 * (page aligned inwards, clipped to window, the physical range the EL2 maps
 * can hold as RAM), then image, the tree itself, /memreserve/ and every
 * /reserved-memory child's reg as reservations, in tables sized for the
 * tree (see above). ram_at(pa, size) is where the scan may write size bytes
 * of RAM at physical address pa (it is called at most once, for the larger
 * tables). 0, or -1 when Cloison cannot run on what the tree says (no usable
 * RAM, reservations it cannot read, no RAM for the tables), after reporting
 * why. report may be NULL.
 */
int mm_layout_scan(struct mm_layout *l, const void *fdt, struct range image, struct range window,
                   void *(*ram_at)(uint64_t pa, uint64_t size), void (*report)(const char *msg));

/* What a boot module's byte range is, for the domain that names it. */
enum mm_module {
    MM_MODULE_OK = 0,   /* reserved (possibly shared with other domains) */
    MM_MODULE_EMPTY,    /* size 0 */
    MM_MODULE_NOT_RAM,  /* not entirely inside RAM */
    MM_MODULE_IMAGE,    /* overlaps Cloison's image */
    MM_MODULE_DTB,      /* overlaps the boot device tree */
    MM_MODULE_OVERLAP,  /* overlaps another module without being it */
    MM_MODULE_TOO_MANY, /* no room left in the tables (more than the tree names) */
    MM_MODULE_TABLES,   /* overlaps the RAM holding these tables */
};

/* Reserve [start, start + size) as a boot module (before any allocator
 * starts); conflict (may be NULL) receives the other module of an OVERLAP. */
enum mm_module mm_layout_add_module(struct mm_layout *l, uint64_t start, uint64_t size,
                                    struct range *conflict);
/* Was exactly this module reserved? If not, why not (as add would say). */
enum mm_module mm_layout_check_module(const struct mm_layout *l, uint64_t start, uint64_t size,
                                      struct range *conflict);
/* "is not inside RAM", ... for "<node>: property 'reg' (<range>) <reason>". */
const char *mm_module_str(enum mm_module m);

/* core/mm.c's boot steps between mm_init() and mm_start_allocators(): the
 * layout above for the boot tree. */
enum mm_module mm_reserve_module(paddr_t start, uint64_t size, struct range *conflict);
/* Any time: was this module reserved (MM_MODULE_OK), else why not. */
enum mm_module mm_check_module(paddr_t start, uint64_t size, struct range *conflict);
/* Buddy allocators over the free RAM and the heap on top: 0, or -1 when
 * less than MM_BOOT_MIN_FREE is left for Cloison itself (printed why). */
int mm_start_allocators(void);
#define MM_BOOT_MIN_FREE (1UL << 20) /* EL2 tables, then the first domain's structures */

#endif
