"""Lite-HRNet (Yu et al., CVPR 2021), the backbone."""
from typing import Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch.nn.modules.batchnorm import _BatchNorm

from litehrnet_mm.registry import MODELS

from ...checkpoint.weights_fit import RefuseUnfitWeights
from ..layers import IterativeHead, LiteHRModule, Stem, separable_conv_bn
from ..utils import channels_last_on_cpu, fold_batch_norms

STAGE_SPEC_KEYS = ('num_modules', 'num_branches', 'num_blocks',
                   'module_type', 'with_fuse', 'reduce_ratios',
                   'num_channels')


@MODELS.register_module()
class LiteHRNet(RefuseUnfitWeights, BaseModule):
    """Lite-HRNet backbone: stem → stages of parallel branches → head.

    `Lite-HRNet: A Lightweight High-Resolution Network
    <https://arxiv.org/abs/2104.06403>`_. A small HRNet whose blocks are
    conditional channel weighting blocks (``'LITE'``) or ShuffleNet V2
    blocks (``'NAIVE'``, Naive Lite-HRNet). Stage ``i`` starts with a
    transition that adapts the branches' channels and adds a branch at half
    the resolution of the last one, then repeats its modules.

    Arguments, state-dict keys and outputs are those of mmpose's
    ``LiteHRNet``: its configs and weights work here unchanged.

    Args:
        extra (dict): The architecture: ``stem`` (``stem_channels``,
            ``out_channels``, ``expand_ratio``), ``num_stages``,
            ``stages_spec`` (per stage: ``num_modules``, ``num_branches``,
            ``num_blocks``, ``module_type``, ``with_fuse``,
            ``reduce_ratios``, ``num_channels``) and ``with_head`` (the
            iterative head).
        in_channels (int): Image channels. Defaults to 3.
        conv_cfg (dict, optional): Config of the conv layers, except the
            iterative head's (plain convs, as in the reference). Defaults
            to None.
        norm_cfg (dict): Config of the norm layers. Defaults to
            ``dict(type='BN')``.
        norm_eval (bool): Keep the norm layers in eval mode (frozen running
            statistics) during training. Defaults to False.
        with_cp (bool): Recompute the blocks' activations in the backward
            pass to save memory. Defaults to False.
        frozen_stages (int): Stages to freeze (no gradient, eval mode): 0
            freezes the stem, ``k`` the stem and the first ``k`` stages with
            their transitions; -1 freezes nothing. Defaults to -1.
        out_indices (sequence[int]): The branches to return, 0 the highest
            resolution. ``(0,)`` is mmpose's output (pose); ``(0, 1, 2,
            3)`` returns every branch of a four-branch network for dense
            prediction (HRNetV2-style, highest resolution first).
            :attr:`out_channels` gives their channels. Defaults to ``(0,)``.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to normal(std=0.001) convs and unit norm weights.

    Example:
        >>> extra = dict(
        ...     stem=dict(stem_channels=32, out_channels=32, expand_ratio=1),
        ...     num_stages=3,
        ...     stages_spec=dict(
        ...         num_modules=(2, 4, 2),
        ...         num_branches=(2, 3, 4),
        ...         num_blocks=(2, 2, 2),
        ...         module_type=('LITE', 'LITE', 'LITE'),
        ...         with_fuse=(True, True, True),
        ...         reduce_ratios=(8, 8, 8),
        ...         num_channels=((40, 80), (40, 80, 160),
        ...                       (40, 80, 160, 320))),
        ...     with_head=True)
        >>> model = LiteHRNet(extra).eval()
        >>> [y.shape for y in model(torch.rand(1, 3, 256, 192))]
        [torch.Size([1, 40, 64, 48])]
    """

    def __init__(self,
                 extra: dict,
                 in_channels: int = 3,
                 conv_cfg: Optional[dict] = None,
                 norm_cfg: dict = dict(type='BN'),
                 norm_eval: bool = False,
                 with_cp: bool = False,
                 frozen_stages: int = -1,
                 out_indices: Sequence[int] = (0, ),
                 init_cfg: Optional[Sequence[dict]] = [
                     dict(type='Normal', std=0.001, layer=['Conv2d']),
                     dict(type='Constant', val=1,
                          layer=['_BatchNorm', 'GroupNorm'])
                 ]):
        super().__init__(init_cfg=init_cfg)
        _check_extra(extra)
        if not -1 <= frozen_stages <= extra['num_stages']:
            raise ValueError(
                f'LiteHRNet: frozen_stages must be in [-1, '
                f"{extra['num_stages']}], got {frozen_stages}")
        self.extra = extra
        self.in_channels = in_channels
        self.conv_cfg = conv_cfg
        self.norm_cfg = norm_cfg
        self.norm_eval = norm_eval
        self.with_cp = with_cp
        self.frozen_stages = frozen_stages
        self.num_stages = extra['num_stages']
        self.stages_spec = extra['stages_spec']

        stem = extra['stem']
        self.stem = Stem(in_channels, stem['stem_channels'],
                         stem['out_channels'], stem['expand_ratio'],
                         conv_cfg=conv_cfg, norm_cfg=norm_cfg,
                         with_cp=with_cp)
        channels = [stem['out_channels']]
        for i in range(self.num_stages):
            new_channels = list(self.stages_spec['num_channels'][i])
            setattr(self, f'transition{i}',
                    self._make_transition(channels, new_channels))
            setattr(self, f'stage{i}', self._make_stage(i, new_channels))
            channels = new_channels

        self.with_head = extra['with_head']
        if self.with_head:
            self.head_layer = IterativeHead(channels, norm_cfg=norm_cfg)
            # the head maps each branch but the first to the channels of the
            # next higher one
            channels = channels[:1] + channels[:-1]
        self.out_indices = _checked_out_indices(out_indices, len(channels))
        self.out_channels = [channels[i] for i in self.out_indices]
        self._freeze_stages()

    def _make_transition(self, pre: Sequence[int],
                         cur: Sequence[int]) -> nn.ModuleList:
        """Adapt kept branches' channels; add branches by stride-2
        separable convs from the last one."""
        layers = nn.ModuleList()
        for i, out_channels in enumerate(cur):
            if i < len(pre):
                layers.append(None if pre[i] == out_channels else
                              separable_conv_bn(
                                  pre[i], out_channels, 1, self.conv_cfg,
                                  self.norm_cfg, with_relu=True))
            else:
                num_steps = i + 1 - len(pre)
                layers.append(
                    nn.Sequential(*[
                        separable_conv_bn(
                            pre[-1],
                            out_channels if k == num_steps - 1 else pre[-1],
                            2, self.conv_cfg, self.norm_cfg, with_relu=True)
                        for k in range(num_steps)
                    ]))
        return layers

    def _make_stage(self, index: int,
                    channels: Sequence[int]) -> nn.Sequential:
        """Stage ``index``'s modules; a block's error gets the stage's
        number in front (the blocks check their own settings)."""
        spec = self.stages_spec
        try:
            return self._build_stage(spec, index, channels)
        except ValueError as error:
            raise ValueError(f'LiteHRNet: stage {index} '
                             f'(num_channels={list(channels)}): {error}'
                             ) from error

    def _build_stage(self, spec: dict, index: int,
                     channels: Sequence[int]) -> nn.Sequential:
        return nn.Sequential(*[
            LiteHRModule(
                spec['num_branches'][index],
                spec['num_blocks'][index],
                channels,
                spec['reduce_ratios'][index],
                spec['module_type'][index],
                multiscale_output=True,
                with_fuse=spec['with_fuse'][index],
                conv_cfg=self.conv_cfg,
                norm_cfg=self.norm_cfg,
                with_cp=self.with_cp)
            for _ in range(spec['num_modules'][index])
        ])

    def _frozen_modules(self):
        if self.frozen_stages >= 0:
            yield self.stem
        for i in range(self.frozen_stages):
            yield getattr(self, f'transition{i}')
            yield getattr(self, f'stage{i}')

    def _freeze_stages(self) -> None:
        for module in self._frozen_modules():
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def _check_input(self, x: torch.Tensor) -> None:
        expected = f'(N, {self.in_channels}, H, W)'
        if not isinstance(x, torch.Tensor):
            raise TypeError(f'LiteHRNet expects an image batch as a tensor '
                            f'of shape {expected}, got {type(x).__name__}')
        if x.dim() != 4:
            raise ValueError(f'LiteHRNet expects an image batch of shape '
                             f'{expected}, got {tuple(x.shape)}')
        if not x.is_floating_point():
            raise TypeError(
                f'LiteHRNet expects floating-point images (normalized, as '
                f"the pose model's data_preprocessor makes them), got "
                f'{x.dtype} of shape {tuple(x.shape)}')
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'LiteHRNet was built for {self.in_channels}-channel images '
                f'(in_channels={self.in_channels}), got {x.shape[1]} '
                f'channels in an input of shape {tuple(x.shape)}')

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor]:
        """Forward.

        Args:
            x (Tensor): Image batch, (N, in_channels, H, W).

        Returns:
            tuple[Tensor]: The branches of ``out_indices``; by default the
            highest-resolution map, (N, C, ⌈H/4⌉, ⌈W/4⌉), with C the first
            branch's channels (40 for Lite-HRNet-18/30). Branch ``i`` has
            1/2^(i+2) of the input's resolution and ``out_channels``'s
            channels. NCHW-contiguous; on the CPU the maps inside are
            channels-last (``models/utils/memory_format.py``).
        """
        self._check_input(x)
        # channels-last inside on the CPU (faster there), NCHW outputs
        branches = [self.stem(channels_last_on_cpu(x))]
        for i in range(self.num_stages):
            transition = getattr(self, f'transition{i}')
            # a new branch grows from the lowest-resolution one
            sources = [branches[min(j, len(branches) - 1)]
                       for j in range(len(transition))]
            branches = [
                s if layer is None else layer(s)
                for s, layer in zip(sources, transition)
            ]
            branches = getattr(self, f'stage{i}')(branches)
        if self.with_head:
            branches = self.head_layer(branches)
        return tuple(branches[i].contiguous() for i in self.out_indices)

    def switch_to_deploy(self, test_cfg: Optional[dict] = None) -> None:
        """Fold every batch norm of the backbone into its conv, for
        inference. What a block changes beyond that, it does in its own
        ``switch_to_deploy``; mmpose's ``model.switch_to_deploy()`` and
        :func:`litehrnet_mm.deploy.switch_to_deploy` call them all.

        Args:
            test_cfg (dict, optional): Unused (mmpose's estimators pass it).
        """
        fold_batch_norms(self)

    def train(self, mode: bool = True) -> 'LiteHRNet':
        """Set training mode, keeping frozen stages and, with
        ``norm_eval``, the norm layers in eval mode.

        Args:
            mode (bool): Training (True) or evaluation (False).

        Returns:
            LiteHRNet: self.
        """
        super().train(mode)
        if mode:
            self._freeze_stages()
            if self.norm_eval:
                for m in self.modules():
                    if isinstance(m, _BatchNorm):
                        m.eval()
        return self


