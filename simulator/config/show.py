"""``show`` commands of the CLI: device facts from the ShowContext, configuration from the model."""

from __future__ import annotations

from .cli_tree import TOP_WORDS


class ShowError(ValueError):
    pass


def version_text(show) -> str:
    lines = [
        "Version info:",
        "-------------",
        f";Board: {show.product}",
        f";Board Type: {show.board_type}",
        f";Serial Number: {show.serial}",
        ";Slot Number: 1",
        f";Software Version: {show.version}",
        ";DSP Software Version: SOFTDSP => 0.00",
        f";Board IP Address: {show.ip}",
        f";Board Subnet Mask: {show.mask}",
        f";Board Default Gateway: {show.gateway}",
        ";Profile: NONE ",
        f";;;Key features:;Board Type: {show.product} {show.license_description}",
        "",
        "MAC Addresses in use:",
        "---------------------",
        f"GROUP_1 - {_mac(show.mac)}",
        "",
    ]
    return "\n".join(lines)


def _mac(mac: str) -> str:
    digits = mac.replace(":", "").replace("-", "").lower()
    if len(digits) == 12:
        return ":".join(digits[i:i + 2] for i in range(0, 12, 2))
    return mac


def uptime_text(seconds: int) -> str:
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"Uptime: {days} days, {hours} hours, {minutes} minutes, {seconds} seconds\n"


def interfaces_text(config) -> str:
    lines = ["Name             IP Address       Prefix  Gateway          Application"]
    for row in config.table_rows("InterfaceTable"):
        lines.append(f"{row['InterfaceName']:<16} {row['IPAddress']:<16} {row['PrefixLength']:<7} {row['Gateway']:<16} {row['ApplicationTypes']}")
    return "\n".join(lines) + "\n"


def run_show(words: list, config, show) -> str:
    """Output of ``show <words...>``; raises ShowError for an unknown show command."""
    lowered = [word.lower() for word in words]
    if lowered == ["running-config"]:
        return config.render_cli()
    if len(lowered) == 2 and lowered[0] == "running-config" and lowered[1] in TOP_WORDS:
        from .cli_render import render_cli  # pylint: disable=import-outside-toplevel
        return render_cli(config, only=TOP_WORDS[lowered[1]])
    if lowered == ["system", "version"]:
        return version_text(show)
    if lowered == ["system", "uptime"]:
        return uptime_text(show.uptime_seconds)
    if lowered == ["system", "feature-key"]:
        return f"Key features:\n{show.license_description}\n"
    if lowered == ["high-availability", "status"]:
        return f"HA Status: {show.ha_state}\n"
    if lowered in (["network", "interface"], ["network", "interface", "brief"]):
        return interfaces_text(config)
    raise ShowError("Invalid command")
