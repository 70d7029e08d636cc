"""How fast Lite-HRNet's exported graph gets on this CPU, by graph form and
runtime, against RTMPose-t under onnxruntime.

    pip install openvino==2026.4.1   # not a dependency of the package
    python docs/experiments/runtime_floors.py [CONFIG] [--batch-sizes 1 32]
        [--threads 2] [--rounds 5] [--repeats 20] [--out RESULTS.json]

In one process, timed as ``tools/analysis_tools/benchmark.py`` times (blocks
of runs, their order rotating from round to round; ratios are medians over
rounds against RTMPose-t under onnxruntime run the same way: on one thread,
batch-parallel, or else in one session on ``--threads`` threads), with
random weights (weights do not change the speed):

- onnxruntime, as one session, batch-parallel and single-threaded, on the
  deploy-mode graph, on its INT8 form (``quantize_int8``'s defaults,
  calibrated on random images) and on the graph without the channel
  weighting's H and F (every block's weighted half straight to its
  depthwise convolution: wrong outputs, a floor for what any work on H and
  F can gain), and on RTMPose-t (mmpose's config, exported the same way);
- OpenVINO in f32 and bf16 (``INFERENCE_PRECISION_HINT``): at batch 1 one
  request on ``--threads`` threads and on one; above batch 1 ``--threads``
  streams, requests of 4 images. Its graphs write the channel shuffle as
  mmpose writes it (concatenation, then reshape-transpose-reshape, which
  OpenVINO runs as one ``ShuffleChannels``) instead of the package's one-copy
  form, on which its CPU plugin reorders the blocked layout around every
  block; both forms are timed at batch 1. The INT8 graph (QDQ) runs too,
  and, where NNCF is installed (``pip install nncf==3.4.0``), NNCF's own
  INT8 quantization of ours and of RTMPose-t.

``max_abs_diff`` is each of our rows' largest heatmap difference to the
deploy-mode graph under onnxruntime (the rows without H and F are wrong by
design). The notes on these runs: ``docs/speed_notes.md``, "Floors".
"""
import gc

gc.disable()  # until the imports are done: litehrnet_mm/cli/startup.py
import argparse
import contextlib
import copy
import os.path as osp
import statistics
import sys
import tempfile
from typing import Callable, Dict, Iterator, List

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmpose.models.backbones.utils import channel_shuffle

import litehrnet_mm  # noqa: F401
from litehrnet_mm.cli.arg_types import existing_file, positive_int
from litehrnet_mm.cli.results import header_line, run_header, write_results
from litehrnet_mm.cli.startup import libraries_loaded
from litehrnet_mm.cli.timing import interleaved
from litehrnet_mm.deploy import (
    HeatmapNetwork,
    export_onnx,
    quantize_int8,
    switch_to_deploy,
)
from litehrnet_mm.models import layers
from litehrnet_mm.models.layers import ConditionalChannelWeighting
from litehrnet_mm.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from benchmark import onnxruntime_sessions, rtmpose_t_onnx  # noqa

libraries_loaded()

CONFIG = ('configs/body_2d_keypoint/topdown_heatmap/coco/'
          'td-hm_litehrnet-18_8xb64-210e_coco-256x192.py')
REFERENCE = 'RTMPose-t onnxruntime'
COLUMNS = [['candidate', 'name', 'text'], ['median', 'median_ms', 'ms'],
           ['against', 'reference', 'text'], ['ratio', 'ratio', 'ratio'],
           ['rounds', ['ratio_low', 'ratio_high'], 'ratio_range'],
           ['max diff', 'max_abs_diff', 'text']]
#: Images per OpenVINO request above batch 1.
IMAGES_PER_REQUEST = 4


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', nargs='?', type=existing_file,
                        default=osp.relpath(osp.join(ROOT, CONFIG)),
                        help='model config (default: Lite-HRNet-18 on COCO '
                        'at 256x192)')
    parser.add_argument('--batch-sizes', type=positive_int, nargs='+',
                        default=[1, 32])
    parser.add_argument('--threads', type=positive_int, default=2)
    parser.add_argument('--rounds', type=positive_int, default=5)
    parser.add_argument('--repeats', type=positive_int, default=20,
                        help='timed runs per candidate and round at batch '
                        '1; a tenth of them (at least 3) at larger batches')
    parser.add_argument('--out', help='also write the results to this JSON '
                        'file')
    return parser.parse_args()


def without_channel_weighting(network: torch.nn.Module) -> torch.nn.Module:
    """A copy of ``network`` whose conditional channel weighting blocks
    pass the weighted half to the depthwise convolutions unweighted: H and
    F replaced by identities. Its outputs are wrong; it times what is left.
    """
    network = copy.deepcopy(network)
    for module in network.modules():
        if isinstance(module, ConditionalChannelWeighting):
            module.cross_resolution_weighting = torch.nn.Identity()
            module.spatial_weighting = torch.nn.ModuleList(
                torch.nn.Identity() for _ in module.spatial_weighting)
    return network


