import Foundation

// MARK: - Public types

/// How precisely the moment of an incident is known.
public enum TimePrecision: String, Codable, Sendable, CaseIterable {
  /// Known to the second, as in "2026-11-28 22:30:15" or "now".
  case exact
  /// Known to the minute, as in "2026-11-28 22:30".
  case minute
  /// Known to the hour, shown as "2026-11-28 22h".
  case hour
  /// Known to the day, as in "2026-11-28" or "yesterday".
  case day
  /// Known to the month, as in "2026-11".
  case month
  /// Only roughly known; shown like a day with a leading "~".
  case approximate
}

/// A moment read from what a person typed, together with how precisely they know it.
public struct ParsedWhen: Equatable, Sendable {
  /// The first instant of what the phrase names (local midnight for a day, local 1st 00:00 for a month).
  public var start: Date
  /// How precisely the phrase pins down the moment.
  public var precision: TimePrecision
  /// Whether the wall time occurred twice (DST fall-back); if so, the earlier instant was taken.
  public var wasAmbiguous: Bool
  /// Whether the moment lies more than ten years (3,652 days) before now, so that a prompt should ask once
  /// whether the year is right ("Is 1999 right?"); it is accepted either way.
  public var needsConfirmation: Bool = false
}

/// Why a typed moment was not accepted, with a sentence that can be shown to the person as it is.
public struct WhenParseError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The kind of problem, for code that needs to react to it.
  public enum Code: Equatable, Sendable {
    /// The text is not in any of the accepted forms.
    case unrecognised
    /// The local time was skipped when the clocks were put forward.
    case nonexistentLocalTime
    /// The moment lies in the future.
    case inFuture
    /// A number is outside its range, such as month 13, 25 o'clock or the year 1850.
    case outOfRange
  }

  /// The kind of problem.
  public let code: Code
  /// One plain English sentence saying what is wrong and what to type instead, quoting the input.
  public let message: String
  /// The same as `message`.
  public var description: String { message }
}

// MARK: - Parser

/// Reads the moments people type, such as "2026-11-28 22:30", "igår 22:00" or "3 days ago", in Swedish or English.
///
/// Besides ISO dates it reads day-first dates ("28/11", "28/11/2026", "28.11.2026 22:30"), month names in
/// Swedish or English ("30 nov 22:00", "30 november 2026", "Nov 28"), "kl 22" (the hour, today) and
/// "kl. 22.30", and "i förrgår" (two days ago). A date without a year means the last such day that is not
/// after today. A time today that is still to come is refused as in the future, with a hint to type
/// yesterday; it is never moved to yesterday silently. A moment more than ten years back is accepted and
/// marked `needsConfirmation`, so a prompt can ask once whether the year is right.
///
/// A weekday ("måndag", "i måndags", "monday", "last monday") is the last such day before today; today's own
/// name means a week ago. A weekday with a date ("måndag 30 nov") is refused rather than guessed. Parts of a day
/// are approximate and kept as the hour they begin: morning 06 (to 10), afternoon 12 (to 18), evening 18 (to
/// 23), and the night ("i natt", "last night") from 22 the evening before.
///
/// Everything is interpreted in the time zone given at creation, and relative words such as
/// "yesterday" count from the given `now`. The text is read by a small hand-written parser over
/// its words, so the result never depends on the machine's locale or settings.
public struct WhenParser: Sendable {
  /// How far past `now` a moment may lie and still be accepted, to allow for clocks that run a little fast.
  private static let futureTolerance: TimeInterval = 5 * 60
  /// How far back a moment may lie before `ParsedWhen.needsConfirmation` asks for the year to be confirmed.
  private static let farBackInterval: TimeInterval = 3_652 * 86_400
  /// The earliest year the journal accepts.
  private static let earliestYear = 1900

  private let timeZone: TimeZone
  private let now: Date
  private let calendar: Calendar

  /// Creates a parser that reads times in `timeZone` and counts relative words ("yesterday") from `now`.
  public init(timeZone: TimeZone, now: Date) {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    self.timeZone = timeZone
    self.now = now
    self.calendar = calendar
  }

