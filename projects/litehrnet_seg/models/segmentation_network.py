"""The segmentation network alone, for export: image in, class logits out."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SegmentationNetwork(nn.Module):
    """An mmseg ``EncoderDecoder``'s network without its data preprocessor
    and argmax: normalized images in, class logits at the images' size out
    (mmseg's ``'whole'`` inference, the decode head's logits resized as
    ``decode_head.predict`` resizes them).

    Args:
        segmentor (nn.Module): An mmseg ``EncoderDecoder``.
    """

    def __init__(self, segmentor: nn.Module):
        super().__init__()
        self.segmentor = segmentor

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_classes, H, W) of images (N, 3, H, W)."""
        head = self.segmentor.decode_head
        logits = head(self.segmentor.extract_feat(images))
        return F.interpolate(logits, size=images.shape[-2:],
                             mode='bilinear',
                             align_corners=head.align_corners)
