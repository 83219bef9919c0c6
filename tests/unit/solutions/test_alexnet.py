"""build_alexnet (solutions/cnn.py) against the AlexNet hand count of the a6 notebook: the
parameter table of the prose, row by row and in total, is what Keras counts."""
import math
import re

import pytest

from autograder.authoring.builder import authoring_file
from solutions import cnn

pytestmark = pytest.mark.slow

ROW_NAMES = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")


def number(text):
    """A Portuguese-formatted integer of the table ('37.748.736', '**62.378.344**')."""
    return int(text.strip().strip("*").replace(".", ""))


def hand_table():
    """{layer: (weights expression, weights, biases, parameters)} and the stated total, read
    from the a6 authoring file's markdown table."""
    rows, total = {}, None
    for line in authoring_file("a6_cnn_keras").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.lstrip("# ").strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in ROW_NAMES:
            rows[cells[0]] = (cells[2], number(cells[3]), number(cells[4]), number(cells[5]))
        elif len(cells) == 6 and cells[0] == "**total**":
            total = number(cells[5])
    return rows, total


@pytest.fixture(scope="module")
def alexnet():
    return cnn.build_alexnet()


def test_the_hand_table_adds_up():
    rows, total = hand_table()
    assert list(rows) == list(ROW_NAMES)
    for name, (expression, weights, biases, parameters) in rows.items():
        assert math.prod(int(f) for f in expression.split("·")) == weights, name
        assert weights + biases == parameters, name
    assert sum(row[3] for row in rows.values()) == total == 62_378_344


def test_keras_counts_what_the_table_says(alexnet):
    rows, total = hand_table()
    assert alexnet.count_params() == total
    for name, (_, weights, biases, parameters) in rows.items():
        layer = alexnet.get_layer(name)
        assert layer.count_params() == parameters, name
        assert math.prod(layer.kernel.shape) == weights and tuple(layer.bias.shape) == (biases,), name


def test_shapes_of_the_original(alexnet):
    assert tuple(alexnet.input_shape) == (None, 227, 227, 3)
    assert tuple(alexnet.output_shape) == (None, 1000)
    shapes = {layer.name: tuple(layer.output.shape[1:]) for layer in alexnet.layers}
    assert shapes["conv1"] == (55, 55, 96) and shapes["pool1"] == (27, 27, 96)
    assert shapes["pool2"] == (13, 13, 256) and shapes["pool5"] == (6, 6, 256)
    assert shapes["flatten"] == (9216,)


def test_dense_layers_hold_94_percent_as_the_notebook_says(alexnet):
    dense = sum(layer.count_params() for layer in alexnet.layers if type(layer).__name__ == "Dense")
    share = dense / alexnet.count_params()
    assert dense == 58_631_144 and f"{share:.1%}" == "94.0%"
    assert "94,0% dos parâmetros" in authoring_file("a6_cnn_keras").read_text(encoding="utf-8")


def test_input_shape_and_n_classes_are_honoured():
    model = cnn.build_alexnet((99, 99, 1), 5)
    assert tuple(model.input_shape) == (None, 99, 99, 1) and tuple(model.output_shape) == (None, 5)
    assert model.get_layer("conv1").count_params() == 11 * 11 * 1 * 96 + 96
    assert model.get_layer("flatten").output.shape[-1] == 2 * 2 * 256
    assert model.get_layer("fc8").count_params() == 4096 * 5 + 5


def test_it_survives_the_graders_rebuild():
    """The grader rebuilds a student's model from its JSON config in safe mode (no Lambda): the
    reference's normalisation layer must survive that."""
    import keras

    model = cnn.build_alexnet((67, 67, 3), 10)
    rebuilt = keras.models.model_from_json(model.to_json())
    assert [type(layer).__name__ for layer in rebuilt.layers] == [type(layer).__name__ for layer in model.layers]
    assert "UnitNormalization" in {type(layer).__name__ for layer in rebuilt.layers}
    assert rebuilt.count_params() == model.count_params()


