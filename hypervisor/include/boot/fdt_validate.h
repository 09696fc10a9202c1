/*
 * A full structural check of a flattened device tree before libfdt sees it
 * (boot/fdt_validate.c). Debian's libfdt 1.6.1 trusts property lengths and
 * offsets once the header looks right: a crafted tree makes its tag walker
 * loop forever (found by tests/fuzz/fuzz_dom0less). Everything Cloison reads
 * with libfdt (the boot tree, guest device-tree modules) passes this first.
 */
#ifndef CLOISON_FDT_VALIDATE_H
#define CLOISON_FDT_VALIDATE_H

#include <stddef.h>

#define FDT_VALIDATE_MAX_DEPTH 32 /* nodes nested deeper are refused */

/*
 * 0 if the tree in the first bufsize bytes at fdt is well formed: header
 * (version >= 16) and blocks inside totalsize <= bufsize and apart from each
 * other, a terminated memory reservation map, a structure block that is one root node with balanced,
 * bounded nesting, names and property values inside the block, property name
 * offsets inside the strings block and NUL-terminated there, and FDT_END last.
 * Otherwise a negative FDT_ERR_* code.
 */
int fdt_validate(const void *fdt, size_t bufsize);

#endif
