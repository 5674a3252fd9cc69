"""Load a running Liaison from outside, as an office of users would, and print how fast its pages answer.

One client process drives N virtual users with asyncio and aiohttp, so the client costs little CPU on a machine it
shares with the server (its own CPU time is printed). Each virtual user logs in through the real login form (the
demo accounts waive the second factor; logins are not timed), keeps its own session, and then asks for pages in a
fixed mix, printed at start: My day, the lists, detail pages (partner, exchange, item, report) picked from the links
found on the pages that user saw, the API lists with the session, and a report PDF every `--pdf-every` requests.
With think time each user pauses `--think` seconds (0.5 to 1.5 times that, at random) between requests;
`--no-think` sends the next request as soon as the previous answer is read (saturation throughput).

For each N of `--users`, after a warm-up of `--warmup` seconds (not counted), it runs `--duration` seconds and
prints one line: users, requests, requests/s, p50/p95/p99 and max in ms, errors (any status of 400 or more other
than a 404 on a detail page or PDF, or on a list the user's roles do not open, which is then left out of that
user's mix; a redirect to the login page, a PDF that is not one, a timeout after 30 s, a
connection error; the first few kinds are named) and `client%`, the client's own CPU time over the level as a share
of one core; then p95 and count per kind of page. It asserts nothing.

Prepare a large demo office in a data folder of its own (`demo-data` refuses a database that holds users; loading
takes about nine minutes on 2 cores) and start the server on it; `LIAISON_THREADS` (8 by default) is the number of
waitress threads:

    export LIAISON_DEMO=1 LIAISON_DATA_DIR=/tmp/liaison-load
    .venv/bin/liaison migrate
    .venv/bin/liaison demo-data --size large
    .venv/bin/liaison collectstatic --noinput
    .venv/bin/liaison serve --port 8000

For PostgreSQL, create a scratch database and export its address as well, before the same four commands:

    createdb -h 127.0.0.1 -U postgres liaison_load
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_load

Then, from another shell in the project folder:

    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --users 1,20,50 --duration 60
    .venv/bin/python bench/load.py --users 50 --no-think --duration 30      # saturation

`--audit-check` also compares the audit with what the run saw. It reads the server's database, so run it with the
server's environment (LIAISON_DEMO, LIAISON_DATA_DIR, DATABASE_URL). Before the logins and after the last request it
counts the read records: `AuditEntry` rows of the events object.read, object.list_read and access.refused, plus the
rows of `ReadRecord` with those events when that model exists. Against the deltas it sets what the run expects:
one object.read per detail page or PDF answered 200, one object.list_read per list page answered 200 that shows
at least one object of its kind (partners, exchanges, reports, follow-ups, releases; on the agenda, one per kind of
entry shown: exchanges, follow-ups, consent requests; on the API lists, a non-empty `results`), one access.refused
per 404 on a detail page or PDF; My day and the notifications record no read. Warm-up requests count too. Then it runs
the audit chain verifier and prints its result. Any other use of the server during the run shows as a difference.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

DEFAULT_ACCOUNTS = (
    "officer.europe,officer.mena,officer.africa,officer.eurasia,officer.asia,officer.americas,officer.junior,"
    "head.office,head.europe,head.south,head.ct,"
    "analyst.ct,analyst.ct2,analyst.cp,analyst.ci,analyst.cyber,analyst.cyber2,analyst.ce,"
    "release.authority"
)
TIMEOUT_SECONDS = 30.0
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

# Pages asked for by path; each list page's detail links feed the detail kinds below.
PAGES = {
    "my_day": "/",
    "partners": "/partners/",
    "exchanges": "/exchanges/",
    "reports": "/reports/",
    "followups": "/followups/",
    "releases": "/releases/",
    "notifications": "/notifications/",
    "agenda": "/agenda/",
    "api_exchanges": "/api/v1/exchanges/",
    "api_reports": "/api/v1/reports/",
}
DETAILS = ("partner", "exchange", "item", "report")
READS_ONE = (*DETAILS, "pdf")  # pages that read one object: a 404 there is a refusal, not an error
# Weights of the mix, out of 100; the PDF comes on top, every --pdf-every requests of each user.
WEIGHTS = {
    "my_day": 14,
    "partners": 6,
    "exchanges": 6,
    "reports": 6,
    "followups": 5,
    "releases": 4,
    "notifications": 4,
    "agenda": 5,
    "partner": 10,
    "exchange": 12,
    "item": 8,
    "report": 10,
    "api_exchanges": 5,
    "api_reports": 5,
}
# Detail links in a page: exactly the detail page (not its edit, export or action pages).
LINKS = {
    "partner": re.compile(rf'href="(/partners/{UUID}/)"'),
    "exchange": re.compile(rf'href="(/exchanges/{UUID}/)"'),
    "item": re.compile(rf'href="(/exchanges/items/{UUID}/)"'),
    "report": re.compile(rf'href="(/reports/{UUID}/)"'),
    "followup": re.compile(rf'href="(/followups/{UUID}/)"'),
    "release": re.compile(rf'href="(/releases/{UUID}/)"'),
    "consent_request": re.compile(rf'href="(/releases/consent-requests/{UUID}/)"'),
}
# Where to look for links of a detail kind the user has not seen yet.
LINK_SOURCE = {"partner": "partners", "exchange": "exchanges", "item": "exchange", "report": "reports"}
# A list page records one list read when it shows at least one object of its kind; the agenda one per kind shown.
LIST_READ_KINDS = {
    "partners": ("partner",),
    "exchanges": ("exchange",),
    "reports": ("report",),
    "followups": ("followup",),
    "releases": ("release",),
    "agenda": ("exchange", "followup", "consent_request"),
}
LINKS_KEPT = 300  # per user and kind
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
READ_EVENTS = ("object.read", "object.list_read", "access.refused")


@dataclass
class Sample:
    kind: str
    ms: float
    error: str = ""


@dataclass
class Expected:
    """The read records the run should have caused, by audit event."""

    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class VirtualUser:
    number: int
    login: str
    session: aiohttp.ClientSession
    rng: random.Random
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sent: int = 0
    logged_in: bool = False
    # Lists this user's roles do not open (a role gate answers 404): left out of their mix, as from their menu.
    barred: set[str] = field(default_factory=set)

    def remember(self, text: str) -> None:
        for kind in DETAILS:
            kept = self.links[kind]
            for href in set(LINKS[kind].findall(text)):
                if href in kept:
                    continue
                if len(kept) < LINKS_KEPT:
                    kept.append(href)
                else:
                    kept[self.rng.randrange(LINKS_KEPT)] = href


class LoginFailed(Exception):
    pass


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted values (0 when there are none)."""
    if not ordered:
        return 0.0
    rank = max(1, int(len(ordered) * share + 0.999999))
    return ordered[min(rank, len(ordered)) - 1]


