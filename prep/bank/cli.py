"""`flask bank ...`: check, sync, export, import and count the question bank."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from prep.bank import services
from prep.bank.blueprint_file import load_blueprint
from prep.bank.icd import icd_code_is_valid
from prep.bank.report import markdown_table, summary_lines
from prep.bank.validate import read_bank
from prep.core.blueprint import BlueprintError
from prep.extensions import db
from prep.models.base import utcnow

bank_cli = AppGroup("bank", help="Check, sync, import and export the question bank.")

# The format modules load only when an import or export runs; a test checks these names
# against the exporters and importers they provide.
EXPORT_FORMATS = ("json", "gift", "aiken", "moodle-xml", "csv")
IMPORT_FORMATS = ("gift", "aiken", "moodle-xml")


def _bank_path() -> Path:
    return Path(current_app.config["QUESTION_BANK_PATH"])


def _blueprint():
    try:
        return load_blueprint(_bank_path())
    except BlueprintError as exc:
        raise click.ClickException(str(exc)) from exc


def _read(path: Path):
    return read_bank(path, _blueprint(), icd_code_is_valid, root=Path.cwd())


@bank_cli.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def check(path: Path | None) -> None:
    """Validate the bank (or another folder or file); exit 0 only when there is no error."""
    result = _read(path or _bank_path() / "items")
    for problem in result.problems:
        click.echo(f"error: {problem}")
    for line in summary_lines(result.items, _blueprint()):
        click.echo(line)
    if result.problems:
        click.echo(f"{len(result.problems)} errors")
        sys.exit(1)
    click.echo("ok: no errors")


@bank_cli.command("sync")
def sync() -> None:
    """Upsert the bank into the database: version changes, retire removed items."""
    started = time.perf_counter()
    digest = services.files_digest(_bank_path())
    state = services.unchanged_since_last_sync(db.session, digest)
    if state is not None:
        click.echo(f"added 0, changed 0, retired 0, restored 0, unchanged {state.active_items} (files unchanged)")
        return
    result = _read(_bank_path() / "items")
    if result.problems:
        for problem in result.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"the bank has {len(result.problems)} errors; nothing was synced")
    report = services.sync_bank(db.session, result.items, utcnow(), digest=digest)
    db.session.commit()
    click.echo(report.summary() + f" in {time.perf_counter() - started:.2f}s")


README_START, README_END = "<!-- bank-stats:start -->", "<!-- bank-stats:end -->"


@bank_cli.command("stats")
@click.option("--markdown", is_flag=True, help="Print Markdown tables (for the README).")
@click.option(
    "--update-readme",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Replace the tables between the bank-stats markers of this README file.",
)
def stats(markdown: bool, update_readme: Path | None) -> None:
    """Count the bank files' items per domain and topic against the blueprint."""
    result = _read(_bank_path() / "items")
    if update_readme:
        text = update_readme.read_text(encoding="utf-8")
        if README_START not in text or README_END not in text:
            raise click.ClickException(f"{update_readme}: no {README_START} ... {README_END} block")
        head, rest = text.split(README_START, 1)
        tail = rest.split(README_END, 1)[1]
        table = markdown_table(result.items, _blueprint())
        update_readme.write_text(f"{head}{README_START}\n{table}\n{README_END}{tail}", encoding="utf-8")
        click.echo(f"updated {update_readme}")
    elif markdown:
        click.echo(markdown_table(result.items, _blueprint()))
    else:
        for line in summary_lines(result.items, _blueprint()):
            click.echo(line)


@bank_cli.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS))
@click.option(
    "-o", "output", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="File (default stdout)."
)
def export(fmt: str, output: Path | None) -> None:
    """Export the active bank from the database."""
    from prep.bank import importing

    text = importing.export_active_bank(db.session, fmt)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@bank_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(IMPORT_FORMATS))
@click.option("--domain", help="Domain slug for items that do not carry one.")
@click.option("--topic", "topics", multiple=True, help="Topic slug to add (repeatable).")
@click.option("--collection", help="Store as a named collection in the database.")
@click.option(
    "--to-dir", type=click.Path(file_okay=False, path_type=Path), help="Write bank files for authors instead."
)
def import_(
    file: Path, fmt: str, domain: str | None, topics: tuple[str, ...], collection: str | None, to_dir: Path | None
):
    """Import multiple-choice items from GIFT, Aiken or Moodle XML."""
    from prep.bank import importing

    if bool(collection) == bool(to_dir):
        raise click.UsageError("give exactly one of --collection NAME or --to-dir DIR")
    blueprint = _blueprint()
    try:
        parsed = importing.parse_file(file.read_bytes(), fmt)
        prepared = importing.prepare(parsed, blueprint, domain=domain, topics=topics, source_name=file.stem)
    except importing.ImportRefused as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    for warning in parsed.skipped:
        click.echo(f"warning: {file}:{warning.line}: {warning.name}: {warning.message}", err=True)
    if to_dir:
        written = importing.write_bank_file(prepared, to_dir, file.stem)
        click.echo(f"wrote {len(prepared)} items to {written}; skipped {len(parsed.skipped)}")
        return
    stored = importing.store_collection(db.session, collection, prepared, utcnow())
    db.session.commit()
    click.echo(
        f"imported {len(prepared)} items into collection {stored.id} '{stored.name}'; skipped {len(parsed.skipped)}"
    )
