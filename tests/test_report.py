"""The HTML report of a comparison (govsim_analysis.report), read as text: the answer
box, colours by direction (not by "interval excludes zero"), negligible marking, the
lever section, a figure per headline output, the caveats, the Chinese page. Files
with the interface's attributes are made by tests/report_fixture.py from a real
compare file; a plain compare file checks the fallback. Rendering in Chromium:
tests/test_report.sh.

Run with GOVSIM=build/govsim python3 -m pytest tests/test_report.py
"""
import html
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import h5py
import pytest

import govsim_analysis as ga
from govsim_analysis import report

GOVSIM = os.environ.get("GOVSIM", "govsim")
HERE = Path(__file__).resolve().parent
COMMON = "time.days: 12\nworld:\n  streets: 1\n  communities: 3\n  grids: 9\n"


def _run(*args):
    proc = subprocess.run([*map(str, args)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{args} failed ({proc.returncode}):\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("report")
    a, b = d / "a.yaml", d / "b.yaml"
    a.write_text("# Testtown before the reform: one worker per grid.\n# Sources: report 000_0123456789abcdef.txt\n"
                 "scenario:\n  name: before\n  description: one worker\n" + COMMON + "grid:\n  workers: 1\n")
    b.write_text("# Testtown, after the reform: three workers per grid and the app.\n"
                 "scenario:\n  name: after\n" + COMMON + "grid:\n  workers: 3\napp:\n  share_grids: 1.0\n")
    plain, old = d / "plain.h5", d / "old.h5"
    _run(GOVSIM, "compare", a, b, "-n", "3", "-o", plain, "-q")
    # as an older govsim wrote it (no metadata), and with all of issue 19's additions
    _run(sys.executable, HERE / "report_fixture.py", plain, old, "--strip")
    full = d / "full.h5"
    _run(sys.executable, HERE / "report_fixture.py", plain, full, "--meta", "--uncertainty", "--decompose")
    # one output made negligible by a large threshold, one with its direction reversed,
    # so that the colours are seen to follow the attributes
    with h5py.File(full, "r+") as f:
        f["comparison/satisfaction_mean"].attrs["negligible"] = 10.0
        f["comparison/trust_mean"].attrs["better"] = "lower"
        f["comparison/trust_mean"].attrs["negligible"] = 0.0
    return d, old, full


@pytest.fixture(scope="module")
def pages(files):
    d, old, full = files
    return {"old": report.render(str(old)), "en": report.render(str(full)),
            "zh": report.render(str(full), "zh")}


def _row(page, output):
    m = re.search(rf'<tr data-output="{output}">(.*?)</tr>', page, re.S)
    assert m, f"no row of {output}"
    return m.group(1)


def _verdicts(page, output):
    return re.findall(r'data-verdict="(\w+)"', _row(page, output))


def test_verdict_by_direction_not_interval():
    # a cost rise is worse even though its interval excludes zero, a time saving better
    assert report.verdict(+200.0, "lower", 5.0) == "worse"
    assert report.verdict(-17.0, "lower", 1.0) == "better"
    assert report.verdict(+0.08, "higher", 0.005) == "better"
    assert report.verdict(-0.08, "higher", 0.005) == "worse"
    assert report.verdict(+0.0001, "higher", 0.005) == "negligible"
    assert report.verdict(-0.0049, "lower", 0.005) == "negligible"
    assert report.verdict(+5.0, "neither", 0.005) == "neutral"
    assert report.verdict(+5.0, "higher", math.nan) == "better"   # no threshold: nothing negligible
    assert report.verdict(math.nan, "higher", 0.005) == "neutral"


def test_numbers_in_units_and_per_cent():
    en, zh = report.Text("en"), report.Text("zh")
    frac = report.shown_of("fraction", "resolution_rate_on_time", 0.6, en)
    assert frac.value(0.6156) == "61.6%"
    assert frac.change(0.0807) == "+8.1 percentage points"
    assert frac.change(-0.0031) == "-0.31 percentage points"
    assert report.shown_of("fraction", "x", 0.6, zh).change(0.0807) == "+8.1个百分点"
    # durations of a request in days, totals of money a year, as the terminal prints them
    days = report.shown_of("hours", "time_to_close_median", 49.0, en)
    assert days.value(49.07) == "2.04 days" and days.change(-17.67) == "-0.74 days"
    money = report.shown_of("yuan", "spending_total", 6e6, en, days=60)
    assert money.value(6059658.0) == "36.9 million yuan a year"
    assert report.shown_of("yuan", "spending_total", 6e6, zh, days=60).change(1931684.0) == "+1,175万元/年"
    per = report.shown_of("yuan per request", "cost_per_resolved", 769.9, en)
    assert per.change(197.73) == "+197.7 yuan per request"
    score = report.shown_of("score in [0,1]", "trust_mean", 0.45, en)
    assert score.change(-0.00012) == "-0.00012" and score.note == "0-1 scale"
    assert report.fmt_pct(197.7, 769.9) == "+25.7%"
    assert report.fmt_pct(1.0, 0.0) is None


def test_case_title():
    text = "# Yuzhou, after the reform (\"six haves\"): 26 urban\n# communities.\n# Sources: report 000_94f.txt\n"
    assert report.case_title(text, "x") == 'Yuzhou, after the reform ("six haves")'
    assert report.case_title("# Hedong before its reform. More.\nscenario:\n", "x") == "Hedong before its reform"
    assert report.case_title("scenario:\n  name: a\n", "fallback") == "fallback"


def test_answer_box_first(files, pages):
    for lang, page in pages.items():
        assert page.index('id="answer"') < page.index('id="headline"'), lang
    en = pages["en"]
    answer = en[en.index('id="answer"'):en.index('id="headline"')]
    cmp = ga.load_compare(str(files[2]))
    on_time = cmp.table.loc[("resolution_rate_on_time", "after")]
    ref = cmp.table.loc[("resolution_rate_on_time", "before"), "mean"]
    # what changes: in units (percentage points) and in per cent of the reference
    assert "Requests resolved on time" in answer
    assert report.shown(cmp, "resolution_rate_on_time", report.Text("en")).change(on_time["diff"]) in answer
    assert report.fmt_pct(on_time["diff"], ref) in answer
    # at what cost; how sure, from prob_better
    assert "At what cost" in answer and "Cost per resolved request" in answer
    assert f"better in {on_time['prob_better'] * 100:.0f}% of plausible worlds" in answer
    assert "assumed parameters" in answer
    assert "seed noise only" not in answer


def test_old_file_says_seed_noise_only(pages):
    old = pages["old"]
    answer = old[old.index('id="answer"'):old.index('id="headline"')]
    assert "seed noise only" in answer and "<b>NOT</b>" in answer and "--uncertainty N" in answer
    assert 'data-verdict="better"' not in old and 'data-verdict="worse"' not in old
    assert 'data-verdict="negligible"' not in old          # no thresholds in an old file
    assert "resolution_rate_on_time" in _row(old, "resolution_rate_on_time")  # code names
    assert 'id="levers"' not in old


def test_colours_follow_better_attribute(files, pages):
    en = pages["en"]
    cmp = ga.load_compare(str(files[2]))
    seen = set()
    for output in cmp.meta.index[cmp.meta["headline"]]:
        m = cmp.meta.loc[output]
        d = cmp.table.loc[(output, "after"), "diff"]
        want = report.verdict(d, m["better"], m["negligible"])
        assert _verdicts(en, output) == [want], output
        seen.add(want)
        assert html.escape(m["label_en"]) in _row(en, output)
    assert {"better", "negligible"} <= seen, seen
    # the two outputs changed by the test: the threshold and the direction are read from the file
    assert _verdicts(en, "satisfaction_mean") == ["negligible"]
    trust = cmp.table.loc[("trust_mean", "after"), "diff"]
    if abs(trust) > 0:
        assert _verdicts(en, "trust_mean") == ["better" if trust < 0 else "worse"]
    # the threshold is stated
    assert "0.50 percentage points" in _row(en, "resolution_rate_on_time")
    assert "Negligible (below the stated threshold)" in en


def test_lever_section(files, pages):
    en = pages["en"]
    assert 'id="levers"' in en and "What each lever did" in en and 'id="fig-levers"' in en
    with h5py.File(files[2], "r") as f:
        names = [x.decode() if isinstance(x, bytes) else x for x in f["decompose/lever_name"][:]]
    section = en[en.index('id="levers"'):en.index('id="figures"')]
    for name in names:
        assert f"<td class=\"name\">{html.escape(name)}</td>" in section
    assert "interaction" in section and "total (B − A)" in section
    assert en.index('id="levers"') < en.index('id="figures"')


def test_a_figure_per_headline_output(files, pages):
    cmp = ga.load_compare(str(files[2]))
    heads = list(cmp.meta.index[cmp.meta["headline"]])
    assert len(heads) >= 6
    for lang in ("en", "zh"):
        for output in heads:
            assert re.search(rf'<figure id="fig-{output}" class="plot"><figcaption>[^<]+</figcaption>'
                             r'<img alt="[^"]*" src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}">', pages[lang]), \
                (lang, output)
    # numbered in page order
    nums = [int(n) for n in re.findall(r"<figcaption>Figure (\d+):", pages["en"])]
    assert nums == list(range(1, len(nums) + 1))


def test_caveats_and_citation(pages):
    en = pages["en"]
    cav = en[en.index('id="caveats"'):en.index('id="others"')]
    assert "docs/parameters.md" in cav and "assumed" in cav and "common random numbers" in cav
    assert "Testtown, after the reform" in cav and "Testtown before the reform" in cav
    body = en[:en.index('id="provenance"')]
    assert "000_0123456789abcdef" not in body          # cases by name, not by file hash


def test_chinese_page(files, pages):
    zh = pages["zh"]
    assert '<html lang="zh-CN">' in zh
    assert '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"' in zh
    cmp = ga.load_compare(str(files[2]))
    for output in cmp.meta.index[cmp.meta["headline"]]:
        assert cmp.meta.loc[output, "label_zh"] in _row(zh, output)
    # every heading and every sentence of the English page is translated
    headings = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", zh, re.S)
    headings += re.findall(r"<figcaption>(.*?)</figcaption>", zh) + re.findall(r"<summary>(.*?)</summary>", zh)
    english = [h for h in headings if re.search(r"\b(the|and|of|what|how|figure|outputs?|lever|cost)\b", h, re.I)
               and not re.search(r"[\u4e00-\u9fff]", h)]
    # the scenario labels and the case titles are the files' own words
    english = [h for h in english if "Testtown" not in h and ".yaml" not in h]
    assert not english, english
    for key, (en_text, zh_text) in report.TEXT.items():
        if len(en_text) > 12 and "{" not in en_text and "<" not in en_text:
            assert en_text not in zh, key
    assert "结论摘要" in zh and "注意事项" in zh and "各项措施的作用" in zh


def test_one_scenario(files, tmp_path):
    # `govsim compare A --uncertainty N`: no differences, the spread over the draws
    one = tmp_path / "one.h5"
    _run(sys.executable, HERE / "report_fixture.py", files[1], one, "--meta", "--uncertainty", "--one")
    page = report.render(str(one))
    answer = page[page.index('id="answer"'):page.index('id="headline"')]
    assert "One scenario" in answer and "in 95% of plausible worlds from" in answer
    assert "data-verdict" not in page
    assert page.count('<figure id="fig-') >= 8


def test_command_line_lang(files, tmp_path):
    out = tmp_path / "r.html"
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "analysis"))
    proc = subprocess.run([sys.executable, "-m", "govsim_analysis.report", str(files[1]), "-o", str(out),
                           "--lang", "xx"], capture_output=True, text=True, env=env)
    assert proc.returncode != 0 and not out.exists()
