/// Writes records as canonical JSON directly, byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` produces for them, at a fraction of its cost (an import writes one record per message).
///
/// What `JSONEncoder` does, and so what this does:
/// - object keys sorted by their UTF-8 bytes; here the fixed keys are written in that order by hand, and
///   `details` (whose keys come from the source) is sorted at run time;
/// - optional fields that are nil left out (never `null`);
/// - in strings, `"` and `\` escaped with a backslash; U+0008, U+000C, U+000A, U+000D and U+0009 as `\b`, `\f`,
///   `\n`, `\r`, `\t`; the other control characters below U+0020 as `\u00xx` (lowercase hex); everything else,
///   `/`, DEL and all non-ASCII characters included, as its own UTF-8 bytes;
/// - integers in decimal, booleans as `true` / `false`, no whitespace anywhere.
///
/// `RecordCodecTests` checks all of this against `JSONEncoder` on many varied and random records.
struct CanonicalJSONWriter {
  private(set) var bytes: [UInt8] = []
  /// True right after `{` or `[`: the next key or element needs no comma before it.
  private var atContainerStart = true

  init(reservingCapacity capacity: Int = 512) {
    bytes.reserveCapacity(capacity)
  }

  // MARK: Containers

  mutating func beginObject() {
    separate()
    bytes.append(UInt8(ascii: "{"))
    atContainerStart = true
  }

  mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    atContainerStart = false
  }

  mutating func beginArray() {
    separate()
    bytes.append(UInt8(ascii: "["))
    atContainerStart = true
  }

  mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    atContainerStart = false
  }

  /// Writes `"name":`; the value written next belongs to it. Keys must come in ascending UTF-8 order.
  mutating func key(_ name: StaticString) {
    separate()
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
    atContainerStart = true  // the value that follows takes no comma
  }

  /// Writes `"name":"value"` when there is a value, and nothing when there is none (optional keys are absent).
  mutating func field(_ name: StaticString, _ value: String?) {
    guard let value else { return }
    key(name)
    string(value)
  }

  /// Writes a key that is not known in advance (the keys of `details`), escaped like any string.
  mutating func key(_ name: String) {
    string(name)
    bytes.append(UInt8(ascii: ":"))
    atContainerStart = true
  }

  private mutating func separate() {
    if atContainerStart {
      atContainerStart = false
    } else {
      bytes.append(UInt8(ascii: ","))
    }
  }

  // MARK: Values

  mutating func string(_ value: String) {
    separate()
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { appendEscaped($0) }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func bool(_ value: Bool) {
    separate()
    if value {
      bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
    } else {
      bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
    }
  }

  mutating func integer(_ value: Int64) {
    separate()
    bytes.append(contentsOf: String(value).utf8)
  }

  mutating func strings(_ values: [String]) {
    beginArray()
    for value in values { string(value) }
    endArray()
  }

  /// A `[String: String]` as an object with its keys in ascending UTF-8 order.
  mutating func stringDictionary(_ values: [String: String]) {
    beginObject()
    if values.count == 1, let (key, value) = values.first {
      self.key(key)
      string(value)
    } else if !values.isEmpty {
      for (key, value) in values.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
        self.key(key)
        string(value)
      }
    }
    endObject()
  }

  /// The string's UTF-8 with JSON's escapes; runs of bytes that need none are copied at once.
  private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
    var runStart = 0
    for offset in 0..<utf8.count {
      let byte = utf8[offset]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      if offset > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset])) }
      runStart = offset + 1
      bytes.append(UInt8(ascii: "\\"))
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
      case 0x08: bytes.append(UInt8(ascii: "b"))
      case 0x0C: bytes.append(UInt8(ascii: "f"))
      case 0x0A: bytes.append(UInt8(ascii: "n"))
      case 0x0D: bytes.append(UInt8(ascii: "r"))
      case 0x09: bytes.append(UInt8(ascii: "t"))
      default:
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      }
    }
    if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
  }
}

// MARK: - Records

extension CanonicalJSONWriter {
  /// The fields every record carries, written at their places among the record's own sorted keys.
  private enum StampField {
    case id, recordedAt, salt, type
  }

