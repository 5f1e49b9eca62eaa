"""Import and export of question items in LMS formats (GIFT, Aiken, Moodle XML, JSON, CSV).

Pure unit tests: no app, no database. The fixture files in tests/data/formats/ are written the
way Moodle exports each format.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import random
import re
import time
from pathlib import Path

import pytest

from prep.bank.formats import (
    EXPORTERS,
    IMPORTERS,
    ExportItem,
    ImportedItem,
    ImportFormatError,
    ImportResult,
    ImportWarning,
    export_aiken,
    export_csv,
    export_gift,
    export_json,
    export_moodle_xml,
    parse_aiken,
    parse_gift,
    parse_moodle_xml,
    restore_item,
)
from prep.core.items import Item

DATA = Path(__file__).parent / "data" / "formats"


def make_item(**overrides) -> Item:
    fields = {
        "id": "bil-ins-014",
        "domain": "billing-revenue-cycle",
        "topics": ("billing-coding", "insurance"),
        "difficulty": 2,
        "stem": "The allowed amount is $110 and the copay $20. What is collected?",
        "options": ("$20", "$22", "$90", "$110"),
        "rationales": ("Correct. A copay.", "Wrong. Coinsurance.", "Wrong. The plan pays it.", "Wrong. Deductible."),
        "answer": 0,
        "references": ("HealthCare.gov Glossary (CMS), 'Copayment'",),
        "test_plan": "Rev01222022",
    }
    return Item(**{**fields, **overrides})


TRICKY = [
    make_item(
        stem=(
            "A plan's copay is $20 ~ about = 20% of {allowed}; #1 rule: collect it.\n"
            "// this second line is not a comment\n"
            "Path C:\\claims\\new, a literal \\n, -- a double hyphen, <b>not bold</b> &amp; two  spaces."
        ),
        options=("$20", "%10% off the $200", "[html]<i>x</i> = y", "a -> b \\"),
        rationales=(
            "Correct: see #3.\nSecond line of the rationale.",
            "Wrong ####not general feedback",
            "Wrong; {braces} and ~tilde~",
            "Wrong: T",
        ),
        answer=0,
        references=("45 CFR 164.508 -- Uses and disclosures", "CMS: 'Copayment' | glossary; 2024"),
    ),
    make_item(
        id="law-hip-003",
        domain="law-ethics-compliance",
        topics=("healthcare-law",),
        difficulty=3,
        stem="$CATEGORY: this is a stem, not a category line.\n\nA patient asks :: who may see her chart?",
        options=("T", "FALSE", "=", "The minimum necessary workforce \u201cmembers\u201d \u00e9\u00e8 \U0001f600"),
        rationales=("Wrong.", "Wrong.", "Wrong.", "Correct."),
        answer=3,
        references=("HHS.gov, 'Minimum Necessary Requirement'",),
        test_plan="Rev01222022",
    ),
    make_item(id="sch-wav-001", domain="scheduling", topics=("scheduling",), difficulty=1, answer=2),
]


def restored(result: ImportResult) -> list[Item]:
    items = [restore_item(i) for i in result.items]
    assert None not in items
    return items


# --- GIFT -----------------------------------------------------------------------------------


def test_gift_moodle_export_imports_single_answer_questions():
    result = parse_gift((DATA / "moodle_export.gift.txt").read_bytes())

    copay, brackets, fax, npo = result.items
    assert copay == ImportedItem(
        title="Copay at check-in",
        stem="A patient's plan has a $20 copayment for office visits.\n\n"
        "The allowed amount is $110. What does the front desk collect?",
        options=("$20", "$22", "$90", "$110"),
        answer=0,
        rationales=(
            "Correct. A flat copayment is what the patient owes.",
            "This is 20% of the allowed amount, which is coinsurance.",
            "This is what the plan pays.",
            "Only if an unmet deductible applied.",
        ),
        line=6,
        metadata={},
        general_feedback="See the HealthCare.gov glossary & your plan summary.",
    )
    assert brackets.title == "ICD-10-CM punctuation: brackets"
    assert brackets.stem == (
        "Which symbol encloses synonyms in the Tabular List: { }, [ ], or ( )? "
        "Note that 2 = two and ~ means about.\nChoose one."
    )
    assert brackets.options == ("Square brackets [ ]", "Braces { }", "Parentheses ( )", "A colon :")
    assert brackets.rationales[0] == "Right: brackets enclose synonyms."
    assert (brackets.line, brackets.answer) == (15, 0)
    # ~%100% is a correct answer; a comment line inside the answer block is ignored; [plain] keeps "<".
    assert (fax.answer, fax.line) == (0, 22)
    assert fax.options[3] == "The patient's <SSN>"
    # Missing-word format: the blank goes where the answer block was.
    assert npo.stem == "The abbreviation _____ means nothing by mouth."


def test_gift_moodle_export_skips_every_other_question_with_one_warning():
    result = parse_gift((DATA / "moodle_export.gift.txt").read_bytes())

    assert [(w.line, w.name, w.message) for w in result.skipped] == [
        (34, "Essay on HIPAA", "skipped: essay questions are not supported"),
        (37, "Privacy notice true/false", "skipped: true/false questions are not supported"),
        (40, "Short answer abbreviation", "skipped: short-answer questions are not supported"),
        (43, "Match the abbreviations", "skipped: matching questions are not supported"),
        (50, "Pi", "skipped: numerical questions are not supported"),
        (53, "Three options", "skipped: has 3 options; CMAA Prep items have exactly 4"),
        (56, "Pick two identifiers", "skipped: partial-credit answers (multiple response) are not supported"),
    ]


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ("{=a ~b ~c ~d}", 0, None),
        ("{~a ~b ~c =d}", 3, None),
        ("{~a ~%100%b ~c ~d}", 1, None),
        ("{~%100%a ~%-25%b ~%0%c ~d}", 0, None),
        ("{\n~a#no\n=b#yes\n~c\n~d\n}", 1, None),
        ("{=a =b ~c ~d}", None, "skipped: multiple-response questions are not supported (2 answers are fully correct)"),
        ("{~%100%a ~%100%b ~c ~d}", None, "skipped: multiple-response questions are not supported (2 answers"),
        ("{=a ~%50%b ~c ~d}", None, "skipped: partial-credit answers (multiple response) are not supported"),
        ("{=a ~b ~c ~d ~e}", None, "skipped: has 5 options; CMAA Prep items have exactly 4"),
        ("{=a ~b ~c ~ }", None, "skipped: has 3 options; CMAA Prep items have exactly 4"),
        ("{~a ~b ~c ~d}", None, "skipped: no option is marked fully correct"),
        ("{FALSE#wrong#right}", None, "skipped: true/false questions are not supported"),
        ("{####only general feedback}", None, "skipped: essay questions are not supported"),
        ("{#1822:5}", None, "skipped: numerical questions are not supported"),
    ],
)
def test_gift_answer_blocks(answers, key, message):
    result = parse_gift(f"// a comment\n::Q1::Pick one.{answers}\n")

    if message is None:
        assert result.skipped == []
        assert [(i.answer, i.line) for i in result.items] == [(key, 2)]
    else:
        assert result.items == []
        assert len(result.skipped) == 1
        assert result.skipped[0].line == 2
        assert result.skipped[0].name == "Q1"
        assert result.skipped[0].message.startswith(message)


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("[html]<p>One<br>two &amp; <b>three</b></p><p>four</p>", "One\ntwo & three\n\nfour"),
        ("[moodle]First line\\nsecond <i>line</i>", "First line\nsecond line"),
        ("[plain]Keep <b>this</b> &amp; that", "Keep <b>this</b> &amp; that"),
        ("[markdown]Some **bold** text", "Some **bold** text"),
        ("[unknown]Text", "[unknown]Text"),
        ("Default \\{format\\} is <b>moodle</b>", "Default {format} is moodle"),
    ],
)
def test_gift_text_formats(text, stem):
    result = parse_gift(f"{text}{{=a ~b ~c ~d}}")

    assert result.items[0].stem == stem


def test_gift_html_is_sanitised_before_it_becomes_text():
    gift = "::X::[html]<p onclick='steal()'>Hi<script>alert(1)</script><img src=x onerror=steal()></p>{=a ~b ~c ~d}"

    item = parse_gift(gift).items[0]

    assert item.stem == "Hi"


def test_gift_title_without_text_uses_start_of_question_in_warnings():
    long_stem = "Which of these abbreviations is on the Joint Commission do-not-use list for orders today?"

    result = parse_gift(f"{long_stem}{{=a ~b}}")

    assert result.skipped == [
        ImportWarning(1, long_stem[:60], "skipped: has 2 options; CMAA Prep items have exactly 4")
    ]


def test_gift_accepts_crlf_bom_and_str():
    text = "$CATEGORY: x\r\n\r\n// c\r\n::Q::Stem?{=a ~b ~c ~d}\r\n"

    from_bytes = parse_gift(b"\xef\xbb\xbf" + text.encode())
    from_str = parse_gift(text)

    assert from_bytes == from_str
    assert [(i.title, i.line, i.options) for i in from_str.items] == [("Q", 4, ("a", "b", "c", "d"))]


def test_gift_category_and_comment_only_blocks_are_not_questions():
    text = '// header\n// more header\n\n$CATEGORY: a/b\n\n$CATEGORY: c\n// cmaa-meta: {"id": "x"}\n'

    assert parse_gift(text) == ImportResult([], [])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::Q1::Stem {=a ~b ~c ~d\n\n::Q2::Ok{=a ~b ~c ~d}", 1, "'{' is never closed"),
        ("::Q1::Ok{=a ~b ~c ~d}\n\n// c\n::Q2::Stem\n{\n=a\n~b\n\n~c ~d}", 5, "'{' is never closed"),
        ("::Q1::Stem =a ~b}", 1, "'}' without an opening '{'"),
        ("::Q1::Stem {=a\n~b {x}\n~c ~d}", 2, "'{' inside an answer block"),
        ("::Q1::One{=a ~b ~c ~d}\n::Q2::Two{=a ~b ~c ~d}", 2, "a second answer block"),
        ('// cmaa-meta: {"id": \n::Q1::One{=a ~b ~c ~d}', 1, "not valid JSON"),
        ("\n\n// cmaa-meta: [1, 2]\n::Q1::One{=a ~b ~c ~d}", 3, "must hold a JSON object"),
    ],
)
def test_gift_malformed_input_raises_with_line(text, line, message):
    with pytest.raises(ImportFormatError) as caught:
        parse_gift(text)

    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"line {line}: ")


def test_gift_rejects_bytes_that_are_not_utf8():
    with pytest.raises(ImportFormatError) as caught:
        parse_gift(b"::Q::Ok{=a ~b ~c ~d}\n\n::R::Caf\xe9{=a ~b ~c ~d}")

    assert (caught.value.line, caught.value.message) == (3, "the file is not UTF-8 text")


# --- Aiken ----------------------------------------------------------------------------------


def test_aiken_moodle_style_file():
    result = parse_aiken((DATA / "moodle_export.aiken.txt").read_bytes())

    wave, release, diagnoses = result.items
    assert wave.stem == (
        "A patient calls to reschedule. Which scheduling\nmethod books several patients at the start of each hour?"
    )
    assert (wave.options, wave.answer, wave.line) == (("Wave", "Stream", "Open hours", "Double booking"), 0, 1)
    assert release.options[0] == "A signed authorization"
    assert (release.line, release.title, release.rationales) == (9, None, ("", "", "", ""))
    assert (diagnoses.answer, diagnoses.line) == (2, 23)
    assert result.skipped == [
        ImportWarning(
            16, "Which of these is a Medicare part?", "skipped: has 5 options; CMAA Prep items have exactly 4"
        )
    ]


@pytest.mark.parametrize("answer_line", ["ANSWER: C", "ANSWER:C", "ANSWER: c", "ANSWER: C."])
def test_aiken_answer_line_variants(answer_line):
    result = parse_aiken(f"Which?\nA. a\nB. b\nC. c\nD. d\n{answer_line}\n")

    assert result.items[0].answer == 2


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Stem?\nA. a\nC. c\nD. d\nANSWER: A", 3, "option C is out of order: expected B"),
        ("Stem?\nB) b\nC) c\nANSWER: B", 2, "option B is out of order: expected A"),
        ("Stem?\nA. a\nB. b\nC. c\nD. d\n\nNext question?\nA. a\nB. b\nANSWER: A", 6, "missing 'ANSWER: X' line"),
        ("Stem?\nA. a\nB. b\nC. c\nD. d\n", 6, "missing 'ANSWER: X' line after the options of the question at line 1"),
        ("Stem?\nA. a\nB. b\nC. c\nD. d\nANSWER: E", 6, "ANSWER 'E' is not one of the option letters ABCD"),
        ("Stem?\nA. a\nB. b\nANSWER: AB", 4, "is not one of the option letters AB"),
        ("A. a\nB. b\nANSWER: A", 1, "option line before any question text"),
        ("Stem?\nANSWER: A", 2, "'ANSWER:' line before any options"),
        ("Stem?\nA. a\nB.\nANSWER: A", 3, "option B has no text"),
        ("\n\nJust a sentence.\n", 3, "the question has no options"),
    ],
)
def test_aiken_malformed_input_raises_with_line(text, line, message):
    with pytest.raises(ImportFormatError) as caught:
        parse_aiken(text)

    assert caught.value.line == line
    assert message in caught.value.message


# --- Moodle XML -----------------------------------------------------------------------------


def test_moodle_xml_export_imports_the_single_answer_multichoice():
    result = parse_moodle_xml((DATA / "moodle_export.xml").read_bytes())

    (release,) = result.items
    assert release == ImportedItem(
        title="Release of records",
        stem="An attorney asks for a patient's records.\nWhat must the front desk obtain before releasing them?"
        "\n\nFees < $50 & copies are free.",
        options=(
            "The Notice of Privacy Practices",
            "A signed HIPAA authorization",
            "Verbal permission from the patient",
            "Nothing: attorneys\nmay always see records",
        ),
        answer=1,
        rationales=("The notice explains uses and disclosures;\nit does not authorise one.", "Correct.", "", "No."),
        line=32,
        metadata={},
        general_feedback="See 45 CFR 164.508.",
    )
    everything = " ".join([release.stem, *release.options, *release.rationales, release.general_feedback])
    for banned in ("alert", "stolen", "steal", "onclick", "onerror", "script", "<p", "<strong", "PLUGINFILE"):
        assert banned not in everything


def test_moodle_xml_export_skips_other_types_and_passes_over_category_and_description():
    result = parse_moodle_xml((DATA / "moodle_export.xml").read_bytes())

    assert [(w.line, w.name, w.message) for w in result.skipped] == [
        (92, "Minimum necessary essay", "skipped: essay questions are not supported"),
        (113, "Match the abbreviations", "skipped: matching questions are not supported"),
        (143, "NPP at first visit", "skipped: true/false questions are not supported"),
        (173, "NPO meaning", "skipped: short-answer questions are not supported"),
        (197, "Visit length", "skipped: numerical questions are not supported"),
        (
            225,
            "HIPAA identifiers (choose two)",
            "skipped: multiple-response questions (<single>false</single>) are not supported",
        ),
    ]


def _quiz(*questions: str) -> bytes:
    return ("<?xml version='1.0' encoding='UTF-8'?>\n<quiz>\n" + "\n".join(questions) + "\n</quiz>\n").encode()


def _multichoice(fractions: list[str], name: str = "Q", single: str = "true") -> str:
    answers = "".join(f'<answer fraction="{f}"><text>opt {i}</text></answer>' for i, f in enumerate(fractions))
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f"<questiontext format='html'><text>Pick.</text></questiontext><single>{single}</single>{answers}</question>"
    )


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            '<question type="multianswer"><name><text>Cloze</text></name>'
            "<questiontext><text>{1:MULTICHOICE:=a~b}</text></questiontext></question>",
            "skipped: cloze (embedded answers) questions are not supported",
        ),
        ('<question type="ddwtos"><name><text>Drag</text></name></question>', "skipped: drag-and-drop"),
        ('<question type="ordering"><name><text>Order</text></name></question>', "skipped: ordering questions"),
        (_multichoice(["100", "0", "0"]), "skipped: has 3 options; CMAA Prep items have exactly 4"),
        (_multichoice(["100", "100", "0", "0"]), "skipped: multiple-response questions are not supported (2"),
        (_multichoice(["100", "33.33333", "0", "0"]), "skipped: partial-credit answers"),
        (_multichoice(["100", "0", "0", "0"], single="0"), "skipped: multiple-response questions (<single>false"),
        (_multichoice(["0", "0", "0", "0"]), "skipped: no option is marked fully correct"),
    ],
)
def test_moodle_xml_unsupported_questions_are_skipped(question, message):
    result = parse_moodle_xml(_quiz(question))

    assert result.items == []
    assert len(result.skipped) == 1
    assert result.skipped[0].line == 3
    assert result.skipped[0].message.startswith(message)


def test_moodle_xml_single_defaults_to_true_and_fraction_may_be_decimal():
    result = parse_moodle_xml(
        _quiz(_multichoice(["0", "100.0000000", "-33.3333", "0"]).replace("<single>true</single>", ""))
    )

    assert [(i.answer, i.options[1]) for i in result.items] == [(1, "opt 1")]


def test_moodle_xml_follows_the_declared_encoding():
    data = "<?xml version='1.0' encoding='ISO-8859-1'?>\n<quiz>\n{}\n</quiz>".format(
        _multichoice(["100", "0", "0", "0"], name="Caf\u00e9")
    ).encode("latin-1")

    assert parse_moodle_xml(data).items[0].title == "Caf\u00e9"


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (
            b"<?xml version='1.0'?>\n<quiz>\n  <question type='essay'>\n</quiz>",
            4,
            "not well-formed XML: mismatched tag",
        ),
        (b"", 1, "not well-formed XML: no element found"),
        (b"Just text\n", 1, "not well-formed XML"),
        (b"<?xml version='1.0'?>\n\n<questions></questions>", 3, "the root element must be <quiz>, not <questions>"),
        (_quiz(_multichoice(["100", "lots", "0", "0"])), 3, "answer fraction 'lots' is not a number"),
        (b"<?xml version='1.0' encoding='UTF-9'?>\n<quiz/>", 1, "unknown text encoding"),
    ],
)
def test_moodle_xml_malformed_input_raises_with_line(data, line, message):
    with pytest.raises(ImportFormatError) as caught:
        parse_moodle_xml(data)

    assert caught.value.line == line
    assert message in caught.value.message


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="multichoice"><name><text>&lol9;</text></name></question></quiz>
"""


