"""Progress that suits where it is written: a live bar on a terminal, a few
lines in a log."""
import sys
from typing import Optional, TextIO

from mmengine.utils import ProgressBar


class Progress:
    """Count ``total`` steps of work, for a person watching or for a log.

    On a terminal this is mmengine's ``ProgressBar``, redrawn at every step.
    Written to a file or a pipe (CI, ``nohup``, a cluster's log), a bar
    redrawn thousands of times becomes thousands of lines; there it writes
    one line per tenth of the work instead, and the last one when done.

    Args:
        total (int): Number of steps.
        what (str): What a step makes, for the log lines. Defaults to
            ``'items'``.
        file (TextIO, optional): Where to write. Defaults to ``sys.stdout``.

    Example:
        >>> progress = Progress(2200, 'images')
        >>> for _ in range(2200):
        ...     progress.update()
        >>> progress.close()
    """

    def __init__(self,
                 total: int,
                 what: str = 'items',
                 file: Optional[TextIO] = None):
        self.file = file or sys.stdout
        self.total, self.what, self.done = total, what, 0
        isatty = getattr(self.file, 'isatty', None)
        self.bar = ProgressBar(total, file=self.file) if (
            isatty and isatty()) else None
        self._step = max(1, total // 10)

    def update(self) -> None:
        """Count one step."""
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.done % self._step == 0 or self.done == self.total:
            print(f'{self.done}/{self.total} {self.what}', file=self.file,
                  flush=True)

    def close(self) -> None:
        """End the bar's line on a terminal."""
        if self.bar is not None:
            print(file=self.file)
