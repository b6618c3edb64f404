import Foundation
import Testing

@testable import EvidenceVault

@Suite struct PersonAmendmentTests {
  @Test func aNewNumberAndAliasAreAddedAndEverythingFollowsTheNewVersion() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let originalId: String
    do {
      let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
      try vault.addPerson(Person(name: "Marko", phones: ["+46701234567"]))
      try vault.addPerson(Person(name: "Olga"))
      let original = try vault.index.person(named: "Marko")
      var entry = TestVaults.sampleEntry()
      entry.people = [Participant(person: original.stamp.id, role: .perpetrator)]
      try vault.addEntry(entry)
      try vault.addMessage(
        Message(
          channel: .sms, direction: .received, from: Message.Party(address: "+46701234567", person: original.stamp.id),
          sentAt: Date(timeIntervalSince1970: 1_795_901_000), text: "Betala."), attaching: [])

      var amendment = PersonAmendment()
      amendment.phones = ["073-555 12 34", "+46 70 123 45 67"]
      amendment.aliases = ["M"]
      amendment.relation = "recruiter"
      let updated = try amendment.applied(to: original)
      #expect(updated.phones == ["+46701234567", "+46735551234"], "a number already there is not listed twice")
      try vault.amendPerson(original, with: updated)

      originalId = original.stamp.id
    }
    let reopened = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    #expect(reopened.index.people.map(\.name) == ["Marko", "Olga"])
    let current = try reopened.index.person(named: "M")
    #expect(current.phones == ["+46701234567", "+46735551234"] && current.relation == "recruiter")
    #expect(current.supersedes == originalId)
    // The entry and the message name the first version; both now lead to the new one.
    #expect(reopened.index.person(id: originalId)?.stamp.id == current.stamp.id)
    #expect(reopened.records.count == 5)
  }

  @Test func noChangeAndSomeoneElsesNameAreRefusedAndNothingIsWritten() throws {
    let folder = try TestVaults.makeCheap(entries: 0)
    defer { TestVaults.remove(folder) }
    let vault = try Vault.open(at: folder, passphrase: TestVaults.passphrase())
    try vault.addPerson(Person(name: "Marko", phones: ["+46701234567"]))
    try vault.addPerson(Person(name: "Olga"))
    let marko = try vault.index.person(named: "Marko")
    var same = PersonAmendment()
    same.phones = ["0701234567"]
    let unchanged = try #require(throws: VaultError.self) {
      try vault.amendPerson(marko, with: same.applied(to: marko))
    }
    #expect(unchanged.message.hasPrefix("Nothing was changed"))
    var clash = PersonAmendment()
    clash.aliases = ["olga"]
    let taken = try #require(throws: VaultError.self) { try vault.amendPerson(marko, with: clash.applied(to: marko)) }
    #expect(taken.message == "Someone else in the journal is already called \"olga\".")
    var badNumber = PersonAmendment()
    badNumber.phones = ["not a number"]
    #expect(throws: VaultError.self) { try badNumber.applied(to: marko) }
    #expect(vault.records.count == 2)
  }
}
