import unittest

from caesar import decrypt, encrypt


class CaesarTests(unittest.TestCase):
    def test_shifts_letters_and_keeps_case(self):
        self.assertEqual(encrypt("Hello, World!", 3), "Khoor, Zruog!")
        self.assertEqual(encrypt("xyz XYZ", 3), "abc ABC")

    def test_leaves_everything_else_alone(self):
        self.assertEqual(encrypt("2 + 2 = 4?", 5), "2 + 2 = 4?")
        self.assertEqual(encrypt("(x, y) -> [y, x]", 1), "(y, z) -> [z, y]")

    def test_negative_and_large_shifts(self):
        self.assertEqual(encrypt("abc", -1), "zab")
        self.assertEqual(encrypt("abc", 27), "bcd")
        self.assertEqual(encrypt("abc", 26 * 4), "abc")

    def test_decrypt_inverts_encrypt(self):
        for shift in (-30, -1, 0, 1, 13, 25, 52, 100):
            with self.subTest(shift=shift):
                text = "The quick brown fox jumps over the lazy dog: 42!"
                self.assertEqual(decrypt(encrypt(text, shift), shift), text)
