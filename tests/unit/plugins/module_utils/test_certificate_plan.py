# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""certificate_plan: the certificate modules' decisions, without a device or a module."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_plan as plan
from ansible_collections.audiocodes.mediant.plugins.module_utils import certificates as certs
from ansible_collections.audiocodes.mediant.plugins.module_utils.errors import InputError
from tests.unit.framework import pki


@pytest.fixture(scope="module")
def keys():
    return {"device": pki.new_key(), "new": pki.new_key(), "ca": pki.new_key(), "other": pki.new_key()}


def params(**given):
    """mediant_certificate's options as AnsibleModule gives them (defaults filled in)."""
    options = dict(context="1", key_size=None, regenerate_key=False, private_key_path=None, private_key_content=None,
                   passphrase=None, certificate_path=None, certificate_content=None, force=False, self_signed=False,
                   subject=None, csr=None, csr_path=None, trusted_roots=None, trusted_roots_from=None,
                   trusted_roots_mode="append")
    options.update(given)
    return options


def content_reader(options):
    """read_pem as the module's: the content option's text (these tests give no paths)."""
    return lambda path_option, content_option: options[content_option]


def inputs_of(options):
    return plan.Inputs.from_params(options, content_reader(options))


class DeviceKey:
    """device_public_key() of a device whose key is ``key``; counts how often it was asked."""

    def __init__(self, key):
        self.key = key
        self.asked = 0

    def __call__(self):
        self.asked += 1
        return self.key


def plan_for(options, key_status, certificate, roots=None, device_key=None):
    device_key = device_key or DeviceKey(certificate)
    return plan.Plan(options, inputs_of(options), key_status, certificate, roots, device_key, "1")


VALID_2048 = {"size": 2048, "valid": True}


# -- option combinations and inputs: InputError before anything is sent


@pytest.mark.parametrize("given, message", [
    ({"private_key_content": "k", "key_size": 2048}, "a private key is either uploaded"),
    ({"private_key_path": "/k", "regenerate_key": True}, "a private key is either uploaded"),
    ({"certificate_content": "c", "self_signed": True, "subject": {"common_name": "x"}}, "a certificate is either uploaded"),
    ({"certificate_content": "c", "regenerate_key": True}, "regenerate_key makes a new key no uploaded certificate can match"),
    ({"self_signed": True, "subject": {"common_name": ""}}, "self_signed needs subject (at least common_name)"),
    ({"csr": {"subject": None, "signature_algorithm": "sha256"}}, "csr needs a subject (csr.subject or subject)"),
])
def test_contradicting_options_are_refused(given, message):
    with pytest.raises(InputError) as refused:
        plan.check_option_combinations(params(**given))
    assert str(refused.value).startswith(message)


def test_a_subject_field_with_a_line_break_is_refused_naming_the_field():
    with pytest.raises(InputError) as refused:
        plan.check_option_combinations(params(csr={"subject": {"common_name": "a\nCN=evil"}, "signature_algorithm": "sha256"}))
    assert refused.value.option == "csr.subject.common_name"


def test_a_key_and_a_certificate_that_do_not_match_are_refused(keys):
    options = params(private_key_content=pki.pem(keys["new"]), certificate_content=pki.pem(pki.certificate(keys["device"])))
    with pytest.raises(InputError, match="^the certificate does not match the private key given with it"):
        inputs_of(options)
    assert inputs_of(dict(options, force=True)).certificate is not None


def test_malformed_pem_is_refused_saying_nothing_was_sent():
    with pytest.raises(InputError) as refused:
        inputs_of(params(certificate_content="-----BEGIN CERTIFICATE-----\nbm90\n-----END CERTIFICATE-----\n"))
    assert str(refused.value).endswith("; nothing was sent to the device")


def test_a_passphrase_without_a_key_is_refused():
    with pytest.raises(InputError, match="passphrase is only used with"):
        inputs_of(params(passphrase="secret"))


def test_trusted_roots_are_split_and_deduplicated_in_order(keys):
    root_a, root_b = pki.certificate(keys["ca"], "Root A"), pki.certificate(keys["other"], "Root B")
    inputs = inputs_of(params(trusted_roots=[pki.pem(root_a) + pki.pem(root_b), pki.pem(root_a)]))
    assert [certs.name_to_text(cert.subject) for cert in inputs.trusted_roots] == ["CN=Root A", "CN=Root B"]
    inputs.add_trusted_roots([root_b])
    assert [certs.name_to_text(cert.subject) for cert in inputs.trusted_roots] == ["CN=Root B", "CN=Root A"]


