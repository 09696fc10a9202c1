/* Xen guest ABI: sched_op (Xen 4.17 public/sched.h). */
#ifndef PUBLIC_SCHED_H
#define PUBLIC_SCHED_H

#include <stdint.h>

#define SCHEDOP_yield 0
#define SCHEDOP_block 1
#define SCHEDOP_shutdown 2
#define SCHEDOP_poll 3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code 5
#define SCHEDOP_watchdog 6
#define SCHEDOP_pin_override 7

struct sched_shutdown {
    uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown layout");

/* SCHEDOP_poll: block until one of ports[] is pending or the timeout. */
struct sched_poll {
    uint64_t ports; /* guest handle: uint32_t ports[nr_ports] */
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout; /* absolute system time, ns; 0 = none */
};
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll layout");

/* SCHEDOP_remote_shutdown: the control domain shuts another domain down. */
struct sched_remote_shutdown {
    uint16_t domain_id;
    uint16_t pad;
    uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown layout");

/* SCHEDOP_watchdog: id 0 allocates one, timeout in seconds (0 = stop). */
struct sched_watchdog {
    uint32_t id;
    uint32_t timeout;
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog layout");

#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX 5

#endif
