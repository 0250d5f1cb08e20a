// zkPFL dashboard: the job list (GET /api/v1/jobs) and one job live (GET /api/v1/jobs/{id}/events, server-sent events).
// Plain script, no library: everything it shows comes from this marketplace, which reads the reward engine's audit API.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const state = { jobId: null, source: null, job: null, rounds: new Map(), audit: null, ended: false };

function $(selector) { return document.querySelector(selector); }

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function row(cells, attrs) {
  const tr = el("tr", null, attrs);
  for (const c of cells) {
    const td = document.createElement("td");
    if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "–" : String(c);
    tr.appendChild(td);
  }
  return tr;
}

function short(hex) {
  if (!hex) return "–";
  return hex.length > 14 ? hex.slice(0, 8) + "…" + hex.slice(-4) : hex;
}

function hash(hex) {
  const c = el("code", short(hex), { class: "hash" });
  if (hex) c.title = hex;
  return c;
}

function tokens(baseUnits) {
  if (baseUnits === null || baseUnits === undefined) return "–";
  const v = BigInt(baseUnits);
  const whole = v / 10n ** 18n;
  const frac = (v % 10n ** 18n).toString().padStart(18, "0").slice(0, 4);
  return whole.toString() + "." + frac;
}

function percent(ppm) { return ppm === null || ppm === undefined ? "–" : (ppm / 10000).toFixed(2) + " %"; }

// ---------------------------------------------------------------- the job list

async function loadJobs() {
  try {
    const r = await fetch("/api/v1/jobs?size=50", { headers: { Accept: "application/json" } });
    const page = await r.json();
    if (!r.ok) throw new Error(page.detail || r.statusText);
    const body = $("#jobs tbody");
    body.replaceChildren();
    for (const j of page.items) {
      const tr = row([j.id, j.status, j.chainJobId || (j.submission || ""), j.maxRounds,
        (j.createdAt || "").replace("T", " ").slice(5, 16)], { "data-job": j.id });
      if (String(j.id) === String(state.jobId)) tr.classList.add("selected");
      tr.addEventListener("click", () => { location.hash = "job=" + j.id; });
      body.appendChild(tr);
    }
    $("#jobs-note").textContent = page.total + " job(s)" + (page.items.length ? "; pick one to follow it live." : ".");
  } catch (e) {
    $("#jobs-note").textContent = "The job list could not be read: " + e.message;
  }
}

// ---------------------------------------------------------------- one job, live

function follow(id) {
  if (state.source) state.source.close();
  Object.assign(state, { jobId: id, source: null, job: null, rounds: new Map(), audit: null, ended: false });
  $("#job-panel").hidden = id === null;
  if (id === null) return;
  $("#job-title").textContent = "Job " + id;
  render();
  const source = new EventSource("/api/v1/jobs/" + encodeURIComponent(id) + "/events");
  state.source = source;
  $("#stream-state").textContent = "Connecting…";
  source.addEventListener("open", () => { $("#stream-state").textContent = "Live: updates arrive as the chain moves."; });
  source.addEventListener("job", e => { state.job = JSON.parse(e.data); render(); });
  source.addEventListener("round", e => { const r = JSON.parse(e.data); state.rounds.set(r.round, r); render(); });
  source.addEventListener("audit", e => { state.audit = JSON.parse(e.data); render(); });
  source.addEventListener("end", () => {
    state.ended = true;
    source.close();
    $("#stream-state").textContent = "The job has finished; this is its final state.";
    render();
  });
  source.addEventListener("error", () => {
    if (!state.ended) $("#stream-state").textContent = "The stream was interrupted; reconnecting…";
  });
}

function render() {
  renderSummary();
  renderPlot();
  renderRounds();
  renderParticipants();
  const a = state.audit;
  const banner = $("#audit-banner");
  banner.hidden = !a || a.state === "ok";
  if (a && a.state !== "ok") banner.textContent = (a.state === "not-configured" ? "" : "Unavailable: ") + a.detail;
}

