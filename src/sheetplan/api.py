"""The library's verbs, used by the CLI and by tests: read → validate → compute → write.

Nothing here prints or imports Click; failures are SheetplanError subclasses with a one-line
message in the user's language.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from . import labels
from .errors import DataProblem, FileError, InputError, Severity, UsageError
from .labels import Lang
from .locale import system_language
from .model import Plan


@dataclass(frozen=True)
class LoadedPlan:
    """A workbook read and validated: the plan, every problem found, and the language to speak."""

    path: Path
    plan: Plan
    problems: tuple[DataProblem, ...]
    language: Lang
    raw: object  # reader.RawWorkbook, kept for writing the workbook back

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def load_plan(
    path: Path | str,
    *,
    as_of: date | None = None,
    lang: Lang | None = None,
    extra_sheets: bool = False,
) -> LoadedPlan:
    """Read and validate a plan workbook.

    Args:
        path: the .xlsx file.
        as_of: the date status is computed for (checks such as "Actuals after the as-of date"
            use it); None means the Settings as-of date, then today.
        lang: the language for file-level errors before the workbook's own is known.
        extra_sheets: also read the user's own sheets (a refresh writes them back).

    Raises:
        InputError: the file is not a readable workbook, or a required sheet or column is missing.
    """
    from .reader import read_workbook
    from .validate import validate

    path = Path(path)
    with paused_gc():
        raw = read_workbook(path, lang or system_language(), extra_sheets=extra_sheets)
        plan, problems, language = validate(raw, as_of=as_of)
    return LoadedPlan(path, plan, tuple(problems), language, raw)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big log is read and checked.

    Reading builds hundreds of thousands of small objects and no reference cycles; without the
    pause Python re-scans the whole grid many times over, which doubled the time `check` took
    on a 100,000-row log (benchmarks/run.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def summarize(path: Path | str, *, as_of: date | None = None) -> tuple[LoadedPlan, object]:
    """Read, validate and compute a plan: (the loaded plan, compute.Results).

    The loaded plan's problems include what the engine finds (stale KPIs, over-allocated
    owners), so `check`, `summary` and the Data Checks of a refresh list the same problems."""
    from .compute import compute
    from .validate import in_reading_order

    loaded = load_plan(path, as_of=as_of)
    with paused_gc():
        results = compute(loaded.plan, resolve_as_of(loaded.plan, as_of), loaded.language)
    problems = in_reading_order([*loaded.problems, *results.problems], loaded.raw.sheet_names)
    return replace(loaded, problems=tuple(problems)), results


def resolve_as_of(plan: Plan, as_of: date | None) -> date:
    """--as-of wins, then the Settings as-of date, then today (the only place today is asked)."""
    return as_of or plan.settings.as_of or date.today()


def as_of_source(plan: Plan, as_of: date | None) -> str:
    """Where the as-of date came from: "option", "settings" or "today" (a label key suffix)."""
    if as_of is not None:
        return "option"
    return "settings" if plan.settings.as_of is not None else "today"


WORKBOOK_SUFFIXES = (".xlsx",)
"""What `new` writes (XlsxWriter writes no macros, so never .xlsm)."""
REFRESH_SUFFIXES = (".xlsx", ".xlsm")
"""What `refresh -o` may be called: a refresh of an .xlsm keeps its macros."""


def require_suffix(path: Path, accepted: tuple[str, ...], lang: Lang) -> None:
    """Refuse a file name that Excel would not open as a workbook (`plan.txt`)."""
    if path.suffix.lower() not in accepted:
        raise UsageError(
            labels.text(
                "file.bad_extension",
                lang,
                file=path.name,
                accepted=" / ".join(accepted),
                example=path.with_suffix(accepted[0]).name,
            )
        )


def new_plan(
    path: Path | str, *, lang: Lang = "en", sample: bool = False, force: bool = False
) -> Path | None:
    """Write a blank plan template (or the filled sample) to `path`.

    Returns:
        The backup of the file it overwrote (with `force`), or None.

    Raises:
        UsageError: `path` exists and `force` is not set, or it is not named .xlsx.
        FileError: it cannot be written.
    """
    from . import safesave
    from .writer.template import write_plan_template

    path = Path(path)
    require_suffix(path, WORKBOOK_SUFFIXES, lang)
    if path.exists() and not force:
        raise _exists(path, lang)
    target = safesave.prepare(path, lang, in_place=False)

    def write(temporary: Path) -> None:
        write_plan_template(temporary, lang=lang, sample=sample)

    return safesave.save(target, write, lang=lang).backup


def _exists(path: Path, lang: Lang) -> UsageError:
    return UsageError(labels.text("file.exists", lang, file=path.name))


@dataclass(frozen=True)
class RefreshReport:
    """What one refresh did, for the one summary line the CLI prints per file."""

    source: Path
    written: Path
    backup: Path | None
    as_of: date
    errors: int
    warnings: int
    language: Lang
    lost: tuple[str, ...] = ()
    """What the refresh could not carry over (then `written` is a new file beside `source`)."""
    as_of_source: str = "today"
    """Where `as_of` came from: "option", "settings" or "today"."""
    notices: tuple[str, ...] = ()
    """Problems the refresh line names itself (a missing column changes the numbers)."""


def refresh(
    path: Path | str,
    *,
    output: Path | str | None = None,
    as_of: date | None = None,
    backup: bool = True,
    refreshed_at: datetime | None = None,
) -> RefreshReport:
    """Read, validate, compute and write the refreshed workbook (in place unless `output`).

    The workbook is edited, not rebuilt: sheetplan's report sheets are replaced and its
    computed columns rewritten; every other part of the file goes into the result as it was
    (sheetplan.package). Row-level problems never stop a refresh: they are listed on Data
    Checks and the rest is computed. The file is replaced atomically; the previous version is
    kept as a backup.

    Raises:
        InputError: the file is not a readable workbook, or a required sheet or column is missing.
        FileError: the result cannot be written.
    """
    with paused_gc():  # the plan's objects are gone when it resumes: nothing left to scan
        return _refresh(Path(path), output, as_of, backup, refreshed_at)


def _refresh(
    source: Path,
    output: Path | str | None,
    as_of: date | None,
    backup: bool,
    refreshed_at: datetime | None,
) -> RefreshReport:
    """The refresh, with the cyclic garbage collector paused throughout: once a 100,000-row
    plan is in memory every collection re-scans all of it, for nothing (a refresh makes few
    reference cycles, freed when it resumes); together they took about 75 ms of 1.7 s."""
    from . import __version__, safesave, trend
    from .compute import compute
    from .package.editor import is_strict, own_reports
    from .validate import in_reading_order
    from .writer.context import RefreshContext

    in_place = output is None
    target = safesave.prepare(
        source if in_place else Path(output), system_language(), in_place=in_place
    )
    strict = is_strict(source)
    loaded = load_plan(source, as_of=as_of, extra_sheets=strict)
    day = resolve_as_of(loaded.plan, as_of)
    source_of_day = as_of_source(loaded.plan, as_of)
    results = compute(loaded.plan, day, loaded.language)
    lang = loaded.language
    ours = own_reports(source, dict(loaded.raw.output_sheets))
    snapshot = trend.snapshot(loaded.plan, results, lang)
    earlier = loaded.raw.trend if "trend" in ours else []
    history = trend.merge(trend.read_rows(earlier), snapshot)
    lost: tuple[str, ...] = ()
    if strict:
        lost = (labels.text("lost.strict", lang),)
    left_behind = [
        DataProblem(
            Severity.WARNING, "not_carried", labels.text("lost.data_check", lang, what=what)
        )
        for what in lost
    ]
    problems = in_reading_order(
        [*left_behind, *loaded.problems, *results.problems], loaded.raw.sheet_names
    )
    context = RefreshContext(
        loaded=loaded,
        results=results,
        lang=lang,
        as_of=day,
        refreshed_at=refreshed_at or datetime.now().replace(microsecond=0),
        version=__version__,
        trend=tuple(history),
        problems=tuple(problems),
        extra_grids=loaded.raw.extra_grids,
        own_reports=ours,
    )
    if strict:
        saved = _rebuild_strict(source, target, context, in_place, backup)
    else:
        saved = safesave.save(
            target,
            lambda temporary: _edit(source, temporary, context),
            lang=lang,
            backup=backup,
        )
    count = {s: sum(1 for p in problems if p.severity is s) for s in Severity}
    return RefreshReport(
        source,
        saved.path,
        saved.backup,
        day,
        count[Severity.ERROR],
        count[Severity.WARNING],
        lang,
        lost,
        source_of_day,
        tuple(p.message for p in problems if p.code in NAMED_ON_REFRESH_LINE),
    )


def _edit(source: Path, temporary: Path, context) -> object:
    """Render what sheetplan owns into a donor workbook in memory, put it into a copy of the
    user's package, and prove that nothing else changed."""
    import io

    from .package import verify
    from .package.editor import edit
    from .writer.owned import write_owned

    donor = io.BytesIO()
    owned, losses = write_owned(donor, context)
    with _proving(source, context.lang, "refresh.cannot_edit"):
        change = edit(source, owned, temporary)
        verify.unchanged_except(source, temporary, change)
    return losses


