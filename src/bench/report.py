"""Turns one run's results into ratios (kept in results.json), a Markdown summary and charts.

Usable on its own to redraw from a results file: `python3 report.py target/bench/results.json`.
"""
import json
import os
import sys


def _runs(entry):
    return {r["concurrency"]: r for r in entry["runs"]}


def ratios(results):
    """Switchboard's figure divided by each peer's, for every figure measured on both."""
    out = {}
    chat = results.get("chat", {})
    if "servers" in chat and "switchboard" in chat["servers"]:
        sb = chat["servers"]["switchboard"]
        for key, peer in chat["servers"].items():
            if key == "switchboard":
                continue
            r = {}
            for load in [x for x in ("fixed", "saturation") if x in sb and x in peer]:
                for fig, get in (("deliveriesPerSecond", lambda x: x["deliveriesPerSecond"]),
                                 ("cpuPer1000Deliveries", lambda x: x["serverCpuMsPer1000Deliveries"]),
                                 ("p50", lambda x: x["latencyMs"]["p50"]),
                                 ("p99", lambda x: x["latencyMs"]["p99"])):
                    a, b = get(sb[load]), get(peer[load])
                    r[f"{load}.{fig}"] = a / b if a and b else None
            a, b = sb["idle"]["rssPer1000ConnectionsMb"], peer["idle"]["rssPer1000ConnectionsMb"]
            r["idle.rssPer1000Connections"] = a / b if a and b else None
            out[f"chat.switchboard/{key}"] = r
    for name in ("fanout", "database"):
        w = results.get(name, {})
        if "servers" not in w or "switchboard" not in w["servers"]:
            continue
        sb = _runs(w["servers"]["switchboard"])
        for key, entry in w["servers"].items():
            if key == "switchboard":
                continue
            peer = _runs(entry)
            out[f"{name}.switchboard/{key}"] = {
                f"c{c}.{fig}": (get(sb[c]) / get(peer[c]) if c in peer and get(peer[c]) else None)
                for c in sb for fig, get in (("rps", lambda x: x["rps"]),
                                             ("p50", lambda x: x["latencyMs"]["p50"]),
                                             ("p99", lambda x: x["latencyMs"]["p99"]),
                                             ("cpuPerRequest", lambda x: x["serverCpuMsPerRequest"]))}
        if name == "database":
            for key in ("pgbench", "pgbenchPrepared"):
                out[f"database.switchboard/{key}"] = {
                    f"c{c}.rps": sb[c]["rps"] / w[key][str(c)]["tps"] for c in sb if str(c) in w[key]}
        if name == "fanout":
            out["fanout.switchboard/ideal"] = {
                f"c{c}.{fig}": v for c in sb for fig, v in (
                    ("rps", sb[c]["rps"] / w["ideal"][str(c)]["rps"]),
                    ("p50", sb[c]["latencyMs"]["p50"] / w["upstreamDelayMs"]))}
    results["ratios"] = out
    return out


def _fmt(v, digits=1):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


def _db_share(r):
    total, db = r.get("serverCpuSeconds"), r.get("serverCpuSecondsDatabase")
    if not total or db is None or db <= 0:
        return "-"
    return f"{_fmt(r['serverCpuMsPer1000Deliveries'] * db / total, 1)} ({100 * db / total:.0f}%)"


def _tries(step):
    """A replicas step's verdict: saturated only when two tries in a row were."""
    tries = step.get("tries") or [step["saturated"]]
    if step["saturated"]:
        return f"{step['saturated']} (both tries)" if len(tries) > 1 else step["saturated"]
    return f"no (first try: {tries[0]})" if len(tries) > 1 else "no"