function renderSummary() {
  const dl = $("#job-summary");
  dl.replaceChildren();
  const j = state.job;
  if (!j) return;
  const c = j.chain || {};
  const add = (k, v) => { dl.appendChild(el("dt", k)); const d = el("dd"); if (v instanceof Node) d.appendChild(v); else d.textContent = v; dl.appendChild(d); };
  add("status", el("span", j.status + (c.status ? " · chain " + c.status : ""), { class: "status-" + (c.status || j.status), id: "job-status" }));
  add("chain job", j.chainJobId || "not on chain yet (" + j.submission + ")");
  add("round", c.round === undefined ? "–" : (c.status === "ACTIVE" ? "round " + c.round + " (of 0–" + (j.maxRounds - 1) + "), attempt " + c.attempt : (c.roundsPaid || 0) + " paid of " + j.maxRounds));
  add("target accuracy", (Number(j.targetAccuracy) * 100).toFixed(2) + " %");
  add("committee", j.committee.threshold + " of " + j.committee.size + " nodes");
  if (c.escrowed) add("escrow", tokens(c.escrowed) + " · paid " + tokens(c.paid) + " · remaining " + tokens(c.remaining));
  if (c.error) add("chain", c.error);
  if (j.privacy) {
    add("privacy", "(ε = " + j.privacy.epsilon + ", δ = " + j.privacy.delta + ") over the job; ε spent " +
      j.privacy.spent.epsilon.toFixed(3) + " after " + j.privacy.spent.completedRounds + " round(s); " +
      j.privacy.roundsWithinBudget + " rounds fit the budget");
  }
}

