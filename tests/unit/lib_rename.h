/*
 * Host builds of lib/ sources that define C library names (string.c,
 * strtoul.c, printf.c) get these names prefixed with lib_, so the test binary
 * still uses the host libc (and ASan's interceptors) for itself while the
 * tests call the lib_ versions. build.mk force-includes this header, with
 * LIB_RENAME defined, for those sources only; tests include it plainly to get
 * the lib_ prototypes.
 */
#ifndef TESTS_UNIT_LIB_RENAME_H
#define TESTS_UNIT_LIB_RENAME_H

#include <stdarg.h>
#include <stddef.h>

#ifdef LIB_RENAME
#define memcpy lib_memcpy
#define memmove lib_memmove
#define memset lib_memset
#define memcmp lib_memcmp
#define memchr lib_memchr
#define strlen lib_strlen
#define strnlen lib_strnlen
#define strcmp lib_strcmp
#define strncmp lib_strncmp
#define strchr lib_strchr
#define strrchr lib_strrchr
#define strlcpy lib_strlcpy
#define strtoul lib_strtoul
#define strtoull lib_strtoull
#define vsnprintf lib_vsnprintf
#define snprintf lib_snprintf
#endif

void *lib_memcpy(void *restrict d, const void *restrict s, size_t n);
void *lib_memmove(void *d, const void *s, size_t n);
void *lib_memset(void *d, int c, size_t n);
int lib_memcmp(const void *a, const void *b, size_t n);
void *lib_memchr(const void *s, int c, size_t n);
size_t lib_strlen(const char *s);
size_t lib_strnlen(const char *s, size_t n);
int lib_strcmp(const char *a, const char *b);
int lib_strncmp(const char *a, const char *b, size_t n);
char *lib_strchr(const char *s, int c);
char *lib_strrchr(const char *s, int c);
size_t lib_strlcpy(char *d, const char *s, size_t n);
unsigned long lib_strtoul(const char *s, char **end, int base);
unsigned long long lib_strtoull(const char *s, char **end, int base);
int lib_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int lib_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
