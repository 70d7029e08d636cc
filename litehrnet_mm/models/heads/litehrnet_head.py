"""The top-down heatmap head of Lite-HRNet."""
from typing import Optional, Sequence, Tuple, Union

import torch
from mmpose.models.heads import HeatmapHead
from mmpose.utils.typing import ConfigType, OptSampleList

from litehrnet_mm.registry import MODELS

from ...checkpoint.weights_fit import RefuseUnfitWeights


@MODELS.register_module()
class LiteHRNetHead(RefuseUnfitWeights, HeatmapHead):
    """Keypoint heatmaps from the iterative head's high-resolution map.

    mmpose's ``HeatmapHead`` without deconvolution or extra conv layers: a
    1x1 conv turns the backbone's 1/4-resolution map (40 channels for
    Lite-HRNet-18/30) into one heatmap per keypoint. Forward, loss (with PCK
    accuracy), flip test and decoding are mmpose's. What this class adds:

    * Lite-HRNet's defaults (40 input channels, 17 keypoints, the final
      layer initialized normal(std=0.001) with zero bias);
    * errors that name the setting to change where mmpose's head fails on
      a shape deep inside (features of another width, targets of another
      keypoint count or heatmap size, flip test without flipped features);
    * weights that do not fit are refused by name
      (:class:`~litehrnet_mm.checkpoint.weights_fit.RefuseUnfitWeights`).

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
        super().__init__(
            in_channels,
            out_channels,
            deconv_out_channels=None,
            conv_out_channels=None,
            loss=loss,
            decoder=decoder,
            init_cfg=init_cfg)

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
        return super().forward(feats)

    def predict(self,
                feats: Union[Tuple[torch.Tensor], list],
                batch_data_samples: OptSampleList,
                test_cfg: ConfigType = {}):
        """mmpose's ``HeatmapHead.predict``, refusing a flip test without
        the flipped image's features by name.

        Args:
            feats (tuple[Tensor] | list[tuple[Tensor]]): The backbone's
                outputs, or with ``test_cfg['flip_test']`` a list of those of
                the image and of its horizontal flip.
            batch_data_samples (list[PoseDataSample]): The batch's samples.
            test_cfg (dict): mmpose's test config (``flip_test``,
                ``flip_mode``, ``shift_heatmap``, ``output_heatmaps``).
                Defaults to {}.

        Returns:
            list[InstanceData] | tuple: mmpose's predictions.
        """
        if test_cfg.get('flip_test', False) and not (isinstance(feats, list)
                                                     and len(feats) == 2):
            raise ValueError('flip_test needs the features of the image '
                             'and of its flip, as a list of two')
        return super().predict(feats, batch_data_samples, test_cfg)

    def loss(self,
             feats: Tuple[torch.Tensor],
             batch_data_samples: OptSampleList,
             train_cfg: ConfigType = {}) -> dict:
        """mmpose's ``HeatmapHead.loss`` (``loss_kpt`` and, unless
        ``train_cfg['compute_acc']`` is False, ``acc_pose``), after checking
        that the targets have the heatmaps' shape.

        Args:
            feats (tuple[Tensor]): The backbone's outputs.
            batch_data_samples (list[PoseDataSample]): Samples with target
                ``gt_fields.heatmaps`` and ``gt_instance_labels.
                keypoint_weights``.
            train_cfg (dict): ``compute_acc`` (bool). Defaults to {}.

        Returns:
            dict: ``loss_kpt`` and ``acc_pose``.
        """
        _check_targets((self.out_channels, *feats[-1].shape[-2:]),
                       batch_data_samples[0].gt_fields.heatmaps.shape)
        return super().loss(feats, batch_data_samples, train_cfg)


def _check_targets(shape: Sequence[int], target_shape: Sequence[int]) -> None:
    """Say which setting makes the heatmaps (K, H, W) and their targets
    differ."""
    if tuple(shape) == tuple(target_shape):
        return
    (k, h, w), (tk, th, tw) = shape, target_shape
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
