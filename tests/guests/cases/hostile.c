/*
 * hostile: bad hypercall arguments must give Xen's answers, never a crash:
 *  - xen_version(XENVER_extraversion) into a VA stage 1 does not map -> -EFAULT
 *  - the same into an IPA with nothing behind it (stage-2 hole)      -> -EFAULT
 *  - console_io write from an unmapped buffer -> -EFAULT (or -EPERM when the
 *    hypervisor refuses console_io to this domain altogether, as Xen 4.17
 *    release builds do; the probe at boot tells which)
 *  - xen_version with bit 32 set in the command: same as without (int cmd)
 *  - unknown hypercall numbers (1: x86-only, 99, 0x7fffffff)          -> -ENOSYS
 *  - unknown SMCCC function over HVC #0                               -> -1
 *  - HVC with an immediate other than 0 / 0xEA1 -> UNDEFINED exception (EC 0)
 *    with ELR_EL1 just after the HVC: Xen injects it with the HVC's own return
 *    address (ELR_EL2 already points past an HVC), and Cloison must match.
 */
#include "guest.h"

const char test_name[] = "hostile";

static void expect_rc(const char *what, long got, long want)
{
    if (got != want)
        test_fail("%s ret=%ld expected=%ld", what, got, want);
}

void test_main(void)
{
    long console_refused = console_io_probe_result == -XEN_EPERM;
    struct trap_record rec;

    expect_rc(
        "extraversion@unmapped_va",
        xen_hypercall(HYPERVISOR_xen_version, XENVER_extraversion, GUEST_UNMAPPED_VA, 0, 0, 0),
        -XEN_EFAULT);
    expect_rc("extraversion@hole_ipa",
              xen_hypercall(HYPERVISOR_xen_version, XENVER_extraversion, GUEST_HOLE_IPA, 0, 0, 0),
              -XEN_EFAULT);
    expect_rc("console_io@unmapped_va",
              xen_hypercall(HYPERVISOR_console_io, CONSOLEIO_write, 16, GUEST_UNMAPPED_VA, 0, 0),
              console_refused ? -XEN_EPERM : -XEN_EFAULT);
    /* Sub-commands are ints in Xen's prototypes: the upper 32 bits are ignored. */
    expect_rc("xen_version(1 << 32 | XENVER_version)",
              xen_hypercall(HYPERVISOR_xen_version, (1ULL << 32) | XENVER_version, 0, 0, 0, 0),
              xen_hypercall(HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0));
    expect_rc("hypercall 1", xen_hypercall(1, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    expect_rc("hypercall 99", xen_hypercall(99, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    expect_rc("hypercall 0x7fffffff", xen_hypercall(0x7fffffff, 0, 0, 0, 0, 0), -XEN_ENOSYS);
    expect_rc("smccc 0x8200ff00", (long)(int32_t)smccc_hvc(0x8200ff00u, 0, 0, 0), -1);
    uintptr_t after_hvc = (uintptr_t)hvc_bad_imm_insn + 4;

    trap_expect(&rec);
    rec.resume = after_hvc;
    hvc_bad_imm();
    if (!rec.taken)
        test_fail("HVC #0x1234 returned without an exception");
    if (ESR_EC(rec.esr) != 0)
        test_fail("HVC #0x1234 esr_ec=0x%llx expected=0x0", (unsigned long long)ESR_EC(rec.esr));
    if (rec.elr != after_hvc)
        test_fail("HVC #0x1234 undef elr=hvc%+lld expected=hvc+4",
                  (long long)(rec.elr - (uintptr_t)hvc_bad_imm_insn));
    test_pass("efault=ok enosys=ok smccc=ok hvc_imm_undef=ok console_io=%s",
              console_refused ? "eperm" : "efault");
}
