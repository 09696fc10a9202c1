/*
 * libFuzzer: the hypervisor command line (boot/bootargs.c) on arbitrary
 * bytes (up to the first NUL). Properties: every option keeps a value in its
 * documented range, string options stay NUL-terminated inside their buffer,
 * and the problem count matches the lines reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <boot/bootargs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int reports;

static void report(const char *msg)
{
    if (strncmp(msg, "bootargs: ", 10) != 0)
        abort();
    reports++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hv_options o;
    char *line = malloc(size + 1);

    if (!line)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    bootargs_defaults(&o);
    reports = 0;
    int problems = bootargs_parse(line, &o, report);
    if (problems != reports || problems < 0)
        abort();
    if (o.loglvl < LOGLVL_NONE || o.loglvl > LOGLVL_ALL || o.loglvl_upper < LOGLVL_NONE ||
        o.loglvl_upper > LOGLVL_ALL || o.guest_loglvl < LOGLVL_NONE ||
        o.guest_loglvl > LOGLVL_ALL || o.guest_loglvl_upper < LOGLVL_NONE ||
        o.guest_loglvl_upper > LOGLVL_ALL)
        abort();
    if (o.sched > HV_SCHED_RTDS || !memchr(o.dtuart, '\0', sizeof(o.dtuart)))
        abort();
    free(line);
    return 0;
}
