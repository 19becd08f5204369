"""One self-contained HTML report of a `govsim compare` file, for policy readers.

    /usr/bin/python3 -m govsim_analysis.report compare.h5 -o report.html [--lang zh]

(with analysis/ on PYTHONPATH; `govsim compare --report FILE [--lang zh]` runs exactly this).
The page holds its images as base64 PNG, so it can be mailed or archived alone.

What it shows (issue 19): a plain-language answer first (what changes, by how much in
units and per cent, at what cost, how sure); the headline outputs under their human
names, coloured by better (green) or worse (red) for residents by the `better`
attribute of the file, grey when the difference is below the output's `negligible`
threshold; what each lever of a reform did (`--decompose`); a figure per headline
output; the caveats. Names, directions and thresholds come from the file's attributes
(govsim's one table); a file without them gets code names and no colours.
"""
import argparse
import base64
import html
import io
import math
import os
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import plotting  # noqa: E402
from .compare import load_compare  # noqa: E402

LANGS = ("en", "zh")

FONTS = {
    "en": 'system-ui, "Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", '
          '"WenQuanYi Micro Hei", sans-serif',
    "zh": '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", '
          '"PingFang SC", sans-serif',
}

CSS = """
body { font-family: %(font)s; max-width: 1200px; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.5; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.85em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; white-space: nowrap; }
th { white-space: normal; background: #f3f3f3; } td.name, th.name { text-align: left; white-space: normal; }
.better { background: #dff0d8; color: #1e5b1e; }
.worse { background: #f8dcdc; color: #8a1f1f; }
.negligible { background: #eeeeee; color: #666; }
.neutral { }
span.better, span.worse, span.negligible { padding: 0 0.3em; border-radius: 3px; }
.answer { border: 2px solid #3a6ea5; background: #f4f8fc; padding: 0.6em 1.2em; border-radius: 6px; }
.answer h2 { margin-top: 0.3em; border: none; }
.answer li { margin: 0.3em 0; }
.caveat { border-left: 4px solid #c77c00; background: #fff8ec; padding: 0.4em 0.8em; }
.note { color: #555; font-size: 0.9em; }
.legend span { margin-right: 1em; }
figure { margin: 1em 0 2em 0; }
figcaption { font-size: 0.9em; color: #333; margin-bottom: 0.3em; font-weight: 600; }
img { max-width: 100%%; border: 1px solid #eee; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
code { background: #f3f3f3; padding: 0 0.2em; }
.scroll { overflow-x: auto; max-width: 100%%; }
table.levers td, table.levers th { padding: 0.2em 0.4em; }
table.levers small { white-space: nowrap; }
"""

