from itertools import groupby


def encode(text: str) -> str:
    return "".join(f"{len(list(run))}{char}" for char, run in groupby(text))


def decode(encoded: str) -> str:
    result = []
    count = ""
    for char in encoded:
        if char.isdigit():
            count += char
        elif not count:
            raise ValueError(f"no count before {char!r}")
        else:
            result.append(char * int(count))
            count = ""
    if count:
        raise ValueError("a count with no character after it")
    return "".join(result)
