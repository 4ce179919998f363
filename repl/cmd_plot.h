/* cmd_plot.h - what the plot command's files share (private to them).
 *
 *   cmd_plot.c       the command: its table entry, its words, the checks
 *                    made before anything is drawn, and the dispatch
 *   plot_render.c    where a built figure goes: the session's gnuplot,
 *                    the output chosen, the script saved, the text shown;
 *                    and fit's plot=live redraw
 *   plot_session.c   what the figures read from the session: the splits,
 *                    the model, a layer by name
 *   plot_curves.c    history, activation and lr
 *   plot_layers.c    hist: weights, gradients or activations per layer
 *   plot_data.c      the data with the model: boundary, regression,
 *                    confusion, images
 *   gradlog.c        fit's record of gradient norms (plot grads)
 *
 * Builders return 0 with the job built, -1 with e filled (the caller
 * says it) or after repl_error, or -2 after repl_error. */
#ifndef REPL_CMD_PLOT_H
#define REPL_CMD_PLOT_H

#include "repl.h"
#include "plots.h"

/* ---- plot_render.c ---- */

/* gnuplot running (or known missing), and the output o chosen for the
 * terminal want ("auto", "window", ...), the file to (or NULL) and the
 * size w x h (0: the default).  note gets a line to print once the figure
 * is known to be drawable.  0, or -1 after repl_error(s, cmd, ...). */
int repl_plot_prepare(repl_session *s, const char *cmd, const char *want,
                      const char *to, int w, int h, int size_for_text,
                      plot_out *o, char *note, size_t notelen);
/* Draws job on o (and saves its script first when script is not NULL).
 * live: a redraw during fit (clears a text screen first; failures are
 * notes, not errors, so training goes on).  0 or -1. */
int repl_plot_render(repl_session *s, const char *cmd, plot_job *job,
                     const plot_out *o, const char *script, const char *note,
                     int live);

/* ---- plot_session.c ---- */

/* 0 when there is data to plot, else -1 after an error saying how to
 * load some. */
int repl_plot_need_data(repl_session *s);
/* The model when it has layers to run, else NULL. */
nn_model *repl_plot_model(repl_session *s);
/* Node named name, or -1 after an error that lists the layers. */
int repl_plot_find_layer(repl_session *s, const char *name);

/* ---- the builders ---- */

/* plot_curves.c */
int repl_plot_history(repl_session *s, const repl_args *a, plot_job *job,
                      const plot_out *o, nn_err *e);
int repl_plot_activation(repl_session *s, const repl_args *a, plot_job *job,
                         const plot_out *o, nn_err *e);
int repl_plot_lr(repl_session *s, plot_job *job, const plot_out *o, nn_err *e);
/* plot_layers.c */
int repl_plot_hist(repl_session *s, const repl_args *a, plot_job *job,
                   const plot_out *o, nn_err *e);
/* plot_data.c: layer < 0 for the model's output, else node layer's unit. */
int repl_plot_boundary(repl_session *s, const repl_args *a, int layer,
                       int unit, plot_job *job, const plot_out *o, nn_err *e);
int repl_plot_regression(repl_session *s, const repl_args *a, plot_job *job,
                         const plot_out *o, nn_err *e);
int repl_plot_confusion(repl_session *s, const repl_args *a, plot_job *job,
                        const plot_out *o, nn_err *e);
int repl_plot_images(repl_session *s, const repl_args *a, plot_job *job,
                     const plot_out *o, nn_err *e);

#endif
