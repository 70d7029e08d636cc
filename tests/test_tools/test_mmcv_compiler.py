"""tools/mmcv_compiler.py, the compiler of setup_env.sh's mmcv build: the
flags it changes, and a header precompiled once and used by each compile."""
import importlib.util
import shutil
import subprocess

import pytest
from helpers import REPO


def _tool():
    spec = importlib.util.spec_from_file_location(
        'mmcv_compiler', REPO / 'tools' / 'mmcv_compiler.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cxx20_for_older_standards_and_no_debug_information():
    tool = _tool()
    assert tool.compiler_args(
        ['-g', '-O3', '-std=c++17', '-c', 'a.cpp', '-o', 'a.o']) == [
            '-O3', '-std=c++20', '-c', 'a.cpp', '-o', 'a.o']
    assert tool.compiler_args(['-std=c++14']) == ['-std=c++20']


def test_header_flags_leave_out_the_inputs_and_outputs():
    args = ['-MMD', '-MF', 'a.o.d', '-I/inc', '-DX=1', '-c', 'src/a.cpp',
            '-o', 'a.o', '-O3', '-fPIC']
    assert _tool().header_flags(args, 'src/a.cpp') == [
        '-I/inc', '-DX=1', '-O3', '-fPIC']


@pytest.mark.skipif(shutil.which('g++') is None, reason='needs g++')
def test_header_is_precompiled_once_and_included(tmp_path):
    tool = _tool()
    real = shutil.which('g++')
    flags = ['-std=c++20', '-O1']
    header = tool.precompiled_header(real, flags, str(tmp_path), 'vector')
    assert open(header).read() == '#include <vector>\n'
    made = (tmp_path / header).with_suffix('.h.gch')
    assert made.is_file()
    stamp = made.stat().st_mtime_ns
    assert tool.precompiled_header(real, flags, str(tmp_path),
                                   'vector') == header
    assert made.stat().st_mtime_ns == stamp  # not made again
    # a source compiled through the tool uses it (-Winvalid-pch would say
    # otherwise); other flags get their own
    source = tmp_path / 'a.cpp'
    source.write_text('int f() { return std::vector<int>(3).size(); }\n')
    proc = subprocess.run(
        [real, '-Winvalid-pch', '-include', header, *flags, '-c',
         str(source), '-o', str(tmp_path / 'a.o'), '-H'],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert '.gch' in proc.stderr.splitlines()[0]
    assert tool.precompiled_header(real, ['-O2'], str(tmp_path),
                                   'vector') != header


def test_a_compiler_that_cannot_precompile_compiles_without(tmp_path):
    assert _tool().precompiled_header(
        shutil.which('false'), ['-O3'], str(tmp_path)) is None


def test_the_command_runs_the_real_compiler_on_the_changed_flags(tmp_path):
    # echo stands in for the compiler: it precompiles nothing, so the
    # source is compiled without the header, with the flags changed
    proc = subprocess.run(
        [shutil.which('python3'), REPO / 'tools' / 'mmcv_compiler.py',
         shutil.which('echo'), '-g', '-std=c++17', '-c', 'a.cpp', '-o',
         'a.o'], capture_output=True, text=True,
        env={'MMCV_PCH_DIR': str(tmp_path), 'PATH': '/usr/bin:/bin'})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == '-std=c++20 -c a.cpp -o a.o\n'
