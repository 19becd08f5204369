#!/usr/bin/python3
"""Write docs/scenarios.md from the case files and the committed headline table.

Usage: scripts/scenario_doc.py [--check]

The tables of outputs come from tests/scenario_table_expected_full.csv (written by
`scripts/scenario_table.py build/govsim --replicates 10 --days 365 --csv-out ...`); the
mapping of every case from report figures to parameters, and every assumed value, comes
from the comments of params/<case>.yaml and params/<case>_before.yaml themselves. So the
document is regenerated, never edited by hand, after a scenario or model change:

  scripts/scenario_table.py build/govsim --replicates 10 --days 365 \\
      --csv-out tests/scenario_table_expected_full.csv
  scripts/scenario_doc.py

--check compares the generated text with docs/scenarios.md and exits 1 when they differ
(tests/test_scenarios.py runs it).
"""
import argparse
import math
import pathlib
import re
import sys

import yaml
from scipy import stats

SRC = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SRC / "scripts"))
import scenario_table as st  # noqa: E402

FULL_CSV = SRC / "tests" / "scenario_table_expected_full.csv"
FULL_REPLICATES = 10
DOC = SRC / "docs" / "scenarios.md"
REF = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt):([a-z0-9_]+)")
REPORTS = {
    "yuzhou": ("Yuzhou (Henan)", "000_94f24077671db5f3.txt",
               "\"Six haves\" standard for urban party building: 26 urban communities in 113 grids drawn by area, "
               "buildings, population, density, habits and where party members live; community teams of 7-9 "
               "\"no longer sufficient\"; 90 graduates recruited and 26 first secretaries sent; an app for all 113 "
               "grid leaders; 6 powers granted and investment-attraction quotas cancelled (burden cut); more than "
               "9,600 office party members registered with their communities; 134 stationed units co-building under "
               "three lists; more than 45 M yuan for venues and seven service centres per community."),
    "hedong": ("Hedong district, Tianjin", "001_f8a8722da6d166a7.txt",
               "Party-building-led governance: 1,100 grid party branches with a 300,000 yuan subsidy for their "
               "secretaries; 259 community workers recruited; a joint-meeting system with 362 three-level meetings "
               "(to mobilise all parties; levels and period not given); 191 office party organisations linked with "
               "streets and communities; three lists (195 agreed, 166 completed); micro-wish cards \"1600余\" (more "
               "than 1,600) and 785 wishes fulfilled; 160 community party-mass centres upgraded; a 16.8 M yuan special "
               "fund. The report never gives the number of streets or communities."),
    "changchun": ("Changchun (Jilin)", "002_0c23e968fe1a20dd.txt",
                  "Four-level linkage (city designs, counties/districts command, streets coordinate, communities "
                  "back-stop); 437 communities in 2,995 grids with grid party branches; duties of district "
                  "departments, streets and the water, electricity, gas and heating utilities (9 classes / 118 items) "
                  "sunk to grids, with staff docking directly with grid leaders; street leaders as community first "
                  "secretaries; four lists (\"四张清单\"); in Luyuan district 223 units signed two-way service "
                  "agreements (86 shared venues, 112 projects); reserved civil-service exams for community secretaries."),
    "jiangsu_settlement": ("A Jiangsu city's concentrated rural settlements", "003_7e34b3efebeb2c06.txt",
                           "526 villages merged into 243 rural communities; 69.6% of the city's FARMERS live in "
                           "concentrated settlements; 54 community party organisations; flat management with AB posts, "
                           "the eight systems (post compatibility, staggered hours, holiday duty, one-door acceptance, "
                           "service commitment, first-asked responsibility, time-limited completion, appointments), "
                           "full-process agency and 24-hour ACCEPTANCE of 15 series / 130 items at every settlement "
                           "centre; 12,335 party-member volunteers city-wide; a 3.6 M yuan city fund a year; 5-8 M "
                           "yuan per new settlement; weak belonging of resettled residents; hard cases pushed upward."),
    "daixian": ("Dai county (Shanxi)", "004_14ab719acbc26aec.txt",
                "11 communities under the county residents' affairs centre, all centres at least 500 square metres; "
                "the Binhe resettlement new area with 1,336 households and 4,647 residents; an admission system for "
                "work entering communities (people, powers and funds follow tasks); the two committees' principal "
                "leaders paid at least 1.5x the previous year's local urban per-capita disposable income."),
}
MODEL_NOTES = {
    "changchun": "One world of the model is one district (`world.*` has streets, communities and grids under a "
                 "single district), so the file is one representative district: 437/8 communities and 2,995/8 grids "
                 "of an assumed 8 urban districts and development zones, patterned on Luyuan (its 223 units and 112 "
                 "projects). The four lists run through the model's list mechanism (`cobuild.*`) as one needs stream: "
                 "the report does not name them separately. Of the 9 classes the report names only 水电气热 (the "
                 "model's `utilities`); the other eight categories (docs/ODD.md 7.8) and all category values are assumed.",
    "hedong": "160 communities and 13 streets are assumed (160 is the number of centres upgraded; 38 part-time "
              "street members are about 3 a street). The micro-wish hours are re-fitted to the corrected target "
              "(about 49%, at most 49.1%).",
    "daixian": "All communities are alike in this model (worlds of unlike communities are another issue's), so "
               "Binhe is one of 11 communities of its size and its households appear as the county's resettled "
               "share (0.09), not as one community carrying a whole street and district.",
    "jiangsu_settlement": "24-hour acceptance is `intake.acceptance_24h` (requests registered at any hour); staff "
                          "keep their shifts. 69.6% is not used as the resettled share of settlement households (a "
                          "different denominator); that share is assumed 0.8.",
    "yuzhou": "The built-in defaults were first chosen for Yuzhou; the file now sets every count itself.",
}
HEAD1 = ["resolution_rate_on_time", "time_to_close_median_days", "closed_within_7_days_share",
         "share_resolved_grid", "abandonment_rate", "reported_per_1000", "satisfaction_mean", "trust_mean",
         "cost_per_resolved"]
