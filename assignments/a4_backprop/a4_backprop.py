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
# # Tarefa 4 — Backpropagation, funções de perda e otimizadores
#
# Nas tarefas anteriores você escreveu ativações, convoluções e pooling: o caminho **de ida** de
# uma rede. Agora vamos ensinar a rede a aprender. Você vai construir, só com numpy:
#
# 1. a **camada densa** (totalmente conectada), com os passos *forward* e *backward*;
# 2. três **funções de perda**: erro quadrático médio, entropia cruzada binária e entropia
#    cruzada categórica com softmax;
# 3. a **regra da cadeia** aplicada, número a número, ao exemplo 2-2-2 das aulas (a maçã);
# 4. a **verificação numérica do gradiente**, o teste que todo backward deveria passar;
# 5. o **dropout**, para combater o overfitting;
# 6. os otimizadores **SGD** e **Adam**;
# 7. uma **rede de duas camadas montada só com as suas funções**, treinada para distinguir
#    tumores malignos de benignos em dados médicos reais;
# 8. e, no fim, duas demonstrações com as suas funções: por que um único neurônio não aprende o
#    **XOR** e uma camada oculta aprende, e uma rede que reconhece **dígitos escritos à mão**.
#
# **Como funciona:** cada exercício é uma função com a docstring já escrita. Troque
# `raise NotImplementedError()` pelo seu código, rode a célula e, em seguida, rode a célula de
# verificação logo abaixo: ela confere a sua função em alguns casos simples e, se algo estiver
# errado, mostra o caso, o valor esperado, o valor obtido e uma dica. A nota final vem de testes
# escondidos, bem mais completos, que rodam quando o professor corrige.
#
# Use apenas numpy nos exercícios.

# %%
import numpy as np
import matplotlib.pyplot as plt
from scipy.special import expit  # a sigmoide logística, 1 / (1 + e^-z), que você escreveu na tarefa 1

from dlhelpers.worked_examples import (  # os exemplos numéricos das aulas: a rede 2-2-2 da maçã, o dropout
    APPLE_HIDDEN_GRADIENT, APPLE_LEARNING_RATE, apple_features, apple_first_hidden_unit, apple_hidden_outputs,
    apple_network_outputs, apple_output_weights, apple_targets, dropout_example,
)

np.set_printoptions(precision=5, suppress=True)
# %matplotlib inline

# %% [markdown]
# ## 1. A camada densa — forward
#
# Em uma camada **densa** (ou totalmente conectada), cada um dos $k$ neurônios recebe **todas**
# as $d$ entradas. Na tarefa 1 você calculou a soma ponderada de um neurônio, $\mathbf{x} \cdot
# \mathbf{w} + b$. Com $k$ neurônios, guardamos os pesos lado a lado, uma coluna por neurônio,
# em uma matriz $W$ de shape $(d, k)$, e os biases em um vetor $\mathbf{b}$ de shape $(k,)$.
#
# Para processar um **lote** de $m$ exemplos de uma vez, empilhamos os exemplos nas linhas de
# $X$, de shape $(m, d)$. A camada inteira vira um produto de matrizes:
#
# $$Z = X W + \mathbf{b}, \qquad \underbrace{(m, k)}_{Z} = \underbrace{(m, d)}_{X} \cdot
# \underbrace{(d, k)}_{W} + \underbrace{(k,)}_{\mathbf{b}}$$
#
# ou, elemento a elemento, $Z_{ic} = \sum_{j=1}^{d} X_{ij} W_{jc} + b_c$. O bias tem uma entrada
# por neurônio e é somado a **todas** as linhas (o *broadcasting* do numpy faz isso sozinho).
# Essa é a convenção do Keras: o `kernel` de uma camada `Dense(k)` tem exatamente shape $(d, k)$.
#
# **Exemplo das aulas.** A rede 2-2-2 das aulas recebe uma maçã descrita por forma $i_1 = 0{,}22$
# e massa $i_2 = 0{,}93$. O primeiro neurônio oculto tem pesos $w_1 = 0{,}11$, $w_2 = 0{,}25$ e
# bias $0{,}30$, e a sua entrada é
#
# $$\text{Entrada}(h_1) = 0{,}11 \cdot 0{,}22 + 0{,}25 \cdot 0{,}93 + 0{,}30 = 0{,}5567.$$
#
# Como toda camada daqui em diante, `dense_forward` devolve a saída **e um `cache`** com o que o
# backward vai precisar.
#
# **Exercício 1.** Escreva `dense_forward`.

# %% exercise="dense_forward" points=1

# %%
apple = apple_features()  # shape (1, 2): um exemplo com 2 atributos, forma 0,22 e massa 0,93
net_h1, h1_cache = dense_forward(apple, *apple_first_hidden_unit())  # W = [[0,11], [0,25]], b = [0,30]
print("Entrada(h1) =", net_h1[0, 0])
print("Saída(h1) = sigmoide(Entrada(h1)) =", round(expit(net_h1[0, 0]), 5))

# %% [markdown]
# ## 2. A camada densa — backward
#
# No backward chega `dout` $= \partial L / \partial Z$, shape $(m, k)$: o quanto a perda $L$ muda
# quando cada saída da camada muda. Queremos o gradiente em relação a tudo que entrou na camada.
# Partindo de $Z_{ic} = \sum_j X_{ij} W_{jc} + b_c$ e aplicando a regra da cadeia:
#
# - **pesos:** $W_{jc}$ aparece em todas as linhas $i$ do lote, sempre multiplicado por
#   $X_{ij}$. Então $\frac{\partial L}{\partial W_{jc}} = \sum_i X_{ij}\,
#   \frac{\partial L}{\partial Z_{ic}}$, ou seja,
#   $$dW = X^\top \, dZ \qquad (d, k) = (d, m) \cdot (m, k)$$
# - **entradas:** $X_{ij}$ alimenta todos os neurônios $c$, com peso $W_{jc}$:
#   $$dX = dZ \, W^\top \qquad (m, d) = (m, k) \cdot (k, d)$$
# - **bias:** $\partial Z_{ic} / \partial b_c = 1$, e o mesmo $b_c$ serve a todos os exemplos:
#   $$db_c = \sum_i dZ_{ic} \qquad (k,)$$
#
# **Dica que vale para a vida toda:** na dúvida sobre onde vai a transposta, confira os shapes.
# `dW` tem de ter o shape de `W`, `dx` o de `x` e `db` o de `b`; só uma combinação de produtos
# encaixa.
#
# **Exercício 2.** Escreva `dense_backward`.

# %% exercise="dense_backward" points=2

# %% [markdown]
# ## 3. Funções de perda: o erro quadrático médio
#
# A **função de perda** resume em um número o quanto as previsões da rede erram. Treinar é
# procurar os pesos que a deixam pequena, e o backward começa justamente pelo gradiente da perda
# em relação às previsões.
#
# Para regressão (prever números), a perda clássica é o **erro quadrático médio** (MSE):
#
# $$\text{MSE} = \frac{1}{N} \sum_{i=1}^{N} (\hat y_i - y_i)^2, \qquad
# \frac{\partial\, \text{MSE}}{\partial \hat y_i} = \frac{2}{N} (\hat y_i - y_i)$$
#
# O quadrado tem duas funções: todo erro conta como positivo (erros de sinais opostos não se
# cancelam) e erros grandes pesam muito mais que erros pequenos. Como no Keras, a média é sobre
# **todos** os elementos: com previsões de shape $(m, k)$, $N = m \cdot k$.
#
# **Ligação com o exemplo 2-2-2.** Nas aulas, o erro da rede da maçã é escrito como
# $E_{total} = \frac{1}{2}(t_1 - o_1)^2 + \frac{1}{2}(t_2 - o_2)^2$, com saídas
# $o = (0{,}68657;\ 0{,}74484)$ e alvos $t = (0{,}01;\ 0{,}99)$. Com duas saídas, os fatores
# $\frac{1}{2}$ são exatamente a média: $E_{total}$ **é** o MSE, e vale $0{,}25893$. O gradiente
# também bate: $\frac{2}{2}(o_1 - t_1) = 0{,}67657$, o $\partial E_{total} / \partial o_1$ do slide.
#
# **Exercício 3.** Escreva `mse_loss`, que devolve a perda e o seu gradiente.

# %% exercise="mse_loss" points=1

# %% [markdown]
# ## 4. Entropia cruzada binária
#
# Em classificação binária (spam ou não, fraude ou não, tumor maligno ou benigno), a rede devolve
# $p$, a probabilidade prevista da classe 1, e o rótulo verdadeiro é $y \in \{0, 1\}$. A perda
# padrão é a **entropia cruzada binária** (BCE):
#
# $$\text{BCE} = -\frac{1}{N} \sum_{i=1}^{N} \big[\, y_i \log p_i + (1 - y_i) \log (1 - p_i)
# \,\big]$$
#
# Para cada exemplo só um dos termos sobra: se $y = 1$, a perda é $-\log p$; se $y = 0$, é
# $-\log(1 - p)$. A derivada de cada termo é
#
# $$\frac{\partial}{\partial p}\big[-y \log p - (1-y)\log(1-p)\big] = \frac{p - y}{p\,(1 - p)},$$
#
# dividida por $N$ por causa da média.
#
# **Cuidado numérico.** Se a rede disser $p = 0$ para um exemplo da classe 1, a perda seria
# $-\log 0 = \infty$. O Keras evita isso limitando $p$ ao intervalo $[10^{-7},\ 1 - 10^{-7}]$
# antes do log (`np.clip`). A perda máxima por exemplo fica então $-\log 10^{-7} \approx 16{,}12$,
# e onde $p$ foi cortada o gradiente é zero (a função cortada é constante ali).
#
# **Exercício 4.** Escreva `binary_cross_entropy`.

