/* values.h - the shell's own lists of words a keyword or a positional may
 * take, each declared once (values.c).  The engine's lists (activations,
 * initializers, losses, metrics, optimizers, penalties) are the engine's
 * name tables (nn_act_names, ...), used as they are. */
#ifndef REPL_VALUES_H
#define REPL_VALUES_H

extern const char *const repl_split_names[];     /* train valid test */
extern const char *const repl_split_all_names[]; /* all train valid test */
extern const char *const repl_bool_words[];      /* true false */
extern const char *const repl_verbose_values[];  /* 0 1 2 */
extern const char *const repl_verbose01_values[]; /* 0 1 (callbacks, search) */
extern const char *const repl_task_values[];     /* auto classification regression */
extern const char *const repl_terminal_values[]; /* auto window text sixel */
extern const char *const repl_update_freq_values[];  /* epoch batch */
extern const char *const repl_monitor_values[];  /* val_loss loss val_accuracy accuracy */
extern const char *const repl_format_values[];   /* table csv */
extern const char *const repl_api_values[];      /* sequential functional */
extern const char *const repl_valdata_values[];  /* valid test none */
extern const char *const repl_topic_names[];   /* the topics, in help's order */

#endif
