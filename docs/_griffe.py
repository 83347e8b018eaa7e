"""A griffe extension for the API reference: the Sphinx habits of this project's docstrings.

* Roles. ``:func:`serve` `` and ``:class:`~riff_api.emulator.EmulatorSettings` `` become
  the cross-references mkdocstrings checks, ``[`serve`][serve]`` (a name is looked up
  from where the docstring is, as Python would: the ``scoped_crossrefs`` option) and
  ``[`EmulatorSettings`][riff_api.emulator.EmulatorSettings]``. A role naming nothing is
  then a warning, and the strict build fails on it.
* ``#:`` comments. The code documents constants with ``#:`` lines just above them (the
  Sphinx convention), which griffe does not read: they become the attribute's docstring.
* Re-exports by assignment. ``Prompt = _generated.Prompt`` hands on a class made elsewhere
  (here, by the code generator) as an import would; griffe sees an attribute whose value is
  ``_generated.Prompt``. It becomes an alias of that class, so that ``riff_api.Prompt`` is
  documented as the class it is.

Only the ``riff_api`` package is touched.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PACKAGE = "riff_api"
#: Where a re-exported class may come from: this project's own packages, never a third party's.
_OWN = ("riff_api.", "riff_api_generated.")
_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj|exc):`(~?)([\w.]+)`")


def markdown_roles(text: str) -> str:
    """Sphinx roles as Markdown cross-references (``~`` keeps only the last name as title)."""

    def reference(match: re.Match[str]) -> str:
        short, target = match.groups()
        title = target.rsplit(".", 1)[-1] if short else target
        return f"[`{title}`][{target}]"

    return _ROLE.sub(reference, text)


class ProjectConventions(griffe.Extension):
    """Sphinx roles as cross-references, ``#:`` comments as docstrings, re-exports as aliases."""

    def on_attribute_instance(self, *, attr: griffe.Attribute, **_: Any) -> None:
        if attr.docstring is not None or attr.lineno is None:
            return
        if not attr.path.startswith(_PACKAGE + "."):
            return
        lines = attr.parent.lines if attr.parent is not None else []
        comment: list[str] = []
        index = attr.lineno - 2  # the line above, counting from zero
        while 0 <= index < len(lines) and lines[index].lstrip().startswith("#:"):
            comment.insert(0, lines[index].lstrip()[2:].strip())
            index -= 1
        if comment:
            attr.docstring = griffe.Docstring(
                " ".join(comment), lineno=index + 2, endlineno=attr.lineno - 1, parent=attr
            )

    def on_package(self, *, pkg: griffe.Module, **_: Any) -> None:
        if pkg.path != _PACKAGE:
            return
        _convert_roles(pkg)
        for module in _modules(pkg):
            for name, member in list(module.members.items()):
                if member.is_alias or not member.is_attribute:
                    continue
                value = getattr(member, "value", None)
                if not isinstance(value, griffe.ExprAttribute) or member.docstring is not None:
                    continue
                target = value.canonical_path
                if target.startswith(_OWN) and target != member.path:
                    module.set_member(name, griffe.Alias(name, target, parent=module))


def _convert_roles(obj: griffe.Object) -> None:
    if obj.docstring is not None:
        obj.docstring.value = markdown_roles(obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias:
            _convert_roles(member)


def _modules(module: griffe.Module) -> list[griffe.Module]:
    found = [module]
    for member in module.modules.values():
        if not member.is_alias:
            found += _modules(member)
    return found
