/* output.h - where a figure goes, and the gnuplot lines that send it there.
 *
 * The rule (issue 4): to=FILE writes a file chosen by its extension (.png
 * with pngcairo when gnuplot has it, else png; .svg; .pdf with pdfcairo;
 * .txt with dumb); otherwise a window when there is a display and gnuplot
 * has a window terminal (qt, wxt, x11, aqua); otherwise text in the
 * terminal (dumb, sized to the terminal, in colour when the terminal takes
 * it), or sixel (sixelgd) when asked. */
#ifndef PLOT_OUTPUT_H
#define PLOT_OUTPUT_H

#include "script.h"

typedef enum plot_dest {
    PLOT_DEST_FILE,
    PLOT_DEST_WINDOW,
    PLOT_DEST_TEXT,
    PLOT_DEST_SIXEL
} plot_dest;

typedef enum plot_color {
    PLOT_MONO,        /* plain characters */
    PLOT_ANSI,        /* 8 colours */
    PLOT_ANSI256,
    PLOT_ANSIRGB      /* 24-bit */
} plot_color;

/* What the person asked for and what there is. */
typedef struct plot_env {
    const char *want;        /* "auto", "window", "text", "sixel" (NULL: auto) */
    const char *to;          /* file name, or NULL */
    int w, h;                /* size asked (pixels; characters for text), 0 = auto */
    int size_for_text;       /* w, h were given for this plot (apply to text
                                too); else only sizes that fit a terminal do */
    const char *terminals;   /* GPVAL_TERMINALS; NULL when there is no gnuplot */
    int display;             /* $DISPLAY or $WAYLAND_DISPLAY is set */
    int cols, rows;          /* the terminal's size, 0 when not a terminal */
    plot_color color;        /* what the terminal shows */
} plot_env;

typedef struct plot_out {
    plot_dest dest;
    char term[16];           /* gnuplot terminal; "" for the text fallback */
    char path[1024];         /* the file, for PLOT_DEST_FILE */
    int w, h;                /* pixels as asked (0 = the figure's own);
                                for text always set: characters */
    plot_color color;        /* text */
    int fallback;            /* no gnuplot: nnlab draws the text itself */
    int quiet;               /* a file no one asked for (a figure the
                                Jupyter kernel shows): no "wrote" line */
} plot_out;

/* Chooses; returns 0, or -1 with msg (unknown extension, no window, ...). */
int plot_out_choose(const plot_env *env, plot_out *o, char *msg, size_t len);

/* Whether o is text (dumb or the fallback), where figures draw in
 * characters. */
int plot_out_is_text(const plot_out *o);

/* The size a figure gets: o's when set, else the figure's own (pixels). */
void plot_out_size(const plot_out *o, int fig_w, int fig_h, int *w, int *h);

/* "set terminal ... / set output ..." for o at size w x h, with a window
 * title; and what closes the output (so a file is complete). */
void plot_out_begin(plot_buf *b, const plot_out *o, int w, int h,
                    const char *title);
void plot_out_end(plot_buf *b, const plot_out *o);

#endif
