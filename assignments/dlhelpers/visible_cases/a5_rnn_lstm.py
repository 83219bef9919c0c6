"""Visible cases of a5_rnn_lstm: the "hello" walk-through of the slides (dlhelpers.worked_examples)
and a few small cells."""
import numpy as np

from dlhelpers.checks import Case, forward_output, part
from dlhelpers.worked_examples import hello_one_hot, hello_states_slide, hello_weights

RNN_CELL_GRADIENTS = ("dx_t", "dh_prev", "dWx", "dWh", "db")
RNN_GRADIENTS = ("dx", "dh0", "dWx", "dWh", "db")
LSTM_CELL_PARTS = ("h_next", "c_next", "cache")
LSTM_CELL_GRADIENTS = ("dx_t", "dh_prev", "dc_prev", "dWx", "dWh", "db")


def hello_step_1():
    """rnn_cell_forward's arguments for step 1 of "hello": the letter 'h', h_prev = 0."""
    return (hello_one_hot("h")[:, 0], np.zeros((1, 3)), *hello_weights())


def hello_step_2():
    """Step 2: the letter 'e', h_prev = the slide's h_1."""
    return (hello_one_hot("e")[:, 0], hello_states_slide()[:1], *hello_weights())


def hell():
    """rnn_forward's arguments for "hell", h0 = 0."""
    return (hello_one_hot("hell"), np.zeros((1, 3)), *hello_weights())


# --- uma RNN pequena, com Wh não simétrica ---
RNN_X = np.array([[0.5, -1.0], [2.0, 0.25]])  # (m=2, D=2)
RNN_H = np.array([[0.1, -0.3], [-0.5, 0.4]])  # (m=2, H=2)
RNN_WX = np.array([[0.2, -0.4], [0.6, 0.1]])
RNN_WH = np.array([[0.5, -0.7], [0.3, 0.8]])
RNN_B = np.array([0.1, -0.2])
RNN_DH = np.array([[1.0, -2.0], [0.5, 0.3]])

SEQ_X = np.array([[[0.5, -1.0], [1.0, 0.0], [-0.5, 2.0]]])  # (m=1, T=3, D=2)
SEQ_DH_LAST = np.array([[[0.0, 0.0], [0.0, 0.0], [1.0, -1.0]]])
SEQ_X2 = np.array([[[0.5, -1.0], [1.0, 0.0]], [[-0.5, 2.0], [0.3, 0.3]]])  # (m=2, T=2, D=2)
SEQ_H02 = np.array([[0.2, -0.1], [0.0, 0.5]])
SEQ_DH2 = np.array([[[1.0, 0.5], [-1.0, 2.0]], [[0.3, -0.4], [0.0, 1.0]]])

FWD_X = np.array([[[1.0], [-1.0], [0.5]], [[0.0], [2.0], [-0.5]]])  # (m=2, T=3, D=1)
FWD_H0 = np.array([[0.5, -0.5], [0.0, 1.0]])
FWD_WX = np.array([[0.8, -0.3]])

# --- LSTM (portas empilhadas na ordem i, f, c, o) ---
BIAS_ONLY_B = np.array([0.0, 1.0, 2.0, -2.0, 0.5, -1.0, 1.0, -0.5])  # i | f | c | o, H = 2
BIAS_ONLY_ARGS = (np.array([[1.0]]), np.array([[0.3, -0.2]]), np.array([[1.0, -2.0]]),
                  np.zeros((1, 8)), np.zeros((2, 8)), BIAS_ONLY_B)

LSTM_ARGS = (
    np.array([[0.5, -1.0, 0.2], [1.0, 0.3, -0.4]]),  # x_t (m=2, D=3)
    np.array([[0.1, -0.2], [0.4, 0.0]]),  # h_prev (m=2, H=2)
    np.array([[0.5, -0.3], [-1.0, 0.8]]),  # c_prev
    np.linspace(-0.6, 0.6, 24).reshape(3, 8),  # Wx (3, 8)
    np.linspace(0.5, -0.5, 16).reshape(2, 8),  # Wh (2, 8)
    np.array([0.1, -0.1, 1.0, 0.5, 0.0, 0.2, -0.3, 0.3]),  # b (8,)
)
LSTM_DH = np.array([[1.0, -0.5], [0.2, 0.7]])
LSTM_DC = np.array([[0.3, 0.1], [-0.6, 0.4]])

