// qualcode DocumentView: the whole interview, coded by selecting text.
//
// Offsets: Python sends and stores character offsets of the NFC text, i.e.
// Unicode code points; JavaScript strings count UTF-16 code units (an emoji
// is two). Every rendered text piece carries its start as a code point
// offset (data-s); a DOM selection point (text node, UTF-16 offset) becomes
// a code point offset through the document's code point index, so the
// stored text[start:end] is exactly the selected text.

// -- code points <-> UTF-16 -----------------------------------------------------------
function makeIndex(text) {
  // u16[cp] = UTF-16 offset of code point cp; null when the text has no astral characters.
  if (!/[\uD800-\uDBFF]/.test(text)) return { u16: null, length: text.length };
  const u16 = [];
  let i = 0;
  while (i < text.length) {
    u16.push(i);
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  u16.push(i);
  return { u16: Int32Array.from(u16), length: u16.length - 1 };
}

function toU16(index, cp) {
  return index.u16 ? index.u16[Math.max(0, Math.min(cp, index.length))] : cp;
}

function toCp(index, u) {
  if (!index.u16) return u;
  let lo = 0, hi = index.length;
  while (lo < hi) {  // first code point whose UTF-16 offset is >= u
    const mid = (lo + hi) >> 1;
    if (index.u16[mid] < u) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function sliceCp(text, index, a, b) {
  return text.slice(toU16(index, a), toU16(index, b));
}

// -- small helpers ------------------------------------------------------------------------
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function fold(s) {
  // "ae" finds "æ": a coder can search without Danish keys.
  return s.toLocaleLowerCase("da").replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
    .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function el(tag, cls, html) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

function score(L, x) {
  return x == null ? "" : x.toFixed(2).replace(".", L.decimal);
}

// -- the view ---------------------------------------------------------------------------------
function render({ model, el: host }) {
  const S = {
    model, host, index: null, codes: new Map(), order: [], selected: null, respan: null, rows: [], base: null, applied: 0, list: null,
    geometry: new WeakMap(), stripes: new Map(), groups: [],
    timings: { passes: 0, measure: 0, stripes: 0, turnsMeasured: 0, stripesWritten: 0, stripesMoved: 0 },
    picker: null, hitIndex: -1, sugFocus: -1, media: { chunks: [], url: null, pending: null, loading: false },
    filters: { code: "", coder: "", status: "open", role: "" },
  };
  const L = () => model.get("labels");

  const root = el("div", "qc-dv");
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");  // JupyterLab's command-mode keys stay out
  host.appendChild(root);
  root.innerHTML = `
    <div class="qc-bar">
      <select class="qc-docs" aria-label="document"></select>
      <span class="qc-search"><input class="qc-q" type="search"><label class="qc-rx"><input type="checkbox" class="qc-regex"> regex</label>
        <button class="qc-find"></button><button class="qc-prev-hit" title="">◀</button><button class="qc-next-hit">▶</button>
        <button class="qc-autocode"></button></span>
      <span class="qc-grow"></span>
      <button class="qc-undo"></button>
    </div>
    <div class="qc-bar qc-filters">
      <label class="qc-thr"><span class="qc-thr-label"></span><input type="range" min="0" max="1" step="0.05" class="qc-threshold"></label>
      <select class="qc-f-code"></select><select class="qc-f-status"></select><select class="qc-f-role"></select><select class="qc-f-coder"></select>
      <label class="qc-others-l"><input type="checkbox" class="qc-others"> <span></span></label>
      <span class="qc-grow"></span>
      <button class="qc-suggest-doc"></button>
    </div>
    <div class="qc-bar qc-player"></div>
    <div class="qc-main">
      <div class="qc-scroll"><div class="qc-page"><div class="qc-doc"></div><div class="qc-stripes"></div></div></div>
      <div class="qc-side"></div>
    </div>
    <div class="qc-status" aria-live="polite"></div>
    <div class="qc-tip"></div>`;
  const $ = (sel) => root.querySelector(sel);
  const docEl = $(".qc-doc"), stripesEl = $(".qc-stripes"), pageEl = $(".qc-page"), scrollEl = $(".qc-scroll");
  const sideEl = $(".qc-side"), tipEl = $(".qc-tip");

  // -- state from Python ----------------------------------------------------------------------
  function loadCodes() {
    S.codes = new Map();
    S.order = [];
    for (const [id, name, parent, colour, depth, definition] of model.get("codes")) {
      S.codes.set(id, { id, name, parent, colour, depth, definition });
      S.order.push(id);
    }
  }
  const code = (id) => S.codes.get(id) || { id, name: id, colour: "#888888", depth: 0, parent: null };

  function descendants(id) {
    const out = new Set([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of S.codes.values()) if (c.parent && out.has(c.parent) && !out.has(c.id)) { out.add(c.id); grew = true; }
    }
    return out;
  }

  // The codings arrive whole (the codings trait, on opening and after a reload) and then as
  // patches (codings_patches: the rows each action changed and the ids it removed, since the
  // whole list was sent), so a coding click does not send, parse and re-read all ~900 rows.
  // S.rows is the list both make, in the store's order (start, id), as a full re-read gives it.
  function rows() {
    const base = model.get("codings"), patches = model.get("codings_patches") || [];
    if (base !== S.base || patches.length < S.applied) {
      S.base = base;
      S.rows = base;
      S.applied = 0;
      S.list = null;
    }
    if (S.applied < patches.length) {
      const gone = new Set(), upsert = new Map();
      for (const [rows, removed] of patches.slice(S.applied)) {
        for (const id of removed) { gone.add(id); upsert.delete(id); }
        for (const r of rows) { gone.delete(r[0]); upsert.set(r[0], r); }
      }
      const out = S.rows.filter((r) => !gone.has(r[0]) && !upsert.has(r[0])).concat([...upsert.values()]);
      S.rows = out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      S.applied = patches.length;
      S.list = null;
    }
    return S.rows;
  }

  function codingsList() {
    if (!S.list || rows() !== S.listOf) {
      S.listOf = rows();
      S.list = S.listOf.map(([id, start, end, codeId, coder, status, source, sc, reason, memo]) =>
        ({ id, start, end, code: codeId, coder, status, source, score: sc, reason, memo }));
    }
    return S.list;
  }

  function turnOf(offset) {
    const turns = model.get("doc").turns;
    let lo = 0, hi = turns.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (turns[mid][0] <= offset) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }

  function visible() {
    const f = S.filters, me = model.get("coder"), thr = model.get("threshold");
    const codeSet = f.code ? descendants(f.code) : null;
    const turns = model.get("doc").turns;
    const shown = [], suggestions = [], applied = new Map();
    for (const c of codingsList()) {
      if (codeSet && !codeSet.has(c.code)) continue;
      if (f.coder && c.coder !== f.coder) continue;
      if (f.role) {
        const t = turns[turnOf(c.start)];
        if (!t || (t[5] ? "interviewer" : t[3]) !== f.role) continue;
      }
      if (c.status === "suggested") {
        if (c.coder === me && (c.score == null || c.score >= thr) && f.status !== "accepted" && f.status !== "rejected") suggestions.push(c);
        continue;
      }
      if (c.status === "accepted" && c.coder === me) (applied.get(c.code) || applied.set(c.code, []).get(c.code)).push(c);
      if (f.status === "open" && !(c.status === "accepted" || c.status === "needs_review")) continue;
      if (f.status !== "open" && f.status !== "all" && f.status !== "suggested" && c.status !== f.status) continue;
      if (f.status === "suggested") continue;
      shown.push(c);
    }
    // A suggestion of a code the coder has already applied there says nothing new.
    const fresh = suggestions.filter((c) => !(applied.get(c.code) || []).some((a) => a.start < c.end && c.start < a.end));
    return { shown, suggestions: fresh };
  }

  // -- rendering the text -------------------------------------------------------------------------
  function renderDoc() {
    const t0 = performance.now();
    const doc = model.get("doc");
    if (!doc || !doc.text) { docEl.innerHTML = ""; return; }
    const text = doc.text, index = S.index, l = L();
    const { shown, suggestions } = visible();
    S.shown = shown;
    // One chip per span: its best suggestion, with the others for that span behind "+n".
    suggestions.sort((a, b) => a.start - b.start || a.end - b.end || (b.score || 0) - (a.score || 0));
    S.alternatives = new Map();
    S.suggestions = [];
    for (const c of suggestions) {
      const key = `${c.start}:${c.end}`;
      if (!S.alternatives.has(key)) { S.alternatives.set(key, []); S.suggestions.push(c); }
      S.alternatives.get(key).push(c);
    }
    const hits = model.get("search_hits").map(([s, e], i) => ({ kind: "h", id: i, start: s, end: e }));
    const items = [
      ...shown.map((c) => ({ ...c, kind: "c" })),
      ...S.suggestions.map((c) => ({ ...c, kind: "s" })),
      ...hits,
    ];
    const points = new Set();
    const starts = new Map(), ends = new Map();
    for (const t of doc.turns) { points.add(t[0]); points.add(t[1]); }
    for (const it of items) {
      points.add(it.start); points.add(it.end);
      (starts.get(it.start) || starts.set(it.start, []).get(it.start)).push(it);
      (ends.get(it.end) || ends.set(it.end, []).get(it.end)).push(it);
    }
    const P = [...points].sort((a, b) => a - b);
    const active = new Set();
    const html = new Array(doc.turns.length).fill("");  // one string per turn
    let out = null;
    let ti = 0, open = false;
    const turns = doc.turns;
    const headOf = (t, i) => {
      let role = t[5] ? l.interviewer : t[3];
      if (role && role.toLowerCase() === String(t[2]).toLowerCase()) role = "";  // "Interviewer (interviewer)"
      const time = t[4] != null ? `<button class="qc-play" data-t="${t[4]}" title="${esc(l.play_from)}">▶ ${esc(t[6])}</button>` : "";
      return `<div class="qc-turn${t[5] ? " qc-int" : ""}" data-turn="${i}"><div class="qc-head"><span class="qc-spk">${esc(t[2])}</span>` +
        (role ? `<span class="qc-role">${esc(role)}</span>` : "") + time + `</div><div class="qc-text">`;
    };
    for (let k = 0; k < P.length; k++) {
      const pos = P[k];
      for (const it of ends.get(pos) || []) {
        active.delete(it);
        if (it.kind === "s" && open) out.push(chip(it, l));
      }
      while (ti < turns.length && turns[ti][1] <= pos) {
        if (open) { out.push("</div></div>"); html[ti] = out.join(""); open = false; }
        else if (turns[ti][0] === turns[ti][1]) html[ti] = headOf(turns[ti], ti) + "</div></div>";  // a turn without text
        ti++;
      }
      if (ti < turns.length && !open && turns[ti][0] <= pos) { out = [headOf(turns[ti], ti)]; open = true; }
      for (const it of starts.get(pos) || []) active.add(it);
      if (open && k + 1 < P.length) out.push(piece(text, index, pos, P[k + 1], active));
    }
    if (open) { out.push("</div></div>"); html[ti] = out.join(""); }
    const t1 = performance.now();
    // Only the turns whose markup changed are replaced: a coding click re-renders one turn, not the interview.
    const old = S.turnHtml;
    if (!old || old.length !== html.length || docEl.children.length !== html.length) {
      docEl.innerHTML = html.join("");
    } else {
      const tpl = document.createElement("template");
      for (let i = 0; i < html.length; i++) {
        if (html[i] === old[i]) continue;
        tpl.innerHTML = html[i];
        docEl.children[i].replaceWith(tpl.content.firstElementChild || document.createElement("div"));
      }
    }
    S.turnHtml = html;
    // S.timings: this render's, and the stripe passes' since (summed: a resize observer may add one)
    S.timings = { build: t1 - t0, html: performance.now() - t1, passes: 0, measure: 0, stripes: 0, turnsMeasured: 0, stripesWritten: 0, stripesMoved: 0 };
    S.pieces = [...docEl.querySelectorAll(".qc-t")];
    S.pieceStarts = S.pieces.map((p) => +p.dataset.s);
    scheduleStripes();
  }

  function scheduleStripes() {
    if (S.stripesQueued) return;
    S.stripesQueued = true;
    requestAnimationFrame(() => { S.stripesQueued = false; renderStripes(); });
  }

  function piece(text, index, a, b, active) {
    let style = "", cls = "qc-t", ids = [];
    const coded = [], sug = [];
    let hit = false;
    for (const it of active) {
      if (it.kind === "c") coded.push(it); else if (it.kind === "s") sug.push(it); else hit = true;
    }
    if (coded.length) {
      coded.sort((x, y) => (x.end - x.start) - (y.end - y.start));
      const top = code(coded[0].code).colour;
      style += `background:${rgba(top, coded.length > 1 ? 0.38 : 0.24)};`;
      if (coded.length > 1) style += `box-shadow: inset 0 -3px 0 ${rgba(code(coded[1].code).colour, 0.85)};`;
      ids = coded.map((c) => c.id);
      cls += " qc-coded";
      if (S.selected != null && ids.includes(S.selected)) cls += " qc-sel";
      if (coded.some((c) => c.status === "needs_review")) cls += " qc-review";
    }
    if (sug.length) {
      sug.sort((x, y) => (y.score || 0) - (x.score || 0));
      style += `text-decoration: underline dashed ${code(sug[0].code).colour}; text-decoration-thickness: 2px; text-underline-offset: 4px;`;
      cls += " qc-sugg";
    }
    if (hit) cls += " qc-hit";
    return `<span class="${cls}" data-s="${a}"${ids.length ? ` data-c="${ids.join(" ")}"` : ""}${sug.length ? ` data-g="${sug.map((x) => x.id).join(" ")}"` : ""}${style ? ` style="${style}"` : ""}>${esc(sliceCp(text, index, a, b))}</span>`;
  }

  function chip(s, l) {
    const c = code(s.code);
    const more = (S.alternatives.get(`${s.start}:${s.end}`) || []).length - 1;
    const focused = S.suggestions[S.sugFocus] && S.suggestions[S.sugFocus].id === s.id ? " qc-focus" : "";
    return `<span class="qc-chip${focused}" contenteditable="false" data-sug="${s.id}" style="border-color:${c.colour}">` +
      `<span class="qc-dot" style="background:${c.colour}"></span><span class="qc-cname" title="${esc(c.name)}">${esc(c.name)}</span> <span class="qc-score">${score(l, s.score)}</span>` +
      (more > 0 ? `<span class="qc-more" data-sug="${s.id}" title="${esc(l.more_suggestions)}">+${more}</span>` : "") +
      `<button class="qc-ok" data-sug="${s.id}" title="${esc(l.accept)}">✓</button><button class="qc-no" data-sug="${s.id}" title="${esc(l.reject)}">✗</button></span>`;
  }

  // -- stripes in the margin ------------------------------------------------------------------------
  function pieceAt(offset, fromEnd) {
    // The piece containing offset (fromEnd: the piece containing offset - 1).
    const st = S.pieceStarts, target = fromEnd ? offset - 1 : offset;
    let lo = 0, hi = st.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (st[mid] <= target) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best < 0 ? (S.pieces.length ? 0 : -1) : best;
  }

  // A stripe runs from the first line box of the piece where its coding starts to the last line
  // box of the piece where it ends. Reading those rects for all ~1,200 pieces and rebuilding all
  // ~600 stripe elements after every change cost a coding click ~200 ms (mostly style, layout
  // and paint of ~3,000 new objects). So a piece's extent is kept relative to its turn, in a
  // cache per turn element: renderDoc keeps the element of a turn whose markup did not change,
  // and while that element also keeps its width and height nothing inside it has moved. Each
  // pass reads every turn's box (one layout, ~200 reads) and measures only the pieces of new or
  // resized turns, all before any write. Stripes hang in one group per turn, placed at the
  // turn's top, so a turn that grows moves the groups below it (one write each), not their stripes;
  // a stripe is written only when its own place, size, lane or look changed.
  function turnBoxes() {
    const origin = stripesEl.getBoundingClientRect().top;
    let i = 0;
    for (const t of docEl.children) {
      const r = t.getBoundingClientRect();
      let g = S.geometry.get(t);
      if (!g || g.width !== r.width || g.height !== r.height) {
        g = { width: r.width, height: r.height, pieces: new Map() };
        S.geometry.set(t, g);
        S.timings.turnsMeasured++;
      }
      g.turn = i++;
      g.viewTop = r.top;
      g.top = r.top - origin;
    }
  }

  function pieceExtent(i) {
    // Piece i's first line top and last line bottom, relative to the stripes, and its turn.
    const p = S.pieces[i], g = S.geometry.get(p.closest(".qc-turn"));
    if (!g) return null;
    let e = g.pieces.get(p);
    if (e === undefined) {
      const rects = p.getClientRects();
      e = rects.length ? [rects[0].top - g.viewTop, rects[rects.length - 1].bottom - g.viewTop] : null;
      g.pieces.set(p, e);
    }
    return e && { top: g.top + e[0], bottom: g.top + e[1], turn: g.turn, base: g.top };
  }

  function extent(c) {
    const a = pieceAt(c.start, false), b = pieceAt(c.end, true);
    if (a < 0 || b < 0) return null;
    const first = pieceExtent(a), last = pieceExtent(b);
    return first && last ? { ...first, bottom: last.bottom } : null;
  }

  function renderStripes() {
    const t0 = performance.now();
    turnBoxes();
    const list = (S.shown || []).map((c) => ({ c, x: extent(c) })).filter((b) => b.x)
      .sort((p, q) => p.x.top - q.x.top || (q.x.bottom - q.x.top) - (p.x.bottom - p.x.top));
    const t1 = performance.now();
    const lanes = [];
    const placed = [];
    for (const b of list) {
      let lane = lanes.findIndex((bottom) => bottom < b.x.top - 3);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = b.x.bottom;
      placed.push({ ...b, lane, h: Math.max(14, b.x.bottom - b.x.top) });
    }
    // A label may run on below a short stripe while its lane is free (the name is written along the stripe).
    const nextTop = new Map();
    for (let i = placed.length - 1; i >= 0; i--) {
      const b = placed[i];
      b.room = nextTop.has(b.lane) ? nextTop.get(b.lane) - b.x.top - 6 : 220;
      nextTop.set(b.lane, b.x.top);
    }
    // Writing. Gone stripes are removed first, so the order (top to bottom) is kept with a move
    // only where it changed.
    const n = docEl.children.length;
    if (S.groups.length !== n) {
      stripesEl.textContent = "";
      S.stripes = new Map();
      S.groups = Array.from({ length: n }, () => ({ el: stripesEl.appendChild(el("div", "qc-sgroup")), top: null }));
    }
    const old = S.stripes, next = new Map();
    for (const b of placed) if (old.has(b.c.id)) next.set(b.c.id, old.get(b.c.id));
    for (const [id, st] of old) if (!next.has(id)) st.el.remove();
    let written = 0, moved = 0;
    const last = new Map();  // group -> its last stripe so far
    for (const b of placed) {
      const c = code(b.c.code), grp = S.groups[b.x.turn];
      if (grp.top !== b.x.base) { grp.el.style.top = `${b.x.base}px`; grp.top = b.x.base; }
      const cls = `qc-stripe${S.selected === b.c.id ? " qc-sel" : ""}${b.c.status === "needs_review" ? " qc-review" : ""}`;
      const style = `top:${b.x.top - b.x.base}px;height:${b.h}px;left:${b.lane * 18}px;--c:${c.colour}`;
      const label = `${Math.max(b.h, Math.min(b.room, 220))}px`;
      const key = `${cls}|${style}|${label}|${c.name}`;
      let st = next.get(b.c.id);
      if (!st) {
        st = { el: el("div"), key: "" };
        st.el.dataset.id = b.c.id;
        st.el.appendChild(el("span"));
        next.set(b.c.id, st);
      }
      if (st.key !== key) {
        st.el.className = cls;
        st.el.setAttribute("style", style);
        st.el.firstChild.style.maxHeight = label;
        st.el.firstChild.textContent = c.name;
        st.key = key;
        written++;
      }
      const prev = last.get(grp);
      const want = prev ? prev.nextSibling : grp.el.firstChild;
      if (st.el !== want) { grp.el.insertBefore(st.el, want); moved++; }
      last.set(grp, st.el);
    }
    S.stripes = next;
    const width = `${Math.max(1, lanes.length) * 18 + 6}px`;
    if (stripesEl.style.width !== width) stripesEl.style.width = width;
    const T = S.timings;
    T.passes++;
    T.measure += t1 - t0;
    T.stripes += performance.now() - t0;
    T.stripesWritten += written;
    T.stripesMoved += moved;
  }

  // -- selection -> code point offsets ---------------------------------------------------------------
  function pointToOffset(node, offset, isEnd) {
    // A DOM selection point -> code point offset of the document, snapped into the text.
    let n = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const p = n && n.closest ? n.closest(".qc-t") : null;
    if (p && node.nodeType === Node.TEXT_NODE && docEl.contains(p)) {
      const s = +p.dataset.s;
      return toCp(S.index, toU16(S.index, s) + offset);
    }
    // Not inside a text piece (a speaker head, a chip, the gap between turns): take the
    // nearest text piece after the point (for a start) or before it (for an end).
    const probe = document.createRange();
    probe.setStart(node, offset);
    let best = null;
    for (const q of S.pieces) {
      const cmp = probe.comparePoint(q, 0);
      if (!isEnd && cmp >= 0) { best = +q.dataset.s; break; }  // q begins after the point
      if (isEnd) {
        if (cmp >= 0) break;
        best = +q.dataset.s + [...q.textContent].length;
      }
    }
    return best;
  }

  function selectionSpan() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    if (!r.intersectsNode(docEl)) return null;  // a triple click may end the range just after the text
    const a = pointToOffset(r.startContainer, r.startOffset, false);
    const b = pointToOffset(r.endContainer, r.endOffset, true);
    if (a == null || b == null || b <= a) return null;
    return { start: a, end: b, rect: r.getBoundingClientRect() };
  }

  // -- the code picker ----------------------------------------------------------------------------------
  function openPicker(mode, target, rect) {
    // mode: "add" (target = span), "recode" (target = coding), "autocode" (target = search)
    closePicker();
    const l = L();
    const box = el("div", "qc-picker");
    const text = model.get("doc").text;
    let title = "";
    const quoted = (s) => `<q>${esc(l.quoted.replace("{text}", s))}</q>`;
    if (mode === "add") title = `${esc(l.code_span)} ${quoted(shorten(sliceCp(text, S.index, target.start, target.end), 70))}`;
    if (mode === "recode") title = esc(l.recode_as);
    if (mode === "autocode") {
      title = `${esc(l.autocode_hits)} ${quoted(target.query)}` +
        `<select class="qc-unit"><option value="sentence">${esc(l.unit_sentence)}</option><option value="turn">${esc(l.unit_turn)}</option><option value="hit">${esc(l.unit_hit)}</option></select>`;
    }
    box.innerHTML = `<div class="qc-p-title">${title}</div><input class="qc-p-q" type="search" placeholder="${esc(l.search_code)}"><div class="qc-p-list"></div>`;
    root.appendChild(box);
    const rootRect = root.getBoundingClientRect();
    const left = Math.min(Math.max(0, rect.left - rootRect.left), Math.max(0, rootRect.width - 340));
    box.style.left = `${left}px`;
    box.style.top = `${rect.bottom - rootRect.top + 6}px`;
    S.picker = { mode, target, box, suggestions: null, active: 0 };
    const q = box.querySelector(".qc-p-q");
    q.addEventListener("input", () => { S.picker.active = 0; S.picker.fresh = true; fillPicker(); });
    q.addEventListener("keydown", pickerKey);
    fillPicker();
    q.focus({ preventScroll: true });
    if (mode === "add" && model.get("can_suggest")) model.send({ type: "suggest_span", start: target.start, end: target.end });
  }

  function shorten(s, n) {
    s = s.replace(/\s+/g, " ").trim();
    return s.length <= n ? s : s.slice(0, n - 1) + "…";
  }

  function fillPicker() {
    const P = S.picker, l = L();
    if (!P) return;
    const q = fold(P.box.querySelector(".qc-p-q").value.trim());
    const rows = [];
    const option = (id, extra, indent) => {
      const c = code(id);
      return { id, html: `<span class="qc-dot" style="background:${c.colour}"></span>` +
        `<span class="qc-p-name" style="padding-left:${indent ? c.depth * 14 : 0}px">${esc(c.name)}</span>${extra || ""}` };
    };
    const matches = (id) => !q || fold(code(id).name).includes(q) || fold(id).includes(q);
    if (P.mode === "add" && model.get("can_suggest")) {
      const found = (P.suggestions || []).filter(([id]) => matches(id));
      if (P.suggestions === null || !q || found.length) rows.push({ head: l.suggested_for_span });
      if (P.suggestions === null) rows.push({ note: l.thinking, wait: true });
      else if (!P.suggestions.length && !q) rows.push({ note: l.no_suggestions });
      else for (const [id, sc, reason] of found) rows.push(option(id, `<span class="qc-score">${score(l, sc)}</span><span class="qc-reason">${esc(reason)}</span>`));
    }
    const recent = model.get("recent").filter((id) => S.codes.has(id) && matches(id));
    if (recent.length) {
      rows.push({ head: l.recent });
      for (const id of recent) rows.push(option(id));
    }
    rows.push({ head: l.all_codes });
    const keep = new Set();
    for (const id of S.order) if (matches(id)) {
      let c = code(id);
      keep.add(id);
      while (c.parent && S.codes.has(c.parent)) { keep.add(c.parent); c = code(c.parent); }
    }
    for (const id of S.order) if (keep.has(id)) rows.push({ ...option(id, "", true), context: !matches(id) });
    let n = 0;
    P.choices = [];
    if (P.fresh) {
      // Enter takes the first code that matches, not a parent shown only for the hierarchy.
      const first = rows.filter((r) => r.id).findIndex((r) => !r.context);
      P.active = Math.max(0, first);
      P.fresh = false;
    }
    P.box.querySelector(".qc-p-list").innerHTML = rows.map((r) => {
      if (r.head) return `<div class="qc-p-head">${esc(r.head)}</div>`;
      if (r.note) return `<div class="qc-p-note${r.wait ? " qc-p-wait" : ""}">${esc(r.note)}</div>`;
      P.choices.push(r.id);
      return `<div class="qc-opt${n === P.active ? " qc-active" : ""}" data-code="${esc(r.id)}" data-n="${n++}">${r.html}</div>`;
    }).join("");
  }

  function pickerKey(e) {
    const P = S.picker;
    if (!P) return;
    e.stopPropagation();
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      P.active = Math.max(0, Math.min(P.choices.length - 1, P.active + (e.key === "ArrowDown" ? 1 : -1)));
      fillPicker();
      const a = P.box.querySelector(".qc-active");
      if (a) a.scrollIntoView({ block: "nearest" });
      e.preventDefault();
    } else if (e.key === "Enter") {
      if (P.choices[P.active]) choose(P.choices[P.active]);
      e.preventDefault();
    } else if (e.key === "Escape") {
      closePicker();
      root.focus({ preventScroll: true });
    }
  }

  function choose(codeId) {
    const P = S.picker;
    if (!P) return;
    if (P.mode === "add") model.send({ type: "add", start: P.target.start, end: P.target.end, code: codeId });
    if (P.mode === "recode") model.send({ type: "recode", id: P.target, code: codeId });
    if (P.mode === "autocode") {
      const unit = P.box.querySelector(".qc-unit").value;
      model.send({ type: "autocode", query: P.target.query, regex: P.target.regex, code: codeId, unit });
    }
    closePicker();
    window.getSelection().removeAllRanges();
    root.focus({ preventScroll: true });
  }

  function closePicker() {
    if (S.picker) S.picker.box.remove();
    S.picker = null;
  }

  // -- the side panel: the selected coding, or a legend ---------------------------------------------------
  function renderSide() {
    const l = L(), all = codingsList();
    const c = all.find((x) => x.id === S.selected);
    if (!c) {
      const counts = new Map();
      for (const x of S.shown || []) counts.set(x.code, (counts.get(x.code) || 0) + 1);
      const legend = S.order.filter((id) => counts.has(id)).map((id) =>
        `<div class="qc-leg" data-code="${esc(id)}"><span class="qc-dot" style="background:${code(id).colour}"></span>${esc(code(id).name)}<span class="qc-n">${counts.get(id)}</span></div>`).join("");
      const nsug = (S.suggestions || []).length;
      sideEl.innerHTML = `<div class="qc-help">${esc(l.help)}</div>` +
        (legend ? `<div class="qc-side-h">${esc(l.codes_in_document)}</div>${legend}` : `<div class="qc-p-note">${esc(l.no_codings)}</div>`) +
        `<div class="qc-side-h">${esc(l.suggestions)}</div><div class="qc-p-note">${esc(nsug ? l.n_suggestions.replace("{n}", nsug) : l.no_open_suggestions)}</div>` +
        `<div class="qc-keys">${esc(l.keys)}</div>`;
      return;
    }
    const k = code(c.code), text = model.get("doc").text;
    const turn = model.get("doc").turns[turnOf(c.start)];
    const statusName = l["status_" + c.status] || c.status;
    const mine = c.coder === model.get("coder");
    const play = turn && turn[4] != null && Object.keys(model.get("media")).length ?
      `<button class="qc-play" data-t="${turn[4]}">▶ ${esc(l.play_from)} ${esc(turn[6])}</button>` : "";
    const others = c.status === "suggested" ? (S.alternatives.get(`${c.start}:${c.end}`) || []).filter((x) => x.id !== c.id) : [];
    const alternatives = others.length ? `<div class="qc-side-h">${esc(l.other_suggestions)}</div>` + others.map((x) =>
      `<div class="qc-alt"><span class="qc-dot" style="background:${code(x.code).colour}"></span><span class="qc-alt-name">${esc(code(x.code).name)}</span>` +
      `<span class="qc-score">${score(l, x.score)}</span><button class="qc-ok" data-sug="${x.id}" title="${esc(l.accept)}">✓</button>` +
      `<button class="qc-no" data-sug="${x.id}" title="${esc(l.reject)}">✗</button></div>`).join("") : "";
    const actions = c.status === "suggested" ?
      `<button class="qc-b-accept">${esc(l.accept)}</button><button class="qc-b-reject">${esc(l.reject)}</button>` :
      `<button class="qc-b-recode">${esc(l.recode)}</button><button class="qc-b-respan">${esc(l.change_span)}</button><button class="qc-b-delete">${esc(l.delete)}</button>`;
    sideEl.innerHTML = `
      <div class="qc-side-code"><span class="qc-dot" style="background:${k.colour}"></span>${esc(k.name)}</div>
      <div class="qc-meta">${esc(c.coder)} · ${esc(statusName)}${c.score != null ? " · " + score(l, c.score) : ""} · ${esc(l["source_" + c.source] || c.source)}</div>
      ${c.reason ? `<div class="qc-reason">${esc(c.reason)}</div>` : ""}
      <blockquote class="qc-quote">${esc(shorten(sliceCp(text, S.index, c.start, c.end), 400))}</blockquote>
      <div class="qc-meta">${esc(l.offsets)} ${c.start}–${c.end}</div>
      ${mine ? `<div class="qc-actions">${actions}</div>` : `<div class="qc-p-note">${esc(l.not_yours)}</div>`}
      ${alternatives}
      ${play}
      ${S.respan === c.id ? `<div class="qc-mode">${esc(l.respan_hint)}</div>` : ""}
      ${c.memo ? `<div class="qc-side-h">${esc(l.memo)}</div><div class="qc-memo-text">${esc(c.memo)}</div>` : ""}
      ${mine ? `<textarea class="qc-memo" placeholder="${esc(l.memo_placeholder)}"></textarea><button class="qc-b-memo">${esc(l.save_memo)}</button>` : ""}
      <div><button class="qc-b-close">${esc(l.close)}</button></div>`;
  }

  function selectCoding(id) {
    // Only classes change: the text is not re-rendered for a click.
    S.selected = id;
    S.respan = null;
    for (const e of root.querySelectorAll(".qc-sel")) e.classList.remove("qc-sel");
    if (id != null) {
      for (const e of docEl.querySelectorAll(`.qc-t[data-c~="${id}"]`)) e.classList.add("qc-sel");
      const stripe = stripesEl.querySelector(`.qc-stripe[data-id="${id}"]`);
      if (stripe) stripe.classList.add("qc-sel");
    }
    renderSide();
  }

  // -- tooltip ---------------------------------------------------------------------------------------------
  function tip(ids, e) {
    const l = L(), all = codingsList();
    const lines = ids.map((id) => all.find((c) => c.id === id)).filter(Boolean).map((c) => {
      const k = code(c.code);
      return `<div><span class="qc-dot" style="background:${k.colour}"></span><b>${esc(k.name)}</b> · ${esc(c.coder)} · ${esc(l["status_" + c.status] || c.status)}` +
        `${c.score != null ? " · " + score(l, c.score) : ""}${c.reason ? `<div class="qc-tip-r">${esc(c.reason)}</div>` : ""}` +
        `${c.memo ? `<div class="qc-tip-m">${esc(l.memo)}: ${esc(shorten(c.memo, 160))}</div>` : ""}</div>`;
    });
    if (!lines.length) { tipEl.style.display = "none"; return; }
    tipEl.innerHTML = lines.join("");
    const r = root.getBoundingClientRect();
    tipEl.style.display = "block";
    tipEl.style.left = `${Math.min(e.clientX - r.left + 14, r.width - 300)}px`;
    tipEl.style.top = `${e.clientY - r.top + 16}px`;
  }

  // -- media -------------------------------------------------------------------------------------------------
  function renderPlayer() {
    const m = model.get("media"), l = L(), box = $(".qc-player");
    if (!m || !m.name) { box.innerHTML = ""; box.style.display = "none"; return; }
    box.style.display = "";
    const tag = m.kind === "video" ? "video" : "audio";
    box.innerHTML = `<span class="qc-media-name" title="${esc(m.name)}">${esc(l.recording)}: ${esc(m.name)}</span><${tag} class="qc-media" controls preload="auto"></${tag}>`;
    S.media = { chunks: [], url: null, pending: null, loading: false };
  }

  function play(t) {
    const media = root.querySelector(".qc-media");
    if (!media) { status(L().no_recording); return; }
    if (S.media.url) {
      media.currentTime = t;
      media.play().catch(() => {});
      return;
    }
    S.media.pending = t;
    if (!S.media.loading) {
      S.media.loading = true;
      status(L().loading_recording);
      model.send({ type: "media" });
    }
  }

  function onMedia(msg, buffers) {
    if (msg.type === "media_chunk") S.media.chunks.push(buffers[0]);
    if (msg.type !== "media_done") return;
    const media = root.querySelector(".qc-media");
    const blob = new Blob(S.media.chunks, { type: model.get("media").mime });
    S.media.chunks = [];
    S.media.url = URL.createObjectURL(blob);
    media.src = S.media.url;
    media.addEventListener("loadedmetadata", () => {
      if (S.media.pending != null) { media.currentTime = S.media.pending; S.media.pending = null; media.play().catch(() => {}); }
      status("");
    }, { once: true });
  }

  // -- toolbar and filters ----------------------------------------------------------------------------------
  function status(text) { $(".qc-status").textContent = text; }

  function renderBar() {
    const l = L(), doc = model.get("doc");
    $(".qc-docs").innerHTML = (doc.documents || []).map(([id, name]) => `<option value="${id}"${id === doc.id ? " selected" : ""}>${esc(name)}</option>`).join("");
    $(".qc-q").placeholder = l.search_text;
    $(".qc-find").textContent = l.find;
    $(".qc-prev-hit").title = l.previous_hit;
    $(".qc-next-hit").title = l.next_hit;
    $(".qc-autocode").textContent = l.code_all_hits;
    $(".qc-undo").textContent = "↶ " + l.undo;
    const sd = $(".qc-suggest-doc");
    sd.textContent = l.suggest_document;
    sd.title = l.suggest_document_help;
    sd.style.display = model.get("can_suggest") ? "" : "none";
    $(".qc-threshold").value = model.get("threshold");
    $(".qc-thr-label").textContent = l.threshold.replace("{score}", score(l, model.get("threshold")));
    const codesSel = [`<option value="">${esc(l.all_codes)}</option>`, ...S.order.map((id) =>
      `<option value="${esc(id)}"${S.filters.code === id ? " selected" : ""}>${"\u00a0\u00a0".repeat(code(id).depth)}${esc(code(id).name)}</option>`)];
    $(".qc-f-code").innerHTML = codesSel.join("");
    const st = ["open", "accepted", "suggested", "needs_review", "rejected", "all"];
    $(".qc-f-status").innerHTML = st.map((s) => `<option value="${s}"${S.filters.status === s ? " selected" : ""}>${esc(l["filter_" + s])}</option>`).join("");
    const roles = [...new Set(doc.turns.map((t) => (t[5] ? "interviewer" : t[3])).filter(Boolean))];
    $(".qc-f-role").innerHTML = [`<option value="">${esc(l.all_roles)}</option>`, ...roles.map((r) =>
      `<option value="${esc(r)}"${S.filters.role === r ? " selected" : ""}>${esc(r === "interviewer" ? l.interviewer : r)}</option>`)].join("");
    renderCoders();
    const others = $(".qc-others");
    others.checked = model.get("show_others");
    others.disabled = !model.get("others_allowed");
    $(".qc-others-l span").textContent = l.show_others;
    $(".qc-others-l").title = model.get("others_allowed") ? "" : l.blind_mode;
  }

  function renderCoders() {
    // The coder filter matters once other coders' codings are shown.
    const l = L(), coders = [...new Set(codingsList().map((c) => c.coder))].sort();
    const coderSel = $(".qc-f-coder");
    coderSel.style.display = coders.length > 1 ? "" : "none";
    if (!coders.includes(S.filters.coder)) S.filters.coder = "";
    coderSel.innerHTML = [`<option value="">${esc(l.all_coders)}</option>`, ...coders.map((c) =>
      `<option value="${esc(c)}"${S.filters.coder === c ? " selected" : ""}>${esc(c)}</option>`)].join("");
  }

  function rerender() {
    renderDoc();
    renderSide();
  }

  function focusSpan() {
    const f = model.get("focus");
    if (!f || f.length < 2 || !S.pieces || !S.pieces.length) return;
    const p = S.pieces[pieceAt(f[0], false)];
    if (!p) return;
    p.scrollIntoView({ block: "center" });
    for (let i = pieceAt(f[0], false); i >= 0 && i <= pieceAt(f[1], true); i++) {
      S.pieces[i].classList.add("qc-flash");
      setTimeout(() => S.pieces[i] && S.pieces[i].classList.remove("qc-flash"), 1600);
    }
  }

  function moveHit(step) {
    const hits = model.get("search_hits");
    if (!hits.length) return;
    S.hitIndex = (S.hitIndex + step + hits.length) % hits.length;
    const p = S.pieces[pieceAt(hits[S.hitIndex][0], false)];
    if (p) p.scrollIntoView({ block: "center" });
    status(L().hit_n.replace("{i}", S.hitIndex + 1).replace("{n}", hits.length));
  }

  function moveSuggestion(step) {
    const list = S.suggestions || [];
    if (!list.length) return;
    S.sugFocus = (S.sugFocus + step + list.length) % list.length;
    renderDoc();
    const chipEl = docEl.querySelector(".qc-chip.qc-focus");
    if (chipEl) chipEl.scrollIntoView({ block: "center" });
  }

  function decideFocused(kind) {
    const s = (S.suggestions || [])[S.sugFocus];
    if (s) model.send({ type: kind, id: s.id });
  }

  // -- events -----------------------------------------------------------------------------------------------
  // A double or triple click is several mouseups: only the last one's selection opens the picker.
  // Input events can overtake the timer (a busy page), and a picker opened by an early mouseup
  // would take the focus, and with it the selection, from the later one.
  docEl.addEventListener("mousedown", () => { clearTimeout(S.pickTimer); });
  docEl.addEventListener("mouseup", (e) => {
    if (e.target.closest(".qc-chip, .qc-play")) return;
    clearTimeout(S.pickTimer);
    S.pickTimer = setTimeout(() => {
      const span = selectionSpan();
      if (!span) return;
      if (S.respan != null) {
        model.send({ type: "respan", id: S.respan, start: span.start, end: span.end });
        S.respan = null;
        window.getSelection().removeAllRanges();
        return;
      }
      openPicker("add", span, span.rect);
    }, 0);
  });

  root.addEventListener("click", (e) => {
    const t = e.target;
    const sug = t.closest(".qc-ok, .qc-no");
    if (sug) { model.send({ type: t.closest(".qc-ok") ? "accept" : "reject", id: +sug.dataset.sug }); return; }
    const moreBtn = t.closest(".qc-more, .qc-chip .qc-cname");
    if (moreBtn) { selectCoding(+t.closest(".qc-chip").dataset.sug); return; }
    const playBtn = t.closest(".qc-play");
    if (playBtn) { play(+playBtn.dataset.t); return; }
    const opt = t.closest(".qc-opt");
    if (opt) { choose(opt.dataset.code); return; }
    if (S.picker && !t.closest(".qc-picker")) closePicker();
    const stripe = t.closest(".qc-stripe");
    if (stripe) { selectCoding(+stripe.dataset.id); return; }
    const leg = t.closest(".qc-leg");
    if (leg) { S.filters.code = S.filters.code === leg.dataset.code ? "" : leg.dataset.code; renderBar(); rerender(); return; }
    const coded = t.closest(".qc-coded");
    if (coded && window.getSelection().isCollapsed) {
      const ids = coded.dataset.c.split(" ").map(Number);
      const at = ids.indexOf(S.selected);
      selectCoding(ids[(at + 1) % ids.length]);  // clicking again cycles through overlapping codings
      return;
    }
    const sugText = t.closest(".qc-sugg");
    if (sugText && window.getSelection().isCollapsed) { selectCoding(+sugText.dataset.g.split(" ")[0]); return; }
    if (t.closest(".qc-b-close")) { selectCoding(null); return; }
    if (t.closest(".qc-b-accept")) { model.send({ type: "accept", id: S.selected }); return; }
    if (t.closest(".qc-b-reject")) { model.send({ type: "reject", id: S.selected }); return; }
    if (t.closest(".qc-b-delete")) { model.send({ type: "delete", id: S.selected }); S.selected = null; return; }
    if (t.closest(".qc-b-respan")) { S.respan = S.selected; renderSide(); status(L().respan_hint); return; }
    if (t.closest(".qc-b-recode")) { openPicker("recode", S.selected, t.getBoundingClientRect()); return; }
    if (t.closest(".qc-b-memo")) { model.send({ type: "memo", id: S.selected, text: sideEl.querySelector(".qc-memo").value }); return; }
    if (t.closest(".qc-undo")) { model.send({ type: "undo" }); return; }
    if (t.closest(".qc-suggest-doc")) { status(L().thinking); model.send({ type: "suggest_document" }); return; }
    if (t.closest(".qc-find")) { search(); return; }
    if (t.closest(".qc-prev-hit")) { moveHit(-1); return; }
    if (t.closest(".qc-next-hit")) { moveHit(1); return; }
    if (t.closest(".qc-autocode")) {
      const query = $(".qc-q").value.trim();
      if (!query) { status(L().search_first); return; }
      openPicker("autocode", { query, regex: $(".qc-regex").checked }, t.getBoundingClientRect());
    }
  });

  function search() {
    S.hitIndex = -1;
    model.send({ type: "search", query: $(".qc-q").value, regex: $(".qc-regex").checked });
  }

  root.addEventListener("mouseover", (e) => {
    const t = e.target.closest(".qc-coded, .qc-stripe, .qc-sugg");
    if (!t) { tipEl.style.display = "none"; return; }
    const ids = t.classList.contains("qc-stripe") ? [+t.dataset.id] : [
      ...(t.dataset.c ? t.dataset.c.split(" ").map(Number) : []), ...(t.dataset.g ? t.dataset.g.split(" ").map(Number) : [])];
    tip(ids, e);
  });
  root.addEventListener("mouseleave", () => { tipEl.style.display = "none"; });

  $(".qc-q").addEventListener("keydown", (e) => { e.stopPropagation(); if (e.key === "Enter") search(); });
  $(".qc-docs").addEventListener("change", (e) => { S.selected = null; model.send({ type: "open", id: +e.target.value }); });
  $(".qc-threshold").addEventListener("input", (e) => {
    model.set("threshold", +e.target.value);
    model.save_changes();
  });
  const refilter = () => {
    S.filters.code = $(".qc-f-code").value;
    S.filters.status = $(".qc-f-status").value;
    S.filters.role = $(".qc-f-role").value;
    S.filters.coder = $(".qc-f-coder").value;
    rerender();
  };
  for (const sel of [".qc-f-code", ".qc-f-status", ".qc-f-role", ".qc-f-coder"]) $(sel).addEventListener("change", refilter);
  $(".qc-others").addEventListener("change", (e) => { model.set("show_others", e.target.checked); model.save_changes(); });

  root.addEventListener("keydown", (e) => {
    if (e.target.closest("input, textarea, select")) { e.stopPropagation(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    const handled = { n: () => moveSuggestion(1), p: () => moveSuggestion(-1), a: () => decideFocused("accept"),
      r: () => decideFocused("reject"), u: () => model.send({ type: "undo" }),
      escape: () => { closePicker(); S.respan = null; selectCoding(null); } }[k];
    if (handled) { handled(); e.preventDefault(); e.stopPropagation(); }
  });

  function codingsChanged() {
    // A reload sets codings and codings_patches in one message: two events, one new list.
    if (rows() === S.shownRows) return;
    S.shownRows = rows();
    renderCoders();
    if (S.sugFocus >= 0) S.sugFocus = Math.min(S.sugFocus, Math.max(0, visible().suggestions.length - 1));
    rerender();
  }

  model.on("msg:custom", (msg, buffers) => {
    if (msg.type === "span_suggestions" && S.picker && S.picker.mode === "add" &&
        S.picker.target.start === msg.start && S.picker.target.end === msg.end) {
      S.picker.suggestions = msg.items;
      fillPicker();
    }
    onMedia(msg, buffers);
  });

  model.on("change:doc", () => {
    S.index = makeIndex(model.get("doc").text || "");
    S.selected = null;
    S.sugFocus = -1;
    renderBar();
    rerender();
    scrollEl.scrollTop = 0;
  });
  model.on("change:codes", () => { loadCodes(); renderBar(); rerender(); });
  model.on("change:codings", codingsChanged);
  model.on("change:codings_patches", codingsChanged);
  model.on("change:search_hits", renderDoc);
  model.on("change:threshold", () => { renderBar(); rerender(); });
  model.on("change:show_others", renderBar);
  model.on("change:others_allowed", renderBar);
  model.on("change:media", renderPlayer);
  model.on("change:focus", focusSpan);
  const playRequest = () => { const r = model.get("play_request"); if (r && r.length) play(r[0]); };
  model.on("change:play_request", playRequest);
  model.on("change:status", () => status(model.get("status")));
  const resize = new ResizeObserver(scheduleStripes);
  resize.observe(docEl);

  loadCodes();
  S.shownRows = rows();
  S.index = makeIndex(model.get("doc").text || "");
  renderBar();
  renderPlayer();
  rerender();
  status(model.get("status"));
  focusSpan();
  playRequest();
  root.__qc = { S, toCp: (u) => toCp(S.index, u), toU16: (c) => toU16(S.index, c) };  // for tests and benchmarks
  return () => resize.disconnect();
}

export default { render };
