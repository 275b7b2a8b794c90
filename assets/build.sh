#!/usr/bin/env bash
# Builds the front-end assets into ../static/ (committed to the repository).
#
#   static/govuk/tracker.css            compiled from src/tracker.scss
#   static/govuk/govuk-frontend.min.js  GOV.UK Frontend ES module bundle
#   static/govuk/assets/                GOV.UK Frontend images and manifest
#                                       (NOT fonts: GDS Transport may only
#                                       be used on gov.uk)
#   tests/e2e/vendor/axe.min.js         axe-core, for the browser tests' accessibility checks
#
# Needs Node.js and npm. Run from anywhere: ./assets/build.sh
set -euo pipefail

assets_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${assets_dir}/.." && pwd)"

cd "${assets_dir}"

# --ignore-scripts: nothing here needs an install script (the only one is
# @parcel/watcher, an optional dependency of sass used only by --watch)
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

govuk_dist="node_modules/govuk-frontend/dist/govuk"
out_govuk="${repo_root}/static/govuk"
out_vendor="${repo_root}/tests/e2e/vendor"

mkdir -p "${out_govuk}" "${out_vendor}"

# CSS
npx --no-install sass \
  --style=compressed \
  --no-source-map \
  --load-path=node_modules \
  --quiet-deps \
  src/tracker.scss "${out_govuk}/tracker.css"

# JavaScript (ES module: load with <script type="module">). The source map is
# not shipped, so drop the comment that points to it.
sed -e 's|//# sourceMappingURL=[^[:space:]]*\.map[[:space:]]*$||' \
  "${govuk_dist}/govuk-frontend.min.js" >"${out_govuk}/govuk-frontend.min.js"

# Images, icons and manifest.json, without fonts and source maps
rm -rf "${out_govuk}/assets"
mkdir -p "${out_govuk}/assets"
(
  cd "${govuk_dist}/assets"
  find . -type f ! -path './fonts/*' ! -name '*.map' -print0 |
    while IFS= read -r -d '' file; do
      mkdir -p "${out_govuk}/assets/$(dirname "${file}")"
      cp "${file}" "${out_govuk}/assets/${file}"
    done
)

# axe-core
cp node_modules/axe-core/axe.min.js "${out_vendor}/axe.min.js"

# Sanity checks
if grep -q -e 'GDS Transport' -e '@font-face' "${out_govuk}/tracker.css"; then
  echo "build.sh: tracker.css must not contain GDS Transport or @font-face" >&2
  exit 1
fi
if [ -n "$(find "${out_govuk}/assets" \( -name 'fonts' -o -name '*.woff' -o -name '*.woff2' -o -name '*.map' \))" ]; then
  echo "build.sh: static/govuk/assets must not contain fonts or source maps" >&2
  exit 1
fi
if grep -q 'sourceMappingURL' "${out_govuk}/govuk-frontend.min.js"; then
  echo "build.sh: govuk-frontend.min.js still points to a source map" >&2
  exit 1
fi

echo "Built:"
(cd "${repo_root}" && ls -l static/govuk/tracker.css static/govuk/govuk-frontend.min.js tests/e2e/vendor/axe.min.js)
