"""Writes of the joint-visit workflow (综合查一次): keyword-only ``actor``, atomic, audited, Chinese errors."""

from __future__ import annotations

from qijian.joint.services.answers import answer_proposal, set_capacity
from qijian.joint.services.errors import JointError
from qijian.joint.services.filing import file_proposal, try_file
from qijian.joint.services.planning import run_planner

__all__ = ["JointError", "answer_proposal", "file_proposal", "run_planner", "set_capacity", "try_file"]
