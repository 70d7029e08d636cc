"""The C and C++ compiler for the mmcv build of ``tools/setup_env.sh``.

    python3 tools/mmcv_compiler.py REAL_COMPILER ARGS...

runs ``REAL_COMPILER`` (gcc, g++) on ``ARGS`` changed in three ways:

- ``-std=c++20`` where mmcv's ``setup.py`` asks for C++14 or C++17: torch
  2.14's headers need C++20.
- No ``-g`` (Python's build flags add it): the build is faster and the
  wheel far smaller without debug information.
- Each C++ source is compiled with ``torch/types.h`` precompiled and
  included first (``-include``; with ``MMCV_PCH_DIR`` set, the header is
  precompiled there once per set of flags). Every mmcv op source includes
  that header (through ``pytorch_cpp_helper.hpp``), and reading it is most
  of the compile (``docs/development.md`` has the times). A compiler that
  fails to precompile it compiles each source without it.

Only the standard library is used: it runs before anything is installed.
"""
import fcntl
import hashlib
import os
import subprocess
import sys

SOURCES = ('.cpp', '.cc', '.cxx')
HEADER = 'torch/types.h'


def compiler_args(args: list) -> list:
    """``args`` with C++20 for C++14/17 and without ``-g``."""
    changed = []
    for arg in args:
        if arg == '-g':
            continue
        changed.append('-std=c++20' if arg in ('-std=c++14', '-std=c++17')
                       else arg)
    return changed


def header_flags(args: list, source: str) -> list:
    """The flags of a one-source compile, without what names its input and
    outputs: the flags a precompiled header for it must be built with."""
    flags, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ('-o', '-MF', '-MT', '-MQ'):
            skip = True
        elif arg not in ('-c', '-MMD', '-MD', source):
            flags.append(arg)
    return flags


def precompiled_header(real: str, flags: list, folder: str,
                       include: str = HEADER):
    """The path to ``-include`` for ``include`` precompiled with ``flags``
    in ``folder`` (made by the first compile that asks, the others waiting
    for it), or None where precompiling failed."""
    key = hashlib.sha1('\0'.join([real, include, *flags
                                   ]).encode()).hexdigest()[:16]
    folder = os.path.join(folder, key)
    os.makedirs(folder, exist_ok=True)
    header = os.path.join(folder, 'precompiled.h')
    failed = os.path.join(folder, 'failed')
    with open(os.path.join(folder, 'lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(header + '.gch') and not os.path.exists(
                failed):
            with open(header, 'w') as f:
                f.write(f'#include <{include}>\n')
            made = subprocess.run(
                [real, *flags, '-x', 'c++-header', header, '-o',
                 header + '.gch.partial'],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if made.returncode == 0 and os.path.exists(header +
                                                        '.gch.partial'):
                os.rename(header + '.gch.partial', header + '.gch')
            else:
                open(failed, 'w').close()
    return None if os.path.exists(failed) else header


def main() -> None:
    real, args = sys.argv[1], compiler_args(sys.argv[2:])
    sources = [arg for arg in args if arg.endswith(SOURCES)]
    folder = os.environ.get('MMCV_PCH_DIR')
    if folder and '-c' in args and len(sources) == 1:
        header = precompiled_header(real, header_flags(args, sources[0]),
                                    folder)
        if header is not None:
            args = ['-Winvalid-pch', '-include', header, *args]
    os.execvp(real, [real, *args])


if __name__ == '__main__':
    main()
