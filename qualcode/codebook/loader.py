"""Read and check a YAML codebook.

The YAML is composed into nodes rather than loaded into plain Python objects,
because nodes keep their line numbers: every problem is reported as
"FILE:LINE: code 'ID': problem" and all problems are collected before
raising, so a researcher fixes the file in one pass.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qualcode.codebook.keywords import keyword_problem
from qualcode.codebook.model import Code, Codebook
from qualcode.errors import InputError
from qualcode.i18n import gettext as _, quote
from qualcode.limits import MAX_TABLE_BYTES, read_file
from qualcode.yaml_problems import yaml_problem

TOP_KEYS = ("codebook", "version", "language", "description", "codes")
CODE_KEYS = ("id", "name", "definition", "include", "exclude", "examples", "keywords", "color", "children")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
COLOR_PATTERN = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_NULL_TAG = "tag:yaml.org,2002:null"
MAX_CODES = 10_000  # NVivo's largest real codebooks have hundreds


@dataclass(frozen=True)
class CodebookIssue:
    """One problem in a codebook file."""

    path: str
    line: int | None
    code_id: str | None
    problem: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.code_id is not None:
            return f"{where}: {code_label(self.code_id)}: {self.problem}"
        return f"{where}: {self.problem}"


def code_label(code_id: str) -> str:
    """How a problem names the code it is about: "kode »b.tid«"."""
    return _("code {id}").format(id=quote(code_id))


class CodebookValidationError(InputError):
    """A codebook file has one or more problems; ``issues`` lists them all."""

    def __init__(self, path: str | Path, issues: list[CodebookIssue]):
        self.issues = tuple(issues)
        first = self.issues[0]
        problem = first.problem if first.code_id is None else f"{code_label(first.code_id)}: {first.problem}"
        super().__init__(path, problem, line=first.line)

    @property
    def message(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


def load_codebook(path: str | Path) -> Codebook:
    """Read a YAML codebook; raise :class:`CodebookValidationError` listing every problem."""
    codebook, issues = check_codebook(path)
    if issues:
        raise CodebookValidationError(path, issues)
    assert codebook is not None
    return codebook


def check_codebook(path: str | Path) -> tuple[Codebook | None, list[CodebookIssue]]:
    """Read a codebook and return it (``None`` if unusable) with every problem found."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, _("is a folder, not a codebook file"))
    raw = read_file(path, MAX_TABLE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [CodebookIssue(str(path), line, None, _("not UTF-8 text: save the file as UTF-8"))]
    return parse_codebook(text, str(path))


def parse_codebook(text: str, path: str = "<codebook>") -> tuple[Codebook | None, list[CodebookIssue]]:
    """Check codebook YAML given as text; ``path`` is used in messages."""
    return _Reader(text, path).read()


class _Reader:
    def __init__(self, text: str, path: str):
        self.text = text
        self.lines = text.splitlines()
        self.path = path
        self.issues: list[CodebookIssue] = []
        self.first_line: dict[str, int] = {}
        self.codes: list[Code] = []
        self.open_lists: set[int] = set()
        self.seen_lists: set[int] = set()
        self.told_repeat = False

    def issue(self, node: Node | None, problem: str, code: _Label = None, line: int | None = None) -> None:
        if line is None and node is not None:
            line = node.start_mark.line + 1
        if isinstance(code, _Unnamed):
            problem, code = f"{code.describe()}: {problem}", None
        self.issues.append(CodebookIssue(self.path, line, code, problem))

    # -- top level ------------------------------------------------------------
    def read(self) -> tuple[Codebook | None, list[CodebookIssue]]:
        try:
            root = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            problem = yaml_problem(exc)
            if "alias" in " ".join(p for p in (exc.context, exc.problem) if p):
                # "*måling" unquoted is YAML alias syntax, not a keyword.
                problem += " " + _("(put values that start with '*' in quotes, e.g. \"*måling\")")
            self.issue(None, _("YAML syntax error: {problem}").format(problem=problem), line=line)
            return None, self.issues
        if root is None:
            self.issue(None, _("empty file: expected 'codebook', 'version', 'language', 'description' and 'codes'"), line=1)
            return None, self.issues
        if not isinstance(root, MappingNode):
            self.issue(root, _("expected a mapping with 'codebook' and 'codes' at the top of the file"))
            return None, self.issues
        fields = self.mapping(root, TOP_KEYS, None)
        name = self.text_value(fields, "codebook", None)
        if "codebook" not in fields:
            self.issue(root, _("missing 'codebook' (the codebook's name)"))
        elif not name:
            self.issue(fields["codebook"][0], _("'codebook' (the codebook's name) is empty"))
        version = self.text_value(fields, "version", None)
        language = self.text_value(fields, "language", None) or "da"
        description = self.text_value(fields, "description", None)
        if "codes" not in fields:
            self.issue(root, _("missing {key}").format(key="'codes'"))
        else:
            key, value = fields["codes"]
            if not isinstance(value, SequenceNode) or not value.value:
                self.issue(key, _("'codes' must be a non-empty list of codes"))
            else:
                self.code_list(value, None)
        if self.issues:
            return None, self.issues
        return Codebook(name, version, language, description, tuple(self.codes)), []

    def mapping(self, node: MappingNode, allowed: tuple[str, ...], code_id: _Label) -> dict[str, tuple[Node, Node]]:
        """Key -> (key node, value node), reporting unknown and repeated keys."""
        fields: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.issue(key, _("keys must be plain words"), code_id)
                continue
            name = key.value
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = _("did you mean '{key}'?").format(key=close[0]) if close else _("allowed: {keys}").format(keys=", ".join(allowed))
                self.issue(key, _("unknown key '{key}' ({hint})").format(key=name, hint=hint), code_id)
            elif name in fields:
                first = fields[name][0].start_mark.line + 1
                self.issue(key, _("key '{key}' appears twice (first at line {line})").format(key=name, line=first), code_id)
            else:
                fields[name] = (key, value)
        return fields

    def text_value(self, fields: dict, key: str, code_id: _Label) -> str:
        if key not in fields:
            return ""
        _key, value = fields[key]
        if isinstance(value, ScalarNode):
            return "" if value.tag == _NULL_TAG else value.value.strip()
        self.issue(value, _("'{key}' must be text, not a list or mapping").format(key=key), code_id)
        return ""

    def text_list(self, fields: dict, key: str, code_id: _Label) -> tuple[str, ...]:
        if key not in fields:
            return ()
        key_node, value = fields[key]
        if isinstance(value, ScalarNode) and value.tag == _NULL_TAG:
            return ()
        if not isinstance(value, SequenceNode):
            self.issue(value, _("'{key}' must be a list (one '- ' line per item)").format(key=key), code_id)
            return ()
        items = []
        for item in value.value:
            if not isinstance(item, ScalarNode) or item.tag == _NULL_TAG:
                self.issue(item, _("each item of '{key}' must be text").format(key=key), code_id)
            elif not item.value.strip():
                self.issue(item, _("empty item in '{key}'").format(key=key), code_id)
            else:
                items.append(item.value.strip())
        return tuple(items)

    # -- codes ----------------------------------------------------------------
    def code_list(self, node: SequenceNode, parent_id: str | None) -> None:
        # YAML aliases (*name) can make a code its own descendant, or repeat a subtree
        # until there are billions of codes: neither is a codebook, both stop here.
        if id(node) in self.open_lists:
            self.issue(node, _("a YAML alias makes this list of codes contain itself"))
            return
        if id(node) in self.seen_lists:
            if not self.told_repeat:  # said once: a bomb repeats its lists a billion times
                self.issue(node, _("a YAML alias repeats a list of codes given before: write each code out once"))
                self.told_repeat = True
            return
        self.seen_lists.add(id(node))
        self.open_lists.add(id(node))
        try:
            for item in node.value:
                if not isinstance(item, MappingNode):
                    if parent_id:
                        self.issue(item, _("each code under {code} must be a mapping with at least 'id' and 'name'").format(
                            code=quote(parent_id)))
                    else:
                        self.issue(item, _("each code must be a mapping with at least 'id' and 'name'"))
                    continue
                if len(self.codes) >= MAX_CODES:
                    self.issue(item, _("more than {n} codes (do YAML aliases repeat parts of the file?)").format(n=MAX_CODES))
                    return
                self.code(item, parent_id)
        finally:
            self.open_lists.discard(id(node))

    def code(self, node: MappingNode, parent_id: str | None) -> None:
        line = node.start_mark.line + 1
        raw = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
        code_id = self.code_id(raw)
        # Problems of a code without a usable id are told by its name instead.
        label: _Label = code_id if code_id is not None else _Unnamed.of(raw)
        if "id" not in raw:
            self.issue(node, _("missing {key}").format(key="'id'"), label)
        fields = self.mapping(node, CODE_KEYS, label)
        name = self.text_value(fields, "name", label)
        if "name" not in fields:
            self.issue(node, _("missing {key}").format(key="'name'"), label)
        elif not name:
            self.issue(fields["name"][0], _("{key} is empty").format(key="'name'"), label)
        keywords = self.text_list(fields, "keywords", label)
        if keywords:
            for item in fields["keywords"][1].value:
                problem = keyword_problem(item.value) if isinstance(item, ScalarNode) and item.value.strip() else None
                if problem:
                    self.issue(item, problem, label)
        color = self.color(fields, label)
        code = Code(
            id=code_id or "",
            name=name,
            parent_id=parent_id,
            definition=self.text_value(fields, "definition", label),
            include=self.text_value(fields, "include", label),
            exclude=self.text_value(fields, "exclude", label),
            examples=self.text_list(fields, "examples", label),
            keywords=keywords,
            color=color,
            line=line,
        )
        self.codes.append(code)
        if "children" in fields:
            key, children = fields["children"]
            if isinstance(children, ScalarNode) and children.tag == _NULL_TAG:
                return
            if not isinstance(children, SequenceNode):
                self.issue(key, _("'children' must be a list of codes"), label)
            else:
                self.code_list(children, code_id)

    def code_id(self, raw: dict[str, Node]) -> str | None:
        """The code's id if it has a usable one (problems with it are reported here)."""
        value = raw.get("id")
        if value is None:
            return None
        if not isinstance(value, ScalarNode):
            self.issue(value, _("'{key}' must be text, not a list or mapping").format(key="id"), _Unnamed.of(raw))
            return None
        if value.tag == _NULL_TAG or not value.value.strip():
            self.issue(value, _("{key} is empty").format(key="'id'"), _Unnamed.of(raw))
            return None
        code_id = value.value.strip()
        if not ID_PATTERN.match(code_id):
            self.issue(
                value,
                _("bad id: use only ASCII letters, digits, '_', '-' and '.', starting with a letter or digit"),
                code_id,
            )
        if code_id in self.first_line:
            self.issue(value, _("duplicate id (first used at line {line})").format(line=self.first_line[code_id]), code_id)
        else:
            self.first_line[code_id] = value.start_mark.line + 1
        return code_id

    def color(self, fields: dict, code_id: _Label) -> str | None:
        if "color" not in fields:
            return None
        key, value = fields["color"]
        if isinstance(value, ScalarNode) and value.tag == _NULL_TAG:
            # "color: #1f77b4" unquoted: YAML reads everything after '#' as a comment.
            line = self.lines[key.start_mark.line] if key.start_mark.line < len(self.lines) else ""
            if "#" in line[key.end_mark.column :]:
                self.issue(key, _('colour is read as a YAML comment: put it in quotes, e.g. color: "#1f77b4"'), code_id)
            return None
        colour = self.text_value(fields, "color", code_id)
        if colour and not COLOR_PATTERN.match(colour):
            self.issue(value, _('bad colour {colour}: use a hex colour such as "#1f77b4"').format(colour=quote(colour)), code_id)
            return None
        return colour or None


@dataclass(frozen=True)
class _Unnamed:
    """A code without a usable id, named in messages by its name if it has one."""

    name: str | None

    @classmethod
    def of(cls, raw: dict[str, Node]) -> "_Unnamed":
        name = raw.get("name")
        if isinstance(name, ScalarNode) and name.tag != _NULL_TAG and name.value.strip():
            return cls(name.value.strip())
        return cls(None)

    def describe(self) -> str:
        return _("code without id (name {name})").format(name=quote(self.name)) if self.name else _("code without id or name")


# How a problem names its code: the id, a code without id, or nothing (top level).
_Label = "str | _Unnamed | None"
