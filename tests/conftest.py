# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every test imports the collection as ansible_collections.audiocodes.mediant and runs
ansible-playbook with it: both find it through a link in .build/collections to this checkout."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLLECTIONS = REPO / ".build" / "collections"
COLLECTION_LINK = COLLECTIONS / "ansible_collections" / "audiocodes" / "mediant"


def _link_collection():
    if COLLECTION_LINK.exists():
        return
    COLLECTION_LINK.parent.mkdir(parents=True, exist_ok=True)
    try:
        COLLECTION_LINK.symlink_to(REPO)
    except FileExistsError:  # another xdist worker made it first
        pass


_link_collection()
if str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
