"""Inference speed against mmpose's own LiteHRNet, at equal output.

    python tools/analysis_tools/benchmark.py CONFIG [--checkpoint CKPT]
        [--batch-sizes 1 32] [--threads N] [--rounds 3] [--repeats 20]
        [--compile] [--int8] [--rtmpose] [--train-step]
        [--pipeline [--pipeline-ann ANN.json --pipeline-img-dir DIR]]
        [--out RESULTS.json]

In one process, after warm-up, the candidates interleaved: mmpose's
pose model (mmpose's ``LiteHRNet`` + ``HeatmapHead``) holding the same weights,
this package's model in eager mode, in deploy mode, and the exported ONNX model
under onnxruntime, as one session and as one single-threaded session per thread
on parts of the batch, in runs of two images (batch-parallel), and, with
``--threads`` above 1, as one single-threaded session (whose time holds in
the machine's spells when threads that share each operator slow down:
docs/speed_notes.md); optionally deploy mode under ``torch.compile``. The
runs come in ``--rounds`` rounds of ``--repeats`` timed runs per candidate,
each candidate's in one block after an untimed run, the blocks' order
rotating from round to round, so that no timed run follows another
candidate's (``litehrnet_mm.cli.timing``); each candidate's time in a round
is its median there. Prints, under a header naming
the machine, the thread count and the library versions: the median time, the
ratio to mmpose (median over rounds, with its lowest and highest round) and
each candidate's max abs heatmap difference to mmpose. ``--int8`` adds the
exported model quantized as ``pytorch2onnx.py --int8`` does by default
(calibrated on random images here: the speed does not depend on the
calibration; its accuracy is measured with real crops, docs/speed_notes.md).
``--rtmpose`` adds the model users pick instead for speed, RTMPose-t
(mmpose's ``rtmpose-t_8xb256-420e_coco-256x192.py``, random weights, at its
own 256x192 input), exported the same way and run under onnxruntime, as one
session, batch-parallel and single-threaded like ours; its two SimCC outputs
are concatenated into one.
``--train-step`` also times one training step (forward, backward, Adam) of both
eager models, and prints the losses of their first (warm-up) steps, which start
from the same weights. ``--pipeline`` times the whole top-down pipeline, image
and boxes in, ``PoseDataSample`` s out: mmpose's ``inference_topdown`` with
mmpose's model against ``TopdownPredictor`` on each backend, in people per
second, on a generated frame with 8 people and
(``--pipeline-ann``/``--pipeline-img-dir``) on the images of a COCO annotation
file with their annotated boxes; each candidate's largest keypoint distance to
mmpose's is printed beside it. ``--out`` also writes all of it, with the
header (machine, threads, versions, commit, date), to a JSON results file
(``litehrnet_mm.cli.results``; the README's tables are made from one).
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import copy
import os
import os.path as osp
import statistics
import tempfile
from functools import partial
from typing import Dict, List, Optional, Tuple

import mmpose
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmengine.runner import load_checkpoint
from mmpose.apis import inference_topdown as mmpose_inference_topdown
from mmpose.apis import init_model
from mmpose.registry import MODELS as MMPOSE_MODELS
from mmpose.structures import bbox_xywh2xyxy

import litehrnet_mm  # noqa: F401
from litehrnet_mm.apis import TopdownPredictor
from litehrnet_mm.cli.arg_types import (
    existing_dir,
    existing_file,
    non_negative_int,
    positive_int,
)
from litehrnet_mm.cli.results import header_line, run_header, write_results
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.cli.timing import interleaved
from litehrnet_mm.datasets import annotated_people, render_scene
from litehrnet_mm.deploy import (
    HeatmapNetwork,
    OnnxRuntimeNetwork,
    export_onnx,
    quantize_int8,
    switch_to_deploy,
)
from litehrnet_mm.registry import MODELS

libraries_loaded()


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', type=existing_file, help='model config')
    parser.add_argument('--checkpoint', type=existing_file,
                        help='weights (default: random, seeded)')
    parser.add_argument('--batch-sizes', type=positive_int, nargs='+',
                        default=[1, 32])
    parser.add_argument('--threads', type=positive_int,
                        default=os.cpu_count(),
                        help='torch and onnxruntime threads (default: all '
                        'cores)')
    parser.add_argument('--rounds', type=positive_int, default=3,
                        help='rounds; ratios are given as the median over '
                        'rounds and their spread (default 3)')
    parser.add_argument('--repeats', type=positive_int, default=20,
                        help='runs per candidate in each round')
    parser.add_argument('--warmup', type=non_negative_int, default=3)
    parser.add_argument('--compile', action='store_true',
                        help='also time deploy mode under torch.compile')
    parser.add_argument('--int8', action='store_true',
                        help='also time the INT8-quantized ONNX model')
    parser.add_argument('--rtmpose', action='store_true',
                        help='also time RTMPose-t (random weights, 256x192) '
                        'exported the same way, under onnxruntime')
    parser.add_argument('--train-step', action='store_true',
                        help='also time a training step (batch: the last '
                        'of --batch-sizes)')
    parser.add_argument('--pipeline', action='store_true',
                        help='also time the whole top-down pipeline on a '
                        'generated frame with 8 people')
    parser.add_argument('--pipeline-ann', type=existing_file,
                        help='with --pipeline: also on these COCO images, '
                        'with their annotated boxes')
    parser.add_argument('--pipeline-img-dir', type=existing_dir,
                        help='the folder of --pipeline-ann\'s images')
    parser.add_argument('--out', help='also write the results, with the '
                        'header, to this JSON file')
    args = parser.parse_args(argv)
    if bool(args.pipeline_ann) != bool(args.pipeline_img_dir):
        parser.error('--pipeline-ann and --pipeline-img-dir go together')
    if args.pipeline_ann and not args.pipeline:
        parser.error('--pipeline-ann needs --pipeline')
    return args


def mmpose_twin(model_cfg: Config) -> torch.nn.Module:
    """mmpose's own pose model with the same architecture."""
    cfg = copy.deepcopy(model_cfg)
    cfg.backbone.type = 'LiteHRNet'
    cfg.backbone.pop('frozen_stages', None)
    head = cfg.head
    cfg.head = dict(
        type='HeatmapHead', in_channels=head.in_channels,
        out_channels=head.out_channels, deconv_out_channels=None,
        loss=head.loss, decoder=head.get('decoder'))
    with DefaultScope.overwrite_default_scope('mmpose'):
        return MMPOSE_MODELS.build(cfg)


