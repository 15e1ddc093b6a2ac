"""Reading tabular uploads (.xlsx, .csv) for the registry importers, and reporting their problems.

The importers (``qijian.enterprises.importing``, ``qijian.org.importing``) describe their columns with
``reader.Column``; this package opens the file, maps the Chinese headers to fields, yields one dict per
row with its 1-based spreadsheet row number, and collects row-and-column issues.
"""
