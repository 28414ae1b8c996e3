"""baozhi: Chinese newspaper pages (text, PDF, hOCR, ALTO) into articles.

The documents are ``baozhi/1`` (the spec's JSON) as plain dicts, made by
the same library code as the ``baozhi`` command line: ``parse`` gives what
``baozhi parse --format json`` prints for the same page, ``parse_file``
what it prints for a file (one document per page), ``proof`` the findings
that ``baozhi proof`` lists. The work runs with the GIL released, so
threads parse pages in parallel.

Errors are :class:`BaozhiError` (a ``ValueError``) carrying the message the
CLI prints, without its ``baozhi:`` prefix. What the CLI prints as a
warning (a page without a text layer, vertical type, …) is a
:class:`BaozhiWarning` here.
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Any, Dict, List, Optional, Union

from . import _baozhi
from ._baozhi import BaozhiError

__all__ = [
    "BaozhiError",
    "BaozhiWarning",
    "parse",
    "parse_pages",
    "parse_file",
    "proof",
    "proof_file",
    "__version__",
]

__version__: str = _baozhi.__version__


class BaozhiWarning(UserWarning):
    """What the CLI reports on stderr and goes on: a page's warning, or
    (with ``on_error="warn"``) a page that could not be read."""


def _settle(pages: List[Any], on_error: str) -> List[Dict[str, Any]]:
    if on_error not in ("raise", "warn"):
        raise ValueError(f'on_error must be "raise" or "warn", not {on_error!r}')
    docs = []
    for doc, notes, error in pages:
        for note in notes:
            warnings.warn(note, BaozhiWarning, stacklevel=3)
        if error is not None:
            if on_error == "raise":
                raise BaozhiError(error)
            warnings.warn(error, BaozhiWarning, stacklevel=3)
            continue
        docs.append(json.loads(doc))
    return docs


def parse_pages(
    data: Union[str, bytes, bytearray],
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[str] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: str = "raise",
) -> List[Dict[str, Any]]:
    """Every page of ``data`` (a PDF issue has several) as ``baozhi/1``
    documents, in order. See :func:`parse` for the arguments."""
    pages = _baozhi.parse_pages(
        data,
        False,
        paper=paper,
        date=date,
        page=page,
        engine=engine,
        encoding=encoding,
        proof=proof,
        apply_corrections=apply_corrections,
        ocr=ocr,
        ocr_lang=ocr_lang,
        restore_width=restore_width,
    )
    return _settle(pages, on_error)


def parse(
    data: Union[str, bytes, bytearray],
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[str] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
) -> Dict[str, Any]:
    """One page as its ``baozhi/1`` document.

    ``data`` is the page's text (``str``), or its bytes: text in UTF-8,
    UTF-16 or GB18030 (found as the CLI finds it, or as ``encoding`` says),
    a one-page PDF, hOCR or ALTO; with ``ocr=True`` also a scan (Tesseract).
    Input of several pages is an error: use :func:`parse_pages`.

    ``paper``, ``date`` (YYYY-MM-DD), ``page`` (as printed), ``engine``
    (``"rules"`` or ``"learned"``; by default the line model reads PDF and
    OCR pages and text with one printed line per line, the rules e-paper
    block text), ``proof`` (findings beside the printed text) and
    ``apply_corrections`` (a confidence: correct the text by the findings
    at or above it; implies ``proof``) and ``restore_width`` (``,(:;?!``
    back to full width in Chinese text) are the CLI's options.
    """
    docs = parse_pages(
        data,
        paper,
        date,
        page,
        proof,
        engine,
        apply_corrections=apply_corrections,
        restore_width=restore_width,
        encoding=encoding,
        ocr=ocr,
        ocr_lang=ocr_lang,
    )
    if len(docs) != 1:
        raise BaozhiError(
            f"the input holds {len(docs)} pages; parse() reads one: use parse_pages()"
        )
    return docs[0]


def parse_file(
    path: Union[str, "os.PathLike[str]"],
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[str] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: str = "raise",
) -> List[Dict[str, Any]]:
    """The file at ``path`` as ``baozhi parse`` reads it: always a list with
    one ``baozhi/1`` document per page (a text, hOCR or one-page PDF file
    gives one). The date and page default to what the file name says
    (``…-2025-05-06-p01.txt``), as in the CLI.

    A page that cannot be read raises :class:`BaozhiError`; with
    ``on_error="warn"`` it is left out with a :class:`BaozhiWarning`, and
    the other pages are read, as the CLI goes on.
    """
    pages = _baozhi.parse_pages(
        os.fspath(path),
        True,
        paper=paper,
        date=date,
        page=page,
        engine=engine,
        encoding=encoding,
        proof=proof,
        apply_corrections=apply_corrections,
        ocr=ocr,
        ocr_lang=ocr_lang,
        restore_width=restore_width,
    )
    return _settle(pages, on_error)


def _findings(result: Any, on_error: str) -> List[Dict[str, Any]]:
    if on_error not in ("raise", "warn"):
        raise ValueError(f'on_error must be "raise" or "warn", not {on_error!r}')
    found, notes, errors = result
    for note in notes:
        warnings.warn(note, BaozhiWarning, stacklevel=3)
    for error in errors:
        if on_error == "raise":
            raise BaozhiError(error)
        warnings.warn(error, BaozhiWarning, stacklevel=3)
    return json.loads(found)


def proof(
    data: Union[str, bytes, bytearray],
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    engine: Optional[str] = None,
    *,
    min_confidence: float = 0.0,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: str = "raise",
) -> List[Dict[str, Any]]:
    """The proofreader's findings on every page of ``data`` (as
    :func:`parse_pages` reads it), at or above ``min_confidence``, in
    reading order (page, article, position).

    Each finding has the fields of ``findings`` in ``baozhi proof --format
    json`` (``where``, ``paragraph``, ``start``, ``end``, ``original``,
    ``suggestion``, ``confidence``, ``kind``, ``evidence``; offsets in chars
    of the printed field) plus ``article`` (its id) and ``page``.
    """
    result = _baozhi.proof_pages(
        data,
        False,
        paper=paper,
        date=date,
        page=page,
        engine=engine,
        encoding=encoding,
        min_confidence=min_confidence,
        ocr=ocr,
        ocr_lang=ocr_lang,
    )
    return _findings(result, on_error)


def proof_file(
    path: Union[str, "os.PathLike[str]"],
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    engine: Optional[str] = None,
    *,
    min_confidence: float = 0.0,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: str = "raise",
) -> List[Dict[str, Any]]:
    """:func:`proof` of the file at ``path``, read as :func:`parse_file`
    reads it."""
    result = _baozhi.proof_pages(
        os.fspath(path),
        True,
        paper=paper,
        date=date,
        page=page,
        engine=engine,
        encoding=encoding,
        min_confidence=min_confidence,
        ocr=ocr,
        ocr_lang=ocr_lang,
    )
    return _findings(result, on_error)
