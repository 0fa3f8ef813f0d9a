import XCTest
@testable import Bank

final class AccountTests: XCTestCase {
    func testDepositAndWithdraw() throws {
        let account = Account(id: "A1", owner: "Ada")
        XCTAssertEqual(account.balance, 0)
        try account.deposit(1_000)
        try account.withdraw(300)
        XCTAssertEqual(account.balance, 700)
        try account.withdraw(700)
        XCTAssertEqual(account.balance, 0)
        XCTAssertEqual(account.id, "A1")
        XCTAssertEqual(account.owner, "Ada")
    }

    func testOverdraftThrowsAndKeepsBalance() throws {
        let account = Account(id: "A1", owner: "Ada")
        try account.deposit(100)
        XCTAssertThrowsError(try account.withdraw(150)) { error in
            XCTAssertEqual(error as? BankError, .insufficientFunds(balance: 100, requested: 150))
        }
        XCTAssertEqual(account.balance, 100)
        XCTAssertThrowsError(try Account(id: "E", owner: "Empty").withdraw(1)) { error in
            XCTAssertEqual(error as? BankError, .insufficientFunds(balance: 0, requested: 1))
        }
    }

    func testNonPositiveAmountsAreRejected() throws {
        let account = Account(id: "A1", owner: "Ada")
        try account.deposit(50)
        XCTAssertThrowsError(try account.deposit(0)) { error in
            XCTAssertEqual(error as? BankError, .invalidAmount(0))
        }
        XCTAssertThrowsError(try account.withdraw(-5)) { error in
            XCTAssertEqual(error as? BankError, .invalidAmount(-5))
        }
        XCTAssertEqual(account.balance, 50)
    }
}

final class LedgerTests: XCTestCase {
    private func makeLedger() throws -> Ledger {
        let ledger = Ledger()
        try ledger.openAccount(id: "alice", owner: "Alice").deposit(500)
        try ledger.openAccount(id: "bob", owner: "Bob").deposit(200)
        return ledger
    }

    func testOpenAccountSharesTheAccountObject() throws {
        let ledger = Ledger()
        let opened = try ledger.openAccount(id: "carol", owner: "Carol")
        try opened.deposit(40)
        XCTAssertEqual(ledger.account("carol")?.balance, 40)
        XCTAssertTrue(ledger.account("carol") === opened)
        XCTAssertNil(ledger.account("nobody"))
        XCTAssertThrowsError(try ledger.openAccount(id: "carol", owner: "Someone else")) { error in
            XCTAssertEqual(error as? BankError, .duplicateAccount("carol"))
        }
        XCTAssertEqual(ledger.account("carol")?.owner, "Carol")
    }

    func testTransferMovesMoneyAndKeepsTotal() throws {
        let ledger = try makeLedger()
        XCTAssertEqual(ledger.totalBalance, 700)
        try ledger.transfer(from: "alice", to: "bob", amount: 150)
        XCTAssertEqual(ledger.account("alice")?.balance, 350)
        XCTAssertEqual(ledger.account("bob")?.balance, 350)
        try ledger.transfer(from: "bob", to: "alice", amount: 350)
        XCTAssertEqual(ledger.account("bob")?.balance, 0)
        XCTAssertEqual(ledger.totalBalance, 700)
        try ledger.transfer(from: "alice", to: "alice", amount: 700)
        XCTAssertEqual(ledger.account("alice")?.balance, 700)
    }

    func testFailedTransfersChangeNothing() throws {
        let ledger = try makeLedger()
        XCTAssertThrowsError(try ledger.transfer(from: "bob", to: "alice", amount: 201)) { error in
            XCTAssertEqual(error as? BankError, .insufficientFunds(balance: 200, requested: 201))
        }
        XCTAssertThrowsError(try ledger.transfer(from: "alice", to: "zed", amount: 10)) { error in
            XCTAssertEqual(error as? BankError, .unknownAccount("zed"))
        }
        XCTAssertThrowsError(try ledger.transfer(from: "zed", to: "alice", amount: 10)) { error in
            XCTAssertEqual(error as? BankError, .unknownAccount("zed"))
        }
        XCTAssertThrowsError(try ledger.transfer(from: "alice", to: "bob", amount: 0)) { error in
            XCTAssertEqual(error as? BankError, .invalidAmount(0))
        }
        XCTAssertEqual(ledger.account("alice")?.balance, 500)
        XCTAssertEqual(ledger.account("bob")?.balance, 200)
        XCTAssertEqual(ledger.totalBalance, 700)
    }
}
