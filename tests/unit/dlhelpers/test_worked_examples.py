"""The worked examples of the course material (shared/seeds), reproduced number for number.

Where a seed's own arithmetic is wrong, the test pins the correct value and says so; the
notebooks teach the corrected numbers.
"""
import numpy as np
import pytest

from dlhelpers import worked_examples as seeds
from dlhelpers.worked_examples import as_batch, as_filter
from solutions import activations, backprop, convolution, pooling, recurrent

# Seed 000, "Operação de Convolução": the 6x6 image and the 3x3 filter.
IMAGE_6X6, FILTER_3X3 = seeds.conv_6x6_image(), seeds.conv_3x3_filter()


def conv2d(image, kernel, stride=1, pad=0):
    """One grey image and one filter through the 4-D reference conv_forward."""
    Z, _ = convolution.conv_forward(as_batch(image), as_filter(kernel), np.zeros(1), stride=stride, pad=pad)
    return Z[0, :, :, 0]


def pool2d(image, f, stride, mode="max"):
    A, _ = pooling.pool_forward(as_batch(image), f, stride, mode)
    return A[0, :, :, 0]


def test_every_example_is_a_fresh_float64_copy():
    first = seeds.conv_6x6_image()
    first[0, 0] = 99
    assert seeds.conv_6x6_image()[0, 0] == 1 and first.dtype == np.float64
    Wx, _, _ = seeds.hello_weights()
    Wx[:] = 0
    assert seeds.hello_weights()[0].any()


def test_single_window_of_the_6x6_example():
    # 0x1 + 0x2 + 3x3 + 0x0 + 2x4 + 4x(-1) + 1x0 + 2x1 + 4x(-2) = 7, the window at row 0, column 2.
    window = IMAGE_6X6[0:3, 2:5].reshape(3, 3, 1)
    assert convolution.conv_single_step(window, FILTER_3X3.reshape(3, 3, 1), 0.0) == 7.0


def test_6x6_convolved_with_3x3_gives_4x4():
    # The seed prints 11 at row 1, column 2. The window there is [[0,2,4],[1,2,4],[2,5,5]]:
    # 0+4+12 + 0+8-4 + 0+5-10 = 15. The seed's 11 is an arithmetic slip; 15 is correct.
    out = conv2d(IMAGE_6X6, FILTER_3X3)
    np.testing.assert_array_equal(out, seeds.conv_6x6_output())
    assert out[1, 2] == 15
    assert convolution.conv_output_size(6, 3) == 4  # n - f + 1


def test_padding_one_keeps_6x6():
    out = conv2d(IMAGE_6X6, FILTER_3X3, pad=1)
    assert out.shape == (6, 6)  # n + 2p - f + 1 = 6 + 2 - 3 + 1
    assert convolution.conv_output_size(6, 3, pad=1) == 6
    # The inside of the padded result is the unpadded result; the new border is the edge pixels.
    np.testing.assert_array_equal(out[1:5, 1:5], conv2d(IMAGE_6X6, FILTER_3X3))
    np.testing.assert_array_equal(out[0], [6, 0, -4, -9, 0, 22])
    padded = convolution.zero_pad(as_batch(IMAGE_6X6), 1)[0, :, :, 0]
    assert padded.shape == (8, 8) and padded[0].sum() == 0 and padded[:, -1].sum() == 0


def test_stride_two_example_of_seed_004():
    # 7x7 input, 3x3 filter, stride 2: floor((7 - 3) / 2) + 1 = 3, and the first value is 91.
    out = conv2d(seeds.stride_7x7_image(), seeds.stride_3x3_filter(), stride=2)
    assert out.shape == (3, 3) and out[0, 0] == 91
    np.testing.assert_array_equal(out, [[91, 100, 88], [69, 91, 117], [44, 72, 74]])
    assert convolution.conv_output_size(7, 3, stride=2) == 3


