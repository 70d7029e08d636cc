"""Results files and the documents that quote them: every table a README
quotes from a results file is that file's, as the tool prints it."""
import re
import subprocess
import sys

import pytest
from helpers import REPO

from litehrnet_mm.cli.results import (
    header_line,
    markdown_table,
    markdown_tables,
    markdown_tables_by_candidate,
    read_results,
    run_header,
    write_results,
)
from litehrnet_mm.utils.cpu import instruction_set

# <!-- results: FILE [--by-candidate] --> followed by the file's tables, as
# `python -m litehrnet_mm.cli.results FILE [--by-candidate]` prints them
QUOTE = re.compile(r'<!-- results: (\S+)( --by-candidate)? -->\n')
DOCUMENTS = [REPO / 'README.md', *sorted(REPO.glob('configs/**/README.md')),
             *sorted(REPO.glob('projects/*/README.md')),
             *sorted(REPO.glob('docs/*.md'))]
HEADER = dict(cpu='A CPU', cores=2, threads=2, python='3.11.7',
              torch='2.14.1', onnxruntime='1.31.1', mmcv='2.1.0',
              mmengine='0.10.7', mmpose='1.3.2', litehrnet_mm='0.1.0',
              commit='abc1234', date='2026-12-04 19:00 UTC')
SECTION = dict(title='batch 1 (3 rounds of 20)', rows=[
    dict(name='mmpose eager', median_ms=75.0, ratio=1.0, ratio_low=1.0,
         ratio_high=1.0, max_abs_diff=0.0),
    dict(name='ours onnxruntime', median_ms=13.371, ratio=0.1783,
         ratio_low=0.12, ratio_high=0.18, max_abs_diff=2.6e-7)])


def test_a_results_file_round_trips_and_prints_as_tables(tmp_path):
    path = tmp_path / 'new' / 'results.json'
    write_results(str(path), HEADER, [SECTION])
    results = read_results(str(path))
    assert results == dict(header=HEADER, sections=[SECTION])
    assert markdown_table(SECTION) == (
        '| candidate | median | ratio | rounds |\n'
        '|---|---|---|---|\n'
        '| mmpose eager | 75.00 ms | 1.00x | 1.00-1.00 |\n'
        '| ours onnxruntime | 13.37 ms | 0.18x | 0.12-0.18 |\n')
    out = subprocess.run([sys.executable, '-m', 'litehrnet_mm.cli.results',
                          str(path)], capture_output=True, text=True,
                         check=True).stdout
    assert out == markdown_tables(results)
    assert out.startswith(header_line(HEADER) + '; commit abc1234, '
                          '2026-12-04 19:00 UTC\n')
    assert 'batch 1 (3 rounds of 20):\n\n| candidate |' in out


def test_sections_of_the_same_candidates_print_as_one_table(tmp_path):
    batch_32 = dict(SECTION, title='batch 32 (3 rounds of 2)', rows=[
        dict(row, median_ms=row['median_ms'] * 20) for row in SECTION['rows']])
    pipeline = dict(title='whole top-down pipeline, 8 people (1 image)',
                    rows=[dict(SECTION['rows'][0], name='mmpose API')])
    step = dict(title='quickstart', rows=[dict(name='training', seconds=61)],
                columns=[['step', 'name', 'text'],
                         ['time', 'seconds', 'duration']])
    path = tmp_path / 'results.json'
    write_results(str(path), HEADER, [SECTION, batch_32, pipeline, step])
    results = read_results(str(path))
    assert markdown_tables_by_candidate(results) == (
        markdown_tables(results).split('\n')[0] + '\n\n'
        '| candidate | batch 1 | batch 32 |\n'
        '|---|---|---|\n'
        '| mmpose eager | 75.00 ms, 1.00x (1.00-1.00) | 1500.00 ms, 1.00x '
        '(1.00-1.00) |\n'
        '| ours onnxruntime | 13.37 ms, 0.18x (0.12-0.18) | 267.42 ms, '
        '0.18x (0.12-0.18) |\n\n'
        '| candidate | whole top-down pipeline, 8 people |\n'
        '|---|---|\n'
        '| mmpose API | 75.00 ms, 1.00x (1.00-1.00) |\n\n'
        'quickstart:\n\n'
        '| step | time |\n'
        '|---|---|\n'
        '| training | 1 min 1 s |\n')
    out = subprocess.run([sys.executable, '-m', 'litehrnet_mm.cli.results',
                          str(path), '--by-candidate'], capture_output=True,
                         text=True, check=True).stdout
    assert out == markdown_tables_by_candidate(results)


def test_the_header_names_the_optional_libraries_a_run_had():
    line = header_line(HEADER)
    assert line == ('A CPU, 2 cores, 2 threads; python 3.11.7, torch 2.14.1, '
                    'onnxruntime 1.31.1, mmcv 2.1.0, mmengine 0.10.7, '
                    'mmpose 1.3.2')
    assert header_line(dict(HEADER, openvino='2026.4.1', mmseg='1.2.2',
                            nncf='3.4.0')) == (
        line + ', mmseg 1.2.2, openvino 2026.4.1, nncf 3.4.0')


def test_the_header_names_the_instruction_set_where_it_has_it():
    assert header_line(dict(HEADER, isa='AVX2')).startswith(
        'A CPU (AVX2), 2 cores, 2 threads; ')
    header = run_header(threads=1)
    assert header.get('isa') == instruction_set()


@pytest.mark.parametrize('document', DOCUMENTS,
                         ids=lambda p: str(p.relative_to(REPO)))
def test_quoted_results_are_the_files(document):
    text = document.read_text()
    for match in QUOTE.finditer(text):
        path = REPO / match.group(1)
        assert path.is_file(), f'{document} quotes {path}, which is missing'
        tables = (markdown_tables_by_candidate if match.group(2) else
                  markdown_tables)(read_results(str(path)))
        assert text[match.end():match.end() + len(tables)] == tables, (
            f'{document}: the tables after {match.group(0).strip()} are '
            f'not the file\'s; print them with `python -m '
            f'litehrnet_mm.cli.results {match.group(1)}'
            f'{match.group(2) or ""}`')


def test_the_readme_quotes_a_benchmark_results_file():
    assert QUOTE.search((REPO / 'README.md').read_text())


@pytest.mark.parametrize('document', DOCUMENTS,
                         ids=lambda p: str(p.relative_to(REPO)))
def test_documents_speak_of_the_software_only(document):
    """No issue numbers in what users read."""
    text = document.read_text()
    assert not re.search(r'\bissues? #?\d+', text, re.I), document
