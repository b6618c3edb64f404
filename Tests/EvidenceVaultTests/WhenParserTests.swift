import EvidenceVault
import Foundation
import Testing

/// Reads a UTC instant written like "2026-11-28T21:30:00Z", independently of the code under test.
private func utc(_ text: String) -> Date {
  let formatter = ISO8601DateFormatter()
  formatter.formatOptions = [.withInternetDateTime]
  guard let date = formatter.date(from: text) else {
    Issue.record("Bad UTC literal in test: \(text)")
    return Date(timeIntervalSince1970: 0)
  }
  return date
}

/// The named time zone from the system's time zone database.
private func zone(_ identifier: String) -> TimeZone {
  guard let timeZone = TimeZone(identifier: identifier) else {
    Issue.record("Time zone \(identifier) is missing")
    return .gmt
  }
  return timeZone
}

private let stockholm = zone("Europe/Stockholm")
private let london = zone("Europe/London")

/// The fixed "now" for most tests: Sunday 2026-11-29 14:22 in Stockholm.
private let now = utc("2026-11-29T13:22:00Z")
private let parser = WhenParser(timeZone: stockholm, now: now)

/// Parses `text`, recording a test issue instead of throwing if it is rejected.
private func parsed(_ text: String, with parser: WhenParser = parser) -> ParsedWhen? {
  do {
    return try parser.parse(text)
  } catch {
    Issue.record("\"\(text)\" was rejected: \(error.message)")
    return nil
  }
}

/// Parses `text` expecting it to be rejected, and returns the error.
private func rejection(_ text: String, with parser: WhenParser = parser) -> WhenParseError? {
  do {
    let result = try parser.parse(text)
    Issue.record("\"\(text)\" was accepted as \(result)")
    return nil
  } catch {
    return error
  }
}

@Suite("Reading typed dates and times")
struct WhenParserTests {
  @Test(
    "Accepted forms give the right instant and precision in both languages",
    arguments: [
      // Full date and time.
      ("2026-11-28 22:30", "2026-11-28T21:30:00Z", TimePrecision.minute),
      ("2026-11-28T22:30", "2026-11-28T21:30:00Z", .minute),
      ("2026-11-28t22:30", "2026-11-28T21:30:00Z", .minute),
      ("2026-11-28 kl 22:30", "2026-11-28T21:30:00Z", .minute),
      ("2026-11-28 22:30:15", "2026-11-28T21:30:15Z", .exact),
      ("2026-11-28T22:30:15", "2026-11-28T21:30:15Z", .exact),
      ("2026-07-15 09:05", "2026-07-15T07:05:00Z", .minute),
      ("2026-07-15 9:05", "2026-07-15T07:05:00Z", .minute),
      ("  2026-11-28   22:30 ", "2026-11-28T21:30:00Z", .minute),
      // Day and month.
      ("2026-11-28", "2026-11-27T23:00:00Z", .day),
      ("2026-07-15", "2026-07-14T22:00:00Z", .day),
      ("2026-11", "2026-10-31T23:00:00Z", .month),
      ("2026-07", "2026-06-30T22:00:00Z", .month),
      ("1900-01", "1899-12-31T23:00:00Z", .month),
      // A time today.
      ("12:30", "2026-11-29T11:30:00Z", .minute),
      ("kl 12:30", "2026-11-29T11:30:00Z", .minute),
      ("kl. 12:30", "2026-11-29T11:30:00Z", .minute),
      ("KL 12:30", "2026-11-29T11:30:00Z", .minute),
      ("12:30:45", "2026-11-29T11:30:45Z", .exact),
      ("00:00", "2026-11-28T23:00:00Z", .minute),
      // Named days.
      ("today", "2026-11-28T23:00:00Z", .day),
      ("Today", "2026-11-28T23:00:00Z", .day),
      ("idag", "2026-11-28T23:00:00Z", .day),
      ("i dag", "2026-11-28T23:00:00Z", .day),
      ("I DAG", "2026-11-28T23:00:00Z", .day),
      ("yesterday", "2026-11-27T23:00:00Z", .day),
      ("igår", "2026-11-27T23:00:00Z", .day),
      ("i går", "2026-11-27T23:00:00Z", .day),
      ("IGÅR", "2026-11-27T23:00:00Z", .day),
      ("ig\u{0061}\u{030A}r", "2026-11-27T23:00:00Z", .day),
      // A named day with a time.
      ("yesterday 22:00", "2026-11-28T21:00:00Z", .minute),
      ("igår 22:00", "2026-11-28T21:00:00Z", .minute),
      ("igår kl 22:00", "2026-11-28T21:00:00Z", .minute),
      ("i går kl. 22:00", "2026-11-28T21:00:00Z", .minute),
      ("igår\u{00A0}22:00", "2026-11-28T21:00:00Z", .minute),
      ("today 08:15", "2026-11-29T07:15:00Z", .minute),
      ("idag kl 08:15", "2026-11-29T07:15:00Z", .minute),
      // Counting back.
      ("3 days ago", "2026-11-25T23:00:00Z", .day),
      ("1 day ago", "2026-11-27T23:00:00Z", .day),
      ("för 3 dagar sedan", "2026-11-25T23:00:00Z", .day),
      ("för 1 dag sedan", "2026-11-27T23:00:00Z", .day),
      ("3 dagar sedan", "2026-11-25T23:00:00Z", .day),
      ("för 3 dagar sen", "2026-11-25T23:00:00Z", .day),
      ("2 weeks ago", "2026-11-14T23:00:00Z", .day),
      ("1 week ago", "2026-11-21T23:00:00Z", .day),
      ("för 2 veckor sedan", "2026-11-14T23:00:00Z", .day),
      ("för 1 vecka sedan", "2026-11-21T23:00:00Z", .day),
      ("0 days ago", "2026-11-28T23:00:00Z", .day),
      // Counting back across the October change to summer-time days.
      ("30 days ago", "2026-10-29T23:00:00Z", .day),
      ("40 days ago", "2026-10-19T22:00:00Z", .day),
    ])
  func acceptedForms(text: String, expectedStart: String, precision: TimePrecision) {
    let result = parsed(text)
    #expect(result?.start == utc(expectedStart))
    #expect(result?.precision == precision)
    #expect(result?.wasAmbiguous == false)
  }

