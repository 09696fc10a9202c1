/*
 * The domain list and printk for the scheduler worlds (test_sched,
 * test_cpupool, test_sched_affinity), which have no core/domain.c:
 * domain_get_next() walks the domains a test registered, by id; printk()
 * appends to fake_log.
 */
#ifndef TESTS_UNIT_FAKES_DOMLIST_FAKE_H
#define TESTS_UNIT_FAKES_DOMLIST_FAKE_H

#include <core/domain.h>

#define FAKE_DOMLIST 8
extern char fake_log[2048];

void fake_domlist_reset(void);           /* no domain, fake_log empty */
void fake_domlist_add(struct domain *d); /* found by its d->id */

#endif
