import Foundation

/// Reads an RFC 5322 Date field ("Sat, 28 Nov 2026 22:31:05 +0100 (CET)") into a source time.
///
/// Accepted: an optional weekday, comments anywhere, a 2-, 3- or 4-digit year (RFC 5322 section 4.3), seconds
/// optional, numeric zones and the obsolete names (UT, GMT, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT; the military
/// letters count as -0000, as RFC 5322 says), and the asctime order some broken mailers write
/// ("Sat Nov 28 22:31:05 2026"). A time without a zone, or with a zone name this reader does not know, is read
/// in the given time zone and marked ambiguous.
enum EmailDate {
  private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
  private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  private static let zoneHours: [String: Int] = [
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7,
  ]

  /// The instant the field names, or nil when it cannot be read.
  static func parse(_ raw: String, timeZone: TimeZone) -> SourceTime? {
    let tokens = tokenize(raw)
    var day: Int?
    var month: Int?
    var year: Int?
    var clock: (hour: Int, minute: Int, second: Int)?
    var offset: Int?
    var unknownZone = false
    for token in tokens {
      let lower = token.lowercased()
      if let found = months.firstIndex(where: { lower.hasPrefix($0) }), lower.allSatisfy(\.isLetter), month == nil,
        lower.count >= 3
      {
        month = found + 1
      } else if weekdays.contains(where: { lower.hasPrefix($0) }) && lower.allSatisfy(\.isLetter) && clock == nil {
        continue
      } else if token.contains(":"), clock == nil {
        guard let parsed = parseClock(token) else { return nil }
        clock = parsed
      } else if token.hasPrefix("+") || token.hasPrefix("-"), clock != nil, offset == nil {
        guard let parsed = parseOffset(token) else { return nil }
        offset = parsed
      } else if token.allSatisfy(\.isNumber), token.allSatisfy(\.isASCII) {
        guard let number = Int(token) else { return nil }
        if day == nil && token.count <= 2 {
          day = number
        } else if year == nil {
          year = expandYear(number, digits: token.count)
        } else {
          return nil
        }
      } else if lower.allSatisfy(\.isLetter), clock != nil, offset == nil, !unknownZone {
        if let hours = zoneHours[lower] {
          offset = hours * 3600
        } else if lower.count == 1 {
          offset = 0
        } else {
          unknownZone = true
        }
      } else {
        return nil
      }
    }
    // A year outside what any mail was written in (or what a date can hold) is no usable time.
    guard let day, let month, let year, (1970...9999).contains(year), let clock else { return nil }
    var components = DateComponents()
    components.year = year
    components.month = month
    components.day = day
    components.hour = clock.hour
    components.minute = clock.minute
    components.second = clock.second
    var calendar = Calendar(identifier: .gregorian)
    if let utc = TimeZone(secondsFromGMT: 0) { calendar.timeZone = utc }
    guard components.isValidDate(in: calendar) else { return nil }
    if let offset {
      guard let date = calendar.date(from: components) else { return nil }
      return SourceTime(instant: date.addingTimeInterval(TimeInterval(-offset)))
    }
    calendar.timeZone = timeZone
    guard let date = calendar.date(from: components) else { return nil }
    return SourceTime(instant: date, isAmbiguous: true)
  }

  /// The words of the field with comments removed and commas as separators.
  private static func tokenize(_ raw: String) -> [String] {
    var cleaned = ""
    var depth = 0
    for character in raw {
      switch character {
      case "(": depth += 1
      case ")" where depth > 0: depth -= 1
      case _ where depth > 0: continue
      case ",": cleaned.append(" ")
      default: cleaned.append(character)
      }
      if character == "(" || character == ")" { cleaned.append(" ") }
    }
    return cleaned.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// "22:31:05" or "22:31" (and the obsolete "22:31:05.123" is not accepted).
  private static func parseClock(_ token: String) -> (hour: Int, minute: Int, second: Int)? {
    let parts = token.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3,
      parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let hour = Int(parts[0]), let minute = Int(parts[1])
    else { return nil }
    let second = parts.count == 3 ? Int(parts[2]) ?? -1 : 0
    guard hour < 24, minute < 60, (0...60).contains(second) else { return nil }
    return (hour, minute, min(second, 59))
  }

  /// "+0100" or "-0530" in seconds east of Greenwich.
  private static func parseOffset(_ token: String) -> Int? {
    let digits = token.dropFirst()
    guard digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else {
      return nil
    }
    let seconds = (value / 100) * 3600 + (value % 100) * 60
    guard value % 100 < 60 else { return nil }
    return token.hasPrefix("-") ? -seconds : seconds
  }

  /// RFC 5322 section 4.3: two digits below 50 are 20xx, otherwise 19xx; three digits add 1900.
  private static func expandYear(_ number: Int, digits: Int) -> Int {
    switch digits {
    case ...2: number < 50 ? 2000 + number : 1900 + number
    case 3: 1900 + number
    default: number
    }
  }
}
