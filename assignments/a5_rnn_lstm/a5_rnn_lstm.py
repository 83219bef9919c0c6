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
# # Tarefa 5 — Redes recorrentes: RNN e LSTM
#
# Até aqui, todas as redes que você programou olham para **uma entrada de cada vez**: uma imagem,
# um paciente, um vetor. Texto, fala, séries temporais e sinais de sensores são diferentes: o
# significado de cada elemento depende do que veio antes. Nesta tarefa você vai construir, só com
# numpy, as redes que carregam uma **memória** de um passo de tempo para o próximo:
#
# 1. a **célula RNN** (forward e backward) e o exemplo das aulas que processa a palavra
#    *"hello"* letra por letra, com os mesmos números dos slides;
# 2. a RNN sobre uma **sequência inteira** e a **retropropagação através do tempo** (BPTT);
# 3. um experimento que **mostra** o gradiente desaparecendo e explodindo ao voltar no tempo;
# 4. a **célula LSTM**, com as suas portas (esquecimento, entrada, candidato e saída), e a
#    comparação RNN × LSTM.
#
# **Como funciona:** cada exercício é uma função com a docstring já escrita. Troque
# `raise NotImplementedError()` pelo seu código, rode a célula e depois a célula de verificação
# logo abaixo. Ela testa a sua função em poucos casos simples e, se algo estiver errado, mostra o
# caso, o valor esperado, o valor obtido e uma dica. A nota vem de testes escondidos, mais
# completos, que rodam na correção.
#
# Use apenas numpy nos exercícios. As células de demonstração usam as **suas** funções; elas só
# funcionam depois que os exercícios acima delas estiverem prontos.

# %%
import numpy as np
import matplotlib.pyplot as plt
from scipy.special import softmax

from dlhelpers.worked_examples import (  # o exemplo "hello" das aulas
    HELLO_LETTERS, hello_input_weights_slide, hello_one_hot, hello_output_weights_slide, hello_states_slide,
    hello_step2_scores_slide, hello_weights,
)

np.set_printoptions(precision=8, suppress=True)
# %matplotlib inline

# %% [markdown]
# ## 1. Memória ao longo do tempo
#
# Pense em um MLP que recebe as palavras de uma frase uma de cada vez. Mesmo que os pesos sejam
# os mesmos para todas as palavras, cada saída depende **só** da palavra atual: o MLP não tem
# como saber o que leu um instante antes. Para relacionar a entrada atual com as anteriores,
# a rede precisa guardar alguma coisa entre um passo e outro.
#
# A **rede neural recorrente** (RNN) faz exatamente isso. Ela mantém um **estado oculto**
# $h_t$, um vetor que resume tudo o que a rede viu até o passo $t$, e o atualiza a cada nova
# entrada $x_t$:
#
# $$h_t = f(h_{t-1},\ x_t)$$
#
# O ponto-chave: a função $f$, com **os mesmos pesos**, é aplicada em todos os passos de tempo.
# Uma rede feedforward tem pesos diferentes em cada camada; a RNN reaproveita um único conjunto
# de pesos ao longo de toda a sequência. É por isso que ela aceita sequências de qualquer
# comprimento, e é esse compartilhamento que vai dar forma ao backward (seção 5).
#
# **Uma intuição das aulas: o chatbot.** Queremos classificar a intenção do que o usuário
# digitou, por exemplo *"What time is it?"*. A RNN lê uma palavra por passo:
#
# | passo | entrada | o estado passa a conter |
# |---|---|---|
# | 1 | *What* | algo sobre "What" |
# | 2 | *time* | "What" + "time" |
# | 3 | *is* | "What time" + "is" |
# | 4 | *it* | ... |
# | 5 | *?* | um resumo da frase inteira |
#
# O último estado vai para uma camada densa que escolhe a intenção ("perguntar as horas"). Esse
# arranjo, muitas entradas e uma saída, é o *many-to-one* (também usado em análise de
# sentimentos). Há também *one-to-many* (gerar uma legenda para uma imagem, compor música) e
# *many-to-many* (tradução, reconhecer nomes de pessoas e lugares em um texto).
#
# As aulas também mostram o ponto fraco: no último passo, a contribuição de "What" e "time" para
# o estado já é pequena. A RNN simples tem **memória de curto prazo**, e a causa é o gradiente
# que desaparece ao voltar no tempo. Na seção 6 você vai medir isso, e na seção 7 vai construir a
# LSTM, que foi inventada para resolver o problema.

