"""The DocumentView's front end on a plain page, with a stand-in for the widget model.

Used by the offset tests (fast: no JupyterLab) and by the benchmark. The
page gets the same state the Python widget syncs (its traits) and records
every message the front end sends in ``window.qcSent``; ``window.qcUpdate``
changes a trait as Python would, ``window.qcSync`` applies one update message
(several traits), and :func:`connect` carries a real view's messages both ways.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

STATIC = Path(__file__).resolve().parent.parent / "qualcode" / "widget" / "static"
TRAITS = ("doc", "codings", "codings_patches", "codes", "recent", "labels", "coder", "threshold", "show_others", "others_allowed",
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
// One update message from the kernel, as the widget manager applies it: every trait set, then the change events.
window.qcSync = (state) => {{
  Object.assign(window.qcState, state);
  for (const k of Object.keys(state)) for (const cb of handlers["change:" + k] || []) cb();
}};
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


def connect(view, page) -> Callable[[], list[dict]]:
    """Join a DocumentView to a harness page as a kernel and JupyterLab would.

    What the view sends (its update messages and custom messages) reaches the page; the returned
    function hands what the page has sent since to the view (call it after a click).
    """
    send = view._send

    def forward(msg, buffers=None):
        if msg.get("method") == "update":
            page.evaluate("(s) => window.qcSync(s)", msg["state"])
        elif msg.get("method") == "custom":
            page.evaluate("(m) => window.qcMessage(m)", msg["content"])
        send(msg, buffers)

    view._send = forward

    def deliver() -> list[dict]:
        sent = [m for m in page.evaluate("() => window.qcSent.splice(0)") if m.get("type") != "save"]
        for m in sent:
            view._on_msg(view, m, [])
        return sent

    return deliver