def test_moodle_xml_billion_laughs_is_refused_cleanly():
    started = time.perf_counter()
    with pytest.raises(ImportFormatError) as caught:
        parse_moodle_xml(BILLION_LAUGHS)

    assert time.perf_counter() - started < 1
    assert caught.value.line == 3
    assert caught.value.message.startswith("refused: the file declares XML entities")


def test_moodle_xml_external_entity_is_refused():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<quiz>&xxe;</quiz>'

    with pytest.raises(ImportFormatError) as caught:
        parse_moodle_xml(data)

    assert caught.value.line == 2
    assert "refused" in caught.value.message


# --- Round trips of our own bank -------------------------------------------------------------


def test_gift_round_trip_restores_every_item_field():
    exports = [ExportItem(item, version) for version, item in enumerate(TRICKY, start=1)]

    result = parse_gift(export_gift(exports))

    assert result.skipped == []
    assert restored(result) == TRICKY
    for imported, export in zip(result.items, exports, strict=True):
        item = export.item
        assert imported.title == item.id
        assert (imported.stem, imported.options, imported.rationales) == (item.stem, item.options, item.rationales)
        assert imported.answer == item.answer
        assert imported.metadata["version"] == export.version
        assert imported.metadata["references"] == list(item.references)
        assert imported.general_feedback == "References:\n" + "\n".join(item.references)