# %% [markdown]
# ## 2. A célula RNN e o layout dos pesos do Keras
#
# Um passo da RNN simples (a `SimpleRNN` do Keras) calcula
#
# $$h_t = \tanh\left(x_t W_x + h_{t-1} W_h + b\right)$$
#
# Usamos a convenção do Keras: vetores são **linhas**, e um lote de $m$ exemplos é processado de
# uma vez. Os shapes:
#
# | símbolo | o que é | shape | nome no Keras |
# |---|---|---|---|
# | $x_t$ | entrada do passo $t$ | $(m, D)$ | |
# | $h_{t-1}$, $h_t$ | estado anterior e novo estado | $(m, H)$ | |
# | $W_x$ | pesos da entrada | $(D, H)$ | `kernel` |
# | $W_h$ | pesos recorrentes | $(H, H)$ | `recurrent_kernel` |
# | $b$ | bias | $(H,)$ | `bias` |
#
# Uma sequência inteira é um array $(m, T, D)$: exemplo, passo de tempo, característica, nessa
# ordem (*batch-major*, como no Keras).
#
# **E a notação dos slides?** Os slides escrevem $h_t = \tanh(W_{hh} h_{t-1} + W_{xh} x_t)$, com
# vetores em **coluna**. Nessa convenção a matriz vem à esquerda e $W_{xh}$ tem shape $(H, D)$;
# na nossa, o vetor vem à esquerda e $W_x = W_{xh}^\top$. É a mesma conta, só transposta.
# Repare também que a fórmula do slide não mostra o bias, mas o exemplo numérico soma um
# (0,567001); a `SimpleRNN` do Keras também tem bias, então aqui ele aparece na fórmula.
#
# A tanh (que você programou na tarefa 1) mantém o estado entre $-1$ e $1$, e o estado nunca
# "estoura" por mais longa que seja a sequência.
#
# **Exercício 1.** Escreva `rnn_cell_forward`: um passo de tempo.

# %% exercise="rnn_cell_forward" points=1

# %% [markdown]
# ### O exemplo das aulas: "hello", letra por letra
#
# O vocabulário tem quatro letras, codificadas em *one-hot*: $h = [1, 0, 0, 0]$,
# $e = [0, 1, 0, 0]$, $l = [0, 0, 1, 0]$ e $o = [0, 0, 0, 1]$. A rede lê "h", "e", "l", "l" e,
# a cada passo, deveria prever a letra seguinte ("e", "l", "l", "o"). Ela tem 3 unidades
# ocultas, e os pesos foram sorteados (a rede ainda não foi treinada):
#
# - $W_{xh}$, impressa no slide com shape $3 \times 4$ (uma coluna por letra); o nosso
#   $W_x$ é a transposta, $4 \times 3$;
# - um único peso recorrente, $0{,}427043$, que multiplica o estado de cada unidade. Isso
#   equivale a $W_h = 0{,}427043 \cdot I$: cada unidade realimenta só a si mesma. Em uma RNN de
#   verdade $W_h$ é uma matriz $H \times H$ cheia, mas o caso diagonal deixa a conta legível;
# - bias $0{,}567001$ em todas as unidades.
#
# **Passo 1, letra "h".** Multiplicar pelo one-hot de "h" seleciona a primeira coluna de
# $W_{xh}$: $[0{,}287027;\ 0{,}902874;\ 0{,}537524]$. Não há letra anterior, então
# $h_0 = [0, 0, 0]$ e a parte recorrente é só o bias. O novo estado é
# $h_1 = \tanh([0{,}854028;\ 1{,}469875;\ 1{,}104525]) = [0{,}69316804;\ 0{,}89955366;\ 0{,}8021184]$.
#
# **Passo 2, letra "e".** Agora $h_1$ faz o papel de $h_{t-1}$. A parte recorrente é
# $0{,}427043 \cdot h_1 + 0{,}567001 = [0{,}863013;\ 0{,}951149;\ 0{,}90954]$, a parte da entrada
# é a segunda coluna de $W_{xh}$, $[0{,}84606;\ 0{,}871522;\ 0{,}09224]$, e
# $h_2 = \tanh(\text{soma}) = [0{,}93653372;\ 0{,}94910403;\ 0{,}76234056]$.
#
# A célula abaixo refaz esses dois passos com o **seu** `rnn_cell_forward`. As diferenças na
# sétima casa decimal vêm do slide, que imprime os pesos arredondados em 6 casas (em outro quadro
# ele mostra, por exemplo, 0,287027359).

# %%
print("W_xh do slide, (H=3, D=4), vetores em coluna:")
print(hello_input_weights_slide())
Wx_hello, Wh_hello, b_hello = hello_weights()  # (4, 3) = W_xh.T, 0,427043 * I (3, 3), 0,567001 (3,)
letter_h, letter_e = hello_one_hot("he")[:, 0], hello_one_hot("he")[:, 1]  # vetores linha (1, 4)

state_1, _ = rnn_cell_forward(letter_h, np.zeros((1, 3)), Wx_hello, Wh_hello, b_hello)
print("passo 1, 'h':       ", state_1[0])
print("  no slide:          ", hello_states_slide()[0])
print("parte recorrente do passo 2 (h1 @ Wh + b):", state_1[0] @ Wh_hello + b_hello)
state_2, _ = rnn_cell_forward(letter_e, state_1, Wx_hello, Wh_hello, b_hello)
print("passo 2, 'e':       ", state_2[0])
print("  no slide:          ", hello_states_slide()[1])

