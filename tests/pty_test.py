#!/usr/bin/env python3
"""pty_test.py - nnlab at a real terminal (a pseudo-terminal), as a person
types at it: Ctrl-D in the middle of a line, Ctrl-C on a half-typed line,
Ctrl-C during a long fit, step and lrfind, Ctrl-D on an empty line to
leave.

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

    def ctrl_d_empty():
        s.send(b"\x04")
        status = s.wait()
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, \
            "exit status %r" % status
    step("Ctrl-D on an empty line leaves with status 0", ctrl_d_empty)

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
