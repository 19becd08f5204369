#!/usr/bin/env bash
# The HTML report of `govsim compare` renders in headless Chromium with all its
# images: `govsim compare --report` and `python3 -m govsim_analysis.report` both
# write it; a copy with a small script reports, from Chromium's DOM dump, how many
# <img> decoded, whether the answer box, the lever section and a figure per headline
# output are there and laid out, and the computed colours of the differences (green
# better, red worse, grey negligible). The page is checked on a plain compare file
# (no metadata: the fallback) and on one with the attributes of issue 19 added by
# tests/report_fixture.py, in English and with --lang zh. Screenshots are left as
# report-screenshot.png and report-screenshot-zh.png in the directory the test runs in
# (build/tests), to look at.
#   test_report.sh GOVSIM SOURCE_DIR PYTHON
set -u
GOVSIM=$1 SRC=$2 PY=$3
here=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

CHROMIUM=$(command -v chromium || command -v chromium-browser) || { echo "FAIL: chromium not installed (scripts/setup.sh)"; exit 1; }
common='time.days: 10\nworld:\n  streets: 1\n  communities: 3\n  grids: 9\n'
printf "# Testtown before the reform: two workers per grid.\nscenario:\n  name: two\n  description: Two workers <per> grid & more\n$common" > a.yaml
printf "scenario:\n  name: one\n$common grid.workers: 1\n" | sed 's/^ grid/grid/' > b.yaml

"$GOVSIM" compare a.yaml b.yaml -n 3 -o cmp.h5 --report report.html >compare.txt || bad "govsim compare --report failed"
[ "$(grep -c '^wrote report.html$' compare.txt)" = 1 ] || bad "compare --report does not say once that it wrote the report: $(cat compare.txt)"
[ -s report.html ] || bad "no report.html"
PYTHONPATH="$SRC/analysis" "$PY" -m govsim_analysis.report cmp.h5 -o report2.html -q || bad "python3 -m govsim_analysis.report failed"
cmp -s <(sed '/start_time\|start time\|Made by/d' report.html) <(sed '/start_time\|start time\|Made by/d' report2.html) || bad "the two ways of making the report differ"
grep -q 'src="http' report.html && bad "report refers to external resources"
grep -q 'Two workers &lt;per&gt; grid &amp; more' report.html || bad "scenario description not escaped"

# The file as an older govsim wrote it (no metadata: the fallback); the file with
# metadata, uncertainty and decomposition; the page in both languages
# (the Chinese one through govsim compare --lang, which passes it on).
"$PY" "$SRC/tests/report_fixture.py" cmp.h5 old.h5 --strip || bad "report_fixture.py --strip failed"
PYTHONPATH="$SRC/analysis" "$PY" -m govsim_analysis.report old.h5 -o old.html -q || bad "report of old.h5 failed"
"$PY" "$SRC/tests/report_fixture.py" cmp.h5 full.h5 --meta --uncertainty --decompose 2>/dev/null || bad "report_fixture.py failed"
PYTHONPATH="$SRC/analysis" "$PY" -m govsim_analysis.report full.h5 -o full.html -q || bad "report of full.h5 failed"
"$GOVSIM" compare a.yaml b.yaml -n 3 -o cmp2.h5 --report zh-plain.html --lang zh -q || bad "govsim compare --report --lang zh failed"
grep -q '<html lang="zh-CN">' zh-plain.html || bad "govsim compare --lang zh did not give a Chinese page"
PYTHONPATH="$SRC/analysis" "$PY" -m govsim_analysis.report full.h5 -o full-zh.html --lang zh -q || bad "report --lang zh failed"