def test_gift_export_escapes_special_characters_and_keeps_each_text_on_one_line():
    gift = export_gift([ExportItem(TRICKY[0], 1)])

    (stem_line,) = [line for line in gift.splitlines() if line.startswith("::")]
    assert stem_line.startswith("::bil-ins-014::[plain]A plan's copay is $20 \\~ about \\= 20% of \\{allowed\\}; \\#1")
    assert "rule\\: collect it.\\n// this second line" in stem_line
    assert "C\\:\\\\claims\\\\new, a literal \\\\n," in stem_line
    assert stem_line.endswith("two  spaces.{")
    assert "\t~%0%%10% off the $200#" in gift
    assert "\t~[plain][html]<i>x</i> \\= y#" in gift
    assert "\t####[plain]References" not in gift
    assert "\t####References\\:\\n45 CFR 164.508 -- Uses and disclosures\\nCMS\\: 'Copayment'" in gift
    assert "$CATEGORY: $course$/top/cmaa/billing-revenue-cycle" in gift
    meta_line = next(line for line in gift.splitlines() if line.startswith("// cmaa-meta: "))
    assert json.loads(meta_line.removeprefix("// cmaa-meta: "))["id"] == "bil-ins-014"


def test_gift_export_writes_one_category_per_run_of_domain():
    items = [TRICKY[0], make_item(id="bil-x-1", stem="Another?"), TRICKY[1]]

    gift = export_gift([ExportItem(i, 1) for i in items])

    assert re.findall(r"^\$CATEGORY: .*$", gift, flags=re.M) == [
        "$CATEGORY: $course$/top/cmaa/billing-revenue-cycle",
        "$CATEGORY: $course$/top/cmaa/law-ethics-compliance",
    ]


