"""Characters no editor means to write and no reader can see.

Control characters other than tab and line breaks, surrogates, and
Unicode's noncharacters (U+FDD0-U+FDEF and the last two code points of
every plane). They reach text through YAML escapes ("\\u0007"), a paste from
another program, or a feed; the PDF's XML metadata cannot even hold them.
Validation refuses them at their place; an imported feed drops them.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
