#!/usr/bin/env python3
"""pty_test.py - nnlab at a real terminal (a pseudo-terminal), as a person
types at it: Ctrl-D in the middle of a line, Ctrl-C on a half-typed line,
Ctrl-C during a long fit, step, lrfind and search, Tab completion (command
names, keywords, values, layer names, file names), the Up arrow and the
history kept from one session to the next, Ctrl-D on an empty line to
leave.

The terminal is TERM=dumb with INPUTRC=/dev/null: readline's own emacs
keymap, nothing from the user's ~/.inputrc.  Tab and the arrow keys are
bound there too (readline binds ESC [ A / ESC [ B itself, whatever the
terminal), so the test presses them as a person would.

    pty_test.py NNLAB

Each step waits for what nnlab must show (the prompt, a table) with a time
limit, so a hang is a failure, not a stuck test.  The session's settings
are read back with `set` after each key, so "the state is unchanged" is
checked, not assumed.  Prints PASS/FAIL per step and ends with
"pty: N passed, N failed"; exits 1 on any failure.
"""
import os
import pty
import re
import select
import signal
import sys
import tempfile
import time

PROMPT = b"nnlab> "
TIMEOUT = float(os.environ.get("PTY_TIMEOUT", "20"))


class Session:
    def __init__(self, argv, home):
        env = dict(os.environ)
        env.update({"HOME": home, "XDG_STATE_HOME": home, "TERM": "dumb",
                    "INPUTRC": "/dev/null", "LC_ALL": "C", "COLUMNS": "80",
                    "LINES": "24", "NNLAB_GNUPLOT": "/nonexistent/gnuplot",
                    "OPENBLAS_NUM_THREADS": "1"})
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.buf = b""
        self.seen = b""     # everything, for the failure report

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:      # EIO: the other side closed
            data = b""
        if not data:
            raise EOFError
        self.buf += data
        self.seen += data
        return True

    def expect(self, pattern, timeout=TIMEOUT):
        """Waits for pattern (bytes regex); returns the text before it and
        drops everything up to its end."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern, re.S)
        while True:
            m = rx.search(self.buf)
            if m:
                before = self.buf[:m.start()]
                self.buf = self.buf[m.end():]
                return before + m.group(0)
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("waited %.0f s for %r" % (timeout, pattern))
            try:
                self.read(left)
            except EOFError:
                raise TimeoutError("nnlab ended while waiting for %r" % pattern)

    def send(self, data):
        os.write(self.fd, data)

    def wait(self, timeout=TIMEOUT):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            try:
                self.read(0.1)
            except EOFError:
                pass
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise TimeoutError("nnlab did not end")


def settings(s):
    """Runs `set` and returns {name: value}."""
    s.send(b"set\r")
    text = s.expect(rb"size += \S+\r?\n")
    s.expect(PROMPT)
    return dict((k.decode(), v.decode()) for k, v in
                re.findall(rb"(\w+) += (\S+)", text))


def main():
    if len(sys.argv) != 2:
        print("usage: pty_test.py NNLAB", file=sys.stderr)
        return 2
    nnlab = os.path.abspath(sys.argv[1])
    home = tempfile.mkdtemp(prefix="nnlab-pty.")
    results = []

    def step(name, fn):
        try:
            fn()
            results.append(True)
            print("PASS %s" % name)
        except Exception as e:   # a failed check, a timeout, nnlab gone
            results.append(False)
            print("FAIL %s: %s" % (name, e))
            tail = s.seen[-600:].decode("utf-8", "replace")
            print("  last output:\n    " + "\n    ".join(tail.splitlines()))
        sys.stdout.flush()

    s = Session([nnlab, "--seed", "42"], home)

    def start():
        s.expect(PROMPT)
        s.send(b"set verbose=2\r")
        s.expect(PROMPT)
        assert settings(s)["verbose"] == "2", "set verbose=2 did not take"
    step("prompt, a command, set", start)

    def ctrl_d_mid_line():
        # Ctrl-D on a line with text deletes (nothing, at its end): the
        # shell stays, and the line goes on where it was
        s.send(b"set verb")
        s.expect(rb"set verb")
        s.send(b"\x04")
        time.sleep(0.3)
        s.send(b"ose=0\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["verbose"] == "0", "after Ctrl-D mid-line, verbose is %s" % got["verbose"]
    step("Ctrl-D in the middle of a line keeps the shell and the line", ctrl_d_mid_line)

    def ctrl_d_after_cursor_move():
        # Ctrl-D with the cursor inside the text deletes the character
        # under it (readline's delete-char), nothing more
        s.send(b"set verbose=12")
        s.expect(rb"set verbose=12")
        s.send(b"\x02\x04")          # Ctrl-B (left), Ctrl-D (delete "2")
        time.sleep(0.3)
        s.send(b"\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["verbose"] == "1", "verbose is %s, wanted 1" % got["verbose"]
    step("Ctrl-D inside a line deletes one character", ctrl_d_after_cursor_move)

    def ctrl_c_half_line():
        s.send(b"set verbose=2")
        s.expect(rb"set verbose=2")
        s.send(b"\x03")
        s.expect(PROMPT)
        got = settings(s)
        assert got["verbose"] == "1", "a line dropped by Ctrl-C ran: verbose %s" % got["verbose"]
    step("Ctrl-C drops a half-typed line, the state unchanged", ctrl_c_half_line)

    def bad_line():
        s.send(b"set verbose=7\r")
        out = s.expect(PROMPT)
        assert b"error: set: verbose" in out, "no error line"
        assert settings(s)["verbose"] == "1"
    step("a bad line: one error, the state unchanged", bad_line)

    def ctrl_c_fit():
        for line in (b"data xor n=2000", b"input", b"dense 64 activation=relu",
                     b"dense 1 activation=sigmoid",
                     b"compile loss=binary_crossentropy metrics=accuracy"):
            s.send(line + b"\r")
            s.expect(PROMPT)
        s.send(b"fit epochs=100000 verbose=2\r")
        s.expect(rb"Epoch 3/100000", timeout=60)   # training, some epochs done
        s.send(b"\x03")
        out = s.expect(PROMPT, timeout=30)
        assert b"Interrupted" in out, "no word of the interruption"
        s.send(b"history\r")
        out = s.expect(PROMPT)
        assert re.search(rb"epoch +loss", out), "no history after Ctrl-C"
        s.send(b"evaluate\r")
        out = s.expect(PROMPT)
        assert b"loss" in out and b"error" not in out, "evaluate after Ctrl-C failed"
    step("Ctrl-C during fit stops it; the model and history stay usable", ctrl_c_fit)

    def ctrl_c_step():
        s.send(b"step 100000 batch_size=1000\r")
        s.expect(rb"step \d+: loss", timeout=60)
        s.send(b"\x03")
        out = s.expect(PROMPT, timeout=30)
        assert b"Interrupted" in out, "no word of the interruption"
        s.send(b"summary\r")
        s.expect(rb"Total params")
        s.expect(PROMPT)
    step("Ctrl-C during step stops it", ctrl_c_step)

    def ctrl_c_lrfind():
        s.send(b"lrfind steps=100000 batch_size=500\r")
        s.expect(rb"lrfind: 100000 batches", timeout=60)
        time.sleep(0.5)
        s.send(b"\x03")
        out = s.expect(PROMPT, timeout=30)
        assert b"interrupted (Ctrl-C)" in out, "no word of the interruption"
        assert b"model restored" in out, "the model was not restored"
        s.send(b"evaluate\r")
        out = s.expect(PROMPT)
        assert b"loss" in out and b"error" not in out, "evaluate after lrfind failed"
    step("Ctrl-C during lrfind stops it and restores the model", ctrl_c_lrfind)

    # ---- Tab completion (repl/complete.c) ----
    # Each completed line is run with Enter and judged by what it does:
    # a line Tab did not complete is an unknown command, an unknown value
    # or a missing file, and fails.

    def tab_command():
        s.send(b"summ\t")
        s.expect(rb"summary ")       # the rest of the name, and a space
        s.send(b"\r")
        out = s.expect(PROMPT)
        assert b"Total params" in out, "summ<Tab> did not run summary"
        s.send(b"help summ\t\r")     # help's word is a command name too
        out = s.expect(PROMPT)
        assert b"usage: summary" in out, "help summ<Tab> did not show summary's help"
    step("Tab completes a command name (summ -> summary, help summ)", tab_command)

    def tab_keyword():
        # "fit epo" -> "fit epochs=" with no space after '=', so the value
        # typed next sticks to it
        s.send(b"fit epo\t")
        s.expect(rb"fit epochs=")
        s.send(b"1 verbose=2\r")
        out = s.expect(PROMPT, timeout=60)
        # (epochs count on from the ones trained before: "Epoch 12/12")
        assert re.search(rb"Epoch (\d+)/\1\r?\n", out), "fit epo<Tab>1 did not fit one epoch"
        # a keyword already on the line is not offered again: Tab only
        # rings the bell (then Ctrl-C drops the line)
        s.send(b"fit epochs=1 epo")
        s.expect(rb"fit epochs=1 epo")
        s.send(b"\t")
        out = s.expect(rb"\x07")
        assert b"chs" not in out, "epochs= offered a second time"
        s.send(b"\x03")
        s.expect(PROMPT)
    step("Tab completes a keyword (fit epo -> epochs=, no space)", tab_keyword)

    def tab_values():
        # compile's keywords and their values: loss, optimizer, metrics
        # (los<Tab> stops at "loss": loss= and loss_weights= both fit)
        s.send(b"compile loss=binary_cr\topt\tsg\tmetrics=acc\t\r")
        out = s.expect(PROMPT)
        assert re.search(rb"compiled: loss=binary_crossentropy optimizer=sgd\(.*"
                         rb"metrics=accuracy", out), "compile line not completed"
        # a split name (evaluate's word) and a setting's value
        s.send(b"evaluate tr\t\r")
        out = s.expect(PROMPT)
        assert b"train (2000 samples) - loss" in out, "evaluate tr<Tab> is not train"
        s.send(b"set terminal=te\t\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["terminal"] == "text", "terminal is %s, wanted text" % got["terminal"]
    step("Tab completes values (loss, optimizer, metric, split, setting)", tab_values)

    def tab_layer():
        s.send(b"weights dense_\t\r")   # the model's layers: dense, dense_1
        out = s.expect(PROMPT)
        assert b"dense_1: Dense(1, activation=sigmoid)" in out, \
            "weights dense_<Tab> did not show dense_1"
        # search's LAYER.units, LAYER.activation keys: one per Dense layer,
        # and the activation names after dense.activation= ("ta" stops at
        # tanh, which tanh_shrink begins with too: the space is typed)
        s.send(b"search gr\tdense.un\t4 dense.act\tta\t epo\t1 cv=2 refit=false\r")
        out = s.expect(PROMPT, timeout=60)
        assert b"every fit: epochs=1 batch_size=32 dense.activation=tanh " \
               b"dense.units=4" in out, "the search line was not completed"
    step("Tab completes layer names and a layer's keys (weights, search)", tab_layer)

    files = os.path.join(home, "files")
    os.mkdir(files)
    with open(os.path.join(files, "my script.nnl"), "w") as f:
        f.write("set size=300x200\n")
    with open(os.path.join(files, "other.nnl"), "w") as f:
        f.write("set size=640x480\n")

    def tab_files():
        # run FILE: a file name with a space comes back quoted, as the
        # splitter reads it (unquoted it would be two words: an error)
        s.send(b"run " + files.encode() + b"/my\t\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["size"] == "300x200", "run DIR/my<Tab> did not run 'my script.nnl'"
        # a keyword whose value is a file: weights ... load=
        k = files.encode() + b"/k"
        s.send(b"weights dense_1 save=" + k + b".npy\r")
        out = s.expect(PROMPT)
        assert b"saved to" in out, "weights save= failed"
        s.send(b"weights dense_1 load=" + k + b".\t\r")   # k.npy, not k_bias.npy
        out = s.expect(PROMPT)
        assert b"loaded from " + k + b".npy" in out, "load=DIR/k.<Tab> not completed"
    step("Tab completes file names (run FILE, load=FILE), quoting a space", tab_files)

    # ---- Ctrl-C during search ----

    def ctrl_c_search():
        # a small data set and a grid of long fits: 20000 epochs of 5
        # batches each; the first candidate (2 folds) ends, Ctrl-C lands in
        # the second
        s.send(b"data xor n=300\r")
        s.expect(PROMPT)
        s.send(b"evaluate\r")
        before = s.expect(rb"\r?\n" + PROMPT)
        assert b"loss" in before, "evaluate before the search failed"
        s.send(b"search grid dense.units=4,32 epochs=20000 cv=2 batch_size=32\r")
        s.expect(rb"\[CV 2/2; 1/2\] END", timeout=60)
        s.send(b"\x03")
        out = s.expect(PROMPT, timeout=30)
        assert re.search(rb"Interrupted \(Ctrl-C\) after [23] of 4 fits; the table "
                         rb"shows the candidates that finished", out), \
            "no word of the interruption"
        assert re.search(rb"\n +1 +4 ", out), "no table row for dense.units=4"
        assert b"no refit after an interruption: the session's model is unchanged" \
            in out, "no word of the model"
        s.send(b"evaluate\r")
        after = s.expect(rb"\r?\n" + PROMPT)
        assert after == before, "the model changed: %r, was %r" % (after, before)
        s.send(b"summary\r")        # not a candidate (4 or 32 units): still 64
        out = s.expect(rb"Total params.*?" + PROMPT)
        assert re.search(rb"dense \(Dense\) +\(None, 64\)", out), \
            "the model's first layer is no longer 64 units"
        s.send(b"fit epochs=1 verbose=2\r")
        out = s.expect(PROMPT, timeout=60)
        assert re.search(rb"Epoch (\d+)/\1\r?\n", out), "fit after the search failed"
    step("Ctrl-C during search stops it; the model is unchanged and usable",
         ctrl_c_search)

    # Ctrl-C during `data fashion_mnist` is not tested: the load takes a
    # quarter of a second and does not look at Ctrl-C (it always finishes).

    # ---- history (repl/input.c) ----

    def up_arrow():
        s.send(b"help seed\r")
        out = s.expect(PROMPT)
        assert b"usage: seed N" in out
        s.send(b"\x1b[A")            # Up: the line comes back
        s.expect(rb"help seed")
        s.send(b"\r")                # and Enter runs it again
        out = s.expect(PROMPT)
        assert b"usage: seed N" in out, "the recalled line did not run"
    step("Up arrow recalls the last line, Enter runs it again", up_arrow)

    def up_no_duplicates():
        # a line the same as the one before is not kept twice (input.c), so
        # two Ups go past both copies to the line before
        for line in (b"set verbose=0", b"set verbose=2", b"set verbose=2"):
            s.send(line + b"\r")
            s.expect(PROMPT)
        s.send(b"\x1b[A\x1b[A\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["verbose"] == "0", \
            "Up Up ran 'set verbose=%s', wanted 'set verbose=0'" % got["verbose"]
    step("a line typed twice in a row is one history entry", up_no_duplicates)

    def ctrl_d_empty():
        s.send(b"\x04")
        status = s.wait()
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, \
            "exit status %r" % status
    step("Ctrl-D on an empty line leaves with status 0", ctrl_d_empty)

    def history_file():
        # $XDG_STATE_HOME/nnlab/history, one line per entry, in order
        path = os.path.join(home, "nnlab", "history")
        with open(path, "rb") as f:
            lines = f.read().splitlines()
        want = [b"set verbose=0", b"set verbose=2", b"set verbose=0", b"set"]
        assert lines[-4:] == want, "history file ends %r, wanted %r" % (lines[-4:], want)
        assert b"help seed" in lines and b"summary" in lines, "lines missing"
    step("the history file holds the session's lines", history_file)

    # A second session in the same home reads the history of the first.
    s = Session([nnlab, "--seed", "42"], home)

    def history_next_session():
        s.expect(PROMPT)
        assert settings(s)["verbose"] == "1", "a new session is not at verbose=1"
        # the last lines of the first session, newest first: "set" (this
        # session's own "set" just now is the same line: not added), then
        # "set verbose=0"
        s.send(b"\x1b[A\x1b[A\r")
        s.expect(PROMPT)
        got = settings(s)
        assert got["verbose"] == "0", \
            "Up Up in a new session ran verbose=%s, not 'set verbose=0'" % got["verbose"]
        s.send(b"\x04")
        status = s.wait()
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, \
            "exit status %r" % status
    step("Up recalls the lines of the previous session", history_next_session)

    try:                         # a step that failed may leave nnlab running
        if os.waitpid(s.pid, os.WNOHANG)[0] == 0:
            os.kill(s.pid, signal.SIGKILL)
            os.waitpid(s.pid, 0)
    except ChildProcessError:    # already waited for
        pass

    passed = sum(results)
    failed = len(results) - passed
    print("pty: %d passed, %d failed" % (passed, failed))
    try:
        for root, dirs, files in os.walk(home, topdown=False):
            for f in files:
                os.unlink(os.path.join(root, f))
            for d in dirs:
                os.rmdir(os.path.join(root, d))
        os.rmdir(home)
    except OSError:
        pass
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
