"""The image layouts Kaggle datasets come in: one folder per class, a CSV of file name and label,
and pre-split train/val/test folders (each with one folder per class)."""
from __future__ import annotations

import csv
import os
import warnings
from pathlib import Path

import numpy as np

from dlhelpers.data.images import (
    IMAGE_EXTENSIONS,
    check_loader_arguments,
    existing_folder,
    is_hidden,
    is_image_file,
    load_images,
    subsample,
)

SPLIT_FOLDER_NAMES = {
    "train": ("train", "training"),
    "val": ("val", "valid", "validation"),
    "test": ("test", "testing"),
}


def _class_folders(root: Path) -> dict[str, Path]:
    return {
        entry.name: Path(entry.path)
        for entry in sorted(os.scandir(root), key=lambda entry: entry.name)
        if entry.is_dir() and not is_hidden(entry.name)
    }


def _images_in(folder: Path, class_name: str) -> list[Path]:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    images = [Path(entry.path) for entry in entries if entry.is_file() and is_image_file(Path(entry.path))]
    if images:
        return images
    subfolders = [entry.name for entry in entries if entry.is_dir() and not is_hidden(entry.name)]
    message = (
        f"A pasta da classe '{class_name}' ('{folder}') não tem nenhuma imagem "
        f"(extensões aceitas: {', '.join(IMAGE_EXTENSIONS)})."
    )
    if subfolders:
        shown = ", ".join(subfolders[:5]) + (", ..." if len(subfolders) > 5 else "")
        message += (
            f" Ela tem subpastas ({shown}): talvez a pasta raiz deva ser um nível abaixo, ou os "
            f"dados já venham divididos em treino/validação/teste (use `load_image_splits`)."
        )
    else:
        message += " Apague a pasta vazia ou coloque as imagens dessa classe nela."
    raise ValueError(message)


def _folder_dataset(root: Path, class_names, max_per_class, random_state, missing_ok=False):
    """(paths, labels, class_names) of a per-class layout under ``root``."""
    folders = _class_folders(root)
    if not folders:
        loose = [name for name in sorted(os.listdir(root)) if is_image_file(root / name)]
        message = f"Não encontrei pastas de classe em '{root}': o formato esperado é raiz/classe/imagem."
        if loose:
            message += (
                f" As imagens ({loose[0]}, ...) estão direto na raiz: separe-as em uma subpasta "
                f"por classe ou, se os rótulos estão num CSV, use `load_image_csv`."
            )
        raise ValueError(message)
    if class_names is None:
        class_names = list(folders)
    else:
        class_names = [str(name) for name in class_names]
        for name, folder in folders.items():
            if name not in class_names:
                raise ValueError(
                    f"A pasta '{folder}' é de uma classe desconhecida, '{name}': as classes "
                    f"esperadas são {class_names}. Renomeie ou remova essa pasta."
                )
        absent = [name for name in class_names if name not in folders]
        if absent and not missing_ok:
            raise ValueError(f"Em '{root}' faltam as pastas das classes {absent} (esperadas: {class_names}).")
        if absent:
            warnings.warn(f"'{root}' não tem exemplos das classes {absent}.", UserWarning, stacklevel=4)
    if len(class_names) == 1:
        warnings.warn(
            f"'{root}' tem uma única pasta de classe ('{class_names[0]}'): para classificar são "
            f"precisas pelo menos duas. Confira se a raiz está no nível certo.",
            UserWarning,
            stacklevel=4,
        )
    paths, labels = [], []
    for label, name in enumerate(class_names):
        if name not in folders:
            continue
        files = subsample(_images_in(folders[name], name), max_per_class, random_state)
        paths.extend(files)
        labels.extend([label] * len(files))
    return paths, np.asarray(labels, dtype=np.int64), class_names