# In the page, once loaded: images decoded, the sections present and visible, the
# computed background colour of each difference cell by its verdict.
probe='<script>window.addEventListener("load", function () {
  var im = document.images, ok = 0, b = document.body;
  for (var i = 0; i < im.length; i++) if (im[i].complete \&\& im[i].naturalWidth > 0) ok++;
  b.setAttribute("data-images", ok + "/" + im.length);
  var a = document.getElementById("answer");
  b.setAttribute("data-answer", a \&\& a.getBoundingClientRect().height > 50 ? "shown" : "missing");
  b.setAttribute("data-answer-top", a ? String(a.getBoundingClientRect().top < document.getElementById("headline").getBoundingClientRect().top) : "none");
  b.setAttribute("data-levers", document.getElementById("levers") ? "yes" : "no");
  b.setAttribute("data-figures", document.querySelectorAll("figure.plot img").length);
  var c = {}, cells = document.querySelectorAll("td[data-verdict]");
  for (var j = 0; j < cells.length; j++) { var v = cells[j].getAttribute("data-verdict"); if (!(v in c)) c[v] = getComputedStyle(cells[j]).backgroundColor.replace(/ /g, ""); }
  var s = []; for (var k in c) s.push(k + "=" + c[k]); b.setAttribute("data-colours", s.sort().join(";"));
  b.setAttribute("data-font", getComputedStyle(b).fontFamily.replace(/"/g, "").replace(/ /g, "_"));
});</script></body>'
opts=(--headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$work/profile" --virtual-time-budget=10000)
attr() { grep -o "$1=\"[^\"]*\"" "$2" | head -1 | sed 's/^[^=]*="//; s/"$//'; }
render() {   # render PAGE -> PAGE.dom
    sed "s#</body>#$(printf '%s' "$probe" | tr '\n' ' ' | sed 's/[#]/\\#/g')#" "$1" > "$1.check.html"
    timeout 180 "$CHROMIUM" "${opts[@]}" --dump-dom "file://$work/$1.check.html" > "$1.dom" 2> chromium.log ||
        bad "chromium --dump-dom $1 failed: $(tail -3 chromium.log)"
    local counts; counts=$(attr data-images "$1.dom")
    loaded=${counts%/*} total=${counts#*/}
    if [ -z "$counts" ]; then bad "$1: page did not finish loading in Chromium"
    elif [ "$total" -lt 6 ]; then bad "$1: expected at least 6 images, page has $total"
    elif [ "$loaded" != "$total" ]; then bad "$1: only $loaded of $total images decoded"
    fi
    [ "$(attr data-answer "$1.dom")" = shown ] || bad "$1: no answer box rendered"
    [ "$(attr data-answer-top "$1.dom")" = true ] || bad "$1: the answer box is not above the results"
}
heads() { "$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1]); print(sum(1 for g in f['comparison'].values() if isinstance(g, h5py.Group) and g.attrs.get('$2', 0)))" "$1"; }

render report.html
[ "$(attr data-levers report.html.dom)" = no ] || bad "report.html: lever section without /decompose"
grep -q "seed noise only" report.html.dom || bad "report.html: the seed-noise caveat is missing"

render old.html
[ "$(attr data-figures old.html.dom)" -ge "$(heads cmp.h5 main)" ] || bad "old.html: fewer figures than main outputs"
colours=$(attr data-colours old.html.dom)
[ "$colours" = "neutral=rgba(0,0,0,0)" ] || bad "old.html: a file without directions is coloured: $colours"

render full.html
[ "$(attr data-levers full.html.dom)" = yes ] || bad "full.html: no lever section with /decompose"
nh=$(heads full.h5 headline)
[ "$(attr data-figures full.html.dom)" -ge $((nh + 4)) ] || bad "full.html: expected a figure per headline output ($nh) + 4"
colours=$(attr data-colours full.html.dom)
echo "$colours" | grep -q 'better=rgb(223,240,216)' || bad "full.html: better is not green: $colours"
echo "$colours" | grep -q 'worse=rgb(248,220,220)' || bad "full.html: worse is not red: $colours"
grep -q 'plausible worlds' full.html.dom || bad "full.html: no 'plausible worlds' in the answer"

render full-zh.html
font=$(attr data-font full-zh.html.dom)
case "$font" in Noto_Sans_CJK_SC,*) ;; *) bad "full-zh.html: CJK fonts not first: $font" ;; esac
fc-list :lang=zh | grep -q . || bad "no Chinese font installed for Chromium (fonts-noto-cjk, scripts/setup.sh)"
for h in 结论摘要 主要指标 各项措施的作用 注意事项 按时办结率; do
    grep -q "$h" full-zh.html.dom || bad "full-zh.html: '$h' missing"
done
for h in "The answer in brief" "Headline outputs" "What each lever did" "Caveats"; do
    grep -q "$h" full-zh.html.dom && bad "full-zh.html: untranslated '$h'"
done

timeout 180 "$CHROMIUM" "${opts[@]}" --window-size=1280,4000 --screenshot="$here/report-screenshot.png" \
    "file://$work/full.html" >/dev/null 2>&1 || bad "chromium --screenshot failed"
timeout 180 "$CHROMIUM" "${opts[@]}" --window-size=1280,4000 --screenshot="$here/report-screenshot-zh.png" \
    "file://$work/full-zh.html" >/dev/null 2>&1 || bad "chromium --screenshot (zh) failed"
[ $fail = 0 ] && echo "report: rendered with $loaded of $total images, colours $colours; screenshots $here/report-screenshot.png, $here/report-screenshot-zh.png"
exit $fail
