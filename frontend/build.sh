#!/usr/bin/env bash
# Rebuild the vendored front-end assets in ../static/vendor/.
#
#   cd frontend && ./build.sh        (or: npm run build)
#
# 1. installs the exact versions pinned in package.json / package-lock.json
# 2. compiles iro-frontend.scss (GOV.UK Frontend + MoJ Frontend, council
#    branding: system fonts, no GDS Transport) to ../static/vendor/iro-frontend.min.css
# 3. copies the GOV.UK Frontend and MoJ Frontend ES-module JS (+ source maps),
#    exactly the images the compiled CSS references, axe-core, zxcvbn (the
#    password strength meter's dictionaries and scorer), and the licences
# 4. verifies the result (no GDS Transport, no fonts folder, every url() exists)
#
# Needs Node >= 20.19 (required by sass) and access to the npm registry.
# node_modules/ is git-ignored; only the output in ../static/vendor/ is committed.
set -euo pipefail

cd "$(dirname "$0")"
FRONTEND_DIR="$(pwd)"
VENDOR="$(cd .. && pwd)/static/vendor"
NM="$FRONTEND_DIR/node_modules"
GOVUK="$NM/govuk-frontend/dist/govuk"
MOJ="$NM/@ministryofjustice/frontend/moj"
AXE="$NM/axe-core"
ZXCVBN="$NM/zxcvbn"

# No package needs an install script (sass's optional file watcher is not used).
npm ci --ignore-scripts || npm install --ignore-scripts

version_of() { node -p "require('$NM/$1/package.json').version"; }
GOVUK_VERSION="$(version_of govuk-frontend)"
MOJ_VERSION="$(version_of @ministryofjustice/frontend)"
AXE_VERSION="$(version_of axe-core)"
ZXCVBN_VERSION="$(version_of zxcvbn)"
SASS_VERSION="$(version_of sass)"
echo "govuk-frontend $GOVUK_VERSION, @ministryofjustice/frontend $MOJ_VERSION, axe-core $AXE_VERSION, zxcvbn $ZXCVBN_VERSION, sass $SASS_VERSION"

# --- clean only what this script generates (README.md is hand-written) -------
mkdir -p "$VENDOR"
rm -rf "$VENDOR/govuk-frontend" "$VENDOR/moj-frontend" "$VENDOR/axe-core" "$VENDOR/zxcvbn" \
       "$VENDOR/iro-frontend.min.css"
mkdir -p "$VENDOR/govuk-frontend" "$VENDOR/moj-frontend" "$VENDOR/axe-core" "$VENDOR/zxcvbn"

# --- CSS ---------------------------------------------------------------------
# --load-path=. lets MoJ Frontend resolve its internal
# "node_modules/govuk-frontend/dist/govuk/base" import; files loaded through
# load paths count as dependencies, so --quiet-deps hides the many Sass
# deprecation warnings (import, global-builtin, if-function, slash-div,
# color-functions) raised inside GOV.UK/MoJ Frontend. They are warnings only
# with the pinned sass version.
CSS="$VENDOR/iro-frontend.min.css"
"$NM/.bin/sass" \
  --load-path=node_modules \
  --load-path=. \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  iro-frontend.scss "$CSS.tmp"
mv "$CSS.tmp" "$CSS"

# --- JavaScript (both are self-contained ES modules: load with type="module") --
cp "$GOVUK/govuk-frontend.min.js" "$GOVUK/govuk-frontend.min.js.map" "$VENDOR/govuk-frontend/"
cp "$MOJ/moj-frontend.min.js" "$MOJ/moj-frontend.min.js.map" "$VENDOR/moj-frontend/"
cp "$AXE/axe.min.js" "$VENDOR/axe-core/"
# zxcvbn's browser build: a classic (UMD) script that sets window.zxcvbn. Dropbox's original,
# which the server's Python zxcvbn follows, so that the meter and the server's check agree. The
# signin app's password-strength.js adds it to the page only when a new password is typed
# (it is 800 KB, most of it the dictionaries). Its source map is left out: it maps to sources
# that are not vendored.
cp "$ZXCVBN/dist/zxcvbn.js" "$VENDOR/zxcvbn/"

