# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tarefa 1 — O neurônio e as funções de ativação
#
# Nesta tarefa você vai construir, só com numpy, as peças mais básicas de uma rede neural:
#
# 1. a **soma ponderada** de um neurônio (pesos e bias);
# 2. as funções de ativação **sigmoide**, **tanh** e **softmax**;
# 3. a **ReLU** e a **Leaky ReLU**, com os passos *forward* e *backward*;
# 4. um experimento que mostra por que a ReLU facilita o treino de redes profundas.
#
# **Como funciona:** cada exercício é uma função com a docstring já escrita. Troque
# `raise NotImplementedError()` pelo seu código, rode a célula e, em seguida, rode a célula de
# verificação logo abaixo: ela confere a sua função em alguns casos simples e, se algo estiver
# errado, mostra o caso, o valor esperado, o valor obtido e uma dica. A nota final vem de testes
# escondidos, bem mais completos, que rodam quando o professor corrige.
#
# Use apenas numpy nos exercícios.
#
# ### Onde estamos: IA, aprendizado de máquina e aprendizado profundo
#
# Os três nomes aparecem juntos o tempo todo, mas não são sinônimos: cada um está dentro do
# anterior. **Inteligência artificial** é o guarda-chuva: qualquer técnica que faça um computador
# imitar alguma forma de inteligência humana, de regras lógicas e árvores de decisão até redes
# neurais. O **aprendizado de máquina** é a parte da IA em que o programa melhora com a
# experiência, ajustando-se aos dados em vez de seguir regras escritas à mão. Ele tem três
# grandes tipos: o **supervisionado** (aprende com exemplos rotulados, como fotos marcadas "gato" ou
# "cachorro"), o **não supervisionado** (procura estrutura em dados sem rótulo, como grupos de
# clientes parecidos) e o **por reforço** (um agente aprende por tentativa e erro, recebendo
# recompensas e punições). O **aprendizado profundo** (*deep learning*), o assunto deste curso, é
# o aprendizado de máquina feito com redes neurais de muitas camadas, alimentadas com muitos
# dados. A grande diferença está nas **características** (*features*): no aprendizado de máquina
# clássico, uma pessoa decide quais medidas extrair dos dados (o tamanho de um objeto, a cor
# média, a contagem de palavras); no aprendizado profundo, a própria rede aprende essas
# características a partir dos dados brutos, como os pixels de uma imagem. A **ciência de dados**
# cruza com todos eles: é a área que junta estatística e computação para tirar conclusões úteis
# de grandes conjuntos de dados.

# %%
import numpy as np
import matplotlib.pyplot as plt

from dlhelpers.worked_examples import rain_example  # os exemplos numéricos das aulas

np.set_printoptions(precision=4, suppress=True)
# %matplotlib inline

# %% [markdown]
# ## 1. O neurônio artificial
#
# Um neurônio artificial recebe várias entradas $x_1, \dots, x_d$. Cada entrada chega por uma
# conexão com um **peso** $w_i$, que diz o quanto aquela entrada importa (e se ela empurra o
# resultado para cima ou para baixo). O neurônio soma as entradas ponderadas e acrescenta um
# **bias** $b$, um deslocamento que não depende das entradas:
#
# $$z = x_1 w_1 + x_2 w_2 + \dots + x_d w_d + b = \mathbf{x} \cdot \mathbf{w} + b$$
#
# Depois, uma **função de ativação** transforma $z$ na saída do neurônio.
#
# > **A inspiração biológica.** O modelo imita, de forma bem simplificada, um neurônio do
# > cérebro. Os **dendritos** recebem sinais de outros neurônios: são as entradas $x_i$. Cada
# > sinal chega por uma **sinapse**, que pode ser mais forte ou mais fraca, e é esse o papel dos
# > pesos $w_i$. No corpo da célula (o **soma**), os sinais se acumulam, e o neurônio só dispara
# > se o total passar de um **limiar**; no modelo, o bias desloca esse limiar e a função de
# > ativação decide a resposta. O sinal de saída segue pelo **axônio** até os próximos neurônios,
# > assim como a saída de um neurônio artificial vira entrada da camada seguinte. E, como no
# > cérebro, muitos neurônios trabalham **em paralelo**: uma camada inteira calcula todas as suas
# > saídas ao mesmo tempo.
#
# **Exemplo das aulas.** Duas entradas, $A = 2$ e $B = 5$, com pesos $3$ e $6$:
# a soma ponderada é $2 \cdot 3 + 5 \cdot 6 = 36$. Com bias $-2$, o total é $36 - 2 = 34$.
# Esse número é o que segue para a função de ativação.
#
# **Exercício 1.** Escreva `neuron_forward`, a soma ponderada de um neurônio (ainda sem ativação).

