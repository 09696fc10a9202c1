/* See lib/report.h. */
#include <lib/printf.h>
#include <lib/report.h>

void report_v(void (*report)(const char *msg), const char *who, const char *where, const char *fmt,
              va_list ap)
{
    char msg[REPORT_MSG_LEN];

    if (!report)
        return;
    int n = where ? snprintf(msg, sizeof(msg), "%s: %s: ", who, where)
                  : snprintf(msg, sizeof(msg), "%s: ", who);
    if (n < 0 || (size_t)n >= sizeof(msg))
        n = 0;
    vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    report(msg);
}
