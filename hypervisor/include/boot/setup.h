/* What boot leaves behind for the rest of Cloison (boot/setup.c). */
#ifndef CLOISON_SETUP_H
#define CLOISON_SETUP_H
#include <boot/bootargs.h>
extern struct hv_options hv_opts; /* parsed hypervisor command line */
extern const void *host_fdt;      /* the boot device tree (kept reserved) */
#endif
