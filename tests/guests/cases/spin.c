/* spin: announce, then spin forever with interrupts masked (a CPU hog). */
#include "guest.h"

const char test_name[] = "spin";

void test_main(void)
{
    test_run("spinning with interrupts masked");
    irq_disable();
    for (;;)
        __asm__ volatile("" ::: "memory");
}
