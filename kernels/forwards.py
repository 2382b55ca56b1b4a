"""Replacing a forward (or a module-level function) and putting it back: ONE mechanism for kernels/.

    replace_forward(owner, new, name="forward")   owner.<name> = new (bound when owner is an nn.Module)
    original(owner, name="forward")                what was there before the first replacement
    restore(owner, name="forward")                 put it back

Used for the patched RMSNorm / MLP / attention forwards (`patch.py`), the routed PEFT LoRA layers
(`peft_routing.py`) and RoPE's process-wide `apply_rotary_pos_emb` (a function of a modeling
module: `owner` is that Python module). The first original is kept once, so patching twice
never wraps a wrapper, and every replaced piece can reach the original to fall back to it.
"""

from __future__ import annotations

import types

import torch.nn as nn

_ORIGINALS = "_privatune_originals"  # on the owner: {name: original}


def _originals(owner) -> dict:
    return vars(owner).get(_ORIGINALS) or {}


def is_replaced(owner, name: str = "forward") -> bool:
    return name in _originals(owner)


def replace_forward(owner, new, name: str = "forward") -> None:
    """Install `new` as `owner.<name>` (an nn.Module gets it as a bound method), keeping the original."""
    originals = vars(owner).get(_ORIGINALS)
    if originals is None:
        originals = {}
        # object.__setattr__: a plain attribute even on an nn.Module (never a submodule or buffer)
        object.__setattr__(owner, _ORIGINALS, originals)
    if name not in originals:
        # None marks "the class's own method" (nothing in the instance dict), so restore deletes ours.
        originals[name] = vars(owner).get(name) if isinstance(owner, nn.Module) else getattr(owner, name)
    setattr(owner, name, types.MethodType(new, owner) if isinstance(owner, nn.Module) else new)


def original(owner, name: str = "forward"):
    """The callable that was `owner.<name>` before `replace_forward` (the current one if never replaced)."""
    originals = _originals(owner)
    if name not in originals:
        return getattr(owner, name)
    saved = originals[name]
    return saved if saved is not None else getattr(type(owner), name).__get__(owner, type(owner))


def restore(owner, name: str = "forward") -> bool:
    """Put the original back; True if something was replaced."""
    originals = _originals(owner)
    if name not in originals:
        return False
    saved = originals.pop(name)
    if saved is None:
        vars(owner).pop(name, None)  # the class's method shows through again
    else:
        setattr(owner, name, saved)
    return True
