"""Quote matching folds typography the same way whatever the text: the fast fold is NFKC, then the table's fold."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from thesis.verify.quotes import _TRANSLATE, SourceIndex, normalize

TYPOGRAPHIC = "".join(map(chr, _TRANSLATE))
# Mostly the characters that matter (the folded ones, their ASCII forms, white space), some of anything.
texts = st.text(alphabet=st.sampled_from(TYPOGRAPHIC + "\"'- \n\taZ9.,") | st.characters(), max_size=200)


@given(texts)
def test_normalize_is_nfkc_then_the_table_fold_with_white_space_collapsed(text: str) -> None:
    expected = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    assert normalize(text) == re.sub(r"\s+", " ", expected).strip()


def test_typographic_quotes_and_dashes_match_their_ascii_forms() -> None:
    source = SourceIndex("Revenue rose \u201c13%\u201d\u2014the cloud\u2019s best\u00a0quarter.\n")
    assert source.contains('Revenue rose "13%"-the cloud\'s best quarter.')
    assert not source.contains("Revenue rose 13%")


def test_nearest_passage_reports_the_line_of_a_later_passage() -> None:
    source = SourceIndex("First line here.\nSecond line says revenue rose 12\u2014a record.\n")
    passage = source.nearest("revenue rose 13-a record.")
    assert passage.line == 2
    assert passage.text == "revenue rose 12-a record."
    assert passage.differences == (("13", "12"),)