# %% exercise="binary_cross_entropy" points=2

# %% [markdown]
# Por que não usar o MSE também na classificação? Compare as duas perdas para um exemplo da
# classe 1, enquanto a probabilidade prevista $p$ vai de quase 0 a 1. O gráfico usa as **suas**
# funções.

# %%
p_grid = np.linspace(0.001, 0.999, 300)
one = np.ones(1)
bce_curve = [binary_cross_entropy(np.array([p]), one)[0] for p in p_grid]
mse_curve = [mse_loss(np.array([p]), one)[0] for p in p_grid]

plt.figure(figsize=(6.5, 4))
plt.plot(p_grid, bce_curve, label="entropia cruzada: -log(p)")
plt.plot(p_grid, mse_curve, label="erro quadrático: (1 - p)²")
plt.xlabel("probabilidade prevista p (a classe certa é 1)")
plt.ylabel("perda")
plt.title("Errar com confiança custa caro na entropia cruzada")
plt.legend()
plt.show()

# %% [markdown]
# Quando a rede erra com confiança ($p \to 0$), o erro quadrático nunca passa de 1, enquanto a
# entropia cruzada cresce sem limite (até os 16,12 do corte). O gradiente acompanha: a entropia
# cruzada empurra com força justamente os exemplos mais errados.
#
# ## 5. Entropia cruzada categórica com softmax
#
# Com $K$ classes, a última camada devolve $K$ pontuações (*logits*) $\mathbf{z}$ por exemplo, e
# a softmax da tarefa 1 as transforma em probabilidades $\hat y_k$. A **entropia cruzada
# categórica** das aulas é
#
# $$L = -\sum_{k=1}^{K} y_k \log \hat y_k,$$
#
# com o rótulo $\mathbf{y}$ em *one-hot* (um 1 na classe certa, zeros no resto). Só o termo da
# classe certa sobrevive, então basta saber **qual** é a classe: com rótulos inteiros $y_i \in
# \{0, \dots, K-1\}$ (a forma que o Keras chama de `sparse_categorical_crossentropy`, usada no
# laboratório da CIFAR-10), a perda média sobre $m$ exemplos é
#
# $$L = -\frac{1}{m} \sum_{i=1}^{m} \log \text{softmax}(\mathbf{z}_i)_{y_i}.$$
#
# **Por que juntar softmax e perda em uma função só?** Porque o gradiente combinado é
# lindamente simples:
#
# $$\frac{\partial L}{\partial z_{ik}} = \frac{1}{m}\big(\text{softmax}(\mathbf{z}_i)_k -
# [k = y_i]\big),$$
#
# ou seja, as probabilidades previstas menos o one-hot, divididas por $m$. E dá para calcular
# $\log \text{softmax}$ de forma estável: subtraindo o máximo de cada linha (o truque da tarefa 1),
# $\log \text{softmax}(\mathbf{z})_k = (z_k - \max \mathbf{z}) - \log \sum_j e^{z_j - \max
# \mathbf{z}}$, sem nunca calcular `exp(1000)`.
#
# **Exercício 5.** Escreva `softmax_cross_entropy`.

# %% exercise="softmax_cross_entropy" points=2

# %% [markdown]
# **Duas classes: softmax ou sigmoide?** Com $K = 2$ logits $(z_0, z_1)$, a softmax dá à classe 1
# a probabilidade $\frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \sigma(z_1 - z_0)$. Então a entropia cruzada
# categórica com 2 logits é a mesma coisa que a binária aplicada à sigmoide da diferença. As
# suas duas funções devem concordar:

# %%
two_logits = np.array([[0.3, 1.5], [2.0, -1.0], [0.0, 0.2]])
labels = np.array([1, 0, 0])
loss_softmax, _ = softmax_cross_entropy(two_logits, labels)
loss_binary, _ = binary_cross_entropy(expit(two_logits[:, 1] - two_logits[:, 0]), labels.astype(float))
print(f"softmax + entropia cruzada categórica: {loss_softmax:.6f}")
print(f"sigmoide + entropia cruzada binária:   {loss_binary:.6f}")

# %% [markdown]
# ## 6. A regra da cadeia no exemplo 2-2-2
#
# Com a camada densa e as perdas prontas, dá para refazer, número a número, o backpropagation da
# rede das aulas: 2 entradas (a maçã, $i_1 = 0{,}22$ e $i_2 = 0{,}93$), 2 neurônios ocultos e 2
# saídas, todos com sigmoide, alvos $t = (0{,}01;\ 0{,}99)$ e erro $E_{total}$ (o MSE da seção 3).
#
# Queremos saber quanto o erro muda quando mexemos em $w_5$, o peso que liga $h_1$ à saída
# $o_1$. O caminho de $w_5$ até o erro tem três elos, e a regra da cadeia multiplica as derivadas
# de cada elo:
#
# $$\frac{\partial E}{\partial w_5} = \underbrace{\frac{\partial E}{\partial o_1}}_{\text{perda}}
# \cdot \underbrace{\frac{\partial o_1}{\partial \text{net}_{o_1}}}_{\text{sigmoide}} \cdot
# \underbrace{\frac{\partial \text{net}_{o_1}}{\partial w_5}}_{\text{camada densa}}
# = (o_1 - t_1) \cdot o_1 (1 - o_1) \cdot \text{Saída}(h_1)$$
#
# O produto dos dois primeiros fatores tem nome: é o **delta** do neurônio, $\delta_{o_1} =
# \partial E / \partial \text{net}_{o_1}$. É ele que entra como `dout` no backward da camada densa,
# e `dense_backward` faz o terceiro elo por você ($dW = X^\top \delta$).
#
# Os slides imprimem as saídas dos neurônios, mas não todos os pesos da camada de saída; por isso
# partimos das saídas impressas. (O $dW$ não depende de $W$, então qualquer $W$ serve no forward
# abaixo.)

# %%
hidden_out = apple_hidden_outputs()  # Saída(h1), Saída(h2), impressas no slide: [[0,63569, 0,67195]]
output = apple_network_outputs()     # Saída(o1), Saída(o2): [[0,68657, 0,74484]]
target = apple_targets()             # [[0,01, 0,99]]

E_total, dE_doutput = mse_loss(output, target)
sigmoid_slope = output * (1 - output)  # derivada da sigmoide: s (1 - s)
delta_output = dE_doutput * sigmoid_slope
_, output_cache = dense_forward(hidden_out, apple_output_weights(), np.zeros(2))
_, dW_output, db_output = dense_backward(delta_output, output_cache)

print(f"E_total               = {E_total:.5f}")
print(f"dE/dSaída(o1), (o2)   = {dE_doutput[0]}")
print(f"o (1 - o)             = {sigmoid_slope[0]}")
print(f"delta(o1), delta(o2)  = {delta_output[0]}")
print(f"dE/dw5  (h1 -> o1)    = {dW_output[0, 0]:.5f}")
print(f"dE/dw   (h2 -> o2)    = {dW_output[1, 1]:.5f}")

# %% [markdown]
# Os números batem com os do slide: $E_{total} = 0{,}25893$, $\partial E / \partial o_1 =
# 0{,}67657$, inclinação da sigmoide $0{,}21519$ e $\partial E / \partial w_5 = 0{,}09255$ (e
# $-0{,}03131$ para o peso de $h_2$ a $o_2$, que o slide chama de $w_7$). Dois pequenos deslizes
# do slide, para você não se confundir se estiver acompanhando por lá:
#
# - na conta de $\partial E / \partial o_1$, o slide escreve $-(0{,}01 - 0{,}63569)$, com a saída
#   de $h_1$ no lugar da de $o_1$; o certo é $-(0{,}01 - 0{,}68657) = 0{,}67657$, que é o valor
#   que ele usa dali em diante;
# - o delta $\delta_{o_1} = 0{,}67657 \cdot 0{,}21519$ aparece como $0{,}13850$ (e $0{,}13870$);
#   o produto vale $0{,}14559$. O valor final de $\partial E / \partial w_5$ está certo porque lá
#   os três fatores são multiplicados diretamente.
#
# Repare também no bias: $\partial\, \text{net}_{o_1} / \partial b = 1$, então o gradiente de um
# bias é o próprio delta do neurônio (o `db` acima), e não $\partial E / \partial w_5$ como
# aparece na atualização dos bias do slide.
#
# ### Descendo mais uma camada: $\partial E / \partial w_1$
#
# O peso $w_1$ liga a entrada $i_1$ a $h_1$. Agora o caminho até o erro passa por $h_1$, que
# alimenta **as duas** saídas, e as duas contribuições se somam. O slide chega a
# $\partial E / \partial \text{Saída}(h_1) = 0{,}03635$, e daí
#
# $$\frac{\partial E}{\partial w_1} = \frac{\partial E}{\partial \text{Saída}(h_1)} \cdot
# \text{Saída}(h_1)\big(1 - \text{Saída}(h_1)\big) \cdot i_1
# = 0{,}03635 \cdot 0{,}23159 \cdot 0{,}22 = 0{,}00185.$$
#
# Aqui o slide tem mais dois deslizes: a inclinação $0{,}63569 \cdot (1 - 0{,}63569)$ vale
# $0{,}23159$ (não $0{,}24130$), e $\partial\, \text{net}_{h_1} / \partial w_1$ é a **entrada**
# $i_1 = 0{,}22$ (o $0{,}01$ do slide é o alvo $t_1$). Por isso o resultado é $0{,}00185$, e não
# $0{,}00044$. O backward da primeira camada, com o `cache` guardado na seção 1, confirma:

