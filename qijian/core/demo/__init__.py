"""The demo county: Cang County's real regions and departments, plus generated enterprises, inspectors,
conflicts and one account per role.

Generation is pure and deterministic (a fixed seed, prefix-stable: the first N enterprises are the same
whatever the count); loading is idempotent (rows are matched by their natural keys — code, credit code,
certificate number, user name — and only the missing ones are created, through the audited services).
"""

from __future__ import annotations

from qijian.core.demo.base import (  # noqa: F401
    _NEW_CODES_FROM,
    _ROOT,
    COUNTY_CODE,
    DEMO_PASSWORD,
    DEMO_USERS,
    DEPARTMENTS_TOML,
    ENTERPRISE_COUNT,
    NAMES_TOML,
    PILOT_INDICES,
    SEED,
    TOTP_USERS,
    EnterpriseSpec,
    InspectorSpec,
    UserSpec,
    read_toml,
    totp_key_hex,
    totp_secret,
)
from qijian.core.demo.generators import (  # noqa: F401
    _certificate_window,
    _EnterpriseGenerator,
    _inspector_status,
    _short_town,
    _Words,
    enterprise_name,
    generate_enterprises,
    generate_inspectors,
    township_names,
)
from qijian.core.demo.loading import (  # noqa: F401
    _CONFLICT_REASONS,
    WORKFLOW_DEMOS,
    DemoSummary,
    _demo_enterprise,
    _ensure_conflicts,
    _ensure_departments,
    _ensure_enterprises,
    _ensure_inspectors,
    _ensure_township_mailboxes,
    _ensure_user,
    _existing,
    _free_inspector,
    _full_name,
    _summary,
    build_demo,
    demo_accounts,
    load_reference,
    load_workflow_demo,
)
