"""The county's own tables for quarterly plans: 附件2-1 (plan), 附件2-2 (completion), 附件5 (multi-level).

``layouts`` says what each table holds and how a plan entry becomes a row; ``xlsx`` and ``pdf`` print
it; ``importer`` reads a filled-in table back through the plan services (all or nothing).
"""