async def log_in(user: VirtualUser, base: str, password: str) -> None:
    login_url = f"{base}/accounts/login/"
    async with user.session.get(login_url) as response:
        page = await response.text()
        if response.status != 200:
            raise LoginFailed(f"{user.login}: the login page answered {response.status}")
    form = next((part for part in page.split("<form") if 'name="username"' in part), "")
    token = CSRF.search(form)
    if token is None:
        raise LoginFailed(f"{user.login}: no CSRF token in the login form")
    data = {"csrfmiddlewaretoken": token.group(1), "username": user.login, "password": password}
    async with user.session.post(
        login_url, data=data, headers={"Referer": login_url}, allow_redirects=False
    ) as response:
        await response.read()
        target = response.headers.get("Location", "")
        if response.status != 302 or target.startswith("/accounts/"):
            where = f"redirected to {target}" if target else f"answered {response.status}"
            raise LoginFailed(f"{user.login}: login refused ({where}; is it a demo account of a demo instance?)")
    user.logged_in = True


def choose(user: VirtualUser, kinds: list[str], weights: list[int], pdf_every: int) -> tuple[str, str]:
    """The next request of a user: its kind (for the figures) and its path."""
    user.sent += 1
    if pdf_every and user.sent % pdf_every == 0:
        if user.links["report"]:
            return "pdf", user.rng.choice(user.links["report"]) + "export.pdf"
        return "reports", PAGES["reports"]
    kind = user.rng.choices(kinds, weights)[0]
    if kind in PAGES:
        return kind, PAGES[kind]
    if user.links[kind]:
        return kind, user.rng.choice(user.links[kind])
    source = LINK_SOURCE[kind]  # nothing seen yet: visit the page that links to it
    if source in PAGES:
        return source, PAGES[source]
    if user.links[source]:
        return source, user.rng.choice(user.links[source])
    return LINK_SOURCE[source], PAGES[LINK_SOURCE[source]]


def expect(kind: str, status: int, body: bytes, text: str, expected: Expected) -> None:
    """Add what this answer should have put in the read records."""
    if kind in READS_ONE:
        if status == 200:
            expected.counts["object.read"] += 1
        elif status == 404:
            expected.counts["access.refused"] += 1
    elif status != 200:
        return
    elif kind in LIST_READ_KINDS:
        expected.counts["object.list_read"] += sum(1 for link in LIST_READ_KINDS[kind] if LINKS[link].search(text))
    elif kind.startswith("api_"):
        with contextlib.suppress(ValueError, AttributeError):  # not JSON, or not a page of results
            expected.counts["object.list_read"] += 1 if json.loads(body).get("results") else 0


