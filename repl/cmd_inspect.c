/* placeholder */
#include "repl.h"
const repl_cmd repl_cmds_inspect[] = {{NULL}};
