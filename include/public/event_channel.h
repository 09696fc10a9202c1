/* Xen guest ABI: event_channel_op (Xen 4.17 public/event_channel.h). */
#ifndef PUBLIC_EVENT_CHANNEL_H
#define PUBLIC_EVENT_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t evtchn_port_t;

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13

struct evtchn_alloc_unbound {
    uint16_t dom, remote_dom;
    evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound layout");

struct evtchn_bind_interdomain {
    uint16_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain layout");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "layout");

struct evtchn_bind_virq {
    uint32_t virq, vcpu;
    evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq layout");

struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi layout");

/* close, send and unmask all take just a port. */
struct evtchn_port_arg {
    evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_port_arg) == 4, "port arg layout");

#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

struct evtchn_status {
    uint16_t dom;
    evtchn_port_t port;
    uint32_t status; /* OUT: EVTCHNSTAT_* */
    uint32_t vcpu;   /* OUT */
    union {
        struct {
            uint16_t dom;
        } unbound;
        struct {
            uint16_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status layout");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "evtchn_status layout");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "evtchn_status layout");
_Static_assert(offsetof(struct evtchn_status, u.interdomain.port) == 20, "evtchn_status layout");

struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu layout");

struct evtchn_reset {
    uint16_t dom;
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "evtchn_reset layout");

struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset, vcpu;
    uint8_t link_bits; /* OUT */
    uint8_t pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control layout");
_Static_assert(offsetof(struct evtchn_init_control, link_bits) == 16, "layout");

struct evtchn_expand_array {
    uint64_t array_gfn;
};
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "expand_array layout");

struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "set_priority layout");

/* FIFO ABI: one 32-bit event word per port in guest-supplied array pages. */
typedef uint32_t event_word_t;
#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED 30
#define EVTCHN_FIFO_LINKED 29
#define EVTCHN_FIFO_BUSY 28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1u << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1u << EVTCHN_FIFO_LINK_BITS)
#define EVTCHN_FIFO_PRIORITY_MAX 0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)

/* Per-vCPU control block, placed by EVTCHNOP_init_control. */
struct evtchn_fifo_control_block {
    uint32_t ready; /* bit q: queue q is non-empty */
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo control block layout");
_Static_assert(offsetof(struct evtchn_fifo_control_block, head) == 8, "fifo control block");

/* VIRQs. Per-vCPU ones: TIMER, DEBUG, XENOPROF, XENPMU; the rest are global. */
#define VIRQ_TIMER 0
#define VIRQ_DEBUG 1
#define VIRQ_CONSOLE 2
#define VIRQ_DOM_EXC 3
#define VIRQ_TBUF 4
#define VIRQ_DEBUGGER 6
#define VIRQ_XENOPROF 7
#define VIRQ_CON_RING 8
#define VIRQ_PCPU_STATE 9
#define VIRQ_MEM_EVENT 10
#define VIRQ_ARGO 11
#define VIRQ_ENOMEM 12
#define VIRQ_XENPMU 13
#define NR_VIRQS 24

#define EVTCHN_2L_NR_CHANNELS 4096

#endif
