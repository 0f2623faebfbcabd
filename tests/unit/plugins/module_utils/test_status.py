# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One conversion of the device status for mediant_facts and the device_status of other modules."""
from __future__ import annotations

from ansible_collections.audiocodes.mediant.plugins.module_utils.status import status_facts

STAND_ALONE = {"mode": "stand_alone", "state": "stand_alone", "operational": False, "synchronized": False,
               "active_serial": None}


def test_the_guides_names_become_the_collections_and_unknown_keys_snake_case():
    answer = {"versionID": "7.40A.500.010", "highAvailability": "Not Operational", "systemUpTime": 12,
              "saveNeeded": False, "someNewKeyV2": 1, "ipAddress": "10.1.1.1"}
    assert status_facts(answer) == {"version": "7.40A.500.010", "ha_state": "Not Operational", "uptime": 12,
                                    "save_needed": False, "some_new_key_v2": 1, "ip_address": "10.1.1.1",
                                    "ha": STAND_ALONE}


def test_a_pair_names_its_state_and_the_unit_that_answered():
    facts = status_facts({"highAvailability": "Operational", "serialNumber": "101"})
    assert facts["ha"] == {"mode": "pair", "state": "operational", "operational": True, "synchronized": True,
                           "active_serial": "101"}


def test_no_answer_is_a_status_without_fields():
    assert status_facts(None) == {"ha": STAND_ALONE}
