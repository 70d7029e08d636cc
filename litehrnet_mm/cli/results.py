"""Measurements as files: what a tool measured, with the run's header, in
JSON; and the Markdown tables the documents quote from such a file.

    python -m litehrnet_mm.cli.results docs/results/benchmark.json

prints the tables of a results file, as the README shows them.
"""
import datetime
import json
import os
import platform
import subprocess
import sys
from typing import Dict, List, Optional

#: The columns of a timing table: title, and the cell of a row.
TIMING_COLUMNS = (
    ('median', lambda row: f"{row['median_ms']:.2f} ms"),
    ('ratio', lambda row: f"{row['ratio']:.2f}x"),
    ('rounds', lambda row: f"{row['ratio_low']:.2f}-{row['ratio_high']:.2f}"),
)


def _cpu() -> str:
    if os.path.exists('/proc/cpuinfo'):
        with open('/proc/cpuinfo') as info:
            for line in info:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    return platform.processor() or platform.machine()


def _commit() -> Optional[str]:
    """The checkout's commit (``+changes`` if files differ from it), or
    None outside a git checkout."""
    here = os.path.dirname(os.path.abspath(__file__))

    def git(*args) -> str:
        return subprocess.run(['git', '-C', here, *args], check=True,
                              capture_output=True, text=True).stdout.strip()

    try:
        commit = git('rev-parse', '--short', 'HEAD')
        changed = git('status', '--porcelain', '--untracked-files=no')
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ('+changes' if changed else '')


def run_header(threads: int) -> Dict[str, object]:
    """The machine, thread count, library versions, commit and date of a
    measurement."""
    import mmcv
    import mmengine
    import mmpose
    import onnxruntime
    import torch

    from litehrnet_mm.version import __version__
    return dict(
        cpu=_cpu(), cores=os.cpu_count(), threads=threads,
        python=platform.python_version(), torch=torch.__version__,
        onnxruntime=onnxruntime.__version__, mmcv=mmcv.__version__,
        mmengine=mmengine.__version__, mmpose=mmpose.__version__,
        litehrnet_mm=__version__, commit=_commit(),
        date=datetime.datetime.now(datetime.timezone.utc).strftime(
            '%Y-%m-%d %H:%M UTC'))


def header_line(header: dict) -> str:
    """The header as one line of text."""
    return (f"{header['cpu']}, {header['cores']} cores, {header['threads']} "
            f"threads; python {header['python']}, torch {header['torch']}, "
            f"onnxruntime {header['onnxruntime']}, mmcv {header['mmcv']}, "
            f"mmengine {header['mmengine']}, mmpose {header['mmpose']}")


def write_results(path: str, header: dict, sections: List[dict]) -> None:
    """Write a results file: ``{'header': ..., 'sections': [{'title', 'rows':
    [{'name', 'median_ms', 'ratio', 'ratio_low', 'ratio_high', ...}]}]}``.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, 'w') as file:
        json.dump(dict(header=header, sections=sections), file, indent=1)
        file.write('\n')


def read_results(path: str) -> dict:
    with open(path) as file:
        return json.load(file)


def markdown_table(section: dict) -> str:
    """A section of a results file as a Markdown table: each candidate's
    median time, its ratio to the first candidate (median over rounds) and
    the lowest and highest round's ratio."""
    lines = ['| ' + ' | '.join(['candidate'] + [title for title, _ in
                                                 TIMING_COLUMNS]) + ' |',
             '|' + '---|' * (len(TIMING_COLUMNS) + 1)]
    for row in section['rows']:
        cells = [row['name']] + [cell(row) for _, cell in TIMING_COLUMNS]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def markdown_tables(results: dict) -> str:
    """Every section of a results file, under its title, after the
    header."""
    parts = [f"{header_line(results['header'])}; commit "
             f"{results['header']['commit']}, {results['header']['date']}\n"]
    for section in results['sections']:
        parts.append(f"{section['title']}:\n\n{markdown_table(section)}")
    return '\n'.join(parts)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(markdown_tables(read_results(sys.argv[1])), end='')
