"""YAML loading that remembers the line of every mapping and key.

The bank files are written by people; an error message is only useful if it points at the
line to fix. `load_yaml` returns plain dicts and lists, except that mappings are `Located`
dicts carrying `line` (1-based line of the mapping) and `key_lines` (line of each key).
"""

from __future__ import annotations

from pathlib import Path

import yaml


class Located(dict):
    """A mapping from a YAML file that knows where it and each of its keys start."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        data = Located(super().construct_mapping(node, deep=deep))
        data.line = node.start_mark.line + 1
        data.key_lines = {
            key_node.value: key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return data


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


class YamlError(ValueError):
    """A file that is not valid YAML; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def load_yaml(path: Path):
    """Parse one YAML file, keeping line numbers; raise YamlError on bad syntax."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise YamlError(f"invalid YAML: {exc.problem}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", None) from exc
