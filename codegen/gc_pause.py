"""Cyclic garbage collection paused while a large tree of objects is built.

Building the data of a 3 MB spec (and the IR from it, and the model
generator's graph) allocates hundreds of thousands of objects that all stay
alive; each time the collector's counters fill up it walks them again, to find
no garbage. With it paused the same work takes a fraction of the time
(measured: composing OpenAI's spec 2.0 s -> 0.5 s).
Reference counting still frees what is dropped; cycles left behind are
collected once the collector runs again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Collection off inside the block; back to how it was after (nesting is safe)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                # What was built lives on: moved straight to the oldest
                # generation (two list splices), the younger collections to
                # come need not walk it first.
                gc.freeze()
                gc.unfreeze()
            gc.enable()
