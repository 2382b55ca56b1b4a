import tomllib
from pathlib import Path

import pytest

from privatune.config import DEFAULTS, ConfigError, RunConfig


def test_pyproject_flower_config_repeats_the_defaults():
    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert pyproject["tool"]["flwr"]["app"]["config"] == DEFAULTS


def test_from_flower_coerces_dashed_keys_and_keeps_unknown_ones():
    config = RunConfig.from_flower({"num-rounds": "5", "learning-rate": 1, "my-module-key": 0.7})
    assert config.num_rounds == 5 and config.learning_rate == 1.0
    assert config.extra == {"my-module-key": 0.7}
    assert config.to_flower()["num-rounds"] == 5


@pytest.mark.parametrize("values, message", [
    ({"num-rounds": 0}, "num-rounds"),
    ({"num-rounds": "three"}, "num-rounds"),
    ({"local-steps": 2.5}, "local-steps"),
    ({"fraction-train": 1.5}, "fraction-train"),
    ({"lora-target-modules": " , "}, "lora-target-modules"),
])
def test_bad_values_name_the_key(values, message):
    with pytest.raises(ConfigError, match=message):
        RunConfig.from_flower(values)


def test_sections_are_built_once_from_their_keys():
    config = RunConfig.from_flower({"dp": "false", "target-epsilon": 3, "secagg-threshold": 0.75,
                                    "secagg-degree": 0, "max-grad-norm": 2.0, "local-steps": 4})
    assert config.dp.enabled is False and config.dp.target_epsilon == 3.0
    assert config.secagg.threshold == 0.75 and config.secagg.degree is None  # 0 = automatic
    assert (config.secagg.clip_norm, config.secagg.local_steps) == (2.0, 4)  # the delta range follows training
    assert RunConfig.from_flower(config.to_flower()) == config
    with pytest.raises(ConfigError, match="secagg-threshold"):
        RunConfig.from_flower({"secagg-threshold": 0.3})
    with pytest.raises(ConfigError, match="accountant"):
        RunConfig.from_flower({"accountant": "gdp"})


def test_fingerprint_changes_with_identity_settings_only():
    keys = ("model", "lora_r")
    a = RunConfig.from_flower({"lora-r": 8, "num-rounds": 3})
    assert a.fingerprint(keys) == RunConfig.from_flower({"lora-r": 8, "num-rounds": 9}).fingerprint(keys)
    assert a.fingerprint(keys) != RunConfig.from_flower({"lora-r": 4}).fingerprint(keys)