def load_image_folder(root, image_size=(128, 128), color_mode="rgb", class_names=None,
                      max_per_class=None, random_state=0):
    """
    Carrega imagens organizadas em uma pasta por classe (o formato mais comum no Kaggle):

        root/gato/001.jpg, root/gato/002.png, ..., root/cachorro/001.jpg, ...

    As classes são as subpastas, em ordem alfabética (rótulo 0 = a primeira); dentro de cada
    classe as imagens vêm em ordem de nome. Arquivos ocultos, pastas como `.ipynb_checkpoints` e
    `__MACOSX` e arquivos que não são imagem são ignorados.

    Entradas:
    - root: caminho da pasta raiz.
    - image_size: (altura, largura) ou um inteiro; todas as imagens são redimensionadas
      (bilinear, sem manter a proporção). None mantém o tamanho original, que então deve ser o
      mesmo em todas. Padrão (128, 128).
    - color_mode: "rgb" (3 canais, padrão) ou "grayscale" (1 canal).
    - class_names: None (todas as subpastas) ou a lista de classes, na ordem dos rótulos.
    - max_per_class: None (todas) ou no máximo quantas imagens por classe (amostra aleatória
      com `random_state`), útil para treinar na CPU.
    - random_state: semente da amostra de `max_per_class`.

    Retorna uma tupla (X, y, class_names):
    - X: array float32 de shape (m, H, W, C), valores em [0, 1], C = 3 (rgb) ou 1 (grayscale).
    - y: array int64 de shape (m,), rótulos 0..K-1.
    - class_names: lista de K strings; class_names[y[i]] é a classe da imagem i.
    """
    size = check_loader_arguments(image_size, color_mode, max_per_class)
    root = existing_folder(root, "root")
    paths, y, class_names = _folder_dataset(root, class_names, max_per_class, random_state)
    X = load_images(paths, size, color_mode)
    return X, y, class_names


def _label_order(labels: list[str]) -> list[str]:
    """Sorted label values; numerically when they are all integers (so "10" comes after "9")."""
    unique = set(labels)
    try:
        return sorted(unique, key=lambda label: (int(label), label))
    except ValueError:
        return sorted(unique)


def load_image_csv(csv_path, image_dir=None, filename_column="filename", label_column="label",
                   image_size=(128, 128), color_mode="rgb", class_names=None, max_per_class=None,
                   random_state=0, sep=","):
    """
    Carrega imagens listadas em um CSV com uma coluna de nome de arquivo e uma de rótulo:

        filename,label
        img_001.jpg,benigno
        img_002.jpg,maligno

    Entradas:
    - csv_path: caminho do CSV (UTF-8; a primeira linha tem os nomes das colunas).
    - image_dir: pasta das imagens (padrão: a pasta do CSV). Os nomes no CSV são relativos a
      ela (podem ter subpastas, ex.: "treino/img_001.jpg").
    - filename_column: nome da coluna com o arquivo (padrão "filename").
    - label_column: nome da coluna com o rótulo (padrão "label").
    - image_size, color_mode, max_per_class, random_state: como em `load_image_folder`.
    - class_names: None (os valores da coluna de rótulo em ordem: numérica se todos forem
      inteiros, senão alfabética) ou a lista de classes, na ordem dos rótulos.
    - sep: separador do CSV (padrão ",").

    Retorna uma tupla (X, y, class_names):
    - X: array float32 de shape (m, H, W, C), valores em [0, 1], na ordem das linhas do CSV.
    - y: array int64 de shape (m,), rótulos 0..K-1.
    - class_names: lista de K strings; class_names[y[i]] é a classe da imagem i.
    """
    size = check_loader_arguments(image_size, color_mode, max_per_class)
    csv_path = Path(csv_path).expanduser()
    if not csv_path.is_file():
        raise FileNotFoundError(f"O arquivo CSV não existe: '{csv_path}'. Confira o caminho.")
    image_dir = existing_folder(image_dir, "image_dir") if image_dir is not None else csv_path.parent

    with open(csv_path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, delimiter=sep)
        columns = [name.strip() for name in (reader.fieldnames or [])]
        if not columns:
            raise ValueError(f"O CSV '{csv_path}' está vazio: esperava uma linha de cabeçalho.")
        reader.fieldnames = columns
        for column, argument in ((filename_column, "filename_column"), (label_column, "label_column")):
            if column not in columns:
                raise ValueError(
                    f"O CSV '{csv_path}' não tem a coluna '{column}' (`{argument}`). Colunas "
                    f"encontradas: {columns}. Passe `{argument}=` com o nome certo."
                )
        rows = []
        for row in reader:
            line = reader.line_num
            name = (row.get(filename_column) or "").strip()
            label = (row.get(label_column) or "").strip()
            if not any(isinstance(value, str) and value.strip() for value in row.values()):
                continue  # a blank line
            if not name or not label:
                empty = filename_column if not name else label_column
                raise ValueError(f"A linha {line} de '{csv_path}' tem a coluna '{empty}' vazia.")
            rows.append((line, name, label))
    if not rows:
        raise ValueError(f"O CSV '{csv_path}' não tem nenhuma linha de dados.")

    labels = [label for _, _, label in rows]
    if class_names is None:
        class_names = _label_order(labels)
    else:
        class_names = [str(name) for name in class_names]
        for line, _, label in rows:
            if label not in class_names:
                raise ValueError(
                    f"A linha {line} de '{csv_path}' tem o rótulo '{label}', que não está em "
                    f"`class_names` {class_names}."
                )
    index_of = {name: index for index, name in enumerate(class_names)}

    paths = []
    missing = []
    for line, name, _ in rows:
        path = image_dir / name
        paths.append(path)
        if not path.is_file():
            missing.append((line, name, path))
    if missing:
        line, name, path = missing[0]
        others = f" (e mais {len(missing) - 1} linhas com imagens que faltam)" if len(missing) > 1 else ""
        raise FileNotFoundError(
            f"A linha {line} de '{csv_path}' aponta para a imagem '{name}', mas '{path}' não "
            f"existe{others}. Confira `image_dir` e a coluna '{filename_column}'."
        )

    y = np.asarray([index_of[label] for label in labels], dtype=np.int64)
    if max_per_class is not None:
        keep = []
        for label in range(len(class_names)):
            members = np.flatnonzero(y == label)
            keep.extend(subsample(list(members), max_per_class, random_state))
        keep = np.sort(np.asarray(keep, dtype=np.int64))
        paths = [paths[i] for i in keep]
        y = y[keep]
    X = load_images(paths, size, color_mode)
    return X, y, class_names


