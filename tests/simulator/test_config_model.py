"""Configuration model: catalogue, persistence, copies, and INI/CLI round trips of random configurations."""

from __future__ import annotations

import ipaddress
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.config import ConfigError, Configuration
from simulator.config import catalogue
from simulator.config import tables as table_catalogue
from tests.ini_corpus import corpus_text

from config_compare import assert_same_up_to_child_indexes

PRODUCT = "Mediant 800"


# ---- catalogue ---------------------------------------------------------------------------------
def test_catalogue_covers_the_areas_with_real_names():
    assert len(catalogue.PARAMETERS) >= 60
    names = [param.name.lower() for param in catalogue.PARAMETERS]
    assert len(names) == len(set(names))
    assert {param.section for param in catalogue.PARAMETERS} == set(catalogue.SECTIONS) - {catalogue.CONTROL}
    for name in ("SyslogServerIP", "EnableSyslog", "NTPServerIP", "HTTPSOnly", "TLSVersion", "SBCSessionExpires",
                 "GWDEBUGLEVEL", "ENABLEPARAMETERSMONITORING", "SNMPManagerTableIP_0", "DefaultPrimaryDnsServerIp"):
        assert catalogue.find(name) is not None, name
    modes = {param.mode[0] for param in catalogue.PARAMETERS}
    assert modes == set(catalogue.TOP_MODES)


def test_every_default_is_valid_and_cli_places_are_unique():
    places = set()
    for param in catalogue.PARAMETERS:
        assert param.type.check(param.default) == param.default
        assert (param.mode, param.command) not in places
        places.add((param.mode, param.command))
    for table in table_catalogue.TABLES:
        for column in table.columns:
            assert column.type.check(column.default) == column.default
        assert len({column.cli for column in table.columns}) == len(table.columns)
        if table.key:
            assert table.column(table.key) is not None


def _corpus_formats(name: str) -> dict:
    text = corpus_text(name)
    formats = {}
    for table, columns in re.findall(r"\[ (\w+) \]\r\n\r\nFORMAT Index = ([^;]*);", text):
        formats[table] = [column.strip() for column in columns.split(",")]
    return formats


@pytest.mark.parametrize("name", ["mediant-ve-7.20-single-tenant.ini", "mediant-ve-7.20-multi-tenant.ini"])
def test_table_columns_are_those_of_real_7_2_devices(name):
    formats = _corpus_formats(name)
    checked = 0
    for table in table_catalogue.TABLES:
        if table.name in formats:
            assert [column.name for column in table.columns] == formats[table.name], table.name
            checked += 1
    assert checked >= 16


def test_required_tables_exist_with_references():
    for name in ("InterfaceTable", "ProxySet", "ProxyIp", "IPGroup", "SIPInterface", "SRD", "CpMediaRealm", "IP2IPRouting",
                 "Classification", "TLSContexts", "AudioCodersGroups", "AudioCoders", "MessageManipulations"):
        assert table_catalogue.find(name) is not None, name
    assert table_catalogue.find("IPGroup").column("ProxySetName").ref == ("ProxySet", "ProxyName")


# ---- persistence and copies ------------------------------------------------------------------------
def test_json_round_trip_and_copy_independence():
    config = Configuration.default(PRODUCT)
    config.apply_ini_incremental("EnableSyslog = 1\n[ IPGroup ]\nFORMAT Index = Name;\nIPGroup 2 = \"G\";\n[ \\IPGroup ]\n")
    data = json.loads(json.dumps(config.to_json()))
    assert data["params"] == {"EnableSyslog": 1}
    assert [row["Index"] for row in data["tables"]["IPGroup"]] == [0, 2]  # the factory row and the new one
    assert Configuration.from_json(data) == config
    twin = config.copy()
    twin.apply_ini_incremental("EnableSyslog = 0\n")
    assert twin != config and config.get("EnableSyslog") == 1
    assert Configuration.default("Mediant VE SBC") != Configuration.default(PRODUCT)


@pytest.mark.parametrize("data", [
    {"product": "x", "params": {"Nope": 1}},
    {"product": "x", "params": {"EnableSyslog": 9}},
    {"product": "x", "tables": {"Nope": []}},
    {"product": "x", "tables": {"IPGroup": [{"Index": 0, "Type": "server"}]}},
    {"params": {}},
])
def test_from_json_refuses_bad_state(data):
    with pytest.raises(ConfigError):
        Configuration.from_json(data)


def test_strings_cannot_hold_line_breaks():
    with pytest.raises(ConfigError, match="line break"):
        Configuration.from_json({"product": "x", "params": {"NTPServerIP": "a\nb"}})


def test_table_rows_and_changed_names():
    config = Configuration.default(PRODUCT)
    assert config.table_rows("tlscontexts")[0]["Index"] == 0
    assert list(config.table_rows("TLSContexts")[0])[:2] == ["Index", "Name"]
    with pytest.raises(KeyError):
        config.table_rows("Nope")
    before = config.copy()
    config.run_cli_incremental("configure network\n tls 1\n  name \"ctx\"\n exit\nexit\n", None)
    assert config.changed_names(before) == ["TLSContexts"]


# ---- random configurations ----------------------------------------------------------------------------
PRINTABLE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


def values_of(vtype):
    if vtype.kind == "int":
        return st.integers(vtype.minimum, vtype.maximum)
    if vtype.kind == "enum":
        return st.sampled_from([choice[0] for choice in vtype.choices])
    if vtype.kind == "ip":
        return st.integers(0, 2 ** 32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
    return PRINTABLE.filter(lambda s: len(s) <= vtype.max_length)


PARAM_VALUES = st.sampled_from(catalogue.PARAMETERS).flatmap(lambda p: st.tuples(st.just(p), values_of(p.type)))
ROW_TABLES = [table_catalogue.find(name) for name in ("IPGroup", "ProxySet", "ConditionTable", "SRD", "TLSContexts", "ProxyIp")]


@st.composite
def rows(draw):
    table = draw(st.sampled_from(ROW_TABLES))
    index = draw(st.integers(0, 5))
    columns = draw(st.lists(st.sampled_from(table.columns), max_size=4, unique_by=lambda c: c.name))
    return table, index, {column.name: draw(values_of(column.type)) for column in columns}


@st.composite
def configurations(draw):
    config = Configuration.default(PRODUCT)
    for param, value in draw(st.lists(PARAM_VALUES, max_size=8)):
        config.set_param(param, value)
    for table, index, values in draw(st.lists(rows(), max_size=6)):
        config.tables[table.name].setdefault(index, table.new_row()).update(values)
    return config


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(configurations())
def test_random_configurations_round_trip_through_ini_cli_and_json(config):
    assert Configuration.from_ini(config.render_ini({"board": "x"}), PRODUCT) == config
    # the CLI prints child rows inside their parent, numbered within it: their INI indexes are the device's to choose
    assert_same_up_to_child_indexes(Configuration.from_cli(config.render_cli(), PRODUCT), config)
    assert Configuration.from_json(json.loads(json.dumps(config.to_json()))) == config


@settings(max_examples=25, deadline=None)
@given(configurations())
def test_incremental_ini_of_a_whole_file_reaches_the_same_state(config):
    """A device's own file applied incrementally to factory defaults gives the same parameters and rows."""
    target = Configuration.default(PRODUCT)
    try:
        target.apply_ini_incremental(config.render_ini({}))
    except ConfigError as err:
        # random rows may refer to rows that do not exist or repeat a name: refused as a whole
        assert "reference" in err.description or "already used" in err.description
        assert target == Configuration.default(PRODUCT)
        return
    assert target == config
