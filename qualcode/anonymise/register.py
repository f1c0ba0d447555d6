"""The project register: the people, places and organisations a researcher knows about.

A YAML file the researcher keeps beside the project (or a CSV with the same
columns), so that every way of naming one person maps to one pseudonym::

    people:
      - name: Søren Sønderby Kjær
        aliases: [Søren, Søren S. Kjær, SSK, Kjær]
        gender: m                      # m/f: surrogates keep the gender
        role: kommunaldirektør         # used by the "role" operator
    places:
      - name: Vordingborg
        kind: kommune                  # kommune -> "[Kommune A]", else "[Sted 1]"
    organisations:
      - name: Lokalrådet i Nyråd
    keep: [Mark]                       # words never to mask in this project

CSV columns: ``type`` (person/place/kommune/org), ``name``, ``aliases``
(separated by ";"), ``gender``, ``role``; a row of type ``keep`` lists a word
never to mask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from qualcode.anonymise.spans import KIND_MUNICIPALITY, KIND_ORG, KIND_PERSON, KIND_PLACE
from qualcode.anonymise.tokens import entity_key, normalise_name
from qualcode.errors import InputError
from qualcode.i18n import gettext as _
from qualcode.tables import Rows, table_text
from qualcode.yaml_problems import yaml_problem

_KINDS = {
    "person": KIND_PERSON, "people": KIND_PERSON, "persons": KIND_PERSON,
    "place": KIND_PLACE, "places": KIND_PLACE, "sted": KIND_PLACE,
    "kommune": KIND_MUNICIPALITY, "municipality": KIND_MUNICIPALITY,
    "org": KIND_ORG, "organisation": KIND_ORG, "organization": KIND_ORG, "organisations": KIND_ORG,
}
_SECTION_KIND = {"people": KIND_PERSON, "places": KIND_PLACE, "organisations": KIND_ORG, "organizations": KIND_ORG}

# Speaker labels that are not names ("IP3", "Interviewer", "Deltager 2").
_GENERIC_LABELS = frozenset(
    """i ip int iv q interviewer intervieweren moderator facilitator ukendt unknown deltager informant
    respondent interviewperson spørger svar borger leder medarbejder chef direktør frivillig""".split()
)


@dataclass(frozen=True)
class RegisterEntity:
    """One person, place or organisation and every surface form that names it."""

    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None
    role: str | None = None
    source: str = "register"

    @property
    def key(self) -> str:
        return entity_key(self.kind, self.name)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Register:
    entities: tuple[RegisterEntity, ...] = ()
    keep: frozenset[str] = field(default_factory=frozenset)
    path: str | None = None

    def merged(self, other: "Register") -> "Register":
        """Both registers; an entity of ``other`` with the same key adds its aliases."""
        by_key: dict[str, RegisterEntity] = {e.key: e for e in self.entities}
        for e in other.entities:
            if e.key in by_key:
                old = by_key[e.key]
                aliases = tuple(dict.fromkeys(old.aliases + tuple(a for a in e.aliases if a != old.name)))
                by_key[e.key] = RegisterEntity(
                    old.kind, old.name, aliases, old.gender or e.gender, old.role or e.role, old.source
                )
            else:
                by_key[e.key] = e
        return Register(tuple(by_key.values()), self.keep | other.keep, self.path or other.path)

    @classmethod
    def from_participants(cls, participants: Iterable[Mapping[str, str]]) -> "Register":
        """People and municipalities named in participant metadata rows.

        Speaker labels that are names ("Pernille Juhl", "Henrik") become people
        with their title as role; the interviewer column likewise (role
        "interviewer"); the municipality column becomes a municipality.
        """
        entities: list[RegisterEntity] = []
        for row in participants:
            speaker = (row.get("speaker") or "").strip()
            if is_name_label(speaker):
                role = (row.get("title") or row.get("role") or "").strip() or None
                entities.append(RegisterEntity(KIND_PERSON, speaker, _name_parts(speaker), source="metadata", role=role))
            for label in (row.get("interviewer") or "").split(";"):
                label = label.strip()
                if is_name_label(label):
                    entities.append(
                        RegisterEntity(KIND_PERSON, label, _name_parts(label), source="metadata", role="interviewer")
                    )
            municipality = (row.get("municipality") or "").strip()
            if municipality:
                name = _strip_kommune(municipality)
                entities.append(RegisterEntity(KIND_MUNICIPALITY, name, (), source="metadata"))
        # A first-name label ("Anne") is the same person as a full-name label
        # with that first name and the same role ("Anne Winther", interviewer).
        full = [e for e in entities if " " in e.name]
        merged = []
        for e in entities:
            if " " not in e.name:
                same = [f for f in full if f.name.split()[0] == e.name and f.role == e.role]
                if len({f.key for f in same}) == 1:
                    e = RegisterEntity(e.kind, same[0].name, same[0].aliases, e.gender, e.role, e.source)
            merged.append(e)
        register = cls()
        for e in merged:
            register = register.merged(Register((e,)))
        return register


def is_name_label(label: str) -> bool:
    """True when a speaker label looks like a person's name, not "IP3" or "Interviewer"."""
    words = label.split()
    if not words or len(words) > 4:
        return False
    if label.casefold() in _GENERIC_LABELS or words[0].casefold() in _GENERIC_LABELS:
        return False
    return all(w[:1].isupper() and w.replace("-", "").isalpha() and not (w.isupper() and len(w) > 1) for w in words)


