"""A cell's printed text through a real kernel: sent in batches, in the order it was written.

One iopub message per write() used to flood the PUB socket (a print loop sends tens of thousands
a second) and ZMQ dropped what the client could not take, the cell's error among it.
"""
import time

import pytest
from kernel_under_test import start_kernel, stop_kernel

TIMEOUT = 30


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_kernel(TIMEOUT)
    yield km, kc
    stop_kernel(km, kc)


def run(kc, code, on_busy=None):
    """Runs `code`; returns (reply content, [(seconds after execute_input, msg_type, content)])
    for what the cell published, up to its idle status."""
    msg_id = kc.execute(code)
    published, started = [], None
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "execute_input":
            started = time.monotonic()
            if on_busy:
                on_busy()
        elif kind == "status":
            if msg["content"]["execution_state"] == "idle":
                break
        else:
            published.append((time.monotonic() - started, kind, msg["content"]))
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], published


def streams(published):
    return [(c["name"], c["text"]) for _, kind, c in published if kind == "stream"]


def test_a_print_loop_is_a_few_messages_with_all_its_text(kernel):
    _, kc = kernel
    content, published = run(kc, "for i in range(10000):\n    print(i)")
    assert content["status"] == "ok"
    sent = streams(published)
    assert "".join(text for _, text in sent) == "".join("%d\n" % i for i in range(10000))
    assert len(sent) <= 10, len(sent)  # one per 50 ms or 64 KiB; was 20,000


def test_stdout_and_stderr_keep_the_order_they_were_written_in(kernel):
    _, kc = kernel
    _, published = run(kc, "import sys\n"
                           "print('a'); print('b', file=sys.stderr); print('c'); print('d')\n"
                           "sys.stderr.write('e'); sys.stderr.write('f\\n')")
    assert streams(published) == [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\nd\n"),
                                  ("stderr", "ef\n")]


def test_text_comes_before_what_the_cell_publishes_after_it(kernel):
    _, kc = kernel
    content, published = run(kc, "from IPython.display import clear_output, display\n"
                                  "print('x'); display('y'); print('z')\n"
                                  "clear_output(wait=True); print('w')\n"
                                  "print('v', end=''); 42")
    assert content["status"] == "ok"
    order = [(kind, c.get("text") or c.get("data", {}).get("text/plain"))
             for _, kind, c in published]
    assert order == [("stream", "x\n"), ("display_data", "'y'"), ("stream", "z\n"),
                     ("clear_output", None), ("stream", "w\nv"), ("execute_result", "42")]


def test_text_before_an_error_comes_before_it(kernel):
    _, kc = kernel
    content, published = run(kc, "print('before')\n1 / 0")
    assert content["ename"] == "ZeroDivisionError"
    assert [kind for _, kind, _ in published] == ["stream", "error"]
    assert published[0][2]["text"] == "before\n"


@pytest.mark.parametrize("wait", ["time.sleep(1.5)",  # the GIL is free
                                  "t = time.time()\nwhile time.time() - t < 1.5: pass"])
def test_text_is_sent_while_the_cell_still_runs(kernel, wait):
    _, kc = kernel
    _, published = run(kc, "import time\nprint('started')\n" + wait + "\nprint('done')")
    (sent_at, _, first), (done_at, _, last) = [p for p in published if p[1] == "stream"]
    print("\n'started' sent %.3f s after the cell began" % sent_at)
    assert first["text"] == "started\n" and last["text"] == "done\n"
    # Times are the client's, from when it saw the cell start (a little after the kernel did).
    assert sent_at < 0.75 and done_at - sent_at > 1.0


def test_an_interrupted_print_loop_keeps_its_error(kernel):
    km, kc = kernel
    content, published = run(kc, "n = 0\nwhile True:\n    n += 1\n    print(n)",
                             on_busy=lambda: (time.sleep(0.5), km.interrupt_kernel()))
    assert content["ename"] == "KeyboardInterrupt"
    kinds = [kind for _, kind, _ in published]
    assert kinds[-1] == "error" and published[-1][2]["ename"] == "KeyboardInterrupt"
    text = "".join(text for _, text in streams(published))
    count = int(text.rstrip("\n").rsplit("\n", 1)[-1])
    # Nothing lost; the interrupt may land between a number and its newline.
    assert "".join("%d\n" % i for i in range(1, count + 1)).startswith(text)
    assert len(published) < count / 100, (len(published), count)  # a message per write: 2 a line


def test_the_streams_behave_as_text_files(kernel):
    _, kc = kernel
    content, published = run(kc, "import sys\n"
                                  "try:\n"
                                  "    sys.stdout.write(5)\n"
                                  "except TypeError as e:\n"
                                  "    error = str(e)\n"
                                  "sys.stdout.writelines(['p', 'q\\n'])\n"
                                  "(error, sys.stdout.write('héllo\\n'), sys.stdout.isatty(),\n"
                                  " sys.stdout.encoding, sys.stderr.name, sys.stdout.writable())")
    assert content["status"] == "ok", content
    assert streams(published) == [("stdout", "pq\nhéllo\n")]
    assert published[-1][2]["data"]["text/plain"] == (
        "('write() argument must be str, not int', 6, False, 'utf-8', '<stderr>', True)")
