/* Xen guest ABI: HVM parameters (Xen 4.17 public/hvm/params.h), the subset ARM uses. */
#ifndef PUBLIC_HVM_PARAMS_H
#define PUBLIC_HVM_PARAMS_H

#define HVM_PARAM_CALLBACK_IRQ 0
#define HVM_PARAM_STORE_PFN 1
#define HVM_PARAM_STORE_EVTCHN 2
#define HVM_PARAM_CONSOLE_PFN 17
#define HVM_PARAM_CONSOLE_EVTCHN 18
#define HVM_PARAM_MONITOR_RING_PFN 28
#define HVM_NR_PARAMS 39

/* CALLBACK_IRQ value: type in bits 63:56, flags 15:8, PPI INTID 7:0. */
#define HVM_PARAM_CALLBACK_TYPE_PPI 2ULL
#define HVM_PARAM_CALLBACK_TYPE_SHIFT 56
#define HVM_PARAM_CALLBACK_PPI_FLAG_LEVEL_LOW 2ULL /* bit 9 active-low, bit 8 edge clear */

#endif