def test_moodle_xml_round_trip_restores_every_item_field():
    exports = [ExportItem(item, version) for version, item in enumerate(TRICKY, start=7)]

    result = parse_moodle_xml(export_moodle_xml(exports).encode("utf-8"))

    assert result.skipped == []
    assert restored(result) == TRICKY
    assert [i.metadata["version"] for i in result.items] == [7, 8, 9]
    assert [i.title for i in result.items] == [i.id for i in TRICKY]


def test_moodle_xml_export_is_what_moodle_expects():
    xml = export_moodle_xml([ExportItem(TRICKY[0], 1)])

    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    comments = re.findall(r"<!--(.*?)-->", xml, flags=re.S)
    assert all("--" not in c for c in comments)
    assert "<idnumber>bil-ins-014</idnumber>" in xml
    assert "<single>true</single>" in xml
    assert xml.count('<answer format="plain_text" fraction="100">') == 1
    assert "<text>cmaa-topic:insurance</text>" in xml
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp;amp;" in xml


def test_moodle_xml_keeps_tag_metadata_when_an_lms_dropped_the_comment():
    exported = export_moodle_xml([ExportItem(TRICKY[1], 4)])
    without_comments = re.sub(r"<!--.*?-->", "", exported, flags=re.S)

    (imported,) = parse_moodle_xml(without_comments.encode()).items

    assert imported.metadata == {
        "id": "law-hip-003",
        "domain": "law-ethics-compliance",
        "topics": ["healthcare-law"],
        "difficulty": 3,
        "test_plan": "Rev01222022",
    }
    assert restore_item(imported) is None