def _checked_out_indices(out_indices: Sequence[int],
                         num_branches: int) -> Tuple[int, ...]:
    """``out_indices`` as a tuple, or a ValueError naming the branches."""
    indices = tuple(out_indices)
    valid = tuple(range(num_branches))
    if not indices or any(
            not isinstance(i, int) or isinstance(i, bool) or i not in valid
            for i in indices):
        raise ValueError(
            f'LiteHRNet: out_indices={indices} asks for branches the '
            f'network does not have: its last stage has {num_branches} '
            f'branches, indices {valid} (0 is the highest resolution)')
    if len(set(indices)) != len(indices):
        raise ValueError(
            f'LiteHRNet: out_indices={indices} names a branch twice')
    return indices


def _check_extra(extra: dict) -> None:
    """Raise a ValueError naming what an ``extra`` dict lacks; the values
    are checked by the blocks they build."""
    missing = [k for k in ('stem', 'num_stages', 'stages_spec', 'with_head')
               if k not in extra]
    if missing:
        raise ValueError(f'LiteHRNet: extra lacks {missing}')
    num_stages = extra['num_stages']
    spec = extra['stages_spec']
    for key in STAGE_SPEC_KEYS:
        if key not in spec:
            raise ValueError(f"LiteHRNet: extra['stages_spec'] lacks '{key}'")
        if len(spec[key]) != num_stages:
            raise ValueError(
                f"LiteHRNet: extra['stages_spec']['{key}'] has "
                f'{len(spec[key])} entries, but num_stages is {num_stages}')