def test_the_csr_subject_defaults_to_the_subject():
    inputs = inputs_of(params(subject={"common_name": "sbc1", "organization": ""},
                              csr={"subject": None, "signature_algorithm": "sha256"}))
    assert inputs.csr_subject == {"common_name": "sbc1"}
    assert plan.csr_request_body(inputs.csr_subject, "sha512") == {"subjectName": "sbc1", "signatureAlgorithm": "sha512"}


# -- the plan


def test_the_certificate_in_place_plans_nothing_and_asks_no_probe(keys):
    cert = pki.certificate(keys["device"])
    device_key = DeviceKey(cert)
    decided = plan_for(params(certificate_content=pki.pem(cert)), VALID_2048, cert, device_key=device_key)
    assert decided.actions == [] and decided.expects_valid_pair and not decided.key_changes
    assert device_key.asked == 1


def test_a_new_key_and_its_certificate_are_uploaded_key_first(keys):
    current, new_cert = pki.certificate(keys["device"]), pki.certificate(keys["new"], "sbc-new")
    options = params(private_key_content=pki.pem(keys["new"]), certificate_content=pki.pem(new_cert))
    decided = plan_for(options, VALID_2048, current)
    uploads = [(action.item, action.filename) for action in decided.actions]
    assert uploads == [("privateKey", "key.pem"), ("certificate", "certificate.pem")]
    assert "PRIVATE KEY" in decided.actions[0].content and "PRIVATE KEY" not in repr(decided.actions[0])
    after = decided.predicted(plan.state_view(VALID_2048, current, None))
    assert after["certificate"]["subject"] == "CN=sbc-new" and after["private_key"] == {"size": 256, "valid": True}
    assert decided.key_changes


def test_a_certificate_for_another_key_is_refused_naming_the_context(keys):
    current = pki.certificate(keys["device"])
    with pytest.raises(InputError) as refused:
        plan_for(params(certificate_content=pki.pem(pki.certificate(keys["new"]))), VALID_2048, current)
    assert "private key of context 1;" in str(refused.value)
    assert refused.value.result == {"certificate_subject": "CN=sbc1.example.com"}


def test_force_uploads_a_certificate_for_another_key_and_predicts_an_invalid_pair(keys):
    current, other = pki.certificate(keys["device"]), pki.certificate(keys["new"], "other")
    decided = plan_for(params(certificate_content=pki.pem(other), force=True), VALID_2048, current)
    assert [action.item for action in decided.actions] == ["certificate"] and not decided.expects_valid_pair
    assert decided.predicted({})["private_key"] == {"size": 2048, "valid": False}


@pytest.mark.parametrize("status, given, expected", [
    ({"size": 1024, "valid": True}, {"key_size": 2048}, "generate a 2048-bit private key (the current key has 1024 bits)"),
    ({"size": 2048, "valid": False}, {"key_size": 2048},
     "generate a 2048-bit private key (the current key does not match the certificate)"),
    ({"size": 4096, "valid": True}, {"regenerate_key": True}, "generate a 4096-bit private key (regenerate_key)"),
    ({"size": None, "valid": False}, {"regenerate_key": True}, "generate a 2048-bit private key (regenerate_key)"),
])
def test_a_key_is_generated_when_needed(keys, status, given, expected):
    decided = plan_for(params(**given), status, pki.certificate(keys["device"]))
    assert decided.texts == [expected] and decided.actions[0].item == "privateKey/generate"
    assert decided.actions[0].body == {"size": int(expected.split("-bit")[0].split()[-1])}


def test_a_big_enough_valid_key_is_kept(keys):
    assert plan_for(params(key_size=2048), {"size": 4096, "valid": True}, pki.certificate(keys["device"])).actions == []


def test_self_signed_is_kept_when_subject_and_key_match(keys):
    cert = pki.certificate(keys["device"], "sbc1")
    options = params(self_signed=True, subject={"common_name": "sbc1"})
    assert plan_for(options, VALID_2048, cert).actions == []
    changed = plan_for(dict(options, subject={"common_name": "sbc2", "country": "US"}), VALID_2048, cert)
    assert changed.actions == [plan.Action("generate a self-signed certificate for CN=sbc2,C=US", "certificate/generate",
                                           body={"subjectName": "sbc2", "countryCode": "US"})]


