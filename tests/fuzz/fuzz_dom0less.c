/*
 * libFuzzer: arbitrary bytes as the boot DTB. The hypervisor calls
 * fdt_check_header() first and so does the parser; libfdt then trusts offsets
 * only within totalsize, so the input is copied into a buffer of exactly that
 * size (ASan sees any read beyond it) and 8-byte aligned like a real DTB.
 * Every accepted domain must have values within the documented bounds, and
 * the unbounded walk (dom0less_for_each, as setup.c builds domains) must see
 * as many as the array form keeps when it has room; dom0's description too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <core/domain_cfg.h>
#include <boot/fdt_validate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool cfg_in_bounds(const struct domain_cfg *c)
{
    return c->vcpus >= 1 && c->vcpus <= DOMCFG_MAX_VCPUS &&
           c->event_channels <= DOMCFG_MAX_EVENT_CHANNELS && c->kernel.size &&
           c->kernel.start + c->kernel.size > c->kernel.start &&
           memchr(c->bootargs, '\0', sizeof(c->bootargs)) && memchr(c->name, '\0', sizeof(c->name));
}

static int count_domain(void *ctx, struct domain_cfg *cfg)
{
    if (!cfg_in_bounds(cfg))
        abort();
    (*(int *)ctx)++;
    return 0;
}

static size_t report_bytes;

static void report(const char *msg)
{
    report_bytes += strlen(msg); /* touch every byte of every message */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct domain_cfg cfg[4];
    const char *args;
    void *fdt;
    size_t total;

    if (size < sizeof(struct fdt_header) || fdt_check_header(data))
        return 0;
    total = fdt_totalsize((const void *)data);
    if (total > size)
        return 0;
    fdt = aligned_alloc(8, (total + 7) & ~(size_t)7);
    if (!fdt)
        return 0;
    memcpy(fdt, data, total);
    /* As at boot: only a tree fdt_validate() accepts reaches libfdt. */
    if (fdt_validate(fdt, total) != 0) {
        free(fdt);
        return 0;
    }

    int n = dom0less_parse(fdt, cfg, 4, report);
    if (n > 0)
        report_bytes += strlen(cfg[0].bootargs) + cfg[0].vcpus;
    /* What the parser accepted is within the bounds the domain builder and
     * the event-channel core rely on. */
    for (int i = 0; i < n; i++) {
        if (!cfg_in_bounds(&cfg[i]))
            abort();
    }
    static struct domain_cfg scratch;
    int seen = 0, all = dom0less_for_each(fdt, &scratch, count_domain, &seen, report);
    if (all != seen || (all >= 0 && n != (all < 4 ? all : 4)))
        abort();
    if (dom0_parse(fdt, &scratch, report) == 1 && !scratch.kernel.size)
        abort();
    args = dom0less_hv_bootargs(fdt);
    if (args)
        report_bytes += strlen(args);
    free(fdt);
    return 0;
}
