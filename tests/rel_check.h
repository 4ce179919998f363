/* rel_check.h - the PASS/FAIL lines of the small C regression programs
 * (rel_ctrl_c, rel_engine): check() prints one line per check, and
 * rel_done() the "NAME: N passed, N failed" line .ci/run adds up, and
 * gives the exit status. */
#ifndef REL_CHECK_H
#define REL_CHECK_H
#include <stdio.h>

static int rel_pass, rel_fail;

static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    if (ok)
        rel_pass++;
    else
        rel_fail++;
}

static int rel_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, rel_pass, rel_fail);
    return rel_fail ? 1 : 0;
}

#endif
