"""Import of a filled-in table (.xlsx, or .csv in UTF-8/GBK) through the plan services, all or nothing.

- 2-1 into a draft/returned plan: its entries are replaced (``remove_entry`` each, ``add_entry`` per row).
- 2-2 into an approved plan: rows are matched to entries by 序号 + 检查事项 (``report_completion``);
  rows with nothing in the completion columns are skipped.
- 附件5 into a draft/returned plan: its multi-level entries are replaced.

A row whose 序号 and 检查事项 match an existing entry (numbered as the export numbers them) keeps
the fields its table does not show (a 2-1 row keeps the multi-level fields; an 附件5 row keeps the
count, method and partners). Every problem names its row and column; nothing is written when any
row fails: the services run inside one transaction that is rolled back.
"""

from __future__ import annotations

from qijian.plans.tables.importer.base import (  # noqa: F401
    _COMPLETIONS,
    _LEVELS,
    _METHODS,
    _MODES,
    _PERIOD,
    EDITABLE,
    ERROR_COLUMN,
    HEAD_SEARCH_ROWS,
    ImportOutcome,
    Problem,
    T,
    TableImportError,
    Upload,
    _check_block_cell,
    _check_head_block,
    _check_header,
    _check_other_table,
    _find_header,
    _header_key,
    _header_matches,
    read_upload,
)
from qijian.plans.tables.importer.rows import (  # noqa: F401
    COMPLETION_COLUMNS,
    COUNT_FIELDS,
    MULTI_LEVEL_FIELDS,
    PLAN_ONLY_FIELDS,
    Lookups,
    Row,
    _check_mode,
    _check_planned,
    _completion_entry,
    _completion_row,
    _counterpart,
    _item_of,
    _matched,
    _multi_level_row,
    _period_start,
    _plan_only,
    _plan_row,
    _sequence,
)
from qijian.plans.tables.importer.running import (  # noqa: F401
    IMPORTERS,
    Step,
    _apply,
    _call,
    _locked,
    _parse,
    _refuse,
    _replace,
    _replace_steps,
    _RollbackError,
    error_report,
    import_completion_table,
    import_multi_level_table,
    import_plan_table,
    import_table,
)
