import Foundation

/// Records ↔ their stored JSON: sorted keys, no insignificant whitespace, UTF-8 (DESIGN.md, "canonical bytes").
///
/// The bytes are hashed into the chain exactly as stored, so decoding never re-encodes.
enum RecordCodec {
  /// The largest record we write or read (a narrative of a few hundred pages still fits).
  static let maximumRecordSize = 4 << 20

  /// The record's canonical bytes. Messages, people and attachments (without capture metadata, whose
  /// floating-point numbers are left to Foundation's formatting) are written by `CanonicalJSONWriter`, which
  /// produces the same bytes as `JSONEncoder` much faster; everything else by `JSONEncoder` itself.
  static func encode(_ record: Record) -> [UInt8] {
    var writer = CanonicalJSONWriter(reservingCapacity: 1024)
    switch record {
    case .message(let message): writer.message(message)
    case .person(let person): writer.person(person)
    case .attachment(let attachment) where attachment.capture == nil: writer.attachment(attachment)
    default: return encodeWithJSONEncoder(record)
    }
    // An exact-size copy: the vault keeps every record's bytes, so spare capacity would add up.
    return writer.bytes.withUnsafeBufferPointer { Array($0) }
  }

  /// The record's canonical bytes from `JSONEncoder`: the definition `CanonicalJSONWriter` is tested against.
  static func encodeWithJSONEncoder(_ record: Record) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data: Data?
    switch record {
    case .entry(let entry): data = try? encoder.encode(entry)
    case .person(let person): data = try? encoder.encode(person)
    case .attachment(let attachment): data = try? encoder.encode(attachment)
    case .message(let message): data = try? encoder.encode(message)
    case .anchor(let anchor): data = try? encoder.encode(anchor)
    case .access(let access): data = try? encoder.encode(access)
    case .unknown: preconditionFailure("records of unknown types are never written")
    }
    // Strings, numbers, arrays: encoding these cannot fail.
    guard let data else { preconditionFailure("record encoding failed") }
    return Array(data)
  }

  /// Decodes stored bytes; throws a sentence naming what is wrong.
  static func decode(_ bytes: [UInt8]) throws -> Record {
    try JSONDecoder().decode(RecordEnvelope.self, from: Data(bytes)).record
  }
}

/// Reads the `type` field and then the record of that type, in one JSON parse.
private struct RecordEnvelope: Decodable {
  let record: Record
  private enum Keys: String, CodingKey { case type, id }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Keys.self)
    let type = try container.decode(String.self, forKey: .type)
    switch type {
    case "entry": record = .entry(try Entry(from: decoder))
    case "person": record = .person(try Person(from: decoder))
    case "attachment": record = .attachment(try Attachment(from: decoder))
    case "message": record = .message(try Message(from: decoder))
    case "anchor": record = .anchor(try Anchor(from: decoder))
    case "access": record = .access(try AccessAttempt(from: decoder))
    default: record = .unknown(type: type, id: (try? container.decode(String.self, forKey: .id)) ?? "")
    }
  }
}

extension Entry: Codable {
  private enum Keys: String, CodingKey {
    case occurred, title, narrative, location, categories, people, injuries, amounts
    case policeReference, tags, attachments, supersedes, intake
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    occurred = try c.decode(Occurrence.self, forKey: .occurred)
    title = try c.decode(String.self, forKey: .title)
    narrative = try c.decode(String.self, forKey: .narrative)
    location = try c.decodeIfPresent(String.self, forKey: .location)
    categories = try c.decodeIfPresent([IncidentCategory].self, forKey: .categories) ?? []
    people = try c.decodeIfPresent([Participant].self, forKey: .people) ?? []
    injuries = try c.decodeIfPresent(String.self, forKey: .injuries)
    amounts = try c.decodeIfPresent([MoneyAmount].self, forKey: .amounts) ?? []
    policeReference = try c.decodeIfPresent(String.self, forKey: .policeReference)
    tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
    attachments = try c.decodeIfPresent([String].self, forKey: .attachments) ?? []
    supersedes = try c.decodeIfPresent(String.self, forKey: .supersedes)
    intake = try c.decodeIfPresent(Intake.self, forKey: .intake)
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "entry", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(occurred, forKey: .occurred)
    try c.encode(title, forKey: .title)
    try c.encode(narrative, forKey: .narrative)
    try c.encodeIfPresent(location, forKey: .location)
    try c.encode(categories, forKey: .categories)
    try c.encode(people, forKey: .people)
    try c.encodeIfPresent(injuries, forKey: .injuries)
    try c.encode(amounts, forKey: .amounts)
    try c.encodeIfPresent(policeReference, forKey: .policeReference)
    try c.encode(tags, forKey: .tags)
    try c.encode(attachments, forKey: .attachments)
    try c.encodeIfPresent(supersedes, forKey: .supersedes)
    try c.encodeIfPresent(intake, forKey: .intake)
  }
}

