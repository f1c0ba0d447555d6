"""PyYAML's syntax errors in the user's language.

PyYAML explains a syntax error in English ("while parsing a flow sequence",
"expected ',' or ']', but got '<stream end>'"), and that explanation would
stand inside a Danish line. Its messages are a short, fixed set, so each is
matched here and translated; the quoted token it names ('-', '<stream end>')
is kept as PyYAML wrote it. A message this table does not know is kept in
English rather than dropped: it still says what went wrong.
"""

from __future__ import annotations

import re

import yaml

from qualcode.i18n import N_, gettext

# What PyYAML was reading when it failed (``exc.context``).
_CONTEXTS = {
    "while scanning a simple key": N_("in a key"),
    "while scanning a quoted scalar": N_("in a quoted text"),
    "while scanning a double-quoted scalar": N_("in a quoted text"),
    "while scanning a block scalar": N_("in a block of text (| or >)"),
    "while scanning an alias": N_("in an alias (*name)"),
    "while scanning an anchor": N_("in an anchor (&name)"),
    "while scanning a tag": N_("in a tag (!name)"),
    "while parsing a tag": N_("in a tag (!name)"),
    "while scanning a directive": N_("in a directive (%)"),
    "while scanning for the next token": N_("between two values"),
    "while parsing a block mapping": N_("in a list of 'key: value' lines"),
    "while parsing a block collection": N_("in a list of '- ' lines"),
    "while parsing a flow sequence": N_("in a list in [ ]"),
    "while parsing a flow mapping": N_("in a mapping in { }"),
    "while parsing a flow node": N_("in a value in [ ] or { }"),
    "while parsing a block node": N_("in a value"),
    "while parsing a node": N_("in a value"),
    "while composing a mapping": N_("in a list of 'key: value' lines"),
}

# The problem (``exc.problem``): a pattern, and the message its groups fill in.
_PROBLEMS = [
    (r"mapping values are not allowed here", N_("a 'key: value' is not allowed here (is a ':' or an indentation wrong?)")),
    (r"mapping keys are not allowed here", N_("a key is not allowed here")),
    (r"could not find expected ':'", N_("the ':' after a key is missing")),
    (r"found character (?P<token>.+) that cannot start any token", N_("the character {token} cannot stand here")),
    (r"found undefined alias (?P<token>.+)", N_("unknown alias {token}")),
    (r"found duplicate anchor (?P<token>.+); first occurrence", N_("the anchor {token} is defined twice")),
    (r"found unknown escape character (?P<token>.+)", N_("unknown escape character {token}")),
    (r"found unexpected end of stream", N_("the file ends inside a value (is a quotation mark or bracket not closed?)")),
    (r"found unexpected document separator", N_("a '---' or '...' inside a value")),
    (r"expected (?P<expected>.+), but (?:found|got) (?P<token>.+)", N_("expected {expected}, found {token}")),
    (r"expected a single document in the stream", N_("more than one YAML document (only one is allowed)")),
]
_COMPILED = [(re.compile(pattern + "$"), message) for pattern, message in _PROBLEMS]
# Words inside "expected ... but found ...": "',' or ']'" reads "',' eller ']'" in Danish.
_OR = re.compile(r"(?<=') or (?=')")


def _problem(text: str) -> str:
    for pattern, message in _COMPILED:
        match = pattern.match(text)
        if match:
            fields = match.groupdict()
            if "expected" in fields:
                fields["expected"] = _OR.sub(" " + gettext("or") + " ", fields["expected"])
            return gettext(message).format(**fields)
    return text


def yaml_problem(exc: yaml.YAMLError) -> str:
    """What a PyYAML error says went wrong, translated (without the line: the caller names it)."""
    context = getattr(exc, "context", None)
    problem = getattr(exc, "problem", None)
    if problem is None and context is None:
        return str(exc)
    parts = []
    if context:
        parts.append(gettext(_CONTEXTS[context]) if context in _CONTEXTS else context)
    if problem:
        parts.append(_problem(problem))
    return ": ".join(parts)


__all__ = ["yaml_problem"]