  /// Reads `text` as a moment in the past, or throws an error whose message tells the person what to type instead.
  public func parse(_ text: String) throws(WhenParseError) -> ParsedWhen {
    let input = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let phrase = Phrase.recognise(Self.words(of: input)) else {
      throw Self.unrecognisedError(input)
    }
    let parsed = try resolve(phrase, input: input)
    guard parsed.start <= now.addingTimeInterval(Self.futureTolerance) else {
      throw futureError(for: phrase, input: input)
    }
    var result = parsed
    result.needsConfirmation = parsed.start < now.addingTimeInterval(-Self.farBackInterval)
    return result
  }

  /// Splits the text into lower-case words, joining the Swedish two-word forms "i dag", "i går" and "i förrgår"
  /// into one.
  private static func words(of input: String) -> [String] {
    var words = input.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
    if words.count >= 2, words[0] == "i", words[1] == "dag" || words[1] == "går" || words[1] == "förrgår" {
      words.replaceSubrange(0...1, with: ["i" + words[1]])
    }
    return words
  }

  // MARK: Turning a phrase into an instant

  /// Converts a recognised phrase into the instant it names, checking every number's range on the way.
  private func resolve(_ phrase: Phrase, input: String) throws(WhenParseError) -> ParsedWhen {
    switch phrase {
    case .now:
      return ParsedWhen(start: now, precision: .exact, wasAmbiguous: false)
    case .day(let daysAgo):
      let day = try pastDay(daysAgo: daysAgo, input: input)
      return ParsedWhen(start: startOfDay(day), precision: .day, wasAmbiguous: false)
    case .timeOnDay(let daysAgo, let time):
      try validate(time, input: input)
      let day = try pastDay(daysAgo: daysAgo, input: input)
      return try instant(on: day, at: time, input: input)
    case .date(let date):
      try validate(date, input: input)
      return ParsedWhen(start: startOfDay(date), precision: .day, wasAmbiguous: false)
    case .weekday(let weekday):
      // 1970-01-01 was a Thursday (3 when Monday is 0); today's own name means a week ago, never today.
      let todayWeekday = ((today.daysSinceEpoch + 3) % 7 + 7) % 7
      let daysAgo = (todayWeekday - weekday + 6) % 7 + 1
      let day = try pastDay(daysAgo: daysAgo, input: input)
      return ParsedWhen(start: startOfDay(day), precision: .day, wasAmbiguous: false)
    case .partOfDay(let daysAgo, let hour):
      let day = try pastDay(daysAgo: daysAgo, input: input)
      let wall = WallTime(date: day, hour: hour).secondsSinceEpoch
      guard let first = instants(atWallClock: wall).first else {
        throw nonexistentTimeError(wallClock: wall, input: input)
      }
      return ParsedWhen(
        start: Date(timeIntervalSince1970: TimeInterval(first)), precision: .approximate, wasAmbiguous: false)
    case .yearlessDate(let day, let month, let time):
      var date = LocalDate(year: today.year, month: month, day: day)
      if (month, day) > (today.month, today.day) { date.year -= 1 }
      // A leap day names the last 29 February; a year-less 29/2 in a year without one is still refused below.
      try validate(date, input: input)
      guard let time else { return ParsedWhen(start: startOfDay(date), precision: .day, wasAmbiguous: false) }
      try validate(time, input: input)
      return try instant(on: date, at: time, input: input)
    case .dateTime(let date, let time):
      try validate(date, input: input)
      try validate(time, input: input)
      return try instant(on: date, at: time, input: input)
    case .month(let year, let month):
      let firstDay = LocalDate(year: year, month: month, day: 1)
      try validate(firstDay, input: input)
      return ParsedWhen(start: startOfDay(firstDay), precision: .month, wasAmbiguous: false)
    }
  }

  /// The local calendar date of `now`.
  private var today: LocalDate {
    WallTime(instant: now, timeZone: timeZone).date
  }

  /// The calendar date `daysAgo` days before today, which must not fall before the earliest accepted year.
  private func pastDay(daysAgo: Int, input: String) throws(WhenParseError) -> LocalDate {
    let day = LocalDate(daysSinceEpoch: today.daysSinceEpoch - daysAgo)
    guard day.year >= Self.earliestYear else {
      throw WhenParseError(
        code: .outOfRange,
        message: "\"\(input)\" is too long ago; please type a date from \(Self.earliestYear) onwards."
      )
    }
    return day
  }

