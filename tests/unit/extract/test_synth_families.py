"""The table families' synthetic corpus (orchestration.synth.families) reads back as generated:
a regression test at small scale across every family and format it renders. (Its reference is
its own, so this is no accuracy figure: the seeds and the development set are, test_scores.py.)"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from orchestration.config import SHARED_DIR
from orchestration.extract.engine import extract_file
from orchestration.extract.model import Observation
from orchestration.synth import families, generator

SCORE_PY = SHARED_DIR / "extraction" / "score.py"
pytestmark = pytest.mark.skipif(
    not (generator.DEFAULT_CODES.exists() and SCORE_PY.exists()),
    reason="../shared (code list, score.py) is not beside the repository",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("families") / "corpus"
    families.generate(out, n_issuers=5, years=2, seed=5)
    return out


def test_every_family_and_several_formats_are_in_a_small_corpus(corpus):
    with (corpus / "manifest.csv").open(encoding="utf-8") as f:
        files = [r["file"] for r in csv.DictReader(f)]
    assert {name.split("_")[2] for name in files} >= {"flat", "tidy", "two", "transposed", "named"}
    assert len({Path(name).suffix for name in files}) >= 3


def test_the_families_read_back_as_generated(corpus, tmp_path):
    spec = importlib.util.spec_from_file_location("shared_score", SCORE_PY)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    pred = tmp_path / "pred.csv"
    with pred.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=Observation.CONTRACT_FIELDS)
        writer.writeheader()
        for path in sorted(corpus.iterdir()):
            if path.name != "manifest.csv":
                writer.writerows(o.contract_row() for o in extract_file(path).observations)
    stats, misses = score.score(score.load(str(generator.reference_path(corpus))), score.load(str(pred)))
    correct = sum(s["correct"] for s in stats.values())
    assert correct == sum(s["gold"] for s in stats.values()) == sum(s["pred"] for s in stats.values()), misses


def test_the_same_arguments_give_the_same_bytes(corpus, tmp_path):
    families.generate(tmp_path / "corpus", n_issuers=5, years=2, seed=5)
    assert {p.name: p.read_bytes() for p in (tmp_path / "corpus").iterdir()} == {
        p.name: p.read_bytes() for p in corpus.iterdir()
    }
    assert generator.reference_path(tmp_path / "corpus").read_bytes() == generator.reference_path(corpus).read_bytes()