@contextlib.contextmanager
def shuffle_as_transpose() -> Iterator[None]:
    """Export the blocks' channel shuffle as concatenation, then mmpose's
    reshape-transpose-reshape (the same values, one copy more)."""
    modules = (layers.conditional_channel_weighting, layers.shuffle_block,
               layers.stem)
    saved = [module.concat_shuffle for module in modules]
    for module in modules:
        module.concat_shuffle = lambda a, b: channel_shuffle(
            torch.cat((a, b), dim=1), 2)
    try:
        yield
    finally:
        for module, function in zip(modules, saved):
            module.concat_shuffle = function


def openvino_runs(onnx_file: str, threads: int,
                  batch: int) -> Dict[str, Callable[[np.ndarray], object]]:
    """OpenVINO's ways to run a graph at this batch size, by name suffix."""
    import openvino
    core = openvino.Core()
    runs = {}
    for precision in ('f32', 'bf16'):
        if batch == 1:
            for n in sorted({threads, 1}, reverse=True):
                request = core.compile_model(
                    core.read_model(onnx_file), 'CPU',
                    dict(PERFORMANCE_HINT='LATENCY', INFERENCE_NUM_THREADS=n,
                         INFERENCE_PRECISION_HINT=precision)
                ).create_infer_request()
                runs[f' {precision}, {n} thread{"s" * (n > 1)}'] = (
                    lambda x, request=request: request.infer([x])[0])
        else:
            compiled = core.compile_model(
                core.read_model(onnx_file), 'CPU',
                dict(PERFORMANCE_HINT='THROUGHPUT', NUM_STREAMS=threads,
                     INFERENCE_NUM_THREADS=threads,
                     INFERENCE_PRECISION_HINT=precision))
            runs[f' {precision}, {threads} streams'] = partial_queue(
                openvino.AsyncInferQueue(compiled, threads))
    return runs


def nncf_available() -> bool:
    try:
        import nncf  # noqa: F401
    except ImportError:
        print('NNCF is not installed: no OpenVINO INT8 rows of its own '
              '(pip install nncf==3.4.0)')
        return False
    return True


def nncf_version() -> Dict[str, str]:
    try:
        import nncf
    except ImportError:
        return {}
    return dict(nncf=nncf.__version__)


def nncf_int8(onnx_file: str, shape: tuple) -> str:
    """The graph quantized by NNCF's post-training quantization for
    OpenVINO (its defaults, calibrated on 16 random images), saved as
    OpenVINO IR beside it."""
    import nncf
    import openvino
    images = [torch.randn(*shape).numpy() for _ in range(16)]
    quantized = nncf.quantize(
        openvino.Core().read_model(onnx_file), nncf.Dataset(images),
        subset_size=len(images))
    ir_file = onnx_file.replace('.onnx', '_nncf_int8.xml')
    openvino.save_model(quantized, ir_file)
    return ir_file


def partial_queue(queue) -> Callable[[np.ndarray], np.ndarray]:
    """Run a batch as requests of ``IMAGES_PER_REQUEST`` images on an
    OpenVINO ``AsyncInferQueue``; their outputs in order."""
    outputs: Dict[int, np.ndarray] = {}
    queue.set_callback(lambda request, start: outputs.__setitem__(
        start, request.get_output_tensor(0).data.copy()))

    def run(x: np.ndarray) -> np.ndarray:
        outputs.clear()
        for start in range(0, len(x), IMAGES_PER_REQUEST):
            queue.start_async([x[start:start + IMAGES_PER_REQUEST]], start)
        queue.wait_all()
        return np.concatenate([outputs[k] for k in sorted(outputs)])

    return run