  /// The first instant of `date` in the parser's time zone (normally local midnight).
  private func startOfDay(_ date: LocalDate) -> Date {
    // Noon is never skipped by a clock change, so its instant is a safe point inside the day to ask about.
    let noon = WallTime(date: date, hour: 12).secondsSinceEpoch
    let instantNearNoon = noon - offsetFromUTC(atInstant: noon)
    return calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(instantNearNoon)))
  }

  /// The instant at which the local clock showed `time` on `date`, taking the earlier one if it showed it twice.
  private func instant(on date: LocalDate, at time: ClockTime, input: String) throws(WhenParseError) -> ParsedWhen {
    let wall = WallTime(date: date, hour: time.hour, minute: time.minute, second: time.second ?? 0)
    let candidates = instants(atWallClock: wall.secondsSinceEpoch)
    guard let earliest = candidates.first else {
      throw nonexistentTimeError(wallClock: wall.secondsSinceEpoch, input: input)
    }
    return ParsedWhen(
      start: Date(timeIntervalSince1970: TimeInterval(earliest)),
      precision: time.hourOnly ? .hour : time.second == nil ? .minute : .exact,
      wasAmbiguous: candidates.count > 1
    )
  }

  /// All instants (seconds since 1970 UTC, ascending) at which the local clock read `wallClock`.
  ///
  /// There is normally one; none when the clocks jumped over that reading (spring forward),
  /// and two when they went back over it (fall back).
  private func instants(atWallClock wallClock: Int) -> [Int] {
    // Every UTC offset in force within a day either side; time zone offsets never exceed 14 hours.
    let offsets = Set([wallClock - 86_400, wallClock, wallClock + 86_400].map(offsetFromUTC(atInstant:)))
    return
      offsets
      .map { wallClock - $0 }
      .filter { instant in wallClock - instant == offsetFromUTC(atInstant: instant) }
      .sorted()
  }

  /// The time zone's offset from UTC, in seconds, at an instant given as seconds since 1970 UTC.
  private func offsetFromUTC(atInstant instant: Int) -> Int {
    timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
  }

  /// Finds the clock change that skipped `wallClock`, as the local clock readings it jumped from and to.
  private func skippedInterval(around wallClock: Int) -> (from: Int, to: Int)? {
    let offsetBefore = offsetFromUTC(atInstant: wallClock - 86_400)
    let offsetAfter = offsetFromUTC(atInstant: wallClock + 86_400)
    // The skipped reading lies between the change's instant seen with the old offset and with the new one.
    var beforeChange = wallClock - offsetAfter
    var afterChange = wallClock - offsetBefore
    guard offsetAfter > offsetBefore,
      offsetFromUTC(atInstant: beforeChange) == offsetBefore,
      offsetFromUTC(atInstant: afterChange) == offsetAfter
    else { return nil }
    while afterChange - beforeChange > 1 {
      let middle = beforeChange + (afterChange - beforeChange) / 2
      if offsetFromUTC(atInstant: middle) == offsetBefore {
        beforeChange = middle
      } else {
        afterChange = middle
      }
    }
    return (from: afterChange + offsetBefore, to: afterChange + offsetAfter)
  }

  // MARK: Range checks

  /// Checks that the year is accepted, the month exists and the day exists in that month.
  private func validate(_ date: LocalDate, input: String) throws(WhenParseError) {
    let latestYear = today.year
    guard (Self.earliestYear...latestYear).contains(date.year) else {
      throw WhenParseError(
        code: .outOfRange,
        message: "\"\(input)\" has the year \(date.year), but only years from \(Self.earliestYear) "
          + "to \(latestYear) can be recorded; please check the year."
      )
    }
    guard (1...12).contains(date.month) else {
      throw WhenParseError(
        code: .outOfRange,
        message: "\"\(input)\" has month \(date.month), but months go from 01 to 12; please check the month."
      )
    }
    let daysInMonth = LocalDate.daysInMonth(year: date.year, month: date.month)
    guard (1...daysInMonth).contains(date.day) else {
      let monthName = LocalDate.englishMonthNames[date.month - 1]
      throw WhenParseError(
        code: .outOfRange,
        message: "\"\(input)\" is not a real date, because \(monthName) \(date.year) only has days "
          + "1 to \(daysInMonth); please check the day."
      )
    }
  }

  /// Checks that the hour is 0–23 and the minute and second are 0–59.
  private func validate(_ time: ClockTime, input: String) throws(WhenParseError) {
    let secondIsValid = time.second.map { (0...59).contains($0) } ?? true
    guard (0...23).contains(time.hour), (0...59).contains(time.minute), secondIsValid else {
      throw WhenParseError(
        code: .outOfRange,
        message: "\"\(input)\" is not a real time of day; please use hours 00 to 23 and minutes "
          + "00 to 59, like 22:30."
      )
    }
  }

  // MARK: Error sentences

  /// The error for text in none of the accepted forms, listing those forms.
  private static func unrecognisedError(_ input: String) -> WhenParseError {
    let examples = "2026-11-28 22:30, 2026-11-28, 2026-11, 22:30, yesterday 22:00, igår 22:00 or 3 days ago"
    let message =
      input.isEmpty
      ? "Nothing was typed for when it happened. Try \(examples)."
      : "Could not understand \"\(input)\" as a date. Try \(examples)."
    return WhenParseError(code: .unrecognised, message: message)
  }

  /// The error for a local time skipped by the clocks going forward, naming the actual jump.
  private func nonexistentTimeError(wallClock: Int, input: String) -> WhenParseError {
    guard let jump = skippedInterval(around: wallClock) else {
      return WhenParseError(
        code: .nonexistentLocalTime,
        message: "The time \"\(input)\" never happened, because the clocks were put forward then; "
          + "please type a slightly earlier or later time."
      )
    }
    let from = WallTime(secondsSinceEpoch: jump.from).clockText
    let to = WallTime(secondsSinceEpoch: jump.to).clockText
    let lastMinuteBefore = WallTime(secondsSinceEpoch: jump.from - 60).clockText
    return WhenParseError(
      code: .nonexistentLocalTime,
      message: "The time \"\(input)\" never happened, because the clocks jumped from \(from) to \(to) "
        + "that night; please type \(lastMinuteBefore) or \(to) or later instead."
    )
  }

  /// The error for a moment that lies in the future, suggesting "yesterday" for a bare time of day.
  private func futureError(for phrase: Phrase, input: String) -> WhenParseError {
    let nowText = WhenFormatter.string(start: now, precision: .minute, approximate: false, timeZone: timeZone)
    if case .timeOnDay(daysAgo: 0, let time) = phrase {
      return WhenParseError(
        code: .inFuture,
        message: "\"\(input)\" has not happened yet today (it is now \(nowText)); if you mean "
          + "yesterday, type \"yesterday \(time.text)\" or \"igår \(time.text)\"."
      )
    }
    return WhenParseError(
      code: .inFuture,
      message: "\"\(input)\" is in the future (it is now \(nowText)); please type when it already happened."
    )
  }
}

