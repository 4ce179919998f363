/* notebook.h - nnlab scripts as Jupyter notebooks (nbformat 4.5), built
 * with the kernel (HAVE_KERNEL: jansson).
 *
 *   notebook.c       a script into cells: each comment block a Markdown
 *                    cell, each run of commands a code cell; the
 *                    notebook's JSON, written to a temporary name and
 *                    renamed
 *   notebook_exec.c  --execute: every code cell run in one session, its
 *                    output (stream, figures, the error) stored in it
 *
 * nnlab --notebook FILE.nnl [OUT.ipynb] [--execute] is notebook_main. */
#ifndef REPL_NOTEBOOK_H
#define REPL_NOTEBOOK_H

#include <stdint.h>
#include <jansson.h>
#include "kernel_main.h"

/* The notebook of the script at path (nbformat 4.5, kernelspec nnlab):
 * NULL with why filled when it cannot be read. */
json_t *nb_from_script(const char *path, char *why, size_t len);
/* Writes nb to path (path.tmp, then renamed).  0, or -1 with errno. */
int nb_write(const json_t *nb, const char *path);
/* Runs every code cell of nb in a fresh session seeded with seed, storing
 * outputs and execution counts; stops at the first cell with an error (the
 * cells after it keep no outputs).  0, or -1 after an error in a cell. */
int nb_execute(json_t *nb, uint64_t seed);

#endif
