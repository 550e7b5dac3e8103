"""YAML loading that keeps line and column of every key, and pydantic errors mapped onto them.

ruamel.yaml's round-trip loader records where each key and item stands; we use it so that a
typo in a rule file is reported as `rules/qd-65.yaml:12:5: params.max_month: …`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import types
import typing
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from planner.errors import InputError, Problem, did_you_mean, read_input_bytes

Locator = Callable[[Sequence[int | str]], tuple[int | None, int | None]]

#: bounds on a YAML file: its size, how deep it nests, and how many values it holds once
#: aliases are expanded (an "alias bomb" of nested `*a` grows exponentially)
MAX_YAML_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000


#: libyaml's event parser, for the nesting check only (None: PyYAML built without libyaml)
_C_PARSER: Any = getattr(pyyaml, "CSafeLoader", None) if pyyaml.__with_libyaml__ else None

_PARSED: OrderedDict[tuple[str, str], Any] = OrderedDict()  # (path, sha256) → ruamel tree
_PARSED_KEPT = 64


def read_yaml(path: Path) -> tuple[Any, Locator]:
    """Parse a YAML file; return the data and a function mapping a key path to (line, column).

    Raises InputError (never a parser traceback) for unreadable or malformed files. The
    round-trip parser is slow (≈0.1 s per rule file): trees are kept by path and content
    hash, so a process that loads the same unchanged files again (explain, compare, tests)
    parses them once; callers always get fresh plain data.
    """
    raw = read_input_bytes(path, limit=MAX_YAML_BYTES)
    key = (str(path), hashlib.sha256(raw).hexdigest())
    if key in _PARSED:
        _PARSED.move_to_end(key)
        tree = _PARSED[key]
        return to_plain(tree, _Budget()), _locator(tree)
    data, locate = _parse_yaml(path, raw)
    return data, locate


def _parse_yaml(path: Path, raw: bytes) -> tuple[Any, Locator]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line, bad_col = byte_position(raw, exc.start)
        raise InputError(
            [Problem(str(path), bad_line, bad_col, None, f"not UTF-8 text ({exc.reason})")]
        ) from None
    yaml = YAML(typ="rt")
    try:
        _check_shape(yaml, text, path)
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise InputError(
            [Problem(str(path), line, col, None, f"malformed YAML: {reason}")]
        ) from None
    except InputError:
        raise
    except Exception as exc:  # ruamel raises several unrelated classes for odd input
        # e.g. `2024-13-01` looks like a date to the resolver and fails in datetime, which
        # carries no position: find the offending scalar to name its line, column and key.
        position = getattr(exc, "position", None)  # ruamel's ReaderError: a bad character
        if isinstance(position, int) and 0 <= position <= len(text):
            line = text.count("\n", 0, position) + 1
            col = position - text.rfind("\n", 0, position)
            char = getattr(exc, "character", None)
            code = ord(char) if isinstance(char, str) and len(char) == 1 else char
            what = f"U+{code:04X} " if isinstance(code, int) else ""
            raise InputError([Problem(str(path), line, col, None,
                                      f"malformed YAML: the character {what}is not allowed "
                                      "in YAML (a control character?)")]) from None
        bad_date = _bad_timestamp(yaml, text)
        if bad_date is None:
            raise InputError([Problem(str(path), message=f"malformed YAML: {exc}")]) from None
        line, col, key_path, value = bad_date
        raise InputError(
            [Problem(str(path), line, col, key_path, f"'{value}' is not a valid date ({exc})")]
        ) from None
    try:
        plain = to_plain(data, _Budget())
    except _TooBig as exc:
        raise InputError([Problem(str(path), None, None, None, str(exc))]) from None
    _PARSED[(str(path), hashlib.sha256(raw).hexdigest())] = data
    while len(_PARSED) > _PARSED_KEPT:
        _PARSED.popitem(last=False)
    return plain, _locator(data)


class _TooBig(Exception):
    pass


class _Budget:
    """Counts the values `to_plain` produces; past MAX_VALUES (or MAX_DEPTH) it stops."""

    def __init__(self) -> None:
        self.left = MAX_VALUES

    def spend(self, depth: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooBig(f"expands to more than {MAX_VALUES:,} values once its aliases "
                          "(`*name`) are expanded: repeat less, or write the values out")
        if depth > MAX_DEPTH * 2:
            raise _TooBig(f"nests deeper than {MAX_DEPTH * 2} levels once its aliases are "
                          "expanded (an alias inside its own anchor?)")


def _check_shape(yaml: YAML, text: str, path: Path) -> None:
    """Refuse nesting deeper than MAX_DEPTH before composing (the composer recurses).

    The events are read with libyaml's C parser (PyYAML) when it is there: nesting is
    syntax, the same for both parsers, and the C one takes ~1/50 of the time (half of a rule
    file's loading went to this pass). Where it stops on the text, ruamel's parser reads it
    again, so the messages are ruamel's."""
    if _C_PARSER is not None:
        try:
            _check_depth(pyyaml.parse(text, Loader=_C_PARSER), path)
            return
        except pyyaml.YAMLError:
            pass
    _check_depth(yaml.parse(text), path)


def _check_depth(events: Iterable[Any], path: Path) -> None:
    depth = 0
    for event in events:
        if isinstance(event, _STARTS):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InputError([Problem(str(path), mark.line + 1, mark.column + 1, None,
                                          f"nested deeper than {MAX_DEPTH} levels")])
        elif isinstance(event, _ENDS):
            depth -= 1


_STARTS = (MappingStartEvent, SequenceStartEvent, pyyaml.MappingStartEvent,
           pyyaml.SequenceStartEvent)
_ENDS = (MappingEndEvent, SequenceEndEvent, pyyaml.MappingEndEvent, pyyaml.SequenceEndEvent)


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset, counting characters before it on its line."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def _bad_timestamp(yaml: YAML, text: str) -> tuple[int, int, str | None, str] | None:
    """Line, column, key path and text of the first date-like scalar that is not a date."""
    try:
        root = yaml.compose(text)
    except Exception:
        return None
    stack: list[tuple[Any, list[str]]] = [(root, [])]
    while stack:
        node, keys = stack.pop()
        if isinstance(node, MappingNode):
            for key_node, value_node in reversed(node.value):
                stack.append((value_node, [*keys, str(key_node.value)]))
                stack.append((key_node, keys))
        elif isinstance(node, SequenceNode):
            items = list(enumerate(node.value))
            stack.extend((item, [*keys, str(i)]) for i, item in reversed(items))
        elif isinstance(node, ScalarNode) and node.tag == _TIMESTAMP_TAG:
            try:
                year, month, day = re.split(r"[-T ]", str(node.value).strip(), maxsplit=3)[:3]
                dt.date(int(year), int(month), int(day))
            except ValueError:
                mark = node.start_mark
                return mark.line + 1, mark.column + 1, ".".join(keys) or None, str(node.value)
    return None


def to_plain(node: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """Convert ruamel containers and scalars to plain Python (dict, list, str, date, …)."""
    if budget is not None:
        budget.spend(depth)
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, dt.date) else k: to_plain(v, budget, depth + 1)
                for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v, budget, depth + 1) for v in node]
    if isinstance(node, dt.datetime):
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    if isinstance(node, bool | int | float | dt.date) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    return node


