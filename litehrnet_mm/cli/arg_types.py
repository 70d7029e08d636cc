"""Value types for the ``tools/`` scripts' arguments.

Given as ``type=`` to ``argparse``, they turn a wrong value into the usual
``usage: ... error: argument --shape: ...`` naming the argument and what it
takes, before anything is built or loaded, instead of a failure deep inside
(a zero batch reaching a reduction, a missing checkpoint found after the
datasets were read).
"""
import argparse
import os.path as osp


def positive_int(text: str) -> int:
    """An integer >= 1 (sizes, counts, threads)."""
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(
            f'{value} is not a positive integer (>= 1)')
    return value


def non_negative_int(text: str) -> int:
    """An integer >= 0 (warm-up rounds, seeds)."""
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f'{value} is negative')
    return value


def existing_file(text: str) -> str:
    """The path of a file that exists (a config, a checkpoint, an
    annotation file)."""
    if osp.isdir(text):
        raise argparse.ArgumentTypeError(
            f'{text} is a folder; give a file in it')
    if not osp.isfile(text):
        raise argparse.ArgumentTypeError(f'{text} does not exist')
    return text


def existing_dir(text: str) -> str:
    """The path of a folder that exists."""
    if not osp.isdir(text):
        raise argparse.ArgumentTypeError(f'{text} is not a folder')
    return text


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'{text!r} is not an integer') from None
