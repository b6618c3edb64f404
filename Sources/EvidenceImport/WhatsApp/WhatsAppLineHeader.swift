import Foundation

/// The order of day, month and year in the dates of a WhatsApp export.
public enum DateOrder: String, Sendable, CaseIterable {
  case dmy, mdy, ymd
}

/// The timestamp at the start of a WhatsApp chat line, as written, before any date order is chosen.
struct WhatsAppLineHeader {
  /// Which app wrote the line.
  enum Style: Equatable {
    /// `28/11/2026, 22:31 - Marko: text`.
    case android
    /// `[28/11/2026, 22:31:05] Marko: text`.
    case iOS
  }

  /// Morning or afternoon in a 12-hour time.
  enum Meridiem: Equatable {
    case am, pm
  }

  var style: Style
  /// The three numbers of the date, in the order written.
  var fields: (Int, Int, Int)
  /// How many digits the first number has (4 means a year first).
  var firstFieldDigits: Int
  var hour: Int
  var minute: Int
  var second: Int
  /// Nil for a 24-hour time.
  var meridiem: Meridiem?
  /// What follows the timestamp: `Marko: text` or a system notice.
  var body: String

  /// Reads the timestamp at the start of `line`, or returns nil when the line does not start with one.
  static func parse(_ line: String) -> WhatsAppLineHeader? {
    var scanner = Scanner(line.unicodeScalars)
    scanner.skip { WhatsAppText.isLineStartMark($0) }
    let bracketed = scanner.take("[")
    guard let first = scanner.number(maxDigits: 4) else { return nil }
    guard let separator = scanner.peek, "/.-".unicodeScalars.contains(separator) else { return nil }
    scanner.advance()
    guard let second = scanner.number(maxDigits: 2), scanner.take(separator) else { return nil }
    guard let third = scanner.number(maxDigits: 4) else { return nil }
    if separator == "." { _ = scanner.take(".") }
    _ = scanner.take(",")
    guard scanner.skipSpaces() > 0 else { return nil }
    guard let hour = scanner.number(maxDigits: 2), scanner.take(":") else { return nil }
    guard let minute = scanner.number(exactDigits: 2) else { return nil }
    var seconds = 0
    if scanner.take(":") {
      guard let value = scanner.number(exactDigits: 2) else { return nil }
      seconds = value
    }
    let meridiem = scanner.meridiem()
    if bracketed {
      guard scanner.take("]"), scanner.take(" ") else { return nil }
    } else {
      guard scanner.take(" "), scanner.take("-") || scanner.take("\u{2013}"), scanner.take(" ") else { return nil }
    }
    return WhatsAppLineHeader(
      style: bracketed ? .iOS : .android, fields: (first.value, second.value, third.value),
      firstFieldDigits: first.digits, hour: hour.value, minute: minute, second: seconds, meridiem: meridiem,
      body: scanner.rest
    )
  }
}

/// A cursor over the Unicode scalars of one line.
private struct Scanner {
  let scalars: String.UnicodeScalarView
  var index: String.UnicodeScalarView.Index

  init(_ scalars: String.UnicodeScalarView) {
    self.scalars = scalars
    self.index = scalars.startIndex
  }

  var peek: Unicode.Scalar? { index < scalars.endIndex ? scalars[index] : nil }

  var rest: String { String(scalars[index...]) }

  mutating func advance() { scalars.formIndex(after: &index) }

  mutating func take(_ scalar: Unicode.Scalar) -> Bool {
    guard peek == scalar else { return false }
    advance()
    return true
  }

  /// Skips scalars while `predicate` holds and returns how many.
  @discardableResult
  mutating func skip(while predicate: (Unicode.Scalar) -> Bool) -> Int {
    var count = 0
    while let scalar = peek, predicate(scalar) {
      advance()
      count += 1
    }
    return count
  }

  /// Skips ordinary and no-break spaces and returns how many.
  mutating func skipSpaces() -> Int {
    skip { WhatsAppText.isSpace($0) }
  }

  mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
    var value = 0
    var digits = 0
    while let scalar = peek, digits < maxDigits, let digit = Self.digit(scalar) {
      value = value * 10 + digit
      digits += 1
      advance()
    }
    if let scalar = peek, Self.digit(scalar) != nil { return nil }
    return digits > 0 ? (value, digits) : nil
  }

  mutating func number(exactDigits: Int) -> Int? {
    guard let result = number(maxDigits: exactDigits), result.digits == exactDigits else { return nil }
    return result.value
  }

  /// Reads ` PM`, ` a.m.`, ` em` and the like (the space may be U+202F or U+00A0, or missing), or nothing.
  mutating func meridiem() -> WhatsAppLineHeader.Meridiem? {
    let start = index
    _ = skipSpaces()
    var letters = ""
    while let scalar = peek, letters.unicodeScalars.count < 4, scalar == "." || scalar.properties.isAlphabetic {
      if scalar != "." { letters.unicodeScalars.append(scalar) }
      advance()
    }
    switch letters.lowercased() {
    case "am", "fm": return .am
    case "pm", "em": return .pm
    default:
      index = start
      return nil
    }
  }

  private static func digit(_ scalar: Unicode.Scalar) -> Int? {
    guard scalar.value >= 0x30, scalar.value <= 0x39 else { return nil }
    return Int(scalar.value - 0x30)
  }
}