// MARK: - Recognising phrases

/// The shape of a recognised phrase, with its numbers not yet range-checked.
private enum Phrase {
  /// "now", "nu".
  case now
  /// A whole day counted back from today: "today", "igår", "3 days ago", "för 2 veckor sedan".
  case day(daysAgo: Int)
  /// A time of day on a day counted back from today: "22:30", "kl 22:30", "yesterday 22:00".
  case timeOnDay(daysAgo: Int, ClockTime)
  /// A calendar date: "2026-11-28".
  case date(LocalDate)
  /// A calendar date and time: "2026-11-28 22:30", "2026-11-28T22:30:15".
  case dateTime(LocalDate, ClockTime)
  /// The last such weekday before today, 0 for Monday to 6 for Sunday: "måndag", "i måndags", "last monday".
  case weekday(Int)
  /// A part of a day counted back from today, from its first hour, only roughly known: "igår kväll", "i natt".
  case partOfDay(daysAgo: Int, fromHour: Int)
  /// A day and month without a year, perhaps with a time: "28/11", "30 nov 22:00", "Nov 28". It means the last
  /// such day that is not after today: this year's, or last year's when this year's is still to come.
  case yearlessDate(day: Int, month: Int, ClockTime?)
  /// A calendar month: "2026-11".
  case month(year: Int, month: Int)