def summary(results):
    m = results["machine"]
    lines = [f"Run of {results['date']} ({results['mode']} mode), {m['cores']} cores ({m['cpuModel']}), "
             f"{m['memoryGb']} GB, {m['os']}; {m['java']}; Node {m['node']}; {m['python']}; "
             f"PostgreSQL {m.get('postgres')}. Load average at start {m['loadAverageAtStart']}, "
             f"at end {m.get('loadAverageAtEnd')}."
             + (f" PostgreSQL options: {results['postgresOptions']}." if results.get("postgresOptions") else "")
             + (f" Switchboard JVM options: `{results['switchboardJavaOptions']}`." if results.get("switchboardJavaOptions") else ""),
             ""]
    if results.get("targets"):
        lines += ["| Target | Measured | Goal | Met |", "|---|---|---|---|"]
        for t in results["targets"]:
            lines.append(f"| {t['target']} | {_fmt(t['value'], 2)} ({t['detail']}) | {t['goal']} | "
                         f"{'yes' if t['met'] else '**no**'} |")
        lines.append("")

    chat = results.get("chat", {})
    if "servers" in chat:
        sb = chat["servers"].get("switchboard")
    if "servers" in chat and "fixed" in chat:  # not with --only chat-idle
        f, s = chat["fixed"], chat["saturation"]
        lines += [f"**Chat broadcast.** Fixed load: {f['clients']} clients in {f['rooms']} rooms, "
                  f"{f['senders-per-room']} senders per room at {f['rate']} msg/s. Saturation: "
                  f"{s['senders-per-room']} senders per room at {s['rate']} msg/s. "
                  "CPU is the server's (Switchboard: plus all its PostgreSQL processes) per 1000 deliveries. "
                  "x = Switchboard / peer.", "",
                  "| Server | Load | Deliveries/s | Delivered (dup./reordered) | p50 ms | p99 ms | CPU ms/1000 | of which database | x CPU | x p99 |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for key, e in chat["servers"].items():
            for load in ("fixed", "saturation"):
                r = e[load]
                xs = ("", "")
                if sb and key != "switchboard":
                    xs = tuple(_fmt(a / b, 2) if a and b else "n/a" for a, b in (
                        (sb[load]["serverCpuMsPer1000Deliveries"], r["serverCpuMsPer1000Deliveries"]),
                        (sb[load]["latencyMs"]["p99"], r["latencyMs"]["p99"])))
                lines.append(f"| {e['label']} | {load} | {_fmt(r['deliveriesPerSecond'])} | "
                             f"{_fmt(100 * (r['deliveryRatio'] or 0))}% ({r.get('duplicatesOrReordered', 'n/a')}) | {_fmt(r['latencyMs']['p50'], 2)} | "
                             f"{_fmt(r['latencyMs']['p99'], 2)} | {_fmt(r['serverCpuMsPer1000Deliveries'], 1)} | "
                             f"{_db_share(r)} | {xs[0]} | {xs[1]} |")
        lines.append("")
    if "servers" in chat:
        lines += ["| Server | Idle connections open | RSS before | RSS after | RSS per 1000 connections | x |",
                  "|---|---|---|---|---|---|"]
        for key, e in chat["servers"].items():
            r = e["idle"]
            x = ""
            if sb and key != "switchboard" and r["rssPer1000ConnectionsMb"]:
                x = _fmt(sb["idle"]["rssPer1000ConnectionsMb"] / r["rssPer1000ConnectionsMb"], 2)
            lines.append(f"| {e['label']} | {r['stillOpenAfterHold']} of {r['clients']} | {_fmt(r['rssBeforeMb'])} MB | "
                         f"{_fmt(r['rssAfterMb'])} MB | {_fmt(r['rssPer1000ConnectionsMb'])} MB | {x} |")
        lines.append("")
    elif chat.get("skipped") or chat.get("failed"):
        lines += [f"**Chat broadcast**: not measured ({chat.get('skipped') or chat.get('failed')}).", ""]

    rep = results.get("replicas", {})
    if "steps" in rep:
        lo = rep["load"]
        lines += [f"**Chat on {rep['replicas']} replicas, one PostgreSQL.** {lo['clients']} clients in {lo['rooms']} rooms, "
                  f"{lo['senders-per-room']} senders per room, each room's clients and senders alternating between "
                  f"the replicas; the rate per sender rises at each step until they saturate ({rep['saturatedWhen']}). "
                  "Notifications: what a listener of the replicas' channel received in the window. "
                  "CPU: both replicas plus all PostgreSQL processes, per 1000 deliveries.", "",
                  "| msg/s per sender | Offered msg/s | Deliveries/s | Delivered (dup./reordered) | p50 ms | p99 ms | "
                  "p99 from the other replica ms | Notifications/s | CPU ms/1000 | of which database | Saturated |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in rep["steps"]:
            other = (r.get("latencyOtherReplicaMs") or {}).get("p99")
            lines.append(f"| {r['ratePerSender']:g} | {_fmt(r['offeredMessagesPerSecond'], 0)} | {_fmt(r['deliveriesPerSecond'], 0)} | "
                         f"{_fmt(100 * (r['deliveryRatio'] or 0))}% ({r['duplicatesOrReordered']}) | "
                         f"{_fmt(r['latencyMs']['p50'], 2)} | {_fmt(r['latencyMs']['p99'], 2)} | {_fmt(other, 2)} | "
                         f"{_fmt(r.get('notificationsPerSecond'), 0)} | {_fmt(r['serverCpuMsPer1000Deliveries'], 1)} | "
                         f"{_db_share(r)} | {_tries(r)} |")
        kept = [r for r in rep["steps"] if not r["saturated"]]
        last = rep["steps"][-1]
        verdict = (f"Kept up to {_fmt(kept[-1]['offeredMessagesPerSecond'], 0)} msg/s "
                   f"({_fmt(kept[-1]['notificationsPerSecond'], 0)} notifications/s)" if kept else "Saturated at the first step")
        verdict += (f"; saturated at {_fmt(last['offeredMessagesPerSecond'], 0)} msg/s ({last['saturated']})." if last["saturated"]
                    else "; not saturated at the highest step.")
        lines += ["", verdict, ""]
    elif rep.get("skipped") or rep.get("failed"):
        lines += [f"**Chat on replicas**: not measured ({rep.get('skipped') or rep.get('failed')}).", ""]

    for name, title, unit in (("fanout", "Fan-out over three upstreams answering after 20 ms", "req/s"),
                              ("database", "GET /api/users/{id}", "req/s")):
        w = results.get(name, {})
        if "servers" not in w:
            if w:
                lines += [f"**{title}**: not measured ({w.get('skipped') or w.get('failed')}).", ""]
            continue
        sb = _runs(w["servers"]["switchboard"]) if "switchboard" in w["servers"] else {}
        lines += [f"**{title}** (x = Switchboard / this row; idle: the server's CPU with no load after its warm-up, "
                  "in cores, PostgreSQL included for the database).", "",
                  f"| Server | Concurrency | {unit} | p50 ms | p99 ms | CPU ms/request | errors | idle cores | x {unit} |",
                  "|---|---|---|---|---|---|---|---|---|"]
        rows = list(w["servers"].items())
        if "switchboardProductsWithoutToken" in w:
            rows.insert(1 if "switchboard" in w["servers"] else 0,
                        ("switchboard-public", w["switchboardProductsWithoutToken"]))
        for key, e in rows:
            idle = e.get("idleCoresBusyAfterWarmup")
            for r in e["runs"]:
                c = r["concurrency"]
                x = _fmt(sb[c]["rps"] / r["rps"], 2) if key != "switchboard" and c in sb and r["rps"] else ""
                lines.append(f"| {e['label']} | {c} | {_fmt(r['rps'])} | {_fmt(r['latencyMs']['p50'], 2)} | "
                             f"{_fmt(r['latencyMs']['p99'], 2)} | {_fmt(r['serverCpuMsPerRequest'], 3)} | "
                             f"{r['errors']} | {_fmt(idle, 3) if idle is not None else ''} | {x} |")
        if name == "fanout":
            for c, ideal in w["ideal"].items():
                c = int(c)
                x = _fmt(sb[c]["rps"] / ideal["rps"], 2) if c in sb else ""
                lines.append(f"| ideal (slowest upstream) | {c} | {_fmt(ideal['rps'])} | {ideal['p50Ms']} | | | | | {x} |")
        if name == "database":
            for key, label in (("pgbench", "pgbench -S"), ("pgbenchPrepared", "pgbench -S -M prepared")):
                for c, p in w[key].items():
                    c = int(c)
                    x = _fmt(sb[c]["rps"] / p["tps"], 2) if c in sb else ""
                    lines.append(f"| {label} ({p['connections']} connections) | {c} | {_fmt(p['tps'])} | | | | | | {x} |")
        lines.append("")

    st = results.get("startup")
    if st and "variants" in st:
        lines += ["**Start-up** (PostgreSQL already running): spawn to first successful `GET /api/products`; "
                  "*image options* are the JVM image's JVM options; the AOT cache"
                  + (f" ({st['aotCacheMb']} MB)" if st.get("aotCacheMb") else "")
                  + " was recorded by one training start of the same jar on the same JDK.", "",
                  "| Variant | Runtime | First request, each trial (s) | Median (s) | Quarkus' own \"started in\" (s) | RSS after start (MB) |",
                  "|---|---|---|---|---|---|"]
        for variant, v in st["variants"].items():
            q = [t["quarkusReportedStartSeconds"] for t in v["trials"] if t["quarkusReportedStartSeconds"]]
            lines.append(f"| {variant} | {v.get('runtime') or ''} | {', '.join(_fmt(t['firstRequestSeconds'], 3) for t in v['trials'])} | "
                         f"{_fmt(v['medianFirstRequestSeconds'], 3)} | {', '.join(_fmt(x, 3) for x in q)} | "
                         f"{_fmt(v['medianIdleRssMb'])} |")
        for variant, why in st.get("notMeasured", {}).items():
            lines.append(f"| {variant} | not measured: {why} | | | | |")
        lines.append("")
    return "\n".join(lines)


def charts(results, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    colors = {"switchboard": "#1f6feb"}
    palette = ["#d29922", "#8250df", "#2da44e", "#cf222e"]

    def color(key, i):
        return colors.get(key, palette[i % len(palette)])

    def save(fig, name):
        path = os.path.join(out_dir, name)
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    chat = results.get("chat", {})
    keys = list(chat.get("servers", {}))
    labels = [chat["servers"][k]["label"] for k in keys]
    if "servers" in chat and "fixed" in chat:
        fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
        for ax, (title, get, log) in zip(axes, (
                ("Server CPU ms per 1000 deliveries (lower is better)", lambda r: r["serverCpuMsPer1000Deliveries"], False),
                ("Delivery latency p99, ms (lower is better)", lambda r: r["latencyMs"]["p99"], True),
                ("Deliveries per second (higher is better)", lambda r: r["deliveriesPerSecond"], False))):
            width = 0.38
            for j, load in enumerate(("fixed", "saturation")):
                vals = [get(chat["servers"][k][load]) or 0 for k in keys]
                xs = [i + (j - 0.5) * width for i in range(len(keys))]
                bars = ax.bar(xs, vals, width, label=load, color=[color(k, i) for i, k in enumerate(keys)],
                              alpha=1.0 if load == "fixed" else 0.55, edgecolor="black", linewidth=0.5)
                ax.bar_label(bars, fmt="%.0f" if max(vals or [0]) > 100 else "%.1f", fontsize=7)
            ax.set_xticks(range(len(keys)), labels, rotation=15, fontsize=8)
            ax.set_title(title, fontsize=9)
            if log:
                ax.set_yscale("log")
        from matplotlib.patches import Patch
        axes[0].legend(handles=[Patch(facecolor="gray", edgecolor="black", label="fixed load"),
                                Patch(facecolor="gray", alpha=0.55, edgecolor="black", label="saturation")], fontsize=8)
        fig.suptitle(f"Chat broadcast, {chat['fixed']['clients']} clients in {chat['fixed']['rooms']} rooms", fontsize=10)
        save(fig, "chat.png")
    if "servers" in chat:
        fig, ax = plt.subplots(figsize=(7, 4))
        vals = [chat["servers"][k]["idle"]["rssAfterMb"] for k in keys]
        bars = ax.bar(labels, vals, color=[color(k, i) for i, k in enumerate(keys)])
        ax.bar_label(bars, fmt="%.0f MB", fontsize=8)
        ax.axhline(300, color="red", linestyle="--", linewidth=1, label="Switchboard target: 300 MB")
        n = chat["servers"][keys[0]]["idle"]["clients"]
        ax.set_title(f"Resident memory holding {n:,} idle WebSocket connections", fontsize=10)
        ax.set_ylabel("RSS, MB")
        ax.legend(fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        save(fig, "chat-idle-memory.png")

    rep = results.get("replicas", {})
    if "steps" in rep:
        steps = rep["steps"]
        offered = [r["offeredMessagesPerSecond"] for r in steps]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
        ax1.plot(offered, [r["deliveriesPerSecond"] for r in steps], marker="o", color=colors["switchboard"],
                 label="deliveries/s")
        ax1.set_ylabel("deliveries per second")
        ax1b = ax1.twinx()
        ax1b.plot(offered, [r.get("notificationsPerSecond") or 0 for r in steps], marker="s", linestyle="--",
                  color="gray", label="notifications/s")
        ax1b.set_ylabel("notifications per second")
        ax1.legend(handles=ax1.get_lines() + ax1b.get_lines(), fontsize=8, loc="upper left")
        ax2.plot(offered, [r["latencyMs"]["p50"] or 0 for r in steps], marker="o", color=colors["switchboard"], label="p50")
        ax2.plot(offered, [r["latencyMs"]["p99"] or 0 for r in steps], marker="x", linestyle=":", color=colors["switchboard"],
                 label="p99")
        ax2.plot(offered, [(r.get("latencyOtherReplicaMs") or {}).get("p99") or 0 for r in steps], marker="x",
                 linestyle="--", color="#d29922", label="p99, sender on the other replica")
        ax2.set_yscale("log")
        ax2.set_ylabel("latency, ms")
        ax2.legend(fontsize=8)
        for ax in (ax1, ax2):
            ax.set_xscale("log", base=2)
            ax.set_xticks(offered, [f"{x:g}" for x in offered])
            ax.set_xlabel("offered messages per second")
            for r in steps:
                if r["saturated"]:
                    ax.axvline(r["offeredMessagesPerSecond"], color="red", linestyle="--", linewidth=1)
        fig.suptitle(f"Chat on {rep['replicas']} replicas sharing one PostgreSQL (red line: saturated)", fontsize=10)
        save(fig, "replicas.png")

    for name, title in (("fanout", "Fan-out: GET /api/aggregate over 3 upstreams answering after 20 ms"),
                        ("database", "GET /api/users/{id} on one PostgreSQL")):
        w = results.get(name, {})
        if "servers" not in w:
            continue
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 4.5))
        for i, (key, e) in enumerate(w["servers"].items()):
            cs = [r["concurrency"] for r in e["runs"]]
            ax1.plot(cs, [r["rps"] for r in e["runs"]], marker="o", label=e["label"], color=color(key, i))
            ax2.plot(cs, [r["latencyMs"]["p50"] for r in e["runs"]], marker="o", label=f"{e['label']} p50", color=color(key, i))
            ax2.plot(cs, [r["latencyMs"]["p99"] for r in e["runs"]], marker="x", linestyle=":", color=color(key, i),
                     label=f"{e['label']} p99")
        if name == "fanout":
            cs = sorted(int(c) for c in w["ideal"])
            ax1.plot(cs, [w["ideal"][str(c)]["rps"] for c in cs], linestyle="--", color="gray", label="ideal (c / 20 ms)")
            ax2.axhline(w["upstreamDelayMs"], linestyle="--", color="gray", label="slowest upstream (20 ms)")
        else:
            for key, label, style in (("pgbench", "pgbench -S (ceiling)", "--"),
                                      ("pgbenchPrepared", "pgbench -S -M prepared", ":")):
                cs = sorted(int(c) for c in w[key])
                ax1.plot(cs, [w[key][str(c)]["tps"] for c in cs], linestyle=style, color="gray", label=label)
        levels = sorted({r["concurrency"] for e in w["servers"].values() for r in e["runs"]})
        for ax in (ax1, ax2):
            ax.set_xscale("log", base=2)
            ax.set_xticks(levels, [str(c) for c in levels])
            ax.set_xlabel("concurrent clients")
            ax.legend(fontsize=7)
        ax1.set_ylabel("requests per second")
        ax2.set_ylabel("latency, ms")
        ax2.set_yscale("log")
        fig.suptitle(title, fontsize=10)
        save(fig, f"{name}.png")
    st = results.get("startup")
    if st and "variants" in st:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.2))
        names = list(st["variants"])
        bar_colors = ["#2da44e" if n == "native" else "#1f6feb" for n in names]
        firsts = [st["variants"][n]["medianFirstRequestSeconds"] for n in names]
        bars = ax1.bar(names, firsts, color=bar_colors)
        ax1.bar_label(bars, fmt="%.2f s", fontsize=8)
        ax1.axhline(1.0, color="red", linestyle="--", linewidth=1, label="target 1.0 s (jar)")
        ax1.axhline(0.15, color="red", linestyle=":", linewidth=1, label="target 0.15 s (native)")
        ax1.set_yscale("log")
        ax1.set_title("Spawn to first successful request (median, log scale)", fontsize=9)
        ax1.legend(fontsize=8)
        rss = [st["variants"][n]["medianIdleRssMb"] for n in names]
        bars = ax2.bar(names, rss, color=bar_colors)
        ax2.bar_label(bars, fmt="%.0f MB", fontsize=8)
        ax2.set_title("RSS two seconds after the first request (median)", fontsize=9)
        for ax in (ax1, ax2):
            ax.tick_params(axis="x", labelsize=7, labelrotation=20)
        fig.suptitle("Switchboard start-up, PostgreSQL already running", fontsize=10)
        save(fig, "startup.png")
    return written


def write_all(results, out_dir):
    ratios(results)
    md = summary(results)
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(md + "\n")
    try:
        written = charts(results, out_dir)
    except ImportError as e:
        written = []
        print(f"charts skipped: {e}", file=sys.stderr)
    return md, written


if __name__ == "__main__":
    path = sys.argv[1]
    with open(path) as f:
        res = json.load(f)
    md, files = write_all(res, os.path.dirname(os.path.abspath(path)))
    with open(path, "w") as f:
        json.dump(res, f, indent=2)
    print(md)
    print("\n".join(files))
