"""Score an import against the structure a careful editor gave the document.

`expected` and `found` are dicts of one shape (docs/importing.md): title, metadata, sections
(headings in order) and statements (text, kind, label, title). Texts compare with runs of
white space made one, so a wrapped line is the same text; headings compare case-blind.
Scores are kept as counts so that a corpus adds up (micro-averaged).
"""

import re
from collections import Counter

METRICS = ["verbatim", "boundaries", "kinds", "titles", "headings", "title", "metadata", "noise"]


def norm(text):
    return " ".join(str(text or "").replace("\u00ad", "").split())


def _heading(text):
    return re.sub(r"[\s:]+$", "", norm(text)).casefold()


def _f1(hits, expected, found):
    if not expected and not found:
        return 1.0
    precision = hits / found if found else 0.0
    recall = hits / expected if expected else 0.0
    return 0.0 if not hits else 2 * precision * recall / (precision + recall)


def found_from_parsed(parsed, title=""):
    """The found structure from a ParsedDocument."""
    return {
        "title": title or parsed.title,
        "metadata": {
            key: value.isoformat() if hasattr(value, "isoformat") else str(value)
            for key, value in parsed.metadata.items()
        },
        "sections": [row.text for row in parsed.sections],
        "statements": [
            {"text": row.text, "kind": row.kind, "label": row.label, "title": row.title}
            for row in parsed.statements
        ],
    }


def score(expected, found):
    """Counts for one document: each metric's hits and totals."""
    want = [dict(s, text=norm(s["text"])) for s in expected["statements"]]
    got = [dict(s, text=norm(s["text"])) for s in found["statements"]]
    # boundaries: statements found exactly; verbatim: found inside some statement found
    pool = Counter(s["text"] for s in got)
    exact = []
    for statement in want:
        if pool[statement["text"]]:
            pool[statement["text"]] -= 1
            exact.append(statement)
    by_text = {}
    for statement in got:
        by_text.setdefault(statement["text"], []).append(statement)
    verbatim = sum(1 for s in want if any(s["text"] in g["text"] for g in got))
    noise = sum(1 for g in got if not any(s["text"] in g["text"] for s in want))
    kinds = titles = 0
    for statement in exact:
        match = by_text[statement["text"]].pop(0)
        kinds += match["kind"] == statement["kind"]
        titles += (norm(match["label"]), norm(match["title"])) == (
            norm(statement["label"]),
            norm(statement["title"]),
        )
    heads_want = Counter(_heading(h) for h in expected["sections"])
    heads_got = Counter(_heading(h) for h in found["sections"])
    metadata = expected.get("metadata") or {}
    return {
        "statements": len(want),
        "found": len(got),
        "verbatim": verbatim,
        "exact": len(exact),
        "kinds": kinds,
        "titles": titles,
        "headings_expected": sum(heads_want.values()),
        "headings_found": sum(heads_got.values()),
        "headings": sum((heads_want & heads_got).values()),
        "title": int(_heading(expected["title"]) == _heading(found.get("title"))),
        "documents": 1,
        "metadata_expected": len(metadata),
        "metadata": sum(
            1 for key, value in metadata.items() if norm(found["metadata"].get(key)) == norm(value)
        ),
        "noise": noise,
    }


def rates(counts):
    """The scores a report prints, from summed counts."""
    c = counts
    return {
        # verbatim precision: statements found that hold expected text (not noise)
        "verbatim": _f1(c["verbatim"], c["statements"], c["verbatim"] + c["noise"]),
        "boundaries": _f1(c["exact"], c["statements"], c["found"]),
        "kinds": c["kinds"] / c["exact"] if c["exact"] else 0.0,
        "titles": c["titles"] / c["exact"] if c["exact"] else 0.0,
        "headings": _f1(c["headings"], c["headings_expected"], c["headings_found"]),
        "title": c["title"] / c["documents"],
        "metadata": c["metadata"] / c["metadata_expected"] if c["metadata_expected"] else 1.0,
        "noise": c["noise"] / c["documents"],
    }


def add(total, counts):
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value
    return total


TARGETS = {
    "verbatim": 0.97,
    "kinds": 0.9,
    "titles": 0.9,
    "headings": 0.85,
    "title": 0.9,
}
MAX_NOISE = 1.0