# --- images: copy exactly what the compiled CSS references ---------------------
# (no fonts, favicons, manifests or logos: council branding)
css_urls() {
  grep -o 'url([^)]*)' "$CSS" \
    | sed -E "s/^url\([\"']?//; s/[\"']?\)$//" \
    | grep -v '^data:' \
    | sort -u || true
}
while IFS= read -r url; do
  [ -n "$url" ] || continue
  case "$url" in
    govuk-frontend/assets/*) src="$GOVUK/assets/${url#govuk-frontend/assets/}" ;;
    moj-frontend/assets/*)   src="$MOJ/assets/${url#moj-frontend/assets/}" ;;
    *) echo "ERROR: unexpected url($url) in $CSS" >&2; exit 1 ;;
  esac
  if [ ! -f "$src" ]; then
    echo "ERROR: url($url) has no source file $src" >&2; exit 1
  fi
  mkdir -p "$VENDOR/$(dirname "$url")"
  cp "$src" "$VENDOR/$url"
done < <(css_urls)

# --- licences ------------------------------------------------------------------
# The govuk-frontend and @ministryofjustice/frontend npm packages declare MIT in
# package.json but ship no licence file, so the upstream texts are kept in
# licenses/. axe-core ships its own.
cp licenses/govuk-frontend-LICENSE.txt "$VENDOR/govuk-frontend/LICENSE.txt"
cp licenses/moj-frontend-LICENSE.txt "$VENDOR/moj-frontend/LICENSE.txt"
cp "$AXE/LICENSE" "$VENDOR/axe-core/LICENSE.txt"
cp "$AXE/LICENSE-3RD-PARTY.txt" "$VENDOR/axe-core/LICENSE-3RD-PARTY.txt"
cp "$ZXCVBN/LICENSE.txt" "$VENDOR/zxcvbn/LICENSE.txt"

# --- verification ----------------------------------------------------------------
fail=0
gds=$(grep -c "GDS Transport" "$CSS" || true)
fonts=$(grep -c -i "fonts/" "$CSS" || true)
fontface=$(grep -c "@font-face" "$CSS" || true)
echo "CSS lines mentioning 'GDS Transport': $gds, 'fonts/': $fonts, '@font-face': $fontface"
if [ "$gds" != 0 ] || [ "$fonts" != 0 ] || [ "$fontface" != 0 ]; then
  echo "ERROR: the stylesheet still references the GOV.UK webfont" >&2; fail=1
fi
echo "url() references in iro-frontend.min.css:"
while IFS= read -r url; do
  [ -n "$url" ] || continue
  if [ -f "$VENDOR/$url" ]; then
    echo "  ok       static/vendor/$url"
  else
    echo "  MISSING  static/vendor/$url" >&2; fail=1
  fi
done < <(css_urls)
[ -d "$VENDOR/govuk-frontend/assets/fonts" ] && { echo "ERROR: fonts folder was copied" >&2; fail=1; }
grep -q "version=\"$GOVUK_VERSION\"" "$VENDOR/govuk-frontend/govuk-frontend.min.js" \
  || { echo "ERROR: govuk-frontend.min.js is not version $GOVUK_VERSION" >&2; fail=1; }
grep -q "version=\"$MOJ_VERSION\"" "$VENDOR/moj-frontend/moj-frontend.min.js" \
  || { echo "ERROR: moj-frontend.min.js is not version $MOJ_VERSION" >&2; fail=1; }
# zxcvbn's build names no version: it must be the installed package's file, byte for byte.
cmp -s "$ZXCVBN/dist/zxcvbn.js" "$VENDOR/zxcvbn/zxcvbn.js" \
  || { echo "ERROR: zxcvbn/zxcvbn.js is not zxcvbn $ZXCVBN_VERSION's dist/zxcvbn.js" >&2; fail=1; }
for v in "govuk-frontend | $GOVUK_VERSION" "@ministryofjustice/frontend | $MOJ_VERSION" \
         "axe-core | $AXE_VERSION" "zxcvbn | $ZXCVBN_VERSION" "sass | $SASS_VERSION"; do
  grep -qF "$v" "$VENDOR/README.md" 2>/dev/null \
    || echo "WARNING: static/vendor/README.md does not list '$v'; update its version table" >&2
done
[ "$fail" = 0 ] || exit 1

echo "Built files:"
(cd "$VENDOR/.." && find vendor -type f ! -name README.md | sort | xargs du -b | awk '{printf "  %9d  static/%s\n", $1, $2}')