def _locator(root: Any) -> Locator:
    def locate(path: Sequence[int | str]) -> tuple[int | None, int | None]:
        node = root
        found: tuple[int | None, int | None] = (1, 1) if root is not None else (None, None)
        for step in path:
            try:
                if isinstance(node, CommentedMap):
                    key = _match_key(node, step)
                    if key is None:
                        return found
                    line, col = node.lc.key(key)
                    found = (line + 1, col + 1)
                    node = node[key]
                elif isinstance(node, CommentedSeq) and isinstance(step, int):
                    line, col = node.lc.item(step)
                    found = (line + 1, col + 1)
                    node = node[step]
                else:
                    return found
            except (KeyError, IndexError, TypeError, AttributeError):
                return found
        return found

    return locate


def _match_key(node: CommentedMap, step: int | str) -> Any:
    if step in node:
        return step
    for key in node:
        if str(key) == str(step):
            return key
    return None


def validation_problems(
    exc: ValidationError,
    file: str,
    locate: Locator,
    model: type[BaseModel] | None = None,
    prefix: Sequence[int | str] = (),
) -> list[Problem]:
    """Turn a pydantic ValidationError into located problems, with did-you-mean on typos."""
    problems = []
    for error in exc.errors():
        loc = [*prefix, *[part for part in error["loc"] if not _is_union_tag(part)]]
        line, col = locate(loc)
        field = ".".join(str(part) for part in loc) or None
        if error["type"] == "extra_forbidden":
            name = str(error["loc"][-1]) if error["loc"] else "?"
            known = field_names_at(model, error["loc"][:-1]) if model is not None else []
            message = f"unknown field '{name}'{did_you_mean(name, known)}"
            if known and not did_you_mean(name, known):
                message += f" (valid fields: {', '.join(sorted(known))})"
        elif error["type"] == "missing":
            message = "required field is missing"
        else:
            reason = error["msg"].removeprefix("Value error, ")
            message = f"{reason} (got {_show(error.get('input'))})"
        problems.append(Problem(file, line, col, field, message))
    return problems


def _is_union_tag(part: int | str) -> bool:
    # pydantic inserts the member type name into the loc of union errors, e.g. 'date' or
    # 'function-after[...]'; those are not field names a user wrote.
    return isinstance(part, str) and (
        "[" in part or part in {"date", "int", "float", "str", "bool", "list", "dict"}
    )


def _show(value: Any) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def field_names_at(model: type[BaseModel] | None, loc: Sequence[int | str]) -> list[str]:
    """The field names valid at a location inside a model, used for did-you-mean hints."""
    annotation: Any = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                by_alias = {f.alias: f for f in annotation.model_fields.values() if f.alias}
                info = by_alias.get(str(part))
            if info is None:
                return []
            annotation = info.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [f.alias or name for name, f in annotation.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if models else (members[0] if members else annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation
