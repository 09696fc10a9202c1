/* The EL2 physical timer (CNTHP_*_EL2): Cloison's own time source. */
#include <cloison/arch.h>
#include <asm/sysreg.h>

#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)

void hyptimer_program(uint64_t cval)
{
    write_sysreg(cnthp_cval_el2, cval);
    write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
    isb();
}

void hyptimer_stop(void)
{
    write_sysreg(cnthp_ctl_el2, CNT_CTL_IMASK);
    isb();
}
