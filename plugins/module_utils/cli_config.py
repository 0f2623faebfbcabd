# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AudioCodes CLI configuration scripts as trees: parse, compare, and build incremental scripts.

A script (``show running-config``, GET files/cliScript) nests modes by indentation::

    configure voip
     ip-group 0
      name "Default_IPG"
      activate
     exit
    exit

``exit`` and ``activate`` are structure, not configuration: ``exit`` closes the innermost open
mode and ``activate`` marks the mode as one whose changes the device applies on ``activate``.
Neither becomes a node, so comparisons only ever see configuration lines; the scripts built
here put them back where the device needs them.

Pure Python, no Ansible imports: the modules and the unit tests share it.
"""
from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

MATCH_CHOICES = ("line", "strict", "exact", "none")
REPLACE_CHOICES = ("line", "block")

ACTIVATE = "activate"
EXIT = "exit"
END = "end"
COMMENT_PREFIXES = ("#", "!")
_TOP_LEVEL_MODE = re.compile(r"^configure\s+\S+$")
_TABLE_ROW = re.compile(r"^\S.*\s\d+$")


# What no CLI line can carry: line breaks (each ends a command and starts another) and the other
# control characters but TAB (whitespace between words). A CLI line has no escape for them, so
# they are refused, never encoded (docs/input-safety.md).
UNSENDABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# Lines that move between modes rather than enter or set one: never a parent.
STRUCTURE_WORDS = (EXIT, END, ACTIVATE)


class CliConfigError(ValueError):
    """A script whose structure cannot be understood (e.g. an ``exit`` that closes nothing), or a
    line that cannot be sent as one command."""


def _ends_inside_quotes(text: str) -> bool:
    """Does ``text`` open a double-quoted word it does not close (``\\"`` and ``\\\\`` escape inside)?"""
    quoted = False
    position = 0
    while position < len(text):
        if quoted and text[position] == "\\" and text[position + 1:position + 2] in ('"', "\\"):
            position += 2
            continue
        if text[position] == '"':
            quoted = not quoted
        position += 1
    return quoted


def line_problem(text: str) -> str | None:
    """Why ``text`` cannot be sent as one CLI command line, or None when it can."""
    found = UNSENDABLE.search(text)
    if found:
        return ("holds %r (U+%04X): a line break or control character would end the command there or corrupt it"
                % (found.group(0), ord(found.group(0))))
    if _ends_inside_quotes(text):
        return 'has an unterminated quoted string (write a quote inside quotes as \\")'
    return None


def check_line(text: str, what: str = "line") -> str:
    """Raise CliConfigError when ``text`` cannot be sent as one CLI command line."""
    problem = line_problem(text)
    if problem:
        raise CliConfigError("%s %r %s" % (what, text, problem))
    return text


def parent_problem(text: str) -> str | None:
    """Why ``text`` cannot be a parent (a mode to enter), or None when it can."""
    problem = line_problem(text)
    if problem:
        return problem
    word = text.strip().lower()
    if word in STRUCTURE_WORDS:
        return "moves between modes instead of entering one; parents are the modes to enter, outermost first"
    if is_comment(text.strip()):
        return "is a comment, not a mode"
    return None


@overload
def tokenize(text: str, with_quotes: Literal[False] = ...) -> list[str]: ...


@overload
def tokenize(text: str, with_quotes: Literal[True]) -> list[tuple[str, bool]]: ...


def tokenize(text: str, with_quotes: bool = False) -> list[str] | list[tuple[str, bool]]:
    """Split a CLI line into words; a double-quoted word keeps its spaces, ``\\"`` and ``\\\\``
    inside quotes stand for a quote and a backslash (as the device prints them). ``with_quotes``:
    ``(word, quoted)`` pairs instead, quoted when the word holds a quoted part."""
    words: list[str] = []
    quotes: list[bool] = []
    word_quoted = False
    current: list[str] = []
    quoted = False
    in_word = False
    position = 0
    while position < len(text):
        char = text[position]
        if quoted and char == "\\" and text[position + 1:position + 2] in ('"', "\\"):
            current.append(text[position + 1])
            position += 2
            continue
        if char == '"':
            quoted = not quoted
            in_word = word_quoted = True
        elif char.isspace() and not quoted:
            if in_word:
                words.append("".join(current))
                quotes.append(word_quoted)
                current = []
                in_word = word_quoted = False
        else:
            current.append(char)
            in_word = True
        position += 1
    if in_word:
        words.append("".join(current))
        quotes.append(word_quoted)
    return list(zip(words, quotes)) if with_quotes else words


def _canonical_word(word: str) -> str:
    if word == "" or any(char.isspace() for char in word) or '"' in word or "\\" in word:
        return '"%s"' % word.replace("\\", "\\\\").replace('"', '\\"')
    return word


def normalize_line(text: str) -> str:
    """The comparison key of a line: ``name "vlan1"`` and ``name  vlan1`` are the same setting."""
    return " ".join(_canonical_word(word) for word in tokenize(text.strip()))


_INTEGER = re.compile(r"^[+-]?\d+$")


def _same_value(shown: str, quoted: bool, given: str) -> bool:
    """Does the word ``given`` (as a user wrote it) hold what the device shows as ``shown``?

    The device prints strings quoted and compares them exactly; an unquoted word it prints is a
    keyword, an enumeration name, a number or an address, which it reads in any case and form."""
    if shown == given:
        return True
    if quoted:
        return False
    if shown.casefold() == given.casefold():
        return True
    if _INTEGER.match(shown) and _INTEGER.match(given):
        return int(shown) == int(given)
    try:
        return ipaddress.ip_address(shown) == ipaddress.ip_address(given)
    except ValueError:
        return False


def same_setting(shown: str, given: str) -> bool:
    """Is the line ``given`` (a user's) the line ``shown`` (the device's) written otherwise?"""
    shown_words, given_words = tokenize(shown.strip(), with_quotes=True), tokenize(given.strip())
    return len(shown_words) == len(given_words) and all(
        _same_value(word, quoted, other) for (word, quoted), other in zip(shown_words, given_words))


def is_comment(text: str) -> bool:
    return text.startswith(COMMENT_PREFIXES)


def looks_like_table_row(text: str) -> bool:
    """``ip-group 0``, ``sbc routing ip2ip-routing 3``: a mode header that ends with a row index."""
    return bool(_TABLE_ROW.match(text.strip()))


class ConfigNode:
    """One configuration line and the lines of the mode it opens (if any)."""

    def __init__(self, text: str, parent: ConfigNode | None = None, indent: int = 0) -> None:
        self.text = text.strip()
        self.key = normalize_line(self.text)
        self.parent = parent
        self.indent = indent
        self.children: list[ConfigNode] = []
        self.activate = False  # the mode ends with `activate` (the device applies it that way)
        self.is_mode = False   # known to open a mode even when it has no children

    def __repr__(self) -> str:
        return "ConfigNode(%r, children=%d)" % (self.text, len(self.children))

    @property
    def opens_mode(self) -> bool:
        return bool(self.children) or self.activate or self.is_mode

    @property
    def path(self) -> list[str]:
        """Texts of the ancestors (outermost first) and of this line."""
        texts = []
        node: ConfigNode | None = self
        while node is not None and node.parent is not None:
            texts.append(node.text)
            node = node.parent
        return list(reversed(texts))

    @property
    def depth(self) -> int:
        return len(self.path)

    def find(self, text: str) -> ConfigNode | None:
        key = normalize_line(text)
        for child in self.children:
            if child.key == key:
                return child
        return None

    def match(self, text: str) -> ConfigNode | None:
        """The child of this (device-read) node holding the line ``text`` a user wrote, allowing
        for what the device normalizes (same_setting); exact matches first."""
        found = self.find(text)
        if found is not None:
            return found
        return next((child for child in self.children if same_setting(child.text, text)), None)

    def add(self, text: str, indent: int = 0) -> ConfigNode:
        """The child with this line, created (at the end) when missing; duplicates merge."""
        existing = self.find(text)
        if existing is not None:
            return existing
        child = ConfigNode(text, parent=self, indent=indent)
        self.children.append(child)
        return child

    def get(self, path: Iterable[str]) -> ConfigNode | None:
        """The node at `path` (a list of lines, outermost first), or None."""
        node = self
        for text in path:
            found = node.find(text)
            if found is None:
                return None
            node = found
        return node

    def walk(self) -> Iterator[ConfigNode]:
        """This node's descendants, depth first, in script order."""
        for child in self.children:
            yield child
            yield from child.walk()


def parse(text: str) -> ConfigNode:
    """Parse a CLI script into its root node (which has no text).

    Indentation nests lines; ``exit`` closes the innermost open mode and ``end`` all of them;
    ``activate`` marks the mode it is in; comments and blank lines are dropped.  Raises CliConfigError when an
    ``exit`` has no mode to close (typically a script whose modes are not indented).
    """
    root = ConfigNode("")
    root.is_mode = True
    # the chain of open lines: (indent, node); a line is nested under the nearest less-indented one
    stack: list[tuple[int, ConfigNode]] = []
    for number, raw in enumerate(text.expandtabs(8).splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or is_comment(stripped):
            continue
        indent = len(raw) - len(raw.lstrip())
        word = stripped.lower()
        if word == EXIT:
            _close_mode(stack, indent, number)
            continue
        if word == END:
            for open_line in stack:
                if open_line[1].opens_mode:
                    open_line[1].is_mode = True
            stack = []  # back to the top, whatever the depth
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else root
        if word == ACTIVATE:
            if parent is root:
                raise CliConfigError("line %d: 'activate' outside of any mode" % number)
            parent.activate = True
            continue
        node = parent.add(stripped, indent)
        stack.append((indent, node))
    return root


def _close_mode(stack: list[tuple[int, ConfigNode]], indent: int, number: int) -> None:
    """Pop the innermost open mode: a line with children, or the header the `exit` aligns with."""
    for position in range(len(stack) - 1, -1, -1):
        header_indent, node = stack[position]
        aligned = header_indent == indent and (indent > 0 or _TOP_LEVEL_MODE.match(node.key))
        if node.opens_mode or aligned:
            node.is_mode = True
            del stack[position:]
            return
    raise CliConfigError("line %d: 'exit' closes no mode; indent the lines of each mode under the line that opens it" % number)


def build(lines: Iterable[str] | None, parents: Iterable[str] | None = None) -> ConfigNode:
    """The desired tree for `lines` under the chain of `parents` (like ios_config's lines/parents).

    An ``activate`` among `lines` marks the innermost parent; ``exit`` lines are ignored
    (the script built from the tree exits every mode it enters).
    """
    root = ConfigNode("")
    root.is_mode = True
    node = root
    for parent in parents or []:
        if not parent.strip():
            continue
        problem = parent_problem(parent)
        if problem:
            raise CliConfigError("parent %r %s" % (parent, problem))
        node = node.add(parent)
        node.is_mode = True
    for line in lines or []:
        stripped = check_line(line).strip()
        if not stripped or is_comment(stripped) or stripped.lower() in (EXIT, END):
            continue
        if stripped.lower() == ACTIVATE:
            if node is root:
                raise CliConfigError("'activate' needs parents: it applies the mode it is in")
            node.activate = True
            continue
        node.add(stripped)
    return root


# --------------------------------------------------------------------------------------------
# child rows: nested as 7.2+ devices print them, or flat as older scripts give them

# Rows of child tables sit inside their parent row (``proxy-set 1`` > ``proxy-ip 0``); older
# scripts give them flat, naming the parent and their number within it in lines of their own.
# flat row command -> (parent row command, line naming the parent, line numbering the row,
#                      nested row command, whether the parent is named by its index or its name)
CHILD_ROWS = {
    "proxy-ip": ("proxy-set", "proxy-set-id", "proxy-ip-index", "proxy-ip", "index"),
    "coders-and-profiles audio-coders": (
        "coders-and-profiles audio-coders-groups", "coders-group-name", "coder-index", "audio-coders", "name"),
    "coders-and-profiles allowed-audio-coders": (
        "coders-and-profiles allowed-audio-coders-groups", "allowed-audio-coders-group-name", "allowed-audio-coders-index",
        "allowed-audio-coders", "name"),
}


def nest_child_rows(desired: ConfigNode, running: ConfigNode | None = None) -> ConfigNode:
    """Rewrite the flat child rows of `desired` into the nested form, in place; returns `desired`.

    ``proxy-ip 3`` holding ``proxy-set-id "1"`` and ``proxy-ip-index 0`` becomes ``proxy-set 1`` >
    ``proxy-ip 0`` with the row's other lines, so it compares with what the device prints. A row
    naming its parent by name (``coders-group-name "G"``) goes under the parent row of that name in
    `running` or `desired`. A flat row that does not name an existing parent and its number stays
    flat (the device takes it as it is)."""
    for top in desired.children:
        for row in list(top.children):
            words = tokenize(row.text)
            spec = CHILD_ROWS.get(" ".join(words[:-1])) if len(words) > 1 and words[-1].isdigit() else None
            if spec is None:
                continue
            parent_command, link_word, number_word, nested_command, named_by = spec
            given: dict[str, tuple[ConfigNode, str]] = {}
            for line in row.children:
                line_words = tokenize(line.text)
                if not line.opens_mode and len(line_words) == 2 and line_words[0] in (link_word, number_word):
                    given[line_words[0]] = (line, line_words[1])
            if len(given) != 2 or not given[number_word][1].isdigit():
                continue
            parent_index = _parent_row(top, running, parent_command, given[link_word][1], named_by)
            if parent_index is None:
                continue
            parent = top.add("%s %s" % (parent_command, parent_index))
            parent.is_mode = True
            nested = parent.add("%s %s" % (nested_command, given[number_word][1]))
            nested.is_mode = True
            nested.activate = nested.activate or row.activate
            for line in row.children:
                if line is not given[link_word][0] and line is not given[number_word][0] and nested.find(line.text) is None:
                    nested.children.append(copy_tree(line, nested))
            top.children.remove(row)
    return desired


def _parent_row(top: ConfigNode, running: ConfigNode | None, parent_command: str, link: str,
                named_by: str) -> str | None:
    """The index of the parent row a flat child row names, when that row exists (in `running` or the desired `top`)."""
    blocks: list[ConfigNode | None] = [top]
    if running is not None:
        blocks.append(running.find(top.text))
    for block in [block for block in blocks if block is not None]:
        for row in block.children:
            words = tokenize(row.text)
            if " ".join(words[:-1]) != parent_command or not words[-1].isdigit():
                continue
            if (named_by == "index" and words[-1] == link.strip()) or (
                    named_by == "name" and row.find("name %s" % _canonical_word(link)) is not None):
                return words[-1]
    return None


# --------------------------------------------------------------------------------------------
# comparison


def _is_negation(node: ConfigNode) -> bool:
    return node.key.startswith("no ") and len(node.key) > 3


def _line_present(desired: ConfigNode, running_parent: ConfigNode | None) -> bool:
    """Is `desired` (a single line) satisfied by the children of `running_parent`?

    ``no X`` is satisfied when nothing called X (or X followed by arguments) is there.
    """
    if running_parent is None:
        return _is_negation(desired)  # nothing there, so nothing to remove
    if _is_negation(desired):
        removed = desired.key[3:]
        return not any(child.key == removed or child.key.startswith(removed + " ") for child in running_parent.children)
    return running_parent.match(desired.text) is not None


def _select_subtree(node: ConfigNode, selected: set[ConfigNode]) -> None:
    selected.add(node)
    for descendant in node.walk():
        selected.add(descendant)


def _has_leaf_children(node: ConfigNode) -> bool:
    return any(not child.opens_mode for child in node.children)


def _diff_line(desired: ConfigNode, running: ConfigNode | None, selected: set[ConfigNode]) -> None:
    for child in desired.children:
        running_child = running.match(child.text) if running is not None and not _is_negation(child) else None
        if not _line_present(child, running):
            selected.add(child)
        _diff_line(child, running_child, selected)


def _settings(node: ConfigNode) -> list[ConfigNode]:
    """The lines of a mode that set something (not the nested modes, such as a proxy set's proxy-ip rows)."""
    return [child for child in node.children if not child.opens_mode]


def _diff_positional(desired: ConfigNode, running: ConfigNode | None, match: str, selected: set[ConfigNode]) -> None:
    """strict/exact: the settings of a mode are compared as ordered lists; nested modes on their own."""
    running_keys = [child.key for child in _settings(running)] if running is not None else []
    if _has_leaf_children(desired):
        desired_keys = [child.key for child in _settings(desired)]
        if match == "exact" and desired_keys != running_keys:
            for child in desired.children:
                _select_subtree(child, selected)
            return
        if match == "strict":
            for index, child in enumerate(_settings(desired)):
                if index >= len(running_keys) or running_keys[index] != child.key:
                    _select_subtree(child, selected)
    for child in desired.children:
        if child in selected:
            continue
        running_child = running.match(child.text) if running is not None else None
        if running_child is None and not _has_leaf_children(desired):
            selected.add(child)  # a missing container: entered, then compared inside
        _diff_positional(child, running_child, match, selected)


def difference(running: ConfigNode | None, desired: ConfigNode, match: str = "line",
               replace: str = "line") -> set[ConfigNode]:
    """The set of desired nodes that must be sent so that `running` holds `desired`
    (the order of ini.difference: the current configuration, then the desired one).

    match: ``line`` (each line, by its path, anywhere in its mode), ``strict`` (same position
    in its mode), ``exact`` (a mode's lines must equal the desired ones, same order, none
    extra), ``none`` (send everything).  replace: ``line`` (only the lines that differ) or
    ``block`` (every desired line of a mode in which one differs).
    """
    if match not in MATCH_CHOICES:
        raise ValueError("match must be one of %s" % ", ".join(MATCH_CHOICES))
    if replace not in REPLACE_CHOICES:
        raise ValueError("replace must be one of %s" % ", ".join(REPLACE_CHOICES))
    selected: set[ConfigNode] = set()
    if match == "none":
        for node in desired.walk():
            if not node.children:  # the lines themselves; their parents are entered anyway
                selected.add(node)
    elif match == "line":
        _diff_line(desired, running, selected)
    else:
        _diff_positional(desired, running, match, selected)
    if replace == "block" and selected:
        for node in list(selected):
            block = node.parent
            if block is not None and block.parent is not None and _has_leaf_children(block):
                for child in block.children:
                    _select_subtree(child, selected)
    return selected


# --------------------------------------------------------------------------------------------
# building the script


def render_incremental(running: ConfigNode | None, desired: ConfigNode, selected: set[ConfigNode],
                       indent: str = "  ") -> IncrementalScript:
    """The incremental script that sends the ``selected`` nodes of ``desired`` (``difference``) to
    a device whose configuration is ``running``: an :class:`IncrementalScript`."""
    return IncrementalScript(desired, selected, running, indent)


class IncrementalScript:
    """The incremental script for the selected nodes of a desired tree.

    ``commands`` are the script lines to send (modes entered, lines, ``activate``, ``exit``s
    back to the top); ``updates`` are only the configuration lines that change something.
    """

    def __init__(self, desired: ConfigNode, selected: set[ConfigNode], running: ConfigNode | None = None,
                 indent: str = "  ") -> None:
        self.commands: list[str] = []
        self.updates: list[str] = []
        self.activated: set[ConfigNode] = set()  # the desired modes the script ends with `activate`
        self._selected = selected
        self._indent = indent
        self._wanted = _with_ancestors(selected)
        self._emit_children(desired, running, 0)

    def __bool__(self) -> bool:
        return bool(self.updates)

    @property
    def text(self) -> str:
        return "\n".join(self.commands) + "\n" if self.commands else ""

    def _emit_children(self, desired: ConfigNode, running: ConfigNode | None, depth: int) -> tuple[bool, int]:
        """Emit the wanted children of `desired`; returns (a setting line was emitted here, where they end).

        A mode's `activate` goes right after its own settings, before the modes nested in it (a new
        proxy set exists before its proxy-ip rows are added), which is also where devices print it."""
        wrote_setting = False
        settings_end = len(self.commands)
        for child in desired.children:
            if child not in self._wanted:
                continue
            running_child = running.match(child.text) if running is not None else None
            self.commands.append(self._indent * depth + check_line(child.text))
            if child in self._selected and not (depth == 0 and _TOP_LEVEL_MODE.match(child.key)):
                self.updates.append(child.text)  # `configure voip` only enters a mode, it sets nothing
            opens_mode = child.opens_mode or (running_child is not None and running_child.opens_mode)
            if not opens_mode:
                wrote_setting = True
                settings_end = len(self.commands)
                continue
            wrote_here, child_settings_end = self._emit_children(child, running_child, depth + 1)
            if self._needs_activate(child, running_child, wrote_here, depth):
                self.commands.insert(child_settings_end, self._indent * (depth + 1) + ACTIVATE)
                self.activated.add(child)
            self.commands.append(self._indent * depth + EXIT)
        return wrote_setting, settings_end

    def _needs_activate(self, desired: ConfigNode, running: ConfigNode | None, wrote_setting: bool,
                        depth: int) -> bool:
        if depth == 0:
            return False  # `configure voip` etc. apply line by line
        if desired.activate and (wrote_setting or desired in self._selected):
            return True
        if not wrote_setting:
            return False
        if running is None:
            return True  # a mode the device does not print yet: most modes apply settings on `activate`
        return running.activate or looks_like_table_row(desired.text)


def _with_ancestors(selected: Iterable[ConfigNode]) -> set[ConfigNode]:
    wanted: set[ConfigNode] = set()
    node: ConfigNode | None
    for node in selected:
        while node is not None and node.parent is not None and node not in wanted:
            wanted.add(node)
            node = node.parent
    return wanted


# --------------------------------------------------------------------------------------------
# rendering and prediction (for diffs)


def serialize(node: ConfigNode, indent: str = " ") -> str:
    """A tree (or subtree, with its own line) back to script text, with `activate` and `exit`."""
    lines: list[str] = []
    if node.parent is None:
        for child in node.children:
            _dump(child, 0, indent, lines)
    else:
        _dump(node, 0, indent, lines)
    return "\n".join(lines) + ("\n" if lines else "")


def _dump(node: ConfigNode, depth: int, indent: str, lines: list[str]) -> None:
    """A mode as devices print it: `activate` after its own settings, before the modes nested in it."""
    lines.append(indent * depth + node.text)
    if not node.opens_mode:
        return
    settings_end = len(lines)
    for child in node.children:
        _dump(child, depth + 1, indent, lines)
        if not child.opens_mode:
            settings_end = len(lines)
    if node.activate:
        lines.insert(settings_end, indent * (depth + 1) + ACTIVATE)
    lines.append(indent * depth + EXIT)


def copy_tree(node: ConfigNode, parent: ConfigNode | None = None) -> ConfigNode:
    clone = ConfigNode(node.text, parent=parent, indent=node.indent)
    clone.activate = node.activate
    clone.is_mode = node.is_mode
    clone.children = [copy_tree(child, clone) for child in node.children]
    return clone


def excerpt(root: ConfigNode, paths: Iterable[Sequence[str]]) -> ConfigNode:
    """A tree holding only the top-level blocks of `root` that `paths` start in (for diffs)."""
    tops: list[str] = []
    for path in paths:
        if path and path[0] not in tops:
            tops.append(path[0])
    result = ConfigNode("")
    result.is_mode = True
    for top in tops:
        block = root.find(top)
        if block is not None:
            clone = copy_tree(block, result)
            result.children.append(clone)
    return result


def predict(running: ConfigNode, desired: ConfigNode, selected: Iterable[ConfigNode],
            activated: Iterable[ConfigNode] = ()) -> ConfigNode:
    """Predict the running tree after sending the selected lines (for check-mode diffs).

    A setting line inside a mode replaces the sibling setting of the same name (its first
    word): ``name "b"`` replaces ``name "a"``.  ``no X`` removes X.  The modes in `activated`
    (IncrementalScript.activated) are shown with ``activate``, as the device prints them.
    """
    result = copy_tree(running)
    wanted = _with_ancestors(selected)
    _apply_children(result, desired, wanted, set(activated))
    return result


def _apply_children(target: ConfigNode, desired: ConfigNode, wanted: set[ConfigNode], activated: set[ConfigNode]) -> None:
    for child in desired.children:
        if child not in wanted:
            continue
        if _is_negation(child):
            removed = child.key[3:]
            target.children = [c for c in target.children if not (c.key == removed or c.key.startswith(removed + " "))]
            continue
        existing = target.find(child.text)
        if existing is None:
            existing = ConfigNode(child.text, parent=target)
            replaced = _same_setting_index(target, child) if target.parent is not None and not child.opens_mode else None
            if replaced is None:
                target.children.append(existing)
            else:
                target.children[replaced] = existing
        existing.activate = existing.activate or child.activate or child in activated
        existing.is_mode = existing.is_mode or child.is_mode
        _apply_children(existing, child, wanted, activated)


def _same_setting_index(target: ConfigNode, line: ConfigNode) -> int | None:
    name = line.key.split(" ", 1)[0]
    for index, child in enumerate(target.children):
        if not child.opens_mode and child.key.split(" ", 1)[0] == name:
            return index
    return None


def selected_paths(selected: Iterable[ConfigNode]) -> list[list[str]]:
    return [node.path for node in selected]


# --------------------------------------------------------------------------------------------
# device output


# The device prints "% <reason>" for a line it refuses, here with "(line N: <line>)" after it;
# a 400 answer's description says "Line N: '<line>': <reason>".
_OUTPUT_ERROR = re.compile(r"^%\s*(?P<reason>.*?)(?:\s*\(line (?P<number>\d+): (?P<line>.*)\))?\s*$")
_DESCRIPTION_ERROR = re.compile(r"^Line (?P<number>\d+): '(?P<line>.*)': (?P<reason>.*)$")


class ScriptFailure:
    """The first line of a script the device refused, and why."""

    def __init__(self, command: str | None, reason: str, number: int | None = None) -> None:
        self.command = command
        self.reason = reason
        self.number = number

    def __repr__(self) -> str:
        return "ScriptFailure(%r, %r, %r)" % (self.command, self.reason, self.number)


def find_script_error(output: str | None, script_lines: Sequence[str],
                      description: str | None = None) -> ScriptFailure | None:
    """The refused command reported in the device's `output` (or its 400 `description`), or None.

    `script_lines` are the lines sent: when the device gives only a line number, the command is
    taken from them.
    """
    failure = None
    for text in (output or "").splitlines():
        found = _OUTPUT_ERROR.match(text.strip())
        if found:
            failure = _failure(found, script_lines)
            break
    if failure is None or failure.command is None:
        found = _DESCRIPTION_ERROR.match((description or "").strip())
        if found:
            return _failure(found, script_lines)
    return failure


def _failure(found: re.Match[str], script_lines: Sequence[str]) -> ScriptFailure:
    number = int(found.group("number")) if found.group("number") else None
    command = found.group("line")
    if command is None and number is not None and 0 < number <= len(script_lines):
        command = script_lines[number - 1]
    return ScriptFailure((command or "").strip() or None, found.group("reason").strip() or "refused", number)
