#!/usr/bin/env bash
# Makes sure a Chromium for the browser tests exists. Playwright's own browser download cannot work
# on machines that reach only package registries, so the tests drive Debian's chromium through
# playwright-core. Set CHROME_PATH to use another Chromium/Chrome binary.
set -euo pipefail

if [[ -n "${CHROME_PATH:-}" ]]; then
  if [[ -x "$CHROME_PATH" ]]; then echo "chromium: using CHROME_PATH=$CHROME_PATH"; exit 0; fi
  echo "chromium: CHROME_PATH=$CHROME_PATH is not an executable file" >&2; exit 1
fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -x "$candidate" ]]; then echo "chromium: $candidate"; exit 0; fi
done
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
  echo "chromium: installing Debian's chromium with apt-get (one time)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
  echo "chromium: $(command -v chromium)"
  exit 0
fi
cat >&2 <<'MSG'
chromium: no Chromium found and this user cannot apt-get install it.
Install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or point CHROME_PATH at a
Chromium/Chrome executable, then re-run: npm run setup:tools
MSG
exit 1
