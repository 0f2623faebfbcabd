# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES only use options the module has (their suboptions too), with values of
the documented choices, and name modules by FQCN: an example a user copies does not fail on a
misspelt or removed option. (The examples of mediant_ini, mediant_cli, mediant_command and
mediant_reset also run as written against the simulator: their own test files.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MODULES = sorted(path.stem for path in (REPO / "plugins" / "modules").glob("mediant_*.py"))
ANSIBLE_DOC = Path(sys.executable).parent / "ansible-doc"
KEYWORDS = {"name", "register", "when", "loop", "loop_control", "vars", "check_mode", "diff", "no_log", "delegate_to",
            "notify", "tags", "become", "environment", "ignore_errors", "changed_when", "failed_when", "until", "retries",
            "delay", "run_once", "module_defaults", "block", "rescue", "always", "listen", "async", "poll"}


@pytest.fixture(scope="module")
def docs():
    done = subprocess.run([str(ANSIBLE_DOC), "--json", "-t", "module"] + [f"audiocodes.mediant.{name}" for name in MODULES],
                          capture_output=True, text=True, check=True, timeout=300,
                          env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.environ.get(
                              "ANSIBLE_COLLECTIONS_PATH", str(REPO / ".build" / "collections"))))
    return json.loads(done.stdout)


def _problems(args, options, where):
    """Option names and choices of ``args`` that the documented ``options`` do not have."""
    problems = []
    names = {}
    for name, spec in options.items():
        names[name] = spec
        for alias in spec.get("aliases", []):
            names[alias] = spec
    for key, value in (args or {}).items():
        spec = names.get(key)
        if spec is None:
            problems.append(f"{where}: unknown option {key!r}")
            continue
        if "{{" in str(value):
            continue
        choices = spec.get("choices")
        if choices and spec.get("type") != "list" and not isinstance(value, (list, dict)) and value not in choices:
            problems.append(f"{where}: {key}={value!r} is not one of {choices}")
        if choices and spec.get("type") == "list" and isinstance(value, list):
            problems += [f"{where}: {key} item {item!r} is not one of {choices}" for item in value if item not in choices]
        suboptions = spec.get("suboptions")
        if suboptions and isinstance(value, dict):
            problems += _problems(value, suboptions, f"{where}.{key}")
        if suboptions and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    problems += _problems(item, suboptions, f"{where}.{key}[]")
    return problems


def _tasks(items):
    for task in items or []:
        yield task
        for section in ("block", "rescue", "always"):
            yield from _tasks(task.get(section))


@pytest.mark.parametrize("module", MODULES)
def test_examples_use_only_the_modules_options(module, docs):
    doc = docs[f"audiocodes.mediant.{module}"]
    examples = yaml.safe_load(doc["examples"])
    assert isinstance(examples, list) and examples, f"{module}: EXAMPLES is not a list of tasks"
    problems, used = [], 0
    for task in _tasks(examples):
        assert task.get("name"), f"{module}: an example without a name: {task}"
        actions = [key for key in task if key not in KEYWORDS]
        for action in actions:
            if action.startswith("audiocodes.mediant."):
                target = docs.get(action)
                assert target is not None, f"{module}: {task['name']}: no module {action}"
                used += action == f"audiocodes.mediant.{module}"
                problems += _problems(task[action], target["doc"]["options"], f"{task['name']} ({action})")
            else:
                assert action.startswith("ansible.") or action.startswith("community."), \
                    f"{module}: {task['name']}: {action} is not a fully qualified collection name"
    assert used, f"{module}: no example uses the module itself"
    assert problems == []