def test_a_new_key_with_self_signed_regenerates_the_certificate(keys):
    cert = pki.certificate(keys["device"], "sbc1")
    decided = plan_for(params(self_signed=True, regenerate_key=True, subject={"common_name": "sbc1"}), VALID_2048, cert)
    assert [action.item for action in decided.actions] == ["privateKey/generate", "certificate/generate"]
    assert decided.predicted({})["private_key"] == {"size": 2048, "valid": True}


def test_trusted_roots_append_adds_only_the_missing_ones(keys):
    root_a, root_b = pki.certificate(keys["ca"], "Root A"), pki.certificate(keys["other"], "Root B")
    decided = plan_for(params(trusted_roots=[pki.pem(root_a) + pki.pem(root_b)]), VALID_2048,
                       pki.certificate(keys["device"]), roots=[root_a])
    assert [(action.item, action.content) for action in decided.actions] == [("trustedRoot/incremental", pki.pem(root_b))]
    assert [root["subject"] for root in decided.predicted({})["trusted_roots"]] == ["CN=Root A", "CN=Root B"]


def test_trusted_roots_exact_replaces_the_store_only_when_it_differs(keys):
    root_a, root_b = pki.certificate(keys["ca"], "Root A"), pki.certificate(keys["other"], "Root B")
    cert = pki.certificate(keys["device"])
    same = plan_for(params(trusted_roots=[pki.pem(root_b), pki.pem(root_a)], trusted_roots_mode="exact"), VALID_2048,
                    cert, roots=[root_a, root_b])
    assert same.actions == []
    emptied = plan_for(params(trusted_roots=[], trusted_roots_mode="exact"), VALID_2048, cert, roots=[root_a])
    assert emptied.texts == ["replace the trusted root store with 0 certificate(s)"]
    assert emptied.actions[0].content == "" and emptied.actions[0].item == "trustedRoot"


def test_the_result_and_diff_views_never_hold_pem(keys):
    cert = pki.certificate(keys["device"], "sbc1")
    result = plan.context_result(VALID_2048, cert, [cert])
    assert result["subject"] == "CN=sbc1" and result["key_valid"] is True and result["days_left"] >= 364
    assert "BEGIN" not in str(result) and "BEGIN" not in str(plan.state_view(VALID_2048, cert, [cert]))


# -- mediant_certificate_request


def request_params(**given):
    options = dict(context="1", key_source="device", key_size=2048, subject={"common_name": "sbc1.example.com"},
                   subject_alt_names=None, signature_algorithm="sha256", private_key_dest=None,
                   private_key_passphrase=None, csr_path=None, regenerate=False)
    options.update(given)
    return options


@pytest.mark.parametrize("given, message", [
    ({"subject": {"common_name": None}}, "subject.common_name is required"),
    ({"subject_alt_names": ["DNS:a.example.com"]}, "subject_alt_names need key_source: controller"),
    ({"private_key_dest": "/k.pem"}, "private_key_dest is for key_source: controller"),
    ({"key_source": "controller", "private_key_dest": "/k.pem"}, "private_key_dest needs private_key_passphrase"),
    ({"subject": {"common_name": "x", "country": "USA"}}, "country must be a two-letter country code"),
    ({"subject": {"common_name": "x\ry"}}, "subject.common_name: the value holds '\\r'"),
])
def test_a_request_that_cannot_be_made_is_refused(given, message):
    with pytest.raises(InputError) as refused:
        plan.WantedRequest(request_params(**given))
    assert str(refused.value).startswith(message)


def test_a_wanted_request_recognizes_its_csr(keys):
    wanted = plan.WantedRequest(request_params(key_source="controller", subject_alt_names=["sbc1.example.com"]))
    assert wanted.alt_names == ["DNS:sbc1.example.com"] and wanted.subject_text == "CN=sbc1.example.com"
    assert wanted.device_body("sha512") == {"subjectName": "sbc1.example.com", "signatureAlgorithm": "sha512"}
    with_names = (x509.CertificateSigningRequestBuilder().subject_name(pki.name("sbc1.example.com"))
                  .add_extension(x509.SubjectAlternativeName([x509.DNSName("sbc1.example.com")]), critical=False)
                  .sign(keys["new"], hashes.SHA256()))
    assert wanted.request_matches(with_names)
    assert not wanted.request_matches(pki.csr(keys["new"], "sbc1.example.com"))


