"""Document view speed on a real-sized interview: ~12,000 words, 600 codings, in Debian's Chromium.

    python benchmarks/document_view_bench.py [--words 12000] [--codings 600] [--repeat 7]

Measures, for one synthetic interview (benchmarks/corpus.py) with 600
accepted codings and 300 open suggestions:
- the kernel side of opening: building DocumentView (document, codes, codings payload) and the
  payload's size, and the kernel side of one coding action (store + re-read codings);
- in the browser (the shipped ES module on a plain page with the widget model stubbed, see
  tests/view_harness.py): opening (render + stripes laid out), a click on a highlight (the side
  panel shows the coding), a mouse selection (the picker opens) and the re-render after a
  coding is added (what follows every coding click).
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
    opens, actions = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        view = DocumentView(project, doc_id, coder=CODER)
        opens.append((time.perf_counter() - t) * 1000)
    text = view.doc["text"]
    sentences = list(project.documents.segments(doc_id, "sentence"))
    for i in range(repeat):
        s = sentences[10 + i]
        t = time.perf_counter()
        view._dispatch({"type": "add", "start": s.start, "end": s.end, "code": view.codes[1][0]})
        actions.append((time.perf_counter() - t) * 1000)
    payload = len(json.dumps(state_of(view), ensure_ascii=False).encode())
    return {"words": len(text.split()), "characters": len(text), "turns": len(view.doc["turns"]),
            "codings_sent": len(view.codings), "payload_kb": round(payload / 1024), "open": ms(opens),
            "action": ms(actions), "view": view}


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

BROWSER_RECODED = """async (i) => {
  const codings = window.qcState.codings.slice();
  const c = codings[(i * 11) % codings.length];
  codings.push([900000 + i, c[1], c[2], c[3], c[4], 'accepted', 'human', null, '', '']);
  const t0 = performance.now();
  window.qcUpdate('codings', codings);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - t0, true];
}"""


def browser_side(view, folder: Path, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    page_file = write_page(view, folder / "view.html")
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
        for name, script in (("click", BROWSER_CLICK), ("select", BROWSER_SELECT), ("rerender", BROWSER_RECODED)):
            values = []
            for i in range(repeat):
                took, ok = page.evaluate(script, i)
                assert ok, name
                values.append(took)
            out[name] = ms(values)
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
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, doc_id = build(folder, args.words, args.codings, args.suggestions)
        kernel = kernel_side(project, doc_id, args.repeat)
        browser = browser_side(kernel.pop("view"), folder, args.repeat)
        project.close()
    result = {"machine": machine(), "uptime": os.popen("uptime").read().strip(), "kernel": kernel, "browser": browser}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "document_view.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    k, b = kernel, browser
    print(f"{k['words']} words, {k['turns']} turns, {k['codings_sent']} codings and suggestions sent, payload {k['payload_kb']} kB;"
          f" {b['pieces']} text pieces, {b['stripes']} stripes")
    print("| step | median (ms) | max (ms) | target |\n| --- | ---: | ---: | --- |")
    rows = [("kernel: build the view (document, codes, codings)", k["open"], "open <= 1 s with the browser"),
            ("browser: open (render + stripes laid out)", b["open"], "open <= 1 s with the kernel"),
            ("browser: click a highlight (side panel shown)", b["click"], "<= 100 ms"),
            ("browser: mouse selection (picker shown)", b["select"], "<= 100 ms"),
            ("kernel: one coding action (store + re-read codings)", k["action"], "click <= 100 ms with the re-render"),
            ("browser: re-render after a coding is added", b["rerender"], "click <= 100 ms with the action")]
    for name, v, target in rows:
        print(f"| {name} | {v['median_ms']} | {v['max_ms']} | {target} |")
    print(result["uptime"])


if __name__ == "__main__":
    main()
