"""Lazy package namespaces (PEP 562): each public name is imported from its home on first use.

``riff_api`` and ``riff_api.testing`` both load nothing until a name is asked for (the pytest
plugin and ``riff --help`` import them on every start); this is their one mechanism.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from typing import Any

__all__ = ["lazy_namespace"]


def lazy_namespace(
    namespace: MutableMapping[str, Any],
    homes: Mapping[str, str],
    *,
    submodules: Sequence[str] = (),
    rename: tuple[type, ...] = (type,),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the package whose ``globals()`` is ``namespace``.

    ``homes`` maps each public name to the module defining it (relative names are resolved
    against the package); ``submodules`` are reached as attributes too. A value that is an
    instance of ``rename`` and comes from one of the package's private modules is shown as
    the package's own (``riff_api.Riffusion``, not ``riff_api._client.Riffusion``) in reprs,
    tracebacks and docs. Each value is stored in ``namespace``, so it is looked up once.
    """
    package: str = namespace["__name__"]
    public: Sequence[str] = namespace["__all__"]

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            if name in submodules:
                return importlib.import_module(f"{package}.{name}")
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        if isinstance(value, rename) and value.__module__.startswith(f"{package}._"):
            value.__module__ = package
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *public})

    return __getattr__, __dir__
