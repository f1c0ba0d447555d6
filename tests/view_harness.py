"""The DocumentView's front end on a plain page, with a stand-in for the widget model.

Used by the offset tests (fast: no JupyterLab) and by the benchmark. The
page gets the same state the Python widget syncs (its traits) and records
every message the front end sends in ``window.qcSent``; ``window.qcUpdate``
changes a trait as Python would.
"""

from __future__ import annotations

import json
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "qualcode" / "widget" / "static"
TRAITS = ("doc", "codings", "codes", "recent", "labels", "coder", "threshold", "show_others", "others_allowed",
          "can_suggest", "focus", "search_hits", "media", "status", "play_request")


def state_of(view) -> dict:
    return {name: getattr(view, name) for name in TRAITS}


def page(state: dict) -> str:
    js = (STATIC / "document_view.js").read_text(encoding="utf-8").replace("export default { render };", "window.qcRender = render;")
    css = (STATIC / "document_view.css").read_text(encoding="utf-8")
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{css} body {{ margin: 12px; }}</style></head>
<body><div id="host"></div>
<script>
window.qcSent = [];
window.qcState = {json.dumps(state, ensure_ascii=False)};
const handlers = {{}};
window.qcModel = {{
  get: (k) => window.qcState[k],
  set: (k, v) => {{ window.qcState[k] = v; }},
  save_changes: () => window.qcSent.push({{ type: "save" }}),
  on: (ev, cb) => {{ (handlers[ev] = handlers[ev] || []).push(cb); }},
  send: (msg) => window.qcSent.push(msg),
}};
window.qcUpdate = (k, v) => {{ window.qcState[k] = v; for (const cb of handlers["change:" + k] || []) cb(); }};
window.qcMessage = (msg, buffers) => {{ for (const cb of handlers["msg:custom"] || []) cb(msg, buffers || []); }};
</script>
<script type="module">{js}
const t0 = window.qcT0 = performance.now();
window.qcRender({{ model: window.qcModel, el: document.getElementById("host") }});
window.qcRendered = performance.now() - t0;
</script></body></html>"""


def write_page(view_or_state, path: Path) -> Path:
    state = view_or_state if isinstance(view_or_state, dict) else state_of(view_or_state)
    path.write_text(page(state), encoding="utf-8")
    return path
