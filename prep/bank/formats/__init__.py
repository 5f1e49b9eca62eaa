"""Import and export of question items in the formats LMSs use (pure: no Flask, no database).

Importers take the raw contents of a file as bytes; GIFT and Aiken are decoded as UTF-8 (a
byte-order mark is dropped), Moodle XML follows its XML declaration (UTF-8 by default). All
three also accept an already decoded str. Each returns an `ImportResult`: the items CMAA Prep
can hold (single answer, exactly four options, one fully correct) and one `ImportWarning` for
every other question, which is skipped. A malformed file raises `ImportFormatError` (with its
line) and nothing in it is imported. Imported text is plain text: HTML is sanitised with nh3
and reduced to text. Exporters return str.

How our exports carry what the LMS formats have no field for, so that GIFT and Moodle XML
round-trip every Item field (id, domain, topics, difficulty, stem, options, rationales, answer,
references, test_plan) plus the version. The review notes are never exported.

GIFT::

    $CATEGORY: $course$/top/cmaa/<domain>             (once per run of items in one domain)

    // cmaa-meta: {"id": ..., "version": ..., "domain": ..., "topics": [...], "difficulty": ...,
    //             "references": [...], "test_plan": ...}      (one line, right before the question)
    ::<id>::[plain]<stem>{
        =<key>#<its rationale>
        ~<distractor>#<its rationale>
        ####References\\:\\n<the references, joined by \\n>   (general feedback)
    }

  Texts are [plain] (no HTML); GIFT's special characters ~ = # { } : and \\ are escaped and line
  breaks written as \\n, as Moodle's exporter does. A wrong option starting with "%" is written
  "~%0%..." so that it cannot read as a weight; an answer or feedback starting with a format
  marker such as "[html]" gets an explicit "[plain]" in front. Moodle ignores comment lines.

Moodle XML: a category pseudo-question per domain ($course$/top/cmaa/<domain>), then per item
a <question type="multichoice"> with <name> and <idnumber> = id, plain_text question text,
answers (fraction 100 for the key, 0 otherwise) with the rationale as each answer's feedback,
<generalfeedback> with the references, <single>true</single>, <shuffleanswers>false</...>, and
<tags> cmaa-domain:<slug>, cmaa-topic:<slug> (one per topic), cmaa-difficulty:<n>,
cmaa-test-plan:<version>. The metadata JSON (as above) is an XML comment
`<!-- cmaa-meta: {...} -->` inside <question>; any "--" in it is written "-\\u002d". Moodle
drops comments but keeps tags and idnumber, so a file that went through Moodle still yields
id, domain, topics, difficulty and test_plan in `metadata`.

Where the GIFT reader departs from Moodle: text with no answer block {...} is refused as
malformed (Moodle would import it as a description), and a `$CATEGORY:` line directly followed
by a question, without a blank line, is read as a category line plus that question.

`ImportedItem.metadata` is the decoded JSON for our own files and {} for foreign ones;
`restore_item` rebuilds the bank Item from an import of our own export.
"""

from prep.bank.formats.aiken import export_aiken, parse_aiken
from prep.bank.formats.common import (
    ExportItem,
    ImportedItem,
    ImportFormatError,
    ImportResult,
    ImportWarning,
    restore_item,
)
from prep.bank.formats.gift import export_gift, parse_gift
from prep.bank.formats.moodle_xml import export_moodle_xml, parse_moodle_xml
from prep.bank.formats.tabular import export_csv, export_json

EXPORTERS = {
    "json": export_json,
    "gift": export_gift,
    "aiken": export_aiken,
    "moodle-xml": export_moodle_xml,
    "csv": export_csv,
}
IMPORTERS = {"gift": parse_gift, "aiken": parse_aiken, "moodle-xml": parse_moodle_xml}

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ExportItem",
    "ImportFormatError",
    "ImportResult",
    "ImportWarning",
    "ImportedItem",
    "export_aiken",
    "export_csv",
    "export_gift",
    "export_json",
    "export_moodle_xml",
    "parse_aiken",
    "parse_gift",
    "parse_moodle_xml",
    "restore_item",
]
