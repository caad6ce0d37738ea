"""The tests a rule's condition may use: the marked functions of the modules listed here.

Like a plugin list, this is the one place that says which code conditions can call; nothing
registers itself by being imported. A test is found by name when a policy file is loaded, so
a misspelt test is an error that names the rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from types import ModuleType

from corridor.policy import predicates
from corridor.policy.context import SPEC_ATTRIBUTE, PredicateSpec

#: Modules whose :func:`~corridor.policy.context.predicate`-marked functions are the tests.
DEFAULT_PREDICATE_MODULES: tuple[ModuleType, ...] = (predicates,)


class PredicateRegistry(Mapping[str, PredicateSpec]):
    """Tests by name, in the order their modules define them."""

    def __init__(self, specs: Iterable[PredicateSpec]) -> None:
        self._specs: dict[str, PredicateSpec] = {}
        for spec in specs:
            if spec.name in self._specs:
                raise ValueError(f"two tests are named {spec.name!r}")
            self._specs[spec.name] = spec

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType]) -> PredicateRegistry:
        return cls(
            spec
            for module in modules
            for value in vars(module).values()
            if isinstance(spec := getattr(value, SPEC_ATTRIBUTE, None), PredicateSpec)
        )

    def __getitem__(self, name: str) -> PredicateSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


@cache
def default_registry() -> PredicateRegistry:
    """The tests of :data:`DEFAULT_PREDICATE_MODULES`."""
    return PredicateRegistry.from_modules(DEFAULT_PREDICATE_MODULES)
