"""Import and export Open Referral HSDS 3.0 tabular packages (a folder of CSV files), all or nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2 (a quoted cell
that spans several lines still counts as one row).
"""

from directory.hsds._cells import Parser
from directory.hsds._checks import BATCH_SIZE, Row
from directory.hsds._export import export_package
from directory.hsds._import import ImportSummary, Progress, import_package
from directory.hsds._tables import KNOWN_UNUSED_FILES, LINK_ENTITIES, REQUIRED_FILES, SPECS, TABLES, Column, TableSpec

__all__ = [
    "BATCH_SIZE",
    "KNOWN_UNUSED_FILES",
    "LINK_ENTITIES",
    "REQUIRED_FILES",
    "SPECS",
    "TABLES",
    "Column",
    "ImportSummary",
    "Parser",
    "Progress",
    "Row",
    "TableSpec",
    "export_package",
    "import_package",
]
