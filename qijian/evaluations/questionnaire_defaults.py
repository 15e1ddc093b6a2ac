"""The county default questionnaire (附件3 沧县涉企执法评价调查问卷) and the fixed option sets of the question kinds.

Plain data (no Django import): read by the services, by migration 0002 (which keeps its own frozen copy)
and by the quarterly summary. Question codes are shared with the summary work (docs/questionnaires.md).
"""

from __future__ import annotations

from typing import Any

SATISFACTION_OPTIONS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
SATISFACTION_SCORES = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}
YES_NO_OPTIONS = ("是", "否")

DEFAULT_TITLE = "沧县涉企执法评价调查问卷"

DEFAULT_QUESTIONS: tuple[dict[str, Any], ...] = (
    {"code": "id_shown", "kind": "yes_no", "text": "执法人员是否主动出示执法证件?", "options": ["是", "否"]},
    {
        "code": "notified",
        "kind": "yes_no",
        "text": "检查前是否告知检查事项、依据和企业权利(含申请回避)?",
        "options": ["是", "否"],
    },
    {"code": "two_inspectors", "kind": "yes_no", "text": "现场检查人员是否不少于两人?", "options": ["是", "否"]},
    {
        "code": "within_scope",
        "kind": "single",
        "text": "检查内容是否与告知事项一致,有无超范围检查?",
        "options": ["一致", "超范围"],
    },
    {
        "code": "impact",
        "kind": "single",
        "text": "检查用时及对生产经营的影响",
        "options": ["无影响", "影响较小", "影响较大"],
    },
    {
        "code": "improper_requests",
        "kind": "yes_no",
        "text": "是否存在吃拿卡要、收受财物、指定服务等行为?",
        "options": ["否", "是"],
        "explain_options": ["是"],
    },
    {
        "code": "leniency",
        "kind": "single",
        "text": "对轻微问题是否采取了指导、提醒等柔性方式?",
        "options": ["是", "否", "不涉及"],
    },
    {
        "code": "repeated",
        "kind": "yes_no",
        "text": "是否存在重复检查、多头检查?",
        "options": ["否", "是"],
        "explain_options": ["是"],
    },
    {"code": "satisfaction", "kind": "satisfaction", "text": "总体满意度", "options": list(SATISFACTION_OPTIONS)},
    {"code": "suggestions", "kind": "text", "text": "意见和建议", "options": [], "required": False},
)

# The answers that are a problem clue (问题线索) for the quarterly summary, by question code.
PROBLEM_CLUES: dict[str, frozenset[str]] = {
    "id_shown": frozenset({"否"}),
    "notified": frozenset({"否"}),
    "two_inspectors": frozenset({"否"}),
    "within_scope": frozenset({"超范围"}),
    "impact": frozenset({"影响较大"}),
    "improper_requests": frozenset({"是"}),
    "leniency": frozenset({"否"}),
    "repeated": frozenset({"是"}),
    "satisfaction": frozenset({"不满意", "非常不满意"}),
}
