/* placeholder */ typedef int repl_placeholder_run;