def test_restore_item_needs_our_metadata():
    (foreign,) = parse_gift("Stem?{=a ~b ~c ~d}").items

    assert foreign.metadata == {}
    assert restore_item(foreign) is None


# --- Lossy and tabular exports ---------------------------------------------------------------


def test_aiken_export_keeps_stem_options_and_key():
    exported = export_aiken([ExportItem(TRICKY[1], 1), ExportItem(TRICKY[2], 1)])

    result = parse_aiken(exported)

    assert [(i.options, i.answer) for i in result.items] == [(t.options, t.answer) for t in TRICKY[1:]]
    assert result.items[0].stem == " ".join(TRICKY[1].stem.split())
    assert "ANSWER: D\n\n" in exported


def test_json_export_has_every_field_with_a_zero_based_answer():
    records = json.loads(export_json([ExportItem(TRICKY[1], 5)]))

    assert records == [
        {
            "id": "law-hip-003",
            "version": 5,
            "domain": "law-ethics-compliance",
            "topics": ["healthcare-law"],
            "difficulty": 3,
            "stem": TRICKY[1].stem,
            "options": list(TRICKY[1].options),
            "answer": 3,
            "rationales": list(TRICKY[1].rationales),
            "references": list(TRICKY[1].references),
            "test_plan": "Rev01222022",
        }
    ]


