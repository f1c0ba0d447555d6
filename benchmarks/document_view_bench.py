"""Document view speed on a real-sized interview: ~12,000 words, 600 codings, in Debian's Chromium.

    python benchmarks/document_view_bench.py [--words 12000] [--codings 600] [--repeat 7]

Measures, for one synthetic interview (benchmarks/corpus.py) with 600
accepted codings and 300 open suggestions:
- the kernel side of opening: building DocumentView (document, codes, codings payload) and the
  payload's size, and the kernel side of one coding action (store, re-read the changed coding,
  the patch for the browser) with the bytes of JSON it sends;
- in the browser (the shipped ES module on a plain page with the widget model stubbed, see
  tests/view_harness.py): opening (render + stripes laid out), two idle frames (every browser
  timing waits two frames for the stripes to be drawn and painted), a click on a highlight (the side
  panel shows the coding), a mouse selection (the picker opens), the re-render after a coding is
  added (what follows every coding click: the kernel's patch arrives), after a suggestion in an
  early turn is accepted (its chip goes, so every turn below moves up) and after the whole list is
  sent again (a reload);
- where the browser's time goes for the re-render after a coding is added: main-thread self time
  per kind of work from a Chromium performance trace (CDP), and the front end's own S.timings.
Targets: open <= 1 s, click <= 100 ms. Prints a Markdown table and writes JSON to benchmarks/results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from corpus import generate  # noqa: E402
from run import machine  # noqa: E402
from view_harness import state_of, write_page  # noqa: E402

from qualcode import Project, import_files  # noqa: E402
from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.store.codings import NewCoding  # noqa: E402
from qualcode.widget import DocumentView  # noqa: E402

CODER = "bench"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build(folder: Path, words: int, codings: int, suggestions: int, seed: int = 3) -> tuple[Project, int]:
    [path] = list(generate(folder / "interviews", 1, words_per_interview=words, seed=seed))
    project = Project.open(folder / "bench.qcp")
    import_files(project, [path], progress=False)
    project.codebook.apply(load_codebook(HERE.parent / "codebooks" / "barrierer_drivkraefter.yaml"), CODER)
    [doc_id] = project.documents.ids()
    sentences = list(project.documents.segments(doc_id, "sentence", include_interviewer=False))
    leaves = [c.id for c in project.codebook.current().leaves()]
    rng = random.Random(seed)
    new = []
    for _ in range(codings):  # one to three sentences, overlapping freely, as coders code
        i = rng.randrange(len(sentences))
        j = min(len(sentences) - 1, i + rng.choice((0, 0, 1, 2)))
        if sentences[j].turn_index != sentences[i].turn_index:
            j = i
        new.append(NewCoding(doc_id, sentences[i].start, sentences[j].end, rng.choice(leaves), CODER))
    for s in rng.sample(sentences, min(suggestions, len(sentences))):
        new.append(NewCoding(doc_id, s.start, s.end, rng.choice(leaves), CODER, "suggested", "machine",
                             round(rng.uniform(0.4, 0.95), 2), "nøgleord"))
    project.codings.add_many(new)
    return project, doc_id


def ms(values: list[float]) -> dict:
    return {"median_ms": round(statistics.median(values), 1), "max_ms": round(max(values), 1)}


def kernel_side(project: Project, doc_id: int, repeat: int) -> dict:
    opens, actions, sent_bytes = [], [], []
    for _ in range(repeat):
        t = time.perf_counter()
        view = DocumentView(project, doc_id, coder=CODER)
        opens.append((time.perf_counter() - t) * 1000)
    text = view.doc["text"]
    sentences = list(project.documents.segments(doc_id, "sentence"))
    sent: list[dict] = []
    send = view._send
    view._send = lambda msg, buffers=None: (sent.append(msg), send(msg, buffers))  # what goes to the browser
    for i in range(repeat):
        s = sentences[10 + i]
        sent.clear()
        t = time.perf_counter()
        view._dispatch({"type": "add", "start": s.start, "end": s.end, "code": view.codes[1][0]})
        actions.append((time.perf_counter() - t) * 1000)
        sent_bytes.append(sum(len(json.dumps(m, ensure_ascii=False).encode()) for m in sent))
    view._send = send
    state = state_of(view)  # as a view displayed now gets it: the codings and the patches since they were sent
    payload = len(json.dumps(state, ensure_ascii=False).encode())
    return {"words": len(text.split()), "characters": len(text), "turns": len(view.doc["turns"]),
            "codings_sent": len(state["codings"]), "payload_kb": round(payload / 1024), "open": ms(opens),
            "action": ms(actions), "action_sent_bytes": round(statistics.median(sent_bytes)), "state": state}


BROWSER_OPEN = """async () => {
  // from the start of render() until the stripes are laid out (two frames later)
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - window.qcT0, document.querySelectorAll('.qc-stripe').length, document.querySelectorAll('.qc-t').length];
}"""

BROWSER_CLICK = """async (i) => {
  const pieces = [...document.querySelectorAll('.qc-t.qc-coded')];
  const p = pieces[(i * 37) % pieces.length];
  const t0 = performance.now();
  p.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, document.querySelector('.qc-side .qc-side-code') !== null];
}"""

BROWSER_SELECT = """async (i) => {
  const qc = document.querySelector('.qc-dv').__qc, S = qc.S;
  const p = S.pieces[(i * 53) % (S.pieces.length - 3)], q = S.pieces[(i * 53) % (S.pieces.length - 3) + 2];
  const r = document.createRange();
  r.setStart(p.firstChild, 0); r.setEnd(q.firstChild, q.firstChild.length);
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
  const t0 = performance.now();
  q.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const shown = document.querySelector('.qc-picker') !== null;
  document.querySelector('.qc-picker')?.remove();
  return [performance.now() - t0, shown];
}"""

# Two animation frames with nothing to do: the floor of the timings below, which all wait for
# two frames (the stripes are drawn in the first, painted before the second).
BROWSER_IDLE = """async (i) => {
  const t0 = performance.now();
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, true];
}"""

# What the kernel sends after a coding is added: a patch with the new row (DocumentView._patch).
BROWSER_RECODED = """async (i) => {
  const codings = window.qcState.codings;
  const c = codings[(i * 11) % codings.length];
  const row = [900000 + i, c[1], c[2], c[3], c[4], 'accepted', 'human', null, '', ''];
  const patches = window.qcState.codings_patches.concat([[[row], []]]);
  const t0 = performance.now();
  window.qcUpdate('codings_patches', patches);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, document.querySelector(`.qc-stripe[data-id="${row[0]}"]`) !== null];
}"""

# A suggestion in one of the first turns is accepted: its chip goes, the turn gets shorter and
# every turn below it moves up (the stripes must follow).
BROWSER_ACCEPTED = """async (i) => {
  const S = document.querySelector('.qc-dv').__qc.S, turns = window.qcState.doc.turns;
  const s = S.suggestions.find((x) => x.end <= turns[Math.min(20, turns.length - 1)][1]);
  const row = [s.id, s.start, s.end, s.code, s.coder, 'accepted', s.source, s.score, s.reason, s.memo];
  const patches = window.qcState.codings_patches.concat([[[row], []]]);
  const t0 = performance.now();
  window.qcUpdate('codings_patches', patches);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, document.querySelector(`.qc-stripe[data-id="${s.id}"]`) !== null];
}"""

# After a reload (another document, others' codings shown, an autocode run) the whole list comes again.
BROWSER_RELOADED = """async (i) => {
  const S = document.querySelector('.qc-dv').__qc.S;
  const codings = S.rows.slice();
  const c = codings[(i * 11) % codings.length];
  codings.push([800000 + i, c[1], c[2], c[3], c[4], 'accepted', 'human', null, '', '']);
  codings.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  const t0 = performance.now();
  window.qcState.codings_patches = [];
  window.qcUpdate('codings', codings);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, true];
}"""

TRACE_CATEGORIES = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing"
# Trace event -> kind of work. A task's own time outside these is the script Playwright ran (renderDoc).
KINDS = {"UpdateLayoutTree": "style", "Layout": "layout", "PrePaint": "pre-paint", "Paint": "paint",
         "Layerize": "layerize + commit", "Commit": "layerize + commit", "UpdateLayer": "layerize + commit",
         "ParseHTML": "parse HTML", "HitTest": "hit test"}


def self_times(events: list[dict]) -> dict[str, float]:
    """Milliseconds of main-thread self time per kind of work (nested events subtracted from their parents)."""
    threads = {(e["pid"], e["tid"]) for e in events
               if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    spans = sorted((e for e in events if e.get("ph") == "X" and "dur" in e and (e["pid"], e["tid"]) in threads),
                   key=lambda e: (e["ts"], -e["dur"]))
    out: dict[str, float] = {}
    stack: list[dict] = []
    for e in spans:
        while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
            stack.pop()
        kind = KINDS.get(e["name"], "script and tasks")
        if stack:
            parent = stack[-1]
            overlap = min(e["dur"], parent["ts"] + parent["dur"] - e["ts"]) / 1000
            pk = KINDS.get(parent["name"], "script and tasks")
            out[pk] = out.get(pk, 0.0) - overlap
        out[kind] = out.get(kind, 0.0) + e["dur"] / 1000
        stack.append(e)
    return out


def traced(page, script: str, n: int) -> dict:
    """Run script n times under a Chromium trace: self time per kind of work, per run, and the front end's timings."""
    cdp = page.context.new_cdp_session(page)
    events: list[dict] = []
    done: list[bool] = []
    cdp.on("Tracing.dataCollected", lambda m: events.extend(m["value"]))
    cdp.on("Tracing.tracingComplete", lambda m: done.append(True))
    cdp.send("Tracing.start", {"categories": TRACE_CATEGORIES, "transferMode": "ReportEvents"})
    timings = []
    for i in range(n):
        page.evaluate(script, 100 + i)
        timings.append(page.evaluate("document.querySelector('.qc-dv').__qc.S.timings"))
    cdp.send("Tracing.end")
    while not done:
        page.wait_for_timeout(50)
    cdp.detach()
    per_run = {k: round(v / n, 1) for k, v in sorted(self_times(events).items(), key=lambda kv: -kv[1]) if v / n >= 0.05}
    front = {k: round(statistics.median(t.get(k, 0) for t in timings), 1)
             for k in ("build", "html", "passes", "measure", "stripes", "turnsMeasured", "stripesWritten")}
    return {"main_thread_ms": per_run, "main_thread_total_ms": round(sum(per_run.values()), 1), "front_end_ms": front}