  private mutating func stamp(_ field: StampField, of stamp: RecordStamp, type: StaticString) {
    switch field {
    case .id:
      key("id")
      string(stamp.id)
    case .recordedAt:
      key("recordedAt")
      string(stamp.recordedAt)
    case .salt:
      key("salt")
      string(stamp.salt)
    case .type:
      key("type")
      separate()
      bytes.append(UInt8(ascii: "\""))
      type.withUTF8Buffer { bytes.append(contentsOf: $0) }
      bytes.append(UInt8(ascii: "\""))
    }
  }

  /// Keys: attachments, channel, details, direction, entry, from, id, provenance, recordedAt, salt, sentAt,
  /// subject, text, timeAmbiguous, to, type.
  mutating func message(_ message: Message) {
    beginObject()
    key("attachments")
    strings(message.attachments)
    key("channel")
    string(message.channel.rawValue)
    key("details")
    stringDictionary(message.details)
    key("direction")
    string(message.direction.rawValue)
    field("entry", message.entry)
    if let from = message.from {
      key("from")
      party(from)
    }
    stamp(.id, of: message.stamp, type: "message")
    key("provenance")
    provenance(message.provenance)
    stamp(.recordedAt, of: message.stamp, type: "message")
    stamp(.salt, of: message.stamp, type: "message")
    field("sentAt", message.sentAt)
    field("subject", message.subject)
    key("text")
    string(message.text)
    if message.timeAmbiguous {
      key("timeAmbiguous")
      bool(true)
    }
    key("to")
    beginArray()
    for party in message.to { self.party(party) }
    endArray()
    stamp(.type, of: message.stamp, type: "message")
    endObject()
  }

  /// Keys: address, name, person.
  private mutating func party(_ party: Message.Party) {
    beginObject()
    field("address", party.address)
    field("name", party.name)
    field("person", party.person)
    endObject()
  }

  /// Keys: position, source, sourceSHA256.
  private mutating func provenance(_ provenance: Message.Provenance) {
    beginObject()
    field("position", provenance.position)
    field("source", provenance.source)
    field("sourceSHA256", provenance.sourceSHA256)
    endObject()
  }

  /// Keys: blob, (capture: never, see `RecordCodec`), entry, id, intake (item, notedAt, via), mediaType,
  /// modifiedAt, originalName, recordedAt, salt, sha256, size, supersedes, type.
  mutating func attachment(_ attachment: Attachment) {
    precondition(attachment.capture == nil, "capture metadata is written by JSONEncoder")
    beginObject()
    key("blob")
    string(attachment.blob)
    field("entry", attachment.entry)
    stamp(.id, of: attachment.stamp, type: "attachment")
    if let intake = attachment.intake {
      key("intake")
      beginObject()
      key("item")
      string(intake.item)
      key("notedAt")
      string(intake.notedAt)
      key("via")
      string(intake.via)
      endObject()
    }
    key("mediaType")
    string(attachment.mediaType)
    field("modifiedAt", attachment.modifiedAt)
    key("originalName")
    string(attachment.originalName)
    stamp(.recordedAt, of: attachment.stamp, type: "attachment")
    stamp(.salt, of: attachment.stamp, type: "attachment")
    key("sha256")
    string(attachment.sha256)
    key("size")
    integer(attachment.size)
    field("supersedes", attachment.supersedes)
    stamp(.type, of: attachment.stamp, type: "attachment")
    endObject()
  }

  /// Keys: aliases, emails, handles, id, name, notes, phones, recordedAt, relation, salt, supersedes, type.
  mutating func person(_ person: Person) {
    beginObject()
    key("aliases")
    strings(person.aliases)
    key("emails")
    strings(person.emails)
    key("handles")
    strings(person.handles)
    stamp(.id, of: person.stamp, type: "person")
    key("name")
    string(person.name)
    field("notes", person.notes)
    key("phones")
    strings(person.phones)
    stamp(.recordedAt, of: person.stamp, type: "person")
    field("relation", person.relation)
    stamp(.salt, of: person.stamp, type: "person")
    field("supersedes", person.supersedes)
    stamp(.type, of: person.stamp, type: "person")
    endObject()
  }
}
