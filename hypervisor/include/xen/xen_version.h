/* What xen_version reports that the boot path knows (xen/hc_version.c). */
#ifndef CLOISON_XEN_VERSION_H
#define CLOISON_XEN_VERSION_H

/* The hypervisor's command line, for XENVER_commandline (the control domain
 * reads it: Xen's toolstack turns autoballoon off when it holds dom0_mem=).
 * Copied (at most 1023 bytes); called once at boot, before any domain runs. */
void xen_version_set_cmdline(const char *cmdline);

#endif
