"""Numbers as people read them, the one home of their formatting for the PDF, the compare page
and the version pages: a real minus sign, no .0 on whole numbers, thousands grouped."""


def signed(value: float) -> str:
    """+1, −0.5: a real minus sign, and no .0 on whole numbers."""
    text = f"{value:+.1f}".removesuffix(".0")
    return "±0" if value == 0 else text.replace("-", "\u2212")


def number(value: float) -> str:
    """4.5, 3, 0.84, 12,400: no trailing zeros, thousands grouped."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def quantity(value, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("%", "pp"):
        return f"{number(value)}{'%' if unit == '%' else ' pp'}"
    return f"{number(value)} {unit}".strip()


def signed_percent(ratio: float) -> str:
    """+50%, −12%, +0.4%: a real minus sign, one decimal only below 1%."""
    percent = ratio * 100
    text = f"{percent:+.1f}" if abs(percent) < 1 else f"{percent:+.0f}"
    return text.replace("-", "\u2212") + "%"
