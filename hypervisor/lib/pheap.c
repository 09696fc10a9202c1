/* lib/pheap.h: a pairing heap (two-pass merge of the root's children). */
#include <lib/pheap.h>

/* Two roots (no siblings, no parent) into one; the smaller key wins. */
static struct pheap_node *meld(struct pheap_node *a, struct pheap_node *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (b->key < a->key || (b->key == a->key && b->seq < a->seq)) {
        struct pheap_node *t = a;
        a = b;
        b = t;
    }
    b->prev = a;
    b->next = a->child;
    if (a->child)
        a->child->prev = b;
    a->child = b;
    return a;
}

/* A list of sibling subtrees into one tree: meld them in pairs left to
 * right, then the pairs right to left (what makes removal O(log n)
 * amortised). Iterative: the pairs go on a stack linked through next. */
static struct pheap_node *merge_pairs(struct pheap_node *first)
{
    struct pheap_node *pairs = NULL;
    while (first) {
        struct pheap_node *a = first, *b = a->next;
        first = b ? b->next : NULL;
        a->next = a->prev = NULL;
        if (b)
            b->next = b->prev = NULL;
        struct pheap_node *m = meld(a, b);
        m->next = pairs;
        pairs = m;
    }
    struct pheap_node *root = NULL;
    while (pairs) {
        struct pheap_node *n = pairs;
        pairs = n->next;
        n->next = NULL;
        root = meld(root, n);
    }
    return root;
}

void pheap_insert(struct pheap *h, struct pheap_node *n)
{
    n->child = n->next = n->prev = NULL;
    n->seq = h->seq++;
    h->root = meld(h->root, n);
}

void pheap_remove(struct pheap *h, struct pheap_node *n)
{
    struct pheap_node *sub = merge_pairs(n->child);
    if (n == h->root) {
        h->root = sub;
    } else {
        /* Out of its sibling list: prev is its parent if it is the first. */
        if (n->prev->child == n)
            n->prev->child = n->next;
        else
            n->prev->next = n->next;
        if (n->next)
            n->next->prev = n->prev;
        h->root = meld(h->root, sub);
    }
    n->child = n->next = n->prev = NULL;
}