# %% exercise="neuron_forward" points=1

# %% [markdown]
# ## 2. Por que precisamos de funções de ativação?
#
# Se cada neurônio só calculasse $z = \mathbf{x} \cdot \mathbf{w} + b$, empilhar camadas não
# adiantaria nada: uma combinação linear de combinações lineares ainda é uma combinação linear.
# A rede inteira seria equivalente a uma única camada e só conseguiria separar classes com uma
# reta (ou um plano).
#
# As funções de ativação quebram essa linearidade. Três famílias aparecem nas aulas:
#
# - **degrau** (*step*): 1 se $z$ passa de um limiar, 0 caso contrário. Foi a do perceptron
#   original, mas a derivada é zero em quase todo ponto, então não serve para treinar com
#   gradiente;
# - **linear**: $f(z) = z$. Útil na saída de uma regressão, mas não acrescenta poder à rede;
# - **não lineares**: sigmoide, tanh, ReLU e companhia. São elas que permitem à rede aprender
#   fronteiras curvas e padrões complexos.
#
# > **Uma linha do tempo.** As redes neurais não nasceram prontas; cada etapa resolveu um limite
# > da anterior:
# >
# > - **1943, McCulloch e Pitts:** o primeiro modelo matemático de neurônio, com um degrau na
# >   saída. Os pesos eram ajustáveis, mas escolhidos à mão: o modelo não aprendia.
# > - **1958, Rosenblatt:** o **perceptron**, o primeiro neurônio que **aprende** os pesos e o
# >   limiar a partir de exemplos.
# > - **1960, Widrow e Hoff:** o ADALINE e a regra de aprendizado que leva o nome deles, também
# >   com pesos aprendidos, ajustados pelo erro de cada exemplo.
# > - **1969, Minsky e Papert:** mostram que um único neurônio não resolve o **XOR** (você vai
# >   ver por quê na tarefa 4), e o interesse pela área esfria por anos.
# > - **1986, Rumelhart, Hinton e Williams:** o **backpropagation** treina redes com camadas
# >   ocultas e resolve problemas não linearmente separáveis. Os novos problemas são o custo
# >   computacional alto, os mínimos locais e o overfitting.
# > - **1995, Vapnik e Cortes:** as **máquinas de vetores de suporte** (SVM) tomam a frente. Elas
# >   funcionam muito bem, mas dependem de uma função de *kernel* escolhida por uma pessoa, ou
# >   seja, de conhecimento prévio colocado à mão.
# > - **2006, Hinton e Salakhutdinov** (e, no mesmo ano, Hinton, Osindero e Teh, com as *deep
# >   belief networks*): redes profundas **pré-treinadas camada por camada** aprendem
# >   **características em hierarquia**, das mais simples às mais abstratas. É o começo do
# >   aprendizado profundo como o conhecemos.
#
# Um exemplo de degrau das aulas: para decidir se está chovendo a partir de (dia/noite,
# temperatura, mês) = $(0, 12, 11)$, com pesos $(0{,}1;\ 1;\ 1)$ e bias total $1$, a soma ponderada
# é $0 + 12 + 11 + 1 = 24$. (O slide escreve 23, mas a conta dá 24.) Como $24 > 20$, o
# degrau responde "está chovendo".

# %%
def step(z, threshold=0.0):
    """Função degrau: 1 onde z > threshold, 0 no resto."""
    return (np.asarray(z) > threshold).astype(float)


z_rain = neuron_forward(*rain_example())  # entradas (0, 12, 11), pesos (0,1; 1; 1), bias 1
print("soma ponderada:", z_rain, "-> está chovendo?", bool(step(z_rain, threshold=20)))

# %% [markdown]
# ## 3. Sigmoide
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}$$
#
# A sigmoide espreme qualquer número real no intervalo $(0, 1)$, por isso é usada para
# representar uma probabilidade, por exemplo na saída de um classificador binário. Sua derivada
# tem uma forma simpática: $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$, e nunca passa de $0{,}25$.
#
# **Cuidado numérico.** Para $z = -1000$, $e^{-z} = e^{1000}$ não cabe em um float e o numpy avisa
# *overflow*. Uma forma estável: use $e^{-|z|}$, que está sempre entre 0 e 1, e escreva
# $\sigma(z) = \frac{1}{1 + e^{-|z|}}$ quando $z \ge 0$ e $\sigma(z) = \frac{e^{-|z|}}{1 + e^{-|z|}}$
# quando $z < 0$ (as duas expressões são a mesma função).
#
# **Exercício 2.** Escreva `sigmoid`.

