"""The `sheetplan` command: options in, one api call, lines out. Exit codes are decided here.

Only this module imports Click or prints. Heavy libraries are imported inside the commands, so
`sheetplan --help` starts at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from . import __version__, labels
from .errors import ExitStatus, Severity, SheetplanError
from .locale import system_language

PLAN = click.Path(path_type=Path, dir_okay=True, file_okay=True)


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"{value!r} is not a date — use YYYY-MM-DD, e.g. 2026-03-15", param, ctx)


DATE = _Date()

SHOWN_PER_KIND = 10
"""Lines `check` prints for one kind of problem on one sheet before it counts the rest."""


@click.group(
    name="sheetplan",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="sheetplan")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Plan a social-media quarter in Excel; get priorities, budget split, KPI progress and a
    dashboard back in the same workbook.

    \b
    Start with:   sheetplan new plan.xlsx --sample
    Check it:     sheetplan check plan.xlsx
    """
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("plan", type=PLAN)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the sheets, headers and guide.",
)
@click.option("--sample", is_flag=True, help="Fill the plan with a worked example.")
@click.option("--force", is_flag=True, help="Overwrite PLAN if it exists.")
@click.pass_context
def new(ctx: click.Context, plan: Path, lang: str, sample: bool, force: bool) -> None:
    """Write a blank plan workbook (or a filled sample) to PLAN."""
    from .api import new_plan

    backup = _run(ctx, lambda: new_plan(plan, lang=lang, sample=sample, force=force), plan)
    line = labels.text("cli.written", lang, file=plan)
    if backup is not None:
        line += labels.text("cli.backup", lang, backup=_shown(backup))
    click.echo(line)


@main.command()
@click.argument("plan", type=PLAN)
@click.option(
    "--as-of", "as_of", type=DATE, help="Date to check against (default: Settings, then today)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help=f"Print every line; by default {SHOWN_PER_KIND} of each kind and a count of the rest.",
)
@click.pass_context
def check(
    ctx: click.Context, plan: Path, as_of: date | None, as_json: bool, show_all: bool
) -> None:
    """Validate PLAN and print its data problems, one per line (the first few of each kind
    and how many more, unless --all).

    Exits 0 when there are no errors (warnings alone are fine) and 1 when there are."""
    from .api import summarize

    loaded, _ = _run(ctx, lambda: summarize(plan, as_of=as_of), plan)
    problems = loaded.problems
    if as_json:
        import json

        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for line in problem_lines(plan.name, problems, loaded.language, show_all=show_all):
            click.echo(line)
        counts = {s: sum(1 for p in problems if p.severity is s) for s in Severity}
        click.echo(
            labels.text(
                "cli.check_summary",
                loaded.language,
                file=plan.name,
                errors=counts[Severity.ERROR],
                warnings=counts[Severity.WARNING],
                notes=counts[Severity.INFO],
            ),
            err=True,
        )
    ctx.exit(ExitStatus.PROBLEMS if loaded.has_errors else ExitStatus.OK)


def problem_lines(file: str, problems: Any, lang: Any, *, show_all: bool = False) -> list[str]:
    """One line per problem, except that a kind (same code, severity and sheet) seen more than
    SHOWN_PER_KIND times is cut there with "…and N more rows like this"."""
    from .errors import MoreLikeThis, cut_per_kind

    lines: list[str] = []
    for item in cut_per_kind(problems, None if show_all else SHOWN_PER_KIND):
        if not isinstance(item, MoreLikeThis):
            lines.append(format_problem(file, item, lang))
            continue
        where = " › ".join(part for part in (file, item.last.sheet) if part)
        line = labels.text("cli.more_like_this", lang, where=where, count=f"{item.count:,}")
        if item.last.severity is not Severity.ERROR:
            line = labels.text(f"cli.prefix_{item.last.severity.value}", lang) + line
        lines.append(line)
    return lines


