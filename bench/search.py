"""How fast GET /api/search/ answers over 100 maps of 300 cards and 10,000 evidence pieces.

    scripts/with-services .venv/bin/python bench/search.py              # prints the table
    scripts/with-services .venv/bin/python bench/search.py --write-doc  # ...into docs/benchmarks.md

On PostgreSQL (its full-text search is what is measured; scripts/with-services starts a
throwaway one), in process through Django's test client, as bench/scale.py's `api` does: the
server's time of each request, from the middleware to the JSON. One reader is a member of the
ten workshops holding the 100 maps (7 stages, 8 lanes and 300 cards each: 30,000 cards, a
twentieth of them someone else's private cards) and their 10,000 pieces of evidence (metrics,
survey answers, quotes); another ten workshops of the same size belong to someone else, so the
search also has to leave out what the reader may not see. Cards and evidence are written in bulk,
as an import writes evidence (evidence/bulk.py): through the services they would take minutes.

Each query is asked `--runs` times after a warm-up. The floor is GET /api/workshops/ measured in
the same run: what any API read costs here. The target (issue 20): p95 under 100 ms.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realtime as rt  # noqa: E402  (the machine's name)
from report import write_section  # noqa: E402

ROOT = rt.ROOT
DOC_START, DOC_END = "<!-- search:start -->", "<!-- search:end -->"
WORKSHOPS, MAPS_EACH, CARDS_EACH, EVIDENCE = 10, 10, 300, 10_000
TARGET_MS = 100
QUERIES = [
    "size guide",
    "checkout",
    "deliv",
    '"cart checkout"',
    "account or login -password",
    "wishlist cart mobile",
    "nothingmatchesthis",
    "the",
]
# About 150 words of journey maps, each as likely as the next (a card of 10 words holds a given
# one about 4% of the time), between the short words that are in almost every text.
WORDS = (
    "customer cart checkout size guide delivery cost search filter review wishlist account "
    "email reminder mobile app store return refund loyalty discount stock payment form "
    "navigation homepage product page comparison chat support onboarding tutorial login "
    "password coupon shipping tracking parcel courier invoice subscription trial upgrade "
    "banner newsletter voucher basket sizes fitting photos ratings price shipping tax quote "
    "policy claim broker agent premium renewal cover excess insurer lead demo sales call "
    "meeting contract signature approval budget manager team admin dashboard report export "
    "import integration settings profile avatar notification alert badge feed timeline "
    "calendar booking slot reschedule cancel waitlist queue hotline callback survey nps "
    "score feedback complaint praise confusion frustration delight trust doubt anxiety "
    "relief surprise boredom hesitation abandon bounce scroll click tap swipe zoom video "
    "image gallery carousel menu footer header sidebar modal popup cookie consent privacy "
    "terms faq help article forum community referral invite share social ad campaign "
    "landing keyword ranking organic paid retargeting funnel conversion retention churn "
    "upsell crossSell bundle gift wrap voucher birthday anniversary winback"
).split()
GLUE = "the a is of to and for on in with but too not".split()


def sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS if rng.random() < 0.6 else GLUE) for _ in range(words)]
    return " ".join(picked).capitalize()


def build(rng: random.Random):
    """Both owners' workshops, maps, cards and evidence; returns the reader."""
    from django.contrib.auth.models import User

    reader = User.objects.create_user(f"reader-{secrets.token_hex(3)}", first_name="Reader")
    stranger = User.objects.create_user(f"other-{secrets.token_hex(3)}", first_name="Other")
    for owner in (reader, stranger):
        for index in range(WORKSHOPS):
            fill_workshop(rng, owner, f"{owner.first_name}'s workshop {index + 1}")
    return reader