# %% exercise="sigmoid" points=1

# %% [markdown]
# ## 4. Tangente hiperbólica
#
# $$\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}$$
#
# A tanh tem o mesmo formato de "S" da sigmoide, mas vai de $-1$ a $1$ e é simétrica em torno da
# origem: $\tanh(-z) = -\tanh(z)$. Saídas centradas em zero costumam deixar o treino mais estável.
# Na verdade, $\tanh(z) = 2\sigma(2z) - 1$. Ela é a ativação clássica das redes recorrentes,
# que você vai programar na tarefa 5.
#
# **Exercício 3.** Escreva `tanh`.

# %% exercise="tanh" points=1

# %% [markdown]
# ## 5. Softmax
#
# Na saída de um classificador com $K$ classes, a rede produz $K$ pontuações (*logits*). A
# softmax transforma essas pontuações em uma distribuição de probabilidade:
#
# $$\text{softmax}(\mathbf{z})_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}$$
#
# Todas as saídas ficam entre 0 e 1 e somam 1; a maior pontuação recebe a maior probabilidade.
#
# **Truque de estabilidade.** Somar a mesma constante a todas as pontuações não muda a softmax
# (ela aparece no numerador e no denominador). Subtraindo o máximo, o maior expoente vira 0 e
# nada estoura: `softmax([1000, 1001, 1002])` é igual a `softmax([0, 1, 2])`.
#
# **Exercício 4.** Escreva `softmax`, ao longo do eixo `axis` (padrão: o último, ou seja, uma
# distribuição por linha quando a entrada tem shape `(m, K)`).

# %% exercise="softmax" points=2

# %%
scores = np.array([[2.0, 1.0, 0.1], [1000.0, 1001.0, 1002.0]])
probabilities = softmax(scores)
print(probabilities)
print("cada linha soma:", probabilities.sum(axis=1))

# %% [markdown]
# ## 6. ReLU — forward e backward
#
# $$\text{ReLU}(z) = \max(0, z)$$
#
# Valores positivos passam como estão; negativos viram zero. Com a lista das aulas:
# `ReLU([-2, -1, 0, 1, 2, 3]) = [0, 0, 0, 1, 2, 3]`. Depois de uma convolução, a ReLU apaga as
# respostas negativas e deixa só as ativações que importam: `[-1, -0,5, 0, 1, 1,5]` vira
# `[0, 0, 0, 1, 1,5]`.
#
# ### A convenção forward/backward
#
# A partir daqui, cada camada tem dois passos, como nas bibliotecas de verdade:
#
# - o **forward** recebe a entrada e devolve a saída **e um `cache`**: o que for preciso guardar
#   para calcular os gradientes depois;
# - o **backward** recebe `dout`, o gradiente da perda em relação à saída da camada, e o
#   `cache`, e devolve o gradiente em relação à entrada (regra da cadeia).
#
# Para a ReLU, a derivada é 1 onde $z > 0$ e 0 onde $z \le 0$ (em $z = 0$ adotamos 0, como o
# TensorFlow). Então `dx = dout` onde a entrada era positiva e `0` no resto.
#
# **Exercícios 5 e 6.** Escreva `relu_forward` e `relu_backward`.

# %% exercise="relu_forward" points=1

# %% exercise="relu_backward" points=1

# %% [markdown]
# ## 7. Leaky ReLU
#
# A ReLU tem um ponto fraco: um neurônio cuja soma ponderada fica negativa para todas as
# entradas devolve sempre zero e recebe gradiente zero. Ele para de aprender — é um neurônio
# "morto". A **Leaky ReLU** deixa passar um pouquinho do lado negativo:
#
# $$\text{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}$$
#
# com $\alpha$ pequeno (aqui, 0,01 por padrão). A derivada é 1 do lado positivo e $\alpha$ do
# lado negativo, então o gradiente nunca some por completo.
#
# **Exercícios 7 e 8.** Escreva `leaky_relu_forward` e `leaky_relu_backward`.

# %% exercise="leaky_relu_forward" points=1

# %% exercise="leaky_relu_backward" points=1

# %% [markdown]
# ## 8. As ativações lado a lado
#
# Os gráficos abaixo usam as **suas** funções. À esquerda, as ativações; à direita, as
# derivadas. Repare que a derivada da sigmoide nunca passa de 0,25 e a da tanh chega a 1 só no
# zero; as duas se aproximam de zero quando $|z|$ cresce (a função "satura"). A derivada da ReLU
# é exatamente 1 para todo $z > 0$.

