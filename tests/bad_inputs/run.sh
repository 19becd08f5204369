#!/usr/bin/env bash
# Runs every case of cases.txt: govsim must exit with the expected status, say the
# expected message on stderr, and leave no output file (final or temporary) behind.
set -u
GOVSIM=$1 DIR=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
pass=0 fail=0 skip=0

# Runs govsim as an unprivileged user when we are root (permission bits do not stop root).
as_user() {
  if [ "$(id -u)" != 0 ]; then "$@"; return; fi
  setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

unreadable_file() {
  printf 'grid.households: 300\n' > unreadable.yaml
  chmod 000 unreadable.yaml
  chmod 755 "$work"
  if [ "$(id -u)" = 0 ] && ! setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    echo "SKIP: unreadable file: running as root and setpriv cannot drop to user nobody"
    return 1
  fi
  echo "$work/unreadable.yaml"
}

while IFS='|' read -r file args status needle; do
  file=$(echo "$file" | xargs)
  case "$file" in ''|'#'*) continue ;; esac
  args=$(echo "$args" | sed 's/^ *//; s/ *$//')
  status=$(echo "$status" | xargs)
  needle=$(echo "$needle" | sed 's/^ *//; s/ *$//')
  runner=()
  case "$file" in
    -) path= ;;
    @unreadable) path=$(unreadable_file) || { skip=$((skip + 1)); continue; }; runner=(as_user) ;;
    *) path="$DIR/$file"; [ -e "$path" ] || { echo "FAIL: case file $file is missing"; fail=$((fail + 1)); continue; } ;;
  esac
  # shellcheck disable=SC2086
  set -- ${args//FILE/$path}
  "${runner[@]}" "$GOVSIM" "$@" >out.txt 2>err.txt
  got=$?
  what="[$file] govsim $args"
  if [ "$got" != "$status" ]; then
    echo "FAIL: $what: exit $got, expected $status; stderr: $(head -c 400 err.txt)"; fail=$((fail + 1))
  elif ! grep -qF -- "$needle" err.txt; then
    echo "FAIL: $what: stderr lacks '$needle': $(head -c 400 err.txt)"; fail=$((fail + 1))
  elif ls ./*.h5 ./*.h5.tmp.* >/dev/null 2>&1; then
    echo "FAIL: $what: left an output file: $(ls ./*.h5*)"; fail=$((fail + 1)); rm -f ./*.h5*
  else
    pass=$((pass + 1))
  fi
done < "$DIR/cases.txt"
echo "bad_inputs: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