@contextmanager
def _proving(source: Path, lang: Lang, cannot: str, **values: object) -> Iterator[None]:
    """An edit of the package and its proof: a package sheetplan cannot edit is one line
    (exit 1, label `cannot`), a result that changed more than it owns is a bug (exit 4)."""
    from .package import verify
    from .package.editor import PackageProblem

    try:
        yield
    except PackageProblem as problem:
        error = FileError(labels.text(cannot, lang, file=source.name, reason=problem, **values))
        error.exit_code = 1
        raise error from problem
    except verify.NotKept as problem:
        error = FileError(labels.text("safety.not_kept", lang, file=source.name, reason=problem))
        error.exit_code = 4
        raise error from problem


def _rebuild_strict(source: Path, target: Path, context, in_place: bool, backup: bool):
    """A Strict OOXML workbook is rebuilt from its values into a new Transitional file beside
    it (the only case where a refresh does not edit the user's package)."""
    from . import safesave
    from .writer.workbook import write_refreshed

    lang = context.lang
    if in_place:
        target = safesave.prepare(diverted_path(target, lang), lang, in_place=False)
    return safesave.save(
        target, lambda temporary: write_refreshed(temporary, context), lang=lang, backup=backup
    )


NAMED_ON_REFRESH_LINE = ("missing_column", "unknown_header")
"""Problem codes the refresh line repeats: they change every number, not one row."""


