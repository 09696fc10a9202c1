/*
 * memcheck: fills 512 KiB of its RAM with a pattern only this domain can
 * know (seeded from the counter at boot and the round number), then re-reads
 * it, round after round, for 1.5 s of guest time. Run many at once beside VMID
 * rollovers: a stage-2 TLB entry left over from another domain, or a VMID
 * shared by two domains, shows up as a wrong word (or a wrong word in the
 * other domain).
 */
#include "guest.h"

const char test_name[] = "memcheck";

#define WORDS (512 * 1024 / 8)
#define RUN_MS 1500

static uint64_t buf[WORDS] __attribute__((aligned(4096)));

static uint64_t pattern(uint64_t seed, uint64_t i)
{
    uint64_t x = seed ^ (i * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    return x ^ (x >> 29);
}

void test_main(void)
{
    uint64_t freq = cntfrq(), t0 = cntvct();
    uint64_t seed = t0 ^ ((uint64_t)(uintptr_t)&seed << 17);
    unsigned rounds = 0;
    do {
        uint64_t s = seed + rounds;
        for (uint64_t i = 0; i < WORDS; i++)
            buf[i] = pattern(s, i);
        for (uint64_t i = 0; i < WORDS; i++)
            if (buf[i] != pattern(s, i))
                test_fail("round %u word %llu: 0x%llx expected 0x%llx", rounds,
                          (unsigned long long)i, (unsigned long long)buf[i],
                          (unsigned long long)pattern(s, i));
        rounds++;
    } while (cntvct() - t0 < freq * RUN_MS / 1000);
    test_pass("rounds=%u", rounds);
}
