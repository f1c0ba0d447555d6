"""Team coding: who codes (coder names) and merging projects coded by different people."""

from qualcode.team.coders import configured_coder, resolve_coder
from qualcode.team.merge import CodeConflict, MergeReport, merge_into, merge_projects

__all__ = ["CodeConflict", "MergeReport", "configured_coder", "merge_into", "merge_projects", "resolve_coder"]
