"""GGUF files in: the errors a user meets before any conversion (the real conversion: tests/realmodel)."""

import pytest

from privatune.config import RunConfig
from privatune.gguf_import import cached_checkpoint, import_gguf, is_gguf, packaged_gguf
from privatune.model import ModelError, resolve_model_dir


def test_model_setting_routes_gguf_files_and_directories(tmp_path, tiny_model_dir):
    assert is_gguf("m/SmolLM2.Q4_1.GGUF") and not is_gguf(tiny_model_dir)
    assert resolve_model_dir(RunConfig(model=str(tiny_model_dir))) == tiny_model_dir
    with pytest.raises(ModelError, match="GGUF file .*missing.gguf does not exist"):
        resolve_model_dir(RunConfig(model=str(tmp_path / "missing.gguf")))


def test_a_file_that_is_not_gguf_names_the_file_and_what_to_do(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"not a gguf file at all" * 10)
    with pytest.raises(ModelError, match=r"model\.gguf: transformers could not load this GGUF file") as info:
        cached_checkpoint(bad)
    assert "checkpoint directory" in str(info.value)


def test_import_refuses_a_non_empty_output_directory(tmp_path):
    src = tmp_path / "m.gguf"
    src.write_bytes(b"x")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ModelError, match="not empty"):
        import_gguf(src, out)
    assert (out / "keep.txt").read_text() == "mine"


def test_packaged_gguf_finds_nothing_in_a_package_without_one():
    assert packaged_gguf("json") is None and packaged_gguf("no_such_package_xyz") is None


def test_client_resources_come_from_the_run_config():
    from privatune.config import ConfigError
    from privatune.demo import client_resources

    assert client_resources(RunConfig.from_flower({})) == {"num_cpus": 1.0, "num_gpus": 0.0}
    assert client_resources(RunConfig.from_flower({"client-cpus": 0.5, "client-gpus": 0.25})) == \
        {"num_cpus": 0.5, "num_gpus": 0.25}
    for bad in ({"client-cpus": 0}, {"client-cpus": "many"}, {"client-gpus": -2}):  # -1 = auto
        with pytest.raises(ConfigError, match="client-"):
            client_resources(RunConfig.from_flower(bad))
