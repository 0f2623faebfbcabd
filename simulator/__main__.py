"""``python -m simulator`` (serve one device or a fleet) and ``python -m simulator make-cmp``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading

from simulator.software import parse_size, write_cmp


def _make_cmp(argv) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator make-cmp", description="Write a .cmp software load the simulator accepts.")
    parser.add_argument("--version", required=True, help="firmware version, e.g. 7.40A.500.010")
    parser.add_argument("--size", default="1M", help="file size, e.g. 200M (default 1M)")
    parser.add_argument("-o", "--output", required=True, help="file to write")
    args = parser.parse_args(argv)
    try:
        write_cmp(args.output, args.version, parse_size(args.size))
    except ValueError as err:
        parser.error(str(err))
    return 0


def _serve(argv) -> int:
    from simulator.fleet import Fleet  # pylint: disable=import-outside-toplevel

    parser = argparse.ArgumentParser(prog="python -m simulator", description="Serve simulated AudioCodes Mediant devices.")
    parser.add_argument("--fleet", help="fleet YAML file (a 'devices:' list); without it one device is served")
    parser.add_argument("--state-dir", default="./.simulator-state", help="where devices keep their flash (default ./.simulator-state)")
    parser.add_argument("--control-port", type=int, default=8440, help="control API port on 127.0.0.1 (default 8440, 0 = any)")
    parser.add_argument("--name", default="sbc", help="single device: name (default sbc)")
    parser.add_argument("--address", default="127.0.0.1", help="single device: loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8443, help="single device: port (default 8443)")
    parser.add_argument("--protocol", choices=("https", "http"), default="https")
    parser.add_argument("--firmware", default="7.40A.500.010", help="single device: firmware (7.00A.* serves the v1.0 API)")
    parser.add_argument("--reset-seconds", type=float, default=1.0, help="single device: how long a reset lasts")
    parser.add_argument("--ready-file", help="once every device listens, write this JSON file: pid, control_url and "
                                             "each device's url (for scripts that start the simulator in the background)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(message)s")
    if args.fleet:
        fleet = Fleet.from_file(args.fleet, args.state_dir, control_port=args.control_port)
    else:
        fleet = Fleet(args.state_dir, control_port=args.control_port)
        fleet.add_device({"name": args.name, "address": args.address, "port": args.port, "protocol": args.protocol,
                          "firmware": args.firmware, "reset_seconds": args.reset_seconds})
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with fleet:
        for device in fleet.devices.values():
            logging.info("device %s (%s, API v%s) at %s", device.name, device.firmware, device.profile, device.url)
        logging.info("control API at %s", fleet.control_url)
        if args.ready_file:
            _write_ready_file(args.ready_file, fleet)
        stop.wait()
    return 0


def _write_ready_file(path, fleet) -> None:
    """Written whole or not at all (a reader polls for it while the simulator starts)."""
    ready = {"pid": os.getpid(), "control_url": fleet.control_url,
             "devices": {device.name: {"url": device.url, "address": device.address, "port": device.port,
                                       "protocol": device.protocol, "tls_listeners": device.tls_listeners()}
                         for device in fleet.devices.values()}}
    partial = f"{path}.partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(ready, handle, indent=2)
    os.replace(partial, path)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "make-cmp":
        return _make_cmp(argv[1:])
    return _serve(argv)


if __name__ == "__main__":
    sys.exit(main())
