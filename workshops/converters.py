"""The `<id:...>` of every route: digits that a 64-bit id can hold. A longer number matches no
route, so it answers 404 like any other id that does not exist, instead of overflowing the
query (SQLite refuses a Python int past 64 bits; that was a 500)."""

from .models import ID_MAX


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("Past the largest id.")  # Django then tries the next route
        return number

    def to_url(self, value) -> str:
        return str(value)
