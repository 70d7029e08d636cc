"""How far an exported network's keypoints are from the PyTorch model's, on
the people of a COCO-format annotation file (their annotated boxes).

    python tools/deployment/compare_keypoints.py CONFIG CHECKPOINT \
        MODEL.onnx [MODEL_INT8.onnx ...] --ann-file ANN.json --img-dir DIR

Both run through mmpose's ``inference_topdown`` (the config's test
pipeline, flip test and codec), the reference being the model as
``init_model`` loads it; only the network differs. Prints, per ONNX file,
the mean, median and largest distance in image pixels over every keypoint
of every person. A model with nearly flat heatmaps (barely trained) moves
its peaks for the smallest rounding, so a few large distances there say
little about the export.
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import copy
from typing import List, Optional

import numpy as np
from mmpose.apis import inference_topdown, init_model

from litehrnet_mm.cli.arg_types import existing_dir, existing_file
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.datasets import annotated_people
from litehrnet_mm.deploy import OnnxRuntimeNetwork, use_network

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', type=existing_file, help='pose config')
    parser.add_argument('checkpoint', type=existing_file,
                        help='the weights the ONNX files were exported from')
    parser.add_argument('onnx_files', type=existing_file, nargs='+',
                        help='exported networks (pytorch2onnx.py)')
    parser.add_argument('--ann-file', type=existing_file, required=True,
                        help='COCO-format annotations (the boxes)')
    parser.add_argument('--img-dir', type=existing_dir, required=True,
                        help='their images')
    return parser.parse_args(argv)


def keypoints(model, people: list) -> np.ndarray:
    """Predicted keypoints (people, K, 2) for every annotated box."""
    found = []
    for path, boxes in people:
        samples = inference_topdown(model, path, boxes, bbox_format='xywh')
        found += [s.pred_instances.keypoints[0] for s in samples]
    return np.stack(found)


def main() -> None:
    args = parse_args()
    people = annotated_people(args.ann_file, args.img_dir)
    model = init_model(args.config, args.checkpoint, device='cpu')
    reference = keypoints(model, people)
    print(f'{len(reference)} people, {reference.shape[1]} keypoints each; '
          'distance to the PyTorch keypoints, image pixels:')
    for onnx_file in args.onnx_files:
        exported = use_network(copy.deepcopy(model),
                               OnnxRuntimeNetwork(onnx_file))
        distance = np.linalg.norm(
            keypoints(exported, people) - reference, axis=-1)
        print(f'  {onnx_file}: mean {distance.mean():.2f}, median '
              f'{np.median(distance):.2f}, max {distance.max():.2f}')


if __name__ == '__main__':
    main()
