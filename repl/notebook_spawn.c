/* notebook_spawn.c - record FILE.ipynb and lesson notebook=: a second
 * nnlab makes the notebook (notebook_spawn.h). */
#ifdef HAVE_CONFIG_H
#include <config.h>        /* HAVE_KERNEL (the fuzz harnesses build without) */
#endif
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "notebook_spawn.h"

extern char **environ;

int repl_notebook_run(repl_session *s, const char *cmd, const char *script,
                      const char *out)
{
#ifndef HAVE_KERNEL
    (void)script;
    (void)out;
    return repl_error(s, cmd, "notebooks need nnlab built with the Jupyter "
                      "kernel: install libzmq3-dev libjansson-dev libssl-dev "
                      "(Debian), then ./configure and make again");
#else
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->seed);
    char *argv[] = {"nnlab", "--seed", seed, "--notebook", (char *)script,
                    (char *)out, "--execute", NULL};
    fflush(stdout);
    fflush(stderr);
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ);
    if (rc != 0)
        return repl_error(s, cmd, "cannot start nnlab again to run the "
                          "notebook: %s", strerror(rc));
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return repl_error(s, cmd, "lost the nnlab that runs the notebook: "
                              "%s", strerror(errno));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 1 && access(out, F_OK) == 0)
        return repl_error(s, cmd, "a cell failed; %s holds the cells up to "
                          "the error, with it", out);
    return repl_error(s, cmd, "%s was not written (see the message above)",
                      out);
#endif
}

int repl_notebook_record(repl_session *s, const char *out)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/nnlab-record-XXXXXX.nnl",
             dir && *dir ? dir : "/tmp");
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return repl_error(s, "record", "cannot make a temporary file: %s",
                          strerror(errno));
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
        return repl_error(s, "record", "out of memory");
    }
    /* a blank line between commands: one code cell each */
    for (int i = 0; i < s->nlog; i++)
        fprintf(f, "%s\n\n", s->log[i]);
    int bad = fclose(f) != 0;
    int r = bad ? repl_error(s, "record", "cannot write '%s'", path)
                : repl_notebook_run(s, "record", path, out);
    unlink(path);
    return r;
}
