/*
 * ASSERT and ASSERT_HELD (cloison/assert.h) on the host: a true condition
 * goes on, a false one panics, which the host panic() turns into a message
 * on stderr and abort(). The failing cases run in a child process.
 */
#define _POSIX_C_SOURCE 200809L /* fork, pipe, dup2 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include <cloison/assert.h>

/* Run fn in a child; true if it died of SIGABRT after printing `expect`. */
static bool aborts_with(void (*fn)(void), const char *expect)
{
    int fds[2];
    if (pipe(fds) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        fn();
        _exit(0); /* reached only if nothing fired */
    }
    close(fds[1]);
    char out[512] = "";
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(out) - 1 && (n = read(fds[0], out + len, sizeof(out) - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(out, expect);
}

static int answer = 42;

static void assert_false(void)
{
    ASSERT(answer == 41);
}

static void assert_free_lock_held(void)
{
    spinlock_t l = SPINLOCK_INIT;
    ASSERT_HELD(&l);
}

TEST(true_condition_goes_on)
{
    ASSERT(answer == 42);
    CHECK(answer == 42);
}

TEST(false_condition_panics_with_file_line_and_text)
{
    CHECK(aborts_with(assert_false, "test_assert.c:"));
    CHECK(aborts_with(assert_false, "ASSERT(answer == 41) failed"));
}

TEST(held_lock_passes)
{
    spinlock_t l = SPINLOCK_INIT;
    l.next++; /* as a ticket taken and being served */
    ASSERT_HELD(&l);
    CHECK(spin_is_locked(&l));
}

TEST(free_lock_fails)
{
    CHECK(aborts_with(assert_free_lock_held, "ASSERT(spin_held_here(&l)) failed"));
}
