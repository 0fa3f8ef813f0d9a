/// The FizzBuzz word for `n`.
public func fizzBuzz(_ n: Int) -> String {
    switch (n % 3 == 0, n % 5 == 0) {
    case (true, true): return "FizzBuzz"
    case (true, false): return "Fizz"
    case (false, true): return "Buzz"
    case (false, false): return String(n)
    }
}

/// fizzBuzz(1), fizzBuzz(2), ..., fizzBuzz(n); an empty array when n < 1.
public func fizzBuzzSequence(upTo n: Int) -> [String] {
    guard n >= 1 else { return [] }
    return (1...n).map(fizzBuzz)
}
