from hypothesis import given
from hypothesis import strategies as st

from foodcommons.core.ids import is_public_id, new_public_id
from foodcommons.core.text import fold, search_document, search_tokens


def test_fold_removes_accents_case_and_html_entities():
    assert fold("Épicerie &amp; Café") == "epicerie & cafe"


def test_search_tokens_split_on_punctuation_and_underscores():
    assert search_tokens("GASAP d'Ixelles_Nord") == ["gasap", "d", "ixelles", "nord"]


def test_search_document_skips_empty_parts():
    assert search_document("Potager", None, "", "Forest") == "potager forest"


def test_public_ids_are_url_safe_and_distinct():
    ids = {new_public_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(is_public_id(i) for i in ids)
    assert not is_public_id("no/slash")


def _whole_string_fold(text: str) -> str:
    """The definition fold must keep: NFKD of the whole string, combining marks dropped, casefolded."""
    import html
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@given(st.text())
def test_fold_character_by_character_equals_folding_the_whole_string(text):
    assert fold(text) == _whole_string_fold(text)


def test_fold_agrees_with_the_whole_string_on_decomposed_and_compatibility_forms():
    for text in ["e\u0301picerie", "Ko\u0308ln", "ﬁn ﬂeur", "Straße", "ŒUF", "a\u0328\u0301", "&eacute;t&eacute;"]:
        assert fold(text) == _whole_string_fold(text)