def main() -> None:
    args = parse_args()
    try:
        import openvino
    except ImportError:
        sys.exit('runtime_floors.py needs OpenVINO: '
                 'pip install openvino==2026.4.1')
    torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('litehrnet_mm'):
        ours = HeatmapNetwork(switch_to_deploy(MODELS.build(cfg.model)))
    ours.eval()
    width, height = cfg.model.head.decoder.input_size
    folder = tempfile.mkdtemp()
    shape = (1, 3, height, width)

    def export(network: torch.nn.Module, name: str) -> str:
        return export_onnx(network, osp.join(folder, name), shape,
                           dynamic_batch=True)

    ort_graphs = {'ours': export(ours, 'ours.onnx')}
    ort_graphs['ours INT8'] = quantize_int8(
        ort_graphs['ours'], osp.join(folder, 'ours_int8.onnx'),
        torch.randn(16, *shape[1:]).numpy())
    ort_graphs['ours, no H or F'] = export(without_channel_weighting(ours),
                                           'floor.onnx')
    rtmpose_file, rtmpose_size = rtmpose_t_onnx(folder)
    with shuffle_as_transpose():
        ov_graphs = {
            'ours': export(ours, 'ours_transpose.onnx'),
            'ours, no H or F': export(without_channel_weighting(ours),
                                      'floor_transpose.onnx'),
        }
    ov_graphs['ours INT8'] = ort_graphs['ours INT8']
    ov_graphs['RTMPose-t'] = rtmpose_file
    if nncf_available():
        ov_graphs['ours INT8 (NNCF)'] = nncf_int8(ov_graphs['ours'], shape)
        ov_graphs['RTMPose-t INT8 (NNCF)'] = nncf_int8(
            rtmpose_file, (1, 3, *rtmpose_size))
    ov_graphs['ours, one-copy shuffle'] = ort_graphs['ours']

    header = dict(config=args.config, input=f'{height}x{width}',
                  **run_header(args.threads),
                  openvino=openvino.__version__.split('-')[0],
                  **nncf_version())
    print(f'{args.config}\ninput {height}x{width}\n{header_line(header)}')
    sections = []
    for batch in args.batch_sizes:
        x = torch.randn(batch, 3, height, width).numpy()
        x_rtmpose = torch.randn(batch, 3, *rtmpose_size).numpy()
        runs: Dict[str, Callable[[], object]] = {}
        for name, file in [('RTMPose-t', rtmpose_file), *ort_graphs.items()]:
            for suffix, net in onnxruntime_sessions(file,
                                                    args.threads).items():
                runs[f'{name} onnxruntime{suffix}'] = partial_call(
                    net, torch.from_numpy(
                        x_rtmpose if name == 'RTMPose-t' else x))
        for name, file in ov_graphs.items():
            if name == 'ours, one-copy shuffle' and batch > 1:
                continue
            for suffix, run in openvino_runs(file, args.threads,
                                             batch).items():
                if 'INT8' in name and 'bf16' in suffix:
                    continue
                runs[f'{name} OpenVINO{suffix}'] = partial_call(
                    run, x_rtmpose if name.startswith('RTMPose-t') else x)
        expected = np.asarray(runs['ours onnxruntime']())
        diffs = {
            name: float(np.abs(np.asarray(run()) - expected).max())
            for name, run in runs.items() if name.startswith('ours')
        }
        repeats = args.repeats if batch == 1 else max(3, args.repeats // 10)
        rounds = interleaved(runs, args.rounds, repeats)
        sections.append(report(
            f'batch {batch} ({args.rounds} rounds of {repeats})', rounds,
            diffs))
    if args.out:
        write_results(args.out, header, sections)
        print(f'\nresults written to {args.out}')


def reference_of(name: str) -> str:
    """RTMPose-t under onnxruntime run the same way: on one thread,
    batch-parallel, or else in one session on all the threads."""
    if name.endswith(', 1 thread'):
        return REFERENCE + ', 1 thread'
    if name.endswith(' batch-parallel'):
        return REFERENCE + ' batch-parallel'
    return REFERENCE


def report(title: str, rounds: Dict[str, List[float]],
           diffs: Dict[str, float]) -> dict:
    """Print and return a results section: each candidate's median time
    and its ratio to :func:`reference_of` it (median over rounds, lowest
    and highest round)."""
    rows = []
    print(f'\n{title}')
    for name, values in rounds.items():
        reference = reference_of(name)
        ratios = sorted(
            v / r for v, r in zip(values, rounds.get(reference, values)))
        row = dict(name=name, median_ms=statistics.median(values) * 1e3,
                   reference=reference, ratio=statistics.median(ratios),
                   ratio_low=ratios[0], ratio_high=ratios[-1])
        if name in diffs:
            row['max_abs_diff'] = f'{diffs[name]:.1e}'
        rows.append(row)
        diff = f"   max |diff| {row['max_abs_diff']}" if name in diffs else ''
        print(f"  {name:50s} {row['median_ms']:8.2f} ms  {row['ratio']:.2f}x"
              f" [{ratios[0]:.2f}-{ratios[-1]:.2f}] of {reference}{diff}")
    return dict(title=title, rows=rows, columns=COLUMNS)


def partial_call(fn: Callable, x) -> Callable[[], object]:
    """``fn(x)`` as a function of nothing, its output as an array."""
    def run():
        out = fn(x)
        return out.numpy() if isinstance(out, torch.Tensor) else out
    return run


if __name__ == '__main__':
    main()
