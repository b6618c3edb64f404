import Foundation
import Testing

@testable import EvidenceVault

@Suite struct VaultRoundTripTests {
  @Test func entriesAndPeopleSurviveClosingAndReopening() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    do {
      let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
      try vault.addPerson(Person(name: "Marko", aliases: ["M"], phones: ["+46701234567"], relation: "recruiter"))
      let marko = try vault.index.person(named: "m")
      var entry = TestVaults.sampleEntry()
      entry.people = [Participant(person: marko.stamp.id, role: .perpetrator)]
      entry.amounts = [MoneyAmount(kind: .demanded, amount: "2500")]
      #expect(try vault.addEntry(entry) == 1)
      #expect(try vault.addEntry(TestVaults.sampleEntry(title: "Second", narrative: "Åsa såg allt. 😠")) == 2)
    }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.isIntact)
    #expect(vault.integrity.head.sequence == 3)
    let index = vault.index
    #expect(index.people.map(\.name) == ["Marko"])
    #expect(index.entries.count == 2)
    let first = try index.entry(number: 1).current
    #expect(first.title == "Threats in the stairwell")
    #expect(first.people.first?.person == index.people[0].stamp.id)
    #expect(first.amounts == [MoneyAmount(kind: .demanded, amount: "2500", currency: "SEK")])
    #expect(try index.entry(number: 2).current.narrative == "Åsa såg allt. 😠")
    #expect(first.stamp.salt.count == 32 && first.stamp.id.count == 36)
  }

  @Test func anAmendmentKeepsTheEarlierVersionAndTheNumber() throws {
    let folder = try TestVaults.make(entries: 2)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    var changed = try vault.index.entry(number: 1).current
    changed.injuries = "Bruise on the left arm"
    try vault.amendEntry(1, with: changed)
    #expect(throws: VaultError.self) { try vault.amendEntry(1, with: changed) }  // nothing changed
    changed.location = "Malmö C"
    try vault.amendEntry(1, with: changed)
    let history = try vault.index.entry(number: 1)
    #expect(history.versions.count == 3)
    #expect(history.original.injuries == nil)
    #expect(history.current.location == "Malmö C")
    #expect(history.current.supersedes == history.versions[1].stamp.id)
    #expect(vault.index.entries.count == 2)
  }

  @Test func theWrongPassphraseIsRefusedAndNamedAsSuch() throws {
    let folder = try TestVaults.make(entries: 1)
    defer { TestVaults.remove(folder) }
    let before = try readBytes(TestVaults.journal(folder))
    for wrong in ["correct horse batterz", "", "Correct horse battery"] {
      #expect(TestVaults.openResult(folder, passphrase: wrong).failureCode == .wrongPassphrase)
    }
    #expect(try readBytes(TestVaults.journal(folder)) == before)
  }

  @Test func aFolderThatIsNotAVaultIsRefused() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    #expect(TestVaults.openResult(folder).failureCode == .notAVault)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try writeBytes(Array("hello".utf8), to: folder.appendingPathComponent("notes.txt"))
    #expect(TestVaults.openResult(folder).failureCode == .notAVault)
    #expect(throws: VaultError.self) {
      _ = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
    }
  }

  @Test func filesArePrivateAndHoldNoPlaintext() throws {
    let folder = TestVaults.folder()
    defer { TestVaults.remove(folder) }
    let words = ["Blåbärsgatan", "Zebrafinken", "Kvastskaftet", "+46709876543"]
    do {
      let vault = try Vault.create(at: folder, passphrase: TestVaults.passphrase(), strength: TestVaults.strength)
      try vault.addPerson(Person(name: "Zebrafinken", phones: ["+46709876543"]))
      try vault.addEntry(TestVaults.sampleEntry(title: "Kvastskaftet", narrative: "Vid Blåbärsgatan hände det."))
    }
    let enumerator = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
    var seen = 0
    for case let url as URL in enumerator {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
      if attributes[.type] as? FileAttributeType == .typeDirectory {
        #expect(permissions == 0o700, "\(url.lastPathComponent) is \(String(permissions, radix: 8))")
      } else {
        #expect(permissions == 0o600, "\(url.lastPathComponent) is \(String(permissions, radix: 8))")
        let contents = try Data(contentsOf: url)
        for word in words {
          #expect(contents.range(of: Data(word.utf8)) == nil, "\(word) found in \(url.lastPathComponent)")
          #expect(contents.range(of: word.data(using: .utf16LittleEndian)!) == nil)
        }
        seen += 1
      }
    }
    #expect(seen >= 4)
    let top = try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? NSNumber
    #expect(top?.intValue == 0o700)
  }

  @Test func aSecondProcessIsToldTheVaultIsBusy() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let holder = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    let started = Date()
    #expect(TestVaults.openResult(folder).failureCode == .busy)
    #expect(Date().timeIntervalSince(started) >= Vault.lockTimeout - 0.5)
    withExtendedLifetime(holder) {}
  }

  @Test func changingThePassphraseRewritesOnlyTheHeader() throws {
    let folder = try TestVaults.make(entries: 2)
    defer { TestVaults.remove(folder) }
    let journal = try readBytes(TestVaults.journal(folder))
    let header = try readBytes(TestVaults.header(folder))
    try Vault.changePassphrase(
      at: folder, from: TestVaults.passphrase(), to: TestVaults.passphrase("a new long passphrase"))
    #expect(try readBytes(TestVaults.journal(folder)) == journal)
    #expect(try readBytes(TestVaults.header(folder)) != header)
    #expect(TestVaults.openResult(folder).failureCode == .wrongPassphrase)
    let reopened = try Vault.open(at: folder, passphrase: TestVaults.passphrase("a new long passphrase"))
    #expect(reopened.index.entries.count == 2 && reopened.integrity.isIntact)
    #expect(throws: VaultError.self) {
      try Vault.changePassphrase(at: TestVaults.folder(), from: TestVaults.passphrase(), to: TestVaults.passphrase())
    }
  }

  @Test func aClockThatWentBackIsReportedNotHidden() throws {
    // The clock is read for the header, then for each record: the second record is stamped a day earlier.
    let later = Date(timeIntervalSince1970: 1_764_400_000)
    let times = [later, later, later.addingTimeInterval(-86_400)]
    nonisolated(unsafe) var calls = 0
    let folder = try TestVaults.makeCheap(entries: 2) {
      defer { calls += 1 }
      return times[min(calls, times.count - 1)]
    }
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(vault.integrity.isIntact)
    #expect(vault.clockNotices.count == 1)
    #expect(vault.clockNotices.first?.contains("Record 2") == true)
  }

  @Test func emptyTitlesNarrativesAndStrangersAreRefused() throws {
    let folder = try TestVaults.make(entries: 0)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(throws: VaultError.self) { try vault.addEntry(TestVaults.sampleEntry(title: "  ")) }
    #expect(throws: VaultError.self) { try vault.addEntry(TestVaults.sampleEntry(narrative: "\n")) }
    var entry = TestVaults.sampleEntry()
    entry.people = [Participant(person: "nobody", role: .witness)]
    #expect(throws: VaultError.self) { try vault.addEntry(entry) }
    try vault.addPerson(Person(name: "Marko"))
    #expect(throws: VaultError.self) { try vault.addPerson(Person(name: "marko")) }
    #expect(vault.integrity.head.sequence == 1)
  }
}

extension Result where Failure == VaultError {
  var failureCode: VaultError.Code? {
    if case .failure(let error) = self { return error.code }
    return nil
  }
}
