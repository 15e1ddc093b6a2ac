"""Every environment variable the settings read is documented in .env.example, and nothing else is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_choice"}


def settings_variables(source: str) -> set[str]:
    """Names passed as the first argument to the env helpers anywhere in the settings module."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _HELPERS:
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
    return names


def documented_variables(text: str) -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_settings_parser_finds_multiline_calls() -> None:
    source = 'A = env_choice(\n    "QJ_X",\n    "a",\n    {"a"},\n)\nB = env_int("QJ_Y", 1)\nC = other("QJ_Z")\n'
    assert settings_variables(source) == {"QJ_X", "QJ_Y"}


def test_every_setting_variable_is_in_env_example() -> None:
    read = settings_variables((ROOT / "qijian" / "settings.py").read_text(encoding="utf-8"))
    documented = documented_variables((ROOT / ".env.example").read_text(encoding="utf-8"))
    assert len(read) > 10
    assert sorted(read - documented) == []


def test_env_example_documents_only_variables_that_are_read() -> None:
    read = settings_variables((ROOT / "qijian" / "settings.py").read_text(encoding="utf-8"))
    scripts = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts").glob("*.sh"))
    documented = documented_variables((ROOT / ".env.example").read_text(encoding="utf-8"))
    assert sorted(name for name in documented - read if name not in scripts) == []
