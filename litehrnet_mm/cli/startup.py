"""The command-line tools' start: the garbage collector waits for the
libraries.

Each tool's first statement is ``gc.disable()``; once its imports are done
it calls :func:`libraries_loaded`. Importing torch, mmengine and mmpose
creates hundreds of thousands of objects that live as long as the process:
with the collector on, the imports trigger collection after collection, and
every later full collection walks those objects again.
"""
import gc


def libraries_loaded() -> None:
    """Freeze every object made so far for the garbage collector
    (``gc.freeze``: later collections skip them; reference counting still
    frees them) and switch the collector on again.

    The tools start and run faster for it (``docs/development.md`` has the
    times). Only cycles among the frozen objects, if any became garbage later,
    would stay uncollected.
    """
    gc.freeze()
    gc.enable()
