"""The summary printed by `bank check` and `bank stats`: counts against the blueprint."""

from __future__ import annotations

from collections import Counter

from prep.core.blueprint import Blueprint
from prep.core.items import LETTERS, Item, key_is_longest, near_duplicate, stem_tokens

# How many full exams' worth of items each domain should hold (content target, not a rule).
POOL_MULTIPLE = 6


def summary_lines(items: list[Item], blueprint: Blueprint) -> list[str]:
    by_domain = Counter(i.domain for i in items)
    by_topic = Counter(t for i in items for t in i.topics)
    keys = Counter(i.answer_letter for i in items)
    hard = sum(1 for i in items if i.difficulty >= 2)
    lines = [
        f"{len(items)} items; blueprint {blueprint.version}: {blueprint.scored_items} scored + "
        f"{blueprint.pretest_items} pretest items in {blueprint.minutes} minutes",
        "",
        f"{'domain':<32}{'items':>7}{'exam':>6}{'pool target':>13}",
    ]
    for d in blueprint.domains:
        lines.append(f"{d.slug:<32}{by_domain[d.slug]:>7}{d.items:>6}{d.items * POOL_MULTIPLE:>13}")
    lines += ["", f"{'topic':<32}{'items':>7}"]
    for t in blueprint.topics:
        if by_topic[t.slug]:
            lines.append(f"{t.slug:<32}{by_topic[t.slug]:>7}")
    if items:
        share = ", ".join(f"{k} {100 * keys[k] / len(items):.0f}%" for k in LETTERS)
        lines += ["", f"keys: {share}; difficulty 2-3: {100 * hard / len(items):.0f}%"]
        lines += [f"quality: {flag}" for flag in quality_flags(items, blueprint)]
        longest = [i.id for i in items if key_is_longest(i.options, i.answer)]
        if longest:
            lines.append(
                f"warning: the key is the longest option in {len(longest)} items: {', '.join(longest[:20])}"
                + (" ..." if len(longest) > 20 else "")
            )
    return lines


def markdown_table(items: list[Item], blueprint: Blueprint) -> str:
    """Counts per domain and per topic as Markdown, for the README."""
    by_domain = Counter(i.domain for i in items)
    by_topic = Counter(t for i in items for t in i.topics)
    hard_by_domain = Counter(i.domain for i in items if i.difficulty >= 2)
    out = ["| Domain | Items | Exam items | Difficulty 2-3 |", "|---|---:|---:|---:|"]
    for d in blueprint.domains:
        n = by_domain[d.slug]
        pct = f"{100 * hard_by_domain[d.slug] / n:.0f}%" if n else "-"
        out.append(f"| {d.title} (`{d.slug}`) | {n} | {d.items} | {pct} |")
    out.append(f"| **Total** | **{len(items)}** | **{blueprint.scored_items}** | |")
    out += ["", "| Topic | Items |", "|---|---:|"]
    out += [f"| {t.title} (`{t.slug}`) | {by_topic[t.slug]} |" for t in blueprint.topics if by_topic[t.slug]]
    return "\n".join(out)


# The content quality bar (CONTENT-GUIDE.md): per topic and per domain, at least 40% of items
# at difficulty 2-3 and each key letter on 20-30% of items; judged once a group has enough items.
MIN_HARD_SHARE = 0.40
KEY_SHARE_RANGE = (0.20, 0.30)
MIN_GROUP_SIZE = 40
NEAR_DUPLICATE_THRESHOLD = 0.7


def quality_flags(items: list[Item], blueprint: Blueprint) -> list[str]:
    """Groups (domains and topics) that miss the quality bar, and near-duplicate stem pairs."""
    groups: dict[str, list[Item]] = {}
    for i in items:
        groups.setdefault(f"domain {i.domain}", []).append(i)
        for t in i.topics:
            groups.setdefault(f"topic {t}", []).append(i)
    flags = []
    for name, members in sorted(groups.items()):
        n = len(members)
        if n < MIN_GROUP_SIZE:
            continue
        hard = sum(1 for i in members if i.difficulty >= 2) / n
        if hard < MIN_HARD_SHARE:
            flags.append(f"{name}: only {hard:.0%} of {n} items at difficulty 2-3")
        keys = Counter(i.answer_letter for i in members)
        for letter in LETTERS:
            share = keys[letter] / n
            if not KEY_SHARE_RANGE[0] <= share <= KEY_SHARE_RANGE[1]:
                flags.append(f"{name}: key {letter} on {share:.0%} of {n} items")
    flags += [f"near-duplicate stems: {a} and {b}" for a, b in near_duplicate_pairs(items)]
    return flags


def near_duplicate_pairs(items: list[Item], threshold: float = NEAR_DUPLICATE_THRESHOLD) -> list[tuple[str, str]]:
    """Pairs of items whose stems share most of their words (Jaccard similarity of tokens)."""
    tokens = [(i.id, stem_tokens(i.stem)) for i in items]
    index: dict[str, list[int]] = {}
    for n, (_, toks) in enumerate(tokens):
        for tok in toks:
            index.setdefault(tok, []).append(n)
    pairs = []
    for n, (item_id, toks) in enumerate(tokens):
        # Only compare with items sharing a rare word: cheap enough for a whole bank.
        rare = sorted(toks, key=lambda t: len(index[t]))[:3]
        candidates = {m for t in rare for m in index[t] if m > n}
        for m in candidates:
            if near_duplicate(toks, tokens[m][1], threshold):
                pairs.append((item_id, tokens[m][0]))
    return sorted(pairs)
