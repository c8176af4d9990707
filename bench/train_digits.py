"""SPEC §6 `train_digits`: one epoch of the SPEC §7 training loop (the AutoGraph guide's
`train_one_step` with a tape, `apply_gradients` and an accuracy metric, looping over the
shuffled batches): MLP 64->128->10 (relu), Adam(0.001), batch 64, digits (1,437 training
images, 23 batches, the last of 29). Also one epoch of Fashion-MNIST (MLP 784->128->10, batch
64, 60,000 images) for xautograph staged and PyTorch eager.

    PYTHONPATH=build/python /usr/bin/python3 bench/train_digits.py [--quick] [--no-peers]
        [--epochs N] [--no-fashion] [--no-jax]

Columns, each system in a process of its own (worker.py's CPU binding, run.py's one-thread
environment and interpreters, as bench/grad_rnn.py):
- xautograph staged: the guide's `@ag.function def train(model, optimizer)` looping
  `for x, y in train_ds` over an ag.data.Dataset (shuffled in the graph): one call, one epoch;
- xautograph eager: the same train_one_step in a Python `for` over the same dataset, eagerly
  (the tape over eager ops);
- PyTorch eager: the same MLP, Adam (eps 1e-7 as Keras), batch, one thread
  (torch.set_num_threads(1)); the bench venv's PyTorch ($XAG_BENCH_VENV, default bench/.venv),
  else Debian's python3-torch;
- JAX jit: the step (forward, grad, Adam by hand) under jax.jit, a Python loop over batches.
Every column starts from the same weights (a seeded Glorot-uniform draw made here) and shuffles
each epoch its own way. Epoch 1 is the warm-up (tracing, compiling); the time reported is the
best of epochs 2..N, the columns of a process taking turns epoch by epoch; the test accuracy is
after the N epochs. Exit status 1 when the xautograph process fails."""
import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "workloads"))

BATCH = 64
SYSTEMS = {"xautograph": ["debian"], "torch": ["venv", "debian"], "torch_compile": ["venv"],
           "jax": ["venv"]}
COLUMNS = [("xautograph", "staged", "xautograph staged"),
           ("xautograph", "eager", "xautograph eager"),
           ("torch", "torch", "PyTorch eager"),
           ("torch_compile", "compiled", "torch.compile"),
           ("jax", "jax", "JAX jit")]
FASHION_COLUMNS = [("xautograph", "staged", "xautograph staged"),
                   ("torch", "torch", "PyTorch eager")]


# ---- the systems (each runs in its worker process) ---------------------------------------------
# `<system>_columns(which)` returns ({column: make}, version): make(x, y, init) builds the model
# from the initial weights `init` (kernels (in, out), biases) and returns (epoch, test_accuracy):
# epoch() trains one pass over (x, y) in batches of 64, test_accuracy(x, y) is a float.

