"""The names of a table's columns, as the header row gives them.

A tool's export is taken as the tool wrote it: empty names become "Column N" and a repeated name
gets " (2)", so that every column can be mapped by name. A plain table must name its columns
itself, as the CSV import has always required: a first row that is empty, holds numbers or
repeats a name is not a header, and the file is refused rather than read wrong.
"""

from django.core.exceptions import ValidationError

from evidence import fields


def unique(header: list[str]) -> list[str]:
    """A tool's header with every column named once: "Column 3" for a blank, "Tags (2)"."""
    while header and not header[-1]:
        header.pop()
    seen, names = {}, []
    for index, name in enumerate(header, start=1):
        name = name or f"Column {index}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def strict(cells: list[str]) -> list[str]:
    """A plain table's first row must name its columns (as the CSV import always required)."""
    header = [cell.strip() for cell in cells]
    while header and not header[-1]:
        header.pop()  # a trailing separator leaves an empty last column
    problem = None
    if not header:
        problem = "The first row is empty"
    elif any(not name for name in header):
        problem = f"Column {header.index('') + 1} of the first row has no name"
    elif any(_is_number(name) for name in header):
        problem = "The first row holds numbers, not column names"
    elif len(set(header)) != len(header):
        problem = "Two columns of the first row have the same name"
    if problem:
        raise ValidationError(
            {"file": [f"{problem}: the first row must name the columns (a header row)."]}
        )
    return header


def _is_number(text: str) -> bool:
    try:
        fields.parse_number(text)
    except fields.Invalid:
        return False
    return True