async def fetch(user: VirtualUser, base: str, kind: str, path: str, expected: Expected) -> Sample:
    start = time.perf_counter()
    error = ""
    try:
        async with user.session.get(base + path) as response:
            body = await response.read()
            status = response.status
            final_path = response.url.path
            content_type = response.headers.get("Content-Type", "")
    except TimeoutError:
        return Sample(kind, (time.perf_counter() - start) * 1000, f"timeout after {TIMEOUT_SECONDS:.0f} s")
    except aiohttp.ClientError as exc:
        return Sample(kind, (time.perf_counter() - start) * 1000, f"connection error ({type(exc).__name__})")
    ms = (time.perf_counter() - start) * 1000
    text = body.decode("utf-8", "replace") if content_type.startswith("text/html") else ""
    if final_path.startswith("/accounts/login/"):
        error = "redirected to the login page (session lost)"
    elif status >= 400 and not (status == 404 and kind in READS_ONE):
        error = f"status {status}"
    elif kind == "pdf" and status == 200 and not body.startswith(b"%PDF"):
        error = f"not a PDF ({content_type})"
    if not error:
        if text:
            user.remember(text)
        expect(kind, status, body, text, expected)
    return Sample(kind, ms, error)


async def user_loop(
    user: VirtualUser, opts: argparse.Namespace, window: tuple[float, float], samples: list[Sample], expected: Expected
) -> None:
    kinds = [k for k in WEIGHTS if k not in user.barred]
    weights = [WEIGHTS[k] for k in kinds]
    counted_from, end = window
    base, think = opts.url.rstrip("/"), opts.think
    if think > 0:  # spread the first requests instead of sending them all at once
        await asyncio.sleep(user.rng.uniform(0, think))
    while time.perf_counter() < end:
        kind, path = choose(user, kinds, weights, opts.pdf_every)
        started = time.perf_counter()
        sample = await fetch(user, base, kind, path, expected)
        if sample.error == "status 404" and kind in PAGES and kind not in user.barred:
            user.barred.add(kind)  # not a page of this user's roles: no longer asked for, not an error
            kinds = [k for k in kinds if k not in user.barred]
            weights = [WEIGHTS[k] for k in kinds]
            continue
        if counted_from <= started < end:
            samples.append(sample)
        if think > 0:
            pause = think * user.rng.uniform(0.5, 1.5)
            await asyncio.sleep(max(0.0, min(pause, end - time.perf_counter())))


def new_user(number: int, login: str, seed: int) -> VirtualUser:
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=1),  # one keep-alive connection, like a browser tab
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # the server is an IP address, 127.0.0.1
        timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
    )
    return VirtualUser(number, login, session, random.Random(seed * 1000 + number))


async def log_in_all(users: list[VirtualUser], base: str, password: str) -> None:
    gate = asyncio.Semaphore(4)  # password hashing is costly on purpose: a few at a time

    async def one(user: VirtualUser) -> None:
        async with gate:
            await log_in(user, base, password)

    await asyncio.gather(*(one(user) for user in users))


def report_level(count: int, samples: list[Sample], seconds: float, cpu: float) -> None:
    timings = sorted(s.ms for s in samples)
    errors = Counter(f"{s.kind}: {s.error}" for s in samples if s.error)
    print(
        f"{count:>5} {len(samples):>8} {len(samples) / seconds:>8.1f} {percentile(timings, 0.50):>8.1f} "
        f"{percentile(timings, 0.95):>8.1f} {percentile(timings, 0.99):>8.1f} {(timings[-1] if timings else 0):>8.1f} "
        f"{sum(errors.values()):>7} {cpu:>8.1f}",
        flush=True,
    )
    by_kind: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample.ms)
    parts = [f"{kind} {percentile(sorted(ms), 0.95):.0f}/{len(ms)}" for kind, ms in sorted(by_kind.items())]
    print(f"      p95 ms/count by kind: {', '.join(parts)}")
    if errors:
        named = "; ".join(f"{n} x {kind}" for kind, n in errors.most_common(5))
        more = f" (and {len(errors) - 5} other kinds)" if len(errors) > 5 else ""
        print(f"      errors: {named}{more}")


async def run(opts: argparse.Namespace, levels: list[int], accounts: list[str], expected: Expected) -> None:
    base = opts.url.rstrip("/")
    users: list[VirtualUser] = []
    try:
        for count in levels:
            while len(users) < count:
                users.append(new_user(len(users), accounts[len(users) % len(accounts)], opts.seed))
            await log_in_all([u for u in users[:count] if not u.logged_in], base, opts.password)
            samples: list[Sample] = []
            cpu_start, start = time.process_time(), time.perf_counter()
            window = (start + opts.warmup, start + opts.warmup + opts.duration)
            await asyncio.gather(*(user_loop(u, opts, window, samples, expected) for u in users[:count]))
            cpu = (time.process_time() - cpu_start) / (time.perf_counter() - start) * 100
            report_level(count, samples, opts.duration, cpu)
    finally:
        await asyncio.gather(*(user.session.close() for user in users))


