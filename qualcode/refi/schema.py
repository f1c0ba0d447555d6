"""Validation of project.qde documents against the REFI-QDA Project.xsd."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from qualcode.codebook.refi import PROJECT_XSD


@lru_cache(maxsize=4)
def project_schema(xsd: str | Path = PROJECT_XSD):
    import xmlschema

    return xmlschema.XMLSchema(str(xsd))


def qde_problems(data: bytes, xsd: str | Path = PROJECT_XSD) -> list[str]:
    """Schema violations of a project.qde (empty if it is valid)."""
    schema = project_schema(str(xsd))
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(data.decode("utf-8"))]
