#!/usr/bin/env python3
"""Turns one run of bench/suite.sh into bench/results/<date>.md and .json and the results block of
docs/PERFORMANCE.md.

    python3 bench/suite/report.py RUN_DIR [--root REPO]

RUN_DIR holds what the suite wrote: meta.txt (machine, commit, load, times) and per bench
NAME.out (its stdout), NAME.status ("exit=N seconds=S" per run) and NAME.commands. Each bench
prints KEY=VALUE lines; older versions printed prose, which is parsed as a fallback. A key that is
missing shows as "n/a", never as an error: the benches change while the suite stays.

Standard library only, so it runs wherever python3 does.
"""

import argparse
import json
import math
import os
import re
import sys
from pathlib import Path

KV = re.compile(r"^([A-Za-z][A-Za-z0-9_.\-]*)=(.*)$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # Maven's colour codes end up on the benches' stdout
RESULTS_BEGIN = "<!-- bench-suite results: begin"
RESULTS_END = "<!-- bench-suite results: end -->"


# ---- reading a run ------------------------------------------------------------------------------


class Output:
    """The KEY=VALUE lines and the remaining text of one bench's stdout (or one section of it)."""

    def __init__(self, text):
        self.text = text = ANSI.sub("", text)
        self.values = {}
        for line in text.splitlines():
            m = KV.match(line.strip())
            if m:
                self.values.setdefault(m.group(1), []).append(m.group(2).strip())

    def num(self, *keys):
        """The last value of the first key present, as a float; None if absent or not a number."""
        for key in keys:
            for raw in reversed(self.values.get(key, [])):
                n = to_number(raw)
                if n is not None:
                    return n
        return None

    def mean(self, key):
        nums = [n for n in (to_number(v) for v in self.values.get(key, [])) if n is not None]
        return sum(nums) / len(nums) if nums else None

    def text_value(self, key):
        vals = self.values.get(key)
        return vals[-1] if vals else None

    def search(self, pattern, group=1):
        m = None
        for m in re.finditer(pattern, self.text, re.MULTILINE):
            pass
        return to_number(m.group(group)) if m else None

    def flat(self):
        return {k: (v[0] if len(v) == 1 else v) for k, v in self.values.items()}


def to_number(raw):
    if raw is None:
        return None
    s = str(raw).strip().replace(",", "").replace("\u202f", "").replace(" ", "")
    m = re.match(r"^(-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(%|ms|s|us|KB|MB)?$", s)
    if not m:
        return None
    n = float(m.group(1))
    unit = m.group(2)
    if unit == "s":
        n *= 1000.0
    elif unit == "us":
        n /= 1000.0
    return n if math.isfinite(n) else None


def read_meta(run_dir):
    meta = {}
    for line in (run_dir / "meta.txt").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            meta[k] = v
    return meta


def read_status(run_dir, name):
    """(state, seconds, exit codes): state is ok, failed, timed out, not available or not run."""
    f = run_dir / f"{name}.status"
    if not f.exists():
        return "not run", 0, []
    codes, seconds = [], 0
    for line in f.read_text().splitlines():
        m = re.match(r"exit=(-?\d+) seconds=(\d+)", line)
        if m:
            codes.append(int(m.group(1)))
            seconds += int(m.group(2))
    if codes == [-1]:
        return "not available", 0, codes
    if 130 in codes:
        return "interrupted", seconds, codes
    if any(c in (124, 137) for c in codes):
        return "timed out", seconds, codes
    if any(c != 0 for c in codes):
        return "failed", seconds, codes
    return "ok", seconds, codes


def sections(text):
    """Splits a stdout with "# run=NAME" marker lines into {NAME: Output}."""
    out, name, buf = {}, None, []
    for line in text.splitlines():
        m = re.match(r"^# run=(\S+)", line)
        if m:
            if name:
                out[name] = Output("\n".join(buf))
            name, buf = m.group(1), []
        else:
            buf.append(line)
    if name:
        out[name] = Output("\n".join(buf))
    return out


# ---- figures -----------------------------------------------------------------------------------


def figure(bench, name, value=None, unit="", baseline=None, ratio=None, target=None,
           on="ratio", shown=None, baseline_shown=None, note=""):
    """One row. target = (op, number, text) and on = which number it applies to."""
    row = {
        "bench": bench, "figure": name, "value": value, "unit": unit, "baseline": baseline,
        "ratio": ratio, "target": None, "met": None, "note": note,
        "value_shown": shown if shown is not None else fmt(value, unit),
        "baseline_shown": baseline_shown if baseline_shown is not None else fmt(baseline, unit),
    }
    if target:
        op, limit, text = target
        row["target"] = {"on": on, "op": op, "value": limit, "text": text}
        actual = ratio if on == "ratio" else value
        if actual is not None:
            row["met"] = {"<=": actual <= limit, "<": actual < limit, ">=": actual >= limit,
                          "==": actual == limit}[op]
    return row


def fmt(n, unit=""):
    if n is None:
        return "n/a"
    if isinstance(n, bool):
        return str(n).lower()
    if abs(n) >= 100:
        s = f"{n:,.0f}".replace(",", " ")
    elif abs(n) >= 10:
        s = f"{n:.1f}"
    else:
        s = f"{n:.2f}"
    return f"{s} {unit}".strip()


def with_p99(value, unit, p99_ms):
    return fmt(value, unit) + (f" (p99 {fmt(p99_ms, 'ms')})" if value is not None and p99_ms is not None else "")


def ratio_of(a, b):
    return a / b if a is not None and b else None


def ingest_figures(out, mode):
    b = "ingest"
    fresh_p99 = out.num("freshness.p99_ms")
    fresh_p99 = fresh_p99 if fresh_p99 is not None and fresh_p99 >= 0 else None
    extra = []
    for label, key in (("p50", "freshness.p50_ms"), ("max", "freshness.max_ms")):
        v = out.num(key)
        if v is not None:
            extra.append(f"{label} {fmt(v, 'ms')}")
    lost = out.num("freshness.not_visible_after_30s")
    if lost:
        extra.append(f"{lost:.0f} not visible after 30 s")
    return [
        figure(b, "ingest batch: events/s through `POST /stats` (NDJSON, 1 000 per request)",
               out.num("batch.http_events_per_s"), "events/s",
               out.num("batch.producer_events_per_s"),
               out.num("batch.ratio") or ratio_of(out.num("batch.http_events_per_s"),
                                                   out.num("batch.producer_events_per_s")),
               (">=", 0.6, "≥ 0.6"), note="baseline: a plain Kafka producer, same records"),
        *[single_figure(out, prefix, label) for prefix, label in (
            ("single", "ingest single event: requests/s of `POST /stats`, {c} connections"
                       " (latency-bound: each 202 waits for its commit)"),
            ("single_saturated", "ingest single event at saturation: requests/s of"
                                 " `POST /stats`, {c} connections (CPU-bound)"))],
        figure(b, "sink freshness: 202 → row visible in ClickHouse, p99", fresh_p99, "ms",
               target=("<", 1000, "< 1 000 ms"), on="value",
               shown=fmt(fresh_p99, "ms") + (f" ({', '.join(extra)})" if extra else "")),
    ]


def single_figure(out, prefix, label):
    stats, noop = out.mean(prefix + ".stats.requests_per_s"), out.mean(prefix + ".noop.requests_per_s")
    connections = out.num(prefix + ".connections")
    return figure("ingest", label.format(c=f"{connections:.0f}" if connections else "?"), stats, "req/s", noop,
                  out.num(prefix + ".ratio") or ratio_of(stats, noop),
                  (">=", 0.7, "≥ 0.7"), note="baseline: a no-op endpoint of the same server",
                  shown=with_p99(stats, "req/s", out.mean(prefix + ".stats.p99")),
                  baseline_shown=with_p99(noop, "req/s", out.mean(prefix + ".noop.p99")))


QUERY_SCENARIOS = [
    # (prefix of the scenario in results.md, key prefix, label, target)
    ("full range (", "full_range", "query full range, all clients: `GET /stats` p50",
     ("<=", 0.2, "≤ 0.2")),
    ("full range, one client", "full_range_one_client",
     "query full range, one client: `GET /stats` p50", None),
    ("one day", "one_day", "query one day, unaligned edges: `GET /stats` p50", None),
    ("one hour", "one_hour", "query one hour, unaligned edges: `GET /stats` p50",
     ("<=", 1.5, "≤ 1.5")),
]


def query_table(text):
    """{scenario: {column: value}} from the markdown table QueryBench prints and writes."""
    rows, header = {}, None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "scenario":
            header = cells
        elif header and cells[0] and not set(cells[0]) <= set("-: "):
            rows[cells[0]] = dict(zip(header, cells))
    return rows


def query_figures(out, run_dir):
    b = "query"
    text = out.text
    extra = run_dir / "query-results.md"
    if extra.exists():
        text = text + "\n\n" + extra.read_text()
    table = query_table(text)
    rows = []
    for prefix, key, label, target in QUERY_SCENARIOS:
        row = next((r for name, r in table.items() if name.startswith(prefix)), {})
        api = out.num(f"{key}.api_p50_ms") or to_number(row.get("API p50 ms"))
        raw = out.num(f"{key}.raw_p50_ms", f"{key}.sql_p50_ms") or to_number(row.get("raw SQL p50 ms"))
        ratio = out.num(f"{key}.ratio_p50") or to_number(row.get("API/raw p50")) or ratio_of(api, raw)
        rows.append(figure(b, label, api, "ms", raw, ratio, target,
                           note="baseline: count()/countIf over the raw table, same range"))
    share = out.num("rollup_share_of_raw")
    if share is None:
        share = (Output(text).search(r"^\|\s*all rollups\s*\|[^|]*\|[^|]*\|\s*([\d.]+)\s*%") or 0) / 100 or None
    elif share > 1.5:  # printed as a percentage
        share /= 100
    rows.append(figure(b, "query rollups on disk, share of the raw table", share, "",
                       shown=f"{share * 100:.0f} %" if share is not None else "n/a",
                       note="uniform red over 100 clients: the least the rollups compress"))
    return rows


def notifier_figures(out, mode, runs):
    b = "notifier"
    parts = sections(out.text)

    def alerts(o):
        return o.num("alerts_per_s") if o else None

    def alerts_prose(o):
        return o.search(r"alerts received while measuring: \d+ \((\d+) alerts/s\)") if o else None

    def lat(o, q):
        if not o:
            return None
        v = o.num(f"latency_{q}_ms")
        v = v if v is not None else o.search(rf"event-to-alert latency:.*?\b{q} (-?\d+) ms")
        return v if v is not None and v >= 0 else None  # -1: no alert arrived to measure

    def heap(o):
        if not o:
            return None
        v = o.num("heap_per_connection_bytes")
        if v is None:
            kb = o.search(r"~(-?\d+) KB per connection")
            v = kb * 1024 if kb is not None else None
        return v

    fan, latency = parts.get("fanout"), parts.get("latency")
    fan_args = runs.get("fanout", "")
    rows = []
    if "fanout" in runs:
        v = alerts(fan)
        v = v if v is not None else alerts_prose(fan)
        rows.append(figure(b, "notifier fan-out: alerts/s at WebSocket clients (one node)", v,
                           "alerts/s", target=(">=", 100_000, "≥ 100 000 (10 000 subscribers)"),
                           on="value", note=f"run.sh {fan_args}"))
    else:
        rows.append(figure(b, "notifier fan-out: alerts/s at WebSocket clients (one node)",
                           target=(">=", 100_000, "≥ 100 000 (10 000 subscribers)"), on="value",
                           shown="not run in --quick"))
        rows[-1]["skipped"] = True
    p99, p50 = lat(latency, "p99"), lat(latency, "p50")
    details = [f"p50 {fmt(p50, 'ms')}"] if p50 is not None else []
    lost, due = (latency.num("alerts_lost"), latency.num("alerts_due")) if latency else (None, None)
    if lost:
        details.append(f"{fmt(lost)} of {fmt(due)} alerts lost" if due else f"{fmt(lost)} alerts lost")
    rows.append(figure(b, "notifier event → alert latency p99, 2 000 events/s, 1 000 subscribers",
                       p99, "ms", target=("<", 50, "< 50 ms"), on="value",
                       shown=fmt(p99, "ms") + (f" ({', '.join(details)})" if details else ""),
                       note=f"run.sh {runs.get('latency', '')}"))
    h = heap(fan) if heap(fan) is not None else heap(latency)
    rows.append(figure(b, "notifier heap per connection (upper bound, no forced GC)", h, "bytes",
                       shown=f"{h / 1024:.0f} KB" if h is not None else "n/a"))
    return rows


RED_LINE = re.compile(
    r"^(?P<name>\S.*?)\s+(?P<mp>[\d.]+) MP\s+decode\s+(?P<dec>[\d.]+) MP/s\s+measure\s+"
    r"(?P<meas>[\d.]+) MP/s\s+measure/decode\s+(?P<pct>[\d.]+) %", re.MULTILINE)


def red_figures(out):
    b = "red"
    found = {m.group("name").strip(): m for m in RED_LINE.finditer(out.text)}
    rows = []
    for name in ("12 MP JPEG", "1 MP PNG"):
        key = "jpeg" if "JPEG" in name else "png"
        m = found.get(name)
        dec = out.num(f"{key}.decode_mp_per_s") or (float(m.group("dec")) if m else None)
        meas = out.num(f"{key}.measure_mp_per_s") or (float(m.group("meas")) if m else None)
        ratio = out.num(f"{key}.measure_over_decode") or (float(m.group("pct")) / 100 if m else None)
        rows.append(figure(b, f"red fraction vs decoding, {name}: measure time / decode time",
                           meas, "MP/s", dec, ratio, ("<=", 0.2, "≤ 0.2 (measuring adds ≤ 20 %)"),
                           note="value: RedMeter.measure; baseline: ImageIO.read; one core"))
    return rows


def e2e_figures(out, state):
    b = "e2e"
    if state == "not available":
        return [figure(b, "end-to-end load (bench/e2e/run.sh)", shown="not available",
                       baseline_shown="")]
    verified = out.text_value("verified")
    rows = [
        figure(b, "end-to-end: events accepted (202)", out.num("accepted"), "", baseline_shown=""),
        figure(b, "end-to-end: alerts delivered to subscribers", out.num("alerted"), "",
               baseline_shown=""),
        figure(b, "end-to-end: events counted in ClickHouse", out.num("counted"), "",
               baseline_shown=""),
        figure(b, "end-to-end latency ingest ack → alert at the client, p99",
               out.num("e2e_latency_p99_ms"), "ms",
               shown=fmt(out.num("e2e_latency_p99_ms"), "ms")
               + (f" (p50 {fmt(out.num('e2e_latency_p50_ms'), 'ms')})"
                  if out.num("e2e_latency_p50_ms") is not None else "")),
    ]
    v = figure(b, "end-to-end check: counts = acknowledged, each subscriber got exactly its alerts",
               shown=verified or "n/a", baseline_shown="")
    v["target"] = {"on": "value", "op": "==", "value": "true", "text": "true"}
    v["value"] = verified
    v["met"] = None if verified is None else verified.strip().lower() == "true"
    rows.append(v)
    return rows


# ---- writing -----------------------------------------------------------------------------------


def met_text(row, state):
    if row.get("skipped") or state == "not run":
        return "not run"
    if row["target"] is None:
        shown = "—"
    elif row["met"] is None:
        shown = "n/a"
    else:
        shown = "yes" if row["met"] else "**no**"
    if state in ("failed", "timed out", "interrupted"):
        return f"**{state}**" if row["value"] is None else f"{shown} (bench {state})"
    return shown


def machine_lines(meta):
    dirty = " + uncommitted changes" if meta.get("dirty") == "true" else ""
    return [
        ("cores", meta.get("cores", "n/a")),
        ("CPU", meta.get("cpu", "n/a")),
        ("memory", f"{meta.get('memory_gb', 'n/a')} GB"),
        ("load average (1, 5, 15 min) at start", meta.get("load_start", "n/a")),
        ("load average (1, 5, 15 min) at end", meta.get("load_end", "n/a")),
        ("git commit", f"`{meta.get('commit', 'unknown')}`{dirty}"),
        ("Java", meta.get("java", "n/a")),
        ("ClickHouse", meta.get("clickhouse", "n/a") or "n/a"),
        ("started / finished (UTC)", f"{meta.get('started', '?')} / {meta.get('finished', '?')}"),
        ("suite duration", duration(int(meta.get("seconds", 0) or 0))),
    ]


def duration(s):
    return f"{s // 60} min {s % 60:02d} s"


def figure_table(figs, states):
    lines = ["| figure | value | baseline | ratio | target | met? |", "|---|---|---|---|---|---|"]
    for f in figs:
        ratio = fmt(f["ratio"]) if f["ratio"] is not None else ("n/a" if f["target"] and f["target"]["on"] == "ratio" else "")
        target = ("ratio " if f["target"]["on"] == "ratio" else "") + f["target"]["text"] if f["target"] else ""
        base = f["baseline_shown"] if f["baseline"] is not None or f["baseline_shown"] != "n/a" else ""
        if f["target"] and f["target"]["on"] == "ratio" and f["baseline"] is None:
            base = "n/a"
        lines.append(f"| {f['figure']} | {f['value_shown']} | {base} | {ratio} | {target} | "
                     f"{met_text(f, states[f['bench']])} |")
    return lines


def markdown(meta, figs, benches, states, run_rel):
    mode = meta.get("mode", "full")
    only = meta.get("only", "")
    title = f"# Benchmark results {meta.get('date')}" + (" (--quick)" if mode == "quick" else "") + \
        (f", only {only}" if only else "")
    lines = [title, "",
             f"`bench/suite.sh{' --quick' if mode == 'quick' else ''}`. Ratios compare a figure with "
             "its baseline measured in the same run; a quick run uses smaller loads and shorter "
             "runs than the targets assume (see docs/PERFORMANCE.md).", ""]
    lines += figure_table(figs, states)
    lines += ["", "| machine | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine_lines(meta)]
    lines += ["", "| bench | command | took | status |", "|---|---|---|---|"]
    for b in benches:
        cmd = "; ".join(f"`{c}`" for c in b["commands"]) or ""
        lines.append(f"| {b['name']} | {cmd} | {duration(b['seconds'])} | {b['status']} |")
    lines += ["", f"Raw output and logs: `{run_rel}/` (not committed)."]
    return "\n".join(lines) + "\n"


def update_performance(doc, meta, figs, states, results_rel):
    if not doc.exists():
        print(f"report.py: {doc.name} not found; not updated", file=sys.stderr)
        return
    text = doc.read_text()
    begin = text.find(RESULTS_BEGIN)
    end = text.find(RESULTS_END)
    if begin < 0 or end < begin:
        print("report.py: no results markers in docs/PERFORMANCE.md; not updated", file=sys.stderr)
        return
    mode = meta.get("mode", "full")
    current = text[begin:end]
    if mode == "quick" and "mode=full" in current.split("\n", 1)[0]:
        print("report.py: docs/PERFORMANCE.md keeps its full run (a --quick run does not replace it)",
              file=sys.stderr)
        return
    m = dict(machine_lines(meta))
    block = [f"{RESULTS_BEGIN} mode={mode} (written by bench/suite/report.py) -->", "",
             f"Latest {'quick ' if mode == 'quick' else ''}run: [{results_rel}](../{results_rel}) — "
             f"{m['started / finished (UTC)'].split(' / ')[0]}, {m['cores']} cores ({m['CPU']}), "
             f"load average {m['load average (1, 5, 15 min) at start']} at the start and "
             f"{m['load average (1, 5, 15 min) at end']} at the end, commit {m['git commit']}, "
             f"{m['suite duration']}.", ""]
    block += figure_table(figs, states)
    block += [""]
    doc.write_text(text[:begin] + "\n".join(block) + "\n" + text[end:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run_dir")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[2]))
    args = ap.parse_args()
    root = Path(args.root).resolve()
    run_dir = Path(args.run_dir).resolve()
    meta = read_meta(run_dir)
    mode = meta.get("mode", "full")

    def output(name):
        f = run_dir / f"{name}.out"
        return Output(f.read_text(errors="replace") if f.exists() else "")

    def commands(name):
        f = run_dir / f"{name}.commands"
        return f.read_text().splitlines() if f.exists() else []

    notifier_runs = {}  # run name -> arguments, from the "NAME=ARGS" lines the suite writes
    runs_file = run_dir / "notifier.runs"
    if runs_file.exists():
        for line in runs_file.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                notifier_runs[k] = v

    states, benches, figs = {}, [], []
    for name in ("ingest", "query", "notifier", "red", "e2e"):
        state, seconds, codes = read_status(run_dir, name)
        states[name] = state
        status = state
        if state in ("failed", "timed out", "interrupted"):
            status = f"**{state}** (exit {', '.join(str(c) for c in codes)})"
        benches.append({"name": name, "status": status, "state": state, "seconds": seconds,
                        "exit_codes": codes, "commands": commands(name),
                        "values": output(name).flat()})
    figs += ingest_figures(output("ingest"), mode)
    figs += query_figures(output("query"), run_dir)
    figs += notifier_figures(output("notifier"), mode, notifier_runs)
    figs += red_figures(output("red"))
    figs += e2e_figures(output("e2e"), states["e2e"])
    only = meta.get("only", "").split()
    if only:  # a run of some benches: the others are not part of it
        figs = [f for f in figs if f["bench"] in only]
        benches = [b for b in benches if b["name"] in only]

    try:
        run_rel = str(run_dir.relative_to(root))
    except ValueError:
        run_rel = ".redstats/bench-suite/runs/" + run_dir.name
    # A run of some benches only (BENCH_ONLY) gets files of its own and leaves the docs alone.
    stem = meta.get("date", "unknown") + ("-quick" if mode == "quick" else "") + \
        "".join(f"-{b}" for b in only)
    out_dir = root / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    md = markdown(meta, figs, benches, states, run_rel)
    data = {
        "date": meta.get("date"), "mode": mode,
        "machine": {k: meta.get(k) for k in ("cores", "cpu", "memory_gb", "load_start", "load_end",
                                              "commit", "dirty", "java", "clickhouse", "started",
                                              "finished", "seconds")},
        "benches": benches,
        "figures": [{k: v for k, v in f.items() if k not in ("value_shown", "baseline_shown")}
                    | {"met_shown": met_text(f, states[f["bench"]])} for f in figs],
        "failed": [b["name"] for b in benches if b["state"] in ("failed", "timed out", "interrupted")],
    }
    js = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    # Nothing about where this machine keeps its files goes into a committed result.
    for secret_path in sorted({str(root), os.path.expanduser("~")}, key=len, reverse=True):
        if len(secret_path) > 1:
            md = md.replace(secret_path + "/", "").replace(secret_path, ".")
            js = js.replace(secret_path + "/", "").replace(secret_path, ".")
    (out_dir / f"{stem}.md").write_text(md)
    (out_dir / f"{stem}.json").write_text(js)
    if not only:
        update_performance(root / "docs" / "PERFORMANCE.md", meta, figs, states,
                           f"bench/results/{stem}.md")
    print(md)
    print(f"wrote bench/results/{stem}.md and .json", file=sys.stderr)


if __name__ == "__main__":
    main()
