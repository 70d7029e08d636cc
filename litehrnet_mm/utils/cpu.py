"""What the CPU is, from Linux's ``/proc/cpuinfo``: its model, its flags and
the widest x86 vector instruction set it has, which decides the kernels that
torch and onnxruntime run (and so which timings can be compared)."""
import platform
from typing import List, Optional

CPUINFO = '/proc/cpuinfo'
#: The instruction sets :func:`instruction_set` names, widest first, each
#: with the ``/proc/cpuinfo`` flag that says the CPU has it.
INSTRUCTION_SETS = (('AMX', 'amx_tile'), ('AVX-512 VNNI', 'avx512_vnni'),
                    ('AVX-512', 'avx512f'), ('AVX-VNNI', 'avx_vnni'),
                    ('AVX2', 'avx2'))


def is_x86() -> bool:
    """Whether this machine is x86-64."""
    return platform.machine().lower() in ('x86_64', 'amd64')


def _first_field(name: str, cpuinfo: str) -> Optional[str]:
    """The value of the first ``name : value`` line of ``cpuinfo``, or None
    where the file cannot be read or has no such line."""
    try:
        with open(cpuinfo) as info:
            for line in info:
                if line.startswith(name):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return None


def cpu_name(cpuinfo: str = CPUINFO) -> str:
    """The CPU's model name (``'AMD EPYC'``, ...), or the platform's word
    for it where ``cpuinfo`` does not name it."""
    return (_first_field('model name', cpuinfo) or platform.processor()
            or platform.machine())


def cpu_flags(cpuinfo: str = CPUINFO) -> Optional[List[str]]:
    """The first CPU's flags.

    Args:
        cpuinfo (str): The Linux CPU information file.

    Returns:
        list[str] | None: The flags, or None where the file cannot be read
        or has no ``flags`` line (not Linux, or not x86).
    """
    flags = _first_field('flags', cpuinfo)
    return None if flags is None else flags.split()


def instruction_set(cpuinfo: str = CPUINFO) -> Optional[str]:
    """The widest of :data:`INSTRUCTION_SETS` that an x86 CPU has.

    Args:
        cpuinfo (str): The Linux CPU information file.

    Returns:
        str | None: Its name (``'AVX2'``, ``'AVX-512 VNNI'``, ...), or None
        on other architectures, where the flags cannot be read, or for an
        x86 CPU without AVX2.
    """
    flags = cpu_flags(cpuinfo) if is_x86() else None
    return next((name for name, flag in INSTRUCTION_SETS
                 if flag in (flags or ())), None)
