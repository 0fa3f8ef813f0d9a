import string


def _shift(char: str, shift: int) -> str:
    for alphabet in (string.ascii_lowercase, string.ascii_uppercase):
        if char in alphabet:
            return alphabet[(alphabet.index(char) + shift) % 26]
    return char


def encrypt(text: str, shift: int) -> str:
    return "".join(_shift(char, shift) for char in text)


def decrypt(text: str, shift: int) -> str:
    return encrypt(text, -shift)
