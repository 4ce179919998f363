/* placeholder */ typedef int repl_placeholder_complete;
