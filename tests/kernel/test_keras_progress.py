"""Model.fit in a real xautograph kernel: its per-epoch progress reaches the notebook.

Without ipywidgets tqdm.auto draws a text bar, which a notebook redraws in place on each '\\r';
each epoch's line stays above it. Runs the build tree's kernel (JUPYTER_PATH).
"""
import pytest

from kernel_under_test import start_kernel, stop_kernel

TIMEOUT = 120

FIT = """\
import numpy as np, autograph as ag
x = np.random.default_rng(0).normal(size=(256, 5)).astype(np.float32)
y = (x[:, 0] > 0).astype(np.int32)
model = ag.keras.Sequential([ag.keras.layers.Dense(8, activation='relu'),
                             ag.keras.layers.Dense(2)])
model.compile('adam', ag.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              ['accuracy'])
history = model.fit(x, y, epochs=3)
print(sorted(history.history))
"""


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_kernel(TIMEOUT)
    yield kc
    stop_kernel(km, kc)


def run(kc, code):
    """(status, outputs) of one cell: the shell reply's status, the iopub messages until idle."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        outputs.append(msg)
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]["status"], outputs


def test_fit_progress_streams_to_the_notebook(kernel):
    status, outputs = run(kernel, FIT)
    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    assert status == "ok", errors
    text = "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
    for epoch in (1, 2, 3):
        assert f"Epoch {epoch}/3" in text
    assert "\rfit: 100%" in text and "3/3" in text  # the bar, redrawn in place
    assert "['accuracy', 'loss']" in text
