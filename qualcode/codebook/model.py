"""The codebook as data: codes with stable ids, nested under parent codes.

A top-level theme such as "Barrierer" is an ordinary code without a parent.
``Codebook.codes`` is flat, in depth-first document order (the order a
researcher reads the YAML file), so tables and exports print codes the way
they were written; the tree is recovered from ``parent_id``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator


@dataclass(frozen=True)
class Code:
    """One code. ``id`` is stable: codings point at it, renaming changes only ``name``."""

    id: str
    name: str
    parent_id: str | None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    color: str | None = None
    # Where the code starts in its YAML file. Not part of the code's identity:
    # the same code read from two files (or from a project) compares equal.
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Codebook:
    """A named, versioned set of codes in depth-first document order."""

    name: str
    version: str
    language: str
    description: str
    codes: tuple[Code, ...]

    # -- lookups (computed once; the dataclass is frozen) ---------------------
    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {c.id: c for c in self.codes}

    @cached_property
    def _children(self) -> dict[str | None, tuple[Code, ...]]:
        kids: dict[str | None, list[Code]] = {}
        for c in self.codes:
            kids.setdefault(c.parent_id, []).append(c)
        return {k: tuple(v) for k, v in kids.items()}

    def by_id(self) -> dict[str, Code]:
        """A new dict from code id to code (callers may modify it)."""
        return dict(self._by_id)

    def get(self, code_id: str) -> Code:
        """The code with this id; ``KeyError`` naming the id if there is none."""
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(code_id) from None

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """Direct children of a code in document order (``None``: the top-level codes)."""
        if code_id is not None:
            self.get(code_id)
        return self._children.get(code_id, ())

    def roots(self) -> tuple[Code, ...]:
        """Top-level codes (themes), in document order."""
        return self._children.get(None, ())

    def descendants(self, code_id: str) -> tuple[Code, ...]:
        """All codes below a code, depth-first, not including the code itself."""
        out: list[Code] = []
        stack = list(reversed(self.children(code_id)))
        while stack:
            code = stack.pop()
            out.append(code)
            stack.extend(reversed(self._children.get(code.id, ())))
        return tuple(out)

    def path(self, code_id: str) -> tuple[str, ...]:
        """Ids from the top-level ancestor down to the code itself."""
        ids = [code_id]
        code = self.get(code_id)
        while code.parent_id is not None:
            code = self.get(code.parent_id)
            ids.append(code.id)
        return tuple(reversed(ids))

    def theme_of(self, code_id: str) -> str:
        """Id of the top-level ancestor (e.g. "barrierer"); a top-level code is its own theme."""
        return self.path(code_id)[0]

    def depth(self, code_id: str) -> int:
        """0 for a top-level code, 1 for its children, and so on."""
        return len(self.path(code_id)) - 1

    def leaves(self) -> tuple[Code, ...]:
        """Codes without children, in document order."""
        return tuple(c for c in self.codes if c.id not in self._children)

    def is_leaf(self, code_id: str) -> bool:
        self.get(code_id)
        return code_id not in self._children


def ordered_depth_first(codes: list[Code] | tuple[Code, ...]) -> tuple[Code, ...]:
    """Codes re-ordered depth-first, keeping the given order among siblings.

    Used when codes come from a table (project, spreadsheet) rather than a
    nested file. A code whose parent is not in ``codes`` is treated as top level
    by its caller's choice; here it is kept at the top so nothing is lost.
    """
    present = {c.id for c in codes}
    kids: dict[str | None, list[Code]] = {}
    for c in codes:
        parent = c.parent_id if c.parent_id in present else None
        kids.setdefault(parent, []).append(c)
    out: list[Code] = []
    stack = list(reversed(kids.get(None, [])))
    while stack:
        code = stack.pop()
        out.append(code)
        stack.extend(reversed(kids.get(code.id, [])))
    return tuple(out)