def diverted_path(target: Path, lang: Lang) -> Path:
    """Where a refresh goes when writing over the original would lose some of its content:
    always .xlsx, since what sheetplan writes has no macros (Excel refuses an .xlsm without)."""
    name = labels.text("refresh.diverted_name", lang, stem=target.stem, suffix=".xlsx")
    return target.with_name(name)


@dataclass(frozen=True)
class ImportReport:
    """What `import` did: one entry per export, and what reached the workbook."""

    plan: Path
    language: Lang
    sheet: str
    """The Actuals sheet's name in the workbook."""
    files: tuple[object, ...]
    """imports.mapping.FileImport per readable export, or the ExportProblem it raised."""
    added: int
    updated: int
    written: bool
    backup: Path | None = None
    has_sources: bool = True
    """The plan has a Sources sheet (a plan made before there was one has not)."""


def import_exports(
    path: Path | str,
    exports: list[Path] | tuple[Path, ...],
    *,
    as_of: date | None = None,
    dry_run: bool = False,
    backup: bool = True,
) -> ImportReport:
    """Add the numbers of platform exports to the plan's Actuals log, mapped by its Sources
    sheet, in place: new rows appended below the log, changed values updated where they are,
    every other part of the workbook as it was (proved before the safe save replaces it).

    An export that cannot be read is reported and the others still go in.

    Raises:
        InputError: the plan is not a readable workbook, or has no Actuals sheet.
        FileError: the result cannot be written.
    """
    from . import safesave
    from .imports.exports import ExportProblem, read_export
    from .imports.mapping import Log, import_export

    source = Path(path)
    target = source if dry_run else safesave.prepare(source, system_language(), in_place=True)
    loaded = load_plan(source, as_of=as_of)
    lang = loaded.language
    actuals = loaded.raw.sheets.get("actuals")
    if actuals is None:
        sheet = labels.text("sheet.actuals", lang)
        raise InputError(labels.text("import.no_actuals", lang, file=source.name, sheet=sheet))
    files: list[object] = []
    with paused_gc():
        log = Log(loaded.plan.actuals)
        for export_path in exports:
            try:
                export = read_export(Path(export_path), lang=lang, as_of=as_of)
            except ExportProblem as problem:
                files.append(problem)
                continue
            files.append(import_export(export, loaded.plan.sources, loaded.plan.kpis, log, lang))
    added, updated = len(log.added), len(log.updates)
    report = ImportReport(
        source,
        lang,
        actuals.name,
        tuple(files),
        added,
        updated,
        False,
        has_sources="sources" in loaded.raw.sheets,
    )
    if dry_run or not (added or updated):
        return report
    change = _log_change(actuals, log)
    saved = safesave.save(
        target, lambda temporary: _append(source, temporary, change, lang), lang=lang, backup=backup
    )
    return replace(report, written=True, backup=saved.backup)


def _log_change(actuals, log):
    """The rows and values to write, placed under the last row the log uses."""
    from .package.append import LogChange, LogRow

    last = actuals.header_row
    for number in range(len(actuals.grid), actuals.header_row, -1):
        if any(cell != "" for cell in actuals.grid[number - 1]):
            last = number
            break
    last = max([last, *actuals.total_rows])
    return LogChange(
        sheet=actuals.name,
        header_row=actuals.header_row,
        columns=dict(actuals.columns),
        last_row=last,
        rows=tuple(
            LogRow(r.date, r.kpi_id, r.value, r.channel, r.source, r.notes) for r in log.added
        ),
        updates=tuple(sorted(log.updates.items())),
    )


def _append(source: Path, temporary: Path, change, lang: Lang) -> None:
    from .package import verify
    from .package.append import AppendRefused, append_log
    from .package.editor import PackageProblem

    with _proving(source, lang, "import.cannot_append", sheet=change.sheet):
        try:
            edit = append_log(source, temporary, change)
        except AppendRefused as refused:
            reason = labels.text(f"import.refused.{refused.code}", lang, row=refused.row)
            raise PackageProblem(reason) from refused
        verify.appended_only(source, temporary, edit)
