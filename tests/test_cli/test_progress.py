"""Progress: a bar for a terminal, a few lines for a log."""
import io

from litehrnet_mm.cli.progress import Progress


class Terminal(io.StringIO):

    def isatty(self):
        return True


def test_a_log_gets_a_line_per_tenth():
    log = io.StringIO()
    progress = Progress(3200, 'images', log)
    for _ in range(3200):
        progress.update()
    progress.close()
    lines = log.getvalue().splitlines()
    assert lines == [f'{n}/3200 images' for n in range(320, 3201, 320)]


def test_a_short_job_gets_a_line_per_step():
    log = io.StringIO()
    progress = Progress(3, 'pictures', log)
    for _ in range(3):
        progress.update()
    assert log.getvalue() == '1/3 pictures\n2/3 pictures\n3/3 pictures\n'


def test_a_terminal_gets_mmengines_bar():
    terminal = Terminal()
    progress = Progress(50, 'images', terminal)
    for _ in range(50):
        progress.update()
    progress.close()
    out = terminal.getvalue()
    assert out.count('\r') >= 50 and '50/50' in out
    assert 'images' not in out and out.endswith('\n')