extension Person: Codable {
  private enum Keys: String, CodingKey {
    case name, aliases, phones, emails, handles, relation, notes, supersedes
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    name = try c.decode(String.self, forKey: .name)
    aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    phones = try c.decodeIfPresent([String].self, forKey: .phones) ?? []
    emails = try c.decodeIfPresent([String].self, forKey: .emails) ?? []
    handles = try c.decodeIfPresent([String].self, forKey: .handles) ?? []
    relation = try c.decodeIfPresent(String.self, forKey: .relation)
    notes = try c.decodeIfPresent(String.self, forKey: .notes)
    supersedes = try c.decodeIfPresent(String.self, forKey: .supersedes)
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "person", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(name, forKey: .name)
    try c.encode(aliases, forKey: .aliases)
    try c.encode(phones, forKey: .phones)
    try c.encode(emails, forKey: .emails)
    try c.encode(handles, forKey: .handles)
    try c.encodeIfPresent(relation, forKey: .relation)
    try c.encodeIfPresent(notes, forKey: .notes)
    try c.encodeIfPresent(supersedes, forKey: .supersedes)
  }
}

extension Attachment: Codable {
  private enum Keys: String, CodingKey {
    case blob, sha256, size, mediaType, originalName, modifiedAt, capture, entry
    case supersedes, intake
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    blob = try c.decode(String.self, forKey: .blob)
    sha256 = try c.decode(String.self, forKey: .sha256)
    size = try c.decode(Int64.self, forKey: .size)
    mediaType = try c.decode(String.self, forKey: .mediaType)
    originalName = try c.decode(String.self, forKey: .originalName)
    modifiedAt = try c.decodeIfPresent(String.self, forKey: .modifiedAt)
    capture = try c.decodeIfPresent(CaptureMetadata.self, forKey: .capture)
    entry = try c.decodeIfPresent(String.self, forKey: .entry)
    supersedes = try c.decodeIfPresent(String.self, forKey: .supersedes)
    intake = try c.decodeIfPresent(Intake.self, forKey: .intake)
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "attachment", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(blob, forKey: .blob)
    try c.encode(sha256, forKey: .sha256)
    try c.encode(size, forKey: .size)
    try c.encode(mediaType, forKey: .mediaType)
    try c.encode(originalName, forKey: .originalName)
    try c.encodeIfPresent(modifiedAt, forKey: .modifiedAt)
    try c.encodeIfPresent(capture, forKey: .capture)
    try c.encodeIfPresent(entry, forKey: .entry)
    try c.encodeIfPresent(supersedes, forKey: .supersedes)
    try c.encodeIfPresent(intake, forKey: .intake)
  }
}

extension Anchor: Codable {
  private enum Keys: String, CodingKey { case sequence, chain, code, signingKey }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    sequence = try c.decode(UInt64.self, forKey: .sequence)
    chain = try c.decode(String.self, forKey: .chain)
    code = try c.decode(String.self, forKey: .code)
    signingKey = try c.decodeIfPresent(String.self, forKey: .signingKey)
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "anchor", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(sequence, forKey: .sequence)
    try c.encode(chain, forKey: .chain)
    try c.encode(code, forKey: .code)
    try c.encodeIfPresent(signingKey, forKey: .signingKey)
  }
}

extension AccessAttempt: Codable {
  private enum Keys: String, CodingKey { case failedAt, command, entry, intake }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    failedAt = try c.decode(String.self, forKey: .failedAt)
    command = try c.decode(String.self, forKey: .command)
    entry = try c.decode(Entry.self, forKey: .entry)
    intake = try c.decodeIfPresent(Intake.self, forKey: .intake)
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "access", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(failedAt, forKey: .failedAt)
    try c.encode(command, forKey: .command)
    try c.encode(entry, forKey: .entry)
    try c.encodeIfPresent(intake, forKey: .intake)
  }
}

extension RecordStamp {
  private enum Keys: String, CodingKey { case type, id, salt, recordedAt }

  /// Reads the fields every record carries from the record's own JSON object.
  init(recordFrom decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    self.init(
      id: try c.decode(String.self, forKey: .id), salt: try c.decode(String.self, forKey: .salt),
      recordedAt: try c.decode(String.self, forKey: .recordedAt))
  }

  /// Writes `type` and the fields every record carries into the record's own JSON object.
  func encode(recordType: String, to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(recordType, forKey: .type)
    try c.encode(id, forKey: .id)
    try c.encode(salt, forKey: .salt)
    try c.encode(recordedAt, forKey: .recordedAt)
  }
}
