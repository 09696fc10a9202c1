/*
 * libFuzzer: arbitrary bytes as the boot DTB. The hypervisor calls
 * fdt_check_header() first and so does the parser; libfdt then trusts offsets
 * only within totalsize, so the input is copied into a buffer of exactly that
 * size (ASan sees any read beyond it) and 8-byte aligned like a real DTB.
 * Every accepted domain must have values within the documented bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <core/domain_cfg.h>
#include <boot/fdt_validate.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
        if (cfg[i].vcpus < 1 || cfg[i].vcpus > DOMCFG_MAX_VCPUS ||
            cfg[i].event_channels > DOMCFG_MAX_EVENT_CHANNELS)
            abort();
    }
    args = dom0less_hv_bootargs(fdt);
    if (args)
        report_bytes += strlen(args);
    free(fdt);
    return 0;
}
