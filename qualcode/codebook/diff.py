"""What changed between two versions of a codebook, matched by stable code id."""

from __future__ import annotations

from dataclasses import dataclass, field

from qualcode.codebook.model import Code, Codebook

# Fields compared for "changed", in the order they are reported.
COMPARED_FIELDS = ("definition", "include", "exclude", "examples", "keywords", "color")


@dataclass(frozen=True)
class FieldChange:
    code_id: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class CodebookDiff:
    """Codes added, removed, renamed (same id, new name), moved (new parent) and changed."""

    old: Codebook = field(repr=False)
    new: Codebook = field(repr=False)
    added: tuple[Code, ...]
    removed: tuple[Code, ...]
    renamed: tuple[tuple[str, str, str], ...]  # (id, old name, new name)
    moved: tuple[tuple[str, str | None, str | None], ...]  # (id, old parent, new parent)
    changed: tuple[FieldChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.moved or self.changed)

    def changed_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for change in self.changed:
            seen.setdefault(change.code_id, None)
        return tuple(seen)


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    """Compare two codebooks by code id (a code that keeps its id is the same code)."""
    old_ids = set(old.ids())
    new_ids = set(new.ids())
    added = tuple(c for c in new.codes if c.id not in old_ids)
    removed = tuple(c for c in old.codes if c.id not in new_ids)
    renamed, moved, changed = [], [], []
    for code in new.codes:
        if code.id not in old_ids:
            continue
        before = old.get(code.id)
        if before.name != code.name:
            renamed.append((code.id, before.name, code.name))
        if before.parent_id != code.parent_id:
            moved.append((code.id, before.parent_id, code.parent_id))
        for name in COMPARED_FIELDS:
            a, b = getattr(before, name), getattr(code, name)
            if a != b:
                changed.append(FieldChange(code.id, name, a, b))
    return CodebookDiff(old, new, added, removed, tuple(renamed), tuple(moved), tuple(changed))
