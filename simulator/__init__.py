"""AudioCodes Mediant REST API device simulator.

``python -m simulator`` serves one device; :class:`Fleet` serves many from one process.
"""

from __future__ import annotations

from simulator.fleet import Fleet

__all__ = ["Fleet"]
