"""Keras models from the sandbox, rebuilt and judged in the trusted process.

A student's model crosses the pipe as its JSON config and its weights (``KerasModelSpec``).
Here it is rebuilt with built-in layers only (Keras' safe mode refuses Lambda layers and
unknown classes), so every number the grader reports (layer types, parameters, predictions,
accuracy) is computed by trusted code from what the student built, never taken from it.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import numpy as np

from autograder.sandbox.wire import KerasModelSpec

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

POOLING_LAYERS = {"MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D"}


class ModelRejected(Exception):
    """The model cannot be rebuilt safely; the message is Portuguese feedback."""


@dataclass
class ModelSummary:
    layer_types: list[str]
    input_shape: tuple
    output_units: int
    output_activation: str | None
    parameters: int
    compiled: bool
    loss: str


def _layers(config: dict) -> list[dict]:
    inner = config.get("config", {})
    return inner.get("layers", []) if isinstance(inner, dict) else []


def summarize(spec: KerasModelSpec) -> ModelSummary:
    """What a model is, read from its config and weights (no Keras needed)."""
    if not isinstance(spec, KerasModelSpec):
        raise ModelRejected("a função deveria devolver um keras.Model")
    try:
        config = json.loads(spec.config)
    except json.JSONDecodeError:
        raise ModelRejected("a configuração do modelo não é um JSON válido") from None
    layers = _layers(config)
    types = [layer.get("class_name", "?") for layer in layers]
    dense_like = [layer for layer in layers if layer.get("class_name") not in ("InputLayer", "Dropout", "Flatten")]
    last = dense_like[-1].get("config", {}) if dense_like else {}
    activation = last.get("activation")
    if isinstance(activation, dict):  # serialized activation object
        activation = activation.get("config", {}).get("name") or activation.get("class_name")
    rebuilt = rebuild(spec)
    return ModelSummary(
        layer_types=types,
        input_shape=tuple(rebuilt.input_shape[1:]),
        output_units=int(rebuilt.output_shape[-1]),
        output_activation=activation,
        parameters=int(sum(np.asarray(w).size for w in spec.weights)),
        compiled=spec.compiled,
        loss=spec.loss,
    )


def rebuild(spec: KerasModelSpec):
    """The student's model, rebuilt here from its config (safe mode) with its weights."""
    import keras

    try:
        model = keras.models.model_from_json(spec.config)
    except Exception as error:  # noqa: BLE001 - any failure to rebuild is the student's model
        raise ModelRejected(f"o modelo não pôde ser reconstruído com camadas do Keras ({type(error).__name__}: "
                            f"{str(error).splitlines()[0][:200]}); use só camadas prontas, sem Lambda") from None
    try:
        model.set_weights(spec.weights)
    except Exception as error:  # noqa: BLE001
        raise ModelRejected(f"os pesos não combinam com a arquitetura ({error})") from None
    return model


def predict_classes(spec: KerasModelSpec, images: np.ndarray, batch_size: int = 64) -> np.ndarray:
    """Class predictions of the rebuilt model, computed in the trusted process."""
    probabilities = rebuild(spec).predict(images, batch_size=batch_size, verbose=0)
    return np.argmax(probabilities, axis=-1)


def has_conv_and_pooling(summary: ModelSummary) -> bool:
    return summary.layer_types.count("Conv2D") >= 2 and bool(POOLING_LAYERS & set(summary.layer_types))
