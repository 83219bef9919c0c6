"""What a student reads when their code raises: the exception in one line, where it happened
(which of their functions, which notebook cell, which line) and, for the common mistakes, a
Portuguese explanation with a hint that names the concept, never the finished answer.

The explanation table is written once, here; the trusted side of the sandbox
(``autograder.sandbox.trusted_side``) builds every ``StudentCodeError`` message with ``describe``. Numpy's
messages are matched as numpy 2.4 (the grading machine's) words them, and also as older
versions word the same traps (``float()`` of an array, an array stored in a scalar slot), which
only warned on the numpy many students have at home.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

STUB_MESSAGE = "a função ainda não foi implementada"
MAX_MESSAGE_CHARS = 300
MAX_CHAIN = 3  # caller frames named in "em f, chamada por g, chamada por h"

_SCALAR_TIP = ("dica: um array de um só elemento (por exemplo, de shape (1, 1, 1)) ainda é um array: "
               "para tirar o número de dentro dele use .item(); para somar todos os elementos, "
               "np.sum(...) já devolve um número.")
_NONE_TIP = ("dica: um valor None costuma vir de uma função (talvez uma auxiliar sua) que terminou "
             "sem return; confira se cada caminho da função devolve o resultado.")


@dataclass(frozen=True)
class Hint:
    types: tuple[str, ...]          # the exception, or one of its bases (UnboundLocalError is a NameError)
    pattern: re.Pattern              # searched in the exception's message
    explain: Callable[[re.Match], str]
    tip: str                         # "dica: ...", the concept to review


def _shapes(text: str) -> str:
    shapes = re.findall(r"\([\d, ]*\)", text)
    return " e ".join(shapes) if shapes else "diferentes"


def _dtype_explanation(match: re.Match) -> str:
    source, target = match.group("source"), match.group("target")
    return (f"o resultado da operação é {source}, mas o array que deveria guardá-lo é {target}, "
            "e o numpy não converte sozinho números reais para inteiros (perderia as casas decimais); "
            "isso acontece, por exemplo, com a += 0.5 num array de inteiros.")


HINTS: tuple[Hint, ...] = (
    Hint(("TypeError", "DeprecationWarning"),
         re.compile(r"only (?:0-dimensional|length-1|size-1) arrays can be converted to Python scalars"
                    r"|Conversion of an array with ndim > 0 to a scalar"),
         lambda m: ("float(...) e int(...) só aceitam um único número, não um array (nem um array de um "
                    "elemento só). Versões antigas do numpy apenas avisavam (DeprecationWarning); o numpy "
                    "da correção (2.4) recusa, por isso o código pode ter funcionado no seu computador."),
         _SCALAR_TIP),
    Hint(("ValueError", "TypeError"),
         re.compile(r"setting an array element with a sequence"),
         lambda m: ("você guardou um array numa posição que só cabe um número (como Z[i, h, w, c] = ...). "
                    "Versões antigas do numpy aceitavam um array de um só elemento ali, com um aviso; "
                    "o numpy da correção (2.4) recusa."),
         "dica: confira o shape do lado direito da atribuição: se ele tem um só elemento, tire o número "
         "com .item() (ou reduza com np.sum(...)); se tem vários, a conta ainda não chegou a um número."),
    Hint(("ValueError",),
         re.compile(r"operands could not be broadcast together with (?:remapped )?shapes(?P<rest>.*)"),
         lambda m: (f"shapes incompatíveis: o numpy não consegue combinar, elemento a elemento, arrays de "
                    f"shapes {_shapes(m.group('rest').split('and requested shape')[0])} (broadcasting: "
                    "comparando do último eixo para o primeiro, cada par de tamanhos precisa ser igual ou "
                    "um deles ser 1)."),
         "dica: confira o .shape de cada operando dessa linha com os shapes do enunciado: talvez a fatia "
         "da janela tenha o tamanho errado, falte um eixo (keepdims=True) ou um eixo esteja trocado."),
    Hint(("ValueError",),
         re.compile(r"matmul: Input operand \d+ has a mismatch in its core dimension.*?"
                    r"\(size (?P<got>\d+) is different from (?P<want>\d+)\)"),
         lambda m: (f"shapes incompatíveis no produto de matrizes (@ ou np.matmul): o eixo interno de um "
                    f"operando tem tamanho {m.group('got')} e o do outro, {m.group('want')}; no produto A @ B, "
                    "o número de colunas de A precisa ser igual ao número de linhas de B."),
         "dica: confira os shapes dos dois operandos: talvez um deles precise ser transposto (.T) ou a "
         "ordem do produto esteja trocada."),
    Hint(("ValueError",),
         re.compile(r"shapes (?P<a>\([\d, ]*\)) and (?P<b>\([\d, ]*\)) not aligned"),
         lambda m: (f"shapes incompatíveis no produto (np.dot): {m.group('a')} e {m.group('b')}; "
                    "o último eixo do primeiro precisa ter o tamanho do penúltimo eixo do segundo."),
         "dica: confira os shapes dos dois operandos: talvez um deles precise ser transposto (.T) ou a "
         "ordem do produto esteja trocada."),
    Hint(("ValueError",),
         re.compile(r"cannot reshape array of size (?P<size>\d+) into shape (?P<shape>\S+)"),
         lambda m: (f"o array tem {m.group('size')} elementos e não cabe na shape {m.group('shape')}: "
                    "o reshape não muda a quantidade de elementos."),
         "dica: confira de onde vêm os tamanhos pedidos no reshape (o -1 deixa o numpy calcular um deles)."),
    Hint(("ValueError", "TypeError"),
         re.compile(r"(?P<kind>too many|not enough) values to unpack \(expected (?P<want>\d+)(?:, got (?P<got>\d+))?"),
         lambda m: ("erro ao desempacotar (a, b, ... = valor): o lado esquerdo tem "
                    f"{m.group('want')} nomes, mas o valor tem "
                    + (f"{m.group('got')} elementos." if m.group("got") else
                       ("mais elementos." if m.group("kind") == "too many" else "menos elementos."))),
         "dica: confira quantos elementos tem o que está à direita: o cache que o forward devolveu, "
         "o .shape do array (a, b = x.shape só funciona com exatamente 2 eixos)."),
    Hint(("TypeError",),
         re.compile(r"cannot unpack non-iterable (?P<what>\w+) object"),
         lambda m: (f"erro ao desempacotar (a, b = valor): o valor à direita é um {m.group('what')}, "
                    "não uma tupla ou lista."),
         _NONE_TIP),
    Hint(("TypeError",),
         re.compile(r"Cannot cast ufunc '\w+' output from dtype\('(?P<source>\w+)'\) to dtype\('(?P<target>\w+)'\)"
                    r"|Cannot cast array data from dtype\('(?P<source2>\w+)'\) to dtype\('(?P<target2>\w+)'\)"),
         lambda m: _dtype_explanation(_Aliased(m)),
         "dica: arrays de inteiros só guardam inteiros: crie os arrays que recebem contas com números reais "
         "como float (np.zeros(shape) já é float; np.zeros_like de um array de inteiros não é) ou "
         "converta com .astype(float)."),
    Hint(("IndexError",),
         re.compile(r"index (?P<index>-?\d+) is out of bounds for axis (?P<axis>\d+) with size (?P<size>\d+)"),
         lambda m: (f"índice fora dos limites: o índice {m.group('index')} não existe no eixo "
                    f"{m.group('axis')}, que tem tamanho {m.group('size')} "
                    f"(os índices válidos vão de 0 a {int(m.group('size')) - 1})."),
         "dica: confira os limites dos seus laços (range(...)) e as contas de posição, como início da "
         "janela = h * stride: o último índice válido é o tamanho menos 1."),
    Hint(("IndexError",),
         re.compile(r"(?P<what>list|tuple|string) index out of range|too many indices for array"),
         lambda m: ("índice fora dos limites: " + (
             f"a {'lista' if m.group('what') == 'list' else 'tupla' if m.group('what') == 'tuple' else 'string'} "
             "não tem uma posição com esse índice." if m.group("what") else
             "o array foi indexado com mais eixos do que tem.")),
         "dica: confira o tamanho (len ou .shape) do que você está indexando e os limites dos seus laços."),
    Hint(("UnboundLocalError",),
         re.compile(r"(?:cannot access local variable|local variable) '(?P<name>\w+)'"),
         lambda m: (f"a variável {m.group('name')} foi usada antes de receber um valor nesta função "
                    "(por exemplo, ela só recebe valor dentro de um if ou de um laço que não executou)."),
         "dica: dê um valor inicial à variável antes do if ou do laço, e confira se o laço executa ao "
         "menos uma vez com esses argumentos."),
    Hint(("NameError",),
         re.compile(r"name '(?P<name>\w+)' is not defined"),
         lambda m: (f"o nome {m.group('name')} não foi definido: nenhuma variável, função ou import com esse "
                    "nome existe quando essa linha executa."),
         "dica: confira a grafia (maiúsculas contam) e se o nome é criado antes de ser usado; a correção "
         "executa só as células do início do notebook e as células dos exercícios, então funções e "
         "imports feitos em outras células não existem lá."),
    Hint(("AttributeError", "TypeError"),
         re.compile(r"'NoneType' object"),
         lambda m: "um valor usado nessa linha é None.",
         _NONE_TIP),
    Hint(("ZeroDivisionError",),
         re.compile(r""),
         lambda m: "divisão por zero com números do Python (com arrays, o numpy daria inf ou nan).",
         "dica: confira o denominador: de onde vem esse zero com esses argumentos?"),
    Hint(("SyntaxError",),
         re.compile(r""),
         lambda m: "erro de sintaxe: o Python não conseguiu ler a célula, então nada nela foi definido.",
         "dica: confira parênteses, colchetes, dois-pontos e a indentação na linha indicada e na anterior."),
    Hint(("MemoryError",),
         re.compile(r""),
         lambda m: "o seu código tentou usar mais memória do que a correção permite.",
         "dica: procure arrays criados com tamanhos maiores que os dos dados (um shape trocado, "
         "um produto que deveria ser elemento a elemento)."),
    Hint(("RecursionError",),
         re.compile(r""),
         lambda m: "uma função chamou a si mesma sem parar.",
         "dica: confira se a função não chama a si mesma por engano (por exemplo, uma auxiliar com o "
         "mesmo nome do exercício)."),
)


class _Aliased:
    """The dtype pattern has two spellings; this gives both the names of the first."""

    def __init__(self, match: re.Match):
        self.match = match

    def group(self, name):
        return self.match.group(name) or self.match.group(name + "2")


def explanation(types: list[str], message: str) -> tuple[str, str] | None:
    """(explanation, "dica: ...") for an exception whose class and bases are ``types``, or None
    when the table has nothing for it."""
    for hint in HINTS:
        if set(hint.types) & set(types):
            match = hint.pattern.search(message)
            if match:
                return hint.explain(match), hint.tip
    return None


@dataclass(frozen=True)
class Frame:
    """One frame of the student's code: the cell's label, the line in it, the function."""
    cell: str
    line: int
    function: str


def _where(frames: list[Frame]) -> str:
    """"em f (na célula ..., linha N), chamada por g (na célula ..., linha M)"."""
    named = [f for f in frames if f.function.isidentifier()]
    innermost = frames[-1]
    at = f"na {innermost.cell}, linha {innermost.line}"
    if not named:
        return f"{at} (ao executar a célula, fora de qualquer função)"
    chain = list(reversed(named))[:MAX_CHAIN]
    parts = [f"em {chain[0].function} ({at})"]
    parts += [f"chamada por {f.function} (na {f.cell}, linha {f.line})" for f in chain[1:]]
    return ", ".join(parts)


def describe(types: list[str], message: str, frames: list[Frame], explain: bool = True) -> str:
    """The student's error as they read it: the exception in one line (which begins with its
    class name: ``dlgrade report`` groups by it), where it happened, and for the common mistakes
    what it means and a hint.

    ``types``: the exception's class and its bases, most specific first; ``frames``: the
    student's frames, outermost first; ``explain=False`` leaves out the explanation and hint
    (for a suite that has a more specific one)."""
    name = types[0] if types else "Exception"
    one_line = " ".join(message.split())
    if name == "NotImplementedError" and not one_line:
        one_line = STUB_MESSAGE
    if len(one_line) > MAX_MESSAGE_CHARS:
        one_line = one_line[: MAX_MESSAGE_CHARS - 3] + "..."
    lines = [f"{name}: {one_line}" if one_line else name]
    if frames:
        lines.append("onde: " + _where(frames))
    explained = explanation(types, message) if explain else None
    if explained:
        lines += list(explained)
    return "\n".join(lines)
