/* bootargs_parse(): Xen's option names, syntax and defaults; bad input reported. */
#include <stdio.h>
#include <string.h>
#include <boot/bootargs.h>
#include "harness.h"
#include "test_files.h"

static struct hv_options o;

static int parse(const char *cmdline)
{
    test_msgs_clear();
    bootargs_defaults(&o);
    return bootargs_parse(cmdline, &o, test_msgs_collect);
}

TEST(defaults)
{
    CHECK_EQ(parse(NULL), 0);
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(parse("   "), 0);
    CHECK_EQ(o.console, HV_CONSOLE_DTUART);
    CHECK_EQ(o.loglvl, LOGLVL_WARNING);
    CHECK_EQ(o.loglvl_upper, LOGLVL_WARNING);
    CHECK_EQ(o.guest_loglvl, LOGLVL_NONE);
    CHECK_EQ(o.guest_loglvl_upper, LOGLVL_WARNING);
    CHECK_EQ(o.sched, HV_SCHED_CREDIT2);
    CHECK(!o.dom0_mem_set);
    CHECK_EQ(o.conswitch, 'a');
    CHECK(o.conswitch_to_dom0);
    CHECK_EQ(o.gnttab_max_frames, 64);
    CHECK(o.ext_regions);
    CHECK(!o.sync_console);
    CHECK_STR_EQ(o.dtuart, "");
}

TEST(typical_xen_command_line)
{
    CHECK_EQ(parse("console=dtuart dtuart=serial0 dom0_mem=1G loglvl=all guest_loglvl=all "
                   "sync_console sched=null conswitch=bx dom0_max_vcpus=2 vwfi=native"),
             0);
    CHECK_EQ(test_msg_count, 0);
    CHECK_EQ(o.console, HV_CONSOLE_DTUART);
    CHECK_STR_EQ(o.dtuart, "serial0");
    CHECK(o.dom0_mem_set);
    CHECK_EQ(o.dom0_mem, 1ULL << 30);
    CHECK_EQ(o.loglvl, LOGLVL_ALL);
    CHECK_EQ(o.loglvl_upper, LOGLVL_ALL);
    CHECK_EQ(o.guest_loglvl, LOGLVL_ALL);
    CHECK(o.sync_console);
    CHECK_EQ(o.sched, HV_SCHED_NULL);
    CHECK_EQ(o.conswitch, 'b');
    CHECK(!o.conswitch_to_dom0);
    CHECK_EQ(o.dom0_max_vcpus, 2);
    CHECK(o.vwfi_native);
}

TEST(sizes)
{
    static const struct {
        const char *arg;
        unsigned long long bytes;
    } ok[] = {
        {"dom0_mem=512M", 512ULL << 20},    {"dom0_mem=512m", 512ULL << 20},
        {"dom0_mem=1024", 1024ULL << 10}, /* no unit = KiB, as Xen */
        {"dom0_mem=4096k", 4096ULL << 10},  {"dom0_mem=2T", 2ULL << 40},
        {"dom0_mem=1048576B", 1048576},     {"dom0_mem=1b", 1},
        {"dom0_mem=0x400", 0x400ULL << 10}, /* hex eats a B: no unit, KiB (as Xen) */
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        CHECK_EQ(parse(ok[i].arg), 0);
        CHECK_EQ(o.dom0_mem, ok[i].bytes);
        CHECK(o.dom0_mem_set);
    }
    CHECK_EQ(parse("dom0_mem=12Q"), 1);
    CHECK(!o.dom0_mem_set);
    CHECK(strstr(test_msgs[0], "bootargs: dom0_mem=12Q: malformed value, ignored") != NULL);
    CHECK_EQ(parse("dom0_mem=min:1G"), 1);
    CHECK_EQ(parse("dom0_mem="), 1);
    CHECK_EQ(parse("dom0_mem"), 1);
    CHECK_EQ(parse("dom0_mem=99999999999999999999"), 1);
    CHECK_EQ(parse("dom0_mem=17179869184T"), 1); /* overflows 64 bits once shifted */
}

TEST(loglvl_forms)
{
    CHECK_EQ(parse("loglvl=error/debug"), 0);
    CHECK_EQ(o.loglvl, LOGLVL_ERROR);
    CHECK_EQ(o.loglvl_upper, LOGLVL_DEBUG);
    /* upper never below lower */
    CHECK_EQ(parse("loglvl=info/error"), 0);
    CHECK_EQ(o.loglvl, LOGLVL_INFO);
    CHECK_EQ(o.loglvl_upper, LOGLVL_INFO);
    CHECK_EQ(parse("guest_loglvl=none/info"), 0);
    CHECK_EQ(o.guest_loglvl, LOGLVL_NONE);
    CHECK_EQ(o.guest_loglvl_upper, LOGLVL_INFO);
    CHECK_EQ(parse("loglvl=loud"), 1);
    CHECK_EQ(o.loglvl, LOGLVL_WARNING);
    CHECK_EQ(parse("loglvl=info/"), 1);
}