# %%
saida_h1 = hidden_out[0, 0]
hidden_slope = saida_h1 * (1 - saida_h1)
delta_h1 = np.array([[APPLE_HIDDEN_GRADIENT * hidden_slope]])  # dE/dSaída(h1) = 0,03635, do slide
_, dW_hidden, db_hidden = dense_backward(delta_h1, h1_cache)

print(f"Saída(h1) (1 - Saída(h1)) = {hidden_slope:.5f}")
print(f"dE/dw1 = {dW_hidden[0, 0]:.5f}   dE/dw2 = {dW_hidden[1, 0]:.5f}   dE/db = {db_hidden[0]:.5f}")

# %% [markdown]
# Com todos os gradientes em mãos, cada peso anda um passinho contra o seu gradiente, com taxa de
# aprendizado $\eta = 0{,}5$ no exemplo das aulas: $w^{+} = w - \eta\, \partial E / \partial w$.
# Você vai programar exatamente essa atualização na seção 9 e aplicá-la a $w_5$ e $w_1$.
#
# ## 7. Verificação numérica do gradiente
#
# Um backward errado raramente dá erro de execução: a rede só aprende mal, em silêncio. A defesa
# clássica é comparar o gradiente analítico (o do backward) com uma aproximação numérica,
# calculada só com o forward. Pela definição de derivada, com um $h$ pequeno,
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(\mathbf{x} + h\,\mathbf{e}_i) -
# f(\mathbf{x} - h\,\mathbf{e}_i)}{2h},$$
#
# em que $\mathbf{e}_i$ é o vetor com 1 na posição $i$ e 0 no resto. Esta é a **diferença
# centrada**. Ela é bem mais precisa que a diferença "para a frente" $\frac{f(\mathbf{x} + h
# \mathbf{e}_i) - f(\mathbf{x})}{h}$: pela série de Taylor, o erro da centrada é da ordem de
# $h^2$, e o da outra, da ordem de $h$. Com $h = 10^{-5}$, isso é a diferença entre um erro de
# $10^{-10}$ e um de $10^{-5}$.
#
# O preço: duas avaliações de $f$ **por parâmetro**. Para uma rede com milhões de pesos isso é
# lento demais para treinar, mas perfeito para conferir um backward em uma rede pequena.
#
# **Exercício 6.** Escreva `numerical_gradient`. Mexa em uma posição de cada vez e devolva-a ao
# valor original antes de passar à próxima (e não modifique o array do chamador).

# %% exercise="numerical_gradient" points=2

# %% [markdown]
# **Qual $h$ usar?** Com $h$ grande, o erro de truncamento ($\propto h^2$) domina; com $h$
# pequeno demais, $f(\mathbf{x} + h) - f(\mathbf{x} - h)$ subtrai dois números quase iguais e os
# erros de arredondamento do float64 (cerca de $10^{-16}$) são divididos por $2h$. O gráfico mede
# o erro da **sua** função para $f(\mathbf{x}) = \sum \sin x_i$, cuja derivada exata é $\cos x_i$:

# %%
x_points = np.array([0.5, 1.0, 2.0])
steps = np.logspace(-12, -1, 23)
errors = [np.max(np.abs(numerical_gradient(lambda v: np.sum(np.sin(v)), x_points, h=step) - np.cos(x_points)))
          for step in steps]

plt.figure(figsize=(6.5, 4))
plt.loglog(steps, errors, "o-")
plt.axvline(1e-5, color="gray", ls="--", lw=1, label="h = 1e-5 (padrão)")
plt.xlabel("passo h")
plt.ylabel("erro máximo em relação a cos(x)")
plt.title("Erro da diferença centrada conforme o passo h")
plt.legend()
plt.show()

# %% [markdown]
# ### Conferindo um backward de verdade
#
# Para comparar dois gradientes, a diferença absoluta engana (um erro de $10^{-4}$ é enorme se o
# gradiente vale $10^{-4}$, e irrelevante se vale $10^{3}$). Usamos o **erro relativo**, como no
# curso CS231n de Stanford:
#
# $$\text{erro relativo} = \frac{|g_{\text{analítico}} - g_{\text{numérico}}|}
# {\max\big(|g_{\text{analítico}}| + |g_{\text{numérico}}|,\ 10^{-8}\big)}$$
#
# (o $10^{-8}$ só evita dividir por zero quando os dois gradientes são nulos). Como ler o número:
#
# | erro relativo | o que significa |
# |---|---|
# | $> 10^{-2}$ | o gradiente quase certamente está errado |
# | $10^{-2}$ a $10^{-4}$ | desconfie: provavelmente há um erro |
# | $10^{-4}$ a $10^{-7}$ | aceitável se a rede tem "quinas" (ReLU, max pooling); alto demais para funções suaves |
# | $\le 10^{-7}$ | o backward está certo |
#
# Abaixo, uma rede pequena (densa → tanh → densa → softmax com entropia cruzada) montada com as
# suas funções. Conferimos o gradiente correto e um com um erro típico: esquecer a derivada da
# tanh, $1 - \tanh^2$, no caminho de volta.

# %%
rng = np.random.default_rng(4)
X_small = rng.standard_normal((5, 4))
y_small = np.array([0, 2, 1, 2, 0])
small_params = {
    "W1": 0.5 * rng.standard_normal((4, 3)), "b1": 0.1 * rng.standard_normal(3),
    "W2": 0.5 * rng.standard_normal((3, 3)), "b2": 0.1 * rng.standard_normal(3),
}


def small_network_loss(params):
    """A perda da rede pequena, só com forwards."""
    z1, _ = dense_forward(X_small, params["W1"], params["b1"])
    logits, _ = dense_forward(np.tanh(z1), params["W2"], params["b2"])
    return softmax_cross_entropy(logits, y_small)[0]


def small_network_gradients(params, forget_tanh=False):
    """Os gradientes da rede pequena pelo backpropagation (com um erro de propósito, se pedido)."""
    z1, first_cache = dense_forward(X_small, params["W1"], params["b1"])
    hidden = np.tanh(z1)
    logits, second_cache = dense_forward(hidden, params["W2"], params["b2"])
    _, dlogits = softmax_cross_entropy(logits, y_small)
    dhidden, dW2, db2 = dense_backward(dlogits, second_cache)
    dz1 = dhidden if forget_tanh else dhidden * (1 - hidden ** 2)  # derivada da tanh: 1 - tanh²
    _, dW1, db1 = dense_backward(dz1, first_cache)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def relative_error(analytic, numeric):
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
    return np.max(np.abs(analytic - numeric) / scale)


right = small_network_gradients(small_params)
wrong = small_network_gradients(small_params, forget_tanh=True)
print("parâmetro   backward correto   sem a derivada da tanh")
for name in small_params:
    numeric = numerical_gradient(lambda value: small_network_loss({**small_params, name: value}),
                                 small_params[name])
    print(f"{name:>9}   {relative_error(right[name], numeric):16.1e}   "
          f"{relative_error(wrong[name], numeric):22.1e}")