def test_padding_and_stride_example_of_seed_004():
    # 5x5 input padded to 7x7, 3x3 filter, stride 2 -> 3x3. The seed prints
    # [[1, 6, 5], [7, 10, 9], [7, 10, 8]], a figure whose input did not survive into the text:
    # with the input and filter the text does give, only the first value (1) agrees. The values
    # below are the correct ones for that input and filter.
    out = conv2d(seeds.padding_stride_5x5_image(), seeds.padding_stride_3x3_filter(), stride=2, pad=1)
    assert out[0, 0] == 1
    np.testing.assert_array_equal(out, [[1, 5, 6], [7, 8, 3], [3, 10, 4]])
    assert convolution.conv_output_size(5, 3, pad=1, stride=2) == 3


def test_5x5_feature_map_example_of_seed_002():
    out = conv2d(seeds.feature_map_5x5_image(), seeds.x_shaped_filter())
    np.testing.assert_array_equal(out, [[4, 3, 4], [2, 4, 3], [2, 3, 4]])


def test_sharpen_example_of_seed_004():
    # The seed gives the 6x6 input and the kernel [[0,-1,0],[-1,5,-1],[0,-1,0]] but no output.
    # The weights sum to 1; each pixel of this "bowl" is 0.5 below the mean of its four
    # neighbours, so sharpening subtracts 4 * 0.5 = 2 from the inner 4x4: 2 -> 0 in the middle.
    image, kernel = seeds.sharpen_6x6_image(), seeds.sharpen_filter()
    assert kernel.sum() == 1
    out = conv2d(image, kernel)
    np.testing.assert_array_equal(out, [[2, 1, 1, 2], [1, 0, 0, 1], [1, 0, 0, 1], [2, 1, 1, 2]])
    np.testing.assert_array_equal(out, image[1:5, 1:5] - 2)
    flat = np.full((5, 5), 3.0)  # a flat region passes unchanged
    np.testing.assert_array_equal(conv2d(flat, kernel), np.full((3, 3), 3.0))


@pytest.mark.parametrize("slide", seeds.POOLING_SLIDES)
def test_max_pooling_tables(slide):
    # 4x4 tables, window 2x2, stride 2
    np.testing.assert_array_equal(pool2d(seeds.pooling_table(slide), 2, 2), seeds.max_pooled_table(slide))


def test_max_pooling_7x7_window_3_stride_2():
    # seed 000: max(1,0,0,2,0,0,4,1,1) = 4 is the first value; the output is 3x3 and pooling
    # has no parameters to learn.
    out = pool2d(seeds.pooling_7x7_image(), 3, 2)
    assert out[0, 0] == 4
    np.testing.assert_array_equal(out, [[4, 4, 6], [4, 5, 6], [8, 3, 5]])


def test_average_and_global_pooling_of_the_4x4_table():
    image = seeds.pooling_table("000")
    np.testing.assert_array_equal(pool2d(image, 2, 2, "average"), [[3.75, 5.25], [5.5, 1.75]])
    A = as_batch(image)
    assert pooling.global_pool(A, "max")[0, 0] == 9
    assert pooling.global_pool(A, "average")[0, 0] == image.mean()


def test_max_pooling_backward_routes_to_the_maximum():
    _, cache = pooling.pool_forward(as_batch(seeds.pooling_table("000")), 2, 2)
    dA_prev = pooling.pool_backward(np.ones((1, 2, 2, 1)), cache)[0, :, :, 0]
    expected = np.zeros((4, 4))
    for row, column in [(1, 1), (1, 3), (3, 0), (3, 2)]:  # where 6, 8, 9 and 4 sit
        expected[row, column] = 1
    np.testing.assert_array_equal(dA_prev, expected)


def test_flatten_row_by_row():
    # seed 004: [[1,1,0],[4,2,1],[0,2,1]] -> 1,1,0,4,2,1,0,2,1; seed 001: 28x28 -> 784.
    np.testing.assert_array_equal(pooling.flatten(as_batch(seeds.flatten_3x3_matrix()))[0], [1, 1, 0, 4, 2, 1, 0, 2, 1])
    assert pooling.flatten(np.zeros((1, 28, 28, 1))).shape == (1, 784)


