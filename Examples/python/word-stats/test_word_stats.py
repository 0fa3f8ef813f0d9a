import pytest

from word_stats import average_word_length, top_words, word_count, word_frequencies


def test_word_count_ignores_punctuation():
    assert word_count("Hello, world! Hello again.") == 4
    assert word_count("well-made, 'quoted' words") == 4


def test_no_words():
    assert word_count("") == 0
    assert word_count("   ... !!! -- ") == 0
    assert word_frequencies("") == {}
    assert top_words("?!", 3) == []


def test_frequencies_are_case_insensitive_and_keep_inner_apostrophes():
    text = "Don't stop. don't STOP, can't 'stop'"
    assert word_frequencies(text) == {"don't": 2, "stop": 3, "can't": 1}


def test_digits_are_words():
    assert word_frequencies("Route 66 and route 66, then 7") == {"route": 2, "66": 2, "and": 1, "then": 1, "7": 1}


def test_top_words_orders_by_count_then_alphabetically():
    text = "pear kiwi apple Pear fig apple plum plum plum"
    assert top_words(text, 1) == [("plum", 3)]
    assert top_words(text, 3) == [("plum", 3), ("apple", 2), ("pear", 2)]
    assert top_words(text, 10) == [("plum", 3), ("apple", 2), ("pear", 2), ("fig", 1), ("kiwi", 1)]
    assert top_words(text, 0) == []


def test_top_words_rejects_negative_n():
    with pytest.raises(ValueError):
        top_words("some words here", -1)


def test_average_word_length():
    assert abs(average_word_length("I am here") - 7 / 3) < 1e-9
    assert average_word_length("Don't!") == 5.0
    assert average_word_length("") == 0.0
    assert isinstance(average_word_length(""), float)
