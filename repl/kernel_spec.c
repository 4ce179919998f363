/* kernel_spec.c - nnlab --install-kernel: the kernelspec Jupyter finds
 * nnlab by (kernel.json and the logos), written where `python -m ipykernel
 * install` would write its own:
 *     --user        $XDG_DATA_HOME/jupyter/kernels/nnlab (default
 *                   ~/.local/share/jupyter/kernels/nnlab)
 *     --prefix=DIR  DIR/share/jupyter/kernels/nnlab
 *     (neither)     /usr/local/share/jupyter/kernels/nnlab
 * kernel.json starts the nnlab that wrote it (or --program=PATH: make
 * install names the installed one), with interrupt_mode signal: Jupyter's
 * interrupt is a SIGINT, which stops fit, search and lrfind after the
 * current batch as Ctrl-C does.  Files are written to a temporary name and
 * renamed. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <config.h>
#include <jansson.h>
#include "kernel_main.h"
#include "run.h"

/* mkdir -p path (mode 0755). 0 or -1 (errno). */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == 0) {
            char c = *p;
            *p = 0;
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

/* data (n bytes) into dir/name through dir/.name.tmp. 0 or -1 (errno). */
static int write_file(const char *dir, const char *name, const char *data,
                      size_t n)
{
    char tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    int bad = fwrite(data, 1, n, f) != n;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, dst) != 0) {
        int e = errno;
        unlink(tmp);
        errno = e ? e : EIO;
        return -1;
    }
    return 0;
}

static int copy_logo(const char *dir, const char *name)
{
    char rel[64], src[PATH_MAX];
    snprintf(rel, sizeof rel, "kernel/%s", name);
    if (!repl_data_path(rel, src, sizeof src))
        return 1;                         /* not shipped here: no logo */
    FILE *f = fopen(src, "rb");
    if (!f)
        return 1;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    int big = !feof(f);
    fclose(f);
    if (big || n == 0)
        return 1;
    return write_file(dir, name, buf, n);
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("nnlab: --install-kernel: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nusage: nnlab --install-kernel [--user | --prefix=DIR] "
          "[--program=PATH]\n", stderr);
    return 2;
}

int repl_kernel_install(int argc, char **argv)
{
    int user = 0;
    const char *prefix = NULL, *program = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--user"))
            user = 1;
        else if (!strncmp(argv[i], "--prefix=", 9) && argv[i][9])
            prefix = argv[i] + 9;
        else if (!strncmp(argv[i], "--program=", 10) && argv[i][10])
            program = argv[i] + 10;
        else
            return usage_error("unknown option '%s'", argv[i]);
    }
    if (user && prefix)
        return usage_error("give --user or --prefix=DIR, not both%s", "");
    char dir[PATH_MAX], self[PATH_MAX];
    int n;
    if (user) {
        const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        if (xdg && *xdg)
            n = snprintf(dir, sizeof dir, "%s/jupyter/kernels/nnlab", xdg);
        else if (home && *home)
            n = snprintf(dir, sizeof dir, "%s/.local/share/jupyter/kernels/nnlab",
                         home);
        else
            return usage_error("--user needs $HOME%s", "");
    } else {
        n = snprintf(dir, sizeof dir, "%s/share/jupyter/kernels/nnlab",
                     prefix ? prefix : "/usr/local");
    }
    if (n < 0 || n >= (int)sizeof dir)
        return usage_error("the folder name is too long%s", "");
    if (!program) {
        ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
        if (len <= 0) {
            fprintf(stderr, "nnlab: --install-kernel: cannot tell where this "
                    "nnlab is; give --program=PATH\n");
            return 1;
        }
        self[len] = 0;
        program = self;
    }
    json_t *spec = json_pack("{s:[s, s, s], s:s, s:s, s:s, s:{s:s}}", "argv",
                             program, "--kernel", "{connection_file}",
                             "display_name", "nnlab", "language", "nnlab",
                             "interrupt_mode", "signal", "metadata",
                             "nnlab_version", PACKAGE_VERSION);
    char *text = spec ? json_dumps(spec, JSON_INDENT(1)) : NULL;
    json_decref(spec);
    if (!text) {
        fprintf(stderr, "nnlab: --install-kernel: out of memory\n");
        return 1;
    }
    size_t tl = strlen(text);
    char *line = malloc(tl + 2);          /* with its newline */
    if (line) {
        memcpy(line, text, tl);
        line[tl] = '\n';
    }
    free(text);
    if (!line) {
        fprintf(stderr, "nnlab: --install-kernel: out of memory\n");
        return 1;
    }
    int bad = make_dirs(dir) < 0 ||
              write_file(dir, "kernel.json", line, tl + 1) < 0;
    free(line);
    if (bad) {
        fprintf(stderr, "nnlab: --install-kernel: cannot write %s/kernel.json: "
                "%s%s\n", dir, strerror(errno),
                user || prefix ? "" : " (try --user)");
        return 1;
    }
    int logos = 0;
    static const char *const names[2] = {"logo-64x64.png", "logo-32x32.png"};
    for (int i = 0; i < 2; i++) {
        int r = copy_logo(dir, names[i]);
        if (r < 0) {
            fprintf(stderr, "nnlab: --install-kernel: cannot write %s/%s: %s\n",
                    dir, names[i], strerror(errno));
            return 1;
        }
        logos += r == 0;
    }
    printf("installed the nnlab kernel in %s%s\n", dir,
           logos ? "" : " (no logo: lessons/kernel/ not found)");
    return 0;
}