@main.command()
@click.argument("plans", metavar="PLAN.xlsx [MORE.xlsx ...]", nargs=-1, required=True, type=PLAN)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write here instead of in place (a folder when refreshing several plans).",
)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="Date to compute status for (default: Settings, then today).",
)
@click.option("--no-backup", is_flag=True, help="Do not keep a copy of the previous file.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Plans refreshed at once, one process each.",
)
@click.pass_context
def refresh(
    ctx: click.Context,
    plans: tuple[Path, ...],
    output: Path | None,
    as_of: date | None,
    no_backup: bool,
    jobs: int,
) -> None:
    """Refresh PLAN.xlsx in place: computed columns, Dashboard, Allocation, Breakdown, Trend
    and Data Checks, with a backup of the previous file.

    Problems in single rows never stop a refresh: they are listed on the Data Checks sheet."""
    plans = _without_lock_files(plans)
    _check_output(ctx, output, len(plans))
    targets = [_output_for(plan, output, len(plans)) for plan in plans]
    tasks = [
        (plan, target, as_of, not no_backup) for plan, target in zip(plans, targets, strict=True)
    ]
    debug = bool(ctx.obj and ctx.obj.get("debug"))
    worst = ExitStatus.OK
    try:
        with _progress(len(tasks)) as advance:
            for code, line in _refresh_all(tasks, jobs, debug):
                advance()
                click.echo(line, err=code != ExitStatus.OK)
                worst = max(worst, code)
    except KeyboardInterrupt:  # the plan being saved is untouched (safesave)
        click.echo(labels.text("cli.interrupted", system_language()), err=True)
        ctx.exit(130)
    ctx.exit(worst)


def _without_lock_files(plans: tuple[Path, ...]) -> tuple[Path, ...]:
    """Drop the lock files a glob like `*.xlsx` brings along (each with a note on stderr); a
    lock file given alone is left for the reader to explain."""
    if len(plans) < 2:
        return plans
    from .safesave import lock_owner

    kept = []
    for plan in plans:
        app = lock_owner(plan)
        if app is None:
            kept.append(plan)
        else:
            click.echo(
                labels.text("safety.skipped_lock", system_language(), file=plan.name, app=app),
                err=True,
            )
    return tuple(kept) or plans


def _check_output(ctx: click.Context, output: Path | None, count: int) -> None:
    """A usage error (exit 2) before any work: -o for several plans must be a folder, and a
    file named by -o must have a workbook extension."""
    from .api import REFRESH_SUFFIXES, require_suffix
    from .errors import UsageError

    if output is None or output.is_dir():
        return
    lang = system_language()

    def usable() -> None:
        if count > 1:
            raise UsageError(labels.text("file.output_not_folder", lang, file=output.name))
        require_suffix(output, REFRESH_SUFFIXES, lang)

    _run(ctx, usable, output)


def _output_for(plan: Path, output: Path | None, count: int) -> Path | None:
    if output is None:
        return None
    if count > 1 or output.is_dir():
        return output / plan.name
    return output


PLAN_SECONDS = 0.4
SECONDS_PER_MB = 1.0
PARALLEL_FROM_SECONDS = 1.5
"""--jobs pays only past this much work: a worker process costs a few tenths of a second to
start and import, so two small plans (about 0.4 s each) go faster one after the other, while
20 small plans or a few 100,000-row plans (about 3 MB, 3 s each) run faster in parallel.
Measured with benchmarks/run.py --jobs-bench; a plan's work is estimated from its size."""


def workers_for(tasks: list[tuple], jobs: int) -> int:
    """How many processes to refresh `tasks` with: 1 unless parallel work pays (the plans
    besides the longest take PARALLEL_FROM_SECONDS or more, and there is a second core)."""
    if jobs <= 1 or len(tasks) <= 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    seconds = []
    for task in tasks:
        try:
            size = Path(task[0]).stat().st_size
        except OSError:
            size = 0
        seconds.append(PLAN_SECONDS + SECONDS_PER_MB * size / 1_000_000)
    if sum(seconds) - max(seconds) < PARALLEL_FROM_SECONDS:  # what a second core can take
        return 1
    return max(1, min(jobs, len(tasks), cores))


def _refresh_all(tasks: list[tuple], jobs: int, debug: bool):
    """(exit code, line) per plan, in the order they finish."""
    workers = workers_for(tasks, jobs)
    if workers == 1:
        for task in tasks:
            yield _refresh_one(*task, debug)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_refresh_one, *task, debug) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def _refresh_one(
    plan: Path, target: Path | None, as_of: date | None, backup: bool, debug: bool
) -> tuple[int, str]:
    """One plan: (exit code, the line to print). Runs in a worker process with --jobs."""
    from .api import refresh as refresh_plan

    try:
        report = refresh_plan(plan, output=target, as_of=as_of, backup=backup)
    except SheetplanError as error:
        if debug:
            import traceback

            traceback.print_exc()
        return error.exit_code, f"sheetplan: {error}"
    except Exception as error:  # a bug: one line unless --debug
        if debug:
            import traceback

            traceback.print_exc()
        message = labels.text(
            "file.internal", system_language(), file=plan.name, reason=repr(error)
        )
        return ExitStatus.INTERNAL, f"sheetplan: {message}"
    line = labels.text(
        "cli.refreshed",
        report.language,
        file=report.written.name,
        as_of=report.as_of.isoformat(),
        source=labels.text(f"asof.{report.as_of_source}", report.language),
        errors=report.errors,
        warnings=report.warnings,
    )
    for notice in report.notices:
        line += labels.text("cli.notice", report.language, message=notice)
    if report.backup is not None:
        line += labels.text("cli.backup", report.language, backup=_shown(report.backup))
    if report.written.resolve() != plan.resolve() and target is None:
        line += labels.text("cli.written_instead", report.language, file=report.written)
        if report.lost:
            lost = labels.text("cli.list_separator", report.language).join(report.lost)
            line += labels.text("cli.lost", report.language, lost=lost)
    return ExitStatus.OK, line


def _shown(path: Path) -> Path:
    """A path as the user would type it: relative when it is under the current folder."""
    try:
        return path.relative_to(Path.cwd())
    except (ValueError, OSError):
        return path


