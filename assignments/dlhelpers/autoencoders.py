"""The two halves of an autoencoder, for looking inside it (a7_autoencoder).

Used by the notebook (the code space and the decoder as a generator) and by the grader, which
checks with it that everything the decoder knows passes through the code.
"""

CODE_LAYER = "code"


def split_autoencoder(autoencoder, code_layer=CODE_LAYER):
    """
    Separa um autoencoder em codificador e decodificador, na camada do código.

    O autoencoder precisa ser uma sequência de camadas (cada camada recebe a saída da
    anterior) com uma camada chamada `code_layer` cuja saída é um vetor por exemplo.

    Entradas:
    - autoencoder: keras.Model, entrada (m, n_H, n_W, n_C) -> reconstrução de mesma shape.
    - code_layer: nome da camada do código.

    Retorna uma tupla (encoder, decoder):
    - encoder: keras.Model, imagens (m, n_H, n_W, n_C) -> códigos (m, code_size).
    - decoder: keras.Model, códigos (m, code_size) -> reconstruções (m, n_H, n_W, n_C).
    """
    import keras

    names = [layer.name for layer in autoencoder.layers]
    if code_layer not in names:
        raise ValueError(f"o autoencoder não tem uma camada chamada {code_layer!r}: dê esse nome à "
                         f"Dense do meio (name={code_layer!r}); as camadas são {names}")
    code = autoencoder.get_layer(code_layer)
    code_shape = tuple(code.output.shape[1:])
    if len(code_shape) != 1:
        raise ValueError(f"a saída da camada {code_layer!r} tem shape {code_shape}; o código deve ser um "
                         "vetor por exemplo (uma Dense depois do Flatten)")
    if len(autoencoder.inputs) != 1:
        raise ValueError(f"o autoencoder deve ter uma entrada só, a imagem; ele tem {len(autoencoder.inputs)}")
    # inputs[0], not .input: a Sequential model rebuilt from its config has no .input
    encoder = keras.Model(autoencoder.inputs[0], code.output, name="encoder")
    codes = keras.Input(shape=code_shape)
    x = codes
    try:
        for layer in autoencoder.layers[names.index(code_layer) + 1:]:
            x = layer(x)
    except Exception as error:  # noqa: BLE001 - any failure means the layers after the code are not a chain
        raise ValueError("as camadas depois do código não formam uma sequência que parte só do código "
                         f"({type(error).__name__}): o decodificador deve receber apenas o código") from None
    return encoder, keras.Model(codes, x, name="decoder")
