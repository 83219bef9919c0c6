"""Predictions on a test split, saved as a CSV that is handed in with the final project.

The final project's data lives on the student's machine (a Kaggle download), not on the grading
machine: the notebook saves what the model predicted for every test example, and the grader
recomputes the metrics from that file (the same reader runs on both sides). Format: UTF-8 CSV with
the header ``id,verdadeiro,previsto``, one row per test example, class names as text.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

COLUMNS = ("id", "verdadeiro", "previsto")
MIN_EXAMPLES = 20


class PredictionsFileError(ValueError):
    """The predictions file is missing or malformed; the message (Portuguese) names the file."""


def save_predictions(path, y_true, y_pred, class_names, ids=None):
    """
    Salva as previsões do modelo no conjunto de teste num CSV (`id,verdadeiro,previsto`), que você
    entrega junto com o notebook. A correção recalcula as métricas a partir dele.

    Entradas:
    - path: caminho do arquivo, por exemplo "predicoes_teste.csv" (na pasta do notebook).
    - y_true: array de shape (m,), rótulos inteiros verdadeiros do teste.
    - y_pred: array de shape (m,), rótulos inteiros previstos.
    - class_names: nomes das classes, na ordem dos rótulos (0, 1, ...).
    - ids: opcional, shape (m,): o nome do arquivo de cada imagem (padrão: 0, 1, ..., m-1).

    Retorna:
    - path: pathlib.Path do arquivo escrito.
    """
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    names = [str(name) for name in class_names]
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true e y_pred devem ter o mesmo tamanho, mas têm {len(y_true)} e {len(y_pred)}.")
    for label_array, what in ((y_true, "y_true"), (y_pred, "y_pred")):
        if label_array.size and (label_array.dtype.kind not in "iu" or label_array.min() < 0
                                 or label_array.max() >= len(names)):
            raise ValueError(f"`{what}` deve ter rótulos inteiros de 0 a {len(names) - 1} "
                             f"(um por classe de class_names); use argmax nas probabilidades.")
    ids = np.arange(len(y_true)) if ids is None else np.asarray(ids).ravel()
    if len(ids) != len(y_true):
        raise ValueError(f"`ids` deve ter {len(y_true)} elementos, mas tem {len(ids)}.")
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for identifier, true, pred in zip(ids, y_true, y_pred):
            writer.writerow((identifier, names[true], names[pred]))
    return path


def read_predictions(path):
    """
    Lê um arquivo escrito por `save_predictions`.

    Entradas:
    - path: caminho do CSV.

    Retorna uma tupla (ids, y_true, y_pred, class_names):
    - ids: lista de strings, shape (m,).
    - y_true, y_pred: arrays int de shape (m,), índices em class_names.
    - class_names: lista ordenada dos nomes de classe que aparecem no arquivo.
    """
    path = Path(path)
    if not path.is_file():
        raise PredictionsFileError(
            f"O arquivo de previsões {path.name} não foi encontrado ao lado do notebook. Rode a célula "
            "que chama save_predictions e entregue o CSV junto com o notebook.")
    if path.stat().st_size > 20 << 20:
        raise PredictionsFileError(f"{path.name} é grande demais (mais de 20 MB) para um arquivo de previsões.")
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as error:
        raise PredictionsFileError(f"{path.name} não é um CSV UTF-8 legível ({error}).") from None
    if not rows or tuple(cell.strip() for cell in rows[0]) != COLUMNS:
        raise PredictionsFileError(f"{path.name}: a primeira linha deve ser o cabeçalho {','.join(COLUMNS)}.")
    body = rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(COLUMNS) or not row[1].strip() or not row[2].strip():
            raise PredictionsFileError(f"{path.name}, linha {number}: esperava 3 colunas preenchidas, veio {row!r}.")
    if len(body) < MIN_EXAMPLES:
        raise PredictionsFileError(
            f"{path.name} tem só {len(body)} previsões; o teste precisa de pelo menos {MIN_EXAMPLES} exemplos.")
    true_names = [row[1].strip() for row in body]
    pred_names = [row[2].strip() for row in body]
    class_names = sorted(set(true_names) | set(pred_names))
    index = {name: position for position, name in enumerate(class_names)}
    return ([row[0] for row in body], np.array([index[n] for n in true_names]),
            np.array([index[n] for n in pred_names]), class_names)


def prediction_summary(path):
    """
    As métricas recalculadas a partir do arquivo de previsões.

    Entradas:
    - path: caminho do CSV escrito por `save_predictions`.

    Retorna um dict com "n" (exemplos), "classes" (nomes), "accuracy", "balanced_accuracy",
    "macro_f1", "majority_accuracy" (a acurácia de sempre responder a classe mais comum do teste),
    "true_counts" e "predicted_counts" (exemplos por classe, na ordem de "classes").
    """
    from sklearn.metrics import balanced_accuracy_score, f1_score

    _, y_true, y_pred, class_names = read_predictions(path)
    return {
        "n": int(len(y_true)),
        "classes": class_names,
        "accuracy": float(np.mean(y_true == y_pred)),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "majority_accuracy": float(np.bincount(y_true).max() / len(y_true)),
        "true_counts": [int(c) for c in np.bincount(y_true, minlength=len(class_names))],
        "predicted_counts": [int(c) for c in np.bincount(y_pred, minlength=len(class_names))],
    }


def describe_summary(summary):
    """
    As métricas de `prediction_summary` em poucas linhas de texto, para comparar com o que o
    notebook diz: exemplos, acurácia, acurácia balanceada, F1 macro e, por classe, quantos
    exemplos o teste tem e quantos o modelo previu.
    """
    per_class = "".join(f"\n- {name}: {true} no teste, {pred} previstos" for name, true, pred in
                        zip(summary["classes"], summary["true_counts"], summary["predicted_counts"]))
    return (f"{summary['n']} previsões; acurácia {summary['accuracy']:.3f} (classe mais comum: "
            f"{summary['majority_accuracy']:.3f});\nacurácia balanceada {summary['balanced_accuracy']:.3f}; "
            f"F1 macro {summary['macro_f1']:.3f}.\nExemplos por classe:{per_class}")


def check_saved_predictions(path):
    """The visible check of the final project's predictions file: prints the recomputed metrics,
    or stops with what is wrong with the file."""
    from dlhelpers.checks import CheckFailed

    try:
        summary = prediction_summary(path)
    except PredictionsFileError as error:
        raise CheckFailed(f"✘ {error}") from None
    if len(summary["classes"]) < 2:
        raise CheckFailed(f"✘ {Path(path).name}: o teste tem uma classe só ({summary['classes'][0]}).")
    print(f"✔ {Path(path).name}: {summary['n']} previsões, classes {', '.join(summary['classes'])}.\n"
          f"  acurácia {summary['accuracy']:.3f} (classe mais comum: {summary['majority_accuracy']:.3f}), "
          f"acurácia balanceada {summary['balanced_accuracy']:.3f}, F1 macro {summary['macro_f1']:.3f}.\n"
          "  A nota vem destas métricas recalculadas pela correção a partir do arquivo entregue.")
    if summary["balanced_accuracy"] <= 1.0 / len(summary["classes"]) + 0.02:
        print("  Atenção: a acurácia balanceada está no nível do acaso; o modelo não separa as classes.")
