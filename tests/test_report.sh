#!/usr/bin/env bash
# The HTML report of `govsim compare` renders in headless Chromium with all its
# images: `govsim compare --report` and `python3 -m govsim_analysis.report` both
# write it; a copy with a small script reports how many <img> decoded, read back
# from Chromium's DOM dump. A screenshot is left as report-screenshot.png in the
# directory the test runs in (build/tests), to look at.
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
printf "scenario:\n  name: two\n  description: Two workers <per> grid & more\n$common" > a.yaml
printf "scenario:\n  name: one\n$common grid.workers: 1\n" | sed 's/^ grid/grid/' > b.yaml

"$GOVSIM" compare a.yaml b.yaml -n 3 -o cmp.h5 --report report.html >compare.txt || bad "govsim compare --report failed"
[ "$(grep -c '^wrote report.html$' compare.txt)" = 1 ] || bad "compare --report does not say once that it wrote the report: $(cat compare.txt)"
[ -s report.html ] || bad "no report.html"
PYTHONPATH="$SRC/analysis" "$PY" -m govsim_analysis.report cmp.h5 -o report2.html -q || bad "python3 -m govsim_analysis.report failed"
cmp -s <(sed '/start_time\|Made by/d' report.html) <(sed '/start_time\|Made by/d' report2.html) || bad "the two ways of making the report differ"
grep -q 'src="http' report.html && bad "report refers to external resources"
grep -q 'Two workers &lt;per&gt; grid &amp; more' report.html || bad "scenario description not escaped"

# Count images that decoded (naturalWidth > 0) once the page has loaded.
sed 's#</body>#<script>window.addEventListener("load", function () { var im = document.images, ok = 0; for (var i = 0; i < im.length; i++) if (im[i].complete \&\& im[i].naturalWidth > 0) ok++; document.body.setAttribute("data-images", ok + "/" + im.length); });</script></body>#' report.html > check.html
opts=(--headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$work/profile" --virtual-time-budget=10000)
timeout 180 "$CHROMIUM" "${opts[@]}" --dump-dom "file://$work/check.html" > dom.html 2> chromium.log || bad "chromium --dump-dom failed: $(tail -3 chromium.log)"
counts=$(grep -o 'data-images="[0-9]*/[0-9]*"' dom.html | grep -o '[0-9]*/[0-9]*')
loaded=${counts%/*} total=${counts#*/}
if [ -z "$counts" ]; then bad "page did not finish loading in Chromium"
elif [ "$total" -lt 4 ]; then bad "expected at least 4 images, page has $total"
elif [ "$loaded" != "$total" ]; then bad "only $loaded of $total images decoded"
fi
grep -q "Main results" dom.html || bad "the results section is missing from the rendered page"
timeout 180 "$CHROMIUM" "${opts[@]}" --window-size=1280,4000 --screenshot="$here/report-screenshot.png" \
    "file://$work/report.html" >/dev/null 2>&1 || bad "chromium --screenshot failed"
[ $fail = 0 ] && echo "report: rendered with $loaded of $total images; screenshot $here/report-screenshot.png"
exit $fail
