# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX / Automation Controller readiness: the custom credential type's injectors, rendered the
way AWX renders them, give a module exactly the environment it connects with; the built
collection carries the requirement files its meta/execution-environment.yml names, as
ansible-builder finds them; the example EE definition is accepted by ansible-builder create."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

REPO = Path(__file__).resolve().parents[2]
AWX = REPO / "extensions" / "awx"
BIN = Path(sys.executable).parent
FACTS = "audiocodes.mediant.mediant_facts"


class TowerNamespace:
    """AWX's namespace object for ``tower.filename``."""


def render_injectors(credential_type, inputs, private_data_dir):
    """The environment AWX gives a job for a credential of ``credential_type`` holding ``inputs``.

    Follows AWX's CredentialType.inject_credential: inputs the credential holds (empty strings
    left out), missing booleans False, file injectors rendered in a sandbox into files under
    <private_data_dir>/env (mode 0600) whose paths are tower.filename.<label>, then every env
    injector rendered in the same sandbox."""
    tower = TowerNamespace()
    namespace = {"tower": tower}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for field in credential_type["inputs"]["fields"]:
        if field["type"] == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = Path(private_data_dir) / "env"
    env_dir.mkdir(parents=True, exist_ok=True)
    for label, template in credential_type["injectors"].get("file", {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as file:
            file.write(sandbox.from_string(template).render(**namespace))
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if "." not in label:
            tower.filename = path
        else:
            if not hasattr(tower, "filename"):
                tower.filename = TowerNamespace()
            setattr(tower.filename, label.split(".")[1], path)
    return {name: sandbox.from_string(template).render(**namespace)
            for name, template in credential_type["injectors"].get("env", {}).items()}


@pytest.fixture(scope="module")
def credential_type():
    return yaml.safe_load((AWX / "credential_type.yml").read_text())


def test_the_credential_type_declares_secret_inputs_and_only_mediant_variables(credential_type):
    fields = {field["id"]: field for field in credential_type["inputs"]["fields"]}
    assert set(fields) == {"username", "password", "ca_certificate", "skip_verify"}
    assert fields["password"]["secret"] is True
    assert credential_type["inputs"]["required"] == ["username", "password"]
    assert credential_type["kind"] == "cloud"
    injected = {"MEDIANT_USERNAME", "MEDIANT_PASSWORD", "MEDIANT_CA_PATH", "MEDIANT_VALIDATE_CERTS"}
    assert set(credential_type["injectors"]["env"]) == injected


def facts_play(device, run_play, env):
    """mediant_facts with only the address from the play: the credentials come from ``env`` alone."""
    return run_play([{"name": "facts", FACTS: {"gather_subset": ["min"]}, "ignore_errors": True}], device,
                    module_defaults={"host": device.address, "port": device.port}, env=env)


def test_a_module_connects_with_exactly_the_injected_environment(device, run_play, credential_type, tmp_path):
    env = render_injectors(credential_type, {"username": "Admin", "password": "Admin",
                                             "ca_certificate": device.certificate_pem()}, tmp_path / "job")
    assert env["MEDIANT_VALIDATE_CERTS"] == "true"
    assert Path(env["MEDIANT_CA_PATH"]).read_text() == device.certificate_pem()
    assert stat.S_IMODE(os.stat(env["MEDIANT_CA_PATH"]).st_mode) == 0o600
    play = facts_play(device, run_play, env)
    task = play.task("facts")
    assert task["status"] == "ok", task
    assert task["result"]["ansible_facts"]["mediant"]["status"]["serial"] == device.snapshot()["serial"]


def test_without_a_ca_the_certificate_is_still_verified(device, run_play, credential_type, tmp_path):
    env = render_injectors(credential_type, {"username": "Admin", "password": "Admin", "ca_certificate": ""},
                           tmp_path / "job")
    assert env["MEDIANT_CA_PATH"] == "" and env["MEDIANT_VALIDATE_CERTS"] == "true"
    task = facts_play(device, run_play, env).task("facts")
    assert task["status"] == "failed" and "TLS certificate verification failed" in task["result"]["msg"]


def test_skip_verify_and_a_wrong_password_reach_the_module(device, run_play, credential_type, tmp_path):
    lab = render_injectors(credential_type, {"username": "Operator", "password": "Operator", "skip_verify": True},
                           tmp_path / "lab")
    assert lab["MEDIANT_VALIDATE_CERTS"] == "false"
    wrong = render_injectors(credential_type, {"username": "Admin", "password": "nope", "skip_verify": True},
                             tmp_path / "wrong")
    assert facts_play(device, run_play, lab).task("facts")["status"] == "ok"
    failed = facts_play(device, run_play, wrong).task("facts")
    assert failed["status"] == "failed" and "Admin" in failed["result"]["msg"]
    assert "nope" not in str(failed["result"])


def run(command, **kwargs):
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert proc.returncode == 0, f"{command}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def built_collection(tmp_path_factory):
    """The collection as users get it: built with ansible-galaxy (galaxy.yml's build_ignore applies)."""
    work = tmp_path_factory.mktemp("ee")
    run([str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(work), str(REPO)])
    return next(work.glob("audiocodes-mediant-*.tar.gz"))


def test_the_built_collection_carries_its_ee_requirements_for_ansible_builder(built_collection, tmp_path):
    installed = tmp_path / "collections"
    run([str(BIN / "ansible-galaxy"), "collection", "install", "--force", "-p", str(installed), str(built_collection)],
        env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(installed)))
    root = installed / "ansible_collections" / "audiocodes" / "mediant"
    declared = yaml.safe_load((root / "meta" / "execution-environment.yml").read_text())
    assert (root / declared["dependencies"]["python"]).is_file() and (root / declared["dependencies"]["system"]).is_file()
    found = yaml.safe_load(run([str(BIN / "ansible-builder"), "introspect", "--sanitize", str(installed)]))
    assert found["python"] == ["requests>=2.25  # from collection audiocodes.mediant",
                               "cryptography>=3.4  # from collection audiocodes.mediant"]
    assert "python3-cryptography [platform:dpkg]  # from collection audiocodes.mediant" in found["system"]


def test_ansible_builder_creates_a_build_context_from_the_example_definition(tmp_path):
    context = tmp_path / "context"
    run([str(BIN / "ansible-builder"), "create", "-f", str(AWX / "execution-environment.yml"), "--context", str(context),
         "--output-filename", "Containerfile"])
    containerfile = (context / "Containerfile").read_text()
    assert 'EE_BASE_IMAGE="quay.io/ansible/awx-ee:latest"' in containerfile
    # the build installs the collection, then introspects it: meta/execution-environment.yml is read there
    assert "ansible-galaxy collection install" in containerfile and "introspect" in containerfile
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "audiocodes.mediant", "version": ">=0.1.0"}]}


