"""privatune.kernels.forwards: replace a module's forward or a module-level function, reach the
original, put it back; patching twice keeps the first original."""

from __future__ import annotations

import types

import torch
import torch.nn as nn

from privatune.kernels.forwards import is_replaced, original, replace_forward, restore


def test_module_forward_replaced_bound_and_restored():
    layer = nn.Linear(3, 2)
    x = torch.randn(4, 3)
    expected = layer(x)
    replace_forward(layer, lambda self, t: original(self)(t) * 2)
    replace_forward(layer, lambda self, t: original(self)(t) * 3)  # the original stays the class's
    assert is_replaced(layer)
    torch.testing.assert_close(layer(x), 3 * expected)
    assert restore(layer) and not is_replaced(layer) and "forward" not in vars(layer)
    torch.testing.assert_close(layer(x), expected)
    assert not restore(layer)


def test_instance_forward_and_module_functions():
    layer = nn.Identity()
    own = lambda t: t + 1  # noqa: E731  an instance-level forward set by someone else first
    layer.forward = own
    replace_forward(layer, lambda self, t: original(self)(t) * 10)
    assert layer(torch.tensor(1.0)) == 20
    restore(layer)
    assert layer.forward is own

    fake = types.ModuleType("fake_modeling")
    fake.apply = lambda v: v - 1
    stock = fake.apply
    replace_forward(fake, lambda v: original(fake, "apply")(v) * 5, "apply")
    assert fake.apply(3) == 10 and original(fake, "apply") is stock
    restore(fake, "apply")
    assert fake.apply is stock and not is_replaced(fake, "apply")