def test_relu_lists():
    out, _ = activations.relu_forward(seeds.relu_example_values())
    np.testing.assert_array_equal(out, [0, 0, 0, 1, 2, 3])
    out, _ = activations.relu_forward(seeds.convolution_responses())
    np.testing.assert_array_equal(out, [0, 0, 0, 1, 1.5])


def test_single_neuron():
    # seed 001: inputs A=2, B=5, weights 3 and 6: sum 36, bias -2 -> 34.
    x, w, b = seeds.neuron_example()
    assert activations.neuron_forward(x, w, 0) == 36
    assert activations.neuron_forward(x, w, b) == 34
    # seed 002, "está a chover?": inputs (0, 12, 11), weights (0.1, 1, 1), biases (1, 0, 0).
    # The slide adds 0 + 1 + 12 + 0 + 11 + 0 and writes 23; the sum is 24 (still > 20: rain).
    assert activations.neuron_forward(*seeds.rain_example()) == 24


def test_dense_vs_conv_parameter_counts():
    # seed 003: 32x32x3 input, 64 filters 5x5 -> 28x28x64 output.
    assert convolution.conv_output_size(32, 5) == 28
    conv = convolution.count_conv_params(5, 3, 64, bias=False)
    dense = convolution.count_dense_params(32 * 32 * 3, 28 * 28 * 64, bias=False)
    assert conv == 4_800
    assert dense == 154_140_672
    assert round(dense / conv) == 32_113  # "about 32,000 times more"
    assert convolution.count_conv_params(5, 3, 64) == 4_864  # with one bias per filter


def test_cifar_model_of_seed_003_output_sizes():
    # Conv2D(32, 3, strides=2) three times on 32x32: 15, 7, 3.
    sizes = [32]
    for _ in range(3):
        sizes.append(convolution.conv_output_size(sizes[-1], 3, stride=2))
    assert sizes == [32, 15, 7, 3]
    assert convolution.count_dense_params(3 * 3 * 128, 1024) == 1_180_672


def test_rnn_walkthrough_on_hello():
    # seed 004: vocabulary h, e, l, o one-hot; 3 hidden units; W_xh printed as 3x4 (the Keras
    # kernel is its transpose); one recurrent weight 0.427043 shared by every unit and bias 0.567001.
    Wx, Wh, b = seeds.hello_weights()
    np.testing.assert_array_equal(Wx, seeds.hello_input_weights_slide().T)
    h, _ = recurrent.rnn_forward(seeds.hello_one_hot("hell"), np.zeros((1, 3)), Wx, Wh, b)
    np.testing.assert_allclose(h[0, 0], seeds.hello_states_slide()[0], atol=2e-7)
    np.testing.assert_allclose(h[0, 1], seeds.hello_states_slide()[1], atol=3e-7)
    # step 2's recurrent part: W_hh * h_1 + bias = [0.863013, 0.951149, 0.90954]
    np.testing.assert_allclose(h[0, 0] @ Wh + b, seeds.hello_recurrent_part_slide(), atol=1e-6)
    # the output y_t = W_hy h_t; the seed multiplies by h rounded to 6 digits, hence atol 1e-5
    y, _ = backprop.dense_forward(h[:, 1], seeds.hello_output_weights_slide().T, np.zeros(4))
    np.testing.assert_allclose(y[0], seeds.hello_step2_scores_slide(), atol=1e-5)
    probabilities = activations.softmax(y)[0]
    assert probabilities.argmax() == 0 and np.isclose(probabilities.sum(), 1)


