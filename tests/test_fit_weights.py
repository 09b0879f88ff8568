"""bench/fit_weights.py: further question files as training sets, each set held out in turn."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from bot.answering.scoring import FEATURES


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "fit_weights.py"
    spec = importlib.util.spec_from_file_location("fit_weights_under_test", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def _item(fw: ModuleType, name: str, good: str) -> object:
    """Two candidates; the right one is high on `good` (the other on bm25_topic)."""
    X = np.zeros((2, len(FEATURES)))
    X[:, 0] = 1.0
    X[0, FEATURES.index(good)] = 1.0
    X[1, FEATURES.index("bm25_topic")] = 0.5
    return fw.Item(name, True, "other", X, np.array([1.0, 0.0]), has_topic=False)


def test_each_further_set_is_held_out_by_weights_fitted_without_it() -> None:
    fw = _bench()
    items = [_item(fw, s, "bm25_question") for s in ("a", "b") for _ in range(3)]
    items += [_item(fw, "fresh", "bm25_question") for _ in range(2)]
    only = fw.held_out_by(items, ["a", "b"])
    assert set(only) == {"a", "b", "fresh"}
    assert only["fresh"][:2] == (2, 2)  # fitted on a and b, scored on the fresh set
    every = fw.cross_validate(items)
    assert set(every) == {"a", "b", "fresh"}
    table = fw.compare(only, every)
    assert "fresh" in table and "2/2" in table
