"""AudioCodes Mediant REST API device simulator.

``python -m simulator`` serves one device; :class:`Fleet` serves many from one process.
"""

from __future__ import annotations

__all__ = ["Fleet"]


def __getattr__(name):
    # Imported lazily so that ``simulator.device_info`` and ``simulator.license`` stay importable
    # on their own (the configuration model imports device_info while the server is half built).
    if name == "Fleet":
        from simulator.fleet import Fleet  # pylint: disable=import-outside-toplevel
        return Fleet
    raise AttributeError(name)
