"""Columns with personal data: which ones a file has (by name, or by values that are e-mail or IP
addresses or phone numbers), left out of the proposal; and, for a column someone maps on
purpose, what will be kept of it. Masking (evidence/masking.py) replaces e-mail addresses, phone
numbers and IP addresses in the stored text; names, ids and places are stored as they are.
"""

from evidence import masking

from . import columns
from .columns import ColumnStats

MASKED_KINDS = {kind: token for token, kind in masking.TOKENS.items()}


def personal_columns(header: list[str], stats: dict[str, ColumnStats]) -> dict[str, str]:
    """{column: what it holds} for the columns with personal data, in the file's order."""
    found = {}
    for column in header:
        if columns.is_personal(column):
            found[column] = columns.personal_kind(column)
        elif column in stats and (holds := stats[column].personal_values):
            found[column] = holds
    return found


def kept(column: str, holds: str, *, mask: bool) -> str:
    """What storing a personal column keeps, in words: "the column Email is mapped: e-mail
    addresses will be masked ([e-mail])"."""
    said = f"the column {column} is mapped: {holds}"
    if holds in MASKED_KINDS and mask:
        return f"{said} will be masked ({MASKED_KINDS[holds]})"
    if holds in MASKED_KINDS:
        return f"{said} will be stored (masking is off on this map)"
    return f"{said} will be stored as they are"


def described(found: dict[str, str], *, mask: bool) -> list[dict]:
    """The preview's `personal`: each personal column, what it holds, whether masking takes it
    and what mapping it would keep (for the import page to say when someone maps it)."""
    return [
        {
            "column": column,
            "holds": holds,
            "masked": mask and holds in MASKED_KINDS,
            "if_mapped": kept(column, holds, mask=mask),
        }
        for column, holds in found.items()
    ]


def mapped(recognised, used: list[int], *, mask: bool) -> list[str]:
    """What is kept of the personal columns a mapping uses (the dry run's `personal`)."""
    header = recognised.header
    stats = {header[index]: ColumnStats() for index in sorted(set(used)) if index < len(header)}
    for count, (_, cells) in enumerate(recognised.data_rows()):
        if count == columns.VALUES_LOOKED_AT:
            break
        for column in stats:
            index = header.index(column)
            stats[column].add(cells[index] if index < len(cells) else "")
    found = personal_columns(list(stats), stats)
    return [kept(column, holds, mask=mask) for column, holds in found.items()]