class _progress:
    """One progress bar over all plans, on a terminal only: nothing extra when piped."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if self.total > 1 and sys.stderr.isatty():
            self.bar = click.progressbar(length=self.total, file=sys.stderr, label="sheetplan")
            self.bar.__enter__()
        return self.advance

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


@main.command()
@click.argument("plan", type=PLAN)
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="Date to compute status for (default: Settings, then today).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the headline as JSON for scripts.")
@click.pass_context
def summary(ctx: click.Context, plan: Path, as_of: date | None, as_json: bool) -> None:
    """Print the headline of PLAN: counts by status, budget, top priorities, overdue tactics,
    stale KPIs and over-allocated owners.

    Problems in single rows do not stop it; like `check`, it exits 1 (after printing) when the
    data has errors, so a script notices. Colours are off when piped or with NO_COLOR set."""
    import os

    from . import report
    from .api import as_of_source, summarize

    loaded, results = _run(ctx, lambda: summarize(plan, as_of=as_of), plan)
    problems = loaded.problems  # what `check` lists
    source = as_of_source(loaded.plan, as_of)
    if as_json:
        import json

        data = report.to_dict(
            results.summary, loaded.language, problems, plan.name, as_of_source=source
        )
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        color = False if os.environ.get("NO_COLOR") else None

        def style(text: str, tone: Any) -> str:
            return click.style(text, **report.TONE_STYLES[tone])

        lines = report.terminal_lines(
            results.summary, loaded.language, problems, plan.name, style, as_of_source=source
        )
        for line in lines:
            click.echo(line, color=color)
    ctx.exit(ExitStatus.PROBLEMS if loaded.has_errors else ExitStatus.OK)


@main.command()
@click.argument("plan", type=PLAN)
@click.option("--to", "to", multiple=True, help="Recipients, comma-separated (default: Mail to).")
@click.option("--cc", "cc", multiple=True, help="Copy to these addresses, comma-separated.")
@click.option(
    "--as-of", "as_of", type=DATE, help="Date to report on (default: Settings, then today)."
)
@click.option("--smtp", "smtp", help="Mail server HOST:PORT (default: $SHEETPLAN_SMTP).")
@click.option(
    "--tls",
    type=click.Choice(["starttls", "ssl", "none"]),
    default="starttls",
    show_default=True,
    help="STARTTLS (587), implicit TLS (465), or none for a local relay.",
)
@click.option("--user", help="Login name (default: $SHEETPLAN_SMTP_USER).")
@click.option(
    "--save-eml",
    "save_eml",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write an unsent draft (.eml) to open in a mail program instead of sending.",
)
@click.option("--dry-run", is_flag=True, help="Print who would get what; send nothing.")
@click.option("--strict", is_flag=True, help="Refuse to send a plan that has data errors.")
@click.pass_context
def send(
    ctx: click.Context,
    plan: Path,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    as_of: date | None,
    smtp: str | None,
    tls: str,
    user: str | None,
    save_eml: Path | None,
    dry_run: bool,
    strict: bool,
) -> None:
    """E-mail PLAN to the team: a digest of the headline (HTML and plain text, with a chart)
    and the workbook attached. The password comes only from SHEETPLAN_SMTP_PASSWORD.

    Exits 3 when the server refuses, times out or rejects the login: nothing is sent."""
    import os

    from . import mail

    user = user or os.environ.get("SHEETPLAN_SMTP_USER") or None
    server_text = smtp or os.environ.get("SHEETPLAN_SMTP") or None
    sender = os.environ.get("SHEETPLAN_MAIL_FROM") or (user if user and "@" in user else None)
    composed = _run(
        ctx,
        lambda: mail.compose(
            plan,
            to=list(to),
            cc=list(cc),
            as_of=as_of,
            sender=sender,
            draft=save_eml is not None,
            strict=strict,
        ),
        plan,
    )
    lang = composed.language
    if save_eml is not None:
        _run(ctx, lambda: mail.save_draft(composed, save_eml), plan)
        click.echo(labels.text("mail.saved", lang, file=save_eml))
        return
    server = _run(
        ctx, lambda: mail.server(server_text, tls, user, lang, required=not dry_run), plan
    )
    if dry_run:
        click.echo(mail.dry_run_line(composed, server))
        return
    count = _run(ctx, lambda: mail.send(composed, server), plan)
    name = server.name if server else "?"
    click.echo(labels.text("mail.sent", lang, subject=composed.subject, count=count, server=name))


@main.command(name="import")
@click.argument("plan", type=PLAN)
@click.argument("exports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=DATE,
    help="The day the exports were taken (default: from the file name or its last day).",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what each file did as JSON.")
@click.option("--no-backup", is_flag=True, help="Do not keep the previous version.")
@click.pass_context
def import_(
    ctx: click.Context,
    plan: Path,
    exports: tuple[Path, ...],
    as_of: date | None,
    dry_run: bool,
    as_json: bool,
    no_backup: bool,
) -> None:
    """Add the numbers of platform analytics exports (X, Facebook, Instagram, LinkedIn,
    TikTok, YouTube, WeChat, Douyin, Xiaohongshu) to PLAN's Actuals log, as its Sources sheet
    maps export columns to KPIs. Importing a file again adds nothing.

    Exits 1 when an export could not be read or none of its columns is mapped (the others are
    still imported)."""
    from .api import import_exports
    from .imports import outcome

    report = _run(
        ctx,
        lambda: import_exports(
            plan, list(exports), as_of=as_of, dry_run=dry_run, backup=not no_backup
        ),
        plan,
    )
    if as_json:
        import json

        click.echo(json.dumps(outcome.to_dict(report), ensure_ascii=False, indent=2))
    else:
        for ok, line in outcome.file_lines(report):
            click.echo(line, err=not ok)
        line = outcome.plan_line(report, dry_run=dry_run)
        if report.backup is not None:
            line += labels.text("cli.backup", report.language, backup=_shown(report.backup))
        click.echo(line)
    ctx.exit(ExitStatus.OK if outcome.all_imported(report) else ExitStatus.PROBLEMS)


def format_problem(file: str, problem: Any, lang: Any) -> str:
    """`plan.xlsx › Tactics › row 7 › Due: "31/13/2026" is not a date — use 2026-12-31`."""
    parts = [file]
    if problem.sheet:
        parts.append(problem.sheet)
    if problem.row:
        parts.append(labels.text("cli.row", lang, row=problem.row))
    where = " › ".join(parts)
    if problem.column:
        where = f"{where} › {problem.column}"
    line = labels.text("cli.problem", lang, where=where, message=problem.message)
    if problem.severity is not Severity.ERROR:
        line = labels.text(f"cli.prefix_{problem.severity.value}", lang) + line
    return line


def _run(ctx: click.Context, action: Callable[[], Any], path: Path) -> Any:
    """Run one api call; turn a SheetplanError into one line on stderr and its exit code."""
    try:
        return action()
    except SheetplanError as error:
        if ctx.obj and ctx.obj.get("debug"):
            import traceback

            traceback.print_exc()
        click.echo(f"sheetplan: {error}", err=True)
        ctx.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo(labels.text("cli.interrupted", system_language()), err=True)
        ctx.exit(130)
    except Exception as error:  # a bug: one line unless --debug
        if ctx.obj and ctx.obj.get("debug"):
            import traceback

            traceback.print_exc()
        message = labels.text(
            "file.internal", system_language(), file=path.name, reason=repr(error)
        )
        click.echo(f"sheetplan: {message}", err=True)
        ctx.exit(ExitStatus.INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