def xautograph_columns(which):
    import autograph as ag

    keras = ag.keras

    def make(x, y, column, init):
        model = keras.Sequential([keras.layers.Dense(128, activation="relu"),
                                  keras.layers.Dense(10)])
        model(ag.constant(x[:1]))
        for var, value in zip(model.trainable_variables, init):
            var.assign(value)
        optimizer = keras.optimizers.Adam()
        compute_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        compute_accuracy = keras.metrics.SparseCategoricalAccuracy()
        train_ds = ag.data.Dataset.from_tensor_slices((x, y)).shuffle(len(y), seed=0)
        train_ds = train_ds.batch(BATCH)

        def train_one_step(model, optimizer, x, y):
            with ag.GradientTape() as tape:
                logits = model(x)
                loss = compute_loss(y, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            compute_accuracy(y, logits)
            return loss

        def train(model, optimizer):  # the guide's loop, without its ag.print every 10 steps
            step = 0
            loss = 0.0
            for x, y in train_ds:
                step += 1
                loss = train_one_step(model, optimizer, x, y)
            return step, loss

        run = ag.function(train) if column == "staged" else train

        def epoch():
            compute_accuracy.reset_state()
            step, loss = run(model, optimizer)
            return float(loss)  # waits for the epoch (and reads the result, as PyTorch's does)

        def test_accuracy(xt, yt):
            return float((model.predict(xt).argmax(-1) == yt).mean())

        return epoch, test_accuracy

    return {c: (lambda x, y, init, c=c: make(x, y, c, init)) for c in which}, \
        "xautograph (this build), XAG_NUM_THREADS=1"


def torch_columns(which):
    import torch

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)

    def make(x, y, init, compiled):
        x, y = torch.from_numpy(x), torch.from_numpy(y).long()
        model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 128), torch.nn.ReLU(),
                                    torch.nn.Linear(128, 10))
        with torch.no_grad():  # Linear keeps its weight as (out, in): the kernels transposed
            for p, value in zip(model.parameters(), init):
                p.copy_(torch.from_numpy(value.T.copy() if value.ndim == 2 else value))
        # torch.compile: the model's forward and (through AOTAutograd) backward, inductor; the
        # optimizer step stays eager. The last batch (29 images) compiles a second graph.
        forward = torch.compile(model) if compiled else model
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
        compute_loss = torch.nn.CrossEntropyLoss()
        generator = torch.Generator().manual_seed(0)

        def epoch():
            order = torch.randperm(len(y), generator=generator)
            correct = torch.zeros((), dtype=torch.long)
            for i in range(0, len(y), BATCH):
                idx = order[i:i + BATCH]
                xb, yb = x[idx], y[idx]
                logits = forward(xb)
                loss = compute_loss(logits, yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                correct += (logits.argmax(1) == yb).sum()  # the accuracy metric
            return float(loss)

        def test_accuracy(xt, yt):
            with torch.no_grad():
                return float((model(torch.from_numpy(xt)).argmax(1).numpy() == yt).mean())

        return epoch, test_accuracy

    compiled = "compiled" in which
    return {which[0]: lambda x, y, init: make(x, y, init, compiled)}, \
        f"PyTorch {torch.__version__} {'torch.compile' if compiled else 'eager'}, " \
        "torch.set_num_threads(1)"


def jax_columns(which):
    import jax
    import jax.numpy as jnp
    import numpy as np

    def forward(params, x):
        w1, b1, w2, b2 = params
        return jax.nn.relu(x @ w1 + b1) @ w2 + b2

    def loss_fn(params, x, y):
        logp = jax.nn.log_softmax(forward(params, x))
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1)), logp

    @jax.jit
    def step(params, m, v, t, x, y):  # Adam as Keras: lr 0.001, betas 0.9/0.999, eps 1e-7
        (loss, logp), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, x, y)
        t = t + 1
        lr = 0.001 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = [0.9 * a + 0.1 * g for a, g in zip(m, grads)]
        v = [0.999 * a + 0.001 * g * g for a, g in zip(v, grads)]
        params = [p - lr * a / (jnp.sqrt(b) + 1e-7) for p, a, b in zip(params, m, v)]
        return params, m, v, t, loss, jnp.sum(jnp.argmax(logp, 1) == y)

    def make(x, y, init):
        state = {"params": [jnp.asarray(a) for a in init]}
        state["m"] = [jnp.zeros_like(p) for p in state["params"]]
        state["v"] = [jnp.zeros_like(p) for p in state["params"]]
        state["t"] = jnp.zeros((), jnp.float32)
        rng = np.random.default_rng(0)

        def epoch():
            order = rng.permutation(len(y))
            p, m, v, t = state["params"], state["m"], state["v"], state["t"]
            for i in range(0, len(y), BATCH):
                idx = order[i:i + BATCH]
                p, m, v, t, loss, correct = step(p, m, v, t, x[idx], y[idx])
            state.update(params=p, m=m, v=v, t=t)
            return float(loss)

        def test_accuracy(xt, yt):
            return float((np.asarray(forward(state["params"], xt)).argmax(1) == yt).mean())

        return epoch, test_accuracy

    return {"jax": make}, f"JAX {jax.__version__} jit (per step), one CPU"


