/* cmd_io.c - placeholder until saving and export land. */
#include "repl.h"

const repl_cmd repl_cmds_io[] = {{NULL}};
