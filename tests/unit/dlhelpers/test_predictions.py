"""The predictions file of the final project (dlhelpers.predictions): written and read back the
same, malformed files named in Portuguese, metrics recomputed with scikit-learn."""
import numpy as np
import pytest

from dlhelpers.checks import CheckFailed
from dlhelpers.predictions import (PredictionsFileError, check_saved_predictions, prediction_summary,
                                   read_predictions, save_predictions)


def test_round_trip_keeps_ids_and_labels(tmp_path):
    y_true = np.array([0, 1, 2] * 10)
    y_pred = np.roll(y_true, 1)
    names = ("benigno", "maligno", "normal")
    path = save_predictions(tmp_path / "p.csv", y_true, y_pred, names, ids=[f"img_{i}.jpg" for i in range(30)])
    ids, got_true, got_pred, classes = read_predictions(path)
    assert classes == sorted(names) and ids[0] == "img_0.jpg"
    assert [classes[k] for k in got_true] == [names[k] for k in y_true]
    assert [classes[k] for k in got_pred] == [names[k] for k in y_pred]


def test_summary_matches_scikit_learn(tmp_path):
    from sklearn.metrics import balanced_accuracy_score, f1_score

    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 50)
    y_pred = np.where(rng.random(50) < 0.8, y_true, 1 - y_true)
    summary = prediction_summary(save_predictions(tmp_path / "p.csv", y_true, y_pred, ("a", "b")))
    assert summary["n"] == 50 and summary["accuracy"] == pytest.approx(np.mean(y_true == y_pred))
    assert summary["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    assert summary["macro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro"))
    assert summary["majority_accuracy"] == pytest.approx(np.bincount(y_true).max() / 50)


@pytest.mark.parametrize("content,message", [
    (None, "não foi encontrado"),
    ("a,b,c\n", "cabeçalho id,verdadeiro,previsto"),
    ("id,verdadeiro,previsto\n1,gato\n", "linha 2"),
    ("id,verdadeiro,previsto\n" + "".join(f"{i},a,b\n" for i in range(5)), "só 5 previsões"),
])
def test_malformed_files_are_named(tmp_path, content, message):
    path = tmp_path / "predicoes_teste.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(PredictionsFileError, match=message) as error:
        read_predictions(path)
    assert "predicoes_teste.csv" in str(error.value)


def test_bad_labels_are_refused_when_saving(tmp_path):
    with pytest.raises(ValueError, match="argmax"):
        save_predictions(tmp_path / "p.csv", [0, 1], [0.2, 0.9], ("a", "b"))


def test_visible_check_prints_the_metrics_or_stops(tmp_path, capsys):
    y = np.arange(40) % 2
    path = save_predictions(tmp_path / "predicoes_teste.csv", y, y, ("a", "b"))
    check_saved_predictions(path)
    assert "✔ predicoes_teste.csv: 40 previsões" in capsys.readouterr().out
    with pytest.raises(CheckFailed, match="não foi encontrado"):
        check_saved_predictions(tmp_path / "outro.csv")


def test_the_summary_counts_each_class_and_reads_in_a_few_lines(tmp_path):
    from dlhelpers.predictions import describe_summary

    y_true = np.array([0] * 40 + [1] * 60)
    summary = prediction_summary(save_predictions(tmp_path / "p.csv", y_true, np.ones(100, dtype=int), ("a", "b")))
    assert summary["true_counts"] == [40, 60] and summary["predicted_counts"] == [0, 100]
    text = describe_summary(summary)
    assert "acurácia 0.600" in text and "acurácia balanceada 0.500" in text and "F1 macro 0.375" in text
    assert "- a: 40 no teste, 0 previstos" in text and "- b: 60 no teste, 100 previstos" in text
    assert max(len(line) for line in text.splitlines()) <= 80
