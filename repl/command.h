/* command.h - how a command is declared: once, in its own file.
 *
 * A command is a name, a topic, a summary, its full help, its positional
 * words and an array of keyword options (repl_opt), each with its type,
 * its default, its range or values and one line of help.  Everything else
 * is generated from that one declaration (opts.c): the usage line (help,
 * error messages, the README's command reference), the list of keywords
 * the dispatcher accepts (run.c), the completion of keywords and their
 * values (complete.c), and the checking of a value with its default and
 * range in the handler (repl_opt_int & co.).
 *
 * Commands whose first word picks what they do (`data csv FILE ...`,
 * `callback earlystopping ...`, `plot history ...`) declare forms: each
 * form has the word(s) that select it, its positional words and its own
 * options.  The usage line is the forms' lines joined by " | ".
 *
 * docs/ARCHITECTURE.md shows a worked example. */
#ifndef REPL_COMMAND_H
#define REPL_COMMAND_H

#include <float.h>
#include <limits.h>

struct repl_session;
struct repl_args;

/* What a keyword's value is. */
typedef enum repl_opt_type {
    REPL_T_TEXT,      /* any word the handler reads itself (a name, a list) */
    REPL_T_INT,       /* a whole number within [min, max] */
    REPL_T_NUM,       /* a finite number within [min, max] */
    REPL_T_POS,       /* a number > 0 (rejects 0, NaN and inf) */
    REPL_T_FRAC,      /* a fraction, strictly between 0 and 1 */
    REPL_T_BOOL,      /* true/false (yes/no, 1/0, on/off) */
    REPL_T_ENUM,      /* one of values */
    REPL_T_LIST,      /* comma-separated words, each one of values */
    REPL_T_LAYER,     /* a layer name of the current model */
    REPL_T_FILE       /* a file (or folder) path */
} repl_opt_type;

typedef struct repl_opt {
    const char *name;            /* keyword; "LAYER.units" is NAME.units
                                    for any layer NAME */
    repl_opt_type type;
    const char *shown;           /* the usage's text after '=' ("32",
                                    "NAME", "valid|test|none"); NULL:
                                    accepted but left out of the usage */
    const char *def;             /* the default as typed ("32", "true",
                                    "valid"), or NULL: none, or it depends
                                    on the session (the handler says) */
    double min, max;             /* INT and NUM: the inclusive range */
    const char *const *values;   /* ENUM and LIST: the words allowed */
    const char *help;            /* one line */
    int required;                /* usage shows key=X, not [key=X] */
    int tuned;                   /* search tries a list of its values (a
                                    hyperparameter: learning_rate=0.01,0.1) */
    const char *join;            /* shown inside the brackets of the keyword
                                    before it, after this: " | " (one or the
                                    other), " " (together) */
} repl_opt;

#define REPL_END {0}

/* A form: `data csv FILE ...`.  word is the first positional word (or two
 * words, "lr_schedule onecycle") that selects it; NULL for the form taken
 * when no other matches.  args is the usage of its positional words after
 * word ("FILE", "[N]").  A hidden form is left out of the usage line (its
 * options are still accepted and completed). */
typedef struct repl_form {
    const char *word;
    const char *args;
    const repl_opt *opts;        /* REPL_END-terminated, or NULL */
    int hidden;
    int minpos, maxpos;          /* positional words after word, when the
                                    handler checks them by form (plot) */
} repl_form;

typedef int (*repl_handler)(struct repl_session *s, const struct repl_args *a);

/* What the positional words are, for completion. */
typedef enum repl_pos_kind {
    REPL_POS_NONE,
    REPL_POS_WORDS,     /* from the entry's pos_values */
    REPL_POS_LAYER,     /* a layer name of the current model */
    REPL_POS_FILE,      /* a file path */
    REPL_POS_COMMAND,   /* a command name (help) */
    REPL_POS_FORMS      /* the first word of one of the entry's forms */
} repl_pos_kind;

typedef struct repl_cmd {
    const char *name;
    const char *topic;        /* data, model, train, inspect, plot, files,
                                 session */
    repl_handler run;
    /* usage and keys are generated from args, opts and forms when the
     * table is assembled (opts.c): declarations leave them NULL. */
    const char *usage;        /* "fit [epochs=1] [batch_size=32] ..." */
    const char *summary;      /* one line, for the list */
    const char *help;         /* the full text: what, an example, the Keras
                                 or scikit-learn call it mirrors */
    const char *keys;         /* every keyword, space-separated */
    int minpos, maxpos;       /* positional word counts allowed */
    repl_pos_kind pos_kind;
    const char *const *pos_values;   /* for REPL_POS_WORDS */
    const char *args;         /* positional words, for the usage line
                                 ("UNITS", "[SHAPE]"); unused with forms */
    const repl_opt *opts;     /* keywords of every form, REPL_END-ended */
    const repl_form *forms;   /* {NULL}-ended, or NULL */
} repl_cmd;

/* ---- generated from the declarations (opts.c) ---- */

/* The usage line of c, as `help` prints it (malloc'd). */
char *repl_usage_of(const repl_cmd *c);
/* Every keyword c accepts (its options, then each form's, once each),
 * space-separated (malloc'd). */