def variant(conv1_strides=4, conv2_padding="same", hidden_units=4096, normalization="UnitNormalization",
            pools=3, input_shape=(227, 227, 3), n_classes=1000):
    """AlexNet with one typical mistake: what a student's wrong answer looks like."""
    import keras
    from keras import layers

    inputs = keras.Input(input_shape)
    x = layers.Conv2D(96, 11, strides=conv1_strides, activation="relu")(inputs)
    x = getattr(layers, normalization)()(x)
    x = layers.MaxPooling2D(3, 2)(x)
    x = layers.Conv2D(256, 5, padding=conv2_padding, activation="relu")(x)
    x = getattr(layers, normalization)()(x)
    x = layers.MaxPooling2D(3, 2)(x) if pools >= 2 else x
    for filters in (384, 384, 256):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(3, 2)(x) if pools >= 3 else x
    x = layers.Flatten()(x)
    for _ in range(2):
        x = layers.Dropout(0.5)(layers.Dense(hidden_units, activation="relu")(x))
    return keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(x))


WRONG_ALEXNETS = [
    ({"conv1_strides": 2}, "strides=4"),
    ({"conv2_padding": "valid"}, "padding='same'"),
    ({"hidden_units": 2048}, "4096"),
    ({"pools": 2}, "MaxPooling2D"),
    ({"normalization": "BatchNormalization"}, "UnitNormalization"),
]


@pytest.mark.parametrize("changes,message", WRONG_ALEXNETS, ids=[str(c) for c, _ in WRONG_ALEXNETS])
def test_the_visible_check_names_the_mistake(changes, message):
    from dlhelpers.visible_cases.a6_cnn_keras import verify_alexnet

    assert verify_alexnet(cnn.build_alexnet()) is None
    verdict = verify_alexnet(variant(**changes))
    assert verdict is not None and message in verdict, verdict


@pytest.mark.parametrize("changes,message", [
    ({"conv1_strides": 2}, "stride 4"),
    ({"conv2_padding": "valid"}, "padding='same'"),
    ({"hidden_units": 2048}, "4096 unidades"),
    ({"pools": 2}, "MaxPooling2D"),
], ids=["stride", "padding", "dense units", "a pool missing"])
def test_the_hidden_suite_names_the_mistake(changes, message):
    from autograder.grading.suites.keras_checks import compare_skeletons, layer_rows

    shape, classes = (99, 99, 1), 5
    expected = layer_rows(cnn.build_alexnet(shape, classes))
    assert compare_skeletons(expected, layer_rows(variant(input_shape=shape, n_classes=classes))) is None
    difference = compare_skeletons(expected, layer_rows(variant(**changes, input_shape=shape, n_classes=classes)))
    assert difference is not None and message in difference, difference


def test_the_vgg16_numbers_of_the_notebook():
    """a6 §7 «A VGG16: só filtros 3x3»: the counts its prose states are what Keras counts (built
    with weights=None, so nothing is downloaded), and the 3x3 arithmetic holds."""
    import keras
    from keras import layers

    text = re.sub(r"\n#\s*", " ", authoring_file("a6_cnn_keras").read_text(encoding="utf-8"))  # prose, unwrapped
    vgg16 = keras.applications.VGG16(weights=None)
    convs = [layer for layer in vgg16.layers if isinstance(layer, layers.Conv2D)]
    denses = [layer for layer in vgg16.layers if isinstance(layer, layers.Dense)]
    assert (len(convs), len(denses)) == (13, 3) and {layer.kernel_size for layer in convs} == {(3, 3)}
    assert "13 convolucionais e 3 densas" in text
    total, dense = vgg16.count_params(), sum(layer.count_params() for layer in denses)
    assert total == 138_357_544 and dense == 123_642_856 and vgg16.get_layer("fc1").count_params() == 102_764_544
    assert total - dense == 14_714_688 and f"{dense / total:.1%}" == "89.4%"
    assert f"{total / cnn.build_alexnet().count_params():.1f}" == "2.2"
    for stated in ("138.357.544", "123.642.856", "**89,4%**", "102.764.544", "14.714.688", "2,2 vezes"):
        assert stated in text, stated
    assert round(100 * (1 - 18 / 25)) == 28 and round(100 * (1 - 27 / 49)) == 45
    assert "**28% a menos**" in text and "**45% a menos**" in text
