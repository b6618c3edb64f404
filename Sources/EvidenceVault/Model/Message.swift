import Foundation

/// A saved threat or other message (or a call), exactly as it was received (Schemas/record-message.schema.json).
public struct Message: Equatable, Sendable {
  /// How it reached the person.
  public enum Channel: String, Codable, CaseIterable, Sendable {
    case sms, mms, whatsapp, telegram, signal, email, voicemail, call, other
  }

  /// Which way it went, from the person's side.
  public enum Direction: String, Codable, CaseIterable, Sendable {
    case received, sent, draft, outbox, failed, queued, missed, rejected, blocked, unknown
  }

  /// A sender or recipient: the name and address as the source gives them, the address normalised
  /// (E.164 for phone numbers, lower case for e-mail), and the person record it belongs to, if known.
  public struct Party: Codable, Equatable, Sendable {
    public var name: String?
    public var address: String?
    /// The id of the person record (any version) this party is.
    public var person: String?

    public init(name: String? = nil, address: String? = nil, person: String? = nil) {
      self.name = name
      self.address = address
      self.person = person
    }
  }

  /// Where the message came from, so an investigator can check it against the source.
  public struct Provenance: Codable, Equatable, Sendable {
    /// The id of the attachment record that keeps the export file itself (nil for a message typed in by hand).
    public var source: String?
    /// The export file's SHA-256.
    public var sourceSHA256: String?
    /// Where in the export file: "line 12", "<sms> 34", "mbox message 3 at byte 10240".
    public var position: String?

    public init(source: String? = nil, sourceSHA256: String? = nil, position: String? = nil) {
      self.source = source
      self.sourceSHA256 = sourceSHA256
      self.position = position
    }
  }

  public internal(set) var stamp: RecordStamp
  public var channel: Channel
  public var direction: Direction
  public var from: Party?
  public var to: [Party]
  /// When the source says it was sent or received, RFC 3339 UTC.
  public var sentAt: String?
  /// True when the source's local time happened twice (the autumn DST hour) and one reading was chosen.
  public var timeAmbiguous: Bool
  /// The exact text.
  public var text: String
  public var subject: String?
  /// Ids of attachment records (screenshots, MMS pictures, e-mail attachments, the raw e-mail).
  public var attachments: [String]
  /// The id of the entry (incident) it belongs to.
  public var entry: String?
  public var provenance: Provenance
  /// Facts of the source format kept verbatim (call duration, Message-ID, the Received chain…).
  public var details: [String: String]

  public init(
    channel: Channel, direction: Direction, from: Party?, to: [Party] = [], sentAt: Date?,
    timeAmbiguous: Bool = false, text: String, subject: String? = nil, entry: String? = nil,
    provenance: Provenance = Provenance(), details: [String: String] = [:]
  ) {
    self.stamp = .unstamped
    self.channel = channel
    self.direction = direction
    self.from = from
    self.to = to
    self.sentAt = sentAt.map(WhenFormatter.rfc3339UTC)
    self.timeAmbiguous = timeAmbiguous
    self.text = text
    self.subject = subject
    self.attachments = []
    self.entry = entry
    self.provenance = provenance
    self.details = details
  }

  /// `sentAt` as a date.
  public var sentDate: Date? { sentAt.flatMap(WhenFormatter.parseRFC3339UTC) }

  /// What makes two messages the same message, whichever export they came from: channel, direction, the
  /// other party's address, the time and the words. SHA-256, hex.
  public var fingerprint: String { Hex.encode(fingerprintDigest) }

  /// `fingerprint` as its 32 bytes.
  var fingerprintDigest: [UInt8] {
    let parts = [
      channel.rawValue, direction.rawValue, from?.address ?? "",
      to.compactMap(\.address).sorted().joined(separator: ","),
      sentAt ?? "", subject ?? "", text,
    ]
    var bytes: [UInt8] = []
    for part in parts { bytes.appendField(Array(part.utf8)) }
    return SHA256.hash(bytes)
  }
}

extension Message: Codable {
  private enum Keys: String, CodingKey {
    case channel, direction, from, to, sentAt, timeAmbiguous, text, subject, attachments
    case entry, provenance, details
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    stamp = try RecordStamp(recordFrom: decoder)
    channel = try c.decode(Channel.self, forKey: .channel)
    direction = try c.decode(Direction.self, forKey: .direction)
    from = try c.decodeIfPresent(Party.self, forKey: .from)
    to = try c.decodeIfPresent([Party].self, forKey: .to) ?? []
    sentAt = try c.decodeIfPresent(String.self, forKey: .sentAt)
    timeAmbiguous = try c.decodeIfPresent(Bool.self, forKey: .timeAmbiguous) ?? false
    text = try c.decode(String.self, forKey: .text)
    subject = try c.decodeIfPresent(String.self, forKey: .subject)
    attachments = try c.decodeIfPresent([String].self, forKey: .attachments) ?? []
    entry = try c.decodeIfPresent(String.self, forKey: .entry)
    provenance = try c.decodeIfPresent(Provenance.self, forKey: .provenance) ?? Provenance()
    details = try c.decodeIfPresent([String: String].self, forKey: .details) ?? [:]
  }

  public func encode(to encoder: any Encoder) throws {
    try stamp.encode(recordType: "message", to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(channel, forKey: .channel)
    try c.encode(direction, forKey: .direction)
    try c.encodeIfPresent(from, forKey: .from)
    try c.encode(to, forKey: .to)
    try c.encodeIfPresent(sentAt, forKey: .sentAt)
    if timeAmbiguous { try c.encode(true, forKey: .timeAmbiguous) }
    try c.encode(text, forKey: .text)
    try c.encodeIfPresent(subject, forKey: .subject)
    try c.encode(attachments, forKey: .attachments)
    try c.encodeIfPresent(entry, forKey: .entry)
    try c.encode(provenance, forKey: .provenance)
    try c.encode(details, forKey: .details)
  }
}