char *repl_keys_of(const repl_cmd *c);
/* The declaration of keyword key in c (c's options, then its forms'),
 * matching "LAYER.x" patterns; NULL when c does not declare it. */
const repl_opt *repl_opt_find(const repl_cmd *c, const char *key);
/* The form the positional words select (pos[0], or "pos[0] pos[1]"), or
 * the form with word NULL, or NULL. */
const repl_form *repl_form_of(const repl_cmd *c, int npos, char *const *pos);
/* The form of c whose word is exactly w ("csv", "lr_schedule onecycle"),
 * or NULL. */
const repl_form *repl_form_named(const repl_cmd *c, const char *w);
/* The declaration of key for the positional words pos: the command's
 * own, then the form the words pick (plot hist's n=500, not images'
 * n=16), then any form's (data reads n= for a CSV file too, and gets the
 * generated sets' declaration); NULL when c does not declare key. */
const repl_opt *repl_opt_for(const repl_cmd *c, int npos, char *const *pos,
                            const char *key);
/* The declaration of key in c's own options or form f's, or NULL. */
const repl_opt *repl_form_opt(const repl_cmd *c, const repl_form *f, const char *key);
/* 1 when form f (or the command itself) declares key. */
int repl_form_takes(const repl_cmd *c, const repl_form *f, const char *key);
/* The keywords of c's own options and of form f (NULL: none), once each,
 * space-separated, in declaration order (malloc'd; "" when none). */
char *repl_form_keys(const repl_cmd *c, const repl_form *f);
/* 1 at the all-zero entry that ends a command's forms. */
int repl_form_end(const repl_form *f);
/* The usage line of form f alone: "plot hist weights|grads|activations
 * [LAYER] [split=train|valid|test] [n=500]" (malloc'd). */
char *repl_form_usage(const repl_cmd *c, const repl_form *f);
/* The first words of c's forms, once each, in order, NULL-terminated
 * (made once, kept for the session): what the first positional may be. */
const char *const *repl_form_words(const repl_cmd *c);
/* The index of the form of c whose word is w (the first word of a
 * two-word form counts), or -1. */
int repl_form_index(const repl_cmd *c, const char *w);
/* What follows the form word w (completion): the second words of
 * two-word forms ("lr_schedule onecycle"), or the alternatives that
 * open its args ("on|off"); NULL when neither (kept for the session). */
const char *const *repl_form_next_words(const repl_cmd *c, const char *w);
/* 1 when the form of word w takes a FILE or DIR next. */
int repl_form_next_is_file(const repl_cmd *c, const char *w);
/* The words a keyword's value may be (completion): an ENUM or LIST's
 * values, true/false for BOOL, or NULL. */
const char *const *repl_opt_values(const repl_opt *o);


/* ---- the table (commands.c, help.c) ---- */

/* One table per command file, each ended by an entry with name NULL. */
extern const repl_cmd repl_cmds_session[];
extern const repl_cmd repl_cmds_data[];
extern const repl_cmd repl_cmds_split[];
extern const repl_cmd repl_cmds_scale[];
extern const repl_cmd repl_cmds_show[];
extern const repl_cmd repl_cmds_model[];
extern const repl_cmd repl_cmds_merge[];
extern const repl_cmd repl_cmds_compile[];
extern const repl_cmd repl_cmds_fit[];
extern const repl_cmd repl_cmds_step[];
extern const repl_cmd repl_cmds_evaluate[];
extern const repl_cmd repl_cmds_predict[];
extern const repl_cmd repl_cmds_history[];
extern const repl_cmd repl_cmds_expect[];
extern const repl_cmd repl_cmds_callback[];
extern const repl_cmd repl_cmds_lrfind[];
extern const repl_cmd repl_cmds_weights[];
extern const repl_cmd repl_cmds_grads[];
extern const repl_cmd repl_cmds_activations[];
extern const repl_cmd repl_cmds_gradcheck[];
extern const repl_cmd repl_cmds_perceptron[];
extern const repl_cmd repl_cmds_plot[];
extern const repl_cmd repl_cmds_save[];     /* save load */
extern const repl_cmd repl_cmds_export[];   /* export keras */
extern const repl_cmd repl_cmds_lesson[];
extern const repl_cmd repl_cmds_search[];
extern const repl_cmd repl_cmds_warnings[];  /* cmd_warnings.c */
/* All of them in order, NULL-terminated (commands.c). */
extern const repl_cmd *const repl_cmd_tables[];

/* The assembled table (with the generated usage lines): all commands,
 * NULL-terminated array of pointers. */
const repl_cmd *const *repl_commands(void);
const repl_cmd *repl_find(const char *name);
/* Enumerated values of a keyword, for completion and messages
 * (activation= -> activations, loss= -> losses, ...), or NULL. */
const char *const *repl_key_values(const char *key);
/* Names of all commands, NULL-terminated, in table order (for
 * suggestions and completion). */
const char *const *repl_command_names(void);
/* The `help` handler (help.c), for the session table. */
int repl_cmd_help(struct repl_session *s, const struct repl_args *a);

#endif
