/// A set of accounts by id, and transfers between them.
public final class Ledger {
    private var accounts: [String: Account] = [:]

    public init() {}

    /// Opens a new account with balance 0 and returns it.
    @discardableResult
    public func openAccount(id: String, owner: String) throws -> Account {
        guard accounts[id] == nil else { throw BankError.duplicateAccount(id) }
        let account = Account(id: id, owner: owner)
        accounts[id] = account
        return account
    }

    /// The account with this id, or nil.
    public func account(_ id: String) -> Account? {
        accounts[id]
    }

    /// Moves `amount` from one account to the other; a failed transfer changes nothing.
    public func transfer(from: String, to: String, amount: Int) throws {
        guard amount > 0 else { throw BankError.invalidAmount(amount) }
        guard let source = accounts[from] else { throw BankError.unknownAccount(from) }
        guard let destination = accounts[to] else { throw BankError.unknownAccount(to) }
        guard amount <= source.balance else {
            throw BankError.insufficientFunds(balance: source.balance, requested: amount)
        }
        try source.withdraw(amount)
        try destination.deposit(amount)
    }

    /// The sum of all balances.
    public var totalBalance: Int {
        accounts.values.reduce(0) { $0 + $1.balance }
    }
}
