"""The cache folder (dlhelpers.data.cache) inside the repository, overridden, and in a released
copy outside it; what ships to students imports nothing heavy; datasets/ holds data cards, not code."""
import shutil
import subprocess


from dlhelpers import data
from dlhelpers.data import (
    default_cache_dir,
)

from tests.support import REPO_ROOT


def test_default_cache_dir_inside_the_repository_and_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv(data.CACHE_ENV_VAR, raising=False)
    assert default_cache_dir() == REPO_ROOT / "datasets" / "cache"
    monkeypatch.setenv(data.CACHE_ENV_VAR, str(tmp_path / "meu_cache"))
    assert default_cache_dir() == tmp_path / "meu_cache"


def test_released_copy_caches_in_the_home_and_imports_nothing_heavy(tmp_path, run_released_helpers):
    result = run_released_helpers("""
        import sys
        import dlhelpers.data as data
        print(data.default_cache_dir())
        print(sorted(m for m in ("tensorflow", "keras", "solutions", "autograder", "kaggle", "sklearn")
                     if m in sys.modules))
    """)
    assert result.returncode == 0, result.stderr
    cache, imported = result.stdout.split("\n")[:2]
    assert cache == str(tmp_path / "home" / ".cache" / "dlgrade")
    assert imported == "[]"


def test_no_python_package_named_datasets():
    folder = REPO_ROOT / "datasets"
    assert not list(folder.glob("*.py")) and not (folder / "__init__.py").exists()
    cards = ["README.md", "elpv.md", "breast_cancer.md", "chest_xray_pneumonia.md", "plantvillage.md",
             "malaria_cells.md"]
    for card in cards:
        text = (folder / card).read_text(encoding="utf-8")
        assert "\n## Para estudantes\n" in text, card
        if card != "README.md":
            for section in ("Source", "License", "Classes and counts", "How to cite",
                            "Split protocol used in the course", "Pitfalls"):
                assert f"\n## {section}" in text, (card, section)
    if shutil.which("git") and (REPO_ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", "datasets/cache/x.zip"], cwd=REPO_ROOT)
        assert ignored.returncode == 0, "datasets/cache/ must be ignored by git"


# --------------------------------------------------------------------------------------------
# Kaggle
