"""The command-line tools: FLOPs, ONNX export, benchmark, pictures."""
import json
import os
import re

from helpers import (
    COCO_CONFIG,
    PYTHON,
    REPO,
    SYNTHETIC_CONFIG,
    coco_cfg_options,
    run,
)


def test_get_flops_reports_the_convention_and_counts():
    out = run([PYTHON, REPO / 'tools/analysis_tools/get_flops.py',
               COCO_CONFIG]).stdout
    assert 'input: 1x3x256x192' in out
    assert 'backbone  params 1.130M (1,130,072)' in out
    assert re.search(r'backbone .* FLOPs 213\.\dM', out)
    assert 'multiply-adds counted by mmengine.analysis' in out


def test_pytorch2onnx_exports_verifies_and_quantizes(fitted_export):
    """The tool's run in ``fitted_export`` (conftest.py): the deploy-mode
    export into a folder it made, checked against PyTorch on a batch of
    two, and the INT8 file calibrated on the crops asked for."""
    out = fitted_export['stdout']
    assert os.path.isfile(fitted_export['float'])
    assert 'input Nx3x128x96' in out
    diff = float(re.search(r'max abs difference (\S+)', out).group(1))
    assert diff <= 1e-4
    assert os.path.isfile(fitted_export['int8'])
    assert ('INT8: Conv, depthwise convolutions in float; MinMax '
            'calibration on 6 train crops') in out


def test_benchmark_compares_with_mmpose_at_equal_output(coco_root):
    out = run([PYTHON, REPO / 'tools/analysis_tools/benchmark.py',
               SYNTHETIC_CONFIG, '--batch-sizes', '1', '--rounds', '2',
               '--repeats', '2', '--warmup', '1', '--threads', '1',
               '--pipeline', '--pipeline-ann',
               coco_root / 'annotations/person_keypoints_val.json',
               '--pipeline-img-dir', coco_root / 'val']).stdout
    assert re.search(r'cores, 1 threads; python .* torch .* onnxruntime .* '
                     r'mmcv .* mmengine .* mmpose \S+$', out, re.M)
    assert 'batch 1 (2 rounds of 2)' in out
    assert re.search(r'mmpose eager .* 1\.00x \[1\.00-1\.00\]', out)
    rows = dict(re.findall(r'^  (\S.*?)\s{2,}[\d.]+ ms .*max \|diff\| (\S+)$',
                           out, re.M))
    assert set(rows) == {'mmpose eager', 'ours eager', 'ours deploy',
                         'ours onnxruntime',
                         'ours onnxruntime batch-parallel'}
    assert float(rows['mmpose eager']) == 0
    assert all(float(d) <= 1e-4 for d in rows.values())
    # the whole top-down pipeline: people per second, keypoints as mmpose's
    titles = re.findall(r'^whole top-down pipeline, (.*): (\d+) images, '
                        r'(\d+) people', out, re.M)
    assert [t[0] for t in titles] == [
        'generated frame, 8 people',
        str(coco_root / 'annotations/person_keypoints_val.json')]
    assert titles[0][1:] == ('1', '8')
    people = re.findall(r'^  (\S.*?)\s{2,}[\d.]+ ms .* ([\d.]+) people/s '
                        r'+max keypoint distance (\S+) px$', out, re.M)
    assert [p[0] for p in people] == 2 * [
        'mmpose inference_topdown', 'ours, PyTorch deploy mode',
        'ours, onnxruntime']
    assert all(float(p[1]) > 0 for p in people)
    # a distance, 0 for mmpose itself (equality with mmpose's keypoints is
    # tested with TopdownPredictor; the seeded random weights here give
    # near-equal heatmap peaks that rounding can swap)
    assert float(people[0][2]) == float(people[3][2]) == 0


def test_int8_export_evaluation_and_comparison(tmp_path, coco_root,
                                               mim_trained):
    """pytorch2onnx --verify --int8 of the eval-mode network (checked
    against PyTorch with onnxruntime), then test_onnx.py (the config's test
    loop on the ONNX network: the AP that the training run's validation
    gave the same weights) and compare_keypoints.py (the float export's
    keypoints are PyTorch's, but for the few that this barely trained
    model's flat heatmaps let move)."""
    work_dir, training = mim_trained
    checkpoint = work_dir / 'epoch_1.pth'
    options = coco_cfg_options(coco_root)
    float_file, int8_file = tmp_path / 'float.onnx', tmp_path / 'int8.onnx'
    out = run([PYTHON, REPO / 'tools/deployment/pytorch2onnx.py',
               COCO_CONFIG, checkpoint, '--output-file', float_file,
               '--dynamic-batch', '--verify', '--int8', int8_file,
               '--calib-images', '4', '--cfg-options', *options]).stdout
    assert '(opset 18, input Nx3x256x192)' in out
    diff = float(re.search(r'max abs difference (\S+)', out).group(1))
    assert diff <= 1e-4
    assert 'MinMax calibration on 4 train crops' in out
    assert int8_file.is_file()
    # the validation after epoch 1, on the same data and metric
    expected, = re.findall(r'coco/AP: (\d\.\d{4})',
                           training.stdout + training.stderr)
    out = run([PYTHON, REPO / 'tools/deployment/test_onnx.py', COCO_CONFIG,
               float_file, '--work-dir', tmp_path / 'onnx',
               '--cfg-options', *options]).stdout
    assert f'coco/AP: {expected}' in out
    ann_file = coco_root / 'annotations/person_keypoints_val.json'
    out = run([PYTHON, REPO / 'tools/deployment/compare_keypoints.py',
               COCO_CONFIG, checkpoint, float_file, int8_file,
               '--ann-file', ann_file, '--img-dir', coco_root / 'val']).stdout
    assert re.search(f'{float_file}: mean .*, median 0.00, max ', out)
    assert f'{int8_file}: mean ' in out


def test_visualize_predictions_draws_the_images_with_people(
        tmp_path, coco_root, lite18_checkpoint):
    ann = json.loads(
        (coco_root / 'annotations/person_keypoints_val.json').read_text())
    empty = dict(ann['images'][0], id=99, file_name='nobody.jpg')
    img_dir = tmp_path / 'images'  # the shared dataset stays as it is
    img_dir.mkdir()
    for image in ann['images']:
        (img_dir / image['file_name']).symlink_to(
            coco_root / 'val' / image['file_name'])
    (img_dir / 'nobody.jpg').symlink_to(
        coco_root / 'val' / ann['images'][0]['file_name'])
    ann['images'].insert(0, empty)  # an image without people comes first
    ann_file = tmp_path / 'val.json'
    ann_file.write_text(json.dumps(ann))
    out_dir = tmp_path / 'vis'
    proc = run([PYTHON, REPO / 'tools/misc/visualize_predictions.py',
                COCO_CONFIG, lite18_checkpoint, '--ann-file', ann_file,
                '--img-dir', img_dir, '--num', '6', '--out-dir',
                out_dir])
    drawn = sorted(p.name for p in out_dir.iterdir())
    assert drawn == sorted(image['file_name'].replace('.jpg', '.png')
                           for image in ann['images'][1:])
    # written to a pipe: a line per picture here, not a redrawn bar
    assert '1/2 pictures\n2/2 pictures\n2 pictures in' in proc.stdout
