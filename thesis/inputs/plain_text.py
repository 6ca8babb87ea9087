"""The one rule for control characters in input text: refused, however they were written.

A control character (line breaks and tabs aside) or a bidirectional control in
an input text would reach the brief, a CSV cell or the terminal as something
else than it says; every input text is refused with it, naming the character
and where it is. The same set of characters is what :mod:`thesis.terminal`
shows as escapes in text that comes from elsewhere.
"""

from __future__ import annotations

import unicodedata

from thesis.terminal import CONTROL

# Names of the control characters that have none in the Unicode database.
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0D: "CARRIAGE RETURN", 0x1B: "ESC", 0x7F: "DEL"}


def plain_text(text: str) -> str:
    """Refuse control and bidirectional characters, however they were written (raw or as a YAML escape)."""
    found = CONTROL.search(text)
    if found is None:
        return text
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code) or unicodedata.name(found.group(), "control character")
    if code >= 0x200:
        raise ValueError(
            f"the text holds the bidirectional control U+{code:04X} ({name}) at character {found.start() + 1}, "
            "which makes it display differently from what it says; delete it"
        )
    raise ValueError(
        f"the text holds the control character U+{code:04X} ({name}) at character {found.start() + 1}; "
        "delete it (a YAML escape such as \\e, \\a or \\x00 writes one too)"
    )