def timed_epochs(makers, x, y, xt, yt, init, epochs):
    """Per column: the first epoch's time, the best of the others, the test accuracy after
    `epochs`. The columns take turns epoch by epoch, so a burst of load on a shared machine
    slows all of them alike."""
    runs = {c: make(x, y, init) for c, make in makers.items()}
    times = {c: [] for c in runs}
    for _ in range(epochs):
        for c, (epoch, _) in runs.items():
            t0 = time.perf_counter()
            loss = epoch()
            times[c].append(time.perf_counter() - t0)
    return {c: dict(first=times[c][0], best=min(times[c][1:] or times[c]), loss=loss,
                    accuracy=runs[c][1](xt, yt), epochs=len(times[c])) for c in runs}


def worker_main(system, data_path, out, opts):
    import worker  # noqa: F401 - binds this process to one CPU on import, before torch loads
    import numpy as np

    with np.load(data_path) as f:
        data = {k: f[k] for k in f.files}
    which = [c for s, c, _ in COLUMNS if s == system]
    maker = "torch" if system == "torch_compile" else system
    makers, version = globals()[f"{maker}_columns"](which)
    digits_init = [data[f"digits_init{i}"] for i in range(4)]
    report = dict(version=version, cpu=worker.CPU)
    report["digits"] = timed_epochs(makers, data["x_train"], data["y_train"], data["x_test"],
                                    data["y_test"], digits_init, opts.epochs)
    fashion_cols = [c for s, c, _ in FASHION_COLUMNS if s == system]
    if "fx_train" in data and fashion_cols:
        fx, fxt = (data[k].reshape(len(data[k]), -1).astype(np.float32) / 255.0
                   for k in ("fx_train", "fx_test"))
        init = [data[f"fashion_init{i}"] for i in range(4)]
        report["fashion"] = timed_epochs({c: makers[c] for c in fashion_cols}, fx,
                                         data["fy_train"], fxt, data["fy_test"], init,
                                         opts.fashion_epochs)
    with open(out + ".json", "w") as f:
        json.dump(report, f)


# ---- the driver ---------------------------------------------------------------------------------

def glorot(rng, n_in, n_out):
    """Keras's Dense initial weights: Glorot-uniform kernel, zero bias (float32)."""
    import numpy as np

    limit = (6.0 / (n_in + n_out)) ** 0.5
    return [rng.uniform(-limit, limit, (n_in, n_out)).astype(np.float32),
            np.zeros(n_out, np.float32)]


def make_data(opts):
    import numpy as np
    from autograph.keras.datasets import digits, fashion_mnist

    (x, y), (xt, yt) = digits.load_data()
    rng = np.random.default_rng(0)
    data = dict(x_train=x.reshape(len(x), -1), y_train=y, x_test=xt.reshape(len(xt), -1),
                y_test=yt)
    for i, a in enumerate(glorot(rng, 64, 128) + glorot(rng, 128, 10)):
        data[f"digits_init{i}"] = a
    if opts.fashion:
        (fx, fy), (fxt, fyt) = fashion_mnist.load_data()
        n, nt = (6000, 1000) if opts.quick else (len(fy), len(fyt))
        data.update(fx_train=fx[:n], fy_train=fy[:n].astype("int32"), fx_test=fxt[:nt],
                    fy_test=fyt[:nt].astype("int32"))
        for i, a in enumerate(glorot(rng, 784, 128) + glorot(rng, 128, 10)):
            data[f"fashion_init{i}"] = a
    return data


def run_system(system, data_path, tmp, opts):
    """The system's report, or dict(fatal=why) after trying each interpreter."""
    import run

    extra = ["--epochs", str(opts.epochs), "--fashion-epochs", str(opts.fashion_epochs)]
    out, why = run.run_script_worker(__file__, system, SYSTEMS[system], data_path, tmp, extra)
    if out is None:
        return dict(fatal=why)
    with open(out + ".json") as f:
        return json.load(f)


