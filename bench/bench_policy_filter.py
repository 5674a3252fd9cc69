"""Time the read rule on a partner list: `visible_to` + first page, for users of different standing.

Run on the current database (load `liaison demo-data --size large` into an empty one first):
    LIAISON_DEMO=1 .venv/bin/python bench/bench_policy_filter.py [repetitions]
Prints p50/p95 in milliseconds per user; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    django.setup()
    from liaison.accounts.models import User
    from liaison.partners.models import Partner
    from liaison.partners.selectors import partner_list

    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(f"partners in database: {Partner.objects.count()}")
    for login in ("officer.europe", "officer.junior", "head.office", "analyst.ct"):
        user = User.objects.filter(username=login).first()
        if user is None:
            print(f"{login}: not found (load the demo data first)")
            continue
        timings = []
        for _ in range(repetitions):
            user = User.objects.get(pk=user.pk)  # a fresh request loads the user again
            start = time.perf_counter()
            visible = partner_list(user=user)
            count = visible.count()
            list(visible[:25])
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{login:<16} visible={count:<6} p50={statistics.median(timings):.1f} ms  p95={p95:.1f} ms")


if __name__ == "__main__":
    main()
