"""A checkpoint of another variant or keypoint set stops the run with the
file and the first mismatches named; load_strict=False loads what fits and
lists what it skips."""
import logging

import pytest
import torch
from helpers import COCO_CONFIG, LITE30_CONFIG, build_runner


def test_another_variant_stops_with_the_file_and_keys(
        lite18_checkpoint, coco_root, tmp_path):
    runner = build_runner(LITE30_CONFIG, coco_root, tmp_path,
                          load_from=str(lite18_checkpoint))
    with pytest.raises(ValueError) as error:
        runner.load_or_resume()
    message = str(error.value)
    assert str(lite18_checkpoint) in message
    assert 'keys missing from the weights' in message
    assert 'backbone.stage0.2.' in message  # the first module -18 lacks
    assert 'load_strict = False' in message


def test_another_keypoint_count_stops_with_shapes(
        lite18_checkpoint, coco_root, tmp_path):
    runner = build_runner(COCO_CONFIG, coco_root, tmp_path,
                          load_from=str(lite18_checkpoint),
                          model=dict(head=dict(out_channels=16)))
    with pytest.raises(ValueError, match=r'head.final_layer.weight: '
                       r'\(17, 40, 1, 1\) vs \(16, 40, 1, 1\)'):
        runner.load_or_resume()


def test_partial_load_reports_what_it_skips(lite18_checkpoint, coco_root,
                                            tmp_path):
    runner = build_runner(COCO_CONFIG, coco_root, tmp_path,
                          load_from=str(lite18_checkpoint), load_strict=False,
                          model=dict(head=dict(out_channels=16)))
    head_before = runner.model.head.final_layer.weight.clone()
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    runner.logger.addHandler(handler)
    try:
        runner.load_or_resume()
    finally:
        runner.logger.removeHandler(handler)
    saved = torch.load(lite18_checkpoint)['state_dict']
    assert torch.equal(runner.model.backbone.stem.conv1.conv.weight,
                       saved['backbone.stem.conv1.conv.weight'])
    assert torch.equal(runner.model.head.final_layer.weight, head_before)
    log = '\n'.join(record.getMessage() for record in records)
    assert 'partial load of' in log and str(lite18_checkpoint) in log
    assert '2 shapes differ (weights vs model)' in log
    assert 'head.final_layer.weight: (17, 40, 1, 1) vs (16, 40, 1, 1)' in log
    assert 'head.final_layer.bias: (17,) vs (16,)' in log