  @Test("Now and nu give the current instant exactly", arguments: ["now", "nu", "NU", " Now "])
  func nowIsExact(text: String) {
    let result = parsed(text)
    #expect(result?.start == now)
    #expect(result?.precision == .exact)
    #expect(result?.wasAmbiguous == false)
  }

  @Test(
    "A time skipped when the clocks go forward is rejected with the actual jump",
    arguments: [
      "2026-03-29 02:30", "2026-03-29 02:00", "2026-03-29T02:59:59",
    ])
  func springForwardGapIsRejected(text: String) {
    let error = rejection(text)
    #expect(error?.code == .nonexistentLocalTime)
    #expect(error?.message.contains("from 02:00 to 03:00") == true)
    #expect(error?.message.contains("01:59 or 03:00 or later") == true)
    #expect(error?.message.contains("\"\(text)\"") == true)
  }

  @Test("The gap's wording comes from the time zone's own transition")
  func gapWordingFollowsTheTimeZone() {
    let londonParser = WhenParser(timeZone: london, now: now)
    let error = rejection("2026-03-29 01:30", with: londonParser)
    #expect(error?.code == .nonexistentLocalTime)
    #expect(error?.message.contains("from 01:00 to 02:00") == true)
    #expect(error?.message.contains("00:59 or 02:00 or later") == true)

    // Lord Howe Island moves its clocks by only half an hour.
    let lordHoweParser = WhenParser(timeZone: zone("Australia/Lord_Howe"), now: now)
    let halfHourError = rejection("2026-10-04 02:15", with: lordHoweParser)
    #expect(halfHourError?.code == .nonexistentLocalTime)
    #expect(halfHourError?.message.contains("from 02:00 to 02:30") == true)
  }

  @Test(
    "Times on either side of the spring-forward gap are accepted",
    arguments: [
      ("2026-03-29 01:59", "2026-03-29T00:59:00Z"),
      ("2026-03-29 03:00", "2026-03-29T01:00:00Z"),
      ("2026-03-29", "2026-03-28T23:00:00Z"),
    ])
  func aroundTheSpringForwardGap(text: String, expectedStart: String) {
    let result = parsed(text)
    #expect(result?.start == utc(expectedStart))
    #expect(result?.wasAmbiguous == false)
  }

  @Test(
    "A time repeated when the clocks go back takes the earlier, summer-time instant",
    arguments: [
      ("2026-10-25 02:30", "2026-10-25T00:30:00Z", true),
      ("2026-10-25 02:00", "2026-10-25T00:00:00Z", true),
      ("2026-10-25 02:59:59", "2026-10-25T00:59:59Z", true),
      ("2026-10-25 01:59", "2026-10-24T23:59:00Z", false),
      ("2026-10-25 03:00", "2026-10-25T02:00:00Z", false),
      ("2026-10-25", "2026-10-24T22:00:00Z", false),
    ])
  func fallBackOverlap(text: String, expectedStart: String, ambiguous: Bool) {
    let result = parsed(text)
    #expect(result?.start == utc(expectedStart))
    #expect(result?.wasAmbiguous == ambiguous)
  }

