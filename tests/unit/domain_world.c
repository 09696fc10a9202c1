/* The domain tests' world: see domain_world.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <cloison/errno.h>
#include <core/domain.h>
#include <core/domain_event.h>
#include <core/sched.h>
#include <core/vcpu.h>
#include "domain_world.h"
#include "fakes/lock_fake.h"
#include "fakes/p2m_fake.h"
#include "fakes/sched_fake.h"
#include "fakes/timer_fake.h"

char trace[1024];
char fail_part;
int part_bad;
long pages0;
static long heap0;
static unsigned int p2m0;

void bad(const char *why)
{
    fprintf(stderr, "  wrong: %s\n", why);
    part_bad++;
}

void note(const char *fmt, ...)
{
    size_t n = strlen(trace);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(trace + n, sizeof(trace) - n, fmt, ap);
    va_end(ap);
}

/* ---- three parts, as the layers above register them ---- */

/* Inits run once the vCPUs (and a domU's RAM) exist; destroys before they go. */
static void check_built(const struct domain *d)
{
    if (d->nr_vcpus != d->cfg.vcpus)
        bad("a part saw the vCPUs missing");
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (!d->vcpus[i] || d->vcpus[i]->domain != d)
            bad("a part saw a vCPU missing");
    if (!d->cfg.is_dom0 && d->ram_size != ALIGN_UP(d->cfg.memory_kib * 1024, PAGE_SIZE))
        bad("a part saw the RAM missing");
}

static int part_init(struct domain *d, char name)
{
    check_built(d);
    note("+%c ", name);
    return fail_part == name ? -ENOMEM : 0;
}
static void part_start(struct domain *d, char name)
{
    note("s%c ", name);
    if (d->state != DOM_RUNNING || d->vcpus[0]->placed) /* before the vCPUs get pCPUs */
        bad("a start ran after the vCPUs were placed");
}
static void part_destroy(struct domain *d, char name)
{
    check_built(d);
    note("-%c ", name);
}
static int init_a(struct domain *d)
{
    return part_init(d, 'a');
}
static int init_b(struct domain *d)
{
    return part_init(d, 'b');
}
static int init_c(struct domain *d)
{
    return part_init(d, 'c');
}
static void start_a(struct domain *d)
{
    part_start(d, 'a');
}
static void start_c(struct domain *d)
{
    part_start(d, 'c');
}
static void destroy_a(struct domain *d)
{
    part_destroy(d, 'a');
}
static void destroy_b(struct domain *d)
{
    part_destroy(d, 'b');
}
static void destroy_c(struct domain *d)
{
    part_destroy(d, 'c');
}

/* ---- two listeners: S(hutting down), D (shut down), K (killed), X (destroyed) ---- */

static void listen(int n, enum domain_event ev, uint16_t domid, struct domain *d)
{
    static const char letter[] = {'S', 'D', 'K', 'X'};
    note("%d%c%u ", n, letter[ev], domid);
    if (ev == DOMAIN_DESTROYED ? d != NULL : !d || d->id != domid || d->state == DOM_RUNNING)
        bad("a listener got the wrong domain");
    /* Shutting down: its vCPUs not stopped yet; shut down or killed: all
     * stopped. */
    for (unsigned int i = 0; d && ev != DOMAIN_DESTROYED && i < d->nr_vcpus; i++)
        if ((d->vcpus[i]->state == VCPU_DEAD) != (ev != DOMAIN_SHUTTING_DOWN))
            bad("a listener saw the vCPUs in the wrong state");
    /* No lock held but the reaper's own around DOMAIN_DESTROYED. */
    if (fake_locks_held != (ev == DOMAIN_DESTROYED))
        bad("a listener ran under a lock");
}
static void listener1(enum domain_event ev, uint16_t domid, struct domain *d)
{
    listen(1, ev, domid, d);
}
static void listener2(enum domain_event ev, uint16_t domid, struct domain *d)
{
    listen(2, ev, domid, d);
}

/* boot/compose.c's reaper hook. */
static void reap_hook(struct vcpu *next)
{
    domain_reap(next);
}

/* Part b's answer to "do others map this domain's memory?" */
bool world_in_use;
static bool in_use_b(const struct domain *d)
{
    (void)d;
    return world_in_use;
}

static void setup_world(void)
{
    static bool registered;
    if (registered)
        return;
    static const struct domain_part parts[] = {
        {"a", init_a, start_a, destroy_a, NULL, NULL},
        {"b", init_b, NULL, destroy_b, in_use_b, NULL},
        {"c", init_c, start_c, destroy_c, NULL, NULL},
    };
    for (unsigned int i = 0; i < ARRAY_SIZE(parts); i++)
        domain_register_part(&parts[i]);
    domain_add_event_listener(listener1);
    domain_add_event_listener(listener2);
    sched_add_entry_hook(reap_hook);
    timer_irq_init();
    registered = true;
}

void setup(bool boot_done)
{
    setup_world();
    if (boot_done)
        domain_boot_done();
    fake_timer_reset();
    fake_sched_reset(2);
    fake_heap_fail_in = fake_page_fail_in = 0;
    world_in_use = false;
    fake_page_max_order = 64;
    fail_part = 0;
    part_bad = 0;
    trace[0] = 0;
    heap0 = fake_heap_live;
    pages0 = fake_pages_live;
    p2m0 = fake_p2m_live;
}

/* Everything the domains of this test took is back. */
bool all_freed(void)
{
    return fake_heap_live == heap0 && fake_pages_live == pages0 && fake_p2m_live == p2m0;
}

struct domain_cfg cfg(const char *name, uint64_t kib, uint32_t vcpus)
{
    struct domain_cfg c;
    memset(&c, 0, sizeof(c));
    strcpy(c.name, name);
    c.memory_kib = kib;
    c.vcpus = vcpus;
    return c;
}

struct domain *start(const struct domain_cfg *c)
{
    struct domain *d = domain_create(c);
    if (d)
        domain_start(d, 0x40080000, 0x48000000);
    return d;
}

static void reap_idle(void)
{
    domain_reap(NULL);
}

enum fake_exit reap_on(unsigned int cpu)
{
    return fake_run_on(cpu, reap_idle);
}

/* A pass of every pCPU: dead vCPUs leave them and the reaper runs. */
void pass_all(void)
{
    for (unsigned int c = 0; c < nr_pcpus; c++)
        fake_sched_pass(c);
}

bool destroy(struct domain *d)
{
    uint16_t id = d->id;
    domain_shutdown(d, SHUTDOWN_poweroff);
    pass_all();
    struct domain *left = domain_get(id);
    if (left)
        domain_put(left);
    return !left;
}
