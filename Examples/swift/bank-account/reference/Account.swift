/// Everything that can go wrong with accounts and transfers.
public enum BankError: Error, Equatable {
    /// An amount that is not greater than zero.
    case invalidAmount(Int)
    /// Withdrawing more than the balance.
    case insufficientFunds(balance: Int, requested: Int)
    /// An id the ledger does not hold.
    case unknownAccount(String)
    /// Opening an id that already exists.
    case duplicateAccount(String)
}

/// One account; amounts are whole cents and the balance never goes below zero.
public final class Account {
    public let id: String
    public let owner: String
    public private(set) var balance: Int

    public init(id: String, owner: String) {
        self.id = id
        self.owner = owner
        self.balance = 0
    }

    public func deposit(_ amount: Int) throws {
        guard amount > 0 else { throw BankError.invalidAmount(amount) }
        balance += amount
    }

    public func withdraw(_ amount: Int) throws {
        guard amount > 0 else { throw BankError.invalidAmount(amount) }
        guard amount <= balance else { throw BankError.insufficientFunds(balance: balance, requested: amount) }
        balance -= amount
    }
}