def print_table(reports, part, columns, title):
    print(title)
    print(f"{'column':20}{'first epoch':>13}{'best epoch':>13}{'test accuracy':>15}")
    best = {}
    for system, key, label in columns:
        rep = reports.get(system)
        if rep is None:
            continue
        if rep.get("fatal"):
            print(f"{label:20}{'-':>13}{'-':>13}{'-':>15}   ({rep['fatal']})")
            continue
        cell = rep.get(part, {}).get(key)
        if cell is None:
            continue
        best[key] = cell["best"]
        print(f"{label:20}{cell['first']:13.4g}{cell['best']:13.4g}{cell['accuracy']:15.4f}")
    if "staged" in best:
        for key, label in (("eager", "xautograph eager"), ("torch", "PyTorch eager"),
                           ("compiled", "torch.compile"), ("jax", "JAX jit")):
            if key in best:
                print(f"best epoch, {label} / staged: {best[key] / best['staged']:.2f}x "
                      "(above 1: staged is faster)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true",
                    help="3 digits epochs; Fashion-MNIST on 6,000 images, 2 epochs")
    ap.add_argument("--no-peers", action="store_true", help="xautograph only")
    ap.add_argument("--no-jax", action="store_true", help="leave the JAX column out")
    ap.add_argument("--no-compile", action="store_true", help="leave torch.compile out")
    ap.add_argument("--no-fashion", dest="fashion", action="store_false",
                    help="leave the Fashion-MNIST epoch out")
    ap.add_argument("--epochs", type=int, default=None,
                    help="digits epochs, the first a warm-up (default 20; --quick 3)")
    ap.add_argument("--fashion-epochs", type=int, default=None,
                    help="Fashion-MNIST epochs, the first a warm-up (default 3; --quick 2)")
    ap.add_argument("--worker", nargs=3, metavar=("SYSTEM", "DATA", "OUT"), help=argparse.SUPPRESS)
    opts = ap.parse_args()
    opts.epochs = opts.epochs or (3 if opts.quick else 20)
    opts.fashion_epochs = opts.fashion_epochs or (2 if opts.quick else 3)
    if opts.worker:
        worker_main(*opts.worker, opts)
        return 0

    import numpy as np

    left_out = {"jax"} if opts.no_jax else set()
    left_out |= {"torch_compile"} if opts.no_compile else set()
    systems = ["xautograph"] if opts.no_peers else [s for s in SYSTEMS if s not in left_out]
    reports = {}
    with tempfile.TemporaryDirectory(prefix="xag-train-digits-") as tmp:
        data_path = os.path.join(tmp, "data.npz")
        data = make_data(opts)
        np.savez(data_path, **data)
        for system in systems:
            reports[system] = run_system(system, data_path, tmp, opts)
    print_table(reports, "digits", COLUMNS,
                f"train_digits: one epoch of the SPEC §7 loop, MLP 64-128-10 (relu), Adam, "
                f"batch {BATCH}, digits ({len(data['y_train'])} training images); seconds; "
                f"epoch 1 is the warm-up, best of epochs 2..{opts.epochs}; test accuracy "
                f"({len(data['y_test'])} images) after {opts.epochs} epochs; one thread, one "
                "CPU each")
    if opts.fashion:
        print()
        print_table(reports, "fashion", FASHION_COLUMNS,
                    f"fashion_mnist: one epoch, MLP 784-128-10 (relu), Adam, batch {BATCH}, "
                    f"{len(data['fy_train'])} training images; best of epochs "
                    f"2..{opts.fashion_epochs}; test accuracy ({len(data['fy_test'])} images) "
                    f"after {opts.fashion_epochs} epochs")
    for system, rep in reports.items():
        if not rep.get("fatal"):
            print(f"  {system}: {rep['version']}, bound to CPU {rep['cpu']}")
    return 1 if reports["xautograph"].get("fatal") else 0


if __name__ == "__main__":
    sys.exit(main())
