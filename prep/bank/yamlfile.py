"""YAML loading that remembers the line of every mapping and key.

The bank files are written by people; an error message is only useful if it points at the
line to fix. `load_yaml` returns plain dicts and lists, except that mappings are `Located`
dicts carrying `line` (1-based line of the mapping) and `key_lines` (line of each key).

Parsing uses libyaml (PyYAML's C parser) and a small converter for the node tree instead of
PyYAML's generic constructor: the bank only uses plain scalars, lists and mappings, and a
10,000-item bank loads several times faster this way.
"""

from __future__ import annotations

from pathlib import Path

import yaml

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"


class Located(dict):
    """A mapping from a YAML file that knows where it and each of its keys start."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlError(ValueError):
    """A file that is not valid YAML; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def _convert(loader, node):
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _TAG + "str":
            return node.value
        # ints, bools, nulls, floats, dates: PyYAML's own safe constructors
        return loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, child) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        data = Located()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise YamlError("merge keys (<<) are not supported in bank files", key_node.start_mark.line + 1)
            key = _convert(loader, key_node)
            if isinstance(key, (list, dict)):
                raise YamlError("mapping keys must be plain text", key_node.start_mark.line + 1)
            if key in data:
                raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            data[key] = _convert(loader, value_node)
            data.key_lines[key] = key_node.start_mark.line + 1
        return data
    raise YamlError(f"unsupported YAML node {node.tag}", node.start_mark.line + 1)


def load_yaml(path: Path):
    """Parse one YAML file, keeping line numbers; raise YamlError on bad syntax."""
    text = path.read_text(encoding="utf-8")
    loader = _Parser(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _convert(loader, node)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise YamlError(f"invalid YAML: {exc.problem}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}", None) from exc
    finally:
        loader.dispose()