  /// Words naming a day relative to today, with how many days back they are.
  private static let namedDays = ["today": 0, "idag": 0, "yesterday": 1, "igår": 1, "iförrgår": 2]
  /// Parts of a day, with the day they fall on and the hour they are taken to begin. Each is kept as that hour,
  /// approximate: morning 06–10, afternoon 12–18, evening 18–23, and the night 22–06 that ended this morning
  /// ("i natt", "last night": from 22:00 yesterday).
  private static let partsOfDay: [String: (daysAgo: Int, fromHour: Int)] = [
    "i morse": (0, 6), "imorse": (0, 6), "this morning": (0, 6), "igår morse": (1, 6), "igår morgon": (1, 6),
    "yesterday morning": (1, 6),
    "i eftermiddag": (0, 12), "this afternoon": (0, 12), "igår eftermiddag": (1, 12),
    "yesterday afternoon": (1, 12),
    "i kväll": (0, 18), "ikväll": (0, 18), "this evening": (0, 18), "igår kväll": (1, 18),
    "yesterday evening": (1, 18),
    "i natt": (1, 22), "inatt": (1, 22), "last night": (1, 22),
  ]
  /// Weekday names, Monday first, in English and Swedish, with the Swedish "i måndags" form.
  private static let weekdayNames: [String: Int] = {
    let english = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    let swedish = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
    var names: [String: Int] = [:]
    for day in 0..<7 {
      names[english[day]] = day
      names[swedish[day]] = day
      names["i " + swedish[day] + "s"] = day
      names["last " + english[day]] = day
      names["förra " + swedish[day] + "en"] = day
    }
    return names
  }()

  /// "måndag", "i måndags", "monday", "last monday": the last such day before today.
  private static func weekday(_ words: [String]) -> Int? {
    weekdayNames[words.joined(separator: " ")]
  }

  /// Month names and their usual short forms, in English and Swedish, lower case.
  private static let monthNames: [String: Int] = {
    var names: [String: Int] = [:]
    let long = [
      ["january", "januari"], ["february", "februari"], ["march", "mars"], ["april"], ["may", "maj"],
      ["june", "juni"], ["july", "juli"], ["august", "augusti"], ["september"], ["october", "oktober"],
      ["november"], ["december"],
    ]
    let short = [
      ["jan"], ["feb"], ["mar"], ["apr"], [], ["jun"], ["jul"], ["aug"], ["sep", "sept"], ["oct", "okt"], ["nov"],
      ["dec"],
    ]
    for month in 0..<12 {
      for name in long[month] + short[month] { names[name] = month + 1 }
      for name in short[month] { names[name + "."] = month + 1 }
    }
    return names
  }()
  /// English units for "… ago", in days.
  private static let englishUnits = ["day": 1, "days": 1, "week": 7, "weeks": 7]
  /// Swedish units for "… sedan", in days.
  private static let swedishUnits = ["dag": 1, "dagar": 1, "vecka": 7, "veckor": 7]
  /// The largest count accepted in "N days ago"; anything larger is far before 1900 anyway.
  private static let largestCount = 10_000_000

  /// Recognises the lower-cased words of a phrase, or returns nil if they are in no accepted form.
  static func recognise(_ words: [String]) -> Phrase? {
    if words == ["now"] || words == ["nu"] {
      return .now
    }
    if let part = partsOfDay[words.joined(separator: " ")] {
      return .partOfDay(daysAgo: part.daysAgo, fromHour: part.fromHour)
    }
    if let weekday = weekday(words) { return .weekday(weekday) }
    return namedDay(words) ?? timeToday(words) ?? countedBack(words) ?? calendarDate(words)
      ?? dayMonthDate(words) ?? namedMonthDate(words)
  }

  /// "28/11", "28/11/2026", "28.11.2026", each perhaps followed by a time ("28/11 22:30", "28.11.2026 kl 22").
  ///
  /// Day first, as in Sweden and most of Europe. A day and month with dots and no year ("28.11") is not read,
  /// since it looks like a time.
  private static func dayMonthDate(_ words: [String]) -> Phrase? {
    guard let first = words.first else { return nil }
    let rest = words.dropFirst()
    let time = ClockTime(words: rest)
    guard rest.isEmpty || time != nil else { return nil }
    let slashed = first.split(separator: "/", omittingEmptySubsequences: false)
    let dotted = first.split(separator: ".", omittingEmptySubsequences: false)
    let parts = slashed.count > 1 ? slashed : dotted
    guard parts.count == 2 && slashed.count == 2 || parts.count == 3,
      let day = digits(parts[0], count: 1...2), let month = digits(parts[1], count: 1...2)
    else { return nil }
    if parts.count == 2 { return .yearlessDate(day: day, month: month, time) }
    guard let year = digits(parts[2], count: 4...4) else { return nil }
    let date = LocalDate(year: year, month: month, day: day)
    return time.map { .dateTime(date, $0) } ?? .date(date)
  }

