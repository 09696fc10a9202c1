/* The PV console ring halves: wrap-around, full/empty, hostile indices. */
#include "harness.h"
#include <xen/pvconsole.h>
#include <public/io/console.h>

static struct xencons_interface r;

TEST(out_take_wraps_and_consumes)
{
    memset(&r, 0, sizeof(r));
    r.out_cons = r.out_prod = 0xfffffff0u; /* free-running indices about to wrap */
    for (int i = 0; i < 40; i++)
        r.out[(r.out_prod + i) & (XENCONS_OUT_SIZE - 1)] = (char)('a' + i % 26);
    r.out_prod += 40;
    char buf[64];
    CHECK_EQ(pvcons_out_take(&r, buf, 16), 16);
    CHECK_EQ(buf[0], 'a');
    CHECK_EQ(r.out_cons, 0x00000000u);
    CHECK_EQ(pvcons_out_take(&r, buf, sizeof(buf)), 24);
    CHECK_EQ(buf[23], (char)('a' + 39 % 26));
    CHECK_EQ(r.out_cons, r.out_prod);
    CHECK_EQ(pvcons_out_take(&r, buf, sizeof(buf)), 0);
}

TEST(out_take_refuses_impossible_indices)
{
    memset(&r, 0, sizeof(r));
    r.out_prod = XENCONS_OUT_SIZE + 1; /* more pending than the ring holds */
    char buf[8];
    CHECK_EQ(pvcons_out_take(&r, buf, sizeof(buf)), -1);
    CHECK_EQ(r.out_cons, 0);
    r.out_prod = 0;
    r.out_cons = 5; /* consumer ahead of producer: also impossible */
    CHECK_EQ(pvcons_out_take(&r, buf, sizeof(buf)), -1);
}

TEST(in_put_fills_to_capacity)
{
    memset(&r, 0, sizeof(r));
    r.in_cons = r.in_prod = 1000;
    char big[2000];
    memset(big, 'x', sizeof(big));
    CHECK_EQ(pvcons_in_put(&r, big, sizeof(big)), XENCONS_IN_SIZE);
    CHECK_EQ(r.in_prod - r.in_cons, XENCONS_IN_SIZE);
    CHECK_EQ(pvcons_in_put(&r, "y", 1), 0); /* full */
    r.in_cons += 10;
    CHECK_EQ(pvcons_in_put(&r, "hello", 5), 5);
    CHECK_EQ(r.in[(r.in_prod - 5) & (XENCONS_IN_SIZE - 1)], 'h');
    r.in_cons = r.in_prod + 1; /* guest claims to have read more than was put */
    CHECK_EQ(pvcons_in_put(&r, "z", 1), -1);
}
