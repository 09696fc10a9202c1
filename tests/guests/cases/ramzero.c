/*
 * ramzero: a domain's RAM reaches it zeroed, whoever had the pages before.
 * Reads every word of its RAM outside its own image and the DTB and fails on
 * the first that is not zero, then fills all of it with a pattern and resets
 * itself (PSCI SYSTEM_RESET; the test sets on_reboot = restart): the next
 * instance, built on the same pages or on another domain's, checks again. This
 * covers the stepped scrub of a restart (pages taken unzeroed and zeroed by the
 * builder, docs/DESIGN.md §7) and bootscrub=false (only pages no one had since
 * the host booted are handed out unzeroed).
 * RAM is zeroed lazily, on first use (docs/DESIGN.md, "domain RAM is zeroed
 * lazily"): first a hypercall writes its answer into a 2 MiB block this
 * domain has not touched, which the hypervisor must zero before its write,
 * never after, and the rest of that page must be zero.
 */
#include "guest.h"

const char test_name[] = "ramzero";

extern char _head[], _end[];

#define PATTERN 0x5a5a5a5a5a5a5a5aULL

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Calls fn on each 8-byte aligned word of RAM that is neither the image nor
 * the DTB; returns the first address fn rejects, or 0. */
static uint64_t walk(bool (*fn)(volatile uint64_t *))
{
    uint64_t img0 = (uintptr_t)_head, img1 = ((uintptr_t)_end + 4095) & ~4095ULL;
    uint64_t dtb0 = (uintptr_t)boot_fdt & ~7ULL;
    uint64_t dtb1 = ((uintptr_t)boot_fdt + be32((const uint8_t *)boot_fdt + 4) + 7) & ~7ULL;
    for (uint64_t a = plat.ram_base; a < plat.ram_base + plat.ram_size; a += 8) {
        if ((a >= img0 && a < img1) || (a >= dtb0 && a < dtb1))
            continue;
        if (!fn((volatile uint64_t *)(uintptr_t)a))
            return a;
    }
    return 0;
}

static bool is_zero(volatile uint64_t *w)
{
    return *w == 0;
}

static bool fill(volatile uint64_t *w)
{
    *w = PATTERN;
    return true;
}

/* XENVER_extraversion's 16 bytes, written by the hypervisor into the middle
 * of a 2 MiB block nothing touched yet (not the image, not the DTB). */
static void check_hypercall_into_untouched_block(void)
{
    uint64_t blk = (plat.ram_base + plat.ram_size / 2) & ~((2ULL << 20) - 1);
    uint64_t img0 = (uintptr_t)_head, img1 = (uintptr_t)_end, dtb = (uintptr_t)boot_fdt;
    if (blk + (2ULL << 20) > plat.ram_base + plat.ram_size ||
        (img0 < blk + (2ULL << 20) && img1 > blk) || (dtb >= blk && dtb < blk + (2ULL << 20)))
        test_fail("no untouched 2 MiB block at 0x%llx to test with", (unsigned long long)blk);
    volatile char *page = (volatile char *)(uintptr_t)(blk + 0x5000);
    long rc = xen_hypercall(HYPERVISOR_xen_version, XENVER_extraversion,
                            (uint64_t)(uintptr_t)(page + 0x230), 0, 0, 0);
    if (rc != 0)
        test_fail("xen_version(extraversion) into untouched RAM at 0x%llx: rc %ld",
                  (unsigned long long)(uintptr_t)(page + 0x230), rc);
    for (unsigned i = 0; i < 4096; i++) {
        bool answer = i >= 0x230 && i < 0x240;
        if (!answer && page[i] != 0)
            test_fail("byte 0x%x of the page the hypervisor wrote holds 0x%x", i, page[i]);
    }
    for (unsigned i = 0x230; i < 0x240; i++)
        page[i] = 0; /* the walk below wants all of it zero */
}

void test_main(void)
{
    if (plat.ram_size == 0 || plat.ram_size > (1ULL << 30))
        test_fail("RAM of %llu bytes: this guest checks up to 1 GiB",
                  (unsigned long long)plat.ram_size);
    check_hypercall_into_untouched_block();
    uint64_t bad = walk(is_zero);
    if (bad)
        test_fail("word at 0x%llx holds 0x%llx: not zeroed for this domain (image 0x%llx-0x%llx, "
                  "DTB at 0x%llx)",
                  (unsigned long long)bad, (unsigned long long)*(volatile uint64_t *)(uintptr_t)bad,
                  (unsigned long long)(uintptr_t)_head, (unsigned long long)(uintptr_t)_end,
                  (unsigned long long)(uintptr_t)boot_fdt);
    test_run("zeroed: %llu KiB checked; filling and resetting",
             (unsigned long long)plat.ram_size / 1024);
    walk(fill);
    __asm__ volatile("dsb sy" ::: "memory");
    psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    test_fail("SYSTEM_RESET returned");
}
