#!/usr/bin/env bash
# Runs `ansible-test sanity` offline on a copy of the collection laid out the way ansible-test
# wants it: .build/sanity/ansible_collections/audiocodes/mediant, a git work tree of its own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
# A directory per run, so two runs at once do not delete each other's files.
mkdir -p "$root/.build"
run_dir=$(mktemp -d "$root/.build/sanity.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT
work="$run_dir/ansible_collections/audiocodes/mediant"

# ansible-test would download get-pip.py; give it the offline stand-in at its cache path.
pip_version=$("$venv/bin/python" - <<'PY'
import inspect, re
from ansible_test._internal import python_requirements
source = inspect.getsource(python_requirements.get_venv_packages)
print(re.search(r"pip='([^']+)'", source).group(1).replace('.', '_'))
PY
)
mkdir -p "$HOME/.ansible/test/cache"
cp "$root/scripts/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${pip_version}.py"

mkdir -p "$work"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] || continue
    mkdir -p "$work/$(dirname "$f")"; cp -p "$f" "$work/$f"
done)
cd "$work"
git init -q && git add -A && git -c user.email=ci@localhost -c user.name=ci commit -qm sanity
"$venv/bin/ansible-test" sanity --local --python 3.11 --color no "$@"
