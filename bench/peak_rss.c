/* peak_rss.c - a preload library that reports a process's peak memory.
 *
 *   cc -shared -fPIC -o peak_rss.so bench/peak_rss.c
 *   PLEDGE_BENCH_RSS=FILE LD_PRELOAD=./peak_rss.so pledge batch ...
 *
 * When a process that has it loaded exits through exit() (returning from
 * main), it appends one line to FILE:
 *
 *   PID SELF_KB CHILDREN_KB
 *
 * SELF_KB is getrusage(RUSAGE_SELF)'s ru_maxrss, the process's own peak
 * resident set; CHILDREN_KB is RUSAGE_CHILDREN's, the largest peak of any
 * child it has waited for.  For `pledge batch` that is the parent alone
 * and its largest worker: the workers end with _exit(), which skips this,
 * and the parent waits for every worker before it returns.
 *
 * GNU time cannot tell the two apart: the rusage wait4() gives it carries
 * the larger of the process's own peak and its children's, so its
 * "Maximum resident set size" is the larger of the two figures here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

__attribute__((destructor)) static void peak_rss_report(void)
{
    struct rusage self, children;
    const char *path = getenv("PLEDGE_BENCH_RSS");
    FILE *f;

    if (path == NULL || *path == '\0' ||
        getrusage(RUSAGE_SELF, &self) != 0 ||
        getrusage(RUSAGE_CHILDREN, &children) != 0)
        return;
    /* Appending one short line: runs of the same command add up. */
    if ((f = fopen(path, "a")) == NULL)
        return;
    fprintf(f, "%ld %ld %ld\n", (long)getpid(), self.ru_maxrss,
            children.ru_maxrss);
    fclose(f);
}