# %% [markdown]
# ## 3. O backward de uma célula
#
# Chame de $a_t = x_t W_x + h_{t-1} W_h + b$ a entrada da tanh, de modo que $h_t = \tanh(a_t)$.
# O backward recebe `dh_next` $= \partial L / \partial h_t$ e aplica a regra da cadeia em duas
# etapas.
#
# **Primeiro, volte pela tanh.** Como $\tanh'(a) = 1 - \tanh^2(a)$ e o forward já guardou
# $h_t = \tanh(a_t)$, não é preciso recalcular nada:
#
# $$\frac{\partial L}{\partial a_t} = \frac{\partial L}{\partial h_t} \odot \left(1 - h_t^2\right)$$
#
# ($\odot$ é o produto elemento a elemento.)
#
# **Depois, volte pela parte linear**, exatamente como em uma camada densa (tarefa 4), só que
# agora com **duas** entradas e dois pesos:
#
# $$\frac{\partial L}{\partial x_t} = \frac{\partial L}{\partial a_t} W_x^\top, \qquad
#   \frac{\partial L}{\partial h_{t-1}} = \frac{\partial L}{\partial a_t} W_h^\top, \qquad
#   \frac{\partial L}{\partial W_x} = x_t^\top \frac{\partial L}{\partial a_t}, \qquad
#   \frac{\partial L}{\partial W_h} = h_{t-1}^\top \frac{\partial L}{\partial a_t}$$
#
# e $\partial L / \partial b$ é a soma de $\partial L / \partial a_t$ sobre o lote. Confira os
# shapes: $(m, H) \cdot (H, D) = (m, D)$ para `dx_t`, $(D, m) \cdot (m, H) = (D, H)$ para `dWx`.
#
# O gradiente `dh_prev` é o que torna a rede recorrente: ele é o gradiente que vai para o passo
# **anterior**.
#
# **Exercício 2.** Escreva `rnn_cell_backward`. Ele devolve os gradientes na ordem das entradas
# do forward: `(dx_t, dh_prev, dWx, dWh, db)`.

# %% exercise="rnn_cell_backward" points=2

# %% [markdown]
# ## 4. A sequência inteira
#
# Para processar uma sequência $(m, T, D)$, aplique a célula passo a passo, sempre com os mesmos
# $W_x$, $W_h$ e $b$:
#
# 1. comece do estado inicial $h_0$ (em geral, zeros);
# 2. para $t = 1, \dots, T$: $h_t = \text{célula}(x_t, h_{t-1})$;
# 3. guarde todos os estados em um array $(m, T, H)$ e o cache de cada passo em uma lista, para
#    o backward.
#
# Na indexação do numpy o passo $t$ das fórmulas é o índice `t - 1`: `x[:, 0]` é a primeira
# entrada, de shape $(m, D)$, e `h[:, 0]` é $h_1$, o estado depois dela.
#
# **Exercício 3.** Escreva `rnn_forward` usando o seu `rnn_cell_forward`.

# %% exercise="rnn_forward" points=1

# %% [markdown]
# ### "hell" inteiro e a previsão da próxima letra
#
# Com `rnn_forward`, os dois passos da seção 2 saem de uma vez, junto com os passos 3 e 4. Os
# slides completam o exemplo com a **saída** de cada passo,
#
# $$y_t = W_{hy} h_t,$$
#
# onde $W_{hy}$ ($4 \times 3$, uma linha por letra do vocabulário) também foi sorteada. Em
# vetores linha, $y_t = h_t W_{hy}^\top$: é uma camada densa sem bias, com $4$ pontuações, uma
# por letra. No passo 2 o slide obtém
#
# $$y_2 = [1{,}90607732;\ 1{,}13779113;\ 0{,}95666016;\ 1{,}27422602].$$
#
# Ele multiplica $W_{hy}$ pelo estado arredondado em 6 casas
# ($[0{,}936534;\ 0{,}949104;\ 0{,}762341]$), por isso a nossa conta concorda com a dele só até a
# quinta casa decimal, mais ou menos.
#
# Por fim, a **softmax** transforma as pontuações em probabilidades para a próxima letra.

# %%
W_hy_slide = hello_output_weights_slide()  # (4 letras, H=3), vetores em coluna como no slide

x_hell = hello_one_hot("hell")  # (m=1, T=4, D=4)
states_hell, _ = rnn_forward(x_hell, np.zeros((1, 3)), Wx_hello, Wh_hello, b_hello)
print("estados h_1 ... h_4 (shape", states_hell.shape, "):")
print(states_hell[0])

scores = states_hell @ W_hy_slide.T  # (1, 4, 4): 4 pontuações por passo
print("\ny_2 calculado:", scores[0, 1])
print("y_2 no slide: ", hello_step2_scores_slide())

next_letter_probabilities = softmax(scores, axis=-1)
print("\npasso  entrada  deveria vir  P(h)    P(e)    P(l)    P(o)    a rede aposta em")
for step, (seen, wanted) in enumerate(zip("hell", "ello")):
    row = next_letter_probabilities[0, step]
    cells = "  ".join(f"{p:.4f}" for p in row)
    print(f"  {step + 1}      '{seen}'       '{wanted}'      {cells}     '{HELLO_LETTERS[row.argmax()]}'")

# %% [markdown]
# Depois de "he", a rede dá a maior probabilidade (cerca de 0,42) à letra "h", e não a "l".
# Nada de errado com as contas: os pesos são aleatórios e a rede ainda não aprendeu nada. Para
# aprender, ela compara cada previsão com a letra certa, calcula o erro e ajusta $W_x$, $W_h$,
# $b$ (e $W_{hy}$) pelo gradiente. É o assunto da próxima seção.

