import Foundation
import Testing

@testable import EvidenceVault

/// Day-first dates, month names, "kl" times and "i förrgår", read with a fixed clock in Europe/Stockholm.
@Suite struct SwedishDateTests {
  static let stockholm = PersonalTimeZone.resolve(environment: [:])  // Europe/Stockholm
  /// Sunday 2026-11-29 14:22 in Stockholm.
  static let now = Date(timeIntervalSince1970: 1_795_958_520)

  static func parse(_ text: String, now: Date = now) throws -> ParsedWhen {
    try WhenParser(timeZone: stockholm, now: now).parse(text)
  }

  static func utc(_ text: String) -> Date { WhenFormatter.parseRFC3339UTC(text) ?? .distantPast }

  @Test(arguments: [
    ("28/11 22:30", "2026-11-28T21:30:00Z", TimePrecision.minute),
    ("28/11", "2026-11-27T23:00:00Z", .day),
    ("28/11/2026", "2026-11-27T23:00:00Z", .day),
    ("28/11/2026 kl 22:30", "2026-11-28T21:30:00Z", .minute),
    ("28.11.2026 22:30", "2026-11-28T21:30:00Z", .minute),
    ("28.11.2026 kl. 22.30", "2026-11-28T21:30:00Z", .minute),
    ("30 nov 22:00", "2025-11-30T21:00:00Z", .minute),
    ("29 november 2026", "2026-11-28T23:00:00Z", .day),
    ("30 November 2025", "2025-11-29T23:00:00Z", .day),
    ("28 Nov", "2026-11-27T23:00:00Z", .day),
    ("Nov 28", "2026-11-27T23:00:00Z", .day),
    ("28 nov. 2026", "2026-11-27T23:00:00Z", .day),
    ("1 jan", "2025-12-31T23:00:00Z", .day),
    ("31 december", "2025-12-30T23:00:00Z", .day),
    ("12/12", "2025-12-11T23:00:00Z", .day),
    ("15 juli 2026 09:05", "2026-07-15T07:05:00Z", .minute),
    ("kl 13", "2026-11-29T12:00:00Z", .hour),
    ("kl. 13.30", "2026-11-29T12:30:00Z", .minute),
    ("kl 9.05", "2026-11-29T08:05:00Z", .minute),
    ("igår kl 22", "2026-11-28T21:00:00Z", .hour),
    ("i förrgår", "2026-11-26T23:00:00Z", .day),
    ("i förrgår 22:30", "2026-11-27T21:30:00Z", .minute),
  ])
  func everySwedishAndEnglishFormGivesItsInstantAndPrecision(
    text: String, instant: String, precision: TimePrecision
  ) throws {
    let parsed = try Self.parse(text)
    #expect(WhenFormatter.rfc3339UTC(parsed.start) == instant)
    #expect(parsed.precision == precision)
    #expect(!parsed.needsConfirmation)
  }

  @Test func aDayFirstDateAcrossTheAutumnChangeTakesTheSummerTimeInstant() throws {
    let parsed = try Self.parse("25.10.2026 02:30")
    #expect(WhenFormatter.rfc3339UTC(parsed.start) == "2026-10-25T00:30:00Z" && parsed.wasAmbiguous)
    #expect(WhenFormatter.rfc3339UTC(try Self.parse("25/10/2026").start) == "2026-10-24T22:00:00Z")
    #expect(throws: WhenParseError.self) { _ = try Self.parse("29/3/2026 02:30") }
  }

  @Test func aTimeTodayStillToComeIsRefusedAsTheFuture() {
    #expect(throws: WhenParseError.self) { _ = try Self.parse("kl 22") }
    #expect(throws: WhenParseError.self) { _ = try Self.parse("kl. 22.30") }
    #expect(throws: WhenParseError.self) { _ = try Self.parse("29/11 22:00") }
  }

  @Test func aYearlessLeapDayIsTheLastOneAndOtherwiseRefused() throws {
    let inLeapYear = Self.utc("2028-03-10T12:00:00Z")
    #expect(WhenFormatter.rfc3339UTC(try Self.parse("29/2", now: inLeapYear).start) == "2028-02-28T23:00:00Z")
    #expect(throws: WhenParseError.self) { _ = try Self.parse("29/2") }
  }

