"""SYNTHETIC demonstration data for the force comparison: never real figures.

data/raw/ holds real responses only. When it has too few comparable responses to draw a
funnel plot, the comparison notebook can show the method on a dataset made here: a
documented, seeded generator of fictional forces ("Synthetic force A" ...), whose counts
come from binomial draws around rates chosen below. Every table, chart and sentence made
from it says "SYNTHETIC".
"""

from __future__ import annotations

import random

from fosi.model.dataset import (
    CORRECTION_COLUMNS,
    MANIFEST_COLUMNS,
    NOTE_COLUMNS,
    Dataset,
)
from fosi.model.figures import figures_frame, table_of
from fosi.model.findings import FINDING_COLUMNS

LABEL = "SYNTHETIC"
SEED = 2016
# Fictional forces: (crimes in the period, true rate of the outcome). Two are set well apart
# from the rest, so the funnel has something to show.
FORCES = [(420, 0.22), (180, 0.25), (950, 0.20), (60, 0.30), (300, 0.23), (720, 0.21), (140, 0.45),
          (510, 0.24), (85, 0.18), (260, 0.22), (640, 0.10), (33, 0.27)]


def synthetic_dataset(seed: int = SEED, start: str = "2019-04-01", end: str = "2020-03-31", outcome: str = "21"):
    """A Dataset of fictional forces with all-crimes and ``outcome`` figures for one offence group
    (the rates above are drawn whichever outcome is named: the figures are fictional either way)."""
    rng = random.Random(seed)
    records, manifest = [], []
    for index, (base, rate) in enumerate(FORCES):
        name = f"{LABEL} force {chr(ord('A') + index)}"
        source = f"synthetic/{name.lower().replace(' ', '_')}"
        closed = sum(rng.random() < rate for _ in range(base))
        common = {"source": source, "force": name, "period_start": start, "period_end": end,
                  "date_basis": "outcome", "unit": "crimes", "row_label": "Indecent images of children (synthetic)",
                  "column_label": "Crimes", "offence_code": "86/2", "kind": "figure", "marker": None}
        records.append({**common, "table": 1, "table_title": f"{LABEL}: all crimes", "outcome_code": None,
                        "count": base, "line": 1, "location": "1"})
        records.append({**common, "table": 2, "table_title": f"{LABEL}: Outcome {outcome}", "outcome_code": outcome,
                        "count": closed, "line": 2, "location": "2"})
        manifest.append({"file": source, "sha256": "", "reader": LABEL.lower(), "response": "table",
                         "force": name, "period_start": start, "period_end": end, "date_basis": "outcome",
                         "unit": "crimes", "age_filter": "all ages", "figures": 2, "totals": 0, "numbers_not_read": 0, "errors": 0,
                         "warnings": 0, "infos": 0, "corrections": 0, "status": "ok"})
    return Dataset(figures=figures_frame(records), findings=table_of([], FINDING_COLUMNS),
                   manifest=table_of(manifest, MANIFEST_COLUMNS), notes=table_of([], NOTE_COLUMNS),
                   corrections=table_of([], CORRECTION_COLUMNS))
