#!/usr/bin/env bash
# Worlds of unlike communities: a world read from a community table runs, its
# per-community outputs follow the table, and world.households_total keeps the
# population fixed while grid size varies. Usage: test_community_table.sh GOVSIM SRC
set -u
GOVSIM=$1 SRC=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# the table path is relative to the scenario file, not to the working directory
if "$GOVSIM" run -q "$SRC/params/example_communities.yaml" --days 60 --threads 1 -o ex.h5; then ok
else bad "the example community-table scenario did not run"; fi
# per community: old-west has twice the households of old-east in as many grids, same
# composition, so about twice the requests; the columns follow the table's rows
/usr/bin/python3 - <<'PY' && ok || bad "per-community outputs do not follow the table"
import h5py, sys
f = h5py.File("ex.h5", "r")
a = f["timeseries/arisen"][:].sum(axis=0)
assert a.shape == (6,), a.shape
ratio = a[1] / a[0]
print("arisen per community", a, "old-west / old-east", round(ratio, 3))
assert 1.7 < ratio < 2.4, ratio
# resettle-south (6 grids, 2,700 households, resettled-heavy) against commodity-north
# (5 grids, 2,000 households, no resettled): more households and higher rates, more requests
assert a[3] > a[2] * 1.15, (a[3], a[2])
PY

# the same table with every community's households doubled: requests about double
sed -e '/^old-east,/s/,1600,/,3200,/' -e '/^old-west,/s/,3200,/,6400,/' "$SRC/params/communities/example.csv" > double.csv
grep -q '^old-east,1,old_neighbourhood,4,3200,' double.csv && grep -q '^old-west,1,old_neighbourhood,4,6400,' double.csv ||
  bad "test table not made"
"$GOVSIM" run -q --set world.streets=2 --set world.communities=6 --set world.grids=24 \
  --set world.community_table=double.csv --days 60 --threads 1 -o d.h5 && ok || bad "doubled table did not run"
/usr/bin/python3 - <<'PY' && ok || bad "doubling a community's households did not double its requests"
import h5py
a = h5py.File("ex.h5", "r")["timeseries/arisen"][:].sum(axis=0)
b = h5py.File("d.h5", "r")["timeseries/arisen"][:].sum(axis=0)
for c in (0, 1):
    r = b[c] / a[c]
    print("community", c, "requests x", round(r, 3))
    assert 1.75 < r < 2.25, r
PY

# streets of unlike size (2 and 4 communities): /timeseries/street follows the table
sed -e '/^commodity-north,/s/,1,commodity/,2,commodity/' "$SRC/params/communities/example.csv" > streets.csv
"$GOVSIM" run -q --set world.streets=2 --set world.communities=6 --set world.grids=24 \
  --set world.community_table=streets.csv --days 5 --threads 1 -o st.h5 && ok || bad "unequal streets did not run"
/usr/bin/python3 -c "
import h5py; s = list(h5py.File('st.h5', 'r')['timeseries/street'][:]); print('streets', s)
assert s == [0, 0, 1, 1, 1, 1], s" && ok || bad "/timeseries/street does not follow the table"

# world.households_total: the grid count follows grid.households, the population does not
for h in 300 600; do
  "$GOVSIM" params --set world.households_total=45200 --set grid.households=$h > p$h.txt || bad "params failed"
done
grep -Eq '^world.grids +int +151 ' p300.txt && ok || bad "45,200 / 300 should give 151 grids: $(grep '^world.grids' p300.txt)"
grep -Eq '^world.grids +int +75 ' p600.txt && ok || bad "45,200 / 600 should give 75 grids: $(grep '^world.grids' p600.txt)"
"$GOVSIM" sweep "$SRC/params/sweeps/grid_size.yaml" -o gs.h5 --threads 2 -q && ok || bad "grid_size sweep failed"
/usr/bin/python3 - <<'PY' && ok || bad "grid-size sweep: requests should not follow grid size, staff cost should"
import h5py, numpy as np
f = h5py.File("gs.h5", "r")
H = f["design/grid.households"][:]
n = f["results/requests_arisen"][:].astype(float)
cost = f["results/cost_staff_total"][:]
small, large = H == H.min(), H == H.max()
print("arisen", n[small].mean(), n[large].mean(), "staff cost", cost[small].mean(), cost[large].mean())
assert abs(n[small].mean() / n[large].mean() - 1) < 0.03
assert cost[small].mean() > 1.5 * cost[large].mean()
PY
# world.grid_households_cv: grids (and so communities) differ in households
"$GOVSIM" run -q --days 90 --threads 1 -o cv0.h5 && "$GOVSIM" run -q --days 90 --threads 1 \
  --set world.grid_households_cv=0.4 -o cv4.h5 && ok || bad "world.grid_households_cv run failed"
/usr/bin/python3 - <<'PY' && ok || bad "varied grids should make communities' request counts vary more"
import h5py
def cv(name):
    a = h5py.File(name, "r")["timeseries/arisen"][:].sum(axis=0)
    return a.std() / a.mean(), a.sum()
(c0, n0), (c4, n4) = cv("cv0.h5"), cv("cv4.h5")
print("CV of requests per community: alike grids", round(c0, 3), "varied", round(c4, 3), "totals", n0, n4)
assert c4 > 1.3 * c0 and abs(n4 / n0 - 1) < 0.1
PY
echo "community_table: $pass passed, $fail failed"
[ "$fail" = 0 ]
