/*
 * Hypercall stubs. Xen ABI: HVC #0xEA1, number in x16, arguments in x0..x4,
 * result in x0; x16 and the argument registers may be clobbered, which the
 * C prototypes' caller-saved registers already cover.
 */
    .text
/* long xen_hypercall(unsigned long nr, unsigned long a0, ..., unsigned long a4) */
    .globl xen_hypercall
xen_hypercall:
    mov     x16, x0
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    mov     x3, x4
    mov     x4, x5
    hvc     #0xea1
    ret

/* unsigned long smccc_hvc(unsigned long fid, unsigned long a1, a2, a3): SMCCC over HVC #0. */
    .globl smccc_hvc
smccc_hvc:
    hvc     #0
    ret

/* Same over SMC #0 (for a psci node with method = "smc"). */
    .globl smccc_smc
smccc_smc:
    smc     #0
    ret

/* HVC with an immediate the hypervisor does not know: must be UNDEFINED. */
    .globl hvc_bad_imm, hvc_bad_imm_insn
hvc_bad_imm:
hvc_bad_imm_insn:
    hvc     #0x1234
    ret