# %% [markdown]
# ## 5. Retropropagação através do tempo (BPTT)
#
# Para treinar, "desenrole" a RNN no tempo: ela vira uma rede feedforward de $T$ camadas, uma
# por passo, **todas com os mesmos pesos**. O erro total é a soma dos erros de cada passo,
# $L = \sum_t L_t$, e o backward percorre os passos de trás para a frente. Esse procedimento
# tem nome: **backpropagation through time** (BPTT).
#
# Duas observações dizem tudo o que é preciso:
#
# 1. **O estado $h_t$ recebe gradiente de dois lugares**: da perda do próprio passo ($L_t$
#    depende de $h_t$ pela saída $y_t$) e do passo seguinte, que usou $h_t$ como $h_{t-1}$:
#
#    $$\frac{\partial L}{\partial h_t} = \underbrace{\texttt{dh[:, t]}}_{\text{perda do passo } t}
#    + \underbrace{\texttt{dh\_prev}\ \text{devolvido pelo passo } t+1}_{\text{o futuro}}$$
#
#    No último passo não há futuro, e a segunda parcela é zero.
#
# 2. **Os gradientes dos pesos são somados sobre os passos.** O mesmo $W_h$ foi usado em todos
#    os passos, então cada passo contribui com uma parcela de $\partial L / \partial W_h$ (o
#    mesmo vale para $W_x$ e $b$). A atualização usa a soma.
#
# Aqui `dh` tem shape $(m, T, H)$ e já é o gradiente de cada $L_t$ em relação a $h_t$ (a parte
# que passa por $W_{hy}$ e pela softmax é uma camada densa, como na tarefa 4). Se a perda só olha
# o último passo (um classificador *many-to-one*, como o chatbot), `dh` é zero em todos os
# passos menos no último. O `dh0` devolvido é o gradiente em relação ao estado inicial.
#
# **Exercício 4.** Escreva `rnn_backward`, usando o seu `rnn_cell_backward` dentro de um laço
# que vai de $t = T$ até $t = 1$.

# %% exercise="rnn_backward" points=3

# %% [markdown]
# ## 6. Gradientes que desaparecem e que explodem
#
# Olhe para o caminho que o gradiente faz de $h_t$ até $h_{t-1}$ (o `dh_prev` da célula):
#
# $$\frac{\partial L}{\partial h_{t-1}} = \left(\frac{\partial L}{\partial h_t} \odot
#   \left(1 - h_t^2\right)\right) W_h^\top$$
#
# Para chegar do último passo $T$ até um passo $k$ lá no começo, o gradiente é multiplicado
# $T - k$ vezes por $W_h^\top$ (e pela derivada da tanh, que é no máximo 1). É um **produto**
# longo, como o das camadas de uma rede profunda na tarefa 1, só que agora é sempre a **mesma**
# matriz:
#
# - se $W_h$ "encolhe" os vetores, o gradiente cai exponencialmente: **desaparece**
#   (*vanishing gradient*). O passo $k$ quase não recebe sinal, e a rede não aprende que
#   "What", lá no começo da frase, importava para a resposta. É a memória de curto prazo;
# - se $W_h$ "estica" os vetores, o gradiente cresce exponencialmente: **explode**
#   (*exploding gradient*). As atualizações ficam enormes, a perda oscila e os pesos podem virar
#   `NaN`.
#
# **O experimento.** Uma RNN com $H = 16$ unidades lê uma sequência de $T = 30$ passos; a perda
# olha só o último estado. Com o **seu** `rnn_backward` medimos a norma de
# $\partial L / \partial x_t$, o quanto a entrada de cada passo influencia a perda. Usamos
# $W_h = s \cdot Q$, com $Q$ uma matriz ortogonal (uma rotação, que não muda o tamanho dos
# vetores), de modo que a escala $s$ controla sozinha se $W_h$ encolhe ou estica. As entradas são
# minúsculas, para que a tanh trabalhe na região quase linear ($1 - h_t^2 \approx 1$): assim
# cada passo para trás multiplica a norma por quase exatamente $s$.

# %%
rng = np.random.default_rng(1)
T_long, D_in, H_hidden = 30, 4, 16
x_tiny = 0.001 * rng.standard_normal((1, T_long, D_in))  # entradas pequenas: tanh quase linear
Wx_demo = rng.standard_normal((D_in, H_hidden)) / np.sqrt(D_in)
rotation, _ = np.linalg.qr(rng.standard_normal((H_hidden, H_hidden)))  # Q ortogonal
upstream = rng.standard_normal((1, H_hidden))
dh_last_only = np.zeros((1, T_long, H_hidden))
dh_last_only[:, -1] = upstream / np.linalg.norm(upstream)  # perda só no último passo


def input_gradient_norms(x_sequence, Wh_matrix):
    """Norma de dL/dx_t em cada passo, com o SEU rnn_forward e o SEU rnn_backward."""
    _, sequence_cache = rnn_forward(x_sequence, np.zeros((1, H_hidden)), Wx_demo, Wh_matrix,
                                    np.zeros(H_hidden))
    gradient_inputs = rnn_backward(dh_last_only, sequence_cache)[0]
    return np.linalg.norm(gradient_inputs[0], axis=1)