RTMPOSE_T = ('body_2d_keypoint/rtmpose/coco/'
             'rtmpose-t_8xb256-420e_coco-256x192.py')


class SimCCNetwork(torch.nn.Module):
    """An RTMPose model's network, images in, its x and y SimCC vectors out
    as one tensor (concatenated, for a graph with one output)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.backbone, self.head = model.backbone, model.head

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        simcc_x, simcc_y = self.head(self.backbone(images))
        return torch.cat([simcc_x, simcc_y], dim=-1)


def rtmpose_t_onnx(folder: str) -> Tuple[str, Tuple[int, int]]:
    """RTMPose-t from mmpose's own config (random weights), exported with a
    dynamic batch: the file, and its input's (height, width)."""
    config = osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs',
                      RTMPOSE_T)
    model = init_model(config, None, device='cpu')
    width, height = model.cfg.codec.input_size
    return export_onnx(SimCCNetwork(model), osp.join(folder, 'rtmpose-t.onnx'),
                       (1, 3, height, width), dynamic_batch=True,
                       output_name='simcc'), (height, width)


def onnxruntime_sessions(onnx_file: str,
                         threads: int) -> Dict[str, OnnxRuntimeNetwork]:
    """The ways a graph is timed, by the suffix of its candidates' name:
    one session on ``threads`` threads (``''``), batch-parallel, and, with
    more than one thread, one single-threaded session."""
    sessions = {
        '': OnnxRuntimeNetwork(onnx_file, threads),
        ' batch-parallel': OnnxRuntimeNetwork(onnx_file, threads,
                                              batch_parallel=True),
    }
    if threads > 1:
        sessions[', 1 thread'] = OnnxRuntimeNetwork(onnx_file, 1)
    return sessions


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    torch.manual_seed(0)  # the same random weights every run
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        ours = MODELS.build(cfg.model)
    if args.checkpoint:
        load_checkpoint(ours, args.checkpoint, map_location='cpu')
    reference = mmpose_twin(cfg.model)
    reference.load_state_dict(ours.state_dict(), strict=True)
    width, height = cfg.model.head.decoder.input_size

    nets = {
        'mmpose eager': HeatmapNetwork(reference).eval(),
        'ours eager': HeatmapNetwork(ours).eval(),
        'ours deploy': HeatmapNetwork(switch_to_deploy(
            copy.deepcopy(ours))).eval(),
    }
    onnx_file = os.path.join(tempfile.mkdtemp(), 'model.onnx')
    int8_file = None
    export_onnx(nets['ours deploy'], onnx_file, (1, 3, height, width),
                dynamic_batch=True)
    graphs = {'ours onnxruntime': onnx_file}
    if args.int8:
        calibration = torch.randn(16, 3, height, width).numpy()
        for name, file in list(graphs.items()):
            graphs[f'{name} int8'] = quantize_int8(
                file, file.replace('.onnx', '_int8.onnx'), calibration)
        int8_file = graphs['ours onnxruntime int8']
    for name, file in graphs.items():
        for suffix, net in onnxruntime_sessions(file, args.threads).items():
            nets[name + suffix] = net
    if args.compile:
        nets['ours deploy + torch.compile'] = torch.compile(
            nets['ours deploy'])
    candidates = {
        name: (lambda x, net=net: net(x)) for name, net in nets.items()
    }
    # RTMPose-t runs on inputs of its own size
    rtmpose = {}
    if args.rtmpose:
        rtmpose_file, rtmpose_size = rtmpose_t_onnx(osp.dirname(onnx_file))
        for suffix, net in onnxruntime_sessions(rtmpose_file,
                                                args.threads).items():
            rtmpose[f'RTMPose-t onnxruntime{suffix}'] = (
                lambda x, net=net: net(x))

    header = dict(config=args.config, input=f'{height}x{width}',
                  **run_header(args.threads))
    print(f'{args.config}\ninput {height}x{width}\n{header_line(header)}')
    sections = []
    with torch.no_grad():
        for batch in args.batch_sizes:
            x = torch.randn(batch, 3, height, width)
            expected = candidates['mmpose eager'](x)
            diffs = {
                name: (fn(x) - expected).abs().max().item()
                for name, fn in candidates.items()
            }
            runs = {name: partial(fn, x) for name, fn in candidates.items()}
            if rtmpose:
                x_rtmpose = torch.randn(batch, 3, *rtmpose_size)
                runs.update({name: partial(fn, x_rtmpose)
                             for name, fn in rtmpose.items()})
            for _ in range(args.warmup):
                for run in runs.values():
                    run()
            rounds = interleaved(runs, args.rounds, args.repeats)
            title = f'batch {batch} ({args.rounds} rounds of {args.repeats})'
            print(f'\n{title}')
            sections.append(report(
                title, rounds, {n: f'   max |diff| {d:.1e}'
                                for n, d in diffs.items()},
                {n: dict(max_abs_diff=d) for n, d in diffs.items()}))
    if args.pipeline:
        sections += pipeline(reference, ours, onnx_file, int8_file, args)
    if args.train_step:
        sections.append(train_step(reference, ours, args, height, width))
    if args.out:
        write_results(args.out, header, sections)
        print(f'\nresults written to {args.out}')


