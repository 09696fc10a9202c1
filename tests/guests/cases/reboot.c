/* reboot: PSCI SYSTEM_RESET; the call must not return. */
#include "guest.h"

const char test_name[] = "reboot";

void test_main(void)
{
    test_run("psci system_reset");
    long rc = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);

    test_fail("PSCI SYSTEM_RESET returned %ld", rc);
}