def fill_workshop(rng, owner, name):
    from evidence.models import Evidence
    from workshops import services
    from workshops.models import Card

    workshop = services.workshop_create(actor=owner, name=name)
    for _ in range(MAPS_EACH):
        journey_map = services.map_create(
            actor=owner, workshop=workshop, title=sentence(rng, 3), template="b2c"
        )
        stages, lanes = list(journey_map.stages.all()), list(journey_map.lanes.all())
        cards = Card.objects.bulk_create(
            Card(
                map=journey_map,
                stage=stages[number % len(stages)],
                lane=lanes[number // len(stages) % len(lanes)],
                position=number,
                text=sentence(rng, rng.randint(4, 16)),
                private=number % 20 == 0,
                author=owner,
            )
            for number in range(CARDS_EACH)
        )
        Evidence.objects.bulk_create(
            piece(rng, journey_map, stages, cards, number)
            for number in range(EVIDENCE // (WORKSHOPS * MAPS_EACH))
        )


def piece(rng, journey_map, stages, cards, number):
    from evidence.models import Evidence

    place = {"card": cards[number]} if number % 2 else {"stage": stages[number % len(stages)]}
    kind = ("metric", "survey", "quote")[number % 3]
    fields = {
        "metric": {"name": sentence(rng, 3), "value": number},
        "survey": {"question": "What stopped you?", "answer": sentence(rng, 12), "score": 7},
        "quote": {"text": sentence(rng, 14), "who": "Shopper"},
    }[kind]
    return Evidence(map=journey_map, kind=kind, **place, **fields)


def timed(client, url: str, runs: int) -> tuple[list[float], float]:
    """Each request's time in ms, and the CPU time of one request on average (this process's
    and its PostgreSQL backend's): the figure the machine's other work inflates least."""
    assert client.get(url).status_code == 200  # warm: the plan, the serializers
    times, cpu_before = [], cpu_seconds()
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content
    return times, (cpu_seconds() - cpu_before) * 1000 / runs


def cpu_seconds() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return time.process_time() + (int(fields[11]) + int(fields[12])) / ticks


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(runs: int) -> dict:
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    began = time.perf_counter()
    reader = build(random.Random(20))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    built = time.perf_counter() - began
    client = Client()
    client.force_login(reader)
    rows, every = [], []
    for text in QUERIES:
        url = "/api/search/?" + urlencode({"q": text})
        times, cpu = timed(client, url, runs)
        every += times
        found = client.get(url).json()
        rows.append((text, times, cpu, len(found["results"]), found["more"]))
    floor, floor_cpu = timed(client, "/api/workshops/", runs)
    return {"rows": rows, "every": every, "floor": (floor, floor_cpu), "built_s": built}


def markdown(report: dict, runs: int) -> str:
    every, (floor, floor_cpu) = report["every"], report["floor"]
    lines = [
        "## Search",
        "",
        f"`bench/search.py` (through `scripts/with-services`), {runs} requests per query after a "
        f"warm-up, server time in process. Machine: {rt.machine()}, PostgreSQL, load average "
        "{:.1f} / {:.1f} / {:.1f} at the end. ".format(*os.getloadavg())
        + f"{WORKSHOPS * MAPS_EACH} maps of {CARDS_EACH} cards "
        f"({WORKSHOPS * MAPS_EACH * CARDS_EACH:,} cards) and {EVIDENCE:,} pieces of evidence the "
        "reader may search, as many again that they may not. CPU: the mean per request of the "
        "server's process and its PostgreSQL backend together.",
        "",
        "| query | p50 | p95 | max | CPU | results |",
        "|---|---|---|---|---|---|",
    ]
    for text, times, cpu, count, more in report["rows"]:
        shown = text.replace("|", "\\|")
        lines.append(
            f"| `{shown}` | {statistics.median(times):.1f} ms | {percentile(times, 0.95):.1f} ms "
            f"| {max(times):.1f} ms | {cpu:.1f} ms | {count}{'+' if more else ''} |"
        )
    p95 = percentile(every, 0.95)
    lines += [
        f"| **every query** | **{statistics.median(every):.1f} ms** | **{p95:.1f} ms** "
        f"| {max(every):.1f} ms | | |",
        f"| floor: GET /api/workshops/ | {statistics.median(floor):.1f} ms "
        f"| {percentile(floor, 0.95):.1f} ms | {max(floor):.1f} ms | {floor_cpu:.1f} ms | |",
        "",
        f"Target: p95 under {TARGET_MS} ms: **{'met' if p95 < TARGET_MS else 'not met'}**. "
        f"Building the data took {report['built_s']:.0f} s.",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--write-doc", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "Run it on PostgreSQL: scripts/with-services .venv/bin/python bench/search.py "
            "(or set DATABASE_URL to a scratch database yourself)."
        )
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "cjm.settings"),
        # The rate limit is not what is measured.
        RATE_SEARCHES="100000/min",
        RATE_SEARCHES_PER_IP="100000/min",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    text = markdown(measure(args.runs), args.runs)
    print(text)
    if args.write_doc:
        write_section(f"{DOC_START}\n{text}{DOC_END}", DOC_START, DOC_END)


if __name__ == "__main__":
    main()
