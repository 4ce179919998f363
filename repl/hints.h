/* hints.h - the shell's command hints for the engine's messages.  The
 * engine says what is wrong in its own terms ("the model is not
 * compiled"); the shell, where it prints such a message, adds which
 * command puts it right ("; run compile loss=... optimizer=... first"). */
#ifndef REPL_HINTS_H
#define REPL_HINTS_H

/* The hint to print after the engine message msg ("" when none): print
 * "%s%s", msg, repl_hint(msg).  A message another one was wrapped around
 * ("...: its compile settings are refused: ...") gets the hint of the
 * message it ends with. */
const char *repl_hint(const char *msg);

#endif
