/* See lib/pagepool.h. */
#include <lib/pagepool.h>
#include <string.h>

void pagepool_init(struct pagepool *pp, const struct pagepool_source *src, bool elastic)
{
    *pp = (struct pagepool){.free = NULL, .total = 0, .nfree = 0, .elastic = elastic, .src = src};
}

static void push(struct pagepool *pp, void *page)
{
    *(void **)page = pp->free;
    pp->free = page;
    pp->nfree++;
}

static void *pop(struct pagepool *pp)
{
    void *page = pp->free;
    if (page) {
        pp->free = *(void **)page;
        pp->nfree--;
    }
    return page;
}

void *pagepool_take(struct pagepool *pp)
{
    void *page = pop(pp);
    if (!page && pp->elastic) {
        page = pp->src->get(pp->src->ctx);
        pp->total += page != NULL;
    }
    if (page)
        memset(page, 0, PAGEPOOL_PAGE_SIZE);
    return page;
}

void pagepool_give(struct pagepool *pp, void *page)
{
    push(pp, page);
}

enum pagepool_rc pagepool_resize(struct pagepool *pp, size_t pages, size_t *budget)
{
    pp->elastic = false;
    while (pp->total != pages) {
        if (budget && *budget == 0)
            return PAGEPOOL_AGAIN;
        if (pp->total < pages) {
            void *page = pp->src->get(pp->src->ctx);
            if (!page)
                return PAGEPOOL_NOMEM;
            push(pp, page);
            pp->total++;
        } else {
            void *page = pop(pp);
            if (!page)
                return PAGEPOOL_NOMEM; /* the rest is in use */
            pp->src->put(pp->src->ctx, page);
            pp->total--;
        }
        if (budget)
            (*budget)--;
    }
    return PAGEPOOL_DONE;
}

size_t pagepool_drain(struct pagepool *pp)
{
    void *page;
    while ((page = pop(pp)) != NULL) {
        pp->src->put(pp->src->ctx, page);
        pp->total--;
    }
    return pp->total;
}