time_axis = np.arange(1, T_long + 1)
plt.figure(figsize=(8, 4.5))
for s, marker in [(0.6, "o"), (1.0, "s"), (1.25, "^")]:
    norms_s = input_gradient_norms(x_tiny, s * rotation)
    print(f"s = {s:4}: |dL/dx| no passo 1 / no passo {T_long} = {norms_s[0] / norms_s[-1]:.3g}")
    plt.semilogy(time_axis, norms_s, marker + "-", ms=4, label=f"$W_h = {s} \\cdot Q$")
plt.xlabel("passo de tempo t (a perda olha só o último)")
plt.ylabel(r"$\|\partial L / \partial x_t\|$ (escala log)")
plt.title("RNN simples: o gradiente ao voltar no tempo")
plt.legend()
plt.grid(True, which="major", alpha=0.3)
plt.show()

# %% [markdown]
# A escala é logarítmica, então uma reta é um crescimento ou decaimento **exponencial**:
#
# - com $s = 0{,}6$, o gradiente que chega ao passo 1 é da ordem de
#   $0{,}6^{29} \approx 4 \cdot 10^{-7}$ do gradiente do último passo (desaparece);
# - com $s = 1$, ele chega mais ou menos do mesmo tamanho;
# - com $s = 1{,}25$, ele chega algumas centenas de vezes **maior** ($1{,}25^{29} \approx 650$):
#   explode. Com sequências mais longas ou $s$ maior, o número estoura.
#
# Na prática, a explosão costuma ser combatida com *gradient clipping* (limitar a norma do
# gradiente antes da atualização). Contra o desaparecimento, as aulas citam redes residuais
# (ResNets), hierarquias de vários níveis, a ReLU e, para sequências, a **LSTM**.
#
# (Um detalhe: em uma RNN de verdade as entradas não são minúsculas, e a tanh satura. Quando
# $|h_t| \approx 1$, o fator $1 - h_t^2$ fica perto de zero e também faz o gradiente
# desaparecer. Por isso, em uma RNN simples com tanh, desaparecer é o problema mais comum.)

# %% [markdown]
# ## 7. A LSTM: uma memória que o gradiente consegue atravessar
#
# A LSTM (*Long Short-Term Memory*) carrega **dois** estados de um passo para o outro:
#
# - a **memória** (estado da célula) $c_t$: a memória de longo prazo;
# - o **estado oculto** $h_t$: a saída do passo, a memória de curto prazo.
#
# Em cada passo, quatro camadas olham para a entrada atual e para o estado anterior e decidem o
# que fazer com a memória. Seguindo os quatro passos das aulas:
#
# 1. **Porta de esquecimento** (*forget gate*): o que da memória antiga fica e o que é
#    descartado. $\ f_t = \sigma\left(x_t W_x^{(f)} + h_{t-1} W_h^{(f)} + b^{(f)}\right)$, com
#    valores entre 0 (apagar) e 1 (manter).
# 2. **Porta de entrada** (*input gate*) e **candidato**: quais informações novas entram.
#    $\ i_t = \sigma(\dots)$ diz quanto entra, e $\ g_t = \tanh(\dots)$ propõe os novos valores.
# 3. **Atualização da memória**: esquece uma parte, acrescenta a outra:
#
#    $$c_t = f_t \odot c_{t-1} + i_t \odot g_t$$
#
# 4. **Porta de saída** (*output gate*): que parte da memória vira estado.
#    $\ o_t = \sigma(\dots)$ e
#
#    $$h_t = o_t \odot \tanh(c_t)$$
#
# Os slides chamam o candidato também de $c_t$ (e escrevem $c_t = f_t * c_{t-1} + i_t * c_t$).
# Para não confundir o candidato com a memória nova, aqui ele se chama $g_t$ (em outros textos,
# $\tilde{c}_t$); no Keras é o bloco "c".
#
# **De $[h_{t-1}, x_t]$ para o layout do Keras.** Os slides escrevem cada porta como
# $\sigma(W_f [h_{t-1}, x_t] + b_f)$, com a entrada e o estado **concatenados**. Multiplicar o
# vetor concatenado por uma matriz é o mesmo que multiplicar cada pedaço pelo seu bloco de
# linhas e somar: $[h_{t-1}, x_t]\, W = h_{t-1} W^{(h)} + x_t W^{(x)}$. O Keras guarda esses
# blocos separados e, além disso, **empilha as quatro portas lado a lado**:
#
# | | shape | colunas `0:H` | `H:2H` | `2H:3H` | `3H:4H` |
# |---|---|---|---|---|---|
# | $W_x$ (`kernel`) | $(D, 4H)$ | $i$ | $f$ | $c$ (candidato) | $o$ |
# | $W_h$ (`recurrent_kernel`) | $(H, 4H)$ | $i$ | $f$ | $c$ | $o$ |
# | $b$ (`bias`) | $(4H,)$ | $i$ | $f$ | $c$ | $o$ |
#
# Então uma única conta, $z = x_t W_x + h_{t-1} W_h + b$ de shape $(m, 4H)$, calcula as
# pré-ativações das quatro portas; depois é só cortar $z$ em quatro blocos de $H$ colunas, na
# ordem **i, f, c, o**.
#
# **Por que isso ajuda o gradiente?** A memória passa de um passo ao outro por uma **soma**,
# $c_t = f_t \odot c_{t-1} + \dots$, sem multiplicar por uma matriz de pesos e sem passar por uma
# tanh. Voltando no tempo, $\partial L / \partial c_{t-1}$ recebe
# $\partial L / \partial c_t \odot f_t$. Se a porta de esquecimento fica perto de 1, o gradiente atravessa muitos passos
# quase intacto.
#
# **Sigmoide sem overflow.** Para $z$ muito negativo, `np.exp(-z)` estoura. Use a forma estável
# da tarefa 1, ou a identidade $\sigma(z) = \frac{1 + \tanh(z/2)}{2}$, que vale para todo $z$.
#
# **Exercício 5.** Escreva `lstm_cell_forward`.

