import Foundation

/// The attributes of one element of an export, decoded on demand, with what errors need to say where they are.
struct SMSBackupFields {
  /// The export's file name, for errors.
  let file: String
  /// Where the message is ("<sms> 34"), for errors and for `ImportedMessage.position`.
  let position: String
  /// How errors name the element the attribute belongs to: "its" for the message itself, "a part's" for a part.
  let owner: String
  /// The attributes in file order (the scanner has rejected any given twice).
  private let attributes: [XMLAttribute]
  /// The attributes by name, only for an element with many: a message has a dozen or two, found faster in order.
  private let byName: [String: XMLAttribute.Value]?
  /// Notes on characters that had to be replaced, as "body: a lone UTF-16 surrogate …".
  private(set) var repairs: [String] = []

  init(file: String, position: String, owner: String = "its", attributes: [XMLAttribute]) {
    self.file = file
    self.position = position
    self.owner = owner
    self.attributes = attributes
    byName =
      attributes.count > 32
      ? Dictionary(attributes.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }) : nil
  }

  /// The literal that phones write for "no value".
  private static let null = Array("null".utf8)

  private func value(_ name: String) -> XMLAttribute.Value? {
    if let byName { return byName[name] }
    for attribute in attributes where attribute.name == name { return attribute.value }
    return nil
  }

  /// The decoded text of an attribute; nil when it is missing or the literal "null".
  mutating func text(_ name: String) throws -> String? {
    try text(name, of: value(name))
  }

  private mutating func text(_ name: String, of value: XMLAttribute.Value?) throws -> String? {
    guard case .raw(let raw)? = value else { return nil }
    if raw == Self.null { return nil }
    let decoded: (text: String, repairs: [String])
    do {
      decoded = try XMLValueDecoder.decode(raw)
    } catch XMLValueError.unknownEntity {
      // The entity is part of the value (perhaps of the message's text), so it is not quoted.
      throw fail("has an \"&\" that starts no XML entity in \(owner) \(name)")
    }
    repairs += decoded.repairs.map { "\(name): \($0)" }
    return decoded.text
  }

  /// Like `text`, but an empty value is also nil.
  mutating func nonEmptyText(_ name: String) throws -> String? {
    guard let value = try text(name), !value.isEmpty else { return nil }
    return value
  }

  /// A contact name; "(Unknown)", empty and "null" mean the phone knew no name.
  mutating func contactName(_ name: String = "contact_name") throws -> String? {
    guard let value = try nonEmptyText(name), value != "(Unknown)" else { return nil }
    return value
  }

  /// An attribute that must be a whole number when present.
  mutating func integer(_ name: String, meaning: @autoclosure () -> String) throws -> Int64? {
    guard let value = try nonEmptyText(name) else { return nil }
    guard let number = Int64(value) else {
      let shown = value.count > 24 ? "\(value.prefix(24))…" : value
      throw fail("has \(meaning()) that is not a number (“\(shown)”)")
    }
    return number
  }

  /// A time in milliseconds since 1970; nil when absent or 0 (which phones write for "unknown").
  mutating func milliseconds(_ name: String) throws -> SourceTime? {
    guard let value = try integer(name, meaning: "a \(name)"), value > 0 else { return nil }
    guard let instant = SourceTimeRange.instant(milliseconds: value) else {
      throw fail("has a \(name) of \(value) milliseconds, not a time between 1970 and 9999")
    }
    return SourceTime(instant: instant)
  }

  /// A base64 value decoded while streaming: nil when absent, bytes when valid; throws when not base64.
  func bytes(_ name: String, noun: String) throws -> [UInt8]? {
    guard let value = value(name) else { return nil }
    switch value {
    case .decoded(_, absent: true):
      return nil
    case .decoded(let bytes?, absent: false):
      return bytes
    case .decoded(nil, absent: false):
      throw fail("has \(noun) whose data is not valid base64")
    case .raw(let raw):
      if raw.isEmpty || raw == Self.null { return nil }
      var decoder = Base64StreamDecoder()
      decoder.feed(raw[...])
      guard let bytes = decoder.finish() else { throw fail("has \(noun) whose data is not valid base64") }
      return bytes
    }
  }

  /// Every attribute not in `used`, verbatim (entities resolved), leaving out the literal "null".
  mutating func details(excluding used: Set<String>) throws -> [String: String] {
    var details: [String: String] = [:]
    for attribute in attributes where !used.contains(attribute.name) {
      if let value = try text(attribute.name, of: attribute.value) { details[attribute.name] = value }
    }
    return details
  }

  /// An ImportError at this element: "<sms> 3 has a date that is not a number (“x”)."
  func fail(_ predicate: String) -> ImportError {
    ImportError(file: file, position: position, message: "\(position) \(predicate).")
  }
}
