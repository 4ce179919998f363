/* cmd_tools.c - placeholder until the training tools land. */
#include "repl.h"

const repl_cmd repl_cmds_tools[] = {{NULL}};
