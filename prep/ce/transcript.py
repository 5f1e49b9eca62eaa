"""The PDF transcript of one CE cycle (fpdf2, with an embedded Unicode font).

`render_transcript(transcript)` turns a plain `Transcript` into PDF bytes: who, which
credential and number, the cycle, every activity with its details, and the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

# fpdf2 (and fontTools under it) is imported when a PDF is made, not with the app: it would add
# a sixth of a second to every process start (gunicorn workers, every `flask` command).

FONT = Path(__file__).resolve().parent.parent / "data" / "fonts" / "DejaVuSans.ttf"
FAMILY = "DejaVu"


@dataclass(frozen=True)
class TranscriptLine:
    completed_on: date
    title: str
    provider: str
    accreditation: str
    category: str
    format: str
    contact_hours: Decimal
    counted: Decimal
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transcript:
    holder: str
    email: str
    credential: str
    body: str
    number: str
    cycle_start: date
    expires_on: date
    unit: str
    required: Decimal
    earned: Decimal
    generated_on: date
    renewed_on: date | None = None
    state: str | None = None
    lines: tuple[TranscriptLine, ...] = ()
    minimums: tuple[tuple[str, Decimal, Decimal], ...] = field(default_factory=tuple)


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"


def _pdf() -> FPDF:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONT))
    pdf.add_font(FAMILY, "B", str(FONT))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    return pdf


def _facts(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_font(FAMILY, size=10)
    with pdf.table(col_widths=(45, 135), first_row_as_headings=False, borders_layout="NONE") as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value)


def render_transcript(t: Transcript) -> bytes:
    """PDF bytes of the transcript."""
    pdf = _pdf()
    pdf.set_title(f"CE transcript: {t.credential} {t.number}")
    pdf.set_author("CMAA Prep")
    pdf.set_font(FAMILY, size=16)
    pdf.cell(text="Continuing-education transcript", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    cycle = f"{t.cycle_start.isoformat()} to {t.expires_on.isoformat()}"
    if t.renewed_on:
        cycle += f" (closed by the renewal of {t.renewed_on.isoformat()})"
    rows = [
        ("Name", t.holder),
        ("Email", t.email),
        ("Credential", t.credential),
        ("Certifying body", t.body),
        ("Certificate number", t.number),
        ("Cycle", cycle),
        ("Required", f"{_amount(t.required)} {t.unit}"),
        ("Counted", f"{_amount(t.earned)} {t.unit}"),
    ]
    rows += [
        (f"Minimum: {label}", f"{_amount(earned)} of {_amount(req)} {t.unit}") for label, req, earned in t.minimums
    ]
    if t.state:
        rows.append(("Status", t.state))
    rows.append(("Generated", t.generated_on.isoformat()))
    _facts(pdf, rows)
    pdf.ln(4)
    pdf.set_font(FAMILY, size=12)
    pdf.cell(text=f"Activities ({len(t.lines)})", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(FAMILY, size=8)
    if t.lines:
        from fpdf.fonts import FontFace

        headings = FontFace(emphasis="BOLD", fill_color=(230, 234, 238))
        with pdf.table(col_widths=(20, 70, 30, 20, 20, 20), headings_style=headings, line_height=4.5) as table:
            table.row(
                [
                    "Date",
                    "Title, provider, accreditation",
                    "Category, format",
                    "Contact hours",
                    f"Counted ({t.unit})",
                    "Files",
                ]
            )
            for line in t.lines:
                details = f"{line.title}\n{line.provider}"
                if line.accreditation:
                    details += f"\nAccreditation: {line.accreditation}"
                table.row(
                    [
                        line.completed_on.isoformat(),
                        details,
                        f"{line.category}\n{line.format or 'format not given'}",
                        _amount(line.contact_hours),
                        _amount(line.counted),
                        str(len(line.files)),
                    ]
                )
    else:
        pdf.cell(text="No activity counts in this cycle.", new_x="LMARGIN", new_y="NEXT")
    total_hours = sum((line.contact_hours for line in t.lines), Decimal(0))
    pdf.ln(3)
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(
        w=0,
        text=f"Totals: {_amount(total_hours)} contact hours; {_amount(t.earned)} of {_amount(t.required)} {t.unit} counted.",
    )
    pdf.ln(2)
    pdf.set_font(FAMILY, size=8)
    pdf.multi_cell(
        w=0,
        text="Prepared by the holder with CMAA Prep from their own records. Certificate files are in the "
        "certificates folder of this packet; manifest.sha256 lists the SHA-256 of every file.",
    )
    return bytes(pdf.output())
