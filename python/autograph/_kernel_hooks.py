"""Entry point the xautograph kernel imports at start-up (see kernel/README.md, "Hooks").

Also a regular IPython extension: `%load_ext autograph._kernel_hooks` in ipykernel registers
the same magics and traceback filter.
"""


def load_ipython_extension(ipython):
    """Registers %%autograph and %autograph_graph and the traceback filter on `ipython`."""
    from .notebook import magics, tracebacks

    ipython.register_magics(magics.AutographMagics)
    tracebacks.install(ipython)


def unload_ipython_extension(ipython):
    from .notebook import tracebacks

    tracebacks.uninstall(ipython)
