"""Seed-sized responses for benchmarks: the seed's layout with other numbers, forces and periods.

Deterministic (seeded), so two runs measure the same work. Benchmark input only: never
analysed, never written under data/.
"""

from __future__ import annotations

import random
from pathlib import Path

FORCES = ["Hertfordshire Constabulary", "Kent Police", "Essex Police", "Surrey Police", "Sussex Police",
          "Norfolk Constabulary", "Suffolk Constabulary", "Cleveland Police", "Northumbria Police"]
OFFENCES = ["Child - Having Indecent Photo Of", "Child-Distribute Indecent Photo",
            "Child-Make Indecent Photo/Pseudo Photo Of Child", "Child-Possess Indecent Photo For Distribution",
            "Child-Show Indecent Photo", "Child-Taking Indecent Photo", "Harassment-Disclose Private Sexual Photographs"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def response_text(rng: random.Random) -> str:
    start_year = rng.randint(2016, 2021)
    base = {name: rng.randint(1, 400) for name in OFFENCES}
    closed = {name: rng.randint(0, count) for name, count in base.items()}
    lines = ["", "", rng.choice(FORCES), "Reported Offences concerning Indecent Photos of Children",
             f"1st {rng.choice(MONTHS)} {start_year} - 31st January {start_year + 2}", "",
             "Please Note: The following Crime details relate to Reported Crimes where the Outcome assignment "
             "date was in the period stated.", "", "Total Crimes concerning Indecent Photos of Children", "",
             "Offence\tTotal"]
    lines += [f"{name}\t{count}" for name, count in base.items()]
    lines += [f"Total\t{sum(base.values())}", "", "Total Crimes concerning Indecent Photos of Children - Outcome 21",
              "", "Further Investigation not in the Public Interest - Police decision", "", "Offence\tTotal"]
    lines += [f"{name}\t{count}" for name, count in closed.items() if count]
    lines += [f"Total\t{sum(closed.values())}", "",
              "Unfortunately due to the way the Crime details are recorded it is not possible to identify which "
              "of these crimes relate to images of the young people themselves."]
    return "\n".join(lines) + "\n"


def responses(count: int, seed: int = 2016) -> list[str]:
    rng = random.Random(seed)
    return [response_text(rng) for _ in range(count)]


def write_responses(folder: Path, count: int, seed: int = 2016) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index, text in enumerate(responses(count, seed)):
        (folder / f"response_{index:04d}.txt").write_text(text, encoding="utf-8")