@pytest.mark.parametrize("status, regenerate, kept", [
    ({"size": 2048, "valid": False}, False, True),
    ({"size": 4096, "valid": False}, False, True),
    ({"size": 1024, "valid": False}, False, False),
    ({"size": 2048, "valid": True}, False, False),
    ({"size": None, "valid": False}, False, False),
    ({"size": 2048, "valid": False}, True, False),
])
def test_a_pending_key_is_kept_only_when_big_enough_and_not_regenerated(status, regenerate, kept):
    assert plan.pending_key_kept(status, 2048, regenerate) is kept


# -- mediant_certificate_sign


def ca_files(keys, is_ca=True):
    now = dt.datetime.now(dt.timezone.utc)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Unit CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(keys["ca"].public_key())
               .serial_number(7).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True).sign(keys["ca"], hashes.SHA256()))
    return {"ca_certificate_path": pki.pem(ca_cert).encode(), "ca_private_key_path": pki.pem(keys["ca"]).encode(),
            "ca_chain_path": None, "csr_path": None, "dest": None}


def sign_params(**given):
    options = dict(csr_content=None, csr_path="/csr", ca_certificate_path="/ca.pem", ca_private_key_path="/ca.key",
                   ca_passphrase=None, ca_chain_path=None, subject_alt_names=None, valid_days=365,
                   signature_algorithm="sha256", dest=None)
    options.update(given)
    return options


def test_signing_inputs_are_read_in_order_and_checked(keys):
    files = dict(ca_files(keys), csr_path=pki.pem(pki.csr(keys["new"])).encode())
    read = []
    inputs = plan.signing_inputs(sign_params(subject_alt_names=["192.0.2.1"]), lambda option: read.append(option) or files[option])
    assert read == ["csr_path", "ca_certificate_path", "ca_private_key_path", "ca_chain_path"]
    assert inputs.alt_names == ["IP:192.0.2.1"] and inputs.wanted_alt_names == ["IP:192.0.2.1"]
    assert inputs.chain_pem == files["ca_certificate_path"].decode()


def test_signing_refuses_a_ca_certificate_that_is_no_ca(keys):
    files = dict(ca_files(keys, is_ca=False), csr_path=pki.pem(pki.csr(keys["new"])).encode())
    with pytest.raises(InputError) as refused:
        plan.signing_inputs(sign_params(), files.get)
    assert "CA" in str(refused.value)


def test_signing_refuses_content_that_is_no_csr(keys):
    with pytest.raises(InputError, match="^the CSR is not a PEM certificate signing request"):
        plan.signing_inputs(sign_params(csr_content="not a CSR", csr_path=None), ca_files(keys).get)


def test_an_issued_certificate_is_reusable_only_for_the_same_key_names_ca_and_time(keys):
    files = dict(ca_files(keys), csr_path=pki.pem(pki.csr(keys["new"], "sbc1.example.com")).encode())
    inputs = plan.signing_inputs(sign_params(), files.get)
    issued = pki.certificate(keys["new"], "sbc1.example.com", issuer_key=keys["ca"], issuer_name="Unit CA", days=10)
    assert plan.certificate_reusable(issued, inputs)
    assert not plan.certificate_reusable(issued, inputs, now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=11))
    other_key = pki.certificate(keys["other"], "sbc1.example.com", issuer_key=keys["ca"], issuer_name="Unit CA")
    other_ca = pki.certificate(keys["new"], "sbc1.example.com", issuer_key=keys["other"], issuer_name="Unit CA")
    other_name = pki.certificate(keys["new"], "sbc2.example.com", issuer_key=keys["ca"], issuer_name="Unit CA")
    assert not any(plan.certificate_reusable(cert, inputs) for cert in (other_key, other_ca, other_name))
    with_names = plan.signing_inputs(sign_params(subject_alt_names=["sbc1.example.com"]), files.get)
    assert not plan.certificate_reusable(issued, with_names)
