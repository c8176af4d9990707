"""TensorFlow `tf.function` with AutoGraph on: workloads.py's very functions, loaded with `ag`
bound to a module of the matching tf ops (ag.tanh -> tf.tanh, ag.stack -> tf.stack,
ag.set_element_type -> AutoGraph's own directive, which its list converter reads to make `out`
a TensorList). Loop bounds are tensors, as for xautograph's staged column, so AutoGraph emits
tf.while_loop; rnn's step count is a Python int, unrolled while tracing (as in ours). One
thread: tf.config.threading intra-op and inter-op parallelism 1 (and TF_NUM_INTRAOP_THREADS /
TF_NUM_INTEROP_THREADS=1 from run.py). The first call traces and converts.

AutoGraph runs with its LISTS feature on (off by default), yet TF 2's AutoGraph still makes no
TensorList of `out = []` appended to in a tf.while_loop (its set_element_type only types
ag.stack): when squares_list fails that way the reason goes in the notes and a version with a
tf.TensorArray, TF's idiom for this, runs instead (marked '*')."""
import harness


def run(rec, data):
    import sys

    # The venv sees Debian's packages (--system-site-packages); TensorFlow probes scikit-learn at
    # import, and Debian's (built for NumPy 1.x) fails under the venv's NumPy 2. TF needs none.
    sys.modules.setdefault("sklearn", None)
    import tensorflow as tf
    from tensorflow.python.autograph.lang import directives

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    rec.pinning.append("tf.config.threading intra/inter op threads = "
                       f"{tf.config.threading.get_intra_op_parallelism_threads()}/"
                       f"{tf.config.threading.get_inter_op_parallelism_threads()}")
    W = harness.load_workloads(harness.namespace(
        zeros=tf.zeros, float32=tf.float32, int64=tf.int64, tanh=tf.tanh, matmul=tf.matmul,
        reduce_max=tf.reduce_max, abs=tf.abs, stack=tf.stack,
        set_element_type=directives.set_element_type))
    S, C, col = rec.S, tf.constant, "TensorFlow"
    t = {k: C(v) for k, v in data.items()}
    cases = [
        ("collatz", W.collatz, (C(S["collatz"]),)),
        ("primes", W.primes, (C(S["primes"]),)),
        ("huber", W.huber, (t["hx"], C(S["huber"]))),
        ("list", W.squares_list, (C(S["list"], tf.int64),)),
        ("rnn", W.rnn, (t["rx"], t["rw"], t["ru"], t["rb"], S["T"])),
        ("newton", W.newton, (t["nv"], harness.TOL)),
    ]
    for name, f, a in cases:
        out = rec.workload(col, name, None, prepare=lambda f=f, a=a: traced(tf, f, a),
                           to_numpy=lambda r: r.numpy())
        if out is None and name == "list":
            why = rec.errors[col].pop(name)[:110]
            rec.workload(col, name, None, prepare=lambda a=a: traced(tf, squares_ta(tf), a),
                         to_numpy=lambda r: r.numpy(), variant=True,
                         note=f"same source: {why}; tf.TensorArray by hand")
    n = S["empty_while_slow"]
    rec.empty_while(col, None, n, prepare=lambda: traced(tf, W.count_up, (C(n),)), repeat=2,
                    note="tf.while_loop")
    return "TensorFlow " + tf.__version__


def traced(tf, f, args):
    lists = tf.autograph.experimental.Feature.LISTS
    g = tf.function(f, autograph=True, experimental_autograph_options=(lists,))
    return lambda: g(*args)


def squares_ta(tf):
    def squares_list(n):
        out = tf.TensorArray(tf.int64, size=0, dynamic_size=True)
        for i in range(n):
            out = out.write(tf.cast(i, tf.int32), i * i)
        return out.stack()
    return squares_list
