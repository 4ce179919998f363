/* kernel_main.h - main.c's entries into the Jupyter kernel (kernel.h);
 * without HAVE_KERNEL, main.c says which packages build it. */
#ifndef REPL_KERNEL_MAIN_H
#define REPL_KERNEL_MAIN_H

#include <stdint.h>

/* Serves the kernel described by the connection file Jupyter wrote, until
 * a shutdown_request.  The exit status. */
int repl_kernel_main(const char *connection_file, uint64_t seed);

/* --install-kernel [--user | --prefix=DIR] [--program=PATH]: the options
 * after it.  The exit status. */
int repl_kernel_install(int argc, char **argv);

/* --notebook FILE.nnl [OUT.ipynb] [--execute] (notebook.c). */
int repl_notebook_main(int argc, char **argv, uint64_t seed);

#endif
