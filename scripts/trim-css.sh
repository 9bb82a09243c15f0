#!/usr/bin/env bash
# Bootstrap's CSS trimmed to the selectors Dangvu's templates, forms and scripts use (PurgeCSS), into build/.
# The classes Bootstrap's own JavaScript adds at run time (menus opening, the off-canvas menu) are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
node_modules/.bin/purgecss --config purgecss.config.cjs \
  --css node_modules/bootstrap/dist/css/bootstrap.min.css \
  --content 'src/dangvu/**/*.html' 'src/dangvu/**/*.py' 'src/dangvu/static/js/*.js' \
            node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
  --output build/bootstrap.min.css
echo "build/bootstrap.min.css: $(wc -c < build/bootstrap.min.css) bytes (from $(wc -c < node_modules/bootstrap/dist/css/bootstrap.min.css))"
