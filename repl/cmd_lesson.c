/* placeholder until the lesson commands land. */
#include "repl.h"

const repl_cmd repl_cmds_lesson[] = {{NULL}};
