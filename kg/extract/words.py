"""Chinese words: jieba's dictionary and ours, loaded once per process.

The extractors that need word boundaries share this: categories tokenise a
problem's text, persons check that a name does not begin inside a word
(学习陈希同志 is 陈希, not 习陈希).
"""

from __future__ import annotations

import logging
import threading
from importlib import resources

import jieba

_lock = threading.Lock()
_ready = False


def load() -> None:
    """Load jieba's dictionary and our user dictionary, once per process.

    jieba loads lazily on first use (~0.7 s); the lock keeps two threads from
    both loading, which would add the user dictionary twice.
    """
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        with resources.as_file(
            resources.files("kg").joinpath("data", "userdict.txt")
        ) as path:
            jieba.load_userdict(str(path))
        _ready = True


def tokenise(text: str) -> list[str]:
    load()
    return list(jieba.lcut(text))


def starts_word(text: str, start: int, end: int, context: int = 4) -> bool:
    """Whether text[start:end] begins a word where the text around it is cut
    into words: 陈希 in 学习陈希同志 does, 习陈希 does not."""
    begin = max(0, start - context)
    offset = begin
    for token in tokenise(text[begin:end]):
        if offset == start:
            return True
        if offset > start:
            return False
        offset += len(token)
    return False
