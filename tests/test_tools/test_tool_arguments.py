"""Wrong arguments to the ``tools/`` scripts and the projects' tools, one row
each: the script stops before building or loading anything, with argparse's
usage error naming the argument and saying what it takes."""
import importlib.util

import pytest
from helpers import COCO_CONFIG, REPO

CONFIG = str(COCO_CONFIG)
ONNX = ['--output-file', 'model.onnx']
# the segmentation project's tools, relative to tools/
SEG_TOOLS = '../projects/litehrnet_seg/tools/'


def _parse(tool, argv):
    spec = importlib.util.spec_from_file_location(
        'tool_' + tool.replace('/', '_')[:-3], REPO / 'tools' / tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.parse_args(argv)


# (tool, arguments, the argument named, what the message says)
ROWS = [
    ('train.py', ['missing.py'], 'config', 'missing.py does not exist'),
    ('train.py', [CONFIG, '--resume', 'gone.pth'], '--resume',
     'gone.pth does not exist'),
    ('train.py', [str(REPO / 'configs')], 'config', 'is a folder'),
    ('test.py', [CONFIG, 'gone.pth'], 'checkpoint',
     'gone.pth does not exist'),
    ('test.py', [CONFIG, CONFIG, '--interval', '0'], '--interval',
     '0 is not a positive integer'),
    ('deployment/pytorch2onnx.py', [CONFIG, 'gone.pth', *ONNX],
     'checkpoint', 'gone.pth does not exist'),
    ('deployment/pytorch2onnx.py',
     [CONFIG, 'none', *ONNX, '--shape', '0', '3', '256', '192'], '--shape',
     '0 is not a positive integer'),
    ('deployment/pytorch2onnx.py',
     [CONFIG, 'none', *ONNX, '--shape', '1', '3', '256', '19.2'],
     '--shape', "'19.2' is not an integer"),
    ('deployment/pytorch2onnx.py', [CONFIG, 'none', *ONNX, '--opset', '13'],
     '--opset', 'opset 17 or newer'),
    ('deployment/pytorch2onnx.py',
     [CONFIG, 'none', *ONNX, '--int8', 'q.onnx', '--calib-images', '0'],
     '--calib-images', '0 is not a positive integer'),
    ('deployment/pytorch2onnx.py',
     [CONFIG, 'none', *ONNX, '--int8', 'q.onnx', '--calib-method', 'KL'],
     '--calib-method', "invalid choice: 'KL'"),
    ('deployment/test_onnx.py', [CONFIG, 'gone.onnx'], 'onnx_file',
     'gone.onnx does not exist'),
    ('deployment/compare_keypoints.py',
     [CONFIG, CONFIG, CONFIG, '--ann-file', CONFIG, '--img-dir', 'gone/'],
     '--img-dir', 'gone/ is not a folder'),
    ('analysis_tools/benchmark.py', [CONFIG, '--batch-sizes', '1', '0'],
     '--batch-sizes', '0 is not a positive integer'),
    ('analysis_tools/benchmark.py', [CONFIG, '--threads', '0'], '--threads',
     '0 is not a positive integer'),
    ('analysis_tools/benchmark.py', [CONFIG, '--repeats', '0'], '--repeats',
     '0 is not a positive integer'),
    ('analysis_tools/benchmark.py', [CONFIG, '--checkpoint', 'gone.pth'],
     '--checkpoint', 'gone.pth does not exist'),
    ('analysis_tools/get_flops.py', [CONFIG, '--input-shape', '256', '-5'],
     '--input-shape', '-5 is not a positive integer'),
    ('misc/visualize_predictions.py',
     [CONFIG, CONFIG, '--ann-file', CONFIG, '--img-dir', 'gone/',
      '--out-dir', 'vis'], '--img-dir', 'gone/ is not a folder'),
    ('misc/make_synthetic_coco.py',
     ['--out-dir', 'data', '--num-val', '0'], '--num-val',
     '0 is not a positive integer'),
    ('misc/make_synthetic_coco.py',
     ['--out-dir', 'data', '--workers', '0'], '--workers',
     '0 is not a positive integer'),
    ('model_converters/litehrnet_official_to_mm.py', ['gone.pth', 'x.pth'],
     'src', 'gone.pth does not exist'),
    (SEG_TOOLS + 'make_synthetic_parts.py',
     ['--out-dir', 'data', '--size', '256', '0'], '--size',
     '0 is not a positive integer'),
    (SEG_TOOLS + 'pytorch2onnx.py', [CONFIG, 'gone.pth', *ONNX],
     'checkpoint', 'gone.pth does not exist'),
    (SEG_TOOLS + 'visualize_predictions.py',
     [CONFIG, CONFIG, '--img-dir', 'gone/', '--out-dir', 'vis'],
     '--img-dir', 'gone/ is not a folder'),
]


@pytest.mark.parametrize('tool,argv,argument,says', ROWS,
                         ids=[f'{r[0]} {r[2]}' for r in ROWS])
def test_a_wrong_argument_is_a_usage_error(tool, argv, argument, says,
                                           capsys):
    with pytest.raises(SystemExit) as stop:
        _parse(tool, argv)
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert f'error: argument {argument}' in error, error
    assert says in error, error


def test_right_arguments_parse(lite18_checkpoint):
    args = _parse('deployment/pytorch2onnx.py',
                  [CONFIG, str(lite18_checkpoint), *ONNX, '--shape', '2',
                   '3', '128', '96'])
    assert args.shape == [2, 3, 128, 96] and args.opset == 18
    args = _parse('train.py', [CONFIG, '--resume'])
    assert args.resume == 'auto'