class TestBackpropagation222:
    """seed 002: 2 inputs, 2 sigmoid hidden units, 2 sigmoid outputs, squared error, eta = 0.5.

    The slide prints its forward values but not all of its weights, so the chain rule is checked
    from the printed activations. Where the slide's arithmetic slips, the tests say so.
    """

    x = seeds.apple_features()  # the apple: shape 0.22, mass 0.93
    target = seeds.apple_targets()
    hidden = seeds.apple_hidden_outputs()  # Saída(h1), Saída(h2)
    output = seeds.apple_network_outputs()  # Saída(o1), Saída(o2)

    def test_first_hidden_unit(self):
        net, _ = backprop.dense_forward(self.x, *seeds.apple_first_hidden_unit())
        assert net[0, 0] == pytest.approx(0.55670, abs=1e-5)
        assert activations.sigmoid(net)[0, 0] == pytest.approx(0.63569, abs=1e-5)

    def test_error_is_the_mean_squared_error(self):
        # E = 1/2 (t1 - o1)^2 + 1/2 (t2 - o2)^2 is the mean over the two outputs.
        loss, d_output = backprop.mse_loss(self.output, self.target)
        assert loss == pytest.approx(0.25893, abs=1e-5)
        np.testing.assert_allclose(d_output, [[0.67657, -0.24516]], atol=1e-5)

    def test_output_layer_gradients(self):
        _, d_output = backprop.mse_loss(self.output, self.target)
        sigmoid_slope = self.output * (1 - self.output)
        np.testing.assert_allclose(sigmoid_slope, [[0.21519, 0.19005]], atol=1e-5)
        delta = d_output * sigmoid_slope
        # The slide prints dEo1/dEntrada(o1) = 0.67657 * 0.21519 as 0.13850 (and as 0.13870);
        # the product is 0.14559.
        assert delta[0, 0] == pytest.approx(0.14559, abs=1e-5)
        # any weights: dW does not depend on them
        _, cache = backprop.dense_forward(self.hidden, seeds.apple_output_weights(), np.zeros(2))
        _, dW, db = backprop.dense_backward(delta, cache)
        assert dW[0, 0] == pytest.approx(0.09255, abs=1e-5)  # dE/dw5: h1 -> o1
        assert dW[1, 1] == pytest.approx(-0.03131, abs=1e-5)  # h2 -> o2, printed as dE/dw7
        np.testing.assert_allclose(db, delta[0])
        new = backprop.sgd_step({"w5": np.array(0.40)}, {"w5": np.array(dW[0, 0])}, lr=seeds.APPLE_LEARNING_RATE)
        assert float(new["w5"]) == pytest.approx(0.40 - 0.5 * 0.09255, abs=1e-5)

    def test_hidden_layer_gradient(self):
        # dE/dw1 = dE/dSaída(h1) * Saída(h1)(1 - Saída(h1)) * i1, from the slide's dE/dSaída(h1)
        # = 0.03635. Two slips on the slide: 0.63569 * (1 - 0.63569) is 0.23159, not 0.24130,
        # and i1 is the input 0.22, not 0.01. So dE/dw1 = 0.03635 * 0.23159 * 0.22 = 0.00185,
        # not 0.00044.
        slope = self.hidden[0, 0] * (1 - self.hidden[0, 0])
        assert slope == pytest.approx(0.23159, abs=1e-5)
        _, cache = backprop.dense_forward(self.x, np.zeros((2, 1)), np.zeros(1))
        _, dW, _ = backprop.dense_backward(np.array([[seeds.APPLE_HIDDEN_GRADIENT * slope]]), cache)
        assert dW[0, 0] == pytest.approx(0.00185, abs=1e-5)


def test_dropout_example():
    # seed 002: x = {1, 2, 3, 4} with p = 0.25. Inverted dropout zeroes some units and scales the
    # survivors by 1 / 0.75, so the expected sum stays 10.
    x, rate = seeds.dropout_example()
    out, _ = backprop.dropout_forward(x, rate, training=True, seed=0)
    survivors = out != 0
    np.testing.assert_allclose(out[survivors], x[survivors] / 0.75)
    # 1000 units at p = 0.5: about 500 are dropped.
    out, _ = backprop.dropout_forward(np.ones(1000), 0.5, training=True, seed=1)
    assert 450 <= np.sum(out == 0) <= 550
    out, _ = backprop.dropout_forward(x, rate, training=False)
    np.testing.assert_array_equal(out, x)


def test_batches_per_epoch():
    # seed 002: 150 training examples with batch size 50 need 3 iterations per epoch.
    assert len(np.array_split(np.arange(150), range(50, 150, 50))) == 3