def test_every_survey_variable_of_the_job_templates_is_an_argument_of_the_playbook():
    """docs/awx.md's job templates: each survey variable is an argument of the playbook's role (its
    argument spec, with the documented default) or a variable the playbook itself reads."""
    import re  # pylint: disable=import-outside-toplevel
    rows = [line for line in (REPO / "docs" / "awx.md").read_text().splitlines() if line.startswith("| Mediant - ")]
    assert len(rows) >= 7, rows
    checked = 0
    for row in rows:
        _name, playbook, _job_type, survey = [cell.strip() for cell in row.strip("|").split("|")]
        playbook_path = REPO / playbook.strip("`")
        text = playbook_path.read_text()
        roles = re.findall(r"audiocodes\.mediant\.(\w+)", text)
        options = {}
        for role in roles:
            specs = yaml.safe_load((REPO / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
            for entry in specs.values():
                options.update(entry.get("options", {}))
        for variable, default in re.findall(r"\(`(\w+)`, [^,)]+(?:, [^)]*?default `?([^`;)]+)`?)?", survey):
            checked += 1
            if variable in options:
                if default and "default" in options[variable] and not default.startswith(("none", "empty", "0:")):
                    assert str(options[variable]["default"]).lower() == default.split(":")[0].strip().lower(), (row, variable)
            else:
                assert re.search(r"\b%s\b" % variable, text), f"{playbook}: {variable} is neither a role argument nor read"
    assert checked >= 10