  @Test("Yesterday across the spring-forward change starts at that day's winter-time midnight")
  func yesterdayAcrossSpringForward() {
    let mondayParser = WhenParser(timeZone: stockholm, now: utc("2026-03-30T10:00:00Z"))
    #expect(parsed("yesterday", with: mondayParser)?.start == utc("2026-03-28T23:00:00Z"))
    #expect(parsed("igår", with: mondayParser)?.start == utc("2026-03-28T23:00:00Z"))
    #expect(parsed("igår 12:00", with: mondayParser)?.start == utc("2026-03-29T10:00:00Z"))
    #expect(parsed("yesterday 01:00", with: mondayParser)?.start == utc("2026-03-29T00:00:00Z"))
    #expect(parsed("today", with: mondayParser)?.start == utc("2026-03-29T22:00:00Z"))
    #expect(rejection("igår 02:30", with: mondayParser)?.code == .nonexistentLocalTime)
  }

  @Test(
    "Leap days exist only in leap years",
    arguments: [
      ("2024-02-29", true), ("2000-02-29", true), ("2024-02-29 12:00", true),
      ("2026-02-29", false), ("1900-02-29", false), ("2025-02-29 12:00", false),
    ])
  func leapDays(text: String, isValid: Bool) {
    if isValid {
      #expect(parsed(text)?.precision != nil)
    } else {
      let error = rejection(text)
      #expect(error?.code == .outOfRange)
      #expect(error?.message.contains("February") == true)
    }
  }

  @Test("The leap day 2024-02-29 starts at local midnight")
  func leapDayStart() {
    #expect(parsed("2024-02-29")?.start == utc("2024-02-28T23:00:00Z"))
  }

  @Test(
    "Numbers outside their ranges are rejected with a sentence",
    arguments: [
      "2026-13-01", "2026-00-10", "2026-04-31", "2026-11-00", "2026-13",
      "2026-11-28 24:00", "2026-11-28 22:60", "2026-11-28 22:30:60", "25:00", "kl 24:00", "igår 23:75",
      "1899-12-31", "1899-12", "2027-01-01", "2030-01", "50000 days ago", "99999999999999999999 weeks ago",
    ])
  func outOfRange(text: String) {
    let error = rejection(text)
    #expect(error?.code == .outOfRange)
    #expect(error?.message.contains("\"\(text)\"") == true)
    #expect(error?.message.hasSuffix(".") == true)
  }

  @Test(
    "Moments more than five minutes ahead are rejected as in the future",
    arguments: [
      "2026-11-29 14:28", "2026-11-30", "2026-12", "2026-12-31 23:59", "2026-11-29T15:00:00",
    ])
  func futureIsRejected(text: String) {
    let error = rejection(text)
    #expect(error?.code == .inFuture)
    #expect(error?.message.contains("\"\(text)\"") == true)
  }

  @Test(
    "Moments up to five minutes ahead, and today and this month, are accepted",
    arguments: [
      "2026-11-29 14:27", "2026-11-29 14:22:30", "14:27", "2026-11-29", "2026-11", "today",
    ])
  func nearFutureIsAccepted(text: String) {
    #expect(parsed(text) != nil)
  }

  @Test(
    "A time later today suggests yesterday instead",
    arguments: [
      ("23:00", "yesterday 23:00"), ("kl 22:30", "yesterday 22:30"), ("idag 15:00", "yesterday 15:00"),
    ])
  func laterTodaySuggestsYesterday(text: String, suggestion: String) {
    let error = rejection(text)
    #expect(error?.code == .inFuture)
    #expect(error?.message.contains("\"\(suggestion)\"") == true)
  }

  @Test(
    "Text in no accepted form is reported as unrecognised, listing the forms",
    arguments: [
      "xyz", "2026-11-28 22", "tomorrow", "imorgon", "3 days", "days ago", "för 3 dagar", "3 dagar ago",
      "3 days sedan", "2026/11/28", "28-11-2026", "22", "22:3", "22.30", "2026-11-28 22:30 extra",
      "-3 days ago", "yesterday 22", "igår kl", "kl", "2026-11-28T", "T22:30", "26-11-28", "2026-011-28",
      "now please", "i", "١٢:٣٠", "three days ago", "2026-11-28 22:30:15:00",
    ])
  func unrecognised(text: String) {
    let error = rejection(text)
    #expect(error?.code == .unrecognised)
    #expect(error?.message.contains("Could not understand \"\(text)\" as a date.") == true)
    #expect(error?.message.contains("yesterday 22:00, igår 22:00 or 3 days ago") == true)
  }

  @Test("Empty or blank input is unrecognised", arguments: ["", "   ", "\n\t"])
  func emptyInput(text: String) {
    let error = rejection(text)
    #expect(error?.code == .unrecognised)
    #expect(error?.description == error?.message)
  }
}

