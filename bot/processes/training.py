"""Training the Rasa model only when its inputs change, keyed on a hash of their content."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

# What the model is made from. Python files in nlu/ (the safety screen) are code, not training data; the sentence
# encoder's meta.json carries its weights' checksum, so new weights mean a new model.
TRAINING_FILES = ("config.yml", "nlu/encoder/model/meta.json")
TRAINING_FOLDERS = ("domain", "nlu", "stories")
MODEL_PREFIX = "nightlight-"


class TrainingFailed(RuntimeError):
    """`rasa train` exited with an error."""


def training_inputs(root: Path) -> list[Path]:
    """Every file the model is trained from, in a stable order."""
    files = [root / name for name in TRAINING_FILES]
    for folder in TRAINING_FOLDERS:
        files.extend(sorted(p for p in (root / folder).rglob("*") if p.suffix in {".yml", ".yaml"}))
    return files


def training_hash(root: Path) -> str:
    """A hash of the training inputs' names and contents."""
    digest = hashlib.sha256()
    for path in training_inputs(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path, models_dir: Path) -> Path:
    """Where the model for the current training inputs lives."""
    return models_dir / f"{MODEL_PREFIX}{training_hash(root)}.tar.gz"


def rasa_environment() -> dict[str, str]:
    """Environment for Rasa processes: no telemetry, quieter TensorFlow."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore",
        PYTHONPATH=os.pathsep.join(p for p in (str(Path.cwd()), env.get("PYTHONPATH", "")) if p),
    )
    return env


def ensure_model(root: Path, models_dir: Path, rasa_bin: Path, force: bool = False) -> tuple[Path, bool]:
    """Return the model for the current inputs, training it first if it is missing; (path, trained)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    target = model_path(root, models_dir)
    # One trainer at a time: `make run` and `make test` may start together.
    with open(models_dir / ".train.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists() and not force:
            return target, False
        command = [
            str(rasa_bin),
            "train",
            "--config",
            str(root / "config.yml"),
            "--domain",
            str(root / "domain"),
            "--data",
            *(str(root / f) for f in ("nlu", "stories")),
            "--out",
            str(models_dir),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ]
        print(f"Training the Rasa model ({target.name}); this takes a few minutes...", file=sys.stderr)
        env = rasa_environment()
        env["PYTHONPATH"] = str(root)
        result = subprocess.run(command, cwd=root, env=env, check=False)
        if result.returncode != 0 or not target.exists():
            raise TrainingFailed(f"rasa train exited with status {result.returncode}; see its output above")
        prune_models(models_dir, keep=3)
        return target, True


def prune_models(models_dir: Path, keep: int) -> None:
    """Delete all but the newest `keep` models."""
    models = sorted(models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in models[keep:]:
        old.unlink()
