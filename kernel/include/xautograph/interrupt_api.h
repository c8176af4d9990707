/* Interrupt API that the xautograph kernel offers to native code running in it.
 *
 * Why: Python only notices SIGINT while it runs bytecode or when someone calls
 * PyErr_CheckSignals() on the main thread. The staged runtime (autograph._core) runs graphs in
 * C++ with the GIL released, so an interrupt would wait until the graph finishes. The kernel
 * therefore chains a C-level SIGINT handler in front of Python's: it counts every SIGINT that
 * arrives while a cell runs and calls the callbacks registered here, then lets Python's own
 * handler run (so KeyboardInterrupt is still raised when control returns to Python).
 *
 * How the runtime finds it (no link-time dependency on the kernel):
 *
 *   const xag_interrupt_api* api =
 *       (const xag_interrupt_api*)PyCapsule_Import(XAG_INTERRUPT_API_CAPSULE, 0);
 *   if (!api) PyErr_Clear();   // not inside xautograph (plain python, ipykernel): fall back
 *
 * Two ways to use it, both without the GIL:
 *   - poll:     unsigned long long start = api->interrupt_count();
 *               ... in the executor loop: if (api->interrupt_count() != start) stop();
 *   - callback: int id = api->add_callback(&set_my_atomic_flag, &flag); ... remove_callback(id);
 *               The callback runs inside the signal handler: it must be async-signal-safe
 *               (store to a lock-free std::atomic / volatile sig_atomic_t, nothing else).
 *
 * After stopping, the runtime re-acquires the GIL and calls PyErr_CheckSignals(): Python's
 * handler has already recorded the signal, so this raises KeyboardInterrupt in the cell.
 *
 * Fallback that works in every Python host (and in this kernel too): every few milliseconds,
 * on the main thread, take the GIL briefly and call PyErr_CheckSignals(); a non-zero result
 * means an exception (KeyboardInterrupt) is pending: stop and propagate it.
 */
#ifndef XAUTOGRAPH_INTERRUPT_API_H
#define XAUTOGRAPH_INTERRUPT_API_H

#ifdef __cplusplus
extern "C" {
#endif

/* Full dotted name of the capsule, as PyCapsule_Import wants it. */
#define XAG_INTERRUPT_API_CAPSULE "xautograph_kernel._interrupt_api"
#define XAG_INTERRUPT_API_VERSION 1

typedef void (*xag_interrupt_callback)(void* user_data);

typedef struct xag_interrupt_api {
  /* XAG_INTERRUPT_API_VERSION of the kernel that filled this table. */
  int version;
  /* Number of SIGINTs the kernel has received while a cell was running. Lock-free. */
  unsigned long long (*interrupt_count)(void);
  /* Registers cb(user_data) to run in the SIGINT handler. Returns a slot id >= 0, or -1 when
   * all slots are taken. */
  int (*add_callback)(xag_interrupt_callback cb, void* user_data);
  /* Unregisters a slot returned by add_callback; ignores invalid ids. */
  void (*remove_callback)(int id);
} xag_interrupt_api;

#ifdef __cplusplus
}
#endif

#endif /* XAUTOGRAPH_INTERRUPT_API_H */
