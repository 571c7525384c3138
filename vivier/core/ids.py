"""Database ids read from text: 64-bit, ASCII digits only."""

# Ids are 64-bit: bounding them keeps huge numbers a clean "not found" on every database.
MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """The id written in `value`, or None when it is not a positive 64-bit integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip()
    # isdecimal() alone accepts digits such as "²" or Arabic-Indic ones that int() reads oddly.
    if not text or not text.isascii() or not text.isdecimal() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
