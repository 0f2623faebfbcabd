# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Address and credentials from where Ansible users and AWX put them (issue 8, part 2): ansible_host
(else the inventory name), ansible_user / remote_user / -u, ansible_password / --ask-pass, from
inventory, play vars, set_fact, extra vars, vault; the task's environment; and one precedence test."""
from __future__ import annotations

import pytest
from ansible.parsing.vault import VaultLib, VaultSecret

FACTS = "audiocodes.mediant.mediant_facts"
PASSWORD = "Sh4red-Passw0rd"        # both users have it: the user name decides the privilege
BAD_HOST = "192.0.2.1"              # TEST-NET-1: a lower layer that must never be used


@pytest.fixture
def sbc(fleet):
    """A device with an Administrator 'ops' (may read the license) and a Monitor 'mon' (may not)."""
    return fleet.add_device({"name": "sbc-creds", "address": "127.0.0.1", "port": 0, "protocol": "https",
                             "reset_seconds": 1,
                             "users": [{"username": "ops", "password": PASSWORD, "level": "admin"},
                                       {"username": "mon", "password": PASSWORD, "level": "monitor"}]})


@pytest.fixture
def tls_only(sbc, tmp_path):
    """module_defaults with the port and the CA only: address and credentials come from elsewhere."""
    ca_file = tmp_path / "sbc-ca.pem"
    ca_file.write_text(sbc.certificate_pem())
    return {"port": sbc.port, "ca_path": str(ca_file), "timeout": 10}


