"""Visible cases of a1_ativacoes: the slides' examples and a few simple values."""
import numpy as np

from dlhelpers.checks import Case, forward_output
from dlhelpers.worked_examples import convolution_responses, neuron_example, relu_example_values

UPSTREAM = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])

CASES = {
    "neuron_forward": [
        Case("neurônio do slide: entradas (2, 5), pesos (3, 6), bias -2",
             neuron_example(), 34.0,
             "some x[i] * w[i] para todo i (2*3 + 5*6 = 36) e depois some o bias uma vez."),
        Case("entradas todas zero: só o bias sobra",
             (np.zeros(3), np.array([1.0, 2.0, 3.0]), 1.5), 1.5,
             "só o bias é diferente de zero: confira que b entra na soma."),
        Case("bias zero, pesos negativos",
             (np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.25, -1.0]), 0.0), -3.0,
             "com bias zero o resultado é só a soma ponderada: 0.5 - 0.5 - 3."),
    ],
    "sigmoid": [
        Case("valores pequenos: sigmoid(0) = 0.5",
             (np.array([-1.0, 0.0, 1.0, 2.0]),),
             np.array([0.2689414213699951, 0.5, 0.7310585786300049, 0.8807970779778823]),
             "sigmoid(x) = 1 / (1 + exp(-x)), elemento a elemento."),
        Case("valores extremos: -1000 e 1000",
             (np.array([-1000.0, 1000.0]),), np.array([0.0, 1.0]),
             "para x muito negativo, exp(-x) estoura: use exp(-|x|), que nunca passa de 1."),
    ],
    "tanh": [
        Case("alguns valores",
             (np.array([-1.0, 0.0, 0.5, 2.0]),),
             np.array([-0.7615941559557649, 0.0, 0.46211715726000974, 0.9640275800758169]),
             "tanh(x) = (e^x - e^-x) / (e^x + e^-x); o numpy tem np.tanh."),
    ],
    "softmax": [
        Case("vetor [1, 2, 3]", (np.array([1.0, 2.0, 3.0]),),
             np.array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219]),
             "exp de cada valor dividida pela soma das exps; a soma do resultado é 1."),
        Case("pontuações grandes [1000, 1001, 1002]", (np.array([1000.0, 1001.0, 1002.0]),),
             np.array([0.09003057317038046, 0.24472847105479767, 0.6652409557748219]),
             "exp(1000) estoura: subtraia o máximo antes da exp (o resultado não muda)."),
        Case("lote de 2 exemplos, softmax por linha", (np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),),
             np.array([[0.09003057317038046, 0.24472847105479767, 0.6652409557748219], [1 / 3, 1 / 3, 1 / 3]]),
             "use axis=axis e keepdims=True no max e na soma, para cada linha somar 1."),
        Case("axis=0: cada coluna soma 1", (np.array([[1.0, 1.0], [2.0, 3.0]]),),
             np.array([[0.2689414213699951, 0.11920292202211755], [0.7310585786300049, 0.8807970779778823]]),
             "respeite o argumento axis em todas as reduções.", kwargs={"axis": 0}),
    ],
    "relu_forward": [
        Case("lista do slide: [-2, -1, 0, 1, 2, 3]", (relu_example_values(),), np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0]),
             "ReLU(x) = max(0, x): negativos viram zero, positivos ficam como estão.", output=forward_output),
        Case("saída de uma convolução: [-1, -0.5, 0, 1, 1.5]", (convolution_responses(),),
             np.array([0.0, 0.0, 0.0, 1.0, 1.5]),
             "a ReLU age elemento a elemento; np.maximum(x, 0) faz isso.", output=forward_output),
        Case("matriz 2x2", (np.array([[-3.0, 4.0], [0.5, -0.1]]),), np.array([[0.0, 4.0], [0.5, 0.0]]),
             "o shape da saída é o mesmo da entrada.", output=forward_output),
    ],
    "relu_backward": [
        Case("gradiente [1..6] sobre a lista do slide",
             lambda relu_forward: (UPSTREAM, relu_forward(relu_example_values())[1]),
             np.array([0.0, 0.0, 0.0, 4.0, 5.0, 6.0]),
             "o gradiente passa só onde x > 0; onde x <= 0 (inclusive x = 0) ele vira zero.",
             needs=("relu_forward",)),
    ],
    "leaky_relu_forward": [
        Case("lista do slide com alpha = 0.01", (relu_example_values(),), np.array([-0.02, -0.01, 0.0, 1.0, 2.0, 3.0]),
             "x quando x > 0 e alpha * x quando x <= 0.", output=forward_output),
        Case("lista do slide com alpha = 0.2", (relu_example_values(),), np.array([-0.4, -0.2, 0.0, 1.0, 2.0, 3.0]),
             "use o argumento alpha, não um 0.01 fixo.", kwargs={"alpha": 0.2}, output=forward_output),
    ],
    "leaky_relu_backward": [
        Case("gradiente [1..6] sobre a lista do slide, alpha = 0.1",
             lambda leaky_relu_forward: (UPSTREAM, leaky_relu_forward(relu_example_values(), 0.1)[1]),
             np.array([0.1, 0.2, 0.3, 4.0, 5.0, 6.0]),
             "a derivada é 1 onde x > 0 e alpha onde x <= 0; guarde alpha no cache.",
             needs=("leaky_relu_forward",)),
    ],
}
