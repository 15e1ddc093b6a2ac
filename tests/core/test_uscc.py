from hypothesis import given
from hypothesis import strategies as st

from qijian.core.codes.uscc import ALPHABET, check_uscc, make_uscc


def test_known_real_world_code_passes() -> None:
    # A published code (国家市场监督管理总局's example form): 91350100M000100Y43.
    assert check_uscc("91350100M000100Y43").ok


def test_wrong_check_character_is_named() -> None:
    result = check_uscc("91350100M000100Y44")
    assert not result.ok
    assert "校验位错误" in result.message


def test_letters_outside_alphabet_are_refused() -> None:
    assert "不允许的字符" in check_uscc("91350100M000100YI3").message


def test_wrong_length() -> None:
    assert "长度应为18位" in check_uscc("9135").message


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_generated_codes_validate_and_single_edits_are_caught(body: str) -> None:
    code = make_uscc("91130921", body)
    assert check_uscc(code).ok
    for pos in range(18):
        for ch in "0A":
            if code[pos] != ch and (pos < 2 or pos >= 8 or ch.isdigit()):
                altered = code[:pos] + ch + code[pos + 1 :]
                assert not check_uscc(altered).ok, altered
    assert set(code) <= set(ALPHABET)
