"""A tool's JSON export flattened to a table of metrics, so it goes through the same mapping and
checks as any long metric table.

Microsoft Clarity's Data Export API (`project-live-insights`) answers with a list of
`{"metricName": ..., "information": [{...}, ...]}`. Its documentation spells the names with spaces
("Dead Click Count") and the live API without ("DeadClickCount"), so names are compared with spaces
and case ignored; keys are read case-blind too ("PagesPerSessionPercentage"). Values come as
numbers or as strings of digits. With `dimension1` (URL, Device, ...) each entry of `information`
is one dimension value, named by extra keys such as "URL" and "Device".

The behaviour metrics become percentages of sessions (dead clicks, rage clicks, quick backs,
excessive scrolling, script errors, error clicks) with the sessions counted as the sample size;
scroll depth is the average share of the page seen. Lists of pages, referrers, countries and the
like are not metrics and are listed as skipped.
"""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError

HEADER = ["Metric", "Value", "Unit", "Sample size", "Source"]
SOURCE = "Microsoft Clarity"
# metric name (spaces and case ignored): [(label, value key, unit, sample-size key)]
CLARITY_METRICS = {
    "deadclickcount": [("Dead clicks", "sessionswithmetricpercentage", "%", "sessionscount")],
    "rageclickcount": [("Rage clicks", "sessionswithmetricpercentage", "%", "sessionscount")],
    "quickbackclick": [("Quick backs", "sessionswithmetricpercentage", "%", "sessionscount")],
    "excessivescroll": [
        ("Excessive scrolling", "sessionswithmetricpercentage", "%", "sessionscount")
    ],
    "scripterrorcount": [("Script errors", "sessionswithmetricpercentage", "%", "sessionscount")],
    "errorclickcount": [("Error clicks", "sessionswithmetricpercentage", "%", "sessionscount")],
    "scrolldepth": [("Scroll depth", "averagescrolldepth", "%", None)],
    "traffic": [
        ("Sessions", "totalsessioncount", "", None),
        ("Pages per session", "pagespersessionpercentage", "", "totalsessioncount"),
    ],
    "engagementtime": [
        ("Active time", "activetime", "s", None),
        ("Total time", "totaltime", "s", None),
    ],
}
VALUE_KEYS = {
    "sessionscount", "sessionswithmetricpercentage", "sessionswithoutmetricpercentage",
    "pagesviews", "subtotal", "averagescrolldepth", "totalsessioncount", "totalbotsessioncount",
    "distinctusercount", "distantusercount", "pagespersessionpercentage", "activetime",
    "totaltime",
}  # fmt: skip


def is_clarity(document) -> bool:
    return (
        isinstance(document, list)
        and bool(document)
        and all(
            isinstance(entry, dict) and "metricName" in entry and "information" in entry
            for entry in document
        )
    )


def clarity_table(document) -> tuple[list[str], list[list[str]], list[str]]:
    """(header, rows, names of the entries that are not metrics) of a Clarity export."""
    sessions = _overall_sessions(document)
    rows, skipped = [], []
    for entry in document:
        key = _plain(entry["metricName"])
        if key not in CLARITY_METRICS or not isinstance(entry["information"], list):
            skipped.append(str(entry["metricName"])[:100])
            continue
        for info in entry["information"]:
            if isinstance(info, dict):
                rows.extend(_rows_of(CLARITY_METRICS[key], _keyed(info), sessions))
    return HEADER, rows, skipped


def _rows_of(metrics, info: dict, sessions: str) -> list[list[str]]:
    where = _dimensions(info)
    rows = []
    for label, value_key, unit, sample_key in metrics:
        if info.get(value_key) in (None, ""):
            continue
        sample = info.get(sample_key) if sample_key else None
        if sample is None and unit == "%" and not where:
            sample = sessions  # scroll depth of the whole site: over all its sessions
        name = ", ".join([label, *where])
        rows.append([name, _text(info[value_key]), unit, _text(sample), SOURCE])
    return rows


def _overall_sessions(document) -> str:
    for entry in document:
        if _plain(entry["metricName"]) == "traffic" and isinstance(entry["information"], list):
            infos = [_keyed(info) for info in entry["information"] if isinstance(info, dict)]
            if len(infos) == 1 and not _dimensions(infos[0]):
                return _text(infos[0].get("totalsessioncount"))
    return ""


def _dimensions(info: dict) -> list[str]:
    """The dimension values of an entry ("URL", "Device"...): the keys that are not values."""
    return [_without_query(str(value)) for key, value in info.items() if key not in VALUE_KEYS]


def _without_query(value: str) -> str:
    # Clarity returns pages with their query strings: ad click ids (gclid, fbclid) identify people.
    if value.startswith(("http://", "https://")):
        parts = urlsplit(value)
        return urlunsplit(parts._replace(query="", fragment=""))
    return value.split("?")[0] if value.startswith("/") else value


def _keyed(info: dict) -> dict:
    return {_plain(key): value for key, value in info.items()}


def _plain(name) -> str:
    return "".join(str(name).split()).lower()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def not_an_export() -> ValidationError:
    return ValidationError(
        {
            "file": [
                "This JSON is not an export we can read. We read Microsoft Clarity's data "
                'export (a list of {"metricName": ..., "information": [...]}); for other tools, '
                "export CSV."
            ]
        }
    )
