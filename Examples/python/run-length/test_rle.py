import unittest

from rle import decode, encode


class EncodeTests(unittest.TestCase):
    def test_runs(self):
        self.assertEqual(encode("aaabccdddd"), "3a1b2c4d")
        self.assertEqual(encode("abc"), "1a1b1c")
        self.assertEqual(encode("  !!"), "2 2!")

    def test_empty(self):
        self.assertEqual(encode(""), "")

    def test_long_runs_use_every_digit(self):
        self.assertEqual(encode("x" * 12), "12x")
        self.assertEqual(encode("y" * 100 + "z"), "100y1z")


class DecodeTests(unittest.TestCase):
    def test_runs(self):
        self.assertEqual(decode("3a1b2c4d"), "aaabccdddd")
        self.assertEqual(decode("12x"), "x" * 12)
        self.assertEqual(decode(""), "")

    def test_malformed_input_raises_value_error(self):
        for encoded in ("a", "3", "3a2", "ab"):
            with self.subTest(encoded=encoded):
                with self.assertRaises(ValueError):
                    decode(encoded)

    def test_round_trip(self):
        for text in ("", "a", "aab", "hello  world", "z" * 30 + "y", "The quick brown fox."):
            with self.subTest(text=text):
                self.assertEqual(decode(encode(text)), text)
