import Foundation

/// Choosing the date order of an export and turning its local wall-clock times into instants.
enum WhatsAppDates {
  /// The order the dates of a whole file are read in, and whether the file itself settled it.
  struct Inference: Equatable {
    var order: DateOrder
    var assumed: Bool
  }

  /// A date and time as the phone's clock showed it.
  struct LocalTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
  }

  /// Why a date order could not be chosen: two lines that contradict each other.
  struct Conflict: Error, Equatable {
    var dayFirstLine: Int
    var monthFirstLine: Int
  }

  /// Infers the date order from every timestamp in the file (line numbers with their headers).
  ///
  /// A year of four digits first means ymd; a first number over 12 means dmy; a second number over 12 means mdy.
  /// When nothing settles it, 24-hour files are taken as dmy and 12-hour files as mdy, and the result is marked
  /// as assumed.
  static func infer(_ headers: [(line: Int, header: WhatsAppLineHeader)]) throws(Conflict) -> Inference {
    var dayFirst: Int?
    var monthFirst: Int?
    var twelveHour = false
    for (line, header) in headers {
      if header.firstFieldDigits == 4 { return Inference(order: .ymd, assumed: false) }
      if header.meridiem != nil { twelveHour = true }
      if header.fields.0 > 12, dayFirst == nil { dayFirst = line }
      if header.fields.1 > 12, monthFirst == nil { monthFirst = line }
    }
    switch (dayFirst, monthFirst) {
    case (let day?, let month?): throw Conflict(dayFirstLine: day, monthFirstLine: month)
    case (.some, nil): return Inference(order: .dmy, assumed: false)
    case (nil, .some): return Inference(order: .mdy, assumed: false)
    case (nil, nil): return Inference(order: twelveHour ? .mdy : .dmy, assumed: true)
    }
  }

  /// The local time a header gives under `order`, or nil when no such date or time exists.
  static func localTime(_ header: WhatsAppLineHeader, order: DateOrder) -> LocalTime? {
    let (first, second, third) = header.fields
    let (year, month, day): (Int, Int, Int) =
      switch order {
      case .dmy: (third, second, first)
      case .mdy: (third, first, second)
      case .ymd: (first, second, third)
      }
    let fullYear = year < 100 ? 2000 + year : year
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: fullYear) else { return nil }
    var hour = header.hour
    switch header.meridiem {
    case nil:
      guard (0...23).contains(hour) else { return nil }
    case .am?:
      guard (1...12).contains(hour) else { return nil }
      if hour == 12 { hour = 0 }
    case .pm?:
      guard (1...12).contains(hour) else { return nil }
      if hour != 12 { hour += 12 }
    }
    guard (0...59).contains(header.minute), (0...59).contains(header.second) else { return nil }
    return LocalTime(year: fullYear, month: month, day: day, hour: hour, minute: header.minute, second: header.second)
  }

  /// The instant of a local time in `timeZone`, keeping file order across the autumn DST hour.
  ///
  /// A time that happened twice (the autumn hour) takes the first reading unless `previous` is already after it,
  /// then the second; a time that never happened (the spring gap) is read with the offset in force just before
  /// the gap, as if the clock had moved forward (02:30 becomes 03:30 summer time). Both are marked ambiguous.
  static func instant(of local: LocalTime, in timeZone: TimeZone, after previous: Date?) -> SourceTime {
    let wall = floatingSeconds(local)
    let offsets = Set(
      [-86_400.0, 0, 86_400].map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall + $0)) })
    let readings =
      offsets
      .map { Date(timeIntervalSince1970: wall - Double($0)) }
      .filter { timeZone.secondsFromGMT(for: $0) == Int(wall - $0.timeIntervalSince1970) }
      .sorted()
    switch readings.count {
    case 1:
      return SourceTime(instant: readings[0])
    case 0:
      let before = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: wall - 86_400))
      return SourceTime(instant: Date(timeIntervalSince1970: wall - Double(before)), isAmbiguous: true)
    default:
      let first = readings[0]
      let second = readings[1]
      if let previous, previous > first { return SourceTime(instant: second, isAmbiguous: true) }
      return SourceTime(instant: first, isAmbiguous: true)
    }
  }

  /// The wall-clock time as seconds since 1970 as if it were UTC.
  private static func floatingSeconds(_ local: LocalTime) -> Double {
    let days = daysFromCivil(year: local.year, month: local.month, day: local.day)
    return Double(days * 86_400 + local.hour * 3_600 + local.minute * 60 + local.second)
  }

  /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
