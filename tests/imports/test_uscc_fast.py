from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qijian.core.codes.uscc import ALPHABET, check_uscc, make_uscc
from qijian.core.imports.uscc_fast import all_valid_uscc, in_alphabet, is_valid_uscc

body = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
prefix = st.text(alphabet=ALPHABET, min_size=2, max_size=2).map(lambda p: p + "130921")


@given(prefix, body)
def test_fast_check_accepts_every_generated_code(head: str, org: str) -> None:
    assert is_valid_uscc(make_uscc(head, org)) and check_uscc(make_uscc(head, org)).ok


@given(st.text(alphabet=ALPHABET + "IOZSV-a", min_size=16, max_size=19))
def test_fast_check_agrees_with_check_uscc(code: str) -> None:
    assert is_valid_uscc(code) == check_uscc(code).ok


@given(prefix, body, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_fast_check_agrees_after_one_character_changes(head: str, org: str, at: int, ch: str) -> None:
    code = make_uscc(head, org)
    changed = code[:at] + ch + code[at + 1 :]
    assert is_valid_uscc(changed) == check_uscc(changed).ok and in_alphabet(changed)


@given(st.lists(st.builds(make_uscc, prefix, body), max_size=12), st.data())
def test_batch_check_agrees_with_the_single_check(codes: list[str], data: st.DataObject) -> None:
    assert all_valid_uscc(codes)
    if codes:
        at = data.draw(st.integers(min_value=0, max_value=len(codes) - 1))
        codes[at] = data.draw(st.text(alphabet=ALPHABET + "IOZSV-a ", min_size=16, max_size=19))
    assert all_valid_uscc(codes) == all(map(is_valid_uscc, codes)) == all(check_uscc(c).ok for c in codes)
