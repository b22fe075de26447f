"""Compile every locale/*/LC_MESSAGES/*.po into .mo with Babel.

`make setup` uses this instead of `manage.py compilemessages` so a fresh machine needs no
GNU gettext; fuzzy entries are left out, as msgfmt does.
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(root: Path) -> int:
    count = 0
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)
        count += 1
    return count


if __name__ == "__main__":
    compile_all(Path(sys.argv[1] if len(sys.argv) > 1 else "locale"))
