"""The `sheetplan` command: options in, one api call, lines out. Exit codes are decided here.

Only this module imports Click or prints. Heavy libraries are imported inside the commands, so
`sheetplan --help` starts at once.
"""

from __future__ import annotations

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

    _run(ctx, lambda: new_plan(plan, lang=lang, sample=sample, force=force), plan)
    click.echo(labels.text("cli.written", lang, file=plan))


@main.command()
@click.argument("plan", type=PLAN)
@click.option(
    "--as-of", "as_of", type=DATE, help="Date to check against (default: Settings, then today)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.pass_context
def check(ctx: click.Context, plan: Path, as_of: date | None, as_json: bool) -> None:
    """Validate PLAN and print every data problem, one per line.

    Exits 0 when there are no errors (warnings alone are fine) and 1 when there are."""
    from .api import load_plan

    loaded = _run(ctx, lambda: load_plan(plan, as_of=as_of), plan)
    problems = loaded.problems
    if as_json:
        import json

        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(format_problem(plan.name, problem, loaded.language))
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
