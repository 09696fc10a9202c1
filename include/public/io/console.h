/*
 * Xen guest ABI: the PV console ring (Xen 4.17 public/io/console.h), one page
 * shared between a guest (frontend) and its console backend. Indices are
 * free-running byte counters; byte i lives at i & (size - 1).
 */
#ifndef PUBLIC_IO_CONSOLE_H
#define PUBLIC_IO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;
#define XENCONS_IN_SIZE 1024
#define XENCONS_OUT_SIZE 2048
#define MASK_XENCONS_IDX(idx, size) ((idx) & ((size)-1))

struct xencons_interface {
    char in[XENCONS_IN_SIZE];   /* backend -> guest (keyboard) */
    char out[XENCONS_OUT_SIZE]; /* guest -> backend (output) */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};
_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, in_prod) == 3076, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "xencons_interface layout");
_Static_assert(offsetof(struct xencons_interface, out_prod) == 3084, "xencons_interface layout");

#endif
