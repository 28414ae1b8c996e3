# Type stubs of the `baozhi` package. The documents are plain dicts; the
# TypedDicts below say their shape (the `baozhi/1` spec), for type checkers only.
import os
from typing import List, Literal, Optional, Tuple, Union

from typing_extensions import NotRequired, TypedDict

__version__: str
__all__: List[str]

class BaozhiError(ValueError):
    """A page or an argument baozhi cannot read; the CLI's message."""

class BaozhiWarning(UserWarning):
    """A page's warning, or a page left out with on_error="warn"."""

Span = Tuple[int, int]

class PageSize(TypedDict):
    width: float
    height: float

class Furniture(TypedDict):
    kind: Literal["banner", "page_header", "label", "other"]
    text: str
    spans: NotRequired[List[Span]]

class Page(TypedDict):
    page: Optional[str]
    furniture: List[Furniture]
    size: NotRequired[PageSize]
    source: NotRequired[Literal["pdf", "ocr"]]
    pictures: NotRequired[List["Region"]]

class Byline(TypedDict):
    role: Optional[str]
    names: List[str]

class Paragraph(TypedDict):
    kind: Literal["text", "heading"]
    text: str

class Caption(TypedDict):
    text: str
    credit: Optional[str]

class Region(TypedDict):
    x0: float
    top: float
    x1: float
    bottom: float

FindingKind = Literal["glyph", "duplicate", "omission", "repetition", "punctuation", "other"]
FindingWhere = Literal["kicker", "title", "subtitle", "caption", "paragraph"]

Finding = TypedDict(
    "Finding",
    {
        "where": FindingWhere,
        "paragraph": Optional[int],
        "start": int,
        "end": int,
        "original": str,
        "suggestion": Optional[str],
        "confidence": float,
        "kind": FindingKind,
        "evidence": str,
    },
)

LocatedFinding = TypedDict(
    "LocatedFinding",
    {
        "article": str,
        "page": Optional[str],
        "where": FindingWhere,
        "paragraph": Optional[int],
        "start": int,
        "end": int,
        "original": str,
        "suggestion": Optional[str],
        "confidence": float,
        "kind": FindingKind,
        "evidence": str,
    },
)

class Article(TypedDict):
    id: str
    page: Optional[str]
    column: Optional[str]
    series: Optional[str]
    kicker: Optional[str]
    title: str
    subtitle: Optional[str]
    bylines: List[Byline]
    dateline: Optional[str]
    paragraphs: List[Paragraph]
    captions: List[Caption]
    continues_to: Optional[str]
    continued_from: Optional[str]
    marks: List[str]
    spans: List[Span]
    findings: NotRequired[List[Finding]]
    boxes: NotRequired[List[Region]]

class Document(TypedDict):
    schema: Literal["baozhi/1"]
    paper: Optional[str]
    date: Optional[str]
    pages: List[Page]
    articles: List[Article]

Data = Union[str, bytes, bytearray]
Engine = Literal["rules", "learned"]
OnError = Literal["raise", "warn"]
PathLike = Union[str, "os.PathLike[str]"]

def parse(
    data: Data,
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[Engine] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
) -> Document:
    """One page (text, or bytes: text in any encoding, PDF, hOCR, ALTO) as its baozhi/1 document."""

def parse_pages(
    data: Data,
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[Engine] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: OnError = "raise",
) -> List[Document]:
    """Every page of the input (a PDF issue has several), one document each."""

def parse_file(
    path: PathLike,
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    proof: bool = False,
    engine: Optional[Engine] = None,
    *,
    apply_corrections: Optional[float] = None,
    restore_width: bool = False,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: OnError = "raise",
) -> List[Document]:
    """A file as `baozhi parse` reads it: one document per page, date and page from the file name."""

def proof(
    data: Data,
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    engine: Optional[Engine] = None,
    *,
    min_confidence: float = 0.0,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: OnError = "raise",
) -> List[LocatedFinding]:
    """The proofreader's findings on every page of the input, in reading order."""

def proof_file(
    path: PathLike,
    paper: Optional[str] = None,
    date: Optional[str] = None,
    page: Optional[str] = None,
    engine: Optional[Engine] = None,
    *,
    min_confidence: float = 0.0,
    encoding: str = "auto",
    ocr: bool = False,
    ocr_lang: str = "chi_sim",
    on_error: OnError = "raise",
) -> List[LocatedFinding]:
    """proof() of a file, read as parse_file() reads it."""