# Every sentence of the page, in both languages (placeholders: str.format).
TEXT = {
    "title": ("Scenario comparison: {title}", "情景比较:{title}"),
    "intro": ("{n} scenarios, {reps} runs each. Reference: <b>{ref}</b>.",
              "共 {n} 个情景,每个运行 {reps} 次。参照情景:<b>{ref}</b>。"),
    "intro_uq": ("{n} scenarios, each run in the same {reps} plausible worlds (draws of the assumed parameters "
                 "and seeds). Reference: <b>{ref}</b>.",
                 "共 {n} 个情景,每个情景在相同的 {reps} 个合理情形(假设参数与随机种子的抽样)下运行。参照情景:<b>{ref}</b>。"),
    "intro_one": ("One scenario, run in {reps} plausible worlds (draws of the assumed parameters and seeds).",
                  "单一情景,在 {reps} 个合理情形(假设参数与随机种子的抽样)下运行。"),
    "answer_h": ("The answer in brief", "结论摘要"),
    "answer_vs": ("{b} compared with {a}", "{b} 与 {a} 相比"),
    "summary": ("In the model, <b>{b}</b> is better for residents on {nb} of the {n} headline outputs, "
                "worse on {nw}, and the difference is negligible on {nn}.",
                "在模型中,<b>{b}</b> 在 {n} 项主要指标中有 {nb} 项对居民更好,{nw} 项更差,{nn} 项差异可忽略。"),
    "summary_neutral": ("This file does not say which direction of each output is better, so no "
                        "output is called better or worse (an older govsim wrote it).",
                        "此文件未标明各指标哪个方向更好,因此不判断好坏(由较早版本的 govsim 生成)。"),
    "what_changes": ("What changes", "有何变化"),
    "at_what_cost": ("At what cost", "代价如何"),
    "negl_list": ("Negligible (below the stated threshold)", "可忽略的变化(低于所列阈值)"),
    "how_sure": ("How sure", "把握多大"),
    "change_sentence": ("<b>{label}</b>: from {a} to {b} ({d}, {pct})",
                        "<b>{label}</b>:由 {a} 变为 {b}({d},{pct})"),
    "no_pct": ("no per cent: the reference is zero", "参照值为零,无百分比"),
    "rel": ("{p} relative", "相对变化 {p}"),
    "verdict_better": ("better for residents", "对居民更好"),
    "verdict_worse": ("worse for residents", "对居民更差"),
    "verdict_negligible": ("negligible", "可忽略"),
    "verdict_cost_better": ("saves money (better)", "节省开支(更好)"),
    "verdict_cost_worse": ("costs more (worse)", "开支增加(更差)"),
    "verdict_neutral": ("changed (neither direction is better)", "有变化(无好坏之分)"),
    "prob": ("better in {p} of plausible worlds", "在 {p} 的合理情形下更好"),
    "ci_seed": ("95% interval {lo} to {hi}, seed noise only", "95% 区间 {lo} 至 {hi},仅含随机种子误差"),
    "ci_both": ("in 95% of plausible worlds from {lo} to {hi}", "95% 的合理情形下介于 {lo} 至 {hi}"),
    "uncertain": ("the interval includes no change", "区间包含零,变化不确定"),
    "nothing": ("No headline output changes by more than its threshold.",
                "没有主要指标的变化超过其阈值。"),
    "no_cost": ("No cost output is among the headline outputs of this file.",
                "此文件的主要指标中没有成本指标。"),
    "sure_uq": ("The intervals and the shares cover both the randomness of the runs and the uncertainty of "
                "the model's assumed parameters: {n} draws, each a set of parameter values from {src} with "
                "its own seed, the same for every scenario (common random numbers). \u201cBetter in X% of "
                "plausible worlds\u201d means: in X% of these draws the scenario did better than the "
                "reference. Not covered: the structure of the model itself (what it leaves out, how its "
                "mechanisms are written).",
                "区间和比例同时涵盖模拟的随机性与模型假设参数的不确定性:共 {n} 次抽样,每次从{src}"
                "抽取一组参数值并配一个随机种子,各情景相同(共同随机数)。\u201c在 X% 的合理情形下更好\u201d"
                "指在 X% 的抽样中该情景优于参照情景。未涵盖的是模型结构本身(模型省略了什么、机制如何设定)。"),
    "sure_seed": ("<b>The intervals cover seed noise only</b>: the randomness between {reps} runs with "
                  "different seeds. They do <b>NOT</b> cover the uncertainty of the model's assumed "
                  "parameters (populations, request rates, service times, patience, multipliers: about 200 "
                  "values that are assumed, not measured). A difference can be certain in the model and "
                  "still wrong in the world if the assumptions are wrong. Run "
                  "<code>govsim compare ... --uncertainty N</code> to include them.",
                  "<b>区间仅涵盖随机种子误差</b>:即 {reps} 次不同随机种子运行之间的随机性。区间<b>不</b>"
                  "涵盖模型假设参数的不确定性(人口、诉求发生率、办理时长、耐心、各类系数等约 200 个"
                  "假设值,并非实测)。一个差异在模型中可以很确定,但若假设有误,在现实中仍可能不成立。"
                  "使用 <code>govsim compare ... --uncertainty N</code> 可将其纳入。"),
    "few_draws": (" With only {n} draws these shares and ranges are rough (one draw is {step}); "
                  "use more (20 or more) before quoting them.",
                  "仅有 {n} 次抽样,这些比例和范围较为粗略(每次抽样占 {step});引用前请增加抽样次数(20 次以上)。"),
    "few_runs": (" With only {n} runs the intervals themselves are rough.",
                 "仅有 {n} 次运行,区间本身也较为粗略。"),
    "src_ranges": ("the plausible ranges of the parameter table", "参数表的合理取值范围"),
    "headline_h": ("Headline outputs", "主要指标"),
    "legend": ("Colours: <span class='better'>better for residents</span><span class='worse'>worse for "
               "residents</span><span class='negligible'>negligible: smaller than the threshold in the "
               "last column</span> uncoloured: neither direction is better. Colours follow the direction "
               "of the change, not whether its interval excludes zero.",
               "颜色:<span class='better'>对居民更好</span><span class='worse'>对居民更差</span>"
               "<span class='negligible'>可忽略:小于最后一列的阈值</span> 无色:无好坏之分。"
               "颜色表示变化的方向,而非区间是否排除零。"),
    "legend_nometa": ("This file carries no directions or thresholds (written by an older govsim): "
                      "nothing is coloured and nothing is called negligible.",
                      "此文件不含方向和阈值信息(由较早版本的 govsim 生成):不着色,也不判断是否可忽略。"),
    "col_output": ("output", "指标"),
    "col_units": ("units", "单位"),
    "col_mean": ("{s}<br>mean [95% interval]", "{s}<br>均值 [95% 区间]"),
    "col_mean_uq": ("{s}<br>mean [range in 95% of plausible worlds]", "{s}<br>均值 [95% 合理情形的范围]"),
    "col_change_uq": ("{s} − {r}<br>change [range in 95% of plausible worlds]",
                      "{s} − {r}<br>变化 [95% 合理情形的范围]"),
    "one_intro": ("One scenario, {n} plausible worlds: each headline output's mean and the range it lies in, "
                  "in 95% of them.", "单一情景,{n} 个合理情形:各主要指标的均值及其在 95% 情形下所处的范围。"),
    "one_sentence": ("<b>{label}</b>: {v} (in 95% of plausible worlds from {lo} to {hi})",
                     "<b>{label}</b>:{v}(95% 的合理情形下介于 {lo} 至 {hi})"),
    "col_change": ("{s} − {r}<br>change [95% interval]", "{s} − {r}<br>变化 [95% 区间]"),
    "col_pct": ("{s}<br>change in %", "{s}<br>变化 %"),
    "col_prob": ("{s}<br>better in share of plausible worlds", "{s}<br>更好的合理情形占比"),
    "col_neg": ("negligible below", "可忽略阈值"),
    "col_param": ("parameter", "参数"),
    "levers_h": ("What each lever did", "各项措施的作用"),
    "levers_intro": ("Each lever of the reform was run alone on top of <b>{a}</b>, with the same seeds "
                     "(common random numbers); its effect is the mean paired difference (A + lever) − A "
                     "with a 95% interval (with --uncertainty: the range in 95% of plausible worlds). The interaction is what the levers do only together: the total "
                     "change (B − A) minus the sum of the single effects.",
                     "在 <b>{a}</b> 的基础上逐项单独实施改革措施,使用相同的随机种子(共同随机数);"
                     "每项措施的作用为配对差值 (A + 该措施) − A 的均值及其 95% 区间(使用 --uncertainty 时为 95% 合理情形的范围)。交互作用是各措施"
                     "仅在共同实施时才产生的部分:总变化 (B − A) 减去各单项作用之和。"),
    "lever_most": ("<b>{label}</b>: of the change ({total}), the largest part comes from <b>{lever}</b> ({eff}, "
                   "{share} of the total).",
                   "<b>{label}</b>:在总变化({total})中,最大的一部分来自 <b>{lever}</b>({eff},占总变化的 {share})。"),
    "lever_inter": (" The interaction (what the levers do only together) is {inter}.",
                    "交互作用(各措施仅在共同实施时产生的部分)为 {inter}。"),
    "lever_nothing": ("Levers with no effect above the threshold on any headline output: {levers}.",
                      "对所有主要指标的作用都低于阈值的措施:{levers}。"),
    "col_lever": ("lever", "措施"),
    "col_keys": ("parameters", "参数"),
    "interaction": ("interaction", "交互作用"),
    "total": ("total (B − A)", "总变化 (B − A)"),
    "figures_h": ("Figures of the headline outputs", "主要指标图示"),
    "figures_intro": ("Left: each scenario's runs (dots) with the mean and its 95% interval (black). "
                      "Right: the change from the reference, run by run (dots, same seed), with its mean "
                      "and 95% interval, coloured by direction; the grey band is the negligible range.",
                      "左图:各情景每次运行的结果(点)及均值与 95% 区间(黑色)。右图:相对参照情景的变化,"
                      "逐次运行(点,相同随机种子)及其均值与 95% 区间,按方向着色;灰色带为可忽略范围。"),
    "figures_intro_one": ("Each run (dots) with the mean and the range of 95% of the runs (black).",
                          "每次运行的结果(点)及均值与 95% 运行所处的范围(黑色)。"),
    "over_time_h": ("Over time", "随时间变化"),
    "fig": ("Figure {n}", "图 {n}"),
    "fig_backlog": ("Open requests at the end of each day", "每日末未办结诉求数"),
    "fig_resolved": ("Requests resolved per day (7-day moving mean)", "每日办结诉求数(7 日移动平均)"),
    "fig_ttr": ("Distribution of time to resolution", "办结时长分布"),
    "fig_levers": ("Effect of each lever on the headline outputs", "各项措施对主要指标的作用"),
    "ax_day": ("day", "天"),
    "ax_requests": ("requests", "诉求数"),
    "ax_ttr": ("time from arising to resolution (hours)", "从发生到办结的时间(小时)"),
    "ax_share": ("share of resolved requests", "占已办结诉求的比例"),
    "ax_change": ("change from {r}", "相对 {r} 的变化"),
    "ax_effect": ("effect on {label} ({units})", "对{label}的作用({units})"),
    "band": ("10-90% of runs shaded", "阴影为 10%-90% 的运行"),
    "differ_h": ("How the scenarios differ", "情景之间的参数差异"),
    "same_params": ("The scenarios have the same parameters (apart from the seeds).",
                    "各情景参数相同(随机种子除外)。"),
    "others_h": ("All other outputs", "其他全部指标"),
    "others_sum": ("{n} more outputs (counts, shares, per level and per category)",
                   "另外 {n} 项指标(计数、比例、分层级与分类别)"),
    "caveats_h": ("Caveats: what these numbers can and cannot say", "注意事项:这些数字能说明什么、不能说明什么"),
    "cav_assumed": ("Many of the model's parameters are <b>assumed</b>, not measured: the scenario files mark "
                    "them (\u201cassumed:\u201d), and govsim's documentation lists each with its plausible "
                    "range and reasoning (docs/parameters.md; the uncertainty analysis: docs/uncertainty.md; "
                    "comparisons: docs/compare.md, in the govsim repository).",
                    "模型的许多参数是<b>假设</b>的,而非实测:情景文件中标注为\u201cassumed:\u201d,govsim 文档"
                    "列出了每个参数的合理范围及依据(govsim 代码库中的 docs/parameters.md;不确定性分析见 "
                    "docs/uncertainty.md;情景比较见 docs/compare.md)。"),
    "cav_crn": ("All scenarios were run with the same seeds (common random numbers): the same households and "
                "the same requests arising at the same moments, so a difference is the policy's, not the "
                "luck of the draw, and the intervals of differences are narrow.",
                "所有情景使用相同的随机种子(共同随机数):相同的住户、相同时刻发生的相同诉求,因此差异"
                "来自政策本身,而非抽样运气,差异的区间也因此较窄。"),
    "cav_welch": ("Each scenario was run with its own seeds; differences have Welch's 95% interval.",
                  "各情景使用各自的随机种子;差异采用 Welch 95% 区间。"),
    "cav_model": ("The numbers are the model's: they say what follows from its mechanisms and assumptions, "
                  "not what will happen. Use them to compare options, not as forecasts.",
                  "这些数字是模型的结果:说明的是由模型机制和假设推出的结论,而非对未来的预测。"
                  "请用于比较方案,不要当作预测。"),
    "cav_negl": ("\u201cNegligible\u201d means a mean difference smaller than the threshold stated for each "
                 "output (in its own units): too small to matter in practice, whatever its interval.",
                 "\u201c可忽略\u201d指均值差异小于各指标所列的阈值(以该指标自身单位计):无论其区间如何,"
                 "在实践中都无足轻重。"),
    "cite": ("To cite a figure of this page, name the cases and the figure: \u201c{cases}, govsim "
             "scenario comparison, Figure N\u201d.",
             "引用本页图表时,请注明案例与图号:\u201c{cases},govsim 情景比较,图 N\u201d。"),
    "scen_h": ("The scenarios", "情景"),
    "case": ("case", "案例"),
    "prov_h": ("Provenance", "来源信息"),
    "made_by": ("Made by govsim_analysis.report from {path}.", "由 govsim_analysis.report 根据 {path} 生成。"),
    "pp": ("percentage points", "个百分点"),
    "million": ("{v} million", "{v}万"),
    "runs_defined": ("{k} of {n} runs defined", "{n} 次运行中 {k} 次有定义"),
}

