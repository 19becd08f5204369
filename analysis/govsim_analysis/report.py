"""One self-contained HTML report of a `govsim compare` file.

    /usr/bin/python3 -m govsim_analysis.report compare.h5 -o report.html

(with analysis/ on PYTHONPATH; `govsim compare --report FILE` runs exactly this).
The page holds its images as base64 PNG, so it can be mailed or archived alone.
"""
import argparse
import base64
import html
import io
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import plotting  # noqa: E402
from .compare import load_compare  # noqa: E402

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1400px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; white-space: nowrap; }
th { white-space: normal; }
th { background: #f3f3f3; } td.name, th.name { text-align: left; }
td.clear { background: #e8f4e8; font-weight: 600; }
.note { color: #555; font-size: 0.9em; }
img { max-width: 100%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
"""


def _decimals(scale):
    scale = abs(scale)
    if not math.isfinite(scale):
        return 2
    return 0 if scale >= 1000 else 1 if scale >= 100 else 2 if scale >= 1 else 4


def _num(v, dp, sign=False):
    if v is None or not math.isfinite(v):
        return "–"
    return f"{v:+,.{dp}f}" if sign else f"{v:,.{dp}f}"


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _esc(x):
    return html.escape(str(x))


def _results_table(cmp, rows):
    ref = cmp.labels[0]
    head = "".join(f"<th>{_esc(lab)}<br>mean [95% interval]</th>" for lab in cmp.labels)
    head += "".join(f"<th>{_esc(lab)} − {_esc(ref)}<br>difference [95% interval]</th>" for lab in cmp.labels[1:])
    out = [f'<table><tr><th class="name">output</th><th class="name">units</th>{head}</tr>']
    for output in rows:
        t = cmp.table.xs(output, level="output")
        dp = _decimals(t["mean"].iloc[0])
        cells = [f'<td>{_num(r["mean"], dp)}<br><small>[{_num(r["ci_low"], dp)}, {_num(r["ci_high"], dp)}]</small></td>'
                 for _, r in t.iterrows()]
        for lab in cmp.labels[1:]:
            r = t.loc[lab]
            clear = r["diff_ci_low"] > 0 or r["diff_ci_high"] < 0
            cells.append(f'<td class="{"clear" if clear else ""}">{_num(r["diff"], dp, True)}<br>'
                         f'<small>[{_num(r["diff_ci_low"], dp, True)}, {_num(r["diff_ci_high"], dp, True)}]</small></td>')
        out.append(f'<tr><td class="name">{_esc(output)}</td><td class="name">{_esc(t["units"].iloc[0])}</td>'
                   + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _param_table(cmp):
    diff = cmp.parameter_differences()
    if diff.empty:
        return "<p>The scenarios have the same parameters (apart from the seeds).</p>"
    head = "".join(f"<th>{_esc(lab)}</th>" for lab in cmp.labels)
    rows = "".join(f'<tr><td class="name">{_esc(name)}</td>' + "".join(f"<td>{_esc(v)}</td>" for v in row)
                   + "</tr>" for name, row in diff.iterrows())
    return f'<table><tr><th class="name">parameter</th>{head}</tr>{rows}</table>'


def _figures(cmp):
    figs = []
    for name, title, rolling in (("backlog", "Open requests in the district (end of each day)", 1),
                                 ("resolved", "Requests resolved per day (7-day moving mean)", 7)):
        fig, ax = plt.subplots(figsize=(11, 3.8))
        plotting.plot_series_bands(ax, cmp, name, rolling=rolling)
        ax.set_ylabel("requests")
        figs.append((title, _png(fig)))
    fig, ax = plt.subplots(figsize=(11, 3.8))
    plotting.plot_ttr_distribution(ax, cmp)
    figs.append(("Distribution of time to resolution (mean over replicates)", _png(fig)))
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    plotting.plot_output_intervals(axes[0], cmp, "cost_per_resolved")
    plotting.plot_output_intervals(axes[1], cmp, "resolution_rate_on_time")
    fig.tight_layout()
    figs.append(("Cost per resolved request and on-time resolution: replicates (dots), "
                 "mean and 95% interval (black)", _png(fig)))
    return "\n".join(f"<h3>{_esc(t)}</h3>\n{img}" for t, img in figs)


def _method_note(cmp):
    n = cmp.replicates_per_scenario
    if cmp.method == "paired":
        how = (f"Every scenario was run with the same {n} seeds (common random numbers), so each "
               "difference is the mean of the per-seed differences, with a 95% t-interval. Noise that "
               "the scenarios share cancels, which makes these intervals narrow.")
    else:
        how = (f"Each scenario was run with its own {n} seeds; differences have Welch's 95% interval.")
    return (f'<p class="note">{how} Means carry 95% t-intervals over the replicates. A shaded '
            f'difference has an interval that excludes zero: the scenarios clearly differ there.</p>')


def _provenance(cmp):
    p = cmp.provenance
    items = "".join(f"<tr><td class='name'>{_esc(k)}</td><td class='name'>{_esc(p[k])}</td></tr>"
                    for k in ("program_version", "source_revision", "command_line", "start_time", "seed",
                              "threads", "wall_seconds") if k in p)
    texts = "".join(f"<details><summary>{_esc(lab)}: {_esc(cmp.scenario_files[lab])}</summary>"
                    f"<pre>{_esc(cmp.scenario_texts[lab])}</pre></details>" for lab in cmp.labels)
    return f"<table>{items}</table>\n{texts}"


def render(path):
    """The HTML text of the report of compare file `path`."""
    cmp = load_compare(path)
    order = cmp.output_table()
    outputs = list(dict.fromkeys(order.index.get_level_values("output")))
    main = [o for o in outputs if order.loc[o]["main"].iloc[0]]
    other = [o for o in outputs if o not in main]
    title = " vs ".join(cmp.labels)
    desc = cmp.parameters.loc["scenario.description"] if "scenario.description" in cmp.parameters.index else {}
    scen = "".join(f"<li><b>{_esc(lab)}</b> ({_esc(cmp.scenario_files[lab])}): {_esc(desc.get(lab, ''))}</li>"
                   for lab in cmp.labels)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>govsim comparison: {_esc(title)}</title>
<style>{CSS}</style></head><body>
<h1>Scenario comparison: {_esc(title)}</h1>
<p>{len(cmp.labels)} scenarios, {cmp.replicates_per_scenario} replicate runs each. Reference: <b>{_esc(cmp.labels[0])}</b>.</p>
<ul>{scen}</ul>
<h2>How the scenarios differ</h2>
{_param_table(cmp)}
<h2>Main results</h2>
{_method_note(cmp)}
{_results_table(cmp, main)}
<h2>Over time and in distribution</h2>
{_figures(cmp)}
<h2>All other outputs</h2>
<details><summary>{len(other)} more outputs (counts, shares, per level)</summary>
{_results_table(cmp, other)}
</details>
<h2>Provenance</h2>
{_provenance(cmp)}
<p class="note">Made by govsim_analysis.report from {_esc(path)}.</p>
</body></html>
"""


def write_whole(path, data):
    """Writes path whole, as govsim writes its files (sim/core/safeout.h): an exclusive
    temporary PATH.tmp.PID, fsync, rename, fsync of the directory; the temporary is
    removed on any failure (a full disk), so nothing of either name is left."""
    tmp = f"{path}.tmp.{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    dfd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m govsim_analysis.report",
                                 description="HTML report of a govsim compare file")
    ap.add_argument("compare_file")
    ap.add_argument("-o", "--output", required=True, help="HTML file to write")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        text = render(args.compare_file)
    except (OSError, ValueError, KeyError) as e:
        print(f"govsim_analysis.report: {args.compare_file}: {e}", file=sys.stderr)
        return 2
    try:
        write_whole(args.output, text.encode("utf-8"))
    except OSError as e:
        print(f"govsim_analysis.report: writing '{args.output}' failed: {e}; nothing was kept",
              file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
