"""Whatever name a file arrives with, filing makes it one the wire protocol accepts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.filing.names import clean_file_name
from sync.protocol.names import file_name_problem

ODD = st.lists(
    st.one_of(
        st.text(max_size=5),
        st.sampled_from([*'<>:"/\\|?*. \t\n\u202e\ufeff', "CON", "lpt1", "..", "e\u0301"]),
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(ODD)
def test_cleaned_names_are_valid_on_the_wire(name: str) -> None:
    cleaned, _changed = clean_file_name(name)
    assert file_name_problem(cleaned) is None, cleaned


def test_examples() -> None:
    for name in ["C:x.pdf", "a.pdf:stream", "CON.pdf", "bericht. ", "zeile\numbruch.txt", ".."]:
        assert file_name_problem(name) is not None
        assert file_name_problem(clean_file_name(name)[0]) is None