# %% [markdown]
# O backward correto fica na casa de $10^{-9}$ ou menos em todos os parâmetros. O errado continua
# perfeito em `W2` e `b2` (o erro está antes deles no caminho de volta) e passa de $10^{-2}$ em
# `W1` e `b1`: a verificação não só acusa o erro como aponta **onde** ele está.
#
# ## 8. Dropout
#
# Uma rede grande pode decorar o conjunto de treino (*overfitting*): acerta quase tudo no treino
# e bem menos em dados novos. O **dropout** é uma das defesas mais simples: durante o treino, a
# cada passo, cada unidade de uma camada é desligada (zerada) com probabilidade $p$, sorteada de
# novo a cada lote. Como nenhuma unidade pode contar com a presença de uma vizinha específica, a
# rede é forçada a espalhar o que aprende por muitos caminhos redundantes.
#
# **Exemplo das aulas.** Com $x = \{1, 2, 3, 4\}$ e $p = 0{,}25$, cerca de um quarto dos valores
# cai a cada passo: $x$ pode virar $\{1, 0, 3, 4\}$ ou $\{1, 2, 0, 4\}$, e assim por diante. Em uma
# camada com 1000 unidades e $p = 0{,}5$, **cerca de** 500 são descartadas (o número exato varia
# de sorteio para sorteio, e um sorteio novo acontece a cada passo de treino, não uma vez por
# época). As aulas recomendam $p$ perto de $0{,}2$ na entrada e $0{,}5$ nas camadas ocultas.
#
# **Dropout invertido.** Desligar unidades reduz a soma que chega à próxima camada: com
# $p = 0{,}25$, em média só $75\%$ do sinal passa. Para que a escala não mude entre treino e
# inferência, as unidades que sobrevivem são **multiplicadas por $\frac{1}{1 - p}$** durante o
# treino:
#
# $$\text{out} = x \odot \frac{\text{máscara}}{1 - p}, \qquad
# \text{máscara}_i = \begin{cases} 0 & \text{com probabilidade } p \\ 1 & \text{com probabilidade }
# 1 - p \end{cases}$$
#
# Assim a média de cada unidade continua igual a $x$: $\{1, 2, 3, 4\}$ pode virar
# $\{1{,}33;\ 0;\ 4;\ 5{,}33\}$. Na **inferência** (avaliação, teste, uso em produção) a camada
# não faz nada: devolve $x$ como está. É assim que funciona a camada `Dropout` do Keras, usada
# com $p = 0{,}2$ no laboratório da CIFAR-10.
#
# **Backward.** O forward multiplica $x$ por uma constante (a máscara escalada), então o
# gradiente passa multiplicado pela **mesma** máscara: zero nas unidades descartadas,
# $\frac{1}{1 - p}$ nas outras. Por isso a máscara vai no `cache`.
#
# **Exercícios 7 e 8.** Escreva `dropout_forward` e `dropout_backward`. Use
# `np.random.default_rng(seed)` para sortear a máscara, assim a mesma semente dá sempre a mesma
# máscara.

# %% exercise="dropout_forward" points=2

# %% exercise="dropout_backward" points=1

# %%
x_slide, p_slide = dropout_example()  # x = {1, 2, 3, 4}, p = 0,25
for seed in range(4):
    dropped, _ = dropout_forward(x_slide, p_slide, training=True, seed=seed)
    print(f"treino, semente {seed}: {dropped}")
print("inferência:        ", dropout_forward(x_slide, p_slide, training=False)[0])

many = np.array([dropout_forward(x_slide, p_slide, training=True, seed=seed)[0] for seed in range(2000)])
print("média de 2000 sorteios:", many.mean(axis=0), "(o dropout invertido preserva a média)")

draws = [np.sum(dropout_forward(np.ones(1000), 0.5, training=True, seed=seed)[0] == 0) for seed in range(300)]
plt.figure(figsize=(6.5, 3.5))
plt.hist(draws, bins=np.arange(440, 562, 5))
plt.axvline(500, color="black", ls="--", lw=1)
plt.xlabel("unidades descartadas (de 1000, com p = 0,5)")
plt.ylabel("sorteios")
plt.title("Cerca de metade, mas nunca exatamente a mesma metade")
plt.show()

# %% [markdown]
# ## 9. Otimizadores: SGD e Adam
#
# ### Descida do gradiente estocástica (SGD)
#
# O gradiente aponta para onde a perda **cresce** mais depressa; a descida do gradiente dá um
# passo no sentido oposto, com tamanho controlado pela **taxa de aprendizado** $\eta$ (`lr`):
#
# $$\theta \leftarrow \theta - \eta\, \frac{\partial L}{\partial \theta}$$
#
# A descida do gradiente "clássica" calcula o gradiente com **todos** os exemplos antes de cada
# passo, o que é lento em bases grandes. O SGD, como é usado na prática, atualiza os pesos a cada
# **mini-lote** (*batch*): as atualizações ficam mais ruidosas, mas muito mais frequentes, e o
# ruído ainda ajuda a escapar de regiões ruins da função de perda.
#
# Vocabulário das aulas: uma **época** é uma passada completa pelos dados de treino, e cada
# mini-lote processado é uma **iteração**. Com 150 exemplos e lotes de 50, uma época tem
# $150 / 50 = 3$ iterações. Lotes pequenos aprendem rápido, mas de forma instável; lotes grandes
# são mais estáveis e mais lentos.
#
# Nesta tarefa, os parâmetros de uma rede ficam em um dicionário, por exemplo
# `{"W1": ..., "b1": ..., "W2": ..., "b2": ...}`, e os gradientes em outro, com as mesmas chaves.
#
# **Exercício 9.** Escreva `sgd_step`. Devolva um dicionário **novo**, sem modificar o recebido.

# %% exercise="sgd_step" points=1

# %% [markdown]
# De volta ao exemplo 2-2-2, com $\eta = 0{,}5$. O slide não imprime $w_5$; para ilustrar,
# usamos $w_5 = 0{,}40$, o valor do tutorial de Matt Mazur em que o exemplo das aulas se baseia.
# Para $w_1 = 0{,}11$, o gradiente é o $0{,}00185$ corrigido da seção 6.

# %%
weights = {"w5": apple_output_weights()[0, 0], "w1": apple_first_hidden_unit()[0][0, 0]}  # 0,40 e 0,11
gradients = {"w5": dW_output[0, 0], "w1": dW_hidden[0, 0]}
updated = sgd_step(weights, gradients, lr=APPLE_LEARNING_RATE)  # eta = 0,5
for name in weights:
    print(f"{name}: {float(weights[name]):.5f} -> {float(updated[name]):.5f}")

# %% [markdown]
# ### Adam
#
# Um único `lr` para todos os pesos é um problema quando os gradientes têm escalas muito
# diferentes: o passo que é bom para um peso é minúsculo ou gigante para outro. O **Adam**
# (*Adaptive Moment Estimation*, o otimizador padrão de muita gente e o `optimizer='adam'` dos
# laboratórios) combina duas ideias:
#
# - **momento:** em vez do gradiente do lote, usa uma média móvel dos gradientes,
#   $m \leftarrow \beta_1 m + (1 - \beta_1)\, g$. O ruído de um lote se cancela com o dos outros
#   e o movimento ganha "inércia" nas direções consistentes;
# - **escala adaptativa:** guarda também a média móvel dos **quadrados**,
#   $v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2$, e divide o passo por $\sqrt{v}$. Cada
#   parâmetro ganha o seu próprio tamanho de passo: gradientes grandes são freados, pequenos são
#   ampliados.
#
# Como $m$ e $v$ começam em zero, nos primeiros passos eles subestimam as médias verdadeiras; a
# **correção de viés** compensa isso dividindo por $1 - \beta^t$, em que $t$ é o número do passo.
# Na forma usada pelo `keras.optimizers.Adam`:
#
# $$t \leftarrow t + 1, \qquad \eta_t = \eta\, \frac{\sqrt{1 - \beta_2^{\,t}}}{1 - \beta_1^{\,t}},
# \qquad \theta \leftarrow \theta - \eta_t\, \frac{m}{\sqrt{v} + \epsilon}$$
#
# com os padrões do Keras: $\eta = 10^{-3}$, $\beta_1 = 0{,}9$, $\beta_2 = 0{,}999$ e
# $\epsilon = 10^{-7}$ (somado **fora** da raiz, só para não dividir por zero). Um efeito curioso:
# no primeiro passo, desprezando o $\epsilon$, $\eta_1 m / \sqrt{v} = \eta\, g / |g|$, então todo
# parâmetro com gradiente não nulo anda praticamente $\eta$ (o sinal do gradiente decide o
# sentido), qualquer que seja o tamanho do gradiente.
#
# O Adam precisa lembrar $t$, $m$ e $v$ de um passo para o outro: esse é o `state`, que chega como
# `None` no primeiro passo e que a função devolve atualizado.
#
# **Exercício 10.** Escreva `adam_step`.

# %% exercise="adam_step" points=3

# %% [markdown]
# ## 10. Projeto: uma rede de duas camadas que detecta câncer de mama
#
# Hora de juntar tudo. Os dados são do **Breast Cancer Wisconsin (Diagnostic)**, que vem com o
# scikit-learn: 569 tumores de mama, cada um descrito por 30 medidas dos núcleos celulares
# (raio, textura, perímetro, área, suavidade...) extraídas de imagens de uma biópsia por punção
# aspirativa. O rótulo diz se o tumor é **maligno** (classe 0, 212 casos) ou **benigno**
# (classe 1, 357 casos).
#
# Seguindo a organização das aulas, separamos três subconjuntos, com `stratify` para manter a
# proporção de malignos em todos:
#
# - **treino** (60%): o único com que a rede aprende;
# - **validação** (20%): acompanha o treino e ajuda a escolher hiperparâmetros (taxa de
#   aprendizado, épocas, dropout), sem nunca entrar no gradiente;
# - **teste** (20%): usado **uma vez**, no fim, para estimar o desempenho em tumores novos.
#
# As 30 medidas têm escalas muito diferentes (a área passa de 1000, a suavidade fica perto de
# 0,1). **Padronizamos** cada atributo, subtraindo a média e dividindo pelo desvio-padrão, e essas
# estatísticas vêm **só do treino**: usar a validação ou o teste para calculá-las vazaria
# informação dos dados "novos" para dentro do modelo.

