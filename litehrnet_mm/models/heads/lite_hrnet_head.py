"""The top-down heatmap head of Lite-HRNet."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.structures import PixelData
from mmpose.evaluation.functional import pose_pck_accuracy
from mmpose.models.heads.base_head import BaseHead
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.utils.tensor_utils import to_numpy
from mmpose.utils.typing import ConfigType, OptSampleList

from litehrnet_mm.registry import KEYPOINT_CODECS, MODELS

from ..utils.weights_fit import RefuseUnfitWeights


@MODELS.register_module()
class LiteHRNetHead(RefuseUnfitWeights, BaseHead):
    """Keypoint heatmaps from the iterative head's high-resolution map.

    A 1x1 conv turns the backbone's 1/4-resolution map (40 channels for
    Lite-HRNet-18/30) into one heatmap per keypoint. Training compares them
    with the codec's target heatmaps through any mmpose keypoint loss;
    prediction decodes them with the codec (MSRAHeatmap, its unbiased/DARK
    mode, UDPHeatmap, ...), optionally averaging with the flipped image's
    heatmaps (flip test).

    The layer is named ``final_layer``, as in mmpose's ``HeatmapHead``
    (model-zoo keys ``head.final_layer.*``) and in the official release
    (``keypoint_head.final_layer.*``, renamed by mmpose's pose estimator).

    Args:
        in_channels (int): Channels of the backbone's map. Defaults to 40.
        out_channels (int): Number of keypoints K. Defaults to 17 (COCO).
        loss (dict): The keypoint loss. Defaults to
            ``dict(type='KeypointMSELoss', use_target_weight=True)``.
        decoder (dict, optional): The heatmap codec that decodes
            predictions. Defaults to None (``predict`` then needs one).
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to normal(std=0.001) weights and zero bias.

    Example:
        >>> head = LiteHRNetHead(40, 17)
        >>> head((torch.rand(2, 40, 64, 48), )).shape
        torch.Size([2, 17, 64, 48])
    """

    def __init__(self,
                 in_channels: int = 40,
                 out_channels: int = 17,
                 loss: ConfigType = dict(
                     type='KeypointMSELoss', use_target_weight=True),
                 decoder: Optional[ConfigType] = None,
                 init_cfg: Optional[Union[dict, Sequence[dict]]] = dict(
                     type='Normal', layer=['Conv2d'], std=0.001, bias=0)):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.final_layer = nn.Conv2d(in_channels, out_channels, 1)
        self.loss_module = MODELS.build(loss)
        self.decoder = KEYPOINT_CODECS.build(decoder) if decoder else None

    def forward(self, feats: Tuple[torch.Tensor]) -> torch.Tensor:
        """Heatmaps from the last (highest-resolution) feature map.

        Args:
            feats (tuple[Tensor]): The backbone's outputs.

        Returns:
            Tensor: Heatmaps, (N, K, H, W).
        """
        feat = feats[-1]
        if feat.shape[1] != self.in_channels:
            raise ValueError(
                f'LiteHRNetHead was built for {self.in_channels}-channel '
                f'features (model.head.in_channels), but the backbone gives '
                f'{feat.shape[1]} (a map of shape {tuple(feat.shape)}): set '
                f'model.head.in_channels={feat.shape[1]}')
        return self.final_layer(feat)

    def predict(self,
                feats: Union[Tuple[torch.Tensor], list],
                batch_data_samples: OptSampleList,
                test_cfg: ConfigType = {}):
        """Decode keypoints from the heatmaps.

        Args:
            feats (tuple[Tensor] | list[tuple[Tensor]]): The backbone's
                outputs, or with ``test_cfg['flip_test']`` a list of those of
                the image and of its horizontal flip.
            batch_data_samples (list[PoseDataSample]): The batch's samples;
                their metainfo gives ``flip_indices`` for the flip test.
            test_cfg (dict): ``flip_test`` (bool), ``flip_mode`` (default
                ``'heatmap'``), ``shift_heatmap`` (bool, shift the flipped
                heatmaps by one pixel, for codecs without UDP) and
                ``output_heatmaps`` (bool). Defaults to {}.

        Returns:
            list[InstanceData] | tuple: The decoded ``keypoints`` (N, K, 2)
            and ``keypoint_scores`` (N, K) per sample; with
            ``output_heatmaps`` also a list of ``PixelData(heatmaps=...)``.
        """
        if test_cfg.get('flip_test', False):
            if not (isinstance(feats, list) and len(feats) == 2):
                raise ValueError('flip_test needs the features of the image '
                                 'and of its flip, as a list of two')
            image_feats, flipped_feats = feats
            flipped = flip_heatmaps(
                self.forward(flipped_feats),
                flip_indices=batch_data_samples[0].metainfo['flip_indices'],
                flip_mode=test_cfg.get('flip_mode', 'heatmap'),
                shift_heatmap=test_cfg.get('shift_heatmap', False))
            heatmaps = (self.forward(image_feats) + flipped) * 0.5
        else:
            heatmaps = self.forward(feats)

        preds = self.decode(heatmaps)
        if test_cfg.get('output_heatmaps', False):
            return preds, [PixelData(heatmaps=hm) for hm in heatmaps.detach()]
        return preds

    def loss(self,
             feats: Tuple[torch.Tensor],
             batch_data_samples: OptSampleList,
             train_cfg: ConfigType = {}) -> dict:
        """Keypoint loss and, unless ``train_cfg['compute_acc']`` is False,
        PCK accuracy of the heatmaps' maxima (``acc_pose``).

        Args:
            feats (tuple[Tensor]): The backbone's outputs.
            batch_data_samples (list[PoseDataSample]): Samples with target
                ``gt_fields.heatmaps`` and ``gt_instance_labels.
                keypoint_weights``.
            train_cfg (dict): ``compute_acc`` (bool). Defaults to {}.

        Returns:
            dict: ``loss_kpt`` and ``acc_pose``.
        """
        heatmaps = self.forward(feats)
        targets = torch.stack(
            [d.gt_fields.heatmaps for d in batch_data_samples])
        _check_targets(heatmaps, targets)
        weights = torch.cat([
            d.gt_instance_labels.keypoint_weights for d in batch_data_samples
        ])
        losses = dict(loss_kpt=self.loss_module(heatmaps, targets, weights))
        if train_cfg.get('compute_acc', True):
            _, accuracy, _ = pose_pck_accuracy(
                output=to_numpy(heatmaps),
                target=to_numpy(targets),
                mask=to_numpy(weights) > 0)
            losses['acc_pose'] = torch.tensor(
                accuracy, device=targets.device)
        return losses


def _check_targets(heatmaps: torch.Tensor, targets: torch.Tensor) -> None:
    """Say which setting makes the heatmaps and their targets differ."""
    if heatmaps.shape == targets.shape:
        return
    (k, h, w), (tk, th, tw) = heatmaps.shape[1:], targets.shape[1:]
    if k != tk:
        hint = (f'model.head.out_channels is {k} but the dataset has {tk} '
                'keypoints')
    else:
        hint = (f"the codec's heatmap_size is ({tw}, {th}) but the model "
                f'gives ({w}, {h}) maps, a quarter of the input size: make '
                "heatmap_size the codec's input_size / 4")
    raise ValueError(
        f'LiteHRNetHead: heatmaps of shape (K, H, W) = {(k, h, w)} against '
        f'targets of shape {(tk, th, tw)}: {hint}.')