  @Test func aMomentMoreThanTenYearsBackAsksToBeConfirmed() throws {
    #expect(try Self.parse("1 maj 1999").needsConfirmation)
    #expect(try Self.parse("28/11/2016").needsConfirmation)
    #expect(try !Self.parse("30/11/2016").needsConfirmation)
    #expect(try !Self.parse("igår").needsConfirmation)
  }

  @Test(arguments: [
    "32/11", "29/2 2026", "29/2/2026", "31/4/2026", "13/13", "kl 25", "kl 22.60", "kl", "28.11", "22.30",
    "2026/11/28", "28-11-2026", "30 foo", "nov", "30 nov 22", "30 nov 2026 2026", "28/11/26", "1/2/3/4",
    "måndag 30 nov", "monday 22:00 30 nov", "i måndag", "last", "garbage", "30 nov 2027", "28/11 22:30 extra",
  ])
  func theseAreRefused(text: String) {
    #expect(throws: WhenParseError.self) { _ = try Self.parse(text) }
  }

  @Test(arguments: [
    ("måndag", "2026-11-22T23:00:00Z"), ("i måndags", "2026-11-22T23:00:00Z"), ("Monday", "2026-11-22T23:00:00Z"),
    ("last monday", "2026-11-22T23:00:00Z"), ("förra måndagen", "2026-11-22T23:00:00Z"),
    ("lördag", "2026-11-27T23:00:00Z"), ("i lördags", "2026-11-27T23:00:00Z"), ("saturday", "2026-11-27T23:00:00Z"),
    // Today is a Sunday: its own name means a week ago, never today.
    ("söndag", "2026-11-21T23:00:00Z"), ("i söndags", "2026-11-21T23:00:00Z"), ("sunday", "2026-11-21T23:00:00Z"),
  ])
  func aWeekdayIsTheLastOneBeforeToday(text: String, instant: String) throws {
    let parsed = try Self.parse(text)
    #expect(WhenFormatter.rfc3339UTC(parsed.start) == instant && parsed.precision == .day)
  }

  @Test(arguments: [
    ("igår kväll", "2026-11-28T17:00:00Z"), ("i går kväll", "2026-11-28T17:00:00Z"),
    ("yesterday evening", "2026-11-28T17:00:00Z"), ("i morse", "2026-11-29T05:00:00Z"),
    ("this morning", "2026-11-29T05:00:00Z"), ("i natt", "2026-11-28T21:00:00Z"),
    ("last night", "2026-11-28T21:00:00Z"),
    ("yesterday morning", "2026-11-28T05:00:00Z"), ("i eftermiddag", "2026-11-29T11:00:00Z"),
  ])
  func aPartOfTheDayIsApproximateFromTheHourItBegins(text: String, instant: String) throws {
    let parsed = try Self.parse(text)
    #expect(WhenFormatter.rfc3339UTC(parsed.start) == instant)
    #expect(parsed.precision == .approximate)
  }

  @Test func partsOfTheDayAroundTheSpringChangeKeepTheirLocalHours() throws {
    let morningAfterChange = Self.utc("2026-03-29T12:00:00Z")  // 14:00 summer time, the day the clocks went forward
    #expect(WhenFormatter.rfc3339UTC(try Self.parse("i natt", now: morningAfterChange).start) == "2026-03-28T21:00:00Z")
    #expect(
      WhenFormatter.rfc3339UTC(try Self.parse("i morse", now: morningAfterChange).start) == "2026-03-29T04:00:00Z")
    #expect(
      WhenFormatter.rfc3339UTC(try Self.parse("igår kväll", now: morningAfterChange).start) == "2026-03-28T17:00:00Z")
  }

  @Test func anEveningStillToComeIsRefused() {
    #expect(throws: WhenParseError.self) { _ = try Self.parse("i kväll") }
    #expect(throws: WhenParseError.self) { _ = try Self.parse("this evening") }
  }
}