PROVENANCE = {
    "program_version": ("program version", "程序版本"), "source_revision": ("source revision", "源代码版本"),
    "command_line": ("command line", "命令行"), "start_time": ("start time", "开始时间"),
    "seed": ("first seed", "起始随机种子"), "threads": ("threads", "线程数"),
    "wall_seconds": ("wall-clock seconds", "耗时(秒)"),
}

# Units of govsim's outputs in Chinese (docs/output.md); others are shown as written.
UNITS_ZH = {
    "hours": "小时", "yuan": "元", "yuan per request": "元/件", "requests": "件", "score in [0,1]": "分",
    "index in [0,1]": "", "days": "天", "households": "户", "visits": "次", "posts": "个岗位",
    "cards": "张", "requests per hour": "件/小时", "persons": "人", "events": "个事件", "items": "项",
    "meetings": "次", "fraction": "比例", "fraction of households": "住户比例", "1": "",
}


# ... and in English where the file's words read badly after a number
UNITS_EN = {"score in [0,1]": "on a 0-1 scale", "index in [0,1]": "on a 0-1 scale", "1": ""}


class Text:
    """The page's words in one language."""

    def __init__(self, lang):
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}' (one of: {', '.join(LANGS)})")
        self.lang = lang
        self.k = LANGS.index(lang)

    def __call__(self, key, **kw):
        s = TEXT[key][self.k]
        return s.format(**kw) if kw else s

    def label(self, meta, output):
        if meta is None or output not in meta.index:
            return output
        return meta.loc[output, "label_zh" if self.lang == "zh" else "label_en"]

    def units(self, units):
        if self.lang == "zh":
            return UNITS_ZH.get(units, units)
        return UNITS_EN.get(units, units)


