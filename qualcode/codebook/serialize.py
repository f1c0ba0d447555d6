"""Codebook to and from the nested YAML shape (files, project snapshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qualcode.codebook.model import Code, Codebook


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """The codebook as the nested mapping a YAML codebook file holds (empty fields left out)."""
    def nest(parent_id: str | None) -> list[dict[str, Any]]:
        return [code_to_dict(c, nest(c.id)) for c in codebook.children(parent_id)]

    out: dict[str, Any] = {"codebook": codebook.name}
    if codebook.version:
        out["version"] = codebook.version
    if codebook.language:  # a codebook read from another tool's file may not say
        out["language"] = codebook.language
    if codebook.description:
        out["description"] = codebook.description
    out["codes"] = nest(None)
    return out


def code_to_dict(code: Code, children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": code.id, "name": code.name}
    for key in ("definition", "include", "exclude"):
        if getattr(code, key):
            out[key] = getattr(code, key)
    if code.examples:
        out["examples"] = list(code.examples)
    if code.keywords:
        out["keywords"] = list(code.keywords)
    if code.color:
        out["color"] = code.color
    if children:
        out["children"] = children
    return out


def codebook_from_dict(data: dict[str, Any]) -> Codebook:
    """Rebuild a codebook from :func:`codebook_to_dict` output (trusted input, e.g. a snapshot)."""
    codes: list[Code] = []

    def walk(items: list[dict[str, Any]], parent_id: str | None) -> None:
        for item in items:
            codes.append(
                Code(
                    id=item["id"],
                    name=item["name"],
                    parent_id=parent_id,
                    definition=item.get("definition", ""),
                    include=item.get("include", ""),
                    exclude=item.get("exclude", ""),
                    examples=tuple(item.get("examples", ())),
                    keywords=tuple(item.get("keywords", ())),
                    color=item.get("color"),
                )
            )
            walk(item.get("children", []), item["id"])

    walk(data.get("codes", []), None)
    return Codebook(
        name=data.get("codebook", ""),
        version=str(data.get("version", "")),
        language=data.get("language", "da"),
        description=data.get("description", ""),
        codes=tuple(codes),
    )


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as literal blocks, so files diff well in git."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Indent list items under their key ("codes:\n  - id: …"), as people write YAML.
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_codebook(codebook: Codebook, path: str | Path | None = None) -> str:
    """The codebook as YAML text in the documented format; written to ``path`` if given."""
    text = yaml.dump(
        codebook_to_dict(codebook),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