  /// "30 nov", "30 november 2026", "28 Nov", "Nov 28", "nov 28 2026", each perhaps followed by a time.
  private static func namedMonthDate(_ words: [String]) -> Phrase? {
    guard words.count >= 2 else { return nil }
    let day: Int
    let month: Int
    if let number = digits(words[0].hasSuffix(".") ? String(words[0].dropLast()) : words[0], count: 1...2),
      let named = monthNames[words[1]]
    {
      (day, month) = (number, named)
    } else if let named = monthNames[words[0]], let number = digits(words[1], count: 1...2) {
      (day, month) = (number, named)
    } else {
      return nil
    }
    var rest = words.dropFirst(2)
    var year: Int?
    if let first = rest.first, let number = digits(first, count: 4...4) {
      year = number
      rest = rest.dropFirst()
    }
    let time = ClockTime(words: rest)
    guard rest.isEmpty || time != nil else { return nil }
    guard let year else { return .yearlessDate(day: day, month: month, time) }
    let date = LocalDate(year: year, month: month, day: day)
    return time.map { .dateTime(date, $0) } ?? .date(date)
  }

  /// "today", "idag", "yesterday", "igår", optionally followed by a time ("igår kl 22:00").
  private static func namedDay(_ words: [String]) -> Phrase? {
    guard let first = words.first, let daysAgo = namedDays[first] else { return nil }
    let rest = words.dropFirst()
    if rest.isEmpty {
      return .day(daysAgo: daysAgo)
    }
    return ClockTime(words: rest).map { .timeOnDay(daysAgo: daysAgo, $0) }
  }

  /// "22:30", "kl 22:30" or "kl. 22:30", meaning that time today.
  private static func timeToday(_ words: [String]) -> Phrase? {
    ClockTime(words: words[...]).map { .timeOnDay(daysAgo: 0, $0) }
  }

  /// "3 days ago", "2 weeks ago", "för 3 dagar sedan", "3 dagar sedan" (or the colloquial "sen").
  private static func countedBack(_ words: [String]) -> Phrase? {
    var words = words[...]
    let units: [String: Int]
    switch words.last {
    case "ago"?:
      units = englishUnits
    case "sedan"?, "sen"?:
      units = swedishUnits
      if words.first == "för" {
        words = words.dropFirst()
      }
    default:
      return nil
    }
    let countAndUnit = Array(words.dropLast())
    guard countAndUnit.count == 2,
      let count = wholeNumber(countAndUnit[0]),
      let daysPerUnit = units[countAndUnit[1]]
    else { return nil }
    return .day(daysAgo: min(count, largestCount) * daysPerUnit)
  }

  /// "2026-11-28", "2026-11-28 22:30", "2026-11-28t22:30", "2026-11-28 kl 22:30" or "2026-11".
  private static func calendarDate(_ words: [String]) -> Phrase? {
    var words = words
    // The ISO form joins date and time with a "T", already lower-cased here.
    if words.count == 1 {
      let halves = words[0].split(separator: "t", omittingEmptySubsequences: false)
      if halves.count == 2 {
        words = halves.map(String.init)
      }
    }
    guard let first = words.first else { return nil }
    let rest = words.dropFirst()
    if let date = LocalDate(text: first) {
      if rest.isEmpty {
        return .date(date)
      }
      return ClockTime(words: rest).map { .dateTime(date, $0) }
    }
    let parts = first.split(separator: "-", omittingEmptySubsequences: false)
    guard rest.isEmpty, parts.count == 2,
      let year = digits(parts[0], count: 4...4),
      let month = digits(parts[1], count: 1...2)
    else { return nil }
    return .month(year: year, month: month)
  }
}