# %% exercise="lstm_cell_forward" points=2

# %% [markdown]
# ## 8. O backward da célula LSTM
#
# O backward recebe dois gradientes: `dh_next` $= \partial L / \partial h_t$ e
# `dc_next` $= \partial L / \partial c_t$ (o que vem do passo seguinte pela memória). Siga o
# forward de trás para a frente.
#
# **A memória recebe gradiente por dois caminhos**: direto, por `dc_next`, e através de
# $h_t = o_t \odot \tanh(c_t)$:
#
# $$\frac{\partial L}{\partial c_t} = \texttt{dc\_next} + \texttt{dh\_next} \odot o_t \odot
#   \left(1 - \tanh^2(c_t)\right)$$
#
# **Cada termo do forward devolve a sua parte**, usando o $\partial L / \partial c_t$ total:
#
# $$\frac{\partial L}{\partial o_t} = \texttt{dh\_next} \odot \tanh(c_t), \quad
#   \frac{\partial L}{\partial i_t} = \frac{\partial L}{\partial c_t} \odot g_t, \quad
#   \frac{\partial L}{\partial g_t} = \frac{\partial L}{\partial c_t} \odot i_t, \quad
#   \frac{\partial L}{\partial f_t} = \frac{\partial L}{\partial c_t} \odot c_{t-1}, \quad
#   \frac{\partial L}{\partial c_{t-1}} = \frac{\partial L}{\partial c_t} \odot f_t$$
#
# **Depois, volte pelas ativações de cada porta** para obter o gradiente das pré-ativações:
# $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ para $i, f, o$ e $\tanh'(z) = 1 - g^2$ para o
# candidato. Junte os quatro blocos na ordem **i, f, c, o** em um $\partial L / \partial z$ de
# shape $(m, 4H)$: a partir daí é a mesma parte linear da RNN (seção 3), com $W_x$ e $W_h$ de
# $4H$ colunas.
#
# **Exercício 6.** Escreva `lstm_cell_backward`. Ele devolve
# `(dx_t, dh_prev, dc_prev, dWx, dWh, db)`, na ordem das entradas do forward.

# %% exercise="lstm_cell_backward" points=3

# %% [markdown]
# ## 9. A LSTM na sequência e a comparação com a RNN
#
# O forward da sequência é o mesmo laço da RNN, só que agora **dois** estados passam adiante:
# $h_t$ e $c_t$. A saída é o array $(m, T, H)$ dos estados ocultos (o que a camada `LSTM` do
# Keras devolve com `return_sequences=True`).
#
# **Exercício 7.** Escreva `lstm_forward` usando o seu `lstm_cell_forward`.

# %% exercise="lstm_forward" points=1

# %% [markdown]
# ### Quanto tempo dura uma lembrança?
#
# Voltemos ao chatbot: a palavra "What" chega no primeiro passo e precisa ser lembrada até o fim.
# Vamos simular isso com uma sequência de 25 passos que tem **um único pulso** ($x_1 = 1$, o
# resto zero) e observar o estado de uma unidade:
#
# - **RNN**: $W_x = 2$, $W_h = 0{,}5$. Depois do pulso, cada passo multiplica o estado por
#   cerca de 0,5;
# - **LSTM**: pesos escolhidos à mão (nada de treino) para que a porta de entrada só abra
#   durante o pulso (peso 10 na entrada, bias $-5$), o candidato guarde $\tanh(2)$, a porta de
#   esquecimento fique quase sempre aberta (bias 4, $f = \sigma(4) \approx 0{,}98$) e a de saída
#   em $\sigma(2) \approx 0{,}88$.

# %%
T_pulse = 25
pulse = np.zeros((1, T_pulse, 1))
pulse[0, 0, 0] = 1.0

rnn_states, _ = rnn_forward(pulse, np.zeros((1, 1)), np.array([[2.0]]), np.array([[0.5]]),
                            np.zeros(1))
lstm_states, _ = lstm_forward(pulse, np.zeros((1, 1)), np.zeros((1, 1)),
                              np.array([[10.0, 0.0, 2.0, 0.0]]),  # portas i, f, c, o
                              np.zeros((1, 4)),
                              np.array([-5.0, 4.0, 0.0, 2.0]))
pulse_steps = np.arange(1, T_pulse + 1)
plt.figure(figsize=(8, 4))
plt.plot(pulse_steps, rnn_states[0, :, 0], "o-", ms=4, label="RNN simples, $W_h = 0.5$")
plt.plot(pulse_steps, lstm_states[0, :, 0], "s-", ms=4, label="LSTM, esquecimento $\\approx 0.98$")
plt.xlabel("passo de tempo t (o pulso entra no passo 1)")
plt.ylabel("estado oculto $h_t$")
plt.title("A lembrança de um único pulso")
plt.legend()
plt.grid(alpha=0.3)
plt.show()
print(f"depois de {T_pulse} passos: RNN h = {rnn_states[0, -1, 0]:.2e}, "
      f"LSTM h = {lstm_states[0, -1, 0]:.3f}")

