"""The notes markup: blocks and runs from plain text, never an exception, nothing lost."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcio_desk.domain.markup import Block, BlockKind, Run, parse, plain_text

P, B, N = BlockKind.PARAGRAPH, BlockKind.BULLET, BlockKind.NUMBERED


def runs(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) of every run of every block, for compact expectations."""
    return [(r.text, r.bold, r.italic) for block in parse(text) for r in block.runs]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", [("plain", False, False)]),
        ("an *emphasis* here", [("an ", 0, 0), ("emphasis", 0, 1), (" here", 0, 0)]),
        ("a **strong** one", [("a ", 0, 0), ("strong", 1, 0), (" one", 0, 0)]),
        ("**all**", [("all", 1, 0)]),
        ("*a **b** c*", [("a ", 0, 1), ("b", 1, 1), (" c", 0, 1)]),
        ("**a *b* c**", [("a ", 1, 0), ("b", 1, 1), (" c", 1, 0)]),
        ("**strong *both***", [("strong ", 1, 0), ("both", 1, 1)]),
        ("***x***", [("x", 1, 1)]),
        ("a*b*c", [("a", 0, 0), ("b", 0, 1), ("c", 0, 0)]),
        # Markers that do not pair stay as typed.
        ("2 * 3 * 4", [("2 * 3 * 4", 0, 0)]),
        ("**open only", [("**open only", 0, 0)]),
        ("*open only", [("*open only", 0, 0)]),
        ("closed only*", [("closed only*", 0, 0)]),
        ("* not closed*", [("not closed*", 0, 0)]),  # a bullet, then literal text
        ("** spaced **", [("** spaced **", 0, 0)]),
        ("*", [("*", 0, 0)]),
        ("**", [("**", 0, 0)]),
        ("***", [("***", 0, 0)]),
        # Nothing else is markup: HTML, entities and underscores are text.
        ("<b>R&D</b> &amp; <i>x</i>", [("<b>R&D</b> &amp; <i>x</i>", 0, 0)]),
        ("snake_case_name and __dunder__", [("snake_case_name and __dunder__", 0, 0)]),
        ("", []),
        ("   \n\n \t", []),
    ],
)
def test_inline_runs(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert runs(text) == [(t, bool(b), bool(i)) for t, b, i in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\ntwo\n\nthree", [(P, "one\ntwo", None), (P, "three", None)]),
        ("- a\n- b\n* c", [(B, "a", None), (B, "b", None), (B, "c", None)]),
        ("1. first\n2. second\n10. tenth", [(N, "first", 1), (N, "second", 2), (N, "tenth", 10)]),
        ("- item\n  continued\nparagraph", [(B, "item\ncontinued", None), (P, "paragraph", None)]),
        ("intro\n- a\n- b\n\nend",
         [(P, "intro", None), (B, "a", None), (B, "b", None), (P, "end", None)]),
        ("  - indented bullet", [(B, "indented bullet", None)]),
        ("-not a bullet", [(P, "-not a bullet", None)]),
        ("- ", [(P, "-", None)]),
        ("3.x is a version", [(P, "3.x is a version", None)]),
        ("1.5 million", [(P, "1.5 million", None)]),
        ("**bold** start", [(P, "bold start", None)]),
        ("line one  \r\nline two\rline three", [(P, "line one\nline two\nline three", None)]),
    ],
)  # fmt: skip
def test_blocks(text: str, expected: list[tuple[BlockKind, str, int | None]]) -> None:
    assert [(b.kind, b.text, b.number) for b in parse(text)] == expected


def test_blocks_are_frozen_values() -> None:
    block = parse("- **x**")[0]
    assert block == Block(B, (Run("x", bold=True),))
    with pytest.raises(AttributeError):
        block.kind = P  # type: ignore[misc]


def test_plain_text() -> None:
    assert plain_text(parse("Intro *here*\n\n- a\n2. b")) == "Intro here\n• a\n2. b"


# -- properties --------------------------------------------------------------------------------


def structural(c: str) -> bool:
    """Characters the parser may consume: markers, and the spaces it trims around lines."""
    return c in "*-.0123456789" or c.isspace()


@given(st.text(max_size=300))
def test_never_raises_and_keeps_every_other_character(text: str) -> None:
    blocks = parse(text)
    kept = Counter(c for c in text if not structural(c))
    out = Counter(c for block in blocks for run in block.runs for c in run.text)
    assert Counter({c: n for c, n in out.items() if not structural(c)}) == kept
    for block in blocks:
        assert block.runs, "a block always has text"
        assert all(run.text for run in block.runs)
        styles = [(run.bold, run.italic) for run in block.runs]
        assert all(a != b for a, b in itertools.pairwise(styles)), "runs merged"
        assert (block.number is not None) == (block.kind is N)


inline_chars = st.sampled_from([*"abcXYZ *_<>&'\"é", "**"])
inline_text = (
    st.lists(inline_chars, min_size=1, max_size=30)
    .map("".join)
    .map(str.strip)
    .filter(lambda s: bool(s) and s[0].isalpha() and s[-1] not in "*")
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[BlockKind, str]]]:
    """Text built from known blocks, with the blocks it was built from."""
    spec = draw(st.lists(st.tuples(st.sampled_from([P, B, N]), inline_text), max_size=8))
    lines: list[str] = []
    for number, (kind, content) in enumerate(spec, start=1):
        if kind is P:
            lines += ["", content, ""]  # paragraphs stand alone
        elif kind is B:
            lines.append(f"{draw(st.sampled_from(['-', '*']))} {content}")
        else:
            lines.append(f"{number}. {content}")
    return "\n".join(lines), spec


@given(documents())
def test_run_text_is_the_input_minus_consumed_markers(doc: tuple[str, list]) -> None:
    text, spec = doc
    blocks = parse(text)
    assert [b.kind for b in blocks] == [kind for kind, _ in spec]
    for block, (_kind, content) in zip(blocks, spec, strict=True):
        consumed = len(content) - len(block.text)
        assert consumed >= 0
        # Only '*' markers are consumed inside a block: the rest is the input, in order.
        assert block.text.replace("*", "") == content.replace("*", "")
        assert content.count("*") - block.text.count("*") == consumed