/// The value of `text` if it consists of only ASCII digits, with a length in `count`.
private func digits<S: StringProtocol>(_ text: S, count: ClosedRange<Int>) -> Int? {
  guard count.contains(text.count), text.allSatisfy(isASCIIDigit) else { return nil }
  return Int(text)
}

/// The value of `text` if it consists of only ASCII digits, saturating at `Int.max` for huge numbers.
private func wholeNumber(_ text: String) -> Int? {
  guard !text.isEmpty, text.allSatisfy(isASCIIDigit) else { return nil }
  return Int(text) ?? Int.max
}

/// Whether `character` is one of the ASCII digits 0–9 (and not, say, an Arabic-Indic digit).
private func isASCIIDigit(_ character: Character) -> Bool {
  character.isASCII && character.isWholeNumber
}

/// A time of day as typed, with its numbers not yet range-checked.
private struct ClockTime {
  var hour: Int
  var minute: Int
  /// The second, if one was typed; its presence makes the precision exact.
  var second: Int?
  /// Whether only the hour was typed ("kl 22"), which makes the precision an hour.
  var hourOnly = false

  /// Reads "22:30", "9:05" or "22:30:15", optionally preceded by the word "kl" or "kl."; after "kl" also the
  /// Swedish "22.30" and a bare hour, "kl 22" (22:00, known to the minute as typed).
  init?(words: ArraySlice<String>) {
    var words = words
    let afterKl = words.first == "kl" || words.first == "kl."
    if afterKl {
      words = words.dropFirst()
    }
    guard words.count == 1, let text = words.first else { return nil }
    if afterKl, let hour = digits(text, count: 1...2) {
      self.hour = hour
      self.minute = 0
      self.hourOnly = true
      return
    }
    let separator: Character = afterKl && !text.contains(":") ? "." : ":"
    let parts = text.split(separator: separator, omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3,
      let hour = digits(parts[0], count: 1...2),
      let minute = digits(parts[1], count: 2...2)
    else { return nil }
    self.hour = hour
    self.minute = minute
    if parts.count == 3 {
      guard let second = digits(parts[2], count: 2...2) else { return nil }
      self.second = second
    }
  }

  /// The time written back as "22:30" or "22:30:15".
  var text: String {
    let minuteText = "\(twoDigits(hour)):\(twoDigits(minute))"
    return second.map { "\(minuteText):\(twoDigits($0))" } ?? minuteText
  }
}

// MARK: - Wall-clock arithmetic

/// A calendar date on the proleptic Gregorian calendar, with no time zone attached.
private struct LocalDate {
  var year: Int
  var month: Int
  var day: Int

  /// English month names, used in error sentences.
  static let englishMonthNames = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ]

  init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Reads "2026-11-28" (a four-digit year, then a one- or two-digit month and day), without range checks.
  init?(text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3,
      let year = digits(parts[0], count: 4...4),
      let month = digits(parts[1], count: 1...2),
      let day = digits(parts[2], count: 1...2)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// The date that lies `days` days after 1970-01-01.
  ///
  /// Uses Howard Hinnant's `civil_from_days` algorithm (https://howardhinnant.github.io/date_algorithms.html).
  init(daysSinceEpoch days: Int) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// The number of days from 1970-01-01 to this date (negative before it).
  ///
  /// Uses Howard Hinnant's `days_from_civil` algorithm, the inverse of `init(daysSinceEpoch:)`.
  var daysSinceEpoch: Int {
    let marchBasedYear = month <= 2 ? year - 1 : year
    let era = (marchBasedYear >= 0 ? marchBasedYear : marchBasedYear - 399) / 400
    let yearOfEra = marchBasedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The number of days in `month` of `year`, counting 29 for February in leap years.
  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2:
      let isLeapYear = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
      return isLeapYear ? 29 : 28
    case 4, 6, 9, 11:
      return 30
    default:
      return 31
    }
  }

  /// The date written as "2026-11-28".
  var text: String {
    "\(fourDigits(year))-\(twoDigits(month))-\(twoDigits(day))"
  }
}

/// A reading of a calendar and a wall clock, such as 2026-11-28 22:30:15, with no time zone attached.
private struct WallTime {
  var date: LocalDate
  var hour: Int
  var minute: Int
  var second: Int

  init(date: LocalDate, hour: Int, minute: Int = 0, second: Int = 0) {
    self.date = date
    self.hour = hour
    self.minute = minute
    self.second = second
  }

