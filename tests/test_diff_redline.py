"""The word-level redline: laws over any texts, and how it reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thesis.diff.redline import marked, new_text, old_text, redline, similarity

WORDS = st.lists(
    st.sampled_from(["cloud", "grew", "40%", "revenue", "Acme", "fast", "**bold**", "\n", "  "]), max_size=12
)


@given(WORDS.map(" ".join), WORDS.map(" ".join))
def test_a_redline_gives_back_both_texts(old: str, new: str) -> None:
    segments = redline(old, new)
    assert new_text(segments) == new
    assert old_text(segments).split() == old.split()  # spacing between unchanged words follows the new text
    assert all(text for _, text in segments)
    assert all(a[0] != b[0] for a, b in zip(segments, segments[1:], strict=False))  # neighbours are merged


@given(WORDS.map(" ".join))
def test_the_same_text_has_no_changes(text: str) -> None:
    assert all(op == "equal" for op, _ in redline(text, text))
    assert similarity(text, text) == 1.0


def test_changed_words_are_marked_whole_as_wdiff_does() -> None:
    segments = redline("Acme Cloud grew revenue 40% in 2024.", "Acme Cloud grew revenue 45% in 2024.")
    assert segments == [
        ("equal", "Acme Cloud grew revenue "),
        ("delete", "40%"),
        ("insert", "45%"),
        ("equal", " in 2024."),
    ]
    assert marked(segments) == "Acme Cloud grew revenue [-40%-]{+45%+} in 2024."
    assert marked(redline("a fast\ncloud", "a fast cloud now")) == "a fast cloud {+now+}"  # re-wrapping is no change


def test_similarity_tells_a_rewording_from_a_different_claim() -> None:
    assert similarity("Fast cloud growth in China", "Fast cloud growth in mainland China") > 0.8
    assert similarity("Fast cloud growth", "Negative free cash flow") < 0.2
