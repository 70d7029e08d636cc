"""The command-line tools: FLOPs, ONNX export, benchmark."""
import re

from helpers import COCO_CONFIG, CONFIGS, PYTHON, REPO, run

SMALL_CONFIG = (CONFIGS / 'body_2d_keypoint/topdown_heatmap/synthetic/'
                'td-hm_litehrnet-18_1xb32-8e_synthetic-coco-128x96.py')


def test_get_flops_reports_the_convention_and_counts():
    out = run([PYTHON, REPO / 'tools/analysis_tools/get_flops.py',
               COCO_CONFIG]).stdout
    assert 'input: 1x3x256x192' in out
    assert 'backbone  params 1.130M (1,130,072)' in out
    assert re.search(r'backbone .* FLOPs 213\.\dM', out)
    assert 'multiply-adds counted by mmengine.analysis' in out


def test_pytorch2onnx_exports_and_verifies(tmp_path):
    onnx_file = tmp_path / 'new_folder' / 'model.onnx'
    out = run([PYTHON, REPO / 'tools/deployment/pytorch2onnx.py',
               SMALL_CONFIG, 'none', '--output-file', onnx_file, '--shape',
               '1', '3', '128', '96', '--dynamic-batch', '--deploy',
               '--verify']).stdout
    assert onnx_file.is_file()
    assert 'input Nx3x128x96' in out
    diff = float(re.search(r'max abs difference (\S+)', out).group(1))
    assert diff <= 1e-4


def test_benchmark_compares_with_mmpose_at_equal_output():
    out = run([PYTHON, REPO / 'tools/analysis_tools/benchmark.py',
               SMALL_CONFIG, '--batch-sizes', '1', '--repeats', '2',
               '--warmup', '1', '--threads', '1']).stdout
    rows = dict(re.findall(r'^  (\S.*?)\s{2,}[\d.]+ ms .*max \|diff\| (\S+)$',
                           out, re.M))
    assert set(rows) == {'mmpose eager', 'ours eager', 'ours deploy',
                         'ours onnxruntime'}
    assert float(rows['mmpose eager']) == 0
    assert all(float(d) <= 1e-4 for d in rows.values())
