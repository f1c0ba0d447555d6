"""Codebooks: the YAML format, checking, diffs, exchange and usage figures.

The project's own codebook (versions, refinement, changelog) is reached via
``project.codebook`` (:class:`qualcode.store.codebooks.CodebookStore`).
"""

from qualcode.codebook.diff import CodebookDiff, FieldChange, diff_codebooks
from qualcode.codebook.export import export_docx, export_xlsx
from qualcode.codebook.keywords import KeywordPattern, keyword_problem, parse_keyword
from qualcode.codebook.loader import (
    CodebookIssue,
    CodebookValidationError,
    check_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.codebook.model import Code, Codebook
from qualcode.codebook.records import ApplyPlan, CodebookChange, CodebookVersion, MergeResult, SplitResult
from qualcode.codebook.refi import export_qdc, import_refi_codebook, validate_qdc
from qualcode.codebook.render import diff_markdown, diff_text, plan_text
from qualcode.codebook.serialize import codebook_from_dict, codebook_to_dict, dump_codebook
from qualcode.codebook.usage import broad_codes, co_occurrence, code_usage, unused_codes

__all__ = [
    "ApplyPlan",
    "Code",
    "Codebook",
    "CodebookChange",
    "CodebookDiff",
    "CodebookIssue",
    "CodebookValidationError",
    "CodebookVersion",
    "FieldChange",
    "KeywordPattern",
    "MergeResult",
    "SplitResult",
    "broad_codes",
    "check_codebook",
    "co_occurrence",
    "code_usage",
    "codebook_from_dict",
    "codebook_to_dict",
    "diff_codebooks",
    "diff_markdown",
    "diff_text",
    "dump_codebook",
    "export_docx",
    "export_qdc",
    "export_xlsx",
    "import_refi_codebook",
    "keyword_problem",
    "load_codebook",
    "parse_codebook",
    "parse_keyword",
    "plan_text",
    "unused_codes",
    "validate_qdc",
]