def test_csv_export_has_a_header_and_one_row_per_item():
    text = export_csv([ExportItem(TRICKY[0], 2), ExportItem(TRICKY[2], 1)])

    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "id",
        "version",
        "domain",
        "topics",
        "difficulty",
        "stem",
        "option_a",
        "option_b",
        "option_c",
        "option_d",
        "answer",
        "rationale_a",
        "rationale_b",
        "rationale_c",
        "rationale_d",
        "references",
        "test_plan",
    ]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["topics"] == "billing-coding;insurance"
    assert first["stem"] == TRICKY[0].stem
    assert (first["version"], first["answer"], first["option_b"]) == ("2", "A", "%10% off the $200")
    assert first["references"] == "45 CFR 164.508 -- Uses and disclosures | CMS: 'Copayment' | glossary; 2024"
    assert dict(zip(rows[0], rows[2], strict=True))["answer"] == "C"
    assert len(rows) == 3


def test_registries_name_every_format():
    exports = [ExportItem(item, 1) for item in TRICKY]

    assert set(EXPORTERS) == {"json", "gift", "aiken", "moodle-xml", "csv"}
    assert set(IMPORTERS) == {"gift", "aiken", "moodle-xml"}
    for name in IMPORTERS:
        result = IMPORTERS[name](EXPORTERS[name](exports).encode("utf-8"))
        assert [i.options for i in result.items] == [i.options for i in TRICKY]


