"""Hand the C heap's free memory back to the operating system (glibc's `malloc_trim`).

RocksDB (under embedded Oxigraph) allocates its memtables from the process's C heap. Freed
blocks in the middle of that heap stay counted in the process's resident memory until
`malloc_trim` returns their pages; glibc does this only at the top of the heap by itself. On
other C libraries (musl, macOS) there is no such call and this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def trim_heap() -> bool:
    """Return free heap pages to the OS; False where the C library cannot."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False