HEAD2 = [f"util_{lv}" for lv in st.LEVELS] + [f"abandon_{lv}" for lv in st.LEVELS]


def comment_of(lines, i):
    text = lines[i].split("#", 1)[1].strip() if "#" in lines[i] else ""
    above = []
    j = i - 1
    while j >= 0 and lines[j].lstrip().startswith("#"):
        above.insert(0, lines[j].strip().lstrip("#").strip())
        j -= 1
    return " ".join(above + ([text] if text else []))


def entries(name):
    """[(key, value, comment)] of a scenario file, in file order."""
    path = SRC / "params" / f"{name}.yaml"
    text = path.read_text()
    lines = text.splitlines()

    def walk(node, prefix, outer):
        for k, v in node.value:
            key = f"{prefix}.{k.value}" if prefix else k.value
            if isinstance(v, yaml.MappingNode):
                yield from walk(v, key, outer + [k.start_mark.line])
            else:
                own = comment_of(lines, k.start_mark.line)
                if not own:  # a value under a commented block key (e.g. category:) inherits it
                    own = " ".join(comment_of(lines, i) for i in outer if comment_of(lines, i))
                yield key, v.value, own
    # `levers:` groups parameters for `govsim compare --decompose`; it sets no value
    return [e for e in walk(yaml.compose(text), "", [])
            if not e[0].startswith(("scenario.", "levers."))]


def esc(s):
    return s.replace("|", "\\|")


def load_full():
    t = {}
    with open(FULL_CSV) as f:
        next(f)
        for line in f:
            sc, k, m, se = line.strip().split(",")
            t[(sc, k)] = (float(m), float(se))
    return t


def cell(m, se):
    if math.isnan(m):
        return "–"
    h = stats.t.ppf(0.975, FULL_REPLICATES - 1) * se
    return f"{m:.3g}" if math.isnan(h) else f"{m:.3g} ± {h:.2g}"


def tables(t):
    lab = {k: label for k, _, label, _ in st.HEADLINE}
    names = [f"{c}{s}" for c in st.CASES for s in ("_before", "")]
    out = []
    for keys in (HEAD1, HEAD2):
        out.append("| scenario | " + " | ".join(lab[k] for k in keys) + " |")
        out.append("|---" * (len(keys) + 1) + "|")
        for sc in names:
            out.append(f"| {sc} | " + " | ".join(cell(*t.get((sc, k), (math.nan, math.nan))) for k in keys) + " |")
        out.append("")
    out.append("**Before/after differences** (after minus before, means; the pairs share seeds):")
    out.append("")
    keys = ["resolution_rate_on_time", "time_to_close_median_days", "share_resolved_grid", "abandonment_rate",
            "util_community", "util_street", "util_district", "cost_per_resolved"]
    out.append("| case | " + " | ".join(lab[k] for k in keys) + " |")
    out.append("|---" * (len(keys) + 1) + "|")
    for c in st.CASES:
        diffs = []
        for k in keys:
            a, b = t.get((c, k), (math.nan,))[0], t.get((f"{c}_before", k), (math.nan,))[0]
            diffs.append(f"{a - b:+.3g}")
        out.append(f"| {c} | " + " | ".join(diffs) + " |")
    return "\n".join(out)


