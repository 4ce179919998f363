/* lesson_file.h - a lesson file read into lines and steps
 * (lesson_file.c), for `lesson` (cmd_lesson.c).
 *
 * A lesson is a plain script whose comment blocks are the teacher's text:
 * its first comment line is its title, "# requires: ..." lines are for
 * the test runner, and a step is a comment block and the commands that
 * follow it, up to the next comment block. */
#ifndef REPL_LESSON_FILE_H
#define REPL_LESSON_FILE_H

typedef struct lesson_line {
    int lineno;
    int comment;          /* a '#' line: prose */
    char *text;           /* without the newline (and a CR) */
} lesson_line;

typedef struct lesson {
    lesson_line *lines;
    int nlines;
    char *title;          /* the first comment line, cleaned; or "" */
    int *step_start;      /* index in lines of each step's first line */
    int nsteps;
} lesson;

/* Reads the file at path into l; name is the lesson's name (for the
 * title).  0, or -1 with errno set. */
int lesson_read(lesson *l, const char *path, const char *name);
void lesson_free(lesson *l);
/* The title of the lesson at path (the first comment line, malloc'd), or
 * NULL; *need is set to what it requires and is missing here (a hint for
 * the list: "needs ..."), or NULL. */
char *lesson_title(const char *path, const char *name, const char **need);
/* Prints the prose of the comment lines that open [from, to) of l's
 * lines: empty lines ("#" alone) separate paragraphs; those at the ends
 * are left out. */
void lesson_print_prose(const lesson *l, int from, int to);

#endif