def _split_folders(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for entry in sorted(os.scandir(root), key=lambda entry: entry.name):
        if not entry.is_dir() or is_hidden(entry.name):
            continue
        for split, aliases in SPLIT_FOLDER_NAMES.items():
            if entry.name.lower() in aliases:
                if split in found:
                    raise ValueError(
                        f"'{root}' tem duas pastas para a mesma parte: '{found[split].name}' e "
                        f"'{entry.name}'. Deixe só uma."
                    )
                found[split] = Path(entry.path)
    return found


def load_image_splits(root, image_size=(128, 128), color_mode="rgb", max_per_class=None,
                      random_state=0):
    """
    Carrega dados já divididos em pastas de treino, validação e teste, cada uma com uma
    subpasta por classe:

        root/train/<classe>/..., root/val/<classe>/..., root/test/<classe>/...

    Também aceita "valid"/"validation", "training" e "testing" (maiúsculas ou minúsculas). A
    pasta de treino é obrigatória; validação e teste são opcionais. As classes vêm do treino
    (ordem alfabética) e têm o mesmo rótulo em todas as partes.

    Entradas:
    - root: caminho da pasta que contém train/ (e val/, test/).
    - image_size, color_mode: como em `load_image_folder`.
    - max_per_class: None ou no máximo quantas imagens por classe em cada parte.
    - random_state: semente da amostra de `max_per_class`.

    Retorna uma tupla (splits, class_names):
    - splits: dict com "train" e, se existirem, "val" e "test"; cada valor é uma tupla (X, y) com
      X float32 de shape (m_parte, H, W, C) em [0, 1] e y int64 de shape (m_parte,).
    - class_names: lista de K strings, as classes do treino; class_names[y[i]] é a classe.
    """
    size = check_loader_arguments(image_size, color_mode, max_per_class)
    root = existing_folder(root, "root")
    folders = _split_folders(root)
    if "train" not in folders:
        found = [name for name in sorted(os.listdir(root)) if (root / name).is_dir() and not is_hidden(name)]
        raise ValueError(
            f"Não encontrei a pasta de treino ('train') em '{root}'. Subpastas encontradas: "
            f"{found}. Se os dados estão numa pasta dentro dessa, aponte `root` para ela; se não "
            f"estão divididos, use `load_image_folder` e depois `stratified_split`."
        )
    recognised = {path.name for path in folders.values()}
    others = [name for name in sorted(os.listdir(root))
              if (root / name).is_dir() and not is_hidden(name) and name not in recognised]
    if others:
        warnings.warn(f"Pastas ignoradas em '{root}' (não são train/val/test): {others}.", UserWarning, stacklevel=2)

    train_paths, train_y, class_names = _folder_dataset(folders["train"], None, max_per_class, random_state)
    parts = {"train": (train_paths, train_y)}
    for split in ("val", "test"):
        if split in folders:
            paths, y, _ = _folder_dataset(folders[split], class_names, max_per_class, random_state, missing_ok=True)
            parts[split] = (paths, y)
    splits = {split: (load_images(paths, size, color_mode), y) for split, (paths, y) in parts.items()}
    shapes = {split: X.shape[1:] for split, (X, _) in splits.items() if len(X)}
    if len(set(shapes.values())) > 1:
        raise ValueError(
            f"As partes têm imagens de tamanhos diferentes {shapes}: passe `image_size=(altura, largura)`."
        )
    return splits, class_names
