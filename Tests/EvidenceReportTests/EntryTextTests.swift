import EvidenceReport
import Foundation
import Testing

@testable import EvidenceVault

@Suite struct EntryTextTests {
  static let stockholm = PersonalTimeZone.resolve(environment: [:])

  static func history(amended: Bool) throws -> (EntryHistory, JournalIndex) {
    var marko = Person(name: "Marko", aliases: ["M"], phones: ["+46701234567"], relation: "recruiter")
    marko.stamp = RecordStamp(id: "p1", salt: "", recordedAt: "2026-11-28T20:00:00Z")
    var entry = Entry(
      occurred: Occurrence(
        start: Date(timeIntervalSince1970: 1_795_901_400), precision: .minute, timeZone: stockholm),
      title: "Threats in the stairwell", narrative: "He said he knows where my sister lives.",
      location: "Storgatan 5, Malmö", categories: [.threat, .debtOrMoneyTaken],
      people: [Participant(person: "p1", role: .perpetrator)], amounts: [MoneyAmount(kind: .demanded, amount: "2500")])
    entry.stamp = RecordStamp(id: "e1", salt: "", recordedAt: "2026-11-28T22:00:00Z")
    var index = JournalIndex(records: [])
    index.add(.person(marko), sequence: 1)
    index.add(.entry(entry), sequence: 2)
    if amended {
      var second = entry
      second.injuries = "Bruise on the arm"
      second.stamp = RecordStamp(id: "e2", salt: "", recordedAt: "2026-11-29T08:15:00Z")
      second.supersedes = "e1"
      index.add(.entry(second), sequence: 3)
    }
    return (try index.entry(number: 1), index)
  }

  @Test func aListLineShowsNumberLocalTimeCategoryTitleAndPlace() throws {
    let (plain, _) = try Self.history(amended: false)
    let line = EntryText.listLine(plain)
    #expect(line.hasPrefix("#1    2026-11-28 22:30"))
    #expect(line.contains("threat, debt or money taken  Threats in the stairwell — Storgatan 5, Malmö"))
    #expect(!line.contains("amended"))
    let (amended, _) = try Self.history(amended: true)
    #expect(EntryText.listLine(amended).hasSuffix("(amended)"))
  }

  @Test func theFullTextLabelsWhenItHappenedAndWhenItWasWrittenDown() throws {
    let (history, index) = try Self.history(amended: true)
    let text = EntryText.full(history, index: index, includeHistory: false, timeZone: Self.stockholm)
    #expect(text.contains("Happened:     2026-11-28 22:30"))
    #expect(text.contains("Written down: 2026-11-29 09:15"))
    #expect(text.contains("People:       Marko (did it)"))
    #expect(text.contains("Money:        demanded 2500 SEK"))
    #expect(text.contains("Injuries:     Bruise on the arm"))
    #expect(text.contains("He said he knows where my sister lives."))
    #expect(text.contains("first written 2026-11-28 23:00"))
    #expect(text.contains("evidence show 1 --history"))
    let withHistory = EntryText.full(history, index: index, includeHistory: true, timeZone: Self.stockholm)
    #expect(withHistory.contains("--- Version 1 of 2, written 2026-11-28 23:00"))
    #expect(withHistory.components(separatedBy: "He said he knows").count == 3)
  }

  @Test func approximateAndMonthPrecisionAreShownAsSuch() {
    var occurred = Occurrence(
      start: Date(timeIntervalSince1970: 1_793_487_600), precision: .month, approximate: true, timeZone: Self.stockholm)
    #expect(EntryText.when(occurred) == "~2026-11")
    occurred.approximate = false
    occurred.precision = .day
    #expect(EntryText.when(occurred) == "2026-11-01")
  }

  @Test func jsonOutputsCarryNumbersAndRecords() throws {
    let (history, index) = try Self.history(amended: true)
    let list = try JSONSerialization.jsonObject(with: Data(JSONOutput.entryList([history]).utf8)) as? [[String: Any]]
    #expect(list?.first?["number"] as? Int == 1)
    #expect(list?.first?["amended"] as? Bool == true)
    #expect(list?.first?["versionCount"] as? Int == 2)
    #expect((list?.first?["entry"] as? [String: Any])?["injuries"] as? String == "Bruise on the arm")
    let people =
      try JSONSerialization.jsonObject(with: Data(JSONOutput.personList(index.people).utf8)) as? [[String: Any]]
    #expect(people?.first?["phones"] as? [String] == ["+46701234567"])
    #expect(EntryText.personLine(index.people[0]) == "Marko (M) — recruiter — +46701234567")
  }
}
