"""One profile per assignment: read from assignments/<id>/profile.toml, used by the course
configuration, the sandbox limits, the handed-in files and the build. A new assignment is a new
folder: the fictitious one here needs no edit anywhere else."""
import pytest

from autograder.authoring.builder import BuildError, assignment_ids, build_source_notebook, write_source_folder
from autograder.authoring.profiles import Profile, ProfileError, load_profile
from autograder.course.create import config_text
from autograder.paths import ASSIGNMENTS_DIR
from autograder.sandbox.trusted_side import Limits

HEADER = "# ---\n# jupyter:\n#   kernelspec:\n#     display_name: Python 3\n#     language: python\n#     name: python3\n# ---\n\n"
FICTITIOUS = "z9_ficticia"


def new_assignment(root, profile_text, body='# %%\nimport numpy as np\n\n# %% exercise="sigmoid" points=2\n'):
    folder = root / FICTITIOUS
    folder.mkdir(parents=True)
    (folder / f"{FICTITIOUS}.py").write_text(HEADER + body, encoding="utf-8")
    (folder / "profile.toml").write_text(profile_text, encoding="utf-8")
    return root


def test_a_new_folder_with_a_profile_is_a_new_assignment(tmp_path):
    root = new_assignment(tmp_path / "assignments", 'keras = true\ncell_timeout = 77\nmemory_gib = 2\n'
                          'call_timeout = 9\nhanded_in = ["saida.csv"]\nhidden_packages = ["nenhum_pacote"]\n',
                          body='# %%\nimport numpy as np\n\n# %% exercise="sigmoid" points=2\n\n'
                               '# %%\nnp.savetxt("saida.csv", [1.0])\n')
    assert assignment_ids(root) == [FICTITIOUS]
    profile = load_profile(FICTITIOUS, root)
    assert (profile.keras, profile.cell_timeout, profile.memory_bytes, profile.handed_in) == (True, 77, 2 << 30, ("saida.csv",))
    limits = profile.limits()
    assert isinstance(limits, Limits) and (limits.memory_bytes, limits.call_timeout) == (2 << 30, 9.0)
    assert profile.limits(call_timeout=3.0).call_timeout == 3.0  # the course's override wins
    assert "z9_ficticia: 77 s per cell, 9 s per call, 2 GiB" in config_text(None, [FICTITIOUS], root)
    path = write_source_folder(FICTITIOUS, tmp_path / "source" / FICTITIOUS, root)
    assert path.is_file() and not (path.parent / "profile.toml").exists()  # never shipped to students


def test_a_keras_profile_gets_tensorflow_limits_unless_it_sets_its_own(tmp_path):
    from autograder.authoring.profiles import KERAS_DEFAULTS

    root = new_assignment(tmp_path / "assignments", "keras = true\ncell_timeout = 900\n")
    profile = load_profile(FICTITIOUS, root)
    assert profile.cell_timeout == 900 and profile.threads == KERAS_DEFAULTS["threads"] > 0
    assert profile.memory_gib == KERAS_DEFAULTS["memory_gib"] > Profile("x").memory_gib


def test_missing_profile_means_defaults(tmp_path):
    root = tmp_path / "assignments"
    (root / "z8_sem_perfil").mkdir(parents=True)
    assert load_profile("z8_sem_perfil", root) == Profile("z8_sem_perfil")


@pytest.mark.parametrize("text,message", [
    ("memory = 3\n", "unknown key"),
    ("keras = 1\n", "true or false"),
    ("cell_timeout = -5\n", "non-negative"),
    ('handed_in = "a.csv"\n', "list of strings"),
    ("keras = \n", "profile.toml"),
])
def test_profile_mistakes_are_named(tmp_path, text, message):
    root = new_assignment(tmp_path / "assignments", text)
    with pytest.raises(ProfileError, match=message):
        load_profile(FICTITIOUS, root)


def test_a_handed_in_file_the_notebook_never_writes_is_a_build_error(tmp_path):
    root = new_assignment(tmp_path / "assignments", 'handed_in = ["previsoes.csv"]\n')
    with pytest.raises(BuildError, match="previsoes.csv"):
        build_source_notebook(FICTITIOUS, root)


def test_the_course_profiles():
    """What the real assignments declare: Keras notebooks get TensorFlow's resources, the final
    project hands in its predictions, and ELPV is hidden where a suite judges on it."""
    profiles = {a: load_profile(a) for a in assignment_ids()}
    assert {a for a, p in profiles.items() if p.keras} == {"a6_cnn_keras", "a7_autoencoder", "projeto_final"}
    assert profiles["projeto_final"].handed_in == ("predicoes_teste.csv",)
    assert "elpv_dataset" in profiles["a6_cnn_keras"].hidden_packages
    assert "elpv_dataset" in profiles["a7_autoencoder"].hidden_packages
    for assignment, profile in profiles.items():
        assert profile.source == ASSIGNMENTS_DIR / assignment / "profile.toml"
        if not profile.keras:
            assert profile.limits().threads == 0
