"""Links and opportunities' work compared between two boards (compare.py): which links between
cards were made or taken away, and which opportunities changed status or owner. Cards are
named by their text, the one thing two documents share for sure; documents from before links
have none (an empty list)."""


def _texts(document: dict) -> dict:
    return {card["key"]: card.get("text", "") for card in document.get("cards", [])}


def _pairs(document: dict) -> set[tuple[str, str]]:
    texts = _texts(document)
    return {
        (texts.get(link["opportunity"], ""), texts.get(link["pain_point"], ""))
        for link in document.get("links", [])
    }


def _work(document: dict) -> dict:
    texts = _texts(document)
    return {texts.get(item["card"], ""): item for item in document.get("opportunities", [])}


def links(left: dict, right: dict) -> dict:
    before, after = _pairs(left), _pairs(right)
    as_rows = lambda pairs: [  # noqa: E731
        {"opportunity": opportunity, "pain_point": pain_point}
        for opportunity, pain_point in sorted(pairs)
    ]
    work_before, work_after = _work(left), _work(right)
    work = [
        {
            "text": text,
            "status": (work_before[text].get("status"), item.get("status")),
            "owner": (work_before[text].get("owner"), item.get("owner")),
        }
        for text, item in sorted(work_after.items())
        if text in work_before
        and (work_before[text].get("status"), work_before[text].get("owner"))
        != (item.get("status"), item.get("owner"))
    ]
    return {
        "added": as_rows(after - before),
        "removed": as_rows(before - after),
        "work": work,
        "changed": bool(after ^ before or work),
    }
