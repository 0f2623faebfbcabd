# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the connection options every audiocodes.mediant module takes."""

from __future__ import annotations


class ModuleDocFragment:  # pylint: disable=too-few-public-methods

    DOCUMENTATION = r"""
options:
  host:
    description:
      - Address (name, IPv4 or IPv6) of the device's REST API.
      - If not set in the task, the action plugin takes the variable C(mediant_host), then
        C(ansible_host) (from any variable source); then the environment variable E(MEDIANT_HOST)
        the module sees (the controller's, or the task's C(environment)) is used; without any of
        them, the host's inventory name (C(inventory_hostname)), as Ansible does for any host.
    type: str
    required: true
  port:
    description:
      - TCP port of the REST API.
      - If not set in the task, the action plugin takes the variable C(mediant_port); then the
        environment variable E(MEDIANT_PORT) is used; without either, V(443) for
        O(protocol=https) and V(80) for O(protocol=http).
      - The inventory variable C(ansible_port) is B(not) used, as it usually holds the SSH port;
        write C(mediant_port) for the REST API's port.
    type: int
  protocol:
    description:
      - V(https) (recommended) or V(http).
      - If not set in the task, the action plugin takes the variable C(mediant_protocol); then the
        environment variable E(MEDIANT_PROTOCOL) is used.
    type: str
    choices: [https, http]
    default: https
  username:
    description:
      - Device user for HTTP Basic authentication. What the user may do depends on its privilege
        level (Monitor, Administrator, Security Administrator); each module says what it needs.
      - If not set in the task, the action plugin takes the variable C(mediant_username), then
        C(ansible_user) (from any variable source), then the C(remote_user) keyword or the
        C(-u) option of C(ansible-playbook) (how AWX passes a Machine credential's username); then
        the environment variable E(MEDIANT_USERNAME) is used.
      - C(remote_user)/C(-u) does not override E(MEDIANT_USERNAME) unless the password also comes
        from C(ansible_password) or C(--ask-pass) - AWX passes C(-u root) to job templates without a
        Machine credential, where credentials are often injected as E(MEDIANT_*) variables.
    type: str
    required: true
  password:
    description:
      - Password of O(username). Never logged nor returned.
      - If not set in the task, the action plugin takes the variable C(mediant_password), then
        C(ansible_password) (from any variable source, vault-encrypted or templated), then the
        answer to C(ansible-playbook --ask-pass) (how AWX passes a Machine credential's password);
        then the environment variable E(MEDIANT_PASSWORD) is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the device's TLS certificate (with O(protocol=https)).
      - Set to V(false) only for lab devices with a self-signed certificate; prefer O(ca_path).
      - If not set in the task, the action plugin takes the variable C(mediant_validate_certs); then the
        environment variable E(MEDIANT_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file with the certificate authority (or authorities) to trust when verifying the
        device's certificate, for example your company CA, or the device's self-signed
        certificate itself. Without it the system trust store is used.
      - If not set in the task, the action plugin takes the variable C(mediant_ca_path); then the
        environment variable E(MEDIANT_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the device to answer one request.
      - Requests that are safe to repeat are retried a few times with backoff on connection
        errors and on HTTP 409 (device busy, for example HA synchronization).
      - If not set in the task, the action plugin takes the variable C(mediant_timeout); then the
        environment variable E(MEDIANT_TIMEOUT) is used.
    type: int
    default: 30
notes:
  - Modules talk to the device's REST API (C(/api/v1)) from the host that runs them, usually the
    controller (with C(connection=local)) or an execution environment. They need the Python library
    C(requests) there.
  - Connection options are taken, first found wins, from the task arguments (including
    C(module_defaults) of the group C(group/audiocodes.mediant.mediant)); the variables
    C(mediant_<option>) (for example C(mediant_port), set in the inventory, group_vars, play vars,
    extra vars or with C(set_fact)); Ansible's connection settings C(ansible_host),
    C(ansible_user), then C(remote_user)/C(-u), C(ansible_password), then C(--ask-pass) (from
    any variable source; templated and vault values are resolved); the E(MEDIANT_*) environment
    variables; the defaults; and for O(host) the inventory name.
  - Ansible sets C(ansible_host) to the inventory name (or, with C(delegate_to), to the delegated
    host's address) and C(ansible_user) to the controller's login when they are not set; those
    values count as not set.
  - Supports both REST API generations, v7.4 (firmware 7.20A and later) and v1.0 (firmware 7.00A
    and older); the generation is detected from the device.
requirements:
  - requests >= 2.25
"""
