"""Version of the litehrnet_mm package."""
import re

__version__ = '0.1.0'


def parse_version_info(version_str: str) -> tuple:
    """Parse a version string such as ``'0.1.0'`` or ``'0.2.0rc1'``.

    Args:
        version_str (str): The version string.

    Returns:
        tuple: The release numbers, followed by the pre-release tag when
        there is one, e.g. ``(0, 2, 0, 'rc1')``.
    """
    match = re.fullmatch(r'(\d+(?:\.\d+)*)(.*)', version_str)
    if match is None:
        raise ValueError(f'Not a version string: {version_str!r}')
    release = tuple(int(part) for part in match.group(1).split('.'))
    return release + ((match.group(2), ) if match.group(2) else ())


version_info = parse_version_info(__version__)
