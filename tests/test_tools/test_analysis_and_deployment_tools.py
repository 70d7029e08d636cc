"""The command-line tools: FLOPs, ONNX export, benchmark, pictures."""
import json
import os
import re

from helpers import (
    COCO_CONFIG,
    PYTHON,
    REPO,
    SYNTHETIC_CONFIG,
    config_with_options,
    run,
)

from litehrnet_mm.cli.results import header_line, read_results

# a benchmark row: candidate, then its max |diff| to mmpose's heatmaps
DIFF_ROWS = re.compile(r'^  (\S.*?)\s{2,}[\d.]+ ms .*max \|diff\| (\S+)$',
                       re.M)


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


def test_benchmark_compares_with_mmpose_at_equal_output(coco_root,
                                                        tmp_path):
    results_file = tmp_path / 'results' / 'benchmark.json'
    out = run([PYTHON, REPO / 'tools/analysis_tools/benchmark.py',
               SYNTHETIC_CONFIG, '--batch-sizes', '1', '4', '--rounds', '2',
               '--repeats', '2', '--warmup', '2', '--threads', '1',
               '--train-step', '--pipeline', '--pipeline-ann',
               coco_root / 'annotations/person_keypoints_val.json',
               '--pipeline-img-dir', coco_root / 'val', '--out',
               results_file]).stdout
    assert re.search(r'cores, 1 threads; python .* torch .* onnxruntime .* '
                     r'mmcv .* mmengine .* mmpose [^,\s]+(, mmseg \S+)?$', out,
                     re.M)
    assert 'batch 1 (2 rounds of 2)' in out
    assert 'batch 4 (2 rounds of 2)' in out
    assert re.search(r'mmpose eager .* 1\.00x \[1\.00-1\.00\]', out)
    found = DIFF_ROWS.findall(out)
    assert [name for name, _ in found] == 2 * [
        'mmpose eager', 'ours eager', 'ours deploy', 'ours onnxruntime',
        'ours onnxruntime batch-parallel']
    assert all(float(d) == 0 for name, d in found if name == 'mmpose eager')
    assert all(float(d) <= 1e-4 for _, d in found)
    # the whole top-down pipeline: people per second, keypoints as mmpose's
    titles = re.findall(r'^whole top-down pipeline, (.*) \((\d+) images?, '
                        r'(\d+) people;', out, re.M)
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
    # the training step: timed, and its first losses equal mmpose's
    # at batch 4: at batch 1, batch norm over one image's smallest maps
    # makes some biases' float32 gradients (mmpose's as much as ours) as far
    # from float64's as they are large, and Adam's first step turns that
    # noise into full-size updates (up to 1.9e-5 apart in the losses here)
    assert re.search(r'^training step, batch 4 \(2 rounds of 3\)$', out, re.M)
    assert re.search(r'^  ours eager\s+[\d.]+ ms', out.split('training')[-1],
                     re.M)
    losses = re.search(r'losses of the first 2 steps: mmpose (\S+) (\S+), '
                       r'ours (\S+) (\S+); largest difference (\S+)$', out,
                       re.M)
    assert losses, out
    assert float(losses[5]) <= 1e-5
    assert abs(float(losses[1]) - float(losses[3])) <= 1e-5
    # the results file holds what was printed, under the printed header
    results = read_results(results_file)
    assert header_line(results['header']) in out.splitlines()
    assert results['header']['threads'] == 1
    assert results['header']['config'] == str(SYNTHETIC_CONFIG)
    assert results['header']['commit']
    assert [s['title'] for s in results['sections']] == re.findall(
        r'^((?:batch|whole|training) .*\))$', out, re.M)
    printed = re.findall(r'^  (\S.*?)\s{2,}([\d.]+) ms\s+([\d.]+)x '
                         r'\[([\d.]+)-([\d.]+)\]', out, re.M)
    rows = [row for s in results['sections'] for row in s['rows']]
    assert [(r['name'], f"{r['median_ms']:.2f}", f"{r['ratio']:.2f}",
             f"{r['ratio_low']:.2f}", f"{r['ratio_high']:.2f}")
            for r in rows] == printed
    diffs = {(r['name'], f"{r['max_abs_diff']:.1e}") for r in rows
             if 'max_abs_diff' in r}
    assert diffs == set(found)


def test_benchmark_rtmpose_t_reference():
    """``--rtmpose``: RTMPose-t's export is timed in the same rounds. With
    two threads, each graph is also timed on one, with our heatmaps still
    mmpose's."""
    out = run([PYTHON, REPO / 'tools/analysis_tools/benchmark.py',
               SYNTHETIC_CONFIG, '--batch-sizes', '1', '--rounds', '1',
               '--repeats', '1', '--warmup', '0', '--threads', '2',
               '--rtmpose']).stdout
    rows = dict(DIFF_ROWS.findall(out))
    assert set(rows) >= {'ours onnxruntime', 'ours onnxruntime, 1 thread',
                         'ours onnxruntime batch-parallel'}
    assert float(rows['ours onnxruntime, 1 thread']) <= 1e-4
    assert float(rows['ours onnxruntime']) <= 1e-4
    timed = re.findall(r'^  (RTMPose-t .*?)\s{2,}([\d.]+) ms', out, re.M)
    assert [name for name, _ in timed] == [
        'RTMPose-t onnxruntime', 'RTMPose-t onnxruntime batch-parallel',
        'RTMPose-t onnxruntime, 1 thread']
    assert all(float(ms) > 0 for _, ms in timed)


def test_onnx_evaluation_and_keypoint_comparison(tmp_path, coco_root,
                                                 fitted_export):
    """test_onnx.py on the export of ``fitted_export`` (the config's test
    loop on the ONNX network: the AP that the PyTorch model gets from the
    same loop) and compare_keypoints.py (the float export's keypoints are
    PyTorch's; the INT8 file's distances are printed)."""
    from mmengine.runner import Runner
    options = fitted_export['options'] + [
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False']
    cfg = config_with_options(SYNTHETIC_CONFIG, options)
    cfg.merge_from_dict(dict(work_dir=str(tmp_path / 'pytorch'),
                             load_from=fitted_export['checkpoint']))
    expected = Runner.from_cfg(cfg).test()['coco/AP']
    out = run([PYTHON, REPO / 'tools/deployment/test_onnx.py',
               SYNTHETIC_CONFIG, fitted_export['float'], '--work-dir',
               tmp_path / 'onnx', '--cfg-options', *options]).stdout
    assert expected > 0.5
    assert f'coco/AP: {expected:.4f}' in out
    people = coco_root / 'annotations/person_keypoints_train.json'
    out = run([PYTHON, REPO / 'tools/deployment/compare_keypoints.py',
               SYNTHETIC_CONFIG, fitted_export['checkpoint'],
               fitted_export['float'], fitted_export['int8'], '--ann-file',
               people, '--img-dir', coco_root / 'train']).stdout
    assert re.search(f'{fitted_export["float"]}: mean 0.00, median 0.00, '
                     'max 0.00', out)
    assert f'{fitted_export["int8"]}: mean ' in out


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
