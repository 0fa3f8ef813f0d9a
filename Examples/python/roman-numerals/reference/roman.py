"""Conversion between integers and canonical Roman numerals (1 to 3999)."""

_VALUES = [
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"),
    (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
    (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
]
_SYMBOLS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def to_roman(n):
    """The canonical upper-case numeral for `n` (1 to 3999)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("expected an int, got %s" % type(n).__name__)
    if not 1 <= n <= 3999:
        raise ValueError("only 1 to 3999 can be written in Roman numerals, got %d" % n)
    parts = []
    for value, symbol in _VALUES:
        count, n = divmod(n, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(numeral):
    """The value of a canonical upper-case numeral; ValueError for anything else."""
    if not isinstance(numeral, str) or not numeral or any(char not in _SYMBOLS for char in numeral):
        raise ValueError("not a Roman numeral: %r" % (numeral,))
    total = 0
    for index, char in enumerate(numeral):
        value = _SYMBOLS[char]
        if index + 1 < len(numeral) and _SYMBOLS[numeral[index + 1]] > value:
            total -= value
        else:
            total += value
    if not 1 <= total <= 3999 or to_roman(total) != numeral:
        raise ValueError("not a canonical Roman numeral: %r" % (numeral,))
    return total
