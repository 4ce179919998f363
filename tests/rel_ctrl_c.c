/* rel_ctrl_c.c - Ctrl-C reaches a script that is being run, whenever it
 * arrives.
 *
 * Regression (fuzz_cmd): repl_run_line cleared the Ctrl-C flag before each
 * command, so a Ctrl-C that arrived while a line of a `run` script (or of
 * a lesson) was being parsed was forgotten, and the whole script ran on.
 * Here the flag is raised just before `run`'s handler starts, as such a
 * Ctrl-C would: the script must stop before its first line, with one
 * error line, and change nothing.  Then the same script runs in full once
 * the flag is down.  Ends with "ctrl_c: N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "repl.h"
#include "rel_check.h"


int main(void)
{
    char dir[] = "/tmp/nnlab-ctrl-c.XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("rel_ctrl_c: scratch folder");
        return 99;
    }
    FILE *f = fopen("a.nnl", "w");
    if (!f)
        return 99;
    fputs("seed 1\nset verbose=2\nseed 3\n", f);
    fclose(f);

    repl_session s;
    repl_session_init(&s, 42);
    s.src_file = "rel_ctrl_c";
    s.src_line = 1;
    fflush(stdout);

    repl_interrupted = 1;              /* Ctrl-C as `run a.nnl` starts */
    int errors = s.errors;
    int r = repl_run_line(&s, "run a.nnl");
    check(r != 0, "run with a Ctrl-C pending fails");
    check(s.seed == 42 && s.verbose == 1, "no line of the script ran");
    check(s.errors == errors + 1, "one error line");

    repl_interrupted = 0;              /* the prompt clears it */
    r = repl_run_line(&s, "run a.nnl");
    check(r == 0 && s.seed == 3 && s.verbose == 2,
          "without Ctrl-C the script runs in full");

    repl_session_free(&s);
    unlink("a.nnl");
    if (chdir("/") == 0)
        rmdir(dir);
    return rel_done("ctrl_c");
}
