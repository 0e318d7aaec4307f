"""The importer on the project's own corpus, in every format, against the issue's targets.

Each document in tests/transfer/corpus/ is rendered as .txt, .md, .html (a page with
navigation and footer), .pdf (running header, footer, page numbers, hyphenation) and .docx
(heading and list styles) and imported; the result is scored against the structure an
editor gave it (transfer.scoring).
"""

import json
from pathlib import Path

import pytest

from transfer import scoring
from transfer.converters import parse_file
from transfer.corpus import FORMATS, expected, load, render_text

# beside test_import_formats.py on one xdist worker: built_corpus is built once
pytestmark = pytest.mark.xdist_group("transfer-corpus")


def scores(files):
    total, per_document = {}, {}
    for path in files:
        truth = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
        found = scoring.found_from_parsed(parse_file(path.name, path.read_bytes()))
        counts = scoring.score(truth, found)
        per_document[path.name] = counts
        scoring.add(total, counts)
    return scoring.rates(total), per_document


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_meets_the_targets(built_corpus, fmt):
    files = [path for path in built_corpus if path.suffix == f".{fmt}"]
    assert len(files) >= 12
    rates, per_document = scores(files)
    assert rates["verbatim"] >= 0.97
    assert rates["kinds"] >= 0.9
    assert rates["titles"] >= 0.9
    assert rates["headings"] >= 0.85
    assert rates["title"] >= 0.9
    assert rates["metadata"] >= 0.9
    assert all(counts["noise"] <= 1 for counts in per_document.values()), per_document


def test_the_score_falls_when_the_structure_is_wrong():
    doc = load(Path(__file__).parent / "corpus" / "code-of-ethics.yaml")
    truth = expected(doc)
    wrong = {
        "title": "PURPOSE",
        "metadata": {},
        "sections": ["Purpose", "Section: 2.04"],
        "statements": [
            {**statement, "kind": "guiding_principle"} for statement in truth["statements"]
        ]
        + [{"text": "Page 1 of 2", "kind": "narrative", "label": "", "title": ""}],
    }
    rates = scoring.rates(scoring.score(truth, wrong))
    assert rates["title"] == 0
    assert rates["metadata"] == 0
    assert rates["noise"] == 1
    assert rates["kinds"] < 0.9
    assert 0 < rates["headings"] < 0.85
    assert rates["verbatim"] < 1


def test_the_text_rendering_carries_no_editor_annotations():
    doc = load(Path(__file__).parent / "corpus" / "value-principle-pairs.yaml")
    text = render_text(doc)
    assert "kind:" not in text
    assert "Value: Respect\n\nPrinciple: We treat" in text
