"""kernel_test.py - drives `nnlab --kernel` with jupyter_client's own
KernelManager (the client Jupyter itself uses), through the kernelspec in
$JUPYTER_PATH/kernels/nnlab that check_kernel.sh writes.

Each case prints "ok NAME" or "FAIL NAME: why"; the last line is
"kernel: N passed, N failed" and the exit status is 1 on any failure.
"""
import base64
import os
import sys
import time

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60
passed = 0
failed = 0


def check(name, cond, why=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok", name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))


def run(kc, code, timeout=TIMEOUT):
    """Executes code; returns (reply content, [iopub messages])."""
    msg_id = kc.execute(code)
    out = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=1)
        except Exception:
            continue
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    reply = kc.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], out


def text(msgs, name="stdout"):
    return "".join(m["content"]["text"] for m in msgs
                   if m["msg_type"] == "stream" and m["content"]["name"] == name)


def of_type(msgs, t):
    return [m for m in msgs if m["msg_type"] == t]


def main():
    km = KernelManager(kernel_name="nnlab")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        cases(km, kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    orphan()
    print("kernel: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def cases(km, kc):
    # the kernelspec --install-kernel wrote
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec("nnlab")
    check("kernelspec", spec.argv[1:] == ["--kernel", "{connection_file}"]
          and os.path.isabs(spec.argv[0]) and spec.interrupt_mode == "signal"
          and os.path.exists(os.path.join(spec.resource_dir, "logo-64x64.png")),
          repr(spec.to_dict()))

    # kernel_info
    kc.kernel_info()
    info = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    li = info.get("language_info", {})
    check("kernel_info", info.get("protocol_version") == "5.3"
          and li.get("name") == "nnlab" and li.get("file_extension") == ".nnl"
          and li.get("mimetype") == "text/x-nnlab", repr(info))

    # a cell of several commands, with a comment and a blank line
    reply, msgs = run(kc, "# the XOR problem\ndata xor\n\ninput 2\n"
                      "dense 4 activation=tanh\ndense 1 activation=sigmoid\n"
                      "compile loss=binary_crossentropy optimizer=adam "
                      "learning_rate=0.05\nsummary")
    out = text(msgs)
    check("cell of several commands", reply["status"] == "ok"
          and "Total params: 17" in out, reply["status"] + " / " + out[-400:])
    check("execute_input and count",
          any(m["content"].get("execution_count") == reply["execution_count"]
              for m in of_type(msgs, "execute_input"))
          and reply["execution_count"] >= 1, repr(reply))

    # fit streams its epochs as stdout text
    reply, msgs = run(kc, "fit epochs=3 verbose=1")
    out = text(msgs)
    check("fit output as stream", reply["status"] == "ok"
          and "Epoch 3/3" in out, out[-400:])

    # an error reply stops the rest of the cell
    reply, msgs = run(kc, "fit epochs=1 verbose=0\nfit epochs=banana\n"
                      "summary")
    errs = of_type(msgs, "error")
    check("error reply", reply["status"] == "error"
          and reply.get("ename") == "NnlabError"
          and "epochs" in reply.get("evalue", "")
          and "line 2" in " ".join(reply.get("traceback", []))
          and len(errs) == 1, repr(reply))
    check("error stops the cell", "Total params" not in text(msgs),
          text(msgs)[-300:])
    reply, msgs = run(kc, "frobnicate")
    check("unknown command is an error", reply["status"] == "error"
          and "unknown command" in reply.get("evalue", ""), repr(reply))

    # a plot comes inline as a PNG
    reply, msgs = run(kc, "plot history")
    pngs = [m for m in of_type(msgs, "display_data")
            if "image/png" in m["content"]["data"]]
    ok_png = False
    if pngs:
        raw = base64.b64decode(pngs[0]["content"]["data"]["image/png"])
        ok_png = raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 1000
    check("inline PNG", reply["status"] == "ok" and ok_png,
          "%s, %d displays, stdout %r" % (reply["status"], len(pngs),
                                          text(msgs)[-200:]))
    check("no file line for the inline figure", "wrote" not in text(msgs),
          text(msgs))

    # completion: commands, then keywords of a command
    kc.complete("fi", 2)
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    check("complete a command", "fit" in c["matches"]
          and c["cursor_start"] == 0 and c["cursor_end"] == 2, repr(c))
    code = "summary\nfit epo"
    kc.complete(code, len(code))
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    check("complete a keyword", any(m.startswith("epochs") for m in c["matches"])
          and c["cursor_start"] == len("summary\nfit "), repr(c))

    # inspection shows help COMMAND
    kc.inspect("fit epochs=3", 1)
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    t = c.get("data", {}).get("text/plain", "")
    check("inspect", c.get("found") is True and "epochs" in t
          and "fit" in t, repr(c)[:300])
    kc.inspect("zzz", 1)
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    check("inspect an unknown word", c.get("found") is False, repr(c))

    # is_complete
    kc.is_complete("fit epochs=3")
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    kc.is_complete('data csv "open')
    c2 = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    check("is_complete", c.get("status") == "complete"
          and c2.get("status") == "invalid", repr((c, c2)))

    # history
    kc.history(hist_access_type="tail", n=2)
    c = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    h = c.get("history", [])
    check("history", len(h) == 2 and h[-1][2] == "plot history", repr(h)[:300])

    # a message signed with a wrong key is not executed (the same cell
    # signed with the right key is)
    path = os.path.join(os.environ.get("HOME", "/tmp"), "wrongkey.nnl")
    code = "record " + path
    bad = Session(key=b"not-the-key", session=kc.session.session,
                  username="test")
    msg = bad.msg("execute_request", {"code": code, "silent": False,
                                      "store_history": True,
                                      "user_expressions": {},
                                      "allow_stdin": False})
    bad.send(kc.shell_channel.socket, msg)
    time.sleep(1.0)
    got = None
    try:
        got = kc.get_shell_msg(timeout=0.5)
    except Exception:
        pass
    check("wrong key not executed", got is None and not os.path.exists(path),
          repr(got)[:200])
    reply, msgs = run(kc, code)
    check("right key executed", reply["status"] == "ok"
          and os.path.exists(path), repr(reply))

    # malformed messages are dropped and the kernel goes on: no delimiter,
    # too few frames, JSON that is not JSON or not an object (signed right),
    # no msg_type, a huge frame
    import hmac, hashlib
    sock = kc.shell_channel.socket
    key = kc.session.key

    def signed(parts):
        h = hmac.new(key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        return [b"<IDS|MSG>", h.hexdigest().encode()] + parts
    hdr = (b'{"msg_id":"x","session":"s","username":"u","date":"",'
           b'"msg_type":"execute_request","version":"5.3"}')
    # a well-formed request whose code is not a string runs nothing
    sock.send_multipart(signed([hdr, b"{}", b"{}", b'{"code": 5}']))
    r = kc.get_shell_msg(timeout=TIMEOUT)
    check("a non-string code runs nothing", r["msg_type"] == "execute_reply"
          and r["content"]["status"] == "ok", repr(r)[:300])
    for frames in ([b"garbage"], [b"<IDS|MSG>", b"sig"],
                   signed([b"{not json", b"{}", b"{}", b"{}"]),
                   signed([b"[1,2]", b"{}", b"{}", b"{}"]),
                   signed([b"{}", b"{}", b"{}", b'{"code":"seed 1"}']),
                   signed([hdr, b"{}", b"{}", b"{" + b" " * (40 << 20) + b"}"])):
        sock.send_multipart(frames)
    time.sleep(1.5)
    reply, msgs = run(kc, "summary")
    check("malformed and oversized messages dropped, kernel alive",
          reply["status"] == "ok" and "Total params" in text(msgs), repr(reply))
    got = []
    try:
        while True:
            got.append(kc.get_shell_msg(timeout=0.5))
    except Exception:
        pass
    check("no reply to a malformed message", not got, repr(got)[:300])

    # interrupt during a long fit: it stops after the batch, the model stays
    reply, msgs = run(kc, "model\ndata moons n=20000\ninput 2\ndense 64 activation=relu\n"
                      "dense 64 activation=relu\ndense 1 activation=sigmoid\n"
                      "compile loss=binary_crossentropy")
    check("big model", reply["status"] == "ok", repr(reply))
    msg_id = kc.execute("fit epochs=100000 batch_size=32 verbose=0\nsummary")
    time.sleep(2.0)
    t0 = time.time()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    took = time.time() - t0
    check("interrupt stops fit", reply["status"] == "error"
          and took < 10, "%r after %.1f s" % (reply, took))
    reply, msgs = run(kc, "evaluate")
    check("the model survives the interrupt", reply["status"] == "ok"
          and "loss" in text(msgs), repr(reply) + text(msgs)[-200:])

    # restart: a fresh session
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=TIMEOUT)
    reply, msgs = run(kc, "summary")
    check("restart gives a fresh session", reply["status"] == "error"
          and "model" in reply.get("evalue", ""), repr(reply))
    del msg_id


def orphan():
    """A kernel whose Jupyter dies without a shutdown ends by itself."""
    import subprocess
    code = ("import os\nfrom jupyter_client.manager import KernelManager\n"
            "km = KernelManager(kernel_name='nnlab'); km.start_kernel()\n"
            "print(km.provisioner.process.pid, flush=True)\nos._exit(0)\n")
    # the pid through a file: the kernel keeps the child's stdout open
    out = os.path.join(os.environ.get("HOME", "/tmp"), "orphan.pid")
    with open(out, "w") as f:
        subprocess.run([sys.executable, "-c", code], stdout=f,
                       stderr=subprocess.DEVNULL, timeout=TIMEOUT)
    pid = int(open(out).read().split()[0])
    gone = False
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            gone = True
            break
        time.sleep(0.1)
    if not gone:
        os.kill(pid, 9)
    check("kernel ends when Jupyter is gone", gone, "pid %d still runs" % pid)


if __name__ == "__main__":
    sys.exit(main())
