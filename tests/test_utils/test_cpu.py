"""The CPU's model and instruction set, as results headers name them, from
its ``/proc/cpuinfo``."""
import pytest

from litehrnet_mm.utils.cpu import (
    cpu_flags,
    cpu_name,
    instruction_set,
)


def _cpuinfo(tmp_path, flags):
    cpuinfo = tmp_path / 'cpuinfo'
    cpuinfo.write_text('processor\t: 0\nmodel name\t: AMD EPYC\n'
                       f'flags\t\t: {flags}\n\nprocessor\t: 1\n'
                       f'flags\t\t: {flags}\n')
    return str(cpuinfo)


@pytest.mark.parametrize('flags,name', [
    ('fpu sse avx2 fma', 'AVX2'),
    ('fpu avx2 avx_vnni', 'AVX-VNNI'),
    ('fpu avx2 avx512f avx512bw', 'AVX-512'),
    ('fpu avx2 avx512f avx512_vnni avx512_bf16', 'AVX-512 VNNI'),
    ('fpu avx2 avx512f avx512_vnni amx_bf16 amx_int8 amx_tile', 'AMX'),
    ('fpu sse sse2 sse4_2', None),
])
def test_the_widest_instruction_set_is_named(tmp_path, monkeypatch, flags,
                                             name):
    monkeypatch.setattr('platform.machine', lambda: 'x86_64')
    cpuinfo = _cpuinfo(tmp_path, flags)
    assert cpu_flags(cpuinfo) == flags.split()
    assert cpu_name(cpuinfo) == 'AMD EPYC'
    assert instruction_set(cpuinfo) == name


def test_unknown_where_the_flags_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.setattr('platform.machine', lambda: 'x86_64')
    assert cpu_flags(str(tmp_path / 'missing')) is None
    assert instruction_set(str(tmp_path / 'missing')) is None
    assert cpu_name(str(tmp_path / 'missing'))  # the platform's word
    (tmp_path / 'no_flags').write_text('processor\t: 0\n')
    assert instruction_set(str(tmp_path / 'no_flags')) is None


def test_other_architectures_have_none(tmp_path, monkeypatch):
    monkeypatch.setattr('platform.machine', lambda: 'aarch64')
    assert instruction_set(_cpuinfo(tmp_path, 'fp asimd avx2')) is None
