# Sourced by .ci/run: finds a Python with moto and cfn-lint, or installs them into a venv under
# .tools/, then exports STACKWATCH_PYTHON (the interpreter the moto tests start) and puts its
# scripts folder (where cfn-lint lives) first on PATH. Nothing here names a machine's paths.
# The versions installed are the ones the tests were last run with.
PYTHON_TOOLS_REQUIREMENTS=('moto[server]==5.2.1' 'cfn-lint==1.51.0')
PYTHON_TOOLS_VENV=${PYTHON_TOOLS_VENV:-.tools/python}

# True when $1 runs and imports both moto's server and cfn-lint.
python_has_tools() {
  "$1" -c 'import moto.server, cfnlint' >/dev/null 2>&1
}

# Candidates, best first: the venv this script made before, python3 on PATH, then every pyenv
# version (newest first), wherever pyenv keeps them.
python_candidates() {
  echo "$PYTHON_TOOLS_VENV/bin/python3"
  command -v python3 || true
  local root="${PYENV_ROOT:-}"
  if [ -z "$root" ] && command -v pyenv >/dev/null 2>&1; then root=$(pyenv root); fi
  [ -n "$root" ] || root="$HOME/.pyenv"
  ls -d "$root"/versions/*/bin/python3 2>/dev/null | sort -rV || true
}

find_python_with_tools() {
  local candidate
  while IFS= read -r candidate; do
    if [ -x "$candidate" ] && python_has_tools "$candidate"; then
      # The real interpreter, not a shim: the tests start it directly.
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done < <(python_candidates)
  return 1
}

install_python_tools() {
  local base
  base=$(command -v python3) || { echo "== no python3 to install moto and cfn-lint with" >&2; return 1; }
  echo "== installing ${PYTHON_TOOLS_REQUIREMENTS[*]} into $PYTHON_TOOLS_VENV" >&2
  "$base" -m venv "$PYTHON_TOOLS_VENV" >&2 &&
    "$PYTHON_TOOLS_VENV/bin/python3" -m pip install --quiet --disable-pip-version-check "${PYTHON_TOOLS_REQUIREMENTS[@]}" >&2 &&
    "$PYTHON_TOOLS_VENV/bin/python3" -c 'import sys; print(sys.executable)'
}

if STACKWATCH_PYTHON=$(find_python_with_tools) || STACKWATCH_PYTHON=$(install_python_tools); then
  export STACKWATCH_PYTHON
  PATH="$("$STACKWATCH_PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
  export PATH
  echo "== Python with moto and cfn-lint: $STACKWATCH_PYTHON (cfn-lint: $(command -v cfn-lint))"
else
  # npm test's first step (scripts/ensureTestTools.ts) then fails under CI with what is missing.
  unset STACKWATCH_PYTHON
  echo "== no Python with moto and cfn-lint, and installing them failed" >&2
fi
