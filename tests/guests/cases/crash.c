/*
 * crash: a guest that cannot go on. With its MMU off (so every fetch goes
 * through stage 2 only; the guest's identity map makes that seamless) it
 * points VBAR_EL1 at an address outside its RAM and then touches a hole: the
 * injected abort enters a vector that does not exist. The hypervisor must crash this domain (one log line
 * naming it, the reason and the address) and free it; nothing is printed by
 * the guest after the RUN line, and a PASS from it would be a failure.
 */
#include "guest.h"

const char test_name[] = "crash";

void test_main(void)
{
    test_run("vbar=0x%llx then load from 0x%llx", (unsigned long long)GUEST_HOLE_IPA,
             (unsigned long long)GUEST_HOLE_IPA);
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~1UL); /* M = 0 */
    isb();
    write_sysreg(vbar_el1, GUEST_HOLE_IPA);
    isb();
    (void)mmio_read32(GUEST_HOLE_IPA);
    test_fail("still running after a fault with no usable vector table");
}
