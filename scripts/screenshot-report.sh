#!/usr/bin/env bash
# Opens a faultsim report in headless Chromium, fails on any console message or missing linked
# file, and writes a screenshot of the top of the page.
#
# Usage: scripts/screenshot-report.sh [RESULTS_DIR [SCREENSHOT.png]]
#   RESULTS_DIR  a run's or a sweep's results directory; rendered first if it has no index.html.
#                Default: runs workloads/mmap-lock-convoy.yaml into reports/mmap-lock-convoy/.
#   SCREENSHOT   default RESULTS_DIR/screenshot.png
# Environment: SCREENSHOT_SIZE (default 1280,3000), CHROMIUM (default chromium).
# Installs Debian's chromium package if it is missing (as root, or through sudo).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chromium="${CHROMIUM:-chromium}"
size="${SCREENSHOT_SIZE:-1280,3000}"

if ! command -v "$chromium" >/dev/null 2>&1; then
  echo "screenshot-report: installing chromium (apt-get)..." >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium >&2
fi

dir="${1:-}"
if [ -z "$dir" ]; then
  dir="$root/reports/mmap-lock-convoy"
  "$root/faultsim" run "$root/workloads/mmap-lock-convoy.yaml" --out "$dir" >&2
elif [ ! -f "$dir/index.html" ]; then
  "$root/faultsim" report "$dir" >&2
fi
dir="$(cd "$dir" && pwd)"
shot="${2:-$dir/screenshot.png}"
page="$dir/index.html"

# Every relative link and image of the page must exist: the report is read from disk.
missing=0
while IFS= read -r ref; do
  case "$ref" in
    http:*|https:*|\#*|mailto:*) ;;
    *) if [ ! -e "$dir/$ref" ]; then echo "screenshot-report: missing $ref" >&2; missing=1; fi ;;
  esac
done < <(grep -oE '(src|href)="[^"]*"' "$page" | sed -E 's/^(src|href)="(.*)"$/\2/')

profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile"
  --window-size="$size" --screenshot="$shot" --enable-logging=stderr --v=0)
if [ "$(id -u)" = 0 ]; then flags+=(--no-sandbox); fi
timeout 180 "$chromium" "${flags[@]}" "file://$page" 2>"$log" >/dev/null || {
  echo "screenshot-report: chromium failed:" >&2; cat "$log" >&2; exit 1; }

if grep -q "CONSOLE" "$log"; then
  echo "screenshot-report: console messages in $page:" >&2
  grep "CONSOLE" "$log" >&2
  exit 1
fi
if [ ! -s "$shot" ]; then
  echo "screenshot-report: no screenshot written" >&2
  exit 1
fi
if [ "$missing" != 0 ]; then
  exit 1
fi
echo "screenshot: $shot"