def test_import_format_error_names_its_line():
    assert str(ImportFormatError(3, "bad")) == "line 3: bad"
    assert str(ImportFormatError(None, "bad")) == "bad"
    assert isinstance(ImportFormatError(1, "x"), ValueError)


# --- Robustness ------------------------------------------------------------------------------

MUTATIONS = [
    "{",
    "}",
    "~",
    "=",
    "#",
    ":",
    "\\",
    "%",
    "[html]",
    "->",
    "\n",
    "\n\n",
    "//",
    "::",
    "$CATEGORY:",
    "A. ",
    "ANSWER: ",
    "<",
    "&",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "</quiz>",
    "&lt;",
    "\x00",
    "\r",
]


@pytest.mark.parametrize(
    ("fixture", "parse"),
    [
        ("moodle_export.gift.txt", parse_gift),
        ("moodle_export.aiken.txt", parse_aiken),
        ("moodle_export.xml", parse_moodle_xml),
    ],
)
def test_damaged_files_either_import_or_raise_import_format_error(fixture, parse):
    base = (DATA / fixture).read_text(encoding="utf-8")
    rng = random.Random(fixture)
    for _ in range(300):
        text = list(base)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(text))
            if rng.random() < 0.5:
                text.insert(at, rng.choice(MUTATIONS))
            else:
                del text[at : at + rng.randint(1, 40)]
        try:
            result = parse("".join(text).encode("utf-8"))
        except ImportFormatError as exc:
            assert exc.line is None or exc.line >= 1
        else:
            assert all(len(i.options) == len(i.rationales) == 4 for i in result.items)


def test_the_formats_package_is_pure():
    package = Path(__file__).resolve().parent.parent / "prep" / "bank" / "formats"
    forbidden = ("flask", "sqlalchemy", "prep.models", "prep.extensions", "prep.db", "os", "pathlib", "socket")
    offenders = []
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if any(n == f or n.startswith(f + ".") for f in forbidden)]

    assert offenders == []


def test_gift_descriptions_are_skipped_with_a_warning():
    result = parse_gift("// comment\n::Intro::Just a description\nwith two lines\n\n::Q::Pick one {=a ~b ~c ~d}\n")
    assert len(result.items) == 1
    assert [(w.line, w.name, w.message) for w in result.skipped] == [
        (2, "Intro", "skipped: a description, not a question")
    ]
