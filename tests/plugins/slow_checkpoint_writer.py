"""A checkpoint writer slow enough that a test can kill a run inside a
write: every file takes about half a second, written in pieces."""
import time

from mmengine.fileio import register_backend

from litehrnet_mm.engine import AtomicLocalBackend

BACKEND = 'slow_atomic_local'


class SlowAtomicLocalBackend(AtomicLocalBackend):

    def _write(self, file, data: bytes) -> None:
        pieces = 5
        step = max(1, len(data) // pieces + 1)
        for start in range(0, len(data), step):
            file.write(data[start:start + step])
            file.flush()
            time.sleep(0.1)


register_backend(BACKEND, SlowAtomicLocalBackend, force=True)
