"""The student's library versions against the ones the course grades with.

The first cell of every notebook calls ``compare_versions`` with the versions that `dlgrade
init` recorded (the grading environment's). Code written on another numpy can pass at home and
fail at grading (numpy 2.4 raises where 2.0 only warned), so a difference in the major or minor
version is explained in Portuguese, with the command that installs the course's version.
"""
from __future__ import annotations

import importlib.metadata

# How students know these packages.
DISPLAY_NAMES = {"numpy": "numpy", "tensorflow": "TensorFlow", "keras": "Keras"}


def installed_version(package: str) -> str | None:
    """The version of ``package`` in this environment, None when it is not installed."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def major_minor(version: str) -> str:
    """'2.4' for '2.4.6' (or '2.4.0rc1')."""
    parts = version.split(".")
    return ".".join(parts[:2])


def version_report(course_versions: dict[str, str], installed: dict[str, str | None] | None = None) -> tuple[bool, str]:
    """(whether every package matches the course's major.minor version, the message in
    Portuguese). ``installed`` defaults to this environment's versions."""
    if installed is None:
        installed = {package: installed_version(package) for package in course_versions}
    same, different, missing = [], [], []
    for package, course in course_versions.items():
        name, yours = DISPLAY_NAMES.get(package, package), installed.get(package)
        if yours is None:
            missing.append(f"   - {name} não está instalado (o curso corrige com {name} {major_minor(course)}).")
        elif major_minor(yours) != major_minor(course):
            different.append(f"   - o curso corrige com {name} {major_minor(course)}; você tem {yours}.")
        else:
            same.append(f"{name} {yours}")
    if not different and not missing:
        return True, f"✔ Ambiente pronto: {', '.join(same)} (as mesmas versões da correção)."
    pins = " ".join(f'"{package}=={major_minor(course)}.*"' for package, course in course_versions.items()
                    if installed.get(package) is None or major_minor(installed[package]) != major_minor(course))
    lines = [
        "⚠ As versões das suas bibliotecas não são as da correção:",
        *missing, *different,
        "   Um código que funciona na sua versão pode falhar na correção (por exemplo, o numpy 2.4",
        "   recusa float() de um array, o que versões anteriores só avisavam). As verificações",
        "   visíveis já recusam esses casos; para trabalhar com as mesmas versões da correção:",
        f"   - no Colab ou no Jupyter, rode numa célula: %pip install -q {pins}",
        "     e reinicie o kernel (no Colab: menu Ambiente de execução > Reiniciar sessão);",
        f"   - no terminal do seu computador: pip install -U {pins}",
        "   Depois rode o notebook de novo, a partir desta célula.",
    ]
    return False, "\n".join(lines)


def compare_versions(course_versions: dict[str, str]) -> bool:
    """Prints how this environment compares with ``course_versions``; True when it matches."""
    matches, message = version_report(course_versions)
    print(message)
    return matches
