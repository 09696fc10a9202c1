/*
 * Debian's libfdt.a is built with -fstack-protector; it needs these two
 * symbols. Cloison's own code is built without the protector. The guard is a
 * fixed pattern (there is no entropy this early); a smashed stack in libfdt
 * is a Cloison bug, so it panics.
 */
#include <cloison/printk.h>

uintptr_t __stack_chk_guard = 0x2f5d1c0a93e6b784UL;
__noreturn void __stack_chk_fail(void);

__noreturn void __stack_chk_fail(void)
{
    panic("stack protector: stack smashed in libfdt");
}
