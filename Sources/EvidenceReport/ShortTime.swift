import EvidenceCatalogue
import Foundation

/// Times in the few characters a one-line notice has room for: `2 Dec 21:40` (`2 dec 21:40` in Swedish), or
/// `21:40` within the same day.
public enum ShortTime {
  /// `2 Dec 21:40` in `timeZone`.
  public static func dayAndTime(_ date: Date, timeZone: TimeZone) -> String {
    let parts = components(date, timeZone)
    return "\(parts.day ?? 0) \(monthAbbreviation(parts.month ?? 0)) \(clock(parts))"
  }

  /// Several times, oldest first, the day given for the first and whenever it changes: `2 Dec 01:12, 01:13`.
  public static func list(_ dates: [Date], timeZone: TimeZone) -> String {
    var shown: [String] = []
    var previousDay: DateComponents?
    for date in dates.sorted() {
      let parts = components(date, timeZone)
      let day = DateComponents(year: parts.year, month: parts.month, day: parts.day)
      shown.append(day == previousDay ? clock(parts) : dayAndTime(date, timeZone: timeZone))
      previousDay = day
    }
    return shown.joined(separator: ", ")
  }

  private static func components(_ date: Date, _ timeZone: TimeZone) -> DateComponents {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
  }

  private static func clock(_ parts: DateComponents) -> String {
    twoDigits(parts.hour ?? 0) + ":" + twoDigits(parts.minute ?? 0)
  }

  private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

  private static func monthAbbreviation(_ month: Int) -> String {
    let names = String(.monthAbbreviations).split(separator: " ")
    return names.indices.contains(month - 1) ? String(names[month - 1]) : "?"
  }
}
