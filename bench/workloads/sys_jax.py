"""JAX `jax.jit`. Each workload is first jitted as workloads.py's very function (with `ag` bound
to jax.numpy); where tracing its Python control flow on traced values fails, the failure is
recorded and a version with the control flow written by hand in lax (while_loop, cond,
fori_loop) runs instead: those cells are marked '*'. x64 is on (list's i*i needs int64). One
thread: XLA_FLAGS=--xla_cpu_multi_thread_eigen=false and JAX_PLATFORMS=cpu, set by run.py
before JAX loads; XLA's CPU runtime still keeps several threads busy (a 2048^2 matmul spread
its CPU time over 5 threads, with or without "intra_op_parallelism_threads=1" in XLA_FLAGS),
which is why worker.py binds every system's process to one CPU. The first call traces and
compiles."""
import harness


def lax_versions(jax):
    """The workloads with lax control flow: the same algorithms, loops written by hand."""
    jnp, lax = jax.numpy, jax.lax
    i64 = jnp.int64

    def collatz(n):
        def steps(i):
            def body(c):
                x, s = c
                x = lax.cond(x % 2 == 0, lambda x: x // 2, lambda x: 3 * x + 1, x)
                return x, s + 1
            return lax.while_loop(lambda c: c[0] != 1, body, (i, i64(0)))[1]
        return lax.fori_loop(i64(1), n + 1, lambda i, total: total + steps(i), i64(0))

    def primes(n):
        def is_prime(k):
            def body(c):  # `break` on a divisor: the flag ends the loop instead
                d, _ = c
                return lax.cond(k % d == 0, lambda d: (d, i64(0)), lambda d: (d + 1, i64(1)), d)
            cond = lambda c: (c[0] * c[0] <= k) & (c[1] == 1)  # noqa: E731
            return lax.while_loop(cond, body, (i64(2), i64(1)))[1]
        return lax.fori_loop(i64(2), n + 1, lambda k, count: count + is_prime(k), i64(0))

    def huber(x, n):
        def body(i, total):
            a = x[i]
            return total + lax.cond(jnp.abs(a) <= 1.0, lambda a: 0.5 * a * a,
                                    lambda a: jnp.abs(a) - 0.5, a)
        return lax.fori_loop(i64(0), n, body, jnp.float32(0.0))

    def squares_list(n):  # no growable list under jit: a preallocated array, n static
        return lax.fori_loop(0, n, lambda i, out: out.at[i].set(i * i), jnp.zeros(n, i64))

    def newton(v, tol):
        return lax.while_loop(lambda x: jnp.max(jnp.abs(x * x - v)) > tol,
                              lambda x: 0.5 * (x + v / x), v)

    def count_up(n):
        return lax.while_loop(lambda i: i < n, lambda i: i + 1, i64(0))

    return dict(collatz=(collatz, ()), primes=(primes, ()), huber=(huber, ()),
                list=(squares_list, (0,)), newton=(newton, ()), count_up=(count_up, ()))


def run(rec, data):
    import jax

    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    rec.pinning.append("XLA_FLAGS=--xla_cpu_multi_thread_eigen=false")
    W = harness.load_workloads(harness.namespace(
        zeros=jnp.zeros, float32=jnp.float32, int64=jnp.int64, tanh=jnp.tanh,
        matmul=jnp.matmul, reduce_max=jnp.max, abs=jnp.abs, stack=jnp.stack,
        set_element_type=lambda *a, **k: None))
    S, col = rec.S, "JAX"
    t = {k: jnp.asarray(v) for k, v in data.items()}
    i64 = lambda v: jnp.asarray(v, jnp.int64)  # noqa: E731
    cases = [
        ("collatz", W.collatz, (i64(S["collatz"]),), ()),
        ("primes", W.primes, (i64(S["primes"]),), ()),
        ("huber", W.huber, (t["hx"], i64(S["huber"])), ()),
        ("list", W.squares_list, (i64(S["list"]),), ()),
        ("rnn", W.rnn, (t["rx"], t["rw"], t["ru"], t["rb"], S["T"]), (4,)),
        ("newton", W.newton, (t["nv"], harness.TOL), ()),
    ]
    by_hand = lax_versions(jax)
    for name, f, a, static in cases:
        note, variant = same_source(jax, f, a, static), False
        if note is not None:
            f, static = by_hand[name]
            a = (S["list"],) if name == "list" else a
            note, variant = f"same source: {note}; lax control flow by hand", True
        rec.workload(col, name, None, prepare=lambda f=f, a=a, s=static: jitted(jax, f, a, s),
                     note=note, variant=variant)
    n = S["empty_while"]
    why = same_source(jax, W.count_up, (i64(n),), ())
    f = W.count_up if why is None else by_hand["count_up"][0]
    rec.empty_while(col, None, n, prepare=lambda: jitted(jax, f, (i64(n),), ()),
                    note=("lax.while_loop by hand" if why else "same source")
                    + "; LLVM simplifies the counter loop: under a cycle per iteration")
    return "JAX " + jax.__version__


def same_source(jax, f, args, static):
    """None when workloads.py's function jits as it is, else why not."""
    try:
        jax.make_jaxpr(f, static_argnums=static)(*args)
        return None
    except Exception as e:  # noqa: BLE001 - e.g. TracerBoolConversionError on `while x != 1`
        return type(e).__name__
    finally:
        jax.clear_caches()  # so that the first call timed next traces afresh


def jitted(jax, f, args, static):
    g = jax.jit(f, static_argnums=static)
    return lambda: jax.block_until_ready(g(*args))
