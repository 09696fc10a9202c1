/*
 * The fuzz input as a boot device tree, the way Cloison receives one: copied
 * into a buffer of exactly its totalsize (so ASan sees any read beyond it),
 * 8-byte aligned like a loaded DTB, and only handed on when fdt_validate()
 * accepts it, as boot_cpu_main() does before any libfdt call. Shared by the
 * device-tree fuzzers (header only: each target is one binary).
 */
#ifndef TESTS_FUZZ_FDT_H
#define TESTS_FUZZ_FDT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <boot/fdt_validate.h>

/* A validated copy of the input (free() it), or NULL. */
static inline void *fuzz_fdt(const uint8_t *data, size_t size)
{
    if (size < sizeof(struct fdt_header) || fdt_check_header(data))
        return NULL;
    size_t total = fdt_totalsize((const void *)data);
    if (total > size)
        return NULL;
    void *fdt = aligned_alloc(8, (total + 7) & ~(size_t)7);
    if (!fdt)
        return NULL;
    memcpy(fdt, data, total);
    if (fdt_validate(fdt, total) != 0) {
        free(fdt);
        return NULL;
    }
    return fdt;
}

/* Messages are formatted and counted, never printed (every byte touched). */
static size_t fuzz_report_bytes;
static inline void fuzz_report(const char *msg)
{
    fuzz_report_bytes += strlen(msg);
}

#endif