def case_section(case):
    title, report, says = REPORTS[case]
    after, before = entries(case), entries(f"{case}_before")
    b = {k: (v, c) for k, v, c in before}
    a = {k: (v, c) for k, v, c in after}
    out = [f"## {title} (report {report})", "", f"**What the report says.** {says}", ""]
    if case in MODEL_NOTES:
        out += [f"**How the model holds it.** {MODEL_NOTES[case]}", ""]
    out += [f"**Mapping** (`params/{case}.yaml`; every value with its report key or `assumed`):", "",
            "| parameter | value | report keys | assumed | comment in the file |", "|---|---|---|---|---|"]
    for k, v, c in after:
        refs = sorted({f"*{key}*" for _, key in REF.findall(c)})
        assumed = "assumed" in c
        note = esc(REF.sub(lambda m: m.group(2), c))
        out.append(f"| `{k}` | {v} | {', '.join(refs) or '–'} | {'yes' if assumed else 'no'} | {note} |")
    out += ["", f"**The reform** (`params/{case}_before.yaml` differs only here):", "",
            "| parameter | before | after | why |", "|---|---|---|---|"]
    for k in list(a) + [k for k in b if k not in a]:
        va, vb = a.get(k, ("(default)", ""))[0], b.get(k, ("(default)", ""))[0]
        if va != vb:
            why = b.get(k, ("", ""))[1] or a.get(k, ("", ""))[1]
            out.append(f"| `{k}` | {vb} | {va} | {esc(REF.sub(lambda m: m.group(2), why))} |")
    out.append("")
    return "\n".join(out)


INTRO = """# Case scenarios

<!-- Generated by scripts/scenario_doc.py from params/<case>.yaml, params/<case>_before.yaml and
tests/scenario_table_expected_full.csv; do not edit by hand (tests/test_scenarios.py checks it). -->

Every case report has a pair of files in `params/`: `<case>_before.yaml` and `<case>.yaml`,
which differ only by the reform the report describes (tables "The reform" below; the
scenarios test checks that the structure, populations and upper-level staff are the same in
both). Every value in a file that differs from the built-in default, and every per-city
count whatever its value (`REQUIRED` in tests/test_scenarios.py: streets, communities, grids,
households, composition, staff per level, caseworkers, first secretaries, members, units,
lists, funds, cards, meetings, acceptance, app, investment), carries a comment: the report's
file and the key of the figure in `docs/case-figures.csv` (`REPORT.txt:key`) with the
report's phrase, or the word `assumed` with the reasoning and a plausible range. So no case
inherits another case's counts through a default; the test fails on an unset count.

The reports give structure (communities, grids, staff, money, mechanisms) but no
populations, request rates or service times; those are assumed in every case alike (the
defaults of docs/ODD.md 7.1, 7.8 and 7.14), and the staff-time loads (`tasks:` and `visits:`
blocks) are the same assumed values in every file (docs/ODD.md 7.13). The nine request
categories: only water, electricity, gas and heating (水电气热, `utilities`) are named in a
report (Changchun's 9 classes / 118 items); the other eight and every category value are
assumed (docs/ODD.md 7.8).

**Sizing the streets and the district.** No report counts street or district casework
staff. Yuzhou's assumed 6 caseworkers a street and 10 at the district serve its about 54,000
requests a year; every other case applies the same ratio to its own expected requests (rates
× households): one street caseworker per about 2,300 requests a year of the street's grids
and one district caseworker per about 5,400. Hedong 15 a street and 79, Changchun's district
9 and 31, Jiangsu 11 and 27, Dai county 8 and 3. No level of any shipped scenario then
exceeds utilisation 1 or loses more than a few per cent of the cases passed up to it,
except where a report implies strain: Yuzhou before its reform carries investment-attraction
quotas on its streets (street utilisation near 1, the overdue cases passed up to the city).

"""

