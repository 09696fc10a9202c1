/* lib/bitmap.c against a bool-array model, across word boundaries and odd sizes. */
#include <stdbool.h>
#include <stdint.h>
#include "harness.h"
#include <lib/bitmap.h>
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ULL
#include "test_rng.h"

static size_t model_find(const bool *m, size_t nbits, size_t start, bool want)
{
    for (size_t i = start; i < nbits; i++) {
        if (m[i] == want)
            return i;
    }
    return nbits;
}

TEST(set_clear_test)
{
    uint64_t map[BITMAP_WORDS(130)];

    bitmap_zero(map, 130);
    CHECK_EQ(BITMAP_WORDS(130), 3);
    bitmap_set(map, 0);
    bitmap_set(map, 63);
    bitmap_set(map, 64);
    bitmap_set(map, 129);
    CHECK_EQ(map[0], 0x8000000000000001ULL);
    CHECK_EQ(map[1], 1);
    CHECK_EQ(map[2], 2);
    CHECK(bitmap_test(map, 63) && bitmap_test(map, 129) && !bitmap_test(map, 1));
    bitmap_clear(map, 63);
    CHECK(!bitmap_test(map, 63));
    CHECK_EQ(bitmap_weight(map, 130), 3);
}

TEST(find_first_zero_full_and_edges)
{
    uint64_t map[2] = {~0ULL, ~0ULL};

    CHECK_EQ(bitmap_find_first_zero(map, 128), 128); /* full: returns nbits */
    CHECK_EQ(bitmap_find_first_zero(map, 100), 100);
    map[1] = ~0ULL << 1;
    CHECK_EQ(bitmap_find_first_zero(map, 128), 64);
    CHECK_EQ(bitmap_find_first_zero(map, 64), 64); /* zero lies past nbits */
    CHECK_EQ(bitmap_find_first_set(map, 0), 0);
    CHECK_EQ(bitmap_find_next_zero(map, 128, 200), 128);
    map[0] = 0;
    map[1] = 0;
    CHECK_EQ(bitmap_find_first_set(map, 128), 128);
    CHECK_EQ(bitmap_find_first_zero(map, 128), 0);
}

TEST(random_against_model)
{
    static const size_t sizes[] = {1, 63, 64, 65, 127, 128, 200, 4096};

    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t n = sizes[s];
        uint64_t map[BITMAP_WORDS(4096)];
        bool model[4096] = {false};

        bitmap_zero(map, n);
        for (int step = 0; step < 3000; step++) {
            size_t bit = rnd() % n, start = rnd() % (n + 2);

            if (rnd() % 3) {
                bitmap_set(map, bit);
                model[bit] = true;
            } else {
                bitmap_clear(map, bit);
                model[bit] = false;
            }
            CHECK_EQ(bitmap_test(map, bit), model[bit]);
            CHECK_EQ(bitmap_find_next_zero(map, n, start), model_find(model, n, start, false));
            CHECK_EQ(bitmap_find_next_set(map, n, start), model_find(model, n, start, true));
        }
        CHECK_EQ(bitmap_find_first_zero(map, n), model_find(model, n, 0, false));
        {
            size_t w = 0;

            for (size_t i = 0; i < n; i++)
                w += model[i];
            CHECK_EQ(bitmap_weight(map, n), w);
        }
    }
}
