"""An anonymised copy of a project, for exports that carry whole documents (REFI-QDA ``--anonymise``).

The copy is made in a private temporary folder and rewritten there: every
document's text is the anonymised text the reports quote from (the same
:class:`~qualcode.report.privacy.Redactor`, so the same pseudonyms), every
turn, coding and memo span is moved through that document's offset map (a
coding still covers the same words, with a replaced name inside it whole),
document names become "Interview 01", participants and municipalities their
pseudonyms, and every other metadata value, speaker name, memo and case is
anonymised as free text. The exporter then runs on the copy unchanged; the
copy is deleted when the block ends.
"""

from __future__ import annotations

import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from qualcode.errors import AccessDeniedError
from qualcode.i18n import gettext as _
from qualcode.project import Project
from qualcode.store.rewrite import CopyRewriter


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.+Z-]*)?$")


@contextmanager
def anonymised_copy(project: Project) -> Iterator[Project]:
    from qualcode.report.privacy import redactor_for

    if not project.db.may_read("documents", "text"):  # a reader on a server
        raise AccessDeniedError(_("{location}: an anonymised copy is made from the transcripts, which your role may not read; "
                                  "a lead makes it").format(location=project.location))
    redactor = redactor_for(project)
    headers = project.documents.headers()
    redactor.prepare(headers)
    with tempfile.TemporaryDirectory(prefix="qualcode-anonymised-") as folder:  # 0700: only its owner may look in
        path = Path(folder) / "anonymiseret.qcp"
        project.db.copy_to(path)
        with Project.open(path, create=False) as copy:
            rewriter = CopyRewriter(copy.db)
            rewriter.clear_derived()
            for h in headers:
                text, offsets = redactor.document_text(h)
                rewriter.rewrite_document(
                    h.id, name=redactor.document(h), text=text, metadata=_metadata(redactor, h), span=offsets.span,
                    label=redactor.speaker, participant=lambda pid, doc=h.id: redactor.participant(pid, doc) if pid else pid,
                )
            rewriter.rewrite_free_text(redactor.text)
            yield copy


def _metadata(redactor, header) -> dict[str, str]:
    out = {}
    for key, value in header.metadata.items():
        value = str(value)
        if key == "participant_id":
            out[key] = redactor.participant(value, header.id)
        elif key == "municipality":
            out[key] = redactor.municipality(value)
        elif _DATE.match(value):
            out[key] = value  # an interview date identifies no one (and digit runs look like phone numbers)
        else:  # titles, departments, an interviewer named in front matter: free text
            out[key] = redactor.text(value)
    return out
