/* fakes/domlist_fake.h */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <cloison/printk.h>
#include "domlist_fake.h"

char fake_log[2048];
static struct domain *list[FAKE_DOMLIST];

void fake_domlist_reset(void)
{
    memset(list, 0, sizeof(list));
    fake_log[0] = 0;
}

void fake_domlist_add(struct domain *d)
{
    for (unsigned int i = 0; i < FAKE_DOMLIST; i++)
        if (!list[i]) {
            list[i] = d;
            return;
        }
}

struct domain *domain_get_next(uint16_t min_id)
{
    struct domain *best = NULL;
    for (unsigned int i = 0; i < FAKE_DOMLIST; i++)
        if (list[i] && list[i]->id >= min_id && (!best || list[i]->id < best->id))
            best = list[i];
    return best;
}

void domain_put(struct domain *d)
{
    (void)d;
}

void printk(const char *fmt, ...)
{
    size_t n = strlen(fake_log);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fake_log + n, sizeof(fake_log) - n, fmt, ap);
    va_end(ap);
    n = strlen(fake_log);
    if (n + 1 < sizeof(fake_log)) {
        fake_log[n] = '\n';
        fake_log[n + 1] = 0;
    }
}
