"""Simple statistics about English text."""
import re
from collections import Counter

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")


def _words(text):
    return [match.group(0).lower() for match in _WORD.finditer(text)]


def word_count(text):
    """The number of words in `text`, repeats counted."""
    return len(_words(text))


def word_frequencies(text):
    """Each distinct lower-case word mapped to how many times it occurs."""
    return dict(Counter(_words(text)))


def top_words(text, n):
    """The `n` most frequent words as (word, count), by count descending then alphabetically."""
    if n < 0:
        raise ValueError("n must not be negative, got %d" % n)
    ranked = sorted(Counter(_words(text)).items(), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:n]


def average_word_length(text):
    """The mean number of characters per word; 0.0 when there are no words."""
    words = _words(text)
    if not words:
        return 0.0
    return sum(len(word) for word in words) / len(words)
