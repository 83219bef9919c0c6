"""The leak scan: no statement of a reference body (solutions/) may reach what students get.

Every statement of every reference function's body is compared, whatever its length, with
every shipped file: the release notebooks' cells, the dlhelpers package (its hints in
visible_cases/ included) and the members of the kit's wheel. Statements are normalised by
``ast.unparse`` and compared token by token, whitespace- and quote-insensitive, so
``da = dh_next * (1 - h_next**2)`` written in a hint's prose is found as well as in code. Where a
statement is a compound one (``for``, ``if``, ``while``, ``with``), its header is compared.

Allowed, and only these: what the function's own docstring shows (a formula students are meant
to read), and statements that carry nothing beyond the names of the function's interface and
the notebook's libraries (``pass``, ``break``, ``continue``, ``return``, ``return <name>``,
``return <name>, <name>``, and imports: the release notebooks import the same modules).
"""
from __future__ import annotations

import ast
import inspect
import io
import re
import textwrap
import tokenize
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

_QUOTES = re.compile(r"^([rRbBuUfF]*)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)


@dataclass(frozen=True)
class Statement:
    function: str
    text: str              # ast.unparse of the statement (or the compound statement's header)
    pattern: re.Pattern


def _token_pattern(token: tokenize.TokenInfo) -> str:
    if token.type == tokenize.STRING:
        quoted = _QUOTES.match(token.string)
        if quoted:
            prefix, _, inner = quoted.groups()
            return re.escape(prefix) + r"['\"]{1,3}" + re.escape(inner) + r"['\"]{1,3}"
    return re.escape(token.string)


def statement_pattern(text: str) -> re.Pattern:
    """A regex that finds the statement ``text`` in any text: tokens in order, any whitespace
    between them, either quote, and not in the middle of a longer name."""
    skip = (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER, tokenize.COMMENT)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in skip]
    body = r"\s*".join(_token_pattern(t) for t in tokens)
    if tokens[0].string == "if":  # an `elif` shows the same test
        body = r"(?:el)?" + body
    start = r"(?<![\w.])" if re.match(r"\w", tokens[0].string) else ""
    end = r"(?!\w)" if re.search(r"\w$", tokens[-1].string) else ""
    return re.compile(start + body + end)


def _header(node: ast.stmt) -> str | None:
    """The header of a compound statement (its body is compared statement by statement)."""
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return f"for {ast.unparse(node.target)} in {ast.unparse(node.iter)}"
    if isinstance(node, ast.While):
        return f"while {ast.unparse(node.test)}"
    if isinstance(node, ast.If):
        return f"if {ast.unparse(node.test)}"
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return "with " + ", ".join(ast.unparse(item) for item in node.items)
    return None


def _compound(node: ast.stmt) -> bool:
    return any(isinstance(getattr(node, field, None), list) and getattr(node, field)
               and isinstance(getattr(node, field)[0], ast.stmt) for field in ("body", "orelse", "finalbody"))


def trivial(node: ast.stmt) -> bool:
    """A statement that says nothing beyond the names of the function's interface."""
    if isinstance(node, (ast.Pass, ast.Break, ast.Continue, ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Return):
        value = node.value
        if value is None or isinstance(value, ast.Name) or (isinstance(value, ast.Constant) and value.value is None):
            return True
        return isinstance(value, ast.Tuple) and all(isinstance(e, ast.Name) for e in value.elts)
    return False


def function_statements(function) -> list[Statement]:
    """Every statement of ``function``'s body (after its docstring), nested ones included, less
    the allowed ones (see the module's docstring)."""
    source = textwrap.dedent(inspect.getsource(function))
    definition = ast.parse(source).body[0]
    docstring = ast.get_docstring(definition) or ""
    body = definition.body[1:] if ast.get_docstring(definition) is not None else definition.body
    found, seen = [], set()
    for top in body:
        for node in ast.walk(top):
            if not isinstance(node, ast.stmt) or trivial(node):
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                text = None  # a nested definition: its statements are walked
            elif _compound(node):
                text = _header(node)
            else:
                text = ast.unparse(node)
            if text is None or text in seen:
                continue
            pattern = statement_pattern(text)
            if pattern.search(docstring):
                continue
            seen.add(text)
            found.append(Statement(function.__name__, text, pattern))
    return found


def reference_statements() -> list[Statement]:
    """The statements of every reference function of solutions/ that must not be shipped."""
    from autograder.authoring.builder import reference_functions

    return [s for function in reference_functions().values() for s in function_statements(function)]


def _string_constants(source: str) -> list[str]:
    """The string literals of Python code (adjacent literals joined, as Python does), so a
    statement split across "..." "..." in a hint is still found."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def shipped_texts(folder: Path) -> dict[str, str]:
    """'relative path' -> the text to scan, for every file under ``folder``: notebooks by their
    cells, Python files with their string literals, wheels by their members."""
    texts = {}
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        name = str(path.relative_to(folder))
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    text = archive.read(member).decode("utf-8", errors="replace")
                    texts[f"{name}!{member}"] = "\n".join([text, *_string_constants(text)])
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            cells = nbformat.reads(text, as_version=4).cells
            text = "\n".join([c.source for c in cells]
                             + [s for c in cells if c.cell_type == "code" for s in _string_constants(c.source)])
        elif path.suffix == ".py":
            text = "\n".join([text, *_string_constants(text)])
        texts[name] = text
    return texts


def find_leaks(folder: Path, statements: list[Statement]) -> list[str]:
    """'file: statement (from function)' for every reference statement found under ``folder``."""
    texts = shipped_texts(folder)
    assert texts, f"nothing under {folder}"
    return [f"{name}: {s.text!r} (from {s.function})"
            for name, text in texts.items() for s in statements if s.pattern.search(text)]
