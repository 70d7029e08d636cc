"""mmseg's ``EncoderDecoder``, refusing at build time heads that read
backbone outputs which do not exist or have other channels."""
from typing import List, Sequence

import torch.nn as nn
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS


@MODELS.register_module()
class CheckedEncoderDecoder(EncoderDecoder):
    """``EncoderDecoder`` whose heads' ``in_index`` and ``in_channels`` are
    checked against the backbone's ``out_channels`` when the model is built.

    mmseg itself only finds such a mismatch in the first forward pass, as an
    index or convolution shape error far from the config line at fault.
    Arguments are ``EncoderDecoder``'s; the backbone must tell its outputs'
    channels (``out_channels``, a list, as ``LiteHRNet`` does).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        out_channels = getattr(self.backbone, 'out_channels', None)
        if not isinstance(out_channels, Sequence):
            raise TypeError(
                f'CheckedEncoderDecoder needs a backbone that lists its '
                f'outputs\' channels in out_channels; '
                f'{type(self.backbone).__name__} does not')
        heads = [('decode_head', self.decode_head)]
        auxiliary = getattr(self, 'auxiliary_head', None)
        if isinstance(auxiliary, nn.ModuleList):
            heads += [(f'auxiliary_head[{i}]', h)
                      for i, h in enumerate(auxiliary)]
        elif auxiliary is not None:
            heads.append(('auxiliary_head', auxiliary))
        for name, head in heads:
            check_head_inputs(name, head, list(out_channels))


def check_head_inputs(name: str, head: nn.Module,
                      out_channels: List[int]) -> None:
    """Raise a ValueError if ``head`` (an mmseg decode head) reads outputs
    the backbone does not return or expects other channels.

    Args:
        name (str): The head's name in the config, for the message.
        head (nn.Module): A built ``BaseDecodeHead``.
        out_channels (list[int]): Channels of the backbone's outputs.
    """
    transform = head.input_transform
    indices = (list(head.in_index) if transform is not None else
               [head.in_index])
    missing = [i for i in indices if not -len(out_channels) <= i <
               len(out_channels)]
    if missing:
        raise ValueError(
            f'{name}.in_index={head.in_index} reads backbone output(s) '
            f'{missing}, but the backbone returns {len(out_channels)} '
            f'(channels {out_channels}); return more branches with the '
            "backbone's out_indices or lower in_index")
    given = [out_channels[i] for i in indices]
    if transform == 'resize_concat':
        expected, got = sum(given), head.in_channels
        detail = f'the concatenation of {given}'
    elif transform == 'multiple_select':
        expected, got = given, list(head.in_channels)
        detail = 'those outputs'
    else:
        expected, got = given[0], head.in_channels
        detail = 'that output'
    if expected != got:
        raise ValueError(
            f'{name} expects in_channels={got} (in_index={head.in_index}, '
            f'input_transform={transform!r}), but the backbone gives '
            f'{expected}: {detail}; set {name}.in_channels to match the '
            f'backbone\'s out_channels {out_channels}')
