"""Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha, consensus.

    from qualcode.agreement import agreement
    agreement(project, coders=["anna", "bo"], unit="sentence")
"""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd

from qualcode.agreement.consensus import ConsensusResult, record_consensus, record_consensus_table
from qualcode.agreement.stats import cohen_kappa, krippendorff_alpha_nominal, percent_agreement
from qualcode.agreement.tables import NO_CODE, agreement_table, confusion_matrix, confusion_table, disagreement_table
from qualcode.agreement.units import CodedUnits, coded_units, coverage_warnings


def agreement(
    project,
    *,
    coders: Sequence[str] | None = None,
    unit: str = "sentence",
    documents: Iterable[int | str] | None = None,
    include_interviewer: bool = False,
    coded_only: bool = False,
    lang: str | None = None,
) -> pd.DataFrame:
    """Per-code and overall agreement of ``coders`` on ``documents`` (see :func:`agreement_table`).

    ``coded_only``: only the units at least one coder gave a code (see :func:`coverage_warnings`).
    """
    units = coded_units(project, coders=coders, unit=unit, documents=documents, include_interviewer=include_interviewer,
                        coded_only=coded_only)
    return agreement_table(units, lang)


__all__ = [
    "CodedUnits",
    "ConsensusResult",
    "NO_CODE",
    "agreement",
    "agreement_table",
    "coded_units",
    "coverage_warnings",
    "cohen_kappa",
    "confusion_matrix",
    "confusion_table",
    "disagreement_table",
    "krippendorff_alpha_nominal",
    "percent_agreement",
    "record_consensus",
    "record_consensus_table",
]
