/* poweroff: SCHEDOP_shutdown(SHUTDOWN_poweroff); the call must not return. */
#include "guest.h"

const char test_name[] = "poweroff";

void test_main(void)
{
    test_run("sched_op shutdown reason=poweroff");
    long rc = sched_shutdown(SHUTDOWN_poweroff);

    test_fail("SCHEDOP_shutdown returned %ld", rc);
}
