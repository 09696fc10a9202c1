/*
 * Shared by the unit tests of the boot-input parsers: a test data file read
 * whole (the DTBs built into UNIT_DATA_DIR), and the messages a parser hands
 * its report callback, kept for the test to look for.
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
#endif

#define TEST_MSGS_MAX 64
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

/* Some kept message contains needle. */
static inline bool test_msgs_said(const char *needle)
{
    for (int i = 0; i < test_msg_count; i++)
        if (strstr(test_msgs[i], needle))
            return true;
    return false;
}

#endif
