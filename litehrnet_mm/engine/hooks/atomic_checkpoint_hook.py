"""Checkpoints that survive a killed run: a file appears under its final name
only when complete, and is deleted only after its successor is complete.

mmengine's ``CheckpointHook`` (0.10) removes the oldest kept checkpoint and
the previous best one *before* it writes their successors, writes with
``open(path, 'wb')`` under the final name, and rewrites ``last_checkpoint``
in place. A run killed in between (pre-emption, Ctrl-C, out of memory, a
full disk) is left with a truncated file under a real checkpoint's name, or
with none, and ``last_checkpoint`` may name a file that is gone.
"""
import glob
import os
import os.path as osp
from typing import List, Union

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, register_backend
from mmengine.hooks import CheckpointHook

from litehrnet_mm.registry import HOOKS

BACKEND = 'litehrnet_mm_atomic_local'
_PARTIAL = '.{name}.{pid}.partial'


class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend, writing through a temporary file in
    the same folder: written, flushed and synced, then renamed over the
    final name (``os.replace``, atomic on POSIX and Windows).

    A failed write (a full disk, a quota) removes the temporary file and
    raises ``OSError`` naming the file, with the final name untouched.
    """

    def put(self, obj: bytes, filepath: Union[str, os.PathLike]) -> None:
        """Write ``obj`` to ``filepath`` atomically."""
        filepath = os.fspath(filepath)
        folder = osp.dirname(osp.abspath(filepath))
        os.makedirs(folder, exist_ok=True)
        partial = osp.join(folder, _PARTIAL.format(
            name=osp.basename(filepath), pid=os.getpid()))
        try:
            with open(partial, 'wb') as file:
                self._write(file, obj)
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, filepath)
        except OSError as error:
            if osp.exists(partial):
                os.remove(partial)
            raise OSError(
                error.errno,
                f'{error.strerror or error}: could not write {filepath}. '
                f'Nothing was replaced: the files in {folder} are as they '
                'were before this write', filepath) from error
        _sync_folder(folder)

    def put_text(self, obj: str, filepath: Union[str, os.PathLike],
                 encoding: str = 'utf-8') -> None:
        """Write the text ``obj`` to ``filepath`` atomically."""
        self.put(obj.encode(encoding), filepath)

    def _write(self, file, data: bytes) -> None:
        file.write(data)


def _sync_folder(folder: str) -> None:
    """Make a rename in ``folder`` durable (where the system allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # folders cannot be synced on every system (Windows)
    finally:
        os.close(fd)


register_backend(BACKEND, AtomicLocalBackend, force=True)


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` (same arguments), made safe to kill.

    - Every checkpoint, and ``last_checkpoint``, is written under a
      temporary name in its folder and renamed when complete
      (:class:`AtomicLocalBackend`), so a file under a checkpoint's name is
      always whole; temporary files of a killed run are removed when the
      next run starts.
    - With ``max_keep_ckpts``, the oldest checkpoint is removed after the
      new one is complete; the previous best checkpoint after the new best
      is; ``last_checkpoint`` names the new file only once it is complete.
    - A write that fails (a full disk) raises ``OSError`` naming the file
      and leaves the previous checkpoints as they were.

    Given ``backend_args`` of another storage (e.g. a remote backend),
    files are written by that backend, without these guarantees.
    """

    def __init__(self, *args, backend_args=None, **kwargs) -> None:
        if backend_args is None and not kwargs.get('file_client_args'):
            backend_args = dict(backend=BACKEND)
        super().__init__(*args, backend_args=backend_args, **kwargs)

    def before_train(self, runner) -> None:
        """Set up as mmengine does, then clear a killed run's leftovers."""
        super().before_train(runner)
        if is_main_process() and isinstance(self.file_backend,
                                            AtomicLocalBackend):
            pattern = _PARTIAL.format(name='*', pid='*')
            for folder in {self.out_dir, runner.work_dir}:
                for leftover in glob.glob(osp.join(folder, pattern)):
                    os.remove(leftover)

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        # the bookkeeping that goes into the checkpoint comes first, as in
        # mmengine; removing the outdated file comes last
        outdated = []
        if self.max_keep_ckpts > 0 and not (
                self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                outdated.append(self.keep_ckpt_ids.popleft())
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, filename, self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler, meta=meta,
            by_epoch=self.by_epoch, backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        writer = self.file_backend if isinstance(
            self.file_backend, AtomicLocalBackend) else AtomicLocalBackend()
        writer.put_text(self.last_ckpt,
                        osp.join(runner.work_dir, 'last_checkpoint'))
        self._remove([
            self.file_backend.join_path(self.out_dir,
                                        self.filename_tmpl.format(old))
            for old in outdated
        ])

    def _save_best_checkpoint(self, runner, metrics) -> None:
        # mmengine removes the previous best before writing the new one:
        # hold its removals back until the new best is written
        backend = self.file_backend
        self.file_backend = _HeldRemovals(backend)
        try:
            super()._save_best_checkpoint(runner, metrics)
            held = self.file_backend.held
        finally:
            self.file_backend = backend
        current = {self.last_ckpt, getattr(self, 'best_ckpt_path', None),
                   *getattr(self, 'best_ckpt_path_dict', {}).values()}
        self._remove([path for path in held if path not in current])

    def _remove(self, paths: List[str]) -> None:
        if not is_main_process():
            return
        for path in paths:
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # deepspeed's checkpoints
                self.file_backend.rmtree(path)


class _HeldRemovals:
    """A file backend whose removals are noted instead of done."""

    def __init__(self, backend) -> None:
        self._backend = backend
        self.held: List[str] = []

    def remove(self, path) -> None:
        self.held.append(path)

    def rmtree(self, path) -> None:
        self.held.append(path)

    def __getattr__(self, name):
        return getattr(self._backend, name)
