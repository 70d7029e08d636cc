"""The configs' folder READMEs, as mmpose's: a row per config, linking the
config and its weights, with the metafile's counts and results; the main
README's configs table agrees with the metafiles too."""
import re

import pytest
import yaml
from helpers import CONFIGS, REPO

METAFILES = sorted(CONFIGS.glob('*_keypoint/**/litehrnet_*.yml'))
#: The metafile metric of each README column (or result) name.
METRICS = {'AP': 'AP', 'PCKh@0.5': 'Mean', 'PCK@0.2': 'PCK@0.2', 'AUC': 'AUC',
           'EPE': 'EPE'}
# | `folders/name.py` | params | FLOPs | result |
MAIN_ROWS = {
    name: (flops, result) for name, flops, result in re.findall(
        r'^\| `\S+/(\S+)\.py` \| [\d.]+M \| ([\d.]+M) \| (.+) \|$',
        (REPO / 'README.md').read_text(), re.M)}


def _models(metafile):
    return {m['Name']: m
            for m in yaml.safe_load(metafile.read_text())['Models']}


def _table(readme):
    """The first table of ``readme``: a dict per row, by column title."""
    lines = [line for line in readme.read_text().splitlines()
             if line.startswith('| ')]
    cells = [[c.strip() for c in line.strip('|').split('|')] for line in lines]
    return [dict(zip(cells[0], row)) for row in cells[1:]]


def test_every_folder_has_its_readme_and_metafile():
    assert [m.parent.name for m in METAFILES] == [
        'coco', 'mpii', 'coco_wholebody_hand']
    assert sum(len(_models(m)) for m in METAFILES) == len(MAIN_ROWS) == 11


@pytest.mark.parametrize('metafile', METAFILES, ids=lambda p: p.parent.name)
def test_readme_rows_are_the_metafiles(metafile):
    models = _models(metafile)
    rows = _table(metafile.parent / 'README.md')
    assert len(rows) == len(models)
    for row in rows:
        name, target = re.fullmatch(r'\[(\S+)\]\((\S+)\)',
                                    row['config']).groups()
        assert target == f'{name}.py'
        assert (metafile.parent / target).is_file()
        model = models[name]
        weights = model.get('Weights')
        assert row['weights'] == (f'[ckpt]({weights})' if weights else '—')
        assert int(row['params'].replace(',', '')) == \
            model['Metadata']['Parameters']
        assert row['FLOPs (here)'] == model['Metadata']['FLOPs']
        metrics = model['Results'][0]['Metrics']
        checked = 0
        for column, value in row.items():
            metric, _, source = column.partition(' (')
            if metric not in METRICS or (source == 'paper)' and weights):
                continue  # the paper's figure beside the zoo checkpoint's
            if source == 'mmpose zoo)' and not weights:
                assert value == '—', (name, column)
                continue
            assert float(value) == metrics[METRICS[metric]], (name, column)
            checked += 1
        assert checked >= 1, name


@pytest.mark.parametrize('metafile', METAFILES, ids=lambda p: p.parent.name)
def test_main_readme_configs_are_the_metafiles(metafile):
    for name, model in _models(metafile).items():
        flops, result = MAIN_ROWS[name]
        assert flops == model['Metadata']['FLOPs']
        paper = not model.get('Weights')
        assert result.endswith(' (paper)') == paper, name
        shown = dict(re.findall(r'(\S+) ([\d.]+)', result))
        metrics = model['Results'][0]['Metrics']
        assert {METRICS[k]: float(v) for k, v in shown.items()} == {
            METRICS[k]: metrics[METRICS[k]] for k in shown}, name