# ---------------------------------------------------------------- numbers

def _esc(x):
    return html.escape(str(x))


def _fin(v):
    return v is not None and isinstance(v, (int, float, np.floating, np.integer)) and math.isfinite(v)


def _decimals(scale):
    scale = abs(scale)
    if not math.isfinite(scale):
        return 2
    return 0 if scale >= 1000 else 1 if scale >= 100 else 2 if scale >= 1 else 3


def _plain(v, dp, sign=False):
    if v != 0 and round(v, dp) == 0:   # not "-0.000": two significant digits
        return f"{v:+.2g}" if sign else f"{v:.2g}"
    return f"{v:+,.{dp}f}" if sign else f"{v:,.{dp}f}"


class Shown:
    """How an output's numbers are shown, as `govsim compare` prints them
    (sim/cmd/compare_print.c): fractions in per cent (differences in percentage
    points), durations of a request in days, totals of money in millions (万 in
    Chinese) of yuan a year, scores as they are; `scale` multiplies the file's value."""

    def __init__(self, scale, unit, dunit, dp, lang="en", note=""):
        self.scale, self.unit, self.dunit, self.dp, self.lang, self.note = scale, unit, dunit, dp, lang, note

    def _join(self, s, unit):
        if not unit:
            return s
        if unit == "%":
            return s + unit
        return f"{s} {unit}" if self.lang == "en" else f"{s}{unit}"

    def value(self, v, with_units=True):
        if not _fin(v):
            return "–"
        s = _plain(v * self.scale, self.dp)
        return self._join(s, self.unit) if with_units else s

    def change(self, d, with_units=True):
        if not _fin(d):
            return "–"
        x = d * self.scale
        dp = self.dp + 1 if abs(x) < 1 and self.unit == "%" else self.dp
        s = _plain(x, dp, sign=True)
        return self._join(s, self.dunit) if with_units else s


def shown_of(units, name, ref, T, days=None):
    """The Shown of an output of `units` and code `name`, by the reference's mean."""
    en = T.lang == "en"
    if units in ("fraction", "fraction of households"):
        return Shown(100, "%", T("pp"), 1, T.lang)
    if units == "hours" and ("time" in name or "wait" in name):
        return Shown(1 / 24, "days" if en else "天", "days" if en else "天", 2, T.lang)
    if units == "yuan" and days and _fin(days) and days > 0:
        per_year = 365.0 / days
        return (Shown(1e-6 * per_year, "million yuan a year", "million yuan a year", 1, T.lang) if en
                else Shown(1e-4 * per_year, "万元/年", "万元/年", 0, T.lang))
    if units.startswith("score") or units.startswith("index"):
        return Shown(1, "", "", 3, T.lang, note="0-1 scale" if en else "0–1 分制")
    u = T.units(units)
    return Shown(1, u, u, _decimals(ref if _fin(ref) else 1), T.lang)


def shown(cmp, output, T):
    meta = cmp.meta.loc[output] if output in cmp.meta.index else cmp.decompose.meta.loc[output]
    ref = cmp.table.loc[(output, cmp.labels[0]), "mean"] if (output, cmp.labels[0]) in cmp.table.index else 1.0
    try:
        days = float(cmp.parameters.loc["time.days", cmp.labels[0]])
    except (KeyError, ValueError, TypeError):
        days = None
    return shown_of(meta["units"], output, ref, T, days)


def fmt_value(v, sh):
    return sh.value(v)


def fmt_change(d, sh, with_units=True):
    return sh.change(d, with_units)


def fmt_pct(d, ref):
    if not (_fin(d) and _fin(ref)) or ref == 0:
        return None
    return f"{d / abs(ref) * 100:+.1f}%"


def fmt_prob(p):
    return f"{p * 100:.0f}%" if _fin(p) else "–"


def verdict(diff, better, negligible):
    """'better' | 'worse' | 'negligible' | 'neutral' for a difference, by direction."""
    if not _fin(diff):
        return "neutral"
    if _fin(negligible) and abs(diff) < negligible:
        return "negligible"
    if better == "higher":
        return "better" if diff > 0 else "worse" if diff < 0 else "neutral"
    if better == "lower":
        return "better" if diff < 0 else "worse" if diff > 0 else "neutral"
    return "neutral"


# ---------------------------------------------------------------- the scenarios

def case_title(text, fallback):
    """The case and report a scenario file stands for, from its leading comment: the
    first clause of its first comment paragraph ("Yuzhou, after the reform (...)")."""
    lines = []
    for line in (text or "").splitlines():
        s = line.strip()
        if not s.startswith("#"):
            break
        s = s.lstrip("#").strip()
        if not s:
            if lines:
                break
            continue
        lines.append(s)
    para = " ".join(lines)
    if not para:
        return fallback
    m = re.match(r"(.+?)(?::\s|\.\s|\.$|$)", para)
    title = (m.group(1) if m else para).strip()
    return title if len(title) <= 160 else title[:157] + "…"


def _descriptions(cmp):
    p = cmp.parameters
    desc = p.loc["scenario.description"] if "scenario.description" in p.index else {}
    return {lab: str(desc.get(lab, "") or "") for lab in cmp.labels}


def _case_names(cmp):
    desc = _descriptions(cmp)
    return {lab: case_title(cmp.scenario_texts.get(lab, ""), desc[lab] or lab) for lab in cmp.labels}


# ---------------------------------------------------------------- pictures

_CJK = None