# %% [markdown]
# ### BPTT na LSTM
#
# Não há exercício de `lstm_backward`: o laço é o mesmo da RNN, com uma diferença. Agora
# **dois** gradientes voltam no tempo, o do estado oculto e o da memória. A função abaixo é só
# uma demonstração, montada em cima do **seu** `lstm_cell_backward` e dos caches que o seu
# `lstm_forward` devolve (a lista dos caches de cada passo).
#
# Para confiar nela, comparamos três entradas dos gradientes com uma estimativa por diferenças
# centradas: empurramos um único peso um pouquinho para cima e para baixo e vemos quanto a perda
# muda. É a conferência numérica da tarefa 4.

# %%
def lstm_bptt_demo(dh, step_caches):
    """BPTT de uma LSTM (demonstração): dh (m, T, H) e a lista de caches do lstm_forward.
    Devolve (dx, dh0, dc0, dWx, dWh, db)."""
    steps_total = dh.shape[1]
    grad_hidden = np.zeros_like(dh[:, 0])  # o que volta do futuro pelo estado oculto
    grad_memory = np.zeros_like(dh[:, 0])  # ... e pela memória
    grads_per_input = [None] * steps_total
    grad_weights = None
    for step in reversed(range(steps_total)):
        step_grads = lstm_cell_backward(dh[:, step] + grad_hidden, grad_memory, step_caches[step])
        grads_per_input[step], grad_hidden, grad_memory = step_grads[:3]
        if grad_weights is None:
            grad_weights = list(step_grads[3:])
        else:
            grad_weights = [running + extra for running, extra in zip(grad_weights, step_grads[3:])]
    return (np.stack(grads_per_input, axis=1), grad_hidden, grad_memory, *grad_weights)


check_rng = np.random.default_rng(5)
m_c, T_c, D_c, H_c = 2, 5, 3, 4
check_args = [
    check_rng.standard_normal((m_c, T_c, D_c)),              # x
    check_rng.standard_normal((m_c, H_c)),                   # h0
    check_rng.standard_normal((m_c, H_c)),                   # c0
    0.5 * check_rng.standard_normal((D_c, 4 * H_c)),         # Wx
    0.5 * check_rng.standard_normal((H_c, 4 * H_c)),         # Wh
    0.5 * check_rng.standard_normal(4 * H_c),                # b
]
weights_upstream = check_rng.standard_normal((m_c, T_c, H_c))  # perda L = soma(h * weights_upstream)
_, check_caches = lstm_forward(*check_args)
bptt_grads = lstm_bptt_demo(weights_upstream, check_caches)

# (nome, posição em lstm_forward, posição no resultado do BPTT, entrada conferida)
for label, arg_position, grad_position, entry in [("dWx", 3, 3, (1, 6)), ("dWh", 4, 4, (2, 9)),
                                                  ("db", 5, 5, (13,))]:
    bumped_up = [np.array(a, copy=True) for a in check_args]
    bumped_down = [np.array(a, copy=True) for a in check_args]
    bumped_up[arg_position][entry] += 1e-6
    bumped_down[arg_position][entry] -= 1e-6
    loss_up = np.sum(lstm_forward(*bumped_up)[0] * weights_upstream)
    loss_down = np.sum(lstm_forward(*bumped_down)[0] * weights_upstream)
    print(f"{label}{list(entry)}: BPTT = {bptt_grads[grad_position][entry]: .8f}   "
          f"diferenças centradas = {(loss_up - loss_down) / 2e-6: .8f}")

# %% [markdown]
# ### O gradiente ao voltar no tempo: RNN × LSTM
#
# Agora o mesmo experimento da seção 6, em condições realistas: entradas aleatórias de tamanho
# normal, $T = 50$ passos, pesos sorteados na escala usual ($1/\sqrt{\text{fan-in}}$) e a perda
# só no último estado. Comparamos:
#
# - a RNN simples;
# - uma LSTM com bias zero na porta de esquecimento ($f \approx 0{,}5$: a memória cai pela
#   metade a cada passo);
# - a mesma LSTM com bias 3 na porta de esquecimento ($f \approx 0{,}95$: a memória é mantida).
#
# A LSTM usa o `lstm_bptt_demo` acima; a RNN, o seu `rnn_backward`.

# %%
rng = np.random.default_rng(2)
T_seq, H_units = 50, 16
x_normal = rng.standard_normal((1, T_seq, D_in))
last_upstream = rng.standard_normal((1, H_units))
dh_only_last = np.zeros((1, T_seq, H_units))
dh_only_last[:, -1] = last_upstream / np.linalg.norm(last_upstream)

Wx_rnn = rng.standard_normal((D_in, H_units)) / np.sqrt(D_in)
Wh_rnn = rng.standard_normal((H_units, H_units)) / np.sqrt(H_units)
_, rnn_cache_long = rnn_forward(x_normal, np.zeros((1, H_units)), Wx_rnn, Wh_rnn, np.zeros(H_units))
curves = {"RNN simples": np.linalg.norm(rnn_backward(dh_only_last, rnn_cache_long)[0][0], axis=1)}

