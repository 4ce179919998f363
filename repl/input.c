/* placeholder */ typedef int repl_placeholder_input;
