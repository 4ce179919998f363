/* datapath.c - where the shipped files are (lessons, data/iris.csv):
 * repl_data_path, and whether a path is a readable file. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "repl.h"

int repl_file_readable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, R_OK) == 0;
}

const char *repl_data_path(const char *rel, char *buf, size_t len)
{
    const char *env = getenv("NNLAB_DATA");
    if (env && *env) {
        snprintf(buf, len, "%s/%s", env, rel);
        if (repl_file_readable(buf))
            return buf;
    }
#ifdef NNLAB_SRCDIR
    snprintf(buf, len, "%s/lessons/%s", NNLAB_SRCDIR, rel);
    if (repl_file_readable(buf))
        return buf;
#endif
#ifdef NNLAB_DATADIR
    snprintf(buf, len, "%s/%s", NNLAB_DATADIR, rel);
#else
    snprintf(buf, len, "%s", rel);
#endif
    return repl_file_readable(buf) ? buf : NULL;
}