def _name_parts(name: str) -> tuple[str, ...]:
    """A full name's first and last name as aliases ("Pernille Juhl" -> Pernille, Juhl)."""
    parts = name.split()
    if len(parts) < 2:
        return ()
    return (parts[0], parts[-1])


def _strip_kommune(name: str) -> str:
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in ("kommune", "kommunes"):
        words = words[:-1]
    return " ".join(words)


def load_register(path: str | Path) -> Register:
    """Read a register file (.yaml/.yml or .csv); raises :class:`InputError` naming the fault."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, _("no such register file"))
    if path.suffix.lower() == ".csv":
        return _from_csv(path)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(path, _("a register must be a .yaml, .yml or .csv file"))
    text = table_text(path)
    try:
        data = yaml.safe_load(text) or {}
        lines = _item_lines(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise InputError(path, _("is not valid YAML: {problem}").format(problem=yaml_problem(exc)),
                         line=None if line is None else line + 1) from exc
    if not isinstance(data, dict):
        raise InputError(path, _("must be a mapping with the sections people, places, organisations, keep"))
    unknown = sorted(str(k) for k in set(data) - set(_SECTION_KIND) - {"keep"})
    if unknown:
        raise InputError(path, _("unknown section(s): {sections} (expected people, places, organisations, keep)").format(
            sections=", ".join(unknown)))
    entities = []
    for section, default_kind in _SECTION_KIND.items():
        items = data.get(section) or []
        at = lines.get(section, [None])  # the section's line, then each entry's
        if not isinstance(items, list):
            raise InputError(path, _("'{section}' must be a list of entries").format(section=section), line=at[0])
        for i, item in enumerate(items, 1):
            entities.append(_entity(path, f"{section}[{i}]", item, default_kind, at[i] if i < len(at) else None))
    keep = data.get("keep") or []
    if not isinstance(keep, list):
        raise InputError(path, _("'keep' must be a list of words"), line=lines.get("keep", [None])[0])
    keep = frozenset(str(w) for w in keep)
    register = Register(keep=keep, path=str(path))
    for e in entities:
        register = register.merged(Register((e,)))
    return register


def _item_lines(text: str) -> dict[str, list[int]]:
    """Line numbers for messages: each section's own line, then the line of each of its entries."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict[str, list[int]] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode):
                items = value.value if isinstance(value, yaml.SequenceNode) else []
                out[key.value] = [key.start_mark.line + 1] + [item.start_mark.line + 1 for item in items]
    return out


def _entity(path: Path, where: str, item, default_kind: str, line: int | None = None) -> RegisterEntity:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict) or not isinstance(item.get("name"), (str, int)) or not str(item.get("name")).strip():
        raise InputError(path, _("{where}: each entry needs a 'name'").format(where=where), line=line)
    kind = _KINDS.get(str(item.get("kind") or item.get("type") or default_kind).casefold())
    if kind is None:
        raise InputError(path, _("{where}: unknown kind {kind!r} (use person, place, kommune or org)").format(
            where=where, kind=item.get("kind")), line=line)
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a.strip() for a in aliases.split(";")]
    if not isinstance(aliases, list) or not all(isinstance(a, (str, int)) for a in aliases):
        raise InputError(path, _("{where}: 'aliases' must be a list of names (or names separated by ';')").format(where=where),
                         line=line)
    gender = item.get("gender") or None
    if gender is not None and str(gender) not in ("m", "f"):
        raise InputError(path, _("{where}: gender must be 'm' or 'f', not {gender!r}").format(where=where, gender=gender),
                         line=line)
    name = str(item["name"]).strip()
    parts = _name_parts(name) if kind == KIND_PERSON else ()
    aliases = tuple(dict.fromkeys(str(a).strip() for a in (*aliases, *parts) if str(a).strip() and str(a).strip() != name))
    return RegisterEntity(kind, name, aliases, str(gender) if gender else None, str(item.get("role") or "") or None)


def _from_csv(path: Path) -> Register:
    reader = Rows(path)
    columns = reader.fieldnames
    if "name" not in columns or "type" not in columns:
        raise InputError(path, _("needs the columns type and name (found: {columns})").format(
            columns=", ".join(columns) or _("none")), line=1)
    entities, keep = [], set()
    for line, row in reader:
        row = {k: v.strip() for k, v in row.items()}
        if not row.get("name"):
            continue
        if row["type"].casefold() == "keep":
            keep.add(row["name"])
            continue
        if row["type"].casefold() not in _KINDS:
            raise InputError(path, _("unknown type {type!r} (use person, place, kommune, org or keep)").format(type=row["type"]),
                             line=line)
        entities.append(_entity(path, _("line {line}").format(line=line), {**row, "kind": row["type"]}, KIND_PERSON, line))
    register = Register(keep=frozenset(keep), path=str(path))
    for e in entities:
        register = register.merged(Register((e,)))
    return register


def normalised_forms(entity: RegisterEntity) -> set[str]:
    return {normalise_name(f) for f in entity.forms}