TEST(booleans_and_names)
{
    CHECK_EQ(parse("sync_console=no"), 0);
    CHECK(!o.sync_console);
    CHECK_EQ(parse("sync-console"), 0); /* '-' and '_' are the same in names */
    CHECK(o.sync_console);
    CHECK_EQ(parse("no-ext_regions"), 0);
    CHECK(!o.ext_regions);
    CHECK_EQ(parse("ext-regions=off"), 0);
    CHECK(!o.ext_regions);
    CHECK_EQ(parse("sync_console=maybe"), 1);
    CHECK(!o.sync_console);
    CHECK_EQ(parse("no-dom0_mem=1G"), 1); /* "no-" only for booleans */
    CHECK_EQ(o.p2m_pages, HV_P2M_AUTO);   /* default: the board decides */
    CHECK_EQ(parse("p2m-pages"), 0);
    CHECK_EQ(o.p2m_pages, HV_P2M_PAGES);
    CHECK_EQ(parse("no-p2m_pages"), 0);
    CHECK_EQ(o.p2m_pages, HV_P2M_BLOCKS);
    CHECK_EQ(parse("p2m_pages=touch"), 0);
    CHECK_EQ(o.p2m_pages, HV_P2M_TOUCH);
    CHECK_EQ(parse("p2m_pages=on"), 0);
    CHECK_EQ(o.p2m_pages, HV_P2M_PAGES);
    CHECK_EQ(parse("p2m_pages=sometimes"), 1);
    CHECK_EQ(parse("no-p2m_pages=touch"), 1);
    CHECK_EQ(o.p2m_pages, HV_P2M_AUTO);
    CHECK_EQ(parse("conswitch"), 1); /* other values of their own need one */
    CHECK_EQ(o.conswitch, 'a');
    CHECK_EQ(parse("no-conswitch"), 1);
    CHECK(o.bootscrub); /* Xen's default (idle): zeroed */
    CHECK_EQ(parse("bootscrub=false"), 0);
    CHECK(!o.bootscrub);
    CHECK_EQ(parse("bootscrub=idle"), 0);
    CHECK(o.bootscrub);
    CHECK_EQ(parse("bootscrub=0 bootscrub=sometimes"), 1);
    CHECK(!o.bootscrub);
}

TEST(console_and_sched)
{
    CHECK_EQ(parse("console=none"), 0);
    CHECK_EQ(o.console, HV_CONSOLE_NONE);
    CHECK_EQ(parse("console=none,dtuart"), 0);
    CHECK_EQ(o.console, HV_CONSOLE_DTUART);
    CHECK_EQ(parse("console=com1"), 1);
    CHECK_EQ(o.console, HV_CONSOLE_DTUART);
    CHECK_EQ(parse("sched=credit"), 0);
    CHECK_EQ(o.sched, HV_SCHED_CREDIT);
    CHECK_EQ(parse("sched=arinc653"), 0);
    CHECK_EQ(o.sched, HV_SCHED_ARINC653);
    CHECK_EQ(parse("sched=fifo"), 1);
    CHECK_EQ(o.sched, HV_SCHED_CREDIT2);
    CHECK_EQ(parse("conswitch=1"), 1);
    CHECK_EQ(parse("conswitch=ab"), 1);
    CHECK_EQ(parse("conswitch=c"), 0);
    CHECK_EQ(o.conswitch, 'c');
    CHECK(o.conswitch_to_dom0);
    CHECK_EQ(parse("vwfi=sometimes"), 1);
}

TEST(unknown_and_long_options_reported_rest_applied)
{
    char longopt[400];

    CHECK_EQ(parse("frobnicate=3 dom0_mem=256M\tnosuchflag loglvl=debug"), 2);
    CHECK_EQ(test_msg_count, 2);
    CHECK_STR_EQ(test_msgs[0], "bootargs: unknown option 'frobnicate', ignored");
    CHECK_STR_EQ(test_msgs[1], "bootargs: unknown option 'nosuchflag', ignored");
    CHECK_EQ(o.dom0_mem, 256ULL << 20);
    CHECK_EQ(o.loglvl, LOGLVL_DEBUG);

    memset(longopt, 'x', sizeof(longopt));
    memcpy(longopt, "dtuart=", 7);
    memcpy(longopt + sizeof(longopt) - 12, " loglvl=all", 12);
    CHECK_EQ(parse(longopt), 1);
    CHECK(strstr(test_msgs[0], "longer than 255 bytes") != NULL);
    CHECK_EQ(o.loglvl, LOGLVL_ALL);
    CHECK_EQ(parse("dtuart=/a/very/long/path/that/does/not/fit/in/sixty/four/bytes/at/all/really"),
             1);
    CHECK_STR_EQ(o.dtuart, "");
    CHECK_EQ(parse("gnttab_max_frames=4294967296"), 1);
    CHECK_EQ(parse("gnttab_max_frames=128"), 0);
    CHECK_EQ(o.gnttab_max_frames, 128);
    CHECK_EQ(o.vmid_bits, 0); /* default: the CPU's width */
    CHECK_EQ(parse("vmid_bits=4"), 0);
    CHECK_EQ(o.vmid_bits, 4);
    CHECK_EQ(parse("vmid_bits=four"), 1);
    CHECK_EQ(o.vmid_bits, 0); /* reported, left at the default */
    CHECK_EQ(o.ipa_bits, 0);  /* default: what the layout and the host need */
    CHECK_EQ(parse("ipa_bits=44"), 0);
    CHECK_EQ(o.ipa_bits, 44);
    /* No report callback: still parsed, problems still counted. */
    bootargs_defaults(&o);
    CHECK_EQ(bootargs_parse("bogus sync_console", &o, NULL), 1);
    CHECK(o.sync_console);
}
