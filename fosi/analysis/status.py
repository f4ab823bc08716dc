"""Who was asked and who answered: one row per force of a round robin (``fosi status``).

Pure functions over a dataset's manifest and figures and the request (fosi.model.request).
A reply's force is its sidecar's, else its text's (both already in the manifest), else its file
name's (``kent_foi-2018-0412.txt``), through the reference's alias table; else a request
reference the file name carries. Its status comes from its own words and figures, never from
the request it quotes (fosi.readers.layout.reply):

- ``answered``: the requested figure (count and base, requested group, period and unit) is there;
- ``partial``: some of it: a count without its base, another period, offence group or unit;
- ``refused``: the reply relies on refusal sections (``sections``) and gives no requested figure;
- ``not-held``; ``clarification`` (a question back, which stops the clock);
- ``unreadable``: fosi could not read the file (``errors`` says why);
- ``no-reply``, or ``overdue`` once the request's deadline (20 working days) has passed;
- ``not-asked``: a reply from a force the request did not name; ``unmatched``: a reply whose
  force cannot be told.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pandas as pd

from fosi.analysis.rates import ALL_OFFENCES, NOT_COMPUTED, OFFENCE, outcome_rates
from fosi.model.periods import column_period
from fosi.model.request import Request
from fosi.paths import reader_name, resolve
from fosi.reference import canonical_force, match_force, within

STATUS_COLUMNS = ["force", "status", "sections", "files", "period", "unit", "count", "base", "rate", "errors"]
STATUSES = ("answered", "partial", "refused", "not-held", "clarification", "unreadable", "no-reply", "overdue",
            "not-asked", "unmatched")
# A reply that gives more of what was asked is the one a force's row shows when two cannot supersede.
_RANK = {"answered": 0, "partial": 1, "refused": 2, "not-held": 3, "clarification": 4, "unreadable": 5}
UNMATCHED_HELP = "the force cannot be told from the file: add a sidecar NAME.yml beside it with force: NAME"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def force_from_file_name(name: str, request: Request | None = None) -> str | None:
    """The force a reply's file name names ("kent_foi-2018-0412.txt", "met_01-foi-26.txt"), or
    whose request reference it carries; None when it names none."""
    stem = os.path.splitext(os.path.basename(name))[0]
    first = re.split(r"[_\s]", stem, maxsplit=1)[0]
    for candidate in (first, first.replace("-", " ")):
        try:
            return match_force(candidate)
        except ValueError:
            pass
    found = canonical_force(re.sub(r"[-_]+", " ", stem))
    if found:
        return found
    squeezed = re.sub(r"[^a-z0-9]", "", stem.lower())
    for force, reference in (request.references if request else {}).items():
        key = re.sub(r"[^a-z0-9]", "", reference.lower())
        if len(key) >= 4 and key in squeezed:
            return force
    return None


def reply_force(row: pd.Series, request: Request | None = None) -> str | None:
    """A manifest row's force: the sidecar's or the text's, else the file name's."""
    stated = _text(row.get("force"))
    return stated or force_from_file_name(_text(row.get("file")), request)


def _period_text(start: object, end: object) -> str:
    return f"{start} to {end}" if isinstance(start, str) and isinstance(end, str) else ""


def requested_figure(figures: pd.DataFrame, source: str, request: Request,
                     findings: pd.DataFrame | None = None) -> dict:
    """The requested count and base of one reply, over its whole period: the offence figures of
    the requested offences, added up (a column per year is added across; else the first column).
    Keys: count and base (NA where not printed), period_start, period_end, doubt (why figures
    printed are withheld: a printed total that disagrees with its rows), groups (True when the
    reply gives figures for the requested offences at all)."""
    mine = figures[figures["source"] == source]
    start, end = mine["period_start"].dropna(), mine["period_end"].dropna()
    result = {"count": pd.NA, "base": pd.NA, "period_start": start.iloc[0] if len(start) else None,
              "period_end": end.iloc[0] if len(end) else None, "doubt": None,
              "groups": any(within(code, request.offences) for code in mine["offence_code"])}
    rates = outcome_rates(mine, request.outcome, offences=list(request.offences), findings=findings)
    if rates.empty:
        return result
    labels = list(rates["column_label"].dropna().unique())
    periods = {label: column_period(label) for label in labels}
    years = [label for label in labels if periods[label] is not None]
    # Offences across the top (a year per row): every column is one of the offences asked about.
    offence_columns = set(rates.loc[rates["scope"] == OFFENCE].groupby("column_label")["offence_code"].nunique()
                          .pipe(lambda codes: codes[codes == 1].index))
    by_offence = bool(labels) and all(label in offence_columns and label in set(rates["offence_code"].dropna())
                                      for label in labels)
    columns = years if years and len(years) == len(labels) else labels if by_offence else labels[:1]
    chosen = rates[rates["column_label"].isin(columns)] if columns else rates
    if years and columns == years:
        spans = [periods[label] for label in years]
        result["period_start"] = result["period_start"] or min(s for s, _ in spans).isoformat()
        result["period_end"] = result["period_end"] or max(e for _, e in spans).isoformat()
    offences = chosen[chosen["scope"] == OFFENCE]
    if result["period_start"] is None and len(offences) and offences["period_start"].notna().all() \
            and offences["period_end"].notna().all():
        # Years down the side date their own rows (fosi.analysis.rates): the reply covers them all.
        result["period_start"], result["period_end"] = offences["period_start"].min(), offences["period_end"].max()
    if len(offences):
        # Added up by fosi.analysis.combine.total: offences and year columns that count the same
        # things over days that do not overlap; anything else leaves the figure unknown.
        counts, bases = _totals(offences)
        result["count"] = pd.NA if counts.refused else counts.value
        result["base"] = pd.NA if bases.refused else bases.value
    overall = chosen.loc[chosen["scope"] == ALL_OFFENCES, "reason"].dropna()
    if pd.notna(result["count"]) and pd.notna(result["base"]) and len(overall):
        result["doubt"] = str(overall.iloc[0]).removeprefix(NOT_COMPUTED)
        result["count"] = result["base"] = pd.NA
    return result


def _totals(offences: pd.DataFrame):
    """The Outcome count and the base of a reply's offence rows, each summed through combine.total."""
    from dataclasses import replace

    from fosi.analysis import combine

    def text(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    parts = [combine.Part(row.source, None, text(row.unit), text(row.date_basis), text(row.period_start),
                          text(row.period_end),
                          # the offence as printed: rows of one table count disjoint crimes, whatever their code
                          frozenset([f"{text(row.offence_code) or 'no code'}: {row.row_label}"]),
                          row.outcome_code, force=text(row.force)) for row in offences.itertuples()]
    counts = combine.total([None if pd.isna(v) else int(v) for v in offences["count"]], parts)
    bases = combine.total([None if pd.isna(v) else int(v) for v in offences["base"]],
                          [replace(part, outcome=None) for part in parts])
    return counts, bases


def reply_row(row: pd.Series, figures: pd.DataFrame, request: Request, findings: pd.DataFrame | None = None) -> dict:
    """One reply's status, sections, period, unit, count, base, rate and errors."""
    source = _text(row.get("file"))
    sections = _text(row.get("sections"))
    result = {"status": "", "sections": sections, "period": "", "unit": "", "count": pd.NA, "base": pd.NA,
              "rate": pd.NA, "errors": ""}
    if _text(row.get("status")) == "failed":
        # The reason names the file first ("PATH: problem"): the row names it already, relative to the folder.
        return {**result, "status": "unreadable", "errors": _text(row.get("reason")).removeprefix(f"{source}: ")}
    statement = _text(row.get("statement"))
    if not (figures["source"] == source).any():
        status = ("clarification" if statement == "clarification" else "refused" if sections
                  else "not-held" if statement == "not held" else "partial")
        return {**result, "status": status, "errors": "no figures found in the reply" if status == "partial" else ""}
    found = requested_figure(figures, source, request, findings)
    unit = _text(row.get("unit"))
    period = _period_text(found["period_start"], found["period_end"])
    count, base = found["count"], found["base"]
    short = []  # what makes the reply part of what was asked
    if not found["groups"]:
        short.append(f"no figures for the offences asked about ({request.offence_label})")
    elif found["doubt"] is None and pd.isna(count):
        short.append(f"no Outcome {request.outcome} count for the offences asked about")
    elif found["doubt"] is None and pd.isna(base):
        short.append(f"the Outcome {request.outcome} count without its base (all {request.unit})")
    if request.period_start and period and (found["period_start"], found["period_end"]) != (
            request.period_start, request.period_end):
        short.append(f"another period ({period})")
    if request.stated and unit and unit != request.unit:
        short.append(f"counts {unit}, not {request.unit}")
    errors = short + ([f"figures withheld: {found['doubt']}"] if found["doubt"] else [])
    rate = round(count / base, 4) if pd.notna(count) and pd.notna(base) and base else pd.NA
    return {**result, "status": "partial" if short else "answered", "period": period, "unit": unit,
            "count": count, "base": base, "rate": rate, "errors": "; ".join(errors)}


def _disjoint(a: dict, b: dict) -> bool:
    spans = [tuple(r["period"].split(" to ")) for r in (a, b)]
    return all(len(s) == 2 for s in spans) and (spans[0][1] < spans[1][0] or spans[1][1] < spans[0][0])


def force_status(force: str, replies: list[tuple[pd.Series, dict]]) -> dict:
    """A force's one row from its replies (manifest row, reply row), oldest first: the later
    reply supersedes an earlier one unless the two cover different periods; every file is listed.
    ``kept`` names the reply the row shows."""
    kept = replies[-1][1]
    for _, earlier in reversed(replies[:-1]):
        if _disjoint(earlier, kept) and _RANK.get(earlier["status"], 9) < _RANK.get(kept["status"], 9):
            kept = earlier
    return {**kept, "force": force, "kept": kept["files"]}


def status_table(request: Request, manifest: pd.DataFrame, figures: pd.DataFrame, folder: Path | None,
                 as_of: dt.date, findings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per force asked (in the request's order), then forces not asked, then replies whose
    force cannot be told. Without a stated request, the forces are those that replied."""
    by_force: dict[str, list[tuple[pd.Series, dict]]] = {}
    unmatched = []
    ordered = manifest.assign(_date=manifest.get("date_received", pd.Series(dtype="string")).fillna(""))
    ordered = ordered.sort_values(["_date", "file"], kind="stable")
    for _, row in ordered.iterrows():
        reply = reply_row(row, figures, request, findings)
        reply["files"] = shown_name(_text(row["file"]), folder)
        force = reply_force(row, request)
        if force is None:
            errors = "; ".join(e for e in (UNMATCHED_HELP, reply["errors"]) if e)
            unmatched.append({**reply, "force": "", "status": "unmatched", "errors": errors})
            continue
        by_force.setdefault(force, []).append((row, reply))
    rows = []
    deadline = request.deadline()
    asked = request.forces if request.stated else tuple(sorted(by_force))
    for force in asked:
        replies = by_force.get(force)
        if not replies:
            late = deadline is not None and as_of > deadline
            rows.append({"force": force, "status": "overdue" if late else "no-reply", "files": "",
                         "errors": f"no reply; due by {deadline.isoformat()}" if late and deadline else ""})
            continue
        row = force_status(force, replies)
        row["files"] = ";".join(reply["files"] for _, reply in replies)
        rows.append(row)
    for force, replies in by_force.items():
        if force not in asked:
            row = force_status(force, replies)
            row["files"] = ";".join(reply["files"] for _, reply in replies)
            rows.append({**row, "status": "not-asked"})
    rows.extend(unmatched)
    table = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    # The reply each row shows (a later one supersedes): comparability judges that one alone.
    table.attrs["kept"] = {row["force"] or row["files"]: row.get("kept", row["files"]) for row in rows}
    for column in ("count", "base"):
        table[column] = table[column].astype("Int64")
    table["rate"] = table["rate"].astype("Float64")
    for column in ("force", "status", "sections", "files", "period", "unit", "errors"):
        table[column] = table[column].fillna("").astype(str)
    return table


def shown_name(source: str, folder: Path | None) -> str:
    """A file named relative to the responses' folder (never this machine's absolute path). A name
    that is neither absolute nor a file of the project is so named already (a report's dataset,
    fosi.build.load_dataset with for_readers)."""
    if folder is None or (not os.path.isabs(source) and not resolve(source).exists()):
        return source
    return reader_name(str(resolve(source)), str(resolve(folder)))


def status_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many forces have each status, in STATUSES order (only those present)."""
    counts = table["status"].value_counts()
    return {status: int(counts[status]) for status in STATUSES if status in counts}


# --- the release: each force's figure, comparable with the set or excluded with its reasons ---------

FORCE_COLUMNS = ["force", "status", "period", "date_basis", "unit", "count", "base", "rate", "ci_low", "ci_high",
                 "small_base", "comparable", "why_not", "source", "period_start", "period_end"]


def with_what_status_knows(manifest: pd.DataFrame, figures: pd.DataFrame, request: Request) -> pd.DataFrame:
    """The manifest with a force told by its file name (or request reference) and a period told by
    its year columns filled in where the reply's text and sidecar say neither, as fosi status reads
    them, so that comparability (fosi.analysis.comparison) judges each reply on the same facts."""
    filled = manifest.copy()
    for index, row in filled.iterrows():
        if not _text(row.get("force")):
            force = force_from_file_name(_text(row.get("file")), request)
            if force:
                filled.at[index, "force"] = force
        if not _text(row.get("period_start")) and _text(row.get("status")) == "ok":
            found = requested_figure(figures, _text(row.get("file")), request)
            if found["period_start"] and found["period_end"]:
                filled.at[index, "period_start"], filled.at[index, "period_end"] = (found["period_start"],
                                                                                    found["period_end"])
    return filled


def as_status_reads(dataset, request: Request):
    """The dataset (fosi.model.dataset.Dataset) with each reply's force and period as fosi status
    reads them (with_what_status_knows): what the comparison report judges, as the index does."""
    from dataclasses import replace

    manifest = with_what_status_knows(dataset.manifest, dataset.figures, request)
    told = dict(zip(manifest["file"], manifest["force"]))
    figures = dataset.figures.copy()
    # A force told by the file name is every figure's force of that reply (rates carry it to each row).
    unnamed = figures["force"].isna()
    figures.loc[unnamed, "force"] = figures.loc[unnamed, "source"].map(told)
    return replace(dataset, manifest=manifest, figures=figures)


def force_figures(table: pd.DataFrame, manifest: pd.DataFrame, figures: pd.DataFrame, request: Request,
                  folder: Path | None, confidence: float = 0.95) -> pd.DataFrame:
    """One row per force that gave figures: its requested count and base (fosi status) with the
    rate and its interval, its date basis, and whether it is comparable with the set or why not.
    Comparability is decided per reply (fosi.analysis.comparison.comparable_responses, against the
    request's period, offences, outcome and unit); a force not asked, a reply whose force is not
    known, and a reply that is not a full answer are left out too. Excluded forces never block
    the others."""
    from fosi.analysis.comparison import comparable_responses
    from fosi.analysis.rates import with_intervals

    kept = table.attrs.get("kept", {})
    superseded = {name for row in table.itertuples() for name in row.files.split(";")
                  if name and name != kept.get(row.force or row.files, name)}
    filled = with_what_status_knows(manifest, figures, request)
    filled = filled[~filled["file"].map(lambda f: shown_name(_text(f), folder)).isin(superseded)]
    judged = comparable_responses(filled, figures, request.outcome, period_start=request.period_start,
                                  period_end=request.period_end, offence_codes=request.offences,
                                  unit=request.unit if request.stated else None)
    verdicts = {shown_name(_text(row.file), folder): (bool(row.comparable), _text(row.reasons))
                for row in judged.itertuples()}
    bases = {shown_name(_text(row.file), folder): _text(row.date_basis) for row in filled.itertuples()}
    rows = []
    for _, row in table.iterrows():
        if not row["period"] and pd.isna(row["count"]):
            continue  # no figures at all: the tracker says why
        shown = kept.get(row["force"] or row["files"], row["files"])
        comparable, reasons = verdicts.get(shown, (False, "not read"))
        # The tracker's reason where the reply is not a full answer; else the comparability rule's.
        if row["status"] == "not-asked":
            why = "not one of the forces asked"
        elif row["status"] == "unmatched":
            why = "the force is not known (a sidecar can state it)"
        elif row["status"] not in ("answered", "partial"):
            why = row["errors"] or "part of what was asked"
        elif pd.isna(row["count"]) or pd.isna(row["base"]):
            why = row["errors"] or "no rate"
        else:
            why = "" if comparable else reasons
        start, _, end = row["period"].partition(" to ")
        rows.append({"force": row["force"] or "(force not known)", "status": row["status"], "period": row["period"],
                     "date_basis": bases.get(shown, ""), "unit": row["unit"], "count": row["count"],
                     "base": row["base"], "comparable": not why, "why_not": why,
                     "source": next((f for f in filled["file"] if shown_name(_text(f), folder) == shown), shown),
                     "period_start": start, "period_end": end})
    if not rows:
        return pd.DataFrame(columns=FORCE_COLUMNS)
    result = pd.DataFrame(rows)
    result["count"], result["base"] = result["count"].astype("Int64"), result["base"].astype("Int64")
    result = with_intervals(result, confidence)
    result["comparable"] = result["comparable"] & result["rate"].notna()
    return result[FORCE_COLUMNS]


def _basis_words(basis: str) -> str:
    return {"outcome": "crimes given an outcome in the period", "recorded": "crimes recorded in the period"}.get(
        basis, basis)


def release_result(figures: pd.DataFrame, confidence: float = 0.95) -> dict:
    """Across the comparable forces: the pooled count, base, rate and interval; the lowest and
    highest rates; and the forces outside the funnel's 99.8% limits (Spiegelhalter 2005), by side."""
    from fosi.analysis.forces import Comparison, dispersion, limits, pooled_rate
    from fosi.analysis.rates import proportion_interval

    chosen = figures[figures["comparable"]] if len(figures) else figures
    result: dict = {"forces": len(chosen), "count": None, "base": None, "rate": None, "ci_low": None,
                    "ci_high": None, "lowest": None, "highest": None, "above": [], "below": []}
    if chosen.empty:
        return result
    if pooled_rate(chosen) is None:  # fosi.analysis.combine refused to pool them: no figure across forces
        return result
    count, base = int(chosen["count"].sum()), int(chosen["base"].sum())  # the pooled rate's own terms
    low, high = proportion_interval(count, base, confidence)
    ordered = chosen.sort_values("rate", kind="stable")
    result.update(count=count, base=base, rate=count / base, ci_low=low, ci_high=high,
                  lowest=ordered.iloc[0].to_dict(), highest=ordered.iloc[-1].to_dict())
    if len(chosen) >= 2:
        table = chosen.reset_index(drop=True)
        comparison = Comparison(table=table, verdict=None, pooled=pooled_rate(table))
        comparison = Comparison(table=table, verdict=None, pooled=comparison.pooled,
                                dispersion=dispersion(comparison))
        for _, row in table.iterrows():
            lower, upper = limits(comparison, int(row["base"]), 0.998)
            if row["rate"] > upper:
                result["above"].append(row["force"])
            elif row["rate"] < lower:
                result["below"].append(row["force"])
    return result
