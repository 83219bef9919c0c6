"""scikit-learn's bundled hand-written digits, flattened and split (a4_backprop)."""
from __future__ import annotations


def load_digits_split(test_size=0.25, random_state=0):
    """Os dígitos escritos à mão que vêm com o scikit-learn (1797 imagens 8x8, classes 0 a 9),
    sem rede: ``(X_train, X_test, y_train, y_test)``.

    Cada imagem vira uma linha de 64 pixels (a ordem das linhas da imagem, como o ``flatten``),
    com valores em [0, 1] (o scikit-learn os guarda de 0 a 16). A divisão é estratificada (a
    mesma proporção de cada dígito no treino e no teste) e fixa para um mesmo ``random_state``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = digits.data / 16.0
    return train_test_split(pixels, digits.target, test_size=test_size, stratify=digits.target,
                            random_state=random_state)