def read_counts() -> dict[tuple[str, str], int]:
    """Rows of the read events in the audit log and, when the model exists, in the read records."""
    from django.apps import apps
    from django.db.models import Count

    counted: dict[tuple[str, str], int] = {}
    for name in ("AuditEntry", "ReadRecord"):
        try:
            model = apps.get_model("audit", name)
        except LookupError:
            continue
        rows = model.objects.filter(event__in=READ_EVENTS).values("event").annotate(n=Count("pk"))
        per_event = {row["event"]: row["n"] for row in rows}
        for event in READ_EVENTS:
            counted[(name, event)] = per_event.get(event, 0)
    return counted


def setup_django() -> None:
    import django
    from django.conf import settings
    from django.db import connection

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    django.setup()
    print(f"audit check on {connection.vendor} database {settings.DATABASES['default']['NAME']}")


def audit_report(before: dict[tuple[str, str], int], after: dict[tuple[str, str], int], expected: Expected) -> None:
    from liaison.audit.verify import verify_chain

    tables = sorted({name for name, _ in after})
    print(f"read records: expected by the run against the rows added ({' + '.join(tables)})")
    for event in READ_EVENTS:
        added = {name: after[(name, event)] - before.get((name, event), 0) for name in tables}
        total = sum(added.values())
        want = expected.counts[event]
        verdict = "ok" if total == want else f"DIFFERS by {total - want:+d}"
        detail = ", ".join(f"{name} {n:+d}" for name, n in added.items())
        print(f"  {event:<18} expected {want:>7}   added {total:>7} ({detail})   {verdict}")
    started = time.perf_counter()
    chain = verify_chain()
    took = time.perf_counter() - started
    state = "intact" if chain.ok else f"BROKEN: {chain.problem}"
    print(f"audit chain: {state}, {chain.checked} entries checked in {took:.1f} s")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load a running Liaison with virtual users; prints, asserts nothing.")
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", default="1,20,50", help="comma-separated numbers of concurrent users")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured per number of users")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before each measure, not counted")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between requests of a user, seconds")
    parser.add_argument("--no-think", dest="think", action="store_const", const=0.0, help="no pause: saturation")
    parser.add_argument("--password", default="liaison-demo")
    parser.add_argument("--accounts", default=DEFAULT_ACCOUNTS, help="comma-separated logins the users cycle over")
    parser.add_argument("--pdf-every", type=int, default=50, help="a report PDF every N requests per user; 0: none")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--audit-check", action="store_true", help="compare the read records; see the docstring")
    return parser.parse_args(argv)


def main() -> None:
    opts = parse_args()
    levels = [int(n) for n in opts.users.split(",") if n.strip()]
    accounts = [a.strip() for a in opts.accounts.split(",") if a.strip()]
    if not levels or min(levels) < 1 or not accounts:
        sys.exit("--users needs numbers of 1 or more, --accounts at least one login")
    total = sum(WEIGHTS.values())
    print(
        f"Liaison at {opts.url}: {', '.join(map(str, levels))} users, {opts.duration:g} s each after {opts.warmup:g} s"
    )
    think = f"{opts.think:g} s (0.5 to 1.5 times, at random)" if opts.think > 0 else "none (saturation)"
    print(f"think time: {think}; accounts cycled: {len(accounts)}; seed {opts.seed}")
    print("mix: " + ", ".join(f"{kind} {100 * w / total:.0f}%" for kind, w in WEIGHTS.items()), end="")
    print(f"; plus a report PDF every {opts.pdf_every} requests per user" if opts.pdf_every else "; no PDF")
    before: dict[tuple[str, str], int] = {}
    if opts.audit_check:
        setup_django()
        before = read_counts()
    expected = Expected()
    print(
        f"{'users':>5} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'errors':>7} {'client%':>8}"
    )
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    try:
        asyncio.run(run(opts, levels, accounts, expected))
    except LoginFailed as exc:
        sys.exit(str(exc))
    except aiohttp.ClientError as exc:
        sys.exit(f"cannot reach {opts.url}: {exc}")
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"client: {cpu:.1f} s CPU over {wall:.1f} s ({100 * cpu / wall:.1f}% of one core; client% above is per level),"
        f" peak memory {peak:.0f} MB"
    )
    if opts.audit_check:
        audit_report(before, read_counts(), expected)


if __name__ == "__main__":
    main()
