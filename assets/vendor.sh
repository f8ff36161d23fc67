#!/bin/sh
# Copy the front-end libraries pinned in package.json (installed by `npm ci`) into
# plut/static/vendor/<pkg>/, with their licences and a VERSIONS.txt, so that the app
# needs no CDN and a fresh machine needs no node.
#
# Usage (from the repository root or from assets/):
#   cd assets && npm ci --ignore-scripts && sh vendor.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
nm="$here/node_modules"
out="$here/../plut/static/vendor"

if [ ! -d "$nm" ]; then
    echo "assets/node_modules is missing: run 'npm ci --ignore-scripts' in assets/ first." >&2
    exit 1
fi

# Print "<name> <version> <licence>" from an installed package's package.json.
describe() {
    node -p "const p = require('$nm/$1/package.json'); [p.name, p.version, p.license].join(' ')"
}

rm -rf "$out"
mkdir -p "$out/leaflet/images" "$out/chart.js" "$out/htmx.org" "$out/pico"

# Licence files without an extension are copied as LICENSE.txt so that the package data
# globs in pyproject.toml (*.txt, *.md) ship them in the wheel.

# Leaflet: script, its source map (referenced by sourceMappingURL, which
# ManifestStaticFilesStorage resolves), stylesheet and the marker/layer images it references.
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.js.map" "$nm/leaflet/dist/leaflet.css" "$out/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$out/leaflet/images/"
cp "$nm/leaflet/LICENSE" "$out/leaflet/LICENSE.txt"

# Chart.js: the UMD build (defines window.Chart) and its source map.
cp "$nm/chart.js/dist/chart.umd.js" "$nm/chart.js/dist/chart.umd.js.map" "$out/chart.js/"
cp "$nm/chart.js/LICENSE.md" "$out/chart.js/LICENSE.md"

# htmx: the minified build (no source map reference).
cp "$nm/htmx.org/dist/htmx.min.js" "$out/htmx.org/"
cp "$nm/htmx.org/LICENSE" "$out/htmx.org/LICENSE.txt"

# Pico CSS: the default (class-based) minified stylesheet.
cp "$nm/@picocss/pico/css/pico.min.css" "$out/pico/"
cp "$nm/@picocss/pico/LICENSE.md" "$out/pico/LICENSE.md"

{
    echo "# Front-end libraries vendored by assets/vendor.sh from the npm registry (see assets/package-lock.json)."
    for pkg in leaflet chart.js htmx.org @picocss/pico; do
        describe "$pkg"
    done
} > "$out/VERSIONS.txt"

echo "Vendored into $out:"
cat "$out/VERSIONS.txt"
