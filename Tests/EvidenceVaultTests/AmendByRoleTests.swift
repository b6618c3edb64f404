import Foundation
import Testing

@testable import EvidenceVault

/// `amend` changes the people in the role it is given and nothing else, and a new start keeps the end.
@Suite struct AmendByRoleTests {
  static let stockholm = InputAndIndexTests.stockholm
  static let now = InputAndIndexTests.now
  static let index = InputAndIndexTests.index(people: [
    Person(name: "Marko", aliases: ["M"]), Person(name: "Fatima"), Person(name: "Åsa"), Person(name: "Sam"),
  ])

  static func original() throws -> Entry {
    var input = EntryInput()
    input.when = "2026-11-28 22:30"
    input.ended = "2026-11-28 23:15"
    input.title = "Threats"
    input.narrative = "He said it."
    input.perpetrators = ["Marko"]
    input.witnesses = ["Åsa"]
    return try input.makeEntry(index: index, timeZone: stockholm, now: now)
  }

  static func amend(_ change: (inout EntryInput) -> Void) throws -> Entry {
    var input = EntryInput()
    change(&input)
    return try input.amend(try original(), index: index, timeZone: stockholm, now: now)
  }

  @Test func aWitnessGivenKeepsThePerpetrator() throws {
    let amended = try Self.amend { $0.witnesses = ["Fatima"] }
    #expect(
      amended.people == [Participant(person: "p0", role: .perpetrator), Participant(person: "p1", role: .witness)])
  }

  @Test func aPersonGivenChangesOnlyThePerpetrators() throws {
    let amended = try Self.amend { $0.perpetrators = ["Sam"] }
    #expect(
      amended.people == [Participant(person: "p3", role: .perpetrator), Participant(person: "p2", role: .witness)])
  }

  @Test func someoneNamedInANewRoleLeavesTheirOldOne() throws {
    let amended = try Self.amend { $0.witnesses = ["Marko"] }
    #expect(amended.people == [Participant(person: "p0", role: .witness)])
  }

  @Test func removingAPersonTakesThemOffWhateverTheirRole() throws {
    let withoutWitness = try Self.amend { $0.removedPeople = ["åsa"] }
    #expect(withoutWitness.people == [Participant(person: "p0", role: .perpetrator)])
    let withoutPerpetrator = try Self.amend { $0.removedPeople = ["M"] }
    #expect(withoutPerpetrator.people == [Participant(person: "p2", role: .witness)])
  }

  @Test func removingSomeoneNotOnTheEntryIsRefused() throws {
    #expect(throws: VaultError.self) { _ = try Self.amend { $0.removedPeople = ["Sam"] } }
    #expect(throws: VaultError.self) { _ = try Self.amend { $0.removedPeople = ["Nobody"] } }
  }

  @Test func aNewStartKeepsTheEnd() throws {
    let original = try Self.original()
    let amended = try Self.amend { $0.when = "2026-11-28 22:00" }
    #expect(amended.occurred.start == "2026-11-28T21:00:00Z")
    #expect(amended.occurred.end == original.occurred.end)
    #expect(amended.occurred.end == "2026-11-28T22:15:00Z")
  }

  @Test func aNewStartAndEndReplaceBoth() throws {
    let amended = try Self.amend {
      $0.when = "2026-11-27 10:00"
      $0.ended = "2026-11-27 11:00"
    }
    #expect(amended.occurred.start == "2026-11-27T09:00:00Z" && amended.occurred.end == "2026-11-27T10:00:00Z")
  }

  @Test func aNewStartAfterTheKeptEndIsRefused() throws {
    #expect(throws: VaultError.self) { _ = try Self.amend { $0.when = "2026-11-29 01:00" } }
  }
}