# %%
z = np.linspace(-5, 5, 401)
relu_out, relu_cache = relu_forward(z)
leaky_out, leaky_cache = leaky_relu_forward(z, alpha=0.1)
curves = {
    "degrau": (step(z), np.zeros_like(z)),
    "sigmoide": (sigmoid(z), sigmoid(z) * (1 - sigmoid(z))),
    "tanh": (tanh(z), 1 - tanh(z) ** 2),
    "ReLU": (relu_out, relu_backward(np.ones_like(z), relu_cache)),
    "Leaky ReLU (alpha=0.1)": (leaky_out, leaky_relu_backward(np.ones_like(z), leaky_cache)),
}
fig, (ax_f, ax_d) = plt.subplots(1, 2, figsize=(11, 4))
for label, (values, derivative) in curves.items():
    ax_f.plot(z, values, label=label)
    ax_d.plot(z, derivative, label=label)
ax_f.set_title("ativação f(z)")
ax_d.set_title("derivada f'(z)")
for ax in (ax_f, ax_d):
    ax.axhline(0, color="gray", lw=0.5)
    ax.set_xlabel("z")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 9. Por que a ReLU ajuda contra o gradiente que desaparece
#
# No *backpropagation*, o gradiente que chega à primeira camada é um **produto** de derivadas,
# uma por camada (regra da cadeia). Se cada fator é no máximo 0,25, como na sigmoide, depois de
# 10 camadas o gradiente pode ter encolhido $0{,}25^{10} \approx 10^{-6}$ vezes: as primeiras
# camadas quase não aprendem. É o problema do **gradiente que desaparece** (*vanishing
# gradient*). Com a ReLU, a derivada nas unidades ativas é exatamente 1, e o produto não encolhe
# por causa da ativação.
#
# O experimento abaixo monta uma rede densa de 15 camadas (64 neurônios cada, pesos aleatórios
# na escala usual de cada ativação), passa um lote aleatório para a frente e um gradiente
# aleatório para trás, e mede o tamanho (norma) do gradiente que chega a cada camada. O backward
# da ReLU é o **seu** `relu_backward`.

# %%
rng = np.random.default_rng(0)
n_layers, width = 15, 64
x0 = rng.standard_normal((32, width))


def gradient_norms(activation):
    """Norma do gradiente em relação à entrada de cada camada, da última para a primeira."""
    scale = np.sqrt(2 / width) if activation == "relu" else np.sqrt(1 / width)
    weights = [rng.standard_normal((width, width)) * scale for _ in range(n_layers)]
    a, caches = x0, []
    for W in weights:
        z = a @ W
        if activation == "relu":
            a, cache = relu_forward(z)
        else:
            a = sigmoid(z)
            cache = a
        caches.append(cache)
    grad, norms = rng.standard_normal(a.shape), []
    for W, cache in zip(reversed(weights), reversed(caches)):
        if activation == "relu":
            grad = relu_backward(grad, cache)
        else:
            grad = grad * cache * (1 - cache)  # derivada da sigmoide: s (1 - s)
        grad = grad @ W.T
        norms.append(np.linalg.norm(grad))
    return norms[::-1]


layers = np.arange(1, n_layers + 1)
plt.figure(figsize=(7, 4))
plt.semilogy(layers, gradient_norms("sigmoid"), "o-", label="sigmoide")
plt.semilogy(layers, gradient_norms("relu"), "s-", label="ReLU")
plt.xlabel("camada (1 = perto da entrada)")
plt.ylabel("norma do gradiente (escala log)")
plt.title("O gradiente ao voltar pela rede")
plt.legend()
plt.show()

# %% [markdown]
# Com a sigmoide, a norma do gradiente cai várias ordens de grandeza até chegar às primeiras
# camadas; com a ReLU, ela fica praticamente do mesmo tamanho em todas. Foi essa propriedade,
# junto com o custo baixíssimo de calcular $\max(0, z)$, que tornou a ReLU a ativação padrão das
# camadas ocultas das redes profundas (a AlexNet, de 2012, já a usava).
#
# ## Resumo
#
# - Um neurônio calcula $\mathbf{x} \cdot \mathbf{w} + b$ e passa o resultado por uma ativação.
# - Sem ativações não lineares, uma rede profunda equivale a uma única camada linear.
# - Sigmoide e tanh saturam: suas derivadas são pequenas longe do zero.
# - A softmax transforma pontuações em probabilidades; subtrair o máximo a deixa estável.
# - ReLU e Leaky ReLU mantêm o gradiente vivo nas unidades ativas.
# - Toda camada tem um forward que devolve `(out, cache)` e um backward que recebe
#   `(dout, cache)`: você vai usar essa convenção em todas as próximas tarefas.