function renderPlot() {
  const svg = $("#accuracy-plot");
  svg.replaceChildren();
  const j = state.job;
  const W = 640, H = 260, left = 48, right = 16, top = 14, bottom = 34;
  const maxRounds = Math.max(1, j ? j.maxRounds : 1);
  const x = r => left + (maxRounds === 1 ? (W - left - right) / 2 : r * (W - left - right) / (maxRounds - 1));
  const y = acc => top + (1 - acc) * (H - top - bottom);
  const line = (x1, y1, x2, y2, cls) => { const l = document.createElementNS(SVG, "line");
    Object.entries({ x1, y1, x2, y2, class: cls }).forEach(([k, v]) => l.setAttribute(k, v)); svg.appendChild(l); };
  const text = (tx, ty, s, anchor) => { const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", tx); t.setAttribute("y", ty); t.setAttribute("text-anchor", anchor || "middle"); t.textContent = s; svg.appendChild(t); };
  for (let a = 0; a <= 1.0001; a += 0.2) {
    line(left, y(a), W - right, y(a), "grid");
    text(left - 6, y(a) + 4, Math.round(a * 100) + " %", "end");
  }
  line(left, top, left, H - bottom, "axis");
  line(left, H - bottom, W - right, H - bottom, "axis");
  const step = Math.max(1, Math.ceil(maxRounds / 12));
  for (let r = 0; r < maxRounds; r += step) text(x(r), H - bottom + 16, String(r));
  text((left + W - right) / 2, H - 4, "round");
  if (j) {
    line(left, y(Number(j.targetAccuracy)), W - right, y(Number(j.targetAccuracy)), "target");
    text(W - right, y(Number(j.targetAccuracy)) - 4, "target", "end");
  }
  const points = [...state.rounds.values()].filter(r => r.result && r.result.accuracyPpm > 0)
    .sort((a, b) => a.round - b.round).map(r => [r.round, r.result.accuracyPpm / 1e6]);
  if (points.length > 1) {
    const p = document.createElementNS(SVG, "polyline");
    p.setAttribute("class", "line");
    p.setAttribute("points", points.map(([r, a]) => x(r) + "," + y(a)).join(" "));
    svg.appendChild(p);
  }
  for (const [r, a] of points) {
    const c = document.createElementNS(SVG, "circle");
    c.setAttribute("class", "point");
    c.setAttribute("cx", x(r));
    c.setAttribute("cy", y(a));
    c.setAttribute("r", 4);
    c.setAttribute("data-round", r);
    const t = document.createElementNS(SVG, "title");
    t.textContent = "round " + r + ": " + (a * 100).toFixed(2) + " %";
    c.appendChild(t);
    svg.appendChild(c);
    text(x(r) + (r === 0 ? 6 : 0), y(a) - 8, (a * 100).toFixed(1) + " %", r === 0 ? "start" : "middle");
  }
}

function renderRounds() {
  const body = $("#rounds tbody");
  body.replaceChildren();
  const dp = !!(state.job && state.job.privacy);
  $("#epsilon-column").hidden = !dp;
  for (const r of [...state.rounds.values()].sort((a, b) => a.round - b.round)) {
    const a = r.attempts && r.attempts.length ? r.attempts[r.attempts.length - 1] : {};
    const res = r.result;
    body.appendChild(row([
      r.round,
      (a.attempt === undefined ? "–" : a.attempt) + (a.outcome ? " (" + a.outcome + ")" : ""),
      (a.commits || []).length,
      a.included ? a.included.trainers.length + " (" + a.included.sampleSum + ")" : null,
      (a.openings || []).length,
      a.certified ? hash(a.certified.tx) : null,
      (a.reveals || []).length,
      a.aggregate ? hash(a.aggregate.tx) : null,
      res ? hash(res.tx) : null,
      res ? percent(res.accuracyPpm) : null,
      res ? tokens(res.paid) : null,
      r.epsilon === undefined ? null : r.epsilon.toFixed(3)
    ], { "data-round": r.round }));
    if (!dp) body.lastChild.lastChild.remove();
  }
}

function renderParticipants() {
  const j = state.job;
  const p = j && j.participants;
  const committee = (p && p.committee) || (j && j.chain && j.chain.committee) || [];
  const earned = new Map();
  const payments = [];
  const openings = new Map();
  const reveals = new Map();
  const trainers = new Map();
  for (const r of [...state.rounds.values()].sort((a, b) => a.round - b.round)) {
    for (const pay of r.payments || []) {
      earned.set(pay.account, (earned.get(pay.account) || 0n) + BigInt(pay.amount));
      payments.push(pay);
    }
    for (const a of r.attempts || []) {
      for (const o of a.openings || []) {
        if (!openings.has(o.node)) openings.set(o.node, []);
        openings.get(o.node).push([r.round, o.tx]);
      }
      for (const v of a.reveals || []) reveals.set(v.node, (reveals.get(v.node) || 0) + 1);
      for (const c of a.commits || []) {
        const t = trainers.get(c.trainer) || { index: c.index, rounds: 0, samples: 0 };
        t.rounds += 1;
        t.samples += c.samples;
        trainers.set(c.trainer, t);
      }
    }
  }
  const cBody = $("#committee tbody");
  cBody.replaceChildren();
  committee.forEach((node, k) => {
    const list = el("span");
    for (const [round, tx] of openings.get(node) || []) {
      list.appendChild(document.createTextNode(round + ": "));
      list.appendChild(hash(tx));
      list.appendChild(document.createTextNode(" "));
    }
    cBody.appendChild(row([k + 1, hash(node), list, reveals.get(node) || 0, tokens((earned.get(node) || 0n).toString())]));
  });
  const tBody = $("#trainers tbody");
  tBody.replaceChildren();
  const joined = (p && p.trainers) || [...trainers.keys()];
  for (const addr of joined) {
    const t = trainers.get(addr) || { index: null, rounds: 0, samples: 0 };
    tBody.appendChild(row([t.index, hash(addr), t.rounds, t.samples, tokens((earned.get(addr) || 0n).toString())]));
  }
  const pBody = $("#payments tbody");
  pBody.replaceChildren();
  for (const pay of payments) pBody.appendChild(row([pay.round, pay.role, hash(pay.account), tokens(pay.amount), hash(pay.tx)]));
}

function route() {
  const m = /job=(\d+)/.exec(location.hash);
  follow(m ? m[1] : null);
  loadJobs();
}

window.addEventListener("hashchange", route);
route();
setInterval(loadJobs, 5000);
