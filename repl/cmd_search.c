/* placeholder until the search commands land. */
#include "repl.h"

const repl_cmd repl_cmds_search[] = {{NULL}};
