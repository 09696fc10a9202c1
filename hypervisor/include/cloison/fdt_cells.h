/*
 * A device-tree number of `cells` 32-bit big-endian cells (an address or a
 * size, per #address-cells / #size-cells), read byte by byte with fdt32_ld
 * because a DTB may sit at any alignment. Callers check cells is 1 or 2.
 */
#ifndef CLOISON_FDT_CELLS_H
#define CLOISON_FDT_CELLS_H

#include <cloison/types.h>
#include <libfdt.h>

static inline uint64_t fdt_read_cells(const fdt32_t *p, unsigned int cells)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < cells; i++)
        v = (v << 32) | fdt32_ld(p + i);
    return v;
}

#endif
