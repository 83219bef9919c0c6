"""The course's split protocol: stratified train/test 75/25 with random_state=0 (scikit-learn's
``train_test_split``), optionally a validation part taken from the training part."""
from __future__ import annotations

import numpy as np

from dlhelpers.validation import require_int


def _train_test_split():
    try:
        from sklearn.model_selection import train_test_split
    except ImportError as error:
        raise ModuleNotFoundError(
            "A divisão estratificada usa o scikit-learn, que não está instalado. Instale com "
            "`pip install scikit-learn` e rode a célula de novo.",
            name="sklearn",
        ) from error
    return train_test_split


def _fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"`{name}` deve ser uma fração entre 0 e 1 (ex.: 0.25), mas recebeu {value!r}.")
    return float(value)


def stratified_split_indices(y, test_size=0.25, val_size=None, random_state=0):
    """
    O protocolo de divisão da disciplina: treino/teste estratificado (cada classe aparece na
    mesma proporção nas duas partes), 75/25 com random_state=0, como
    `sklearn.model_selection.train_test_split(..., test_size=0.25, stratify=y, random_state=0)`;
    opcionalmente, uma parte de validação tirada só do treino (o teste não muda).

    Entradas:
    - y: array de shape (m,), os rótulos usados para estratificar.
    - test_size: fração do total que vai para o teste (padrão 0.25).
    - val_size: None (sem validação) ou a fração do *treino* que vira validação (ex.: 0.2 ->
      15% do total com test_size=0.25), também estratificada.
    - random_state: semente da divisão (padrão 0).

    Retorna:
    - splits: dict com "train", "test" (e "val" se val_size foi dado), cada um um array int de
      índices em y, na ordem que o train_test_split devolve (X_train = X[splits["train"]]).
    """
    train_test_split = _train_test_split()
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"`y` deve ter 1 dimensão (m,), mas tem shape {labels.shape}.")
    test_size = _fraction(test_size, "test_size")
    random_state = require_int(random_state, "random_state", minimum=0)
    indices = np.arange(len(labels))
    train, test = train_test_split(indices, test_size=test_size, stratify=labels, random_state=random_state)
    splits = {"train": train}
    if val_size is not None:
        val_size = _fraction(val_size, "val_size")
        train, val = train_test_split(train, test_size=val_size, stratify=labels[train],
                                      random_state=random_state)
        splits = {"train": train, "val": val}
    splits["test"] = test
    return splits


def stratified_split(X, y, test_size=0.25, val_size=None, random_state=0):
    """
    Aplica `stratified_split_indices` a X e y (o protocolo 75/25 estratificado, random_state=0).

    Entradas:
    - X: array de shape (m, ...), por exemplo imagens (m, H, W, C).
    - y: array de shape (m,), os rótulos.
    - test_size, val_size, random_state: como em `stratified_split_indices`.

    Retorna:
    - splits: dict com "train", "test" (e "val" se val_size foi dado), cada um uma tupla
      (X_parte, y_parte) com shapes (m_parte, ...) e (m_parte,).
    """
    examples, labels = np.asarray(X), np.asarray(y)
    if len(examples) != len(labels):
        raise ValueError(
            f"`X` e `y` devem ter o mesmo número de exemplos, mas têm {len(examples)} e {len(labels)}."
        )
    indices = stratified_split_indices(labels, test_size=test_size, val_size=val_size,
                                       random_state=random_state)
    return {name: (examples[part], labels[part]) for name, part in indices.items()}