  /// The reading that lies `seconds` seconds after 1970-01-01 00:00:00 on the same clock.
  init(secondsSinceEpoch seconds: Int) {
    var (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
    if secondOfDay < 0 {
      days -= 1
      secondOfDay += 86_400
    }
    self.init(
      date: LocalDate(daysSinceEpoch: days),
      hour: secondOfDay / 3_600,
      minute: secondOfDay % 3_600 / 60,
      second: secondOfDay % 60
    )
  }

  /// What a clock in `timeZone` showed at `instant`, ignoring fractions of a second.
  init(instant: Date, timeZone: TimeZone) {
    let utcSeconds = Int(instant.timeIntervalSince1970.rounded(.down))
    self.init(secondsSinceEpoch: utcSeconds + timeZone.secondsFromGMT(for: instant))
  }

  /// Seconds from 1970-01-01 00:00:00 on the same clock to this reading.
  var secondsSinceEpoch: Int {
    date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second
  }

  /// The time of day written as "22:30".
  var clockText: String {
    "\(twoDigits(hour)):\(twoDigits(minute))"
  }
}

/// `value` written with at least two digits, as in "07".
private func twoDigits(_ value: Int) -> String {
  value < 10 && value >= 0 ? "0\(value)" : "\(value)"
}

/// `value` written with at least four digits, as in "0999".
private func fourDigits(_ value: Int) -> String {
  guard value >= 0 else { return "\(value)" }
  let text = "\(value)"
  return String(repeating: "0", count: max(0, 4 - text.count)) + text
}

// MARK: - Formatting

/// Writes stored moments as text: for people in local time, and for storage as RFC 3339 UTC.
public enum WhenFormatter {
  /// Local-time text for a stored moment: exact "2026-11-28 22:30:15", minute "2026-11-28 22:30", hour "2026-11-28 22h", day "2026-11-28", month "2026-11", approximate (precision .approximate) like day but prefixed "~"; when `approximate` is true prefix "~" too.
  public static func string(start: Date, precision: TimePrecision, approximate: Bool, timeZone: TimeZone) -> String {
    let wall = WallTime(instant: start, timeZone: timeZone)
    let date = wall.date.text
    let text: String
    switch precision {
    case .exact:
      text = "\(date) \(wall.clockText):\(twoDigits(wall.second))"
    case .minute:
      text = "\(date) \(wall.clockText)"
    case .hour:
      text = "\(date) \(twoDigits(wall.hour))h"
    case .day, .approximate:
      text = date
    case .month:
      text = "\(fourDigits(wall.date.year))-\(twoDigits(wall.date.month))"
    }
    return approximate || precision == .approximate ? "~" + text : text
  }

  /// RFC 3339 UTC with seconds, e.g. "2026-11-28T21:30:00Z" (used to store instants).
  ///
  /// Fractions of a second are dropped, rounding towards the past.
  public static func rfc3339UTC(_ date: Date) -> String {
    let wall = WallTime(secondsSinceEpoch: Int(date.timeIntervalSince1970.rounded(.down)))
    return "\(wall.date.text)T\(wall.clockText):\(twoDigits(wall.second))Z"
  }

  /// Reads text of exactly the shape `rfc3339UTC` writes ("2026-11-28T21:30:00Z"), returning nil for anything else.
  public static func parseRFC3339UTC(_ text: String) -> Date? {
    let characters = Array(text)
    let separators: [Int: Character] = [4: "-", 7: "-", 10: "T", 13: ":", 16: ":", 19: "Z"]
    guard characters.count == 20 else { return nil }
    for (index, character) in characters.enumerated() {
      let isExpected = separators[index].map { $0 == character } ?? isASCIIDigit(character)
      guard isExpected else { return nil }
    }
    /// The number written in `characters[range]`, which has already been checked to be digits.
    func number(_ range: Range<Int>) -> Int? {
      Int(String(characters[range]))
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      (1...12).contains(month),
      (1...LocalDate.daysInMonth(year: year, month: month)).contains(day),
      (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
    else { return nil }
    let wall = WallTime(
      date: LocalDate(year: year, month: month, day: day),
      hour: hour,
      minute: minute,
      second: second
    )
    return Date(timeIntervalSince1970: TimeInterval(wall.secondsSinceEpoch))
  }
}