def browser_side(state: dict, folder: Path, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    page_file = write_page(state, folder / "view.html")
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        opens = []
        for _ in range(repeat):  # a fresh page each time, as a newly displayed widget
            page.goto(page_file.as_uri())
            took, stripes, pieces = page.evaluate(BROWSER_OPEN)
            opens.append(took)
        out["open"] = ms(opens)
        out["stripes"], out["pieces"] = stripes, pieces
        for name, script in (("idle", BROWSER_IDLE), ("click", BROWSER_CLICK), ("select", BROWSER_SELECT), ("rerender", BROWSER_RECODED),
                             ("accepted_early", BROWSER_ACCEPTED), ("reloaded", BROWSER_RELOADED)):
            values = []
            for i in range(repeat):
                took, ok = page.evaluate(script, i)
                assert ok, name
                values.append(took)
            out[name] = ms(values)
        out["breakdown_rerender"] = traced(page, BROWSER_RECODED, repeat)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=12000)
    parser.add_argument("--codings", type=int, default=600)
    parser.add_argument("--suggestions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", default=str(HERE / "results"))
    args = parser.parse_args()
    started = os.popen("uptime").read().strip()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, doc_id = build(folder, args.words, args.codings, args.suggestions)
        kernel = kernel_side(project, doc_id, args.repeat)
        browser = browser_side(kernel.pop("state"), folder, args.repeat)
        project.close()
    result = {"machine": machine(), "uptime_start": started, "uptime": os.popen("uptime").read().strip(),
              "kernel": kernel, "browser": browser}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "document_view.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    k, b = kernel, browser
    print(f"{k['words']} words, {k['turns']} turns, {k['codings_sent']} codings and suggestions sent, payload {k['payload_kb']} kB;"
          f" {b['pieces']} text pieces, {b['stripes']} stripes")
    print("| step | median (ms) | max (ms) | target |\n| --- | ---: | ---: | --- |")
    rows = [("kernel: build the view (document, codes, codings)", k["open"], "open <= 1 s with the browser"),
            ("browser: open (render + stripes laid out)", b["open"], "open <= 1 s with the kernel"),
            ("browser: two frames with nothing to do (the floor of the rows below)", b["idle"], ""),
            ("browser: click a highlight (side panel shown)", b["click"], "<= 100 ms"),
            ("browser: mouse selection (picker shown)", b["select"], "<= 100 ms"),
            ("kernel: one coding action (store, re-read the coding, patch)", k["action"], "click <= 100 ms with the re-render"),
            ("browser: re-render after a coding is added", b["rerender"], "click <= 100 ms with the action"),
            ("browser: re-render after a suggestion in an early turn is accepted", b["accepted_early"], "<= 100 ms with the action"),
            ("browser: re-render after the whole list is sent again (reload)", b["reloaded"], "")]
    for name, v, target in rows:
        print(f"| {name} | {v['median_ms']} | {v['max_ms']} | {target} |")
    print(f"a coding action sends {k['action_sent_bytes']} bytes of JSON (median)")
    d = b["breakdown_rerender"]
    print("re-render after a coding is added, main-thread ms per run:", d["main_thread_ms"], "total", d["main_thread_total_ms"])
    print("front end (S.timings, median):", d["front_end_ms"])
    print(result["uptime"])


if __name__ == "__main__":
    main()
