"""The settings helpers read typed values and stop loudly on malformed ones."""

from __future__ import annotations

import pytest

from qijian.core.env import EnvError, env_bool, env_choice, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("QJ_T_BOOL", raw)
    assert env_bool("QJ_T_BOOL", not expected) is expected


def test_env_bool_rejects_an_unknown_word(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_BOOL", "maybe")
    with pytest.raises(EnvError, match="QJ_T_BOOL"):
        env_bool("QJ_T_BOOL", False)


def test_env_bool_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QJ_T_BOOL", raising=False)
    assert env_bool("QJ_T_BOOL", True) is True


def test_env_int_rejects_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_INT", "12abc")
    with pytest.raises(EnvError, match="not an integer"):
        env_int("QJ_T_INT", 5)


def test_env_int_rejects_a_value_below_its_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_INT", "100")
    with pytest.raises(EnvError, match="minimum 183"):
        env_int("QJ_T_INT", 183, minimum=183)


def test_env_int_reads_a_number_and_defaults_when_blank(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_INT", "42")
    assert env_int("QJ_T_INT", 5, minimum=1) == 42
    monkeypatch.setenv("QJ_T_INT", "  ")
    assert env_int("QJ_T_INT", 5) == 5


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_LIST", " a.example , ,b.example,")
    assert env_list("QJ_T_LIST", ["x"]) == ["a.example", "b.example"]


def test_env_choice_rejects_a_value_outside_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QJ_T_CHOICE", "TRACE")
    with pytest.raises(EnvError, match="QJ_T_CHOICE='TRACE' is not one of"):
        env_choice("QJ_T_CHOICE", "INFO", {"INFO", "DEBUG"})


def test_env_choice_and_str_fall_back_to_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QJ_T_CHOICE", raising=False)
    monkeypatch.delenv("QJ_T_STR", raising=False)
    assert env_choice("QJ_T_CHOICE", "INFO", {"INFO"}) == "INFO"
    assert env_str("QJ_T_STR", "fallback") == "fallback"


def test_settings_refuse_to_start_on_a_malformed_variable() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "QJ_SESSION_IDLE_MINUTES": "half an hour"}
    done = subprocess.run(
        [sys.executable, "-c", "import qijian.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "QJ_SESSION_IDLE_MINUTES" in done.stderr
