"""Records the project's codebook store returns (versions, changes, plans)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from qualcode.codebook.diff import CodebookDiff


@dataclass(frozen=True)
class CodebookVersion:
    """A codebook file applied to a project; the snapshot is kept in full."""

    id: int
    name: str
    version: str
    source: str | None
    added_by: str
    added_at: str


@dataclass(frozen=True)
class CodebookChange:
    """One entry of the codebook changelog: what was done to which code, by whom, when."""

    id: int
    operation: str  # add, rename, move, update, retire, reactivate, merge, split, apply
    code_id: str | None
    details: Mapping[str, Any]
    changed_by: str
    changed_at: str


@dataclass(frozen=True)
class ApplyPlan:
    """What applying a codebook version to a project does (or would do, for a dry run).

    ``diff`` compares the project's active codes with the new version: codes in
    ``diff.removed`` are retired (their codings are kept), codes in
    ``diff.added`` are created, or re-activated if listed in ``reactivated``.
    """

    diff: CodebookDiff
    reactivated: tuple[str, ...] = ()
    codings_on_removed: Mapping[str, int] = field(default_factory=dict)
    version_id: int | None = None  # None: nothing was written (dry run)

    @property
    def is_empty(self) -> bool:
        return self.diff.is_empty

    @property
    def dry_run(self) -> bool:
        return self.version_id is None


@dataclass(frozen=True)
class MergeResult:
    """Codings moved from the merged code, and the duplicates marked 'superseded'."""

    source_id: str
    target_id: str
    recoded: tuple[int, ...]
    superseded: tuple[int, ...]
    moved_children: tuple[str, ...] = ()


@dataclass(frozen=True)
class SplitResult:
    """New codes created from a split, and the codings queued for review."""

    source_id: str
    new_ids: tuple[str, ...]
    queued: tuple[int, ...]
    source_retired: bool