REGRESSION = """## Pattern check and regression

**Pattern check.** `params/patterns.yaml` lists the empirical patterns of MODEL.md section 10
with their sources, ranges, scenarios and outputs (reported requests per 1,000 residents
200-400; median time to close 1-5 days; 75-95% closed within 7 days; first-level share
0.6-0.9 where a reform strengthened the grid and at least 0.5 everywhere; "before" staff
loaded and mostly by top-down tasks; utilisation at most 1; upper-level abandonment bounds;
Hedong's three lists near 85.1% and micro-wishes at most 49.1%; each reform's direction).

    scripts/patterns.py build/govsim                 # full: a year, 5 replicates (a few minutes)
    scripts/patterns.py build/govsim --quick         # 120 days, 2 replicates, full-year patterns skipped

prints every pattern with the simulated mean, its 95% interval and inside/outside, and exits
1 on a miss (2 on a bad pattern file). `--set K=V` probes a pattern: with the request rates
× 10 the reported-requests pattern fails (`tests/test_patterns.py`). Reported requests are
the arisen requests times the reporting probability at the run's mean trust (docs/ODD.md 7.2);
the rest are needs found by patrols and visits. Known weak spots: without a first-level
reform the grid closes about 59% (below the 75-80% of mature systems); Hedong's, Jiangsu's
and Dai county's reforms move on-time resolution by less than a point.

**Headline-table regression.** `scripts/scenario_table.py` runs the ten case files and
compares the means with committed values within tolerance bands (the larger of a floor per
output and 4 standard errors), plus invariants (utilisation ≤ 1 at every level, street and
district abandonment ≤ 0.10 after and ≤ 0.20 before, reported requests 200-400 per 1,000,
each reform's direction). The quick form runs in CI (ctest `patterns`):

    scripts/scenario_table.py build/govsim --quick --check tests/scenario_table_expected.csv

and the full form (10 replicates of a year, a few minutes on 2 cores) is

    scripts/scenario_table.py build/govsim --replicates 10 --days 365 --check tests/scenario_table_expected_full.csv

**Re-approving after an intended model change** (say why in CHANGELOG.md):

    scripts/scenario_table.py build/govsim --quick --csv > tests/scenario_table_expected.csv
    scripts/scenario_table.py build/govsim --replicates 10 --days 365 --csv-out tests/scenario_table_expected_full.csv
    scripts/scenario_doc.py                          # rewrites this file from the two sources
    scripts/patterns.py build/govsim                 # and the patterns must still hold

"""


def generate():
    t = load_full()
    parts = [INTRO, "## Headline outputs\n",
             f"Mean and 95% confidence interval (Student t) over {FULL_REPLICATES} replicate runs of a year "
             "(seeds 1-10), from tests/scenario_table_expected_full.csv (`scripts/scenario_table.py build/govsim "
             "--replicates 10 --days 365`). The intervals measure the simulation's noise, not the uncertainty of "
             "the assumed inputs (for that, sweep them: docs/sweeps.md). Utilisation is busy hours over the duty "
             "hours of funded and filled posts; abandonment at a level is the share of the requests entering it "
             "that are abandoned there.\n", tables(t), "", REGRESSION]
    parts += [case_section(c) for c in st.CASES]
    parts.append(LEVERS)
    return "\n".join(parts).rstrip() + "\n"


LEVERS = """## The levers, one at a time

**Staffing.** Yuzhou before the reform with community staff 4..16 per community and grid
workers 1..4 per grid, every combination, 3 replicates with common random numbers:

    build/govsim sweep params/sweeps/yuzhou_staffing.yaml -o staffing.h5
    /usr/bin/python3 scripts/staffing_curve.py staffing.h5 docs/staffing-curve.png

![staffing curve: on-time resolution, community hours on top-down tasks and grid visit coverage against community staff](staffing-curve.png)

On-time resolution rises little from 4 to 5 community staff, steeply from 5 to 7, and reaches
a plateau from about 8 (below that the top-down tasks do not fit in the time the requests
leave, and press ahead of them); one grid worker instead of two lowers it at every community
size.

The staffing curve's numbers and why its plateau sits where it does, Yuzhou's reform
decomposed lever by lever and the grid-size curve (population fixed) are in [docs/levers.md](levers.md), each with the command that makes it;
residents' satisfaction and trust before and after each reform, and what switching off each
party-building mechanism does, in [docs/residents.md](residents.md).
Hedong's micro-wish and three-list fit: `govsim calibrate params/hedong_calibration.yaml`
(both parameters jointly, a quarter of the district; the fit is noted in params/hedong.yaml),
checked by `tests/test_hedong_fit.py` (ctest `hedong_fit`).
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    text = generate()
    if a.check:
        if DOC.read_text() != text:
            print("docs/scenarios.md is not what scripts/scenario_doc.py generates; run it", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
