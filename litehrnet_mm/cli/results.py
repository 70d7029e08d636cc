"""Measurements as files: what a tool measured, with the run's header, in
JSON; and the Markdown tables the documents quote from such a file.

    python -m litehrnet_mm.cli.results RESULTS.json [--by-candidate]

prints the tables of a results file; ``--by-candidate`` prints the timing
sections that time the same candidates as one table (the README's form).
"""
import datetime
import json
import os
import platform
import subprocess
import sys
from typing import Dict, List, Optional


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f'{minutes} min {seconds} s' if minutes else f'{seconds} s'


#: How a results file's numbers are written in its tables, by name.
FORMATS = {
    'text': str,
    'ms': lambda value: f'{value:.2f} ms',
    'ratio': lambda value: f'{value:.2f}x',
    'ratio_range': lambda low_high: '{:.2f}-{:.2f}'.format(*low_high),
    'duration': _duration,
    'range_s': lambda low_median_high: (
        '{:.2f}-{:.2f} s, median {:.2f} s'.format(*low_median_high[::2],
                                                  low_median_high[1])),
    'metric': lambda value: (f'{value:.3f}' if abs(value) <= 1 else
                             f'{value:.2f}'),
}

#: The columns of a timing table (a section that names no ``columns``):
#: title, the row's key (or keys), the format.
TIMING_COLUMNS = [
    ['candidate', 'name', 'text'],
    ['median', 'median_ms', 'ms'],
    ['ratio', 'ratio', 'ratio'],
    ['rounds', ['ratio_low', 'ratio_high'], 'ratio_range'],
]


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
    try:
        import mmseg
    except ImportError:  # only the segmentation project needs it
        mmseg = None

    from litehrnet_mm.utils.cpu import cpu_name, instruction_set
    from litehrnet_mm.version import __version__
    isa = instruction_set()
    return dict(
        cpu=cpu_name(), **(dict(isa=isa) if isa else {}),
        cores=os.cpu_count(), threads=threads,
        python=platform.python_version(), torch=torch.__version__,
        onnxruntime=onnxruntime.__version__, mmcv=mmcv.__version__,
        mmengine=mmengine.__version__, mmpose=mmpose.__version__,
        **(dict(mmseg=mmseg.__version__) if mmseg else {}),
        litehrnet_mm=__version__, commit=_commit(),
        date=datetime.datetime.now(datetime.timezone.utc).strftime(
            '%Y-%m-%d %H:%M UTC'))


#: Libraries a header names when the run had them.
OPTIONAL_LIBRARIES = ('mmseg', 'openvino', 'nncf')


def header_line(header: dict) -> str:
    """The header as one line of text: the CPU (with its instruction set
    where the header has it), cores, threads and library versions."""
    cpu = header['cpu'] + (f" ({header['isa']})" if 'isa' in header else '')
    return (f"{cpu}, {header['cores']} cores, {header['threads']} "
            f"threads; python {header['python']}, torch {header['torch']}, "
            f"onnxruntime {header['onnxruntime']}, mmcv {header['mmcv']}, "
            f"mmengine {header['mmengine']}, mmpose {header['mmpose']}" +
            ''.join(f', {name} {header[name]}' for name in OPTIONAL_LIBRARIES
                    if name in header))


def write_results(path: str, header: dict, sections: List[dict]) -> None:
    """Write a results file: ``{'header': ..., 'sections': [{'title', 'rows':
    [{'name', 'median_ms', 'ratio', 'ratio_low', 'ratio_high', ...}]}]}``,
    a section's ``columns`` saying how its rows are tabled when they are
    not timings (:func:`markdown_table`).
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, 'w') as file:
        json.dump(dict(header=header, sections=sections), file, indent=1)
        file.write('\n')


def read_results(path: str) -> dict:
    with open(path) as file:
        return json.load(file)


def _cell(row: dict, key, format_name: str) -> str:
    if isinstance(key, list):
        return FORMATS[format_name]([row[k] for k in key])
    return FORMATS[format_name](row[key]) if key in row else ''


def markdown_table(section: dict) -> str:
    """A section of a results file as a Markdown table, in its ``columns``
    (``[title, key, format]``, the format named in :data:`FORMATS`); a
    timing section without them gives each candidate's median time, its
    ratio to the first candidate (median over rounds) and the lowest and
    highest round's ratio."""
    columns = section.get('columns', TIMING_COLUMNS)
    lines = ['| ' + ' | '.join(title for title, _, _ in columns) + ' |',
             '|' + '---|' * len(columns)]
    for row in section['rows']:
        cells = [_cell(row, key, name) for _, key, name in columns]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def _header(results: dict) -> str:
    return (f"{header_line(results['header'])}; commit "
            f"{results['header']['commit']}, {results['header']['date']}\n")


def markdown_tables(results: dict) -> str:
    """Every section of a results file, under its title, after the
    header."""
    parts = [_header(results)]
    for section in results['sections']:
        parts.append(f"{section['title']}:\n\n{markdown_table(section)}")
    return '\n'.join(parts)


def _by_candidate_table(sections: List[dict]) -> str:
    """Timing sections of the same candidates as one table: a row per
    candidate, a column per section (its title up to the bracket) with the
    median time, the ratio and its lowest and highest round."""
    titles = [section['title'].split(' (')[0] for section in sections]
    lines = ['| candidate | ' + ' | '.join(titles) + ' |',
             '|' + '---|' * (len(sections) + 1)]
    for rows in zip(*(section['rows'] for section in sections)):
        cells = [
            f"{FORMATS['ms'](row['median_ms'])}, "
            f"{FORMATS['ratio'](row['ratio'])} "
            f"({_cell(row, ['ratio_low', 'ratio_high'], 'ratio_range')})"
            for row in rows
        ]
        lines.append(f"| {rows[0]['name']} | " + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def markdown_tables_by_candidate(results: dict) -> str:
    """The header, then each run of consecutive timing sections that time
    the same candidates as one table (:func:`_by_candidate_table`), and any
    other section as :func:`markdown_tables` gives it."""
    groups: List[List[dict]] = []
    for section in results['sections']:
        names = [row['name'] for row in section['rows']]
        last = groups[-1] if groups else None
        if (last and 'columns' not in section and 'columns' not in last[0]
                and names == [row['name'] for row in last[0]['rows']]):
            last.append(section)
        else:
            groups.append([section])
    parts = [_header(results)]
    for group in groups:
        if 'columns' in group[0]:
            parts.append(f"{group[0]['title']}:\n\n"
                         f"{markdown_table(group[0])}")
        else:
            parts.append(_by_candidate_table(group))
    return '\n'.join(parts)


if __name__ == '__main__':
    if len(sys.argv) not in (2, 3) or sys.argv[2:] not in ([],
                                                          ['--by-candidate']):
        sys.exit(__doc__)
    tables = (markdown_tables_by_candidate if sys.argv[2:] else
              markdown_tables)
    print(tables(read_results(sys.argv[1])), end='')