@Suite("Writing stored moments as text")
struct WhenFormatterTests {
  private static let moment = utc("2026-11-28T21:30:15Z")

  @Test(
    "Each precision is shown in Stockholm local time",
    arguments: [
      (TimePrecision.exact, false, "2026-11-28 22:30:15"),
      (.minute, false, "2026-11-28 22:30"),
      (.hour, false, "2026-11-28 22h"),
      (.day, false, "2026-11-28"),
      (.month, false, "2026-11"),
      (.approximate, false, "~2026-11-28"),
      (.approximate, true, "~2026-11-28"),
      (.minute, true, "~2026-11-28 22:30"),
      (.day, true, "~2026-11-28"),
      (.month, true, "~2026-11"),
    ])
  func eachPrecision(precision: TimePrecision, approximate: Bool, expected: String) {
    let text = WhenFormatter.string(
      start: Self.moment, precision: precision, approximate: approximate, timeZone: stockholm
    )
    #expect(text == expected)
  }

  @Test("Summer-time and day-start instants are shown on the right local day")
  func summerAndDayStarts() {
    #expect(
      WhenFormatter.string(
        start: utc("2026-07-14T22:00:00Z"), precision: .day, approximate: false, timeZone: stockholm
      ) == "2026-07-15")
    #expect(
      WhenFormatter.string(
        start: utc("2026-10-25T00:30:00Z"), precision: .minute, approximate: false, timeZone: stockholm
      ) == "2026-10-25 02:30")
    #expect(
      WhenFormatter.string(
        start: utc("2026-10-25T01:30:00Z"), precision: .minute, approximate: false, timeZone: stockholm
      ) == "2026-10-25 02:30")
    #expect(
      WhenFormatter.string(
        start: utc("2026-10-31T23:00:00Z"), precision: .month, approximate: false, timeZone: stockholm
      ) == "2026-11")
  }

  @Test(
    "Parsed input is shown back the way it was typed",
    arguments: [
      "2026-11-28 22:30", "2026-11-28 22:30:15", "2026-11-28", "2026-11", "2026-10-25 02:30", "2024-02-29",
    ])
  func parseThenFormat(text: String) {
    guard let result = parsed(text) else { return }
    let shown = WhenFormatter.string(
      start: result.start, precision: result.precision, approximate: false, timeZone: stockholm
    )
    #expect(shown == text)
  }

  @Test("Instants are stored as RFC 3339 UTC with seconds")
  func rfc3339Output() {
    #expect(WhenFormatter.rfc3339UTC(utc("2026-11-28T21:30:00Z")) == "2026-11-28T21:30:00Z")
    #expect(WhenFormatter.rfc3339UTC(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    #expect(
      WhenFormatter.rfc3339UTC(utc("2026-11-28T21:30:00Z").addingTimeInterval(0.9))
        == "2026-11-28T21:30:00Z")
    #expect(
      WhenFormatter.rfc3339UTC(utc("1900-01-01T00:00:00Z").addingTimeInterval(-0.5))
        == "1899-12-31T23:59:59Z")
  }

  @Test(
    "RFC 3339 text round-trips through parsing and formatting",
    arguments: [
      "2026-11-28T21:30:00Z", "1970-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "1899-12-31T23:59:59Z",
      "2024-02-29T12:00:00Z", "2000-02-29T23:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z",
      "9999-12-31T23:59:59Z",
    ])
  func rfc3339RoundTrip(text: String) {
    let date = WhenFormatter.parseRFC3339UTC(text)
    #expect(date == utc(text))
    #expect(date.map(WhenFormatter.rfc3339UTC) == text)
  }

  @Test(
    "Parsed moments round-trip through their stored RFC 3339 form",
    arguments: [
      "2026-11-28 22:30", "2026-10-25 02:30", "igår 22:00", "3 days ago", "2026-07",
    ])
  func storedRoundTrip(text: String) {
    guard let result = parsed(text) else { return }
    #expect(WhenFormatter.parseRFC3339UTC(WhenFormatter.rfc3339UTC(result.start)) == result.start)
  }

  @Test(
    "RFC 3339 text of any other shape is refused",
    arguments: [
      "", "2026-11-28T21:30Z", "2026-11-28 21:30:00Z", "2026-11-28T21:30:00+01:00", "2026-11-28t21:30:00z",
      "2026-11-28T21:30:00.5Z", " 2026-11-28T21:30:00Z", "2026-11-28T21:30:00Z ", "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z", "2026-11-28T23:59:60Z",
      "2026-1-28T21:30:00Z", "+026-11-28T21:30:00Z", "2026-11-28", "2025-02-29T00:00:00Z",
    ])
  func rfc3339Rejects(text: String) {
    #expect(WhenFormatter.parseRFC3339UTC(text) == nil)
  }
}
