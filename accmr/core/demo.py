"""Demo data, loaded by `seed_demo` from each app that registers a loader.

core sits below the apps that own the data, so each registers its loader from its
AppConfig.ready(); `seed_demo` runs them in order in one transaction. The data itself
lives in readable TOML files with named keys beside each loader; loaders build rows
through the models (so search text and sort keys are computed), never as raw fixtures.
"""

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path


@dataclass
class DemoRun:
    """What one `seed_demo` run shares with every loader."""

    today: date
    scale: int  # --scale N: add synthetic volume (N=250 → about 20,000 services)
    say: Callable[[str], None]
    # Anything a loader leaves for the later ones (the organisations by key, …).
    shared: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[[DemoRun], None]
    order: int = 100


_loaders: list[DemoLoader] = []


def register_demo(name: str, load: Callable[[DemoRun], None], order: int = 100) -> None:
    if not any(loader.name == name for loader in _loaders):
        _loaders.append(DemoLoader(name, load, order))
        _loaders.sort(key=lambda loader: loader.order)


def demo_loaders() -> list[DemoLoader]:
    return list(_loaders)


def read_toml(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


def offset(index: int) -> Decimal:
    """A small, repeatable offset (±0.002°) so pins in one neighbourhood do not overlap."""
    return Decimal((index * 37) % 41 - 20) / Decimal(10000)
