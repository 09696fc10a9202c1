/*
 * Shared by the unit tests of the boot-input parsers: a test data file read
 * whole (the DTBs built into UNIT_DATA_DIR), opened with room for a test's
 * edits when libfdt is included first, and the messages a parser hands its
 * report callback, kept for the test to look for.
 */
#ifndef TEST_FILES_H
#define TEST_FILES_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef UNIT_DATA_DIR
#define TEST_FILE_MAX (256 * 1024)

/* UNIT_DATA_DIR/name in a zeroed TEST_FILE_MAX buffer (free it), or NULL if
 * missing or empty. */
static inline void *test_file_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", UNIT_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    void *buf = calloc(1, TEST_FILE_MAX);
    size_t n = fread(buf, 1, TEST_FILE_MAX, f);
    fclose(f);
    if (!n) {
        free(buf);
        return NULL;
    }
    return buf;
}

#ifdef FDT_MAGIC /* libfdt.h came first */
/* UNIT_DATA_DIR/name opened into its whole TEST_FILE_MAX buffer, so a test
 * can add and grow properties (free it); NULL if missing or not a tree. */
static inline void *test_dtb_load(const char *name)
{
    void *fdt = test_file_load(name);
    if (fdt && fdt_open_into(fdt, fdt, TEST_FILE_MAX) != 0) {
        free(fdt);
        fdt = NULL;
    }
    return fdt;
}
#endif
#endif

#define TEST_MSGS_MAX 128
static char test_msgs[TEST_MSGS_MAX][320];
static int test_msg_count;

/* The report callback: keeps the first TEST_MSGS_MAX messages. */
static inline void test_msgs_collect(const char *m)
{
    if (test_msg_count < TEST_MSGS_MAX)
        snprintf(test_msgs[test_msg_count++], sizeof(test_msgs[0]), "%s", m);
}

static inline void test_msgs_clear(void)
{
    test_msg_count = 0;
}

/* Some kept message contains a, and b too unless b is NULL. */
static inline bool test_msgs_said_both(const char *a, const char *b)
{
    for (int i = 0; i < test_msg_count; i++)
        if (strstr(test_msgs[i], a) && (!b || strstr(test_msgs[i], b)))
            return true;
    return false;
}

/* Some kept message contains needle. */
static inline bool test_msgs_said(const char *needle)
{
    return test_msgs_said_both(needle, NULL);
}

#endif
