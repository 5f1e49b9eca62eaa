"""The validator: every error names file, item, field and line."""

from pathlib import Path

import pytest

from prep.bank.blueprint_file import load_blueprint
from prep.bank.icd import icd_code_is_valid
from prep.bank.validate import read_bank
from prep.core.blueprint import BlueprintError, blueprint_from_mapping
from prep.core.items import icd_codes_in, key_is_longest, normalise_stem
from tests.bankfiles import BLUEPRINT, item, write_bank

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def blueprint():
    return load_blueprint(BLUEPRINT.parent)


def test_blueprint_numbers_match_the_test_plan(blueprint):
    counts = {d.slug: d.items for d in blueprint.domains}
    assert counts == {
        "foundational-knowledge": 10,
        "communication-professionalism": 21,
        "law-ethics-compliance": 17,
        "scheduling": 16,
        "patient-encounter": 21,
        "billing-revenue-cycle": 11,
        "administrative-procedures": 14,
    }
    assert (blueprint.scored_items, blueprint.pretest_items, blueprint.minutes) == (110, 25, 135)
    assert blueprint.version == "Rev01222022"
    assert {"medical-terminology", "billing-coding", "healthcare-law"} <= set(blueprint.topic_slugs)


def test_blueprint_inconsistencies_are_refused():
    good = {
        "exam": "x",
        "version": "v",
        "source": {},
        "pretest_items": 1,
        "minutes": 10,
        "domains": [{"slug": "a", "title": "A", "items": 2}],
        "topics": [],
    }
    assert blueprint_from_mapping(good).scored_items == 2
    with pytest.raises(BlueprintError, match="scored_items"):
        blueprint_from_mapping({**good, "scored_items": 3})
    with pytest.raises(BlueprintError, match=r"domains\[0\]\.items"):
        blueprint_from_mapping({**good, "domains": [{"slug": "a", "title": "A", "items": "two"}]})
    with pytest.raises(BlueprintError, match="minutes"):
        blueprint_from_mapping({**good, "minutes": 0})


def test_a_valid_bank_has_no_problems(tmp_path, blueprint):
    write_bank(tmp_path, {"billing/a.yaml": [item("bc-1"), item("bc-2", answer="C")]})
    result = read_bank(tmp_path / "items", blueprint, icd_code_is_valid)
    assert result.problems == []
    assert [i.id for i in result.items] == ["bc-1", "bc-2"]
    assert result.items[1].answer == 2


def test_a_broken_copy_fails_with_precise_messages(tmp_path, blueprint):
    bad_options = item("bad-options")
    bad_options["options"] = bad_options["options"][:3]
    no_rationale = item("no-rationale")
    no_rationale["options"][2]["rationale"] = ""
    same_options = item("same-options")
    same_options["options"][1]["text"] = same_options["options"][0]["text"].upper()
    write_bank(
        tmp_path,
        {
            "x/broken.yaml": [
                item("ok-1", stem="What is a copayment?"),
                item("ok-1"),
                item("dup-stem", stem="  what is a COPAYMENT ? "),
                item("Bad Id"),
                item("bad-domain", domain="coding"),
                item("bad-topic", topics=["billing-coding", "astrology"]),
                item("bad-difficulty", difficulty=4),
                item("bad-answer", answer="E"),
                item("no-refs", references=[]),
                item("bad-plan", test_plan="Rev2014"),
                item("icd", stem="A claim lists E11.9 and Z99.999 for the visit. What happens?"),
                bad_options,
                no_rationale,
                same_options,
                {k: v for k, v in item("missing-stem").items() if k != "stem"},
                item("extra", colour="blue"),
            ]
        },
    )
    result = read_bank(tmp_path / "items", blueprint, icd_code_is_valid, root=tmp_path)
    messages = [str(p) for p in result.problems]
    expected = {
        ("ok-1", "id", "duplicate id"),
        ("dup-stem", "stem", "duplicate stem"),
        ("Bad Id", "id", "lowercase"),
        ("bad-domain", "domain", "unknown domain 'coding'"),
        ("bad-topic", "topics", "unknown topic 'astrology'"),
        ("bad-difficulty", "difficulty", "1, 2 or 3"),
        ("bad-answer", "answer", "A, B, C, D"),
        ("no-refs", "references", "at least one"),
        ("bad-plan", "test_plan", "Rev2014"),
        ("icd", "stem", "Z99.999 is not a valid FY2026 ICD-10-CM code"),
        ("bad-options", "options", "exactly 4"),
        ("no-rationale", "options[C].rationale", "needs a rationale"),
        ("same-options", "options", "distinct"),
        ("missing-stem", "stem", "missing"),
        ("extra", "colour", "unknown field"),
    }
    for item_id, field, text in expected:
        assert any(
            f"item {item_id}: field {field}: " in m and text in m and m.startswith("items/x/broken.yaml:")
            for m in messages
        ), (item_id, field, text, messages)
    assert len(result.problems) == len(expected)
    # Lines point into the file: the unknown domain is on the line of its `domain:` key.
    lines = (tmp_path / "items/x/broken.yaml").read_text().splitlines()
    problem = next(p for p in result.problems if p.item_id == "bad-domain")
    assert lines[problem.line - 1].strip() == "domain: coding"
    assert "E11.9" not in " ".join(messages)


