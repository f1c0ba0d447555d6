"""Coding in JupyterLab: the document view (whole interview, select and code) and the queue widget."""

from qualcode.widget.document_view import DocumentView
from qualcode.widget.session import CodingSession, Filters
from qualcode.widget.view import CodingWidget
from qualcode.widget.workspace import DocumentWorkspace

__all__ = ["CodingSession", "CodingWidget", "DocumentView", "DocumentWorkspace", "Filters"]