def _cjk_font():
    """A font with Chinese glyphs for matplotlib (fonts-noto-cjk), or None."""
    global _CJK
    if _CJK is not None:
        return _CJK or None
    from matplotlib import font_manager as fm

    names = {f.name for f in fm.fontManager.ttflist}
    for name in ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Noto Sans CJK JP"):
        if name in names:
            _CJK = name
            return name
    files = []
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", "sans-serif:lang=zh-cn"], capture_output=True,
                             text=True, timeout=20)
        files.append(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    files += ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]
    for path in files:
        if path and os.path.exists(path):
            try:
                fm.fontManager.addfont(path)
                name = fm.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
            if "CJK" in name or "Han" in name or "WenQuanYi" in name or "Hei" in name:
                _CJK = name
                return name
    _CJK = ""
    return None


def _style(T):
    font = _cjk_font() if T.lang == "zh" else None
    fam = ([font] if font else []) + ["DejaVu Sans"]
    plt.rcParams["font.sans-serif"] = fam
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False if font else True


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


class Figures:
    """Numbered figures; each cited as "<cases>, Figure n: <name>"."""

    def __init__(self, T):
        self.T, self.n = T, 0

    def add(self, fig, name, fid):
        self.n += 1
        cap = f"{self.T('fig', n=self.n)}: {name}" if self.T.lang == "en" else f"{self.T('fig', n=self.n)}:{name}"
        return (f'<figure id="{_esc(fid)}" class="plot"><figcaption>{_esc(cap)}</figcaption>'
                f'<img alt="{_esc(cap)}" src="data:image/png;base64,{_png(fig)}"></figure>')


COLOURS = {"better": "#2e7d32", "worse": "#c62828", "negligible": "#9e9e9e", "neutral": "#455a64"}


def _ticks(ax, axis="x"):
    from matplotlib.ticker import MaxNLocator

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_locator(MaxNLocator(6))


def _headline_figure(cmp, output, T):
    """Levels per scenario (left) and change from the reference (right)."""
    meta = cmp.meta.loc[output]
    t = cmp.table.xs(output, level="output")
    sh = shown(cmp, output, T)
    k = kd = sh.scale
    ulev, udiff = sh.unit or sh.note, sh.dunit or sh.note
    reps = cmp.replicates[output] if output in cmp.replicates else None
    colours = plotting._colours(len(cmp.labels))
    if len(cmp.labels) > 1:
        fig, (a0, a1) = plt.subplots(1, 2, figsize=(11, 3.0), gridspec_kw={"width_ratios": [1, 1.2]})
    else:   # one scenario (--uncertainty N): its spread over the draws only
        fig, a0 = plt.subplots(figsize=(5.5, 3.0))
        a1 = None
    for j, lab in enumerate(cmp.labels):
        row = t.loc[lab]
        if reps is not None:
            vals = reps.loc[lab].values * k
            jit = (np.arange(len(vals)) / max(len(vals) - 1, 1) - 0.5) * 0.3
            a0.plot(j + jit, vals, "o", color=colours[j], alpha=0.4, ms=4)
        a0.errorbar(j, row["mean"] * k, yerr=[[(row["mean"] - row["ci_low"]) * k], [(row["ci_high"] - row["mean"]) * k]],
                    fmt="s", color="black", capsize=6, ms=6)
    a0.set_xticks(range(len(cmp.labels)), cmp.labels)
    a0.set_xlim(-0.6, len(cmp.labels) - 0.4)
    a0.set_ylabel(ulev)
    _ticks(a0, "y")
    a0.grid(axis="y", alpha=0.3)
    ref = cmp.labels[0]
    others = cmp.labels[1:]
    neg = meta["negligible"]
    if a1 is None:
        fig.suptitle(f"{T.label(cmp.meta, output)} ({ulev})", fontsize=11)
        fig.tight_layout()
        return fig
    if _fin(neg) and neg > 0:
        a1.axvspan(-neg * kd, neg * kd, color="#bdbdbd", alpha=0.5, lw=0)
    a1.axvline(0, color="black", lw=0.8)
    for j, lab in enumerate(others):
        row = t.loc[lab]
        v = verdict(row["diff"], meta["better"], neg)
        y = len(others) - 1 - j
        if reps is not None and cmp.method == "paired":
            d = (reps.loc[lab].values - reps.loc[ref].values) * kd
            jit = (np.arange(len(d)) / max(len(d) - 1, 1) - 0.5) * 0.3
            a1.plot(d, y + jit, "o", color=COLOURS[v], alpha=0.35, ms=4)
        a1.errorbar(row["diff"] * kd, y, xerr=[[(row["diff"] - row["diff_ci_low"]) * kd], [(row["diff_ci_high"] - row["diff"]) * kd]],
                    fmt="D", color=COLOURS[v], capsize=6, ms=7, lw=2)
    a1.set_yticks(range(len(others)), [f"{lab} − {ref}" for lab in reversed(others)])
    a1.set_ylim(-0.6, len(others) - 0.4)
    a1.set_xlabel(f"{T('ax_change', r=ref)} ({udiff})")
    a1.grid(axis="x", alpha=0.3)
    lo, hi = a1.get_xlim()
    m = max(abs(lo), abs(hi))
    a1.set_xlim(-m, m) if m > 0 else None
    _ticks(a1)
    fig.suptitle(f"{T.label(cmp.meta, output)} ({ulev})", fontsize=11)
    fig.tight_layout()
    return fig