def used(play, name="facts"):
    """(host, username) the module ran with, after checking that the user could read the license."""
    task = play.task(name)
    assert task["status"] == "ok", (task, play.stdout, play.stderr)
    facts = task["result"]["ansible_facts"]["mediant"]
    args = task["result"]["invocation"]["module_args"]
    assert args["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    return args["host"], args["username"], "license" in facts["gathered_subsets"]


READ = {"name": "facts", FACTS: {"gather_subset": ["license"]}}


@pytest.mark.parametrize("source", ["inventory", "play vars", "set_fact", "extra vars", "task vars"])
def test_ansible_host_user_and_password_from_every_variable_source(sbc, tls_only, run_play, source):
    values = {"ansible_host": sbc.address, "ansible_user": "ops", "ansible_password": PASSWORD}
    tasks = [dict(READ)]
    kwargs = {}
    if source == "inventory":
        kwargs["hostvars"] = values
    elif source == "play vars":
        kwargs["play_keywords"] = {"vars": values}
    elif source == "set_fact":
        tasks.insert(0, {"name": "set", "ansible.builtin.set_fact": values})
    elif source == "extra vars":
        kwargs["extra_vars"] = values
    else:
        tasks[0]["vars"] = values
    play = run_play(tasks, sbc, module_defaults=tls_only, **kwargs)
    assert used(play) == (sbc.address, "ops", True)


def test_the_inventory_name_is_the_address_when_none_is_given(sbc, tls_only, run_play):
    play = run_play([READ], sbc, module_defaults=tls_only, inventory_host=sbc.address,
                    play_keywords={"vars": {"ansible_user": "ops", "ansible_password": PASSWORD}})
    assert used(play) == (sbc.address, "ops", True)


@pytest.mark.parametrize("where", ["controller environment", "task environment keyword"])
def test_mediant_host_in_the_modules_environment_wins_over_the_inventory_name(sbc, tls_only, run_play, where):
    """The module reads MEDIANT_HOST itself: the action plugin must see it where the module will, also when
    the task's environment: keyword sets it, and then leave host unset instead of using the inventory name."""
    read = dict(READ)
    env = {"MEDIANT_USERNAME": "ops", "MEDIANT_PASSWORD": PASSWORD}
    if where == "controller environment":
        env["MEDIANT_HOST"] = sbc.address
    else:
        read["environment"] = {"MEDIANT_HOST": sbc.address}
    play = run_play([read], sbc, module_defaults=tls_only, inventory_host="sbc-not-in-dns.invalid", env=env)
    assert used(play) == (sbc.address, "ops", True)


@pytest.mark.parametrize("how", [["-u", "ops"], "remote_user keyword"])
def test_remote_user_and_dash_u_fill_the_username(sbc, tls_only, run_play, how):
    keywords = {"vars": {"ansible_host": sbc.address, "ansible_password": PASSWORD}}
    if how == "remote_user keyword":
        keywords["remote_user"] = "ops"
    play = run_play([READ], sbc, module_defaults=tls_only, play_keywords=keywords,
                    cli_args=how if isinstance(how, list) else None)
    assert used(play) == (sbc.address, "ops", True)


def test_awx_machine_credential_with_the_ask_pass_prompt(sbc, tls_only, run_play):
    """AWX runs ansible-playbook -u <username> --ask-pass and answers the 'SSH password:' prompt."""
    play = run_play([READ], sbc, module_defaults=tls_only, hostvars={"ansible_host": sbc.address},
                    cli_args=["-u", "ops", "--ask-pass"], stdin=PASSWORD + "\n")
    assert used(play) == (sbc.address, "ops", True)
    assert PASSWORD not in play.stdout + play.stderr


def test_awx_machine_credential_with_the_password_as_extra_var(sbc, tls_only, run_play):
    play = run_play([READ], sbc, module_defaults=tls_only, hostvars={"ansible_host": sbc.address},
                    cli_args=["-u", "ops"], extra_vars={"ansible_password": PASSWORD})
    assert used(play) == (sbc.address, "ops", True)


def test_awx_default_dash_u_root_does_not_override_credentials_in_the_environment(sbc, tls_only, run_play):
    """A job template without a Machine credential still gets '-u root' from AWX; credentials injected as
    MEDIANT_* environment variables (a custom credential type) must win then."""
    play = run_play([READ], sbc, module_defaults=tls_only, hostvars={"ansible_host": sbc.address},
                    cli_args=["-u", "root"], env={"MEDIANT_USERNAME": "ops", "MEDIANT_PASSWORD": PASSWORD})
    assert used(play) == (sbc.address, "ops", True)


def test_templated_and_vaulted_values_are_resolved(sbc, tls_only, run_play, tmp_path):
    vault_password = tmp_path / "vault-pass"
    vault_password.write_text("vault-secret\n")
    secret = VaultSecret(b"vault-secret")
    ciphertext = VaultLib([("default", secret)]).encrypt(PASSWORD, secret).decode()
    play_vars = {"device_address": sbc.address, "device_user": "ops",
                 "ansible_host": "{{ device_address }}", "ansible_user": "{{ device_user }}",
                 "ansible_password": "{{ vaulted_password }}"}
    (tmp_path / "vaulted.yml").write_text("vaulted_password: !vault |\n" + "".join(
        "  " + line + "\n" for line in ciphertext.splitlines()))
    play = run_play([READ], sbc, module_defaults=tls_only,
                    play_keywords={"vars": play_vars, "vars_files": [str(tmp_path / "vaulted.yml")]},
                    cli_args=["--vault-password-file", str(vault_password)])
    assert used(play) == (sbc.address, "ops", True)
    assert PASSWORD not in play.stdout + play.stderr


def test_delegate_to_localhost_keeps_the_devices_address(sbc, tls_only, run_play):
    """With delegate_to, Ansible fills ansible_host with the delegated host's address: not the device's."""
    read = dict(READ, delegate_to="localhost")
    play = run_play([read], sbc, module_defaults=tls_only, inventory_host="sbc-not-in-dns.invalid",
                    play_keywords={"vars": {"mediant_host": sbc.address, "ansible_user": "ops",
                                            "ansible_password": PASSWORD}})
    assert used(play) == (sbc.address, "ops", True)


LAYERS = ["task arguments", "mediant_ variables", "ansible_ variables", "remote_user (-u)", "MEDIANT_ environment"]


@pytest.mark.parametrize("winner", LAYERS)
def test_precedence_of_every_source(sbc, tls_only, run_play, winner):
    """The winning layer holds the device's address and the Administrator 'ops'; every layer below it the
    wrong address and the Monitor 'mon'. Task arguments > mediant_<option> > ansible_host/ansible_user >
    remote_user/-u (user only) > MEDIANT_* > the inventory name (host only)."""
    rank = LAYERS.index(winner)

    def layer(name):
        position = LAYERS.index(name)
        if position < rank:
            return None
        return (sbc.address, "ops") if position == rank else (BAD_HOST, "mon")

    defaults = dict(tls_only)
    play_vars = {"ansible_password": PASSWORD}      # Ansible's password: -u is then used over MEDIANT_USERNAME
    env = {}
    cli_args = []
    if layer("task arguments"):
        defaults["host"], defaults["username"] = layer("task arguments")
    if layer("mediant_ variables"):
        play_vars["mediant_host"], play_vars["mediant_username"] = layer("mediant_ variables")
    if layer("ansible_ variables"):
        play_vars["ansible_host"], play_vars["ansible_user"] = layer("ansible_ variables")
    if layer("remote_user (-u)"):
        if winner == "remote_user (-u)":
            play_vars["ansible_host"] = sbc.address   # -u gives no address
        cli_args = ["-u", layer("remote_user (-u)")[1]]
    if layer("MEDIANT_ environment"):
        env["MEDIANT_HOST"], env["MEDIANT_USERNAME"] = layer("MEDIANT_ environment")
    play = run_play([READ], sbc, module_defaults=defaults, play_keywords={"vars": play_vars}, env=env,
                    cli_args=cli_args, inventory_host="sbc-not-in-dns.invalid")
    assert used(play) == (sbc.address, "ops", True)


PASSWORD_LAYERS = ["task arguments", "mediant_password", "ansible_password", "--ask-pass", "MEDIANT_PASSWORD"]


@pytest.mark.parametrize("winner", PASSWORD_LAYERS)
def test_precedence_of_every_password_source(sbc, tls_only, run_play, winner):
    """The winning layer holds the password, every layer below it a wrong one (a login with it fails):
    task arguments > mediant_password > ansible_password > --ask-pass > MEDIANT_PASSWORD."""
    rank = PASSWORD_LAYERS.index(winner)

    def layer(name):
        position = PASSWORD_LAYERS.index(name)
        if position < rank:
            return None
        return PASSWORD if position == rank else f"wrong-{name}"

    defaults = dict(tls_only, username="ops")
    play_vars = {"ansible_host": sbc.address}
    kwargs = {}
    if layer("task arguments"):
        defaults["password"] = layer("task arguments")
    if layer("mediant_password"):
        play_vars["mediant_password"] = layer("mediant_password")
    if layer("ansible_password"):
        play_vars["ansible_password"] = layer("ansible_password")
    if layer("--ask-pass"):
        kwargs.update(cli_args=["--ask-pass"], stdin=layer("--ask-pass") + "\n")
    if layer("MEDIANT_PASSWORD"):
        kwargs["env"] = {"MEDIANT_PASSWORD": layer("MEDIANT_PASSWORD")}
    play = run_play([READ], sbc, module_defaults=defaults, play_keywords={"vars": play_vars}, **kwargs)
    assert used(play) == (sbc.address, "ops", True)


@pytest.mark.parametrize("where", ["inventory", "play vars"])
def test_ansible_port_is_never_the_api_port(sbc, tls_only, run_play, where):
    """ansible_port is usually SSH's (docs/architecture.md): the API's port comes from the port option,
    mediant_port or MEDIANT_PORT, never from ansible_port, whatever it holds."""
    defaults = {key: value for key, value in tls_only.items() if key != "port"}
    values = {"ansible_host": sbc.address, "ansible_user": "ops", "ansible_password": PASSWORD, "ansible_port": 22}
    kwargs = {"hostvars": values} if where == "inventory" else {"play_keywords": {"vars": values}}
    play = run_play([READ], sbc, module_defaults=defaults, env={"MEDIANT_PORT": str(sbc.port)}, **kwargs)
    assert used(play) == (sbc.address, "ops", True)
    assert play.task("facts")["result"]["invocation"]["module_args"]["port"] == sbc.port
    values["mediant_port"] = sbc.port
    values["ansible_port"] = sbc.port + 1 if sbc.port < 65535 else sbc.port - 1
    kwargs = {"hostvars": values} if where == "inventory" else {"play_keywords": {"vars": values}}
    play = run_play([READ], sbc, module_defaults=defaults, **kwargs)
    assert used(play) == (sbc.address, "ops", True)
