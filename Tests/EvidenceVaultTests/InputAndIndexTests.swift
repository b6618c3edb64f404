import Foundation
import Testing

@testable import EvidenceVault

@Suite struct InputAndIndexTests {
  static let stockholm = PersonalTimeZone.resolve(environment: [:])
  static let now = Date(timeIntervalSince1970: 1_795_958_520)  // 2026-11-29T13:22:00Z

  static func index(people: [Person] = []) -> JournalIndex {
    var index = JournalIndex(records: [])
    for (offset, var person) in people.enumerated() {
      person.stamp = RecordStamp(id: "p\(offset)", salt: "", recordedAt: "2026-11-01T00:00:00Z")
      index.add(.person(person), sequence: UInt64(offset + 1))
    }
    return index
  }

  @Test func anEntryIsBuiltFromWhatWasTyped() throws {
    var input = EntryInput()
    input.when = "igår 22:30"
    input.location = "  Storgatan 5, Malmö "
    input.categories = ["hot", "threat", "documents"]
    input.perpetrators = ["m"]
    input.witnesses = ["Åsa"]
    input.title = "Threats"
    input.narrative = "He said it.\nTwice.\n\n"
    input.amounts = ["demanded:2500", "paid:300,50 eur", "taken:100 kr"]
    input.tags = ["stairwell", " "]
    let index = Self.index(people: [Person(name: "Marko", aliases: ["M"]), Person(name: "Åsa")])
    let entry = try input.makeEntry(index: index, timeZone: Self.stockholm, now: Self.now)
    #expect(entry.occurred.start == "2026-11-28T21:30:00Z")
    #expect(entry.occurred.precision == .minute && entry.occurred.timeZone == "Europe/Stockholm")
    #expect(entry.location == "Storgatan 5, Malmö")
    #expect(entry.categories == [.threat, .documentsTaken])
    #expect(entry.people == [Participant(person: "p0", role: .perpetrator), Participant(person: "p1", role: .witness)])
    #expect(entry.narrative == "He said it.\nTwice.")
    #expect(
      entry.amounts == [
        MoneyAmount(kind: .demanded, amount: "2500"), MoneyAmount(kind: .paid, amount: "300.50", currency: "EUR"),
        MoneyAmount(kind: .taken, amount: "100", currency: "SEK"),
      ])
    #expect(entry.tags == ["stairwell"])
  }

  @Test(arguments: [
    ("when", "next blursday"), ("when", "2026-02-30"), ("when", "2027-01-01"), ("category", "weather"),
    ("amount", "2500"), ("amount", "demanded:lots"), ("amount", "paid:5 dollars"), ("person", "Nobody"),
    ("title", "   "), ("narrative", " \n "), ("ended", "2026-11-01"),
  ])
  func badInputIsRefusedWithASentence(field: String, value: String) throws {
    var input = EntryInput()
    input.when = "2026-11-28 22:30"
    input.title = "Title"
    input.narrative = "Narrative"
    switch field {
    case "when": input.when = value
    case "ended": input.ended = value
    case "category": input.categories = [value]
    case "amount": input.amounts = [value]
    case "person": input.perpetrators = [value]
    case "title": input.title = value
    default: input.narrative = value
    }
    do {
      _ = try input.makeEntry(index: Self.index(), timeZone: Self.stockholm, now: Self.now)
      Issue.record("\(field) = \(value) was accepted")
    } catch {
      #expect(error.code == .invalidInput || error.code == .unknownPerson)
      #expect(!error.message.isEmpty && error.message.hasSuffix(".") || error.message.hasSuffix(")"))
    }
  }

  @Test func anAmendmentChangesOnlyWhatIsGiven() throws {
    var input = EntryInput()
    input.when = "2026-11-28 22:30"
    input.title = "Title"
    input.narrative = "Narrative"
    input.location = "Malmö"
    input.tags = ["a"]
    let original = try input.makeEntry(index: Self.index(), timeZone: Self.stockholm, now: Self.now)
    var change = EntryInput()
    change.injuries = "Bruise"
    change.approximate = true
    let amended = try change.amend(original, index: Self.index(), timeZone: Self.stockholm, now: Self.now)
    #expect(amended.injuries == "Bruise")
    #expect(amended.occurred.approximate)
    #expect(amended.location == "Malmö" && amended.tags == ["a"] && amended.title == "Title")
    var empty = EntryInput()
    empty.narrative = "  "
    #expect(throws: VaultError.self) {
      _ = try empty.amend(original, index: Self.index(), timeZone: Self.stockholm, now: Self.now)
    }
  }

  @Test func peopleAreReadWithTheirNumbersInE164() throws {
    var input = PersonInput(name: "Marko")
    input.phones = ["070-123 45 67", "0046 70 765 43 21"]
    input.emails = ["marko@example.se"]
    let person = try input.makePerson()
    #expect(person.phones == ["+46701234567", "+46707654321"])
    input.phones = ["call me"]
    #expect(throws: VaultError.self) { _ = try input.makePerson() }
    input.phones = []
    input.emails = ["not an address"]
    #expect(throws: VaultError.self) { _ = try input.makePerson() }
  }

  @Test func namesAndAliasesFindPeopleAndAmbiguityIsRefused() throws {
    let index = Self.index(people: [Person(name: "Marko", aliases: ["M"]), Person(name: "Mira", aliases: ["m2"])])
    #expect(try index.person(named: " marko ").name == "Marko")
    #expect(try index.person(named: "M").name == "Marko")
    #expect(throws: VaultError.self) { _ = try index.person(named: "Nobody") }
    let twice = Self.index(people: [Person(name: "Ali"), Person(name: "Sam", aliases: ["ali"])])
    #expect(throws: VaultError.self) { _ = try twice.person(named: "Ali") }
  }

  @Test func entriesAreOrderedByWhenTheyHappenedAndFiltered() throws {
    var index = Self.index(people: [Person(name: "Marko")])
    let days = [
      ("2026-11-20", "Late", IncidentCategory.threat), ("2026-10-01", "Early", .stalkingOrSurveillance),
      ("2026-11-05", "Middle", .threat),
    ]
    for (offset, (day, title, category)) in days.enumerated() {
      var input = EntryInput()
      input.when = day
      input.title = title
      input.narrative = "Text about \(title) at Möllevången"
      input.categories = [category.rawValue]
      input.tags = offset == 0 ? ["car"] : []
      input.perpetrators = offset == 2 ? ["Marko"] : []
      var entry = try input.makeEntry(index: index, timeZone: Self.stockholm, now: Self.now)
      entry.stamp = RecordStamp(id: "e\(offset)", salt: "", recordedAt: "2026-11-29T00:00:0\(offset)Z")
      index.add(.entry(entry), sequence: UInt64(10 + offset))
    }
    #expect(index.entries(matching: EntryFilter()).map(\.current.title) == ["Early", "Middle", "Late"])
    #expect(index.entries(matching: EntryFilter()).map(\.number) == [2, 3, 1])
    let november = try EntryFilter(fromText: "2026-11", toText: "2026-11-19", timeZone: Self.stockholm, now: Self.now)
    #expect(index.entries(matching: november).map(\.current.title) == ["Middle"])
    let through = try EntryFilter(fromText: nil, toText: "2026-11-20", timeZone: Self.stockholm, now: Self.now)
    #expect(index.entries(matching: through).count == 3)
    #expect(index.entries(matching: EntryFilter(category: .threat)).map(\.current.title) == ["Middle", "Late"])
    #expect(index.entries(matching: EntryFilter(tag: "CAR")).map(\.current.title) == ["Late"])
    #expect(index.entries(matching: EntryFilter(personId: "p0")).map(\.current.title) == ["Middle"])
    #expect(index.entries(matching: EntryFilter(contains: "mollevangen")).count == 3)
    #expect(index.entries(matching: EntryFilter(contains: "nowhere")).isEmpty)
    #expect(throws: VaultError.self) { try index.entry(number: 4) }
    #expect(throws: VaultError.self) {
      _ = try EntryFilter(fromText: "someday", toText: nil, timeZone: Self.stockholm, now: Self.now)
    }
  }

  @Test func recordsRoundTripThroughTheirCanonicalJSON() throws {
    var entry = TestVaults.sampleEntry(narrative: "Line one\nLine \"two\" / ÅÄÖ 😠")
    entry.stamp = RecordStamp(id: "x", salt: "00", recordedAt: "2026-11-29T13:22:00Z")
    entry.amounts = [MoneyAmount(kind: .paid, amount: "1")]
    let bytes = RecordCodec.encode(.entry(entry))
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(!text.contains(" :") && !text.contains("\n"))
    #expect(text.hasPrefix("{\"amounts\":"))  // sorted keys
    #expect(try RecordCodec.decode(bytes) == .entry(entry))
    #expect(
      try RecordCodec.decode(Array("{\"type\":\"erasure\",\"id\":\"e1\"}".utf8)) == .unknown(type: "erasure", id: "e1"))
    #expect(throws: (any Error).self) { try RecordCodec.decode(Array("{\"type\":\"entry\"}".utf8)) }
  }
}
