#!/usr/bin/env bash
# Executes every notebooks/*.ipynb headless with the tslab (TypeScript) kernel and fails on any cell
# error, or when a cell tagged (cell metadata "tags") `expect-svg` / `expect-html` / `expect-png` did
# not produce a display_data output of that MIME type (image/svg+xml, text/html, image/png), or when
# any cell printed a figure, Multichannel or audio player as a raw object (`SvgFigure {`).
# Needs: Debian's jupyter-nbconvert, python3-nbclient, python3-ipykernel; `npm ci`; `npm run build`
# (cells import the built package by name: `import { convolve } from 'pointwise'`).
#
#   npm run build && npm run test:notebooks          # all notebooks
#   bash scripts/test-notebooks.sh notebooks/01-*.ipynb   # some
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

PY=/usr/bin/python3   # Debian's python: the one that has Jupyter (the pyenv python on PATH does not)
if ! "$PY" -c 'import nbclient, ipykernel, nbconvert' 2>/dev/null; then
  echo "test-notebooks: Jupyter is missing; install it with: apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel" >&2
  exit 2
fi
if [ ! -f dist/src/index.js ]; then
  echo "test-notebooks: dist/src/index.js is missing; run 'npm run build' first" >&2
  exit 2
fi
if [ ! -x node_modules/.bin/tslab ]; then
  echo "test-notebooks: node_modules/.bin/tslab is missing; run 'npm ci' first" >&2
  exit 2
fi

# The package must resolve BY NAME from a cell (tslab compiles cells as CommonJS with Node10
# resolution). node_modules/pointwise is a two-line stub package whose main/types point at the
# repository's dist/ (a real folder, not a symlink to the repo, so no tool meets a cycle in
# node_modules). npm ci removes it; this script recreates it on every run.
if [ -L node_modules/pointwise ]; then rm node_modules/pointwise; fi
mkdir -p node_modules/pointwise
cat > node_modules/pointwise/package.json <<'JSON'
{
  "name": "pointwise",
  "private": true,
  "description": "Local stub written by scripts/test-notebooks.sh: resolves 'pointwise' to this repository's build.",
  "main": "../../dist/src/index.js",
  "types": "../../dist/src/index.d.ts"
}
JSON

# Register the tslab kernel with Debian's python under a private prefix.
node_modules/.bin/tslab install --python "$PY" --binary "$ROOT/node_modules/.bin/tslab" --prefix "$ROOT/.jupyter" >/dev/null
export JUPYTER_PATH="$ROOT/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# Notebooks read ../shared/data when it exists (guarded in the cells).
export POINTWISE_SHARED="${POINTWISE_SHARED:-$(cd "$ROOT/.." && pwd)/shared}"

OUT="$(mktemp -d "${TMPDIR:-/tmp}/pointwise-notebooks.XXXXXX")"
if [ "$#" -gt 0 ]; then NOTEBOOKS=("$@"); else NOTEBOOKS=(notebooks/*.ipynb); fi
if [ ! -e "${NOTEBOOKS[0]}" ]; then
  echo "test-notebooks: no notebooks found" >&2
  exit 1
fi

# Prints what went wrong in an executed notebook: error outputs and stderr streams (tslab reports
# TypeScript compile errors on stderr), each with the start of its cell.
report_errors() {
  "$PY" - "$1" <<'PYEOF'
import json, re, sys
nb = json.load(open(sys.argv[1]))
shown = 0
for i, cell in enumerate(nb["cells"]):
    for out in cell.get("outputs", []):
        text = None
        if out.get("output_type") == "error":
            text = f"{out.get('ename')}: {out.get('evalue')}\n" + "\n".join(out.get("traceback", []))
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = "".join(out.get("text", ""))
        if text and shown < 3:
            shown += 1
            src = "".join(cell.get("source", "")).splitlines()
            print(f"cell {i}:")
            print("\n".join("  > " + l for l in src[:6]))
            print(re.sub(r"\x1b\[[0-9;]*m", "", text)[:1500])
PYEOF
}

# Checks the outputs of an executed notebook: tagged cells have their rich outputs, and no object
# that should render itself was printed as a raw object. Prints one line per problem; exits 1 if any.
check_outputs() {
  "$PY" - "$1" <<'PYEOF'
import json, re, sys
EXPECT = {"expect-svg": "image/svg+xml", "expect-html": "text/html", "expect-png": "image/png"}
RAW = re.compile(r"\b(SvgFigure|Multichannel|AudioPlayer) \{")
nb = json.load(open(sys.argv[1]))
problems = []
for i, cell in enumerate(nb["cells"]):
    if cell.get("cell_type") != "code":
        continue
    outs = cell.get("outputs", [])
    mimes = {m for o in outs if o.get("output_type") == "display_data" for m in o.get("data", {})}
    for tag in cell.get("metadata", {}).get("tags", []):
        if tag.startswith("expect-"):
            want = EXPECT.get(tag)
            if want is None:
                problems.append(f"cell {i} ({cell.get('id')}): unknown tag {tag!r} (known: {', '.join(EXPECT)})")
            elif want not in mimes:
                problems.append(f"cell {i} ({cell.get('id')}): tagged {tag} but produced no display_data with {want} (got: {', '.join(sorted(mimes)) or 'none'})")
    for o in outs:
        text = "".join(o.get("text", "")) if o.get("output_type") == "stream" else "".join(o.get("data", {}).get("text/plain", ""))
        m = RAW.search(text)
        if m:
            problems.append(f"cell {i} ({cell.get('id')}): printed a raw object instead of showing it: {text[m.start():m.start() + 60]!r}")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PYEOF
}

run_nb() { # notebook, extra nbconvert args...
  local nb="$1"; shift
  (cd "$(dirname "$nb")" && jupyter nbconvert --to notebook --execute "$(basename "$nb")" --output-dir "$OUT" \
     --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.kernel_name=tslab "$@") >"$OUT/$(basename "$nb").log" 2>&1
}

failed=0
for nb in "${NOTEBOOKS[@]}"; do
  name="$(basename "$nb")"
  start=$(date +%s)
  if run_nb "$nb"; then
    if problems="$(check_outputs "$OUT/$name")"; then
      echo "PASS  $name  ($(( $(date +%s) - start )) s)"
    else
      echo "FAIL  $name  ($(( $(date +%s) - start )) s): outputs"
      printf '%s\n' "$problems" | sed 's/^/      /'
      failed=$((failed + 1))
    fi
  else
    echo "FAIL  $name  ($(( $(date +%s) - start )) s)"
    # Run again keeping going past errors, to print the messages of the failing cells.
    if run_nb "$nb" --ExecutePreprocessor.allow_errors=True && [ -f "$OUT/$name" ]; then
      report_errors "$OUT/$name" | sed 's/^/      /'
    else
      tail -n 30 "$OUT/$name.log" | sed 's/^/      /'
    fi
    failed=$((failed + 1))
  fi
done
echo "executed notebooks in $OUT"

if [ "$failed" -gt 0 ]; then
  echo "test-notebooks: $failed of ${#NOTEBOOKS[@]} notebooks failed" >&2
  exit 1
fi
