/*
 * The hypervisor command line (/chosen/xen,xen-bootargs, see
 * dom0less_hv_bootargs()). Options are Xen's, with Xen's syntax and meaning:
 * space-separated "name", "name=value" or "no-name" (booleans); '-' and '_'
 * are interchangeable in names. Unknown options and malformed values are
 * reported and ignored: a typo never stops the machine from booting.
 */
#ifndef CLOISON_BOOTARGS_H
#define CLOISON_BOOTARGS_H

#include <cloison/types.h>

/* Xen log levels; a message prints if its level <= lower, and up to upper
 * when the rate limit allows. */
enum hv_loglvl {
    LOGLVL_NONE = -1,
    LOGLVL_ERROR,
    LOGLVL_WARNING,
    LOGLVL_INFO,
    LOGLVL_DEBUG,
    LOGLVL_ALL
};

/* console= names (a comma-separated list in Xen). */
#define HV_CONSOLE_DTUART BIT(0) /* the UART named by dtuart= / stdout-path */
#define HV_CONSOLE_NONE 0

enum hv_sched {
    HV_SCHED_CREDIT2,
    HV_SCHED_CREDIT,
    HV_SCHED_NULL,
    HV_SCHED_ARINC653,
    HV_SCHED_RTDS
};

#define HV_DTUART_LEN 64

struct hv_options {
    unsigned long console;               /* console=  HV_CONSOLE_* bits; default dtuart */
    char dtuart[HV_DTUART_LEN];          /* dtuart=   DT path/alias; "" = /chosen/stdout-path */
    enum hv_loglvl loglvl, loglvl_upper; /* loglvl=<l>[/<u>]; warning/warning */
    enum hv_loglvl guest_loglvl, guest_loglvl_upper; /* guest_loglvl=; none/warning */
    enum hv_sched sched;                             /* sched=    default credit2 (Xen 4.17) */
    uint64_t dom0_mem;              /* dom0_mem= bytes; size with K/M/G/T, default unit K */
    bool dom0_mem_set;              /* false: dom0 gets the default (512 MiB, warned) */
    unsigned int dom0_max_vcpus;    /* dom0_max_vcpus= 0 = one per pCPU */
    bool sync_console;              /* sync_console: print synchronously (debug) */
    char conswitch;                 /* conswitch=<c>[x]: Ctrl-<c> x3 switches input; 'a' */
    bool conswitch_to_dom0;         /* false when 'x' given: input stays with Xen at boot */
    bool vwfi_native;               /* vwfi=native|trap: WFI/WFE not trapped; default trap */
    unsigned int gnttab_max_frames; /* gnttab_max_frames= default 64 */
    bool ext_regions;               /* ext_regions=<bool>: advertise extended regions */
    /* vmid_bits=N (Cloison extension, for tests): use at most N-bit VMIDs
     * (min 4), so VMID rollovers happen with a handful of domains. 0 = all. */
    unsigned int vmid_bits;
    /* ipa_bits=N (Cloison extension): every domain's IPA space at least N
     * bits wide (the smallest size the CPU has: 40, 44, 48). 0 = what the
     * guests' layout and the host's memory map need (boot/setup.c). */
    unsigned int ipa_bits;
    /* trapcount=<bool> (Cloison extension): count guest exits by domain,
     * class and detail (trap/trapcount.h; the 't' debug key). */
    bool trapcount;
    /* p2m_pages=<bool>|touch (Cloison extension; cloison/p2m.h, enum
     * p2m_granule): true = guest RAM in 4 KiB stage-2 pages only, false =
     * 2 MiB / 1 GiB blocks, touch = blocks split into pages at the guest's
     * first touch. Unset (HV_P2M_AUTO): touch on QEMU's virt board, false
     * elsewhere (boot/setup.c). */
    enum hv_p2m_pages { HV_P2M_AUTO, HV_P2M_BLOCKS, HV_P2M_TOUCH, HV_P2M_PAGES } p2m_pages;
    /* bootscrub=<bool>|idle (Xen's): false hands a domain RAM no one had
     * since boot unzeroed (cloison/mm.h, page_alloc_guest_ram); idle, Xen's
     * default, zeroes on allocation as true does. */
    bool bootscrub;
};

/* Xen's defaults. */
void bootargs_defaults(struct hv_options *o);

/*
 * Parse cmdline (NULL = empty) over *o (call bootargs_defaults first). Each
 * unknown option or malformed value gives one report(msg) line
 * ("bootargs: ...") and leaves that option at its previous value.
 * Returns the number of such problems.
 */
int bootargs_parse(const char *cmdline, struct hv_options *o, void (*report)(const char *msg));

#endif
