/* Minimal stdlib for the freestanding tree: libfdt needs strtoul. */
#ifndef LIB_STDLIB_H
#define LIB_STDLIB_H
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
#endif