def test_yaml_syntax_errors_name_the_line(tmp_path, blueprint):
    (tmp_path / "items").mkdir()
    (tmp_path / "items" / "bad.yaml").write_text("items:\n  - id: a\n    stem: [unclosed\n")
    result = read_bank(tmp_path / "items", blueprint)
    assert len(result.problems) == 1
    assert result.problems[0].line is not None and "invalid YAML" in result.problems[0].message


@pytest.mark.parametrize(
    "text,codes",
    [
        ("Report E11.65 then Z79.4.", ["E11.65", "Z79.4"]),
        ("Category I10 has no subcategory.", ["I10"]),
        ("S52.521A is a 7-character code", ["S52.521A"]),
        ("CPT 99213, HCPCS G0438 and J1100, form CMS-1500, 837P", []),
        ("vitamin B-12 and an A1C test", []),
    ],
)
def test_icd_code_detection(text, codes):
    assert icd_codes_in(text) == codes


def test_stem_normalisation_and_cue_checks():
    assert normalise_stem("  What is   a Copay?") == normalise_stem("what is a copay")
    assert key_is_longest(("a", "bb", "a much longer key", "cc"), 2)
    assert not key_is_longest(("same", "same", "same", "same"), 0)


def test_the_real_bank_passes_the_validator(blueprint):
    result = read_bank(ROOT / "question_bank" / "items", blueprint, icd_code_is_valid)
    assert result.problems == []
    assert len(result.items) >= 12
    assert len({i.domain for i in result.items}) >= 5


def test_the_real_bank_meets_the_quality_bar(blueprint):
    from prep.bank.report import quality_flags

    result = read_bank(ROOT / "question_bank" / "items", blueprint)
    assert quality_flags(result.items, blueprint) == []


def test_quality_flags_catch_skewed_keys_easy_items_and_near_duplicates(blueprint):
    from prep.bank.report import quality_flags
    from prep.core.items import Item

    def make(n, answer, difficulty, stem=None):
        return Item(
            f"x-{n}",
            "scheduling",
            ("scheduling-methods",),
            difficulty,
            stem or f"Distinct stem number {n} here?",
            ("a", "b", "c", "d"),
            ("r", "r", "r", "r"),
            answer,
            ("ref",),
            "Rev01222022",
        )

    skewed = [make(n, 0, 1) for n in range(40)]
    flags = quality_flags(skewed, blueprint)
    assert "domain scheduling: only 0% of 40 items at difficulty 2-3" in flags
    assert "topic scheduling-methods: key A on 100% of 40 items" in flags
    twins = [
        make(1, 0, 2, "Which scheduling method books several patients at the top of each hour?"),
        make(2, 1, 2, "Which scheduling method books several patients at the top of every hour?"),
    ]
    assert quality_flags(twins, blueprint) == ["near-duplicate stems: x-1 and x-2"]


def test_readme_counts_are_generated_from_the_bank(blueprint):
    from prep.bank.report import markdown_table

    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- bank-stats:start -->\n", 1)[1].split("\n<!-- bank-stats:end -->", 1)[0]
    result = read_bank(ROOT / "question_bank" / "items", blueprint)
    assert block == markdown_table(result.items, blueprint), (
        "run: flask --app wsgi bank stats --update-readme README.md"
    )