# %%
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

cancer = load_breast_cancer()
X_rest, X_test, y_rest, y_test = train_test_split(
    cancer.data, cancer.target, test_size=0.2, stratify=cancer.target, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(
    X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=0)

feature_mean, feature_std = X_train.mean(axis=0), X_train.std(axis=0)
X_train, X_val, X_test = [(part - feature_mean) / feature_std for part in (X_train, X_val, X_test)]

for split, labels_split in [("treino", y_train), ("validação", y_val), ("teste", y_test)]:
    print(f"{split:>9}: {len(labels_split):3d} tumores, {np.mean(labels_split == 0):.1%} malignos")
print("atributos:", X_train.shape[1], "- por exemplo:", ", ".join(cancer.feature_names[:4]), "...")

# %% [markdown]
# ### A rede
#
# $$X \xrightarrow{\ \text{densa } (30 \to 16)\ } Z_1 \xrightarrow{\ \tanh\ } H
# \xrightarrow{\ \text{dropout } (p = 0{,}5)\ } \tilde H \xrightarrow{\ \text{densa } (16 \to 2)\ }
# \text{logits} \xrightarrow{\ \text{softmax + entropia cruzada}\ } L$$
#
# Todas as peças são **suas**: `dense_forward`/`dense_backward`, `dropout_forward`/
# `dropout_backward`, `softmax_cross_entropy` e `adam_step`. A ativação oculta é a tanh
# (`np.tanh`), cuja derivada, $1 - \tanh^2 z$, escrevemos direto no backward. Os pesos começam
# pequenos e aleatórios, com desvio-padrão $1/\sqrt{d}$ para $d$ entradas (assim a soma ponderada
# começa com variância perto de 1 e a tanh não satura), e os biases começam em zero.
#
# O backward percorre a rede de trás para frente, e cada camada devolve o gradiente que a
# anterior precisa: é o backpropagation que você fez à mão na seção 6, agora para 530 parâmetros.

# %%
N_HIDDEN = 16
DROPOUT_RATE = 0.5


def init_params(n_inputs, n_hidden, n_classes, rng):
    return {
        "W1": rng.normal(0.0, 1 / np.sqrt(n_inputs), size=(n_inputs, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, 1 / np.sqrt(n_hidden), size=(n_hidden, n_classes)),
        "b2": np.zeros(n_classes),
    }


def model_forward(params, X, training=False, seed=None, rate=DROPOUT_RATE):
    """logits da rede e os caches de cada camada (`rate`: a taxa de dropout da camada oculta)."""
    z1, first_cache = dense_forward(X, params["W1"], params["b1"])
    hidden = np.tanh(z1)
    hidden_dropped, dropout_cache = dropout_forward(hidden, rate, training, seed)
    logits, second_cache = dense_forward(hidden_dropped, params["W2"], params["b2"])
    return logits, (first_cache, hidden, dropout_cache, second_cache)


def model_backward(dlogits, caches):
    """Gradientes de todos os parâmetros, da última camada para a primeira."""
    first_cache, hidden, dropout_cache, second_cache = caches
    dhidden_dropped, dW2, db2 = dense_backward(dlogits, second_cache)
    dhidden = dropout_backward(dhidden_dropped, dropout_cache)
    dz1 = dhidden * (1 - hidden ** 2)  # derivada da tanh
    _, dW1, db1 = dense_backward(dz1, first_cache)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def evaluate(params, X, y):
    """(perda, acurácia) no modo de inferência: o dropout fica desligado."""
    logits, _ = model_forward(params, X, training=False)
    loss, _ = softmax_cross_entropy(logits, y)
    return loss, np.mean(np.argmax(logits, axis=1) == y)


def train(optimizer="adam", lr=1e-3, epochs=60, batch_size=32, seed=0, dropout_rate=DROPOUT_RATE):
    rng = np.random.default_rng(seed=seed)
    params = init_params(X_train.shape[1], N_HIDDEN, 2, rng)
    state = None
    history = {key: [] for key in ("train_loss", "train_acc", "val_loss", "val_acc")}
    for epoch in range(epochs):
        order = rng.permutation(len(X_train))  # embaralha os exemplos a cada época
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            logits, caches = model_forward(params, X_train[batch], training=True,
                                           seed=int(rng.integers(2**31)), rate=dropout_rate)
            _, dlogits = softmax_cross_entropy(logits, y_train[batch])
            grads = model_backward(dlogits, caches)
            if optimizer == "adam":
                params, state = adam_step(params, grads, state, lr=lr)
            else:
                params = sgd_step(params, grads, lr=lr)
        for split, (X_split, y_split) in {"train": (X_train, y_train), "val": (X_val, y_val)}.items():
            split_loss, split_acc = evaluate(params, X_split, y_split)
            history[f"{split}_loss"].append(split_loss)
            history[f"{split}_acc"].append(split_acc)
    return params, history


n_params = sum(value.size for value in init_params(30, N_HIDDEN, 2, np.random.default_rng(0)).values())
print(f"parâmetros: {n_params}; iterações por época: {int(np.ceil(len(X_train) / 32))} "
      f"({len(X_train)} exemplos em lotes de 32)")

# %% [markdown]
# ### Treino com Adam
#
# 60 épocas com o Adam nos padrões do Keras ($\eta = 10^{-3}$), lotes de 32 exemplos e dropout de
# $0{,}5$ na camada oculta. Ao fim de cada época medimos perda e acurácia no treino e na
# validação, sempre no modo de inferência (sem dropout), para comparar as duas curvas em pé de
# igualdade.

# %%
params, history = train("adam", lr=1e-3)

epochs_axis = np.arange(1, len(history["train_loss"]) + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
ax_loss.plot(epochs_axis, history["train_loss"], label="treino")
ax_loss.plot(epochs_axis, history["val_loss"], label="validação")
ax_loss.set_ylabel("entropia cruzada")
ax_loss.set_title("Perda")
ax_acc.plot(epochs_axis, history["train_acc"], label="treino")
ax_acc.plot(epochs_axis, history["val_acc"], label="validação")
ax_acc.set_ylabel("acurácia")
ax_acc.set_ylim(0.4, 1.01)
ax_acc.set_title("Acurácia")
for ax in (ax_loss, ax_acc):
    ax.set_xlabel("época")
    ax.grid(alpha=0.3)
    ax.legend()
plt.tight_layout()
plt.show()
print(f"última época: treino {history['train_acc'][-1]:.1%}, validação {history['val_acc'][-1]:.1%}")

# %% [markdown]
# As curvas de treino e validação caem juntas e ficam próximas até o fim: a rede aprendeu algo
# que vale para tumores que ela nunca viu, sem decorar o treino. Se a perda de validação
# começasse a subir enquanto a de treino continua caindo, seria o sinal de overfitting (e a
# hora de parar, ou de regularizar mais).
#
# Só agora, com o modelo escolhido, olhamos o **teste**:

# %%
test_loss, test_acc = evaluate(params, X_test, y_test)
test_logits, _ = model_forward(params, X_test)
predicted = np.argmax(test_logits, axis=1)
print(f"teste: perda {test_loss:.4f}, acurácia {test_acc:.1%} ({np.sum(predicted == y_test)} de {len(y_test)})")
print(f"malignos classificados como benignos: {np.sum((y_test == 0) & (predicted == 1))} de {np.sum(y_test == 0)}")
print(f"benignos classificados como malignos: {np.sum((y_test == 1) & (predicted == 0))} de {np.sum(y_test == 1)}")

# %% [markdown]
# Acima de 95% de acerto em tumores novos, com uma rede que você escreveu do zero. Em um problema
# médico, porém, os dois tipos de erro não custam o mesmo: um tumor maligno classificado como
# benigno (um falso negativo) é muito mais grave que o contrário, e por isso vale olhar a
# contagem de cada erro e não só a acurácia.
#
# ### SGD ou Adam?
#
# Para terminar, a mesma rede treinada com o **seu** `sgd_step`. Com o mesmo $\eta = 10^{-3}$ do
# Adam, o SGD anda devagar demais: o passo dele é $\eta$ vezes o gradiente, e aqui os gradientes
# são pequenos. Com $\eta = 0{,}1$ (escolhido entre alguns valores olhando a validação) ele chega
# lá, e neste problema até mais depressa que o Adam. O custo foi procurar o $\eta$ certo; o Adam
# funcionou de primeira com o padrão do Keras, porque o passo dele tem a escala de $\eta$,
# qualquer que seja a escala do gradiente.

# %%
runs = {"Adam, lr = 0,001": history,
        "SGD, lr = 0,001": train("sgd", lr=1e-3)[1],
        "SGD, lr = 0,1": train("sgd", lr=0.1)[1]}
plt.figure(figsize=(6.5, 4))
for label, run in runs.items():
    plt.plot(epochs_axis, run["val_loss"], label=label)
plt.xlabel("época")
plt.ylabel("perda de validação")
plt.title("O mesmo modelo, três otimizadores")
plt.grid(alpha=0.3)
plt.legend()
plt.show()

# %% [markdown]
# ### Hiperparâmetros
#
# Até aqui escolhemos vários números que a rede não aprende: a taxa de aprendizado $\eta$, o
# número de épocas, o tamanho do lote (32), o número de neurônios ocultos (16), a taxa de dropout
# (0,5) e o próprio otimizador. Esses são os **hiperparâmetros**. Eles são fixados **antes** do
# treino, e o gradiente nunca mexe neles: ele só ajusta os **parâmetros**, os pesos e os biases.
# Para escolher um hiperparâmetro, treinamos algumas versões do modelo e comparamos o desempenho
# delas na **validação**, como fizemos acima com o $\eta$ do SGD. O teste fica de fora dessa
# escolha; se ele fosse usado para decidir, deixaria de ser uma estimativa honesta para dados
# novos.
#
# ### O efeito do dropout
#
# As aulas mostram duas curvas de acerto, com e sem dropout: sem dropout, o treino e o teste se
# afastam muito; com dropout, eles ficam próximos. Vamos repetir a comparação com a **nossa**
# rede. É a mesma função `train` de antes, agora com `dropout_rate=0.0` em uma das versões. As
# duas versões treinam por 300 épocas, para dar tempo de a rede começar a decorar o treino. À
# esquerda estão as perdas (linha contínua para o treino e tracejada para a validação, em escala
# log); à direita, a diferença entre elas, **perda de validação − perda de treino**, época a época.

# %%
DROPOUT_EPOCHS = 300
dropout_runs = {"com dropout (p = 0,5)": train("adam", lr=1e-3, epochs=DROPOUT_EPOCHS)[1],
                "sem dropout (p = 0)": train("adam", lr=1e-3, epochs=DROPOUT_EPOCHS, dropout_rate=0.0)[1]}

long_axis = np.arange(1, DROPOUT_EPOCHS + 1)
fig, (ax_curves, ax_gap) = plt.subplots(1, 2, figsize=(11, 4))
for (label, run), color in zip(dropout_runs.items(), ["tab:blue", "tab:orange"]):
    gap = np.array(run["val_loss"]) - np.array(run["train_loss"])
    ax_curves.semilogy(long_axis, run["train_loss"], color=color, label=f"{label}, treino")
    ax_curves.semilogy(long_axis, run["val_loss"], color=color, ls="--", label=f"{label}, validação")
    ax_gap.plot(long_axis, gap, color=color, label=label)
    print(f"{label}: perda de treino {run['train_loss'][-1]:.4f}, de validação {run['val_loss'][-1]:.4f}; "
          f"acurácia de treino {run['train_acc'][-1]:.1%}, de validação {run['val_acc'][-1]:.1%}; "
          f"diferença média nas últimas 50 épocas: {gap[-50:].mean():.4f}")
ax_curves.set_ylabel("entropia cruzada (escala log)")
ax_curves.set_title("Perdas")
ax_gap.axhline(0, color="gray", lw=0.5)
ax_gap.set_ylabel("validação − treino")
ax_gap.set_title("A distância entre validação e treino")
for ax in (ax_curves, ax_gap):
    ax.set_xlabel("época")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# Sem dropout, a perda de treino cai até perto de 0,006, quatro vezes menos que com dropout, e o
# acerto no treino chega a 100%: a rede passa a acertar com folga todos os tumores que já viu. A
# distância entre validação e treino nas últimas épocas fica mais ou menos o **dobro** da versão
# com dropout (cerca de 0,016 contra 0,008). É o efeito das aulas: o dropout mantém as duas curvas
# mais próximas.
#
# Mas repare também no que o gráfico **não** mostra: sem dropout, a perda de validação não
# piorou. Na verdade, ela ficou um pouco **menor**, e a acurácia de validação é praticamente a
# mesma nas duas versões. Este problema é pequeno e fácil (530 parâmetros, 341 exemplos bem
# separados), então a rede tem pouco espaço para decorar, e um dropout de 0,5 atrapalha o ajuste
# mais do que protege. Nas redes grandes dos slides, sem dropout o treino dispara na frente do
# teste, e aí o dropout faz muita diferença. Por isso a taxa de dropout é um hiperparâmetro como
# os outros: quem decide é a validação, e aqui ela sugeriria um dropout menor (ou nenhum).

# %% [markdown]
# ## 11. Por que camadas ocultas? O problema do XOR
#
# Na linha do tempo das aulas, Minsky e Papert aparecem com uma palavra só: **XOR**. Em 1969, no
# livro *Perceptrons*, eles mostraram que um único neurônio não consegue aprender nem esta função
# lógica tão simples, e o entusiasmo com as redes neurais esfriou por anos. A saída veio com
# Rumelhart, Hinton e Williams (1986), também na linha do tempo: camadas ocultas treinadas por
# backpropagation resolvem problemas **não linearmente separáveis**. Com as suas funções, dá para
# ver as duas coisas acontecerem.
#
# O XOR ("ou exclusivo") vale 1 quando **exatamente uma** das duas entradas vale 1:
#
# | $x_1$ | $x_2$ | XOR |
# |---|---|---|
# | 0 | 0 | 0 |
# | 0 | 1 | 1 |
# | 1 | 0 | 1 |
# | 1 | 1 | 0 |
#
# **Por que um neurônio não basta.** Um neurônio com sigmoide responde $\sigma(w_1 x_1 + w_2 x_2
# + b)$ e diz "classe 1" quando $w_1 x_1 + w_2 x_2 + b > 0$. A fronteira entre as duas respostas
# é a reta $w_1 x_1 + w_2 x_2 + b = 0$: um neurônio só sabe cortar o plano em dois lados com uma
# linha reta. Para acertar o XOR, essa reta teria de deixar $(0, 1)$ e $(1, 0)$ de um lado e
# $(0, 0)$ e $(1, 1)$ do outro. Olhe os quatro pontos nos cantos de um quadrado: as duas classes
# ficam em diagonais que se cruzam, e nenhuma reta separa uma diagonal da outra. Na álgebra:
#
# - $(0, 0)$ na classe 0 exige $b < 0$;
# - $(0, 1)$ e $(1, 0)$ na classe 1 exigem $w_2 + b > 0$ e $w_1 + b > 0$; somando,
#   $w_1 + w_2 + b > -b > 0$;
# - mas $(1, 1)$ na classe 0 exige $w_1 + w_2 + b < 0$. Contradição.
#
# Dizemos que o XOR **não é linearmente separável**. Uma camada oculta resolve: cada neurônio
# oculto traça a sua própria reta (um pode aprender algo como "$x_1$ OU $x_2$", outro
# "$x_1$ E $x_2$"), e a tanh dobra o plano de modo que, no espaço das saídas ocultas, as classes
# passam a ser separáveis por uma reta, a do neurônio de saída.
#
# Abaixo treinamos as duas redes nos quatro pontos, com uma sigmoide na saída e a **sua**
# `binary_cross_entropy` como perda, e as **suas** `dense_forward`, `dense_backward` e `adam_step`
# ($\eta = 0{,}1$, 200 passos com os quatro pontos de uma vez). O laço de treino, o mesmo das
# duas redes, está em `dlhelpers/training.py` (`train_network`): é o laço da seção 10, escrito
# para qualquer número de camadas. A `through_sigmoid` só aplica a sigmoide à pontuação do
# neurônio de saída e multiplica o gradiente da perda por $p(1 - p)$, a regra da cadeia da seção 6.

# %%
from dlhelpers.training import network_forward, predict, through_sigmoid, train_network, xor_points

X_xor, y_xor = xor_points()
xor_loss = through_sigmoid(binary_cross_entropy)  # a sua entropia cruzada, aplicada à sigmoide da saída
your_functions = {"dense_forward": dense_forward, "dense_backward": dense_backward, "optimizer_step": adam_step}
xor_networks = {"um neurônio, sem camada oculta": (2, 1), "camada oculta com 4 neurônios (tanh)": (2, 4, 1)}

xor_params = {}
for title, sizes in xor_networks.items():
    xor_params[title], xor_history = train_network(X_xor, y_xor, sizes, loss=xor_loss, lr=0.1, epochs=200,
                                                   seed=0, **your_functions)
    xor_predicted = predict(xor_params[title], X_xor, dense_forward)
    print(f"{title}: perda final {xor_history['loss'][-1]:.3f}, previsões {xor_predicted} "
          f"(certo: {y_xor}), acerto {np.mean(xor_predicted == y_xor):.0%}")

single_accuracies = [train_network(X_xor, y_xor, (2, 1), loss=xor_loss, lr=0.1, epochs=200, seed=seed,
                                   **your_functions)[1]["accuracy"][-1] for seed in range(5)]
print("um neurônio, sementes 0 a 4:", ", ".join(f"{accuracy:.0%}" for accuracy in single_accuracies))

# %% [markdown]
# A rede com camada oculta acerta os quatro pontos; o neurônio sozinho, não, qualquer que seja a
# semente. Repare na perda dele: $0{,}693 = \ln 2$, exatamente a perda de quem responde
# $p = 0{,}5$ para todo ponto. Como nenhuma reta acerta os quatro, o melhor que a entropia cruzada
# consegue é levar os pesos para perto de zero e "ficar em cima do muro"; o acerto que sobra
# (25%, 50% ou 75%) é só o lado para o qual sobrou um restinho de peso.
#
# As fronteiras de decisão mostram o porquê. Calculamos a probabilidade prevista em uma grade de
# pontos do plano e pintamos cada região:

# %%
grid_axis = np.linspace(-0.5, 1.5, 201)
grid_x1, grid_x2 = np.meshgrid(grid_axis, grid_axis)
grid_points = np.column_stack([grid_x1.ravel(), grid_x2.ravel()])

fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), layout="constrained")
for ax, (title, params_xor) in zip(axes, xor_params.items()):
    grid_scores, _ = network_forward(params_xor, grid_points, dense_forward)
    grid_probability = expit(grid_scores[:, 0]).reshape(grid_x1.shape)
    filled = ax.contourf(grid_x1, grid_x2, grid_probability, levels=np.linspace(0, 1, 11), cmap="RdBu_r", vmin=0, vmax=1)
    ax.contour(grid_x1, grid_x2, grid_probability, levels=[0.5], colors="black", linewidths=1.5)
    for label, marker in [(0, "o"), (1, "s")]:
        chosen = y_xor == label
        ax.scatter(X_xor[chosen, 0], X_xor[chosen, 1], s=140, marker=marker, edgecolors="black",
                   c="white" if label == 0 else "gold", label=f"XOR = {label}", zorder=3)
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
axes[0].legend(loc="upper center")
fig.colorbar(filled, ax=axes, label="probabilidade prevista da classe 1")
plt.show()

# %% [markdown]
# À esquerda, o neurônio único: a fronteira (a linha preta, onde $p = 0{,}5$) só pode ser uma
# reta, e as cores mal saem do branco, $p \approx 0{,}5$ em todo o plano. À direita, a camada
# oculta desenha duas fronteiras curvas: uma faixa azul (classe 0) ao longo da diagonal que liga
# $(0, 0)$ a $(1, 1)$ e, de cada lado dela, uma região vermelha (classe 1), uma com $(0, 1)$ e
# outra com $(1, 0)$. Foi para isso que as camadas ocultas vieram: combinar várias retas simples
# em uma fronteira que nenhuma reta sozinha desenha.
#
# Para ver isso acontecer no navegador, experimente o **TensorFlow Playground**
# ([playground.tensorflow.org](https://playground.tensorflow.org)): escolha o conjunto de dados em
# forma de XOR, tire e ponha camadas ocultas e veja a fronteira de decisão mudar a cada época.
#
# ### Para ir além: redes de função de base radial (RBF)
#
# Os neurônios ocultos que usamos até aqui calculam um **produto escalar**,
# $\mathbf{x} \cdot \mathbf{w} + b$, e passam o resultado por uma ativação. A resposta só depende
# de **que lado** da reta (ou do hiperplano) $\mathbf{x} \cdot \mathbf{w} + b = 0$ o ponto está e
# a que distância dela: todos os pontos de uma reta paralela recebem a mesma resposta, por mais
# longe que estejam. As **redes de função de base radial** (*RBF networks*, ou RBFN, propostas por
# Broomhead e Lowe em 1988) usam outro tipo de neurônio oculto. Cada unidade $j$ tem um **centro**
# $\mathbf{c}_j$, um ponto do espaço de entrada, e responde à **distância** até ele:
#
# $$\varphi_j(\mathbf{x}) = \exp\left(-\frac{\|\mathbf{x} - \mathbf{c}_j\|^2}{2\sigma_j^2}\right)$$
#
# A resposta vale 1 no centro e cai para perto de 0 à medida que $\mathbf{x}$ se afasta; a largura
# $\sigma_j$ diz quão depressa. É uma unidade **local**: ela só "acende" numa bolha em volta do
# centro, enquanto o neurônio denso responde a meio espaço inteiro.
#
# A arquitetura clássica tem **uma única camada oculta** de unidades RBF e uma saída densa,
# uma soma ponderada das respostas, $\sum_j v_j\, \varphi_j(\mathbf{x}) + b$. O treino costuma ser
# feito em duas etapas: os centros saem de um agrupamento dos dados de treino, em geral o
# **k-means** (cada centro é o meio de um grupo de exemplos parecidos), e cada $\sigma_j$ do
# espalhamento do seu grupo; depois, com os centros fixos, a saída é linear nos pesos $v_j$, que
# podem ser achados por mínimos quadrados ou pela descida do gradiente. Também dá para ajustar
# tudo, centros inclusive, com backpropagation.
#
# O XOR serve de exemplo de novo. Com dois centros, $(0, 0)$ e $(1, 1)$, e
# $2\sigma^2 = 1$: o ponto $(0, 0)$ vira $(\varphi_1, \varphi_2) = (1;\ e^{-2}) \approx (1;\ 0{,}14)$,
# o $(1, 1)$ vira $(0{,}14;\ 1)$, e tanto $(0, 1)$ quanto $(1, 0)$ viram
# $(e^{-1};\ e^{-1}) \approx (0{,}37;\ 0{,}37)$. No espaço das respostas ocultas, a reta
# $\varphi_1 + \varphi_2 = 1$ separa as classes (a soma dá cerca de 1,14 na classe 0 e 0,74 na
# classe 1), e o neurônio de saída dá conta do resto. Hoje as RBFN aparecem pouco em Deep
# Learning, mas a mesma função gaussiana vive no **kernel RBF** das máquinas de vetores de suporte
# (as SVMs de Vapnik e Cortes, também na linha do tempo das aulas).
#
# ## 12. Dígitos escritos à mão
#
# Nas aulas, o "Hello World" do Deep Learning é o **MNIST**: 70.000 imagens de dígitos escritos à
# mão, de 28 × 28 = 784 pixels com valores de 0 (preto) a 1 (branco). Cada imagem é achatada,
# linha após linha, em um vetor de 784 entradas; a rede das aulas tem duas camadas ocultas de 16
# neurônios e uma saída por dígito, 10 ao todo. A ideia é que os neurônios ocultos detectem
# pedaços de traço e os combinem: um 9 é uma volta em cima de um traço vertical, um 8 são duas
# voltas, uma sobre a outra.
#
# O scikit-learn traz, sem precisar de internet, um primo menor do MNIST: **1797 dígitos de 8 × 8
# pixels** (64 entradas), de 0 a 9. A função `load_digits_split` do `dlhelpers.data` divide os
# dados em treino (75%) e teste (25%), com a mesma proporção de cada dígito nos dois e uma
# semente fixa, e passa os pixels, guardados de 0 a 16, para o intervalo de 0 a 1.

# %%
from dlhelpers.data import load_digits_split

X_digits_train, X_digits_test, y_digits_train, y_digits_test = load_digits_split(test_size=0.25, random_state=0)
print(f"treino: {X_digits_train.shape}, teste: {X_digits_test.shape}, "
      f"pixels de {X_digits_train.min():.0f} a {X_digits_train.max():.0f}")

fig, axes = plt.subplots(1, 10, figsize=(11, 1.6))
for digit, ax in enumerate(axes):
    first = np.flatnonzero(y_digits_train == digit)[0]
    ax.imshow(X_digits_train[first].reshape(8, 8), cmap="gray_r")
    ax.set_title(str(digit))
    ax.axis("off")
plt.show()

# %% [markdown]
# ### Uma rede com uma camada oculta
#
# $$\text{64 pixels} \xrightarrow{\ \text{densa } (64 \to 16)\ } \tanh \xrightarrow{\ \text{densa }
# (16 \to 10)\ } \text{logits} \xrightarrow{\ \text{softmax + entropia cruzada}\ } L$$
#
# A camada oculta tem 16 neurônios, como cada camada oculta da rede das aulas, e a saída tem um
# neurônio por dígito. São $64 \cdot 16 + 16 + 16 \cdot 10 + 10 = 1210$ parâmetros, treinados
# com as **suas** `dense_forward`, `dense_backward`, `softmax_cross_entropy` e `adam_step`
# ($\eta = 0{,}01$), em lotes de 32 imagens: com 1347 imagens de treino, cada época tem 43
# iterações. Dez épocas bastam, e o treino leva uma fração de segundo.

# %%
digits_params, digits_history = train_network(
    X_digits_train, y_digits_train, (64, 16, 10), loss=softmax_cross_entropy, lr=0.01, epochs=10,
    batch_size=32, seed=0, **your_functions)

digits_predicted = predict(digits_params, X_digits_test, dense_forward)
digits_accuracy = np.mean(digits_predicted == y_digits_test)
print("perda média por época:", np.round(digits_history["loss"], 3))
print(f"acurácia no treino: {digits_history['accuracy'][-1]:.1%}")
print(f"acurácia no teste:  {digits_accuracy:.1%} ({np.sum(digits_predicted == y_digits_test)} de {len(y_digits_test)})")

# %% [markdown]
# Cerca de 97% de acerto em dígitos que a rede nunca viu, com uma camada oculta e as funções que
# você escreveu.
#
# ### O que a camada oculta aprendeu?
#
# Cada neurônio oculto tem 64 pesos, um por pixel: a coluna $j$ de $W_1$. Arrumados em 8 × 8,
# eles formam uma imagem que mostra o padrão que mais excita aquele neurônio: em vermelho, os
# pixels que o ativam quando estão acesos; em azul, os que o inibem.

# %%
first_layer = digits_params["W1"]
weight_limit = np.abs(first_layer).max()
fig, axes = plt.subplots(2, 8, figsize=(11, 3.4))
for unit, ax in enumerate(axes.ravel()):
    ax.imshow(first_layer[:, unit].reshape(8, 8), cmap="RdBu_r", vmin=-weight_limit, vmax=weight_limit)
    ax.set_title(f"oculto {unit}", fontsize=8)
    ax.axis("off")
fig.suptitle("Pesos da primeira camada: um padrão 8 × 8 por neurônio oculto")
plt.show()

# %% [markdown]
# Não espere ver um "9" ou um "8" desenhado ali. Cada neurônio responde a **pedaços**: manchas
# vermelhas onde um traço costuma passar, vizinhas de manchas azuis onde ele não deve passar (um
# contraste como "traço vertical no meio, nada à esquerda"). Nenhum neurônio sozinho reconhece um
# dígito; é a camada de saída que combina essas respostas, como os fragmentos das aulas que,
# juntos, formam o 9. E o padrão de cada neurônio não foi programado por ninguém: saiu do
# gradiente que o seu backpropagation calculou.
#
# Um detalhe que o seu `dense_backward` explica: na primeira e na última coluna da imagem, os
# pixels valem 0 em mais de 93% dos dígitos de treino (na primeira coluna, em mais de 99%, e três
# deles nunca acendem). Como $dW = X^\top dZ$, o peso de um pixel que vale 0 em todos os exemplos
# de um lote recebe gradiente zero; nas bordas, o que se vê é quase só o valor sorteado no
# início, não algo aprendido.

# %% [markdown]
# ## Resumo
#
# - Uma camada densa calcula $Z = XW + \mathbf{b}$; o backward devolve $dX = dZ\,W^\top$,
#   $dW = X^\top dZ$ e $db = \sum_i dZ_i$. Os shapes dizem onde vai cada transposta.
# - O MSE serve para regressão; o $E_{total}$ do exemplo 2-2-2 é o MSE das duas saídas.
# - A entropia cruzada binária (com $p$ limitada a $[10^{-7}, 1 - 10^{-7}]$) e a categórica com
#   softmax punem com força as previsões erradas e confiantes; o gradiente da softmax com entropia
#   cruzada é simplesmente probabilidades menos one-hot.
# - O backpropagation é a regra da cadeia aplicada camada a camada: no exemplo da maçã,
#   $\partial E / \partial w_5 = 0{,}67657 \cdot 0{,}21519 \cdot 0{,}63569 = 0{,}09255$ e
#   $\partial E / \partial w_1 = 0{,}00185$.
# - A verificação numérica com diferenças centradas confere qualquer backward: erro relativo perto
#   de $10^{-7}$ ou menos é bom sinal; acima de $10^{-2}$, há um erro.
# - O dropout invertido desliga unidades no treino e escala as sobreviventes por $1/(1 - p)$; na
#   inferência, não faz nada.
# - O SGD anda $\eta$ vezes o gradiente a cada mini-lote; o Adam soma momento e escala adaptativa
#   por parâmetro, e funciona bem com os padrões do Keras.
# - Com essas peças, uma rede de duas camadas classificou tumores de mama reais com mais de 95% de
#   acerto no teste.
# - Um único neurônio só separa as classes com uma reta e por isso não aprende o XOR, que não é
#   linearmente separável; com uma camada oculta, a fronteira se dobra e a rede acerta os quatro
#   pontos.
# - Nos dígitos 8 × 8 do scikit-learn, uma camada oculta de 16 neurônios chegou a cerca de 97% de
#   acerto no teste, e os pesos de cada neurônio oculto, vistos como imagens, mostram os pedaços de
#   traço que ele procura.

# %% [markdown]
# ## Glossário
#
# Os termos de treino que aparecem no curso, em ordem alfabética, com o lugar onde cada um é usado
# ("seção 9" sem mais nada quer dizer a seção 9 desta tarefa).
#
# - **Acurácia** (*accuracy*): a fração de exemplos classificados certo. Seções 10 e 12; na
#   tarefa 6, seção 6, você vê por que ela engana quando uma classe é bem mais rara que a outra.
# - **Batch normalization**: uma camada que normaliza as ativações de cada canal usando as
#   estatísticas do lote; deixa o treino mais estável. Tarefa 6, seção 4.
# - **Convergência**: o treino **convergiu** quando mais passos já não mudam a perda (nem os
#   pesos) de forma apreciável: a curva de perda fica plana. Convergir não quer dizer ter achado a
#   melhor solução: na seção 11 o neurônio único converge para a perda $\ln 2 \approx 0{,}693$ e
#   continua errando o XOR. Com a taxa de aprendizado pequena demais o treino converge devagar
#   (o SGD com $\eta = 10^{-3}$ na seção 10); grande demais, ele oscila ou até diverge (a perda
#   cresce). O cronograma da taxa da tarefa 6, seção 5, serve para convergir sem oscilar no fim.
# - **Época** (*epoch*): uma passada completa por todos os exemplos de treino. Seção 9; na seção
#   10, as curvas de perda e de acurácia são desenhadas época a época.
# - **Função de perda** (*loss*): o número que mede o erro da rede e que o treino tenta diminuir
#   (MSE, entropia cruzada binária e categórica). Seções 3 a 5.
# - **Hiperparâmetro**: um número escolhido antes do treino, que o gradiente não ajusta (taxa de
#   aprendizado, épocas, tamanho do lote, neurônios ocultos, taxa de dropout). Seção 10,
#   «Hiperparâmetros».
# - **Iteração**: um passo de atualização dos pesos, com um mini-lote. Uma época tem
#   (exemplos de treino) / (tamanho do lote) iterações, arredondando para cima: 43 na seção 12.
# - **Normalização**: pôr as entradas numa escala parecida, perto de zero, para o treino andar
#   melhor. Na seção 10 **padronizamos** cada atributo (menos a média, dividido pelo desvio-padrão,
#   com estatísticas só do treino); na seção 12 e na tarefa 2, seção 1, os pixels vão para o
#   intervalo de 0 a 1; na tarefa 6, seção 1, cada imagem é normalizada com as próprias
#   estatísticas.
# - **Overfitting** (sobreajuste): a rede decora o treino e acerta bem menos em dados novos; a
#   perda de validação para de cair (ou sobe) enquanto a de treino continua caindo. Seções 8 e 10;
#   tarefa 6, seção 5.
# - **Precisão** (*precision*): dos exemplos que o modelo pôs numa classe, a fração que é mesmo
#   dela: $VP / (VP + FP)$ (verdadeiros e falsos positivos). Tarefa 6, seção 6.
# - **Regularização**: tudo o que se faz para a rede decorar menos o treino e generalizar melhor.
#   No curso: o dropout (seção 8 e tarefa 6, seção 4), o aumento de dados (tarefa 6, seção 3) e a
#   parada antecipada, o `EarlyStopping` (tarefa 6, seção 5). Outra forma comum, não usada aqui, é
#   penalizar pesos grandes na perda (a regularização L2).
# - **Sensibilidade** ou **revocação** (*recall*): dos exemplos que são de uma classe, a fração
#   que o modelo encontrou: $VP / (VP + FN)$. Tarefa 6, seção 6; na seção 10, os malignos
#   classificados como benignos são os falsos negativos que derrubam a sensibilidade para os
#   malignos.
# - **Tamanho do lote** (*batch size*): quantos exemplos entram em cada passo de atualização.
#   Seção 9 (lotes pequenos aprendem rápido, mas de forma instável); 32 nas seções 10 e 12.
# - **Taxa de aprendizado** (*learning rate*, $\eta$ ou `lr`): o tamanho do passo da descida do
#   gradiente, $\theta \leftarrow \theta - \eta\, \partial L / \partial \theta$. Seção 9; a comparação
#   «SGD ou Adam?» da seção 10; o cronograma da tarefa 6, seção 5.
# - **Treino, validação e teste**: o treino ajusta os pesos, a validação escolhe os
#   hiperparâmetros e o teste, usado uma vez no fim, estima o desempenho em dados novos. Seção 10.
