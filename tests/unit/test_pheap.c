/*
 * lib/pheap.c against a model: random inserts, removals of any node and of
 * the minimum, with equal keys; the minimum must always be the model's, and
 * draining gives the keys in order.
 */
#include <string.h>
#include "harness.h"
#include <lib/pheap.h>
#define TEST_RNG_SEED 0x2545F4914F6CDD1DULL
#include "test_rng.h"

#define NODES 3000

static struct pheap_node nodes[NODES];
static bool in[NODES];

static uint64_t model_min(void)
{
    uint64_t m = UINT64_MAX;
    for (int i = 0; i < NODES; i++)
        if (in[i] && nodes[i].key < m)
            m = nodes[i].key;
    return m;
}

TEST(empty_and_single)
{
    struct pheap h = {0};
    CHECK(pheap_min(&h) == NULL);
    nodes[0].key = 5;
    pheap_insert(&h, &nodes[0]);
    CHECK(pheap_min(&h) == &nodes[0]);
    pheap_remove(&h, &nodes[0]);
    CHECK(pheap_min(&h) == NULL);
}

TEST(random_against_a_model)
{
    struct pheap h = {0};
    memset(in, 0, sizeof(in));
    for (int step = 0; step < 200000; step++) {
        uint64_t r = rnd();
        int i = (int)(r % NODES);
        switch ((r >> 32) % 4) {
        case 0:
        case 1:
            if (!in[i]) {
                nodes[i].key = (r >> 40) % 500; /* many equal keys */
                pheap_insert(&h, &nodes[i]);
                in[i] = true;
            }
            break;
        case 2:
            if (in[i]) {
                pheap_remove(&h, &nodes[i]);
                in[i] = false;
            }
            break;
        default:
            if (pheap_min(&h)) {
                struct pheap_node *m = pheap_min(&h);
                pheap_remove(&h, m);
                in[m - nodes] = false;
            }
            break;
        }
        if (step % 101 == 0) {
            uint64_t want = model_min();
            struct pheap_node *m = pheap_min(&h);
            CHECK(want == UINT64_MAX ? m == NULL : m && m->key == want);
        }
    }
    uint64_t last = 0, last_seq = 0;
    while (pheap_min(&h)) {
        struct pheap_node *m = pheap_min(&h);
        CHECK(m->key >= last);
        CHECK(m->key > last || m->seq > last_seq || last == 0); /* ties: insertion order */
        last = m->key;
        last_seq = m->seq;
        CHECK(in[m - nodes]);
        in[m - nodes] = false;
        pheap_remove(&h, m);
    }
    for (int i = 0; i < NODES; i++)
        CHECK(!in[i]);
}