def eight_people_frame() -> Tuple[np.ndarray, np.ndarray]:
    """A generated 512x1280 frame of 2x4 scenes, and one person's box
    (xyxy) in each: 8 people."""
    rng = np.random.default_rng(0)
    tiles, boxes = [], []
    while len(tiles) < 8:
        image, annotations, _ = render_scene(rng)
        if annotations:
            height, width = image.shape[:2]
            x, y, w, h = annotations[0]['bbox']
            row, column = divmod(len(tiles), 4)
            tiles.append(image)
            boxes.append([x + column * width, y + row * height,
                          x + w + column * width, y + h + row * height])
    frame = np.vstack([np.hstack(tiles[:4]), np.hstack(tiles[4:])])
    return frame, np.array(boxes, dtype=np.float32)


def pipeline(reference, ours, onnx_file, int8_file, args) -> List[dict]:
    """People per second from image and boxes to ``PoseDataSample`` s:
    mmpose's ``inference_topdown`` and ``TopdownPredictor``'s backends,
    all with ``ours``' weights; a results section per image set."""
    model = init_model(args.config, device='cpu')
    model.load_state_dict(ours.state_dict())
    reference = copy.deepcopy(reference).eval()
    reference.cfg, reference.dataset_meta = model.cfg, model.dataset_meta
    candidates = {
        'mmpose inference_topdown': partial(mmpose_inference_topdown,
                                            reference),
        'ours, PyTorch deploy mode': TopdownPredictor(model),
        'ours, onnxruntime': TopdownPredictor(model, onnx_file,
                                              args.threads),
    }
    if int8_file:
        candidates['ours, onnxruntime INT8'] = TopdownPredictor(
            model, int8_file, args.threads)
    sets = {'generated frame, 8 people': [eight_people_frame()]}
    if args.pipeline_ann:
        sets[f'{args.pipeline_ann}'] = [
            (path, bbox_xywh2xyxy(boxes)) for path, boxes in
            annotated_people(args.pipeline_ann, args.pipeline_img_dir)
        ]
    sections = []
    for title, images in sets.items():
        people = sum(len(boxes) for _, boxes in images)
        extras = {}

        def run_all(fn, images=images):
            return [fn(image, boxes) for image, boxes in images]

        expected = run_all(candidates['mmpose inference_topdown'])
        notes = {}
        for name, fn in candidates.items():
            if name.endswith('INT8'):
                # calibrated on random images: its accuracy is measured
                # with real crops (docs/speed_notes.md, INT8)
                notes[name] = '   keypoints: docs/speed_notes.md, INT8'
                continue
            distance = max(
                np.linalg.norm(a.pred_instances.keypoints -
                               b.pred_instances.keypoints, axis=-1).max()
                for got, want in zip(run_all(fn), expected)
                for a, b in zip(got, want))
            notes[name] = f'   max keypoint distance {distance:.2g} px'
            extras[name] = dict(max_keypoint_distance_px=float(distance))
        for _ in range(args.warmup):
            for fn in candidates.values():
                run_all(fn)
        repeats = max(3, args.repeats // 4)
        rounds = interleaved({name: partial(run_all, fn)
                              for name, fn in candidates.items()},
                             args.rounds, repeats)
        for name, values in rounds.items():
            per_second = people / statistics.median(values)
            notes[name] = f'   {per_second:6.1f} people/s{notes[name]}'
            extras.setdefault(name, {})['people_per_s'] = per_second
        heading = (f'whole top-down pipeline, {title} ({len(images)} '
                   f'image{"s" * (len(images) > 1)}, {people} people; '
                   f'{args.rounds} rounds of {repeats})')
        print(f'\n{heading}')
        sections.append(report(heading, rounds, notes, extras))
    return sections


def train_step(reference, ours, args, height, width) -> dict:
    """Forward, backward and an Adam step, both eager models, interleaved;
    its results section."""
    batch = args.batch_sizes[-1]
    x = torch.randn(batch, 3, height, width)
    nets = {'mmpose eager': HeatmapNetwork(reference).train(),
            'ours eager': HeatmapNetwork(ours).train()}
    target = torch.rand_like(nets['ours eager'](x)).detach()
    optimizers = {n: torch.optim.Adam(m.parameters(), lr=1e-5)
                  for n, m in nets.items()}

    def step(name) -> float:
        optimizers[name].zero_grad()
        loss = ((nets[name](x) - target)**2).mean()
        loss.backward()
        optimizers[name].step()
        return loss.item()

    # the warm-up steps start from the same weights: their losses compare
    losses = {name: [] for name in nets}
    for _ in range(args.warmup):
        for name in nets:
            losses[name].append(step(name))
    rounds = interleaved({name: (lambda name=name: step(name))
                          for name in nets}, args.rounds,
                         max(3, args.repeats // 4))
    title = (f'training step, batch {batch} ({args.rounds} rounds of '
             f'{max(3, args.repeats // 4)})')
    print(f'\n{title}')
    section = report(title, rounds)
    if not args.warmup:
        return section
    mmpose_losses, our_losses = losses.values()
    print(f'  losses of the first {args.warmup} steps: mmpose '
          f'{" ".join(f"{v:.7f}" for v in mmpose_losses)}, ours '
          f'{" ".join(f"{v:.7f}" for v in our_losses)}; largest difference '
          f'{max(abs(a - b) for a, b in zip(mmpose_losses, our_losses)):.1e}')
    return section


def report(title: str, rounds: dict, notes: Optional[dict] = None,
           extras: Optional[dict] = None) -> dict:
    """Print each candidate's median time and its ratio to the first
    candidate: median over rounds [lowest, highest round], then its note.
    Returns the results section: ``title`` and a row per candidate, with
    its ``extras``."""
    base = next(iter(rounds.values()))
    width = max(map(len, rounds))
    rows = []
    for name, values in rounds.items():
        ratios = sorted(v / b for v, b in zip(values, base))
        row = dict(name=name, median_ms=statistics.median(values) * 1e3,
                   ratio=statistics.median(ratios), ratio_low=ratios[0],
                   ratio_high=ratios[-1], **(extras or {}).get(name, {}))
        rows.append(row)
        print(f'  {name:{width}s}  {row["median_ms"]:9.2f} ms  '
              f'{row["ratio"]:5.2f}x '
              f'[{ratios[0]:.2f}-{ratios[-1]:.2f}]'
              f'{(notes or {}).get(name, "")}')
    return dict(title=title, rows=rows)


if __name__ == '__main__':
    main()