def _lever_figure(cmp, outputs, T):
    d = cmp.decompose
    levers = list(d.levers.index)
    names = levers + [T("interaction")]
    ncol = 2
    nrow = math.ceil(len(outputs) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(11, 0.9 + nrow * (0.6 + 0.28 * len(names))), squeeze=False)
    for i, output in enumerate(outputs):
        ax = axes[i // ncol][i % ncol]
        meta = d.meta.loc[output] if output in d.meta.index else cmp.meta.loc[output]
        e = d.effects.xs(output, level="output").reindex(levers)
        vals = list(e["effect"]) + [d.totals.loc[output, "interaction"]]
        lo = list(e["effect_ci_low"]) + [np.nan]
        hi = list(e["effect_ci_high"]) + [np.nan]
        sh = shown(cmp, output, T)
        k, unit_word = sh.scale, sh.dunit or sh.note
        y = np.arange(len(names))[::-1]
        cols = [COLOURS[verdict(v, meta["better"], meta["negligible"])] for v in vals]
        ax.barh(y, np.array(vals) * k, color=cols, height=0.6)
        err = np.array([[v - a if _fin(a) else 0 for v, a in zip(vals, lo)],
                        [b - v if _fin(b) else 0 for v, b in zip(vals, hi)]]) * k
        ax.errorbar(np.array(vals) * k, y, xerr=err, fmt="none", ecolor="black", capsize=3, lw=1)
        neg = meta["negligible"]
        if _fin(neg) and neg > 0:
            ax.axvspan(-neg * k, neg * k, color="#bdbdbd", alpha=0.4, lw=0, zorder=0)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, names if i % ncol == 0 else [""] * len(names), fontsize=8)
        _ticks(ax)
        ax.set_title(f"{T.label(d.meta if output in d.meta.index else cmp.meta, output)} ({unit_word})",
                     fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for j in range(len(outputs), nrow * ncol):
        axes[j // ncol][j % ncol].set_visible(False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- sections

def _headline_outputs(cmp):
    m = cmp.meta
    heads = [o for o in m.index if m.loc[o, "headline"] and o in cmp.table.index.get_level_values("output")]
    return sorted(heads, key=lambda o: _is_cost(m.loc[o, "units"]))   # what changes, then its cost


def _is_cost(units):
    return "yuan" in units


def _label_note(cmp, output, T, sh):
    label = T.label(cmp.meta, output)
    return f"{label} ({sh.note})" if sh.note else label


def _sentence(cmp, output, lab, T):
    meta = cmp.meta.loc[output]
    units = meta["units"]
    sh = shown(cmp, output, T)
    t = cmp.table.xs(output, level="output")
    ref, row = t.loc[cmp.labels[0]], t.loc[lab]
    v = verdict(row["diff"], meta["better"], meta["negligible"])
    pct = fmt_pct(row["diff"], ref["mean"])
    pct = T("rel", p=pct) if pct and sh.unit == "%" else pct or T("no_pct")
    s = T("change_sentence", label=_esc(_label_note(cmp, output, T, sh)), a=sh.value(ref["mean"]),
          b=sh.value(row["mean"]), d=sh.change(row["diff"]), pct=pct)
    word = T("verdict_cost_" + v) if _is_cost(units) and v in ("better", "worse") else T("verdict_" + v)
    tail = [f'<span class="{v}">{word}</span>']
    if _fin(row.get("prob_better", float("nan"))) and cmp.uncertainty_draws > 0:
        tail.append(T("prob", p=fmt_prob(row["prob_better"])))
    else:
        ci = dict(lo=sh.change(row["diff_ci_low"], False), hi=sh.change(row["diff_ci_high"], False))
        tail.append(T("ci_both" if cmp.uncertainty_draws > 0 else "ci_seed", **ci))
    if v in ("better", "worse", "neutral") and _fin(row["diff_ci_low"]) and row["diff_ci_low"] <= 0 <= row["diff_ci_high"]:
        tail.append(T("uncertain"))
    sep = "; " if T.lang == "en" else ";"
    return v, s + ": " + sep.join(tail) if T.lang == "en" else s + ":" + sep.join(tail)


def _answer(cmp, T, cases):
    heads = _headline_outputs(cmp)
    out = [f'<div class="answer" id="answer"><h2>{T("answer_h")}</h2>']
    if len(cmp.labels) == 1:
        lab = cmp.labels[0]
        out.append(f"<p>{T('one_intro', n=cmp.replicates_per_scenario)}</p><ul>")
        for o in heads:
            sh, row = shown(cmp, o, T), cmp.table.loc[(o, lab)]
            out.append("<li>" + T("one_sentence", label=_esc(_label_note(cmp, o, T, sh)), v=sh.value(row["mean"]),
                                  lo=sh.value(row["ci_low"]), hi=sh.value(row["ci_high"])) + "</li>")
        out.append("</ul>")
    for lab in cmp.labels[1:]:
        out.append(f"<h3>{_esc(T('answer_vs', b=f'{lab} ({cases[lab]})', a=f'{cmp.labels[0]} ({cases[cmp.labels[0]]})'))}</h3>")
        items = {"change": [], "cost": [], "negligible": []}
        counts = {"better": 0, "worse": 0, "negligible": 0, "neutral": 0}
        for o in heads:
            v, s = _sentence(cmp, o, lab, T)
            counts[v] += 1
            if v == "negligible":
                sh = shown(cmp, o, T)
                thr = sh.change(cmp.meta.loc[o, "negligible"]).lstrip("+")
                items["negligible"].append(f"{_esc(_label_note(cmp, o, T, sh))} ({sh.change(cmp.table.loc[(o, lab), 'diff'])}; &lt; {thr})")
            elif _is_cost(cmp.meta.loc[o, "units"]):
                items["cost"].append(s)
            else:
                items["change"].append(s)
        if cmp.has_meta:
            out.append(f"<p>{T('summary', b=_esc(lab), n=len(heads), nb=counts['better'], nw=counts['worse'], nn=counts['negligible'])}</p>")
        else:
            out.append(f"<p>{T('summary_neutral')}</p>")
        out.append(f"<h4>{T('what_changes')}</h4><ul>")
        out += [f"<li>{s}</li>" for s in items["change"]] or [f"<li>{T('nothing')}</li>"]
        out.append(f"</ul><h4>{T('at_what_cost')}</h4><ul>")
        out += [f"<li>{s}</li>" for s in items["cost"]] or [f"<li>{T('no_cost')}</li>"]
        out.append("</ul>")
        if items["negligible"]:
            out.append(f"<h4>{T('negl_list')}</h4><p class='negl'>{('; ' if T.lang == 'en' else ';').join(items['negligible'])}</p>")
    out.append(f"<h4>{T('how_sure')}</h4>{_how_sure(cmp, T)}</div>")
    return "\n".join(out)


def _how_sure(cmp, T):
    if cmp.uncertainty_draws > 0 and cmp.interval_covers != "seeds":
        src = cmp.uncertainty_source
        if not src or src.startswith("plausible ranges"):
            src = T("src_ranges")
        n = cmp.uncertainty_draws
        few = T("few_draws", n=n, step=f"{100 / n:.0f}%") if n < 20 else ""
        return f'<p class="sure">{T("sure_uq", n=n, src=_esc(src))}{few}</p>'
    n = cmp.replicates_per_scenario
    few = T("few_runs", n=n) if n < 10 else ""
    return f'<p class="caveat sure">{T("sure_seed", reps=n)}{few}</p>'


def _results_table(cmp, rows, T):
    ref = cmp.labels[0]
    uq = cmp.uncertainty_draws > 0
    head = "".join(f"<th>{T('col_mean_uq' if uq else 'col_mean', s=_esc(lab))}</th>" for lab in cmp.labels)
    for lab in cmp.labels[1:]:
        head += f"<th>{T('col_change_uq' if uq else 'col_change', s=_esc(lab), r=_esc(ref))}</th><th>{T('col_pct', s=_esc(lab))}</th>"
        if uq:
            head += f"<th>{T('col_prob', s=_esc(lab))}</th>"
    out = [f'<div class="scroll"><table class="results"><tr><th class="name">{T("col_output")}</th><th class="name">{T("col_units")}</th>'
           f'{head}<th>{T("col_neg")}</th></tr>']
    for output in rows:
        meta = cmp.meta.loc[output]
        sh = shown(cmp, output, T)
        t = cmp.table.xs(output, level="output")
        shown_units = sh.unit or sh.note
        cells = []
        for _, r in t.iterrows():
            defined = "" if r["n"] == cmp.replicates_per_scenario else \
                f"<br><small>({T('runs_defined', k=int(r['n']), n=cmp.replicates_per_scenario)})</small>"
            cells.append(f'<td>{sh.value(r["mean"], False)}<br><small>[{sh.value(r["ci_low"], False)}, '
                         f'{sh.value(r["ci_high"], False)}]</small>{defined}</td>')
        for lab in cmp.labels[1:]:
            r = t.loc[lab]
            v = verdict(r["diff"], meta["better"], meta["negligible"])
            cells.append(f'<td class="{v}" data-verdict="{v}">{sh.change(r["diff"], False)}<br>'
                         f'<small>[{sh.change(r["diff_ci_low"], False)}, {sh.change(r["diff_ci_high"], False)}]</small></td>')
            cells.append(f'<td class="{v}">{fmt_pct(r["diff"], t.loc[ref, "mean"]) or "–"}</td>')
            if uq:
                cells.append(f'<td class="{v}">{fmt_prob(r["prob_better"])}</td>')
        neg = meta["negligible"]
        negs = sh.change(neg).lstrip("+") if _fin(neg) else "–"
        out.append(f'<tr data-output="{_esc(output)}"><td class="name" title="{_esc(output)}">'
                   f'{_esc(T.label(cmp.meta, output))}</td><td class="name">{_esc(shown_units)}</td>'
                   + "".join(cells) + f"<td>{negs}</td></tr>")
    out.append("</table></div>")
    return "\n".join(out)


def _levers(cmp, T, figs):
    d = cmp.decompose
    heads = [o for o in _headline_outputs(cmp) if o in d.totals.index] or d.outputs
    a = cmp.labels[0]
    out = [f'<section id="levers"><h2>{T("levers_h")}</h2><p class="note">{T("levers_intro", a=_esc(a))}</p><ul>']
    active = set()
    for o in heads:
        meta = d.meta.loc[o] if o in d.meta.index else cmp.meta.loc[o]
        e = d.effects.xs(o, level="output")
        for lever, row in e.iterrows():
            if verdict(row["effect"], "higher", meta["negligible"]) != "negligible":
                active.add(lever)
        total = d.totals.loc[o, "total"]
        if not _fin(total) or verdict(total, "higher", meta["negligible"]) == "negligible":
            continue
        top = e["effect"].abs().idxmax()
        inter = d.totals.loc[o, "interaction"]
        share = e.loc[top, "effect"] / total if total else float("nan")
        out.append("<li>" + T("lever_most", label=_esc(T.label(d.meta if o in d.meta.index else cmp.meta, o)),
                              total=shown(cmp, o, T).change(total), lever=_esc(top),
                              eff=shown(cmp, o, T).change(e.loc[top, "effect"]),
                              share=f"{share * 100:.0f}%" if _fin(share) else "–")
                   + (T("lever_inter", inter=shown(cmp, o, T).change(inter)) if _fin(inter) and
                      verdict(inter, "higher", meta["negligible"]) != "negligible" else "") + "</li>")
    idle = [lv for lv in d.levers.index if lv not in active]
    if idle:
        out.append("<li>" + T("lever_nothing", levers=", ".join(_esc(x) for x in idle)) + "</li>")
    out.append("</ul>")
    out.append(figs.add(_lever_figure(cmp, heads, T), T("fig_levers"), "fig-levers"))
    # the table: levers as rows, headline outputs as columns
    head = "".join(f"<th>{_esc(T.label(d.meta if o in d.meta.index else cmp.meta, o))}<br><small>"
                   f"{_esc(shown(cmp, o, T).dunit or shown(cmp, o, T).note)}"
                   f"</small></th>" for o in heads)
    rows = [f'<div class="scroll"><table class="levers"><tr><th class="name">{T("col_lever")}</th><th class="name">{T("col_keys")}</th>{head}</tr>']

    def cell(o, v, lo=None, hi=None):
        meta = d.meta.loc[o] if o in d.meta.index else cmp.meta.loc[o]
        sh = shown(cmp, o, T)
        cls = verdict(v, meta["better"], meta["negligible"])
        ci = "" if lo is None else f"<br><small>[{sh.change(lo, False)}, {sh.change(hi, False)}]</small>"
        return f'<td class="{cls}">{sh.change(v, False)}{ci}</td>'

    for lever in d.levers.index:
        cells = "".join(cell(o, *d.effects.loc[(o, lever), ["effect", "effect_ci_low", "effect_ci_high"]]) for o in heads)
        keys = ", ".join(d.levers.loc[lever, "keys"].split(","))
        rows.append(f'<tr><td class="name">{_esc(lever)}</td><td class="name"><small>{_esc(keys)}</small></td>{cells}</tr>')
    rows.append(f'<tr><td class="name">{T("interaction")}</td><td></td>'
                + "".join(cell(o, d.totals.loc[o, "interaction"]) for o in heads) + "</tr>")
    rows.append(f'<tr><td class="name"><b>{T("total")}</b></td><td></td>'
                + "".join(cell(o, d.totals.loc[o, "total"]) for o in heads) + "</tr></table></div>")
    out += rows
    out.append("</section>")
    return "\n".join(out)


def _param_table(cmp, T):
    diff = cmp.parameter_differences(ignore=("run.seed", "scenario.description", "scenario.name"))
    if diff.empty:
        return f"<p>{T('same_params')}</p>"
    head = "".join(f"<th>{_esc(lab)}</th>" for lab in cmp.labels)
    rows = "".join(f'<tr><td class="name">{_esc(name)}</td>' + "".join(f"<td>{_esc(v)}</td>" for v in row)
                   + "</tr>" for name, row in diff.iterrows())
    return f'<table><tr><th class="name">{T("col_param")}</th>{head}</tr>{rows}</table>'


def _time_figures(cmp, T, figs):
    out = []
    for name, key, rolling in (("backlog", "fig_backlog", 1), ("resolved", "fig_resolved", 7)):
        if name not in cmp.series_names:
            continue
        fig, ax = plt.subplots(figsize=(11, 3.4))
        plotting.plot_series_bands(ax, cmp, name, rolling=rolling)
        ax.set_title(T("band"), fontsize=9)
        ax.set_xlabel(T("ax_day"))
        ax.set_ylabel(T("ax_requests"))
        out.append(figs.add(fig, T(key), f"fig-{name}"))
    fig, ax = plt.subplots(figsize=(11, 3.4))
    plotting.plot_ttr_distribution(ax, cmp)
    ax.set_xlabel(T("ax_ttr"))
    ax.set_ylabel(T("ax_share"))
    out.append(figs.add(fig, T("fig_ttr"), "fig-ttr"))
    return "\n".join(out)


def _caveats(cmp, T, cases):
    items = [_how_sure(cmp, T), f"<p>{T('cav_assumed')}</p>",
             f"<p>{T('cav_crn') if cmp.method == 'paired' else T('cav_welch')}</p>",
             f"<p>{T('cav_negl')}</p>", f"<p>{T('cav_model')}</p>",
             f"<p>{T('cite', cases=_esc(' / '.join(cases[lab] for lab in cmp.labels)))}</p>"]
    return f'<section id="caveats"><h2>{T("caveats_h")}</h2>' + "\n".join(items) + "</section>"


def _provenance(cmp, T):
    p = cmp.provenance
    shown = dict(p)
    if "wall_seconds" in p:
        try:
            shown["wall_seconds"] = f"{float(p['wall_seconds']):.1f}"
        except ValueError:
            pass
    items = "".join(f"<tr><td class='name'>{PROVENANCE[k][T.k]}</td><td class='name'>{_esc(shown[k])}</td></tr>"
                    for k in PROVENANCE if k in p)
    texts = "".join(f"<details><summary>{_esc(lab)}: {_esc(cmp.scenario_files[lab])}</summary>"
                    f"<pre>{_esc(cmp.scenario_texts[lab])}</pre></details>" for lab in cmp.labels)
    return f"<table>{items}</table>\n{texts}"


def render(path, lang="en"):
    """The HTML text of the report of compare file `path`, in English or Chinese."""
    T = Text(lang)
    cmp = load_compare(path)
    _style(T)
    figs = Figures(T)
    cases = _case_names(cmp)
    desc = _descriptions(cmp)
    heads = _headline_outputs(cmp)
    other = [o for o in cmp.meta.index if o not in heads]
    title = " vs ".join(cmp.labels) if lang == "en" else " 与 ".join(cmp.labels)
    scen = "".join(f"<li><b>{_esc(lab)}</b> — {T('case')}: {_esc(cases[lab])}"
                   + (f"<br><small>{_esc(desc[lab])} ({_esc(cmp.scenario_files[lab])})</small>" if desc[lab]
                      else f" <small>({_esc(cmp.scenario_files[lab])})</small>") + "</li>"
                   for lab in cmp.labels)
    legend = T("legend") if cmp.has_meta else T("legend_nometa")
    uq = cmp.uncertainty_draws > 0
    intro = "intro_one" if len(cmp.labels) == 1 else "intro_uq" if uq else "intro"
    levers = _levers(cmp, T, figs) if cmp.decompose is not None and len(cmp.labels) >= 2 else ""
    head_figs = "\n".join(figs.add(_headline_figure(cmp, o, T), T.label(cmp.meta, o), f"fig-{o}") for o in heads)
    time_figs = _time_figures(cmp, T, figs)
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8"><title>{_esc(T('title', title=title))}</title>
<style>{CSS % {'font': FONTS[lang]}}</style></head><body>
<h1>{_esc(T('title', title=title))}</h1>
<p>{T(intro, n=len(cmp.labels), reps=cmp.replicates_per_scenario, ref=_esc(cmp.labels[0]))}</p>
<ul>{scen}</ul>
{_answer(cmp, T, cases)}
<section id="headline"><h2>{T('headline_h')}</h2>
<p class="legend note">{legend}</p>
{_results_table(cmp, heads, T)}
</section>
{levers}
<section id="figures"><h2>{T('figures_h')}</h2>
<p class="note">{T('figures_intro' if len(cmp.labels) > 1 else 'figures_intro_one')}</p>
{head_figs}
<h3>{T('over_time_h')}</h3>
{time_figs}
</section>
<section id="differ"><h2>{T('differ_h')}</h2>
{_param_table(cmp, T)}
</section>
{_caveats(cmp, T, cases)}
<section id="others"><h2>{T('others_h')}</h2>
<details><summary>{T('others_sum', n=len(other))}</summary>
{_results_table(cmp, other, T)}
</details></section>
<section id="provenance"><h2>{T('prov_h')}</h2>
{_provenance(cmp, T)}
<p class="note">{T('made_by', path=_esc(path))}</p></section>
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
    ap.add_argument("--lang", choices=LANGS, default="en", help="language of the page (default en)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        text = render(args.compare_file, args.lang)
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
