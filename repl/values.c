/* values.c - the shell's own word lists (values.h). */
#include <stddef.h>
#include "values.h"

const char *const repl_split_names[] = {"train", "valid", "test", NULL};
const char *const repl_split_all_names[] = {"all", "train", "valid", "test", NULL};
const char *const repl_bool_words[] = {"true", "false", NULL};
const char *const repl_verbose_values[] = {"0", "1", "2", NULL};
const char *const repl_verbose01_values[] = {"0", "1", NULL};
const char *const repl_task_values[] = {"auto", "classification", "regression", NULL};
const char *const repl_terminal_values[] = {"auto", "window", "text", "sixel", NULL};
const char *const repl_update_freq_values[] = {"epoch", "batch", NULL};
const char *const repl_monitor_values[] = {"val_loss", "loss", "val_accuracy",
                                           "accuracy", NULL};
const char *const repl_format_values[] = {"table", "csv", NULL};
const char *const repl_api_values[] = {"sequential", "functional", NULL};
const char *const repl_valdata_values[] = {"valid", "test", "none", NULL};
const char *const repl_topic_names[] = {"data", "model", "train", "inspect",
                                        "plot", "files", "session", NULL};
