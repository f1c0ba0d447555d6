"""Operators: one per file, each turns a resolved span into replacement text."""

from __future__ import annotations

from qualcode.anonymise.operators.base import Operator
from qualcode.anonymise.operators.redact import RedactOperator
from qualcode.anonymise.operators.report_role import ReportRoleOperator
from qualcode.anonymise.operators.role import RoleOperator, definite
from qualcode.anonymise.operators.surrogate import SurrogateOperator
from qualcode.anonymise.operators.tag import TagOperator

OPERATORS = {
    "tag": TagOperator, "role": RoleOperator, "surrogate": SurrogateOperator, "redact": RedactOperator,
    "report-role": ReportRoleOperator,
}


def make_operator(name: str) -> Operator:
    if name not in OPERATORS:
        raise ValueError(f"unknown operator {name!r}; use one of {', '.join(OPERATORS)}")
    operator = OPERATORS[name]()
    operator.validate()
    return operator


__all__ = ["OPERATORS", "Operator", "RedactOperator", "ReportRoleOperator", "RoleOperator", "SurrogateOperator", "TagOperator", "definite", "make_operator"]