Wx_lstm = rng.standard_normal((D_in, 4 * H_units)) / np.sqrt(D_in)
Wh_lstm = rng.standard_normal((H_units, 4 * H_units)) / np.sqrt(H_units)
for forget_bias in (0.0, 3.0):
    b_lstm = np.zeros(4 * H_units)
    b_lstm[H_units:2 * H_units] = forget_bias  # o bloco f (ordem i, f, c, o)
    _, lstm_cache_long = lstm_forward(x_normal, np.zeros((1, H_units)), np.zeros((1, H_units)),
                                      Wx_lstm, Wh_lstm, b_lstm)
    dx_lstm = lstm_bptt_demo(dh_only_last, lstm_cache_long)[0]
    curves[f"LSTM, bias de esquecimento {forget_bias:g}"] = np.linalg.norm(dx_lstm[0], axis=1)

long_axis = np.arange(1, T_seq + 1)
plt.figure(figsize=(8, 4.5))
for (label, norms_curve), marker in zip(curves.items(), "o^s"):
    plt.semilogy(long_axis, norms_curve, marker + "-", ms=4, label=label)
    print(f"{label:32s} |dL/dx| no passo 1: {norms_curve[0]:.2e}   no passo {T_seq}: {norms_curve[-1]:.2e}")
plt.xlabel("passo de tempo t (a perda olha só o último)")
plt.ylabel(r"$\|\partial L / \partial x_t\|$ (escala log)")
plt.title("RNN × LSTM: quanto do gradiente chega aos primeiros passos")
plt.legend()
plt.grid(True, which="major", alpha=0.3)
plt.show()

# %% [markdown]
# Na RNN simples, o gradiente que chega ao primeiro passo é **bilhões de vezes** menor que o do
# último: para ela, o começo da sequência praticamente não existe. A LSTM com bias zero no
# esquecimento não é melhor, porque $f \approx 0{,}5$ apaga a memória depressa. Com a porta de
# esquecimento quase sempre aberta, o gradiente atravessa os 50 passos e chega ao primeiro com
# praticamente o mesmo tamanho com que saiu do último.
#
# Ou seja, a LSTM não resolve o problema por mágica: ela oferece um caminho (a memória $c_t$)
# pelo qual o gradiente **pode** passar, e a porta de esquecimento controla esse caminho. Por
# isso o Keras inicializa o bias dessa porta com 1 (`unit_forget_bias=True`), e o treino aprende
# quando vale a pena lembrar e quando vale a pena esquecer.

# %% [markdown]
# ## 10. O que usar na prática
#
# Você programou as células à mão para entender o que acontece dentro delas. Em um projeto de
# verdade, use as camadas prontas do Keras, que são rápidas (rodam na GPU) e calculam o
# backward sozinhas:
#
# - `keras.layers.SimpleRNN(units)`: a RNN desta tarefa (tanh por padrão);
# - `keras.layers.LSTM(units)`: a LSTM desta tarefa, com as portas na mesma ordem i, f, c, o;
# - `keras.layers.GRU(units)`: uma variante mais enxuta da LSTM, com duas portas (atualização e
#   *reset*) e sem memória separada; costuma ter desempenho parecido, com menos parâmetros.
#
# Por padrão elas devolvem só o último estado (o caso *many-to-one*, como o chatbot); com
# `return_sequences=True` devolvem todos os estados, shape $(m, T, H)$, como os seus
# `rnn_forward` e `lstm_forward`. Na `SimpleRNN` e na `LSTM`, o layout dos pesos é o desta
# tarefa: `layer.get_weights()` devolve `[kernel, recurrent_kernel, bias]` e, copiando-os para as
# suas funções, o resultado é o mesmo da camada do Keras.
#
# ## Resumo
#
# - Uma RNN guarda um estado $h_t = \tanh(x_t W_x + h_{t-1} W_h + b)$ e usa os **mesmos** pesos
#   em todos os passos de tempo. No layout do Keras, $W_x$ é $(D, H)$, $W_h$ é $(H, H)$ e as
#   sequências são $(m, T, D)$.
# - No exemplo "hello" das aulas, $h_1 = [0{,}69316804;\ 0{,}89955366;\ 0{,}8021184]$ e
#   $h_2 = [0{,}93653372;\ 0{,}94910403;\ 0{,}76234056]$; com pesos aleatórios, a rede ainda
#   erra a próxima letra.
# - BPTT: o estado $h_t$ recebe gradiente da perda do passo $t$ **e** do passo $t+1$; os
#   gradientes dos pesos são somados sobre todos os passos.
# - Ao voltar no tempo, o gradiente é multiplicado repetidas vezes pela mesma matriz: ele
#   desaparece ou explode exponencialmente. A RNN simples tem memória de curto prazo.
# - A LSTM acrescenta uma memória $c_t = f_t \odot c_{t-1} + i_t \odot g_t$, controlada por
#   portas (esquecimento, entrada, saída), com $h_t = o_t \odot \tanh(c_t)$. No Keras as portas
#   ficam empilhadas na ordem i, f, c, o.
# - Com a porta de esquecimento perto de 1, o gradiente atravessa dezenas de passos; na prática,
#   use `SimpleRNN`, `LSTM` ou `GRU` do Keras.
