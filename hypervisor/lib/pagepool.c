/* See lib/pagepool.h. */
#include <lib/pagepool.h>
#include <string.h>

void pagepool_init(struct pagepool *pp, const struct pagepool_source *src, bool elastic)
{
    *pp = (struct pagepool){
        .free = NULL, .total = 0, .nfree = 0, .size = 0, .elastic = elastic, .src = src};
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
    if (!page && (pp->elastic || pp->total < pp->size)) {
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

/* Give free pages back until it holds `pages`; false if the rest is in use. */
static bool shrink_to(struct pagepool *pp, size_t pages, size_t *budget)
{
    while (pp->total > pages && (!budget || *budget)) {
        void *page = pop(pp);
        if (!page)
            return false;
        pp->src->put(pp->src->ctx, page);
        pp->total--;
        if (budget)
            (*budget)--;
    }
    return true;
}

static enum pagepool_rc resize_held(struct pagepool *pp, size_t pages, size_t *budget)
{
    while (pp->total < pages) {
        if (budget && *budget == 0)
            return PAGEPOOL_AGAIN;
        void *page = pp->src->get(pp->src->ctx);
        if (!page)
            return PAGEPOOL_NOMEM;
        push(pp, page);
        pp->total++;
        if (budget)
            (*budget)--;
    }
    if (!shrink_to(pp, pages, budget))
        return PAGEPOOL_NOMEM; /* the rest is in use */
    return pp->total == pages ? PAGEPOOL_DONE : PAGEPOOL_AGAIN;
}

enum pagepool_rc pagepool_resize(struct pagepool *pp, size_t pages, size_t *budget)
{
    pp->elastic = false;
    enum pagepool_rc rc = resize_held(pp, pages, budget);
    pp->size = pp->total; /* held in full, or as large as it got */
    return rc;
}

enum pagepool_rc pagepool_set_size_lazy(struct pagepool *pp, size_t pages)
{
    if (pagepool_used(pp) > pages)
        return PAGEPOOL_NOMEM;
    pp->elastic = false;
    shrink_to(pp, pages, NULL); /* enough free pages: the check above */
    pp->size = pages;
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
