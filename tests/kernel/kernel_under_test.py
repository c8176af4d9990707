"""Where the kernel under test comes from: the build tree, never a system install.

CTest sets JUPYTER_PATH to ${build}/share/jupyter (whose kernel.json names the built
executable by absolute path) and XAG_KERNEL_EXECUTABLE to that executable. To run these tests by
hand:

    B=/work/main/build-kernel
    JUPYTER_PATH=$B/share/jupyter XAG_KERNEL_EXECUTABLE=$B/bin/xautograph \
    IPYTHONDIR=$B/tests/kernel/ipython /usr/bin/python3 -m unittest -v test_conformance
"""
import os

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "xautograph"


def check_kernelspec():
    """Fails unless the xautograph kernelspec found by Jupyter runs the build tree's executable."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    expected = os.environ.get("XAG_KERNEL_EXECUTABLE")
    if expected and os.path.realpath(spec.argv[0]) != os.path.realpath(expected):
        raise AssertionError(
            "kernelspec %r in %s runs %s, not the build tree's %s; set JUPYTER_PATH to "
            "${build}/share/jupyter" % (KERNEL_NAME, spec.resource_dir, spec.argv[0], expected))
    return spec


def start_kernel(timeout=30, **popen_options):
    """A kernel of the build tree, started, and its client once the kernel answered."""
    check_kernelspec()
    km = KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(**popen_options)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=timeout)
    return km, kc


def stop_kernel(km, kc):
    """Closes the client and shuts the kernel down, unless a test already ended it."""
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)