UNIT_ARGS = (  # m=1, D=2, H=1
    np.array([[0.5, -1.0]]),
    np.array([[0.3]]),
    np.array([[-0.4]]),
    np.array([[0.2, -0.5, 0.8, 0.4], [-0.3, 0.6, 0.1, -0.7]]),
    np.array([[0.5, 0.3, -0.6, 0.2]]),
    np.array([0.1, 1.0, -0.2, 0.3]),
)

CASES = {
    "rnn_cell_forward": [
        Case("passo 1 do 'hello': letra 'h', estado anterior zero",
             hello_step_1(), hello_states_slide()[:1],
             "h_next = tanh(x_t @ Wx + h_prev @ Wh + b). Com h_prev = 0 sobra tanh(linha da letra "
             "'h' em Wx + b) = tanh([0.287027, 0.902874, 0.537524] + 0.567001).", output=forward_output),
        Case("passo 2 do 'hello': letra 'e' com o estado do passo 1",
             hello_step_2(), hello_states_slide()[1:],
             "h_prev @ Wh + b deve dar [0.863013, 0.951149, 0.90954], como no slide; some a isso "
             "x_t @ Wx e aplique tanh.", output=forward_output),
        Case("só o bias é diferente de zero (lote de 2)",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -1.0], [0.5, 0.5]]),
              np.zeros((2, 2)), np.zeros((2, 2)), np.array([0.5, -1.0])),
             np.array([[0.46211715726000974, -0.7615941559557649],
                       [0.46211715726000974, -0.7615941559557649]]),
             "só o bias é diferente de zero: cada linha do lote deve ser tanh(b).", output=forward_output),
        Case("só o termo recorrente (x_t = 0, b = 0), Wh não simétrica",
             (np.zeros((1, 2)), np.array([[0.5, -1.0]]), np.ones((2, 2)),
              np.array([[1.0, 2.0], [0.0, -1.0]]), np.zeros(2)),
             np.array([[0.46211715726000974, 0.9640275800758169]]),
             "sobra tanh(h_prev @ Wh). A ordem importa: h_prev @ Wh (shape (m, H) vezes (H, H)), "
             "e não Wh @ h_prev.", output=forward_output),
    ],
    "rnn_cell_backward": [
        Case("passo 1 do 'hello' com dh_next = 1: db",
             lambda rnn_cell_forward: (np.ones((1, 3)), rnn_cell_forward(*hello_step_1())[1]),
             np.array([0.5195182112155202, 0.19080331013504204, 0.35660586321365273]),
             "primeiro volte pela tanh: multiplique dh_next pela derivada da tanh, que se escreve "
             "com a própria saída h_next (a derivada de tanh é 1 - tanh²). db soma esse gradiente "
             "sobre o lote (eixo 0).",
             needs=("rnn_cell_forward",), output=part(RNN_CELL_GRADIENTS, "db")),
        Case("passo 1 do 'hello' com dh_next = 1: dWx e dWh",
             lambda rnn_cell_forward: (np.ones((1, 3)), rnn_cell_forward(*hello_step_1())[1]),
             (np.array([[0.5195182112155202, 0.19080331013504204, 0.35660586321365273],
                        [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
              np.zeros((3, 3))),
             "o gradiente de um peso junta a entrada que ele multiplica (transposta, à esquerda) com "
             "o gradiente que passou pela tanh. Como x_t é o one-hot da letra 'h', só a primeira "
             "linha de dWx é diferente de zero; dWh é zero porque h_prev = 0.",
             needs=("rnn_cell_forward",), output=part(RNN_CELL_GRADIENTS, "dWx", "dWh")),
        Case("lote de 2, Wh não simétrica: (dx_t, dh_prev, dWx, dWh, db)",
             lambda rnn_cell_forward: (RNN_DH, rnn_cell_forward(RNN_X, RNN_H, RNN_WX, RNN_WH, RNN_B)[1]),
             (np.array([[0.6070987624684725, 0.3870091884238828],
                        [-0.03231421932085055, 0.2589144318018331]]),
              np.array([[1.1867575756369808, -0.6339687321235593],
                        [0.0013353185665778045, 0.33475938307267705]]),
              np.array([[1.1862518360980638, -0.004176438432305862],
                        [-0.7324229381509166, 1.1717318241712544]]),
              np.array([[-0.11006084704878484, -0.24719788829257372],
                        [-0.09430894295946475, 0.4404838196924725]]),
              np.array([1.2147996246348023, -0.8295615455516536])),
             "volte primeiro pela tanh (a derivada de tanh é 1 - tanh², e tanh já está em h_next). "
             "Nos gradientes dos pesos a entrada vai transposta à esquerda; nos gradientes de x_t e "
             "h_prev é o peso que vai transposto, à direita; db soma sobre o lote. Confira os shapes: "
             "cada gradiente tem o shape do que ele deriva. A mensagem acima diz qual elemento da "
             "tupla está errado.",
             needs=("rnn_cell_forward",)),
    ],
    "rnn_forward": [
        Case("'hell' letra a letra (o exemplo do slide)",
             hell(),
             np.array([[[0.6931679369276105, 0.8995536058873634, 0.802118530384598],
                        [0.9365337728582275, 0.9491040702973284, 0.7623407408350061],
                        [0.9120082529907519, 0.9306721309153214, 0.8958336255967905],
                        [0.9102292619322491, 0.929610818769315, 0.906533508078206]]]),
             "o h_next de um passo é o h_prev do seguinte, sempre com os mesmos Wx, Wh e b. "
             "h[:, 0] deve ser o passo 1 do slide e h[:, 1] o passo 2.", output=forward_output),
        Case("lote de 2, T = 3, estado inicial h0 diferente de zero",
             (FWD_X, FWD_H0, FWD_WX, RNN_WH, RNN_B),
             np.array([[[0.7615941559557649, -0.8482836399575129],
                        [-0.518062622877169, -0.804677587497257],
                        [-0.0004345876604019069, -0.5588079715319305]],
                       [[0.3799489622552249, 0.5370495669980353],
                        [0.9674648061835746, -0.5623918335888551],
                        [0.015013724771635073, -0.8265472777776416]]]),
             "comece de h0 (não de zeros) e guarde em h[:, t] o estado depois do passo t; "
             "h tem shape (m, T, H), com o lote no primeiro eixo.", output=forward_output),
    ],
    "rnn_backward": [
        Case("perda só no último passo (m = 1, T = 3)",
             lambda rnn_forward: (SEQ_DH_LAST, rnn_forward(SEQ_X, np.zeros((1, 2)), RNN_WX, RNN_WH, RNN_B)[1]),
             (np.array([[[0.1381528874629016, 0.357649050154979],
                         [0.3291469969421097, 0.4773893076773365],
                         [0.45662937096985484, 0.15729847959102305]]]),
              np.array([[0.3322723081417788, 0.14604974878880153]]),
              np.array([[0.9539104334714965, 0.05218332876416566],
                        [0.23188365022502944, -1.8218228110795056]]),
              np.array([[-0.33909610611545293, 0.17575068024263696],
                        [-0.6512864782578776, 0.747244420164855]]),
              np.array([1.8820294634877772, -1.3688084066932766])),
             "dh só é diferente de zero no último passo, mas dx[:, 0] e dx[:, 1] não são zero: o "
             "gradiente volta no tempo pelo dh_prev de cada célula. Percorra t de T-1 até 0 e some "
             "os dWx, dWh e db de todos os passos.",
             needs=("rnn_forward",)),
        Case("perda em todos os passos, lote de 2, h0 diferente de zero",
             lambda rnn_forward: (SEQ_DH2, rnn_forward(SEQ_X2, SEQ_H02, RNN_WX, RNN_WH, RNN_B)[1]),
             (np.array([[[-0.28865290321617015, -0.050348563424021504],
                         [-0.6057460100325391, -0.49728763954836813]],
                        [[-0.08225999935260961, -0.020014062460961202],
                         [-0.32256941141631856, 0.08064235285407964]]]),
              np.array([[-0.5334145319886202, 0.44537003341750214],
                        [-0.15331939785916993, 0.12081947007540456]]),
              np.array([[-1.0610623161861203, 1.4837520553799772],
                        [0.0636210225074413, -0.03659469146141786]]),
              np.array([[0.28019963058124303, 0.5069266791451299],
                        [0.6033317015520753, -0.16880884094172383]]),
              np.array([-1.2489461439748932, 2.623597738056647])),
             "em cada passo, o gradiente que entra na célula é dh[:, t] MAIS o dh_prev que veio do "
             "passo t+1. dh0 é o dh_prev do primeiro passo.",
             needs=("rnn_forward",)),
        Case("'hell' com dh = 1 em todos os passos: dh0 e db",
             lambda rnn_forward: (np.ones((1, 4, 3)), rnn_forward(*hell())[1]),
             (np.array([[0.23439873038078488, 0.08514177829320536, 0.18199598681191215]]),
              np.array([1.0333132345859695, 0.5820125627109074, 1.273730665138904])),
             "db é a soma dos db de todos os passos (os pesos são os mesmos em todos); dh0 é o "
             "gradiente que sai do passo 1 em direção ao estado inicial.",
             needs=("rnn_forward",), output=part(RNN_GRADIENTS, "dh0", "db")),
    ],
    "lstm_cell_forward": [
        Case("pesos zero: só os biases (ordem i, f, c, o), H = 2",
             BIAS_ONLY_ARGS,
             (np.array([[0.5882955277271205, -0.24967939395012634]]),
              np.array([[1.1118556566078872, -0.7951757851901748]])),
             "só o bias é diferente de zero, então z = b: i = sigmoid(b[0:2]), f = sigmoid(b[2:4]), "
             "g = tanh(b[4:6]), o = sigmoid(b[6:8]) (ordem do Keras: i, f, c, o). Depois "
             "c_next = f * c_prev + i * g e h_next = o * tanh(c_next).",
             output=part(LSTM_CELL_PARTS, "h_next", "c_next")),
        Case("lote de 2, D = 3, H = 2: (h_next, c_next)",
             LSTM_ARGS,
             (np.array([[0.1326849925587544, -0.06524170390206438],
                        [-0.2146483921616518, 0.14570924079135036]]),
              np.array([[0.33648163369516326, -0.11796938442988297],
                        [-0.7905271563177183, 0.31813543538348016]])),
             "z = x_t @ Wx + h_prev @ Wh + b tem shape (m, 4H); divida-o em 4 blocos de H colunas "
             "(np.split(z, 4, axis=1)). Se c_next está certo e h_next não, confira a porta de saída.",
             output=part(LSTM_CELL_PARTS, "h_next", "c_next")),
    ],
    "lstm_cell_backward": [
        Case("só a memória recebe gradiente (dh_next = 0, dc_next = 1): dc_prev",
             lambda lstm_cell_forward: (np.zeros((1, 2)), np.ones((1, 2)), lstm_cell_forward(*BIAS_ONLY_ARGS)[2]),
             np.array([[0.8807970779778824, 0.11920292202211757]]),
             "com dh_next = 0, o gradiente da memória é só dc_next; para chegar a c_prev ele passa "
             "pela porta de esquecimento f, que multiplica c_prev no forward. Aqui, "
             "f = sigmoid([2, -2]).",
             needs=("lstm_cell_forward",), output=part(LSTM_CELL_GRADIENTS, "dc_prev")),
        Case("uma unidade (H = 1), dh_next = 1, dc_next = 0: todos os gradientes",
             lambda lstm_cell_forward: (np.array([[1.0]]), np.array([[0.0]]), lstm_cell_forward(*UNIT_ARGS)[2]),
             (np.array([[0.3917511644228558, 0.0408094800583995]]),
              np.array([[-0.3201172064053518]]),
              np.array([[0.40436031465722266]]),
              np.array([[-0.0064981639354006636, -0.03560686546431963, 0.23581335272885381, -0.02319724979183707],
                        [0.012996327870801327, 0.07121373092863927, -0.47162670545770763, 0.04639449958367414]]),
              np.array([[-0.003898898361240398, -0.02136411927859178, 0.14148801163731228, -0.013918349875102242]]),
              np.array([-0.012996327870801327, -0.07121373092863927, 0.47162670545770763, -0.04639449958367414])),
             "a memória recebe gradiente por dois caminhos: dc_next, direto, e dh_next, que chega por "
             "h_next = o * tanh(c_next) (regra da cadeia pela porta o e pela tanh). Depois, cada porta: "
             "sigmoid' = s * (1 - s), tanh' = 1 - g**2; junte os 4 blocos na ordem i, f, c, o "
             "antes de multiplicar por Wx.T e Wh.T.",
             needs=("lstm_cell_forward",)),
        Case("lote de 2, H = 2, dh_next e dc_next: dh_prev, dc_prev e db",
             lambda lstm_cell_forward: (LSTM_DH, LSTM_DC, lstm_cell_forward(*LSTM_ARGS)[2]),
             (np.array([[0.09714939789086781, -0.12890972824878966],
                        [0.09878610261403184, -0.0979146020405425]]),
              np.array([[0.48274745536766717, -0.1066165957114167],
                        [-0.3494352207771872, 0.3521074993804153]]),
              np.array([0.05016222562184518, -0.044561435174258895, 0.19902577129310028,
                        0.15236893726498127, 0.168852491443049, 0.14915161774729324,
                        0.04946288254737971, 0.06821219199579485])),
             "os dois caminhos chegam à memória e se somam: dc_next e o que vem de dh_next por "
             "h_next = o * tanh(c_next). db tem shape (4H,): a soma sobre o lote do gradiente de z, "
             "com os blocos i, f, c, o.",
             needs=("lstm_cell_forward",), output=part(LSTM_CELL_GRADIENTS, "dh_prev", "dc_prev", "db")),
    ],
    "lstm_forward": [
        Case("T = 3, estado e memória iniciais diferentes de zero",
             (np.array([[[1.0], [-0.5], [2.0]]]), np.array([[0.2, -0.4]]), np.array([[1.0, 0.5]]),
              np.array([[0.5, -0.5, 0.3, 0.8, -0.2, 0.6, 1.0, -1.0]]), LSTM_ARGS[4], LSTM_ARGS[5]),
             np.array([[[0.46561720424166125, 0.22774540439837254],
                        [0.169776525654393, 0.20576173947762166],
                        [0.19189180339647235, 0.0669015433688522]]]),
             "em cada passo chame lstm_cell_forward com x[:, t] e passe adiante h_t E c_t; "
             "h[:, t] é o estado oculto depois do passo t.", output=forward_output),
        Case("memória de um pulso (lote de 2, H = 1, Wh = 0)",
             (np.array([[[1.0], [0.0], [0.0], [0.0]], [[0.0], [0.0], [0.0], [0.0]]]),
              np.zeros((2, 1)), np.array([[0.0], [2.0]]),
              np.array([[6.0, 0.0, 2.0, 0.0]]), np.zeros((1, 4)), np.array([-3.0, 3.0, 0.0, 2.0])),
             np.array([[[0.6386623182486268], [0.619889634461501], [0.6009044235580832], [0.581792040518574]],
                       [[0.8426374577431646], [0.8352747350012056], [0.8269850293228325], [0.8177398997899633]]]),
             "a memória c_t é o que passa de um passo para o outro: não recomece de c0 a cada passo. "
             "Com f = sigmoid(3) ≈ 0.95, ela decai devagar.", output=forward_output),
    ],
}
