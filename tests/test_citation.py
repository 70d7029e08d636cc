"""The licence and citation files say what the package and README say."""
import configparser
import re

import yaml
from helpers import REPO

import litehrnet_mm


def test_licence_file_is_the_one_setup_cfg_names():
    setup = configparser.ConfigParser()
    setup.read(REPO / 'setup.cfg')
    assert setup['metadata']['license'] == 'Apache-2.0'
    text = (REPO / 'LICENSE').read_text()
    assert text.lstrip().startswith('Apache License\n')
    assert 'Version 2.0, January 2004' in text


def test_citation_file_matches_the_package_and_the_readme():
    cff = yaml.safe_load((REPO / 'CITATION.cff').read_text())
    assert cff['cff-version'] == '1.2.0'
    assert cff['version'] == litehrnet_mm.__version__
    assert cff['license'] == 'Apache-2.0'
    paper = cff['preferred-citation']
    readme = (REPO / 'README.md').read_text()
    (bibtex, ) = re.findall(r'```bibtex\n(.*?)```', readme, re.S)
    assert f"title={{{paper['title']}}}" in bibtex
    assert f"year={{{paper['year']}}}" in bibtex
    authors = ' and '.join(f"{a['family-names']}, {a['given-names']}"
                           for a in paper['authors'])
    assert f'author={{{authors}}}' in bibtex
