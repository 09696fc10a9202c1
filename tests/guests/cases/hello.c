/*
 * hello: console_io(CONSOLEIO_write) prints the buffer and returns 0. Xen
 * returns 0, not a byte count (guest_console_write ends with "return 0";
 * Linux's hvc_xen turns that into len itself), so 0 is the ABI answer.
 */
#include <string.h>

#include "guest.h"

const char test_name[] = "hello";

void test_main(void)
{
    static const char msg[] = "hello from a Cloison test guest\n";
    long rc = console_io_write(msg, strlen(msg));

    if (rc != 0)
        test_fail("console_io ret=%ld expected=0 len=%zu", rc, strlen(msg));
    test_pass("console_io ret=%ld", rc);
}
